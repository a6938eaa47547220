/* The NTK at O(1/n) of three and more inputs (neft_onen_ntkm, src/onen/ntkm*.c):
   - coincident inputs (x0, x0, x1) reproduce neft_onen_ntk2's two-input
     table in every entry (tanh, relu, erf, sin, sigmoid at depth 3);
   - permuting three distinct inputs permutes every table (relu, sin at
     depth 3, erf at depth 2);
   - sampled finite-width nets (tests/ntk-sampler.h's hyper-dual pass, three
     inputs, two outputs) measure n E[dH_{011;a0a1a2} z_{0;a3}] -> P and
     n E[dH_{001;a0a1a2} z_{1;a3}] -> Q over all 81 ordered 4-tuples, relu and
     tanh at depth 2 (exact at every width: the expectations of three
     distinct inputs enter through F' and, for tanh, the dNTK's
     <sigma' sigma'' sigma' sigma>), within 4 errors; with "--quick" a
     quarter of the nets. */

#include <string.h>
#include "neft/onen.h"
#include "neft-test.h"
#include "ntk-sampler.h"
#include "onen/ntkm.h"

static double d_relu(double z) { return z > 0 ? z : 0; }
static double d_relu1(double z) { return z > 0 ? 1 : 0; }
static double d_relu2(double z) { (void) z; return 0; }
static double d_tanh(double z) { return tanh(z); }
static double d_tanh1(double z) { double c = cosh(z); return 1 / (c * c); }
static double d_tanh2(double z) { double c = cosh(z); return -2 * tanh(z) / (c * c); }

static double
mid(const arb_t x)
{
    return arf_get_d(arb_midref(x), ARF_RND_NEAR);
}

/* the four-factor expectations of src/onen/ntkm_gauss.c's three- and
   four-input methods (relu: Stein and orthant probabilities; erf: the
   reweighting with a matrix inverse; sin: exponentials; tanh, sigmoid: the
   grid's moments and the polynomials) applied to two distinct inputs,
   against the two-input code's pair data (closed forms, jets, the 2-D rule):
   every ordering of the factor types the recursion uses */
static void
test_generic(const char * act, const char * cw)
{
    static const int types[4][4] = {{0, 0, 0, 0}, {0, 0, 1, 1}, {1, 1, 1, 1}, {1, 2, 1, 0}};
    neft_onen_params_t par;
    ntkm_gauss_struct G;
    arb_ptr K = _arb_vec_init(4);
    arb_t a, b, cb;
    fmpq_t qb, qw;
    char err[256] = "";
    slong in[4], m, bad = 0, n = 0;
    int ty, p0, p1, p2, p3, dv[4];
    fmpq_init(qb); fmpq_init(qw);
    arb_init(a); arb_init(b); arb_init(cb);
    ntks_params(par, qb, qw, act, cw, "1/10", "1/2", "2", 3, 64, 0);
    arb_set_d(K + 0, 0.9);
    arb_set_d(K + 1, 0.3);
    arb_set_d(K + 2, 0.3);
    arb_set_d(K + 3, 0.7);
    _neft_onen_ntkm_gauss_init(&G, par->net, 2, 2, par->prec);
    CHECK(_neft_onen_ntkm_gauss_set(&G, K, 0, NULL, a, cb, err, sizeof err) == 0, "%s: %s",
          act, err);
    for (ty = 0; ty < 4; ty++)
        for (m = 1; m < 15; m++)    /* the inputs: both classes present */
            for (p0 = 0; p0 < 4; p0++)
                for (p1 = 0; p1 < 4; p1++)
                    for (p2 = 0; p2 < 4; p2++)
                        for (p3 = 0; p3 < 4; p3++)
                        {
                            int pp[4] = {p0, p1, p2, p3}, k, ok = 1;
                            for (k = 0; k < 4; k++)
                                ok = ok && pp[k] != pp[(k + 1) % 4] && pp[k] != pp[(k + 2) % 4];
                            if (!ok)
                                continue;
                            for (k = 0; k < 4; k++)
                            {
                                in[k] = (m >> k) & 1;
                                dv[k] = types[ty][pp[k]];
                            }
                            if (ty == 3 && !strcmp(act, "relu"))
                                continue;    /* sigma'' = 0 both ways */
                            CHECK(_neft_onen_ntkm_ex4(a, &G, in, dv, 1, err, sizeof err) == 0
                                  && _neft_onen_ntkm_ex4(b, &G, in, dv, 0, err, sizeof err)
                                  == 0, "%s: %s", act, err);
                            n++;
                            if (!arb_overlaps(a, b) || arb_rel_accuracy_bits(b) < 15)
                            {
                                bad++;
                                printf("%s: (%ld %ld %ld %ld) dv (%d %d %d %d): pair data "
                                       "%.12g, three-input method %.12g +/- %.2g\n", act,
                                       (long) in[0], (long) in[1], (long) in[2], (long) in[3],
                                       dv[0], dv[1], dv[2], dv[3], mid(a), mid(b),
                                       mag_get_d(arb_radref(b)));
                            }
                        }
    CHECK(bad == 0, "%s: %ld of %ld expectations of the three-input methods differ from the "
          "pair data", act, bad, n);
    printf("%s: %ld two-input expectations by the three-input methods agree with the pair "
           "data\n", act, n);
    _neft_onen_ntkm_gauss_clear(&G);
    fmpq_clear(qb); fmpq_clear(qw);
    arb_clear(a); arb_clear(b); arb_clear(cb);
    _arb_vec_clear(K, 4);
    neft_onen_params_clear(par);
}

/* (x0, x0, x1) against neft_onen_ntk2 at (x0, x1), every entry of every layer */
static void
test_reduce(const char * act, const char * cw)
{
    static const char * const x2[4] = {"1", "0", "3/10", "4/5"};
    static const char * const x3[6] = {"1", "0", "1", "0", "3/10", "4/5"};
    static const slong cm[3] = {0, 0, 1};
    const slong L = 3, k = 3;
    neft_onen_params_t par;
    neft_onen_ntk2_struct * T2 = neft_onen_ntk2_init(L);
    neft_onen_ntkm_t M;
    arb_ptr x = _arb_vec_init(6);
    fmpq_t qb, qw;
    char err[256] = "";
    slong l, a, b, c, d, bad = 0;
    fmpq_init(qb); fmpq_init(qw);
    ntks_params(par, qb, qw, act, cw, "1/10", "1/2", "2", L, 64, 0);
    neft_onen_ntkm_init(M, k, L);
    ntks_set_x(x, x2, 4, par->prec);
    CHECK(neft_onen_ntk2(T2, par, qb, qw, x, 2, err, sizeof err) == 0, "%s ntk2: %s", act, err);
    ntks_set_x(x, x3, 6, par->prec);
    CHECK(neft_onen_ntkm(M, par, qb, qw, x, k, 2, err, sizeof err) == 0, "%s ntkm: %s", act,
          err);
    for (l = 0; l < L; l++)
        for (a = 0; a < k; a++)
            for (b = 0; b < k; b++)
            {
                slong A = cm[a], B = cm[b], P2 = A + B, o2 = l * k * k + a * k + b;
                const neft_onen_ntk2_struct * t = T2 + l;
                bad += !arb_overlaps(M->K + o2, t->K + P2) + !arb_overlaps(M->theta + o2, t->theta + P2)
                       + !arb_overlaps(M->theta1 + o2, t->theta1 + P2)
                       + !arb_overlaps(M->G1 + o2, t->G1 + P2);
                for (c = 0; c < k; c++)
                    for (d = 0; d < k; d++)
                    {
                        slong C = cm[c], D = cm[d], Q2 = C + D;
                        slong o4 = l * k * k * k * k + ((a * k + b) * k + c) * k + d;
                        slong t4 = 8 * A + 4 * B + 2 * C + D;
                        bad += !arb_overlaps(M->V + o4, t->V + 3 * P2 + Q2)
                               + !arb_overlaps(M->A + o4, t->A + 3 * P2 + Q2)
                               + !arb_overlaps(M->D + o4, t->D + 3 * P2 + Q2)
                               + !arb_overlaps(M->B + o4, t->B + t4)
                               + !arb_overlaps(M->F + o4, t->F + t4)
                               + !arb_overlaps(M->P + o4, t->P + t4)
                               + !arb_overlaps(M->Q + o4, t->Q + t4);
                        if (l == L - 1 && a == 0 && b == 1 && c == 2 && d == 2)
                            printf("%s (x0, x0, x1) depth 3: P_0122 %.12g +/- %.2g, two-input "
                                   "P_0011 %.12g\n", act, mid(M->P + o4),
                                   mag_get_d(arb_radref(M->P + o4)), mid(t->P + t4));
                    }
            }
    CHECK(bad == 0, "%s: %ld entries of (x0, x0, x1) differ from the two-input table", act,
          bad);
    fmpq_clear(qb); fmpq_clear(qw);
    _arb_vec_clear(x, 6);
    neft_onen_ntkm_clear(M);
    neft_onen_ntk2_clear(T2, L);
    neft_onen_params_clear(par);
}

/* three distinct inputs and the same permuted (input a of the second run is
   input pm[a] of the first): every entry permuted */
static void
test_perm(const char * act, const char * cw, slong L)
{
    static const char * const xa[6] = {"1", "0", "3/10", "4/5", "-1/2", "3/5"};
    static const char * const xb[6] = {"-1/2", "3/5", "1", "0", "3/10", "4/5"};
    static const slong pm[3] = {2, 0, 1};
    const slong k = 3;
    neft_onen_params_t par;
    neft_onen_ntkm_t M, N;
    arb_ptr x = _arb_vec_init(6);
    fmpq_t qb, qw;
    char err[256] = "";
    slong l, a, b, c, d, bad = 0, kk = k * k;
    fmpq_init(qb); fmpq_init(qw);
    ntks_params(par, qb, qw, act, cw, "1/10", "1/2", "2", L, 64, 0);
    neft_onen_ntkm_init(M, k, L);
    neft_onen_ntkm_init(N, k, L);
    ntks_set_x(x, xa, 6, par->prec);
    CHECK(neft_onen_ntkm(M, par, qb, qw, x, k, 2, err, sizeof err) == 0, "%s: %s", act, err);
    ntks_set_x(x, xb, 6, par->prec);
    CHECK(neft_onen_ntkm(N, par, qb, qw, x, k, 2, err, sizeof err) == 0, "%s: %s", act, err);
    for (l = 0; l < L; l++)
        for (a = 0; a < k; a++)
            for (b = 0; b < k; b++)
            {
                slong o = l * kk + a * k + b, p = l * kk + pm[a] * k + pm[b];
                bad += !arb_overlaps(N->theta1 + o, M->theta1 + p)
                       + !arb_overlaps(N->G1 + o, M->G1 + p);
                for (c = 0; c < k; c++)
                    for (d = 0; d < k; d++)
                    {
                        slong o4 = l * kk * kk + ((a * k + b) * k + c) * k + d;
                        slong p4 = l * kk * kk + ((pm[a] * k + pm[b]) * k + pm[c]) * k + pm[d];
                        bad += !arb_overlaps(N->V + o4, M->V + p4)
                               + !arb_overlaps(N->A + o4, M->A + p4)
                               + !arb_overlaps(N->D + o4, M->D + p4)
                               + !arb_overlaps(N->B + o4, M->B + p4)
                               + !arb_overlaps(N->F + o4, M->F + p4)
                               + !arb_overlaps(N->P + o4, M->P + p4)
                               + !arb_overlaps(N->Q + o4, M->Q + p4);
                    }
            }
    CHECK(bad == 0, "%s: %ld entries not permuted with the inputs", act, bad);
    fmpq_clear(qb); fmpq_clear(qw);
    _arb_vec_clear(x, 6);
    neft_onen_ntkm_clear(M);
    neft_onen_ntkm_clear(N);
    neft_onen_params_clear(par);
}

typedef struct
{
    const char * act, * cw, * cb, * lb, * lw;
    ntks_fn_t f, f1, f2;
    int L, n, nets, min_resolved;
}
case_t;

/* sampled nets of width n, three inputs, two outputs: mean/se[t] of
   n dH_{011;a0a1a2} z_{0;a3} (-> P[t]) and [81 + t] of n dH_{001;a0a1a2}
   z_{1;a3} (-> Q[t]), symmetrised over the outputs, t = 27 a0 + 9 a1 + 3 a2 + a3 */
static void
measure(double * mean, double * se, const case_t * c, const double * x, int nets)
{
    enum { NP = 3, ND = 6, NT = 81 };
    static double sum[2 * NT], sum2[2 * NT];
    ntks_hd_t N;
    int k, e, L = c->L, n = c->n;
    memset(sum, 0, sizeof sum);
    memset(sum2, 0, sizeof sum2);
    ntks_hd_init(&N, L, n, 2, NP, 2, x);
    for (k = 0; k < nets; k++)
    {
        double M[NP][ND][ND][2];
        int al, a, b, t;
        ntks_hd_sample(&N, ntks_qd(c->cw), ntks_qd(c->cb), ntks_qd(c->lb), ntks_qd(c->lw),
                       c->f, c->f1);
        for (al = 0; al < NP; al++)
            for (a = 0; a < ND; a++)
                for (b = a; b < ND; b++)
                {
                    ntks_hd(M[al][a][b], &N, al, a, b, c->f1, c->f2);
                    M[al][b][a][0] = M[al][a][b][0];
                    M[al][b][a][1] = M[al][a][b][1];
                }
        /* direction (i, a) = NP i + a */
#define DH(i0, i1, i2, a0, a1, a2) (M[a1][NP * (i0) + (a0)][NP * (i2) + (a2)][i1] \
                                    + M[a2][NP * (i0) + (a0)][NP * (i1) + (a1)][i2])
        for (t = 0; t < NT; t++)
        {
            int a0 = t / 27, a1 = (t / 9) % 3, a2 = (t / 3) % 3, a3 = t % 3;
            double vp = n * (DH(0, 1, 1, a0, a1, a2) * N.n.z[a3][L][0]
                             + DH(1, 0, 0, a0, a1, a2) * N.n.z[a3][L][1]) / 2;
            double vq = n * (DH(0, 0, 1, a0, a1, a2) * N.n.z[a3][L][1]
                             + DH(1, 1, 0, a0, a1, a2) * N.n.z[a3][L][0]) / 2;
            sum[t] += vp; sum2[t] += vp * vp;
            sum[NT + t] += vq; sum2[NT + t] += vq * vq;
        }
#undef DH
    }
    for (e = 0; e < 2 * NT; e++)
    {
        mean[e] = sum[e] / nets;
        se[e] = sqrt(fmax(sum2[e] / nets - mean[e] * mean[e], 0) / (nets - 1));
    }
    ntks_hd_clear(&N);
}

static void
run_sampled(const case_t * c, int quick)
{
    static const char * const xs[6] = {"1", "0", "3/10", "4/5", "-1/2", "3/5"};
    const double x[6] = {1, 0, 0.3, 0.8, -0.5, 0.6};
    double pr[162], m[162], se[162], chi2 = 0, maxpull = 0;
    int e, resolved = 0, nets = quick ? c->nets / 4 : c->nets;
    neft_onen_params_t par;
    neft_onen_ntkm_t M;
    arb_ptr xb = _arb_vec_init(6);
    fmpq_t qb, qw;
    char err[256] = "";
    slong l4 = (c->L - 1) * 81;
    fmpq_init(qb); fmpq_init(qw);
    ntks_params(par, qb, qw, c->act, c->cw, c->cb, c->lb, c->lw, c->L, 64, 0);
    neft_onen_ntkm_init(M, 3, c->L);
    ntks_set_x(xb, xs, 6, par->prec);
    CHECK(neft_onen_ntkm(M, par, qb, qw, xb, 3, 2, err, sizeof err) == 0, "%s: %s", c->act,
          err);
    for (e = 0; e < 81; e++)
    {
        pr[e] = mid(M->P + l4 + e);
        pr[81 + e] = mid(M->Q + l4 + e);
    }
    measure(m, se, c, x, nets);
    for (e = 0; e < 162; e++)
    {
        double pull = se[e] > 0 ? (m[e] - pr[e]) / se[e] : 0;
        char name[8];
        snprintf(name, sizeof name, "%c%d%d%d%d", e < 81 ? 'P' : 'Q', (e % 81) / 27,
                 (e % 27) / 9, (e % 9) / 3, e % 3);
        chi2 += pull * pull;          /* se = 0: both exactly 0 (the check below) */
        maxpull = fmax(maxpull, fabs(pull));
        if (e == 5 || e == 21 || e == 81 + 5 || e == 81 + 15 || e == 81 + 21)
            printf("%s depth %d width %d, 3 inputs: dNTK %s measured %8.4f +/- %.4f, computed "
                   "%8.4f (pull %5.2f)\n", c->act, c->L, c->n, name, m[e], se[e], pr[e], pull);
        CHECK(fabs(m[e] - pr[e]) <= 4 * se[e], "%s depth %d width %d: dNTK %s measured %.4f "
              "+/- %.4f, computed %.4f", c->act, c->L, c->n, name, m[e], se[e], pr[e]);
        resolved += fabs(pr[e]) > 4 * se[e];
    }
    printf("%s depth %d width %d, 3 inputs, %d nets: 162 entries, chi2 %.1f, max |pull| %.2f, "
           "%d resolved\n", c->act, c->L, c->n, nets, chi2, maxpull, resolved);
    CHECK(resolved >= (quick ? c->min_resolved / 2 : c->min_resolved),
          "%s: only %d of 162 dNTK entries resolved", c->act, resolved);
    fmpq_clear(qb); fmpq_clear(qw);
    _arb_vec_clear(xb, 6);
    neft_onen_ntkm_clear(M);
    neft_onen_params_clear(par);
}

int
main(int argc, char ** argv)
{
    static const case_t cases[] = {
        {"relu", "2", "1/5", "1", "1", d_relu, d_relu1, d_relu2, 2, 8, 20000, 100},
        {"tanh", "3/2", "1/10", "1/2", "2", d_tanh, d_tanh1, d_tanh2, 2, 8, 20000, 100},
    };
    int i, quick = 0;
    for (i = 1; i < argc; i++)
        quick |= !strcmp(argv[i], "--quick");
    test_generic("relu", "2");
    test_generic("leaky-relu", "2");
    test_generic("erf", "3/2");
    test_generic("sin", "3/2");
    test_generic("tanh", "3/2");
    test_generic("sigmoid", "4");
    test_reduce("tanh", "3/2");
    test_reduce("relu", "2");
    test_reduce("erf", "3/2");
    test_reduce("sin", "3/2");
    test_reduce("sigmoid", "4");
    test_perm("relu", "2", 3);
    test_perm("sin", "3/2", 3);
    test_perm("erf", "3/2", 2);
    ntks_rng = 20261207;
    for (i = 0; i < 2; i++)
        run_sampled(cases + i, quick);
    flint_cleanup();
    return neft_test_finish("t-ntk2m");
}
