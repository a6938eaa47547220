/* Private to src/exact: what moments.c, grid.c and correlators.c share. */
#ifndef NEFT_EXACT_INTERNAL_H
#define NEFT_EXACT_INTERNAL_H

#include "neft/exact.h"
#include "../sample/tuples.h"

/* 1 when M_n(idx) is exactly 0 because the pre-activations split into two
   independent groups (exactly two distinct points p, q with k(p, q) exactly
   0, so z_p and z_q are independent) and the row is odd with an odd number
   of factors at p: E[sigma(z_p)^a] = 0.  0 otherwise (nothing claimed). */
int _neft_exact_independent_zero(const neft_exact_spec_t spec, const slong * idx, slong n,
                                 slong prec);

/* 1 when the row's moments have no closed form here (the integrated rows of
   moments.c's table: tanh, erf, gelu, silu, sigmoid, and any row with a
   declared bound and no method of its own). */
int _neft_exact_integrated_row(neft_act_srcptr act);

/* The cost of one ball evaluation of the row at prec (src/cost.h): its
   method's, tanh's for an integrated row without one. */
double _neft_exact_sigma_cost(neft_act_srcptr act, slong prec);

/* 1 when the shared-grid method (grid.c) computes the moments of spec at
   prec: d_in = 1, sigma_b > 0, an integrated row (_neft_exact_integrated_row:
   never one with a closed form; a ball evaluator, a declared bound or growth
   bound, no kink), prec <= NEFT_EXACT_GRID_PREC. */
#define NEFT_EXACT_GRID_PREC 64
int _neft_exact_grid_applies(const neft_exact_spec_t spec, slong prec);

/* M[node] for every node of even length of tree (tuples of the spec's
   points; the others untouched): one tensor panel Gauss-Legendre rule over
   the (xi_1, xi_2) plane, the activation's values at its nodes computed once
   per input and shared by all tuples, double-interval products, a rigorous
   error bound per tuple (docs/cmd-exact.md, "One rule for all tuples").
   progress (or NULL) receives (arg, done, total) in moments, about once
   per panel.  Returns NEFT_SUCCESS, NEFT_INTERRUPTED (a stop request; M
   indeterminate), or NEFT_UNSUPPORTED / NEFT_FAILURE when the rule cannot
   certify this case (err: why; the caller falls back to one integral per
   moment). *nodes (or NULL): the number of quadrature nodes used. */
int _neft_exact_grid(arb_ptr M, const _neft_tuples_struct * tree, const neft_exact_spec_t spec,
                     slong prec, void (*progress)(void *, slong, slong), void * arg,
                     slong * nodes, char * err, size_t errsize);

/* Cost estimate of _neft_exact_grid in operations (docs/library.md): the
   quadrature nodes (measured for erf and tanh at the paper's settings and
   rounded up) times npoints activation values (sigma_cost each) and a
   multiply-add per node of the tuple tree. */
double _neft_exact_grid_cost(slong npoints, slong tree_length, double sigma_cost);


/* The span of one moment's pre-activations (span.c): the m distinct points
   pt[] of the tuple (factor a is at distinct point of[a], mult[i] factors at
   point i), the augmented dimension D = d_in + (sigma_b != 0), the rank r of
   their augmented vectors, a basis of r of them (B: point indices, Brow:
   distinct indices), ct[4 i + j] = |det| c_ij with z_{pt_i} = sum_j c_ij
   z_{B_j} exactly, absdet = |det| > 0 the basis minor, G (r x r) the kernel
   matrix of the basis points. */
typedef struct
{
    slong m, D, r;
    slong pt[NEFT_SAMPLE_MAX_NPT], of[NEFT_SAMPLE_MAX_NPT], mult[NEFT_SAMPLE_MAX_NPT];
    slong B[4], Brow[4];
    arb_t absdet;
    arb_ptr ct, G;
}
_neft_exact_span_struct;

void _neft_exact_span_init(_neft_exact_span_struct * S);
void _neft_exact_span_clear(_neft_exact_span_struct * S);

/* The span of the tuple idx[0..n) (sw, sb: the net's sigmas as balls).
   Returns SUCCESS, or FAILURE when the balls cannot decide the rank (an
   inexact input in a degenerate configuration). */
int _neft_exact_span(_neft_exact_span_struct * S, const neft_exact_spec_t spec,
                     const slong * idx, slong n, const arb_t sw, const arb_t sb, slong prec);

/* For r <= 2: the plane vectors u (2 n balls) with z_a = u_a . eta, eta
   standard normal in 2 dimensions (Cholesky of G); UNSUPPORTED for r > 2,
   FAILURE when G's first entry is not certainly positive. */
int _neft_exact_span_plane(arb_ptr u, const _neft_exact_span_struct * S, slong n, slong prec);

/* ReLU's moment E[prod_a relu(z_a)] for a span of rank 3 (cone.c): exact
   radial integral, the angular part over the polyhedral cone where every
   factor is positive, triangulated into simplicial cones, each a 2-D Arb
   integral of an analytic function.  Returns SUCCESS, FAILURE (the cone's
   combinatorics undecidable with these balls, or no finite enclosure),
   INTERRUPTED. */
int _neft_exact_relu_cone(arb_t res, const _neft_exact_span_struct * S, slong n, slong prec,
                          char * err, size_t errsize);

/* The same for a span of rank 4 (cone4.c; _neft_exact_relu_cone hands it
   over): four distinct points, an orthant moment by Stein's recursion down
   to orthant probabilities (the four-dimensional one by Plackett's identity,
   six rigorous 1-D integrals).  SUCCESS, FAILURE, INTERRUPTED; UNSUPPORTED
   for five or more distinct points. */
int _neft_exact_relu_cone4(arb_t res, const _neft_exact_span_struct * S, slong n, slong prec,
                           char * err, size_t errsize);


/* The shared rule in D = d_in + (sigma_b != 0) = 3 or 4 dimensions
   (gridnd.c): d_in 2 or 3, D >= 3, an integrated row with a ball evaluator,
   a declared bound |sigma| <= sup (erf, tanh, sigmoid; not gelu, silu,
   softplus), no kink, prec <= NEFT_EXACT_GRID_PREC. */
int _neft_exact_gridnd_applies(const neft_exact_spec_t spec, slong prec);

/* As _neft_exact_grid, in D dimensions (docs/cmd-exact.md); erf's moments
   up to M_6 by _neft_exact_erfsign instead (*nodes = 0). */
int _neft_exact_gridnd(arb_ptr M, const _neft_tuples_struct * tree,
                       const neft_exact_spec_t spec, slong prec,
                       void (*progress)(void *, slong, slong), void * arg, slong * nodes,
                       char * err, size_t errsize);

/* The D-dimensional rule itself (_neft_exact_gridnd without erf's sign
   moments: for tests of the rule). */
int _neft_exact_gridnd_rule(arb_ptr M, const _neft_tuples_struct * tree,
                            const neft_exact_spec_t spec, slong prec,
                            void (*progress)(void *, slong, slong), void * arg,
                            slong * nodes, char * err, size_t errsize);

/* Cost estimate of _neft_exact_gridnd (operations). */
double _neft_exact_gridnd_cost(const neft_exact_spec_t spec, slong tree_length,
                               double sigma_cost);


/* Erf's moments as sign moments of a Gaussian vector with one coordinate
   per factor (erfsign.c, docs/cmd-exact.md "Erf by sign moments"): applies
   to the erf row (no parameter) with tuples up to M_6, any d_in and points.
   Fills M[node] for every node of even length of tree (balls, radius about
   2^-40 or below; the others untouched), the moments shared out over
   spec->threads; progress as _neft_exact_grid.  Returns SUCCESS,
   INTERRUPTED, UNSUPPORTED (not erf, or a tuple longer than 6) or FAILURE
   (no finite enclosure; err says why). */
int _neft_exact_erfsign_applies(const neft_exact_spec_t spec, slong maxlen);
int _neft_exact_erfsign(arb_ptr M, const _neft_tuples_struct * tree,
                        const neft_exact_spec_t spec, slong prec,
                        void (*progress)(void *, slong, slong), void * arg,
                        char * err, size_t errsize);
/* Its cost estimate in operations: npoints points, tuples up to maxlen. */
double _neft_exact_erfsign_cost(slong npoints, slong maxlen);

/* grid.c's helpers, shared with gridnd.c: the Gauss-Legendre error factor
   2 h^2 (64/15) rho^-2(n-1) / (rho^2 - 1) of a unit panel (h = 1/2), rounded up;
   max over even k <= maxn of s^k g, rounded up. */
double _neft_exact_gl_factor(double rho, slong n);
double _neft_exact_worst(double s, double g, slong maxn);

#endif
