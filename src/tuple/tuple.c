/* Sorted index tuples (neft/tuple.h). */
#include <flint/ulong_extras.h>
#include "neft/tuple.h"

void
neft_tuple_first(slong * idx, slong k)
{
    slong i;
    for (i = 0; i < k; i++)
        idx[i] = 0;
}

int
neft_tuple_next(slong * idx, slong k, slong n)
{
    slong i, j;
    for (i = k - 1; i >= 0; i--)
        if (idx[i] + 1 < n)
        {
            idx[i]++;
            for (j = i + 1; j < k; j++)
                idx[j] = idx[i];
            return 1;
        }
    return 0;
}

slong
neft_tuple_count(slong n, slong k)
{
    /* binomial(m, j) with m = n + k - 1 and j = min(k, n - 1) steps:
       r = binomial(m - j + i, i) after step i; i divides r (m - j + i), so
       with g = gcd(r, i) the factor (m - j + i) / (i / g) is exact and only
       a true overflow of the result is reported */
    slong i, j, r = 1;
    if (n < 0 || k < 0)
        return -1;
    if (n == 0)
        return k == 0 ? 1 : 0;
    j = FLINT_MIN(k, n - 1);
    if (j == 0)
        return 1;
    if (n - 1 > WORD_MAX - k)   /* m > WORD_MAX and binomial(m, j) >= m */
        return -1;
    for (i = 1; i <= j; i++)
    {
        slong g = (slong) n_gcd((ulong) r, (ulong) i);
        slong b = ((n - 1) + (k - j) + i) / (i / g);   /* <= n + k - 1: no overflow */
        if (__builtin_mul_overflow(r / g, b, &r))
            return -1;
    }
    return r;
}

double
neft_tuple_count_d(slong n, slong k)
{
    double c = 1;
    slong i;
    for (i = 1; i <= k; i++)
        c = c * (double) (n + i - 1) / (double) i;
    return c;
}

slong
neft_tuple_rank(const slong * idx, slong k, slong n)
{
    /* the tuples before idx: at each position i, those that agree before i
       and hold a smaller value v there (then any sorted tail from v on) */
    slong i, v, r = 0, lo = 0;
    for (i = 0; i < k; i++)
    {
        for (v = lo; v < idx[i]; v++)
            r += neft_tuple_count(n - v, k - i - 1);
        lo = idx[i];
    }
    return r;
}
