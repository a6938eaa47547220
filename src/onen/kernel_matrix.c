/* Leading-order kernel matrix for several inputs, with the two-input
   Gaussian expectations in closed form:
     relu:   <relu relu> = sqrt(Kaa Kbb)/(2 pi) (sin t + (pi - t) cos t),
             cos t = Kab/sqrt(Kaa Kbb)  (Cho-Saul arc-cosine kernel)
     leaky:  s^2 Kab + s(1-s) Kab + (1-s)^2 <relu relu>   (sigma = s z + (1-s) relu z)
     linear: Kab
     erf:    (2/pi) asin(2 Kab / sqrt((1 + 2Kaa)(1 + 2Kbb)))
     sin:    e^{-(Kaa + Kbb)/2} sinh(Kab). */

#include "neft/onen.h"
#include "onen_private.h"
#include "../cost.h"

static int
pair(arb_t res, const neft_onen_act_t act, const arb_t kaa, const arb_t kbb,
     const arb_t kab, slong prec)
{
    arb_t t, u, c, th, s;
    int status = 0;
    arb_init(t); arb_init(u); arb_init(c); arb_init(th); arb_init(s);
    switch (act->kind)
    {
    case NEFT_ONEN_LINEAR:
        arb_set(res, kab);
        break;
    case NEFT_ONEN_RELU:
    case NEFT_ONEN_LEAKY:
        arb_mul(t, kaa, kbb, prec);
        arb_sqrt(t, t, prec);
        arb_div(c, kab, t, prec);
        /* clamp rounding: |cos t| <= 1 by Cauchy-Schwarz */
        arb_set_si(u, -1); arb_max(c, c, u, prec);
        arb_one(u); arb_min(c, c, u, prec);
        arb_sqr(u, c, prec);
        arb_sub_ui(u, u, 1, prec);
        arb_neg(u, u);
        arb_sqrtpos(u, u, prec);                 /* sin t */
        /* t = atan2(sin t, cos t): arb_acos is NaN on balls that touch +-1
           (identical or collinear inputs) */
        arb_atan2(th, u, c, prec);
        arb_const_pi(s, prec);
        arb_sub(th, s, th, prec);                /* pi - t */
        arb_mul(th, th, c, prec);
        arb_add(u, u, th, prec);
        arb_mul(u, u, t, prec);
        arb_mul_2exp_si(s, s, 1);
        arb_div(res, u, s, prec);
        if (act->kind == NEFT_ONEN_LEAKY)
        {
            arb_set_fmpq(s, act->slope, prec);
            arb_sub_ui(t, s, 1, prec);
            arb_sqr(t, t, prec);
            arb_mul(res, res, t, prec);          /* (1-s)^2 <relu relu> */
            arb_mul(t, s, kab, prec);            /* s^2 Kab + s(1-s) Kab = s Kab */
            arb_add(res, res, t, prec);
        }
        break;
    case NEFT_ONEN_ERF:
        arb_mul_2exp_si(t, kaa, 1); arb_add_ui(t, t, 1, prec);
        arb_mul_2exp_si(u, kbb, 1); arb_add_ui(u, u, 1, prec);
        arb_mul(t, t, u, prec);
        arb_rsqrt(t, t, prec);
        arb_mul(t, t, kab, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_asin(t, t, prec);
        arb_const_pi(u, prec);
        arb_div(t, t, u, prec);
        arb_mul_2exp_si(res, t, 1);
        break;
    case NEFT_ONEN_SIN:
        arb_add(t, kaa, kbb, prec);
        arb_mul_2exp_si(t, t, -1);
        arb_neg(t, t);
        arb_exp(t, t, prec);
        arb_sinh(u, kab, prec);
        arb_mul(res, t, u, prec);
        break;
    default:
        arb_indeterminate(res);
        status = -1;
    }
    arb_clear(t); arb_clear(u); arb_clear(c); arb_clear(th); arb_clear(s);
    return status;
}

static int
act_has_closed_diag(const neft_onen_act_t act)
{
    return neft_onen_act_is_scale_invariant(act) || act->kind == NEFT_ONEN_ERF
        || act->kind == NEFT_ONEN_SIN;
}

int
neft_onen_kernel_matrix(arb_ptr kernels, const neft_onen_params_t par,
                        const arb_srcptr x, slong npoints, slong d_in)
{
    slong P = npoints, l, a, b, i, prec = par->prec;
    arb_t t;
    int status = 0;
    arb_init(t);
    for (a = 0; a < P; a++)
        for (b = 0; b < P; b++)
        {
            arb_zero(t);
            for (i = 0; i < d_in; i++)
                arb_addmul(t, x + a * d_in + i, x + b * d_in + i, prec);
            arb_div_si(t, t, d_in, prec);
            arb_mul(t, t, par->cw, prec);
            arb_add(kernels + a * P + b, t, par->cb, prec);
        }
    for (l = 1; l < par->depth && !(status = status || neft_interrupted()); l++)
    {
        arb_srcptr Kl = kernels + (l - 1) * P * P;
        arb_ptr Kn = kernels + l * P * P;
        for (a = 0; a < P; a++)
            for (b = a; b < P; b++)
            {
                if (a == b)
                {
                    neft_onen_gauss_t g;
                    neft_onen_gauss_init(g);
                    if (act_has_closed_diag(par->act))
                        status |= neft_onen_gauss_eval(g, par->act, Kl + a * P + a, prec);
                    else
                        status = -1;
                    arb_set(t, &g->m[1][0]);
                    neft_onen_gauss_clear(g);
                }
                else
                    status |= pair(t, par->act, Kl + a * P + a, Kl + b * P + b,
                                   Kl + a * P + b, prec);
                arb_mul(t, t, par->cw, prec);
                arb_add(Kn + a * P + b, t, par->cb, prec);
                arb_set(Kn + b * P + a, Kn + a * P + b);
            }
    }
    arb_clear(t);
    return status ? -1 : 0;
}

void
neft_onen_kernel_matrix_cost(double * ops, double * bytes, const neft_onen_params_t par,
                             slong npoints, slong d_in)
{
    double P2 = (double) npoints * (double) npoints, A = _neft_cost_arb(par->prec);
    *ops = P2 * (double) d_in * A
         + (double) par->depth * P2 * (3 * _neft_cost_exp(par->prec) + 20 * A);
    *bytes = (double) par->depth * P2 * (sizeof(arb_struct) + 2.0 * (double) par->prec / 8);
}
