/* Vertex integrals: every ball contains an independently computed value.
   References: closed forms derived by hand (ReLU sigma_b = 0 polynomials,
   GaussNet over the whole line), a second method (the GaussNet closed form
   against adaptive quadrature; the 64-bit result against a 128-bit one),
   and a double-precision composite Gauss-Legendre rule written here with the
   textbook kernel formulas (agreement to 1e-9 relative).  Also: radii at 64
   bits are <= 1e-10 relative, identical integrals are cached, and what
   cannot be integrated is refused.  The panel method for 1-D integrals is
   checked piece by piece (interval atan and kernels against Arb, derivative
   bounds against finite differences) and as a whole against
   acb_calc_integrate at 160 bits on cases chosen to expose an enclosure that
   is too narrow. */

#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/integrate.h"
/* white-box: the double-interval kernels of the panel method */
#include "integrate/internal.h"   /* _neft_integrate_quad, _neft_integrate_boxes */
#include "integrate/kern1.h"
#include "neft-test.h"
#include "gl-ref.h"

/* ---- double-precision reference ---- */

/* type indexes the three rows with a closed-form kernel the reference
   below knows (krows: 0 gauss, 1 erf, 2 relu) */
static const char * const krows[3] = {"gauss", "erf", "relu"};
#define KROW(type) neft_act_lookup(krows[type])

typedef struct { int type; int d; double sw2, sb2; int sub; } dk;

static double
kd(const dk * k, const double * x, const double * y)
{
    double a = k->sw2 / k->d, kxx = k->sb2, kyy = k->sb2, kxy = k->sb2, r = 0, s = 0;
    int i;
    for (i = 0; i < k->d; i++)
    {
        kxx += a * x[i] * x[i];
        kyy += a * y[i] * y[i];
        kxy += a * x[i] * y[i];
        s += (x[i] - y[i]) * (x[i] - y[i]);
    }
    if (k->type == 0)
        r = k->sw2 * exp(-a * s / 2);
    else if (k->type == 1)
        r = k->sw2 * 2 / M_PI * asin(2 * kxy / sqrt((1 + 2 * kxx) * (1 + 2 * kyy)));
    else if (k->type == 2)
    {
        double q = sqrt(kxx * kyy), c = q > 0 ? kxy / q : 1, th;
        c = c > 1 ? 1 : (c < -1 ? -1 : c);
        th = acos(c);
        r = k->sw2 / (2 * M_PI) * q * (sin(th) + (M_PI - th) * c);
    }
    else
        FAIL("no reference kernel for row number %d", k->type);
    return r + (k->sub ? 0 : k->sb2);
}

/* Integrand of a one- or two-vertex integral at y (d coords per vertex). */
typedef struct { dk k; int m; int nlegs; int vert[8]; double pt[8][3]; int A[2][2]; } dint;

static int absF = 0;   /* integrate |F| instead (a scale) */

static double
dF(const dint * I, const double * y)
{
    double f = 1;
    int i, d = I->k.d;
    for (i = 0; i < I->nlegs; i++)
        f *= kd(&I->k, I->pt[i], y + I->vert[i] * d);
    for (i = 0; i < I->A[0][0]; i++) f *= kd(&I->k, y, y);
    if (I->m == 2)
    {
        for (i = 0; i < I->A[1][1]; i++) f *= kd(&I->k, y + d, y + d);
        for (i = 0; i < I->A[0][1]; i++) f *= kd(&I->k, y, y + d);
    }
    return absF ? fabs(f) : f;
}

/* Composite GL over [-L, L]^D: cuts (sorted, inside) per dimension, each
   piece split into `sub` panels. */
static double
dquad(const dint * I, int D, double L, const double * cuts, int ncuts, int sub)
{
    double pts[64], total = 0, y[3];
    int np = 0, i, j, idx[3] = {0, 0, 0}, done = 0;
    pts[np++] = -L;
    for (i = 0; i < ncuts; i++)
        if (cuts[i] > -L && cuts[i] < L)
            pts[np++] = cuts[i];
    pts[np++] = L;
    for (i = 1; i < np; i++)               /* sort */
        for (j = i; j > 0 && pts[j - 1] > pts[j]; j--)
        { double t = pts[j]; pts[j] = pts[j - 1]; pts[j - 1] = t; }
    /* panels */
    {
        double lo[64 * 40], hi[64 * 40];
        int npan = 0;
        for (i = 0; i + 1 < np; i++)
            for (j = 0; j < sub; j++)
            {
                if (pts[i + 1] <= pts[i]) continue;
                lo[npan] = pts[i] + (pts[i + 1] - pts[i]) * j / sub;
                hi[npan] = pts[i] + (pts[i + 1] - pts[i]) * (j + 1) / sub;
                npan++;
            }
        /* iterate over panel^D x node^D */
        while (!done)
        {
            int q[3];
            for (q[0] = 0; q[0] < GLN; q[0]++)
            for (q[1] = 0; q[1] < (D > 1 ? GLN : 1); q[1]++)
            for (q[2] = 0; q[2] < (D > 2 ? GLN : 1); q[2]++)
            {
                double w = 1;
                for (i = 0; i < D; i++)
                {
                    double h = (hi[idx[i]] - lo[idx[i]]) / 2;
                    y[i] = lo[idx[i]] + h * (1 + gx[q[i]]);
                    w *= gw[q[i]] * h;
                }
                total += w * dF(I, y);
            }
            for (i = 0; i < D; i++)
            {
                if (++idx[i] < npan) break;
                idx[i] = 0;
            }
            done = (i == D);
        }
    }
    return total;
}

/* Two vertices in d = 1, nested: the inner integral over y split at the
   leg points of y and at z (the kink of K(y,z) for ReLU), the outer split at
   every leg point. */
static const dint * nest_I;
static double nest_z, nest_L;

static double
nest_inner(double y)
{
    double yz[2] = {y, nest_z};
    return dF(nest_I, yz);
}

static double
gl_pieces(double (*f)(double), double * pts, int np, int sub)
{
    double total = 0;
    int i, j, q;
    for (i = 1; i < np; i++)
        for (j = i; j > 0 && pts[j - 1] > pts[j]; j--)
        { double t = pts[j]; pts[j] = pts[j - 1]; pts[j - 1] = t; }
    for (i = 0; i + 1 < np; i++)
        for (j = 0; j < sub; j++)
        {
            double a = pts[i] + (pts[i + 1] - pts[i]) * j / sub;
            double b = pts[i] + (pts[i + 1] - pts[i]) * (j + 1) / sub;
            double h = (b - a) / 2;
            for (q = 0; q < GLN; q++)
                total += gw[q] * h * f(a + h * (1 + gx[q]));
        }
    return total;
}

static double
nest_outer(double z)
{
    double pts[12];
    int np = 0, i;
    nest_z = z;
    pts[np++] = -nest_L;
    pts[np++] = nest_L;
    pts[np++] = z;
    for (i = 0; i < nest_I->nlegs; i++)
        if (nest_I->vert[i] == 0 && fabs(nest_I->pt[i][0]) < nest_L)
            pts[np++] = nest_I->pt[i][0];
    return gl_pieces(nest_inner, pts, np, 3);
}

static double
nested2(const dint * I, double L)
{
    double pts[12];
    int np = 0, i;
    nest_I = I;
    nest_L = L;
    pts[np++] = -L;
    pts[np++] = L;
    for (i = 0; i < I->nlegs; i++)
        if (fabs(I->pt[i][0]) < L)
            pts[np++] = I->pt[i][0];
    return gl_pieces(nest_outer, pts, np, 3);
}

/* One vertex in d = 2, nested: the inner integral over y2 is analytic for
   y1 != x_i1; the outer one is split at the x_i1 and graded geometrically
   towards them (the ReLU cone singularities at y = x_i). */
static double d2_y1;

static double
d2_inner(double y2)
{
    double y[2] = {d2_y1, y2};
    return dF(nest_I, y);
}

static double
d2_outer(double y1)
{
    double pts[12];
    int np = 0, i;
    d2_y1 = y1;
    pts[np++] = -nest_L;
    pts[np++] = nest_L;
    for (i = 0; i < nest_I->nlegs; i++)
        pts[np++] = nest_I->pt[i][1];
    return gl_pieces(d2_inner, pts, np, 4);
}

static double
nested_d2(const dint * I, double L)
{
    double pts[200];
    int np = 0, i, g;
    nest_I = I;
    nest_L = L;
    pts[np++] = -L;
    pts[np++] = L;
    for (i = 0; i < I->nlegs; i++)
    {
        pts[np++] = I->pt[i][0];
        for (g = 2; g <= 24; g += 2)
        {
            double h = ldexp(1.0, -g);
            if (I->pt[i][0] + h < L) pts[np++] = I->pt[i][0] + h;
            if (I->pt[i][0] - h > -L) pts[np++] = I->pt[i][0] - h;
        }
    }
    return gl_pieces(d2_outer, pts, np, 1);
}

/* ---- arb side ---- */

static void
make_kernel(neft_kernel_t k, const dk * K)
{
    arb_t sw, sb;
    arb_init(sw); arb_init(sb);
    arb_set_d(sw, K->sw2); arb_sqrt(sw, sw, 128);
    arb_set_d(sb, K->sb2); arb_sqrt(sb, sb, 128);
    if (neft_kernel_set_act(k, KROW(K->type), NULL, K->d, sw, sb, NULL, 128) != NEFT_SUCCESS)
        FAIL("%s has no kernel", krows[K->type]);
    arb_set_d(k->sw2, K->sw2);   /* exact doubles, as the reference uses */
    arb_set_d(k->sb2, K->sb2);
    k->subtract_bias = K->sub;
    arb_clear(sw); arb_clear(sb);
}

static void
make_vint(neft_vint_t v, const dint * I)
{
    int i;
    arb_ptr x = _arb_vec_init(3);
    for (i = 0; i < I->nlegs; i++)
    {
        int c;
        for (c = 0; c < I->k.d; c++)
            arb_set_d(x + c, I->pt[i][c]);
        neft_vint_add_leg(v, I->vert[i], x);
    }
    for (i = 0; i < I->A[0][0]; i++) neft_vint_add_link(v, 0, 0);
    for (i = 0; i < I->A[1][1]; i++) neft_vint_add_link(v, 1, 1);
    for (i = 0; i < I->A[0][1]; i++) neft_vint_add_link(v, 0, 1);
    neft_vint_canonicalise(v);
    _arb_vec_clear(x, 3);
}

static int
integrate(arb_t r, const dint * I, double L, slong prec)
{
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    arf_t Lf;
    char err[512];
    int s;
    neft_kernel_init(k);
    make_kernel(k, &I->k);
    neft_vint_init(v, I->k.d, I->m);
    make_vint(v, I);
    neft_integrate_opt_init(opt);
    arf_init(Lf);
    if (L == INFINITY) arf_pos_inf(Lf); else arf_set_d(Lf, L);
    s = neft_integrate_vint(r, v, k, Lf, opt, prec, err, sizeof err);
    if (s == NEFT_INTEGRATE_UNSUPPORTED)
        printf("  (refused: %s)\n", err);
    arf_clear(Lf);
    neft_vint_clear(v);
    neft_kernel_clear(k);
    return s;
}

static void
describe(const dint * I, double L)
{
    int i, c;
    printf("  kernel %d d=%d sw2=%g sb2=%g sub=%d L=%g m=%d loops=%d,%d links=%d legs:",
           I->k.type, I->k.d, I->k.sw2, I->k.sb2, I->k.sub, L, I->m, I->A[0][0], I->A[1][1], I->A[0][1]);
    for (i = 0; i < I->nlegs; i++)
    {
        printf(" y%d-(", I->vert[i] + 1);
        for (c = 0; c < I->k.d; c++) printf("%s%g", c ? "," : "", I->pt[i][c]);
        printf(")");
    }
    printf("\n");
}

static int
rel_ok(const arb_t r, double rel)
{
    return arb_is_finite(r) && (arb_is_exact(r) || mag_cmp_2exp_si(arb_radref(r), -1000) < 0
        || arb_rel_accuracy_bits(r) >= -log2(rel));
}

/* radius <= rel * scale (scale: the integral of |F|, for integrals that
   cancel to about 0) */
static int
rad_ok(const arb_t r, double rel, double scale)
{
    return arb_is_finite(r) && mag_get_d(arb_radref(r)) <= rel * scale;
}

/* r agrees with the double reference ref to 1e-9 relative (of scale). */
static int
near(const arb_t r, double ref, double scale)
{
    double mid = arf_get_d(arb_midref(r), ARF_RND_NEAR);
    double rad = mag_get_d(arb_radref(r));
    return fabs(mid - ref) <= rad + 1e-9 * scale + 1e-300;
}

static double
cuts_of(const dint * I, int coord, double * cuts)
{
    int i, n = 0;
    for (i = 0; i < I->nlegs; i++)
        cuts[n++] = I->pt[i][coord];
    cuts[n++] = 0;
    return n;
}

/* A 1-D (or 2-D etc) case against the double reference. */
static void
check_double(const dint * I, double L, int D, int sub, const char * what)
{
    arb_t r;
    double cuts[16], ref, scale;
    int nc;
    arb_init(r);
    nc = (int) cuts_of(I, 0, cuts);
    ref = dquad(I, D, L, cuts, nc, sub);
    /* scale for the tolerances: the integral of |F| */
    absF = 1;
    scale = dquad(I, D, L, cuts, nc, sub);
    absF = 0;
    integrate(r, I, L, 64);
    CHECK(near(r, ref, scale) && rad_ok(r, 1e-10, scale), "%s vs double Gauss-Legendre (ref %.17g)", what, ref);
    if (!(near(r, ref, scale) && rad_ok(r, 1e-10, scale)))
    {
        describe(I, L);
        printf("  got "); arb_printd(r, 20); printf("\n");
    }
    arb_clear(r);
}

/* ---- the panel method (src/integrate/tuples.c, kern1.c, ivl.c) ---- */


static double
urand(flint_rand_t st)
{
    return n_randint(st, 1u << 30) / (double) (1u << 30);
}

/* the kernel in Arb at a complex point, as the panel method continues it
   (one-sided for ReLU) */
static void
kern_ref(acb_t r, const neft_kernel_t k, double x, int diag, int side, const acb_t y, slong prec)
{
    acb_t xc;
    acb_init(xc);
    acb_set_d(xc, x);
    if (diag)
        neft_kernel_diag_acb(r, k, y, 0, prec);
    else if (k->act == neft_act_lookup("relu"))
        _neft_kernel_relu1_acb(r, k, xc, y, side, 0, prec);
    else
        neft_kernel_eval_acb(r, k, xc, y, 0, prec);
    acb_clear(xc);
}

static void
check_intervals(flint_rand_t st, slong n)
{
    slong it, j;
    arb_t t, u, e;
    acb_t y, r1, r2;
    neft_kernel_t k;
    arb_init(t); arb_init(u); arb_init(e);
    acb_init(y); acb_init(r1); acb_init(r2);
    neft_kernel_init(k);
    /* the tables: enclosures, and the doubles nearest to atan(j/8) */
    for (j = 0; j <= 8; j++)
    {
        ivl a = _neft_ivl_atan_table(j);
        double v = _neft_ivl_atan_rn(j);
        arb_set_ui(t, j);
        arb_div_ui(t, t, 8, 200);
        arb_atan(t, t, 200);
        _neft_ivl_get_arb(e, a);
        arb_set_d(u, v);
        arb_sub(u, u, t, 200);
        arb_abs(u, u);
        _neft_ivl_get_arb(e, a);
        CHECK(arb_contains(e, t), "atan(%ld/8) table", (long) j);
        /* nearest: within half an ulp (<= 2^-53 |v|) */
        arb_set_d(e, fabs(v) * 0x1p-53);
        CHECK(arb_le(u, e), "atan(%ld/8) rounded to nearest", (long) j);
    }
    _neft_ivl_get_arb(e, ivl_pi());
    arb_const_pi(t, 200);
    CHECK(arb_contains(e, t), "pi enclosure");
    _neft_ivl_get_arb(e, ivl_inv_pi());
    arb_inv(t, t, 200);
    CHECK(arb_contains(e, t), "1/pi enclosure");
    /* atan on points and narrow intervals of any size */
    for (it = 0; it < 20 * n; it++)
    {
        double v = (urand(st) - 0.5) * pow(10, 16 * urand(st) - 8);
        double w = (it % 2) ? fabs(v) * pow(2, -20 - 30 * urand(st)) : 0;
        ivl r = _neft_ivl_atan(ivl_set(v - w, v + w));
        _neft_ivl_get_arb(e, r);
        arb_set_d(t, v - w);
        arb_atan(t, t, 200);
        arb_set_d(u, v + w);
        arb_atan(u, u, 200);
        /* at points at least 46 bits (the error bound is 2^-49 relative) */
        CHECK(arb_contains(e, t) && arb_contains(e, u) && (w > 0 || arb_rel_accuracy_bits(e) >= 46),
              "interval atan at %.17g +- %g", v, w);
    }
    /* ReLU with x, y of opposite signs and the angle near pi (the series
       r p^3 (1/3 - ...) in kern1.c): enclosed, and without the loss of
       3/p^2 (here about 2^13) that the plain form has */
    {
        static const double xy[4][2] = {{3, -1000}, {-2.5, 40}, {0.75, -1e5}, {-8, 8}};
        _neft_k1_struct P;
        _neft_k1in_struct I;
        k->act = neft_act_lookup("relu");
        k->d = 1;
        arb_set_d(k->sw2, 1);
        arb_set_d(k->sb2, 0.01);
        k->subtract_bias = 1;
        _neft_k1_init(&P, k);
        for (j = 0; j < 4; j++)
        {
            ivl r;
            int side = xy[j][1] > xy[j][0] ? 1 : -1;
            arb_set_d(t, xy[j][0]);
            _neft_k1_input(&I, &P, t);
            r = _neft_k1_eval(&P, &I, ivl_pt(xy[j][1]), side);
            _neft_ivl_get_arb(e, r);
            acb_set_d(y, xy[j][1]);
            kern_ref(r1, k, xy[j][0], 0, side, y, 200);
            CHECK(arb_contains(e, acb_realref(r1)) && arb_rel_accuracy_bits(e) >= 44,
                  "ReLU near t = pi at x = %g, y = %g: %ld bits", xy[j][0], xy[j][1],
                  (long) arb_rel_accuracy_bits(e));
        }
    }
    /* kernels: values enclose, derivative bounds bound */
    for (it = 0; it < 4 * n; it++)
    {
        _neft_k1_struct P;
        _neft_k1in_struct I;
        int type = 1 + (it & 1), diag = (it % 7 == 3), side, s;
        double xv = (urand(st) - 0.5) * 8, yv = (urand(st) - 0.5) * pow(10, 1 + 4 * urand(st));
        double w = (it % 3 == 0) ? fabs(yv) * 1e-13 : 0, m, hw, hh, D, rad;
        ivl r;
        k->act = KROW(type);
        k->d = 1;
        arb_set_d(k->sw2, 0.25 + 2 * urand(st));
        arb_set_d(k->sb2, (type == 2 ? 0.001 : 0) + 2 * urand(st) * urand(st));
        k->subtract_bias = (it % 5 == 0);
        CHECK(_neft_k1_init(&P, k), "interval kernel refused");
        arb_set_d(t, xv);
        _neft_k1_input(&I, &P, t);
        side = yv >= xv ? 1 : -1;
        r = _neft_k1_eval(&P, diag ? NULL : &I, ivl_set(yv - w, yv + w), side);
        _neft_ivl_get_arb(e, r);
        acb_set_d(y, yv);
        kern_ref(r1, k, xv, diag, side, y, 200);
        CHECK(arb_contains(e, acb_realref(r1)), "interval kernel %d (diag %d) at x = %g, y = %g",
              type, diag, xv, yv);
        /* a rectangle around a real point on the side of the kink */
        m = yv;
        hw = urand(st) * (fabs(yv) * 0.5 + 1);
        hh = urand(st) * (fabs(yv) * 0.5 + 1);
        if (type == 2 && !diag)
        {
            if (side > 0 && m - hw < xv)
                m = xv + hw;
            if (side < 0 && m + hw > xv)
                m = xv - hw;
        }
        rad = _up_hypot(hw, hh);
        D = _neft_k1_dbound(&P, diag ? NULL : &I, side, m - hw, m + hw, hh, m, rad);
        if (!(D < INFINITY))
            continue;
        for (s = 0; s < 4; s++)
        {
            /* |K'| by a central difference of step 1e-15 at 256 bits */
            double zr = m - hw + 2 * hw * urand(st), zi = hh * (2 * urand(st) - 1);
            arb_set_d(u, 1e-15 * (1 + fabs(zr) + fabs(zi)));
            acb_set_d_d(y, zr, zi);
            arb_add(acb_realref(y), acb_realref(y), u, 256);
            kern_ref(r1, k, xv, diag, side, y, 256);
            acb_set_d_d(y, zr, zi);
            arb_sub(acb_realref(y), acb_realref(y), u, 256);
            kern_ref(r2, k, xv, diag, side, y, 256);
            if (!acb_is_finite(r1) || !acb_is_finite(r2))
                continue;
            acb_sub(r1, r1, r2, 256);
            acb_div_arb(r1, r1, u, 256);
            acb_mul_2exp_si(r1, r1, -1);
            acb_abs(t, r1, 256);
            arb_set_d(e, D * (1 + 1e-9));
            CHECK(arb_le(t, e), "derivative bound %d (diag %d) x = %g at %g%+gi: %g", type, diag,
                  xv, zr, zi, D);
        }
    }
    arb_clear(t); arb_clear(u); arb_clear(e);
    acb_clear(y); acb_clear(r1); acb_clear(r2);
    neft_kernel_clear(k);
}

/* One 1-D case against acb_calc_integrate at 200 bits: the ball must contain
   the reference.  xs: the points (nlegs), xq: 0, or q for the 128-bit
   number xs[i]/q in place of each point. */
static void
check_panel_one(int type, double sw2, double sb2, int sub, double Ld, const double * xs,
                int nlegs, int loops, slong goal, slong prec, const char * what)
{
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt, ropt;
    arf_t L;
    arb_t r, ref, x;
    char err[256];
    int i, s;
    neft_kernel_init(k);
    neft_vint_init(v, 1, 1);
    arf_init(L);
    arb_init(r); arb_init(ref); arb_init(x);
    k->act = KROW(type);
    k->d = 1;
    arb_set_d(k->sw2, sw2);
    arb_set_d(k->sb2, sb2);
    k->subtract_bias = sub;
    arf_set_d(L, Ld);
    for (i = 0; i < nlegs; i++)
    {
        arb_set_d(x, xs[i]);
        neft_vint_add_leg(v, 0, x);
    }
    for (i = 0; i < loops; i++)
        neft_vint_add_link(v, 0, 0);
    neft_vint_canonicalise(v);
    neft_integrate_opt_init(opt);
    neft_integrate_opt_init(ropt);
    opt->goal = goal;
    s = neft_integrate_vint(r, v, k, L, opt, prec, err, sizeof err);
    _neft_integrate_quad(ref, v, k, L, ropt, 200);
    /* (the reference must be the narrower ball, for the test to mean anything) */
    CHECK(s == NEFT_INTEGRATE_SUCCESS && arb_is_finite(r) && arb_overlaps(r, ref)
          && mag_cmp(arb_radref(ref), arb_radref(r)) <= 0, "%s (goal %ld, prec %ld) vs 200 bits",
          what, (long) goal, (long) prec);
    if (!(arb_is_finite(r) && arb_overlaps(r, ref)))
    {
        printf("  got "); arb_printd(r, 20); printf("\n  ref "); arb_printd(ref, 30); printf("\n");
    }
    neft_kernel_clear(k);
    neft_vint_clear(v);
    arf_clear(L);
    arb_clear(r); arb_clear(ref); arb_clear(x);
}

/* Hand-picked hard cases: kinks at and near the box ends and each other,
   sigma_b small (singular points near the real axis), points far out,
   strong cancellation, at low goals (where the rule's error bound, not the
   rounding, sets the radius) and high ones. */
static void
check_panel_fixed(void)
{
    static const slong goals[4] = {8, 20, 42, 0};
    int g;
    for (g = 0; g < 4; g++)
    {
        slong G = goals[g];
        double a[4] = {0.25, -0.75, 1.5, 0.5};
        double b[4] = {-10, 10, 1e-9, -1e-9};          /* kinks at the ends, two 2e-9 apart */
        double c[3] = {0.001, -0.002, 0.5};
        double d[4] = {3, -3, 100, -100};              /* far outside the box */
        double e[3] = {2, -2, 1};                      /* an odd integrand */
        check_panel_one(2, 1, 0.25, 0, 100, a, 4, 0, G, 64, "ReLU bench case L = 100");
        check_panel_one(1, 1, 1, 0, 100, a, 4, 0, G, 64, "Erf bench case L = 100");
        check_panel_one(2, 1, 0.25, 0, 10, b, 4, 1, G, 64, "ReLU kinks at +-L and 2e-9 apart");
        check_panel_one(2, 2, 1e-4, 0, 10, c, 3, 0, G, 64, "ReLU sigma_b = 0.01, kinks near 0");
        check_panel_one(2, 1, 1e-8, 1, 3, c, 3, 1, G, 64, "ReLU sigma_b = 1e-4, bias subtracted");
        check_panel_one(1, 1.5, 1e-6, 0, 10, c, 3, 0, G, 64, "Erf sigma_b = 1e-3, points near 0");
        check_panel_one(1, 1, 0.25, 1, 2, d, 4, 2, G, 64, "Erf points outside the box, self-loops");
        check_panel_one(1, 1, 0, 0, 1e4, e, 3, 0, G, 64, "Erf sigma_b = 0, odd integrand (cancels)");
        check_panel_one(2, 0.5, 4, 0, 1e4, e, 2, 0, G, 128, "ReLU L = 1e4 at 128 bits");
    }
}

/* One random 1-D case against acb_calc_integrate at 160 bits. */
static void
check_panel_case(flint_rand_t st, slong it)
{
    static const double Ls[6] = {0.5, 1, 3.75, 10, 100, 1e4};
    static const double sbs[8] = {1e-6, 1e-3, 0.01, 0.0625, 0.25, 0.3, 1, 4};
    static const slong goals[6] = {0, 42, 30, 20, 12, 8};
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt, ropt;
    arf_t L;
    arb_t r, ref, x;
    char err[256];
    int type = 1 + n_randint(st, 2), s, i, nlegs = 1 + n_randint(st, 4), loops;
    double Ld = Ls[n_randint(st, 6)], sb2 = sbs[n_randint(st, 8)], last = 0;
    slong prec = n_randint(st, 4) == 0 ? 128 : 64;
    neft_kernel_init(k);
    neft_vint_init(v, 1, 1);
    arf_init(L);
    arb_init(r); arb_init(ref); arb_init(x);
    k->act = KROW(type);
    k->d = 1;
    arb_set_d(k->sw2, 0.25 + 0.25 * n_randint(st, 12));
    arb_set_d(k->sb2, (type == 1 && n_randint(st, 3) == 0) ? 0 : sb2);
    if (n_randint(st, 4) == 0)
    {
        arb_set_ui(k->sb2, 1);                    /* not a double */
        arb_div_ui(k->sb2, k->sb2, 3 + n_randint(st, 5), 128);
    }
    k->subtract_bias = n_randint(st, 4) == 0;
    arf_set_d(L, Ld);
    for (i = 0; i < nlegs; i++)
    {
        int kind = n_randint(st, 6);
        double xv;
        if (kind == 0)
            xv = ((double) n_randint(st, 129) - 64) / 16;
        else if (kind == 1)                        /* on or just inside the box end */
            xv = (n_randint(st, 2) ? 1 : -1) * Ld * (n_randint(st, 3) == 0 ? 1.0 : 0.999999);
        else if (kind == 2 && i > 0)              /* near the previous kink */
            xv = last + 1e-9 * ((double) n_randint(st, 3) - 1);
        else if (kind == 3)                        /* anywhere, also outside */
            xv = ((double) n_randint(st, 1001) - 500) / 500 * Ld * 1.2;
        else
            xv = ((double) n_randint(st, 129) - 64) / 64;
        last = xv;
        arb_set_d(x, xv);
        if (n_randint(st, 4) == 0)
        {
            /* a 128-bit binary number that is not a double */
            arb_set_si(x, (slong) n_randint(st, 200) - 100);
            arb_div_ui(x, x, 7, 128);
            mag_zero(arb_radref(x));
        }
        neft_vint_add_leg(v, 0, x);
    }
    loops = n_randint(st, 4) == 0 ? 1 + n_randint(st, 2) : 0;
    for (i = 0; i < loops; i++)
        neft_vint_add_link(v, 0, 0);
    neft_vint_canonicalise(v);
    neft_integrate_opt_init(opt);
    neft_integrate_opt_init(ropt);
    opt->goal = goals[n_randint(st, 6)];
    s = neft_integrate_vint(r, v, k, L, opt, prec, err, sizeof err);
    _neft_integrate_quad(ref, v, k, L, ropt, 160);
    CHECK(s == NEFT_INTEGRATE_SUCCESS && arb_is_finite(r) && arb_overlaps(r, ref),
          "panel case %ld (kernel %d, sb2 %g, L %g, goal %ld, prec %ld) vs 160 bits", (long) it,
          type, arf_get_d(arb_midref(k->sb2), ARF_RND_NEAR), Ld, (long) opt->goal, (long) prec);
    if (!(arb_is_finite(r) && arb_overlaps(r, ref)))
    {
        printf("  got "); arb_printd(r, 20); printf("\n  ref "); arb_printd(ref, 30); printf("\n");
    }
    neft_kernel_clear(k);
    neft_vint_clear(v);
    arf_clear(L);
    arb_clear(r); arb_clear(ref); arb_clear(x);
}

/* ---- one plan per kernel row and case (neft_integrate_plan) ---- */

static void
row_kernel(neft_kernel_t k, const char * name, slong d, double sw2, double sb2)
{
    arb_t sw, sb;
    arb_init(sw); arb_init(sb);
    arb_one(sw);
    CHECK(neft_kernel_set_act(k, neft_act_lookup(name), NULL, d, sw, sb, NULL, 64)
          == NEFT_SUCCESS, "row %s", name);
    arb_set_d(k->sw2, sw2);
    arb_set_d(k->sb2, sb2);
    arb_clear(sw); arb_clear(sb);
}

/* The linear kernel alpha + beta x.y integrated by tensor Gauss-Legendre
   with 4 nodes per coordinate (exact for degree <= 7 in each). */
static void
linear_ref(arb_t res, const neft_vint_t v, const neft_kernel_t k, double L, slong prec)
{
    slong D = v->m * v->d, n = 1, p, c, i, u, w, M = NEFT_INTEGRATE_MAX_VERTICES;
    arb_t nodes[4], wts[4], al, be, f, t, xy;
    arb_ptr y = _arb_vec_init(D);
    for (i = 0; i < 4; i++)
    {
        arb_init(nodes[i]); arb_init(wts[i]);
        arb_hypgeom_legendre_p_ui_root(nodes[i], wts[i], 4, i, prec);
        {
            arb_t l;
            arb_init(l);
            arb_set_d(l, L);
            arb_mul(nodes[i], nodes[i], l, prec);
            arb_mul(wts[i], wts[i], l, prec);
            arb_clear(l);
        }
    }
    arb_init(al); arb_init(be); arb_init(f); arb_init(t); arb_init(xy);
    arb_add_ui(al, k->sw2, 1, prec);
    arb_mul(al, al, k->sb2, prec);                 /* b (1 + sw2) */
    arb_sqr(be, k->sw2, prec);
    arb_div_si(be, be, v->d, prec);                /* sw2 a */
    for (i = 0; i < D; i++)
        n *= 4;
    arb_zero(res);
    for (p = 0; p < n; p++)
    {
        slong q = p;
        arb_one(f);
        for (c = 0; c < D; c++)
        {
            arb_set(y + c, nodes[q % 4]);
            arb_mul(f, f, wts[q % 4], prec);
            q /= 4;
        }
        for (i = 0; i < v->nlegs; i++)
        {
            arb_dot(xy, NULL, 0, v->point + i * v->d, 1, y + v->vertex[i] * v->d, 1, v->d, prec);
            arb_mul(t, xy, be, prec);
            arb_add(t, t, al, prec);
            arb_mul(f, f, t, prec);
        }
        for (u = 0; u < v->m; u++)
            for (w = u; w < v->m; w++)
            {
                slong e;
                arb_dot(xy, NULL, 0, y + u * v->d, 1, y + w * v->d, 1, v->d, prec);
                arb_mul(t, xy, be, prec);
                arb_add(t, t, al, prec);
                for (e = 0; e < v->A[u * M + w]; e++)
                    arb_mul(f, f, t, prec);
            }
        arb_add(res, res, f, prec);
    }
    for (i = 0; i < 4; i++)
    {
        arb_clear(nodes[i]); arb_clear(wts[i]);
    }
    arb_clear(al); arb_clear(be); arb_clear(f); arb_clear(t); arb_clear(xy);
    _arb_vec_clear(y, D);
}

static void
plan_rows(void)
{
    static const char * rows[6] = {"relu", "leaky-relu", "linear", "erf", "sin", "gauss"};
    static const struct { const char * row; double sb2; slong d, m; int method; } expect[] = {
        {"relu", 0, 1, 3, NEFT_INTEGRATE_METHOD_ORTHANTS},
        {"leaky-relu", 0, 1, 2, NEFT_INTEGRATE_METHOD_ORTHANTS},
        {"linear", 0, 1, 4, NEFT_INTEGRATE_METHOD_ORTHANTS},
        {"erf", 0.25, 1, 1, NEFT_INTEGRATE_METHOD_PANELS},
        {"relu", 0.25, 1, 1, NEFT_INTEGRATE_METHOD_PANELS},
        {"leaky-relu", 0.25, 1, 1, NEFT_INTEGRATE_METHOD_QUAD},
        {"sin", 0, 1, 1, NEFT_INTEGRATE_METHOD_QUAD},
        {"linear", 0.25, 1, 1, NEFT_INTEGRATE_METHOD_QUAD},
        {"relu", 0.25, 1, 2, NEFT_INTEGRATE_METHOD_KINK_PAIR},
        {"leaky-relu", 0.25, 1, 2, NEFT_INTEGRATE_METHOD_KINK_PAIR},
        {"sin", 0.25, 1, 2, NEFT_INTEGRATE_METHOD_BOXES},
        {"relu", 0, 2, 1, NEFT_INTEGRATE_METHOD_POLAR},
        {"leaky-relu", 0, 2, 1, NEFT_INTEGRATE_METHOD_REFUSED},
        {"leaky-relu", 0.25, 3, 1, NEFT_INTEGRATE_METHOD_BOXES},
        {"erf", 0.25, 2, 1, NEFT_INTEGRATE_METHOD_PATCHES},
        {"relu", 0.25, 3, 1, NEFT_INTEGRATE_METHOD_PATCHES},
        {"relu", 0, 3, 1, NEFT_INTEGRATE_METHOD_PATCHES},
        {"gauss", 0, 4, 1, NEFT_INTEGRATE_METHOD_GAUSSIAN},
        {"sin", 0.25, 2, 2, NEFT_INTEGRATE_METHOD_REFUSED},
        {"erf", 0.25, 1, 3, NEFT_INTEGRATE_METHOD_THREEVTX},
        {"erf", 0.25, 1, 4, NEFT_INTEGRATE_METHOD_REFUSED},
    };
    neft_kernel_t k;
    neft_integrate_plan_t plan;
    neft_integrate_opt_t opt;
    neft_vint_t v;
    arf_t L;
    arb_t r, r2, ref, x;
    char err[400];
    slong i, d, m, j;
    int s;

    neft_kernel_init(k);
    neft_integrate_opt_init(opt);
    arf_init(L);
    arb_init(r); arb_init(r2); arb_init(ref); arb_init(x);

    /* supported, cost and the plan agree, for every row and case */
    for (i = 0; i < 6; i++)
        for (j = 0; j < 4; j++)
            for (d = 1; d <= 4; d++)
                for (m = 0; m <= NEFT_INTEGRATE_MAX_VERTICES + 1; m++)
                {
                    row_kernel(k, rows[i], d, 1.5, j & 1 ? 0.25 : 0);
                    k->subtract_bias = (j == 3);
                    if (j == 2)
                        arf_pos_inf(L);
                    else
                        arf_set_d(L, 2);
                    s = neft_integrate_plan(plan, m, 3, 1, k, L, 64);
                    CHECK((s == NEFT_INTEGRATE_SUCCESS) == neft_integrate_supported(m, k, L, err, sizeof err),
                          "%s d %ld m %ld: plan and supported agree", rows[i], (long) d, (long) m);
                    CHECK(plan->cost == neft_integrate_vint_cost(m, 3, 1, k, L, 64)
                          && (plan->cost > 0) == (s == NEFT_INTEGRATE_SUCCESS && m > 0),
                          "%s d %ld m %ld: plan and cost agree", rows[i], (long) d, (long) m);
                    CHECK((s == NEFT_INTEGRATE_SUCCESS) == (plan->method != NEFT_INTEGRATE_METHOD_REFUSED)
                          && (s == NEFT_INTEGRATE_SUCCESS || (plan->why[0] && !strcmp(plan->why, err))),
                          "%s d %ld m %ld: a refusal has its reason", rows[i], (long) d, (long) m);
                    if (s != NEFT_INTEGRATE_SUCCESS && !arf_is_pos_inf(L)
                        && m <= NEFT_INTEGRATE_MAX_VERTICES)
                        CHECK(strstr(plan->why, rows[i]) != NULL, "%s d %ld m %ld: refusal names the "
                              "kernel: %s", rows[i], (long) d, (long) m, plan->why);
                }
    for (i = 0; i < (slong) (sizeof expect / sizeof expect[0]); i++)
    {
        row_kernel(k, expect[i].row, expect[i].d, 1.5, expect[i].sb2);
        arf_set_d(L, 2);
        s = neft_integrate_plan(plan, expect[i].m, 2, 0, k, L, 64);
        CHECK(plan->method == expect[i].method, "%s sb2 %g d %ld m %ld: method %d, expected %d (%s)",
              expect[i].row, expect[i].sb2, (long) expect[i].d, (long) expect[i].m, plan->method,
              expect[i].method, plan->why);
        /* the run reads the same plan: refused exactly when planned so (the
           kink pairs take seconds here: the leaky-relu one is run below) */
        if ((expect[i].m * expect[i].d <= 2 || plan->method == NEFT_INTEGRATE_METHOD_REFUSED
             || plan->method == NEFT_INTEGRATE_METHOD_ORTHANTS)
            && plan->method != NEFT_INTEGRATE_METHOD_KINK_PAIR)
        {
            neft_vint_init(v, expect[i].d, expect[i].m);
            for (j = 0; j < 2 * expect[i].m; j++)
            {
                arb_ptr pt = _arb_vec_init(expect[i].d);
                for (d = 0; d < expect[i].d; d++)
                    arb_set_d(pt + d, 0.5 - 0.75 * ((j + d) % 3));
                neft_vint_add_leg(v, j % expect[i].m, pt);
                _arb_vec_clear(pt, expect[i].d);
            }
            for (j = 1; j < expect[i].m; j++)
                neft_vint_add_link(v, j - 1, j);
            neft_vint_canonicalise(v);
            s = neft_integrate_vint(r, v, k, L, opt, 32, err, sizeof err);
            CHECK((s == NEFT_INTEGRATE_UNSUPPORTED) == (plan->method == NEFT_INTEGRATE_METHOD_REFUSED)
                  && (s == NEFT_INTEGRATE_UNSUPPORTED || arb_is_finite(r)),
                  "%s d %ld m %ld: run as planned (status %d, %s)", expect[i].row,
                  (long) expect[i].d, (long) expect[i].m, s, err);
            neft_vint_clear(v);
        }
    }

    /* the linear kernel (a polynomial) by every method it takes, exactly */
    for (i = 0; i < 5; i++)
    {
        static const slong dm[5][2] = {{1, 1}, {1, 2}, {2, 1}, {3, 1}, {1, 3}};
        double sb2 = i == 4 ? 0 : 0.25;
        d = dm[i][0];
        m = dm[i][1];
        row_kernel(k, "linear", d, 1.5, sb2);
        arf_set_d(L, 1.5);
        neft_vint_init(v, d, m);
        for (j = 0; j < 2 * m + 1; j++)
        {
            arb_ptr pt = _arb_vec_init(d);
            slong c;
            for (c = 0; c < d; c++)
                arb_set_d(pt + c, 0.25 + 0.5 * ((j + 2 * c) % 4) - 1);
            neft_vint_add_leg(v, j % m, pt);
            _arb_vec_clear(pt, d);
        }
        for (j = 1; j < m; j++)
            neft_vint_add_link(v, j - 1, j);
        if (m * d == 1)
            neft_vint_add_link(v, 0, 0);
        neft_vint_canonicalise(v);
        s = neft_integrate_vint(r, v, k, L, opt, 48, err, sizeof err);
        linear_ref(ref, v, k, 1.5, 128);
        CHECK(s == NEFT_INTEGRATE_SUCCESS && arb_overlaps(r, ref)
              && (arb_rel_accuracy_bits(r) >= 20 || mag_cmp_2exp_si(arb_radref(r), -30) < 0),
              "linear d %ld m %ld exact (status %d, %ld bits)", (long) d, (long) m, s,
              (long) arb_rel_accuracy_bits(r));
        if (!arb_overlaps(r, ref))
        {
            printf("  got "); arb_printd(r, 20); printf("\n  ref "); arb_printd(ref, 20); printf("\n");
        }
        neft_vint_clear(v);
    }

    /* sin (boxes) against nested acb_calc_integrate; leaky-relu (the kink pair)
       against the boxes cut at the kinks */
    {
        static const struct { const char * row; slong d, m; } cross[2] = {
            {"sin", 1, 2}, {"leaky-relu", 1, 2}};
        for (i = 0; i < 2; i++)
        {
            d = cross[i].d;
            m = cross[i].m;
            row_kernel(k, cross[i].row, d, 1.25, 0.25);
            arb_set_d(k->param, 0.2);
            arf_set_d(L, 1);
            neft_vint_init(v, d, m);
            for (j = 0; j < 2; j++)
            {
                arb_ptr pt = _arb_vec_init(d);
                arb_set_d(pt, j ? -0.5 : 0.375);
                if (d > 1)
                    arb_set_d(pt + 1, j ? 0.25 : -0.625);
                neft_vint_add_leg(v, j % m, pt);
                _arb_vec_clear(pt, d);
            }
            if (m > 1)
                neft_vint_add_link(v, 0, 1);
            neft_vint_canonicalise(v);
            /* (2-D goals are prec - 24 bits) */
            s = neft_integrate_vint(r, v, k, L, opt, 40, err, sizeof err);
            if (i == 0)
                _neft_integrate_quad(r2, v, k, L, opt, 40);
            else
                _neft_integrate_boxes(r2, v, k, L, opt, 32);
            CHECK(s == NEFT_INTEGRATE_SUCCESS && arb_is_finite(r2) && arb_overlaps(r, r2)
                  && arb_rel_accuracy_bits(r) >= 14,
                  "%s d %ld m %ld: plan vs nested quadrature", cross[i].row, (long) d, (long) m);
            if (!arb_overlaps(r, r2))
            {
                printf("  got (%d) ", s); arb_printd(r, 20); printf("\n  other "); arb_printd(r2, 20); printf("\n");
            }
            neft_vint_clear(v);
        }
    }

    neft_kernel_clear(k);
    arf_clear(L);
    arb_clear(r); arb_clear(r2); arb_clear(ref); arb_clear(x);
}

int
main(int argc, char ** argv)
{
    flint_rand_t state;
    slong iter;
    int quick = (argc > 1 && !strcmp(argv[1], "--quick"));
    arb_t r, r2, ref;

    gl_init();
    flint_randinit(state);
    arb_init(r); arb_init(r2); arb_init(ref);

    /* 1-D one vertex, random cases, all kernels, against double GL and 128 bits */
    for (iter = 0; iter < (quick ? 24 : 90); iter++)
    {
        dint I;
        static const double Ls[3] = {1, 10, 100};
        double L = Ls[iter % 3];
        int i;
        memset(&I, 0, sizeof I);
        I.k.type = (iter / 3) % 3;
        I.k.d = 1;
        I.k.sw2 = 0.5 + 0.25 * n_randint(state, 7);
        I.k.sb2 = n_randint(state, 3) == 0 ? 0 : 0.125 * (1 + n_randint(state, 6));
        I.k.sub = n_randint(state, 4) == 0;
        I.m = 1;
        I.nlegs = 2 + n_randint(state, 3);
        for (i = 0; i < I.nlegs; i++)
        {
            I.vert[i] = 0;
            I.pt[i][0] = ((double) n_randint(state, 129) - 64) / 16;     /* [-4, 4] */
            if (i > 0 && n_randint(state, 4) == 0)
                I.pt[i][0] = I.pt[i - 1][0];                                /* repeated point */
        }
        I.A[0][0] = n_randint(state, 3) == 0;
        if (I.k.type == 2 && I.k.sb2 == 0 && n_randint(state, 2))
            for (i = 0; i < I.nlegs; i++)
                I.pt[i][0] = fabs(I.pt[i][0]) + 0.25;                       /* nonzero result */
        /* (ReLU with sigma_b = 0 in d = 1 has cos t = -1 exactly, where the
           double textbook formula is off by rounding: checked by hand-derived
           polynomials below) */
        if (!(I.k.type == 2 && I.k.sb2 == 0))
            check_double(&I, L, 1, L > 20 ? 40 : 12, "1-D one vertex");
        /* a second method: 128 bits (different tolerances and subdivision) */
        integrate(r, &I, L, 64);
        integrate(r2, &I, L, 128);
        CHECK(arb_overlaps(r, r2), "64 vs 128 bits");
    }

    /* the panel method: its pieces, and random cases against 160 bits */
    check_intervals(state, quick ? 200 : 1000);
    check_panel_fixed();
    for (iter = 0; iter < (quick ? 12 : 40); iter++)
        check_panel_case(state, iter);

    /* GaussNet closed form against adaptive quadrature (a second method) */
    {
        dint I;
        memset(&I, 0, sizeof I);
        I.k.type = 0; I.k.d = 1; I.k.sw2 = 1.5; I.k.sb2 = 0.25; I.m = 1; I.nlegs = 4;
        I.pt[0][0] = 0.5; I.pt[1][0] = -1.25; I.pt[2][0] = 2; I.pt[3][0] = 0.75;
        I.A[0][0] = 1;
        {
            neft_kernel_t k; neft_vint_t v; neft_integrate_opt_t opt; arf_t Lf;
            neft_kernel_init(k); make_kernel(k, &I.k);
            neft_vint_init(v, 1, 1); make_vint(v, &I);
            neft_integrate_opt_init(opt); arf_init(Lf); arf_set_d(Lf, 3);
            neft_integrate_vint(r, v, k, Lf, opt, 64, NULL, 0);
            _neft_integrate_quad(r2, v, k, Lf, opt, 64);
            CHECK(arb_overlaps(r, r2) && rel_ok(r, 1e-15) && rel_ok(r2, 1e-15),
                  "GaussNet closed form vs acb_calc_integrate");
            arf_clear(Lf); neft_vint_clear(v); neft_kernel_clear(k);
        }
    }

    /* GaussNet over the whole line, bias subtracted: prod_i w e^{-alpha (y-x_i)^2}
       integrates to w^n sqrt(pi/(alpha n)) exp(-alpha sum (x_i - mu)^2) */
    {
        dint I;
        double x[3] = {0.5, -1, 2}, mu = 0.5, s = 0, alpha = 2.0 / 2;   /* sw2 = 2, d = 1 */
        int i;
        memset(&I, 0, sizeof I);
        I.k.type = 0; I.k.d = 1; I.k.sw2 = 2; I.k.sb2 = 0.5; I.k.sub = 1; I.m = 1; I.nlegs = 3;
        for (i = 0; i < 3; i++) { I.pt[i][0] = x[i]; s += (x[i] - mu) * (x[i] - mu); }
        integrate(r, &I, INFINITY, 64);
        arb_set_d(ref, -alpha * s);
        arb_exp(ref, ref, 64);
        arb_mul_ui(ref, ref, 8, 64);                         /* w^3 = 8 */
        arb_const_pi(r2, 64);
        arb_div_ui(r2, r2, 3, 64);                           /* pi / (alpha n) */
        arb_sqrt(r2, r2, 64);
        arb_mul(ref, ref, r2, 64);
        CHECK(arb_overlaps(r, ref) && rel_ok(r, 1e-15), "GaussNet on the whole line");
        /* without subtraction the integral diverges: refused */
        I.k.sub = 0;
        CHECK(integrate(r, &I, INFINITY, 64) == NEFT_INTEGRATE_UNSUPPORTED, "divergent L = inf refused");
        /* GaussNet in d = 2, 3: closed form vs the box method on a small case */
        I.k.sub = 0; I.k.d = 2; I.nlegs = 2;
        I.pt[0][1] = 0.25; I.pt[1][1] = -0.5;
        {
            neft_kernel_t k; neft_vint_t v; neft_integrate_opt_t opt; arf_t Lf;
            neft_kernel_init(k); make_kernel(k, &I.k);
            neft_vint_init(v, 2, 1); make_vint(v, &I);
            neft_integrate_opt_init(opt); arf_init(Lf); arf_set_d(Lf, 1.5);
            neft_integrate_vint(r, v, k, Lf, opt, 64, NULL, 0);
            _neft_integrate_boxes(r2, v, k, Lf, opt, 64);
            CHECK(arb_overlaps(r, r2) && rel_ok(r2, 1e-10), "GaussNet d=2 closed form vs boxes");
            arf_clear(Lf); neft_vint_clear(v); neft_kernel_clear(k);
        }
    }

    /* ReLU sigma_b = 0, d = 1: hand-derived polynomials.  K(x,y) = c x y for
       x y > 0 (c = sw2^2 / 2), else 0.
       One vertex, legs 1, 2, 1/2, 3, one self-loop (K(y,y) = c y^2):
         c^5 * 3 * L^7 / 7.
       Two vertices, x1 = 1, x2 = 2 on y; x3 = 1/2, x4 = 3 on z; two links:
         c^6 * 3 * (L^5/5)^2.  With x3 = -1/2 instead: 0 (y, z of equal sign
         needed by the links, of opposite signs by the legs). */
    {
        dint I;
        double c = 1.5 * 1.5 / 2, L = 3;
        memset(&I, 0, sizeof I);
        I.k.type = 2; I.k.d = 1; I.k.sw2 = 1.5; I.k.sb2 = 0; I.m = 1; I.nlegs = 4;
        I.pt[0][0] = 1; I.pt[1][0] = 2; I.pt[2][0] = 0.5; I.pt[3][0] = 3; I.A[0][0] = 1;
        integrate(r, &I, L, 64);
        arb_set_d(ref, c);
        arb_pow_ui(ref, ref, 5, 128);
        arb_mul_ui(ref, ref, 3 * 2187, 128);                 /* 3 * 3^7 */
        arb_div_ui(ref, ref, 7, 128);
        CHECK(arb_overlaps(r, ref) && rel_ok(r, 1e-15), "ReLU sigma_b = 0, one vertex");
        I.m = 2; I.A[0][0] = 0; I.A[0][1] = 2;
        I.vert[2] = I.vert[3] = 1;
        integrate(r, &I, L, 64);
        arb_set_d(ref, c);
        arb_pow_ui(ref, ref, 6, 128);
        arb_mul_ui(ref, ref, 3 * 243 * 243, 128);
        arb_div_ui(ref, ref, 25, 128);
        CHECK(arb_overlaps(r, ref) && rel_ok(r, 1e-15), "ReLU sigma_b = 0, two vertices");
        I.pt[2][0] = -0.5;
        integrate(r, &I, L, 64);
        CHECK(arb_is_zero(r), "ReLU sigma_b = 0, mixed signs: 0");
    }

    /* Two vertices in d = 1 (Erf, GaussNet) and one vertex in d = 2 (Erf,
       ReLU sigma_b > 0), against double tensor Gauss-Legendre */
    {
        dint I;
        memset(&I, 0, sizeof I);
        I.k.type = 1; I.k.d = 1; I.k.sw2 = 1; I.k.sb2 = 0.25; I.m = 2; I.nlegs = 4;
        I.pt[0][0] = 0.5; I.pt[1][0] = -0.25; I.pt[2][0] = 1; I.pt[3][0] = 0.75;
        I.vert[2] = I.vert[3] = 1; I.A[0][1] = 2;
        check_double(&I, 1, 2, 4, "Erf two vertices d=1");
        I.k.type = 0;
        check_double(&I, 2, 2, 6, "GaussNet two vertices d=1");
        /* ReLU sigma_b > 0, one vertex, d = 2: Duffy transforms at the point
           singularities y = x_i */
        {
            double ref;
            memset(&I, 0, sizeof I);
            I.k.type = 2; I.k.d = 2; I.k.sw2 = 1; I.k.sb2 = 0.25; I.m = 1; I.nlegs = 2;
            I.pt[0][0] = 0.25; I.pt[0][1] = -0.5; I.pt[1][0] = -0.5; I.pt[1][1] = 0.75;
            ref = nested_d2(&I, 1);
            integrate(r, &I, 1, 64);
            CHECK(fabs(arf_get_d(arb_midref(r), ARF_RND_NEAR) - ref) <= mag_get_d(arb_radref(r)) + 1e-8 * fabs(ref)
                  && rad_ok(r, 1e-10, fabs(ref)),
                  "ReLU one vertex d=2 vs nested double Gauss-Legendre (ref %.17g)", ref);
            if (!rad_ok(r, 1e-10, fabs(ref)) || !(fabs(arf_get_d(arb_midref(r), ARF_RND_NEAR) - ref) <= mag_get_d(arb_radref(r)) + 1e-8 * fabs(ref)))
            {
                printf("  got "); arb_printd(r, 20); printf("\n");
            }
        }
        /* ReLU sigma_b > 0, two vertices: the bent path through y = z */
        {
            double ref;
            memset(&I, 0, sizeof I);
            I.k.type = 2; I.k.d = 1; I.k.sw2 = 1; I.k.sb2 = 0.25; I.m = 2; I.nlegs = 2;
            I.pt[0][0] = 0.25; I.pt[1][0] = -0.5; I.vert[1] = 1; I.A[0][1] = 1;
            ref = nested2(&I, 1);
            integrate(r, &I, 1, 64);
            CHECK(near(r, ref, fabs(ref)) && rad_ok(r, 1e-10, fabs(ref)),
                  "ReLU two vertices vs nested double Gauss-Legendre (ref %.17g)", ref);
            if (!near(r, ref, fabs(ref)) || !rad_ok(r, 1e-10, fabs(ref)))
            {
                printf("  got "); arb_printd(r, 20); printf("\n");
            }
        }
        if (!quick)
        {
            memset(&I, 0, sizeof I);
            I.k.type = 1; I.k.d = 2; I.k.sw2 = 1; I.k.sb2 = 0.25; I.m = 1; I.nlegs = 3;
            I.pt[0][0] = 0.5; I.pt[0][1] = -0.25; I.pt[1][0] = 1; I.pt[1][1] = 0.75;
            I.pt[2][0] = -1; I.pt[2][1] = 0.5;
            check_double(&I, 1, 2, 4, "Erf one vertex d=2");
        }
    }

    /* ReLU sigma_b = 0 in d_in = 2 (homogeneity, four 1-D integrals):
       against the box method (a rigorous but wide ball within its budget),
       invariance under a quarter turn of all points (the square is
       invariant), and the scaling L^{p+2} */
    {
        dint I, J;
        neft_kernel_t k; neft_vint_t v; neft_integrate_opt_t opt; arf_t Lf;
        int i;
        memset(&I, 0, sizeof I);
        I.k.type = 2; I.k.d = 2; I.k.sw2 = 1.5; I.k.sb2 = 0; I.m = 1; I.nlegs = 3;
        I.pt[0][0] = 0.5; I.pt[0][1] = -0.25; I.pt[1][0] = 1; I.pt[1][1] = 0.75;
        I.pt[2][0] = -1; I.pt[2][1] = 0.5; I.A[0][0] = 1;
        integrate(r, &I, 1, 64);
        CHECK(rel_ok(r, 1e-15), "ReLU sigma_b = 0, d = 2: precision");
        J = I;
        for (i = 0; i < 3; i++)
        {
            J.pt[i][0] = -I.pt[i][1];
            J.pt[i][1] = I.pt[i][0];
        }
        integrate(r2, &J, 1, 64);
        CHECK(arb_overlaps(r, r2), "ReLU sigma_b = 0, d = 2: quarter turn");
        integrate(r2, &I, 2, 64);
        arb_mul_2exp_si(ref, r, 7);                     /* p = 3 + 2 = 5: 2^{p+2} */
        CHECK(arb_overlaps(ref, r2), "ReLU sigma_b = 0, d = 2: scaling with L");
        neft_kernel_init(k); make_kernel(k, &I.k);
        neft_vint_init(v, 2, 1); make_vint(v, &I);
        neft_integrate_opt_init(opt); opt->eval_limit = quick ? 20000 : 200000;
        arf_init(Lf); arf_one(Lf);
        _neft_integrate_boxes(r2, v, k, Lf, opt, 64);
        CHECK(arb_is_finite(r2) && arb_overlaps(r, r2), "ReLU sigma_b = 0, d = 2: polar vs boxes");
        arf_clear(Lf); neft_vint_clear(v); neft_kernel_clear(k);
    }

    /* All tuples at once (shared kernel values) against one by one: Erf and
       ReLU sigma_b > 0, with a self-loop, 3-tuples of 4 inputs; at the
       default goal (Arb values) and at 42 bits (double values) */
    {
        static const double in[4] = {-1.5, -0.25, 0.5, 2};
        int kt;
        for (kt = 1; kt <= 4; kt++)
        {
            neft_kernel_t k;
            neft_integrate_opt_t opt;
            arf_t Lf;
            arb_ptr x = _arb_vec_init(4), res = _arb_vec_init(20);
            slong idx[3] = {0, 0, 0}, t, i;
            dk K = {1 + (kt - 1) % 2, 1, 1.25, 0.3, 0};
            double rel = kt <= 2 ? 1e-12 : 0x1p-41;
            char err[256];
            neft_kernel_init(k);
            make_kernel(k, &K);
            neft_integrate_opt_init(opt);
            opt->goal = kt <= 2 ? 0 : 42;
            arf_init(Lf);
            arf_set_ui(Lf, 12);
            for (i = 0; i < 4; i++)
                arb_set_d(x + i, in[i]);
            neft_integrate_tuples1(res, k, x, 4, 3, 1, Lf, opt, 64);
            for (t = 0; t < 20; t++)
            {
                neft_vint_t v;
                neft_vint_init(v, 1, 1);
                for (i = 0; i < 3; i++)
                    neft_vint_add_leg(v, 0, x + idx[i]);
                neft_vint_add_link(v, 0, 0);
                neft_vint_canonicalise(v);
                neft_integrate_vint(r, v, k, Lf, opt, 64, err, sizeof err);
                CHECK(arb_overlaps(r, res + t) && rel_ok(res + t, rel),
                      "tuples1 (kernel %d, goal %ld) tuple %ld,%ld,%ld", K.type, (long) opt->goal,
                      (long) idx[0], (long) idx[1], (long) idx[2]);
                neft_vint_clear(v);
                for (i = 2; i >= 0; i--)
                    if (idx[i] + 1 < 4)
                    {
                        slong q;
                        idx[i]++;
                        for (q = i + 1; q < 3; q++)
                            idx[q] = idx[i];
                        break;
                    }
            }
            CHECK(idx[0] == 3, "tuples1: 20 tuples of 3 from 4");
            arf_clear(Lf);
            _arb_vec_clear(x, 4);
            _arb_vec_clear(res, 20);
            neft_kernel_clear(k);
        }
    }

    /* The cache: permuted legs give one entry; refusals */
    {
        neft_integrate_cache_t cache;
        neft_diagram_t dg;
        neft_kernel_t k;
        neft_integrate_opt_t opt;
        arf_t Lf;
        arb_ptr pts = _arb_vec_init(4);
        slong e1[] = {0, 4, 1, 4, 2, 4, 3, 4}, type[1] = {0};
        char err[512];
        int s;
        dk K = {1, 1, 1.0, 0.25, 0};
        neft_integrate_cache_init(cache);
        neft_diagram_init(dg);
        neft_kernel_init(k);
        make_kernel(k, &K);
        neft_integrate_opt_init(opt);
        arf_init(Lf);
        arf_set_ui(Lf, 2);
        arb_set_d(pts, 0.5); arb_set_d(pts + 1, -1); arb_set_d(pts + 2, 0.25); arb_set_d(pts + 3, 1.5);
        neft_diagram_set_graph(dg, 4, 1, type, 4, e1);
        neft_integrate_term(r, dg, pts, k, Lf, cache, opt, 64, err, sizeof err);
        arb_swap(pts, pts + 3);
        arb_swap(pts + 1, pts + 2);
        neft_integrate_term(r2, dg, pts, k, Lf, cache, opt, 64, err, sizeof err);
        CHECK(cache->length == 1 && cache->hits == 1 && arb_equal(r, r2), "cache of permuted points");
        /* a new cutoff, kernel or precision empties the cache: the value is
           that of a fresh computation, never the cached one of cutoff 2 */
        {
            arb_t r3;
            arb_init(r3);
            arf_set_ui(Lf, 3);
            neft_integrate_term(r3, dg, pts, k, Lf, cache, opt, 64, err, sizeof err);
            neft_integrate_term(r2, dg, pts, k, Lf, NULL, opt, 64, err, sizeof err);
            CHECK(cache->length == 1 && arb_overlaps(r3, r2) && !arb_overlaps(r3, r),
                  "cache after a new cutoff");
            arf_set_ui(Lf, 2);
            K.sw2 = 2.25;
            make_kernel(k, &K);
            neft_integrate_term(r3, dg, pts, k, Lf, cache, opt, 64, err, sizeof err);
            neft_integrate_term(r2, dg, pts, k, Lf, NULL, opt, 64, err, sizeof err);
            CHECK(cache->length == 1 && arb_overlaps(r3, r2) && !arb_overlaps(r3, r),
                  "cache after a new sigma_w");
            K.sw2 = 1.0;
            make_kernel(k, &K);
            neft_integrate_term(r3, dg, pts, k, Lf, cache, opt, 128, err, sizeof err);
            CHECK(cache->length == 1 && arb_overlaps(r3, r) && arb_rel_accuracy_bits(r3) > 80,
                  "cache after a new precision: %ld bits", (long) arb_rel_accuracy_bits(r3));
            arb_clear(r3);
        }
        /* four vertices in a chain (d = 1, Erf): refused, with a reason
           (three are integrated: tests/t-threevtx.c) */
        {
            slong type4[4] = {0, 0, 0, 0};
            slong e4[] = {0, 4, 1, 4, 4, 5, 4, 5, 5, 6, 5, 6, 6, 7, 6, 7, 2, 7, 3, 7};
            neft_diagram_set_graph(dg, 4, 4, type4, 10, e4);
            s = neft_integrate_term(r, dg, pts, k, Lf, cache, opt, 64, err, sizeof err);
            CHECK(s == NEFT_INTEGRATE_UNSUPPORTED && !arb_is_finite(r) && strstr(err, "4 internal vertices") != NULL,
                  "four vertices refused");
        }
        arf_clear(Lf);
        neft_kernel_clear(k);
        neft_diagram_clear(dg);
        neft_integrate_cache_clear(cache);
        _arb_vec_clear(pts, 4);
    }

    arb_clear(r); arb_clear(r2); arb_clear(ref);
    plan_rows();
    flint_randclear(state);
    flint_cleanup();
    return neft_test_finish("t-integrate");
}
