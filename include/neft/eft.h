/* neft/eft.h -- fitting the couplings of the effective theory to measured
 * correlators: generalised least squares in ball arithmetic, the running of a
 * coupling with the cutoff.
 *
 * Every function here is a deterministic map from its inputs to its outputs;
 * given balls it returns balls that contain the exact value of that map at
 * every point of the input balls (the statistical error of a fit is a separate,
 * explicitly returned covariance, never folded into the radii). */
#ifndef NEFT_EFT_H
#define NEFT_EFT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "neft/arbcompat.h"
#include "neft/status.h"
#ifdef NEFT_FLINT3
#include <flint/arb_mat.h>
#else
#include <arb_mat.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The result of a linear fit y ~ A c. */
typedef struct
{
    slong nparams;      /* columns of A */
    slong ndata;        /* rows of A */
    arb_ptr coeff;      /* the minimiser c, nparams entries */
    arb_mat_t cov;      /* (A^T W A)^{-1}: the covariance of c when W is the
                           inverse data covariance */
    arb_t chi2;         /* (y - A c)^T W (y - A c) at the minimiser */
    arb_mat_t map;      /* the linear map L of the estimator, c = L y
                           (nparams x ndata): L = cov (W A)^T */
    arb_ptr err_max;    /* sum_t |L_jt| s_t: the standard error of c_j when the
                           data errors s_t may be correlated in any way
                           (Cauchy-Schwarz; attained when they are perfectly
                           correlated).  neft_eft_wls: s = its weights;
                           neft_eft_fit_set_errors: any s */
    arb_ptr err_indep;  /* sqrt(sum_t L_jt^2 s_t^2): the same for independent
                           data errors (= sqrt(cov_jj) when W = diag(1/s^2)) */
    arb_ptr resid;      /* the residuals y - A c, ndata entries */
    arb_ptr single;     /* nparams == 1: y_t / A_t, the value tuple t alone
                           would give (HMS's lambda_m); else indeterminate */
    arb_mat_t sens;     /* set by neft_eft_fit_couplings*: nparams x (couplings
                           of the theory), d c_j / d g_c for the couplings held
                           fixed (columns of fitted couplings 0): -L dG/dg_c,
                           the model's derivative at the fit (exact when the
                           design matrix does not depend on g_c, as at O(1/N^2);
                           else to first order in the residuals).  0 x 0
                           before */
}
neft_eft_fit_struct;

typedef neft_eft_fit_struct neft_eft_fit_t[1];

void neft_eft_fit_init(neft_eft_fit_t f, slong ndata, slong nparams);
void neft_eft_fit_clear(neft_eft_fit_t f);

/* Degrees of freedom ndata - nparams (0 when not positive). */
slong neft_eft_fit_dof(const neft_eft_fit_t f);

/* Weighted least squares: minimises sum_i ((y_i - (A c)_i) / s_i)^2 over c.
   s == NULL means unit weights (an exact or unweighted fit).  Returns 1 on
   success; 0 when some s_i is not certainly positive or A^T W A is not
   certainly invertible at this precision (then f is undefined). */
int neft_eft_wls(neft_eft_fit_t f, const arb_mat_t A, arb_srcptr y, arb_srcptr s,
                 slong prec);

/* Sets f->err_max and f->err_indep for data errors s (NULL: unit errors)
   through the estimator's map, whatever weights chose it. */
void neft_eft_fit_set_errors(neft_eft_fit_t f, arb_srcptr s, slong prec);

/* Generalised least squares with a full data covariance C (symmetric,
   positive definite): minimises (y - A c)^T C^{-1} (y - A c).  Returns 1 on
   success, 0 when C or A^T C^{-1} A is not certainly positive definite. */
int neft_eft_gls(neft_eft_fit_t f, const arb_mat_t A, arb_srcptr y, const arb_mat_t C,
                 slong prec);

/* Power-law fit |g(L)| ~ a L^p through points (L_i, g_i +- e_i), i < n: the
   weighted straight line log|g| = log a + p log L with weights
   (g_i / e_i)^2 (first-order error propagation; e == NULL: unit weights).
   Sets slope = p, its standard error (from the covariance; scaled by
   sqrt(chi2/dof) when scale_by_chi2 and dof > 0) and the intercept log a.
   Returns 1 on success, 0 when some L_i or g_i is not certainly non-zero
   and positive respectively, or fewer than two points are given. */
int neft_eft_power_law(arb_t slope, arb_t slope_err, arb_t log_a, arb_t chi2,
                       arb_srcptr L, arb_srcptr g, arb_srcptr e, slong n,
                       int scale_by_chi2, slong prec);

/* The same fit and its sensitivities dslope_i = d slope / d g_i: with b the
   slope's row of the straight-line fit's map and r_i the residuals of
   log|g_i|, b_i (1 + 2 r_i) / g_i (the weights (g_i/e_i)^2 move with g_i;
   e_i held fixed), b_i / g_i for unit weights.  NULL dslope: not wanted.  Returns as neft_eft_power_law. */
int neft_eft_power_law_sens(arb_t slope, arb_t log_a, arb_t chi2, arb_ptr dslope,
                            arb_srcptr L, arb_srcptr g, arb_srcptr e, slong n, slong prec);

/* The statistical error of the running exponent, propagated linearly from
   the data the couplings were fitted to: the couplings g_i (i < n) are
   linear in the same data, g_i = maps[i] row j . y (maps[i]: the map of the
   fit at cutoff i, all with T columns), so d slope = G . dy with
   G_t = sum_i dslope_i maps[i]_jt.  Sets sd = sum_t |G_t| s_t (any
   correlation of the data, as err_max) and sd_indep = sqrt(sum_t G_t^2 s_t^2)
   (independent data errors).  Both are 0 when the slope does not depend on
   the data (bias-free ReLU: every g_i is L_i^-5 times the same combination).
   NULL sd or sd_indep: not wanted. */
void neft_eft_running_error(arb_t sd, arb_t sd_indep, arb_srcptr dslope,
                            const arb_mat_struct * maps, slong j, slong n, arb_srcptr s,
                            slong prec);

#define NEFT_EFT_RUNNING_OK    0
#define NEFT_EFT_RUNNING_NOISY 1   /* a fitted value is not certainly above its error */
#define NEFT_EFT_RUNNING_ZERO  2   /* a cutoff or fitted value not certainly non-zero */

/* The running of coupling j with the cutoff, the one computation of `neft
   fit` and `neft validate`: g_i (i < n) its values fitted at the cutoffs
   L_i, e_i their errors (NULL: exact data, unit weights).  Returns
   NEFT_EFT_RUNNING_NOISY, computing nothing, when e is given and some |g_i|
   is not certainly above e_i; NEFT_EFT_RUNNING_ZERO when the power law
   |g| ~ a L^p (neft_eft_power_law_sens, weights (g_i/e_i)^2) fails;
   NEFT_EFT_RUNNING_OK with slope = p and log_a, and, with data errors s (the
   data the couplings were fitted to; NULL: none), sd and sd_indep the
   exponent's error propagated through the fits' maps (maps[i] row j,
   neft_eft_running_error).  sd, sd_indep are 0 when not computed. */
int neft_eft_running(arb_t slope, arb_t log_a, arb_t sd, arb_t sd_indep, arb_srcptr L,
                     arb_srcptr g, arb_srcptr e, const arb_mat_struct * maps, slong j, slong n,
                     arb_srcptr s, slong prec);

/* The running read locally, as the paper reads it (src/eft/running.c,
   docs/eft.md "The running"): between consecutive cutoffs L_i < L_{i+1}
   (i < n - 1), at x_i = sqrt(L_i L_{i+1}), the local slope
   s_i = d log|g| / d log L = (log|g_{i+1}| - log|g_i|) / (log L_{i+1} - log L_i)
   and the beta function b_i = dg / d log L = (g_{i+1} - g_i) / (log L_{i+1} -
   log L_i); and the power law over the last decade (the cutoffs L_i >=
   L_{n-1}/10, at least the last two), whose slope p gives beta(g) = p g, to
   hold against HMS's -d_in g (bounded kernels) or -(4 + d_in) g (ReLU). */
typedef struct
{
    slong n;                    /* cutoffs: n - 1 intervals */
    double * x;                 /* the intervals' points sqrt(L_i L_{i+1}) */
    int * st;                   /* per interval: NEFT_EFT_RUNNING_* of its slope */
    arb_ptr slope, slope_sd, slope_sdi;     /* per interval */
    arb_ptr beta, beta_sd, beta_sdi;        /* per interval */
    slong first;                /* the last decade: cutoffs first .. n - 1 */
    double from, to;            /* L_first, L_{n-1} */
    int last;                   /* NEFT_EFT_RUNNING_* of the last decade's fit */
    arb_t p, p_sd, p_sdi, loga; /* its slope, errors, intercept */
    double lo, hi;              /* the local slopes inside the last decade range over
                                   [lo, hi] (midpoints; NAN: none): how far the slope
                                   still runs there, beyond its statistical error */
    double expected;            /* the expected slope (NAN: not known) */
    arb_ptr formula;            /* per interval, or NULL: beta/g at x_i from
                                   dG/dlog L = 0 (neft beta, neft_eft_local_set_formula) */
    arb_ptr formula_fit;        /* per interval, or NULL: d log g_fit / d log L at x_i of
                                   the coupling fitted to exact data (the formula plus its
                                   residuals' term, neft/beta.h) */
}
neft_eft_local_struct;
typedef neft_eft_local_struct neft_eft_local_t[1];

void neft_eft_local_init(neft_eft_local_t R);
void neft_eft_local_clear(neft_eft_local_t R);

/* Sets R for coupling j from its values g_i at the n >= 2 increasing
   cutoffs L_i, as neft_eft_running does for all of them: e (NULL: exact
   data) the values' errors, and with data errors s the errors sd (any
   correlation of the data) and sdi (independent data) propagated from the
   data through the fits' maps (neft_eft_running_error); without s they are
   0 and the balls (exact g) carry the uncertainty.  An interval whose value
   may be 0 or (e given) is not certainly above its error has no slope (st),
   its beta is still set.  R->expected is left as it was.  Returns
   R->last. */
int neft_eft_local(neft_eft_local_t R, arb_srcptr L, arb_srcptr g, arb_srcptr e,
                   const arb_mat_struct * maps, slong j, slong n, arb_srcptr s, slong prec);

/* Sets R->formula (and R->formula_fit when ff is not NULL) to copies of
   the R->n - 1 values f (ff) at the intervals' points: written next to the
   measured local slopes by neft_eft_local_write.  R must have been set by
   neft_eft_local. */
void neft_eft_local_set_formula(neft_eft_local_t R, arb_srcptr f, arb_srcptr ff);

/* Writes R for the coupling name: text lines (the last decade, beta, and
   the local slope per interval), or the members of a JSON object without
   braces, starting with ", " ("local": [..], "last_decade": {..}). */
void neft_eft_local_write(FILE * out, const neft_eft_local_struct * R, const char * name,
                          int json);

/* ---- ratios that may not be numbers ---- */

/* The mean over tuples of ratios num_t / den_t of estimates with standard
   errors.  A ratio is not a number (n/a) when some denominator may be 0
   (its ball, or mean +- stderr, contains 0) or, for a ratio of a measurement
   and its prediction (about 1), when its error (first order, summed over the
   tuples as for correlated errors) is not below its value or not below 1
   (the noise is as large as the signal). */
typedef struct
{
    double sum, err;        /* sums of num_t / den_t and of their errors */
    slong n, zero;          /* tuples added; of them with a denominator that may be 0 */
}
neft_eft_ratio_struct;

typedef neft_eft_ratio_struct neft_eft_ratio_t[1];

void neft_eft_ratio_init(neft_eft_ratio_t q);

/* Adds num / den, num +- num_err, den a ball widened by den_err (a
   standard error; 0 for exact values). */
void neft_eft_ratio_add(neft_eft_ratio_t q, double num, double num_err, const arb_t den,
                        double den_err);

/* 1 with *val the mean ratio and *err its error; 0 (n/a) with a reason in
   why (size len) when no tuple was added, a denominator may be 0, or
   (noise != 0) the error is not below |value| or not below 1. */
int neft_eft_ratio_get(double * val, double * err, const neft_eft_ratio_t q, int noise,
                       char * why, size_t len);


/* ---- figures (pgfplots through pdflatex; plotting data are doubles) ---- */

#define NEFT_EFT_PLOT_MAX_SERIES 8

/* One curve: n points (x, y) with optional error bars yerr (NULL: none);
   line != 0 joins the points without marks (a fitted line, a background
   level; line == 2 dashed: a reference), else marks only. */
typedef struct
{
    const char * label;     /* legend entry (LaTeX), NULL for none */
    slong n;
    const double * x;
    const double * y;
    const double * yerr;
    int line;
}
neft_eft_series_t;

typedef struct
{
    const char * title;     /* LaTeX */
    const char * xlabel;
    const char * ylabel;
    int logx, logy;
    slong nseries;
    neft_eft_series_t series[NEFT_EFT_PLOT_MAX_SERIES];
}
neft_eft_plot_t;

/* Writes a standalone pgfplots document for p to path atomically (a
   temporary file renamed over path).  Non-finite points (and non-positive
   ones on a log axis) are left out.  Returns 1 on success, 0 on an I/O error
   (errno set). */
int neft_eft_plot_write_tex(const char * path, const neft_eft_plot_t * p);

/* The same with two figures, bottom under top (the x axes aligned). */
int neft_eft_plot_write_tex2(const char * path, const neft_eft_plot_t * top,
                             const neft_eft_plot_t * bottom);

/* Compiles DIR/BASE.tex with pdflatex into DIR/BASE.pdf and renders its first
   page to DIR/BASE.png (pdftoppm).  Returns 0 when both were made, 1 when
   pdflatex (or pdftoppm, for the PNG) is not installed, 2 when a tool failed;
   a one-line reason goes to why (size len). */
int neft_eft_plot_compile(const char * dir, const char * base, char * why, size_t len);

/* ---- correlator data and the coupling fit ---- */

/* n-point data on sorted tuples of a set of input points, read from the JSON
   of `neft sample` (mean +- stderr) or `neft exact` (balls; no errors). */
typedef struct
{
    char activation[32];
    slong d_in;
    arb_t sw, sb;
    arb_t slope;            /* the activation's parameter ("slope") when has_slope */
    int has_slope;
    slong width;            /* 0 when the file does not say */
    slong npoints;
    arb_ptr points;         /* npoints * d_in */
    slong npt;
    slong ntuples;
    slong * idx;            /* ntuples * npt, each sorted */
    arb_ptr value;          /* the correlator (connected or full, as asked) */
    arb_ptr err;            /* its standard error (0 for exact data) */
    int has_err;            /* 1: sampled data, 0: exact */
}
neft_eft_data_struct;

typedef neft_eft_data_struct neft_eft_data_t[1];

void neft_eft_data_init(neft_eft_data_t D);
void neft_eft_data_clear(neft_eft_data_t D);

/* Reads the npt-point correlators (connected when connected != 0, else full)
   of a `neft sample` or `neft exact` JSON file, checked by
   neft_json_read_correlators (flags: NEFT_JSON_IGNORE_DIGEST or 0; the
   digest is checked by neft_eft_data_read).  Returns 1, or 0 with
   "PATH:LINE: what was expected" (or "PATH: ...") in err. */
int neft_eft_data_read(neft_eft_data_t D, const char * path, slong npt, int connected,
                       slong prec, char * err, size_t errlen);
int neft_eft_data_read_flags(neft_eft_data_t D, const char * path, slong npt, int connected,
                             slong prec, int flags, char * err, size_t errlen);

#include "neft/eval.h"

/* The expected running exponent of the quartic coupling at large cutoff for
   kernel k (docs/eft.md, "Expected exponents"): -(4 + d_in) for a kernel
   that grows like |y| (homogeneous activations of degree 1: relu,
   leaky-relu, linear), -d_in for the others with a closed form (bounded). */
double neft_eft_expected_slope(const neft_kernel_t k);

/* The same for coupling c of th: -(d_in per point + P) for the weight
   |y|^P, minus its legs more for the homogeneous rows (the vertex integral
   grows like |y| per leg): -(4 + d_in) for a local quartic (as
   neft_eft_expected_slope), -(6 + d_in) for a local sextic. */
double neft_eft_expected_slope_coupling(const neft_kernel_t k, const neft_theory_t th,
                                        slong c);


/* Sets K to the GP kernel of the activation called act (a row of
   neft/act.h) with its parameter param (NULL: the row's default; leaky-relu's
   slope) for inputs of dimension d_in and sigma_w = sw, sigma_b = sb
   (prec: the kernel's working precision).  NEFT_BAD_INPUT for a name that
   is no row, NEFT_UNSUPPORTED with the row's reason for an activation
   without a closed-form GP kernel (NEFT_ACT_CAP_GP_KERNEL), one line in err;
   NEFT_SUCCESS. */
int neft_eft_kernel_set(neft_kernel_t K, const char * act, const arb_t param, slong d_in,
                        const arb_t sw, const arb_t sb, slong prec, char * err, size_t errlen);

/* Fits the couplings cpl[0..ncpl) of the theory of ex (an expansion of the
   D->npt-point function to order 1; typically prune `connected` for
   connected data) to the data: for every tuple t,
       D_t - sum_{other terms} = sum_j g_cpl[j] * sum_{terms linear in g_cpl[j]} coeff * integral,
   the other terms evaluated with the coupling values in ctx (the fitted
   ones set to 0).  Weighted by the data's standard errors when it has
   them, else unit weights.  Returns 1, or 0 with a reason in err (a term of
   order > 1 in a fitted coupling, an integral neft cannot do, a singular
   system, a stop request: neft/interrupt.h). */
int neft_eft_fit_couplings(neft_eft_fit_t f, const neft_expansion_t ex, const slong * cpl,
                           slong ncpl, const neft_eft_data_t D, neft_eval_ctx_t ctx,
                           char * err, size_t errlen);

/* The same with the weights 1/w_t^2 given (w: ndata standard errors, e.g.
   those of sampled data for a fit to exact data, so that both use one
   estimator; NULL: unit weights).  The errors err_max, err_indep are those of
   the data D->err when D has them (neft_eft_fit_set_errors), whatever w is. */
int neft_eft_fit_couplings_weighted(neft_eft_fit_t f, const neft_expansion_t ex,
                                    const slong * cpl, slong ncpl, const neft_eft_data_t D,
                                    arb_srcptr w, neft_eval_ctx_t ctx, char * err,
                                    size_t errlen);

/* Cost estimate of neft_eft_fit_couplings(f, ex, cpl, ncpl, D, ctx): the
   expansion evaluated at the D->ntuples data tuples (neft_eval_cost; the
   caller's cache, if already filled, only makes it cheaper) and the least
   squares (tuples x ncpl^2 ball operations); operations as in docs/library.md. */
void neft_eft_fit_cost(double * ops, double * bytes, const neft_expansion_t ex, slong ncpl,
                       const neft_eft_data_t D, const neft_eval_ctx_t ctx);

/* ---- power counting in 1/N (src/eft/order.c, docs/eft.md) ----

   A coupling with k legs is of order N^{-(k-2)/2}: the connected k-point
   function of one hidden layer of width N is O(N^{1-k/2}) (a cumulant of a
   sum of N independent terms), so lambda (k = 4) ~ 1/N, kappa (k = 6) ~
   1/N^2, a cubic coupling ~ 1/sqrt(N).  A term's order is the sum over its
   vertices.  Orders are handled as twice their value (integers). */

/* Twice the order in 1/N of coupling c: legs - 2. */
slong neft_eft_order2_coupling(const neft_theory_t th, slong c);

/* Twice the order in 1/N of term d: the sum over its vertices. */
slong neft_eft_order2_term(const neft_theory_t th, const neft_diagram_struct * d);

/* 1 when every coupling has at least 3 legs (a coupling with 1 or 2 legs has
   no positive order: no power counting), else 0. */
int neft_eft_power_counting(const neft_theory_t th);

/* The most vertices a term of order <= order can have (0 without power
   counting): the expansion to build before neft_eft_expansion_truncate. */
slong neft_eft_order_vertices(const neft_theory_t th, slong order);

/* The order of coupling c's own tree (one vertex): (legs - 2)/2 rounded up. */
slong neft_eft_coupling_leading_order(const neft_theory_t th, slong c);

/* dst (initialised) = the terms of src of order <= order in 1/N, in src's
   order, with src's header and theory. */
void neft_eft_expansion_truncate(neft_expansion_t dst, const neft_expansion_t src,
                                 slong order);

/* A coupling monomial of an expansion: its exponents, order and number of
   terms. */
typedef struct
{
    slong exp[NEFT_THEORY_COUPLINGS_MAX];
    slong order2;       /* twice its order in 1/N */
    slong terms;
}
neft_eft_mono_struct;

/* The distinct coupling monomials of ex's terms, in order of first
   appearance, at most max of them; returns their number. */
slong neft_eft_monomials(neft_eft_mono_struct * mono, slong max, const neft_expansion_t ex);

/* "lambda^2", "kappa", "lambda kappa" ("1" for no coupling). */
void neft_eft_mono_name(char * buf, size_t len, const neft_eft_mono_struct * m,
                        const neft_theory_t th);

/* The same for the coupling monomial of term d. */
void neft_eft_term_name(char * buf, size_t len, const neft_diagram_struct * d,
                        const neft_theory_t th);

/* "1/N", "1/N^2", "1/N^(3/2)" for twice an order. */
void neft_eft_order_name(char * buf, size_t len, slong o2);

/* given[c] = 1 for every coupling named in "NAME=VALUE[,..]" (text may be
   NULL).  Returns 0, or -1 for text neft_eval_parse_couplings refuses. */
int neft_eft_set_names(int * given, const neft_theory_t th, const char * text);

/* The plan of a fit of the connected npt-point function at an order in 1/N
   (src/eft/plan.c). */
typedef struct
{
    slong npt, order;                   /* order 0: no power counting possible */
    neft_expansion_t ex;                /* the terms of order <= order */
    neft_expansion_t full;              /* before the truncation (its left-out terms) */
    slong ncpl, cpl[NEFT_THEORY_COUPLINGS_MAX];     /* fitted */
    slong ndep, dep[NEFT_THEORY_COUPLINGS_MAX];     /* taken from their own fits */
    slong dep_npt[NEFT_THEORY_COUPLINGS_MAX];       /* ... of the dep_npt-point function */
    neft_expansion_t dep_ex[NEFT_THEORY_COUPLINGS_MAX];  /* at their leading order */
    int zero[NEFT_THEORY_COUPLINGS_MAX];            /* enters, held at 0 (not given) */
    int given[NEFT_THEORY_COUPLINGS_MAX];           /* fixed by --set */
}
neft_eft_plan_struct;
typedef neft_eft_plan_struct neft_eft_plan_t[1];

void neft_eft_plan_init(neft_eft_plan_t P);
void neft_eft_plan_clear(neft_eft_plan_t P);

/* Plans the fit of cpl[0..ncpl) to the npt-point function of th (pruned by
   prune) at order `order` in 1/N (0: the fitted couplings' leading order,
   (legs - 2)/2; a theory with a coupling of fewer than 3 legs has no power
   counting: then order must be 0 and the plan is the old first order in the
   couplings, P->order = 0).  given[c]: coupling c is fixed by --set.  Every
   coupling that enters, is not fitted nor given and has fewer legs than npt
   is a dependency, fitted first to its own connected correlator at its
   leading order.  NEFT_BAD_INPUT with one line in err when a fitted
   coupling enters no term or enters non-linearly (lambda^2 in G6c: the fit
   is linear), or a given one enters no term (its value would not be used);
   an expansion's status otherwise. */
int neft_eft_plan_make(neft_eft_plan_t P, const neft_theory_t th, unsigned prune, slong npt,
                       slong order, const slong * cpl, slong ncpl, const int * given,
                       slong max_terms, char * err, size_t errlen);

/* ---- the fits of neft fit: every cutoff, and the running (src/eft/fits.c) ---- */

/* How the fits are made beyond the couplings and the data: the order in 1/N
   of the expansion and the couplings held fixed at values fitted first, at
   every cutoff, to their own correlator (lambda from G4c for kappa from G6c
   at O(1/N^2)). */
typedef struct
{
    slong order;                /* the order in 1/N ex was truncated to; 0: none
                                   (first order in the couplings, no power counting) */
    slong ndep;
    slong dep[NEFT_THEORY_COUPLINGS_MAX];                       /* coupling index */
    const neft_expansion_struct * dep_ex[NEFT_THEORY_COUPLINGS_MAX];  /* its fit's expansion */
    const neft_eft_data_struct * dep_D[NEFT_THEORY_COUPLINGS_MAX];    /* its fit's data */
    int weighted;               /* the dependencies' fits weighted by their data's errors */
}
neft_eft_fits_opt_struct;
typedef neft_eft_fits_opt_struct neft_eft_fits_opt_t[1];

void neft_eft_fits_opt_init(neft_eft_fits_opt_t opt);

#define NEFT_EFT_MAX_MONO 64

typedef struct
{
    slong ncut, ncpl;
    const char * const * cuts;  /* the cutoffs as given (the caller's strings) */
    const char ** names;        /* the couplings' names (the theory's strings) */
    int has_err;                /* sampled data: standard errors known */
    arb_ptr L, chi2;            /* per cutoff: its value, the fit's chi2 */
    slong * dof;                /* per cutoff: degrees of freedom */
    arb_ptr g, ge, gi;          /* [cut * ncpl + j]: value, err_max, err_indep (with the
                                   dependencies' errors propagated) */
    arb_mat_struct * maps;      /* per cutoff: the fit's linear map on the joint data
                                   (the data, then each dependency's data) */
    slong njoint;               /* their columns */
    arb_ptr sjoint;             /* the joint data's standard errors (has_err), or NULL */
    int * running;              /* per coupling, ncut >= 2: NEFT_EFT_RUNNING_* */
    arb_ptr slope, serr, sind;  /* per coupling: exponent, its errors (0 for exact data) */
    neft_eft_local_struct * local;  /* per coupling, ncut >= 2: the running read locally */
    /* power counting */
    slong order;                /* as in the options */
    slong ndep;
    const char ** dep_names;
    slong dep_npt[NEFT_THEORY_COUPLINGS_MAX];
    arb_ptr dg, dge, dgi;       /* [cut * ndep + k]: the dependency's value and errors */
    slong nmono;                /* the coupling monomials of the terms that entered */
    neft_eft_mono_struct mono[NEFT_EFT_MAX_MONO];
    int mono_fitted[NEFT_EFT_MAX_MONO];     /* 1: contains a fitted coupling */
    const neft_theory_struct * theory;      /* (ex's) */
}
neft_eft_fits_struct;
typedef neft_eft_fits_struct neft_eft_fits_t[1];

void neft_eft_fits_init(neft_eft_fits_t F);
void neft_eft_fits_clear(neft_eft_fits_t F);

/* Fits the couplings cpl[0..ncpl) at every cutoff cuts[0..ncut) (text as
   neft_eval_parse_cutoff reads it; set into ctx->cutoff in turn) with
   neft_eft_fit_couplings_weighted (weights w), and for ncut >= 2 the power
   law |g_j| ~ cutoff^p of every coupling (neft_eft_power_law_sens; not a
   number when a value is within its error of 0), the exponent's error
   propagated from the data (neft_eft_running_error).  F keeps pointers to
   cuts and to the theory's names.  Returns 0; -1 if cuts[*bad] is not a
   cutoff; -2 if the fit at cuts[*bad] failed (the reason in err). */
int neft_eft_fits(neft_eft_fits_t F, const neft_expansion_t ex, const slong * cpl, slong ncpl,
                  const neft_eft_data_t D, arb_srcptr w, neft_eval_ctx_t ctx,
                  const char * const * cuts, slong ncut, slong * bad, char * err,
                  size_t errlen);

/* The same with options (NULL: none, as neft_eft_fits): at every cutoff
   each dependency opt->dep[k] is fitted first (neft_eft_fit_couplings_weighted
   on opt->dep_ex[k], opt->dep_D[k]) and held at that value in ctx; the
   couplings' errors include the dependencies' (d c / d g_dep, f->sens,
   times the dependency's map: the fit is linear in the joint data).  F keeps
   pointers to the theory of ex. */
int neft_eft_fits_opt(neft_eft_fits_t F, const neft_expansion_t ex, const slong * cpl,
                      slong ncpl, const neft_eft_data_t D, arb_srcptr w,
                      const neft_eft_fits_opt_t opt, neft_eval_ctx_t ctx,
                      const char * const * cuts, slong ncut, slong * bad, char * err,
                      size_t errlen);

/* What the header of the fits names: the data file, the kernel, the
   correlator, and whether the fit was weighted by the standard errors. */
typedef struct
{
    const char * data, * kernel;
    slong npt, d_in, ntuples;
    int weighted;
    const neft_eft_plan_struct * plan;  /* NULL: no plan (no power counting said) */
}
neft_eft_fits_about_t;

/* Writes the fits (src/eft/write.c): text lines per cutoff and per running
   coupling, or one JSON object {"data", .., "fits": [..], "running": {..}}
   and a newline (docs/cmd-fit.md). */
void neft_eft_fits_write(FILE * out, const neft_eft_fits_t F,
                         const neft_eft_fits_about_t * about, int json);

#ifdef __cplusplus
}
#endif

#endif
