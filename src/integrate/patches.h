/* Private to src/integrate: one-vertex integrals in d_in = 2 and 3 by
   adaptive tensor Gauss-Legendre on patches (patches.c). */
#ifndef NEFT_INTEGRATE_PATCHES_H
#define NEFT_INTEGRATE_PATCHES_H

#include "neft/integrate.h"

/* 1 if the patch method takes v with kernel k and cutoff L: one vertex,
   d_in = 2 or 3, erf or relu (relu with sigma_b = 0 only in d_in = 3; d_in = 2
   has the polar method), finite L > 0, exact points. */
int _neft_integrate_patches_apply(const neft_vint_t v, const neft_kernel_t k, const arf_t L);

/* Encloses the integral v over [-L, L]^d (as neft_integrate_vint); the
   status is NEFT_INTEGRATE_NO_CONVERGENCE when the goal was not met within
   opt->eval_limit evaluations (default 4e6): the ball is still rigorous. */
int _neft_integrate_patches(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                            const arf_t L, const neft_integrate_opt_t opt, slong prec);

/* 1 if _neft_integrate_patches_shell takes v with kernel k on the shell
   between Lin and L: _neft_integrate_patches_apply at L, 0 < Lin < L, and
   for relu sigma_b > 0 every point inside (-Lin, Lin)^d (no singular point
   in the shell; relu with sigma_b = 0 is homogeneous instead). */
int _neft_integrate_patches_shell_apply(const neft_vint_t v, const neft_kernel_t k,
                                        const arf_t Lin, const arf_t L);

/* Encloses the integral v over the shell [-L, L]^d minus (-Lin, Lin)^d (erf:
   the far field's 2^d d pyramids from 0 restricted to |y|_inf in [Lin, L];
   relu: the union of 2 d boxes, each cut into patches as the cube), with the same goal
   relative to the shell's own scale and status as _neft_integrate_patches;
   [-L, L]^d is [-Lin, Lin]^d plus this shell (nested cutoffs,
   neft_integrate_tuples_cutoffs).  Where the shell does not apply: an
   indeterminate ball and NEFT_INTEGRATE_NO_CONVERGENCE. */
int _neft_integrate_patches_shell(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                  const arf_t Lin, const arf_t L,
                                  const neft_integrate_opt_t opt, slong prec);

/* The evaluations the patch method takes for 4 legs with kernel k, cutoff
   Lf >= 1 at prec bits (src/integrate/patches_cost.c, calibrated against
   measured CPU times; docs/integrate.md): erf d_in = 2 1.2e4 (1 + log2 L), relu
   d_in = 2 3e4 (1 + log2 L), erf d_in = 3 1.5e5 (1 + log2 L)^1.5 up to 1.5e6,
   relu sigma_b = 0 d_in = 3 3e5 (any L: homogeneity), relu sigma_b > 0
   d_in = 3 8e5 L^0.9 up to 2e6, times (prec/64)^d_in. */
double _neft_integrate_patches_evals(const neft_kernel_t k, double Lf, double prec);

#endif
