/* What a stopped run says (neft/interrupt.h): where it stopped and where
   its sampling is kept.  Each returns NEFT_INTERRUPTED. */

#include "validate-internal.h"

/* "; the sampling is saved in DIR (run the same command again to resume)" */
static const char *
_saved(const neft_validate_spec_t spec, int part)
{
    const char * s[3] = {"; the sampling is saved in ", spec->state_dir,
                         " (run the same command again to resume)"};
    return spec->state_dir != NULL ? s[part] : "";
}

int
_neft_validate_stopped_width(const neft_validate_spec_t spec, slong width, char * err,
                             size_t errlen)
{
    if (spec->state_dir != NULL)
        snprintf(err, errlen, "interrupted at width %ld; the sampling done so far is "
                 "saved in %s (run the same command again to resume)",
                 (long) width, spec->state_dir);
    else
        snprintf(err, errlen, "interrupted at width %ld", (long) width);
    return NEFT_INTERRUPTED;
}

int
_neft_validate_stopped_cutoff(const neft_validate_spec_t spec, double L, char * err,
                              size_t errlen)
{
    snprintf(err, errlen, "interrupted at cutoff %g%s%s%s", L, _saved(spec, 0), _saved(spec, 1),
             _saved(spec, 2));
    return NEFT_INTERRUPTED;
}

int
_neft_validate_stopped_report(const neft_validate_spec_t spec, char * err, size_t errlen)
{
    snprintf(err, errlen, "interrupted while writing the report%s%s%s", _saved(spec, 0),
             _saved(spec, 1), _saved(spec, 2));
    return NEFT_INTERRUPTED;
}
