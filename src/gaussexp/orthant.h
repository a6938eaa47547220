/* Private to the gaussexp and exact modules: the orthant probability of up
   to four correlated Gaussians (src/gaussexp/orthant.c), shared by the
   piecewise-linear expectations (pwlin.c) and ReLU's rank-4 moments
   (src/exact/cone4.c). */
#ifndef NEFT_GAUSSEXP_ORTHANT_H
#define NEFT_GAUSSEXP_ORTHANT_H

#include "neft/arbcompat.h"

/* res = P(z_i > 0 for every i < n), z ~ N(0, K), n <= 4, K the n x n
   covariance (row-major; only its diagonal and upper triangle are read).
   A ball containing the probability: closed forms up to n = 3, and for
   n = 4 six rigorous 1-D integrals (Plackett's identity) each to an
   absolute error of about 2^-goal (goal <= prec; the ball's radius is
   about 2^-goal plus the inputs' propagated radii).  Returns NEFT_SUCCESS,
   NEFT_FAILURE (a variance not certainly positive, or an integral without
   a finite enclosure: res indeterminate) or NEFT_INTERRUPTED (a stop
   request, neft/interrupt.h). */
int _neft_gaussexp_orthant(arb_t res, arb_srcptr K, slong n, slong goal, slong prec);

#endif
