/* The trainer's hot loop: a chunk of NEFT_SAMPLE_CHUNK sampled nets trained
   together by full-batch gradient descent, the nets in the innermost loop
   (the sampler's chunk layout: every array is [.. ][m], m < CHUNK, so each
   loop over m is contiguous and vectorises; nothing is allocated).

   The nets are the sampler's: the same normals in the same order
   (src/sample/spec.c, _neft_sample_draw_chunk_ghat), weights kept as the
   drawn standard normals w with W = sdw w, sdw = sqrt(C_W / n_{l-1}), biases
   as b = sdb beta, so that the forward pass z = b + sdw (sum_k w_k h_k) is
   the sampler's arithmetic and the initial outputs are bit-identical to
   `neft sample`'s.  GD on the loss (1/2) sum_A (f - y)^2 with the rates
   eta lambda_b (biases) and eta lambda_W / n_{l-1} (weights W):
   dW = sdw dw, so w -= eta lambda_W / (n_{l-1} sdw) sum_a e_i(a) h_j(a),
   e_i(a) = (f(x_a) - y_a) df(x_a)/dz_i (backpropagated with the weights
   before the step: every layer's gradient is that of the same parameters). */

#include <math.h>
#include <string.h>
#include "neft/interrupt.h"
#include "neft/train.h"
#include "ensemble.h"
#include "../sample/run.h"

enum { C = NEFT_SAMPLE_CHUNK, LB = 8 };   /* LB: lanes summed in registers */

/* The hot loops: -O3 (GCC), and an AVX2 clone picked at run time on x86-64.
   Bit-identical to the plain build: AVX2 has no fused multiply-add (that is
   FMA, not asked for), and ISO C11 does not contract a * b + c.  Not under
   ThreadSanitizer: the clone's ifunc resolver runs at relocation, before
   TSan's runtime is up, and every command crashed at start (.ci/run). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) \
    && !defined(__SANITIZE_THREAD__)
#define HOT __attribute__((optimize("O3"), target_clones("avx2", "default")))
#elif defined(__GNUC__) && !defined(__clang__)
#define HOT __attribute__((optimize("O3")))
#else
#define HOT
#endif

/* Layout of the work space (doubles), from the plan. */
slong
_neft_train_chunk_work(const _neft_train_plan_struct * p)
{
    slong l, hidden = 0, pairs = p->P * (p->P + 1) / 2;
    for (l = 1; l < p->L; l++)
        hidden += p->n[l];
    return C * (2 * p->nparams          /* drawn normals, parameters */
                + 2 * hidden * p->P     /* h and sigma' of every hidden layer */
                + p->P                  /* the outputs */
                + p->P + 2 * p->nmax * p->P  /* the output's and two layers of errors */
                + 3 * pairs             /* NTK: dd, ss, Theta */
                + 1)                    /* live lanes */
           + 64;
}

/* sum over the live nets (fixed order) */
static inline double
lane_sum(const double * v, slong count)
{
    double s = 0;
    slong m;
    for (m = 0; m < count; m++)
        s += v[m];
    return s;
}

/* Forward pass at points a < Pf: h, d (sigma') of the hidden layers, f. */
HOT
static void
forward(const _neft_train_plan_struct * p, const double * par, double ** h, double ** d,
        double * f, slong Pf)
{
    const slong P = p->P, L = p->L, din = p->n[0];
    const double * x = p->x;
    slong l, i, a, k, m;
    for (l = 1; l <= L; l++)
    {
        const slong n_in = p->n[l - 1], n_out = p->n[l];
        const double sdw = p->sdw[l];
        const double * g = par + p->off[l] * C;
        for (i = 0; i < n_out; i++, g += (n_in + 1) * C)
        {
            const double * restrict bias = g + n_in * C;
            for (a = 0; a < Pf; a++)
            {
                double * restrict z = (l == L ? f + a * C : d[l] + (i * P + a) * C);
                /* blocks of LB lanes, the sum in registers; per lane the
                   sampler's order: 0 + w_0 h_0 + w_1 h_1 + .. */
                for (m = 0; m < C; m += LB)
                {
                    double acc[LB];
                    slong u;
                    for (u = 0; u < LB; u++)
                        acc[u] = 0.0;
                    if (l == 1)
                        for (k = 0; k < n_in; k++)
                        {
                            const double * restrict w = g + k * C + m;
                            const double xv = x[a * din + k];
                            for (u = 0; u < LB; u++)
                                acc[u] += w[u] * xv;
                        }
                    else
                        for (k = 0; k < n_in; k++)
                        {
                            const double * restrict w = g + k * C + m;
                            const double * restrict hh = h[l - 1] + (k * P + a) * C + m;
                            for (u = 0; u < LB; u++)
                                acc[u] += w[u] * hh[u];
                        }
                    for (u = 0; u < LB; u++)
                        z[m + u] = bias[m + u] + sdw * acc[u];
                }
            }
            if (l < L)
            {
                /* the unit's points a < Pf are contiguous: one call each */
                double * restrict hz = h[l] + i * P * C;
                double * restrict dz = d[l] + i * P * C;
                const slong cnt = Pf * C;
                if (p->relu)
                    /* relu's row, x > 0 ? x : 0 (the same doubles), without
                       its branches: random signs mispredict half the time */
                    for (m = 0; m < cnt; m++)
                    {
                        const double zz = dz[m];
                        hz[m] = zz > 0 ? zz : 0.0;
                        dz[m] = zz > 0 ? 1.0 : 0.0;
                    }
                else
                {
                    p->act->eval_d(hz, dz, cnt, p->kind ? &p->param : NULL);
                    p->dact(dz, hz, cnt, &p->param);
                }
            }
        }
    }
}

/* Backpropagation of the errors e_L[a * C + m] (a < Pb) from the output to
   layer 1.  update: one GD step on every parameter with these errors (the
   errors of layer l-1 are formed before layer l's weights move); else the
   NTK at the points a < Pb is added to th (pairs a <= b). */
HOT
static void
backward(const _neft_train_plan_struct * p, double * par, double ** h, double ** d,
         double * eL, double * eb0, double * eb1, double * dd, double * ss, double * th,
         slong Pb, int update)
{
    const slong P = p->P, L = p->L, din = p->n[0];
    const double * x = p->x;
    double * e = eL, * en = eb0;
    slong l, i, j, a, b, m, q;
    for (l = L; l >= 1; l--)
    {
        const slong n_in = p->n[l - 1], n_out = p->n[l];
        /* e of this layer: [(i * P + a) * C] (the output's: [a * C]) */
        const slong es = (l == L) ? 0 : P;
        double * g = par + p->off[l] * C;
        if (!update)
        {
            /* NTK: Theta_ab += (sum_i e_i(a) e_i(b)) (lambda_b + lambda_W / n_in
               sum_j h_j(a) h_j(b)) */
            for (a = 0, q = 0; a < Pb; a++)
                for (b = a; b < Pb; b++, q++)
                {
                    double * restrict D = dd + q * C, * restrict S = ss + q * C;
                    for (m = 0; m < C; m++)
                        D[m] = S[m] = 0.0;
                    for (i = 0; i < n_out; i++)
                    {
                        const double * restrict ea = e + (i * es + a) * C;
                        const double * restrict eb = e + (i * es + b) * C;
                        for (m = 0; m < C; m++)
                            D[m] += ea[m] * eb[m];
                    }
                    if (l == 1)
                    {
                        double s = 0;
                        for (j = 0; j < n_in; j++)
                            s += x[a * din + j] * x[b * din + j];
                        for (m = 0; m < C; m++)
                            S[m] = s;
                    }
                    else
                        for (j = 0; j < n_in; j++)
                        {
                            const double * restrict ha = h[l - 1] + (j * P + a) * C;
                            const double * restrict hb = h[l - 1] + (j * P + b) * C;
                            for (m = 0; m < C; m++)
                                S[m] += ha[m] * hb[m];
                        }
                    {
                        double * restrict T = th + q * C;
                        const double lb = p->lambda_b, lw = p->lambda_w / (double) n_in;
                        for (m = 0; m < C; m++)
                            T[m] += D[m] * (lb + lw * S[m]);
                    }
                }
        }
        if (l > 1)
        {
            /* e_{l-1}(j, a) = sigma'(z_j(a)) sdw sum_i w_ij e_i(a), old weights */
            const double sdw = p->sdw[l];
            for (j = 0; j < n_in; j++)
                for (a = 0; a < Pb; a++)
                {
                    double * restrict o = en + (j * P + a) * C;
                    const double * restrict dz = d[l - 1] + (j * P + a) * C;
                    for (m = 0; m < C; m += LB)
                    {
                        double acc[LB];
                        slong u;
                        for (u = 0; u < LB; u++)
                            acc[u] = 0.0;
                        for (i = 0; i < n_out; i++)
                        {
                            const double * restrict w = g + (i * (n_in + 1) + j) * C + m;
                            const double * restrict ei = e + (i * es + a) * C + m;
                            for (u = 0; u < LB; u++)
                                acc[u] += w[u] * ei[u];
                        }
                        for (u = 0; u < LB; u++)
                            o[m + u] = dz[m + u] * (sdw * acc[u]);
                    }
                }
        }
        if (update)
        {
            const double cw = p->rate_w[l], cb = p->rate_b;
            for (i = 0; i < n_out; i++, g += (n_in + 1) * C)
            {
                double * restrict bias = g + n_in * C;
                double acc[C];
                for (m = 0; m < C; m++)
                    acc[m] = 0.0;
                for (a = 0; a < Pb; a++)
                {
                    const double * restrict ei = e + (i * es + a) * C;
                    for (m = 0; m < C; m++)
                        acc[m] += ei[m];
                }
                for (m = 0; m < C; m++)
                    bias[m] -= cb * acc[m];
                for (j = 0; j < n_in; j++)
                {
                    double * restrict w = g + j * C;
                    for (m = 0; m < C; m += LB)
                    {
                        double acc2[LB];
                        slong u;
                        for (u = 0; u < LB; u++)
                            acc2[u] = 0.0;
                        for (a = 0; a < Pb; a++)
                        {
                            const double * restrict ei = e + (i * es + a) * C + m;
                            if (l == 1)
                            {
                                const double xv = x[a * din + j];
                                for (u = 0; u < LB; u++)
                                    acc2[u] += ei[u] * xv;
                            }
                            else
                            {
                                const double * restrict hj = h[l - 1] + (j * P + a) * C + m;
                                for (u = 0; u < LB; u++)
                                    acc2[u] += ei[u] * hj[u];
                            }
                        }
                        for (u = 0; u < LB; u++)
                            w[m + u] -= cw * acc2[u];
                    }
                }
            }
        }
        if (l > 1)
        {
            double * t = (e == eL) ? eb1 : e;
            e = en;
            en = t;
        }
    }
}

void
_neft_train_chunk(double * fout, double * sums, const neft_sample_spec_struct * spec,
                  neft_sample_rng_struct * rng, slong count, double * work, const void * param)
{
    const _neft_train_plan_struct * p = param;
    const slong P = p->P, L = p->L, nA = p->ntrain, nB = P - nA, T = p->nparams;
    const slong pairs = P * (P + 1) / 2;
    double * g = work, * par = g + T * C, * h[NEFT_NET_MAX_DEPTH + 1],
           * d[NEFT_NET_MAX_DEPTH + 1], * f, * e0, * e1, * dd, * ss, * th, * live, * eL;
    double * cur = par + T * C;
    slong l, k, m, a, b, s = 0, q;
    ulong t;
    (void) spec;

    h[0] = d[0] = NULL;
    for (l = 1; l < L; l++)
    {
        h[l] = cur;
        d[l] = cur + p->n[l] * P * C;
        cur += 2 * p->n[l] * P * C;
    }
    f = cur;
    eL = f + P * C;
    e0 = eL + P * C;
    e1 = e0 + p->nmax * P * C;
    dd = e1 + p->nmax * P * C;
    ss = dd + pairs * C;
    th = ss + pairs * C;
    live = th + pairs * C;

    /* the sampler's draw: net by net, then the chunk layout (padding 0) */
    _neft_sample_draw_normals(par, g, T, rng, count);
    /* biases as b = sdb beta (the product the sampler forms) */
    for (l = 1; l <= L; l++)
    {
        const slong n_in = p->n[l - 1];
        double * gg = par + p->off[l] * C;
        for (k = 0; k < p->n[l]; k++, gg += (n_in + 1) * C)
            for (m = 0; m < C; m++)
                gg[n_in * C + m] = p->sdb * gg[n_in * C + m];
    }
    for (m = 0; m < C; m++)
        live[m] = m < count ? 1.0 : 0.0;

    for (t = 0;; t++)
    {
        int record = s < p->nsteps && p->steps[s] == t;
        forward(p, par, h, d, f, (record || t == 0) ? P : nA);
        if (t == 0)
        {
            /* the outputs at initialisation (the sampler's moments), the NTK */
            for (k = 0; k < P * C; k++)
                fout[k] = f[k];
            for (k = 0; k < pairs * C; k++)
                th[k] = 0.0;
            /* the output's df/dz = 1 */
            for (k = 0; k < P * C; k++)
                eL[k] = 1.0;
            backward(p, par, h, d, eL, e0, e1, dd, ss, th, P, 0);
            for (q = 0; q < pairs; q++)
            {
                double * tq = th + q * C, s2 = 0;
                sums[p->o_ntk + q] += lane_sum(tq, count);
                for (m = 0; m < count; m++)
                    s2 += tq[m] * tq[m];
                sums[p->o_ntk2 + q] += s2;
            }
        }
        if (record)
        {
            const slong om = p->o_mean + s * nB, oc = p->o_cov + s * (nB * (nB + 1) / 2);
            for (b = 0, q = 0; b < nB; b++)
            {
                const double * fb = f + (nA + b) * C;
                sums[om + b] += lane_sum(fb, count);
                for (a = b; a < nB; a++, q++)
                {
                    const double * fa = f + (nA + a) * C;
                    double s2 = 0;
                    for (m = 0; m < count; m++)
                        s2 += fb[m] * fa[m];
                    sums[oc + q] += s2;
                }
            }
            s++;
        }
        if (s >= p->nsteps)
            break;
        if (neft_interrupted())
            return;     /* the block is not counted */
        /* one step: the output errors on the training inputs */
        for (a = 0; a < nA; a++)
        {
            const double ya = p->y[a];
            for (m = 0; m < C; m++)
                eL[a * C + m] = (f[a * C + m] - ya) * live[m];
        }
        backward(p, par, h, d, eL, e0, e1, NULL, NULL, NULL, nA, 1);
    }
}
