/* LaTeX output: a fragment for a document that loads amsmath.

       G^{(6)}(x_{1},\dots,x_{6})
         &= K(x_{1},x_{2})\,K(x_{3},x_{4})\,K(x_{5},x_{6}) \\
         &\quad - 24\,\lambda \int d^{d}y_{1}\; K(x_{1},y_{1})\,... \\

   One term per source line, every term line starting with `&`; a long
   product is wrapped onto display rows (` \\ &\qquad\qquad `) inside that same
   line.  TeX reads a whole align* before typesetting it (twice, to measure
   it), so a long sum is cut into blocks of _LATEX_BLOCK terms that continue
   one another; the whole fragment sits in a group with \allowdisplaybreaks
   so that blocks taller than a page break across pages without touching the
   rest of the user's document.

   With opt->diagrams each term line ends with the term's TikZ drawing
   (`\qquad \begin{tikzpicture}...\end{tikzpicture}`, still on the same
   source line), and the products are wrapped earlier to leave it room.
   With opt->standalone the output is a whole article. */

#include <stdio.h>
#include <string.h>
#include "neft/emit.h"
#include "emit-internal.h"

#define _LATEX_BLOCK 40
#define _NAME_BUF (4 * NEFT_THEORY_NAME_MAX + 32)

static void
_latex_vertex(FILE * out, slong v, slong n)
{
    if (v < n)
        fprintf(out, "x_{%ld}", (long) (v + 1));
    else
        fprintf(out, "y_{%ld}", (long) (v - n + 1));
}

/* The left-hand side G^{(n)}(x_1,...,x_n). */
static void
_latex_lhs(FILE * out, slong n)
{
    slong i;

    fprintf(out, "G^{(%ld)}", (long) n);
    if (n == 0)
        return;
    fputc('(', out);
    if (n <= 3)
        for (i = 0; i < n; i++)
            fprintf(out, "%sx_{%ld}", i == 0 ? "" : ",", (long) (i + 1));
    else
        fprintf(out, "x_{1},\\dots,x_{%ld}", (long) n);
    fputc(')', out);
}

/* Rough widths in points at 10pt (measured with \settowidth on Computer
   Modern): enough to keep the typeset lines inside an article's 345pt text
   width, where the left-hand side G^{(n)}(x_{1},\dots,x_{n}) = takes 80pt. */
#define _W_ROW     255   /* room right of the alignment point */
#define _W_INDENT   40   /* \qquad\qquad on a continuation row */
#define _W_K        43   /* K(x_{1},y_{1})\, */
#define _W_MEASURE  21   /* d^{d}y_{1}\, */
#define _W_INT      14   /* \int */
#define _W_DIGIT     5   /* a digit at normal size */
#define _W_SMALL     4   /* a digit in a sub- or superscript */
#define _W_PERMS    85   /* + \text{perms (15 terms)} */
#define _W_PT_CM    28.45 /* points per centimetre */

static slong
_digits(slong x)
{
    slong k = 1;
    for (; x >= 10 || x <= -10; x /= 10)
        k++;
    return k;
}

/* Width estimate of a LaTeX coupling name from names.c: a word in \mathrm
   is about 5.5pt a letter, a single (Greek) letter 8pt, plus its subscript. */
static slong
_latex_name_width(const char * s)
{
    const char * sub = strstr(s, "_{");
    slong w = 0;

    if (strncmp(s, "\\mathrm{", 8) == 0)
    {
        const char * t;
        for (t = s + 8; *t != '\0' && t != sub && !(*t == '}' && t[-1] != '\\'); t++)
            w += (*t != '\\') ? 6 : 0;
    }
    else
        w = 8;
    if (sub != NULL)
        w += _W_SMALL * (slong) strlen(sub + 2);
    return w;
}

/* Starts a continuation row when a factor of width fw would not fit, and
   returns 1 if it did.  The break stays on the same source line, so that a
   term is still exactly one line of the file. */
static int
_latex_fit(FILE * out, slong * w, slong fw, int * row_used, slong room)
{
    int broke = 0;

    if (*row_used && *w + fw > room)
    {
        fputs(" \\\\ &\\qquad\\qquad ", out);
        *w = _W_INDENT;
        broke = 1;
    }
    *w += fw;
    *row_used = 1;
    return broke;
}

/* One term: the sign is written as an operator between terms, or only when
   negative for the first term; a magnitude of 1 is left out unless it is
   all there is.  Long products are wrapped over several display rows. */
static void
_latex_term(FILE * out, const neft_diagram_t d, const neft_theory_t th,
            char names[][_NAME_BUF], int first, slong perms, slong room)
{
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    slong i, j, w = 18;
    int neg = fmpq_sgn(d->coeff) < 0, sep = 0, row_used = 0, broke;

    if (first)
        fputs(neg ? "-" : "", out);
    else
        fputs(neg ? "- " : "+ ", out);

    neft_diagram_powers(e, d, th->length);
    for (i = 0; i < th->length; i++)
        sep |= (e[i] != 0);
    sep |= (d->nedges != 0);

    if (!fmpz_is_one(fmpq_denref(d->coeff)))
    {
        char * p = fmpz_get_str(NULL, 10, fmpq_numref(d->coeff));
        char * q = fmpz_get_str(NULL, 10, fmpq_denref(d->coeff));
        fprintf(out, "\\frac{%s}{%s}", p + (p[0] == '-'), q);
        w += _W_SMALL * (slong) FLINT_MAX(strlen(p), strlen(q)) + 4;
        flint_free(p);
        flint_free(q);
        if (sep)
            fputs("\\,", out);
    }
    else if (!fmpz_is_pm1(fmpq_numref(d->coeff)) || !sep)
    {
        char * p = fmpz_get_str(NULL, 10, fmpq_numref(d->coeff));
        fputs(p + (p[0] == '-'), out);
        w += _W_DIGIT * (slong) strlen(p);
        flint_free(p);
        if (sep)
            fputs("\\,", out);
    }

    for (i = 0, j = 0; i < th->length; i++)
    {
        if (e[i] == 0)
            continue;
        fprintf(out, "%s%s", j++ == 0 ? "" : "\\,", names[i]);
        w += _latex_name_width(names[i]) + 2;
        if (e[i] > 1)
        {
            fprintf(out, "^{%ld}", (long) e[i]);
            w += _W_SMALL * _digits(e[i]);
        }
    }

    if (d->m > 0)
    {
        fputs(j > 0 ? " \\int" : "\\int", out);
        w += _W_INT;
        for (i = 0; i < d->m; i++)
        {
            _latex_fit(out, &w, _W_MEASURE + _W_SMALL * (_digits(i + 1) - 1), &row_used,
                       room);
            fprintf(out, "%sd^{d}y_{%ld}%s", i == 0 ? " " : "", (long) (i + 1),
                    i + 1 < d->m ? "\\, " : "\\;");
        }
    }
    else if (j > 0 && d->nedges > 0)
        fputs("\\,", out);

    /* Sorted edges: parallel edges are adjacent and become one power. */
    for (i = 0; i < d->nedges; i = j)
    {
        slong u = d->edges[2 * i], v = d->edges[2 * i + 1];
        for (j = i + 1; j < d->nedges && d->edges[2 * j] == u && d->edges[2 * j + 1] == v; j++)
            ;
        broke = _latex_fit(out, &w, _W_K + _W_SMALL * (_digits(u < d->n ? u + 1 : u - d->n + 1)
                           + _digits(v < d->n ? v + 1 : v - d->n + 1) - 2)
                           + (j - i > 1 ? _W_SMALL * _digits(j - i) + 2 : 0), &row_used,
                           room);
        fputs(i == 0 || broke ? "K(" : "\\,K(", out);
        _latex_vertex(out, u, d->n);
        fputc(',', out);
        _latex_vertex(out, v, d->n);
        fputc(')', out);
        if (j - i > 1)
            fprintf(out, "^{%ld}", (long) (j - i));
    }

    if (perms > 1)
    {
        _latex_fit(out, &w, _W_PERMS, &row_used, room);
        fprintf(out, " + \\text{perms (%ld terms)}", (long) perms);
    }
}

int
neft_emit_latex(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt)
{
    const neft_theory_struct * th = ex->theory;
    char names[NEFT_THEORY_COUPLINGS_MAX][_NAME_BUF];
    char prune[256];
    slong * rep = NULL, * count = NULL;
    slong i, shown, done;
    int status = 0;
    double unit = 0.5 * (opt->size > 0 ? opt->size : NEFT_EMIT_SIZE_BESIDE);
    /* --standalone: each block is an aligned in a page of its own, cropped
       (\neftpage); otherwise align* blocks in a group. */
    const char * open = opt->standalone ? "\\neftpage{$\\displaystyle\\begin{aligned}\n"
                                        : "\\begin{align*}\n";
    const char * close = opt->standalone ? "\\end{aligned}$}\n" : "\\end{align*}\n";

    for (i = 0; i < th->length; i++)
        neft_emit_coupling_latex(names[i], _NAME_BUF, th->couplings[i].name);

    shown = _neft_emit_groups(&rep, &count, ex, opt);

    fputs("% generated by neft\n", out);
    fputs("% theory: ", out);
    _neft_emit_latex_comment(out, th->name != NULL ? th->name : "(unnamed)");
    fputc('\n', out);
    fputs("% G(", out);
    for (i = 0; i < ex->n; i++)
        fprintf(out, "%sx%ld", i == 0 ? "" : ",", (long) (i + 1));
    neft_prune_format(prune, sizeof(prune), ex->prune);
    fprintf(out, ") to order %ld, prune: %s; %ld term%s", (long) ex->order, prune,
            (long) ex->length, ex->length == 1 ? "" : "s");
    if (rep != NULL)
        fprintf(out, ", shown as %ld up to permutations of the external points", (long) shown);
    fputc('\n', out);
    if (opt->diagrams)
    {
        _neft_emit_tikz_legend(out, th);
        if (!opt->standalone)
            fputs("% needs \\usepackage{amsmath} and \\usepackage{tikz}\n", out);
    }
    if (opt->standalone)
    {
        fprintf(out, "\\documentclass{article}\n\\usepackage{amsmath}\n%s",
                opt->diagrams ? "\\usepackage{tikz}\n" : "");
        _neft_emit_crop_preamble(out);
        fputs("\\begin{document}\n", out);
    }
    else
        fputs("\\begingroup\\allowdisplaybreaks\n", out);
    fputs(open, out);
    _latex_lhs(out, ex->n);
    /* An empty sum stays off the term lines (those that start with `&`). */
    fputs(shown == 0 ? " &= 0\n" : "\n", out);

    for (i = done = 0; i < ex->length; i++)
    {
        if (rep != NULL && rep[i] != i)
            continue;
        if (done > 0)
        {
            if (done % _LATEX_BLOCK == 0)
            {
                /* A new block continues the sum; the phantom keeps the
                   terms roughly where the first block put them. */
                fputs("\n", out);
                fputs(close, out);
                fputs(open, out);
                fputs("\\phantom{", out);
                _latex_lhs(out, ex->n);
                fputs("}\n", out);
            }
            else
                fputs(" \\\\\n", out);
        }
        fputs(done == 0 ? "  &= " : "  &\\quad ", out);
        if (opt->diagrams)
        {
            double xy[2 * NEFT_DIAGRAM_MAX_VERTICES];
            slong pic;

            neft_emit_layout(xy, ex->terms + i);
            pic = (slong) (_neft_emit_tikz_width(xy, ex->terms + i, unit) * _W_PT_CM) + 16;
            _latex_term(out, ex->terms + i, th, names, done == 0, rep != NULL ? count[i] : 0,
                        FLINT_MAX(_W_ROW - pic, 150));
            fputs(" && ", out);
            _neft_emit_tikz_picture(out, ex->terms + i, th, xy, unit, " ");
        }
        else
            _latex_term(out, ex->terms + i, th, names, done == 0, rep != NULL ? count[i] : 0,
                        _W_ROW);
        done++;
        if (ferror(out))
        {
            status = -1;
            break;
        }
    }
    if (done > 0)
        fputc('\n', out);
    fputs(close, out);
    fputs(opt->standalone ? "\\end{document}\n" : "\\endgroup\n", out);

    flint_free(rep);
    flint_free(count);
    if (ferror(out))
        status = -1;
    return status;
}
