/* Shared by the commands that start from a rules file: read the theory
   (or the built-in one), apply --prune, generate the expansion. */

#include <stdio.h>
#include "neft/theory.h"
#include "neft/expand.h"
#include "cli.h"

int
neft_cli_load_theory(neft_theory_t th, unsigned * prune, slong * n, slong * order,
                     const char * rules, int defaults, const char * prune_text,
                     const char * command)
{
    char err[1024];
    int status;

    if (rules == NULL)
    {
        status = neft_theory_read_string(th, neft_theory_default_text,
                                         "<built-in single-layer theory>", err, sizeof(err));
        if (defaults && *n < 0)
            *n = 6;
        if (defaults && *order < 0)
            *order = 1;
    }
    else
        status = neft_theory_read_file(th, rules, err, sizeof(err));
    if (status != 0)
    {
        fprintf(stderr, "%s\n", err);
        return NEFT_EXIT_USAGE;
    }
    if (*n < 0 || *order < 0)
    {
        neft_cli_error("%s needs -n N (points) and -o M (order)", command);
        return NEFT_EXIT_USAGE;
    }
    *prune = th->prune;
    if (prune_text != NULL && neft_prune_parse(prune, prune_text, err, sizeof(err)))
    {
        neft_cli_error("--prune: %s", err);
        return NEFT_EXIT_USAGE;
    }
    return NEFT_EXIT_OK;
}

int
neft_cli_load_expansion(neft_expansion_t ex, const char * rules, slong n, slong order,
                        int defaults, const char * prune_text, slong max_terms,
                        const char * command)
{
    neft_theory_t th;
    neft_expand_opt_t opt;
    char err[1024];
    unsigned prune;
    int result;

    neft_theory_init(th);
    result = neft_cli_load_theory(th, &prune, &n, &order, rules, defaults, prune_text,
                                  command);
    if (result == NEFT_EXIT_OK)
    {
        neft_expand_opt_init(opt);
        opt->max_terms = max_terms;
        result = neft_cli_exit_status(neft_expand(ex, th, n, order, prune, opt, err,
                                                    sizeof(err)), err);
    }
    neft_theory_clear(th);
    return result;
}
