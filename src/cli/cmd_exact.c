/* `neft exact`: parse, compute the exact finite-width correlators, print balls. */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/exact.h"
#include "neft/json.h"
#include "neft/tuple.h"
#include "cli.h"

/* The decimal text as given when it is a JSON number (the values were
   computed at exactly that decimal), else x as %.17g. */
static void
print_json_number(FILE * out, const char * text, double x, const char * prefix)
{
    const char * p = text;
    int ok = 1;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        ok = 0;
    if (ok && *p == '.')
    {
        p++;
        ok = *p >= '0' && *p <= '9';
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (ok && (*p == 'e' || *p == 'E'))
    {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        ok = *p >= '0' && *p <= '9';
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (ok && *p == '\0')
        fprintf(out, "%s%s", prefix, text);
    else
        fprintf(out, "%s%.17g", prefix, x);
}

static int
parse_arb(arb_t x, const char * text, const char * option, slong prec)
{
    double d;
    if (neft_cli_parse_double(&d, text, option))
        return -1;
    if (arb_set_str(x, text, prec))
    {
        neft_cli_error("%s expects a decimal number, got '%s'", option, text);
        return -1;
    }
    return 0;
}

static const char exact_usage[] =
    "usage: neft exact --activation relu|erf|tanh|gauss --d-in D --width N\n"
    "                  --at \"x1;..;xk\" [--npt 2,4,6] [--sw S --sb B] [--prec BITS]\n"
    "                  [--format text|json] [--max-work N] [--max-memory SIZE]\n";

int
neft_cli_exact(int argc, char ** argv)
{
    const char * at = NULL, * sw_text = "1", * sb_text = "0";
    slong width = -1, d_in = 1, prec = 64, i0, k;
    int json = 0, i, status, activation = -1;
    unsigned mask = (1u << 2) | (1u << 4) | (1u << 6);
    neft_cli_points_t pts;
    neft_exact_spec_t spec;
    neft_exact_result_t res;
    arb_ptr x;
    neft_cli_budget_t budget;
    char err[1024];

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (i = 1; i < argc; i++)
    {
        const char * a = argv[i], * v;
        if (neft_cli_once(&seen, argv[i]))
            return NEFT_EXIT_USAGE;
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        {
            fputs(exact_usage, stdout);
            return NEFT_EXIT_OK;
        }
        if (a[0] != '-')
        {
            neft_cli_error("unexpected argument '%s' for exact", a);
            return NEFT_EXIT_USAGE;
        }
        if ((status = neft_cli_budget_option(&budget, argc, argv, &i)) != 0)
        {
            if (status < 0)
                return NEFT_EXIT_USAGE;
            continue;
        }
        if (!(v = neft_cli_value(argc, argv, &i)))
            return NEFT_EXIT_USAGE;
        if (!strcmp(a, "--activation"))
        {
            if ((activation = neft_sample_activation_lookup(v)) < 0)
            {
                neft_cli_error("unknown activation '%s' (expected relu, erf, tanh or gauss)", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else if (!strcmp(a, "--d-in"))
        {
            if (neft_cli_parse_slong(&d_in, v, a, 1, 1000000))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--width"))
        {
            if (neft_cli_parse_slong(&width, v, a, 1, WORD_MAX))
                return NEFT_EXIT_USAGE;
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
            double d;
            if (neft_cli_parse_double(&d, v, a))
                return NEFT_EXIT_USAGE;
            if (d < 0)
            {
                neft_cli_error("%s must be >= 0, got %s", a, v);
                return NEFT_EXIT_USAGE;
            }
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
            if (!strcmp(v, "json"))
                json = 1;
            else if (!strcmp(v, "text"))
                json = 0;
            else
            {
                neft_cli_error("unknown format '%s' (expected text or json)", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else
        {
            neft_cli_error("unknown option '%s' for exact (see neft exact --help)", a);
            return NEFT_EXIT_USAGE;
        }
    }
    if (activation < 0 || at == NULL || width < 0)
    {
        neft_cli_error("exact needs --activation, --width and --at");
        return NEFT_EXIT_USAGE;
    }
    if (neft_cli_parse_points(&pts, at, d_in, "--at"))
        return NEFT_EXIT_USAGE;

    neft_exact_spec_init(spec);
    spec->activation = activation;
    spec->d_in = d_in;
    spec->npt_mask = mask;
    fmpz_set_si(spec->width, width);
    parse_arb(spec->sw, sw_text, "--sw", prec + 16);
    parse_arb(spec->sb, sb_text, "--sb", prec + 16);
    x = _arb_vec_init(pts.npoints * d_in);
    for (k = 0; k < pts.npoints * d_in; k++)
        if (arb_set_str(x + k, pts.text[k], prec + 16))
            arb_set_d(x + k, pts.x[k]);
    neft_exact_spec_set_points(spec, x, pts.npoints);
    _arb_vec_clear(x, pts.npoints * d_in);

    neft_exact_result_init(res);
    {
        double ops, bytes, moments = 0, c = 1;
        char how[128];
        neft_exact_cost(&ops, &bytes, spec, prec);
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
    status = neft_exact_correlators(res, spec, prec, err, sizeof(err));
    if (status == NEFT_EXACT_SUCCESS)
    {
        slong digits = (slong) (prec * 0.30103) + 2;
        if (json)
        {
            /* held in memory: the digest covers the whole text (docs/formats.md) */
            char * buf = NULL;
            size_t len = 0;
            FILE * out = open_memstream(&buf, &len);
            if (out == NULL)
            {
                neft_cli_error("out of memory");
                status = NEFT_EXACT_FAILURE;
                goto done;
            }
            fprintf(out, "{\"width\": %ld, \"inputs\": [", (long) width);
            for (i0 = 0; i0 < pts.npoints; i0++)
            {
                fputs(i0 ? ", [" : "[", out);
                for (k = 0; k < d_in; k++)
                    print_json_number(out, pts.text[i0 * d_in + k], pts.x[i0 * d_in + k],
                                      k ? ", " : "");
                fputc(']', out);
            }
            fputs("], \"activation\": ", out);
            neft_json_write_string(out, neft_sample_activation_name(activation));
            fprintf(out, ", \"d_in\": %ld, \"depth\": 2, ", (long) d_in);
            print_json_number(out, sw_text, atof(sw_text), "\"sw\": ");
            print_json_number(out, sb_text, atof(sb_text), ", \"sb\": ");
            fprintf(out, ", \"prec\": %ld, \"correlators\": [", (long) prec);
            for (i0 = 0; i0 < res->length; i0++)
            {
                const neft_exact_corr_struct * c = res->corr + i0;
                fprintf(out, "%s\n  {\"npt\": %ld, \"indices\": [", i0 ? "," : "", (long) c->npt);
                for (k = 0; k < c->npt; k++)
                    fprintf(out, "%s%ld", k ? ", " : "", (long) c->idx[k]);
                fputs("], \"full\": ", out);
                neft_json_write_arb(out, c->full, digits);
                fputs(", \"connected\": ", out);
                neft_json_write_arb(out, c->connected, digits);
                fputs("}", out);
            }
            fputs("\n]", out);
            fclose(out);
            if (neft_json_write_digested(stdout, buf, len))
                status = NEFT_EXACT_FAILURE;
            free(buf);
        }
        else
        {
            printf("# %s net, d_in %ld, width %ld, sw %s, sb %s: exact correlators (balls)\n",
                   neft_sample_activation_name(activation), (long) d_in, (long) width,
                   sw_text, sb_text);
            for (i0 = 0; i0 < res->length; i0++)
            {
                const neft_exact_corr_struct * c = res->corr + i0;
                char idx[64], * f, * g;
                int len = 0;
                for (k = 0; k < c->npt; k++)
                    len += snprintf(idx + len, sizeof(idx) - (size_t) len, "%s%ld",
                                    k ? "," : "", (long) c->idx[k]);
                f = arb_get_str(c->full, digits, 0);
                g = arb_get_str(c->connected, digits, 0);
                printf("  %-4ld %-18s full %s  connected %s\n", (long) c->npt, idx, f, g);
                flint_free(f);
                flint_free(g);
            }
        }
        if (fflush(stdout) != 0)
        {
            neft_cli_write_error(errno);
            status = NEFT_EXACT_FAILURE;
        }
    }
    else if (status == NEFT_EXACT_INTERRUPTED)
        status = neft_cli_interrupted(err);
    else
        neft_cli_error("%s", err);
done:
    neft_cli_points_clear(&pts, pts.npoints * d_in);
    neft_exact_result_clear(res);
    neft_exact_spec_clear(spec);
    return status == NEFT_EXACT_SUCCESS ? NEFT_EXIT_OK : status >= 128 ? status
         : status == NEFT_EXACT_BAD_INPUT ? NEFT_EXIT_USAGE : NEFT_EXIT_FAILURE;
}
