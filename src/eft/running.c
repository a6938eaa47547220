/* The running of a coupling with the cutoff: a power-law fit (neft_eft_power_law). */

#include <math.h>
#include "neft/eft.h"
#include "neft/json.h"

/* The straight-line fit of log|g_i| against log L_i with weights
   (g_i / e_i)^2 (e == NULL: unit), into f (initialised by the caller for
   n data and 2 parameters: log a, p).  Returns 0 as neft_eft_power_law. */
static int
_loglog(neft_eft_fit_t f, arb_srcptr L, arb_srcptr g, arb_srcptr e, slong n, slong prec)
{
    arb_mat_t A;
    arb_ptr y, s;
    arb_t ag;
    slong i;
    int ok = n >= 2;

    arb_mat_init(A, n, 2);
    y = _arb_vec_init(n);
    s = _arb_vec_init(n);
    arb_init(ag);
    for (i = 0; i < n && ok; i++)
    {
        arb_abs(ag, g + i);
        if (!arb_is_positive(L + i) || !arb_is_positive(ag))
            ok = 0;
        else
        {
            arb_one(arb_mat_entry(A, i, 0));
            arb_log(arb_mat_entry(A, i, 1), L + i, prec);
            arb_log(y + i, ag, prec);
            /* d log|g| = dg / |g| */
            if (e != NULL)
                arb_div(s + i, e + i, ag, prec);
        }
    }
    ok = ok && neft_eft_wls(f, A, y, e == NULL ? NULL : s, prec);
    arb_clear(ag);
    arb_mat_clear(A);
    _arb_vec_clear(y, n);
    _arb_vec_clear(s, n);
    return ok;
}

/* The log-log fit of the n data into f with slope, log_a, chi2 set from it:
   1 with f initialised (n data, 2 parameters; the caller clears it), or 0
   with f not initialised (n < 2, or no fit as neft_eft_power_law). */
static int
_power(neft_eft_fit_t f, arb_t slope, arb_t log_a, arb_t chi2, arb_srcptr L, arb_srcptr g,
       arb_srcptr e, slong n, slong prec)
{
    if (n < 2)
        return 0;
    neft_eft_fit_init(f, n, 2);
    if (!_loglog(f, L, g, e, n, prec))
    {
        neft_eft_fit_clear(f);
        return 0;
    }
    arb_set(log_a, f->coeff + 0);
    arb_set(slope, f->coeff + 1);
    arb_set(chi2, f->chi2);
    return 1;
}

int
neft_eft_power_law(arb_t slope, arb_t slope_err, arb_t log_a, arb_t chi2,
                   arb_srcptr L, arb_srcptr g, arb_srcptr e, slong n,
                   int scale_by_chi2, slong prec)
{
    neft_eft_fit_t f;

    if (!_power(f, slope, log_a, chi2, L, g, e, n, prec))
        return 0;
    arb_sqrt(slope_err, arb_mat_entry(f->cov, 1, 1), prec);
    if (scale_by_chi2 && neft_eft_fit_dof(f) > 0)
    {
        arb_t r;
        arb_init(r);
        arb_div_si(r, f->chi2, neft_eft_fit_dof(f), prec);
        arb_sqrt(r, r, prec);
        arb_mul(slope_err, slope_err, r, prec);
        arb_clear(r);
    }
    neft_eft_fit_clear(f);
    return 1;
}

int
neft_eft_power_law_sens(arb_t slope, arb_t log_a, arb_t chi2, arb_ptr dslope,
                        arb_srcptr L, arb_srcptr g, arb_srcptr e, slong n, slong prec)
{
    neft_eft_fit_t f;
    slong i;

    if (!_power(f, slope, log_a, chi2, L, g, e, n, prec))
        return 0;
    /* slope = sum_i b_i log|g_i| with b the slope's row of the map; the
       weights w_i = (g_i/e_i)^2 move with g_i too: d slope / d w_i =
       (b_i / w_i) r_i (r the residual of log|g_i|), d w_i / d g_i =
       2 w_i / g_i, so d slope / d g_i = b_i (1 + 2 r_i) / g_i */
    for (i = 0; dslope != NULL && i < n; i++)
    {
        if (e != NULL)
        {
            arb_mul_2exp_si(dslope + i, f->resid + i, 1);
            arb_add_ui(dslope + i, dslope + i, 1, prec);
            arb_mul(dslope + i, dslope + i, arb_mat_entry(f->map, 1, i), prec);
        }
        else
            arb_set(dslope + i, arb_mat_entry(f->map, 1, i));
        arb_div(dslope + i, dslope + i, g + i, prec);
    }
    neft_eft_fit_clear(f);
    return 1;
}

void
neft_eft_running_error(arb_t sd, arb_t sd_indep, arb_srcptr dslope, const arb_mat_struct * maps,
                       slong j, slong n, arb_srcptr s, slong prec)
{
    slong T = arb_mat_ncols(maps + 0), t, i;
    arb_t G, u, a, b;
    arb_init(G);
    arb_init(u);
    arb_init(a);
    arb_init(b);
    for (t = 0; t < T; t++)
    {
        arb_zero(G);
        for (i = 0; i < n; i++)
            arb_addmul(G, dslope + i, arb_mat_entry(maps + i, j, t), prec);
        if (s != NULL)
            arb_mul(G, G, s + t, prec);
        arb_abs(u, G);
        arb_add(a, a, u, prec);
        arb_addmul(b, G, G, prec);
    }
    if (sd != NULL)
        arb_set(sd, a);
    if (sd_indep != NULL)
        arb_sqrtpos(sd_indep, b, prec);
    arb_clear(G);
    arb_clear(u);
    arb_clear(a);
    arb_clear(b);
}

int
neft_eft_running(arb_t slope, arb_t log_a, arb_t sd, arb_t sd_indep, arb_srcptr L,
                 arb_srcptr g, arb_srcptr e, const arb_mat_struct * maps, slong j, slong n,
                 arb_srcptr s, slong prec)
{
    arb_ptr ds;
    arb_t u, chi2;
    slong i;
    int st = NEFT_EFT_RUNNING_OK;

    arb_zero(sd);
    arb_zero(sd_indep);
    arb_init(u);
    /* a value within its error of 0: log|g| is not a number */
    for (i = 0; e != NULL && i < n && st == NEFT_EFT_RUNNING_OK; i++)
    {
        arb_abs(u, g + i);
        if (!arb_gt(u, e + i))
            st = NEFT_EFT_RUNNING_NOISY;
    }
    arb_clear(u);
    if (st != NEFT_EFT_RUNNING_OK)
        return st;
    ds = _arb_vec_init(n);
    arb_init(chi2);
    if (!neft_eft_power_law_sens(slope, log_a, chi2, ds, L, g, e, n, prec))
        st = NEFT_EFT_RUNNING_ZERO;
    else if (s != NULL)
        /* the error propagated from the data through the fits (docs/eft.md) */
        neft_eft_running_error(sd, sd_indep, ds, maps, j, n, s, prec);
    arb_clear(chi2);
    _arb_vec_clear(ds, n);
    return st;
}

/* ---- the running read locally (neft_eft_local) ---- */

void
neft_eft_local_init(neft_eft_local_t R)
{
    R->n = 0;
    R->x = NULL;
    R->st = NULL;
    R->slope = R->slope_sd = R->slope_sdi = NULL;
    R->beta = R->beta_sd = R->beta_sdi = NULL;
    R->first = 0;
    R->from = R->to = 0;
    R->lo = R->hi = NAN;
    R->last = NEFT_EFT_RUNNING_ZERO;
    arb_init(R->p);
    arb_init(R->p_sd);
    arb_init(R->p_sdi);
    arb_init(R->loga);
    R->expected = NAN;
    R->formula = R->formula_fit = NULL;
}

static void
_local_free(neft_eft_local_t R)
{
    slong m = R->n > 1 ? R->n - 1 : 0;
    if (R->x != NULL)
    {
        flint_free(R->x);
        flint_free(R->st);
        _arb_vec_clear(R->slope, m);
        _arb_vec_clear(R->slope_sd, m);
        _arb_vec_clear(R->slope_sdi, m);
        _arb_vec_clear(R->beta, m);
        _arb_vec_clear(R->beta_sd, m);
        _arb_vec_clear(R->beta_sdi, m);
    }
    if (R->formula != NULL)
        _arb_vec_clear(R->formula, m);
    if (R->formula_fit != NULL)
        _arb_vec_clear(R->formula_fit, m);
    R->formula = R->formula_fit = NULL;
    R->x = NULL;
    R->n = 0;
}

void
neft_eft_local_clear(neft_eft_local_t R)
{
    _local_free(R);
    arb_clear(R->p);
    arb_clear(R->p_sd);
    arb_clear(R->p_sdi);
    arb_clear(R->loga);
}

/* The status of g_i as the argument of a logarithm: ZERO when it may be 0,
   NOISY when (e given) it is not certainly above its error. */
static int
_log_ok(const arb_t g, arb_srcptr e)
{
    int st = NEFT_EFT_RUNNING_OK;
    arb_t u;
    arb_init(u);
    arb_abs(u, g);
    if (!arb_is_positive(u))
        st = NEFT_EFT_RUNNING_ZERO;
    else if (e != NULL && !arb_gt(u, e))
        st = NEFT_EFT_RUNNING_NOISY;
    arb_clear(u);
    return st;
}

int
neft_eft_local(neft_eft_local_t R, arb_srcptr L, arb_srcptr g, arb_srcptr e,
               const arb_mat_struct * maps, slong j, slong n, arb_srcptr s, slong prec)
{
    slong m = n - 1, i, c;
    arb_ptr ds = _arb_vec_init(FLINT_MAX(n, 1));
    arb_t D, u, v, top;
    int errs = s != NULL && maps != NULL;

    _local_free(R);
    arb_zero(R->p);
    arb_zero(R->p_sd);
    arb_zero(R->p_sdi);
    arb_zero(R->loga);
    R->last = NEFT_EFT_RUNNING_ZERO;
    R->first = 0;
    R->from = R->to = 0;
    R->lo = R->hi = NAN;
    if (n < 2)
    {
        _arb_vec_clear(ds, FLINT_MAX(n, 1));
        return R->last;
    }
    R->n = n;
    R->x = flint_malloc(m * sizeof(double));
    R->st = flint_malloc(m * sizeof(int));
    R->slope = _arb_vec_init(m);
    R->slope_sd = _arb_vec_init(m);
    R->slope_sdi = _arb_vec_init(m);
    R->beta = _arb_vec_init(m);
    R->beta_sd = _arb_vec_init(m);
    R->beta_sdi = _arb_vec_init(m);
    arb_init(D);
    arb_init(u);
    arb_init(v);
    arb_init(top);
    for (i = 0; i < m; i++)
    {
        /* D = log L_{i+1} - log L_i = log(L_{i+1} / L_i) */
        arb_div(D, L + i + 1, L + i, prec);
        arb_log(D, D, prec);
        arb_mul(u, L + i, L + i + 1, prec);
        arb_sqrtpos(u, u, prec);
        R->x[i] = arf_get_d(arb_midref(u), ARF_RND_NEAR);
        /* beta = (g_{i+1} - g_i) / D; d beta / d g_{i+1} = 1/D = -d beta / d g_i */
        arb_sub(R->beta + i, g + i + 1, g + i, prec);
        arb_div(R->beta + i, R->beta + i, D, prec);
        if (errs)
        {
            _arb_vec_zero(ds, n);
            arb_inv(ds + i + 1, D, prec);
            arb_neg(ds + i, ds + i + 1);
            neft_eft_running_error(R->beta_sd + i, R->beta_sdi + i, ds, maps, j, n, s, prec);
        }
        R->st[i] = _log_ok(g + i, e == NULL ? NULL : e + i);
        if (R->st[i] == NEFT_EFT_RUNNING_OK)
            R->st[i] = _log_ok(g + i + 1, e == NULL ? NULL : e + i + 1);
        if (R->st[i] != NEFT_EFT_RUNNING_OK)
        {
            arb_indeterminate(R->slope + i);
            continue;
        }
        /* slope = log|g_{i+1} / g_i| / D; d slope / d g_k = +-1 / (g_k D) */
        arb_div(u, g + i + 1, g + i, prec);
        arb_abs(u, u);
        arb_log(u, u, prec);
        arb_div(R->slope + i, u, D, prec);
        if (errs)
        {
            _arb_vec_zero(ds, n);
            arb_mul(v, g + i + 1, D, prec);
            arb_inv(ds + i + 1, v, prec);
            arb_mul(v, g + i, D, prec);
            arb_inv(ds + i, v, prec);
            arb_neg(ds + i, ds + i);
            neft_eft_running_error(R->slope_sd + i, R->slope_sdi + i, ds, maps, j, n, s, prec);
        }
    }
    /* the last decade: L_i >= L_{n-1} / 10, at least the last two cutoffs */
    arb_div_ui(top, L + n - 1, 10, prec);
    for (c = n - 2; c > 0 && arb_ge(L + c - 1, top); c--)
        ;
    R->first = c;
    R->lo = R->hi = NAN;
    for (i = c; i < m; i++)
        if (R->st[i] == NEFT_EFT_RUNNING_OK)
        {
            double v = arf_get_d(arb_midref(R->slope + i), ARF_RND_NEAR);
            R->lo = isnan(R->lo) || v < R->lo ? v : R->lo;
            R->hi = isnan(R->hi) || v > R->hi ? v : R->hi;
        }
    R->from = arf_get_d(arb_midref(L + c), ARF_RND_NEAR);
    R->to = arf_get_d(arb_midref(L + n - 1), ARF_RND_NEAR);
    if (errs && e != NULL)
    {
        R->last = neft_eft_running(R->p, R->loga, R->p_sd, R->p_sdi, L + c, g + c, e + c,
                                   maps + c, j, n - c, s, prec);
    }
    else
    {
        R->last = NEFT_EFT_RUNNING_OK;
        for (i = c; i < n && R->last == NEFT_EFT_RUNNING_OK; i++)
            R->last = _log_ok(g + i, e == NULL ? NULL : e + i);
        if (R->last == NEFT_EFT_RUNNING_OK
            && !neft_eft_power_law_sens(R->p, R->loga, u, NULL, L + c, g + c,
                                        e == NULL ? NULL : e + c, n - c, prec))
            R->last = NEFT_EFT_RUNNING_ZERO;
    }
    arb_clear(D);
    arb_clear(u);
    arb_clear(v);
    arb_clear(top);
    _arb_vec_clear(ds, n);
    return R->last;
}

double
neft_eft_expected_slope(const neft_kernel_t k)
{
    /* a homogeneous activation of degree 1 grows like |y| */
    int grows = neft_act_has(k->act, NEFT_ACT_CAP_HOMOGENEOUS, NULL) && k->act->degree == 1;
    return grows ? -(4.0 + (double) k->d) : -(double) k->d;
}

static const char *
_why(int st)
{
    return st == NEFT_EFT_RUNNING_NOISY
        ? "a value is not certainly above its error: its log is not a number"
        : "a value may be 0";
}

/* x with its error: "v +- e" (text) */
static void
_txt(FILE * out, const arb_t x, const arb_t sd, int errs)
{
    char * a = arb_get_str(x, 10, errs ? ARB_STR_NO_RADIUS : 0);
    fputs(a, out);
    flint_free(a);
    if (errs)
    {
        a = arb_get_str(sd, 2, ARB_STR_NO_RADIUS);
        fprintf(out, " +- %s", a);
        flint_free(a);
    }
}

void
neft_eft_local_set_formula(neft_eft_local_t R, arb_srcptr f, arb_srcptr ff)
{
    slong m = R->n > 1 ? R->n - 1 : 0;
    if (R->formula != NULL)
        _arb_vec_clear(R->formula, m);
    if (R->formula_fit != NULL)
        _arb_vec_clear(R->formula_fit, m);
    R->formula = R->formula_fit = NULL;
    if (m == 0)
        return;
    R->formula = _arb_vec_init(m);
    _arb_vec_set(R->formula, f, m);
    if (ff != NULL)
    {
        R->formula_fit = _arb_vec_init(m);
        _arb_vec_set(R->formula_fit, ff, m);
    }
}

void
neft_eft_local_write(FILE * out, const neft_eft_local_struct * R, const char * name, int json)
{
    slong i, m = R->n - 1;
    /* errors from the data when any was propagated; else the balls */
    int errs = 0;
    for (i = 0; i < m; i++)
        errs = errs || !arb_is_zero(R->beta_sd + i);
    errs = errs || !arb_is_zero(R->p_sd);
    if (R->n < 2)
        return;
    if (json)
    {
        fputs(", \"local\": [", out);
        for (i = 0; i < m; i++)
        {
            fprintf(out, "%s{\"cutoff\": %.10g, \"slope\": ", i ? ", " : "", R->x[i]);
            if (R->st[i] == NEFT_EFT_RUNNING_OK)
            {
                neft_json_write_arb(out, R->slope + i, 10);
                fputs(", \"slope_stderr\": ", out);
                neft_json_write_arb(out, R->slope_sd + i, 5);
                fputs(", \"slope_stderr_independent\": ", out);
                neft_json_write_arb(out, R->slope_sdi + i, 5);
            }
            else
            {
                fputs("null, \"slope_why\": ", out);
                neft_json_write_string(out, _why(R->st[i]));
            }
            fputs(", \"beta\": ", out);
            neft_json_write_arb(out, R->beta + i, 10);
            fputs(", \"beta_stderr\": ", out);
            neft_json_write_arb(out, R->beta_sd + i, 5);
            fputs(", \"beta_stderr_independent\": ", out);
            neft_json_write_arb(out, R->beta_sdi + i, 5);
            if (R->formula != NULL)
            {
                fputs(", \"formula_slope\": ", out);
                neft_json_write_arb(out, R->formula + i, 10);
            }
            if (R->formula_fit != NULL)
            {
                fputs(", \"formula_fit_slope\": ", out);
                neft_json_write_arb(out, R->formula_fit + i, 10);
            }
            fputs("}", out);
        }
        fprintf(out, "], \"last_decade\": {\"from\": %.10g, \"to\": %.10g, \"cutoffs\": %ld, "
                "\"slope\": ", R->from, R->to, (long) (R->n - R->first));
        if (R->last == NEFT_EFT_RUNNING_OK)
        {
            neft_json_write_arb(out, R->p, 10);
            fputs(", \"stderr\": ", out);
            neft_json_write_arb(out, R->p_sd, 5);
            fputs(", \"stderr_independent\": ", out);
            neft_json_write_arb(out, R->p_sdi, 5);
        }
        else
        {
            fputs("null, \"slope_why\": ", out);
            neft_json_write_string(out, _why(R->last));
        }
        if (!isnan(R->lo))
            fprintf(out, ", \"local_slopes\": [%.10g, %.10g]", R->lo, R->hi);
        else
            fputs(", \"local_slopes\": null", out);
        if (isfinite(R->expected))
            fprintf(out, ", \"expected\": %g", R->expected);
        else
            fputs(", \"expected\": null", out);
        fputs("}", out);
        return;
    }
    fprintf(out, "running of %s over the last decade (%ld cutoffs %g .. %g): ", name,
            (long) (R->n - R->first), R->from, R->to);
    if (R->last == NEFT_EFT_RUNNING_OK)
    {
        fputs("p = ", out);
        _txt(out, R->p, R->p_sd, errs);
        if (!isnan(R->lo))
            fprintf(out, " (local slopes there %.6g .. %.6g)", R->lo, R->hi);
        fprintf(out, ", so beta(%s) = d%s/dlog(cutoff) = p %s", name, name, name);
        if (isfinite(R->expected))
            fprintf(out, " (expected p = %g: beta = %g %s)", R->expected, R->expected, name);
        fputs("\n", out);
    }
    else
        fprintf(out, "n/a (%s)\n", _why(R->last));
    fprintf(out, "local running of %s: cutoff, d log|%s|/d log(cutoff), beta = d%s/d log(cutoff)",
            name, name, name);
    if (R->formula != NULL)
        fprintf(out, ", beta/%s from dG/dlog(cutoff) = 0 (neft beta)", name);
    fputs("\n", out);
    if (R->formula_fit != NULL)
        fprintf(out, "  (and the fitted %s's d log|%s|/d log(cutoff) at the cutoff from the same "
                "boundary terms and the data: the formula plus its residuals' term)\n", name, name);
    for (i = 0; i < m; i++)
    {
        fprintf(out, "  %-12.6g  ", R->x[i]);
        if (R->st[i] == NEFT_EFT_RUNNING_OK)
            _txt(out, R->slope + i, R->slope_sd + i, errs);
        else
            fputs("n/a", out);
        fputs("   ", out);
        _txt(out, R->beta + i, R->beta_sd + i, errs);
        if (R->formula != NULL)
        {
            char * f = arb_get_str(R->formula + i, 8, 0);
            fprintf(out, "   %s", f);
            flint_free(f);
        }
        if (R->formula_fit != NULL)
        {
            char * f = arb_get_str(R->formula_fit + i, 8, 0);
            fprintf(out, "   %s", f);
            flint_free(f);
        }
        fputs("\n", out);
    }
}
