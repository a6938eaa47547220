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
#include "neft-test.h"

static const double X[6][2] = {{1, 0}, {0, 1}, {0.6, 0.8}, {-0.5, 0.25}, {1, 1}, {0.5, -0.5}};
static const double Y[4] = {1, -1, 0.5, 0.3};

static void
tensors(_neft_o1d_tensors * Xt, const char * act, slong depth)
{
    neft_net_t net;
    fmpq * x = _fmpq_vec_init(12);
    fmpq_t lb, lw, cw, cb;
    char msg[256];
    slong i;
    int st;
    neft_net_init(net);
    if (neft_net_set_act_name(net, act, NULL, msg, sizeof msg) != NEFT_SUCCESS)
        FAIL("%s", msg);
    neft_net_set_depth(net, depth);
    net->d_in = 2;
    fmpq_init(lb); fmpq_init(lw); fmpq_init(cw); fmpq_init(cb);
    fmpq_set_si(lb, 1, 1);
    fmpq_set_si(lw, 1, 1);
    fmpq_set_si(cw, 2, 1);
    fmpq_set_si(cb, 1, 10);
    neft_net_set_cw(net, cw);
    neft_net_set_cb(net, cb);
    for (i = 0; i < 12; i++)
        fmpq_set_si(x + i, (slong) lround(X[i / 2][i % 2] * 100), 100);
    st = _neft_o1d_tensors_onen(Xt, net, x, lb, lw, msg, sizeof msg);
    if (st != NEFT_SUCCESS)
        FAIL("onen's tensors: %d %s", st, msg);
    fmpq_clear(lb); fmpq_clear(lw); fmpq_clear(cw); fmpq_clear(cb);
    _fmpq_vec_clear(x, 12);
    neft_net_clear(net);
}

static void
check_linear_depth2(void)
{
    const slong P = 6, nA = 4, T = 30, n = (T + 1) * P;
    const slong steps[4] = {1, 2, 10, 30};
    _neft_o1_setup S;
    _neft_o1d_tensors Xt;
    double * ref = malloc(sizeof(double) * (size_t) n), * fref = malloc(sizeof(double) * (size_t) n);
    double * terms = malloc(sizeof(double) * (size_t) (_NEFT_O1D_NTERMS * n));
    double * fm = malloc(sizeof(double) * (size_t) n);
    double worst = 0, miss[_NEFT_O1D_NTERMS] = {0};
    slong i, k, p, drop;

    _neft_o1_setup_init(&S, _neft_o1_act_lookup("linear"), P, nA, 2, T, &X[0][0], Y, 0.1, 1, 1,
                        2, 0.1);
    if (_neft_o1_gh_run(ref, fref, &S, 8) != 0)
        FAIL("the depth-2 reference failed");
    _neft_o1d_tensors_init(&Xt, P, nA, T, 0.1, Y);
    tensors(&Xt, "linear", 2);
    if (_neft_o1d_map(terms, fm, &Xt) != 0)
        FAIL("the map failed");
    for (i = 0; i < 4; i++)
        for (p = 0; p < P; p++)
        {
            const slong j = steps[i] * P + p;
            double c = 0;
            for (k = 0; k < _NEFT_O1D_NTERMS; k++)
                c += terms[k * n + j];
            CHECK(fabs(c - ref[j]) <= 1e-9 * (1 + fabs(ref[j])),
                  "linear depth 2, step %ld, point %ld: map %.15g, single neuron %.15g",
                  (long) steps[i], (long) p, c, ref[j]);
            CHECK(fabs(fm[j] - fref[j]) <= 1e-12 * (1 + fabs(fref[j])),
                  "frozen mean, step %ld, point %ld: %.15g against %.15g", (long) steps[i],
                  (long) p, fm[j], fref[j]);
            worst = fmax(worst, fabs(c - ref[j]) / (1 + fabs(ref[j])));
            for (drop = 0; drop < _NEFT_O1D_NTERMS; drop++)
                miss[drop] = fmax(miss[drop], fabs(c - terms[drop * n + j] - ref[j])
                                  / (1 + fabs(ref[j])));
            if (p >= nA)
                printf("T = %2ld x%ld: c = %+.12f (single neuron %+.12f; Theta1 %+.3g, "
                       "cov %+.6f, dNTK %+.6f, ddNTK %+.6f)\n", (long) steps[i], (long) p,
                       c, ref[j], terms[j], terms[n + j], terms[2 * n + j], terms[3 * n + j]);
        }
    printf("largest |map - single neuron| / (1 + |c|) = %.3g\n", worst);
    /* Theta1 = 0 at depth 2 (layer 1 is Gaussian): dropping it changes nothing */
    CHECK(miss[_NEFT_O1D_THETA1] <= 1e-9, "Theta1 is not 0 at depth 2: %g",
          miss[_NEFT_O1D_THETA1]);
    for (drop = 1; drop < _NEFT_O1D_NTERMS; drop++)
    {
        printf("without term %ld: misses by %.3g\n", (long) drop, miss[drop]);
        CHECK(miss[drop] > 1e-4, "dropping term %ld goes unnoticed (%g)", (long) drop,
              miss[drop]);
    }
    /* the one-step closed form, -eta^2 lw cw sum (K1_AA Th1_xB + K1_AB Th1_xA) y_B */
    for (p = nA; p < P; p++)
    {
        double c = 0, cf = 0;
        slong A, B;
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
    free(ref); free(fref); free(terms); free(fm);
    _neft_o1d_tensors_clear(&Xt);
}

int
main(void)
{
    check_linear_depth2();
    flint_cleanup();
    return neft_test_finish("t-train-order1-deep");
}
