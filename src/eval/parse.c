/* Parsing what `neft eval` is given: points, coupling values, cutoff. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "neft/eval.h"
#include "neft/points.h"

/* A decimal number (no blanks inside) into x with prec bits; 0 or -1. */
static int
parse_decimal(arb_t x, const char * s, slong len, slong prec)
{
    char * buf;
    int bad;
    slong i;
    while (len > 0 && isspace((unsigned char) s[0]))
        s++, len--;
    while (len > 0 && isspace((unsigned char) s[len - 1]))
        len--;
    if (len == 0)
        return -1;
    for (i = 0; i < len; i++)
        if (!(isdigit((unsigned char) s[i]) || strchr("+-.eE", s[i])))
            return -1;
    buf = flint_malloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    bad = arb_set_str(x, buf, prec);
    flint_free(buf);
    return bad ? -1 : 0;
}

int
neft_eval_parse_points(arb_ptr * pts, slong * count, const char * text, slong d,
                       slong prec, char * err, size_t errsize)
{
    neft_points_t P;
    slong i;

    neft_points_init(P);
    if (neft_points_parse(P, text, d, NEFT_POINTS_EXACT | NEFT_POINTS_BLANKS, 0, "--at",
                          err, errsize))
        return -1;
    *count = P->npoints;
    *pts = _arb_vec_init(P->npoints * d);
    for (i = 0; i < P->npoints * d; i++)
    {
        /* the binary number of prec + 64 bits nearest the exact rational */
        arf_set_fmpq(arb_midref(*pts + i), P->q + i, prec + 64, ARF_RND_NEAR);
        mag_zero(arb_radref(*pts + i));
    }
    neft_points_clear(P);
    return 0;
}

static int
_parse_couplings(neft_eval_ctx_t ctx, const neft_expansion_t ex, const char * text,
                 int require_all, char * err, size_t errsize)
{
    const neft_theory_struct * th = ex->theory;
    int given[NEFT_THEORY_COUPLINGS_MAX] = {0}, used[NEFT_THEORY_COUPLINGS_MAX] = {0};
    slong e[NEFT_THEORY_COUPLINGS_MAX], i;
    const char * p = text;
    slong c;

    for (i = 0; i < ex->length; i++)
    {
        neft_diagram_powers(e, ex->terms + i, th->length);
        for (c = 0; c < th->length; c++)
            used[c] |= (e[c] > 0);
    }
    _arb_vec_zero(ctx->g, ctx->ncouplings);
    while (text != NULL && *p)
    {
        const char * end = strchr(p, ','), * eq;
        char name[NEFT_THEORY_NAME_MAX + 1];
        if (end == NULL)
            end = p + strlen(p);
        eq = memchr(p, '=', end - p);
        if (eq == NULL || eq == p || eq - p > NEFT_THEORY_NAME_MAX)
        {
            snprintf(err, errsize, "--set expects NAME=VALUE[,NAME=VALUE..], got '%.*s'",
                     (int) (end - p), p);
            return -1;
        }
        memcpy(name, p, eq - p);
        name[eq - p] = '\0';
        c = neft_theory_find(th, name);
        if (c < 0)
        {
            snprintf(err, errsize, "--set: the theory has no coupling '%s'", name);
            return -1;
        }
        if (given[c])
        {
            snprintf(err, errsize, "--set: coupling '%s' given twice", name);
            return -1;
        }
        if (parse_decimal(ctx->g + c, eq + 1, end - eq - 1, ctx->prec + 64))
        {
            snprintf(err, errsize, "--set: '%.*s' is not a number", (int) (end - eq - 1), eq + 1);
            return -1;
        }
        given[c] = 1;
        p = (*end == ',') ? end + 1 : end;
    }
    for (c = 0; c < th->length && require_all; c++)
        if (used[c] && !given[c])
        {
            snprintf(err, errsize, "no value for coupling '%s' (use --set %s=VALUE)",
                     th->couplings[c].name, th->couplings[c].name);
            return -1;
        }
    return 0;
}

int
neft_eval_parse_couplings(neft_eval_ctx_t ctx, const neft_expansion_t ex,
                          const char * text, char * err, size_t errsize)
{
    return _parse_couplings(ctx, ex, text, 1, err, errsize);
}

int
neft_eval_parse_couplings_default(neft_eval_ctx_t ctx, const neft_expansion_t ex,
                                  const char * text, char * err, size_t errsize)
{
    return _parse_couplings(ctx, ex, text, 0, err, errsize);
}

int
neft_eval_parse_cutoff(arf_t L, const char * text, slong prec)
{
    arb_t x;
    int bad;
    if (!strcmp(text, "inf") || !strcmp(text, "infinity"))
    {
        arf_pos_inf(L);
        return 0;
    }
    arb_init(x);
    bad = parse_decimal(x, text, strlen(text), prec + 64);
    if (!bad)
    {
        arf_set(L, arb_midref(x));
        /* a finite cutoff must be a double (it is written as one): 2^-1000 .. 2^1000 */
        bad = !(arf_sgn(L) > 0) || !arf_is_finite(L) || arf_cmpabs_2exp_si(L, 1000) >= 0
              || arf_cmpabs_2exp_si(L, -1000) < 0;
    }
    arb_clear(x);
    return bad ? -1 : 0;
}
