/* Tests of the onen module: the rigorous integrator against closed forms
   (sin: all moments and K-derivatives; erf: <erf^2> and its derivatives,
   <erf'^2>), and the ball recursion against the exact one (relu, leaky). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"
#include "neft-test.h"

static void
test_integrator(void)
{
    const char * const kinds[2] = { "sin", "erf" };
    const double Ks[3] = { 0.125, 1.0, 3.5 };
    int i, j;
    slong p, b, prec = 80;
    neft_net_t act;
    neft_onen_gauss_t g;
    arb_t K, I, t;
    char err[256];

    neft_net_init(act);
    neft_onen_gauss_init(g);
    arb_init(K); arb_init(I); arb_init(t);
    for (i = 0; i < 2; i++)
        for (j = 0; j < 3; j++)
        {
            neft_net_set_act_name(act, kinds[i], NULL, err, sizeof err);
            arb_set_d(K, Ks[j]);
            neft_onen_gauss_eval(g, act, K, K, prec);   /* closed forms */
            for (p = 0; p <= (i == 0 ? 4 : 1); p++)
                for (b = 0; b <= (p == 0 ? 0 : 4 - p); b++)
                {
                    if (neft_onen_gauss_integrate(I, act, K, p, b, prec))
                        FAIL("integration failed: %s K=%g p=%ld b=%ld",
                             act->act->name, Ks[j], p, b);
                    /* closed form times (2K)^b */
                    arb_mul_2exp_si(t, K, 1);
                    arb_pow_ui(t, t, b, prec);
                    arb_mul(t, t, p == 0 ? &g->perp : &g->m[p][b], prec);
                    if (!arb_overlaps(I, t) || arb_rel_accuracy_bits(I) < 40)
                    {
                        arb_printd(I, 20); printf("\n"); arb_printd(t, 20); printf("\n");
                        FAIL("%s K=%g p=%ld b=%ld: integral and closed form disagree",
                             act->act->name, Ks[j], p, b);
                    }
                }
        }
    neft_net_clear(act);
    neft_onen_gauss_clear(g);
    arb_clear(K); arb_clear(I); arb_clear(t);
}

static void
test_exact_vs_balls(void)
{
    slong depth = 9, l, widths[8] = { 3, 5, 2, 7, 7, 1, 4, 6 };
    int k;
    char err[256];
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
        neft_net_set_act_name(par->net, k % 3 == 0 ? "relu" : k % 3 == 1 ? "leaky-relu"
                              : "linear", NULL, err, sizeof err);
        fmpq_set_si(cw, (slong) n_randint(state, 7) - 3, 1 + n_randint(state, 5));
        if (k % 3 == 1)
            fmpq_set(par->net->param, cw);   /* the slope */
        fmpq_set_si(cw, 1 + n_randint(state, 9), 1 + n_randint(state, 5));
        fmpq_set_si(cb, n_randint(state, 4), 1 + n_randint(state, 3));
        fmpq_set_si(k1, 1 + n_randint(state, 9), 1 + n_randint(state, 4));
        neft_net_set_cw(par->net, cw);
        neft_net_set_cb(par->net, cb);
        arb_set_fmpq(kk, k1, 128);
        neft_net_set_depth_recursion(par->net, depth);
        if (k % 2)
            for (l = 1; l < depth; l++)
                neft_net_set_width_si(par->net, l, widths[l - 1]);
        L = neft_onen_layers_init(depth);
        E = neft_onen_exact_init(depth);
        if (neft_onen_single(L, par, kk) || neft_onen_single_exact(E, par->net, k1))
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
        neft_onen_params_clear(par);
        fmpq_clear(cw); fmpq_clear(cb); fmpq_clear(k1);
        arb_clear(kk); arb_clear(t);
    }
    flint_randclear(state);
}

/* Reads back what a writer put into f (a tmpfile), at most size - 1 bytes. */
static void
slurp(char * buf, size_t size, FILE * f)
{
    size_t n;
    rewind(f);
    n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* The writers and option parsers of src/onen: a pull with a zero stderr is
   "n/a" / null with its reason, never a number; widths and rationals parse
   exactly or are refused with the message the CLI prints. */
static void
test_writers(void)
{
    neft_onen_compare_t c;
    char buf[4096], err[256];
    slong w[4] = { 0, 0, 0, 0 };
    fmpq_t q;
    FILE * f;
    int json;

    for (json = 0; json <= 1; json++)
    {
        neft_net_t act;
        neft_net_init(act);   /* relu */
        neft_onen_compare_init(c);
        c->models = 100; c->width = 8; c->depth = 3;
        c->nrows = c->alloc = 2;
        c->rows = flint_malloc(2 * sizeof(*c->rows));
        c->rows[0].npt = 2; c->rows[0].idx[0] = c->rows[0].idx[1] = 0;
        c->rows[0].mean = 1.5; c->rows[0].err = 0.5; c->rows[0].pull = 1.0;
        arb_init(&c->rows[0].pred); arb_one(&c->rows[0].pred);
        c->rows[1] = c->rows[0];
        arb_init(&c->rows[1].pred); arb_one(&c->rows[1].pred);
        c->rows[1].err = 0; c->rows[1].pull = NAN;
        if ((f = tmpfile()) == NULL)
            FAIL("tmpfile");
        neft_onen_compare_write(f, c, "F.json", act, json ? NEFT_ONEN_FORMAT_JSON
                                : NEFT_ONEN_FORMAT_TEXT);
        slurp(buf, sizeof buf, f);
        if (json && (strncmp(buf, "{\"models\":100,\"width\":8,\"depth\":3,\"compare\":[", 45)
                     || !strstr(buf, "\"measured\":{\"mean\":1.5,\"stderr\":0.5}")
                     || !strstr(buf, ",\"pull\":1}")
                     || !strstr(buf, ",\"pull\":null,\"pull_why\":\"the standard error is 0\"}]}\n")))
            FAIL("compare JSON: %s", buf);
        if (!json && (!strstr(buf, "--compare-samples F.json: relu,")
                      || !strstr(buf, "  1.000\n") || !strstr(buf, "  n/a\n")))
            FAIL("compare text: %s", buf);
        neft_onen_compare_clear(c);
        neft_net_clear(act);
    }
    if (neft_onen_parse_widths(w, "4,5", 3, err, sizeof err) || w[0] != 4 || w[1] != 5)
        FAIL("widths 4,5");
    if (!neft_onen_parse_widths(w, "4,x", 3, err, sizeof err)
        || strcmp(err, "--widths expects an integer, got 'x'"))
        FAIL("widths 4,x: %s", err);
    if (!neft_onen_parse_widths(w, "4", 3, err, sizeof err)
        || strcmp(err, "--widths expects 2 comma-separated hidden widths n_1..n_{L-1}"))
        FAIL("widths 4 at depth 3: %s", err);
    fmpq_init(q);
    if (neft_onen_parse_rational(q, "2.5E-1") || fmpz_cmp_ui(fmpq_numref(q), 1)
        || fmpz_cmp_ui(fmpq_denref(q), 4) || !neft_onen_parse_rational(q, "1/0")
        || !neft_onen_parse_rational(q, "0.5x"))
        FAIL("rationals");
    fmpq_clear(q);
}

int
main(void)
{
    test_integrator();
    test_exact_vs_balls();
    test_writers();
    flint_cleanup();
    return neft_test_finish("t-onen");
}
