/* TikZ drawings of diagrams at the coordinates of neft_emit_layout, in plain
   TikZ (no libraries, no graph drawing), so that pdflatex compiles them.

   One picture per diagram, at explicit coordinates: a propagator is a
   straight line, parallel propagators are curves bent symmetrically about
   the straight line, a self-loop is a teardrop pointing into the widest
   free angle at its vertex (several loops share it evenly), an external
   point is a small dot labelled x_i outside the circle, an internal vertex a
   marker whose shape says its coupling (filled circle, square, diamond,
   triangle for the first four couplings, the same shapes open for the next
   four, and so on). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/emit.h"
#include "emit-internal.h"

#define _PI 3.14159265358979323846
#define _NAME_BUF (4 * NEFT_THEORY_NAME_MAX + 32)

static const char * const _shape_names[4] = {"circle", "square", "diamond", "triangle"};

/* A coordinate with three decimals and without "-0.000". */
static void
_num(FILE * out, double x)
{
    if (fabs(x) < 0.0005)
        x = 0;
    fprintf(out, "%.3f", x);
}

static void
_pt(FILE * out, double x, double y)
{
    fputc('(', out);
    _num(out, x);
    fputc(',', out);
    _num(out, y);
    fputc(')', out);
}

static int
_cmp_double(const void * a, const void * b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* Bend of the i-th of k parallel edges between points at distance len: the
   offset of the curve's apex from the straight line. */
static double
_bend(slong i, slong k, double len)
{
    double h = FLINT_MIN(0.25 * len, 0.22);
    return (i - 0.5 * (k - 1)) * h;
}

/* The marker of an internal vertex of coupling c at (x, y). */
static void
_marker(FILE * out, slong c, double x, double y, const char * sep)
{
    const char * style = (c / 4) % 2 ? "[draw,fill=white]" : "";
    double s = 2.2;   /* pt */

    switch (c % 4)
    {
        case 0:
            fprintf(out, "\\filldraw%s ", style[0] ? "[fill=white]" : "");
            _pt(out, x, y);
            fprintf(out, " circle (1.9pt);%s", sep);
            break;
        case 1:
            fprintf(out, "\\filldraw%s ", style[0] ? "[fill=white]" : "");
            _pt(out, x, y);
            fprintf(out, " +(-%.1fpt,-%.1fpt) rectangle +(%.1fpt,%.1fpt);%s", s - 0.5, s - 0.5,
                    s - 0.5, s - 0.5, sep);
            break;
        case 2:
            fprintf(out, "\\filldraw%s ", style[0] ? "[fill=white]" : "");
            _pt(out, x, y);
            fprintf(out, " +(0pt,%.1fpt) -- +(%.1fpt,0pt) -- +(0pt,-%.1fpt) -- +(-%.1fpt,0pt) -- cycle;%s",
                    s + 0.4, s + 0.4, s + 0.4, s + 0.4, sep);
            break;
        default:
            fprintf(out, "\\filldraw%s ", style[0] ? "[fill=white]" : "");
            _pt(out, x, y);
            fprintf(out, " +(0pt,%.1fpt) -- +(-%.1fpt,-%.1fpt) -- +(%.1fpt,-%.1fpt) -- cycle;%s",
                    s + 0.6, s + 0.4, s - 0.4, s + 0.4, s - 0.4, sep);
            break;
    }
}

void
_neft_emit_tikz_picture(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                        const double * xy, double unit, const char * sep)
{
    slong N = d->n + d->m, i, j, v;
    slong loops[NEFT_DIAGRAM_MAX_VERTICES];

    fprintf(out, "\\begin{tikzpicture}[x=%.2fcm,y=%.2fcm,line width=0.5pt,"
            "baseline={([yshift=-0.5ex]current bounding box.center)}]%s", unit, unit, sep);
    if (N == 0)
    {
        /* The empty diagram (n = 0, no vertex) is the number 1. */
        fprintf(out, "\\node at (0,0) {$1$};%s\\end{tikzpicture}", sep);
        return;
    }
    for (v = 0; v < N; v++)
        loops[v] = 0;

    /* Propagators: straight, or bent when parallel. */
    for (i = 0; i < d->nedges; i = j)
    {
        slong u = d->edges[2 * i], w = d->edges[2 * i + 1], k;
        double dx, dy, len;

        for (j = i + 1; j < d->nedges && d->edges[2 * j] == u && d->edges[2 * j + 1] == w; j++)
            ;
        if (u == w)
        {
            loops[u] += j - i;
            continue;
        }
        dx = xy[2 * w] - xy[2 * u];
        dy = xy[2 * w + 1] - xy[2 * u + 1];
        len = sqrt(dx * dx + dy * dy);
        for (k = 0; k < j - i; k++)
        {
            double h = _bend(k, j - i, len) / 0.75;   /* control point of a cubic with equal controls */
            fputs("\\draw ", out);
            _pt(out, xy[2 * u], xy[2 * u + 1]);
            if (fabs(h) < 1e-9 || len < 1e-9)
                fputs(" -- ", out);
            else
            {
                fputs(" .. controls ", out);
                _pt(out, 0.5 * (xy[2 * u] + xy[2 * w]) - h * dy / len,
                    0.5 * (xy[2 * u + 1] + xy[2 * w + 1]) + h * dx / len);
                fputs(" .. ", out);
            }
            _pt(out, xy[2 * w], xy[2 * w + 1]);
            fprintf(out, ";%s", sep);
        }
    }

    /* Self-loops: in the widest gap between the directions of the other
       edges at the vertex. */
    for (v = 0; v < N; v++)
    {
        double ang[2 * NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX];
        double start, gap, half;
        slong na = 0, l;

        if (loops[v] == 0)
            continue;
        for (i = 0; i < d->nedges; i = j)
        {
            slong u = d->edges[2 * i], w = d->edges[2 * i + 1], k, o;
            double dx, dy, len, base;

            for (j = i + 1; j < d->nedges && d->edges[2 * j] == u && d->edges[2 * j + 1] == w; j++)
                ;
            if (u == w || (u != v && w != v))
                continue;
            o = (u == v) ? w : u;
            dx = xy[2 * o] - xy[2 * v];
            dy = xy[2 * o + 1] - xy[2 * v + 1];
            len = sqrt(dx * dx + dy * dy);
            base = atan2(dy, dx);
            for (k = 0; k < j - i; k++)
            {
                /* A bent edge leaves at an angle; the sign flips with the
                   direction the edge is drawn in. */
                double h = _bend(k, j - i, len) / 0.75;
                double tilt = len > 1e-9 ? atan2(2 * h, len) : 0;
                ang[na++] = base + (u == v ? tilt : -tilt);
            }
        }
        for (i = 0; i < na; i++)
        {
            ang[i] = fmod(ang[i], 2 * _PI);
            if (ang[i] < 0)
                ang[i] += 2 * _PI;
        }
        qsort(ang, na, sizeof(double), _cmp_double);
        if (na == 0)
        {
            start = _PI / 2 - _PI / loops[v];
            gap = 2 * _PI;
        }
        else
        {
            start = ang[na - 1];
            gap = ang[0] + 2 * _PI - ang[na - 1];
            for (i = 1; i < na; i++)
                if (ang[i] - ang[i - 1] > gap)
                {
                    gap = ang[i] - ang[i - 1];
                    start = ang[i - 1];
                }
        }
        half = FLINT_MIN(0.6, 0.4 * gap / (loops[v] + (na == 0 ? 0 : 1)));
        for (l = 0; l < loops[v]; l++)
        {
            double phi = (na == 0) ? start + gap * l / loops[v]
                                   : start + gap * (l + 1) / (loops[v] + 1);
            double len = 0.5;
            fputs("\\draw ", out);
            _pt(out, xy[2 * v], xy[2 * v + 1]);
            fputs(" .. controls ", out);
            _pt(out, xy[2 * v] + len * cos(phi - half), xy[2 * v + 1] + len * sin(phi - half));
            fputs(" and ", out);
            _pt(out, xy[2 * v] + len * cos(phi + half), xy[2 * v + 1] + len * sin(phi + half));
            fputs(" .. ", out);
            _pt(out, xy[2 * v], xy[2 * v + 1]);
            fprintf(out, ";%s", sep);
        }
    }

    /* External points: a dot and the label x_i outside the circle. */
    for (v = 0; v < d->n; v++)
    {
        long a = lround(atan2(xy[2 * v + 1], xy[2 * v]) * 180 / _PI) + 180;
        fputs("\\fill ", out);
        _pt(out, xy[2 * v], xy[2 * v + 1]);
        fprintf(out, " circle (0.8pt) node[anchor=%ld,inner sep=1.5pt,font=\\scriptsize]"
                " {$x_{%ld}$};%s", a % 360, (long) (v + 1), sep);
    }

    /* Internal vertices on top of the lines. */
    for (v = d->n; v < N; v++)
        _marker(out, d->type[v - d->n], xy[2 * v], xy[2 * v + 1], sep);
    (void) th;
    fputs("\\end{tikzpicture}", out);
}

int
neft_emit_tikz_diagram(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                       double unit)
{
    double xy[2 * NEFT_DIAGRAM_MAX_VERTICES];

    neft_emit_layout(xy, d);
    _neft_emit_tikz_picture(out, d, th, xy, unit, "\n");
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}

double
_neft_emit_tikz_width(const double * xy, const neft_diagram_t d)
{
    slong N = d->n + d->m, v;
    double lo = 0, hi = 0;

    for (v = 0; v < N; v++)
    {
        lo = FLINT_MIN(lo, xy[2 * v]);
        hi = FLINT_MAX(hi, xy[2 * v]);
    }
    /* Labels and self-loops stick out by about 0.2 on either side. */
    return (hi - lo) + 0.4;
}

void
_neft_emit_tikz_legend(FILE * out, const neft_theory_t th)
{
    slong c;

    fputs("% vertices:", out);
    for (c = 0; c < th->length; c++)
        fprintf(out, "%s %s = %s%s", c == 0 ? "" : ",", th->couplings[c].name,
                (c / 4) % 2 ? "open " : "", _shape_names[c % 4]);
    if (th->length == 0)
        fputs(" none", out);
    fputc('\n', out);
}

/* The prefactor of a term in LaTeX: sign, magnitude (left out when 1 and
   something follows), couplings with powers. */
void
_neft_emit_latex_prefactor(FILE * out, const neft_diagram_t d, const neft_theory_t th)
{
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    char name[_NAME_BUF];
    slong c, k = 0;
    const char * sep = "\\,";
    char * p, * q;

    neft_diagram_powers(e, d, th->length);
    for (c = 0; c < th->length; c++)
        k += (e[c] != 0);
    if (fmpq_sgn(d->coeff) < 0)
        fputc('-', out);
    p = fmpz_get_str(NULL, 10, fmpq_numref(d->coeff));
    q = fmpz_get_str(NULL, 10, fmpq_denref(d->coeff));
    if (!fmpz_is_one(fmpq_denref(d->coeff)))
        fprintf(out, "\\frac{%s}{%s}", p + (p[0] == '-'), q);
    else if (!fmpz_is_pm1(fmpq_numref(d->coeff)) || k == 0)
        fputs(p + (p[0] == '-'), out);
    else
        sep = "";
    flint_free(p);
    flint_free(q);
    for (c = 0; c < th->length; c++)
    {
        if (e[c] == 0)
            continue;
        neft_emit_coupling_latex(name, sizeof(name), th->couplings[c].name);
        fprintf(out, "%s%s", sep, name);
        sep = "\\,";
        if (e[c] > 1)
            fprintf(out, "^{%ld}", (long) e[c]);
    }
}

/* A comment line naming the term: its coefficient and its edges. */
static void
_tikz_comment(FILE * out, slong index, const neft_diagram_t d, const neft_theory_t th,
              slong perms)
{
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    slong i, c;
    char * s = fmpq_get_str(NULL, 10, d->coeff);

    fprintf(out, "%% term %ld: %s", (long) index, s);
    flint_free(s);
    neft_diagram_powers(e, d, th->length);
    for (c = 0; c < th->length; c++)
        if (e[c] != 0)
            fprintf(out, " %s^%ld", th->couplings[c].name, (long) e[c]);
    fputs(";", out);
    for (i = 0; i < d->nedges; i++)
    {
        slong u = d->edges[2 * i], v = d->edges[2 * i + 1];
        fprintf(out, " %c%ld-%c%ld", u < d->n ? 'x' : 'y', (long) (u < d->n ? u + 1 : u - d->n + 1),
                v < d->n ? 'x' : 'y', (long) (v < d->n ? v + 1 : v - d->n + 1));
    }
    if (perms > 0)
        fprintf(out, "; + perms (%ld terms)", (long) perms);
    fputc('\n', out);
}

int
neft_emit_tikz(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt)
{
    const neft_theory_struct * th = ex->theory;
    slong * rep = NULL, * count = NULL;
    slong i, shown, done;
    char prune[256];
    int status = 0;

    shown = _neft_emit_groups(&rep, &count, ex, opt);

    fputs("% generated by neft\n% theory: ", out);
    _neft_emit_latex_comment(out, th->name != NULL ? th->name : "(unnamed)");
    fputs("\n% G(", out);
    for (i = 0; i < ex->n; i++)
        fprintf(out, "%sx%ld", i == 0 ? "" : ",", (long) (i + 1));
    neft_prune_format(prune, sizeof(prune), ex->prune);
    fprintf(out, ") to order %ld, prune: %s; %ld term%s", (long) ex->order, prune,
            (long) ex->length, ex->length == 1 ? "" : "s");
    if (rep != NULL)
        fprintf(out, ", shown as %ld up to permutations of the external points", (long) shown);
    fputc('\n', out);
    _neft_emit_tikz_legend(out, th);
    if (opt->standalone)
        fputs("\\documentclass{article}\n\\usepackage{tikz}\n\\begin{document}\n"
              "\\raggedright\\noindent\n", out);
    else
        fputs("% one tikzpicture per term; needs \\usepackage{tikz}\n", out);
    if (shown == 0)
        fputs(opt->standalone ? "(no terms: the correlator is $0$ to this order)\n"
                              : "% (no terms: the correlator is 0 to this order)\n", out);

    for (i = done = 0; i < ex->length; i++)
    {
        double xy[2 * NEFT_DIAGRAM_MAX_VERTICES];

        if (rep != NULL && rep[i] != i)
            continue;
        done++;
        _tikz_comment(out, done, ex->terms + i, th, rep != NULL ? count[i] : 0);
        neft_emit_layout(xy, ex->terms + i);
        if (opt->standalone)
            fputs("\\begin{tabular}[b]{@{}c@{}}\n", out);
        _neft_emit_tikz_picture(out, ex->terms + i, th, xy, opt->standalone ? 0.9 : 1.0, "\n");
        if (opt->standalone)
        {
            fputs(" \\\\\n$", out);
            _neft_emit_latex_prefactor(out, ex->terms + i, th);
            fputc('$', out);
            if (rep != NULL && count[i] > 1)
                fprintf(out, " \\\\ {\\scriptsize + perms (%ld terms)}", (long) count[i]);
            fputs("\n\\end{tabular}\\hspace{1.5em plus 1em}", out);
        }
        fputc('\n', out);
        if (ferror(out))
        {
            status = -1;
            break;
        }
    }
    if (opt->standalone)
        fputs("\\end{document}\n", out);

    flint_free(rep);
    flint_free(count);
    if (ferror(out))
        status = -1;
    return status;
}
