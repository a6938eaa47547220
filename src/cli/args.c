/* Argument helpers of the `neft` command. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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
