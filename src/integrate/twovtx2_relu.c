/* ReLU with sigma_b > 0 (and leaky-relu), two vertices y, z, d_in = 2:
   square-polar coordinates cut so that every kink lies on faces of the
   boxes, adaptive tensor Gauss-Legendre (twovtx2_stack.c).

   Where the integrand is not analytic: K(u, w) = b + sigma_w^2/(2 pi)
   (sqrt(G) + (pi - theta) k(u,w)), G = k(u,u) k(w,w) - k(u,w)^2 = a b |u -
   w|^2 + a^2 (u ^ w)^2 (a = sigma_w^2/2, b = sigma_b^2; Lagrange's identity),
   theta = 2 atan(sqrt(G) / (r + k(u,w))), r = sqrt(k(u,u) k(w,w)).  For b > 0
   it is analytic except where G = 0 on the real space, i.e. u = w: the legs
   at y = x_i, z = x_j and the link at y = z (sqrt(G) ~ |u - w|).  Near the
   ridge y || +-z, G vanishes at complex points ~ |y| / sigma_w away (as for
   Erf, twovtx2_erfpolar.c).

   Coordinates: on side k of the square, y = t R_k (1, s), t in [0, L], s
   in [-1, 1] (dy = t dt ds), and z = t' R_k' (1, s') likewise; one map per
   pair of sides (k, k') and per pair of pieces of the planes (t, t') and
   (s, s').  Each plane is cut into a grid at the legs' coordinates (t_i,
   s_i of the legs whose point lies in the side's triangle); on the
   diagonal cells of a plane whose diagonal matters (t = t' when k = k': the
   link's y = z; s = s' when k' = k or k + 2: y = z and the ridge) the cell
   [c, c + w]^2 is cut along its diagonal, each triangle mapped from
   (delta, sigma) in [0, w] x [0, 1] by u' = c + (w - delta) sigma, u = u' +
   delta (or u and u' swapped), Jacobian w - delta.  Then every set where
   the integrand is not analytic is a product of faces: y = x_i is {t =
   t_i} x {s = s_i}, y = z is {delta_t = 0} x {delta_s = 0}, the ridge the
   face delta_s = 0; a leg at the origin is analytic in (t, s) (sqrt(G) = t
   sqrt(...)); and y - z = delta_t R_k(1, s) + t' delta_s R_k(0, 1), y ^ z =
   -+ t t' delta_s are written without cancellation.  The bounds then
   certify holomorphy on every box not touching such a product (a box that
   touches one is bisected towards it and enclosed at depth 40: its volume
   shrinks in two directions at once).  A leg's s_i that is not a double is
   cut at its rounding: the box holding the kink is one of those enclosed.

   Nodes in double interval arithmetic (ivl.h), so the goal is at most 40
   bits; tolerance 2^-goal of an estimate of \int |F| (3^4 points per map),
   each box's share proportional to its volume in the coordinates.  A cutoff
   that is not a double adds the shell between the squares as its volume
   times a bound of |F| (|K| <= |b| + sigma_w^2 max(k(u,u), k(w,w)) / 2). */

#include <math.h>
#include <string.h>
#include "twovtx2.h"
#include "cbox.h"
#include "gl.h"

#define NAX 4

static const double rhos[] = {6.0, 3.0, 1.8, 1.35};

/* a piece of a plane (u, u'): type 0 the rectangle p = u in [a0, a1], q =
   u' in [b0, b1]; +1 the triangle u >= u' of the cell [a0, a1]^2, p = delta
   = u - u' in [0, w], q = sigma in [0, 1]; -1 the triangle u' >= u */
typedef struct
{
    int type;
    double a0, a1, b0, b1;
}
piece_t;

typedef struct
{
    int ky, kz;
    piece_t A, B;               /* (t, t'), (s, s') */
}
rmap_t;

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    rmap_t * maps;
    slong nmaps;
    acb_ptr x;                  /* legs (acb) */
    ivl * xi;                   /* legs (ivl) */
    ivl ia, ib, ibadd, isw2pi, iloop;   /* a, b, b or 0, sigma_w^2/(2 pi), sigma_w^2/2 */
    slong r, loop[2];
    slong prec;
}
rctx_t;

/* ---------- the pieces ---------- */

/* (u, u', Jacobian, u - u') from the piece's coordinates (p, q) */
static void
piece_ivl(ivl * u, ivl * up, ivl * jac, ivl * diff, const piece_t * P, ivl p, ivl q)
{
    ivl w;
    if (P->type == 0)
    {
        *u = p;
        *up = q;
        *jac = ivl_pt(1);
        *diff = ivl_sub(p, q);
        return;
    }
    w = ivl_sub(ivl_pt(P->a1), ivl_pt(P->a0));
    *jac = ivl_sub(w, p);
    if (P->type > 0)
    {
        *up = ivl_add(ivl_pt(P->a0), ivl_mul(*jac, q));
        *u = ivl_add(*up, p);
        *diff = p;
    }
    else
    {
        *u = ivl_add(ivl_pt(P->a0), ivl_mul(*jac, q));
        *up = ivl_add(*u, p);
        *diff = ivl_neg(p);
    }
}

static void
piece_acb(acb_t u, acb_t up, acb_t jac, acb_t diff, const piece_t * P, const acb_t p,
          const acb_t q, slong prec)
{
    if (P->type == 0)
    {
        acb_set(u, p);
        acb_set(up, q);
        acb_one(jac);
        acb_sub(diff, p, q, prec);
        return;
    }
    {
        arb_t w, t;
        arb_init(w);
        arb_init(t);
        arb_set_d(w, P->a1);
        arb_set_d(t, P->a0);
        arb_sub(w, w, t, 128);
        acb_neg(jac, p);
        acb_add_arb(jac, jac, w, prec);         /* w - delta */
        acb_mul(diff, jac, q, prec);
        acb_add_arb(diff, diff, t, prec);       /* a0 + (w - delta) sigma */
        arb_clear(w);
        arb_clear(t);
    }
    if (P->type > 0)
    {
        acb_set(up, diff);
        acb_add(u, up, p, prec);
        acb_set(diff, p);
    }
    else
    {
        acb_set(u, diff);
        acb_add(up, u, p, prec);
        acb_neg(diff, p);
    }
}

static void
piece_domain(double * lo, double * hi, const piece_t * P)
{
    if (P->type == 0)
    {
        lo[0] = P->a0; hi[0] = P->a1;
        lo[1] = P->b0; hi[1] = P->b1;
    }
    else
    {
        lo[0] = 0; hi[0] = P->a1 - P->a0;
        lo[1] = 0; hi[1] = 1;
    }
}

/* the pieces of the plane cut at cu (for u) and cv (for u'), sorted, with
   the ends; diag: the cuts are merged and the diagonal cells cut in two */
static slong
plane_pieces(piece_t * out, const double * cu, slong nu, const double * cv, slong nv, int diag)
{
    double * m = flint_malloc((nu + nv + 1) * sizeof(double));
    slong i, j, n = 0, nm = 0;
    if (diag)
    {
        for (i = 0; i < nu; i++)
            m[nm++] = cu[i];
        for (i = 0; i < nv; i++)
            m[nm++] = cv[i];
        /* sort, unique */
        for (i = 1; i < nm; i++)
            for (j = i; j > 0 && m[j - 1] > m[j]; j--)
            {
                double t = m[j];
                m[j] = m[j - 1];
                m[j - 1] = t;
            }
        for (i = j = 0; i < nm; i++)
            if (j == 0 || m[i] != m[j - 1])
                m[j++] = m[i];
        nm = j;
        for (i = 0; i + 1 < nm; i++)
            for (j = 0; j + 1 < nm; j++)
            {
                if (i == j)
                {
                    out[n].type = 1;
                    out[n].a0 = out[n].b0 = m[i];
                    out[n].a1 = out[n].b1 = m[i + 1];
                    n++;
                    out[n] = out[n - 1];
                    out[n].type = -1;
                    n++;
                }
                else
                {
                    out[n].type = 0;
                    out[n].a0 = m[i];
                    out[n].a1 = m[i + 1];
                    out[n].b0 = m[j];
                    out[n].b1 = m[j + 1];
                    n++;
                }
            }
        flint_free(m);
        return n;
    }
    flint_free(m);
    for (i = 0; i + 1 < nu; i++)
        for (j = 0; j + 1 < nv; j++)
        {
            out[n].type = 0;
            out[n].a0 = cu[i];
            out[n].a1 = cu[i + 1];
            out[n].b0 = cv[j];
            out[n].b1 = cv[j + 1];
            n++;
        }
    return n;
}

/* sorted unique cuts in (lo, hi) from vals, with lo and hi */
static slong
cuts(double * out, const double * vals, slong nv, double lo, double hi)
{
    slong i, j, n = 0;
    out[n++] = lo;
    for (i = 0; i < nv; i++)
        if (vals[i] > lo && vals[i] < hi)
            out[n++] = vals[i];
    out[n++] = hi;
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && out[j - 1] > out[j]; j--)
        {
            double t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    for (i = j = 0; i < n; i++)
        if (j == 0 || out[i] != out[j - 1])
            out[j++] = out[i];
    return j;
}

/* ---------- the kernel in double intervals ---------- */

/* K(u, w) from d = u - w, cr = u ^ w, kuw = k(u,w), kuu, kww */
static ivl
ik(const rctx_t * C, ivl d0, ivl d1, ivl cr, ivl kuw, ivl kuu, ivl kww)
{
    ivl G = ivl_add(ivl_mul(ivl_mul(C->ia, C->ib), ivl_add(ivl_sqr(d0), ivl_sqr(d1))),
                    ivl_mul(ivl_sqr(C->ia), ivl_sqr(cr)));
    ivl S = ivl_sqrt(G), r = ivl_sqrt(ivl_mul(kuu, kww)), pmt, w;
    if (kuw.hi <= 0)
        pmt = ivl_mul_2exp(_neft_ivl_atan(ivl_div(S, ivl_sub(r, kuw))), 1);
    else
        pmt = ivl_sub(ivl_pi(), ivl_mul_2exp(_neft_ivl_atan(ivl_div(S, ivl_add(r, kuw))), 1));
    w = ivl_add(S, ivl_mul(pmt, kuw));
    return ivl_add(C->ibadd, ivl_mul(C->isw2pi, w));
}

static ivl
ipow(ivl x, slong e)
{
    ivl r = ivl_pt(1);
    for (; e > 0; e--)
        r = ivl_mul(r, x);
    return r;
}

/* the legs and self-loops of vertex p at y (kyy = k(y, y)) */
static ivl
vertex_factor(const rctx_t * C, slong p, const ivl * y, ivl kyy)
{
    const neft_vint_struct * v = C->v;
    ivl f = ivl_pt(1);
    slong l;
    for (l = 0; l < v->nlegs; l++)
        if (v->vertex[l] == p)
        {
            const ivl * x = C->xi + 2 * l;
            ivl d0 = ivl_sub(y[0], x[0]), d1 = ivl_sub(y[1], x[1]);
            ivl cr = ivl_sub(ivl_mul(x[0], d1), ivl_mul(x[1], d0));
            ivl kxy = ivl_add(C->ib, ivl_mul(C->ia, ivl_add(ivl_mul(x[0], y[0]),
                                                            ivl_mul(x[1], y[1]))));
            ivl kxx = ivl_add(C->ib, ivl_mul(C->ia, ivl_add(ivl_sqr(x[0]), ivl_sqr(x[1]))));
            f = ivl_mul(f, ik(C, d0, d1, cr, kxy, kxx, kyy));
        }
    if (C->loop[p])
        f = ivl_mul(f, ipow(ivl_add(C->ibadd, ivl_mul(C->iloop, kyy)), C->loop[p]));
    return f;
}

/* ---------- the kernel on complex boxes ---------- */

static void
kbox(acb_t res, const rctx_t * C, const acb_t d0, const acb_t d1, const acb_t cr,
     const acb_t kuw, const acb_t kuu, const acb_t kww, int an)
{
    slong prec = C->prec;
    acb_t G, t, S, r;
    arb_t a;
    acb_init(G); acb_init(t); acb_init(S); acb_init(r);
    arb_init(a);
    _neft_acb_addsqr_range(t, d0, prec);
    _neft_acb_addsqr_range(t, d1, prec);
    arb_mul_2exp_si(a, C->k->sw2, -1);
    acb_mul_arb(t, t, a, prec);
    acb_mul_arb(G, t, C->k->sb2, prec);         /* a b |d|^2 */
    acb_zero(t);
    _neft_acb_addsqr_range(t, cr, prec);
    arb_sqr(a, a, prec);
    acb_addmul_arb(G, t, a, prec);              /* + a^2 cr^2 */
    if (!an && arb_is_zero(acb_imagref(G)))
    {
        /* real coordinates (an enclosure): G >= 0 */
        arb_sqrtpos(acb_realref(S), acb_realref(G), prec);
        arb_zero(acb_imagref(S));
    }
    else
        _neft_acb_sqrt_box(S, G, an, prec);
    _neft_acb_sqrt_box(r, kuu, an, prec);
    _neft_acb_sqrt_box(t, kww, an, prec);
    acb_mul(r, r, t, prec);
    _neft_kernel_relu_parts_acb_with(t, S, kuw, r, an, prec, _neft_acb_div_box,
                                     _neft_acb_atan_box);
    _neft_kernel_kink_finish(res, C->k, t, kuw, prec);
    acb_clear(G); acb_clear(t); acb_clear(S); acb_clear(r);
    arb_clear(a);
}

/* k(u, w) = b + a u.w on boxes; u == w: b + a |u|^2 by the squares' ranges */
static void
kdot(acb_t res, const rctx_t * C, acb_srcptr u, acb_srcptr w)
{
    slong prec = C->prec;
    arb_t a;
    arb_init(a);
    arb_mul_2exp_si(a, C->k->sw2, -1);
    acb_zero(res);
    if (u == w)
    {
        _neft_acb_addsqr_range(res, u, prec);
        _neft_acb_addsqr_range(res, u + 1, prec);
    }
    else
    {
        acb_mul(res, u, w, prec);
        acb_addmul(res, u + 1, w + 1, prec);
    }
    acb_mul_arb(res, res, a, prec);
    acb_add_arb(res, res, C->k->sb2, prec);
    arb_clear(a);
}

static void
F_acb(acb_t out, void * ctx, const _neft_twovtx2_box_t * B, acb_srcptr q, int an)
{
    rctx_t * C = ctx;
    const rmap_t * M = C->maps + B->map;
    const neft_vint_struct * v = C->v;
    slong prec = C->prec, i;
    acb_ptr y = _acb_vec_init(4), D = _acb_vec_init(2), E = _acb_vec_init(2);
    acb_ptr d = _acb_vec_init(2);
    acb_t t, tp, jA, dt, s, sp, jB, ds, u, cr, kyy, kzz, kxx, kyz;
    acb_init(t); acb_init(tp); acb_init(jA); acb_init(dt);
    acb_init(s); acb_init(sp); acb_init(jB); acb_init(ds);
    acb_init(u); acb_init(cr); acb_init(kyy); acb_init(kzz); acb_init(kxx); acb_init(kyz);
    piece_acb(t, tp, jA, dt, &M->A, q, q + 1, prec);
    piece_acb(s, sp, jB, ds, &M->B, q + 2, q + 3, prec);
    _neft_twovtx2_dir_acb(D, M->ky, s);
    _neft_twovtx2_dir_acb(E, M->kz, sp);
    for (i = 0; i < 2; i++)
    {
        acb_mul(y + i, D + i, t, prec);
        acb_mul(y + 2 + i, E + i, tp, prec);
    }
    acb_mul(out, t, tp, prec);
    acb_mul(out, out, jA, prec);
    acb_mul(out, out, jB, prec);                /* Jacobian t t' jA jB */
    kdot(kyy, C, y, y);
    kdot(kzz, C, y + 2, y + 2);
    for (i = 0; i < v->nlegs; i++)
    {
        acb_srcptr w = y + 2 * v->vertex[i], x = C->x + 2 * i;
        acb_sub(d, w, x, prec);
        acb_sub(d + 1, w + 1, x + 1, prec);
        acb_mul(cr, x, d + 1, prec);
        acb_submul(cr, x + 1, d, prec);
        kdot(kxx, C, x, x);
        kdot(kyz, C, x, w);
        kbox(u, C, d, d + 1, cr, kyz, kxx, v->vertex[i] ? kzz : kyy, an);
        acb_mul(out, out, u, prec);
    }
    if (C->r)
    {
        if (M->kz == M->ky)
        {
            /* y - z = dt R_k(1, s) + t' ds R_k(0, 1); y ^ z = -t t' ds */
            acb_t e;
            acb_ptr R = _acb_vec_init(2);
            acb_init(e);
            acb_one(e);
            _neft_twovtx2_dir_acb(R, M->ky, e);
            acb_zero(e);
            _neft_twovtx2_dir_acb(d, M->ky, e);
            acb_sub(R, R, d, prec);
            acb_sub(R + 1, R + 1, d + 1, prec);   /* R_k(0, 1) */
            acb_mul(e, tp, ds, prec);
            for (i = 0; i < 2; i++)
            {
                acb_mul(d + i, dt, D + i, prec);
                acb_addmul(d + i, e, R + i, prec);
            }
            acb_mul(cr, t, e, prec);
            acb_neg(cr, cr);
            acb_clear(e);
            _acb_vec_clear(R, 2);
        }
        else
        {
            for (i = 0; i < 2; i++)
                acb_sub(d + i, y + i, y + 2 + i, prec);
            if ((M->kz - M->ky + 4) % 4 == 2)
            {
                /* D ^ E = (1, s) ^ -(1, s') = s - s' */
                acb_mul(cr, t, tp, prec);
                acb_mul(cr, cr, ds, prec);
            }
            else
            {
                acb_mul(cr, y, y + 3, prec);
                acb_submul(cr, y + 1, y + 2, prec);
            }
        }
        kdot(kyz, C, y, y + 2);
        kbox(u, C, d, d + 1, cr, kyz, kyy, kzz, an);
        acb_pow_ui(u, u, C->r, prec);
        acb_mul(out, out, u, prec);
    }
    for (i = 0; i < 2; i++)
        if (C->loop[i])
        {
            neft_kernel_diag_acb(u, C->k, y + 2 * i, an, prec);
            acb_pow_ui(u, u, C->loop[i], prec);
            acb_mul(out, out, u, prec);
        }
    acb_clear(t); acb_clear(tp); acb_clear(jA); acb_clear(dt);
    acb_clear(s); acb_clear(sp); acb_clear(jB); acb_clear(ds);
    acb_clear(u); acb_clear(cr); acb_clear(kyy); acb_clear(kzz); acb_clear(kxx); acb_clear(kyz);
    _acb_vec_clear(y, 4);
    _acb_vec_clear(D, 2);
    _acb_vec_clear(E, 2);
    _acb_vec_clear(d, 2);
}

/* ---------- the rule ---------- */

static void
rule(arb_t res, void * ctx, const _neft_twovtx2_box_t * B, const slong * n)
{
    rctx_t * C = ctx;
    const rmap_t * M = C->maps + B->map;
    const _neft_gl_struct * g[NAX];
    ivl * nodes[NAX], sum = ivl_pt(0), vol = ivl_pt(1);
    ivl * PA, * PB;             /* per node pair: plane A t, t', w jA, dt; plane B s, s', w jB, ds */
    ivl R[2];
    slong p, i, j, l, nA = n[0] * n[1], nB = n[2] * n[3];
    for (p = 0; p < NAX; p++)
    {
        ivl c = ivl_mul_2exp(ivl_add(ivl_pt(B->lo[p]), ivl_pt(B->hi[p])), -1);
        ivl h = ivl_mul_2exp(ivl_sub(ivl_pt(B->hi[p]), ivl_pt(B->lo[p])), -1);
        g[p] = _neft_gl(n[p], 64);
        nodes[p] = flint_malloc(n[p] * sizeof(ivl));
        for (i = 0; i < n[p]; i++)
            nodes[p][i] = ivl_add(c, ivl_mul(h, g[p]->xi[i]));
        vol = ivl_mul(vol, h);
    }
    PA = flint_malloc(4 * nA * sizeof(ivl));
    PB = flint_malloc(8 * nB * sizeof(ivl));
    for (i = 0; i < n[0]; i++)
        for (j = 0; j < n[1]; j++)
        {
            ivl * a = PA + 4 * (i * n[1] + j);
            piece_ivl(a, a + 1, a + 2, a + 3, &M->A, nodes[0][i], nodes[1][j]);
            a[2] = ivl_mul(ivl_mul(a[2], ivl_mul(a[0], a[1])), ivl_mul(g[0]->wi[i], g[1]->wi[j]));
        }
    for (i = 0; i < n[2]; i++)
        for (j = 0; j < n[3]; j++)
        {
            ivl * b = PB + 8 * (i * n[3] + j);
            piece_ivl(b, b + 1, b + 2, b + 3, &M->B, nodes[2][i], nodes[3][j]);
            b[2] = ivl_mul(b[2], ivl_mul(g[2]->wi[i], g[3]->wi[j]));
            _neft_twovtx2_dir_ivl(b + 4, M->ky, b[0]);      /* D */
            _neft_twovtx2_dir_ivl(b + 6, M->kz, b[1]);      /* E */
        }
    {
        ivl D0[2], D1[2];
        _neft_twovtx2_dir_ivl(D1, M->ky, ivl_pt(1));
        _neft_twovtx2_dir_ivl(D0, M->ky, ivl_pt(0));
        R[0] = ivl_sub(D1[0], D0[0]);
        R[1] = ivl_sub(D1[1], D0[1]);
    }
    for (i = 0; i < nA; i++)
    {
        const ivl * a = PA + 4 * i;
        ivl t = a[0], tp = a[1];
        for (j = 0; j < nB; j++)
        {
            const ivl * b = PB + 8 * j;
            const ivl * D = b + 4, * E = b + 6;
            ivl y[2], z[2], kyy, kzz, f;
            y[0] = ivl_mul(t, D[0]);
            y[1] = ivl_mul(t, D[1]);
            z[0] = ivl_mul(tp, E[0]);
            z[1] = ivl_mul(tp, E[1]);
            kyy = ivl_add(C->ib, ivl_mul(C->ia, ivl_add(ivl_sqr(y[0]), ivl_sqr(y[1]))));
            kzz = ivl_add(C->ib, ivl_mul(C->ia, ivl_add(ivl_sqr(z[0]), ivl_sqr(z[1]))));
            f = ivl_mul(a[2], b[2]);
            f = ivl_mul(f, vertex_factor(C, 0, y, kyy));
            f = ivl_mul(f, vertex_factor(C, 1, z, kzz));
            if (C->r)
            {
                ivl d0, d1, cr, kyz;
                if (M->kz == M->ky)
                {
                    ivl e = ivl_mul(tp, b[3]);
                    d0 = ivl_add(ivl_mul(a[3], D[0]), ivl_mul(e, R[0]));
                    d1 = ivl_add(ivl_mul(a[3], D[1]), ivl_mul(e, R[1]));
                    cr = ivl_neg(ivl_mul(t, e));
                }
                else
                {
                    d0 = ivl_sub(y[0], z[0]);
                    d1 = ivl_sub(y[1], z[1]);
                    if ((M->kz - M->ky + 4) % 4 == 2)
                        cr = ivl_mul(ivl_mul(t, tp), b[3]);
                    else
                        cr = ivl_sub(ivl_mul(y[0], z[1]), ivl_mul(y[1], z[0]));
                }
                kyz = ivl_add(C->ib, ivl_mul(C->ia, ivl_add(ivl_mul(y[0], z[0]),
                                                            ivl_mul(y[1], z[1]))));
                f = ivl_mul(f, ipow(ik(C, d0, d1, cr, kyz, kyy, kzz), C->r));
            }
            sum = ivl_add(sum, f);
        }
    }
    _neft_ivl_get_arb(res, ivl_mul(sum, vol));
    for (p = 0; p < NAX; p++)
        flint_free(nodes[p]);
    flint_free(PA);
    flint_free(PB);
    (void) l;
}

/* ---------- the maps ---------- */

/* (t, s) of the point x on side k when it lies in that side's closed
   triangle and not at 0; 0 otherwise */
static int
polar_of(double * t, double * s, int k, const arb_t x0, const arb_t x1)
{
    double a = arf_get_d(arb_midref(x0), ARF_RND_NEAR), b = arf_get_d(arb_midref(x1), ARF_RND_NEAR);
    double u, w;
    switch (k)
    {
        case 0: u = a; w = b; break;
        case 1: u = b; w = -a; break;
        case 2: u = -a; w = -b; break;
        default: u = -b; w = a; break;
    }
    if (!(u > 0) || fabs(w) > u)
        return 0;
    *t = u;
    *s = w / u;
    return 1;
}

static void
make_maps(rctx_t * C, double L)
{
    const neft_vint_struct * v = C->v;
    slong alloc = 64;
    int ky, kz;
    C->maps = flint_malloc(alloc * sizeof(rmap_t));
    C->nmaps = 0;
    for (ky = 0; ky < 4; ky++)
        for (kz = 0; kz < 4; kz++)
        {
            slong nl = v->nlegs + 2, nt[2] = {0, 0}, nct[2], ncs[2], l, nA, nB, ia, ib;
            double * tv[2], * sv[2], * ct[2], * cs[2];
            piece_t * PA = flint_malloc(4 * (2 * nl) * (2 * nl) * sizeof(piece_t));
            piece_t * PB = flint_malloc(4 * (2 * nl) * (2 * nl) * sizeof(piece_t));
            int dA = kz == ky, dB = (kz - ky + 4) % 2 == 0, p;
            for (p = 0; p < 2; p++)
            {
                tv[p] = flint_malloc(nl * sizeof(double));
                sv[p] = flint_malloc(nl * sizeof(double));
                ct[p] = flint_malloc(nl * sizeof(double));
                cs[p] = flint_malloc(nl * sizeof(double));
            }
            for (l = 0; l < v->nlegs; l++)
            {
                slong vx = v->vertex[l];
                double t, s;
                if (polar_of(&t, &s, vx ? kz : ky, v->point + 2 * l, v->point + 2 * l + 1))
                {
                    tv[vx][nt[vx]] = t;
                    sv[vx][nt[vx]] = s;
                    nt[vx]++;
                }
            }
            for (p = 0; p < 2; p++)
            {
                nct[p] = cuts(ct[p], tv[p], nt[p], 0, L);
                ncs[p] = cuts(cs[p], sv[p], nt[p], -1, 1);
            }
            nA = plane_pieces(PA, ct[0], nct[0], ct[1], nct[1], dA);
            nB = plane_pieces(PB, cs[0], ncs[0], cs[1], ncs[1], dB);
            for (ia = 0; ia < nA; ia++)
                for (ib = 0; ib < nB; ib++)
                {
                    if (C->nmaps == alloc)
                    {
                        alloc *= 2;
                        C->maps = flint_realloc(C->maps, alloc * sizeof(rmap_t));
                    }
                    C->maps[C->nmaps].ky = ky;
                    C->maps[C->nmaps].kz = kz;
                    C->maps[C->nmaps].A = PA[ia];
                    C->maps[C->nmaps].B = PB[ib];
                    C->nmaps++;
                }
            flint_free(PA);
            flint_free(PB);
            for (p = 0; p < 2; p++)
            {
                flint_free(tv[p]);
                flint_free(sv[p]);
                flint_free(ct[p]);
                flint_free(cs[p]);
            }
        }
}

static void
map_box(_neft_twovtx2_box_t * B, const rmap_t * M, slong m)
{
    piece_domain(B->lo, B->hi, &M->A);
    piece_domain(B->lo + 2, B->hi + 2, &M->B);
    B->depth = 0;
    B->map = (int) m;
}

int
_neft_integrate_twovtx2_relu(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                             const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    rctx_t C[1];
    _neft_twovtx2_stack_t S[1];
    _neft_twovtx2_box_t * start;
    slong i, goal, M = NEFT_INTEGRATE_MAX_VERTICES;
    double Ld, scale = 0, dens, totvol = 0;
    int nc = 0, status;
    arb_t t, u;

    if (v->m != 2 || v->d != 2 || arf_is_pos_inf(L) || !_neft_ivl_usable()
        || !arb_is_positive(k->sb2) || !arb_is_zero(k->param) || arf_cmp_si(L, 0) <= 0)
    {
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    memset(C, 0, sizeof(C));
    memset(S, 0, sizeof(S));
    C->v = v;
    C->k = k;
    C->prec = FLINT_MAX(prec, 64);
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
    arb_mul_2exp_si(t, k->sw2, -1);
    C->ia = _neft_ivl_set_arb(t);
    C->iloop = C->ia;
    C->ib = _neft_ivl_set_arb(k->sb2);
    C->ibadd = k->subtract_bias ? ivl_pt(0) : C->ib;
    arb_const_pi(u, 128);
    arb_div(t, k->sw2, u, 128);
    arb_mul_2exp_si(t, t, -1);
    C->isw2pi = _neft_ivl_set_arb(t);
    goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec - 34;
    goal = FLINT_MIN(goal, 40);
    Ld = arf_get_d(L, ARF_RND_DOWN);
    make_maps(C, Ld);

    start = flint_malloc(C->nmaps * sizeof(_neft_twovtx2_box_t));
    for (i = 0; i < C->nmaps; i++)
        map_box(start + i, C->maps + i, i);
    S->ctx = C;
    S->F = F_acb;
    /* scale: per map, mean |F J| at 3^4 points times the map's volume */
    _neft_twovtx2_scale(&scale, &totvol, S, start, C->nmaps);
    dens = ldexp(scale, (int) -goal) / totvol;

    S->rule = rule;
    S->rhos = rhos;
    S->nrho = 4;
    S->nmax = 24;
    S->eval_charge = 10;
    S->budget = opt->eval_limit > 0 ? opt->eval_limit : 400000000;
    S->enc_tol = ldexp(scale, (int) -goal) / 256;
    S->width_scale[0] = S->width_scale[1] = Ld;
    S->width_scale[2] = S->width_scale[3] = 1;
    S->verbose = opt->verbose;
    S->name = "twovtx2_relu";
    if (opt->verbose)
        flint_fprintf(stderr, "twovtx2_relu: %wd maps, scale %g\n", C->nmaps, scale);
    status = _neft_twovtx2_stack_run(res, S, start, C->nmaps, dens, &nc, C->prec);

    if (arf_cmp_d(L, Ld) != 0 && status == NEFT_INTEGRATE_SUCCESS)
    {
        /* the shell between [-Ld, Ld]^4 and [-L, L]^4: its volume (2L)^4 -
           (2Ld)^4 times Kmax^factors, Kmax = |b| + sigma_w^2 (b + a R^2)/2,
           R^2 >= |u|^2 for every point and every u in [-L, L]^2 */
        slong f = v->nlegs + C->r + C->loop[0] + C->loop[1];
        double R2 = 2 * arf_get_d(L, ARF_RND_UP) * arf_get_d(L, ARF_RND_UP) * (1 + 1e-15);
        mag_t m, w;
        mag_init(m);
        mag_init(w);
        for (i = 0; i < v->nlegs; i++)
        {
            double a0 = fabs(arf_get_d(arb_midref(v->point + 2 * i), ARF_RND_UP))
                      + mag_get_d(arb_radref(v->point + 2 * i));
            double a1 = fabs(arf_get_d(arb_midref(v->point + 2 * i + 1), ARF_RND_UP))
                      + mag_get_d(arb_radref(v->point + 2 * i + 1));
            R2 = FLINT_MAX(R2, (a0 * a0 + a1 * a1) * (1 + 1e-15));
        }
        arb_set_arf(t, L);
        arb_pow_ui(t, t, 4, C->prec);
        arb_set_d(u, Ld);
        arb_pow_ui(u, u, 4, C->prec);
        arb_sub(t, t, u, C->prec);
        arb_abs(t, t);
        arb_mul_2exp_si(t, t, 4);
        arb_get_mag(m, t);
        arb_set_d(u, R2);
        arb_mul_2exp_si(t, k->sw2, -1);
        arb_mul(u, u, t, C->prec);
        arb_add(u, u, k->sb2, C->prec);             /* b + a R^2 */
        arb_mul(u, u, k->sw2, C->prec);
        arb_mul_2exp_si(u, u, -1);
        arb_abs(t, k->sb2);
        arb_add(u, u, t, C->prec);
        arb_pow_ui(u, u, f, C->prec);
        arb_get_mag(w, u);
        mag_mul(m, m, w);
        arb_add_error_mag(res, m);
        mag_clear(m);
        mag_clear(w);
    }
    if (status == NEFT_INTEGRATE_INTERRUPTED || !arb_is_finite(res))
        arb_indeterminate(res);
    if (status == NEFT_INTEGRATE_SUCCESS && nc)
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    flint_free(start);
    flint_free(C->maps);
    _acb_vec_clear(C->x, 2 * v->nlegs + 1);
    flint_free(C->xi);
    arb_clear(t);
    arb_clear(u);
    return status;
}
