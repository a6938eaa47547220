/* `neft onen --figure phase|depth --figure-file FILE.tex` (docs/cmd-onen.md
   "Pictures"): parse, draw through src/onen/figures.c. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "neft/onen.h"
#include "neft/interrupt.h"
#include "cli.h"

static const char usage[] =
    "usage: neft onen --figure phase --activation NAME --figure-file FILE.tex\n"
    "                 [--cb C1,C2,C3] [--cw-range MIN,MAX] [--points N] [--prec BITS]\n"
    "       neft onen --figure depth --activation NAME --cw C --cb C --depth L --k1 K\n"
    "                 --figure-file FILE.tex [--lambda-b A --lambda-w B] [--prec BITS]\n"
    "  phase: chi_perp and chi_par at the fixed point K* against C_W, and the\n"
    "  order-to-chaos line; depth: Theta and V/K^2 against the layer.  The files\n"
    "  are pgfplots documents (pdflatex FILE.tex draws them).\n";

/* "a,b,.." -> up to max doubles >= 0; count or -1 after an error */
static slong
parse_list(double * v, slong max, const char * text, const char * option)
{
    const char * s = text;
    slong n = 0;
    for (;;)
    {
        char buf[64];
        size_t len = strcspn(s, ",");
        if (len == 0 || len >= sizeof buf || n == max)
            break;
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (neft_cli_parse_double(v + n, buf, option))
            return -1;
        if (v[n] < 0)
            break;
        n++;
        if (s[len] == '\0')
            return n;
        s += len + 1;
    }
    neft_cli_error("%s expects at most %ld non-negative numbers separated by commas, got '%s'",
                   option, (long) max, text);
    return -1;
}

int
neft_cli_onen_figure(int argc, char ** argv)
{
    const char * kind = NULL, * output = NULL, * k1_text = NULL, * lb_text = NULL;
    const char * lw_text = NULL, * range_text = NULL;
    neft_cli_netopt_t nopt;     /* --activation, --slope, --cw, --cb, --depth */
    slong prec = 64, points = 25, ncb = 3;
    double cbs[3] = {0.0001, 0.05, 0.3}, range[2] = {0.5, 3.0};
    int i, status, bad = 0, r;
    neft_cli_budget_t budget;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;
    neft_onen_params_t par;
    fmpq_t q, lb, lw;
    arb_t k1;

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    neft_cli_netopt_init(&nopt);
    for (i = 1; (status = neft_cli_next(&seen, &budget, usage, argc, argv, &i))
                 == NEFT_CLI_MORE; i++)
    {
        const char * o = argv[i], * v;
        if (strncmp(o, "--", 2))
        {
            neft_cli_error("unexpected argument '%s' (see neft onen --help)", o);
            return NEFT_EXIT_USAGE;
        }
        if (!(v = neft_cli_value(argc, argv, &i)))
            return NEFT_EXIT_USAGE;
        if (!strcmp(o, "--figure")) kind = v;
        else if (!strcmp(o, "--figure-file")) output = v;
        else if (neft_cli_netopt(&nopt, o, v, &bad)) ;
        else if (!strcmp(o, "--k1")) k1_text = v;
        else if (!strcmp(o, "--lambda-b")) lb_text = v;
        else if (!strcmp(o, "--lambda-w")) lw_text = v;
        else if (!strcmp(o, "--cw-range")) range_text = v;
        else if (!strcmp(o, "--points")) bad = neft_cli_parse_slong(&points, v, o, 2, 1000);
        else if (!strcmp(o, "--prec")) bad = neft_cli_parse_slong(&prec, v, o, 16, 10000);
        else
            return neft_cli_unknown("onen", o);
        if (bad)
            return NEFT_EXIT_USAGE;
    }
    if (status != NEFT_CLI_END)
        return status;
    if (kind == NULL || (strcmp(kind, "phase") && strcmp(kind, "depth")))
    {
        neft_cli_error("--figure expects phase or depth, got '%s'", kind ? kind : "");
        return NEFT_EXIT_USAGE;
    }
    if (output == NULL || nopt.act == NULL)
    {
        neft_cli_error("--figure needs --activation and --figure-file FILE.tex");
        return NEFT_EXIT_USAGE;
    }
    neft_onen_params_init(par);
    fmpq_init(q); fmpq_init(lb); fmpq_init(lw);
    fmpq_one(lb); fmpq_one(lw);
    arb_init(k1);
    par->prec = prec;
    status = NEFT_EXIT_OK;
#define REFUSE(...) \
    do { neft_cli_error(__VA_ARGS__); status = NEFT_EXIT_USAGE; goto done; } while (0)
    if (neft_cli_netopt_activation(par->net, &nopt))
    {
        status = NEFT_EXIT_USAGE;
        goto done;
    }
    if (!strcmp(kind, "phase"))
    {
        if (nopt.cw != NULL || nopt.depth >= 0 || k1_text != NULL)
            REFUSE("--figure phase takes --cb C1,.. and --cw-range, not --cw, --depth, --k1");
        if (nopt.cb != NULL && (ncb = parse_list(cbs, 3, nopt.cb, "--cb")) < 0)
        {
            status = NEFT_EXIT_USAGE;
            goto done;
        }
        if (range_text != NULL && (parse_list(range, 2, range_text, "--cw-range") != 2
                                   || !(range[0] > 0 && range[1] > range[0])))
            REFUSE("--cw-range expects MIN,MAX with 0 < MIN < MAX, got '%s'", range_text);
        {
            /* Newton: about 10 Gaussian expectations per point */
            double ops = (double) (ncb * points * 10 + 64)
                         * neft_onen_gauss_cost(par->net, 1.0, prec);
            if (neft_cli_budget_check(&budget, ops, "Gaussian expectations of the fixed "
                                      "points", 0, NULL))
            {
                status = NEFT_EXIT_USAGE;
                goto done;
            }
        }
        errno = 0;
        r = neft_onen_figure_phase(output, par->net, cbs, ncb, range[0], range[1], points, prec);
    }
    else
    {
        if (nopt.cw == NULL || nopt.cb == NULL || nopt.depth < 0 || k1_text == NULL)
            REFUSE("--figure depth needs --cw, --cb, --depth and --k1");
        if (neft_cli_netopt_hyper(par->net, &nopt))
        {
            status = NEFT_EXIT_USAGE;
            goto done;
        }
        if (neft_onen_parse_rational(q, k1_text) || fmpq_sgn(q) < 0)
            REFUSE("--k1 expects a non-negative number, got '%s'", k1_text);
        arb_set_fmpq(k1, q, prec);
        if (lb_text != NULL && (neft_onen_parse_rational(lb, lb_text) || fmpq_sgn(lb) < 0))
            REFUSE("--lambda-b expects a non-negative number, got '%s'", lb_text);
        if (lw_text != NULL && (neft_onen_parse_rational(lw, lw_text) || fmpq_sgn(lw) < 0))
            REFUSE("--lambda-w expects a non-negative number, got '%s'", lw_text);
        {
            const char * why = "";
            double ops, bytes;
            if (neft_onen_check_depth(par->net, &why) != NEFT_SUCCESS)
            {
                status = neft_cli_exit_status(NEFT_UNSUPPORTED, why);
                goto done;
            }
            neft_onen_single_cost(&ops, &bytes, par, fmpq_get_d(q));
            if (neft_cli_budget_check(&budget, ops, "the layer recursion", bytes, NULL))
            {
                status = NEFT_EXIT_USAGE;
                goto done;
            }
        }
        errno = 0;
        r = neft_onen_figure_depth(output, par, k1, lb, lw);
    }
    if (r != 0)
    {
        if (neft_interrupted())
            status = neft_cli_interrupted(NULL);
        else
        {
            neft_cli_error("%s: the figure could not be made (%s)", output,
                           errno ? strerror(errno) : "a non-finite value");
            status = NEFT_EXIT_FAILURE;
        }
    }
    else
        printf("%s\n", output);
#undef REFUSE
done:
    neft_onen_params_clear(par);
    fmpq_clear(q); fmpq_clear(lb); fmpq_clear(lw);
    arb_clear(k1);
    return status;
}
