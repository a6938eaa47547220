/* Private: connected pieces (connected diagrams with k labelled external points
   and a given vertex multiset), generated on demand and cached. */
#ifndef NEFT_EXPAND_PIECES_H
#define NEFT_EXPAND_PIECES_H

#include "neft/expand.h"
#include "keymap.h"

typedef struct
{
    slong k, m;            /* external points, internal vertices */
    unsigned char * A;     /* canonical (k+m)^2 adjacency, externals first, in order */
    slong * type;          /* types of the m internal vertices, canonical order */
    fmpq_t coeff;          /* coefficient of the piece as a diagram on its own */
    int se_proper;         /* (computed only when pruned on) has a self-energy subdiagram other than all its vertices */
    int tadpole;           /* has a bridge with an external-free side */
    int internal_bridge;   /* has a bridge between two internal vertices */
}
_neft_piece_struct;

typedef struct
{
    const neft_theory_struct * th;
    unsigned prune;        /* predicates are computed only for these rules */
    slong max_pieces;      /* budget on stored pieces */
    slong max_leaves;      /* budget on generated (not yet deduplicated) graphs */
    slong leaves;          /* finished graphs that passed the pruning rules or not */
    slong duplicates;      /* finished, allowed, and not first of their class */
    slong canonical;       /* canonical forms computed (= classes kept) */
    slong cut;             /* partial graphs cut by the orderly test */
    slong model_errors;    /* disagreements of the orderly test with the
                              canonical form (a defect; 0 in every test) */
    int over_budget;       /* also set to stop when interrupted */
    int interrupted;       /* neft_interrupted() was seen */
    slong length, alloc;
    _neft_piece_struct * pieces;
    _neft_keymap_t dedup;  /* canonical key -> piece index */
    _neft_keymap_t index;  /* (k, mu) -> bucket index */
    /* direct mode (_neft_pieces_direct): new pieces go to direct() and are
       not stored; direct_failed when it returned nonzero */
    int (*direct)(void * arg, const _neft_piece_struct * p);
    void * direct_arg;
    int direct_failed;
    slong direct_count;    /* classes of the (k, mu) being generated */
    slong nbuckets, bucket_alloc;
    slong ** bucket_items;
    slong * bucket_len;
}
_neft_pieces_struct;
typedef _neft_pieces_struct _neft_pieces_t[1];

void _neft_pieces_init(_neft_pieces_t P, const neft_theory_t th, unsigned prune,
                       slong max_pieces);
void _neft_pieces_clear(_neft_pieces_t P);
/* The same without the NEFT_STATS line (the estimate's trial runs). */
void _neft_pieces_clear_quiet(_neft_pieces_t P);

/* The bucket of all connected pieces with k externals and vertex counts mu
   (mu[c] vertices of coupling c), generating them on first request.  Returns
   the bucket index, or -1 if a budget was exceeded (P->over_budget set) or
   the generation was interrupted (P->interrupted set as well). */
slong _neft_pieces_get(_neft_pieces_t P, slong k, const slong * mu);

/* Direct mode: generates the connected pieces with k externals and vertex
   counts mu, once per isomorphism class, and hands each to direct(arg, p)
   (p valid during the call only) instead of storing it.  Nothing is held
   per class: the orderly test (orderly.c) keeps the first graph of each
   class in the search's order and drops the others before their canonical
   form.  Returns 0, or -1 if a budget was exceeded (more than max_pieces
   classes), the generation was interrupted, or direct returned nonzero
   (P->direct_failed). */
int _neft_pieces_direct(_neft_pieces_t P, slong k, const slong * mu,
                        int (*direct)(void * arg, const _neft_piece_struct * p),
                        void * arg);

#endif
