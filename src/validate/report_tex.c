/* report.tex of the experiment: the expansions used, the tables and the
   figures (included when compiled). */

#include <math.h>
#include <string.h>
#include "neft/emit.h"
#include "validate-internal.h"

/* text as LaTeX text: the characters TeX treats specially escaped */
static void
_tex_text(FILE * m, const char * text)
{
    for (; *text; text++)
    {
        if (strchr("#$%&_{}", *text))
            fprintf(m, "\\%c", *text);
        else if (*text == '^' || *text == '~' || *text == '\\')
            fprintf(m, "\\char%d{}", (int) (unsigned char) *text);
        else
            fputc(*text, m);
    }
}

/* each skipped stage as a paragraph "Skipped." */
static void
_neft_validate_skipped_tex(FILE * m, const neft_validate_result_t R)
{
    slong i;
    for (i = 0; i < R->nskipped; i++)
    {
        fputs("\\paragraph{Skipped.} unsupported: ", m);
        _tex_text(m, R->skipped[i].stage);
        fputs(": ", m);
        _tex_text(m, R->skipped[i].why);
        fputs("\n\n", m);
    }
}

void
_neft_validate_write_tex(FILE * m, const neft_validate_result_t R,
                        const neft_validate_spec_t spec)
{
    slong d = spec->net->d_in, np = spec->npoints, W = R->nwidths, C = R->ncutoffs, w, c, t;
    double sw = neft_net_sw_d(spec->net), sb = neft_net_sb_d(spec->net);

    fprintf(m, "\\documentclass[10pt]{article}\n\\usepackage[margin=2cm]{geometry}\n"
               "\\usepackage{amsmath}\n\\usepackage{graphicx}\n\\allowdisplaybreaks\n"
               "\\begin{document}\n\\section*{neft validate: %s, $d_{\\mathrm{in}} = %ld$}\n",
            _neft_validate_act_name(spec), (long) d);
    fprintf(m, "Single-hidden-layer networks, $\\sigma_w = %g$, $\\sigma_b = %g$, %llu networks "
               "per width, %ld inputs. The action is $S = S_{\\mathrm{GP}} + \\lambda\\int f^4 + "
               "\\kappa \\int f^6$ (Halverson--Maiti--Stoner); the kernel $K$ is the propagator "
               "and vertices are integrated over $[-\\Lambda,\\Lambda]^{d_{\\mathrm{in}}}$.\n\n"
               "\\subsection*{Expansions used}\nConnected four-point function at first order:\n",
            sw, sb, (unsigned long long) spec->models, (long) np);
    /* the stages skipped as unsupported, then the sampled error bars the
       sampler flags (heavy tails), before the numbers */
    _neft_validate_skipped_tex(m, R);
    _neft_validate_unreliable_lines(m, "\\paragraph{Warning.} ", "\n\n", "", R);
    {
        neft_emit_opt_t eo;
        neft_emit_opt_init(eo);
        eo->group = 1;
        neft_emit_latex(m, R->ex4, eo);
        fprintf(m, "\nSix-point function at first order (fitted $\\lambda$, $\\kappa = 0$ in the "
                   "prediction):\n");
        neft_emit_latex(m, R->ex6, eo);
    }
    fprintf(m, "\n\\subsection*{Deviation from the Gaussian process}\n"
               "\\begin{tabular}{rrrrrrr}\n$N$ & $|\\Delta G_4|/G_4$ & bg. & $|\\Delta G_6|/G_6$ & "
               "bg. & $G_{6,c}$/exact & pull\\\\\\hline\n");
    for (w = 0; w < W; w++)
    {
        const neft_validate_width_struct * X = R->widths + w;
        const neft_validate_num_t * row[6] = {X->dev + 0, X->bg + 0, X->dev + 1, X->bg + 1,
                                              &X->c6_ratio, &X->c6_pull};
        static const char * fmt[6] = {"%.3e", "%.3e", "%.3e", "%.3e", "%.4f", "%.2f"};
        fprintf(m, "%ld", (long) R->widths[w].width);
        for (t = 0; t < 6; t++)
        {
            fputs(" & ", m);
            _neft_validate_txt(m, NULL, fmt[t], 0, row[t], "");
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
        neft_validate_num_t le;
        if (R->cuts[c].have_e)
            _neft_validate_num_set(&le, _neft_validate_mid(R->cuts[c].lam_e), NAN);
        else
            _neft_validate_num_na(&le, "no exact correlators");
        fprintf(m, "%g & %.5e & %.2e & ", R->cuts[c].L, _neft_validate_mid(R->cuts[c].lam_s),
                R->cuts[c].lam_s_err);
        _neft_validate_txt(m, NULL, "%.7e", 0, &le, "");
        fputs(" & ", m);
        _neft_validate_txt(m, NULL, "%.4f", 0, &R->cuts[c].r_gp, "");
        fputs(" & ", m);
        _neft_validate_txt(m, NULL, "%.4f", 0, &R->cuts[c].r_eft, "");
        fputs("\\\\\n", m);
    }
    fprintf(m, "\\end{tabular}\n\n");
    if (R->have_slope_s)
        fprintf(m, "Power law $|\\lambda| \\propto \\Lambda^{p}$: $p = %.4f \\pm %.4f$ (sampled; "
                "the error propagated from the data through the fits)", _neft_validate_mid(R->s_slope),
                _neft_validate_ub(R->s_err));
    else
        fprintf(m, "Power law $|\\lambda| \\propto \\Lambda^{p}$: $p$ = n/a (sampled: %s)",
                R->slope_why);
    if (R->have_slope_e)
        fprintf(m, ", $p = %.6f$ (exact)", _neft_validate_mid(R->e_slope));
    fprintf(m, ".\n\n");
    fprintf(m, "\\IfFileExists{running.pdf}{\\includegraphics[width=0.7\\textwidth]{running.pdf}}{}\n\n"
               "\\IfFileExists{sixpt.pdf}{\\includegraphics[width=0.7\\textwidth]{sixpt.pdf}}{}\n");
    _neft_validate_write_order2_tex(m, R, spec);       /* (src/validate/report_order2.c) */
    fprintf(m, "\\end{document}\n");
}
