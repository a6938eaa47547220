/* c of neft_train_order1_deep's map (src/train/order1_deep*.c) on
   docs/data/learn.csv's points (training (1,0), (0,1), (0.6,0.8), (-0.5,0.25);
   test (1,1), (0.5,-0.5)), C_b = 1/10, lambda = 1, for bench/train_order1_deep.py
   (`neft train --order 1` refuses depth >= 3).
     build/bench/bench-order1-deep ACT DEPTH CW ETA T1,T2,.. [YSCALE [dump]]
   prints "T b c theta1 cov dntk ddntk" per recorded step T and test input b;
   with dump, first the map's tensors, one line each: "name v0 v1 ..." (th,
   th1, K: P^2 entries; cov, dz, ddi, ddii: P^4; row-major, as in
   src/train/order1_deep.h), for bench/order1_deep_pernet.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "train/order1_deep.h"

int
main(int argc, char ** argv)
{
    static const double X[6][2] = {{1, 0}, {0, 1}, {0.6, 0.8}, {-0.5, 0.25}, {1, 1},
                                   {0.5, -0.5}};
    double y[4] = {1, -1, 0.5, 0.3}, ys, eta, * terms;
    const slong P = 6, nA = 4;
    slong steps[64], ns = 0, T = 0, i, s, b, k, n;
    _neft_o1d_tensors Xt;
    neft_net_t net;
    fmpq * x;
    fmpq_t lb, lw, q;
    char msg[256], * tok;
    int st;
    if (argc < 6)
    {
        fprintf(stderr, "usage: %s ACT DEPTH CW ETA T1,T2,.. [YSCALE]\n", argv[0]);
        return 2;
    }
    eta = atof(argv[4]);
    ys = argc > 6 ? atof(argv[6]) : 1.0;
    for (i = 0; i < nA; i++)
        y[i] *= ys;
    for (tok = strtok(argv[5], ","); tok != NULL && ns < 64; tok = strtok(NULL, ","))
    {
        steps[ns] = atol(tok);
        T = FLINT_MAX(T, steps[ns]);
        ns++;
    }
    neft_net_init(net);
    if (neft_net_set_act_name(net, argv[1], NULL, msg, sizeof msg) != NEFT_SUCCESS)
    {
        fprintf(stderr, "%s\n", msg);
        return 2;
    }
    neft_net_set_depth(net, atol(argv[2]));
    net->d_in = 2;
    fmpq_init(lb); fmpq_init(lw); fmpq_init(q);
    fmpq_set_si(lb, 1, 1);
    fmpq_set_si(lw, 1, 1);
    if (fmpq_set_str(q, argv[3], 10) != 0)
        return 2;
    neft_net_set_cw(net, q);
    fmpq_set_si(q, 1, 10);
    neft_net_set_cb(net, q);
    x = _fmpq_vec_init(2 * P);
    for (i = 0; i < 2 * P; i++)
        fmpq_set_si(x + i, (slong) lround(X[i / 2][i % 2] * 100), 100);
    _neft_o1d_tensors_init(&Xt, P, nA, T, eta, y);
    st = _neft_o1d_tensors_onen(&Xt, net, x, lb, lw, 1, msg, sizeof msg);
    if (st != NEFT_SUCCESS)
    {
        fprintf(stderr, "%s\n", msg);
        return 3;
    }
    if (argc > 7 && !strcmp(argv[7], "dump"))
    {
        const char * nm[7] = {"th", "th1", "K", "cov", "dz", "ddi", "ddii"};
        const double * v[7] = {Xt.th, Xt.th1, Xt.K, Xt.cov, Xt.dz, Xt.ddi, Xt.ddii};
        for (k = 0; k < 7; k++)
        {
            const slong m = k < 3 ? P * P : P * P * P * P;
            printf("%s", nm[k]);
            for (i = 0; i < m; i++)
                printf(" %.17g", v[k][i]);
            printf("\n");
        }
    }
    n = (T + 1) * P;
    terms = malloc(sizeof(double) * (size_t) (_NEFT_O1D_NTERMS * n));
    if (_neft_o1d_map(terms, NULL, &Xt) != 0)
        return 1;
    for (s = 0; s < ns; s++)
        for (b = nA; b < P; b++)
        {
            const slong j = steps[s] * P + b;
            double c = 0;
            for (k = 0; k < _NEFT_O1D_NTERMS; k++)
                c += terms[k * n + j];
            printf("%ld %ld %.12g", (long) steps[s], (long) (b - nA), c);
            for (k = 0; k < _NEFT_O1D_NTERMS; k++)
                printf(" %.12g", terms[k * n + j]);
            printf("\n");
        }
    free(terms);
    _neft_o1d_tensors_clear(&Xt);
    _fmpq_vec_clear(x, 2 * P);
    fmpq_clear(lb); fmpq_clear(lw); fmpq_clear(q);
    neft_net_clear(net);
    flint_cleanup();
    return 0;
}
