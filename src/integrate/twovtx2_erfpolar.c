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
       sum_p 2^3 (64/15) M_p rho_p^{-2 n_p} / (rho_p^2 - 1) prod_q h_q
   (as in twovtx2_erf.c; Trefethen, ATAP thm 19.3), M_p >= |F J| with
   coordinate p on the Bernstein ellipse E_rho around its interval (the box
   of the ellipse in 4 x 2 pieces; the other coordinates on their whole real
   intervals, then each cut in 3 when that gave no rule or one of more than
   12 nodes), evaluated in Arb on complex boxes (_neft_twovtx2_erf_kbox, with
   (y ^ z)^2 = t^2 t'^2 delta^2 given on the sheared maps).  rho from 6, 3,
   1.8, 1.35: the first with a rule of <= 24 nodes meeting a quarter of the
   box's share of the tolerance.  Boxes without a rule are bisected along
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
#include "ivl.h"

#define NAX 4
#define NMAXN 24
#define NMAPS 24
static const double rhos[] = {6.0, 3.0, 1.8, 1.35};
#define NRHO 4

typedef struct
{
    int ky, kz, shear;          /* sides of y and z; shear 0, +1 (s' >= s), -1 */
}
pmap_t;

typedef struct
{
    double lo[NAX], hi[NAX];
    int depth, map;
}
qbox_t;

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

/* D_k(s) = R_k (1, s) */
static void
dir_ivl(ivl * D, int k, ivl s)
{
    ivl one = ivl_pt(1), m1 = ivl_pt(-1);
    switch (k)
    {
        case 0: D[0] = one; D[1] = s; break;
        case 1: D[0] = ivl_neg(s); D[1] = one; break;
        case 2: D[0] = m1; D[1] = ivl_neg(s); break;
        default: D[0] = s; D[1] = m1; break;
    }
}

static void
dir_acb(acb_ptr D, int k, const acb_t s)
{
    switch (k)
    {
        case 0: acb_one(D); acb_set(D + 1, s); break;
        case 1: acb_neg(D, s); acb_one(D + 1); break;
        case 2: acb_set_si(D, -1); acb_neg(D + 1, s); break;
        default: acb_set(D, s); acb_set_si(D + 1, -1); break;
    }
}

/* s, s' and the angular Jacobian g from the coordinates (a, b) of map M */
static void
angles_ivl(ivl * s, ivl * sp, ivl * g, const pmap_t * M, ivl a, ivl b)
{
    if (M->shear == 0)
    {
        *s = a;
        *sp = b;
        *g = ivl_pt(1);
        return;
    }
    *g = ivl_sub(ivl_pt(2), a);
    if (M->shear > 0)
    {
        *s = ivl_add(ivl_pt(-1), ivl_mul(*g, b));
        *sp = ivl_add(*s, a);
    }
    else
    {
        *sp = ivl_add(ivl_pt(-1), ivl_mul(*g, b));
        *s = ivl_add(*sp, a);
    }
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

static ivl
ipow(ivl x, slong e)
{
    ivl r = ivl_pt(1);
    for (; e > 0; e--)
        r = ivl_mul(r, x);
    return r;
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
        f = ivl_mul(f, ipow(ik_self(C, y), C->loop[p]));
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

/* an upper bound of |F J| with axis p on the box of E_rho around its
   interval (in 4 x 2 pieces) and the other axes on their real intervals,
   each cut in os pieces (the maximum over 8 os^3 complex boxes) */
static void
bound_axis(mag_t Mb, pctx_t * C, const qbox_t * B, slong p, double rho, slong os)
{
    acb_ptr q = _acb_vec_init(NAX);
    acb_t f;
    mag_t m;
    slong j, piece;
    double c = 0.5 * (B->lo[p] + B->hi[p]), h = 0.5 * (B->hi[p] - B->lo[p]);
    double ar = h * 0.5 * (rho + 1 / rho) * (1 + 1e-12);
    double ai = h * 0.5 * (rho - 1 / rho) * (1 + 1e-12);
    acb_init(f);
    mag_init(m);
    mag_zero(Mb);
    for (piece = 0; piece < 8 * os * os * os; piece++)
    {
        slong r = piece % 4, s = (piece / 4) % 2, rest = piece / 8;
        double w = 2 * ar / 4, lo = c - ar + w * (double) r;
        double hi = r == 3 ? c + ar : c - ar + w * (double) (r + 1);
        _neft_twovtx2_set_interval(acb_realref(q + p), lo, hi);
        _neft_twovtx2_set_interval(acb_imagref(q + p), s ? 0 : -ai, s ? ai : 0);
        for (j = 0; j < NAX; j++)
            if (j != p)
            {
                slong e = rest % os;
                double a0 = B->lo[j], a1 = B->hi[j], wd = (a1 - a0) / os;
                double l2 = e == 0 ? a0 : a0 + wd * (double) e;
                double h2 = e == os - 1 ? a1 : a0 + wd * (double) (e + 1);
                rest /= os;
                /* pieces overlap by rounding at most: [a0, a1] is covered */
                if (e > 0)
                    l2 -= 1e-15 * wd;
                if (e < os - 1)
                    h2 += 1e-15 * wd;
                _neft_twovtx2_set_interval(acb_realref(q + j), l2, h2);
            }
        F_acb(f, C, &C->maps[B->map], q, 1);
        if (!acb_is_finite(f))
        {
            mag_inf(Mb);
            break;
        }
        acb_get_mag(m, f);
        mag_max(Mb, Mb, m);
    }
    acb_clear(f);
    mag_clear(m);
    _acb_vec_clear(q, NAX);
}

/* ---------- the rule ---------- */

/* the tensor rule with n[p] nodes on the box, as an interval */
static ivl
rule(pctx_t * C, const qbox_t * B, const slong * n)
{
    const pmap_t * M = &C->maps[B->map];
    const _neft_gl_struct * g[NAX];
    ivl * nodes[NAX], * wts[NAX], * Ay, * Az, sum = ivl_pt(0), vol = ivl_pt(1);
    slong p, i0, i1, i2, i3;
    for (p = 0; p < NAX; p++)
    {
        ivl c = ivl_mul_2exp(ivl_add(ivl_pt(B->lo[p]), ivl_pt(B->hi[p])), -1);
        ivl h = ivl_mul_2exp(ivl_sub(ivl_pt(B->hi[p]), ivl_pt(B->lo[p])), -1);
        g[p] = _neft_gl(n[p], 64);
        nodes[p] = flint_malloc(n[p] * sizeof(ivl));
        wts[p] = flint_malloc(n[p] * sizeof(ivl));
        for (i0 = 0; i0 < n[p]; i0++)
        {
            nodes[p][i0] = ivl_add(c, ivl_mul(h, g[p]->xi[i0]));
            wts[p][i0] = g[p]->wi[i0];
        }
        vol = ivl_mul(vol, h);
    }
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
                        f = ivl_mul(f, ipow(K, C->r));
                    }
                    row = ivl_add(row, f);
                }
                part = ivl_add(part, ivl_mul(Ay[i0], row));
            }
            sum = ivl_add(sum, ivl_mul(ivl_mul(ivl_mul(wts[1][i1], wts[3][i3]), ga), part));
        }
    C->evals += n[0] * n[1] * n[2] * n[3];
    for (p = 0; p < NAX; p++)
    {
        flint_free(nodes[p]);
        flint_free(wts[p]);
    }
    flint_free(Ay);
    flint_free(Az);
    return ivl_mul(sum, vol);
}

/* vol x (F J)(box), as a ball */
static void
enclose(arb_t res, pctx_t * C, const qbox_t * B)
{
    acb_ptr q = _acb_vec_init(NAX);
    acb_t f;
    arb_t w, z;
    slong p;
    acb_init(f);
    arb_init(w);
    arb_init(z);
    for (p = 0; p < NAX; p++)
        _neft_twovtx2_set_interval(acb_realref(q + p), B->lo[p], B->hi[p]);
    F_acb(f, C, &C->maps[B->map], q, 0);
    arb_set(res, acb_realref(f));
    for (p = 0; p < NAX; p++)
    {
        arb_set_d(w, B->hi[p]);
        arb_set_d(z, B->lo[p]);
        arb_sub(w, w, z, 128);
        arb_mul(res, res, w, C->prec);
    }
    acb_clear(f);
    arb_clear(w);
    arb_clear(z);
    _acb_vec_clear(q, NAX);
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
    qbox_t * stack;
    slong nst = 0, alloc = 256, i, goal, nm = 0;
    slong M = NEFT_INTEGRATE_MAX_VERTICES;
    double Ld, scale = 0, dens, totvol = 0;
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
    arb_mul_2exp_si(t, k->sw2, -1);
    C->ia = _neft_ivl_set_arb(t);
    C->ib = _neft_ivl_set_arb(k->sb2);
    C->ibadd = k->subtract_bias ? ivl_pt(0) : C->ib;
    arb_const_pi(u, 128);
    arb_div(t, k->sw2, u, 128);
    arb_mul_2exp_si(t, t, 1);
    C->ic = _neft_ivl_set_arb(t);
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

    /* scale: per map, mean |F J| at 3^4 points times the map's volume */
    {
        static const double fr[3] = {0.17, 0.52, 0.83};
        acb_ptr q = _acb_vec_init(NAX);
        acb_t f;
        slong m, pt, j, r;
        acb_init(f);
        for (m = 0; m < nm; m++)
        {
            qbox_t B;
            double vol = 1, mean = 0;
            map_domain(&B, C->maps + m, Ld);
            for (j = 0; j < NAX; j++)
                vol *= B.hi[j] - B.lo[j];
            for (pt = 0; pt < 81; pt++)
            {
                for (j = 0, r = pt; j < NAX; j++, r /= 3)
                    acb_set_d(q + j, B.lo[j] + fr[r % 3] * (B.hi[j] - B.lo[j]));
                F_acb(f, C, C->maps + m, q, 0);
                if (acb_is_finite(f))
                    mean += fabs(arf_get_d(arb_midref(acb_realref(f)), ARF_RND_NEAR)) / 81;
            }
            scale += mean * vol;
            totvol += vol;
        }
        acb_clear(f);
        _acb_vec_clear(q, NAX);
    }
    if (!(scale > 1e-300))
        scale = 1e-300;
    dens = ldexp(scale, (int) -goal) / totvol;

    stack = flint_malloc(alloc * sizeof(qbox_t));
    for (i = 0; i < nm; i++)
    {
        map_domain(stack + nst, C->maps + i, Ld);
        stack[nst].map = (int) i;
        nst++;
    }
    arb_zero(res);
    while (nst > 0)
    {
        qbox_t B = stack[--nst];
        double vol = 1, tol, total = 0, worst = -1;
        slong n[NAX], p, split = 0;
        int ok = 1;
        if (neft_interrupted())
        {
            status = NEFT_INTEGRATE_INTERRUPTED;
            break;
        }
        for (p = 0; p < NAX; p++)
            vol *= 0.5 * (B.hi[p] - B.lo[p]);
        tol = dens * vol * 16 / NAX;
        for (p = 0; p < NAX; p++)
        {
            slong r, best = 0;
            double be = 0, score = 1e9 + (B.hi[p] - B.lo[p]) / (p % 2 == 0 ? Ld : 1);
            /* a cheap bound (other axes whole) over the rho's first, a
               tighter one (other axes in 3) when that gave no rule or a
               long one; per pass, the first rho that gives a rule */
            slong os;
            for (os = 1; os <= 3 && (best == 0 || best > 12); os += 2)
            {
                slong found = 0;
                for (r = 0; r < NRHO && !found; r++)
                {
                    mag_t Mb;
                    double Md, base, need, e;
                    slong nn;
                    mag_init(Mb);
                    bound_axis(Mb, C, &B, p, rhos[r], os);
                    Md = mag_is_finite(Mb) ? mag_get_d(Mb) : HUGE_VAL;
                    mag_clear(Mb);
                    C->evals += 8 * os * os * os * 10;
                    if (C->verbose >= 3)
                        flint_fprintf(stderr, "  axis %wd rho %g os %wd M %g tol %g vol %g\n", p,
                                      rhos[r], os, Md, tol, vol);
                    if (!isfinite(Md))
                        continue;
                    base = 8 * (64.0 / 15) * Md * vol / (rhos[r] * rhos[r] - 1);
                    need = base > tol ? log(base / tol) / (2 * log(rhos[r])) : 0;
                    if (need < score)
                        score = need;
                    nn = _neft_twovtx2_least_n(&e, Md, rhos[r], vol, tol, NMAXN);
                    if (nn > 0)
                    {
                        found = 1;
                        if (best == 0 || nn < best)
                        {
                            best = nn;
                            be = e;
                        }
                    }
                }
            }
            n[p] = best;
            if (!best)
                ok = 0;
            total += best ? be : HUGE_VAL;
            if (score > worst)
            {
                worst = score;
                split = p;
            }
        }
        if (ok && C->evals + n[0] * n[1] * n[2] * n[3] <= C->budget)
        {
            ivl s = rule(C, &B, n);
            mag_t e;
            C->nrule++;
            if (opt->verbose >= 2)
                flint_fprintf(stderr, "map %d depth %d [%g %g]x[%g %g]x[%g %g]x[%g %g] "
                              "n %wd %wd %wd %wd\n",
                              B.map, B.depth, B.lo[0], B.hi[0], B.lo[1], B.hi[1], B.lo[2],
                              B.hi[2], B.lo[3], B.hi[3], n[0], n[1], n[2], n[3]);
            _neft_ivl_get_arb(t, s);
            mag_init(e);
            mag_set_d(e, total);
            arb_add_error_mag(t, e);
            mag_clear(e);
            arb_add(res, res, t, C->prec);
            continue;
        }
        if (B.depth >= 40 || C->evals >= C->budget)
        {
            enclose(t, C, &B);
            arb_add(res, res, t, C->prec);
            C->nc = 1;
            continue;
        }
        if (nst + 2 > alloc)
        {
            alloc *= 2;
            stack = flint_realloc(stack, alloc * sizeof(qbox_t));
        }
        {
            double mid = 0.5 * (B.lo[split] + B.hi[split]);
            stack[nst] = B;
            stack[nst].hi[split] = mid;
            stack[nst].depth++;
            stack[nst + 1] = B;
            stack[nst + 1].lo[split] = mid;
            stack[nst + 1].depth++;
            nst += 2;
        }
        C->nsplit++;
    }
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
    if (opt->verbose)
        flint_fprintf(stderr, "twovtx2_erfpolar: %wd node values, %wd rules, %wd splits\n",
                      C->evals, C->nrule, C->nsplit);
    flint_free(stack);
    _acb_vec_clear(C->x, 2 * v->nlegs + 1);
    flint_free(C->xi);
    arb_clear(t);
    arb_clear(u);
    return status;
}
