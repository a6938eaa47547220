/* Shared by the commands that start from a rules file: read the theory
   (or the built-in one), apply --prune, generate the expansion. */

#include <stdio.h>
#include "neft/theory.h"
#include "neft/expand.h"
#include "cli.h"

int
neft_cli_load_expansion(neft_expansion_t ex, const char * rules, slong n, slong order,
                        int defaults, const char * prune_text, slong max_terms,
                        const char * command)
{
    neft_theory_t th;
    neft_expand_opt_t opt;
    char err[1024];
    unsigned prune;
    int status, result = NEFT_EXIT_OK;

    neft_theory_init(th);
    if (rules == NULL)
    {
        status = neft_theory_read_string(th, neft_theory_default_text,
                                         "<built-in single-layer theory>", err, sizeof(err));
        if (defaults && n < 0)
            n = 6;
        if (defaults && order < 0)
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
        neft_cli_error("%s needs -n N (points) and -o M (order)", command);
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
    neft_expand_opt_init(opt);
    opt->max_terms = max_terms;
    status = neft_expand(ex, th, n, order, prune, opt, err, sizeof(err));
    if (status == NEFT_EXPAND_INTERRUPTED)
        result = neft_cli_interrupted(err);
    else if (status != NEFT_EXPAND_SUCCESS)
    {
        neft_cli_error("%s", err);
        result = NEFT_EXIT_USAGE;
    }
    neft_theory_clear(th);
    return result;
}
