/* `neft diagrams`: parse, expand, emit. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/expand.h"
#include "neft/emit.h"
#include "cli.h"

int
neft_cli_diagrams(int argc, char ** argv)
{
    const char * rules = NULL, * prune_text = NULL;
    slong n = -1, order = -1, max_terms = NEFT_EXPAND_DEFAULT_MAX_TERMS;
    int format = NEFT_EMIT_TEXT, group = 0, diagrams = 0, standalone = 0, i, result;
    double size = 0;
    neft_expansion_t ex;
    neft_emit_opt_t eopt;

    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (i = 1; i < argc; i++)
    {
        const char * a = argv[i], * v;
        if (neft_cli_once(&seen, argv[i]))
            return NEFT_EXIT_USAGE;
        if (!strcmp(a, "-n") || !strcmp(a, "--points"))
        {
            if (!(v = neft_cli_value(argc, argv, &i))
                || neft_cli_parse_slong(&n, v, a, 0, NEFT_DIAGRAM_MAX_VERTICES / 2))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "-o") || !strcmp(a, "--order"))
        {
            if (!(v = neft_cli_value(argc, argv, &i))
                || neft_cli_parse_slong(&order, v, a, 0, NEFT_DIAGRAM_MAX_VERTICES / 2))
                return NEFT_EXIT_USAGE;
        }
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
        else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        {
            puts("usage: neft diagrams [RULES] -n N -o M [--prune LIST|none]\n"
                 "                     [--format text|json|latex|tikz|svg] [--group]\n"
                 "                     [--diagrams] [--standalone] [--size CM] [--max-terms N]");
            return NEFT_EXIT_OK;
        }
        else if (a[0] == '-' && a[1] != '\0')
        {
            neft_cli_error("unknown option '%s' for diagrams (see neft diagrams --help)", a);
            return NEFT_EXIT_USAGE;
        }
        else if (rules == NULL)
            rules = a;
        else
        {
            neft_cli_error("unexpected argument '%s' (one RULES file only)", a);
            return NEFT_EXIT_USAGE;
        }
    }

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

    neft_expansion_init(ex);
    result = neft_cli_load_expansion(ex, rules, n, order, 1, prune_text, max_terms, "diagrams");
    if (result == NEFT_EXIT_OK)
    {
        neft_emit_opt_init(eopt);
        eopt->group = group;
        eopt->diagrams = diagrams;
        eopt->standalone = standalone;
        eopt->size = size;
        if (neft_emit(stdout, ex, format, eopt) != 0 || fflush(stdout) != 0)
        {
            neft_cli_write_error(errno);
            result = NEFT_EXIT_FAILURE;
        }
        else
            result = NEFT_EXIT_OK;
    }
    neft_expansion_clear(ex);
    return result;
}
