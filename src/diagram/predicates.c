/* The pruning predicates of docs/conventions.md.  All work on the adjacency
   matrix, vertex sets as 64-bit masks (at most NEFT_DIAGRAM_MAX_VERTICES = 64
   vertices). */

#include <stdint.h>
#include <string.h>
#include "neft/diagram.h"

#define NMAX NEFT_DIAGRAM_MAX_VERTICES

/* A predicate on a diagram with ties is the predicate on its fused graph
   (each non-local vertex one vertex). */
#define _FUSED(pred, d)                         \
    do {                                        \
        if ((d)->tie != NULL)                   \
        {                                       \
            neft_diagram_t _f;                  \
            int _r;                             \
            neft_diagram_init(_f);              \
            neft_diagram_fuse(_f, (d));         \
            _r = pred(_f);                      \
            neft_diagram_clear(_f);             \
            return _r;                          \
        }                                       \
    } while (0)

/* Vertices reachable from s inside the set `allowed`, ignoring one copy of the
   edge (a, b) when a >= 0. */
static uint64_t
_reach(const unsigned char * A, slong N, slong s, uint64_t allowed, slong a, slong b)
{
    uint64_t seen = UINT64_C(1) << s, frontier = seen;
    while (frontier)
    {
        slong v = __builtin_ctzll(frontier), u;
        frontier &= frontier - 1;
        for (u = 0; u < N; u++)
        {
            int mult;
            if (u == v || !((allowed >> u) & 1) || ((seen >> u) & 1))
                continue;
            mult = A[v * N + u];
            if (a >= 0 && ((v == a && u == b) || (v == b && u == a)))
                mult--;
            if (mult > 0)
            {
                seen |= UINT64_C(1) << u;
                frontier |= UINT64_C(1) << u;
            }
        }
    }
    return seen;
}

static slong _components(slong * comp, const neft_diagram_t d, int ties);

slong
neft_diagram_components(slong * comp, const neft_diagram_t d)
{
    return _components(comp, d, 1);
}

slong
neft_diagram_propagator_components(slong * comp, const neft_diagram_t d)
{
    return _components(comp, d, 0);
}

/* With ties (when asked): the tie of a point to its vertex's first point as
   one more edge. */
static slong
_components(slong * comp, const neft_diagram_t d, int ties)
{
    unsigned char A[NMAX * NMAX];
    slong N = d->n + d->m, v, r = 0;
    uint64_t all = N == 64 ? ~UINT64_C(0) : (UINT64_C(1) << N) - 1, done = 0;

    _neft_diagram_adjacency(A, d);
    if (ties && d->tie != NULL)
        for (v = 0; v < d->m; v++)
            if (d->tie[v] != v)
            {
                slong a = d->n + v, b = d->n + d->tie[v];
                A[a * N + b]++;
                A[b * N + a]++;
            }
    for (v = 0; v < N; v++)
    {
        uint64_t c, t;
        if ((done >> v) & 1)
            continue;
        c = _reach(A, N, v, all, -1, -1);
        done |= c;
        for (t = c; t; t &= t - 1)
            comp[__builtin_ctzll(t)] = r;
        r++;
    }
    return r;
}

/* Externals and internal vertices per component. */
static slong
_component_profile(slong * ext, slong * vert, const neft_diagram_t d)
{
    slong comp[NMAX], r, v;
    r = neft_diagram_components(comp, d);
    for (v = 0; v < r; v++)
        ext[v] = vert[v] = 0;
    for (v = 0; v < d->n + d->m; v++)
    {
        if (v < d->n)
            ext[comp[v]]++;
        else
            vert[comp[v]]++;
    }
    return r;
}

int
neft_diagram_has_vacuum_component(const neft_diagram_t d)
{
    _FUSED(neft_diagram_has_vacuum_component, d);
    slong ext[NMAX], vert[NMAX], r, i;
    r = _component_profile(ext, vert, d);
    for (i = 0; i < r; i++)
        if (ext[i] == 0)
            return 1;
    return 0;
}

int
neft_diagram_has_two_point_component(const neft_diagram_t d)
{
    _FUSED(neft_diagram_has_two_point_component, d);
    slong ext[NMAX], vert[NMAX], r, i;
    r = _component_profile(ext, vert, d);
    for (i = 0; i < r; i++)
        if (ext[i] == 2 && vert[i] > 0)
            return 1;
    return 0;
}

int
neft_diagram_is_connected(const neft_diagram_t d)
{
    _FUSED(neft_diagram_is_connected, d);
    slong comp[NMAX];
    return neft_diagram_components(comp, d) == 1;
}

int
_neft_diagram_self_energy(const unsigned char * A, slong n, slong m, int exempt_whole)
{
    slong N = n + m, i, u, v;
    int deg[NMAX];
    uint64_t nbr[NMAX], S, whole;
    int found = 0;

    if (m == 0)
        return 0;
    whole = m == 64 ? ~UINT64_C(0) : (UINT64_C(1) << m) - 1;
    for (i = 0; i < m; i++)
    {
        deg[i] = 0;
        nbr[i] = 0;
        for (u = 0; u < N; u++)
        {
            int a = A[(n + i) * N + u];
            deg[i] += (u == n + i) ? 2 * a : a;
            if (u >= n && u != n + i && a)
                nbr[i] |= UINT64_C(1) << (u - n);
        }
    }

    /* every subset S of the internal vertices (bit i = y_{i+1}) */
    for (S = 1; S <= whole && !found; S++)
    {
        int ends = 0;
        uint64_t t, seen, frontier;

        if (exempt_whole && S == whole)
            break;
        for (t = S; t; t &= t - 1)
        {
            v = __builtin_ctzll(t);
            ends += deg[v] - 2 * A[(n + v) * N + n + v];
            for (uint64_t w = S & ~((UINT64_C(2) << v) - 1); w; w &= w - 1)
                ends -= 2 * A[(n + v) * N + n + __builtin_ctzll(w)];
        }
        if (ends != 2)
            continue;
        /* internally connected? */
        seen = frontier = S & (~S + 1);
        while (frontier)
        {
            v = __builtin_ctzll(frontier);
            frontier &= frontier - 1;
            t = nbr[v] & S & ~seen;
            seen |= t;
            frontier |= t;
        }
        found = (seen == S);
        if (S == whole)
            break;
    }
    return found;
}

int
neft_diagram_has_self_energy(const neft_diagram_t d)
{
    _FUSED(neft_diagram_has_self_energy, d);
    unsigned char A[NMAX * NMAX];
    int exempt = (d->n == 2) && neft_diagram_is_connected(d);
    _neft_diagram_adjacency(A, d);
    return _neft_diagram_self_energy(A, d->n, d->m, exempt);
}

void
_neft_diagram_bridges(int * tadpole, int * internal_bridge,
                      const unsigned char * A, slong n, slong m)
{
    slong N = n + m, u, v;
    uint64_t all = N == 64 ? ~UINT64_C(0) : (UINT64_C(1) << N) - 1;
    uint64_t ext = n == 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;

    *tadpole = *internal_bridge = 0;
    for (u = 0; u < N; u++)
        for (v = u + 1; v < N; v++)
        {
            uint64_t side_u, comp;
            if (A[u * N + v] != 1)
                continue;
            side_u = _reach(A, N, u, all, u, v);
            if ((side_u >> v) & 1)
                continue;               /* not a bridge */
            comp = _reach(A, N, u, all, -1, -1);
            if (!(side_u & ext) || !((comp & ~side_u) & ext))
                *tadpole = 1;
            if (u >= n && v >= n)
                *internal_bridge = 1;
        }
}

int
neft_diagram_has_tadpole(const neft_diagram_t d)
{
    _FUSED(neft_diagram_has_tadpole, d);
    unsigned char A[NMAX * NMAX];
    int tad, ib;
    _neft_diagram_adjacency(A, d);
    _neft_diagram_bridges(&tad, &ib, A, d->n, d->m);
    return tad;
}

int
neft_diagram_is_1pi(const neft_diagram_t d)
{
    _FUSED(neft_diagram_is_1pi, d);
    unsigned char A[NMAX * NMAX];
    int tad, ib;
    if (!neft_diagram_is_connected(d))
        return 0;
    _neft_diagram_adjacency(A, d);
    _neft_diagram_bridges(&tad, &ib, A, d->n, d->m);
    return !ib;
}

int
neft_diagram_keep(const neft_diagram_t d, unsigned prune)
{
    if (d->tie != NULL)
    {
        neft_diagram_t f;
        int r;
        neft_diagram_init(f);
        neft_diagram_fuse(f, d);
        r = neft_diagram_keep(f, prune);
        neft_diagram_clear(f);
        return r;
    }
    if ((prune & NEFT_PRUNE_VACUUM) && neft_diagram_has_vacuum_component(d))
        return 0;
    if ((prune & NEFT_PRUNE_TWO_POINT_COMPONENT) && neft_diagram_has_two_point_component(d))
        return 0;
    if ((prune & NEFT_PRUNE_CONNECTED) && !neft_diagram_is_connected(d))
        return 0;
    if ((prune & NEFT_PRUNE_1PI) && !neft_diagram_is_1pi(d))
        return 0;
    if ((prune & NEFT_PRUNE_TADPOLE) && neft_diagram_has_tadpole(d))
        return 0;
    if ((prune & NEFT_PRUNE_SELF_ENERGY) && neft_diagram_has_self_energy(d))
        return 0;
    return 1;
}
