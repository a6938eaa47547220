/* The coupling fit: design matrix from the expansion's vertex integrals,
 * then weighted least squares (neft_eft_fit_couplings). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/eft.h"
#include "../cost.h"

int
neft_eft_fit_couplings(neft_eft_fit_t f, const neft_expansion_t ex, const slong * cpl,
                       slong ncpl, const neft_eft_data_t D, neft_eval_ctx_t ctx,
                       char * err, size_t errlen)
{
    return neft_eft_fit_couplings_weighted(f, ex, cpl, ncpl, D, D->has_err ? D->err : NULL,
                                           ctx, err, errlen);
}

/* The product of the couplings g over the vertices of d, vertex skip left
   out (-1: none). */
static void
_monomial(arb_t res, const neft_diagram_struct * d, arb_srcptr g, slong skip, slong prec)
{
    slong v;
    arb_one(res);
    for (v = 0; v < d->m; v++)
        if (v != skip && neft_diagram_is_head(d, v))
            arb_mul(res, res, g + d->type[v], prec);
}

/* f->sens = -map dG/dg: the model's derivative in every coupling held fixed,
   at the fitted values (integrals: T x terms). */
static void
_sensitivities(neft_eft_fit_t f, const neft_expansion_t ex, const slong * cpl, slong ncpl,
               const arb_mat_t integ, const neft_eval_ctx_t ctx)
{
    slong T = f->ndata, nc = ex->theory->length, t, i, j, v, prec = ctx->prec;
    arb_ptr g = _arb_vec_init(nc);
    arb_mat_t dG;
    arb_t c, m;

    arb_init(c);
    arb_init(m);
    arb_mat_init(dG, T, nc);
    _arb_vec_set(g, ctx->g, nc);
    for (j = 0; j < ncpl; j++)
        arb_set(g + cpl[j], f->coeff + j);
    for (i = 0; i < ex->length; i++)
    {
        const neft_diagram_struct * d = ex->terms + i;
        arb_set_fmpq(c, d->coeff, prec);
        /* d/dg_k of prod_v g_type(v): the sum over the vertices of type k */
        for (v = 0; v < d->m; v++)
        {
            int fitted = 0;
            if (!neft_diagram_is_head(d, v))
                continue;    /* a later point of a non-local vertex */
            for (j = 0; j < ncpl; j++)
                fitted |= d->type[v] == cpl[j];
            if (fitted)
                continue;
            _monomial(m, d, g, v, prec);
            arb_mul(m, m, c, prec);
            for (t = 0; t < T; t++)
                arb_addmul(arb_mat_entry(dG, t, d->type[v]), m, arb_mat_entry(integ, t, i),
                           prec);
        }
    }
    arb_mat_clear(f->sens);
    arb_mat_init(f->sens, f->nparams, nc);
    arb_mat_mul(f->sens, f->map, dG, prec);
    arb_mat_neg(f->sens, f->sens);
    arb_mat_clear(dG);
    arb_clear(m);
    arb_clear(c);
    _arb_vec_clear(g, nc);
}

int
neft_eft_fit_couplings_weighted(neft_eft_fit_t f, const neft_expansion_t ex, const slong * cpl,
                                slong ncpl, const neft_eft_data_t D, arb_srcptr w,
                                neft_eval_ctx_t ctx, char * err, size_t errlen)
{
    slong T = D->ntuples, n = D->npt, d = D->d_in, t, i, j, v;
    slong nc = ex->theory->length;
    slong * col = flint_malloc(sizeof(slong) * (ex->length + 1));
    slong * at = flint_malloc(sizeof(slong) * (ex->length + 1));
    arb_mat_t A, integ;
    arb_ptr y, pts;
    arb_t c, m;
    neft_eval_result_t r;
    int ok = 1, st;

    if (ex->n != n)
    {
        snprintf(err, errlen, "the expansion is of the %ld-point function, the data %ld-point",
                 (long) ex->n, (long) n);
        flint_free(col);
        flint_free(at);
        return 0;
    }
    for (j = 0; j < ncpl && ok; j++)
        if (cpl[j] < 0 || cpl[j] >= nc)
        {
            snprintf(err, errlen, "no coupling %ld in the theory", (long) cpl[j]);
            ok = 0;
        }
    /* col[i]: the fitted parameter term i is linear in (at[i]: its vertex),
       -1: none; refused: a term of higher order in the fitted couplings */
    for (i = 0; i < ex->length && ok; i++)
    {
        const neft_diagram_struct * dg = ex->terms + i;
        slong hit = -1, nhit = 0;
        for (v = 0; v < dg->m; v++)
            for (j = 0; j < ncpl; j++)
                if (dg->type[v] == cpl[j] && neft_diagram_is_head(dg, v))
                {
                    hit = j;
                    at[i] = v;
                    nhit++;
                }
        if (nhit > 1)
        {
            char name[256];
            neft_eft_term_name(name, sizeof name, dg, ex->theory);
            snprintf(err, errlen, "term %ld (%s) is of order %ld in the fitted couplings: the "
                     "fit is linear; hold the coupling fixed (--set, or fitted first to its own "
                     "correlator) or fit at a lower order", (long) i + 1, name, (long) nhit);
            ok = 0;
        }
        col[i] = hit;
    }
    for (j = 0; j < ncpl && ok; j++)
        arb_zero(ctx->g + cpl[j]);
    if (!ok)
    {
        flint_free(col);
        flint_free(at);
        return 0;
    }
    arb_mat_init(A, T, ncpl);
    arb_mat_init(integ, T, ex->length);
    y = _arb_vec_init(T);
    pts = _arb_vec_init(n * d);
    arb_init(c);
    arb_init(m);
    neft_eval_result_init(r);
    for (t = 0; t < T && ok; t++)
    {
        for (i = 0; i < n; i++)
            _arb_vec_set(pts + i * d, D->points + D->idx[t * n + i] * d, d);
        st = neft_eval(r, ex, pts, ctx, err, errlen);
        if (!neft_status_has_value(st))     /* (unsupported, interrupted) */
        {
            ok = 0;
            break;
        }
        /* the terms without a fitted coupling, at the values held fixed */
        arb_sub(y + t, D->value + t, r->value, ctx->prec);
        for (i = 0; i < ex->length; i++)
        {
            arb_set(arb_mat_entry(integ, t, i), r->integral + i);
            if (col[i] >= 0)
            {
                arb_set_fmpq(c, ex->terms[i].coeff, ctx->prec);
                _monomial(m, ex->terms + i, ctx->g, at[i], ctx->prec);
                arb_mul(c, c, m, ctx->prec);
                arb_addmul(arb_mat_entry(A, t, col[i]), c, r->integral + i, ctx->prec);
            }
        }
    }
    if (ok)
    {
        ok = neft_eft_wls(f, A, y, w, ctx->prec);
        if (ok && D->has_err)
            neft_eft_fit_set_errors(f, D->err, ctx->prec);
        if (ok)
            _sensitivities(f, ex, cpl, ncpl, integ, ctx);
        if (!ok)
            snprintf(err, errlen, "the least-squares system is singular or not certified at "
                     "%ld bits (too few tuples, or a coupling that does not occur at this "
                     "order?)", (long) ctx->prec);
    }
    neft_eval_result_clear(r);
    arb_clear(m);
    arb_clear(c);
    _arb_vec_clear(pts, n * d);
    _arb_vec_clear(y, T);
    arb_mat_clear(integ);
    arb_mat_clear(A);
    flint_free(col);
    flint_free(at);
    return ok;
}

void
neft_eft_fit_cost(double * ops, double * bytes, const neft_expansion_t ex, slong ncpl,
                  const neft_eft_data_t D, const neft_eval_ctx_t ctx)
{
    double T = (double) D->ntuples, A = _neft_cost_arb(ctx->prec), q = (double) ncpl;
    neft_eval_cost(ops, bytes, ex, ctx, D->npoints, T, 0);
    /* design matrix, normal equations, solve, residuals */
    *ops += T * (q + 2) * (q + 2) * 4 * A + q * q * q * 10 * A;
    *bytes += T * (q + 3) * (sizeof(arb_struct) + 2.0 * (double) ctx->prec / 8);
}
