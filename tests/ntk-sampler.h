/* The one sampler of finite-width nets the NTK tests share (t-ntk.c,
   t-dntk.c, t-ntk2.c), with their net set-up (ntks_set_net, ntks_qd): own
   random numbers (splitmix64, Box-Muller), a
   fully connected net of depth L (d_in inputs, hidden width n, nout
   outputs; W ~ N(0, C_W/n_{l-1}), b ~ N(0, C_b)) evaluated at np inputs,
   the forward pass z, s = sigma(z) per input, the backward pass
   del[a][o][l] = dz^(L)_o(x_a)/dz^(l), and the empirical NTK

     H_{o o'; a a'} = sum_l sum_k del[a][o][l][k] del[a'][o'][l][k]
                      (lambda_b + (lambda_W/n_{l-1}) sum_m s[a][l-1][m] s[a'][l-1][m])

   (Roberts-Yaida-Hanin conventions, docs/onen.md); for the dNTK the
   gradients and a hyper-dual forward pass (ntks_hd_*, below).  Header-only:
   every function is static inline. */
#ifndef NEFT_TEST_NTK_SAMPLER_H
#define NEFT_TEST_NTK_SAMPLER_H

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"
#include "neft-test.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define NTKS_MAXL 8
#define NTKS_MAXP 4
#define NTKS_MAXOUT 2

typedef double (*ntks_fn_t)(double);

static unsigned long long ntks_rng = 12345;

static inline double
ntks_unif(void)     /* splitmix64, (0, 1) */
{
    unsigned long long z = (ntks_rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return ((z >> 11) + 0.5) / 9007199254740992.0;
}

static inline double
ntks_gauss(void)
{
    return sqrt(-2 * log(ntks_unif())) * cos(2 * M_PI * ntks_unif());
}

typedef struct
{
    int L, np, nout, w[NTKS_MAXL + 1];           /* w[0] = d_in, w[L] = nout */
    double * W[NTKS_MAXL + 1], * b[NTKS_MAXL + 1];   /* W[l]: w[l] x w[l-1], row major */
    double * z[NTKS_MAXP][NTKS_MAXL + 1], * s[NTKS_MAXP][NTKS_MAXL + 1];   /* s[a][0] = x_a */
    double * del[NTKS_MAXP][NTKS_MAXOUT][NTKS_MAXL + 1];
}
ntks_net_t;

static inline void
ntks_init(ntks_net_t * N, int L, int n, int d, int np, int nout, const double * x)
{
    int l, a, o;
    memset(N, 0, sizeof *N);
    N->L = L; N->np = np; N->nout = nout;
    N->w[0] = d;
    for (l = 1; l <= L; l++)
        N->w[l] = l == L ? nout : n;
    for (l = 0; l <= L; l++)
    {
        int m = N->w[l];
        if (l > 0)
        {
            N->W[l] = calloc((size_t) m * N->w[l - 1], sizeof(double));
            N->b[l] = calloc(m, sizeof(double));
        }
        for (a = 0; a < np; a++)
        {
            N->z[a][l] = calloc(m, sizeof(double));
            N->s[a][l] = calloc(m, sizeof(double));
            for (o = 0; o < nout; o++)
                N->del[a][o][l] = calloc(m, sizeof(double));
        }
    }
    for (a = 0; a < np; a++)
        memcpy(N->s[a][0], x + a * d, sizeof(double) * d);
}

static inline void
ntks_clear(ntks_net_t * N)
{
    int l, a, o;
    for (l = 0; l <= N->L; l++)
    {
        free(N->W[l]); free(N->b[l]);
        for (a = 0; a < N->np; a++)
        {
            free(N->z[a][l]); free(N->s[a][l]);
            for (o = 0; o < N->nout; o++)
                free(N->del[a][o][l]);
        }
    }
}

/* new weights, the forward pass at every input, the backward passes */
static inline void
ntks_sample(ntks_net_t * N, double cw, double cb, ntks_fn_t f, ntks_fn_t f1)
{
    int l, i, j, a, o, L = N->L;
    for (l = 1; l <= L; l++)
    {
        int m = N->w[l], p = N->w[l - 1];
        double sw = sqrt(cw / p), sb = sqrt(cb);
        for (i = 0; i < m * p; i++)
            N->W[l][i] = ntks_gauss() * sw;
        for (i = 0; i < m; i++)
            N->b[l][i] = ntks_gauss() * sb;
    }
    for (a = 0; a < N->np; a++)
    {
        for (l = 1; l <= L; l++)
        {
            int m = N->w[l], p = N->w[l - 1];
            for (i = 0; i < m; i++)
            {
                double t = N->b[l][i];
                for (j = 0; j < p; j++)
                    t += N->W[l][i * p + j] * N->s[a][l - 1][j];
                N->z[a][l][i] = t;
                N->s[a][l][i] = f(t);
            }
        }
        for (o = 0; o < N->nout; o++)
        {
            for (i = 0; i < N->nout; i++)
                N->del[a][o][L][i] = i == o;
            for (l = L - 1; l >= 1; l--)
                for (j = 0; j < N->w[l]; j++)
                {
                    double t = 0;
                    for (i = 0; i < N->w[l + 1]; i++)
                        t += N->W[l + 1][i * N->w[l] + j] * N->del[a][o][l + 1][i];
                    N->del[a][o][l][j] = f1(N->z[a][l][j]) * t;
                }
        }
    }
}

/* the empirical NTK H_{o o'; a a'} of the last sampled net */
static inline double
ntks_ntk(const ntks_net_t * N, int o, int o2, int a, int a2, double lb, double lw)
{
    double th = 0;
    int l, i, j;
    for (l = 1; l <= N->L; l++)
    {
        double dd = 0, ss = 0;
        for (i = 0; i < N->w[l]; i++)
            dd += N->del[a][o][l][i] * N->del[a2][o2][l][i];
        for (j = 0; j < N->w[l - 1]; j++)
            ss += N->s[a][l - 1][j] * N->s[a2][l - 1][j];
        th += dd * (lb + lw * ss / N->w[l - 1]);
    }
    return th;
}

/* ---- the dNTK (t-dntk.c, t-ntk2.c) ---------------------------------------

   The net of ntks_net_t and per direction d = o np + a (output o, input a)
   the gradient u_d = Lambda grad z_o(x_a) (from the backward pass), and a
   forward pass in hyper-dual numbers at the input x_al along u_d, u_e:
   ntks_hd gives M[o] = u_d^T (d^2 z_o(x_al)/dtheta^2) u_e, so that

     dH_{i0 i1 i2; a0 a1 a2} = sum_{mu nu} lambda_mu lambda_nu dz_{i0;a0}/dmu
          (d^2 z_{i1;a1}/dmu dnu dz_{i2;a2}/dnu + dz_{i1;a1}/dnu d^2 z_{i2;a2}/dmu dnu)
        = M^{(i1, a1)}_{(i0 a0)(i2 a2)} + M^{(i2, a2)}_{(i0 a0)(i1 a1)}. */

#define NTKS_ND (NTKS_MAXP * NTKS_MAXOUT)

typedef struct
{
    ntks_net_t n;
    double * gW[NTKS_ND][NTKS_MAXL + 1], * gb[NTKS_ND][NTKS_MAXL + 1];  /* u_d */
    double * h[4][NTKS_MAXL + 1];     /* hyper-dual parts of z: 0, e1, e2, e1e2 */
    double * hs[4][NTKS_MAXL + 1];    /* and of sigma(z) */
}
ntks_hd_t;

static inline void
ntks_hd_init(ntks_hd_t * N, int L, int n, int d, int np, int nout, const double * x)
{
    int l, a, k;
    memset(N, 0, sizeof *N);
    ntks_init(&N->n, L, n, d, np, nout, x);
    for (l = 0; l <= L; l++)
    {
        int m = N->n.w[l], p = l > 0 ? N->n.w[l - 1] : 0;
        for (k = 0; k < 4; k++)
        {
            N->h[k][l] = calloc(m, sizeof(double));
            N->hs[k][l] = calloc(m, sizeof(double));
        }
        for (a = 0; a < np * nout; a++)
        {
            N->gW[a][l] = calloc(m * (p > 0 ? p : 1), sizeof(double));
            N->gb[a][l] = calloc(m, sizeof(double));
        }
    }
}

static inline void
ntks_hd_clear(ntks_hd_t * N)
{
    int l, a, k;
    for (l = 0; l <= N->n.L; l++)
    {
        for (k = 0; k < 4; k++)
        {
            free(N->h[k][l]); free(N->hs[k][l]);
        }
        for (a = 0; a < N->n.np * N->n.nout; a++)
        {
            free(N->gW[a][l]); free(N->gb[a][l]);
        }
    }
    ntks_clear(&N->n);
}

/* new weights, the forward and backward passes, the gradients u_d */
static inline void
ntks_hd_sample(ntks_hd_t * N, double cw, double cb, double lb, double lw, ntks_fn_t f,
               ntks_fn_t f1)
{
    int l, i, j, dd, L = N->n.L, np = N->n.np;
    ntks_sample(&N->n, cw, cb, f, f1);
    for (dd = 0; dd < np * N->n.nout; dd++)
    {
        int o = dd / np, a = dd % np;
        for (l = 1; l <= L; l++)
        {
            int m = N->n.w[l], p = N->n.w[l - 1];
            for (i = 0; i < m; i++)
            {
                N->gb[dd][l][i] = lb * N->n.del[a][o][l][i];
                for (j = 0; j < p; j++)
                    N->gW[dd][l][i * p + j] = lw / p * N->n.del[a][o][l][i]
                                              * N->n.s[a][l - 1][j];
            }
        }
    }
}

/* out[o] = u_a^T (d^2 z_o(x_al)) u_b for every output o: the e1e2 part of the
   outputs at x_al and theta + e1 u_a + e2 u_b */
static inline void
ntks_hd(double * out, ntks_hd_t * N, int al, int a, int b, ntks_fn_t f1, ntks_fn_t f2)
{
    int l, i, j, L = N->n.L;
    for (l = 1; l <= L; l++)
    {
        int m = N->n.w[l], p = N->n.w[l - 1];
        const double * W = N->n.W[l], * U1 = N->gW[a][l], * U2 = N->gW[b][l];
        const double * s = l == 1 ? N->n.s[al][0] : N->hs[0][l - 1];
        for (i = 0; i < m; i++)
        {
            double z1 = N->gb[a][l][i], z2 = N->gb[b][l][i], z12 = 0;
            for (j = 0; j < p; j++)
            {
                double sj = s[j];
                z1 += U1[i * p + j] * sj;
                z2 += U2[i * p + j] * sj;
                if (l > 1)
                {
                    double s1 = N->hs[1][l - 1][j], s2 = N->hs[2][l - 1][j];
                    z1 += W[i * p + j] * s1;
                    z2 += W[i * p + j] * s2;
                    z12 += U1[i * p + j] * s2 + U2[i * p + j] * s1
                           + W[i * p + j] * N->hs[3][l - 1][j];
                }
            }
            {
                double z = N->n.z[al][l][i], d1 = f1(z), d2 = f2(z);
                N->hs[0][l][i] = N->n.s[al][l][i];
                N->hs[1][l][i] = d1 * z1;
                N->hs[2][l][i] = d1 * z2;
                N->hs[3][l][i] = d1 * z12 + d2 * z1 * z2;
                N->h[3][l][i] = z12;
            }
        }
    }
    for (i = 0; i < N->n.nout; i++)
        out[i] = N->h[3][L][i];
}

/* ---- the ddNTK (t-ddntk.c, t-ddntkm.c) -----------------------------------

   A forward pass at theta + e1 u_a + e2 u_b and a backward pass for output
   o, both in hyper-dual numbers: the gradient's e1 part is (d^2 z_o) u_a,
   its e2 part (d^2 z_o) u_b, its e1e2 part grad d^2 z_o[u_a, u_b]. */

typedef struct
{
    const char * name;
    ntks_fn_t f, f1, f2, f3;
}
ntks_act_t;

/* the activations the ddNTK tests sample: sigma and its first three
   derivatives (relu's and leaky-relu's second and third are 0 away from the
   kink, as the sampled nets' derivatives) */
static inline double ntks_zero(double z) { (void) z; return 0; }
static inline double ntks_r0(double z) { return z > 0 ? z : 0; }
static inline double ntks_r1(double z) { return z > 0 ? 1 : 0; }
static inline double ntks_l0(double z) { return z > 0 ? z : 0.2 * z; }
static inline double ntks_l1(double z) { return z > 0 ? 1 : 0.2; }
static inline double ntks_id0(double z) { return z; }
static inline double ntks_id1(double z) { (void) z; return 1; }
static inline double ntks_t0(double z) { return tanh(z); }
static inline double ntks_t1(double z) { double t = tanh(z); return 1 - t * t; }
static inline double ntks_t2(double z) { double t = tanh(z); return -2 * t * (1 - t * t); }
static inline double ntks_t3(double z)
{
    double t = tanh(z);
    return -2 * (1 - t * t) * (1 - 3 * t * t);
}
static inline double ntks_e0(double z) { return erf(z); }
static inline double ntks_e1(double z) { return 2 / sqrt(M_PI) * exp(-z * z); }
static inline double ntks_e2(double z) { return -2 * z * ntks_e1(z); }
static inline double ntks_e3(double z) { return (4 * z * z - 2) * ntks_e1(z); }
static inline double ntks_s0(double z) { return sin(z); }
static inline double ntks_s1(double z) { return cos(z); }
static inline double ntks_s2(double z) { return -sin(z); }
static inline double ntks_s3(double z) { return -cos(z); }
static inline double ntks_g0(double z) { return 1 / (1 + exp(-z)); }
static inline double ntks_g1(double z) { double s = ntks_g0(z); return s * (1 - s); }
static inline double ntks_g2(double z)
{
    double s = ntks_g0(z);
    return s * (1 - s) * (1 - 2 * s);
}
static inline double ntks_g3(double z)
{
    double s = ntks_g0(z);
    return s * (1 - s) * (1 - 6 * s + 6 * s * s);
}

typedef struct
{
    double * z[4][NTKS_MAXL + 1], * s[4][NTKS_MAXL + 1], * d[4][NTKS_MAXL + 1];
    double * g[4][NTKS_MAXL + 1];     /* the gradient w.r.t. W^(l) then b^(l) */
}
ntks_hd3_t;

static inline void
ntks_hd3_init(ntks_hd3_t * H, const ntks_net_t * N)
{
    int l, k;
    for (l = 0; l <= N->L; l++)
        for (k = 0; k < 4; k++)
        {
            int m = N->w[l], p = l > 0 ? N->w[l - 1] : 0;
            H->z[k][l] = calloc(m, sizeof(double));
            H->s[k][l] = calloc(m, sizeof(double));
            H->d[k][l] = calloc(m, sizeof(double));
            H->g[k][l] = calloc((size_t) m * (p + 1), sizeof(double));
        }
}

static inline void
ntks_hd3_clear(ntks_hd3_t * H, const ntks_net_t * N)
{
    int l, k;
    for (l = 0; l <= N->L; l++)
        for (k = 0; k < 4; k++)
        {
            free(H->z[k][l]); free(H->s[k][l]); free(H->d[k][l]); free(H->g[k][l]);
        }
}

/* forward at theta + e1 u_a + e2 u_b (input al) */
static inline void
ntks_hd3_forward(ntks_hd3_t * H, const ntks_hd_t * N, int al, int a, int b,
                 const ntks_act_t * A)
{
    int l, i, j, k;
    const ntks_net_t * n = &N->n;
    for (j = 0; j < n->w[0]; j++)
    {
        H->s[0][0][j] = n->s[al][0][j];
        H->s[1][0][j] = H->s[2][0][j] = H->s[3][0][j] = 0;
    }
    for (l = 1; l <= n->L; l++)
    {
        int m = n->w[l], p = n->w[l - 1];
        for (i = 0; i < m; i++)
        {
            double z[4] = {n->b[l][i], N->gb[a][l][i], N->gb[b][l][i], 0};
            for (j = 0; j < p; j++)
            {
                double w = n->W[l][i * p + j], u1 = N->gW[a][l][i * p + j],
                       u2 = N->gW[b][l][i * p + j];
                double * s[4] = {H->s[0][l - 1] + j, H->s[1][l - 1] + j, H->s[2][l - 1] + j,
                                 H->s[3][l - 1] + j};
                z[0] += w * *s[0];
                z[1] += w * *s[1] + u1 * *s[0];
                z[2] += w * *s[2] + u2 * *s[0];
                z[3] += w * *s[3] + u1 * *s[2] + u2 * *s[1];
            }
            for (k = 0; k < 4; k++)
                H->z[k][l][i] = z[k];
            {
                double d1 = A->f1(z[0]), d2 = A->f2(z[0]);
                H->s[0][l][i] = A->f(z[0]);
                H->s[1][l][i] = d1 * z[1];
                H->s[2][l][i] = d1 * z[2];
                H->s[3][l][i] = d1 * z[3] + d2 * z[1] * z[2];
            }
        }
    }
}

/* backward for output o after ntks_hd3_forward(a, b): H->g = grad z_o (4 parts) */
static inline void
ntks_hd3_backward(ntks_hd3_t * H, const ntks_hd_t * N, int a, int b, int o,
                  const ntks_act_t * A)
{
    const ntks_net_t * n = &N->n;
    int l, i, j, L = n->L;
    for (i = 0; i < n->w[L]; i++)
    {
        H->d[0][L][i] = i == o;
        H->d[1][L][i] = H->d[2][L][i] = H->d[3][L][i] = 0;
    }
    for (l = L; l >= 1; l--)
    {
        int m = n->w[l], p = n->w[l - 1];
        /* gradient of layer l: dW_ij = d_i s_j, db_i = d_i (hyper-dual products) */
        for (i = 0; i < m; i++)
        {
            double d0 = H->d[0][l][i], d1 = H->d[1][l][i], d2 = H->d[2][l][i],
                   d3 = H->d[3][l][i];
            for (j = 0; j < p; j++)
            {
                double c0 = H->s[0][l - 1][j], c1 = H->s[1][l - 1][j], c2 = H->s[2][l - 1][j],
                       c3 = H->s[3][l - 1][j];
                H->g[0][l][i * p + j] = d0 * c0;
                H->g[1][l][i * p + j] = d0 * c1 + d1 * c0;
                H->g[2][l][i * p + j] = d0 * c2 + d2 * c0;
                H->g[3][l][i * p + j] = d0 * c3 + d1 * c2 + d2 * c1 + d3 * c0;
            }
            H->g[0][l][m * p + i] = d0;
            H->g[1][l][m * p + i] = d1;
            H->g[2][l][m * p + i] = d2;
            H->g[3][l][m * p + i] = d3;
        }
        if (l == 1)
            break;
        /* d^(l-1)_j = sigma'(z_j) sum_i (W + e1 U1 + e2 U2)_ij d_i */
        for (j = 0; j < p; j++)
        {
            double t[4] = {0, 0, 0, 0}, z0 = H->z[0][l - 1][j], z1 = H->z[1][l - 1][j],
                   z2 = H->z[2][l - 1][j], z3 = H->z[3][l - 1][j];
            double q0 = A->f1(z0), q2 = A->f2(z0), q3 = A->f3(z0);
            double sp[4] = {q0, q2 * z1, q2 * z2, q2 * z3 + q3 * z1 * z2};
            for (i = 0; i < m; i++)
            {
                double w = n->W[l][i * p + j], u1 = N->gW[a][l][i * p + j],
                       u2 = N->gW[b][l][i * p + j];
                t[0] += w * H->d[0][l][i];
                t[1] += w * H->d[1][l][i] + u1 * H->d[0][l][i];
                t[2] += w * H->d[2][l][i] + u2 * H->d[0][l][i];
                t[3] += w * H->d[3][l][i] + u1 * H->d[2][l][i] + u2 * H->d[1][l][i];
            }
            H->d[0][l - 1][j] = sp[0] * t[0];
            H->d[1][l - 1][j] = sp[0] * t[1] + sp[1] * t[0];
            H->d[2][l - 1][j] = sp[0] * t[2] + sp[2] * t[0];
            H->d[3][l - 1][j] = sp[0] * t[3] + sp[1] * t[2] + sp[2] * t[1] + sp[3] * t[0];
        }
    }
}

/* copy of part k of the gradient, all layers, into v (length np) */
static inline void
ntks_grad_part(double * v, const ntks_hd3_t * H, const ntks_net_t * n, int k)
{
    int l, c = 0, i;
    for (l = 1; l <= n->L; l++)
    {
        int sz = n->w[l] * (n->w[l - 1] + 1);
        for (i = 0; i < sz; i++)
            v[c++] = H->g[k][l][i];
    }
}

/* the parameter count and Lambda (lb, lw / n_{l-1}) and u_a flattened alike */
static inline int
ntks_nparams(const ntks_net_t * n)
{
    int l, c = 0;
    for (l = 1; l <= n->L; l++)
        c += n->w[l] * (n->w[l - 1] + 1);
    return c;
}

static inline void
ntks_flat_lambda(double * lam, const ntks_net_t * n, double lb, double lw)
{
    int l, i, c = 0;
    for (l = 1; l <= n->L; l++)
    {
        int m = n->w[l], p = n->w[l - 1];
        for (i = 0; i < m * p; i++)
            lam[c++] = lw / p;
        for (i = 0; i < m; i++)
            lam[c++] = lb;
    }
}

static inline void
ntks_flat_u(double * u, const ntks_hd_t * N, int a)
{
    int l, i, c = 0;
    for (l = 1; l <= N->n.L; l++)
    {
        int m = N->n.w[l], p = N->n.w[l - 1];
        for (i = 0; i < m * p; i++)
            u[c++] = N->gW[a][l][i];
        for (i = 0; i < m; i++)
            u[c++] = N->gb[a][l][i];
    }
}

static inline double
ntks_dot(const double * x, const double * y, const double * w, int np)
{
    double s = 0;
    int i;
    for (i = 0; i < np; i++)
        s += x[i] * y[i] * (w != NULL ? w[i] : 1);
    return s;
}

/* par's net: activation act, C_W = cw, C_b = cb (rationals "p/q"), depth,
   precision prec */
static inline void
ntks_set_net(neft_onen_params_t par, const char * act, const char * cw, const char * cb,
             slong depth, slong prec)
{
    char err[256];
    fmpq_t q;
    fmpq_init(q);
    if (neft_net_set_act_name(par->net, act, NULL, err, sizeof err))
        FAIL("%s", err);
    neft_onen_parse_rational(q, cw); neft_net_set_cw(par->net, q);
    neft_onen_parse_rational(q, cb); neft_net_set_cb(par->net, q);
    neft_net_set_depth_recursion(par->net, depth);
    par->prec = prec;
    fmpq_clear(q);
}

/* par initialised with ntks_set_net's net (leaky-relu's slope 1/5 when
   leaky5 is set), qb, qw the rationals lb, lw (the learning-rate tensors);
   the caller clears par */
static inline void
ntks_params(neft_onen_params_t par, fmpq_t qb, fmpq_t qw, const char * act, const char * cw,
            const char * cb, const char * lb, const char * lw, slong depth, slong prec,
            int leaky5)
{
    neft_onen_params_init(par);
    ntks_set_net(par, act, cw, cb, depth, prec);
    if (leaky5 && !strcmp(act, "leaky-relu"))
    {
        char err[256];
        if (neft_net_set_act_name(par->net, act, "1/5", err, sizeof err))
            FAIL("%s", err);
    }
    neft_onen_parse_rational(qb, lb);
    neft_onen_parse_rational(qw, lw);
}

/* x[0 .. n) = the rationals xs[0 .. n) at precision prec */
static inline void
ntks_set_x(arb_ptr x, const char * const * xs, slong n, slong prec)
{
    fmpq_t q;
    slong k;
    fmpq_init(q);
    for (k = 0; k < n; k++)
    {
        neft_onen_parse_rational(q, xs[k]);
        arb_set_fmpq(x + k, q, prec);
    }
    fmpq_clear(q);
}

/* "a" or "a/b" as a double */
static inline double
ntks_qd(const char * s)
{
    const char * slash = strchr(s, '/');
    return slash != NULL ? atof(s) / atof(slash + 1) : atof(s);
}

#endif
