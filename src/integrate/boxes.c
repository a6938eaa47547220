/* Multi-dimensional vertex integrals (m d = 2, 3) by globally adaptive
   tensor Gauss-Legendre on boxes, rigorous:

   - On a box with half-widths h_k, if the integrand is holomorphic with
     |F| <= M on the product of Bernstein ellipses E_rho (foci the box's
     edges; enclosed in a complex box and checked with analytic = 1), the
     n-point tensor rule errs by at most
         D 2^{D-1} (64/15) M rho^{-2(n-1)} / (rho^2 - 1) * prod_k h_k
     (Trefethen's 1-D bound applied one dimension at a time; the rule's
     weights are positive with sum 2).
   - Otherwise (or when cheaper) the box contributes vol * F(box), F
     evaluated on the real box: a direct enclosure, which is how boxes at a
     non-analytic point (ReLU at y = x_i) are finished.
   - The box with the largest error is bisected until the sum of errors
     meets the goal or the evaluation budget is spent. */

#include <stdio.h>
#include <string.h>
#include "internal.h"

#define MAXD 3
#define NDEG 12
static const slong degs[NDEG] = {4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40};
static const double rhos[] = {16.0, 8.0, 4.0, 2.5, 1.8, 1.4, 1.2};
#define NRHO 7

typedef struct
{
    arb_struct lo[MAXD], hi[MAXD];  /* exact */
    arb_t est;                      /* enclosure of the integral over the box */
    slong tr;                       /* -1, or the Duffy transform the box lives in */
}
box_struct;

/* A Duffy transform of the box s + [0, w_0] x .. (w signed) with a ReLU
   point singularity at the corner s (a leg's point, sigma_b > 0): the
   pyramid where coordinate k is the largest fraction is
   xi_k = t, xi_j = t u_j (j != k), t, u in [0, 1], Jacobian t^{D-1}; with
   y = s + t v(u), sqrt(G) = t sqrt(G(v)) on the legs at s, analytic at t = 0. */
typedef struct
{
    arb_struct s[MAXD], w[MAXD];
    slong k;
}
duffy_struct;

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    slong D;
    acb_ptr x;
    slong * same;
    acb_ptr y;
    arb_ptr node[NDEG], weight[NDEG];
    int have[NDEG];
    slong evals;
    slong nmax;
    slong prec;
    duffy_struct * T;
    slong nT, allocT;
    slong cur;                  /* transform of the box being evaluated, or -1 */
}
bctx_struct;

static void
gl_rule(bctx_struct * C, slong j)
{
    slong n = degs[j], i;
    if (C->have[j])
        return;
    C->node[j] = _arb_vec_init(n);
    C->weight[j] = _arb_vec_init(n);
    for (i = 0; i < n; i++)
        arb_hypgeom_legendre_p_ui_root(C->node[j] + i, C->weight[j] + i, n, i, C->prec + 16);
    C->have[j] = 1;
}

/* The integrand in Duffy coordinates (t, u..) of transform T. */
static void
F_duffy(acb_t out, bctx_struct * C, const duffy_struct * T, int an)
{
    const neft_vint_struct * v = C->v;
    const neft_kernel_struct * k = C->k;
    slong D = C->D, i, j, l, prec = C->prec;
    acb_struct vv[MAXD], yy[MAXD];
    acb_t t, g, kxy, r, q, cr;
    arb_t a, pi;
    acb_init(t); acb_init(g); acb_init(kxy); acb_init(r); acb_init(q); acb_init(cr);
    arb_init(a); arb_init(pi);
    for (i = 0; i < D; i++)
    {
        acb_init(vv + i);
        acb_init(yy + i);
    }
    arb_div_si(a, k->sw2, D, prec);
    arb_const_pi(pi, prec);
    acb_set(t, C->y);
    for (i = 0, l = 1; i < D; i++)
    {
        /* v_i = w_i (1 for i = k, else u_l) */
        if (i == T->k)
            acb_set_arb(vv + i, T->w + i);
        else
            acb_mul_arb(vv + i, C->y + l++, T->w + i, prec);
        acb_mul(yy + i, t, vv + i, prec);
        acb_add_arb(yy + i, yy + i, T->s + i, prec);
    }
    /* Jacobian t^{D-1} |prod w| */
    acb_pow_ui(out, t, D - 1, prec);
    for (i = 0; i < D; i++)
    {
        arb_t aw;
        arb_init(aw);
        arb_abs(aw, T->w + i);
        acb_mul_arb(out, out, aw, prec);
        arb_clear(aw);
    }
    for (i = 0; i < v->nlegs; i++)
    {
        int sing = 1;
        for (j = 0; j < D; j++)
            sing &= arb_equal(v->point + i * D + j, T->s + j);
        if (!sing)
        {
            neft_kernel_eval_acb(g, k, C->x + i * D, yy, an, prec);
            acb_mul(out, out, g, prec);
            continue;
        }
        /* G(v) = a b |v|^2 + a^2 sum_{p<q} (s_p v_q - s_q v_p)^2; sqrt(G) = t sqrt(G(v)) */
        acb_zero(q);
        for (j = 0; j < D; j++)
            acb_addmul(q, vv + j, vv + j, prec);
        acb_mul_arb(q, q, k->sb2, prec);
        acb_mul_arb(q, q, a, prec);
        for (j = 0; j < D; j++)
            for (l = j + 1; l < D; l++)
            {
                acb_mul_arb(cr, vv + l, T->s + j, prec);
                acb_submul_arb(cr, vv + j, T->s + l, prec);
                acb_mul_arb(cr, cr, a, prec);
                acb_addmul(q, cr, cr, prec);
            }
        acb_sqrt_analytic(q, q, an, prec);
        acb_mul(q, q, t, prec);                          /* sqrt(G) */
        acb_zero(kxy);
        acb_zero(r);
        for (j = 0; j < D; j++)
        {
            acb_addmul_arb(kxy, yy + j, T->s + j, prec);
            acb_addmul(r, yy + j, yy + j, prec);
        }
        acb_mul_arb(kxy, kxy, a, prec);
        acb_add_arb(kxy, kxy, k->sb2, prec);
        acb_mul_arb(r, r, a, prec);
        acb_add_arb(r, r, k->sb2, prec);                 /* k(y,y) */
        acb_sqrt_analytic(r, r, an, prec);
        {
            arb_t kss;
            arb_init(kss);
            for (j = 0; j < D; j++)
                arb_addmul(kss, T->s + j, T->s + j, prec);
            arb_mul(kss, kss, a, prec);
            arb_add(kss, kss, k->sb2, prec);
            arb_sqrt(kss, kss, prec);
            acb_mul_arb(r, r, kss, prec);                /* sqrt(k(s,s) k(y,y)) */
            arb_clear(kss);
        }
        _neft_kernel_relu_parts_acb(g, q, kxy, r, an, prec);
        _neft_kernel_kink_finish(g, k, g, kxy, prec);
        acb_mul(out, out, g, prec);
    }
    if (v->A[0])
    {
        neft_kernel_diag_acb(g, k, yy, an, prec);
        acb_pow_ui(g, g, v->A[0], prec);
        acb_mul(out, out, g, prec);
    }
    for (i = 0; i < D; i++)
    {
        acb_clear(vv + i);
        acb_clear(yy + i);
    }
    acb_clear(t); acb_clear(g); acb_clear(kxy); acb_clear(r); acb_clear(q); acb_clear(cr);
    arb_clear(a); arb_clear(pi);
}

static void
F(acb_t out, bctx_struct * C, int an)
{
    C->evals++;
    if (C->cur >= 0)
        F_duffy(out, C, C->T + C->cur, an);
    else
        _neft_vint_eval(out, C->v, C->k, C->x, C->same, NULL, C->y, an, C->prec);
}

/* res = [centre + h a (-1 + (2i+1)/s) +- h a / s] for piece i of s of the
   interval centre +- h a (centre NULL: 0), with an outward-rounded radius. */
static void
box_axis(arb_t res, const arb_t centre, const arb_t h, double a, slong i, slong s, slong prec)
{
    arb_t t, w;
    arf_t r;
    arb_init(t);
    arb_init(w);
    arf_init(r);
    arb_set_d(w, a);
    arb_mul(w, w, h, prec);                  /* half-axis */
    arb_set_si(t, 2 * i + 1 - s);
    arb_div_si(t, t, s, prec);
    arb_mul(t, t, w, prec);                  /* piece centre offset */
    arb_div_si(w, w, s, prec);               /* piece half-width */
    arb_get_ubound_arf(r, w, prec);
    if (centre != NULL)
        arb_add(t, t, centre, prec);
    arb_add_error_arf(t, r);
    arb_swap(res, t);
    arb_clear(t);
    arb_clear(w);
    arf_clear(r);
}

/* Sets b->est; tol_density = the error allowed per unit volume. */
static void
box_estimate(box_struct * b, bctx_struct * C, const mag_t tol_density)
{
    slong D = C->D, i, j, r, sub, prec = C->prec, best_j = -1;
    arb_t vol, h[MAXD], c[MAXD], t, u;
    acb_t f;
    mag_t err0, allowed, e, best_e, M;
    double best_cost = 1e300;
    slong best_r = -1;

    arb_init(vol);
    arb_init(t);
    arb_init(u);
    acb_init(f);
    mag_init(err0);
    mag_init(allowed);
    mag_init(e);
    mag_init(best_e);
    mag_init(M);
    arb_one(vol);
    for (i = 0; i < D; i++)
    {
        arb_init(h[i]);
        arb_init(c[i]);
        arb_sub(h[i], b->hi + i, b->lo + i, prec);
        arb_mul(vol, vol, h[i], prec);
        arb_mul_2exp_si(h[i], h[i], -1);
        arb_add(c[i], b->hi + i, b->lo + i, prec);
        arb_mul_2exp_si(c[i], c[i], -1);
    }
    arb_get_mag(allowed, vol);
    mag_mul(allowed, allowed, tol_density);
    C->cur = b->tr;
    if (b->tr >= 0)
    {
        /* the box is in Duffy coordinates: its share of the tolerance is by
           the volume it stands for in y, |prod w| times its (t, u) volume
           weighted by t^{D-1} <= 1 */
        arb_t aw;
        arb_init(aw);
        for (i = 0; i < D; i++)
        {
            arb_abs(aw, C->T[b->tr].w + i);
            arb_get_mag(e, aw);
            mag_mul(allowed, allowed, e);
        }
        arb_clear(aw);
    }

    /* the direct enclosure vol * F(box) */
    for (i = 0; i < D; i++)
    {
        arb_union(acb_realref(C->y + i), b->lo + i, b->hi + i, prec);
        arb_zero(acb_imagref(C->y + i));
    }
    F(f, C, 0);
    arb_mul(b->est, acb_realref(f), vol, prec);
    if (arb_is_finite(b->est))
        mag_set(err0, arb_radref(b->est));
    else
        mag_inf(err0);
    if (mag_cmp(err0, allowed) <= 0)
        goto done;

    /* Gauss-Legendre: the cheapest (rho, n) meeting the allowance.  M is
       bounded on the complex box around the ellipses, first in one piece,
       then (if no rule qualifies) as the maximum over 2^D ... sub-boxes,
       which overestimates much less */
    mag_inf(best_e);
    for (sub = 1; sub <= 2 && mag_cmp(best_e, allowed) > 0; sub++)
    for (r = 0; r < NRHO; r++)
    {
        double rho = rhos[r], a = (rho + 1 / rho) / 2, bb = (rho - 1 / rho) / 2;
        slong np = 1, p, q;
        int ok = 1;
        for (i = 0; i < 2 * D; i++)
            np *= sub;
        mag_zero(M);
        for (p = 0; p < np && ok; p++)
        {
            for (q = p, i = 0; i < D; i++)
            {
                /* sub-box (q % sub) of the real half-axis a h, ((q / sub) % sub) of the imaginary b h */
                slong ir = q % sub, ii = (q / sub) % sub;
                q /= sub * sub;
                box_axis(acb_realref(C->y + i), c[i], h[i], a, ir, sub, prec);
                box_axis(acb_imagref(C->y + i), NULL, h[i], bb, ii, sub, prec);
            }
            F(f, C, 1);
            if (!acb_is_finite(f))
                ok = 0;
            else
            {
                acb_get_mag(e, f);
                mag_max(M, M, e);
            }
        }
        if (!ok)
            continue;
        /* K = D 2^{D-1} (64/15) M prod h / (rho^2 - 1) */
        arf_set_mag(arb_midref(t), M);
        mag_zero(arb_radref(t));
        arb_mul(t, t, vol, prec);
        arb_mul_2exp_si(t, t, -D);               /* prod h = vol / 2^D */
        arb_mul_si(t, t, D * 64, prec);
        arb_mul_2exp_si(t, t, D - 1);
        arb_div_ui(t, t, 15, prec);
        arb_set_d(u, rho * rho - 1);
        arb_div(t, t, u, prec);
        for (j = 0; j < NDEG && degs[j] <= C->nmax; j++)
        {
            double cost = 1;
            arb_set_d(u, rho);
            arb_pow_ui(u, u, 2 * (degs[j] - 1), prec);   /* n nodes: rho^-2(n-1) */
            arb_div(u, t, u, prec);
            arb_get_mag(e, u);
            for (i = 0; i < D; i++)
                cost *= degs[j];
            if (mag_cmp(e, allowed) <= 0)
            {
                if (cost < best_cost)
                {
                    best_cost = cost;
                    best_j = j;
                    best_r = r;
                    mag_set(best_e, e);
                }
                break;
            }
        }
    }
    (void) best_r;
    /* only when the rule meets the allowance: otherwise the box will be
       bisected and the evaluations would be wasted */
    if (best_j >= 0 && mag_cmp(best_e, allowed) <= 0)
    {
        /* the tensor rule of degree degs[best_j] */
        slong n = degs[best_j], idx[MAXD] = {0, 0, 0}, p, np = 1;
        arb_t sum, w;
        arb_init(sum);
        arb_init(w);
        gl_rule(C, best_j);
        for (i = 0; i < D; i++)
            np *= n;
        for (p = 0; p < np; p++)
        {
            slong q = p;
            arb_one(w);
            for (i = 0; i < D; i++)
            {
                idx[i] = q % n;
                q /= n;
                arb_mul(acb_realref(C->y + i), C->node[best_j] + idx[i], h[i], prec);
                arb_add(acb_realref(C->y + i), acb_realref(C->y + i), c[i], prec);
                arb_zero(acb_imagref(C->y + i));
                arb_mul(w, w, C->weight[best_j] + idx[i], prec);
            }
            F(f, C, 0);
            arb_addmul(sum, w, acb_realref(f), prec);
        }
        arb_mul(sum, sum, vol, prec);
        arb_mul_2exp_si(sum, sum, -D);
        arb_add_error_mag(sum, best_e);
        if (arb_is_finite(sum) && mag_cmp(arb_radref(sum), err0) < 0)
            arb_swap(b->est, sum);
        arb_clear(sum);
        arb_clear(w);
    }
done:
    for (i = 0; i < D; i++)
    {
        arb_clear(h[i]);
        arb_clear(c[i]);
    }
    arb_clear(vol);
    arb_clear(t);
    arb_clear(u);
    acb_clear(f);
    mag_clear(err0);
    mag_clear(allowed);
    mag_clear(e);
    mag_clear(best_e);
    mag_clear(M);
}

static void
box_init(box_struct * b, slong D)
{
    slong i;
    for (i = 0; i < D; i++)
    {
        arb_init(b->lo + i);
        arb_init(b->hi + i);
    }
    arb_init(b->est);
    b->tr = -1;
}

static void
box_clear(box_struct * b, slong D)
{
    slong i;
    for (i = 0; i < D; i++)
    {
        arb_clear(b->lo + i);
        arb_clear(b->hi + i);
    }
    arb_clear(b->est);
}

int
_neft_integrate_boxes(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                      const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    bctx_struct C[1];
    slong D = v->m * v->d, d = v->d, i, l, nb = 0, alloc, budget, ncut[MAXD];
    arb_ptr cuts[MAXD];
    box_struct * boxes;
    mag_t tol, tol_density, total_err;
    arb_t total, t, volt;
    int status = NEFT_INTEGRATE_SUCCESS;

    memset(C, 0, sizeof(C));
    C->v = v;
    C->k = k;
    C->D = D;
    C->prec = prec;
    C->nmax = (D == 2) ? 32 : 16;
    C->T = NULL;
    C->nT = C->allocT = 0;
    C->cur = -1;
    C->x = _acb_vec_init(v->nlegs * d + 1);
    C->same = flint_calloc(v->nlegs + 1, sizeof(slong));
    C->y = _acb_vec_init(D);
    for (i = 0; i < v->nlegs * d; i++)
        acb_set_arb(C->x + i, v->point + i);
    _neft_vint_runs(C->same, v);
    budget = opt->eval_limit > 0 ? opt->eval_limit : 4000000;

    mag_init(tol);
    mag_init(tol_density);
    mag_init(total_err);
    arb_init(total);
    arb_init(t);
    arb_init(volt);

    /* the grid of initial boxes: cut at the coordinates of the legs' points
       (ReLU: the kernel is not analytic at y = x_i) and at 0 (ReLU with
       sigma_b = 0), inside (-L, L) */
    for (l = 0; l < D; l++)
    {
        slong c = l % d, j, n = 0;
        cuts[l] = _arb_vec_init(v->nlegs + 3);
        arb_set_arf(cuts[l] + n, L);
        arb_neg(cuts[l] + n, cuts[l] + n);
        n++;
        if (neft_kernel_has_kink(k))
        {
            for (i = 0; i <= v->nlegs; i++)
            {
                const arb_struct * p;
                int dup = 0;
                if (i == v->nlegs)
                {
                    if (!arb_is_zero(k->sb2))
                        break;
                    arb_zero(t);
                    p = t;
                }
                else
                    p = v->point + i * d + c;
                if (arf_cmpabs(arb_midref(p), L) >= 0)
                    continue;
                for (j = 0; j < n; j++)
                    dup |= arb_equal(cuts[l] + j, p);
                if (!dup)
                    arb_set(cuts[l] + n++, p);
            }
        }
        arb_set_arf(cuts[l] + n++, L);
        for (i = 1; i < n; i++)
            for (j = i; j > 0 && arf_cmp(arb_midref(cuts[l] + j - 1), arb_midref(cuts[l] + j)) > 0; j--)
                arb_swap(cuts[l] + j - 1, cuts[l] + j);
        ncut[l] = n;
    }

    /* tolerance: 2^-goal of (scale of F) x volume, goal = prec - 24 (40 bits
       at the default 64: relative radii ~1e-12, the contract asks 1e-10) */
    {
        static const double frac[3] = {-0.71, 0.13, 0.57};
        slong p, np = 1, q;
        acb_t f;
        arb_t Mx;
        acb_init(f);
        arb_init(Mx);
        for (l = 0; l < D; l++)
            np *= 3;
        for (p = 0; p < np; p++)
        {
            for (q = p, l = 0; l < D; l++, q /= 3)
            {
                arb_set_d(t, frac[q % 3]);
                arb_mul_arf(t, t, L, 32);
                mag_zero(arb_radref(t));
                acb_set_arb(C->y + l, t);
            }
            F(f, C, 0);
            acb_abs(t, f, 32);
            if (arb_is_finite(t))
                arb_max(Mx, Mx, t, 32);
        }
        if (arb_is_zero(Mx))
            arb_one(Mx);
        arb_set_arf(volt, L);
        arb_mul_2exp_si(volt, volt, 1);
        arb_pow_ui(volt, volt, D, 32);
        arb_mul(t, Mx, volt, 32);
        arb_get_mag(tol, t);
        mag_mul_2exp_si(tol, tol, -(opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec - 24));
        arb_get_mag_lower(tol_density, volt);
        mag_div(tol_density, tol, tol_density);
        acb_clear(f);
        arb_clear(Mx);
    }

    alloc = 64;
    for (l = 0, i = 1; l < D; l++)
        i *= ncut[l] - 1;
    alloc = FLINT_MAX(alloc, 2 * i);
    boxes = flint_malloc(alloc * sizeof(box_struct));
    {
        slong ng = i, p;
        int duffy = (neft_kernel_has_kink(k) && !arb_is_zero(k->sb2) && v->m == 1
                     && D >= 2);
        /* a work list: grid boxes, halved while they have two singular corners */
        slong wn = 0, walloc = FLINT_MAX(16, 4 * ng);
        arb_ptr wlo = _arb_vec_init(walloc * D), whi = _arb_vec_init(walloc * D);
        for (p = 0; p < ng; p++)
        {
            slong q = p;
            for (l = 0; l < D; l++)
            {
                slong j = q % (ncut[l] - 1);
                q /= ncut[l] - 1;
                arb_set(wlo + wn * D + l, cuts[l] + j);
                arb_set(whi + wn * D + l, cuts[l] + j + 1);
            }
            wn++;
        }
        while (wn > 0 && !neft_interrupted())
        {
            slong corner = -1, ncorner = 0, c, leg = -1;
            wn--;
            if (duffy)
                for (c = 0; c < (WORD(1) << D); c++)
                    for (i = 0; i < v->nlegs; i++)
                    {
                        int at = 1;
                        for (l = 0; l < D; l++)
                            at &= arb_equal(v->point + i * D + l,
                                            ((c >> l) & 1) ? whi + wn * D + l : wlo + wn * D + l);
                        if (at)
                        {
                            if (corner != c)
                                ncorner++;
                            corner = c;
                            leg = i;
                            break;
                        }
                    }
            if (ncorner >= 2)
            {
                /* halve along every axis: each part has at most one such corner */
                slong part;
                if (walloc < wn + (WORD(1) << D) + 1)
                {
                    slong na = 2 * walloc + (WORD(1) << D);
                    arb_ptr nlo = _arb_vec_init(na * D), nhi = _arb_vec_init(na * D);
                    for (i = 0; i < (wn + 1) * D; i++)
                    {
                        arb_swap(nlo + i, wlo + i);
                        arb_swap(nhi + i, whi + i);
                    }
                    _arb_vec_clear(wlo, walloc * D);
                    _arb_vec_clear(whi, walloc * D);
                    wlo = nlo; whi = nhi; walloc = na;
                }
                {
                    arb_ptr lo0 = _arb_vec_init(D), hi0 = _arb_vec_init(D), mid = _arb_vec_init(D);
                    _arb_vec_set(lo0, wlo + wn * D, D);
                    _arb_vec_set(hi0, whi + wn * D, D);
                    for (l = 0; l < D; l++)
                    {
                        arb_add(mid + l, lo0 + l, hi0 + l, 2 * prec + 64);
                        arb_mul_2exp_si(mid + l, mid + l, -1);
                    }
                    for (part = 0; part < (WORD(1) << D); part++)
                    {
                        for (l = 0; l < D; l++)
                        {
                            arb_set(wlo + wn * D + l, ((part >> l) & 1) ? mid + l : lo0 + l);
                            arb_set(whi + wn * D + l, ((part >> l) & 1) ? hi0 + l : mid + l);
                        }
                        wn++;
                    }
                    _arb_vec_clear(lo0, D); _arb_vec_clear(hi0, D); _arb_vec_clear(mid, D);
                }
                continue;
            }
            if (nb + D + 1 >= alloc)
            {
                alloc = 2 * alloc + D + 1;
                boxes = flint_realloc(boxes, alloc * sizeof(box_struct));
            }
            if (ncorner == 1)
            {
                /* D Duffy pyramids, each a unit box in (t, u) */
                slong kk;
                for (kk = 0; kk < D; kk++)
                {
                    duffy_struct * T;
                    if (C->nT == C->allocT)
                    {
                        C->allocT = 2 * C->allocT + 8;
                        C->T = flint_realloc(C->T, C->allocT * sizeof(duffy_struct));
                    }
                    T = C->T + C->nT;
                    for (l = 0; l < D; l++)
                    {
                        arb_init(T->s + l);
                        arb_init(T->w + l);
                        arb_set(T->s + l, v->point + leg * D + l);
                        /* from the corner towards the opposite one */
                        if ((corner >> l) & 1)
                            arb_sub(T->w + l, wlo + wn * D + l, whi + wn * D + l, 2 * prec + 64);
                        else
                            arb_sub(T->w + l, whi + wn * D + l, wlo + wn * D + l, 2 * prec + 64);
                    }
                    T->k = kk;
                    box_init(boxes + nb, D);
                    boxes[nb].tr = C->nT++;
                    for (l = 0; l < D; l++)
                    {
                        arb_zero(boxes[nb].lo + l);
                        arb_one(boxes[nb].hi + l);
                    }
                    box_estimate(boxes + nb, C, tol_density);
                    nb++;
                }
                continue;
            }
            box_init(boxes + nb, D);
            for (l = 0; l < D; l++)
            {
                arb_set(boxes[nb].lo + l, wlo + wn * D + l);
                arb_set(boxes[nb].hi + l, whi + wn * D + l);
            }
            box_estimate(boxes + nb, C, tol_density);
            nb++;
        }
        _arb_vec_clear(wlo, walloc * D);
        _arb_vec_clear(whi, walloc * D);
    }

    for (;;)
    {
        slong worst = -1;
        mag_zero(total_err);
        for (i = 0; i < nb; i++)
        {
            mag_add(total_err, total_err, arb_radref(boxes[i].est));
            if (worst < 0 || mag_cmp(arb_radref(boxes[i].est), arb_radref(boxes[worst].est)) > 0)
                worst = i;
        }
        if (mag_cmp(total_err, tol) <= 0)
            break;
        if (neft_interrupted())
        {
            status = NEFT_INTEGRATE_INTERRUPTED;
            break;
        }
        if (C->evals > budget)
        {
            status = NEFT_INTEGRATE_NO_CONVERGENCE;
            break;
        }
        /* bisect the worst box along its widest side */
        {
            slong wl = 0;
            box_struct * b = boxes + worst;
            arb_t w, bw;
            arb_init(w);
            arb_init(bw);
            for (l = 0; l < D; l++)
            {
                arb_sub(w, b->hi + l, b->lo + l, prec);
                if (l == 0 || arf_cmp(arb_midref(w), arb_midref(bw)) > 0)
                {
                    arb_set(bw, w);
                    wl = l;
                }
            }
            if (nb == alloc)
            {
                alloc *= 2;
                boxes = flint_realloc(boxes, alloc * sizeof(box_struct));
                b = boxes + worst;
            }
            box_init(boxes + nb, D);
            boxes[nb].tr = b->tr;
            for (l = 0; l < D; l++)
            {
                arb_set(boxes[nb].lo + l, b->lo + l);
                arb_set(boxes[nb].hi + l, b->hi + l);
            }
            arb_add(w, b->lo + wl, b->hi + wl, 2 * prec + 64);   /* exact midpoint */
            arb_mul_2exp_si(w, w, -1);
            arb_set(b->hi + wl, w);
            arb_set(boxes[nb].lo + wl, w);
            box_estimate(b, C, tol_density);
            box_estimate(boxes + nb, C, tol_density);
            nb++;
            arb_clear(w);
            arb_clear(bw);
        }
    }
    arb_zero(total);
    for (i = 0; i < nb; i++)
        arb_add(total, total, boxes[i].est, prec);
    arb_set(res, total);
    if (!arb_is_finite(res))
        status = NEFT_INTEGRATE_NO_CONVERGENCE;

    for (i = 0; i < nb; i++)
        box_clear(boxes + i, D);
    flint_free(boxes);
    for (l = 0; l < D; l++)
        _arb_vec_clear(cuts[l], v->nlegs + 3);
    for (i = 0; i < NDEG; i++)
        if (C->have[i])
        {
            _arb_vec_clear(C->node[i], degs[i]);
            _arb_vec_clear(C->weight[i], degs[i]);
        }
    for (i = 0; i < C->nT; i++)
        for (l = 0; l < D; l++)
        {
            arb_clear(C->T[i].s + l);
            arb_clear(C->T[i].w + l);
        }
    flint_free(C->T);
    _acb_vec_clear(C->x, v->nlegs * d + 1);
    _acb_vec_clear(C->y, D);
    flint_free(C->same);
    mag_clear(tol);
    mag_clear(tol_density);
    mag_clear(total_err);
    arb_clear(total);
    arb_clear(t);
    arb_clear(volt);
    if (opt->verbose)
        flint_fprintf(stderr, "boxes: %wd boxes, %wd evaluations\n", nb, C->evals);
    return status;
}
