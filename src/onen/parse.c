/* Numbers and points of the onen options as exact rationals
   (docs/cmd-onen.md). */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"
#include "neft/points.h"

/* "3", "-1/2", "0.25", "1e-3", "2.5E2" -> exact rational; 0 or -1
   (neft_points_parse_rational). */
int
neft_onen_parse_rational(fmpq_t q, const char * s)
{
    return neft_points_parse_rational(q, s);
}

/* Parses "x1;x2;.." (coordinates separated by ','); returns number of points
   or -1.  *coords gets npoints*d_in rationals: neft_points_parse's exact
   grammar, and, as before, no coordinate of 256 characters or more. */
slong
neft_onen_parse_points(fmpq ** coords, slong * capp, const char * text, slong d_in)
{
    neft_points_t P;
    char err[1];
    slong i, n;

    *coords = NULL;
    *capp = 0;
    neft_points_init(P);
    if (neft_points_parse(P, text, d_in, NEFT_POINTS_EXACT, 0, "--at", err, sizeof err))
        return -1;
    n = P->npoints * P->d_in;
    for (i = 0; i < n; i++)
        if (strlen(P->text[i]) >= 256)
        {
            neft_points_clear(P);
            return -1;
        }
    for (i = 0; i < n; i++)
        flint_free(P->text[i]);
    flint_free(P->text);
    flint_free(P->d);
    *coords = P->q;
    *capp = n;
    return P->npoints;
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
