/* The ball of neft_train_order1 (src/train/order1_ball.c) on docs/data/learn.csv
   (d_in 2, C_b = 1/10, eta = 1/10, lambda = 1) at the test inputs (1, 1) and
   (0.5, -0.5) after T steps: its radius, its parts and its CPU time, and a
   Gauss-Hermite reference (doubles, not a bound) with R nodes.
     build/bench/bench-order1-ball ACT CW T NODES [R]
   With NODES = scan: the cancellation the majorant ignores: the largest
   |S2| + |S3| integrand (E_a included) over a grid of real first-layer points
   (xi_0 = 0, xi_1, xi_2 in -3..3) against the real-line majorant B_real of
   order1_ball.c at the same (t, p).
     build/bench/bench-order1-ball ACT CW T scan */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "train/order1.h"

static const double X[6][2] = {{1, 0}, {0, 1}, {0.6, 0.8}, {-0.5, 0.25}, {1, 1}, {0.5, -0.5}};
static const double Y[4] = {1, -1, 0.5, 0.3};

/* the scan (see the top) after T steps at the test inputs */
static void
scan(const _neft_o1_setup * S)
{
    const slong T = S->T, P = S->P, nA = S->nA, n1 = (T + 1) * P;
    double xg[16], wg[16], xa[10], wa[10], pt[3], one[1] = {1};
    double * cd = malloc(sizeof(double) * (size_t) n1), * fd = malloc(sizeof(double) * (size_t) n1);
    double * G2 = calloc((size_t) n1, sizeof(double)), * G3 = calloc((size_t) n1, sizeof(double));
    double * g2 = malloc(sizeof(double) * (size_t) n1), * g3 = malloc(sizeof(double) * (size_t) n1);
    double * cpa = malloc(sizeof(double) * (size_t) (T * nA + 1));
    double * Bta = malloc(sizeof(double) * (size_t) ((T + 1) * nA * nA));
    double * gpa = malloc(sizeof(double) * (size_t) (nA * T * nA + 1));
    double fmax[16] = {0};
    _neft_o1_sums R;
    _neft_o1_rule rule;
    slong i, j, k, ia, p;
    _neft_o1_gh(xg, wg, 16);
    _neft_o1_gh(xa, wa, 10);
    _neft_o1_sums_init(&R, S);
    memset(&rule, 0, sizeof rule);
    rule.Na = 10;
    rule.xa = xa;
    rule.wa = wa;
    for (j = 0; j <= S->d; j++)
    {
        rule.N0[j] = 16;
        rule.x0[j] = xg;
        rule.w0[j] = wg;
        rule.N[j] = 1;
        rule.x[j] = pt + j;
        rule.w[j] = one;
    }
    pt[0] = 0;
    for (i = 0; i <= 8; i++)
        for (k = 0; k <= 8; k++)
        {
            pt[1] = -3 + 0.75 * (double) i;
            pt[2] = -3 + 0.75 * (double) k;
            if (_neft_o1_rule_run(cd, fd, S, &rule, &R) != 0)
                return;
            for (p = 0; p < P; p++)
                fmax[p] = FLINT_MAX(fmax[p], fabs(R.S2[T * P + p]) + fabs(R.S3[T * P + p]));
        }
    _neft_o1_abs_paths(cpa, Bta, gpa, S, &R);
    for (ia = 0; ia < 10; ia++)
        if (xa[ia] > 0)
        {
            _neft_o1_majorant(g2, g3, S, sqrt(S->cw) * xa[ia], S->act->real, 0, cpa, Bta, gpa);
            for (i = 0; i < n1; i++)
            {
                G2[i] += 2 * wa[ia] * g2[i];
                G3[i] += 2 * wa[ia] * g3[i];
            }
        }
    for (p = 0; p < P; p++)
        printf("  T %ld x%ld: max |S2| + |S3| on the grid %.4g, real-line majorant %.4g, "
               "ratio %.3g\n", (long) T, (long) p, fmax[p], G2[T * P + p] + G3[T * P + p],
               (G2[T * P + p] + G3[T * P + p]) / fmax[p]);
    _neft_o1_sums_clear(&R);
    free(cd); free(fd); free(G2); free(G3); free(g2); free(g3); free(cpa); free(Bta); free(gpa);
}

int
main(int argc, char ** argv)
{
    _neft_o1_setup S;
    const _neft_o1_act * act;
    slong T, nodes, R = 0, p;
    double info[5], cw, t0, * ref = NULL;
    arb_ptr c, f;
    int r;
    if (argc < 5 || (act = _neft_o1_act_lookup(argv[1])) == NULL)
    {
        fprintf(stderr, "usage: bench-order1-ball ACT CW T NODES [REF_NODES]\n");
        return 2;
    }
    cw = atof(argv[2]);
    T = atol(argv[3]);
    nodes = atol(argv[4]);
    if (!strcmp(argv[4], "scan"))
    {
        _neft_o1_setup_init(&S, act, 6, 4, 2, T, &X[0][0], Y, 0.1, 1, 1, cw, 0.1);
        scan(&S);
        flint_cleanup();
        return 0;
    }
    if (argc > 5)
        R = atol(argv[5]);
    _neft_o1_setup_init(&S, act, 6, 4, 2, T, &X[0][0], Y, 0.1, 1, 1, cw, 0.1);
    c = _arb_vec_init((T + 1) * 6);
    f = _arb_vec_init((T + 1) * 6);
    t0 = (double) clock() / CLOCKS_PER_SEC;
    r = _neft_o1_ball(c, f, &S, nodes, info, 128);
    t0 = (double) clock() / CLOCKS_PER_SEC - t0;
    if (R > 0)
    {
        ref = malloc(sizeof(double) * (size_t) (2 * (T + 1) * 6));
        _neft_o1_gh_run(ref, ref + (T + 1) * 6, &S, R);
    }
    printf("%s C_W %g T %ld nodes %ld: status %d, %.2f s CPU, theta %.3f, radius parts: "
           "rule %.3g rounding %.3g parameters %.3g\n", act->name, cw, (long) T, (long) nodes,
           r, t0, info[3], info[0], info[1], info[2]);
    for (p = 4; p < 6 && r == 0; p++)
    {
        double mid, rad;
        _neft_o1_ball_get_d(&mid, &rad, c + T * 6 + p);
        printf("  x%ld: c = %.8f +- %.3g", (long) p - 4, mid, rad);
        if (ref != NULL)
            printf("   Gauss-Hermite %ld nodes: %.8f", (long) R, ref[T * 6 + p]);
        printf("\n");
    }
    free(ref);
    _arb_vec_clear(c, (T + 1) * 6);
    _arb_vec_clear(f, (T + 1) * 6);
    flint_cleanup();
    return r != 0;
}
