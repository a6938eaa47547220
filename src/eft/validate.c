/* The paper's experiment end to end (neft_eft_validate): sample, exact, fit,
 * running, 6-point prediction, report.  docs/cmd-validate.md. */

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "neft/eft.h"
#include "neft/json.h"
#include "neft/file.h"
#include "neft/interrupt.h"
#include "neft/sample.h"
#include "neft/exact.h"
#include "neft/emit.h"
#include "neft/tuple.h"

/* The sampler's net of the experiment at hidden width N: one hidden layer,
   the activation by its old number (none when it names no row: the
   sampler's check refuses it), sigma_w and sigma_b as the doubles given. */
static void
_sample_net(neft_net_t net, const neft_eft_validate_spec_t spec, slong N)
{
    char e[256];
    if (neft_net_set_act_name(net, neft_sample_activation_name(spec->activation), NULL,
                              e, sizeof e) != NEFT_SUCCESS)
        net->act = NULL;
    net->d_in = spec->d_in;
    neft_net_set_depth(net, 2);
    neft_net_set_width_si(net, 1, N);
    neft_net_set_sigma_d(net, spec->sw, spec->sb);
}

void
neft_eft_validate_spec_default(neft_eft_validate_spec_t s, int quick)
{
    slong i;
    static const slong widths[] = {2, 3, 5, 10, 20, 50, 100, 500};
    static const double cuts[] = {1, 2, 3, 5, 10};
    memset(s, 0, sizeof(neft_eft_validate_spec_struct));
    s->activation = NEFT_ACTIVATION_RELU;
    s->d_in = 1;
    s->sw = 1;
    s->sb = 0;
    s->fit_width = 20;
    s->seed = 1;
    s->threads = 0;
    s->prec = 64;
    s->message = NULL;
    s->message_arg = NULL;
    if (quick)
    {
        s->npoints = 3;
        s->points[0] = 0.2; s->points[1] = 0.7; s->points[2] = 1.2;
        s->nwidths = 3;
        s->widths[0] = 5; s->widths[1] = 20; s->widths[2] = 100;
        s->models = 20000;
        s->ncutoffs = 3;
        s->cutoffs[0] = 1; s->cutoffs[1] = 2; s->cutoffs[2] = 5;
        return;
    }
    s->npoints = 6;
    for (i = 0; i < 6; i++)
        s->points[i] = 0.2 * (i + 1);
    s->nwidths = sizeof widths / sizeof widths[0];
    for (i = 0; i < s->nwidths; i++)
        s->widths[i] = widths[i];
    s->models = 1000000;
    s->ncutoffs = sizeof cuts / sizeof cuts[0];
    for (i = 0; i < s->ncutoffs; i++)
        s->cutoffs[i] = cuts[i];
}

/* The exact spec of the sampled family at width N: sigma_w, sigma_b the
   doubles' exact values. */
static void
_exact_spec(neft_exact_spec_t es, const neft_eft_validate_spec_t spec, slong d, slong N)
{
    char err[256];
    fmpq_t sw, sb;
    arf_t t;
    fmpq_init(sw); fmpq_init(sb);
    arf_init(t);
    neft_net_set_act_name(es->net, neft_sample_activation_name(spec->activation), NULL,
                          err, sizeof(err));
    es->net->d_in = d;
    arf_set_d(t, spec->sw);
    arf_get_fmpq(sw, t);
    arf_set_d(t, spec->sb);
    arf_get_fmpq(sb, t);
    neft_net_set_sigma(es->net, sw, sb);
    neft_net_set_width_si(es->net, 1, N);
    fmpq_clear(sw); fmpq_clear(sb);
    arf_clear(t);
}

void
neft_eft_validate_cost(double * ops, double * bytes, double * sample_ops,
                       const neft_eft_validate_spec_t spec)
{
    slong d = spec->d_in, np = spec->npoints, W = spec->nwidths, C = spec->ncutoffs, w, c, i;
    int kt = spec->activation == NEFT_ACTIVATION_RELU ? NEFT_KERNEL_RELU
           : spec->activation == NEFT_ACTIVATION_ERF ? NEFT_KERNEL_ERF
           : spec->activation == NEFT_ACTIVATION_GAUSS ? NEFT_KERNEL_GAUSS : -1;
    double o, b, pm, T4 = neft_tuple_count_d(np, 4), T6 = neft_tuple_count_d(np, 6), kept = 0, peak = 0;
    char err[256];
    neft_theory_t th;
    neft_expansion_t ex4, ex6;
    neft_expand_opt_t eopt;
    neft_eval_ctx_t ctx;
    arb_ptr pts;
    arb_t a, s;

    *ops = *bytes = *sample_ops = 0;
    if (kt < 0 || np < 1 || d < 1 || d > 4 || W < 1 || C < 1 || spec->models < 100)
        return;
    pts = _arb_vec_init(np * d);
    for (i = 0; i < np * d; i++)
        arb_set_d(pts + i, spec->points[i]);
    for (w = 0; w < W; w++)
    {
        neft_sample_spec_t ss;
        neft_exact_spec_t es;
        neft_sample_spec_init(ss);
        _sample_net(ss->net, spec, FLINT_MAX(spec->widths[w], 1));
        neft_sample_spec_set_points(ss, spec->points, np);
        ss->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
        ss->models = spec->models;
        if (neft_sample_spec_check(ss, err, sizeof(err)) == 0)
        {
            neft_sample_spec_cost(&o, &b, &pm, ss, spec->threads);
            *ops += o;
            *sample_ops += o;
            peak = FLINT_MAX(peak, b);
        }
        neft_sample_spec_clear(ss);
        neft_exact_spec_init(es);
        _exact_spec(es, spec, d, FLINT_MAX(spec->widths[w], 1));
        neft_exact_spec_set_points(es, pts, np);
        es->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
        neft_exact_cost(&o, &b, es, spec->prec);
        *ops += o;
        peak = FLINT_MAX(peak, b);
        neft_exact_spec_clear(es);
        /* the results kept: sampled and exact correlators of 2, 4, 6 points */
        kept += (neft_tuple_count_d(np, 2) + T4 + T6)
              * (sizeof(neft_sample_corr_struct) + sizeof(neft_exact_corr_struct)
                 + 2.0 * (double) spec->prec / 8);
    }
    /* the fits and the prediction at every cutoff */
    neft_theory_init(th);
    neft_expansion_init(ex4);
    neft_expansion_init(ex6);
    neft_eval_ctx_init(ctx, 2);
    arb_init(a);
    arb_init(s);
    ctx->prec = spec->prec;
    arb_set_d(a, spec->sw);
    arb_set_d(s, spec->sb);
    neft_kernel_set_params(ctx->kernel, kt, d, a, s, spec->prec + 64);
    neft_expand_opt_init(eopt);
    if (neft_theory_read_string(th, neft_theory_default_text, "<built-in>", err, sizeof(err)) == 0
        && neft_expand(ex4, th, 4, 1, NEFT_PRUNE_CONNECTED, eopt, err, sizeof(err))
           == NEFT_EXPAND_SUCCESS
        && neft_expand(ex6, th, 6, 1, th->prune, eopt, err, sizeof(err)) == NEFT_EXPAND_SUCCESS)
        for (c = 0; c < C; c++)
        {
            arf_set_d(ctx->cutoff, spec->cutoffs[c]);
            neft_eval_cost(&o, &b, ex4, ctx, np, T4, 0);
            *ops += 2 * o;
            peak = FLINT_MAX(peak, b);
            neft_eval_cost(&o, &b, ex6, ctx, np, T6, 0);
            *ops += o;
            peak = FLINT_MAX(peak, b);
        }
    *bytes = peak + kept;
    arb_clear(a);
    arb_clear(s);
    neft_eval_ctx_clear(ctx);
    neft_expansion_clear(ex4);
    neft_expansion_clear(ex6);
    neft_theory_clear(th);
    _arb_vec_clear(pts, np * d);
}

/* A number of the report, or n/a with the reason (docs/cmd-validate.md). */
typedef struct
{
    double v, e;                    /* value and error (NAN: none) */
    int ok;                         /* 0: n/a */
    char why[200];
}
_num;

/* q's mean ratio into x (noise: n/a when the error is not below the value). */
static void
_num_ratio(_num * x, const neft_eft_ratio_t q, int noise)
{
    x->ok = neft_eft_ratio_get(&x->v, &x->e, q, noise, x->why, sizeof x->why);
}

static double
_val(const _num * x)
{
    return x->ok ? x->v : NAN;
}

static void
_num_set(_num * x, double v, double e)
{
    x->v = v;
    x->e = e;
    x->ok = isfinite(v);
    if (!x->ok)
        snprintf(x->why, sizeof x->why, "not available");
}

static void
_num_na(_num * x, const char * why)
{
    x->v = x->e = NAN;
    x->ok = 0;
    snprintf(x->why, sizeof x->why, "%s", why);
}

/* Everything measured at one width. */
typedef struct
{
    slong width;
    neft_sample_result_t S;
    neft_exact_result_t E;
    int have_exact;
    _num dev[2], bg[2];             /* n = 4, 6: mean |G - G_GP| / G_GP and stderr / G_GP */
    _num c6_ratio, c6_pull;         /* sampled G6c / exact G6c (mean), mean |diff| / stderr */
    _num c4_pull;                   /* max over tuples |G4c sampled - exact| / stderr */
}
_width_run;

/* Per-tuple values of a one-coupling fit (HMS's lambda_m) and its residuals. */
typedef struct
{
    _num mean, sd, min, max;        /* of y_t / A_t over the tuples */
    _num max_pull;                  /* max_t |residual_t| / s_t */
}
_tuples;

typedef struct
{
    double L;
    arb_t lam_s, lam_e;             /* fitted from sampled / exact G4c, one estimator */
    double lam_s_err, lam_s_err_indep, chi2_s, chi2_e;
    _num chi2dof_s;
    slong dof;
    int have_e;
    arb_mat_t map;                  /* the sampled fit's map lambda = map . G4c */
    _tuples tup_s, tup_e;
    _num r_gp, r_eft;               /* mean G6_GP / G6_sampled, G6_EFT / G6_sampled */
    _num d_gp, d_eft;               /* mean |G6_GP - G6_s| / stderr, same for EFT */
    _num re_gp, re_eft;             /* the same ratios against the exact G6 */
}
_cut_run;

/* Per-tuple values and residuals of the fit f, data errors s. */
static void
_tuples_of(_tuples * u, const neft_eft_fit_t f, arb_srcptr s)
{
    slong t, T = f->ndata;
    double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY, mp = 0;
    int ok = T >= 1;
    for (t = 0; t < T && ok; t++)
    {
        double v = arf_get_d(arb_midref(f->single + t), ARF_RND_NEAR);
        ok = arb_is_finite(f->single + t) && isfinite(v);
        sum += v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (!ok)
    {
        const char * why = "the coupling's integral may be 0 at some tuple";
        _num_na(&u->mean, why);
        _num_na(&u->sd, why);
        _num_na(&u->min, why);
        _num_na(&u->max, why);
    }
    else
    {
        for (t = 0; t < T; t++)
        {
            double v = arf_get_d(arb_midref(f->single + t), ARF_RND_NEAR) - sum / T;
            sq += v * v;
        }
        _num_set(&u->mean, sum / T, NAN);
        if (T >= 2)
            _num_set(&u->sd, sqrt(sq / (T - 1)), NAN);
        else
            _num_na(&u->sd, "one tuple");
        _num_set(&u->min, lo, NAN);
        _num_set(&u->max, hi, NAN);
    }
    for (t = 0; t < T; t++)
    {
        double se = arf_get_d(arb_midref(s + t), ARF_RND_NEAR);
        double r = fabs(arf_get_d(arb_midref(f->resid + t), ARF_RND_NEAR));
        if (!(se > 0))
            break;
        mp = r / se > mp ? r / se : mp;
    }
    if (t < T)
        _num_na(&u->max_pull, "a standard error is 0");
    else
        _num_set(&u->max_pull, mp, NAN);
}

static void
_progress(const neft_eft_validate_spec_t spec, const char * fmt, ...)
{
    char line[512];
    va_list ap;
    if (spec->message == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    spec->message(spec->message_arg, 0, line);
}

/* Sum over perfect matchings of the points idx[0..n) of prod K. */
static void
_gp(arb_t res, const slong * idx, slong n, arb_srcptr pts, slong d, const neft_kernel_t k,
    slong prec)
{
    slong j, rest[NEFT_SAMPLE_MAX_NPT];
    arb_t t, u;
    if (n == 0)
    {
        arb_one(res);
        return;
    }
    arb_init(t);
    arb_init(u);
    arb_zero(res);
    for (j = 1; j < n; j++)
    {
        slong r = 0, i;
        for (i = 1; i < n; i++)
            if (i != j)
                rest[r++] = idx[i];
        neft_kernel_eval_arb(t, k, pts + idx[0] * d, pts + idx[j] * d, prec);
        _gp(u, rest, n - 2, pts, d, k, prec);
        arb_addmul(res, t, u, prec);
    }
    arb_clear(t);
    arb_clear(u);
}

/* The connected npt-point data of a sample result (S, with standard errors)
   or an exact result (E, balls): exactly one of S, E is non-NULL. */
static void
_data_from(neft_eft_data_t D, const neft_sample_result_struct * S,
           const neft_exact_result_struct * E, slong npt, arb_srcptr pts, slong npoints, slong d)
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

static void
_json_ball(FILE * f, const arb_t x)
{
    neft_json_write_arb(f, x, 15);
}

static double
_mid(const arb_t x)
{
    return arf_get_d(arb_midref(x), ARF_RND_NEAR);
}

/* Replaces each occurrence of the staging directory's name sdir in the
   message s by the report directory's dir: files are named as the user will
   find them (the staging directory is swapped in, or gone). */
static void
_unstage(char * s, size_t size, const char * sdir, const char * dir)
{
    size_t ls = strlen(sdir), ld = strlen(dir);
    char * p = s;

    if (ls == 0)
        return;
    while ((p = strstr(p, sdir)) != NULL)
    {
        size_t tail = strlen(p + ls);
        if ((size_t) (p - s) + ld + tail + 1 > size)
            return;
        memmove(p + ld, p + ls, tail + 1);
        memcpy(p, dir, ld);
        p += ld;
    }
}

/* An upper bound of |x| (for errors: a ball around 0 gives its radius). */
static double
_ub(const arb_t x)
{
    arf_t u;
    double v;
    arf_init(u);
    arb_get_abs_ubound_arf(u, x, 53);
    v = arf_get_d(u, ARF_RND_UP);
    arf_clear(u);
    return v;
}

/* x printed with fmt (one double) right-aligned in width w, or "n/a"; an n/a
   adds "  n/a: LABEL: reason" to notes (NULL: none). */
static void
_txt(FILE * out, FILE * notes, const char * fmt, int w, const _num * x, const char * label, ...)
{
    char b[64];
    if (x->ok)
        snprintf(b, sizeof b, fmt, x->v);
    else
    {
        snprintf(b, sizeof b, "n/a");
        if (notes != NULL)
        {
            va_list ap;
            fputs("  n/a: ", notes);
            va_start(ap, label);
            vfprintf(notes, label, ap);
            va_end(ap);
            fprintf(notes, ": %s\n", x->why);
        }
    }
    fprintf(out, "%*s", w, b);
}

/* "key": value, or "key": null, "key_why": "reason" (JSON has no NaN). */
static void
_js(FILE * m, const char * key, const _num * x)
{
    if (x->ok)
        fprintf(m, "\"%s\": %.8g", key, x->v);
    else
    {
        fprintf(m, "\"%s\": null, \"%s_why\": ", key, key);
        neft_json_write_string(m, x->why);
    }
}

/* _js of n numbers, separated by ", ". */
static void
_js_list(FILE * m, const char * const * keys, const _num * const * x, slong n)
{
    slong i;
    for (i = 0; i < n; i++)
    {
        fputs(i ? ", " : "", m);
        _js(m, keys[i], x[i]);
    }
}

/* Writes a memstream buffer to DIR/NAME atomically. */
static int
_save(const char * dir, const char * name, char * buf, size_t len, char * err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!neft_file_write_atomic(path, buf, len))
    {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return 0;
    }
    return 1;
}

/* Writes the figure p to DIR/NAME.tex (atomically). */
static int
_save_plot(const char * dir, const char * name, const neft_eft_plot_t * p, char * err,
           size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.tex", dir, name);
    if (!neft_eft_plot_write_tex(path, p))
    {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return 0;
    }
    return 1;
}

/* DIR/width-N-HASH.ckpt: the checkpoint of one width's sampling, HASH
   (FNV-1a) over everything the sample depends on, so that a checkpoint of
   other settings is never picked up (the sampler would refuse it). */
static void
_ckpt_path(char * buf, size_t len, const char * dir, const neft_sample_spec_t ss)
{
    uint64_t h = 14695981039346656037u;
    slong i;
#define MIX(x) do { uint64_t _v = (uint64_t) (x); int _k; \
    for (_k = 0; _k < 8; _k++) { h ^= (_v >> (8 * _k)) & 0xff; h *= 1099511628211u; } } while (0)
#define MIXD(x) do { double _d = (x); uint64_t _b; memcpy(&_b, &_d, 8); MIX(_b); } while (0)
    /* the sampler's old activation number: the names of checkpoints written
       before the net existed stay the same */
    MIX(neft_sample_activation_lookup(ss->net->act != NULL ? ss->net->act->name : ""));
    MIX(ss->net->d_in);
    MIX(ss->net->depth);
    MIX(neft_net_width_si(ss->net, 1));
    MIXD(neft_net_cw_d(ss->net));
    MIXD(neft_net_cb_d(ss->net));
    MIX(ss->npoints);
    for (i = 0; i < ss->npoints * ss->net->d_in; i++)
        MIXD(ss->points[i]);
    MIX(ss->npt_mask);
    MIX(ss->models);
    MIX(ss->seed);
#undef MIX
#undef MIXD
    snprintf(buf, len, "%s/width-%ld-%016llx.ckpt", dir, (long) neft_net_width_si(ss->net, 1),
             (unsigned long long) h);
}

/* a stop request (neft/interrupt.h) */
static int
_stopped(const neft_eft_validate_spec_t spec)
{
    (void) spec;
    return neft_interrupted();
}

/* The sampler's spec at width w of the chain (ss initialised by the caller). */
static void
_sample_spec(neft_sample_spec_t ss, const neft_eft_validate_spec_t spec, slong w)
{
    _sample_net(ss->net, spec, spec->widths[w]);
    neft_sample_spec_set_points(ss, spec->points, spec->npoints);
    ss->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
    ss->models = spec->models;
    ss->seed = spec->seed + (uint64_t) w;
}

int
neft_eft_validate(const neft_eft_validate_spec_t spec, const char * dir, FILE * out,
                  char * err, size_t errlen)
{
    slong d = spec->d_in, np = spec->npoints, prec = spec->prec, W = spec->nwidths;
    slong C = spec->ncutoffs, w, c, i, t, fw = -1;
    int status = NEFT_FAILURE, kt;
    arb_ptr pts = NULL;
    _width_run * runs = NULL;
    _cut_run * cuts = NULL;
    neft_kernel_t K;
    neft_theory_t th;
    neft_expansion_t ex4, ex6;
    neft_expand_opt_t eopt;
    neft_eval_ctx_t ctx;
    neft_eval_result_t r;
    arb_t a, b, s_slope, s_err, s_err_indep, s_loga, s_chi2, e_slope;
    char slope_why[200] = "";
    int have_slope_s = 0, have_slope_e = 0;
    char * buf = NULL, * nbuf = NULL;
    size_t nlen = 0;
    FILE * nm;
    const char * sdir;
    size_t len = 0;
    FILE * m;
    neft_file_t stage;
    char (* ckpt)[4096] = NULL;

    kt = spec->activation == NEFT_ACTIVATION_RELU ? NEFT_KERNEL_RELU
       : spec->activation == NEFT_ACTIVATION_ERF ? NEFT_KERNEL_ERF
       : spec->activation == NEFT_ACTIVATION_GAUSS ? NEFT_KERNEL_GAUSS : -1;
    if (kt < 0)
    {
        snprintf(err, errlen, "validate needs an activation with a GP kernel (relu, erf, gauss)");
        return NEFT_UNSUPPORTED;
    }
    if (np < 1 || d < 1 || d > 4 || W < 1 || C < 1)
    {
        snprintf(err, errlen, "validate needs inputs, widths and cutoffs (d_in 1 to 4)");
        return NEFT_BAD_INPUT;
    }
    for (w = 0; w < W; w++)
        if (spec->widths[w] == spec->fit_width)
            fw = w;
    if (fw < 0)
    {
        snprintf(err, errlen, "the fit width %ld is not among the widths", (long) spec->fit_width);
        return NEFT_BAD_INPUT;
    }
    /* every width's sampling refused or accepted before anything is written
       or computed (bad input: one line, no progress lines, no directory) */
    for (w = 0; w < W; w++)
    {
        neft_sample_spec_t ss;
        int bad;
        neft_sample_spec_init(ss);
        _sample_spec(ss, spec, w);
        bad = neft_sample_spec_check(ss, err, errlen) != 0;
        neft_sample_spec_clear(ss);
        if (bad)
            return NEFT_BAD_INPUT;
    }
    /* the report is built in a staging directory next to dir and swapped in
       at the end: an interrupted or failed run leaves the previous report */
    if (neft_file_dir_open(stage, dir, "report.json") != 0)
    {
        if (errno == EEXIST)
            snprintf(err, errlen, "%s: exists and is not a neft report (no report.json) nor "
                     "empty; choose another --out", dir);
        else if (errno == ENOTDIR)
            snprintf(err, errlen, "%s: exists and is not a directory; choose another --out", dir);
        else
        {
            /* a full disk, a quota or an I/O error is a runtime failure (1);
               a path that cannot be used (missing parent, no permission,
               read-only) is bad input (2) */
            int e = errno;
            snprintf(err, errlen, "%s: cannot create the report directory: %s", dir,
                     strerror(e));
            return neft_file_errno_is_resource(e) ? NEFT_FAILURE : NEFT_BAD_INPUT;
        }
        return NEFT_BAD_INPUT;
    }
    sdir = stage->tmp;

    pts = _arb_vec_init(np * d);
    for (i = 0; i < np * d; i++)
        arb_set_d(pts + i, spec->points[i]);
    neft_kernel_init(K);
    arb_init(a);
    arb_init(b);
    arb_set_d(a, spec->sw);
    arb_set_d(b, spec->sb);
    neft_kernel_set_params(K, kt, d, a, b, prec + 64);
    arb_init(s_slope); arb_init(s_err); arb_init(s_err_indep); arb_init(s_loga); arb_init(s_chi2);
    arb_init(e_slope);
    runs = flint_calloc(W, sizeof(_width_run));
    ckpt = flint_calloc(W, sizeof(*ckpt));
    cuts = flint_calloc(C, sizeof(_cut_run));
    for (c = 0; c < C; c++)
    {
        arb_init(cuts[c].lam_s);
        arb_init(cuts[c].lam_e);
        arb_mat_init(cuts[c].map, 0, 0);
        cuts[c].L = spec->cutoffs[c];
    }
    neft_theory_init(th);
    neft_expansion_init(ex4);
    neft_expansion_init(ex6);
    neft_eval_result_init(r);
    neft_eval_ctx_init(ctx, 2);
    if (neft_theory_read_string(th, neft_theory_default_text, "<built-in>", err, errlen) != 0)
        goto done;
    neft_expand_opt_init(eopt);
    if (neft_expand(ex4, th, 4, 1, NEFT_PRUNE_CONNECTED, eopt, err, errlen) != NEFT_EXPAND_SUCCESS
        || neft_expand(ex6, th, 6, 1, th->prune, eopt, err, errlen) != NEFT_EXPAND_SUCCESS)
        goto done;

    /* 1. sample and exact at every width */
    for (w = 0; w < W; w++)
    {
        _width_run * R = runs + w;
        neft_sample_spec_t ss;
        neft_sample_opt_t so;
        neft_exact_spec_t es;
        neft_eft_ratio_t qd[2], qb[2], qc, qp;
        double c4 = 0;
        int st;

        R->width = spec->widths[w];
        neft_sample_result_init(R->S);
        neft_exact_result_init(R->E);
        neft_sample_spec_init(ss);
        _sample_spec(ss, spec, w);
        neft_sample_opt_init(so);
        so->threads = spec->threads;
        _progress(spec, "width %ld (%ld/%ld): sampling %llu networks", (long) R->width,
                  (long) w + 1, (long) W, (unsigned long long) spec->models);
        if (spec->state_dir != NULL)
        {
            if (mkdir(spec->state_dir, 0777) != 0 && errno != EEXIST)
            {
                snprintf(err, errlen, "%s: cannot create the folder for checkpoints: %s",
                         spec->state_dir, strerror(errno));
                neft_sample_spec_clear(ss);
                goto done;
            }
            _ckpt_path(ckpt[w], sizeof ckpt[w], spec->state_dir, ss);
            so->checkpoint = ckpt[w];
            if (access(ckpt[w], F_OK) == 0)
                _progress(spec, "width %ld: resuming from %s", (long) R->width, ckpt[w]);
        }
        st = _stopped(spec) ? NEFT_SAMPLE_INTERRUPTED : neft_sample_run(R->S, ss, so, err, errlen);
        neft_sample_spec_clear(ss);
        if (st == NEFT_SAMPLE_INTERRUPTED)
        {
        stopped_at_width:
            if (spec->state_dir != NULL)
                snprintf(err, errlen, "interrupted at width %ld; the sampling done so far is "
                         "saved in %s (run the same command again to resume)",
                         (long) R->width, spec->state_dir);
            else
                snprintf(err, errlen, "interrupted at width %ld", (long) R->width);
            status = NEFT_INTERRUPTED;
            goto done;
        }
        if (st != NEFT_SAMPLE_SUCCESS)
        {
            status = st == NEFT_SAMPLE_BAD_INPUT ? NEFT_BAD_INPUT : NEFT_FAILURE;
            goto done;
        }
        neft_exact_spec_init(es);
        _exact_spec(es, spec, d, R->width);
        neft_exact_spec_set_points(es, pts, np);
        es->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
        R->have_exact = neft_exact_correlators(R->E, es, prec, err, errlen) == NEFT_EXACT_SUCCESS;
        if (_stopped(spec))
        {
            neft_exact_spec_clear(es);
            goto stopped_at_width;
        }
        if (!R->have_exact)
            _progress(spec, "width %ld: no exact correlators (%s)", (long) R->width, err);
        neft_exact_spec_clear(es);
        /* deviations from GP (full correlators) and the connected 6-point check;
           a ratio whose denominator may be 0 is n/a (docs/cmd-validate.md) */
        neft_eft_ratio_init(qd[0]); neft_eft_ratio_init(qd[1]);
        neft_eft_ratio_init(qb[0]); neft_eft_ratio_init(qb[1]);
        neft_eft_ratio_init(qc); neft_eft_ratio_init(qp);
        for (i = 0; i < R->S->length; i++)
        {
            const neft_sample_corr_struct * q = R->S->corr + i;
            slong k = q->npt == 4 ? 0 : 1;
            if (q->npt < 4)
                continue;
            _gp(a, q->idx, q->npt, pts, d, K, prec);
            neft_eft_ratio_add(qd[k], fabs(q->full.mean - _mid(a)), q->full.stderr_, a, 0);
            neft_eft_ratio_add(qb[k], q->full.stderr_, 0, a, 0);
            if (k == 0 && R->have_exact && R->E->corr[i].npt == 4)
            {
                double p4 = fabs(q->connected.mean - _mid(R->E->corr[i].connected))
                          / q->connected.stderr_;
                c4 = isnan(c4) || !(p4 <= c4) ? p4 : c4;
            }
            if (k == 1 && R->have_exact && R->E->corr[i].npt == 6)
            {
                const arb_struct * ex = R->E->corr[i].connected;
                /* sampled over exact: noise-dominated ratios are n/a too */
                neft_eft_ratio_add(qc, q->connected.mean, q->connected.stderr_, ex, 0);
                arb_set_d(b, q->connected.stderr_);
                neft_eft_ratio_add(qp, fabs(q->connected.mean - _mid(ex)), 0, b, 0);
            }
        }
        for (i = 0; i < 2; i++)
        {
            _num_ratio(R->dev + i, qd[i], 0);
            _num_ratio(R->bg + i, qb[i], 0);
        }
        if (R->have_exact)
        {
            _num_ratio(&R->c6_ratio, qc, 1);
            _num_ratio(&R->c6_pull, qp, 0);
            _num_set(&R->c4_pull, c4, NAN);
        }
        else
        {
            _num_na(&R->c4_pull, "no exact correlators");
            _num_na(&R->c6_ratio, "no exact correlators");
            _num_na(&R->c6_pull, "no exact correlators");
        }
    }

    /* 2. the quartic fit at every cutoff, and 3. the 6-point prediction */
    ctx->prec = prec;
    neft_kernel_set(ctx->kernel, K);
    for (c = 0; c < C; c++)
    {
        _cut_run * U = cuts + c;
        neft_eft_data_t D;
        neft_eft_fit_t f;
        neft_eft_ratio_t q[6];
        slong lam = 0;
        _width_run * R = runs + fw;

        if (_stopped(spec))
        {
        stopped_at_cutoff:
            snprintf(err, errlen, "interrupted at cutoff %g%s%s%s", U->L,
                     spec->state_dir ? "; the sampling is saved in " : "",
                     spec->state_dir ? spec->state_dir : "",
                     spec->state_dir ? " (run the same command again to resume)" : "");
            status = NEFT_INTERRUPTED;
            goto done;
        }
        _progress(spec, "cutoff %g (%ld/%ld): fitting lambda, predicting G6", U->L, (long) c + 1,
                  (long) C);
        arf_set_d(ctx->cutoff, U->L);    /* (the integral cache empties itself) */
        _arb_vec_zero(ctx->g, 2);
        _data_from(D, R->S, NULL, 4, pts, np, d);
        neft_eft_fit_init(f, D->ntuples, 1);
        if (!neft_eft_fit_couplings(f, ex4, &lam, 1, D, ctx, err, errlen))
        {
            neft_eft_fit_clear(f);
            neft_eft_data_clear(D);
            if (_stopped(spec))
                goto stopped_at_cutoff;
            goto done;
        }
        arb_set(U->lam_s, f->coeff);
        /* correlated tuples: the Cauchy-Schwarz bound (docs/eft.md) */
        U->lam_s_err = _mid(f->err_max);
        U->lam_s_err_indep = _mid(f->err_indep);
        U->dof = neft_eft_fit_dof(f);
        U->chi2_s = _mid(f->chi2);
        if (U->dof > 0)
            _num_set(&U->chi2dof_s, _mid(f->chi2) / (double) U->dof, NAN);
        else
            _num_na(&U->chi2dof_s, "no degrees of freedom (one tuple)");
        arb_mat_clear(U->map);
        arb_mat_init(U->map, 1, D->ntuples);
        arb_mat_set(U->map, f->map);
        _tuples_of(&U->tup_s, f, D->err);
        neft_eft_fit_clear(f);
        _num_na(&U->tup_e.mean, "no exact correlators");
        U->tup_e.sd = U->tup_e.min = U->tup_e.max = U->tup_e.max_pull = U->tup_e.mean;
        if (R->have_exact)
        {
            /* the same estimator as for the sampled data: weighted by the
               sampled standard errors of the same tuples */
            neft_eft_data_t E;
            _data_from(E, NULL, R->E, 4, pts, np, d);
            if (E->ntuples == D->ntuples
                && memcmp(E->idx, D->idx, sizeof(slong) * D->ntuples * 4) == 0)
            {
                neft_eft_fit_init(f, E->ntuples, 1);
                U->have_e = neft_eft_fit_couplings_weighted(f, ex4, &lam, 1, E, D->err, ctx,
                                                            err, errlen);
                if (U->have_e)
                {
                    arb_set(U->lam_e, f->coeff);
                    U->chi2_e = _mid(f->chi2);
                    _tuples_of(&U->tup_e, f, D->err);
                }
                neft_eft_fit_clear(f);
            }
            neft_eft_data_clear(E);
            if (_stopped(spec))
            {
                neft_eft_data_clear(D);
                goto stopped_at_cutoff;
            }
        }
        /* G6 with the fitted (sampled) lambda, kappa = 0 */
        neft_eft_ratio_init(q[0]); neft_eft_ratio_init(q[1]); neft_eft_ratio_init(q[2]);
        neft_eft_ratio_init(q[3]); neft_eft_ratio_init(q[4]); neft_eft_ratio_init(q[5]);
        for (i = 0; i < R->S->length; i++)
        {
            const neft_sample_corr_struct * qs = R->S->corr + i;
            arb_ptr sel;
            double gp, eft, eft_err;
            if (qs->npt != 6)
                continue;
            sel = _arb_vec_init(6 * d);
            for (t = 0; t < 6; t++)
                _arb_vec_set(sel + t * d, pts + qs->idx[t] * d, d);
            arb_set(ctx->g + 0, U->lam_s);
            if (!neft_status_has_value(neft_eval(r, ex6, sel, ctx, err, errlen)))
            {
                _arb_vec_clear(sel, 6 * d);
                neft_eft_data_clear(D);
                if (_stopped(spec))
                    goto stopped_at_cutoff;
                goto done;
            }
            _arb_vec_clear(sel, 6 * d);
            eft = _mid(r->value);
            _gp(a, qs->idx, 6, pts, d, K, prec);
            gp = _mid(a);
            /* G6_EFT = G6_GP + lambda I: its error from lambda's */
            eft_err = _mid(U->lam_s) != 0 ? fabs(eft - gp) * U->lam_s_err / fabs(_mid(U->lam_s))
                                          : INFINITY;
            arb_set_d(b, qs->full.mean);
            neft_eft_ratio_add(q[0], gp, 0, b, qs->full.stderr_);
            neft_eft_ratio_add(q[1], eft, eft_err, b, qs->full.stderr_);
            arb_set_d(b, qs->full.stderr_);
            neft_eft_ratio_add(q[2], fabs(gp - qs->full.mean), 0, b, 0);
            neft_eft_ratio_add(q[3], fabs(eft - qs->full.mean), 0, b, 0);
            if (R->have_exact)
            {
                neft_eft_ratio_add(q[4], gp, 0, R->E->corr[i].full, 0);
                neft_eft_ratio_add(q[5], eft, eft_err, R->E->corr[i].full, 0);
            }
        }
        neft_eft_data_clear(D);
        _num_ratio(&U->r_gp, q[0], 1);
        _num_ratio(&U->r_eft, q[1], 1);
        _num_ratio(&U->d_gp, q[2], 0);
        _num_ratio(&U->d_eft, q[3], 0);
        if (R->have_exact)
        {
            _num_ratio(&U->re_gp, q[4], 1);
            _num_ratio(&U->re_eft, q[5], 1);
        }
        else
        {
            _num_na(&U->re_gp, "no exact correlators");
            _num_na(&U->re_eft, "no exact correlators");
        }
    }
    /* running: both columns with the same weights (the sampled errors); the
       error of the sampled exponent propagated from the data through the
       fits (docs/eft.md): 0 when the exponent does not depend on the data */
    if (C >= 2)
    {
        arb_ptr L = _arb_vec_init(C), g = _arb_vec_init(C), e = _arb_vec_init(C);
        arb_ptr ds = _arb_vec_init(C), s4 = NULL;
        arb_mat_struct * maps = flint_malloc(sizeof(arb_mat_struct) * C);
        neft_eft_data_t D;
        int noisy = 0;
        _data_from(D, runs[fw].S, NULL, 4, pts, np, d);
        s4 = D->err;
        for (c = 0; c < C; c++)
        {
            arb_set_d(L + c, cuts[c].L);
            arb_set(g + c, cuts[c].lam_s);
            arb_set_d(e + c, cuts[c].lam_s_err);
            maps[c] = *cuts[c].map;
            noisy = noisy || !(cuts[c].lam_s_err < fabs(_mid(cuts[c].lam_s)));
        }
        if (noisy)
            snprintf(slope_why, sizeof slope_why, "a fitted lambda is noise-dominated (its "
                     "error is not below its value): log|lambda| is not a number");
        else
        {
            have_slope_s = neft_eft_power_law_sens(s_slope, s_loga, s_chi2, ds, L, g, e, C, prec);
            if (have_slope_s)
                neft_eft_running_error(s_err, s_err_indep, ds, maps, 0, C, s4, prec);
            else
                snprintf(slope_why, sizeof slope_why, "a fitted lambda may be 0");
        }
        if (runs[fw].have_exact)
        {
            int all = 1;
            for (c = 0; c < C; c++)
            {
                all = all && cuts[c].have_e;
                arb_set(g + c, cuts[c].lam_e);
            }
            if (all)
                have_slope_e = neft_eft_power_law_sens(e_slope, a, b, NULL, L, g, e, C, prec);
        }
        neft_eft_data_clear(D);
        flint_free(maps);
        _arb_vec_clear(L, C);
        _arb_vec_clear(g, C);
        _arb_vec_clear(e, C);
        _arb_vec_clear(ds, C);
    }
    else
        snprintf(slope_why, sizeof slope_why, "one cutoff");

    /* 4. summary (n/a for the numbers that are not; the reasons below) */
    nm = open_memstream(&nbuf, &nlen);
    fprintf(out, "# neft validate: %s, d_in = %ld, sw = %g, sb = %g, %ld inputs, %llu models "
                 "per width\n", neft_sample_activation_name(spec->activation), (long) d, spec->sw,
            spec->sb, (long) np, (unsigned long long) spec->models);
    fprintf(out, "\n  width   |G4-GP|/GP   background   |G6-GP|/GP   background   G6c/exact   "
                 "|G6c-exact|/err\n");
    for (w = 0; w < W; w++)
    {
        _width_run * R = runs + w;
        long N = (long) R->width;
        fprintf(out, "  %5ld   ", N);
        _txt(out, nm, "%.3e", 10, R->dev + 0, "|G4-GP|/GP at width %ld", N);
        fputs("   ", out);
        _txt(out, nm, "%.3e", 10, R->bg + 0, "background of G4 at width %ld", N);
        fputs("   ", out);
        _txt(out, nm, "%.3e", 10, R->dev + 1, "|G6-GP|/GP at width %ld", N);
        fputs("   ", out);
        _txt(out, nm, "%.3e", 10, R->bg + 1, "background of G6 at width %ld", N);
        fputs("   ", out);
        _txt(out, nm, "%.4f", 9, &R->c6_ratio, "G6c/exact at width %ld", N);
        fputs("   ", out);
        _txt(out, nm, "%.2f", 8, &R->c6_pull, "|G6c-exact|/err at width %ld", N);
        fputs("\n", out);
    }
    fprintf(out, "\n  fit at width %ld (sampled and exact G4c, both weighted by the sampled "
                 "standard errors)\n", (long) spec->fit_width);
    fprintf(out, "  cutoff   lambda (sampled)            lambda (exact)       chi2/dof   "
                 "G6_GP/G6   G6_EFT/G6   |GP-G6|/err   |EFT-G6|/err\n");
    for (c = 0; c < C; c++)
    {
        _cut_run * U = cuts + c;
        _num le;
        if (U->have_e)
            _num_set(&le, _mid(U->lam_e), NAN);
        else
            _num_na(&le, "no exact correlators");
        fprintf(out, "  %6g   %12.5e +- %9.2e   ", U->L, _mid(U->lam_s), U->lam_s_err);
        _txt(out, NULL, "%.7e", 14, &le, "");
        fputs("   ", out);
        _txt(out, nm, "%.2f", 7, &U->chi2dof_s, "chi2/dof at cutoff %g", U->L);
        fputs("   ", out);
        _txt(out, nm, "%.4f", 8, &U->r_gp, "G6_GP/G6 at cutoff %g", U->L);
        fputs("   ", out);
        _txt(out, nm, "%.4f", 9, &U->r_eft, "G6_EFT/G6 at cutoff %g", U->L);
        fputs("   ", out);
        _txt(out, nm, "%.2f", 10, &U->d_gp, "|GP-G6|/err at cutoff %g", U->L);
        fputs("   ", out);
        _txt(out, nm, "%.2f", 10, &U->d_eft, "|EFT-G6|/err at cutoff %g", U->L);
        fputs("\n", out);
    }
    fprintf(out, "\n  per-tuple lambda (G4c_t / I_t alone, HMS's lambda_m): mean, spread (sd) "
                 "and the largest |residual|/err of each fit\n"
                 "  cutoff   sampled: mean      sd          max pull   exact: mean        sd  "
                 "        max pull\n");
    for (c = 0; c < C; c++)
    {
        _cut_run * U = cuts + c;
        _tuples * tu[2] = {&U->tup_s, &U->tup_e};
        fprintf(out, "  %6g   ", U->L);
        for (t = 0; t < 2; t++)
        {
            fputs(t ? "   " : "", out);
            _txt(out, NULL, "%.5e", 17, &tu[t]->mean, "");
            _txt(out, NULL, "%.2e", 12, &tu[t]->sd, "");
            _txt(out, NULL, "%.2f", 11, &tu[t]->max_pull, "");
        }
        fputs("\n", out);
    }
    {
        double expect = kt == NEFT_KERNEL_RELU ? -(4.0 + d) : -(double) d;
        fprintf(out, "\n  running: |lambda| ~ cutoff^p, p = ");
        if (have_slope_s)
            fprintf(out, "%.4f +- %.4f (sampled; %.4f for independent tuples)", _mid(s_slope),
                    _ub(s_err), _ub(s_err_indep));
        else
            fprintf(out, "n/a (sampled: %s)", slope_why);
        if (have_slope_e)
            fprintf(out, ", %.6f (exact)", _mid(e_slope));
        fprintf(out, "; expected at large cutoff: %g%s\n", expect,
                kt == NEFT_KERNEL_RELU ? " (-(4 + d_in): the ReLU kernel grows like |y|)"
                                       : " (-d_in: bounded kernel)");
    }
    fclose(nm);
    if (nlen > 0)
        fprintf(out, "\n%s", nbuf);
    free(nbuf);
    nbuf = NULL;

    /* 5. report.json */
    m = open_memstream(&buf, &len);
    fputs("{\"activation\": ", m);
    neft_json_write_string(m, neft_sample_activation_name(spec->activation));
    fprintf(m, ", \"d_in\": %ld, \"sw\": %.17g, \"sb\": %.17g, "
               "\"models\": %llu, \"seed\": %llu, \"inputs\": [",
            (long) d, spec->sw, spec->sb,
            (unsigned long long) spec->models, (unsigned long long) spec->seed);
    for (i = 0; i < np; i++)
    {
        fprintf(m, "%s[", i ? ", " : "");
        for (t = 0; t < d; t++)
            fprintf(m, "%s%.17g", t ? ", " : "", spec->points[i * d + t]);
        fprintf(m, "]");
    }
    fprintf(m, "],\n \"widths\": [");
    for (w = 0; w < W; w++)
    {
        static const char * const wk[5] = {"dev4", "background4", "dev6", "background6",
                                           "g6c_over_exact"};
        const _num * wv[5] = {runs[w].dev + 0, runs[w].bg + 0, runs[w].dev + 1, runs[w].bg + 1,
                              &runs[w].c6_ratio};
        fprintf(m, "%s\n  {\"width\": %ld, ", w ? "," : "", (long) runs[w].width);
        _js_list(m, wk, wv, 5);
        if (runs[w].c6_ratio.ok)
            fprintf(m, ", \"g6c_over_exact_err\": %.6g", runs[w].c6_ratio.e);
        fputs(", ", m);
        _js(m, "g6c_pull", &runs[w].c6_pull);
        fputs(", ", m);
        _js(m, "g4c_pull_max", &runs[w].c4_pull);
        fputs("}", m);
    }
    fprintf(m, "],\n \"fit_width\": %ld, \"weights\": \"sampled standard errors\", "
               "\"cutoffs\": [", (long) spec->fit_width);
    for (c = 0; c < C; c++)
    {
        _cut_run * U = cuts + c;
        static const char * nm4[2] = {"sampled", "exact"};
        _tuples * tu[2] = {&U->tup_s, &U->tup_e};
        fprintf(m, "%s\n  {\"cutoff\": %.17g, \"lambda_sampled\": ", c ? "," : "", U->L);
        _json_ball(m, U->lam_s);
        fprintf(m, ", \"lambda_stderr\": %.6g, \"lambda_stderr_independent\": %.6g, "
                   "\"chi2\": %.6g, \"dof\": %ld, ", U->lam_s_err, U->lam_s_err_indep, U->chi2_s,
                (long) U->dof);
        _js(m, "chi2_per_dof", &U->chi2dof_s);
        fprintf(m, ", \"lambda_exact\": ");
        if (U->have_e)
        {
            _json_ball(m, U->lam_e);
            fprintf(m, ", \"chi2_exact\": %.6g", U->chi2_e);
        }
        else
            fprintf(m, "null");
        for (t = 0; t < 2; t++)
        {
            static const char * const tk[5] = {"mean", "sd", "min", "max", "max_pull"};
            const _num * tv[5] = {&tu[t]->mean, &tu[t]->sd, &tu[t]->min, &tu[t]->max,
                                  &tu[t]->max_pull};
            fprintf(m, ",\n   \"lambda_tuples_%s\": {", nm4[t]);
            _js_list(m, tk, tv, 5);
            fputs("}", m);
        }
        {
            static const char * const gk[6] = {"g6_gp_over_sampled", "g6_eft_over_sampled",
                "g6_gp_pull", "g6_eft_pull", "g6_gp_over_exact", "g6_eft_over_exact"};
            const _num * gv[6] = {&U->r_gp, &U->r_eft, &U->d_gp, &U->d_eft, &U->re_gp,
                                  &U->re_eft};
            fputs(",\n   ", m);
            _js_list(m, gk, gv, 6);
        }
        fputs("}", m);
    }
    fprintf(m, "],\n \"running\": {\"slope_sampled\": ");
    if (have_slope_s)
    {
        _json_ball(m, s_slope);
        fprintf(m, ", \"slope_stderr\": %.6g, \"slope_stderr_independent\": %.6g",
                _ub(s_err), _ub(s_err_indep));
    }
    else
        fprintf(m, "null, \"slope_sampled_why\": \"%s\"", slope_why);
    fprintf(m, ", \"slope_exact\": ");
    if (have_slope_e)
        _json_ball(m, e_slope);
    else
        fprintf(m, "null");
    fprintf(m, ", \"expected\": %g}}\n", kt == NEFT_KERNEL_RELU ? -(4.0 + d) : -(double) d);
    fclose(m);
    if (!_save(sdir, "report.json", buf, len, err, errlen))
        goto done;
    free(buf);
    buf = NULL;

    /* 6. figures */
    {
        /* per width: x, deviations and backgrounds; per cutoff: x and four curves */
        double * buf6 = flint_malloc(sizeof(double) * (5 * W + 5 * C));
        double * xw = buf6, * d4 = xw + W, * d6 = d4 + W, * b4 = d6 + W, * b6 = b4 + W;
        double * lx = b6 + W, * ly = lx + C, * le = ly + C, * lf = le + C, * lz = lf + C;
        neft_eft_plot_t p;
        const char * names[3] = {"falloff", "running", "sixpt"};
        char why[512];
        slong f;
        int ok;

        for (w = 0; w < W; w++)
        {
            xw[w] = (double) runs[w].width;
            /* n/a points are left out of the figure */
            d4[w] = _val(runs[w].dev + 0); d6[w] = _val(runs[w].dev + 1);
            b4[w] = _val(runs[w].bg + 0); b6[w] = _val(runs[w].bg + 1);
        }
        memset(&p, 0, sizeof p);
        p.title = "Deviation from the GP (sampled)";
        p.xlabel = "width $N$";
        p.ylabel = "mean $|G^{(n)} - G^{(n)}_{\\mathrm{GP}}| / G^{(n)}_{\\mathrm{GP}}$";
        p.logx = p.logy = 1;
        p.nseries = 4;
        p.series[0] = (neft_eft_series_t) {"$n=4$", W, xw, d4, NULL, 0};
        p.series[1] = (neft_eft_series_t) {"$n=6$", W, xw, d6, NULL, 0};
        p.series[2] = (neft_eft_series_t) {"background $n=4$", W, xw, b4, NULL, 1};
        p.series[3] = (neft_eft_series_t) {"background $n=6$", W, xw, b6, NULL, 1};
        ok = _save_plot(sdir, names[0], &p, err, errlen);

        for (c = 0; c < C; c++)
        {
            lx[c] = cuts[c].L;
            ly[c] = fabs(_mid(cuts[c].lam_s));
            le[c] = cuts[c].lam_s_err;
            lf[c] = have_slope_s ? exp(_mid(s_loga) + _mid(s_slope) * log(cuts[c].L)) : NAN;
            lz[c] = cuts[c].have_e ? fabs(_mid(cuts[c].lam_e)) : NAN;
        }
        memset(&p, 0, sizeof p);
        p.title = "Running of the quartic coupling";
        p.xlabel = "cutoff $\\Lambda$";
        p.ylabel = "$|\\lambda|$";
        p.logx = p.logy = 1;
        p.nseries = 3;
        p.series[0] = (neft_eft_series_t) {"fit to sampled $G_4$", C, lx, ly, le, 0};
        p.series[1] = (neft_eft_series_t) {"fit to exact $G_4$", C, lx, lz, NULL, 0};
        p.series[2] = (neft_eft_series_t) {"power law", C, lx, lf, NULL, 1};
        ok = ok && _save_plot(sdir, names[1], &p, err, errlen);

        for (c = 0; c < C; c++)
        {
            ly[c] = _val(&cuts[c].r_gp);
            lf[c] = _val(&cuts[c].r_eft);
        }
        memset(&p, 0, sizeof p);
        p.title = "Six-point function at the fit width";
        p.xlabel = "cutoff $\\Lambda$";
        p.ylabel = "$G^{(6)}_{\\mathrm{theory}} / G^{(6)}_{\\mathrm{sampled}}$";
        p.logx = 1;
        p.nseries = 2;
        p.series[0] = (neft_eft_series_t) {"GP", C, lx, ly, NULL, 0};
        p.series[1] = (neft_eft_series_t) {"EFT, fitted $\\lambda$", C, lx, lf, NULL, 0};
        ok = ok && _save_plot(sdir, names[2], &p, err, errlen);
        flint_free(buf6);
        if (!ok)
            goto done;
        for (f = 0; f < 3; f++)
        {
            int rc = neft_eft_plot_compile(sdir, names[f], why, sizeof why);
            if (_stopped(spec))
                break;      /* (reported below) */
            if (rc != 0)
            {
                _unstage(why, sizeof why, sdir, dir);
                if (spec->message != NULL)
                    spec->message(spec->message_arg, 1, why);
            }
            if (rc == 1)
                break;
        }
    }

    /* 7. report.tex */
    m = open_memstream(&buf, &len);
    fprintf(m, "\\documentclass[10pt]{article}\n\\usepackage[margin=2cm]{geometry}\n"
               "\\usepackage{amsmath}\n\\usepackage{graphicx}\n\\allowdisplaybreaks\n"
               "\\begin{document}\n\\section*{neft validate: %s, $d_{\\mathrm{in}} = %ld$}\n",
            neft_sample_activation_name(spec->activation), (long) d);
    fprintf(m, "Single-hidden-layer networks, $\\sigma_w = %g$, $\\sigma_b = %g$, %llu networks "
               "per width, %ld inputs. The action is $S = S_{\\mathrm{GP}} + \\lambda\\int f^4 + "
               "\\kappa \\int f^6$ (Halverson--Maiti--Stoner); the kernel $K$ is the propagator "
               "and vertices are integrated over $[-\\Lambda,\\Lambda]^{d_{\\mathrm{in}}}$.\n\n"
               "\\subsection*{Expansions used}\nConnected four-point function at first order:\n",
            spec->sw, spec->sb, (unsigned long long) spec->models, (long) np);
    {
        neft_emit_opt_t eo;
        neft_emit_opt_init(eo);
        eo->group = 1;
        neft_emit_latex(m, ex4, eo);
        fprintf(m, "\nSix-point function at first order (fitted $\\lambda$, $\\kappa = 0$ in the "
                   "prediction):\n");
        neft_emit_latex(m, ex6, eo);
    }
    fprintf(m, "\n\\subsection*{Deviation from the Gaussian process}\n"
               "\\begin{tabular}{rrrrrrr}\n$N$ & $|\\Delta G_4|/G_4$ & bg. & $|\\Delta G_6|/G_6$ & "
               "bg. & $G_{6,c}$/exact & pull\\\\\\hline\n");
    for (w = 0; w < W; w++)
    {
        const _num * row[6] = {runs[w].dev + 0, runs[w].bg + 0, runs[w].dev + 1, runs[w].bg + 1,
                               &runs[w].c6_ratio, &runs[w].c6_pull};
        static const char * fmt[6] = {"%.3e", "%.3e", "%.3e", "%.3e", "%.4f", "%.2f"};
        fprintf(m, "%ld", (long) runs[w].width);
        for (t = 0; t < 6; t++)
        {
            fputs(" & ", m);
            _txt(m, NULL, fmt[t], 0, row[t], "");
        }
        fputs("\\\\\n", m);
    }
    fprintf(m, "\\end{tabular}\n\n\\IfFileExists{falloff.pdf}{\\includegraphics[width=0.7\\textwidth]"
               "{falloff.pdf}}{}\n\n\\subsection*{Quartic coupling and its running (width %ld)}\n"
               "\\begin{tabular}{rrrrrr}\n$\\Lambda$ & $\\lambda$ (sampled) & stat. err. & "
               "$\\lambda$ (exact) & $G_6^{\\mathrm{GP}}/G_6$ & $G_6^{\\mathrm{EFT}}/G_6$\\\\\\hline\n",
            (long) spec->fit_width);
    for (c = 0; c < C; c++)
    {
        _num le;
        if (cuts[c].have_e)
            _num_set(&le, _mid(cuts[c].lam_e), NAN);
        else
            _num_na(&le, "no exact correlators");
        fprintf(m, "%g & %.5e & %.2e & ", cuts[c].L, _mid(cuts[c].lam_s), cuts[c].lam_s_err);
        _txt(m, NULL, "%.7e", 0, &le, "");
        fputs(" & ", m);
        _txt(m, NULL, "%.4f", 0, &cuts[c].r_gp, "");
        fputs(" & ", m);
        _txt(m, NULL, "%.4f", 0, &cuts[c].r_eft, "");
        fputs("\\\\\n", m);
    }
    fprintf(m, "\\end{tabular}\n\n");
    if (have_slope_s)
        fprintf(m, "Power law $|\\lambda| \\propto \\Lambda^{p}$: $p = %.4f \\pm %.4f$ (sampled; "
                "the error propagated from the data through the fits)", _mid(s_slope), _ub(s_err));
    else
        fprintf(m, "Power law $|\\lambda| \\propto \\Lambda^{p}$: $p$ = n/a (sampled: %s)",
                slope_why);
    if (have_slope_e)
        fprintf(m, ", $p = %.6f$ (exact)", _mid(e_slope));
    fprintf(m, ".\n\n");
    fprintf(m, "\\IfFileExists{running.pdf}{\\includegraphics[width=0.7\\textwidth]{running.pdf}}{}\n\n"
               "\\IfFileExists{sixpt.pdf}{\\includegraphics[width=0.7\\textwidth]{sixpt.pdf}}{}\n"
               "\\end{document}\n");
    fclose(m);
    if (!_save(sdir, "report.tex", buf, len, err, errlen))
        goto done;
    if (_stopped(spec))
    {
        snprintf(err, errlen, "interrupted while writing the report%s%s%s", spec->state_dir ?
                 "; the sampling is saved in " : "", spec->state_dir ? spec->state_dir : "",
                 spec->state_dir ? " (run the same command again to resume)" : "");
        status = NEFT_INTERRUPTED;
        goto done;
    }
    if (neft_file_dir_commit(stage) != 0)
    {
        snprintf(err, errlen, "%s: cannot replace the report directory: %s", dir, strerror(errno));
        goto done;
    }
    if (spec->state_dir != NULL)
    {
        /* the checkpoints served their purpose; the folder goes if empty */
        for (w = 0; w < W; w++)
            if (ckpt[w][0] != '\0')
                remove(ckpt[w]);
        rmdir(spec->state_dir);
    }
    fprintf(out, "\n  report: %s/report.json, %s/report.tex, figures %s/{falloff,running,sixpt}\n",
            dir, dir, dir);
    status = NEFT_SUCCESS;
done:
    if (status != NEFT_SUCCESS && stage->tmp != NULL)
        _unstage(err, errlen, stage->tmp, dir);
    neft_file_dir_abort(stage);     /* no-op after the commit */
    free(buf);
    free(nbuf);
    for (w = 0; runs && w < W; w++)
    {
        if (runs[w].width == 0)
            continue;
        neft_sample_result_clear(runs[w].S);
        neft_exact_result_clear(runs[w].E);
    }
    for (c = 0; cuts && c < C; c++)
    {
        arb_clear(cuts[c].lam_s);
        arb_clear(cuts[c].lam_e);
        arb_mat_clear(cuts[c].map);
    }
    flint_free(runs);
    flint_free(cuts);
    flint_free(ckpt);
    neft_eval_ctx_clear(ctx);
    neft_eval_result_clear(r);
    neft_expansion_clear(ex4);
    neft_expansion_clear(ex6);
    neft_theory_clear(th);
    neft_kernel_clear(K);
    arb_clear(a); arb_clear(b);
    arb_clear(s_slope); arb_clear(s_err); arb_clear(s_err_indep); arb_clear(s_loga); arb_clear(s_chi2); arb_clear(e_slope);
    _arb_vec_clear(pts, np * d);
    return status;
}
