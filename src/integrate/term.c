/* Choosing a method for one vertex integral, and the integral of a whole
   term as the product over its connected components. */

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "kern1.h"
#include "patches.h"
#include "threevtx.h"
#include "../cost.h"

void
neft_integrate_opt_init(neft_integrate_opt_t opt)
{
    opt->eval_limit = 0;
    opt->goal = 0;
    opt->verbose = 0;
}

/* The rows with an engine of their own (per row, by name: any other row
   takes the generic methods or is refused). */
static int
is_row(const neft_kernel_t k, const char * name)
{
    return k->act == neft_act_lookup(name);
}

static int
refuse(neft_integrate_plan_t plan, const char * fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(plan->why, sizeof(plan->why), fmt, ap);
    va_end(ap);
    plan->method = NEFT_INTEGRATE_METHOD_REFUSED;
    plan->name = "refused";
    plan->cost = 0;
    return NEFT_INTEGRATE_UNSUPPORTED;
}

static void
set_method(neft_integrate_plan_t plan, int method, const char * name)
{
    plan->method = method;
    plan->name = name;
}

/* The method (plan->method, plan->name) or the refusal. */
static int
choose(neft_integrate_plan_t plan, slong m, const neft_kernel_t k, const arf_t L)
{
    const char * kn = k->act->name;
    slong d = k->d;
    int orthants = k->act->kernel->orthant != NULL && arb_is_zero(k->sb2);

    plan->why[0] = '\0';
    if (m == 0)
    {
        set_method(plan, NEFT_INTEGRATE_METHOD_NONE, "no vertex");
        return NEFT_INTEGRATE_SUCCESS;
    }
    if (m > NEFT_INTEGRATE_MAX_VERTICES)
        return refuse(plan, "cannot integrate a connected piece with %ld internal vertices",
                      (long) m);
    if (is_row(k, "gauss") && m == 1)
    {
        if (arf_is_pos_inf(L) && !k->subtract_bias && !arb_is_zero(k->sb2))
            return refuse(plan, "the integral over the whole space diverges (the propagator "
                          "tends to sigma_b^2 != 0; use a finite cutoff or --subtract-bias)");
        set_method(plan, NEFT_INTEGRATE_METHOD_GAUSSIAN, "closed form (Gaussians)");
        return NEFT_INTEGRATE_SUCCESS;
    }
    if (is_row(k, "gauss") && arf_is_pos_inf(L) && (k->subtract_bias || arb_is_zero(k->sb2)))
    {
        /* gauss_inf.c */
        set_method(plan, NEFT_INTEGRATE_METHOD_GAUSSIAN, "closed form (Gaussian over R^m)");
        return NEFT_INTEGRATE_SUCCESS;
    }
    if (arf_is_pos_inf(L))
        return refuse(plan, "--cutoff inf is supported only for GaussNet "
                      "integrals with a decaying propagator (sigma_b = 0 or bias subtracted)");
    if (orthants && d == 1)
        set_method(plan, NEFT_INTEGRATE_METHOD_ORTHANTS, "closed form (orthants)");
    else if (m == 1 && d == 1)
    {
        /* the rows with double-interval kernels (kern1.c) */
        if (_neft_k1_engine(k) != 0)
            set_method(plan, NEFT_INTEGRATE_METHOD_PANELS, "panel Gauss-Legendre");
        else
            set_method(plan, NEFT_INTEGRATE_METHOD_QUAD, "acb_calc_integrate");
    }
    else if (m == 1 && d == 2 && orthants && is_row(k, "relu"))
        set_method(plan, NEFT_INTEGRATE_METHOD_POLAR, "homogeneity (polar)");
    else if (m == 1 && d == 2 && orthants && neft_kernel_has_kink(k))
        return refuse(plan, "cannot integrate the %s kernel with sigma_b = 0 in d_in = 2 "
                      "(not analytic along the line through 0 and each point; the polar "
                      "method is relu's only)", kn);
    else if (m == 1 && d <= 3 && (is_row(k, "erf") || is_row(k, "relu")))
        set_method(plan, NEFT_INTEGRATE_METHOD_PATCHES, "patches");
    else if (m == 1 && d <= 3)
        set_method(plan, NEFT_INTEGRATE_METHOD_BOXES, "boxes");
    /* GaussNet, two vertices, any d_in: the 1-D factors of twovtx2_gauss.c
       (in d_in = 1 the boxes where they cost less: choose_by_cost) */
    else if (m == 2 && is_row(k, "gauss"))
        set_method(plan, NEFT_INTEGRATE_METHOD_GAUSS2, "1-D factors (GaussNet)");
    else if (m == 2 && d == 1)
    {
        if (neft_kernel_has_kink(k))
            set_method(plan, NEFT_INTEGRATE_METHOD_KINK_PAIR, "kink pair");
        else
            set_method(plan, NEFT_INTEGRATE_METHOD_BOXES, "boxes");
    }
    /* two vertices in d_in >= 2 (twovtx2_*.c) */
    else if (m == 2 && d == 2 && orthants && is_row(k, "relu"))
        set_method(plan, NEFT_INTEGRATE_METHOD_ANGLES2, "homogeneity (two angles)");
    else if (m == 2 && d == 2 && is_row(k, "relu") && arb_is_positive(k->sb2))
        /* SECTOR4 (twovtx2_sector.c): its work depends on the legs' points
           (legs inside the square add cuts), which the plan does not see:
           neft_integrate_vint estimates it from them and refuses what is
           over its budget (docs/integrate.md) */
        set_method(plan, NEFT_INTEGRATE_METHOD_SECTOR4, "sector decomposition (Cartesian planes)");
    else if (m == 2 && d == 2 && is_row(k, "erf"))
    {
        /* POLAR4 converges (within its 4e8 node values, ~100 s of CPU)
           only while the kernel's scale 1/sigma_w is not much below the
           cutoff: measured sigma_w L = 1.58 in 14 s, 2.24 in 35 s, 2.5 in
           37-41 s (the lambda^2 bubble), and no
           convergence at sigma_w L = 4 and 10 (sigma_w = 1, 4e8 node values
           in ~100 s, stop 32): refused above 2.5 (docs/integrate.md); the
           far-field split (twovtx2_erffar*.c, internal) is not fast enough
           yet either (its both-far piece alone: 57, 85, 134 s at L = 5, 7,
           10, goal 20; stops 35, 37) */
        arb_t swl;
        arf_t up;
        int far;
        arb_init(swl);
        arf_init(up);
        arb_set_arf(swl, L);
        arb_sqr(swl, swl, 64);
        arb_mul(swl, swl, k->sw2, 64);
        arb_get_abs_ubound_arf(up, swl, 64);
        far = arf_cmp_si(L, 2) > 0 && arf_cmp_d(up, 6.25) > 0;
        arb_clear(swl);
        arf_clear(up);
        if (far)
            return refuse(plan, "cannot integrate two vertices in d_in = 2 with the erf kernel "
                          "at sigma_w L > 2.5: its method (POLAR4, square-polar boxes) does "
                          "not converge there yet (sigma_w = 1, L = 4 and 10: no convergence "
                          "within 4e8 node values), and the far-field split's both-far piece "
                          "alone takes 57, 85, 134 s of CPU at L = 5, 7, 10 for 4e-7 "
                          "(docs/integrate.md, Stop 37)");
        if (arf_cmp_si(L, 2) <= 0)
            set_method(plan, NEFT_INTEGRATE_METHOD_BOXES4, "4-D boxes (erf)");
        else
            set_method(plan, NEFT_INTEGRATE_METHOD_POLAR4, "square-polar boxes (erf)");
    }
    else if (m == 3 && d == 1)     /* every row: threevtx.c */
        set_method(plan, NEFT_INTEGRATE_METHOD_THREEVTX, "three vertices (pieces)");
    else
        return refuse(plan, "cannot integrate a connected piece with %ld internal vertices "
                      "in d_in = %ld with the %s kernel (supported: one vertex for d_in <= 3, "
                      "two and three vertices for d_in = 1, two for gauss in any d_in, for "
                      "relu and erf in d_in = 2, any number "
                      "for relu, leaky-relu and linear with sigma_b = 0 in d_in = 1)",
                      (long) m, (long) d, kn);
    return NEFT_INTEGRATE_SUCCESS;
}

/* The cost of the chosen method (docs/library.md, docs/integrate.md). */
static double
plan_cost(const neft_integrate_plan_t plan, slong m, slong nlegs, slong nlinks,
          const neft_kernel_t k, const arf_t L, slong prec)
{
    double A = _neft_cost_arb(prec), d = (double) k->d, f = (double) (nlegs + nlinks + 1);
    double P = (double) FLINT_MAX(prec, 32), Lf = 1, Lg, kernel, evals;
    int kink = neft_kernel_has_kink(k), gauss = is_row(k, "gauss");

    switch (plan->method)
    {
        case NEFT_INTEGRATE_METHOD_GAUSSIAN:
            /* 2^legs Gaussians (a binomial sum per group of equal points) times
               the self-loop polynomial, each an erf per coordinate */
            return ldexp((double) (nlinks + 1), (int) FLINT_MIN(nlegs, 1000))
                 * (d * (_neft_cost_erf(prec) + 2 * _neft_cost_exp(prec)) + (f + 4) * 4 * A);
        case NEFT_INTEGRATE_METHOD_ORTHANTS:
            /* polynomials on the 2^m orthants */
            return ldexp(1.0, (int) m) * (f + 2) * (f + 2) * A;
        case NEFT_INTEGRATE_METHOD_GAUSS2:
        case NEFT_INTEGRATE_METHOD_ANGLES2:
        case NEFT_INTEGRATE_METHOD_BOXES4:
        case NEFT_INTEGRATE_METHOD_POLAR4:
        case NEFT_INTEGRATE_METHOD_SECTOR4:
            return _neft_integrate_twovtx2_cost(plan->method, nlegs, nlinks, k, L, prec);
        case NEFT_INTEGRATE_METHOD_NONE:
        case NEFT_INTEGRATE_METHOD_REFUSED:
            return 0;
        default:
            break;
    }
    if (arf_cmpabs_2exp_si(L, 0) > 0)
        Lf = arf_get_d(L, ARF_RND_UP);
    Lg = 1 + log2(Lf) / 2;
    /* The adaptive methods: evaluations of the integrand (f factors, each a
       kernel value on complex balls: sqrt and atan2 or asin for ReLU and erf,
       exp for GaussNet), their number fitted to the running times of typical
       integrals (points of size 1; docs/integrate.md) and rounded up:
       1-D panel Gauss-Legendre 2 prec (1 + (prec/600)^2) (1 + log2(L)/2)
       (acb_calc_integrate for the other rows: counted 4 times that, not
       measured); ReLU with sigma_b = 0 in d_in = 2 four of those; 2-D boxes
       or nested integrals 4.6 prec^2 L^1.2 (erf, one vertex; twice that for
       two), 0.25 prec^2 L min(L, 10) (GaussNet, two vertices in d_in = 1:
       measured 0.003, 0.016, 0.18, 0.62, 2.1 s of CPU at L = 1, 3, 10, 30,
       100, sigma_w = 1, sigma_b^2 = 0.25, 4 legs, one link; beyond the
       Gaussian's reach the boxes grow like L), 108 prec^2 L^0.7 (ReLU
       with sigma_b > 0); 3-D 3.6 prec^3 f L^2 (19 prec^3 f L^2 for ReLU). */
    kernel = gauss ? _neft_cost_exp(prec) + 10 * A : 4 * _neft_cost_exp(prec) + 20 * A;
    if (plan->method == NEFT_INTEGRATE_METHOD_PANELS)
        evals = 2 * P * (1 + P * P / 360000) * Lg;
    else if (plan->method == NEFT_INTEGRATE_METHOD_QUAD)
        evals = 4 * 2 * P * (1 + P * P / 360000) * Lg;
    else if (plan->method == NEFT_INTEGRATE_METHOD_POLAR)
        evals = 4 * 2 * P * (1 + P * P / 360000) * Lg;
    else if (plan->method == NEFT_INTEGRATE_METHOD_PATCHES)
        evals = _neft_integrate_patches_evals(k, Lf, P);
    else if (plan->method == NEFT_INTEGRATE_METHOD_THREEVTX)
        evals = _neft_threevtx_evals(k, nlegs, nlinks, Lf, P);
    else if (m * k->d == 2)
        evals = kink ? 108 * P * P * pow(Lf, 0.7)
              : gauss ? 0.25 * P * P * Lf * FLINT_MIN(Lf, 10)
              : (m == 1 ? 4.6 : 9.2) * P * P * pow(Lf, 1.2);
    else
        evals = (kink ? 19 : 3.6) * P * P * P * f * Lf * Lf;
    return evals * f * kernel;
}

/* choose(), then between methods that both apply the cheaper by plan_cost:
   GaussNet's two vertices in d_in = 1 by the boxes where they cost less
   than the 1-D factors (small cutoffs: at L = 1, 3 the boxes take 0.003,
   0.016 s of CPU against 0.019, 0.062 s, at L = 10 0.18 s against 0.06 s;
   t-twovtx2's check_gauss_d1). */
static int
choose_by_cost(neft_integrate_plan_t plan, slong m, slong nlegs, slong nlinks,
               const neft_kernel_t k, const arf_t L, slong prec)
{
    int s = choose(plan, m, k, L);
    if (s == NEFT_INTEGRATE_SUCCESS && plan->method == NEFT_INTEGRATE_METHOD_GAUSS2
        && k->d == 1)
    {
        neft_integrate_plan_t boxes;
        set_method(boxes, NEFT_INTEGRATE_METHOD_BOXES, "boxes");
        if (plan_cost(boxes, m, nlegs, nlinks, k, L, prec)
                < plan_cost(plan, m, nlegs, nlinks, k, L, prec))
            set_method(plan, NEFT_INTEGRATE_METHOD_BOXES, "boxes");
    }
    return s;
}

int
neft_integrate_plan(neft_integrate_plan_t plan, slong m, slong nlegs, slong nlinks,
                    const neft_kernel_t k, const arf_t L, slong prec)
{
    int s = choose_by_cost(plan, m, nlegs, nlinks, k, L, prec);
    plan->cost = s == NEFT_INTEGRATE_SUCCESS ? plan_cost(plan, m, nlegs, nlinks, k, L, prec) : 0;
    return s;
}

int
_neft_integrate_panels_apply(const neft_kernel_t k, const arf_t L)
{
    neft_integrate_plan_t plan;
    return choose(plan, 1, k, L) == NEFT_INTEGRATE_SUCCESS
        && plan->method == NEFT_INTEGRATE_METHOD_PANELS;
}

int
neft_integrate_supported(slong m, const neft_kernel_t k, const arf_t L, char * err,
                         size_t errsize)
{
    neft_integrate_plan_t plan;
    if (choose(plan, m, k, L) == NEFT_INTEGRATE_SUCCESS)
        return 1;
    snprintf(err, errsize, "%s", plan->why);
    return 0;
}

double
neft_integrate_vint_cost(slong m, slong nlegs, slong nlinks, const neft_kernel_t k,
                         const arf_t L, slong prec)
{
    neft_integrate_plan_t plan;
    neft_integrate_plan(plan, m, nlegs, nlinks, k, L, prec);
    return plan->cost;
}

int
neft_integrate_term_supported(const neft_diagram_t dg, const neft_kernel_t k, const arf_t L,
                              char * err, size_t errsize)
{
    return neft_integrate_term_supported_th(dg, NULL, k, L, err, errsize);
}

int
neft_integrate_term_supported_th(const neft_diagram_t dg, const neft_theory_t th,
                                 const neft_kernel_t k, const arf_t L,
                                 char * err, size_t errsize)
{
    slong comp[NEFT_DIAGRAM_MAX_VERTICES], r, c, i;
    r = neft_diagram_propagator_components(comp, dg);
    for (c = 0; c < r; c++)
    {
        slong mc = 0, weighted = 0;
        for (i = dg->n; i < dg->n + dg->m; i++)
            if (comp[i] == c)
            {
                mc++;
                weighted |= th != NULL && th->couplings[dg->type[i - dg->n]].position > 0;
            }
        if (weighted)
        {
            if (!_neft_integrate_weighted_supported(mc, k, L, err, errsize))
                return 0;
        }
        else if (!neft_integrate_supported(mc, k, L, err, errsize))
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
    neft_integrate_plan_t plan;
    slong i;

    if (v->d != k->d)
    {
        snprintf(err, errsize, "points have %ld coordinates, the kernel d_in = %ld",
                 (long) v->d, (long) k->d);
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    /* position weights: src/integrate/weighted.c */
    for (i = 0; i < v->m; i++)
        if (v->wpow[i] != 0)
            return _neft_integrate_weighted(res, v, k, L, opt, prec, err, errsize);
    /* (GaussNet's closed form explains its own refusals) */
    if (is_row(k, "gauss") && v->m == 1)
        return _neft_integrate_gauss1(res, v, k, L, prec, err, errsize);
    if (is_row(k, "gauss") && arf_is_pos_inf(L) && (k->subtract_bias || arb_is_zero(k->sb2)))
        return _neft_integrate_gauss_inf(res, v, k, prec, err, errsize);
    if (neft_kernel_has_kink(k) && arb_is_zero(k->sb2))
    {
        /* K(0, y) = 0 identically when sigma_b = 0 */
        for (i = 0; i < v->nlegs; i++)
            if (_arb_vec_is_zero(v->point + i * v->d, v->d))
            {
                arb_zero(res);
                return NEFT_INTEGRATE_SUCCESS;
            }
    }
    {
        slong nlinks = 0, a, b;
        for (a = 0; a < v->m; a++)
            for (b = a; b < v->m; b++)
                nlinks += v->A[a * NEFT_INTEGRATE_MAX_VERTICES + b];
        choose_by_cost(plan, v->m, v->nlegs, nlinks, k, L, prec);
    }
    switch (plan->method)
    {
        case NEFT_INTEGRATE_METHOD_ORTHANTS:
            return _neft_integrate_relu0(res, v, k, L, prec);
        case NEFT_INTEGRATE_METHOD_PANELS:
            return _neft_integrate_panels1(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_QUAD:
            return _neft_integrate_quad(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_POLAR:
            return _neft_integrate_relu_polar(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_PATCHES:
            if (_neft_integrate_patches_apply(v, k, L))
                return _neft_integrate_patches(res, v, k, L, opt, prec);
            return _neft_integrate_boxes(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_BOXES:
            return _neft_integrate_boxes(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_KINK_PAIR:
            return _neft_integrate_relu_pair(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_GAUSS2:
            return _neft_integrate_twovtx2_gauss(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_ANGLES2:
            return _neft_integrate_twovtx2_relu0(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_BOXES4:
            return _neft_integrate_twovtx2_erf(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_POLAR4:
            return _neft_integrate_twovtx2_erfpolar(res, v, k, L, opt, prec);
        case NEFT_INTEGRATE_METHOD_SECTOR4:
            return _neft_integrate_twovtx2_sector_vint(res, v, k, L, opt, prec, err, errsize);
        case NEFT_INTEGRATE_METHOD_THREEVTX:
            return _neft_integrate_threevtx(res, v, k, L, _neft_threevtx_kind(k), opt, prec);
        default:
            snprintf(err, errsize, "%s", plan->method == NEFT_INTEGRATE_METHOD_NONE
                     ? "no internal vertex to integrate" : plan->why);
            arb_indeterminate(res);
            return NEFT_INTEGRATE_UNSUPPORTED;
    }
}

int
neft_integrate_term(arb_t res, const neft_diagram_t dg, arb_srcptr pts,
                    const neft_kernel_t k, const arf_t L,
                    neft_integrate_cache_t cache, const neft_integrate_opt_t opt,
                    slong prec, char * err, size_t errsize)
{
    return neft_integrate_term_th(res, dg, NULL, pts, k, L, cache, opt, prec, err, errsize);
}

int
neft_integrate_term_th(arb_t res, const neft_diagram_t dg, const neft_theory_t th,
                       arb_srcptr pts, const neft_kernel_t k, const arf_t L,
                       neft_integrate_cache_t cache, const neft_integrate_opt_t opt,
                       slong prec, char * err, size_t errsize)
{
    slong comp[NEFT_DIAGRAM_MAX_VERTICES], r, c, mc;
    int status = NEFT_INTEGRATE_SUCCESS, s;
    arb_t t;

    arb_init(t);
    arb_one(res);
    if (cache != NULL)
        neft_integrate_cache_bind(cache, k, L, opt, prec);
    r = neft_diagram_propagator_components(comp, dg);
    for (c = 0; c < r && neft_status_has_value(status); c++)
    {
        neft_vint_t v;
        slong hit = -1;
        mc = _neft_integrate_component(v, t, dg, th, comp, c, pts, k, prec);
        if (mc == 0)
        {
            arb_mul(res, res, t, prec);
            continue;
        }
        if (mc > NEFT_INTEGRATE_MAX_VERTICES)
        {
            snprintf(err, errsize, "cannot integrate a connected piece with %ld internal "
                     "vertices", (long) mc);
            status = NEFT_INTEGRATE_UNSUPPORTED;
            break;
        }
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
    if (!neft_status_has_value(status))
        arb_indeterminate(res);
    arb_clear(t);
    return status;
}
