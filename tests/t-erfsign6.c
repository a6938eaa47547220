/* Erf's six-factor moments as sign moments (src/exact/erfsign6.c,
   _neft_erfsign6) against references that do not use it:
   - three independent pairs (block-diagonal R): the product of Sheppard's
     closed forms (2/pi) asin r;
   - six exchangeable factors (every R_kl = r: six factors at one point,
     validate's tuple (0,0,0,0,0,0) has r = 0.8): w_k = sqrt(r) Z +
     sqrt(1 - r) e_k, so E_6 = E_Z[erf(a Z)^6], a = sqrt(r / (2 (1 - r))),
     a one-dimensional trapezoidal rule in long double (step 0.02 on
     [-12, 12]: spectrally accurate for this entire, Gaussian-damped
     integrand);
   - a pair independent of four exchangeable factors: (2/pi) asin r1 times
     E_Z[erf(a Z)^4];
   - validate's tetrahedron (sigma_w = sigma_b = 1: R_kl = 0.8 at one point,
     4/15 between points) with the points (0,0,0,1,2,3): E[erf(z_0)^3 erf(z_1)
     erf(z_2) erf(z_3)] by the trapezoidal rule in the four dimensions of z
     (step 0.25 on [-8.5, 8.5]^4, as tests/t-erfsign.c six; long double sums).
   Every ball must contain its reference (to the reference's own error,
   1e-12) and be narrower than 2^-40.  Before erfsign6.c the sign moments
   stopped at M_4 and an M_6 took the 4-D rule's minutes with radii about
   4e-9 (2^-28): this test did not exist; the end-to-end check of
   neft_exact_moments with --npt 6 is tests/t-erfsign.c's "six". */

#include <math.h>
#include <stdio.h>
#include "exact/erfsign.h"
#include "neft-test.h"

#define PI 3.14159265358979323846L

/* E_Z[erf(a Z)^p] by the trapezoidal rule */
static long double
exch(long double r, int p)
{
    long double a = sqrtl(r / (2 * (1 - r))), h = 0.02L, acc = 0;
    int q;
    for (q = -600; q <= 600; q++)
    {
        long double z = h * q, e = erfl(a * z);
        acc += powl(e, p) * expl(-z * z / 2);
    }
    return acc * h / sqrtl(2 * PI);
}

/* the tetrahedron's E[erf(z_0)^3 erf(z_1) erf(z_2) erf(z_3)] */
static long double
tetra(void)
{
    static const double x[4][3] = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
    const double h = 0.25, L = 8.5;     /* 0.3 is off by 2e-12 on some M_6 */
    const int n = (int) (2 * L / h + 0.5) + 1;
    double a[4][4], w1[128], x1[128];
    long double acc = 0;
    int i, j, q0, q1, q2, q3;
    for (i = 0; i < 4; i++)
    {
        for (j = 0; j < 3; j++)
            a[i][j] = x[i][j] / sqrt(3.0);
        a[i][3] = 1;
    }
    for (i = 0; i < n; i++)
    {
        x1[i] = -L + h * i;
        w1[i] = h * exp(-0.5 * x1[i] * x1[i]) / sqrt(2 * (double) PI);
    }
    for (q0 = 0; q0 < n; q0++)
        for (q1 = 0; q1 < n; q1++)
            for (q2 = 0; q2 < n; q2++)
                for (q3 = 0; q3 < n; q3++)
                {
                    double w = w1[q0] * w1[q1] * w1[q2] * w1[q3], s[4];
                    if (w < 1e-300)
                        continue;
                    for (i = 0; i < 4; i++)
                        s[i] = erf(a[i][0] * x1[q0] + a[i][1] * x1[q1] + a[i][2] * x1[q2]
                                   + a[i][3] * x1[q3]);
                    acc += w * s[0] * s[0] * s[0] * s[1] * s[2] * s[3];
                }
    return acc;
}

/* R from a label per factor: r_same between two factors of one label,
   r_diff between labels (or a block per label when r_diff = 0) */
static void
check(const slong * lab, double r_same_num, double r_same_den, double r_diff_num,
      double r_diff_den, long double ref, const char * what)
{
    acb_struct R[36];
    arb_t res;
    slong k, l;
    int st;
    double mid, rad;
    arb_init(res);
    for (k = 0; k < 36; k++)
        acb_init(R + k);
    for (k = 0; k < 6; k++)
        for (l = 0; l < 6; l++)
        {
            if (k == l)
                acb_one(R + 6 * k + l);
            else
            {
                arb_set_d(acb_realref(R + 6 * k + l), lab[k] == lab[l] ? r_same_num : r_diff_num);
                arb_div_si(acb_realref(R + 6 * k + l), acb_realref(R + 6 * k + l),
                           (slong) (lab[k] == lab[l] ? r_same_den : r_diff_den), 64);
            }
        }
    st = _neft_erfsign6(res, R, lab, 64);
    mid = arf_get_d(arb_midref(res), ARF_RND_NEAR);
    rad = mag_get_d(arb_radref(res));
    CHECK(st == NEFT_SUCCESS && arb_is_finite(res), "%s: status %d", what, st);
    CHECK(rad <= ldexp(1, -40), "%s: radius %g above 2^-40", what, rad);
    CHECK(fabsl((long double) mid - ref) <= rad + 1e-12L, "%s: %s, reference %.17Lg", what,
          arb_get_str(res, 20, 0), ref);
    /* without labels (every pair its own class): the same value */
    st = _neft_erfsign6(res, R, NULL, 64);
    CHECK(st == NEFT_SUCCESS && fabsl((long double) arf_get_d(arb_midref(res), ARF_RND_NEAR)
                                      - ref) <= mag_get_d(arb_radref(res)) + 1e-12L,
          "%s without labels: %s, reference %.17Lg", what, arb_get_str(res, 20, 0), ref);
    for (k = 0; k < 36; k++)
        acb_clear(R + k);
    arb_clear(res);
}

int
main(void)
{
    static const slong pairs[6] = {0, 0, 1, 1, 2, 2}, one[6] = {0, 0, 0, 0, 0, 0};
    static const slong two4[6] = {0, 0, 1, 1, 1, 1}, tet[6] = {0, 0, 0, 1, 2, 3};
    /* three independent pairs with one correlation 0.6: ((2/pi) asin 0.6)^3 */
    long double e2 = 2 / PI * asinl(0.6L);
    check(pairs, 3, 5, 0, 1, e2 * e2 * e2, "three pairs");
    /* six exchangeable factors, r = 0.8 */
    check(one, 4, 5, 0, 1, exch(0.8L, 6), "six at one point");
    /* a pair (r = 0.6) independent of four exchangeable factors (r = 0.6) */
    check(two4, 3, 5, 0, 1, e2 * exch(0.6L, 4), "a pair and four");
    /* the tetrahedron: 0.8 at one point, 4/15 between points */
    check(tet, 4, 5, 4, 15, tetra(), "tetrahedron (0,0,0,1,2,3)");
    flint_cleanup();
    return neft_test_finish("t-erfsign6");
}
