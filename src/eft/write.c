/* The writers of the fits of `neft fit` (docs/cmd-fit.md): text lines or
   one JSON object, balls by neft_json_write_arb. */

#include <string.h>
#include "neft/eft.h"
#include "neft/json.h"

static void
header(FILE * out, const neft_eft_fits_t F, const neft_eft_fits_about_t * about, int json)
{
    slong j;
    if (json)
    {
        fputs("{\"data\": ", out);
        neft_json_write_string(out, about->data);
        fprintf(out, ", \"npt\": %ld, \"kernel\": ", (long) about->npt);
        neft_json_write_string(out, about->kernel);
        fprintf(out, ", \"d_in\": %ld, \"tuples\": %ld, \"weighted\": %s, \"weights\": \"%s\", "
                "\"couplings\": [", (long) about->d_in, (long) about->ntuples,
                about->weighted ? "true" : "false", about->weighted ? "errors" : "unit");
        for (j = 0; j < F->ncpl; j++)
        {
            fputs(j ? ", " : "", out);
            neft_json_write_string(out, F->names[j]);
        }
        fprintf(out, "], \"fits\": [");
    }
    else
        fprintf(out, "# fit of %s to the %ld-point connected correlator of %s (%ld tuples, %s)\n",
                F->ncpl == 1 ? "one coupling" : "the couplings", (long) about->npt, about->data,
                (long) about->ntuples, about->weighted ? "weighted by the standard errors"
                                       : F->has_err ? "sampled data, unit weights"
                                                    : "exact data, unit weights");
}

static void
cutoff(FILE * out, const neft_eft_fits_t F, slong i, int json)
{
    slong j, ncpl = F->ncpl;
    char * s;
    if (json)
    {
        fprintf(out, "%s\n  {\"cutoff\": ", i ? "," : "");
        neft_json_write_string(out, F->cuts[i]);
        fputs(", \"chi2\": ", out);
        neft_json_write_arb(out, F->chi2 + i, 10);
        fprintf(out, ", \"dof\": %ld, \"values\": {", (long) F->dof[i]);
    }
    else
        fprintf(out, "cutoff %s:", F->cuts[i]);
    for (j = 0; j < ncpl; j++)
    {
        if (json)
        {
            fputs(j ? ", " : "", out);
            neft_json_write_string(out, F->names[j]);
            fputs(": {\"value\": ", out);
            neft_json_write_arb(out, F->g + i * ncpl + j, 15);
            fprintf(out, ", \"stderr\": ");
            if (F->has_err)
                neft_json_write_arb(out, F->ge + i * ncpl + j, 5);
            else
                fprintf(out, "null");
            fprintf(out, ", \"stderr_independent\": ");
            if (F->has_err)
                neft_json_write_arb(out, F->gi + i * ncpl + j, 5);
            else
                fprintf(out, "null");
            fprintf(out, "}");
        }
        else
        {
            s = arb_get_str(F->g + i * ncpl + j, 15, 0);
            fprintf(out, "  %s = %s", F->names[j], s);
            flint_free(s);
            if (F->has_err)
            {
                s = arb_get_str(F->ge + i * ncpl + j, 3, ARB_STR_NO_RADIUS);
                fprintf(out, " (stat. error %s)", s);
                flint_free(s);
            }
        }
    }
    if (json)
        fprintf(out, "}}");
    else
    {
        s = arb_get_str(F->chi2 + i, 5, ARB_STR_NO_RADIUS);
        fprintf(out, "  chi2/dof = %s/%ld\n", s, (long) F->dof[i]);
        flint_free(s);
    }
}

static void
running(FILE * out, const neft_eft_fits_t F, slong j, int json)
{
    const char * name = F->names[j];
    if (F->running[j] == NEFT_EFT_RUNNING_OK && json)
    {
        fputs(j ? ", " : "", out);
        neft_json_write_string(out, name);
        fputs(": {\"slope\": ", out);
        neft_json_write_arb(out, F->slope + j, 10);
        fprintf(out, ", \"stderr\": ");
        neft_json_write_arb(out, F->serr + j, 5);
        fprintf(out, ", \"stderr_independent\": ");
        neft_json_write_arb(out, F->sind + j, 5);
        if (F->local != NULL)
            neft_eft_local_write(out, F->local + j, name, 1);
        fprintf(out, "}");
    }
    else if (F->running[j] == NEFT_EFT_RUNNING_OK)
    {
        char * s = arb_get_str(F->slope + j, 10, 0);
        char * t = arb_get_str(F->serr + j, 3, ARB_STR_NO_RADIUS);
        fprintf(out, "running: |%s| ~ cutoff^p, p = %s (stat. error %s)\n", name, s, t);
        if (F->local != NULL)
            neft_eft_local_write(out, F->local + j, name, 0);
        flint_free(s);
        flint_free(t);
    }
    else
    {
        const char * why = F->running[j] == NEFT_EFT_RUNNING_NOISY
            ? "a fitted value is noise-dominated (its error is not below its value)"
            : "a cutoff or fitted value not certainly non-zero";
        if (json)
        {
            fputs(j ? ", " : "", out);
            neft_json_write_string(out, name);
            fputs(": null, ", out);
            /* the key NAME_why */
            {
                size_t n = strlen(name);
                char * key = flint_malloc(n + 5);
                memcpy(key, name, n);
                memcpy(key + n, "_why", 5);
                neft_json_write_string(out, key);
                flint_free(key);
            }
            fputs(": ", out);
            neft_json_write_string(out, why);
        }
        else
            fprintf(out, "running: n/a for %s (%s)\n", name, why);
    }
}

void
neft_eft_fits_write(FILE * out, const neft_eft_fits_t F, const neft_eft_fits_about_t * about,
                    int json)
{
    slong i, j;
    header(out, F, about, json);
    for (i = 0; i < F->ncut; i++)
        cutoff(out, F, i, json);
    if (json)
        fprintf(out, "]");
    if (F->ncut >= 2)
    {
        if (json)
            fprintf(out, ", \"running\": {");
        for (j = 0; j < F->ncpl; j++)
            running(out, F, j, json);
        if (json)
            fprintf(out, "}");
    }
    if (json)
        fprintf(out, "}\n");
}
