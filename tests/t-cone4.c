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
#include <time.h>
#include "neft/exact.h"
#include "neft-test.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define NG 20
static double glx[NG], glw[NG];

static void
gl_init(void)
{
    int i, it, k;
    for (i = 0; i < NG; i++)
    {
        double x = cos(M_PI * (i + 0.75) / (NG + 0.5)), p0 = 1, p1 = x, dp = 1;
        for (it = 0; it < 100; it++)
        {
            double dx;
            p0 = 1;
            p1 = x;
            for (k = 2; k <= NG; k++)
            {
                double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = NG * (x * p1 - p0) / (x * x - 1);
            dx = p1 / dp;
            x -= dx;
            if (fabs(dx) < 1e-16)
                break;
        }
        glx[i] = x;
        glw[i] = 2 / ((1 - x * x) * dp * dp);
    }
}

/* E[(mu + sd e)^m H(mu + sd e)] */
static double
trunc_moment(int m, double mu, double sd)
{
    double a = mu / sd, Phi = 0.5 * erfc(-a / sqrt(2)), phi = exp(-a * a / 2) / sqrt(2 * M_PI);
    double i0 = Phi, i1 = mu * Phi + sd * phi, i2;
    int k;
    if (m == 0)
        return i0;
    for (k = 2; k <= m; k++)
    {
        i2 = mu * i1 + (k - 1) * sd * sd * i0;
        i0 = i1;
        i1 = i2;
    }
    return i1;
}

/* the one-factor reference (case 1): mult[4], c[3], sb */
static double
one_factor(const int * mult, const double * c, double sb)
{
    const int panels = 240;
    double lo = mult[3] > 0 ? 0 : -12, hi = 12, h = (hi - lo) / panels, sum = 0;
    int p, q, i;
    for (p = 0; p < panels; p++)
        for (q = 0; q < NG; q++)
        {
            double s = lo + h * (p + 0.5 + 0.5 * glx[q]), f = exp(-s * s / 2) / sqrt(2 * M_PI);
            f *= pow(sb * s > 0 ? sb * s : 0, mult[3]);
            for (i = 0; i < 3; i++)
                f *= trunc_moment(mult[i], sb * s, c[i] / sqrt(3.0));
            sum += 0.5 * h * glw[q] * f;
        }
    return sum;
}

static void
set_spec(neft_exact_spec_t spec, double sb, const double * x, slong np)
{
    arb_ptr v = _arb_vec_init(np * 3);
    char err[256];
    slong i;
    if (neft_net_set_act_name(spec->net, "relu", NULL, err, sizeof(err)) != NEFT_SUCCESS)
        FAIL("%s", err);
    neft_exact_spec_set_points(spec, NULL, 0);
    spec->net->d_in = 3;
    if (neft_net_set_sigma_d(spec->net, 1, sb) != 0)
        FAIL("sigma");
    for (i = 0; i < np * 3; i++)
        arb_set_d(v + i, x[i]);
    neft_exact_spec_set_points(spec, v, np);
    _arb_vec_clear(v, np * 3);
}

static double
cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* the moment at prec 64: status and ball */
static int
moment(arb_t r, const neft_exact_spec_t spec, const slong * idx, slong n, char * err,
       size_t errsize)
{
    err[0] = 0;
    return neft_exact_moment_why(r, spec, idx, n, 64, err, errsize);
}

/* xorshift64* and Box-Muller: the Monte Carlo of case 3 */
static unsigned long long rng = 0x9e3779b97f4a7c15ULL;
static double
unif(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return ((rng * 0x2545F4914F6CDD1DULL) >> 11) * (1.0 / 9007199254740992.0) + 0x1p-54;
}

int
main(void)
{
    neft_exact_spec_t spec;
    arb_t r;
    char err[512];
    double t0 = cpu();
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
            set_spec(spec, sbs[k], x, 4);
            for (t = 0; t < 3; t++)
            {
                int mult[4] = {0, 0, 0, 0}, i, st;
                double ref;
                for (i = 0; i < len[t]; i++)
                    mult[tup[t][i]]++;
                ref = one_factor(mult, cs[k], sbs[k]);
                st = moment(r, spec, tup[t], len[t], err, sizeof err);
                CHECK(st == NEFT_EXACT_SUCCESS && arb_rel_accuracy_bits(r) >= 55
                      && fabs(arf_get_d(arb_midref(r), ARF_RND_NEAR) - ref) <= 1e-11 * fabs(ref),
                      "one factor c = (%g, %g, %g), sb = %g, tuple %d: status %d (%s), %s vs "
                      "reference %.17g", cs[k][0], cs[k][1], cs[k][2], sbs[k], t, st, err,
                      arb_get_str(r, 20, 0), ref);
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
        set_spec(spec, 1, x, 4);
        for (t = 0; t < 3; t++)
        {
            slong na = 0, nb = 0, ia[6], ib[6], i;
            for (i = 0; i < len[t]; i++)
                if (tup[t][i] < 2)
                    ia[na++] = tup[t][i];
                else
                    ib[nb++] = tup[t][i];
            st = moment(r, spec, tup[t], len[t], err, sizeof err);
            sa = moment(ra, spec, ia, na, err + 256, 128);
            sb2 = moment(rb, spec, ib, nb, err + 384, 128);
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
        set_spec(spec, 1, x, 4);
        for (it = 0; it < N; it++)
        {
            double g[4], z[4];
            int i, j;
            for (i = 0; i < 4; i += 2)
            {
                double u = unif(), v = unif(), rr = sqrt(-2 * log(u));
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
            st = moment(r, spec, tup[t], len[t], err, sizeof err);
            a = arf_get_d(arb_midref(r), ARF_RND_NEAR);
            CHECK(st == NEFT_EXACT_SUCCESS && arb_rel_accuracy_bits(r) >= 55
                  && fabs(a - mean) <= 5 * se,
                  "validate's points, tuple %d: status %d (%s), %s vs Monte Carlo %.6g +- %.2g",
                  t, st, err, arb_get_str(r, 20, 0), mean, se);
        }
        {
            neft_exact_moments_t m1, m2;
            slong i, n;
            int s1, s2b, same = 1;
            spec->npt_mask = (1u << 2) | (1u << 4);
            neft_exact_moments_init(m1);
            neft_exact_moments_init(m2);
            spec->threads = 1;
            s1 = neft_exact_moments(m1, spec, 64, NULL, NULL, err, sizeof err);
            spec->threads = 2;
            s2b = neft_exact_moments(m2, spec, 64, NULL, NULL, err, sizeof err);
            CHECK(s1 == NEFT_EXACT_SUCCESS && s2b == NEFT_EXACT_SUCCESS, "moments: %d %d (%s)",
                  s1, s2b, err);
            if (s1 == NEFT_EXACT_SUCCESS && s2b == NEFT_EXACT_SUCCESS)
                for (i = 0; i < 256; i++)
                    for (n = 2; n <= 4; n += 2)
                    {
                        slong idx[4] = {i % 4, i / 4 % 4, i / 16 % 4, i / 64};
                        arb_t a, b;
                        arb_init(a);
                        arb_init(b);
                        same = same && neft_exact_moments_get(a, m1, idx, n)
                               && neft_exact_moments_get(b, m2, idx, n) && arb_equal(a, b)
                               && arb_rel_accuracy_bits(a) > 55;
                        arb_clear(a);
                        arb_clear(b);
                    }
            CHECK(same, "rank 4: moments differ between 1 and 2 threads");
            neft_exact_moments_clear(m1);
            neft_exact_moments_clear(m2);
            spec->threads = 1;
            spec->npt_mask = 0;
        }
    }

    /* 4. five distinct points on a rank-4 span */
    {
        static const double x[15] = {0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1,
                                     1, 1, 1};
        static const slong tup[6] = {0, 1, 2, 3, 4, 4};
        int st;
        set_spec(spec, 1, x, 5);
        st = moment(r, spec, tup, 6, err, sizeof err);
        CHECK(st == NEFT_EXACT_UNSUPPORTED && !arb_is_finite(r),
              "five points, rank 4: status %d (%s), %s", st, err, arb_get_str(r, 10, 0));
    }

    /* printed, not asserted (speed is measured in bench/) */
    printf("t-cone4: %.1f s of CPU\n", cpu() - t0);
    arb_clear(r);
    neft_exact_spec_clear(spec);
    return neft_test_finish("t-cone4");
}
