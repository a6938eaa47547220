/* Writing the betas: the symbolic form and the coefficients per cutoff in
   text, JSON or LaTeX (neft/beta.h). */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "neft/beta.h"
#include "neft/emit.h"
#include "neft/json.h"

/* a coupling's name as text (Greek letters as letters) */
static void
cname(char * buf, size_t len, const char * name, int latex)
{
    /* text: the name as given, as the monomials are written */
    if (!latex || neft_emit_coupling_latex(buf, len, name) < 0)
        snprintf(buf, len, "%s", name);
}

/* the term as neft_emit_term_text shows it, into a new string */
static char *
term_string(const neft_diagram_struct * d, const neft_theory_struct * th)
{
    char * buf = NULL;
    size_t len = 0;
    FILE * m = open_memstream(&buf, &len);
    if (m == NULL)
        return NULL;
    neft_emit_term_text(m, d, th);
    fclose(m);
    return buf;
}

/* the one-line symbolic form of beta_g: "b(λ) λ + b(κ) κ + b(λ^2) λ^2" */
static void
symbolic(FILE * out, const neft_beta_t B, slong g)
{
    slong M;
    int first = 1;
    char name[64], mono[256];
    cname(name, sizeof name, B->theory->couplings[g].name, 0);
    fprintf(out, "beta_%s = d%s/dlog(cutoff) =", name, name);
    for (M = 0; M < B->nmono; M++)
        if (B->present[g * B->nmono + M])
        {
            neft_eft_mono_name(mono, sizeof mono, B->mono + M, B->theory);
            fprintf(out, "%s b[%s] %s", first ? "" : " +", mono, mono);
            first = 0;
        }
    if (first)
        fprintf(out, " 0");
}

/* the leading coefficient in closed form when the coupling's tree is one
   term: b[g] = -<cutoff d log I/d cutoff> over the tuples */
static int
single_tree(const neft_beta_t B, slong g)
{
    slong i, t, trees = 0, terms = 0;
    for (i = 0; i < B->ncorr; i++)
        if (B->npt[i] == B->theory->couplings[g].legs)
            for (t = 0; t < B->ex[i].length; t++)
            {
                const neft_diagram_struct * d = B->ex[i].terms + t;
                terms++;
                trees += d->m == 1 && d->type[0] == g;
            }
    return trees == 1 && terms == 1;
}

/* the running of the coupling fitted to the data (neft_beta_set_data) */
static void
data_text(FILE * out, const neft_beta_t B)
{
    slong cut;
    const char * name;
    if (B->data_formula == NULL)
        return;
    name = B->theory->couplings[B->data_g].name;
    fprintf(out, "the %s fitted to the data: cutoff, beta_%s/%s (formula, the fit's weights), "
            "d log %s_fit/d log(cutoff) (= formula + sum_t w_t D_t r_t / (%s sum_t w_t I_t^2), "
            "r the fit's residuals)\n", name, name, name, name, name);
    for (cut = 0; cut < B->ncut; cut++)
    {
        char * a = arb_get_str(B->data_formula + cut, 12, 0);
        char * b = arb_is_finite(B->data_fit + cut) ? arb_get_str(B->data_fit + cut, 12, 0)
                   : NULL;
        fprintf(out, "  %-12.10g  %s  %s\n", arf_get_d(arb_midref(B->L + cut), ARF_RND_NEAR),
                a, b ? b : "n/a (sampled data: neft fit gives the measured slope with its error)");
        flint_free(a);
        flint_free(b);
    }
}

static void
text(FILE * out, const neft_beta_t B, const char * about)
{
    slong i, t, g, M, cut, nc = B->ncpl;
    char on[32], name[64], mono[256];

    neft_eft_order_name(on, sizeof on, 2 * B->order);
    fprintf(out, "beta functions from dG/dlog(cutoff) = 0 at O(%s)%s%s\n", on,
            about ? ": " : "", about ? about : "");
    for (i = 0; i < B->ncorr; i++)
    {
        fprintf(out, "connected %ld-point function (%ld tuples), I_t its terms' integrals:\n",
                (long) B->npt[i], (long) B->ntuples[i]);
        for (t = 0; t < B->ex[i].length; t++)
        {
            char * s = term_string(B->ex[i].terms + t, B->theory);
            fprintf(out, "  t%ld: %s\n", (long) t + 1, s ? s : "?");
            free(s);
        }
    }
    fprintf(out, "dG/dlog(cutoff) = 0: sum_t c_t [sum_g (d m_t/d g) beta_g I_t + m_t D_t] = 0 "
            "per tuple, D_t = cutoff dI_t/dcutoff (boundary terms); per monomial of the couplings "
            "a least-squares system over the tuples\n");
    for (g = 0; g < nc; g++)
    {
        cname(name, sizeof name, B->theory->couplings[g].name, 0);
        if (!B->has[g])
        {
            fprintf(out, "beta_%s: n/a (its tree enters no correlator at O(%s))\n", name, on);
            continue;
        }
        symbolic(out, B, g);
        if (single_tree(B, g))
            fprintf(out, ", b[%s] = -sum_t I_t D_t / sum_t I_t^2 = -<cutoff d log I/d cutoff>",
                    name);
        fprintf(out, "\n");
    }
    fprintf(out, "cutoff  beta  monomial  coefficient  (per tuple: range)\n");
    for (cut = 0; cut < B->ncut; cut++)
        for (g = 0; g < nc; g++)
            for (M = 0; M < B->nmono; M++)
            {
                arb_srcptr b = neft_beta_coeff(B, cut, g, M);
                slong at = (cut * nc + g) * B->nmono + M;
                char * s;
                if (b == NULL)
                    continue;
                cname(name, sizeof name, B->theory->couplings[g].name, 0);
                neft_eft_mono_name(mono, sizeof mono, B->mono + M, B->theory);
                s = arb_get_str(b, 12, 0);
                fprintf(out, "%.10g  beta_%s  %s  %s", arf_get_d(arb_midref(B->L + cut),
                        ARF_RND_NEAR), name, mono, s);
                flint_free(s);
                if (!isnan(B->lo[at]))
                    fprintf(out, "  (%.6g .. %.6g)", B->lo[at], B->hi[at]);
                fprintf(out, "\n");
            }
    data_text(out, B);
}

static void
json(FILE * out, const neft_beta_t B, const char * about)
{
    slong i, t, g, M, cut, nc = B->ncpl;
    char mono[256];
    int fg = 1;

    fprintf(out, "{\"order\": %ld", (long) B->order);
    if (about)
    {
        fprintf(out, ", \"about\": ");
        neft_json_write_string(out, about);
    }
    fprintf(out, ", \"correlators\": [");
    for (i = 0; i < B->ncorr; i++)
    {
        fprintf(out, "%s{\"npt\": %ld, \"tuples\": %ld, \"terms\": [", i ? ", " : "",
                (long) B->npt[i], (long) B->ntuples[i]);
        for (t = 0; t < B->ex[i].length; t++)
        {
            char * s = term_string(B->ex[i].terms + t, B->theory);
            if (t)
                fprintf(out, ", ");
            neft_json_write_string(out, s ? s : "?");
            free(s);
        }
        fprintf(out, "]}");
    }
    fprintf(out, "], \"beta\": {");
    for (g = 0; g < nc; g++)
    {
        int first = 1;
        if (!B->has[g])
            continue;
        fprintf(out, "%s", fg ? "" : ", ");
        fg = 0;
        neft_json_write_string(out, B->theory->couplings[g].name);
        fprintf(out, ": {\"monomials\": [");
        for (M = 0; M < B->nmono; M++)
            if (B->present[g * B->nmono + M])
            {
                neft_eft_mono_name(mono, sizeof mono, B->mono + M, B->theory);
                fprintf(out, "%s", first ? "" : ", ");
                neft_json_write_string(out, mono);
                first = 0;
            }
        fprintf(out, "], \"cutoffs\": [");
        for (cut = 0; cut < B->ncut; cut++)
        {
            fprintf(out, "%s{\"cutoff\": %.17g, \"coefficients\": [", cut ? ", " : "",
                    arf_get_d(arb_midref(B->L + cut), ARF_RND_NEAR));
            first = 1;
            for (M = 0; M < B->nmono; M++)
            {
                arb_srcptr b = neft_beta_coeff(B, cut, g, M);
                slong at = (cut * nc + g) * B->nmono + M;
                if (b == NULL)
                    continue;
                neft_eft_mono_name(mono, sizeof mono, B->mono + M, B->theory);
                fprintf(out, "%s{\"monomial\": ", first ? "" : ", ");
                neft_json_write_string(out, mono);
                fprintf(out, ", \"value\": ");
                neft_json_write_arb(out, b, 17);
                if (isnan(B->lo[at]))
                    fprintf(out, ", \"tuples\": null}");
                else
                    fprintf(out, ", \"tuples\": [%.17g, %.17g]}", B->lo[at], B->hi[at]);
                first = 0;
            }
            fprintf(out, "]}");
        }
        fprintf(out, "]}");
    }
    fprintf(out, "}");
    if (B->data_formula != NULL)
    {
        fprintf(out, ", \"data\": {\"coupling\": ");
        neft_json_write_string(out, B->theory->couplings[B->data_g].name);
        fprintf(out, ", \"cutoffs\": [");
        for (cut = 0; cut < B->ncut; cut++)
        {
            fprintf(out, "%s{\"cutoff\": %.17g, \"formula\": ", cut ? ", " : "",
                    arf_get_d(arb_midref(B->L + cut), ARF_RND_NEAR));
            neft_json_write_arb(out, B->data_formula + cut, 17);
            fprintf(out, ", \"fit\": ");
            if (arb_is_finite(B->data_fit + cut))
                neft_json_write_arb(out, B->data_fit + cut, 17);
            else
                fprintf(out, "null");
            fprintf(out, "}");
        }
        fprintf(out, "]}");
    }
    fprintf(out, "}\n");
}

/* a monomial in LaTeX: "\lambda^{2} \kappa" */
static void
mono_latex(FILE * out, const neft_eft_mono_struct * m, const neft_beta_t B)
{
    slong c;
    char name[64];
    for (c = 0; c < B->ncpl; c++)
        if (m->exp[c] > 0)
        {
            cname(name, sizeof name, B->theory->couplings[c].name, 1);
            fprintf(out, " %s", name);
            if (m->exp[c] > 1)
                fprintf(out, "^{%ld}", (long) m->exp[c]);
        }
}

static void
latex(FILE * out, const neft_beta_t B, const char * about)
{
    slong g, M, cut, nc = B->ncpl;
    char name[64];

    fprintf(out, "%% beta functions from dG/dlog(cutoff) = 0 at order %ld in 1/N%s%s\n",
            (long) B->order, about ? ": " : "", about ? about : "");
    fprintf(out, "\\begin{align*}\n");
    for (cut = 0; cut < B->ncut; cut++)
        for (g = 0; g < nc; g++)
        {
            int first = 1;
            if (!B->has[g])
                continue;
            cname(name, sizeof name, B->theory->couplings[g].name, 1);
            fprintf(out, "\\beta_{%s}(\\Lambda = %.10g) &=", name,
                    arf_get_d(arb_midref(B->L + cut), ARF_RND_NEAR));
            for (M = 0; M < B->nmono; M++)
            {
                arb_srcptr b = neft_beta_coeff(B, cut, g, M);
                char * s;
                if (b == NULL)
                    continue;
                s = arb_get_str(b, 10, ARB_STR_NO_RADIUS);
                fprintf(out, "%s (%s)", first ? "" : " +", s);
                flint_free(s);
                mono_latex(out, B->mono + M, B);
                first = 0;
            }
            fprintf(out, "%s \\\\\n", first ? " 0" : "");
        }
    fprintf(out, "\\end{align*}\n");
}

void
neft_beta_write(FILE * out, const neft_beta_t B, const char * about, int format)
{
    if (format == NEFT_BETA_JSON)
        json(out, B, about);
    else if (format == NEFT_BETA_LATEX)
        latex(out, B, about);
    else
        text(out, B, about);
}
