/* The beta functions (neft/beta.h) and the cutoff derivative of vertex
   integrals (neft_integrate_vint_dcutoff): the boundary terms against
   central finite differences of the integrals computed at 200 bits (d_in = 1;
   d_in = 2: the edges of the square, homogeneity), the refusal in d_in = 3, bias-free ReLU on positive inputs against the
   closed forms (lambda ~ L^-5, kappa ~ L^-7 exactly: beta_lambda = -5 lambda,
   beta_kappa = -7 kappa with no lambda^2 part), and Erf / GaussNet tending to
   beta = -lambda like c/L. */

#define _XOPEN_SOURCE 700
#include <math.h>
#include <string.h>
#include "neft/beta.h"
#include "neft/eft.h"
#include "neft-test.h"

#define HP 200

static void
kernel(neft_kernel_t k, const char * act, double sw, double sb, slong d)
{
    arb_t w, b;
    arb_init(w);
    arb_init(b);
    arb_set_d(w, sw);
    arb_set_d(b, sb);
    neft_kernel_set_act(k, neft_kernel_lookup_act(act), NULL, d, w, b, NULL, HP + 64);
    arb_clear(w);
    arb_clear(b);
}

/* |D - L (I(L(1+h)) - I(L(1-h)))/(2hL)| <= tol |D| (+ the balls' radii),
   h = 2^-e: the cutoffs L(1 +- h) exact */
static void
check_fd(const char * what, const neft_vint_t v, const neft_kernel_t k, double Ld, slong e,
         slong prec, double tol)
{
    arf_t L, Lp, Lm;
    arb_t D, Ip, Im, fd, t;
    char err[256];
    neft_integrate_opt_t opt;
    int s;
    neft_integrate_opt_init(opt);
    arf_init(L);
    arf_init(Lp);
    arf_init(Lm);
    arb_init(D);
    arb_init(Ip);
    arb_init(Im);
    arb_init(fd);
    arb_init(t);
    arf_set_d(L, Ld);
    arf_mul_2exp_si(Lp, L, -e);
    arf_sub(Lm, L, Lp, ARF_PREC_EXACT, ARF_RND_DOWN);
    arf_add(Lp, L, Lp, ARF_PREC_EXACT, ARF_RND_DOWN);
    s = neft_integrate_vint_dcutoff(D, v, k, L, opt, prec, err, sizeof err);
    CHECK(s == NEFT_SUCCESS, "%s: dcutoff status %d (%s)", what, s, err);
    s = neft_integrate_vint(Ip, v, k, Lp, opt, prec, err, sizeof err);
    s |= neft_integrate_vint(Im, v, k, Lm, opt, prec, err, sizeof err);
    CHECK(s == NEFT_SUCCESS, "%s: integrals (%s)", what, err);
    arb_sub(fd, Ip, Im, prec);
    arb_one(t);
    arb_mul_2exp_si(t, t, 1 - e);
    arb_div(fd, fd, t, prec);
    arb_sub(t, fd, D, prec);
    arb_abs(t, t);
    {
        double diff = arf_get_d(arb_midref(t), ARF_RND_UP);
        double rad = mag_get_d(arb_radref(t));
        double scale = fabs(arf_get_d(arb_midref(D), ARF_RND_NEAR));
        CHECK(arb_is_finite(D) && diff <= tol * scale + rad && scale > 0,
              "%s: L dI/dL = %.17g, finite difference %.17g (diff %g, tol %g)", what,
              arf_get_d(arb_midref(D), ARF_RND_NEAR), arf_get_d(arb_midref(fd), ARF_RND_NEAR),
              diff, tol * scale + rad);
    }
    arf_clear(L);
    arf_clear(Lp);
    arf_clear(Lm);
    arb_clear(D);
    arb_clear(Ip);
    arb_clear(Im);
    arb_clear(fd);
    arb_clear(t);
}

static void
leg(neft_vint_t v, slong vertex, double x)
{
    arb_t p;
    arb_init(p);
    arb_set_d(p, x);
    neft_vint_add_leg(v, vertex, p);
    arb_clear(p);
}

static void
test_dcutoff(void)
{
    neft_kernel_t k;
    neft_vint_t v;
    neft_kernel_init(k);

    /* Erf, sigma_b = 1, one vertex, four legs and a self-loop */
    kernel(k, "erf", 1, 1, 1);
    neft_vint_init(v, 1, 1);
    leg(v, 0, -1);
    leg(v, 0, 0.25);
    leg(v, 0, 0.5);
    leg(v, 0, 1);
    check_fd("erf 1 vertex", v, k, 3, 40, HP, 1e-20);
    neft_vint_add_link(v, 0, 0);
    check_fd("erf 1 vertex + loop", v, k, 3, 40, HP, 1e-20);
    neft_vint_clear(v);

    /* ReLU, sigma_b = 1 (kinks at the inputs), one vertex; a leg at the end */
    kernel(k, "relu", 1, 1, 1);
    neft_vint_init(v, 1, 1);
    leg(v, 0, -0.5);
    leg(v, 0, 0.3);
    leg(v, 0, 0.3);
    leg(v, 0, 2);
    check_fd("relu sb=1 1 vertex", v, k, 2, 40, HP, 1e-20);
    neft_vint_clear(v);

    /* ReLU, sigma_b = 0: chain of three vertices (closed forms; the middle
       vertex pinned leaves two pieces) */
    kernel(k, "relu", 1.5, 0, 1);
    neft_vint_init(v, 1, 3);
    leg(v, 0, 1);
    leg(v, 0, 0.5);
    leg(v, 1, 2);
    leg(v, 2, 0.7);
    leg(v, 2, 0.2);
    neft_vint_add_link(v, 0, 1);
    neft_vint_add_link(v, 1, 2);
    neft_vint_add_link(v, 1, 1);
    check_fd("relu sb=0 chain of 3", v, k, 1.7, 40, HP, 1e-20);
    neft_vint_clear(v);

    /* GaussNet, two vertices (adaptive boxes) at 64 bits */
    kernel(k, "gauss", 1, 1, 1);
    neft_vint_init(v, 1, 2);
    leg(v, 0, -0.4);
    leg(v, 0, 0.2);
    leg(v, 1, 0.6);
    leg(v, 1, 1);
    neft_vint_add_link(v, 0, 1);
    check_fd("gauss 2 vertices", v, k, 1.5, 14, 64, 1e-7);
    neft_vint_clear(v);

    /* d_in = 2, one vertex: the edges of the square (GaussNet: closed-form
       integrals at 200 bits; Erf: patches in double intervals, so a
       coarser difference), and bias-free ReLU by homogeneity */
    {
        arb_ptr p = _arb_vec_init(6);
        arb_set_d(p, 0.5);
        arb_set_d(p + 1, -0.5);
        arb_set_d(p + 2, 1);
        arb_set_d(p + 3, 0.25);
        arb_set_d(p + 4, -1);
        arb_set_d(p + 5, 0.75);
        kernel(k, "gauss", 1, 1, 2);
        neft_vint_init(v, 2, 1);
        neft_vint_add_leg(v, 0, p);
        neft_vint_add_leg(v, 0, p + 2);
        neft_vint_add_leg(v, 0, p + 2);
        neft_vint_add_leg(v, 0, p + 4);
        check_fd("gauss d_in = 2", v, k, 1.5, 40, HP, 1e-20);
        kernel(k, "erf", 1, 1, 2);
        check_fd("erf d_in = 2", v, k, 1.5, 12, 64, 1e-4);
        kernel(k, "relu", 1, 0, 2);
        check_fd("relu sb=0 d_in = 2", v, k, 1.5, 12, 64, 1e-4);
        neft_vint_clear(v);
        _arb_vec_clear(p, 6);
    }
    /* d_in = 3 with a kernel that is not homogeneous: refused, never
       approximated */
    {
        arf_t L;
        arb_t D;
        arb_ptr p = _arb_vec_init(3);
        char err[512];
        neft_integrate_opt_t opt;
        int s;
        neft_integrate_opt_init(opt);
        arf_init(L);
        arb_init(D);
        arf_set_d(L, 2);
        kernel(k, "erf", 1, 1, 3);
        neft_vint_init(v, 3, 1);
        arb_set_d(p, 0.5);
        arb_set_d(p + 1, -0.5);
        neft_vint_add_leg(v, 0, p);
        neft_vint_add_leg(v, 0, p);
        s = neft_integrate_vint_dcutoff(D, v, k, L, opt, 64, err, sizeof err);
        CHECK(s == NEFT_UNSUPPORTED && strstr(err, "not done here") != NULL
              && !arb_is_finite(D), "d_in = 3: status %d (%s)", s, err);
        neft_vint_clear(v);
        arf_clear(L);
        arb_clear(D);
        _arb_vec_clear(p, 3);
    }
    neft_kernel_clear(k);
}

/* the default theory (lambda, kappa) */
static void
theory(neft_theory_t th, unsigned * prune)
{
    char err[256];
    neft_theory_init(th);
    if (neft_theory_read_string(th, neft_theory_default_text, "default", err, sizeof err))
        FAIL("default theory: %s", err);
    *prune = th->prune | NEFT_PRUNE_CONNECTED;
}

static int
contains(arb_srcptr b, double v, double rad)
{
    arb_t t;
    int ok;
    if (b == NULL)
        return 0;
    arb_init(t);
    arb_set_d(t, v);
    ok = arb_contains(b, t) && mag_cmp_2exp_si(arb_radref(b), (slong) floor(log2(rad))) <= 0;
    arb_clear(t);
    return ok;
}

static slong
mono(const neft_beta_t B, slong l, slong kap)
{
    slong M;
    for (M = 0; M < B->nmono; M++)
        if (B->mono[M].exp[0] == l && B->mono[M].exp[1] == kap)
            return M;
    return -1;
}

/* bias-free ReLU on positive inputs: lambda(L) = -25/(2 N sw^8 L^5) and
   kappa(L) = 371/(3 N^2 sw^12 L^7) exactly (docs/eft.md), so beta_lambda =
   -5 lambda and beta_kappa = -7 kappa; the lambda^2 exchange's running
   (L^10) cancels lambda^2's (L^-10): no lambda^2 term in beta_kappa, and
   G4's kappa tadpole and lambda^2 loop scale as kappa and lambda^2 do: none
   in beta_lambda either. */
static void
test_relu(void)
{
    neft_theory_t th;
    unsigned prune;
    neft_kernel_t k;
    neft_beta_t B;
    neft_integrate_opt_t opt;
    arb_ptr x = _arb_vec_init(3);
    arf_struct L[2];
    char err[256];
    slong cut, order;
    double sws[2] = {1, 1.5};
    int s, i;

    theory(th, &prune);
    neft_kernel_init(k);
    neft_integrate_opt_init(opt);
    arb_set_d(x, 0.5);
    arb_set_d(x + 1, 1);
    arb_set_d(x + 2, 2);
    arf_init(L);
    arf_init(L + 1);
    arf_set_d(L, 1);
    arf_set_d(L + 1, 3.25);
    for (i = 0; i < 2; i++)
        for (order = 1; order <= 2; order++)
        {
            kernel(k, "relu", sws[i], 0, 1);
            neft_beta_init(B);
            s = neft_beta_compute(B, th, prune, order, k, x, 3, L, 2, opt, 128, err,
                                  sizeof err);
            CHECK(s == NEFT_SUCCESS, "relu: status %d (%s)", s, err);
            CHECK(B->has[0] && B->has[1] == (order == 2), "relu order %ld: betas %d %d",
                  (long) order, B->has[0], B->has[1]);
            for (cut = 0; cut < 2 && s == NEFT_SUCCESS; cut++)
            {
                slong Ml = mono(B, 1, 0), at = (cut * 2 + 0) * B->nmono + Ml;
                CHECK(contains(neft_beta_coeff(B, cut, 0, Ml), -5, 1e-12),
                      "relu sw %g order %ld cutoff %ld: beta_lambda/lambda not -5", sws[i],
                      (long) order, (long) cut);
                CHECK(fabs(B->lo[at] + 5) < 1e-12 && fabs(B->hi[at] + 5) < 1e-12,
                      "relu: per-tuple values %g .. %g (no spread expected)", B->lo[at],
                      B->hi[at]);
                if (order == 2)
                {
                    CHECK(contains(neft_beta_coeff(B, cut, 1, mono(B, 0, 1)), -7, 1e-11),
                          "relu: beta_kappa/kappa not -7");
                    CHECK(contains(neft_beta_coeff(B, cut, 1, mono(B, 2, 0)), 0, 1e-9),
                          "relu: beta_kappa has a lambda^2 part");
                    CHECK(contains(neft_beta_coeff(B, cut, 0, mono(B, 0, 1)), 0, 1e-9)
                          && contains(neft_beta_coeff(B, cut, 0, mono(B, 2, 0)), 0, 1e-9),
                          "relu: beta_lambda has kappa or lambda^2 parts");
                }
            }
            neft_beta_clear(B);
        }
    arf_clear(L);
    arf_clear(L + 1);
    _arb_vec_clear(x, 3);
    neft_kernel_clear(k);
    neft_theory_clear(th);
}

/* bounded kernels: beta_lambda/lambda -> -d_in = -1.  For one input x (one
   tuple, b = -D/I exactly) the approach is known: GaussNet (sigma_b = 1)
   K = 1 + exp(-(x-y)^2/2), so I = 2L + C + o(1), D = 2L + o(1) (o: faster
   than any power) and L (b + 1) = L C/(2L + C) -> C/2; Erf (sigma_w = sigma_b = 1) tends to its
   limits K_+-(x) = 1 + (2/pi) arcsin(+-sqrt2 x/sqrt(3 + 2x^2)) like
   kappa/|y| with kappa = (2/pi) sqrt(2/3) for every x, so I = L P +
   Q kappa log L + C, D = L P + Q kappa (P = K_+^4 + K_-^4, Q = 4 (K_+^3 +
   K_-^3)) and L (b + 1) = (Q kappa (log L - 1) + C)/P + O(log L/L): it grows
   by Q kappa log(10)/P per decade (the approach is O(log L/L), not O(1/L)). */
static double
bounded(const char * act, double Lv, double xv)
{
    neft_theory_t th;
    unsigned prune;
    neft_kernel_t k;
    neft_beta_t B;
    neft_integrate_opt_t opt;
    arb_t x;
    arf_t L;
    char err[256];
    double b = NAN;
    int s;

    theory(th, &prune);
    neft_kernel_init(k);
    neft_integrate_opt_init(opt);
    kernel(k, act, 1, 1, 1);
    arb_init(x);
    arb_set_d(x, xv);
    arf_init(L);
    arf_set_d(L, Lv);
    neft_beta_init(B);
    s = neft_beta_compute(B, th, prune, 1, k, x, 1, L, 1, opt, 128, err, sizeof err);
    CHECK(s == NEFT_SUCCESS, "%s: status %d (%s)", act, s, err);
    if (s == NEFT_SUCCESS)
    {
        arb_srcptr c = neft_beta_coeff(B, 0, 0, neft_beta_linear(B, 0));
        CHECK(c != NULL && mag_cmp_2exp_si(arb_radref(c), -60) < 0, "%s: no narrow ball", act);
        if (c != NULL)
            b = arf_get_d(arb_midref(c), ARF_RND_NEAR);
    }
    neft_beta_clear(B);
    arf_clear(L);
    arb_clear(x);
    neft_kernel_clear(k);
    neft_theory_clear(th);
    return b;
}

static void
test_bounded(void)
{
    double x = 0.6, a[3], Ls[3] = {1e4, 1e5, 1e6};
    double s = sqrt(2) * x / sqrt(3 + 2 * x * x), kp = 1 + 2 / M_PI * asin(s),
           km = 1 + 2 / M_PI * asin(-s), P = pow(kp, 4) + pow(km, 4),
           Q = 4 * (pow(kp, 3) + pow(km, 3)), kap = 2 / M_PI * sqrt(2.0 / 3), step;
    int i;
    for (i = 0; i < 3; i++)
    {
        double b = bounded("gauss", Ls[i], x);
        a[i] = Ls[i] * (b + 1);
        CHECK(b > -1 && b < -0.99, "gauss: beta/lambda %g at %g", b, Ls[i]);
    }
    {
        /* b + 1 = C/(2L + C): L (b + 1) = c L/(L + c), c = C/2, from the last */
        double c = a[2] * Ls[2] / (Ls[2] - a[2]);
        CHECK(fabs(a[0] / (c * Ls[0] / (Ls[0] + c)) - 1) < 1e-7
              && fabs(a[1] / (c * Ls[1] / (Ls[1] + c)) - 1) < 1e-7,
              "gauss: L (b + 1) = %.10g, %.10g, %.10g at 1e4, 1e5, 1e6: not c L/(L + c)",
              a[0], a[1], a[2]);
    }
    step = Q * kap * log(10) / P;
    for (i = 0; i < 3; i++)
    {
        double b = bounded("erf", Ls[i], x);
        a[i] = Ls[i] * (b + 1);
        CHECK(b > -1 && b < -0.99, "erf: beta/lambda %g at %g", b, Ls[i]);
    }
    CHECK(fabs((a[2] - a[1]) / step - 1) < 1e-3 && fabs((a[1] - a[0]) / step - 1) < 1e-2,
          "erf: L (b + 1) = %.8g, %.8g, %.8g at 1e4, 1e5, 1e6: steps %.8g, %.8g, expected %.8g",
          a[0], a[1], a[2], a[1] - a[0], a[2] - a[1], step);
}

/* bias-free ReLU in d_in = 2, 3: beta_lambda = -(4 + d_in) lambda exactly
   (homogeneity); GaussNet in d_in = 2: beta/lambda -> -2 like c/L^2 (the
   integrand minus its limit 1 is integrable over the plane: I = 4 L^2 + C,
   D = 8 L^2, b + 2 = 2C/(4L^2 + C)) */
static void
test_dims(void)
{
    neft_theory_t th;
    unsigned prune;
    neft_kernel_t k;
    neft_beta_t B;
    neft_integrate_opt_t opt;
    arb_ptr x = _arb_vec_init(6);
    arf_struct L[2];
    char err[512];
    slong d, cut;
    double a[2] = {NAN, NAN};
    int s;

    theory(th, &prune);
    neft_kernel_init(k);
    neft_integrate_opt_init(opt);
    arf_init(L);
    arf_init(L + 1);
    for (d = 2; d <= 3; d++)
    {
        slong i;
        for (i = 0; i < 2 * d; i++)
            arb_set_d(x + i, (i % 3 == 0) ? 1 : (i % 3 == 1 ? 0.25 : -0.5));
        kernel(k, "relu", 1, 0, d);
        arf_set_d(L, 1);
        arf_set_d(L + 1, 7);
        neft_beta_init(B);
        s = neft_beta_compute(B, th, prune, 1, k, x, 2, L, 2, opt, 64, err, sizeof err);
        CHECK(s == NEFT_SUCCESS, "relu d_in = %ld: status %d (%s)", (long) d, s, err);
        for (cut = 0; cut < 2 && s == NEFT_SUCCESS; cut++)
            CHECK(contains(neft_beta_coeff(B, cut, 0, neft_beta_linear(B, 0)), -4.0 - d, 1e-6),
                  "relu d_in = %ld: beta/lambda not -%ld", (long) d, (long) (4 + d));
        neft_beta_clear(B);
    }
    kernel(k, "gauss", 1, 1, 2);
    arf_set_d(L, 1e3);
    arf_set_d(L + 1, 1e4);
    neft_beta_init(B);
    s = neft_beta_compute(B, th, prune, 1, k, x, 2, L, 2, opt, 64, err, sizeof err);
    CHECK(s == NEFT_SUCCESS, "gauss d_in = 2: status %d (%s)", s, err);
    for (cut = 0; cut < 2 && s == NEFT_SUCCESS; cut++)
    {
        arb_srcptr c = neft_beta_coeff(B, cut, 0, neft_beta_linear(B, 0));
        double b = c ? arf_get_d(arb_midref(c), ARF_RND_NEAR) : NAN;
        a[cut] = (cut ? 1e8 : 1e6) * (b + 2);
        CHECK(b > -2 && b < -1.99, "gauss d_in = 2: beta/lambda %g", b);
    }
    CHECK(s == NEFT_SUCCESS && fabs(a[1] / a[0] - 1) < 1e-3,
          "gauss d_in = 2: L^2 (b + 2) = %g at 1e3, %g at 1e4: not c/L^2", a[0], a[1]);
    neft_beta_clear(B);
    arf_clear(L);
    arf_clear(L + 1);
    _arb_vec_clear(x, 6);
    neft_kernel_clear(k);
    neft_theory_clear(th);
}

/* Position-weighted vertices (`position |y|^P`, rules/nnqft-three-operator.rules'
   lambda2): L d/dL of \int_{[-L,L]} |y|^P F(y) dy is L^(P+1) (F(L) + F(-L));
   the boundary terms against central finite differences of the 200-bit
   integrals, and beta for a theory of lambda2 alone: b = -sum_t I_t D_t /
   sum_t I_t^2 with D_t from those finite differences (Erf and ReLU,
   sigma_b = 1), and bias-free ReLU's exact -(5 + P) (the integrand is
   homogeneous of degree 4 + P in y: I(L) = L^(5 + P) I(1) on every tuple,
   so lambda2 ~ L^-(5 + P)). */
static const char * lambda2_rules =
    "coupling lambda2 legs 4 weight 1 position |y|^2\n"
    "prune vacuum\nprune two-point-component\n";

static void
test_weighted(void)
{
    static const char * acts[2] = {"erf", "relu"};
    neft_theory_t th;
    neft_kernel_t k;
    neft_vint_t v;
    neft_beta_t B;
    neft_integrate_opt_t opt;
    arb_ptr x = _arb_vec_init(3);
    arf_struct L[1];
    char err[256];
    slong a, P;
    int s;

    neft_kernel_init(k);
    neft_integrate_opt_init(opt);
    /* the vertex integral alone, weights 1 and 2, with a self-loop too */
    for (a = 0; a < 2; a++)
        for (P = 1; P <= 2; P++)
        {
            char what[64];
            kernel(k, acts[a], 1, 1, 1);
            neft_vint_init(v, 1, 1);
            leg(v, 0, -1);
            leg(v, 0, 0.25);
            leg(v, 0, 0.5);
            leg(v, 0, 1);
            neft_vint_set_weight(v, 0, P);
            snprintf(what, sizeof what, "%s |y|^%ld", acts[a], (long) P);
            check_fd(what, v, k, 3, 40, HP, 1e-20);
            neft_vint_add_link(v, 0, 0);
            snprintf(what, sizeof what, "%s |y|^%ld + loop", acts[a], (long) P);
            check_fd(what, v, k, 3, 40, HP, 1e-20);
            neft_vint_clear(v);
        }

    neft_theory_init(th);
    if (neft_theory_read_string(th, lambda2_rules, "lambda2", err, sizeof err))
        FAIL("lambda2 theory: %s", err);
    arb_set_d(x, -0.7);
    arb_set_d(x + 1, 0.3);
    arb_set_d(x + 2, 1.2);
    arf_init(L);
    arf_set_d(L, 2.5);
    for (a = 0; a < 2; a++)
    {
        /* beta from the finite differences of the tree's integrals */
        slong idx[4] = {0}, j, e = 40;
        arb_t I, Ip, Im, D, num, den, b, t;
        arf_t Lp, Lm;
        arb_init(I); arb_init(Ip); arb_init(Im); arb_init(D);
        arb_init(num); arb_init(den); arb_init(b); arb_init(t);
        arf_init(Lp); arf_init(Lm);
        arf_mul_2exp_si(Lp, L, -e);
        arf_sub(Lm, L, Lp, ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_add(Lp, L, Lp, ARF_PREC_EXACT, ARF_RND_DOWN);
        kernel(k, acts[a], 1, 1, 1);
        do
        {
            neft_vint_init(v, 1, 1);
            for (j = 0; j < 4; j++)
                neft_vint_add_leg(v, 0, x + idx[j]);
            neft_vint_set_weight(v, 0, 2);
            s = neft_integrate_vint(I, v, k, L, opt, HP, err, sizeof err);
            s |= neft_integrate_vint(Ip, v, k, Lp, opt, HP, err, sizeof err);
            s |= neft_integrate_vint(Im, v, k, Lm, opt, HP, err, sizeof err);
            CHECK(s == NEFT_SUCCESS, "%s lambda2: integrals (%s)", acts[a], err);
            arb_sub(D, Ip, Im, HP);
            arb_mul_2exp_si(D, D, e - 1);      /* L (I(L(1+h)) - I(L(1-h)))/(2 h L) */
            arb_addmul(num, I, D, HP);
            arb_addmul(den, I, I, HP);
            neft_vint_clear(v);
        }
        while (neft_eval_next_tuple(idx, 4, 3));
        arb_div(b, num, den, HP);
        arb_neg(b, b);
        neft_beta_init(B);
        s = neft_beta_compute(B, th, th->prune | NEFT_PRUNE_CONNECTED, 1, k, x, 3, L, 1, opt,
                              128, err, sizeof err);
        CHECK(s == NEFT_SUCCESS, "%s lambda2: beta status %d (%s)", acts[a], s, err);
        if (s == NEFT_SUCCESS)
        {
            arb_srcptr c = neft_beta_coeff(B, 0, 0, neft_beta_linear(B, 0));
            arb_sub(t, c, b, HP);
            CHECK(c != NULL && mag_cmp_2exp_si(arb_radref(c), -30) <= 0
                  && arf_cmpabs_2exp_si(arb_midref(t), -60) <= 0,
                  "%s lambda2: beta/lambda2 %.17g, from finite differences %.17g", acts[a],
                  arf_get_d(arb_midref(c), ARF_RND_NEAR), arf_get_d(arb_midref(b), ARF_RND_NEAR));
        }
        neft_beta_clear(B);
        arb_clear(I); arb_clear(Ip); arb_clear(Im); arb_clear(D);
        arb_clear(num); arb_clear(den); arb_clear(b); arb_clear(t);
        arf_clear(Lp); arf_clear(Lm);
    }
    /* bias-free ReLU: -(5 + P) = -7 exactly, at two cutoffs */
    kernel(k, "relu", 1.3, 0, 1);
    neft_beta_init(B);
    {
        arf_struct L2[2];
        arf_init(L2);
        arf_init(L2 + 1);
        arf_set_d(L2, 1);
        arf_set_d(L2 + 1, 10);
        s = neft_beta_compute(B, th, th->prune | NEFT_PRUNE_CONNECTED, 1, k, x, 3, L2, 2, opt,
                              128, err, sizeof err);
        CHECK(s == NEFT_SUCCESS, "relu sb=0 lambda2: beta status %d (%s)", s, err);
        for (a = 0; a < 2 && s == NEFT_SUCCESS; a++)
            CHECK(contains(neft_beta_coeff(B, a, 0, neft_beta_linear(B, 0)), -7, 1e-20),
                  "relu sb=0 lambda2: beta/lambda2 not -7 at cutoff %ld", (long) a);
        arf_clear(L2);
        arf_clear(L2 + 1);
    }
    neft_beta_clear(B);
    arf_clear(L);
    neft_theory_clear(th);
    neft_kernel_clear(k);
    _arb_vec_clear(x, 3);
}

int
main(void)
{
    test_dcutoff();
    test_relu();
    test_bounded();
    test_dims();
    test_weighted();
    flint_cleanup();
    return neft_test_finish("t-beta");
}
