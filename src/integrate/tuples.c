/* One-vertex integrals in d_in = 1 for every sorted tuple of a set of
   inputs at once, sharing the kernel values between tuples.

   The box [-L, L] is cut into panels (at the inputs for ReLU, where the
   kernel has its kink; geometric away from the origin).  On every panel, for
   every input x_j, K(x_j, y) is evaluated once at the n Gauss-Legendre nodes
   and bounded by M_j on a Bernstein ellipse E_rho (the complex box around
   it, in 2 x 2 pieces, holomorphy checked; ReLU continued from the panel's
   side of each kink).  A tuple t then costs only products: its rule on the
   panel is sum_nodes w prod_i K(x_{t_i}, node), with error at most
   (64/15) (h/2) prod_i M_{t_i} rho^{-2n} / (rho^2 - 1) -- the integrand of
   the tuple is the product of the inputs' kernels, so its bound is the
   product of their bounds.  A panel is bisected while some input's ellipse
   bound exceeds 4x its largest value on the panel's nodes (plus a floor), so
   the error stays small against the integrand's own size; tuples whose
   result is still too wide are recomputed by neft_integrate_vint. */

#include <math.h>
#include <stdio.h>
#include "internal.h"
#include "../cost.h"

#define NRHO 6
static const double rhos[NRHO] = {8.0, 5.0, 3.5, 2.5, 1.9, 1.5};

typedef struct
{
    arb_t a, b;          /* exact ends */
    slong n;             /* nodes */
    arb_ptr K;           /* (ninputs + 1) x n kernel values (last: K(y,y)) */
    arb_ptr w;           /* n weights times h/2 */
    mag_struct * M;      /* (ninputs + 1) bounds on the ellipse */
    double rho;
}
panel_struct;

/* The kernel of input j (j == ninputs: the diagonal K(y,y)) at y. */
static void
kern(acb_t res, const neft_kernel_t k, arb_srcptr x, slong nin, slong j, const acb_t y,
     int side, int an, slong prec)
{
    if (j == nin)
        neft_kernel_diag_acb(res, k, y, an, prec);
    else
    {
        acb_t xc;
        acb_init(xc);
        acb_set_arb(xc, x + j);
        if (side)
            _neft_kernel_relu1_acb(res, k, xc, y, side, an, prec);
        else
            neft_kernel_eval_acb(res, k, xc, y, an, prec);
        acb_clear(xc);
    }
}

/* Bound of |K_j| on the complex box around E_rho of [a, b], as the max over
   2 x 2 pieces; infinite when holomorphy is not certified. */
static void
ellipse_bound(mag_t M, const neft_kernel_t k, arb_srcptr x, slong nin, slong j,
              const arb_t a, const arb_t b, double rho, int side, slong prec)
{
    arb_t c, h, t;
    acb_t y, f;
    mag_t e;
    slong p;
    arb_init(c); arb_init(h); arb_init(t);
    acb_init(y); acb_init(f);
    mag_init(e);
    arb_add(c, a, b, prec);
    arb_mul_2exp_si(c, c, -1);
    arb_sub(h, b, a, prec);
    arb_mul_2exp_si(h, h, -1);
    mag_zero(M);
    for (p = 0; p < 4; p++)
    {
        double sa = (rho + 1 / rho) / 2, sb = (rho - 1 / rho) / 2;
        /* real piece: centre c + h sa (+-1/2), radius h sa / 2 */
        arb_set_d(t, sa * ((p & 1) ? 0.5 : -0.5));
        arb_mul(acb_realref(y), t, h, prec);
        arb_add(acb_realref(y), acb_realref(y), c, prec);
        arb_set_d(t, sa / 2);
        arb_mul(t, t, h, prec);
        arb_add_error(acb_realref(y), t);
        arb_set_d(t, sb * ((p & 2) ? 0.5 : -0.5));
        arb_mul(acb_imagref(y), t, h, prec);
        arb_set_d(t, sb / 2);
        arb_mul(t, t, h, prec);
        arb_add_error(acb_imagref(y), t);
        kern(f, k, x, nin, j, y, side, 1, prec);
        if (!acb_is_finite(f))
        {
            mag_inf(M);
            break;
        }
        acb_get_mag(e, f);
        mag_max(M, M, e);
    }
    arb_clear(c); arb_clear(h); arb_clear(t);
    acb_clear(y); acb_clear(f);
    mag_clear(e);
}

static slong
binom_count(slong k, slong n)
{
    /* C(k + n - 1, n) */
    slong r = 1, i;
    for (i = 1; i <= n; i++)
        r = r * (k + n - i) / i;
    return r;
}

int
neft_integrate_tuples1(arb_ptr res, const neft_kernel_t k, arb_srcptr x, slong nin,
                       slong npts, slong loops, const arf_t L, const neft_integrate_opt_t opt,
                       slong prec)
{
    return _neft_integrate_panels(res, NULL, binom_count(nin, npts), k, x, nin, npts, loops,
                                  L, opt, prec);
}

double
neft_integrate_tuples1_cost(const neft_kernel_t k, slong nin, slong npts, slong loops,
                            const arf_t L, slong prec)
{
    double ntup = 1, nodes, Lf = 1, A = _neft_cost_arb(prec);
    slong i;
    for (i = 1; i <= npts; i++)
        ntup = ntup * (double) (nin + i - 1) / (double) i;
    if (k->d != 1 || arf_is_pos_inf(L) || k->type == NEFT_KERNEL_GAUSS
        || (k->type == NEFT_KERNEL_RELU && arb_is_zero(k->sb2)) || nin > 64)
        return ntup * neft_integrate_vint_cost(1, npts, loops, k, L, prec);
    if (arf_cmpabs_2exp_si(L, 0) > 0)
        Lf = arf_get_d(L, ARF_RND_UP);
    /* Gauss-Legendre nodes over all panels (measured: a few hundred per unit
       of log L at 64 bits, more panels at the ReLU kinks), every input's
       kernel at each (and its ellipse bounds), then per tuple a product per
       node */
    nodes = (500 * (1 + log2(Lf) / 2) + (k->type == NEFT_KERNEL_RELU ? 16.0 * (double) nin : 0))
          * pow((double) FLINT_MAX(prec, 32) / 64, 1.3);
    return 2 * (double) (nin + 1) * nodes * (4 * _neft_cost_exp(prec) + 20 * A)
         + ntup * nodes * (double) (npts + loops + 1) * A;
}

/* The tuples given (ntup x npts indices), or all sorted ones (tuples NULL). */
int
_neft_integrate_panels(arb_ptr res, const slong * tuples, slong ntup, const neft_kernel_t k,
                       arb_srcptr x, slong nin, slong npts, slong loops, const arf_t L,
                       const neft_integrate_opt_t opt, slong prec)
{
    slong goal, t, i, j, np = 0, alloc = 64, pi;
    slong * idx;
    int status = NEFT_INTEGRATE_SUCCESS, onesided;
    panel_struct * P;
    arb_ptr cuts;
    slong ncuts = 0;
    char err[256];

    idx = flint_calloc(npts + 1, sizeof(slong));
    /* closed forms (GaussNet, ReLU sigma_b = 0), L = inf, d > 1, and more
       than 64 inputs (the panel bounds below are sized for 64: beyond, no
       panel would ever qualify and the bisection would not end): one by one */
    if (k->d != 1 || arf_is_pos_inf(L) || k->type == NEFT_KERNEL_GAUSS
        || (k->type == NEFT_KERNEL_RELU && arb_is_zero(k->sb2)) || nin > 64)
    {
        for (t = 0; t < ntup; t++)
        {
            neft_vint_t v;
            int s;
            if (tuples != NULL)
                for (i = 0; i < npts; i++)
                    idx[i] = tuples[t * npts + i];
            neft_vint_init(v, 1, 1);
            for (i = 0; i < npts; i++)
                neft_vint_add_leg(v, 0, x + idx[i]);
            for (i = 0; i < loops; i++)
                neft_vint_add_link(v, 0, 0);
            neft_vint_canonicalise(v);
            s = neft_integrate_vint(res + t, v, k, L, opt, prec, err, sizeof err);
            if (s > status)
                status = s;
            neft_vint_clear(v);
            _neft_next_tuple(idx, npts, nin);
        }
        flint_free(idx);
        return status;
    }
    goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec;
    onesided = (k->type == NEFT_KERNEL_RELU);

    /* cuts: ReLU kinks; the origin; geometric grading 2^-2 .. L */
    cuts = _arb_vec_init(nin + 200);
    {
        arb_t Lb, s;
        arb_init(Lb);
        arb_init(s);
        arb_set_arf(Lb, L);
        arb_neg(cuts + ncuts++, Lb);
        arb_set(cuts + ncuts++, Lb);
        arb_zero(cuts + ncuts++);
        for (arb_set_d(s, 0.25); arf_cmp(arb_midref(s), L) < 0 && ncuts < nin + 190; arb_mul_2exp_si(s, s, 1))
        {
            arb_set(cuts + ncuts++, s);
            arb_neg(cuts + ncuts++, s);
        }
        if (onesided)
            for (i = 0; i < nin; i++)
                arb_set(cuts + ncuts++, x + i);
        /* sort, unique, inside [-L, L] */
        for (i = 1; i < ncuts; i++)
            for (j = i; j > 0 && arf_cmp(arb_midref(cuts + j - 1), arb_midref(cuts + j)) > 0; j--)
                arb_swap(cuts + j - 1, cuts + j);
        arb_clear(Lb);
        arb_clear(s);
    }
    P = flint_malloc(alloc * sizeof(panel_struct));
    {
        /* work list of intervals */
        slong wn = 0, walloc = 256;
        arb_ptr wa = _arb_vec_init(walloc), wb = _arb_vec_init(walloc);
        for (i = 0; i + 1 < ncuts; i++)
        {
            if (arf_cmpabs(arb_midref(cuts + i), L) > 0 || arf_cmpabs(arb_midref(cuts + i + 1), L) > 0)
                continue;
            if (arf_cmp(arb_midref(cuts + i), arb_midref(cuts + i + 1)) >= 0)
                continue;
            arb_set(wa + wn, cuts + i);
            arb_set(wb + wn, cuts + i + 1);
            wn++;
        }
        while (wn > 0)
        {
            arb_t a, b, m;
            double rho = 0;
            slong r, n = 0;
            mag_struct * M = _mag_vec_init(nin + 1);
            mag_t e;
            int ok = 0;
            arb_init(a); arb_init(b); arb_init(m);
            mag_init(e);
            wn--;
            arb_swap(a, wa + wn);
            arb_swap(b, wb + wn);
            arb_add(m, a, b, prec + 64);
            arb_mul_2exp_si(m, m, -1);
            /* for each rho: R = max_j M_j(rho) / S_j, S_j = max |K_j| at the
               ends and the midpoint; n from
               (64/15) R^{npts+loops} rho^{-2n} / (rho^2 - 1) <= 2^{-goal-4};
               the rho with the fewest nodes */
            {
                double S[64 + 1], bestn = 1e30;
                slong bestr = -1;
                mag_struct * Mr = _mag_vec_init((nin + 1) * NRHO);
                for (j = 0; j <= nin && j <= 64; j++)
                {
                    acb_t f, yy;
                    int side = 0, e3;
                    S[j] = 0;
                    if (j == nin && loops == 0)
                        continue;
                    if (onesided && j < nin)
                        side = arb_ge(a, x + j) ? 1 : -1;
                    acb_init(f); acb_init(yy);
                    for (e3 = 0; e3 < 3; e3++)
                    {
                        acb_set_arb(yy, e3 == 0 ? a : (e3 == 1 ? m : b));
                        kern(f, k, x, nin, j, yy, side, 0, prec);
                        S[j] = FLINT_MAX(S[j], fabs(arf_get_d(arb_midref(acb_realref(f)), ARF_RND_NEAR)));
                    }
                    acb_clear(f); acb_clear(yy);
                }
                for (r = 0; r < NRHO && nin <= 64; r++)
                {
                    double R = 1, lhs, nn;
                    int fin = 1;
                    for (j = 0; j <= nin && fin; j++)
                    {
                        double Mj;
                        int side = 0;
                        if (j == nin && loops == 0)
                            continue;
                        if (onesided && j < nin)
                            side = arb_ge(a, x + j) ? 1 : -1;
                        ellipse_bound(Mr + r * (nin + 1) + j, k, x, nin, j, a, b, rhos[r], side, prec);
                        if (mag_is_inf(Mr + r * (nin + 1) + j))
                            fin = 0;
                        else
                        {
                            Mj = mag_get_d(Mr + r * (nin + 1) + j);
                            R = FLINT_MAX(R, Mj / FLINT_MAX(S[j], 1e-6 * Mj + 1e-300));
                        }
                    }
                    if (!fin)
                        continue;
                    lhs = log2(64.0 / 15) + (npts + loops) * log2(R) - log2(rhos[r] * rhos[r] - 1) + goal + 4;
                    nn = ceil(lhs / (2 * log2(rhos[r])));
                    if (nn < bestn)
                    {
                        bestn = nn;
                        bestr = r;
                    }
                }
                if (bestr >= 0 && bestn <= 64)
                {
                    ok = 1;
                    rho = rhos[bestr];
                    n = FLINT_MAX(4, (slong) bestn);
                    for (j = 0; j <= nin; j++)
                        mag_set(M + j, Mr + bestr * (nin + 1) + j);
                }
                _mag_vec_clear(Mr, (nin + 1) * NRHO);
            }
            if (!ok)
            {
                if (walloc < wn + 2)
                {
                    slong q;
                    arb_ptr na = _arb_vec_init(2 * walloc), nb = _arb_vec_init(2 * walloc);
                    for (q = 0; q < wn; q++)
                    {
                        arb_swap(na + q, wa + q);
                        arb_swap(nb + q, wb + q);
                    }
                    _arb_vec_clear(wa, walloc);
                    _arb_vec_clear(wb, walloc);
                    wa = na;
                    wb = nb;
                    walloc *= 2;
                }
                arb_set(wa + wn, a);
                arb_set(wb + wn, m);
                wn++;
                arb_set(wa + wn, m);
                arb_set(wb + wn, b);
                wn++;
                _mag_vec_clear(M, nin + 1);
            }
            else
            {
                panel_struct * p;
                arb_t h, node, wt;
                slong q;
                if (np == alloc)
                {
                    alloc *= 2;
                    P = flint_realloc(P, alloc * sizeof(panel_struct));
                }
                p = P + np++;
                arb_init(p->a); arb_init(p->b);
                arb_set(p->a, a);
                arb_set(p->b, b);
                p->n = n;
                p->rho = rho;
                p->M = M;
                p->K = _arb_vec_init((nin + 1) * n);
                p->w = _arb_vec_init(n);
                arb_init(h); arb_init(node); arb_init(wt);
                arb_sub(h, b, a, prec);
                arb_mul_2exp_si(h, h, -1);
                for (q = 0; q < n; q++)
                {
                    acb_t y, f;
                    acb_init(y); acb_init(f);
                    arb_hypgeom_legendre_p_ui_root(node, wt, n, q, prec + 16);
                    arb_mul(p->w + q, wt, h, prec);
                    arb_mul(node, node, h, prec);
                    arb_add(node, node, m, prec);
                    acb_set_arb(y, node);
                    for (j = 0; j <= nin; j++)
                    {
                        int side = 0;
                        if (j == nin && loops == 0)
                            continue;
                        if (onesided && j < nin)
                            side = arb_ge(a, x + j) ? 1 : -1;
                        kern(f, k, x, nin, j, y, side, 0, prec);
                        arb_set(p->K + j * n + q, acb_realref(f));
                    }
                    acb_clear(y); acb_clear(f);
                }
                arb_clear(h); arb_clear(node); arb_clear(wt);
            }
            arb_clear(a); arb_clear(b); arb_clear(m);
            mag_clear(e);
        }
        _arb_vec_clear(wa, walloc);
        _arb_vec_clear(wb, walloc);
    }

    /* every tuple: products of shared values */
    {
        arb_t prod, sum, Mt, c;
        arb_init(prod); arb_init(sum); arb_init(Mt); arb_init(c);
        for (t = 0; t < ntup; t++)
        {
            if (tuples != NULL)
                for (i = 0; i < npts; i++)
                    idx[i] = tuples[t * npts + i];
            arb_zero(res + t);
            for (pi = 0; pi < np; pi++)
            {
                panel_struct * p = P + pi;
                slong q, n = p->n;
                mag_t bound, mm;
                mag_init(bound);
                mag_init(mm);
                arb_zero(sum);
                for (q = 0; q < n; q++)
                {
                    arb_set(prod, p->w + q);
                    for (i = 0; i < npts; i++)
                        arb_mul(prod, prod, p->K + idx[i] * n + q, prec);
                    for (i = 0; i < loops; i++)
                        arb_mul(prod, prod, p->K + nin * n + q, prec);
                    arb_add(sum, sum, prod, prec);
                }
                /* (64/15) (h/2)... : h/2 is in the weights' scale; bound
                   (64/15) h/2 prod M rho^{-2n}/(rho^2 - 1) */
                mag_one(bound);
                for (i = 0; i < npts; i++)
                    mag_mul(bound, bound, p->M + idx[i]);
                for (i = 0; i < loops; i++)
                    mag_mul(bound, bound, p->M + nin);
                arb_sub(c, p->b, p->a, prec);
                arb_mul_2exp_si(c, c, -1);
                arb_mul_ui(c, c, 64, prec);
                arb_div_ui(c, c, 15, prec);
                arb_set_d(Mt, p->rho);
                arb_pow_ui(Mt, Mt, 2 * n, prec);
                arb_div(c, c, Mt, prec);
                arb_set_d(Mt, p->rho * p->rho - 1);
                arb_div(c, c, Mt, prec);
                arb_get_mag(mm, c);
                mag_mul(bound, bound, mm);
                arb_add_error_mag(sum, bound);
                arb_add(res + t, res + t, sum, prec);
                mag_clear(bound);
                mag_clear(mm);
            }
            /* too wide (cancellation): acb_calc_integrate on this one */
            if (!arb_is_finite(res + t) || arb_rel_accuracy_bits(res + t) < goal - 24)
            {
                neft_vint_t v;
                int s;
                neft_vint_init(v, 1, 1);
                for (i = 0; i < npts; i++)
                    neft_vint_add_leg(v, 0, x + idx[i]);
                for (i = 0; i < loops; i++)
                    neft_vint_add_link(v, 0, 0);
                neft_vint_canonicalise(v);
                s = _neft_integrate_quad(sum, v, k, L, opt, prec);
                if (s > status)
                    status = s;
                if (arb_is_finite(sum) && (!arb_is_finite(res + t)
                    || mag_cmp(arb_radref(sum), arb_radref(res + t)) < 0))
                    arb_set(res + t, sum);
                neft_vint_clear(v);
            }
            _neft_next_tuple(idx, npts, nin);
        }
        arb_clear(prod); arb_clear(sum); arb_clear(Mt); arb_clear(c);
    }
    if (opt->verbose)
        flint_printf("tuples: %wd panels\n", np);
    for (pi = 0; pi < np; pi++)
    {
        arb_clear(P[pi].a);
        arb_clear(P[pi].b);
        _arb_vec_clear(P[pi].K, (nin + 1) * P[pi].n);
        _arb_vec_clear(P[pi].w, P[pi].n);
        _mag_vec_clear(P[pi].M, nin + 1);
    }
    flint_free(P);
    _arb_vec_clear(cuts, nin + 200);
    flint_free(idx);
    return status;
}

int
_neft_integrate_panels1(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L,
                        const neft_integrate_opt_t opt, slong prec)
{
    /* the distinct leg points as inputs, the legs as one tuple */
    arb_ptr x = _arb_vec_init(v->nlegs + 1);
    slong * tup = flint_malloc((v->nlegs + 1) * sizeof(slong)), nin = 0, i;
    int s;
    for (i = 0; i < v->nlegs; i++)
    {
        if (nin == 0 || !arb_equal(x + nin - 1, v->point + i))
            arb_set(x + nin++, v->point + i);
        tup[i] = nin - 1;
    }
    s = _neft_integrate_panels(res, tup, 1, k, x, nin, v->nlegs, v->A[0], L, opt, prec);
    _arb_vec_clear(x, v->nlegs + 1);
    flint_free(tup);
    return s;
}
