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

/* E[prod_{i<n} sigma(u_{idx[i]})] at layer 1 (K = the Q x Q layer-1
   kernel, row-major; k_a = K_aa), n <= 4: exact, any number of inputs; with
   multiplicities m_c of the classes c in idx the exponent is
   (1/2) [sum_c (m_c^2 - 2 m_c) K_cc + 2 sum_{c<d} m_c m_d K_cd], summed in
   class order, so the ball depends on the multiset only (not on the order). */
void
_neft_onen_gauss_expect(arb_t res, arb_srcptr K, slong Q, const slong * idx, slong n,
                        slong prec)
{
    slong c[4], m[4], nc = 0, i, j;
    arb_t t;
    arb_init(t);
    for (i = 0; i < n; i++)
    {
        for (j = 0; j < nc && c[j] != idx[i]; j++)
            ;
        if (j == nc)
        {
            /* insert idx[i] keeping c sorted */
            for (j = nc; j > 0 && c[j - 1] > idx[i]; j--)
            {
                c[j] = c[j - 1];
                m[j] = m[j - 1];
            }
            c[j] = idx[i];
            m[j] = 0;
            nc++;
        }
        m[j]++;
    }
    arb_zero(res);
    for (i = 0; i < nc; i++)
    {
        arb_mul_si(t, K + (Q + 1) * c[i], m[i] * m[i] - 2 * m[i], prec);
        arb_add(res, res, t, prec);
        for (j = i + 1; j < nc; j++)
        {
            arb_mul_si(t, K + Q * c[i] + c[j], 2 * m[i] * m[j], prec);
            arb_add(res, res, t, prec);
        }
    }
    arb_mul_2exp_si(res, res, -1);
    arb_exp(res, res, prec);
    arb_clear(t);
}

/* the pair data of src/onen/vertex4.c for inputs 0, 1 of the 2 x 2 layer-1
   kernel K2: f2 and f4 in closed form; D and H indeterminate (never used:
   GaussNet has one hidden layer, so no layer carries V or G1 into them) */
void
_neft_onen_vertex4_gauss_pair(arb_t f2[3], arb_t f4[3][3], arb_t D[3][3], arb_t H[3][3][3],
                              arb_srcptr K2, slong prec)
{
    slong P, Q, R, idx[4];
    for (P = 0; P < 3; P++)
    {
        idx[0] = pair_a[P]; idx[1] = pair_b[P];
        _neft_onen_gauss_expect(f2[P], K2, 2, idx, 2, prec);
        for (Q = 0; Q < 3; Q++)
        {
            /* f4[P][Q] = <s_aP s_bP s_aQ s_bQ>, pairs (00), (01), (11) */
            idx[0] = pair_a[P]; idx[1] = pair_b[P];
            idx[2] = pair_a[Q]; idx[3] = pair_b[Q];
            _neft_onen_gauss_expect(f4[P][Q], K2, 2, idx, 4, prec);
            arb_indeterminate(D[P][Q]);
            for (R = 0; R < 3; R++)
                arb_indeterminate(H[P][Q][R]);
        }
    }
}

int
_neft_onen_vertex2_gauss(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                         const arb_srcptr x, slong d_in)
{
    slong prec = par->prec, depth = par->net->depth, i, P, Q;
    arb_t cw, cb, f2[3], f4, t;
    slong idx[4];
    int status = 0;

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
            _neft_onen_gauss_expect(f2[P], kernels, 2, idx, 2, prec);
            arb_mul(t, f2[P], cw, prec);
            arb_add(kernels + 4 + 2 * pair_a[P] + pair_b[P], t, cb, prec);
        }
        arb_set(kernels + 4 + 2, kernels + 4 + 1);
        for (P = 0; P < 3; P++)
            for (Q = 0; Q < 3; Q++)
            {
                idx[0] = pair_a[P]; idx[1] = pair_b[P];
                idx[2] = pair_a[Q]; idx[3] = pair_b[Q];
                _neft_onen_gauss_expect(f4, kernels, 2, idx, 4, prec);
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
