/* Tests of the sample module: the normal generator's distribution, and the
   sampler's moments against a direct computation over the same nets. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/sample.h"
#include "neft-test.h"

static void
test_normals(void)
{
    const long n = 2000000;
    const double r = 3.6541528853610088;   /* the ziggurat's tail boundary */
    neft_sample_rng_t rng;
    double s1 = 0, s2 = 0, s4 = 0, x, p_tail, p_half, q;
    long i, tail = 0, below = 0;

    neft_sample_rng_seed(rng, 12345, 0);
    for (i = 0; i < n; i++)
    {
        x = neft_sample_rng_normal(rng);
        s1 += x;
        s2 += x * x;
        s4 += x * x * x * x;
        tail += fabs(x) > r;
        below += x < 0.5;
    }
    s1 /= n;
    s2 /= n;
    s4 /= n;
    CHECK(fabs(s1) < 5 / sqrt(n), "normal mean %g", s1);
    CHECK(fabs(s2 - 1) < 5 * sqrt(2.0 / n), "normal variance %g", s2);
    CHECK(fabs(s4 - 3) < 5 * sqrt(96.0 / n), "normal fourth moment %g", s4);
    p_tail = erfc(r / sqrt(2.0));
    q = (double) tail / n;
    CHECK(fabs(q - p_tail) < 5 * sqrt(p_tail / n), "tail |x| > R: %g vs %g", q, p_tail);
    p_half = 0.5 * erfc(-0.5 / sqrt(2.0));
    q = (double) below / n;
    CHECK(fabs(q - p_half) < 5 * sqrt(p_half * (1 - p_half) / n), "P(x < 0.5): %g vs %g",
          q, p_half);
    /* uniforms in [0, 1) */
    for (i = 0; i < 100000; i++)
    {
        x = neft_sample_rng_uniform(rng);
        CHECK(x >= 0 && x < 1, "uniform out of range: %g", x);
    }
}

/* The sampler's full moments equal the mean over the same nets, drawn here
   one by one with neft_sample_draw_net from the per-block streams. */
static void
test_direct(const char * activation, slong depth)
{
    const double xs[3] = {0.3, -0.7, 1.1};
    const uint64_t M = 1000;
    neft_sample_spec_t spec;
    neft_sample_opt_t opt;
    neft_sample_result_t res;
    neft_sample_rng_t rng;
    double * work, out[3];
    long double s2[3][3] = {{0}}, s4 = 0, s6 = 0;
    long double ta[3][3] = {{0}}, tq[3][3] = {{0}}, th[3][3] = {{0}};   /* |p|, p^2, p^4 */
    char err[256];
    uint64_t m;
    slong i, j, k;

    neft_sample_spec_init(spec);
    CHECK(neft_net_set_act_name(spec->net, activation, NULL, err, sizeof(err)) == NEFT_SUCCESS,
          "%s", err);
    spec->net->d_in = 1;
    neft_net_set_depth(spec->net, depth);
    for (i = 0; i < depth - 1; i++)
        neft_net_set_width_si(spec->net, i + 1, 3 + i);
    {
        fmpq_t c;
        fmpq_init(c);
        fmpq_set_si(c, 17, 10);   /* the doubles 1.7 and 0.2 */
        neft_net_set_cw(spec->net, c);
        fmpq_set_si(c, 1, 5);
        neft_net_set_cb(spec->net, c);
        fmpq_clear(c);
    }
    spec->models = M;
    spec->seed = 77;
    spec->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
    neft_sample_spec_set_points(spec, xs, 3);
    work = malloc(sizeof(double) * (size_t) neft_sample_work_size(spec));
    for (m = 0; m < M; m++)
    {
        if (m % NEFT_SAMPLE_BLOCK == 0)
            neft_sample_rng_seed(rng, spec->seed, m / NEFT_SAMPLE_BLOCK);
        neft_sample_draw_net(out, spec, rng, work);
        for (i = 0; i < 3; i++)
            for (j = 0; j < 3; j++)
            {
                long double p = (long double) out[i] * out[j];
                s2[i][j] += p;
                ta[i][j] += fabsl(p);
                tq[i][j] += p * p;
                th[i][j] += p * p * p * p;
            }
        s4 += (long double) out[0] * out[1] * out[1] * out[2];
        s6 += (long double) out[0] * out[0] * out[0] * out[1] * out[2] * out[2];
    }
    free(work);

    neft_sample_opt_init(opt);
    opt->threads = 2;
    neft_sample_result_init(res);
    CHECK(neft_sample_run(res, spec, opt, err, sizeof(err)) == NEFT_SAMPLE_SUCCESS, "run: %s", err);
    CHECK(res->models == M, "models");
    for (k = 0; k < res->length; k++)
    {
        const neft_sample_corr_struct * c = res->corr + k;
        long double want;
        if (c->npt == 2)
            want = s2[c->idx[0]][c->idx[1]] / M;
        else if (c->npt == 4 && c->idx[0] == 0 && c->idx[1] == 1 && c->idx[2] == 1 && c->idx[3] == 2)
            want = s4 / M;
        else if (c->npt == 6 && c->idx[0] == 0 && c->idx[2] == 0 && c->idx[3] == 1
                 && c->idx[4] == 2 && c->idx[5] == 2)
            want = s6 / M;
        else
            continue;
        CHECK(fabsl(c->full.mean - want) <= 1e-13L * fabsl(want) + 1e-300L,
              "%s depth %ld: npt %ld moment %.17g vs direct %.17Lg",
              activation, (long) depth, (long) c->npt,
              c->full.mean, want);
        CHECK(c->full.stderr_ > 0 && isfinite(c->full.stderr_), "stderr");
        if (c->npt == 2)
        {
            /* the tail diagnostics from the same nets (neft/sample.h) */
            const slong a = c->idx[0], b = c->idx[1];
            long double var = (tq[a][b] - s2[a][b] * s2[a][b] / M) / (M - 1);
            double se = (double) sqrtl(var / M), ess = (double) (ta[a][b] * ta[a][b] / tq[a][b]);
            double essv = (double) (tq[a][b] * tq[a][b] / th[a][b]);
            unsigned want_flags = (essv < NEFT_SAMPLE_MIN_ESS_VAR ? NEFT_SAMPLE_FLAG_FEW_DRAWS : 0)
                | (c->full.stderr_ > NEFT_SAMPLE_MAX_SE_RATIO * se
                   || se > NEFT_SAMPLE_MAX_SE_RATIO * c->full.stderr_ ? NEFT_SAMPLE_FLAG_DISAGREE : 0);
            CHECK(c->connected.mean == c->full.mean, "connected 2-pt = full");
            CHECK(fabs(c->tails.stderr_iid - se) <= 1e-9 * se, "%s: stderr_iid %.17g vs %.17g",
                  activation, c->tails.stderr_iid, se);
            CHECK(fabs(c->tails.ess - ess) <= 1e-9 * ess, "%s: ess %.17g vs %.17g", activation,
                  c->tails.ess, ess);
            CHECK(fabs(c->tails.ess_var - essv) <= 1e-9 * essv, "%s: ess_var %.17g vs %.17g",
                  activation, c->tails.ess_var, essv);
            CHECK(c->full.flags == want_flags && (c->connected.flags & want_flags) == want_flags,
                  "%s: flags %u, %u, want %u", activation, c->full.flags, c->connected.flags,
                  want_flags);
        }
    }
    /* the connected 4-point function of (0,1,1,2) from the full ones */
    for (k = 0; k < res->length; k++)
    {
        const neft_sample_corr_struct * c = res->corr + k;
        if (c->npt == 4 && c->idx[0] == 0 && c->idx[1] == 1 && c->idx[2] == 1 && c->idx[3] == 2)
        {
            double g = s4 / M - (s2[0][1] * s2[1][2] / M / M) * 2 - s2[0][2] * s2[1][1] / M / M;
            CHECK(fabs(c->connected.mean - g) < 1e-12 * (fabs(g) + fabs((double) (s4 / M))),
                  "connected (0,1,1,2): %.17g vs %.17g", c->connected.mean, g);
        }
    }
    neft_sample_result_clear(res);
    neft_sample_spec_clear(spec);
}

/* neft_sample_spec_cost: linear in the models, the same per model, at least
   one operation per weight and model, and the memory at least the work
   space of every thread (what neft_sample_run allocates per worker). */
static void
test_cost(void)
{
    neft_sample_spec_t spec;
    double x[3] = {0.5, -1.0, 2.0}, ops1, ops2, b1, b2, pm1, pm2, weights;
    slong threads;

    neft_sample_spec_init(spec);
    spec->net->act = neft_act_lookup("tanh");
    neft_net_set_depth(spec->net, 3);
    neft_net_set_width_si(spec->net, 1, 30);
    neft_net_set_width_si(spec->net, 2, 40);
    neft_sample_spec_set_points(spec, x, 3);
    weights = 30 * 2 + 40 * 31 + 41;
    for (threads = 1; threads <= 4; threads++)
    {
        spec->models = 25600;
        neft_sample_spec_cost(&ops1, &b1, &pm1, spec, threads);
        spec->models = 51200;
        neft_sample_spec_cost(&ops2, &b2, &pm2, spec, threads);
        CHECK(pm1 == pm2 && pm1 >= weights, "per model %g, %g (%g weights)", pm1, pm2, weights);
        CHECK(ops1 >= 25600 * pm1 && ops2 >= 51200 * pm2, "ops below models x per model");
        CHECK(fabs(ops2 / ops1 - 2) < 0.01, "ops not linear in the models: %g, %g", ops1, ops2);
        CHECK(b1 == b2, "memory depends on the number of models: %g, %g", b1, b2);
        CHECK(b1 >= (double) threads * sizeof(double) * (double) neft_sample_work_size(spec),
              "memory %g below %ld work spaces of %ld doubles", b1, (long) threads,
              (long) neft_sample_work_size(spec));
    }
    neft_sample_spec_clear(spec);
}

/* The cost model reads the row's cost_d: with one hidden layer of N units at
   P points, the per-model cost of a row exceeds linear's by (cost_d - 1) N P;
   every row has a cost of at least one multiply-add. */
static void
test_cost_rows(void)
{
    neft_sample_spec_t spec;
    double x[2] = {0.5, -1.0}, ops, bytes, pm, pm_linear;
    slong i;

    neft_sample_spec_init(spec);
    neft_net_set_width_si(spec->net, 1, 7);
    neft_sample_spec_set_points(spec, x, 2);
    spec->models = 1024;
    spec->net->act = neft_act_lookup("linear");
    neft_sample_spec_cost(&ops, &bytes, &pm_linear, spec, 1);
    for (i = 0; i < neft_act_count(); i++)
    {
        neft_act_srcptr act = neft_act_get(i);
        CHECK(act->cost_d >= 1 && isfinite(act->cost_d), "%s: cost_d %g", act->name,
              act->cost_d);
        spec->net->act = act;
        neft_sample_spec_cost(&ops, &bytes, &pm, spec, 1);
        CHECK(pm - pm_linear == (act->cost_d - 1) * 7 * 2, "%s: per model %g, linear %g",
              act->name, pm, pm_linear);
    }
    neft_sample_spec_clear(spec);
}

/* Statuses of the check and of the run: every row of the table is drawn at
   depth 2; GaussNet deeper is NEFT_UNSUPPORTED with a reason naming it; no
   activation is NEFT_BAD_INPUT; a slope reaches the nets (leaky-relu with
   slope 1 is linear, bit for bit). */
static void
test_statuses(void)
{
    neft_sample_spec_t spec;
    neft_sample_opt_t opt;
    neft_sample_result_t res;
    neft_sample_rng_t rng;
    double x[2] = {0.5, -1.0}, out[2], out1[2], * work;
    char err[256];
    slong i;

    neft_sample_spec_init(spec);
    neft_net_set_width_si(spec->net, 1, 3);
    neft_sample_spec_set_points(spec, x, 2);
    spec->models = 2 * NEFT_SAMPLE_BLOCK;
    for (i = 0; i < neft_act_count(); i++)
    {
        spec->net->act = neft_act_get(i);
        CHECK(neft_sample_spec_check(spec, err, sizeof(err)) == NEFT_SUCCESS, "%s: %s",
              spec->net->act->name, err);
    }
    neft_net_set_act_name(spec->net, "gauss", NULL, err, sizeof(err));
    neft_net_set_depth(spec->net, 3);
    neft_net_set_widths_all_si(spec->net, 3);
    CHECK(neft_sample_spec_check(spec, err, sizeof(err)) == NEFT_UNSUPPORTED
          && strstr(err, "gauss") != NULL && strstr(err, "depth 2") != NULL,
          "gauss depth 3: %s", err);
    neft_sample_opt_init(opt);
    opt->threads = 1;
    neft_sample_result_init(res);
    CHECK(neft_sample_run(res, spec, opt, err, sizeof(err)) == NEFT_SAMPLE_UNSUPPORTED
          && res->length == 0, "run of gauss depth 3");
    spec->net->act = NULL;
    CHECK(neft_sample_spec_check(spec, err, sizeof(err)) == NEFT_BAD_INPUT, "no activation");
    CHECK(neft_sample_run(res, spec, opt, err, sizeof(err)) == NEFT_SAMPLE_BAD_INPUT,
          "run without activation");
    neft_sample_result_clear(res);

    /* leaky-relu of slope 1 draws the linear nets; of slope 1/100 others */
    neft_net_set_depth(spec->net, 3);
    neft_net_set_widths_all_si(spec->net, 4);
    work = flint_malloc(sizeof(double) * (size_t) neft_sample_work_size(spec));
    spec->net->act = neft_act_lookup("linear");
    neft_sample_rng_seed(rng, 5, 0);
    neft_sample_draw_net(out1, spec, rng, work);
    neft_net_set_act_name(spec->net, "leaky-relu", "1", err, sizeof(err));
    neft_sample_rng_seed(rng, 5, 0);
    neft_sample_draw_net(out, spec, rng, work);
    CHECK(out[0] == out1[0] && out[1] == out1[1], "leaky-relu slope 1 vs linear: %g %g, %g %g",
          out[0], out[1], out1[0], out1[1]);
    neft_net_set_act_name(spec->net, "leaky-relu", NULL, err, sizeof(err));
    neft_sample_rng_seed(rng, 5, 0);
    neft_sample_draw_net(out, spec, rng, work);
    CHECK(out[0] != out1[0] || out[1] != out1[1], "leaky-relu slope 1/100 drew the linear net");
    flint_free(work);
    neft_sample_spec_clear(spec);
}

/* neft_net_set_hyper_text: the DECIMAL grammar, exactly ("0.2" is 1/5; a hex
   float its double); C_W overrides sigma_w; negatives and junk refused. */
static void
test_hyper_text(void)
{
    neft_net_t net;
    fmpq_t q;
    char err[256];
    neft_net_init(net);
    fmpq_init(q);
    CHECK(neft_net_set_hyper_text(net, "0.2", "0x1.8p0", NULL, NULL, err, sizeof(err))
          == NEFT_SUCCESS, "%s", err);
    fmpq_set_si(q, 1, 25);
    CHECK(fmpq_equal(net->cw, q) && net->sw_given, "C_W of sigma_w 0.2");
    fmpq_set_si(q, 9, 4);
    CHECK(fmpq_equal(net->cb, q), "C_b of sigma_b 0x1.8p0");
    CHECK(neft_net_cw_d(net) == 0.2 * 0.2 && neft_net_sw_d(net) == 0.2, "double views");
    CHECK(neft_net_set_hyper_text(net, "3", NULL, "1.7", NULL, err, sizeof(err))
          == NEFT_SUCCESS && !net->sw_given && neft_net_cw_d(net) == 1.7
          && neft_net_sw_d(net) == sqrt(1.7) && neft_net_cb_d(net) == 0, "--cw overrides");
    CHECK(neft_net_set_hyper_text(net, "-1", NULL, NULL, NULL, err, sizeof(err))
          == NEFT_BAD_INPUT && strstr(err, "sigma_w") != NULL, "negative: %s", err);
    CHECK(neft_net_set_hyper_text(net, NULL, NULL, NULL, "1/2", err, sizeof(err))
          == NEFT_BAD_INPUT && strstr(err, "C_b") != NULL, "a fraction: %s", err);
    CHECK(neft_net_cw_d(net) == 1.7, "a refused text changed the net");
    CHECK(neft_net_set_sigma_d(net, 0.1, 0.3) == 0 && neft_net_sw_d(net) == 0.1
          && neft_net_cw_d(net) == 0.1 * 0.1 && neft_net_cb_d(net) == 0.3 * 0.3,
          "set_sigma_d: the doubles exactly");
    CHECK(neft_net_set_sigma_d(net, NAN, 0) == -1, "set_sigma_d of NaN");
    fmpq_clear(q);
    neft_net_clear(net);
}

/* The flag rules of neft_sample_tails on sums made up here: a constant
   value, one dominating draw, errors that disagree, an overflow, missing
   tail sums. */
static void
test_tails_flags(void)
{
    neft_sample_tails_struct t;
    unsigned f;
    f = neft_sample_tails(&t, 1000, 1000, 1000, 1000, 1000, 0.0, 0);
    CHECK(f == 0 && t.stderr_iid == 0 && t.ess == 1000 && t.ess_var == 1000,
          "constant: flags %u, se %g, ess %g, ess_var %g", f, t.stderr_iid, t.ess, t.ess_var);
    /* one draw of 1000 among 1000 zeros: one draw carries everything */
    f = neft_sample_tails(&t, 1e3, 1e3, 1e6, 1e12, 1000, 1.0, 0);
    CHECK(f == NEFT_SAMPLE_FLAG_FEW_DRAWS && t.ess == 1 && t.ess_var == 1,
          "one draw: flags %u, ess %g, ess_var %g", f, t.ess, t.ess_var);
    /* Gaussian-like sums (variance 1, kurtosis 3): se_iid = 0.0316 */
    f = neft_sample_tails(&t, 0, 800, 1000, 3000, 1000, 0.03, 0);
    CHECK(f == 0 && fabs(t.stderr_iid - sqrt(1000.0 / 999 / 1000)) < 1e-15
          && fabs(t.ess_var - 1000.0 / 3) < 1e-9, "gaussian: flags %u, se %g", f, t.stderr_iid);
    f = neft_sample_tails(&t, 0, 800, 1000, 3000, 1000, 0.1, 0);
    CHECK(f == NEFT_SAMPLE_FLAG_DISAGREE, "jackknife 3x the iid error: flags %u", f);
    f = neft_sample_tails(&t, 0, 800, 1000, 3000, 1000, 0.01, 0);
    CHECK(f == NEFT_SAMPLE_FLAG_DISAGREE, "jackknife a third of the iid error: flags %u", f);
    f = neft_sample_tails(&t, 0, 800, 1000, HUGE_VAL, 1000, 0.03, 0);
    CHECK(f == NEFT_SAMPLE_FLAG_NONFINITE, "overflow: flags %u", f);
    f = neft_sample_tails(&t, 0, 800, 1000, 3000, 1000, 0.03, 1);
    CHECK(f == NEFT_SAMPLE_FLAG_UNKNOWN && isnan(t.stderr_iid) && isnan(t.ess_var),
          "missing: flags %u", f);
    CHECK(!strcmp(neft_sample_flag_name(NEFT_SAMPLE_FLAG_FEW_DRAWS), "few-draws")
          && neft_sample_flag_name(16) == NULL, "flag names");
    {
        char buf[64];
        CHECK(!strcmp(neft_sample_flags_str(buf, sizeof buf, NEFT_SAMPLE_FLAG_FEW_DRAWS
                                            | NEFT_SAMPLE_FLAG_UNKNOWN, ", ", "\""),
                      "\"few-draws\", \"unknown\"")
              && !strcmp(neft_sample_flags_str(buf, sizeof buf, 0, "+", ""), "")
              && !strcmp(neft_sample_flags_str(buf, 5, NEFT_SAMPLE_FLAG_DISAGREE, "+", ""),
                         "disa"), "flags_str: '%s'", buf);
    }
    CHECK(neft_sample_estimator_from_name("conditional") == NEFT_SAMPLE_ESTIMATOR_CONDITIONAL
          && neft_sample_estimator_from_name("x") == -1, "estimator names");
}

int
main(void)
{
    test_tails_flags();
    test_cost();
    test_cost_rows();
    test_statuses();
    test_hyper_text();
    test_normals();
    test_direct("relu", 2);
    test_direct("erf", 2);
    test_direct("gauss", 2);
    test_direct("tanh", 4);
    return neft_test_finish("t-sample");
}
