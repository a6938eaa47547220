/* The O(1/n) trained mean from the gradient-descent map expanded in the
   output layer's tensors (src/train/order1_deep*.c) against the depth-2
   single-neuron expansion of neft_train_order1 (src/train/order1.c), an
   independent code path: linear, one hidden layer, docs/data/learn.csv's
   four training and two test inputs (d_in = 2), C_W = 2, C_b = 1/10,
   eta = 1/10, after 1, 2, 10 and 30 steps, at every point.  The linear
   integrands are polynomials, so the 8-node Gauss-Hermite rule is exact and
   the two must agree to rounding (|diff| <= 1e-9 (1 + |c|)).

   The frozen means agree too.  Bug injection: c without any one of its four
   terms (Theta1 is 0 at depth 2; the NTK covariance, the dNTK, the ddNTK)
   must miss the reference by more than 1e-4 (1 + |c|) at some point: each
   term is needed and checked.  Also the one-step closed form of
   tests/train_order1.py at the test inputs. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "train/order1.h"
#include "train/order1_deep.h"
#include "neft/onen.h"
#include "neft-test.h"

static const double X[6][2] = {{1, 0}, {0, 1}, {0.6, 0.8}, {-0.5, 0.25}, {1, 1}, {0.5, -0.5}};
static const double Y[4] = {1, -1, 0.5, 0.3};

/* onen's output-layer tensors for act at depth on the points x (P * d,
   rationals as num/100), C_W = cw, C_b = 1/10, lambda = 1 */
static void
tensors(_neft_o1d_tensors * Xt, const char * act, slong depth, const double * x, slong d,
        slong cw, int rstu)
{
    neft_net_t net;
    const slong P = Xt->P;
    fmpq * xq = _fmpq_vec_init(P * d);
    fmpq_t lb, lw, q;
    char msg[256];
    slong i;
    int st;
    neft_net_init(net);
    if (neft_net_set_act_name(net, act, NULL, msg, sizeof msg) != NEFT_SUCCESS)
        FAIL("%s", msg);
    neft_net_set_depth(net, depth);
    net->d_in = d;
    fmpq_init(lb); fmpq_init(lw); fmpq_init(q);
    fmpq_set_si(lb, 1, 1);
    fmpq_set_si(lw, 1, 1);
    fmpq_set_si(q, cw, 1);
    neft_net_set_cw(net, q);
    fmpq_set_si(q, 1, 10);
    neft_net_set_cb(net, q);
    for (i = 0; i < P * d; i++)
        fmpq_set_si(xq + i, (slong) lround(x[i] * 100), 100);
    st = _neft_o1d_tensors_onen(Xt, net, xq, lb, lw, rstu, msg, sizeof msg);
    if (st != NEFT_SUCCESS)
        FAIL("onen's tensors: %d %s", st, msg);
    fmpq_clear(lb); fmpq_clear(lw); fmpq_clear(q);
    _fmpq_vec_clear(xq, P * d);
    neft_net_clear(net);
}

/* out = Lambda[src]: src(t, x) - H_xA E(t)_A, E the frozen recursion's
   response at the training points, E(t + 1) = E(t) + src(t, A) - H_AA E(t)
   (order1.c's linv); H = R's eta (lambda_b + E k), P x nA */
static void
response(double * out, const double * src, const double * H, slong P, slong nA, slong T)
{
    double * E = calloc((size_t) ((T + 1) * nA), sizeof(double));
    slong t, A, B, p;
    for (t = 0; t < T; t++)
        for (A = 0; A < nA; A++)
        {
            double r = src[t * P + A];
            for (B = 0; B < nA; B++)
                r -= H[A * nA + B] * E[t * nA + B];
            E[(t + 1) * nA + A] = E[t * nA + A] + r;
        }
    for (t = 0; t <= T; t++)
        for (p = 0; p < P; p++)
        {
            double v = src[t * P + p];
            for (A = 0; A < nA; A++)
                v -= H[p * nA + A] * E[t * nA + A];
            out[t * P + p] = v;
        }
    free(E);
}

/* the single-neuron c by a Gauss-Hermite rule (N nodes per coordinate, 3 on
   a: exact there), its sums R (S2, S3, H) */
static void
reference(double * c, double * f, _neft_o1_sums * R, const _neft_o1_setup * S, slong N)
{
    if (_neft_o1_gh_run_sums(c, f, S, N, 3, R) != 0)
        FAIL("the reference rule failed");
}

/* depth 2: the map's terms against the single-neuron c and its parts
   Lambda[S2] (the dNTK), Lambda[S3] (the ddNTK), the rest (the NTK
   covariance; Theta1 = 0), after the steps at every point; rstu = 0: c
   without the ddNTK term against c - Lambda[S3] (tol relative to 1 + |c|);
   miss[k]: the largest miss of c without term k; returns the largest miss */
static double
compare(double * miss, const char * act, slong cw, const double * x, const double * y, slong P,
        slong nA, slong d, slong T, const slong * steps, slong ns, slong N, int rstu,
        double tol)
{
    const slong n = (T + 1) * P;
    _neft_o1_setup S;
    _neft_o1_sums R;
    _neft_o1d_tensors Xt;
    double * ref = malloc(sizeof(double) * (size_t) n), * fref = malloc(sizeof(double) * (size_t) n);
    double * l2 = malloc(sizeof(double) * (size_t) n), * l3 = malloc(sizeof(double) * (size_t) n);
    double * terms = malloc(sizeof(double) * (size_t) (_NEFT_O1D_NTERMS * n));
    double * fm = malloc(sizeof(double) * (size_t) n);
    double worst = 0, * bm = NULL, * br = NULL;
    slong i, j, k, p, drop;

    _neft_o1_setup_init(&S, _neft_o1_act_lookup(act), P, nA, d, T, x, y, 0.1, 1, 1,
                        (double) cw, 0.1);
    _neft_o1_sums_init(&R, &S);
    reference(ref, fref, &R, &S, N);
    response(l2, R.S2, R.H, P, nA, T);
    response(l3, R.S3, R.H, P, nA, T);
    _neft_o1d_tensors_init(&Xt, P, nA, T, 0.1, y);
    tensors(&Xt, act, 2, x, d, cw, rstu);
    if (_neft_o1d_map(terms, fm, &Xt) != 0)
        FAIL("the map failed");
    for (k = 0; k < _NEFT_O1D_NTERMS; k++)
        miss[k] = 0;
    if (rstu && strcmp(act, "linear"))      /* the whole c against the rigorous ball */
    {
        arb_ptr cb = _arb_vec_init(n), fb = _arb_vec_init(n);
        bm = malloc(sizeof(double) * (size_t) n);
        br = malloc(sizeof(double) * (size_t) n);
        if (_neft_o1_ball(cb, fb, &S, 49, NULL, 128) != 0)
            FAIL("%s: the single-neuron ball failed", act);
        for (j = 0; j < n; j++)
            _neft_o1_ball_get_d(bm + j, br + j, cb + j);
        _arb_vec_clear(cb, n);
        _arb_vec_clear(fb, n);
    }
    for (i = 0; i < ns; i++)
        for (p = 0; p < P; p++)
        {
            const slong jj = steps[i] * P + p;
            const double cref = rstu ? ref[jj] : ref[jj] - l3[jj], sc = 1 + fabs(ref[jj]);
            const double parts[4] = {0, ref[jj] - l2[jj] - l3[jj], l2[jj], l3[jj]};
            double c = 0;
            for (k = 0; k < _NEFT_O1D_NTERMS; k++)
                c += terms[k * n + jj];
            if (bm == NULL)
                CHECK(fabs(c - cref) <= tol * sc, "%s depth 2, step %ld, point %ld: map %.15g, "
                      "single neuron %.15g", act, (long) steps[i], (long) p, c, cref);
            else
                CHECK(fabs(c - bm[jj]) <= br[jj] + 1e-12 * sc, "%s depth 2, step %ld, point %ld: "
                      "map %.15g, the single-neuron ball %.15g +- %.3g", act, (long) steps[i],
                      (long) p, c, bm[jj], br[jj]);
            for (k = 0; k < _NEFT_O1D_NTERMS; k++)
                if (k != _NEFT_O1D_DDNTK || (rstu && bm == NULL))
                    CHECK(fabs(terms[k * n + jj] - parts[k]) <= tol * sc, "%s, step %ld, point "
                          "%ld, term %ld: map %.15g, single neuron %.15g", act,
                          (long) steps[i], (long) p, (long) k, terms[k * n + jj], parts[k]);
            CHECK(fabs(fm[jj] - fref[jj]) <= tol * (1 + fabs(fref[jj])),
                  "frozen mean, step %ld, point %ld: %.15g against %.15g", (long) steps[i],
                  (long) p, fm[jj], fref[jj]);
            worst = fmax(worst, fabs(c - cref) / sc);
            for (drop = 0; drop < _NEFT_O1D_NTERMS; drop++)
                miss[drop] = fmax(miss[drop], fabs(c - terms[drop * n + jj] - cref) / sc);
            if (p >= nA)
                printf("%s T = %2ld x%ld: c%s = %+.12f (single neuron %+.12f; Theta1 %+.3g, "
                       "cov %+.6f, dNTK %+.6f, ddNTK %+.6f)\n", act, (long) steps[i], (long) p,
                       rstu ? "" : " - ddNTK", c, cref, terms[jj], terms[n + jj],
                       terms[2 * n + jj], rstu ? terms[3 * n + jj] : l3[jj]);
            if (p >= nA && bm != NULL)
                printf("  the single-neuron ball: %+.12f +- %.2g\n", bm[jj], br[jj]);
        }
    printf("%s: largest |map - single neuron| / (1 + |c|) = %.3g\n", act, worst);
    free(ref); free(fref); free(l2); free(l3); free(terms); free(fm); free(bm); free(br);
    _neft_o1_sums_clear(&R);
    _neft_o1d_tensors_clear(&Xt);
    return worst;
}

static void
check_linear_depth2(void)
{
    const slong P = 6, nA = 4, T = 30, steps[4] = {1, 2, 10, 30};
    double miss[_NEFT_O1D_NTERMS];
    slong drop;
    compare(miss, "linear", 2, &X[0][0], Y, P, nA, 2, T, steps, 4, 8, 1, 1e-9);
    /* Theta1 = 0 at depth 2 (layer 1 is Gaussian): dropping it changes nothing */
    CHECK(miss[_NEFT_O1D_THETA1] <= 1e-9, "Theta1 is not 0 at depth 2: %g",
          miss[_NEFT_O1D_THETA1]);
    for (drop = 1; drop < _NEFT_O1D_NTERMS; drop++)
    {
        printf("without term %ld: misses by %.3g\n", (long) drop, miss[drop]);
        CHECK(miss[drop] > 1e-4, "dropping term %ld goes unnoticed (%g)", (long) drop,
              miss[drop]);
    }
}

/* the one-step closed form -eta^2 lw cw sum (K1_AA Th1_xB + K1_AB Th1_xA) y_B
   (tests/train_order1.py) at the two test inputs of learn.csv */
static void
check_linear_one_step(void)
{
    const slong P = 6, nA = 4, n = 2 * P;
    _neft_o1d_tensors Xt;
    double terms[_NEFT_O1D_NTERMS * 12];
    slong p, k, A, B;
    _neft_o1d_tensors_init(&Xt, P, nA, 1, 0.1, Y);
    tensors(&Xt, "linear", 2, &X[0][0], 2, 2, 1);
    if (_neft_o1d_map(terms, NULL, &Xt) != 0)
        FAIL("the map failed");
    for (p = nA; p < P; p++)
    {
        double c = 0, cf = 0;
        for (k = 0; k < _NEFT_O1D_NTERMS; k++)
            c += terms[k * n + P + p];
        for (A = 0; A < nA; A++)
            for (B = 0; B < nA; B++)
            {
#define DOT(a, b) (X[a][0] * X[b][0] + X[a][1] * X[b][1])
                const double k1AA = 0.1 + 2 * DOT(A, A) / 2, k1AB = 0.1 + 2 * DOT(A, B) / 2;
                const double t1xB = 1 + DOT(p, B) / 2, t1xA = 1 + DOT(p, A) / 2;
#undef DOT
                cf += -0.01 * 2 * (k1AA * t1xB + k1AB * t1xA) * Y[B];
            }
        CHECK(fabs(c - cf) <= 1e-12 * (1 + fabs(cf)), "one step x%ld: %.15g, closed form %.15g",
              (long) p, c, cf);
    }
    _neft_o1d_tensors_clear(&Xt);
}

/* 1 if onen computes the several-input ddNTK (R, S, T, U) for act */
static int
has_ddntkm(const char * act)
{
    neft_net_t net;
    char msg[256];
    int r;
    neft_net_init(net);
    if (neft_net_set_act_name(net, act, NULL, msg, sizeof msg) != NEFT_SUCCESS)
        FAIL("%s", msg);
    r = neft_onen_ddntkm_has(net, NULL);
    neft_net_clear(net);
    return r;
}

/* tanh, erf, sin (C_W = 1), d_in = 1, training inputs 0.5, -1 and the test
   input 1.5: onen has no several-input ddNTK for these rows yet, so c without
   the ddNTK term (the NTK covariance and the dNTK: onen's A, B, beta, alpha,
   in closed form for sin, by rigorous 2-D to 4-D rules for tanh and erf)
   against the single-neuron c minus its ddNTK part Lambda[S3], by a
   Gauss-Hermite rule in doubles.  That rule converges slowly for tanh and
   erf (the test input's sigma'^2 is narrow against the Gaussian: at 48
   nodes the single-neuron Theta(1.5, -1) of erf is 7e-7 off its closed
   form, which onen's equals to 1e-15), so for them the miss must be below
   tol at 64 nodes and fall by more than 3 from 40 to 64 nodes (the
   reference approaches the map).  When onen has the row's several-input
   ddNTK (R, S, T, U: tanh, erf, sin since stop 36), the whole c is checked
   against the rigorous single-neuron ball (_neft_o1_ball, 49 trapezoid
   nodes): the 64-node Gauss-Hermite value is too coarse for the ddNTK part
   (tanh, step 10: -0.0927719 against the ball -0.0930050 +- 5.6e-6 and the
   map's -0.0930049). */
static void
check_smooth_depth2(const char * act, double tol)
{
    static const double x[3] = {0.5, -1, 1.5}, y[2] = {0.7, -0.4};
    const slong steps[3] = {1, 2, 10};
    double miss[_NEFT_O1D_NTERMS], w40, w64;
    w64 = compare(miss, act, 1, x, y, 3, 2, 1, 10, steps, 3, 64, 0, tol);
    CHECK(miss[_NEFT_O1D_DNTK] > 1e-3 && miss[_NEFT_O1D_COV] > 1e-3,
          "%s: dropping the dNTK (%g) or the covariance (%g) goes unnoticed", act,
          miss[_NEFT_O1D_DNTK], miss[_NEFT_O1D_COV]);
    if (tol > 1e-9)
    {
        w40 = compare(miss, act, 1, x, y, 3, 2, 1, 10, steps, 3, 40, 0, 1);
        CHECK(w64 < w40 / 3, "%s: the reference does not approach the map (miss %g at 40 "
              "nodes, %g at 64)", act, w40, w64);
    }
    /* once onen has the row's several-input ddNTK: the whole c, every term */
    if (has_ddntkm(act))
    {
        compare(miss, act, 1, x, y, 3, 2, 1, 10, steps, 3, 64, 1, tol);
        CHECK(miss[_NEFT_O1D_DDNTK] > 1e-3, "%s: dropping the ddNTK (%g) goes unnoticed",
              act, miss[_NEFT_O1D_DDNTK]);
    }
    else
        printf("%s: onen has no several-input ddNTK yet; c checked without it\n", act);
}

/* ---- depth 3: the jets against finite differences of a plain map ---------

   An independent evaluation of the four terms from the same tensors: the
   map of docs/train-theory.md on full arrays (f: P, H: P x P, M: P^3, the
   ddNTKs P^4), no jets, differentiated by central differences with one
   Richardson step (the map is a polynomial in each step size). */

typedef struct
{
    const _neft_o1d_tensors * X;
    double * f, * H, * M, * fn, * Hn, * Mn, * e;
}
plain_map;

/* f_T at every point from f0 (P), H0 (P^2), M0 (P^3; NULL: 0) and the
   ddNTKs s times X's (P^4) */
static void
plain_run(double * out, plain_map * W, const double * f0, const double * H0, const double * M0,
          double s)
{
    const _neft_o1d_tensors * X = W->X;
    const slong P = X->P, nA = X->nA, P2 = P * P, P3 = P2 * P;
    const double eta = X->eta;
    slong t, x, y, w, A, B, C;
    memcpy(W->f, f0, sizeof(double) * (size_t) P);
    memcpy(W->H, H0, sizeof(double) * (size_t) P2);
    if (M0 != NULL)
        memcpy(W->M, M0, sizeof(double) * (size_t) P3);
    else
        memset(W->M, 0, sizeof(double) * (size_t) P3);
#define DI(a, b, c, d) (s * X->ddi[(a) * P3 + (b) * P2 + (c) * P + (d)])
#define DII(a, b, c, d) (s * X->ddii[(a) * P3 + (b) * P2 + (c) * P + (d)])
    for (t = 0; t < X->T; t++)
    {
        for (A = 0; A < nA; A++)
            W->e[A] = W->f[A] - X->y[A];
        for (x = 0; x < P; x++)
        {
            double v = W->f[x];
            for (A = 0; A < nA; A++)
            {
                v -= eta * W->H[x * P + A] * W->e[A];
                for (B = 0; B < nA; B++)
                {
                    v += 0.5 * eta * eta * W->M[x * P2 + A * P + B] * W->e[A] * W->e[B];
                    for (C = 0; C < nA; C++)
                        v -= eta * eta * eta / 6 * DI(x, A, B, C) * W->e[A] * W->e[B] * W->e[C];
                }
            }
            W->fn[x] = v;
        }
        for (x = 0; x < P; x++)
            for (y = 0; y < P; y++)
            {
                double v = W->H[x * P + y];
                for (B = 0; B < nA; B++)
                {
                    v -= eta * (W->M[x * P2 + y * P + B] + W->M[y * P2 + x * P + B]) * W->e[B];
                    for (C = 0; C < nA; C++)
                        v += 0.5 * eta * eta * (DI(x, y, B, C) + DI(y, x, B, C)
                                                + 2 * DII(x, y, B, C)) * W->e[B] * W->e[C];
                }
                W->Hn[x * P + y] = v;
                for (w = 0; w < P; w++)
                {
                    double m = W->M[x * P2 + y * P + w];
                    for (C = 0; C < nA; C++)
                        m -= eta * (DI(x, y, w, C) + DII(x, y, w, C) + DII(x, w, y, C)) * W->e[C];
                    W->Mn[x * P2 + y * P + w] = m;
                }
            }
        memcpy(W->f, W->fn, sizeof(double) * (size_t) P);
        memcpy(W->H, W->Hn, sizeof(double) * (size_t) P2);
        memcpy(W->M, W->Mn, sizeof(double) * (size_t) P3);
    }
#undef DI
#undef DII
    memcpy(out, W->f, sizeof(double) * (size_t) P);
}

/* out[p] = d^2/dh dk F(f0 + h df + k dg, H0 + h dH + k dK, h dM, s = h ds) at 0
   (the pieces that are NULL are 0), by central differences at steps hh and
   hh/2 and one Richardson step */
static void
plain_mixed(double * out, plain_map * W, const double * H0, const double * df,
            const double * dg, const double * dH, const double * dK, const double * dM,
            double ds, double hh)
{
    const slong P = W->X->P, P2 = P * P, P3 = P2 * P;
    double * f0 = malloc(sizeof(double) * (size_t) P), * H = malloc(sizeof(double) * (size_t) P2);
    double * M = malloc(sizeof(double) * (size_t) P3), * v = malloc(sizeof(double) * (size_t) P);
    double d[2][16];
    slong r, i, p;
    int a, b;
    for (r = 0; r < 2; r++)
    {
        const double h = r == 0 ? hh : hh / 2;
        for (p = 0; p < P; p++)
            d[r][p] = 0;
        for (a = -1; a <= 1; a += 2)
            for (b = -1; b <= 1; b += 2)
            {
                for (i = 0; i < P; i++)
                    f0[i] = (df ? a * h * df[i] : 0) + (dg ? b * h * dg[i] : 0);
                for (i = 0; i < P2; i++)
                    H[i] = H0[i] + (dH ? a * h * dH[i] : 0) + (dK ? b * h * dK[i] : 0);
                for (i = 0; i < P3; i++)
                    M[i] = dM ? a * h * dM[i] : 0;
                plain_run(v, W, f0, H, M, a * h * ds);
                for (p = 0; p < P; p++)
                    d[r][p] += a * b * v[p] / (4 * h * h);
            }
    }
    for (p = 0; p < P; p++)
        out[p] = (4 * d[1][p] - d[0][p]) / 3;
    free(f0); free(H); free(M); free(v);
}

/* L L^T = K (n x n, semidefinite: a column whose pivot is below tol is 0) */
static void
psd_factor(double * L, const double * K, slong n, double tol)
{
    slong i, j, k;
    for (i = 0; i < n * n; i++)
        L[i] = 0;
    for (j = 0; j < n; j++)
    {
        double dj = K[j * n + j];
        for (k = 0; k < j; k++)
            dj -= L[j * n + k] * L[j * n + k];
        if (dj <= tol)
            continue;
        L[j * n + j] = sqrt(dj);
        for (i = j + 1; i < n; i++)
        {
            double v = K[i * n + j];
            for (k = 0; k < j; k++)
                v -= L[i * n + k] * L[j * n + k];
            L[i * n + j] = v / L[j * n + j];
        }
    }
}

/* act at depth 3 on learn.csv (C_W = 1, C_b = 1/10, eta = 1/10, T steps):
   _neft_o1d_map's four terms at the test inputs against the plain map's
   finite differences (tol relative to 1 + |term|) */
static void
check_depth3(const char * act, slong T)
{
    const slong P = 6, nA = 4, P2 = P * P, P3 = P2 * P, n = (T + 1) * P;
    _neft_o1d_tensors Xt;
    plain_map W;
    double * terms = malloc(sizeof(double) * (size_t) (_NEFT_O1D_NTERMS * n));
    double fd[_NEFT_O1D_NTERMS][6], v[6], v0[6], * H0 = malloc(sizeof(double) * (size_t) P2);
    double * e1 = calloc((size_t) P2, sizeof(double)), * w1 = calloc((size_t) P2, sizeof(double));
    double * dM = malloc(sizeof(double) * (size_t) P3), * unit = calloc((size_t) P, sizeof(double));
    double KA[16], L[16], f0[6], worst = 0;
    slong i, j, k, a, b, x, y, p;

    _neft_o1d_tensors_init(&Xt, P, nA, T, 0.1, Y);
    tensors(&Xt, act, 3, &X[0][0], 2, 1, 1);
    if (_neft_o1d_map(terms, NULL, &Xt) != 0)
        FAIL("%s depth 3: the map failed", act);
    W.X = &Xt;
    W.f = malloc(sizeof(double) * (size_t) P);
    W.fn = malloc(sizeof(double) * (size_t) P);
    W.e = malloc(sizeof(double) * (size_t) nA);
    W.H = malloc(sizeof(double) * (size_t) P2);
    W.Hn = malloc(sizeof(double) * (size_t) P2);
    W.M = malloc(sizeof(double) * (size_t) P3);
    W.Mn = malloc(sizeof(double) * (size_t) P3);
    memcpy(H0, Xt.th, sizeof(double) * (size_t) P2);
    for (p = 0; p < P; p++)
        for (k = 0; k < _NEFT_O1D_NTERMS; k++)
            fd[k][p] = 0;
    /* Theta1: the first derivative along H = Theta + h Theta1 */
    for (a = -1; a <= 1; a += 2)
    {
        for (i = 0; i < P2; i++)
            H0[i] = Xt.th[i] + a * 1e-3 * Xt.th1[i];
        plain_run(v, &W, unit, H0, NULL, 0);     /* unit is 0 here */
        for (p = 0; p < P; p++)
            fd[_NEFT_O1D_THETA1][p] += a * v[p] / 2e-3;
    }
    memcpy(H0, Xt.th, sizeof(double) * (size_t) P2);
    /* the NTK's covariance: 1/2 sum_i d_i d_{w_i} F, i over the entries
       H_xA (A training: the map reads no other), w_i = sum_j C_ij e_j */
    for (x = 0; x < P; x++)
        for (a = 0; a < nA; a++)
        {
            memset(e1, 0, sizeof(double) * (size_t) P2);
            e1[x * P + a] = 1;
            for (y = 0; y < P; y++)
                for (b = 0; b < nA; b++)
                    w1[y * P + b] = Xt.cov[((x * P + a) * P + y) * P + b];
            plain_mixed(v, &W, H0, NULL, NULL, e1, w1, NULL, 0, 1e-3);
            for (p = 0; p < P; p++)
                fd[_NEFT_O1D_COV][p] += 0.5 * v[p];
        }
    /* the dNTK: sum_a d^2 F [z = e_a, M = n E[M z_a]] */
    for (a = 0; a < nA; a++)
    {
        memset(unit, 0, sizeof(double) * (size_t) P);
        unit[a] = 1;
        for (i = 0; i < P3; i++)
            dM[i] = Xt.dz[i * P + a];
        plain_mixed(v, &W, H0, NULL, unit, NULL, NULL, dM, 0, 1e-3);
        for (p = 0; p < P; p++)
            fd[_NEFT_O1D_DNTK][p] += v[p];
    }
    /* the ddNTKs: E_z [d/ds F(z, s dd)], z = L xi, xi = (+-1, .., +-1) with
       weight 2^-nA: exact for the cubic in z */
    for (a = 0; a < nA; a++)
        for (b = 0; b < nA; b++)
            KA[a * nA + b] = Xt.K[a * P + b];
    psd_factor(L, KA, nA, 1e-12);
    for (j = 0; j < (1 << nA); j++)
    {
        for (p = 0; p < P; p++)
            f0[p] = 0;
        for (a = 0; a < nA; a++)
            for (b = 0; b < nA; b++)
                f0[a] += L[a * nA + b] * ((j >> b) & 1 ? 1.0 : -1.0);
        for (k = 1; k <= 2; k++)       /* steps 2e-3 / k, one Richardson step */
        {
            plain_run(v, &W, f0, H0, NULL, 2e-3 / (double) k);
            plain_run(v0, &W, f0, H0, NULL, -2e-3 / (double) k);
            for (p = 0; p < P; p++)
                fd[_NEFT_O1D_DDNTK][p] += (k == 1 ? -1.0 / 3 : 4.0 / 3) * (v[p] - v0[p])
                    / (4e-3 / (double) k) / (double) (1 << nA);
        }
    }
    for (p = nA; p < P; p++)
        for (k = 0; k < _NEFT_O1D_NTERMS; k++)
        {
            const double m = terms[k * n + T * P + p];
            CHECK(fabs(m - fd[k][p]) <= 1e-7 * (1 + fabs(fd[k][p])), "%s depth 3, T = %ld, "
                  "x%ld, term %ld: jets %.12g, finite differences %.12g", act, (long) T,
                  (long) p, (long) k, m, fd[k][p]);
            worst = fmax(worst, fabs(m - fd[k][p]) / (1 + fabs(fd[k][p])));
        }
    printf("%s depth 3, T = %ld: c = %+.10f, %+.10f (Theta1 %+.3g, cov %+.6f, dNTK %+.6f, "
           "ddNTK %+.6f at x5); largest |jets - finite differences| / (1 + |term|) = %.2g\n",
           act, (long) T, terms[T * P + 4] + terms[n + T * P + 4] + terms[2 * n + T * P + 4]
           + terms[3 * n + T * P + 4], terms[T * P + 5] + terms[n + T * P + 5]
           + terms[2 * n + T * P + 5] + terms[3 * n + T * P + 5], terms[T * P + 5],
           terms[n + T * P + 5], terms[2 * n + T * P + 5], terms[3 * n + T * P + 5], worst);
    free(W.f); free(W.fn); free(W.e); free(W.H); free(W.Hn); free(W.M); free(W.Mn);
    free(terms); free(H0); free(e1); free(w1); free(dM); free(unit);
    _neft_o1d_tensors_clear(&Xt);
}

int
main(void)
{
    check_linear_depth2();
    check_linear_one_step();
    check_smooth_depth2("sin", 1e-12);
    check_smooth_depth2("tanh", 1e-4);
    check_smooth_depth2("erf", 3e-5);
    check_depth3("linear", 10);
    check_depth3("sin", 10);
    flint_cleanup();
    return neft_test_finish("t-train-order1-deep");
}
