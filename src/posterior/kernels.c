/* The output layer's kernel and NTK at the training and test inputs
   (neft_onen_ntk_matrix), in balls, and in exact rationals when they are
   rationals (linear activation, or depth 1). */

#include <string.h>
#include "neft/posterior.h"

int
neft_posterior_kernels(arb_mat_t K, arb_mat_t Theta, const neft_onen_params_t par,
                       const fmpq_t lambda_b, const fmpq_t lambda_w, const fmpq * x,
                       slong P, slong d_in)
{
    slong depth = par->net->depth, a, b, last = (depth - 1) * P * P;
    arb_ptr xb = _arb_vec_init(P * d_in);
    arb_ptr kern = _arb_vec_init(depth * P * P), ntk = _arb_vec_init(depth * P * P);
    int r;

    for (a = 0; a < P * d_in; a++)
        arb_set_fmpq(xb + a, x + a, par->prec);
    r = neft_onen_ntk_matrix(kern, ntk, par, lambda_b, lambda_w, xb, P, d_in);
    for (a = 0; a < P; a++)
        for (b = 0; b < P; b++)
        {
            arb_set(arb_mat_entry(K, a, b), kern + last + a * P + b);
            if (Theta != NULL)
                arb_set(arb_mat_entry(Theta, a, b), ntk + last + a * P + b);
        }
    _arb_vec_clear(xb, P * d_in);
    _arb_vec_clear(kern, depth * P * P);
    _arb_vec_clear(ntk, depth * P * P);
    return r;
}

int
neft_posterior_kernels_exact(fmpq_mat_t K, fmpq_mat_t Theta, const neft_net_t net,
                             const fmpq_t lambda_b, const fmpq_t lambda_w, const fmpq * x,
                             slong P, slong d_in)
{
    slong a, b, i, l;
    fmpq_t dot, t;

    if (net->depth != 1 && strcmp(net->act->name, "linear"))
        return NEFT_UNSUPPORTED;
    fmpq_init(dot); fmpq_init(t);
    for (a = 0; a < P; a++)
        for (b = a; b < P; b++)
        {
            fmpq_zero(dot);
            for (i = 0; i < d_in; i++)
                fmpq_addmul(dot, x + a * d_in + i, x + b * d_in + i);
            fmpq_div_fmpz(dot, dot, (fmpz_t) { d_in });
            /* layer 1 */
            fmpq_mul(fmpq_mat_entry(K, a, b), dot, net->cw);
            fmpq_add(fmpq_mat_entry(K, a, b), fmpq_mat_entry(K, a, b), net->cb);
            fmpq_mul(fmpq_mat_entry(Theta, a, b), dot, lambda_w);
            fmpq_add(fmpq_mat_entry(Theta, a, b), fmpq_mat_entry(Theta, a, b), lambda_b);
            /* linear: <sigma sigma> = K_ab, <sigma' sigma'> = 1 */
            for (l = 1; l < net->depth; l++)
            {
                fmpq_mul(t, fmpq_mat_entry(Theta, a, b), net->cw);
                fmpq_add(t, t, lambda_b);
                fmpq_addmul(t, lambda_w, fmpq_mat_entry(K, a, b));
                fmpq_swap(t, fmpq_mat_entry(Theta, a, b));
                fmpq_mul(t, fmpq_mat_entry(K, a, b), net->cw);
                fmpq_add(fmpq_mat_entry(K, a, b), t, net->cb);
            }
            fmpq_set(fmpq_mat_entry(K, b, a), fmpq_mat_entry(K, a, b));
            fmpq_set(fmpq_mat_entry(Theta, b, a), fmpq_mat_entry(Theta, a, b));
        }
    fmpq_clear(dot); fmpq_clear(t);
    return NEFT_SUCCESS;
}

void
neft_posterior_kernels_cost(double * ops, double * bytes, const neft_onen_params_t par,
                            slong P, slong d_in)
{
    neft_onen_ntk_matrix_cost(ops, bytes, par, P, d_in);
}
