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
neft_eft_fits_opt_init(neft_eft_fits_opt_t opt)
{
    memset(opt, 0, sizeof(*opt));
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
        _arb_vec_clear(F->dg, F->ncut * F->ndep);
        _arb_vec_clear(F->dge, F->ncut * F->ndep);
        _arb_vec_clear(F->dgi, F->ncut * F->ndep);
        if (F->sjoint != NULL)
            _arb_vec_clear(F->sjoint, F->njoint);
        for (i = 0; i < F->ncut; i++)
            arb_mat_clear(F->maps + i);
        flint_free(F->maps);
        flint_free(F->dof);
        flint_free(F->running);
        for (i = 0; F->local != NULL && i < F->ncpl; i++)
            neft_eft_local_clear(F->local + i);
        flint_free(F->local);
        flint_free(F->names);
        flint_free(F->dep_names);
    }
    memset(F, 0, sizeof(*F));
}

/* The running of coupling j over the cutoffs (neft_eft_running). */
static void
running(neft_eft_fits_t F, slong j, slong prec)
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
                                     F->has_err ? ej : NULL, F->maps, j, ncut,
                                     F->has_err ? F->sjoint : NULL, prec);
    /* read locally: slope per interval, the last decade, beta */
    neft_eft_local(F->local + j, F->L, gj, F->has_err ? ej : NULL, F->maps, j, ncut,
                   F->has_err ? F->sjoint : NULL, prec);
    arb_clear(loga);
    _arb_vec_clear(gj, ncut);
    _arb_vec_clear(ej, ncut);
}

/* The vertex integrals of every tuple at every cutoff at once, nested
   (neft_eval_prefill_cutoffs: d_in = 1 the panel method, d_in >= 2 shells
   of the patch method or homogeneity), set aside in ctx's cache for each
   cutoff's fit.  A cutoff that does not parse: nothing (the loop reports
   it). */
static void
prefill(neft_eval_ctx_t ctx, const neft_expansion_t ex, const neft_eft_data_t D,
        const char * const * cuts, slong ncut)
{
    arf_struct * L;
    slong i, ok = ncut > 1;
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

/* The errors of row j of the joint map M with data errors s (n columns):
   sum |M_jt| s_t and sqrt(sum M_jt^2 s_t^2). */
static void
_row_errors(arb_t emax, arb_t eind, const arb_mat_t M, slong j, arb_srcptr s, slong n,
            slong prec)
{
    slong t;
    arb_t a;
    arb_init(a);
    arb_zero(emax);
    arb_zero(eind);
    for (t = 0; t < n; t++)
    {
        arb_mul(a, arb_mat_entry(M, j, t), s + t, prec);
        arb_abs(a, a);
        arb_add(emax, emax, a, prec);
        arb_addmul(eind, a, a, prec);
    }
    arb_sqrtpos(eind, eind, prec);
    arb_clear(a);
}

int
neft_eft_fits(neft_eft_fits_t F, const neft_expansion_t ex, const slong * cpl, slong ncpl,
              const neft_eft_data_t D, arb_srcptr w, neft_eval_ctx_t ctx,
              const char * const * cuts, slong ncut, slong * bad, char * err, size_t errlen)
{
    return neft_eft_fits_opt(F, ex, cpl, ncpl, D, w, NULL, ctx, cuts, ncut, bad, err, errlen);
}

int
neft_eft_fits_opt(neft_eft_fits_t F, const neft_expansion_t ex, const slong * cpl, slong ncpl,
                  const neft_eft_data_t D, arb_srcptr w, const neft_eft_fits_opt_t opt,
                  neft_eval_ctx_t ctx, const char * const * cuts, slong ncut, slong * bad,
                  char * err, size_t errlen)
{
    slong i, j, k, t, col, prec = ctx->prec, ndep = opt == NULL ? 0 : opt->ndep;
    slong T = D->ntuples, nj = T;

    neft_eft_fits_clear(F);
    for (k = 0; k < ndep; k++)
        nj += opt->dep_D[k]->ntuples;
    F->ncut = ncut;
    F->ncpl = ncpl;
    F->cuts = cuts;
    F->has_err = D->has_err;
    F->order = opt == NULL ? 0 : opt->order;
    F->ndep = ndep;
    F->njoint = nj;
    F->theory = ex->theory;
    F->L = _arb_vec_init(ncut);
    F->chi2 = _arb_vec_init(ncut);
    F->g = _arb_vec_init(ncut * ncpl);
    F->ge = _arb_vec_init(ncut * ncpl);
    F->gi = _arb_vec_init(ncut * ncpl);
    F->slope = _arb_vec_init(ncpl);
    F->serr = _arb_vec_init(ncpl);
    F->sind = _arb_vec_init(ncpl);
    F->dg = _arb_vec_init(ncut * ndep);
    F->dge = _arb_vec_init(ncut * ndep);
    F->dgi = _arb_vec_init(ncut * ndep);
    F->maps = flint_malloc(sizeof(arb_mat_struct) * ncut);
    for (i = 0; i < ncut; i++)
        arb_mat_init(F->maps + i, ncpl, nj);
    F->dof = flint_calloc(ncut, sizeof(slong));
    F->running = flint_calloc(ncpl, sizeof(int));
    F->local = flint_malloc(ncpl * sizeof(neft_eft_local_struct));
    for (j = 0; j < ncpl; j++)
        neft_eft_local_init(F->local + j);
    F->names = flint_malloc(ncpl * sizeof(const char *));
    F->dep_names = flint_malloc((ndep + 1) * sizeof(const char *));
    for (j = 0; j < ncpl; j++)
        F->names[j] = ex->theory->couplings[cpl[j]].name;
    for (k = 0; k < ndep; k++)
    {
        F->dep_names[k] = ex->theory->couplings[opt->dep[k]].name;
        F->dep_npt[k] = opt->dep_D[k]->npt;
    }
    /* the joint data's errors: the data's, then each dependency's */
    if (D->has_err)
    {
        F->sjoint = _arb_vec_init(nj);
        _arb_vec_set(F->sjoint, D->err, T);
        for (k = 0, col = T; k < ndep; col += opt->dep_D[k]->ntuples, k++)
        {
            if (opt->dep_D[k]->has_err)
                _arb_vec_set(F->sjoint + col, opt->dep_D[k]->err, opt->dep_D[k]->ntuples);
        }
    }
    /* which diagrams enter: the coupling monomials of the terms */
    F->nmono = neft_eft_monomials(F->mono, NEFT_EFT_MAX_MONO, ex);
    for (k = 0; k < F->nmono; k++)
        for (j = 0; j < ncpl; j++)
            F->mono_fitted[k] |= F->mono[k].exp[cpl[j]] != 0;
    prefill(ctx, ex, D, cuts, ncut);
    for (i = 0; i < ncut; i++)
    {
        neft_eft_fit_t f;
        neft_eft_fit_struct * fd = flint_malloc(sizeof(neft_eft_fit_struct) * (ndep + 1));
        int ok = 1;
        *bad = i;
        if (neft_eval_parse_cutoff(ctx->cutoff, cuts[i], prec))
        {
            flint_free(fd);
            return -1;
        }
        arb_set_arf(F->L + i, ctx->cutoff);
        /* (the integral cache empties itself for a new cutoff) */
        /* the dependencies first, each held at its value */
        for (k = 0; k < ndep; k++)
        {
            const neft_eft_data_struct * Dk = opt->dep_D[k];
            neft_eft_fit_init(fd + k, Dk->ntuples, 1);
            if (ok && !neft_eft_fit_couplings_weighted(fd + k, opt->dep_ex[k], opt->dep + k, 1,
                                                       Dk, opt->weighted && Dk->has_err
                                                       ? Dk->err : NULL, ctx, err, errlen))
                ok = 0;
            if (ok)
            {
                arb_set(ctx->g + opt->dep[k], fd[k].coeff);
                arb_set(F->dg + i * ndep + k, fd[k].coeff);
                arb_set(F->dge + i * ndep + k, fd[k].err_max);
                arb_set(F->dgi + i * ndep + k, fd[k].err_indep);
            }
        }
        neft_eft_fit_init(f, T, ncpl);
        if (ok && !neft_eft_fit_couplings_weighted(f, ex, cpl, ncpl, D, w, ctx, err, errlen))
            ok = 0;
        if (ok)
        {
            /* the joint map: c = L y + sum_k (dc/dg_k) L_k y_k (linearised) */
            arb_mat_struct * M = F->maps + i;
            for (j = 0; j < ncpl; j++)
                for (t = 0; t < T; t++)
                    arb_set(arb_mat_entry(M, j, t), arb_mat_entry(f->map, j, t));
            for (k = 0, col = T; k < ndep; col += fd[k].ndata, k++)
                for (j = 0; j < ncpl; j++)
                    for (t = 0; t < fd[k].ndata; t++)
                        arb_mul(arb_mat_entry(M, j, col + t),
                                arb_mat_entry(f->sens, j, opt->dep[k]),
                                arb_mat_entry(fd[k].map, 0, t), prec);
            arb_set(F->chi2 + i, f->chi2);
            F->dof[i] = neft_eft_fit_dof(f);
            for (j = 0; j < ncpl; j++)
            {
                arb_set(F->g + i * ncpl + j, f->coeff + j);
                /* the tuples share the same networks: their errors are
                   correlated, so the error is the Cauchy-Schwarz bound
                   (docs/eft.md), over the joint data */
                if (F->sjoint != NULL)
                    _row_errors(F->ge + i * ncpl + j, F->gi + i * ncpl + j, M, j, F->sjoint,
                                nj, prec);
            }
        }
        neft_eft_fit_clear(f);
        for (k = 0; k < ndep; k++)
            neft_eft_fit_clear(fd + k);
        flint_free(fd);
        if (!ok)
            return -2;
    }
    if (ncut >= 2)
        for (j = 0; j < ncpl; j++)
        {
            running(F, j, prec);
            F->local[j].expected = neft_eft_expected_slope_coupling(ctx->kernel, ex->theory,
                                                                    cpl[j]);
        }
    return 0;
}
