/* Evaluators of the rows of the activation table (src/act/table.c). */
#ifndef NEFT_ACT_INTERNAL_H
#define NEFT_ACT_INTERNAL_H

#include "neft/act.h"

#define NEFT_ACT_EVALS(name) \
    void _neft_act_##name##_d(double * y, const double * z, slong n, const double * par); \
    int _neft_act_##name##_acb(acb_t res, const acb_t z, arb_srcptr par, slong deriv, \
                               int analytic, slong prec);

NEFT_ACT_EVALS(relu)
NEFT_ACT_EVALS(leaky)
NEFT_ACT_EVALS(linear)
NEFT_ACT_EVALS(tanh)
NEFT_ACT_EVALS(erf)
NEFT_ACT_EVALS(gelu)
NEFT_ACT_EVALS(silu)
NEFT_ACT_EVALS(sigmoid)
NEFT_ACT_EVALS(sin)
NEFT_ACT_EVALS(gauss)

#undef NEFT_ACT_EVALS

#endif
