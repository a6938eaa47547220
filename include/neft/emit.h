/* neft/emit.h -- writing expansions as text, JSON (the schema of
 * docs/formats.md) and LaTeX. */
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

/* Options: grouping by external permutations (see neft_expansion_group). */
typedef struct
{
    int group;
}
neft_emit_opt_struct;
typedef neft_emit_opt_struct neft_emit_opt_t[1];

void neft_emit_opt_init(neft_emit_opt_t opt);

/* Parses "text", "json", "latex"; returns the NEFT_EMIT_* value or -1. */
int neft_emit_format_lookup(const char * name);

/* Writes ex to out in the given format.  Returns 0, or -1 on a write error. */
int neft_emit(FILE * out, const neft_expansion_t ex, int format, const neft_emit_opt_t opt);

int neft_emit_text(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt);
int neft_emit_json(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt);
int neft_emit_latex(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt);

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
