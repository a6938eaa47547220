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

int
_neft_validate_write_figures(const neft_validate_result_t R, const neft_validate_spec_t spec,
                             const char * sdir, const char * dir, char * err, size_t errlen)
{
    slong W = R->nwidths, C = R->ncutoffs, w, c;

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
            xw[w] = (double) R->widths[w].width;
            /* n/a points are left out of the figure */
            d4[w] = _neft_validate_val(R->widths[w].dev + 0); d6[w] = _neft_validate_val(R->widths[w].dev + 1);
            b4[w] = _neft_validate_val(R->widths[w].bg + 0); b6[w] = _neft_validate_val(R->widths[w].bg + 1);
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
            lx[c] = R->cuts[c].L;
            ly[c] = fabs(_neft_validate_mid(R->cuts[c].lam_s));
            le[c] = R->cuts[c].lam_s_err;
            lf[c] = R->have_slope_s ? exp(_neft_validate_mid(R->s_loga) + _neft_validate_mid(R->s_slope) * log(R->cuts[c].L)) : NAN;
            lz[c] = R->cuts[c].have_e ? fabs(_neft_validate_mid(R->cuts[c].lam_e)) : NAN;
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
            ly[c] = _neft_validate_val(&R->cuts[c].r_gp);
            lf[c] = _neft_validate_val(&R->cuts[c].r_eft);
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
    }

    return NEFT_SUCCESS;
}
