/* Canonical labelling of small coloured multigraphs.
 *
 * Colour refinement (vertices split by their number of edges into each cell)
 * followed by an exhaustive individualisation-refinement search; the leaf
 * with the lexicographically largest certificate is canonical.  Because the
 * tree is searched completely and every step is isomorphism-invariant, the
 * number of leaves attaining the best certificate is exactly the number of
 * colour-preserving automorphisms (Aut acts freely on leaves, and two leaves
 * with equal certificates differ by an automorphism).  Graphs here have at
 * most NEFT_DIAGRAM_MAX_VERTICES vertices; with labelled external points the
 * first refinement is almost always discrete, so the search is one leaf. */

#include <string.h>
#include "neft/diagram.h"

#define NMAX NEFT_DIAGRAM_MAX_VERTICES
#define CERT_MAX (NMAX * (NMAX + 1) / 2)

typedef struct
{
    int N;
    const unsigned char * A;
    unsigned char best[CERT_MAX];
    unsigned char cur[CERT_MAX];
    int bestlab[NMAX];
    int have;
    ulong aut;
}
canon_state;

/* Random constants per cell index, fixed: the refinement must be the same
   function of the graph every time it is called. */
static ulong
_cell_weight(int r)
{
    ulong x = (ulong) (r + 1) * UWORD(0x9E3779B97F4A7C15);
    x ^= x >> 31;
    x *= UWORD(0xBF58476D1CE4E5B9);
    x ^= x >> 29;
    return x | 1;
}

/* Refines the dense ranking c (0..k-1, cells ordered by rank): vertices of a
 * cell are split by a hash of (self-loops, number of edges into each cell),
 * until stable; returns the new number of cells.  The hash is a function of
 * isomorphism-invariant data only, so a collision merely leaves a cell
 * coarser (more search), never makes the result label-dependent. */
static int
refine(int * c, int k, int N, const unsigned char * A)
{
    ulong sig[NMAX], w[NMAX];
    int order[NMAX], newc[NMAX];
    int i, j, u, v;

    for (;;)
    {
        for (i = 0; i < k; i++)
            w[i] = _cell_weight(i);
        for (v = 0; v < N; v++)
        {
            ulong h = (ulong) A[v * N + v] * UWORD(0xD6E8FEB86659FD93);
            const unsigned char * row = A + v * N;
            for (u = 0; u < N; u++)
                if (row[u] && u != v)
                    h += row[u] * w[c[u]];
            sig[v] = h;
        }

        /* insertion sort by (c, sig) */
        for (i = 0; i < N; i++)
        {
            int x = i;
            for (j = i; j > 0; j--)
            {
                int y = order[j - 1];
                if (c[y] < c[x] || (c[y] == c[x] && sig[y] <= sig[x]))
                    break;
                order[j] = y;
            }
            order[j] = x;
        }

        newc[order[0]] = 0;
        for (i = 1; i < N; i++)
        {
            int x = order[i], y = order[i - 1];
            newc[x] = newc[y] + !(c[x] == c[y] && sig[x] == sig[y]);
        }
        i = newc[order[N - 1]] + 1;
        memcpy(c, newc, sizeof(int) * N);
        if (i == k)
            return k;
        k = i;
    }
}

static void
search(canon_state * s, int * c, int k)
{
    int N = s->N, r, v, w, size[NMAX];

    k = refine(c, k, N, s->A);

    if (k == N)
    {
        int lab[NMAX], i, j, len = 0, cmp;
        for (v = 0; v < N; v++)
            lab[c[v]] = v;
        for (i = 0; i < N; i++)
            for (j = i; j < N; j++)
                s->cur[len++] = s->A[lab[i] * N + lab[j]];
        cmp = s->have ? memcmp(s->cur, s->best, len) : 1;
        if (cmp > 0)
        {
            memcpy(s->best, s->cur, len);
            memcpy(s->bestlab, lab, sizeof(int) * N);
            s->have = 1;
            s->aut = 1;
        }
        else if (cmp == 0)
            s->aut++;
        return;
    }

    /* individualise each vertex of the first non-singleton cell in turn */
    memset(size, 0, sizeof(int) * k);
    for (v = 0; v < N; v++)
        size[c[v]]++;
    for (r = 0; size[r] == 1; r++)
        ;
    for (v = 0; v < N; v++)
    {
        int c2[NMAX];
        if (c[v] != r)
            continue;
        for (w = 0; w < N; w++)
            c2[w] = c[w] < r ? c[w] : (c[w] > r ? c[w] + 1 : (w == v ? r : r + 1));
        search(s, c2, k + 1);
    }
}

ulong
_neft_canon(int * lab, int N, const int * colour, const unsigned char * A)
{
    canon_state s;
    int c[NMAX], i, j, k;

    if (N == 0)
        return 1;

    /* dense ranks of the initial colours */
    for (i = 0; i < N; i++)
    {
        int below = 0;
        for (j = 0; j < N; j++)
            if (colour[j] < colour[i])
            {
                /* count distinct colours below colour[i] */
                int dup = 0, t;
                for (t = 0; t < j; t++)
                    if (colour[t] == colour[j])
                    {
                        dup = 1;
                        break;
                    }
                below += !dup;
            }
        c[i] = below;
    }
    k = 0;
    for (i = 0; i < N; i++)
        if (c[i] + 1 > k)
            k = c[i] + 1;

    s.N = N;
    s.A = A;
    s.have = 0;
    s.aut = 0;
    search(&s, c, k);
    memcpy(lab, s.bestlab, sizeof(int) * N);
    return s.aut;
}

slong
_neft_canon_key(unsigned char * key, int N, const int * colour,
                const unsigned char * A, const int * lab)
{
    slong len = 0;
    int i, j;

    key[len++] = (unsigned char) N;
    for (i = 0; i < N; i++)
    {
        key[len++] = (unsigned char) (colour[lab[i]] >> 8);
        key[len++] = (unsigned char) colour[lab[i]];
    }
    for (i = 0; i < N; i++)
        for (j = i; j < N; j++)
            key[len++] = A[lab[i] * N + lab[j]];
    return len;
}
