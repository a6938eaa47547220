/* The neural tangent kernel of one input at O(1/n) (docs/onen.md, "The NTK
   at finite width"): its mean shift Theta1, its fluctuation A, B and its
   cross-correlation with the pre-activations D, F, layer by layer, in the
   notation of Roberts-Yaida-Hanin ch. 8,

     E[H_ii]              = Theta + Theta1/n,
     Cov(H_ii, H_jj)      = A/n,   E[H_ij^2] = B/n            (i != j),
     Var H_ii             = (A + 2B)/n,
     Cov(H_ii, z_j^2)     = D/n,   E[H_ij z_i z_j] = F/n      (i != j),
     Cov(H_ii, z_i^2)     = (D + 2F)/n,                        n = n_{l-1},

   derived by conditioning on the layer below (the neurons of layer l+1 are
   i.i.d. given layer l; Stein's lemma in the weights of layer l+1).  The
   Gaussian expectations at K^(l) it needs beyond the layer table are
   <sigma'^2>'s first two K-derivatives, <sigma'^4> and <sigma^2 sigma'^2>:
   exact for the piecewise-linear rows, from the moments <tanh^{2p}> for tanh
   (sigma' = 1 - sigma^2), closed forms for erf and sin.  The same step
   carries the dNTK's cross-correlation with z (RYH ch. 11),

     E[dH_{i0 i1 i2} z_{i3}] = (d_{i0 i3} d_{i1 i2} P + d_{i0 i1} d_{i2 i3} Q
                                + d_{i0 i2} d_{i1 i3} Q)/n,

   which needs <sigma sigma'^2 sigma''> besides (docs/onen.md, "The dNTK"). */

#include <stddef.h>
#include <string.h>
#include "neft/onen.h"
#include "onen_private.h"
#include "ntk2.h"

#define NTK1_NF 8   /* theta, theta1, A, B, D, F, P, Q */

/* The two scalar kinds of the recursion, balls (at prec) and rationals: one
   table of operations, so that one loop (ntk1_run) serves both.  The layer
   structs are walked through their field offsets. */
typedef struct
{
    size_t size;                                   /* of one scalar */
    void (*init)(void *);
    void (*clear)(void *);
    void (*zero)(void *);
    void (*set)(void *, const void *);
    void (*half)(void *);                          /* x = 1/2 */
    void (*add)(void *, const void *, const void *, slong);
    void (*sub)(void *, const void *, const void *, slong);
    void (*mul)(void *, const void *, const void *, slong);
    size_t stride, off[NTK1_NF];                   /* the layer struct */
}
ntk1_kind_t;

static void b_init(void * x) { arb_init(x); }
static void b_clear(void * x) { arb_clear(x); }
static void b_zero(void * x) { arb_zero(x); }
static void b_set(void * x, const void * y) { arb_set(x, y); }
static void b_half(void * x) { arb_set_d(x, 0.5); }
static void b_add(void * x, const void * y, const void * z, slong p) { arb_add(x, y, z, p); }
static void b_sub(void * x, const void * y, const void * z, slong p) { arb_sub(x, y, z, p); }
static void b_mul(void * x, const void * y, const void * z, slong p) { arb_mul(x, y, z, p); }
static void q_init(void * x) { fmpq_init(x); }
static void q_clear(void * x) { fmpq_clear(x); }
static void q_zero(void * x) { fmpq_zero(x); }
static void q_set(void * x, const void * y) { fmpq_set(x, y); }
static void q_half(void * x) { fmpq_set_si(x, 1, 2); }
static void
q_add(void * x, const void * y, const void * z, slong p)
{
    (void) p;
    fmpq_add(x, y, z);
}
static void
q_sub(void * x, const void * y, const void * z, slong p)
{
    (void) p;
    fmpq_sub(x, y, z);
}
static void
q_mul(void * x, const void * y, const void * z, slong p)
{
    (void) p;
    fmpq_mul(x, y, z);
}

#define NTK1_OFFSETS(S) {offsetof(S, theta), offsetof(S, theta1), offsetof(S, A),  \
                         offsetof(S, B), offsetof(S, D), offsetof(S, F),             \
                         offsetof(S, P), offsetof(S, Q)}

static const ntk1_kind_t ball_kind = {sizeof(arb_struct), b_init, b_clear, b_zero, b_set, b_half,
                                      b_add, b_sub, b_mul, sizeof(neft_onen_ntk1_struct),
                                      NTK1_OFFSETS(neft_onen_ntk1_struct)};
static const ntk1_kind_t exact_kind = {sizeof(fmpq), q_init, q_clear, q_zero, q_set, q_half,
                                       q_add, q_sub, q_mul, sizeof(neft_onen_ntk1_exact_struct),
                                       NTK1_OFFSETS(neft_onen_ntk1_exact_struct)};

/* field k of layer l (l = 0 for layer 1) */
static void *
field(const ntk1_kind_t * R, void * T, slong l, int k)
{
    return (char *) T + l * R->stride + R->off[k];
}

static void *
layers_init(const ntk1_kind_t * R, slong depth)
{
    void * T = flint_malloc(R->stride * FLINT_MAX(depth, 1));
    slong l;
    int k;
    for (l = 0; l < depth; l++)
        for (k = 0; k < NTK1_NF; k++)
            R->init(field(R, T, l, k));
    return T;
}

static void
layers_clear(const ntk1_kind_t * R, void * T, slong depth)
{
    slong l;
    int k;
    for (l = 0; l < depth; l++)
        for (k = 0; k < NTK1_NF; k++)
            R->clear(field(R, T, l, k));
    flint_free(T);
}

neft_onen_ntk1_struct *
neft_onen_ntk1_init(slong depth)
{
    return layers_init(&ball_kind, depth);
}

void
neft_onen_ntk1_clear(neft_onen_ntk1_struct * T, slong depth)
{
    layers_clear(&ball_kind, T, depth);
}

neft_onen_ntk1_exact_struct *
neft_onen_ntk1_exact_init(slong depth)
{
    return layers_init(&exact_kind, depth);
}

void
neft_onen_ntk1_exact_clear(neft_onen_ntk1_exact_struct * T, slong depth)
{
    layers_clear(&exact_kind, T, depth);
}

int
neft_onen_ntk1_has(const neft_net_t net, const char ** reason)
{
    static _Thread_local char why[256];
    const char * name = net->act->name;
    if (neft_onen_is_scale_invariant(net) || !strcmp(name, "tanh") || !strcmp(name, "erf")
        || !strcmp(name, "sin") || !strcmp(name, "sigmoid"))
        return 1;
    if (reason != NULL)
    {
        snprintf(why, sizeof why, "%s: the NTK at O(1/n) needs <sigma^2 sigma'^2> and "
                 "<sigma'^4>, which onen has for relu, leaky-relu, linear, tanh, sigmoid, erf "
                 "and sin only", name);
        *reason = why;
    }
    return 0;
}

/* m[0..M_N-1] at K (k1: K^(1), unused by these rows).  0, or -1 if a ball
   is not finite (also for a row it has no moments of: sigmoid and beyond). */
int
_neft_onen_ntk1_moments(arb_ptr m, const neft_net_t net, const arb_t K, const arb_t k1,
                        slong prec)
{
    const char * name = net->act->name;
    neft_onen_gauss_t g;
    arb_t t, u, w;
    slong i;
    int status;

    neft_onen_gauss_init(g);
    arb_init(t); arb_init(u); arb_init(w);
    status = neft_onen_gauss_eval(g, net, K, k1, prec);
    arb_set(m + M_C1, &g->m[1][0]);
    arb_set(m + M_C1P, &g->m[1][1]);
    arb_set(m + M_C1PP, &g->m[1][2]);
    arb_sqr(t, &g->m[1][0], prec);
    arb_sub(m + M_C2, &g->m[2][0], t, prec);
    arb_set(m + M_P, &g->perp);
    if (neft_onen_is_scale_invariant(net))
    {
        /* sigma' = a_+ (z > 0), a_- (z < 0): <sigma'^4> = (a_+^4 + a_-^4)/2,
           <sigma^2 sigma'^2> = (a_+^4 + a_-^4) K/2 */
        fmpq_t ap, am, s;
        fmpq_init(ap); fmpq_init(am); fmpq_init(s);
        _neft_onen_pl_slopes(ap, am, net);
        fmpq_pow_si(ap, ap, 4);
        fmpq_pow_si(am, am, 4);
        fmpq_add(s, ap, am);
        fmpq_div_2exp(s, s, 1);
        arb_zero(m + M_PP);
        arb_zero(m + M_PPP);
        arb_set_fmpq(m + M_S4, s, prec);
        arb_mul(m + M_X22, m + M_S4, K, prec);
        arb_zero(m + M_Y);      /* sigma'' = (a_+ - a_-) delta(z), sigma(0) = 0 */
        fmpq_clear(ap); fmpq_clear(am); fmpq_clear(s);
    }
    else if (!strcmp(name, "tanh"))
    {
        /* sigma' = 1 - sigma^2: sigma'^2 = 1 - 2 s + s^2, sigma^2 sigma'^2 =
           s - 2 s^2 + s^3, sigma'^4 = 1 - 4 s + 6 s^2 - 4 s^3 + s^4 (s = tanh^2) */
        static const slong c4[5] = {1, -4, 6, -4, 1}, cy[5] = {0, -2, 6, -6, 2};
        arb_mul_si(t, &g->m[1][1], -2, prec);
        arb_add(m + M_PP, t, &g->m[2][1], prec);
        arb_mul_si(t, &g->m[1][2], -2, prec);
        arb_add(m + M_PPP, t, &g->m[2][2], prec);
        arb_mul_si(t, &g->m[2][0], -2, prec);
        arb_add(t, t, &g->m[1][0], prec);
        arb_add(m + M_X22, t, &g->m[3][0], prec);
        arb_one(m + M_S4);
        arb_zero(m + M_Y);
        for (i = 1; i <= 4; i++)
        {
            arb_addmul_si(m + M_S4, &g->m[i][0], c4[i], prec);
            /* sigma'' = -2 tanh sigma': sigma sigma'^2 sigma'' = -2 s (1 - s)^3 */
            arb_addmul_si(m + M_Y, &g->m[i][0], cy[i], prec);
        }
    }
    else if (!strcmp(name, "erf"))
    {
        /* erf' = (2/sqrt pi) e^{-z^2}: <erf'^2> = (4/pi)(1 + 4K)^{-1/2} (derivatives
           -2 and 12 times the powers -3/2, -5/2), <erf'^4> = (16/pi^2)(1 + 8K)^{-1/2},
           <erf^2 erf'^2> = (4/pi)(1 + 4K)^{-1/2} <erf^2>_{K'}, K' = K/(1 + 4K),
           <erf^2>_{K'} = (2/pi) asin(2K'/(1 + 2K')) = (2/pi) asin(2K/(1 + 6K));
           erf'' = -2 z erf': <erf erf'^2 erf''> = -2 (2/sqrt pi)^3 <z erf e^{-3z^2}>
           = -32 K / (pi^2 (1 + 6K) sqrt(1 + 8K)) */
        arb_const_pi(w, prec);
        arb_mul_2exp_si(t, K, 2);
        arb_add_ui(t, t, 1, prec);              /* 1 + 4K */
        arb_rsqrt(u, t, prec);                  /* (1 + 4K)^{-1/2} */
        arb_mul_2exp_si(u, u, 2);
        arb_div(u, u, w, prec);                 /* (4/pi)(1 + 4K)^{-1/2} */
        arb_div(m + M_PP, u, t, prec);
        arb_mul_si(m + M_PP, m + M_PP, -2, prec);
        arb_div(m + M_PPP, m + M_PP, t, prec);
        arb_mul_si(m + M_PPP, m + M_PPP, -6, prec);
        arb_mul_si(t, K, 6, prec);
        arb_add_ui(t, t, 1, prec);
        arb_div(t, K, t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_asin(t, t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_div(t, t, w, prec);
        arb_mul(m + M_X22, u, t, prec);
        arb_mul_2exp_si(t, K, 3);
        arb_add_ui(t, t, 1, prec);
        arb_rsqrt(t, t, prec);
        arb_sqr(w, w, prec);
        arb_div(t, t, w, prec);
        arb_mul_2exp_si(m + M_S4, t, 4);        /* (16/pi^2)(1 + 8K)^{-1/2} */
        arb_mul(u, t, K, prec);
        arb_mul_si(u, u, -32, prec);
        arb_mul_si(w, K, 6, prec);
        arb_add_ui(w, w, 1, prec);
        arb_div(m + M_Y, u, w, prec);
    }
    else if (!strcmp(name, "sin"))
    {
        /* cos^2 = (1 + cos 2z)/2, sin^2 cos^2 = (1 - cos 4z)/8,
           cos^4 = (3 + 4 cos 2z + cos 4z)/8, <cos wz> = e^{-w^2 K/2} */
        arb_mul_si(t, K, -2, prec);
        arb_exp(t, t, prec);                    /* e^{-2K} */
        arb_neg(m + M_PP, t);
        arb_mul_2exp_si(m + M_PPP, t, 1);
        arb_mul_si(u, K, -8, prec);
        arb_exp(u, u, prec);                    /* e^{-8K} */
        arb_sub_ui(w, u, 1, prec);
        arb_neg(w, w);
        arb_mul_2exp_si(m + M_X22, w, -3);
        arb_neg(m + M_Y, m + M_X22);            /* sin'' = -sin */
        arb_mul_2exp_si(w, t, 2);
        arb_add(w, w, u, prec);
        arb_add_ui(w, w, 3, prec);
        arb_mul_2exp_si(m + M_S4, w, -3);
    }
    else
        status = -1;
    for (i = 0; i < M_N; i++)
        if (!arb_is_finite(m + i))
        {
            arb_indeterminate(m + i);
            status = -1;
        }
    neft_onen_gauss_clear(g);
    arb_clear(t); arb_clear(u); arb_clear(w);
    return status ? -1 : 0;
}

/* One step layer l -> l+1 (docs/onen.md), written once for both scalar
   kinds: ADD, SUB, MUL(x, y, z) with x = y op z, SET(x, y); in: th, th1,
   A, B, D, F, P, Q of layer l and V, G1 of its kernel, the moments c1 .. y,
   r = n_l/n_{l-1}, cw, lb, lw, half; out: nth, nth1, nA, nB, nD, nF, nP, nQ;
   t, u, U, Vg scratch. */
#define NTK1_STEP(ADD, SUB, MUL, SET)                                                \
    do {                                                                             \
        /* Vg = c2 + r c1'^2 V   (n_l Var <sigma^2>-average: V'/C_W^2) */            \
        MUL(t, c1p, c1p); MUL(t, t, V); MUL(t, t, r); ADD(Vg, c2, t);                \
        /* U = th (x22 - c1 p) + r c1' (p D + th p' V) */                           \
        MUL(t, c1, p); SUB(t, x22, t); MUL(U, th, t);                                \
        MUL(t, p, D); MUL(u, th, pp); MUL(u, u, V); ADD(t, t, u);                    \
        MUL(t, t, c1p); MUL(t, t, r); ADD(U, U, t);                                  \
        /* Theta1' = r [lw (c1' G1 + c1'' V/2) + cw (p th1 + th (p' G1 + p'' V/2)   \
                        + p' (D + 2F))] */                                          \
        MUL(t, c1pp, V); MUL(t, t, half); MUL(u, c1p, G1); ADD(t, t, u);             \
        MUL(nth1, lw, t);                                                            \
        MUL(t, ppp, V); MUL(t, t, half); MUL(u, pp, G1); ADD(t, t, u);               \
        MUL(t, t, th); MUL(u, p, th1); ADD(t, t, u);                                 \
        ADD(u, D, F); ADD(u, u, F); MUL(u, u, pp); ADD(t, t, u);                     \
        MUL(t, t, cw); ADD(nth1, nth1, t); MUL(nth1, nth1, r);                       \
        /* D' = cw lw Vg + cw^2 U */                                                 \
        MUL(t, lw, Vg); MUL(u, cw, U); ADD(t, t, u); MUL(nD, t, cw);                 \
        /* A' = lw^2 Vg + 2 lw cw U + cw^2 [th^2 (s4 - p^2)                          \
                + r (p^2 A + 2 p th p' D + th^2 p'^2 V)] */                         \
        MUL(t, p, p); MUL(t, t, A); MUL(u, p, th); MUL(u, u, pp); MUL(u, u, D);      \
        ADD(t, t, u); ADD(t, t, u); MUL(u, th, pp); MUL(u, u, u); MUL(u, u, V);      \
        ADD(t, t, u); MUL(t, t, r);                                                  \
        MUL(u, p, p); SUB(u, s4, u); MUL(u, u, th); MUL(u, u, th); ADD(t, t, u);     \
        MUL(t, t, cw); MUL(u, lw, U); ADD(u, u, u); ADD(t, t, u); MUL(t, t, cw);     \
        MUL(u, lw, lw); MUL(u, u, Vg); ADD(nA, t, u);                                \
        /* B' = cw^2 (s4 th^2 + r p^2 B) */                                          \
        MUL(t, p, p); MUL(t, t, B); MUL(t, t, r); MUL(u, th, th); MUL(u, u, s4);     \
        ADD(t, t, u); MUL(t, t, cw); MUL(nB, t, cw);                                 \
        /* F' = cw^2 (x22 th + r c1'^2 F) */                                         \
        MUL(t, c1p, c1p); MUL(t, t, F); MUL(t, t, r); MUL(u, x22, th);               \
        ADD(t, t, u); MUL(t, t, cw); MUL(nF, t, cw);                                 \
        /* the dNTK: P' = 2 lw F'/cw + cw^2 [2 y th^2 + r c1' (2 th p' F + p P)],    \
           Q' = lw F'/cw + cw^2 [2 y th^2 + r (c1' (th p' F + p Q)                  \
                                                + p (c1' - p) B)]  (F'/cw = cw t) */ \
        MUL(t, t, lw); MUL(U, y, th); MUL(U, U, th); ADD(U, U, U);                   \
        MUL(u, th, pp); MUL(u, u, F); MUL(Vg, p, P); ADD(Vg, Vg, u); ADD(Vg, Vg, u); \
        MUL(Vg, Vg, c1p); MUL(Vg, Vg, r); ADD(Vg, Vg, U); MUL(Vg, Vg, cw);           \
        MUL(Vg, Vg, cw); ADD(nP, t, t); ADD(nP, nP, Vg);                              \
        SUB(Vg, c1p, p); MUL(Vg, Vg, p); MUL(Vg, Vg, B); MUL(u, p, Q);               \
        MUL(U, th, pp); MUL(U, U, F); ADD(u, u, U); MUL(u, u, c1p); ADD(u, u, Vg);   \
        MUL(u, u, r); MUL(U, y, th); MUL(U, U, th); ADD(U, U, U); ADD(u, u, U);      \
        MUL(u, u, cw); MUL(u, u, cw); ADD(nQ, t, u);                                  \
        /* Theta' = lb + lw c1 + cw p th */                                          \
        MUL(t, cw, p); MUL(t, t, th); MUL(u, lw, c1); ADD(t, t, u); ADD(nth, t, lb); \
    } while (0)

/* The data of the step l -> l+1 in the run's scalars: the moments m[M_N] at
   K^(l), V and G1 of layer l, r = n_l/n_{l-1}.  0, or -1 (a ball is not
   finite). */
typedef int (*ntk1_layer_fn)(void * ctx, slong l, char * m, void * V, void * G1, void * r);

/* T[0..depth-1] (scalars of kind R): layer 1 deterministic with Theta = theta_1,
   then NTK1_STEP with the data of layer(); cw, lb, lw scalars of kind R.
   0, -1 (layer() failed) or NEFT_INTERRUPTED.  The one loop of both
   neft_onen_ntk1_single and neft_onen_ntk1_single_exact. */
static int
ntk1_run(const ntk1_kind_t * R, void * T, slong depth, const void * theta_1, const void * cw,
         const void * lb, const void * lw, ntk1_layer_fn layer, void * ctx, slong prec)
{
    enum { S_V = M_N, S_G1, S_R, S_HALF, S_T, S_U, S_UU, S_VG, S_N };
    char * b = flint_malloc(S_N * R->size);
    slong l;
    int k, status = 0;
#define SC(i) ((void *) (b + (i) * R->size))
#define R_ADD(x, y, z) R->add(x, y, z, prec)
#define R_SUB(x, y, z) R->sub(x, y, z, prec)
#define R_MUL(x, y, z) R->mul(x, y, z, prec)
#define R_SET(x, y) R->set(x, y)
    for (k = 0; k < S_N; k++)
        R->init(SC(k));
    R->half(SC(S_HALF));
    R->set(field(R, T, 0, 0), theta_1);
    for (k = 1; k < NTK1_NF; k++)
        R->zero(field(R, T, 0, k));
    for (l = 1; l < depth; l++)
    {
        const void * c1 = SC(M_C1), * c1p = SC(M_C1P), * c1pp = SC(M_C1PP), * c2 = SC(M_C2),
                   * p = SC(M_P), * pp = SC(M_PP), * ppp = SC(M_PPP), * s4 = SC(M_S4),
                   * x22 = SC(M_X22), * y = SC(M_Y), * V = SC(S_V), * G1 = SC(S_G1),
                   * r = SC(S_R), * half = SC(S_HALF), * th = field(R, T, l - 1, 0),
                   * th1 = field(R, T, l - 1, 1), * A = field(R, T, l - 1, 2),
                   * B = field(R, T, l - 1, 3), * D = field(R, T, l - 1, 4),
                   * F = field(R, T, l - 1, 5), * P = field(R, T, l - 1, 6),
                   * Q = field(R, T, l - 1, 7);
        void * nth = field(R, T, l, 0), * nth1 = field(R, T, l, 1), * nA = field(R, T, l, 2),
             * nB = field(R, T, l, 3), * nD = field(R, T, l, 4), * nF = field(R, T, l, 5),
             * nP = field(R, T, l, 6), * nQ = field(R, T, l, 7), * t = SC(S_T), * u = SC(S_U),
             * U = SC(S_UU), * Vg = SC(S_VG);
        if (neft_interrupted())
        {
            status = NEFT_INTERRUPTED;
            break;
        }
        if (layer(ctx, l, b, SC(S_V), SC(S_G1), SC(S_R)))
        {
            status = -1;
            break;
        }
        NTK1_STEP(R_ADD, R_SUB, R_MUL, R_SET);
    }
    for (k = 0; k < S_N; k++)
        R->clear(SC(k));
    flint_free(b);
    return status;
#undef SC
#undef R_ADD
#undef R_SUB
#undef R_MUL
#undef R_SET
}

/* the ball run's layer data: the layer table and onen's moments */
typedef struct
{
    const neft_onen_layer_struct * layers;
    const neft_net_struct * net;
    slong prec;
}
ball_ctx_t;

static int
ball_layer(void * ctx, slong l, char * m, void * V, void * G1, void * r)
{
    const ball_ctx_t * c = ctx;
    const neft_onen_layer_struct * L = c->layers + l - 1;
    slong num, den;
    arb_set(V, L->V);
    arb_set(G1, L->G1);
    _neft_onen_ratio_si(&num, &den, c->net, l);
    arb_set_si(r, num);
    arb_div_si(r, r, den, c->prec);
    return _neft_onen_ntk1_moments((arb_ptr) m, c->net, L->K, c->layers[0].K, c->prec);
}

/* sigmoid (its one-input tables hold only the even powers of sigma): the
   two-input table at two coincident inputs of kernel K^(1), entry (00) */
static int
ntk1_via_ntk2(neft_onen_ntk1_struct * T, const neft_onen_layer_struct * layers,
              const neft_onen_params_t par, const fmpq_t lambda_b, const fmpq_t lambda_w)
{
    slong l, depth = par->net->depth;
    neft_onen_ntk2_struct * T2 = neft_onen_ntk2_init(depth);
    arb_ptr K1 = _arb_vec_init(4);
    char err[256];
    int st, k;
    for (k = 0; k < 4; k++)
        arb_set(K1 + k, layers[0].K);
    st = _neft_onen_ntk2_from_kernel(T2, par, lambda_b, lambda_w, K1, err, sizeof err);
    for (l = 0; l < depth; l++)
    {
        arb_set(T[l].theta, T2[l].theta + 0);
        arb_set(T[l].theta1, T2[l].theta1 + 0);
        arb_set(T[l].A, T2[l].A + 0);
        arb_set(T[l].B, T2[l].B + 0);
        arb_set(T[l].D, T2[l].D + 0);
        arb_set(T[l].F, T2[l].F + 0);
        arb_set(T[l].P, T2[l].P + 0);
        arb_set(T[l].Q, T2[l].Q + 0);
    }
    neft_onen_ntk2_clear(T2, depth);
    _arb_vec_clear(K1, 4);
    return st == 0 ? 0 : -1;
}

/* neft_onen_ntk1_single's recursion (every row but sigmoid) */
static int
ntk1_single_rec(neft_onen_ntk1_struct * T, const neft_onen_layer_struct * layers,
                const neft_onen_params_t par, const fmpq_t lambda_b, const fmpq_t lambda_w)
{
    slong l, depth = par->net->depth, prec = par->prec;
    ball_ctx_t ctx;
    arb_t cw, cb, lb, lw, th1;
    int k, status = 0;

    arb_init(cw); arb_init(cb); arb_init(lb); arb_init(lw); arb_init(th1);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    arb_set_fmpq(lb, lambda_b, prec);
    arb_set_fmpq(lw, lambda_w, prec);
    /* layer 1: Theta^(1) = lambda_b + lambda_W (K^(1) - C_b)/C_W, deterministic */
    arb_sub(th1, layers[0].K, cb, prec);
    arb_div(th1, th1, cw, prec);
    arb_mul(th1, th1, lw, prec);
    arb_add(th1, th1, lb, prec);
    ctx.layers = layers;
    ctx.net = par->net;
    ctx.prec = prec;
    if (!neft_onen_ntk1_has(par->net, NULL))
        status = NEFT_UNSUPPORTED;
    else if (ntk1_run(&ball_kind, T, depth, th1, cw, lb, lw, ball_layer, &ctx, prec))
        status = -1;
    for (l = 0; l < depth; l++)
    {
        int bad = status != 0;
        for (k = 0; k < NTK1_NF; k++)
            bad |= !arb_is_finite(field(&ball_kind, T, l, k));
        if (bad)
        {
            if (status == 0)
                status = -1;
            for (k = 0; k < NTK1_NF; k++)
                arb_indeterminate(field(&ball_kind, T, l, k));
        }
    }
    arb_clear(cw); arb_clear(cb); arb_clear(lb); arb_clear(lw); arb_clear(th1);
    return status;
}

int
neft_onen_ntk1_single(neft_onen_ntk1_struct * T, const neft_onen_layer_struct * layers,
                      const neft_onen_params_t par, const fmpq_t lambda_b,
                      const fmpq_t lambda_w)
{
    if (!strcmp(par->net->act->name, "sigmoid"))
        return ntk1_via_ntk2(T, layers, par, lambda_b, lambda_w);
    return ntk1_single_rec(T, layers, par, lambda_b, lambda_w);
}

/* the exact run's layer data: the exact table and the piecewise-linear
   moments <sigma^2> = mu1 K, Var sigma^2 = v2 K^2, <sigma'^2> = mup,
   <sigma'^4> = s4, <sigma^2 sigma'^2> = s4 K, <sigma sigma'^2 sigma''> = 0 */
typedef struct
{
    const neft_onen_exact_struct * E;
    const neft_net_struct * net;
    fmpq_t mu1, v2, mup, s4;
}
exact_ctx_t;

static int
exact_layer(void * ctx, slong l, char * mm, void * V, void * G1, void * r)
{
    const exact_ctx_t * c = ctx;
    const neft_onen_exact_struct * L = c->E + l - 1;
    fmpq * m = (fmpq *) mm;
    slong num, den;
    fmpq_set(V, L->V);
    fmpq_set(G1, L->G1);
    fmpq_mul(m + M_C1, c->mu1, L->K);
    fmpq_set(m + M_C1P, c->mu1);
    fmpq_zero(m + M_C1PP);
    fmpq_mul(m + M_C2, L->K, L->K);
    fmpq_mul(m + M_C2, m + M_C2, c->v2);
    fmpq_set(m + M_P, c->mup);
    fmpq_zero(m + M_PP);
    fmpq_zero(m + M_PPP);
    fmpq_set(m + M_S4, c->s4);
    fmpq_mul(m + M_X22, c->s4, L->K);
    fmpq_zero(m + M_Y);
    _neft_onen_ratio_si(&num, &den, c->net, l);
    fmpq_set_si(r, num, den);
    return 0;
}

int
neft_onen_ntk1_single_exact(neft_onen_ntk1_exact_struct * T, const neft_onen_exact_struct * E,
                            const neft_net_t net, const fmpq_t lambda_b, const fmpq_t lambda_w)
{
    exact_ctx_t c;
    fmpq_t mu2, ap, am, th1;
    int status;

    if (!neft_onen_is_scale_invariant(net))
        return NEFT_UNSUPPORTED;
    c.E = E;
    c.net = net;
    fmpq_init(c.mu1); fmpq_init(c.v2); fmpq_init(c.mup); fmpq_init(c.s4);
    fmpq_init(mu2); fmpq_init(ap); fmpq_init(am); fmpq_init(th1);
    /* <sigma^2> = mu1 K, <sigma^4> = mu2 K^2, <sigma'^2> = mup; the slopes' fourth
       powers give <sigma'^4> = s4 and <sigma^2 sigma'^2> = s4 K */
    neft_onen_exact_moment(c.mu1, net, 1);
    neft_onen_exact_moment(mu2, net, 2);
    neft_onen_exact_moment(c.mup, net, 0);
    fmpq_mul(c.v2, c.mu1, c.mu1);
    fmpq_sub(c.v2, mu2, c.v2);
    _neft_onen_pl_slopes(ap, am, net);
    fmpq_pow_si(ap, ap, 4);
    fmpq_pow_si(am, am, 4);
    fmpq_add(c.s4, ap, am);
    fmpq_div_2exp(c.s4, c.s4, 1);
    fmpq_sub(th1, E[0].K, net->cb);
    fmpq_div(th1, th1, net->cw);
    fmpq_mul(th1, th1, lambda_w);
    fmpq_add(th1, th1, lambda_b);
    status = ntk1_run(&exact_kind, T, net->depth, th1, net->cw, lambda_b, lambda_w,
                      exact_layer, &c, 0) == NEFT_INTERRUPTED ? NEFT_INTERRUPTED : NEFT_SUCCESS;
    fmpq_clear(c.mu1); fmpq_clear(c.v2); fmpq_clear(c.mup); fmpq_clear(c.s4);
    fmpq_clear(mu2); fmpq_clear(ap); fmpq_clear(am); fmpq_clear(th1);
    return status;
}

void
neft_onen_ntk1_single_cost(double * ops, double * bytes, const neft_onen_params_t par,
                           const fmpq_t k1)
{
    double o, b, bits;
    /* the layer table, then per layer its moments again and about 150 ball
       operations (less than the table's 200): the table's estimate twice; the
       exact rationals of the table and six more per layer of about V's size */
    neft_onen_single_cost(&o, &b, par, fmpq_get_d(k1));
    *ops = 2 * o;
    *bytes = 2 * b;
    neft_onen_single_exact_cost(&o, &b, &bits, par->net, k1);
    *ops += 2 * o;
    *bytes += 2 * b;
}
