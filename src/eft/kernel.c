/* The GP kernel of a fit, chosen by the activation's row (neft/act.h): the
   one place where eft and validate turn an activation into a kernel. */

#include "neft/act.h"
#include "neft/eft.h"

int
neft_eft_kernel_set(neft_kernel_t K, const char * act, slong d_in, const arb_t sw,
                    const arb_t sb, slong prec, char * err, size_t errlen)
{
    neft_act_srcptr row = neft_act_lookup(act);
    const char * why = "neft/kernel.h has no kernel of that name";
    int type = -1;

    if (row == NULL)
    {
        snprintf(err, errlen, "unknown activation '%s' (expected one of %s)", act,
                 neft_act_names());
        return NEFT_BAD_INPUT;
    }
    if (neft_act_has(row, NEFT_ACT_CAP_GP_KERNEL, &why))
        type = neft_kernel_lookup(row->name);
    if (type < 0)
    {
        snprintf(err, errlen, "%s", why);
        return NEFT_UNSUPPORTED;
    }
    neft_kernel_set_params(K, type, d_in, sw, sb, prec);
    return NEFT_SUCCESS;
}
