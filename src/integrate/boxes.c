/* Multi-dimensional vertex integrals (m d = 2, 3) by globally adaptive
   tensor Gauss-Legendre on boxes, rigorous:

   - On a box with half-widths h_k, if the integrand is holomorphic with
     |F| <= M on the product of Bernstein ellipses E_rho (foci the box's
     edges; enclosed in a complex box and checked with analytic = 1), the
     n-point tensor rule errs by at most
         D 2^{D-1} (64/15) M rho^{-2n} / (rho^2 - 1) * prod_k h_k
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
}
box_struct;

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

static void
F(acb_t out, bctx_struct * C, int an)
{
    C->evals++;
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
            arb_pow_ui(u, u, 2 * degs[j], prec);
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
        if (k->type == NEFT_KERNEL_RELU)
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
        for (p = 0; p < ng; p++)
        {
            slong q = p;
            box_init(boxes + nb, D);
            for (l = 0; l < D; l++)
            {
                slong j = q % (ncut[l] - 1);
                q /= ncut[l] - 1;
                arb_set(boxes[nb].lo + l, cuts[l] + j);
                arb_set(boxes[nb].hi + l, cuts[l] + j + 1);
            }
            box_estimate(boxes + nb, C, tol_density);
            nb++;
        }
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
        flint_printf("boxes: %wd boxes, %wd evaluations\n", nb, C->evals);
    return status;
}
