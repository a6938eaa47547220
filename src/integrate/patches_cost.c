/* The cost estimate of the patch method (src/integrate/patches.c): the
   evaluations of the integrand it takes, calibrated against measured CPU
   times (bench/patches_cost.c; docs/integrate.md, "Costs"). */

#include <math.h>
#include "neft/act.h"
#include "patches.h"

/* Evaluations, each counted by neft_integrate_vint_cost as f kernel values
   of ~1600 operations at 64 bits (3 us at 2e9 operations per second on the
   reference machine), fitted to CPU times measured with 4 and 6 legs and a
   self-loop at the inputs of `neft validate --d-in 2, 3` (64 bits, default
   goal; docs/integrate.md, "Costs"), lg = 1 + log2 L:
   - erf d_in = 2: 1.2e4 lg (measured 0.004-0.37 s for L = 1 .. 1e5 with 4
     legs, 2.0 s with a self-loop at 1e5: the estimate is 0.4 to 10 times
     the time);
   - relu sigma_b > 0 d_in = 2: 3e4 lg (0.02-0.34 s with 4 distinct points;
     4 equal points take 1.0 s at L = 1e3 and 6.4 s at 1e4: there the
     estimate is up to 4 times below);
   - erf d_in = 3: 1.5e5 lg^1.5 up to 1.5e6 (the far field: 0.4-1.4 million
     evaluations measured at L = 7 .. 1e5 with 4 legs, with a self-loop and
     with 6 legs, 0.5-2.7 s; the estimate is 2.6 to 12 times the time beyond
     L = 1);
   - relu d_in = 3: sigma_b = 0 3e5 (homogeneity: any L), sigma_b > 0
     8e5 L^0.9 up to 2e6 (the far field's Duffy pyramids: measured 0.48,
     1.3, 2.0, 1.3, 0.59, 0.54 million evaluations at L = 1, 2, 10, 100,
     1e3, 1e5 with 4 legs; the cost no longer grows beyond L = 10);
   times (prec/64)^d_in. */
double
_neft_integrate_patches_evals(const neft_kernel_t k, double Lf, double prec)
{
    int relu = k->act == neft_act_lookup("relu");
    double e, s = pow(prec / 64, (double) k->d);
    double lg = 1 + log2(FLINT_MAX(Lf, 1));
    if (k->d == 2)
        e = relu ? 3e4 * lg : 1.2e4 * lg;
    else if (!relu)
        e = FLINT_MIN(1.5e5 * pow(lg, 1.5), 1.5e6);
    else
        e = arb_is_zero(k->sb2) ? 3e5 : FLINT_MIN(8e5 * pow(Lf, 0.9), 2e6);
    return e * FLINT_MAX(s, 1);
}
