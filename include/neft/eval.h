/* neft/eval.h -- numbers from an expansion: every term's vertex integral
 * with a GP kernel as propagator, times its exact coefficient and coupling
 * values, summed into the correlator; all as Arb balls (docs/cmd-eval.md).
 *
 *   G(x1..xn) = sum_terms coefficient * prod_c g_c^{e_c} * integral(term). */
#ifndef NEFT_EVAL_H
#define NEFT_EVAL_H

#include <stdio.h>
#include <stddef.h>
#include "neft/arbcompat.h"
#include "neft/expand.h"
#include "neft/kernel.h"
#include "neft/integrate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What stays fixed across evaluations: kernel, cutoff, coupling values,
   precision, and the cache of integrals already computed. */
typedef struct
{
    neft_kernel_t kernel;
    arf_t cutoff;                   /* L (exact), or +inf */
    slong ncouplings;
    arb_ptr g;                      /* g[c]: value of coupling c of the theory */
    slong prec;
    neft_integrate_opt_t opt;
    neft_integrate_cache_t cache;
    slong threads;                  /* threads for the d_in >= 2 prefill; 0: all processors */
    int skip_zero;                  /* 1: a term with an exact 0 factor is 0, not integrated
                                       (neft_eval_term_vanishes); 0 (default): every term's
                                       integral is computed (a fit reads the integrals of
                                       the terms of couplings it sets to 0) */
}
neft_eval_ctx_struct;
typedef neft_eval_ctx_struct neft_eval_ctx_t[1];

/* Defaults: GaussNet d_in = 1, sigma_w = 1, sigma_b = 0, L = 1, all
   couplings 0, 64 bits, threads 0 (every processor), skip_zero 0. */
void neft_eval_ctx_init(neft_eval_ctx_t ctx, slong ncouplings);
void neft_eval_ctx_clear(neft_eval_ctx_t ctx);

typedef struct
{
    slong length;                   /* number of terms */
    arb_t value;                    /* the correlator */
    arb_ptr integral;               /* per term: the vertex integral */
    arb_ptr term;                   /* per term: coefficient * couplings * integral */
    int status;                     /* worst NEFT_INTEGRATE_* over the terms */
}
neft_eval_result_struct;
typedef neft_eval_result_struct neft_eval_result_t[1];

void neft_eval_result_init(neft_eval_result_t r);
void neft_eval_result_clear(neft_eval_result_t r);

/* 1 when term i of ex is an exact 0 that neft_eval does not integrate:
   ctx->skip_zero is set and the term's coefficient is 0 or a coupling it
   contains (to a positive power) has the value exactly 0 in ctx->g.  The one
   rule for neft_eval, neft_eval_supported, neft_eval_cost, the prefills and
   the writers. */
int neft_eval_term_vanishes(const neft_eval_ctx_t ctx, const neft_expansion_t ex, slong i);

/* 1 when every term of ex that does not vanish (neft_eval_term_vanishes)
   can be integrated with ctx's kernel and cutoff; else 0 with err "term N:
   why" naming the first that cannot. */
int neft_eval_supported(const neft_expansion_t ex, const neft_eval_ctx_t ctx, char * err,
                        size_t errsize);

/* Evaluates every term of ex at the external points pts (ex->n points of
   d_in coordinates each).  Returns NEFT_INTEGRATE_SUCCESS, or
   NEFT_INTEGRATE_NO_CONVERGENCE (all balls rigorous, some wider than the
   precision asks), or NEFT_INTEGRATE_UNSUPPORTED with err naming the first
   term that cannot be integrated, or NEFT_INTEGRATE_INTERRUPTED after a stop
   request (neft/interrupt.h; err "interrupted at term N") -- in both cases
   the result is indeterminate.  A term that vanishes
   (neft_eval_term_vanishes) is not integrated and cannot be refused: its
   term is an exact 0 and its integral indeterminate (not computed). */
int neft_eval(neft_eval_result_t r, const neft_expansion_t ex, arb_srcptr pts,
              neft_eval_ctx_t ctx, char * err, size_t errsize);

/* Cost estimate of evaluating ex at ntuples tuples of points drawn from
   ninputs inputs (one neft_eval: ntuples = 1, ninputs = ex->n; --all-tuples:
   ntuples = C(ninputs + n - 1, n)), in operations (docs/library.md): for every
   connected piece with internal vertices of every term, its integral
   (neft_integrate_vint_cost) times the number of different integrals it can
   take over the tuples -- at most ntuples, at most the multisets of inputs
   on its legs (the cache computes each once) -- plus per tuple and term the
   kernel values of bare propagators and the products with the couplings.
   Terms that vanish (neft_eval_term_vanishes) cost nothing.
   prefilled: neft_eval_prefill(ctx, ex, inputs, ninputs) runs first (the
   one-vertex integrals of all tuples then cost neft_integrate_tuples1_cost
   once per shape); prefilled = 2: neft_eval_prefill_cutoffs ran first at
   a list of cutoffs that holds ctx->cutoff (the one-vertex integrals with
   legs cost nothing here: neft_eval_prefill_cutoffs_cost).  *bytes: the cache of integrals and the results and
   output of every tuple (about 200 bytes per term and tuple, held until the
   end). */
void neft_eval_cost(double * ops, double * bytes, const neft_expansion_t ex,
                    const neft_eval_ctx_t ctx, slong ninputs, double ntuples, int prefilled);

/* For --all-tuples: computes, at once and into ctx's cache, every one-vertex
   integral that the terms of ex can need at tuples of the given inputs
   (d_in = 1, Erf or ReLU with sigma_b > 0: kernel values shared between the
   tuples, neft_integrate_tuples1), leaving out the terms that vanish
   (neft_eval_term_vanishes; as neft_eval_prefill_cutoffs and its cost).
   Does nothing where closed forms apply.
   Returns the worst status (NEFT_INTEGRATE_INTERRUPTED after a stop request:
   the cache then holds only what was finished). */
int neft_eval_prefill(neft_eval_ctx_t ctx, const neft_expansion_t ex, arb_srcptr inputs,
                      slong ninputs);

/* The same for the ncut cutoffs L at once, nested (d_in = 1
   neft_integrate_tuples1_cutoffs where the shared-panel method applies at
   every cutoff; d_in >= 2 neft_integrate_tuples_cutoffs on ctx->threads
   threads where the patch or the polar method does), set aside in ctx's
   cache (neft_integrate_cache_stash) for when ctx->cutoff is set to each (a
   fit at every cutoff: neft fit, neft validate).  Does nothing elsewhere.
   Shapes whose tuples the cache already holds at every cutoff (an earlier
   call) are not computed again (d_in >= 2).  Returns as neft_eval_prefill. */
int neft_eval_prefill_cutoffs(neft_eval_ctx_t ctx, const neft_expansion_t ex,
                              arb_srcptr inputs, slong ninputs, arf_srcptr L, slong ncut);

/* The operations of neft_eval_prefill_cutoffs(ctx, ex, .., ninputs, L, ncut)
   where it shares work between the cutoffs in d_in >= 2
   (neft_integrate_tuples_cutoffs_cost per shape of one-vertex integral), or
   -1 where it does nothing there (then every cutoff's evaluation computes
   its own integrals: neft_eval_cost with prefilled = 1).  d_in = 1: -1 too
   (its nested panels are counted per cutoff, an upper bound).  Shapes that
   the expansion before (or NULL) has too are not counted: a call for it
   came first and they are held (the call skips them). */
double neft_eval_prefill_cutoffs_cost(const neft_eval_ctx_t ctx, const neft_expansion_t ex,
                                      const neft_expansion_struct * before, slong ninputs,
                                      arf_srcptr L, slong ncut);

/* Sorted tuples with repetition: idx[0] <= .. <= idx[n-1] < count.  Start
   from all zeros; advances idx to the next tuple in lexicographic order and
   returns 1, or returns 0 after the last.  The same as
   neft_tuple_next(idx, n, count) of neft/tuple.h, kept for callers of the
   eval module. */
int neft_eval_next_tuple(slong * idx, slong n, slong count);

/* Parses "x1;x2;..;xk" (points separated by ';', coordinates by ',', d per
   point) with neft_points_parse (NEFT_POINTS_EXACT | NEFT_POINTS_BLANKS:
   decimals and fractions p/q, blanks around them allowed) into a new vector
   *pts of k*d balls (*count = k; free with _arb_vec_clear(*pts, k*d)).  Each
   exact rational is rounded to the nearest binary number of prec + 64 bits:
   the points are exact, and the result is the correlator at those points.
   Returns 0, or -1 with one line in err ("--at: point 3: ..."). */
int neft_eval_parse_points(arb_ptr * pts, slong * count, const char * text, slong d,
                           slong prec, char * err, size_t errsize);

/* Parses "NAME=VALUE[,NAME=VALUE..]" (text may be NULL) and sets ctx->g
   (values as balls that contain the decimal; couplings not named are 0).
   Every coupling that occurs in a term of ex must be given, each name at
   most once.  Returns 0, or -1 with a reason in err. */
int neft_eval_parse_couplings(neft_eval_ctx_t ctx, const neft_expansion_t ex,
                              const char * text, char * err, size_t errsize);

/* The same, except that couplings not named are 0 even when they occur in
   ex (neft fit: the fitted couplings and the ones not given). */
int neft_eval_parse_couplings_default(neft_eval_ctx_t ctx, const neft_expansion_t ex,
                                      const char * text, char * err, size_t errsize);

/* Parses a cutoff: a positive decimal (rounded to prec + 64 bits) between
   2^-1000 and 2^1000 (every output writes it as a double), or "inf".
   Returns 0 or -1. */
int neft_eval_parse_cutoff(arf_t L, const char * text, slong prec);

/* A ball as JSON {"mid":"<decimal>","rad":"<decimal>"}: the interval
   [mid - rad, mid + rad] contains x (decimal conversion errors included). */
void neft_eval_write_ball_json(FILE * out, const arb_t x, slong digits);

/* Output of one evaluation (or of one tuple of --all-tuples: idx != NULL,
   then as a "tuples" entry).  Text or JSON as docs/cmd-eval.md describes;
   the integral of a term that vanishes (neft_eval_term_vanishes) is written
   "(not computed)" in text, null in JSON. */
void neft_eval_write_text_header(FILE * out, const neft_expansion_t ex,
                                 const neft_eval_ctx_t ctx, arb_srcptr pts, slong npts);
void neft_eval_write_text(FILE * out, const neft_expansion_t ex, const neft_eval_ctx_t ctx,
                          const neft_eval_result_t r, const slong * idx, int terms);
void neft_eval_write_json_begin(FILE * out, const neft_expansion_t ex,
                                const neft_eval_ctx_t ctx, arb_srcptr pts, slong npts,
                                int tuples);
void neft_eval_write_json(FILE * out, const neft_expansion_t ex, const neft_eval_ctx_t ctx,
                          const neft_eval_result_t r, const slong * idx, int first);
void neft_eval_write_json_end(FILE * out, int tuples);

#ifdef __cplusplus
}
#endif
#endif
