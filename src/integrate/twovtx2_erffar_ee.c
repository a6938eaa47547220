/* Erf, two vertices, d_in = 2: the piece with both points far
   (twovtx2_erffar.h, _neft_twovtx2_erffar_ee; docs/integrate.md "Stop
   35").  y = e/w, z = e'/w' with e = R_ky (1, s), e' = R_kz (1, s'), w, w'
   in [1/L, 1/R]: dy dz = w^-3 w'^-3 dw ds dw' ds'.  Coordinates q = (w, a,
   w', b) per map (ky, kz, shear) as POLAR4's (t, a, t', b): shear 0 (sides
   of odd difference) a = s, b = s'; shear +-1 a = delta in [0, 2], b in
   [0, 1], s = -1 + (2 - delta) b, s' = s + delta (or s and s' swapped),
   Jacobian 2 - delta, so e ^ e' = +-delta exactly and the link's N is the
   sum of squares of _neft_erffar_link_civl with (e ^ e')^2 = delta^2.
   Everything in double intervals (ivl.h, cbox_ivl.h); the box stack of
   twovtx2_stack.c integrates. */

#include <math.h>
#include <string.h>
#include "twovtx2_erffar.h"
#include "twovtx2.h"
#include "gl.h"

#define NAX 4
#define NMAXN 24
#define NMAPS 24
static const double rhos[] = {6.0, 4.0, 3.0, 2.3, 1.8, 1.35};
#define NRHO 6

int _neft_twovtx2_erffar_ee_verbose = 0;

typedef struct
{
    int ky, kz, shear;
}
emap_t;

typedef struct
{
    const neft_vint_struct * v;
    emap_t maps[NMAPS];
    ivl abc[4];
    ivl * xi;                   /* legs */
    ivl kb;                     /* |b| + sigma_w^2 >= |K| on the real space */
    slong r, loop[2], nfac;
}
ectx_t;

/* the integrand times the Jacobian on the complex box q (non-finite unless
   certified holomorphic; on real boxes an enclosure) */
static civl
F_civl(const ectx_t * C, const emap_t * M, const civl * q)
{
    const neft_vint_struct * v = C->v;
    civl s, sp, g, E[4], out, c2;
    slong i;
    _neft_twovtx2_angles_civl(&s, &sp, &g, M->shear, q[1], q[3]);
    _neft_twovtx2_dir_civl(E, M->ky, s);
    _neft_twovtx2_dir_civl(E + 2, M->kz, sp);
    out = _neft_civl_div_box(g, civl_mul(civl_pow_ui(q[0], 3), civl_pow_ui(q[2], 3)));
    for (i = 0; i < v->nlegs && civl_is_finite(out); i++)
    {
        civl x[2];
        slong p = v->vertex[i];
        x[0] = civl_real(C->xi[2 * i]);
        x[1] = civl_real(C->xi[2 * i + 1]);
        out = civl_mul(out, _neft_erffar_leg_civl(C->abc, x, E + 2 * p, q[2 * p]));
    }
    if (C->r && civl_is_finite(out))
    {
        const civl * cp = NULL;
        if (M->shear)
        {
            c2 = civl_addsqr(civl_real(ivl_pt(0)), q[1]);
            cp = &c2;
        }
        out = civl_mul(out, civl_pow_ui(_neft_erffar_link_civl(C->abc, E, q[0], E + 2, q[2], cp),
                                        C->r));
    }
    for (i = 0; i < 2; i++)
        if (C->loop[i] && civl_is_finite(out))
            out = civl_mul(out, civl_pow_ui(_neft_erffar_self_civl(C->abc, E + 2 * i, q[2 * i]),
                                            C->loop[i]));
    return out;
}

/* A(e/w) / w^3 (p = 0) or B(e'/w') / w'^3 (p = 1) at real w, the legs'
   coefficients c[5 l ..] for direction e given */
static ivl
vertex_ivl(const ectx_t * C, slong p, const ivl * e, const ivl * c, ivl w)
{
    const neft_vint_struct * v = C->v;
    ivl f = ivl_div(ivl_pt(1), ivl_pow_ui(w, 3));
    slong i;
    for (i = 0; i < v->nlegs; i++)
        if (v->vertex[i] == p)
            f = ivl_mul(f, _neft_erffar_leg_ivl(C->abc, c + 5 * i, w));
    if (C->loop[p])
        f = ivl_mul(f, ivl_pow_ui(_neft_erffar_self_ivl(C->abc, e, w), C->loop[p]));
    return f;
}

/* the tensor rule with n[p] nodes on the box: an enclosure of its exact
   value */
static ivl
rule_ivl(const ectx_t * C, const _neft_twovtx2_box_t * B, const slong * n)
{
    const neft_vint_struct * v = C->v;
    const emap_t * M = &C->maps[B->map];
    ivl * nodes[NAX], * wts[NAX], * Ay, * Az, * cf, sum = ivl_pt(0), vol;
    slong i0, i1, i2, i3, i;
    vol = _neft_twovtx2_nodes_ivl(nodes, wts, B, n);
    Ay = flint_malloc(n[0] * sizeof(ivl));
    Az = flint_malloc(n[2] * sizeof(ivl));
    cf = flint_malloc((5 * v->nlegs + 1) * sizeof(ivl));
    for (i1 = 0; i1 < n[1]; i1++)
        for (i3 = 0; i3 < n[3]; i3++)
        {
            ivl s, sp, g, E[4], part = ivl_pt(0), cr;
            _neft_twovtx2_angles_ivl(&s, &sp, &g, M->shear, nodes[1][i1], nodes[3][i3]);
            _neft_twovtx2_dir_ivl(E, M->ky, s);
            _neft_twovtx2_dir_ivl(E + 2, M->kz, sp);
            cr = nodes[1][i1];          /* +-delta: only its square is used */
            for (i = 0; i < v->nlegs; i++)
                _neft_erffar_leg_coeffs_ivl(cf + 5 * i, C->abc, C->xi + 2 * i,
                                            E + 2 * v->vertex[i]);
            for (i0 = 0; i0 < n[0]; i0++)
                Ay[i0] = ivl_mul(wts[0][i0], vertex_ivl(C, 0, E, cf, nodes[0][i0]));
            for (i2 = 0; i2 < n[2]; i2++)
                Az[i2] = ivl_mul(wts[2][i2], vertex_ivl(C, 1, E + 2, cf, nodes[2][i2]));
            for (i0 = 0; i0 < n[0]; i0++)
            {
                ivl row = ivl_pt(0);
                for (i2 = 0; i2 < n[2]; i2++)
                {
                    ivl f = Az[i2];
                    if (C->r)
                        f = ivl_mul(f, ivl_pow_ui(_neft_erffar_link_ivl(C->abc, E, nodes[0][i0],
                                                                         E + 2, nodes[2][i2],
                                                                         M->shear ? &cr : NULL),
                                                  C->r));
                    row = ivl_add(row, f);
                }
                part = ivl_add(part, ivl_mul(Ay[i0], row));
            }
            sum = ivl_add(sum, ivl_mul(ivl_mul(ivl_mul(wts[1][i1], wts[3][i3]), g), part));
        }
    _neft_twovtx2_nodes_free(nodes, wts);
    flint_free(Ay);
    flint_free(Az);
    flint_free(cf);
    return ivl_mul(sum, vol);
}

static void
F_cb(acb_t out, void * ctx, const _neft_twovtx2_box_t * B, acb_srcptr q, int an)
{
    ectx_t * C = ctx;
    const emap_t * M = &C->maps[B->map];
    civl cq[NAX], f;
    slong p;
    for (p = 0; p < NAX; p++)
        cq[p] = civl_set(_neft_ivl_set_arb(acb_realref(q + p)), _neft_ivl_set_arb(acb_imagref(q + p)));
    f = F_civl(C, M, cq);
    if (!an)
    {
        /* real boxes: also |F| <= g_hi w_lo^-3 w'_lo^-3 (|b| + sigma_w^2)^factors
           (|atan| <= pi/2); the narrower enclosure is taken */
        ivl bnd = ivl_div(M->shear ? ivl_sub(ivl_pt(2), ivl_pt(cq[1].re.lo)) : ivl_pt(1),
                          ivl_mul(ivl_pow_ui(ivl_pt(cq[0].re.lo), 3),
                                  ivl_pow_ui(ivl_pt(cq[2].re.lo), 3)));
        bnd = ivl_mul(bnd, ivl_pow_ui(C->kb, C->nfac));
        if (!(cq[0].re.lo > 0 && cq[2].re.lo > 0) || !ivl_is_finite(bnd))
            bnd = ivl_set(-INFINITY, INFINITY);
        if (!ivl_is_finite(f.re) || ivl_mag(f.re) > bnd.hi)
            f = civl_real(ivl_set(-bnd.hi, bnd.hi));
        f.im = ivl_pt(0);
    }
    if (!civl_is_finite(f))
    {
        acb_indeterminate(out);
        return;
    }
    _neft_ivl_get_arb(acb_realref(out), f.re);
    _neft_ivl_get_arb(acb_imagref(out), f.im);
}

static void
rule_cb(arb_t res, void * ctx, const _neft_twovtx2_box_t * B, const slong * n)
{
    _neft_ivl_get_arb(res, rule_ivl(ctx, B, n));
}

int
_neft_twovtx2_erffar_ee(arb_t res, const neft_vint_t v, const neft_kernel_t k, double R,
                        const arf_t L, slong goal, slong budget, slong * evals, slong prec)
{
    ectx_t C[1];
    _neft_twovtx2_stack_t S[1];
    _neft_twovtx2_box_t * start;
    slong M = NEFT_INTEGRATE_MAX_VERTICES, i, nm = 0, nstart = 0, nw = 0, iw, jw;
    double scale, totvol, dens, wl, wr, wcut[64];
    arb_t t, u;
    mag_t m;
    int status, nc = 0;

    if (v->m != 2 || v->d != 2 || !(R > 0) || !arf_is_finite(L) || arf_cmp_d(L, R) <= 0
        || !_neft_ivl_usable())
    {
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    memset(C, 0, sizeof(C));
    C->v = v;
    C->r = v->A[1];
    C->loop[0] = v->A[0];
    C->loop[1] = v->A[M + 1];
    C->nfac = v->nlegs + C->r + C->loop[0] + C->loop[1];
    _neft_twovtx2_erf_abc(C->abc, k);
    C->kb = ivl_add(ivl_pt(ivl_mag(C->abc[1])), ivl_mul_2exp(C->abc[0], 1));
    C->xi = flint_malloc((2 * v->nlegs + 1) * sizeof(ivl));
    for (i = 0; i < 2 * v->nlegs; i++)
        C->xi[i] = _neft_ivl_set_arb(v->point + i);
    {
        int ky, kz;
        for (ky = 0; ky < 4; ky++)
            for (kz = 0; kz < 4; kz++)
            {
                emap_t * P = C->maps + nm;
                P->ky = ky;
                P->kz = kz;
                P->shear = 0;
                nm++;
                if ((kz - ky + 4) % 2 == 0)
                {
                    P->shear = 1;
                    P[1] = P[0];
                    P[1].shear = -1;
                    nm++;
                }
            }
    }
    arb_init(t);
    arb_init(u);
    mag_init(m);
    arb_set_arf(t, L);
    arb_inv(t, t, 64);
    wl = arf_get_d(arb_midref(t), ARF_RND_NEAR);
    wr = 1 / R;
    /* start boxes: w and w' cut at wl 2^j, the angles whole */
    wcut[nw++] = wl;
    while (wcut[nw - 1] * 2 < 0.9 * wr && nw < 60)
    {
        wcut[nw] = wcut[nw - 1] * 2;
        nw++;
    }
    wcut[nw++] = wr;
    start = flint_malloc(nm * (nw - 1) * (nw - 1) * sizeof(_neft_twovtx2_box_t));
    for (i = 0; i < nm; i++)
        for (iw = 0; iw + 1 < nw; iw++)
            for (jw = 0; jw + 1 < nw; jw++)
            {
                _neft_twovtx2_box_t * Bx = start + nstart++;
                Bx->lo[0] = wcut[iw];
                Bx->hi[0] = wcut[iw + 1];
                Bx->lo[2] = wcut[jw];
                Bx->hi[2] = wcut[jw + 1];
                if (C->maps[i].shear)
                {
                    Bx->lo[1] = 0; Bx->hi[1] = 2;
                    Bx->lo[3] = 0; Bx->hi[3] = 1;
                }
                else
                {
                    Bx->lo[1] = Bx->lo[3] = -1;
                    Bx->hi[1] = Bx->hi[3] = 1;
                }
                Bx->depth = 0;
                Bx->map = (int) i;
            }
    memset(S, 0, sizeof(S));
    S->ctx = C;
    S->F = F_cb;
    _neft_twovtx2_scale(&scale, &totvol, S, start, nstart);
    dens = ldexp(scale, (int) -goal) / totvol;
    S->rule = rule_cb;
    S->rhos = rhos;
    S->nrho = NRHO;
    S->nmax = NMAXN;
    S->eval_charge = 10;
    S->budget = budget > 0 ? budget : 400000000;
    S->width_scale[0] = S->width_scale[2] = wr;
    S->width_scale[1] = S->width_scale[3] = 1;
    S->ell_nre = 4;
    S->ell_nim = 2;
    S->name = "twovtx2_erffar_ee";
    S->verbose = _neft_twovtx2_erffar_ee_verbose;
    status = _neft_twovtx2_stack_run(res, S, start, nstart, dens, &nc, prec);
    flint_free(start);
    if (evals != NULL)
        *evals = S->evals;
    /* the slivers between 1/L and wl and between 1/R and wr: either
       coordinate, 4 sides x s in [-1, 1] for each point (64), |w^-3 w'^-3|
       <= max(L, 1/wl)^6, |K| <= |b| + sigma_w^2 */
    {
        arb_t Lm, e1, kb;
        arb_init(Lm); arb_init(e1); arb_init(kb);
        arb_set_d(u, wl);
        arb_sub(e1, u, t, 64);
        arb_abs(e1, e1);                            /* |wl - 1/L| */
        arb_set_d(u, R);
        arb_inv(u, u, 64);
        arb_set_d(Lm, wr);
        arb_sub(u, u, Lm, 64);
        arb_abs(u, u);
        arb_add(e1, e1, u, 64);                     /* + |1/R - wr| */
        arb_set_arf(Lm, L);
        arb_set_d(u, wl);
        arb_inv(u, u, 64);
        arb_max(Lm, Lm, u, 64);
        arb_pow_ui(Lm, Lm, 6, 64);
        arb_mul(e1, e1, Lm, 64);
        arb_mul_ui(e1, e1, 128, 64);
        arb_abs(kb, k->sb2);
        arb_add(kb, kb, k->sw2, 64);
        arb_pow_ui(kb, kb, C->nfac, 64);
        arb_mul(e1, e1, kb, 64);
        arb_get_mag(m, e1);
        arb_add_error_mag(res, m);
        arb_clear(Lm); arb_clear(e1); arb_clear(kb);
    }
    if (status == NEFT_INTEGRATE_INTERRUPTED || !arb_is_finite(res))
        arb_indeterminate(res);
    if (status == NEFT_INTEGRATE_SUCCESS && nc)
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    flint_free(C->xi);
    arb_clear(t);
    arb_clear(u);
    mag_clear(m);
    return status;
}
