/* Where to draw the vertices of a diagram (neft_emit_layout).

   External points go on the unit circle, as in the pictures of
   Halverson-Maiti-Stoner: each connected component that has external points
   gets one contiguous arc (components in the order of their smallest label,
   a gap between arcs), and within its arc the points follow a depth-first
   walk of the component, which draws every tree without crossings.  Because
   the arcs are disjoint, the convex hulls of their chords are too, so the
   pieces of a disconnected diagram stay apart.

   Internal vertices are placed by stress majorisation (Gansner, Koren and
   North, "Graph drawing by stress majorization", 2004) with the external
   points held fixed: vertex pairs of one component are pulled towards
   Euclidean distance L * (graph distance), L fitted to the fixed points by
   least squares, starting from the barycentric (Tutte) placement.  Vertices
   of different components only repel each other when closer than L.
   Components without external points (vacuum bubbles) are laid out on their
   own, unanchored, and set in a row right of the circle.

   Everything is deterministic: no random numbers, fixed iteration counts. */

#include <math.h>
#include <string.h>
#include "neft/emit.h"

#define _NV NEFT_DIAGRAM_MAX_VERTICES
#define _GAP 0.75            /* empty slots between the arcs of two components */
#define _ITER_TUTTE 60
#define _ITER_STRESS 150
#define _INNER 0.9           /* internal vertices stay within this radius */
#define _PI 3.14159265358979323846

/* Graph distances (ignoring multiplicities and self-loops) by BFS from
   every vertex; -1 between components. */
static void
_distances(int * dist, int N, const unsigned char * A)
{
    int s, queue[_NV];

    for (s = 0; s < N; s++)
    {
        int head = 0, tail = 0, v, w;
        for (v = 0; v < N; v++)
            dist[s * N + v] = -1;
        dist[s * N + s] = 0;
        queue[tail++] = s;
        while (head < tail)
        {
            v = queue[head++];
            for (w = 0; w < N; w++)
                if (w != v && A[v * N + w] && dist[s * N + w] < 0)
                {
                    dist[s * N + w] = dist[s * N + v] + 1;
                    queue[tail++] = w;
                }
        }
    }
}

/* Number of external points in component c. */
static double
_ext_count(const slong * comp, slong n, slong c)
{
    slong v, k = 0;
    for (v = 0; v < n; v++)
        k += (comp[v] == c);
    return (double) k;
}

/* Depth-first walk from v appending the external points met to order. */
static void
_walk(int * order, int * len, int * seen, int v, int N, slong n, const unsigned char * A)
{
    int w;

    seen[v] = 1;
    if (v < n)
        order[(*len)++] = v;
    for (w = 0; w < N; w++)
        if (!seen[w] && A[v * N + w])
            _walk(order, len, seen, w, N, n, A);
}

/* One Gauss-Seidel sweep of localised stress majorisation over the vertices
   with free[v] set.  target[v*N+w] > 0 is the wanted distance, 0 none;
   comp says which pairs only repel (different components, closer than rep). */
static void
_stress_sweep(double * xy, int N, const int * free_, const double * target,
              const slong * comp, double rep)
{
    int v, w;

    for (v = 0; v < N; v++)
    {
        double sx = 0, sy = 0, sw = 0;

        if (!free_[v])
            continue;
        for (w = 0; w < N; w++)
        {
            double t, dx, dy, e, wt;

            /* without repulsion other components do not count (and may not
               be placed yet: their coordinates are not read; valgrind) */
            if (w == v || (rep <= 0 && comp[v] != comp[w]))
                continue;
            dx = xy[2 * v] - xy[2 * w];
            dy = xy[2 * v + 1] - xy[2 * w + 1];
            e = sqrt(dx * dx + dy * dy);
            if (comp[v] == comp[w])
                t = target[v * N + w];
            else
                t = (e < rep) ? rep : 0;
            if (t <= 0)
                continue;
            wt = 1.0 / (t * t);
            if (e < 1e-9)
            {
                /* Coincident points: push apart in a direction fixed by the
                   indices, so that the result does not depend on rounding. */
                dx = cos(0.7 + 2.39996 * (v + 3 * w));
                dy = sin(0.7 + 2.39996 * (v + 3 * w));
                e = 1;
            }
            sx += wt * (xy[2 * w] + t * dx / e);
            sy += wt * (xy[2 * w + 1] + t * dy / e);
            sw += wt;
        }
        if (sw > 0)
        {
            xy[2 * v] = sx / sw;
            xy[2 * v + 1] = sy / sw;
        }
    }
}

/* Pulls free vertices inside the circle of radius r about the origin. */
static void
_clamp(double * xy, int N, const int * free_, double r)
{
    int v;

    for (v = 0; v < N; v++)
    {
        double e = sqrt(xy[2 * v] * xy[2 * v] + xy[2 * v + 1] * xy[2 * v + 1]);
        if (free_[v] && e > r)
        {
            xy[2 * v] *= r / e;
            xy[2 * v + 1] *= r / e;
        }
    }
}

void
neft_emit_layout(double * xy, const neft_diagram_t d)
{
    slong n = d->n, N = d->n + d->m, r, c, v, w;
    unsigned char A[_NV * _NV];
    int dist[_NV * _NV], order[_NV], seen[_NV], free_[_NV];
    double target[_NV * _NV];
    slong comp[_NV], minext[_NV];
    int ncomp_ext = 0, len = 0, it;
    double slots, pos, Lc[_NV], bx;

    if (N == 0)
        return;
    _neft_diagram_adjacency(A, d);
    /* the points of a non-local vertex placed as if joined by a line (the
       dashed line of the drawing) */
    for (v = 0; d->tie != NULL && v < d->m; v++)
        if (d->tie[v] != v)
        {
            A[(n + v) * N + n + d->tie[v]]++;
            A[(n + d->tie[v]) * N + n + v]++;
        }
    r = neft_diagram_components(comp, d);
    _distances(dist, (int) N, A);

    /* Components with external points, by smallest label. */
    for (c = 0; c < r; c++)
        minext[c] = -1;
    for (v = n - 1; v >= 0; v--)
        minext[comp[v]] = v;
    for (v = 0; v < n; v++)
        ncomp_ext += (minext[comp[v]] == v);

    /* The order of the external points around the circle. */
    memset(seen, 0, sizeof(seen));
    for (v = 0; v < n; v++)
        if (minext[comp[v]] == v)
            _walk(order, &len, seen, (int) v, (int) N, n, A);

    /* With several pieces, a piece with k external points and m internal
       vertices gets an arc of k + m slots (its points spread evenly),
       so that pieces with more inside get more room. */
    for (c = 0; c < r; c++)
        Lc[c] = 0;
    for (v = 0; v < N; v++)
        Lc[comp[v]] += (v < n) ? 1.0 : (ncomp_ext > 1 ? 1.0 : 0.0);
    slots = (ncomp_ext > 1 ? _GAP * ncomp_ext : 0.0);
    for (v = 0; v < n; v++)
        slots += Lc[comp[v]] / _ext_count(comp, n, comp[v]);
    for (pos = 0, v = 0; v < n; v++)
    {
        double step = Lc[comp[order[v]]] / _ext_count(comp, n, comp[order[v]]);
        double theta = _PI / 2 + 2 * _PI * (pos + 0.5 * step) / slots;
        xy[2 * order[v]] = cos(theta);
        xy[2 * order[v] + 1] = sin(theta);
        pos += step;
        if (ncomp_ext > 1 && (v + 1 == n || comp[order[v + 1]] != comp[order[v]]))
            pos += _GAP;
    }

    /* The unit length of each component: least-squares fit of L * dist to
       the distances between its fixed points; 0.5 with one fixed point, 0.6
       for vacuum components; at most 1.7 / (the longest graph distance
       between two internal vertices). */
    for (c = 0; c < r; c++)
    {
        double num = 0, den = 0;
        for (v = 0; v < n; v++)
            for (w = v + 1; w < n; w++)
                if (comp[v] == c && comp[w] == c)
                {
                    double dx = xy[2 * v] - xy[2 * w], dy = xy[2 * v + 1] - xy[2 * w + 1];
                    num += dist[v * N + w] * sqrt(dx * dx + dy * dy);
                    den += (double) dist[v * N + w] * dist[v * N + w];
                }
        Lc[c] = den > 0 ? FLINT_MIN(num / den, 1.0) : (minext[c] >= 0 ? 0.5 : 0.6);
        /* a long chain of internal vertices has to fit inside the circle */
        for (v = n; v < N; v++)
            for (w = v + 1; w < N; w++)
                if (comp[v] == c && comp[w] == c && dist[v * N + w] > 0 && minext[c] >= 0)
                    Lc[c] = FLINT_MIN(Lc[c], 1.7 / dist[v * N + w]);
        Lc[c] = FLINT_MAX(Lc[c], 0.18);
    }
    /* In vacuum components (drawn apart, so nothing else can be in the
       way) vertices joined by three or more parallel propagators stand
       further apart, so that the drawing has room to spread them. */
    for (v = 0; v < N; v++)
        for (w = 0; w < N; w++)
            target[v * N + w] = (v != w && comp[v] == comp[w])
                                ? Lc[comp[v]] * dist[v * N + w]
                                  * ((minext[comp[v]] < 0 && A[v * N + w] >= 3) ? 1.5 : 1.0)
                                : 0;

    /* Vacuum components: each on its own from a small circle, then set in a
       row to the right of the external circle (or from the origin).  First,
       so that they are out of the way of the anchored ones. */
    bx = (n > 0) ? 1.45 : 0.0;
    for (c = 0; c < r; c++)
    {
        slong k = 0, i = 0;
        double lo = 1e30, hi = -1e30, mx = 0, my = 0, pad;
        int only[_NV];

        if (minext[c] >= 0)
            continue;
        for (v = 0; v < N; v++)
            k += (comp[v] == c);
        for (v = 0; v < N; v++)
        {
            only[v] = (comp[v] == c);
            if (only[v])
            {
                xy[2 * v] = 0.3 * cos(_PI - 2 * _PI * i / k);
                xy[2 * v + 1] = 0.3 * sin(_PI - 2 * _PI * i / k);
                i++;
            }
        }
        if (k > 1)
            for (it = 0; it < _ITER_STRESS; it++)
                _stress_sweep(xy, (int) N, only, target, comp, 0);
        for (v = 0; v < N; v++)
            if (only[v])
            {
                mx += xy[2 * v] / k;
                my += xy[2 * v + 1] / k;
            }
        for (v = 0; v < N; v++)
            if (only[v])
            {
                xy[2 * v] -= mx;
                xy[2 * v + 1] -= my;
                lo = FLINT_MIN(lo, xy[2 * v]);
                hi = FLINT_MAX(hi, xy[2 * v]);
            }
        /* Room for self-loops on either side. */
        pad = 0.45;
        for (v = 0; v < N; v++)
            if (only[v])
                xy[2 * v] += bx + pad - lo;
        bx += (hi - lo) + 2 * pad + 0.2;
    }

    /* Anchored components: start from the centroid of the component's fixed
       points, nudged apart, then barycentric sweeps, then stress. */
    for (v = n; v < N; v++)
    {
        double sx = 0, sy = 0;
        slong k = 0;
        free_[v] = (minext[comp[v]] >= 0);
        if (!free_[v])
            continue;
        for (w = 0; w < n; w++)
            if (comp[w] == comp[v])
            {
                sx += xy[2 * w];
                sy += xy[2 * w + 1];
                k++;
            }
        xy[2 * v] = (k > 0 ? 0.6 * sx / k : 0) + 0.05 * cos(2.39996 * v);
        xy[2 * v + 1] = (k > 0 ? 0.6 * sy / k : 0) + 0.05 * sin(2.39996 * v);
    }
    for (v = 0; v < n; v++)
        free_[v] = 0;
    for (it = 0; it < _ITER_TUTTE; it++)
        for (v = n; v < N; v++)
        {
            double sx = 0, sy = 0, k = 0;
            if (!free_[v])
                continue;
            for (w = 0; w < N; w++)
                if (w != v && A[v * N + w])
                {
                    sx += A[v * N + w] * xy[2 * w];
                    sy += A[v * N + w] * xy[2 * w + 1];
                    k += A[v * N + w];
                }
            if (k > 0)
            {
                xy[2 * v] = 0.5 * xy[2 * v] + 0.5 * sx / k;
                xy[2 * v + 1] = 0.5 * xy[2 * v + 1] + 0.5 * sy / k;
            }
        }
    for (it = 0; it < _ITER_STRESS; it++)
    {
        _stress_sweep(xy, (int) N, free_, target, comp, 0.35);
        _clamp(xy, (int) N, free_, _INNER);
    }

}
