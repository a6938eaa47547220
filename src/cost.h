/* Private to the library: the unit of the cost estimates (neft_*_cost).
 *
 * One operation is about one double multiply-add.  Ball arithmetic and the
 * elementary functions count as many operations as they take time compared
 * with that, measured with Arb 2.23 on the reference machine (an AMD EPYC
 * core, docs/commands.md): at 64 bits an arb_mul is ~20 ns, arb_exp ~130 ns,
 * acb_tanh ~1.4 us, acb_hypgeom_erf ~5.7 us; the formulas below follow the
 * measured growth with the precision (up to 4096 bits) and stay above it. */
#ifndef NEFT_COST_H
#define NEFT_COST_H

#include <flint/flint.h>

/* arb_add, arb_mul and the like */
static inline double
_neft_cost_arb(slong prec)
{
    return 30.0 + (double) prec / 8;
}

/* exp, log, sin, cos, atan of a ball */
static inline double
_neft_cost_exp(slong prec)
{
    return 100.0 + 1.5 * (double) prec + (double) prec * (double) prec / 400;
}

/* tanh (and the logistic functions) of a complex ball */
static inline double
_neft_cost_tanh(slong prec)
{
    return 1000.0 + 6.0 * (double) prec + (double) prec * (double) prec / 200;
}

/* erf (and erfc) of a complex ball */
static inline double
_neft_cost_erf(slong prec)
{
    return 3000.0 + 20.0 * (double) prec + (double) prec * (double) prec / 40;
}

#endif
