/* SVG drawings (--format svg): the scenes of scene.c, the same pictures as
   the TikZ writer draws, as one self-contained SVG document for the web
   and notebooks.

   No fonts, scripts, styles or files from outside: labels are <text>
   (x in italic, its index a smaller tspan shifted down) in a generic serif
   family, lines <path>s, markers <circle>/<rect>/<polygon>; one user unit
   is one point.  The whole expansion is a grid of terms, each a
   <g class="term" id="term-K" transform="translate(X,Y)"> holding its
   drawing (y pointing down, origin at the term's top left) and under it
   the prefactor (and "+ perms (N terms)" with --group).  Numbers are
   printed with two decimals; the output is deterministic. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/emit.h"
#include "emit-internal.h"

#define _CM_PT (72.27 / 2.54)      /* points per cm */
#define _PAD 6.0                   /* pt around the grid and between cells */
#define _CAPTION 11.0              /* pt: height of a caption line */
#define _COLUMNS 4
#define _NAME_BUF (4 * NEFT_THEORY_NAME_MAX + 32)

static void
_num(FILE * out, double x)
{
    if (fabs(x) < 0.005)
        x = 0;
    fprintf(out, "%.2f", x);
}

/* Text content with &, <, >, " escaped and control bytes dropped. */
static void
_xml_text(FILE * out, const char * s)
{
    for (; *s != '\0'; s++)
    {
        if (*s == '&')
            fputs("&amp;", out);
        else if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '>')
            fputs("&gt;", out);
        else if (*s == '"')
            fputs("&quot;", out);
        else if ((unsigned char) *s >= 0x20 && *s != 0x7f)
            fputc(*s, out);
    }
}

/* A point of the scene (cm, y up) in the term's frame (pt, y down). */
#define _X(x) (((x) - s->lo[0]) * _CM_PT)
#define _Y(y) ((s->hi[1] - (y)) * _CM_PT)

static void
_xy(FILE * out, const _neft_emit_scene_struct * s, double x, double y)
{
    _num(out, _X(x));
    fputc(' ', out);
    _num(out, _Y(y));
}

/* The marker of coupling c at (x, y) (pt): the shapes of the TikZ writer. */
static void
_marker(FILE * out, slong c, double x, double y)
{
    const char * fill = (c / 4) % 2 ? "white" : "black";

    switch (c % 4)
    {
        case 0:
            fputs("<circle class=\"vertex\" cx=\"", out);
            _num(out, x);
            fputs("\" cy=\"", out);
            _num(out, y);
            fprintf(out, "\" r=\"1.9\" fill=\"%s\"/>\n", fill);
            break;
        case 1:
            fputs("<rect class=\"vertex\" x=\"", out);
            _num(out, x - 1.7);
            fputs("\" y=\"", out);
            _num(out, y - 1.7);
            fprintf(out, "\" width=\"3.4\" height=\"3.4\" fill=\"%s\"/>\n", fill);
            break;
        case 2:
            fputs("<polygon class=\"vertex\" points=\"", out);
            _num(out, x); fputc(',', out); _num(out, y - 2.6); fputc(' ', out);
            _num(out, x + 2.6); fputc(',', out); _num(out, y); fputc(' ', out);
            _num(out, x); fputc(',', out); _num(out, y + 2.6); fputc(' ', out);
            _num(out, x - 2.6); fputc(',', out); _num(out, y);
            fprintf(out, "\" fill=\"%s\"/>\n", fill);
            break;
        default:
            fputs("<polygon class=\"vertex\" points=\"", out);
            _num(out, x); fputc(',', out); _num(out, y - 2.8); fputc(' ', out);
            _num(out, x - 2.6); fputc(',', out); _num(out, y + 1.8); fputc(' ', out);
            _num(out, x + 2.6); fputc(',', out); _num(out, y + 1.8);
            fprintf(out, "\" fill=\"%s\"/>\n", fill);
            break;
    }
}

/* The drawing of one scene, origin at the top left of its box. */
static void
_drawing(FILE * out, const _neft_emit_scene_struct * s, const neft_diagram_t d,
         const neft_theory_t th)
{
    slong i, v;

    if (s->N == 0)
    {
        fputs("<text class=\"one\" x=\"6\" y=\"10\" font-size=\"10\""
              " text-anchor=\"middle\">1</text>\n", out);
        return;
    }
    fputs("<g fill=\"none\" stroke=\"black\" stroke-width=\"0.5\" stroke-linecap=\"round\">\n",
          out);
    for (i = 0; i < s->ncurves; i++)
    {
        const double * p = s->curve[i].p;
        fputs("<path class=\"line\" d=\"M ", out);
        _xy(out, s, p[0], p[1]);
        if (s->curve[i].straight)
            fputs(" L ", out);
        else
        {
            fputs(" C ", out);
            _xy(out, s, p[2], p[3]);
            fputc(' ', out);
            _xy(out, s, p[4], p[5]);
            fputc(' ', out);
        }
        _xy(out, s, p[6], p[7]);
        fputs("\"/>\n", out);
    }
    /* the points of a non-local vertex: joined by a dashed line */
    for (v = 0; d->tie != NULL && v < d->m; v++)
        if (d->tie[v] != v)
        {
            slong a = d->n + d->tie[v], b = d->n + v;
            fputs("<path class=\"tie\" stroke-dasharray=\"2,1.5\" d=\"M ", out);
            _xy(out, s, s->xy[2 * a], s->xy[2 * a + 1]);
            fputs(" L ", out);
            _xy(out, s, s->xy[2 * b], s->xy[2 * b + 1]);
            fputs("\"/>\n", out);
        }
    fputs("</g>\n<g stroke=\"black\" stroke-width=\"0.5\">\n", out);
    for (v = 0; v < d->n; v++)
    {
        fputs("<circle class=\"point\" cx=\"", out);
        _num(out, _X(s->xy[2 * v]));
        fputs("\" cy=\"", out);
        _num(out, _Y(s->xy[2 * v + 1]));
        fprintf(out, "\" r=\"%.1f\" stroke=\"none\" fill=\"black\"/>\n",
                _NEFT_EMIT_DOT / _NEFT_EMIT_PT);
    }
    for (v = d->n; v < s->N; v++)
        _marker(out, d->type[v - d->n], _X(s->xy[2 * v]), _Y(s->xy[2 * v + 1]));
    fputs("</g>\n", out);
    /* a position-weighted vertex: its weight |y|^p beside the marker */
    for (v = d->n; th != NULL && v < s->N; v++)
        if (th->couplings[d->type[v - d->n]].position > 0)
        {
            fputs("<text class=\"weight\" x=\"", out);
            _num(out, _X(s->xy[2 * v]) + 3.5);
            fputs("\" y=\"", out);
            _num(out, _Y(s->xy[2 * v + 1]) - 3.5);
            fprintf(out, "\" font-size=\"5\">|y|<tspan font-size=\"4\" dy=\"-1.5\">%ld"
                    "</tspan></text>\n", (long) th->couplings[d->type[v - d->n]].position);
        }
    /* Labels: the ink of x with its index spans about 3.0pt above the
       baseline to 1.6pt below, so the baseline is 0.7pt under the centre. */
    for (v = 0; v < d->n; v++)
    {
        fputs("<text class=\"label\" x=\"", out);
        _num(out, _X(s->label[2 * v]));
        fputs("\" y=\"", out);
        _num(out, _Y(s->label[2 * v + 1]) + 0.7);
        fprintf(out, "\" font-size=\"%.0f\" text-anchor=\"middle\"><tspan font-style=\"italic\">x"
                "</tspan><tspan font-size=\"5\" dy=\"1.6\">%ld</tspan></text>\n",
                _NEFT_EMIT_FONT, (long) (v + 1));
    }
}

static void
_open(FILE * out, double w, double h)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"", out);
    _num(out, w);
    fputs("pt\" height=\"", out);
    _num(out, h);
    fputs("pt\" viewBox=\"0 0 ", out);
    _num(out, w);
    fputc(' ', out);
    _num(out, h);
    fputs("\" font-family=\"'Latin Modern Roman', 'CMU Serif', 'Times New Roman', serif\">\n"
          "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", out);
}

int
neft_emit_svg_diagram(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                      double unit)
{
    double xy[2 * NEFT_DIAGRAM_MAX_VERTICES];
    _neft_emit_scene_struct * s = flint_malloc(sizeof(_neft_emit_scene_struct));

    neft_emit_layout(xy, d);
    _neft_emit_scene(s, d, xy, unit);
    _open(out, s->N == 0 ? 12 : (s->hi[0] - s->lo[0]) * _CM_PT,
          s->N == 0 ? 14 : (s->hi[1] - s->lo[1]) * _CM_PT);
    _drawing(out, s, d, th);
    fputs("</svg>\n", out);
    flint_free(s);
    return ferror(out) ? -1 : 0;
}

/* The prefactor as text: sign (U+2212), magnitude (left out when 1 and a
   coupling follows), couplings in italic with superscript powers. */
static void
_prefactor(FILE * out, const neft_diagram_t d, const neft_theory_t th)
{
    static const char * const sup[10] = {"\u2070", "\u00b9", "\u00b2", "\u00b3", "\u2074",
                                         "\u2075", "\u2076", "\u2077", "\u2078", "\u2079"};
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    char name[_NAME_BUF], digits[32];
    slong c, k = 0;
    char * p, * q;

    neft_diagram_powers(e, d, th->length);
    for (c = 0; c < th->length; c++)
        k += (e[c] != 0);
    if (fmpq_sgn(d->coeff) < 0)
        fputs("\u2212", out);
    p = fmpz_get_str(NULL, 10, fmpq_numref(d->coeff));
    q = fmpz_get_str(NULL, 10, fmpq_denref(d->coeff));
    if (!fmpz_is_one(fmpq_denref(d->coeff)))
        fprintf(out, "%s/%s%s", p + (p[0] == '-'), q, k > 0 ? " " : "");
    else if (!fmpz_is_pm1(fmpq_numref(d->coeff)) || k == 0)
        fprintf(out, "%s%s", p + (p[0] == '-'), k > 0 ? " " : "");
    flint_free(p);
    flint_free(q);
    for (c = 0; c < th->length; c++)
    {
        if (e[c] == 0)
            continue;
        neft_emit_coupling_text(name, sizeof(name), th->couplings[c].name);
        fputs("<tspan font-style=\"italic\">", out);
        _xml_text(out, name);
        fputs("</tspan>", out);
        if (e[c] > 1)
        {
            char * t;
            snprintf(digits, sizeof(digits), "%ld", (long) e[c]);
            for (t = digits; *t != '\0'; t++)
                fputs(sup[*t - '0'], out);
        }
        if (--k > 0)
            fputc(' ', out);
    }
}

int
neft_emit_svg(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt)
{
    const neft_theory_struct * th = ex->theory;
    slong * rep = NULL, * count = NULL;
    slong i, shown, done, cols, rows;
    double unit = 0.5 * (opt->size > 0 ? opt->size : NEFT_EMIT_SIZE_PICTURE);
    double cw = 72, ch = 20, lines = 1;   /* room for "+ perms (NN terms)" at 7pt */
    char prune[256];
    _neft_emit_scene_struct * s = flint_malloc(sizeof(_neft_emit_scene_struct));

    shown = _neft_emit_groups(&rep, &count, ex, opt);
    if (rep != NULL)
        lines = 2;

    /* One cell size for all: the largest drawing. */
    for (i = 0; i < ex->length; i++)
    {
        double xy[2 * NEFT_DIAGRAM_MAX_VERTICES];
        if (rep != NULL && rep[i] != i)
            continue;
        neft_emit_layout(xy, ex->terms + i);
        _neft_emit_scene(s, ex->terms + i, xy, unit);
        cw = FLINT_MAX(cw, (s->hi[0] - s->lo[0]) * _CM_PT);
        ch = FLINT_MAX(ch, (s->hi[1] - s->lo[1]) * _CM_PT);
    }
    cols = FLINT_MIN(FLINT_MAX(shown, 1), _COLUMNS);
    rows = FLINT_MAX((shown + cols - 1) / cols, 1);
    _open(out, _PAD + cols * (cw + _PAD), _PAD + rows * (ch + lines * _CAPTION + _PAD));

    fputs("<title>", out);
    _xml_text(out, th->name != NULL ? th->name : "(unnamed)");
    fprintf(out, ": G(");
    for (i = 0; i < ex->n; i++)
        fprintf(out, "%sx%ld", i == 0 ? "" : ",", (long) (i + 1));
    neft_prune_format(prune, sizeof(prune), ex->prune);
    fprintf(out, ") to order %ld</title>\n<desc>generated by neft; prune: %s; %ld term%s",
            (long) ex->order, prune, (long) ex->length, ex->length == 1 ? "" : "s");
    if (rep != NULL)
        fprintf(out, ", shown as %ld up to permutations of the external points", (long) shown);
    fputs("; vertices:", out);
    for (i = 0; i < th->length; i++)
    {
        static const char * const shape[4] = {"circle", "square", "diamond", "triangle"};
        fprintf(out, "%s ", i == 0 ? "" : ",");
        _xml_text(out, th->couplings[i].name);
        fprintf(out, " = %s%s", (i / 4) % 2 ? "open " : "", shape[i % 4]);
    }
    fputs("</desc>\n", out);
    if (shown == 0)
        fputs("<text x=\"6\" y=\"14\" font-size=\"9\">no terms: the correlator is 0 to this"
              " order</text>\n", out);

    for (i = done = 0; i < ex->length; i++)
    {
        double xy[2 * NEFT_DIAGRAM_MAX_VERTICES], x0, y0, w, h;

        if (rep != NULL && rep[i] != i)
            continue;
        neft_emit_layout(xy, ex->terms + i);
        _neft_emit_scene(s, ex->terms + i, xy, unit);
        w = s->N == 0 ? 12 : (s->hi[0] - s->lo[0]) * _CM_PT;
        h = s->N == 0 ? 14 : (s->hi[1] - s->lo[1]) * _CM_PT;
        /* centred in its cell */
        x0 = _PAD + (done % cols) * (cw + _PAD) + 0.5 * (cw - w);
        y0 = _PAD + (done / cols) * (ch + lines * _CAPTION + _PAD) + 0.5 * (ch - h);
        fprintf(out, "<g class=\"term\" id=\"term-%ld\" transform=\"translate(", (long) (done + 1));
        _num(out, x0);
        fputc(',', out);
        _num(out, y0);
        fputs(")\">\n", out);
        _drawing(out, s, ex->terms + i, th);
        fputs("<text class=\"prefactor\" x=\"", out);
        _num(out, 0.5 * w);
        fputs("\" y=\"", out);
        _num(out, h + 0.5 * (ch - h) + 9);
        fputs("\" font-size=\"9\" text-anchor=\"middle\">", out);
        _prefactor(out, ex->terms + i, th);
        fputs("</text>\n", out);
        if (rep != NULL && count[i] > 1)
        {
            fputs("<text class=\"perms\" x=\"", out);
            _num(out, 0.5 * w);
            fputs("\" y=\"", out);
            _num(out, h + 0.5 * (ch - h) + 9 + _CAPTION);
            fprintf(out, "\" font-size=\"7\" text-anchor=\"middle\">+ perms (%ld terms)</text>\n",
                    (long) count[i]);
        }
        fputs("</g>\n", out);
        done++;
        if (ferror(out))
            break;
    }
    fputs("</svg>\n", out);
    flint_free(s);
    flint_free(rep);
    flint_free(count);
    return ferror(out) ? -1 : 0;
}
