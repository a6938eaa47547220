/* neft_train_order1 as a rigorous ball for tanh, erf, sin and sigmoid
   (docs/train-theory.md, "The ball").

   Every expectation of order1.c is E_a E_xi F(a, z_1..z_P), z_p = c_0 +
   sum_j c_j x_pj, c_j = sd_j xi_j, xi ~ N(0, 1)^(d+1), F a polynomial in a
   (degree <= 4, even; the Gauss-Hermite rule in a is exact) and in the
   values sigma^(k)(z_p), k <= 3.  Over xi: a tensor trapezoid rule, step h_j,
   nodes k h_j for |k| <= K_j.  With one coordinate xi_j in its strip
   |Im xi_j| < d_j = theta_j / (sd_j m_j), m_j = max_p |x_pj|, and the others
   real, |Im z_p| <= theta_j |x_pj| / m_j (the bias: theta_0 at every point),
   where |sigma^(k)| <= s_k(that width) (order1_act.c's table; tanh:
   theta < pi/2, sigmoid: theta < pi, erf and sin are entire) and so
   |F| <= B_j, the same polynomial with absolute-valued coefficients at the
   point-by-point bounds (order1.c's majorants).  The trapezoid rule's error
   for E g(xi), g analytic and bounded by B in the strip, is at most
   2 B e^{d^2/2} / (e^{2 pi d / h} - 1) (Trefethen and Weideman, SIAM Rev.
   56 (2014), Thm 5.1, with int |phi(x + iy)| dx = e^{y^2/2}) plus the
   truncation B_real erfc(K h / sqrt 2); in the tensor product
   (Q_0..Q_d - E_0..E_d = sum_j Q_<j (Q_j - E_j) E_>j) the coordinates'
   errors add, each times the weight sums of the earlier rules.
   Floating point: an a-priori bound gamma_K times the real-line majorant
   (every value passes through at most K roundings) and, for the rounded
   z_p, a Cauchy estimate B_r eps / theta_r (every point in the strip
   theta_r).  The second pass uses the
   first pass's parameters in doubles; their distance to the balls of the
   true parameters enters through the majorant's increase.  The rest
   (propagators, Cholesky factor, the linear responses) is Arb. */

#include <math.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include "neft/train.h"
#include "neft/interrupt.h"
#include "order1.h"

enum { NA_RULE = 3, NTHETA = 14 };

/* the rule in a / sqrt(C_W): the 3-node Gauss-Hermite rule (nodes 0,
   +-sqrt 3, weights 2/3, 1/6), exact for the integrands, even polynomials
   of degree <= 4 in a; two evaluations (a >= 0) */
static void
a_rule(double * xa, double * wa)
{
    xa[0] = -1.7320508075688772935;
    xa[1] = 0;
    xa[2] = 1.7320508075688772935;
    wa[0] = wa[2] = 1.0 / 6;
    wa[1] = 2.0 / 3;
}

#define TRUNC_WEIGHT 10
#define O1_PI 3.14159265358979323846
#define O1_SQRT2 1.41421356237309504880

/* the majorants' own rounding, relative: every value passes through fewer
   than (T + 1) * (64 + 4 * 16) + 512 roundings */
#define EPS_G ((double) ((S->T + 1) * 256 + 1024) * DBL_EPSILON)

/* the pass-0 majorants at a: k_pq, a^2 sigma_p sigma_q, with s[4 p + k] >=
   |sigma^(k)(z_p)| */
static double
kbound(const _neft_o1_setup * S, double a, const double * s, slong p, slong q)
{
    return fabs(S->lw) * s[4 * p] * s[4 * q]
           + a * a * s[4 * p + 1] * s[4 * q + 1] * fabs(S->th1[p][q]);
}

typedef struct
{
    /* coordinate j's strip: |Im xi_j| <= dstrip[j] = theta[j] / (sd_j m_j);
       there |Im z_p| <= theta[j] |x_pj| / m_j */
    double theta[NEFT_TRAIN_ORDER1_MAXP + 1], h[NEFT_TRAIN_ORDER1_MAXP + 1];
    double dstrip[NEFT_TRAIN_ORDER1_MAXP + 1];
    slong K[NEFT_TRAIN_ORDER1_MAXP + 1];
    /* alpha[j]: coordinate j's error per B_strip_j (the earlier rules' weight
       sums included); beta: the truncation per B_real; W the weight sum; eps
       the z's rounding; thr the strip of its Cauchy estimate (every point) */
    double alpha[NEFT_TRAIN_ORDER1_MAXP + 1];
    double beta, W, eps, thr;
}
trap_plan;

/* the per-coordinate discretisation and truncation coefficients */
static double
disc_coef(double d, double h)
{
    return 2 * exp(d * d / 2) / expm1(2 * O1_PI * d / h);
}

/* the plan's alpha, beta, W for given dstrip_j, h_j, K_j (upward-rounded) */
static void
plan_coefs(trap_plan * pl, const _neft_o1_setup * S, const double * sd, const double * m)
{
    slong j, k;
    double Wl = 1, zmax = 0;
    pl->beta = 0;
    for (j = 0; j <= S->d; j++)
    {
        double Wj = 0;
        pl->alpha[j] = 0;
        if (m[j] == 0)
            continue;   /* one node at 0: exact */
        pl->alpha[j] = Wl * disc_coef(pl->dstrip[j], pl->h[j]) * (1 + 1e-10);
        pl->beta += Wl * erfc(pl->K[j] * pl->h[j] / O1_SQRT2) * (1 + 1e-10);
        for (k = -pl->K[j]; k <= pl->K[j]; k++)
            Wj += pl->h[j] * exp(-0.5 * (k * pl->h[j]) * (k * pl->h[j])) / sqrt(2 * O1_PI);
        Wl *= Wj * (1 + 1e-10);
        zmax += sd[j] * m[j] * pl->K[j] * pl->h[j];
    }
    pl->W = Wl;
    /* z_p = c_0 + sum c_j x_pj, c_j = sd_j xi_j: at most 2d + 8 roundings */
    pl->eps = (2 * S->d + 8) * 1.2e-16 * zmax;
}

/* the trapezoid nodes of coordinate j (K h exactly representable) */
static void
trap_nodes(double * x, double * w, double h, slong K)
{
    slong k;
    for (k = -K; k <= K; k++)
    {
        x[k + K] = (double) k * h;
        w[k + K] = h * exp(-0.5 * x[k + K] * x[k + K]) / sqrt(2 * O1_PI);
    }
}

/* s[4 p + k] >= |sigma^(k)(z_p)| for xi_j in coordinate j's strip of
   theta (|Im z_p| <= theta |x_pj| / m_j; j = 0, the bias: theta; j < 0:
   theta at every point; theta = 0: the real line) */
static void
point_bounds(double * s, const _neft_o1_setup * S, slong j, double theta, const double * m)
{
    slong p;
    for (p = 0; p < S->P; p++)
    {
        double tp = theta;
        if (j > 0)
            tp = FLINT_MIN(theta, theta * fabs(S->x[p * S->d + j - 1]) / m[j] * (1 + 1e-12));
        _neft_o1_act_bounds(s + 4 * p, S->act, tp);
    }
}

/* E_a of the pass-1 majorants at the bounds s[4 p + k] */
static void
pass1_majorant(double * G2, double * G3, const _neft_o1_setup * S, const double * s,
               const double * xa, const double * wa, const double * cpa, const double * Bta,
               const double * gpa, double * g2, double * g3)
{
    const slong n = (S->T + 1) * S->P;
    slong ia, i;
    for (i = 0; i < n; i++)
        G2[i] = G3[i] = 0;
    for (ia = 0; ia < NA_RULE; ia++)
    {
        const double w = wa[ia] * (xa[ia] > 0 ? 2.0 : 1.0);
        if (xa[ia] < 0)
            continue;
        _neft_o1_majorant(g2, g3, S, sqrt(S->cw) * xa[ia] * (1 + 1e-15), s, 4, cpa, Bta, gpa);
        for (i = 0; i < n; i++)
        {
            G2[i] += w * g2[i] * (1 + EPS_G);
            G3[i] += w * g3[i] * (1 + EPS_G);
        }
    }
}

static double
vmax(const double * v, slong n)
{
    double r = 0;
    slong i;
    for (i = 0; i < n; i++)
        r = FLINT_MAX(r, v[i]);
    return r;
}

/* the step h (a multiple of 2^-20: k h is exact) minimising
   Bs disc(d, h) + TRUNC_WEIGHT BR erfc(K h / sqrt 2) for K nodes a side; the
   truncation is weighted up: it also sets the first pass's error, which
   reaches c through the parameters (a heuristic for the choice; the bounds
   are computed afterwards) */
static double
best_step(double * e, double Bs, double BR, double d, slong K)
{
    double L, hb = 1;
    *e = HUGE_VAL;
    for (L = 2; L <= 14; L += 0.02)
    {
        const double h = ldexp(floor(ldexp(L / (double) K, 20)), -20);
        const double v = Bs * disc_coef(d, h) + TRUNC_WEIGHT * BR * erfc(K * h / O1_SQRT2);
        if (v < *e)
        {
            *e = v;
            hb = h;
        }
    }
    return hb;
}

/* choose, coordinate by coordinate, the strip theta_j and the step for
   K = (nodes - 1) / 2 nodes a side, minimising the pass-1 bound with the
   majorants at the parameters of a coarse rule (cpa, Bta, gpa); then fewer
   nodes on a coordinate whose error stays below 1/8 of the largest (the
   bias: its strip is 1/sd_0 wider); thr minimises the rounding term's
   B_strip / theta */
static void
choose_plan(trap_plan * pl, const _neft_o1_setup * S, slong nodes, const double * sd,
            const double * m, const double * xa, const double * wa, const double * cpa,
            const double * Bta, const double * gpa)
{
    const slong n = (S->T + 1) * S->P, dim = S->d + 1;
    double * G2 = malloc(sizeof(double) * (size_t) n), * G3 = malloc(sizeof(double) * (size_t) n);
    double * g2 = malloc(sizeof(double) * (size_t) n), * g3 = malloc(sizeof(double) * (size_t) n);
    double * s = malloc(sizeof(double) * (size_t) (4 * S->P));
    double Bs[NEFT_TRAIN_ORDER1_MAXP + 1][NTHETA + 1], ej[NEFT_TRAIN_ORDER1_MAXP + 1];
    double BR, best = HUGE_VAL, emax = 0;
    slong it, j, i, K = (nodes - 1) / 2;
    memset(pl, 0, sizeof *pl);
    point_bounds(s, S, -1, 0, m);
    pass1_majorant(G2, G3, S, s, xa, wa, cpa, Bta, gpa, g2, g3);
    for (i = 0; i < n; i++)
        G2[i] += G3[i];
    BR = vmax(G2, n);
    for (it = 1; it <= NTHETA; it++)
    {
        const double theta = S->act->theta_max * (double) it / NTHETA;
        double B;
        for (j = -1; j < dim; j++)
        {
            if (j >= 0 && m[j] == 0)
                continue;
            point_bounds(s, S, j, theta, m);
            pass1_majorant(G2, G3, S, s, xa, wa, cpa, Bta, gpa, g2, g3);
            for (i = 0; i < n; i++)
                G2[i] += G3[i];
            B = vmax(G2, n);
            if (j >= 0)
                Bs[j][it] = B;
            else if (B / theta < best)
            {
                best = B / theta;
                pl->thr = theta;
            }
        }
    }
    if (pl->thr == 0)
        pl->thr = S->act->theta_max / NTHETA;   /* every B_r infinite: the radius is too */
    for (j = 0; j < dim; j++)
    {
        pl->K[j] = 0;
        pl->h[j] = 1;
        pl->dstrip[j] = 1;
        pl->theta[j] = 0;
        ej[j] = 0;
        if (m[j] == 0)
            continue;
        for (it = 1, ej[j] = HUGE_VAL; it <= NTHETA; it++)
        {
            const double theta = S->act->theta_max * (double) it / NTHETA;
            double e, h = best_step(&e, Bs[j][it], BR, theta / (sd[j] * m[j]), K);
            if (e < ej[j])
            {
                ej[j] = e;
                pl->theta[j] = theta;
                pl->h[j] = h;
                pl->K[j] = K;
                pl->dstrip[j] = theta / (sd[j] * m[j]);
            }
        }
        emax = FLINT_MAX(emax, ej[j]);
    }
    for (j = 0; j < dim; j++)
    {
        slong Kj;
        if (m[j] == 0)
            continue;
        for (Kj = K - 1; Kj >= 1; Kj--)
        {
            double eb = HUGE_VAL, hb = 1, tb = 0;
            for (it = 1; it <= NTHETA; it++)
            {
                const double theta = S->act->theta_max * (double) it / NTHETA;
                double e, h = best_step(&e, Bs[j][it], BR, theta / (sd[j] * m[j]), Kj);
                if (e < eb)
                {
                    eb = e;
                    hb = h;
                    tb = theta;
                }
            }
            if (eb > emax / 8)
                break;
            pl->K[j] = Kj;
            pl->h[j] = hb;
            pl->theta[j] = tb;
            pl->dstrip[j] = tb / (sd[j] * m[j]);
        }
    }
    plan_coefs(pl, S, sd, m);
    free(G2); free(G3); free(g2); free(g3); free(s);
}

/* the discretisation and rounding part of a radius: sum_j alpha_j b[j] +
   W eps / thr b[dim], b[j] a majorant on coordinate j's strip (b[dim]: every
   point in the strip thr) (upward-rounded) */
static double
rule_rad(const trap_plan * pl, const double * b, slong dim)
{
    double r = pl->W * pl->eps / pl->thr * b[dim];
    slong j;
    for (j = 0; j < dim; j++)
        if (pl->alpha[j] > 0)
            r += pl->alpha[j] * b[j];
    return r * (1 + 1e-13);
}

/* r = an upper bound of |x - v|, x a ball, v a double */
static double
dist_ub(const arb_t x, double v, slong prec)
{
    arb_t t;
    arf_t u;
    double r;
    arb_init(t);
    arf_init(u);
    arb_set_d(t, v);
    arb_sub(t, x, t, prec);
    arb_get_abs_ubound_arf(u, t, prec);
    r = arf_get_d(u, ARF_RND_UP);
    arf_clear(u);
    arb_clear(t);
    return r;
}

static void
ball_set(arb_t x, double mid, double rad)
{
    arb_set_d(x, mid);
    arb_add_error_2exp_si(x, -1074);
    if (rad > 0)
    {
        mag_t m;
        mag_init(m);
        mag_set_d(m, rad);
        mag_add(arb_radref(x), arb_radref(x), m);
        mag_clear(m);
    }
}

void
_neft_o1_ball_get_d(double * mid, double * rad, const arb_t x)
{
    *mid = arf_get_d(arb_midref(x), ARF_RND_NEAR);
    *rad = dist_ub(x, *mid, 128);
}

static void
mul_d(arb_t r, const arb_t x, double v, slong prec)
{
    arb_t t;
    arb_init(t);
    arb_set_d(t, v);
    arb_mul(r, x, t, prec);
    arb_clear(t);
}

/* an upper bound of the Frobenius norm of the radii (or mids) of x[0..n) */
static double
rad_norm(arb_srcptr x, slong n, int mids, slong prec)
{
    arb_t s, v;
    arf_t u;
    double r;
    slong i;
    arb_init(s);
    arb_init(v);
    arf_init(u);
    for (i = 0; i < n; i++)
    {
        if (mids)
            arb_set_arf(v, arb_midref(x + i));
        else
            arf_set_mag(arb_midref(v), arb_radref(x + i)), mag_zero(arb_radref(v));
        arb_addmul(s, v, v, prec);
    }
    arb_sqrt(s, s, prec);
    arb_get_abs_ubound_arf(u, s, prec);
    r = arf_get_d(u, ARF_RND_UP);
    arf_clear(u);
    arb_clear(s);
    arb_clear(v);
    return r;
}

/* rho >= ||M||_2 for M = I - mid(H) (nA x nA): the smallest of a few
   candidates with rho^2 I - M^T M positive definite (Cholesky in balls),
   or HUGE_VAL */
static double
contraction(arb_srcptr H, slong nA, slong prec)
{
    static const double cand[] = {0.5, 0.9, 0.99, 0.999, 0.9999, 0.99999, 0.999999, 1.0,
                                  1.000001, 1.001, 1.1, 2.0, 4.0};
    arb_ptr M = _arb_vec_init(nA * nA), G = _arb_vec_init(nA * nA), Lc = _arb_vec_init(nA * nA);
    arb_t v;
    slong A, B, C, k;
    double rho = HUGE_VAL;
    arb_init(v);
    for (A = 0; A < nA; A++)
        for (B = 0; B < nA; B++)
        {
            arb_set_arf(M + A * nA + B, arb_midref(H + A * nA + B));
            arb_neg(M + A * nA + B, M + A * nA + B);
            if (A == B)
                arb_add_si(M + A * nA + B, M + A * nA + B, 1, prec);
        }
    for (k = 0; k < (slong) (sizeof cand / sizeof cand[0]) && rho == HUGE_VAL; k++)
    {
        int ok = 1;
        for (A = 0; A < nA; A++)
            for (B = 0; B < nA; B++)
            {
                arb_zero(G + A * nA + B);
                for (C = 0; C < nA; C++)
                    arb_submul(G + A * nA + B, M + C * nA + A, M + C * nA + B, prec);
                if (A == B)
                {
                    arb_set_d(v, cand[k] * cand[k]);
                    arb_add(G + A * nA + B, G + A * nA + B, v, prec);
                }
            }
        for (A = 0; A < nA && ok; A++)
            for (B = 0; B <= A && ok; B++)
            {
                arb_set(v, G + A * nA + B);
                for (C = 0; C < B; C++)
                    arb_submul(v, Lc + A * nA + C, Lc + B * nA + C, prec);
                if (A == B)
                {
                    if (!arb_is_positive(v))
                        ok = 0;
                    else
                        arb_sqrt(Lc + A * nA + A, v, prec);
                }
                else
                    arb_div(Lc + A * nA + B, v, Lc + B * nA + B, prec);
            }
        if (ok)
            rho = cand[k];
    }
    arb_clear(v);
    _arb_vec_clear(M, nA * nA);
    _arb_vec_clear(G, nA * nA);
    _arb_vec_clear(Lc, nA * nA);
    return rho;
}

/* X(t+1) = (I - H) X(t) + F(t), X(0) = X0, t < T, Xout[t * nA + A] (t = 0..T)
   as balls.  The midpoints run in balls of exact midpoints (rounding only);
   the rest by norms: e(t+1) <= rho e(t) + ||rad H||_F ||X(t)|| + ||rad F(t)||,
   rho >= ||I - mid H||_2 (contraction), which avoids the wrapping of
   elementwise ball arithmetic over many steps. */
static void
propagate(arb_ptr Xout, arb_srcptr X0, arb_srcptr F, arb_srcptr H, double rho, slong nA, slong T,
          slong prec)
{
    arb_ptr Hm = _arb_vec_init(nA * nA), r = _arb_vec_init(nA), Xm = _arb_vec_init(2 * nA);
    const double eH = rad_norm(H, nA * nA, 0, prec);
    double e;
    slong t, A, B;
    mag_t m;
    mag_init(m);
    for (A = 0; A < nA * nA; A++)
        arb_set_arf(Hm + A, arb_midref(H + A));
    /* Xm: the recursion at the midpoints (its radii: rounding only) */
    for (A = 0; A < nA; A++)
        arb_set_arf(Xm + A, arb_midref(X0 + A));
    e = rad_norm(X0, nA, 0, prec);
    for (t = 0;; t++)
    {
        arb_srcptr x = Xm + (t % 2) * nA;
        arb_ptr y = Xm + ((t + 1) % 2) * nA;
        double xn;
        mag_set_d(m, e);
        for (A = 0; A < nA; A++)
        {
            arb_set(Xout + t * nA + A, x + A);
            mag_add(arb_radref(Xout + t * nA + A), arb_radref(Xout + t * nA + A), m);
        }
        if (t == T)
            break;
        xn = rad_norm(x, nA, 1, prec) + rad_norm(x, nA, 0, prec);
        for (A = 0; A < nA; A++)
        {
            arb_set_arf(r + A, arb_midref(F + t * nA + A));
            for (B = 0; B < nA; B++)
                arb_submul(r + A, Hm + A * nA + B, x + B, prec);
        }
        for (A = 0; A < nA; A++)
            arb_add(y + A, x + A, r + A, prec);
        e = (rho * e + eH * (xn + e) + rad_norm(F + t * nA, nA, 0, prec)) * (1 + 1e-15);
    }
    mag_clear(m);
    _arb_vec_clear(Hm, nA * nA);
    _arb_vec_clear(r, nA);
    _arb_vec_clear(Xm, 2 * nA);
}

int
_neft_o1_ball(arb_ptr coef, arb_ptr fmean, const _neft_o1_setup * S, slong nodes, double * info,
              slong prec)
{
    const slong P = S->P, nA = S->nA, T = S->T, dim = S->d + 1, n1 = (T + 1) * P;
    const slong nkk = P * nA * nA * nA;
    double xa[NA_RULE], wa[NA_RULE], sd[NEFT_TRAIN_ORDER1_MAXP + 1],
        m[NEFT_TRAIN_ORDER1_MAXP + 1], bsv[NEFT_TRAIN_ORDER1_MAXP + 2],
        bsv2[NEFT_TRAIN_ORDER1_MAXP + 2];
    /* sS + 4 P j: the bounds in coordinate j's strip (j = dim: every point in
       the rounding term's strip); sR: the real line */
    double * sS = malloc(sizeof(double) * (size_t) (4 * P * (dim + 1)));
    double * sR = malloc(sizeof(double) * (size_t) (4 * P));
    double * xg = malloc(sizeof(double) * 8), * wg = malloc(sizeof(double) * 8);
    double * xt[NEFT_TRAIN_ORDER1_MAXP + 1], * wt[NEFT_TRAIN_ORDER1_MAXP + 1];
    double * x0[NEFT_TRAIN_ORDER1_MAXP + 1], * w0[NEFT_TRAIN_ORDER1_MAXP + 1];
    double * G2s = malloc(sizeof(double) * (size_t) (n1 * (dim + 1)));
    double * G3s = malloc(sizeof(double) * (size_t) (n1 * (dim + 1)));
    double * G2r = malloc(sizeof(double) * (size_t) n1), * G3r = malloc(sizeof(double) * (size_t) n1);
    double * G2i = malloc(sizeof(double) * (size_t) n1), * G3i = malloc(sizeof(double) * (size_t) n1);
    double * g2 = malloc(sizeof(double) * (size_t) n1), * g3 = malloc(sizeof(double) * (size_t) n1);
    double * cd = malloc(sizeof(double) * (size_t) n1), * fd = malloc(sizeof(double) * (size_t) n1);
    double * cpa = malloc(sizeof(double) * (size_t) (T * nA + 1));
    double * Bta = malloc(sizeof(double) * (size_t) ((T + 1) * nA * nA));
    double * gpa = malloc(sizeof(double) * (size_t) (nA * T * nA + 1));
    double * cpi = malloc(sizeof(double) * (size_t) (T * nA + 1));
    double * Bti = malloc(sizeof(double) * (size_t) ((T + 1) * nA * nA));
    double * gpi = malloc(sizeof(double) * (size_t) (nA * T * nA + 1));
    arb_ptr Ek = _arb_vec_init(P * P), EK = _arb_vec_init(P * P), Ekk = _arb_vec_init(nkk);
    arb_ptr S2 = _arb_vec_init(n1), S3 = _arb_vec_init(n1), H = _arb_vec_init(P * nA);
    arb_ptr HAA = _arb_vec_init(nA * nA), Bt = _arb_vec_init((T + 1) * nA * nA);
    arb_ptr cpath = _arb_vec_init(T * nA + 1), L = _arb_vec_init(nA * nA);
    arb_ptr gpath = _arb_vec_init(nA * T * nA + 1), E0 = _arb_vec_init((T + 1) * nA);
    arb_ptr Rr = _arb_vec_init(nA * nA * (T + 1) * nA), Q = _arb_vec_init(n1);
    arb_ptr src = _arb_vec_init(T * nA + 1), E2 = _arb_vec_init((T + 1) * nA);
    arb_ptr e0 = _arb_vec_init(nA), col = _arb_vec_init((T + 1) * nA);
    arb_t v, cov;
    double rho = HUGE_VAL;
    _neft_o1_sums R;
    _neft_o1_rule rule;
    trap_plan pl, pl0;
    slong j, p, q, A, B, C, D, t, g, ia, i, Kr;
    double gamK, rq = 0, rr = 0, rs = 0;
    int ok, wide = 0;

    memset(&pl, 0, sizeof pl);
    memset(&pl0, 0, sizeof pl0);
    arb_init(v);
    arb_init(cov);
    _neft_o1_sums_init(&R, S);
    a_rule(xa, wa);
    sd[0] = sqrt(S->cb);
    m[0] = 1;
    for (j = 1; j < dim; j++)
    {
        sd[j] = sqrt(S->cw / (double) S->d);
        m[j] = 0;
        for (p = 0; p < P; p++)
            m[j] = FLINT_MAX(m[j], fabs(S->x[p * S->d + j - 1]));
    }
    for (j = 0; j < dim; j++)
        xt[j] = wt[j] = x0[j] = w0[j] = NULL;

    /* a coarse Gauss-Hermite run for the parameters that choose the plan */
    _neft_o1_gh(xg, wg, 8);
    memset(&rule, 0, sizeof rule);
    rule.Na = NA_RULE;
    rule.xa = xa;
    rule.wa = wa;
    for (j = 0; j < dim; j++)
    {
        rule.N[j] = 8;
        rule.x[j] = xg;
        rule.w[j] = wg;
    }
    ok = _neft_o1_rule_run(cd, fd, S, &rule, &R) == 0;
    if (ok)
    {
        _neft_o1_abs_paths(cpa, Bta, gpa, S, &R);
        choose_plan(&pl, S, nodes, sd, m, xa, wa, cpa, Bta, gpa);
        /* the first pass's rule: three times the nodes, 1.4 times the range
           (its integrands are cheap; its error reaches c through the second
           pass's parameters) */
        pl0 = pl;
        for (j = 0; j < dim; j++)
            if (m[j] != 0)
            {
                pl0.K[j] = 3 * pl.K[j];
                pl0.h[j] = ldexp(floor(ldexp(1.4 * pl.h[j] / 3, 20)), -20);
            }
        plan_coefs(&pl0, S, sd, m);
        for (j = 0; j < dim; j++)
        {
            rule.N0[j] = 2 * pl0.K[j] + 1;
            x0[j] = malloc(sizeof(double) * (size_t) rule.N0[j]);
            w0[j] = malloc(sizeof(double) * (size_t) rule.N0[j]);
            if (m[j] == 0)
            {
                x0[j][0] = 0;
                w0[j][0] = 1;
            }
            else
                trap_nodes(x0[j], w0[j], pl0.h[j], pl0.K[j]);
            rule.x0[j] = x0[j];
            rule.w0[j] = w0[j];
        }
        /* the trapezoid rule */
        for (j = 0; j < dim; j++)
        {
            rule.N[j] = 2 * pl.K[j] + 1;
            xt[j] = malloc(sizeof(double) * (size_t) rule.N[j]);
            wt[j] = malloc(sizeof(double) * (size_t) rule.N[j]);
            if (m[j] == 0)
            {
                xt[j][0] = 0;
                wt[j][0] = 1;
            }
            else
                trap_nodes(xt[j], wt[j], pl.h[j], pl.K[j]);
            rule.x[j] = xt[j];
            rule.w[j] = wt[j];
        }
        ok = _neft_o1_rule_run(cd, fd, S, &rule, &R) == 0;
    }
    if (ok)
    {
        slong nn = 1;
        for (j = 0; j < dim; j++)
            nn *= FLINT_MAX(rule.N[j], rule.N0[j]);
        /* every value passes through at most Kr roundings: the jets' T steps,
           the weights, the activation values (errors a few ulp of their bounds, polynomial
           degree < 32), the long double sums of nn * NA_RULE terms */
        Kr = (T + 1) * (64 + 2 * nA + 2 * P) + 512;
        gamK = 2.0 * (double) Kr * DBL_EPSILON / 2 / (1 - (double) Kr * DBL_EPSILON)
               + 2.0 * (double) (nn * NA_RULE) * LDBL_EPSILON / 2;
        for (j = 0; j < dim; j++)
            point_bounds(sS + 4 * P * j, S, j, pl.theta[j], m);
        point_bounds(sS + 4 * P * dim, S, -1, pl.thr, m);
        point_bounds(sR, S, -1, 0, m);

        /* pass 0: the balls of E k, E a^2 sigma sigma, E k k */
        for (p = 0; p < P; p++)
            for (q = 0; q < P; q++)
            {
                double br = 0, br2 = 0, rad;
                for (j = 0; j <= dim; j++)
                {
                    const double * s = sS + 4 * P * j;
                    bsv[j] = bsv2[j] = 0;
                    for (ia = 0; ia < NA_RULE; ia++)
                    {
                        const double a = sqrt(S->cw) * fabs(xa[ia]) * (1 + 1e-15);
                        bsv[j] += wa[ia] * kbound(S, a, s, p, q);
                        bsv2[j] += wa[ia] * a * a * s[4 * p] * s[4 * q];
                    }
                }
                for (ia = 0; ia < NA_RULE; ia++)
                {
                    const double a = sqrt(S->cw) * fabs(xa[ia]) * (1 + 1e-15);
                    br += wa[ia] * kbound(S, a, sR, p, q);
                    br2 += wa[ia] * a * a;
                }
                br *= 1 + 1e-13; br2 *= 1 + 1e-13;
                rad = rule_rad(&pl0, bsv, dim) + (pl0.beta + gamK * pl0.W) * br;
                rq = FLINT_MAX(rq, rad);
                ball_set(Ek + p * P + q, R.Ek[p * P + q], rad);
                rad = rule_rad(&pl0, bsv2, dim) + (pl0.beta + gamK * pl0.W) * br2;
                ball_set(EK + p * P + q, R.EK[p * P + q], rad);
            }
        for (p = 0; p < P; p++)
            for (A = 0; A < nA; A++)
                for (C = 0; C < nA; C++)
                    for (D = 0; D < nA; D++)
                    {
                        double br = 0, rad;
                        for (j = 0; j <= dim; j++)
                        {
                            const double * s = sS + 4 * P * j;
                            bsv[j] = 0;
                            for (ia = 0; ia < NA_RULE; ia++)
                            {
                                const double a = sqrt(S->cw) * fabs(xa[ia]) * (1 + 1e-15);
                                bsv[j] += wa[ia] * kbound(S, a, s, p, A) * kbound(S, a, s, C, D);
                            }
                        }
                        for (ia = 0; ia < NA_RULE; ia++)
                        {
                            const double a = sqrt(S->cw) * fabs(xa[ia]) * (1 + 1e-15);
                            br += wa[ia] * kbound(S, a, sR, p, A) * kbound(S, a, sR, C, D);
                        }
                        br *= 1 + 1e-13;
                        rad = rule_rad(&pl0, bsv, dim) + (pl0.beta + gamK * pl0.W) * br;
                        i = ((p * nA + A) * nA + C) * nA + D;
                        ball_set(Ekk + i, R.Ekk[i], rad);
                    }

        /* the second pass's parameters as balls */
        for (p = 0; p < P; p++)
            for (A = 0; A < nA; A++)
            {
                arb_add_si(v, Ek + p * P + A, 0, prec);
                arb_set_d(H + p * nA + A, S->lb);
                arb_add(H + p * nA + A, H + p * nA + A, v, prec);
                mul_d(H + p * nA + A, H + p * nA + A, S->eta, prec);
            }
        for (A = 0; A < nA; A++)
            for (B = 0; B < nA; B++)
                arb_set(HAA + A * nA + B, H + A * nA + B);
        rho = contraction(HAA, nA, prec);
        if (rho == HUGE_VAL)
            ok = 0, wide = 1;
        /* Bt(t) = (I - H_AA)^t column by column */
        for (B = 0; B < nA && ok; B++)
        {
            for (A = 0; A < nA; A++)
                arb_set_si(e0 + A, A == B);
            _arb_vec_zero(src, T * nA + 1);
            propagate(col, e0, src, HAA, rho, nA, T, prec);
            for (t = 0; t <= T; t++)
                for (A = 0; A < nA; A++)
                    arb_set(Bt + (t * nA + A) * nA + B, col + t * nA + A);
        }
        for (t = 0; t < T; t++)
            for (A = 0; A < nA; A++)
            {
                arb_zero(cpath + t * nA + A);
                for (B = 0; B < nA; B++)
                {
                    mul_d(v, Bt + (t * nA + A) * nA + B, S->y[B], prec);
                    arb_sub(cpath + t * nA + A, cpath + t * nA + A, v, prec);
                }
            }
        /* L L^T = C_b + E[a^2 sigma sigma] on the training inputs */
        for (A = 0; A < nA && ok; A++)
            for (B = 0; B <= A && ok; B++)
            {
                arb_set_d(v, S->cb);
                arb_add(v, v, EK + A * P + B, prec);
                for (C = 0; C < B; C++)
                    arb_submul(v, L + A * nA + C, L + B * nA + C, prec);
                if (A == B)
                {
                    if (!arb_is_positive(v))
                        ok = 0, wide = 1;
                    else
                        arb_sqrt(L + A * nA + A, v, prec);
                }
                else
                    arb_div(L + A * nA + B, v, L + B * nA + B, prec);
            }
    }
    if (ok)
    {
        for (g = 0; g < nA; g++)
            for (t = 0; t < T; t++)
                for (A = 0; A < nA; A++)
                {
                    arb_ptr r = gpath + (g * T + t) * nA + A;
                    arb_zero(r);
                    for (B = 0; B < nA; B++)
                        arb_addmul(r, Bt + (t * nA + A) * nA + B, L + B * nA + g, prec);
                }
        /* |double parameters| and their distance to the balls */
        _neft_o1_abs_paths(cpa, Bta, gpa, S, &R);
        for (i = 0; i < T * nA; i++)
            cpi[i] = cpa[i] + dist_ub(cpath + i, R.cpath[i], prec);
        for (i = 0; i < (T + 1) * nA * nA; i++)
            Bti[i] = Bta[i] + dist_ub(Bt + i, R.Bt[i], prec);
        for (i = 0; i < nA * T * nA; i++)
            gpi[i] = gpa[i] + dist_ub(gpath + i, R.gpath[i], prec);
        for (j = 0; j <= dim; j++)
            if (j == dim || m[j] != 0)
                pass1_majorant(G2s + n1 * j, G3s + n1 * j, S, sS + 4 * P * j, xa, wa, cpa, Bta,
                               gpa, g2, g3);
        pass1_majorant(G2r, G3r, S, sR, xa, wa, cpa, Bta, gpa, g2, g3);
        pass1_majorant(G2i, G3i, S, sR, xa, wa, cpi, Bti, gpi, g2, g3);
        for (i = 0; i < n1; i++)
        {
            double q2, q3;
            /* the majorant is increasing: G(p + delta) - G(p) >= |F(p_true) - F(p)| */
            const double s2 = G2i[i] * (1 + EPS_G) - G2r[i] * (1 - EPS_G);
            const double s3 = G3i[i] * (1 + EPS_G) - G3r[i] * (1 - EPS_G);
            for (j = 0; j <= dim; j++)
            {
                bsv[j] = G2s[n1 * j + i];
                bsv2[j] = G3s[n1 * j + i];
            }
            q2 = rule_rad(&pl, bsv, dim) + pl.beta * G2r[i];
            q3 = rule_rad(&pl, bsv2, dim) + pl.beta * G3r[i];
            const double r2 = gamK * pl.W * G2r[i], r3 = gamK * pl.W * G3r[i];
            ball_set(S2 + i, R.S2[i], q2 + r2 + s2);
            ball_set(S3 + i, R.S3[i], q3 + r3 + s3);
            rq = FLINT_MAX(rq, FLINT_MAX(q2, q3));
            rr = FLINT_MAX(rr, FLINT_MAX(r2, r3));
            rs = FLINT_MAX(rs, FLINT_MAX(s2, s3));
        }

        /* order1.c's post-processing in balls */
        for (A = 0; A < nA; A++)
            arb_zero(E0 + A);
        for (t = 0; t < T; t++)
            for (A = 0; A < nA; A++)
                arb_add(E0 + (t + 1) * nA + A, E0 + t * nA + A, cpath + t * nA + A, prec);
        for (t = 0; t <= T; t++)
            for (p = 0; p < P; p++)
            {
                arb_ptr f = fmean + t * P + p;
                arb_zero(f);
                for (A = 0; A < nA; A++)
                    arb_submul(f, H + p * nA + A, E0 + t * nA + A, prec);
            }
        for (C = 0; C < nA; C++)
            for (D = 0; D < nA; D++)
            {
                for (t = 0; t < T; t++)
                    for (A = 0; A < nA; A++)
                    {
                        if (A == C)
                            arb_neg(src + t * nA + A, E0 + t * nA + D);
                        else
                            arb_zero(src + t * nA + A);
                    }
                _arb_vec_zero(e0, nA);
                propagate(Rr + (C * nA + D) * (T + 1) * nA, e0, src, HAA, rho, nA, T, prec);
            }
        _arb_vec_zero(Q, n1);
        for (p = 0; p < P; p++)
            for (A = 0; A < nA; A++)
                for (C = 0; C < nA; C++)
                    for (D = 0; D < nA; D++)
                    {
                        arb_srcptr Rc = Rr + (C * nA + D) * (T + 1) * nA;
                        arb_mul(cov, Ek + p * P + A, Ek + C * P + D, prec);
                        arb_sub(cov, Ekk + ((p * nA + A) * nA + C) * nA + D, cov, prec);
                        mul_d(cov, cov, S->eta, prec);
                        mul_d(cov, cov, S->eta, prec);
                        for (t = 0; t <= T; t++)
                            arb_addmul(Q + t * P + p, cov, Rc + t * nA + A, prec);
                    }
        for (t = 0; t < T; t++)
            for (A = 0; A < nA; A++)
            {
                arb_ptr r = src + t * nA + A;
                arb_add(r, S2 + t * P + A, S3 + t * P + A, prec);
                arb_sub(r, r, Q + t * P + A, prec);
            }
        _arb_vec_zero(e0, nA);
        propagate(E2, e0, src, HAA, rho, nA, T, prec);
        for (t = 0; t <= T; t++)
            for (p = 0; p < P; p++)
            {
                arb_ptr c = coef + t * P + p;
                arb_add(c, S2 + t * P + p, S3 + t * P + p, prec);
                arb_sub(c, c, Q + t * P + p, prec);
                for (A = 0; A < nA; A++)
                    arb_submul(c, H + p * nA + A, E2 + t * nA + A, prec);
            }
        if (info != NULL)
        {
            info[0] = rq;
            info[1] = rr;
            info[2] = rs;
            info[3] = pl.theta[dim - 1];
            info[4] = 0;
            for (j = 0; j < dim; j++)
                info[4] = FLINT_MAX(info[4], (double) (2 * pl.K[j] + 1));
        }
    }
    for (j = 0; j < dim; j++)
    {
        free(xt[j]);
        free(wt[j]);
        free(x0[j]);
        free(w0[j]);
    }
    free(sS); free(sR);
    free(xg); free(wg); free(G2s); free(G3s); free(G2r); free(G3r); free(G2i); free(G3i);
    free(g2); free(g3); free(cd); free(fd); free(cpa); free(Bta); free(gpa); free(cpi);
    free(Bti); free(gpi);
    _arb_vec_clear(Ek, P * P); _arb_vec_clear(EK, P * P); _arb_vec_clear(Ekk, nkk);
    _arb_vec_clear(S2, n1); _arb_vec_clear(S3, n1); _arb_vec_clear(H, P * nA);
    _arb_vec_clear(HAA, nA * nA); _arb_vec_clear(Bt, (T + 1) * nA * nA);
    _arb_vec_clear(cpath, T * nA + 1); _arb_vec_clear(L, nA * nA);
    _arb_vec_clear(gpath, nA * T * nA + 1); _arb_vec_clear(E0, (T + 1) * nA);
    _arb_vec_clear(Rr, nA * nA * (T + 1) * nA); _arb_vec_clear(Q, n1);
    _arb_vec_clear(src, T * nA + 1); _arb_vec_clear(E2, (T + 1) * nA);
    _arb_vec_clear(e0, nA);
    _arb_vec_clear(col, (T + 1) * nA);
    arb_clear(v);
    arb_clear(cov);
    _neft_o1_sums_clear(&R);
    return ok ? 0 : wide ? -2 : -1;
}
