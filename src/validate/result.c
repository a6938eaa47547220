/* The result of the experiment: init, clear, and the first stage (the spec
   checked, the expansions and the kernel built). */

#include <string.h>
#include "validate-internal.h"

/* f applied to each ball of the running */
static void
_running_vars(neft_validate_result_t R, void (* f)(arb_t))
{
    arb_ptr v[5] = {R->s_slope, R->s_err, R->s_err_indep, R->s_loga, R->e_slope};
    slong i;
    for (i = 0; i < 5; i++)
        f(v[i]);
}

void
neft_validate_result_init(neft_validate_result_t R)
{
    memset(R, 0, sizeof(neft_validate_result_struct));
    neft_kernel_init(R->K);
    neft_theory_init(R->th);
    neft_expansion_init(R->ex4);
    neft_expansion_init(R->ex6);
    neft_eval_ctx_init(R->ctx, 2);
    _running_vars(R, arb_init);
    neft_eft_local_init(R->loc_s);
    neft_eft_local_init(R->loc_e);
}

void
neft_validate_result_clear(neft_validate_result_t R)
{
    slong w, c;
    for (w = 0; R->widths != NULL && w < R->nwidths; w++)
    {
        if (R->widths[w].width == 0)
            continue;
        neft_sample_result_clear(R->widths[w].S);
        neft_exact_result_clear(R->widths[w].E);
    }
    for (c = 0; R->cuts != NULL && c < R->ncutoffs; c++)
    {
        arb_clear(R->cuts[c].lam_s);
        arb_clear(R->cuts[c].lam_e);
        arb_mat_clear(R->cuts[c].map);
    }
    neft_exact_moments_clear(R->mom);
    flint_free(R->widths);
    flint_free(R->cuts);
    flint_free(R->ckpt);
    if (R->pts != NULL)
        _arb_vec_clear(R->pts, R->npts);
    neft_eval_ctx_clear(R->ctx);
    neft_expansion_clear(R->ex4);
    neft_expansion_clear(R->ex6);
    neft_theory_clear(R->th);
    neft_kernel_clear(R->K);
    _running_vars(R, arb_clear);
    neft_eft_local_clear(R->loc_s);
    neft_eft_local_clear(R->loc_e);
    memset(R, 0, sizeof(neft_validate_result_struct));
}

int
neft_validate_start(neft_validate_result_t R, const neft_validate_spec_t spec, char * err,
                    size_t errlen)
{
    slong i, c, W = spec->nwidths, C = spec->ncutoffs, n = spec->npoints * spec->net->d_in;
    neft_expand_opt_t eopt;
    int st;

    if (R->widths != NULL)
    {
        snprintf(err, errlen, "validate: the result was started before");
        return NEFT_BAD_INPUT;
    }
    if ((st = neft_validate_spec_check(spec, err, errlen)) != NEFT_SUCCESS)
        return st;
    if ((st = _neft_validate_kernel(R->K, spec, err, errlen)) != NEFT_SUCCESS)
        return st;
    for (i = 0; i < W; i++)
        if (spec->widths[i] == spec->fit_width)
            R->fw = i;
    R->npts = n;
    R->pts = _arb_vec_init(n);
    for (i = 0; i < n; i++)
        arb_set_d(R->pts + i, spec->points[i]);
    R->nwidths = W;
    R->ncutoffs = C;
    R->widths = flint_calloc(W, sizeof(neft_validate_width_struct));
    R->ckpt = flint_calloc(W, sizeof(*R->ckpt));
    R->cuts = flint_calloc(C, sizeof(neft_validate_cutoff_struct));
    for (c = 0; c < C; c++)
    {
        arb_init(R->cuts[c].lam_s);
        arb_init(R->cuts[c].lam_e);
        arb_mat_init(R->cuts[c].map, 0, 0);
        R->cuts[c].L = spec->cutoffs[c];
    }
    R->ctx->prec = spec->prec;
    R->ctx->threads = spec->threads;
    neft_kernel_set(R->ctx->kernel, R->K);
    if (neft_theory_read_string(R->th, neft_theory_default_text, "<built-in>", err, errlen) != 0)
        return NEFT_FAILURE;
    neft_expand_opt_init(eopt);
    if (neft_expand(R->ex4, R->th, 4, 1, NEFT_PRUNE_CONNECTED, eopt, err, errlen)
            != NEFT_EXPAND_SUCCESS
        || neft_expand(R->ex6, R->th, 6, 1, R->th->prune, eopt, err, errlen)
            != NEFT_EXPAND_SUCCESS)
        return NEFT_FAILURE;
    snprintf(R->slope_why, sizeof R->slope_why, "the running was not computed");
    return NEFT_SUCCESS;
}

int
_neft_validate_cutoff_ready(const neft_validate_result_t R, slong c, char * err, size_t errlen)
{
    if (R->cuts != NULL && c >= 0 && c < R->ncutoffs && R->widths[R->fw].width != 0)
        return 1;
    snprintf(err, errlen, "validate: cutoff index %ld before its fit width's stage", (long) c);
    return 0;
}
