/* Private to the sample module: the moment and tail sums of one tuple over a
   chunk of nets, fused with the product that makes its values (the hot loop
   of the sampler; the definitions of the tail diagnostics are in tails.c). */
#ifndef NEFT_SAMPLE_TAILS_H
#define NEFT_SAMPLE_TAILS_H

#include <math.h>
#include "neft/sample.h"

/* v[m] = a[m] * b[m] (b NULL: v[m] = a[m]; out NULL: not stored), and adds,
   over the chunk, sum v to s[0], sum |v| to s[K], sum v^2 to s[2K], sum v^4
   to s[3K].  Four fixed lanes (m mod 4), each sum (l0 + l1) + (l2 + l3): the
   same numbers on every run and thread, and sum v is bit-identical to the
   sampler's sums before the tail sums existed. */
static inline void
_neft_sample_chunk_sums(double * s, slong K, double * restrict out, const double * restrict a,
                        const double * restrict b)
{
    double s1[4] = {0, 0, 0, 0}, sa[4] = {0, 0, 0, 0}, sq[4] = {0, 0, 0, 0}, sh[4] = {0, 0, 0, 0};
    slong m, l;
    for (m = 0; m < NEFT_SAMPLE_CHUNK; m += 4)
        for (l = 0; l < 4; l++)
        {
            double x = b != NULL ? a[m + l] * b[m + l] : a[m + l], x2 = x * x;
            if (out != NULL)
                out[m + l] = x;
            s1[l] += x;
            sa[l] += fabs(x);
            sq[l] += x2;
            sh[l] += x2 * x2;
        }
    s[0] += (s1[0] + s1[1]) + (s1[2] + s1[3]);
    s[K] += (sa[0] + sa[1]) + (sa[2] + sa[3]);
    s[2 * K] += (sq[0] + sq[1]) + (sq[2] + sq[3]);
    s[3 * K] += (sh[0] + sh[1]) + (sh[2] + sh[3]);
}

#endif
