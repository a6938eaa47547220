/* The last stage: the summary table and the report's files. */

#include "neft/interrupt.h"
#include "validate-internal.h"

int
neft_validate_write(const neft_validate_result_t R, const neft_validate_spec_t spec,
                    const char * sdir, const char * dir, FILE * summary, char * err,
                    size_t errlen)
{
    int st;
    if (R->cuts == NULL)
    {
        snprintf(err, errlen, "validate: nothing to write (the result was not started)");
        return NEFT_BAD_INPUT;
    }
    _neft_validate_write_summary(summary, R, spec);
    if ((st = _neft_validate_save(sdir, "report.json", _neft_validate_write_json, R, spec, err,
                                  errlen)) != NEFT_SUCCESS
        || (st = _neft_validate_write_figures(R, spec, sdir, dir, err, errlen)) != NEFT_SUCCESS
        || (st = _neft_validate_save(sdir, "report.tex", _neft_validate_write_tex, R, spec, err,
                                     errlen)) != NEFT_SUCCESS)
        return st;
    if (neft_interrupted())
        return _neft_validate_stopped_report(spec, err, errlen);
    return NEFT_SUCCESS;
}
