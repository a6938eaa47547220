/* Numbers and points of the onen options as exact rationals
   (docs/cmd-onen.md). */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"

/* "3", "-1/2", "0.25", "1e-3", "2.5E2" -> exact rational; 0 or -1. */
int
neft_onen_parse_rational(fmpq_t q, const char * s)
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
            ok = 0;
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

/* Parses "x1;x2;.." (coordinates separated by ','); returns number of points
   or -1.  *coords gets npoints*d_in rationals. */
slong
neft_onen_parse_points(fmpq ** coords, slong * capp, const char * text, slong d_in)
{
    slong np = 0, nc = 0, cap = 0, dim;
    const char * p = text;
    char buf[256];
    *coords = NULL;
    for (;;)
    {
        dim = 0;
        for (;;)
        {
            size_t n = strcspn(p, ",;");
            if (n == 0 || n >= sizeof buf)
                goto bad;
            memcpy(buf, p, n);
            buf[n] = '\0';
            if (nc == cap)
            {
                slong i;
                cap = 2 * cap + 8;
                *coords = flint_realloc(*coords, cap * sizeof(fmpq));
                for (i = nc; i < cap; i++)
                    fmpq_init(*coords + i);
                *capp = cap;
            }
            if (neft_onen_parse_rational(*coords + nc, buf))
                goto bad;
            nc++;
            dim++;
            p += n;
            if (*p == ',')
            {
                p++;
                continue;
            }
            break;
        }
        if (dim != d_in)
            goto bad;
        np++;
        if (*p == ';')
        {
            p++;
            continue;
        }
        break;
    }
    return np;
bad:
    return -1;
}


void
neft_onen_points_clear(fmpq * coords, slong cap)
{
    slong a;
    if (coords == NULL)
        return;
    for (a = 0; a < cap; a++)
        fmpq_clear(coords + a);
    flint_free(coords);
}

int
neft_onen_parse_widths(slong * widths, const char * text, slong depth, char * err,
                       size_t errsize)
{
    const char * p = text;
    char buf[32];
    slong l;
    for (l = 0; l < depth - 1 || (depth == 1 && l == 0); l++)
    {
        size_t n = strcspn(p, ",");
        char * end;
        long long v;
        if (n == 0 || n >= sizeof buf)
            break;
        memcpy(buf, p, n);
        buf[n] = '\0';
        errno = 0;
        v = strtoll(buf, &end, 10);
        if (*end != '\0' || errno == ERANGE)
        {
            snprintf(err, errsize, "--widths expects an integer, got '%s'", buf);
            return -1;
        }
        if (v < 1 || v > WORD_MAX / 4)
        {
            snprintf(err, errsize, "--widths must be between %ld and %ld, got %s", 1L,
                     (long) (WORD_MAX / 4), buf);
            return -1;
        }
        widths[l] = (slong) v;
        p += n;
        if (*p == ',')
            p++;
    }
    if (depth > 1 && (l != depth - 1 || *p != '\0'))
    {
        snprintf(err, errsize, "--widths expects %ld comma-separated hidden widths "
                 "n_1..n_{L-1}", (long) (depth - 1));
        return -1;
    }
    return 0;
}
