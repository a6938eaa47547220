/* A number of the report as text: its value, or n/a with the reason noted. */

#include "validate-internal.h"

void
_neft_validate_txt(FILE * out, FILE * notes, const char * fmt, int w,
                   const neft_validate_num_t * x, const char * label, ...)
{
    char b[64];
    if (x->ok)
        snprintf(b, sizeof b, fmt, x->v);
    else
    {
        snprintf(b, sizeof b, "n/a");
        if (notes != NULL)
        {
            va_list ap;
            fputs("  n/a: ", notes);
            va_start(ap, label);
            vfprintf(notes, label, ap);
            va_end(ap);
            fprintf(notes, ": %s\n", x->why);
        }
    }
    fprintf(out, "%*s", w, b);
}
