/* Linear least squares in ball arithmetic (neft_eft_wls, neft_eft_gls).
 *
 * The normal equations (A^T W A) c = A^T W y are solved with Arb's rigorous
 * Cholesky solver, so the coefficient balls contain the exact minimiser for
 * every choice of inputs inside the input balls.  The normal equations
 * square the condition number; the fits neft does have a handful of
 * parameters and the working precision is raised by the caller when the radii
 * say so. */

#include "neft/eft.h"

void
neft_eft_fit_init(neft_eft_fit_t f, slong ndata, slong nparams)
{
    f->ndata = ndata;
    f->nparams = nparams;
    f->coeff = _arb_vec_init(nparams);
    f->err_max = _arb_vec_init(nparams);
    f->err_indep = _arb_vec_init(nparams);
    f->resid = _arb_vec_init(ndata);
    f->single = _arb_vec_init(ndata);
    arb_mat_init(f->cov, nparams, nparams);
    arb_mat_init(f->map, nparams, ndata);
    arb_mat_init(f->sens, 0, 0);
    arb_init(f->chi2);
}

void
neft_eft_fit_clear(neft_eft_fit_t f)
{
    _arb_vec_clear(f->coeff, f->nparams);
    _arb_vec_clear(f->err_max, f->nparams);
    _arb_vec_clear(f->err_indep, f->nparams);
    _arb_vec_clear(f->resid, f->ndata);
    _arb_vec_clear(f->single, f->ndata);
    arb_mat_clear(f->cov);
    arb_mat_clear(f->map);
    arb_mat_clear(f->sens);
    arb_clear(f->chi2);
}

slong
neft_eft_fit_dof(const neft_eft_fit_t f)
{
    return f->ndata > f->nparams ? f->ndata - f->nparams : 0;
}

/* Shared tail: given WA = W A and Wy = W y, solves the normal equations
   (A^T W A) c = A^T W y and sets f->coeff, f->cov = (A^T W A)^{-1} and the
   linear map f->map = cov (W A)^T (c = map y).
   chi2 is left to the caller, computed from the residual r = y - A c as
   r^T W r (not y^T W y - c^T A^T W y, which cancels catastrophically). */
static int
_fit_solve(neft_eft_fit_t f, const arb_mat_t A, const arb_mat_t WA, const arb_mat_t Wy,
           slong prec)
{
    slong p = f->nparams;
    arb_mat_t At, N, b, c, I;
    int ok;

    arb_mat_init(At, p, f->ndata);
    arb_mat_init(N, p, p);
    arb_mat_init(b, p, 1);
    arb_mat_init(c, p, 1);
    arb_mat_init(I, p, p);
    arb_mat_transpose(At, A);
    arb_mat_mul(N, At, WA, prec);
    arb_mat_mul(b, At, Wy, prec);
    ok = arb_mat_spd_solve(c, N, b, prec);
    if (ok)
    {
        arb_mat_one(I);
        ok = arb_mat_spd_solve(f->cov, N, I, prec);
    }
    if (ok)
    {
        slong j;
        arb_mat_t WAt;
        for (j = 0; j < p; j++)
            arb_set(f->coeff + j, arb_mat_entry(c, j, 0));
        arb_mat_init(WAt, p, f->ndata);
        arb_mat_transpose(WAt, WA);
        arb_mat_mul(f->map, f->cov, WAt, prec);
        arb_mat_clear(WAt);
    }
    arb_mat_clear(At);
    arb_mat_clear(N);
    arb_mat_clear(b);
    arb_mat_clear(c);
    arb_mat_clear(I);
    return ok;
}

/* r = y - A c (an ndata x 1 matrix); also f->resid = r and, for one
   parameter, f->single_t = y_t / A_t (indeterminate where A_t may be 0). */
static void
_residual(arb_mat_t r, neft_eft_fit_t f, const arb_mat_t A, arb_srcptr y, arb_srcptr c,
          slong prec)
{
    slong i, n = arb_mat_nrows(A), p = arb_mat_ncols(A);
    for (i = 0; i < n; i++)
    {
        arb_ptr ri = arb_mat_entry(r, i, 0);
        arb_dot(ri, y + i, 1, arb_mat_entry(A, i, 0), 1, c, 1, p, prec);
        arb_set(f->resid + i, ri);
        if (p == 1)
            arb_div(f->single + i, y + i, arb_mat_entry(A, i, 0), prec);
        else
            arb_indeterminate(f->single + i);
    }
}

void
neft_eft_fit_set_errors(neft_eft_fit_t f, arb_srcptr s, slong prec)
{
    slong j, t;
    arb_t l;
    arb_init(l);
    for (j = 0; j < f->nparams; j++)
    {
        arb_zero(f->err_max + j);
        arb_zero(f->err_indep + j);
        for (t = 0; t < f->ndata; t++)
        {
            arb_abs(l, arb_mat_entry(f->map, j, t));
            if (s != NULL)
                arb_mul(l, l, s + t, prec);
            arb_add(f->err_max + j, f->err_max + j, l, prec);
            arb_addmul(f->err_indep + j, l, l, prec);
        }
        arb_sqrtpos(f->err_indep + j, f->err_indep + j, prec);
    }
    arb_clear(l);
}

int
neft_eft_wls(neft_eft_fit_t f, const arb_mat_t A, arb_srcptr y, arb_srcptr s, slong prec)
{
    slong i, j, n = arb_mat_nrows(A), p = arb_mat_ncols(A);
    arb_mat_t WA, Wy, r;
    arb_ptr w;
    int ok = 1;

    if (n != f->ndata || p != f->nparams)
        return 0;
    w = _arb_vec_init(n);
    for (i = 0; i < n && ok; i++)
    {
        if (s == NULL)
            arb_one(w + i);
        else if (!arb_is_positive(s + i))
            ok = 0;
        else
        {
            arb_sqr(w + i, s + i, prec);
            arb_inv(w + i, w + i, prec);
        }
    }
    arb_mat_init(WA, n, p);
    arb_mat_init(Wy, n, 1);
    arb_mat_init(r, n, 1);
    if (ok)
    {
        for (i = 0; i < n; i++)
        {
            for (j = 0; j < p; j++)
                arb_mul(arb_mat_entry(WA, i, j), arb_mat_entry(A, i, j), w + i, prec);
            arb_mul(arb_mat_entry(Wy, i, 0), y + i, w + i, prec);
        }
        ok = _fit_solve(f, A, WA, Wy, prec);
    }
    if (ok)
    {
        /* map = cov A^T W: err_max_j = sum_i |map_ji| s_i */
        neft_eft_fit_set_errors(f, s, prec);
        _residual(r, f, A, y, f->coeff, prec);
        arb_zero(f->chi2);
        for (i = 0; i < n; i++)
        {
            arb_t t;
            arb_init(t);
            arb_sqr(t, arb_mat_entry(r, i, 0), prec);
            arb_addmul(f->chi2, t, w + i, prec);
            arb_clear(t);
        }
    }
    _arb_vec_clear(w, n);
    arb_mat_clear(WA);
    arb_mat_clear(Wy);
    arb_mat_clear(r);
    return ok;
}

int
neft_eft_gls(neft_eft_fit_t f, const arb_mat_t A, arb_srcptr y, const arb_mat_t C, slong prec)
{
    slong i, n = arb_mat_nrows(A), p = arb_mat_ncols(A);
    arb_mat_t WA, Wy, Y, r, Wr;
    int ok;

    if (n != f->ndata || p != f->nparams || arb_mat_nrows(C) != n || arb_mat_ncols(C) != n)
        return 0;
    arb_mat_init(WA, n, p);
    arb_mat_init(Wy, n, 1);
    arb_mat_init(Y, n, 1);
    arb_mat_init(r, n, 1);
    arb_mat_init(Wr, n, 1);
    for (i = 0; i < n; i++)
        arb_set(arb_mat_entry(Y, i, 0), y + i);
    /* W = C^{-1} applied by solving C X = B. */
    ok = arb_mat_spd_solve(WA, C, A, prec) && arb_mat_spd_solve(Wy, C, Y, prec);
    if (ok)
        ok = _fit_solve(f, A, WA, Wy, prec);
    if (ok)
    {
        slong j;
        for (j = 0; j < p; j++)
        {
            /* the covariance is known: both errors are sqrt(cov_jj) */
            arb_sqrtpos(f->err_indep + j, arb_mat_entry(f->cov, j, j), prec);
            arb_set(f->err_max + j, f->err_indep + j);
        }
        _residual(r, f, A, y, f->coeff, prec);
        ok = arb_mat_spd_solve(Wr, C, r, prec);
        arb_zero(f->chi2);
        for (i = 0; ok && i < n; i++)
            arb_addmul(f->chi2, arb_mat_entry(r, i, 0), arb_mat_entry(Wr, i, 0), prec);
    }
    arb_mat_clear(WA);
    arb_mat_clear(Wy);
    arb_mat_clear(Y);
    arb_mat_clear(r);
    arb_mat_clear(Wr);
    return ok;
}
