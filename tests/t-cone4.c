/* ReLU's Gaussian moments on a span of rank 4 (src/exact/cone4.c: d_in = 3,
   sigma_b > 0, four distinct points; before: UNSUPPORTED), against
   references computed here by other methods:

   1. One-factor kernels, to 1e-11: points on the axes and the origin,
      x_i = c_i e_i (i < 3), x_3 = 0, so z_i = sb b + (c_i / sqrt 3) w_i and
      z_3 = sb b with b, w_i independent standard normals; given b = s the
      factors are independent, so
        M = int phi(s) (sb s)_+^m3 prod_{i<3} I_{m_i}(sb s, c_i / sqrt 3) ds,
      I_m(mu, sd) = E[(mu + sd e)^m H(mu + sd e)] by its recursion
      I_0 = Phi(mu/sd), I_1 = mu Phi + sd phi, I_m = mu I_{m-1} + (m-1) sd^2
      I_{m-2}, the s-integral by composite Gauss-Legendre in double.  Small
      c_i make the pre-activations nearly parallel (correlations 0.97 and
      0.985-0.99), as at validate's points (0.94-0.97).
   2. A block-diagonal kernel (two independent pairs of points): the moment
      is the product of two-point moments (the plane's closed forms); the
      balls overlap.
   3. validate's d_in = 3 points (0.5,0.5,0.5), (1,0.5,0.5), (0.5,1,0.5),
      (0.5,0.5,1) with sigma_b = 1: Monte Carlo (2^21 samples, 5 standard
      errors: a weak check) and the moments bit for bit the same on 1 and 2
      threads.
   4. Five distinct points on a rank-4 span: UNSUPPORTED (not a ball). */

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

int
main(void)
{
    neft_exact_spec_t spec;
    arb_t r;
    char err[512];
    double t0 = cref_cpu();
    gl_init();
    neft_exact_spec_init(spec);
    arb_init(r);

    /* 1. one-factor kernels */
    {
        static const double cs[4][3] = { {1, 1, 1}, {0.2, 0.5, 1}, {0.3, 0.3, 0.3},
                                         {0.2, 0.15, 0.25} };
        static const double sbs[4] = {1, 0.5, 1, 1};
        static const slong tup[3][6] = { {0, 1, 2, 3}, {0, 0, 1, 2, 3, 3},
                                         {0, 1, 1, 1, 2, 3} };
        static const slong len[3] = {4, 6, 6};
        int k, t;
        for (k = 0; k < 4; k++)
        {
            double x[12] = {0};
            x[0] = cs[k][0];
            x[4] = cs[k][1];
            x[8] = cs[k][2];
            cref_set_spec(spec, "relu", NULL, 3, sbs[k], x, 4);
            for (t = 0; t < 3; t++)
            {
                int mult[4] = {0, 0, 0, 0}, i;
                double ref;
                char what[128];
                for (i = 0; i < len[t]; i++)
                    mult[tup[t][i]]++;
                ref = cref_one_factor(mult, cs[k], 3, sbs[k], 0);
                snprintf(what, sizeof what, "one factor c = (%g, %g, %g), sb = %g, tuple %d",
                         cs[k][0], cs[k][1], cs[k][2], sbs[k], t);
                cref_check(spec, tup[t], len[t], ref, 55, what);
            }
        }
    }

    /* 2. two independent pairs: x_0, x_1 = (1, +-1, 0), x_2, x_3 = (-3, 0, +-1) with
       sigma_b = 1 give k(x_i, x_j) = 1 + x_i . x_j / 3 = 0 across the pairs, so the
       moment factorises into (even) moments of two points (the closed forms of the plane,
       moments.c: another method); the balls must overlap */
    {
        static const double x[12] = {1, 1, 0, 1, -1, 0, -3, 0, 1, -3, 0, -1};
        static const slong tup[3][6] = { {0, 1, 2, 3}, {0, 0, 1, 1, 2, 3},
                                         {0, 1, 1, 1, 2, 3} };
        static const slong len[3] = {4, 6, 6};
        arb_t ra, rb;
        int t, st, sa, sb2;
        arb_init(ra);
        arb_init(rb);
        cref_set_spec(spec, "relu", NULL, 3, 1, x, 4);
        for (t = 0; t < 3; t++)
        {
            slong na = 0, nb = 0, ia[6], ib[6], i;
            for (i = 0; i < len[t]; i++)
                if (tup[t][i] < 2)
                    ia[na++] = tup[t][i];
                else
                    ib[nb++] = tup[t][i];
            st = cref_moment(r, spec, tup[t], len[t], err, sizeof err);
            sa = cref_moment(ra, spec, ia, na, err + 256, 128);
            sb2 = cref_moment(rb, spec, ib, nb, err + 384, 128);
            arb_mul(ra, ra, rb, 128);
            CHECK(st == NEFT_EXACT_SUCCESS && sa == NEFT_EXACT_SUCCESS
                  && sb2 == NEFT_EXACT_SUCCESS && arb_rel_accuracy_bits(r) >= 55
                  && arb_overlaps(r, ra),
                  "independent pairs, tuple %d: status %d %d %d, %s vs the product %s", t, st,
                  sa, sb2, arb_get_str(r, 20, 0), arb_get_str(ra, 20, 0));
        }
        arb_clear(ra);
        arb_clear(rb);
    }

    /* 3. validate's points, sigma_b = 1: Monte Carlo; threads */
    {
        static const double x[12] = {0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1};
        static const slong tup[3][6] = { {0, 1, 2, 3}, {0, 0, 1, 1, 2, 3}, {0, 1, 2, 3, 3, 3} };
        static const slong len[3] = {4, 6, 6};
        const long N = 1L << 21;
        double s[3] = {0, 0, 0}, s2[3] = {0, 0, 0};
        long it;
        int t, st;
        cref_set_spec(spec, "relu", NULL, 3, 1, x, 4);
        for (it = 0; it < N; it++)
        {
            double g[4], z[4];
            int i, j;
            for (i = 0; i < 4; i += 2)
            {
                double u = cref_unif(), v = cref_unif(), rr = sqrt(-2 * log(u));
                g[i] = rr * cos(2 * M_PI * v);
                g[i + 1] = rr * sin(2 * M_PI * v);
            }
            for (i = 0; i < 4; i++)
            {
                z[i] = g[3];
                for (j = 0; j < 3; j++)
                    z[i] += x[3 * i + j] * g[j] / sqrt(3.0);
                z[i] = z[i] > 0 ? z[i] : 0;
            }
            for (t = 0; t < 3; t++)
            {
                double f = 1;
                for (i = 0; i < len[t]; i++)
                    f *= z[tup[t][i]];
                s[t] += f;
                s2[t] += f * f;
            }
        }
        for (t = 0; t < 3; t++)
        {
            double mean = s[t] / N, se = sqrt((s2[t] / N - mean * mean) / N), a;
            st = cref_moment(r, spec, tup[t], len[t], err, sizeof err);
            a = arf_get_d(arb_midref(r), ARF_RND_NEAR);
            CHECK(st == NEFT_EXACT_SUCCESS && arb_rel_accuracy_bits(r) >= 55
                  && fabs(a - mean) <= 5 * se,
                  "validate's points, tuple %d: status %d (%s), %s vs Monte Carlo %.6g +- %.2g",
                  t, st, err, arb_get_str(r, 20, 0), mean, se);
        }
        cref_check_threads(spec, 4, "rank 4");
    }

    /* 4. five distinct points on a rank-4 span */
    {
        static const double x[15] = {0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1,
                                     1, 1, 1};
        static const slong tup[6] = {0, 1, 2, 3, 4, 4};
        int st;
        cref_set_spec(spec, "relu", NULL, 3, 1, x, 5);
        st = cref_moment(r, spec, tup, 6, err, sizeof err);
        CHECK(st == NEFT_EXACT_UNSUPPORTED && !arb_is_finite(r),
              "five points, rank 4: status %d (%s), %s", st, err, arb_get_str(r, 10, 0));
    }

    /* printed, not asserted (speed is measured in bench/) */
    printf("t-cone4: %.1f s of CPU\n", cref_cpu() - t0);
    arb_clear(r);
    neft_exact_spec_clear(spec);
    return neft_test_finish("t-cone4");
}
