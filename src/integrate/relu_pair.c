/* ReLU with sigma_b > 0, d_in = 1, two vertices joined by propagators. */

#include <stdio.h>
#include "internal.h"

int
_neft_integrate_relu_pair(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                          const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    (void) v; (void) k; (void) L; (void) opt; (void) prec;
    arb_indeterminate(res);
    return NEFT_INTEGRATE_UNSUPPORTED;
}
