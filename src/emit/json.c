/* JSON output: one object with the schema of docs/formats.md (the contract
   of DESIGN.md), keys in a fixed order.  One term per line, so that a large
   expansion can be read with line tools as well as with a JSON parser.
   Numbers that are exact rationals are strings ("p" or "p/q"): JSON numbers
   are doubles to most readers. */

#include <stdio.h>
#include "neft/emit.h"
#include "neft/json.h"
#include "emit-internal.h"

static void
_json_vertex(FILE * out, slong v, slong n)
{
    if (v < n)
        fprintf(out, "\"x%ld\"", (long) (v + 1));
    else
        fprintf(out, "\"y%ld\"", (long) (v - n + 1));
}

void
_neft_emit_json_term(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                     slong multiplicity)
{
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    slong i;
    int first;

    fputs("{\"coefficient\":", out);
    neft_json_write_fmpq(out, d->coeff);

    fputs(",\"couplings\":{", out);
    neft_diagram_powers(e, d, th->length);
    for (i = 0, first = 1; i < th->length; i++)
    {
        if (e[i] == 0)
            continue;
        if (!first)
            fputc(',', out);
        first = 0;
        neft_json_write_string(out, th->couplings[i].name);
        fprintf(out, ":%ld", (long) e[i]);
    }

    fputs("},\"vertices\":[", out);
    for (i = 0; i < d->m; i++)
    {
        fprintf(out, "%s{\"name\":\"y%ld\",\"coupling\":", i == 0 ? "" : ",", (long) (i + 1));
        neft_json_write_string(out, th->couplings[d->type[i]].name);
        if (d->tie != NULL && th->couplings[d->type[i]].npoints > 1)
            /* a point of a non-local vertex: the vertex's first point, its index */
            fprintf(out, ",\"vertex\":\"y%ld\",\"point\":%ld", (long) (d->tie[i] + 1),
                    (long) (i - d->tie[i]));
        fputc('}', out);
    }

    fputs("],\"edges\":[", out);
    for (i = 0; i < d->nedges; i++)
    {
        fputs(i == 0 ? "[" : ",[", out);
        _json_vertex(out, d->edges[2 * i], d->n);
        fputc(',', out);
        _json_vertex(out, d->edges[2 * i + 1], d->n);
        fputc(']', out);
    }
    fputc(']', out);

    if (multiplicity > 0)
        fprintf(out, ",\"multiplicity\":%ld", (long) multiplicity);
    fputc('}', out);
}

/* Everything before the first term. */
void
_neft_emit_json_header(FILE * out, const neft_expansion_t ex)
{
    const neft_theory_struct * th = ex->theory;
    slong i;
    int first;

    fprintf(out, "{\"points\":%ld,\"order\":%ld,", (long) ex->n, (long) ex->order);
    if (ex->min_order > 0)
        fprintf(out, "\"min_order\":%ld,", (long) ex->min_order);
    fputs("\"couplings\":[", out);
    for (i = 0; i < th->length; i++)
    {
        fputs(i == 0 ? "{\"name\":" : ",{\"name\":", out);
        neft_json_write_string(out, th->couplings[i].name);
        fprintf(out, ",\"legs\":%ld,\"weight\":", (long) th->couplings[i].legs);
        neft_json_write_fmpq(out, th->couplings[i].weight);
        if (th->couplings[i].npoints > 1)
        {
            slong j;
            fputs(",\"points\":[", out);
            for (j = 0; j < th->couplings[i].npoints; j++)
                fprintf(out, "%s%ld", j == 0 ? "" : ",", (long) th->couplings[i].point_legs[j]);
            fputc(']', out);
        }
        if (th->couplings[i].position > 0)
            fprintf(out, ",\"position\":%ld", (long) th->couplings[i].position);
        fputc('}', out);
    }
    fputs("],\"prune\":[", out);
    for (i = 0, first = 1; i < NEFT_PRUNE_COUNT; i++)
    {
        if (!(ex->prune & (1u << i)))
            continue;
        if (!first)
            fputc(',', out);
        first = 0;
        neft_json_write_string(out, neft_prune_name((int) i));
    }
    fputs("],\"terms\":[", out);
}

int
neft_emit_json(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt)
{
    const neft_theory_struct * th = ex->theory;
    slong * rep = NULL, * count = NULL;
    slong i;
    int first, status = 0;

    _neft_emit_json_header(out, ex);
    _neft_emit_groups(&rep, &count, ex, opt);
    for (i = 0, first = 1; i < ex->length; i++)
    {
        if (rep != NULL && rep[i] != i)
            continue;
        fputs(first ? "\n" : ",\n", out);
        first = 0;
        _neft_emit_json_term(out, ex->terms + i, th, rep != NULL ? count[i] : 0);
        if (ferror(out))
        {
            status = -1;
            break;
        }
    }
    fputs(first ? "]}\n" : "\n]}\n", out);

    flint_free(rep);
    flint_free(count);
    if (ferror(out))
        status = -1;
    return status;
}
