/* Ratios that may not be numbers (neft_eft_ratio_*): a mean of per-tuple
 * ratios is reported only when every denominator is certainly non-zero and
 * the ratio is not dominated by its error. */

#include <math.h>
#include <stdio.h>
#include "neft/eft.h"

void
neft_eft_ratio_init(neft_eft_ratio_t q)
{
    q->sum = q->err = 0;
    q->n = q->zero = 0;
}

void
neft_eft_ratio_add(neft_eft_ratio_t q, double num, double num_err, const arb_t den,
                   double den_err)
{
    double d = arf_get_d(arb_midref(den), ARF_RND_NEAR);
    q->n++;
    /* the ball den widened by den_err must exclude 0 */
    if (arb_contains_zero(den) || !isfinite(d) || !(den_err >= 0)
        || fabs(d) <= mag_get_d(arb_radref(den)) + den_err)
    {
        q->zero++;
        return;
    }
    q->sum += num / d;
    /* first order: |d(num/den)| <= num_err/|den| + |num| den_err/den^2 */
    q->err += fabs(num_err) / fabs(d) + fabs(num) * den_err / (d * d);
}

int
neft_eft_ratio_get(double * val, double * err, const neft_eft_ratio_t q, int noise, char * why,
                   size_t len)
{
    *val = *err = NAN;
    if (q->n == 0)
    {
        snprintf(why, len, "no tuples");
        return 0;
    }
    if (q->zero > 0)
    {
        snprintf(why, len, "the denominator may be 0 (its ball contains 0) for %ld of %ld tuples",
                 (long) q->zero, (long) q->n);
        return 0;
    }
    *val = q->sum / (double) q->n;
    *err = q->err / (double) q->n;
    if (!isfinite(*val) || !isfinite(*err))
    {
        snprintf(why, len, "not finite");
        *val = *err = NAN;
        return 0;
    }
    /* a measurement over its prediction (or the reverse) is about 1: an
       error of 1 or more means the noise is as large as the signal */
    if (noise && !(*err < fabs(*val) && *err < 1))
    {
        snprintf(why, len, "noise-dominated: %.3g +- %.3g (the error is not below %s)",
                 *val, *err, *err < 1 ? "the value" : "1: the noise exceeds the signal");
        return 0;
    }
    return 1;
}
