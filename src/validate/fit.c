/* The stage of one cutoff's fit: lambda fitted to the sampled connected G4
   at the fit width (weighted by its standard errors) and to the exact one
   with the same estimator (docs/eft.md, "One estimator"). */

#include <math.h>
#include <string.h>
#include "neft/interrupt.h"
#include "validate-internal.h"

/* The fit to the exact G4c at the tuples of D, weighted by D's errors. */
static void
_fit_exact(neft_validate_cutoff_struct * U, neft_validate_result_t R,
           const neft_validate_spec_t spec, const neft_eft_data_t D, char * err, size_t errlen)
{
    const neft_validate_width_struct * X = R->widths + R->fw;
    neft_eft_data_t E;
    neft_eft_fit_t f;
    slong lam = 0;

    _neft_validate_data(E, NULL, X->E, 4, R->pts, spec->npoints, spec->net->d_in);
    if (E->ntuples == D->ntuples && memcmp(E->idx, D->idx, sizeof(slong) * D->ntuples * 4) == 0)
    {
        neft_eft_fit_init(f, E->ntuples, 1);
        U->have_e = neft_eft_fit_couplings_weighted(f, R->ex4, &lam, 1, E, D->err, R->ctx,
                                                    err, errlen);
        if (U->have_e)
        {
            arb_set(U->lam_e, f->coeff);
            U->chi2_e = _neft_validate_mid(f->chi2);
            _neft_validate_tuples(&U->tup_e, f, D->err);
        }
        neft_eft_fit_clear(f);
    }
    neft_eft_data_clear(E);
}

/* 1 when the ball x is finite and its radius is below a hundredth of the
   statistical error e or a millionth of its midpoint: the digits printed
   are the fit's, not the integrals' */
static int
_accurate(const arb_t x, double e)
{
    double r = mag_get_d(arb_radref(x)), m = fabs(_neft_validate_mid(x));
    return arb_is_finite(x) && (r <= 0.01 * e || r <= 1e-6 * m);
}

int
neft_validate_fit(neft_validate_result_t R, const neft_validate_spec_t spec, slong c,
                  char * err, size_t errlen)
{
    neft_validate_cutoff_struct * U;
    const neft_validate_width_struct * X;
    neft_eft_data_t D;
    neft_eft_fit_t f;
    slong lam = 0;
    int ok;

    if (!_neft_validate_cutoff_ready(R, c, err, errlen))
        return NEFT_BAD_INPUT;
    U = R->cuts + c;
    X = R->widths + R->fw;
    if (neft_interrupted())
        return _neft_validate_stopped_cutoff(spec, U->L, err, errlen);
    _neft_validate_progress(spec, "cutoff %g (%ld/%ld): fitting lambda, predicting G6, kappa at O(1/N^2)", U->L,
                            (long) c + 1, (long) R->ncutoffs);
    arf_set_d(R->ctx->cutoff, U->L);    /* (the integral cache empties itself) */
    _arb_vec_zero(R->ctx->g, 2);
    /* d_in >= 2: the one-vertex integrals of every tuple of this cutoff at
       once, on every processor (neft_eval_prefill: the patch method's tuples
       shared out; d_in = 1 had them for every cutoff, _neft_validate_prefill) */
    if (spec->net->d_in >= 2
        && neft_eval_prefill(R->ctx, R->ex4, R->pts, spec->npoints) != NEFT_INTEGRATE_INTERRUPTED)
        neft_eval_prefill(R->ctx, R->ex6p, R->pts, spec->npoints);
    if (neft_interrupted())
        return _neft_validate_stopped_cutoff(spec, U->L, err, errlen);
    _neft_validate_data(D, X->S, NULL, 4, R->pts, spec->npoints, spec->net->d_in);
    neft_eft_fit_init(f, D->ntuples, 1);
    ok = neft_eft_fit_couplings(f, R->ex4, &lam, 1, D, R->ctx, err, errlen);
    if (ok)
    {
        arb_set(U->lam_s, f->coeff);
        /* correlated tuples: the Cauchy-Schwarz bound (docs/eft.md) */
        U->lam_s_err = _neft_validate_mid(f->err_max);
        U->lam_s_err_indep = _neft_validate_mid(f->err_indep);
        U->dof = neft_eft_fit_dof(f);
        U->chi2_s = _neft_validate_mid(f->chi2);
        if (U->dof > 0)
            _neft_validate_num_set(&U->chi2dof_s, _neft_validate_mid(f->chi2) / (double) U->dof,
                                   NAN);
        else
            _neft_validate_num_na(&U->chi2dof_s, "no degrees of freedom (one tuple)");
        arb_mat_clear(U->map);
        arb_mat_init(U->map, 1, D->ntuples);
        arb_mat_set(U->map, f->map);
        _neft_validate_tuples(&U->tup_s, f, D->err);
        _neft_validate_num_na(&U->tup_e.mean, "no exact correlators");
        U->tup_e.sd = U->tup_e.min = U->tup_e.max = U->tup_e.max_pull = U->tup_e.mean;
        if (X->have_exact)
            _fit_exact(U, R, spec, D, err, errlen);
    }
    neft_eft_fit_clear(f);
    neft_eft_data_clear(D);
    if (neft_interrupted())
        return _neft_validate_stopped_cutoff(spec, U->L, err, errlen);
    if (ok && !(_accurate(U->lam_s, U->lam_s_err) && (!U->have_e
                                                       || _accurate(U->lam_e, U->lam_s_err))))
    {
        /* integrals that did not converge (NEFT_INTEGRATE_NO_CONVERGENCE: a
           rigorous but wide ball): the fit's digits would not be its own */
        char * a = arb_get_str(_accurate(U->lam_s, U->lam_s_err) ? U->lam_e : U->lam_s, 5, 0);
        snprintf(err, errlen, "stage fit: cutoff %g: the vertex integrals (%s, d_in = %ld) are "
                 "not accurate enough: lambda = %s against its statistical error %.3g (the "
                 "integrals did not converge)", U->L, _neft_validate_act_name(spec),
                 (long) spec->net->d_in, a, U->lam_s_err);
        flint_free(a);
        return NEFT_FAILURE;
    }
    return ok ? NEFT_SUCCESS : NEFT_FAILURE;
}
