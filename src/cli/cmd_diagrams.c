/* `neft diagrams`: parse, expand, emit (held and sorted, or streamed). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/expand.h"
#include "neft/emit.h"
#include "cli.h"

/* -o M or -o A..B: the orders from *lo (0 when not given) to *hi. */
static int
_parse_orders(slong * lo, slong * hi, const char * v, const char * option)
{
    const char * dots = strstr(v, "..");
    char first[64];
    size_t len;

    if (dots == NULL)
        return neft_cli_parse_slong(hi, v, option, 0, NEFT_DIAGRAM_MAX_VERTICES / 2);
    len = (size_t) (dots - v);
    if (len == 0 || len >= sizeof(first))
    {
        neft_cli_error("%s '%s': expected M or A..B (orders, A <= B)", option, v);
        return -1;
    }
    memcpy(first, v, len);
    first[len] = '\0';
    if (neft_cli_parse_slong(lo, first, option, 0, NEFT_DIAGRAM_MAX_VERTICES / 2)
        || neft_cli_parse_slong(hi, dots + 2, option, 0, NEFT_DIAGRAM_MAX_VERTICES / 2))
        return -1;
    if (*lo > *hi)
    {
        neft_cli_error("%s '%s': expected A..B with A <= B", option, v);
        return -1;
    }
    return 0;
}

static int
_sink_begin(const neft_expansion_struct * ex, void * arg)
{
    return neft_emit_stream_begin(arg, ex);
}

static int
_sink_term(const neft_expansion_struct * ex, const neft_diagram_struct * d, void * arg)
{
    return neft_emit_stream_term(arg, ex, d);
}

static const char diagrams_usage[] =
    "usage: neft diagrams [RULES] -n N (-o M | -o A..B | --exact-order M)\n"
    "                     [--prune LIST|none] [--stream]\n"
    "                     [--format text|json|latex|tikz|svg] [--group]\n"
    "                     [--diagrams] [--standalone] [--size CM] [--max-terms N]\n";

int
neft_cli_diagrams(int argc, char ** argv)
{
    const char * rules = NULL, * prune_text = NULL;
    slong n = -1, order = -1, min_order = 0, exact = -1;
    slong max_terms = NEFT_EXPAND_DEFAULT_MAX_TERMS;
    int format = NEFT_EMIT_TEXT, group = 0, diagrams = 0, standalone = 0, stream = 0, i;
    int result;
    double size = 0;
    unsigned prune;
    char err[1024];
    neft_theory_t th;
    neft_expansion_t ex;
    neft_emit_opt_t eopt;
    neft_expand_opt_t xopt;

    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (i = 1; (result = neft_cli_next(&seen, NULL, diagrams_usage, argc, argv, &i))
                 == NEFT_CLI_MORE; i++)
    {
        const char * a = argv[i], * v;
        if (!strcmp(a, "-n") || !strcmp(a, "--points"))
        {
            if (!(v = neft_cli_value(argc, argv, &i))
                || neft_cli_parse_slong(&n, v, a, 0, NEFT_DIAGRAM_MAX_VERTICES / 2))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "-o") || !strcmp(a, "--order"))
        {
            if (!(v = neft_cli_value(argc, argv, &i))
                || _parse_orders(&min_order, &order, v, a))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--exact-order"))
        {
            if (!(v = neft_cli_value(argc, argv, &i))
                || neft_cli_parse_slong(&exact, v, a, 0, NEFT_DIAGRAM_MAX_VERTICES / 2))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--stream"))
            stream = 1;
        else if (!strcmp(a, "--prune"))
        {
            if (!(prune_text = neft_cli_value(argc, argv, &i)))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--format"))
        {
            if (!(v = neft_cli_value(argc, argv, &i)))
                return NEFT_EXIT_USAGE;
            format = neft_emit_format_lookup(v);
            if (format < 0)
            {
                neft_cli_error("unknown format '%s' (expected text, json, latex, tikz or svg)", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else if (!strcmp(a, "--group"))
            group = 1;
        else if (!strcmp(a, "--diagrams"))
            diagrams = 1;
        else if (!strcmp(a, "--standalone"))
            standalone = 1;
        else if (!strcmp(a, "--size"))
        {
            char * end;
            if (!(v = neft_cli_value(argc, argv, &i)))
                return NEFT_EXIT_USAGE;
            size = strtod(v, &end);
            if (end == v || *end != '\0' || !(size >= 0.5 && size <= 50))
            {
                neft_cli_error("--size: expected a drawing size in cm from 0.5 to 50, got '%s'", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else if (!strcmp(a, "--max-terms"))
        {
            if (!(v = neft_cli_value(argc, argv, &i))
                || neft_cli_parse_slong(&max_terms, v, a, 1, WORD_MAX))
                return NEFT_EXIT_USAGE;
        }
        else if (neft_cli_operand("diagrams", a, &rules, NULL, "one RULES file only"))
            return NEFT_EXIT_USAGE;
    }
    if (result != NEFT_CLI_END)
        return result;

    if (diagrams && format != NEFT_EMIT_LATEX)
    {
        neft_cli_error("--diagrams needs --format latex (--format tikz draws only the diagrams)");
        return NEFT_EXIT_USAGE;
    }
    if (size > 0 && format != NEFT_EMIT_TIKZ && format != NEFT_EMIT_SVG && !diagrams)
    {
        neft_cli_error("--size needs --format tikz, --format svg or --format latex --diagrams");
        return NEFT_EXIT_USAGE;
    }
    if (standalone && format != NEFT_EMIT_LATEX && format != NEFT_EMIT_TIKZ)
    {
        neft_cli_error("--standalone needs --format latex or --format tikz");
        return NEFT_EXIT_USAGE;
    }

    if (exact >= 0)
    {
        if (order >= 0 && (order != exact || min_order != exact))
        {
            neft_cli_error("--exact-order %ld contradicts -o (give one of them)", (long) exact);
            return NEFT_EXIT_USAGE;
        }
        order = min_order = exact;
    }
    neft_emit_opt_init(eopt);
    eopt->group = group;
    eopt->diagrams = diagrams;
    eopt->standalone = standalone;
    eopt->size = size;
    if (stream && (group || (format != NEFT_EMIT_TEXT && format != NEFT_EMIT_JSON)))
    {
        neft_cli_error("--stream writes text or json without --group (grouping and the "
                       "drawings need the whole list)");
        return NEFT_EXIT_USAGE;
    }

    neft_theory_init(th);
    neft_expansion_init(ex);
    result = neft_cli_load_theory(th, &prune, &n, &order, rules, 1, prune_text, "diagrams");
    if (result == NEFT_EXIT_OK && min_order > order)
    {
        neft_cli_error("-o A..B: A = %ld is above the order %ld", (long) min_order,
                       (long) order);
        result = NEFT_EXIT_USAGE;
    }
    if (result == NEFT_EXIT_OK)
    {
        neft_expand_opt_init(xopt);
        xopt->max_terms = max_terms;
        xopt->min_order = min_order;
        if (stream)
        {
            neft_emit_stream_t es;
            neft_expand_sink_t sink;
            neft_emit_stream_init(es, stdout, format, eopt);
            sink->begin = _sink_begin;
            sink->term = _sink_term;
            sink->arg = es;
            result = neft_expand_stream(ex, th, n, order, prune, xopt, sink, err, sizeof(err));
            if (result == NEFT_EXPAND_SINK || (result == NEFT_EXPAND_SUCCESS
                && (neft_emit_stream_end(es, ex) != 0 || fflush(stdout) != 0)))
            {
                neft_cli_write_error(errno);
                result = NEFT_EXIT_FAILURE;
            }
            else
                result = neft_cli_exit_status(result, err);
        }
        else
        {
            result = neft_cli_exit_status(neft_expand(ex, th, n, order, prune, xopt, err,
                                                        sizeof(err)), err);
            if (result == NEFT_EXIT_OK
                && (neft_emit(stdout, ex, format, eopt) != 0 || fflush(stdout) != 0))
            {
                neft_cli_write_error(errno);
                result = NEFT_EXIT_FAILURE;
            }
        }
    }
    neft_expansion_clear(ex);
    neft_theory_clear(th);
    return result;
}
