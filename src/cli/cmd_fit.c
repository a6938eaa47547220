/* `neft fit`: couplings of the effective theory from measured or exact
   correlators, at one or several cutoffs, with the running exponent. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/expand.h"
#include "neft/eval.h"
#include "neft/eft.h"
#include "neft/json.h"
#include "neft/beta.h"
#include "neft/interrupt.h"
#include "cli.h"

/* 1 if the comma-separated list names lambda2 or lambdaNL. */
static int
_names_three_operator(const char * list)
{
    const char * p = list;
    while (*p != '\0')
    {
        size_t len = strcspn(p, ",");
        if ((len == 7 && strncmp(p, "lambda2", 7) == 0)
            || (len == 8 && strncmp(p, "lambdaNL", 8) == 0))
            return 1;
        p += len + (p[len] == ',');
    }
    return 0;
}

static const char fit_usage[] =
    "usage: neft fit DATA.json [RULES] [--fit NAME[,NAME..]] [--cutoff L[,L..]]\n"
    "                [--kernel relu|erf|gauss] [--subtract-bias] [--npt N] [--order K]\n"
    "                [--set NAME=VALUE[,..]] [--beta]\n"
    "                [--weights unit|errors|covariance] [--prec BITS] [--format text|json]\n"
    "                [--ignore-digest] [--max-work N] [--max-memory SIZE]\n";

#define MAX_CUTOFFS 64

int
neft_cli_fit(int argc, char ** argv)
{
    const char * data = NULL, * rules = NULL, * fit_text = NULL, * cut_text = "1";
    const char * kernel = NULL, * set = NULL, * weights = NULL;
    slong npt = 4, prec = 64, cpl[NEFT_THEORY_COUPLINGS_MAX], ncpl = 0, ncut = 0, i, j, k;
    slong order = 0;
    int ai, json = 0, subtract = 0, type, result = NEFT_EXIT_USAGE, st, beta = 0;
    char err[1024], * cuts[MAX_CUTOFFS], * cutbuf = NULL;
    neft_eft_data_t D, DD[NEFT_THEORY_COUPLINGS_MAX];
    neft_theory_t th;
    neft_eft_plan_t P;
    const neft_expansion_struct * ex;
    int given[NEFT_THEORY_COUPLINGS_MAX];
    unsigned prune;
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
        else if (!strcmp(a, "--order"))
        {
            VALUE();
            if (neft_cli_parse_slong(&order, v, a, 1, 4))
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
        else if (!strcmp(a, "--beta"))
            beta = 1;
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
    neft_theory_init(th);
    neft_eft_plan_init(P);
    for (k = 0; k < NEFT_THEORY_COUPLINGS_MAX; k++)
        neft_eft_data_init(DD[k]);
    {
        slong n = npt, o = 1;
        result = neft_cli_load_theory(th, &prune, &n, &o, rules, 0, "connected", "fit");
        /* --fit naming lambda2 or lambdaNL without RULES: the built-in
           three-operator theory (rules/nnqft-three-operator.rules) */
        if (result == NEFT_EXIT_OK && rules == NULL && fit_text != NULL
            && _names_three_operator(fit_text))
        {
            char why[512];
            if (neft_theory_read_string(th, neft_theory_three_operator_text,
                                        "three-operator theory", why, sizeof why) != 0)
            {
                neft_cli_error("%s", why);
                result = NEFT_EXIT_FAILURE;
            }
        }
    }
    if (result != NEFT_EXIT_OK)
        goto done0;
    result = NEFT_EXIT_USAGE;
    if (fit_text == NULL)
    {
        /* default: the couplings with as many legs as points */
        for (i = 0; i < th->length; i++)
            if (th->couplings[i].legs == npt)
                cpl[ncpl++] = i;
    }
    else
    {
        char * buf = neft_cli_strdup(fit_text);
        for (char * s = strtok(buf, ","); s != NULL; s = strtok(NULL, ","))
        {
            slong c = neft_theory_find(th, s);
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
    /* (text --set refuses is refused by its parser below) */
    if (neft_eft_set_names(given, th, set) != 0)
        memset(given, 0, sizeof given);
    /* the terms at the order in 1/N, the couplings taken from lower fits */
    if ((st = neft_eft_plan_make(P, th, prune, npt, order, cpl, ncpl, given,
                                 NEFT_EXPAND_DEFAULT_MAX_TERMS, err, sizeof err)) != NEFT_SUCCESS)
    {
        result = neft_cli_exit_status(st, err);
        goto done0;
    }
    ex = P->ex;
    for (k = 0; k < P->ndep; k++)
        if (!neft_eft_data_read_flags(DD[k], data, P->dep_npt[k], 1, prec + 64, flags, err,
                                      sizeof err))
        {
            neft_cli_error("%s (%s is taken from the fit of the %ld-point function; or give "
                           "--set %s=VALUE)", err, th->couplings[P->dep[k]].name,
                           (long) P->dep_npt[k], th->couplings[P->dep[k]].name);
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
            neft_cli_error("--cutoff expects positive numbers in 2^-1000 .. 2^1000 or inf, got '%s'", cuts[i]);
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
        for (k = 0; k < P->ndep; k++)
        {
            double o2, b2;
            neft_eft_fit_cost(&o2, &b2, P->dep_ex[k], 1, DD[k], ctx);
            ops += o2;
            bytes += b2;
        }
        if (beta)
            ops *= 2;   /* --beta: the integrals again at the intervals' points, and their
                           boundary terms (cheaper than the integrals in d_in = 1) */
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
                                        wt != NULL, P };
        neft_eft_fits_opt_t fo;
        slong bad = 0;
        int r;
        neft_eft_fits_opt_init(fo);
        fo->order = P->order;
        fo->ndep = P->ndep;
        fo->weighted = wt != NULL;
        for (k = 0; k < P->ndep; k++)
        {
            fo->dep[k] = P->dep[k];
            fo->dep_ex[k] = P->dep_ex[k];
            fo->dep_D[k] = DD[k];
        }
        neft_eft_fits_init(F);
        r = neft_eft_fits_opt(F, ex, cpl, ncpl, D, wt, fo, ctx, (const char * const *) cuts, ncut,
                              &bad, err, sizeof err);
        if (r == -1)
            neft_cli_error("--cutoff expects positive numbers in 2^-1000 .. 2^1000 or inf, got '%s'", cuts[bad]);
        else if (r != 0 && neft_interrupted())
            result = neft_cli_interrupted(err);     /* the failure is the stop request */
        else if (r != 0)
        {
            neft_cli_error("fit at cutoff %s: %s", cuts[bad], err);
            result = NEFT_EXIT_FAILURE;
        }
        else
        {
            result = NEFT_EXIT_OK;
            /* --beta: the formula's beta/g next to the measured local slopes */
            for (j = 0; beta && F->local != NULL && j < ncpl && result == NEFT_EXIT_OK; j++)
            {
                neft_integrate_opt_t io;
                neft_integrate_opt_init(io);
                st = neft_beta_local(F->local + j, th, prune, P->order, cpl[j], ctx->kernel, D,
                                     wt, io, prec, err, sizeof err);
                if (!neft_status_has_value(st) || st == NEFT_BAD_INPUT)
                    result = neft_cli_exit_status(st, err);
            }
            if (result == NEFT_EXIT_OK)
                neft_eft_fits_write(out, F, &about, json);
        }
        neft_eft_fits_clear(F);
    }
done1:
    if (neft_cli_out_close(&held, result == NEFT_EXIT_OK) && result == NEFT_EXIT_OK)
        result = NEFT_EXIT_FAILURE;
    neft_eval_ctx_clear(ctx);
done0:
    for (k = 0; k < NEFT_THEORY_COUPLINGS_MAX; k++)
        neft_eft_data_clear(DD[k]);
    neft_eft_plan_clear(P);
    neft_theory_clear(th);
done_data:   /* result is NEFT_EXIT_USAGE here when jumped to */
    neft_eft_data_clear(D);
    flint_free(cutbuf);
    return result;
}
