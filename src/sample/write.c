/* The writers of a sampling result (docs/cmd-sample.md): the text table
   and the JSON correlator file, ended by its digest (docs/formats.md). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "neft/sample.h"
#include "neft/json.h"

/* The flags as a JSON list of their names. */
static void
print_flags(FILE * out, unsigned flags)
{
    char buf[128];
    fprintf(out, "[%s]", neft_sample_flags_str(buf, sizeof buf, flags, ", ", "\""));
}

void
neft_sample_corr_write_json(FILE * out, slong t, const neft_sample_corr_struct * c)
{
    neft_json_write_correlator_head(out, t, c->npt, c->idx);
    fputs(", \"full\": {\"mean\": ", out);
    neft_json_write_double(out, c->full.mean);
    fputs(", \"stderr\": ", out);
    neft_json_write_double(out, c->full.stderr_);
    fputs(", \"stderr_iid\": ", out);
    neft_json_write_double(out, c->tails.stderr_iid);
    fputs(", \"ess\": ", out);
    neft_json_write_double(out, c->tails.ess);
    fputs(", \"ess_var\": ", out);
    neft_json_write_double(out, c->tails.ess_var);
    fputs(", \"sum_p\": ", out);
    neft_json_write_double(out, c->tails.sum_p);
    fputs(", \"sum_abs_p\": ", out);
    neft_json_write_double(out, c->tails.sum_abs_p);
    fputs(", \"sum_p2\": ", out);
    neft_json_write_double(out, c->tails.sum_p2);
    fputs(", \"sum_p4\": ", out);
    neft_json_write_double(out, c->tails.sum_p4);
    fputs(", \"flags\": ", out);
    print_flags(out, c->full.flags);
    fputs("}, \"connected\": {\"mean\": ", out);
    neft_json_write_double(out, c->connected.mean);
    fputs(", \"stderr\": ", out);
    neft_json_write_double(out, c->connected.stderr_);
    fputs(", \"flags\": ", out);
    print_flags(out, c->connected.flags);
    fputs("}}", out);
}

/* The activation's user parameter (leaky-relu's slope) when its row has one:
   1 and its name and double, else 0. */
static int
user_param(const char ** name, double * value, const neft_sample_spec_t spec)
{
    neft_act_srcptr act = spec->net->act;
    if (act == NULL || act->param_default == NULL)
        return 0;
    *name = act->param_name;
    *value = neft_net_param_d(spec->net);
    return 1;
}

int
neft_sample_result_write_json(FILE * dest, const neft_sample_result_t res, const neft_sample_spec_t spec)
{
    const neft_net_struct * net = spec->net;
    const slong d = net->d_in;
    const char * pname;
    double pval;
    slong i, k;
    neft_json_held_t held;
    FILE * out = neft_json_held_open(&held);
    if (out == NULL)
        return -1;
    fprintf(out, "{\"models\": %llu, \"inputs\": [", (unsigned long long) res->models);
    for (i = 0; i < spec->npoints; i++)
    {
        fputs(i ? ", [" : "[", out);
        for (k = 0; k < d; k++)
        {
            if (k)
                fputs(", ", out);
            neft_json_write_double(out, spec->points[i * d + k]);
        }
        fputc(']', out);
    }
    fputs("], \"activation\": ", out);
    neft_json_write_string(out, net->act != NULL ? net->act->name : "?");
    if (user_param(&pname, &pval, spec))
    {
        fputs(", ", out);
        neft_json_write_string(out, pname);
        fputs(": ", out);
        neft_json_write_double(out, pval);
    }
    fprintf(out, ", \"d_in\": %ld, \"depth\": %ld, ", (long) d, (long) net->depth);
    if (net->depth == 2)
        fprintf(out, "\"width\": %ld, ", (long) neft_net_width_si(net, 1));
    fputs("\"widths\": [", out);
    for (i = 1; i < net->depth; i++)
        fprintf(out, "%s%ld", i > 1 ? ", " : "", (long) neft_net_width_si(net, i));
    fputs("], \"sw\": ", out);
    neft_json_write_double(out, neft_net_sw_d(net));
    fputs(", \"sb\": ", out);
    neft_json_write_double(out, neft_net_sb_d(net));
    fputs(", \"cw\": ", out);
    neft_json_write_double(out, neft_net_cw_d(net));
    fputs(", \"cb\": ", out);
    neft_json_write_double(out, neft_net_cb_d(net));
    fprintf(out, ", \"seed\": %llu, \"batches\": %ld, \"stderr\": \"delete-one-batch jackknife\", "
            "\"estimator\": \"%s\", \"unreliable\": %ld, \"min_ess_var\": %g, "
            "\"max_stderr_ratio\": %g, \"correlators\": [", (unsigned long long) spec->seed,
            (long) res->batches, neft_sample_estimator_name(res->estimator),
            (long) res->unreliable, NEFT_SAMPLE_MIN_ESS_VAR, NEFT_SAMPLE_MAX_SE_RATIO);
    for (i = 0; i < res->length; i++)
        neft_sample_corr_write_json(out, i, res->corr + i);
    fputs("\n]", out);
    return neft_json_held_write(&held, dest);
}

void
neft_sample_result_write_text(FILE * out, const neft_sample_result_t res, const neft_sample_spec_t spec)
{
    const neft_net_struct * net = spec->net;
    const char * pname;
    double pval;
    slong i, k;
    fprintf(out, "# %s net", net->act != NULL ? net->act->name : "?");
    if (user_param(&pname, &pval, spec))
    {
        /* the exact rational the user gave (the nets use its nearest double) */
        char * q = fmpq_get_str(NULL, 10, net->param);
        fprintf(out, " (%s %s)", pname, q);
        flint_free(q);
    }
    fprintf(out, ", d_in %ld, depth %ld, widths", (long) net->d_in, (long) net->depth);
    for (i = 1; i < net->depth; i++)
        fprintf(out, "%s%ld", i > 1 ? "," : " ", (long) neft_net_width_si(net, i));
    fprintf(out, ", sw %.17g, sb %.17g; %llu models, seed %llu\n", neft_net_sw_d(net),
            neft_net_sb_d(net),
            (unsigned long long) res->models, (unsigned long long) spec->seed);
    fprintf(out, "# estimator %s; standard errors: delete-one-batch jackknife over %ld batches\n",
            neft_sample_estimator_name(res->estimator), (long) res->batches);
    if (res->unreliable > 0)
        fprintf(out, "# WARNING: %ld of %ld error bars are unreliable (flags: few-draws = "
                "fewer than %g draws carry the variance, so the error bar is itself uncertain "
                "and, with heavy tails, can be far too small; disagree = jackknife and "
                "i.i.d. errors differ by more than %gx; see docs/cmd-sample.md)\n",
                (long) res->unreliable, (long) res->length, NEFT_SAMPLE_MIN_ESS_VAR,
                NEFT_SAMPLE_MAX_SE_RATIO);
    fprintf(out, "# %-4s %-18s %-24s %-10s %-10s %-10s %-24s %-10s %s\n", "npt", "indices",
            "full", "stderr", "iid", "ess_var", "connected", "stderr", "flags");
    for (i = 0; i < res->length; i++)
    {
        const neft_sample_corr_struct * c = res->corr + i;
        char idx[64];
        int len = 0;
        for (k = 0; k < c->npt; k++)
            len += snprintf(idx + len, sizeof(idx) - (size_t) len, "%s%ld", k ? "," : "",
                            (long) c->idx[k]);
        char fl[64];
        neft_sample_flags_str(fl, sizeof(fl), c->full.flags | c->connected.flags, "+", "");
        if (fl[0] == '\0')
            snprintf(fl, sizeof fl, "-");
        fprintf(out, "  %-4ld %-18s %-24.16e %-10.3e %-10.3e %-10.3g %-24.16e %-10.3e %s\n",
                (long) c->npt, idx, c->full.mean, c->full.stderr_, c->tails.stderr_iid,
                c->tails.ess_var, c->connected.mean, c->connected.stderr_, fl);
    }
}
