/* `neft eval`: parse, expand, evaluate (library), print. */

#include <stdio.h>
#include <string.h>
#include "neft/expand.h"
#include "neft/eval.h"
#include "neft/tuple.h"
#include "neft/points.h"
#include "cli.h"

static const char eval_usage[] =
    "usage: neft eval [RULES] -n N -o M --kernel NAME [--slope S] --d-in D\n"
    "                 [--sw S] [--sb B] [--subtract-bias] --cutoff L|inf\n"
    "                 --set NAME=VALUE[,..] --at \"x1;x2;..\" [--all-tuples]\n"
    "                 [--prec BITS] [--format text|json] [--prune LIST] [--max-terms N]\n"
    "                 [--max-work N] [--max-memory SIZE] [--threads T]\n";

/* A decimal (or Arb ball) option value. */
static int
parse_ball(arb_t x, const char * v, const char * option, slong prec)
{
    if (arb_set_str(x, v, prec) || !arb_is_finite(x))
    {
        neft_cli_error("%s expects a number, got '%s'", option, v);
        return -1;
    }
    return 0;
}

int
neft_cli_eval(int argc, char ** argv)
{
    const char * rules = NULL, * prune_text = NULL, * kernel = NULL, * cutoff = NULL;
    const char * set = NULL, * at = NULL, * sw_text = "1", * sb_text = "0";
    const char * param_text = NULL, * reason = NULL;
    neft_act_srcptr act;
    slong n = -1, order = -1, max_terms = NEFT_EXPAND_DEFAULT_MAX_TERMS, d = 1, prec = 64;
    slong threads = 0, npts = 0, * idx = NULL, i;
    int ai, json = 0, all = 0, subtract = 0, result, s, first;
    char err[1024];
    arb_ptr pts = NULL, sel = NULL;
    arb_t sw, sb;
    neft_expansion_t ex;
    neft_eval_ctx_t ctx;
    neft_eval_result_t r;
    neft_cli_budget_t budget;
    neft_cli_out_t held;
    FILE * out;

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    held.fp = NULL;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (ai = 1; (s = neft_cli_next(&seen, &budget, eval_usage, argc, argv, &ai))
                  == NEFT_CLI_MORE; ai++)
    {
        const char * a = argv[ai], * v;
#define VALUE() do { if (!(v = neft_cli_value(argc, argv, &ai))) return NEFT_EXIT_USAGE; } while (0)
        if (!strcmp(a, "-n") || !strcmp(a, "--points"))
        {
            VALUE();
            if (neft_cli_parse_slong(&n, v, a, 1, NEFT_DIAGRAM_MAX_VERTICES / 2))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "-o") || !strcmp(a, "--order"))
        {
            VALUE();
            if (neft_cli_parse_slong(&order, v, a, 0, NEFT_DIAGRAM_MAX_VERTICES / 2))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--d-in"))
        {
            VALUE();
            if (neft_cli_parse_slong(&d, v, a, 1, 64))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--threads"))
        {
            VALUE();
            if (neft_cli_parse_slong(&threads, v, a, 1, 4096))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--prec"))
        {
            VALUE();
            if (neft_cli_parse_slong(&prec, v, a, 16, 100000))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--max-terms"))
        {
            VALUE();
            if (neft_cli_parse_slong(&max_terms, v, a, 1, WORD_MAX))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--prune")) { VALUE(); prune_text = v; }
        else if (!strcmp(a, "--kernel")) { VALUE(); kernel = v; }
        else if (!strcmp(a, "--cutoff")) { VALUE(); cutoff = v; }
        else if (!strcmp(a, "--set")) { VALUE(); set = v; }
        else if (!strcmp(a, "--at")) { VALUE(); at = v; }
        else if (!strcmp(a, "--sw")) { VALUE(); sw_text = v; }
        else if (!strcmp(a, "--sb")) { VALUE(); sb_text = v; }
        else if (!strcmp(a, "--slope")) { VALUE(); param_text = v; }
        else if (!strcmp(a, "--subtract-bias"))
            subtract = 1;
        else if (!strcmp(a, "--all-tuples"))
            all = 1;
        else if (!strcmp(a, "--format"))
        {
            VALUE();
            if (neft_cli_parse_format(&json, v))
                return NEFT_EXIT_USAGE;
        }
        else if (neft_cli_operand("eval", a, &rules, NULL, "one RULES file only"))
            return NEFT_EXIT_USAGE;
#undef VALUE
    }
    if (s != NEFT_CLI_END)
        return s;
    if (kernel == NULL)
    {
        neft_cli_error("eval needs --kernel NAME (a row of the activation table with a "
                       "closed-form GP kernel: relu, leaky-relu, linear, erf, sin, gauss)");
        return NEFT_EXIT_USAGE;
    }
    if ((act = neft_kernel_lookup_act(kernel)) == NULL)
    {
        neft_cli_error("unknown kernel '%s' (expected one of %s)", kernel, neft_act_names());
        return NEFT_EXIT_USAGE;
    }
    if (!neft_act_has(act, NEFT_ACT_CAP_GP_KERNEL, &reason))
    {
        char why[256];
        snprintf(why, sizeof why, "--kernel %s: %s", kernel, reason);
        return neft_cli_exit_status(NEFT_UNSUPPORTED, why);
    }
    if (param_text != NULL && act->param_default == NULL)
    {
        neft_cli_error("--slope is a parameter of leaky-relu, not of %s", act->name);
        return NEFT_EXIT_USAGE;
    }
    if (cutoff == NULL || at == NULL)
    {
        neft_cli_error("eval needs %s", cutoff == NULL ? "--cutoff L (or inf)" : "--at \"x1;x2;..\"");
        return NEFT_EXIT_USAGE;
    }

    neft_expansion_init(ex);
    result = neft_cli_load_expansion(ex, rules, n, order, 0, prune_text, max_terms, "eval");
    if (result != NEFT_EXIT_OK)
    {
        neft_expansion_clear(ex);
        return result;
    }
    arb_init(sw);
    arb_init(sb);
    neft_eval_ctx_init(ctx, ex->theory->length);
    neft_eval_result_init(r);
    ctx->prec = prec;
    ctx->threads = threads;
    ctx->skip_zero = 1;     /* a coupling set to exactly 0: its terms are 0, not integrated */
    result = NEFT_EXIT_USAGE;
    if (parse_ball(sw, sw_text, "--sw", prec + 64) || parse_ball(sb, sb_text, "--sb", prec + 64))
        goto done;
    {
        /* the row's parameter: exact rational text (default: the row's) */
        fmpq_t q;
        arb_t par;
        const char * pt = param_text != NULL ? param_text : act->param_default;
        fmpq_init(q);
        arb_init(par);
        s = pt != NULL && neft_points_parse_rational(q, pt) != 0;
        if (s)
            neft_cli_error("--slope expects a number (decimal or p/q), got '%s'", pt);
        else
        {
            arb_set_fmpq(par, q, prec + 64);
            neft_kernel_set_act(ctx->kernel, act, par, d, sw, sb, NULL, prec + 64);
        }
        fmpq_clear(q);
        arb_clear(par);
        if (s)
            goto done;
    }
    ctx->kernel->subtract_bias = subtract;
    if (neft_eval_parse_cutoff(ctx->cutoff, cutoff, prec))
    {
        neft_cli_error("--cutoff expects a positive number in 2^-1000 .. 2^1000 or inf, got '%s'", cutoff);
        goto done;
    }
    if (neft_eval_parse_couplings(ctx, ex, set, err, sizeof(err)))
    {
        neft_cli_error("%s", err);
        goto done;
    }
    if (neft_eval_parse_points(&pts, &npts, at, d, prec, err, sizeof(err)))
    {
        neft_cli_error("%s", err);
        goto done;
    }
    if (!all && npts != ex->n)
    {
        neft_cli_error("--at gives %ld point%s, the %ld-point function needs %ld "
                       "(or use --all-tuples)", (long) npts, npts == 1 ? "" : "s",
                       (long) ex->n, (long) ex->n);
        goto done;
    }

    {
        double ops, bytes, tuples = 1;
        char how[160];
        if (all)
            for (i = 1; i <= ex->n; i++)
                tuples = tuples * (double) (npts + i - 1) / (double) i;
        neft_eval_cost(&ops, &bytes, ex, ctx, npts, tuples, all);
        snprintf(how, sizeof(how), "%.0f tuple%s x %ld terms at %ld bits, %.3g per tuple",
                 tuples, tuples == 1 ? "" : "s", (long) ex->length, (long) prec, ops / tuples);
        if (neft_cli_budget_check(&budget, ops, how, bytes,
                                  all ? "the output is held until the end" : NULL))
            goto done;
    }
    /* printed only when every tuple worked */
    if ((out = neft_cli_out_open(&held)) == NULL)
    {
        result = NEFT_EXIT_FAILURE;
        goto done;
    }
    idx = flint_calloc(ex->n + 1, sizeof(slong));
    sel = _arb_vec_init(ex->n * d + 1);
    first = 1;
    if (all)
    {
        /* the one-vertex integrals of all tuples at once, when every term
           can be integrated at all (otherwise neft_eval reports which) */
        if (neft_eval_supported(ex, ctx, err, sizeof(err)))
            neft_eval_prefill(ctx, ex, pts, npts);
    }
    result = NEFT_EXIT_OK;
    do
    {
        for (i = 0; i < ex->n; i++)
            _arb_vec_set(sel + i * d, pts + (all ? idx[i] : i) * d, d);
        s = neft_eval(r, ex, sel, ctx, err, sizeof(err));
        if (!neft_status_has_value(s))      /* refused, interrupted */
        {
            result = neft_cli_exit_status(s, err);
            break;
        }
        if (first)
        {
            if (json)
                neft_eval_write_json_begin(out, ex, ctx, pts, npts, all);
            else
                neft_eval_write_text_header(out, ex, ctx, pts, npts);
        }
        if (json)
            neft_eval_write_json(out, ex, ctx, r, all ? idx : NULL, first);
        else
            neft_eval_write_text(out, ex, ctx, r, all ? idx : NULL, !all);
        first = 0;
    }
    while (all && neft_tuple_next(idx, ex->n, npts));
    if (result == NEFT_EXIT_OK && json)
        neft_eval_write_json_end(out, all);

done:
    if (neft_cli_out_close(&held, result == NEFT_EXIT_OK) && result == NEFT_EXIT_OK)
        result = NEFT_EXIT_FAILURE;
    if (pts != NULL)
        _arb_vec_clear(pts, npts * d);
    if (sel != NULL)
        _arb_vec_clear(sel, ex->n * d + 1);
    flint_free(idx);
    neft_eval_result_clear(r);
    neft_eval_ctx_clear(ctx);
    neft_expansion_clear(ex);
    arb_clear(sw);
    arb_clear(sb);
    return result;
}
