/* Tests of the onen module: the rigorous integrator against closed forms
   (sin: all moments and K-derivatives; erf: <erf^2> and its derivatives,
   <erf'^2>), and the ball recursion against the exact one (relu, leaky). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"
#include "neft/act.h"
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
        c->nrows = c->alloc = 4;
        c->rows = flint_malloc(4 * sizeof(*c->rows));
        c->rows[0].npt = 2; c->rows[0].idx[0] = c->rows[0].idx[1] = 0;
        c->rows[0].mean = 1.5; c->rows[0].err = 0.5; c->rows[0].pull = 1.0;
        arb_init(&c->rows[0].pred); arb_one(&c->rows[0].pred);
        c->rows[0].has_next = 0; c->rows[0].pull_next = NAN;
        arb_init(&c->rows[0].pred_next);
        c->rows[1] = c->rows[0];
        arb_init(&c->rows[1].pred); arb_one(&c->rows[1].pred);
        arb_init(&c->rows[1].pred_next);
        c->rows[1].err = 0; c->rows[1].pull = NAN;
        /* a measurement that is not a number, a prediction that is not
           finite (with its next order): never printed as numbers */
        c->rows[2] = c->rows[0];
        c->rows[2].mean = NAN; c->rows[2].err = INFINITY; c->rows[2].pull = NAN;
        arb_init(&c->rows[2].pred); arb_one(&c->rows[2].pred);
        arb_init(&c->rows[2].pred_next);
        c->rows[3] = c->rows[0];
        c->rows[3].pull = 3.0;
        arb_init(&c->rows[3].pred); arb_indeterminate(&c->rows[3].pred);
        arb_init(&c->rows[3].pred_next); arb_indeterminate(&c->rows[3].pred_next);
        c->rows[3].has_next = 1; c->rows[3].pull_next = 2.0;
        if ((f = tmpfile()) == NULL)
            FAIL("tmpfile");
        neft_onen_compare_write(f, c, "F.json", act, json ? NEFT_ONEN_FORMAT_JSON
                                : NEFT_ONEN_FORMAT_TEXT);
        slurp(buf, sizeof buf, f);
        if (json && (strncmp(buf, "{\"models\":100,\"width\":8,\"depth\":3,\"compare\":[", 45)
                     || !strstr(buf, "\"measured\":{\"mean\":1.5,\"stderr\":0.5}")
                     || !strstr(buf, ",\"pull\":1}")
                     || !strstr(buf, ",\"pull\":null,\"pull_why\":\"the standard error is 0\"}")
                     || !strstr(buf, "\"measured\":{\"mean\":null,\"stderr\":null}")
                     || !strstr(buf, ",\"pull\":null,\"pull_why\":\"the measured value is not a "
                                "number\"}")
                     || !strstr(buf, ",\"pull_next\":null,\"pull_next_why\":\"the prediction is "
                                "not finite\",\"pull\":null,\"pull_why\":\"the prediction is not "
                                "finite\"}]}\n")))
            FAIL("compare JSON: %s", buf);
        if (!json && (!strstr(buf, "--compare-samples F.json: relu,")
                      || !strstr(buf, "  1.000\n") || !strstr(buf, "  n/a\n")
                      || !strstr(buf, "n/a                          ")))
            FAIL("compare text: %s", buf);
        /* no number spelt as nan or inf anywhere */
        if (strstr(buf, " nan +/-") || strstr(buf, ":nan") || strstr(buf, ":inf")
            || strstr(buf, "\"pull\":3") || strstr(buf, "\"pull_next\":2")
            || strstr(buf, " 3.000") || strstr(buf, "2.000"))
            FAIL("compare %s: a value that is not a number printed as one: %s",
                 json ? "JSON" : "text", buf);
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


/* Every row of the activation table against every capability of onen: the
   capabilities each row lacks (hard-coded here, so that a change of onen's
   table shows), each refused by the function that needs it with
   NEFT_UNSUPPORTED and a reason naming the row, never computed by another
   row's code; the ones it has are answered. */
static void
test_capabilities(void)
{
    /* rows lacking: exact rationals, two-input kernel, two-input vertex,
       criticality, depth > 2 */
    static const char * const no_exact = " tanh erf gelu silu sigmoid sin gauss softplus ";
    static const char * const no_kernel = " tanh gelu silu sigmoid softplus ";
    /* every row has a two-input vertex since the integrated one (src/onen/vertex2_gen.c) */
    static const char * const no_vertex = " ";
    static const char * const no_critical = " gauss softplus ";
    static const char * const no_deep = " gauss ";
    const char * const * lists[NEFT_ONEN_CAP_COUNT] = { NULL, &no_exact, &no_kernel,
                                                        &no_vertex, &no_critical, &no_deep };
    slong i, c, depth;
    char err[256], key[64];
    const char * why;

    CHECK(neft_act_count() == 11, "the table has %ld rows, this test knows 11",
          (long) neft_act_count());
    for (i = 0; i < neft_act_count(); i++)
    {
        neft_act_srcptr row = neft_act_get(i);
        neft_onen_params_t par;
        neft_onen_crit_t crit;
        neft_onen_exact_struct * E;
        arb_ptr x, K, V;
        fmpq_t k1;
        int r;

        snprintf(key, sizeof key, " %s ", row->name);
        neft_onen_params_init(par);
        par->prec = 64;
        CHECK(neft_net_set_act(par->net, row, NULL, err, sizeof err) == NEFT_SUCCESS,
              "%s: %s", row->name, err);
        for (c = 0; c < NEFT_ONEN_CAP_COUNT; c++)
        {
            int lacks = lists[c] != NULL && strstr(*lists[c], key) != NULL;
            why = NULL;
            CHECK(neft_onen_has(par->net, c, &why) == !lacks, "%s: capability %ld: has = %d",
                  row->name, (long) c, !lacks);
            if (lacks)
                CHECK(why != NULL && strstr(why, row->name) != NULL,
                      "%s: capability %ld: the reason '%s' does not name the row", row->name,
                      (long) c, why == NULL ? "(none)" : why);
        }
        /* every row's entry gives the cost of its moments (an integrated row
           its integrand's: none takes another row's) */
        CHECK(neft_onen_gauss_cost(par->net, 1.0, 64) > 0, "%s: the cost of its moments is %g",
              row->name, neft_onen_gauss_cost(par->net, 1.0, 64));
        /* the functions behind the capabilities, at depth 3 (2 for gauss's
           two-input quantities: its depth is refused first) */
        fmpq_init(k1);
        fmpq_set_si(k1, 1, 2);
        depth = 3;
        neft_net_set_depth_recursion(par->net, depth);
        r = neft_onen_check_depth(par->net, &why);
        CHECK((r == NEFT_UNSUPPORTED) == (strstr(no_deep, key) != NULL),
              "%s: depth 3 gave status %d", row->name, r);
        {
            neft_onen_layer_struct * L = neft_onen_layers_init(depth);
            arb_t kk;
            arb_init(kk);
            arb_set_fmpq(kk, k1, 64);
            r = neft_onen_single(L, par, kk);
            CHECK((r == NEFT_UNSUPPORTED) == (strstr(no_deep, key) != NULL),
                  "%s: single at depth 3 gave %d", row->name, r);
            if (r == NEFT_UNSUPPORTED)
                CHECK(!arb_is_finite(L[depth - 1].K) && !arb_is_finite(L[depth - 1].V),
                      "%s: a refused depth gave values", row->name);
            arb_clear(kk);
            neft_onen_layers_clear(L, depth);
        }
        if (strstr(no_deep, key) != NULL)
        {
            depth = 2;
            neft_net_set_depth_recursion(par->net, depth);
        }
        E = neft_onen_exact_init(depth);
        r = neft_onen_single_exact(E, par->net, k1);
        CHECK((r == NEFT_UNSUPPORTED) == (strstr(no_exact, key) != NULL),
              "%s: single_exact gave %d", row->name, r);
        neft_onen_exact_clear(E, depth);
        x = _arb_vec_init(2);
        arb_set_d(x + 0, 0.5);
        arb_set_d(x + 1, -0.75);
        K = _arb_vec_init(4 * depth);
        V = _arb_vec_init(9 * depth);
        r = neft_onen_kernel_matrix(K, par, x, 2, 1);
        CHECK((r == NEFT_UNSUPPORTED) == (strstr(no_kernel, key) != NULL)
              && (r == NEFT_UNSUPPORTED || r == 0), "%s: kernel matrix gave %d", row->name, r);
        if (r == NEFT_UNSUPPORTED)
            CHECK(!arb_is_finite(K + 4 * depth - 1), "%s: a refused kernel gave values",
                  row->name);
        /* the integrated vertex at depth 2 (no K-derivatives: t-onen stays fast;
           deeper layers in onen_vertex.py and t-vertex2gen) */
        neft_net_set_depth_recursion(par->net, 2);
        r = neft_onen_vertex2(K, V, par, x, 1);
        CHECK((r == NEFT_UNSUPPORTED) == (strstr(no_vertex, key) != NULL)
              && (r == NEFT_UNSUPPORTED || r == 0), "%s: vertex2 gave %d", row->name, r);
        if (r == NEFT_UNSUPPORTED)
            CHECK(!arb_is_finite(V + 9 * 2 - 1), "%s: a refused vertex gave values",
                  row->name);
        _arb_vec_clear(x, 2);
        _arb_vec_clear(K, 4 * depth);
        _arb_vec_clear(V, 9 * depth);
        if (strstr(no_critical, key) != NULL)
        {
            /* (the analysis of the others integrates: t-onen stays fast) */
            neft_onen_crit_init(crit);
            r = neft_onen_critical(crit, par->net, 64.0, 64);
            CHECK(r == NEFT_UNSUPPORTED && !arb_is_finite(crit->cw),
                  "%s: critical gave %d", row->name, r);
            neft_onen_crit_clear(crit);
        }
        fmpq_clear(k1);
        neft_onen_params_clear(par);
    }
}

/* GaussNet at depth 2, in closed form (docs/onen.md): with k = K^(1),
   K^(2) = C_b + C_W, V = C_W^2 (e^{4k} - 1), v6 = C_W^3 (e^{12k} - 3 e^{4k} + 2),
   v8 = C_W^4 (e^{24k} - 4 e^{12k} - 3 e^{8k} + 12 e^{4k} - 6), G1 = 0;
   layer 1: chi_par = 2 C_W, chi_perp = C_W; layer 2 has no susceptibilities. */
static void
test_gaussnet(void)
{
    static const double ks[3] = { 0.0, 0.25, 1.5 };
    neft_onen_params_t par;
    neft_onen_layer_struct * L;
    char err[256];
    fmpq_t q;
    arb_t k, e, t, want;
    int j;

    neft_onen_params_init(par);
    fmpq_init(q);
    arb_init(k); arb_init(e); arb_init(t); arb_init(want);
    neft_net_set_act_name(par->net, "gauss", NULL, err, sizeof err);
    neft_net_set_depth_recursion(par->net, 2);
    fmpq_set_si(q, 3, 2);
    neft_net_set_cw(par->net, q);       /* C_W = 3/2 */
    fmpq_set_si(q, 1, 4);
    neft_net_set_cb(par->net, q);       /* C_b = 1/4 */
    L = neft_onen_layers_init(2);
    for (j = 0; j < 3; j++)
    {
        arb_set_d(k, ks[j]);
        CHECK(neft_onen_single(L, par, k) == 0, "gauss k=%g: the recursion failed", ks[j]);
        arb_set_d(want, 1.75);
        CHECK(arb_overlaps(L[1].K, want) && arb_is_exact(L[1].K) == arb_is_exact(want),
              "gauss k=%g: K^(2) is not C_b + C_W", ks[j]);
        arb_set_d(want, 3.0);
        CHECK(arb_overlaps(L[0].chi_par, want), "gauss k=%g: chi_par", ks[j]);
        arb_set_d(want, 1.5);
        CHECK(arb_overlaps(L[0].chi_perp, want), "gauss k=%g: chi_perp", ks[j]);
        CHECK(!arb_is_finite(L[1].chi_par) && !arb_is_finite(L[1].chi_perp),
              "gauss k=%g: layer 2 has susceptibilities", ks[j]);
        CHECK(arb_is_zero(L[1].G1), "gauss k=%g: G1 != 0", ks[j]);
        /* V */
        arb_mul_2exp_si(e, k, 2); arb_exp(e, e, 128);            /* e^{4k} */
        arb_sub_ui(want, e, 1, 128);
        arb_set_d(t, 2.25);
        arb_mul(want, want, t, 128);
        CHECK(arb_overlaps(L[1].V, want) && arb_rel_accuracy_bits(L[1].V) > 40,
              "gauss k=%g: V", ks[j]);
        /* v6 */
        arb_mul_si(want, k, 12, 128); arb_exp(want, want, 128);
        arb_submul_ui(want, e, 3, 128);
        arb_add_ui(want, want, 2, 128);
        arb_set_d(t, 3.375);
        arb_mul(want, want, t, 128);
        CHECK(arb_overlaps(L[1].v6, want), "gauss k=%g: v6", ks[j]);
        /* v8 */
        arb_mul_si(want, k, 24, 128); arb_exp(want, want, 128);
        arb_mul_si(t, k, 12, 128); arb_exp(t, t, 128);
        arb_submul_ui(want, t, 4, 128);
        arb_mul_si(t, k, 8, 128); arb_exp(t, t, 128);
        arb_submul_ui(want, t, 3, 128);
        arb_addmul_ui(want, e, 12, 128);
        arb_sub_ui(want, want, 6, 128);
        arb_set_d(t, 5.0625);
        arb_mul(want, want, t, 128);
        CHECK(arb_overlaps(L[1].v8, want), "gauss k=%g: v8", ks[j]);
    }
    neft_onen_layers_clear(L, 2);
    neft_onen_params_clear(par);
    fmpq_clear(q);
    arb_clear(k); arb_clear(e); arb_clear(t); arb_clear(want);
}

/* The depth of a net for the recursions (neft_net_set_depth_recursion): 1 to
   100000 with the widths reset to "not given", anything else refused with
   nothing changed; a depth-1 net has no hidden width. */
static void
test_depth(void)
{
    neft_net_t net;
    neft_net_init(net);
    CHECK(neft_net_set_depth_recursion(net, 1) == 0 && net->depth == 1
          && neft_net_width_si(net, 1) == 0, "depth 1");
    neft_net_set_width_si(net, 1, 5);   /* no hidden layer: ignored */
    CHECK(neft_net_width_si(net, 1) == 0, "depth 1 took a width");
    CHECK(neft_net_set_depth_recursion(net, 100000) == 0 && net->depth == 100000, "depth 1e5");
    neft_net_set_width_si(net, 99999, 7);
    CHECK(neft_net_width_si(net, 99999) == 7, "width of the last hidden layer");
    CHECK(neft_net_set_depth_recursion(net, 0) == -1 && neft_net_set_depth_recursion(net, 100001)
          == -1 && net->depth == 100000 && neft_net_width_si(net, 99999) == 7,
          "an out-of-range depth changed the net");
    CHECK(neft_net_set_depth_recursion(net, 3) == 0 && neft_net_width_si(net, 2) == 0,
          "the widths were not reset");
    neft_net_clear(net);
}

int
main(void)
{
    test_integrator();
    test_exact_vs_balls();
    test_writers();
    test_capabilities();
    test_gaussnet();
    test_depth();
    flint_cleanup();
    return neft_test_finish("t-onen");
}
