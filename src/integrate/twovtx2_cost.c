/* The cost estimates of the two-vertex methods in d_in >= 2 (twovtx2_*.c),
   in neft_integrate_plan's operations (src/cost.h). */

#include <math.h>
#include "internal.h"
#include "../cost.h"

/* Cost (neft_integrate_plan's operations), fitted to bench/bench_twovtx2.c
   at 64 bits (HMS's points, L = 1 to 1e5) and rounded up:
   - GAUSS2: at most 2^legs (links + 1) terms, each d 1-D integrals of about
     5 prec evaluations (two erf's and an exp each; the same for every
     cutoff: the tails beyond the Gaussian's reach are bounded, not
     integrated; d_in = 1, 64 bits, 4 legs and 1 link: 0.019, 0.062, 0.062,
     0.041, 0.024, 0.023 s of CPU at L = 1, 3, 10, 30, 100, 1000 against
     1.0e8 operations; 4 legs and 3 links 0.16 s against 2.0e8);
   - ANGLES2: about 400 (5 + 2 legs)^2 (prec/64)^2 evaluations of the
     angular integrand (a sin and cos per factor), whatever the cutoff;
   - BOXES4 (erf): 4e6 max(1, L)^4 (prec/64)^2 "node values" (measured 5.6e5
     at L = 1 and 9.3e6 at L = 2: about L^4), each a link kernel (asin and
     sqrt of balls) and a few products; the bounds on the ellipses (216
     pieces per axis and rho) cost about as much again: counted in the 4e6). */
double
_neft_integrate_twovtx2_cost(int method, slong nlegs, slong nlinks, const neft_kernel_t k,
                             const arf_t L, slong prec)
{
    double P = (double) FLINT_MAX(prec, 32), A = _neft_cost_arb(prec);
    double f = (double) (nlegs + nlinks + 1);
    if (method == NEFT_INTEGRATE_METHOD_BOXES4)
    {
        double Lf = arf_cmpabs_2exp_si(L, 0) > 0 ? arf_get_d(L, ARF_RND_UP) : 1;
        return 4e6 * pow(Lf, 4) * (P / 64) * (P / 64)
             * (4 * _neft_cost_exp(prec) + (20 + f) * A);
    }
    if (method == NEFT_INTEGRATE_METHOD_POLAR4)
    {
        /* POLAR4 (erf, L > 2, planned only at sigma_w L <= 2.5): node
           values in double intervals (~0.3 us each, counted as 4 Arb
           operations), the bounds' complex boxes counted in them.  Refitted
           in stop 33 to the CPU measured (bench/bench_twovtx2.c, 64 bits,
           load 10-24): the lambda^2 bubble (f = 7) at sigma_w L = 0.95
           (sigma_w^2 = 0.1, L = 3) 4.2-5.0 s, 1.58 (L = 5) 13.8-14 s, 2.24
           35 s, 2.5 (sigma_w^2 = 1/16, L = 10) 37-41 s; the lambda kappa
           exchange (f = 8) at 1.58 18.5 s: the time grows like
           (sigma_w L)^2.3..2.6, so 9e6 max(1, sigma_w L)^2.5 node values
           per factor: 9.5e10 operations at 2.5 for the bubble (~70 s at
           neft eval's measured 1.4e9 operations per second: 1.6-2x the
           measured CPU; before, 1e8 (1 + log2(sigma_w L)/2)^3 per factor
           gave 4.9e11 there, 6-11x).  No floor below sigma_w L = 1 is
           measured but the 24 maps' first boxes: the max(1, .) keeps
           the estimate above the 4.2-5 s at 0.95. */
        double Lf = arf_cmpabs_2exp_si(L, 0) > 0 ? arf_get_d(L, ARF_RND_UP) : 1;
        double sw = sqrt(fabs(arf_get_d(arb_midref(k->sw2), ARF_RND_NEAR)));
        double x = FLINT_MAX(1.0, Lf * sw);
        return 9e6 * pow(x, 2.5) * f * 4 * A;
    }
    if (method == NEFT_INTEGRATE_METHOD_SECTOR4)
        /* SECTOR4 (relu, sigma_b > 0): the plan does not see the points;
           neft_integrate_vint refuses an integral whose estimate from them
           is over SECTOR4's budget of 5e7 node values (~60 s), so that is
           what one integral may cost: node values in double intervals
           (~1.2 us each, the bounds' complex boxes among them), counted as
           4 Arb operations per factor and 16 more: 6e10 operations for the
           smallest shape (f = 4), ~40 s at neft eval's 1.4e9 a second */
        return 5e7 * (f + 4) * 4 * A;
    if (method == NEFT_INTEGRATE_METHOD_GAUSS2)
        return ldexp((double) (nlinks + 1), (int) FLINT_MIN(nlegs, 1000)) * (double) k->d
             * 5 * P * (2 * _neft_cost_erf(prec) + _neft_cost_exp(prec) + 20 * A);
    return 400 * (5.0 + 2.0 * (double) nlegs) * (5.0 + 2.0 * (double) nlegs) * (P / 64) * (P / 64)
         * f * (2 * _neft_cost_exp(prec) + 12 * A);
}
