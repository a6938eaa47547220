/* The rigorous ball of neft_train_order1 for tanh (src/train/order1_ball.c)
   on docs/data/learn.csv (C_W = 2, C_b = 1/10, eta = 1/10): */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "train/order1.h"
#include "neft-test.h"

static const double X[6][2] = {{1, 0}, {0, 1}, {0.6, 0.8}, {-0.5, 0.25}, {1, 1}, {0.5, -0.5}};
static const double Y[4] = {1, -1, 0.5, 0.3};

static void
f_tanh(double * f, double z, double par)
{
    double t = tanh(z), s = 1 - t * t;
    (void) par;
    f[0] = t; f[1] = s; f[2] = -2 * t * s; f[3] = -2 * s * s + 4 * t * t * s;
}

static void
setup(_neft_o1_setup * S, slong T)
{
    slong p, q;
    memset(S, 0, sizeof *S);
    S->P = 6; S->nA = 4; S->nB = 2; S->d = 2; S->T = T;
    S->x = &X[0][0]; S->y = Y;
    S->eta = 0.1; S->lb = 1; S->lw = 1; S->cw = 2; S->cb = 0.1;
    S->f = f_tanh;
    for (p = 0; p < 6; p++)
        for (q = 0; q < 6; q++)
            S->th1[p][q] = 1 + (X[p][0] * X[q][0] + X[p][1] * X[q][1]) / 2;
}

int
main(int argc, char ** argv)
{
    _neft_o1_setup S;
    slong T = argc > 1 ? atol(argv[1]) : 10, N = argc > 2 ? atol(argv[2]) : 15, t, p;
    arb_ptr c = _arb_vec_init((T + 1) * 6), f = _arb_vec_init((T + 1) * 6);
    double info[5];
    int r;
    setup(&S, T);
    r = _neft_o1_ball(c, f, &S, N, info, 128);
    printf("r %d quad %.3g round %.3g param %.3g theta %.3g nodes %g\n", r, info[0], info[1],
           info[2], info[3], info[4]);
    for (t = 0; t <= T; t += (T > 5 ? T / 5 : 1))
        for (p = 4; p < 6; p++)
        {
            printf("t %ld p %ld ", (long) t, (long) p);
            arb_printd(c + t * 6 + p, 12);
            printf("\n");
        }
    _arb_vec_clear(c, (T + 1) * 6);
    _arb_vec_clear(f, (T + 1) * 6);
    flint_cleanup();
    return 0;
}
