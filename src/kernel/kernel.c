/* The single-layer GP kernels: parameters and real (ball) evaluation. */

#include <string.h>
#include "neft/kernel.h"

void
neft_kernel_init(neft_kernel_t k)
{
    k->type = NEFT_KERNEL_GAUSS;
    k->d = 1;
    arb_init(k->sw2);
    arb_init(k->sb2);
    arb_one(k->sw2);
    k->subtract_bias = 0;
}

void
neft_kernel_clear(neft_kernel_t k)
{
    arb_clear(k->sw2);
    arb_clear(k->sb2);
}

void
neft_kernel_set(neft_kernel_t k, const neft_kernel_t s)
{
    k->type = s->type;
    k->d = s->d;
    arb_set(k->sw2, s->sw2);
    arb_set(k->sb2, s->sb2);
    k->subtract_bias = s->subtract_bias;
}

void
neft_kernel_set_params(neft_kernel_t k, int type, slong d, const arb_t sw,
                       const arb_t sb, slong prec)
{
    k->type = type;
    k->d = d;
    arb_sqr(k->sw2, sw, prec);
    arb_sqr(k->sb2, sb, prec);
    k->subtract_bias = 0;
}

int
neft_kernel_lookup(const char * name)
{
    if (!strcmp(name, "relu") || !strcmp(name, "ReLU"))
        return NEFT_KERNEL_RELU;
    if (!strcmp(name, "erf") || !strcmp(name, "Erf"))
        return NEFT_KERNEL_ERF;
    if (!strcmp(name, "gauss") || !strcmp(name, "gaussnet") || !strcmp(name, "GaussNet"))
        return NEFT_KERNEL_GAUSS;
    return -1;
}

const char *
neft_kernel_name(int type)
{
    switch (type)
    {
        case NEFT_KERNEL_GAUSS: return "gauss";
        case NEFT_KERNEL_ERF: return "erf";
        case NEFT_KERNEL_RELU: return "relu";
        default: return NULL;
    }
}

/* The ReLU angular part r J(t), J(t) = sin t + (pi - t) cos t, from
   sG = sqrt(G) = r sin t, kxy = r cos t and r > 0; the half-angle forms have
   no cancellation at t = 0 or t = pi.  When r may be 0 the enclosure
   r J in [0, pi r] (J is in [0, pi]) is used: exact 0 at the origin. */
static void
relu_angular_arb(arb_t res, const arb_t sG, const arb_t kxy, const arb_t r, slong prec)
{
    arb_t phi, t;
    arb_init(phi);
    arb_init(t);
    if (arf_sgn(arb_midref(kxy)) >= 0)
    {
        /* t = 2 atan(sG / (r + kxy)), phi = pi - t */
        arb_add(t, r, kxy, prec);
        arb_div(t, sG, t, prec);
        arb_atan(t, t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_const_pi(phi, prec);
        arb_sub(phi, phi, t, prec);
    }
    else
    {
        /* phi = pi - t = 2 atan(sG / (r - kxy)) */
        arb_sub(t, r, kxy, prec);
        arb_div(t, sG, t, prec);
        arb_atan(phi, t, prec);
        arb_mul_2exp_si(phi, phi, 1);
    }
    arb_mul(phi, phi, kxy, prec);
    arb_add(res, sG, phi, prec);
    arb_clear(phi);
    arb_clear(t);
}

void
neft_kernel_eval_arb(arb_t res, const neft_kernel_t k, arb_srcptr x, arb_srcptr y,
                     slong prec)
{
    slong i, j, d = k->d;
    arb_t a, s, t, u, v;

    arb_init(a);
    arb_init(s);
    arb_init(t);
    arb_init(u);
    arb_init(v);
    arb_div_si(a, k->sw2, d, prec);

    if (k->type == NEFT_KERNEL_GAUSS)
    {
        /* sigma_w^2 exp(-a |x-y|^2 / 2) */
        for (i = 0; i < d; i++)
        {
            arb_sub(t, x + i, y + i, prec);
            arb_addmul(s, t, t, prec);
        }
        arb_mul(s, s, a, prec);
        arb_mul_2exp_si(s, s, -1);
        arb_neg(s, s);
        arb_exp(s, s, prec);
        arb_mul(res, s, k->sw2, prec);
    }
    else
    {
        /* cross = sum_{i<j} (x_i y_j - x_j y_i)^2, xy = x.y, xx = |x|^2, yy = |y|^2 */
        arb_t cross, xy, xx, yy, kxy;
        arb_init(cross);
        arb_init(xy);
        arb_init(xx);
        arb_init(yy);
        arb_init(kxy);
        for (i = 0; i < d; i++)
        {
            arb_addmul(xy, x + i, y + i, prec);
            arb_addmul(xx, x + i, x + i, prec);
            arb_addmul(yy, y + i, y + i, prec);
            for (j = i + 1; j < d; j++)
            {
                arb_mul(t, x + i, y + j, prec);
                arb_submul(t, x + j, y + i, prec);
                arb_addmul(cross, t, t, prec);
            }
        }
        arb_mul(kxy, a, xy, prec);
        arb_add(kxy, kxy, k->sb2, prec);

        if (k->type == NEFT_KERNEL_ERF)
        {
            /* N = 2a(1+2b) sum (y_j - c x_j)^2 + 4a^2 cross + (1+4b)(1 + 2a xx/(1+2b)) */
            arb_t opb, c;
            arb_init(opb);
            arb_init(c);
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
            arb_clear(opb);
            arb_clear(c);
        }
        else
        {
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
        }
        arb_clear(cross);
        arb_clear(xy);
        arb_clear(xx);
        arb_clear(yy);
        arb_clear(kxy);
    }
    if (!k->subtract_bias)
        arb_add(res, res, k->sb2, prec);

    arb_clear(a);
    arb_clear(s);
    arb_clear(t);
    arb_clear(u);
    arb_clear(v);
}
