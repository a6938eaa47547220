/* `neft fit`: couplings of the effective theory from measured or exact
   correlators, at one or several cutoffs, with the running exponent. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/expand.h"
#include "neft/eval.h"
#include "neft/eft.h"
#include "neft/json.h"
#include "cli.h"

static const char fit_usage[] =
    "usage: neft fit DATA.json [RULES] [--fit NAME[,NAME..]] [--cutoff L[,L..]]\n"
    "                [--kernel relu|erf|gauss] [--subtract-bias] [--npt N] [--set NAME=VALUE]\n"
    "                [--weights unit|errors|covariance] [--prec BITS] [--format text|json]\n"
    "                [--ignore-digest] [--max-work N] [--max-memory SIZE]\n";

#define MAX_CUTOFFS 64

int
neft_cli_fit(int argc, char ** argv)
{
    const char * data = NULL, * rules = NULL, * fit_text = NULL, * cut_text = "1";
    const char * kernel = NULL, * set = NULL, * weights = NULL;
    slong npt = 4, prec = 64, cpl[NEFT_THEORY_COUPLINGS_MAX], ncpl = 0, ncut = 0, i, j;
    int ai, json = 0, subtract = 0, type, result = NEFT_EXIT_USAGE, st;
    char err[1024], * cuts[MAX_CUTOFFS], * cutbuf = NULL;
    neft_eft_data_t D;
    neft_expansion_t ex;
    neft_eval_ctx_t ctx;
    arb_ptr wt;
    neft_cli_budget_t budget;
    neft_cli_out_t held;
    FILE * out;
    int flags = 0;

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    held.fp = NULL;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (ai = 1; (type = neft_cli_next(&seen, &budget, fit_usage, argc, argv, &ai))
                  == NEFT_CLI_MORE; ai++)
    {
        const char * a = argv[ai], * v;
#define VALUE() do { if (!(v = neft_cli_value(argc, argv, &ai))) return NEFT_EXIT_USAGE; } while (0)
        if (!strcmp(a, "--npt"))
        {
            VALUE();
            if (neft_cli_parse_slong(&npt, v, a, 2, 8))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--prec"))
        {
            VALUE();
            if (neft_cli_parse_slong(&prec, v, a, 16, 100000))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--fit")) { VALUE(); fit_text = v; }
        else if (!strcmp(a, "--cutoff")) { VALUE(); cut_text = v; }
        else if (!strcmp(a, "--kernel")) { VALUE(); kernel = v; }
        else if (!strcmp(a, "--set")) { VALUE(); set = v; }
        else if (!strcmp(a, "--weights"))
        {
            VALUE();
            if (strcmp(v, "unit") && strcmp(v, "errors") && strcmp(v, "covariance"))
            {
                neft_cli_error("--weights: unknown '%s' (expected unit, errors or covariance)", v);
                return NEFT_EXIT_USAGE;
            }
            weights = v;
        }
        else if (!strcmp(a, "--subtract-bias"))
            subtract = 1;
        else if (!strcmp(a, "--ignore-digest"))
            flags |= NEFT_JSON_IGNORE_DIGEST;
        else if (!strcmp(a, "--format"))
        {
            VALUE();
            if (neft_cli_parse_format(&json, v))
                return NEFT_EXIT_USAGE;
        }
        else if (neft_cli_operand("fit", a, &data, &rules, "DATA.json and at most one RULES file"))
            return NEFT_EXIT_USAGE;
#undef VALUE
    }
    if (type != NEFT_CLI_END)
        return type;
    if (data == NULL)
    {
        neft_cli_error("fit needs a DATA.json file from neft sample or neft exact (%s)",
                       "see neft fit --help");
        return NEFT_EXIT_USAGE;
    }
    /* cutoffs */
    cutbuf = neft_cli_strdup(cut_text);
    for (char * s = strtok(cutbuf, ","); s != NULL; s = strtok(NULL, ","))
    {
        if (ncut == MAX_CUTOFFS)
        {
            neft_cli_error("--cutoff: at most %d cutoffs", MAX_CUTOFFS);
            flint_free(cutbuf);
            return NEFT_EXIT_USAGE;
        }
        cuts[ncut++] = s;
    }
    if (ncut == 0)
    {
        neft_cli_error("--cutoff expects L or L1,L2,..");
        flint_free(cutbuf);
        return NEFT_EXIT_USAGE;
    }
    if (!neft_eft_data_read_flags(D, data, npt, 1, prec + 64, flags, err, sizeof err))
    {
        neft_cli_error("%s", err);
        flint_free(cutbuf);
        return NEFT_EXIT_USAGE;
    }
    /* the weights: the data's standard errors (default for sampled data) or
       unit (default for exact data); a covariance no data file carries yet */
    if (weights != NULL && !strcmp(weights, "covariance"))
    {
        neft_cli_error("%s: --weights covariance needs the covariance of the correlators, which "
                       "the file does not carry (neft sample writes standard errors only; use "
                       "--weights errors or unit)", data);
        goto done_data;
    }
    if (weights != NULL && !strcmp(weights, "errors") && !D->has_err)
    {
        neft_cli_error("%s: exact data has no standard errors to weight by (--weights errors "
                       "needs sampled data; use --weights unit)", data);
        goto done_data;
    }
    wt = D->has_err && (weights == NULL || !strcmp(weights, "errors")) ? D->err : NULL;
    if (kernel == NULL && D->activation[0] == '\0')
    {
        neft_cli_error("%s: no \"activation\" in the data (give --kernel relu|erf|gauss)", data);
        goto done_data;
    }
    if (kernel == NULL)
        kernel = D->activation;
    neft_expansion_init(ex);
    result = neft_cli_load_expansion(ex, rules, npt, 1, 0, "connected",
                                     NEFT_EXPAND_DEFAULT_MAX_TERMS, "fit");
    if (result != NEFT_EXIT_OK)
        goto done0;
    result = NEFT_EXIT_USAGE;
    if (fit_text == NULL)
    {
        /* default: the couplings with as many legs as points */
        for (i = 0; i < ex->theory->length; i++)
            if (ex->theory->couplings[i].legs == npt)
                cpl[ncpl++] = i;
    }
    else
    {
        char * buf = neft_cli_strdup(fit_text);
        for (char * s = strtok(buf, ","); s != NULL; s = strtok(NULL, ","))
        {
            slong c = neft_theory_find(ex->theory, s);
            if (c < 0)
            {
                neft_cli_error("--fit: no coupling '%s' in the theory", s);
                flint_free(buf);
                goto done0;
            }
            for (j = 0; j < ncpl; j++)
                if (cpl[j] == c)
                {
                    neft_cli_error("--fit: coupling '%s' is given twice", s);
                    flint_free(buf);
                    goto done0;
                }
            cpl[ncpl++] = c;
        }
        flint_free(buf);
    }
    if (ncpl == 0)
    {
        neft_cli_error("nothing to fit: no coupling with %ld legs (use --fit NAME)", (long) npt);
        goto done0;
    }
    neft_eval_ctx_init(ctx, ex->theory->length);
    ctx->prec = prec;
    /* the data's parameter (leaky-relu's slope) when the kernel is its activation's */
    if ((st = neft_eft_kernel_set(ctx->kernel, kernel,
                                  D->has_slope && !strcmp(kernel, D->activation) ? D->slope : NULL,
                                  D->d_in, D->sw, D->sb, prec + 64, err, sizeof err)) != NEFT_SUCCESS)
    {
        /* an unknown name is bad input (2); a row without a GP kernel unsupported (3) */
        char why[1400];
        snprintf(why, sizeof why, "%s: %s", kernel == D->activation ? data : "--kernel", err);
        result = neft_cli_exit_status(st, why);
        goto done1;
    }
    ctx->kernel->subtract_bias = subtract;
    if (neft_eval_parse_couplings_default(ctx, ex, set, err, sizeof err))
    {
        neft_cli_error("%s", err);
        goto done1;
    }
    for (i = 0; i < ncut; i++)
    {
        if (neft_eval_parse_cutoff(ctx->cutoff, cuts[i], prec))
        {
            neft_cli_error("--cutoff expects positive numbers or inf, got '%s'", cuts[i]);
            goto done1;
        }
        /* the same cutoff twice is no second point of the running */
        for (j = 0; j < i; j++)
        {
            arf_t L;
            int same;
            arf_init(L);
            same = !neft_eval_parse_cutoff(L, cuts[j], prec) && arf_equal(L, ctx->cutoff);
            arf_clear(L);
            if (same)
            {
                neft_cli_error("--cutoff: %s%s%s is given twice (give each cutoff once)",
                               cuts[j], strcmp(cuts[i], cuts[j]) ? " = " : "",
                               strcmp(cuts[i], cuts[j]) ? cuts[i] : "");
                goto done1;
            }
        }
    }
    {
        /* every cutoff has its own cache: the same evaluations again */
        double ops, bytes;
        char how[160];
        neft_eft_fit_cost(&ops, &bytes, ex, ncpl, D, ctx);
        snprintf(how, sizeof(how), "%ld cutoff%s x %ld tuples x %ld terms at %ld bits",
                 (long) ncut, ncut == 1 ? "" : "s", (long) D->ntuples, (long) ex->length,
                 (long) prec);
        if (neft_cli_budget_check(&budget, (double) ncut * ops, how, bytes, NULL))
            goto done1;
    }
    /* printed only when every cutoff worked */
    if ((out = neft_cli_out_open(&held)) == NULL)
    {
        result = NEFT_EXIT_FAILURE;
        goto done1;
    }
    {
        neft_eft_fits_t F;
        neft_eft_fits_about_t about = { data, ctx->kernel->act->name, npt, D->d_in, D->ntuples,
                                        wt != NULL };
        slong bad = 0;
        int r;
        neft_eft_fits_init(F);
        r = neft_eft_fits(F, ex, cpl, ncpl, D, wt, ctx, (const char * const *) cuts, ncut, &bad,
                          err, sizeof err);
        if (r == -1)
            neft_cli_error("--cutoff expects positive numbers or inf, got '%s'", cuts[bad]);
        else if (r != 0)
        {
            neft_cli_error("fit at cutoff %s: %s", cuts[bad], err);
            result = NEFT_EXIT_FAILURE;
        }
        else
        {
            neft_eft_fits_write(out, F, &about, json);
            result = NEFT_EXIT_OK;
        }
        neft_eft_fits_clear(F);
    }
done1:
    if (neft_cli_out_close(&held, result == NEFT_EXIT_OK) && result == NEFT_EXIT_OK)
        result = NEFT_EXIT_FAILURE;
    neft_eval_ctx_clear(ctx);
done0:
    neft_expansion_clear(ex);
done_data:   /* result is NEFT_EXIT_USAGE here when jumped to */
    neft_eft_data_clear(D);
    flint_free(cutbuf);
    return result;
}
