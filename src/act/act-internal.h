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
NEFT_ACT_EVALS(softplus)

#undef NEFT_ACT_EVALS

/* The closed-form GP kernels' methods (src/kernel/k_*.c). */
extern const neft_act_kernel_struct _neft_kernel_relu_methods;
extern const neft_act_kernel_struct _neft_kernel_leaky_methods;
extern const neft_act_kernel_struct _neft_kernel_linear_methods;
extern const neft_act_kernel_struct _neft_kernel_erf_methods;
extern const neft_act_kernel_struct _neft_kernel_sin_methods;
extern const neft_act_kernel_struct _neft_kernel_gauss_methods;

/* Defines _neft_act_NAME_d: y[k] = EXPR of x = z[k] (and par), element by element. */
#define NEFT_ACT_ELEMENTWISE_D(name, expr) \
    void _neft_act_##name##_d(double * y, const double * z, slong n, const double * par) \
    { \
        slong k; \
        (void) par; \
        for (k = 0; k < n; k++) \
        { \
            const double x = z[k]; \
            y[k] = (expr); \
        } \
    }

/* The refusal of a derivative other than 0 and 1: res indeterminate. */
static inline int
_neft_act_unsupported(acb_t res)
{
    acb_indeterminate(res);
    return NEFT_ACT_UNSUPPORTED;
}

#endif
