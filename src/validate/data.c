/* The correlators of a sample or exact result as the data of a coupling fit
   (neft_eft_data_t). */

#include <string.h>
#include "validate-internal.h"

void
_neft_validate_data(neft_eft_data_t D, const neft_sample_result_struct * S,
                    const neft_exact_result_struct * E, slong npt, arb_srcptr pts,
                    slong npoints, slong d)
{
    slong i, k, nt = 0, len = S ? S->length : E->length;
    neft_eft_data_init(D);
    for (i = 0; i < len; i++)
        nt += (S ? S->corr[i].npt : E->corr[i].npt) == npt;
    D->d_in = d;
    D->npoints = npoints;
    D->points = _arb_vec_init(npoints * d);
    _arb_vec_set(D->points, pts, npoints * d);
    D->npt = npt;
    D->ntuples = nt;
    D->idx = flint_malloc(sizeof(slong) * (nt * npt + 1));
    D->value = _arb_vec_init(nt);
    D->err = _arb_vec_init(nt);
    D->has_err = S != NULL;
    for (i = 0, k = 0; i < len; i++)
    {
        if ((S ? S->corr[i].npt : E->corr[i].npt) != npt)
            continue;
        memcpy(D->idx + k * npt, S ? S->corr[i].idx : E->corr[i].idx, sizeof(slong) * npt);
        if (S)
        {
            arb_set_d(D->value + k, S->corr[i].connected.mean);
            arb_set_d(D->err + k, S->corr[i].connected.stderr_);
        }
        else
            arb_set(D->value + k, E->corr[i].connected);
        k++;
    }
}
