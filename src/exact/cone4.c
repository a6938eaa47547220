/* ReLU's Gaussian moments on a span of rank 4 (d_in = 3 with sigma_b > 0,
 * four distinct points in general position).
 *
 * With four distinct points the span's basis is the points themselves
 * (span.c: c_i = e_i), so z = (z_0, .., z_3) ~ N(0, G), G nonsingular, and
 *   M = E[prod_i z_i^{m_i} H(z_i)],   H the unit step,
 * an orthant moment.  Stein's identity E[z_k g(z)] = sum_j K_kj E[d_j g(z)]
 * lowers the degree: d_j (z_j^e H(z_j)) = e z_j^(e-1) H(z_j) for e >= 1 and
 * delta(z_j) for e = 0, which conditions on z_j = 0.  So with
 *   F(e, C) = E[prod_{i not in C} z_i^{e_i} H(z_i) prod_{j in C} delta(z_j)]
 *           = phi_C(0) E[prod_{i not in C} z_i^{e_i} H(z_i) | z_C = 0]
 * (phi_C the density of z_C; e_j = 0 on C), k the first i not in C with
 * e_i > 0 and e' = e - 1_k:
 *   F(e, C) = sum_{j not in C} K^C_kj (e'_j F(e' - 1_j, C)  if e'_j > 0,
 *                                      F(e', C + j)           if e'_j = 0),
 * K^C the conditional covariance given z_C (a Schur complement), down to
 *   F(0, C) = phi_C(0) P(z_i > 0, i not in C | z_C = 0),
 * orthant probabilities of 4 - |C| correlated Gaussians
 * (src/gaussexp/orthant.c, shared with pwlin.c): closed forms up to three,
 * and for four Plackett's identity, six rigorous 1-D integrals
 * (acb_calc_integrate) to 2^-(prec + 24), the only numerical step, done
 * once per moment.  F is
 * memoised over (e, C), so a moment of degree n costs O(n^4) ball
 * operations besides the six integrals.  Every step is a ball operation:
 * an undecidable sign (a variance or a conditional variance not certainly
 * positive) is a FAILURE, never a guess.  Five or more distinct points on
 * a rank-4 span (a cone that is not simplicial) are UNSUPPORTED. */

#include <string.h>
#include "neft/interrupt.h"
#include "exact-internal.h"
#include "../gaussexp/orthant.h"

typedef struct
{
    slong base;                /* exponents 0 .. base - 1 */
    arb_ptr K;                 /* 16 conditional covariances per C (row-major 4 x 4) */
    arb_ptr P;                 /* phi_C(0) P(orthant | z_C = 0) per C */
    arb_ptr F;                 /* memo: 16 base^4 */
    char * have;
    slong prec, goal;          /* working precision, the Plackett integrals' goal */
}
f4_struct;

/* per C: the conditional covariance K^C (Schur complement, conditioning on
   the members of C in increasing order; the pivots certainly positive, else
   FAILURE) and phi_C(0) times the orthant probability of the rest */
static int
prepare(f4_struct * f, arb_srcptr G, slong prec)
{
    ulong C;
    slong i, j, a;
    arb_t t, dens, pi2;
    arb_ptr Kr = _arb_vec_init(16);
    int status = NEFT_EXACT_SUCCESS;
    arb_init(t); arb_init(dens); arb_init(pi2);
    arb_const_pi(pi2, prec);
    arb_mul_2exp_si(pi2, pi2, 1);
    for (C = 0; C < 16 && status == NEFT_EXACT_SUCCESS; C++)
    {
        arb_ptr K = f->K + 16 * C;
        slong rest[4], nr = 0;
        _arb_vec_set(K, G, 16);
        arb_one(dens);
        for (a = 0; a < 4 && status == NEFT_EXACT_SUCCESS; a++)
        {
            if (!((C >> a) & 1))
            {
                rest[nr++] = a;
                continue;
            }
            if (!arb_is_positive(K + 5 * a))
            {
                status = NEFT_EXACT_FAILURE;
                break;
            }
            /* phi(0) of z_a given the earlier members: 1 / sqrt(2 pi K_aa) */
            arb_mul(t, pi2, K + 5 * a, prec);
            arb_rsqrt(t, t, prec);
            arb_mul(dens, dens, t, prec);
            for (i = 0; i < 4; i++)
                for (j = 0; j < 4; j++)
                    if (i != a && j != a)
                    {
                        arb_mul(t, K + 4 * i + a, K + 4 * a + j, prec);
                        arb_div(t, t, K + 5 * a, prec);
                        arb_sub(K + 4 * i + j, K + 4 * i + j, t, prec);
                    }
            for (i = 0; i < 4; i++)
            {
                arb_zero(K + 4 * i + a);
                arb_zero(K + 4 * a + i);
            }
        }
        if (status != NEFT_EXACT_SUCCESS)
            break;
        /* the orthant probability of the rest (src/gaussexp/orthant.c) */
        for (i = 0; i < nr; i++)
            for (j = 0; j < nr; j++)
                arb_set(Kr + i * nr + j, K + 4 * rest[i] + rest[j]);
        status = _neft_gaussexp_orthant(f->P + C, Kr, nr, f->goal, prec);
        arb_mul(f->P + C, f->P + C, dens, prec);
    }
    arb_clear(t); arb_clear(dens); arb_clear(pi2);
    _arb_vec_clear(Kr, 16);
    return status;
}

/* F(e, C) as above (memoised) */
static void
F(arb_t res, f4_struct * f, slong * e, ulong C)
{
    slong key = C, i, j, k = -1;
    arb_srcptr K = f->K + 16 * C;
    arb_t t;
    for (i = 0; i < 4; i++)
        key = key * f->base + e[i];
    if (f->have[key])
    {
        arb_set(res, f->F + key);
        return;
    }
    for (i = 0; i < 4 && k < 0; i++)
        if (!((C >> i) & 1) && e[i] > 0)
            k = i;
    if (k < 0)
        arb_set(res, f->P + C);
    else
    {
        arb_init(t);
        arb_zero(f->F + key);
        e[k]--;
        for (j = 0; j < 4; j++)
        {
            if ((C >> j) & 1 || arb_is_zero(K + 4 * k + j))
                continue;
            if (e[j] > 0)
            {
                e[j]--;
                F(t, f, e, C);
                e[j]++;
                arb_mul_si(t, t, e[j], f->prec);
            }
            else
                F(t, f, e, C | (UWORD(1) << j));
            arb_addmul(f->F + key, K + 4 * k + j, t, f->prec);
        }
        e[k]++;
        arb_set(res, f->F + key);
        arb_clear(t);
    }
    arb_set(f->F + key, res);
    f->have[key] = 1;
}

int
_neft_exact_relu_cone4(arb_t res, const _neft_exact_span_struct * S, slong n, slong prec,
                       char * err, size_t errsize)
{
    f4_struct f;
    slong e[4], i, size, ip = prec + 64;
    int status;

    if (S->r != 4 || S->m != 4)
    {
        snprintf(err, errsize, "relu with %ld distinct points on a span of rank %ld is not "
                 "implemented (rank 4: exactly four distinct points; see docs/cmd-exact.md)",
                 (long) S->m, (long) S->r);
        arb_indeterminate(res);
        return NEFT_EXACT_UNSUPPORTED;
    }
    f.base = n + 1;
    f.prec = ip;
    f.goal = prec + 24;
    size = 16 * f.base * f.base * f.base * f.base;
    f.K = _arb_vec_init(16 * 16);
    f.P = _arb_vec_init(16);
    f.F = _arb_vec_init(size);
    f.have = flint_calloc(size, 1);
    /* span.c: the basis is the four points, z_{pt_i} = z_{B_i} (ct = |det| e_i) */
    status = prepare(&f, S->G, ip);
    if (status == NEFT_EXACT_SUCCESS)
    {
        for (i = 0; i < 4; i++)
            e[i] = S->mult[S->Brow[i]];
        F(res, &f, e, 0);
        if (!arb_is_finite(res))
            status = NEFT_EXACT_FAILURE;
        else
            arb_set_round(res, res, prec);
    }
    if (status == NEFT_EXACT_FAILURE)
        snprintf(err, errsize, "the orthant moment of the four pre-activations is not "
                 "certified (a conditional variance not certainly positive, or a Plackett "
                 "integral without a finite enclosure)");
    else if (status == NEFT_EXACT_INTERRUPTED)
        snprintf(err, errsize, "interrupted");
    if (status != NEFT_EXACT_SUCCESS)
        arb_indeterminate(res);
    _arb_vec_clear(f.K, 16 * 16);
    _arb_vec_clear(f.P, 16);
    _arb_vec_clear(f.F, size);
    flint_free(f.have);
    return status;
}
