/* The O(1/n) correction to the trained ensemble's mean for one hidden layer
   (depth 2), docs/train-theory.md.

   The net is f(x) = b + n^{-1/2} sum_i a_i sigma(z_i(x)), a_i ~ N(0, C_W),
   z_i = c_i . (1, x) with c_i ~ N(0, diag(C_b, C_W/d, ..)); full-batch GD
   with the RYH rates moves every neuron by n^{-1/2} times the common residual
   e(t) = f_t(A) - y, through the single-neuron map

     a(t+1) = a(t) - eta lambda_W sum_A sigma(z_A(t)) u_A(t),
     z_x(t+1) = z_x(t) - eta a(t) sum_A sigma'(z_A(t)) Theta1(x, A) u_A(t),

   u = n^{-1/2} e, Theta1 = lambda_b + lambda_W x.x'/d.  Expanding in
   eps = n^{-1/2} around the frozen-NTK solution, every O(1/n) term of E[f_t]
   is a single-neuron Gaussian expectation: the covariance of the neuron's NTK
   (the NTK fluctuation), the mixed second derivative of the neuron's output
   along the mean residual path and along its own initial outputs (dNTK x
   prior), and its third derivatives (ddNTK).  The derivatives are taken by
   truncated two-variable Taylor jets through the T steps; the expectations
   by a tensor Gauss-Hermite rule over (a, c) (a > 0 half, by a -> -a
   symmetry).  Doubles: not certified; the error estimate is the difference
   to a rule with fewer nodes.  For tanh, erf, sin and sigmoid (order1_act.c's
   table), order1_ball.c runs the same sums on
   trapezoid rules and bounds their error (a ball). */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "neft/train.h"
#include "neft/interrupt.h"
#include "order1.h"

/* ---- two-variable jets in (h1, h2), total degree <= 3 ------------------- */

enum { JN = 10 };
/* 0:1 1:h1 2:h2 3:h1^2 4:h1h2 5:h2^2 6:h1^3 7:h1^2h2 8:h1h2^2 9:h2^3 */
static const int jdeg[JN] = {0, 1, 1, 2, 2, 2, 3, 3, 3, 3};
static const int je1[JN] = {0, 1, 0, 2, 1, 0, 3, 2, 1, 0};
typedef struct { double v[JN]; } jet;

static int mul_tab[64][3];
static int mul_n = 0;
/* the products a trajectory needs: J0 reads h1 h2 and h1^3, Jg reads
   h1 h2^2; a coefficient depends only on those of its divisors, so the
   monomials dividing none of the read ones (an ideal) are dropped:
   tab_j0 keeps 1, h1, h2, h1^2, h1 h2, h1^3; tab_jg 1, h1, h2, h1 h2, h2^2,
   h1 h2^2 (the dropped coefficients are left stale, never read) */
static int tab_j0[64][3], tab_jg[64][3];
static int n_j0 = 0, n_jg = 0;

static int
jindex(int i, int j)
{
    int k;
    for (k = 0; k < JN; k++)
        if (je1[k] == i && jdeg[k] - je1[k] == j)
            return k;
    return -1;
}

static void
jet_tables(void)
{
    int p, q, n = 0, n0 = 0, ng = 0;
    if (mul_n)
        return;
    for (p = 0; p < JN; p++)
        for (q = 0; q < JN; q++)
            if (jdeg[p] + jdeg[q] <= 3)
            {
                mul_tab[n][0] = p;
                mul_tab[n][1] = q;
                mul_tab[n][2] = jindex(je1[p] + je1[q], jdeg[p] + jdeg[q] - je1[p] - je1[q]);
                if (mul_tab[n][2] <= 4 || mul_tab[n][2] == 6)
                    memcpy(tab_j0[n0++], mul_tab[n], sizeof mul_tab[n]);
                if (mul_tab[n][2] <= 2 || mul_tab[n][2] == 4 || mul_tab[n][2] == 5
                    || mul_tab[n][2] == 8)
                    memcpy(tab_jg[ng++], mul_tab[n], sizeof mul_tab[n]);
                n++;
            }
    n_j0 = n0;
    n_jg = ng;
    mul_n = n;
}

/* r = x y on the products tab[0..n) */
static void
jmul(jet * r, const jet * x, const jet * y, const int (*tab)[3], int n)
{
    jet t;
    int k;
    memset(&t, 0, sizeof t);
    for (k = 0; k < n; k++)
        t.v[tab[k][2]] += x->v[tab[k][0]] * y->v[tab[k][1]];
    *r = t;
}

/* r = x u, u = h1 c + h2 w (degree 1 only) */
static void
jmul_u(jet * r, const jet * x, double c, double w)
{
    jet t;
    memset(&t, 0, sizeof t);
    t.v[1] = x->v[0] * c;
    t.v[2] = x->v[0] * w;
    t.v[3] = x->v[1] * c;
    t.v[4] = x->v[2] * c + x->v[1] * w;
    t.v[5] = x->v[2] * w;
    t.v[6] = x->v[3] * c;
    t.v[7] = x->v[4] * c + x->v[3] * w;
    t.v[8] = x->v[5] * c + x->v[4] * w;
    t.v[9] = x->v[5] * w;
    *r = t;
}

/* s = f(z0 + d) = f0 + f1 d + f2 d^2/2 + f3 d^3/6 given d, d2 = d^2, d3 = d^3 */
static void
jcompose(jet * s, double f0, double f1, double f2, double f3, const jet * d, const jet * d2,
         const jet * d3)
{
    int k;
    for (k = 0; k < JN; k++)
        s->v[k] = f1 * d->v[k] + 0.5 * f2 * d2->v[k] + f3 / 6.0 * d3->v[k];
    s->v[0] = f0;
}

/* ---- Gauss-Hermite nodes for N(0, 1) ------------------------------------ */

/* x[i], w[i] (i < n): sum w f(x) = E f(Z), Z ~ N(0,1), exact for polynomials
   of degree < 2n (Newton on the orthonormal physicists' recurrence). */
static void
gauss_hermite(double * x, double * w, slong n)
{
    const double pim4 = 0.7511255444649425;   /* pi^{-1/4} */
    double z = 0, z1, p1, p2, p3, pp = 0;
    slong i, j, its, m = (n + 1) / 2;
    for (i = 0; i < m; i++)
    {
        if (i == 0)
            z = sqrt((double) (2 * n + 1)) - 1.85575 * pow((double) (2 * n + 1), -0.16667);
        else if (i == 1)
            z -= 1.14 * pow((double) n, 0.426) / z;
        else if (i == 2)
            z = 1.86 * z - 0.86 * x[0] / 1.4142135623730950488;
        else if (i == 3)
            z = 1.91 * z - 0.91 * x[1] / 1.4142135623730950488;
        else
            z = 2.0 * z - x[i - 2] / 1.4142135623730950488;
        for (its = 0; its < 100; its++)
        {
            p1 = pim4;
            p2 = 0;
            for (j = 0; j < n; j++)
            {
                p3 = p2;
                p2 = p1;
                p1 = z * sqrt(2.0 / (double) (j + 1)) * p2 - sqrt((double) j / (double) (j + 1)) * p3;
            }
            pp = sqrt(2.0 * (double) n) * p2;
            z1 = z;
            z = z1 - p1 / pp;
            if (fabs(z - z1) <= 1e-15 * fabs(z))
                break;
        }
        x[i] = z * 1.4142135623730950488;
        x[n - 1 - i] = -z * 1.4142135623730950488;
        w[i] = 2.0 / (pp * pp) / 1.7724538509055160273;
        w[n - 1 - i] = w[i];
    }
}

/* ---- the computation at one rule ----------------------------------------- */

typedef _neft_o1_setup o1_setup;

/* one neuron's quantities at a node: sig[p][0..3], k[p][q] (its NTK without
   eta, lambda_b) */
static void
neuron(double (*sg)[4], double * k, const o1_setup * S, double a, const double * c)
{
    slong p, q, j;
    for (p = 0; p < S->P; p++)
    {
        double z = c[0];
        for (j = 0; j < S->d; j++)
            z += c[1 + j] * S->x[p * S->d + j];
        S->f(sg[p], z, S->par);
    }
    for (p = 0; p < S->P; p++)
        for (q = 0; q < S->P; q++)
            k[p * S->P + q] = S->lw * sg[p][0] * sg[q][0]
                              + a * a * sg[p][1] * sg[q][1] * S->th1[p][q];
}

/* the neuron's trajectory jets along u(t) = h1 cpath(t) + h2 wpath(t):
   out[t * P + p] = the jet of phi_t(x_p), t = 0..T */
static void
trajectory(jet * out, const o1_setup * S, double a0, double (*sg)[4], const double * cpath,
           const double * wpath, jet * z, jet * sA, jet * dA, int absmode, int jg)
{
    /* jg: only the coefficients Jg reads (tab_jg), else J0's (tab_j0) */
    const int (*tab)[3] = jg ? tab_jg : tab_j0;
    const int ntab = jg ? n_jg : n_j0;
    static const int keep_j0[6] = {0, 1, 2, 3, 4, 6}, keep_jg[6] = {0, 1, 2, 4, 5, 8};
    const int * keep = jg ? keep_jg : keep_j0;
    /* absmode: the two subtractions become additions; with nonnegative inputs
       (|a0|, bounds on |sigma^(k)|, |paths|) every output is then the same
       polynomial with its coefficients replaced by their absolute values: a
       majorant of |out| for any inputs bounded by those (order1_ball.c) */
    const double sgn = absmode ? 1.0 : -1.0;
    const slong P = S->P, nA = S->nA;
    jet a, d1, d2, d3, s, tmp, acc;
    slong t, p, A, k, i;
    memset(&a, 0, sizeof a);
    a.v[0] = a0;
    /* the dropped coefficients of dA are read (into dropped ones) by jmul_u */
    memset(dA, 0, sizeof(jet) * (size_t) nA);
    for (p = 0; p < P; p++)
    {
        memset(z + p, 0, sizeof(jet));
        z[p].v[0] = 0;   /* z0 kept in sg; the jet holds the perturbation */
    }
    for (t = 0;; t++)
    {
        /* phi_t = a sigma(z) at every point; sigma, sigma' at the training points */
        for (p = 0; p < P; p++)
        {
            d1 = z[p];
            d1.v[0] = 0;
            jmul(&d2, &d1, &d1, tab, ntab);
            jmul(&d3, &d2, &d1, tab, ntab);
            jcompose(&s, sg[p][0], sg[p][1], sg[p][2], sg[p][3], &d1, &d2, &d3);
            jmul(out + t * P + p, &a, &s, tab, ntab);
            if (p < nA && t < S->T)
            {
                sA[p] = s;
                /* sigma'(z0 + d) to degree 2 (it is multiplied by u) */
                for (i = 0; i < 6; i++)
                {
                    k = keep[i];
                    dA[p].v[k] = sg[p][2] * d1.v[k] + 0.5 * sg[p][3] * d2.v[k];
                }
                dA[p].v[0] = sg[p][1];
            }
        }
        if (t == S->T)
            break;
        /* a -= eta lw sum_A sigma_A u_A; z_x -= eta a sum_A sigma'_A Th1(x,A) u_A */
        memset(&acc, 0, sizeof acc);
        for (A = 0; A < nA; A++)
        {
            jmul_u(&tmp, sA + A, cpath[t * nA + A], wpath[t * nA + A]);
            for (i = 0; i < 6; i++)
                acc.v[keep[i]] += tmp.v[keep[i]];
            jmul_u(dA + A, dA + A, cpath[t * nA + A], wpath[t * nA + A]);
        }
        for (p = 0; p < P; p++)
        {
            jet sum;
            memset(&sum, 0, sizeof sum);
            for (A = 0; A < nA; A++)
                for (i = 0; i < 6; i++)
                    sum.v[keep[i]] += S->th1[p][A] * dA[A].v[keep[i]];
            jmul(&tmp, &a, &sum, tab, ntab);
            for (i = 0; i < 6; i++)
                z[p].v[keep[i]] += sgn * (S->eta * tmp.v[keep[i]]);
        }
        for (i = 0; i < 6; i++)
            a.v[keep[i]] += sgn * (S->eta * S->lw * acc.v[keep[i]]);
    }
}

/* r = Linv[src]: r(t) = src(t) - H R(t), R(t) = sum_{s<t} r(s); Rout[t] = R(t),
   t = 0..T (nA each) */
static void
linv(double * Rout, const double * src, const double * H, slong nA, slong T)
{
    slong t, A, B;
    double r[NEFT_TRAIN_ORDER1_MAXP];
    for (A = 0; A < nA; A++)
        Rout[A] = 0;
    for (t = 0; t < T; t++)
    {
        for (A = 0; A < nA; A++)
        {
            r[A] = src[t * nA + A];
            for (B = 0; B < nA; B++)
                r[A] -= H[A * nA + B] * Rout[t * nA + B];
        }
        for (A = 0; A < nA; A++)
            Rout[(t + 1) * nA + A] = Rout[t * nA + A] + r[A];
    }
}

/* coef[t * P + p] = lim n (E f_t(x_p) - frozen), t = 0..T, with Nc nodes per
   first-layer coordinate and Na for a.  0, or -1 after a stop request or a
   K_AA that is not positive definite. */
int
_neft_o1_rule_run(double * coef, double * fmean, const o1_setup * S, const _neft_o1_rule * rule,
                  _neft_o1_sums * R)
{
    const slong P = S->P, nA = S->nA, T = S->T, dim = S->d + 1, Na = rule->Na;
    const double * xa = rule->xa, * wa = rule->wa;
    double (*sg)[4] = malloc(sizeof(double) * 4 * (size_t) P);
    double * k = malloc(sizeof(double) * (size_t) (P * P));
    long double * Ek = calloc((size_t) (P * P), sizeof(long double));
    long double * EK = calloc((size_t) (P * P), sizeof(long double));
    const slong nkk = P * nA * nA * nA;
    long double * Ekk = calloc((size_t) nkk, sizeof(long double));
    double * H = malloc(sizeof(double) * (size_t) (P * nA));
    double * HAA = malloc(sizeof(double) * (size_t) (nA * nA));
    double * Bt = malloc(sizeof(double) * (size_t) ((T + 1) * nA * nA));
    double * cpath = malloc(sizeof(double) * (size_t) (T * nA + 1));
    double * wpath = malloc(sizeof(double) * (size_t) (T * nA + 1));
    double * gpath = malloc(sizeof(double) * (size_t) (nA * T * nA + 1));
    double * L = calloc((size_t) (nA * nA), sizeof(double));
    double * KAA = malloc(sizeof(double) * (size_t) (nA * nA));
    long double * S2 = calloc((size_t) ((T + 1) * P), sizeof(long double));
    long double * S3 = calloc((size_t) ((T + 1) * P), sizeof(long double));
    double * E0 = malloc(sizeof(double) * (size_t) ((T + 1) * nA));
    double * Rr = malloc(sizeof(double) * (size_t) (nA * nA * (T + 1) * nA));
    double * Q = calloc((size_t) ((T + 1) * P), sizeof(double));
    double * src = malloc(sizeof(double) * (size_t) (T * nA + 1));
    double * E2 = malloc(sizeof(double) * (size_t) ((T + 1) * nA));
    jet * out = malloc(sizeof(jet) * (size_t) ((T + 1) * P));
    jet * zj = malloc(sizeof(jet) * (size_t) P), * sA = malloc(sizeof(jet) * (size_t) nA);
    jet * dA = malloc(sizeof(jet) * (size_t) nA);
    slong idx[NEFT_TRAIN_ORDER1_MAXP + 1], p, q, A, B, C, D, t, j, g, nodes = 1;
    double c[NEFT_TRAIN_ORDER1_MAXP + 1], sd[NEFT_TRAIN_ORDER1_MAXP + 1];
    int ok = 1, pass;

    jet_tables();
    sd[0] = sqrt(S->cb);
    for (j = 1; j < dim; j++)
        sd[j] = sqrt(S->cw / (double) S->d);

    for (pass = 0; pass < 2 && ok; pass++)
    {
        slong node, ia;
        if (pass == 1)
        {
            /* H = eta (lambda_b + E k); the mean path, the propagators, L L^T = K_AA */
            for (p = 0; p < P; p++)
                for (A = 0; A < nA; A++)
                    H[p * nA + A] = S->eta * (S->lb + Ek[p * P + A]);
            for (A = 0; A < nA; A++)
                for (B = 0; B < nA; B++)
                    HAA[A * nA + B] = H[A * nA + B];
            for (A = 0; A < nA * nA; A++)
                Bt[A] = (A % (nA + 1) == 0);
            for (t = 0; t < T; t++)
                for (A = 0; A < nA; A++)
                    for (B = 0; B < nA; B++)
                    {
                        double v = Bt[(t * nA + A) * nA + B];
                        for (C = 0; C < nA; C++)
                            v -= HAA[A * nA + C] * Bt[(t * nA + C) * nA + B];
                        Bt[((t + 1) * nA + A) * nA + B] = v;
                    }
            for (t = 0; t < T; t++)
                for (A = 0; A < nA; A++)
                {
                    double v = 0;
                    for (B = 0; B < nA; B++)
                        v -= Bt[(t * nA + A) * nA + B] * S->y[B];
                    cpath[t * nA + A] = v;
                }
            /* L L^T = K_AA = C_b + E[a^2 sigma sigma], positive semidefinite (a
               linear net's K_AA has rank <= d_in + 1) */
            for (A = 0; A < nA; A++)
                for (B = 0; B < nA; B++)
                    KAA[A * nA + B] = S->cb + EK[A * P + B];
            if (_neft_o1_psd_cholesky(L, KAA, nA, 1e-11, 1e-11) != 0)
                ok = 0;
            for (g = 0; g < nA; g++)
                for (t = 0; t < T; t++)
                    for (A = 0; A < nA; A++)
                    {
                        double v = 0;
                        for (B = 0; B < nA; B++)
                            v += Bt[(t * nA + A) * nA + B] * L[B * nA + g];
                        gpath[(g * T + t) * nA + A] = v;
                    }
        }
        /* the first pass on rule->N0.. when given (a finer rule: it is cheap) */
        const int fine = pass == 0 && rule->N0[0] > 0;
        const slong * Nr = fine ? rule->N0 : rule->N;
        const double * const * xr = fine ? rule->x0 : rule->x;
        const double * const * wr = fine ? rule->w0 : rule->w;
        nodes = 1;
        for (j = 0; j < dim; j++)
            nodes *= Nr[j];
        for (node = 0; node < nodes && ok; node++)
        {
            slong r = node;
            double wn = 1;
            if (neft_interrupted())
            {
                ok = 0;
                break;
            }
            for (j = 0; j < dim; j++)
            {
                idx[j] = r % Nr[j];
                r /= Nr[j];
                c[j] = sd[j] * xr[j][idx[j]];
                wn *= wr[j][idx[j]];
            }
            for (ia = 0; ia < Na; ia++)
            {
                const double a = sqrt(S->cw) * xa[ia];
                double w;
                if (xa[ia] < 0)
                    continue;
                /* integrands even in a: the a > 0 half twice */
                w = wn * wa[ia] * (xa[ia] > 0 ? 2.0 : 1.0);
                neuron(sg, k, S, a, c);
                if (pass == 0)
                {
                    for (p = 0; p < P * P; p++)
                        Ek[p] += w * k[p];
                    for (p = 0; p < P; p++)
                        for (q = 0; q < P; q++)
                            EK[p * P + q] += w * a * a * sg[p][0] * sg[q][0];
                    for (p = 0; p < P; p++)
                        for (A = 0; A < nA; A++)
                            for (C = 0; C < nA; C++)
                                for (D = 0; D < nA; D++)
                                    Ekk[((p * nA + A) * nA + C) * nA + D]
                                        += w * k[p * P + A] * k[C * P + D];
                    continue;
                }
                /* J0: u = h1 c + h2 w_theta, w_theta(t) = B^t phi_0(theta; A) */
                for (t = 0; t < T; t++)
                    for (A = 0; A < nA; A++)
                    {
                        double v = 0;
                        for (B = 0; B < nA; B++)
                            v += Bt[(t * nA + A) * nA + B] * a * sg[B][0];
                        wpath[t * nA + A] = v;
                    }
                trajectory(out, S, a, sg, cpath, wpath, zj, sA, dA, 0, 0);
                for (t = 0; t <= T; t++)
                    for (p = 0; p < P; p++)
                    {
                        S2[t * P + p] += w * out[t * P + p].v[4];
                        S3[t * P + p] += w * out[t * P + p].v[6];
                    }
                /* Jg: u = h1 c + h2 g_k, the prior's directions */
                for (g = 0; g < nA; g++)
                {
                    trajectory(out, S, a, sg, cpath, gpath + g * T * nA, zj, sA, dA, 0, 1);
                    for (t = 0; t <= T; t++)
                        for (p = 0; p < P; p++)
                            S3[t * P + p] += w * out[t * P + p].v[8];
                }
            }
        }
    }
    if (ok)
    {
        /* the frozen mean: f(t) = -H_xA E0(t), E0 = sum_{s<t} cpath(s) */
        for (A = 0; A < nA; A++)
            E0[A] = 0;
        for (t = 0; t < T; t++)
            for (A = 0; A < nA; A++)
                E0[(t + 1) * nA + A] = E0[t * nA + A] + cpath[t * nA + A];
        for (t = 0; t <= T; t++)
            for (p = 0; p < P; p++)
            {
                double v = 0;
                for (A = 0; A < nA; A++)
                    v -= H[p * nA + A] * E0[t * nA + A];
                fmean[t * P + p] = v;
            }
        /* E1's response to a unit kappa_{CD}: src(t)_A = -delta_{AC} E0_D(t) */
        for (C = 0; C < nA; C++)
            for (D = 0; D < nA; D++)
            {
                for (t = 0; t < T; t++)
                    for (A = 0; A < nA; A++)
                        src[t * nA + A] = (A == C) ? -E0[t * nA + D] : 0.0;
                linv(Rr + (C * nA + D) * (T + 1) * nA, src, HAA, nA, T);
            }
        /* Q(t, x) = sum_{A,C,D} Cov(kappa(x,A), kappa(C,D)) R^{CD}_A(t) */
        for (p = 0; p < P; p++)
            for (A = 0; A < nA; A++)
                for (C = 0; C < nA; C++)
                    for (D = 0; D < nA; D++)
                    {
                        const double cov = S->eta * S->eta
                            * (Ekk[((p * nA + A) * nA + C) * nA + D]
                               - Ek[p * P + A] * Ek[C * P + D]);
                        const double * R = Rr + (C * nA + D) * (T + 1) * nA;
                        for (t = 0; t <= T; t++)
                            Q[t * P + p] += cov * R[t * nA + A];
                    }
        /* e2 = Linv[-Q + S2 + S3] at the training points; then every point */
        for (t = 0; t < T; t++)
            for (A = 0; A < nA; A++)
                src[t * nA + A] = -Q[t * P + A] + S2[t * P + A] + S3[t * P + A];
        linv(E2, src, HAA, nA, T);
        for (t = 0; t <= T; t++)
            for (p = 0; p < P; p++)
            {
                double v = -Q[t * P + p] + S2[t * P + p] + S3[t * P + p];
                for (A = 0; A < nA; A++)
                    v -= H[p * nA + A] * E2[t * nA + A];
                coef[t * P + p] = v;
            }
    }
    if (ok && R != NULL)
    {
        for (p = 0; p < P * P; p++)
        {
            R->Ek[p] = (double) Ek[p];
            R->EK[p] = (double) EK[p];
        }
        for (p = 0; p < nkk; p++)
            R->Ekk[p] = (double) Ekk[p];
        for (p = 0; p < (T + 1) * P; p++)
        {
            R->S2[p] = (double) S2[p];
            R->S3[p] = (double) S3[p];
        }
        memcpy(R->H, H, sizeof(double) * (size_t) (P * nA));
        memcpy(R->Bt, Bt, sizeof(double) * (size_t) ((T + 1) * nA * nA));
        memcpy(R->cpath, cpath, sizeof(double) * (size_t) (T * nA));
        memcpy(R->L, L, sizeof(double) * (size_t) (nA * nA));
        memcpy(R->gpath, gpath, sizeof(double) * (size_t) (nA * T * nA));
    }
    free(sg); free(k); free(Ek); free(EK); free(Ekk);
    free(H); free(HAA); free(Bt); free(cpath); free(wpath); free(gpath); free(L); free(KAA);
    free(S2); free(S3); free(E0); free(Rr); free(Q); free(src); free(E2); free(out); free(zj);
    free(sA); free(dA);
    return ok ? 0 : -1;
}

void
_neft_o1_sums_init(_neft_o1_sums * R, const o1_setup * S)
{
    const slong P = S->P, nA = S->nA, T = S->T;
    R->Ek = calloc((size_t) (P * P), sizeof(double));
    R->EK = calloc((size_t) (P * P), sizeof(double));
    R->Ekk = calloc((size_t) (P * nA * nA * nA), sizeof(double));
    R->S2 = calloc((size_t) ((T + 1) * P), sizeof(double));
    R->S3 = calloc((size_t) ((T + 1) * P), sizeof(double));
    R->H = calloc((size_t) (P * nA), sizeof(double));
    R->Bt = calloc((size_t) ((T + 1) * nA * nA), sizeof(double));
    R->cpath = calloc((size_t) (T * nA + 1), sizeof(double));
    R->L = calloc((size_t) (nA * nA), sizeof(double));
    R->gpath = calloc((size_t) (nA * T * nA + 1), sizeof(double));
}

void
_neft_o1_sums_clear(_neft_o1_sums * R)
{
    free(R->Ek); free(R->EK); free(R->Ekk); free(R->S2); free(R->S3);
    free(R->H); free(R->Bt); free(R->cpath); free(R->L); free(R->gpath);
}

void
_neft_o1_majorant(double * G2, double * G3, const o1_setup * S, double a, const double * smax,
                  slong sstride, const double * cpa, const double * Bta, const double * gpa)
{
    const slong P = S->P, nA = S->nA, T = S->T;
    o1_setup Sa = *S;
    double (*sg)[4] = malloc(sizeof(double) * 4 * (size_t) P);
    double * wpath = calloc((size_t) (T * nA + 1), sizeof(double));
    jet * out = malloc(sizeof(jet) * (size_t) ((T + 1) * P));
    jet * zj = malloc(sizeof(jet) * (size_t) P), * sA = malloc(sizeof(jet) * (size_t) nA);
    jet * dA = malloc(sizeof(jet) * (size_t) nA);
    slong p, q, t, A, B, g;
    jet_tables();
    a = fabs(a);
    Sa.eta = fabs(S->eta);
    Sa.lw = fabs(S->lw);
    for (p = 0; p < P; p++)
    {
        for (q = 0; q < P; q++)
            Sa.th1[p][q] = fabs(S->th1[p][q]);
        for (q = 0; q < 4; q++)
            sg[p][q] = smax[p * sstride + q];
    }
    /* w_theta(t)_A = sum_B Bt(t)_AB a sigma_B */
    for (t = 0; t < T; t++)
        for (A = 0; A < nA; A++)
        {
            double v = 0;
            for (B = 0; B < nA; B++)
                v += Bta[(t * nA + A) * nA + B] * a * smax[B * sstride];
            wpath[t * nA + A] = v;
        }
    trajectory(out, &Sa, a, sg, cpa, wpath, zj, sA, dA, 1, 0);
    for (t = 0; t <= T; t++)
        for (p = 0; p < P; p++)
        {
            G2[t * P + p] = out[t * P + p].v[4];
            G3[t * P + p] = out[t * P + p].v[6];
        }
    for (g = 0; g < nA; g++)
    {
        trajectory(out, &Sa, a, sg, cpa, gpa + g * T * nA, zj, sA, dA, 1, 1);
        for (t = 0; t <= T; t++)
            for (p = 0; p < P; p++)
                G3[t * P + p] += out[t * P + p].v[8];
    }
    free(sg); free(wpath); free(out); free(zj); free(sA); free(dA);
}

/* the Gauss-Hermite rule with Nc nodes per coordinate and 10 for a (exact in a) */
int
_neft_o1_gh_run(double * coef, double * fmean, const o1_setup * S, slong Nc)
{
    return _neft_o1_gh_run_sums(coef, fmean, S, Nc, 10, NULL);
}

int
_neft_o1_gh_run_sums(double * coef, double * fmean, const o1_setup * S, slong Nc, slong Na,
                     _neft_o1_sums * R)
{
    _neft_o1_rule rule;
    double * xc = malloc(sizeof(double) * (size_t) Nc), * wc = malloc(sizeof(double) * (size_t) Nc);
    double * xa = malloc(sizeof(double) * (size_t) Na), * wa = malloc(sizeof(double) * (size_t) Na);
    slong j;
    int r;
    gauss_hermite(xc, wc, Nc);
    gauss_hermite(xa, wa, Na);
    memset(&rule, 0, sizeof rule);
    for (j = 0; j <= S->d; j++)
    {
        rule.N[j] = Nc;
        rule.x[j] = xc;
        rule.w[j] = wc;
    }
    rule.Na = Na;
    rule.xa = xa;
    rule.wa = wa;
    r = _neft_o1_rule_run(coef, fmean, S, &rule, R);
    free(xc); free(wc); free(xa); free(wa);
    return r;
}

int
_neft_o1_psd_cholesky(double * L, const double * K, slong n, double neg, double zero)
{
    double big = 0;
    slong i, j, k;
    for (i = 0; i < n; i++)
        big = fmax(big, fabs(K[i * n + i]));
    memset(L, 0, sizeof(double) * (size_t) (n * n));
    for (j = 0; j < n; j++)
    {
        double d = K[j * n + j];
        for (k = 0; k < j; k++)
            d -= L[j * n + k] * L[j * n + k];
        if (!(d > -neg * big))
            return -1;
        if (d <= zero * big)
            continue;
        L[j * n + j] = sqrt(d);
        for (i = j + 1; i < n; i++)
        {
            double s = K[i * n + j];
            for (k = 0; k < j; k++)
                s -= L[i * n + k] * L[j * n + k];
            L[i * n + j] = s / L[j * n + j];
        }
    }
    return 0;
}

/* the a rule of order1_ball.c: Gauss-Hermite with Na nodes */
void
_neft_o1_gh(double * x, double * w, slong n)
{
    gauss_hermite(x, w, n);
}

void
_neft_o1_setup_init(o1_setup * S, const _neft_o1_act * act, slong P, slong nA, slong d, slong T,
                    const double * x, const double * y, double eta, double lb, double lw,
                    double cw, double cb)
{
    slong p, q, j;
    memset(S, 0, sizeof *S);
    S->act = act;
    S->f = act->f;
    S->P = P; S->nA = nA; S->nB = P - nA; S->d = d; S->T = T;
    S->x = x; S->y = y;
    S->eta = eta; S->lb = lb; S->lw = lw; S->cw = cw; S->cb = cb;
    for (p = 0; p < P; p++)
        for (q = 0; q < P; q++)
        {
            double v = 0;
            for (j = 0; j < d; j++)
                v += x[p * d + j] * x[q * d + j];
            S->th1[p][q] = lb + lw * v / (double) d;
        }
}

int
neft_train_order1_ball(neft_act_srcptr act)
{
    const _neft_o1_act * a = act == NULL ? NULL : _neft_o1_act_lookup(act->name);
    return a != NULL && a->strip != NULL;
}

int
neft_train_order1_check(const neft_train_ensemble_t ens, slong nodes, char * msg, size_t msgsize)
{
    const neft_net_struct * net = ens->sample->net;
    const slong P = ens->sample->npoints, d = net->d_in;
    const slong T = ens->nsteps > 0 ? (slong) ens->steps[ens->nsteps - 1] : 0;
    if (net->depth > 2 && net->act != NULL)
        /* the GD map in the output layer's tensors (docs/train-theory.md, "Any depth") */
        return neft_train_order1_deep_check(ens, msg, msgsize);
    if (net->depth != 2 || net->act == NULL || _neft_o1_act_lookup(net->act->name) == NULL)
    {
        snprintf(msg, msgsize, "the O(1/n) trained mean is computed for one hidden layer "
                 "(--depth 2) and an activation with three derivatives in doubles (linear, "
                 "tanh, erf, sin, sigmoid); for relu and leaky-relu neft_train_kink gives the "
                 "n^-1/2 term and c is not computed");
        return NEFT_UNSUPPORTED;
    }
    if (P > NEFT_TRAIN_ORDER1_MAXP || T > 10000 || d + 1 > NEFT_TRAIN_ORDER1_MAXP
        || nodes < 4 || nodes > 64)
    {
        snprintf(msg, msgsize, "the O(1/n) trained mean takes at most %d points, 10000 "
                 "steps and 4..64 nodes", NEFT_TRAIN_ORDER1_MAXP);
        return NEFT_BAD_INPUT;
    }
    return NEFT_SUCCESS;
}

int
neft_train_order1(double * coef, double * err, int * ball, double * fmean,
                  const neft_train_ensemble_t ens, slong nodes, char * msg, size_t msgsize)
{
    const neft_net_struct * net = ens->sample->net;
    const slong P = ens->sample->npoints, nA = ens->ntrain, nB = P - nA, d = net->d_in;
    const slong T = ens->nsteps > 0 ? (slong) ens->steps[ens->nsteps - 1] : 0;
    o1_setup S;
    double * c1, * c2, * f1, * f2, * xd;
    slong j, s;
    int r;

    if ((r = neft_train_order1_check(ens, nodes, msg, msgsize)) != NEFT_SUCCESS)
        return r;
    if (net->depth > 2)
    {
        /* no quadrature: err 0 (the map's c is not a bound; train.h) */
        *ball = 0;
        for (j = 0; j < ens->nsteps * nB; j++)
            err[j] = 0;
        return neft_train_order1_deep(coef, fmean, ens, msg, msgsize);
    }
    jet_tables();
    xd = malloc(sizeof(double) * (size_t) (P * d + 1));
    for (j = 0; j < P * d; j++)
        xd[j] = fmpq_get_d(ens->x + j);
    _neft_o1_setup_init(&S, _neft_o1_act_lookup(net->act->name), P, nA, d, T, xd, ens->y,
                        fmpq_get_d(ens->eta), fmpq_get_d(ens->lambda_b),
                        fmpq_get_d(ens->lambda_w), neft_net_cw_d(net), neft_net_cb_d(net));
    c1 = malloc(sizeof(double) * (size_t) ((T + 1) * P));
    c2 = malloc(sizeof(double) * (size_t) ((T + 1) * P));
    f1 = malloc(sizeof(double) * (size_t) ((T + 1) * P));
    f2 = malloc(sizeof(double) * (size_t) ((T + 1) * P));
    *ball = neft_train_order1_ball(net->act) && !ens->order1_estimate;
    if (*ball)
    {
        /* tanh, erf, sin, sigmoid: a rigorous ball (order1_ball.c) */
        arb_ptr cb = _arb_vec_init((T + 1) * P), fb = _arb_vec_init((T + 1) * P);
        r = _neft_o1_ball(cb, fb, &S, nodes, NULL, 128);
        if (r == 0)
            for (s = 0; s < ens->nsteps; s++)
                for (j = 0; j < nB; j++)
                {
                    const slong i = (slong) ens->steps[s] * P + nA + j;
                    double fr;
                    _neft_o1_ball_get_d(coef + s * nB + j, err + s * nB + j, cb + i);
                    if (fmean != NULL)
                        _neft_o1_ball_get_d(fmean + s * nB + j, &fr, fb + i);
                }
        _arb_vec_clear(cb, (T + 1) * P);
        _arb_vec_clear(fb, (T + 1) * P);
    }
    else
    {
    r = _neft_o1_gh_run(c1, f1, &S, nodes);
    if (r == 0)
        r = _neft_o1_gh_run(c2, f2, &S, nodes - FLINT_MAX(2, nodes / 4));
    if (r == 0)
        for (s = 0; s < ens->nsteps; s++)
            for (j = 0; j < nB; j++)
            {
                const slong i = (slong) ens->steps[s] * P + nA + j;
                coef[s * nB + j] = c1[i];
                err[s * nB + j] = fabs(c1[i] - c2[i]);
                if (fmean != NULL)
                    fmean[s * nB + j] = f1[i];
            }
    }
    free(c1); free(c2); free(f1); free(f2); free(xd);
    if (r == -2)
    {
        snprintf(msg, msgsize, "the ball for c: at %ld nodes the first pass's radii leave "
                 "the prior kernel's Cholesky factor or the frozen propagator uncertified; "
                 "use more --nodes", (long) nodes);
        return NEFT_FAILURE;
    }
    if (r != 0)
    {
        if (neft_interrupted())
        {
            snprintf(msg, msgsize, "interrupted");
            return NEFT_INTERRUPTED;
        }
        snprintf(msg, msgsize, "the prior's kernel on the training inputs is not positive "
                 "semidefinite at the quadrature's precision");
        return NEFT_UNSUPPORTED;
    }
    return NEFT_SUCCESS;
}
