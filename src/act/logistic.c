/* The activations built on the exponential with poles: tanh (poles at
   i pi (1/2 + k)), the logistic sigmoid 1/(1 + e^{-z}) and silu = z sigmoid(z)
   (poles at i pi (1 + 2k)).  Near a pole the ball division gives a
   non-finite result, which is the certificate acb_calc_integrate needs:
   no separate holomorphy test. */

#include <math.h>
#include "act-internal.h"

NEFT_ACT_ELEMENTWISE_D(tanh, tanh(x))

int
_neft_act_tanh_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                   slong prec)
{
    acb_t t;
    (void) par; (void) analytic;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    acb_init(t);
    acb_tanh(t, z, prec);
    if (deriv)
    {
        acb_mul(t, t, t, prec);
        acb_sub_ui(t, t, 1, prec);
        acb_neg(res, t);
    }
    else
        acb_set(res, t);
    acb_clear(t);
    return NEFT_ACT_SUCCESS;
}

/* 1/(1+e^{-z}); division by a ball containing 0 near its poles makes the
   result non-finite */
static void
logistic(acb_t res, const acb_t z, slong prec)
{
    acb_neg(res, z);
    acb_exp(res, res, prec);
    acb_add_ui(res, res, 1, prec);
    acb_inv(res, res, prec);
}

/* sigmoid (times_z = 0) or silu = z sigmoid(z) (times_z = 1), or their
   derivative (deriv = 1): s' = (1 - s) s, silu' = s + z s (1 - s) */
static int
logistic_act(acb_t res, const acb_t z, slong deriv, int times_z, slong prec)
{
    acb_t t, u;
    if (deriv < 0 || deriv > 1)
        return _neft_act_unsupported(res);
    acb_init(t);
    acb_init(u);
    logistic(t, z, prec);
    if (deriv)
    {
        acb_sub_ui(u, t, 1, prec);
        acb_neg(u, u);
        acb_mul(u, u, t, prec);
        if (times_z)
        {
            acb_mul(u, u, z, prec);
            acb_add(u, t, u, prec);
        }
        acb_swap(res, u);
    }
    else if (times_z)
        acb_mul(res, t, z, prec);
    else
        acb_swap(res, t);
    acb_clear(t);
    acb_clear(u);
    return NEFT_ACT_SUCCESS;
}

NEFT_ACT_ELEMENTWISE_D(sigmoid, 1.0 / (1.0 + exp(-x)))

int
_neft_act_sigmoid_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                      slong prec)
{
    (void) par; (void) analytic;
    return logistic_act(res, z, deriv, 0, prec);
}

NEFT_ACT_ELEMENTWISE_D(silu, x / (1.0 + exp(-x)))

int
_neft_act_silu_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, int analytic,
                   slong prec)
{
    (void) par; (void) analytic;
    return logistic_act(res, z, deriv, 1, prec);
}
