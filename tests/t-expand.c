/* Tests of the generator (neft_expand) that need no independent series:
   labelled diagram counts against OEIS and the HMS paper, internal
   consistency of every term (valid degrees, survives its pruning rules,
   coefficient equal to the symmetry formula recomputed on the whole
   diagram -- which checks the composition of pieces and the 1/r! of
   identical vacuum components), and the budget refusal. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/expand.h"
#include "neft-test.h"

static void
theory_one(neft_theory_t th, const char * name, slong legs, slong p, slong q)
{
    fmpq_t w;
    fmpq_init(w);
    fmpq_set_si(w, p, q);
    neft_theory_add_coupling(th, name, legs, w);
    fmpq_clear(w);
}

/* Number of terms with exactly m vertices. */
static slong
count_order(const neft_expansion_t ex, slong m)
{
    slong i, c = 0;
    for (i = 0; i < ex->length; i++)
        c += (ex->terms[i].m == m);
    return c;
}

static void
check_terms(const neft_expansion_t ex, const char * what)
{
    slong i;
    fmpq_t c;
    fmpq_init(c);
    for (i = 0; i < ex->length; i++)
    {
        const neft_diagram_struct * d = ex->terms + i;
        CHECK(neft_diagram_is_valid(d, ex->theory), "%s: term %ld has wrong degrees", what, (long) i);
        CHECK(neft_diagram_keep(d, ex->prune), "%s: term %ld violates its pruning rules", what, (long) i);
        neft_diagram_symmetry_coeff(c, d, ex->theory);
        CHECK(fmpq_equal(c, d->coeff), "%s: term %ld coefficient differs from the symmetry formula", what, (long) i);
        if (i > 0)
        {
            unsigned char k1[NEFT_DIAGRAM_KEY_MAX], k2[NEFT_DIAGRAM_KEY_MAX];
            slong l1 = neft_diagram_key(k1, d, 0), l2 = neft_diagram_key(k2, d - 1, 0);
            CHECK(l1 != l2 || memcmp(k1, k2, l1) != 0, "%s: terms %ld and %ld are isomorphic", what, (long) i - 1, (long) i);
        }
    }
    fmpq_clear(c);
}

static void
expand(neft_expansion_t ex, const neft_theory_t th, slong n, slong order, unsigned prune)
{
    char err[512];
    neft_expand_opt_t opt;
    int s;
    neft_expand_opt_init(opt);
    s = neft_expand(ex, th, n, order, prune, opt, err, sizeof err);
    CHECK(s == NEFT_EXPAND_SUCCESS, "expand n=%ld order=%ld: %s", (long) n, (long) order, err);
}

int
main(void)
{
    neft_theory_t phi4, phi3, hms, mixed;
    neft_expansion_t ex;
    slong m, i;
    /* OEIS A352173 (all, incl. vacuum) and A352174 (connected) */
    static const slong all2[] = {1, 2, 7, 23, 85, 340};
    static const slong con2[] = {1, 1, 3, 10, 39, 174};

    neft_theory_init(phi4);
    theory_one(phi4, "lambda", 4, 1, 24);
    neft_theory_init(phi3);
    theory_one(phi3, "g", 3, 1, 6);
    neft_theory_init(hms);
    theory_one(hms, "lambda", 4, 1, 1);
    theory_one(hms, "kappa", 6, 1, 1);
    neft_theory_init(mixed);
    theory_one(mixed, "g3", 3, 1, 6);
    theory_one(mixed, "g4", 4, 1, 24);
    theory_one(mixed, "g6", 6, 1, 720);
    neft_expansion_init(ex);

    expand(ex, phi4, 2, 5, 0);
    for (m = 0; m <= 5; m++)
        CHECK(count_order(ex, m) == all2[m], "phi4 2-pt, %ld vertices, none: %ld terms, expected %ld",
              (long) m, (long) count_order(ex, m), (long) all2[m]);
    check_terms(ex, "phi4 2-pt none");

    expand(ex, phi4, 2, 5, NEFT_PRUNE_CONNECTED);
    for (m = 0; m <= 5; m++)
        CHECK(count_order(ex, m) == con2[m], "phi4 2-pt, %ld vertices, connected: %ld terms, expected %ld",
              (long) m, (long) count_order(ex, m), (long) con2[m]);
    check_terms(ex, "phi4 2-pt connected");

    /* HMS eq. 3.19: 15 + 15 + 1 + 15 terms with coefficients 1, -24, -720, -360 */
    expand(ex, hms, 6, 1, NEFT_PRUNE_VACUUM | NEFT_PRUNE_TWO_POINT_COMPONENT);
    CHECK(ex->length == 46, "HMS 6-pt order 1: %ld terms, expected 46", (long) ex->length);
    {
        slong c1 = 0, c24 = 0, c720 = 0, c360 = 0;
        for (i = 0; i < ex->length; i++)
        {
            const fmpq * q = ex->terms[i].coeff;
            c1 += fmpq_equal_si((fmpq *) q, 1);
            c24 += fmpq_equal_si((fmpq *) q, -24);
            c720 += fmpq_equal_si((fmpq *) q, -720);
            c360 += fmpq_equal_si((fmpq *) q, -360);
        }
        CHECK(c1 == 15 && c24 == 15 && c720 == 1 && c360 == 15,
              "HMS coefficient counts %ld %ld %ld %ld", (long) c1, (long) c24, (long) c720, (long) c360);
        slong * rep = flint_malloc(sizeof(slong) * ex->length), * cnt = flint_malloc(sizeof(slong) * ex->length), groups = 0;
        neft_expansion_group(rep, cnt, ex);
        for (i = 0; i < ex->length; i++)
            groups += (rep[i] == i);
        CHECK(groups == 4, "HMS grouped into %ld groups, expected 4", (long) groups);
        flint_free(rep);
        flint_free(cnt);
    }
    check_terms(ex, "HMS");

    /* consistency under every pruning rule, several theories */
    {
        const neft_theory_struct * ths[] = {phi4, phi3, mixed, hms};
        unsigned prunes[] = {0, NEFT_PRUNE_VACUUM, NEFT_PRUNE_VACUUM | NEFT_PRUNE_TWO_POINT_COMPONENT,
                             NEFT_PRUNE_SELF_ENERGY, NEFT_PRUNE_TADPOLE, NEFT_PRUNE_CONNECTED,
                             NEFT_PRUNE_1PI, NEFT_PRUNE_SELF_ENERGY | NEFT_PRUNE_CONNECTED,
                             NEFT_PRUNE_TADPOLE | NEFT_PRUNE_VACUUM};
        slong t, p, n;
        for (t = 0; t < 4; t++)
            for (p = 0; p < (slong) (sizeof prunes / sizeof prunes[0]); p++)
                for (n = 0; n <= 4; n++)
                {
                    char what[64];
                    expand(ex, ths[t], n, t == 2 ? 2 : 3, prunes[p]);
                    snprintf(what, sizeof what, "theory %ld prune %u n=%ld", (long) t, prunes[p], (long) n);
                    check_terms(ex, what);
                }
    }

    /* the budget is enforced with a message naming the flag */
    {
        char err[512] = "";
        neft_expand_opt_t opt;
        neft_expand_opt_init(opt);
        opt->max_terms = 100;
        int s = neft_expand(ex, hms, 6, 2, NEFT_PRUNE_VACUUM, opt, err, sizeof err);
        CHECK(s == NEFT_EXPAND_BUDGET && ex->length == 0 && strstr(err, "--max-terms") != NULL,
              "budget: status %d, %ld terms, message '%s'", s, (long) ex->length, err);
        s = neft_expand(ex, hms, -1, 2, 0, opt, err, sizeof err);
        CHECK(s == NEFT_EXPAND_INVALID, "negative n accepted");
    }

    neft_expansion_clear(ex);
    neft_theory_clear(phi4);
    neft_theory_clear(phi3);
    neft_theory_clear(hms);
    neft_theory_clear(mixed);
    flint_cleanup();
    return neft_test_finish("t-expand");
}
