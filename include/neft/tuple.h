/* neft/tuple.h -- sorted index tuples: the k-point correlators of n inputs.
 *
 * A sorted tuple (a multiset) of length k over n inputs is
 * idx[0] <= idx[1] <= .. <= idx[k-1] < n.  There are
 * binomial(n + k - 1, k) of them; every correlator file, the evaluator,
 * the integrator and the cost estimates list or count them in the one
 * order defined here: lexicographic, starting from all zeros. */
#ifndef NEFT_TUPLE_H
#define NEFT_TUPLE_H

#include <flint/flint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The first sorted tuple of length k: all zeros. */
void neft_tuple_first(slong * idx, slong k);

/* Advances the sorted tuple idx (length k, entries < n) to the next one in
   lexicographic order and returns 1; returns 0 (idx unchanged) when idx is
   the last one (all n - 1; for k = 0 the empty tuple is the only one). */
int neft_tuple_next(slong * idx, slong k, slong n);

/* The position of the sorted tuple idx (length k, entries < n) in the order
   above: 0 for all zeros, neft_tuple_count(n, k) - 1 for the last. */
slong neft_tuple_rank(const slong * idx, slong k, slong n);

/* The number of sorted tuples of length k over n inputs,
   binomial(n + k - 1, k), exactly; -1 when it exceeds WORD_MAX (or when
   n or k is negative).  n = 0: 1 for k = 0, else 0. */
slong neft_tuple_count(slong n, slong k);

/* The same as a double, by the recurrence c *= (n + i - 1) / i, i = 1..k
   (never overflows; exact while below 2^53): for cost estimates. */
double neft_tuple_count_d(slong n, slong k);

#ifdef __cplusplus
}
#endif

#endif
