/* Private to src/integrate: the methods behind neft_integrate_vint. */
#ifndef NEFT_INTEGRATE_INTERNAL_H
#define NEFT_INTEGRATE_INTERNAL_H

#include "neft/integrate.h"
#include "neft/interrupt.h"

/* First line of every acb_calc_integrate integrand: after a stop request
   (neft/interrupt.h) the value is an exact 0, so that Arb converges at once
   (an indeterminate value makes it bisect up to its evaluation limit, which
   took seconds); the result is then meaningless, and the public entry points
   (neft_integrate_vint, neft_integrate_tuples1) replace it by an
   indeterminate ball and return NEFT_INTEGRATE_INTERRUPTED. */
#define _NEFT_INTEGRAND_POLL(out) \
    do { if (neft_interrupted()) { acb_zero(out); return 0; } } while (0)

/* 1 if the d balls of x and y are identical (same midpoints and radii). */
static inline int
_neft_vec_identical(arb_srcptr x, arb_srcptr y, slong d)
{
    slong i;
    for (i = 0; i < d; i++)
        if (!arb_equal(x + i, y + i))
            return 0;
    return 1;
}


/* The integrand of v at the m*d coordinates y (vertex-major), legs x as
   acb (d each); same[] from _neft_vint_runs (runs of equal legs evaluated
   once); side[] (or NULL): one-sided ReLU per leg for d = 1. */
void _neft_vint_eval(acb_t out, const neft_vint_t v, const neft_kernel_t k, acb_srcptr x,
                     const slong * same, const int * side, acb_srcptr y, int an, slong prec);
void _neft_vint_runs(slong * same, const neft_vint_t v);

/* Position-weighted vertices (weighted.c): whether a piece of m vertices
   with one weighted can be integrated (else the reason in err), and the
   integral of v (some v->wpow != 0). */
int _neft_integrate_weighted_supported(slong m, const neft_kernel_t k, const arf_t L,
                                       char * err, size_t errsize);
int _neft_integrate_weighted(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                             const arf_t L, const neft_integrate_opt_t opt, slong prec,
                             char * err, size_t errsize);

/* Adaptive tensor Gauss-Legendre on boxes for m d = 2 or 3 (finite L):
   every box's error is bounded from the integrand's bound on a product of
   Bernstein ellipses, or the box is enclosed directly as volume x range of
   the integrand; the box with the largest error is bisected until the total
   meets the goal. */
int _neft_integrate_boxes(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                          const arf_t L, const neft_integrate_opt_t opt, slong prec);

/* GaussNet, one vertex, any d: closed form.  L may be +inf. */
int _neft_integrate_gauss1(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                           const arf_t L, slong prec, char * err, size_t errsize);

/* ReLU, sigma_b = 0, d = 1, any m: closed form (finite L). */
int _neft_integrate_relu0(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                          const arf_t L, slong prec);

/* acb_calc_integrate, nested over the m d <= 3 coordinates (finite L). */
int _neft_integrate_quad(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                         const arf_t L, const neft_integrate_opt_t opt, slong prec);

/* ReLU, sigma_b > 0, d = 1, two vertices: the inner path bends through the
   complex split point z = y (finite L). */
int _neft_integrate_relu_pair(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                              const arf_t L, const neft_integrate_opt_t opt, slong prec);

/* Panel Gauss-Legendre with shared kernel values (tuples.c): the integrals
   \int prod_i K(x_{t_i}, y) K(y,y)^loops dy for the ntup tuples given
   (npts indices each into x), or for all sorted tuples when tuples is NULL. */
int _neft_integrate_panels(arb_ptr res, const slong * tuples, slong ntup,
                           const neft_kernel_t k, arb_srcptr x, slong nin, slong npts,
                           slong loops, const arf_t L, const neft_integrate_opt_t opt,
                           slong prec);

/* ReLU, sigma_b = 0, one vertex, d_in = 2: homogeneity reduces the integral
   to four 1-D integrals along the sides of the square (polar.c). */
int _neft_integrate_relu_polar(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                               const arf_t L, const neft_integrate_opt_t opt, slong prec);

/* 1 if the plan of a one-vertex integral with kernel k and cutoff L is the
   panel method (neft_integrate_plan: d_in = 1, erf or relu, finite L, not
   a closed form); the tuple methods read it. */
int _neft_integrate_panels_apply(const neft_kernel_t k, const arf_t L);

/* One vertex integral (m = d = 1) by the panel method. */
int _neft_integrate_panels1(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                            const arf_t L, const neft_integrate_opt_t opt, slong prec);

/* The connected piece c of dg (comp from neft_diagram_propagator_components)
   with the n external points pts (d coordinates each): returns its number
   mc of internal vertices.  mc = 0: bare = the product of its propagators
   between external points (v untouched).  0 < mc <= NEFT_INTEGRATE_MAX_VERTICES:
   v is initialised (the caller clears it) to the piece's canonical vertex
   integral, each vertex weighted by its coupling's |y|^position from th
   (NULL: none).  Larger mc: nothing is set (too many vertices). */
slong _neft_integrate_component(neft_vint_t v, arb_t bare, const neft_diagram_t dg,
                                const neft_theory_t th, const slong * comp, slong c,
                                arb_srcptr pts, const neft_kernel_t k, slong prec);
/* Two vertices in d_in >= 2 (twovtx2_*.c, finite L): GaussNet as sums of
   products over the coordinates of 1-D two-vertex integrals; relu with
   sigma_b = 0 in d_in = 2 by homogeneity in both vertices (a 2-D integral
   over the two angles, nested acb_calc_integrate). */
int _neft_integrate_twovtx2_gauss(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                  const arf_t L, const neft_integrate_opt_t opt, slong prec);
int _neft_integrate_twovtx2_relu0(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                  const arf_t L, const neft_integrate_opt_t opt, slong prec);
/* Erf, two vertices, d_in = 2: 4-D boxes with per-axis error bounds. */
int _neft_integrate_twovtx2_erf(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                const arf_t L, const neft_integrate_opt_t opt, slong prec);

/* Erf, two vertices, d_in = 2, cutoffs above 2: square-polar coordinates
   per pair of the square's sides, sheared along the ridge y || z
   (twovtx2_erfpolar.c). */
int _neft_integrate_twovtx2_erfpolar(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                     const arf_t L, const neft_integrate_opt_t opt, slong prec);
/* ReLU with sigma_b > 0, two vertices, d_in = 2: Cartesian planes cut at
   the legs and the diagonal, and sector decomposition so that every factor
   is analytic on whole boxes (twovtx2_sector.c, method SECTOR4).  Rigorous
   and convergent but slow (docs/integrate.md): neft_integrate_vint calls it
   through _neft_integrate_twovtx2_sector_vint, which refuses an integral
   whose estimate from the points is over 60 s. */
int _neft_integrate_twovtx2_sector(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                   const arf_t L, const neft_integrate_opt_t opt, slong prec);
/* An estimate (not a bound) of the node values SECTOR4 spends on v at L
   with opt's goal at prec (*nsec its sectors; *seconds the CPU seconds
   they are estimated to take, which neft_integrate_vint compares with 60 s):
   from the points (the cuts, the sectors) and the goal;
   NEFT_INTEGRATE_UNSUPPORTED when the method does not apply to v. */
int _neft_integrate_twovtx2_sector_estimate(double * evals, slong * nsec, double * seconds,
                                            const neft_vint_t v,
                                            const neft_kernel_t k, const arf_t L,
                                            const neft_integrate_opt_t opt, slong prec);
/* neft_integrate_vint's SECTOR4: refused (UNSUPPORTED, the estimate in err)
   when the estimate is over opt->eval_limit node values (when set), else
   over 60 s of CPU (node values times (0.85 + 0.05 factors) us), else the
   method's status and ball. */
int _neft_integrate_twovtx2_sector_vint(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                        const arf_t L, const neft_integrate_opt_t opt,
                                        slong prec, char * err, size_t errsize);
/* The erf kernel (d_in = 2) on complex boxes u, w as a sum of squares
   (twovtx2_erf.c); cross2: a box containing (u ^ w)^2, or NULL; u == w the
   self-loop. */
void _neft_twovtx2_erf_kbox(acb_t res, const neft_kernel_struct * k, acb_srcptr u,
                            acb_srcptr w, const acb_struct * cross2, int an, slong prec);

/* Shared by twovtx2_erf*.c: t = [a, b] exactly (doubles, a <= b); the least
   n in 4..nmax whose Gauss-Legendre error bound on a box (axis bound M on
   E_rho, vol = prod of half-widths) is <= tol, its bound in *err, or 0. */
void _neft_twovtx2_set_interval(arb_t t, double a, double b);
slong _neft_twovtx2_least_n(double * err, double M, double rho, double vol, double tol,
                            slong nmax);

/* The cost estimate of those methods (neft_integrate_plan's units). */
double _neft_integrate_twovtx2_cost(int method, slong nlegs, slong nlinks,
                                    const neft_kernel_t k, const arf_t L, slong prec);

#endif
