/* examples/diagrams.c -- calling neft from C.

   Reads a theory, generates the connected n-point function to a given order
   and prints it as `neft diagrams RULES -n N -o M --prune connected` would,
   then walks the terms itself: for every coupling monomial, the number of
   terms and the sum of their coefficients (with K = 1 in zero dimensions
   that sum is the cumulant's coefficient, docs/conventions.md).

       usage: diagrams RULES [N [ORDER]]        (defaults N = 4, ORDER = 2)

   Build in the tree (meson builds it as build/examples/diagrams) or against
   an installed neft:

       cc diagrams.c $(pkg-config --cflags --libs neft) -o diagrams */

#include <stdio.h>
#include <stdlib.h>
#include "neft/theory.h"
#include "neft/expand.h"
#include "neft/emit.h"

int
main(int argc, char ** argv)
{
    neft_theory_t th;
    neft_expansion_t ex;
    neft_expand_opt_t opt;
    neft_emit_opt_t eopt;
    char err[512];
    unsigned prune;
    slong n = 4, order = 2, i, j;
    int status;

    if (argc < 2 || argc > 4)
    {
        fprintf(stderr, "usage: diagrams RULES [N [ORDER]]\n");
        return 2;
    }
    if (argc > 2)
        n = atol(argv[2]);
    if (argc > 3)
        order = atol(argv[3]);

    /* The theory: couplings, weights and the file's pruning rules. */
    neft_theory_init(th);
    if (neft_theory_read_file(th, argv[1], err, sizeof(err)) != 0)
    {
        fprintf(stderr, "%s\n", err);
        neft_theory_clear(th);
        return 2;
    }

    /* The expansion, with the rule set replaced by `connected`. */
    neft_prune_parse(&prune, "connected", err, sizeof(err));
    neft_expansion_init(ex);
    neft_expand_opt_init(opt);
    status = neft_expand(ex, th, n, order, prune, opt, err, sizeof(err));
    if (status != NEFT_EXPAND_SUCCESS)
    {
        fprintf(stderr, "%s\n", err);
        neft_expansion_clear(ex);
        neft_theory_clear(th);
        return 2;
    }

    /* Printed exactly as the command prints it. */
    neft_emit_opt_init(eopt);
    neft_emit(stdout, ex, NEFT_EMIT_TEXT, eopt);

    /* The terms are plain structs: coefficient (an fmpq_t), vertices, edges.
       Sum the coefficients per coupling monomial; equal monomials are
       adjacent because terms are ordered by order and monomial. */
    for (i = 0; i < ex->length; i = j)
    {
        slong e[NEFT_THEORY_COUPLINGS_MAX], f[NEFT_THEORY_COUPLINGS_MAX], c;
        fmpq_t sum;

        fmpq_init(sum);
        neft_diagram_powers(e, ex->terms + i, th->length);
        for (j = i; j < ex->length; j++)
        {
            int same = 1;
            neft_diagram_powers(f, ex->terms + j, th->length);
            for (c = 0; c < th->length; c++)
                same &= (e[c] == f[c]);
            if (!same)
                break;
            fmpq_add(sum, sum, ex->terms[j].coeff);
        }
        printf("# monomial");
        for (c = 0; c < th->length; c++)
            if (e[c] != 0)
                printf(" %s^%ld", th->couplings[c].name, (long) e[c]);
        if (ex->terms[i].m == 0)
            printf(" 1");
        printf(": %ld terms, coefficients sum to ", (long) (j - i));
        fmpq_print(sum);
        printf("\n");
        fmpq_clear(sum);
    }

    neft_expansion_clear(ex);
    neft_theory_clear(th);
    return 0;
}
