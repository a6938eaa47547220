/* The absolute values of a rule's parameters (order1.h): the inputs of
   _neft_o1_majorant, shared by order1_ball.c and bench/bench_order1_ball.c. */

#include <math.h>
#include "order1.h"

/* cpa[i] = |R->cpath[i]| (T nA), Bta = |R->Bt| ((T + 1) nA^2), gpa = |R->gpath|
   (nA T nA): exact (fabs does not round) */
void
_neft_o1_abs_paths(double * cpa, double * Bta, double * gpa, const _neft_o1_setup * S,
                   const _neft_o1_sums * R)
{
    const slong T = S->T, nA = S->nA;
    slong i;
    for (i = 0; i < T * nA; i++)
        cpa[i] = fabs(R->cpath[i]);
    for (i = 0; i < (T + 1) * nA * nA; i++)
        Bta[i] = fabs(R->Bt[i]);
    for (i = 0; i < nA * T * nA; i++)
        gpa[i] = fabs(R->gpath[i]);
}
