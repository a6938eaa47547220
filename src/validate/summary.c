/* The summary table of the experiment (n/a for the numbers that are not;
   the reasons below the table). */

#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include "validate-internal.h"

double
_neft_validate_expected_slope(const neft_validate_result_t R, const neft_validate_spec_t spec)
{
    slong d = spec->net->d_in;
    return _neft_validate_kernel_grows(R->K) ? -(4.0 + d) : -(double) d;
}

void
_neft_validate_write_summary(FILE * out, const neft_validate_result_t R,
                             const neft_validate_spec_t spec)
{
    slong d = spec->net->d_in, np = spec->npoints, W = R->nwidths, C = R->ncutoffs, w, c, t;
    double sw = neft_net_sw_d(spec->net), sb = neft_net_sb_d(spec->net);
    int grows = _neft_validate_kernel_grows(R->K);
    char * nbuf = NULL;
    size_t nlen = 0;
    FILE * nm;

    nm = open_memstream(&nbuf, &nlen);
    fprintf(out, "# neft validate: %s, d_in = %ld, sw = %g, sb = %g, %ld inputs, %llu models "
                 "per width\n", _neft_validate_act_name(spec), (long) d, sw,
            sb, (long) np, (unsigned long long) spec->models);
    if (d > 1)
    {
        /* the points of several coordinates (d_in = 1: the report's "inputs") */
        fputs("  inputs:", out);
        for (t = 0; t < np; t++)
        {
            slong j;
            fputs(t ? ", (" : " (", out);
            for (j = 0; j < d; j++)
                fprintf(out, "%s%g", j ? ", " : "", spec->points[t * d + j]);
            fputs(")", out);
        }
        fputs("\n", out);
    }
    /* the stages the library does not support here (docs/cmd-validate.md) */
    _neft_validate_skipped_lines(out, "  ", "\n", R);
    fprintf(out, "\n  width   |G4-GP|/GP   background   |G6-GP|/GP   background   G6c/exact   "
                 "|G6c-exact|/err\n");
    for (w = 0; w < W; w++)
    {
        const neft_validate_width_struct * X = R->widths + w;
        long N = (long) X->width;
        fprintf(out, "  %5ld   ", N);
        _neft_validate_txt(out, nm, "%.3e", 10, X->dev + 0, "|G4-GP|/GP at width %ld", N);
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.3e", 10, X->bg + 0, "background of G4 at width %ld", N);
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.3e", 10, X->dev + 1, "|G6-GP|/GP at width %ld", N);
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.3e", 10, X->bg + 1, "background of G6 at width %ld", N);
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.4f", 9, &X->c6_ratio, "G6c/exact at width %ld", N);
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.2f", 8, &X->c6_pull, "|G6c-exact|/err at width %ld", N);
        fputs("\n", out);
    }
    fprintf(out, "\n  fit at width %ld (sampled and exact G4c, both weighted by the sampled "
                 "standard errors)\n", (long) spec->fit_width);
    fprintf(out, "  cutoff   lambda (sampled)            lambda (exact)       chi2/dof   "
                 "G6_GP/G6   G6_EFT/G6   |GP-G6|/err   |EFT-G6|/err\n");
    for (c = 0; c < C; c++)
    {
        const neft_validate_cutoff_struct * U = R->cuts + c;
        neft_validate_num_t le;
        if (U->have_e)
            _neft_validate_num_set(&le, _neft_validate_mid(U->lam_e), NAN);
        else
            _neft_validate_num_na(&le, "no exact correlators");
        fprintf(out, "  %6g   %12.5e +- %9.2e   ", U->L, _neft_validate_mid(U->lam_s),
                U->lam_s_err);
        _neft_validate_txt(out, NULL, "%.7e", 14, &le, "");
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.2f", 7, &U->chi2dof_s, "chi2/dof at cutoff %g", U->L);
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.4f", 8, &U->r_gp, "G6_GP/G6 at cutoff %g", U->L);
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.4f", 9, &U->r_eft, "G6_EFT/G6 at cutoff %g", U->L);
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.2f", 10, &U->d_gp, "|GP-G6|/err at cutoff %g", U->L);
        fputs("   ", out);
        _neft_validate_txt(out, nm, "%.2f", 10, &U->d_eft, "|EFT-G6|/err at cutoff %g", U->L);
        fputs("\n", out);
    }
    fprintf(out, "\n  per-tuple lambda (G4c_t / I_t alone, HMS's lambda_m): mean, spread (sd) "
                 "and the largest |residual|/err of each fit\n"
                 "  cutoff   sampled: mean      sd          max pull   exact: mean        sd  "
                 "        max pull\n");
    for (c = 0; c < C; c++)
    {
        const neft_validate_cutoff_struct * U = R->cuts + c;
        const neft_validate_tuples_t * tu[2] = {&U->tup_s, &U->tup_e};
        fprintf(out, "  %6g   ", U->L);
        for (t = 0; t < 2; t++)
        {
            fputs(t ? "   " : "", out);
            _neft_validate_txt(out, NULL, "%.5e", 17, &tu[t]->mean, "");
            _neft_validate_txt(out, NULL, "%.2e", 12, &tu[t]->sd, "");
            _neft_validate_txt(out, NULL, "%.2f", 11, &tu[t]->max_pull, "");
        }
        fputs("\n", out);
    }
    {
        double expect = _neft_validate_expected_slope(R, spec);
        fprintf(out, "\n  running: |lambda| ~ cutoff^p, p = ");
        if (R->have_slope_s)
            fprintf(out, "%.4f +- %.4f (sampled; %.4f for independent tuples)",
                    _neft_validate_mid(R->s_slope),
                    _neft_validate_ub(R->s_err), _neft_validate_ub(R->s_err_indep));
        else
            fprintf(out, "n/a (sampled: %s)", R->slope_why);
        if (R->have_slope_e)
            fprintf(out, ", %.6f (exact)", _neft_validate_mid(R->e_slope));
        if (grows)
            fprintf(out, "; expected at large cutoff: %g (-(4 + d_in): the %s kernel grows like "
                    "|y|)\n", expect, R->K->act == neft_act_lookup("relu") ? "ReLU"
                                                                         : R->K->act->name);
        else
            fprintf(out, "; expected at large cutoff: %g (-d_in: bounded kernel)\n", expect);
        _neft_validate_write_local_text(out, R, spec);
    }
    _neft_validate_write_order2_summary(out, nm, R, spec);    /* (src/validate/report_order2.c) */
    fclose(nm);
    if (nlen > 0)
        fprintf(out, "\n%s", nbuf);
    free(nbuf);
    /* sampled error bars the sampler flags (heavy tails) */
    _neft_validate_unreliable_lines(out, "\n  WARNING: ", "\n", "", R);

}
