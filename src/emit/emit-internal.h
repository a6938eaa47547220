/* Private to src/emit/: pieces shared by the emitters. */
#ifndef NEFT_EMIT_INTERNAL_H
#define NEFT_EMIT_INTERNAL_H

#include <stdio.h>
#include "neft/emit.h"

/* What is drawn for one diagram, in centimetres (y up): the geometry that
   the TikZ and SVG writers share, so that they draw the same picture and a
   test can measure it.  Fixed sizes (dots, markers, labels) are in points
   whatever the scale, so that a small drawing stays legible. */
#define _NEFT_EMIT_PT (2.54 / 72.27)          /* one TeX point in cm */
#define _NEFT_EMIT_DOT (1.2 * _NEFT_EMIT_PT)  /* radius of an external point's dot */
#define _NEFT_EMIT_MARK (2.2 * _NEFT_EMIT_PT) /* half size of an internal vertex marker */
#define _NEFT_EMIT_FONT 7.0                   /* label size in pt (\scriptsize at 10pt) */
#define _NEFT_EMIT_MAX_CURVES (NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX / 2 + 1)

typedef struct
{
    double p[8];   /* cubic Bezier: start, control 1, control 2, end (cm) */
    int straight;  /* 1: the segment from start to end */
    slong u, w;    /* its vertices (u == w: a self-loop) */
}
_neft_emit_curve_struct;

typedef struct
{
    slong n, N;                                      /* external points, vertices */
    double xy[2 * NEFT_DIAGRAM_MAX_VERTICES];        /* vertex centres */
    double label[2 * NEFT_DIAGRAM_MAX_VERTICES];     /* centre of x_i's label */
    double label_hw[NEFT_DIAGRAM_MAX_VERTICES];      /* its half width */
    double label_hh;                                 /* half height of a label */
    slong ncurves;
    _neft_emit_curve_struct curve[_NEFT_EMIT_MAX_CURVES];
    double lo[2], hi[2];                             /* bounding box of the ink */
}
_neft_emit_scene_struct;

/* The scene of d at layout coordinates xy (neft_emit_layout), unit cm a
   layout unit.  Deterministic.  Parallel propagators are curves spread
   symmetrically about the straight line (the middle one straight when
   their number is odd), self-loops teardrops of a size in points that
   share the widest free angle at their vertex, labels of the external
   points outside their dot away from the centre, vacuum components in a
   row right of the rest. */
void _neft_emit_scene(_neft_emit_scene_struct * s, const neft_diagram_t d, const double * xy,
                      double unit);

/* Size estimate of a label x_i at _NEFT_EMIT_FONT: half width, half height (cm). */
double _neft_emit_label_hw(slong i);

/* The tikzpicture of d at coordinates xy (from neft_emit_layout), unit cm a
   layout unit; sep ("\n" or " ") between drawing commands, none after the
   final \end{tikzpicture}.  The baseline is the picture's middle, or with
   hang its top (less 1.8ex), for a picture hanging down from a text row. */
void _neft_emit_tikz_picture(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                             const double * xy, double unit, const char * sep, int hang);

/* Width and height in cm of that picture at unit cm a layout unit, labels
   and loops included. */
void _neft_emit_tikz_size(double * w, double * h, const double * xy, const neft_diagram_t d,
                          double unit);

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

/* The preamble lines of a --standalone document that define \neftpage{..}:
   its argument typeset in a box and shipped out as a page of exactly that
   size (plus a 2pt margin), so that the PDF is cropped to the picture with
   no package beyond what pdflatex has built in. */
void _neft_emit_crop_preamble(FILE * out);

/* The streaming parts of the text and JSON writers (stream.c dispatches). */
void _neft_emit_text_header(FILE * out, const neft_expansion_t ex, slong shown, int grouped);
void _neft_emit_text_count(FILE * out, slong length, slong shown, int grouped);
void _neft_emit_text_term(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                          char names[][4 * NEFT_THEORY_NAME_MAX + 16]);
void _neft_emit_json_header(FILE * out, const neft_expansion_t ex);
void _neft_emit_json_term(FILE * out, const neft_diagram_t d, const neft_theory_t th,
                          slong multiplicity);

#endif
