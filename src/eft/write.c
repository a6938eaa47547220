/* The writers of the fits of `neft fit` (docs/cmd-fit.md): text lines or
   one JSON object, balls by neft_json_write_arb. */

#include <string.h>
#include "neft/eft.h"
#include "neft/json.h"

/* How coupling c of a term is held (not fitted): from its own fit, --set,
   or 0; into buf. */
static void
_held(char * buf, size_t len, const neft_eft_fits_t F, const neft_eft_plan_struct * P, slong c)
{
    slong k;
    for (k = 0; k < P->ndep; k++)
        if (P->dep[k] == c)
        {
            snprintf(buf, len, "the %ld-point fit", (long) P->dep_npt[k]);
            return;
        }
    (void) F;
    snprintf(buf, len, "%s", P->given[c] ? "--set" : "0 (not given)");
}

/* The diagrams that entered (coupling monomials of the terms) and those
   the order left out, text or JSON. */
static void
diagrams(FILE * out, const neft_eft_fits_t F, const neft_eft_plan_struct * P, int json)
{
    const neft_theory_struct * th = P->ex->theory;
    neft_eft_mono_struct left[NEFT_EFT_MAX_MONO];
    slong k, c, nl, n = 0;
    char name[256], on[32], how[64];

    if (json)
        fprintf(out, ", \"order\": %ld, \"diagrams\": [", (long) P->order);
    else
    {
        neft_eft_order_name(on, sizeof on, 2 * P->order);
        fprintf(out, "# terms to O(%s):", on);
    }
    for (k = 0; k < F->nmono; k++)
    {
        int first = 1;
        neft_eft_mono_name(name, sizeof name, F->mono + k, th);
        neft_eft_order_name(on, sizeof on, F->mono[k].order2);
        if (json)
        {
            fprintf(out, "%s{\"couplings\": ", k ? ", " : "");
            neft_json_write_string(out, name);
            fprintf(out, ", \"order\": \"%s\", \"terms\": %ld, \"fitted\": %s, \"held\": {",
                    on, (long) F->mono[k].terms, F->mono_fitted[k] ? "true" : "false");
        }
        else
            fprintf(out, "%s %s (O(%s), %ld term%s, %s", k ? "," : "", name, on,
                    (long) F->mono[k].terms, F->mono[k].terms == 1 ? "" : "s",
                    F->mono_fitted[k] ? "fitted" : "held");
        for (c = 0; c < th->length; c++)
        {
            int fit = 0;
            slong j;
            if (F->mono[k].exp[c] == 0)
                continue;
            for (j = 0; j < P->ncpl; j++)
                fit |= P->cpl[j] == c;
            if (fit)
                continue;
            _held(how, sizeof how, F, P, c);
            if (json)
            {
                fputs(first ? "" : ", ", out);
                neft_json_write_string(out, th->couplings[c].name);
                fputs(": ", out);
                neft_json_write_string(out, how);
            }
            else
                fprintf(out, "%s%s from %s", first ? "; " : ", ", th->couplings[c].name, how);
            first = 0;
        }
        fputs(json ? "}}" : ")", out);
    }
    /* left out: the monomials of the full expansion above the order */
    nl = neft_eft_monomials(left, NEFT_EFT_MAX_MONO, P->full);
    fputs(json ? "], \"left_out\": [" : "", out);
    for (k = 0; k < nl; k++)
    {
        if (left[k].order2 <= 2 * P->order)
            continue;
        neft_eft_mono_name(name, sizeof name, left + k, th);
        neft_eft_order_name(on, sizeof on, left[k].order2);
        if (json)
        {
            fprintf(out, "%s{\"couplings\": ", n ? ", " : "");
            neft_json_write_string(out, name);
            fprintf(out, ", \"order\": \"%s\", \"terms\": %ld}", on, (long) left[k].terms);
        }
        else
            fprintf(out, "%s %s (O(%s), %ld term%s)", n ? "," : "; generated and left out (higher order):",
                    name, on, (long) left[k].terms, left[k].terms == 1 ? "" : "s");
        n++;
    }
    fputs(json ? "]" : "\n", out);
}

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
        fputs("]", out);
        if (about->plan != NULL && about->plan->order > 0)
            diagrams(out, F, about->plan, 1);
        else
            fputs(", \"order\": null", out);
        fprintf(out, ", \"fits\": [");
    }
    else
    {
        fprintf(out, "# fit of %s to the %ld-point connected correlator of %s (%ld tuples, %s)\n",
                F->ncpl == 1 ? "one coupling" : "the couplings", (long) about->npt, about->data,
                (long) about->ntuples, about->weighted ? "weighted by the standard errors"
                                       : F->has_err ? "sampled data, unit weights"
                                                    : "exact data, unit weights");
        if (about->plan != NULL && about->plan->order > 0)
            diagrams(out, F, about->plan, 0);
    }
}

/* The couplings held at their own fits' values at cutoff i. */
static void
held(FILE * out, const neft_eft_fits_t F, slong i, int json)
{
    slong k;
    char * s;
    if (json)
        fputs(", \"held\": {", out);
    for (k = 0; k < F->ndep; k++)
    {
        if (json)
        {
            fputs(k ? ", " : "", out);
            neft_json_write_string(out, F->dep_names[k]);
            fputs(": {\"value\": ", out);
            neft_json_write_arb(out, F->dg + i * F->ndep + k, 15);
            fprintf(out, ", \"from\": \"%ld-point fit\", \"stderr\": ", (long) F->dep_npt[k]);
            if (F->has_err)
                neft_json_write_arb(out, F->dge + i * F->ndep + k, 5);
            else
                fputs("null", out);
            fputs("}", out);
        }
        else
        {
            s = arb_get_str(F->dg + i * F->ndep + k, 15, 0);
            fprintf(out, "  (%s = %s from the %ld-point fit)", F->dep_names[k], s,
                     (long) F->dep_npt[k]);
            flint_free(s);
        }
    }
    if (json)
        fputs("}", out);
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
    {
        fprintf(out, "}");
        held(out, F, i, 1);
        fprintf(out, "}");
    }
    else
    {
        s = arb_get_str(F->chi2 + i, 5, ARB_STR_NO_RADIUS);
        fprintf(out, "  chi2/dof = %s/%ld", s, (long) F->dof[i]);
        flint_free(s);
        held(out, F, i, 0);
        fputs("\n", out);
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
