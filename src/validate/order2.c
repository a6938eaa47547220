/* The O(1/N^2) stage of one cutoff (docs/cmd-validate.md, docs/eft.md "Power
   counting"): kappa fitted to G6c at the fit width with the lambda^2
   exchange diagrams, lambda held at its 4-point fit; then the full G6
   predicted at every width of the ladder at O(1/N) and O(1/N^2) with the
   exact fit's couplings scaled by power counting, against the exact G6. */

#include <math.h>
#include <string.h>
#include "neft/interrupt.h"
#include "validate-internal.h"

#define LAM 0   /* the built-in theory's couplings */
#define KAP 1

static void
_na_all(neft_validate_cutoff_struct * U, slong W, const char * why)
{
    slong w;
    _neft_validate_num_na(&U->kap_s, why);
    _neft_validate_num_na(&U->kap_e, why);
    for (w = 0; w < W; w++)
    {
        _neft_validate_num_na(U->miss1 + w, why);
        _neft_validate_num_na(U->miss2 + w, why);
    }
}

/* kappa fitted to D (weights w) with lambda held at lam; its error (D with
   errors) with lambda's, lam_err, propagated: sum |L_t| s_t + |dkappa/dlambda| lam_err */
static int
_fit_kappa(neft_validate_num_t * x, arb_t kap, neft_validate_result_t R,
           const neft_expansion_t ex, const neft_eft_data_t D, arb_srcptr w, const arb_t lam,
           double lam_err, char * err, size_t errlen)
{
    neft_eft_fit_t f;
    slong k = KAP;
    int ok;
    arb_set(R->ctx->g + LAM, lam);
    neft_eft_fit_init(f, D->ntuples, 1);
    ok = neft_eft_fit_couplings_weighted(f, ex, &k, 1, D, w, R->ctx, err, errlen);
    if (ok)
    {
        double e = NAN;
        arb_set(kap, f->coeff);
        if (D->has_err)
            e = _neft_validate_ub(f->err_max)
              + fabs(_neft_validate_mid(arb_mat_entry(f->sens, 0, LAM))) * lam_err;
        _neft_validate_num_set(x, _neft_validate_mid(f->coeff), e);
    }
    else
        _neft_validate_num_na(x, err);
    neft_eft_fit_clear(f);
    return ok;
}

/* The misses at every width: gp, a1, a2 per 6-point tuple (k: the index of
   tuple t in the correlator list), the fit width fw. */
static void
_misses(neft_validate_cutoff_struct * U, const neft_validate_result_t R, const arb_struct * gp,
        const arb_struct * a1, const arb_struct * a2, const slong * k, slong T, slong prec)
{
    slong w, t;
    arb_t r, p1, p2;
    arb_init(r);
    arb_init(p1);
    arb_init(p2);
    for (w = 0; w < R->nwidths; w++)
    {
        const neft_validate_width_struct * X = R->widths + w;
        double s1 = 0, s2 = 0, e1 = 0, e2 = 0;
        int same = X->have_exact;
        for (t = 0; t < T && same; t++)
            same = k[t] < X->E->length && X->E->corr[k[t]].npt == 6
                && memcmp(X->E->corr[k[t]].idx, R->widths[R->fw].S->corr[k[t]].idx,
                          6 * sizeof(slong)) == 0;
        if (!same)
        {
            const char * why = X->have_exact ? "the exact correlators are on other tuples"
                                             : "no exact correlators";
            _neft_validate_num_na(U->miss1 + w, why);
            _neft_validate_num_na(U->miss2 + w, why);
            continue;
        }
        /* lambda ~ 1/N, kappa ~ 1/N^2: r = N_fit / N */
        arb_set_si(r, R->widths[R->fw].width);
        arb_div_si(r, r, X->width, prec);
        for (t = 0; t < T; t++)
        {
            arb_mul(p1, r, a1 + t, prec);
            arb_add(p1, p1, gp + t, prec);
            arb_mul(p2, r, r, prec);
            arb_mul(p2, p2, a2 + t, prec);
            arb_add(p2, p2, p1, prec);
            arb_sub(p1, X->E->corr[k[t]].full, p1, prec);
            arb_sub(p2, X->E->corr[k[t]].full, p2, prec);
            arb_div(p1, p1, gp + t, prec);
            arb_div(p2, p2, gp + t, prec);
            arb_abs(p1, p1);
            arb_abs(p2, p2);
            s1 += _neft_validate_mid(p1);
            s2 += _neft_validate_mid(p2);
            e1 += mag_get_d(arb_radref(p1));
            e2 += mag_get_d(arb_radref(p2));
        }
        _neft_validate_num_set(U->miss1 + w, s1 / T, e1 / T);
        _neft_validate_num_set(U->miss2 + w, s2 / T, e2 / T);
    }
    arb_clear(r);
    arb_clear(p1);
    arb_clear(p2);
}

/* ex = the connected G6 to O(1/N^2): kappa and the lambda^2 exchanges
   (ex initialised); a status */
static int
_expansion(neft_expansion_t ex, const neft_theory_t th, char * err, size_t errlen)
{
    neft_expansion_t full;
    neft_expand_opt_t eopt;
    int st;
    neft_expansion_init(full);
    neft_expand_opt_init(eopt);
    st = neft_expand(full, th, 6, neft_eft_order_vertices(th, 2), NEFT_PRUNE_CONNECTED, eopt,
                     err, errlen);
    if (st == NEFT_EXPAND_SUCCESS)
        neft_eft_expansion_truncate(ex, full, 2);
    neft_expansion_clear(full);
    return st;
}

int
_neft_validate_order2_supported(const neft_theory_t th, const neft_eval_ctx_t ctx,
                                const arf_t L)
{
    neft_expansion_t ex;
    char err[256];
    slong i;
    int ok;
    neft_expansion_init(ex);
    ok = _expansion(ex, th, err, sizeof err) == NEFT_EXPAND_SUCCESS;
    for (i = 0; ok && i < ex->length; i++)
        ok = neft_integrate_term_supported(ex->terms + i, ctx->kernel, L, err, sizeof err);
    neft_expansion_clear(ex);
    return ok;
}

double
_neft_validate_order2_cost(const neft_theory_t th, const neft_eval_ctx_t ctx, slong npoints,
                           double T6)
{
    neft_expansion_t ex;
    double ops = 0, bytes;
    char err[256];
    slong i;
    neft_expansion_init(ex);
    if (_expansion(ex, th, err, sizeof err) == NEFT_EXPAND_SUCCESS)
    {
        neft_eval_cost(&ops, &bytes, ex, ctx, npoints, T6, 0);
        /* a term with no method: the stage is skipped (_supported) */
        for (i = 0; i < ex->length; i++)
            if (!neft_integrate_term_supported(ex->terms + i, ctx->kernel, ctx->cutoff, err,
                                               sizeof err))
                ops = 0;
    }
    neft_expansion_clear(ex);
    /* the stage is skipped above the limit; else two fits and the misses'
       evaluations, whose integrals the first fit's cache holds */
    return ops > NEFT_VALIDATE_ORDER2_MAX_OPS ? 0 : 2 * ops;
}

/* 1 when every term of ex can be integrated at R's cutoff
   (neft_integrate_term_supported), else 0 and the stage recorded as skipped.
   Not inlined: GCC 12 reports a false stringop-overread on R's context
   otherwise (as in src/validate/sample_stage.c). */
static int __attribute__((noinline))
_supported(neft_validate_result_t R, const neft_validate_spec_t spec, const neft_expansion_t ex)
{
    char why[320], line[400];
    slong i;
    for (i = 0; i < ex->length; i++)
        if (!neft_integrate_term_supported(ex->terms + i, R->ctx->kernel, R->ctx->cutoff, why,
                                           sizeof why))
        {
            snprintf(line, sizeof line, "kappa at O(1/N^2) (every cutoff): %s", why);
            _neft_validate_skip(R, spec, "order2", line);
            return 0;
        }
    return 1;
}

int
_neft_validate_order2(neft_validate_result_t R, const neft_validate_spec_t spec, slong c,
                      char * err, size_t errlen)
{
    neft_validate_cutoff_struct * U = R->cuts + c;
    const neft_validate_width_struct * X = R->widths + R->fw;
    slong W = R->nwidths, d = spec->net->d_in, prec = spec->prec, T, t, i;
    neft_expansion_t ex;
    neft_eft_data_t D, E;
    double ops, bytes;
    arb_t kap;
    char why[200];
    int st = NEFT_SUCCESS;

    _na_all(U, W, "not computed");
    neft_expansion_init(ex);
    if (_expansion(ex, R->th, err, errlen) != NEFT_EXPAND_SUCCESS)
    {
        neft_expansion_clear(ex);
        return NEFT_FAILURE;
    }
    /* the exchange integrals (two vertices) not implemented for this kernel in
       this d_in: the stage is skipped, said once */
    if (!_supported(R, spec, ex))
    {
        _na_all(U, W, "skipped: unsupported (the lambda^2 exchange integrals)");
        neft_expansion_clear(ex);
        return NEFT_SUCCESS;
    }
    _neft_validate_data(D, X->S, NULL, 6, R->pts, spec->npoints, d);
    T = D->ntuples;
    /* the exchange integrals are two-vertex integrals: cheap in closed form
       (bias-free ReLU), seconds per tuple for Erf (docs/eft.md) */
    neft_eval_cost(&ops, &bytes, ex, R->ctx, spec->npoints, (double) T, 0);
    if (T == 0 || ops > NEFT_VALIDATE_ORDER2_MAX_OPS)
    {
        if (T == 0)
            snprintf(why, sizeof why, "no 6-point tuples");
        else
            snprintf(why, sizeof why, "the lambda^2 exchange integrals (two vertices) at %ld "
                     "6-point tuples would take about %.1e operations, above %.0e per cutoff "
                     "(neft fit --npt 6 on the samples does it)", (long) T, ops,
                     NEFT_VALIDATE_ORDER2_MAX_OPS);
        _na_all(U, W, why);
        neft_eft_data_clear(D);
        neft_expansion_clear(ex);
        return NEFT_SUCCESS;
    }
    /* (the fit stage's progress line names this step) */
    arb_init(kap);
    _fit_kappa(&U->kap_s, kap, R, ex, D, D->err, U->lam_s, U->lam_s_err, err, errlen);
    if (neft_interrupted())
        st = _neft_validate_stopped_cutoff(spec, U->L, err, errlen);
    else if (!U->have_e || !X->have_exact)
    {
        slong w;
        _neft_validate_num_na(&U->kap_e, "no exact fit at the fit width");
        for (w = 0; w < W; w++)
        {
            _neft_validate_num_na(U->miss1 + w, "no exact fit at the fit width");
            _neft_validate_num_na(U->miss2 + w, "no exact fit at the fit width");
        }
    }
    else
    {
        _neft_validate_data(E, NULL, X->E, 6, R->pts, spec->npoints, d);
        if (E->ntuples == T && memcmp(E->idx, D->idx, sizeof(slong) * T * 6) == 0
            && _fit_kappa(&U->kap_e, kap, R, ex, E, D->err, U->lam_e, 0, err, errlen))
        {
            /* per tuple: GP, the O(lambda) part, the O(1/N^2) part at the
               exact fit's couplings */
            arb_ptr gp = _arb_vec_init(3 * T), a1 = gp + T, a2 = gp + 2 * T;
            arb_ptr sel = _arb_vec_init(6 * d);
            slong * k = flint_malloc(sizeof(slong) * T);
            neft_eval_result_t r;
            neft_eval_result_init(r);
            for (i = 0, t = 0; i < X->S->length && st == NEFT_SUCCESS; i++)
            {
                const neft_sample_corr_struct * q = X->S->corr + i;
                slong j;
                if (q->npt != 6)
                    continue;
                k[t] = i;
                for (j = 0; j < 6; j++)
                    _arb_vec_set(sel + j * d, R->pts + q->idx[j] * d, d);
                _neft_validate_gp(gp + t, q->idx, 6, R->pts, d, R->K, prec);
                arb_set(R->ctx->g + LAM, U->lam_e);
                arb_zero(R->ctx->g + KAP);
                if (neft_eval(r, R->ex6p, sel, R->ctx, err, errlen) >= NEFT_INTEGRATE_UNSUPPORTED)
                    st = NEFT_FAILURE;
                else
                    arb_sub(a1 + t, r->value, gp + t, prec);
                arb_set(R->ctx->g + KAP, kap);
                if (st == NEFT_SUCCESS
                    && neft_eval(r, ex, sel, R->ctx, err, errlen) >= NEFT_INTEGRATE_UNSUPPORTED)
                    st = NEFT_FAILURE;
                else
                    arb_set(a2 + t, r->value);
                t++;
            }
            if (st != NEFT_SUCCESS && neft_interrupted())
                st = _neft_validate_stopped_cutoff(spec, U->L, err, errlen);
            if (st == NEFT_SUCCESS)
                _misses(U, R, gp, a1, a2, k, T, prec);
            neft_eval_result_clear(r);
            flint_free(k);
            _arb_vec_clear(sel, 6 * d);
            _arb_vec_clear(gp, 3 * T);
        }
        else if (!U->kap_e.ok && U->kap_e.why[0] == '\0')
            _neft_validate_num_na(&U->kap_e, "the exact tuples differ from the sampled ones");
        neft_eft_data_clear(E);
    }
    _arb_vec_zero(R->ctx->g, 2);
    arb_clear(kap);
    neft_eft_data_clear(D);
    neft_expansion_clear(ex);
    return st;
}
