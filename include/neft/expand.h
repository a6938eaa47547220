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
}
neft_expand_opt_struct;
typedef neft_expand_opt_struct neft_expand_opt_t[1];

#define NEFT_EXPAND_DEFAULT_MAX_TERMS 2000000

void neft_expand_opt_init(neft_expand_opt_t opt);

#define NEFT_EXPAND_SUCCESS 0
#define NEFT_EXPAND_INVALID 2   /* bad request (n, order out of range) */
#define NEFT_EXPAND_BUDGET  3   /* output would exceed opt->max_terms */
#define NEFT_EXPAND_INTERRUPTED 4   /* a stop request (neft/interrupt.h) */

/* Generates the expansion of G^(n) = <f(x1)..f(xn)> to total order `order`
   under the rules in `prune`.  On success returns NEFT_EXPAND_SUCCESS and ex
   holds one term per labelled diagram, in a deterministic order (by order,
   coupling monomial, then structure), each with internal vertices numbered
   in order of first appearance from x1..xn.  Otherwise ex is left empty and
   err holds a one-line reason (for NEFT_EXPAND_BUDGET: the budget, and how to
   raise it). */
int neft_expand(neft_expansion_t ex, const neft_theory_t th, slong n, slong order,
                unsigned prune, const neft_expand_opt_t opt, char * err, size_t errsize);

/* Groups terms that differ only by a permutation of the external points:
   rep[i] = index of the first term of term i's group (rep[i] == i for the
   representative), count[i] = size of the group for representatives, 0
   otherwise.  Both arrays have ex->length entries. */
void neft_expansion_group(slong * rep, slong * count, const neft_expansion_t ex);

#ifdef __cplusplus
}
#endif
#endif
