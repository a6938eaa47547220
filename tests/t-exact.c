/* Property tests of the exact module: Gaussian expectations M_k against
   independent quadratures, the even-block partitions, the sorted tuples. */

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/exact.h"
#include "neft/gaussexp.h"
#include "sample/tuples.h"
#include "neft-test.h"

/* E[prod leaky(u_a . xi)] for xi ~ N(0, I_2) (relu: slope 0): radial part
   exact, angular part by the midpoint rule with many nodes (the integrand is
   continuous, piecewise smooth: error O(h^2)). Independent of the
   product-to-sum closed form. */
static double
leaky_quadrature(const double * u, int n, double slope)
{
    const int nodes = 200000;
    double s = 0, radial = 1;
    int i, a;
    for (i = 1; i <= n / 2; i++)
        radial *= 2.0 * i;            /* 2^(n/2) (n/2)! */
    for (i = 0; i < nodes; i++)
    {
        double th = 2 * M_PI * (i + 0.5) / nodes, p = 1;
        for (a = 0; a < n; a++)
        {
            double z = u[2 * a] * cos(th) + u[2 * a + 1] * sin(th);
            p *= z > 0 ? z : slope * z;
        }
        s += p;
    }
    return s / nodes * radial;
}

static double
relu_quadrature(const double * u, int n)
{
    return leaky_quadrature(u, n, 0.0);
}

static void
fmpq_of_d(fmpq_t q, double x)
{
    arf_t t;
    arf_init(t);
    arf_set_d(t, x);
    arf_get_fmpq(q, t);
    arf_clear(t);
}

static void
set_spec(neft_exact_spec_t spec, const char * act, double sw, double sb, const double * x,
         slong np)
{
    arb_ptr v = _arb_vec_init(np);
    fmpq_t qw, qb;
    char err[256];
    slong i;
    fmpq_init(qw);
    fmpq_init(qb);
    if (neft_net_set_act_name(spec->net, act, NULL, err, sizeof(err)) != NEFT_SUCCESS)
        FAIL("%s", err);
    neft_exact_spec_set_points(spec, NULL, 0);   /* before d_in changes */
    spec->net->d_in = 1;
    fmpq_of_d(qw, sw);
    fmpq_of_d(qb, sb);
    neft_net_set_sigma(spec->net, qw, qb);
    for (i = 0; i < np; i++)
        arb_set_d(v + i, x[i]);
    neft_exact_spec_set_points(spec, v, np);
    _arb_vec_clear(v, np);
    fmpq_clear(qw);
    fmpq_clear(qb);
}

/* E[prod sigma(u_a . xi)] on a fine polar grid (r up to 9, midpoint), for a
   double activation: an independent reference for the integrated rows. */
static double
grid_quadrature(double (*f)(double), const double * u, int n)
{
    const int nt = 720, nr = 3000;
    const double R = 9.0;
    double s = 0;
    int i, j, a;
    for (i = 0; i < nt; i++)
    {
        double th = 2 * M_PI * (i + 0.5) / nt, c = cos(th), sn = sin(th);
        for (j = 0; j < nr; j++)
        {
            double r = R * (j + 0.5) / nr, p = r * exp(-r * r / 2);
            for (a = 0; a < n; a++)
                p *= f(r * (u[2 * a] * c + u[2 * a + 1] * sn));
            s += p;
        }
    }
    return s * (R / nr) * (2 * M_PI / nt) / (2 * M_PI);
}

/* E[prod erf(u_a . xi)], 2-D Gauss-Hermite-free: midpoint on a fine grid of
   polar coordinates (smooth integrand, r up to 9). */
static double
erf_quadrature(const double * u, int n)
{
    return grid_quadrature(erf, u, n);
}

static double gelu_d(double z) { return 0.5 * z * (1 + erf(z / sqrt(2.0))); }
static double silu_d(double z) { return z / (1 + exp(-z)); }
static double sigmoid_d(double z) { return 1 / (1 + exp(-z)); }
static double tanh_d(double z) { return tanh(z); }

/* The activations new to neft exact: each against an independent reference. */
static void
test_new_activations(neft_exact_spec_t spec, flint_rand_t state)
{
    arb_t m, r;
    slong iter, a;
    char err[512];
    arb_init(m);
    arb_init(r);

    /* leaky-relu, slope -1/3 and 1/100: one point exactly (K = sw^2 x^2 + sb^2):
       M_2 = K (1 + s^2)/2, M_4 = 3 K^2 (1 + s^4)/2; two points vs quadrature */
    for (iter = 0; iter < 6; iter++)
    {
        const char * slopes[2] = {"-1/3", "1/100"};
        double sl = iter % 2 ? 0.01 : -1.0 / 3, x[2], u[8], q, sw = 1.25, sb = iter < 2 ? 0 : 0.5;
        slong idx[4], k = 4;
        fmpq_t s;
        fmpq_init(s);
        x[0] = 0.75;
        x[1] = iter < 2 ? -1.5 : 0.375 * (double) iter - 1;
        set_spec(spec, "leaky-relu", sw, sb, x, 2);
        fmpq_set_str(s, slopes[iter % 2], 10);
        neft_net_set_act(spec->net, neft_act_lookup("leaky-relu"), s, err, sizeof(err));
        idx[0] = idx[1] = idx[2] = idx[3] = 0;
        CHECK(neft_exact_moment(m, spec, idx, 4, 80) == NEFT_EXACT_SUCCESS, "leaky status");
        {
            /* 3 K^2 (1 + s^4) / 2, exactly */
            fmpq_t K, t, one;
            fmpq_init(K); fmpq_init(t); fmpq_init(one);
            fmpq_set_si(K, 125, 100);
            fmpq_mul(K, K, K);
            fmpq_set_si(t, 3, 4);
            fmpq_mul(K, K, t);
            fmpq_mul(K, K, t);   /* sw^2 x^2, x = 3/4 */
            fmpq_set_si(t, iter < 2 ? 0 : 1, 4);
            fmpq_add(K, K, t);   /* + sb^2 */
            fmpq_pow_si(t, s, 4);
            fmpq_one(one);
            fmpq_add(t, t, one);
            fmpq_mul(t, t, K);
            fmpq_mul(t, t, K);
            fmpq_mul_si(t, t, 3);
            fmpq_div_2exp(t, t, 1);
            arb_set_fmpq(r, t, 80);
            CHECK(arb_overlaps(m, r) && arb_rel_accuracy_bits(m) > 60,
                  "leaky M_4 one point: %s vs %s", arb_get_str(m, 20, 0), arb_get_str(r, 20, 0));
            fmpq_clear(K); fmpq_clear(t); fmpq_clear(one);
        }
        idx[0] = 0; idx[1] = 0; idx[2] = 1; idx[3] = 1;
        for (a = 0; a < k; a++)
        {
            u[2 * a] = sb;
            u[2 * a + 1] = sw * x[idx[a]];
        }
        q = leaky_quadrature(u, (int) k, sl);
        CHECK(neft_exact_moment(m, spec, idx, k, 80) == NEFT_EXACT_SUCCESS, "leaky status");
        CHECK(fabs(arf_get_d(arb_midref(m), ARF_RND_NEAR) - q) < 1e-8 * (1 + fabs(q))
              && mag_cmp_2exp_si(arb_radref(m), -60) < 0,
              "leaky M_4 slope %g sb %g: %s vs quadrature %.15g", sl, sb, arb_get_str(m, 20, 0), q);
        fmpq_clear(s);
    }

    /* relu with antiparallel directions (sb = 0, x and -x): M_2 = 0, answered */
    {
        double x[2] = {1.0, -1.0};
        slong idx[4] = {0, 0, 0, 1};
        set_spec(spec, "relu", 1.0, 0.0, x, 2);
        CHECK(neft_exact_moment(m, spec, idx + 2, 2, 64) == NEFT_EXACT_SUCCESS
              && arb_contains_zero(m) && mag_cmp_2exp_si(arb_radref(m), -50) < 0,
              "relu M_2(x, -x): %s", arb_get_str(m, 20, 0));
        CHECK(neft_exact_moment(m, spec, idx, 4, 64) == NEFT_EXACT_SUCCESS
              && arb_contains_zero(m) && mag_cmp_2exp_si(arb_radref(m), -50) < 0,
              "relu M_4(x, x, x, -x): %s", arb_get_str(m, 20, 0));
    }

    /* linear (Wick) and sin (closed form) vs the integrator on the same plane */
    for (iter = 0; iter < 4; iter++)
    {
        const char * act = iter % 2 ? "sin" : "linear";
        double x[2] = {0.5 + 0.25 * (double) iter, -1.25}, sw = 1.5, sb = 0.75;
        slong idx[4] = {0, 0, 1, 1 - (iter / 2)};
        arb_ptr u = _arb_vec_init(8);
        set_spec(spec, act, sw, sb, x, 2);
        CHECK(neft_exact_moment(m, spec, idx, 4, 100) == NEFT_EXACT_SUCCESS, "%s status", act);
        for (a = 0; a < 4; a++)
        {
            arb_set_d(u + 2 * a, sb);
            arb_set_d(u + 2 * a + 1, sw * x[idx[a]]);
        }
        CHECK(neft_gaussexp_product(r, neft_act_lookup(act), NULL, 0, u, 4, 2, 0, 64, err,
                                    sizeof(err)) == NEFT_SUCCESS, "gaussexp %s: %s", act, err);
        CHECK(arb_overlaps(m, r) && arb_rel_accuracy_bits(m) > 80 && arb_rel_accuracy_bits(r) > 40,
              "%s M_4: closed form %s vs integral %s", act, arb_get_str(m, 25, 0),
              arb_get_str(r, 25, 0));
        _arb_vec_clear(u, 8);
    }

    /* sin and linear need no plane: three distinct points with d_in = 2 answer
       (here against d_in = 1: x -> (x, x) gives the same kernel); gelu there is refused, naming itself */
    {
        double x1[3] = {0.5, -0.25, 1.0};
        double x2[6] = {0.5, 0.5, -0.25, -0.25, 1.0, 1.0};
        slong idx[4] = {0, 1, 2, 2};
        arb_ptr v = _arb_vec_init(6);
        const char * acts[2] = {"sin", "linear"};
        for (a = 0; a < 2; a++)
        {
            slong i;
            set_spec(spec, acts[a], 1.25, 0.5, x1, 3);
            CHECK(neft_exact_moment(r, spec, idx, 4, 80) == NEFT_EXACT_SUCCESS, "d_in 1");
            neft_exact_spec_set_points(spec, NULL, 0);
            spec->net->d_in = 2;
            for (i = 0; i < 6; i++)
                arb_set_d(v + i, x2[i]);
            neft_exact_spec_set_points(spec, v, 3);
            CHECK(neft_exact_moment(m, spec, idx, 4, 80) == NEFT_EXACT_SUCCESS
                  && arb_overlaps(m, r) && arb_rel_accuracy_bits(m) > 60,
                  "%s with d_in 2, three points: %s vs %s", acts[a], arb_get_str(m, 20, 0),
                  arb_get_str(r, 20, 0));
            neft_exact_spec_set_points(spec, NULL, 0);
            spec->net->d_in = 1;
        }
        set_spec(spec, "gelu", 1.25, 0.5, x1, 3);
        neft_exact_spec_set_points(spec, NULL, 0);
        spec->net->d_in = 2;
        {
            /* three points not on one line: the augmented vectors span 3
               dimensions, where gelu (no declared sup) has no method */
            double x3[6] = {0.5, 0.5, -0.25, 0.25, 1.0, 0.0};
            for (a = 0; a < 6; a++)
                arb_set_d(v + a, x3[a]);
        }
        neft_exact_spec_set_points(spec, v, 3);
        err[0] = '\0';
        CHECK(neft_exact_moment_why(m, spec, idx, 4, 64, err, sizeof(err))
                  == NEFT_EXACT_UNSUPPORTED && strstr(err, "gelu") != NULL
              && strstr(err, "spanning 3 dimensions") != NULL && !arb_is_finite(m),
              "gelu with three points: not refused by name: %s", err);
        neft_exact_spec_set_points(spec, NULL, 0);
        spec->net->d_in = 1;
        _arb_vec_clear(v, 6);
    }

    /* the integrated rows against the grid (2-D: sb > 0, two points) */
    {
        const char * acts[4] = {"gelu", "silu", "sigmoid", "tanh"};
        double (*fs[4])(double) = {gelu_d, silu_d, sigmoid_d, tanh_d};
        double x[2] = {0.5, -1.0}, sw = 1.0, sb = 0.5, u[4], q;
        slong idx[2] = {0, 1};
        for (iter = 0; iter < 4; iter++)
        {
            set_spec(spec, acts[iter], sw, sb, x, 2);
            for (a = 0; a < 2; a++)
            {
                u[2 * a] = sb;
                u[2 * a + 1] = sw * x[idx[a]];
            }
            q = grid_quadrature(fs[iter], u, 2);
            CHECK(neft_exact_moment(m, spec, idx, 2, 32) == NEFT_EXACT_SUCCESS, "%s status",
                  acts[iter]);
            CHECK(fabs(arf_get_d(arb_midref(m), ARF_RND_NEAR) - q) < 1e-6
                  && mag_cmp_2exp_si(arb_radref(m), -24) < 0,
                  "%s M_2: ball %s vs grid %.12g", acts[iter], arb_get_str(m, 20, 0), q);
            CHECK(neft_exact_moment_cost(spec, idx, 2, 32) > 0, "%s cost", acts[iter]);
        }
    }
    /* a cost estimate for every row */
    for (a = 0; a < neft_act_count(); a++)
    {
        double x[2] = {0.5, 1.0};
        slong idx[4] = {0, 0, 1, 1};
        set_spec(spec, neft_act_get(a)->name, 1.0, 0.5, x, 2);
        CHECK(neft_exact_moment_cost(spec, idx, 4, 64) > 0, "no cost for %s",
              neft_act_get(a)->name);
    }
    arb_clear(m);
    arb_clear(r);
    (void) state;
}

int
main(void)
{
    flint_rand_t state;
    neft_exact_spec_t spec;
    arb_t m;
    slong iter, i, n;
    _neft_partition_struct parts[400];
    _neft_tuples_struct t;
    static const slong counts[] = {0, 1, 4, 31, 379};

    /* partitions: counts 1, 4, 31, 379 and mu = (-1)^(b-1) (b-1)! */
    for (n = 2; n <= 8; n += 2)
    {
        slong c = _neft_even_partitions(parts, n);
        CHECK(c == counts[n / 2], "even partitions of %ld: %ld", (long) n, (long) c);
        for (i = 0; i < c; i++)
        {
            unsigned all = 0;
            slong k, f = 1;
            for (k = 0; k < parts[i].nblocks; k++)
            {
                CHECK(__builtin_popcount(parts[i].mask[k]) % 2 == 0, "odd block");
                CHECK((all & parts[i].mask[k]) == 0, "overlapping blocks");
                all |= parts[i].mask[k];
            }
            for (k = 2; k < parts[i].nblocks; k++)
                f *= k;
            CHECK(all == (1u << n) - 1, "not a partition");
            CHECK(parts[i].mu == (parts[i].nblocks % 2 ? f : -f), "mu");
        }
    }
    /* tuples: index/get round trip, count binomial(p + k - 1, k) */
    _neft_tuples_init(&t, 4, 6);
    CHECK(t.length == 1 + 4 + 10 + 20 + 35 + 56 + 84, "tuple count %ld", (long) t.length);
    for (i = 0; i < t.length; i++)
    {
        slong idx[8], k = _neft_tuples_get(idx, &t, i);
        CHECK(_neft_tuples_index(&t, idx, k) == i, "tuple round trip");
    }
    _neft_tuples_clear(&t);

    flint_randinit(state);
    arb_init(m);
    neft_exact_spec_init(spec);
    /* ReLU, d_in = 1, sb > 0: closed form vs angular quadrature */
    for (iter = 0; iter < 25; iter++)
    {
        double x[4], u[12], sw = 0.5 + n_randint(state, 100) / 50.0, sb = n_randint(state, 100) / 60.0;
        slong idx[6], k = 2 * (1 + (slong) n_randint(state, 3)), a;
        double q;
        for (i = 0; i < 4; i++)
            x[i] = ((double) n_randint(state, 2001) - 1000.0) / 500.0;
        set_spec(spec, "relu", sw, sb, x, 4);
        for (a = 0; a < k; a++)
            idx[a] = (slong) n_randint(state, 4);
        for (a = 0; a < k; a++)
        {
            u[2 * a] = sb;
            u[2 * a + 1] = sw * x[idx[a]];
        }
        q = relu_quadrature(u, (int) k);
        CHECK(neft_exact_moment(m, spec, idx, k, 80) == NEFT_EXACT_SUCCESS, "relu status");
        CHECK(fabs(arf_get_d(arb_midref(m), ARF_RND_NEAR) - q) < 1e-8 * (1 + fabs(q))
              && mag_cmp_2exp_si(arb_radref(m), -60) < 0,
              "relu M_%ld sw=%g sb=%g: ball %s vs quadrature %.15g", (long) k, sw, sb,
              arb_get_str(m, 20, 0), q);
    }
    /* Erf, d_in = 1, sb > 0 (2-D integration) vs a fine grid; sb = 0 (1-D) too */
    for (iter = 0; iter < 2; iter++)
    {
        double x[2] = {0.3 + 0.2 * iter, -0.9 + 0.5 * iter}, sw = 1.2, sb = iter == 1 ? 0.0 : 0.5;
        double u[8], q;
        slong idx[4] = {0, 0, 1, 1}, a, k = 4;
        set_spec(spec, "erf", sw, sb, x, 2);
        for (a = 0; a < k; a++)
        {
            u[2 * a] = sb;
            u[2 * a + 1] = sw * x[idx[a]];
        }
        q = erf_quadrature(u, (int) k);
        CHECK(neft_exact_moment(m, spec, idx, k, 53) == NEFT_EXACT_SUCCESS, "erf status");
        CHECK(fabs(arf_get_d(arb_midref(m), ARF_RND_NEAR) - q) < 1e-6
              && mag_cmp_2exp_si(arb_radref(m), -40) < 0,
              "erf M_4 sb=%g: ball %s vs quadrature %.12g", sb, arb_get_str(m, 20, 0), q);
    }
    test_new_activations(spec, state);
    neft_exact_spec_clear(spec);
    arb_clear(m);
    flint_randclear(state);
    flint_cleanup();
    return neft_test_finish("t-exact");
}
