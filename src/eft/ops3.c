/* The expected running of a coupling: local, position-weighted or non-local
   (docs/eft.md, "Three quartic operators"). */

#include "neft/eft.h"
#include "neft/act.h"

double
neft_eft_expected_slope_coupling(const neft_kernel_t k, const neft_theory_t th, slong c)
{
    const neft_coupling_struct * cp = th->couplings + c;
    int grows;
    double d = (double) k->d;

    /* the vertex integral grows like Lambda^(d per point + p), and like
       |y| per leg more for a homogeneous activation of degree 1 */
    grows = neft_act_has(k->act, NEFT_ACT_CAP_HOMOGENEOUS, NULL) && k->act->degree == 1;
    return -(d * (double) cp->npoints + (double) cp->position
             + (grows ? (double) cp->legs : 0.0));
}
