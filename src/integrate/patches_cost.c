/* The cost estimate of the patch method (src/integrate/patches.c): the
   evaluations of the integrand it takes, calibrated against measured CPU
   times (bench/patches_cost.c; docs/integrate.md, "Costs"). */

#include <math.h>
#include "neft/act.h"
#include "patches.h"

double
_neft_integrate_patches_evals(const neft_kernel_t k, double Lf, double prec)
{
    int relu = k->act == neft_act_lookup("relu");
    double e, s = pow(prec / 64, (double) k->d);
    double lg = 1 + log2(FLINT_MAX(Lf, 1));
    if (k->d == 2)
        e = relu ? 3e4 * lg : 4e4 * lg;
    else if (!relu)
        e = 4e5 * pow(Lf, 1.5);
    else
        e = arb_is_zero(k->sb2) ? 3e5 : FLINT_MIN(8e5 * pow(Lf, 0.9), 4e6);
    return e * FLINT_MAX(s, 1);
}
