/* Non-local vertices: every diagram of the fused theory (each non-local
   vertex one local vertex with all its legs) split into the diagrams of the
   real theory, each of its half-edges given to one point of the vertex.
   Contracting the ties of a split diagram gives back its fused diagram, so
   the split diagrams of distinct fused diagrams are distinct; within one
   fused diagram they are deduplicated by canonical key, and each gets the
   coefficient of neft_diagram_symmetry_coeff (docs/generator.md). */

#include <string.h>
#include "neft/expand.h"
#include "neft/interrupt.h"
#include "split.h"

typedef struct
{
    const neft_diagram_struct * F;
    const neft_theory_struct * th;
    slong nends;
    slong end_edge[2 * NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX];
    slong end_side[2 * NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX];
    slong * assign;        /* per edge end (2 per edge): point index (0 if local) */
    slong base[NEFT_DIAGRAM_MAX_VERTICES];   /* first point of each fused vertex */
    slong left[NEFT_DIAGRAM_MAX_VERTICES][NEFT_THEORY_POINTS_MAX];
    slong newm;
    slong type[NEFT_DIAGRAM_MAX_VERTICES], tie[NEFT_DIAGRAM_MAX_VERTICES];
    unsigned char ** keys;
    slong * keylen;
    slong nkeys, alloc;
    int (*emit)(const neft_diagram_struct * d, void * arg);
    void * arg;
    int status;
}
_split_struct;

static void
_finish(_split_struct * S)
{
    const neft_diagram_struct * F = S->F;
    slong n = F->n, i, len, * edges;
    unsigned char key[NEFT_DIAGRAM_KEY_MAX];
    neft_diagram_t d;

    edges = flint_malloc(sizeof(slong) * 2 * FLINT_MAX(F->nedges, 1));
    for (i = 0; i < 2 * F->nedges; i++)
    {
        slong u = F->edges[i];
        edges[i] = u < n ? u : n + S->base[u - n] + S->assign[i];
    }
    neft_diagram_init(d);
    neft_diagram_set_graph(d, n, S->newm, S->type, F->nedges, edges);
    neft_diagram_set_ties(d, S->tie);
    flint_free(edges);
    len = neft_diagram_key(key, d, 0);
    for (i = 0; i < S->nkeys; i++)
        if (S->keylen[i] == len && memcmp(S->keys[i], key, len) == 0)
            break;
    if (i == S->nkeys)
    {
        if (S->nkeys == S->alloc)
        {
            S->alloc = FLINT_MAX(16, 2 * S->alloc);
            S->keys = flint_realloc(S->keys, sizeof(unsigned char *) * S->alloc);
            S->keylen = flint_realloc(S->keylen, sizeof(slong) * S->alloc);
        }
        S->keys[S->nkeys] = flint_malloc(len);
        memcpy(S->keys[S->nkeys], key, len);
        S->keylen[S->nkeys++] = len;
        neft_diagram_symmetry_coeff(d->coeff, d, S->th);
        if (S->emit(d, S->arg) != 0)
            S->status = 1;
    }
    neft_diagram_clear(d);
}

/* Gives end e (and the following ones) to a point with legs left. */
static void
_assign(_split_struct * S, slong e)
{
    slong v, j, P;
    if (S->status != 0)
        return;
    if (e == S->nends)
    {
        _finish(S);
        return;
    }
    v = S->F->edges[2 * S->end_edge[e] + S->end_side[e]] - S->F->n;
    P = S->th->couplings[S->F->type[v]].npoints;
    for (j = 0; j < P; j++)
        if (S->left[v][j] > 0)
        {
            S->left[v][j]--;
            S->assign[2 * S->end_edge[e] + S->end_side[e]] = j;
            _assign(S, e + 1);
            S->left[v][j]++;
        }
}

int
_neft_split_term(const neft_diagram_t F, const neft_theory_t th,
                 int (*emit)(const neft_diagram_struct * d, void * arg), void * arg)
{
    _split_struct * S = flint_calloc(1, sizeof(_split_struct));
    slong i, j, n = F->n;

    S->F = F;
    S->th = th;
    S->emit = emit;
    S->arg = arg;
    S->assign = flint_calloc(2 * FLINT_MAX(F->nedges, 1), sizeof(slong));
    for (i = 0; i < F->m; i++)
    {
        const neft_coupling_struct * cp = th->couplings + F->type[i];
        S->base[i] = S->newm;
        for (j = 0; j < cp->npoints; j++)
        {
            S->type[S->newm + j] = F->type[i];
            S->tie[S->newm + j] = S->newm;
            S->left[i][j] = cp->point_legs[j];
        }
        S->newm += cp->npoints;
    }
    for (i = 0; i < F->nedges; i++)
        for (j = 0; j < 2; j++)
        {
            slong u = F->edges[2 * i + j];
            if (u >= n && th->couplings[F->type[u - n]].npoints > 1)
            {
                S->end_edge[S->nends] = i;
                S->end_side[S->nends++] = j;
            }
        }
    _assign(S, 0);
    for (i = 0; i < S->nkeys; i++)
        flint_free(S->keys[i]);
    flint_free(S->keys);
    flint_free(S->keylen);
    flint_free(S->assign);
    i = S->status;
    flint_free(S);
    return (int) i;
}
