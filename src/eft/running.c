/* The running of a coupling with the cutoff: a power-law fit (neft_eft_power_law). */

#include "neft/eft.h"

/* The straight-line fit of log|g_i| against log L_i with weights
   (g_i / e_i)^2 (e == NULL: unit), into f (initialised by the caller for
   n data and 2 parameters: log a, p).  Returns 0 as neft_eft_power_law. */
static int
_loglog(neft_eft_fit_t f, arb_srcptr L, arb_srcptr g, arb_srcptr e, slong n, slong prec)
{
    arb_mat_t A;
    arb_ptr y, s;
    arb_t ag;
    slong i;
    int ok = n >= 2;

    arb_mat_init(A, n, 2);
    y = _arb_vec_init(n);
    s = _arb_vec_init(n);
    arb_init(ag);
    for (i = 0; i < n && ok; i++)
    {
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
    }
    ok = ok && neft_eft_wls(f, A, y, e == NULL ? NULL : s, prec);
    arb_clear(ag);
    arb_mat_clear(A);
    _arb_vec_clear(y, n);
    _arb_vec_clear(s, n);
    return ok;
}

/* The log-log fit of the n data into f with slope, log_a, chi2 set from it:
   1 with f initialised (n data, 2 parameters; the caller clears it), or 0
   with f not initialised (n < 2, or no fit as neft_eft_power_law). */
static int
_power(neft_eft_fit_t f, arb_t slope, arb_t log_a, arb_t chi2, arb_srcptr L, arb_srcptr g,
       arb_srcptr e, slong n, slong prec)
{
    if (n < 2)
        return 0;
    neft_eft_fit_init(f, n, 2);
    if (!_loglog(f, L, g, e, n, prec))
    {
        neft_eft_fit_clear(f);
        return 0;
    }
    arb_set(log_a, f->coeff + 0);
    arb_set(slope, f->coeff + 1);
    arb_set(chi2, f->chi2);
    return 1;
}

int
neft_eft_power_law(arb_t slope, arb_t slope_err, arb_t log_a, arb_t chi2,
                   arb_srcptr L, arb_srcptr g, arb_srcptr e, slong n,
                   int scale_by_chi2, slong prec)
{
    neft_eft_fit_t f;

    if (!_power(f, slope, log_a, chi2, L, g, e, n, prec))
        return 0;
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
    neft_eft_fit_clear(f);
    return 1;
}

int
neft_eft_power_law_sens(arb_t slope, arb_t log_a, arb_t chi2, arb_ptr dslope,
                        arb_srcptr L, arb_srcptr g, arb_srcptr e, slong n, slong prec)
{
    neft_eft_fit_t f;
    slong i;

    if (!_power(f, slope, log_a, chi2, L, g, e, n, prec))
        return 0;
    /* slope = sum_i b_i log|g_i| with b the slope's row of the map; the
       weights w_i = (g_i/e_i)^2 move with g_i too: d slope / d w_i =
       (b_i / w_i) r_i (r the residual of log|g_i|), d w_i / d g_i =
       2 w_i / g_i, so d slope / d g_i = b_i (1 + 2 r_i) / g_i */
    for (i = 0; dslope != NULL && i < n; i++)
    {
        if (e != NULL)
        {
            arb_mul_2exp_si(dslope + i, f->resid + i, 1);
            arb_add_ui(dslope + i, dslope + i, 1, prec);
            arb_mul(dslope + i, dslope + i, arb_mat_entry(f->map, 1, i), prec);
        }
        else
            arb_set(dslope + i, arb_mat_entry(f->map, 1, i));
        arb_div(dslope + i, dslope + i, g + i, prec);
    }
    neft_eft_fit_clear(f);
    return 1;
}

void
neft_eft_running_error(arb_t sd, arb_t sd_indep, arb_srcptr dslope, const arb_mat_struct * maps,
                       slong j, slong n, arb_srcptr s, slong prec)
{
    slong T = arb_mat_ncols(maps + 0), t, i;
    arb_t G, u, a, b;
    arb_init(G);
    arb_init(u);
    arb_init(a);
    arb_init(b);
    for (t = 0; t < T; t++)
    {
        arb_zero(G);
        for (i = 0; i < n; i++)
            arb_addmul(G, dslope + i, arb_mat_entry(maps + i, j, t), prec);
        if (s != NULL)
            arb_mul(G, G, s + t, prec);
        arb_abs(u, G);
        arb_add(a, a, u, prec);
        arb_addmul(b, G, G, prec);
    }
    if (sd != NULL)
        arb_set(sd, a);
    if (sd_indep != NULL)
        arb_sqrtpos(sd_indep, b, prec);
    arb_clear(G);
    arb_clear(u);
    arb_clear(a);
    arb_clear(b);
}

int
neft_eft_running(arb_t slope, arb_t log_a, arb_t sd, arb_t sd_indep, arb_srcptr L,
                 arb_srcptr g, arb_srcptr e, const arb_mat_struct * maps, slong j, slong n,
                 arb_srcptr s, slong prec)
{
    arb_ptr ds;
    arb_t u, chi2;
    slong i;
    int st = NEFT_EFT_RUNNING_OK;

    arb_zero(sd);
    arb_zero(sd_indep);
    arb_init(u);
    /* a value within its error of 0: log|g| is not a number */
    for (i = 0; e != NULL && i < n && st == NEFT_EFT_RUNNING_OK; i++)
    {
        arb_abs(u, g + i);
        if (!arb_gt(u, e + i))
            st = NEFT_EFT_RUNNING_NOISY;
    }
    arb_clear(u);
    if (st != NEFT_EFT_RUNNING_OK)
        return st;
    ds = _arb_vec_init(n);
    arb_init(chi2);
    if (!neft_eft_power_law_sens(slope, log_a, chi2, ds, L, g, e, n, prec))
        st = NEFT_EFT_RUNNING_ZERO;
    else if (s != NULL)
        /* the error propagated from the data through the fits (docs/eft.md) */
        neft_eft_running_error(sd, sd_indep, ds, maps, j, n, s, prec);
    arb_clear(chi2);
    _arb_vec_clear(ds, n);
    return st;
}
