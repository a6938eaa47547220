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
    "                [--ignore-digest] [--max-work N] [--max-memory SIZE]";

#define MAX_CUTOFFS 64

int
neft_cli_fit(int argc, char ** argv)
{
    const char * data = NULL, * rules = NULL, * fit_text = NULL, * cut_text = "1";
    const char * kernel = NULL, * set = NULL, * weights = NULL;
    slong npt = 4, prec = 64, cpl[NEFT_THEORY_COUPLINGS_MAX], ncpl = 0, ncut = 0, i, j;
    int ai, json = 0, subtract = 0, type, result = NEFT_EXIT_USAGE;
    char err[1024], * cuts[MAX_CUTOFFS], * cutbuf = NULL;
    neft_eft_data_t D;
    neft_expansion_t ex;
    neft_eval_ctx_t ctx;
    arb_ptr L = NULL, g = NULL, ge = NULL, wt;
    arb_mat_struct * maps = NULL;
    neft_cli_budget_t budget;
    neft_cli_out_t held;
    FILE * out;

    int flags = 0;

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    held.fp = NULL;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (ai = 1; ai < argc; ai++)
    {
        const char * a = argv[ai], * v;
        if (neft_cli_once(&seen, argv[ai]))
            return NEFT_EXIT_USAGE;
        if ((type = neft_cli_budget_option(&budget, argc, argv, &ai)) != 0)
        {
            if (type < 0)
                return NEFT_EXIT_USAGE;
            continue;
        }
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
            if (!strcmp(v, "json") || !strcmp(v, "text"))
                json = !strcmp(v, "json");
            else
            {
                neft_cli_error("unknown format '%s' (expected text or json)", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        {
            puts(fit_usage);
            return NEFT_EXIT_OK;
        }
        else if (a[0] == '-' && a[1] != '\0')
        {
            neft_cli_error("unknown option '%s' for fit (see neft fit --help)", a);
            return NEFT_EXIT_USAGE;
        }
        else if (data == NULL)
            data = a;
        else if (rules == NULL)
            rules = a;
        else
        {
            neft_cli_error("unexpected argument '%s' (DATA.json and at most one RULES file)", a);
            return NEFT_EXIT_USAGE;
        }
#undef VALUE
    }
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
        neft_eft_data_clear(D);
        flint_free(cutbuf);
        return NEFT_EXIT_USAGE;
    }
    if (weights != NULL && !strcmp(weights, "errors") && !D->has_err)
    {
        neft_cli_error("%s: exact data has no standard errors to weight by (--weights errors "
                       "needs sampled data; use --weights unit)", data);
        neft_eft_data_clear(D);
        flint_free(cutbuf);
        return NEFT_EXIT_USAGE;
    }
    wt = D->has_err && (weights == NULL || !strcmp(weights, "errors")) ? D->err : NULL;
    if (kernel == NULL && D->activation[0] == '\0')
    {
        neft_cli_error("%s: no \"activation\" in the data (give --kernel relu|erf|gauss)", data);
        neft_eft_data_clear(D);
        flint_free(cutbuf);
        return NEFT_EXIT_USAGE;
    }
    if (kernel == NULL)
        kernel = D->activation;
    if ((type = neft_kernel_lookup(kernel)) < 0)
    {
        neft_cli_error("no GP kernel for %s '%s' (give --kernel relu|erf|gauss)",
                       kernel == D->activation ? "activation" : "--kernel", kernel);
        neft_eft_data_clear(D);
        flint_free(cutbuf);
        return NEFT_EXIT_USAGE;
    }
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
    neft_kernel_set_params(ctx->kernel, type, D->d_in, D->sw, D->sb, prec + 64);
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
    L = _arb_vec_init(ncut);
    g = _arb_vec_init(ncut * ncpl);
    ge = _arb_vec_init(ncut * ncpl);
    maps = flint_malloc(sizeof(arb_mat_struct) * ncut);
    for (i = 0; i < ncut; i++)
        arb_mat_init(maps + i, ncpl, D->ntuples);
    if (json)
    {
        fputs("{\"data\": ", out);
        neft_json_write_string(out, data);
        fprintf(out, ", \"npt\": %ld, \"kernel\": ", (long) npt);
        neft_json_write_string(out, neft_kernel_name(type));
        fprintf(out, ", \"d_in\": %ld, \"tuples\": %ld, \"weighted\": %s, \"weights\": \"%s\", "
                "\"couplings\": [", (long) D->d_in, (long) D->ntuples,
                wt != NULL ? "true" : "false", wt != NULL ? "errors" : "unit");
        for (j = 0; j < ncpl; j++)
        {
            fputs(j ? ", " : "", out);
            neft_json_write_string(out, ex->theory->couplings[cpl[j]].name);
        }
        fprintf(out, "], \"fits\": [");
    }
    else
        fprintf(out, "# fit of %s to the %ld-point connected correlator of %s (%ld tuples, %s)\n",
                ncpl == 1 ? "one coupling" : "the couplings", (long) npt, data,
                (long) D->ntuples, wt != NULL ? "weighted by the standard errors"
                                  : D->has_err ? "sampled data, unit weights"
                                               : "exact data, unit weights");
    for (i = 0; i < ncut; i++)
    {
        neft_eft_fit_t f;
        arf_t Lf;
        arf_init(Lf);
        if (neft_eval_parse_cutoff(ctx->cutoff, cuts[i], prec))
        {
            neft_cli_error("--cutoff expects positive numbers or inf, got '%s'", cuts[i]);
            arf_clear(Lf);
            goto done1;
        }
        arb_set_arf(L + i, ctx->cutoff);
        /* (the integral cache empties itself for a new cutoff) */
        neft_eft_fit_init(f, D->ntuples, ncpl);
        if (!neft_eft_fit_couplings_weighted(f, ex, cpl, ncpl, D, wt, ctx, err, sizeof err))
        {
            neft_cli_error("fit at cutoff %s: %s", cuts[i], err);
            neft_eft_fit_clear(f);
            arf_clear(Lf);
            result = NEFT_EXIT_FAILURE;
            goto done1;
        }
        arb_mat_set(maps + i, f->map);
        if (json)
        {
            fprintf(out, "%s\n  {\"cutoff\": ", i ? "," : "");
            neft_json_write_string(out, cuts[i]);
            fputs(", \"chi2\": ", out);
        }
        else
            fprintf(out, "cutoff %s:", cuts[i]);
        if (json)
        {
            neft_json_write_arb(out, f->chi2, 10);
            fprintf(out, ", \"dof\": %ld, \"values\": {", (long) neft_eft_fit_dof(f));
        }
        for (j = 0; j < ncpl; j++)
        {
            arb_set(g + i * ncpl + j, f->coeff + j);
            /* the tuples share the same networks: their errors are correlated,
               so the error is the Cauchy-Schwarz bound (docs/eft.md) */
            arb_set(ge + i * ncpl + j, f->err_max + j);
            if (json)
            {
                fputs(j ? ", " : "", out);
                neft_json_write_string(out, ex->theory->couplings[cpl[j]].name);
                fputs(": {\"value\": ", out);
                neft_json_write_arb(out, g + i * ncpl + j, 15);
                fprintf(out, ", \"stderr\": ");
                if (D->has_err)
                    neft_json_write_arb(out, ge + i * ncpl + j, 5);
                else
                    fprintf(out, "null");
                fprintf(out, ", \"stderr_independent\": ");
                if (D->has_err)
                    neft_json_write_arb(out, f->err_indep + j, 5);
                else
                    fprintf(out, "null");
                fprintf(out, "}");
            }
            else
            {
                char * s = arb_get_str(g + i * ncpl + j, 15, 0);
                fprintf(out, "  %s = %s", ex->theory->couplings[cpl[j]].name, s);
                flint_free(s);
                if (D->has_err)
                {
                    s = arb_get_str(ge + i * ncpl + j, 3, ARB_STR_NO_RADIUS);
                    fprintf(out, " (stat. error %s)", s);
                    flint_free(s);
                }
            }
        }
        if (json)
            fprintf(out, "}}");
        else
        {
            char * s = arb_get_str(f->chi2, 5, ARB_STR_NO_RADIUS);
            fprintf(out, "  chi2/dof = %s/%ld\n", s, (long) neft_eft_fit_dof(f));
            flint_free(s);
        }
        neft_eft_fit_clear(f);
        arf_clear(Lf);
    }
    if (json)
        fprintf(out, "]");
    if (ncut >= 2)
    {
        for (j = 0; j < ncpl; j++)
        {
            arb_t slope, serr, sind, loga, chi2;
            int noisy;
            arb_ptr gj = _arb_vec_init(ncut), ej = _arb_vec_init(ncut), ds = _arb_vec_init(ncut);
            arb_init(slope); arb_init(serr); arb_init(sind); arb_init(loga); arb_init(chi2);
            for (i = 0; i < ncut; i++)
            {
                arb_set(gj + i, g + i * ncpl + j);
                arb_set(ej + i, ge + i * ncpl + j);
            }
            if (j == 0)
                fprintf(out, json ? ", \"running\": {" : "");
            /* the error propagated from the data through the fits (docs/eft.md);
               exact data have none */
            /* a value within its error of 0: log|g| is not a number */
            noisy = 0;
            for (i = 0; D->has_err && i < ncut; i++)
            {
                arb_t u;
                arb_init(u);
                arb_abs(u, gj + i);
                noisy = noisy || !arb_gt(u, ej + i);
                arb_clear(u);
            }
            if (!noisy && neft_eft_power_law_sens(slope, loga, chi2, ds, L, gj,
                                                  D->has_err ? ej : NULL, ncut, prec))
            {
                if (D->has_err)
                    neft_eft_running_error(serr, sind, ds, maps, j, ncut, D->err, prec);
                if (json)
                {
                    fputs(j ? ", " : "", out);
                    neft_json_write_string(out, ex->theory->couplings[cpl[j]].name);
                    fputs(": {\"slope\": ", out);
                    neft_json_write_arb(out, slope, 10);
                    fprintf(out, ", \"stderr\": ");
                    neft_json_write_arb(out, serr, 5);
                    fprintf(out, ", \"stderr_independent\": ");
                    neft_json_write_arb(out, sind, 5);
                    fprintf(out, "}");
                }
                else
                {
                    char * s = arb_get_str(slope, 10, 0), * t = arb_get_str(serr, 3, ARB_STR_NO_RADIUS);
                    fprintf(out, "running: |%s| ~ cutoff^p, p = %s (stat. error %s)\n",
                            ex->theory->couplings[cpl[j]].name, s, t);
                    flint_free(s);
                    flint_free(t);
                }
            }
            else
            {
                const char * why = noisy ? "a fitted value is noise-dominated (its error is not "
                                           "below its value)"
                                         : "a cutoff or fitted value not certainly non-zero";
                if (json)
                    fprintf(out, "%s\"%s\": null, \"%s_why\": \"%s\"", j ? ", " : "",
                            ex->theory->couplings[cpl[j]].name,
                            ex->theory->couplings[cpl[j]].name, why);
                else
                    fprintf(out, "running: n/a for %s (%s)\n", ex->theory->couplings[cpl[j]].name,
                            why);
            }
            arb_clear(slope); arb_clear(serr); arb_clear(sind); arb_clear(loga); arb_clear(chi2);
            _arb_vec_clear(gj, ncut);
            _arb_vec_clear(ej, ncut);
            _arb_vec_clear(ds, ncut);
        }
        if (json)
            fprintf(out, "}");
    }
    if (json)
        fprintf(out, "}\n");
    result = NEFT_EXIT_OK;
done1:
    if (neft_cli_out_close(&held, result == NEFT_EXIT_OK) && result == NEFT_EXIT_OK)
        result = NEFT_EXIT_FAILURE;
    if (L)
    {
        _arb_vec_clear(L, ncut);
        _arb_vec_clear(g, ncut * ncpl);
        _arb_vec_clear(ge, ncut * ncpl);
        for (i = 0; i < ncut; i++)
            arb_mat_clear(maps + i);
        flint_free(maps);
    }
    neft_eval_ctx_clear(ctx);
done0:
    neft_expansion_clear(ex);
    neft_eft_data_clear(D);
    flint_free(cutbuf);
    return result;
}
