/* Sorted tuples as a prefix tree; even-block set partitions. */

#include <string.h>
#include "neft/tuple.h"
#include "tuples.h"

static void
tuples_fill(_neft_tuples_struct * t, slong node, slong * next)
{
    slong i;
    if (t->len[node] == t->maxlen)
        return;
    for (i = (t->last[node] < 0 ? 0 : t->last[node]); i < t->npoints; i++)
    {
        slong c = (*next)++;
        t->parent[c] = node;
        t->last[c] = i;
        t->len[c] = t->len[node] + 1;
        t->child[node * t->npoints + i] = c;
        tuples_fill(t, c, next);
    }
}

void
_neft_tuples_init(_neft_tuples_struct * t, slong npoints, slong maxlen)
{
    slong k, n = 0, next = 1;
    for (k = 0; k <= maxlen; k++)
        n += neft_tuple_count(npoints, k);
    t->npoints = npoints;
    t->maxlen = maxlen;
    t->length = n;
    t->parent = flint_malloc(sizeof(slong) * n);
    t->last = flint_malloc(sizeof(slong) * n);
    t->len = flint_malloc(sizeof(slong) * n);
    t->child = flint_malloc(sizeof(slong) * n * npoints);
    for (k = 0; k < n * npoints; k++)
        t->child[k] = -1;
    t->parent[0] = -1;
    t->last[0] = -1;
    t->len[0] = 0;
    tuples_fill(t, 0, &next);
}

void
_neft_tuples_clear(_neft_tuples_struct * t)
{
    flint_free(t->parent);
    flint_free(t->last);
    flint_free(t->len);
    flint_free(t->child);
}

slong
_neft_tuples_index(const _neft_tuples_struct * t, const slong * idx, slong n)
{
    slong k, node = 0;
    for (k = 0; k < n; k++)
        node = t->child[node * t->npoints + idx[k]];
    return node;
}

slong
_neft_tuples_get(slong * idx, const _neft_tuples_struct * t, slong node)
{
    slong k = t->len[node], n = k;
    while (node > 0)
    {
        idx[--k] = t->last[node];
        node = t->parent[node];
    }
    return n;
}

slong
_neft_tuples_sub(const _neft_tuples_struct * t, const slong * idx, slong n, unsigned mask)
{
    slong k, node = 0;
    for (k = 0; k < n; k++)
        if (mask & (1u << k))
            node = t->child[node * t->npoints + idx[k]];
    return node;
}

/* Recursion: the smallest element not yet placed opens a new block, which takes
   an odd number of further unplaced elements. */
static void
parts_rec(_neft_partition_struct * out, slong * count, unsigned left,
          _neft_partition_struct * cur)
{
    unsigned first, rest, sub;
    if (left == 0)
    {
        if (out != NULL)
        {
            slong b = cur->nblocks, f = 1, i;
            for (i = 2; i < b; i++)
                f *= i;
            out[*count] = *cur;
            out[*count].mu = (b % 2 == 1) ? f : -f;
        }
        (*count)++;
        return;
    }
    first = left & (~left + 1u);
    rest = left & ~first;
    /* every subset of rest with odd size; the full rest (when odd) first, so
       that the one-block partition comes first */
    sub = rest;
    for (;;)
    {
        if (__builtin_popcount(sub) % 2 == 1)
        {
            cur->mask[cur->nblocks++] = first | sub;
            parts_rec(out, count, rest & ~sub, cur);
            cur->nblocks--;
        }
        if (sub == 0)
            break;
        sub = (sub - 1) & rest;
    }
}

slong
_neft_even_partitions(_neft_partition_struct * out, slong n)
{
    slong count = 0;
    _neft_partition_struct cur;
    memset(&cur, 0, sizeof(cur));
    if (n <= 0 || n % 2 != 0)
        return 0;
    parts_rec(out, &count, (1u << n) - 1u, &cur);
    return count;
}
