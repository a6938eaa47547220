/* The report of the O(1/N^2) stage (src/validate/order2.c): a text table in
   the summary, members of report.json, the figure `order` (the misses of
   the full G6 times N^2 and N^3 against the width). */

#include <errno.h>
#include <math.h>
#include <string.h>
#include "neft/json.h"
#include "neft/interrupt.h"
#include "validate-internal.h"

/* x scaled by s (the value and its error), or x itself when n/a */
static neft_validate_num_t
_scaled(const neft_validate_num_t * x, double s)
{
    neft_validate_num_t y = *x;
    if (y.ok)
    {
        y.v *= s;
        y.e *= s;
    }
    return y;
}

void
_neft_validate_write_order2_summary(FILE * out, FILE * notes, const neft_validate_result_t R,
                                    const neft_validate_spec_t spec)
{
    slong C = R->ncutoffs, W = R->nwidths, c, w;
    fprintf(out, "\n  O(1/N^2): kappa fitted to G6c at width %ld with the lambda^2 exchange "
                 "diagrams (lambda from the 4-point fit)\n"
                 "  cutoff   kappa (sampled)             kappa (exact)\n",
            (long) spec->fit_width);
    for (c = 0; c < C; c++)
    {
        const neft_validate_cutoff_struct * U = R->cuts + c;
        fprintf(out, "  %6g   ", U->L);
        _neft_validate_txt(out, notes, "%12.5e", 12, &U->kap_s, "kappa (sampled) at cutoff %g",
                           U->L);
        if (U->kap_s.ok && isfinite(U->kap_s.e))
            fprintf(out, " +- %9.2e", U->kap_s.e);
        else
            fprintf(out, "             ");
        fputs("   ", out);
        _neft_validate_txt(out, notes, "%.7e", 14, &U->kap_e, "kappa (exact) at cutoff %g",
                           U->L);
        fputs("\n", out);
    }
    fprintf(out, "\n  the miss of G6 against the exact G6 across the widths, couplings of the "
                 "exact fit at width %ld scaled as lambda ~ 1/N, kappa ~ 1/N^2:\n"
                 "  mean |G6_exact - G6_pred| / G6_GP at O(1/N) (x N^2) and O(1/N^2) (x N^3; "
                 "+- the balls' radius)\n", (long) spec->fit_width);
    for (c = 0; c < C; c++)
    {
        const neft_validate_cutoff_struct * U = R->cuts + c;
        fprintf(out, "  cutoff %g\n  width   O(1/N) miss x N^2   O(1/N^2) miss x N^3\n", U->L);
        for (w = 0; w < W; w++)
        {
            double N = (double) R->widths[w].width;
            neft_validate_num_t a = _scaled(U->miss1 + w, N * N),
                                b = _scaled(U->miss2 + w, N * N * N);
            fprintf(out, "  %5ld   ", (long) R->widths[w].width);
            _neft_validate_txt(out, notes, "%.4e", 17, &a, "O(1/N) miss at cutoff %g, width %ld",
                               U->L, (long) R->widths[w].width);
            fputs("   ", out);
            if (b.ok && b.v <= b.e)     /* not distinguishable from 0 */
                fprintf(out, "  0 (within %.1e)", b.e);
            else
            {
                _neft_validate_txt(out, notes, "%.4e", 12, &b,
                                   "O(1/N^2) miss at cutoff %g, width %ld", U->L,
                                   (long) R->widths[w].width);
                if (b.ok)
                    fprintf(out, " +- %.1e", b.e);
            }
            fputs("\n", out);
        }
    }
}

void
_neft_validate_write_order2_tex(FILE * m, const neft_validate_result_t R,
                                const neft_validate_spec_t spec)
{
    slong C = R->ncutoffs, c;
    fprintf(m, "\n\\subsection*{Order $1/N^2$: $\\kappa$ with the $\\lambda^2$ exchange "
               "(width %ld)}\n\\begin{tabular}{rrrr}\n$\\Lambda$ & $\\kappa$ (sampled) & "
               "stat. err. & $\\kappa$ (exact)\\\\\\hline\n", (long) spec->fit_width);
    for (c = 0; c < C; c++)
    {
        const neft_validate_cutoff_struct * U = R->cuts + c;
        neft_validate_num_t e;
        _neft_validate_num_set(&e, U->kap_s.ok ? U->kap_s.e : NAN, NAN);
        if (!U->kap_s.ok)
            _neft_validate_num_na(&e, "");
        fprintf(m, "%g & ", U->L);
        _neft_validate_txt(m, NULL, "%.5e", 0, &U->kap_s, "");
        fputs(" & ", m);
        _neft_validate_txt(m, NULL, "%.2e", 0, &e, "");
        fputs(" & ", m);
        _neft_validate_txt(m, NULL, "%.7e", 0, &U->kap_e, "");
        fputs("\\\\\n", m);
    }
    fprintf(m, "\\end{tabular}\n\nThe miss of the full $G_6$ against the exact one at every width, "
               "the exact fit's couplings scaled as $\\lambda \\sim 1/N$, $\\kappa \\sim 1/N^2$ "
               "(summary, report.json \\texttt{order2}):\n\n"
               "\\IfFileExists{order.pdf}{\\includegraphics[width=0.7\\textwidth]{order.pdf}}{}\n");
}

/* "key": number, or null and "key_why" */
static void
_js(FILE * m, const char * key, const neft_validate_num_t * x, int err)
{
    if (x->ok)
    {
        fprintf(m, "\"%s\": %.10g", key, x->v);
        if (err)
        {
            fprintf(m, ", \"%s_err\": ", key);
            if (isfinite(x->e))
                fprintf(m, "%.4g", x->e);
            else
                fputs("null", m);
        }
    }
    else
    {
        fprintf(m, "\"%s\": null, \"%s_why\": ", key, key);
        neft_json_write_string(m, x->why);
    }
}

void
_neft_validate_write_order2_json(FILE * m, const neft_validate_result_t R,
                                 const neft_validate_spec_t spec)
{
    slong C = R->ncutoffs, W = R->nwidths, c, w;
    fprintf(m, ",\n \"order2\": {\"fit_width\": %ld, \"diagrams\": \"kappa (1 term), lambda^2 "
               "(10 exchange terms), lambda from the 4-point fit\", \"cutoffs\": [",
            (long) spec->fit_width);
    for (c = 0; c < C; c++)
    {
        const neft_validate_cutoff_struct * U = R->cuts + c;
        fprintf(m, "%s\n  {\"cutoff\": %.17g, ", c ? "," : "", U->L);
        _js(m, "kappa_sampled", &U->kap_s, 1);
        fputs(", ", m);
        _js(m, "kappa_exact", &U->kap_e, 0);
        fputs(", \"widths\": [", m);
        for (w = 0; w < W; w++)
        {
            fprintf(m, "%s{\"width\": %ld, ", w ? ", " : "", (long) R->widths[w].width);
            _js(m, "miss1", U->miss1 + w, 1);
            fputs(", ", m);
            _js(m, "miss2", U->miss2 + w, 1);
            fputs("}", m);
        }
        fputs("]}", m);
    }
    fputs("]}", m);
}

int
_neft_validate_write_order2_figure(const neft_validate_result_t R,
                                   const neft_validate_spec_t spec, const char * sdir,
                                   const char * dir, char * err, size_t errlen)
{
    slong W = R->nwidths, w, c = 0;
    double * buf = flint_malloc(sizeof(double) * (3 * W + 1));
    double * x = buf, * y1 = buf + W, * y2 = buf + 2 * W;
    char path[4096], why[512];
    char t1[96], t2[96];
    neft_eft_plot_t p;
    int rc;

    /* the smallest cutoff with misses */
    for (c = 0; c < R->ncutoffs - 1 && !R->cuts[c].miss2[R->fw].ok; c++)
        ;
    for (w = 0; w < W; w++)
    {
        double N = (double) R->widths[w].width;
        x[w] = N;
        y1[w] = _neft_validate_val(R->cuts[c].miss1 + w) * N * N;
        y2[w] = _neft_validate_val(R->cuts[c].miss2 + w) * N * N * N;
    }
    snprintf(t1, sizeof t1, "$O(1/N)$: miss $\\times N^2$");
    snprintf(t2, sizeof t2, "$O(1/N^2)$: miss $\\times N^3$");
    p = (neft_eft_plot_t) {"Six-point function: miss against the width", "width $N$",
        "mean $|G^{(6)}_{\\mathrm{exact}} - G^{(6)}_{\\mathrm{EFT}}| / G^{(6)}_{\\mathrm{GP}}"
        " \\times N^{k+1}$", 1, 0, 2,
        {{t1, W, x, y1, NULL, 0}, {t2, W, x, y2, NULL, 0}}};
    snprintf(path, sizeof path, "%s/order.tex", sdir);
    if (!neft_eft_plot_write_tex(path, &p))
    {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        flint_free(buf);
        return NEFT_FAILURE;
    }
    flint_free(buf);
    rc = neft_eft_plot_compile(sdir, "order", why, sizeof why);
    if (rc == 2 && !neft_interrupted())     /* (no pdflatex: figures.c said so) */
    {
        _neft_validate_unstage(why, sizeof why, sdir, dir);
        _neft_validate_warning(spec, why);
    }
    return NEFT_SUCCESS;
}
