/* The stage of the running: |lambda| ~ cutoff^p over the cutoffs, for the
   sampled lambda with the error propagated from the data (neft_eft_running,
   the computation of `neft fit` too) and for the exact lambda, both with the
   same weights (the sampled errors). */

#include "validate-internal.h"

void
neft_validate_running(neft_validate_result_t R, const neft_validate_spec_t spec)
{
    slong c, C = R->ncutoffs;
    arb_ptr L, g, e;
    arb_mat_struct * maps;
    neft_eft_data_t D;
    arb_t u, v;
    int st, all = 1;

    R->have_slope_s = R->have_slope_e = 0;
    if (C < 2)
    {
        snprintf(R->slope_why, sizeof R->slope_why, "one cutoff");
        return;
    }
    L = _arb_vec_init(C);
    g = _arb_vec_init(C);
    e = _arb_vec_init(C);
    maps = flint_malloc(sizeof(arb_mat_struct) * C);
    _neft_validate_data(D, R->widths[R->fw].S, NULL, 4, R->pts, spec->npoints, spec->net->d_in);
    for (c = 0; c < C; c++)
    {
        arb_set_d(L + c, R->cuts[c].L);
        arb_set(g + c, R->cuts[c].lam_s);
        arb_set_d(e + c, R->cuts[c].lam_s_err);
        maps[c] = *R->cuts[c].map;
    }
    st = neft_eft_running(R->s_slope, R->s_loga, R->s_err, R->s_err_indep, L, g, e, maps, 0, C,
                          D->err, spec->prec);
    R->have_slope_s = st == NEFT_EFT_RUNNING_OK;
    if (st == NEFT_EFT_RUNNING_NOISY)
        snprintf(R->slope_why, sizeof R->slope_why, "a fitted lambda is noise-dominated (its "
                 "error is not below its value): log|lambda| is not a number");
    else if (st == NEFT_EFT_RUNNING_ZERO)
        snprintf(R->slope_why, sizeof R->slope_why, "a fitted lambda may be 0");
    else
        R->slope_why[0] = '\0';
    if (R->widths[R->fw].have_exact)
    {
        for (c = 0; c < C; c++)
        {
            all = all && R->cuts[c].have_e;
            arb_set(g + c, R->cuts[c].lam_e);
        }
        arb_init(u);
        arb_init(v);
        if (all)
            R->have_slope_e = neft_eft_power_law_sens(R->e_slope, u, v, NULL, L, g, e, C,
                                                      spec->prec);
        arb_clear(u);
        arb_clear(v);
    }
    neft_eft_data_clear(D);
    flint_free(maps);
    _arb_vec_clear(L, C);
    _arb_vec_clear(g, C);
    _arb_vec_clear(e, C);
}
