/* The kink layer's integrals over xi0 (src/train/kink.c: the push-forward
   density of a piecewise translation, exact) against the midpoint rule on
   many points, each xi0 followed step by step (written here), for random
   increments: both branches pushing towards the kink (the neuron chatters
   across it, the case where the pieces multiply), away from it, and mixed;
   slopes k = 0 (relu), 1/5 and -1/2 (leaky-relu).  The midpoint rule's
   error is O(h R) (measured: at most 0.5 h R), the tolerance 20 h R = 2e-4 R^2;
   the cases are checked to be non-trivial. */

#include <math.h>
#include <string.h>
#include "train/kink.h"
#include "neft-test.h"

static unsigned long long rng_state = 12345;

static double
unif(void)     /* splitmix64, [0, 1) */
{
    unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double) (z >> 11) * (1.0 / 9007199254740992.0);
}

/* the midpoint rule on NX points of [-R, R] */
static void
brute(double * Cbar, double * Kbar, const double * dm, const double * dp, const double * eA,
      double k, slong T, slong NX)
{
    double R = 0, h;
    slong i, t;
    for (t = 0; t < T; t++)
        R += fmax(fabs(dm[t]), fabs(dp[t]));
    R *= 1.001;
    h = 2 * R / (double) NX;
    for (t = 0; t <= T; t++)
        Cbar[t] = Kbar[t] = 0;
    for (i = 0; i < NX; i++)
    {
        const double x0 = -R + ((double) i + 0.5) * h;
        const int on0 = x0 > 0;
        double x = x0, xb = x0, C = 0;
        for (t = 0;; t++)
        {
            Cbar[t] += h * C;
            Kbar[t] += h * ((x > 0 ? x : k * x) - (on0 ? xb : k * xb));
            if (t == T)
                break;
            C += eA[t] * ((x > 0) - on0);
            x += x > 0 ? dp[t] : dm[t];
            xb += on0 ? dp[t] : dm[t];
        }
    }
}

int
main(void)
{
    const slong Ts[] = {1, 2, 5, 12, 40};
    const double ks[] = {0.0, 0.2, -0.5};
    slong it, nontrivial = 0, cases = 0;
    for (it = 0; it < 5 * 3 * 3; it++)
    {
        const slong T = Ts[it % 5], NX = 200000;
        const double k = ks[(it / 5) % 3];
        const int kind = (int) (it / 15);   /* 0 chatter, 1 away, 2 mixed */
        double dm[64], dp[64], eA[64], C1[65], K1[65], C2[65], K2[65], R = 0, err = 0;
        slong t;
        for (t = 0; t < T; t++)
        {
            const double a = 0.2 + unif(), b = 0.2 + unif();
            dm[t] = kind == 0 ? a : kind == 1 ? -a : (unif() < 0.5 ? a : -a);
            dp[t] = kind == 0 ? -b : kind == 1 ? b : (unif() < 0.5 ? b : -b);
            eA[t] = 2 * unif() - 1;
            R += fmax(fabs(dm[t]), fabs(dp[t]));
        }
        _neft_train_kink_integrate(C1, K1, dm, dp, eA, k, T);
        brute(C2, K2, dm, dp, eA, k, T, NX);
        R *= 1.001;
        for (t = 0; t <= T; t++)
        {
            const double tol = 20 * (2 * R / (double) NX) * R;
            CHECK(fabs(C1[t] - C2[t]) <= tol && fabs(K1[t] - K2[t]) <= tol,
                  "T %ld k %g kind %d t %ld: C %.10g vs %.10g, K %.10g vs %.10g (tol %.2g)",
                  (long) T, k, kind, (long) t, C1[t], C2[t], K1[t], K2[t], tol);
            err = fmax(err, fmax(fabs(C1[t] - C2[t]), fabs(K1[t] - K2[t])) / (R * R));
            if (fabs(K1[t]) > 1e-3 * R * R || fabs(C1[t]) > 1e-3 * R)
                nontrivial++;
        }
        cases++;
        printf("T %2ld k %+.1f kind %d: largest difference / R^2 %.2e\n", (long) T, k, kind, err);
    }
    CHECK(nontrivial > 100, "only %ld non-trivial values", (long) nontrivial);
    printf("%ld cases, %ld non-trivial values; %ld checks, %ld failures\n", (long) cases,
           (long) nontrivial, neft_test_checks, neft_test_failures);
    return neft_test_failures ? 1 : 0;
}
