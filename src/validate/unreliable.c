/* The warnings of validate about sampled error bars that the sampler flags
   as unreliable (heavy tails: few draws carry the variance, or the jackknife
   and the i.i.d. error disagree; neft/sample.h, docs/cmd-sample.md). */

#include <string.h>
#include "validate-internal.h"

void
_neft_validate_unreliable(slong * bad, slong * all, unsigned * why,
                          const neft_sample_result_struct * S)
{
    slong i, k;
    for (k = 0; k < NEFT_SAMPLE_MAX_NPT / 2; k++)
        bad[k] = all[k] = 0;
    *why = 0;
    for (i = 0; i < S->length; i++)
    {
        const neft_sample_corr_struct * c = S->corr + i;
        unsigned f = c->full.flags | c->connected.flags;
        k = c->npt / 2 - 1;
        all[k]++;
        if (f)
        {
            bad[k]++;
            *why |= f;
        }
    }
}

int
_neft_validate_unreliable_line(char * buf, size_t len, const neft_validate_width_struct * X)
{
    slong bad[NEFT_SAMPLE_MAX_NPT / 2], all[NEFT_SAMPLE_MAX_NPT / 2], k;
    unsigned why;
    size_t n = 0;
    int first = 1;
    char names[128];
    buf[0] = '\0';
    if (X->width == 0)
        return 0;
    _neft_validate_unreliable(bad, all, &why, X->S);
    if (why == 0)
        return 0;
#define PUT(...) do { if (n < len) n += (size_t) snprintf(buf + n, len - n, __VA_ARGS__); } while (0)
    PUT("width %ld: unreliable sampled error bars (%s) for", (long) X->width,
        neft_sample_flags_str(names, sizeof names, why, ", ", ""));
    for (k = 0; k < NEFT_SAMPLE_MAX_NPT / 2; k++)
        if (bad[k] > 0)
        {
            PUT("%s %ld of %ld %ld-point", first ? "" : ",", (long) bad[k], (long) all[k],
                (long) (2 * k + 2));
            first = 0;
        }
    PUT(" tuples: few draws carry their variance, so these error bars are themselves "
        "uncertain and, with heavy tails (GaussNet), can be far too small (docs/cmd-sample.md)");
#undef PUT
    return 1;
}

int
_neft_validate_unreliable_lambda(const neft_validate_result_t R)
{
    slong bad[NEFT_SAMPLE_MAX_NPT / 2], all[NEFT_SAMPLE_MAX_NPT / 2];
    unsigned why;
    if (R->widths == NULL || R->fw < 0 || R->fw >= R->nwidths || R->widths[R->fw].width == 0)
        return 0;
    _neft_validate_unreliable(bad, all, &why, R->widths[R->fw].S);
    return bad[1] > 0 || bad[2] > 0;
}

void
_neft_validate_unreliable_json(FILE * m, const neft_validate_width_struct * X)
{
    slong bad[NEFT_SAMPLE_MAX_NPT / 2], all[NEFT_SAMPLE_MAX_NPT / 2], k;
    unsigned why = 0;
    char names[128];
    if (X->width != 0)
        _neft_validate_unreliable(bad, all, &why, X->S);
    else
        for (k = 0; k < NEFT_SAMPLE_MAX_NPT / 2; k++)
            bad[k] = 0;
    fputs("\"unreliable\": {", m);
    for (k = 0; k < 3; k++)
        fprintf(m, "\"npt%ld\": %ld, ", (long) (2 * k + 2), (long) bad[k]);
    fprintf(m, "\"flags\": [%s]}", neft_sample_flags_str(names, sizeof names, why, ", ", "\""));
}

void
_neft_validate_unreliable_lines(FILE * out, const char * prefix, const char * suffix,
                                const char * sep, const neft_validate_result_t R)
{
    char line[1024];
    slong w;
    int any = 0;
    for (w = 0; R->widths != NULL && w < R->nwidths; w++)
        if (_neft_validate_unreliable_line(line, sizeof line, R->widths + w))
        {
            fprintf(out, "%s%s%s%s", any ? sep : "", prefix, line, suffix);
            any = 1;
        }
    if (_neft_validate_unreliable_lambda(R))
        fprintf(out, "%s%sthe sampled lambda and the six-point comparisons rest on flagged "
                "error bars at the fit width %ld: their errors may be too small%s",
                any ? sep : "", prefix, (long) R->widths[R->fw].width, suffix);
}
