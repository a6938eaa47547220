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
   (sigma' = 1 - sigma^2), closed forms for erf and sin. */

#include <string.h>
#include "neft/onen.h"
#include "onen_private.h"

neft_onen_ntk1_struct *
neft_onen_ntk1_init(slong depth)
{
    neft_onen_ntk1_struct * T = flint_malloc(sizeof(neft_onen_ntk1_struct) * FLINT_MAX(depth, 1));
    slong l;
    for (l = 0; l < depth; l++)
    {
        arb_init(T[l].theta); arb_init(T[l].theta1); arb_init(T[l].A);
        arb_init(T[l].B); arb_init(T[l].D); arb_init(T[l].F);
        arb_init(T[l].P); arb_init(T[l].Q);
    }
    return T;
}

void
neft_onen_ntk1_clear(neft_onen_ntk1_struct * T, slong depth)
{
    slong l;
    for (l = 0; l < depth; l++)
    {
        arb_clear(T[l].theta); arb_clear(T[l].theta1); arb_clear(T[l].A);
        arb_clear(T[l].B); arb_clear(T[l].D); arb_clear(T[l].F);
        arb_clear(T[l].P); arb_clear(T[l].Q);
    }
    flint_free(T);
}

neft_onen_ntk1_exact_struct *
neft_onen_ntk1_exact_init(slong depth)
{
    neft_onen_ntk1_exact_struct * T
        = flint_malloc(sizeof(neft_onen_ntk1_exact_struct) * FLINT_MAX(depth, 1));
    slong l;
    for (l = 0; l < depth; l++)
    {
        fmpq_init(T[l].theta); fmpq_init(T[l].theta1); fmpq_init(T[l].A);
        fmpq_init(T[l].B); fmpq_init(T[l].D); fmpq_init(T[l].F);
        fmpq_init(T[l].P); fmpq_init(T[l].Q);
    }
    return T;
}

void
neft_onen_ntk1_exact_clear(neft_onen_ntk1_exact_struct * T, slong depth)
{
    slong l;
    for (l = 0; l < depth; l++)
    {
        fmpq_clear(T[l].theta); fmpq_clear(T[l].theta1); fmpq_clear(T[l].A);
        fmpq_clear(T[l].B); fmpq_clear(T[l].D); fmpq_clear(T[l].F);
        fmpq_clear(T[l].P); fmpq_clear(T[l].Q);
    }
    flint_free(T);
}

int
neft_onen_ntk1_has(const neft_net_t net, const char ** reason)
{
    static _Thread_local char why[256];
    const char * name = net->act->name;
    if (neft_onen_is_scale_invariant(net) || !strcmp(name, "tanh") || !strcmp(name, "erf")
        || !strcmp(name, "sin"))
        return 1;
    if (reason != NULL)
    {
        snprintf(why, sizeof why, "%s: the NTK at O(1/n) needs <sigma^2 sigma'^2> and "
                 "<sigma'^4>, which onen has for relu, leaky-relu, linear, tanh, erf and sin "
                 "only", name);
        *reason = why;
    }
    return 0;
}

/* The Gaussian data of one layer step, indices of the array m */
#define M_C1   0   /* <sigma^2>_K */
#define M_C1P  1   /* d/dK */
#define M_C1PP 2   /* d^2/dK^2 */
#define M_C2   3   /* Var sigma^2 */
#define M_P    4   /* <sigma'^2>_K */
#define M_PP   5   /* d/dK */
#define M_PPP  6   /* d^2/dK^2 */
#define M_S4   7   /* <sigma'^4>_K */
#define M_X22  8   /* <sigma^2 sigma'^2>_K */
#define M_Y    9   /* <sigma sigma'^2 sigma''>_K */
#define M_N    10

/* m[0..M_N-1] at K (k1: K^(1), unused by these rows).  0, or -1 if a ball
   is not finite. */
static int
ntk1_moments(arb_ptr m, const neft_net_t net, const arb_t K, const arb_t k1, slong prec)
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

/* One step layer l -> l+1 (docs/onen.md), the same text for balls and
   rationals: ADD, SUB, MUL(x, y, z) with x = y op z, SET(x, y); in: th, th1,
   A, B, D, F of layer l and V, G1 of its kernel, the moments c1 .. x22, r =
   n_l/n_{l-1}, cw, lb, lw, half; out: nth, nth1, nA, nB, nD, nF; t, u, U,
   Vg scratch. */
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

#define B_ADD(x, y, z) arb_add(x, y, z, prec)
#define B_SUB(x, y, z) arb_sub(x, y, z, prec)
#define B_MUL(x, y, z) arb_mul(x, y, z, prec)
#define B_SET(x, y) arb_set(x, y)
#define Q_ADD(x, y, z) fmpq_add(x, y, z)
#define Q_SUB(x, y, z) fmpq_sub(x, y, z)
#define Q_MUL(x, y, z) fmpq_mul(x, y, z)
#define Q_SET(x, y) fmpq_set(x, y)

int
neft_onen_ntk1_single(neft_onen_ntk1_struct * T, const neft_onen_layer_struct * layers,
                      const neft_onen_params_t par, const fmpq_t lambda_b,
                      const fmpq_t lambda_w)
{
    slong l, depth = par->net->depth, prec = par->prec, num, den;
    arb_ptr m = _arb_vec_init(M_N);
    arb_t cw, cb, lb, lw, half, r, t, u, U, Vg;
    int status = 0;

    if (!neft_onen_ntk1_has(par->net, NULL))
        status = NEFT_UNSUPPORTED;
    arb_init(cw); arb_init(cb); arb_init(lb); arb_init(lw); arb_init(half); arb_init(r);
    arb_init(t); arb_init(u); arb_init(U); arb_init(Vg);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    arb_set_fmpq(lb, lambda_b, prec);
    arb_set_fmpq(lw, lambda_w, prec);
    arb_set_d(half, 0.5);
    /* layer 1: Theta^(1) = lambda_b + lambda_W (K^(1) - C_b)/C_W, deterministic */
    arb_sub(T[0].theta, layers[0].K, cb, prec);
    arb_div(T[0].theta, T[0].theta, cw, prec);
    arb_mul(T[0].theta, T[0].theta, lw, prec);
    arb_add(T[0].theta, T[0].theta, lb, prec);
    arb_zero(T[0].theta1); arb_zero(T[0].A); arb_zero(T[0].B); arb_zero(T[0].D);
    arb_zero(T[0].F); arb_zero(T[0].P); arb_zero(T[0].Q);
    for (l = 1; l < depth && status == 0; l++)
    {
        const neft_onen_layer_struct * L = layers + l - 1;
        arb_srcptr c1 = m + M_C1, c1p = m + M_C1P, c1pp = m + M_C1PP, c2 = m + M_C2,
                   p = m + M_P, pp = m + M_PP, ppp = m + M_PPP, s4 = m + M_S4,
                   x22 = m + M_X22, y = m + M_Y, V = L->V, G1 = L->G1, th = T[l - 1].theta,
                   th1 = T[l - 1].theta1, A = T[l - 1].A, B = T[l - 1].B,
                   D = T[l - 1].D, F = T[l - 1].F, P = T[l - 1].P, Q = T[l - 1].Q;
        arb_ptr nth = T[l].theta, nth1 = T[l].theta1, nA = T[l].A, nB = T[l].B,
                nD = T[l].D, nF = T[l].F, nP = T[l].P, nQ = T[l].Q;
        if (neft_interrupted() || ntk1_moments(m, par->net, L->K, layers[0].K, prec))
        {
            status = -1;
            break;
        }
        _neft_onen_ratio_si(&num, &den, par->net, l);
        arb_set_si(r, num);
        arb_div_si(r, r, den, prec);
        NTK1_STEP(B_ADD, B_SUB, B_MUL, B_SET);
    }
    for (l = 0; l < depth; l++)
        if (status != 0 || !arb_is_finite(T[l].theta) || !arb_is_finite(T[l].theta1)
            || !arb_is_finite(T[l].A) || !arb_is_finite(T[l].B) || !arb_is_finite(T[l].D)
            || !arb_is_finite(T[l].F) || !arb_is_finite(T[l].P) || !arb_is_finite(T[l].Q))
        {
            if (status == 0)
                status = -1;
            arb_indeterminate(T[l].theta); arb_indeterminate(T[l].theta1);
            arb_indeterminate(T[l].A); arb_indeterminate(T[l].B);
            arb_indeterminate(T[l].D); arb_indeterminate(T[l].F);
            arb_indeterminate(T[l].P); arb_indeterminate(T[l].Q);
        }
    _arb_vec_clear(m, M_N);
    arb_clear(cw); arb_clear(cb); arb_clear(lb); arb_clear(lw); arb_clear(half); arb_clear(r);
    arb_clear(t); arb_clear(u); arb_clear(U); arb_clear(Vg);
    return status;
}

int
neft_onen_ntk1_single_exact(neft_onen_ntk1_exact_struct * T, const neft_onen_exact_struct * E,
                            const neft_net_t net, const fmpq_t lambda_b, const fmpq_t lambda_w)
{
    slong l, depth = net->depth, num, den;
    fmpq_t mu1, mu2, mup, s4q, c1, c1p, c1pp, c2, p, pp, ppp, s4, x22, y, half, r, t, u, U, Vg;
    fmpq_t ap, am;
    int status = NEFT_SUCCESS;

    if (!neft_onen_is_scale_invariant(net))
        return NEFT_UNSUPPORTED;
    fmpq_init(mu1); fmpq_init(mu2); fmpq_init(mup); fmpq_init(s4q); fmpq_init(c1);
    fmpq_init(c1p); fmpq_init(c1pp); fmpq_init(c2); fmpq_init(p); fmpq_init(pp);
    fmpq_init(ppp); fmpq_init(s4); fmpq_init(x22); fmpq_init(y); fmpq_init(half); fmpq_init(r);
    fmpq_init(t); fmpq_init(u); fmpq_init(U); fmpq_init(Vg); fmpq_init(ap); fmpq_init(am);
    /* <sigma^2> = mu1 K, <sigma^4> = mu2 K^2, <sigma'^2> = mup; the slopes' fourth
       powers give <sigma'^4> = s4 and <sigma^2 sigma'^2> = s4 K */
    neft_onen_exact_moment(mu1, net, 1);
    neft_onen_exact_moment(mu2, net, 2);
    neft_onen_exact_moment(mup, net, 0);
    _neft_onen_pl_slopes(ap, am, net);
    fmpq_pow_si(ap, ap, 4);
    fmpq_pow_si(am, am, 4);
    fmpq_add(s4q, ap, am);
    fmpq_div_2exp(s4q, s4q, 1);
    fmpq_set_si(half, 1, 2);
    fmpq_sub(T[0].theta, E[0].K, net->cb);
    fmpq_div(T[0].theta, T[0].theta, net->cw);
    fmpq_mul(T[0].theta, T[0].theta, lambda_w);
    fmpq_add(T[0].theta, T[0].theta, lambda_b);
    fmpq_zero(T[0].theta1); fmpq_zero(T[0].A); fmpq_zero(T[0].B); fmpq_zero(T[0].D);
    fmpq_zero(T[0].F); fmpq_zero(T[0].P); fmpq_zero(T[0].Q);
    for (l = 1; l < depth; l++)
    {
        const neft_onen_exact_struct * L = E + l - 1;
        const fmpq * V = L->V, * G1 = L->G1, * th = T[l - 1].theta, * th1 = T[l - 1].theta1,
                   * A = T[l - 1].A, * B = T[l - 1].B, * D = T[l - 1].D, * F = T[l - 1].F,
                   * P = T[l - 1].P, * Q = T[l - 1].Q,
                   * cw = net->cw, * lb = lambda_b, * lw = lambda_w;
        fmpq * nth = T[l].theta, * nth1 = T[l].theta1, * nA = T[l].A, * nB = T[l].B,
             * nD = T[l].D, * nF = T[l].F, * nP = T[l].P, * nQ = T[l].Q;
        if (neft_interrupted())
        {
            status = NEFT_INTERRUPTED;
            break;
        }
        fmpq_mul(c1, mu1, L->K);
        fmpq_set(c1p, mu1);
        fmpq_zero(c1pp);
        fmpq_mul(c2, L->K, L->K);
        fmpq_mul(t, mu1, mu1);
        fmpq_sub(t, mu2, t);
        fmpq_mul(c2, c2, t);
        fmpq_set(p, mup);
        fmpq_zero(pp);
        fmpq_zero(ppp);
        fmpq_set(s4, s4q);
        fmpq_mul(x22, s4q, L->K);
        fmpq_zero(y);
        _neft_onen_ratio_si(&num, &den, net, l);
        fmpq_set_si(r, num, den);
        NTK1_STEP(Q_ADD, Q_SUB, Q_MUL, Q_SET);
    }
    fmpq_clear(mu1); fmpq_clear(mu2); fmpq_clear(mup); fmpq_clear(s4q); fmpq_clear(c1);
    fmpq_clear(c1p); fmpq_clear(c1pp); fmpq_clear(c2); fmpq_clear(p); fmpq_clear(pp);
    fmpq_clear(ppp); fmpq_clear(s4); fmpq_clear(x22); fmpq_clear(y); fmpq_clear(half); fmpq_clear(r);
    fmpq_clear(t); fmpq_clear(u); fmpq_clear(U); fmpq_clear(Vg); fmpq_clear(ap); fmpq_clear(am);
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
