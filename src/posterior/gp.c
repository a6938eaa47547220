/* The NNGP posterior at the test inputs:
     mean = K_BA (K_AA + s2 I)^{-1} y,  cov = K_BB - K_BA (K_AA + s2 I)^{-1} K_AB,
   by one solve with the right-hand sides [y | K_AB]. */

#include "neft/posterior.h"

int
neft_posterior_gp(arb_ptr mean, arb_mat_t cov, const arb_mat_t K, slong ntrain,
                  arb_srcptr y, const arb_t noise, slong prec)
{
    slong nA = ntrain, nB = arb_mat_nrows(K) - ntrain, i, j;
    arb_mat_t A, R, X, T;
    int ok;

    arb_mat_init(A, nA, nA);
    arb_mat_init(R, nA, nB + 1);
    arb_mat_init(X, nA, nB + 1);
    arb_mat_init(T, nB, nB + 1);
    for (i = 0; i < nA; i++)
    {
        for (j = 0; j < nA; j++)
            arb_set(arb_mat_entry(A, i, j), arb_mat_entry(K, i, j));
        arb_add(arb_mat_entry(A, i, i), arb_mat_entry(A, i, i), noise, prec);
        arb_set(arb_mat_entry(R, i, 0), y + i);
        for (j = 0; j < nB; j++)
            arb_set(arb_mat_entry(R, i, j + 1), arb_mat_entry(K, i, nA + j));
    }
    /* X = (K_AA + s2 I)^{-1} [y | K_AB]: Cholesky first (symmetric positive
       definite), LU when Cholesky is not certified */
    ok = arb_mat_spd_solve(X, A, R, prec) || arb_mat_solve(X, A, R, prec);
    if (ok)
    {
        /* T = K_BA X */
        for (i = 0; i < nB; i++)
            for (j = 0; j <= nB; j++)
            {
                slong k;
                arb_ptr t = arb_mat_entry(T, i, j);
                arb_zero(t);
                for (k = 0; k < nA; k++)
                    arb_addmul(t, arb_mat_entry(K, nA + i, k), arb_mat_entry(X, k, j), prec);
            }
        for (i = 0; i < nB; i++)
        {
            arb_set(mean + i, arb_mat_entry(T, i, 0));
            for (j = 0; j < nB; j++)
                arb_sub(arb_mat_entry(cov, i, j), arb_mat_entry(K, nA + i, nA + j),
                        arb_mat_entry(T, i, j + 1), prec);
        }
        /* symmetric by construction; take the union of the two rounded halves */
        for (i = 0; i < nB; i++)
            for (j = i + 1; j < nB; j++)
            {
                arb_union(arb_mat_entry(cov, i, j), arb_mat_entry(cov, i, j),
                          arb_mat_entry(cov, j, i), prec);
                arb_set(arb_mat_entry(cov, j, i), arb_mat_entry(cov, i, j));
            }
    }
    else
    {
        _arb_vec_indeterminate(mean, nB);
        arb_mat_indeterminate(cov);
    }
    arb_mat_clear(A); arb_mat_clear(R); arb_mat_clear(X); arb_mat_clear(T);
    return ok ? 0 : -1;
}

int
neft_posterior_gp_exact(fmpq * mean, fmpq_mat_t cov, const fmpq_mat_t K, slong ntrain,
                        const fmpq * y, const fmpq_t noise)
{
    slong nA = ntrain, nB = fmpq_mat_nrows(K) - ntrain, i, j, k;
    fmpq_mat_t A, R, X;
    int ok;

    fmpq_mat_init(A, nA, nA);
    fmpq_mat_init(R, nA, nB + 1);
    fmpq_mat_init(X, nA, nB + 1);
    for (i = 0; i < nA; i++)
    {
        for (j = 0; j < nA; j++)
            fmpq_set(fmpq_mat_entry(A, i, j), fmpq_mat_entry(K, i, j));
        fmpq_add(fmpq_mat_entry(A, i, i), fmpq_mat_entry(A, i, i), noise);
        fmpq_set(fmpq_mat_entry(R, i, 0), y + i);
        for (j = 0; j < nB; j++)
            fmpq_set(fmpq_mat_entry(R, i, j + 1), fmpq_mat_entry(K, i, nA + j));
    }
    ok = fmpq_mat_solve(X, A, R);
    if (ok)
        for (i = 0; i < nB; i++)
        {
            fmpq_zero(mean + i);
            for (k = 0; k < nA; k++)
                fmpq_addmul(mean + i, fmpq_mat_entry(K, nA + i, k), fmpq_mat_entry(X, k, 0));
            for (j = 0; j < nB; j++)
            {
                fmpq_set(fmpq_mat_entry(cov, i, j), fmpq_mat_entry(K, nA + i, nA + j));
                for (k = 0; k < nA; k++)
                    fmpq_submul(fmpq_mat_entry(cov, i, j), fmpq_mat_entry(K, nA + i, k),
                                fmpq_mat_entry(X, k, j + 1));
            }
        }
    fmpq_mat_clear(A); fmpq_mat_clear(R); fmpq_mat_clear(X);
    return ok ? NEFT_SUCCESS : NEFT_FAILURE;
}
