/* Tests of the diagram layout (neft_emit_layout) on every term of several
   expansions: the guarantees of neft/emit.h -- finite coordinates, external
   points on the unit circle, one contiguous arc per component, internal
   vertices of anchored components inside radius 0.9, vacuum components
   right of the circle -- and what makes a drawing legible: no two vertices
   of a component on top of each other, no edge of one component crossing
   an edge of another, and the same coordinates on a second call; and the
   TikZ and SVG drawings of every diagram are written without error. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/expand.h"
#include "neft/emit.h"
#include "neft-test.h"

static FILE * scratch = NULL;

/* 1 if the segments p1p2 and p3p4 cross properly (not at shared ends). */
static int
crosses(const double * p1, const double * p2, const double * p3, const double * p4)
{
    double d1 = (p4[0] - p3[0]) * (p1[1] - p3[1]) - (p4[1] - p3[1]) * (p1[0] - p3[0]);
    double d2 = (p4[0] - p3[0]) * (p2[1] - p3[1]) - (p4[1] - p3[1]) * (p2[0] - p3[0]);
    double d3 = (p2[0] - p1[0]) * (p3[1] - p1[1]) - (p2[1] - p1[1]) * (p3[0] - p1[0]);
    double d4 = (p2[0] - p1[0]) * (p4[1] - p1[1]) - (p2[1] - p1[1]) * (p4[0] - p1[0]);
    return ((d1 > 1e-9 && d2 < -1e-9) || (d1 < -1e-9 && d2 > 1e-9))
        && ((d3 > 1e-9 && d4 < -1e-9) || (d3 < -1e-9 && d4 > 1e-9));
}

static void
check_diagram(const neft_diagram_t d, const char * what, slong index)
{
    double xy[2 * NEFT_DIAGRAM_MAX_VERTICES], xy2[2 * NEFT_DIAGRAM_MAX_VERTICES];
    slong comp[NEFT_DIAGRAM_MAX_VERTICES], anchored[NEFT_DIAGRAM_MAX_VERTICES];
    slong N = d->n + d->m, v, w, i, j, r, runs, c;
    double ang[NEFT_DIAGRAM_MAX_VERTICES];
    slong byang[NEFT_DIAGRAM_MAX_VERTICES];

    /* The drawings of every diagram come out, as TikZ and as SVG (the
       geometry is measured by tests/drawings.py). */
    if (scratch != NULL)
    {
        rewind(scratch);
        CHECK(neft_emit_tikz_diagram(scratch, d, NULL, 1.2) == 0, "%s term %ld: tikz failed",
              what, (long) index);
        CHECK(neft_emit_svg_diagram(scratch, d, NULL, 1.2) == 0, "%s term %ld: svg failed",
              what, (long) index);
    }
    if (N == 0)
        return;
    neft_emit_layout(xy, d);
    neft_emit_layout(xy2, d);
    CHECK(memcmp(xy, xy2, sizeof(double) * 2 * N) == 0, "%s term %ld: layout not deterministic",
          what, (long) index);
    r = neft_diagram_components(comp, d);
    for (c = 0; c < r; c++)
        anchored[c] = 0;
    for (v = 0; v < d->n; v++)
        anchored[comp[v]] = 1;

    for (v = 0; v < N; v++)
    {
        double rad = sqrt(xy[2 * v] * xy[2 * v] + xy[2 * v + 1] * xy[2 * v + 1]);
        CHECK(isfinite(xy[2 * v]) && isfinite(xy[2 * v + 1]), "%s term %ld: vertex %ld not finite",
              what, (long) index, (long) v);
        if (v < d->n)
            CHECK(fabs(rad - 1) < 1e-9, "%s term %ld: external %ld at radius %g",
                  what, (long) index, (long) v, rad);
        else if (anchored[comp[v]])
            CHECK(rad <= 0.9 + 1e-9, "%s term %ld: internal %ld at radius %g",
                  what, (long) index, (long) v, rad);
        else if (d->n > 0)
            CHECK(xy[2 * v] > 1.2, "%s term %ld: vacuum vertex %ld at x = %g",
                  what, (long) index, (long) v, xy[2 * v]);
    }

    /* One arc per component: around the circle, the component changes as
       often as there are anchored components (once per run), or never. */
    for (v = 0; v < d->n; v++)
    {
        ang[v] = atan2(xy[2 * v + 1], xy[2 * v]);
        byang[v] = v;
    }
    for (i = 1; i < d->n; i++)
        for (j = i; j > 0 && ang[byang[j - 1]] > ang[byang[j]]; j--)
        {
            slong t = byang[j];
            byang[j] = byang[j - 1];
            byang[j - 1] = t;
        }
    for (i = runs = 0; i < d->n; i++)
        runs += (comp[byang[i]] != comp[byang[(i + 1) % d->n]]);
    for (c = 0, w = 0; c < r; c++)
        w += anchored[c];
    CHECK(runs == (w > 1 ? w : 0), "%s term %ld: %ld component changes around the circle for %ld"
          " components", what, (long) index, (long) runs, (long) w);

    /* Vertices of one component apart. */
    for (v = 0; v < N; v++)
        for (w = v + 1; w < N; w++)
        {
            double dx = xy[2 * v] - xy[2 * w], dy = xy[2 * v + 1] - xy[2 * w + 1];
            CHECK(sqrt(dx * dx + dy * dy) > 0.08, "%s term %ld: vertices %ld and %ld %g apart",
                  what, (long) index, (long) v, (long) w, sqrt(dx * dx + dy * dy));
        }

    /* Edges of different components do not cross. */
    for (i = 0; i < d->nedges; i++)
        for (j = i + 1; j < d->nedges; j++)
        {
            slong a = d->edges[2 * i], b = d->edges[2 * i + 1];
            slong e = d->edges[2 * j], f = d->edges[2 * j + 1];
            if (comp[a] == comp[e] || a == b || e == f)
                continue;
            CHECK(!crosses(xy + 2 * a, xy + 2 * b, xy + 2 * e, xy + 2 * f),
                  "%s term %ld: edges %ld-%ld and %ld-%ld of different components cross",
                  what, (long) index, (long) a, (long) b, (long) e, (long) f);
        }
}

static void
check_expansion(const char * rules, slong n, slong order, const char * prune)
{
    neft_theory_t th;
    neft_expansion_t ex;
    neft_expand_opt_t opt;
    char err[512], what[256];
    unsigned mask;
    slong i;

    neft_theory_init(th);
    neft_expansion_init(ex);
    neft_expand_opt_init(opt);
    CHECK(neft_theory_read_file(th, rules, err, sizeof(err)) == 0
          && neft_prune_parse(&mask, prune, err, sizeof(err)) == 0
          && neft_expand(ex, th, n, order, mask, opt, err, sizeof(err)) == NEFT_EXPAND_SUCCESS,
          "%s n=%ld o=%ld: %s", rules, (long) n, (long) order, err);
    snprintf(what, sizeof(what), "%s n=%ld o=%ld prune %s", rules, (long) n, (long) order, prune);
    for (i = 0; i < ex->length; i++)
        check_diagram(ex->terms + i, what, i + 1);
    printf("%s: %ld diagrams\n", what, (long) ex->length);
    neft_expansion_clear(ex);
    neft_theory_clear(th);
}

int
main(void)
{
    slong n;

    scratch = tmpfile();
    for (n = 0; n <= 4; n++)
        check_expansion("../rules/phi3.rules", n, 3, "none");
    for (n = 0; n <= 6; n += 2)
        check_expansion("../rules/phi4.rules", n, 2, "none");
    check_expansion("../rules/phi4.rules", 4, 4, "connected");
    check_expansion("../rules/phi3.rules", 6, 4, "none");
    check_expansion("../rules/phi4.rules", 8, 2, "vacuum");
    check_expansion("../rules/single-layer.rules", 4, 2, "vacuum");
    check_expansion("../rules/single-layer.rules", 6, 2, "vacuum,two-point-component");
    check_expansion("../rules/mixed.rules", 3, 2, "none");

    if (scratch != NULL)
        fclose(scratch);
    return neft_test_finish("t-layout");
}
