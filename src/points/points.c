/* Point lists as exact rationals with double, ball and text views
   (include/neft/points.h). */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/points.h"

void
neft_points_init(neft_points_t P)
{
    P->npoints = 0;
    P->d_in = 0;
    P->q = NULL;
    P->d = NULL;
    P->text = NULL;
}

/* Frees the first n coordinates' storage and the arrays. */
static void
_points_free(neft_points_t P, slong n)
{
    slong i;
    for (i = 0; i < n; i++)
    {
        fmpq_clear(P->q + i);
        flint_free(P->text[i]);
    }
    flint_free(P->q);
    flint_free(P->d);
    flint_free(P->text);
    neft_points_init(P);
}

void
neft_points_clear(neft_points_t P)
{
    _points_free(P, P->npoints * P->d_in);
}

int
neft_points_parse_rational(fmpq_t q, const char * s)
{
    const char * p = s;
    fmpz_t num, den;
    slong exp10 = 0;
    int neg = 0, digits = 0, ok = 1;

    if (strchr(s, '/'))
        return fmpq_set_str(q, s, 10) == 0 && !fmpz_is_zero(fmpq_denref(q))
            && strspn(s, "+-0123456789/") == strlen(s) ? (fmpq_canonicalise(q), 0) : -1;
    fmpz_init(num); fmpz_init(den);
    fmpz_one(den);
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    for (; isdigit((unsigned char) *p); p++, digits++)
    {
        fmpz_mul_ui(num, num, 10);
        fmpz_add_ui(num, num, *p - '0');
    }
    if (*p == '.')
        for (p++; isdigit((unsigned char) *p); p++, digits++)
        {
            fmpz_mul_ui(num, num, 10);
            fmpz_add_ui(num, num, *p - '0');
            exp10--;
        }
    if (*p == 'e' || *p == 'E')
    {
        char * end;
        long e = strtol(p + 1, &end, 10);
        if (end == p + 1 || e > 1000 || e < -1000)
            ok = 0;     /* e may be LONG_MIN or LONG_MAX here: not added (found by fuzz-points) */
        else
            exp10 += e;
        p = end;
    }
    if (*p != '\0' || digits == 0)
        ok = 0;
    if (ok)
    {
        fmpz_t ten;
        fmpz_init_set_ui(ten, 10);
        if (exp10 >= 0)
        {
            fmpz_pow_ui(ten, ten, exp10);
            fmpz_mul(num, num, ten);
        }
        else
        {
            fmpz_pow_ui(ten, ten, -exp10);
            fmpz_set(den, ten);
        }
        if (neg)
            fmpz_neg(num, num);
        fmpq_set_fmpz_frac(q, num, den);
        fmpz_clear(ten);
    }
    fmpz_clear(num); fmpz_clear(den);
    return ok ? 0 : -1;
}

double
neft_points_fmpq_get_d(const fmpq_t q)
{
    arf_t a, b, r;
    double v;
    int neg = fmpq_sgn(q) < 0;

    if (fmpq_is_zero(q))
        return 0.0;
    arf_init(a); arf_init(b); arf_init(r);
    arf_set_fmpz(a, fmpq_numref(q));
    arf_set_fmpz(b, fmpq_denref(q));
    arf_div(r, a, b, 53, ARF_RND_NEAR);          /* correctly rounded to 53 bits */
    if (arf_cmpabs_2exp_si(r, 1024) >= 0)
        v = neg ? -HUGE_VAL : HUGE_VAL;           /* at or past the halfway to 2^1024 */
    else if (arf_cmpabs_2exp_si(r, -1022) > 0)
        v = arf_get_d(r, ARF_RND_NEAR);           /* a normal double: exact */
    else
    {
        /* the subnormal grid: round |q| * 2^1074 to an integer, ties to even */
        fmpz_t t, u;
        int c;
        fmpz_init(t); fmpz_init(u);
        fmpz_abs(t, fmpq_numref(q));
        fmpz_mul_2exp(t, t, 1074);
        fmpz_fdiv_qr(t, u, t, fmpq_denref(q));
        fmpz_mul_2exp(u, u, 1);
        c = fmpz_cmp(u, fmpq_denref(q));
        if (c > 0 || (c == 0 && fmpz_is_odd(t)))
            fmpz_add_ui(t, t, 1);
        v = ldexp(fmpz_get_d(t), -1074);          /* t <= 2^52: exact */
        if (neg)
            v = -v;
        fmpz_clear(t); fmpz_clear(u);
    }
    arf_clear(a); arf_clear(b); arf_clear(r);
    return v;
}

/* One coordinate tok into q and its double *d under flags; 0 or -1. */
static int
_parse_coord(fmpq_t q, double * d, const char * tok, size_t len, int flags)
{
    char * end;
    double v;

    if (flags & NEFT_POINTS_EXACT)
    {
        if (neft_points_parse_rational(q, tok))
            return -1;
        *d = neft_points_fmpq_get_d(q);
        return 0;
    }
    errno = 0;
    v = strtod(tok, &end);
    if (len == 0 || *end != '\0' || errno == ERANGE || !isfinite(v)
        || isspace((unsigned char) tok[0]))
        return -1;
    if (neft_points_parse_rational(q, tok))
    {
        /* hex floats, exponents past 1000: the double itself */
        arf_t x;
        arf_init(x);
        arf_set_d(x, v);
        arf_get_fmpq(q, x);
        arf_clear(x);
    }
    *d = neft_points_fmpq_get_d(q);
    if (*d == 0.0 && signbit(v))
        *d = -0.0;     /* "-0" is strtod's -0.0 */
    return 0;
}

int
neft_points_parse(neft_points_t P, const char * text, slong d_in, int flags,
                  slong max_points, const char * what, char * err, size_t errsize)
{
    const char * s = text;
    slong cap = 16, n = 0, coords = 0;

    neft_points_clear(P);
    P->d_in = d_in;
    P->q = flint_malloc(sizeof(fmpq) * (size_t) cap);
    P->d = flint_malloc(sizeof(double) * (size_t) cap);
    P->text = flint_malloc(sizeof(char *) * (size_t) cap);
    for (;;)
    {
        /* one coordinate: up to ',' or ';' or the end */
        size_t len = strcspn(s, ",;"), skip = 0, tlen;
        char * tok;

        if (flags & NEFT_POINTS_BLANKS)
        {
            while (skip < len && isspace((unsigned char) s[skip]))
                skip++;
            tlen = len - skip;
            while (tlen > 0 && isspace((unsigned char) s[skip + tlen - 1]))
                tlen--;
        }
        else
            tlen = len;
        tok = flint_malloc(tlen + 1);
        memcpy(tok, s + skip, tlen);
        tok[tlen] = '\0';
        if (coords == cap)
        {
            cap *= 2;
            P->q = flint_realloc(P->q, sizeof(fmpq) * (size_t) cap);
            P->d = flint_realloc(P->d, sizeof(double) * (size_t) cap);
            P->text = flint_realloc(P->text, sizeof(char *) * (size_t) cap);
        }
        fmpq_init(P->q + coords);
        if (tlen == 0 || _parse_coord(P->q + coords, P->d + coords, tok, tlen, flags))
        {
            snprintf(err, errsize, "%s: point %ld: expected a finite number, got '%s'", what,
                     (long) n + 1, tok);
            fmpq_clear(P->q + coords);
            flint_free(tok);
            goto fail;
        }
        P->text[coords] = tok;
        coords++;
        s += len;
        if (*s == ',')
        {
            s++;
            continue;
        }
        /* end of a point */
        if (coords != (n + 1) * d_in)
        {
            snprintf(err, errsize, "%s: point %ld has %ld coordinates, expected %ld (--d-in)",
                     what, (long) n + 1, (long) (coords - n * d_in), (long) d_in);
            goto fail;
        }
        n++;
        P->npoints = n;
        if (*s == '\0')
            return 0;
        s++;   /* ';' */
        if (max_points > 0 && n >= max_points)
        {
            snprintf(err, errsize, "%s: more than %ld points", what, (long) max_points);
            goto fail;
        }
    }
fail:
    _points_free(P, coords);
    return -1;
}

double
neft_points_get_d(const neft_points_t P, slong i)
{
    return P->d[i];
}

void
neft_points_get_arb(arb_t x, const neft_points_t P, slong i, slong prec)
{
    arb_set_fmpq(x, P->q + i, prec);
}

const char *
neft_points_get_text(const neft_points_t P, slong i)
{
    return P->text[i];
}
