/* Hand-made diagrams with hand-counted properties: coefficients (Wick counts
   done on paper), automorphisms, components and every pruning predicate. */

#include <stdio.h>
#include <string.h>
#include "neft/diagram.h"
#include "neft-test.h"

typedef struct
{
    const char * name;
    slong n, m;
    slong type[4];
    slong nedges;
    slong edges[24];
    slong coeff_p, coeff_q;  /* expected coefficient in the theory below */
    ulong aut;
    int vac, twopt, se, tad, conn, onepi;
}
hand_case;

int
main(void)
{
    neft_theory_t th;
    fmpq_t w, c;
    slong i;
    /* theory: type 0 = phi^4 with weight 1/24, type 1 = phi^3 with weight 1/6 */
    static const hand_case cases[] = {
        /* x1 - y1 - x2 with a self-loop at y1: (-1/24) 4!/2 = -1/2 */
        {"phi4 2-pt snail", 2, 1, {0}, 3, {0,2, 1,2, 2,2}, -1, 2, 1, 0, 1, 0, 0, 1, 1},
        /* fish: y1(x1,x2), y2(x3,x4), double edge: (1/24)^2 (4!)^2 / 2! = 1/2 */
        {"phi4 fish", 4, 2, {0,0}, 6, {0,4, 1,4, 2,5, 3,5, 4,5, 4,5}, 1, 2, 1, 0, 0, 0, 0, 1, 1},
        /* snail on leg x1 then a vertex with x2,x3,x4: self-energy, internal bridge */
        {"phi4 leg snail", 4, 2, {0,0}, 6, {0,4, 4,4, 4,5, 1,5, 2,5, 3,5}, 1, 2, 1, 0, 0, 1, 0, 1, 0},
        /* phi3 tadpole on a vertex: x1,x2 - y1 - y2 (self-loop at y2) */
        {"phi3 tadpole", 2, 2, {1,1}, 4, {0,2, 1,2, 2,3, 3,3}, 1, 2, 1, 0, 1, 0, 1, 1, 0},
        /* bare x1-x2 and a figure eight: -(1/24) 4!/(2^2 2!) = -1/8 */
        {"figure eight", 2, 1, {0}, 3, {0,1, 2,2, 2,2}, -1, 8, 1, 1, 0, 0, 0, 0, 0},
        /* two identical figure eights: 1/64 / 2! */
        {"two figure eights", 2, 2, {0,0}, 5, {0,1, 2,2, 2,2, 3,3, 3,3}, 1, 128, 2, 1, 0, 0, 0, 0, 0},
        /* phi3 vacuum theta (two vertices, triple edge): (1/6)^2 3!^2/(2! 3!) = 1/12 */
        {"phi3 theta", 0, 2, {1,1}, 3, {0,1, 0,1, 0,1}, 1, 12, 2, 1, 0, 0, 0, 1, 1},
        /* phi3 dumbbell vacuum: bridge with external-free sides: 1/8 */
        {"phi3 dumbbell", 0, 2, {1,1}, 3, {0,0, 0,1, 1,1}, 1, 8, 2, 1, 0, 0, 1, 1, 0},
        /* phi3 self-energy bubble on x1-x2: S = {y1,y2} is the whole 2-pt diagram */
        {"phi3 bubble", 2, 2, {1,1}, 4, {0,2, 1,3, 2,3, 2,3}, 1, 2, 1, 0, 1, 0, 0, 1, 1},
    };

    neft_theory_init(th);
    fmpq_init(w);
    fmpq_init(c);
    fmpq_set_si(w, 1, 24);
    neft_theory_add_coupling(th, "lambda", 4, w);
    fmpq_set_si(w, 1, 6);
    neft_theory_add_coupling(th, "g", 3, w);

    for (i = 0; i < (slong) (sizeof cases / sizeof cases[0]); i++)
    {
        const hand_case * hc = cases + i;
        neft_diagram_t d;
        slong e[2];
        /* edges in the table use 0-based ids with internals after externals */
        neft_diagram_init(d);
        neft_diagram_set_graph(d, hc->n, hc->m, hc->type, hc->nedges, hc->edges);
        CHECK(neft_diagram_is_valid(d, th), "%s: degrees", hc->name);
        neft_diagram_symmetry_coeff(c, d, th);
        fmpq_set_si(w, hc->coeff_p, hc->coeff_q);
        CHECK(fmpq_equal(c, w), "%s: coefficient %s, expected %ld/%ld", hc->name,
              fmpq_get_str(NULL, 10, c), (long) hc->coeff_p, (long) hc->coeff_q);
        CHECK(neft_diagram_automorphisms(d) == hc->aut, "%s: |Aut| %lu, expected %lu", hc->name,
              (unsigned long) neft_diagram_automorphisms(d), (unsigned long) hc->aut);
        CHECK(neft_diagram_has_vacuum_component(d) == hc->vac, "%s: vacuum", hc->name);
        CHECK(neft_diagram_has_two_point_component(d) == hc->twopt, "%s: two-point-component", hc->name);
        CHECK(neft_diagram_has_self_energy(d) == hc->se, "%s: self-energy", hc->name);
        CHECK(neft_diagram_has_tadpole(d) == hc->tad, "%s: tadpole", hc->name);
        CHECK(neft_diagram_is_connected(d) == hc->conn, "%s: connected", hc->name);
        CHECK(neft_diagram_is_1pi(d) == hc->onepi, "%s: 1PI", hc->name);
        neft_diagram_powers(e, d, 2);
        CHECK(e[0] + e[1] == hc->m, "%s: powers", hc->name);
        neft_diagram_clear(d);
    }

    /* keys: relabelling internal vertices gives the same key; externals are
       labelled unless asked otherwise */
    {
        neft_diagram_t a, b;
        unsigned char ka[NEFT_DIAGRAM_KEY_MAX], kb[NEFT_DIAGRAM_KEY_MAX];
        slong la, lb, ea[] = {0,4, 1,4, 2,5, 3,5, 4,5, 4,5}, eb[] = {0,5, 1,5, 2,4, 3,4, 4,5, 4,5};
        slong ec[] = {0,4, 2,4, 1,5, 3,5, 4,5, 4,5}, ty[] = {0, 0};
        neft_diagram_init(a);
        neft_diagram_init(b);
        neft_diagram_set_graph(a, 4, 2, ty, 6, ea);
        neft_diagram_set_graph(b, 4, 2, ty, 6, eb);
        la = neft_diagram_key(ka, a, 0);
        lb = neft_diagram_key(kb, b, 0);
        CHECK(la == lb && !memcmp(ka, kb, la), "keys differ under internal relabelling");
        neft_diagram_set_graph(b, 4, 2, ty, 6, ec);
        lb = neft_diagram_key(kb, b, 0);
        CHECK(la != lb || memcmp(ka, kb, la), "s- and t-channel fish have equal labelled keys");
        la = neft_diagram_key(ka, a, 1);
        lb = neft_diagram_key(kb, b, 1);
        CHECK(la == lb && !memcmp(ka, kb, la), "s- and t-channel fish differ with unlabelled externals");
        neft_diagram_clear(a);
        neft_diagram_clear(b);
    }

    fmpq_clear(w);
    fmpq_clear(c);
    neft_theory_clear(th);
    flint_cleanup();
    return neft_test_finish("t-diagram");
}
