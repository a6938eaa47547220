/* What the tests of the exact Gaussian moments on a span of rank 3 and 4
   share (t-cone.c, t-cone4.c, t-moments-odd.c): the spec of a one-hidden-
   layer net at given points, the moment at prec 64, the CPU clock, and the
   double-precision references that do not go through the library:

   - cref_trunc_moment(m, mu, sd) = E[(mu + sd e)^m H(mu + sd e)], e ~ N(0, 1),
     by the recursion I_0 = Phi(mu/sd), I_1 = mu Phi + sd phi,
     I_m = mu I_{m-1} + (m-1) sd^2 I_{m-2};
   - cref_one_factor: the moments at the points x_i = c_i e_i (i < d) and
     x_d = 0 of d_in = d, sigma_w = 1: z_i = sb b + (c_i / sqrt d) w_i and
     z_d = sb b with b, w_i independent standard normals, so given b = s the
     factors are independent and
       M = int phi(s) f_d(sb s)^m_d prod_{i<d} E[f(sb s + (c_i/sqrt d) w)^m_i] ds,
     the s-integral by composite Gauss-Legendre (240 panels of GLN nodes),
     f = relu or leaky-relu of slope a (E[f(Y)^m] = I_m(mu, sd) + a^m (-1)^m
     I_m(-mu, sd)): about 1e-13 relative;
   - cref_unif: xorshift64* uniform deviates in (0, 1) for Monte Carlo.

   Header-only (static inline); include it once, after gl-ref.h (which it uses: gl_init,
   gx, gw) and neft-test.h. */
#ifndef NEFT_TEST_CONE_REF_H
#define NEFT_TEST_CONE_REF_H

#include <math.h>
#include <time.h>
#include "neft/exact.h"

/* The spec of the net with activation act (param: its parameter's text or
   NULL), d_in = d, sigma_w = 1, sigma_b = sb at the np points x (np * d
   doubles, exact binary values). */
static inline void
cref_set_spec(neft_exact_spec_t spec, const char * act, const char * param, slong d, double sb,
              const double * x, slong np)
{
    arb_ptr v = _arb_vec_init(np * d);
    char err[256];
    slong i;
    if (neft_net_set_act_name(spec->net, act, param, err, sizeof(err)) != NEFT_SUCCESS)
        FAIL("%s", err);
    neft_exact_spec_set_points(spec, NULL, 0);
    spec->net->d_in = d;
    if (neft_net_set_sigma_d(spec->net, 1, sb) != 0)
        FAIL("sigma");
    for (i = 0; i < np * d; i++)
        arb_set_d(v + i, x[i]);
    neft_exact_spec_set_points(spec, v, np);
    _arb_vec_clear(v, np * d);
}

static inline double
cref_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* the moment at prec 64: status and ball (err: the reason, "" on success) */
static inline int
cref_moment(arb_t r, const neft_exact_spec_t spec, const slong * idx, slong n, char * err,
            size_t errsize)
{
    err[0] = 0;
    return neft_exact_moment_why(r, spec, idx, n, 64, err, errsize);
}

/* CHECK the moment M(idx) of spec at prec 64 against the double reference ref:
   SUCCESS, at least bits of relative accuracy, within 1e-11 relative */
static inline void
cref_check(const neft_exact_spec_t spec, const slong * idx, slong n, double ref, slong bits,
           const char * what)
{
    arb_t r;
    char err[512];
    int st;
    arb_init(r);
    st = cref_moment(r, spec, idx, n, err, sizeof err);
    CHECK(st == NEFT_EXACT_SUCCESS && arb_rel_accuracy_bits(r) >= bits
          && fabs(arf_get_d(arb_midref(r), ARF_RND_NEAR) - ref) <= 1e-11 * fabs(ref),
          "%s: status %d (%s), %s vs reference %.17g", what, st, err, arb_get_str(r, 20, 0),
          ref);
    arb_clear(r);
}

/* CHECK that neft_exact_moments of spec (npt 2, 4; its np points) gives the
   same balls, each of more than 55 bits, on 1 and 2 threads; what names the
   case.  Leaves spec with one thread and no npt mask. */
static inline void
cref_check_threads(neft_exact_spec_t spec, slong np, const char * what)
{
    neft_exact_moments_t m1, m2;
    char err[512] = "";
    slong i, n, np4 = np * np * np * np;
    int s1, s2, same = 1;
    spec->npt_mask = (1u << 2) | (1u << 4);
    neft_exact_moments_init(m1);
    neft_exact_moments_init(m2);
    spec->threads = 1;
    s1 = neft_exact_moments(m1, spec, 64, NULL, NULL, err, sizeof err);
    spec->threads = 2;
    s2 = neft_exact_moments(m2, spec, 64, NULL, NULL, err, sizeof err);
    CHECK(s1 == NEFT_EXACT_SUCCESS && s2 == NEFT_EXACT_SUCCESS, "%s: moments: %d %d (%s)",
          what, s1, s2, err);
    if (s1 == NEFT_EXACT_SUCCESS && s2 == NEFT_EXACT_SUCCESS)
        for (i = 0; i < np4; i++)   /* every tuple of length 2 and 4 */
            for (n = 2; n <= 4; n += 2)
            {
                slong idx[4] = {i % np, i / np % np, i / (np * np) % np, i / (np * np * np)};
                arb_t a, b;
                arb_init(a);
                arb_init(b);
                same = same && neft_exact_moments_get(a, m1, idx, n)
                       && neft_exact_moments_get(b, m2, idx, n) && arb_equal(a, b)
                       && arb_rel_accuracy_bits(a) > 55;
                arb_clear(a);
                arb_clear(b);
            }
    CHECK(same, "%s: moments differ between 1 and 2 threads", what);
    neft_exact_moments_clear(m1);
    neft_exact_moments_clear(m2);
    spec->threads = 1;
    spec->npt_mask = 0;
}

/* E[(mu + sd e)^m H(mu + sd e)] */
static inline double
cref_trunc_moment(int m, double mu, double sd)
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

/* E[f(mu + sd e)^m], f(y) = y (y > 0), slope y (y < 0); 1 for m = 0 (a
   point not in the tuple) */
static inline double
cref_leaky_moment(int m, double mu, double sd, double slope)
{
    double r;
    if (m == 0)
        return 1;
    r = cref_trunc_moment(m, mu, sd);
    if (slope != 0)
        r += pow(-slope, m) * cref_trunc_moment(m, -mu, sd);
    return r;
}

/* the one-factor reference: mult[d + 1] (the last: the origin), c[d], sb */
static inline double
cref_one_factor(const int * mult, const double * c, int d, double sb, double slope)
{
    const int panels = 240;
    double lo = mult[d] > 0 && slope == 0 ? 0 : -12, hi = 12, h = (hi - lo) / panels, sum = 0;
    int p, q, i;
    for (p = 0; p < panels; p++)
        for (q = 0; q < GLN; q++)
        {
            double s = lo + h * (p + 0.5 + 0.5 * gx[q]), f = exp(-s * s / 2) / sqrt(2 * M_PI),
                   y = sb * s;
            f *= pow(y > 0 ? y : slope * y, mult[d]);
            for (i = 0; i < d; i++)
                f *= cref_leaky_moment(mult[i], sb * s, c[i] / sqrt((double) d), slope);
            sum += 0.5 * h * gw[q] * f;
        }
    return sum;
}

/* xorshift64*: uniform deviates in (0, 1) (a fixed seed per process) */
static unsigned long long cref_rng __attribute__((unused)) = 0x9e3779b97f4a7c15ULL;
static inline double
cref_unif(void)
{
    cref_rng ^= cref_rng >> 12;
    cref_rng ^= cref_rng << 25;
    cref_rng ^= cref_rng >> 27;
    return ((cref_rng * 0x2545F4914F6CDD1DULL) >> 11) * (1.0 / 9007199254740992.0) + 0x1p-54;
}

#endif
