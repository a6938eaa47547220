/* Tests of the onen module: the rigorous integrator against closed forms
   (sin: all moments and K-derivatives; erf: <erf^2> and its derivatives,
   <erf'^2>), and the ball recursion against the exact one (relu, leaky). */

#include <stdio.h>
#include <stdlib.h>
#include "neft/onen.h"
#include "neft-test.h"

static void
test_integrator(void)
{
    const int kinds[2] = { NEFT_ONEN_SIN, NEFT_ONEN_ERF };
    const double Ks[3] = { 0.125, 1.0, 3.5 };
    int i, j;
    slong p, b, prec = 80;
    neft_onen_act_t act;
    neft_onen_gauss_t g;
    arb_t K, I, t;

    neft_onen_act_init(act);
    neft_onen_gauss_init(g);
    arb_init(K); arb_init(I); arb_init(t);
    for (i = 0; i < 2; i++)
        for (j = 0; j < 3; j++)
        {
            act->kind = kinds[i];
            arb_set_d(K, Ks[j]);
            neft_onen_gauss_eval(g, act, K, prec);   /* closed forms */
            for (p = 0; p <= (kinds[i] == NEFT_ONEN_SIN ? 4 : 1); p++)
                for (b = 0; b <= (p == 0 ? 0 : 4 - p); b++)
                {
                    if (neft_onen_gauss_integrate(I, act, K, p, b, prec))
                        FAIL("integration failed: %s K=%g p=%ld b=%ld",
                             neft_onen_act_name(act->kind), Ks[j], p, b);
                    /* closed form times (2K)^b */
                    arb_mul_2exp_si(t, K, 1);
                    arb_pow_ui(t, t, b, prec);
                    arb_mul(t, t, p == 0 ? &g->perp : &g->m[p][b], prec);
                    if (!arb_overlaps(I, t) || arb_rel_accuracy_bits(I) < 40)
                    {
                        arb_printd(I, 20); printf("\n"); arb_printd(t, 20); printf("\n");
                        FAIL("%s K=%g p=%ld b=%ld: integral and closed form disagree",
                             neft_onen_act_name(act->kind), Ks[j], p, b);
                    }
                }
        }
    neft_onen_act_clear(act);
    neft_onen_gauss_clear(g);
    arb_clear(K); arb_clear(I); arb_clear(t);
}

static void
test_exact_vs_balls(void)
{
    slong depth = 9, l, widths[8] = { 3, 5, 2, 7, 7, 1, 4, 6 };
    int k;
    flint_rand_t state;
    flint_randinit(state);
    for (k = 0; k < 40; k++)
    {
        neft_onen_params_t par;
        neft_onen_layer_struct * L;
        neft_onen_exact_struct * E;
        fmpq_t cw, cb, k1;
        arb_t kk, t;
        neft_onen_params_init(par);
        fmpq_init(cw); fmpq_init(cb); fmpq_init(k1);
        arb_init(kk); arb_init(t);
        neft_onen_act_lookup(par->act, k % 3 == 0 ? "relu" : k % 3 == 1 ? "leaky-relu" : "linear");
        fmpq_set_si(par->act->slope, (slong) n_randint(state, 7) - 3, 1 + n_randint(state, 5));
        fmpq_set_si(cw, 1 + n_randint(state, 9), 1 + n_randint(state, 5));
        fmpq_set_si(cb, n_randint(state, 4), 1 + n_randint(state, 3));
        fmpq_set_si(k1, 1 + n_randint(state, 9), 1 + n_randint(state, 4));
        arb_set_fmpq(par->cw, cw, 128);
        arb_set_fmpq(par->cb, cb, 128);
        arb_set_fmpq(kk, k1, 128);
        par->depth = depth;
        par->widths = (k % 2) ? widths : NULL;
        L = neft_onen_layers_init(depth);
        E = neft_onen_exact_init(depth);
        if (neft_onen_single(L, par, kk) || neft_onen_single_exact(E, par->act, cw, cb, k1, depth, par->widths))
            FAIL("recursion failed");
        for (l = 0; l < depth; l++)
        {
#define CHECK_FIELD(f) \
            arb_set_fmpq(t, E[l].f, 256); \
            CHECK(arb_overlaps(t, L[l].f) && arb_is_finite(L[l].f), \
                  "case %d layer %ld: " #f " ball misses the exact value", k, l + 1);
            CHECK_FIELD(K) CHECK_FIELD(chi_par) CHECK_FIELD(chi_perp) CHECK_FIELD(V)
            CHECK_FIELD(G1) CHECK_FIELD(v6) CHECK_FIELD(v8)
#undef CHECK_FIELD
        }
        neft_onen_layers_clear(L, depth);
        neft_onen_exact_clear(E, depth);
        par->widths = NULL;
        neft_onen_params_clear(par);
        fmpq_clear(cw); fmpq_clear(cb); fmpq_clear(k1);
        arb_clear(kk); arb_clear(t);
    }
    flint_randclear(state);
}

int
main(void)
{
    test_integrator();
    test_exact_vs_balls();
    flint_cleanup();
    return neft_test_finish("t-onen");
}
