/* The action's input from a correlator file of `neft sample` or `neft exact`
   (neft/action.h). */

#include "neft/eft.h"
#include "neft/tuple.h"
#include "action-internal.h"

/* The npt-point values of D into v by the rank of their tuples, widened by
   their standard errors (sampled files). */
static void
_fill(arb_ptr v, const neft_eft_data_t D, slong P, slong prec)
{
    slong i;
    arb_t e;
    arb_init(e);
    for (i = 0; i < D->ntuples; i++)
    {
        slong r = neft_tuple_rank(D->idx + i * D->npt, D->npt, P);
        arb_set(v + r, D->value + i);
        if (D->has_err)
        {
            /* the one-sigma box: [mean - stderr, mean + stderr] */
            arb_get_ubound_arf(arb_midref(e), D->err + i, prec);
            arb_add_error_arf(v + r, arb_midref(e));
        }
    }
    arb_clear(e);
}

int
neft_action_input_read(neft_action_input_t in, int * sampled, const char * path, slong order,
                       slong prec, char * err, size_t errlen)
{
    neft_eft_data_t D[3];
    slong n, P = 0;
    int ok = 1;
    for (n = 0; n < 3; n++)
        neft_eft_data_init(D[n]);
    for (n = 0; n <= order && ok; n++)
        ok = neft_eft_data_read(D[n], path, 2 * n + 2, n > 0, prec, err, errlen);
    if (ok)
    {
        P = D[0]->npoints;
        for (n = 0; n <= order && ok; n++)
            if (D[n]->ntuples != neft_tuple_count(P, 2 * n + 2))
            {
                snprintf(err, errlen, "%s: expected the %ld-point function at all %ld sorted "
                         "tuples of the %ld inputs, found %ld", path, (long) (2 * n + 2),
                         (long) neft_tuple_count(P, 2 * n + 2), (long) P,
                         (long) D[n]->ntuples);
                ok = 0;
            }
        if (ok && (P < 1 || P > NEFT_ACTION_MAX_POINTS))
        {
            snprintf(err, errlen, "%s: the action needs 1 to %d inputs, the file has %ld", path,
                     NEFT_ACTION_MAX_POINTS, (long) P);
            ok = 0;
        }
    }
    if (ok)
    {
        neft_action_input_init(in, P, order >= 2);
        _fill(in->g2, D[0], P, prec);
        _fill(in->g4, D[1], P, prec);
        if (order >= 2)
            _fill(in->g6, D[2], P, prec);
        *sampled = D[0]->has_err;
        in->d_in = D[0]->d_in;
        in->x = flint_malloc(sizeof(double) * P * in->d_in);
        for (n = 0; n < P * in->d_in; n++)
            in->x[n] = arf_get_d(arb_midref(D[0]->points + n), ARF_RND_NEAR);
    }
    for (n = 0; n < 3; n++)
        neft_eft_data_clear(D[n]);
    return ok ? NEFT_SUCCESS : NEFT_BAD_INPUT;
}
