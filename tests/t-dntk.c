/* The dNTK of one input (neft_onen_ntk1_single's P and Q, src/onen/ntk_var.c)
   against sampled finite-width nets, with a sampler written here: per net
   the gradients u_a = Lambda grad z_a of the two outputs (backward pass) and
   the directional second derivatives M^i_ab = u_a^T (d^2 z_i / dtheta^2) u_b
   (a forward pass in hyper-dual numbers), so that

     dH_{i0 i1 i2} = sum_{mu nu} lambda_mu lambda_nu dz_{i0}/dmu
                     (d^2 z_{i1}/dmu dnu dz_{i2}/dnu + dz_{i1}/dnu d^2 z_{i2}/dmu dnu)
                   = M^{i1}_{i0 i2} + M^{i2}_{i0 i1},

   and with two outputs n E[dH_011 z_0] = P, n E[dH_001 z_1] = Q (n the last
   hidden width).  Depth 2 is exact at every width (the NTK of layer 1 is
   deterministic), so its pulls are tight; at depths 3 and 4 the O(1/n) remainder is
   estimated from a narrower run assuming a 1/n law (as t-ntk.c).  The net,
   its forward, backward and hyper-dual passes and the random numbers are the
   shared test sampler's (tests/ntk-sampler.h). */

#include <math.h>
#include <string.h>
#include "neft/onen.h"
#include "neft-test.h"
#include "ntk-sampler.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef double (*fn_t)(double);

static double d_relu(double z) { return z > 0 ? z : 0; }
static double d_relu1(double z) { return z > 0 ? 1 : 0; }
static double d_relu2(double z) { (void) z; return 0; }
static double d_tanh(double z) { return tanh(z); }
static double d_tanh1(double z) { double c = cosh(z); return 1 / (c * c); }
static double d_tanh2(double z) { double c = cosh(z); return -2 * tanh(z) / (c * c); }

#define NOUT 2

/* n E[dH_011 z_0] (-> P) and n E[dH_001 z_1] (-> Q) over nets, with their
   standard errors; both symmetrised over the two outputs. */
static void
measure(double * mean, double * se, int L, int n, int nets, double x, double cw, double cb,
        double lb, double lw, fn_t f, fn_t f1, fn_t f2)
{
    ntks_hd_t N;
    double sum[2] = {0, 0}, sum2[2] = {0, 0};
    int k, e;
    ntks_hd_init(&N, L, n, 1, 1, NOUT, &x);
    for (k = 0; k < nets; k++)
    {
        double M[3][NOUT], dH[2][2][2], z0, z1, v[2];
        int i0, i1, i2;
        ntks_hd_sample(&N, cw, cb, lb, lw, f, f1);
        ntks_hd(M[0], &N, 0, 0, 0, f1, f2);
        ntks_hd(M[1], &N, 0, 0, 1, f1, f2);
        ntks_hd(M[2], &N, 0, 1, 1, f1, f2);
        for (i0 = 0; i0 < 2; i0++)
            for (i1 = 0; i1 < 2; i1++)
                for (i2 = 0; i2 < 2; i2++)
                    dH[i0][i1][i2] = M[i0 + i2][i1] + M[i0 + i1][i2];
        z0 = N.n.z[0][L][0];
        z1 = N.n.z[0][L][1];
        v[0] = n * (dH[0][1][1] * z0 + dH[1][0][0] * z1) / 2;
        v[1] = n * (dH[0][0][1] * z1 + dH[1][1][0] * z0 + dH[0][1][0] * z1
                    + dH[1][0][1] * z0) / 4;
        for (e = 0; e < 2; e++)
        {
            sum[e] += v[e];
            sum2[e] += v[e] * v[e];
        }
    }
    for (e = 0; e < 2; e++)
    {
        mean[e] = sum[e] / nets;
        se[e] = sqrt((sum2[e] / nets - mean[e] * mean[e]) / (nets - 1));
    }
    ntks_hd_clear(&N);
}

/* P, Q of the top layer from the library, as doubles */
static void
theory(double * pq, const char * act, const char * cw, const char * cb, int L,
       const char * k1, const char * lb, const char * lw)
{
    neft_onen_params_t par;
    neft_onen_layer_struct * T;
    neft_onen_ntk1_struct * N;
    fmpq_t q, qb, qw;
    arb_t kb;

    fmpq_init(q); fmpq_init(qb); fmpq_init(qw);
    arb_init(kb);
    neft_onen_params_init(par);
    ntks_set_net(par, act, cw, cb, L, 128);
    neft_onen_parse_rational(q, k1);
    arb_set_fmpq(kb, q, 128);
    neft_onen_parse_rational(qb, lb);
    neft_onen_parse_rational(qw, lw);
    T = neft_onen_layers_init(L);
    N = neft_onen_ntk1_init(L);
    CHECK(neft_onen_single(T, par, kb) == 0, "%s: the layer table", act);
    CHECK(neft_onen_ntk1_single(N, T, par, qb, qw) == 0, "%s: the O(1/n) NTK", act);
    CHECK(arb_rel_accuracy_bits(N[L - 1].P) > 40 && arb_rel_accuracy_bits(N[L - 1].Q) > 40,
          "%s: P, Q balls too wide", act);
    pq[0] = arf_get_d(arb_midref(N[L - 1].P), ARF_RND_NEAR);
    pq[1] = arf_get_d(arb_midref(N[L - 1].Q), ARF_RND_NEAR);
    neft_onen_ntk1_clear(N, L);
    neft_onen_layers_clear(T, L);
    neft_onen_params_clear(par);
    fmpq_clear(q); fmpq_clear(qb); fmpq_clear(qw);
    arb_clear(kb);
}

typedef struct
{
    const char * act, * cw, * cb, * x, * k1, * lb, * lw;
    fn_t f, f1, f2;
    int L, n, nets, ns, nets_s;   /* ns = 0: exact at every width (depth 2) */
}
case_t;

static void
run_case(const case_t * c, int quick)
{
    static const char * const what[2] = {"P", "Q"};
    double pq[2], m[2], se[2], ms[2], ses[2], x = ntks_qd(c->x), cw = ntks_qd(c->cw),
           cb = ntks_qd(c->cb), lb = ntks_qd(c->lb), lw = ntks_qd(c->lw);
    int e, nets = quick ? c->nets / 4 : c->nets, nets_s = quick ? c->nets_s / 4 : c->nets_s;
    theory(pq, c->act, c->cw, c->cb, c->L, c->k1, c->lb, c->lw);
    measure(m, se, c->L, c->n, nets, x, cw, cb, lb, lw, c->f, c->f1, c->f2);
    if (c->ns > 0)
        measure(ms, ses, c->L, c->ns, nets_s, x, cw, cb, lb, lw, c->f, c->f1, c->f2);
    for (e = 0; e < 2; e++)
    {
        /* the next order at width n from the run at ns, a 1/n remainder */
        double next = c->ns > 0 ? (c->ns * (fabs(ms[e] - pq[e]) + 3 * ses[e])) / c->n : 0;
        printf("%s depth %d width %d: %s measured %.4f +/- %.4f, computed %.4f (pull %.1f, "
               "next order %.3f)\n", c->act, c->L, c->n, what[e], m[e], se[e], pq[e],
               (m[e] - pq[e]) / se[e], next);
        CHECK(fabs(m[e] - pq[e]) <= 4 * se[e] + next,
              "%s depth %d width %d: %s = %.4f +/- %.4f measured, %.4f computed (next %.3f)",
              c->act, c->L, c->n, what[e], m[e], se[e], pq[e], next);
        CHECK(fabs(pq[e]) > 4 * se[e] + next,
              "%s depth %d width %d: %s = %.4f is not resolved (error %.4f, next %.3f)",
              c->act, c->L, c->n, what[e], pq[e], se[e], next);
    }
}

int
main(int argc, char ** argv)
{
    int quick = argc > 1 && !strcmp(argv[1], "--quick"), i;
    /* x^2 = K^(1) - C_b when d_in = 1 and C_W = 1 at layer 1: the input x with
       K^(1) = C_b + C_W x^2 */
    static const case_t cases[] = {
        {"relu", "2", "0", "1", "2", "1", "1", d_relu, d_relu1, d_relu2, 2, 8, 40000, 0, 0},
        {"tanh", "3/2", "1/10", "1", "8/5", "1/2", "2", d_tanh, d_tanh1, d_tanh2, 2, 6,
         40000, 0, 0},
        {"relu", "2", "1/5", "1", "11/5", "1", "1", d_relu, d_relu1, d_relu2, 3, 48, 12000,
         12, 24000},
        {"tanh", "3/2", "1/10", "1", "8/5", "1/2", "2", d_tanh, d_tanh1, d_tanh2, 3, 48, 12000,
         12, 24000},
        /* depth 4: Q's B term (a third of Q) and P's recursion term */
        {"tanh", "3/2", "1/10", "1", "8/5", "1/2", "2", d_tanh, d_tanh1, d_tanh2, 4, 32, 12000,
         8, 12000},
    };
    ntks_rng = 20261206;
    for (i = 0; i < (int) (sizeof cases / sizeof cases[0]); i++)
        run_case(cases + i, quick);
    flint_cleanup();
    return neft_test_finish("t-dntk");
}
