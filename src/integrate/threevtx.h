/* Private to src/integrate: three-vertex integrals in d_in = 1
   (threevtx.c), for every kernel row, finite cutoff. */
#ifndef NEFT_INTEGRATE_THREEVTX_H
#define NEFT_INTEGRATE_THREEVTX_H

#include "internal.h"

/* How the kernel is continued on the pieces of the cube (the kernel's
   non-analytic points in d_in = 1). */
#define _NEFT_THREEVTX_SMOOTH  0  /* analytic on the real line (erf, gauss, sin, linear) */
#define _NEFT_THREEVTX_KINK    1  /* relu, leaky-relu with sigma_b > 0: kinks at y = x */
#define _NEFT_THREEVTX_ORTHANT 2  /* the orthant form (sigma_b = 0): kinks at y = 0 */
/* or'ed into the kind: the pieces only, never the Gaussian expansion of
   GaussNet (threevtx_gauss.c; a test's independent reference) */
#define _NEFT_THREEVTX_PIECES  16

/* The kind the kernel k takes (_NEFT_THREEVTX_*). */
int _neft_threevtx_kind(const neft_kernel_t k);

/* \int_{[-L,L]^3} of the vertex integral v (v->m = 3, v->d = 1, L finite),
   as a ball containing the integral: the cube is cut into pieces on which
   the integrand is analytic (at the legs' points for a kink, at 0 for the
   orthant form, and along y_a = y_b inside a cell where a and b are
   joined), each piece mapped onto [0,1]^3 by a polynomial map, then
   adaptive tensor Gauss-Legendre with per-axis Bernstein-ellipse error
   bounds, to 2^-goal of the integral of |F| and then of |value| (at most
   2^6 tighter).  kind is _neft_threevtx_kind(k), or _NEFT_THREEVTX_ORTHANT
   forced for a row with the orthant form and sigma_b = 0 (a test of the
   method against the closed form).  NEFT_INTEGRATE_NO_CONVERGENCE (the
   ball still rigorous) when the evaluation budget (opt->eval_limit, else
   about a minute of work) ran out before the goal relative to the
   integral of |F| was met.  GaussNet first tries _neft_threevtx_gauss
   (taken when it meets the goal; of two balls missing it the narrower is
   returned), unless kind has _NEFT_THREEVTX_PIECES or'ed in. */
int _neft_integrate_threevtx(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                             const arf_t L, int kind, const neft_integrate_opt_t opt,
                             slong prec);

/* GaussNet (threevtx_gauss.c): every leg and link factor B + W exp(-alpha d^2)
   expanded, each Gaussian term integrated over the cube in closed form per
   connected piece of its Gaussian links (erf, erfc; the tails of the pieces
   with a leg at the faces bounded by the union of the marginals' tails).
   The ball contains the integral; NEFT_INTEGRATE_SUCCESS when its radius is
   at most 2^-goal of the value (goal as _neft_integrate_threevtx's),
   NEFT_INTEGRATE_NO_CONVERGENCE when it is wider or (res indeterminate) when
   _neft_threevtx_gauss_reaches says it would be, NEFT_INTEGRATE_UNSUPPORTED
   (res indeterminate) for another row, position weights or more than 4e6
   terms. */
int _neft_threevtx_gauss(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L,
                         const neft_integrate_opt_t opt, slong prec);

/* 1 if the Gaussian expansion reaches 2^-goal at cutoff L for legs' points of
   size at most xmax: its tails at the faces are below 3 exp(-alpha (L - xmax)^2 / 3). */
int _neft_threevtx_gauss_reaches(const neft_kernel_t k, double xmax, double L, slong goal);

/* The evaluations _neft_integrate_threevtx is expected to spend (the
   plan's cost; docs/integrate.md). */
double _neft_threevtx_evals(const neft_kernel_t k, slong nlegs, slong nlinks, double L,
                            double prec);

/* The erf far field (threevtx_far.c): beyond |y| = 2^e, e from
   _neft_threevtx_far_start (R^2 >= 4 b/a), the coordinate is t = log|y|
   on cells spanning a factor 2^_NEFT_THREEVTX_FAR_STEP of |y|, and the
   point is carried as v = e^{-t} = 1/|y|.  far_coord: v and the Jacobian
   (hi - lo) e^t from u in [0,1] on the cell [lo, hi] of t.  far_erf: the
   erf kernel (d_in = 1) K(x, y) with x (y) given as 1/|x| and its sign sx
   when xfar (yfar), else as itself, at least one far; far_erf_diag: K(y, y)
   from v = 1/|y|.  Each contains the kernel on the boxes (with an:
   non-finite unless the formula is holomorphic there). */
#define _NEFT_THREEVTX_FAR_STEP 3
slong _neft_threevtx_far_start(const neft_kernel_struct * k, slong e);
void _neft_threevtx_far_coord(acb_t v, acb_t jac, const arb_t lo, const arb_t hi, const acb_t u,
                              int an, slong prec);
void _neft_threevtx_far_erf(acb_t res, const neft_kernel_struct * k, const acb_t x, int xfar,
                            int sx, const acb_t y, int yfar, int sy, int an, slong prec);
void _neft_threevtx_far_erf_diag(acb_t res, const neft_kernel_struct * k, const acb_t v, int an,
                                 slong prec);

/* GaussNet with a decaying propagator (sigma_b = 0 or the bias subtracted),
   any m, any d, over the whole space (L = inf): the closed form of the
   Gaussian integral (gauss_inf.c).  NEFT_INTEGRATE_UNSUPPORTED (reason in
   err) when it diverges (a vertex with no path to a leg). */
int _neft_integrate_gauss_inf(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                              slong prec, char * err, size_t errsize);

#endif
