/* neft/gaussexp.h -- rigorous Gaussian expectations of products of activation values.
 *
 * One integrator serves every module that needs E[F(z)] for a Gaussian z and
 * an activation with no closed form (neft exact's moments, neft onen's
 * integration fallback):
 *
 *   E[ prod_{a<n} sigma^(deriv)(u_a . xi) * He_k(xi_1) ],   xi ~ N(0, I_dim), dim = 1, 2,
 *
 * sigma a row of the activation table (neft/act.h) with its parameters, u_a
 * the caller's factor of the covariance (z_a = u_a . xi), He_k the
 * probabilists' Hermite polynomial.  The integral runs over |xi| <= R with
 * Arb's acb_calc_integrate (dim = 2: nested Cartesian, or polar for a row
 * with a kink; two directions of a bounded analytic row without a weight
 * by Mehler's series instead, src/gaussexp/mehler.c); the
 * rest is bounded from the row's declared properties only (BOUNDED: |sigma|
 * <= sup; else GROWTH: |sigma| <= a + b|z|^p; sigma': |sigma'| <= dsup),
 * through the polynomial majorant P(|xi|) >= |F| and the exact incomplete
 * Gamma integrals of r^j e^{-r^2/2} (docs/integrate.md, "Gaussian
 * expectations").  A row that declares no bound is refused (UNSUPPORTED and
 * the row's reason), never integrated without one.  The declared parity
 * halves the domain (xi -> -xi) and makes odd integrands exactly 0; kinks
 * (NEFT_ACT_SINGULAR_KINK at z = 0) split the domain where they lie. */
#ifndef NEFT_GAUSSEXP_H
#define NEFT_GAUSSEXP_H

#include <stddef.h>
#include "neft/arbcompat.h"
#include "neft/act.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NEFT_GAUSSEXP_MAX_HERMITE 8

/* res = E[prod_{a<n} sigma^(deriv)(u_a . xi) He_hermite(xi_1)] for xi standard
   normal in dim (1 or 2) dimensions; u holds n * dim balls (factor a:
   u[a*dim .. a*dim+dim-1]); par: act->nparams balls (NULL when none); deriv 0
   or 1; 0 <= hermite <= NEFT_GAUSSEXP_MAX_HERMITE; the integration aims at
   an absolute error 2^-prec times the majorant's size.  Returns
   NEFT_SUCCESS (res contains the expectation), NEFT_NO_CONVERGENCE (res
   finite and contains it, but Arb did not reach the goal), NEFT_FAILURE (res
   not finite: not certified), NEFT_UNSUPPORTED (the row declares no bound
   for this integrand: one line naming the row and why in err),
   NEFT_BAD_INPUT (arguments out of range: err), NEFT_INTERRUPTED (a stop
   request, neft/interrupt.h).  res is indeterminate unless SUCCESS or
   NO_CONVERGENCE. */
int neft_gaussexp_product(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                          arb_srcptr u, slong n, slong dim, slong hermite, slong prec,
                          char * err, size_t errsize);

/* res = E[prod_{a<n} sigma^(deriv)(u_a . xi) W(xi)] with a polynomial weight W
   of total degree at most deg <= NEFT_GAUSSEXP_MAX_HERMITE, w[i (deg+1) + j]
   the coefficient of xi_1^i xi_2^j ((deg+1)^2 finite balls, zero where
   i + j > deg or, in 1-D, j > 0): the K-derivatives of multi-input
   expectations are such weights (Price's theorem by parts; src/onen/
   vertex2_gen.c).  The tail majorant is sum |w_ij| |xi|^(i+j); the weight's
   parity (even, odd or mixed) combines with the row's.  Returns as
   neft_gaussexp_product. */
int neft_gaussexp_poly(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                       arb_srcptr u, slong n, slong dim, arb_srcptr w, slong deg, slong prec,
                       char * err, size_t errsize);

/* res = E[sigma^(deriv)(sqrt(K) xi)^power He_hermite(xi)], xi ~ N(0, 1), K >= 0:
   the one-dimensional form (onen's K-derivatives of <sigma^{2p}>_K and
   <sigma'^2>_K).  Returns as neft_gaussexp_product. */
int neft_gaussexp_hermite(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                          slong power, const arb_t K, slong hermite, slong prec,
                          char * err, size_t errsize);

/* 1 if neft_gaussexp_product can bound the integrand of sigma^(deriv) (the row
   declares BOUNDED or GROWTH for deriv 0, dsup > 0 for deriv 1), else 0 and
   one line in err. */
int neft_gaussexp_supported(neft_act_srcptr act, slong deriv, char * err, size_t errsize);

/* Cost estimate of neft_gaussexp_product in operations (about one double
   multiply-add each; docs/library.md) from the sizes alone: the integrand
   evaluations (dim 1: 2 prec + 50; dim 2, nested: 2500 prec; twice as many
   without a declared parity: measured and rounded up for the polar rule)
   times n activation values (sigma_cost each) with their products and an
   exp.  Since stop 34 the 2-D Cartesian rule takes about as long as this
   says and Mehler's series (two directions, a bounded row) 5 to 30 times
   less: an upper estimate there. */
double neft_gaussexp_cost(slong n, slong dim, int parity, double sigma_cost, slong prec);

/* res[p] = E[prod_{i<m} sigma(u_i . xi)^{pw[p m + i]}] for xi standard normal
   in D = 2..4 dimensions and every product p < nprod <= 64 at once (u: m <= 8
   rows of D balls; exponents 0..8), for an analytic row with a declared
   bound (|sigma| <= sup, or |sigma(z)| <= a + b |z|^p with p <= 2: gelu,
   silu, softplus), no kink and a holomorphy-certified ball evaluator:
   tensor Gauss-Legendre panels with Bernstein-ellipse bounds and the chi_D
   tail of the bound (src/gaussexp/grid.c, the rule of src/exact/gridnd.c
   for any factor matrix).  The absolute error is below 2^-goal_bits
   max(1, sup)^deg, for a growing row 2^-goal_bits prod_i max(1, a + b
   |u_i|^p)^{pw_i} (8 <= goal_bits <= 40); *nodes (if not NULL) gets the
   number of nodes.
   Returns NEFT_SUCCESS (every res[p] contains its expectation),
   NEFT_UNSUPPORTED (the row does not qualify: err), NEFT_FAILURE (no rule
   reaches the goal or a value is not finite: err), NEFT_INTERRUPTED,
   NEFT_BAD_INPUT (sizes out of range); res indeterminate unless SUCCESS. */
int neft_gaussexp_grid(arb_ptr res, neft_act_srcptr act, arb_srcptr par, arb_srcptr u,
                       slong m, slong D, const slong * pw, slong nprod, slong goal_bits,
                       slong * nodes, char * err, size_t errsize);

/* As neft_gaussexp_grid with a polynomial weight per product: res[p] =
   E[prod_i sigma(u_i . xi)^{pw[p m + i]} W_p(xi_1, xi_2)], W_p of total degree
   <= deg <= 4 in the first two coordinates, w[p (deg+1)^2 + i (deg+1) + j]
   the coefficient of xi_1^i xi_2^j (zero where i + j > deg): the
   K-derivatives of two-input expectations (src/onen/vertex2_gen.c).  The
   goal is 2^-goal_bits times the rows' scale times max(1, sum |w_ij|).
   Returns as neft_gaussexp_grid. */
int neft_gaussexp_grid_poly(arb_ptr res, neft_act_srcptr act, arb_srcptr par, arb_srcptr u,
                            slong m, slong D, const slong * pw, slong nprod, arb_srcptr w,
                            slong deg, slong goal_bits, slong * nodes, char * err,
                            size_t errsize);

/* 1 if neft_gaussexp_grid applies to the row, else 0 and one line in err. */
int neft_gaussexp_grid_applies(neft_act_srcptr act, char * err, size_t errsize);

/* res = E[prod_{i<n} sigma(z_i)^{pw[i]}] for z ~ N(0, K) (K: n x n balls,
   1 <= n <= 4, positive semidefinite, possibly singular, K_ii > 0) and the
   piecewise-linear sigma(z) = z (z > 0), slope z (z < 0): relu (slope 0),
   leaky-relu, linear (slope 1); total degree sum pw <= 4.  Stein's identity
   down to orthant probabilities (closed forms up to three inputs, one 1-D
   Plackett integral per pair for four; src/gaussexp/pwlin.c); a singular or
   nearly singular K is regularised with a rigorous bound of the change
   (about 2^-40 K^(d/2)) -- except with four inputs (NEFT_UNSUPPORTED and
   err: the Plackett integrals of a singular 4 x 4 kernel converge too
   slowly; slope 1 needs none).  Returns NEFT_SUCCESS, NEFT_FAILURE (not
   certified: err), NEFT_BAD_INPUT (sizes), NEFT_INTERRUPTED; res
   indeterminate unless SUCCESS. */
int neft_gaussexp_pwlin(arb_t res, const arb_t slope, arb_srcptr K, slong n, const slong * pw,
                        slong prec, char * err, size_t errsize);

/* res = E[prod_{a<n} sigma(X_a . zeta)] for zeta ~ N(0, diag(g)) (X: n x D
   balls, 1 <= n <= 4, 1 <= D <= 3; g: D variances, each exactly 0 or
   certainly positive) and the piecewise-linear sigma of neft_gaussexp_pwlin
   (slope s): any rank, so a singular kernel too (four inputs at layer 1 of
   a net with d_in + (C_b != 0) <= 3).  Rank 3: relu's cone integrals
   (src/exact/cone.c) over the sign patterns of sigma = relu(z) - s
   relu(-z); rank 2: arcs of the circle in closed form; rank 1: closed form
   (src/gaussexp/pwlin_span.c).  Returns NEFT_SUCCESS, NEFT_FAILURE (the
   rank or a sign not decided by the balls, or not certified: err),
   NEFT_BAD_INPUT (sizes), NEFT_INTERRUPTED; res indeterminate unless
   SUCCESS. */
int neft_gaussexp_pwlin_rows(arb_t res, const arb_t slope, arb_srcptr X, arb_srcptr g, slong n,
                             slong D, slong prec, char * err, size_t errsize);

#ifdef __cplusplus
}
#endif

#endif
