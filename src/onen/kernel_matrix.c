/* Leading-order kernel matrix for several inputs, with the two-input
   Gaussian expectations in closed form (the pair method of the row's entry,
   src/onen/act.c):
     relu:   <relu relu> = sqrt(Kaa Kbb)/(2 pi) (sin t + (pi - t) cos t),
             cos t = Kab/sqrt(Kaa Kbb)  (Cho-Saul arc-cosine kernel)
     leaky:  s^2 Kab + s(1-s) Kab + (1-s)^2 <relu relu>   (sigma = s z + (1-s) relu z)
     linear: Kab
     erf:    (2/pi) asin(2 Kab / sqrt((1 + 2Kaa)(1 + 2Kbb)))
     sin:    e^{-(Kaa + Kbb)/2} sinh(Kab)
     gauss:  e^{Kab - (Kaa + Kbb)/2}   (layer 1, depth 2). */

#include "neft/onen.h"
#include "onen_private.h"
#include "../cost.h"

void
_neft_onen_kernel1(arb_ptr K, arb_srcptr x, slong P, slong d_in, const arb_t cw,
                   const arb_t cb, slong prec)
{
    slong a, b, i;
    arb_t t;
    arb_init(t);
    for (a = 0; a < P; a++)
        for (b = 0; b < P; b++)
        {
            arb_zero(t);
            for (i = 0; i < d_in; i++)
                arb_addmul(t, x + a * d_in + i, x + b * d_in + i, prec);
            arb_div_si(t, t, d_in, prec);
            arb_mul(t, t, cw, prec);
            arb_add(K + a * P + b, t, cb, prec);
        }
    arb_clear(t);
}

int
neft_onen_kernel_matrix(arb_ptr kernels, const neft_onen_params_t par,
                        const arb_srcptr x, slong npoints, slong d_in)
{
    const onen_row_struct * row = _neft_onen_row(par->net);
    slong P = npoints, l, a, b, i, prec = par->prec, depth = par->net->depth;
    arb_t t, cw, cb;
    int status = 0;

    if (!neft_onen_has(par->net, NEFT_ONEN_CAP_KERNEL, NULL)
        || neft_onen_check_depth(par->net, NULL) != NEFT_SUCCESS)
    {
        for (i = 0; i < depth * P * P; i++)
            arb_indeterminate(kernels + i);
        return NEFT_UNSUPPORTED;
    }
    arb_init(t); arb_init(cw); arb_init(cb);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    _neft_onen_kernel1(kernels, x, P, d_in, cw, cb, prec);
    for (l = 1; l < depth && !(status = status || neft_interrupted()); l++)
    {
        arb_srcptr Kl = kernels + (l - 1) * P * P;
        arb_ptr Kn = kernels + l * P * P;
        for (a = 0; a < P; a++)
            for (b = a; b < P; b++)
            {
                if (a == b)
                {
                    /* k1: the input's K^(1), GaussNet's shift */
                    neft_onen_gauss_t g;
                    neft_onen_gauss_init(g);
                    status |= neft_onen_gauss_eval(g, par->net, Kl + a * P + a,
                                                   kernels + a * P + a, prec);
                    arb_set(t, &g->m[1][0]);
                    neft_onen_gauss_clear(g);
                }
                else
                    row->pair(t, par->net, Kl + a * P + a, Kl + b * P + b, Kl + a * P + b,
                              prec);
                arb_mul(t, t, cw, prec);
                arb_add(Kn + a * P + b, t, cb, prec);
                arb_set(Kn + b * P + a, Kn + a * P + b);
            }
    }
    arb_clear(t); arb_clear(cw); arb_clear(cb);
    return status ? -1 : 0;
}

void
neft_onen_kernel_matrix_cost(double * ops, double * bytes, const neft_onen_params_t par,
                             slong npoints, slong d_in)
{
    double P2 = (double) npoints * (double) npoints, A = _neft_cost_arb(par->prec);
    *ops = P2 * (double) d_in * A
         + (double) par->net->depth * P2 * (3 * _neft_cost_exp(par->prec) + 20 * A);
    *bytes = (double) par->net->depth * P2 * (sizeof(arb_struct) + 2.0 * (double) par->prec / 8);
}
