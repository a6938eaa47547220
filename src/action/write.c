/* The action's writers: text, JSON and LaTeX (neft/action.h). */

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
