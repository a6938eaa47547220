/* neft_expand_stream against neft_expand (the same terms, each isomorphism
   class once, in the order by vertices and monomial), opt->min_order, the
   interrupted status, a sink that stops the generation, and the estimate
   (counted exactly for small orders, refusing up front). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/expand.h"
#include "neft/interrupt.h"
#include "neft-test.h"

typedef struct
{
    neft_expansion_struct * into;
    int begun;
    slong stop_after;    /* return nonzero after this many terms (-1: never) */
}
collect_t;

static int
begin(const neft_expansion_struct * ex, void * arg)
{
    collect_t * c = arg;
    c->begun++;
    (void) ex;
    return 0;
}

static int
term(const neft_expansion_struct * ex, const neft_diagram_struct * d, void * arg)
{
    collect_t * c = arg;
    (void) ex;
    neft_expansion_append(c->into, d);
    return c->stop_after >= 0 && c->into->length >= c->stop_after;
}

static void
theory_one(neft_theory_t th, const char * name, slong legs, slong p, slong q)
{
    fmpq_t w;
    fmpq_init(w);
    fmpq_set_si(w, p, q);
    neft_theory_add_coupling(th, name, legs, w);
    fmpq_clear(w);
}

/* The held terms with at least lo vertices equal the streamed ones as
   multisets (term by term: same graph, same numbering, same coefficient),
   and the streamed ones come by vertices, then monomial as held. */
static void
compare(const neft_theory_t th, slong n, slong order, slong lo, unsigned prune,
        const char * what)
{
    neft_expansion_t held, streamed, sink_ex;
    neft_expand_opt_t opt;
    neft_expand_sink_t sink;
    collect_t c;
    char err[512];
    slong i, j, k, *used;
    int s;

    neft_expansion_init(held);
    neft_expansion_init(streamed);
    neft_expansion_init(sink_ex);
    neft_expand_opt_init(opt);
    s = neft_expand(held, th, n, order, prune, opt, err, sizeof err);
    CHECK(s == NEFT_EXPAND_SUCCESS, "%s: held: %s", what, err);
    opt->min_order = lo;
    c.into = streamed;
    c.begun = 0;
    c.stop_after = -1;
    sink->begin = begin;
    sink->term = term;
    sink->arg = &c;
    s = neft_expand_stream(sink_ex, th, n, order, prune, opt, sink, err, sizeof err);
    CHECK(s == NEFT_EXPAND_SUCCESS && c.begun == 1, "%s: stream: %d %s", what, s, err);
    CHECK(sink_ex->length == 0 && sink_ex->n == n && sink_ex->order == order
          && sink_ex->min_order == lo, "%s: the stream's header", what);

    used = calloc(held->length + 1, sizeof(slong));
    for (i = k = 0; i < held->length; i++)
    {
        const neft_diagram_struct * d = held->terms + i;
        if (d->m < lo)
            continue;
        k++;
        for (j = 0; j < streamed->length; j++)
        {
            const neft_diagram_struct * e = streamed->terms + j;
            if (!used[j] && e->m == d->m && e->nedges == d->nedges
                && memcmp(e->edges, d->edges, 2 * d->nedges * sizeof(slong)) == 0
                && memcmp(e->type, d->type, d->m * sizeof(slong)) == 0
                && fmpq_equal(e->coeff, d->coeff))
            {
                used[j] = 1;
                break;
            }
        }
        CHECK(j < streamed->length, "%s: held term %ld not streamed", what, (long) i);
    }
    CHECK(k == streamed->length, "%s: %ld held terms, %ld streamed", what, (long) k,
          (long) streamed->length);
    for (j = 1; j < streamed->length; j++)
    {
        slong e1[NEFT_THEORY_COUPLINGS_MAX], e2[NEFT_THEORY_COUPLINGS_MAX], t;
        const neft_diagram_struct * a = streamed->terms + j - 1, * b = streamed->terms + j;
        int ok = a->m <= b->m;
        neft_diagram_powers(e1, a, th->length);
        neft_diagram_powers(e2, b, th->length);
        if (a->m == b->m)
            for (t = 0; t < th->length; t++)
                if (e1[t] != e2[t])
                {
                    ok = e1[t] > e2[t];
                    break;
                }
        CHECK(ok, "%s: streamed terms %ld, %ld out of order", what, (long) j - 1, (long) j);
    }
    free(used);
    neft_expansion_clear(held);
    neft_expansion_clear(streamed);
    neft_expansion_clear(sink_ex);
}

int
main(void)
{
    neft_theory_t phi4, phi3, mixed;
    neft_expansion_t ex, got;
    neft_expand_opt_t opt;
    neft_expand_sink_t sink;
    collect_t c;
    char err[512];
    double terms, seconds, bytes;
    int s;

    neft_theory_init(phi4);
    neft_theory_init(phi3);
    neft_theory_init(mixed);
    theory_one(phi4, "lambda", 4, 1, 24);
    theory_one(phi3, "g", 3, 1, 6);
    theory_one(mixed, "g3", 3, 1, 6);
    theory_one(mixed, "g4", 4, 1, 24);

    compare(phi4, 4, 4, 0, NEFT_PRUNE_CONNECTED, "phi4 4pt connected");
    compare(phi4, 4, 4, 3, NEFT_PRUNE_CONNECTED, "phi4 4pt connected, order 3..4");
    compare(phi4, 4, 3, 3, NEFT_PRUNE_CONNECTED, "phi4 4pt connected, exactly 3");
    compare(phi4, 2, 5, 0, NEFT_PRUNE_CONNECTED | NEFT_PRUNE_1PI, "phi4 2pt 1PI");
    compare(phi4, 4, 4, 0, NEFT_PRUNE_CONNECTED | NEFT_PRUNE_SELF_ENERGY, "phi4 nosigma");
    compare(phi4, 4, 3, 0, 0, "phi4 4pt all");
    compare(phi4, 0, 3, 0, 0, "phi4 vacuum");
    compare(phi3, 2, 6, 0, NEFT_PRUNE_CONNECTED | NEFT_PRUNE_TADPOLE, "phi3 tadpole");
    compare(mixed, 3, 3, 0, NEFT_PRUNE_VACUUM, "mixed 3pt");
    compare(mixed, 2, 3, 2, NEFT_PRUNE_TWO_POINT_COMPONENT, "mixed 2pt, order 2..3");

    /* interrupted before or during: the status, nothing held */
    neft_expansion_init(ex);
    neft_expansion_init(got);
    neft_expand_opt_init(opt);
    neft_interrupt_request(0);
    s = neft_expand(ex, phi4, 4, 5, NEFT_PRUNE_CONNECTED, opt, err, sizeof err);
    CHECK(s == NEFT_EXPAND_INTERRUPTED && ex->length == 0, "interrupted held: %d", s);
    c.into = got;
    c.begun = 0;
    c.stop_after = -1;
    sink->begin = begin;
    sink->term = term;
    sink->arg = &c;
    s = neft_expand_stream(ex, phi4, 4, 5, NEFT_PRUNE_CONNECTED, opt, sink, err, sizeof err);
    CHECK(s == NEFT_EXPAND_INTERRUPTED, "interrupted stream: %d", s);
    neft_interrupt_clear();

    /* a sink that stops */
    c.stop_after = 10;
    s = neft_expand_stream(ex, phi4, 4, 5, NEFT_PRUNE_CONNECTED, opt, sink, err, sizeof err);
    CHECK(s == NEFT_EXPAND_SINK && got->length == 10, "sink stop: %d, %ld terms", s,
          (long) got->length);

    /* the estimate: exact when small, about right when extrapolated */
    CHECK(neft_expand_estimate(&terms, &seconds, &bytes, phi4, 4, 4, NEFT_PRUNE_CONNECTED,
                               opt, 0) == 0 && terms == 305, "estimate o=4: %g", terms);
    CHECK(neft_expand_estimate(&terms, &seconds, &bytes, phi4, 4, 7, NEFT_PRUNE_CONNECTED,
                               opt, 0) == 0 && terms > 84652 / 2 && terms < 2 * 84652,
          "estimate o=7: %g (84652 terms)", terms);
    /* refused before the work: the run would take minutes */
    opt->max_terms = 1000;
    s = neft_expand(ex, phi4, 4, 10, NEFT_PRUNE_CONNECTED, opt, err, sizeof err);
    CHECK(s == NEFT_EXPAND_BUDGET && strstr(err, "--max-terms ") != NULL,
          "budget o=10: %d %s", s, err);

    neft_expansion_clear(ex);
    neft_expansion_clear(got);
    neft_theory_clear(phi4);
    neft_theory_clear(phi3);
    neft_theory_clear(mixed);
    return neft_test_finish("t-stream");
}
