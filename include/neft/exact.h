/* neft/exact.h -- exact correlators of one-hidden-layer nets at finite width.
 *
 * For the Halverson-Maiti-Stoner nets of neft/sample.h (depth 2) at width N,
 * the output is b1 plus a sum of N i.i.d. neurons W1_j sigma(z_j(x)), so its
 * connected n-point functions (n >= 4 even) are exactly
 *   G_c^(n) = N^(1-n/2) sw^n sum_pi mu(pi) prod_{B in pi} (|B|-1)!! M_|B|(x_B),
 * pi over the partitions of the n points into blocks of even size,
 * mu(pi) = (-1)^(|pi|-1) (|pi|-1)!, and M_k(x_1..x_k) = E[sigma(z(x_1))..sigma(z(x_k))]
 * over the first layer (z(x) = W0.x + b0, covariance k(x,y) = sb^2 + sw^2 x.y/d_in);
 * G^(2) = K = sb^2 + sw^2 M_2.  n = 4 and 6 give the formulas of docs/cmd-exact.md.
 * The full correlators are sums over all even-block partitions of products of
 * connected ones.  Everything is an Arb ball containing the exact value. */
#ifndef NEFT_EXACT_H
#define NEFT_EXACT_H

#include <stddef.h>
#include <stdio.h>
#include "neft/arbcompat.h"
#include "neft/net.h"
#include "neft/sample.h"   /* NEFT_SAMPLE_MAX_NPT */
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
    neft_net_t net;       /* the family: activation (and its parameter), d_in,
                             sigma_w, sigma_b, the hidden width n_1 = N >= 1
                             (depth 2; neft/net.h) */
    slong npoints;
    arb_ptr points;       /* npoints * d_in coordinates */
    unsigned npt_mask;    /* bit n: report G^(n), n in {2,4,6,8} */
    slong threads;        /* the shared rule in 3 or 4 dimensions (d_in = 2, 3),
                             or the moments one by one, on this many
                             threads, 0: one per processor (the same balls
                             for any number) */
}
neft_exact_spec_struct;
typedef neft_exact_spec_struct neft_exact_spec_t[1];

/* A spec initialises to the net of neft_net_init with width 1 and npt 2,4,6. */
void neft_exact_spec_init(neft_exact_spec_t spec);
void neft_exact_spec_clear(neft_exact_spec_t spec);
/* Copies npoints * d_in coordinates (the net's d_in must be set). */
void neft_exact_spec_set_points(neft_exact_spec_t spec, arb_srcptr x, slong npoints);

/* Statuses (neft/status.h). */
#define NEFT_EXACT_SUCCESS NEFT_SUCCESS
#define NEFT_EXACT_FAILURE NEFT_FAILURE         /* could not certify a value (non-finite ball) */
#define NEFT_EXACT_BAD_INPUT NEFT_BAD_INPUT
#define NEFT_EXACT_UNSUPPORTED NEFT_UNSUPPORTED /* not implemented for this input (see docs) */
#define NEFT_EXACT_INTERRUPTED NEFT_INTERRUPTED /* a stop request (neft/interrupt.h): res
                                                   indeterminate */

/* M_k = E[prod_a sigma(z(x_{idx[a]}))] for k = n >= 0 factors, the raw moment
   for odd n too (exactly 0 for an odd row: z -> -z), decided per activation
   (a method per row of neft/act.h; docs/cmd-exact.md):
   closed forms for GaussNet, sin (exponentials) and linear (Wick/Isserlis), any
   d_in and points; relu and leaky-relu (= slope z + (1 - slope) relu(z), the
   mixed relu/linear moments) in closed form whenever the pre-activations span
   <= 2 dimensions (d_in = 1, <= 2 distinct points, d_in = 2 with sigma_b = 0,
   collinear augmented points); relu on a span of 3 dimensions by its cone
   (exact radial part, a rigorous 2-D quadrature per simplicial cone), on a
   span of 4 with four distinct points by orthant moments; tanh,
   erf, gelu, silu, sigmoid: the Gaussian-expectation integrator
   (neft/gaussexp.h) over the 1- or 2-dimensional Gaussian of the
   pre-activations (same cases), and for a span of 3 or 4 dimensions
   (d_in = 2, 3) the rows with a declared sup at prec <= 64 by the shared
   D-dimensional rule (docs/cmd-exact.md).  Returns UNSUPPORTED (res
   indeterminate) for the other spans of >= 3 dimensions (leaky-relu; relu
   with five or more points on a span of rank 4; gelu, silu, softplus;
   prec > 64; odd n for a row that is not odd), and for a row without a method,
   BAD_INPUT for a spec without an activation, FAILURE when the value cannot
   be certified, INTERRUPTED after a stop request (neft/interrupt.h). */
int neft_exact_moment(arb_t res, const neft_exact_spec_t spec, const slong * idx, slong n,
                      slong prec);

/* The same with one line in err naming the activation and the case when
   the status is not SUCCESS. */
int neft_exact_moment_why(arb_t res, const neft_exact_spec_t spec, const slong * idx,
                          slong n, slong prec, char * err, size_t errsize);

/* Cost estimate of neft_exact_moment, in operations (about one double
   multiply-add each, ball operations weighted by their time; docs/library.md), from
   the inputs alone, per method: GaussNet n^2 kernel values; sin 2^(n-1)
   exponentials of quadratic forms; linear (n-1)!! products of kernel values;
   ReLU 2^(n-1) closed-form terms, leaky-relu 2^n times as many; the
   integrated rows E integrand evaluations of n activations and one exp each
   (neft_gaussexp_cost: E = 2 prec + 50 for the 1-D integrals -- one distinct
   point, or d_in = 1 with sigma_b = 0 -- and E = 2500 prec for the nested
   2-D ones, twice without a declared parity); 20 ball operations for the
   cases that are refused. */
double neft_exact_moment_cost(const neft_exact_spec_t spec, const slong * idx, slong n,
                              slong prec);

/* Cost estimate of neft_exact_correlators: *ops the moments of every
   even-length sorted tuple (neft_exact_moment_cost) plus the cumulant sums
   (partitions x blocks ball multiplications per tuple); *bytes the tuple
   tree, three balls per tuple and the result.  Both 0 when the spec is
   refused anyway (too many tuples, bad npt). */
void neft_exact_cost(double * ops, double * bytes, const neft_exact_spec_t spec, slong prec);

/* The Gaussian moments of a spec, computed once: M_k(x_idx) for every sorted
   tuple of the points of even length k <= the largest npt of the spec's
   mask.  They do not depend on the width (nor on the output weights), so
   the correlators of every width derive from one set of them
   (neft_exact_correlators_from, neft_exact_correlators_widths). */
typedef struct
{
    slong npoints, maxn;
    void * tree;          /* private: the tuples as a prefix tree */
    arb_ptr M;            /* per node of the tree (0 for odd lengths) */
    slong prec;
    int shared;           /* 1: one quadrature rule shared by all tuples
                             (docs/cmd-exact.md), 0: a method per moment */
    slong nodes;          /* shared: the rule's number of nodes */
}
neft_exact_moments_struct;
typedef neft_exact_moments_struct neft_exact_moments_t[1];

void neft_exact_moments_init(neft_exact_moments_t mom);
void neft_exact_moments_clear(neft_exact_moments_t mom);

/* Receives the number of moments done out of total (about once a second or
   per step of the shared rule; also at the end). */
typedef void (*neft_exact_progress_func)(void * arg, slong done, slong total);

/* Every moment of spec (its width is not used) at prec bits.  The
   integrated rows (tanh, erf, gelu, silu, sigmoid, softplus, ...) with
   d_in = 1, sigma_b > 0 and prec <= 64 use one quadrature rule for all
   tuples at once (the activation's values at its nodes computed once per
   input; radii about 1e-13 of the value or less rather than 2^-prec;
   docs/cmd-exact.md); everything else neft_exact_moment per tuple.  Polls neft_interrupted().  Returns
   NEFT_EXACT_* with one line in err on failure (mom then empty). */
int neft_exact_moments(neft_exact_moments_t mom, const neft_exact_spec_t spec, slong prec,
                       neft_exact_progress_func progress, void * arg, char * err,
                       size_t errsize);

/* res = M_n(idx) from mom (idx in any order, n even <= mom->maxn, indices <
   npoints): 1, else 0 and res indeterminate. */
int neft_exact_moments_get(arb_t res, const neft_exact_moments_t mom, const slong * idx,
                           slong n);

/* Cost estimate of neft_exact_moments in operations (docs/library.md). */
double neft_exact_moments_cost(const neft_exact_spec_t spec, slong prec);

typedef struct
{
    slong npt;
    slong idx[NEFT_SAMPLE_MAX_NPT];
    arb_t full, connected;
}
neft_exact_corr_struct;

typedef struct
{
    slong length;
    neft_exact_corr_struct * corr;   /* by npt ascending, tuples lexicographic */
}
neft_exact_result_struct;
typedef neft_exact_result_struct neft_exact_result_t[1];

void neft_exact_result_init(neft_exact_result_t res);
void neft_exact_result_clear(neft_exact_result_t res);

/* Every requested correlator for every sorted tuple of the points, full and
   connected.  Returns NEFT_EXACT_* with one line in err on failure
   (NEFT_EXACT_INTERRUPTED after a stop request, neft/interrupt.h; res then
   empty). */
int neft_exact_correlators(neft_exact_result_t res, const neft_exact_spec_t spec,
                           slong prec, char * err, size_t errsize);

/* The correlators of spec (its width, sigma_w, sigma_b, npt mask and
   points) from moments computed for the same net and points (mom of
   neft_exact_moments with a mask whose largest npt is at least spec's):
   the cumulant rule only, no integral.  Returns as neft_exact_correlators
   (BAD_INPUT when mom does not fit spec). */
int neft_exact_correlators_from(neft_exact_result_t res, const neft_exact_moments_t mom,
                                const neft_exact_spec_t spec, slong prec, char * err,
                                size_t errsize);

/* The correlators at each of nwidths widths (res: nwidths results,
   initialised) from one computation of the moments: equal to
   neft_exact_correlators at each width, for the moments' cost once.
   progress as in neft_exact_moments.  On failure every res is empty. */
int neft_exact_correlators_widths(neft_exact_result_struct * res, const slong * widths,
                                  slong nwidths, const neft_exact_spec_t spec, slong prec,
                                  neft_exact_progress_func progress, void * arg, char * err,
                                  size_t errsize);

/* What the writers name as the user gave it: the coordinates' decimal texts
   and values (npoints * d_in), sigma_w and sigma_b as texts, the width. */
typedef struct
{
    const char * const * inputs;
    const double * x;
    const char * sw, * sb;
    slong width;
}
neft_exact_about_t;

/* The writers of a result of spec computed at prec bits (src/exact/write.c;
   balls with prec log10(2) + 2 digits): a text table, or the JSON of
   docs/cmd-exact.md ended by the digest member (held in memory to compute
   it; numbers the user gave as JSON numbers are copied as given).  The JSON
   writer returns 0, -1 when out of memory (nothing written), -2 on a write
   error. */
void neft_exact_result_write_text(FILE * out, const neft_exact_result_t res,
                                  const neft_exact_spec_t spec,
                                  const neft_exact_about_t * about, slong prec);
int neft_exact_result_write_json(FILE * out, const neft_exact_result_t res,
                                 const neft_exact_spec_t spec, const neft_exact_about_t * about,
                                 slong prec);

#ifdef __cplusplus
}
#endif
#endif
