/* Property tests of the exact module: Gaussian expectations M_k against
   independent quadratures, the even-block partitions, the sorted tuples. */

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include "neft/exact.h"
#include "sample/tuples.h"
#include "neft-test.h"

/* E[prod relu(u_a . xi)] for xi ~ N(0, I_2): radial part exact, angular part by
   the midpoint rule with many nodes (the integrand is continuous, piecewise
   smooth: error O(h^2)). Independent of the product-to-sum closed form. */
static double
relu_quadrature(const double * u, int n)
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
            p *= z > 0 ? z : 0;
        }
        s += p;
    }
    return s / nodes * radial;
}

/* E[prod erf(u_a . xi)], 2-D Gauss-Hermite-free: midpoint on a fine grid of
   polar coordinates (smooth integrand, r up to 9). */
static double
erf_quadrature(const double * u, int n)
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
                p *= erf(r * (u[2 * a] * c + u[2 * a + 1] * sn));
            s += p;
        }
    }
    return s * (R / nr) * (2 * M_PI / nt) / (2 * M_PI);
}

/* the exact rational value of a double */
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
    neft_exact_spec_clear(spec);
    arb_clear(m);
    flint_randclear(state);
    flint_cleanup();
    return neft_test_finish("t-exact");
}
