/* The piecewise-linear activations: relu, leaky-relu, linear.  Positively
   homogeneous of degree 1; relu and leaky-relu have a kink at 0, so their
   continuation is holomorphic only off the line Re z = 0 (acb_real_max and
   acb_real_heaviside certify that when analytic is set). */

#include "act-internal.h"

NEFT_ACT_ELEMENTWISE_D(relu, x > 0 ? x : 0.0)

int
_neft_act_relu_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                   slong prec)
{
    acb_t t;
    (void) par;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    if (deriv)
        acb_real_heaviside(res, z, analytic, prec);
    else
    {
        acb_init(t);
        acb_real_max(res, z, t, analytic, prec);
        acb_clear(t);
    }
    return NEFT_ACT_SUCCESS;
}

/* par[0]: the slope for z < 0 */
NEFT_ACT_ELEMENTWISE_D(leaky, x > 0 ? x : par[0] * x)

/* slope*z + (1 - slope) relu(z), and its derivative (the form of
   src/onen/act.c, kept operation for operation) */
int
_neft_act_leaky_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                    slong prec)
{
    acb_t t, u;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    acb_init(t);
    acb_init(u);
    if (deriv)
        acb_real_heaviside(t, z, analytic, prec);
    else
    {
        acb_zero(u);
        acb_real_max(t, z, u, analytic, prec);
    }
    acb_set_arb(u, par);
    acb_neg(u, u);
    acb_add_ui(u, u, 1, prec);
    acb_mul(t, t, u, prec);
    if (deriv)
        acb_set_arb(u, par);
    else
        acb_mul_arb(u, z, par, prec);
    acb_add(res, t, u, prec);
    acb_clear(t);
    acb_clear(u);
    return NEFT_ACT_SUCCESS;
}

NEFT_ACT_ELEMENTWISE_D(linear, x)

int
_neft_act_linear_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                     slong prec)
{
    (void) par; (void) analytic; (void) prec;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    if (deriv)
        acb_one(res);
    else
        acb_set(res, z);
    return NEFT_ACT_SUCCESS;
}
