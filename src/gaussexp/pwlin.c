/* Gaussian expectations of products of a piecewise-linear activation
   sigma(z) = z (z > 0), s z (z < 0) -- relu (s = 0), leaky-relu, linear
   (s = 1) -- at up to four inputs: E[prod_i sigma(z_i)^{p_i}], z ~ N(0, K).

   sigma(z)^p = z^p (s^p + (1 - s^p) H(z)), so the product is a sum over the
   subsets S of the inputs of E[prod_i z_i^{m_i} prod_{i in S} H(z_i)].
   Stein's identity E[z_k g(z)] = sum_j K_kj E[d_j g(z)] lowers the degree:
   d_j of z_j^m H(z_j) is m z_j^(m-1) H(z_j) for m >= 1, and of H(z_j) alone
   delta(z_j), which conditions on z_j = 0: a factor 1/sqrt(2 pi K_jj) and the
   conditional kernel K_ab - K_aj K_bj / K_jj of the others.  What remains
   are orthant probabilities of at most four Gaussians: closed forms up to
   three, Plackett's identity (six rigorous 1-D integrals) for four
   (src/gaussexp/orthant.c, shared with the rank-4 ReLU moments of
   src/exact/cone4.c).

   A kernel that is singular or nearly so (layer 1 of a net with d_in + 1
   below the number of inputs; collinear inputs) is replaced by K + eps I,
   eps = 2^-80 max K_ii, and the difference bounded by the coupling
   z' = z + sqrt(eps) xi and Hoelder's inequality: with L = max(1, |s|),
   d = sum p_i <= 4,
     |E_K - E_{K + eps I}| <= d L^d sqrt(eps) 3^{d/4} (max K_ii + eps)^{(d-1)/2}
   (every factor in L^4: ||xi||_4 = 3^{1/4}, ||z||_4 <= (3 (K + eps)^2)^{1/4}). */

#include <string.h>
#include "neft/gaussexp.h"
#include "neft/interrupt.h"
#include "orthant.h"

#define EPS_BITS 80
#define EXTRA 110       /* working precision above the caller's: eps's cancellation */

/* ---- Stein's recursion ----------------------------------------------- */

/* res = E[prod_i z_i^{m_i} prod_{i in S} H(z_i)], z ~ N(0, K), n <= 4 */
static int
moment(arb_t res, arb_srcptr K, slong n, const slong * m, unsigned S, slong prec)
{
    slong keep[4], nk = 0, i, j, k0 = -1, deg = 0, m2[4];
    arb_t t, c;
    int st = 0;

    for (i = 0; i < n; i++)
    {
        deg += m[i];
        if (m[i] > 0 || ((S >> i) & 1))
            keep[nk++] = i;
    }
    if (nk < n)
    {
        /* the variables that appear in neither factor integrate out */
        arb_ptr Ks = _arb_vec_init(nk * nk);
        slong ms[4];
        unsigned Ss = 0;
        for (i = 0; i < nk; i++)
        {
            ms[i] = m[keep[i]];
            Ss |= ((S >> keep[i]) & 1u) << i;
            for (j = 0; j < nk; j++)
                arb_set(Ks + i * nk + j, K + keep[i] * n + keep[j]);
        }
        st = moment(res, Ks, nk, ms, Ss, prec);
        _arb_vec_clear(Ks, nk * nk);
        return st;
    }
    if (deg == 0)
    {
        /* the orthant probability, its integrals to 2^-50 (or 2^-prec/2) absolute */
        st = _neft_gaussexp_orthant(res, K, n, prec / 2 > 50 ? 50 : prec / 2, prec);
        return st == NEFT_SUCCESS ? 0 : st == NEFT_INTERRUPTED ? -2 : -1;
    }
    if (S == 0 && deg % 2 == 1)
    {
        arb_zero(res);
        return 0;
    }
    for (i = 0; i < n; i++)
    {
        m2[i] = m[i];
        if (k0 < 0 && m[i] > 0)
            k0 = i;
    }
    m2[k0]--;
    arb_init(t); arb_init(c);
    arb_zero(res);
    for (j = 0; j < n && !st; j++)
    {
        if (arb_is_zero(K + k0 * n + j))
            continue;
        if (m2[j] > 0)
        {
            m2[j]--;
            st = moment(t, K, n, m2, S, prec);
            m2[j]++;
            arb_mul_si(t, t, m2[j], prec);
        }
        else if ((S >> j) & 1)
        {
            /* delta(z_j): condition on z_j = 0 */
            arb_srcptr kjj = K + j * n + j;
            arb_ptr Kc = _arb_vec_init((n - 1) * (n - 1));
            slong mc[4], a, b, ia, ib;
            unsigned Sc = 0;
            if (!arb_is_positive(kjj))
                st = -1;
            for (a = 0, ia = 0; a < n && !st; a++)
            {
                if (a == j)
                    continue;
                mc[ia] = m2[a];
                Sc |= ((S >> a) & 1u) << ia;
                for (b = 0, ib = 0; b < n; b++)
                {
                    if (b == j)
                        continue;
                    arb_mul(c, K + a * n + j, K + b * n + j, prec);
                    arb_div(c, c, kjj, prec);
                    arb_sub(Kc + ia * (n - 1) + ib, K + a * n + b, c, prec);
                    ib++;
                }
                ia++;
            }
            if (!st)
                st = moment(t, Kc, n - 1, mc, Sc, prec);
            if (!st)
            {
                /* / sqrt(2 pi K_jj) */
                arb_const_pi(c, prec);
                arb_mul_2exp_si(c, c, 1);
                arb_mul(c, c, kjj, prec);
                arb_rsqrt(c, c, prec);
                arb_mul(t, t, c, prec);
            }
            _arb_vec_clear(Kc, (n - 1) * (n - 1));
        }
        else
            continue;
        if (!st)
            arb_addmul(res, K + k0 * n + j, t, prec);
    }
    arb_clear(t); arb_clear(c);
    return st;
}

/* 1 if the kernel's pivots are certainly above 2^-40 max K_ii (no regularisation needed) */
static int
well_conditioned(arb_srcptr K, slong n, const arb_t kmax, slong prec)
{
    arb_ptr L = _arb_vec_init(n * n);
    arb_t t, floor_;
    slong i, j, k;
    int ok = 1;
    arb_init(t); arb_init(floor_);
    arb_mul_2exp_si(floor_, kmax, -40);
    for (i = 0; i < n && ok; i++)
        for (j = 0; j <= i && ok; j++)
        {
            arb_set(t, K + i * n + j);
            for (k = 0; k < j; k++)
                arb_submul(t, L + i * n + k, L + j * n + k, prec);
            if (i == j)
            {
                if (!arb_gt(t, floor_))
                    ok = 0;
                else
                    arb_sqrt(L + i * n + i, t, prec);
            }
            else
                arb_div(L + i * n + j, t, L + j * n + j, prec);
        }
    _arb_vec_clear(L, n * n);
    arb_clear(t); arb_clear(floor_);
    return ok;
}

int
neft_gaussexp_pwlin(arb_t res, const arb_t slope, arb_srcptr K, slong n, const slong * pw,
                    slong prec, char * err, size_t errsize)
{
    slong i, d = 0, wp = prec + EXTRA, m[4];
    arb_ptr Ke;
    arb_t kmax, eps, sp, co, t, e, rad;
    unsigned S, all;
    int st = 0, reg;

    if (n < 1 || n > 4)
    {
        snprintf(err, errsize, "piecewise-linear expectations: 1 to 4 inputs, not %ld",
                 (long) n);
        arb_indeterminate(res);
        return NEFT_BAD_INPUT;
    }
    for (i = 0; i < n; i++)
    {
        if (pw[i] < 0)
        {
            snprintf(err, errsize, "piecewise-linear expectations: negative power");
            arb_indeterminate(res);
            return NEFT_BAD_INPUT;
        }
        d += pw[i];
    }
    if (d > 4)
    {
        snprintf(err, errsize, "piecewise-linear expectations: total degree %ld > 4", (long) d);
        arb_indeterminate(res);
        return NEFT_BAD_INPUT;
    }
    Ke = _arb_vec_init(n * n);
    arb_init(kmax); arb_init(eps); arb_init(sp); arb_init(co); arb_init(t); arb_init(e);
    arb_init(rad);
    arb_zero(kmax);
    for (i = 0; i < n; i++)
    {
        if (!arb_is_positive(K + i * n + i))
            st = -1;
        arb_max(kmax, kmax, K + i * n + i, wp);
    }
    _arb_vec_set(Ke, K, n * n);
    reg = !st && !well_conditioned(K, n, kmax, wp);
    if (reg && n == 4 && !arb_is_one(slope))
    {
        /* the Plackett integrals of a (nearly) singular 4 x 4 kernel converge too
           slowly (measured: 20-100 s of CPU): refused */
        snprintf(err, errsize, "four inputs with a singular kernel (rank below 4: layer 1 with "
                 "d_in < 3, or collinear inputs): their orthant probability is not implemented");
        arb_indeterminate(res);
        _arb_vec_clear(Ke, n * n);
        arb_clear(kmax); arb_clear(eps); arb_clear(sp); arb_clear(co); arb_clear(t);
        arb_clear(e); arb_clear(rad);
        return NEFT_UNSUPPORTED;
    }
    if (reg)
    {
        /* Ke = mid(K) + eps I, exact; eps >= 2 n rad makes Ke - K_true positive
           semidefinite for every K_true in the balls (Gershgorin) */
        mag_t mr;
        mag_init(mr);
        mag_zero(mr);
        for (i = 0; i < n * n; i++)
            mag_max(mr, mr, arb_radref(K + i));
        arf_set_mag(arb_midref(rad), mr);
        arb_mul_2exp_si(eps, kmax, -EPS_BITS);
        arb_mul_si(t, rad, 2 * n, wp);
        arb_max(eps, eps, t, wp);
        arb_get_ubound_arf(arb_midref(eps), eps, wp);
        mag_zero(arb_radref(eps));
        for (i = 0; i < n * n; i++)
        {
            arb_set(Ke + i, K + i);
            mag_zero(arb_radref(Ke + i));
        }
        for (i = 0; i < n; i++)
            arb_add(Ke + i * n + i, Ke + i * n + i, eps, wp);
        mag_clear(mr);
    }
    /* sum over the subsets S of the inputs carrying H */
    arb_zero(res);
    all = (1u << n) - 1;
    for (S = 0; S <= all && !st; S++)
    {
        /* prod over the factors (s^p + (1 - s^p) H(z_i)) of the inputs of power p > 0 */
        arb_one(co);
        for (i = 0; i < n; i++)
        {
            if (pw[i] == 0)
            {
                if ((S >> i) & 1)
                    arb_zero(co);
                continue;
            }
            arb_pow_ui(sp, slope, (ulong) pw[i], wp);
            if ((S >> i) & 1)
            {
                arb_sub_ui(sp, sp, 1, wp);
                arb_neg(sp, sp);
            }
            arb_mul(co, co, sp, wp);
        }
        if (arb_is_zero(co))
            continue;
        for (i = 0; i < n; i++)
            m[i] = pw[i];
        st = moment(t, Ke, n, m, S, wp);
        if (!st)
            arb_addmul(res, co, t, wp);
    }
    if (!st && reg)
    {
        /* d L^d sqrt(eps + rad) 3^{d/4} (kmax + eps + rad)^{(d-1)/2}: the coupling
           z' = z + w, w ~ N(0, Ke - K_true), Var w_i <= eps + rad */
        arb_add(eps, eps, rad, wp);
        arb_abs(t, slope);
        arb_max(t, t, (arb_one(e), e), wp);
        arb_pow_ui(t, t, (ulong) d, wp);
        arb_mul_si(t, t, d, wp);
        arb_sqrt(e, eps, wp);
        arb_mul(t, t, e, wp);
        arb_set_ui(e, 3);
        arb_root_ui(e, e, 4, wp);
        arb_pow_ui(e, e, (ulong) d, wp);
        arb_mul(t, t, e, wp);
        arb_add(e, kmax, eps, wp);
        arb_sqrt(e, e, wp);
        arb_pow_ui(e, e, (ulong) (d > 0 ? d - 1 : 0), wp);
        arb_mul(t, t, e, wp);
        arb_add_error(res, t);
    }
    if (st == -2)
        snprintf(err, errsize, "interrupted");
    else if (st)
        snprintf(err, errsize, "a Gaussian expectation of the piecewise-linear activation is "
                 "not certified (a variance not certainly positive)");
    if (st || !arb_is_finite(res))
        arb_indeterminate(res);
    else
        arb_set_round(res, res, prec);
    _arb_vec_clear(Ke, n * n);
    arb_clear(kmax); arb_clear(eps); arb_clear(sp); arb_clear(co); arb_clear(t); arb_clear(e);
    arb_clear(rad);
    return st == -2 ? NEFT_INTERRUPTED : st ? NEFT_FAILURE
        : arb_is_finite(res) ? NEFT_SUCCESS : NEFT_FAILURE;
}
