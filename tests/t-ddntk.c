/* The ddNTK of one input (neft_onen_ddntk_single, src/onen/ddntk.c; docs/
   onen.md, "The ddNTK") against:

   1. sampled finite-width nets, with derivatives taken here: per net the
      gradients u_a = Lambda grad z_a of the two outputs (tests/ntk-sampler.h),
      then a forward pass at theta + e1 u_a + e2 u_b and a backward pass for
      output i, both in hyper-dual numbers, so that the gradient's e1 part is
      (d^2 z_i) u_a, its e2 part (d^2 z_i) u_b and its e1e2 part
      grad d^2 z_i[u_a, u_b].  Hence ddI H_{i0 i1 i2 i3} = d^3 z_{i0}[u_{i1},
      u_{i2}, u_{i3}] = (e1e2 part for i0, a = i1, b = i2) . u_{i3} and
      ddII H_{i1 i2 i3 i4} = (e part of i1 along u_{i3})^T Lambda (e part of i2
      along u_{i4}), and n E[.] over nets -> R (d^3 z_0[u_0, u_1, u_1],
      d^3 z_1[u_0, u_1, u_0]), 3R (d^3 z_0[u_0, u_0, u_0]), S (ddII_0011,
      ddII_1100), T (ddII_0101), U (ddII_0110), S + T + U (ddII_0000), and 0
      (d^3 z_0[u_0, u_1, u_0], ddII_0001).  Depth 2 is exact at every width:
      every pull must be below 4 (relu: R = U = 0 in every net, sigma'' = 0;
      tanh, erf, sin, sigmoid);
   2. the exact rationals of relu and leaky-relu against the hand formulas
      S = lambda_W C_W Theta^2 s4, T = lambda_W^2 Theta s4 K^(1), R = U = 0;
   3. the Gaussian expectations of tanh, sigmoid, erf, sin by a trapezoid rule
      here with the derivatives evaluated directly: R, S, T, U within 1e-9.

   1b. depth 3 (the step through layer 2's NTK statistics): relu,
      leaky-relu, tanh, erf, extrapolated from widths 16 and 32 as a + c/n
      within 4 errors (S's sigma''-term B s2 alone is 16 errors for tanh).

   `t-ddntk --bench N [L [ACT W0 W1]]` prints the sampled values (docs/onen.md's
   tables). */

#include <math.h>
#include <string.h>
#include "neft/onen.h"
#include "neft-test.h"
#include "ntk-sampler.h"

typedef ntks_act_t act_t;

static const act_t LEAKY = {"leaky-relu", ntks_l0, ntks_l1, ntks_zero, ntks_zero},
                   RELU = {"relu", ntks_r0, ntks_r1, ntks_zero, ntks_zero},
                   TANH = {"tanh", ntks_t0, ntks_t1, ntks_t2, ntks_t3},
                   ERF = {"erf", ntks_e0, ntks_e1, ntks_e2, ntks_e3},
                   SIN = {"sin", ntks_s0, ntks_s1, ntks_s2, ntks_s3},
                   SIGMOID = {"sigmoid", ntks_g0, ntks_g1, ntks_g2, ntks_g3};

/* estimators per net, times n */
enum { E_R, E_3R, E_S, E_T, E_U, E_STU, E_NULL1, E_NULL2, E_N };
static const char * const ename[E_N] = {"R", "3R", "S", "T", "U", "S+T+U", "0 (ddI_0010)",
                                        "0 (ddII_0001)"};

static void
measure(double * mean, double * se, int L, int n, int nets, double x, double cw, double cb,
        double lb, double lw, const act_t * A)
{
    ntks_hd_t N;
    ntks_hd3_t H;
    double sum[E_N], sum2[E_N];
    double * lam, * u0, * u1, * G[2][2], * E12[2], * g0v, * e3;
    int np, k, e, o;

    ntks_hd_init(&N, L, n, 1, 1, 2, &x);
    ntks_hd3_init(&H, &N.n);
    np = ntks_nparams(&N.n);
    lam = malloc(sizeof(double) * np); u0 = malloc(sizeof(double) * np);
    u1 = malloc(sizeof(double) * np); g0v = malloc(sizeof(double) * np);
    e3 = malloc(sizeof(double) * np);
    for (o = 0; o < 2; o++)
    {
        G[o][0] = malloc(sizeof(double) * np);
        G[o][1] = malloc(sizeof(double) * np);
        E12[o] = malloc(sizeof(double) * np);
    }
    ntks_flat_lambda(lam, &N.n, lb, lw);
    memset(sum, 0, sizeof sum);
    memset(sum2, 0, sizeof sum2);
    for (k = 0; k < nets; k++)
    {
        double est[E_N];
        ntks_hd_sample(&N, cw, cb, lb, lw, A->f, A->f1);
        ntks_flat_u(u0, &N, 0);
        ntks_flat_u(u1, &N, 1);
        ntks_hd3_forward(&H, &N, 0, 0, 1, A);
        for (o = 0; o < 2; o++)
        {
            ntks_hd3_backward(&H, &N, 0, 1, o, A);
            ntks_grad_part(G[o][0], &H, &N.n, 1);     /* (d^2 z_o) u_0 */
            ntks_grad_part(G[o][1], &H, &N.n, 2);     /* (d^2 z_o) u_1 */
            ntks_grad_part(E12[o], &H, &N.n, 3);      /* grad d^2 z_o[u_0, u_1] */
        }
        est[E_R] = 0.5 * (ntks_dot(E12[0], u1, NULL, np) + ntks_dot(E12[1], u0, NULL, np));
        est[E_NULL1] = ntks_dot(E12[0], u0, NULL, np);
        est[E_S] = 0.5 * (ntks_dot(G[0][1], G[0][1], lam, np)
                          + ntks_dot(G[1][0], G[1][0], lam, np));
        est[E_T] = ntks_dot(G[0][0], G[1][1], lam, np);
        est[E_U] = ntks_dot(G[0][1], G[1][0], lam, np);
        est[E_NULL2] = ntks_dot(G[0][0], G[0][1], lam, np);
        ntks_hd3_forward(&H, &N, 0, 0, 0, A);
        ntks_hd3_backward(&H, &N, 0, 0, 0, A);
        ntks_grad_part(g0v, &H, &N.n, 1);
        ntks_grad_part(e3, &H, &N.n, 3);
        est[E_3R] = ntks_dot(e3, u0, NULL, np);
        est[E_STU] = ntks_dot(g0v, g0v, lam, np);
        for (e = 0; e < E_N; e++)
        {
            sum[e] += n * est[e];
            sum2[e] += (n * est[e]) * (n * est[e]);
        }
    }
    for (e = 0; e < E_N; e++)
    {
        mean[e] = sum[e] / nets;
        se[e] = sqrt(fmax(sum2[e] / nets - mean[e] * mean[e], 0) / (nets - 1));
    }
    for (o = 0; o < 2; o++)
    {
        free(G[o][0]); free(G[o][1]); free(E12[o]);
    }
    free(lam); free(u0); free(u1); free(g0v); free(e3);
    ntks_hd3_clear(&H, &N.n);
    ntks_hd_clear(&N);
}

/* the computed R, S, T, U (midpoints) of the net (act, cw, cb as strings) at
   depth L from K^(1) = C_b + C_W x^2 */
static void
computed_at(double * v, const char * act, const char * cw, const char * cb, double x,
            const char * lb, const char * lw, int L)
{
    neft_onen_params_t par;
    neft_onen_layer_struct * Ls;
    neft_onen_ddntk_struct * D;
    fmpq_t qb, qw;
    arb_t k1;
    fmpq_init(qb); fmpq_init(qw); arb_init(k1);
    ntks_params(par, qb, qw, act, cw, cb, lb, lw, L, 128, 1);
    arb_set_d(k1, ntks_qd(cb) + ntks_qd(cw) * x * x);
    Ls = neft_onen_layers_init(L);
    D = neft_onen_ddntk_init(L);
    if (neft_onen_single(Ls, par, k1) || neft_onen_ddntk_single(D, Ls, par, qb, qw))
        FAIL("%s: the ddNTK failed", act);
    if (arb_rel_accuracy_bits(D[L - 1].S) < 40)
        FAIL("%s: S not to 40 bits", act);
    v[0] = arf_get_d(arb_midref(D[L - 1].R), ARF_RND_NEAR);
    v[1] = arf_get_d(arb_midref(D[L - 1].S), ARF_RND_NEAR);
    v[2] = arf_get_d(arb_midref(D[L - 1].T), ARF_RND_NEAR);
    v[3] = arf_get_d(arb_midref(D[L - 1].U), ARF_RND_NEAR);
    neft_onen_ddntk_clear(D, L);
    neft_onen_layers_clear(Ls, L);
    fmpq_clear(qb); fmpq_clear(qw); arb_clear(k1);
    neft_onen_params_clear(par);
}

static void
computed(double * v, const char * act, const char * cw, const char * cb, double x,
         const char * lb, const char * lw)
{
    computed_at(v, act, cw, cb, x, lb, lw, 2);
}

/* 1b. depth 3 (the recursion through the NTK and dNTK statistics of layer
   2): the measurements at widths n and 2n extrapolated as a + c/n, a within
   4 errors of the computed value */
static void
check_deep(const act_t * A, const char * cw, const char * cb, double x, const char * lb,
           const char * lw, int n, int nets)
{
    double v[4], pred[E_N], m1[E_N], s1[E_N], m2[E_N], s2[E_N];
    int e;
    computed_at(v, A->name, cw, cb, x, lb, lw, 3);
    pred[E_R] = v[0]; pred[E_3R] = 3 * v[0]; pred[E_S] = v[1]; pred[E_T] = v[2];
    pred[E_U] = v[3]; pred[E_STU] = v[1] + v[2] + v[3]; pred[E_NULL1] = pred[E_NULL2] = 0;
    measure(m1, s1, 3, n, nets, x, ntks_qd(cw), ntks_qd(cb), ntks_qd(lb), ntks_qd(lw), A);
    measure(m2, s2, 3, 2 * n, nets / 2, x, ntks_qd(cw), ntks_qd(cb), ntks_qd(lb), ntks_qd(lw),
            A);
    for (e = 0; e < E_N; e++)
    {
        double a = 2 * m2[e] - m1[e], se = sqrt(4 * s2[e] * s2[e] + s1[e] * s1[e]);
        double pull = se > 0 ? (a - pred[e]) / se : 0;
        printf("  %s depth 3, widths %d, %d: n E = %9.4f +/- %.4f, %9.4f +/- %.4f -> %9.4f "
               "+/- %.4f  computed %s = %9.4f  pull %5.2f\n", A->name, n, 2 * n, m1[e], s1[e],
               m2[e], s2[e], a, se, ename[e], pred[e], pull);
        if (fabs(pull) > 4 || (se == 0 && fabs(a - pred[e]) > 1e-12))
            FAIL("%s depth 3: %s extrapolated %g +/- %g, computed %g", A->name, ename[e], a,
                 se, pred[e]);
    }
}

/* 1. sampled nets at depth 2 against the computed values */
static void
check_sampled(const act_t * A, const char * cw, const char * cb, double x, const char * lb,
              const char * lw, int n, int nets)
{
    double v[4], pred[E_N], mean[E_N], se[E_N];
    int e;
    computed(v, A->name, cw, cb, x, lb, lw);
    pred[E_R] = v[0]; pred[E_3R] = 3 * v[0]; pred[E_S] = v[1]; pred[E_T] = v[2];
    pred[E_U] = v[3]; pred[E_STU] = v[1] + v[2] + v[3]; pred[E_NULL1] = pred[E_NULL2] = 0;
    measure(mean, se, 2, n, nets, x, ntks_qd(cw), ntks_qd(cb), ntks_qd(lb), ntks_qd(lw), A);
    for (e = 0; e < E_N; e++)
    {
        double pull = se[e] > 0 ? (mean[e] - pred[e]) / se[e] : 0;
        printf("  %s depth 2 width %d, %d nets: n E = %10.5f +/- %.5f  computed %s = %10.5f"
               "  pull %5.2f\n", A->name, n, nets, mean[e], se[e], ename[e], pred[e], pull);
        if (se[e] == 0 ? fabs(mean[e] - pred[e]) > 1e-12 * (1 + fabs(pred[e]))
                       : fabs(pull) > 4)
            FAIL("%s: %s measured %g +/- %g, computed %g", A->name, ename[e], mean[e], se[e],
                 pred[e]);
    }
}

/* 2. exact rationals (relu C_W = 2, C_b = 0; leaky-relu slope 1/5, C_W = 3/2,
   C_b = 1/10) against the hand formulas */
static void
check_exact(void)
{
    neft_onen_params_t par;
    neft_onen_exact_struct * E;
    neft_onen_ddntk_exact_struct * X;
    fmpq_t k1, lb, lw, th, s4, want;
    int c;
    for (c = 0; c < 2; c++)
    {
        char err[256];
        neft_onen_params_init(par);
        fmpq_init(k1); fmpq_init(lb); fmpq_init(lw); fmpq_init(th); fmpq_init(s4);
        fmpq_init(want);
        if (c == 0)
        {
            ntks_set_net(par, "relu", "2", "0", 2, 64);
            fmpq_set_si(k1, 1, 1); fmpq_set_si(lb, 1, 1); fmpq_set_si(lw, 1, 1);
            fmpq_set_si(s4, 1, 2);             /* (1 + 0)/2 */
        }
        else
        {
            fmpq_t sl;
            fmpq_init(sl);
            if (neft_net_set_act_name(par->net, "leaky-relu", "1/5", err, sizeof err))
                FAIL("%s", err);
            fmpq_set_si(sl, 3, 2); neft_net_set_cw(par->net, sl);
            fmpq_set_si(sl, 1, 10); neft_net_set_cb(par->net, sl);
            neft_net_set_depth_recursion(par->net, 2);
            fmpq_set_si(k1, 7, 5); fmpq_set_si(lb, 1, 2); fmpq_set_si(lw, 2, 1);
            fmpq_set_si(s4, 626, 1250);        /* (1 + 1/625)/2 */
            fmpq_clear(sl);
        }
        /* Theta = lambda_b + lambda_W (K - C_b)/C_W */
        fmpq_sub(th, k1, par->net->cb);
        fmpq_div(th, th, par->net->cw);
        fmpq_mul(th, th, lw);
        fmpq_add(th, th, lb);
        E = neft_onen_exact_init(2);
        X = neft_onen_ddntk_exact_init(2);
        if (neft_onen_single_exact(E, par->net, k1) != NEFT_SUCCESS
            || neft_onen_ddntk_single_exact(X, E, par->net, lb, lw) != NEFT_SUCCESS)
            FAIL("exact ddNTK failed");
        fmpq_mul(want, th, th);
        fmpq_mul(want, want, par->net->cw);
        fmpq_mul(want, want, lw);
        fmpq_mul(want, want, s4);
        if (!fmpq_equal(want, X[1].S) || !fmpq_is_zero(X[1].R) || !fmpq_is_zero(X[1].U)
            || !fmpq_is_zero(X[0].S) || !fmpq_is_zero(X[0].T))
            FAIL("exact S (or a zero) wrong, case %d", c);
        fmpq_mul(want, lw, lw);
        fmpq_mul(want, want, th);
        fmpq_mul(want, want, s4);
        fmpq_mul(want, want, k1);
        if (!fmpq_equal(want, X[1].T))
            FAIL("exact T wrong, case %d", c);
        if (c == 0)
        {
            fmpq_set_si(want, 9, 4);
            if (!fmpq_equal(want, X[1].S))
                FAIL("relu S != 9/4");
            fmpq_set_si(want, 3, 4);
            if (!fmpq_equal(want, X[1].T))
                FAIL("relu T != 3/4");
        }
        neft_onen_exact_clear(E, 2);
        neft_onen_ddntk_exact_clear(X, 2);
        fmpq_clear(k1); fmpq_clear(lb); fmpq_clear(lw); fmpq_clear(th); fmpq_clear(s4);
        fmpq_clear(want);
        neft_onen_params_clear(par);
    }
}

/* 3. the five expectations by the trapezoid rule on z = sqrt(K) t, |t| <= 12,
   with the row's derivatives evaluated here, then R, S, T, U */
static void
check_quadrature(const act_t * A, const char * cw, const char * cb, double x, const char * lb,
                 const char * lw)
{
    double K = ntks_qd(cb) + ntks_qd(cw) * x * x, c = ntks_qd(cw), L = ntks_qd(lw);
    double th = ntks_qd(lb) + L * (K - ntks_qd(cb)) / c;
    double m[5] = {0, 0, 0, 0, 0}, h = 1.0 / 256, want[4], v[4];
    int i, k;
    for (i = -12 * 256; i <= 12 * 256; i++)
    {
        double t = i * h, z = sqrt(K) * t, w = h * exp(-t * t / 2) / sqrt(2 * M_PI);
        double s = A->f(z), d1 = A->f1(z), d2 = A->f2(z), d3 = A->f3(z);
        m[0] += w * d1 * d1 * d1 * d1;               /* s4 */
        m[1] += w * s * s * d1 * d1;                 /* x */
        m[2] += w * s * d1 * d1 * d2;                /* y */
        m[3] += w * d1 * d1 * d2 * d2;               /* v */
        m[4] += w * d1 * d1 * d1 * d3;               /* w */
    }
    want[0] = c * th * th * (L * m[2] + c * th * m[4]);
    want[1] = c * th * th * (L * m[0] + c * th * m[3]);
    want[3] = c * c * th * th * th * m[3];
    want[2] = L * L * th * m[1] + 2 * L * c * th * th * m[2] + want[3];
    computed(v, A->name, cw, cb, x, lb, lw);
    for (k = 0; k < 4; k++)
        if (fabs(v[k] - want[k]) > 1e-9 * (1 + fabs(want[k])))
            FAIL("%s: %c = %.15g, quadrature %.15g", A->name, "RSTU"[k], v[k], want[k]);
    printf("  %s: R, S, T, U = %.10g, %.10g, %.10g, %.10g (quadrature agrees to 1e-9)\n",
           A->name, v[0], v[1], v[2], v[3]);
}

/* `--bench N [L [ACT W0 W1]]`: N nets at width 8 (N 8/w at width w, w = 8,
   16, .. or W0..W1 doubling) for relu and tanh (or ACT alone: relu, leaky-relu
   with the tanh parameters, tanh, erf, sin, sigmoid at C_W = 4) */
static void
bench(int nets, int Lmin, int Lmax, const char * act, int w0, int w1)
{
    const act_t * acts[6] = {&RELU, &TANH, &ERF, &SIN, &SIGMOID, &LEAKY};
    int a, L, w;
    for (a = 0; a < 6; a++)
    {
        if (act == NULL ? a > 1 : strcmp(act, acts[a]->name))
            continue;
        for (L = Lmin; L <= Lmax; L++)
            for (w = w0; w <= w1; w *= 2)
            {
                double mean[E_N], se[E_N];
                int e, nn = act == NULL ? nets : (int) ((double) nets * w0 / w);
                if (a == 0)
                    measure(mean, se, L, w, nn, 1, 2, 0.2, 1, 1, acts[a]);
                else
                    measure(mean, se, L, w, nn, 1, a == 4 ? 4 : 1.5, 0.1, 0.5, 2, acts[a]);
                printf("%s depth %d width %d, %d nets:", acts[a]->name, L, w, nn);
                for (e = 0; e < E_N; e++)
                    printf("  %s %.4f +/- %.4f", ename[e], mean[e], se[e]);
                printf("\n");
                fflush(stdout);
            }
    }
}

/* Bias-free relu at criticality (C_W = 2, K = 1, lambda_b = 0, lambda_W = 1),
   from the recursion with Theta = l/2, B^(l) = Sum_{m<l} m^2/2, F^(l) =
   l(l-1)/2, P^(l) = (l-1)l(l+1)/6 (docs/onen.md): S^(l) = (1/2) Sum_{k=2..l}
   B^(k), T^(l) = Sum_{k=2..l} [F^(k)/4 + P^(k-1)/2], written out here as sums */
static void
ddntk_crit_relu(fmpq_t S, fmpq_t T, slong l)
{
    slong k;
    fmpq_t t;
    fmpq_init(t);
    fmpq_zero(S);
    fmpq_zero(T);
    for (k = 2; k <= l; k++)
    {
        fmpq_set_si(t, (k - 1) * k * (2 * k - 1), 24);      /* B^(k)/2 */
        fmpq_add(S, S, t);
        fmpq_set_si(t, k * (k - 1), 8);                     /* F^(k)/4 */
        fmpq_add(T, T, t);
        fmpq_set_si(t, (k - 2) * (k - 1) * k, 12);          /* P^(k-1)/2 */
        fmpq_add(T, T, t);
    }
    fmpq_clear(t);
}

/* 2b. bias-free relu at criticality, depth 6: the exact rationals against
   ddntk_crit_relu, the balls against the rationals; tanh at depth 3 refused */
static void
check_deep_exact(void)
{
    neft_onen_params_t par;
    neft_onen_exact_struct * E;
    neft_onen_layer_struct * Ls;
    neft_onen_ddntk_exact_struct * X;
    neft_onen_ddntk_struct * D;
    fmpq_t k1, lb, lw;
    arb_t kk;
    slong l, L = 6;
    neft_onen_params_init(par);
    fmpq_init(k1); fmpq_init(lb); fmpq_init(lw); arb_init(kk);
    ntks_set_net(par, "relu", "2", "0", L, 128);
    fmpq_one(k1); fmpq_zero(lb); fmpq_one(lw);
    arb_one(kk);
    E = neft_onen_exact_init(L);
    X = neft_onen_ddntk_exact_init(L);
    Ls = neft_onen_layers_init(L);
    D = neft_onen_ddntk_init(L);
    if (neft_onen_single_exact(E, par->net, k1) != NEFT_SUCCESS
        || neft_onen_ddntk_single_exact(X, E, par->net, lb, lw) != NEFT_SUCCESS
        || neft_onen_single(Ls, par, kk) || neft_onen_ddntk_single(D, Ls, par, lb, lw))
        FAIL("relu depth 6 failed");
    for (l = 1; l <= L; l++)
    {
        fmpq_t s, t;
        fmpq_init(s); fmpq_init(t);
        ddntk_crit_relu(s, t, l);
        if (!fmpq_equal(s, X[l - 1].S) || !fmpq_equal(t, X[l - 1].T)
            || !fmpq_is_zero(X[l - 1].R) || !fmpq_is_zero(X[l - 1].U))
            FAIL("critical relu layer %ld: S, T not the closed forms", (long) l);
        if (!arb_contains_fmpq(D[l - 1].S, X[l - 1].S)
            || !arb_contains_fmpq(D[l - 1].T, X[l - 1].T))
            FAIL("balls do not contain the rationals at layer %ld", (long) l);
        fmpq_clear(s); fmpq_clear(t);
    }
    neft_onen_exact_clear(E, L);
    neft_onen_ddntk_exact_clear(X, L);
    neft_onen_layers_clear(Ls, L);
    neft_onen_ddntk_clear(D, L);
    ntks_set_net(par, "tanh", "1", "0", 3, 128);
    if (!neft_onen_ddntk_has(par->net, NULL))
        FAIL("tanh depth 3 refused");
    ntks_set_net(par, "gelu", "1", "0", 2, 128);
    if (neft_onen_ddntk_has(par->net, NULL))
        FAIL("gelu not refused");
    fmpq_clear(k1); fmpq_clear(lb); fmpq_clear(lw); arb_clear(kk);
    neft_onen_params_clear(par);
}

int
main(int argc, char ** argv)
{
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    if (argc > 2 && !strcmp(argv[1], "--bench"))
    {
        bench(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 2, argc > 3 ? atoi(argv[3]) : 3,
              argc > 6 ? argv[4] : NULL, argc > 6 ? atoi(argv[5]) : 8,
              argc > 6 ? atoi(argv[6]) : 32);
        return 0;
    }
    check_exact();
    check_deep_exact();
    check_quadrature(&TANH, "3/2", "1/10", 1, "1/2", "2");
    check_quadrature(&SIGMOID, "4", "1/10", 1, "1/2", "2");
    check_quadrature(&ERF, "3/2", "1/10", 1, "1/2", "2");
    check_quadrature(&SIN, "3/2", "1/10", 1, "1/2", "2");
    check_sampled(&RELU, "2", "1/5", 1, "1", "1", 8, quick ? 5000 : 40000);
    check_sampled(&TANH, "3/2", "1/10", 1, "1/2", "2", 8, quick ? 5000 : 40000);
    check_sampled(&TANH, "3/2", "1/10", 1, "1/2", "2", 24, quick ? 2000 : 10000);
    check_sampled(&ERF, "3/2", "1/10", 1, "1/2", "2", 8, quick ? 5000 : 40000);
    check_sampled(&SIN, "3/2", "1/10", 1, "1/2", "2", 8, quick ? 5000 : 40000);
    check_sampled(&SIGMOID, "4", "1/10", 1, "1/2", "2", 8, quick ? 5000 : 40000);
    check_deep(&RELU, "2", "1/5", 1, "1", "1", 16, quick ? 4000 : 60000);
    check_deep(&LEAKY, "3/2", "1/10", 1, "1/2", "2", 16, quick ? 4000 : 60000);
    check_deep(&TANH, "3/2", "1/10", 1, "1/2", "2", 16, quick ? 4000 : 60000);
    check_deep(&ERF, "3/2", "1/10", 1, "1/2", "2", 16, quick ? 4000 : 60000);
    flint_cleanup();
    printf("PASS\n");
    return 0;
}
