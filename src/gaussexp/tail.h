/* Private to the gaussexp and exact modules: the Gaussian tail moments that
   bound an integrand outside a disk (docs/integrate.md, "Gaussian
   expectations"). */
#ifndef NEFT_GAUSSEXP_TAIL_H
#define NEFT_GAUSSEXP_TAIL_H

#include "neft/arbcompat.h"

/* A ball containing int_R^inf t^j e^{-t^2/2} dt = 2^{(j-1)/2} Gamma((j+1)/2, R^2/2)
   (R >= 0, j >= 0). */
void _neft_gaussexp_tail_moment(arb_t res, const arb_t R, slong j, slong prec);

#endif
