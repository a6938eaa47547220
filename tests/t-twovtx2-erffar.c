/* The far-field pieces of the Erf two-vertex integrals in d_in = 2
   (src/integrate/twovtx2_erffar*.c, private; docs/integrate.md "Stop 34"):

   - the far forms of the kernel (w = 1/t): the values of the series at w
     against the textbook asin form of the kernel at z = e/w, and the
     3-term jets at w = 0 against the values at small w (the remainder must
     fall like w^3);
   - the piece with one point far, I_SE = \int_{[-R,R]^2} dy A(y)
     \int_{S_L \ S_R} dz B(z) K(y,z)^r, at sigma_w = sigma_b = 1 on HMS's
     corners, against a direct double-precision evaluation written here
     (tensor Gauss-Legendre in y per quadrant, z in square-polar
     coordinates with panels of ratio 4 in t; two resolutions, whose
     difference is the reference's stated error): the ball must contain the
     reference, be narrower than 2^(2 - goal) relative and come with status
     success.  The suite runs the one-leg shape at L = 10^5 (where the closed
     forms carry L^2, L and log L) at goal 26 (~3.5 s of CPU: node values
     and bounds in double intervals since stop 35);
   - the double-interval forms (ivl/civl, the jets) against 128-bit Arb
     values at points and at random points of complex boxes;
   - the far field of I_EE ("Stop 37"): the 3 x 3 jets of the integrand at
     w = w' = 0 against the discrete Cauchy formula of the textbook kernel
     and, integrated over the angles, against c4 and c3 of
     bench/c4_twovtx2_erf.py; the closed-form moments against quadrature;
   - the piece with both points far, I_EE, against a direct tensor rule
     (ref_iee; the suite: the one-leg shape at L = 2, goal 14) or against
     the references of Stop 33 less the other three pieces (bench).
   The bench mode, `t-twovtx2-erffar CASE GOAL`, runs one case (0: bubble
   L = 7, no far part; 1: bubble L = 10; 2: bubble swapped, L = 1000; 3, 4:
   lambda kappa at L = 10 and 10^5; 5, 6: the one-leg shape at L = 10 and
   10^5; 9: the far forms only; 10: the split I_SS + I_SE + I_ES at L = 7,
   10 for the bubble and lambda kappa, with the I_EE targets; 11-14: I_EE
   of the bubble at L = 7, 10, of lambda kappa at L = 7, 10 against those
   targets (50-90 s of CPU each); 15, 16: I_EE of the bubble and the
   one-leg shape at L = 2 against ref_iee; 17: the far field's jets and
   moments of "Stop 37", printing c4 and c3; 18: I_EE of the bubble at the
   L given as fourth argument against ref_iee; 19: the jets towards the
   cone) at the goal given (default 30);
   a third argument sets the I_EE stack's verbosity (2: one line per rule,
   for bench/ee_where_twovtx2_erf.py). */

#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "neft/integrate.h"
#include "integrate/internal.h"
#include "integrate/twovtx2_erffar.h"
#include "integrate/twovtx2.h"
#include "neft-test.h"
#include <complex.h>     /* last: its I is a parameter name in neft/integrate.h */

static long ncivl_tried, ncivl_finite;
static int only_verbose = 0;     /* bench case 17 prints the jets' c4, c3 */

#define NMAXREF 32
static double gxn[NMAXREF], gwn[NMAXREF];

/* the n-point Gauss-Legendre rule on [-1, 1] (Newton on the recurrence) */
static void
gl_n(int n)
{
    int i, j;
    for (i = 0; i < n; i++)
    {
        double z = cos(M_PI * (i + 0.75) / (n + 0.5)), p1, p2, p3, pp, z1;
        do
        {
            p1 = 1; p2 = 0;
            for (j = 0; j < n; j++)
            {
                p3 = p2; p2 = p1;
                p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
            }
            pp = n * (z * p1 - p2) / (z * z - 1);
            z1 = z;
            z = z1 - p1 / pp;
        }
        while (fabs(z - z1) > 1e-16);
        gxn[i] = z;
        gwn[i] = 2 / ((1 - z * z) * pp * pp);
    }
}

/* the erf kernel, textbook form (sigma_w^2 = sw2, sigma_b^2 = sb2) */
static double
kd(double sw2, double sb2, const double * x, const double * y)
{
    double a = sw2 / 2;
    double kxx = sb2 + a * (x[0] * x[0] + x[1] * x[1]);
    double kyy = sb2 + a * (y[0] * y[0] + y[1] * y[1]);
    double kxy = sb2 + a * (x[0] * y[0] + x[1] * y[1]);
    return sb2 + sw2 * 2 / M_PI * asin(2 * kxy / sqrt((1 + 2 * kxx) * (1 + 2 * kyy)));
}

typedef struct { int nn, nf; double xn[4][2], xf[4][2]; int r, loopn, loopf; } shape_t;

static double
ipow(double x, int e)
{
    double r = 1;
    for (; e > 0; e--)
        r *= x;
    return r;
}

/* the far points z = t e (e = R_k (1, s), s in [-1, 1] in 2 panels, t in
   [R, L] in panels of ratio 4) of a vertex with legs xf[0 .. nf) and loopf
   self-loops: zv[i] = (z, weight x Jacobian x factor); the count (at most
   4 x 2 x n x n x 64); gl_n(n) called before */
static int
far_points(double (* zv)[3], const double (* xf)[2], int nf, int loopf, double R, double L,
           int n)
{
    double tp[64];
    int nz = 0, i, j, k, np = 0, sp;
    tp[np++] = R;
    while (tp[np - 1] * 4 < L && np < 62)
    {
        tp[np] = tp[np - 1] * 4;
        np++;
    }
    tp[np++] = L;
    for (k = 0; k < 4; k++)
        for (sp = 0; sp < 2; sp++)
            for (i = 0; i < n; i++)
            {
                /* s in [-1, 0] or [0, 1] */
                double s = sp ? 0.5 * (1 + gxn[i]) : -0.5 * (1 + gxn[i]), ws = 0.5 * gwn[i];
                double e[2];
                int p;
                switch (k)
                {
                    case 0: e[0] = 1; e[1] = s; break;
                    case 1: e[0] = -s; e[1] = 1; break;
                    case 2: e[0] = -1; e[1] = -s; break;
                    default: e[0] = s; e[1] = -1; break;
                }
                for (p = 0; p + 1 < np; p++)
                    for (j = 0; j < n; j++)
                    {
                        double h = 0.5 * (tp[p + 1] - tp[p]), t = tp[p] + h * (1 + gxn[j]);
                        double z[2] = {t * e[0], t * e[1]}, f = ws * h * gwn[j] * t;
                        int l;
                        for (l = 0; l < nf; l++)
                            f *= kd(1, 1, xf[l], z);
                        f *= ipow(kd(1, 1, z, z), loopf);
                        zv[nz][0] = z[0];
                        zv[nz][1] = z[1];
                        zv[nz++][2] = f;
                    }
            }
    return nz;
}

/* I_SE by tensor rules of n nodes: y per quadrant of [-R, R]^2, z on the
   four sides, s in [-1, 1] in 2 panels, t in [R, L] in panels of ratio 4 */
static double
ref_ise(const shape_t * S, double R, double L, int n)
{
    /* points and weight x factor of y and of z */
    double (* yv)[3] = malloc(sizeof(double[3]) * 4 * n * n);
    double (* zv)[3] = malloc(sizeof(double[3]) * 4 * 2 * n * n * 64);
    double tot = 0;
    int ny = 0, nz = 0, i, j, q;
    gl_n(n);
    for (q = 0; q < 4; q++)
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++)
            {
                double y[2], f;
                int l;
                y[0] = (q & 1 ? R : -R) * 0.5 * (1 + gxn[i]);
                y[1] = (q & 2 ? R : -R) * 0.5 * (1 + gxn[j]);
                f = R * R / 4 * gwn[i] * gwn[j];
                for (l = 0; l < S->nn; l++)
                    f *= kd(1, 1, S->xn[l], y);
                f *= ipow(kd(1, 1, y, y), S->loopn);
                yv[ny][0] = y[0];
                yv[ny][1] = y[1];
                yv[ny++][2] = f;
            }
    nz = far_points(zv, S->xf, S->nf, S->loopf, R, L, n);
    for (i = 0; i < ny; i++)
    {
        double row = 0;
        for (j = 0; j < nz; j++)
            row += zv[j][2] * ipow(kd(1, 1, yv[i], zv[j]), S->r);
        tot += yv[i][2] * row;
    }
    free(yv);
    free(zv);
    return tot;
}

/* I_EE by tensor rules of n nodes: both points as the far points of
   ref_ise, the pair sum direct (the link is analytic for t, t' >= R > 0 but
   varies on the scale of t near the ridge: two resolutions give the
   reference's error) */
static double
ref_iee(const shape_t * S, double R, double L, int n)
{
    double (* yv)[3] = malloc(sizeof(double[3]) * 4 * 2 * n * n * 64);
    double (* zv)[3] = malloc(sizeof(double[3]) * 4 * 2 * n * n * 64);
    double tot = 0;
    int ny, nz, i, j;
    gl_n(n);
    ny = far_points(yv, S->xn, S->nn, S->loopn, R, L, n);
    nz = far_points(zv, S->xf, S->nf, S->loopf, R, L, n);
    for (i = 0; i < ny; i++)
    {
        double row = 0;
        for (j = 0; j < nz; j++)
            row += zv[j][2] * ipow(kd(1, 1, yv[i], zv[j]), S->r);
        tot += yv[i][2] * row;
    }
    free(yv);
    free(zv);
    return tot;
}

static void
make(neft_kernel_t k, neft_vint_t v, const shape_t * S, slong near)
{
    arb_t sw, sb;
    const char * why;
    int i, j;
    arb_init(sw);
    arb_init(sb);
    arb_one(sw);
    arb_one(sb);
    neft_kernel_init(k);
    if (neft_kernel_set_act(k, neft_act_lookup("erf"), NULL, 2, sw, sb, &why, 128) != NEFT_SUCCESS)
        FAIL("kernel: %s", why);
    arb_one(k->sw2);
    arb_one(k->sb2);
    neft_vint_init(v, 2, 2);
    for (i = 0; i < S->nn + S->nf; i++)
    {
        arb_ptr x = _arb_vec_init(2);
        const double * p = i < S->nn ? S->xn[i] : S->xf[i - S->nn];
        for (j = 0; j < 2; j++)
            arb_set_d(x + j, p[j]);
        neft_vint_add_leg(v, i < S->nn ? near : 1 - near, x);
        _arb_vec_clear(x, 2);
    }
    for (i = 0; i < S->r; i++)
        neft_vint_add_link(v, 0, 1);
    for (i = 0; i < S->loopn; i++)
        neft_vint_add_link(v, near, near);
    for (i = 0; i < S->loopf; i++)
        neft_vint_add_link(v, 1 - near, 1 - near);
    arb_clear(sw);
    arb_clear(sb);
}

/* the double-interval forms (twovtx2_erffar.h): on the real point (x, e,
   w) the interval must contain val (the 128-bit ball); on a complex box
   around it (widths up to 0.01, Im w up to 0.05) the box must contain the
   Arb value at a random point of the box, or be non-finite */
static void
check_ivl_forms(const neft_kernel_t k, const double * xd, const double * ed, double wd,
                int self, const arb_t val, flint_rand_t st)
{
    ivl abc[4], xi[2], ei[2], c[5], r;
    civl xc[2], ec[2], wc, f;
    acb_ptr xa = _acb_vec_init(2), ea = _acb_vec_init(2);
    acb_t wa, fa;
    arb_t b;
    int j;
    double lo[6], hi[6], pt[6], cen[6] = {xd[0], xd[1], ed[0], ed[1], wd, 0};
    arb_init(b);
    acb_init(wa);
    acb_init(fa);
    _neft_twovtx2_erf_abc(abc, k);
    for (j = 0; j < 2; j++)
    {
        xi[j] = ivl_pt(xd[j]);
        ei[j] = ivl_pt(ed[j]);
    }
    if (self)
        r = _neft_erffar_self_ivl(abc, ei, ivl_pt(wd));
    else
    {
        _neft_erffar_leg_coeffs_ivl(c, abc, xi, ei);
        r = _neft_erffar_leg_ivl(abc, c, ivl_pt(wd));
    }
    _neft_ivl_get_arb(b, r);
    CHECK(arb_contains(b, val), "ivl far form at w = %g (self %d) misses the value", wd, self);
    CHECK(ivl_is_finite(r) && r.hi - r.lo < 1e-13, "ivl far form width %g", r.hi - r.lo);
    /* a complex box: x, e real, widths h; w with Im in [0, 0.05] */
    for (j = 0; j < 6; j++)
    {
        double h = 0.01 * (n_randint(st, 1 << 20) / (double) (1 << 20));
        double u = n_randint(st, 1 << 20) / (double) (1 << 20);
        if (j == 5)
            h = 0.05 * u;
        lo[j] = j == 5 ? 0 : cen[j] - h / 2;
        hi[j] = j == 5 ? h : cen[j] + h / 2;
        if (j == 4 && lo[j] < 0)
            lo[j] = 0;
        pt[j] = lo[j] + (hi[j] - lo[j]) * (n_randint(st, 1 << 20) / (double) (1 << 20));
    }
    for (j = 0; j < 2; j++)
    {
        xc[j] = civl_real(ivl_set(lo[j], hi[j]));
        ec[j] = civl_real(ivl_set(lo[2 + j], hi[2 + j]));
        acb_set_d(xa + j, pt[j]);
        acb_set_d(ea + j, pt[2 + j]);
    }
    wc = civl_set(ivl_set(lo[4], hi[4]), ivl_set(lo[5], hi[5]));
    acb_set_d_d(wa, pt[4], pt[5]);
    f = self ? _neft_erffar_self_civl(abc, ec, wc) : _neft_erffar_leg_civl(abc, xc, ec, wc);
    if (self)
        _neft_erffar_self_acb(fa, k, ea, wa, 1, 128);
    else
        _neft_erffar_leg_acb(fa, k, xa, ea, wa, 1, 128);
    if (civl_is_finite(f))
    {
        _neft_ivl_get_arb(b, f.re);
        CHECK(arb_contains(b, acb_realref(fa)), "civl far form (self %d): Re misses", self);
        _neft_ivl_get_arb(b, f.im);
        CHECK(arb_contains(b, acb_imagref(fa)), "civl far form (self %d): Im misses", self);
    }
    ncivl_tried++;
    ncivl_finite += civl_is_finite(f);
    _acb_vec_clear(xa, 2);
    _acb_vec_clear(ea, 2);
    acb_clear(wa);
    acb_clear(fa);
    arb_clear(b);
}

/* the leg K(x, e/w) and the link K(e/w, e'/w') at complex points in
   complex double, from the product form N = (1 + 2k(y,y))(1 + 2k(z,z)) -
   4k(y,z)^2 scaled by w^2 (w^2 w'^2): a different polynomial from the
   library's sums of squares (equal as polynomials), principal sqrt and
   atan as the box functions (sigma_w = sigma_b = 1: a = 1/2, b = 1) */
static double complex
leg_cd(const double complex * x, const double complex * e, double complex w)
{
    double a = 0.5, b = 1;
    double complex kxx = b + a * (x[0] * x[0] + x[1] * x[1]);
    double complex kyy = b * w * w + a * (e[0] * e[0] + e[1] * e[1]);     /* w^2 k(y,y) */
    double complex kxy = b * w + a * (x[0] * e[0] + x[1] * e[1]);         /* w k(x,y) */
    double complex N = (1 + 2 * kxx) * (w * w + 2 * kyy) - 4 * kxy * kxy;
    return b + (2 / M_PI) * catan(2 * kxy / csqrt(N));
}

static double complex
link_cd(const double complex * e, double complex w, const double complex * ep, double complex wp)
{
    double a = 0.5, b = 1;
    double complex kyy = b * w * w + a * (e[0] * e[0] + e[1] * e[1]);
    double complex kzz = b * wp * wp + a * (ep[0] * ep[0] + ep[1] * ep[1]);
    double complex kyz = b * w * wp + a * (e[0] * ep[0] + e[1] * ep[1]);  /* w w' k(y,z) */
    double complex N = (w * w + 2 * kyy) * (wp * wp + 2 * kzz) - 4 * kyz * kyz;
    return b + (2 / M_PI) * catan(2 * kyz / csqrt(N));
}

static int
civl_holds(civl f, double complex z)
{
    double tol = 1e-11 * (1 + cabs(z));
    return creal(z) >= f.re.lo - tol && creal(z) <= f.re.hi + tol && cimag(z) >= f.im.lo - tol
           && cimag(z) <= f.im.hi + tol;
}

/* The centred forms of the leg's and the link's N and numerator on complex
   boxes (_neft_erffar_civl_centred; docs/integrate.md "Stop 37"): on random
   boxes in every variable (x, e, w, e', w' each a complex box, real widths
   up to 0.3, imaginary up to 0.15; the link also with (e ^ e')^2 given as
   a box) the box must contain the values at its 16 corners of the real
   and imaginary parts' extremes along a random pair of variables and at
   20 random points, from the product form in complex double (leg_cd,
   link_cd); it must be finite on most boxes (the check not vacuous) and
   no wider than the direct form (bench case 9 prints on how many it is
   narrower) */
static void
check_centred(void)
{
    shape_t S = {1, 1, {{0.3, -0.7}}, {{1, 1}}, 1, 0, 0};
    neft_kernel_t k;
    neft_vint_t v;
    ivl abc[4];
    flint_rand_t st;
    long tried = 0, fin = 0, narrower = 0, bad = 0;
    int trial, save = _neft_erffar_civl_centred;
    flint_randinit(st);
    make(k, v, &S, 0);
    _neft_twovtx2_erf_abc(abc, k);
    for (trial = 0; trial < 400; trial++)
    {
        /* variables: x0, x1 (leg) / e'0, e'1 (link), e0, e1, w, w' */
        double c[6], hr[6], hi[6];
        civl b[6], f, fd, cr, X;
        int link = trial % 2, j, p;
        for (j = 0; j < 6; j++)
        {
            double u = n_randint(st, 1 << 20) / (double) (1 << 20);
            c[j] = j >= 4 ? 0.05 + 0.95 * u : 2.4 * u - 1.2;
            hr[j] = 0.15 * (n_randint(st, 1 << 20) / (double) (1 << 20));
            hi[j] = 0.075 * (n_randint(st, 1 << 20) / (double) (1 << 20));
            if (trial % 8 < 4 && j != 4 + trial % 2)
                hi[j] = 0;    /* the stack's boxes: one axis complex */
            b[j] = civl_set(ivl_set(c[j] - hr[j], c[j] + hr[j]), ivl_set(-hi[j], hi[j]));
        }
        X = civl_sub(civl_mul(b[2], b[1]), civl_mul(b[3], b[0]));
        cr = civl_addsqr(civl_real(ivl_pt(0)), X);
        _neft_erffar_civl_centred = 0;
        fd = link ? _neft_erffar_link_civl(abc, b + 2, b[4], b, b[5], trial % 4 == 1 ? &cr : NULL)
                  : _neft_erffar_leg_civl(abc, b, b + 2, b[4]);
        /* the centred forms alone (3: not met with the direct boxes, which
           would hide an error in them) on half the trials, as used (2)
           on the others */
        _neft_erffar_civl_centred = (trial / 8) % 2 ? 2 : 3;
        f = link ? _neft_erffar_link_civl(abc, b + 2, b[4], b, b[5], trial % 4 == 1 ? &cr : NULL)
                 : _neft_erffar_leg_civl(abc, b, b + 2, b[4]);
        tried++;
        if (!civl_is_finite(f))
            continue;
        fin++;
        if (civl_is_finite(fd) && _neft_erffar_civl_centred == 2)
        {
            CHECK(f.re.hi - f.re.lo <= fd.re.hi - fd.re.lo && f.im.hi - f.im.lo <= fd.im.hi - fd.im.lo,
                  "centred form wider than the direct one");
            narrower += _neft_civl_mag(f) < 0.99 * _neft_civl_mag(fd)
                        || (f.re.hi - f.re.lo) < 0.5 * (fd.re.hi - fd.re.lo);
        }
        for (p = 0; p < 36; p++)
        {
            double complex z[6], val;
            int q1 = n_randint(st, 6), q2 = n_randint(st, 6);
            for (j = 0; j < 6; j++)
            {
                double ur = n_randint(st, 1 << 20) / (double) (1 << 20);
                double ui = n_randint(st, 1 << 20) / (double) (1 << 20);
                if (p < 16 && (j == q1 || j == q2))
                {
                    /* a corner along the two variables q1, q2 */
                    ur = (p >> (j == q1 ? 0 : 2)) & 1;
                    ui = (p >> (j == q1 ? 1 : 3)) & 1;
                }
                z[j] = c[j] + hr[j] * (2 * ur - 1) + I * hi[j] * (2 * ui - 1);
            }
            val = link ? link_cd(z + 2, z[4], z, z[5]) : leg_cd(z, z + 2, z[4]);
            if (!civl_holds(f, val))
            {
                bad++;
                if (bad <= 3)
                    printf("centred form (link %d): [%.6g, %.6g] + i[%.6g, %.6g] misses %.9g + "
                           "%.9gi\n", link, f.re.lo, f.re.hi, f.im.lo, f.im.hi, creal(val), cimag(val));
            }
        }
    }
    _neft_erffar_civl_centred = save;
    CHECK(bad == 0, "centred forms miss %ld sampled values", bad);
    CHECK(fin * 2 > tried, "centred forms finite on %ld of %ld boxes", fin, tried);
    if (only_verbose)
        printf("centred forms: finite on %ld of %ld boxes, narrower on %ld\n", fin, tried,
               narrower);
    flint_randclear(st);
    neft_vint_clear(v);
    neft_kernel_clear(k);
}

/* the far forms against the textbook kernel */
static void
check_forms(void)
{
    neft_kernel_t k;
    neft_vint_t v;
    shape_t S = {1, 1, {{0.3, -0.7}}, {{1, 1}}, 1, 0, 0};
    arb_ptr x = _arb_vec_init(2), e = _arb_vec_init(2), c = _arb_vec_init(5);
    arb_ptr w = _arb_vec_init(3), res = _arb_vec_init(3), jet = _arb_vec_init(3);
    int trial, kk;
    flint_rand_t st;
    flint_randinit(st);
    make(k, v, &S, 0);
    for (trial = 0; trial < 200; trial++)
    {
        double xd[2], sd = 2 * (n_randint(st, 1 << 20) / (double) (1 << 20)) - 1, ed[2], wd;
        double zd[2], ref, refs, d[2];
        int self = trial % 4 == 3;
        xd[0] = 4 * (n_randint(st, 1 << 20) / (double) (1 << 20)) - 2;
        xd[1] = 4 * (n_randint(st, 1 << 20) / (double) (1 << 20)) - 2;
        kk = trial % 4;
        switch (kk)
        {
            case 0: ed[0] = 1; ed[1] = sd; break;
            case 1: ed[0] = -sd; ed[1] = 1; break;
            case 2: ed[0] = -1; ed[1] = -sd; break;
            default: ed[0] = sd; ed[1] = -1; break;
        }
        arb_set_d(x, xd[0]); arb_set_d(x + 1, xd[1]);
        arb_set_d(e, ed[0]); arb_set_d(e + 1, ed[1]);
        _neft_erffar_leg_coeffs(c, k, x, e, 128);
        /* the jet at w = 0 */
        arb_zero(w); arb_one(w + 1); arb_zero(w + 2);
        if (self)
            _neft_erffar_self_series(jet, k, e, w, 3, 128);
        else
            _neft_erffar_leg_series(jet, k, c, w, 3, 128);
        {
            /* the interval jets contain the 128-bit ones */
            ivl abc[4], xi[2], ei[2], ci[5], ji[3];
            arb_t b;
            int j;
            arb_init(b);
            _neft_twovtx2_erf_abc(abc, k);
            for (j = 0; j < 2; j++)
            {
                xi[j] = ivl_pt(xd[j]);
                ei[j] = ivl_pt(ed[j]);
            }
            if (self)
                _neft_erffar_self_jet_ivl(ji, abc, ei);
            else
            {
                _neft_erffar_leg_coeffs_ivl(ci, abc, xi, ei);
                _neft_erffar_leg_jet_ivl(ji, abc, ci);
            }
            for (j = 0; j < 3; j++)
            {
                _neft_ivl_get_arb(b, ji[j]);
                CHECK(arb_contains(b, jet + j) && ji[j].hi - ji[j].lo < 1e-12,
                      "interval jet %d (self %d): [%.17g, %.17g]", j, self, ji[j].lo, ji[j].hi);
            }
            arb_clear(b);
        }
        for (wd = 0.02; wd > 1e-3; wd /= 4)
        {
            int j;
            zd[0] = ed[0] / wd;
            zd[1] = ed[1] / wd;
            ref = self ? kd(1, 1, zd, zd) : kd(1, 1, xd, zd);
            arb_set_d(w, wd);
            if (self)
                _neft_erffar_self_series(res, k, e, w, 1, 128);
            else
                _neft_erffar_leg_series(res, k, c, w, 1, 128);
            CHECK(fabs(arf_get_d(arb_midref(res), ARF_RND_NEAR) - ref) <= 1e-13,
                  "far form at w = %g: %.17g against %.17g", wd, arf_get_d(arb_midref(res), ARF_RND_NEAR), ref);
            CHECK(mag_cmp_2exp_si(arb_radref(res), -100) < 0, "far form radius");
            /* the jet's remainder, with a w^3 coefficient below 100 */
            refs = ref;
            for (j = 2; j >= 0; j--)
                refs -= arf_get_d(arb_midref(jet + j), ARF_RND_NEAR) * ipow(wd, j);
            d[0] = fabs(refs) / (wd * wd * wd);
            CHECK(d[0] < 100, "jet remainder / w^3 = %g at w = %g (self %d)", d[0], wd, self);
            /* the double-interval forms contain the 128-bit value */
            check_ivl_forms(k, xd, ed, wd, self, res, st);
        }
    }
    flint_randclear(st);
    CHECK(ncivl_finite * 10 > ncivl_tried * 9, "civl far forms finite on %ld of %ld boxes",
          ncivl_finite, ncivl_tried);
    _arb_vec_clear(x, 2); _arb_vec_clear(e, 2); _arb_vec_clear(c, 5);
    _arb_vec_clear(w, 3); _arb_vec_clear(res, 3); _arb_vec_clear(jet, 3);
    neft_vint_clear(v);
    neft_kernel_clear(k);
}

/* The far field of I_EE (_neft_erffar_ee_jet, "Stop 37"): (1) the 3 x 3
   jet g_ij of G(w, w') = A(e/w) B(e'/w') K(e/w, e'/w')^r at w = w' = 0
   against the discrete Cauchy formula on |w| = |w'| = rho (N x N points,
   complex double) of the textbook asin kernel written here, at angle pairs
   off the cone (e ^ e' != 0; shapes without self-loops: the asin form of
   K(y, y) has its branch point at w = 0); (2) for the bubble and lambda
   kappa (self-loops included), c4 = 1/4 sum \int\int g_00 ds ds' and c3 =
   1/2 sum \int\int (g_10 + g_01) ds ds' over the 16 side pairs against the
   polar-coordinate values of bench/c4_twovtx2_erf.py (independent code:
   unit directions, different parametrisation); (3) the moments against
   plain quadrature. */
static double complex
kd_far_leg(const double * x, const double * e, double complex w)
{
    double a = 0.5, b = 1, c = 2 / M_PI;
    double xx = x[0] * x[0] + x[1] * x[1], xe = x[0] * e[0] + x[1] * e[1];
    double ee = e[0] * e[0] + e[1] * e[1];
    return b + c * casin(2 * (b * w + a * xe)
                         / csqrt((1 + 2 * b + 2 * a * xx) * (w * w * (1 + 2 * b) + 2 * a * ee)));
}

static double complex
kd_far_link(const double * e, double complex w, const double * ep, double complex wp)
{
    double a = 0.5, b = 1, c = 2 / M_PI;
    double ee = e[0] * e[0] + e[1] * e[1], ff = ep[0] * ep[0] + ep[1] * ep[1];
    double ef = e[0] * ep[0] + e[1] * ep[1];
    return b + c * casin(2 * (b * w * wp + a * ef)
                         / csqrt((w * w * (1 + 2 * b) + 2 * a * ee)
                                 * (wp * wp * (1 + 2 * b) + 2 * a * ff)));
}

static void
side_dir(double * e, int k, double s)
{
    switch (k)
    {
        case 0: e[0] = 1; e[1] = s; break;
        case 1: e[0] = -s; e[1] = 1; break;
        case 2: e[0] = -1; e[1] = -s; break;
        default: e[0] = s; e[1] = -1; break;
    }
}

static void
jet_at(arb_ptr g, const neft_vint_t v, const neft_kernel_t k, const double * ed,
       const double * fd, slong prec)
{
    arb_ptr e = _arb_vec_init(2), f = _arb_vec_init(2);
    int j;
    for (j = 0; j < 2; j++)
    {
        arb_set_d(e + j, ed[j]);
        arb_set_d(f + j, fd[j]);
    }
    _neft_erffar_ee_jet(g, v, k, e, f, prec);
    _arb_vec_clear(e, 2);
    _arb_vec_clear(f, 2);
}

#define NDFT 24
static void
check_jet_dft(const shape_t * S, int ky, double s, int kz, double sp)
{
    neft_kernel_t k;
    neft_vint_t v;
    arb_ptr g = _arb_vec_init(9);
    double ed[2], fd[2], rho = 0.04, gmax = 0, worst = 0;
    double complex G[NDFT][NDFT];
    int i, j, p, q, l;
    make(k, v, S, 0);
    side_dir(ed, ky, s);
    side_dir(fd, kz, sp);
    for (p = 0; p < NDFT; p++)
        for (q = 0; q < NDFT; q++)
        {
            double complex w = rho * cexp(2 * M_PI * I * p / NDFT);
            double complex wp = rho * cexp(2 * M_PI * I * q / NDFT);
            double complex f = cpow(kd_far_link(ed, w, fd, wp), S->r);
            for (l = 0; l < S->nn; l++)
                f *= kd_far_leg(S->xn[l], ed, w);
            for (l = 0; l < S->nf; l++)
                f *= kd_far_leg(S->xf[l], fd, wp);
            G[p][q] = f;
            if (cabs(f) > gmax)
                gmax = cabs(f);
        }
    jet_at(g, v, k, ed, fd, 128);
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++)
        {
            double complex sum = 0;
            double ref, got = arf_get_d(arb_midref(g + 3 * i + j), ARF_RND_NEAR);
            double tol = 2e-14 * gmax / ipow(rho, i + j);
            for (p = 0; p < NDFT; p++)
                for (q = 0; q < NDFT; q++)
                    sum += G[p][q] * cexp(-2 * M_PI * I * (double) (i * p + j * q) / NDFT);
            ref = creal(sum) / (NDFT * NDFT) / ipow(rho, i + j);
            CHECK(arb_is_finite(g + 3 * i + j)
                  && mag_cmp_2exp_si(arb_radref(g + 3 * i + j), -80) < 0
                  && fabs(got - ref) <= tol + 1e-13 * fabs(ref),
                  "jet g_%d%d at sides %d, %d, s = %g, s' = %g: %.17g against the Cauchy "
                  "formula's %.17g (tolerance %.2g)", i, j, ky, kz, s, sp, got, ref, tol);
            if (only_verbose && fabs(got - ref) / (tol + 1e-13 * fabs(ref)) > worst)
                worst = fabs(got - ref) / (tol + 1e-13 * fabs(ref));
        }
    if (only_verbose)
        printf("jets at sides %d, %d, s = %g, s' = %g: g_00 %.15g, g_22 %.15g; largest "
               "|difference| / tolerance %.2g\n", ky, kz, s, sp,
               arf_get_d(arb_midref(g), ARF_RND_NEAR), arf_get_d(arb_midref(g + 8), ARF_RND_NEAR),
               worst);
    /* on the cone (e ^ e' = 0) the jet is not finite: G is not analytic */
    if (ky == kz)
    {
        jet_at(g, v, k, ed, ed, 128);
        CHECK(!arb_is_finite(g + 4), "jet on the cone is finite");
    }
    _arb_vec_clear(g, 9);
    neft_vint_clear(v);
    neft_kernel_clear(k);
}

/* c4 and c3 from the library's jets: tensor Gauss-Legendre (n nodes) on
   each side pair, the same and opposite sides split at s' = s (the kink of
   the link's limit) into two triangles */
static void
check_jet_c4(const char * name, const shape_t * S, double c4, double c3)
{
    neft_kernel_t k;
    neft_vint_t v;
    arb_ptr g = _arb_vec_init(9);
    double sum4 = 0, sum3 = 0;
    int ky, kz, tri, i, j, n = 20;
    make(k, v, S, 0);
    gl_n(n);
    for (ky = 0; ky < 4; ky++)
        for (kz = 0; kz < 4; kz++)
        {
            int split = (ky - kz) % 2 == 0;
            for (tri = 0; tri < (split ? 2 : 1); tri++)
                for (i = 0; i < n; i++)
                    for (j = 0; j < n; j++)
                    {
                        double s = gxn[i], sp, wt = gwn[i] * gwn[j], ed[2], fd[2], u;
                        if (!split)
                            sp = gxn[j];
                        else
                        {
                            u = 0.5 * (1 + gxn[j]);
                            wt *= 0.5;
                            if (tri == 0)
                            {
                                sp = -1 + (s + 1) * u;
                                wt *= s + 1;
                            }
                            else
                            {
                                sp = s + (1 - s) * u;
                                wt *= 1 - s;
                            }
                        }
                        side_dir(ed, ky, s);
                        side_dir(fd, kz, sp);
                        jet_at(g, v, k, ed, fd, 64);
                        sum4 += wt * arf_get_d(arb_midref(g), ARF_RND_NEAR);
                        sum3 += wt * (arf_get_d(arb_midref(g + 3), ARF_RND_NEAR)
                                      + arf_get_d(arb_midref(g + 1), ARF_RND_NEAR));
                    }
        }
    sum4 /= 4;
    sum3 /= 2;
    CHECK(fabs(sum4 - c4) < 1e-9 * c4, "%s: c4 = %.15g from the jets against %.15g", name,
          sum4, c4);
    CHECK(fabs(sum3 - c3) < 1e-9 * c3, "%s: c3 = %.15g from the jets against %.15g", name,
          sum3, c3);
    if (only_verbose)
        printf("%s: c4 %.15g (ref %.15g), c3 %.15g (ref %.15g)\n", name, sum4, c4, sum3, c3);
    _arb_vec_clear(g, 9);
    neft_vint_clear(v);
    neft_kernel_clear(k);
}

static void
check_moments(void)
{
    arb_ptr m = _arb_vec_init(3);
    arb_t L, hi;
    double Ls[3] = {7, 1e5, 2.5}, his[3] = {0.25, 0.09, 1};
    int t, i, j, n = 30;
    arb_init(L);
    arb_init(hi);
    gl_n(n);
    for (t = 0; t < 3; t++)
    {
        arb_set_d(L, Ls[t]);
        arb_set_d(hi, his[t]);
        _neft_erffar_moments(m, L, hi, 128);
        for (i = 0; i < 3; i++)
        {
            /* in x = log w: \int e^{(i - 2) x} dx, 4 panels */
            double lo = -log(Ls[t]), up = log(his[t]), ref = 0;
            int pan;
            for (pan = 0; pan < 4; pan++)
            {
                double a0 = lo + (up - lo) * pan / 4, h = (up - lo) / 8;
                for (j = 0; j < n; j++)
                    ref += h * gwn[j] * exp((i - 2) * (a0 + h * (1 + gxn[j])));
            }
            CHECK(fabs(arf_get_d(arb_midref(m + i), ARF_RND_NEAR) - ref) < 1e-12 * fabs(ref)
                  && mag_cmp_2exp_si(arb_radref(m + i), -90) < 0,
                  "moment %d at L = %g, hi = %g: %.17g against %.17g", i, Ls[t], his[t],
                  arf_get_d(arb_midref(m + i), ARF_RND_NEAR), ref);
        }
    }
    /* _neft_erffar_ee_taylor on a polynomial P = sum g_ij w^i w'^j with
       unequal coefficients: against \int\int w^-3 w'^-3 P by the same
       quadrature in (log w, log w') */
    {
        arb_ptr g = _arb_vec_init(9);
        arb_t res;
        double gd[9], ref = 0, lo, up, xs[4 * 30], ws[4 * 30];
        int pan, a1, a2;
        arb_init(res);
        for (i = 0; i < 9; i++)
        {
            gd[i] = (i + 1) * (i % 2 ? -0.7 : 1.3);
            arb_set_d(g + i, gd[i]);
        }
        arb_set_d(L, 7);
        arb_set_d(hi, 0.25);
        _neft_erffar_ee_taylor(res, g, L, hi, 128);
        lo = -log(7.0);
        up = log(0.25);
        for (pan = 0; pan < 4; pan++)
            for (j = 0; j < n; j++)
            {
                double h = (up - lo) / 8;
                xs[pan * n + j] = lo + (up - lo) * pan / 4 + h * (1 + gxn[j]);
                ws[pan * n + j] = h * gwn[j];
            }
        for (a1 = 0; a1 < 4 * n; a1++)
            for (a2 = 0; a2 < 4 * n; a2++)
            {
                double w = exp(xs[a1]), wp = exp(xs[a2]), P = 0;
                for (i = 0; i < 3; i++)
                    for (j = 0; j < 3; j++)
                        P += gd[3 * i + j] * ipow(w, i) * ipow(wp, j);
                ref += ws[a1] * ws[a2] * P / (w * w * wp * wp);
            }
        CHECK(fabs(arf_get_d(arb_midref(res), ARF_RND_NEAR) - ref) < 1e-12 * fabs(ref),
              "Taylor part on a polynomial: %.17g against %.17g",
              arf_get_d(arb_midref(res), ARF_RND_NEAR), ref);
        _arb_vec_clear(g, 9);
        arb_clear(res);
    }
    _arb_vec_clear(m, 3);
    arb_clear(L);
    arb_clear(hi);
}

static void
check_jets(void)
{
    shape_t bub = {2, 2, {{-1, -1}, {-1, 1}}, {{1, -1}, {1, 1}}, 2, 0, 0};
    shape_t lk3 = {3, 1, {{-1, -1}, {-1, 1}, {1, -1}}, {{1, 1}}, 1, 1, 1};
    shape_t one = {1, 1, {{-1, 1}}, {{1, -1}}, 1, 0, 0};
    shape_t lk0 = {3, 1, {{-1, -1}, {-1, 1}, {1, -1}}, {{1, 1}}, 1, 0, 0};
    check_moments();
    check_jet_dft(&bub, 0, 0.3, 1, -0.2);
    check_jet_dft(&bub, 0, -0.7, 0, 0.5);
    check_jet_dft(&bub, 0, 0.2, 2, -0.6);
    check_jet_dft(&bub, 3, 0.9, 1, 0.1);
    check_jet_dft(&one, 1, -0.4, 1, 0.6);
    check_jet_dft(&one, 2, 0.5, 3, -0.5);
    check_jet_dft(&lk0, 1, 0.8, 0, -0.3);
    check_jet_dft(&lk0, 2, -0.9, 0, 0.4);
    check_jet_c4("bubble", &bub, 18.991985267714362, 92.06394937945211);
    check_jet_c4("lambda kappa", &lk3, 55.83865513483189, 184.50227474207728);
}

/* bench case 19: the jets towards the cone (same side, s = 0, s' = delta)
   and the opposite side (s' = delta on side 2): how g_ij grows as
   e ^ e' -> 0 (the measurement of docs/integrate.md "Stop 37") */
static void
jets_near_cone(void)
{
    shape_t bub = {2, 2, {{-1, -1}, {-1, 1}}, {{1, -1}, {1, 1}}, 2, 0, 0};
    neft_kernel_t k;
    neft_vint_t v;
    arb_ptr g = _arb_vec_init(9);
    double ed[2], fd[2], d;
    int kz, i;
    make(k, v, &bub, 0);
    for (kz = 0; kz <= 2; kz += 2)
        for (d = 0.5; d > 1e-4; d /= 4)
        {
            side_dir(ed, 0, 0);
            side_dir(fd, kz, kz ? -d : d);
            jet_at(g, v, k, ed, fd, 128);
            printf("side pair 0, %d, |e ^ e'| = %.3g:", kz, d);
            for (i = 0; i < 9; i++)
                printf(" g%d%d %.6g", i / 3, i % 3, arf_get_d(arb_midref(g + i), ARF_RND_NEAR));
            printf("\n");
        }
    _arb_vec_clear(g, 9);
    neft_vint_clear(v);
    neft_kernel_clear(k);
}

/* the bubble's far-form factors at (w, delta, w', b) of map 0 (same side,
   shear +1): out[0, 1] the y-legs, out[2, 3] the z-legs, out[4] the link,
   out[5] their product */
static void
bub_factors(civl * out, const ivl * abc, const shape_t * S, civl w, civl d, civl wp, civl b)
{
    civl s, sp, g, E[4], cr, x[2];
    int f;
    _neft_twovtx2_angles_civl(&s, &sp, &g, 1, d, b);
    _neft_twovtx2_dir_civl(E, 0, s);
    _neft_twovtx2_dir_civl(E + 2, 0, sp);
    cr = civl_addsqr(civl_real(ivl_pt(0)), d);
    out[5] = civl_real(ivl_pt(1));
    for (f = 0; f < 4; f++)
    {
        const double * xp = f < 2 ? S->xn[f] : S->xf[f - 2];
        x[0] = civl_real(ivl_pt(xp[0]));
        x[1] = civl_real(ivl_pt(xp[1]));
        out[f] = _neft_erffar_leg_civl(abc, x, E + 2 * (f >= 2), f < 2 ? w : wp);
        out[5] = civl_mul(out[5], out[f]);
    }
    out[4] = _neft_erffar_link_civl(abc, E, w, E + 2, wp, &cr);
    out[5] = civl_mul(out[5], civl_pow_ui(out[4], S->r));
}

/* bench case 20: the far forms on the cells of the b axis' Bernstein
   ellipse (rho given) of map 0 (same side, shear +1), the upper half of
   the ellipse's box in 4k x 2k cells (those meeting the ellipse), w, w',
   delta real intervals of half-width hw around the values given (points
   for hw = 0): per factor of the bubble's integrand, how many cells it
   leaves non-finite (the bounds' failures of "Stop 36") and, on the
   others, the overestimation: the box's |f| bound over the largest |f| at
   3^4 sample points of the box (the same form at points), geometric mean
   and maximum over the cells; in parentheses how many of the non-finite
   cells are spurious (the factor finite on each of 8 x 8 sub-cells); with the direct and the centred N
   (_neft_erffar_civl_centred; docs "Stop 37") */
static void
probe_cells(double rho, double w, double wp, double d, double hw, int k)
{
    shape_t bub = {2, 2, {{-1, -1}, {-1, 1}}, {{1, -1}, {1, 1}}, 2, 0, 0};
    neft_kernel_t kk;
    neft_vint_t v;
    ivl abc[4];
    double re0 = 0.5 * (rho + 1 / rho) / 2, im0 = 0.5 * (rho - 1 / rho) / 2;
    int i, j, f, cen, save = _neft_erffar_civl_centred;
    make(kk, v, &bub, 0);
    _neft_twovtx2_erf_abc(abc, kk);
    for (cen = 0; cen <= 1; cen++)
    {
        long fail[6] = {0, 0, 0, 0, 0, 0}, nfin[6] = {0, 0, 0, 0, 0, 0}, tried = 0;
        long spur[6] = {0, 0, 0, 0, 0, 0};
        double lsum[6] = {0, 0, 0, 0, 0, 0}, rmax[6] = {0, 0, 0, 0, 0, 0};
        _neft_erffar_civl_centred = cen;
        for (i = 0; i < 4 * k; i++)
            for (j = 0; j < 2 * k; j++)
            {
                double lo = 0.5 - re0 + 2 * re0 * i / (4 * k), hi = 0.5 - re0 + 2 * re0 * (i + 1) / (4 * k);
                double jl = im0 * j / (2 * k), jh = im0 * (j + 1) / (2 * k);
                double xn = lo > 0.5 ? lo - 0.5 : (hi < 0.5 ? 0.5 - hi : 0);
                double smax[6] = {0, 0, 0, 0, 0, 0};
                civl out[6], pt[6];
                int i0, i1, i2, i3;
                if ((xn / re0) * (xn / re0) + (jl / im0) * (jl / im0) > 1)
                    continue;
                tried++;
                bub_factors(out, abc, &bub, civl_real(ivl_set(w - hw, w + hw)),
                            civl_real(ivl_set(d - hw, d + hw)), civl_real(ivl_set(wp - hw, wp + hw)),
                            civl_set(ivl_set(lo, hi), ivl_set(jl, jh)));
                for (i0 = 0; i0 < 81; i0++)
                {
                    i1 = i0 % 3; i2 = (i0 / 3) % 3; i3 = i0 / 9;
                    bub_factors(pt, abc, &bub, civl_real(ivl_pt(w + hw * (i1 - 1))),
                                civl_real(ivl_pt(d + hw * (i2 - 1))),
                                civl_real(ivl_pt(wp + hw * (i3 % 3 - 1))),
                                civl_set(ivl_pt(lo + (hi - lo) * (i3 / 3) / 2), ivl_pt(jl + (jh - jl) * (i3 % 3) / 2)));
                    for (f = 0; f < 6; f++)
                        if (civl_is_finite(pt[f]) && _neft_civl_mag(pt[f]) > smax[f])
                            smax[f] = _neft_civl_mag(pt[f]);
                }
                for (f = 0; f < 6; f++)
                    if (!civl_is_finite(out[f]))
                    {
                        /* spurious when the cell's 8 x 8 sub-cells are all finite */
                        int sub, ok = 1;
                        fail[f]++;
                        for (sub = 0; sub < 64 && ok; sub++)
                        {
                            double l2 = lo + (hi - lo) * (sub % 8) / 8, h2 = lo + (hi - lo) * (sub % 8 + 1) / 8;
                            double j2 = jl + (jh - jl) * (sub / 8) / 8, k2 = jl + (jh - jl) * (sub / 8 + 1) / 8;
                            bub_factors(pt, abc, &bub, civl_real(ivl_set(w - hw, w + hw)),
                                        civl_real(ivl_set(d - hw, d + hw)),
                                        civl_real(ivl_set(wp - hw, wp + hw)),
                                        civl_set(ivl_set(l2, h2), ivl_set(j2, k2)));
                            ok = civl_is_finite(pt[f]);
                        }
                        spur[f] += ok;
                    }
                    else if (smax[f] > 0)
                    {
                        double r = _neft_civl_mag(out[f]) / smax[f];
                        nfin[f]++;
                        lsum[f] += log(r);
                        if (r > rmax[f])
                            rmax[f] = r;
                    }
            }
        printf("rho %.2f, w %.2f, w' %.2f, delta %.2f, +-%.3f, %ld cells, %s: non-finite / "
               "overestimation (geo. mean, max)", rho, w, wp, d, hw, tried, cen ? "centred" : "direct ");
        for (f = 0; f < 6; f++)
            printf("%s %ld (%ld) %.3g %.3g", f == 0 ? " y-legs" : f == 2 ? " | z-legs" : f == 4 ? " | link" : f == 5 ? " | F" : ",",
                   fail[f], spur[f], nfin[f] ? exp(lsum[f] / nfin[f]) : NAN, rmax[f]);
        printf("\n");
    }
    _neft_erffar_civl_centred = save;
    neft_vint_clear(v);
    neft_kernel_clear(kk);
}

static double
cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static slong goal = 30;

static double last_mid, last_rad;

static void
check_one(const char * name, const shape_t * S, slong near, double R, double L)
{
    neft_kernel_t k;
    neft_vint_t v;
    arb_t res;
    arf_t Lf;
    double r1, r2, err, c0, mid, rad;
    slong evals = 0;
    int st;
    r1 = ref_ise(S, R, L, 16);
    r2 = ref_ise(S, R, L, 22);
    err = fabs(r1 - r2) + 1e-14 * fabs(r2);
    CHECK(err < 1e-10 * fabs(r2), "%s L = %g: references %.17g %.17g", name, L, r1, r2);
    make(k, v, S, near);
    arb_init(res);
    arf_init(Lf);
    arf_set_d(Lf, L);
    c0 = cpu();
    st = _neft_twovtx2_erffar_one(res, v, k, near, R, 0.09, 0.18, Lf, goal, 0, &evals, 64);
    mid = arf_get_d(arb_midref(res), ARF_RND_NEAR);
    rad = mag_get_d(arb_radref(res));
    printf("%s, L = %g: %.15g +- %.2g (ref %.15g +- %.1g), %ld node values, %.2f s CPU\n",
           name, L, mid, rad, r2, err, (long) evals, cpu() - c0);
    last_mid = mid;
    last_rad = rad;
    CHECK(st == NEFT_INTEGRATE_SUCCESS, "%s L = %g: status %d", name, L, st);
    CHECK(rad <= ldexp(4.0, -(int) goal) * fabs(mid), "%s L = %g: radius %g of %g", name, L, rad, mid);
    CHECK(fabs(mid - r2) <= rad + err, "%s L = %g: %.17g +- %g misses %.17g +- %g", name, L,
          mid, rad, r2, err);
    arb_clear(res);
    arf_clear(Lf);
    neft_vint_clear(v);
    neft_kernel_clear(k);
}

/* bench case 10: the split I = I_SS + I_SE + I_ES + I_EE at R = 1 against
   the references of docs/integrate.md "Stop 33" (double-precision adaptive
   cubature in true polar coordinates, ~1e-12): I_SS is the plan's method
   at cutoff R (BOXES4), I_SE and I_ES the far pieces (checked each against
   their direct references), and what is left, ref - I_SS - I_SE - I_ES, is
   the target for the both-far piece I_EE (printed; an estimate, not a
   bound) */
static void
split(const char * name, const shape_t * S, double L, double ref)
{
    shape_t T = *S;
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    arb_t res;
    arf_t Rf;
    char err[256];
    double ss, ssr, se, ser, es, esr, c0;
    int i, st;
    T.nn = S->nf;
    T.nf = S->nn;
    for (i = 0; i < 4; i++)
    {
        T.xn[i][0] = S->xf[i][0];
        T.xn[i][1] = S->xf[i][1];
        T.xf[i][0] = S->xn[i][0];
        T.xf[i][1] = S->xn[i][1];
    }
    T.loopn = S->loopf;
    T.loopf = S->loopn;
    make(k, v, S, 0);
    arb_init(res);
    arf_init(Rf);
    arf_one(Rf);
    neft_integrate_opt_init(opt);
    opt->goal = goal;
    c0 = cpu();
    st = neft_integrate_vint(res, v, k, Rf, opt, 64, err, sizeof err);
    ss = arf_get_d(arb_midref(res), ARF_RND_NEAR);
    ssr = mag_get_d(arb_radref(res));
    printf("%s: I_SS (R = 1) = %.15g +- %.2g, status %d, %.2f s CPU\n", name, ss, ssr, st,
           cpu() - c0);
    check_one(name, S, 0, 1, L);
    se = last_mid;
    ser = last_rad;
    check_one(name, &T, 0, 1, L);
    es = last_mid;
    esr = last_rad;
    printf("%s, L = %g: I_SS + I_SE + I_ES = %.15g +- %.2g; ref %.14g; I_EE target = %.14g\n",
           name, L, ss + se + es, ssr + ser + esr, ref, ref - ss - se - es);
    arb_clear(res);
    arf_clear(Rf);
    neft_vint_clear(v);
    neft_kernel_clear(k);
}

/* the both-far piece I_EE at R = 1 against the target of case 10 (ref -
   I_SS - I_SE - I_ES, the references of docs/integrate.md "Stop 33" to
   ~1e-12 relative; the three rigorous pieces to ~4e-10; bench cases 11-14)
   and the full sum against the reference, or with target NAN against the
   direct tensor rules of ref_iee (the suite: L = 2) */
static void
check_ee(const char * name, const shape_t * S, double L, double target, double ref,
         double rest)
{
    neft_kernel_t k;
    neft_vint_t v;
    arb_t res;
    arf_t Lf;
    double c0, mid, rad, err = 1e-11 * ref;
    slong evals = 0;
    int st;
    if (target != target)
    {
        /* no reference: the direct tensor rules of ref_iee */
        double r1 = ref_iee(S, 1, L, 24);
        target = ref_iee(S, 1, L, 32);
        err = fabs(r1 - target) + 1e-14 * fabs(target);
        CHECK(err < 1e-9 * fabs(target), "%s L = %g: I_EE references %.17g %.17g", name, L,
              r1, target);
    }
    make(k, v, S, 0);
    arb_init(res);
    arf_init(Lf);
    arf_set_d(Lf, L);
    c0 = cpu();
    st = _neft_twovtx2_erffar_ee(res, v, k, 1, Lf, goal, 0, &evals, 64);
    mid = arf_get_d(arb_midref(res), ARF_RND_NEAR);
    rad = mag_get_d(arb_radref(res));
    printf("%s, L = %g: I_EE = %.15g +- %.2g (target %.14g +- %.1g), %ld node values, %.2f s "
           "CPU", name, L, mid, rad, target, err, (long) evals, cpu() - c0);
    if (ref == ref)
        printf("; the sum %.14g against the reference %.14g", mid + rest, ref);
    printf("\n");
    CHECK(st == NEFT_INTEGRATE_SUCCESS, "%s I_EE L = %g: status %d", name, L, st);
    CHECK(rad <= ldexp(4.0, -(int) goal) * fabs(mid), "%s I_EE: radius %g of %g", name, rad, mid);
    CHECK(fabs(mid - target) <= rad + err, "%s I_EE L = %g: %.17g +- %g misses %.17g", name, L,
          mid, rad, target);
    arb_clear(res);
    arf_clear(Lf);
    neft_vint_clear(v);
    neft_kernel_clear(k);
}

int
main(int argc, char ** argv)
{
    /* HMS's corners; the lambda^2 bubble (legs (-1,-1), (-1,1) at y, (1,-1),
       (1,1) at z, two links) and lambda kappa (three legs at one vertex, one
       at the other, one link, a self-loop at each) */
    shape_t bub = {2, 2, {{-1, -1}, {-1, 1}}, {{1, -1}, {1, 1}}, 2, 0, 0};
    shape_t lk3 = {3, 1, {{-1, -1}, {-1, 1}, {1, -1}}, {{1, 1}}, 1, 1, 1};
    shape_t lk1 = {1, 3, {{1, 1}}, {{-1, -1}, {-1, 1}, {1, -1}}, 1, 1, 1};
    shape_t one = {1, 1, {{-1, 1}}, {{1, -1}}, 1, 0, 1};
    int only = argc > 1 ? atoi(argv[1]) : -1;     /* one case (bench) */
    if (argc > 2)
        goal = atoi(argv[2]);
    if (getenv("NEFT_ERFFAR_DIRECT") != NULL)   /* bench: the direct forms (before stop 37's centred N) */
        _neft_erffar_civl_centred = 0;
    if (argc > 3)       /* the I_EE stack's log (bench/ee_where_twovtx2_erf.py) */
        _neft_twovtx2_erffar_ee_verbose = atoi(argv[3]);
    if (only < 0)
    {
        /* the suite */
        check_forms();
        check_centred();
        check_jets();
        goal = 26;
        check_one("1 + 1 legs, 1 link, loop far", &one, 0, 1, 100000);
        goal = 14;
        check_ee("1 + 1 legs, 1 link, loop far", &one, 2, NAN, NAN, NAN);
    }
    if (only == 9)
    {
        only_verbose = 1;
        check_forms();
        check_centred();
    }
    if (only == 17)
    {
        only_verbose = 1;
        check_jets();
    }
    if (only == 0)
        check_one("bubble", &bub, 0, 1, 7);
    if (only == 1)
        check_one("bubble", &bub, 0, 1, 10);
    if (only == 2)
        check_one("bubble", &bub, 1, 1, 1000);
    if (only == 3)
        check_one("lambda kappa, 3 legs near", &lk3, 0, 1, 10);
    if (only == 4)
        check_one("lambda kappa, 1 leg near", &lk1, 1, 1, 100000);
    if (only == 5)
        check_one("1 + 1 legs, 1 link, loop far", &one, 0, 1, 10);
    if (only == 6)
        check_one("1 + 1 legs, 1 link, loop far", &one, 0, 1, 100000);
    if (only == 10)
    {
        split("bubble", &bub, 7, 79501.762587694);
        split("bubble", &bub, 10, 285915.09757893);
        split("lambda kappa", &lk3, 7, 202595.80911031);
        split("lambda kappa", &lk3, 10, 760176.74806171);
    }
    if (only == 15)
        check_ee("bubble", &bub, 2, NAN, NAN, NAN);
    if (only == 19)
        jets_near_cone();
    if (only == 20)
    {
        int kc;
        double hw;
        for (kc = 1; kc <= 4; kc *= 4)
            for (hw = 0; hw < 0.1; hw = hw == 0 ? 0.0625 : 1)
            {
                probe_cells(3, 0.55, 0.6, 1.25, hw, kc);
                probe_cells(3, 0.5, 0.5, 1.0, hw, kc);
                probe_cells(2.3, 0.2, 0.25, 0.5, hw / 2, kc);
            }
    }
    if (only == 18 && argc > 4)     /* I_EE of the bubble at the L given, against ref_iee */
        check_ee("bubble", &bub, atof(argv[4]), NAN, NAN, NAN);
    if (only == 16)
        check_ee("1 + 1 legs, 1 link, loop far", &one, 2, NAN, NAN, NAN);
    if (only == 11)
        check_ee("bubble", &bub, 7, 74911.112923472, 79501.762587694, 4590.64966422246);
    if (only == 12)
        check_ee("bubble", &bub, 10, 277557.98875323, 285915.09757893, 8357.10882570024);
    if (only == 13)
        check_ee("lambda kappa", &lk3, 7, 192053.52268441, 202595.80911031, 10542.2864259014);
    if (only == 14)
        check_ee("lambda kappa", &lk3, 10, 739833.94490998, 760176.74806171, 20342.8031517262);
    flint_cleanup();
    printf("t-twovtx2-erffar: %ld checks, %ld failed\n", neft_test_checks, neft_test_failures);
    return neft_test_failures ? 1 : 0;
}
