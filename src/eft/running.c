/* The running of a coupling with the cutoff: a power-law fit (neft_eft_power_law). */

#include "neft/eft.h"

int
neft_eft_power_law(arb_t slope, arb_t slope_err, arb_t log_a, arb_t chi2,
                   arb_srcptr L, arb_srcptr g, arb_srcptr e, slong n,
                   int scale_by_chi2, slong prec)
{
    neft_eft_fit_t f;
    arb_mat_t A;
    arb_ptr y, s;
    slong i;
    int ok = n >= 2;

    arb_mat_init(A, n, 2);
    y = _arb_vec_init(n);
    s = _arb_vec_init(n);
    for (i = 0; i < n && ok; i++)
    {
        arb_t ag;
        arb_init(ag);
        arb_abs(ag, g + i);
        if (!arb_is_positive(L + i) || !arb_is_positive(ag))
            ok = 0;
        else
        {
            arb_one(arb_mat_entry(A, i, 0));
            arb_log(arb_mat_entry(A, i, 1), L + i, prec);
            arb_log(y + i, ag, prec);
            /* d log|g| = dg / |g| */
            if (e != NULL)
                arb_div(s + i, e + i, ag, prec);
        }
        arb_clear(ag);
    }
    if (ok)
    {
        neft_eft_fit_init(f, n, 2);
        ok = neft_eft_wls(f, A, y, e == NULL ? NULL : s, prec);
        if (ok)
        {
            arb_set(log_a, f->coeff + 0);
            arb_set(slope, f->coeff + 1);
            arb_set(chi2, f->chi2);
            arb_sqrt(slope_err, arb_mat_entry(f->cov, 1, 1), prec);
            if (scale_by_chi2 && neft_eft_fit_dof(f) > 0)
            {
                arb_t r;
                arb_init(r);
                arb_div_si(r, f->chi2, neft_eft_fit_dof(f), prec);
                arb_sqrt(r, r, prec);
                arb_mul(slope_err, slope_err, r, prec);
                arb_clear(r);
            }
        }
        neft_eft_fit_clear(f);
    }
    arb_mat_clear(A);
    _arb_vec_clear(y, n);
    _arb_vec_clear(s, n);
    return ok;
}
