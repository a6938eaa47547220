/* The O(1/n) correction to the trained ensemble's mean for a net of any
   depth, as the gradient-descent map expanded in the output layer's
   finite-width tensors (docs/train-theory.md, "Any depth: the
   gradient-descent map in the tensors").

   One GD step of the output f (one neuron, residual e = f(A) - y on the nA
   training inputs) and of its NTK H and dNTK dH, to the order that reaches
   the ensemble mean at O(1/n) (Roberts-Yaida-Hanin ch. 11 and ch. oo):

     f'(x)       = f(x) - eta H(x,A) e_A + eta^2/2 dH(x,A,B) e_A e_B
                   - eta^3/6 ddI(x,A,B,C) e_A e_B e_C
     H'(x,y)     = H(x,y) - eta [dH(x,y,A) + dH(y,x,A)] e_A
                   + eta^2/2 [ddI(x,y,A,B) + ddI(y,x,A,B) + 2 ddII(x,y,A,B)] e_A e_B
     dH'(x,y,w)  = dH(x,y,w) - eta [ddI(x,y,w,A) + ddII(x,y,w,A) + ddII(x,w,y,A)] e_A

   (sums over repeated training indices; the ddNTKs constant).  The mean of
   f_T at O(1/n) is four derivatives of this map at the frozen mean path
   (f_0 = 0, H = Theta, dH = ddH = 0), each contracted with one cumulant:
   Theta1 (first derivative along H), n Cov(H, H) (second), n E[dH z] (the
   mixed dH, z derivative) and n E[ddH] (along ddH, with the prior's
   Gaussian average of a cubic: g(0) + 1/2 sum_k d^2 g[L_k, L_k], L L^T =
   K_AA).  The derivatives are truncated Taylor jets in two variables,
   h1 to degree 1 and h2 to degree 2, pushed through the T steps. */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "neft/interrupt.h"
#include "order1.h"
#include "order1_deep.h"

/* ---- jets: c[i][j] the coefficient of h1^i h2^j, i <= 1, j <= 2 ---------- */

typedef struct { double c[2][3]; } jet;

/* r = a b (r may alias neither) */
static void
jmul(jet * r, const jet * a, const jet * b)
{
    int i, j, i1, j1;
    for (i = 0; i < 2; i++)
        for (j = 0; j < 3; j++)
        {
            double s = 0;
            for (i1 = 0; i1 <= i; i1++)
                for (j1 = 0; j1 <= j; j1++)
                    s += a->c[i1][j1] * b->c[i - i1][j - j1];
            r->c[i][j] = s;
        }
}

/* r += s a */
static void
jaxpy(jet * r, double s, const jet * a)
{
    int i, j;
    for (i = 0; i < 2; i++)
        for (j = 0; j < 3; j++)
            r->c[i][j] += s * a->c[i][j];
}

/* r += s h1 a */
static void
jaxpy_h1(jet * r, double s, const jet * a)
{
    int j;
    for (j = 0; j < 3; j++)
        r->c[1][j] += s * a->c[0][j];
}

/* ---- one trajectory ------------------------------------------------------- */

/* the perturbed start and constants of one jet run */
typedef struct
{
    jet * f0;          /* P: f_0 */
    jet * H0;          /* P * P: H_0 */
    jet * dH0;         /* P * P * nA: dH_0(x, y, A) (NULL: 0) */
    int dd;            /* 1: ddI, ddII = h1 times X's means; 0: 0 */
}
o1d_start;

/* out[t P + p] = the jet of f_t(x_p), t = 0..T.  0, or -1 after a stop request */
static int
trajectory(jet * out, const _neft_o1d_tensors * X, const o1d_start * st)
{
    const slong P = X->P, nA = X->nA, T = X->T, P2 = P * P, P3 = P2 * P;
    const double eta = X->eta;
    const int evolve = st->dH0 != NULL || st->dd;   /* H, dH change */
    jet * f = malloc(sizeof(jet) * (size_t) P), * fn = malloc(sizeof(jet) * (size_t) P);
    jet * H = malloc(sizeof(jet) * (size_t) (P * nA));
    jet * Hn = malloc(sizeof(jet) * (size_t) (P * nA));
    jet * dH = calloc((size_t) (P2 * nA), sizeof(jet));
    jet * dHn = malloc(sizeof(jet) * (size_t) (P2 * nA));
    jet * e = malloc(sizeof(jet) * (size_t) nA), * ee = malloc(sizeof(jet) * (size_t) (nA * nA));
    jet * eee = malloc(sizeof(jet) * (size_t) (nA * nA * nA));
    slong t, x, y, A, B, C, w;
    int ok = 1;

    memcpy(f, st->f0, sizeof(jet) * (size_t) P);
    for (x = 0; x < P; x++)
        for (A = 0; A < nA; A++)
            H[x * nA + A] = st->H0[x * P + A];
    if (st->dH0 != NULL)
        memcpy(dH, st->dH0, sizeof(jet) * (size_t) (P2 * nA));
    for (t = 0;; t++)
    {
        memcpy(out + t * P, f, sizeof(jet) * (size_t) P);
        if (t == T)
            break;
        if (neft_interrupted())
        {
            ok = 0;
            break;
        }
        for (A = 0; A < nA; A++)
        {
            e[A] = f[A];
            e[A].c[0][0] -= X->y[A];
        }
        if (evolve)
        {
            for (A = 0; A < nA; A++)
                for (B = 0; B < nA; B++)
                    jmul(ee + A * nA + B, e + A, e + B);
            if (st->dd)
                for (A = 0; A < nA * nA; A++)
                    for (C = 0; C < nA; C++)
                        jmul(eee + A * nA + C, ee + A, e + C);
        }
        /* f' = f - eta H e + eta^2/2 dH e e - eta^3/6 ddI e e e */
        for (x = 0; x < P; x++)
        {
            jet r = f[x], tmp;
            for (A = 0; A < nA; A++)
            {
                jmul(&tmp, H + x * nA + A, e + A);
                jaxpy(&r, -eta, &tmp);
            }
            if (evolve)
                for (A = 0; A < nA; A++)
                    for (B = 0; B < nA; B++)
                    {
                        jmul(&tmp, dH + (x * P + A) * nA + B, ee + A * nA + B);
                        jaxpy(&r, 0.5 * eta * eta, &tmp);
                    }
            if (st->dd)
                for (A = 0; A < nA; A++)
                    for (B = 0; B < nA; B++)
                        for (C = 0; C < nA; C++)
                            jaxpy_h1(&r, -eta * eta * eta / 6.0
                                     * X->ddi[x * P3 + A * P2 + B * P + C],
                                     eee + (A * nA + B) * nA + C);
            fn[x] = r;
        }
        if (evolve)
        {
            /* H'(x,A) = H - eta [dH(x,A,B) + dH(A,x,B)] e_B
                         + eta^2/2 [ddI(x,A,B,C) + ddI(A,x,B,C) + 2 ddII(x,A,B,C)] e_B e_C */
            for (x = 0; x < P; x++)
                for (A = 0; A < nA; A++)
                {
                    jet r = H[x * nA + A], tmp;
                    for (B = 0; B < nA; B++)
                    {
                        jmul(&tmp, dH + (x * P + A) * nA + B, e + B);
                        jaxpy(&r, -eta, &tmp);
                        jmul(&tmp, dH + (A * P + x) * nA + B, e + B);
                        jaxpy(&r, -eta, &tmp);
                    }
                    if (st->dd)
                        for (B = 0; B < nA; B++)
                            for (C = 0; C < nA; C++)
                            {
                                const double v = X->ddi[x * P3 + A * P2 + B * P + C]
                                    + X->ddi[A * P3 + x * P2 + B * P + C]
                                    + 2 * X->ddii[x * P3 + A * P2 + B * P + C];
                                jaxpy_h1(&r, 0.5 * eta * eta * v, ee + B * nA + C);
                            }
                    Hn[x * nA + A] = r;
                }
            /* dH'(x,y,w) = dH - eta [ddI(x,y,w,A) + ddII(x,y,w,A) + ddII(x,w,y,A)] e_A */
            memcpy(dHn, dH, sizeof(jet) * (size_t) (P2 * nA));
            if (st->dd)
                for (x = 0; x < P; x++)
                    for (y = 0; y < P; y++)
                        for (w = 0; w < nA; w++)
                            for (A = 0; A < nA; A++)
                            {
                                const double v = X->ddi[x * P3 + y * P2 + w * P + A]
                                    + X->ddii[x * P3 + y * P2 + w * P + A]
                                    + X->ddii[x * P3 + w * P2 + y * P + A];
                                jaxpy_h1(dHn + (x * P + y) * nA + w, -eta * v, e + A);
                            }
            memcpy(H, Hn, sizeof(jet) * (size_t) (P * nA));
            memcpy(dH, dHn, sizeof(jet) * (size_t) (P2 * nA));
        }
        memcpy(f, fn, sizeof(jet) * (size_t) P);
    }
    free(f); free(fn); free(H); free(Hn); free(dH); free(dHn); free(e); free(ee); free(eee);
    return ok ? 0 : -1;
}

/* ---- the four terms ------------------------------------------------------- */

/* term[t P + p] += s times the (i, j) coefficient of out */
static void
take(double * term, const jet * out, slong n, int i, int j, double s)
{
    slong k;
    for (k = 0; k < n; k++)
        term[k] += s * out[k].c[i][j];
}

int
_neft_o1d_map(double * terms, double * fmean, const _neft_o1d_tensors * X)
{
    const slong P = X->P, nA = X->nA, T = X->T, P2 = P * P, n = (T + 1) * P;
    jet * out = malloc(sizeof(jet) * (size_t) n);
    jet * f0 = calloc((size_t) P, sizeof(jet)), * H0 = calloc((size_t) P2, sizeof(jet));
    jet * dH0 = calloc((size_t) (P2 * nA), sizeof(jet));
    double * KA = malloc(sizeof(double) * (size_t) (nA * nA));
    double * L = malloc(sizeof(double) * (size_t) (nA * nA));
    o1d_start st;
    slong p, q, r, s, a, k, x, y, w;
    int ok = 1;

    memset(terms, 0, sizeof(double) * (size_t) (_NEFT_O1D_NTERMS * n));
    st.f0 = f0;
    st.H0 = H0;
    st.dH0 = NULL;
    st.dd = 0;

    /* Theta1: H_0 = Theta + h1 Theta1 (and the frozen mean at h = 0) */
    for (p = 0; p < P2; p++)
    {
        H0[p].c[0][0] = X->th[p];
        H0[p].c[1][0] = X->th1[p];
    }
    ok = trajectory(out, X, &st) == 0;
    if (ok)
    {
        take(terms + _NEFT_O1D_THETA1 * n, out, n, 1, 0, 1.0);
        if (fmean != NULL)
            for (k = 0; k < n; k++)
                fmean[k] = out[k].c[0][0];
    }

    /* the NTK's covariance: 1/2 sum_ij C_ij d_i d_j f over the unordered
       pairs v = H_pq = H_qp with a training index (the others never enter):
       h1 along v_i, h2 along sum_j C_ij v_j; the h1 h2 coefficient */
    for (p = 0; p < P && ok; p++)
        for (q = p; q < P && ok; q++)
        {
            if (p >= nA && q >= nA)
                continue;
            for (k = 0; k < P2; k++)
            {
                memset(H0 + k, 0, sizeof(jet));
                H0[k].c[0][0] = X->th[k];
            }
            H0[p * P + q].c[1][0] = 1;
            H0[q * P + p].c[1][0] = 1;
            for (r = 0; r < P; r++)
                for (s = r; s < P; s++)
                {
                    const double c = X->cov[((p * P + q) * P + r) * P + s];
                    H0[r * P + s].c[0][1] = c;
                    H0[s * P + r].c[0][1] = c;
                }
            ok = trajectory(out, X, &st) == 0;
            if (ok)
                take(terms + _NEFT_O1D_COV * n, out, n, 1, 1, 0.5);
        }

    /* the dNTK against the prior: sum_a d^2 f [dH = n E[dH z_a], z = e_a] */
    for (k = 0; k < P2; k++)
    {
        memset(H0 + k, 0, sizeof(jet));
        H0[k].c[0][0] = X->th[k];
    }
    st.dH0 = dH0;
    for (a = 0; a < nA && ok; a++)
    {
        for (x = 0; x < P; x++)
            for (y = 0; y < P; y++)
                for (w = 0; w < nA; w++)
                    dH0[(x * P + y) * nA + w].c[1][0]
                        = X->dz[((x * P + y) * P + w) * P + a];
        memset(f0, 0, sizeof(jet) * (size_t) P);
        f0[a].c[0][1] = 1;
        ok = trajectory(out, X, &st) == 0;
        if (ok)
            take(terms + _NEFT_O1D_DNTK * n, out, n, 1, 1, 1.0);
    }

    /* the ddNTKs: E_z g = g(0) + 1/2 sum_k d^2 g[L_k, L_k], g the response to
       ddH = its mean; the h1 and h1 h2^2 coefficients along z = h2 L_k */
    st.dH0 = NULL;
    st.dd = 1;
    for (p = 0; p < nA; p++)
        for (q = 0; q < nA; q++)
            KA[p * nA + q] = X->K[p * P + q];
    if (ok && _neft_o1_psd_cholesky(L, KA, nA, 1e-10, 1e-13) != 0)
        ok = 0;
    for (k = 0; k < nA && ok; k++)
    {
        memset(f0, 0, sizeof(jet) * (size_t) P);
        for (a = 0; a < nA; a++)
            f0[a].c[0][1] = L[a * nA + k];
        ok = trajectory(out, X, &st) == 0;
        if (ok)
        {
            if (k == 0)
                take(terms + _NEFT_O1D_DDNTK * n, out, n, 1, 0, 1.0);
            take(terms + _NEFT_O1D_DDNTK * n, out, n, 1, 2, 1.0);
        }
    }
    free(out); free(f0); free(H0); free(dH0); free(KA); free(L);
    return ok ? 0 : -1;
}

void
_neft_o1d_tensors_init(_neft_o1d_tensors * X, slong P, slong nA, slong T, double eta,
                       const double * y)
{
    const size_t P2 = (size_t) (P * P), P4 = P2 * P2;
    X->P = P;
    X->nA = nA;
    X->T = T;
    X->eta = eta;
    X->y = y;
    X->th = calloc(P2, sizeof(double));
    X->th1 = calloc(P2, sizeof(double));
    X->K = calloc(P2, sizeof(double));
    X->cov = calloc(P4, sizeof(double));
    X->dz = calloc(P4, sizeof(double));
    X->ddi = calloc(P4, sizeof(double));
    X->ddii = calloc(P4, sizeof(double));
}

void
_neft_o1d_tensors_clear(_neft_o1d_tensors * X)
{
    free(X->th); free(X->th1); free(X->K); free(X->cov); free(X->dz); free(X->ddi);
    free(X->ddii);
}
