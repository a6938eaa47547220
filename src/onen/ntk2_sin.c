/* The Gaussian data of the two-input NTK at O(1/n) for sin (src/onen/ntk2.h;
   docs/onen.md, "The NTK of two inputs"), all in closed form.

   sin z = sum_{s = +-1} s e^{isz}/(2i), cos z = sum_s e^{isz}/2, so a product
   of nf factors sin or cos of z_0 or z_1 (ns of them sin) is
   2^-nf (-i)^ns sum over the 2^nf signs of (prod of the sin signs) e^{i w.z},
   w = sum_k s_k e_(input k), and E[e^{i w.z}] = exp(-q/2), q = w0^2 K00 +
   2 w0 w1 K01 + w1^2 K11.  ns odd gives 0 (w -> -w); the K-derivatives
   are exact: d/dK_R exp(-q/2) = g_R exp(-q/2), g = (-w0^2/2, -w0 w1, -w1^2/2).
   The dNTK's sigma'' = -sigma. */

#include "ntk2.h"

/* v = E[prod_k f_k(z_(in_k))], f_k = sin (sn[k] = 1) or cos, k < nf <= 4; with
   D, H (if D not NULL) its gradient and Hessian along (K00, K01, K11) */
static void
sin_expect(arb_t v, arb_t * D, arb_t (*H)[3], const int * sn, const int * in, int nf,
           arb_srcptr K, slong prec)
{
    arb_t e, t;
    int ns = 0, m, k, R, S;
    arb_zero(v);
    if (D != NULL)
        for (R = 0; R < 3; R++)
        {
            arb_zero(D[R]);
            for (S = 0; S < 3; S++)
                arb_zero(H[R][S]);
        }
    for (k = 0; k < nf; k++)
        ns += sn[k];
    if (ns % 2)
        return;
    arb_init(e); arb_init(t);
    for (m = 0; m < (1 << nf); m++)
    {
        slong w[2] = {0, 0}, c = (ns / 2) % 2 ? -1 : 1, gr[3];
        for (k = 0; k < nf; k++)
        {
            slong s = (m >> k) & 1 ? -1 : 1;
            w[in[k]] += s;
            if (sn[k])
                c *= s;
        }
        /* e = c exp(-q/2) 2^-nf */
        arb_mul_si(e, K + 0, w[0] * w[0], prec);
        arb_mul_si(t, K + 1, 2 * w[0] * w[1], prec);
        arb_add(e, e, t, prec);
        arb_mul_si(t, K + 3, w[1] * w[1], prec);
        arb_add(e, e, t, prec);
        arb_mul_2exp_si(e, e, -1);
        arb_neg(e, e);
        arb_exp(e, e, prec);
        arb_mul_si(e, e, c, prec);
        arb_mul_2exp_si(e, e, -nf);
        arb_add(v, v, e, prec);
        if (D == NULL)
            continue;
        /* twice the gradient factors, integers: -w0^2, -2 w0 w1, -w1^2 */
        gr[0] = -w[0] * w[0];
        gr[1] = -2 * w[0] * w[1];
        gr[2] = -w[1] * w[1];
        for (R = 0; R < 3; R++)
        {
            arb_mul_si(t, e, gr[R], prec);
            arb_mul_2exp_si(t, t, -1);
            arb_add(D[R], D[R], t, prec);
            for (S = 0; S < 3; S++)
            {
                arb_mul_si(t, e, gr[R] * gr[S], prec);
                arb_mul_2exp_si(t, t, -2);
                arb_add(H[R][S], H[R][S], t, prec);
            }
        }
    }
    arb_clear(e); arb_clear(t);
}

int
_neft_onen_ntk2_gauss_sin(ntk2_gauss_struct * g, arb_srcptr K, slong prec)
{
    static const int pa[3] = {0, 0, 1}, pb[3] = {0, 1, 1};
    static const int ones[4] = {1, 1, 1, 1}, zeros[4] = {0, 0, 0, 0};
    int P, Q, a0, b0, a1, k;
    for (P = 0; P < 3; P++)
    {
        int in[4] = {pa[P], pb[P]};
        sin_expect(g->f2[P], g->D2[P], g->H2[P], ones, in, 2, K, prec);
        sin_expect(g->p[P], g->Dp[P], g->Hp[P], zeros, in, 2, K, prec);
        for (Q = 0; Q < 3; Q++)
        {
            in[2] = pa[Q];
            in[3] = pb[Q];
            sin_expect(g->f4[P][Q], NULL, NULL, ones, in, 4, K, prec);
        }
    }
    /* sigma^a0 sigma'^b0 at input 0, sigma^a1 sigma'^b1 at input 1 */
    for (a0 = 0; a0 <= 2; a0++)
        for (a1 = 0; a0 + a1 <= 2; a1++)
            for (b0 = 0; a0 + b0 + a1 <= 4; b0++)
            {
                int sn[4], in[4];
                for (k = 0; k < 4; k++)
                {
                    sn[k] = k < a0 || (k >= a0 + b0 && k < a0 + b0 + a1);
                    in[k] = k >= a0 + b0;
                }
                sin_expect(g->mix + NTK2_MIXI(a0, b0, a1, 4 - a0 - b0 - a1), NULL, NULL, sn,
                           in, 4, K, prec);
            }
    /* the dNTK's y = <sigma'_a0 sigma''_a1 sigma'_a2 sigma_a3>, sin'' = -sin */
    g->kink = 0;
    for (k = 0; k < 16; k++)
    {
        static const int sn[4] = {0, 1, 0, 1};
        int in[4] = {k >> 3, (k >> 2) & 1, (k >> 1) & 1, k & 1};
        sin_expect(g->y + k, NULL, NULL, sn, in, 4, K, prec);
        arb_neg(g->y + k, g->y + k);
    }
    return 0;
}
