/* Three-vertex integrals in d_in = 1 (src/integrate/threevtx.c), the
   order-3 expansion: every ball must contain an independent reference.

   - relu, leaky-relu, linear with sigma_b = 0: the method forced on the
     orthant form (_NEFT_THREEVTX_ORTHANT) against the closed form
     (_neft_integrate_relu0, polynomials on the orthants); agreement
     within the balls' radii.
   - erf (sigma_b = 0 and 1/2), relu with sigma_b = 1/2, GaussNet
     (sigma_b = 0 and 1/2): against a nested Gauss-Legendre reference in
     double precision written here with the textbook kernel formulas
     (arcsin, arccos, exp; no code of the library): y0 outside, y1, y2
     inside; each level cut at every leg's point, at the outer variables
     (the kinks y_a = y_b) and into panels of width <= 1/2, GLN nodes per
     panel.  On every piece the function integrated is analytic (its kinks
     are where the inner cuts meet, which are cut points), so the rule
     converges geometrically; the reference is allowed 1e-10 relative
     (measured agreement: 1e-14 to 1e-15, erf, relu and GaussNet at L = 1).
   - the plan: three vertices in d_in = 1 take METHOD_THREEVTX for every
     row (not the closed forms) and are refused by name in d_in = 2; the
     cost grows with the cutoff (but GaussNet's: the Gaussian expansion at
     L = 100).
   - GaussNet over the whole line (gauss_inf.c): the lambda^3 chain and a
     triangle against one 1-D Gaussian integral at a time.
   - far cutoffs (`t-threevtx far`, test t-threevtx-far): the chain at
     L = 10 (relu, GaussNet) against the chain reference
     (reference_chain: the two outer vertices integrated for each y1, O(N^2),
     panels graded away from every cut; it agrees with the nested one to
     1e-11 at L = 1, 2, checked in every chain case).
   - 1e-8 of the value (`t-threevtx value`, test t-threevtx-value):
     GaussNet at L = 100 and erf at L = 2 (the value cancels) against the
     chain reference, radius at most 1e-8 of the value; GaussNet's
     Gaussian expansion (threevtx_gauss.c) at L = 1000 and 10^5 against the
     chain reference (radius at most 1e-12 of the value), with sigma_b = 0
     at L = 1000 against the closed form over the line, and the chain and
     the triangle at L = 30 against the adaptive pieces forced
     (_NEFT_THREEVTX_PIECES); erf's far field (threevtx_far.c): its
     kernels against the kernel's formula, the chain at L = 100 (chain
     reference) and a triangle with a self-loop at L = 4 (nested reference).
   `t-threevtx -v FAMILY SHAPE L` (FAMILY 0 erf, 1 relu, 2 gauss, sigma_b^2
   = 1/4) runs one case with times; `t-threevtx inf` the closed forms. */

#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "neft/integrate.h"
#include "neft-test.h"
#define GLN 16
#include "gl-ref.h"
#include "integrate/threevtx.h"

/* ---- the double-precision reference ---- */

typedef struct
{
    const char * row;
    double sw2, sb2, slope;
    int nlegs;
    double x[8];
    int vx[8];               /* vertex of each leg */
    int A[3][3];             /* links (upper triangle) and self-loops */
}
rcase;

static double
kref(const rcase * c, double x, double y)
{
    double a = c->sw2, b = c->sb2;
    if (!strcmp(c->row, "erf"))
    {
        double kxy = b + a * x * y, kxx = b + a * x * x, kyy = b + a * y * y;
        return b + a * (2 / M_PI) * asin(2 * kxy / sqrt((1 + 2 * kxx) * (1 + 2 * kyy)));
    }
    if (!strcmp(c->row, "gauss"))
        return b + a * exp(-a * (x - y) * (x - y) / 2);
    if (!strcmp(c->row, "sin"))
    {
        double kxy = b + a * x * y, kxx = b + a * x * x, kyy = b + a * y * y;
        return b + a * exp(-(kxx + kyy) / 2) * sinh(kxy);
    }
    {
        /* relu / leaky-relu: E[s(u) s(v)] = s kxy + (1-s)^2 r J(t) / (2 pi) */
        double kxy = b + a * x * y, kxx = b + a * x * x, kyy = b + a * y * y;
        double r = sqrt(kxx * kyy), ct = kxy / r, t, s = c->slope;
        if (ct > 1) ct = 1;
        if (ct < -1) ct = -1;
        t = acos(ct);
        return b + a * (s * kxy + (1 - s) * (1 - s) * r * (sin(t) + (M_PI - t) * ct) / (2 * M_PI));
    }
}

static double
vfactor(const rcase * c, int vert, const double * y, int upto)
{
    double f = 1;
    int i, j;
    for (i = 0; i < c->nlegs; i++)
        if (c->vx[i] == vert)
            f *= kref(c, c->x[i], y[vert]);
    for (j = 0; j < c->A[vert][vert]; j++)
        f *= kref(c, y[vert], y[vert]);
    for (i = 0; i < upto; i++)
    {
        int e = vert < i ? c->A[vert][i] : c->A[i][vert];
        for (j = 0; j < e; j++)
            f *= kref(c, y[i], y[vert]);
    }
    return f;
}

static int
cmpd(const void * a, const void * b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* \int_{-L}^{L} dy_l of the integrand with y_0..y_{l-1} given */
static long double
level(const rcase * c, double L, double * y, int l)
{
    double cut[32];
    int nc = 0, i, j, p;
    long double s = 0;
    cut[nc++] = -L;
    cut[nc++] = L;
    for (i = 0; i < c->nlegs; i++)
        if (fabs(c->x[i]) < L)
            cut[nc++] = c->x[i];
    for (i = 0; i < l; i++)
        cut[nc++] = y[i];
    qsort(cut, nc, sizeof(double), cmpd);
    for (i = 0; i + 1 < nc; i++)
    {
        double lo = cut[i], hi = cut[i + 1];
        int np = (int) ceil((hi - lo) / 0.5);
        if (hi <= lo)
            continue;
        for (p = 0; p < np; p++)
        {
            double pa = lo + (hi - lo) * p / np, pb = p + 1 == np ? hi : lo + (hi - lo) * (p + 1) / np;
            for (j = 0; j < GLN; j++)
            {
                double f;
                y[l] = (pa + pb) / 2 + (pb - pa) / 2 * gx[j];
                f = vfactor(c, l, y, l);
                if (l < 2)
                    f *= (double) level(c, L, y, l + 1);
                s += (long double) (pb - pa) / 2 * gw[j] * f;
            }
        }
    }
    return s;
}

/* The chain y0 - y1 - y2 (legs on y0 and y2 only, links 0-1 and 1-2, no
   self-loops): I = \int dy1 g(0, y1) g(2, y1), g(a, y1) = \int dya
   legs_a(ya) K(ya, y1)^A; each 1-D integral cut at the legs' points, at
   y1 (and at 0) and into panels graded away from every cut (widths 1/4,
   1/2, 1, 2, ... from both ends of each interval): the kinks are at the
   cuts and far from them the kernels vary on the scale of the distance.
   O(N^2) evaluations instead of N^3, so that cutoffs 10 and 100 stay
   fast. */
static int
graded_cuts(double * cut, int nc0, double L)
{
    double c0[40], pts[400];
    int nc = 0, i, np = 0;
    memcpy(c0, cut, nc0 * sizeof(double));
    qsort(c0, nc0, sizeof(double), cmpd);
    for (i = 0; i < nc0; i++)
        if (c0[i] >= -L && c0[i] <= L && (nc == 0 || c0[i] > c0[nc - 1]))
            c0[nc++] = c0[i];
    for (i = 0; i + 1 < nc; i++)
    {
        double lo = c0[i], hi = c0[i + 1], mid = (lo + hi) / 2, w;
        pts[np++] = lo;
        for (w = 0.25; lo + w < mid; w *= 2)
            pts[np++] = lo + w;
        pts[np++] = mid;
        for (w *= 1; w >= 0.25; w /= 2)
            if (hi - w > mid)
                pts[np++] = hi - w;
    }
    pts[np++] = c0[nc - 1];
    qsort(pts, np, sizeof(double), cmpd);
    memcpy(cut, pts, np * sizeof(double));
    return np;
}

/* \int_{-L}^{L} f(y) dy cut at -L, 0, L, the legs' points and extra
   (NAN: none), panels graded as above, GLN nodes each */
typedef double (* ref_func)(const rcase * c, double L, int a, double y1, double y);

static long double
graded_quad(const rcase * c, double L, double extra, ref_func f, int a, double y1)
{
    double cut[400];
    int nc = 0, i, j;
    long double s = 0;
    cut[nc++] = -L;
    cut[nc++] = L;
    cut[nc++] = 0;
    if (!isnan(extra))
        cut[nc++] = extra;
    for (i = 0; i < c->nlegs; i++)
        if (fabs(c->x[i]) < L)
            cut[nc++] = c->x[i];
    nc = graded_cuts(cut, nc, L);
    for (i = 0; i + 1 < nc; i++)
    {
        double lo = cut[i], hi = cut[i + 1];
        if (hi <= lo)
            continue;
        for (j = 0; j < GLN; j++)
            s += (long double) (hi - lo) / 2 * gw[j]
                 * f(c, L, a, y1, (lo + hi) / 2 + (hi - lo) / 2 * gx[j]);
    }
    return s;
}

/* the legs of vertex a at y and its links to y1 */
static double
chain_inner(const rcase * c, double L, int a, double y1, double y)
{
    double f = 1;
    int l, e;
    (void) L;
    for (l = 0; l < c->nlegs; l++)
        if (c->vx[l] == a)
            f *= kref(c, c->x[l], y);
    for (e = 0; e < (a < 1 ? c->A[a][1] : c->A[1][a]); e++)
        f *= kref(c, y, y1);
    return f;
}

/* g(0, y) g(2, y) */
static double
chain_outer(const rcase * c, double L, int a, double y1, double y)
{
    (void) a;
    (void) y1;
    return (double) (graded_quad(c, L, y, chain_inner, 0, y)
                     * graded_quad(c, L, y, chain_inner, 2, y));
}

static double
reference_chain(const rcase * c, double L)
{
    return (double) graded_quad(c, L, NAN, chain_outer, 0, 0);
}

static double
reference(const rcase * c, double L)
{
    double y[3];
    return (double) level(c, L, y, 0);
}

/* ---- the library's value ---- */

static void
set_kernel(neft_kernel_t k, const rcase * c)
{
    arb_t sw, sb, par;
    const char * why;
    arb_init(sw); arb_init(sb); arb_init(par);
    arb_set_d(par, c->slope);
    arb_set_d(sw, sqrt(c->sw2));
    arb_set_d(sb, sqrt(c->sb2));
    if (neft_kernel_set_act(k, neft_act_lookup(c->row), strcmp(c->row, "leaky-relu") ? NULL : par,
                            1, sw, sb, &why, 128) != NEFT_SUCCESS)
        FAIL("kernel %s: %s", c->row, why);
    arb_set_d(k->sw2, c->sw2);
    arb_set_d(k->sb2, c->sb2);
    arb_clear(sw); arb_clear(sb); arb_clear(par);
}

static void
set_vint(neft_vint_t v, const rcase * c)
{
    int i, a, b;
    arb_t x;
    arb_init(x);
    neft_vint_init(v, 1, 3);
    for (i = 0; i < c->nlegs; i++)
    {
        arb_set_d(x, c->x[i]);
        neft_vint_add_leg(v, c->vx[i], x);
    }
    for (a = 0; a < 3; a++)
        for (b = a; b < 3; b++)
        {
            int e;
            for (e = 0; e < c->A[a][b]; e++)
                neft_vint_add_link(v, a, b);
        }
    arb_clear(x);
}

static double
cpu_now(void)
{
    return (double) clock() / CLOCKS_PER_SEC;
}

/* the chain y0 - y1 - y2 of the 4-point function: x0, x1 on y0, x2, x3 on y2,
   double links (the lambda^3 chain); and a triangle with one leg each and a
   self-loop on y1 */
static const rcase shapes[] = {
    {"", 0, 0, 0, 4, {0.5, -0.25, 1.0, -0.75}, {0, 0, 2, 2}, {{0, 2, 0}, {0, 0, 2}, {0, 0, 0}}},
    {"", 0, 0, 0, 3, {0.5, -0.5, 0.75}, {0, 1, 2}, {{0, 1, 1}, {0, 1, 1}, {0, 0, 0}}},
};

/* the goal in bits check_case asks for (0: the default) */
static slong case_goal = 0;

/* the kernel (row, sw2, sb2, slope), the canonical vint of shape, the
   default options and the cutoff L (initialised here, cleared by
   case_clear): the setup of check_case, check_orthant, check_gauss_line,
   check_gauss_pieces and check_gauss_budget */
static rcase
case_init(neft_kernel_t k, neft_vint_t v, neft_integrate_opt_t opt, arf_t Lf, int shape,
          const char * row, double sw2, double sb2, double slope, double L)
{
    rcase c = shapes[shape];
    c.row = row;
    c.sw2 = sw2;
    c.sb2 = sb2;
    c.slope = slope;
    neft_kernel_init(k);
    arf_init(Lf);
    set_kernel(k, &c);
    set_vint(v, &c);
    neft_vint_canonicalise(v);
    neft_integrate_opt_init(opt);
    arf_set_d(Lf, L);
    return c;
}

static void
case_clear(neft_kernel_t k, neft_vint_t v, arf_t Lf)
{
    neft_vint_clear(v);
    neft_kernel_clear(k);
    arf_clear(Lf);
}

/* the ball must contain the reference (allowed rel of its size) and have
   a radius at most maxrad of it */
static void
check_case(const rcase * c0, int shape, double L, double rel, double maxrad, int verbose)
{
    rcase c;
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    arb_t r, d;
    arf_t Lf;
    char err[400] = "";
    double ref, t0, t1, mag;
    int s;
    c = case_init(k, v, opt, Lf, shape, c0->row, c0->sw2, c0->sb2, c0->slope, L);
    arb_init(r);
    arb_init(d);
    opt->verbose = verbose;
    opt->goal = case_goal;
    if (getenv("TV_LIMIT"))
        opt->eval_limit = atol(getenv("TV_LIMIT"));
    t0 = cpu_now();
    s = neft_integrate_vint(r, v, k, Lf, opt, 64, err, sizeof err);
    t1 = cpu_now();
    ref = shape == 0 ? reference_chain(&c, L) : reference(&c, L);
    if (shape == 0 && L <= 2)
    {
        /* the two references agree (the nested one cut at every kink) */
        double r3 = reference(&c, L);
        CHECK(fabs(r3 - ref) <= 1e-11 * fabs(ref), "%s shape 0 L %g: chain reference %.17g, "
              "nested %.17g", c.row, L, ref, r3);
    }
    mag = fabs(ref);
    arb_set_d(d, ref);
    /* the reference's error: rel of its size */
    arb_add_error_2exp_si(d, 0);
    mag_set_d(arb_radref(d), rel * mag + 1e-300);
    if (verbose)
    {
        printf("%s sb2 %g shape %d L %g: ", c.row, c.sb2, shape, L);
        arb_printd(r, 15);
        printf("  ref %.15g  relrad %.2g  %.2f s cpu  status %d\n", ref,
               mag_get_d(arb_radref(r)) / mag, t1 - t0, s);
    }
    CHECK(s == NEFT_INTEGRATE_SUCCESS, "%s sb2 %g shape %d L %g: status %d (%s)", c.row, c.sb2,
          shape, L, s, err);
    CHECK(arb_overlaps(r, d), "%s sb2 %g shape %d L %g: ball contains the reference %.17g "
          "(+- %g)", c.row, c.sb2, shape, L, ref, rel * mag);
    CHECK(mag_get_d(arb_radref(r)) <= maxrad * mag, "%s sb2 %g shape %d L %g: relative radius %g",
          c.row, c.sb2, shape, L, mag_get_d(arb_radref(r)) / mag);
    case_clear(k, v, Lf);
    arb_clear(r);
    arb_clear(d);
}

/* sigma_b = 0: forced through the pieces on the orthant form, against the
   closed form */
static void
check_orthant(const char * row, double slope, int shape, double L)
{
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    arb_t r, ref;
    arf_t Lf;
    int s;
    case_init(k, v, opt, Lf, shape, row, 1.5, 0, slope, L);
    arb_init(r);
    arb_init(ref);
    s = _neft_integrate_threevtx(r, v, k, Lf, _NEFT_THREEVTX_ORTHANT, opt, 64);
    _neft_integrate_relu0(ref, v, k, Lf, 128);
    /* relative radius 2^-25; where the closed form is 0 (an odd integrand)
       absolute 2^-20, since the method aims at a radius relative to the
       integral of |F| (and the exponent bound of 0 is -WORD_MAX: no
       arithmetic on it) */
    CHECK(s == NEFT_INTEGRATE_SUCCESS && arb_overlaps(r, ref)
          && mag_cmp_2exp_si(arb_radref(r), arf_is_zero(arb_midref(ref)) ? -20
                             : arf_abs_bound_lt_2exp_si(arb_midref(ref)) - 25) < 0,
          "%s orthant shape %d L %g: status %d, %s vs closed form %s", row, shape, L, s,
          arb_get_str(r, 20, 0), arb_get_str(ref, 20, 0));
    case_clear(k, v, Lf);
    arb_clear(r);
    arb_clear(ref);
}

/* GaussNet, sigma_b = 0, over the whole line: the lambda^3 chain (and the
   triangle) against one 1-D Gaussian integral at a time, written here:
   \int exp(-alpha (q y^2 + 2 y l + r)) dy = sqrt(pi/(alpha q)) exp(alpha (l^2/q - r)),
   y_0 first, then y_1, then y_2 (each leaves a Gaussian in the others). */
static void
check_gauss_line(int shape, double sw2, double L)
{
    rcase c;
    double Q[3][3] = {{0}}, b[3] = {0}, s = 0, alpha = sw2 / 2, val;
    int i, a, j, E = 0;
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    arb_t r;
    arf_t Lf;
    char err[400];
    int st;
    c = case_init(k, v, opt, Lf, shape, "gauss", sw2, 0, 0, isinf(L) ? 0 : L);
    if (isinf(L))
        arf_pos_inf(Lf);
    for (i = 0; i < c.nlegs; i++)
    {
        Q[c.vx[i]][c.vx[i]] += 1;
        b[c.vx[i]] += c.x[i];
        s += c.x[i] * c.x[i];
        E++;
    }
    for (a = 0; a < 3; a++)
        for (j = a; j < 3; j++)
        {
            E += c.A[a][j];
            if (a != j)
            {
                Q[a][a] += c.A[a][j];
                Q[j][j] += c.A[a][j];
                Q[a][j] -= c.A[a][j];
                Q[j][a] -= c.A[a][j];
            }
        }
    val = pow(sw2, E);
    for (j = 0; j < 3; j++)
    {
        /* the terms of y_j: q y_j^2 + 2 y_j (sum_{a>j} Q_ja y_a - b_j) */
        double q = Q[j][j];
        val *= sqrt(M_PI / (alpha * q));
        for (a = j + 1; a < 3; a++)
        {
            int d;
            for (d = j + 1; d < 3; d++)
                Q[a][d] -= Q[j][a] * Q[j][d] / q;
            b[a] -= Q[j][a] * b[j] / q;
        }
        s -= b[j] * b[j] / q;
    }
    val *= exp(-alpha * s);
    arb_init(r);
    st = neft_integrate_vint(r, v, k, Lf, opt, 128, err, sizeof err);
    CHECK(st == NEFT_INTEGRATE_SUCCESS && fabs(arf_get_d(arb_midref(r), ARF_RND_NEAR) - val)
          <= 1e-13 * val + mag_get_d(arb_radref(r)) && mag_get_d(arb_radref(r)) < 1e-30,
          "gauss shape %d over [-%g, %g]^3: %s, 1-D integrals one at a time over R %.17g "
          "(status %d %s)", shape, L, L, arb_get_str(r, 20, 0), val, st, err);
    case_clear(k, v, Lf);
    arb_clear(r);
}

/* GaussNet at a cutoff where the Gaussian expansion (threevtx_gauss.c)
   is taken: against the adaptive pieces forced (_NEFT_THREEVTX_PIECES, an
   independent code path; both balls rigorous, so they must overlap), the
   expansion's radius at most 1e-15 of the value */
static void
check_gauss_pieces(int shape, double sw2, double sb2, double L, int verbose)
{
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    arb_t r, p;
    arf_t Lf;
    char err[400] = "";
    int s, sp;
    double t0, t1, t2;
    case_init(k, v, opt, Lf, shape, "gauss", sw2, sb2, 0, L);
    arb_init(r);
    arb_init(p);
    t0 = cpu_now();
    s = neft_integrate_vint(r, v, k, Lf, opt, 64, err, sizeof err);
    t1 = cpu_now();
    sp = _neft_integrate_threevtx(p, v, k, Lf, _neft_threevtx_kind(k) | _NEFT_THREEVTX_PIECES,
                                  opt, 64);
    t2 = cpu_now();
    if (verbose)
    {
        printf("gauss sw2 %g sb2 %g shape %d L %g: expansion ", sw2, sb2, shape, L);
        arb_printd(r, 17);
        printf(" (%.3f s), pieces ", t1 - t0);
        arb_printd(p, 17);
        printf(" (%.2f s)\n", t2 - t1);
    }
    CHECK(s == NEFT_INTEGRATE_SUCCESS && sp == NEFT_INTEGRATE_SUCCESS && arb_overlaps(r, p)
          && mag_cmp_2exp_si(arb_radref(r), arf_abs_bound_lt_2exp_si(arb_midref(r)) - 50) < 0,
          "gauss sw2 %g sb2 %g shape %d L %g: expansion %s (status %d %s), pieces %s (status %d)",
          sw2, sb2, shape, L, arb_get_str(r, 20, 0), s, err, arb_get_str(p, 20, 0), sp);
    case_clear(k, v, Lf);
    arb_clear(r);
    arb_clear(p);
}

/* The pieces forced at L = 1000 on a small budget: no convergence, a
   finite ball that contains the Gaussian expansion's value (the
   dispatcher once returned the exact 0 of its unused ball there) */
static void
check_gauss_budget(void)
{
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    arb_t r, p;
    arf_t Lf;
    int s, sp;
    case_init(k, v, opt, Lf, 0, "gauss", 1, 0.25, 0, 1000);
    arb_init(r);
    arb_init(p);
    s = _neft_integrate_threevtx(r, v, k, Lf, _neft_threevtx_kind(k), opt, 64);
    opt->eval_limit = 100000;
    sp = _neft_integrate_threevtx(p, v, k, Lf, _neft_threevtx_kind(k) | _NEFT_THREEVTX_PIECES,
                                  opt, 64);
    CHECK(s == NEFT_INTEGRATE_SUCCESS && sp == NEFT_INTEGRATE_NO_CONVERGENCE
          && arb_is_finite(p) && arb_contains(p, r),
          "gauss L 1000, pieces on 1e5 evaluations: %s (status %d), expansion %s (status %d)",
          arb_get_str(p, 20, 0), sp, arb_get_str(r, 20, 0), s);
    case_clear(k, v, Lf);
    arb_clear(r);
    arb_clear(p);
}

/* The erf far-field kernels (threevtx_far.c: a far point y given as
   1/|y| and its sign) against the kernel's own formula at real points, with
   and without the bias subtracted and with sigma_b = 0 */
static void
check_far_kernel(void)
{
    static const double xs[4] = {0.5, -0.75, 2.0, 0.0};
    static const double ys[5] = {3.0, -7.0, 100.0, -1e4, 8.0};
    static const double sb2s[2] = {0.25, 0.0};
    int i, j, q, sub;
    for (q = 0; q < 2; q++)
        for (sub = 0; sub < 2; sub++)
        {
            rcase c = {"erf", 1.5, 0, 0, 0, {0}, {0}, {{0}}};
            neft_kernel_t k;
            acb_t x, y, u, v, r1, r2;
            c.sb2 = sb2s[q];
            neft_kernel_init(k);
            acb_init(x); acb_init(y); acb_init(u); acb_init(v); acb_init(r1); acb_init(r2);
            set_kernel(k, &c);
            k->subtract_bias = sub;
            for (j = 0; j < 5; j++)
            {
                int sy = ys[j] > 0 ? 1 : -1;
                acb_set_d(v, 1 / fabs(ys[j]));
                acb_inv(y, v, 200);
                acb_mul_si(y, y, sy, 200);
                for (i = 0; i < 4; i++)
                {
                    acb_set_d(x, xs[i]);
                    neft_kernel_eval_acb(r1, k, x, y, 0, 100);
                    _neft_threevtx_far_erf(r2, k, x, 0, 0, v, 1, sy, 0, 100);
                    CHECK(acb_overlaps(r1, r2) && mag_cmp_2exp_si(arb_radref(acb_realref(r2)),
                                                                  -60) < 0,
                          "far kernel sb2 %g sub %d: K(%g, %g)", c.sb2, sub, xs[i], ys[j]);
                    _neft_threevtx_far_erf(r2, k, v, 1, sy, x, 0, 0, 0, 100);
                    CHECK(acb_overlaps(r1, r2), "far kernel sb2 %g sub %d: K(%g, %g) swapped",
                          c.sb2, sub, ys[j], xs[i]);
                }
                for (i = 0; i < 5; i++)
                {
                    int sx = ys[i] > 0 ? 1 : -1;
                    acb_set_d(u, 1 / fabs(ys[i]));
                    acb_inv(x, u, 200);
                    acb_mul_si(x, x, sx, 200);
                    neft_kernel_eval_acb(r1, k, x, y, 0, 200);
                    _neft_threevtx_far_erf(r2, k, u, 1, sx, v, 1, sy, 0, 100);
                    CHECK(acb_overlaps(r1, r2) && mag_cmp_2exp_si(arb_radref(acb_realref(r2)),
                                                                  -60) < 0,
                          "far kernel sb2 %g sub %d: K(%g, %g) both far", c.sb2, sub, ys[i],
                          ys[j]);
                }
                neft_kernel_diag_acb(r1, k, y, 0, 200);
                _neft_threevtx_far_erf_diag(r2, k, v, 0, 100);
                CHECK(acb_overlaps(r1, r2), "far kernel sb2 %g sub %d: K(%g, %g) self-loop",
                      c.sb2, sub, ys[j], ys[j]);
            }
            neft_kernel_clear(k);
            acb_clear(x); acb_clear(y); acb_clear(u); acb_clear(v); acb_clear(r1);
            acb_clear(r2);
        }
}

int
main(int argc, char ** argv)
{
    int verbose = argc > 1 && !strcmp(argv[1], "-v");
    gl_init();
    {
        rcase erf1 = {"erf", 1, 0.25, 0, 0, {0}, {0}, {{0}}};
        rcase relu1 = {"relu", 1, 0.25, 0, 0, {0}, {0}, {{0}}};
        rcase g1 = {"gauss", 1, 0.25, 0, 0, {0}, {0}, {{0}}};
        if (argc > 1 && !strcmp(argv[argc - 1], "far"))
        {
            /* far cutoffs (test t-threevtx-far): the lambda^3 chain against
               the chain reference; before the graded grid, the angle
               coordinates and the factor tables relu did not converge at
               L = 10 within the budget (+-2e4 on 3.9e8) */
            check_case(&g1, 0, 10, 1e-10, 1e-7, verbose);
            check_case(&relu1, 0, 10, 1e-10, 1e-7, verbose);
            return neft_test_finish("t-threevtx");
        }
        if (argc > 1 && !strcmp(argv[argc - 1], "value"))
        {
            /* 1e-8 of the value (test t-threevtx-value): GaussNet at L = 100
               and erf at L = 2 (whose value is about 1/14 of the
               scale estimate) against the chain reference; before the
               goal relative to the value the radii were 1.8e-8 (GaussNet,
               2^-27 of a scale estimate 2.4 times the value) and 1.0e-7 (erf) */
            check_case(&g1, 0, 100, 1e-10, 1e-8, verbose);
            check_case(&erf1, 0, 2, 1e-10, 1e-8, verbose);
            /* GaussNet at far cutoffs, the Gaussian expansion
               (threevtx_gauss.c): the chain at L = 1000 and 10^5 against
               the chain reference, and sigma_b = 0 at L = 1000 against the
               closed form over the line (the same to e^-(10^5)); the chain
               and the triangle at L = 30 (and sigma_w^2 = 0.3, sigma_b^2 = 1 at
               L = 25) against the adaptive pieces.
               Before the expansion the pieces did not converge at L = 1000
               (+-2.9e5 on 1.2e5 after 20 s, at the budget) */
            check_case(&g1, 0, 1000, 1e-10, 1e-12, verbose);
            check_case(&g1, 0, 1e5, 1e-10, 1e-12, verbose);
            check_gauss_line(0, 1.5, 1000);
            check_gauss_line(1, 0.75, 1000);
            check_gauss_pieces(0, 1, 0.25, 30, verbose);
            check_gauss_pieces(1, 1, 0.25, 30, verbose);
            check_gauss_pieces(1, 1, 0, 30, verbose);
            check_gauss_pieces(1, 0.3, 1, 25, verbose);
            check_gauss_budget();
            /* erf's far field (threevtx_far.c): its kernels against the
               kernel's formula, the chain at L = 100 against the chain
               reference (before the far field: no convergence at the
               budget, 65 s, 1.2e-6), and the triangle with a self-loop at
               L = 4 (far cells [2, 4]) against the nested reference, at
               goal 20 to keep it short */
            check_far_kernel();
            check_case(&erf1, 0, 100, 1e-10, 1e-8, verbose);
            case_goal = 20;
            check_case(&erf1, 1, 4, 1e-10, 1e-5, verbose);
            case_goal = 0;
            return neft_test_finish("t-threevtx");
        }
        if (argc > 1 && !strcmp(argv[argc - 1], "inf"))
        {
            check_gauss_line(0, 1.5, INFINITY);
            check_gauss_line(1, 0.75, INFINITY);
            return neft_test_finish("t-threevtx");
        }
        if (argc > 2)
        {
            rcase * cs[3] = {&erf1, &relu1, &g1};
            check_case(cs[atoi(argv[2])], atoi(argv[3]), atof(argv[4]), 1e-8, 1e-8, verbose);
            return neft_test_finish("t-threevtx");
        }
        rcase erf0 = {"erf", 2, 0, 0, 0, {0}, {0}, {{0}}};
        rcase g0 = {"gauss", 1, 0, 0, 0, {0}, {0}, {{0}}};
        /* the nested reference agrees with itself at GLN = 16 and 24 to
           about 1e-13 relative for these (measured); 1e-10 is allowed */
        check_case(&erf1, 0, 1, 1e-10, 1e-7, verbose);
        check_case(&erf0, 0, 1, 1e-10, 1e-7, verbose);
        check_case(&g1, 0, 1, 1e-10, 1e-7, verbose);
        check_case(&relu1, 0, 1, 1e-10, 1e-7, verbose);
        check_case(&g0, 1, 2, 1e-10, 1e-7, verbose);
    }
    /* GaussNet over the whole line: closed form against one 1-D Gaussian
       integral at a time */
    check_gauss_line(0, 1.5, INFINITY);
    check_gauss_line(1, 0.75, INFINITY);
    /* sigma_b = 0: the pieces forced on the orthant form */
    check_orthant("relu", 0, 0, 1);
    check_orthant("relu", 0, 1, 2);
    check_orthant("leaky-relu", 0.125, 0, 1);
    check_orthant("leaky-relu", 0.125, 1, 3);
    check_orthant("linear", 0, 1, 1);
    /* the plan: every row takes the method in d_in = 1 (but the closed
       forms), none in d_in = 2; the cost grows with the cutoff */
    {
        static const char * rows[6] = {"relu", "leaky-relu", "linear", "erf", "sin", "gauss"};
        int i, j;
        for (i = 0; i < 6; i++)
            for (j = 0; j < 2; j++)
            {
                rcase c = {rows[i], 1, j ? 0.25 : 0, i == 1 ? 0.125 : 0, 0, {0}, {0}, {{0}}};
                neft_kernel_t k;
                neft_integrate_plan_t plan;
                arf_t L;
                double c1, c100;
                int orth;
                neft_kernel_init(k);
                arf_init(L);
                set_kernel(k, &c);
                orth = k->act->kernel->orthant != NULL && j == 0;
                arf_set_d(L, 1);
                neft_integrate_plan(plan, 3, 4, 4, k, L, 64);
                c1 = plan->cost;
                CHECK(plan->method == (orth ? NEFT_INTEGRATE_METHOD_ORTHANTS
                                       : NEFT_INTEGRATE_METHOD_THREEVTX),
                      "%s sb2 %g: three vertices planned as %s (%s)", rows[i], c.sb2, plan->name,
                      plan->why);
                arf_set_d(L, 100);
                neft_integrate_plan(plan, 3, 4, 4, k, L, 64);
                c100 = plan->cost;
                /* (GaussNet at L = 100: the Gaussian expansion, cheaper) */
                CHECK(orth || (c1 > 0 && (strcmp(rows[i], "gauss") ? c100 > c1
                                          : c100 > 0 && c100 < c1 / 100)),
                      "%s sb2 %g: cost %g at L = 1, %g at 100", rows[i], c.sb2, c1, c100);
                k->d = 2;
                CHECK(neft_integrate_plan(plan, 3, 4, 4, k, L, 64) == NEFT_INTEGRATE_UNSUPPORTED
                      && strstr(plan->why, rows[i]) != NULL,
                      "%s d_in = 2: three vertices refused by name (%s)", rows[i], plan->why);
                neft_kernel_clear(k);
                arf_clear(L);
            }
    }
    return neft_test_finish("t-threevtx");
}
