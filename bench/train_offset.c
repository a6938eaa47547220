/* The trained ensemble's deviation from the frozen NTK, measured with a
   control variate (docs/cmd-train.md, "The relu variance offset").  An
   independent depth-2 GD simulator (not neft's code; not built by meson, not
   run by the tests):

     cc -O2 -o train-offset bench/train_offset.c -lm
     ./train-offset [--width N] [--nets M] [--first M0] [--steps 1,10,100]
                    [--act relu|tanh|linear] [--cw C] [--cb C] [--eta E]
                    [--data FILE] [--at "x1,x2;..."] [--dump FILE]

   Defaults: relu, C_W = 2, C_b = 1/10, eta = 1/10, lambda_b = lambda_W = 1,
   d_in 2, docs/data/learn.csv's four examples, test inputs (1, 1), (0.5, -0.5).
   Net m (m = M0 .. M0 + M - 1) draws its parameters from its own splitmix64
   stream seeded by m: a_i = sqrt(n) W2_i ~ N(0, C_W), b1 ~ N(0, C_b),
   W1 ~ N(0, C_W/d), b2 ~ N(0, C_b).  For every net and recorded step t:

     f  the net trained by full-batch GD (neuron states a, z on all inputs);
     g  the same net's prior output moved by the frozen (infinite-width) map:
        g_t(B) = f_0(B) - M_t (f_0(A) - y), M_t = Theta_BA eta sum_{k<t} (1 - eta Theta_AA)^k;
     l  the net linearised with its own empirical NTK (f_0 and Theta-hat at init).

   The prior of a one-hidden-layer net is exactly Gaussian-covariance K at any
   width, so mean(g) and var(g) are exactly the frozen mean and variance
   (computed here from the closed forms: relu the arc-cosine kernels, linear;
   tanh by a 2-D trapezoidal rule).  The deviations are estimated as
   D = stat(f) - stat(g) + frozen on the same nets: f - g is O(n^-1/2) per
   net, so the error of D falls with the width instead of staying at the
   error of a variance.  Errors: delete-one-batch jackknife over 32 batches.
   Also printed: the fraction of (neuron, input) pairs whose pre-activation
   changed sign during training (the relu kink crossings). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXP 24
#define MAXS 16
#define NB 32

static uint64_t st;
static uint64_t sm64(void)
{
    uint64_t z = (st += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static double unif(void) { return ((sm64() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
static int have;
static double spare;
static double gauss(void)
{
    if (have) { have = 0; return spare; }
    double r = sqrt(-2 * log(unif())), t = 6.283185307179586 * unif();
    spare = r * sin(t); have = 1;
    return r * cos(t);
}

static int act;
static double sig(double z) { return act == 0 ? (z > 0 ? z : 0) : act == 1 ? tanh(z) : z; }
static double dsig(double z)
{
    if (act == 0) return z > 0 ? 1 : 0;
    if (act == 1) { double t = tanh(z); return 1 - t * t; }
    return 1;
}

/* E[s(u) s(v)] and E[s'(u) s'(v)] for (u, v) ~ N(0, [[k11, k12], [k12, k22]]) */
static void gexp(double k11, double k12, double k22, double *ess, double *edd)
{
    if (act == 2) { *ess = k12; *edd = 1; return; }
    if (act == 0) {
        double r = sqrt(k11 * k22), c = k12 / r;
        if (c > 1) c = 1;
        if (c < -1) c = -1;
        double th = acos(c);
        *ess = r * (sin(th) + (M_PI - th) * c) / (2 * M_PI);
        *edd = (M_PI - th) / (2 * M_PI);
        return;
    }
    /* tanh: the trapezoidal rule on [-12, 12] per coordinate (spectrally accurate for a Gaussian) */
    enum { Q = 481 };
    static double x[Q], w[Q];
    if (w[0] == 0) {
        double h = 24.0 / (Q - 1), s = 0;
        for (int i = 0; i < Q; i++) { x[i] = -12 + i * h; w[i] = exp(-x[i] * x[i] / 2); s += w[i]; }
        for (int i = 0; i < Q; i++) w[i] /= s;
    }
    double l11 = sqrt(k11), l21 = k12 / l11, l22 = sqrt(fmax(k22 - l21 * l21, 0));
    double s1 = 0, s2 = 0;
    for (int i = 0; i < Q; i++)
        for (int j = 0; j < Q; j++) {
            double u = l11 * x[i], v = l21 * x[i] + l22 * x[j], ww = w[i] * w[j];
            s1 += ww * sig(u) * sig(v);
            s2 += ww * dsig(u) * dsig(v);
        }
    *ess = s1; *edd = s2;
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

int main(int argc, char **argv)
{
    int n = 1000, T[MAXS] = {100}, nS = 1;
    long M = 1000, M0 = 0;
    double cw = 2, cb = 0.1, eta = 0.1, lb = 1, lw = 1;
    const char *data = NULL, *dump = NULL;
    double X[MAXP][2], Y[MAXP];
    int nA = 4, P = 6, d = 2;
    double X0[6][2] = {{1, 0}, {0, 1}, {0.6, 0.8}, {-0.5, 0.25}, {1, 1}, {0.5, -0.5}};
    double Y0[4] = {1, -1, 0.5, 0.3};
    memcpy(X, X0, sizeof X0);
    memcpy(Y, Y0, sizeof Y0);
    double at[2 * MAXP];
    int nat = -1;
    act = 0;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) { fprintf(stderr, "option %s needs a value\n", o); return 2; }
        i++;
        if (!strcmp(o, "--width")) n = atoi(v);
        else if (!strcmp(o, "--nets")) M = atol(v);
        else if (!strcmp(o, "--first")) M0 = atol(v);
        else if (!strcmp(o, "--cw")) cw = atof(v);
        else if (!strcmp(o, "--cb")) cb = atof(v);
        else if (!strcmp(o, "--eta")) eta = atof(v);
        else if (!strcmp(o, "--data")) data = v;
        else if (!strcmp(o, "--dump")) dump = v;
        else if (!strcmp(o, "--at")) nat = parse_list(v, at, 2 * MAXP);
        else if (!strcmp(o, "--act")) act = !strcmp(v, "relu") ? 0 : !strcmp(v, "tanh") ? 1 : !strcmp(v, "linear") ? 2 : -1;
        else if (!strcmp(o, "--steps")) {
            double t[MAXS];
            nS = parse_list(v, t, MAXS);
            for (int k = 0; k < nS; k++) T[k] = (int) t[k];
        } else { fprintf(stderr, "unknown option %s\n", o); return 2; }
    }
    if (act < 0 || n < 1 || M < NB || nS < 1) { fprintf(stderr, "bad arguments\n"); return 2; }
    if (data) {
        FILE *fp = fopen(data, "r");
        char line[512];
        nA = 0;
        if (!fp) { perror(data); return 2; }
        while (fgets(line, sizeof line, fp) && nA < MAXP) {
            double v[3];
            if (line[0] == '#' || parse_list(line, v, 3) != 3) continue;
            X[nA][0] = v[0]; X[nA][1] = v[1]; Y[nA] = v[2];
            nA++;
        }
        fclose(fp);
        P = nA;
        if (nat < 0) { X[P][0] = 1; X[P][1] = 1; X[P + 1][0] = 0.5; X[P + 1][1] = -0.5; P += 2; }
    }
    if (nat >= 0) {
        if (nat % 2 || nA + nat / 2 > MAXP) { fprintf(stderr, "bad --at\n"); return 2; }
        P = nA;
        for (int k = 0; k < nat / 2; k++) { X[P][0] = at[2 * k]; X[P][1] = at[2 * k + 1]; P++; }
    }
    int nB = P - nA, Tmax = T[nS - 1];

    /* kernels at infinite width */
    static double K1[MAXP][MAXP], Th1[MAXP][MAXP], K[MAXP][MAXP], Th[MAXP][MAXP];
    for (int p = 0; p < P; p++)
        for (int q = 0; q < P; q++) {
            double xx = (X[p][0] * X[q][0] + X[p][1] * X[q][1]) / d;
            K1[p][q] = cb + cw * xx;
            Th1[p][q] = lb + lw * xx;
        }
    for (int p = 0; p < P; p++)
        for (int q = 0; q < P; q++) {
            double ess, edd;
            gexp(K1[p][p], K1[p][q], K1[q][q], &ess, &edd);
            K[p][q] = cb + cw * ess;
            Th[p][q] = lb + lw * ess + cw * edd * Th1[p][q];
        }
    /* frozen maps M_t (nB x nA) at the recorded steps, and the frozen mean, variance */
    static double Mt[MAXS][MAXP][MAXP], fmean[MAXS][MAXP], fvar[MAXS][MAXP];
    {
        double Pk[MAXP][MAXP], S[MAXP][MAXP], tmp[MAXP][MAXP];
        memset(S, 0, sizeof S);
        memset(Pk, 0, sizeof Pk);
        for (int i = 0; i < nA; i++) Pk[i][i] = 1;
        int k = 0;
        for (int t = 0; t <= Tmax; t++) {
            if (k < nS && t == T[k]) {
                for (int b = 0; b < nB; b++)
                    for (int A = 0; A < nA; A++) {
                        double s = 0;
                        for (int C = 0; C < nA; C++) s += Th[nA + b][C] * S[C][A];
                        Mt[k][b][A] = eta * s;
                    }
                for (int b = 0; b < nB; b++) {
                    double m = 0, v = K[nA + b][nA + b];
                    for (int A = 0; A < nA; A++) {
                        m += Mt[k][b][A] * Y[A];
                        v -= 2 * Mt[k][b][A] * K[A][nA + b];
                        for (int C = 0; C < nA; C++) v += Mt[k][b][A] * K[A][C] * Mt[k][b][C];
                    }
                    fmean[k][b] = m; fvar[k][b] = v;
                }
                k++;
            }
            for (int i = 0; i < nA; i++)
                for (int j = 0; j < nA; j++) S[i][j] += Pk[i][j];
            for (int i = 0; i < nA; i++)
                for (int j = 0; j < nA; j++) {
                    double s = Pk[i][j];
                    for (int C = 0; C < nA; C++) s -= eta * Th[i][C] * Pk[C][j];
                    tmp[i][j] = s;
                }
            memcpy(Pk, tmp, sizeof tmp);
        }
    }

    /* per-net values: f, g, l at (step, test input) */
    double *F = malloc(sizeof(double) * M * nS * nB * 3);
    double *a = malloc(sizeof(double) * n), *z = malloc(sizeof(double) * n * P);
    signed char *sg0 = malloc((size_t) n * P);
    double cross = 0;
    if (!F || !a || !z || !sg0) return 1;
    for (long m = 0; m < M; m++) {
        st = (uint64_t) (M0 + m) * 0x2545f4914f6cdd1dull + 12345;
        have = 0;
        double b2 = sqrt(cb) * gauss();
        for (int i = 0; i < n; i++) {
            double c0 = sqrt(cb) * gauss(), c1 = sqrt(cw / d) * gauss(), c2 = sqrt(cw / d) * gauss();
            a[i] = sqrt(cw) * gauss();
            for (int p = 0; p < P; p++) {
                z[i * P + p] = c0 + c1 * X[p][0] + c2 * X[p][1];
                sg0[i * P + p] = z[i * P + p] > 0;
            }
        }
        /* empirical NTK at init and the prior output */
        double Te[MAXP][MAXP], f0[MAXP];
        for (int p = 0; p < P; p++) {
            f0[p] = 0;
            for (int q = 0; q < P; q++) Te[p][q] = 0;
        }
        for (int i = 0; i < n; i++) {
            double s[MAXP], ds[MAXP];
            for (int p = 0; p < P; p++) { s[p] = sig(z[i * P + p]); ds[p] = dsig(z[i * P + p]); f0[p] += a[i] * s[p]; }
            for (int p = 0; p < P; p++)
                for (int q = 0; q < P; q++) Te[p][q] += lw * s[p] * s[q] + a[i] * a[i] * ds[p] * ds[q] * Th1[p][q];
        }
        for (int p = 0; p < P; p++) {
            f0[p] = b2 + f0[p] / sqrt(n);
            for (int q = 0; q < P; q++) Te[p][q] = lb + Te[p][q] / n;
        }
        /* g and l */
        {
            double fl[MAXP], e[MAXP];
            memcpy(fl, f0, sizeof fl);
            int k = 0;
            for (int t = 0; t <= Tmax; t++) {
                if (k < nS && t == T[k]) {
                    for (int b = 0; b < nB; b++) {
                        double gv = f0[nA + b];
                        for (int A = 0; A < nA; A++) gv -= Mt[k][b][A] * (f0[A] - Y[A]);
                        F[((m * nS + k) * nB + b) * 3 + 1] = gv;
                        F[((m * nS + k) * nB + b) * 3 + 2] = fl[nA + b];
                    }
                    k++;
                }
                for (int A = 0; A < nA; A++) e[A] = fl[A] - Y[A];
                for (int p = 0; p < P; p++) {
                    double s = 0;
                    for (int A = 0; A < nA; A++) s += Te[p][A] * e[A];
                    fl[p] -= eta * s;
                }
            }
        }
        /* full GD */
        int k = 0;
        for (int t = 0;; t++) {
            double f[MAXP];
            for (int p = 0; p < P; p++) f[p] = 0;
            for (int i = 0; i < n; i++)
                for (int p = 0; p < P; p++) f[p] += a[i] * sig(z[i * P + p]);
            for (int p = 0; p < P; p++) f[p] = b2 + f[p] / sqrt(n);
            if (k < nS && t == T[k]) {
                for (int b = 0; b < nB; b++) F[((m * nS + k) * nB + b) * 3] = f[nA + b];
                k++;
            }
            if (t == Tmax) break;
            double e[MAXP], u[MAXP], se = 0;
            for (int A = 0; A < nA; A++) { e[A] = f[A] - Y[A]; u[A] = e[A] / sqrt(n); se += e[A]; }
            for (int i = 0; i < n; i++) {
                double s[MAXP], ds[MAXP], da = 0, ai = a[i];
                for (int A = 0; A < nA; A++) { s[A] = sig(z[i * P + A]); ds[A] = dsig(z[i * P + A]); da += s[A] * u[A]; }
                for (int p = 0; p < P; p++) {
                    double dz = 0;
                    for (int A = 0; A < nA; A++) dz += ds[A] * Th1[p][A] * u[A];
                    z[i * P + p] -= eta * ai * dz;
                }
                a[i] -= eta * lw * da;
            }
            b2 -= eta * lb * se;
        }
        long c = 0;
        for (long j = 0; j < (long) n * P; j++) c += (z[j] > 0) != sg0[j];
        cross += (double) c / ((double) n * P);
    }
    if (dump) {
        FILE *fp = fopen(dump, "wb");
        if (!fp || fwrite(F, sizeof(double), M * nS * nB * 3, fp) != (size_t) (M * nS * nB * 3)) { perror(dump); return 1; }
        fclose(fp);
    }

    printf("# width %d nets %ld (first %ld) act %s C_W %g C_b %g eta %g, %d training, %d test inputs; sign changes per (neuron, input) %.3e\n",
           n, M, M0, act == 0 ? "relu" : act == 1 ? "tanh" : "linear", cw, cb, eta, nA, nB, cross / M);
    printf("# D = stat(f) - stat(g) + frozen - frozen; Dlin the same for the linearised net; f-l = stat(f) - stat(l)\n");
    for (int k = 0; k < nS; k++)
        for (int b = 0; b < nB; b++) {
            /* batch sums: 1, f, g, l, ff, gg, ll */
            double S[NB][7], tot[7];
            memset(S, 0, sizeof S);
            memset(tot, 0, sizeof tot);
            for (long m = 0; m < M; m++) {
                double *v = F + ((m * nS + k) * nB + b) * 3, w[7] = {1, v[0], v[1], v[2], v[0] * v[0], v[1] * v[1], v[2] * v[2]};
                for (int j = 0; j < 7; j++) S[m % NB][j] += w[j];
            }
            for (int bb = 0; bb < NB; bb++)
                for (int j = 0; j < 7; j++) tot[j] += S[bb][j];
            /* estimators: Dmean, Dvar, Dlin mean, Dlin var, var(g) - frozen, mean(f) - mean(l), var(f)-var(l) */
            double est[NB + 1][7];
            for (int bb = 0; bb <= NB; bb++) {
                double s[7];
                for (int j = 0; j < 7; j++) s[j] = tot[j] - (bb < NB ? S[bb][j] : 0);
                double N = s[0], mf = s[1] / N, mg = s[2] / N, ml = s[3] / N;
                double vf = (s[4] / N - mf * mf) * N / (N - 1), vg = (s[5] / N - mg * mg) * N / (N - 1), vl = (s[6] / N - ml * ml) * N / (N - 1);
                est[bb][0] = mf - mg;
                est[bb][1] = vf - vg;
                est[bb][2] = ml - mg;
                est[bb][3] = vl - vg;
                est[bb][4] = vg - fvar[k][b];
                est[bb][5] = mf - ml;
                est[bb][6] = vf - vl;
            }
            double err[7];
            for (int j = 0; j < 7; j++) {
                double mu = 0, s2 = 0;
                for (int bb = 0; bb < NB; bb++) mu += est[bb][j] / NB;
                for (int bb = 0; bb < NB; bb++) s2 += (est[bb][j] - mu) * (est[bb][j] - mu);
                err[j] = sqrt(s2 * (NB - 1) / NB);
            }
            printf("T %d x(%g,%g) frozen mean %.6f var %.6f | D mean %+.6f +- %.6f var %+.6f +- %.6f | Dlin mean %+.6f +- %.6f var %+.6f +- %.6f | f-l mean %+.6f +- %.6f var %+.6f +- %.6f | var(g)-frozen %+.6f +- %.6f\n",
                   T[k], X[nA + b][0], X[nA + b][1], fmean[k][b], fvar[k][b], est[NB][0], err[0], est[NB][1], err[1],
                   est[NB][2], err[2], est[NB][3], err[3], est[NB][5], err[5], est[NB][6], err[6], est[NB][4], err[4]);
        }
    free(F); free(a); free(z); free(sg0);
    return 0;
}
