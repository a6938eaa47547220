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
 * orthant probabilities of 4 - |C| correlated Gaussians:
 *   0: 1;  1: 1/2;  2: 1/4 + asin(r)/(2 pi);  3: 1/8 + sum asin(r_ij)/(4 pi);
 *   4: 1/16 + sum_{i<j} asin(r_ij)/(8 pi)
 *        + 1/(4 pi^2) sum_{i<j} int_0^{asin r_ij} asin(r_kl|ij(u)) du
 * (Plackett's identity along R(t) = I + t (R - I), t = sin(u) / r_ij; r_kl|ij
 * the partial correlation at R(t)): six rigorous 1-D integrals
 * (acb_calc_integrate), the only numerical step, done once per moment; the
 * asin are atan2 of the 2 x 2 minors (no loss where |r| -> 1).  F is
 * memoised over (e, C), so a moment of degree n costs O(n^4) ball
 * operations besides the six integrals.  Every step is a ball operation:
 * an undecidable sign (a variance or a conditional variance not certainly
 * positive) is a FAILURE, never a guess.  Five or more distinct points on
 * a rank-4 span (a cone that is not simplicial) are UNSUPPORTED. */

#include <string.h>
#include "acb_calc.h"
#include "neft/interrupt.h"
#include "exact-internal.h"

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

/* asin(K_ij / sqrt(K_ii K_jj)) = atan2(K_ij, sqrt(K_ii K_jj - K_ij^2)) */
static void
asin_corr(arb_t r, arb_srcptr K, slong i, slong j, slong prec)
{
    arb_t d;
    arb_init(d);
    arb_mul(d, K + 5 * i, K + 5 * j, prec);
    arb_submul(d, K + 4 * i + j, K + 4 * i + j, prec);
    arb_sqrtpos(d, d, prec);
    arb_atan2(r, K + 4 * i + j, d, prec);
    arb_clear(d);
}

typedef struct
{
    acb_struct r[16];          /* the correlations */
    slong i, j, k, l;
}
plackett_struct;

/* asin of the partial correlation of (k, l) given (i, j) at R(t),
   t = sin(u) / r_ij; analytic where |that correlation| < 1 */
static int
plackett_f(acb_ptr out, const acb_t u, void * param, slong order, slong prec)
{
    const plackett_struct * p = param;
    slong idx[2], a, ab;
    acb_t s, t, w, c[3], x;
    acb_init(s); acb_init(t); acb_init(w); acb_init(x);
    for (a = 0; a < 3; a++)
        acb_init(c[a]);
    acb_sin(s, u, prec);
    acb_div(t, s, p->r + 4 * p->i + p->j, prec);
    idx[0] = p->k;
    idx[1] = p->l;
    /* c = (1 - s^2) times the conditional covariance: for (a, b) in
       (k, k), (l, l), (k, l), with A = R(t), A_ij = s:
       (1 - s^2) A_ab - A_ai A_bi - A_aj A_bj + s (A_ai A_bj + A_aj A_bi) */
    acb_sqr(w, s, prec);
    acb_sub_ui(w, w, 1, prec);
    acb_neg(w, w);
    for (ab = 0; ab < 3; ab++)
    {
        slong ia = idx[ab == 1], ib = idx[ab != 0];
        acb_t ai, aj, bi, bj;
        acb_init(ai); acb_init(aj); acb_init(bi); acb_init(bj);
        acb_mul(ai, t, p->r + 4 * ia + p->i, prec);
        acb_mul(aj, t, p->r + 4 * ia + p->j, prec);
        acb_mul(bi, t, p->r + 4 * ib + p->i, prec);
        acb_mul(bj, t, p->r + 4 * ib + p->j, prec);
        if (ia == ib)
            acb_set(c[ab], w);
        else
        {
            acb_mul(c[ab], t, p->r + 4 * ia + ib, prec);
            acb_mul(c[ab], c[ab], w, prec);
        }
        acb_submul(c[ab], ai, bi, prec);
        acb_submul(c[ab], aj, bj, prec);
        acb_mul(x, ai, bj, prec);
        acb_addmul(x, aj, bi, prec);
        acb_addmul(c[ab], x, s, prec);
        acb_clear(ai); acb_clear(aj); acb_clear(bi); acb_clear(bj);
    }
    if (order == 0 && acb_is_real(u))
    {
        /* a real node: atan2(c_kl, sqrt(c_kk c_ll - c_kl^2)), in [-pi/2, pi/2] */
        arb_t d, v;
        arb_init(d); arb_init(v);
        arb_mul(d, acb_realref(c[0]), acb_realref(c[1]), prec);
        arb_submul(d, acb_realref(c[2]), acb_realref(c[2]), prec);
        arb_sqrtpos(d, d, prec);
        arb_atan2(v, acb_realref(c[2]), d, prec);
        if (!arb_is_finite(v))
        {
            arb_const_pi(d, prec);
            arb_mul_2exp_si(d, d, -1);
            arb_zero(v);
            arb_add_error(v, d);
        }
        acb_set_arb(out, v);
        arb_clear(d); arb_clear(v);
    }
    else
    {
        mag_t m;
        mag_init(m);
        acb_mul(x, c[0], c[1], prec);
        acb_sqrt_analytic(x, x, order != 0, prec);
        acb_div(x, c[2], x, prec);
        acb_get_mag(m, x);
        if (acb_is_finite(x) && mag_cmp_2exp_si(m, 0) < 0)
            acb_asin(out, x, prec);
        else
            acb_indeterminate(out);
        mag_clear(m);
    }
    acb_clear(s); acb_clear(t); acb_clear(w); acb_clear(x);
    for (a = 0; a < 3; a++)
        acb_clear(c[a]);
    return 0;
}

/* P(z > 0) for z ~ N(0, K), K 4 x 4 positive definite (diagonal checked by
   the caller); SUCCESS, FAILURE (an integral not certified), INTERRUPTED */
static int
orthant4(arb_t res, arb_srcptr K, slong goal, slong prec)
{
    static const slong pairs[6][4] = { {0, 1, 2, 3}, {0, 2, 1, 3}, {0, 3, 1, 2},
                                       {1, 2, 0, 3}, {1, 3, 0, 2}, {2, 3, 0, 1} };
    plackett_struct p;
    acb_t a, b, v;
    arb_t al, acc, pi, e;
    mag_t tol;
    acb_calc_integrate_opt_t opt;
    slong q, i, j;
    int status = NEFT_EXACT_SUCCESS;

    acb_init(a); acb_init(b); acb_init(v);
    arb_init(al); arb_init(acc); arb_init(pi); arb_init(e);
    mag_init(tol);
    for (i = 0; i < 16; i++)
        acb_init(p.r + i);
    for (i = 0; i < 4; i++)
        for (j = 0; j < 4; j++)
        {
            arb_mul(acb_realref(p.r + 4 * i + j), K + 5 * i, K + 5 * j, prec);
            arb_rsqrt(acb_realref(p.r + 4 * i + j), acb_realref(p.r + 4 * i + j), prec);
            arb_mul(acb_realref(p.r + 4 * i + j), acb_realref(p.r + 4 * i + j), K + 4 * i + j,
                    prec);
        }
    acb_calc_integrate_opt_init(opt);
    opt->deg_limit = 60;
    opt->depth_limit = 4 * prec;
    opt->eval_limit = 200000;
    mag_set_ui_2exp_si(tol, 1, -goal);
    arb_const_pi(pi, prec);
    /* 1/16 + sum asin r_ij / (8 pi) + sum of the integrals / (4 pi^2) */
    arb_zero(acc);
    arb_zero(res);
    for (q = 0; q < 6 && status == NEFT_EXACT_SUCCESS; q++)
    {
        p.i = pairs[q][0]; p.j = pairs[q][1]; p.k = pairs[q][2]; p.l = pairs[q][3];
        asin_corr(al, K, p.i, p.j, prec);
        arb_add(res, res, al, prec);
        if (arb_is_zero(al))
            continue;
        arb_const_pi(e, prec);
        arb_mul_2exp_si(e, e, -1);
        if (arb_contains_zero(acb_realref(p.r + 4 * p.i + p.j)))
        {
            /* |integral| <= |asin r_ij| pi / 2 */
            arb_get_abs_ubound_arf(arb_midref(acb_realref(v)), al, prec);
            mag_zero(arb_radref(acb_realref(v)));
            arb_mul(e, e, acb_realref(v), prec);
            arb_add_error(acc, e);
            continue;
        }
        /* to the midpoint of asin r_ij; the rest is within its radius times pi/2 */
        acb_zero(a);
        acb_zero(b);
        arf_set(arb_midref(acb_realref(b)), arb_midref(al));
        if (neft_interrupted())
        {
            status = NEFT_EXACT_INTERRUPTED;
            break;
        }
        acb_calc_integrate(v, plackett_f, &p, a, b, goal, tol, opt, prec);
        if (!arb_is_finite(acb_realref(v)))
        {
            status = NEFT_EXACT_FAILURE;
            break;
        }
        arb_add(acc, acc, acb_realref(v), prec);
        arb_zero(acb_realref(v));
        arf_set_mag(arb_midref(acb_realref(v)), arb_radref(al));
        arb_mul(e, e, acb_realref(v), prec);
        arb_add_error(acc, e);
    }
    arb_div(res, res, pi, prec);
    arb_mul_2exp_si(res, res, -3);
    arb_set_d(e, 0.0625);
    arb_add(res, res, e, prec);
    arb_sqr(e, pi, prec);
    arb_mul_2exp_si(e, e, 2);
    arb_div(acc, acc, e, prec);
    arb_add(res, res, acc, prec);
    for (i = 0; i < 16; i++)
        acb_clear(p.r + i);
    acb_clear(a); acb_clear(b); acb_clear(v);
    arb_clear(al); arb_clear(acc); arb_clear(pi); arb_clear(e);
    mag_clear(tol);
    return status;
}

/* per C: the conditional covariance K^C (Schur complement, conditioning on
   the members of C in increasing order; the pivots certainly positive, else
   FAILURE) and phi_C(0) times the orthant probability of the rest */
static int
prepare(f4_struct * f, arb_srcptr G, slong prec)
{
    ulong C;
    slong i, j, a;
    arb_t t, dens, pi2;
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
        for (i = 0; i < nr && status == NEFT_EXACT_SUCCESS; i++)
            if (!arb_is_positive(K + 5 * rest[i]))
                status = NEFT_EXACT_FAILURE;
        if (status != NEFT_EXACT_SUCCESS)
            break;
        if (nr == 4)
            status = orthant4(f->P + C, K, f->goal, prec);
        else
        {
            /* 2^-nr + sum_{i<j} asin r_ij / (2^(nr-1) pi) */
            arb_zero(f->P + C);
            for (i = 0; i < nr; i++)
                for (j = i + 1; j < nr; j++)
                {
                    asin_corr(t, K, rest[i], rest[j], prec);
                    arb_add(f->P + C, f->P + C, t, prec);
                }
            arb_const_pi(t, prec);
            arb_div(f->P + C, f->P + C, t, prec);
            arb_mul_2exp_si(f->P + C, f->P + C, -(nr > 0 ? nr - 1 : 0));
            arb_one(t);
            arb_mul_2exp_si(t, t, -nr);
            arb_add(f->P + C, f->P + C, t, prec);
        }
        arb_mul(f->P + C, f->P + C, dens, prec);
    }
    arb_clear(t); arb_clear(dens); arb_clear(pi2);
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
