/* GaussNet (Halverson-Maiti-Stoner): one hidden layer with
   sigma(z) = exp(z - k), k = k(x,x) = K^(1)_{xx} the first layer's
   pre-activation variance at the input x.  Its Gaussian expectations are
   moments of exponentials: for (u_i) centred Gaussian with covariance K,
     E[prod_i sigma(u_i)] = exp((1/2) sum_{i,j} K_{ij} - sum_i k_i),
   so the two-input kernel and four-point vertex of depth 2 are closed forms
   (docs/onen.md, "GaussNet"). */

#include "neft/onen.h"
#include "onen_private.h"

static const int pair_a[3] = { 0, 0, 1 }, pair_b[3] = { 0, 1, 1 };

/* E[prod_{i<n} sigma(u_{idx[i]})] at layer 1 of two inputs (K = kernels of
   layer 1, K[2a + b]; k_a = K[3a]). */
static void
expect(arb_t res, arb_srcptr K, const int * idx, slong n, slong prec)
{
    slong i, j;
    arb_zero(res);
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            arb_add(res, res, K + 2 * idx[i] + idx[j], prec);
    arb_mul_2exp_si(res, res, -1);
    for (i = 0; i < n; i++)
        arb_sub(res, res, K + 3 * idx[i], prec);
    arb_exp(res, res, prec);
}

int
_neft_onen_vertex2_gauss(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                         const arb_srcptr x, slong d_in)
{
    slong prec = par->prec, depth = par->net->depth, i, P, Q;
    arb_t cw, cb, f2[3], f4, t;
    int idx[4], status = 0;

    arb_init(cw); arb_init(cb); arb_init(f4); arb_init(t);
    for (P = 0; P < 3; P++)
        arb_init(f2[P]);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    /* layer 1: K_ab = C_b + C_W x_a.x_b / d_in, V = 0 */
    _neft_onen_kernel1(kernels, x, 2, d_in, cw, cb, prec);
    _arb_vec_zero(vertex, 9);
    if (depth == 2 && !neft_interrupted())
    {
        /* layer 2: K_P = C_b + C_W <s2>_P, V_PQ = C_W^2 (<s4>_PQ - <s2>_P <s2>_Q)
           (the terms in V^(1) = 0 vanish) */
        for (P = 0; P < 3; P++)
        {
            idx[0] = pair_a[P]; idx[1] = pair_b[P];
            expect(f2[P], kernels, idx, 2, prec);
            arb_mul(t, f2[P], cw, prec);
            arb_add(kernels + 4 + 2 * pair_a[P] + pair_b[P], t, cb, prec);
        }
        arb_set(kernels + 4 + 2, kernels + 4 + 1);
        for (P = 0; P < 3; P++)
            for (Q = 0; Q < 3; Q++)
            {
                idx[0] = pair_a[P]; idx[1] = pair_b[P];
                idx[2] = pair_a[Q]; idx[3] = pair_b[Q];
                expect(f4, kernels, idx, 4, prec);
                arb_submul(f4, f2[P], f2[Q], prec);
                arb_mul(f4, f4, cw, prec);
                arb_mul(vertex + 9 + 3 * P + Q, f4, cw, prec);
            }
    }
    arb_clear(cw); arb_clear(cb); arb_clear(f4); arb_clear(t);
    for (P = 0; P < 3; P++)
        arb_clear(f2[P]);
    if (neft_interrupted())
        return -1;
    for (i = 0; i < 9 * depth; i++)
        if (!arb_is_finite(vertex + i))
            status = -1;
    return status;
}
