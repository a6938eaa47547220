/* `neft onen`: deep MLPs in the 1/n expansion (docs/cmd-onen.md).  Parses
   the options and calls the onen module (neft/onen.h), which computes and
   writes the results. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"
#include "neft/json.h"
#include "cli.h"

#define FMT_TEXT NEFT_ONEN_FORMAT_TEXT
#define FMT_JSON NEFT_ONEN_FORMAT_JSON
#define FMT_LATEX 2

/* bad input in neft_cli_onen: the message, status 2 */
#define REFUSE(...) \
    do { neft_cli_error(__VA_ARGS__); status = NEFT_EXIT_USAGE; goto done; } while (0)
/* a request onen does not support for the activation (NEFT_UNSUPPORTED):
   "neft: unsupported: " and the reason naming the activation, exit status 3 */
#define UNSUPPORTED(...) \
    do { char _why[512]; snprintf(_why, sizeof _why, __VA_ARGS__); \
         status = neft_cli_exit_status(NEFT_UNSUPPORTED, _why); goto done; } while (0)

static const char usage[] =
    "usage: neft onen --activation NAME [--slope A] --cw C --cb C --depth L\n"
    "                 (--k1 K | --at \"x1;..\" --d-in D) [--width n | --widths n1,..]\n"
    "                 [--format text|json] [--prec BITS]\n"
    "       neft onen --formulas [--format text|latex]\n"
    "       neft onen --critical --activation NAME [--format text|json]\n"
    "       neft onen --compare-samples FILE --activation NAME --cw C --cb C\n"
    "                 --depth L --width n [--ignore-digest] [--format text|json]\n";

/* The error of a failed neft_onen_table / neft_onen_compare (status -1 or
   -2 at input a); prefix "FILE: " or "". */
static int
run_error(int status, slong a, const char * prefix, const neft_net_t net, slong prec)
{
    const char * why = "";
    if (status == -1)
    {
        /* bad input, not a failure (found by fuzz-cli) */
        neft_cli_error("%sinput %ld gives K^(1) = 0: the Gaussian integrals of %s need "
                       "K > 0 (K = 0 works for relu, leaky-relu, linear, sin and gauss)", prefix,
                       (long) a, net->act->name);
        return NEFT_EXIT_USAGE;
    }
    if (status == NEFT_UNSUPPORTED && neft_onen_check_depth(net, &why) != NEFT_SUCCESS)
        return neft_cli_exit_status(NEFT_UNSUPPORTED, why);
    neft_cli_error("input %ld: the layers could not be certified (a non-finite "
                   "ball: an integral beyond its evaluation limit, or too few "
                   "bits: --prec %ld)", (long) a, (long) prec);
    return NEFT_EXIT_FAILURE;
}

static int
run_compare(FILE * out, const char * file, neft_onen_params_t par, slong width, int format,
            const neft_cli_budget_t * budget, int flags)
{
    neft_onen_samples_t s;
    neft_onen_compare_t c;
    char err[512], how[128];
    double ops, bytes;
    slong bad = 0;
    int status = NEFT_EXIT_OK, r;

    neft_onen_samples_init(s);
    if (neft_onen_samples_read_flags(s, file, flags, err, sizeof err)
        || neft_onen_samples_check(s, par, width, file, err, sizeof err))
    {
        /* a file of other networks is refused: its pulls would mean nothing */
        neft_cli_error("%s", err);
        neft_onen_samples_clear(s);
        return NEFT_EXIT_USAGE;
    }
    /* the recursion at every input, the two-input vertex for two */
    neft_onen_compare_cost(&ops, &bytes, s, par);
    neft_onen_describe_run(how, sizeof how, par, s->npoints, 0);
    if (neft_cli_budget_check(budget, ops, how, bytes, NULL))
    {
        neft_onen_samples_clear(s);
        return NEFT_EXIT_USAGE;
    }
    neft_onen_compare_init(c);
    if ((r = neft_onen_compare(c, s, par, width, &bad)) != 0)
    {
        snprintf(err, sizeof err, "%s: ", file);
        status = run_error(r, bad, r == -1 ? err : "", par->net, par->prec);
    }
    else
        neft_onen_compare_write(out, c, file, par->net, format);
    neft_onen_compare_clear(c);
    neft_onen_samples_clear(s);
    return status;
}

/* The estimate of a run (neft_onen_table_cost), the output held in memory
   until the end.  0, or -1 after the refusal. */
static int
budget_check(const neft_cli_budget_t * budget, const neft_onen_params_t par, const fmpq_t k1,
             const fmpq * coords, slong npoints, slong d_in, int format)
{
    double ops, bytes, maxbits;
    char how[192];
    neft_onen_table_cost(&ops, &bytes, &maxbits, par, k1, coords, npoints, d_in, format);
    neft_onen_describe_run(how, sizeof how, par, npoints, maxbits);
    return neft_cli_budget_check(budget, ops, how, bytes, "the output is held until the end");
}

int
neft_cli_onen(int argc, char ** argv)
{
    const char * act_name = NULL, * at = NULL, * widths_text = NULL, * compare = NULL;
    const char * slope_text = NULL, * cw_text = NULL, * cb_text = NULL, * k1_text = NULL;
    slong depth = -1, d_in = -1, width = -1, prec = 128, npoints = 0, ncap = 0, l, * widths = NULL;
    int format = FMT_TEXT, bad = 0, formulas = 0, critical = 0, ignore_digest = 0, i, status = NEFT_EXIT_OK;
    neft_onen_params_t par;
    fmpq_t cw, cb, k1;
    fmpq * coords = NULL;
    neft_cli_budget_t budget;
    neft_cli_out_t held;
    char err[512];
    const char * why = "";
    FILE * out;

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    held.fp = NULL;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    char help[1536];    /* the usage and the activations of the table */
    snprintf(help, sizeof help, "%sactivations: %s (gauss: depth <= 2)\n", usage,
             neft_act_names());
    for (i = 1; (status = neft_cli_next(&seen, &budget, help, argc, argv, &i))
                 == NEFT_CLI_MORE; i++)
    {
        const char * o = argv[i], * v;
        if (!strcmp(o, "--formulas")) { formulas = 1; continue; }
        if (!strcmp(o, "--critical")) { critical = 1; continue; }
        if (!strcmp(o, "--ignore-digest")) { ignore_digest = 1; continue; }
        if (strncmp(o, "--", 2))
        {
            neft_cli_error("unexpected argument '%s' (see neft onen --help)", o);
            return NEFT_EXIT_USAGE;
        }
        if (!(v = neft_cli_value(argc, argv, &i)))
            return NEFT_EXIT_USAGE;
        if (!strcmp(o, "--activation")) act_name = v;
        else if (!strcmp(o, "--slope")) slope_text = v;
        else if (!strcmp(o, "--cw")) cw_text = v;
        else if (!strcmp(o, "--cb")) cb_text = v;
        else if (!strcmp(o, "--k1")) k1_text = v;
        else if (!strcmp(o, "--at")) at = v;
        else if (!strcmp(o, "--widths")) widths_text = v;
        else if (!strcmp(o, "--compare-samples")) compare = v;
        else if (!strcmp(o, "--depth")) bad = neft_cli_parse_slong(&depth, v, o, 1, 100000);
        else if (!strcmp(o, "--d-in")) bad = neft_cli_parse_slong(&d_in, v, o, 1, 1000000);
        else if (!strcmp(o, "--width")) bad = neft_cli_parse_slong(&width, v, o, 1, WORD_MAX / 4);
        else if (!strcmp(o, "--prec")) bad = neft_cli_parse_slong(&prec, v, o, 16, 10000);
        else if (!strcmp(o, "--format"))
        {
            format = !strcmp(v, "text") ? FMT_TEXT : !strcmp(v, "json") ? FMT_JSON
                   : !strcmp(v, "latex") ? FMT_LATEX : -1;
            if ((bad = format < 0))
                neft_cli_error("unknown format '%s' (expected text, json or latex)", v);
        }
        else
            return neft_cli_unknown("onen", o);
        if (bad)
            return NEFT_EXIT_USAGE;
    }
    if (status != NEFT_CLI_END)
        return status;
    status = NEFT_EXIT_OK;
    if (formulas)
    {
        if (format == FMT_JSON)
        {
            neft_cli_error("--formulas prints text or latex, not json");
            return NEFT_EXIT_USAGE;
        }
        return neft_onen_formulas(stdout, format == FMT_LATEX ? NEFT_ONEN_FORMULA_LATEX
                                  : NEFT_ONEN_FORMULA_TEXT) ? NEFT_EXIT_FAILURE : NEFT_EXIT_OK;
    }
    if (format == FMT_LATEX)
    {
        neft_cli_error("--format latex is for --formulas only");
        return NEFT_EXIT_USAGE;
    }
    neft_onen_params_init(par);
    fmpq_init(cw); fmpq_init(cb); fmpq_init(k1);
    par->prec = prec;
    /* everything below is printed only when the whole run succeeded */
    if ((out = neft_cli_out_open(&held)) == NULL)
    {
        status = NEFT_EXIT_FAILURE;
        goto done;
    }
    if (act_name == NULL)
        REFUSE("--activation is required (%s)", neft_act_names());
    /* the activation and its parameter (--slope: leaky-relu's) go into the net */
    if (neft_net_set_act_name(par->net, act_name, NULL, err, sizeof err))
        REFUSE("%s", err);
    if (slope_text != NULL
        && neft_net_set_act_name(par->net, act_name, slope_text, err, sizeof err))
        REFUSE("--slope expects a rational number and --activation leaky-relu, got '%s'",
               slope_text);
    if (critical)
    {
        neft_onen_crit_t c;
        if (!neft_onen_has(par->net, NEFT_ONEN_CAP_CRITICAL, &why))
            UNSUPPORTED("--critical: %s", why);
        neft_onen_crit_init(c);
        neft_onen_critical(c, par->net, 64.0, prec);
        neft_onen_crit_write(out, c, par->net, format);
        neft_onen_crit_clear(c);
        goto done;
    }
    if (cw_text == NULL || cb_text == NULL || depth < 0)
        REFUSE("--cw, --cb and --depth are required (see neft onen --help)");
    if (neft_onen_parse_rational(cw, cw_text) || fmpq_sgn(cw) <= 0)
        REFUSE("--cw expects a positive number, got '%s'", cw_text);
    if (neft_onen_parse_rational(cb, cb_text) || fmpq_sgn(cb) < 0)
        REFUSE("--cb expects a non-negative number, got '%s'", cb_text);
    neft_net_set_cw(par->net, cw);
    neft_net_set_cb(par->net, cb);
    neft_net_set_depth_recursion(par->net, depth);   /* 1..100000 as parsed */
    if (width > 0 && widths_text != NULL)
        REFUSE("give --width or --widths, not both");
    if (width > 0)
        neft_net_set_widths_all_si(par->net, width);
    if (widths_text != NULL)
    {
        widths = flint_malloc(sizeof(slong) * (depth + 1));
        if (neft_onen_parse_widths(widths, widths_text, depth, err, sizeof err))
            REFUSE("%s", err);
        for (l = 1; l < depth; l++)
            neft_net_set_width_si(par->net, l, widths[l - 1]);
    }
    if (neft_onen_check_depth(par->net, &why) != NEFT_SUCCESS)
        UNSUPPORTED("%s", why);
    if (compare != NULL)
    {
        if (width <= 0)
            REFUSE("--compare-samples needs --width n (the sampled networks' width)");
        status = run_compare(out, compare, par, width, format, &budget,
                             ignore_digest ? NEFT_JSON_IGNORE_DIGEST : 0);
        goto done;
    }
    if ((k1_text != NULL) == (at != NULL))
        REFUSE("give exactly one of --k1 K and --at \"x1;..\" (with --d-in D)");
    if (k1_text != NULL)
    {
        if (neft_onen_parse_rational(k1, k1_text) || fmpq_sgn(k1) < 0)
            REFUSE("--k1 expects a non-negative number, got '%s'", k1_text);
        npoints = 1;
    }
    else
    {
        if (d_in < 0)
            REFUSE("--at needs --d-in D");
        npoints = neft_onen_parse_points(&coords, &ncap, at, d_in);
        if (npoints < 0)
            REFUSE("--at expects points \"x1;x2;..\" of %ld comma-separated numbers each, got '%s'", (long) d_in, at);
    }
    if (budget_check(&budget, par, k1, coords, npoints, d_in, format))
    {
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    {
        neft_onen_table_t t;
        slong bad = 0;
        int r;
        neft_onen_table_init(t);
        if ((r = neft_onen_table(t, par, k1, coords, npoints, d_in, &bad)) != 0)
            status = run_error(r, bad, "", par->net, prec);
        else
            neft_onen_table_write(out, t, par->net, format);
        neft_onen_table_clear(t);
    }
done:
    if (neft_cli_out_close(&held, status == NEFT_EXIT_OK) && status == NEFT_EXIT_OK)
        status = NEFT_EXIT_FAILURE;
    neft_onen_points_clear(coords, ncap);
    flint_free(widths);
    neft_onen_params_clear(par);
    fmpq_clear(cw); fmpq_clear(cb); fmpq_clear(k1);
    return status;
}
