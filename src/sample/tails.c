/* Tail diagnostics of the sampler's estimators: the i.i.d. standard error
   and the effective numbers of draws behind the mean and the variance, from
   per-tuple sums of |p|, p^2 and p^4 of the per-model values p; the flags
   of an error bar that heavy tails make unreliable (docs/cmd-sample.md). */

#include <math.h>
#include <stdio.h>
#include "neft/sample.h"
#include "run.h"

const char *
neft_sample_flag_name(unsigned bit)
{
    switch (bit)
    {
        case NEFT_SAMPLE_FLAG_FEW_DRAWS: return "few-draws";
        case NEFT_SAMPLE_FLAG_DISAGREE: return "disagree";
        case NEFT_SAMPLE_FLAG_NONFINITE: return "nonfinite";
        case NEFT_SAMPLE_FLAG_UNKNOWN: return "unknown";
        default: return NULL;
    }
}

char *
neft_sample_flags_str(char * buf, size_t len, unsigned flags, const char * sep,
                      const char * quote)
{
    unsigned bit;
    size_t k = 0;
    if (len == 0)
        return buf;
    buf[0] = '\0';
    for (bit = 1; bit <= NEFT_SAMPLE_FLAG_UNKNOWN; bit <<= 1)
        if ((flags & bit) && k < len)
            k += (size_t) snprintf(buf + k, len - k, "%s%s%s%s", k ? sep : "", quote,
                                   neft_sample_flag_name(bit), quote);
    return buf;
}

unsigned
neft_sample_tails(neft_sample_tails_struct * t, double S1, double SA, double S2,
                  double S4, uint64_t n, double jse, int missing)
{
    double N = (double) n, var;
    unsigned flags = 0;
    if (missing)
    {
        t->stderr_iid = t->ess = t->ess_var = NAN;
        t->sum_p = t->sum_abs_p = t->sum_p2 = t->sum_p4 = NAN;
        return NEFT_SAMPLE_FLAG_UNKNOWN;
    }
    t->sum_p = S1;
    t->sum_abs_p = SA;
    t->sum_p2 = S2;
    t->sum_p4 = S4;
    /* the sample variance of p; cancellation can only make it smaller than
       its rounding, never negative */
    var = (S2 - S1 * (S1 / N)) / (N - 1);
    t->stderr_iid = sqrt(FLINT_MAX(var, 0.0) / N);
    t->ess = S2 > 0 ? SA * (SA / S2) : NAN;
    t->ess_var = S4 > 0 ? S2 * (S2 / S4) : NAN;
    if (!isfinite(S1) || !isfinite(SA) || !isfinite(S2) || !isfinite(S4) || !isfinite(jse)
        || (!isfinite(t->ess_var) && S2 > 0))
        return NEFT_SAMPLE_FLAG_NONFINITE;
    if (S2 == 0)
        return 0;   /* every value 0 (a correlator that vanishes identically) */
    if (t->ess_var < NEFT_SAMPLE_MIN_ESS_VAR)
        flags |= NEFT_SAMPLE_FLAG_FEW_DRAWS;
    /* neither error 0 while the other is not (both 0: p is constant) */
    if (jse > NEFT_SAMPLE_MAX_SE_RATIO * t->stderr_iid
        || t->stderr_iid > NEFT_SAMPLE_MAX_SE_RATIO * jse)
        flags |= NEFT_SAMPLE_FLAG_DISAGREE;
    return flags;
}
