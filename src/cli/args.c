/* Argument helpers of the `neft` command. */

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void
neft_cli_error(const char * fmt, ...)
{
    va_list ap;
    fputs("neft: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int
neft_cli_parse_slong(slong * out, const char * text, const char * option,
                     slong lo, slong hi)
{
    char * end;
    long long v;

    errno = 0;
    v = strtoll(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno == ERANGE)
    {
        neft_cli_error("%s expects an integer, got '%s'", option, text);
        return -1;
    }
    if (v < lo || v > hi)
    {
        neft_cli_error("%s must be between %ld and %ld, got %s",
                       option, (long) lo, (long) hi, text);
        return -1;
    }
    *out = (slong) v;
    return 0;
}

const char *
neft_cli_value(int argc, char ** argv, int * i)
{
    if (*i + 1 >= argc)
    {
        neft_cli_error("option %s needs a value", argv[*i]);
        return NULL;
    }
    (*i)++;
    return argv[*i];
}

int
neft_cli_parse_double(double * out, const char * text, const char * option)
{
    char * end;
    double v;

    errno = 0;
    v = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
    {
        neft_cli_error("%s expects a finite number, got '%s'", option, text);
        return -1;
    }
    *out = v;
    return 0;
}

int
neft_cli_parse_points(neft_cli_points_t * pts, const char * text, slong d_in,
                      const char * option)
{
    const char * s = text;
    slong cap = 16, n = 0, coords = 0;

    pts->npoints = 0;
    pts->x = malloc(sizeof(double) * (size_t) cap);
    pts->text = malloc(sizeof(char *) * (size_t) cap);
    for (;;)
    {
        /* one coordinate: up to ',' or ';' or the end */
        size_t len = strcspn(s, ",;");
        char * tok = malloc(len + 1), * end;
        double v;

        memcpy(tok, s, len);
        tok[len] = '\0';
        errno = 0;
        v = strtod(tok, &end);
        if (len == 0 || *end != '\0' || errno == ERANGE || !isfinite(v)
            || isspace((unsigned char) tok[0]))
        {
            neft_cli_error("%s: point %ld: expected a finite number, got '%s'", option,
                           (long) n + 1, tok);
            free(tok);
            goto fail;
        }
        if (coords == cap)
        {
            cap *= 2;
            pts->x = realloc(pts->x, sizeof(double) * (size_t) cap);
            pts->text = realloc(pts->text, sizeof(char *) * (size_t) cap);
        }
        pts->x[coords] = v;
        pts->text[coords] = tok;
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
            neft_cli_error("%s: point %ld has %ld coordinates, expected %ld (--d-in)", option,
                           (long) n + 1, (long) (coords - n * d_in), (long) d_in);
            goto fail;
        }
        n++;
        pts->npoints = n;
        if (*s == '\0')
            return 0;
        s++;   /* ';' */
        if (n >= NEFT_CLI_MAX_POINTS)
        {
            neft_cli_error("%s: more than %d points", option, NEFT_CLI_MAX_POINTS);
            goto fail;
        }
    }
fail:
    pts->npoints = n;
    neft_cli_points_clear(pts, coords);
    return -1;
}

void
neft_cli_points_clear(neft_cli_points_t * pts, slong coords)
{
    slong i;
    for (i = 0; i < coords; i++)
        free(pts->text[i]);
    free(pts->text);
    free(pts->x);
    pts->text = NULL;
    pts->x = NULL;
}

int
neft_cli_parse_npt(unsigned * mask, const char * text, const char * option)
{
    const char * s = text;
    *mask = 0;
    for (;;)
    {
        size_t len = strcspn(s, ",");
        if (len == 1 && (s[0] == '2' || s[0] == '4' || s[0] == '6' || s[0] == '8'))
            *mask |= 1u << (s[0] - '0');
        else
        {
            neft_cli_error("%s expects a list among 2,4,6,8, got '%s'", option, text);
            return -1;
        }
        s += len;
        if (*s == '\0')
            return 0;
        s++;
    }
}
