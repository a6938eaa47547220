/* Private to src/emit/: pieces shared by the LaTeX and TikZ emitters. */
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

#endif
