/* Erf, two vertices y, z, d_in = 2, large cutoffs: square-polar
   coordinates sheared along the ridge, adaptive tensor Gauss-Legendre with
   one Bernstein bound per axis.

   Why: the link K(y, z) = b + (2 sigma_w^2/pi) atan(2k(y,z)/sqrt(N)), N = 1
   + 4b + 2a(|y|^2 + |z|^2) + 4ab|y - z|^2 + 4a^2 (y ^ z)^2 (a = sigma_w^2/2,
   b = sigma_b^2), is analytic, but N vanishes at complex points with
   |Im(y ^ z)| ~ |y| / sigma_w: for |y|, |z| ~ r the link varies across the
   ridge y || z (and y || -z) on the angular scale 1/(sigma_w r).  Cartesian
   boxes (twovtx2_erf.c) resolve that diagonal set with ~ L^3 .. L^4 boxes.

   Coordinates: the square [-L, L]^2 is the union of the four triangles
   between 0 and a side; on side k, y = t R_k (1, s), t in [0, L], s in
   [-1, 1], dy = t dt ds (R_k the rotation by k pi/2).  For the 16 pairs of
   sides (k, k') of y and z:
   - k' = k or k + 2 (the ridge is s' = s): the (s, s') square is cut along
     the diagonal and each triangle is mapped from delta in [0, 2], sigma in
     [0, 1]: s = -1 + (2 - delta) sigma, s' = s + delta (or the roles of s
     and s' swapped), Jacobian 2 - delta; then y ^ z = +- t t' delta exactly,
     so N is evaluated without cancellation and the ridge lies on the face
     delta = 0 of the box: bisection grades towards it (log L levels);
   - k' = k +- 1: the ridge touches two corners of the (s, s') square (the
     common corner of the sides and its opposite): bisection grades there.
   Every map is analytic on the closed box (no kinks: the corners of the
   square are the boxes' edges), and the integrand with the Jacobian t t'
   (2 - delta) is analytic near the real box, so on a box of half-widths h_p
   with n_p nodes along axis p the tensor rule errs by at most
       sum_p 2^3 (64/15) M_p rho_p^{-2 (n_p - 1)} / (rho_p^2 - 1) prod_q h_q
   (as in twovtx2_erf.c; Trefethen, ATAP thm 19.3), M_p >= |F J| with
   coordinate p on the Bernstein ellipse E_rho around its interval (the box
   of the ellipse in 4 x 2 pieces; the other coordinates on their whole real
   intervals, then each cut in 3 when that gave no rule or one of more than
   12 nodes), evaluated on complex boxes in double intervals (F_civl,
   cbox_ivl.h: the same sum-of-squares form as _neft_twovtx2_erf_kbox in
   Arb, with (y ^ z)^2 = t^2 t'^2 delta^2 given on the sheared maps; ~30
   times cheaper than Arb, which took 3/4 of the time).  rho from 6, 4, 3,
   2.3, 1.8, 1.35: the first with a rule of <= 24 nodes meeting a quarter of
   the box's share of the tolerance.  Boxes without a rule are bisected along
   the axis that would need the most nodes.

   The nodes are evaluated in double interval arithmetic (ivl.h: every value
   an enclosure; atan with its proven error), the kernels in the same
   sum-of-squares form (no cancellation near the ridge), so a node costs
   ~0.1 us; the goal is at most 40 bits (the doubles' rounding stays far
   below).  Tolerance 2^-goal of an estimate of \int |F| (3^4 points per map),
   each box's share proportional to its volume in the coordinates.  Past
   the evaluation budget (opt->eval_limit, default 4e8 node values) or 40
   bisections a box is enclosed as volume x (range of F J on it), status
   NEFT_INTEGRATE_NO_CONVERGENCE.  A cutoff that is not a double adds the
   shell between the two squares as its volume times the bound
   (|b| + sigma_w^2)^factors of |F| (|atan| <= pi/2 on the real space). */

#include <math.h>
#include <string.h>
#include "internal.h"
#include "gl.h"
#include "cbox.h"
#include "cbox_ivl.h"
#include "ivl.h"
#include "twovtx2.h"

#define NAX 4
#define NMAXN 24
#define NMAPS 24
static const double rhos[] = {6.0, 4.0, 3.0, 2.3, 1.8, 1.35};
#define NRHO 6

typedef struct
{
    int ky, kz, shear;          /* sides of y and z; shear 0, +1 (s' >= s), -1 */
}
pmap_t;

typedef _neft_twovtx2_box_t qbox_t;

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    pmap_t maps[NMAPS];
    acb_ptr x;                  /* legs (acb) */
    ivl * xi;                   /* legs (ivl) */
    ivl ia, ib, ic, ibadd;      /* a, b, 2 sigma_w^2/pi, b or 0 */
    slong r, loop[2];
    slong prec, evals, budget, nrule, nsplit;
    int nc, verbose;
}
pctx_t;

/* ---------- coordinates ---------- */

#define dir_ivl _neft_twovtx2_dir_ivl
#define dir_acb _neft_twovtx2_dir_acb

/* s, s' and the angular Jacobian g from the coordinates (a, b) of map M */
static void
angles_ivl(ivl * s, ivl * sp, ivl * g, const pmap_t * M, ivl a, ivl b)
{
    _neft_twovtx2_angles_ivl(s, sp, g, M->shear, a, b);
}

static void
angles_acb(acb_t s, acb_t sp, acb_t g, const pmap_t * M, const acb_t a, const acb_t b,
           slong prec)
{
    if (M->shear == 0)
    {
        acb_set(s, a);
        acb_set(sp, b);
        acb_one(g);
        return;
    }
    acb_sub_si(g, a, 2, prec);
    acb_neg(g, g);
    if (M->shear > 0)
    {
        acb_mul(s, g, b, prec);
        acb_sub_si(s, s, 1, prec);
        acb_add(sp, s, a, prec);
    }
    else
    {
        acb_mul(sp, g, b, prec);
        acb_sub_si(sp, sp, 1, prec);
        acb_add(s, sp, a, prec);
    }
}

/* ---------- the integrand in double intervals ---------- */

/* K(u, w), cross = u ^ w (or computed when NULL) */
static ivl
ik(const pctx_t * C, const ivl * u, const ivl * w, const ivl * cross)
{
    ivl uu = ivl_add(ivl_sqr(u[0]), ivl_sqr(u[1]));
    ivl ww = ivl_add(ivl_sqr(w[0]), ivl_sqr(w[1]));
    ivl dd = ivl_add(ivl_sqr(ivl_sub(u[0], w[0])), ivl_sqr(ivl_sub(u[1], w[1])));
    ivl cr = cross ? ivl_sqr(*cross)
           : ivl_sqr(ivl_sub(ivl_mul(u[0], w[1]), ivl_mul(u[1], w[0])));
    ivl kuw = ivl_add(C->ib, ivl_mul(C->ia, ivl_add(ivl_mul(u[0], w[0]), ivl_mul(u[1], w[1]))));
    ivl N = ivl_add(ivl_pt(1), ivl_mul_2exp(C->ib, 2));
    N = ivl_add(N, ivl_mul(ivl_mul_2exp(C->ia, 1), ivl_add(uu, ww)));
    N = ivl_add(N, ivl_mul(ivl_mul_2exp(ivl_mul(C->ia, C->ib), 2), dd));
    N = ivl_add(N, ivl_mul(ivl_mul_2exp(ivl_sqr(C->ia), 2), cr));
    return ivl_add(C->ibadd, ivl_mul(C->ic, _neft_ivl_atan(ivl_div(ivl_mul_2exp(kuw, 1),
                                                                    ivl_sqrt(N)))));
}

/* K(u, u) */
static ivl
ik_self(const pctx_t * C, const ivl * u)
{
    ivl uu = ivl_add(ivl_sqr(u[0]), ivl_sqr(u[1]));
    ivl kuu = ivl_add(C->ib, ivl_mul(C->ia, uu));
    ivl N = ivl_add(ivl_add(ivl_pt(1), ivl_mul_2exp(C->ib, 2)),
                    ivl_mul(ivl_mul_2exp(C->ia, 2), uu));
    return ivl_add(C->ibadd, ivl_mul(C->ic, _neft_ivl_atan(ivl_div(ivl_mul_2exp(kuu, 1),
                                                                    ivl_sqrt(N)))));
}

/* the legs and self-loops of vertex p at the point y */
static ivl
vertex_factor(const pctx_t * C, slong p, const ivl * y)
{
    const neft_vint_struct * v = C->v;
    ivl f = ivl_pt(1);
    slong l;
    for (l = 0; l < v->nlegs; l++)
        if (v->vertex[l] == p)
            f = ivl_mul(f, ik(C, C->xi + 2 * l, y, NULL));
    if (C->loop[p])
        f = ivl_mul(f, ivl_pow_ui(ik_self(C, y), C->loop[p]));
    return f;
}

/* ---------- the integrand on complex boxes (bounds) ---------- */

static void
F_acb(acb_t out, pctx_t * C, const pmap_t * M, acb_srcptr q, int an)
{
    const neft_vint_struct * v = C->v;
    slong prec = C->prec, i;
    acb_ptr y = _acb_vec_init(4), D = _acb_vec_init(2);
    acb_t s, sp, g, c2, u;
    acb_init(s); acb_init(sp); acb_init(g); acb_init(c2); acb_init(u);
    angles_acb(s, sp, g, M, q + 1, q + 3, prec);
    dir_acb(D, M->ky, s);
    acb_mul(y, D, q, prec);
    acb_mul(y + 1, D + 1, q, prec);
    dir_acb(D, M->kz, sp);
    acb_mul(y + 2, D, q + 2, prec);
    acb_mul(y + 3, D + 1, q + 2, prec);
    acb_mul(out, q, q + 2, prec);
    acb_mul(out, out, g, prec);                         /* Jacobian t t' g */
    for (i = 0; i < v->nlegs; i++)
    {
        _neft_twovtx2_erf_kbox(u, C->k, C->x + 2 * i, y + 2 * v->vertex[i], NULL, an, prec);
        acb_mul(out, out, u, prec);
    }
    if (C->r)
    {
        const acb_struct * cp = NULL;
        if (M->shear)
        {
            /* (y ^ z)^2 = t^2 t'^2 delta^2 */
            acb_zero(c2);
            _neft_acb_addsqr_range(c2, q, prec);
            acb_zero(u);
            _neft_acb_addsqr_range(u, q + 2, prec);
            acb_mul(c2, c2, u, prec);
            acb_zero(u);
            _neft_acb_addsqr_range(u, q + 1, prec);
            acb_mul(c2, c2, u, prec);
            cp = c2;
        }
        _neft_twovtx2_erf_kbox(u, C->k, y, y + 2, cp, an, prec);
        acb_pow_ui(u, u, C->r, prec);
        acb_mul(out, out, u, prec);
    }
    for (i = 0; i < 2; i++)
        if (C->loop[i])
        {
            _neft_twovtx2_erf_kbox(u, C->k, y + 2 * i, y + 2 * i, NULL, an, prec);
            acb_pow_ui(u, u, C->loop[i], prec);
            acb_mul(out, out, u, prec);
        }
    acb_clear(s); acb_clear(sp); acb_clear(g); acb_clear(c2); acb_clear(u);
    _acb_vec_clear(y, 4);
    _acb_vec_clear(D, 2);
}

/* ---------- the same on complex boxes in double intervals ---------- */

/* K(u, w) on complex boxes (twovtx2.h, _neft_twovtx2_erf_kcivl) */
static civl
ck(const pctx_t * C, const civl * u, const civl * w, const civl * cross2, int self)
{
    ivl abc[4];
    abc[0] = C->ia;
    abc[1] = C->ib;
    abc[2] = C->ic;
    abc[3] = C->ibadd;
    return _neft_twovtx2_erf_kcivl(abc, u, w, cross2, self);
}

civl
_neft_twovtx2_erf_kcivl(const ivl * abc, const civl * u, const civl * w, const civl * cross2,
                        int self)
{
    civl t = civl_real(ivl_pt(0)), N, num;
    slong i;
    for (i = 0; i < 2; i++)
    {
        t = civl_addsqr(t, u[i]);
        t = civl_addsqr(t, w[i]);
    }
    N = civl_mul_ivl(t, ivl_mul_2exp(abc[0], 1));               /* 2a(|u|^2 + |w|^2) */
    if (!self)
    {
        civl d = civl_real(ivl_pt(0)), cr;
        for (i = 0; i < 2; i++)
            d = civl_addsqr(d, civl_sub(u[i], w[i]));
        N = civl_add(N, civl_mul_ivl(d, ivl_mul_2exp(ivl_mul(abc[0], abc[1]), 2)));
        if (cross2 != NULL)
            cr = *cross2;
        else
            cr = civl_addsqr(civl_real(ivl_pt(0)),
                             civl_sub(civl_mul(u[0], w[1]), civl_mul(u[1], w[0])));
        N = civl_add(N, civl_mul_ivl(cr, ivl_mul_2exp(ivl_sqr(abc[0]), 2)));
    }
    N = civl_add_ivl(N, ivl_add(ivl_pt(1), ivl_mul_2exp(abc[1], 2)));
    N = _neft_civl_sqrt_box(N);
    num = civl_add(civl_mul(u[0], w[0]), civl_mul(u[1], w[1]));
    num = civl_add_ivl(civl_mul_ivl(num, abc[0]), abc[1]);
    num = civl_set(ivl_mul_2exp(num.re, 1), ivl_mul_2exp(num.im, 1));
    t = _neft_civl_atan_box(_neft_civl_div_box(num, N));
    return civl_add_ivl(civl_mul_ivl(t, abc[2]), abc[3]);
}

void
_neft_twovtx2_erf_abc(ivl * abc, const neft_kernel_struct * k)
{
    arb_t t, u;
    arb_init(t);
    arb_init(u);
    arb_mul_2exp_si(t, k->sw2, -1);
    abc[0] = _neft_ivl_set_arb(t);
    abc[1] = _neft_ivl_set_arb(k->sb2);
    abc[3] = k->subtract_bias ? ivl_pt(0) : abc[1];
    arb_const_pi(u, 128);
    arb_div(t, k->sw2, u, 128);
    arb_mul_2exp_si(t, t, 1);
    abc[2] = _neft_ivl_set_arb(t);
    arb_clear(t);
    arb_clear(u);
}

/* F_acb with an = 1 in double intervals: the bounds' boxes (~30 times
   cheaper than Arb) */
static civl
F_civl(const pctx_t * C, const pmap_t * M, const civl * q)
{
    const neft_vint_struct * v = C->v;
    civl s, sp, g, y[4], D[2], out, c2;
    slong i;
    _neft_twovtx2_angles_civl(&s, &sp, &g, M->shear, q[1], q[3]);
    for (i = 0; i < 2; i++)
    {
        civl E[2];
        _neft_twovtx2_dir_civl(E, i ? M->kz : M->ky, i ? sp : s);
        D[0] = E[0];
        D[1] = E[1];
        y[2 * i] = civl_mul(D[0], q[2 * i]);
        y[2 * i + 1] = civl_mul(D[1], q[2 * i]);
    }
    out = civl_mul(civl_mul(q[0], q[2]), g);                   /* Jacobian t t' g */
    for (i = 0; i < v->nlegs && civl_is_finite(out); i++)
    {
        civl x[2];
        x[0] = civl_real(C->xi[2 * i]);
        x[1] = civl_real(C->xi[2 * i + 1]);
        out = civl_mul(out, ck(C, x, y + 2 * v->vertex[i], NULL, 0));
    }
    if (C->r && civl_is_finite(out))
    {
        const civl * cp = NULL;
        if (M->shear)
        {
            /* (y ^ z)^2 = t^2 t'^2 delta^2 */
            civl z0 = civl_real(ivl_pt(0));
            c2 = civl_mul(civl_mul(civl_addsqr(z0, q[0]), civl_addsqr(z0, q[2])),
                          civl_addsqr(z0, q[1]));
            cp = &c2;
        }
        out = civl_mul(out, civl_pow_ui(ck(C, y, y + 2, cp, 0), C->r));
    }
    for (i = 0; i < 2; i++)
        if (C->loop[i] && civl_is_finite(out))
            out = civl_mul(out, civl_pow_ui(ck(C, y + 2 * i, y + 2 * i, NULL, 1), C->loop[i]));
    return out;
}

/* ---------- the rule ---------- */

/* the tensor rule with n[p] nodes on the box, as an interval */
static ivl
rule(pctx_t * C, const qbox_t * B, const slong * n)
{
    const pmap_t * M = &C->maps[B->map];
    ivl * nodes[NAX], * wts[NAX], * Ay, * Az, sum = ivl_pt(0), vol;
    slong i0, i1, i2, i3;
    vol = _neft_twovtx2_nodes_ivl(nodes, wts, B, n);
    Ay = flint_malloc(n[0] * sizeof(ivl));
    Az = flint_malloc(n[2] * sizeof(ivl));
    for (i1 = 0; i1 < n[1]; i1++)
        for (i3 = 0; i3 < n[3]; i3++)
        {
            ivl s, sp, ga, D[2], E[2], part = ivl_pt(0);
            ivl DD, EE, DE, cr;
            angles_ivl(&s, &sp, &ga, M, nodes[1][i1], nodes[3][i3]);
            dir_ivl(D, M->ky, s);
            dir_ivl(E, M->kz, sp);
            DD = ivl_add(ivl_sqr(D[0]), ivl_sqr(D[1]));
            EE = ivl_add(ivl_sqr(E[0]), ivl_sqr(E[1]));
            DE = ivl_add(ivl_mul(D[0], E[0]), ivl_mul(D[1], E[1]));
            cr = M->shear ? nodes[1][i1]
               : ivl_sub(ivl_mul(D[0], E[1]), ivl_mul(D[1], E[0]));
            for (i0 = 0; i0 < n[0]; i0++)
            {
                ivl y[2];
                y[0] = ivl_mul(nodes[0][i0], D[0]);
                y[1] = ivl_mul(nodes[0][i0], D[1]);
                Ay[i0] = ivl_mul(ivl_mul(wts[0][i0], nodes[0][i0]), vertex_factor(C, 0, y));
            }
            for (i2 = 0; i2 < n[2]; i2++)
            {
                ivl z[2];
                z[0] = ivl_mul(nodes[2][i2], E[0]);
                z[1] = ivl_mul(nodes[2][i2], E[1]);
                Az[i2] = ivl_mul(ivl_mul(wts[2][i2], nodes[2][i2]), vertex_factor(C, 1, z));
            }
            for (i0 = 0; i0 < n[0]; i0++)
            {
                ivl t = nodes[0][i0], t2 = ivl_sqr(t), row = ivl_pt(0);
                for (i2 = 0; i2 < n[2]; i2++)
                {
                    ivl f = Az[i2];
                    if (C->r)
                    {
                        /* the link from t, t' and the directions: N in the
                           sum-of-squares form, (y ^ z) = t t' cr */
                        ivl tp = nodes[2][i2], tp2 = ivl_sqr(tp), ttp = ivl_mul(t, tp);
                        ivl dd = ivl_add(ivl_sqr(ivl_sub(ivl_mul(t, D[0]), ivl_mul(tp, E[0]))),
                                         ivl_sqr(ivl_sub(ivl_mul(t, D[1]), ivl_mul(tp, E[1]))));
                        ivl kyz = ivl_add(C->ib, ivl_mul(C->ia, ivl_mul(ttp, DE)));
                        ivl N = ivl_add(ivl_pt(1), ivl_mul_2exp(C->ib, 2));
                        ivl K;
                        N = ivl_add(N, ivl_mul(ivl_mul_2exp(C->ia, 1),
                                               ivl_add(ivl_mul(t2, DD), ivl_mul(tp2, EE))));
                        N = ivl_add(N, ivl_mul(ivl_mul_2exp(ivl_mul(C->ia, C->ib), 2), dd));
                        N = ivl_add(N, ivl_mul(ivl_mul_2exp(ivl_sqr(C->ia), 2),
                                               ivl_sqr(ivl_mul(ttp, cr))));
                        K = ivl_add(C->ibadd,
                                    ivl_mul(C->ic, _neft_ivl_atan(ivl_div(ivl_mul_2exp(kyz, 1),
                                                                          ivl_sqrt(N)))));
                        f = ivl_mul(f, ivl_pow_ui(K, C->r));
                    }
                    row = ivl_add(row, f);
                }
                part = ivl_add(part, ivl_mul(Ay[i0], row));
            }
            sum = ivl_add(sum, ivl_mul(ivl_mul(ivl_mul(wts[1][i1], wts[3][i3]), ga), part));
        }
    _neft_twovtx2_nodes_free(nodes, wts);
    flint_free(Ay);
    flint_free(Az);
    return ivl_mul(sum, vol);
}

/* the callbacks of the box stack (twovtx2_stack.c) */
static void
F_cb(acb_t out, void * ctx, const _neft_twovtx2_box_t * B, acb_srcptr q, int an)
{
    pctx_t * C = ctx;
    if (an)
    {
        civl cq[NAX], f;
        slong p;
        for (p = 0; p < NAX; p++)
            cq[p] = civl_set(_neft_ivl_set_arb(acb_realref(q + p)),
                             _neft_ivl_set_arb(acb_imagref(q + p)));
        f = F_civl(C, &C->maps[B->map], cq);
        if (!civl_is_finite(f))
        {
            acb_indeterminate(out);
            return;
        }
        _neft_ivl_get_arb(acb_realref(out), f.re);
        _neft_ivl_get_arb(acb_imagref(out), f.im);
        return;
    }
    F_acb(out, C, &C->maps[B->map], q, an);
    if (!an)
    {
        /* on wide real boxes (enclosures past the budget) the box
           arithmetic can fail or be far too wide: |K| <= |b| + sigma_w^2 on
           the real space (|atan| <= pi/2), and the Jacobian t t' (2 - delta)
           <= t_hi t'_hi g_hi; the narrower of the two is taken */
        const neft_vint_struct * v = C->v;
        ivl kb = ivl_add(ivl_set(ivl_mag(C->ib), ivl_mag(C->ib)), ivl_mul_2exp(C->ia, 1));
        ivl bnd = ivl_mul(ivl_pt(fabs(B->hi[0])), ivl_pt(fabs(B->hi[2])));
        if (C->maps[B->map].shear)
            bnd = ivl_mul(bnd, ivl_sub(ivl_pt(2), ivl_pt(B->lo[1])));
        bnd = ivl_mul(bnd, ivl_pow_ui(kb, v->nlegs + C->r + C->loop[0] + C->loop[1]));
        mag_t m;
        double om;
        mag_init(m);
        acb_get_mag(m, out);
        om = acb_is_finite(out) ? mag_get_d(m) : INFINITY;
        mag_clear(m);
        if (ivl_is_finite(bnd) && om > bnd.hi)      /* either is an enclosure */
        {
            arb_zero(acb_imagref(out));
            _neft_ivl_get_arb(acb_realref(out), ivl_set(-bnd.hi, bnd.hi));
        }
    }
}

static void
rule_cb(arb_t res, void * ctx, const _neft_twovtx2_box_t * B, const slong * n)
{
    _neft_ivl_get_arb(res, rule(ctx, B, n));
}

static void
map_domain(qbox_t * B, const pmap_t * M, double L)
{
    B->lo[0] = B->lo[2] = 0;
    B->hi[0] = B->hi[2] = L;
    if (M->shear)
    {
        B->lo[1] = 0; B->hi[1] = 2;
        B->lo[3] = 0; B->hi[3] = 1;
    }
    else
    {
        B->lo[1] = B->lo[3] = -1;
        B->hi[1] = B->hi[3] = 1;
    }
    B->depth = 0;
}

int
_neft_integrate_twovtx2_erfpolar(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                 const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    pctx_t C[1];
    _neft_twovtx2_stack_t S[1];
    qbox_t * start;
    slong i, goal, nm = 0;
    slong M = NEFT_INTEGRATE_MAX_VERTICES;
    double Ld, scale, dens, totvol;
    arb_t t, u;
    int status = NEFT_INTEGRATE_SUCCESS;

    if (v->m != 2 || v->d != 2 || arf_is_pos_inf(L) || !_neft_ivl_usable())
    {
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    memset(C, 0, sizeof(C));
    C->v = v;
    C->k = k;
    C->verbose = opt->verbose;
    C->prec = FLINT_MAX(prec, 64);
    C->budget = opt->eval_limit > 0 ? opt->eval_limit : 400000000;
    C->r = v->A[1];
    C->loop[0] = v->A[0];
    C->loop[1] = v->A[M + 1];
    C->x = _acb_vec_init(2 * v->nlegs + 1);
    C->xi = flint_malloc((2 * v->nlegs + 1) * sizeof(ivl));
    for (i = 0; i < 2 * v->nlegs; i++)
    {
        acb_set_arb(C->x + i, v->point + i);
        C->xi[i] = _neft_ivl_set_arb(v->point + i);
    }
    arb_init(t);
    arb_init(u);
    {
        ivl abc[4];
        _neft_twovtx2_erf_abc(abc, k);
        C->ia = abc[0];
        C->ib = abc[1];
        C->ic = abc[2];
        C->ibadd = abc[3];
    }
    {
        int ky, kz;
        for (ky = 0; ky < 4; ky++)
            for (kz = 0; kz < 4; kz++)
            {
                pmap_t * P = C->maps + nm;
                P->ky = ky;
                P->kz = kz;
                if ((kz - ky + 4) % 2 == 0)
                {
                    P->shear = 1;
                    P[1] = P[0];
                    P[1].shear = -1;
                    nm += 2;
                }
                else
                {
                    P->shear = 0;
                    nm++;
                }
            }
    }
    goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec - 34;
    goal = FLINT_MIN(goal, 40);
    Ld = arf_get_d(L, ARF_RND_DOWN);

    start = flint_malloc(nm * sizeof(qbox_t));
    for (i = 0; i < nm; i++)
    {
        map_domain(start + i, C->maps + i, Ld);
        start[i].map = (int) i;
    }
    memset(S, 0, sizeof(S));
    S->ctx = C;
    S->F = F_cb;
    /* scale: per map, mean |F J| at 3^4 points times the map's volume */
    _neft_twovtx2_scale(&scale, &totvol, S, start, nm);
    dens = ldexp(scale, (int) -goal) / totvol;

    S->rule = rule_cb;
    S->rhos = rhos;
    S->nrho = NRHO;
    S->nmax = NMAXN;
    S->eval_charge = 10;
    S->budget = C->budget;
    S->width_scale[0] = S->width_scale[2] = Ld;
    S->width_scale[1] = S->width_scale[3] = 1;
    S->verbose = opt->verbose;
    S->name = "twovtx2_erfpolar";
    status = _neft_twovtx2_stack_run(res, S, start, nm, dens, &C->nc, C->prec);
    flint_free(start);
    if (arf_cmp_d(L, Ld) != 0 && status == NEFT_INTEGRATE_SUCCESS)
    {
        /* the shell between [-Ld, Ld]^4 and [-L, L]^4: its volume
           (2L)^4 - (2Ld)^4 times (|b| + sigma_w^2)^factors */
        const neft_vint_struct * vv = v;
        slong f = vv->nlegs + C->r + C->loop[0] + C->loop[1];
        mag_t m, w;
        mag_init(m);
        mag_init(w);
        arb_set_arf(t, L);
        arb_pow_ui(t, t, 4, C->prec);
        arb_set_d(u, Ld);
        arb_pow_ui(u, u, 4, C->prec);
        arb_sub(t, t, u, C->prec);
        arb_abs(t, t);
        arb_mul_2exp_si(t, t, 4);
        arb_get_mag(m, t);
        arb_abs(u, k->sb2);
        arb_add(u, u, k->sw2, C->prec);
        arb_pow_ui(u, u, f, C->prec);
        arb_get_mag(w, u);
        mag_mul(m, m, w);
        arb_add_error_mag(res, m);
        mag_clear(m);
        mag_clear(w);
    }
    if (status == NEFT_INTEGRATE_INTERRUPTED || !arb_is_finite(res))
        arb_indeterminate(res);
    if (status == NEFT_INTEGRATE_SUCCESS && C->nc)
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    _acb_vec_clear(C->x, 2 * v->nlegs + 1);
    flint_free(C->xi);
    arb_clear(t);
    arb_clear(u);
    return status;
}
