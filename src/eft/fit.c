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

int
neft_eft_fit_couplings_weighted(neft_eft_fit_t f, const neft_expansion_t ex, const slong * cpl,
                                slong ncpl, const neft_eft_data_t D, arb_srcptr w,
                                neft_eval_ctx_t ctx, char * err, size_t errlen)
{
    slong T = D->ntuples, n = D->npt, d = D->d_in, t, i, j, v;
    slong nc = ex->theory->length;
    slong * col = flint_malloc(sizeof(slong) * (ex->length + 1));
    arb_mat_t A;
    arb_ptr y, pts;
    arb_t c;
    neft_eval_result_t r;
    int ok = 1, st;

    if (ex->n != n)
    {
        snprintf(err, errlen, "the expansion is of the %ld-point function, the data %ld-point",
                 (long) ex->n, (long) n);
        flint_free(col);
        return 0;
    }
    /* col[i]: the fitted parameter term i is linear in, -1: not fitted,
       error: higher order in a fitted coupling */
    for (i = 0; i < ex->length && ok; i++)
    {
        const neft_diagram_struct * dg = ex->terms + i;
        slong hit = -1, nhit = 0;
        for (v = 0; v < dg->m; v++)
            for (j = 0; j < ncpl; j++)
                if (dg->type[v] == cpl[j])
                {
                    hit = j;
                    nhit++;
                }
        if (nhit > 1 || (nhit == 1 && dg->m > 1))
        {
            snprintf(err, errlen, "term %ld is of order %ld in the couplings: the fit is linear "
                     "(use order 1)", (long) i + 1, (long) dg->m);
            ok = 0;
        }
        col[i] = hit;
    }
    for (j = 0; j < ncpl && ok; j++)
    {
        if (cpl[j] < 0 || cpl[j] >= nc)
        {
            snprintf(err, errlen, "no coupling %ld in the theory", (long) cpl[j]);
            ok = 0;
        }
        else
            arb_zero(ctx->g + cpl[j]);
    }
    if (!ok)
    {
        flint_free(col);
        return 0;
    }
    arb_mat_init(A, T, ncpl);
    y = _arb_vec_init(T);
    pts = _arb_vec_init(n * d);
    arb_init(c);
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
        arb_sub(y + t, D->value + t, r->value, ctx->prec);
        for (i = 0; i < ex->length; i++)
            if (col[i] >= 0)
            {
                arb_set_fmpq(c, ex->terms[i].coeff, ctx->prec);
                arb_addmul(arb_mat_entry(A, t, col[i]), c, r->integral + i, ctx->prec);
            }
    }
    if (ok)
    {
        ok = neft_eft_wls(f, A, y, w, ctx->prec);
        if (ok && D->has_err)
            neft_eft_fit_set_errors(f, D->err, ctx->prec);
        if (!ok)
            snprintf(err, errlen, "the least-squares system is singular or not certified at "
                     "%ld bits (too few tuples, or a coupling that does not occur at order 1?)",
                     (long) ctx->prec);
    }
    neft_eval_result_clear(r);
    arb_clear(c);
    _arb_vec_clear(pts, n * d);
    _arb_vec_clear(y, T);
    arb_mat_clear(A);
    flint_free(col);
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
