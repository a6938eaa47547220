/* Evaluating an expansion: integrals (cached) times exact coefficients
   times coupling values. */

#include <stdio.h>
#include "neft/eval.h"
#include "neft/interrupt.h"
#include "neft/tuple.h"
#include "../cost.h"

void
neft_eval_ctx_init(neft_eval_ctx_t ctx, slong ncouplings)
{
    neft_kernel_init(ctx->kernel);
    arf_init(ctx->cutoff);
    arf_one(ctx->cutoff);
    ctx->ncouplings = ncouplings;
    ctx->g = _arb_vec_init(FLINT_MAX(ncouplings, 1));
    ctx->prec = 64;
    neft_integrate_opt_init(ctx->opt);
    neft_integrate_cache_init(ctx->cache);
    ctx->threads = 0;
    ctx->skip_zero = 0;
}

void
neft_eval_ctx_clear(neft_eval_ctx_t ctx)
{
    neft_kernel_clear(ctx->kernel);
    arf_clear(ctx->cutoff);
    _arb_vec_clear(ctx->g, FLINT_MAX(ctx->ncouplings, 1));
    neft_integrate_cache_clear(ctx->cache);
}

void
neft_eval_result_init(neft_eval_result_t r)
{
    r->length = 0;
    arb_init(r->value);
    r->integral = NULL;
    r->term = NULL;
    r->status = NEFT_INTEGRATE_SUCCESS;
}

void
neft_eval_result_clear(neft_eval_result_t r)
{
    arb_clear(r->value);
    if (r->length)
    {
        _arb_vec_clear(r->integral, r->length);
        _arb_vec_clear(r->term, r->length);
    }
}

int
neft_eval_term_vanishes(const neft_eval_ctx_t ctx, const neft_expansion_t ex, slong i)
{
    const neft_diagram_struct * d = ex->terms + i;
    slong e[NEFT_THEORY_COUPLINGS_MAX], c;
    if (!ctx->skip_zero)
        return 0;
    if (fmpq_is_zero(d->coeff))
        return 1;
    neft_diagram_powers(e, d, ex->theory->length);
    for (c = 0; c < ex->theory->length; c++)
        if (e[c] > 0 && arb_is_zero(ctx->g + c))
            return 1;
    return 0;
}

int
neft_eval_supported(const neft_expansion_t ex, const neft_eval_ctx_t ctx, char * err,
                    size_t errsize)
{
    char why[512];
    slong i;
    for (i = 0; i < ex->length; i++)
        if (!neft_eval_term_vanishes(ctx, ex, i)
            && !neft_integrate_term_supported_th(ex->terms + i, ex->theory, ctx->kernel,
                                                 ctx->cutoff, why, sizeof(why)))
        {
            snprintf(err, errsize, "term %ld: %s", (long) (i + 1), why);
            return 0;
        }
    return 1;
}

int
neft_eval(neft_eval_result_t r, const neft_expansion_t ex, arb_srcptr pts,
          neft_eval_ctx_t ctx, char * err, size_t errsize)
{
    slong i, c, prec = ctx->prec;
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    char why[512];
    arb_t t;
    int s;

    if (r->length != ex->length)
    {
        neft_eval_result_clear(r);
        neft_eval_result_init(r);
        r->length = ex->length;
        if (r->length)
        {
            r->integral = _arb_vec_init(r->length);
            r->term = _arb_vec_init(r->length);
        }
    }
    /* refuse before computing anything */
    if (!neft_eval_supported(ex, ctx, err, errsize))
    {
        arb_indeterminate(r->value);
        r->status = NEFT_INTEGRATE_UNSUPPORTED;
        return r->status;
    }
    arb_init(t);
    arb_zero(r->value);
    r->status = NEFT_INTEGRATE_SUCCESS;
    for (i = 0; i < ex->length; i++)
    {
        const neft_diagram_struct * d = ex->terms + i;
        if (neft_eval_term_vanishes(ctx, ex, i))
        {
            /* an exact 0 (a coupling or the coefficient), not integrated */
            arb_indeterminate(r->integral + i);
            arb_zero(r->term + i);
            continue;
        }
        s = neft_interrupted() ? NEFT_INTEGRATE_INTERRUPTED
          : neft_integrate_term_th(r->integral + i, d, ex->theory, pts, ctx->kernel, ctx->cutoff,
                                ctx->cache, ctx->opt, prec, why, sizeof(why));
        if (!neft_status_has_value(s))
        {
            if (s == NEFT_INTEGRATE_INTERRUPTED)
                snprintf(err, errsize, "interrupted at term %ld", (long) (i + 1));
            else
                snprintf(err, errsize, "term %ld: %s", (long) (i + 1), why);
            arb_indeterminate(r->value);
            r->status = s;
            arb_clear(t);
            return s;
        }
        r->status = neft_status_worst(r->status, s);
        arb_set_fmpq(t, d->coeff, prec);
        neft_diagram_powers(e, d, ex->theory->length);
        for (c = 0; c < ex->theory->length; c++)
            if (e[c])
            {
                arb_t p;
                arb_init(p);
                arb_pow_ui(p, ctx->g + c, e[c], prec);
                arb_mul(t, t, p, prec);
                arb_clear(p);
            }
        arb_mul(r->term + i, t, r->integral + i, prec);
        arb_add(r->value, r->value, r->term + i, prec);
    }
    arb_clear(t);
    return r->status;
}

int
neft_eval_next_tuple(slong * idx, slong n, slong count)
{
    return neft_tuple_next(idx, n, count);
}

/* The shapes (legs, self-loops) of the one-vertex components of ex's terms
   that do not vanish (neft_eval_term_vanishes; at most 64) into shapes;
   returns their number. */
static slong
_prefill_shapes(slong shapes[64][2], const neft_expansion_t ex, const neft_eval_ctx_t ctx)
{
    slong i, c, nshapes = 0;
    for (i = 0; i < ex->length; i++)
    {
        const neft_diagram_struct * d = ex->terms + i;
        slong comp[NEFT_DIAGRAM_MAX_VERTICES], r;
        if (neft_eval_term_vanishes(ctx, ex, i))
            continue;
        r = neft_diagram_propagator_components(comp, d);
        for (c = 0; c < r; c++)
        {
            slong m = 0, legs = 0, loops = 0, e, v = -1, j;
            for (j = d->n; j < d->n + d->m; j++)
                if (comp[j] == c)
                    m++, v = j;
            if (m != 1)
                continue;
            for (e = 0; e < d->nedges; e++)
                if (d->edges[2 * e + 1] == v)
                {
                    if (d->edges[2 * e] == v)
                        loops++;
                    else
                        legs++;
                }
            for (j = 0; j < nshapes; j++)
                if (shapes[j][0] == legs && shapes[j][1] == loops)
                    break;
            if (j == nshapes && nshapes < 64 && legs > 0)
            {
                shapes[nshapes][0] = legs;
                shapes[nshapes][1] = loops;
                nshapes++;
            }
        }
    }
    return nshapes;
}

/* 1 when ctx's cache holds every tuple of the shape (legs, loops) */
static int
_prefill_cached(neft_eval_ctx_t ctx, arb_srcptr inputs, slong ninputs, slong legs, slong loops)
{
    slong * idx = flint_calloc(legs + 1, sizeof(slong));
    int all = 1;
    do
    {
        neft_vint_t v;
        neft_vint_init_tuple(v, ctx->kernel->d, inputs, idx, legs, loops);
        all = neft_integrate_cache_find(ctx->cache, v) >= 0;
        neft_vint_clear(v);
    }
    while (all && neft_tuple_next(idx, legs, ninputs));
    flint_free(idx);
    return all;
}

int
neft_eval_prefill(neft_eval_ctx_t ctx, const neft_expansion_t ex, arb_srcptr inputs,
                  slong ninputs)
{
    const neft_kernel_struct * k = ctx->kernel;
    slong i, shapes[64][2], nshapes = 0, s;
    int status = NEFT_INTEGRATE_SUCCESS, mt;

    /* only where the shared-panel method applies: d_in = 1, one vertex,
       a numerical kernel (not a closed form), finite cutoff; and d_in = 2, 3
       with the patch method, the tuples on all processors
       (neft_integrate_tuples) */
    {
        neft_integrate_plan_t plan;
        if (neft_integrate_plan(plan, 1, 0, 0, k, ctx->cutoff, ctx->prec)
                != NEFT_INTEGRATE_SUCCESS || (plan->method != NEFT_INTEGRATE_METHOD_PANELS
                                              && plan->method != NEFT_INTEGRATE_METHOD_PATCHES))
            return status;
        mt = plan->method == NEFT_INTEGRATE_METHOD_PATCHES;
    }
    neft_integrate_cache_bind(ctx->cache, ctx->kernel, ctx->cutoff, ctx->opt, ctx->prec);
    nshapes = _prefill_shapes(shapes, ex, ctx);
    for (s = 0; s < nshapes; s++)
    {
        slong legs = shapes[s][0], loops = shapes[s][1], ntup = 1, t, * idx;
        arb_ptr res;
        int st;
        for (i = 1; i <= legs; i++)
            ntup = ntup * (ninputs + legs - i) / i;
        if (_prefill_cached(ctx, inputs, ninputs, legs, loops))
            continue;       /* (neft_eval_prefill_cutoffs had them) */
        int * sts = flint_calloc(ntup, sizeof(int));
        res = _arb_vec_init(ntup);
        if (mt)
            st = neft_integrate_tuples(res, sts, k, inputs, ninputs, legs, loops, ctx->cutoff,
                                       ctx->opt, ctx->prec, ctx->threads);
        else
            st = neft_integrate_tuples1(res, k, inputs, ninputs, legs, loops, ctx->cutoff,
                                        ctx->opt, ctx->prec);
        status = neft_status_worst(status, st);
        if (st == NEFT_INTEGRATE_INTERRUPTED)
        {
            _arb_vec_clear(res, ntup);
            flint_free(sts);
            break;
        }
        idx = flint_calloc(legs + 1, sizeof(slong));
        for (t = 0; t < ntup; t++)
        {
            neft_vint_t v;
            neft_vint_init_tuple(v, k->d, inputs, idx, legs, loops);
            if (neft_integrate_cache_find(ctx->cache, v) < 0 && (!mt || neft_status_has_value(sts[t])))
                neft_integrate_cache_add(ctx->cache, v, res + t, mt ? sts[t]
                                          : arb_is_finite(res + t) ? NEFT_INTEGRATE_SUCCESS
                                                                   : NEFT_INTEGRATE_NO_CONVERGENCE);
            neft_vint_clear(v);
            neft_tuple_next(idx, legs, ninputs);
        }
        flint_free(idx);
        flint_free(sts);
        _arb_vec_clear(res, ntup);
    }
    return status;
}

/* 1 where neft_eval_prefill_cutoffs shares work between the cutoffs: d_in = 1
   the shared-panel method at every cutoff; d_in >= 2 the patch or the polar
   method at every cutoff (neft_integrate_tuples_cutoffs: shells, or
   homogeneity) */
static int
_prefill_cutoffs_apply(const neft_kernel_struct * k, arf_srcptr L, slong ncut)
{
    slong c;
    for (c = 0; c < ncut; c++)
    {
        neft_integrate_plan_t plan;
        if (neft_integrate_plan(plan, 1, 0, 0, k, L + c, 64) != NEFT_INTEGRATE_SUCCESS)
            return 0;
        if (k->d == 1 ? plan->method != NEFT_INTEGRATE_METHOD_PANELS
                      : plan->method != NEFT_INTEGRATE_METHOD_PATCHES
                        && plan->method != NEFT_INTEGRATE_METHOD_POLAR)
            return 0;
    }
    return ncut > 0;
}

/* 1 when ctx's cache holds (bound or set aside) every tuple of the shape
   (legs, loops) at every cutoff */
static int
_prefill_cutoffs_held(neft_eval_ctx_t ctx, arb_srcptr inputs, slong ninputs, slong legs,
                      slong loops, arf_srcptr L, slong ncut)
{
    slong * idx = flint_calloc(legs + 1, sizeof(slong)), c;
    int all = 1;
    do
    {
        neft_vint_t v;
        neft_vint_init_tuple(v, ctx->kernel->d, inputs, idx, legs, loops);
        for (c = 0; c < ncut && all; c++)
            all = neft_integrate_cache_has(ctx->cache, ctx->kernel, L + c, ctx->opt, ctx->prec,
                                           v);
        neft_vint_clear(v);
    }
    while (all && neft_tuple_next(idx, legs, ninputs));
    flint_free(idx);
    return all;
}

/* d_in >= 2: every shape's tuples at every cutoff by
   neft_integrate_tuples_cutoffs on ctx->threads threads, set aside in the
   cache (values only: a tuple whose status has none is left to the fit) */
static int
_prefill_cutoffs_nd(neft_eval_ctx_t ctx, slong shapes[][2], slong nshapes, arb_srcptr inputs,
                    slong ninputs, arf_srcptr L, slong ncut)
{
    slong s, c;
    int status = NEFT_INTEGRATE_SUCCESS;
    for (s = 0; s < nshapes; s++)
    {
        slong legs = shapes[s][0], loops = shapes[s][1], ntup = neft_tuple_count(ninputs, legs);
        slong * idx, t;
        arb_ptr res;
        int * sts, st;
        if (_prefill_cutoffs_held(ctx, inputs, ninputs, legs, loops, L, ncut))
            continue;       /* (an earlier call had this shape) */
        res = _arb_vec_init(ntup * ncut);
        sts = flint_calloc(ntup * ncut, sizeof(int));
        st = neft_integrate_tuples_cutoffs(res, sts, ctx->kernel, inputs, ninputs, legs,
                                               loops, L, ncut, ctx->opt, ctx->prec,
                                               ctx->threads);
        status = neft_status_worst(status, st);
        idx = flint_calloc(legs + 1, sizeof(slong));
        for (t = 0; t < ntup && st != NEFT_INTEGRATE_INTERRUPTED; t++)
        {
            neft_vint_t v;
            neft_vint_init_tuple(v, ctx->kernel->d, inputs, idx, legs, loops);
            for (c = 0; c < ncut; c++)
                if (neft_status_has_value(sts[c * ntup + t]))
                    neft_integrate_cache_stash(ctx->cache, ctx->kernel, L + c, ctx->opt,
                                               ctx->prec, v, res + c * ntup + t,
                                               sts[c * ntup + t]);
            neft_vint_clear(v);
            neft_tuple_next(idx, legs, ninputs);
        }
        flint_free(idx);
        flint_free(sts);
        _arb_vec_clear(res, ntup * ncut);
        if (st == NEFT_INTEGRATE_INTERRUPTED)
            break;
    }
    return status;
}

int
neft_eval_prefill_cutoffs(neft_eval_ctx_t ctx, const neft_expansion_t ex, arb_srcptr inputs,
                          slong ninputs, arf_srcptr L, slong ncut)
{
    const neft_kernel_struct * k = ctx->kernel;
    slong c, shapes[64][2], nshapes, s;
    int status = NEFT_INTEGRATE_SUCCESS;

    if (!_prefill_cutoffs_apply(k, L, ncut))
        return status;
    nshapes = _prefill_shapes(shapes, ex, ctx);
    if (k->d >= 2)
        return _prefill_cutoffs_nd(ctx, shapes, nshapes, inputs, ninputs, L, ncut);
    for (s = 0; s < nshapes; s++)
    {
        slong legs = shapes[s][0], loops = shapes[s][1], ntup = neft_tuple_count(ninputs, legs);
        slong * idx, t;
        arb_ptr res = _arb_vec_init(ntup * ncut);
        int st = neft_integrate_tuples1_cutoffs(res, k, inputs, ninputs, legs, loops, L, ncut,
                                                ctx->opt, ctx->prec);
        status = neft_status_worst(status, st);
        if (st == NEFT_INTEGRATE_INTERRUPTED)
        {
            _arb_vec_clear(res, ntup * ncut);
            break;
        }
        idx = flint_calloc(legs + 1, sizeof(slong));
        for (t = 0; t < ntup; t++)
        {
            neft_vint_t v;
            neft_vint_init_tuple1(v, inputs, idx, legs, loops);
            for (c = 0; c < ncut; c++)
            {
                arb_srcptr r = res + c * ntup + t;
                neft_integrate_cache_stash(ctx->cache, ctx->kernel, L + c, ctx->opt, ctx->prec,
                                           v, r, arb_is_finite(r) ? NEFT_INTEGRATE_SUCCESS
                                                                  : NEFT_INTEGRATE_NO_CONVERGENCE);
            }
            neft_vint_clear(v);
            neft_tuple_next(idx, legs, ninputs);
        }
        flint_free(idx);
        _arb_vec_clear(res, ntup * ncut);
    }
    return status;
}

double
neft_eval_prefill_cutoffs_cost(const neft_eval_ctx_t ctx, const neft_expansion_t ex,
                               const neft_expansion_struct * before, slong ninputs,
                               arf_srcptr L, slong ncut)
{
    slong shapes[64][2], nshapes, had[64][2], nhad = 0, s, j;
    double ops = 0;
    if (ctx->kernel->d < 2 || !_prefill_cutoffs_apply(ctx->kernel, L, ncut))
        return -1;
    nshapes = _prefill_shapes(shapes, ex, ctx);
    if (before != NULL)
        nhad = _prefill_shapes(had, before, ctx);
    for (s = 0; s < nshapes; s++)
    {
        for (j = 0; j < nhad; j++)
            if (had[j][0] == shapes[s][0] && had[j][1] == shapes[s][1])
                break;
        if (j == nhad)
            ops += neft_integrate_tuples_cutoffs_cost(ctx->kernel, ninputs, shapes[s][0],
                                                      shapes[s][1], L, ncut, ctx->prec);
    }
    return ops;
}

void
neft_eval_cost(double * ops, double * bytes, const neft_expansion_t ex,
               const neft_eval_ctx_t ctx, slong ninputs, double ntuples, int prefilled)
{
    slong shapes[64][2], nshapes = 0;
    const neft_kernel_struct * k = ctx->kernel;
    double A = _neft_cost_arb(ctx->prec), kernel = 4 * _neft_cost_exp(ctx->prec) + 20 * A;
    double ball = sizeof(arb_struct) + 2.0 * (double) ctx->prec / 8, integrals = 0;
    slong i, c, j, e;

    *ops = 0;
    for (i = 0; i < ex->length; i++)
    {
        const neft_diagram_struct * dg = ex->terms + i;
        slong comp[NEFT_DIAGRAM_MAX_VERTICES], r;
        if (neft_eval_term_vanishes(ctx, ex, i))
            continue;       /* (an exact 0, not integrated) */
        r = neft_diagram_propagator_components(comp, dg);
        for (c = 0; c < r; c++)
        {
            slong m = 0, legs = 0, links = 0, bare = 0;
            slong vlegs[NEFT_DIAGRAM_MAX_VERTICES] = {0};
            double distinct = 1, count;
            for (j = dg->n; j < dg->n + dg->m; j++)
                m += (comp[j] == c);
            for (e = 0; e < dg->nedges; e++)
            {
                slong u = dg->edges[2 * e], w = dg->edges[2 * e + 1];
                if (comp[w] != c)
                    continue;
                if (u < dg->n && w < dg->n)
                    bare++;
                else if (u < dg->n)
                {
                    legs++;
                    vlegs[w]++;
                }
                else
                    links++;
            }
            /* a bare propagator: one kernel value per tuple */
            *ops += (double) bare * ntuples * (kernel + 4 * A * (double) k->d);
            if (m == 0)
                continue;
            for (j = dg->n; j < dg->n + dg->m; j++)
                if (comp[j] == c)
                    distinct *= neft_tuple_count_d(ninputs, vlegs[j]);
            count = FLINT_MIN(ntuples, distinct);
            integrals += count * (1 + (double) legs * (double) k->d);
            /* the cache lookup: canonical form and hash */
            *ops += ntuples * (double) (legs + links + 2) * 10 * A;
            if (prefilled == 2 && m == 1 && legs > 0)
                continue;       /* (neft_eval_prefill_cutoffs_cost) */
            if (prefilled && m == 1 && legs > 0)
            {
                /* as neft_eval_prefill: one panel run per shape (legs, loops) */
                for (j = 0; j < nshapes; j++)
                    if (shapes[j][0] == legs && shapes[j][1] == links)
                        break;
                if (j < nshapes)
                    continue;
                if (nshapes < 64)
                {
                    shapes[nshapes][0] = legs;
                    shapes[nshapes][1] = links;
                    nshapes++;
                    *ops += neft_integrate_tuples1_cost(k, ninputs, legs, links, ctx->cutoff,
                                                        ctx->prec);
                    continue;
                }
            }
            *ops += count * neft_integrate_vint_cost(m, legs, links, k, ctx->cutoff, ctx->prec);
        }
        /* coefficient, coupling powers, product and sum */
        *ops += ntuples * 40 * A;
    }
    /* the cache (a key of leg points and a value per integral), the results,
       the output of every tuple */
    *bytes = integrals * (ball + 200) + (double) ex->length * 2 * ball
           + ntuples * (200 + 200 * (double) ex->length);
}
