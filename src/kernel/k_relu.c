/* The kernels with ReLU's kink: relu and leaky-relu (slope s; relu is s = 0).
   With sigma(z) = s z + (1 - s) max(z, 0) and E[u max(v, 0)] = k(u,v)/2,
     E[sigma(u) sigma(v)] = s k(u,v) + (1-s)^2 E[max(u,0) max(v,0)]
                          = s k(u,v) + (1-s)^2/(2 pi) sqrt(k(u,u) k(v,v)) (sin t + (pi - t) cos t)
   (docs/kernels.md), so K = b + sigma_w^2 (s k(x,y) + (1-s)^2 w / (2 pi)) with
   w = sqrt(G) + (pi - t) k(x,y) from the half-angle forms (neft/kernel.h).
   The continuation is not holomorphic where sqrt(G) = 0 (y = x when
   sigma_b > 0) nor where k(x,x) k(y,y) = 0. */

#include "kernel-internal.h"

/* The ReLU angular part r J(t), J(t) = sin t + (pi - t) cos t, from
   sG = sqrt(G) = r sin t, kxy = r cos t and r > 0: the half-angle forms of
   _neft_kernel_relu_parts_acb on the real balls (the same arb operations). */
static void
relu_angular_arb(arb_t res, const arb_t sG, const arb_t kxy, const arb_t r, slong prec)
{
    acb_t a, b, c;
    acb_init(a);
    acb_init(b);
    acb_init(c);
    acb_set_arb(a, sG);
    acb_set_arb(b, kxy);
    acb_set_arb(c, r);
    _neft_kernel_relu_parts_acb(a, a, b, c, 0, prec);
    arb_set(res, acb_realref(a));
    acb_clear(a);
    acb_clear(b);
    acb_clear(c);
}

void
_neft_kernel_relu_part_arb(arb_t res, arb_t kxy, const neft_kernel_t k, arb_srcptr x,
                           arb_srcptr y, slong prec)
{
    slong i, d = k->d;
    arb_t a, s, t, u, v, cross, xy, xx, yy;
    arb_init(a); arb_init(s); arb_init(t); arb_init(u); arb_init(v);
    arb_init(cross); arb_init(xy); arb_init(xx); arb_init(yy);
    arb_div_si(a, k->sw2, d, prec);
    _neft_kernel_dots_arb(cross, xy, xx, yy, x, y, d, prec);
    arb_mul(kxy, a, xy, prec);
    arb_add(kxy, kxy, k->sb2, prec);
    /* G = a b |x-y|^2 + a^2 cross; r = sqrt(kxx kyy) */
    for (i = 0; i < d; i++)
    {
        arb_sub(t, x + i, y + i, prec);
        arb_addmul(s, t, t, prec);
    }
    arb_mul(s, s, a, prec);
    arb_mul(s, s, k->sb2, prec);
    arb_mul(t, a, a, prec);
    arb_addmul(s, t, cross, prec);
    arb_sqrtpos(s, s, prec);                /* sqrt(G) */
    arb_mul(u, a, xx, prec);
    arb_add(u, u, k->sb2, prec);
    arb_mul(v, a, yy, prec);
    arb_add(v, v, k->sb2, prec);
    arb_mul(u, u, v, prec);
    arb_sqrtpos(u, u, prec);                /* r */
    if (!arb_is_positive(u))
    {
        /* r J(t) in [0, pi r]: exact 0 when r = 0 */
        arf_t hi;
        arf_init(hi);
        arb_get_ubound_arf(hi, u, prec);
        if (arf_sgn(hi) <= 0)
            arb_zero(t);
        else
        {
            arb_const_pi(t, prec);
            arb_mul_arf(t, t, hi, prec);
            arb_mul_2exp_si(t, t, -1);
            arb_add_error(t, t);             /* [0, pi hi] */
        }
        arf_clear(hi);
    }
    else
        relu_angular_arb(t, s, kxy, u, prec);
    arb_const_pi(u, prec);
    arb_div(t, t, u, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_mul(res, t, k->sw2, prec);
    arb_clear(a); arb_clear(s); arb_clear(t); arb_clear(u); arb_clear(v);
    arb_clear(cross); arb_clear(xy); arb_clear(xx); arb_clear(yy);
}

/* res = (1-s)^2 res + s sigma_w^2 kxy for the slope s = k->param (nothing
   when s = 0: relu). */
static void
leaky_mix_arb(arb_t res, const neft_kernel_t k, const arb_t kxy, slong prec)
{
    arb_t c;
    if (arb_is_zero(k->param))
        return;
    arb_init(c);
    arb_sub_ui(c, k->param, 1, prec);
    arb_sqr(c, c, prec);
    arb_mul(res, res, c, prec);
    arb_mul(c, k->param, k->sw2, prec);
    arb_addmul(res, c, kxy, prec);
    arb_clear(c);
}

static void
leaky_mix_acb(acb_t res, const neft_kernel_t k, const acb_t kxy, slong prec)
{
    arb_t c;
    acb_t t;
    if (arb_is_zero(k->param))
        return;
    arb_init(c);
    acb_init(t);
    arb_sub_ui(c, k->param, 1, prec);
    arb_sqr(c, c, prec);
    acb_mul_arb(res, res, c, prec);
    arb_mul(c, k->param, k->sw2, prec);
    acb_mul_arb(t, kxy, c, prec);
    acb_add(res, res, t, prec);
    arb_clear(c);
    acb_clear(t);
}

static void
kink_arb(arb_t res, const neft_kernel_t k, arb_srcptr x, arb_srcptr y, slong prec)
{
    arb_t kxy;
    arb_init(kxy);
    _neft_kernel_relu_part_arb(res, kxy, k, x, y, prec);
    leaky_mix_arb(res, k, kxy, prec);
    _neft_kernel_bias_arb(res, k, prec);
    arb_clear(kxy);
}

/* GCC 12 with -fsanitize=address reports a false -Wstringop-overread on
   acb_add/acb_sub of the (const acb_t) arguments here. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif
/* The ReLU combination sG + phi kxy, phi = pi - t, from the half-angle forms
   (holomorphic where r +- kxy avoids 0 and atan is checked). */
void
_neft_kernel_relu_parts_acb_with(acb_t res, const acb_t sG, const acb_t kxy, const acb_t r,
                                 int analytic, slong prec, _neft_acb_div_func divf,
                                 _neft_acb_atan_func atanf_)
{
    acb_t phi, t;
    acb_init(phi);
    acb_init(t);
    if (arf_sgn(arb_midref(acb_realref(kxy))) >= 0)
    {
        acb_add(t, r, kxy, prec);
        divf(t, sG, t, prec);
        atanf_(t, t, analytic, prec);
        acb_mul_2exp_si(t, t, 1);
        acb_const_pi(phi, prec);
        acb_sub(phi, phi, t, prec);
    }
    else
    {
        acb_sub(t, r, kxy, prec);
        divf(t, sG, t, prec);
        atanf_(phi, t, analytic, prec);
        acb_mul_2exp_si(phi, phi, 1);
    }
    acb_mul(phi, phi, kxy, prec);
    acb_add(res, sG, phi, prec);
    acb_clear(phi);
    acb_clear(t);
}

void
_neft_kernel_relu_parts_acb(acb_t res, const acb_t sG, const acb_t kxy, const acb_t r,
                            int analytic, slong prec)
{
    _neft_kernel_relu_parts_acb_with(res, sG, kxy, r, analytic, prec, acb_div,
                                     _neft_acb_atan_analytic);
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic pop
#endif

/* sigma_w^2 w / (2 pi) */
static void
relu_scale(acb_t res, const neft_kernel_t k, const acb_t w, slong prec)
{
    arb_t pi;
    arb_init(pi);
    arb_const_pi(pi, prec);
    acb_div_arb(res, w, pi, prec);
    acb_mul_2exp_si(res, res, -1);
    acb_mul_arb(res, res, k->sw2, prec);
    arb_clear(pi);
}

void
_neft_kernel_kink_finish(acb_t res, const neft_kernel_t k, const acb_t w, const acb_t kxy,
                         slong prec)
{
    relu_scale(res, k, w, prec);
    leaky_mix_acb(res, k, kxy, prec);
    _neft_kernel_bias_acb(res, k, prec);
}

int
_neft_kernel_relu_part_acb(acb_t res, acb_t kxy, const neft_kernel_t k, acb_srcptr x,
                           acb_srcptr y, int analytic, slong prec)
{
    slong i, d = k->d;
    acb_t s, t, u, v, cross, xy, xx, yy;
    arb_t a, ab;

    if (arb_is_zero(k->sb2) && (_acb_vec_is_zero(x, d) || _acb_vec_is_zero(y, d)))
    {
        /* k(x,x) k(y,y) = 0 and k(x,y) = 0: the part is exactly 0 */
        acb_zero(res);
        acb_zero(kxy);
        return 1;
    }
    arb_init(a); arb_init(ab);
    acb_init(s); acb_init(t); acb_init(u); acb_init(v);
    acb_init(cross); acb_init(xy); acb_init(xx); acb_init(yy);
    arb_div_si(a, k->sw2, d, prec);
    _neft_kernel_dots_acb(cross, xy, xx, yy, x, y, d, prec);
    acb_mul_arb(kxy, xy, a, prec);
    acb_add_arb(kxy, kxy, k->sb2, prec);
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
    _neft_kernel_relu_parts_acb(t, s, kxy, u, analytic, prec);
    relu_scale(res, k, t, prec);
    arb_clear(a); arb_clear(ab);
    acb_clear(s); acb_clear(t); acb_clear(u); acb_clear(v);
    acb_clear(cross); acb_clear(xy); acb_clear(xx); acb_clear(yy);
    return 0;
}

static void
kink_acb(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y, int analytic,
         slong prec)
{
    acb_t kxy;
    acb_init(kxy);
    if (_neft_kernel_relu_part_acb(res, kxy, k, x, y, analytic, prec))
        acb_zero(res);       /* sigma_b = 0 and a point at the origin: K = 0 exactly */
    else
    {
        leaky_mix_acb(res, k, kxy, prec);
        _neft_kernel_bias_acb(res, k, prec);
    }
    acb_clear(kxy);
}

/* K(y, y) = b + sigma_w^2 k(y,y) (1 + s^2) / 2 */
static void
kink_diag(acb_t res, const neft_kernel_t k, acb_srcptr y, int analytic, slong prec)
{
    (void) analytic;
    _neft_kernel_kyy_acb(res, k, y, prec);
    acb_mul_2exp_si(res, res, -1);
    if (!arb_is_zero(k->param))
    {
        arb_t c;
        arb_init(c);
        arb_sqr(c, k->param, prec);
        arb_add_ui(c, c, 1, prec);
        acb_mul_arb(res, res, c, prec);
        arb_clear(c);
    }
    acb_mul_arb(res, res, k->sw2, prec);
    _neft_kernel_bias_acb(res, k, prec);
}

void
neft_kernel_side1_acb(acb_t res, const neft_kernel_t k, const acb_t x, const acb_t y,
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
    _neft_kernel_relu_parts_acb(t, sG, kxy, r, analytic, prec);
    _neft_kernel_kink_finish(res, k, t, kxy, prec);
    arb_clear(a);
    acb_clear(sG);
    acb_clear(kxy);
    acb_clear(r);
    acb_clear(t);
}

/* d_in = 1, sigma_b = 0: K(x, y) = sigma_w^4 x y ((1 + s^2)/2 when x y > 0,
   s when x y < 0) */
static void
kink_orthant(arb_t same, arb_t opp, const neft_kernel_t k, slong prec)
{
    arb_sqr(same, k->sw2, prec);
    arb_mul(opp, same, k->param, prec);
    if (!arb_is_zero(k->param))
    {
        arb_t c;
        arb_init(c);
        arb_sqr(c, k->param, prec);
        arb_add_ui(c, c, 1, prec);
        arb_mul(same, same, c, prec);
        arb_clear(c);
    }
    arb_mul_2exp_si(same, same, -1);
}

const neft_act_kernel_struct _neft_kernel_relu_methods = {
    "b + sigma_w^2/(2 pi) sqrt(k(x,x)k(x',x')) (sin t + (pi - t) cos t)",
    kink_arb, kink_acb, kink_diag, _neft_kernel_relu_ivl, 1, kink_orthant
};

const neft_act_kernel_struct _neft_kernel_leaky_methods = {
    "b + sigma_w^2 (s k(x,x') + (1-s)^2/(2 pi) sqrt(k(x,x)k(x',x')) (sin t + (pi - t) cos t))",
    kink_arb, kink_acb, kink_diag, NULL, 1, kink_orthant
};
