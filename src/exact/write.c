/* The writers of exact correlators (docs/cmd-exact.md): a text table of
   balls, or the JSON correlator file ended by its digest (docs/formats.md). */

#include <stdio.h>
#include <stdlib.h>
#include "neft/exact.h"
#include "neft/json.h"

/* The decimal text as given when it is a JSON number (the values were
   computed at exactly that decimal), else x as %.17g. */
static void
print_json_number(FILE * out, const char * text, double x, const char * prefix)
{
    const char * p = text;
    int ok = 1;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        ok = 0;
    if (ok && *p == '.')
    {
        p++;
        ok = *p >= '0' && *p <= '9';
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (ok && (*p == 'e' || *p == 'E'))
    {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        ok = *p >= '0' && *p <= '9';
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (ok && *p == '\0')
        fprintf(out, "%s%s", prefix, text);
    else
        fprintf(out, "%s%.17g", prefix, x);
}

/* The net's parameter's double.  Not inlined: GCC 12 with -fsanitize=undefined
   reports a false stringop-overread on the net's array parameter there. */
static double __attribute__((noinline))
param_d(neft_net_srcptr net)
{
    return neft_net_param_d(net);
}

int
neft_exact_result_write_json(FILE * dest, const neft_exact_result_t res,
                             const neft_exact_spec_t spec, const neft_exact_about_t * about,
                             slong prec)
{
    slong digits = (slong) (prec * 0.30103) + 2, i0, k, d_in = spec->net->d_in;
    /* held in memory: the digest covers the whole text (docs/formats.md) */
    neft_json_held_t held;
    FILE * out = neft_json_held_open(&held);
    if (out == NULL)
        return -1;
    fprintf(out, "{\"width\": %ld, \"inputs\": [", (long) about->width);
    for (i0 = 0; i0 < spec->npoints; i0++)
    {
        fputs(i0 ? ", [" : "[", out);
        for (k = 0; k < d_in; k++)
            print_json_number(out, about->inputs[i0 * d_in + k], about->x[i0 * d_in + k],
                              k ? ", " : "");
        fputc(']', out);
    }
    fputs("], \"activation\": ", out);
    neft_json_write_string(out, spec->net->act->name);
    if (spec->net->act->param_default != NULL)
    {
        /* the activation's parameter (leaky-relu's slope) as neft sample writes
           it: the double nearest (exact in the text header) */
        fprintf(out, ", \"%s\": %.17g", spec->net->act->param_name, param_d(spec->net));
    }
    fprintf(out, ", \"d_in\": %ld, \"depth\": 2, ", (long) d_in);
    print_json_number(out, about->sw, atof(about->sw), "\"sw\": ");
    print_json_number(out, about->sb, atof(about->sb), ", \"sb\": ");
    fprintf(out, ", \"prec\": %ld, \"correlators\": [", (long) prec);
    for (i0 = 0; i0 < res->length; i0++)
    {
        const neft_exact_corr_struct * c = res->corr + i0;
        neft_json_write_correlator_head(out, i0, c->npt, c->idx);
        fputs(", \"full\": ", out);
        neft_json_write_arb(out, c->full, digits);
        fputs(", \"connected\": ", out);
        neft_json_write_arb(out, c->connected, digits);
        fputs("}", out);
    }
    fputs("\n]", out);
    return neft_json_held_write(&held, dest) ? -2 : 0;
}

void
neft_exact_result_write_text(FILE * out, const neft_exact_result_t res,
                             const neft_exact_spec_t spec, const neft_exact_about_t * about,
                             slong prec)
{
    slong digits = (slong) (prec * 0.30103) + 2, i0, k;
    fprintf(out, "# %s net", spec->net->act->name);
    if (spec->net->act->param_default != NULL)
    {
        char * q = fmpq_get_str(NULL, 10, spec->net->param);
        fprintf(out, " (%s %s)", spec->net->act->param_name, q);
        flint_free(q);
    }
    fprintf(out, ", d_in %ld, width %ld, sw %s, sb %s: exact correlators (balls)\n",
            (long) spec->net->d_in, (long) about->width, about->sw, about->sb);
    for (i0 = 0; i0 < res->length; i0++)
    {
        const neft_exact_corr_struct * c = res->corr + i0;
        char idx[64], * f, * g;
        int len = 0;
        for (k = 0; k < c->npt; k++)
            len += snprintf(idx + len, sizeof(idx) - (size_t) len, "%s%ld",
                            k ? "," : "", (long) c->idx[k]);
        f = arb_get_str(c->full, digits, 0);
        g = arb_get_str(c->connected, digits, 0);
        fprintf(out, "  %-4ld %-18s full %s  connected %s\n", (long) c->npt, idx, f, g);
        flint_free(f);
        flint_free(g);
    }
}
