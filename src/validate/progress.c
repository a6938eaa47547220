/* Progress lines and warnings through the spec's callback: the library
   prints nothing itself. */

#include "validate-internal.h"

void
_neft_validate_progress(const neft_validate_spec_t spec, const char * fmt, ...)
{
    char line[512];
    va_list ap;
    if (spec->progress == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    spec->progress(spec->progress_arg, 0, line);
}

void
_neft_validate_warning(const neft_validate_spec_t spec, const char * line)
{
    if (spec->progress != NULL)
        spec->progress(spec->progress_arg, 1, line);
}

void
_neft_validate_meter(const neft_validate_spec_t spec, const char * what, double done,
                     double total)
{
    if (spec->meter != NULL)
        spec->meter(spec->meter_arg, what, done, total);
}

void
_neft_validate_sample_meter(void * arg, uint64_t done, uint64_t total)
{
    _neft_validate_meter((const neft_validate_spec_struct *) arg, "networks", (double) done,
                         (double) total);
}
