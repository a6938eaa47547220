/* The shared Gaussian-moment rule in 3 dimensions (src/exact/gridnd.c: erf,
   d_in = 2, sigma_b = 1, three points) gives the same balls, bit for bit, on
   1 and 2 threads (its panels are computed by any thread and added in
   panel order), and every ball contains the moment of the closed form where
   one exists: E[erf(z_p)^2] = (2/pi) asin(2 k_pp / (1 + 2 k_pp)).  Fails
   before: the spec had no threads. */

#include <math.h>
#include <stdio.h>
#include "neft/exact.h"
#include "neft/act.h"
#include "sample/tuples.h"
#include "exact/exact-internal.h"
#include "neft-test.h"

typedef struct
{
    _neft_tuples_struct tree[1];
    arb_ptr M;
}
rule_struct;

static void
moments(rule_struct * mom, slong threads)
{
    static const double pts[3][2] = {{-1, -1}, {1, -1}, {1, 1}};
    neft_exact_spec_t spec;
    arb_ptr x = _arb_vec_init(6);
    fmpq_t sw, sb;
    char err[256];
    slong nodes = 0;
    int i, st;
    neft_exact_spec_init(spec);
    fmpq_init(sw);
    fmpq_init(sb);
    fmpq_one(sw);
    fmpq_one(sb);
    neft_net_set_act(spec->net, neft_act_lookup("erf"), NULL, err, sizeof err);
    spec->net->d_in = 2;
    neft_net_set_sigma(spec->net, sw, sb);
    for (i = 0; i < 6; i++)
        arb_set_d(x + i, pts[i / 2][i % 2]);
    neft_exact_spec_set_points(spec, x, 3);
    spec->npt_mask = 1u << 2;
    spec->threads = threads;
    _neft_tuples_init(mom->tree, 3, 2);
    mom->M = _arb_vec_init(mom->tree->length);
    st = _neft_exact_gridnd_rule(mom->M, mom->tree, spec, 64, NULL, NULL, &nodes, err,
                                 sizeof err);
    CHECK(st == NEFT_SUCCESS && nodes > 0, "threads %ld: status %d nodes %ld: %s",
          (long) threads, st, (long) nodes, err);
    neft_exact_spec_clear(spec);
    _arb_vec_clear(x, 6);
    fmpq_clear(sw);
    fmpq_clear(sb);
}

int
main(void)
{
    rule_struct a[1], b[1];
    slong i;
    arb_t t;
    arb_init(t);
    moments(a, 1);
    moments(b, 2);
    {
        const _neft_tuples_struct * ta = a->tree, * tb = b->tree;
        slong same = 0, idx[NEFT_SAMPLE_MAX_NPT];
        CHECK(ta != NULL && tb != NULL && ta->length == tb->length && ta->length > 1,
              "the trees");
        for (i = 1; ta != NULL && tb != NULL && i < ta->length && i < tb->length; i++)
        {
            if (ta->len[i] % 2)
                continue;
            CHECK(arb_equal(a->M + i, b->M + i) && arb_is_finite(a->M + i)
                  && arb_rel_accuracy_bits(a->M + i) > 30,
                  "node %ld: %s on 1 thread, %s on 2", (long) i, arb_get_str(a->M + i, 20, 0),
                  arb_get_str(b->M + i, 20, 0));
            same++;
            /* E[erf(z_p)^2], k_pp = sb^2 + sw^2 |x|^2 / d = 2: (2/pi) asin(4/5) */
            _neft_tuples_get(idx, ta, i);
            if (idx[0] == idx[1])
            {
                arb_t ref;
                arb_init(ref);
                arb_set_ui(ref, 4);
                arb_div_ui(ref, ref, 5, 128);
                arb_asin(ref, ref, 128);
                arb_mul_2exp_si(ref, ref, 1);
                arb_const_pi(t, 128);
                arb_div(ref, ref, t, 128);
                CHECK(arb_overlaps(ref, a->M + i), "E[erf(z)^2] at point %ld: %s, closed form %s",
                      (long) idx[0], arb_get_str(a->M + i, 20, 0), arb_get_str(ref, 20, 0));
                arb_clear(ref);
            }
        }
        CHECK(same == 6, "%ld second moments compared", (long) same);
    }
    arb_clear(t);
    _arb_vec_clear(a->M, a->tree->length);
    _arb_vec_clear(b->M, b->tree->length);
    _neft_tuples_clear(a->tree);
    _neft_tuples_clear(b->tree);
    flint_cleanup();
    return neft_test_finish("t-gridnd-threads");
}
