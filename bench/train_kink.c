/* The n^{-1/2} term of a trained relu ensemble (docs/train-theory.md, "The
   relu kink: an O(n^{-1/2}) term").  Not built by meson, not run by the tests:

     cc -O2 -o train-kink bench/train_kink.c -lm
     ./train-kink [--steps 1,10,100] [--samples NG] [--seed S] [--grid NX] [--at "x1,x2;.."]
                  [--cw C] [--cb C] [--eta E]

   One hidden layer, relu, d_in 2, docs/data/learn.csv's four examples (built
   in), lambda_b = lambda_W = 1.  With eps = n^{-1/2}, the trained output is

     f_t(x) = f0_t(x) + (NTK fluctuation, zero mean) + eps X_t(x) + O(eps^2),
     X_t(x) = N_t(x; e0) - H_xA sum_{s<t} e1(s),   e1(t) = N_t(A; e0) - H_AA sum_{s<t} e1(s),

   where e0 is the frozen residual path (affine in the Gaussian prior G) and
   N_t(x; e) is the single-neuron mean's quadratic, non-analytic part: the
   neurons whose pre-activation z_A on a training input lies within O(eps)
   of the kink, whose gate H(z_A) changes while they train.  At leading order
   such a neuron's xi = z_A/eps moves by the piecewise translation

     xi(s+1) = xi(s) - eta a sum_B g_B(s) Theta1(A, B) e_B(s),
     g_B = H(z_B(0)) (B != A),  g_A(s) = H(xi(s)),

   and, against the branch of its initial sign, its output at x != A moves by
   -eta a^2 H(z_x) Theta1(x, A) sum_{s<t} e_A(s) [H(xi(s)) - H(xi(0))], at x = A
   by a [xi(t)^+ - H(xi(0)) xi_branch(t)].  N is the integral of these over
   xi(0) (the midpoint rule on --grid NX points, default 512), times the
   density of z_A at 0, over a (E|a|^3 / 2 per sign) and over the direction of
   the first-layer weights in the plane z_A = 0 (exactly, by its arcs of
   constant sign pattern).  The expectations over G are Monte Carlo (NG
   samples, errors over 32 batches).  Printed: alpha_mean = E X_T(x) and
   alpha_var = 2 Cov(f0_T(x), X_T(x)), the coefficients of eps in the trained
   mean and variance. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXP 16
#define MAXS 16
#define MAXT 2001
#define NB 32

static uint64_t st = 88172645463325252ull;
static uint64_t sm64(void)
{
    uint64_t z = (st += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double unif(void) { return ((sm64() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
static double gauss(void)
{
    static int have;
    static double spare;
    if (have) { have = 0; return spare; }
    double r = sqrt(-2 * log(unif())), t = 6.283185307179586 * unif();
    spare = r * sin(t); have = 1;
    return r * cos(t);
}

static int parse_list(const char *s, double *out, int max)
{
    int k = 0;
    char *e;
    while (*s && k < max) {
        out[k++] = strtod(s, &e);
        if (e == s) return -1;
        s = e;
        if (*s == ',' || *s == ';') s++;
    }
    return k;
}

static int P, nA, Tmax, NX = 512;
static double X[MAXP][2], Y[MAXP], Th1[MAXP][MAXP], K1[MAXP][MAXP], H[MAXP][MAXP];

/* the arcs of the first-layer direction in the plane z_A = 0: w[k] (weights
   summing to 1) and the signs sg[k][p] = H(z_p) there (p != A) */
static int narc[MAXP];
static double arcw[MAXP][2 * MAXP + 2];
static int arcsg[MAXP][2 * MAXP + 2][MAXP];

static void arcs(int A, double cb, double cw)
{
    double Sig[3] = {cb, cw / 2, cw / 2}, xt[MAXP][3], v[3], e1[3], e2[3], ang[2 * MAXP + 2];
    int na = 0;
    for (int p = 0; p < P; p++) { xt[p][0] = 1; xt[p][1] = X[p][0]; xt[p][2] = X[p][1]; }
    /* whitened c = sqrt(Sig) w, w isotropic; the plane v.w = 0 */
    double nv = 0;
    for (int k = 0; k < 3; k++) { v[k] = sqrt(Sig[k]) * xt[A][k]; nv += v[k] * v[k]; }
    nv = sqrt(nv);
    for (int k = 0; k < 3; k++) v[k] /= nv;
    double tmp[3] = {1, 0, 0};
    if (fabs(v[0]) > 0.9) { tmp[0] = 0; tmp[1] = 1; }
    double dv = tmp[0] * v[0] + tmp[1] * v[1] + tmp[2] * v[2], ne = 0;
    for (int k = 0; k < 3; k++) { e1[k] = tmp[k] - dv * v[k]; ne += e1[k] * e1[k]; }
    ne = sqrt(ne);
    for (int k = 0; k < 3; k++) e1[k] /= ne;
    e2[0] = v[1] * e1[2] - v[2] * e1[1];
    e2[1] = v[2] * e1[0] - v[0] * e1[2];
    e2[2] = v[0] * e1[1] - v[1] * e1[0];
    /* z_p(phi) = cos(phi) u1_p + sin(phi) u2_p: zero at phi = atan2(-u1, u2) (+ pi) */
    double u1[MAXP], u2[MAXP];
    for (int p = 0; p < P; p++) {
        u1[p] = u2[p] = 0;
        for (int k = 0; k < 3; k++) { u1[p] += sqrt(Sig[k]) * xt[p][k] * e1[k]; u2[p] += sqrt(Sig[k]) * xt[p][k] * e2[k]; }
    }
    ang[na++] = 0;
    for (int p = 0; p < P; p++) {
        if (p == A || (fabs(u1[p]) < 1e-14 && fabs(u2[p]) < 1e-14)) continue;
        double a0 = atan2(-u1[p], u2[p]);
        for (int h = 0; h < 2; h++) {
            double a = a0 + h * M_PI;
            while (a < 0) a += 2 * M_PI;
            while (a >= 2 * M_PI) a -= 2 * M_PI;
            ang[na++] = a;
        }
    }
    for (int i = 1; i < na; i++)
        for (int j = i; j > 0 && ang[j] < ang[j - 1]; j--) { double t = ang[j]; ang[j] = ang[j - 1]; ang[j - 1] = t; }
    ang[na] = 2 * M_PI;
    narc[A] = 0;
    for (int i = 0; i < na; i++) {
        if (ang[i + 1] - ang[i] <= 0) continue;
        double m = 0.5 * (ang[i] + ang[i + 1]);
        int k = narc[A]++;
        arcw[A][k] = (ang[i + 1] - ang[i]) / (2 * M_PI);
        for (int p = 0; p < P; p++) arcsg[A][k][p] = cos(m) * u1[p] + sin(m) * u2[p] > 0;
    }
}


/* for one hyperplane A, arc k and a = sgn: Cbar[t] = int dxi0 sum_{s<t} e_A(s)
   [H(xi(s)) - H(xi0)], Kbar[t] = int dxi0 [xi(t)^+ - H(xi0) xi_branch(t)], t = 0..Tmax */
static int integrate(double *Cbar, double *Kbar, int A, const int *g, double sgn, const double *e, double eta)
{
    double dm[MAXT], dp[MAXT], R = 0;
    for (int s = 0; s < Tmax; s++) {
        double v = 0;
        for (int B = 0; B < nA; B++)
            if (B != A && g[B]) v += Th1[A][B] * e[s * nA + B];
        dm[s] = -eta * sgn * v;
        dp[s] = dm[s] - eta * sgn * Th1[A][A] * e[s * nA + A];
        R += fabs(dm[s]) > fabs(dp[s]) ? fabs(dm[s]) : fabs(dp[s]);
    }
    R *= 1.001;
    /* the midpoint rule on NX points of [-R, R] (piecewise translations
       fragment without bound when both branches push towards the kink) */
    const double h = 2 * R / NX;
    for (int t = 0; t <= Tmax; t++) Cbar[t] = Kbar[t] = 0;
    for (int i = 0; i < NX; i++) {
        double x0 = -R + (i + 0.5) * h, x = x0, xb = x0, C = 0;
        int on0 = x0 > 0;
        for (int t = 0;; t++) {
            Cbar[t] += h * C;
            Kbar[t] += h * ((x > 0 ? x : 0) - (on0 ? xb : 0));
            if (t == Tmax) break;
            int on = x > 0;
            C += e[t * nA + A] * (on - on0);
            x += on ? dp[t] : dm[t];
            xb += on0 ? dp[t] : dm[t];
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    double cw = 2, cb = 0.1, eta = 0.1, lb = 1, lw = 1, at[2 * MAXP], tt[MAXS];
    int T[MAXS] = {100}, nS = 1, nat = -1;
    long NG = 4000;
    double X0[6][2] = {{1, 0}, {0, 1}, {0.6, 0.8}, {-0.5, 0.25}, {1, 1}, {0.5, -0.5}};
    double Y0[4] = {1, -1, 0.5, 0.3};
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *o = argv[i], *v = argv[i + 1];
        if (!strcmp(o, "--steps")) { nS = parse_list(v, tt, MAXS); for (int k = 0; k < nS; k++) T[k] = (int) tt[k]; }
        else if (!strcmp(o, "--samples")) NG = atol(v);
        else if (!strcmp(o, "--grid")) NX = atoi(v);
        else if (!strcmp(o, "--seed")) st = (uint64_t) atol(v) * 0x2545f4914f6cdd1dull + 1;
        else if (!strcmp(o, "--at")) nat = parse_list(v, at, 2 * MAXP);
        else if (!strcmp(o, "--cw")) cw = atof(v);
        else if (!strcmp(o, "--cb")) cb = atof(v);
        else if (!strcmp(o, "--eta")) eta = atof(v);
        else { fprintf(stderr, "unknown option %s\n", o); return 2; }
    }
    nA = 4;
    memcpy(X, X0, sizeof X0);
    memcpy(Y, Y0, sizeof Y0);
    P = 6;
    if (nat >= 0) {
        if (nat % 2 || nA + nat / 2 > MAXP) { fprintf(stderr, "bad --at\n"); return 2; }
        P = nA;
        for (int k = 0; k < nat / 2; k++) { X[P][0] = at[2 * k]; X[P][1] = at[2 * k + 1]; P++; }
    }
    Tmax = T[nS - 1];
    if (NG < NB || Tmax >= MAXT || nS < 1) { fprintf(stderr, "bad arguments\n"); return 2; }
    int nB = P - nA;
    static double K[MAXP][MAXP], L[MAXP][MAXP];
    for (int p = 0; p < P; p++)
        for (int q = 0; q < P; q++) {
            double xx = (X[p][0] * X[q][0] + X[p][1] * X[q][1]) / 2;
            K1[p][q] = cb + cw * xx;
            Th1[p][q] = lb + lw * xx;
        }
    for (int p = 0; p < P; p++)
        for (int q = 0; q < P; q++) {
            double r = sqrt(K1[p][p] * K1[q][q]), c = K1[p][q] / r;
            if (c > 1) c = 1;
            if (c < -1) c = -1;
            double th = acos(c);
            K[p][q] = cb + cw * r * (sin(th) + (M_PI - th) * c) / (2 * M_PI);
            H[p][q] = eta * (lb + lw * r * (sin(th) + (M_PI - th) * c) / (2 * M_PI) + cw * (M_PI - th) / (2 * M_PI) * Th1[p][q]);
        }
    /* L L^T = K (semidefinite Cholesky) */
    for (int i = 0; i < P; i++)
        for (int j = 0; j <= i; j++) {
            double v = K[i][j];
            for (int k = 0; k < j; k++) v -= L[i][k] * L[j][k];
            if (i == j) L[i][i] = v > 1e-13 ? sqrt(v) : 0;
            else L[i][j] = L[j][j] > 0 ? v / L[j][j] : 0;
        }
    for (int A = 0; A < nA; A++) arcs(A, cb, cw);
    int same[MAXP];   /* a test input equal to training input A is on its kink too */
    for (int p = 0; p < P; p++) {
        same[p] = -1;
        for (int A = 0; A < nA; A++)
            if (X[p][0] == X[A][0] && X[p][1] == X[A][1]) same[p] = A;
    }
    const double Ea3h = 0.5 * pow(cw, 1.5) * 2 * sqrt(2 / M_PI);   /* E|a|^3 / 2 */

    double *e = malloc(sizeof(double) * Tmax * nA + 1), *N = malloc(sizeof(double) * (Tmax + 1) * P);
    double *Cb = malloc(sizeof(double) * (Tmax + 1)), *Kb = malloc(sizeof(double) * (Tmax + 1));
    static double S[NB][MAXS][MAXP][4];   /* 1, X, f0, f0 X */
    memset(S, 0, sizeof S);
    for (long m = 0; m < NG; m++) {
        double G[MAXP], xi[MAXP];
        for (int p = 0; p < P; p++) xi[p] = gauss();
        for (int p = 0; p < P; p++) { G[p] = 0; for (int k = 0; k <= p; k++) G[p] += L[p][k] * xi[k]; }
        /* frozen residual path */
        double ec[MAXP];
        for (int A = 0; A < nA; A++) ec[A] = G[A] - Y[A];
        for (int s = 0; s < Tmax; s++) {
            for (int A = 0; A < nA; A++) e[s * nA + A] = ec[A];
            double nx[MAXP];
            for (int A = 0; A < nA; A++) { nx[A] = ec[A]; for (int B = 0; B < nA; B++) nx[A] -= H[A][B] * ec[B]; }
            memcpy(ec, nx, sizeof nx);
        }
        memset(N, 0, sizeof(double) * (Tmax + 1) * P);
        for (int A = 0; A < nA; A++) {
            const double pA = 1 / sqrt(2 * M_PI * K1[A][A]);
            for (int k = 0; k < narc[A]; k++)
                for (int sg = -1; sg <= 1; sg += 2) {
                    if (integrate(Cb, Kb, A, arcsg[A][k], sg, e, eta)) { fprintf(stderr, "too many pieces\n"); return 1; }
                    const double w = pA * arcw[A][k] * Ea3h;
                    for (int t = 0; t <= Tmax; t++)
                        for (int p = 0; p < P; p++) {
                            if (p == A || same[p] == A) N[t * P + p] += w * sg * Kb[t];
                            else if (arcsg[A][k][p]) N[t * P + p] += w * (-eta * Th1[p][A] * Cb[t]);
                        }
                }
        }
        /* e1 and X */
        double E1[MAXP] = {0}, E0[MAXP] = {0};
        int k = 0;
        for (int t = 0; t <= Tmax; t++) {
            if (t == T[k]) {
                for (int b = 0; b < nB; b++) {
                    int p = nA + b;
                    double Xv = N[t * P + p], f0 = G[p];
                    for (int A = 0; A < nA; A++) { Xv -= H[p][A] * E1[A]; f0 -= H[p][A] * E0[A]; }
                    double *s4 = S[m % NB][k][b];
                    s4[0] += 1; s4[1] += Xv; s4[2] += f0; s4[3] += f0 * Xv;
                }
                k++;
                if (k == nS) break;
            }
            double e1[MAXP];
            for (int A = 0; A < nA; A++) { e1[A] = N[t * P + A]; for (int B = 0; B < nA; B++) e1[A] -= H[A][B] * E1[B]; }
            for (int A = 0; A < nA; A++) { E1[A] += e1[A]; E0[A] += e[t * nA + A]; }
        }
    }
    printf("# relu, C_W %g, C_b %g, eta %g, %ld prior samples: alpha_mean = E X_T, alpha_var = 2 Cov(f0_T, X_T);"
           " E f_T = frozen + alpha_mean/sqrt(n) + O(1/n), Var f_T = frozen + alpha_var/sqrt(n) + O(1/n)\n", cw, cb, eta, NG);
    for (int k = 0; k < nS; k++)
        for (int b = 0; b < nB; b++) {
            double tot[4] = {0}, est[NB + 1][2];
            for (int bb = 0; bb < NB; bb++) for (int j = 0; j < 4; j++) tot[j] += S[bb][k][b][j];
            for (int bb = 0; bb <= NB; bb++) {
                double s[4];
                for (int j = 0; j < 4; j++) s[j] = tot[j] - (bb < NB ? S[bb][k][b][j] : 0);
                est[bb][0] = s[1] / s[0];
                est[bb][1] = 2 * (s[3] / s[0] - s[1] / s[0] * s[2] / s[0]) * s[0] / (s[0] - 1);
            }
            double err[2];
            for (int j = 0; j < 2; j++) {
                double mu = 0, s2 = 0;
                for (int bb = 0; bb < NB; bb++) mu += est[bb][j] / NB;
                for (int bb = 0; bb < NB; bb++) s2 += (est[bb][j] - mu) * (est[bb][j] - mu);
                err[j] = sqrt(s2 * (NB - 1) / NB);
            }
            printf("T %d x(%g,%g) alpha_mean %+.5f +- %.5f alpha_var %+.5f +- %.5f\n", T[k], X[nA + b][0], X[nA + b][1],
                   est[NB][0], err[0], est[NB][1], err[1]);
        }
    free(e); free(N); free(Cb); free(Kb);
    return 0;
}
