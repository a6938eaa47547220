/* Private to src/train/kink.c and its white-box test (tests/t-train-kink.c). */
#ifndef NEFT_TRAIN_KINK_H
#define NEFT_TRAIN_KINK_H

#include "neft/train.h"

/* The kink layer's two integrals over xi0 (kink.c, kink_integrate), t = 0..T:
   Cbar[t] = int dxi0 sum_{s<t} eA(s) [H(xi(s)) - H(xi0)],
   Kbar[t] = int dxi0 [sigma(xi(t)) - sigma_branch(xi_branch(t))],
   xi(s+1) = xi(s) + (xi(s) > 0 ? dp(s) : dm(s)), sigma(x) = x (x > 0), k x
   (x <= 0), the branch moved by its initial side's increments.  Exact up
   to rounding. */
void _neft_train_kink_integrate(double * Cbar, double * Kbar, const double * dm,
                                const double * dp, const double * eA, double k, slong T);

#endif
