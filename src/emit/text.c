/* Human-readable output, one term per line, in the notation of
   Halverson-Maiti-Stoner eq. 3.19:

       - 24 λ ∫ d^d y1 K(x1,y1) K(x2,y1) K(x3,y1) K(x4,y1) K(x5,x6)

   Lines starting with `#` are a header (theory, correlator, order, pruning,
   number of terms); every other non-empty line is exactly one term, so that
   tools can count and grep them.  The coefficient is always printed, even
   when it is 1, so a line never has to be read in context. */

#include <stdio.h>
#include <string.h>
#include "neft/emit.h"
#include "emit-internal.h"

#define _NAME_BUF (4 * NEFT_THEORY_NAME_MAX + 16)

/* The term line is assembled in memory and written with one fwrite: the
   line is the same bytes as a token-by-token fprintf would give, at a
   fraction of the cost (stdio locking and format parsing per token were
   about half of the time of a large streamed run). */

static char *
_put_ulong(char * p, ulong v)
{
    char tmp[24];
    int n = 0;
    do
    {
        tmp[n++] = (char) ('0' + v % 10);
        v /= 10;
    }
    while (v != 0);
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

static char *
_put_str(char * p, const char * s)
{
    size_t len = strlen(s);
    memcpy(p, s, len);
    return p + len;
}

/* vertex id v of a diagram with n externals: x1.., then y1... */
static char *
_put_vertex(char * p, slong v, slong n)
{
    if (v < n)
    {
        *p++ = 'x';
        return _put_ulong(p, (ulong) (v + 1));
    }
    *p++ = 'y';
    return _put_ulong(p, (ulong) (v - n + 1));
}

void
_neft_emit_text_term(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                     char names[][_NAME_BUF])
{
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    slong i, j;
    char stack[8192], * buf = stack, * p, * big = NULL, * bigden = NULL;
    size_t need;
    const fmpz * num = fmpq_numref(d->coeff), * den = fmpq_denref(d->coeff);
    int small = fmpz_fits_si(num) && fmpz_fits_si(den) && *num != WORD_MIN;

    if (!small)
    {
        big = fmpz_get_str(NULL, 10, num);
        bigden = fmpz_get_str(NULL, 10, den);
    }
    need = 64 + (big != NULL ? strlen(big) + strlen(bigden) : 0)
        + (size_t) th->length * (_NAME_BUF + 24)
        + (size_t) d->m * 32 + (size_t) d->nedges * 48;
    if (need > sizeof(stack))
        buf = flint_malloc(need);
    p = buf;

    /* Sign apart from the magnitude, as in a written sum. */
    *p++ = fmpq_sgn(d->coeff) < 0 ? '-' : '+';
    *p++ = ' ';
    if (small)
    {
        slong a = fmpz_get_si(num), b = fmpz_get_si(den);
        p = _put_ulong(p, (ulong) (a < 0 ? -a : a));
        if (b != 1)
        {
            *p++ = '/';
            p = _put_ulong(p, (ulong) b);
        }
    }
    else
    {
        p = _put_str(p, big + (big[0] == '-'));
        if (!fmpz_is_one(den))
        {
            *p++ = '/';
            p = _put_str(p, bigden);
        }
        flint_free(big);
        flint_free(bigden);
    }

    neft_diagram_powers(e, d, th->length);
    for (i = 0; i < th->length; i++)
    {
        if (e[i] == 0)
            continue;
        *p++ = ' ';
        p = _put_str(p, names[i]);
        if (e[i] > 1)
        {
            *p++ = '^';
            p = _put_ulong(p, (ulong) e[i]);
        }
    }

    if (d->m > 0)
    {
        p = _put_str(p, " ∫");
        for (i = 0; i < d->m; i++)
        {
            p = _put_str(p, " d^d y");
            p = _put_ulong(p, (ulong) (i + 1));
        }
        /* position weights |y|^p, and w(y1,y2,..) = 1 naming the points of
           each non-local vertex */
        for (i = 0; i < d->m; i++)
        {
            const neft_coupling_struct * cp = th->couplings + d->type[i];
            if (cp->position > 0)
            {
                p = _put_str(p, " |y");
                p = _put_ulong(p, (ulong) (i + 1));
                p = _put_str(p, "|^");
                p = _put_ulong(p, (ulong) cp->position);
            }
            if (d->tie != NULL && d->tie[i] == i && cp->npoints > 1)
            {
                for (j = 0; j < cp->npoints; j++)
                {
                    p = _put_str(p, j == 0 ? " w(y" : ",y");
                    p = _put_ulong(p, (ulong) (i + j + 1));
                }
                *p++ = ')';
            }
        }
    }

    /* Edges are sorted, so parallel edges are adjacent: one power each. */
    for (i = 0; i < d->nedges; i = j)
    {
        slong u = d->edges[2 * i], v = d->edges[2 * i + 1];
        for (j = i + 1; j < d->nedges && d->edges[2 * j] == u && d->edges[2 * j + 1] == v; j++)
            ;
        p = _put_str(p, " K(");
        p = _put_vertex(p, u, d->n);
        *p++ = ',';
        p = _put_vertex(p, v, d->n);
        *p++ = ')';
        if (j - i > 1)
        {
            *p++ = '^';
            p = _put_ulong(p, (ulong) (j - i));
        }
    }
    fwrite(buf, 1, (size_t) (p - buf), out);
    if (buf != stack)
        flint_free(buf);
}

void
neft_emit_term_text(FILE * out, const neft_diagram_t d, const neft_theory_t th)
{
    char names[NEFT_THEORY_COUPLINGS_MAX][_NAME_BUF];
    slong i;
    for (i = 0; i < th->length; i++)
        neft_emit_coupling_text(names[i], _NAME_BUF, th->couplings[i].name);
    _neft_emit_text_term(out, d, th, names);
}

/* A coupling's legs: "4", or "2+2" for a non-local vertex. */
void
_neft_emit_legs(FILE * out, const neft_coupling_struct * cp)
{
    slong j;
    for (j = 0; j < cp->npoints; j++)
        fprintf(out, "%s%ld", j == 0 ? "" : "+", (long) cp->point_legs[j]);
}

/* The "# N terms" line (and the no-terms line). */
void
_neft_emit_text_count(FILE * out, slong length, slong shown, int grouped)
{
    if (grouped)
        fprintf(out, "# %ld term%s, shown as %ld up to permutations of the external points\n",
                (long) length, length == 1 ? "" : "s", (long) shown);
    else
        fprintf(out, "# %ld term%s\n", (long) length, length == 1 ? "" : "s");
    if (length == 0)
        fputs("# (no terms: the correlator is 0 to this order)\n", out);
}

/* The header lines; shown = number of groups when grouped; shown < 0: the
   streamed header, without the count (written at the end by
   _neft_emit_text_count). */
void
_neft_emit_text_header(FILE * out, const neft_expansion_t ex, slong shown, int grouped)
{
    const neft_theory_struct * th = ex->theory;
    char names[NEFT_THEORY_COUPLINGS_MAX][_NAME_BUF];
    char prune[256];
    slong i;

    for (i = 0; i < th->length; i++)
        neft_emit_coupling_text(names[i], _NAME_BUF, th->couplings[i].name);

    fprintf(out, "# theory: %s\n", th->name != NULL ? th->name : "(unnamed)");
    if (th->length > 0)
    {
        fputs("# couplings:", out);
        for (i = 0; i < th->length; i++)
        {
            char * w = fmpq_get_str(NULL, 10, th->couplings[i].weight);
            fprintf(out, "%s %s", i == 0 ? "" : ",", names[i]);
            if (strcmp(names[i], th->couplings[i].name) != 0)
                fprintf(out, " = %s", th->couplings[i].name);
            fputs(" (", out);
            _neft_emit_legs(out, th->couplings + i);
            fprintf(out, " legs, weight %s", w);
            if (th->couplings[i].position > 0)
                fprintf(out, ", position |y|^%ld", (long) th->couplings[i].position);
            if (th->couplings[i].npoints > 1)
                fputs(", non-local, w = 1", out);
            fputc(')', out);
            flint_free(w);
        }
        fputc('\n', out);
    }
    fputs("# G(", out);
    for (i = 0; i < ex->n; i++)
        fprintf(out, "%sx%ld", i == 0 ? "" : ",", (long) (i + 1));
    neft_prune_format(prune, sizeof(prune), ex->prune);
    if (ex->min_order > 0)
        fprintf(out, ") at orders %ld..%ld, prune: %s\n", (long) ex->min_order,
                (long) ex->order, prune);
    else
        fprintf(out, ") to order %ld, prune: %s\n", (long) ex->order, prune);
    if (shown >= 0)
        _neft_emit_text_count(out, ex->length, shown, grouped);
}

int
neft_emit_text(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt)
{
    const neft_theory_struct * th = ex->theory;
    char names[NEFT_THEORY_COUPLINGS_MAX][_NAME_BUF];
    slong * rep = NULL, * count = NULL;
    slong i, shown;
    int status = 0;

    for (i = 0; i < th->length; i++)
        neft_emit_coupling_text(names[i], _NAME_BUF, th->couplings[i].name);
    shown = _neft_emit_groups(&rep, &count, ex, opt);
    _neft_emit_text_header(out, ex, shown, rep != NULL);

    for (i = 0; i < ex->length; i++)
    {
        if (rep != NULL && rep[i] != i)
            continue;
        _neft_emit_text_term(out, ex->terms + i, th, names);
        if (rep != NULL && count[i] > 1)
            fprintf(out, "  + perms (%ld terms)", (long) count[i]);
        fputc('\n', out);
        /* A failed stream stays failed: stop early on huge expansions. */
        if (ferror(out))
        {
            status = -1;
            break;
        }
    }

    flint_free(rep);
    flint_free(count);
    if (ferror(out))
        status = -1;
    return status;
}
