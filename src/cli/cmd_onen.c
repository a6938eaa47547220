/* `neft onen`: deep MLPs in the 1/n expansion (docs/cmd-onen.md).  Parses
   the options and calls the onen module (neft/onen.h), which computes and
   writes the results. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/onen.h"
#include "neft/json.h"
#include "neft/interrupt.h"
#include "cli.h"

#define FMT_TEXT NEFT_ONEN_FORMAT_TEXT
#define FMT_JSON NEFT_ONEN_FORMAT_JSON
#define FMT_LATEX 2

/* bad input in neft_cli_onen: the message, status 2 */
#define REFUSE(...) \
    do { neft_cli_error(__VA_ARGS__); status = NEFT_EXIT_USAGE; goto done; } while (0)
/* a request onen does not support for the activation (NEFT_UNSUPPORTED):
   "neft: unsupported: " and the reason naming the activation, exit status 3 */
/* refused, the message printed already */
#define USAGE_FAIL() do { status = NEFT_EXIT_USAGE; goto done; } while (0)
#define UNSUPPORTED(...) \
    do { char _why[512]; snprintf(_why, sizeof _why, __VA_ARGS__); \
         status = neft_cli_exit_status(NEFT_UNSUPPORTED, _why); goto done; } while (0)

static const char usage[] =
    "usage: neft onen --activation NAME [--slope A] --cw C --cb C --depth L\n"
    "                 (--k1 K | --at \"x1;..\" --d-in D [--kernel-only])\n"
    "                 [--width n | --widths n1,..] [--format text|json] [--prec BITS]\n"
    "       neft onen --ntk [--lambda-b A --lambda-w B] --activation NAME --cw C --cb C\n"
    "                 --depth L (--k1 K | --at \"x1;..\" --d-in D) [--format text|json]\n"
    "                 [--order 1 [--ddntk] [--width n | --widths n1,..]]\n"
    "       neft onen [--ntk] --formulas [--format text|latex]\n"
    "       neft onen --critical --activation NAME [--format text|json]\n"
    "       neft onen --compare-samples FILE --activation NAME --cw C --cb C\n"
    "                 --depth L --width n [--ignore-digest] [--format text|json]\n";

/* neft_onen_params_t's progress callback: the meter of the multi-input vertex */
static void
vertex_progress(void * arg, double done, double total)
{
    neft_cli_meter_draw((neft_cli_meter_t *) arg, "vertex work", done, total);
}

/* The error of a failed neft_onen_table / neft_onen_compare / layer or NTK
   recursion (status -1 or -2 at input a); prefix "FILE: " or "".  The one
   rule of stop requests here: after one, any failure is the stop (the
   interrupted line and status, not a failure to certify), so every failure
   of a computation goes through this function (run_ntk2 applies the same
   test to its library status). */
static int
run_error(int status, slong a, const char * prefix, const neft_net_t net, slong prec)
{
    const char * why = "";
    if (neft_interrupted())
        return neft_cli_interrupted(NULL);
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

/* What makes the exact rationals grow (neft_onen_single_exact_cost): the
   depth times the bits of C_W mu_1, plus those of K^(1), C_b and the widths. */
#define BITS_HOW "--depth times the bits of C_W's fraction, plus those of --k1 or --at, " \
    "--cb and the widths: lower --depth or give shorter fractions"

/* The estimate of a run (neft_onen_table_cost), the output held in memory
   until the end; exact numbers beyond GMP's limit are refused whatever the
   budget.  0, or -1 after the refusal. */
static int
budget_check(const neft_cli_budget_t * budget, const neft_onen_params_t par, const fmpq_t k1,
             const fmpq * coords, slong npoints, slong d_in, int format)
{
    double ops, bytes, maxbits;
    char how[192];
    neft_onen_table_cost(&ops, &bytes, &maxbits, par, k1, coords, npoints, d_in, format);
    if (neft_cli_bits_check(maxbits, BITS_HOW))
        return -1;
    neft_onen_describe_run(how, sizeof how, par, npoints, maxbits);
    return neft_cli_budget_check(budget, ops, how, bytes, "the output is held until the end");
}

/* --ntk --order 1 --ddntk, one input: the ddNTK's R, S, T, U after the
   O(1/n) table (its support checked by the caller before any output) */
static int
run_ddntk(FILE * out, const neft_onen_params_t par, const neft_onen_layer_struct * L,
          const neft_onen_exact_struct * E, const fmpq_t lb, const fmpq_t lw, int format)
{
    slong depth = par->net->depth;
    neft_onen_ddntk_struct * D = neft_onen_ddntk_init(depth);
    neft_onen_ddntk_exact_struct * X = E != NULL ? neft_onen_ddntk_exact_init(depth) : NULL;
    int status = NEFT_EXIT_OK;

    if (neft_onen_ddntk_single(D, L, par, lb, lw)
        || (X != NULL && neft_onen_ddntk_single_exact(X, E, par->net, lb, lw) != NEFT_SUCCESS))
        status = run_error(-2, 0, "", par->net, par->prec);
    else
    {
        fputs(format == FMT_JSON ? "," : "", out);
        neft_onen_ddntk_write(out, D, X, depth, format);
    }
    neft_onen_ddntk_clear(D, depth);
    if (X != NULL)
        neft_onen_ddntk_exact_clear(X, depth);
    return status;
}

/* --ntk --order 1, one input: the O(1/n) table from the layer table L
   (and the exact one E, when not NULL) */
static int
run_ntk1(FILE * out, const neft_onen_params_t par, const neft_onen_layer_struct * L,
         const neft_onen_exact_struct * E, const fmpq_t lb, const fmpq_t lw, int format,
         int ddntk)
{
    slong depth = par->net->depth;
    neft_onen_ntk1_struct * T = neft_onen_ntk1_init(depth);
    neft_onen_ntk1_exact_struct * X = E != NULL ? neft_onen_ntk1_exact_init(depth) : NULL;
    int status = NEFT_EXIT_OK;

    if (neft_onen_ntk1_single(T, L, par, lb, lw)
        || (X != NULL && neft_onen_ntk1_single_exact(X, E, par->net, lb, lw) != NEFT_SUCCESS))
        status = run_error(-2, 0, "", par->net, par->prec);
    else
        neft_onen_ntk1_write(out, L, T, X, par->net, format);
    if (status == NEFT_EXIT_OK && ddntk)
        status = run_ddntk(out, par, L, E, lb, lw, format);
    neft_onen_ntk1_clear(T, depth);
    if (X != NULL)
        neft_onen_ntk1_exact_clear(X, depth);
    return status;
}

/* --ntk --order 1, two or more inputs: the O(1/n) tensors (neft_onen_ntk2,
   neft_onen_ntkm) */
static int
run_ntk2(FILE * out, const neft_onen_params_t par, const fmpq_t lb, const fmpq_t lw,
         arb_srcptr x, slong npoints, slong d_in, int format, int ddntk)
{
    neft_onen_ntk2_struct * T = NULL;
    neft_onen_ntkm_t M;
    neft_onen_ddntkm_t DD;
    char err[256] = "";
    int st = 0, status = NEFT_EXIT_OK;
    neft_onen_ntkm_init(M, npoints, par->net->depth);
    if (ddntk)     /* the dNTK split and the ddNTK (neft_onen_ddntkm) */
    {
        neft_onen_ddntkm_init(DD, npoints, par->net->depth);
        st = neft_onen_ddntkm(DD, M, par, lb, lw, x, npoints, d_in, 1, err, sizeof err);
    }
    if (npoints == 2 && (!ddntk || st == 0))
    {
        T = neft_onen_ntk2_init(par->net->depth);
        st = neft_onen_ntk2(T, par, lb, lw, x, d_in, err, sizeof err);
    }
    else if (!ddntk)
        st = neft_onen_ntkm(M, par, lb, lw, x, npoints, d_in, err, sizeof err);
    if (st == NEFT_INTERRUPTED || (st && neft_interrupted()))
        status = neft_cli_interrupted(NULL);    /* (run_error's rule) */
    else if (st)
        status = neft_cli_exit_status(st == NEFT_UNSUPPORTED ? NEFT_UNSUPPORTED : NEFT_FAILURE,
                                      err);
    else if (T != NULL)
        neft_onen_ntk2_write(out, T, par->net->depth, format);
    else
        neft_onen_ntkm_write(out, M, format);
    if (status == NEFT_EXIT_OK && ddntk)
    {
        fputs(format == FMT_JSON ? "," : "", out);
        neft_onen_ddntkm_write(out, DD, format);
    }
    if (T != NULL)
        neft_onen_ntk2_clear(T, par->net->depth);
    neft_onen_ntkm_clear(M);
    if (ddntk)
        neft_onen_ddntkm_clear(DD);
    return status;
}

/* --ntk: the frozen NTK per layer (neft_onen_ntk_*), one input from the
   layer table (exact for the scale-invariant activations), several inputs as
   kernel and NTK matrices. */
static int
run_ntk(FILE * out, const neft_onen_params_t par, const fmpq_t k1, const fmpq * coords,
        slong npoints, slong d_in, const fmpq_t lb, const fmpq_t lw, int format,
        const neft_cli_budget_t * budget, slong order, int ddntk)
{
    slong depth = par->net->depth, prec = par->prec, a;
    double ops, bytes, maxbits = 0;
    const char * why = "";
    char how[192];
    int status = NEFT_EXIT_OK;
    char * s;

    if (npoints == 1)
    {
        double o, b, bits;
        fmpq_t q;
        fmpq_init(q);
        if (coords != NULL)
            neft_onen_point_k1(q, coords, d_in, par->net);
        else
            fmpq_set(q, k1);
        neft_onen_single_cost(&ops, &bytes, par, fmpq_get_d(q));
        neft_onen_single_exact_cost(&o, &b, &bits, par->net, q);
        ops += o; bytes += b; maxbits = bits;
        if (order == 1)
            neft_onen_ntk1_single_cost(&ops, &bytes, par, q);
        fmpq_clear(q);
        if (order == 1 && !neft_onen_ntk1_has(par->net, &why))
            return neft_cli_exit_status(NEFT_UNSUPPORTED, why);
        if (ddntk && !neft_onen_ddntk_has(par->net, &why))
            return neft_cli_exit_status(NEFT_UNSUPPORTED, why);
    }
    else
    {
        if (ddntk && !neft_onen_ddntkm_has(par->net, &why))
            return neft_cli_exit_status(NEFT_UNSUPPORTED, why);
        if (order == 1 && npoints > NEFT_ONEN_NTKM_MAX)
            return neft_cli_exit_status(NEFT_UNSUPPORTED, "--ntk --order 1: the NTK at "
                                        "O(1/n) is computed for at most 8 inputs");
        if (order == 1 && !neft_onen_ntk2_has(par->net, &why))
            return neft_cli_exit_status(NEFT_UNSUPPORTED, why);
        if (!neft_onen_ntk_has(par->net, &why))
            return neft_cli_exit_status(NEFT_UNSUPPORTED, why);
        neft_onen_ntk_matrix_cost(&ops, &bytes, par, npoints, d_in);
    }
    if (neft_cli_bits_check(maxbits, BITS_HOW))
        return NEFT_EXIT_USAGE;
    neft_onen_describe_run(how, sizeof how, par, npoints, maxbits);
    if (neft_cli_budget_check(budget, ops, how, bytes, NULL))
        return NEFT_EXIT_USAGE;
    if (format == FMT_JSON)
    {
        fputs("{\"activation\":", out);
        neft_json_write_string(out, par->net->act->name);
        s = fmpq_get_str(NULL, 10, par->net->cw);
        fputs(",\"cw\":", out); neft_json_write_string(out, s); flint_free(s);
        s = fmpq_get_str(NULL, 10, par->net->cb);
        fputs(",\"cb\":", out); neft_json_write_string(out, s); flint_free(s);
        s = fmpq_get_str(NULL, 10, lb);
        fputs(",\"lambda_b\":", out); neft_json_write_string(out, s); flint_free(s);
        s = fmpq_get_str(NULL, 10, lw);
        fputs(",\"lambda_w\":", out); neft_json_write_string(out, s); flint_free(s);
        fprintf(out, ",\"depth\":%ld,", (long) depth);
        if (order == 1)
            fputs("\"order\":1,", out);
    }
    else
    {
        char * cw = fmpq_get_str(NULL, 10, par->net->cw), * cb = fmpq_get_str(NULL, 10, par->net->cb);
        char * b = fmpq_get_str(NULL, 10, lb), * w = fmpq_get_str(NULL, 10, lw);
        fprintf(out, "# NTK of %s, C_W = %s, C_b = %s, depth %ld, lambda_b = %s, lambda_W = %s\n",
                par->net->act->name, cw, cb, (long) depth, b, w);
        if (order == 1 && npoints == 1)
            fputs("# to O(1/n): E[H] = Theta + Theta1/n, Var H = (A + 2B)/n, "
                  "Cov(H, z^2) = (D + 2F)/n, n = n_{l-1}\n"
                  "# dNTK dH_ijk: E[dH_ijk z_m] = (d_im d_jk P + d_ij d_km Q + d_ik d_jm Q)/n\n",
                  out);
        flint_free(cw); flint_free(cb); flint_free(b); flint_free(w);
    }
    if (npoints == 1)
    {
        neft_onen_layer_struct * L = neft_onen_layers_init(depth);
        neft_onen_exact_struct * E = NULL;
        arb_ptr theta = _arb_vec_init(depth);
        fmpq * qt = NULL;
        fmpq_t q;
        arb_t kk;
        fmpq_init(q); arb_init(kk);
        if (coords != NULL)
            neft_onen_point_k1(q, coords, d_in, par->net);
        else
            fmpq_set(q, k1);
        arb_set_fmpq(kk, q, prec);
        if (neft_onen_single(L, par, kk) || neft_onen_ntk_single(theta, L, par, lb, lw))
            status = run_error(arb_is_zero(kk) ? -1 : -2, 0, "", par->net, prec);
        else
        {
            if (neft_onen_is_scale_invariant(par->net))
            {
                E = neft_onen_exact_init(depth);
                qt = _fmpq_vec_init(depth);
                if (neft_onen_single_exact(E, par->net, q) != NEFT_SUCCESS
                    || neft_onen_ntk_single_exact(qt, E, par->net, lb, lw) != NEFT_SUCCESS)
                    status = run_error(-2, 0, "", par->net, prec);  /* (a stop request) */
            }
            if (status == NEFT_EXIT_OK && order == 1)
                status = run_ntk1(out, par, L, E, lb, lw, format, ddntk);
            else if (status == NEFT_EXIT_OK)
                neft_onen_ntk_single_write(out, L, theta, qt, depth, format);
        }
        if (E != NULL)
            neft_onen_exact_clear(E, depth);
        if (qt != NULL)
            _fmpq_vec_clear(qt, depth);
        _arb_vec_clear(theta, depth);
        neft_onen_layers_clear(L, depth);
        fmpq_clear(q); arb_clear(kk);
    }
    else
    {
        arb_ptr x = _arb_vec_init(npoints * d_in);
        arb_ptr K = _arb_vec_init(depth * npoints * npoints);
        arb_ptr T = _arb_vec_init(depth * npoints * npoints);
        for (a = 0; a < npoints * d_in; a++)
            arb_set_fmpq(x + a, coords + a, prec);
        if (order == 1)
            status = run_ntk2(out, par, lb, lw, x, npoints, d_in, format, ddntk);
        else if (neft_onen_ntk_matrix(K, T, par, lb, lw, x, npoints, d_in))
            status = run_error(-2, 0, "", par->net, prec);
        else
            neft_onen_ntk_matrix_write(out, K, T, depth, npoints, format);
        _arb_vec_clear(x, npoints * d_in);
        _arb_vec_clear(K, depth * npoints * npoints);
        _arb_vec_clear(T, depth * npoints * npoints);
    }
    if (format == FMT_JSON && status == NEFT_EXIT_OK)
        fputs("}\n", out);
    return status;
}

int
neft_cli_onen(int argc, char ** argv)
{
    const char * at = NULL, * widths_text = NULL, * compare = NULL, * k1_text = NULL;
    const char * lb_text = NULL, * lw_text = NULL;
    int ntk = 0, ddntk = 0;
    slong order = 0;
    slong d_in = -1, width = -1, prec = 128, npoints = 0, ncap = 0, l, * widths = NULL;
    int format = FMT_TEXT, bad = 0, formulas = 0, critical = 0, ignore_digest = 0, kernel_only = 0, i, status = NEFT_EXIT_OK;
    neft_onen_params_t par;
    fmpq_t k1;
    neft_cli_netopt_t no;
    fmpq * coords = NULL;
    neft_cli_budget_t budget;
    neft_cli_out_t held;
    char err[512];
    const char * why = "";
    FILE * out;

    /* pictures (src/cli/cmd_onen_figure.c) */
    for (i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--figure"))
            return neft_cli_onen_figure(argc, argv);
    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    neft_cli_netopt_init(&no);
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
        if (!strcmp(o, "--ntk")) { ntk = 1; continue; }
        if (!strcmp(o, "--ddntk")) { ddntk = 1; continue; }
        if (!strcmp(o, "--kernel-only")) { kernel_only = 1; continue; }
        if (!strcmp(o, "--ignore-digest")) { ignore_digest = 1; continue; }
        if (strncmp(o, "--", 2))
        {
            neft_cli_error("unexpected argument '%s' (see neft onen --help)", o);
            return NEFT_EXIT_USAGE;
        }
        if (!(v = neft_cli_value(argc, argv, &i)))
            return NEFT_EXIT_USAGE;
        if (neft_cli_netopt(&no, o, v, &bad))
            ;   /* --activation, --slope, --cw, --cb, --depth */
        else if (!strcmp(o, "--k1")) k1_text = v;
        else if (!strcmp(o, "--at")) at = v;
        else if (!strcmp(o, "--lambda-b")) lb_text = v;
        else if (!strcmp(o, "--lambda-w")) lw_text = v;
        else if (!strcmp(o, "--widths")) widths_text = v;
        else if (!strcmp(o, "--compare-samples")) compare = v;
        else if (!strcmp(o, "--d-in")) bad = neft_cli_parse_slong(&d_in, v, o, 1, 1000000);
        else if (!strcmp(o, "--width")) bad = neft_cli_parse_slong(&width, v, o, 1, WORD_MAX / 4);
        else if (!strcmp(o, "--prec")) bad = neft_cli_parse_slong(&prec, v, o, 16, 10000);
        else if (!strcmp(o, "--order")) bad = neft_cli_parse_slong(&order, v, o, 0, 1);
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
    if (ntk && (critical || compare != NULL))
    {
        neft_cli_error("--ntk goes with neither --critical nor --compare-samples");
        return NEFT_EXIT_USAGE;
    }
    if (ddntk && (!ntk || order != 1 || formulas))
    {
        neft_cli_error("--ddntk goes with --ntk --order 1 (and not with --formulas)");
        return NEFT_EXIT_USAGE;
    }
    if (formulas)
    {
        if (format == FMT_JSON)
        {
            neft_cli_error("--formulas prints text or latex, not json");
            return NEFT_EXIT_USAGE;
        }
        /* --ntk --formulas: the recursions of the NTK at O(1/n) */
        return (ntk ? neft_onen_ntk1_formulas : neft_onen_formulas)(stdout,
                   format == FMT_LATEX ? NEFT_ONEN_FORMULA_LATEX : NEFT_ONEN_FORMULA_TEXT)
               ? NEFT_EXIT_FAILURE : NEFT_EXIT_OK;
    }
    if (format == FMT_LATEX)
    {
        neft_cli_error("--format latex is for --formulas only");
        return NEFT_EXIT_USAGE;
    }
    neft_onen_params_init(par);
    fmpq_init(k1);
    par->prec = prec;
    par->kernel_only = kernel_only;
    /* everything below is printed only when the whole run succeeded */
    if ((out = neft_cli_out_open(&held)) == NULL)
    {
        status = NEFT_EXIT_FAILURE;
        goto done;
    }
    /* the activation and its parameter (--slope: leaky-relu's) go into the net */
    if (neft_cli_netopt_activation(par->net, &no))
        USAGE_FAIL();
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
    if (no.cw == NULL || no.cb == NULL || no.depth < 0)
        REFUSE("--cw, --cb and --depth are required (see neft onen --help)");
    if (neft_cli_netopt_hyper(par->net, &no))
        USAGE_FAIL();
    if (width > 0 && widths_text != NULL)
        REFUSE("give --width or --widths, not both");
    if (width > 0)
        neft_net_set_widths_all_si(par->net, width);
    if (widths_text != NULL)
    {
        widths = flint_malloc(sizeof(slong) * (no.depth + 1));
        if (neft_onen_parse_widths(widths, widths_text, no.depth, err, sizeof err))
            REFUSE("%s", err);
        for (l = 1; l < no.depth; l++)
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
    if (ntk)
    {
        fmpq_t lb, lw;
        fmpq_init(lb); fmpq_init(lw);
        fmpq_one(lb); fmpq_one(lw);
        if (lb_text != NULL && (neft_onen_parse_rational(lb, lb_text) || fmpq_sgn(lb) < 0))
            bad = 1, neft_cli_error("--lambda-b expects a non-negative number, got '%s'", lb_text);
        else if (lw_text != NULL && (neft_onen_parse_rational(lw, lw_text) || fmpq_sgn(lw) < 0))
            bad = 1, neft_cli_error("--lambda-w expects a non-negative number, got '%s'", lw_text);
        status = bad ? NEFT_EXIT_USAGE
               : run_ntk(out, par, k1, coords, npoints, d_in, lb, lw, format, &budget, order,
                         ddntk);
        fmpq_clear(lb); fmpq_clear(lw);
        goto done;
    }
    if (lb_text != NULL || lw_text != NULL)
        REFUSE("--lambda-b and --lambda-w go with --ntk");
    if (order > 0)
        REFUSE("--order 1 goes with --ntk");
    if (budget_check(&budget, par, k1, coords, npoints, d_in, format))
    {
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    {
        neft_onen_table_t t;
        neft_cli_meter_t meter;
        slong bad = 0;
        int r;
        /* the multi-input vertex can take minutes: a progress bar on a terminal */
        neft_cli_meter_init(&meter, isatty(STDERR_FILENO));
        par->progress = vertex_progress;
        par->progress_arg = &meter;
        neft_onen_table_init(t);
        r = neft_onen_table(t, par, k1, coords, npoints, d_in, &bad);
        neft_cli_meter_clear(&meter);
        if (r != 0)
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
    fmpq_clear(k1);
    return status;
}
