/* neft/theory.h -- an interacting theory S = S_GP + sum_c w_c g_c \int f^{k_c},
 * read from a rules file (format: docs/rules.md). */
#ifndef NEFT_THEORY_H
#define NEFT_THEORY_H

#include <stddef.h>
#include <flint/flint.h>
#include <flint/fmpq.h>
#include "neft/prune.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest accepted coupling name and largest number of legs. */
#define NEFT_THEORY_NAME_MAX 63
#define NEFT_THEORY_LEGS_MAX 32
#define NEFT_THEORY_COUPLINGS_MAX 16

/* One coupling g with k legs and exact weight w: S contains +w * g * \int f^k. */
typedef struct
{
    char * name;     /* identifier [A-Za-z][A-Za-z0-9_]* */
    slong legs;      /* k >= 1 */
    fmpq_t weight;   /* w != 0 */
}
neft_coupling_struct;

typedef struct
{
    char * name;                       /* from the `name` statement, or NULL */
    slong length;                      /* number of couplings */
    neft_coupling_struct couplings[NEFT_THEORY_COUPLINGS_MAX];
    unsigned prune;                    /* NEFT_PRUNE_* mask from `prune` lines */
}
neft_theory_struct;

typedef neft_theory_struct neft_theory_t[1];

void neft_theory_init(neft_theory_t th);
void neft_theory_clear(neft_theory_t th);

/* Deep copy (dst may be freshly initialised). */
void neft_theory_set(neft_theory_t dst, const neft_theory_t src);

/* Appends a coupling.  Returns its index, or -1 (and changes nothing) when the
   name is invalid or taken, legs is out of 1..NEFT_THEORY_LEGS_MAX, weight is
   zero, or the theory is full. */
slong neft_theory_add_coupling(neft_theory_t th, const char * name, slong legs,
                               const fmpq_t weight);

/* Index of the coupling called name, or -1. */
slong neft_theory_find(const neft_theory_t th, const char * name);

/* Parses rules text.  `source` names it in messages.  On success returns 0
   and th holds exactly what the text says (th is reset first).  On error
   returns NEFT_BAD_INPUT (neft/status.h) and writes one
   line "SOURCE:LINE: what was expected" (no trailing newline) into err;
   th is then left empty but valid. */
int neft_theory_read_string(neft_theory_t th, const char * text,
                            const char * source, char * err, size_t errsize);

/* The same for a file; an unreadable path, a directory or a file with NUL
   bytes gives "PATH: reason" and NEFT_BAD_INPUT. */
int neft_theory_read_file(neft_theory_t th, const char * path,
                          char * err, size_t errsize);

/* The built-in default theory: the single-layer NGP theory of
   Halverson-Maiti-Stoner (lambda f^4 + kappa f^6, weight 1, prune vacuum,
   two-point-component), identical to rules/single-layer.rules. */
extern const char neft_theory_default_text[];

#ifdef __cplusplus
}
#endif
#endif
