/* The betas next to the measured running (neft/beta.h): the formula's
   beta/g at the points of the local running's intervals. */

#include "neft/beta.h"
#include "neft/eval.h"

int
neft_beta_local(neft_eft_local_struct * R, const neft_theory_struct * th, unsigned prune,
                slong order, slong g, const neft_kernel_struct * k,
                const neft_eft_data_struct * D, arb_srcptr w,
                const neft_integrate_opt_struct * opt, slong prec, char * err, size_t errlen)
{
    slong m = R->n - 1, i, r = 0, j, npt = D->npt, idx[16] = {0};
    arf_struct * L;
    arb_ptr f, ff;
    neft_beta_t B;
    int st, same = 1;

    if (m < 1)
        return NEFT_SUCCESS;
    if (th->couplings[g].legs != npt || npt > 16)
    {
        snprintf(err, errlen, "beta: %s has %ld legs, the data %ld points",
                 th->couplings[g].name, (long) th->couplings[g].legs, (long) npt);
        return NEFT_BAD_INPUT;
    }
    do
    {
        for (j = 0; j < npt && r < D->ntuples; j++)
            same &= D->idx[r * npt + j] == idx[j];
        r++;
    }
    while (neft_eval_next_tuple(idx, npt, D->npoints));
    if (!same || r != D->ntuples)
    {
        snprintf(err, errlen, "beta: the data's tuples are not all the sorted tuples of its "
                 "inputs");
        return NEFT_BAD_INPUT;
    }
    L = flint_malloc(m * sizeof(arf_struct));
    for (i = 0; i < m; i++)
    {
        arf_init(L + i);
        arf_set_d(L + i, R->x[i]);
    }
    neft_beta_init(B);
    st = neft_beta_compute(B, th, prune, order, k, D->points, D->npoints, L, m, opt, prec, err,
                           errlen);
    if (neft_status_has_value(st) && st != NEFT_BAD_INPUT)
    {
        f = _arb_vec_init(m);
        ff = _arb_vec_init(m);
        for (i = 0; i < m && neft_status_has_value(st); i++)
            if (!neft_beta_fit_running(f + i, ff + i, B, i, g, D->has_err ? NULL : D->value, w,
                                       prec))
            {
                snprintf(err, errlen, "beta: %s's correlator has more than its tree at this "
                         "order (the formula is shown for first-order fits)",
                         th->couplings[g].name);
                st = NEFT_UNSUPPORTED;
            }
        if (neft_status_has_value(st))
            neft_eft_local_set_formula(R, f, D->has_err ? NULL : ff);
        _arb_vec_clear(f, m);
        _arb_vec_clear(ff, m);
    }
    neft_beta_clear(B);
    for (i = 0; i < m; i++)
        arf_clear(L + i);
    flint_free(L);
    return st;
}
