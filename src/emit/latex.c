/* LaTeX output: a fragment for a document that loads amsmath.

       \rlap{$\displaystyle G^{(4)}(x_{1},\dots,x_{4}) = {}$} \\
         &\quad K(x_{1},x_{2})\,K(x_{3},x_{4})
            + K(x_{1},x_{3})\,K(x_{2},x_{4}) \\
         &\quad - \lambda \int d^{d}y_{1}\;K(x_{1},y_{1})\,... \\

   One term per source line.  Short terms share a display row while they
   fit (a line continuing the row starts with `+`/`-`); a term too wide for
   a row has rows of its own, broken between its factors (` \\ &\qquad\qquad `
   inside that same line) into rows of about equal length.  With four or
   more points the left-hand side stands on a row of its own (an \rlap at
   the alignment point), so that the terms get the whole width.  Widths are
   estimates of the typeset widths (Computer Modern at 10pt, measured).
   TeX reads a whole align* before typesetting it (twice, to measure it),
   so a long sum is cut into blocks of _LATEX_BLOCK terms that continue one
   another; the whole fragment sits in a group with \allowdisplaybreaks so
   that blocks taller than a page break across pages without touching the
   rest of the user's document.

   With opt->diagrams every term has its own rows and its line carries the
   term's TikZ drawing (` && \begin{tikzpicture}...`, still on the same
   source line); the products are broken earlier to leave it room, and a
   drawing of a term broken over several rows hangs from its first row.
   With opt->standalone the output is a whole article whose pages are
   cropped to their content (\neftpage, tikz.c), each block an aligned. */

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
#define _W_ROW_WIDE 320  /* the same with the left-hand side on a row of its own */
#define _W_INDENT   40   /* \qquad\qquad on a continuation row */
#define _W_K        43   /* K(x_{1},y_{1})\, */
#define _W_MEASURE  21   /* d^{d}y_{1}\, */
#define _W_INT      14   /* \int */
#define _W_DIGIT     5   /* a digit at normal size */
#define _W_SMALL     4   /* a digit in a sub- or superscript */
#define _W_PERMS    85   /* + \text{perms (15 terms)} */
#define _W_PT_CM    28.45 /* points per centimetre */
#define _W_ROW_SKIP 19.0  /* baseline to baseline of two display rows */

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

/* A term is a sequence of pieces that a row break may separate: the
   prefactor with \int (kept with the first measure), the measures d^d y_i,
   the propagators K (a power of parallel ones is one piece), and
   "+ perms".  Piece p of the term is written to out when out != NULL; its
   width estimate is returned either way. */
static slong
_latex_piece(FILE * out, slong p, const neft_diagram_t d, const neft_theory_t th,
             char names[][_NAME_BUF], int first, slong perms, slong * groups, slong ngroups)
{
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    slong i, j, w = 0;
    int neg = fmpq_sgn(d->coeff) < 0, sep = 0;

    if (p == 0)
    {
        w = 18;
        if (out != NULL)
            fputs(first ? (neg ? "-" : "") : (neg ? "- " : "+ "), out);
        neft_diagram_powers(e, d, th->length);
        for (i = 0; i < th->length; i++)
            sep |= (e[i] != 0);
        sep |= (d->nedges != 0);
        if (!fmpz_is_one(fmpq_denref(d->coeff)))
        {
            char * a = fmpz_get_str(NULL, 10, fmpq_numref(d->coeff));
            char * b = fmpz_get_str(NULL, 10, fmpq_denref(d->coeff));
            if (out != NULL)
                fprintf(out, "\\frac{%s}{%s}%s", a + (a[0] == '-'), b, sep ? "\\," : "");
            w += _W_SMALL * (slong) FLINT_MAX(strlen(a), strlen(b)) + 4;
            flint_free(a);
            flint_free(b);
        }
        else if (!fmpz_is_pm1(fmpq_numref(d->coeff)) || !sep)
        {
            char * a = fmpz_get_str(NULL, 10, fmpq_numref(d->coeff));
            if (out != NULL)
                fprintf(out, "%s%s", a + (a[0] == '-'), sep ? "\\," : "");
            w += _W_DIGIT * (slong) strlen(a);
            flint_free(a);
        }
        for (i = 0, j = 0; i < th->length; i++)
        {
            if (e[i] == 0)
                continue;
            if (out != NULL)
                fprintf(out, "%s%s", j == 0 ? "" : "\\,", names[i]);
            j++;
            w += _latex_name_width(names[i]) + 2;
            if (e[i] > 1)
            {
                if (out != NULL)
                    fprintf(out, "^{%ld}", (long) e[i]);
                w += _W_SMALL * _digits(e[i]);
            }
        }
        if (d->m > 0)
        {
            if (out != NULL)
                fputs(j > 0 ? " \\int " : "\\int ", out);
            w += _W_INT;
        }
        else if (j > 0 && d->nedges > 0 && out != NULL)
            fputs("\\,", out);
        return w;
    }
    if (p <= d->m)
    {
        /* a position weight |y_p|^k after its measure; after the last point
           of a non-local vertex its weight function w(y_h, .., y_p) = 1 */
        const neft_coupling_struct * cp = th->couplings + d->type[p - 1];
        slong extra = 0, h = d->tie != NULL ? d->tie[p - 1] : p - 1, q;
        int last = d->tie != NULL && cp->npoints > 1 && p - 1 == h + cp->npoints - 1;
        if (out != NULL)
        {
            fprintf(out, "d^{d}y_{%ld}", (long) p);
            if (cp->position > 0)
                fprintf(out, "\\, |y_{%ld}|^{%ld}", (long) p, (long) cp->position);
            if (last)
            {
                fputs("\\, w(", out);
                for (q = h; q < p; q++)
                    fprintf(out, "%sy_{%ld}", q == h ? "" : ",", (long) (q + 1));
                fputc(')', out);
            }
            fputs(p < d->m ? "\\, " : "\\;", out);
        }
        if (cp->position > 0)
            extra += 20;
        if (last)
            extra += 12 * cp->npoints;
        return _W_MEASURE + _W_SMALL * (_digits(p) - 1) + extra;
    }
    if (p <= d->m + ngroups)
    {
        slong g = p - d->m - 1, u = d->edges[2 * groups[g]], v = d->edges[2 * groups[g] + 1];
        slong k = groups[g + 1] - groups[g];
        if (out != NULL)
        {
            fputs("K(", out);
            _latex_vertex(out, u, d->n);
            fputc(',', out);
            _latex_vertex(out, v, d->n);
            fputc(')', out);
            if (k > 1)
                fprintf(out, "^{%ld}", (long) k);
        }
        return _W_K + _W_SMALL * (_digits(u < d->n ? u + 1 : u - d->n + 1)
                                  + _digits(v < d->n ? v + 1 : v - d->n + 1) - 2)
               + (k > 1 ? _W_SMALL * _digits(k) + 2 : 0);
    }
    if (out != NULL)
        fprintf(out, "+ \\text{perms (%ld terms)}", (long) perms);
    (void) perms;
    return _W_PERMS;
}

/* Rows of a term: brk[p] = 1 when a new row starts at piece p.  Greedy
   filling with a cap, the smallest cap (in 5pt steps) that needs no more
   rows than filling up to room does, so that the rows come out about
   equally long instead of a full row and a lone last factor.  A row never
   starts with a measure other than the first, nor between the prefactor
   and the first measure. */
static slong
_latex_rows(int * brk, const slong * w, slong np, slong m, slong room)
{
    slong cap, rows = 0, best_rows = -1, p;

    for (cap = room; ; cap = (cap == room) ? 60 : cap + 5)
    {
        slong cur = 0;
        rows = 1;
        for (p = 0; p < np; p++)
        {
            int may = (p > m) && cur > 0;
            brk[p] = 0;
            if (may && cur + w[p] > cap)
            {
                brk[p] = 1;
                rows++;
                cur = _W_INDENT;
            }
            cur += w[p];
        }
        if (best_rows < 0)
            best_rows = rows;     /* the first pass, at room */
        else if (rows <= best_rows || cap >= room)
            break;
        if (best_rows == 1)
            break;
    }
    return rows;
}

/* The parallel-edge groups of d: groups[g] is the first edge of group g,
   groups[ng] = nedges.  Returns ng. */
static slong
_latex_groups(slong * groups, const neft_diagram_t d)
{
    slong ng = 0, i, j;

    for (i = 0; i < d->nedges; i = j)
    {
        for (j = i + 1; j < d->nedges && d->edges[2 * j] == d->edges[2 * i]
             && d->edges[2 * j + 1] == d->edges[2 * i + 1]; j++)
            ;
        groups[ng++] = i;
    }
    groups[ng] = d->nedges;
    return ng;
}

/* The estimated width of a whole term on one row. */
static slong
_latex_term_width(const neft_diagram_t d, const neft_theory_t th, char names[][_NAME_BUF],
                  int first, slong perms)
{
    slong groups[NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX + 1];
    slong ng = _latex_groups(groups, d), np = 1 + d->m + ng + (perms > 1), p, w = 0;

    for (p = 0; p < np; p++)
        w += _latex_piece(NULL, p, d, th, names, first, perms, groups, ng);
    return w;
}

/* One term: the sign is written as an operator between terms, or only when
   negative for the first term; a magnitude of 1 is left out unless it is
   all there is.  A term wider than room is broken over display rows
   (` \\ &\qquad\qquad `, on the same source line) between its factors. */
static void
_latex_term(FILE * out, const neft_diagram_t d, const neft_theory_t th,
            char names[][_NAME_BUF], int first, slong perms, slong room,
            const double * xy, double unit, double pic_h)
{
    slong groups[NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX + 1];
    slong * w;
    int * brk;
    slong ng, np, p, rows;
    int pic_done = 0;

    /* Sorted edges: parallel edges are adjacent and become one power. */
    ng = _latex_groups(groups, d);
    np = 1 + d->m + ng + (perms > 1);
    w = flint_malloc(sizeof(slong) * np);
    brk = flint_malloc(sizeof(int) * np);
    for (p = 0; p < np; p++)
        w[p] = _latex_piece(NULL, p, d, th, names, first, perms, groups, ng);
    rows = _latex_rows(brk, w, np, d->m, room);
    for (p = 0; p < np; p++)
    {
        if (brk[p] && xy != NULL && !pic_done)
        {
            /* The drawing hangs from the term's first row over the next
               ones (in a box of no height or depth: it takes no room of its own there). */
            fputs(" && \\raisebox{0pt}[0pt][0pt]{", out);
            _neft_emit_tikz_picture(out, d, th, xy, unit, " ", 1);
            fputc('}', out);
            pic_done = 1;
        }
        if (brk[p])
            fputs(" \\\\ &\\qquad\\qquad ", out);
        else if (p > d->m + 1 && p <= d->m + ng)
            fputs("\\,", out);
        else if (p == d->m + ng + 1)
            fputc(' ', out);
        _latex_piece(out, p, d, th, names, first, perms, groups, ng);
    }
    if (xy != NULL && !pic_done)
    {
        fputs(" && ", out);
        _neft_emit_tikz_picture(out, d, th, xy, unit, " ", 0);
    }
    else if (xy != NULL)
    {
        /* Room under the last row for the rest of the hanging drawing: it
           starts 1.8ex (7.8pt) above the first baseline, rows are about
           _W_ROW_SKIP apart. */
        double depth = pic_h - 7.8 - (rows - 1) * _W_ROW_SKIP + 3;
        if (depth > 0)
            fprintf(out, "\\rule[-%.1fpt]{0pt}{%.1fpt}", depth, depth);
    }
    flint_free(w);
    flint_free(brk);
}

int
neft_emit_latex(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt)
{
    const neft_theory_struct * th = ex->theory;
    char names[NEFT_THEORY_COUPLINGS_MAX][_NAME_BUF];
    slong * rep = NULL, * count = NULL;
    slong i, shown, done;
    int status = 0;
    double unit = 0.5 * (opt->size > 0 ? opt->size : NEFT_EMIT_SIZE_BESIDE);
    int wide = (ex->n >= 4);
    slong room = wide ? _W_ROW_WIDE : _W_ROW, row_w = 0;
    /* --standalone: each block is an aligned in a page of its own, cropped
       (\neftpage); otherwise align* blocks in a group. */
    const char * open = opt->standalone ? "\\neftpage{$\\displaystyle\\begin{aligned}\n"
                                        : "\\begin{align*}\n";
    const char * close = opt->standalone ? "\\end{aligned}$}\n" : "\\end{align*}\n";

    for (i = 0; i < th->length; i++)
        neft_emit_coupling_latex(names[i], _NAME_BUF, th->couplings[i].name);

    shown = _neft_emit_groups(&rep, &count, ex, opt);
    if (shown == 0)
        wide = 0, room = _W_ROW;

    _neft_emit_latex_head(out, ex, shown, rep != NULL);
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
    /* An empty sum stays off the term lines (those that start with `&`).  A
       long left-hand side stands on a row of its own (a zero-width \rlap
       at the alignment point), so that the terms below get the width of
       the page. */
    if (wide)
        fputs("\\rlap{$\\displaystyle ", out);
    _latex_lhs(out, ex->n);
    fputs(shown == 0 ? " &= 0\n" : wide ? " = {}$} \\\\\n" : "\n", out);

    for (i = done = 0; i < ex->length; i++)
    {
        slong tw;

        if (rep != NULL && rep[i] != i)
            continue;
        /* Without drawings, short terms share a display row while they fit
           (each still on a source line of its own, continuing the row);
           a term too long for a row has its rows to itself. */
        tw = opt->diagrams ? 2 * room : _latex_term_width(ex->terms + i, th, names, done == 0,
                                                           rep != NULL ? count[i] : 0);
        if (done > 0 && done % _LATEX_BLOCK != 0 && row_w + tw <= room)
        {
            fputs("\n     ", out);
            row_w += tw;
            _latex_term(out, ex->terms + i, th, names, 0, rep != NULL ? count[i] : 0,
                        room, NULL, 0, 0);
            done++;
            if (ferror(out))
            {
                status = -1;
                break;
            }
            continue;
        }
        row_w = tw;
        if (done > 0)
        {
            if (done % _LATEX_BLOCK == 0)
            {
                /* A new block continues the sum; the phantom keeps the
                   terms roughly where the first block put them. */
                fputs("\n", out);
                fputs(close, out);
                fputs(open, out);
                if (!wide)
                {
                    fputs("\\phantom{", out);
                    _latex_lhs(out, ex->n);
                    fputs("}\n", out);
                }
            }
            else
                fputs(" \\\\\n", out);
        }
        fputs(done == 0 && !wide ? "  &= " : "  &\\quad ", out);
        if (opt->diagrams)
        {
            double xy[2 * NEFT_DIAGRAM_MAX_VERTICES];
            double pw, ph;

            neft_emit_layout(xy, ex->terms + i);
            _neft_emit_tikz_size(&pw, &ph, xy, ex->terms + i, unit);
            _latex_term(out, ex->terms + i, th, names, done == 0, rep != NULL ? count[i] : 0,
                        FLINT_MAX(room - (slong) (pw * _W_PT_CM) - 16, 150), xy, unit,
                        ph * _W_PT_CM);
        }
        else
            _latex_term(out, ex->terms + i, th, names, done == 0, rep != NULL ? count[i] : 0,
                        room, NULL, 0, 0);
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
