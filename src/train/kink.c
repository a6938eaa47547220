/* The n^{-1/2} term of a trained relu or leaky-relu ensemble with one hidden
   layer (docs/train-theory.md, "The relu kink").

   With eps = n^{-1/2} the trained output is

     f_t(x) = f0_t(x) + (NTK fluctuation, zero mean) + eps X_t(x) + O(eps^2),
     X_t(x) = N_t(x; e0) - H_xA sum_{s<t} e1(s),
     e1(t)  = N_t(A; e0) - H_AA sum_{s<t} e1(s),

   e0 the frozen residual path (affine in the Gaussian prior G) and N_t the
   part of the single-neuron mean that comes from the neurons whose
   pre-activation z_A on a training input lies within O(eps) of the kink.  At
   leading order such a neuron's xi = z_A / eps moves by a piecewise
   translation,

     xi(s+1) = xi(s) + (xi(s) > 0 ? dp(s) : dm(s)),
     dm(s) = -eta a [sum_{B != A} g_B Theta1(A, B) e_B(s) + k Theta1(A, A) e_A(s)],
     dp(s) = dm(s) - eta a (1 - k) Theta1(A, A) e_A(s),

   k the slope left of the kink (relu 0), g_B = sigma'(z_B) its gates on the
   other inputs.  Against the branch of its initial sign its output moves by
   -eta a^2 sigma'(z_x) Theta1(x, A) (1 - k) sum_{s<t} e_A(s) [H(xi(s)) - H(xi(0))]
   at x != A and by a [sigma(xi(t)) - sigma_branch(xi_branch(t))] at x = A.

   Integrated here:
   - xi(0) exactly: the translation is piecewise constant in xi(0), so the
     line is cut into pieces on which every step's branch is fixed and the
     integrands are linear;
   - a exactly (E|a|^3 / 2 per sign);
   - the direction of the first-layer weights in the plane z_A = 0 exactly
     for d_in <= 2 (its arcs of constant gates), by sampling for d_in >= 3;
   - the prior G (and for d_in >= 3 the direction) by Monte Carlo: the
     errors are standard errors of independent samples.
   G at a test input enters alpha_var only through its conditional mean
   given G_A (X depends on G_A alone), which is what is sampled. */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "neft/train.h"
#include "neft/interrupt.h"
#include "kink.h"

#define KPI 3.14159265358979323846

enum { KMAXP = NEFT_TRAIN_ORDER1_MAXP, KDIRS = 4 };

typedef struct
{
    slong P, nA, d, T;
    double k, eta;                      /* slope left of the kink; step */
    double th1[KMAXP][KMAXP];           /* Theta1 = lambda_b + lambda_W x.x'/d */
    double H[KMAXP][KMAXP];             /* eta Theta (depth 2) */
    double L[KMAXP][KMAXP];             /* K = L L^T, training inputs first */
    double v[KMAXP][KMAXP + 1];         /* z_p = v_p . w, w ~ N(0, 1) */
    double dens[KMAXP];                 /* the density of z_A at 0 */
    double basis[KMAXP][KMAXP][KMAXP + 1];   /* an orthonormal basis of v_A^perp */
    int same[KMAXP];                    /* test input equal to training input A, or -1 */
    /* d_in <= 2: the directions of v_A^perp, arcs of constant gates */
    slong narc[KMAXP];
    double * arcw[KMAXP];
    unsigned char * arcg[KMAXP];        /* [arc * P + p] */
}
kink_setup;

/* Work space of kink_integrate: the density rho_t of xi(t) as breakpoints
   x[0] < .. < x[m] with the value v[i] on [x[i], x[i + 1]). */
typedef struct
{
    slong cap;
    double * x, * v, * x2, * v2;
}
kink_work;

static void
kink_work_init(kink_work * w, slong T)
{
    w->cap = 3 * T + 16;
    w->x = malloc(sizeof(double) * (size_t) w->cap);
    w->v = malloc(sizeof(double) * (size_t) w->cap);
    w->x2 = malloc(sizeof(double) * (size_t) w->cap);
    w->v2 = malloc(sizeof(double) * (size_t) w->cap);
}

static void
kink_work_clear(kink_work * w)
{
    free(w->x); free(w->v); free(w->x2); free(w->v2);
}

/* Cbar[t] = int dxi0 sum_{s<t} e_A(s) [H(xi(s)) - H(xi0)] and Kbar[t] = int
   dxi0 [sigma(xi(t)) - sigma_branch(xi_branch(t))], t = 0..T, for the
   increments dm (xi <= 0), dp (xi > 0) of |a| = 1.

   Exact up to rounding: beyond R = sum max(|dm|, |dp|) no xi0 reaches the
   kink and both integrands vanish, so xi0 runs over [-R, R].  Its image
   xi(t) has the push-forward density rho_t, piecewise constant with integer
   values: rho_{t+1} is rho_t's part on xi <= 0 moved by dm plus its part on
   xi > 0 moved by dp, which adds at most three breakpoints per step (so at
   most 3T + 2).  Then int H(xi(s)) dxi0 = rho_s's mass on xi > 0, int
   sigma(xi(t)) dxi0 = int sigma rho_t, and the branch (xi0 + the sum of its
   side's increments) is integrated in closed form. */
static void
kink_integrate(double * Cbar, double * Kbar, kink_work * w, const double * dm,
               const double * dp, const double * eA, double k, slong T)
{
    double R = 0, Ob0 = 0, Ob1 = 0, Csum = 0;
    slong t, i, m;
    for (t = 0; t < T; t++)
        R += FLINT_MAX(fabs(dm[t]), fabs(dp[t]));
    for (t = 0; t <= T; t++)
        Cbar[t] = Kbar[t] = 0;
    if (R == 0)
        return;
    R *= 1.001;
    w->x[0] = -R; w->x[1] = 0; w->x[2] = R;
    w->v[0] = w->v[1] = 1;
    m = 2;
    for (t = 0;; t++)
    {
        double * x = w->x, * v = w->v, Mp = 0, I = 0;
        slong j0, a, b, n;
        /* a breakpoint at 0 */
        for (j0 = 0; j0 <= m && x[j0] < 0; j0++)
            ;
        if (j0 > m)
            j0 = m;   /* all of rho on xi < 0 */
        if (j0 > 0 && j0 <= m && x[j0] > 0)
        {
            for (i = m; i >= j0; i--)
            {
                x[i + 1] = x[i];
                v[i + 1] = v[i];
            }
            x[j0] = 0;
            v[j0] = v[j0 - 1];
            m++;
        }
        for (i = 0; i < m; i++)
        {
            const double len = x[i + 1] - x[i];
            if (v[i] == 0)
                continue;
            if (i >= j0)
            {
                Mp += v[i] * len;
                I += v[i] * 0.5 * (x[i + 1] + x[i]) * len;
            }
            else
                I += k * v[i] * 0.5 * (x[i + 1] + x[i]) * len;
        }
        Cbar[t] = Csum;
        Kbar[t] = I - (0.5 * R * R + R * Ob1) - k * (-0.5 * R * R + R * Ob0);
        if (t == T)
            break;
        Csum += eA[t] * (Mp - R);
        Ob0 += dm[t];
        Ob1 += dp[t];
        /* rho_{t+1} = rho_t on [x0, 0] moved by dm + rho_t on [0, xm] moved by dp:
           merge the two sorted lists of breakpoints, summing the values */
        a = 0;
        b = j0;
        n = 0;
        while (a <= j0 || b <= m)
        {
            const double xa = a <= j0 ? x[a] + dm[t] : HUGE_VAL;
            const double xb = b <= m ? x[b] + dp[t] : HUGE_VAL;
            double pos, val;
            if (xa <= xb)
            {
                pos = xa;
                a++;
            }
            else
            {
                pos = xb;
                b++;
            }
            if (xa == xb)
                b++;
            /* the value right of pos: the left part's (0 past its end) plus the right part's */
            val = (a >= 1 && a <= j0 ? v[a - 1] : 0) + (b > j0 && b <= m ? v[b - 1] : 0);
            if (n > 0 && pos == w->x2[n - 1])
                w->v2[n - 1] = val;
            else if (n > 0 && val == w->v2[n - 1])
                continue;
            else
            {
                w->x2[n] = pos;
                w->v2[n] = val;
                n++;
            }
        }
        /* n breakpoints; the last value is 0 */
        m = n - 1;
        memcpy(w->x, w->x2, sizeof(double) * (size_t) n);
        memcpy(w->v, w->v2, sizeof(double) * (size_t) n);
    }
}

void
_neft_train_kink_integrate(double * Cbar, double * Kbar, const double * dm, const double * dp,
                           const double * eA, double k, slong T)
{
    kink_work w;
    kink_work_init(&w, T);
    kink_integrate(Cbar, Kbar, &w, dm, dp, eA, k, T);
    kink_work_clear(&w);
}

/* the gates of the direction w in v_A^perp: g[p] = (v_p . w > 0) */
static void
gates(unsigned char * g, const kink_setup * S, const double * w)
{
    slong p, j;
    for (p = 0; p < S->P; p++)
    {
        double z = 0;
        for (j = 0; j <= S->d; j++)
            z += S->v[p][j] * w[j];
        g[p] = z > 0;
    }
}

/* the arcs of constant gates on the circle (d_in = 2) or the two directions
   (d_in = 1) of v_A^perp */
static void
arcs(kink_setup * S, slong A)
{
    const slong P = S->P, D = S->d + 1;
    double w[KMAXP + 1], ang[2 * KMAXP + 2], u1[KMAXP], u2[KMAXP];
    slong p, j, na = 0, i;
    if (S->d == 1)
    {
        S->narc[A] = 2;
        S->arcw[A] = malloc(sizeof(double) * 2);
        S->arcg[A] = malloc((size_t) (2 * P));
        for (i = 0; i < 2; i++)
        {
            for (j = 0; j < D; j++)
                w[j] = (i ? -1 : 1) * S->basis[A][0][j];
            S->arcw[A][i] = 0.5;
            gates(S->arcg[A] + i * P, S, w);
        }
        return;
    }
    for (p = 0; p < P; p++)
    {
        u1[p] = u2[p] = 0;
        for (j = 0; j < D; j++)
        {
            u1[p] += S->v[p][j] * S->basis[A][0][j];
            u2[p] += S->v[p][j] * S->basis[A][1][j];
        }
    }
    /* v_p . w(phi) = cos(phi) u1 + sin(phi) u2 vanishes at atan2(-u1, u2) (+ pi) */
    ang[na++] = 0;
    for (p = 0; p < P; p++)
    {
        double a0;
        if (p == A || S->same[p] == A || (u1[p] == 0 && u2[p] == 0))
            continue;
        a0 = atan2(-u1[p], u2[p]);
        for (i = 0; i < 2; i++)
        {
            double a = a0 + (double) i * KPI;
            while (a < 0)
                a += 2 * KPI;
            while (a >= 2 * KPI)
                a -= 2 * KPI;
            ang[na++] = a;
        }
    }
    for (i = 1; i < na; i++)
        for (j = i; j > 0 && ang[j] < ang[j - 1]; j--)
        {
            double t = ang[j];
            ang[j] = ang[j - 1];
            ang[j - 1] = t;
        }
    ang[na] = 2 * KPI;
    S->arcw[A] = malloc(sizeof(double) * (size_t) na);
    S->arcg[A] = malloc((size_t) (na * P));
    S->narc[A] = 0;
    for (i = 0; i < na; i++)
    {
        const double m = 0.5 * (ang[i] + ang[i + 1]);
        slong q;
        if (ang[i + 1] - ang[i] <= 0)
            continue;
        q = S->narc[A]++;
        S->arcw[A][q] = (ang[i + 1] - ang[i]) / (2 * KPI);
        for (j = 0; j < D; j++)
            w[j] = cos(m) * S->basis[A][0][j] + sin(m) * S->basis[A][1][j];
        gates(S->arcg[A] + q * P, S, w);
    }
}

/* the setup from ens and the kernels; NEFT_SUCCESS or a refusal in msg */
static int
kink_setup_init(kink_setup * S, const neft_train_ensemble_t ens, const arb_mat_t K,
                const arb_mat_t Theta, char * msg, size_t msgsize)
{
    const neft_net_struct * net = ens->sample->net;
    const slong P = ens->sample->npoints, nA = ens->ntrain, d = net->d_in, D = d + 1;
    const double cw = neft_net_cw_d(net), cb = neft_net_cb_d(net);
    const double lb = fmpq_get_d(ens->lambda_b), lw = fmpq_get_d(ens->lambda_w);
    double xd[KMAXP * KMAXP], tol = 0;
    slong p, q, j, A, B, C;

    memset(S, 0, sizeof(kink_setup));
    S->P = P; S->nA = nA; S->d = d;
    S->T = ens->nsteps > 0 ? (slong) ens->steps[ens->nsteps - 1] : 0;
    S->eta = fmpq_get_d(ens->eta);
    S->k = strcmp(net->act->name, "relu") ? fmpq_get_d(net->param) : 0.0;
    for (j = 0; j < P * d; j++)
        xd[j] = fmpq_get_d(ens->x + j);
    for (p = 0; p < P; p++)
    {
        S->v[p][0] = sqrt(cb);
        for (j = 0; j < d; j++)
            S->v[p][1 + j] = sqrt(cw / (double) d) * xd[p * d + j];
        for (q = 0; q < P; q++)
        {
            double x = 0;
            for (j = 0; j < d; j++)
                x += xd[p * d + j] * xd[q * d + j];
            S->th1[p][q] = lb + lw * x / (double) d;
            S->H[p][q] = S->eta * arf_get_d(arb_midref(arb_mat_entry(Theta, p, q)), ARF_RND_NEAR);
        }
        S->same[p] = -1;
        if (p >= nA)
            for (A = 0; A < nA && S->same[p] < 0; A++)
            {
                for (j = 0; j < d && fmpq_equal(ens->x + p * d + j, ens->x + A * d + j); j++)
                    ;
                if (j == d)
                    S->same[p] = (int) A;
            }
    }
    for (A = 0; A < nA; A++)
    {
        double n2 = 0;
        for (j = 0; j < D; j++)
            n2 += S->v[A][j] * S->v[A][j];
        if (!(n2 > 0))
        {
            snprintf(msg, msgsize, "the kink term needs every training input off the kink "
                     "plane of all neurons (C_b = 0 and a zero training input)");
            return NEFT_UNSUPPORTED;
        }
        S->dens[A] = 1 / sqrt(2 * KPI * n2);
        /* an orthonormal basis of v_A^perp: Gram-Schmidt of v_A and the unit
           vectors, keeping the d largest remainders */
        {
            double e[KMAXP + 2][KMAXP + 1];
            slong nb = 0, u;
            for (j = 0; j < D; j++)
                e[0][j] = S->v[A][j] / sqrt(n2);
            for (u = 0; u < D && nb < d; u++)
            {
                double r[KMAXP + 1], nr = 0;
                slong m;
                for (j = 0; j < D; j++)
                    r[j] = (j == u);
                for (m = 0; m <= nb; m++)
                {
                    double dt = 0;
                    for (j = 0; j < D; j++)
                        dt += r[j] * e[m][j];
                    for (j = 0; j < D; j++)
                        r[j] -= dt * e[m][j];
                }
                for (j = 0; j < D; j++)
                    nr += r[j] * r[j];
                if (nr < 1e-6)
                    continue;
                nb++;
                for (j = 0; j < D; j++)
                    e[nb][j] = r[j] / sqrt(nr);
            }
            for (u = 0; u < d; u++)
                for (j = 0; j < D; j++)
                    S->basis[A][u][j] = e[u + 1][j];
        }
        /* another input on the same kink plane (z_p = c z_A) is not treated */
        for (p = 0; p < P; p++)
        {
            double np2 = 0, dt = 0;
            if (p == A || S->same[p] == A)
                continue;
            for (j = 0; j < D; j++)
            {
                np2 += S->v[p][j] * S->v[p][j];
                dt += S->v[p][j] * S->v[A][j];
            }
            if (np2 * n2 - dt * dt <= 1e-12 * np2 * n2)
            {
                snprintf(msg, msgsize, "the kink term is not computed when the inputs %ld and "
                         "%ld lie on one kink plane of every neuron (repeated training inputs, or "
                         "parallel inputs with C_b = 0)", (long) A + 1, (long) p + 1);
                return NEFT_UNSUPPORTED;
            }
        }
    }
    /* K = L L^T, positive semidefinite: a pivot below 1e-11 times the largest
       diagonal is a zero column */
    for (p = 0; p < P; p++)
        tol = FLINT_MAX(tol, arf_get_d(arb_midref(arb_mat_entry(K, p, p)), ARF_RND_NEAR));
    tol *= 1e-11;
    for (A = 0; A < P; A++)
        for (B = 0; B <= A; B++)
        {
            double v = arf_get_d(arb_midref(arb_mat_entry(K, A, B)), ARF_RND_NEAR);
            for (C = 0; C < B; C++)
                v -= S->L[A][C] * S->L[B][C];
            if (A == B)
            {
                if (!(v > -tol))
                {
                    snprintf(msg, msgsize, "the prior's kernel is not positive semidefinite "
                             "in doubles");
                    return NEFT_UNSUPPORTED;
                }
                S->L[A][A] = v > tol ? sqrt(v) : 0;
            }
            else
                S->L[A][B] = S->L[B][B] > 0 ? v / S->L[B][B] : 0;
        }
    if (d <= 2)
        for (A = 0; A < nA; A++)
            arcs(S, A);
    return NEFT_SUCCESS;
}

static void
kink_setup_clear(kink_setup * S)
{
    slong A;
    for (A = 0; A < S->nA; A++)
    {
        free(S->arcw[A]);
        free(S->arcg[A]);
    }
}

/* path[t * nA + A] = ((1 - H_AA)^t e)_A, t < T: the frozen residuals from e */
static void
residual_path(double * path, const double * e, const kink_setup * S)
{
    double ec[KMAXP], nx[KMAXP];
    slong t, A, B;
    memcpy(ec, e, sizeof(double) * (size_t) S->nA);
    for (t = 0; t < S->T; t++)
    {
        for (A = 0; A < S->nA; A++)
            path[t * S->nA + A] = ec[A];
        for (A = 0; A < S->nA; A++)
        {
            nx[A] = ec[A];
            for (B = 0; B < S->nA; B++)
                nx[A] -= S->H[A][B] * ec[B];
        }
        memcpy(ec, nx, sizeof(double) * (size_t) S->nA);
    }
}

int
neft_train_has_kink(const neft_net_struct * net)
{
    return net->act != NULL && (!strcmp(net->act->name, "relu")
                                || !strcmp(net->act->name, "leaky-relu"));
}

int
neft_train_kink(double * amean, double * amean_err, double * avar, double * avar_err,
                const neft_train_ensemble_t ens, const arb_mat_t K, const arb_mat_t Theta,
                slong samples, char * msg, size_t msgsize)
{
    const neft_net_struct * net = ens->sample->net;
    const slong P = ens->sample->npoints, nA = ens->ntrain, nB = P - nA;
    kink_setup * S;
    neft_sample_rng_t rng;
    double * e, * c0, * N, * Cb, * Kb, * dm, * dp, * eA, * sums, * sq;
    unsigned char * gr;
    kink_work kw;
    slong T, m, A, p, t, q, s, j;
    int status = NEFT_SUCCESS;
    double Ea3h, wdir[KDIRS];

    if (!neft_train_has_kink(net))
    {
        snprintf(msg, msgsize, "the kink term is computed for relu and leaky-relu");
        return NEFT_UNSUPPORTED;
    }
    if (net->depth != 2)
    {
        snprintf(msg, msgsize, "the O(n^-1/2) kink term of the trained ensemble is computed "
                 "for one hidden layer (--depth 2)");
        return NEFT_UNSUPPORTED;
    }
    T = ens->nsteps > 0 ? (slong) ens->steps[ens->nsteps - 1] : 0;
    if (P > KMAXP || net->d_in + 1 > KMAXP || T > 10000 || samples < 2)
    {
        snprintf(msg, msgsize, "the kink term takes at most %d points, d_in < %d, 10000 "
                 "steps and at least 2 samples", KMAXP, KMAXP);
        return NEFT_BAD_INPUT;
    }
    S = malloc(sizeof(kink_setup));
    if ((status = kink_setup_init(S, ens, K, Theta, msg, msgsize)) != NEFT_SUCCESS)
    {
        kink_setup_clear(S);
        free(S);
        return status;
    }
    Ea3h = 0.5 * pow(neft_net_cw_d(net), 1.5) * 2 * sqrt(2 / KPI);   /* E|a|^3 / 2 */
    e = malloc(sizeof(double) * (size_t) (T * nA + 1));
    c0 = malloc(sizeof(double) * (size_t) (T * nA + 1));
    N = malloc(sizeof(double) * (size_t) ((T + 1) * P));
    Cb = malloc(sizeof(double) * (size_t) (T + 1));
    Kb = malloc(sizeof(double) * (size_t) (T + 1));
    dm = malloc(sizeof(double) * (size_t) (T + 1));
    dp = malloc(sizeof(double) * (size_t) (T + 1));
    eA = malloc(sizeof(double) * (size_t) (T + 1));
    sums = calloc((size_t) (2 * ens->nsteps * nB + 1), sizeof(double));
    sq = calloc((size_t) (2 * ens->nsteps * nB + 1), sizeof(double));
    gr = malloc((size_t) (KDIRS * P));
    kink_work_init(&kw, T);
    for (j = 0; j < KDIRS; j++)
        wdir[j] = 1.0 / KDIRS;
    /* the mean residual path c0(t) = -(1 - H_AA)^t y */
    {
        double y0[KMAXP];
        for (A = 0; A < nA; A++)
            y0[A] = -ens->y[A];
        residual_path(c0, y0, S);
    }
    neft_sample_rng_seed(rng, ens->sample->seed, UINT64_C(0x6b696e6b));   /* "kink" */
    for (m = 0; m < samples && status == NEFT_SUCCESS; m++)
    {
        double xi[KMAXP], G[KMAXP], ec[KMAXP], E1[KMAXP], E0[KMAXP];
        slong B, k = 0;
        if (neft_interrupted())
        {
            status = NEFT_INTERRUPTED;
            break;
        }
        neft_sample_rng_normals(xi, nA, rng);
        for (A = 0; A < nA; A++)
        {
            G[A] = 0;
            for (j = 0; j <= A; j++)
                G[A] += S->L[A][j] * xi[j];
            ec[A] = G[A] - ens->y[A];
        }
        /* the frozen residual path e0(t) = (1 - H_AA)^t (G - y) */
        residual_path(e, ec, S);
        memset(N, 0, sizeof(double) * (size_t) ((T + 1) * P));
        for (A = 0; A < nA && status == NEFT_SUCCESS; A++)
        {
            slong nd;
            const double * wd;
            const unsigned char * gd;
            if (S->d <= 2)
            {
                nd = S->narc[A];
                wd = S->arcw[A];
                gd = S->arcg[A];
            }
            else
            {
                /* uniform directions in v_A^perp */
                for (q = 0; q < KDIRS; q++)
                {
                    double g[KMAXP], w[KMAXP + 1];
                    neft_sample_rng_normals(g, S->d, rng);
                    for (j = 0; j <= S->d; j++)
                    {
                        slong u;
                        w[j] = 0;
                        for (u = 0; u < S->d; u++)
                            w[j] += g[u] * S->basis[A][u][j];
                    }
                    gates(gr + q * P, S, w);
                }
                nd = KDIRS;
                wd = wdir;
                gd = gr;
            }
            for (t = 0; t < T; t++)
                eA[t] = e[t * nA + A];
            for (q = 0; q < nd && status == NEFT_SUCCESS; q++)
            {
                const unsigned char * g = gd + q * P;
                int sg;
                for (sg = -1; sg <= 1; sg += 2)
                {
                    const double w = S->dens[A] * wd[q] * Ea3h;
                    for (t = 0; t < T; t++)
                    {
                        double v = S->k * S->th1[A][A] * e[t * nA + A];
                        for (B = 0; B < nA; B++)
                            if (B != A)
                                v += (S->k + (1 - S->k) * g[B]) * S->th1[A][B] * e[t * nA + B];
                        dm[t] = -S->eta * sg * v;
                        dp[t] = dm[t] - S->eta * sg * (1 - S->k) * S->th1[A][A] * e[t * nA + A];
                    }
                    kink_integrate(Cb, Kb, &kw, dm, dp, eA, S->k, T);
                    for (p = 0; p < P; p++)
                    {
                        if (p == A || S->same[p] == A)
                            for (t = 0; t <= T; t++)
                                N[t * P + p] += w * sg * Kb[t];
                        else
                        {
                            const double f = -w * S->eta * S->th1[p][A] * (1 - S->k)
                                             * (S->k + (1 - S->k) * g[p]);
                            if (f != 0)
                                for (t = 0; t <= T; t++)
                                    N[t * P + p] += f * Cb[t];
                        }
                    }
                }
            }
        }
        if (status != NEFT_SUCCESS)
            break;
        /* e1, X and the centred frozen output f0 - E f0 at the recorded steps */
        for (A = 0; A < nA; A++)
            E1[A] = E0[A] = 0;
        for (t = 0; t <= T; t++)
        {
            double e1[KMAXP];
            if (t == (slong) ens->steps[k])
            {
                for (s = 0; s < nB; s++)
                {
                    const slong x = nA + s, i = k * nB + s;
                    double X = N[t * P + x], f = 0;
                    for (j = 0; j < nA; j++)
                        f += S->L[x][j] * xi[j];
                    for (A = 0; A < nA; A++)
                    {
                        X -= S->H[x][A] * E1[A];
                        f -= S->H[x][A] * E0[A];
                    }
                    sums[2 * i] += X;
                    sq[2 * i] += X * X;
                    sums[2 * i + 1] += 2 * f * X;
                    sq[2 * i + 1] += 4 * f * X * f * X;
                }
                if (++k == ens->nsteps)
                    break;
            }
            for (A = 0; A < nA; A++)
            {
                e1[A] = N[t * P + A];
                for (B = 0; B < nA; B++)
                    e1[A] -= S->H[A][B] * E1[B];
            }
            for (A = 0; A < nA; A++)
            {
                E1[A] += e1[A];
                E0[A] += e[t * nA + A] - c0[t * nA + A];
            }
        }
    }
    if (status == NEFT_SUCCESS)
        for (j = 0; j < ens->nsteps * nB; j++)
        {
            double * out[2], * oerr[2];
            slong h;
            out[0] = amean; out[1] = avar; oerr[0] = amean_err; oerr[1] = avar_err;
            for (h = 0; h < 2; h++)
            {
                const double mu = sums[2 * j + h] / (double) samples;
                const double var = (sq[2 * j + h] - mu * sums[2 * j + h]) / (double) (samples - 1);
                out[h][j] = mu;
                oerr[h][j] = sqrt(FLINT_MAX(var, 0) / (double) samples);
            }
        }
    else if (status == NEFT_INTERRUPTED)
        snprintf(msg, msgsize, "interrupted");
    free(e); free(c0); free(N); free(Cb); free(Kb); free(dm); free(dp); free(eA);
    free(sums); free(sq); free(gr);
    kink_work_clear(&kw);
    kink_setup_clear(S);
    free(S);
    return status;
}
