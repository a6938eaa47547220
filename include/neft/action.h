/* neft/action.h -- the effective action from connected correlators
 * (`neft action`, docs/cmd-action.md).
 *
 * On a finite set of P inputs x_1..x_P the outputs f_a = f(x_a) of a network
 * family have a density p(f) = exp(-S[f]) / Z.  Given the full 2-point
 * matrix G (P x P) and the connected 4- and 6-point functions k4, k6 (one
 * value per sorted tuple; odd ones vanish by f -> -f), the Edgeworth series
 *   p = exp( sum_{n>=4} (1/n!) k_n . d^n ) p_G,   p_G = N(0, G),
 * gives S = S_G - log(1 + E1 + E2 + ..) order by order in 1/N, counting
 * k_{2m} ~ 1/N^(m-1) (single-layer nets: exactly so):
 *   E1 = (1/4!) k4 . T^4 [1],
 *   E2 = (1/6!) k6 . T^6 [1] + (1/2) (1/4!)^2 (k4 k4) . T^8 [1],
 *   S  = 1/2 f.G^-1.f - E1 - E2 + E1^2 / 2 + O(1/N^3) + const,
 * with T_a = d/df_a - (G^-1 f)_a (the Hermite operators p_G^-1 d_a p_G,
 * which commute).  The degree-8 terms cancel exactly (checked); what
 * remains is the action with the convention
 *   S[f] = sum_n (1/n!) sum_{a_1..a_n} lambda_n(x_a1..x_an) f_a1 .. f_an,
 * n = 2, 4, 6, lambda_n symmetric tensors over the inputs: lambda_2 =
 * G^-1 + O(1/N), lambda_4 = -(G^-1)^4 . k4 + O(1/N^2) (the amputated
 * connected 4-point function), lambda_6 at O(1/N^2) = -(amputated k6) plus
 * the exchange of two amputated k4 through G -- the Feynman rules of
 * Demirtas, Halverson, Maiti, Schwartz and Stoner (arXiv 2307.03223) whose
 * vertices are connected correlators.  Every value is an Arb ball: exact
 * correlators give rigorous enclosures; sampled ones (mean +- stderr) give
 * the range of the couplings over the one-sigma box of each correlator
 * (not a standard error: the file has no covariances). */
#ifndef NEFT_ACTION_H
#define NEFT_ACTION_H

#include <stdio.h>
#include "neft/arbcompat.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NEFT_ACTION_MAX_POINTS 8    /* inputs (monomials of degree <= 8 over them) */
#define NEFT_ACTION_MAX_ORDER 2     /* couplings to O(1/N^2) */

/* The input: P points, the full 2-point matrix and the connected 4- and
   6-point functions on sorted tuples (neft/tuple.h order), each a ball. */
typedef struct
{
    slong npoints;
    arb_ptr g2;             /* binomial(P + 1, 2) sorted pairs */
    arb_ptr g4;             /* binomial(P + 3, 4) sorted 4-tuples */
    arb_ptr g6;             /* binomial(P + 5, 6) sorted 6-tuples, or NULL (order 1) */
    slong d_in;             /* 0, or the inputs' dimension when x is set */
    double * x;             /* NULL, or npoints * d_in coordinates (for the locality table) */
}
neft_action_input_struct;
typedef neft_action_input_struct neft_action_input_t[1];

/* Allocates the three arrays for npoints inputs (g6 too when with6), all 0. */
void neft_action_input_init(neft_action_input_t in, slong npoints, int with6);
void neft_action_input_clear(neft_action_input_t in);

/* The couplings: lambda_n for n = 2, 4, 6 on sorted tuples, split by order in
   1/N (part[k] is the O(1/N^k) part, k = 0..order; lambda_2 has an O(1)
   part, lambda_4 starts at O(1/N), lambda_6 at O(1/N^2)), and the total. */
typedef struct
{
    slong npoints, order;
    slong ntuples[4];       /* n = 2, 4, 6, 8 (index n / 2 - 1) */
    arb_ptr part[4][NEFT_ACTION_MAX_ORDER + 1];   /* [n/2 - 1][k] */
    arb_ptr total[4];
    arb_t degree8;          /* the largest |coefficient| of degree 8 (cancels: contains 0) */
    slong d_in;             /* the inputs, when known (0, NULL otherwise) */
    double * x;
}
neft_action_struct;
typedef neft_action_struct neft_action_t[1];

void neft_action_init(neft_action_t S);
void neft_action_clear(neft_action_t S);

/* The couplings of S[f] to O(1/N^order), order 1 or 2 (2 needs in->g6).
   NEFT_SUCCESS; NEFT_BAD_INPUT (P out of 1..NEFT_ACTION_MAX_POINTS, order
   out of 1..2, no g6 for order 2); NEFT_UNSUPPORTED when G is not certified
   invertible at prec bits (a degenerate density, e.g. bias-free ReLU on
   inputs of one sign, where f(x) is proportional to x: err says so);
   NEFT_INTERRUPTED after a stop request (neft/interrupt.h).  One line in err
   when the status is not SUCCESS. */
int neft_action_compute(neft_action_t S, const neft_action_input_t in, slong order, slong prec,
                        char * err, size_t errlen);

/* Reads the input from a correlator file of `neft sample` or `neft exact`
   (docs/formats.md; its npt 2 full, npt 4 and, for order 2, npt 6 connected
   values): balls as given, sampled means widened by one standard error.
   *sampled is set to 1 for a sampled file.  Returns NEFT_SUCCESS, or
   NEFT_BAD_INPUT with "PATH:LINE: what was expected" in err. */
int neft_action_input_read(neft_action_input_t in, int * sampled, const char * path,
                           slong order, slong prec, char * err, size_t errlen);

/* Writers (src/action/write.c): a text table (n, the tuple, each order's
   part, the total), JSON ({"npoints", "order", "convention", "couplings":
   [{"n", "indices", "parts": [BALL..], "total": BALL}..], "degree8": BALL,
   "locality": [..]}), or LaTeX (an align environment of the couplings by n).
   digits: of each ball.  When the inputs are known, the locality of the
   quartic: the 4-tuples grouped by their spread (the largest distance
   between two of their inputs), with the mean |lambda_4| (of the
   midpoints) of each group relative to the spread-0 group (the diagonal
   lambda_4(x, x, x, x)); a local vertex is concentrated at spread 0. */
#define NEFT_ACTION_FORMAT_TEXT 0
#define NEFT_ACTION_FORMAT_JSON 1
#define NEFT_ACTION_FORMAT_LATEX 2
void neft_action_write(FILE * out, const neft_action_t S, int format, const char * source,
                       slong digits);

#ifdef __cplusplus
}
#endif

#endif
