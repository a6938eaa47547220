/* sin, and GaussNet's exp(z - k) (Halverson-Maiti-Stoner): the exponential
   normalised by the pre-activation variance k = k(x,x) = C_b + C_W x.x/d_in,
   so that E[sigma(z)^2] = 1 (docs/kernels.md: e^z / sqrt(E[e^{2z}])).  The
   parameter is k; both are entire. */

#include <math.h>
#include "act-internal.h"

void
_neft_act_sin_d(double * y, const double * z, slong n, const double * par)
{
    slong k;
    (void) par;
    for (k = 0; k < n; k++)
        y[k] = sin(z[k]);
}

int
_neft_act_sin_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                  slong prec)
{
    (void) par; (void) analytic;
    if (deriv < 0 || deriv > 1)
    {
        acb_indeterminate(res);
        return NEFT_ACT_UNSUPPORTED;
    }
    if (deriv)
        acb_cos(res, z, prec);
    else
        acb_sin(res, z, prec);
    return NEFT_ACT_SUCCESS;
}

/* par[0] = k(x,x) */
void
_neft_act_gauss_d(double * y, const double * z, slong n, const double * par)
{
    const double kxx = par[0];
    slong k;
    for (k = 0; k < n; k++)
        y[k] = exp(z[k] - kxx);
}

int
_neft_act_gauss_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                    slong prec)
{
    (void) analytic;
    if (deriv < 0 || deriv > 1)
    {
        acb_indeterminate(res);
        return NEFT_ACT_UNSUPPORTED;
    }
    /* sigma' = sigma */
    acb_sub_arb(res, z, par, prec);
    acb_exp(res, res, prec);
    return NEFT_ACT_SUCCESS;
}
