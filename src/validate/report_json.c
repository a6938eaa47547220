/* report.json of the experiment (docs/cmd-validate.md): numbers, or null
   and a key NAME_why with the reason (JSON has no NaN). */

#include <errno.h>
#include <string.h>
#include "neft/json.h"
#include "validate-internal.h"

/* "key": value, or "key": null, "key_why": "reason" */
static void
_js(FILE * m, const char * key, const neft_validate_num_t * x)
{
    if (x->ok)
        fprintf(m, "\"%s\": %.8g", key, x->v);
    else
    {
        fprintf(m, "\"%s\": null, \"%s_why\": ", key, key);
        neft_json_write_string(m, x->why);
    }
}

/* _js of n numbers, separated by ", " */
static void
_js_list(FILE * m, const char * const * keys, const neft_validate_num_t * const * x, slong n)
{
    slong i;
    for (i = 0; i < n; i++)
    {
        fputs(i ? ", " : "", m);
        _js(m, keys[i], x[i]);
    }
}

void
_neft_validate_write_json(FILE * m, const neft_validate_result_t R,
                        const neft_validate_spec_t spec)
{
    slong d = spec->net->d_in, np = spec->npoints, W = R->nwidths, C = R->ncutoffs, w, c, i, t;
    double sw = neft_net_sw_d(spec->net), sb = neft_net_sb_d(spec->net);

    fputs("{\"activation\": ", m);
    neft_json_write_string(m, _neft_validate_act_name(spec));
    fprintf(m, ", \"d_in\": %ld, \"sw\": %.17g, \"sb\": %.17g, "
               "\"models\": %llu, \"seed\": %llu, \"inputs\": [",
            (long) d, sw, sb,
            (unsigned long long) spec->models, (unsigned long long) spec->seed);
    for (i = 0; i < np; i++)
    {
        fprintf(m, "%s[", i ? ", " : "");
        for (t = 0; t < d; t++)
            fprintf(m, "%s%.17g", t ? ", " : "", spec->points[i * d + t]);
        fprintf(m, "]");
    }
    /* the stages the library does not support here: [{"stage": .., "why": ..}] */
    fprintf(m, "],\n \"skipped\": [");
    for (i = 0; i < R->nskipped; i++)
    {
        fprintf(m, "%s{\"stage\": ", i ? ", " : "");
        neft_json_write_string(m, R->skipped[i].stage);
        fputs(", \"status\": \"unsupported\", \"why\": ", m);
        neft_json_write_string(m, R->skipped[i].why);
        fputs("}", m);
    }
    fprintf(m, "],\n \"widths\": [");
    for (w = 0; w < W; w++)
    {
        static const char * const wk[5] = {"dev4", "background4", "dev6", "background6",
                                           "g6c_over_exact"};
        const neft_validate_width_struct * X = R->widths + w;
        const neft_validate_num_t * wv[5] = {X->dev + 0, X->bg + 0, X->dev + 1, X->bg + 1,
                                             &X->c6_ratio};
        fprintf(m, "%s\n  {\"width\": %ld, ", w ? "," : "", (long) X->width);
        _js_list(m, wk, wv, 5);
        if (R->widths[w].c6_ratio.ok)
            fprintf(m, ", \"g6c_over_exact_err\": %.6g", R->widths[w].c6_ratio.e);
        fputs(", ", m);
        _js(m, "g6c_pull", &R->widths[w].c6_pull);
        fputs(", ", m);
        _js(m, "g4c_pull_max", &R->widths[w].c4_pull);
        fputs(", ", m);
        _neft_validate_unreliable_json(m, X);
        fputs("}", m);
    }
    fprintf(m, "],\n \"fit_width\": %ld, \"weights\": \"sampled standard errors\", "
               "\"cutoffs\": [", (long) spec->fit_width);
    for (c = 0; c < C; c++)
    {
        const neft_validate_cutoff_struct * U = R->cuts + c;
        static const char * nm4[2] = {"sampled", "exact"};
        const neft_validate_tuples_t * tu[2] = {&U->tup_s, &U->tup_e};
        fprintf(m, "%s\n  {\"cutoff\": %.17g, \"lambda_sampled\": ", c ? "," : "", U->L);
        neft_json_write_arb(m, U->lam_s, 15);
        fprintf(m, ", \"lambda_stderr\": %.6g, \"lambda_stderr_independent\": %.6g, "
                   "\"chi2\": %.6g, \"dof\": %ld, ", U->lam_s_err, U->lam_s_err_indep, U->chi2_s,
                (long) U->dof);
        _js(m, "chi2_per_dof", &U->chi2dof_s);
        fprintf(m, ", \"lambda_exact\": ");
        if (U->have_e)
        {
            neft_json_write_arb(m, U->lam_e, 15);
            fprintf(m, ", \"chi2_exact\": %.6g", U->chi2_e);
        }
        else
            fprintf(m, "null");
        for (t = 0; t < 2; t++)
        {
            static const char * const tk[5] = {"mean", "sd", "min", "max", "max_pull"};
            const neft_validate_num_t * tv[5] = {&tu[t]->mean, &tu[t]->sd, &tu[t]->min, &tu[t]->max,
                                  &tu[t]->max_pull};
            fprintf(m, ",\n   \"lambda_tuples_%s\": {", nm4[t]);
            _js_list(m, tk, tv, 5);
            fputs("}", m);
        }
        {
            static const char * const gk[6] = {"g6_gp_over_sampled", "g6_eft_over_sampled",
                "g6_gp_pull", "g6_eft_pull", "g6_gp_over_exact", "g6_eft_over_exact"};
            const neft_validate_num_t * gv[6] = {&U->r_gp, &U->r_eft, &U->d_gp, &U->d_eft,
                                                 &U->re_gp,
                                  &U->re_eft};
            fputs(",\n   ", m);
            _js_list(m, gk, gv, 6);
        }
        fputs("}", m);
    }
    fprintf(m, "],\n \"running\": {\"slope_sampled\": ");
    if (R->have_slope_s)
    {
        neft_json_write_arb(m, R->s_slope, 15);
        fprintf(m, ", \"slope_stderr\": %.6g, \"slope_stderr_independent\": %.6g",
                _neft_validate_ub(R->s_err), _neft_validate_ub(R->s_err_indep));
    }
    else
        fprintf(m, "null, \"slope_sampled_why\": \"%s\"", R->slope_why);
    fprintf(m, ", \"slope_exact\": ");
    if (R->have_slope_e)
        neft_json_write_arb(m, R->e_slope, 15);
    else
        fprintf(m, "null");
    fprintf(m, ", \"expected\": %g", _neft_validate_expected_slope(R, spec));
    _neft_validate_write_local_json(m, R);
    fputs("}", m);
    _neft_validate_write_order2_json(m, R, spec);      /* (src/validate/report_order2.c) */
    fprintf(m, ",\n \"warnings\": [");
    _neft_validate_unreliable_lines(m, "\"", "\"", ", ", R);
    fprintf(m, "]}\n");

}

int
neft_validate_print_report_json(FILE * out, const char * dir, char * err, size_t errlen)
{
    size_t n = strlen(dir) + 16, k;
    char * path = flint_malloc(n), buf[4096];
    FILE * in;
    int ok;
    snprintf(path, n, "%s/report.json", dir);
    if ((in = fopen(path, "rb")) == NULL)
    {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        flint_free(path);
        return NEFT_FAILURE;
    }
    while ((k = fread(buf, 1, sizeof buf, in)) > 0 && fwrite(buf, 1, k, out) == k)
        ;
    ok = !ferror(in) && !ferror(out);
    if (!ok)
        snprintf(err, errlen, "%s: cannot copy the report: %s", path, strerror(errno));
    fclose(in);
    flint_free(path);
    return ok ? NEFT_SUCCESS : NEFT_FAILURE;
}
