/* `neft exact`: parse, compute the exact finite-width correlators, print balls. */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/exact.h"
#include "neft/points.h"
#include "neft/json.h"
#include "neft/tuple.h"
#include "cli.h"

/* sigma_w or sigma_b: a non-negative decimal (or p/q), kept exact */
static int
parse_sigma(fmpq_t q, const char * text, const char * option)
{
    double d;
    if (neft_cli_parse_double(&d, text, option))
        return -1;
    if (d < 0)
    {
        neft_cli_error("%s must be >= 0, got %s", option, text);
        return -1;
    }
    if (neft_points_parse_rational(q, text))
    {
        neft_cli_error("%s expects a decimal number, got '%s'", option, text);
        return -1;
    }
    return 0;
}

/* --width N or N1,N2,..: widths >= 1, at most NEFT_CLI_EXACT_MAX_WIDTHS */
#define NEFT_CLI_EXACT_MAX_WIDTHS 64
static int
parse_widths(slong * widths, slong * n, const char * text, const char * option)
{
    const char * p = text;
    char piece[64];
    *n = 0;
    for (;;)
    {
        const char * e = strchr(p, ',');
        size_t len = e != NULL ? (size_t) (e - p) : strlen(p);
        if (len == 0 || len >= sizeof piece || *n >= NEFT_CLI_EXACT_MAX_WIDTHS)
        {
            neft_cli_error("%s expects N or a comma-separated list of at most %d widths, "
                           "got '%s'", option, NEFT_CLI_EXACT_MAX_WIDTHS, text);
            return -1;
        }
        memcpy(piece, p, len);
        piece[len] = '\0';
        if (neft_cli_parse_slong(widths + *n, piece, option, 1, WORD_MAX))
            return -1;
        (*n)++;
        if (e == NULL)
            return 0;
        p = e + 1;
    }
}

static const char exact_usage[] =
    "usage: neft exact --activation NAME [--slope S] --d-in D --width N[,N2,..]\n"
    "                  --at \"x1;..;xk\" [--npt 2,4,6] [--sw S --sb B] [--prec BITS]\n"
    "                  [--format text|json] [--max-work N] [--max-memory SIZE]\n";

int
neft_cli_exact(int argc, char ** argv)
{
    const char * at = NULL, * sw_text = "1", * sb_text = "0", * act_name = NULL,
               * slope = NULL;
    slong width = -1, d_in = 1, prec = 64, k, nwidths = 0, w;
    slong widths[NEFT_CLI_EXACT_MAX_WIDTHS];
    neft_exact_result_struct res[NEFT_CLI_EXACT_MAX_WIDTHS];
    int json = 0, i, status;
    unsigned mask = (1u << 2) | (1u << 4) | (1u << 6);
    neft_cli_points_t pts;
    neft_exact_spec_t spec;
    arb_ptr x;
    neft_cli_budget_t budget;
    char err[1024];
    const char * why = NULL;    /* the library's line, unless printed already */

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (i = 1; (status = neft_cli_next(&seen, &budget, exact_usage, argc, argv, &i))
                 == NEFT_CLI_MORE; i++)
    {
        const char * a = argv[i], * v;
        if (!(v = neft_cli_option_value("exact", argc, argv, &i)))
            return NEFT_EXIT_USAGE;
        if (!strcmp(a, "--activation"))
        {
            if (neft_cli_parse_activation(&act_name, v))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--slope"))
            slope = v;
        else if (!strcmp(a, "--d-in"))
        {
            if (neft_cli_parse_slong(&d_in, v, a, 1, 1000000))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--width"))
        {
            if (parse_widths(widths, &nwidths, v, a))
                return NEFT_EXIT_USAGE;
            width = widths[0];
        }
        else if (!strcmp(a, "--at"))
            at = v;
        else if (!strcmp(a, "--npt"))
        {
            if (neft_cli_parse_npt(&mask, v, a))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--sw") || !strcmp(a, "--sb"))
        {
            fmpq_t q;
            fmpq_init(q);
            status = parse_sigma(q, v, a);
            fmpq_clear(q);
            if (status)
                return NEFT_EXIT_USAGE;
            if (!strcmp(a, "--sw"))
                sw_text = v;
            else
                sb_text = v;
        }
        else if (!strcmp(a, "--prec"))
        {
            if (neft_cli_parse_slong(&prec, v, a, 16, 100000))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--format"))
        {
            if (neft_cli_parse_format(&json, v))
                return NEFT_EXIT_USAGE;
        }
        else
            return neft_cli_unknown("exact", a);
    }
    if (status != NEFT_CLI_END)
        return status;
    if (act_name == NULL || at == NULL || width < 0)
    {
        neft_cli_error("exact needs --activation, --width and --at");
        return NEFT_EXIT_USAGE;
    }
    neft_exact_spec_init(spec);
    {
        fmpq_t sw, sb;
        fmpq_init(sw);
        fmpq_init(sb);
        parse_sigma(sw, sw_text, "--sw");
        parse_sigma(sb, sb_text, "--sb");
        neft_net_set_sigma(spec->net, sw, sb);
        fmpq_clear(sw);
        fmpq_clear(sb);
    }
    if (neft_net_set_act_name(spec->net, act_name, slope, err, sizeof(err)) != NEFT_SUCCESS)
    {
        neft_cli_error("--slope: %s", err);
        neft_exact_spec_clear(spec);
        return NEFT_EXIT_USAGE;
    }
    spec->net->d_in = d_in;
    neft_net_set_width_si(spec->net, 1, width);
    spec->npt_mask = mask;
    if (neft_cli_parse_points(&pts, at, d_in, "--at"))
    {
        neft_exact_spec_clear(spec);
        return NEFT_EXIT_USAGE;
    }
    x = _arb_vec_init(pts.npoints * d_in);
    for (k = 0; k < pts.npoints * d_in; k++)
        if (arb_set_str(x + k, pts.text[k], prec + 16))
            arb_set_d(x + k, pts.x[k]);
    neft_exact_spec_set_points(spec, x, pts.npoints);
    _arb_vec_clear(x, pts.npoints * d_in);

    for (w = 0; w < nwidths; w++)
        neft_exact_result_init(res + w);
    {
        double ops, bytes, moments = 0, c = 1, mops;
        char how[128];
        neft_exact_cost(&ops, &bytes, spec, prec);
        /* the moments once, the cumulant rule at every width */
        mops = neft_exact_moments_cost(spec, prec);
        ops += (double) (nwidths - 1) * (ops - mops);
        bytes *= (double) nwidths;
        /* even-length sorted tuples: binomial(k + j - 1, j), j = 2, 4, .. */
        for (k = 1; k <= NEFT_SAMPLE_MAX_NPT; k++)
        {
            c = neft_tuple_count_d(pts.npoints, k);
            if (k % 2 == 0 && (mask >> k) != 0)
                moments += c;
        }
        snprintf(how, sizeof(how), "%.0f Gaussian moments at %ld bits, %.3g each on average",
                 moments, (long) prec, moments > 0 ? ops / moments : 0.0);
        if (neft_cli_budget_check(&budget, ops, how, bytes, NULL))
        {
            status = NEFT_EXACT_BAD_INPUT;
            goto done;
        }
    }
    status = neft_exact_correlators_widths(res, widths, nwidths, spec, prec, NULL, NULL, err,
                                           sizeof(err));
    for (w = 0; w < nwidths && status == NEFT_EXACT_SUCCESS; w++)
    {
        neft_exact_about_t about = { (const char * const *) pts.text, pts.x, sw_text, sb_text,
                                     widths[w] };
        neft_net_set_width_si(spec->net, 1, widths[w]);
        /* one table or one JSON document per width, in the order given */
        if (!json && w > 0)
            fputc('\n', stdout);
        if (json && (i = neft_exact_result_write_json(stdout, res + w, spec, &about, prec))
                    == -1)
        {
            neft_cli_error("out of memory");
            status = NEFT_EXACT_FAILURE;
            goto done;
        }
        if (json && i != 0)
            status = NEFT_EXACT_FAILURE;
        if (!json)
            neft_exact_result_write_text(stdout, res + w, spec, &about, prec);
    }
    if (status == NEFT_EXACT_SUCCESS && fflush(stdout) != 0)
    {
        neft_cli_write_error(errno);
        status = NEFT_EXACT_FAILURE;
    }
    else if (status != NEFT_EXACT_SUCCESS && nwidths > 0 && res[0].length == 0)
        why = err;
done:
    neft_cli_points_clear(&pts, pts.npoints * d_in);
    for (w = 0; w < nwidths; w++)
        neft_exact_result_clear(res + w);
    neft_exact_spec_clear(spec);
    return neft_cli_exit_status(status, why);
}
