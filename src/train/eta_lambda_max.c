/* neft_train_eta_lambda_max: eta times the largest eigenvalue of Theta_AA
   in doubles (cyclic Jacobi on the midpoints; see neft/train.h). */
#include <math.h>
#include <stdlib.h>
#include "neft/train.h"

double
neft_train_eta_lambda_max(const arb_mat_t Theta, slong nA, const fmpq_t eta)
{
    double * a, best, e;
    slong i, j, k, p, q, sweep;
    if (nA <= 0)
        return NAN;
    a = malloc(sizeof(double) * nA * nA);
    for (i = 0; i < nA; i++)
        for (j = 0; j < nA; j++)
            a[i * nA + j] = 0.5 * (arf_get_d(arb_midref(arb_mat_entry(Theta, i, j)), ARF_RND_NEAR)
                                   + arf_get_d(arb_midref(arb_mat_entry(Theta, j, i)), ARF_RND_NEAR));
    for (sweep = 0; sweep < 100; sweep++)
    {
        double off = 0, tot = 0;
        for (p = 0; p < nA; p++)
            for (q = 0; q < nA; q++)
            {
                tot += a[p * nA + q] * a[p * nA + q];
                if (p != q)
                    off += a[p * nA + q] * a[p * nA + q];
            }
        if (!(off > 1e-30 * tot))
            break;
        for (p = 0; p < nA; p++)
            for (q = p + 1; q < nA; q++)
            {
                double apq = a[p * nA + q], th, t, c, s;
                if (apq == 0)
                    continue;
                th = (a[q * nA + q] - a[p * nA + p]) / (2 * apq);
                t = (th >= 0 ? 1.0 : -1.0) / (fabs(th) + sqrt(th * th + 1));
                c = 1 / sqrt(t * t + 1);
                s = t * c;
                for (k = 0; k < nA; k++)       /* columns p, q: A <- A J */
                {
                    double akp = a[k * nA + p], akq = a[k * nA + q];
                    a[k * nA + p] = c * akp - s * akq;
                    a[k * nA + q] = s * akp + c * akq;
                }
                for (k = 0; k < nA; k++)       /* rows p, q: A <- J^T A */
                {
                    double apk = a[p * nA + k], aqk = a[q * nA + k];
                    a[p * nA + k] = c * apk - s * aqk;
                    a[q * nA + k] = s * apk + c * aqk;
                }
            }
    }
    best = a[0];
    for (i = 1; i < nA; i++)
        if (a[i * nA + i] > best)
            best = a[i * nA + i];
    free(a);
    e = fmpq_get_d(eta);
    return e * best;
}
