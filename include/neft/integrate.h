/* neft/integrate.h -- rigorous enclosures of the vertex integrals of a
 * diagram: every internal vertex y_v is integrated over the box [-L, L]^d_in
 * of the kernel's input dimension, the integrand being the product of the
 * propagators K(u, v) on the edges (docs/integrate.md).
 *
 * What is computed, and how, is decided by one plan per kernel row and case
 * (neft_integrate_plan below; details in docs/integrate.md):
 *   GaussNet, one vertex, any d_in: closed form (the product of kernels
 *     expands into Gaussians, each an erf per coordinate); L = inf allowed
 *     when the propagator decays (sigma_b = 0 or bias subtracted).
 *   relu, leaky-relu, linear with sigma_b = 0, d_in = 1, any number of
 *     vertices: closed form (the kernel is c x y when x y > 0 and c' x y
 *     otherwise, so the integrand is a polynomial on every orthant).
 *   ReLU with sigma_b = 0, one vertex, d_in = 2: homogeneity, four 1-D
 *     integrals along the sides of the square.
 *   One vertex, d_in = 1: erf and relu by panel Gauss-Legendre with
 *     Bernstein-ellipse error bounds, panels cut where the kernel is not
 *     analytic (ReLU: y = x_i) and one-sided continuations on each,
 *     acb_calc_integrate where that comes out wider than asked; the other
 *     rows by acb_calc_integrate cut at their kinks.
 *   One vertex in d_in = 2, 3 with erf or relu: tensor Gauss-Legendre on
 *     patches (cells cut at ReLU's singular points, Duffy pyramids there,
 *     the faces of the cube by homogeneity for relu with sigma_b = 0 in
 *     d_in = 3), node values in double intervals.
 *   One vertex in d_in = 2, 3 (other rows), two vertices in d_in = 1: adaptive tensor
 *     Gauss-Legendre on boxes with Bernstein-ellipse error bounds; pairs of
 *     the kinked kernels (relu, leaky-relu) with sigma_b > 0 by nested
 *     acb_calc_integrate over the two triangles y <= z, z <= y.
 * Anything else is refused (NEFT_INTEGRATE_UNSUPPORTED), never
 * approximated. */
#ifndef NEFT_INTEGRATE_H
#define NEFT_INTEGRATE_H

#include <stddef.h>
#include "neft/arbcompat.h"
#include "neft/kernel.h"
#include "neft/diagram.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Statuses (neft/status.h; combine parts with neft_status_worst). */
#define NEFT_INTEGRATE_SUCCESS        NEFT_SUCCESS
#define NEFT_INTEGRATE_NO_CONVERGENCE NEFT_NO_CONVERGENCE  /* a finite but wider ball than asked */
#define NEFT_INTEGRATE_UNSUPPORTED    NEFT_UNSUPPORTED     /* refused: nothing computed */
#define NEFT_INTEGRATE_INTERRUPTED    NEFT_INTERRUPTED     /* stopped by a request
                                            (neft/interrupt.h): result indeterminate */

/* The most internal vertices of one connected integral. */
#define NEFT_INTEGRATE_MAX_VERTICES 8

/* One connected vertex integral
     \int_{[-L,L]^{m d}} prod_legs K(x_leg, y_{v(leg)}) prod_{u<=v} K(y_u, y_v)^{A_uv} dy,
   legs = edges from an internal vertex to an external point (given by its d
   coordinates), A the m x m symmetric matrix of internal edges (diagonal:
   self-loops). */
typedef struct
{
    slong d;
    slong m;
    slong nlegs;
    slong alloc;
    slong * vertex;          /* vertex[i] in 0..m-1 */
    arb_ptr point;           /* d coordinates per leg */
    slong A[NEFT_INTEGRATE_MAX_VERTICES * NEFT_INTEGRATE_MAX_VERTICES];
    slong wpow[NEFT_INTEGRATE_MAX_VERTICES];  /* position weight |y_u|^wpow[u] of
                                                 each vertex (0: none) */
}
neft_vint_struct;

typedef neft_vint_struct neft_vint_t[1];

void neft_vint_init(neft_vint_t v, slong d, slong m);
void neft_vint_clear(neft_vint_t v);
void neft_vint_set(neft_vint_t v, const neft_vint_t s);

/* Appends a leg from internal vertex `vertex` to the external point x (d
   coordinates). */
void neft_vint_add_leg(neft_vint_t v, slong vertex, arb_srcptr x);

/* Weights vertex u by |y_u|^p (a position-weighted coupling, docs/rules.md;
   evaluated by src/integrate/weighted.c, d_in = 1 one-vertex integrals). */
void neft_vint_set_weight(neft_vint_t v, slong u, slong p);

/* Adds an edge between internal vertices u and w (u == w: a self-loop). */
void neft_vint_add_link(neft_vint_t v, slong u, slong w);

/* Initialises v as the canonical one-vertex integral in d_in = d of the
   legs at the points x + d idx[i] (i < npts) with loops self-loops, as
   neft_integrate_tuples integrates for the tuple idx. */
void neft_vint_init_tuple(neft_vint_t v, slong d, arb_srcptr x, const slong * idx, slong npts,
                          slong loops);

/* Initialises v as the canonical one-vertex integral of d_in = 1
     \int prod_i K(x[idx[i]], y) K(y, y)^loops dy
   (npts legs), as neft_integrate_tuples1 integrates for the tuple idx. */
void neft_vint_init_tuple1(neft_vint_t v, arb_srcptr x, const slong * idx, slong npts,
                           slong loops);

/* Puts v in a canonical form: legs sorted, and for m = 2 the vertex order
   that gives the smaller form; equal canonical forms mean equal integrals. */
void neft_vint_canonicalise(neft_vint_t v);

/* Options, as acb_calc_integrate_opt_t. */
typedef struct
{
    slong eval_limit;   /* evaluations per acb_calc_integrate call; 0: automatic */
    slong goal;         /* relative accuracy goal in bits; 0: automatic (prec for
                           1-D integrals, prec - 24 for 2-D and 3-D) */
    int verbose;        /* diagnostics on stderr (never stdout, which belongs to the
                           caller's output; Arb's own verbose flag, which prints
                           to stdout, is not passed on) */
}
neft_integrate_opt_struct;
typedef neft_integrate_opt_struct neft_integrate_opt_t[1];

void neft_integrate_opt_init(neft_integrate_opt_t opt);

/* Encloses the integral v over [-L, L]^{m d} (L = +inf: whole space; L is
   an exact non-negative arf) with the kernel k at working precision prec,
   aiming at relative accuracy 2^-prec.  Returns NEFT_INTEGRATE_SUCCESS,
   NEFT_INTEGRATE_NO_CONVERGENCE (res is a rigorous but wide ball), or
   NEFT_INTEGRATE_UNSUPPORTED (res indeterminate; err says why). */
int neft_integrate_vint(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                        const arf_t L, const neft_integrate_opt_t opt, slong prec,
                        char * err, size_t errsize);

/* Cost estimate, in operations (about one double multiply-add each, ball
   operations weighted by their time; docs/library.md), of neft_integrate_vint for
   a connected integral with m internal vertices, nlegs legs and nlinks
   internal edges (self-loops included), with kernel k, cutoff L, at prec
   bits, whatever the points: the closed forms count their terms (GaussNet:
   2^legs Gaussians of d erf's; ReLU with sigma_b = 0: polynomials on the
   2^m orthants); the adaptive methods count integrand evaluations (each
   nlegs + nlinks kernel values), their number growing like prec^(m d) and
   with L, fitted to measured running times (term.c, docs/integrate.md) and
   rounded up.  0 for what is refused. */
double neft_integrate_vint_cost(slong m, slong nlegs, slong nlinks, const neft_kernel_t k,
                                const arf_t L, slong prec);

/* The integration plan of a connected integral: the one decision of the
   method that neft_integrate_supported, neft_integrate_vint_cost and
   neft_integrate_vint (and the tuple methods) all read.  Per kernel row and
   case (docs/integrate.md):
     no vertex                                      NONE
     more than NEFT_INTEGRATE_MAX_VERTICES          refused
     gauss, one vertex                              GAUSSIAN (L = inf when the
                                                    propagator decays, else refused)
     L = inf otherwise                              refused
     a row with the orthant form (relu, leaky-relu, linear), sigma_b = 0,
       d_in = 1, any m                              ORTHANTS
     one vertex, d_in = 1: erf, relu                PANELS
                           other rows               QUAD
     one vertex, d_in = 2: relu with sigma_b = 0    POLAR
                           leaky-relu, sigma_b = 0  refused (no method for its
                                                    kink along the line through 0)
     one vertex, d_in = 2, 3: erf, relu             PATCHES
     one vertex, d_in <= 3                          BOXES
     two vertices, d_in = 1: relu, leaky-relu       KINK_PAIR
                             other rows             BOXES
     two vertices, d_in = 2: relu, sigma_b > 0      SECTOR4 (from the points:
                                                    refused over its budget)
     three vertices, d_in = 1 (not a closed form)   THREEVTX
     anything else                                  refused. */
#define NEFT_INTEGRATE_METHOD_NONE      0
#define NEFT_INTEGRATE_METHOD_REFUSED   1
#define NEFT_INTEGRATE_METHOD_GAUSSIAN  2   /* closed form: Gaussians, an erf per coordinate */
#define NEFT_INTEGRATE_METHOD_ORTHANTS  3   /* closed form: polynomials on the 2^m orthants */
#define NEFT_INTEGRATE_METHOD_PANELS    4   /* panel Gauss-Legendre, interval kernels */
#define NEFT_INTEGRATE_METHOD_POLAR     5   /* homogeneity: four 1-D integrals */
#define NEFT_INTEGRATE_METHOD_BOXES     6   /* adaptive tensor Gauss-Legendre on boxes */
#define NEFT_INTEGRATE_METHOD_KINK_PAIR 7   /* nested acb_calc_integrate over y <= z, z <= y */
#define NEFT_INTEGRATE_METHOD_QUAD      8   /* acb_calc_integrate, cut at the kinks */
#define NEFT_INTEGRATE_METHOD_PATCHES   9   /* tensor Gauss-Legendre on patches (d_in = 2, 3) */
#define NEFT_INTEGRATE_METHOD_GAUSS2    12  /* GaussNet, two vertices, d_in >= 2: 1-D factors */
#define NEFT_INTEGRATE_METHOD_ANGLES2   13  /* relu sigma_b = 0, two vertices, d_in = 2: angles */
#define NEFT_INTEGRATE_METHOD_BOXES4    14  /* erf, two vertices, d_in = 2: 4-D boxes, per-axis bounds */
#define NEFT_INTEGRATE_METHOD_POLAR4    15  /* erf, two vertices, d_in = 2, L > 2: square-polar, sheared */
#define NEFT_INTEGRATE_METHOD_SECTOR4   17  /* relu sigma_b > 0, two vertices, d_in = 2: Cartesian
                                               planes, sector decomposition (refused by
                                               neft_integrate_vint when its estimate from the
                                               points is over its budget) */
#define NEFT_INTEGRATE_METHOD_THREEVTX  11  /* three vertices, d_in = 1: tensor Gauss-Legendre
                                               on the analytic pieces of the cube */

typedef struct
{
    int method;              /* NEFT_INTEGRATE_METHOD_* */
    const char * name;       /* the method in a few words */
    double cost;             /* as neft_integrate_vint_cost; 0 when refused */
    char why[320];           /* refused: the reason, naming the kernel and the case */
}
neft_integrate_plan_struct;
typedef neft_integrate_plan_struct neft_integrate_plan_t[1];

/* Plans a connected integral with m internal vertices, nlegs legs and nlinks
   internal edges with kernel k and cutoff L at prec bits (whatever the
   points).  NEFT_INTEGRATE_SUCCESS, or NEFT_INTEGRATE_UNSUPPORTED with the
   method REFUSED and the reason in plan->why. */
int neft_integrate_plan(neft_integrate_plan_t plan, slong m, slong nlegs, slong nlinks,
                        const neft_kernel_t k, const arf_t L, slong prec);

/* 1 if a connected integral with m internal vertices can be computed with
   kernel k and cutoff L by the methods above (whatever the points), else 0
   with the reason in err. */
int neft_integrate_supported(slong m, const neft_kernel_t k, const arf_t L, char * err,
                             size_t errsize);

/* The same for every connected component of a term. */
int neft_integrate_term_supported(const neft_diagram_t dg, const neft_kernel_t k,
                                  const arf_t L, char * err, size_t errsize);

/* As neft_integrate_term_supported for a term of theory th (NULL: as
   without), which may have position-weighted couplings (integrated for
   one-vertex pieces in d_in = 1, src/integrate/weighted.c). */
int neft_integrate_term_supported_th(const neft_diagram_t dg, const neft_theory_t th,
                                     const neft_kernel_t k, const arf_t L,
                                     char * err, size_t errsize);

/* For inputs x[0..nin-1] (d_in = 1), encloses for every sorted tuple t of
   npts indices (lexicographic order, as neft_eval_next_tuple: res has
   C(nin + npts - 1, npts) entries) the one-vertex integral
     \int_{-L}^{L} prod_i K(x_{t_i}, y) K(y, y)^loops dy,
   sharing kernel values and ellipse bounds between the tuples (panel
   Gauss-Legendre, docs/integrate.md); as accurate as neft_integrate_vint
   (tuples that come out too wide are recomputed by it).  Returns the worst
   status. */
int neft_integrate_tuples1(arb_ptr res, const neft_kernel_t k, arb_srcptr x, slong nin,
                           slong npts, slong loops, const arf_t L,
                           const neft_integrate_opt_t opt, slong prec);

/* For inputs x[0..nin-1] (d_in coordinates each), encloses for every sorted
   tuple t of npts indices (lexicographic order: res and status have
   C(nin + npts - 1, npts) entries) the one-vertex integral
     \int prod_i K(x_{t_i}, y) K(y, y)^loops dy
   by its plan (neft_integrate_vint), the tuples shared out among `threads`
   threads (0: one per processor).  status[t] is the tuple's status
   (NEFT_INTEGRATE_INTERRUPTED and an indeterminate ball for tuples not
   computed after a stop request); returns the worst. */
int neft_integrate_tuples(arb_ptr res, int * status, const neft_kernel_t k, arb_srcptr x,
                          slong nin, slong npts, slong loops, const arf_t L,
                          const neft_integrate_opt_t opt, slong prec, slong threads);

/* As neft_integrate_tuples at each of the ncut cutoffs L[0..ncut-1] (any
   order, any d_in) at once, nested: res[c * ntup + t] and status[c * ntup + t]
   for cutoff c and tuple t.  Homogeneous kernels with sigma_b = 0 (relu,
   leaky-relu, linear) take one integral at the largest cutoff scaled by
   (L_c / L_max)^(legs + 2 loops + d); the patch method (erf, relu with
   sigma_b > 0 in d_in = 2, 3) the smallest cutoff's integral plus the shells
   between consecutive cutoffs (a shell's goal is relative to its own
   scale); any other plan every cutoff on its own.  Every ball contains the
   integral over [-L_c, L_c]^d.  Returns the worst status (docs/integrate.md,
   "Nested cutoffs"). */
int neft_integrate_tuples_cutoffs(arb_ptr res, int * status, const neft_kernel_t k,
                                  arb_srcptr x, slong nin, slong npts, slong loops,
                                  arf_srcptr L, slong ncut, const neft_integrate_opt_t opt,
                                  slong prec, slong threads);

/* The estimated operations of neft_integrate_tuples_cutoffs. */
double neft_integrate_tuples_cutoffs_cost(const neft_kernel_t k, slong nin, slong npts,
                                          slong loops, arf_srcptr L, slong ncut, slong prec);

/* Cost estimate of neft_integrate_tuples1 with the same arguments, in
   operations (docs/library.md): the kernel of every input at the panels' nodes
   (about 150 nodes per unit of log L, growing like prec, more at
   ReLU kinks) and per tuple a product per node; where the panels do not
   apply, every tuple's neft_integrate_vint_cost. */
double neft_integrate_tuples1_cost(const neft_kernel_t k, slong nin, slong npts, slong loops,
                                   const arf_t L, slong prec);

/* neft_integrate_tuples1 at the ncut cutoffs L (res: ncut blocks of all the
   sorted tuples, cutoff-major), as accurate as it.  With the panel method
   and increasing positive finite cutoffs they are nested: [-L_0, L_0] once,
   then only the shells between consecutive cutoffs, the kernel values
   shared between the tuples (docs/integrate.md); otherwise cutoff by
   cutoff.  Returns the worst status. */
int neft_integrate_tuples1_cutoffs(arb_ptr res, const neft_kernel_t k, arb_srcptr x, slong nin,
                                   slong npts, slong loops, arf_srcptr L, slong ncut,
                                   const neft_integrate_opt_t opt, slong prec);

/* A cache of computed integrals keyed by canonical form (identical
   integrals across terms and tuples are computed once).  The values hold
   for one kernel, cutoff, precision and options: the cache remembers those
   it was filled with (neft_integrate_cache_bind), and binding it to others
   empties it, so a stale value can never be returned.  Values for other
   bindings (other cutoffs) can be set aside (neft_integrate_cache_stash):
   a bind to exactly such a binding takes them up. */
typedef struct neft_integrate_cache_s
{
    slong length;
    slong alloc;
    neft_vint_struct * keys;
    ulong * hash;
    arb_ptr values;
    int * status;
    slong hits;
    slong * table;              /* open addressing: entry index + 1, or 0 */
    slong tsize;                /* a power of two >= 2 * length, or 0 */
    int bound;                  /* 0 until the first bind */
    neft_kernel_t kernel;       /* the parameters the values hold for */
    arf_t cutoff;
    slong prec;
    neft_integrate_opt_struct opt;
    struct neft_integrate_cache_s * stash;    /* values for other bindings */
    slong nstash;
}
neft_integrate_cache_struct;
typedef neft_integrate_cache_struct neft_integrate_cache_t[1];

void neft_integrate_cache_init(neft_integrate_cache_t c);
void neft_integrate_cache_clear(neft_integrate_cache_t c);

/* Ties c to the kernel k, cutoff L, options opt and precision prec: when
   any differs from what c holds values for, c is emptied first.  Every
   function that reads or fills a cache calls it (neft_integrate_term,
   neft_eval_prefill); call it before neft_integrate_cache_find/add when
   using the cache directly. */
void neft_integrate_cache_bind(neft_integrate_cache_t c, const neft_kernel_t k, const arf_t L,
                               const neft_integrate_opt_t opt, slong prec);

/* Sets val (with status) aside as the value of the canonical v for the
   binding (k, L, opt, prec), without touching what c holds now (or into c
   when it is bound to exactly that): a later neft_integrate_cache_bind to
   that binding finds it, and the values c held then are set aside in turn
   (neft_eval_prefill_cutoffs: every cutoff's integrals computed at once). */
void neft_integrate_cache_stash(neft_integrate_cache_t c, const neft_kernel_t k, const arf_t L,
                                const neft_integrate_opt_t opt, slong prec,
                                const neft_vint_t v, const arb_t val, int status);

/* 1 when c holds (bound or set aside) a value of the canonical v for the
   binding (k, L, opt, prec), else 0; c is not changed. */
int neft_integrate_cache_has(const neft_integrate_cache_t c, const neft_kernel_t k,
                             const arf_t L, const neft_integrate_opt_t opt, slong prec,
                             const neft_vint_t v);

/* Index of the canonical (neft_vint_canonicalise) v in the cache, or -1. */
slong neft_integrate_cache_find(neft_integrate_cache_t c, const neft_vint_t v);

/* Stores a copy of the canonical v with its value and status. */
void neft_integrate_cache_add(neft_integrate_cache_t c, const neft_vint_t v, const arb_t val,
                              int status);

/* The integral of a whole term: the product over its connected components
   (a bare edge between two external points is the factor K(x_i, x_j)) of
   their vertex integrals, with pts the n external points (d coordinates
   each).  cache may be NULL.  Return values as neft_integrate_vint (the
   worst over the components). */
int neft_integrate_term(arb_t res, const neft_diagram_t dg, arb_srcptr pts,
                        const neft_kernel_t k, const arf_t L,
                        neft_integrate_cache_t cache, const neft_integrate_opt_t opt,
                        slong prec, char * err, size_t errsize);

/* ---- the cutoff derivative (src/integrate/dcutoff.c, docs/cmd-beta.md) ---- */

/* Encloses L d/dL of the integral v over [-L, L]^{m d} (finite L > 0): for
   d_in = 1 the boundary terms L sum_u sum_{s=+-1} (the integrand with
   y_u = s L, the other vertices integrated by neft_integrate_vint), the
   kernel evaluated exactly as balls at the ends, a vertex weighted by
   |y_u|^p (v->wpow) contributing the factor L^p at its ends; for relu, leaky-relu and
   linear with sigma_b = 0 in any d_in, homogeneity: (nlegs + 2 links +
   m d) I; one vertex in d_in = 2 with a kernel without a kink: L times the
   integral over the square's four edges (acb_calc_integrate).  Anything
   else in d_in >= 2 (integrals over the faces of a cube, several vertices,
   ReLU with sigma_b > 0) is refused: NEFT_INTEGRATE_UNSUPPORTED with the
   reason in err.  Statuses as neft_integrate_vint. */
int neft_integrate_vint_dcutoff(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                const arf_t L, const neft_integrate_opt_t opt, slong prec,
                                char * err, size_t errsize);

/* The integral I of a whole term (as neft_integrate_term, no cache) and
   D = L dI/dL, by the product rule over its connected components. */
int neft_integrate_term_dcutoff(arb_t I, arb_t D, const neft_diagram_t dg, arb_srcptr pts,
                                const neft_kernel_t k, const arf_t L,
                                const neft_integrate_opt_t opt, slong prec, char * err,
                                size_t errsize);

/* As neft_integrate_term_dcutoff for a term of theory th (NULL: every
   coupling unweighted): the pieces as neft_integrate_term_th builds them,
   each vertex weighted by its coupling's |y|^position. */
int neft_integrate_term_dcutoff_th(arb_t I, arb_t D, const neft_diagram_t dg,
                                   const neft_theory_t th, arb_srcptr pts,
                                   const neft_kernel_t k, const arf_t L,
                                   const neft_integrate_opt_t opt, slong prec, char * err,
                                   size_t errsize);

/* As neft_integrate_term for a term of theory th (NULL: every coupling
   unweighted, as neft_integrate_term, which does not know the couplings'
   position weights): the factor |y|^p of a position-weighted vertex enters
   its piece's integral.  Non-local vertices (weight function 1) need
   nothing: the integral is the product over the propagator components
   (neft_diagram_propagator_components), in which each point of a non-local
   vertex is a vertex of its own. */
int neft_integrate_term_th(arb_t res, const neft_diagram_t dg, const neft_theory_t th,
                           arb_srcptr pts, const neft_kernel_t k, const arf_t L,
                           neft_integrate_cache_t cache, const neft_integrate_opt_t opt,
                           slong prec, char * err, size_t errsize);

#ifdef __cplusplus
}
#endif
#endif
