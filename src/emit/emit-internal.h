/* Private to src/emit/: pieces shared by the emitters. */
#ifndef NEFT_EMIT_INTERNAL_H
#define NEFT_EMIT_INTERNAL_H

#include <stdio.h>
#include "neft/emit.h"

/* The tikzpicture of d at coordinates xy (from neft_emit_layout), unit cm a
   layout unit; sep ("\n" or " ") between drawing commands, none after the
   final \end{tikzpicture}. */
void _neft_emit_tikz_picture(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                             const double * xy, double unit, const char * sep);

/* Width of that picture in layout units, labels and loops included (roughly). */
double _neft_emit_tikz_width(const double * xy, const neft_diagram_t d);

/* A comment line "% vertices: lambda = circle, ..." saying which marker
   shape stands for which coupling. */
void _neft_emit_tikz_legend(FILE * out, const neft_theory_t th);

/* Sign, magnitude (1 left out when a coupling follows) and couplings of a
   term, in LaTeX math. */
void _neft_emit_latex_prefactor(FILE * out, const neft_diagram_t d, const neft_theory_t th);

/* With opt->group: *rep and *count as neft_expansion_group fills them
   (flint_malloc'ed, free with flint_free), else both NULL.  Returns the
   number of terms to print (the representatives, or all). */
slong _neft_emit_groups(slong ** rep, slong ** count, const neft_expansion_t ex,
                        const neft_emit_opt_t opt);

/* The text of a LaTeX comment line: TeX ignores the rest of the line, but a
   control byte would still end or garble it, so those become blanks. */
void _neft_emit_latex_comment(FILE * out, const char * s);

/* The streaming parts of the text and JSON writers (stream.c dispatches). */
void _neft_emit_text_header(FILE * out, const neft_expansion_t ex, slong shown, int grouped);
void _neft_emit_text_count(FILE * out, slong length, slong shown, int grouped);
void _neft_emit_text_term(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                          char names[][4 * NEFT_THEORY_NAME_MAX + 16]);
void _neft_emit_json_header(FILE * out, const neft_expansion_t ex);
void _neft_emit_json_term(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                          slong multiplicity);

#endif
