/* Evaluating an expansion: integrals (cached) times exact coefficients
   times coupling values. */

#include <stdio.h>
#include "neft/eval.h"

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
    arb_init(t);
    arb_zero(r->value);
    r->status = NEFT_INTEGRATE_SUCCESS;
    for (i = 0; i < ex->length; i++)
    {
        const neft_diagram_struct * d = ex->terms + i;
        s = neft_integrate_term(r->integral + i, d, pts, ctx->kernel, ctx->cutoff,
                                ctx->cache, ctx->opt, prec, why, sizeof(why));
        if (s == NEFT_INTEGRATE_UNSUPPORTED)
        {
            snprintf(err, errsize, "term %ld: %s", (long) (i + 1), why);
            arb_indeterminate(r->value);
            r->status = s;
            arb_clear(t);
            return s;
        }
        if (s > r->status)
            r->status = s;
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
    slong i, j;
    for (i = n - 1; i >= 0; i--)
        if (idx[i] + 1 < count)
        {
            idx[i]++;
            for (j = i + 1; j < n; j++)
                idx[j] = idx[i];
            return 1;
        }
    return 0;
}
