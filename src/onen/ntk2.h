/* Private to src/onen/ntk*.c: the Gaussian data of one layer step of the
   two-input NTK at O(1/n) (docs/onen.md, "The NTK of two inputs"). */
#ifndef NEFT_ONEN_NTK2_H
#define NEFT_ONEN_NTK2_H

#include "onen_private.h"

#define NTK2_MIX 625   /* mix[((a0 * 5 + b0) * 5 + a1) * 5 + b1] */

/* At the 2 x 2 kernel K of layer l, pairs P, R, S over (00), (01), (11),
   K-derivatives along the independent entries K_R:
     f2[P] = <sigma sigma>_P, f4[P][Q] = <sigma sigma sigma sigma>_PQ,
     D2[P][R] = d f2[P]/dK_R, H2[P][R][S] its second derivatives,
     p[P] = <sigma' sigma'>_P, Dp, Hp its derivatives,
     mix = E[sigma_0^a0 sigma'_0^b0 sigma_1^a1 sigma'_1^b1] for
           a0 + b0 + a1 + b1 = 4 and a0 + a1 <= 2 (other entries unset). */
typedef struct
{
    arb_t f2[3], f4[3][3], D2[3][3], H2[3][3][3], p[3], Dp[3][3], Hp[3][3][3];
    arb_struct mix[NTK2_MIX];
    arb_struct y[16];   /* the dNTK's E[sigma'_a0 sigma''_a1 sigma'_a2 sigma_a3],
                           8 a0 + 4 a1 + 2 a2 + a3 */
    int kink;           /* piecewise linear: sigma'' = 0 in the dNTK (pointwise) */
}
ntk2_gauss_struct;

void _neft_onen_ntk2_gauss_init(ntk2_gauss_struct * g);
void _neft_onen_ntk2_gauss_clear(ntk2_gauss_struct * g);

/* g at K (4 balls, row major).  0; -1 with err (not certified);
   NEFT_INTERRUPTED.  Rows: piecewise-linear (closed forms), tanh and sigmoid
   (moments of sigma), erf, sin. */
int _neft_onen_ntk2_gauss(ntk2_gauss_struct * g, const neft_net_t net, arb_srcptr K,
                          slong prec, char * err, size_t errsize);

/* A row whose sigma' is a polynomial in sigma: sigma' = q[0] + q[1] sigma +
   q[2] sigma^2; odd: sigma(-z) = -sigma(z) */
typedef struct
{
    const char * name;
    slong q[3];
    int odd;
}
ntk2_poly_row_struct;

/* The entry of the net's row in the table of such rows (tanh, sigmoid;
   src/onen/ntk2_gauss.c), or NULL */
const ntk2_poly_row_struct * _neft_onen_ntk2_poly_row(const neft_net_t net);

/* 1 for the rows whose sigma' is a polynomial in sigma (tanh, sigmoid) */
int _neft_onen_ntk2_is_poly(const neft_net_t net);

/* ss = <sigma_0 sigma_1>, dd = <sigma'_0 sigma'_1> at K (4 balls, row
   major) for those rows: f2[1], p[1] of _neft_onen_ntk2_gauss from the
   moments of degree <= 4 alone (one call of the rigorous 2-D rule, 2^-40;
   the frozen NTK of several inputs, src/onen/ntk.c).  Returns as
   _neft_onen_ntk2_gauss (ss, dd indeterminate unless 0). */
int _neft_onen_ntk2_pair_poly(arb_t ss, arb_t dd, const neft_net_t net, arb_srcptr K,
                              slong prec, char * err, size_t errsize);

/* u (4 balls) = the Cholesky factor of K (row major): z_0 = u0 xi_1, z_1 =
   u2 xi_1 + u3 xi_2 (K00 > 0; a singular K is fine) */
void _neft_onen_ntk2_chol(arb_ptr u, arb_srcptr K, slong prec);

/* g at K for erf (src/onen/ntk2_erf.c) and sin (src/onen/ntk2_sin.c);
   returns as _neft_onen_ntk2_gauss */
int _neft_onen_ntk2_gauss_erf(ntk2_gauss_struct * g, const neft_net_t net, arb_srcptr K,
                              slong prec, char * err, size_t errsize);
int _neft_onen_ntk2_gauss_sin(ntk2_gauss_struct * g, arb_srcptr K, slong prec);

/* neft_onen_ntk2 from the layer-1 kernel K1 (2 x 2 balls, row major) instead
   of the inputs (src/onen/ntk2.c); returns as neft_onen_ntk2 */
int _neft_onen_ntk2_from_kernel(neft_onen_ntk2_struct * T, const neft_onen_params_t par,
                                const fmpq_t lambda_b, const fmpq_t lambda_w, arb_srcptr K1,
                                char * err, size_t errsize);

/* m (rows x cols balls, row major) as a JSON array of rows (src/onen/ntk_write.c) */
void _neft_onen_ntk_json_matrix(FILE * out, arb_srcptr m, slong rows, slong cols);

/* polynomials in sigma for tanh and sigmoid (sigma' = Q(sigma), Q = q[0] +
   q[1] s + q[2] s^2; src/onen/ntk2_gauss.c): coefficients of sigma^0..8,
   bad when a product would pass degree 8 */
#define NTK2_DEG 9
typedef struct { slong c[NTK2_DEG]; int bad; } ntk2_poly_t;
ntk2_poly_t _neft_onen_ntk2_pmono(int k);                             /* sigma^k */
ntk2_poly_t _neft_onen_ntk2_pmul(ntk2_poly_t p, ntk2_poly_t q);       /* p q */
ntk2_poly_t _neft_onen_ntk2_pder(ntk2_poly_t p, const slong * q);     /* d/dz p(sigma(z)) */
ntk2_poly_t _neft_onen_ntk2_pfac(int a, int b, const slong * q);      /* sigma^a sigma'^b */

#define NTK2_MIXI(a0, b0, a1, b1) ((((a0) * 5 + (b0)) * 5 + (a1)) * 5 + (b1))

/* neft_gaussexp_grid's status for the pair and moment tables: 0 (success),
   NEFT_INTERRUPTED, NEFT_UNSUPPORTED when no panel rule reaches the goal (err
   rewritten: the row's argument too wide for the rule's unit panels, a
   documented limit, docs/onen.md "Degenerate input sets"), else -1. */
int _neft_onen_grid_status(int st, const neft_net_struct * net, slong D, char * err,
                           size_t errsize);

#endif
