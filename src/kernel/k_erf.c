/* The Erf kernel K = b + sigma_w^2 (2/pi) arcsin(2k(x,y) / sqrt((1+2k(x,x))(1+2k(y,y)))),
   evaluated as atan(2k(x,y) / sqrt(N)) with N without cancellation
   (neft/kernel.h, docs/kernels.md); holomorphic where sqrt(N) and atan are
   (checked when analytic is set). */

#include "kernel-internal.h"

static void
erf_arb(arb_t res, const neft_kernel_t k, arb_srcptr x, arb_srcptr y, slong prec)
{
    slong i, d = k->d;
    arb_t a, s, t, u, v, cross, xy, xx, yy, kxy, opb, c;
    arb_init(a); arb_init(s); arb_init(t); arb_init(u); arb_init(v);
    arb_init(cross); arb_init(xy); arb_init(xx); arb_init(yy); arb_init(kxy);
    arb_init(opb); arb_init(c);
    arb_div_si(a, k->sw2, d, prec);
    _neft_kernel_dots_arb(cross, xy, xx, yy, x, y, d, prec);
    arb_mul(kxy, a, xy, prec);
    arb_add(kxy, kxy, k->sb2, prec);
    /* N = 2a(1+2b) sum (y_j - c x_j)^2 + 4a^2 cross + (1+4b)(1 + 2a xx/(1+2b)) */
    arb_mul_2exp_si(opb, k->sb2, 1);
    arb_add_ui(opb, opb, 1, prec);          /* 1 + 2b */
    arb_mul_2exp_si(c, k->sb2, 1);
    arb_div(c, c, opb, prec);               /* c = 2b/(1+2b) */
    for (i = 0; i < d; i++)
    {
        arb_mul(t, c, x + i, prec);
        arb_sub(t, y + i, t, prec);
        arb_addmul(s, t, t, prec);
    }
    arb_mul(s, s, opb, prec);
    arb_mul(s, s, a, prec);
    arb_mul_2exp_si(s, s, 1);
    arb_mul(t, a, a, prec);
    arb_mul_2exp_si(t, t, 2);
    arb_addmul(s, t, cross, prec);
    arb_mul(u, a, xx, prec);
    arb_mul_2exp_si(u, u, 1);
    arb_div(u, u, opb, prec);
    arb_add_ui(u, u, 1, prec);
    arb_mul_2exp_si(v, k->sb2, 2);
    arb_add_ui(v, v, 1, prec);
    arb_addmul(s, u, v, prec);              /* N */
    arb_sqrt(s, s, prec);
    arb_mul_2exp_si(t, kxy, 1);
    arb_div(t, t, s, prec);
    arb_atan(t, t, prec);
    arb_const_pi(u, prec);
    arb_div(t, t, u, prec);
    arb_mul_2exp_si(t, t, 1);
    arb_mul(res, t, k->sw2, prec);
    _neft_kernel_bias_arb(res, k, prec);
    arb_clear(a); arb_clear(s); arb_clear(t); arb_clear(u); arb_clear(v);
    arb_clear(cross); arb_clear(xy); arb_clear(xx); arb_clear(yy); arb_clear(kxy);
    arb_clear(opb); arb_clear(c);
}

static void
erf_acb(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y, int analytic,
        slong prec)
{
    slong i, d = k->d;
    acb_t s, t, u, cross, xy, xx, yy, kxy;
    arb_t a, opb, c, aa;
    arb_init(a); arb_init(opb); arb_init(c); arb_init(aa);
    acb_init(s); acb_init(t); acb_init(u);
    acb_init(cross); acb_init(xy); acb_init(xx); acb_init(yy); acb_init(kxy);
    arb_div_si(a, k->sw2, d, prec);
    _neft_kernel_dots_acb(cross, xy, xx, yy, x, y, d, prec);
    acb_mul_arb(kxy, xy, a, prec);
    acb_add_arb(kxy, kxy, k->sb2, prec);
    arb_mul_2exp_si(opb, k->sb2, 1);
    arb_add_ui(opb, opb, 1, prec);
    arb_mul_2exp_si(c, k->sb2, 1);
    arb_div(c, c, opb, prec);
    for (i = 0; i < d; i++)
    {
        acb_mul_arb(t, x + i, c, prec);
        acb_sub(t, y + i, t, prec);
        acb_addmul(s, t, t, prec);
    }
    arb_mul(aa, a, opb, prec);
    arb_mul_2exp_si(aa, aa, 1);
    acb_mul_arb(s, s, aa, prec);
    arb_mul(aa, a, a, prec);
    arb_mul_2exp_si(aa, aa, 2);
    acb_mul_arb(t, cross, aa, prec);
    acb_add(s, s, t, prec);
    arb_mul_2exp_si(aa, a, 1);
    arb_div(aa, aa, opb, prec);
    acb_mul_arb(u, xx, aa, prec);
    acb_add_ui(u, u, 1, prec);
    arb_mul_2exp_si(aa, k->sb2, 2);
    arb_add_ui(aa, aa, 1, prec);
    acb_mul_arb(u, u, aa, prec);
    acb_add(s, s, u, prec);                 /* N */
    acb_sqrt_analytic(s, s, analytic, prec);
    acb_mul_2exp_si(t, kxy, 1);
    _neft_kernel_atan_tail(res, k, t, s, analytic, prec);
    arb_clear(a); arb_clear(opb); arb_clear(c); arb_clear(aa);
    acb_clear(s); acb_clear(t); acb_clear(u);
    acb_clear(cross); acb_clear(xy); acb_clear(xx); acb_clear(yy); acb_clear(kxy);
}

/* b + sigma_w^2 (2/pi) arcsin(2k/(1+2k)), arcsin(2k/(1+2k)) = atan(2k / sqrt(1 + 4k)) */
static void
erf_diag(acb_t res, const neft_kernel_t k, acb_srcptr y, int analytic, slong prec)
{
    acb_t kyy, t;
    acb_init(kyy);
    acb_init(t);
    _neft_kernel_kyy_acb(kyy, k, y, prec);
    acb_mul_2exp_si(t, kyy, 2);
    acb_add_ui(t, t, 1, prec);
    acb_sqrt_analytic(t, t, analytic, prec);
    acb_mul_2exp_si(kyy, kyy, 1);
    _neft_kernel_atan_tail(res, k, kyy, t, analytic, prec);
    acb_clear(kyy);
    acb_clear(t);
}

const neft_act_kernel_struct _neft_kernel_erf_methods = {
    "b + sigma_w^2 (2/pi) arcsin(2k(x,x') / sqrt((1+2k(x,x))(1+2k(x',x'))))",
    erf_arb, erf_acb, erf_diag, _neft_kernel_erf_ivl, 0, NULL
};
