/* The stage of one width: samples, exact correlators, the deviations from
   the Gaussian process and the connected checks. */

#include <math.h>
#include "neft/interrupt.h"
#include "validate-internal.h"

/* deviations from GP (full correlators) and the connected 6-point check; a
   ratio whose denominator may be 0 is n/a (docs/cmd-validate.md) */
static void
_deviations(neft_validate_width_struct * X, const neft_validate_result_t R,
            const neft_validate_spec_t spec)
{
    neft_eft_ratio_t qd[2], qb[2], qc, qp;
    slong i, d = spec->net->d_in, prec = spec->prec;
    double c4 = 0;
    arb_t a, b;

    arb_init(a);
    arb_init(b);
    neft_eft_ratio_init(qd[0]); neft_eft_ratio_init(qd[1]);
    neft_eft_ratio_init(qb[0]); neft_eft_ratio_init(qb[1]);
    neft_eft_ratio_init(qc); neft_eft_ratio_init(qp);
    for (i = 0; i < X->S->length; i++)
    {
        const neft_sample_corr_struct * q = X->S->corr + i;
        slong k = q->npt == 4 ? 0 : 1;
        if (q->npt < 4)
            continue;
        _neft_validate_gp(a, q->idx, q->npt, R->pts, d, R->K, prec);
        neft_eft_ratio_add(qd[k], fabs(q->full.mean - _neft_validate_mid(a)), q->full.stderr_,
                           a, 0);
        neft_eft_ratio_add(qb[k], q->full.stderr_, 0, a, 0);
        if (k == 0 && X->have_exact && X->E->corr[i].npt == 4)
        {
            double p4 = fabs(q->connected.mean - _neft_validate_mid(X->E->corr[i].connected))
                      / q->connected.stderr_;
            c4 = isnan(c4) || !(p4 <= c4) ? p4 : c4;
        }
        if (k == 1 && X->have_exact && X->E->corr[i].npt == 6)
        {
            const arb_struct * ex = X->E->corr[i].connected;
            /* sampled over exact: noise-dominated ratios are n/a too */
            neft_eft_ratio_add(qc, q->connected.mean, q->connected.stderr_, ex, 0);
            arb_set_d(b, q->connected.stderr_);
            neft_eft_ratio_add(qp, fabs(q->connected.mean - _neft_validate_mid(ex)), 0, b, 0);
        }
    }
    for (i = 0; i < 2; i++)
    {
        _neft_validate_num_ratio(X->dev + i, qd[i], 0);
        _neft_validate_num_ratio(X->bg + i, qb[i], 0);
    }
    if (X->have_exact)
    {
        _neft_validate_num_ratio(&X->c6_ratio, qc, 1);
        _neft_validate_num_ratio(&X->c6_pull, qp, 0);
        _neft_validate_num_set(&X->c4_pull, c4, NAN);
    }
    else
    {
        _neft_validate_num_na(&X->c4_pull, "no exact correlators");
        _neft_validate_num_na(&X->c6_ratio, "no exact correlators");
        _neft_validate_num_na(&X->c6_pull, "no exact correlators");
    }
    arb_clear(a);
    arb_clear(b);
}

int
neft_validate_width(neft_validate_result_t R, const neft_validate_spec_t spec, slong w,
                    char * err, size_t errlen)
{
    neft_validate_width_struct * X;
    int st;

    if (R->widths == NULL || w < 0 || w >= R->nwidths || R->widths[w].width != 0)
    {
        snprintf(err, errlen, "validate: width index %ld not started or done before", (long) w);
        return NEFT_BAD_INPUT;
    }
    X = R->widths + w;
    X->width = spec->widths[w];
    neft_sample_result_init(X->S);
    neft_exact_result_init(X->E);
    st = _neft_validate_sample(X->S, R->ckpt[w], sizeof R->ckpt[w], spec, w, err, errlen);
    if (st == NEFT_INTERRUPTED)
        return _neft_validate_stopped_width(spec, X->width, err, errlen);
    if (st != NEFT_SUCCESS)
        return st;
    st = _neft_validate_exact(X->E, R, spec, X->width, err, errlen);
    X->have_exact = st == NEFT_SUCCESS;
    if (neft_interrupted())
        return _neft_validate_stopped_width(spec, X->width, err, errlen);
    if (st == NEFT_UNSUPPORTED)
    {
        /* not implemented for this case (neft/exact.h): the stage is skipped
           at every width, said once */
        char why[400];
        snprintf(why, sizeof why, "the exact correlators (every width): %s", err);
        _neft_validate_skip(R, spec, "exact", why);
    }
    else if (!X->have_exact)
        _neft_validate_progress(spec, "width %ld: no exact correlators (%s)", (long) X->width,
                                err);
    _deviations(X, R, spec);
    return NEFT_SUCCESS;
}
