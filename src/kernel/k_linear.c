/* The linear activation's kernel K = b + sigma_w^2 k(x,y), k(x,y) = b + a x.y
   (E[u v] = k(u,v)): a polynomial, entire in x and y. */

#include "kernel-internal.h"

static void
linear_acb(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y, int analytic,
           slong prec)
{
    arb_t a;
    acb_t s;
    (void) analytic;
    arb_init(a);
    acb_init(s);
    arb_div_si(a, k->sw2, k->d, prec);
    acb_dot(s, NULL, 0, x, 1, y, 1, k->d, prec);
    acb_mul_arb(s, s, a, prec);
    acb_add_arb(s, s, k->sb2, prec);
    acb_mul_arb(res, s, k->sw2, prec);
    _neft_kernel_bias_acb(res, k, prec);
    arb_clear(a);
    acb_clear(s);
}

static void
linear_diag(acb_t res, const neft_kernel_t k, acb_srcptr y, int analytic, slong prec)
{
    (void) analytic;
    _neft_kernel_kyy_acb(res, k, y, prec);
    acb_mul_arb(res, res, k->sw2, prec);
    _neft_kernel_bias_acb(res, k, prec);
}

/* d_in = 1, sigma_b = 0: K = sigma_w^4 x y on every orthant */
static void
linear_orthant(arb_t same, arb_t opp, const neft_kernel_t k, slong prec)
{
    arb_sqr(same, k->sw2, prec);
    arb_set(opp, same);
}

/* (eval_arb NULL: on real points the acb method does the arb operations on
   the real parts, neft_kernel_eval_arb) */
const neft_act_kernel_struct _neft_kernel_linear_methods = {
    "b + sigma_w^2 k(x,x')",
    NULL, linear_acb, linear_diag, NULL, 0, linear_orthant
};
