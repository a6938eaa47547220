/* The GP kernel of a fit, chosen by the activation's row (neft/act.h): the
   one place where eft and validate turn an activation into a kernel. */

#include "neft/act.h"
#include "neft/eft.h"

int
neft_eft_kernel_set(neft_kernel_t K, const char * act, const arb_t param, slong d_in,
                    const arb_t sw, const arb_t sb, slong prec, char * err, size_t errlen)
{
    neft_act_srcptr row = neft_act_lookup(act);
    const char * why = "";
    int st;

    if (row == NULL)
    {
        snprintf(err, errlen, "unknown activation '%s' (expected one of %s)", act,
                 neft_act_names());
        return NEFT_BAD_INPUT;
    }
    st = neft_kernel_set_act(K, row, param, d_in, sw, sb, &why, prec);
    if (st != NEFT_SUCCESS)
        snprintf(err, errlen, "%s", why);
    return st;
}
