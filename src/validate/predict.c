/* The stage of one cutoff's prediction: the 6-point function at first order
   with the fitted lambda (kappa = 0, HMS eq. 3.19) against the sampled and
   exact G6, and the GP alone. */

#include <math.h>
#include "neft/interrupt.h"
#include "validate-internal.h"

int
neft_validate_predict(neft_validate_result_t R, const neft_validate_spec_t spec, slong c,
                      char * err, size_t errlen)
{
    neft_validate_cutoff_struct * U;
    const neft_validate_width_struct * X;
    neft_eft_ratio_t q[6];
    neft_eval_result_t r;
    slong i, t, d = spec->net->d_in;
    arb_ptr sel;
    arb_t a, b;
    int st = NEFT_SUCCESS;

    if (!_neft_validate_cutoff_ready(R, c, err, errlen))
        return NEFT_BAD_INPUT;
    U = R->cuts + c;
    X = R->widths + R->fw;
    arf_set_d(R->ctx->cutoff, U->L);    /* the cache of the fit stays (same cutoff) */
    _arb_vec_zero(R->ctx->g, 2);
    for (i = 0; i < 6; i++)
        neft_eft_ratio_init(q[i]);
    neft_eval_result_init(r);
    arb_init(a);
    arb_init(b);
    sel = _arb_vec_init(6 * d);
    for (i = 0; i < X->S->length; i++)
    {
        const neft_sample_corr_struct * qs = X->S->corr + i;
        double gp, eft, eft_err;
        if (qs->npt != 6)
            continue;
        for (t = 0; t < 6; t++)
            _arb_vec_set(sel + t * d, R->pts + qs->idx[t] * d, d);
        arb_set(R->ctx->g + 0, U->lam_s);
        /* at kappa = 0 its vertex adds an exact 0: ex6p leaves its integrals out */
        if (neft_eval(r, R->ex6p, sel, R->ctx, err, errlen) >= NEFT_INTEGRATE_UNSUPPORTED)
        {
            st = neft_interrupted() ? _neft_validate_stopped_cutoff(spec, U->L, err, errlen)
                                    : NEFT_FAILURE;
            break;
        }
        eft = _neft_validate_mid(r->value);
        _neft_validate_gp(a, qs->idx, 6, R->pts, d, R->K, spec->prec);
        gp = _neft_validate_mid(a);
        /* G6_EFT = G6_GP + lambda I: its error from lambda's */
        eft_err = _neft_validate_mid(U->lam_s) != 0
                ? fabs(eft - gp) * U->lam_s_err / fabs(_neft_validate_mid(U->lam_s)) : INFINITY;
        arb_set_d(b, qs->full.mean);
        neft_eft_ratio_add(q[0], gp, 0, b, qs->full.stderr_);
        neft_eft_ratio_add(q[1], eft, eft_err, b, qs->full.stderr_);
        arb_set_d(b, qs->full.stderr_);
        neft_eft_ratio_add(q[2], fabs(gp - qs->full.mean), 0, b, 0);
        neft_eft_ratio_add(q[3], fabs(eft - qs->full.mean), 0, b, 0);
        if (X->have_exact)
        {
            neft_eft_ratio_add(q[4], gp, 0, X->E->corr[i].full, 0);
            neft_eft_ratio_add(q[5], eft, eft_err, X->E->corr[i].full, 0);
        }
    }
    _arb_vec_clear(sel, 6 * d);
    arb_clear(a);
    arb_clear(b);
    neft_eval_result_clear(r);
    if (st != NEFT_SUCCESS)
        return st;
    _neft_validate_num_ratio(&U->r_gp, q[0], 1);
    _neft_validate_num_ratio(&U->r_eft, q[1], 1);
    _neft_validate_num_ratio(&U->d_gp, q[2], 0);
    _neft_validate_num_ratio(&U->d_eft, q[3], 0);
    if (X->have_exact)
    {
        _neft_validate_num_ratio(&U->re_gp, q[4], 1);
        _neft_validate_num_ratio(&U->re_eft, q[5], 1);
    }
    else
    {
        _neft_validate_num_na(&U->re_gp, "no exact correlators");
        _neft_validate_num_na(&U->re_eft, "no exact correlators");
    }
    /* O(1/N^2): kappa with the lambda^2 exchange, the misses across the widths */
    return _neft_validate_order2(R, spec, c, err, errlen);
}
