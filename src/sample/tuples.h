/* Private to the sample and exact modules: sorted tuples of point indices as
   a prefix tree, and set partitions into blocks of even size. */
#ifndef NEFT_SAMPLE_TUPLES_H
#define NEFT_SAMPLE_TUPLES_H

#include <flint/flint.h>

/* Every sorted tuple i1 <= .. <= ik of indices < npoints with k <= maxlen, as
   the nodes of a prefix tree in depth-first preorder (node 0: the empty tuple).
   Preorder puts each parent before its children and lists the tuples of one
   length in lexicographic order. */
typedef struct
{
    slong npoints, maxlen, length;
    slong * parent;   /* parent node, -1 for the root */
    slong * last;     /* last index of the tuple, -1 for the root */
    slong * len;      /* tuple length */
    slong * child;    /* child[node * npoints + i]: node of tuple + (i), -1 if i < last */
}
_neft_tuples_struct;

void _neft_tuples_init(_neft_tuples_struct * t, slong npoints, slong maxlen);
void _neft_tuples_clear(_neft_tuples_struct * t);
/* Node of the sorted tuple idx[0..n-1]. */
slong _neft_tuples_index(const _neft_tuples_struct * t, const slong * idx, slong n);
/* The tuple of a node into idx; returns its length. */
slong _neft_tuples_get(slong * idx, const _neft_tuples_struct * t, slong node);

/* A set partition of {0..n-1} into blocks of even size, with the Moebius
   coefficient (-1)^(b-1) (b-1)! of the moment-cumulant formula
   kappa_n = sum_pi mu(pi) prod_B m_B  (b = number of blocks). */
#define _NEFT_PART_MAX_BLOCKS 4
typedef struct
{
    slong nblocks;
    unsigned mask[_NEFT_PART_MAX_BLOCKS];
    slong mu;
}
_neft_partition_struct;

/* All even-block partitions of {0..n-1} (n even, n <= 8) into out (NULL: count
   only); the single block comes first.  Returns the number:
   n = 2: 1, 4: 4, 6: 31, 8: 379. */
slong _neft_even_partitions(_neft_partition_struct * out, slong n);

/* The node of the sub-tuple of tuple idx[0..n-1] picked by mask. */
slong _neft_tuples_sub(const _neft_tuples_struct * t, const slong * idx, slong n,
                       unsigned mask);

/* Number of sorted tuples of lengths 0..maxlen, or -1 beyond NEFT_SAMPLE_MAX_TUPLES. */
slong _neft_sample_tuple_budget(slong npoints, slong maxlen);

#endif
