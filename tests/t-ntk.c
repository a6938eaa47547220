/* The frozen NTK of neft/onen.h (src/onen/ntk.c) against independent
   computations: the exact linear growth of ReLU's NTK at criticality,
   the arc-cosine kernels of degree 0 and 1 (Cho-Saul) written out here,
   a 2-D trapezoid quadrature of the Gaussian expectations for erf, sin,
   tanh and gelu, the large-depth law of the K* = 0 class (sin), and the
   empirical NTK sum_theta lambda df/dtheta df'/dtheta of sampled finite-width
   nets (the shared test sampler tests/ntk-sampler.h, own random numbers). */

#include <math.h>
#include <string.h>
#include "neft/onen.h"
#include "neft-test.h"
#include "ntk-sampler.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ReLU at C_W = 2, C_b = 0: K^(l) = K^(1), chi_perp = 1, so
   Theta^(l) = l (lambda_b + lambda_W K^(1)/2) exactly; leaky-relu at its
   critical C_W = 2/(1 + s^2) likewise with K^(1) (1 + s^2)/2. */
static void
test_critical_exact(void)
{
    const char * lbs[] = {"1", "0", "3/7"}, * lws[] = {"1", "5/3", "0"};
    slong depth = 40, l, j;
    neft_onen_params_t par;
    fmpq_t k1, lb, lw, want, t;
    fmpq * th = _fmpq_vec_init(depth);
    arb_ptr tb = _arb_vec_init(depth);
    neft_onen_exact_struct * E = neft_onen_exact_init(depth);
    neft_onen_layer_struct * L = neft_onen_layers_init(depth);
    arb_t kb;

    fmpq_init(k1); fmpq_init(lb); fmpq_init(lw); fmpq_init(want); fmpq_init(t);
    arb_init(kb);
    neft_onen_params_init(par);
    ntks_set_net(par, "relu", "2", "0", depth, 128);
    fmpq_set_si(k1, 7, 5);
    for (j = 0; j < 3; j++)
    {
        neft_onen_parse_rational(lb, lbs[j]);
        neft_onen_parse_rational(lw, lws[j]);
        CHECK(neft_onen_single_exact(E, par->net, k1) == NEFT_SUCCESS, "relu exact");
        CHECK(neft_onen_ntk_single_exact(th, E, par->net, lb, lw) == NEFT_SUCCESS, "ntk exact");
        arb_set_fmpq(kb, k1, 128);
        CHECK(neft_onen_single(L, par, kb) == 0, "relu balls");
        CHECK(neft_onen_ntk_single(tb, L, par, lb, lw) == 0, "ntk balls");
        for (l = 1; l <= depth; l++)
        {
            /* l (lambda_b + lambda_W K1 / 2) */
            fmpq_mul(want, lw, k1);
            fmpq_div_fmpz(want, want, (fmpz_t) {2});
            fmpq_add(want, want, lb);
            fmpq_mul_fmpz(want, want, (fmpz_t) {l});
            CHECK(fmpq_equal(th + l - 1, want), "relu critical: Theta^(%ld) is not "
                  "l (lambda_b + lambda_W K1/2) (lambda %s, %s)", (long) l, lbs[j], lws[j]);
            arb_set_fmpq(kb, want, 128);
            CHECK(arb_contains(tb + l - 1, kb) && arb_rel_accuracy_bits(tb + l - 1) > 100,
                  "relu critical: the ball of Theta^(%ld) misses it", (long) l);
        }
    }
    /* leaky-relu, slope 1/3: C_W = 2/(1 + 1/9) = 9/5 */
    {
        char err[256];
        if (neft_net_set_act_name(par->net, "leaky-relu", "1/3", err, sizeof err))
            FAIL("%s", err);
        neft_onen_parse_rational(t, "9/5"); neft_net_set_cw(par->net, t);
        neft_onen_parse_rational(lb, "1/2"); neft_onen_parse_rational(lw, "2");
        neft_onen_single_exact(E, par->net, k1);
        CHECK(neft_onen_ntk_single_exact(th, E, par->net, lb, lw) == NEFT_SUCCESS, "leaky");
        for (l = 1; l <= depth; l++)
        {
            fmpq_mul(want, lw, k1);
            fmpq_div(want, want, t);          /* x.x/n0 = K1/C_W */
            fmpq_add(want, want, lb);
            fmpq_mul_fmpz(want, want, (fmpz_t) {l});
            CHECK(fmpq_equal(th + l - 1, want), "leaky critical: Theta^(%ld)", (long) l);
        }
    }
    neft_onen_params_clear(par);
    _fmpq_vec_clear(th, depth);
    _arb_vec_clear(tb, depth);
    neft_onen_exact_clear(E, depth);
    neft_onen_layers_clear(L, depth);
    fmpq_clear(k1); fmpq_clear(lb); fmpq_clear(lw); fmpq_clear(want); fmpq_clear(t);
    arb_clear(kb);
}

/* ---- independent references in double precision ---------------------- */

typedef double (*fn_t)(double);
static double d_relu(double z) { return z > 0 ? z : 0; }
static double d_relu1(double z) { return z > 0 ? 1 : 0; }
static double d_tanh(double z) { return tanh(z); }
static double d_tanh1(double z) { double c = cosh(z); return 1 / (c * c); }
static double d_erf(double z) { return erf(z); }
static double d_erf1(double z) { return 2 / sqrt(M_PI) * exp(-z * z); }
static double d_sin(double z) { return sin(z); }
static double d_sin1(double z) { return cos(z); }
static double d_gelu(double z) { return 0.5 * z * (1 + erf(z / sqrt(2))); }
static double d_gelu1(double z)
{
    return 0.5 * (1 + erf(z / sqrt(2))) + z * exp(-z * z / 2) / sqrt(2 * M_PI);
}

/* Cho-Saul arc-cosine kernels: <relu relu> = sqrt(kaa kbb) J1(t)/(2 pi),
   <relu' relu'> = J0(t)/(2 pi), J0 = pi - t, J1 = sin t + (pi - t) cos t */
static void
arccos_pair(double * ss, double * dd, double kaa, double kbb, double kab)
{
    double c = kab / sqrt(kaa * kbb), t;
    c = c > 1 ? 1 : c < -1 ? -1 : c;
    t = acos(c);
    *ss = sqrt(kaa * kbb) * (sin(t) + (M_PI - t) * cos(t)) / (2 * M_PI);
    *dd = (M_PI - t) / (2 * M_PI);
}

/* E[f(u) f(v)] for (u, v) ~ N(0, [[kaa, kab], [kab, kbb]]) by the
   trapezoid rule on [-9, 9]^2 in the Cholesky coordinates, step h */
static double
quad_pair(fn_t f, double kaa, double kbb, double kab, double h)
{
    double s = 0, a = sqrt(kaa), b = kab / a, c = sqrt(fmax(kbb - b * b, 0));
    int n = (int) (9 / h), i, j;
    for (i = -n; i <= n; i++)
    {
        double x = i * h, wx = exp(-x * x / 2), fu = f(a * x);
        for (j = -n; j <= n; j++)
        {
            double yv = j * h;
            s += wx * exp(-yv * yv / 2) * fu * f(b * x + c * yv);
        }
    }
    return s * h * h / (2 * M_PI);
}

/* The NTK recursion in doubles for P inputs with pair expectations from
   arccos (relu) or quadrature: K, Th per layer, P*P each */
static void
ref_ntk(double * K, double * Th, const double * x, int P, int d, int depth, double cw,
        double cb, double lb, double lw, fn_t f, fn_t f1, int relu)
{
    int a, b, i, l;
    for (a = 0; a < P; a++)
        for (b = 0; b < P; b++)
        {
            double dot = 0;
            for (i = 0; i < d; i++)
                dot += x[a * d + i] * x[b * d + i];
            K[a * P + b] = cb + cw * dot / d;
            Th[a * P + b] = lb + lw * dot / d;
        }
    for (l = 1; l < depth; l++)
        for (a = 0; a < P; a++)
            for (b = 0; b < P; b++)
            {
                const double * Kl = K + (l - 1) * P * P;
                double ss, dd;
                if (relu)
                    arccos_pair(&ss, &dd, Kl[a * P + a], Kl[b * P + b], Kl[a * P + b]);
                else
                {
                    ss = quad_pair(f, Kl[a * P + a], Kl[b * P + b], Kl[a * P + b], 0.05);
                    dd = quad_pair(f1, Kl[a * P + a], Kl[b * P + b], Kl[a * P + b], 0.05);
                }
                K[l * P * P + a * P + b] = cb + cw * ss;
                Th[l * P * P + a * P + b] = lb + lw * ss + cw * dd * Th[(l - 1) * P * P + a * P + b];
            }
}

static void
test_matrix(const char * act, fn_t f, fn_t f1, int relu, const char * cw, const char * cb,
            slong depth, slong prec, double tol, int P)
{
    const double xd[] = {1, 0, 0.6, 0.8, -0.5, 0.25};
    const char * xs[] = {"1", "0", "0.6", "0.8", "-0.5", "0.25"};
    int d = 2, i;
    slong l;
    double K[3 * 9 * 4], Th[3 * 9 * 4];
    neft_onen_params_t par;
    fmpq_t lb, lw, q;
    arb_ptr x = _arb_vec_init(P * d), kb = _arb_vec_init(depth * P * P),
            tb = _arb_vec_init(depth * P * P);

    fmpq_init(lb); fmpq_init(lw); fmpq_init(q);
    neft_onen_params_init(par);
    ntks_set_net(par, act, cw, cb, depth, prec);
    fmpq_set_si(lb, 1, 2); fmpq_set_si(lw, 3, 2);
    for (i = 0; i < P * d; i++)
    {
        neft_onen_parse_rational(q, xs[i]);
        arb_set_fmpq(x + i, q, prec);
    }
    CHECK(neft_onen_ntk_matrix(kb, tb, par, lb, lw, x, P, d) == 0, "%s: ntk_matrix failed", act);
    ref_ntk(K, Th, xd, P, d, (int) depth, fmpq_get_d(par->net->cw), fmpq_get_d(par->net->cb),
            0.5, 1.5, f, f1, relu);
    for (i = 0; i < depth * P * P; i++)
    {
        double rk = arf_get_d(arb_midref(kb + i), ARF_RND_NEAR);
        double rt = arf_get_d(arb_midref(tb + i), ARF_RND_NEAR);
        CHECK(fabs(rk - K[i]) <= tol * (1 + fabs(K[i])) && arb_rel_accuracy_bits(kb + i) > 30,
              "%s: K[%d] = %.15g, reference %.15g", act, i, rk, K[i]);
        CHECK(fabs(rt - Th[i]) <= tol * (1 + fabs(Th[i])) && arb_rel_accuracy_bits(tb + i) > 30,
              "%s: Theta[%d] = %.15g, reference %.15g", act, i, rt, Th[i]);
    }
    /* the diagonal is the single-input NTK */
    for (i = 0; i < P; i++)
    {
        neft_onen_layer_struct * L = neft_onen_layers_init(depth);
        arb_ptr t1 = _arb_vec_init(depth);
        neft_onen_single(L, par, kb + i * P + i);
        neft_onen_ntk_single(t1, L, par, lb, lw);
        for (l = 0; l < depth; l++)
            CHECK(arb_overlaps(t1 + l, tb + l * P * P + i * P + i),
                  "%s: diagonal %d of layer %ld is not the one-input NTK", act, i, (long) l + 1);
        neft_onen_layers_clear(L, depth);
        _arb_vec_clear(t1, depth);
    }
    neft_onen_params_clear(par);
    _arb_vec_clear(x, P * d); _arb_vec_clear(kb, depth * P * P); _arb_vec_clear(tb, depth * P * P);
    fmpq_clear(lb); fmpq_clear(lw); fmpq_clear(q);
}

/* K* = 0 class, sin at C_W = 1, C_b = 0 (a1 = -1, chi_perp = 1 - 1/l + ..):
   Theta^(l) ~ lambda_b l / 2 and, with lambda_b = 0, Theta -> lambda_W
   (docs/onen.md); corrections ~ log l / l */
static void
test_large_depth(void)
{
    slong depth = 2000;
    neft_onen_params_t par;
    neft_onen_layer_struct * L = neft_onen_layers_init(depth);
    arb_ptr th = _arb_vec_init(depth);
    fmpq_t lb, lw;
    arb_t k;
    double r1, r2;

    fmpq_init(lb); fmpq_init(lw); arb_init(k);
    neft_onen_params_init(par);
    ntks_set_net(par, "sin", "1", "0", depth, 128);
    arb_set_d(k, 0.5);      /* Theta^(1) = 1/2 (K^(1) = 1 would be sin's fixed point Theta = 1) */
    CHECK(neft_onen_single(L, par, k) == 0, "sin depth 2000");
    fmpq_one(lb); fmpq_zero(lw);
    neft_onen_ntk_single(th, L, par, lb, lw);
    r1 = arf_get_d(arb_midref(th + 999), ARF_RND_NEAR) / 1000;
    r2 = arf_get_d(arb_midref(th + 1999), ARF_RND_NEAR) / 2000;
    CHECK(fabs(r2 - 0.5) < 0.02 && fabs(r2 - 0.5) < fabs(r1 - 0.5),
          "sin critical: Theta/l = %g (l = 1000), %g (l = 2000), expected -> 1/2", r1, r2);
    fmpq_zero(lb); fmpq_one(lw);
    neft_onen_ntk_single(th, L, par, lb, lw);
    r1 = arf_get_d(arb_midref(th + 999), ARF_RND_NEAR);
    r2 = arf_get_d(arb_midref(th + 1999), ARF_RND_NEAR);
    CHECK(fabs(r2 - 1) < 0.02 && fabs(r2 - 1) < fabs(r1 - 1),
          "sin critical, lambda_b = 0: Theta = %g (l = 1000), %g (l = 2000), expected -> 1",
          r1, r2);
    neft_onen_params_clear(par);
    neft_onen_layers_clear(L, depth);
    _arb_vec_clear(th, depth);
    fmpq_clear(lb); fmpq_clear(lw); arb_clear(k);
}

/* ---- the empirical NTK of sampled nets (tests/ntk-sampler.h) ---------- */

/* The mean over nets of the empirical NTK at width n against Theta^(L) of
   neft_onen_ntk_matrix: |mean - Theta| <= 4 se + next, the next order
   estimated from a run at width ns assuming a 1/n remainder:
   next = (ns |m(ns) - Theta| + 3 ns se(ns)) / n. */
static void
test_sampled(const char * act, fn_t f, fn_t f1, const char * cw, const char * cb,
             int n, int nets, int ns, int nets_s)
{
    const double x[] = {1, 0, 0.6, 0.8};
    const char * xs[] = {"1", "0", "0.6", "0.8"};
    int L = 3, k, e, run;
    double lbd = 0.5, lwd = 1.5, mean[2][4], se[2][4], T[4];
    neft_onen_params_t par;
    fmpq_t lb, lw, q;
    arb_ptr xb = _arb_vec_init(4), kb = _arb_vec_init(L * 4), tb = _arb_vec_init(L * 4);

    fmpq_init(lb); fmpq_init(lw); fmpq_init(q);
    neft_onen_params_init(par);
    ntks_set_net(par, act, cw, cb, L, 64);
    fmpq_set_si(lb, 1, 2); fmpq_set_si(lw, 3, 2);
    for (k = 0; k < 4; k++)
    {
        neft_onen_parse_rational(q, xs[k]);
        arb_set_fmpq(xb + k, q, 64);
    }
    CHECK(neft_onen_ntk_matrix(kb, tb, par, lb, lw, xb, 2, 2) == 0, "%s: ntk_matrix", act);
    ntks_rng = 12345;
    for (run = 0; run < 2; run++)
    {
        int w = run ? ns : n, m = run ? nets_s : nets;
        double s1[4] = {0}, s2[4] = {0};
        ntks_net_t N;
        ntks_init(&N, L, w, 2, 2, 1, x);
        for (k = 0; k < m; k++)
        {
            ntks_sample(&N, fmpq_get_d(par->net->cw), fmpq_get_d(par->net->cb), f, f1);
            for (e = 0; e < 4; e++)
                T[e] = ntks_ntk(&N, 0, 0, e >> 1, e & 1, lbd, lwd);
            for (e = 0; e < 4; e++)
            {
                s1[e] += T[e];
                s2[e] += T[e] * T[e];
            }
        }
        ntks_clear(&N);
        for (e = 0; e < 4; e++)
        {
            mean[run][e] = s1[e] / m;
            se[run][e] = sqrt(fmax(s2[e] / m - mean[run][e] * mean[run][e], 0) / (m - 1));
        }
    }
    for (e = 0; e < 4; e++)
    {
        double th = arf_get_d(arb_midref(tb + 2 * 4 + e), ARF_RND_NEAR);
        double next = (ns * fabs(mean[1][e] - th) + 3 * ns * se[1][e]) / n;
        printf("%s NTK[%d]: width %d %.5f +- %.5f, width %d %.5f +- %.5f, infinite width "
               "%.5f, next order <= %.5f\n", act, e, n, mean[0][e], se[0][e], ns, mean[1][e],
               se[1][e], th, next);
        CHECK(fabs(mean[0][e] - th) <= 4 * se[0][e] + next,
              "%s: the empirical NTK[%d] at width %d, %.5f +- %.5f, is not Theta = %.5f "
              "(next order %.5f)", act, e, n, mean[0][e], se[0][e], th, next);
        /* and the check has teeth: the allowance is small next to Theta */
        CHECK(4 * se[0][e] + next < 0.1 * th, "%s: allowance %.4f too wide for Theta = %.4f",
              act, 4 * se[0][e] + next, th);
    }
    neft_onen_params_clear(par);
    _arb_vec_clear(xb, 4); _arb_vec_clear(kb, L * 4); _arb_vec_clear(tb, L * 4);
    fmpq_clear(lb); fmpq_clear(lw); fmpq_clear(q);
}

int
main(int argc, char ** argv)
{
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    test_critical_exact();
    test_matrix("relu", d_relu, d_relu1, 1, "2", "0", 4, 128, 1e-13, 3);
    test_matrix("relu", d_relu, d_relu1, 1, "3/2", "1/5", 4, 128, 1e-13, 3);
    test_matrix("erf", d_erf, d_erf1, 0, "1", "1/10", 3, 128, 1e-9, 3);
    test_matrix("sin", d_sin, d_sin1, 0, "1", "1/10", 3, 128, 1e-9, 3);
    test_matrix("tanh", d_tanh, d_tanh1, 0, "1", "1/10", 3, 64, 1e-9, quick ? 2 : 3);
    /* gelu's 2-D integrals cost about a second each (no parity) */
    if (!quick)
        test_matrix("gelu", d_gelu, d_gelu1, 0, "2", "0", 2, 64, 1e-9, 2);
    test_large_depth();
    test_sampled("relu", d_relu, d_relu1, "2", "0", quick ? 300 : 400, quick ? 40 : 60, 100, 200);
    test_sampled("tanh", d_tanh, d_tanh1, "1", "1/10", quick ? 300 : 400, quick ? 40 : 60, 100, 200);
    flint_cleanup();
    return neft_test_finish("t-ntk");
}
