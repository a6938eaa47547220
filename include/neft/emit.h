/* neft/emit.h -- writing expansions as text, JSON (the schema of
 * docs/formats.md), LaTeX and TikZ drawings, and the layout of a diagram. */
#ifndef NEFT_EMIT_H
#define NEFT_EMIT_H

#include <stdio.h>
#include "neft/expand.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NEFT_EMIT_TEXT  0
#define NEFT_EMIT_JSON  1
#define NEFT_EMIT_LATEX 2
#define NEFT_EMIT_TIKZ  3
#define NEFT_EMIT_SVG   4

/* Options: grouping by external permutations (see neft_expansion_group);
   diagrams: LaTeX with each term's TikZ drawing beside it; standalone: LaTeX
   and TikZ output as a whole document rather than a fragment (cropped to
   its content); size: the diameter in cm of the circle of external points
   in a drawing, 0 for the default of the format (NEFT_EMIT_SIZE_*). */
#define NEFT_EMIT_SIZE_PICTURE 2.4   /* tikz, svg */
#define NEFT_EMIT_SIZE_BESIDE  2.0   /* latex --diagrams, beside each term */
typedef struct
{
    int group;
    int diagrams;
    int standalone;
    double size;
}
neft_emit_opt_struct;
typedef neft_emit_opt_struct neft_emit_opt_t[1];

void neft_emit_opt_init(neft_emit_opt_t opt);

/* Parses "text", "json", "latex", "tikz", "svg"; returns the NEFT_EMIT_* value or -1. */
int neft_emit_format_lookup(const char * name);

/* Writes ex to out in the given format.  Returns 0, or -1 on a write error. */
int neft_emit(FILE * out, const neft_expansion_t ex, int format, const neft_emit_opt_t opt);

int neft_emit_text(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt);
int neft_emit_json(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt);
int neft_emit_latex(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt);
int neft_emit_tikz(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt);
int neft_emit_svg(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt);

/* Streaming output (neft_expand_stream): the header, then the terms one at
   a time as they are generated, then the end, in text or JSON -- the same
   bytes as neft_emit would write for an expansion holding the same terms in
   the same order, except that the text's "# N terms" line (and "# (no
   terms ...)") comes last, when N is known.  Grouping (opt->group) needs the whole list and LaTeX and
   TikZ are held: those are refused (init returns -1).  The writers return
   0, or -1 on a write error (the stream stays failed). */
typedef struct
{
    FILE * out;
    int format;
    slong written;
    char names[NEFT_THEORY_COUPLINGS_MAX][4 * NEFT_THEORY_NAME_MAX + 16];
}
neft_emit_stream_struct;
typedef neft_emit_stream_struct neft_emit_stream_t[1];

int neft_emit_stream_init(neft_emit_stream_t s, FILE * out, int format,
                          const neft_emit_opt_t opt);
/* ex: the header fields (ex->length is not used). */
int neft_emit_stream_begin(neft_emit_stream_t s, const neft_expansion_t ex);
int neft_emit_stream_term(neft_emit_stream_t s, const neft_expansion_t ex,
                          const neft_diagram_t d);
int neft_emit_stream_end(neft_emit_stream_t s, const neft_expansion_t ex);

/* Drawing coordinates of d: xy[2v], xy[2v+1] for vertex id v (externals
   0..n-1, then internals), xy of length 2(n+m).  Deterministic.  The
   external points lie on the unit circle, those of one connected component
   on one arc, arcs of different components disjoint; internal vertices of a
   component with external points lie inside the circle (radius <= 0.9),
   placed by stress majorisation; components without external points are
   set in a row at x > 1 (from x = 0 when n = 0). */
void neft_emit_layout(double * xy, const neft_diagram_t d);

/* One tikzpicture of d at the coordinates of neft_emit_layout, unit cm per
   layout unit, plain TikZ (compiles with pdflatex and \usepackage{tikz}).
   Returns 0, or -1 on a write error. */
int neft_emit_tikz_diagram(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                           double unit);

/* The same drawing as one self-contained SVG document (1 user unit = 1pt).
   Returns 0, or -1 on a write error. */
int neft_emit_svg_diagram(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                          double unit);

/* Writes one term as a line of neft_emit_text would show it, without the
   newline ("- 24 λ ∫ d^d y1 K(x1,y1) ..."). */
void neft_emit_term_text(FILE * out, const neft_diagram_t d, const neft_theory_t th);

/* How a coupling name is shown: Greek letter names become the letter
   (lambda -> "λ" in text, "\lambda" in LaTeX), trailing digits a subscript in
   LaTeX (g3 -> "g_{3}").  Writes into buf (snprintf semantics). */
int neft_emit_coupling_text(char * buf, size_t size, const char * name);
int neft_emit_coupling_latex(char * buf, size_t size, const char * name);

#ifdef __cplusplus
}
#endif
#endif
