/* The sin activation's kernel.  For (u, v) centred Gaussian,
     E[sin u sin v] = (E[cos(u - v)] - E[cos(u + v)]) / 2
                    = (e^{-(k_uu + k_vv - 2 k_uv)/2} - e^{-(k_uu + k_vv + 2 k_uv)/2}) / 2
                    = e^{-(k_uu + k_vv)/2} sinh k_uv,
   so K = b + sigma_w^2 exp(-(k(x,x) + k(y,y))/2) sinh k(x,y), entire in x and
   y; the diagonal b + sigma_w^2 (1 - e^{-2 k(y,y)}) / 2 by expm1 (no
   cancellation at small k). */

#include "kernel-internal.h"

static void
sin_acb(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y, int analytic,
        slong prec)
{
    arb_t a;
    acb_t cross, xy, xx, yy;
    (void) analytic;
    arb_init(a); acb_init(cross); acb_init(xy); acb_init(xx); acb_init(yy);
    arb_div_si(a, k->sw2, k->d, prec);
    _neft_kernel_dots_acb(cross, xy, xx, yy, x, y, k->d, prec);
    acb_add(xx, xx, yy, prec);
    acb_mul_arb(xx, xx, a, prec);
    acb_mul_2exp_si(xx, xx, -1);
    acb_add_arb(xx, xx, k->sb2, prec);
    acb_neg(xx, xx);
    acb_exp(xx, xx, prec);
    acb_mul_arb(xy, xy, a, prec);
    acb_add_arb(xy, xy, k->sb2, prec);
    acb_sinh(xy, xy, prec);
    acb_mul(res, xx, xy, prec);
    acb_mul_arb(res, res, k->sw2, prec);
    _neft_kernel_bias_acb(res, k, prec);
    arb_clear(a); acb_clear(cross); acb_clear(xy); acb_clear(xx); acb_clear(yy);
}

static void
sin_diag(acb_t res, const neft_kernel_t k, acb_srcptr y, int analytic, slong prec)
{
    (void) analytic;
    _neft_kernel_kyy_acb(res, k, y, prec);
    acb_mul_2exp_si(res, res, 1);
    acb_neg(res, res);
    acb_expm1(res, res, prec);
    acb_neg(res, res);
    acb_mul_2exp_si(res, res, -1);
    acb_mul_arb(res, res, k->sw2, prec);
    _neft_kernel_bias_acb(res, k, prec);
}

/* (eval_arb NULL: on real points the acb method does the arb operations on
   the real parts, neft_kernel_eval_arb) */
const neft_act_kernel_struct _neft_kernel_sin_methods = {
    "b + sigma_w^2 exp(-(k(x,x) + k(x',x'))/2) sinh k(x,x')",
    NULL, sin_acb, sin_diag, NULL, 0, NULL
};
