/* `neft beta`: the beta functions of the couplings of a theory from
   dG/dlog(cutoff) = 0, symbolic and per kernel at given cutoffs
   (docs/cmd-beta.md). */

#include <stdio.h>
#include <string.h>
#include "neft/beta.h"
#include "neft/eval.h"
#include "neft/points.h"
#include "neft/json.h"
#include "cli.h"

static const char beta_usage[] =
    "usage: neft beta [RULES] (--kernel NAME --at \"x1;x2;..\" | --data DATA.json [--npt N])\n"
    "                 [--cutoff L[,L..]]\n"
    "                 [--order K] [--d-in D] [--sw SW] [--sb SB] [--slope S]\n"
    "                 [--subtract-bias] [--prec BITS] [--format text|json|latex]\n"
    "                 [--max-work N] [--max-memory SIZE]\n";

#define MAX_CUTOFFS 64

int
neft_cli_beta(int argc, char ** argv)
{
    const char * rules = NULL, * kernel = NULL, * at = NULL, * cut_text = "1";
    const char * sw_text = "1", * sb_text = "0", * param_text = NULL, * reason = NULL;
    const char * data = NULL;
    slong npt = 4;
    neft_eft_data_t DA;
    slong order = 1, d = 1, prec = 64, npts = 0, ncut = 0, i;
    int ai, format = NEFT_BETA_TEXT, subtract = 0, result = NEFT_EXIT_USAGE, s;
    char err[1024], about[256];
    neft_act_srcptr act;
    arb_ptr pts = NULL;
    arf_struct L[MAX_CUTOFFS];
    arb_t sw, sb, par;
    neft_kernel_t K;
    neft_theory_t th;
    unsigned prune;
    neft_beta_t B;
    neft_integrate_opt_t opt;
    neft_cli_budget_t budget;
    neft_cli_out_t held;
    FILE * out;

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    held.fp = NULL;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;
    for (ai = 1; (s = neft_cli_next(&seen, &budget, beta_usage, argc, argv, &ai))
                  == NEFT_CLI_MORE; ai++)
    {
        const char * a = argv[ai], * v;
#define VALUE() do { if (!(v = neft_cli_value(argc, argv, &ai))) return NEFT_EXIT_USAGE; } while (0)
        if (!strcmp(a, "--order"))
        {
            VALUE();
            if (neft_cli_parse_slong(&order, v, a, 1, 3))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--d-in"))
        {
            VALUE();
            if (neft_cli_parse_slong(&d, v, a, 1, 3))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--prec"))
        {
            VALUE();
            if (neft_cli_parse_slong(&prec, v, a, 16, 4096))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--npt"))
        {
            VALUE();
            if (neft_cli_parse_slong(&npt, v, a, 2, 8))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--data")) { VALUE(); data = v; }
        else if (!strcmp(a, "--kernel") || !strcmp(a, "--activation")) { VALUE(); kernel = v; }
        else if (!strcmp(a, "--at") || !strcmp(a, "--points")) { VALUE(); at = v; }
        else if (!strcmp(a, "--cutoff")) { VALUE(); cut_text = v; }
        else if (!strcmp(a, "--sw")) { VALUE(); sw_text = v; }
        else if (!strcmp(a, "--sb")) { VALUE(); sb_text = v; }
        else if (!strcmp(a, "--slope")) { VALUE(); param_text = v; }
        else if (!strcmp(a, "--subtract-bias"))
            subtract = 1;
        else if (!strcmp(a, "--format"))
        {
            VALUE();
            if (!strcmp(v, "latex"))
                format = NEFT_BETA_LATEX;
            else if (!strcmp(v, "json"))
                format = NEFT_BETA_JSON;
            else if (!strcmp(v, "text"))
                format = NEFT_BETA_TEXT;
            else
            {
                neft_cli_error("--format: unknown '%s' (expected text, json or latex)", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else if (neft_cli_operand("beta", a, &rules, NULL, "one RULES file only"))
            return NEFT_EXIT_USAGE;
#undef VALUE
    }
    if (s != NEFT_CLI_END)
        return s;
    neft_eft_data_init(DA);
    if (data != NULL)
    {
        if (at != NULL)
        {
            neft_cli_error("--at and --data: the inputs are the data's (give one of them)");
            neft_eft_data_clear(DA);
            return NEFT_EXIT_USAGE;
        }
        if (!neft_eft_data_read(DA, data, npt, 1, prec + 64, err, sizeof err))
        {
            neft_cli_error("%s", err);
            neft_eft_data_clear(DA);
            return NEFT_EXIT_USAGE;
        }
        if (kernel == NULL)
            kernel = DA->activation;
        d = DA->d_in;
        at = "";
    }
    if (kernel == NULL || kernel[0] == '\0' || at == NULL)
    {
        neft_eft_data_clear(DA);
        neft_cli_error("beta needs %s", kernel == NULL ? "--kernel NAME (relu, erf, gauss, ..)"
                       : "--at \"x1;x2;..\" (the inputs; every sorted tuple of them enters)");
        return NEFT_EXIT_USAGE;
    }
    if ((act = neft_kernel_lookup_act(kernel)) == NULL)
    {
        neft_eft_data_clear(DA);
        neft_cli_error("unknown kernel '%s' (expected one of %s)", kernel, neft_act_names());
        return NEFT_EXIT_USAGE;
    }
    if (!neft_act_has(act, NEFT_ACT_CAP_GP_KERNEL, &reason))
    {
        char why[256];
        snprintf(why, sizeof why, "--kernel %s: %s", kernel, reason);
        neft_eft_data_clear(DA);
        return neft_cli_exit_status(NEFT_UNSUPPORTED, why);
    }
    if (param_text != NULL && act->param_default == NULL)
    {
        neft_eft_data_clear(DA);
        neft_cli_error("--slope is a parameter of leaky-relu, not of %s", act->name);
        return NEFT_EXIT_USAGE;
    }
    arb_init(sw);
    arb_init(sb);
    arb_init(par);
    neft_kernel_init(K);
    neft_theory_init(th);
    neft_beta_init(B);
    for (i = 0; i < MAX_CUTOFFS; i++)
        arf_init(L + i);
    if (arb_set_str(sw, sw_text, prec + 64) || !arb_is_finite(sw))
    {
        neft_cli_error("--sw expects a number, got '%s'", sw_text);
        goto done;
    }
    if (arb_set_str(sb, sb_text, prec + 64) || !arb_is_finite(sb))
    {
        neft_cli_error("--sb expects a number, got '%s'", sb_text);
        goto done;
    }
    if (data != NULL)
    {
        arb_set(sw, DA->sw);
        arb_set(sb, DA->sb);
        sw_text = sb_text = "(data)";
    }
    {
        const char * pt = param_text != NULL ? param_text : act->param_default;
        fmpq_t q;
        fmpq_init(q);
        s = pt != NULL && neft_points_parse_rational(q, pt) != 0;
        if (!s)
            arb_set_fmpq(par, q, prec + 64);
        fmpq_clear(q);
        if (s)
        {
            neft_cli_error("--slope expects a number (decimal or p/q), got '%s'", pt);
            goto done;
        }
    }
    if (data != NULL && param_text == NULL && DA->has_slope && !strcmp(act->name, DA->activation))
        arb_set(par, DA->slope);
    neft_kernel_set_act(K, act, par, d, sw, sb, NULL, prec + 64);
    K->subtract_bias = subtract;
    {
        char * buf = neft_cli_strdup(cut_text);
        int bad = 0;
        for (char * c = strtok(buf, ","); c != NULL && !bad; c = strtok(NULL, ","))
        {
            if (ncut == MAX_CUTOFFS)
            {
                neft_cli_error("--cutoff: at most %d cutoffs", MAX_CUTOFFS);
                bad = 1;
            }
            else if (neft_eval_parse_cutoff(L + ncut, c, prec) || !arf_is_finite(L + ncut))
            {
                neft_cli_error("--cutoff expects positive finite numbers in 2^-1000 .. 2^1000, got '%s'", c);
                bad = 1;
            }
            else
                ncut++;
        }
        flint_free(buf);
        if (bad)
            goto done;
        if (ncut == 0)
        {
            neft_cli_error("--cutoff expects L or L1,L2,..");
            goto done;
        }
    }
    if (data != NULL)
    {
        npts = DA->npoints;
        pts = _arb_vec_init(npts * d);
        _arb_vec_set(pts, DA->points, npts * d);
    }
    else if (neft_eval_parse_points(&pts, &npts, at, d, prec, err, sizeof err))
    {
        neft_cli_error("%s", err);
        goto done;
    }
    {
        slong n = 4, o = 1;
        result = neft_cli_load_theory(th, &prune, &n, &o, rules, 0, "connected", "beta");
        if (result != NEFT_EXIT_OK)
            goto done;
        result = NEFT_EXIT_USAGE;
    }
    {
        /* the integrals: per cutoff, per tuple of each coupling's correlator,
           a term's integral and its boundary terms (d_in = 1: 2 m smaller
           integrals; else an integral over the edges or the homogeneity) */
        double ops = 0, tuples;
        char how[160];
        slong c, j;
        for (c = 0; c < th->length; c++)
        {
            slong legs = th->couplings[c].legs;
            if (neft_eft_order2_coupling(th, c) > 2 * order)
                continue;
            tuples = 1;
            for (j = 1; j <= legs; j++)
                tuples = tuples * (double) (npts + j - 1) / (double) j;
            for (j = 0; j < ncut; j++)
                ops += tuples * (d == 1 ? 2 * order + 1 : 2)
                       * neft_integrate_vint_cost(order, legs, 0, K, L + j, prec);
        }
        snprintf(how, sizeof how, "%ld cutoff%s, %ld inputs, order %ld at %ld bits",
                 (long) ncut, ncut == 1 ? "" : "s", (long) npts, (long) order, (long) prec);
        if (neft_cli_budget_check(&budget, ops, how, 0, NULL))
            goto done;
    }
    neft_integrate_opt_init(opt);
    s = neft_beta_compute(B, th, prune, order, K, pts, npts, L, ncut, opt, prec, err,
                          sizeof err);
    if (!neft_status_has_value(s) || s == NEFT_BAD_INPUT)
    {
        result = neft_cli_exit_status(s, err);
        goto done;
    }
    if (data != NULL)
    {
        /* the data's tuples must be the sorted tuples, in order, that B used */
        slong g, idx[16] = {0}, r = 0, j;
        int same = 1;
        for (g = 0; g < th->length && !(B->has[g] && th->couplings[g].legs == npt); g++)
            ;
        do
        {
            for (j = 0; j < npt && r < DA->ntuples; j++)
                same &= DA->idx[r * npt + j] == idx[j];
            r++;
        }
        while (neft_eval_next_tuple(idx, npt, npts));
        if (g == th->length)
        {
            neft_cli_error("--data: no coupling with %ld legs has a beta at this order",
                           (long) npt);
            goto done;
        }
        if (!same || r != DA->ntuples)
        {
            neft_cli_error("%s: the %ld-point tuples are not all the sorted tuples of its inputs "
                           "(as neft sample and neft exact write them)", data, (long) npt);
            goto done;
        }
        /* sampled data: the formula with the fit's weights; the fitted coupling's
           slope would need its statistical error, which `neft fit` gives: n/a */
        if (!neft_beta_set_data(B, g, DA->has_err ? NULL : DA->value,
                                DA->has_err ? DA->err : NULL, prec))
        {
            result = neft_cli_exit_status(NEFT_UNSUPPORTED, "--data: the fit's running is "
                                          "computed for a coupling whose correlator has its "
                                          "tree alone at this order (order 1)");
            goto done;
        }
    }
    if ((out = neft_cli_out_open(&held)) == NULL)
    {
        result = NEFT_EXIT_FAILURE;
        goto done;
    }
    snprintf(about, sizeof about, "kernel %s, d_in %ld, sw %s, sb %s, %ld inputs%s%s",
             act->name, (long) d, sw_text, sb_text, (long) npts,
             subtract ? ", bias subtracted" : "",
             s == NEFT_NO_CONVERGENCE ? " (some integrals wider than asked)" : "");
    neft_beta_write(out, B, about, format);
    result = NEFT_EXIT_OK;
    if (neft_cli_out_close(&held, 1))
        result = NEFT_EXIT_FAILURE;
done:
    if (pts != NULL)
        _arb_vec_clear(pts, npts * d);
    for (i = 0; i < MAX_CUTOFFS; i++)
        arf_clear(L + i);
    neft_beta_clear(B);
    neft_eft_data_clear(DA);
    neft_theory_clear(th);
    neft_kernel_clear(K);
    arb_clear(sw);
    arb_clear(sb);
    arb_clear(par);
    return result;
}
