/* Gradient-descent training at infinite width with the frozen NTK
   (neft/train.h): M_t = Theta_BA eta sum_{k<t} (I - eta Theta_AA)^k by
   binary powering, or Theta_BA Theta_AA^{-1} (I - exp(-eta t Theta_AA)) in
   continuous time; then mean = M_t y and
   cov = K_BB - M_t K_AB - K_BA M_t^T + M_t K_AA M_t^T. */

#include "neft/train.h"
#include "neft/interrupt.h"

/* S = sum_{k<t} B^k, Pw = B^t (nA x nA), by the bits of t from the top:
   (S, P)_{2m} = (S + P S, P^2), (S, P)_{m+1} = (S + P, P B).  0, or -1 on a
   stop request. */
static int
geometric(arb_mat_t S, arb_mat_t Pw, const arb_mat_t B, ulong t, slong prec)
{
    arb_mat_t T;
    int bit;
    arb_mat_init(T, arb_mat_nrows(B), arb_mat_nrows(B));
    arb_mat_zero(S);
    arb_mat_one(Pw);
    for (bit = FLINT_BITS - 1; bit >= 0; bit--)
    {
        if (neft_interrupted())
        {
            arb_mat_clear(T);
            return -1;
        }
        if (t >> bit == 0)
            continue;
        arb_mat_mul(T, Pw, S, prec);
        arb_mat_add(S, S, T, prec);
        arb_mat_sqr(T, Pw, prec);
        arb_mat_swap(T, Pw);
        if ((t >> bit) & 1)
        {
            arb_mat_add(S, S, Pw, prec);
            arb_mat_mul(T, Pw, B, prec);
            arb_mat_swap(T, Pw);
        }
    }
    arb_mat_clear(T);
    return 0;
}

int
neft_train_frozen(arb_ptr mean, arb_mat_t cov, const arb_mat_t K, const arb_mat_t Theta,
                  slong ntrain, arb_srcptr y, const arb_t eta, ulong steps, const arb_t time,
                  int continuous, slong prec)
{
    slong nA = ntrain, nB = arb_mat_nrows(K) - ntrain, i, j;
    arb_mat_t TAA, TBA, KAA, KBA, KBB, G, Pw, M, MK, C;
    int ok = 1;

    arb_mat_init(TAA, nA, nA); arb_mat_init(KAA, nA, nA);
    arb_mat_init(TBA, nB, nA); arb_mat_init(KBA, nB, nA); arb_mat_init(KBB, nB, nB);
    arb_mat_init(G, nA, nA); arb_mat_init(Pw, nA, nA);
    arb_mat_init(M, nB, nA); arb_mat_init(MK, nB, nA); arb_mat_init(C, nB, nB);
    for (i = 0; i < nA; i++)
        for (j = 0; j < nA; j++)
        {
            arb_set(arb_mat_entry(TAA, i, j), arb_mat_entry(Theta, i, j));
            arb_set(arb_mat_entry(KAA, i, j), arb_mat_entry(K, i, j));
        }
    for (i = 0; i < nB; i++)
    {
        for (j = 0; j < nA; j++)
        {
            arb_set(arb_mat_entry(TBA, i, j), arb_mat_entry(Theta, nA + i, j));
            arb_set(arb_mat_entry(KBA, i, j), arb_mat_entry(K, nA + i, j));
        }
        for (j = 0; j < nB; j++)
            arb_set(arb_mat_entry(KBB, i, j), arb_mat_entry(K, nA + i, nA + j));
    }
    if (!continuous)
    {
        /* G = eta sum_{k<t} (I - eta Theta_AA)^k */
        arb_mat_t B;
        arb_mat_init(B, nA, nA);
        arb_mat_scalar_mul_arb(B, TAA, eta, prec);
        arb_mat_neg(B, B);
        for (i = 0; i < nA; i++)
            arb_add_ui(arb_mat_entry(B, i, i), arb_mat_entry(B, i, i), 1, prec);
        ok = geometric(G, Pw, B, steps, prec) == 0;
        arb_mat_scalar_mul_arb(G, G, eta, prec);
        arb_mat_clear(B);
    }
    else
    {
        /* G = Theta_AA^{-1} (I - exp(-eta t Theta_AA)) */
        arb_mat_t E;
        arb_t s;
        arb_mat_init(E, nA, nA);
        arb_init(s);
        arb_mul(s, eta, time, prec);
        arb_neg(s, s);
        arb_mat_scalar_mul_arb(E, TAA, s, prec);
        arb_mat_exp(E, E, prec);
        arb_mat_neg(E, E);
        for (i = 0; i < nA; i++)
            arb_add_ui(arb_mat_entry(E, i, i), arb_mat_entry(E, i, i), 1, prec);
        ok = arb_mat_spd_solve(G, TAA, E, prec) || arb_mat_solve(G, TAA, E, prec);
        arb_mat_clear(E);
        arb_clear(s);
    }
    if (ok)
    {
        /* M = Theta_BA G; mean = M y */
        arb_mat_mul(M, TBA, G, prec);
        for (i = 0; i < nB; i++)
        {
            arb_zero(mean + i);
            for (j = 0; j < nA; j++)
                arb_addmul(mean + i, arb_mat_entry(M, i, j), y + j, prec);
        }
        /* cov = K_BB - M K_AB - K_BA M^T + M K_AA M^T
               = K_BB - (M K_AA - 2 K_BA) M^T symmetrised: write it as
               K_BB - M K_AB - (M K_AB)^T + (M K_AA) M^T */
        arb_mat_t MT, KAB, X;
        arb_mat_init(MT, nA, nB); arb_mat_init(KAB, nA, nB); arb_mat_init(X, nB, nB);
        arb_mat_transpose(MT, M);
        arb_mat_transpose(KAB, KBA);
        arb_mat_mul(X, M, KAB, prec);          /* M K_AB */
        arb_mat_sub(C, KBB, X, prec);
        arb_mat_transpose(X, X);
        arb_mat_sub(C, C, X, prec);
        arb_mat_mul(MK, M, KAA, prec);
        arb_mat_mul(X, MK, MT, prec);
        arb_mat_add(cov, C, X, prec);
        arb_mat_clear(MT); arb_mat_clear(KAB); arb_mat_clear(X);
        for (i = 0; i < nB && ok; i++)
            ok = arb_is_finite(mean + i);
        ok = ok && arb_mat_is_finite(cov);
    }
    if (!ok)
    {
        _arb_vec_indeterminate(mean, nB);
        arb_mat_indeterminate(cov);
    }
    arb_mat_clear(TAA); arb_mat_clear(KAA); arb_mat_clear(TBA); arb_mat_clear(KBA);
    arb_mat_clear(KBB); arb_mat_clear(G); arb_mat_clear(Pw); arb_mat_clear(M);
    arb_mat_clear(MK); arb_mat_clear(C);
    return ok ? 0 : -1;
}

/* the exact twin of geometric() */
static int
geometric_q(fmpq_mat_t S, fmpq_mat_t Pw, const fmpq_mat_t B, ulong t)
{
    fmpq_mat_t T;
    int bit;
    fmpq_mat_init(T, fmpq_mat_nrows(B), fmpq_mat_nrows(B));
    fmpq_mat_zero(S);
    fmpq_mat_one(Pw);
    for (bit = FLINT_BITS - 1; bit >= 0; bit--)
    {
        if (neft_interrupted())
        {
            fmpq_mat_clear(T);
            return -1;
        }
        if (t >> bit == 0)
            continue;
        fmpq_mat_mul(T, Pw, S);
        fmpq_mat_add(S, S, T);
        fmpq_mat_mul(T, Pw, Pw);
        fmpq_mat_swap(T, Pw);
        if ((t >> bit) & 1)
        {
            fmpq_mat_add(S, S, Pw);
            fmpq_mat_mul(T, Pw, B);
            fmpq_mat_swap(T, Pw);
        }
    }
    fmpq_mat_clear(T);
    return 0;
}

int
neft_train_frozen_exact(fmpq * mean, fmpq_mat_t cov, const fmpq_mat_t K,
                        const fmpq_mat_t Theta, slong ntrain, const fmpq * y,
                        const fmpq_t eta, ulong steps)
{
    slong nA = ntrain, nB = fmpq_mat_nrows(K) - ntrain, i, j, k;
    fmpq_mat_t B, G, Pw, M, KM;
    int r = NEFT_SUCCESS;

    fmpq_mat_init(B, nA, nA); fmpq_mat_init(G, nA, nA); fmpq_mat_init(Pw, nA, nA);
    fmpq_mat_init(M, nB, nA); fmpq_mat_init(KM, nA, nB);
    for (i = 0; i < nA; i++)
        for (j = 0; j < nA; j++)
        {
            fmpq_mul(fmpq_mat_entry(B, i, j), fmpq_mat_entry(Theta, i, j), eta);
            fmpq_neg(fmpq_mat_entry(B, i, j), fmpq_mat_entry(B, i, j));
            if (i == j)
                fmpq_add_si(fmpq_mat_entry(B, i, j), fmpq_mat_entry(B, i, j), 1);
        }
    if (geometric_q(G, Pw, B, steps))
        r = NEFT_INTERRUPTED;
    else
    {
        fmpq_mat_scalar_mul_fmpz(G, G, fmpq_numref(eta));
        fmpq_mat_scalar_div_fmpz(G, G, fmpq_denref(eta));
        for (i = 0; i < nB; i++)           /* M = Theta_BA G */
            for (j = 0; j < nA; j++)
            {
                fmpq_zero(fmpq_mat_entry(M, i, j));
                for (k = 0; k < nA; k++)
                    fmpq_addmul(fmpq_mat_entry(M, i, j), fmpq_mat_entry(Theta, nA + i, k),
                                fmpq_mat_entry(G, k, j));
            }
        for (i = 0; i < nA; i++)           /* KM = K_AA M^T - K_AB */
            for (j = 0; j < nB; j++)
            {
                fmpq_neg(fmpq_mat_entry(KM, i, j), fmpq_mat_entry(K, i, nA + j));
                for (k = 0; k < nA; k++)
                    fmpq_addmul(fmpq_mat_entry(KM, i, j), fmpq_mat_entry(K, i, k),
                                fmpq_mat_entry(M, j, k));
            }
        for (i = 0; i < nB; i++)
        {
            fmpq_zero(mean + i);
            for (k = 0; k < nA; k++)
                fmpq_addmul(mean + i, fmpq_mat_entry(M, i, k), y + k);
            /* cov = K_BB - K_BA M^T + M (K_AA M^T - K_AB) */
            for (j = 0; j < nB; j++)
            {
                fmpq * c = fmpq_mat_entry(cov, i, j);
                fmpq_set(c, fmpq_mat_entry(K, nA + i, nA + j));
                for (k = 0; k < nA; k++)
                {
                    fmpq_submul(c, fmpq_mat_entry(K, nA + i, k), fmpq_mat_entry(M, j, k));
                    fmpq_addmul(c, fmpq_mat_entry(M, i, k), fmpq_mat_entry(KM, k, j));
                }
            }
        }
    }
    fmpq_mat_clear(B); fmpq_mat_clear(G); fmpq_mat_clear(Pw); fmpq_mat_clear(M);
    fmpq_mat_clear(KM);
    return r;
}
