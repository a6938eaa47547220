/* Gaussian expectations of products of a piecewise-linear activation
   sigma(z) = z (z > 0), s z (z < 0) -- relu (s = 0), leaky-relu, linear
   (s = 1) -- at up to four inputs: E[prod_i sigma(z_i)^{p_i}], z ~ N(0, K).

   sigma(z)^p = z^p (s^p + (1 - s^p) H(z)), so the product is a sum over the
   subsets S of the inputs of E[prod_i z_i^{m_i} prod_{i in S} H(z_i)].
   Stein's identity E[z_k g(z)] = sum_j K_kj E[d_j g(z)] lowers the degree:
   d_j of z_j^m H(z_j) is m z_j^(m-1) H(z_j) for m >= 1, and of H(z_j) alone
   delta(z_j), which conditions on z_j = 0: a factor 1/sqrt(2 pi K_jj) and the
   conditional kernel K_ab - K_aj K_bj / K_jj of the others.  What remains
   are orthant probabilities of at most four Gaussians, with R the
   correlations:
     1 input   1/2
     2 inputs  1/4 + asin(R_01)/(2 pi)
     3 inputs  1/8 + sum_{i<j} asin(R_ij)/(4 pi)
     4 inputs  1/16 + sum_{i<j} asin(R_ij)/(8 pi)
               + 1/(4 pi^2) sum_{i<j} int_0^{asin R_ij} asin(R_kl|ij(u)) du,
   the last by Plackett's identity dP/dR_ij = phi_2(0, 0; R_ij) P(z_k, z_l > 0
   | z_i = z_j = 0) along the path R(t) = I + t (R - I), t = sin(u) / R_ij
   (so that the bivariate density's 1/sqrt(1 - t^2 R_ij^2) is absorbed),
   {k, l} the complement of {i, j} and R_kl|ij(u) the partial correlation at
   R(t): one rigorous 1-D integral each (acb_calc_integrate; the integrand is
   bounded by pi/2, and where it is not analytic -- at the end point when
   the kernel is singular -- the direct evaluation bounds it).

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
#include "acb_calc.h"

#define EPS_BITS 80
#define EXTRA 110       /* working precision above the caller's: eps's cancellation */

/* ---- orthant probabilities ------------------------------------------- */

/* the angle theta_ij = atan2(sqrt(K_ii K_jj - K_ij^2), K_ij) in [0, pi]:
   asin(R_ij) = pi/2 - theta_ij, robust where |R_ij| -> 1 */
static void
theta(arb_t th, arb_srcptr K, slong n, slong i, slong j, slong prec)
{
    arb_t d;
    arb_init(d);
    arb_mul(d, K + i * n + i, K + j * n + j, prec);
    arb_submul(d, K + i * n + j, K + i * n + j, prec);
    arb_sqrtpos(d, d, prec);
    arb_atan2(th, d, K + i * n + j, prec);
    arb_clear(d);
}

typedef struct
{
    arb_struct r[4][4];    /* the correlations */
    slong i, j, k, l;
}
p4_struct;

/* the integrand asin(R_kl|ij(u)) at R(t), t = sin(u) / R_ij */
static int
p4_integrand(acb_ptr out, const acb_t u, void * param, slong order, slong prec)
{
    const p4_struct * p = param;
    slong i = p->i, j = p->j, k = p->k, l = p->l;
    acb_t su, t, rij, rki, rkj, rli, rlj, rkl, ckk, cll, ckl, w, v;
    acb_init(su); acb_init(t); acb_init(rij); acb_init(rki); acb_init(rkj);
    acb_init(rli); acb_init(rlj); acb_init(rkl); acb_init(ckk); acb_init(cll);
    acb_init(ckl); acb_init(w); acb_init(v);

    acb_sin(su, u, prec);
    acb_set(rij, su);
    acb_div_arb(t, su, &p->r[i][j], prec);
#define R_AT(dst, a, b) acb_mul_arb(dst, t, &p->r[a][b], prec)
    R_AT(rki, k, i); R_AT(rkj, k, j); R_AT(rli, l, i); R_AT(rlj, l, j); R_AT(rkl, k, l);
#undef R_AT
    /* (1 - r_ij^2) times the conditional covariance of (k, l) given (i, j) */
    acb_mul(w, rij, rij, prec);
    acb_sub_ui(w, w, 1, prec);
    acb_neg(w, w);                                   /* 1 - r_ij^2 */
    acb_mul(ckl, w, rkl, prec);
    acb_submul(ckl, rki, rli, prec);
    acb_submul(ckl, rkj, rlj, prec);
    acb_mul(v, rki, rlj, prec);
    acb_addmul(v, rkj, rli, prec);
    acb_addmul(ckl, v, rij, prec);
    acb_set(ckk, w);
    acb_submul(ckk, rki, rki, prec);
    acb_submul(ckk, rkj, rkj, prec);
    acb_mul(v, rki, rkj, prec);
    acb_mul_2exp_si(v, v, 1);
    acb_addmul(ckk, v, rij, prec);
    acb_set(cll, w);
    acb_submul(cll, rli, rli, prec);
    acb_submul(cll, rlj, rlj, prec);
    acb_mul(v, rli, rlj, prec);
    acb_mul_2exp_si(v, v, 1);
    acb_addmul(cll, v, rij, prec);

    if (order == 0 && acb_is_real(u))
    {
        /* direct evaluation on a real segment: asin(c) = atan2(C_kl, sqrt(C_kk C_ll - C_kl^2)),
           C_kk, C_ll >= 0 there; the value lies in [-pi/2, pi/2] */
        arb_t a, b;
        arb_init(a); arb_init(b);
        arb_mul(a, acb_realref(ckk), acb_realref(cll), prec);
        arb_submul(a, acb_realref(ckl), acb_realref(ckl), prec);
        arb_sqrtpos(a, a, prec);
        arb_atan2(b, acb_realref(ckl), a, prec);
        arb_const_pi(a, prec);
        arb_mul_2exp_si(a, a, -1);
        if (!arb_is_finite(b))
        {
            /* atan2(y, x >= 0) lies in [-pi/2, pi/2]: the trivial bound */
            arb_zero(b);
            arb_add_error(b, a);
        }
        acb_set_arb(out, b);
        arb_clear(a); arb_clear(b);
    }
    else
    {
        mag_t m;
        mag_init(m);
        acb_mul(v, ckk, cll, prec);
        acb_sqrt_analytic(v, v, order != 0, prec);
        acb_div(v, ckl, v, prec);
        acb_get_mag(m, v);
        if (acb_is_finite(v) && mag_cmp_2exp_si(m, 0) < 0)
            acb_asin(out, v, prec);            /* inside the unit disc: holomorphic */
        else
            acb_indeterminate(out);
        mag_clear(m);
    }
    acb_clear(su); acb_clear(t); acb_clear(rij); acb_clear(rki); acb_clear(rkj);
    acb_clear(rli); acb_clear(rlj); acb_clear(rkl); acb_clear(ckk); acb_clear(cll);
    acb_clear(ckl); acb_clear(w); acb_clear(v);
    return 0;
}

/* P(z_i > 0 for all i < n), n <= 4, K n x n; -1 if a variance is not
   certainly positive or an integral is not certified */
static int
orthant(arb_t res, arb_srcptr K, slong n, slong prec)
{
    slong i, j;
    arb_t s, th, pi;
    int st = 0;
    for (i = 0; i < n; i++)
        if (!arb_is_positive(K + i * n + i))
            return -1;
    if (n == 0)
    {
        arb_one(res);
        return 0;
    }
    if (n == 1)
    {
        arb_set_d(res, 0.5);
        return 0;
    }
    arb_init(s); arb_init(th); arb_init(pi);
    arb_const_pi(pi, prec);
    /* s = sum_{i<j} asin R_ij = sum (pi/2 - theta_ij) */
    arb_zero(s);
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
        {
            theta(th, K, n, i, j, prec);
            arb_sub(s, s, th, prec);
        }
    arb_mul_si(th, pi, n * (n - 1) / 2, prec);
    arb_mul_2exp_si(th, th, -1);
    arb_add(s, s, th, prec);
    /* 2^-n + s / (2^(n-1) pi) */
    arb_div(s, s, pi, prec);
    arb_mul_2exp_si(s, s, -(n - 1));
    arb_one(res);
    arb_mul_2exp_si(res, res, -n);
    arb_add(res, res, s, prec);
    if (n == 4)
    {
        p4_struct p;
        acb_t a, b, v;
        arb_t al, acc;
        mag_t tol;
        acb_calc_integrate_opt_t opt;
        slong q;
        acb_init(a); acb_init(b); acb_init(v);
        arb_init(al); arb_init(acc);
        mag_init(tol);
        acb_calc_integrate_opt_init(opt);
        /* low degrees and deep bisection: the integrand is smooth except near an end
           point of a (nearly) singular kernel, where only bisection helps */
        opt->deg_limit = 40;
        opt->depth_limit = 4 * prec;
        opt->eval_limit = 2000000;
        for (i = 0; i < 4; i++)
            for (j = 0; j < 4; j++)
            {
                arb_init(&p.r[i][j]);
                arb_mul(&p.r[i][j], K + i * 4 + i, K + j * 4 + j, prec);
                arb_rsqrt(&p.r[i][j], &p.r[i][j], prec);
                arb_mul(&p.r[i][j], &p.r[i][j], K + i * 4 + j, prec);
            }
        mag_set_ui_2exp_si(tol, 1, -(prec / 2 > 50 ? 50 : prec / 2));
        arb_zero(acc);
        for (q = 0; q < 6 && !st; q++)
        {
            static const slong pr[6][4] = { {0, 1, 2, 3}, {0, 2, 1, 3}, {0, 3, 1, 2},
                                            {1, 2, 0, 3}, {1, 3, 0, 2}, {2, 3, 0, 1} };
            p.i = pr[q][0]; p.j = pr[q][1]; p.k = pr[q][2]; p.l = pr[q][3];
            theta(th, K, 4, p.i, p.j, prec);
            arb_mul_2exp_si(al, pi, -1);
            arb_sub(al, al, th, prec);             /* asin R_ij */
            if (arb_contains_zero(&p.r[p.i][p.j]))
            {
                /* |integral| <= |asin R_ij| pi/2 */
                arb_t m;
                arb_init(m);
                arb_get_abs_ubound_arf(arb_midref(m), al, prec);
                arb_mul(m, m, pi, prec);
                arb_mul_2exp_si(m, m, -1);
                arb_add_error(acc, m);
                arb_clear(m);
                continue;
            }
            /* integrate to the midpoint of asin R_ij; the rest is within rad * pi/2 */
            acb_zero(a);
            acb_zero(b);
            arf_set(arb_midref(acb_realref(b)), arb_midref(al));
            if (neft_interrupted())
            {
                st = -2;
                break;
            }
            acb_calc_integrate(v, p4_integrand, &p, a, b, prec, tol, opt, prec);
            if (!arb_is_finite(acb_realref(v)))
            {
                st = -1;
                break;
            }
            arb_add(acc, acc, acb_realref(v), prec);
            {
                arb_t m;
                arb_init(m);
                arf_set_mag(arb_midref(m), arb_radref(al));
                arb_mul(m, m, pi, prec);
                arb_mul_2exp_si(m, m, -1);
                arb_add_error(acc, m);
                arb_clear(m);
            }
        }
        arb_mul(th, pi, pi, prec);
        arb_mul_2exp_si(th, th, 2);
        arb_div(acc, acc, th, prec);
        arb_add(res, res, acc, prec);
        for (i = 0; i < 4; i++)
            for (j = 0; j < 4; j++)
                arb_clear(&p.r[i][j]);
        acb_clear(a); acb_clear(b); acb_clear(v);
        arb_clear(al); arb_clear(acc);
        mag_clear(tol);
    }
    arb_clear(s); arb_clear(th); arb_clear(pi);
    return st;
}

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
        return orthant(res, K, n, prec);
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
