/* The exact module's Gaussian moments for three or more distinct points in
   d_in = 2, 3 (src/exact/span.c, cone.c, gridnd.c) against independent
   references: closed forms derived by hand from half-normal moments (ReLU
   cones that are orthants or wedges), the arcsine kernel of erf, the
   existing planar methods (two distinct points, collinear points), and
   GaussNet's closed form. */

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <string.h>
#include "neft/exact.h"
#include "neft-test.h"

static void
set_spec(neft_exact_spec_t spec, const char * act, slong d, double sw, double sb,
         const double * x, slong np)
{
    arb_ptr v = _arb_vec_init(np * d);
    char err[256];
    slong i;
    if (neft_net_set_act_name(spec->net, act, NULL, err, sizeof(err)) != NEFT_SUCCESS)
        FAIL("%s", err);
    neft_exact_spec_set_points(spec, NULL, 0);
    spec->net->d_in = d;
    if (neft_net_set_sigma_d(spec->net, sw, sb) != 0)
        FAIL("sigma");
    for (i = 0; i < np * d; i++)
        arb_set_d(v + i, x[i]);
    neft_exact_spec_set_points(spec, v, np);
    _arb_vec_clear(v, np * d);
}

/* CHECK that M(idx) succeeds and its ball contains ref (and is narrow) */
static void
check_moment(const neft_exact_spec_t spec, const slong * idx, slong n, const arb_t ref,
             slong bits, const char * what)
{
    arb_t m;
    char err[512] = "";
    int st;
    arb_init(m);
    st = neft_exact_moment_why(m, spec, idx, n, 64, err, sizeof err);
    CHECK(st == NEFT_EXACT_SUCCESS && arb_overlaps(m, ref) && arb_rel_accuracy_bits(m) >= bits,
          "%s: status %d (%s), %s vs reference %s", what, st, err, arb_get_str(m, 20, 0),
          arb_get_str(ref, 20, 0));
    arb_clear(m);
}

int
main(void)
{
    neft_exact_spec_t spec;
    arb_t ref, t, c2;
    neft_exact_spec_init(spec);
    arb_init(ref);
    arb_init(t);
    arb_init(c2);
    arb_const_pi(c2, 128);
    arb_mul_2exp_si(c2, c2, 1);
    arb_inv(c2, c2, 128);      /* c^2 = 1/(2 pi), c = E[w; w > 0] */

    /* ReLU, sigma_b = 0, d_in = 2 (rank 2): points e1, e2, (1,1); z = w.x/sqrt 2.
       M(0,0,1,2) = E[w1^2 w2 (w1 + w2); w1, w2 > 0] / 4
                  = (E+[w^3] E+[w] + E+[w^2]^2) / 4 = (2 c^2 + 1/4) / 4 */
    {
        double x[6] = {1, 0, 0, 1, 1, 1};
        slong idx[4] = {0, 0, 1, 2};
        set_spec(spec, "relu", 2, 1, 0, x, 3);
        arb_mul_2exp_si(ref, c2, 1);
        arb_set_d(t, 0.25);
        arb_add(ref, ref, t, 128);
        arb_mul_2exp_si(ref, ref, -2);
        check_moment(spec, idx, 4, ref, 50, "relu d_in 2, sb 0, three points");
    }

    /* ReLU, sigma_b = 0, d_in = 3 (rank 3, the cone method): points e1, e2, e3,
       (1,1,1); z = w.x/sqrt 3.
       M(0,1,2,3) = E[w1 w2 w3 (w1+w2+w3); orthant] / 9 = 3 (1/2) c^2 / 9;
       M(0,1,2,2,3,3) = E[w1 w2 w3^2 (w1+w2+w3)^2; orthant] / 27
                      = (15/2 c^2 + 1/4) / 27 */
    {
        double x[12] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1};
        slong i4[4] = {0, 1, 2, 3}, i6[6] = {0, 1, 2, 2, 3, 3};
        set_spec(spec, "relu", 3, 1, 0, x, 4);
        arb_mul_ui(ref, c2, 3, 128);
        arb_div_ui(ref, ref, 18, 128);
        check_moment(spec, i4, 4, ref, 50, "relu d_in 3 orthant, M_4");
        arb_mul_ui(ref, c2, 15, 128);
        arb_mul_2exp_si(ref, ref, -1);
        arb_set_d(t, 0.25);
        arb_add(ref, ref, t, 128);
        arb_div_ui(ref, ref, 27, 128);
        check_moment(spec, i6, 6, ref, 50, "relu d_in 3 orthant, M_6");
    }

    /* A wedge that is not an orthant: points e1, e2, (1,-1,0), e3:
       M = E[w1 w2 (w1 - w2) w3; w1 > w2 > 0, w3 > 0] / 9
         = c * [int_0^inf r^4 e^{-r^2/2} dr / (2 pi)] * int_0^{pi/4} cos sin (cos - sin)
         = c * 3 sqrt(pi/2) / (2 pi) * (1 - sqrt(2)/2) / 3 / 9 */
    {
        double x[12] = {1, 0, 0, 0, 1, 0, 1, -1, 0, 0, 0, 1};
        slong i4[4] = {0, 1, 2, 3};
        set_spec(spec, "relu", 3, 1, 0, x, 4);
        arb_sqrt(ref, c2, 128);                      /* c */
        arb_const_pi(t, 128);
        arb_mul_2exp_si(t, t, -1);
        arb_sqrt(t, t, 128);
        arb_mul(ref, ref, t, 128);                   /* c sqrt(pi/2) */
        arb_mul(ref, ref, c2, 128);                  /* / (2 pi) */
        arb_sqrt_ui(t, 2, 128);
        arb_mul_2exp_si(t, t, -1);
        arb_sub_ui(t, t, 1, 128);
        arb_neg(t, t);
        arb_mul(ref, ref, t, 128);
        arb_div_ui(ref, ref, 9, 128);
        check_moment(spec, i4, 4, ref, 50, "relu d_in 3 wedge");
    }

    /* ReLU on rank-3 spans against an independent second method: the
       radial integral exact, the angular one over S^2 by the midpoint rule in
       (cos theta, phi) with 1500 x 3000 nodes (the integrand is continuous,
       piecewise smooth: relative error about 1e-6) */
    {
        static const struct
        {
            slong d;
            double sw, sb, x[12];
            slong np, n, idx[6];
        }
        cases[3] = {
            {2, 1.5, 1, {1, 0, 0, 1, 1, 1}, 3, 4, {0, 0, 1, 2}},
            {2, 1, 0.5, {0.5, -1, 1, 0.25, -0.75, 0.5, 0, 0}, 4, 6, {0, 1, 2, 3, 3, 1}},
            {3, 1, 0, {1, 0.5, 0, -0.5, 1, 0.25, 0, -0.25, 1, 1, 1, 1}, 4, 4, {0, 1, 2, 3}},
        };
        slong ci;
        for (ci = 0; ci < 3; ci++)
        {
            double sum = 0, rad = 1, q, a[8][3];
            slong i, j, k, d = cases[ci].d, n = cases[ci].n;
            const int nt = 1500, np = 3000;
            arb_t m;
            char err[512] = "", what[64];
            arb_init(m);
            set_spec(spec, "relu", d, cases[ci].sw, cases[ci].sb, cases[ci].x, cases[ci].np);
            /* a_i = (sw x_i / sqrt d, sb) in R^3 (d = 3: sb = 0) */
            for (i = 0; i < cases[ci].np; i++)
            {
                for (j = 0; j < d; j++)
                    a[i][j] = cases[ci].sw * cases[ci].x[i * d + j] / sqrt((double) d);
                if (d == 2)
                    a[i][2] = cases[ci].sb;
            }
            for (i = 0; i < nt; i++)
            {
                double ct = -1 + 2.0 * (i + 0.5) / nt, st = sqrt(1 - ct * ct);
                for (j = 0; j < np; j++)
                {
                    double ph = 2 * M_PI * (j + 0.5) / np, w[3] = {st * cos(ph), st * sin(ph), ct},
                           p = 1;
                    for (k = 0; k < n && p != 0; k++)
                    {
                        const double * u = a[cases[ci].idx[k]];
                        double z = u[0] * w[0] + u[1] * w[1] + u[2] * w[2];
                        p *= z > 0 ? z : 0;
                    }
                    sum += p;
                }
            }
            sum *= 4 * M_PI / ((double) nt * np);   /* int over S^2 */
            /* int_0^inf r^(n+2) e^{-r^2/2} dr = (n+1)!! sqrt(pi/2) */
            for (k = n + 1; k > 1; k -= 2)
                rad *= (double) k;
            rad *= sqrt(M_PI / 2);
            q = sum * rad / pow(2 * M_PI, 1.5);
            snprintf(what, sizeof what, "relu rank 3 case %ld", (long) ci);
            CHECK(neft_exact_moment_why(m, spec, cases[ci].idx, n, 64, err, sizeof err)
                  == NEFT_EXACT_SUCCESS && arb_rel_accuracy_bits(m) > 50
                  && fabs(arf_get_d(arb_midref(m), ARF_RND_NEAR) - q) < 2e-5 * fabs(q),
                  "%s: %s (%s) vs midpoint rule %.10g", what, arb_get_str(m, 20, 0), err, q);
            arb_clear(m);
        }
    }

    /* erf, d_in = 2, sb = 1 (rank 3, the shared 3-D rule) on the corners:
       M_2 against the arcsine kernel (2/pi) asin(2k12 / sqrt((1+2k11)(1+2k22)));
       M_4 of two points against the planar integrator of a two-point spec */
    {
        double x[6] = {1, 1, 1, -1, -1, 1}, x2[4] = {1, 1, 1, -1};
        slong i2[2] = {0, 1}, i4[4] = {0, 0, 1, 1};
        neft_exact_moments_t mom;
        arb_t m, r;
        char err[512] = "";
        arb_init(m);
        arb_init(r);
        neft_exact_moments_init(mom);
        set_spec(spec, "erf", 2, 1, 1, x, 3);
        spec->npt_mask = (1u << 2) | (1u << 4);
        CHECK(neft_exact_moments(mom, spec, 64, NULL, NULL, err, sizeof err)
              == NEFT_EXACT_SUCCESS, "erf corners: %s", err);
        /* k11 = 1 + 2/2 = 2, k12 = 1 + 0 = 1: (2/pi) asin(2/5) */
        arb_set_ui(ref, 2);
        arb_div_ui(ref, ref, 5, 128);
        arb_asin(ref, ref, 128);
        arb_const_pi(t, 128);
        arb_div(ref, ref, t, 128);
        arb_mul_2exp_si(ref, ref, 1);
        neft_exact_moments_get(m, mom, i2, 2);
        CHECK(arb_overlaps(m, ref) && arb_rel_accuracy_bits(m) > 35,
              "erf M_2 vs arcsine: %s vs %s", arb_get_str(m, 20, 0), arb_get_str(ref, 20, 0));
        neft_exact_moments_get(m, mom, i4, 4);
        set_spec(spec, "erf", 2, 1, 1, x2, 2);
        CHECK(neft_exact_moment(r, spec, i4, 4, 64) == NEFT_EXACT_SUCCESS
              && arb_overlaps(m, r) && arb_rel_accuracy_bits(m) > 35,
              "erf M_4(0,0,1,1): 3-D rule %s vs planar %s", arb_get_str(m, 20, 0),
              arb_get_str(r, 20, 0));
        neft_exact_moments_clear(mom);

        /* collinear points (0,0), (1,0), (2,0): rank 2, so a three-point
           moment runs the planar integrator; the 3-D rule of the whole spec
           must agree */
        {
            double xc[6] = {0, 0, 1, 0, 2, 0};
            slong ic[4] = {0, 1, 2, 2};
            set_spec(spec, "erf", 2, 1, 1, xc, 3);
            spec->npt_mask = (1u << 2) | (1u << 4);
            CHECK(neft_exact_moment(r, spec, ic, 4, 64) == NEFT_EXACT_SUCCESS,
                  "erf collinear planar");
            CHECK(neft_exact_moments(mom, spec, 64, NULL, NULL, err, sizeof err)
                  == NEFT_EXACT_SUCCESS, "erf collinear: %s", err);
            neft_exact_moments_get(m, mom, ic, 4);
            CHECK(arb_overlaps(m, r) && arb_rel_accuracy_bits(m) > 35
                  && arb_rel_accuracy_bits(r) > 35,
                  "erf collinear M_4: 3-D rule %s vs planar %s", arb_get_str(m, 20, 0),
                  arb_get_str(r, 20, 0));
            neft_exact_moments_clear(mom);
        }
        arb_clear(m);
        arb_clear(r);
    }

    /* GaussNet in d_in = 3, four points: exp(sum_ab k_ab / 2 - sum_a k_aa) */
    {
        double x[12] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1};
        slong i4[4] = {0, 1, 2, 3};
        /* sw = 1, sb = 0: k = x.y / 3; sum_ab k_ab = |e1+e2+e3+(1,1,1)|^2/3 = 12/3;
           sum_a k_aa = (1+1+1+3)/3 = 2: exp(2 - 2) = 1 */
        set_spec(spec, "gauss", 3, 1, 0, x, 4);
        arb_one(ref);
        check_moment(spec, i4, 4, ref, 50, "gaussnet d_in 3");
    }

    /* still refused, by name: leaky-relu on a span of rank 3 */
    {
        double x[12] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1};
        slong i4[4] = {0, 1, 2, 3};
        arb_t m;
        char err[512] = "";
        arb_init(m);
        set_spec(spec, "leaky-relu", 3, 1, 0, x, 4);
        CHECK(neft_exact_moment_why(m, spec, i4, 4, 64, err, sizeof err)
              == NEFT_EXACT_UNSUPPORTED && strstr(err, "leaky-relu") != NULL,
              "leaky-relu rank 3: %s", err);
        arb_clear(m);
    }

    arb_clear(ref);
    arb_clear(t);
    arb_clear(c2);
    neft_exact_spec_clear(spec);
    flint_cleanup();
    return neft_test_finish("t-exact-dims");
}
