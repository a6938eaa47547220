/* neft/posterior.h -- Bayesian inference with the infinite-width network
 * (the NNGP): training data, the output layer's kernel matrix at the
 * training and test inputs, and the Gaussian-process posterior
 * (docs/cmd-posterior.md).
 *
 * With training inputs A (targets y), test inputs B, the output kernel
 * K = K^(L) of the net (neft/onen.h) and observation noise of variance s2,
 *
 *   mean = K_BA (K_AA + s2 I)^{-1} y,
 *   cov  = K_BB - K_BA (K_AA + s2 I)^{-1} K_AB,
 *
 * in Arb balls (arb_mat_spd_solve, arb_mat_solve when Cholesky is not
 * certified) and, when the kernel is an exact rational matrix (linear
 * activation, or depth 1, with rational inputs), in exact rationals. */
#ifndef NEFT_POSTERIOR_H
#define NEFT_POSTERIOR_H

#include <stdio.h>
#include "neft/arbcompat.h"
#include "neft/onen.h"
#include "neft/status.h"
#ifdef NEFT_FLINT3
#include <flint/arb_mat.h>
#else
#include <arb_mat.h>
#endif
#include <flint/fmpq_mat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- training data (src/posterior/data.c; docs/formats.md) ------------ */

typedef struct
{
    slong n, d_in;      /* n examples of d_in coordinates */
    fmpq * x;           /* n * d_in, exact as written */
    fmpq * y;           /* n targets */
}
neft_posterior_data_struct;
typedef neft_posterior_data_struct neft_posterior_data_t[1];

void neft_posterior_data_init(neft_posterior_data_t d);
void neft_posterior_data_clear(neft_posterior_data_t d);

/* Reads a data file: CSV (one example per line, "x_1,..,x_d,y", decimal or
   p/q numbers, '#' comment lines and blank lines ignored, every line with
   the same number >= 2 of fields) or JSON ({"inputs":[[x_1,..],..],
   "targets":[y,..]}, chosen when the first non-blank character is '{').
   At most NEFT_POSTERIOR_MAX_DATA examples.  0, or -1 with
   "PATH:LINE: what was expected" (or "PATH: system error") in err. */
#define NEFT_POSTERIOR_MAX_DATA 100000
int neft_posterior_data_read(neft_posterior_data_t d, const char * path, char * err,
                             size_t errsize);

/* ---- the kernels at the inputs (src/posterior/kernels.c) --------------- */

/* The output layer's kernel K = K^(L) and NTK Theta = Theta^(L) (learning
   rates lambda_b, lambda_W; neft_onen_ntk_matrix) at the P = ntrain + ntest
   inputs x (P * d_in rationals, training inputs first), as P x P ball
   matrices (Theta may be NULL: not computed).  Returns 0, NEFT_UNSUPPORTED
   (neft_onen_ntk_has), or -1 if not certified (or a stop request). */
int neft_posterior_kernels(arb_mat_t K, arb_mat_t Theta, const neft_onen_params_t par,
                           const fmpq_t lambda_b, const fmpq_t lambda_w, const fmpq * x,
                           slong P, slong d_in);

/* The same in exact rationals when they are rationals: the linear
   activation (any depth) or depth 1 (any activation).  NEFT_SUCCESS, or
   NEFT_UNSUPPORTED otherwise (K, Theta unchanged). */
int neft_posterior_kernels_exact(fmpq_mat_t K, fmpq_mat_t Theta, const neft_net_t net,
                                 const fmpq_t lambda_b, const fmpq_t lambda_w,
                                 const fmpq * x, slong P, slong d_in);

/* Cost estimate of neft_posterior_kernels (neft_onen_ntk_matrix_cost). */
void neft_posterior_kernels_cost(double * ops, double * bytes, const neft_onen_params_t par,
                                 slong P, slong d_in);

/* ---- the posterior (src/posterior/gp.c) -------------------------------- */

/* mean (ntest balls) and cov (ntest x ntest) of the posterior at the test
   inputs, K the (ntrain + ntest)^2 kernel (training inputs first), y the
   ntrain targets, noise the variance s2 >= 0.  0, or -1 if K_AA + s2 I is
   not certified invertible at prec (mean and cov then indeterminate). */
int neft_posterior_gp(arb_ptr mean, arb_mat_t cov, const arb_mat_t K, slong ntrain,
                      arb_srcptr y, const arb_t noise, slong prec);

/* The same in exact rationals: NEFT_SUCCESS, or NEFT_FAILURE if K_AA + s2 I
   is singular. */
int neft_posterior_gp_exact(fmpq * mean, fmpq_mat_t cov, const fmpq_mat_t K, slong ntrain,
                            const fmpq * y, const fmpq_t noise);

/* ---- finite width: the O(1/n) posterior mean (src/posterior/order1.c) -- */

/* The prior's O(1/n) data at the P inputs x (training first), n = n_{L-1}
   the last hidden width: kap4[((a P + b) P + c) P + d] = V_(ab)(cd) +
   V_(ac)(bd) + V_(ad)(bc) (so E[z_a z_b z_c z_d]_c = kap4/n) and the kernel
   shift G1 (P x P).  Available for P = 2 at any depth (neft_onen_vertex2_g1;
   GaussNet at depth 2 by its closed vertex), for any P at depth 2 with
   d_in = 1 and a row the integrator bounds (the first layer's kernel has
   rank 2: 2-D integrals, G1 = 0), for any P and d_in where
   neft_onen_vertex_g1 applies (GaussNet at depth 2 in closed form; bounded
   analytic rows; piecewise-linear rows), and depth 1 (all 0).  Returns 0; NEFT_UNSUPPORTED with *why a sentence
   (static storage) otherwise; -1 if not certified or after a stop request. */
int neft_posterior_vertex(arb_ptr kap4, arb_mat_t G1, const neft_onen_params_t par,
                          const fmpq * x, slong P, slong d_in, const char ** why);

/* Cost estimate of neft_posterior_vertex at P inputs (neft_onen_vertex_cost:
   measured, softplus at depth 3 with P = 4: 122 s of CPU against 1.2e11
   operations). */
void neft_posterior_vertex_cost(double * ops, double * bytes, const neft_onen_params_t par,
                                slong P);

/* mean1 (ntest balls): the posterior mean at finite width is mean +
   mean1/n + O(1/n^2), from K, G1, kap4 as above (Edgeworth series of the
   prior, integrated by parts; the formula in src/posterior/order1.c and
   docs/cmd-posterior.md).  0, or -1 if K_AA + s2 I is not certified
   invertible (mean1 indeterminate). */
int neft_posterior_gp_order1(arb_ptr mean1, const arb_mat_t K, const arb_mat_t G1,
                             arb_srcptr kap4, slong ntrain, arb_srcptr y, const arb_t noise,
                             slong prec);

/* ---- output (src/posterior/write.c) ------------------------------------ */

#define NEFT_POSTERIOR_FORMAT_TEXT 0
#define NEFT_POSTERIOR_FORMAT_JSON 1

/* Writes the mean and covariance at the ntest test inputs (x: ntest * d_in
   rationals), with the exact rationals when emean is not NULL: text lines
   "x  mean  sd" and the covariance rows, or the JSON members
   "test":[[x..],..],"mean":[BALL..],"cov":[[BALL..],..] (and "mean_exact",
   "cov_exact" as strings); the caller writes the enclosing object. */
void neft_posterior_write(FILE * out, const fmpq * x, slong ntest, slong d_in,
                          arb_srcptr mean, const arb_mat_t cov, const fmpq * emean,
                          const fmpq_mat_t ecov, int format);

/* The O(1/n) posterior mean (neft_posterior_gp_order1) at the test inputs:
   text lines "mean_1[i] = BALL" (the posterior mean is mean + mean_1/n,
   n = n_{L-1}), or the JSON members ,"order":1,"mean_1":[BALL..] and the
   prior data it came from, "kernel" (P x P), "g1" (P x P) and "kappa4" (the
   P^4 entries, row-major). */
void neft_posterior_order1_write(FILE * out, const arb_mat_t K, const arb_mat_t G1,
                                 arb_srcptr kap4, slong ntrain, arb_srcptr mean,
                                 arb_srcptr mean1, int format);

#ifdef __cplusplus
}
#endif
#endif
