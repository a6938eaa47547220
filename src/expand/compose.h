/* Private: composition of connected pieces into the diagrams of an expansion. */
#ifndef NEFT_EXPAND_COMPOSE_H
#define NEFT_EXPAND_COMPOSE_H

#include "pieces.h"

/* Appends to ex every diagram of G^(n) to the given order under prune, unless
   there would be more than budget of them; *count = number found (up to
   budget).  Returns NEFT_EXPAND_SUCCESS or NEFT_EXPAND_BUDGET (pieces over
   their budget, too many diagrams, or -- *over_work = 1 -- too many groupings
   of the external points to try, 16 * budget + 10^6; ex then unchanged),
   NEFT_EXPAND_INTERRUPTED or (mode 2) NEFT_EXPAND_SINK.  Terms with fewer
   than min_order vertices are left out.  mode 0: count only; 1: append to
   ex; 2: sink->begin, then every term to sink->term, by total order and
   monomial (ex: header only; nothing counted first; *count = the terms
   sent; in a connected expansion with external points the pieces with all
   of them are sent as generated and never stored).  by_order, if not NULL, is an
   array of order + 1 slongs (zeroed by the caller) that receives the counts
   by number of vertices. */
int _neft_compose(neft_expansion_t ex, slong * count, _neft_pieces_t P,
                  const neft_theory_t th, slong n, slong order, unsigned prune,
                  slong budget, int * over_work, slong min_order, int mode,
                  const neft_expand_sink_struct * sink, slong * by_order);

#endif
