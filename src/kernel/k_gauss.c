/* GaussNet's kernel: K = b + sigma_w^2 exp(-a |x-y|^2 / 2), a = sigma_w^2/d_in
   (entire in x and y; the diagonal is b + sigma_w^2). */

#include "kernel-internal.h"

static void
gauss_acb(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y, int analytic,
          slong prec)
{
    slong i, d = k->d;
    acb_t s, t;
    arb_t a;
    (void) analytic;
    arb_init(a);
    acb_init(s);
    acb_init(t);
    arb_div_si(a, k->sw2, d, prec);
    for (i = 0; i < d; i++)
    {
        acb_sub(t, x + i, y + i, prec);
        acb_addmul(s, t, t, prec);
    }
    acb_mul_arb(s, s, a, prec);
    acb_mul_2exp_si(s, s, -1);
    acb_neg(s, s);
    acb_exp(s, s, prec);
    acb_mul_arb(res, s, k->sw2, prec);
    _neft_kernel_bias_acb(res, k, prec);
    arb_clear(a);
    acb_clear(s);
    acb_clear(t);
}

static void
gauss_diag(acb_t res, const neft_kernel_t k, acb_srcptr y, int analytic, slong prec)
{
    (void) y; (void) analytic;
    acb_set_arb(res, k->sw2);
    _neft_kernel_bias_acb(res, k, prec);
}

/* (eval_arb NULL: on real points the acb method does the arb operations on
   the real parts, neft_kernel_eval_arb) */
const neft_act_kernel_struct _neft_kernel_gauss_methods = {
    "b + sigma_w^2 exp(-sigma_w^2 |x-x'|^2 / (2 d_in))",
    NULL, gauss_acb, gauss_diag, NULL, 0, NULL
};
