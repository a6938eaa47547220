/* softplus(z) = log(1 + e^z), the smooth ReLU.  |softplus(z)| <= log 2 + |z|
   on the real line (declared as 0.7 + |z|); softplus' = the logistic
   sigmoid, in (0, 1).  Its continuation has branch points where e^z = -1,
   z = i pi (1 + 2k), and is holomorphic on the strip |Im z| < pi. */

#include <math.h>
#include "act-internal.h"

/* max(x, 0) + log1p(e^{-|x|}): no overflow for large |x| */
NEFT_ACT_ELEMENTWISE_D(softplus, fmax(x, 0.0) + log1p(exp(-fabs(x))))

int
_neft_act_softplus_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                       slong prec)
{
    acb_t w;
    arb_t t;
    (void) par;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    acb_init(w);
    if (deriv)
    {
        /* 1/(1 + e^{-z}): the division by a ball containing 0 near the
           poles i pi (1 + 2k) makes it non-finite */
        acb_neg(w, z);
        acb_exp(w, w, prec);
        acb_add_ui(w, w, 1, prec);
        acb_inv(res, w, prec);
    }
    else
    {
        /* log1p(w), w = e^z: holomorphic unless w may lie on the cut
           (-inf, -1] of log1p, i.e. unless Re(1 + w) > 0 or 0 is not in Im w */
        acb_exp(w, z, prec);
        arb_init(t);
        arb_add_ui(t, acb_realref(w), 1, prec);
        if (analytic && !arb_is_positive(t) && arb_contains_zero(acb_imagref(w)))
            acb_indeterminate(res);
        else
            acb_log1p(res, w, prec);
        arb_clear(t);
    }
    acb_clear(w);
    return NEFT_ACT_SUCCESS;
}
