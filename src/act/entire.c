/* sin, and GaussNet's exp(z - k) (Halverson-Maiti-Stoner): the exponential
   normalised by the pre-activation variance k = k(x,x) = C_b + C_W x.x/d_in,
   so that E[sigma(z)^2] = 1 (docs/kernels.md: e^z / sqrt(E[e^{2z}])).  The
   parameter is k; both are entire. */

#include <math.h>
#include "act-internal.h"

NEFT_ACT_ELEMENTWISE_D(sin, sin(x))

int
_neft_act_sin_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                  slong prec)
{
    (void) par; (void) analytic;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    if (deriv)
        acb_cos(res, z, prec);
    else
        acb_sin(res, z, prec);
    return NEFT_ACT_SUCCESS;
}

/* par[0] = k(x,x) */
NEFT_ACT_ELEMENTWISE_D(gauss, exp(x - par[0]))

int
_neft_act_gauss_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                    slong prec)
{
    (void) analytic;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    /* sigma' = sigma */
    acb_sub_arb(res, z, par, prec);
    acb_exp(res, res, prec);
    return NEFT_ACT_SUCCESS;
}
