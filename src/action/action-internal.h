/* Internals of the action module: polynomials in P fields over a basis of
   monomials (sorted tuples of degree 0..D, neft/tuple.h order per degree). */
#ifndef NEFT_ACTION_INTERNAL_H
#define NEFT_ACTION_INTERNAL_H

#include "neft/action.h"
#ifdef NEFT_FLINT3
#include <flint/arb_mat.h>
#else
#include <arb_mat.h>
#endif

#define _NEFT_ACTION_MAX_DEG 8

typedef struct
{
    slong P, D, len;
    slong off[_NEFT_ACTION_MAX_DEG + 2];   /* first monomial of each degree */
    slong * up;         /* len * P: the monomial times f_a, or -1 beyond D */
    slong * down;       /* len * P: the monomial / f_a, or -1 when a is absent */
    slong * mult;       /* len * P: the exponent of f_a */
    slong * deg;        /* len */
    slong * tuple;      /* len * D: the sorted tuple of each monomial */
}
_neft_action_basis_struct;
typedef _neft_action_basis_struct _neft_action_basis_t[1];

/* The monomials of degree <= D (<= _NEFT_ACTION_MAX_DEG) in P fields. */
int _neft_action_basis_init(_neft_action_basis_t B, slong P, slong D);
void _neft_action_basis_clear(_neft_action_basis_t B);
/* The index of the monomial of the sorted tuple idx of length k. */
slong _neft_action_basis_rank(const _neft_action_basis_t B, const slong * idx, slong k);

/* out = T_a g = dg/df_a - (M f)_a g (out and g distinct; g of degree < D). */
void _neft_action_T(arb_ptr out, arb_srcptr g, slong a, const _neft_action_basis_t B,
                    const arb_mat_t M, slong prec);
/* out = f g truncated at degree D (out distinct from f and g). */
void _neft_action_mul(arb_ptr out, arb_srcptr f, arb_srcptr g, const _neft_action_basis_t B,
                      slong prec);

#endif
