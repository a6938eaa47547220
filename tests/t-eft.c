/* Least-squares fits in ball arithmetic against exact rational solutions of
   the normal equations (FLINT fmpq_mat), closed forms of the weighted straight
   line, exact recovery of consistent data, and refusal of degenerate input. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>
#include <flint/fmpq_mat.h>
#include "neft/eft.h"
#include "neft-test.h"

#define PREC 128

/* Exact GLS: c = (A^T W A)^{-1} A^T W y, cov = (A^T W A)^{-1}, W = C^{-1}. */
static void
exact_gls(fmpq_mat_t c, fmpq_mat_t cov, fmpq_t chi2, const fmpq_mat_t A, const fmpq_mat_t y,
          const fmpq_mat_t C)
{
    slong n = fmpq_mat_nrows(A), p = fmpq_mat_ncols(A);
    fmpq_mat_t W, At, AtW, N, b, r, Wr;
    fmpq_mat_init(W, n, n); fmpq_mat_init(At, p, n); fmpq_mat_init(AtW, p, n);
    fmpq_mat_init(N, p, p); fmpq_mat_init(b, p, 1); fmpq_mat_init(r, n, 1);
    fmpq_mat_init(Wr, n, 1);
    fmpq_mat_inv(W, C);
    fmpq_mat_transpose(At, A);
    fmpq_mat_mul(AtW, At, W);
    fmpq_mat_mul(N, AtW, A);
    fmpq_mat_mul(b, AtW, y);
    fmpq_mat_inv(cov, N);
    fmpq_mat_mul(c, cov, b);
    fmpq_mat_mul(r, A, c);
    fmpq_mat_sub(r, y, r);
    fmpq_mat_mul(Wr, W, r);
    {
        slong i;
        fmpq_zero(chi2);
        for (i = 0; i < n; i++)
            fmpq_addmul(chi2, fmpq_mat_entry(r, i, 0), fmpq_mat_entry(Wr, i, 0));
    }
    fmpq_mat_clear(W); fmpq_mat_clear(At); fmpq_mat_clear(AtW); fmpq_mat_clear(N);
    fmpq_mat_clear(b); fmpq_mat_clear(r); fmpq_mat_clear(Wr);
}

static void
rand_fmpq(fmpq_t q, flint_rand_t st, slong bits)
{
    fmpz_randtest(fmpq_numref(q), st, bits);
    fmpz_randtest_not_zero(fmpq_denref(q), st, bits);
    fmpz_abs(fmpq_denref(q), fmpq_denref(q));
    fmpq_canonicalise(q);
}

static void
test_gls_random(flint_rand_t st)
{
    slong iter;
    for (iter = 0; iter < 200; iter++)
    {
        slong n = 3 + n_randint(st, 8), p = 1 + n_randint(st, 3), i, j, k;
        int diag = iter % 2;
        fmpq_mat_t A, y, C, L, c, cov;
        fmpq_t chi2;
        arb_mat_t Ab, Cb;
        arb_ptr yb, sb;
        neft_eft_fit_t f;
        int ok;

        fmpq_mat_init(A, n, p); fmpq_mat_init(y, n, 1); fmpq_mat_init(C, n, n);
        fmpq_mat_init(L, n, n); fmpq_mat_init(c, p, 1); fmpq_mat_init(cov, p, p);
        fmpq_init(chi2);
        for (i = 0; i < n; i++)
        {
            for (j = 0; j < p; j++)
                rand_fmpq(fmpq_mat_entry(A, i, j), st, 6);
            rand_fmpq(fmpq_mat_entry(y, i, 0), st, 8);
        }
        /* A must have full column rank: add a multiple of the identity block. */
        for (j = 0; j < p; j++)
            fmpq_add_si(fmpq_mat_entry(A, j, j), fmpq_mat_entry(A, j, j), 97);
        /* C = L L^T + I, L lower triangular (diagonal C when diag). */
        for (i = 0; i < n; i++)
            for (j = 0; j <= i; j++)
                if (!diag || i == j)
                    rand_fmpq(fmpq_mat_entry(L, i, j), st, 4);
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++)
            {
                fmpq_zero(fmpq_mat_entry(C, i, j));
                for (k = 0; k < n; k++)
                    fmpq_addmul(fmpq_mat_entry(C, i, j), fmpq_mat_entry(L, i, k),
                                fmpq_mat_entry(L, j, k));
                if (i == j)
                    fmpq_add_si(fmpq_mat_entry(C, i, j), fmpq_mat_entry(C, i, j), 1);
            }
        exact_gls(c, cov, chi2, A, y, C);

        arb_mat_init(Ab, n, p); arb_mat_init(Cb, n, n);
        yb = _arb_vec_init(n); sb = _arb_vec_init(n);
        arb_mat_set_fmpq_mat(Ab, A, PREC);
        arb_mat_set_fmpq_mat(Cb, C, PREC);
        for (i = 0; i < n; i++)
            arb_set_fmpq(yb + i, fmpq_mat_entry(y, i, 0), PREC);
        neft_eft_fit_init(f, n, p);
        if (diag)
        {
            for (i = 0; i < n; i++)
                arb_sqrt(sb + i, arb_mat_entry(Cb, i, i), PREC);
            ok = neft_eft_wls(f, Ab, yb, sb, PREC);
        }
        else
            ok = neft_eft_gls(f, Ab, yb, Cb, PREC);
        CHECK(ok, "fit failed (n=%ld p=%ld diag=%d)", n, p, diag);
        if (ok)
        {
            for (j = 0; j < p; j++)
            {
                CHECK(arb_contains_fmpq(f->coeff + j, fmpq_mat_entry(c, j, 0)),
                      "coefficient %ld not enclosed (n=%ld p=%ld diag=%d)", j, n, p, diag);
                CHECK(arb_rel_accuracy_bits(f->coeff + j) > 60 || arb_contains_zero(f->coeff + j),
                      "coefficient %ld too wide", j);
                for (k = 0; k < p; k++)
                    CHECK(arb_contains_fmpq(arb_mat_entry(f->cov, j, k), fmpq_mat_entry(cov, j, k)),
                          "covariance (%ld,%ld) not enclosed", j, k);
            }
            CHECK(arb_contains_fmpq(f->chi2, chi2), "chi2 not enclosed");
            CHECK(neft_eft_fit_dof(f) == n - p, "dof");
        }
        neft_eft_fit_clear(f);
        arb_mat_clear(Ab); arb_mat_clear(Cb);
        _arb_vec_clear(yb, n); _arb_vec_clear(sb, n);
        fmpq_mat_clear(A); fmpq_mat_clear(y); fmpq_mat_clear(C); fmpq_mat_clear(L);
        fmpq_mat_clear(c); fmpq_mat_clear(cov); fmpq_clear(chi2);
    }
}

/* Consistent data y = A c0 are fitted exactly: c = c0, chi2 = 0. */
static void
test_exact_recovery(void)
{
    slong n = 6, p = 2, i;
    arb_mat_t A;
    arb_ptr y;
    neft_eft_fit_t f;
    fmpq_t c0, c1;

    arb_mat_init(A, n, p);
    y = _arb_vec_init(n);
    fmpq_init(c0); fmpq_init(c1);
    fmpq_set_si(c0, -7, 3);
    fmpq_set_si(c1, 5, 11);
    for (i = 0; i < n; i++)
    {
        arb_set_si(arb_mat_entry(A, i, 0), 1);
        arb_set_si(arb_mat_entry(A, i, 1), i * i + 1);
        /* y_i = c0 + c1 (i^2 + 1), computed exactly in fmpq */
        {
            fmpq_t t;
            fmpq_init(t);
            fmpq_mul_si(t, c1, i * i + 1);
            fmpq_add(t, t, c0);
            arb_set_fmpq(y + i, t, PREC);
            fmpq_clear(t);
        }
    }
    neft_eft_fit_init(f, n, p);
    CHECK(neft_eft_wls(f, A, y, NULL, PREC), "exact fit failed");
    CHECK(arb_contains_fmpq(f->coeff + 0, c0) && arb_contains_fmpq(f->coeff + 1, c1),
          "exact coefficients not recovered");
    CHECK(arb_contains_zero(f->chi2), "chi2 of consistent data does not contain 0");
    CHECK(arb_rel_accuracy_bits(f->coeff + 1) > 100, "exact fit too wide");
    neft_eft_fit_clear(f);
    arb_mat_clear(A);
    _arb_vec_clear(y, n);
    fmpq_clear(c0); fmpq_clear(c1);
}

/* Weighted mean (one parameter): c = sum w y / sum w, var = 1 / sum w. */
static void
test_weighted_mean(void)
{
    slong n = 4, i;
    const slong yv[4] = {3, 5, 4, 10}, sv[4] = {1, 2, 1, 4};
    arb_mat_t A;
    arb_ptr y, s;
    neft_eft_fit_t f;
    fmpq_t sw, swy, q;

    arb_mat_init(A, n, 1);
    y = _arb_vec_init(n); s = _arb_vec_init(n);
    fmpq_init(sw); fmpq_init(swy); fmpq_init(q);
    for (i = 0; i < n; i++)
    {
        arb_one(arb_mat_entry(A, i, 0));
        arb_set_si(y + i, yv[i]);
        arb_set_si(s + i, sv[i]);
        fmpq_set_si(q, 1, sv[i] * sv[i]);
        fmpq_add(sw, sw, q);
        fmpq_mul_si(q, q, yv[i]);
        fmpq_add(swy, swy, q);
    }
    neft_eft_fit_init(f, n, 1);
    CHECK(neft_eft_wls(f, A, y, s, PREC), "weighted mean failed");
    fmpq_div(q, swy, sw);
    CHECK(arb_contains_fmpq(f->coeff, q), "weighted mean wrong");
    fmpq_inv(q, sw);
    CHECK(arb_contains_fmpq(arb_mat_entry(f->cov, 0, 0), q), "variance of the mean wrong");
    /* correlated-error bound: sum_i (w_i / sum w) s_i = sum_i (1/s_i) / sum w */
    {
        fmpq_t u;
        fmpq_init(u);
        for (i = 0; i < n; i++)
        {
            fmpq_set_si(q, 1, sv[i]);
            fmpq_add(u, u, q);
        }
        fmpq_div(u, u, sw);
        CHECK(arb_contains_fmpq(f->err_max, u), "correlated-error bound wrong");
        fmpq_clear(u);
    }
    neft_eft_fit_clear(f);
    arb_mat_clear(A);
    _arb_vec_clear(y, n); _arb_vec_clear(s, n);
    fmpq_clear(sw); fmpq_clear(swy); fmpq_clear(q);
}

/* g = 3 L^-2 exactly: slope -2, intercept log 3, chi2 0. */
static void
test_power_law(void)
{
    slong n = 5, i;
    arb_ptr L, g, e;
    arb_t slope, err, loga, chi2, t;

    L = _arb_vec_init(n); g = _arb_vec_init(n); e = _arb_vec_init(n);
    arb_init(slope); arb_init(err); arb_init(loga); arb_init(chi2); arb_init(t);
    for (i = 0; i < n; i++)
    {
        arb_set_si(L + i, 1 + 3 * i);
        arb_sqr(g + i, L + i, PREC);
        arb_inv(g + i, g + i, PREC);
        arb_mul_si(g + i, g + i, -3, PREC);      /* sign is ignored: |g| */
        arb_abs(e + i, g + i);
        arb_mul_2exp_si(e + i, e + i, -4);       /* 1/16 relative errors */
    }
    CHECK(neft_eft_power_law(slope, err, loga, chi2, L, g, e, n, 0, PREC), "power law failed");
    CHECK(arb_contains_si(slope, -2), "slope does not contain -2");
    arb_set_si(t, 3);
    arb_log(t, t, PREC);
    CHECK(arb_overlaps(loga, t), "intercept does not contain log 3");
    CHECK(arb_contains_zero(chi2), "chi2 not 0");
    CHECK(arb_is_positive(err), "slope error not positive");
    /* degenerate: a single point, or a zero coupling */
    CHECK(!neft_eft_power_law(slope, err, loga, chi2, L, g, e, 1, 0, PREC), "one point accepted");
    arb_zero(g + 2);
    CHECK(!neft_eft_power_law(slope, err, loga, chi2, L, g, e, n, 0, PREC), "zero coupling accepted");
    _arb_vec_clear(L, n); _arb_vec_clear(g, n); _arb_vec_clear(e, n);
    arb_clear(slope); arb_clear(err); arb_clear(loga); arb_clear(chi2); arb_clear(t);
}

/* Ratios: a denominator ball containing 0, a sampled denominator within its
   error of 0, and a ratio whose error is not below its value are n/a. */
static void
test_ratio(void)
{
    neft_eft_ratio_t q;
    arb_t d;
    double v, e;
    char why[200];

    arb_init(d);
    neft_eft_ratio_init(q);
    CHECK(!neft_eft_ratio_get(&v, &e, q, 1, why, sizeof why), "empty ratio is a number");
    arb_set_si(d, 2);
    neft_eft_ratio_add(q, 1, 0.1, d, 0);
    CHECK(neft_eft_ratio_get(&v, &e, q, 1, why, sizeof why) && v == 0.5 && fabs(e - 0.05) < 1e-15,
          "1 +- 0.1 over 2: %g +- %g", v, e);
    /* a ball around 0 (an exact correlator that vanishes by symmetry) */
    arb_set_d(d, 1e-25);
    mag_set_d(arb_radref(d), 1e-20);
    neft_eft_ratio_add(q, 1, 0.1, d, 0);
    CHECK(!neft_eft_ratio_get(&v, &e, q, 1, why, sizeof why) && strstr(why, "contains 0") != NULL
          && isnan(v), "denominator ball around 0 accepted: %g (%s)", v, why);
    /* a tiny but certified denominator: the noise criterion catches it */
    neft_eft_ratio_init(q);
    arb_set_d(d, 1e-12);
    neft_eft_ratio_add(q, 1e-11, 1e-10, d, 0);
    CHECK(!neft_eft_ratio_get(&v, &e, q, 1, why, sizeof why) && strstr(why, "noise") != NULL,
          "noise-dominated ratio accepted: %g +- %g", v, e);
    CHECK(neft_eft_ratio_get(&v, &e, q, 0, why, sizeof why) && fabs(v - 10) < 1e-9,
          "without the noise criterion: %g", v);
    /* -27.6 +- 9.3 (G6c/exact at width 500): 3 sigma from 0, but the noise
       is 9 times the signal it measures */
    neft_eft_ratio_init(q);
    arb_set_d(d, 1);
    neft_eft_ratio_add(q, -27.6, 9.3, d, 0);
    CHECK(!neft_eft_ratio_get(&v, &e, q, 1, why, sizeof why) && strstr(why, "noise") != NULL,
          "-27.6 +- 9.3 accepted");
    /* a sampled denominator 0.5 +- 0.6 may be 0 */
    neft_eft_ratio_init(q);
    arb_set_d(d, 0.5);
    neft_eft_ratio_add(q, 1, 0, d, 0.6);
    CHECK(!neft_eft_ratio_get(&v, &e, q, 0, why, sizeof why), "0.5 +- 0.6 as a denominator");
    arb_clear(d);
}

/* d slope / d g_i of the weighted log-log fit (weights (g/e)^2 moving with
   g) against central differences; and the propagated error of a running
   whose couplings are L^-5 times one combination of the data is 0. */
static void
test_running_error(flint_rand_t st)
{
    slong n = 4, T = 5, i, t, iter;
    arb_ptr L = _arb_vec_init(n), g = _arb_vec_init(n), e = _arb_vec_init(n);
    arb_ptr ds = _arb_vec_init(n), gp = _arb_vec_init(n), y = _arb_vec_init(T);
    arb_ptr s = _arb_vec_init(T);
    arb_t slope, loga, chi2, s1, s2, fd, sd, sdi;
    arb_mat_struct maps[4];

    arb_init(slope); arb_init(loga); arb_init(chi2); arb_init(s1); arb_init(s2);
    arb_init(fd); arb_init(sd); arb_init(sdi);
    for (iter = 0; iter < 20; iter++)
    {
        double h = 1e-7;
        for (i = 0; i < n; i++)
        {
            arb_set_si(L + i, 1 + 2 * i);
            arb_set_d(g + i, pow(1.0 + 2 * i, -2) * (1 + 0.3 * (n_randint(st, 1000) / 1000.0 - 0.5)));
            arb_set_d(e + i, 0.1 * pow(1.0 + 2 * i, -2) * (1 + n_randint(st, 1000) / 1000.0));
        }
        CHECK(neft_eft_power_law_sens(slope, loga, chi2, ds, L, g, e, n, PREC), "sens failed");
        for (i = 0; i < n; i++)
        {
            double gi = arf_get_d(arb_midref(g + i), ARF_RND_NEAR), a, b;
            _arb_vec_set(gp, g, n);
            arb_set_d(gp + i, gi * (1 + h));
            neft_eft_power_law_sens(s1, loga, chi2, NULL, L, gp, e, n, PREC);
            arb_set_d(gp + i, gi * (1 - h));
            neft_eft_power_law_sens(s2, loga, chi2, NULL, L, gp, e, n, PREC);
            arb_sub(fd, s1, s2, PREC);
            a = arf_get_d(arb_midref(fd), ARF_RND_NEAR) / (2 * h * gi);
            b = arf_get_d(arb_midref(ds + i), ARF_RND_NEAR);
            CHECK(fabs(a - b) <= 1e-5 * fabs(b) + 1e-9, "d slope/d g_%ld: %g, differences %g",
                  (long) i, b, a);
        }
    }
    /* lambda_i = map_i . y with A_i = L_i^5 a: the exponent is -5 whatever y is */
    for (t = 0; t < T; t++)
    {
        arb_set_si(y + t, 3 + (slong) n_randint(st, 100));
        arb_set_d(s + t, 0.5 + t);
    }
    for (i = 0; i < n; i++)
    {
        neft_eft_fit_t f;
        arb_mat_t A;
        arb_mat_init(A, T, 1);
        for (t = 0; t < T; t++)
        {
            arb_set_si(arb_mat_entry(A, t, 0), (t + 1) * (t % 2 ? -1 : 2));
            arb_pow_ui(fd, L + i, 5, PREC);
            arb_mul(arb_mat_entry(A, t, 0), arb_mat_entry(A, t, 0), fd, PREC);
        }
        neft_eft_fit_init(f, T, 1);
        CHECK(neft_eft_wls(f, A, y, s, PREC), "fit failed");
        arb_set(g + i, f->coeff);
        arb_set(e + i, f->err_max);
        arb_sqrt(fd, arb_mat_entry(f->cov, 0, 0), PREC);
        CHECK(arb_overlaps(fd, f->err_indep), "err_indep != sqrt(cov) for weights 1/s^2");
        arb_mat_init(maps + i, 1, T);
        arb_mat_set(maps + i, f->map);
        neft_eft_fit_clear(f);
        arb_mat_clear(A);
    }
    CHECK(neft_eft_power_law_sens(slope, loga, chi2, ds, L, g, e, n, PREC), "sens failed");
    CHECK(arb_contains_si(slope, -5), "slope does not contain -5");
    neft_eft_running_error(sd, sdi, ds, maps, 0, n, s, PREC);
    CHECK(arb_contains_zero(sd) && arb_contains_zero(sdi) && mag_cmp_2exp_si(arb_radref(sd), -80) < 0,
          "running error of an exact power law is not 0");
    for (i = 0; i < n; i++)
        arb_mat_clear(maps + i);
    _arb_vec_clear(L, n); _arb_vec_clear(g, n); _arb_vec_clear(e, n); _arb_vec_clear(ds, n);
    _arb_vec_clear(gp, n); _arb_vec_clear(y, T); _arb_vec_clear(s, T);
    arb_clear(slope); arb_clear(loga); arb_clear(chi2); arb_clear(s1); arb_clear(s2);
    arb_clear(fd); arb_clear(sd); arb_clear(sdi);
}

/* Rank-deficient A and non-positive errors are refused. */
static void
test_refusals(void)
{
    slong n = 4, i;
    arb_mat_t A;
    arb_ptr y, s;
    neft_eft_fit_t f;

    arb_mat_init(A, n, 2);
    y = _arb_vec_init(n); s = _arb_vec_init(n);
    for (i = 0; i < n; i++)
    {
        arb_set_si(arb_mat_entry(A, i, 0), i + 1);
        arb_set_si(arb_mat_entry(A, i, 1), 2 * (i + 1));
        arb_set_si(y + i, i);
        arb_one(s + i);
    }
    neft_eft_fit_init(f, n, 2);
    CHECK(!neft_eft_wls(f, A, y, s, PREC), "rank-deficient fit accepted");
    arb_set_si(arb_mat_entry(A, 0, 1), 7);
    CHECK(neft_eft_wls(f, A, y, s, PREC), "full-rank fit refused");
    arb_zero(s + 1);
    CHECK(!neft_eft_wls(f, A, y, s, PREC), "zero standard error accepted");
    neft_eft_fit_clear(f);
    arb_mat_clear(A);
    _arb_vec_clear(y, n); _arb_vec_clear(s, n);
}

/* A figure document holds exactly the finite (and, on log axes, positive)
   points; it compiles to PDF and PNG when pdflatex is installed. */
static void
test_plot(void)
{
    char dir[] = "/tmp/neft-t-eft-XXXXXX", path[256], why[256], * text;
    const double x[4] = {1, 10, 100, 1000}, y[4] = {2, 0.2, -1, NAN}, e[4] = {0.1, 0.5, 1, 1};
    neft_eft_plot_t p;
    FILE * f;
    long len;
    int r;
    struct stat sb;

    if (mkdtemp(dir) == NULL)
    {
        CHECK(0, "mkdtemp");
        return;
    }
    memset(&p, 0, sizeof p);
    p.title = "$\\lambda(\\Lambda)$";
    p.xlabel = "$\\Lambda$";
    p.ylabel = "$|\\lambda|$";
    p.logx = p.logy = 1;
    p.nseries = 2;
    p.series[0] = (neft_eft_series_t) {"fit", 4, x, y, e, 0};
    p.series[1] = (neft_eft_series_t) {NULL, 4, x, y, NULL, 1};
    snprintf(path, sizeof path, "%s/fig.tex", dir);
    CHECK(neft_eft_plot_write_tex(path, &p), "plot not written");
    f = fopen(path, "rb");
    CHECK(f != NULL, "plot file missing");
    if (f == NULL)
        return;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = calloc(len + 1, 1);
    CHECK(fread(text, 1, len, f) == (size_t) len, "read");
    fclose(f);
    CHECK(strstr(text, "(1, 2) += (0, 0.1) -= (0, 0.1)") != NULL, "first point with its error bar missing");
    /* the error bar 0.5 >= 0.2 is clipped on the log axis */
    CHECK(strstr(text, "(10, 0.2) += (0, 0.5) -= (0, 0.18)") != NULL, "clipped error bar missing");
    CHECK(strstr(text, "(100,") == NULL && strstr(text, "nan") == NULL,
          "negative or non-finite point kept on a log axis");
    free(text);
    r = neft_eft_plot_compile(dir, "fig", why, sizeof why);
    if (r == 1)
        printf("t-eft: figure not compiled: %s\n", why);
    else
    {
        CHECK(r == 0, "compile failed: %s", why);
        snprintf(path, sizeof path, "%s/fig.png", dir);
        CHECK(stat(path, &sb) == 0 && sb.st_size > 1000, "PNG missing or tiny");
    }
    {
        char cmd[300];
        if (getenv("NEFT_KEEP")) return;
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        CHECK(system(cmd) == 0, "cleanup");
    }
}

/* neft_eft_fits_write: a running exponent that is not a number is "n/a"
   (text) and null with its reason (JSON), never a number; exact data have
   null errors. */
static void
test_fits_write(void)
{
    static const char * const cuts[2] = { "1", "2" };
    const char * names[1] = { "lambda" };
    neft_eft_fits_about_t about = { "d.json", "relu", 4, 1, 5, 1, NULL };
    neft_eft_fits_t F;
    char buf[4096];
    size_t n;
    int json;
    for (json = 0; json <= 1; json++)
    {
        FILE * f = tmpfile();
        CHECK(f != NULL, "tmpfile");
        if (f == NULL)
            return;
        neft_eft_fits_init(F);
        F->ncut = 2; F->ncpl = 1; F->cuts = cuts; F->has_err = 1;
        F->L = _arb_vec_init(2); F->chi2 = _arb_vec_init(2);
        F->g = _arb_vec_init(2); F->ge = _arb_vec_init(2); F->gi = _arb_vec_init(2);
        F->slope = _arb_vec_init(1); F->serr = _arb_vec_init(1); F->sind = _arb_vec_init(1);
        F->maps = flint_malloc(2 * sizeof(arb_mat_struct));
        arb_mat_init(F->maps, 1, 5);
        arb_mat_init(F->maps + 1, 1, 5);
        F->dof = flint_calloc(2, sizeof(slong));
        F->running = flint_calloc(1, sizeof(int));
        F->names = flint_malloc(sizeof(const char *));
        F->names[0] = names[0];
        F->running[0] = NEFT_EFT_RUNNING_NOISY;
        neft_eft_fits_write(f, F, &about, json);
        rewind(f);
        n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = '\0';
        fclose(f);
        if (json)
            CHECK(strstr(buf, "\"weighted\": true, \"weights\": \"errors\"") != NULL
                  && strstr(buf, "\"running\": {\"lambda\": null, \"lambda_why\": \"a fitted "
                            "value is noise-dominated") != NULL
                  && strcmp(buf + n - 3, "}}\n") == 0, "fits JSON: %s", buf);
        else
            CHECK(strstr(buf, "(5 tuples, weighted by the standard errors)\n") != NULL
                  && strstr(buf, "cutoff 2:  lambda = 0") != NULL
                  && strstr(buf, "running: n/a for lambda (a fitted value is noise-dominated")
                     != NULL, "fits text: %s", buf);
        neft_eft_fits_clear(F);
    }
}

int
main(void)
{
    flint_rand_t st;
    flint_randinit(st);
    test_gls_random(st);
    test_exact_recovery();
    test_weighted_mean();
    test_power_law();
    test_refusals();
    test_ratio();
    test_running_error(st);
    test_plot();
    test_fits_write();
    flint_randclear(st);
    flint_cleanup();
    return neft_test_finish("t-eft");
}
