/* Choosing a method for one vertex integral, and the integral of a whole
   term as the product over its connected components. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "../cost.h"

void
neft_integrate_opt_init(neft_integrate_opt_t opt)
{
    opt->eval_limit = 0;
    opt->goal = 0;
    opt->verbose = 0;
}

static int
relu_bias_free(const neft_kernel_t k)
{
    return k->type == NEFT_KERNEL_RELU && arb_is_zero(k->sb2);
}

int
neft_integrate_supported(slong m, const neft_kernel_t k, const arf_t L, char * err,
                         size_t errsize)
{
    if (m == 0)
        return 1;
    if (m > NEFT_INTEGRATE_MAX_VERTICES)
    {
        snprintf(err, errsize, "cannot integrate a connected piece with %ld internal vertices",
                 (long) m);
        return 0;
    }
    if (k->type == NEFT_KERNEL_GAUSS && m == 1)
    {
        if (arf_is_pos_inf(L) && !k->subtract_bias && !arb_is_zero(k->sb2))
        {
            snprintf(err, errsize, "the integral over the whole space diverges (the propagator "
                     "tends to sigma_b^2 != 0; use a finite cutoff or --subtract-bias)");
            return 0;
        }
        return 1;
    }
    if (arf_is_pos_inf(L))
    {
        snprintf(err, errsize, "--cutoff inf is supported only for GaussNet one-vertex "
                 "integrals with a decaying propagator (sigma_b = 0 or bias subtracted)");
        return 0;
    }
    if (relu_bias_free(k) && k->d == 1)
        return 1;
    if ((m == 1 && k->d <= 3) || (m == 2 && k->d == 1))
        return 1;
    snprintf(err, errsize, "cannot integrate a connected piece with %ld internal vertices "
             "in d_in = %ld (supported: one vertex for d_in <= 3, two vertices for "
             "d_in = 1, any number for ReLU with sigma_b = 0 in d_in = 1)",
             (long) m, (long) k->d);
    return 0;
}

double
neft_integrate_vint_cost(slong m, slong nlegs, slong nlinks, const neft_kernel_t k,
                         const arf_t L, slong prec)
{
    char err[8];
    double A = _neft_cost_arb(prec), d = (double) k->d, f = (double) (nlegs + nlinks + 1);
    double P = (double) FLINT_MAX(prec, 32), Lf = 1, Lg, kernel, evals;

    if (m == 0 || !neft_integrate_supported(m, k, L, err, sizeof(err)))
        return 0;
    if (k->type == NEFT_KERNEL_GAUSS && m == 1)
        /* 2^legs Gaussians (a binomial sum per group of equal points) times
           the self-loop polynomial, each an erf per coordinate */
        return ldexp((double) (nlinks + 1), (int) FLINT_MIN(nlegs, 1000))
             * (d * (_neft_cost_erf(prec) + 2 * _neft_cost_exp(prec)) + (f + 4) * 4 * A);
    if (k->type == NEFT_KERNEL_RELU && arb_is_zero(k->sb2) && k->d == 1)
        /* polynomials on the 2^m orthants */
        return ldexp(1.0, (int) m) * (f + 2) * (f + 2) * A;
    if (arf_cmpabs_2exp_si(L, 0) > 0)
        Lf = arf_get_d(L, ARF_RND_UP);
    Lg = 1 + log2(Lf) / 2;
    /* The adaptive methods: evaluations of the integrand (f factors, each a
       kernel value on complex balls: sqrt and atan2 or asin for ReLU and erf,
       exp for GaussNet), their number fitted to the running times of typical
       integrals (points of size 1; docs/integrate.md) and rounded up:
       1-D panel Gauss-Legendre 2 prec (1 + (prec/600)^2) (1 + log2(L)/2);
       ReLU with sigma_b = 0 in d_in = 2 four of those; 2-D boxes or nested integrals 4.6 prec^2
       L^1.2 (erf, one vertex; twice that for two), 0.2 prec^2 L^2 (GaussNet,
       two vertices), 108 prec^2 L^0.7 (ReLU with sigma_b > 0); 3-D
       3.6 prec^3 f L^2 (19 prec^3 f L^2 for ReLU). */
    kernel = k->type == NEFT_KERNEL_GAUSS ? _neft_cost_exp(prec) + 10 * A
           : 4 * _neft_cost_exp(prec) + 20 * A;
    if (m == 1 && k->d == 1)
        evals = 2 * P * (1 + P * P / 360000) * Lg;
    else if (m == 1 && k->d == 2 && k->type == NEFT_KERNEL_RELU && arb_is_zero(k->sb2))
        evals = 4 * 2 * P * (1 + P * P / 360000) * Lg;
    else if (m * k->d == 2)
        evals = k->type == NEFT_KERNEL_RELU ? 108 * P * P * pow(Lf, 0.7)
              : k->type == NEFT_KERNEL_GAUSS ? 0.2 * P * P * Lf * Lf
              : (m == 1 ? 4.6 : 9.2) * P * P * pow(Lf, 1.2);
    else
        evals = (k->type == NEFT_KERNEL_RELU ? 19 : 3.6) * P * P * P * f * Lf * Lf;
    return evals * f * kernel;
}

int
neft_integrate_term_supported(const neft_diagram_t dg, const neft_kernel_t k, const arf_t L,
                              char * err, size_t errsize)
{
    slong comp[NEFT_DIAGRAM_MAX_VERTICES], r, c, i;
    r = neft_diagram_components(comp, dg);
    for (c = 0; c < r; c++)
    {
        slong mc = 0;
        for (i = dg->n; i < dg->n + dg->m; i++)
            mc += (comp[i] == c);
        if (!neft_integrate_supported(mc, k, L, err, errsize))
            return 0;
    }
    return 1;
}

static int _vint(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L,
                 const neft_integrate_opt_t opt, slong prec, char * err, size_t errsize);

int
neft_integrate_vint(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                    const arf_t L, const neft_integrate_opt_t opt, slong prec,
                    char * err, size_t errsize)
{
    int s = neft_interrupted() ? NEFT_INTEGRATE_INTERRUPTED
          : _vint(res, v, k, L, opt, prec, err, errsize);

    if (neft_interrupted() && s != NEFT_INTEGRATE_UNSUPPORTED)
        s = NEFT_INTEGRATE_INTERRUPTED;
    if (s == NEFT_INTEGRATE_INTERRUPTED)
    {
        snprintf(err, errsize, "interrupted");
        arb_indeterminate(res);
    }
    return s;
}

static int
_vint(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L,
      const neft_integrate_opt_t opt, slong prec, char * err, size_t errsize)
{
    slong i;

    if (v->d != k->d)
    {
        snprintf(err, errsize, "points have %ld coordinates, the kernel d_in = %ld",
                 (long) v->d, (long) k->d);
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    if (k->type == NEFT_KERNEL_GAUSS && v->m == 1)
        return _neft_integrate_gauss1(res, v, k, L, prec, err, errsize);

    if (relu_bias_free(k))
    {
        /* K(0, y) = 0 identically when sigma_b = 0 */
        for (i = 0; i < v->nlegs; i++)
            if (_arb_vec_is_zero(v->point + i * v->d, v->d))
            {
                arb_zero(res);
                return NEFT_INTEGRATE_SUCCESS;
            }
    }
    if (arf_is_pos_inf(L))
    {
        snprintf(err, errsize, "--cutoff inf is supported only for GaussNet one-vertex "
                       "integrals with a decaying propagator (sigma_b = 0 or bias subtracted)");
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    if (relu_bias_free(k) && v->d == 1 && v->m <= NEFT_INTEGRATE_MAX_VERTICES)
        return _neft_integrate_relu0(res, v, k, L, prec);

    if (v->m == 1 && v->d == 1)
        return _neft_integrate_panels1(res, v, k, L, opt, prec);
    if (v->m == 1 && v->d == 2 && relu_bias_free(k))
        return _neft_integrate_relu_polar(res, v, k, L, opt, prec);
    if (v->m == 1 && v->d <= 3)
        return _neft_integrate_boxes(res, v, k, L, opt, prec);
    if (v->m == 2 && v->d == 1)
    {
        if (k->type == NEFT_KERNEL_RELU)
            return _neft_integrate_relu_pair(res, v, k, L, opt, prec);
        return _neft_integrate_boxes(res, v, k, L, opt, prec);
    }
    snprintf(err, errsize, "cannot integrate a connected piece with %ld internal vertices "
             "in d_in = %ld (supported: one vertex for d_in <= 3, two vertices for "
             "d_in = 1, any number for ReLU with sigma_b = 0 in d_in = 1)", (long) v->m, (long) v->d);
    arb_indeterminate(res);
    return NEFT_INTEGRATE_UNSUPPORTED;
}

int
neft_integrate_term(arb_t res, const neft_diagram_t dg, arb_srcptr pts,
                    const neft_kernel_t k, const arf_t L,
                    neft_integrate_cache_t cache, const neft_integrate_opt_t opt,
                    slong prec, char * err, size_t errsize)
{
    slong n = dg->n, m = dg->m, N = n + m, r, c, i, d = k->d;
    slong comp[NEFT_DIAGRAM_MAX_VERTICES], local[NEFT_DIAGRAM_MAX_VERTICES];
    int status = NEFT_INTEGRATE_SUCCESS, s;
    arb_t t;

    arb_init(t);
    arb_one(res);
    if (cache != NULL)
        neft_integrate_cache_bind(cache, k, L, opt, prec);
    r = neft_diagram_components(comp, dg);
    for (c = 0; c < r && neft_status_has_value(status); c++)
    {
        slong mc = 0;
        for (i = n; i < N; i++)
            if (comp[i] == c)
                local[i] = mc++;
        if (mc == 0)
        {
            /* a bare propagator between two external points */
            for (i = 0; i < dg->nedges; i++)
            {
                slong u = dg->edges[2 * i], w = dg->edges[2 * i + 1];
                if (comp[u] == c)
                {
                    arb_ptr xr = _arb_vec_init(2 * d);
                    _arb_vec_set(xr, pts + u * d, d);
                    _arb_vec_set(xr + d, pts + w * d, d);
                    neft_kernel_eval_arb(t, k, xr, xr + d, prec);
                    _arb_vec_clear(xr, 2 * d);
                    arb_mul(res, res, t, prec);
                }
            }
            continue;
        }
        if (mc > NEFT_INTEGRATE_MAX_VERTICES)
        {
            snprintf(err, errsize, "cannot integrate a connected piece with %ld internal "
                     "vertices", (long) mc);
            status = NEFT_INTEGRATE_UNSUPPORTED;
            break;
        }
        {
            neft_vint_t v;
            slong hit = -1;
            neft_vint_init(v, d, mc);
            for (i = 0; i < dg->nedges; i++)
            {
                slong u = dg->edges[2 * i], w = dg->edges[2 * i + 1];
                if (comp[w] != c)
                    continue;
                if (u < n)
                    neft_vint_add_leg(v, local[w], pts + u * d);
                else
                    neft_vint_add_link(v, local[u], local[w]);
            }
            neft_vint_canonicalise(v);
            if (cache != NULL)
                hit = neft_integrate_cache_find(cache, v);
            if (hit >= 0)
            {
                arb_set(t, cache->values + hit);
                s = cache->status[hit];
            }
            else
            {
                s = neft_integrate_vint(t, v, k, L, opt, prec, err, errsize);
                if (cache != NULL && neft_status_has_value(s))
                    neft_integrate_cache_add(cache, v, t, s);
            }
            neft_vint_clear(v);
            status = neft_status_worst(status, s);
            arb_mul(res, res, t, prec);
        }
    }
    if (!neft_status_has_value(status))
        arb_indeterminate(res);
    arb_clear(t);
    return status;
}
