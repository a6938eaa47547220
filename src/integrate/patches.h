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

/* ---- hook for tuples_shared.c (all sorted tuples of a set of inputs at
   once): the patch method's context, cuts and rules, its integrand as
   factors.  ctx is a patch context: */

/* the patches and first boxes of v (the union of the tuples' legs, one run
   per distinct point) as _neft_integrate_patches builds them at cutoff L
   (Lin not NULL: as _neft_integrate_patches_shell on the shell between Lin
   and L); NULL when the cuts cannot be ordered.  Free with
   _neft_patches_ctx_free. */
void * _neft_patches_ctx_new(const neft_vint_t v, const neft_kernel_t k, const arf_t Lin,
                             const arf_t L, const neft_integrate_opt_t opt, slong prec);
void _neft_patches_ctx_free(void * ctx);
/* runs, goal bits, double intervals at the nodes, most nodes per axis, the
   faces method (relu sigma_b = 0, d = 3: times L^(p+3)/(p+3)), patches, boxes */
void _neft_patches_ctx_info(const void * ctx, slong * nrun, slong * goal, int * use_ivl,
                            slong * nmax, int * faces, slong * npt, slong * nbx);
/* patch i: parameters, Duffy, far field, prod |w_p| */
void _neft_patches_ctx_patch(const void * ctx, slong i, slong * P, int * duffy, int * far,
                             arb_t J);
/* first box i: [lo, hi] in [0,1]^P of its patch */
void _neft_patches_ctx_box(const void * ctx, slong i, double * lo, double * hi, slong * patch);
slong _neft_patches_ctx_evals(const void * ctx);
/* the integrand's factors at parameters xi of patch: fac[0] the Jacobian,
   fac[1 + r] run r's kernel, fac[1 + nrun] the diagonal kernel (when v has
   self-loops); the integrand of a tuple is fac[0] prod fac[1 + r]^(m_r)
   fac[1 + nrun]^loops.  an: check holomorphy (complex boxes). */
void _neft_patches_ctx_factors_acb(acb_ptr fac, void * ctx, slong patch, acb_srcptr xi, int an);
#ifdef NEFT_INTEGRATE_IVL_H
void _neft_patches_ctx_factors_ivl(ivl * fac, void * ctx, slong patch, const ivl * xi);
#endif
/* The rules on a sub-box for nt integrands at once (patches.c's own and
   tuples_shared.c's): bound(M, arg, patch, xi, want) writes M[t] >= 0, an
   upper bound of |integrand t| on the complex box xi (P parameters), or -1
   where holomorphy or the bound is not certified, for every t with want[t].
   The results per integrand t and axis p (index t * 3 + p): */
typedef void (*_neft_patches_bound_func)(double * M, void * arg, slong patch, acb_srcptr xi,
                                         const int * want);
typedef struct
{
    double c[3], h[3], vol;       /* the sub-box's centres, half-widths, volume */
    slong * n;                    /* nt x 3: nodes of the rule, -1: none */
    double * M, * rho, * err;     /* nt x 3: its bound, rho, error bound at n */
    slong * split;                /* nt: the axis to bisect when have[t] = 0 */
    int * have;                   /* nt: a rule on every axis */
}
_neft_patches_rules_struct;
/* init: arrays for nt integrands; clear: frees them */
void _neft_patches_rules_init(_neft_patches_rules_struct * R, slong nt);
void _neft_patches_rules_clear(_neft_patches_rules_struct * R);
/* the tolerance share of integrand t: dens[t] |J| vol / P (/ P on Duffy
   patches); r0: per axis, the first rho tried (updated) */
void _neft_patches_rules(void * ctx, slong patch, const double * lo, const double * hi,
                         slong * r0, slong nt, const double * dens,
                         _neft_patches_bound_func bound, void * arg,
                         _neft_patches_rules_struct * R);
/* piece ir of sub of a real interval, and the per-axis error bound */
void _neft_patches_real_piece(acb_t z, double c, double h, slong ir, slong sub);
double _neft_patches_axis_err(slong P, const double * h, double M, double rho, slong n);

#endif
