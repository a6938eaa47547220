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
    neft_expansion_init(R->ex6p);
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
    neft_expansion_clear(R->ex6p);
    neft_theory_clear(R->th);
    neft_kernel_clear(R->K);
    _running_vars(R, arb_clear);
    neft_eft_local_clear(R->loc_s);
    neft_eft_local_clear(R->loc_e);
    memset(R, 0, sizeof(neft_validate_result_struct));
}

/* The stage of the fits and the prediction needs the one-vertex integrals of
   G4c and G6 (at O(1/N)) at every cutoff in this d_in: refused before
   anything runs when the integration module has no method for them. */
static int
_supported(const neft_validate_result_t R, const neft_validate_spec_t spec, char * err,
           size_t errlen)
{
    const neft_expansion_struct * ex[2] = {R->ex4, R->ex6p};
    char why[512];
    slong c, e, i;
    arf_t L;
    int ok = 1;
    arf_init(L);
    for (c = 0; c < spec->ncutoffs && ok; c++)
    {
        arf_set_d(L, spec->cutoffs[c]);
        for (e = 0; e < 2 && ok; e++)
            for (i = 0; i < ex[e]->length && ok; i++)
                if (!neft_integrate_term_supported(ex[e]->terms + i, R->ctx->kernel, L, why,
                                                   sizeof why))
                {
                    snprintf(err, errlen, "stage fit: the vertex integrals of G%d at cutoff %g "
                             "(%s, d_in = %ld): %s", e ? 6 : 4, spec->cutoffs[c],
                             _neft_validate_act_name(spec), (long) spec->net->d_in, why);
                    ok = 0;
                }
    }
    arf_clear(L);
    return ok ? NEFT_SUCCESS : NEFT_UNSUPPORTED;
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
    /* the prediction at kappa = 0: kappa's vertex integrals are not needed */
    neft_eft_expansion_truncate(R->ex6p, R->ex6, 1);
    if ((st = _supported(R, spec, err, errlen)) != NEFT_SUCCESS)
        return st;
    snprintf(R->slope_why, sizeof R->slope_why, "the running was not computed");
    return NEFT_SUCCESS;
}

void
_neft_validate_skip(neft_validate_result_t R, const neft_validate_spec_t spec,
                    const char * stage, const char * why)
{
    slong i;
    for (i = 0; i < R->nskipped; i++)
        if (strcmp(R->skipped[i].stage, stage) == 0)
            return;
    if (R->nskipped == NEFT_VALIDATE_MAX_SKIPPED)
        return;
    R->skipped[R->nskipped].stage = stage;
    snprintf(R->skipped[R->nskipped].why, sizeof R->skipped[0].why, "%s", why);
    R->nskipped++;
    _neft_validate_progress(spec, "skipped: unsupported: %s: %s", stage, why);
}

void
_neft_validate_skipped_lines(FILE * out, const char * prefix, const char * suffix,
                             const neft_validate_result_t R)
{
    slong i;
    for (i = 0; i < R->nskipped; i++)
        fprintf(out, "%sskipped: unsupported: %s: %s%s", prefix, R->skipped[i].stage,
                R->skipped[i].why, suffix);
}

int
_neft_validate_cutoff_ready(const neft_validate_result_t R, slong c, char * err, size_t errlen)
{
    if (R->cuts != NULL && c >= 0 && c < R->ncutoffs && R->widths[R->fw].width != 0)
        return 1;
    snprintf(err, errlen, "validate: cutoff index %ld before its fit width's stage", (long) c);
    return 0;
}
