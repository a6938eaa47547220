/* The geometry of a drawing (_neft_emit_scene): curves, labels and the
   bounding box, shared by the TikZ and SVG writers.

   Sizes that must stay legible (dots, markers, labels, the gap between
   parallel propagators, the size of a self-loop) have a floor in points;
   the rest scales with the drawing.  Parallel propagators between u and w
   are cubic curves whose apexes are spread over a fixed fraction of |uw|
   (0.55 for two, 0.9 for three, 1 for more), so that a double line reads as
   a bubble and a triple line as a sunset, never as one thick line.  A
   self-loop is a teardrop whose two ends leave the vertex at phi +- half,
   inside the widest angle between the other lines at the vertex (loops of
   one vertex tile that angle), at least _LOOP_MARGIN from every line. */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "neft/emit.h"
#include "emit-internal.h"

#define _PI 3.14159265358979323846
#define _PT _NEFT_EMIT_PT
#define _LOOP_MARGIN 0.30     /* rad between a loop's end and another line */
#define _LOOP_HALF_MAX 0.85   /* rad: widest opening of a teardrop */
#define _LOOP_MIN (20.0 * _PT)/* control distance floor of a loop */
#define _LOOP_REL 0.40        /* control distance in layout units */
#define _PAR_MIN (4.5 * _PT)  /* floor of the gap between parallel apexes */
#define _LABEL_GAP (1.8 * _PT)
#define _PASS_MIN (5.0 * _PT)  /* a curve should pass other vertices further than this */
#define _ROW_GAP (8.0 * _PT)  /* between the pieces set in a row */
#define _LOOP_CLEAR (3.0 * _PT) /* a loop should keep this far from what is not at its vertex */

double
_neft_emit_label_hw(slong i)
{
    slong digits = 1;

    for (i += 1; i >= 10; i /= 10)
        digits++;
    /* x at 7pt is 4.0pt wide, a subscript digit at 5pt 2.5pt */
    return 0.5 * (4.3 + 2.6 * digits) * _PT;
}

static void
_box_add(double * lo, double * hi, double x, double y, double rx, double ry)
{
    lo[0] = FLINT_MIN(lo[0], x - rx);
    lo[1] = FLINT_MIN(lo[1], y - ry);
    hi[0] = FLINT_MAX(hi[0], x + rx);
    hi[1] = FLINT_MAX(hi[1], y + ry);
}

static void
_bezier(double * q, const double * p, double t)
{
    double a = (1 - t) * (1 - t) * (1 - t), b = 3 * (1 - t) * (1 - t) * t;
    double c = 3 * (1 - t) * t * t, e = t * t * t;
    q[0] = a * p[0] + b * p[2] + c * p[4] + e * p[6];
    q[1] = a * p[1] + b * p[3] + c * p[5] + e * p[7];
}

static int
_cmp_double(const void * a, const void * b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* The least distance from curve c to a vertex other than its ends. */
static double
_clearance(const _neft_emit_scene_struct * s, const _neft_emit_curve_struct * c)
{
    double best = 1e30, q[2];
    slong v, t;

    for (t = 1; t < 32; t++)
    {
        _bezier(q, c->p, t / 32.0);
        for (v = 0; v < s->N; v++)
            if (v != c->u && v != c->w)
                best = FLINT_MIN(best, sqrt((q[0] - s->xy[2 * v]) * (q[0] - s->xy[2 * v])
                                            + (q[1] - s->xy[2 * v + 1]) * (q[1] - s->xy[2 * v + 1])));
    }
    return best;
}

/* Sets curve c from u to w with its apex off the straight line by off
   (to the left of u -> w). */
static void
_set_line(_neft_emit_curve_struct * c, const _neft_emit_scene_struct * s, slong u, slong w,
          double off)
{
    double dx = s->xy[2 * w] - s->xy[2 * u], dy = s->xy[2 * w + 1] - s->xy[2 * u + 1];
    double len = sqrt(dx * dx + dy * dy), nx, ny, beta = off / 0.75, alpha = 0.25;

    if (len < 1e-12)
        len = 1e-12;
    nx = -dy / len;
    ny = dx / len;
    c->u = u;
    c->w = w;
    c->straight = (fabs(off) < 1e-12);
    c->p[0] = s->xy[2 * u];
    c->p[1] = s->xy[2 * u + 1];
    c->p[6] = s->xy[2 * w];
    c->p[7] = s->xy[2 * w + 1];
    if (c->straight)
        alpha = 1.0 / 3, beta = 0;
    c->p[2] = c->p[0] + alpha * dx + beta * nx;
    c->p[3] = c->p[1] + alpha * dy + beta * ny;
    c->p[4] = c->p[6] - alpha * dx + beta * nx;
    c->p[5] = c->p[7] - alpha * dy + beta * ny;
}

/* Direction in which curve c leaves vertex v (one of its ends). */
static double
_leave(const _neft_emit_curve_struct * c, slong v)
{
    if (c->u == v)
        return atan2(c->p[3] - c->p[1], c->p[2] - c->p[0]);
    return atan2(c->p[5] - c->p[7], c->p[4] - c->p[6]);
}

static double
_angle_diff(double a, double b)
{
    double d = fmod(fabs(a - b), 2 * _PI);
    return d > _PI ? 2 * _PI - d : d;
}

/* The k parallel curves of group g (first curve index first) at spread
   scale f of the default. */
static void
_set_group(_neft_emit_scene_struct * s, slong first, slong k, double f, double shift)
{
    slong u = s->curve[first].u, w = s->curve[first].w, i;
    double dx = s->xy[2 * w] - s->xy[2 * u], dy = s->xy[2 * w + 1] - s->xy[2 * u + 1];
    double len = sqrt(dx * dx + dy * dy), spread;

    spread = f * ((k == 2) ? 0.55 * len : (k == 3) ? 0.9 * len : len);
    if (k > 1)
        spread = FLINT_MAX(spread, FLINT_MIN(_PAR_MIN * (k - 1), 1.2 * len));
    for (i = 0; i < k; i++)
        _set_line(s->curve + first + i, s, u, w,
                  (k == 1) ? 0 : spread * ((double) i / (k - 1) - 0.5 + shift / (k - 1)));
}

/* Propagators between distinct vertices: k parallel ones spread about the
   straight line.  Then each group of parallel curves is opened wider or
   narrower (a few fixed scales) where that keeps its ends further, in
   angle, from the other lines at its two vertices. */
static void
_lines(_neft_emit_scene_struct * s, const neft_diagram_t d)
{
    /* spread scale, shift of all (in gaps between neighbours) */
    static const double cand[11][2] = {{1.0, 0}, {0.7, 0}, {1.35, 0}, {0.5, 0}, {1.7, 0},
                                       {0.3, 0}, {2.2, 0}, {1.0, 0.5}, {1.0, -0.5},
                                       {1.35, 0.5}, {1.35, -0.5}};
    slong first[_NEFT_EMIT_MAX_CURVES], size[_NEFT_EMIT_MAX_CURVES];
    slong i, j, g, ng = 0, pass;

    for (i = 0; i < d->nedges; i = j)
    {
        slong u = d->edges[2 * i], w = d->edges[2 * i + 1], k;

        for (j = i + 1; j < d->nedges && d->edges[2 * j] == u && d->edges[2 * j + 1] == w; j++)
            ;
        if (u == w)
            continue;
        first[ng] = s->ncurves;
        size[ng++] = j - i;
        for (k = 0; k < j - i; k++)
            _set_line(s->curve + s->ncurves++, s, u, w, 0);
        _set_group(s, first[ng - 1], j - i, 1.0, 0);
    }
    for (pass = 0; pass < 2; pass++)
        for (g = 0; g < ng; g++)
        {
            double best = -1e30;
            slong bestt = 0;
            slong t;

            if (size[g] < 2)
                continue;
            for (t = 0; t < 11; t++)
            {
                double worst = 1e30;
                _set_group(s, first[g], size[g], cand[t][0], cand[t][1]);
                for (i = first[g]; i < first[g] + size[g]; i++)
                    for (j = 0; j < s->ncurves; j++)
                    {
                        const _neft_emit_curve_struct * c = s->curve + i, * e = s->curve + j;
                        if (j >= first[g] && j < first[g] + size[g])
                            continue;
                        if (e->u == c->u || e->w == c->u)
                            worst = FLINT_MIN(worst, _angle_diff(_leave(c, c->u), _leave(e, c->u)));
                        if (e->u == c->w || e->w == c->w)
                            worst = FLINT_MIN(worst, _angle_diff(_leave(c, c->w), _leave(e, c->w)));
                    }
                /* a curve running over another vertex is worse than any angle */
                for (i = first[g]; i < first[g] + size[g]; i++)
                {
                    double clear = _clearance(s, s->curve + i);
                    if (clear < _PASS_MIN)
                        worst = FLINT_MIN(worst, -1 + clear / _PASS_MIN);
                }
                /* good enough at the default: keep it */
                if (t == 0 && worst > 0.45)
                    break;
                if (worst > best + 1e-9)
                {
                    best = worst;
                    bestt = t;
                }
            }
            if (t < 11 || best > -1e29)
                _set_group(s, first[g], size[g], cand[t < 11 ? 0 : bestt][0],
                           cand[t < 11 ? 0 : bestt][1]);
        }
}

/* A teardrop at (vx, vy) pointing to phi, opening +-half, controls at len. */
static void
_set_loop(_neft_emit_curve_struct * c, double vx, double vy, double phi, double half, double len)
{
    c->p[0] = c->p[6] = vx;
    c->p[1] = c->p[7] = vy;
    c->p[2] = vx + len * cos(phi - half);
    c->p[3] = vy + len * sin(phi - half);
    c->p[4] = vx + len * cos(phi + half);
    c->p[5] = vy + len * sin(phi + half);
}

/* Distance from a point to the label box of external point v. */
static double
_label_dist(const _neft_emit_scene_struct * s, slong v, double x, double y)
{
    double dx = fabs(x - s->label[2 * v]) - s->label_hw[v];
    double dy = fabs(y - s->label[2 * v + 1]) - s->label_hh;
    dx = FLINT_MAX(dx, 0);
    dy = FLINT_MAX(dy, 0);
    return sqrt(dx * dx + dy * dy);
}

/* How close the loop c at vertex v comes to the curves not at v, the other
   vertices (their markers) and the labels. */
static double
_loop_clearance(const _neft_emit_scene_struct * s, const _neft_emit_curve_struct * c, slong v)
{
    double best = 1e30, q[2], r[2];
    slong t, i, k, w;

    for (t = 1; t < 24; t++)
    {
        _bezier(q, c->p, t / 24.0);
        for (w = 0; w < s->N; w++)
        {
            if (w != v)
                best = FLINT_MIN(best, sqrt((q[0] - s->xy[2 * w]) * (q[0] - s->xy[2 * w])
                                            + (q[1] - s->xy[2 * w + 1]) * (q[1] - s->xy[2 * w + 1]))
                                       - 1.3 * _NEFT_EMIT_MARK);
            if (w < s->n)
                best = FLINT_MIN(best, _label_dist(s, w, q[0], q[1]));
        }
        for (i = 0; i < s->ncurves; i++)
        {
            const _neft_emit_curve_struct * e = s->curve + i;
            if (e == c || e->u == v || e->w == v)
                continue;
            for (k = 0; k <= 24; k++)
            {
                _bezier(r, e->p, k / 24.0);
                best = FLINT_MIN(best, sqrt((q[0] - r[0]) * (q[0] - r[0]) + (q[1] - r[1]) * (q[1] - r[1])));
            }
        }
    }
    return best;
}

/* The self-loops of vertex v (count of them), with pref the direction
   they should rather point to (a unit vector, or 0). */
static void
_loops(_neft_emit_scene_struct * s, slong v, slong count, double size, const double * pref)
{
    /* sizes (factors) and turns (rad) tried, in this order */
    static const double sizes[3] = {1, 0.85, 0.72};
    static const double turns[7] = {0, 0.25, -0.25, 0.5, -0.5, 0.9, -0.9};
    double ang[_NEFT_EMIT_MAX_CURVES], gs[_NEFT_EMIT_MAX_CURVES], gw[_NEFT_EMIT_MAX_CURVES];
    double score[_NEFT_EMIT_MAX_CURVES], vx = s->xy[2 * v], vy = s->xy[2 * v + 1];
    slong na = 0, ng, i, j, l, last = s->ncurves, order[_NEFT_EMIT_MAX_CURVES];

    for (i = 0; i < last; i++)
    {
        const _neft_emit_curve_struct * c = s->curve + i;
        if (c->u == c->w)
            continue;
        if (c->u == v)
            ang[na++] = atan2(c->p[3] - vy, c->p[2] - vx);
        else if (c->w == v)
            ang[na++] = atan2(c->p[5] - vy, c->p[4] - vx);
    }
    for (i = 0; i < na; i++)
        if (ang[i] < 0)
            ang[i] += 2 * _PI;
    qsort(ang, na, sizeof(double), _cmp_double);

    /* The free angles between the lines at v, widest first (nearly equal
       ones: the one facing pref first).  Several loops share the first;
       a single loop may take any, the first where it keeps clear. */
    if (na == 0)
    {
        gs[0] = (pref[0] != 0 || pref[1] != 0) ? atan2(pref[1], pref[0]) - _PI / count
                                               : _PI / 2 - _PI / count;
        gw[0] = 2 * _PI;
        score[0] = 0;
        ng = 1;
    }
    else
        for (ng = 0; ng < na; ng++)
        {
            double a = ang[ng], b = (ng + 1 < na) ? ang[ng + 1] : ang[0] + 2 * _PI;
            double mid = 0.5 * (a + b);
            gs[ng] = a;
            gw[ng] = b - a;
            score[ng] = (b - a) + 0.4 * (cos(mid) * pref[0] + sin(mid) * pref[1]);
        }
    for (i = 0; i < ng; i++)
        order[i] = i;
    for (i = 1; i < ng; i++)
        for (j = i; j > 0 && score[order[j]] > score[order[j - 1]] + 1e-9; j--)
        {
            slong t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    if (count > 1 || na == 0)
        ng = 1;

    for (l = 0; l < count; l++)
    {
        _neft_emit_curve_struct * c = s->curve + s->ncurves++;
        double best = -1e30, bphi = 0, bhalf = 0, blen = 0;
        slong g, t;
        int done = 0;

        c->u = c->w = v;
        c->straight = 0;
        /* the first candidate that keeps clear of everything else, or the
           one that comes nearest to that */
        for (g = 0; g < ng && !done; g++)
        {
            double start = gs[order[g]], gap = gw[order[g]], half, phi, len;
            if (na == 0)
                half = FLINT_MIN(_LOOP_HALF_MAX, _PI / count - _LOOP_MARGIN);
            else
                half = FLINT_MIN(_LOOP_HALF_MAX, 0.5 * gap / count - _LOOP_MARGIN);
            half = FLINT_MAX(half, 0.12);
            phi = start + gap * (l + 0.5) / count;
            /* narrower teardrops reach a bit further */
            len = size * (1.0 + 0.5 * (_LOOP_HALF_MAX - half));
            for (t = 0; t < 21; t++)
            {
                double turn = turns[t % 7], f = sizes[t / 7], h, clear;
                /* the turned teardrop stays inside its share of the gap */
                h = (na == 0) ? half - fabs(turn)
                              : FLINT_MIN(half, 0.5 * gap / count - _LOOP_MARGIN - fabs(turn));
                if (t > 0 && h < 0.2)
                    continue;
                _set_loop(c, vx, vy, phi + turn, h, len * f);
                clear = _loop_clearance(s, c, v);
                if (clear > best)
                {
                    best = clear;
                    bphi = phi + turn;
                    bhalf = h;
                    blen = len * f;
                }
                if (clear >= _LOOP_CLEAR)
                {
                    done = 1;
                    break;
                }
            }
        }
        _set_loop(c, vx, vy, bphi, bhalf, blen);
    }
}

/* Bounding box of the vertices of component c (or of all with c < 0),
   with their curves and labels. */
static void
_bbox(double * lo, double * hi, const _neft_emit_scene_struct * s, const slong * comp, slong c)
{
    slong v, i, t;

    lo[0] = lo[1] = 1e300;
    hi[0] = hi[1] = -1e300;
    for (v = 0; v < s->N; v++)
    {
        if (c >= 0 && comp[v] != c)
            continue;
        if (v < s->n)
        {
            _box_add(lo, hi, s->xy[2 * v], s->xy[2 * v + 1], _NEFT_EMIT_DOT, _NEFT_EMIT_DOT);
            _box_add(lo, hi, s->label[2 * v], s->label[2 * v + 1], s->label_hw[v], s->label_hh);
        }
        else
            _box_add(lo, hi, s->xy[2 * v], s->xy[2 * v + 1], 1.3 * _NEFT_EMIT_MARK,
                     1.3 * _NEFT_EMIT_MARK);
    }
    for (i = 0; i < s->ncurves; i++)
    {
        if (c >= 0 && comp[s->curve[i].u] != c)
            continue;
        for (t = 0; t <= 32; t++)
        {
            double q[2];
            _bezier(q, s->curve[i].p, t / 32.0);
            _box_add(lo, hi, q[0], q[1], 0.25 * _PT, 0.25 * _PT);
        }
    }
}

static void
_shift(_neft_emit_scene_struct * s, const slong * comp, slong c, double dx)
{
    slong v, i;

    for (v = 0; v < s->N; v++)
        if (comp[v] == c)
        {
            s->xy[2 * v] += dx;
            s->label[2 * v] += dx;
        }
    for (i = 0; i < s->ncurves; i++)
        if (comp[s->curve[i].u] == c)
            for (v = 0; v < 4; v++)
                s->curve[i].p[2 * v] += dx;
}

void
_neft_emit_scene(_neft_emit_scene_struct * s, const neft_diagram_t d, const double * xy,
                 double unit)
{
    slong comp[NEFT_DIAGRAM_MAX_VERTICES], loops[NEFT_DIAGRAM_MAX_VERTICES];
    slong v, i, r, c, maxloops;
    int anchored[NEFT_DIAGRAM_MAX_VERTICES];
    double cx[NEFT_DIAGRAM_MAX_VERTICES], cy[NEFT_DIAGRAM_MAX_VERTICES], cn[NEFT_DIAGRAM_MAX_VERTICES];
    double right;

    s->n = d->n;
    s->N = d->n + d->m;
    s->ncurves = 0;
    s->label_hh = 0.5 * 5.2 * _PT;
    s->lo[0] = s->lo[1] = s->hi[0] = s->hi[1] = 0;
    if (s->N == 0)
        return;
    for (v = 0; v < s->N; v++)
    {
        s->xy[2 * v] = unit * xy[2 * v];
        s->xy[2 * v + 1] = unit * xy[2 * v + 1];
        loops[v] = 0;
    }
    r = neft_diagram_components(comp, d);
    for (c = 0; c < r; c++)
    {
        anchored[c] = 0;
        cx[c] = cy[c] = cn[c] = 0;
    }
    for (v = 0; v < s->N; v++)
    {
        anchored[comp[v]] |= (v < d->n);
        cx[comp[v]] += s->xy[2 * v];
        cy[comp[v]] += s->xy[2 * v + 1];
        cn[comp[v]] += 1;
    }
    for (i = 0; i < d->nedges; i++)
        if (d->edges[2 * i] == d->edges[2 * i + 1])
            loops[d->edges[2 * i]]++;

    /* Labels of the external points: outside the dot, away from the centre. */
    for (v = 0; v < d->n; v++)
    {
        double x = s->xy[2 * v], y = s->xy[2 * v + 1], e = sqrt(x * x + y * y), ux, uy, dist;
        ux = e > 1e-12 ? x / e : 0;
        uy = e > 1e-12 ? y / e : 1;
        s->label_hw[v] = _neft_emit_label_hw(v);
        dist = _NEFT_EMIT_DOT + _LABEL_GAP + s->label_hw[v] * fabs(ux) + s->label_hh * fabs(uy);
        s->label[2 * v] = x + dist * ux;
        s->label[2 * v + 1] = y + dist * uy;
    }

    _lines(s, d);
    /* vertices with more loops first: they have less choice */
    for (i = 0, maxloops = 0; i < s->N; i++)
        maxloops = FLINT_MAX(maxloops, loops[i]);
    for (i = maxloops; i > 0; i--)
        for (v = 0; v < s->N; v++)
        {
            /* away from the middle of the piece (towards the centre of
               the circle for anchored pieces; up from the very centre) */
            double p[2], e;

            if (loops[v] != i)
                continue;
            c = comp[v];
            p[0] = s->xy[2 * v] - (anchored[c] ? 0 : cx[c] / cn[c]);
            p[1] = s->xy[2 * v + 1] - (anchored[c] ? 0 : cy[c] / cn[c]);
            e = sqrt(p[0] * p[0] + p[1] * p[1]);
            if (anchored[c])
                e = -e;
            p[0] = fabs(e) > 1e-9 ? p[0] / e : 0;
            p[1] = fabs(e) > 1e-9 ? p[1] / e : 1;
            _loops(s, v, loops[v], FLINT_MAX(_LOOP_MIN, _LOOP_REL * unit), p);
        }

    /* Vacuum pieces in a row right of the rest, in the order of the layout. */
    right = -1e300;
    if (d->n > 0)
    {
        double lo[2], hi[2];
        for (c = 0; c < r; c++)
            if (anchored[c])
            {
                _bbox(lo, hi, s, comp, c);
                right = FLINT_MAX(right, hi[0]);
            }
    }
    for (c = 0; c < r; c++)
    {
        double lo[2], hi[2];
        if (anchored[c])
            continue;
        _bbox(lo, hi, s, comp, c);
        if (right > -1e299)
        {
            double dx = right + _ROW_GAP - lo[0];
            _shift(s, comp, c, dx);
            right = hi[0] + dx;
        }
        else
            right = hi[0];
    }
    _bbox(s->lo, s->hi, s, comp, -1);
}
