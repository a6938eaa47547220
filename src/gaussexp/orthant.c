/* Orthant probabilities of at most four correlated Gaussians, z ~ N(0, K),
   with R the correlations:
     1 variable   1/2
     2 variables  1/4 + asin(R_01)/(2 pi)
     3 variables  1/8 + sum_{i<j} asin(R_ij)/(4 pi)
     4 variables  1/16 + sum_{i<j} asin(R_ij)/(8 pi)
                  + 1/(4 pi^2) sum_{i<j} int_0^{asin R_ij} asin(R_kl|ij(u)) du,
   the last by Plackett's identity dP/dR_ij = phi_2(0, 0; R_ij) P(z_k, z_l > 0
   | z_i = z_j = 0) along the path R(t) = I + t (R - I), t = sin(u) / R_ij
   (so that the bivariate density's 1/sqrt(1 - t^2 R_ij^2) is absorbed),
   {k, l} the complement of {i, j} and R_kl|ij(u) the partial correlation at
   R(t): one rigorous 1-D integral each (acb_calc_integrate; the integrand is
   bounded by pi/2, and where it is not analytic -- at the end point when
   the kernel is singular -- the direct evaluation bounds it).  The asin are
   atan2 of the 2 x 2 minors, asin(R_ij) = atan2(K_ij, sqrt(K_ii K_jj -
   K_ij^2)): no loss where |R_ij| -> 1, and a relative radius where R_ij -> 0.
   Used by src/gaussexp/pwlin.c and src/exact/cone4.c. */

#include "neft/gaussexp.h"
#include "neft/interrupt.h"
#include "acb_calc.h"
#include "orthant.h"

/* asin(R_ij) = atan2(K_ij, sqrt(K_ii K_jj - K_ij^2)), in [-pi/2, pi/2] */
static void
asin_corr(arb_t r, arb_srcptr K, slong n, slong i, slong j, slong prec)
{
    arb_t d;
    arb_init(d);
    arb_mul(d, K + i * n + i, K + j * n + j, prec);
    arb_submul(d, K + i * n + j, K + i * n + j, prec);
    arb_sqrtpos(d, d, prec);
    arb_atan2(r, K + i * n + j, d, prec);
    arb_clear(d);
}

typedef struct
{
    arb_struct r[4][4];    /* the correlations */
    slong i, j, k, l;
}
p4_struct;

/* c = w - a^2 - b^2 + 2 a b r_ij: (1 - r_ij^2) times the conditional
   variance of z_k given (z_i, z_j), w = 1 - r_ij^2, a = r_ki, b = r_kj
   (v: scratch) */
static void
cond_var(acb_t c, const acb_t w, const acb_t a, const acb_t b, const acb_t rij, acb_t v,
         slong prec)
{
    acb_set(c, w);
    acb_submul(c, a, a, prec);
    acb_submul(c, b, b, prec);
    acb_mul(v, a, b, prec);
    acb_mul_2exp_si(v, v, 1);
    acb_addmul(c, v, rij, prec);
}

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
    cond_var(ckk, w, rki, rkj, rij, v, prec);
    cond_var(cll, w, rli, rlj, rij, v, prec);

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

/* acc += the six Plackett integrals of a 4 x 4 K; 0, or NEFT_FAILURE /
   NEFT_INTERRUPTED */
static int
plackett4(arb_t acc, arb_srcptr K, slong goal, slong prec)
{
    static const slong pr[6][4] = { {0, 1, 2, 3}, {0, 2, 1, 3}, {0, 3, 1, 2},
                                    {1, 2, 0, 3}, {1, 3, 0, 2}, {2, 3, 0, 1} };
    p4_struct p;
    acb_t a, b, v;
    arb_t al, m;
    mag_t tol;
    acb_calc_integrate_opt_t opt;
    slong q, i, j;
    int st = NEFT_SUCCESS;

    acb_init(a); acb_init(b); acb_init(v);
    arb_init(al); arb_init(m);
    mag_init(tol);
    acb_calc_integrate_opt_init(opt);
    /* low degrees and deep bisection: the integrand is smooth except near an end
       point of a (nearly) singular kernel, where only bisection helps; higher
       degrees for goals beyond double precision */
    opt->deg_limit = goal > 60 ? 60 : 40;
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
    mag_set_ui_2exp_si(tol, 1, -goal);
    for (q = 0; q < 6 && st == NEFT_SUCCESS; q++)
    {
        p.i = pr[q][0]; p.j = pr[q][1]; p.k = pr[q][2]; p.l = pr[q][3];
        asin_corr(al, K, 4, p.i, p.j, prec);
        if (arb_is_zero(al))
            continue;
        arb_const_pi(m, prec);
        arb_mul_2exp_si(m, m, -1);                     /* pi/2 bounds the integrand */
        if (arb_contains_zero(&p.r[p.i][p.j]))
        {
            /* |integral| <= |asin R_ij| pi/2 */
            arb_get_abs_ubound_arf(arb_midref(acb_realref(v)), al, prec);
            mag_zero(arb_radref(acb_realref(v)));
            arb_mul(m, m, acb_realref(v), prec);
            arb_add_error(acc, m);
            continue;
        }
        /* integrate to the midpoint of asin R_ij; the rest is within rad * pi/2 */
        acb_zero(a);
        acb_zero(b);
        arf_set(arb_midref(acb_realref(b)), arb_midref(al));
        if (neft_interrupted())
        {
            st = NEFT_INTERRUPTED;
            break;
        }
        acb_calc_integrate(v, p4_integrand, &p, a, b, prec, tol, opt, prec);
        if (!arb_is_finite(acb_realref(v)))
        {
            st = NEFT_FAILURE;
            break;
        }
        arb_add(acc, acc, acb_realref(v), prec);
        arb_zero(acb_realref(v));
        arf_set_mag(arb_midref(acb_realref(v)), arb_radref(al));
        arb_mul(m, m, acb_realref(v), prec);
        arb_add_error(acc, m);
    }
    for (i = 0; i < 4; i++)
        for (j = 0; j < 4; j++)
            arb_clear(&p.r[i][j]);
    acb_clear(a); acb_clear(b); acb_clear(v);
    arb_clear(al); arb_clear(m);
    mag_clear(tol);
    return st;
}

int
_neft_gaussexp_orthant(arb_t res, arb_srcptr K, slong n, slong goal, slong prec)
{
    slong i, j;
    arb_t s, t, pi;
    int st = NEFT_SUCCESS;
    for (i = 0; i < n; i++)
        if (!arb_is_positive(K + i * n + i))
        {
            arb_indeterminate(res);
            return NEFT_FAILURE;
        }
    if (n <= 1)
    {
        arb_set_d(res, n ? 0.5 : 1);
        return NEFT_SUCCESS;
    }
    arb_init(s); arb_init(t); arb_init(pi);
    arb_const_pi(pi, prec);
    /* 2^-n + sum_{i<j} asin R_ij / (2^(n-1) pi) */
    arb_zero(s);
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
        {
            asin_corr(t, K, n, i, j, prec);
            arb_add(s, s, t, prec);
        }
    arb_div(s, s, pi, prec);
    arb_mul_2exp_si(s, s, -(n - 1));
    arb_one(res);
    arb_mul_2exp_si(res, res, -n);
    arb_add(res, res, s, prec);
    if (n == 4)
    {
        /* + the Plackett integrals / (4 pi^2) */
        arb_zero(s);
        st = plackett4(s, K, goal, prec);
        arb_sqr(t, pi, prec);
        arb_mul_2exp_si(t, t, 2);
        arb_div(s, s, t, prec);
        arb_add(res, res, s, prec);
    }
    if (st != NEFT_SUCCESS)
        arb_indeterminate(res);
    arb_clear(s); arb_clear(t); arb_clear(pi);
    return st;
}
