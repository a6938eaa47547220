/* The activations built on the error function: erf and gelu = z Phi(z)
   (the exact gelu, not its tanh approximation).  Both are entire. */

#include <math.h>
#include "act-internal.h"

NEFT_ACT_ELEMENTWISE_D(erf, erf(x))

int
_neft_act_erf_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                  slong prec)
{
    acb_t t, u;
    (void) par; (void) analytic;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    if (!deriv)
    {
        acb_hypgeom_erf(res, z, prec);
        return NEFT_ACT_SUCCESS;
    }
    /* 2/sqrt(pi) e^{-z^2} */
    acb_init(t);
    acb_init(u);
    acb_mul(t, z, z, prec);
    acb_neg(t, t);
    acb_exp(t, t, prec);
    arb_const_sqrt_pi(acb_realref(u), prec);
    arb_zero(acb_imagref(u));
    acb_div(t, t, u, prec);
    acb_mul_2exp_si(res, t, 1);
    acb_clear(t);
    acb_clear(u);
    return NEFT_ACT_SUCCESS;
}

/* z Phi(z) with Phi(z) = erfc(-z/sqrt 2)/2: no cancellation for z < 0 */
NEFT_ACT_ELEMENTWISE_D(gelu, 0.5 * x * erfc(-x * 0.70710678118654752440))

/* Phi(z) = (1 + erf(z/sqrt2))/2; gelu = z Phi, gelu' = Phi + z phi */
int
_neft_act_gelu_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                   slong prec)
{
    acb_t t, u, phi;
    (void) par; (void) analytic;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    acb_init(t);
    acb_init(u);
    acb_init(phi);
    acb_set_ui(u, 2);
    acb_rsqrt(u, u, prec);
    acb_mul(u, u, z, prec);
    acb_hypgeom_erf(t, u, prec);
    acb_add_ui(t, t, 1, prec);
    acb_mul_2exp_si(t, t, -1);
    if (deriv)
    {
        acb_mul(phi, z, z, prec);
        acb_mul_2exp_si(phi, phi, -1);
        acb_neg(phi, phi);
        acb_exp(phi, phi, prec);
        arb_const_pi(acb_realref(u), prec);
        arb_mul_2exp_si(acb_realref(u), acb_realref(u), 1);
        arb_rsqrt(acb_realref(u), acb_realref(u), prec);
        arb_zero(acb_imagref(u));
        acb_mul(phi, phi, u, prec);
        acb_mul(phi, phi, z, prec);
        acb_add(res, t, phi, prec);
    }
    else
        acb_mul(res, t, z, prec);
    acb_clear(t);
    acb_clear(u);
    acb_clear(phi);
    return NEFT_ACT_SUCCESS;
}
