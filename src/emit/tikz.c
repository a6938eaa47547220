/* TikZ drawings of diagrams, in plain TikZ (no libraries, no graph
   drawing), so that pdflatex compiles them.

   One picture per diagram, at the explicit coordinates (cm) of the scene
   of scene.c: a propagator is a straight line or a cubic curve (parallel
   propagators, self-loops), an external point a dot with its label x_i
   centred outside it, an internal vertex a marker whose shape says its
   coupling (filled circle, square, diamond, triangle for the first four
   couplings, the same shapes open for the next four, and so on).  The
   bounding box is the scene's box of the ink, so that a picture cropped to
   it (--standalone) has no blank margin. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/emit.h"
#include "emit-internal.h"

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
                        const double * xy, double unit, const char * sep, int hang)
{
    _neft_emit_scene_struct * s;
    slong i, v;

    fprintf(out, "\\begin{tikzpicture}[line width=0.5pt,baseline={([yshift=%s]current bounding box.%s)}]%s",
            hang ? "-1.8ex" : "-0.5ex", hang ? "north" : "center", sep);
    if (d->n + d->m == 0)
    {
        /* The empty diagram (n = 0, no vertex) is the number 1. */
        fprintf(out, "\\node at (0,0) {$1$};%s\\end{tikzpicture}", sep);
        return;
    }
    s = flint_malloc(sizeof(_neft_emit_scene_struct));
    _neft_emit_scene(s, d, xy, unit);

    /* The box of the ink, not of the curves' control points. */
    fputs("\\useasboundingbox ", out);
    _pt(out, s->lo[0], s->lo[1]);
    fputs(" rectangle ", out);
    _pt(out, s->hi[0], s->hi[1]);
    fprintf(out, ";%s", sep);

    for (i = 0; i < s->ncurves; i++)
    {
        const double * p = s->curve[i].p;
        fputs("\\draw ", out);
        _pt(out, p[0], p[1]);
        if (s->curve[i].straight)
            fputs(" -- ", out);
        else
        {
            fputs(" .. controls ", out);
            _pt(out, p[2], p[3]);
            fputs(" and ", out);
            _pt(out, p[4], p[5]);
            fputs(" .. ", out);
        }
        _pt(out, p[6], p[7]);
        fprintf(out, ";%s", sep);
    }

    /* The points of a non-local vertex: joined by a dashed line. */
    for (v = 0; d->tie != NULL && v < d->m; v++)
        if (d->tie[v] != v)
        {
            slong a = d->n + d->tie[v], b = d->n + v;
            fputs("\\draw[dashed] ", out);
            _pt(out, s->xy[2 * a], s->xy[2 * a + 1]);
            fputs(" -- ", out);
            _pt(out, s->xy[2 * b], s->xy[2 * b + 1]);
            fprintf(out, ";%s", sep);
        }

    /* External points: a dot, and the label x_i centred outside it. */
    for (v = 0; v < d->n; v++)
    {
        fputs("\\fill ", out);
        _pt(out, s->xy[2 * v], s->xy[2 * v + 1]);
        fprintf(out, " circle (%.1fpt);%s", _NEFT_EMIT_DOT / _NEFT_EMIT_PT, sep);
        fputs("\\node[inner sep=0pt,font=\\scriptsize] at ", out);
        _pt(out, s->label[2 * v], s->label[2 * v + 1]);
        fprintf(out, " {$x_{%ld}$};%s", (long) (v + 1), sep);
    }

    /* Internal vertices on top of the lines. */
    for (v = d->n; v < s->N; v++)
        _marker(out, d->type[v - d->n], s->xy[2 * v], s->xy[2 * v + 1], sep);
    /* a position-weighted vertex: its weight |y|^p beside the marker */
    for (v = d->n; th != NULL && v < s->N; v++)
        if (th->couplings[d->type[v - d->n]].position > 0)
        {
            fputs("\\node[inner sep=1pt,anchor=south west,font=\\tiny] at ", out);
            _pt(out, s->xy[2 * v], s->xy[2 * v + 1]);
            fprintf(out, " {$|y|^{%ld}$};%s", (long) th->couplings[d->type[v - d->n]].position,
                    sep);
        }
    flint_free(s);
    fputs("\\end{tikzpicture}", out);
}

int
neft_emit_tikz_diagram(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                       double unit)
{
    double xy[2 * NEFT_DIAGRAM_MAX_VERTICES];

    neft_emit_layout(xy, d);
    _neft_emit_tikz_picture(out, d, th, xy, unit, "\n", 0);
    fputc('\n', out);
    return ferror(out) ? -1 : 0;
}

void
_neft_emit_tikz_size(double * w, double * h, const double * xy, const neft_diagram_t d,
                     double unit)
{
    _neft_emit_scene_struct * s = flint_malloc(sizeof(_neft_emit_scene_struct));

    _neft_emit_scene(s, d, xy, unit);
    *w = (d->n + d->m == 0) ? 0.3 : s->hi[0] - s->lo[0];
    *h = (d->n + d->m == 0) ? 0.4 : s->hi[1] - s->lo[1];
    flint_free(s);
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
    int status = 0;
    double unit = 0.5 * (opt->size > 0 ? opt->size : NEFT_EMIT_SIZE_PICTURE);

    shown = _neft_emit_groups(&rep, &count, ex, opt);

    _neft_emit_latex_head(out, ex, shown, rep != NULL);
    _neft_emit_tikz_legend(out, th);
    if (opt->standalone)
    {
        fputs("\\documentclass{article}\n\\usepackage{tikz}\n", out);
        _neft_emit_crop_preamble(out);
        fputs("\\begin{document}\n", out);
    }
    else
        fputs("% one tikzpicture per term; needs \\usepackage{tikz}\n", out);
    if (shown == 0)
        fputs(opt->standalone ? "\\neftpage{(no terms: the correlator is $0$ to this order)}\n"
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
            fputs("\\neftpage{\\begin{tabular}{@{}c@{}}\n", out);
        _neft_emit_tikz_picture(out, ex->terms + i, th, xy, unit, "\n", 0);
        if (opt->standalone)
        {
            fputs(" \\\\[2pt]\n$", out);
            _neft_emit_latex_prefactor(out, ex->terms + i, th);
            fputc('$', out);
            if (rep != NULL && count[i] > 1)
                fprintf(out, " \\\\ {\\scriptsize + perms (%ld terms)}", (long) count[i]);
            fputs("\n\\end{tabular}}", out);
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
