/* The single-layer GP kernels continued to complex points, with the
   holomorphy checks acb_calc_integrate needs (order 1 = "analytic"). */

#include "neft/kernel.h"

void
_neft_acb_atan_analytic(acb_t res, const acb_t z, int analytic, slong prec)
{
    /* The branch cuts of atan lie on the imaginary axis beyond +-i: away
       from them when |Im z| < 1 or Re z != 0 on the whole ball. */
    if (analytic)
    {
        arb_t t;
        int ok;
        arb_init(t);
        arb_abs(t, acb_imagref(z));
        arb_sub_ui(t, t, 1, prec);
        ok = arb_is_negative(t) || arb_is_nonzero(acb_realref(z));
        arb_clear(t);
        if (!ok)
        {
            acb_indeterminate(res);
            return;
        }
    }
    acb_atan(res, z, prec);
}

static int
all_real(acb_srcptr x, slong d)
{
    slong i;
    for (i = 0; i < d; i++)
        if (!arb_is_zero(acb_imagref(x + i)))
            return 0;
    return 1;
}

/* Real fallback: the inputs are real balls. */
static void
eval_real(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y, slong prec)
{
    arb_ptr xr, yr;
    slong i, d = k->d;
    xr = _arb_vec_init(2 * d);
    yr = xr + d;
    for (i = 0; i < d; i++)
    {
        arb_set(xr + i, acb_realref(x + i));
        arb_set(yr + i, acb_realref(y + i));
    }
    neft_kernel_eval_arb(acb_realref(res), k, xr, yr, prec);
    arb_zero(acb_imagref(res));
    _arb_vec_clear(xr, 2 * d);
}

/* sG^... : the ReLU combination sG + phi kxy, phi = pi - t, from the
   half-angle forms (holomorphic where r +- kxy avoids 0 and atan is checked). */
/* GCC 12 with -fsanitize=address reports a false -Wstringop-overread on
   acb_add/acb_sub of the (const acb_t) arguments here. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
static void
relu_angular_acb(acb_t res, const acb_t sG, const acb_t kxy, const acb_t r, int analytic,
                 slong prec)
{
    acb_t phi, t;
    acb_init(phi);
    acb_init(t);
    if (arf_sgn(arb_midref(acb_realref(kxy))) >= 0)
    {
        acb_add(t, r, kxy, prec);
        acb_div(t, sG, t, prec);
        _neft_acb_atan_analytic(t, t, analytic, prec);
        acb_mul_2exp_si(t, t, 1);
        acb_const_pi(phi, prec);
        acb_sub(phi, phi, t, prec);
    }
    else
    {
        acb_sub(t, r, kxy, prec);
        acb_div(t, sG, t, prec);
        _neft_acb_atan_analytic(phi, t, analytic, prec);
        acb_mul_2exp_si(phi, phi, 1);
    }
    acb_mul(phi, phi, kxy, prec);
    acb_add(res, sG, phi, prec);
    acb_clear(phi);
    acb_clear(t);
}

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic pop
#endif

/* res = b + sw2/(2 pi) * w (or without b). */
static void
relu_finish(acb_t res, const neft_kernel_t k, const acb_t w, slong prec)
{
    arb_t pi;
    arb_init(pi);
    arb_const_pi(pi, prec);
    acb_div_arb(res, w, pi, prec);
    acb_mul_2exp_si(res, res, -1);
    acb_mul_arb(res, res, k->sw2, prec);
    if (!k->subtract_bias)
        acb_add_arb(res, res, k->sb2, prec);
    arb_clear(pi);
}

void
neft_kernel_eval_acb(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y,
                     int analytic, slong prec)
{
    slong i, j, d = k->d;
    acb_t s, t, u, v;
    arb_t a;

    if (!analytic && all_real(x, d) && all_real(y, d))
    {
        eval_real(res, k, x, y, prec);
        return;
    }

    if (k->type == NEFT_KERNEL_RELU && arb_is_zero(k->sb2)
        && (_acb_vec_is_zero(x, d) || _acb_vec_is_zero(y, d)))
    {
        /* k(x,x) k(y,y) = 0: the kernel is exactly sigma_b^2 = 0 */
        acb_zero(res);
        return;
    }

    arb_init(a);
    acb_init(s);
    acb_init(t);
    acb_init(u);
    acb_init(v);
    arb_div_si(a, k->sw2, d, prec);

    if (k->type == NEFT_KERNEL_GAUSS)
    {
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
        if (!k->subtract_bias)
            acb_add_arb(res, res, k->sb2, prec);
    }
    else
    {
        acb_t cross, xy, xx, yy, kxy;
        acb_init(cross);
        acb_init(xy);
        acb_init(xx);
        acb_init(yy);
        acb_init(kxy);
        for (i = 0; i < d; i++)
        {
            acb_addmul(xy, x + i, y + i, prec);
            acb_addmul(xx, x + i, x + i, prec);
            acb_addmul(yy, y + i, y + i, prec);
            for (j = i + 1; j < d; j++)
            {
                acb_mul(t, x + i, y + j, prec);
                acb_submul(t, x + j, y + i, prec);
                acb_addmul(cross, t, t, prec);
            }
        }
        acb_mul_arb(kxy, xy, a, prec);
        acb_add_arb(kxy, kxy, k->sb2, prec);

        if (k->type == NEFT_KERNEL_ERF)
        {
            arb_t opb, c, aa;
            arb_init(opb);
            arb_init(c);
            arb_init(aa);
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
            acb_div(t, t, s, prec);
            _neft_acb_atan_analytic(t, t, analytic, prec);
            arb_const_pi(aa, prec);
            acb_div_arb(t, t, aa, prec);
            acb_mul_2exp_si(t, t, 1);
            acb_mul_arb(res, t, k->sw2, prec);
            if (!k->subtract_bias)
                acb_add_arb(res, res, k->sb2, prec);
            arb_clear(opb);
            arb_clear(c);
            arb_clear(aa);
        }
        else
        {
            arb_t ab;
            arb_init(ab);
            for (i = 0; i < d; i++)
            {
                acb_sub(t, x + i, y + i, prec);
                acb_addmul(s, t, t, prec);
            }
            arb_mul(ab, a, k->sb2, prec);
            acb_mul_arb(s, s, ab, prec);
            arb_mul(ab, a, a, prec);
            acb_mul_arb(t, cross, ab, prec);
            acb_add(s, s, t, prec);
            acb_sqrt_analytic(s, s, analytic, prec);      /* sqrt(G) */
            acb_mul_arb(u, xx, a, prec);
            acb_add_arb(u, u, k->sb2, prec);
            acb_sqrt_analytic(u, u, analytic, prec);
            acb_mul_arb(v, yy, a, prec);
            acb_add_arb(v, v, k->sb2, prec);
            acb_sqrt_analytic(v, v, analytic, prec);
            acb_mul(u, u, v, prec);                       /* r */
            relu_angular_acb(t, s, kxy, u, analytic, prec);
            relu_finish(res, k, t, prec);
            arb_clear(ab);
        }
        acb_clear(cross);
        acb_clear(xy);
        acb_clear(xx);
        acb_clear(yy);
        acb_clear(kxy);
    }
    if (!acb_is_finite(res) && !analytic && all_real(x, d) && all_real(y, d))
        eval_real(res, k, x, y, prec);

    arb_clear(a);
    acb_clear(s);
    acb_clear(t);
    acb_clear(u);
    acb_clear(v);
}

void
_neft_kernel_relu1_acb(acb_t res, const neft_kernel_t k, const acb_t x, const acb_t y,
                       int side, int analytic, slong prec)
{
    acb_t sG, kxy, r, t;
    arb_t a;
    arb_init(a);
    acb_init(sG);
    acb_init(kxy);
    acb_init(r);
    acb_init(t);
    arb_set(a, k->sw2);                         /* d_in = 1 */
    /* sqrt(G) = side sqrt(ab) (y - x) */
    acb_sub(sG, y, x, prec);
    arb_mul(acb_realref(t), a, k->sb2, prec);
    arb_sqrtpos(acb_realref(t), acb_realref(t), prec);
    arb_zero(acb_imagref(t));
    acb_mul(sG, sG, t, prec);
    if (side < 0)
        acb_neg(sG, sG);
    acb_mul(kxy, x, y, prec);
    acb_mul_arb(kxy, kxy, a, prec);
    acb_add_arb(kxy, kxy, k->sb2, prec);
    acb_mul(r, x, x, prec);
    acb_mul_arb(r, r, a, prec);
    acb_add_arb(r, r, k->sb2, prec);
    acb_sqrt_analytic(r, r, analytic, prec);
    acb_mul(t, y, y, prec);
    acb_mul_arb(t, t, a, prec);
    acb_add_arb(t, t, k->sb2, prec);
    acb_sqrt_analytic(t, t, analytic, prec);
    acb_mul(r, r, t, prec);
    relu_angular_acb(t, sG, kxy, r, analytic, prec);
    relu_finish(res, k, t, prec);
    arb_clear(a);
    acb_clear(sG);
    acb_clear(kxy);
    acb_clear(r);
    acb_clear(t);
}

void
neft_kernel_diag_acb(acb_t res, const neft_kernel_t k, acb_srcptr y, int analytic,
                     slong prec)
{
    slong i;
    acb_t kyy, t;
    arb_t a;

    if (k->type == NEFT_KERNEL_GAUSS)
    {
        acb_set_arb(res, k->sw2);
        if (!k->subtract_bias)
            acb_add_arb(res, res, k->sb2, prec);
        return;
    }
    arb_init(a);
    acb_init(kyy);
    acb_init(t);
    arb_div_si(a, k->sw2, k->d, prec);
    for (i = 0; i < k->d; i++)
        acb_addmul(kyy, y + i, y + i, prec);
    acb_mul_arb(kyy, kyy, a, prec);
    acb_add_arb(kyy, kyy, k->sb2, prec);
    if (k->type == NEFT_KERNEL_ERF)
    {
        /* arcsin(2k/(1+2k)) = atan(2k / sqrt(1 + 4k)) */
        acb_mul_2exp_si(t, kyy, 2);
        acb_add_ui(t, t, 1, prec);
        acb_sqrt_analytic(t, t, analytic, prec);
        acb_mul_2exp_si(res, kyy, 1);
        acb_div(res, res, t, prec);
        _neft_acb_atan_analytic(res, res, analytic, prec);
        arb_const_pi(a, prec);
        acb_div_arb(res, res, a, prec);
        acb_mul_2exp_si(res, res, 1);
    }
    else
        acb_mul_2exp_si(res, kyy, -1);
    acb_mul_arb(res, res, k->sw2, prec);
    if (!k->subtract_bias)
        acb_add_arb(res, res, k->sb2, prec);
    arb_clear(a);
    acb_clear(kyy);
    acb_clear(t);
}

void
_neft_kernel_relu_parts_acb(acb_t res, const acb_t sG, const acb_t kxy, const acb_t r,
                            int analytic, slong prec)
{
    relu_angular_acb(res, sG, kxy, r, analytic, prec);
}
