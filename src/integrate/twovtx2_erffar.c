/* Erf, two vertices, d_in = 2: the piece with one point far
   (twovtx2_erffar.h, _neft_twovtx2_erffar_one; docs/integrate.md "Stop
   34").  The vertex y ranges over the inner square [-R, R]^2 in Cartesian
   coordinates, the other, z = e/w, over the outside S_L \ S_R in far
   coordinates (side kz, e = R_kz (1, s), w = 1/t in [1/L, 1/R]).  Maps: kz
   + 4 part; part 0 the plain integrand w^-3 g on [max(wc, wl), 1/R], part 1
   (when wl < wc) A(y) (C(y, s) / (wc - wl) + h(w)) on [wl, wc], C the
   closed-form integral of the Taylor part of g over [wl, wc] (constant
   along w: the rule integrates it exactly) and h the remainder, wl the
   double nearest 1/L.  The 4-D box stack of twovtx2_stack.c integrates
   both; its bounds need |F| on complex boxes: part 0 directly (the far
   forms of twovtx2_erffar_kern.c on boxes, holomorphy checked), part 1 by
   the Cauchy estimates from M >= |g| on a cover of the disk |w| <= rho0
   (the cover certifies that g is holomorphic there).  Where round-to-
   nearest doubles are usable (_neft_ivl_usable) the bounds and the rules
   run in double intervals (ivl.h, cbox_ivl.h: rigorous enclosures, ~10x
   cheaper); a rule whose interval is wider than 1/32 of its box's share
   of the tolerance (part 1's subtraction at small w) is redone in Arb at
   3 log2(L) + 16 extra bits. */

#include <math.h>
#include <string.h>
#include "twovtx2_erffar.h"
#include "twovtx2.h"
#include "gl.h"
#include "cbox.h"

#define NAX 4
#define NMAXN 24
#ifndef NYS
#define NYS 2                   /* start boxes: y in NYS x NYS, s in NYS */
#endif
#ifndef WRATIO
#define WRATIO 2.5              /* start boxes: w cut at wc WRATIO^j */
#endif
#define NDISK 2                 /* the disk's cover: NDISK^2 grid cells (reach rho0 sqrt 2) */
static const double rhos[] = {6.0, 4.0, 3.0, 2.3, 1.8, 1.35};
#define NRHO 6

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    slong near, far, r, loopn, loopf, nn, nf;
    arb_ptr xn, xf;             /* legs at y and at z (2 coordinates each) */
    acb_ptr xna, xfa;
    ivl abc[4];                 /* a, b, c, B in double intervals */
    ivl * xni, * xfi;           /* the legs as intervals */
    int use_ivl;                /* bounds and rules in double intervals */
    double dens;                /* the stack's tolerance per volume */
    slong nrule_ivl, nrule_arb; /* rules taken in intervals, in Arb */
    double R, wc, rho0, wl;
    arb_t q0, q1, q2;           /* the closed-form weights / (wc - wl) */
    double qsum;                /* >= |q0| + |q1| / rho0 + |q2| / rho0^2 */
    double cell[NDISK * NDISK][4];
    slong ncell;
    slong prec, wp;
}
fctx_t;

/* the legs and self-loops of the near vertex at y (complex boxes, or real
   points with an = 0) */
static void
near_acb(acb_t out, const fctx_t * C, acb_srcptr y, int an, slong prec)
{
    acb_t u;
    slong i;
    acb_init(u);
    acb_one(out);
    for (i = 0; i < C->nn; i++)
    {
        _neft_twovtx2_erf_kbox(u, C->k, C->xna + 2 * i, y, NULL, an, prec);
        acb_mul(out, out, u, prec);
    }
    if (C->loopn)
    {
        _neft_twovtx2_erf_kbox(u, C->k, y, y, NULL, an, prec);
        acb_pow_ui(u, u, C->loopn, prec);
        acb_mul(out, out, u, prec);
    }
    acb_clear(u);
}

/* g = B(e/w) K(y, e/w)^r on complex boxes */
static void
g_acb(acb_t out, const fctx_t * C, acb_srcptr y, acb_srcptr e, const acb_t w, int an,
      slong prec)
{
    acb_t u;
    slong i;
    acb_init(u);
    acb_one(out);
    for (i = 0; i < C->nf && acb_is_finite(out); i++)
    {
        _neft_erffar_leg_acb(u, C->k, C->xfa + 2 * i, e, w, an, prec);
        acb_mul(out, out, u, prec);
    }
    if (C->loopf && acb_is_finite(out))
    {
        _neft_erffar_self_acb(u, C->k, e, w, an, prec);
        acb_pow_ui(u, u, C->loopf, prec);
        acb_mul(out, out, u, prec);
    }
    if (C->r && acb_is_finite(out))
    {
        _neft_erffar_leg_acb(u, C->k, y, e, w, an, prec);
        acb_pow_ui(u, u, C->r, prec);
        acb_mul(out, out, u, prec);
    }
    acb_clear(u);
}

/* the far vertex's factor B(e/w) as a series in w (len terms, w given as a
   series) on real points */
static void
far_series(arb_ptr out, const fctx_t * C, arb_srcptr e, arb_srcptr w, slong len, slong prec)
{
    arb_ptr u = _arb_vec_init(len), t = _arb_vec_init(len), c = _arb_vec_init(5);
    slong i, j;
    _arb_vec_zero(out, len);
    arb_one(out);
    for (i = 0; i < C->nf; i++)
    {
        _neft_erffar_leg_coeffs(c, C->k, C->xf + 2 * i, e, prec);
        _neft_erffar_leg_series(u, C->k, c, w, len, prec);
        _arb_poly_mullow(t, out, len, u, len, len, prec);
        _arb_vec_set(out, t, len);
    }
    if (C->loopf)
    {
        _neft_erffar_self_series(u, C->k, e, w, len, prec);
        for (j = 0; j < C->loopf; j++)
        {
            _arb_poly_mullow(t, out, len, u, len, len, prec);
            _arb_vec_set(out, t, len);
        }
    }
    _arb_vec_clear(u, len);
    _arb_vec_clear(t, len);
    _arb_vec_clear(c, 5);
}

/* out *= u^r (series of length len) */
static void
mul_pow_series(arb_ptr out, arb_srcptr u, slong r, slong len, slong prec)
{
    arb_ptr t = _arb_vec_init(len);
    slong j;
    for (j = 0; j < r; j++)
    {
        _arb_poly_mullow(t, out, len, u, len, len, prec);
        _arb_vec_set(out, t, len);
    }
    _arb_vec_clear(t, len);
}

/* D = R_k (1, s) on real balls */
static void
dir_arb(arb_ptr D, int k, const arb_t s)
{
    switch (k)
    {
        case 0: arb_one(D); arb_set(D + 1, s); break;
        case 1: arb_neg(D, s); arb_one(D + 1); break;
        case 2: arb_set_si(D, -1); arb_neg(D + 1, s); break;
        default: arb_set(D, s); arb_set_si(D + 1, -1); break;
    }
}

/* the integrand of map m at the real point (y, s, w): part 0 A w^-3 g,
   part 1 A (g0 q0 + g1 q1 + g2 q2 + (g - g0 - g1 w - g2 w^2) / w^3) */
static void
point_value(arb_t out, const fctx_t * C, int m, arb_srcptr q)
{
    slong prec = C->wp;
    int kz = m % 4, part = m / 4;
    acb_ptr ya = _acb_vec_init(2);
    acb_t A;
    arb_ptr e = _arb_vec_init(2), g = _arb_vec_init(3), lk = _arb_vec_init(3);
    arb_ptr c = _arb_vec_init(5), w = _arb_vec_init(3), y = _arb_vec_init(2);
    arb_t t;
    acb_init(A);
    arb_init(t);
    arb_set(y, q);
    arb_set(y + 1, q + 1);
    acb_set_arb(ya, y);
    acb_set_arb(ya + 1, y + 1);
    near_acb(A, C, ya, 0, prec);
    dir_arb(e, kz, q + 2);
    _neft_erffar_leg_coeffs(c, C->k, y, e, prec);
    /* g at w */
    far_series(g, C, e, q + 3, 1, prec);
    _neft_erffar_leg_series(lk, C->k, c, q + 3, 1, prec);
    mul_pow_series(g, lk, C->r, 1, prec);
    arb_pow_ui(t, q + 3, 3, prec);
    if (part == 0)
        arb_div(out, g, t, prec);
    else
    {
        arb_ptr gj = _arb_vec_init(3);
        arb_t v;
        arb_init(v);
        arb_zero(w);
        arb_one(w + 1);
        far_series(gj, C, e, w, 3, prec);
        _neft_erffar_leg_series(lk, C->k, c, w, 3, prec);
        mul_pow_series(gj, lk, C->r, 3, prec);
        /* h = (g - g0 - g1 w - g2 w^2) / w^3 */
        arb_mul(v, gj + 2, q + 3, prec);
        arb_add(v, v, gj + 1, prec);
        arb_mul(v, v, q + 3, prec);
        arb_add(v, v, gj, prec);
        arb_sub(v, g, v, prec);
        arb_div(out, v, t, prec);
        arb_addmul(out, gj, C->q0, prec);
        arb_addmul(out, gj + 1, C->q1, prec);
        arb_addmul(out, gj + 2, C->q2, prec);
        _arb_vec_clear(gj, 3);
        arb_clear(v);
    }
    arb_mul(out, out, acb_realref(A), prec);
    acb_clear(A);
    arb_clear(t);
    _acb_vec_clear(ya, 2);
    _arb_vec_clear(e, 2);
    _arb_vec_clear(g, 3);
    _arb_vec_clear(lk, 3);
    _arb_vec_clear(c, 5);
    _arb_vec_clear(w, 3);
    _arb_vec_clear(y, 2);
}

/* the near vertex's factor A(y) on complex boxes in double intervals */
static civl
near_civl(const fctx_t * C, const civl * y)
{
    civl out = civl_real(ivl_pt(1)), x[2];
    slong i;
    for (i = 0; i < C->nn && civl_is_finite(out); i++)
    {
        x[0] = civl_real(C->xni[2 * i]);
        x[1] = civl_real(C->xni[2 * i + 1]);
        out = civl_mul(out, _neft_twovtx2_erf_kcivl(C->abc, x, y, NULL, 0));
    }
    if (C->loopn && civl_is_finite(out))
        out = civl_mul(out, civl_pow_ui(_neft_twovtx2_erf_kcivl(C->abc, y, y, NULL, 1),
                                        C->loopn));
    return out;
}

/* g = B(e/w) K(y, e/w)^r on complex boxes in double intervals */
static civl
g_civl(const fctx_t * C, const civl * y, const civl * e, civl w)
{
    civl out = civl_real(ivl_pt(1)), x[2];
    slong i;
    for (i = 0; i < C->nf && civl_is_finite(out); i++)
    {
        x[0] = civl_real(C->xfi[2 * i]);
        x[1] = civl_real(C->xfi[2 * i + 1]);
        out = civl_mul(out, _neft_erffar_leg_civl(C->abc, x, e, w));
    }
    if (C->loopf && civl_is_finite(out))
        out = civl_mul(out, civl_pow_ui(_neft_erffar_self_civl(C->abc, e, w), C->loopf));
    if (C->r && civl_is_finite(out))
        out = civl_mul(out, civl_pow_ui(_neft_erffar_leg_civl(C->abc, y, e, w), C->r));
    return out;
}

/* F_cb's bound (an set) in double intervals: a box containing F (part 0)
   or |F| (part 1, as [-m, m]) on the complex box q, non-finite unless
   certified */
static civl
F_civl(const fctx_t * C, int map, const civl * q)
{
    int kz = map % 4, part = map / 4;
    civl A = near_civl(C, q), e[2], g;
    slong i;
    if (!civl_is_finite(A))
        return A;
    _neft_twovtx2_dir_civl(e, kz, q[2]);
    if (part == 0)
    {
        g = g_civl(C, q, e, q[3]);
        if (!civl_is_finite(g))
            return g;
        return _neft_civl_div_box(civl_mul(A, g), civl_pow_ui(q[3], 3));
    }
    else
    {
        /* |A| M (qsum + 1 / (rho0^2 (rho0 - |w|))), M >= |g| on the disk's
           cover; every step rounded up (denominators down) */
        double mw = _neft_civl_mag(q[3]), M = 0, m, rm, bnd;
        if (!(mw < C->rho0))
            return civl_real(ivl_set(-INFINITY, INFINITY));
        for (i = 0; i < C->ncell; i++)
        {
            civl t = civl_set(ivl_set(C->cell[i][0], C->cell[i][1]),
                              ivl_set(C->cell[i][2], C->cell[i][3]));
            g = g_civl(C, q, e, t);
            if (!civl_is_finite(g))
                return g;
            m = _neft_civl_mag(g);
            M = m > M ? m : M;
        }
        rm = _ivl_dn(C->rho0 - mw);
        if (!(rm > 0))
            return civl_real(ivl_set(-INFINITY, INFINITY));
        bnd = _ivl_up(1 / _ivl_dn(_ivl_dn(C->rho0 * C->rho0) * rm));
        bnd = _up_add(C->qsum, bnd);
        bnd = _up_mul(_up_mul(_neft_civl_mag(A), M), bnd);
        if (!(bnd < INFINITY))
            return civl_real(ivl_set(-INFINITY, INFINITY));
        return civl_real(ivl_set(-bnd, bnd));
    }
}

/* the stack's F: the value at a real point (an = 0, exact q), else a box
   containing |F| on the (complex) box q, non-finite unless certified */
static void
F_cb(acb_t out, void * ctx, const _neft_twovtx2_box_t * B, acb_srcptr q, int an)
{
    fctx_t * C = ctx;
    slong prec = C->prec, i;
    int kz = B->map % 4, part = B->map / 4;
    acb_ptr e;
    acb_t A, g, t;
    if (!an && acb_is_exact(q) && acb_is_exact(q + 1) && acb_is_exact(q + 2)
        && acb_is_exact(q + 3) && arb_is_zero(acb_imagref(q)) && arb_is_zero(acb_imagref(q + 1))
        && arb_is_zero(acb_imagref(q + 2)) && arb_is_zero(acb_imagref(q + 3)))
    {
        arb_ptr p = _arb_vec_init(4);
        for (i = 0; i < 4; i++)
            arb_set(p + i, acb_realref(q + i));
        acb_zero(out);
        point_value(acb_realref(out), C, B->map, p);
        _arb_vec_clear(p, 4);
        return;
    }
    if (an && C->use_ivl)
    {
        civl cq[NAX], f;
        for (i = 0; i < NAX; i++)
            cq[i] = civl_set(_neft_ivl_set_arb(acb_realref(q + i)),
                             _neft_ivl_set_arb(acb_imagref(q + i)));
        f = F_civl(C, B->map, cq);
        if (!civl_is_finite(f))
            acb_indeterminate(out);
        else
        {
            _neft_ivl_get_arb(acb_realref(out), f.re);
            _neft_ivl_get_arb(acb_imagref(out), f.im);
        }
        return;
    }
    e = _acb_vec_init(2);
    acb_init(A); acb_init(g); acb_init(t);
    near_acb(A, C, q, an, prec);
    _neft_twovtx2_dir_acb(e, kz, q + 2);
    if (part == 0)
    {
        g_acb(g, C, q, e, q + 3, an, prec);
        acb_pow_ui(t, q + 3, 3, prec);
        acb_mul(g, g, A, prec);
        _neft_acb_div_box(out, g, t, prec);
    }
    else
    {
        /* |A| M (qsum + 1 / (rho0^2 (rho0 - |w|))) */
        mag_t mw, M, m;
        double bnd;
        mag_init(mw); mag_init(M); mag_init(m);
        acb_get_mag(mw, q + 3);
        if (!acb_is_finite(A) || !(mag_get_d(mw) < C->rho0))
            acb_indeterminate(out);
        else
        {
            for (i = 0; i < C->ncell; i++)
            {
                _neft_twovtx2_set_interval(acb_realref(t), C->cell[i][0], C->cell[i][1]);
                _neft_twovtx2_set_interval(acb_imagref(t), C->cell[i][2], C->cell[i][3]);
                g_acb(g, C, q, e, t, 1, prec);
                if (!acb_is_finite(g))
                    break;
                acb_get_mag(m, g);
                mag_max(M, M, m);
            }
            if (i < C->ncell)
                acb_indeterminate(out);
            else
            {
                double rm = C->rho0 - mag_get_d(mw);    /* mag_get_d rounds up */
                acb_get_mag(m, A);
                /* (1 - 2^-40) rm is below rho0 - |w| whatever the rounding */
                bnd = C->qsum + 1 / (C->rho0 * C->rho0 * rm * (1 - 0x1p-40));
                mag_mul(m, m, M);
                mag_set_d(M, bnd * (1 + 0x1p-40));
                mag_mul(m, m, M);
                acb_zero(out);
                arb_add_error_mag(acb_realref(out), m);
            }
        }
        mag_clear(mw); mag_clear(M); mag_clear(m);
    }
    acb_clear(A); acb_clear(g); acb_clear(t);
    _acb_vec_clear(e, 2);
}

/* jet products: f *= g (3 terms) */
static void
jet_mul(ivl * f, const ivl * g)
{
    ivl f2 = ivl_add(ivl_add(ivl_mul(f[0], g[2]), ivl_mul(f[1], g[1])), ivl_mul(f[2], g[0]));
    ivl f1 = ivl_add(ivl_mul(f[0], g[1]), ivl_mul(f[1], g[0]));
    f[0] = ivl_mul(f[0], g[0]);
    f[1] = f1;
    f[2] = f2;
}

/* the tensor rule with n[p] nodes on the box in double intervals: an
   enclosure of the rule's exact value (the nodes and weights as
   enclosures, ivl.h), non-finite if an evaluation failed.  Part 1: the
   jets g0, g1, g2 of g at w = 0 in intervals (_neft_erffar_*_jet_ivl) and
   h = (g - g0 - g1 w - g2 w^2) / w^3 from them: the subtraction loses
   3 log2(1/w) bits, so the caller checks the width */
static ivl
rule_ivl(const fctx_t * C, const _neft_twovtx2_box_t * B, const slong * n)
{
    int kz = B->map % 4, part = B->map / 4;
    ivl * nodes[NAX], * wts[NAX], * Ay, * Bw, * W3, sum = ivl_pt(0), vol;
    ivl q[3];
    slong i0, i1, i2, i3, j;
    vol = _neft_twovtx2_nodes_ivl(nodes, wts, B, n);
    q[0] = _neft_ivl_set_arb(C->q0);
    q[1] = _neft_ivl_set_arb(C->q1);
    q[2] = _neft_ivl_set_arb(C->q2);
    Ay = flint_malloc(n[0] * n[1] * sizeof(ivl));
    Bw = flint_malloc(n[3] * sizeof(ivl));
    W3 = flint_malloc(n[3] * sizeof(ivl));
    for (i3 = 0; i3 < n[3]; i3++)
        W3[i3] = ivl_pow_ui(nodes[3][i3], 3);
    for (i0 = 0; i0 < n[0]; i0++)
        for (i1 = 0; i1 < n[1]; i1++)
        {
            civl y[2];
            y[0] = civl_real(nodes[0][i0]);
            y[1] = civl_real(nodes[1][i1]);
            Ay[i0 * n[1] + i1] = ivl_mul(ivl_mul(wts[0][i0], wts[1][i1]), near_civl(C, y).re);
        }
    for (i2 = 0; i2 < n[2]; i2++)
    {
        ivl e[2], part_s = ivl_pt(0), bj[3], c[5], kj[3];
        _neft_twovtx2_dir_ivl(e, kz, nodes[2][i2]);
        /* the far vertex's factor (part 0: times the weight and w^-3) */
        for (i3 = 0; i3 < n[3]; i3++)
        {
            ivl w = nodes[3][i3], f = part == 0 ? ivl_div(wts[3][i3], W3[i3]) : ivl_pt(1);
            for (j = 0; j < C->nf; j++)
            {
                _neft_erffar_leg_coeffs_ivl(c, C->abc, C->xfi + 2 * j, e);
                f = ivl_mul(f, _neft_erffar_leg_ivl(C->abc, c, w));
            }
            if (C->loopf)
                f = ivl_mul(f, ivl_pow_ui(_neft_erffar_self_ivl(C->abc, e, w), C->loopf));
            Bw[i3] = f;
        }
        if (part == 1)
        {
            bj[0] = ivl_pt(1);
            bj[1] = bj[2] = ivl_pt(0);
            for (j = 0; j < C->nf; j++)
            {
                _neft_erffar_leg_coeffs_ivl(c, C->abc, C->xfi + 2 * j, e);
                _neft_erffar_leg_jet_ivl(kj, C->abc, c);
                jet_mul(bj, kj);
            }
            if (C->loopf)
            {
                _neft_erffar_self_jet_ivl(kj, C->abc, e);
                for (j = 0; j < C->loopf; j++)
                    jet_mul(bj, kj);
            }
        }
        for (i0 = 0; i0 < n[0]; i0++)
            for (i1 = 0; i1 < n[1]; i1++)
            {
                ivl y[2], acc = ivl_pt(0);
                y[0] = nodes[0][i0];
                y[1] = nodes[1][i1];
                _neft_erffar_leg_coeffs_ivl(c, C->abc, y, e);
                if (part == 0)
                    for (i3 = 0; i3 < n[3]; i3++)
                        acc = ivl_add(acc, ivl_mul(Bw[i3],
                                       ivl_pow_ui(_neft_erffar_leg_ivl(C->abc, c, nodes[3][i3]),
                                                  C->r)));
                else
                {
                    ivl gj[3], Cv;
                    gj[0] = bj[0];
                    gj[1] = bj[1];
                    gj[2] = bj[2];
                    _neft_erffar_leg_jet_ivl(kj, C->abc, c);
                    for (j = 0; j < C->r; j++)
                        jet_mul(gj, kj);
                    Cv = ivl_add(ivl_add(ivl_mul(gj[0], q[0]), ivl_mul(gj[1], q[1])),
                                 ivl_mul(gj[2], q[2]));
                    for (i3 = 0; i3 < n[3]; i3++)
                    {
                        ivl w = nodes[3][i3];
                        ivl g = ivl_mul(Bw[i3], ivl_pow_ui(_neft_erffar_leg_ivl(C->abc, c, w),
                                                           C->r));
                        ivl t = ivl_add(ivl_mul(ivl_add(ivl_mul(gj[2], w), gj[1]), w), gj[0]);
                        t = ivl_add(ivl_div(ivl_sub(g, t), W3[i3]), Cv);
                        acc = ivl_add(acc, ivl_mul(wts[3][i3], t));
                    }
                }
                part_s = ivl_add(part_s, ivl_mul(Ay[i0 * n[1] + i1], acc));
            }
        sum = ivl_add(sum, ivl_mul(wts[2][i2], part_s));
    }
    _neft_twovtx2_nodes_free(nodes, wts);
    flint_free(Ay);
    flint_free(Bw);
    flint_free(W3);
    return ivl_mul(sum, vol);
}

/* the tensor rule with n[p] nodes on the box (balls) */
static void
rule_cb(arb_t res, void * ctx, const _neft_twovtx2_box_t * B, const slong * n)
{
    fctx_t * C = ctx;
    slong prec = C->wp, p, i0, i1, i2, i3;
    int kz = B->map % 4, part = B->map / 4;
    arb_ptr nodes[NAX], wts[NAX], Ay, Bf, w3, e, y, c, lk, gj, wser;
    acb_ptr ya;
    acb_t A;
    arb_t sum, acc, v, Cv, hw, cc, Bb;
    if (C->use_ivl)
    {
        /* in double intervals when their rounding stays below 1/64 of the
           box's share of the tolerance (part 1's subtraction at small w
           may not), else in Arb below */
        ivl r = rule_ivl(C, B, n);
        double tol = C->dens;
        for (p = 0; p < NAX; p++)
            tol *= B->hi[p] - B->lo[p];
        if (ivl_is_finite(r) && (r.hi - r.lo) * 32 <= tol)
        {
            C->nrule_ivl++;
            _neft_ivl_get_arb(res, r);
            return;
        }
    }
    C->nrule_arb++;
    arb_init(cc);
    arb_init(Bb);
    _neft_erffar_leg_consts(cc, Bb, C->k, prec);
    for (p = 0; p < NAX; p++)
    {
        const _neft_gl_struct * G = _neft_gl(n[p], prec);
        arb_t mid, rad;
        arb_init(mid);
        arb_init(rad);
        _neft_twovtx2_set_interval(mid, B->lo[p], B->lo[p]);
        arb_set_d(rad, B->hi[p]);
        arb_add(mid, mid, rad, prec);
        arb_mul_2exp_si(mid, mid, -1);
        arb_set_d(rad, B->hi[p]);
        arb_sub(rad, rad, mid, prec);           /* (hi - lo) / 2 */
        nodes[p] = _arb_vec_init(n[p]);
        wts[p] = _arb_vec_init(n[p]);
        for (i0 = 0; i0 < n[p]; i0++)
        {
            arb_mul(nodes[p] + i0, rad, G->x + i0, prec);
            arb_add(nodes[p] + i0, nodes[p] + i0, mid, prec);
            arb_mul(wts[p] + i0, rad, G->w + i0, prec);
        }
        arb_clear(mid);
        arb_clear(rad);
    }
    Ay = _arb_vec_init(n[0] * n[1]);
    Bf = _arb_vec_init(n[3]);
    w3 = _arb_vec_init(n[3]);
    e = _arb_vec_init(2);
    y = _arb_vec_init(2);
    c = _arb_vec_init(5);
    lk = _arb_vec_init(3);
    gj = _arb_vec_init(3);
    wser = _arb_vec_init(3);
    ya = _acb_vec_init(2);
    acb_init(A);
    arb_init(sum); arb_init(acc); arb_init(v); arb_init(Cv); arb_init(hw);
    arb_one(wser + 1);
    for (i0 = 0; i0 < n[0]; i0++)
        for (i1 = 0; i1 < n[1]; i1++)
        {
            acb_set_arb(ya, nodes[0] + i0);
            acb_set_arb(ya + 1, nodes[1] + i1);
            near_acb(A, C, ya, 0, prec);
            arb_mul(Ay + i0 * n[1] + i1, acb_realref(A), wts[0] + i0, prec);
            arb_mul(Ay + i0 * n[1] + i1, Ay + i0 * n[1] + i1, wts[1] + i1, prec);
        }
    for (i3 = 0; i3 < n[3]; i3++)
        arb_pow_ui(w3 + i3, nodes[3] + i3, 3, prec);
    for (i2 = 0; i2 < n[2]; i2++)
    {
        arb_ptr bj = _arb_vec_init(3);
        dir_arb(e, kz, nodes[2] + i2);
        for (i3 = 0; i3 < n[3]; i3++)
            far_series(Bf + i3, C, e, nodes[3] + i3, 1, prec);
        if (part == 1)
            far_series(bj, C, e, wser, 3, prec);
        for (i0 = 0; i0 < n[0]; i0++)
            for (i1 = 0; i1 < n[1]; i1++)
            {
                arb_set(y, nodes[0] + i0);
                arb_set(y + 1, nodes[1] + i1);
                _neft_erffar_leg_coeffs(c, C->k, y, e, prec);
                if (part == 1)
                {
                    _arb_vec_set(gj, bj, 3);
                    _neft_erffar_leg_series(lk, C->k, c, wser, 3, prec);
                    mul_pow_series(gj, lk, C->r, 3, prec);
                    arb_mul(Cv, gj, C->q0, prec);
                    arb_addmul(Cv, gj + 1, C->q1, prec);
                    arb_addmul(Cv, gj + 2, C->q2, prec);
                }
                arb_zero(acc);
                for (i3 = 0; i3 < n[3]; i3++)
                {
                    _neft_erffar_leg_value(lk, c, nodes[3] + i3, cc, Bb, hw, prec);
                    arb_pow_ui(v, lk, C->r, prec);
                    arb_mul(v, v, Bf + i3, prec);
                    if (part == 1)
                    {
                        arb_mul(hw, gj + 2, nodes[3] + i3, prec);
                        arb_add(hw, hw, gj + 1, prec);
                        arb_mul(hw, hw, nodes[3] + i3, prec);
                        arb_add(hw, hw, gj, prec);
                        arb_sub(v, v, hw, prec);
                        arb_div(v, v, w3 + i3, prec);
                        arb_add(v, v, Cv, prec);
                    }
                    else
                        arb_div(v, v, w3 + i3, prec);
                    arb_addmul(acc, v, wts[3] + i3, prec);
                }
                arb_mul(acc, acc, wts[2] + i2, prec);
                arb_addmul(sum, acc, Ay + i0 * n[1] + i1, prec);
            }
        _arb_vec_clear(bj, 3);
    }
    arb_set_round(res, sum, C->prec);
    for (p = 0; p < NAX; p++)
    {
        _arb_vec_clear(nodes[p], n[p]);
        _arb_vec_clear(wts[p], n[p]);
    }
    _arb_vec_clear(Ay, n[0] * n[1]);
    _arb_vec_clear(Bf, n[3]);
    _arb_vec_clear(w3, n[3]);
    _arb_vec_clear(e, 2);
    _arb_vec_clear(y, 2);
    _arb_vec_clear(c, 5);
    _arb_vec_clear(lk, 3);
    _arb_vec_clear(gj, 3);
    _arb_vec_clear(wser, 3);
    _acb_vec_clear(ya, 2);
    acb_clear(A);
    arb_clear(sum); arb_clear(acc); arb_clear(v); arb_clear(Cv); arb_clear(hw);
    arb_clear(cc); arb_clear(Bb);
}

int
_neft_twovtx2_erffar_one(arb_t res, const neft_vint_t v, const neft_kernel_t k, slong near,
                         double R, double wc, double rho0, const arf_t L, slong goal,
                         slong budget, slong * evals, slong prec)
{
    fctx_t C[1];
    _neft_twovtx2_stack_t S[1];
    _neft_twovtx2_box_t * start;
    slong M = NEFT_INTEGRATE_MAX_VERTICES, i, j, nstart = 0, ln, lf, nfac;
    double scale, totvol, dens;
    arb_t invL, wl, t, u;
    mag_t m;
    int status, nc = 0;

    if (v->m != 2 || v->d != 2 || (near != 0 && near != 1) || !(R > 0) || !(wc > 0)
        || !(wc < 1 / R) || !(rho0 > wc) || !arf_is_finite(L) || arf_cmp_d(L, R) <= 0)
    {
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    memset(C, 0, sizeof(C));
    C->v = v;
    C->k = k;
    C->near = near;
    C->far = 1 - near;
    C->r = v->A[1];
    C->loopn = v->A[near * M + near];
    C->loopf = v->A[C->far * M + C->far];
    C->R = R;
    C->wc = wc;
    C->rho0 = rho0;
    C->prec = FLINT_MAX(prec, 64);
    for (i = 0; i < v->nlegs; i++)
        if (v->vertex[i] == near)
            C->nn++;
        else
            C->nf++;
    C->xn = _arb_vec_init(2 * C->nn + 1);
    C->xf = _arb_vec_init(2 * C->nf + 1);
    C->xna = _acb_vec_init(2 * C->nn + 1);
    C->xfa = _acb_vec_init(2 * C->nf + 1);
    for (i = ln = lf = 0; i < v->nlegs; i++)
    {
        arb_ptr d = v->vertex[i] == near ? C->xn + 2 * ln++ : C->xf + 2 * lf++;
        arb_set(d, v->point + 2 * i);
        arb_set(d + 1, v->point + 2 * i + 1);
    }
    for (i = 0; i < 2 * C->nn; i++)
        acb_set_arb(C->xna + i, C->xn + i);
    for (i = 0; i < 2 * C->nf; i++)
        acb_set_arb(C->xfa + i, C->xf + i);
    C->use_ivl = _neft_ivl_usable();
    _neft_twovtx2_erf_abc(C->abc, k);
    C->xni = flint_malloc((2 * C->nn + 1) * sizeof(ivl));
    C->xfi = flint_malloc((2 * C->nf + 1) * sizeof(ivl));
    for (i = 0; i < 2 * C->nn; i++)
        C->xni[i] = _neft_ivl_set_arb(C->xn + i);
    for (i = 0; i < 2 * C->nf; i++)
        C->xfi[i] = _neft_ivl_set_arb(C->xf + i);
    arb_init(invL); arb_init(wl); arb_init(t); arb_init(u);
    arb_init(C->q0); arb_init(C->q1); arb_init(C->q2);
    mag_init(m);
    arb_set_arf(invL, L);
    arb_inv(invL, invL, C->prec);
    C->wl = arf_get_d(arb_midref(invL), ARF_RND_NEAR);
    arb_set_d(wl, C->wl);
    /* working precision of the nodes: h loses 3 log2(1/w) bits */
    C->wp = C->prec + 3 * (slong) ceil(log2(1 / C->wl)) + 16;

    /* the closed-form weights over [wl, wc], divided by wc - wl */
    if (C->wl < wc)
    {
        arb_t dw, wcb;
        arb_init(dw);
        arb_init(wcb);
        arb_set_d(wcb, wc);
        arb_sub(dw, wcb, wl, C->prec);
        arb_inv(t, wl, C->prec);
        arb_inv(u, wcb, C->prec);
        arb_sub(C->q1, t, u, C->prec);              /* 1/wl - 1/wc */
        arb_sqr(t, t, C->prec);
        arb_sqr(u, u, C->prec);
        arb_sub(C->q0, t, u, C->prec);
        arb_mul_2exp_si(C->q0, C->q0, -1);          /* (wl^-2 - wc^-2) / 2 */
        arb_div(t, wcb, wl, C->prec);
        arb_log(C->q2, t, C->prec);                 /* log(wc / wl) */
        arb_div(C->q0, C->q0, dw, C->prec);
        arb_div(C->q1, C->q1, dw, C->prec);
        arb_div(C->q2, C->q2, dw, C->prec);
        arb_set_d(u, rho0);
        arb_div(t, C->q1, u, C->prec);
        arb_abs(t, t);
        arb_abs(u, C->q0);
        arb_add(u, u, t, C->prec);
        arb_set_d(t, rho0 * rho0);
        arb_div(t, C->q2, t, C->prec);
        arb_abs(t, t);
        arb_add(u, u, t, C->prec);
        arb_get_mag(m, u);
        C->qsum = mag_get_d(m);
        arb_clear(dw);
        arb_clear(wcb);
    }
    /* the disk's cover: the grid cells that meet |w| <= rho0 */
    for (i = 0; i < NDISK; i++)
        for (j = 0; j < NDISK; j++)
        {
            double h = 2 * rho0 / NDISK;
            double a0 = -rho0 + h * (double) i, a1 = i == NDISK - 1 ? rho0 : a0 + h;
            double b0 = -rho0 + h * (double) j, b1 = j == NDISK - 1 ? rho0 : b0 + h;
            double xn = a0 > 0 ? a0 : (a1 < 0 ? -a1 : 0), yn = b0 > 0 ? b0 : (b1 < 0 ? -b1 : 0);
            if (xn * xn + yn * yn > rho0 * rho0 * (1 - 1e-12))
                continue;
            /* cells overlap by rounding at most: widen a little */
            C->cell[C->ncell][0] = a0 - 1e-15;
            C->cell[C->ncell][1] = a1 + 1e-15;
            C->cell[C->ncell][2] = b0 - 1e-15;
            C->cell[C->ncell][3] = b1 + 1e-15;
            C->ncell++;
        }

    /* start boxes: y in NYS x NYS, s in NYS, w in [max(wc, wl), 1/R] cut
       at wc WRATIO^j (the kernels vary on the scale w), [wl, wc] whole:
       boxes much larger only fail the bounds (box arithmetic too wide) */
    {
        double wcut[40];
        slong nw = 0, iy0, iy1, is, iw;
        wcut[nw++] = C->wl < wc ? wc : C->wl;
        while (wcut[nw - 1] * WRATIO < 0.9 / R && nw < 38)
        {
            wcut[nw] = wcut[nw - 1] * WRATIO;
            nw++;
        }
        wcut[nw++] = 1 / R;
        nstart = 4 * NYS * NYS * NYS * (nw - 1 + (C->wl < wc));
        start = flint_malloc(nstart * sizeof(_neft_twovtx2_box_t));
        nstart = 0;
        for (i = 0; i < 4; i++)
            for (iy0 = 0; iy0 < NYS; iy0++)
                for (iy1 = 0; iy1 < NYS; iy1++)
                    for (is = 0; is < NYS; is++)
                        for (iw = 0; iw < nw - 1 + (C->wl < wc); iw++)
                        {
                            _neft_twovtx2_box_t * Bx = start + nstart++;
                            double hy = 2 * R / NYS, hs = 2.0 / NYS;
                            Bx->lo[0] = -R + hy * (double) iy0;
                            Bx->hi[0] = iy0 == NYS - 1 ? R : -R + hy * (double) (iy0 + 1);
                            Bx->lo[1] = -R + hy * (double) iy1;
                            Bx->hi[1] = iy1 == NYS - 1 ? R : -R + hy * (double) (iy1 + 1);
                            Bx->lo[2] = -1 + hs * (double) is;
                            Bx->hi[2] = is == NYS - 1 ? 1 : -1 + hs * (double) (is + 1);
                            Bx->depth = 0;
                            if (iw < nw - 1)
                            {
                                Bx->lo[3] = wcut[iw];
                                Bx->hi[3] = wcut[iw + 1];
                                Bx->map = (int) i;
                            }
                            else
                            {
                                Bx->lo[3] = C->wl;
                                Bx->hi[3] = wc;
                                Bx->map = (int) (4 + i);
                            }
                        }
    }
    memset(S, 0, sizeof(S));
    S->ctx = C;
    S->F = F_cb;
    {
        /* the estimate of \int |F| on coarse boxes (y and s whole): 81
           points per box, cheaper than on every start box */
        _neft_twovtx2_box_t * coarse = flint_malloc(nstart * sizeof(_neft_twovtx2_box_t));
        slong nco = 0;
        for (i = 0; i < nstart; i++)
            if (start[i].lo[0] == -R && start[i].lo[1] == -R && start[i].lo[2] == -1)
            {
                coarse[nco] = start[i];
                coarse[nco].hi[0] = coarse[nco].hi[1] = R;
                coarse[nco].hi[2] = 1;
                nco++;
            }
        _neft_twovtx2_scale(&scale, &totvol, S, coarse, nco);
        flint_free(coarse);
    }
    dens = ldexp(scale, (int) -goal) / totvol;
    C->dens = dens;
    S->rule = rule_cb;
    S->rhos = rhos;
    S->nrho = NRHO;
    S->nmax = NMAXN;
    S->eval_charge = 10;
    S->budget = budget > 0 ? budget : 400000000;
    S->width_scale[0] = S->width_scale[1] = R;
    S->width_scale[2] = 1;
    S->width_scale[3] = 1 / R;
    /* F is real on real boxes: the upper half of the ellipse's box */
    S->ell_nre = 4;
    S->ell_nim = 2;
    S->name = "twovtx2_erffar_one";
    status = _neft_twovtx2_stack_run(res, S, start, nstart, dens, &nc, C->prec);
    flint_free(start);
    if (evals != NULL)
        *evals = S->evals;
    /* the sliver between 1/L and wl (and 1/R and the double 1/R when that
       is not exact): y's area (2R)^2, s's length 2, 4 sides, |w^-3| <=
       max(L, 1/wl)^3 (near 1/R: 2 R^3), |K| <= |b| + sigma_w^2 */
    nfac = v->nlegs + C->r + C->loopn + C->loopf;
    arb_sub(t, wl, invL, C->prec);
    arb_abs(t, t);
    {
        arb_t L3, kb, R1;
        arb_init(L3); arb_init(kb); arb_init(R1);
        arb_set_arf(L3, L);
        arb_inv(u, wl, C->prec);
        arb_max(L3, L3, u, C->prec);
        arb_pow_ui(L3, L3, 3, C->prec);
        arb_mul(t, t, L3, C->prec);
        /* 1/R against the double 1/R */
        arb_set_d(R1, R);
        arb_inv(R1, R1, C->prec);
        arb_set_d(u, 1 / R);
        arb_sub(u, u, R1, C->prec);
        arb_abs(u, u);
        arb_set_d(R1, R);
        arb_pow_ui(R1, R1, 3, C->prec);
        arb_mul(u, u, R1, C->prec);
        arb_add(t, t, u, C->prec);
        arb_set_d(u, 64 * R * R);
        arb_mul(t, t, u, C->prec);
        arb_abs(kb, k->sb2);
        arb_add(kb, kb, k->sw2, C->prec);
        arb_pow_ui(kb, kb, nfac, C->prec);
        arb_mul(t, t, kb, C->prec);
        arb_get_mag(m, t);
        arb_add_error_mag(res, m);
        arb_clear(L3); arb_clear(kb); arb_clear(R1);
    }
    if (status == NEFT_INTEGRATE_INTERRUPTED || !arb_is_finite(res))
        arb_indeterminate(res);
    if (status == NEFT_INTEGRATE_SUCCESS && nc)
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    _arb_vec_clear(C->xn, 2 * C->nn + 1);
    _arb_vec_clear(C->xf, 2 * C->nf + 1);
    _acb_vec_clear(C->xna, 2 * C->nn + 1);
    _acb_vec_clear(C->xfa, 2 * C->nf + 1);
    flint_free(C->xni);
    flint_free(C->xfi);
    arb_clear(invL); arb_clear(wl); arb_clear(t); arb_clear(u);
    arb_clear(C->q0); arb_clear(C->q1); arb_clear(C->q2);
    mag_clear(m);
    return status;
}
