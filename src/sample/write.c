/* The writers of a sampling result (docs/cmd-sample.md): the text table
   and the JSON correlator file, ended by its digest (docs/formats.md). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "neft/sample.h"
#include "neft/json.h"

/* A double as JSON: %.17g, null when not finite. */
static void
print_num(FILE * out, double x)
{
    if (isfinite(x))
        fprintf(out, "%.17g", x);
    else
        fputs("null", out);
}

int
neft_sample_result_write_json(FILE * dest, const neft_sample_result_t res, const neft_sample_spec_t spec,
           double sw, double sb)
{
    slong i, k;
    char * buf = NULL;
    size_t len = 0;
    int rc;
    FILE * out = open_memstream(&buf, &len);
    if (out == NULL)
        return -1;
    fprintf(out, "{\"models\": %llu, \"inputs\": [", (unsigned long long) res->models);
    for (i = 0; i < spec->npoints; i++)
    {
        fputs(i ? ", [" : "[", out);
        for (k = 0; k < spec->d_in; k++)
        {
            if (k)
                fputs(", ", out);
            print_num(out, spec->points[i * spec->d_in + k]);
        }
        fputc(']', out);
    }
    fputs("], \"activation\": ", out);
    neft_json_write_string(out, neft_sample_activation_name(spec->activation));
    fprintf(out, ", \"d_in\": %ld, \"depth\": %ld, ", (long) spec->d_in, (long) spec->depth);
    if (spec->depth == 2)
        fprintf(out, "\"width\": %ld, ", (long) spec->widths[0]);
    fputs("\"widths\": [", out);
    for (i = 0; i < spec->depth - 1; i++)
        fprintf(out, "%s%ld", i ? ", " : "", (long) spec->widths[i]);
    fputs("], \"sw\": ", out);
    print_num(out, sw);
    fputs(", \"sb\": ", out);
    print_num(out, sb);
    fputs(", \"cw\": ", out);
    print_num(out, spec->cw);
    fputs(", \"cb\": ", out);
    print_num(out, spec->cb);
    fprintf(out, ", \"seed\": %llu, \"batches\": %ld, \"stderr\": \"delete-one-batch jackknife\", "
            "\"correlators\": [", (unsigned long long) spec->seed, (long) res->batches);
    for (i = 0; i < res->length; i++)
    {
        const neft_sample_corr_struct * c = res->corr + i;
        neft_json_write_correlator_head(out, i, c->npt, c->idx);
        fputs(", \"full\": {\"mean\": ", out);
        print_num(out, c->full.mean);
        fputs(", \"stderr\": ", out);
        print_num(out, c->full.stderr_);
        fputs("}, \"connected\": {\"mean\": ", out);
        print_num(out, c->connected.mean);
        fputs(", \"stderr\": ", out);
        print_num(out, c->connected.stderr_);
        fputs("}}", out);
    }
    fputs("\n]", out);
    fclose(out);
    rc = neft_json_write_digested(dest, buf, len);
    free(buf);
    return rc;
}

void
neft_sample_result_write_text(FILE * out, const neft_sample_result_t res, const neft_sample_spec_t spec,
           double sw, double sb)
{
    slong i, k;
    fprintf(out, "# %s net, d_in %ld, depth %ld, widths", neft_sample_activation_name(spec->activation),
            (long) spec->d_in, (long) spec->depth);
    for (i = 0; i < spec->depth - 1; i++)
        fprintf(out, "%s%ld", i ? "," : " ", (long) spec->widths[i]);
    fprintf(out, ", sw %.17g, sb %.17g; %llu models, seed %llu\n", sw, sb,
            (unsigned long long) res->models, (unsigned long long) spec->seed);
    fprintf(out, "# standard errors: delete-one-batch jackknife over %ld batches\n",
            (long) res->batches);
    fprintf(out, "# %-4s %-18s %-24s %-10s %-24s %s\n", "npt", "indices", "full", "stderr",
            "connected", "stderr");
    for (i = 0; i < res->length; i++)
    {
        const neft_sample_corr_struct * c = res->corr + i;
        char idx[64];
        int len = 0;
        for (k = 0; k < c->npt; k++)
            len += snprintf(idx + len, sizeof(idx) - (size_t) len, "%s%ld", k ? "," : "",
                            (long) c->idx[k]);
        fprintf(out, "  %-4ld %-18s %-24.16e %-10.3e %-24.16e %.3e\n", (long) c->npt, idx,
                c->full.mean, c->full.stderr_, c->connected.mean, c->connected.stderr_);
    }
}
