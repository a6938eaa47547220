/* `neft diagrams`: parse, expand, emit. */

#include <stdio.h>
#include <string.h>
#include "neft/theory.h"
#include "neft/expand.h"
#include "neft/emit.h"
#include "cli.h"

int
neft_cli_diagrams(int argc, char ** argv)
{
    const char * rules = NULL, * prune_text = NULL;
    slong n = -1, order = -1, max_terms = NEFT_EXPAND_DEFAULT_MAX_TERMS;
    int format = NEFT_EMIT_TEXT, group = 0, diagrams = 0, standalone = 0, i, status, result;
    char err[1024];
    unsigned prune;
    neft_theory_t th;
    neft_expansion_t ex;
    neft_expand_opt_t opt;
    neft_emit_opt_t eopt;

    for (i = 1; i < argc; i++)
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
                neft_cli_error("unknown format '%s' (expected text, json, latex or tikz)", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else if (!strcmp(a, "--group"))
            group = 1;
        else if (!strcmp(a, "--diagrams"))
            diagrams = 1;
        else if (!strcmp(a, "--standalone"))
            standalone = 1;
        else if (!strcmp(a, "--max-terms"))
        {
            if (!(v = neft_cli_value(argc, argv, &i))
                || neft_cli_parse_slong(&max_terms, v, a, 1, WORD_MAX))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        {
            puts("usage: neft diagrams [RULES] -n N -o M [--prune LIST|none]\n"
                 "                     [--format text|json|latex|tikz] [--group]\n"
                 "                     [--diagrams] [--standalone] [--max-terms N]");
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
    if (standalone && format != NEFT_EMIT_LATEX && format != NEFT_EMIT_TIKZ)
    {
        neft_cli_error("--standalone needs --format latex or --format tikz");
        return NEFT_EXIT_USAGE;
    }

    neft_theory_init(th);
    if (rules == NULL)
    {
        status = neft_theory_read_string(th, neft_theory_default_text,
                                         "<built-in single-layer theory>", err, sizeof(err));
        if (n < 0)
            n = 6;
        if (order < 0)
            order = 1;
    }
    else
        status = neft_theory_read_file(th, rules, err, sizeof(err));
    if (status != 0)
    {
        fprintf(stderr, "%s\n", err);
        neft_theory_clear(th);
        return NEFT_EXIT_USAGE;
    }
    if (n < 0 || order < 0)
    {
        neft_cli_error("diagrams needs -n N (points) and -o M (order)");
        neft_theory_clear(th);
        return NEFT_EXIT_USAGE;
    }
    prune = th->prune;
    if (prune_text != NULL && neft_prune_parse(&prune, prune_text, err, sizeof(err)))
    {
        neft_cli_error("--prune: %s", err);
        neft_theory_clear(th);
        return NEFT_EXIT_USAGE;
    }

    neft_expansion_init(ex);
    neft_expand_opt_init(opt);
    opt->max_terms = max_terms;
    status = neft_expand(ex, th, n, order, prune, opt, err, sizeof(err));
    if (status != NEFT_EXPAND_SUCCESS)
    {
        neft_cli_error("%s", err);
        result = NEFT_EXIT_USAGE;
    }
    else
    {
        neft_emit_opt_init(eopt);
        eopt->group = group;
        eopt->diagrams = diagrams;
        eopt->standalone = standalone;
        if (neft_emit(stdout, ex, format, eopt) != 0 || fflush(stdout) != 0)
        {
            neft_cli_error("cannot write the output");
            result = NEFT_EXIT_FAILURE;
        }
        else
            result = NEFT_EXIT_OK;
    }
    neft_expansion_clear(ex);
    neft_theory_clear(th);
    return result;
}
