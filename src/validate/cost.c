/* The cost estimate of the whole experiment (docs/library.md, "Costs"). */

#include "neft/tuple.h"
#include "validate-internal.h"

void
neft_validate_cost(double * ops, double * bytes, double * sample_ops,
                   const neft_validate_spec_t spec)
{
    slong d = spec->net->d_in, np = spec->npoints, W = spec->nwidths, C = spec->ncutoffs, w, c, i;
    double o, b, T4 = neft_tuple_count_d(np, 4), T6 = neft_tuple_count_d(np, 6), kept = 0,
           peak = 0;
    char err[256];
    neft_theory_t th;
    neft_expansion_t ex4, ex6, ex6p;
    neft_expand_opt_t eopt;
    neft_eval_ctx_t ctx;
    arb_ptr pts;

    *ops = *bytes = *sample_ops = 0;
    if (!neft_net_has(spec->net, NEFT_ACT_CAP_GP_KERNEL, NULL) || np < 1 || d < 1
        || d > NEFT_VALIDATE_MAX_D_IN || W < 1 || C < 1 || spec->models < 100)
        return;
    pts = _arb_vec_init(np * d);
    for (i = 0; i < np * d; i++)
        arb_set_d(pts + i, spec->points[i]);
    for (w = 0; w < W; w++)
    {
        _neft_validate_sample_cost(&o, &b, spec, w);
        *ops += o;
        *sample_ops += o;
        peak = FLINT_MAX(peak, b);
        _neft_validate_exact_cost(&o, &b, spec, pts, spec->widths[w]);
        *ops += o;
        peak = FLINT_MAX(peak, b);
        /* the results kept: sampled and exact correlators of 2, 4, 6 points */
        kept += (neft_tuple_count_d(np, 2) + T4 + T6)
              * (sizeof(neft_sample_corr_struct) + sizeof(neft_exact_corr_struct)
                 + 2.0 * (double) spec->prec / 8);
    }
    /* the fits and the prediction at every cutoff */
    neft_theory_init(th);
    neft_expansion_init(ex4);
    neft_expansion_init(ex6);
    neft_expansion_init(ex6p);
    neft_eval_ctx_init(ctx, 2);
    ctx->prec = spec->prec;
    neft_expand_opt_init(eopt);
    if (_neft_validate_kernel(ctx->kernel, spec, err, sizeof(err)) == NEFT_SUCCESS
        && neft_theory_read_string(th, neft_theory_default_text, "<built-in>", err, sizeof(err))
           == 0
        && neft_expand(ex4, th, 4, 1, NEFT_PRUNE_CONNECTED, eopt, err, sizeof(err))
           == NEFT_EXPAND_SUCCESS
        && neft_expand(ex6, th, 6, 1, th->prune, eopt, err, sizeof(err)) == NEFT_EXPAND_SUCCESS)
    {
        /* d_in >= 2: the one-vertex integrals of every cutoff at once, nested
           (_neft_validate_prefill: neft_eval_prefill_cutoffs) */
        double pre4 = -1, pre6 = -1;
        neft_eft_expansion_truncate(ex6p, ex6, 1);
        if (d >= 2)
        {
            arf_struct * L = flint_malloc(C * sizeof(arf_struct));
            for (c = 0; c < C; c++)
            {
                arf_init(L + c);
                arf_set_d(L + c, spec->cutoffs[c]);
            }
            pre4 = neft_eval_prefill_cutoffs_cost(ctx, ex4, NULL, np, L, C);
            pre6 = neft_eval_prefill_cutoffs_cost(ctx, _neft_validate_order2_supported(
                                                          th, ctx, L + C - 1) ? ex6 : ex6p,
                                                  ex4, np, L, C);
            *ops += FLINT_MAX(pre4, 0) + FLINT_MAX(pre6, 0);
            for (c = 0; c < C; c++)
                arf_clear(L + c);
            flint_free(L);
        }
        for (c = 0; c < C; c++)
        {
            /* the one-vertex integrals of all tuples are prefilled for
               every cutoff at once (_neft_validate_prefill): d_in = 1
               counted per cutoff, an upper bound of the nested computation;
               d_in >= 2 above, where it shares work; the prediction at kappa = 0
               leaves kappa's vertex out (ex6p, as neft_validate_start) */
            arf_set_d(ctx->cutoff, spec->cutoffs[c]);
            neft_eval_cost(&o, &b, ex4, ctx, np, T4, pre4 >= 0 ? 2 : 1);
            *ops += 2 * o;
            peak = FLINT_MAX(peak, b);
            neft_eval_cost(&o, &b, ex6p, ctx, np, T6, pre6 >= 0 ? 2 : 1);
            *ops += o;
            peak = FLINT_MAX(peak, b);
            *ops += _neft_validate_order2_cost(th, ctx, np, T6);   /* (src/validate/order2.c) */
        }
    }
    *bytes = peak + kept;
    neft_eval_ctx_clear(ctx);
    neft_expansion_clear(ex4);
    neft_expansion_clear(ex6);
    neft_expansion_clear(ex6p);
    neft_theory_clear(th);
    _arb_vec_clear(pts, np * d);
}
