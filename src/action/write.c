/* The action's writers: text, JSON and LaTeX (neft/action.h). */

#include <math.h>
#include <string.h>
#include "neft/json.h"
#include "neft/tuple.h"
#include "action-internal.h"

static const char * const _order_name[3] = {"O(1)", "O(1/N)", "O(1/N^2)"};

/* The lowest order of lambda_n (n = 2, 4, 6): 0, 1, 2. */
static slong
_first_order(slong n)
{
    return n == 2 ? 0 : n / 2 - 1;
}

static void
_ball_text(FILE * out, const arb_t x, slong digits)
{
    char * s = arb_get_str(x, digits, 0);
    fputs(s, out);
    flint_free(s);
}

/* The 4-tuples grouped by spread (the largest distance between two of their
   inputs): spread[g], count[g] and the mean |lambda_4| midpoint mean[g],
   by increasing spread; the number of groups (0 without the inputs). */
static slong
_locality(double * spread, slong * count, double * mean, const neft_action_t S)
{
    slong i, j, a, b, g, ng = 0, t[4];
    if (S->x == NULL || S->order < 1)
        return 0;
    neft_tuple_first(t, 4);
    i = 0;
    do
    {
        double sp = 0, v = fabs(arf_get_d(arb_midref(S->total[1] + i), ARF_RND_NEAR));
        for (a = 0; a < 4; a++)
            for (b = a + 1; b < 4; b++)
            {
                double d2 = 0;
                for (j = 0; j < S->d_in; j++)
                {
                    double d = S->x[t[a] * S->d_in + j] - S->x[t[b] * S->d_in + j];
                    d2 += d * d;
                }
                sp = FLINT_MAX(sp, sqrt(d2));
            }
        for (g = 0; g < ng && fabs(spread[g] - sp) > 1e-12 * (1 + sp); g++)
            ;
        if (g == ng)
        {
            spread[ng] = sp;
            count[ng] = 0;
            mean[ng++] = 0;
        }
        count[g]++;
        mean[g] += v;
        i++;
    }
    while (neft_tuple_next(t, 4, S->npoints));
    for (g = 0; g < ng; g++)
        mean[g] /= (double) count[g];
    /* by increasing spread (insertion sort: few groups) */
    for (g = 1; g < ng; g++)
        for (j = g; j > 0 && spread[j] < spread[j - 1]; j--)
        {
            double ts = spread[j], tm = mean[j];
            slong tc = count[j];
            spread[j] = spread[j - 1]; mean[j] = mean[j - 1]; count[j] = count[j - 1];
            spread[j - 1] = ts; mean[j - 1] = tm; count[j - 1] = tc;
        }
    return ng;
}

/* Writes the locality table (text or JSON member) when the inputs are known. */
static void
_locality_write(FILE * out, const neft_action_t S, int json)
{
    slong n4 = S->ntuples[1], ng, g;
    double * spread = flint_malloc(sizeof(double) * n4), * mean = flint_malloc(sizeof(double) * n4);
    slong * count = flint_malloc(sizeof(slong) * n4);
    ng = _locality(spread, count, mean, S);
    if (json)
        fputs(",\n \"locality\": [", out);
    else if (ng > 0)
        fputs("locality of lambda_4 (4-tuples by the largest distance between their inputs; "
              "mean |lambda_4| of the midpoints):\n  spread        tuples  mean |lambda_4|  "
              "relative to spread 0\n", out);
    for (g = 0; g < ng; g++)
    {
        int rel = spread[0] == 0 && mean[0] > 0;
        if (json)
        {
            fprintf(out, "%s{\"spread\": %.6g, \"tuples\": %ld, \"mean_abs\": %.6g, "
                    "\"relative\": ", g ? ", " : "", spread[g], (long) count[g], mean[g]);
            if (rel)
                fprintf(out, "%.6g}", mean[g] / mean[0]);
            else
                fputs("null}", out);
        }
        else if (rel)
            fprintf(out, "  %-12.6g  %6ld  %-15.6g  %.6g\n", spread[g], (long) count[g],
                    mean[g], mean[g] / mean[0]);
        else
            fprintf(out, "  %-12.6g  %6ld  %-15.6g  n/a\n", spread[g], (long) count[g],
                    mean[g]);
    }
    if (json)
        fputs("]", out);
    flint_free(spread);
    flint_free(mean);
    flint_free(count);
}

static void
_text(FILE * out, const neft_action_t S, const char * source, slong digits)
{
    slong n, k, i, t[8];
    fprintf(out, "# neft action: S[f] = sum_n (1/n!) sum_{a1..an} lambda_n(x_a1..x_an) "
            "f(x_a1)..f(x_an), %ld inputs, to %s%s%s\n", (long) S->npoints,
            _order_name[S->order], source ? ", from " : "", source ? source : "");
    fprintf(out, "# per sorted tuple of inputs: each order's part and the total "
            "(docs/cmd-action.md)\n");
    for (n = 2; n <= 6; n += 2)
    {
        slong m = n / 2 - 1;
        if (_first_order(n) > S->order)
            break;
        fprintf(out, "lambda_%ld:\n", (long) n);
        neft_tuple_first(t, n);
        i = 0;
        do
        {
            fputs("  (", out);
            for (k = 0; k < n; k++)
                fprintf(out, "%s%ld", k ? "," : "", (long) t[k]);
            fputs(")", out);
            for (k = _first_order(n); k <= S->order; k++)
            {
                fprintf(out, "  %s: ", _order_name[k]);
                _ball_text(out, S->part[m][k] + i, digits);
            }
            fputs("  total: ", out);
            _ball_text(out, S->total[m] + i, digits);
            fputs("\n", out);
            i++;
        }
        while (neft_tuple_next(t, n, S->npoints));
    }
    if (S->order >= 2)
    {
        fputs("check: largest |degree-8 coefficient| (cancels exactly): ", out);
        _ball_text(out, S->degree8, 5);
        fputs("\n", out);
    }
    _locality_write(out, S, 0);
}

static void
_json(FILE * out, const neft_action_t S, const char * source, slong digits)
{
    slong n, k, i, t[8], first = 1;
    fprintf(out, "{\"npoints\": %ld, \"order\": %ld, \"source\": ", (long) S->npoints,
            (long) S->order);
    if (source)
        neft_json_write_string(out, source);
    else
        fputs("null", out);
    fputs(", \"convention\": \"S[f] = sum_n (1/n!) sum_{a1..an} lambda_n(x_a1..x_an) "
          "f(x_a1)..f(x_an); parts[k] is the O(1/N^k) part\", \"couplings\": [", out);
    for (n = 2; n <= 6; n += 2)
    {
        slong m = n / 2 - 1;
        if (_first_order(n) > S->order)
            break;
        neft_tuple_first(t, n);
        i = 0;
        do
        {
            fprintf(out, "%s\n  {\"n\": %ld, \"indices\": [", first ? "" : ",", (long) n);
            first = 0;
            for (k = 0; k < n; k++)
                fprintf(out, "%s%ld", k ? ", " : "", (long) t[k]);
            fputs("], \"parts\": [", out);
            for (k = 0; k <= S->order; k++)
            {
                fputs(k ? ", " : "", out);
                if (k < _first_order(n))
                    fputs("null", out);
                else
                    neft_json_write_arb(out, S->part[m][k] + i, digits);
            }
            fputs("], \"total\": ", out);
            neft_json_write_arb(out, S->total[m] + i, digits);
            fputs("}", out);
            i++;
        }
        while (neft_tuple_next(t, n, S->npoints));
    }
    fputs("],\n \"degree8\": ", out);
    neft_json_write_arb(out, S->degree8, 5);
    _locality_write(out, S, 1);
    fputs("}\n", out);
}

/* A ball in LaTeX: its midpoint to the digits that are certain, and the radius. */
static void
_ball_latex(FILE * out, const arb_t x, slong digits)
{
    char * s;
    if (arb_contains_zero(x) && !arb_is_zero(x))
    {
        /* no digit is certain: the bound on |x| */
        arb_t r;
        arb_init(r);
        arb_get_abs_ubound_arf(arb_midref(r), x, 30);
        fputs("0 \\pm ", out);
        _ball_latex(out, r, 3);
        arb_clear(r);
        return;
    }
    s = arb_get_str(x, digits, ARB_STR_NO_RADIUS);
    char * e = strchr(s, 'e');
    if (e != NULL)
    {
        *e = '\0';
        fprintf(out, "%s\\times 10^{%ld}", s, strtol(e + 1, NULL, 10));
    }
    else
        fputs(s, out);
    flint_free(s);
}

static void
_latex(FILE * out, const neft_action_t S, slong digits)
{
    slong n, k, i, t[8];
    fprintf(out, "%% neft action: S[f] = \\sum_n \\frac{1}{n!} \\sum_{a_1..a_n} "
            "\\lambda_n(x_{a_1},..,x_{a_n}) f(x_{a_1})..f(x_{a_n}), to %s\n",
            _order_name[S->order]);
    fputs("\\begin{align*}\n", out);
    for (n = 2; n <= 6; n += 2)
    {
        slong m = n / 2 - 1;
        if (_first_order(n) > S->order)
            break;
        neft_tuple_first(t, n);
        i = 0;
        do
        {
            fprintf(out, "\\lambda_%ld(", (long) n);
            for (k = 0; k < n; k++)
                fprintf(out, "%sx_{%ld}", k ? "," : "", (long) t[k] + 1);
            fputs(") &= ", out);
            _ball_latex(out, S->total[m] + i, digits);
            fputs(" \\\\\n", out);
            i++;
        }
        while (neft_tuple_next(t, n, S->npoints));
    }
    fputs("\\end{align*}\n", out);
}

void
neft_action_write(FILE * out, const neft_action_t S, int format, const char * source,
                  slong digits)
{
    if (format == NEFT_ACTION_FORMAT_JSON)
        _json(out, S, source, digits);
    else if (format == NEFT_ACTION_FORMAT_LATEX)
        _latex(out, S, digits);
    else
        _text(out, S, source, digits);
}
