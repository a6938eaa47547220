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
    d->tie = NULL;
    fmpq_init(d->coeff);
}

void
neft_diagram_clear(neft_diagram_t d)
{
    flint_free(d->type);
    flint_free(d->edges);
    flint_free(d->tie);
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
    flint_free(d->tie);
    d->tie = NULL;
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
    neft_diagram_set_ties(d, s->tie);
    fmpq_set(d->coeff, s->coeff);
}

void
neft_diagram_set_ties(neft_diagram_t d, const slong * tie)
{
    flint_free(d->tie);
    d->tie = NULL;
    if (tie != NULL && d->m > 0)
    {
        d->tie = flint_malloc(sizeof(slong) * d->m);
        memcpy(d->tie, tie, sizeof(slong) * d->m);
    }
}

int
neft_diagram_is_head(const neft_diagram_t d, slong i)
{
    return d->tie == NULL || d->tie[i] == i;
}

slong
neft_diagram_vertices(const neft_diagram_t d)
{
    slong i, r = 0;
    for (i = 0; i < d->m; i++)
        r += neft_diagram_is_head(d, i);
    return r;
}

void
neft_diagram_fuse(neft_diagram_t dst, const neft_diagram_t d)
{
    slong map[NEFT_DIAGRAM_MAX_VERTICES], type[NEFT_DIAGRAM_MAX_VERTICES];
    slong * edges, i, mv = 0, n = d->n;
    fmpq_t c;

    for (i = 0; i < d->m; i++)
        if (neft_diagram_is_head(d, i))
        {
            type[mv] = d->type[i];
            map[i] = mv++;
        }
    for (i = 0; i < d->m; i++)
        map[i] = map[d->tie == NULL ? i : d->tie[i]];
    edges = flint_malloc(sizeof(slong) * 2 * FLINT_MAX(d->nedges, 1));
    for (i = 0; i < 2 * d->nedges; i++)
        edges[i] = d->edges[i] < n ? d->edges[i] : n + map[d->edges[i] - n];
    fmpq_init(c);
    fmpq_set(c, d->coeff);
    neft_diagram_set_graph(dst, n, mv, type, d->nedges, edges);
    fmpq_swap(dst->coeff, c);
    fmpq_clear(c);
    flint_free(edges);
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
    for (i = d->n; i < N && ok && d->tie != NULL; i++)
    {
        /* ties: point j of a vertex of its coupling, points consecutive */
        slong t = d->tie[i - d->n], j = i - d->n - t;
        ok = t >= 0 && t <= i - d->n && d->tie[t] == t && d->type[t] == d->type[i - d->n]
             && j < th->couplings[d->type[t]].npoints
             && (j == 0 || d->tie[i - d->n - 1] == t);
        if (ok && j == 0 && i + 1 < N)
            ok = d->tie[i + 1 - d->n] != t || th->couplings[d->type[t]].npoints > 1;
    }
    for (i = 0; i < N && ok; i++)
        ok = (deg[i] == (i < d->n ? 1 : d->tie != NULL
                         ? th->couplings[d->type[i - d->n]].point_legs[i - d->n - d->tie[i - d->n]]
                         : th->couplings[d->type[i - d->n]].legs));
    /* every non-local vertex has all its points */
    for (i = 0; i < d->m && ok && d->tie != NULL; i++)
        if (d->tie[i] == i)
        {
            slong P = th->couplings[d->type[i]].npoints, j;
            for (j = 1; j < P && ok; j++)
                ok = i + j < d->m && d->tie[i + j] == i;
        }
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
        if (d->type[i] >= 0 && d->type[i] < ncouplings && neft_diagram_is_head(d, i))
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

/* den *= prod_{u<v} A_uv! prod_v 2^{s_v} s_v! (the edge symmetries). */
static void
_edge_factors(fmpz_t den, const unsigned char * A, slong N)
{
    slong u, v;
    fmpz_t t;
    fmpz_init(t);
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
    fmpz_clear(t);
}

/* The graph of a diagram with ties, augmented by one hub per non-local
   vertex joined to its points: its colour-preserving automorphisms are the
   tie-preserving ones of d, and its canonical form is d's.  Points of a
   non-local vertex are coloured by (coupling, legs): points with equal legs
   are interchangeable (the weight function is symmetric, docs/rules.md).
   labelled: externals coloured by index (else by nothing: leaves, see
   neft_diagram_key).  Returns the number of nodes (n + m + hubs). */
#define _NC NEFT_THEORY_COUPLINGS_MAX
#define _NL (NEFT_THEORY_LEGS_MAX + 1)
static slong
_augment(unsigned char * A2, int * colour, const neft_diagram_t d)
{
    unsigned char A[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];
    slong n = d->n, m = d->m, N = n + m, N2 = N, i, u, hub[NEFT_DIAGRAM_MAX_VERTICES];

    _neft_diagram_adjacency(A, d);
    for (i = 0; i < m; i++)
        if (d->tie[i] == i && i + 1 < m && d->tie[i + 1] == i)
            hub[i] = N2++;
        else
            hub[i] = -1;
    if (N2 > NEFT_DIAGRAM_MAX_VERTICES)
        flint_abort();      /* neft_expand refuses such sizes before */
    memset(A2, 0, N2 * N2);
    for (u = 0; u < N; u++)
        for (i = 0; i < N; i++)
            A2[u * N2 + i] = A[u * N + i];
    for (i = 0; i < n; i++)
        colour[i] = (int) i;
    for (i = 0; i < m; i++)
    {
        slong t = d->tie[i], h = hub[t], deg = 0;
        if (h < 0)
        {
            colour[n + i] = (int) (n + d->type[i]);
            continue;
        }
        for (u = 0; u < N; u++)
            deg += A[(n + i) * N + u];
        deg += A[(n + i) * N + n + i];
        colour[n + i] = (int) (n + _NC + d->type[i] * _NL + deg);
        A2[(n + i) * N2 + h] = A2[h * N2 + n + i] = 1;
        if (t == i)
            colour[h] = (int) (n + _NC + _NC * _NL + d->type[i]);
    }
    return N2;
}

ulong
neft_diagram_automorphisms(const neft_diagram_t d)
{
    unsigned char A[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];
    int colour[NEFT_DIAGRAM_MAX_VERTICES], lab[NEFT_DIAGRAM_MAX_VERTICES];
    int N = (int) (d->n + d->m);

    if (d->tie != NULL)
    {
        N = (int) _augment(A, colour, d);
        return _neft_canon(lab, N, colour, A);
    }
    _neft_diagram_adjacency(A, d);
    _labelled_colours(colour, d);
    return _neft_canon(lab, N, colour, A);
}

/* The coefficient of a diagram with ties: per vertex -w and the order of
   its half-edge symmetry group, prod_j k_j! times r! per r interchangeable
   points; over |Aut| (tie-preserving) and the edge factors. */
static void
_tied_coeff(fmpq_t c, const neft_diagram_t d, const neft_theory_t th)
{
    unsigned char A[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];
    slong i, j, l, N = d->n + d->m;
    fmpz_t num, den, t;

    fmpz_init_set_ui(num, 1);
    fmpz_init_set_ui(den, neft_diagram_automorphisms(d));
    fmpz_init(t);
    fmpq_one(c);
    for (i = 0; i < d->m; i++)
    {
        const neft_coupling_struct * cp = th->couplings + d->type[i];
        if (d->tie[i] != i)
            continue;
        fmpq_mul(c, c, cp->weight);
        fmpq_neg(c, c);
        for (j = 0; j < cp->npoints; j++)
        {
            slong same = 0;
            fmpz_fac_ui(t, cp->point_legs[j]);
            fmpz_mul(num, num, t);
            for (l = 0; l <= j; l++)
                same += cp->point_legs[l] == cp->point_legs[j];
            fmpz_mul_ui(num, num, same);     /* r! over the r equal points */
        }
    }
    _neft_diagram_adjacency(A, d);
    _edge_factors(den, A, N);
    fmpq_mul_fmpz(c, c, num);
    fmpq_div_fmpz(c, c, den);
    fmpz_clear(num);
    fmpz_clear(den);
    fmpz_clear(t);
}

void
_neft_diagram_coeff_from_adjacency(fmpq_t c, slong n, slong m, const slong * type,
                                   const unsigned char * A, ulong aut,
                                   const neft_theory_t th)
{
    slong N = n + m, v;
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
    _edge_factors(den, A, N);
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

    if (d->tie != NULL)
    {
        _tied_coeff(c, d, th);
        return;
    }
    _neft_diagram_adjacency(A, d);
    _neft_diagram_coeff_from_adjacency(c, d->n, d->m, d->type, A,
                                       neft_diagram_automorphisms(d), th);
}

/* neft_diagram_key with ties: the augmented graph's certificate (labelled),
   or, unlabelled, that of its internal nodes coloured by (colour, number
   of external points attached). */
static slong
_tied_key(unsigned char * key, const neft_diagram_t d, int unlabelled)
{
    unsigned char A[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];
    unsigned char B[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];
    int colour[NEFT_DIAGRAM_MAX_VERTICES], lab[NEFT_DIAGRAM_MAX_VERTICES];
    slong N2 = _augment(A, colour, d), n = d->n, M = N2 - n, bare = 0, u, v;

    if (!unlabelled)
    {
        _neft_canon(lab, (int) N2, colour, A);
        key[0] = 'T';
        return 1 + _neft_canon_key(key + 1, (int) N2, colour, A, lab);
    }
    for (u = 0; u < M; u++)
    {
        int ext = 0;
        for (v = 0; v < n; v++)
            ext += A[(n + u) * N2 + v];
        colour[u] = (colour[n + u] - (int) n) * (NEFT_DIAGRAM_MAX_VERTICES + 1) + ext;
        for (v = 0; v < M; v++)
            B[u * M + v] = A[(n + u) * N2 + n + v];
    }
    for (u = 0; u < n; u++)
        for (v = u + 1; v < n; v++)
            bare += A[u * N2 + v];
    _neft_canon(lab, (int) M, colour, B);
    key[0] = 'V';
    key[1] = (unsigned char) n;
    key[2] = (unsigned char) bare;
    return 3 + _neft_canon_key(key + 3, (int) M, colour, B, lab);
}

slong
neft_diagram_key(unsigned char * key, const neft_diagram_t d, int unlabelled_externals)
{
    unsigned char A[NEFT_DIAGRAM_MAX_VERTICES * NEFT_DIAGRAM_MAX_VERTICES];
    int colour[NEFT_DIAGRAM_MAX_VERTICES], lab[NEFT_DIAGRAM_MAX_VERTICES];
    slong N = d->n + d->m, len;

    if (d->tie != NULL)
        return _tied_key(key, d, unlabelled_externals);
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
