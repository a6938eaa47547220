/* The figures of the experiment: falloff (deviation from the GP against the
   width), running (lambda against the cutoff), sixpt (the 6-point prediction
   against the cutoff), as pgfplots .tex compiled when pdflatex is installed
   (a warning through the callback otherwise). */

#include <errno.h>
#include <math.h>
#include <string.h>
#include "neft/interrupt.h"
#include "validate-internal.h"

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

/* The running figure: |lambda| against the cutoff (p) and under it the
   local slope d log|lambda| / d log(cutoff) between consecutive cutoffs
   (sampled with its error propagated from the data, exact), the last
   decade's power law and the expected slope as reference lines. */
static int
_save_running(const char * dir, const char * name, const neft_eft_plot_t * p,
              const neft_validate_result_t R, char * err, size_t errlen)
{
    const neft_eft_local_struct * S = R->loc_s, * E = R->loc_e;
    slong m = S->n - 1, i;
    double * b, * sx, * ss, * se, * ez, * fz, rx[2], ry[2], dx[2], dy[2];
    neft_eft_plot_t q;
    char path[4096];
    int ok;
    if (m < 1)
        return _save_plot(dir, name, p, err, errlen);
    b = flint_malloc(sizeof(double) * 5 * m);
    sx = b; ss = b + m; se = b + 2 * m; ez = b + 3 * m; fz = b + 4 * m;
    for (i = 0; i < m; i++)
    {
        sx[i] = S->x[i];
        ss[i] = S->st[i] == NEFT_EFT_RUNNING_OK ? _neft_validate_mid(S->slope + i) : NAN;
        se[i] = S->st[i] == NEFT_EFT_RUNNING_OK ? _neft_validate_ub(S->slope_sd + i) : NAN;
        ez[i] = E->n == S->n && E->st[i] == NEFT_EFT_RUNNING_OK
              ? _neft_validate_mid(E->slope + i) : NAN;
        /* beta/lambda from dG/dlog(cutoff) = 0 (neft/beta.h), when computed */
        fz[i] = S->formula != NULL ? _neft_validate_mid(S->formula + i) : NAN;
    }
    rx[0] = R->cuts[0].L;
    rx[1] = R->cuts[R->ncutoffs - 1].L;
    ry[0] = ry[1] = S->expected;
    dx[0] = S->from;
    dx[1] = S->to;
    dy[0] = dy[1] = S->last == NEFT_EFT_RUNNING_OK ? _neft_validate_mid(S->p) : NAN;
    q = (neft_eft_plot_t) {"Local slope of the running", "cutoff $\\Lambda$",
        "$d\\log|\\lambda| / d\\log\\Lambda$", 1, 0, S->formula != NULL ? 5 : 4,
        {{"sampled", m, sx, ss, se, 0}, {"exact", m, sx, ez, NULL, 0},
         {"last decade (sampled)", 2, dx, dy, NULL, 1},
         {"expected", 2, rx, ry, NULL, 2},
         {"$\\beta/\\lambda$ from $dG/d\\log\\Lambda = 0$", m, sx, fz, NULL, 0}}};
    snprintf(path, sizeof path, "%s/%s.tex", dir, name);
    ok = neft_eft_plot_write_tex2(path, p, &q);
    if (!ok)
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    flint_free(b);
    return ok;
}

/* The three figures' data: per width x, deviations and backgrounds; per
   cutoff x and four curves (n/a points are NAN: left out of the figure). */
typedef struct
{
    double * buf, * xw, * d4, * d6, * b4, * b6, * lx, * ly, * le, * lf, * lz;
}
_curves;

static void
_curves_init(_curves * k, const neft_validate_result_t R)
{
    slong W = R->nwidths, C = R->ncutoffs, w, c;
    double p = _neft_validate_mid(R->s_slope), a = _neft_validate_mid(R->s_loga);
    k->buf = flint_malloc(sizeof(double) * (5 * W + 5 * C));
    k->xw = k->buf;
    k->d4 = k->xw + W; k->d6 = k->d4 + W; k->b4 = k->d6 + W; k->b6 = k->b4 + W;
    k->lx = k->b6 + W; k->ly = k->lx + C; k->le = k->ly + C; k->lf = k->le + C; k->lz = k->lf + C;
    for (w = 0; w < W; w++)
    {
        const neft_validate_width_struct * X = R->widths + w;
        k->xw[w] = (double) X->width;
        k->d4[w] = _neft_validate_val(X->dev + 0);
        k->d6[w] = _neft_validate_val(X->dev + 1);
        k->b4[w] = _neft_validate_val(X->bg + 0);
        k->b6[w] = _neft_validate_val(X->bg + 1);
    }
    for (c = 0; c < C; c++)
    {
        const neft_validate_cutoff_struct * U = R->cuts + c;
        k->lx[c] = U->L;
        k->ly[c] = fabs(_neft_validate_mid(U->lam_s));
        k->le[c] = U->lam_s_err;
        k->lf[c] = R->have_slope_s ? exp(a + p * log(U->L)) : NAN;
        k->lz[c] = U->have_e ? fabs(_neft_validate_mid(U->lam_e)) : NAN;
    }
}

int
_neft_validate_write_figures(const neft_validate_result_t R, const neft_validate_spec_t spec,
                             const char * sdir, const char * dir, char * err, size_t errlen)
{
    slong W = R->nwidths, C = R->ncutoffs, c, f;
    const char * names[3] = {"falloff", "running", "sixpt"};
    char why[512];
    neft_eft_plot_t p;
    _curves k;
    int ok;

    _curves_init(&k, R);
    p = (neft_eft_plot_t) {"Deviation from the GP (sampled)", "width $N$",
        "mean $|G^{(n)} - G^{(n)}_{\\mathrm{GP}}| / G^{(n)}_{\\mathrm{GP}}$", 1, 1, 4,
        {{"$n=4$", W, k.xw, k.d4, NULL, 0}, {"$n=6$", W, k.xw, k.d6, NULL, 0},
         {"background $n=4$", W, k.xw, k.b4, NULL, 1},
         {"background $n=6$", W, k.xw, k.b6, NULL, 1}}};
    ok = _save_plot(sdir, names[0], &p, err, errlen);
    p = (neft_eft_plot_t) {"Running of the quartic coupling", "cutoff $\\Lambda$", "$|\\lambda|$",
        1, 1, 3, {{"fit to sampled $G_4$", C, k.lx, k.ly, k.le, 0},
                  {"fit to exact $G_4$", C, k.lx, k.lz, NULL, 0},
                  {"power law", C, k.lx, k.lf, NULL, 1}}};
    ok = ok && _save_running(sdir, names[1], &p, R, err, errlen);
    for (c = 0; c < C; c++)
    {
        k.ly[c] = _neft_validate_val(&R->cuts[c].r_gp);
        k.lf[c] = _neft_validate_val(&R->cuts[c].r_eft);
    }
    p = (neft_eft_plot_t) {"Six-point function at the fit width", "cutoff $\\Lambda$",
        "$G^{(6)}_{\\mathrm{theory}} / G^{(6)}_{\\mathrm{sampled}}$", 1, 0, 2,
        {{"GP", C, k.lx, k.ly, NULL, 0}, {"EFT, fitted $\\lambda$", C, k.lx, k.lf, NULL, 0}}};
    ok = ok && _save_plot(sdir, names[2], &p, err, errlen);
    flint_free(k.buf);
    if (!ok)
        return NEFT_FAILURE;
    for (f = 0; f < 3; f++)
    {
        int rc = neft_eft_plot_compile(sdir, names[f], why, sizeof why);
        if (neft_interrupted())
            break;      /* (reported by the caller) */
        if (rc != 0)
        {
            _neft_validate_unstage(why, sizeof why, sdir, dir);
            _neft_validate_warning(spec, why);
        }
        if (rc == 1)
            break;
    }
    if (neft_interrupted())
        return NEFT_SUCCESS;
    /* the misses x N^(k+1) (src/validate/report_order2.c) */
    return _neft_validate_write_order2_figure(R, spec, sdir, dir, err, errlen);
}
