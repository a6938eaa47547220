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

/* Most points of one non-local vertex, largest position-weight power. */
#define NEFT_THEORY_POINTS_MAX 4
#define NEFT_THEORY_POSITION_MAX 16

/* One coupling g with k legs and exact weight w: S contains +w * g * \int f^k.
   A position-weighted coupling (position = p > 0) contains
   +w * g * \int |y|^p f(y)^k; a non-local one (npoints = P >= 2) joins P
   internal points, point j with point_legs[j] legs (k their sum):
   +w * g * \int..\int f(y_1)^{k_1} .. f(y_P)^{k_P}, with the weight
   function w(y_1..y_P) = 1 (docs/rules.md).  Local couplings have npoints 1
   and point_legs[0] = legs. */
typedef struct
{
    char * name;     /* identifier [A-Za-z][A-Za-z0-9_]* */
    slong legs;      /* k >= 1 (for a non-local coupling: the sum over its points) */
    fmpq_t weight;   /* w != 0 */
    slong npoints;   /* 1: local; 2..NEFT_THEORY_POINTS_MAX: non-local */
    slong point_legs[NEFT_THEORY_POINTS_MAX];
    slong position;  /* p in |y|^p, 0 (none) .. NEFT_THEORY_POSITION_MAX; local only */
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

/* Makes coupling c non-local with npoints points of legs[0..npoints-1] legs
   (each >= 1, sum = its legs), or, with npoints = 1, local again.  Returns 0,
   or -1 (and changes nothing) for a bad request (also: c has a position
   weight). */
int neft_theory_set_points(neft_theory_t th, slong c, slong npoints, const slong * legs);

/* Gives local coupling c the position weight |y|^p (0 <= p <=
   NEFT_THEORY_POSITION_MAX; 0: none).  Returns 0, or -1 (changes nothing). */
int neft_theory_set_position(neft_theory_t th, slong c, slong p);

/* 1 if some coupling of th is non-local (npoints > 1). */
int neft_theory_has_nonlocal(const neft_theory_t th);

/* dst = th with every non-local coupling made local (same index, name,
   weight and total legs): the theory the generator expands before it splits
   each vertex into its points (docs/generator.md). */
void neft_theory_fuse(neft_theory_t dst, const neft_theory_t th);

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

/* The nn-qft three-operator quartic theory (lambda f^4, lambda2 |y|^2 f^4,
   lambdaNL f(y)^2 f(z)^2, weight 1, prune vacuum, two-point-component),
   identical to rules/nnqft-three-operator.rules. */
extern const char neft_theory_three_operator_text[];

#ifdef __cplusplus
}
#endif
#endif
