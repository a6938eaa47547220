/* Private: the orderly test of the connected-piece generator (orderly.c). */
#ifndef NEFT_EXPAND_ORDERLY_H
#define NEFT_EXPAND_ORDERLY_H

#include <stdint.h>
#include "neft/diagram.h"
#include "neft/theory.h"

/* A finished graph of the generator (connected.c): N elements, the first k
   external points (type -1), the others internal vertices of the given
   types, adjacency A (N x N) and nbr[v] the mask of v's neighbours other
   than v, reached in the order ord (ord[0] the root).
   Returns 1 if no earlier path of the generator's depth-first search
   reaches an isomorphic graph (the graph is the first of its class; *aut =
   the number of automorphisms fixing the external points and the types),
   0 if one does (a duplicate), -1 if ord is not the generator's order for
   this labelled graph (a defect of the model; the caller keeps the graph
   and merges it by canonical key). */
int _neft_orderly_first(ulong * aut, const unsigned char * A, const uint64_t * nbr,
                        int N, int k, const slong * type, const int * ord);

/* The generator's codes of its sessions (see orderly.c), kept along the
   search path: codes of session p at code[off[p]..off[p+1]), tie[p] = 1 if
   session p created two new vertices of one type with the same
   multiplicity, nord[p] = elements reached when session p began. */
typedef struct
{
    int code[NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX];
    int off[NEFT_DIAGRAM_MAX_VERTICES + 1];
    int tie[NEFT_DIAGRAM_MAX_VERTICES];
    int nord[NEFT_DIAGRAM_MAX_VERTICES];
}
_neft_orderly_record_struct;

/* The same test on the partial graph of a search node: ord[0..nord) reached,
   the sessions of positions 0..npos-1 complete, freel[v] free legs of
   element v, rec the generator's record of sessions 0..npos-1.  Returns 0 if an earlier path reaches, for every completion,
   an isomorphic graph (the node's subtree holds no first graph of a class:
   it may be cut), else 1.  Only sessions of closed elements are compared,
   whose edges no completion changes. */
int _neft_orderly_partial(const unsigned char * A, const uint64_t * nbr, int N, int k,
                          const slong * type, const int * ord, int nord,
                          const int * freel, int npos,
                          const _neft_orderly_record_struct * rec);

#endif
