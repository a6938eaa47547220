/* The dNTK split and the ddNTK of several inputs (neft_onen_ddntkm,
   src/onen/ddntk_multi.c; docs/onen.md, "The ddNTK", "Several inputs"):

   0. the ddNTK's higher four-factor expectations of src/onen/ntkm_gauss.c
      (two sigma'' or one sigma''') against a trapezoid rule in doubles
      (tanh, sigmoid at two classes, three with "--hi", which runs only
      these; erf, sin at three);
   1. the split sums to neft_onen_ntkm's dNTK, P_abcd = beta_abcd + beta_acbd
      and Q_abcd = beta_cbad + alpha_acbd, in every entry (relu, sin: three
      distinct inputs; tanh, erf: two; depth 3; beta and alpha have their
      own recursions, so this checks the split's indexing against ntkm.c's);
   1b. ddII's symmetry S, T, U_abcd = S, T, U_badc and ddI's R_abcd =
      R_abdc (relu, leaky-relu, sin: three inputs, depth 4; tanh, erf: two,
      depth 4; sigmoid: two, depth 3);
   2. the diagonal: with two distinct inputs the entries (aaaa) of beta,
      alpha, R, S, T, U are the one-input P/2, Q - P/2, R, S, T, U of
      neft_onen_ntk1_single / neft_onen_ddntk_single at x_a (relu,
      leaky-relu, tanh, erf, sin depth 4; sigmoid depth 3), and with two
      equal inputs every entry is (all six tables: tanh, relu, leaky-relu
      depth 4, erf, sin depth 3; the piecewise-linear rows' second class
      neft_onen_ntkm moves off the input's ray, the smooth rows' is not
      read);
   3. sampled nets (tests/ntk-sampler.h's hyper-dual forward and backward
      passes at each input, two outputs i, j, inputs (1, 0), (0.6, 0.8) and
      for three inputs also (-0.5, 0.6)):
      n E[M^(j;b)_(i a)(j c) z_(i;d)] -> beta, n E[M^(j;b)_(i a)(i c) z_(j;d)]
      -> alpha, n E[(d^2 z_(i;a)) u_(j;c) . Lambda (d^2 z_(i;b)) u_(j;d)] -> S
      and likewise T, U, and d^3 z_(i;a)[u_(i;b), u_(j;b), u_(j;d)] -> R_abbd,
      all tuples (both assignments of i, j averaged): relu and leaky-relu
      (slope 1/5) at depth 2 (exact at every width; every pull below 4),
      relu at depth 3 (widths 16 and 32 extrapolated as a + c/n, within 4
      errors), relu with three inputs at depth 2 (S, T there are ntkm's
      three-input B', F', which its own test does not sample); tanh, erf,
      sin, sigmoid at depth 2 (all six tables) and tanh at depth 3 (widths
      16, 32, a + c/n).  "--quick": fewer nets.
      `t-ddntkm --bench N L W [relu|tanh|erf|sin|linear [k]]` prints
      the sampled table (docs/onen.md; depth > 2: N nets at width W, N/2 at
      2W, N/4 at 4W and both fits, no pass/fail); k = 2, 3 or 4 inputs, R
      at every (b, c), and at depth > 2 the NTK's covariance n Cov(H_ab,
      H_cd) of one output against A_(ab)(cd) + B_abcd + B_abdc
      (docs/train-theory.md, "Any depth": four distinct inputs). */

#include <string.h>
#include "neft/onen.h"
#include "neft-test.h"
#include "ntk-sampler.h"
#include "onen/ntkm.h"

static const ntks_act_t RELU = {"relu", ntks_r0, ntks_r1, ntks_zero, ntks_zero},
                        TANH = {"tanh", ntks_t0, ntks_t1, ntks_t2, ntks_t3},
                        LEAKY = {"leaky-relu", ntks_l0, ntks_l1, ntks_zero, ntks_zero},
                        ERF = {"erf", ntks_e0, ntks_e1, ntks_e2, ntks_e3},
                        SIN = {"sin", ntks_s0, ntks_s1, ntks_s2, ntks_s3},
                        SIGM = {"sigmoid", ntks_g0, ntks_g1, ntks_g2, ntks_g3},
                        LINEAR = {"linear", ntks_id0, ntks_id1, ntks_zero, ntks_zero};

enum { Q_BETA, Q_ALPHA, Q_R, Q_S, Q_T, Q_U, Q_N };
static const char * const qname[Q_N] = {"beta", "alpha", "R", "S", "T", "U"};

#define NK 2                    /* inputs of the diagonal checks */
#define T4 (NK * NK * NK * NK)
#define MAXK 4                  /* inputs of the sampled checks: nk = 2, 3 or 4 */
#define MAXT4 256

static int nk = 2;
static int all_r = 0;           /* sample R at every (b, c), not only b = c (--bench) */
/* --bench: n (H_ab - Theta_ab)(H_cd - Theta_cd) of one output neuron (the NTK's
   covariance A_(ab)(cd) + B_abcd + B_abdc), its mean and error per width */
static double cov_th[MAXK * MAXK], cov_pred[MAXT4], cov_mean[MAXT4], cov_se[MAXT4];
static const double XSAMP[2 * MAXK] = {1, 0, 0.6, 0.8, -0.5, 0.6, 0, 1};
static const char * const XSSAMP[2 * MAXK] = {"1", "0", "3/5", "4/5", "-1/2", "3/5", "0", "1"};

/* the digits (a b c d) of the tuple t */
#define TUP(t) (int) ((t) / (nk * nk * nk)), (int) (((t) / (nk * nk)) % nk), \
               (int) (((t) / nk) % nk), (int) ((t) % nk)

/* D and T of the net at the k inputs xs (k d_in rationals) */
static void
compute(neft_onen_ddntkm_t D, neft_onen_ntkm_t T, const char * act, const char * cw,
        const char * cb, const char * lb, const char * lw, slong L, const char * const * xs,
        slong k, slong d_in, int rstu)
{
    neft_onen_params_t par;
    fmpq_t qb, qw;
    arb_ptr x = _arb_vec_init(k * d_in);
    char err[256] = "";
    fmpq_init(qb); fmpq_init(qw);
    ntks_params(par, qb, qw, act, cw, cb, lb, lw, L, 128, 1);
    ntks_set_x(x, xs, k * d_in, 128);
    neft_onen_ntkm_init(T, k, L);
    neft_onen_ddntkm_init(D, k, L);
    if (neft_onen_ddntkm(D, T, par, qb, qw, x, k, d_in, rstu, err, sizeof err))
        FAIL("%s: neft_onen_ddntkm: %s", act, err);
    _arb_vec_clear(x, k * d_in);
    fmpq_clear(qb); fmpq_clear(qw);
    neft_onen_params_clear(par);
}

/* a ball narrow enough for an overlap to mean something (16 bits, or
   radius below 2^-20: the smooth rows' grid rules leave radii ~1e-7 on
   entries near 0) */
static int
sharp(const arb_t x)
{
    return arb_rel_accuracy_bits(x) >= 16 || mag_cmp_2exp_si(arb_radref(x), -20) < 0;
}

/* 1b. ddII's symmetry (i1, i3) <-> (i2, i4): S, T, U_abcd = S, T, U_badc,
   and ddI's in its last two slots (both on neuron j): R_abcd = R_abdc (k
   inputs, every layer; the step imposes neither: the X.Z and Z.X terms of
   T' map onto each other only with the inputs in place, and so do the
   X.Y, Y.X, Y.Z, Z.Y terms of the smooth rows) */
static void
check_symmetry(const char * act, const char * cw, const char * cb, const char * lb,
               const char * lw, slong L, slong k)
{
    static const char * const xs[6] = {"1", "0", "3/10", "4/5", "-1/2", "3/5"};
    neft_onen_ntkm_t T;
    neft_onen_ddntkm_t D;
    slong k4 = k * k * k * k, l, a, b, c, d, q, nz = 0;
    compute(D, T, act, cw, cb, lb, lw, L, xs, k, 2, 1);
    for (l = 1; l < L; l++)
        for (a = 0; a < k; a++)
            for (b = 0; b < k; b++)
                for (c = 0; c < k; c++)
                    for (d = 0; d < k; d++)
                        for (q = 0; q < 4; q++)
                        {
                            arb_srcptr m = q == 0 ? D->S : q == 1 ? D->T : q == 2 ? D->U : D->R;
                            slong o = l * k4 + ((a * k + b) * k + c) * k + d;
                            slong o2 = q < 3 ? l * k4 + ((b * k + a) * k + d) * k + c
                                             : l * k4 + ((a * k + b) * k + d) * k + c;
                            nz += !arb_contains_zero(m + o);
                            if (!arb_overlaps(m + o, m + o2) || !sharp(m + o))
                                FAIL("%s layer %ld: %c_%ld%ld%ld%ld = %s, %c_%ld%ld%ld%ld = %s",
                                     act, l + 1, "STUR"[q], a, b, c, d,
                                     arb_get_str(m + o, 10, 0), "STUR"[q],
                                     q < 3 ? b : a, q < 3 ? a : b, d, c,
                                     arb_get_str(m + o2, 10, 0));
                        }
    printf("  %s depth %ld, %ld inputs: S, T, U_abcd = S, T, U_badc, R_abcd = R_abdc in all "
           "%ld entries (%ld nonzero)\n", act, L, k, 4 * (L - 1) * k4, nz);
    neft_onen_ddntkm_clear(D);
    neft_onen_ntkm_clear(T);
}

/* 1. P, Q from the split (k = 2 or 3 inputs) */
static void
check_split(const char * act, const char * cw, const char * cb, const char * lb,
            const char * lw, slong L, slong k)
{
    static const char * const xs[6] = {"1", "0", "3/10", "4/5", "-1/2", "3/5"};
    neft_onen_ntkm_t T;
    neft_onen_ddntkm_t D;
    slong k4 = k * k * k * k, l, a, b, c, d, n = 0;
    arb_t s;
    arb_init(s);
    compute(D, T, act, cw, cb, lb, lw, L, xs, k, 2, 0);
    for (l = 1; l < L; l++)
        for (a = 0; a < k; a++)
            for (b = 0; b < k; b++)
                for (c = 0; c < k; c++)
                    for (d = 0; d < k; d++)
                    {
                        slong o = l * k4 + ((a * k + b) * k + c) * k + d;
                        slong acbd = l * k4 + ((a * k + c) * k + b) * k + d;
                        slong cbad = l * k4 + ((c * k + b) * k + a) * k + d;
                        arb_add(s, D->beta + o, D->beta + acbd, 128);
                        if (!arb_overlaps(s, T->P + o) || !sharp(s))
                            FAIL("%s layer %ld P_%ld%ld%ld%ld: split sums to %s, P = %s", act,
                                 l + 1, a, b, c, d, arb_get_str(s, 10, 0),
                                 arb_get_str(T->P + o, 10, 0));
                        arb_add(s, D->beta + cbad, D->alpha + acbd, 128);
                        if (!arb_overlaps(s, T->Q + o) || !sharp(s))
                            FAIL("%s layer %ld Q_%ld%ld%ld%ld: split sums to %s, Q = %s", act,
                                 l + 1, a, b, c, d, arb_get_str(s, 10, 0),
                                 arb_get_str(T->Q + o, 10, 0));
                        n += !arb_contains_zero(D->alpha + o);
                    }
    printf("  %s depth %ld, %ld inputs: P = beta + beta, Q = beta + alpha in all %ld entries "
           "(alpha resolved in %ld)\n", act, L, k, 2 * (L - 1) * k4, n);
    neft_onen_ddntkm_clear(D);
    neft_onen_ntkm_clear(T);
    arb_clear(s);
}

static void
overlap_or_fail(const arb_t m, const arb_t one, const char * what, const char * act, slong l)
{
    if (!arb_overlaps(m, one) || !sharp(m))
        FAIL("%s layer %ld %s: several inputs %s, one input %s", act, l + 1, what,
             arb_get_str(m, 15, 0), arb_get_str(one, 15, 0));
}

/* 2. the diagonal entries against the one-input tables; same: two equal
   inputs (every entry) */
static void
check_diagonal(const char * act, const char * cw, const char * cb, const char * lb,
               const char * lw, slong L, int same, int rstu)
{
    static const char * const xd[4] = {"1", "0", "3/5", "6/5"}, * const xe[4] = {"3/5",
                                                                            "6/5", "3/5", "6/5"};
    neft_onen_ntkm_t T;
    neft_onen_ddntkm_t D;
    neft_onen_params_t par;
    fmpq_t qb, qw;
    slong a, l, t, k4 = T4;
    arb_t h;
    arb_init(h);
    compute(D, T, act, cw, cb, lb, lw, L, same ? xe : xd, NK, 2, rstu);
    fmpq_init(qb); fmpq_init(qw);
    ntks_params(par, qb, qw, act, cw, cb, lb, lw, L, 128, 1);
    for (a = 0; a < NK; a++)
    {
        neft_onen_layer_struct * Ls = neft_onen_layers_init(L);
        neft_onen_ntk1_struct * N1 = neft_onen_ntk1_init(L);
        neft_onen_ddntk_struct * D1 = neft_onen_ddntk_init(L);
        if (neft_onen_single(Ls, par, T->K + a * NK + a)
            || neft_onen_ntk1_single(N1, Ls, par, qb, qw)
            || (rstu && neft_onen_ddntk_single(D1, Ls, par, qb, qw)))
            FAIL("%s: the one-input tables failed", act);
        for (l = 1; l < L; l++)
            for (t = 0; t < k4; t++)
            {
                slong o = l * k4 + t;
                if (!same && t != a * (NK * NK * NK + NK * NK + NK + 1))
                    continue;
                if (same && a == 1)
                    break;
                arb_mul_2exp_si(h, N1[l].P, -1);
                overlap_or_fail(D->beta + o, h, "beta", act, l);
                arb_sub(h, N1[l].Q, h, 128);
                overlap_or_fail(D->alpha + o, h, "alpha", act, l);
                if (!rstu)
                    continue;
                overlap_or_fail(D->R + o, D1[l].R, "R", act, l);
                overlap_or_fail(D->S + o, D1[l].S, "S", act, l);
                overlap_or_fail(D->T + o, D1[l].T, "T", act, l);
                overlap_or_fail(D->U + o, D1[l].U, "U", act, l);
            }
        if (!same)
        {
            char * str[4];
            str[0] = arb_get_str(D->S + (L - 1) * k4 + a * 15, 8, ARB_STR_NO_RADIUS);
            str[1] = arb_get_str(D->T + (L - 1) * k4 + a * 15, 8, ARB_STR_NO_RADIUS);
            str[2] = arb_get_str(D1[L - 1].S, 8, ARB_STR_NO_RADIUS);
            str[3] = arb_get_str(D1[L - 1].T, 8, ARB_STR_NO_RADIUS);
            printf("  %s depth %ld, input %ld: S = %s, T = %s (one input: %s, %s)\n", act, L,
                   a, str[0], str[1], str[2], str[3]);
            for (t = 0; t < 4; t++)
                flint_free(str[t]);
        }
        neft_onen_ddntk_clear(D1, L);
        neft_onen_ntk1_clear(N1, L);
        neft_onen_layers_clear(Ls, L);
    }
    if (same)
        printf("  %s depth %ld, two equal inputs: all %d entries of beta, alpha%s are the "
               "one-input P/2, Q - P/2%s\n", act, L, T4, rstu ? ", R, S, T, U" : "",
               rstu ? ", R, S, T, U" : "");
    fmpq_clear(qb); fmpq_clear(qw);
    neft_onen_params_clear(par);
    neft_onen_ddntkm_clear(D);
    neft_onen_ntkm_clear(T);
    arb_clear(h);
}

/* 3. sampled: mean[q][t], se[q][t] of n times the estimators (R only at
   t = (a b b d) unless all_r; elsewhere se = -1) */
static void
measure(double (*mean)[MAXT4], double (*se)[MAXT4], int L, int n, int nets, double cw,
        double cb, double lb, double lw, const ntks_act_t * A)
{
    ntks_hd_t N;
    ntks_hd3_t H;
    double sum[Q_N][MAXT4], sum2[Q_N][MAXT4], est[Q_N][MAXT4];
    double * lam, * ilam = NULL, csum[MAXT4], csum2[MAXT4], Hn[2][MAXK * MAXK], * u[2 * MAXK], * G[2][MAXK][2 * MAXK], * E[2][MAXK][MAXK][MAXK];
    int np, net, q, t, o, a, b, c, d, i;

    ntks_hd_init(&N, L, n, 2, nk, 2, XSAMP);
    ntks_hd3_init(&H, &N.n);
    np = ntks_nparams(&N.n);
    lam = malloc(sizeof(double) * np);
    for (i = 0; i < 2 * nk; i++)
        u[i] = malloc(sizeof(double) * np);
    for (o = 0; o < 2; o++)
        for (a = 0; a < nk; a++)
        {
            for (i = 0; i < 2 * nk; i++)
                G[o][a][i] = malloc(sizeof(double) * np);
            for (i = 0; i < nk * nk; i++)
                E[o][a][i / nk][i % nk] = malloc(sizeof(double) * np);
        }
    ntks_flat_lambda(lam, &N.n, lb, lw);
    if (all_r)
    {
        ilam = malloc(sizeof(double) * np);
        for (i = 0; i < np; i++)
            ilam[i] = 1 / lam[i];
        memset(csum, 0, sizeof csum);
        memset(csum2, 0, sizeof csum2);
    }
    memset(sum, 0, sizeof sum);
    memset(sum2, 0, sizeof sum2);
#define DIR(o, a) ((o) * nk + (a))
    for (net = 0; net < nets; net++)
    {
        ntks_hd_sample(&N, cw, cb, lb, lw, A->f, A->f1);
        for (i = 0; i < 2 * nk; i++)
            ntks_flat_u(u[i], &N, i);
        if (all_r)
        {
            for (o = 0; o < 2; o++)
                for (a = 0; a < nk * nk; a++)
                    Hn[o][a] = ntks_dot(u[DIR(o, a / nk)], u[DIR(o, a % nk)], ilam, np)
                               - cov_th[a];
            for (t = 0; t < nk * nk * nk * nk; t++)
            {
                double v = 0;
                for (o = 0; o < 2; o++)
                    v += n * Hn[o][t / (nk * nk)] * Hn[o][t % (nk * nk)] / 2;
                csum[t] += v;
                csum2[t] += v * v;
            }
        }
        for (a = 0; a < nk; a++)          /* the input of z */
            for (b = 0; b < nk; b++)      /* the directions u_(0;b), u_(1;c) */
                for (c = 0; c < nk; c++)
                {
                    if (c != b && !all_r)
                        continue;
                    ntks_hd3_forward(&H, &N, a, DIR(0, b), DIR(1, c), A);
                    for (o = 0; o < 2; o++)
                    {
                        ntks_hd3_backward(&H, &N, DIR(0, b), DIR(1, c), o, A);
                        if (c == b)
                        {
                            ntks_grad_part(G[o][a][DIR(0, b)], &H, &N.n, 1);
                            ntks_grad_part(G[o][a][DIR(1, b)], &H, &N.n, 2);
                        }
                        ntks_grad_part(E[o][a][b][c], &H, &N.n, 3);
                    }
                }
        for (a = 0; a < nk; a++)
            for (b = 0; b < nk; b++)
                for (c = 0; c < nk; c++)
                    for (d = 0; d < nk; d++)
                    {
                        t = ((a * nk + b) * nk + c) * nk + d;
                        for (q = 0; q < Q_N; q++)
                            est[q][t] = 0;
                        for (i = 0; i < 2; i++)     /* i: the neuron i, 1 - i: j */
                        {
                            int j = 1 - i;
                            double zi = N.n.z[d][L][i], zj = N.n.z[d][L][j];
                            /* M^(j;b)_(i a)(j c) = u_(i;a) . (d^2 z_(j;b)) u_(j;c) */
                            est[Q_BETA][t] += ntks_dot(u[DIR(i, a)], G[j][b][DIR(j, c)], NULL,
                                                       np) * zi;
                            est[Q_ALPHA][t] += ntks_dot(u[DIR(i, a)], G[j][b][DIR(i, c)], NULL,
                                                        np) * zj;
                            est[Q_S][t] += ntks_dot(G[i][a][DIR(j, c)], G[i][b][DIR(j, d)], lam,
                                                    np);
                            est[Q_T][t] += ntks_dot(G[i][a][DIR(i, c)], G[j][b][DIR(j, d)], lam,
                                                    np);
                            est[Q_U][t] += ntks_dot(G[i][a][DIR(j, c)], G[j][b][DIR(i, d)], lam,
                                                    np);
                            /* d^3 z_(i;a)[u_(i;b), u_(j;c), u_(j;d)] */
                            if (b == c || all_r)
                                est[Q_R][t] += ntks_dot(i == 0 ? E[0][a][b][c] : E[1][a][c][b],
                                                        u[DIR(j, d)], NULL, np);
                        }
                        for (q = 0; q < Q_N; q++)
                        {
                            double v = n * est[q][t] / 2;
                            sum[q][t] += v;
                            sum2[q][t] += v * v;
                        }
                    }
    }
#undef DIR
    for (q = 0; q < Q_N; q++)
        for (t = 0; t < (nk * nk * nk * nk); t++)
        {
            int bb = (t / nk) % nk, cc = (t / (nk * nk)) % nk;
            mean[q][t] = sum[q][t] / nets;
            se[q][t] = sqrt(fmax(sum2[q][t] / nets - mean[q][t] * mean[q][t], 0) / (nets - 1));
            if (q == Q_R && bb != cc && !all_r)
                se[q][t] = -1;
        }
    if (all_r)
        for (t = 0; t < nk * nk * nk * nk; t++)
        {
            cov_mean[t] = csum[t] / nets;
            cov_se[t] = sqrt(fmax(csum2[t] / nets - cov_mean[t] * cov_mean[t], 0) / (nets - 1));
        }
    free(lam);
    free(ilam);
    for (i = 0; i < 2 * nk; i++)
        free(u[i]);
    for (o = 0; o < 2; o++)
        for (a = 0; a < nk; a++)
        {
            for (i = 0; i < 2 * nk; i++)
                free(G[o][a][i]);
            for (i = 0; i < nk * nk; i++)
                free(E[o][a][i / nk][i % nk]);
        }
    ntks_hd3_clear(&H, &N.n);
    ntks_hd_clear(&N);
}

/* the computed tables at depth L (midpoints; rstu = 0: beta, alpha only) */
static void
predicted(double (*pred)[MAXT4], const char * act, const char * cw,
          const char * cb,
          const char * lb, const char * lw, int L, int rstu)
{
    neft_onen_ntkm_t T;
    neft_onen_ddntkm_t D;
    int q, t;
    compute(D, T, act, cw, cb, lb, lw, L, XSSAMP, nk, 2, rstu);
    for (t = 0; t < nk * nk; t++)
        cov_th[t] = arf_get_d(arb_midref(T->theta + (L - 1) * nk * nk + t), ARF_RND_NEAR);
    for (t = 0; t < (nk * nk * nk * nk); t++)
    {
        slong l4 = (L - 1) * nk * nk * nk * nk, ab = t / (nk * nk), c = (t / nk) % nk,
              d = t % nk;
        cov_pred[t] = arf_get_d(arb_midref(T->A + l4 + t), ARF_RND_NEAR)
                      + arf_get_d(arb_midref(T->B + l4 + t), ARF_RND_NEAR)
                      + arf_get_d(arb_midref(T->B + l4 + ab * nk * nk + d * nk + c),
                                  ARF_RND_NEAR);
    }
    for (t = 0; t < (nk * nk * nk * nk); t++)
    {
        arb_srcptr m[Q_N] = {D->beta, D->alpha, D->R, D->S, D->T, D->U};
        for (q = 0; q < Q_N; q++)
            pred[q][t] = q >= Q_R && !rstu ? NAN
                       : arf_get_d(arb_midref(m[q] + (L - 1) * nk * nk * nk * nk + t),
                                   ARF_RND_NEAR);
    }
    neft_onen_ddntkm_clear(D);
    neft_onen_ntkm_clear(T);
}

/* measured at width n (and 2n when deep: a + c/n through both) against
   the computed tables; |pull| <= 4 */
static void
check_sampled(const ntks_act_t * A, const char * cw, const char * cb, const char * lb,
              const char * lw, int L, int n, int nets, int rstu, int verbose, int k)
{
    static double pred[Q_N][MAXT4], m1[Q_N][MAXT4], s1[Q_N][MAXT4], m2[Q_N][MAXT4],
                  s2[Q_N][MAXT4], m4[Q_N][MAXT4], s4[Q_N][MAXT4];
    int q, t, nres = 0, ntot = 0;
    double worst = 0;
    nk = k;
    predicted(pred, A->name, cw, cb, lb, lw, L, rstu);
    static double cm[3][MAXT4], cs[3][MAXT4];
    measure(m1, s1, L, n, nets, ntks_qd(cw), ntks_qd(cb), ntks_qd(lb), ntks_qd(lw), A);
    memcpy(cm[0], cov_mean, sizeof cov_mean);
    memcpy(cs[0], cov_se, sizeof cov_se);
    if (L > 2)
        measure(m2, s2, L, 2 * n, nets / 2, ntks_qd(cw), ntks_qd(cb), ntks_qd(lb),
                ntks_qd(lw), A);
    memcpy(cm[1], cov_mean, sizeof cov_mean);
    memcpy(cs[1], cov_se, sizeof cov_se);
    if (L > 2 && verbose)     /* --bench: also 4n, a + c/n + d/n^2 through n, 2n, 4n */
        measure(m4, s4, L, 4 * n, nets / 4, ntks_qd(cw), ntks_qd(cb), ntks_qd(lb),
                ntks_qd(lw), A);
    memcpy(cm[2], cov_mean, sizeof cov_mean);
    memcpy(cs[2], cov_se, sizeof cov_se);
    if (all_r && L > 2)       /* the NTK's covariance, a + c/n + d/n^2 */
        for (t = 0; t < (nk * nk * nk * nk); t++)
        {
            double a3 = (cm[0][t] - 6 * cm[1][t] + 8 * cm[2][t]) / 3;
            double e3 = sqrt(cs[0][t] * cs[0][t] + 36 * cs[1][t] * cs[1][t]
                             + 64 * cs[2][t] * cs[2][t]) / 3;
            printf("  %s cov_%d%d%d%d: n Cov = %.4f +/- %.4f, %.4f +/- %.4f, %.4f +/- %.4f;"
                   " a + c/n + d/n^2 %.4f +/- %.4f; computed %.4f; pull %.2f\n", A->name,
                   TUP(t), cm[0][t], cs[0][t], cm[1][t], cs[1][t], cm[2][t], cs[2][t], a3, e3,
                   cov_pred[t], e3 > 0 ? (a3 - cov_pred[t]) / e3 : 0);
        }
    for (q = 0; q < Q_N; q++)
    {
        if (q >= Q_R && !rstu)
            continue;
        for (t = 0; t < (nk * nk * nk * nk); t++)
        {
            double a = m1[q][t], se = s1[q][t], pull;
            if (se < 0)
                continue;
            if (L > 2)
            {
                a = 2 * m2[q][t] - m1[q][t];
                se = sqrt(4 * s2[q][t] * s2[q][t] + s1[q][t] * s1[q][t]);
            }
            pull = se > 0 ? (a - pred[q][t]) / se : 0;
            ntot++;
            nres += fabs(pred[q][t]) > 3 * se;
            if (fabs(pull) > fabs(worst))
                worst = pull;
            if (verbose && L > 2)
            {
                double a3 = (m1[q][t] - 6 * m2[q][t] + 8 * m4[q][t]) / 3;
                double e3 = sqrt(s1[q][t] * s1[q][t] + 36 * s2[q][t] * s2[q][t]
                                 + 64 * s4[q][t] * s4[q][t]) / 3;
                printf("  %s %s_%d%d%d%d: n E = %.4f +/- %.4f, %.4f +/- %.4f, %.4f +/- %.4f;"
                       " a + c/n (n, 2n) %.4f +/- %.4f, a + c/n + d/n^2 %.4f +/- %.4f;"
                       " computed %.4f; pulls %.2f, %.2f\n", A->name, qname[q], TUP(t), m1[q][t],
                       s1[q][t], m2[q][t],
                       s2[q][t], m4[q][t], s4[q][t], a, se, a3, e3, pred[q][t], pull,
                       e3 > 0 ? (a3 - pred[q][t]) / e3 : 0);
                continue;
            }
            if (verbose)
                printf("  %s %s_%d%d%d%d: %10.4f +/- %.4f  computed %10.4f  pull %5.2f\n",
                       A->name, qname[q], TUP(t), a, se,
                       pred[q][t], pull);
            if (fabs(pull) > 4 || (se == 0 && fabs(a - pred[q][t]) > 1e-9))
                FAIL("%s depth %d %s_%d%d%d%d: measured %g +/- %g, computed %g", A->name, L,
                     qname[q], TUP(t), a, se, pred[q][t]);
        }
    }
    printf("  %s depth %d, %d inputs, width %d%s, %d nets: %d entries within 4 errors (largest "
           "pull %.2f), %d resolved\n", A->name, L, k, n, L > 2 ? " and 2n (a + c/n)" : "", nets,
           ntot, worst, nres);
}

/* sigma^(d)(z), d = 0..3, in doubles (the closed forms of the sampler's rows) */
static double
hi_act(const char * act, int d, double z)
{
    const ntks_act_t * A = !strcmp(act, "tanh") ? &TANH : !strcmp(act, "sigmoid") ? &SIGM
                         : !strcmp(act, "erf") ? &ERF : &SIN;
    return d == 0 ? A->f(z) : d == 1 ? A->f1(z) : d == 2 ? A->f2(z) : A->f3(z);
}

/* the higher four-factor expectations of src/onen/ntkm_gauss.c (two sigma''
   or one sigma'''; the ddNTK's smooth rows): at Q = 2 or 3 classes every
   tuple of inputs in four orderings of the two patterns, against a tensor
   trapezoid rule in doubles over the Cholesky factor (step 1/4 on [-7, 7]^Q:
   the integrands are analytic in a strip, the rule's error far below the
   tolerance 1e-8).  The balls must meet the reference +/- 1e-8 and be
   narrower than 2^-16. */
static void
check_hi(const char * act, slong Q)
{
    static const int pat[4][4] = {{1, 2, 1, 2}, {2, 2, 1, 1}, {1, 1, 1, 3}, {3, 1, 1, 1}};
    static const double K3[16] = {0.9, 0.3, -0.2, 0.1, 0.3, 0.7, 0.25, -0.15,
                                  -0.2, 0.25, 1.1, 0.2, 0.1, -0.15, 0.2, 0.8};
    neft_onen_params_t par;
    ntkm_gauss_struct G;
    arb_ptr K = _arb_vec_init(Q * Q);
    arb_t a, cw, cb;
    char err[256] = "";
    double L[16], h = 0.25, X = 7, * V, wt, worst = 0;
    slong i, j, k, t, nn = (slong) (2 * X / h + 1.5), nodes, bad = 0, n = 0;
    arb_init(a); arb_init(cw); arb_init(cb);
    neft_onen_params_init(par);
    ntks_set_net(par, act, "3/2", "1/10", 3, 64);
    memset(L, 0, sizeof L);
    for (i = 0; i < Q; i++)
        for (j = 0; j < Q; j++)
            arb_set_d(K + i * Q + j, K3[i * 4 + j]);
    for (j = 0; j < Q; j++)     /* Cholesky */
        for (i = j; i < Q; i++)
        {
            double v = K3[i * 4 + j];
            for (k = 0; k < j; k++)
                v -= L[i * 4 + k] * L[j * 4 + k];
            L[i * 4 + j] = i == j ? sqrt(v) : v / L[j * 4 + j];
        }
    for (nodes = 1, k = 0; k < Q; k++)
        nodes *= nn;
    V = flint_malloc(sizeof(double) * nodes * (Q * 4 + 1));
    for (t = 0; t < nodes; t++)
    {
        double xi[4], w = 1;
        slong r = t;
        for (k = 0; k < Q; k++)
        {
            xi[k] = -X + h * (r % nn);
            r /= nn;
            w *= h * exp(-xi[k] * xi[k] / 2) / sqrt(2 * M_PI);
        }
        V[nodes * Q * 4 + t] = w;
        for (i = 0; i < Q; i++)
        {
            double z = 0;
            for (k = 0; k <= i; k++)
                z += L[i * 4 + k] * xi[k];
            for (j = 0; j < 4; j++)
                V[(t * Q + i) * 4 + j] = hi_act(act, (int) j, z);
        }
    }
    _neft_onen_ntkm_gauss_init(&G, par->net, Q, 2, par->prec);
    CHECK(_neft_onen_ntkm_gauss_set(&G, K, 0, NULL, cw, cb, err, sizeof err) == 0, "%s: %s",
          act, err);
    for (t = 0; t < 1024; t++)
    {
        slong in[4], m, w = t / 4;
        int dv[4];
        double ref = 0;
        for (k = 0; k < 4; k++)
        {
            in[k] = w % 4;
            w /= 4;
            dv[k] = pat[t % 4][k];
        }
        if (in[0] >= Q || in[1] >= Q || in[2] >= Q || in[3] >= Q)
            continue;
        CHECK(_neft_onen_ntkm_ex4(a, &G, in, dv, 1, err, sizeof err) == 0, "%s: %s", act, err);
        for (m = 0; m < nodes; m++)
        {
            wt = V[nodes * Q * 4 + m];
            for (k = 0; k < 4; k++)
                wt *= V[(m * Q + in[k]) * 4 + dv[k]];
            ref += wt;
        }
        n++;
        worst = FLINT_MAX(worst, mag_get_d(arb_radref(a)));
        arb_set_d(cw, ref);
        mag_set_d(arb_radref(cw), 1e-8);
        if (!arb_overlaps(a, cw) || mag_cmp_2exp_si(arb_radref(a), -16) > 0)
        {
            bad++;
            printf("%s: (%ld %ld %ld %ld) dv (%d %d %d %d): %.12g +/- %.2g, trapezoid %.12g\n",
                   act, (long) in[0], (long) in[1], (long) in[2], (long) in[3], dv[0], dv[1],
                   dv[2], dv[3], arf_get_d(arb_midref(a), ARF_RND_NEAR), mag_get_d(arb_radref(a)),
                   ref);
        }
    }
    CHECK(bad == 0, "%s: %ld of %ld higher expectations off the trapezoid rule", act, bad, n);
    printf("%s, %ld classes: %ld higher four-factor expectations agree with the trapezoid "
           "rule (largest radius %.2g)\n", act, (long) Q, n, worst);
    _neft_onen_ntkm_gauss_clear(&G);
    flint_free(V);
    neft_onen_params_clear(par);
    arb_clear(a); arb_clear(cw); arb_clear(cb);
    _arb_vec_clear(K, Q * Q);
}

int
main(int argc, char ** argv)
{
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    if (argc > 4 && !strcmp(argv[1], "--bench"))
    {
        const char * an = argc > 5 ? argv[5] : "relu";
        const ntks_act_t * A = !strcmp(an, "tanh") ? &TANH : !strcmp(an, "erf") ? &ERF
                             : !strcmp(an, "sin") ? &SIN : !strcmp(an, "linear") ? &LINEAR
                             : &RELU;
        int L = atoi(argv[3]), w = atoi(argv[4]), N = atoi(argv[2]);
        int k = argc > 6 ? atoi(argv[6]) : 2;
        if (k < 2 || k > MAXK)
            FAIL("--bench: 2, 3 or 4 inputs");
        all_r = 1;
        if (A != &RELU && A != &LINEAR)
            check_sampled(A, "3/2", "1/10", "1/2", "2", L, w, N, 1, 1, k);
        else
            check_sampled(A, "2", "1/5", "1", "1", L, w, N, 1, 1, k);
        flint_cleanup_master();
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("t-ddntkm: the dNTK split and the ddNTK of several inputs\n");
    {
        static const char * const acts[4] = {"tanh", "sigmoid", "erf", "sin"};
        int ia;
        int hi = argc > 1 && !strcmp(argv[1], "--hi");
        for (ia = 0; ia < 4; ia++)      /* tanh, sigmoid: 3-D moments, 25 s each */
            check_hi(acts[ia], ia >= 2 || hi ? 3 : 2);
    }
    if (argc > 1 && !strcmp(argv[1], "--hi"))
        return 0;
    check_split("relu", "2", "1/5", "1", "1", 3, 3);
    check_split("sin", "3/2", "1/10", "1/2", "2", 3, 3);
    check_split("tanh", "3/2", "1/10", "1/2", "2", 3, 2);
    check_split("erf", "3/2", "1/10", "1/2", "2", 3, 2);
    check_symmetry("relu", "2", "1/5", "1", "1", 4, 3);
    check_symmetry("leaky-relu", "3/2", "1/10", "1/2", "2", 4, 3);
    check_symmetry("tanh", "3/2", "1/10", "1/2", "2", 4, 2);
    check_symmetry("sigmoid", "4", "1/10", "1/2", "2", 3, 2);
    check_symmetry("erf", "3/2", "1/10", "1/2", "2", 4, 2);     /* 3 inputs: 12 s (<erf^4>) */
    check_symmetry("sin", "3/2", "1/10", "1/2", "2", 4, 3);
    check_diagonal("relu", "2", "1/5", "1", "1", 4, 0, 1);
    check_diagonal("leaky-relu", "3/2", "1/10", "1/2", "2", 4, 0, 1);
    check_diagonal("tanh", "3/2", "1/10", "1/2", "2", 4, 0, 1);
    check_diagonal("sigmoid", "4", "1/10", "1/2", "2", 3, 0, 1);
    check_diagonal("erf", "3/2", "1/10", "1/2", "2", 4, 0, 1);
    check_diagonal("sin", "3/2", "1/10", "1/2", "2", 4, 0, 1);
    check_diagonal("tanh", "3/2", "1/10", "1/2", "2", 4, 1, 1);
    check_diagonal("erf", "3/2", "1/10", "1/2", "2", 3, 1, 1);
    check_diagonal("sin", "3/2", "1/10", "1/2", "2", 3, 1, 1);
    check_diagonal("relu", "2", "1/5", "1", "1", 4, 1, 1);
    check_diagonal("leaky-relu", "3/2", "1/10", "1/2", "2", 4, 1, 1);
    check_sampled(&RELU, "2", "1/5", "1", "1", 2, 8, quick ? 2000 : 20000, 1, 0, 2);
    check_sampled(&LEAKY, "3/2", "1/10", "1/2", "2", 2, 8, quick ? 2000 : 20000, 1, 0, 2);
    check_sampled(&TANH, "3/2", "1/10", "1/2", "2", 2, 8, quick ? 2000 : 20000, 1, 0, 2);
    check_sampled(&ERF, "3/2", "1/10", "1/2", "2", 2, 8, quick ? 1000 : 10000, 1, 0, 2);
    check_sampled(&SIN, "3/2", "1/10", "1/2", "2", 2, 8, quick ? 1000 : 10000, 1, 0, 2);
    check_sampled(&SIGM, "4", "1/10", "1/2", "2", 2, 8, quick ? 1000 : 10000, 1, 0, 2);
    check_sampled(&RELU, "2", "1/5", "1", "1", 3, 16, quick ? 2000 : 16000, 1, 0, 2);
    check_sampled(&TANH, "3/2", "1/10", "1/2", "2", 3, 16, quick ? 2000 : 12000, 1, 0, 2);
    check_sampled(&RELU, "2", "1/5", "1", "1", 2, 8, quick ? 1000 : 8000, 1, 0, 3);
    printf("PASS\n");
    flint_cleanup_master();
    return 0;
}
