/* Gaussian moments M_n = E[prod_a sigma(z(x_a))] with an odd number n of
   factors (neft_exact_moment_why, src/exact/moments.c), against references
   computed here in double precision without the library:

   1. relu and leaky-relu (slope 0.2), sigma_b > 0, at the one-factor
      points x_i = c_i e_i (i < d_in), x_{d_in} = 0 of d_in = 1, 2, 3
      (cone-ref.h: a 1-D integral of products of truncated-normal moments),
      to 1e-11 relative: the tuples with one or two distinct points (the
      plane's closed form), three (the rank-3 cone, cone.c) and four (the
      rank-4 orthant moments, cone4.c).  Before the fix, the plane's radial
      factor was 2^(n/2) (n/2)! with n/2 truncated, where the integral is
      2^(n/2) Gamma(n/2 + 1) = n!! sqrt(pi/2) for n odd: M_3 came out
      1.88 times too small (M_1 1.25 times).
   2. relu, d_in = 1, sigma_b = 1/2 at three generic points: the inner
      integral over the bias direction in closed form (the product is a
      polynomial beyond the last kink), the outer by Gauss-Legendre with a
      cut at 0, to 1e-11.
   3. A block-diagonal kernel in d_in = 3 (x_0, x_1 = (1, +-1, 0), x_2,
      x_3 = (-3, 0, +-1), sigma_b = 1: k = 0 across the pairs):
      M_6(0,0,1,2,3,3) (cone4.c) = M_3(0,0,1) M_3(2,3,3) (the plane); before:
      6.7382 against 1.9065.
   4. Odd rows (sin, tanh, linear): exactly 0 for odd n.  Sigmoid = 1/2 +
      tanh(z/2)/2 at one point: M_1 = 1/2, M_3 = (3/2) M_2 - 1/4 (an
      identity with the library's own M_2).  Sigmoid on a span of rank 3
      (d_in = 3, three distinct points), odd n: UNSUPPORTED (before: 0 from
      the shared rule, whose tree keeps even lengths only -- impossible for
      a positive activation). */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/exact.h"
#include "neft-test.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define GLN 20
#include "gl-ref.h"
#include "cone-ref.h"

/* int_B^inf b^k phi(b) db, k = 0..K, into J */
static void
upper_moments(double * J, int K, double B)
{
    double phi = exp(-B * B / 2) / sqrt(2 * M_PI);
    int k;
    J[0] = 0.5 * erfc(B / sqrt(2));
    if (K >= 1)
        J[1] = phi;
    for (k = 2; k <= K; k++)
        J[k] = pow(B, k - 1) * phi + (k - 1) * J[k - 2];
}

/* relu, d_in = 1, sigma_w = 1: z_a = sb b + x_a w.  For fixed w the product
   of the n factors is the polynomial prod_a (sb b + x_a w) for b > B(w) =
   max_a (-x_a w / sb) and 0 below: its Gaussian integral by upper_moments.
   B is linear in w on either side of 0: Gauss-Legendre on 2 x 120 panels. */
static double
plane_ref(const double * x, const slong * idx, int n, double sb)
{
    double sum = 0;
    int side, p, q;
    for (side = 0; side < 2; side++)
        for (p = 0; p < 120; p++)
            for (q = 0; q < GLN; q++)
            {
                double h = 0.1, w = (side ? 1 : -1) * h * (p + 0.5 + 0.5 * gx[q]),
                       c[NEFT_SAMPLE_MAX_NPT + 1], J[NEFT_SAMPLE_MAX_NPT + 1], B = -INFINITY,
                       f = 0;
                int a, k;
                /* the polynomial's coefficients in b */
                c[0] = 1;
                for (k = 1; k <= n; k++)
                    c[k] = 0;
                for (a = 0; a < n; a++)
                {
                    double b0 = x[idx[a]] * w, t = -b0 / sb;
                    B = t > B ? t : B;
                    for (k = a + 1; k > 0; k--)
                        c[k] = c[k] * b0 + c[k - 1] * sb;
                    c[0] *= b0;
                }
                upper_moments(J, n, B);
                for (k = 0; k <= n; k++)
                    f += c[k] * J[k];
                sum += 0.5 * h * gw[q] * exp(-w * w / 2) / sqrt(2 * M_PI) * f;
            }
    return sum;
}

int
main(void)
{
    neft_exact_spec_t spec;
    arb_t r, s;
    char err[512];
    gl_init();
    neft_exact_spec_init(spec);
    arb_init(r);
    arb_init(s);

    /* 1. one-factor points, d_in = 1, 2, 3 */
    {
        static const double cs[3] = {0.7, 1.3, 0.4};
        static const slong tup[][5] = { {0}, {1}, {3}, {0, 0, 1}, {0, 1, 1}, {0, 0, 0},
                                        {0, 0, 3}, {0, 3, 3}, {0, 0, 0, 0, 3},
                                        {0, 1, 1, 1, 1}, {0, 1, 2}, {0, 1, 3}, {1, 2, 2},
                                        {0, 0, 1, 2, 3}, {0, 1, 2, 3, 3}, {2, 2, 2, 3, 3} };
        static const int len[] = {1, 1, 1, 3, 3, 3, 3, 3, 5, 5, 3, 3, 3, 5, 5, 5};
        static const double sbs[2] = {1, 0.5};
        int d, t, k, leaky;
        for (leaky = 0; leaky < 2; leaky++)
            for (d = 1; d <= 3; d++)
                for (k = 0; k < 2; k++)
                {
                    double x[12] = {0};
                    int i;
                    /* rank 4 with leaky-relu is not implemented: relu only at d_in = 3 */
                    if (leaky && d == 3)
                        continue;
                    for (i = 0; i < d; i++)
                        x[i * d + i] = cs[i];
                    cref_set_spec(spec, leaky ? "leaky-relu" : "relu", leaky ? "0.2" : NULL,
                                  d, sbs[k], x, d + 1);
                    for (t = 0; t < (int) (sizeof len / sizeof len[0]); t++)
                    {
                        int mult[4] = {0, 0, 0, 0}, ok = 1;
                        char what[128];
                        slong idx[5];
                        double ref;
                        /* points 0 .. d - 1 on the axes, point d the origin; the
                           tuple's index 3 means the origin */
                        for (i = 0; i < len[t]; i++)
                        {
                            idx[i] = tup[t][i] == 3 ? d : tup[t][i];
                            ok = ok && (tup[t][i] == 3 || tup[t][i] < d);
                        }
                        if (!ok)
                            continue;
                        /* leaky-relu on three distinct points with d_in = 2 spans rank 3:
                           not implemented (docs/cmd-exact.md) */
                        if (leaky && d == 2)
                        {
                            slong m = 0, j, l;
                            for (j = 0; j < len[t]; j++)
                            {
                                for (l = 0; l < j && idx[l] != idx[j]; l++)
                                    ;
                                m += l == j;
                            }
                            if (m >= 3)
                                continue;
                        }
                        for (i = 0; i < len[t]; i++)
                            mult[idx[i]]++;
                        ref = cref_one_factor(mult, cs, d, sbs[k], leaky ? 0.2 : 0);
                        snprintf(what, sizeof what, "%s d_in %d sb %g, tuple %d (n = %d)",
                                 leaky ? "leaky-relu" : "relu", d, sbs[k], t, len[t]);
                        cref_check(spec, idx, len[t], ref, 50, what);
                    }
                }
    }

    /* 2. relu, d_in = 1, three generic points */
    {
        static const double x[3] = {-0.7, 0.4, 1.3};
        static const slong tup[][5] = { {0}, {0, 1, 2}, {0, 0, 2}, {1, 2, 2}, {0, 1, 1, 2, 2},
                                        {0, 0, 0, 1, 2} };
        static const int len[] = {1, 3, 3, 3, 5, 5};
        int t;
        cref_set_spec(spec, "relu", NULL, 1, 0.5, x, 3);
        for (t = 0; t < (int) (sizeof len / sizeof len[0]); t++)
        {
            char what[64];
            snprintf(what, sizeof what, "relu d_in 1 generic points, tuple %d", t);
            cref_check(spec, tup[t], len[t], plane_ref(x, tup[t], len[t], 0.5), 50, what);
        }
        /* the reference itself on an even moment against the library's even branch */
        {
            static const slong e4[4] = {0, 1, 1, 2};
            cref_check(spec, e4, 4, plane_ref(x, e4, 4, 0.5), 50, "relu d_in 1, M_4 (even)");
        }
    }

    /* 3. the block-diagonal kernel of the report: M_6 = M_3 M_3 */
    {
        static const double x[12] = {1, 1, 0, 1, -1, 0, -3, 0, 1, -3, 0, -1};
        static const slong i6[6] = {0, 0, 1, 2, 3, 3}, ia[3] = {0, 0, 1}, ib[3] = {2, 3, 3};
        int st, sa, sb2;
        cref_set_spec(spec, "relu", NULL, 3, 1, x, 4);
        st = cref_moment(r, spec, i6, 6, err, sizeof err);
        sa = cref_moment(s, spec, ia, 3, err, sizeof err);
        CHECK(sa == NEFT_EXACT_SUCCESS, "M_3(0,0,1): %d (%s)", sa, err);
        {
            arb_t t;
            arb_init(t);
            sb2 = cref_moment(t, spec, ib, 3, err, sizeof err);
            arb_mul(s, s, t, 128);
            arb_clear(t);
        }
        CHECK(st == NEFT_EXACT_SUCCESS && sb2 == NEFT_EXACT_SUCCESS
              && arb_rel_accuracy_bits(r) >= 55 && arb_overlaps(r, s),
              "block diagonal: M_6(0,0,1,2,3,3) = %s, M_3(0,0,1) M_3(2,3,3) = %s (status %d %d)",
              arb_get_str(r, 20, 0), arb_get_str(s, 20, 0), st, sb2);
    }

    /* 4. odd rows; sigmoid's identity; sigmoid on a span of rank 3 */
    {
        static const double x1[2] = {0.6, -1.1};
        static const double x3[9] = {0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1, 0.5};
        static const slong o3[3] = {0, 0, 1}, o1[1] = {1}, p2[2] = {0, 0}, p3[3] = {0, 0, 0},
                           q3[3] = {0, 1, 2};
        static const char * odd[3] = {"sin", "tanh", "linear"};
        int i, st;
        for (i = 0; i < 3; i++)
        {
            cref_set_spec(spec, odd[i], NULL, 1, 0.5, x1, 2);
            st = cref_moment(r, spec, o3, 3, err, sizeof err);
            CHECK(st == NEFT_EXACT_SUCCESS && arb_is_zero(r), "%s M_3: %d (%s) %s", odd[i], st,
                  err, arb_get_str(r, 10, 0));
            st = cref_moment(r, spec, o1, 1, err, sizeof err);
            CHECK(st == NEFT_EXACT_SUCCESS && arb_is_zero(r), "%s M_1: %d (%s) %s", odd[i], st,
                  err, arb_get_str(r, 10, 0));
        }
        cref_set_spec(spec, "sigmoid", NULL, 1, 0.5, x1, 2);
        st = cref_moment(r, spec, o1, 1, err, sizeof err);
        arb_set_d(s, 0.5);
        CHECK(st == NEFT_EXACT_SUCCESS && arb_contains(r, s) && arb_rel_accuracy_bits(r) > 40,
              "sigmoid M_1 = %s (%d, %s), not 1/2", arb_get_str(r, 20, 0), st, err);
        /* (1/2 + g)^3 with g odd: E = 1/8 + (3/2) E[g^2], E[g^2] = M_2 - 1/4 */
        st = cref_moment(s, spec, p2, 2, err, sizeof err);
        CHECK(st == NEFT_EXACT_SUCCESS, "sigmoid M_2: %d (%s)", st, err);
        arb_mul_ui(s, s, 3, 64);
        arb_mul_2exp_si(s, s, -1);
        arb_set_d(r, 0.25);
        arb_sub(s, s, r, 64);
        st = cref_moment(r, spec, p3, 3, err, sizeof err);
        CHECK(st == NEFT_EXACT_SUCCESS && arb_overlaps(r, s) && arb_rel_accuracy_bits(r) > 40,
              "sigmoid M_3 = %s, (3/2) M_2 - 1/4 = %s (%d, %s)", arb_get_str(r, 20, 0),
              arb_get_str(s, 20, 0), st, err);
        cref_set_spec(spec, "sigmoid", NULL, 3, 1, x3, 3);
        st = cref_moment(r, spec, q3, 3, err, sizeof err);
        CHECK(st == NEFT_EXACT_UNSUPPORTED && !arb_is_finite(r) && strstr(err, "odd"),
              "sigmoid d_in 3, M_3 of three points: %d (%s) %s", st, err,
              arb_get_str(r, 10, 0));
    }

    arb_clear(r);
    arb_clear(s);
    neft_exact_spec_clear(spec);
    return neft_test_finish("t-moments-odd");
}
