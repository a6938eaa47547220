/* Labelled diagrams: storage, validity, automorphisms, exact coefficient and
   canonical keys. */

#include <stdlib.h>
#include <string.h>
#include <flint/fmpz.h>
#include <flint/fmpq.h>
#include "neft/diagram.h"

void
neft_diagram_init(neft_diagram_t d)
{
    d->n = d->m = d->nedges = 0;
    d->type = NULL;
    d->edges = NULL;
    fmpq_init(d->coeff);
}

void
neft_diagram_clear(neft_diagram_t d)
{
    flint_free(d->type);
    flint_free(d->edges);
    fmpq_clear(d->coeff);
}

void
neft_diagram_swap(neft_diagram_t a, neft_diagram_t b)
{
    neft_diagram_struct t = *a;
    *a = *b;
    *b = t;
}

static int
_edge_cmp(const void * a, const void * b)
{
    const slong * x = a, * y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    if (x[1] != y[1])
        return x[1] < y[1] ? -1 : 1;
    return 0;
}

void
neft_diagram_set_graph(neft_diagram_t d, slong n, slong m, const slong * type,
                       slong nedges, const slong * edges)
{
    slong i;

    d->type = flint_realloc(d->type, sizeof(slong) * FLINT_MAX(m, 1));
    d->edges = flint_realloc(d->edges, sizeof(slong) * 2 * FLINT_MAX(nedges, 1));
    d->n = n;
    d->m = m;
    d->nedges = nedges;
    if (m > 0)
        memcpy(d->type, type, sizeof(slong) * m);
    for (i = 0; i < nedges; i++)
    {
        slong u = edges[2 * i], v = edges[2 * i + 1];
        d->edges[2 * i] = FLINT_MIN(u, v);
        d->edges[2 * i + 1] = FLINT_MAX(u, v);
    }
    if (nedges > 1)
        qsort(d->edges, nedges, 2 * sizeof(slong), _edge_cmp);
}

void
neft_diagram_set(neft_diagram_t d, const neft_diagram_t s)
{
    if (d == s)
        return;
    neft_diagram_set_graph(d, s->n, s->m, s->type, s->nedges, s->edges);
    fmpq_set(d->coeff, s->coeff);
}

void
_neft_diagram_adjacency(unsigned char * A, const neft_diagram_t d)
{
    slong N = d->n + d->m, i;

    memset(A, 0, N * N);
    for (i = 0; i < d->nedges; i++)
    {
        slong u = d->edges[2 * i], v = d->edges[2 * i + 1];
        if (u == v)
            A[u * N + u]++;
        else
        {
            A[u * N + v]++;
            A[v * N + u]++;
        }
    }
}

int
neft_diagram_is_valid(const neft_diagram_t d, const neft_theory_t th)
{
    slong N = d->n + d->m, i, * deg;
    int ok = 1;

    if (d->n < 0 || d->m < 0 || N > NEFT_DIAGRAM_MAX_VERTICES)
        return 0;
    for (i = 0; i < d->m; i++)
        if (d->type[i] < 0 || d->type[i] >= th->length)
            return 0;
    deg = flint_calloc(FLINT_MAX(N, 1), sizeof(slong));
    for (i = 0; i < d->nedges && ok; i++)
    {
        slong u = d->edges[2 * i], v = d->edges[2 * i + 1];
        if (u < 0 || v < 0 || u >= N || v >= N)
            ok = 0;
        else
        {
            deg[u]++;
            deg[v]++;
        }
    }
    for (i = 0; i < N && ok; i++)
        ok = (deg[i] == (i < d->n ? 1 : th->couplings[d->type[i - d->n]].legs));
    flint_free(deg);
    return ok;
}

void
neft_diagram_powers(slong * e, const neft_diagram_t d, slong ncouplings)
{
    slong i;
    for (i = 0; i < ncouplings; i++)
        e[i] = 0;
    for (i = 0; i < d->m; i++)
        if (d->type[i] >= 0 && d->type[i] < ncouplings)
            e[d->type[i]]++;
}

slong
neft_diagram_internal_edges(const neft_diagram_t d)
{
    slong i, r = 0;
    for (i = 0; i < d->nedges; i++)
        r += (d->edges[2 * i] >= d->n && d->edges[2 * i + 1] >= d->n);
    return r;
}

/* Colours for labelled canonical forms: each external its own colour (its
   index), internal vertices n + type. */
static void
_labelled_colours(int * colour, const neft_diagram_t d)
{
    slong i;
    for (i = 0; i < d->n; i++)
        colour[i] = (int) i;
    for (i = 0; i < d->m; i++)
        colour[d->n + i] = (int) (d->n + d->type[i]);
}

ulong
neft_diagram_automorphisms(const neft_diagram_t d)
{
    unsigned char A[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];
    int colour[NEFT_DIAGRAM_MAX_VERTICES], lab[NEFT_DIAGRAM_MAX_VERTICES];
    int N = (int) (d->n + d->m);

    _neft_diagram_adjacency(A, d);
    _labelled_colours(colour, d);
    return _neft_canon(lab, N, colour, A);
}

void
_neft_diagram_coeff_from_adjacency(fmpq_t c, slong n, slong m, const slong * type,
                                   const unsigned char * A, ulong aut,
                                   const neft_theory_t th)
{
    slong N = n + m, u, v;
    fmpz_t num, den, t;

    fmpz_init_set_ui(num, 1);
    fmpz_init_set_ui(den, 1);
    fmpz_init(t);
    fmpq_one(c);
    for (v = 0; v < m; v++)
    {
        const neft_coupling_struct * cp = th->couplings + type[v];
        fmpq_mul(c, c, cp->weight);
        fmpq_neg(c, c);
        fmpz_fac_ui(t, cp->legs);
        fmpz_mul(num, num, t);
    }
    fmpz_mul_ui(den, den, aut);
    for (u = 0; u < N; u++)
    {
        ulong s = A[u * N + u];
        if (s)
        {
            fmpz_fac_ui(t, s);
            fmpz_mul(den, den, t);
            fmpz_mul_2exp(den, den, s);
        }
        for (v = u + 1; v < N; v++)
            if (A[u * N + v] > 1)
            {
                fmpz_fac_ui(t, A[u * N + v]);
                fmpz_mul(den, den, t);
            }
    }
    fmpq_mul_fmpz(c, c, num);
    fmpq_div_fmpz(c, c, den);
    fmpz_clear(num);
    fmpz_clear(den);
    fmpz_clear(t);
}

void
neft_diagram_symmetry_coeff(fmpq_t c, const neft_diagram_t d, const neft_theory_t th)
{
    unsigned char A[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];

    _neft_diagram_adjacency(A, d);
    _neft_diagram_coeff_from_adjacency(c, d->n, d->m, d->type, A,
                                       neft_diagram_automorphisms(d), th);
}

slong
neft_diagram_key(unsigned char * key, const neft_diagram_t d, int unlabelled_externals)
{
    unsigned char A[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];
    int colour[NEFT_DIAGRAM_MAX_VERTICES], lab[NEFT_DIAGRAM_MAX_VERTICES];
    slong N = d->n + d->m, len;

    _neft_diagram_adjacency(A, d);
    if (!unlabelled_externals)
    {
        _labelled_colours(colour, d);
        _neft_canon(lab, (int) N, colour, A);
        key[0] = 'L';
        return 1 + _neft_canon_key(key + 1, (int) N, colour, A, lab);
    }
    else
    {
        /* External points are leaves: a diagram up to permutations of them is
           the graph on the internal vertices, each coloured by (type, number of
           external points attached), plus the number of bare x-x edges. */
        unsigned char B[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];
        slong m = d->m, bare = 0, u, v;

        for (u = 0; u < m; u++)
        {
            int ext = 0;
            for (v = 0; v < d->n; v++)
                ext += A[(d->n + u) * N + v];
            colour[u] = (int) (d->type[u] * (NEFT_DIAGRAM_MAX_VERTICES + 1) + ext);
            for (v = 0; v < m; v++)
                B[u * m + v] = A[(d->n + u) * N + d->n + v];
        }
        for (u = 0; u < d->n; u++)
            for (v = u + 1; v < d->n; v++)
                bare += A[u * N + v];
        _neft_canon(lab, (int) m, colour, B);
        key[0] = 'U';
        key[1] = (unsigned char) d->n;
        key[2] = (unsigned char) bare;
        len = 3 + _neft_canon_key(key + 3, (int) m, colour, B, lab);
        return len;
    }
}
