/* neft/expand.h -- the diagram generator: every labelled diagram of an
 * n-point function with all vertex insertions up to total order M, with its
 * exact rational coefficient, after the pruning rules.
 *
 * Method (docs/generator.md): connected pieces are generated once per
 * (number of externals, vertex multiset) as multigraphs with the right degree
 * sequence, deduplicated by canonical form (never by enumerating the
 * (2m-1)!! Wick pairings), then composed over set partitions of the external
 * points by the exponential formula. */
#ifndef NEFT_EXPAND_H
#define NEFT_EXPAND_H

#include <stddef.h>
#include "neft/theory.h"
#include "neft/diagram.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
    slong n;                  /* number of external points */
    slong order;              /* M: total number of vertices <= M */
    unsigned prune;           /* rules applied */
    neft_theory_t theory;     /* copy of the theory */
    slong length;             /* number of terms */
    slong alloc;
    neft_diagram_struct * terms;
    slong min_order;          /* terms have >= this many vertices (opt->min_order) */
}
neft_expansion_struct;

typedef neft_expansion_struct neft_expansion_t[1];

void neft_expansion_init(neft_expansion_t ex);
void neft_expansion_clear(neft_expansion_t ex);

/* Appends a copy of d. */
void neft_expansion_append(neft_expansion_t ex, const neft_diagram_t d);

/* Options, as acb_calc_integrate_opt_t: call _init for the defaults. */
typedef struct
{
    slong max_terms;      /* budget on stored diagrams (terms and pieces) */
    int verbose;
    slong min_order;      /* only terms with at least this many vertices (default 0) */
}
neft_expand_opt_struct;
typedef neft_expand_opt_struct neft_expand_opt_t[1];

#define NEFT_EXPAND_DEFAULT_MAX_TERMS 2000000

void neft_expand_opt_init(neft_expand_opt_t opt);

/* Statuses (neft/status.h).  INVALID and BUDGET are both refusals of the
   request (BAD_INPUT): err says which (a budget refusal names --max-terms). */
#define NEFT_EXPAND_SUCCESS NEFT_SUCCESS
#define NEFT_EXPAND_INVALID NEFT_BAD_INPUT  /* bad request (n, order out of range) */
#define NEFT_EXPAND_BUDGET  NEFT_BAD_INPUT  /* output would exceed opt->max_terms */
#define NEFT_EXPAND_INTERRUPTED NEFT_INTERRUPTED   /* a stop request (neft/interrupt.h) */
#define NEFT_EXPAND_SINK    NEFT_FAILURE    /* a sink callback returned nonzero */

/* Generates the expansion of G^(n) = <f(x1)..f(xn)> to total order `order`
   under the rules in `prune`.  On success returns NEFT_EXPAND_SUCCESS and ex
   holds one term per labelled diagram, in a deterministic order (by order,
   coupling monomial, then structure), each with internal vertices numbered
   in order of first appearance from x1..xn.  Otherwise ex is left empty and
   err holds a one-line reason (for NEFT_EXPAND_BUDGET: the budget, and how to
   raise it). */
int neft_expand(neft_expansion_t ex, const neft_theory_t th, slong n, slong order,
                unsigned prune, const neft_expand_opt_t opt, char * err, size_t errsize);

/* Streaming: where neft_expand_stream sends the expansion.  begin is called
   once, before the first term, with ex holding n, order, prune and the
   theory (no terms; the number of terms is not known yet); term once per
   term.  A nonzero return stops the generation (NEFT_EXPAND_SINK). */
typedef struct
{
    int (*begin)(const neft_expansion_struct * ex, void * arg);
    int (*term)(const neft_expansion_struct * ex, const neft_diagram_struct * d, void * arg);
    void * arg;
}
neft_expand_sink_struct;
typedef neft_expand_sink_struct neft_expand_sink_t[1];

/* As neft_expand, but every term goes to the sink as soon as it is built
   and none is held: the memory is that of the connected pieces (and their
   canonical keys) needed by the composition, not of the terms.  The same terms as neft_expand, each
   numbered the same way; the order is by total order, then coupling
   monomial (as neft_expand), then the order of generation -- deterministic,
   but not sorted by edge lists.  On return ex holds the header fields and
   no terms.  NEFT_EXPAND_INVALID and the estimate's NEFT_EXPAND_BUDGET are
   decided before begin is called; opt->max_terms bounds the connected
   pieces held (the terms are not held), so a later NEFT_EXPAND_BUDGET, or
   NEFT_EXPAND_INTERRUPTED, can come after some terms were sent.  For a
   connected expansion with external points (prune connected or 1PI,
   n >= 1) no piece and no key is stored (each class is generated once):
   memory does not grow with the number of terms. */
int neft_expand_stream(neft_expansion_t ex, const neft_theory_t th, slong n, slong order,
                       unsigned prune, const neft_expand_opt_t opt,
                       const neft_expand_sink_t sink, char * err, size_t errsize);

/* An estimate, before any generation, of the number of terms of G^(n) to
   order `order` under prune (with opt->min_order), of the seconds of CPU
   the generation takes (text output included) and of the bytes it holds
   (held: terms and pieces; stream: pieces only).  *terms is the larger of
   the terms and the connected pieces, both bounded by opt->max_terms.
   Extrapolated from exact counts at lower orders, at most order - 3 (the
   growth of the count per order, itself growing, follows the last two
   steps), which cost about 1/300 of the run; when those orders have too
   few non-zero counts, from counts up to order - 1 (orders above 4);
   counted exactly when that is not possible (orders up to 4).  The trial counts have a budget of their own
   (max(opt->max_terms / 16, 10^5)).  Returns 0, or -1 when no estimate can be
   made (then the generation's own budget check stays the only one). */
int neft_expand_estimate(double * terms, double * seconds, double * bytes,
                         const neft_theory_t th, slong n, slong order, unsigned prune,
                         const neft_expand_opt_t opt, int stream);

/* Groups terms that differ only by a permutation of the external points:
   rep[i] = index of the first term of term i's group (rep[i] == i for the
   representative), count[i] = size of the group for representatives, 0
   otherwise.  Both arrays have ex->length entries. */
void neft_expansion_group(slong * rep, slong * count, const neft_expansion_t ex);

#ifdef __cplusplus
}
#endif
#endif
