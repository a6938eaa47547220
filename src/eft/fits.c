/* The fits of `neft fit` (docs/cmd-fit.md): the couplings at every cutoff
   and, for two or more cutoffs, their running |g| ~ cutoff^p with the
   exponent's error propagated from the data (docs/eft.md). */

#include <string.h>
#include "neft/eft.h"

void
neft_eft_fits_init(neft_eft_fits_t F)
{
    memset(F, 0, sizeof(*F));
}

void
neft_eft_fits_clear(neft_eft_fits_t F)
{
    slong i, n = F->ncut * F->ncpl;
    if (F->L != NULL)
    {
        _arb_vec_clear(F->L, F->ncut);
        _arb_vec_clear(F->chi2, F->ncut);
        _arb_vec_clear(F->g, n);
        _arb_vec_clear(F->ge, n);
        _arb_vec_clear(F->gi, n);
        _arb_vec_clear(F->slope, F->ncpl);
        _arb_vec_clear(F->serr, F->ncpl);
        _arb_vec_clear(F->sind, F->ncpl);
        for (i = 0; i < F->ncut; i++)
            arb_mat_clear(F->maps + i);
        flint_free(F->maps);
        flint_free(F->dof);
        flint_free(F->running);
        for (i = 0; F->local != NULL && i < F->ncpl; i++)
            neft_eft_local_clear(F->local + i);
        flint_free(F->local);
        flint_free(F->names);
    }
    memset(F, 0, sizeof(*F));
}

/* The running of coupling j over the cutoffs (neft_eft_running). */
static void
running(neft_eft_fits_t F, slong j, const neft_eft_data_t D, slong prec)
{
    slong i, ncut = F->ncut, ncpl = F->ncpl;
    arb_t loga;
    arb_ptr gj = _arb_vec_init(ncut), ej = _arb_vec_init(ncut);
    arb_init(loga);
    for (i = 0; i < ncut; i++)
    {
        arb_set(gj + i, F->g + i * ncpl + j);
        arb_set(ej + i, F->ge + i * ncpl + j);
    }
    /* exact data: unit weights, no error */
    F->running[j] = neft_eft_running(F->slope + j, loga, F->serr + j, F->sind + j, F->L, gj,
                                     D->has_err ? ej : NULL, F->maps, j, ncut,
                                     D->has_err ? D->err : NULL, prec);
    /* read locally: slope per interval, the last decade, beta */
    neft_eft_local(F->local + j, F->L, gj, D->has_err ? ej : NULL, F->maps, j, ncut,
                   D->has_err ? D->err : NULL, prec);
    arb_clear(loga);
    _arb_vec_clear(gj, ncut);
    _arb_vec_clear(ej, ncut);
}

/* The vertex integrals of every tuple at every cutoff at once, nested
   (neft_eval_prefill_cutoffs; d_in = 1, the panel method), set aside in
   ctx's cache for each cutoff's fit.  A cutoff that does not parse: nothing
   (the loop reports it). */
static void
prefill(neft_eval_ctx_t ctx, const neft_expansion_t ex, const neft_eft_data_t D,
        const char * const * cuts, slong ncut)
{
    arf_struct * L;
    slong i, ok = D->d_in == 1 && ncut > 1;
    arf_t keep;
    if (!ok)
        return;
    arf_init(keep);
    arf_set(keep, ctx->cutoff);
    L = flint_malloc(ncut * sizeof(arf_struct));
    for (i = 0; i < ncut; i++)
    {
        arf_init(L + i);
        if (ok && neft_eval_parse_cutoff(ctx->cutoff, cuts[i], ctx->prec) == 0)
            arf_set(L + i, ctx->cutoff);
        else
            ok = 0;
    }
    if (ok)
        neft_eval_prefill_cutoffs(ctx, ex, D->points, D->npoints, L, ncut);
    for (i = 0; i < ncut; i++)
        arf_clear(L + i);
    flint_free(L);
    arf_set(ctx->cutoff, keep);
    arf_clear(keep);
}

int
neft_eft_fits(neft_eft_fits_t F, const neft_expansion_t ex, const slong * cpl, slong ncpl,
              const neft_eft_data_t D, arb_srcptr w, neft_eval_ctx_t ctx,
              const char * const * cuts, slong ncut, slong * bad, char * err, size_t errlen)
{
    slong i, j, prec = ctx->prec;

    neft_eft_fits_clear(F);
    F->ncut = ncut;
    F->ncpl = ncpl;
    F->cuts = cuts;
    F->has_err = D->has_err;
    F->L = _arb_vec_init(ncut);
    F->chi2 = _arb_vec_init(ncut);
    F->g = _arb_vec_init(ncut * ncpl);
    F->ge = _arb_vec_init(ncut * ncpl);
    F->gi = _arb_vec_init(ncut * ncpl);
    F->slope = _arb_vec_init(ncpl);
    F->serr = _arb_vec_init(ncpl);
    F->sind = _arb_vec_init(ncpl);
    F->maps = flint_malloc(sizeof(arb_mat_struct) * ncut);
    for (i = 0; i < ncut; i++)
        arb_mat_init(F->maps + i, ncpl, D->ntuples);
    F->dof = flint_calloc(ncut, sizeof(slong));
    F->running = flint_calloc(ncpl, sizeof(int));
    F->local = flint_malloc(ncpl * sizeof(neft_eft_local_struct));
    for (j = 0; j < ncpl; j++)
        neft_eft_local_init(F->local + j);
    F->names = flint_malloc(ncpl * sizeof(const char *));
    for (j = 0; j < ncpl; j++)
        F->names[j] = ex->theory->couplings[cpl[j]].name;
    prefill(ctx, ex, D, cuts, ncut);
    for (i = 0; i < ncut; i++)
    {
        neft_eft_fit_t f;
        *bad = i;
        if (neft_eval_parse_cutoff(ctx->cutoff, cuts[i], prec))
            return -1;
        arb_set_arf(F->L + i, ctx->cutoff);
        /* (the integral cache empties itself for a new cutoff) */
        neft_eft_fit_init(f, D->ntuples, ncpl);
        if (!neft_eft_fit_couplings_weighted(f, ex, cpl, ncpl, D, w, ctx, err, errlen))
        {
            neft_eft_fit_clear(f);
            return -2;
        }
        arb_mat_set(F->maps + i, f->map);
        arb_set(F->chi2 + i, f->chi2);
        F->dof[i] = neft_eft_fit_dof(f);
        for (j = 0; j < ncpl; j++)
        {
            arb_set(F->g + i * ncpl + j, f->coeff + j);
            /* the tuples share the same networks: their errors are correlated,
               so the error is the Cauchy-Schwarz bound (docs/eft.md) */
            arb_set(F->ge + i * ncpl + j, f->err_max + j);
            arb_set(F->gi + i * ncpl + j, f->err_indep + j);
        }
        neft_eft_fit_clear(f);
    }
    if (ncut >= 2)
        for (j = 0; j < ncpl; j++)
        {
            running(F, j, D, prec);
            F->local[j].expected = neft_eft_expected_slope(ctx->kernel);
        }
    return 0;
}
