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
    s->progress = 1;
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

/* binomial(n + k - 1, k): the sorted k-tuples of n inputs */
static double
_multisets(slong n, slong k)
{
    double c = 1;
    slong i;
    for (i = 1; i <= k; i++)
        c = c * (double) (n + i - 1) / (double) i;
    return c;
}

void
neft_eft_validate_cost(double * ops, double * bytes, double * sample_ops,
                       const neft_eft_validate_spec_t spec)
{
    slong d = spec->d_in, np = spec->npoints, W = spec->nwidths, C = spec->ncutoffs, w, c, i;
    int kt = spec->activation == NEFT_ACTIVATION_RELU ? NEFT_KERNEL_RELU
           : spec->activation == NEFT_ACTIVATION_ERF ? NEFT_KERNEL_ERF
           : spec->activation == NEFT_ACTIVATION_GAUSS ? NEFT_KERNEL_GAUSS : -1;
    double o, b, pm, T4 = _multisets(np, 4), T6 = _multisets(np, 6), kept = 0, peak = 0;
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
        ss->activation = spec->activation;
        ss->d_in = d;
        ss->widths[0] = FLINT_MAX(spec->widths[w], 1);
        ss->cw = spec->sw * spec->sw;
        ss->cb = spec->sb * spec->sb;
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
        es->activation = spec->activation;
        es->d_in = d;
        arb_set_d(es->sw, spec->sw);
        arb_set_d(es->sb, spec->sb);
        neft_exact_spec_set_points(es, pts, np);
        fmpz_set_si(es->width, FLINT_MAX(spec->widths[w], 1));
        es->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
        neft_exact_cost(&o, &b, es, spec->prec);
        *ops += o;
        peak = FLINT_MAX(peak, b);
        neft_exact_spec_clear(es);
        /* the results kept: sampled and exact correlators of 2, 4, 6 points */
        kept += (_multisets(np, 2) + T4 + T6)
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

/* Everything measured at one width. */
typedef struct
{
    slong width;
    neft_sample_result_t S;
    neft_exact_result_t E;
    int have_exact;
    double dev[2], bg[2];           /* n = 4, 6: mean |G - G_GP| / G_GP and stderr / G_GP */
    double c6_ratio, c6_pull;       /* sampled G6c / exact G6c (mean), mean |diff| / stderr */
}
_width_run;

typedef struct
{
    double L;
    arb_t lam_s, lam_e;             /* fitted from sampled / exact G4c */
    double lam_s_err, chi2_s, chi2_e;
    slong dof;
    int have_e;
    double r_gp, r_eft;             /* mean G6_GP / G6_sampled, G6_EFT / G6_sampled */
    double d_gp, d_eft;             /* mean |G6_GP - G6_s| / stderr, same for EFT */
    double re_gp, re_eft;           /* the same ratios against the exact G6 */
}
_cut_run;

static void
_progress(const neft_eft_validate_spec_t spec, const char * fmt, ...)
{
    va_list ap;
    if (!spec->progress)
        return;
    fputs("validate: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
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
    MIX(ss->activation);
    MIX(ss->d_in);
    MIX(ss->depth);
    MIX(ss->widths[0]);
    MIXD(ss->cw);
    MIXD(ss->cb);
    MIX(ss->npoints);
    for (i = 0; i < ss->npoints * ss->d_in; i++)
        MIXD(ss->points[i]);
    MIX(ss->npt_mask);
    MIX(ss->models);
    MIX(ss->seed);
#undef MIX
#undef MIXD
    snprintf(buf, len, "%s/width-%ld-%016llx.ckpt", dir, (long) ss->widths[0],
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
    ss->activation = spec->activation;
    ss->d_in = spec->d_in;
    ss->depth = 2;
    ss->widths[0] = spec->widths[w];
    ss->cw = spec->sw * spec->sw;
    ss->cb = spec->sb * spec->sb;
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
    int status = 1, kt;
    arb_ptr pts = NULL;
    _width_run * runs = NULL;
    _cut_run * cuts = NULL;
    neft_kernel_t K;
    neft_theory_t th;
    neft_expansion_t ex4, ex6;
    neft_expand_opt_t eopt;
    neft_eval_ctx_t ctx;
    neft_eval_result_t r;
    arb_t a, b, s_slope, s_err, s_loga, s_chi2, e_slope;
    int have_slope_s = 0, have_slope_e = 0;
    char * buf = NULL;
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
        return 2;
    }
    if (np < 1 || d < 1 || d > 4 || W < 1 || C < 1)
    {
        snprintf(err, errlen, "validate needs inputs, widths and cutoffs (d_in 1 to 4)");
        return 2;
    }
    for (w = 0; w < W; w++)
        if (spec->widths[w] == spec->fit_width)
            fw = w;
    if (fw < 0)
    {
        snprintf(err, errlen, "the fit width %ld is not among the widths", (long) spec->fit_width);
        return 2;
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
            return 2;
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
            return (e == ENOSPC || e == EDQUOT || e == EIO || e == ENOMEM) ? 1 : 2;
        }
        return 2;
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
    arb_init(s_slope); arb_init(s_err); arb_init(s_loga); arb_init(s_chi2); arb_init(e_slope);
    runs = flint_calloc(W, sizeof(_width_run));
    ckpt = flint_calloc(W, sizeof(*ckpt));
    cuts = flint_calloc(C, sizeof(_cut_run));
    for (c = 0; c < C; c++)
    {
        arb_init(cuts[c].lam_s);
        arb_init(cuts[c].lam_e);
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
        double s4 = 0, s6 = 0, b4 = 0, b6 = 0, cr = 0, cp = 0;
        slong n4 = 0, n6 = 0, nc = 0;
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
            status = 3;
            goto done;
        }
        if (st != NEFT_SAMPLE_SUCCESS)
        {
            status = st == NEFT_SAMPLE_BAD_INPUT ? 2 : 1;
            goto done;
        }
        neft_exact_spec_init(es);
        es->activation = spec->activation;
        es->d_in = d;
        arb_set_d(es->sw, spec->sw);
        arb_set_d(es->sb, spec->sb);
        neft_exact_spec_set_points(es, pts, np);
        fmpz_set_si(es->width, R->width);
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
        /* deviations from GP (full correlators) and the connected 6-point check */
        for (i = 0; i < R->S->length; i++)
        {
            const neft_sample_corr_struct * q = R->S->corr + i;
            double gp;
            if (q->npt < 4)
                continue;
            _gp(a, q->idx, q->npt, pts, d, K, prec);
            gp = _mid(a);
            if (q->npt == 4)
            {
                s4 += fabs(q->full.mean - gp) / gp;
                b4 += q->full.stderr_ / gp;
                n4++;
            }
            else
            {
                s6 += fabs(q->full.mean - gp) / gp;
                b6 += q->full.stderr_ / gp;
                n6++;
                if (R->have_exact && R->E->corr[i].npt == 6)
                {
                    double ex = _mid(R->E->corr[i].connected);
                    if (ex != 0)
                    {
                        cr += q->connected.mean / ex;
                        cp += fabs(q->connected.mean - ex) / q->connected.stderr_;
                        nc++;
                    }
                }
            }
        }
        R->dev[0] = s4 / n4; R->bg[0] = b4 / n4;
        R->dev[1] = s6 / n6; R->bg[1] = b6 / n6;
        R->c6_ratio = nc ? cr / nc : NAN;
        R->c6_pull = nc ? cp / nc : NAN;
    }

    /* 2. the quartic fit at every cutoff, and 3. the 6-point prediction */
    ctx->prec = prec;
    neft_kernel_set(ctx->kernel, K);
    for (c = 0; c < C; c++)
    {
        _cut_run * U = cuts + c;
        neft_eft_data_t D;
        neft_eft_fit_t f;
        slong lam = 0, n6 = 0;
        _width_run * R = runs + fw;

        if (_stopped(spec))
        {
        stopped_at_cutoff:
            snprintf(err, errlen, "interrupted at cutoff %g%s%s%s", U->L,
                     spec->state_dir ? "; the sampling is saved in " : "",
                     spec->state_dir ? spec->state_dir : "",
                     spec->state_dir ? " (run the same command again to resume)" : "");
            status = 3;
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
        U->chi2_s = _mid(f->chi2);
        U->dof = neft_eft_fit_dof(f);
        neft_eft_fit_clear(f);
        neft_eft_data_clear(D);
        if (R->have_exact)
        {
            _data_from(D, NULL, R->E, 4, pts, np, d);
            neft_eft_fit_init(f, D->ntuples, 1);
            U->have_e = neft_eft_fit_couplings(f, ex4, &lam, 1, D, ctx, err, errlen);
            if (U->have_e)
            {
                arb_set(U->lam_e, f->coeff);
                U->chi2_e = _mid(f->chi2);
            }
            neft_eft_fit_clear(f);
            neft_eft_data_clear(D);
            if (_stopped(spec))
                goto stopped_at_cutoff;
        }
        /* G6 with the fitted (sampled) lambda, kappa = 0 */
        U->r_gp = U->r_eft = U->d_gp = U->d_eft = U->re_gp = U->re_eft = 0;
        for (i = 0; i < R->S->length; i++)
        {
            const neft_sample_corr_struct * q = R->S->corr + i;
            arb_ptr sel;
            double gp, eft;
            if (q->npt != 6)
                continue;
            sel = _arb_vec_init(6 * d);
            for (t = 0; t < 6; t++)
                _arb_vec_set(sel + t * d, pts + q->idx[t] * d, d);
            arb_set(ctx->g + 0, U->lam_s);
            if (neft_eval(r, ex6, sel, ctx, err, errlen) >= NEFT_INTEGRATE_UNSUPPORTED)
            {
                _arb_vec_clear(sel, 6 * d);
                if (_stopped(spec))
                    goto stopped_at_cutoff;
                goto done;
            }
            _arb_vec_clear(sel, 6 * d);
            eft = _mid(r->value);
            _gp(a, q->idx, 6, pts, d, K, prec);
            gp = _mid(a);
            U->r_gp += gp / q->full.mean;
            U->r_eft += eft / q->full.mean;
            U->d_gp += fabs(gp - q->full.mean) / q->full.stderr_;
            U->d_eft += fabs(eft - q->full.mean) / q->full.stderr_;
            if (R->have_exact)
            {
                double ex = _mid(R->E->corr[i].full);
                U->re_gp += gp / ex;
                U->re_eft += eft / ex;
            }
            n6++;
        }
        if (n6)
        {
            U->r_gp /= n6; U->r_eft /= n6; U->d_gp /= n6; U->d_eft /= n6;
            U->re_gp /= n6; U->re_eft /= n6;
        }
    }
    /* running */
    if (C >= 2)
    {
        arb_ptr L = _arb_vec_init(C), g = _arb_vec_init(C), e = _arb_vec_init(C);
        for (c = 0; c < C; c++)
        {
            arb_set_d(L + c, cuts[c].L);
            arb_set(g + c, cuts[c].lam_s);
            arb_set_d(e + c, cuts[c].lam_s_err);
        }
        have_slope_s = neft_eft_power_law(s_slope, s_err, s_loga, s_chi2, L, g, e, C, 0, prec);
        if (runs[fw].have_exact)
        {
            int all = 1;
            for (c = 0; c < C; c++)
            {
                all = all && cuts[c].have_e;
                arb_set(g + c, cuts[c].lam_e);
            }
            if (all)
                have_slope_e = neft_eft_power_law(e_slope, a, s_loga, b, L, g, NULL, C, 1, prec);
        }
        _arb_vec_clear(L, C);
        _arb_vec_clear(g, C);
        _arb_vec_clear(e, C);
    }

    /* 4. summary */
    fprintf(out, "# neft validate: %s, d_in = %ld, sw = %g, sb = %g, %ld inputs, %llu models "
                 "per width\n", neft_sample_activation_name(spec->activation), (long) d, spec->sw,
            spec->sb, (long) np, (unsigned long long) spec->models);
    fprintf(out, "\n  width   |G4-GP|/GP   background   |G6-GP|/GP   background   G6c/exact   "
                 "|G6c-exact|/err\n");
    for (w = 0; w < W; w++)
        fprintf(out, "  %5ld   %10.3e   %10.3e   %10.3e   %10.3e   %9.4f   %8.2f\n",
                (long) runs[w].width, runs[w].dev[0], runs[w].bg[0], runs[w].dev[1],
                runs[w].bg[1], runs[w].c6_ratio, runs[w].c6_pull);
    fprintf(out, "\n  fit at width %ld (sampled G4c, weighted; exact G4c, unit weights)\n",
            (long) spec->fit_width);
    fprintf(out, "  cutoff   lambda (sampled)            lambda (exact)       chi2/dof   "
                 "G6_GP/G6   G6_EFT/G6   |GP-G6|/err   |EFT-G6|/err\n");
    for (c = 0; c < C; c++)
        fprintf(out, "  %6g   %12.5e +- %9.2e   %14.7e   %7.2f   %8.4f   %9.4f   %10.2f   %10.2f\n",
                cuts[c].L, _mid(cuts[c].lam_s), cuts[c].lam_s_err,
                cuts[c].have_e ? _mid(cuts[c].lam_e) : NAN,
                cuts[c].dof ? cuts[c].chi2_s / cuts[c].dof : NAN, cuts[c].r_gp, cuts[c].r_eft,
                cuts[c].d_gp, cuts[c].d_eft);
    {
        double expect = kt == NEFT_KERNEL_RELU ? -(4.0 + d) : -(double) d;
        if (have_slope_s)
            fprintf(out, "\n  running: |lambda| ~ cutoff^p, p = %.4f +- %.4f (sampled)",
                    _mid(s_slope), _mid(s_err));
        if (have_slope_e)
            fprintf(out, ", %.6f (exact)", _mid(e_slope));
        fprintf(out, "; expected at large cutoff: %g%s\n", expect,
                kt == NEFT_KERNEL_RELU ? " (-(4 + d_in): the ReLU kernel grows like |y|)"
                                       : " (-d_in: bounded kernel)");
    }

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
        fprintf(m, "%s\n  {\"width\": %ld, \"dev4\": %.6g, \"background4\": %.6g, \"dev6\": %.6g, "
                   "\"background6\": %.6g, \"g6c_over_exact\": %.6g, \"g6c_pull\": %.6g}",
                w ? "," : "", (long) runs[w].width, runs[w].dev[0], runs[w].bg[0],
                runs[w].dev[1], runs[w].bg[1], isnan(runs[w].c6_ratio) ? 0 : runs[w].c6_ratio,
                isnan(runs[w].c6_pull) ? 0 : runs[w].c6_pull);
    fprintf(m, "],\n \"fit_width\": %ld, \"cutoffs\": [", (long) spec->fit_width);
    for (c = 0; c < C; c++)
    {
        fprintf(m, "%s\n  {\"cutoff\": %.17g, \"lambda_sampled\": ", c ? "," : "", cuts[c].L);
        _json_ball(m, cuts[c].lam_s);
        fprintf(m, ", \"lambda_stderr\": %.6g, \"chi2\": %.6g, \"dof\": %ld, \"lambda_exact\": ",
                cuts[c].lam_s_err, cuts[c].chi2_s, (long) cuts[c].dof);
        if (cuts[c].have_e)
            _json_ball(m, cuts[c].lam_e);
        else
            fprintf(m, "null");
        fprintf(m, ", \"g6_gp_over_sampled\": %.8g, \"g6_eft_over_sampled\": %.8g, "
                   "\"g6_gp_pull\": %.6g, \"g6_eft_pull\": %.6g, \"g6_gp_over_exact\": %.8g, "
                   "\"g6_eft_over_exact\": %.8g}", cuts[c].r_gp, cuts[c].r_eft, cuts[c].d_gp,
                cuts[c].d_eft, cuts[c].re_gp, cuts[c].re_eft);
    }
    fprintf(m, "],\n \"running\": {\"slope_sampled\": ");
    if (have_slope_s)
    {
        _json_ball(m, s_slope);
        fprintf(m, ", \"slope_stderr\": %.6g", _mid(s_err));
    }
    else
        fprintf(m, "null");
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
            d4[w] = runs[w].dev[0]; d6[w] = runs[w].dev[1];
            b4[w] = runs[w].bg[0]; b6[w] = runs[w].bg[1];
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
            ly[c] = cuts[c].r_gp;
            lf[c] = cuts[c].r_eft;
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
                fprintf(stderr, "validate: warning: %s\n", why);
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
        fprintf(m, "%ld & %.3e & %.3e & %.3e & %.3e & %.4f & %.2f\\\\\n", (long) runs[w].width,
                runs[w].dev[0], runs[w].bg[0], runs[w].dev[1], runs[w].bg[1], runs[w].c6_ratio,
                runs[w].c6_pull);
    fprintf(m, "\\end{tabular}\n\n\\IfFileExists{falloff.pdf}{\\includegraphics[width=0.7\\textwidth]"
               "{falloff.pdf}}{}\n\n\\subsection*{Quartic coupling and its running (width %ld)}\n"
               "\\begin{tabular}{rrrrrr}\n$\\Lambda$ & $\\lambda$ (sampled) & stat. err. & "
               "$\\lambda$ (exact) & $G_6^{\\mathrm{GP}}/G_6$ & $G_6^{\\mathrm{EFT}}/G_6$\\\\\\hline\n",
            (long) spec->fit_width);
    for (c = 0; c < C; c++)
        fprintf(m, "%g & %.5e & %.2e & %.7e & %.4f & %.4f\\\\\n", cuts[c].L, _mid(cuts[c].lam_s),
                cuts[c].lam_s_err, cuts[c].have_e ? _mid(cuts[c].lam_e) : 0.0, cuts[c].r_gp,
                cuts[c].r_eft);
    fprintf(m, "\\end{tabular}\n\n");
    if (have_slope_s)
        fprintf(m, "Power law $|\\lambda| \\propto \\Lambda^{p}$: $p = %.4f \\pm %.4f$ (sampled)%s.\n\n",
                _mid(s_slope), _mid(s_err), have_slope_e ? "" : "");
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
        status = 3;
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
    status = 0;
done:
    if (status != 0 && stage->tmp != NULL)
        _unstage(err, errlen, stage->tmp, dir);
    neft_file_dir_abort(stage);     /* no-op after the commit */
    free(buf);
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
    arb_clear(s_slope); arb_clear(s_err); arb_clear(s_loga); arb_clear(s_chi2); arb_clear(e_slope);
    _arb_vec_clear(pts, np * d);
    return status;
}
