/* Private to src/train/order1.c and order1_ball.c: the single-neuron setup,
   the quadrature rule and the sums of neft_train_order1. */
#ifndef NEFT_TRAIN_ORDER1_H
#define NEFT_TRAIN_ORDER1_H

#include "neft/train.h"

typedef void (*_neft_o1_d4_func)(double * f, double z, double par);

/* an activation of neft_train_order1 (order1_act.c): sigma^(k), k = 0..3, in
   doubles; for the ball, strip(s, theta) sets s[k] >= |sigma^(k)(z)| on
   |Im z| <= theta for 0 < theta <= theta_max (NULL: no ball), and real[k]
   >= |sigma^(k)| on the real line */
typedef struct
{
    const char * name;
    _neft_o1_d4_func f;
    void (*strip)(double * s, double theta);
    double real[4];
    double theta_max;
}
_neft_o1_act;

/* the table's entry for name, or NULL */
const _neft_o1_act * _neft_o1_act_lookup(const char * name);

/* s[k] >= |sigma^(k)| on |Im z| <= theta (theta = 0: the real line) */
void _neft_o1_act_bounds(double * s, const _neft_o1_act * act, double theta);

typedef struct
{
    slong P, nA, nB, d, T;
    const double * x, * y;       /* P * d points (training first), nA targets */
    double eta, lb, lw, cw, cb, par;
    _neft_o1_d4_func f;
    const _neft_o1_act * act;    /* the ball's bounds (act->strip != NULL) */
    double th1[NEFT_TRAIN_ORDER1_MAXP][NEFT_TRAIN_ORDER1_MAXP];
}
_neft_o1_setup;

/* S for activation act, P points x (P * d, training first), nA targets y,
   T steps, the rates and variances (Theta1 = lb + lw x.x'/d) */
void _neft_o1_setup_init(_neft_o1_setup * S, const _neft_o1_act * act, slong P, slong nA,
                         slong d, slong T, const double * x, const double * y, double eta,
                         double lb, double lw, double cw, double cb);

/* a tensor rule over the standardised first-layer coordinates xi_j
   (c_j = sd_j xi_j, j = 0..d) and a Gauss-Hermite rule over a/sqrt(C_W) */
typedef struct
{
    slong N[NEFT_TRAIN_ORDER1_MAXP + 1];
    const double * x[NEFT_TRAIN_ORDER1_MAXP + 1], * w[NEFT_TRAIN_ORDER1_MAXP + 1];
    slong Na;
    const double * xa, * wa;
    /* N0[0] > 0: the first pass (E k, E a^2 sigma sigma, E k k) on this rule */
    slong N0[NEFT_TRAIN_ORDER1_MAXP + 1];
    const double * x0[NEFT_TRAIN_ORDER1_MAXP + 1], * w0[NEFT_TRAIN_ORDER1_MAXP + 1];
}
_neft_o1_rule;

/* the rule's sums and the double parameters of its second pass */
typedef struct
{
    double * Ek, * EK, * Ekk, * S2, * S3;          /* P*P, P*P, P*nA^3, (T+1)*P twice */
    double * H, * Bt, * cpath, * L, * gpath;       /* P*nA, (T+1)*nA^2, T*nA, nA^2, nA*T*nA */
}
_neft_o1_sums;

void _neft_o1_sums_init(_neft_o1_sums * R, const _neft_o1_setup * S);
void _neft_o1_sums_clear(_neft_o1_sums * R);

/* coef[t * P + p], fmean[..] (t = 0..T) in doubles by the rule; R (or NULL)
   receives the sums.  0, or -1 after a stop request or a K_AA that is not
   positive semidefinite. */
int _neft_o1_rule_run(double * coef, double * fmean, const _neft_o1_setup * S,
                      const _neft_o1_rule * rule, _neft_o1_sums * R);

/* majorants at a >= 0 (or |a|): G2[t * P + p] >= |the J0 h1 h2 coefficient|,
   G3[..] >= |J0's h1^3| + sum_g |Jg's h1 h2^2| for any activation values
   with |sigma^(k)(z_p)| <= smax[p * sstride + k] (sstride 0: one bound for
   every point, 4: per point) and any parameters with |cpath| <= cpa,
   |Bt| <= Bta, |gpath| <= gpa elementwise (S's th1 taken in absolute value) */
void _neft_o1_majorant(double * G2, double * G3, const _neft_o1_setup * S, double a,
                       const double * smax, slong sstride, const double * cpa, const double * Bta,
                       const double * gpa);

/* cpa, Bta, gpa: |R's cpath|, |Bt|, |gpath| elementwise (order1_paths.c) */
void _neft_o1_abs_paths(double * cpa, double * Bta, double * gpa, const _neft_o1_setup * S,
                        const _neft_o1_sums * R);

/* coef, fmean [t * P + p] by the Gauss-Hermite rule with Nc nodes per
   first-layer coordinate and 10 on a (a is exact): doubles, not a bound;
   0 or -1 as _neft_o1_rule_run */
int _neft_o1_gh_run(double * coef, double * fmean, const _neft_o1_setup * S, slong Nc);
/* the same with Na nodes on a (3 are exact: the integrands are even
   polynomials of degree <= 4 in a), R (or NULL) receiving the rule's sums as
   _neft_o1_rule_run's */
int _neft_o1_gh_run_sums(double * coef, double * fmean, const _neft_o1_setup * S, slong Nc,
                         slong Na, _neft_o1_sums * R);

/* L (n x n, lower, the rest 0) with L L^T = K in doubles, a semidefinite
   Cholesky factor: a pivot at most zero times the largest |K_ii| makes its
   column 0.  0, or -1 if a pivot is not above -neg times it (K not
   positive semidefinite to that tolerance, or not finite). */
int _neft_o1_psd_cholesky(double * L, const double * K, slong n, double neg, double zero);

/* x, w: the n-node Gauss-Hermite rule for N(0, 1) in doubles */
void _neft_o1_gh(double * x, double * w, slong n);

/* the rigorous ball of neft_train_order1 (S->act->strip != NULL): coef, fmean
   [t * P + p] (t = 0..T) as arb balls, at most nodes per coordinate
   (order1_ball.c; a coordinate whose bound allows it takes fewer).
   0, -1 as _neft_o1_rule_run, or -2: the first pass's balls are too wide
   to certify K_AA's Cholesky factor or ||I - H_AA|| (more nodes); info (or
   NULL) [0..4]: the largest radius of the quadrature, rounding and parameter
   terms, the last coordinate's theta, the most nodes on a coordinate. */
int _neft_o1_ball(arb_ptr coef, arb_ptr fmean, const _neft_o1_setup * S, slong nodes,
                  double * info, slong prec);

/* mid, rad: doubles with [mid - rad, mid + rad] containing the ball x */
void _neft_o1_ball_get_d(double * mid, double * rad, const arb_t x);

#endif
