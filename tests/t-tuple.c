/* Tests of neft/tuple.h: the iterator lists exactly the sorted tuples of
   all n^k tuples, in lexicographic order; the counts agree with the
   enumeration and with fmpz binomials, and report overflow. */
#include <stdio.h>
#include <string.h>
#include <flint/fmpz.h>
#include "neft/tuple.h"
#include "neft-test.h"

#define KMAX 6

/* Every tuple of length k over n (odometer order, which is lexicographic),
   filtered to the sorted ones, against the iterator step by step. */
static void
brute_force(slong n, slong k)
{
    slong all[KMAX], idx[KMAX], i, total = 1, t, seen = 0;
    int more = 1;
    for (i = 0; i < k; i++)
        total *= n;
    neft_tuple_first(idx, k);
    for (i = 0; i < k; i++)
        CHECK(idx[i] == 0, "n=%ld k=%ld: first tuple not all zeros", (long) n, (long) k);
    for (t = 0; t < total; t++)
    {
        slong r = t;
        int sorted = 1;
        for (i = k - 1; i >= 0; i--)
        {
            all[i] = r % n;
            r /= n;
        }
        for (i = 1; i < k; i++)
            sorted &= all[i - 1] <= all[i];
        if (!sorted)
            continue;
        /* the iterator is at the seen-th sorted tuple */
        CHECK(more, "n=%ld k=%ld: the iterator ended after %ld tuples", (long) n, (long) k,
              (long) seen);
        CHECK(memcmp(all, idx, sizeof(slong) * k) == 0,
              "n=%ld k=%ld: tuple %ld differs from the brute force", (long) n, (long) k,
              (long) seen);
        seen++;
        more = neft_tuple_next(idx, k, n);
    }
    if (k == 0)   /* the empty tuple: one, total = 1 and the loop saw it */
        CHECK(seen == 1, "k=0: %ld tuples", (long) seen);
    CHECK(!more, "n=%ld k=%ld: the iterator goes past the last tuple", (long) n, (long) k);
    for (i = 0; i < k; i++)
        CHECK(idx[i] == n - 1, "n=%ld k=%ld: the last tuple is not all n-1", (long) n, (long) k);
    CHECK(neft_tuple_count(n, k) == seen, "n=%ld k=%ld: count %ld, enumerated %ld", (long) n,
          (long) k, (long) neft_tuple_count(n, k), (long) seen);
    CHECK(neft_tuple_count_d(n, k) == (double) seen, "n=%ld k=%ld: count_d %g, enumerated %ld",
          (long) n, (long) k, neft_tuple_count_d(n, k), (long) seen);
}

/* neft_tuple_count against fmpz binomial(n + k - 1, k): equal when that
   fits in an slong, -1 exactly when it does not. */
static void
against_fmpz(slong n, slong k)
{
    fmpz_t b;
    slong c = neft_tuple_count(n, k);
    fmpz_init(b);
    fmpz_bin_uiui(b, (ulong) n + (ulong) k - 1, (ulong) k);
    if (fmpz_fits_si(b))
        CHECK(c == fmpz_get_si(b), "n=%ld k=%ld: count %ld, binomial %ld", (long) n, (long) k,
              (long) c, (long) fmpz_get_si(b));
    else
        CHECK(c == -1, "n=%ld k=%ld: count %ld for a binomial beyond WORD_MAX", (long) n,
              (long) k, (long) c);
    fmpz_clear(b);
}

/* neft_tuple_rank is the position in the order of neft_tuple_next. */
static void
ranks(slong n, slong k)
{
    slong t[KMAX + 1], r = 0;
    neft_tuple_first(t, k);
    do
    {
        slong got = neft_tuple_rank(t, k, n);
        CHECK(got == r, "n=%ld k=%ld: rank %ld of the tuple at position %ld", (long) n,
              (long) k, (long) got, (long) r);
        r++;
    }
    while (k > 0 && neft_tuple_next(t, k, n));
}

int
main(void)
{
    slong n, k;
    for (n = 1; n <= 7; n++)
        for (k = 0; k <= KMAX; k++)
        {
            brute_force(n, k);
            ranks(n, k);
        }
    CHECK(neft_tuple_count(0, 0) == 1 && neft_tuple_count(0, 3) == 0,
          "n=0: %ld %ld", (long) neft_tuple_count(0, 0), (long) neft_tuple_count(0, 3));
    CHECK(neft_tuple_count(-1, 2) == -1 && neft_tuple_count(3, -1) == -1, "negative arguments");
    for (n = 1; n <= 200; n += 7)
        for (k = 0; k <= 80; k += 3)
            against_fmpz(n, k);
    /* around the overflow boundary: binomial(n + 1, 2) near WORD_MAX, and
       huge n with k = 1 */
    for (n = 4294967290; n <= 4294967300; n++)
        against_fmpz(n, 2);
    against_fmpz(WORD_MAX, 1);
    CHECK(neft_tuple_count(WORD_MAX, 2) == -1, "WORD_MAX, 2: %ld",
          (long) neft_tuple_count(WORD_MAX, 2));
    CHECK(neft_tuple_count(2, WORD_MAX) == -1, "2, WORD_MAX: %ld",
          (long) neft_tuple_count(2, WORD_MAX));
    flint_cleanup();
    return neft_test_finish("t-tuple");
}
