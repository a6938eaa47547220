/* The stage of the running: |lambda| ~ cutoff^p over the cutoffs, for the
   sampled lambda with the error propagated from the data (neft_eft_running,
   the computation of `neft fit` too) and for the exact lambda, both with the
   same weights (the sampled errors). */

#include <math.h>
#include "neft/json.h"
#include "neft/beta.h"
#include "validate-internal.h"

/* The formula's beta/lambda from dG/dlog(cutoff) = 0 (neft/beta.h) at the
   intervals' points, next to the measured local slopes (d_in = 1; the
   weights of the fits: the sampled errors w), and, with exact data E, the
   exact fitted lambda's running from the same boundary terms.  Left out
   (formula NULL) where neft_beta_local cannot give it. */
static void
_beta(neft_validate_result_t R, const neft_validate_spec_t spec, arb_srcptr w,
      const neft_eft_data_struct * S)
{
    const neft_theory_struct * th = R->ex4->theory;
    slong g = neft_theory_find(th, "lambda");
    neft_integrate_opt_t opt;
    char err[512];
    int st;
    if (spec->net->d_in != 1 || g < 0)
        return;
    neft_integrate_opt_init(opt);
    if (R->loc_e->n >= 2 && R->widths[R->fw].have_exact)
    {
        neft_eft_data_t E;
        _neft_validate_data(E, NULL, R->widths[R->fw].E, 4, R->pts, spec->npoints,
                            spec->net->d_in);
        st = neft_beta_local(R->loc_e, th, R->ex4->prune, 1, g, R->K, E, w, opt, spec->prec,
                             err, sizeof err);
        neft_eft_data_clear(E);
        if (neft_status_has_value(st) && st != NEFT_BAD_INPUT && R->loc_s->n == R->loc_e->n)
            neft_eft_local_set_formula(R->loc_s, R->loc_e->formula, NULL);
    }
    else if (R->loc_s->n >= 2)
        neft_beta_local(R->loc_s, th, R->ex4->prune, 1, g, R->K, S, w, opt, spec->prec, err,
                        sizeof err);
}

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
    /* read locally, the errors propagated from the sampled G4c */
    neft_eft_local(R->loc_s, L, g, e, maps, 0, C, D->err, spec->prec);
    R->loc_s->expected = R->loc_e->expected = _neft_validate_expected_slope(R, spec);
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
        /* read locally: the exact balls carry the uncertainty (unit weights) */
        if (all)
            neft_eft_local(R->loc_e, L, g, NULL, NULL, 0, C, NULL, spec->prec);
        arb_clear(u);
        arb_clear(v);
    }
    _beta(R, spec, D->err, D);
    neft_eft_data_clear(D);
    flint_free(maps);
    _arb_vec_clear(L, C);
    _arb_vec_clear(g, C);
    _arb_vec_clear(e, C);
}

void
_neft_validate_prefill(neft_validate_result_t R, const neft_validate_spec_t spec)
{
    slong c, C = R->ncutoffs;
    arf_struct * L;
    if (C < 1)
        return;
    L = flint_malloc(C * sizeof(arf_struct));
    for (c = 0; c < C; c++)
    {
        arf_init(L + c);
        arf_set_d(L + c, R->cuts[c].L);     /* (as neft_validate_fit sets the cutoff) */
    }
    /* (a stop request: the fit's stage reports it) */
    /* G4's and G6's (the 6-leg vertex of kappa too, evaluated at kappa = 0,
       for the O(1/N^2) stage; d_in >= 2 only when that stage runs: ex6p,
       as neft_validate_fit, otherwise) */
    if (neft_eval_prefill_cutoffs(R->ctx, R->ex4, R->pts, spec->npoints, L, C)
            != NEFT_INTEGRATE_INTERRUPTED)
        neft_eval_prefill_cutoffs(R->ctx, spec->net->d_in == 1
                                  || _neft_validate_order2_supported(R->th, R->ctx, L + C - 1)
                                  ? R->ex6 : R->ex6p, R->pts, spec->npoints, L, C);
    for (c = 0; c < C; c++)
        arf_clear(L + c);
    flint_free(L);
}

/* "v +- e" of a sampled number, the ball of an exact one, "n/a" */
static void
_num(FILE * out, int ok, const arb_t x, const arb_t sd, int sampled)
{
    if (!ok)
        fputs("n/a", out);
    else if (sampled)
        fprintf(out, "%.4f +- %.4f", _neft_validate_mid(x), _neft_validate_ub(sd));
    else
    {
        char * a = arb_get_str(x, 8, 0);
        fputs(a, out);
        flint_free(a);
    }
}

void
_neft_validate_write_local_text(FILE * out, const neft_validate_result_t R,
                                const neft_validate_spec_t spec)
{
    const neft_eft_local_struct * S = R->loc_s, * E = R->loc_e;
    slong i;
    if (S->n < 2)
        return;
    fprintf(out, "  last decade (%ld cutoffs, %g to %g): p = ", (long) (S->n - S->first),
            S->from, S->to);
    _num(out, S->last == NEFT_EFT_RUNNING_OK, S->p, S->p_sd, 1);
    fputs(" (sampled), ", out);
    _num(out, E->n >= 2 && E->last == NEFT_EFT_RUNNING_OK, E->p, E->p_sd, 0);
    fprintf(out, " (exact); expected %g\n", S->expected);
    if (E->n >= 2 && !isnan(E->lo))
        fprintf(out, "  the exact local slope still runs over that decade: %.6f .. %.6f\n",
                E->lo, E->hi);
    if (_neft_validate_kernel_grows(R->K))
        fprintf(out, "  beta(lambda) = dlambda/dlog(cutoff) = p lambda there; expected beta = %g "
                "lambda (-(4 + d_in) lambda: the kernel grows like |y|; HMS's -d_in lambda "
                "holds for bounded kernels)\n", S->expected);
    else
        fprintf(out, "  beta(lambda) = dlambda/dlog(cutoff) = p lambda there; HMS: beta = -d_in "
                "lambda = %g lambda (d_in = %ld)\n", S->expected, (long) spec->net->d_in);
    fputs("  local slope d log|lambda| / d log(cutoff) between consecutive cutoffs:\n"
          "     cutoff   sampled                exact", out);
    if (S->formula != NULL)
        fputs("                    beta/lambda from dG/dlog(cutoff) = 0", out);
    if (E->n >= 2 && E->formula_fit != NULL)
        fputs(" (and the exact fit's slope from it)", out);
    fputs("\n", out);
    for (i = 0; i < S->n - 1; i++)
    {
        fprintf(out, "  %9.4g   ", S->x[i]);
        _num(out, S->st[i] == NEFT_EFT_RUNNING_OK, S->slope + i, S->slope_sd + i, 1);
        fputs("   ", out);
        _num(out, E->n >= 2 && E->st[i] == NEFT_EFT_RUNNING_OK, E->slope + i, NULL, 0);
        if (S->formula != NULL)
        {
            fputs("   ", out);
            _num(out, 1, S->formula + i, NULL, 0);
        }
        if (E->n >= 2 && E->formula_fit != NULL)
        {
            fputs("   ", out);
            _num(out, 1, E->formula_fit + i, NULL, 0);
        }
        fputs("\n", out);
    }
}

void
_neft_validate_write_local_json(FILE * m, const neft_validate_result_t R)
{
    if (R->loc_s->n >= 2)
    {
        fputs(",\n  \"sampled\": {\"cutoffs\": ", m);
        fprintf(m, "%ld", (long) R->loc_s->n);
        neft_eft_local_write(m, R->loc_s, "lambda", 1);
        fputs("}", m);
    }
    if (R->loc_e->n >= 2)
    {
        fputs(",\n  \"exact\": {\"cutoffs\": ", m);
        fprintf(m, "%ld", (long) R->loc_e->n);
        neft_eft_local_write(m, R->loc_e, "lambda", 1);
        fputs("}", m);
    }
}
