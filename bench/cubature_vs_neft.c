/* neft's one-vertex integrals in d_in = 2 and 3 (the patch method,
   src/integrate/patches.c) against libcubature's hcubature (Debian
   libcubature-dev) in double precision, same integrands:
       \int_{[-L,L]^d} prod_{i<=4} K(x_i, y) dy
   hcubature at relative tolerance 1e-10 (L1 norm, no evaluation limit
   beyond maxeval below), neft at a goal of 34 bits (2^-34 ~ 6e-11) at 64
   bits of precision.  Printed per case: both values, neft's relative
   radius, both CPU times, the ratio neft / hcubature, and whether
   hcubature's value lies outside neft's ball (then hcubature is wrong:
   neft's ball is rigorous).  CPU times on a shared machine: noisy; with
   NEFT_BENCH_REPEAT=N in the environment each side runs N times and the
   least CPU time of each is printed (the first neft run of a process also
   computes the Gauss-Legendre rules it caches).

   build/bench/bench-cubature [--quick | --relu [D [LMAX [LMIN]]] | --erf [D [LMAX [LMIN]]]]
   (--relu: relu with sigma_b > 0, d_in = 2 and 3, L = 1, 2, 10, 100, 1e3, 1e5;
   --erf: erf with sigma_b^2 = 1/4 at the same d_in and cutoffs) */

#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cubature.h>
#include "neft/integrate.h"

typedef struct { int relu; int d; double sw2, sb2; double L; double x[4][3]; long evals; } dcase;

static double
kd(const dcase * k, const double * x, const double * y)
{
    double a = k->sw2 / k->d, kxx = k->sb2, kyy = k->sb2, kxy = k->sb2, r;
    int i;
    for (i = 0; i < k->d; i++)
    {
        kxx += a * x[i] * x[i];
        kyy += a * y[i] * y[i];
        kxy += a * x[i] * y[i];
    }
    if (!k->relu)
        r = k->sw2 * 2 / M_PI * asin(2 * kxy / sqrt((1 + 2 * kxx) * (1 + 2 * kyy)));
    else
    {
        double q = sqrt(kxx * kyy), c = q > 0 ? kxy / q : 1, th;
        c = c > 1 ? 1 : (c < -1 ? -1 : c);
        th = acos(c);
        r = k->sw2 / (2 * M_PI) * q * (sin(th) + (M_PI - th) * c);
    }
    return r + k->sb2;
}

static int
f_cub(unsigned ndim, const double * y, void * data, unsigned fdim, double * fval)
{
    dcase * c = data;
    double f = 1;
    int i;
    (void) ndim;
    (void) fdim;
    c->evals++;
    for (i = 0; i < 4; i++)
        f *= kd(c, c->x[i], y);
    fval[0] = f;
    return 0;
}

static double
cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int
main(int argc, char ** argv)
{
    static const double pts[4][3] = {{0.5, 0, 0.25}, {1, 1, -0.5}, {-1, 0, 0.75}, {2, 1, 1}};
    static const struct { int relu; int d; double sb2; double L; } cases[] = {
        {0, 2, 0.25, 1}, {0, 2, 0.25, 2}, {0, 2, 0.25, 10}, {0, 2, 0.25, 100}, {0, 2, 0.25, 1e5},
        {1, 2, 0.25, 1}, {1, 2, 0.25, 2}, {1, 2, 0.25, 10}, {1, 2, 0.25, 100}, {1, 2, 0.25, 1e5},
        {0, 3, 0.25, 1}, {1, 3, 0.0, 1}, {1, 3, 0.0, 10}, {1, 3, 0.25, 1}, {1, 3, 0.25, 2},
    };
    /* --relu: relu with sigma_b > 0 in d_in = 2 and 3 at the cutoffs 1 .. 1e5 */
    static const struct { int relu; int d; double sb2; double L; } relu_cases[] = {
        {1, 2, 0.25, 1}, {1, 2, 0.25, 2}, {1, 2, 0.25, 10}, {1, 2, 0.25, 100},
        {1, 2, 0.25, 1e3}, {1, 2, 0.25, 1e5},
        {1, 3, 0.25, 1}, {1, 3, 0.25, 2}, {1, 3, 0.25, 10}, {1, 3, 0.25, 100},
        {1, 3, 0.25, 1e3}, {1, 3, 0.25, 1e5},
    };
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    int erf_only = argc > 1 && strcmp(argv[1], "--erf") == 0;
    int relu_only = (argc > 1 && strcmp(argv[1], "--relu") == 0) || erf_only;
    size_t ncases = quick ? 2 : relu_only ? sizeof(relu_cases) / sizeof(relu_cases[0])
                  : sizeof(cases) / sizeof(cases[0]), ci;

    printf("%-6s %2s %5s %6s | %-22s %8s %9s | %-22s %9s %9s | %8s %s\n", "kernel", "d",
           "sb2", "L", "neft", "relrad", "neft s", "hcubature", "evals", "hcub s", "ratio",
           "hcub outside neft's ball?");
    for (ci = 0; ci < ncases; ci++)
    {
        dcase c;
        neft_kernel_t k;
        neft_vint_t v;
        neft_integrate_opt_t opt;
        arb_t res, sw, sb;
        arf_t L;
        const char * why;
        char err[256];
        double xmin[3], xmax[3], val = 0, est = 0, t0, tn, th, mid, rad;
        int i, j, s, outside, rep, nrep = getenv("NEFT_BENCH_REPEAT") ? atoi(getenv("NEFT_BENCH_REPEAT")) : 1;

        memset(&c, 0, sizeof(c));
        if (relu_only)
        {
            c.relu = erf_only ? 0 : relu_cases[ci].relu;
            c.d = relu_cases[ci].d;
            c.sb2 = relu_cases[ci].sb2;
            c.L = relu_cases[ci].L;
        }
        else
        {
            c.relu = cases[ci].relu;
            c.d = cases[ci].d;
            c.sb2 = cases[ci].sb2;
            c.L = cases[ci].L;
        }
        c.sw2 = 1;
        if (relu_only && argc > 2 && c.d != atoi(argv[2]))
            continue;
        if (relu_only && argc > 4 && c.L < atof(argv[4]))
            continue;
        if (relu_only && argc > 3 && c.L > atof(argv[3]))
            continue;
        memcpy(c.x, pts, sizeof(pts));

        neft_kernel_init(k);
        arb_init(res); arb_init(sw); arb_init(sb);
        arf_init(L);
        arb_one(sw);
        arb_set_d(sb, sqrt(c.sb2));
        neft_kernel_set_act(k, neft_act_lookup(c.relu ? "relu" : "erf"), NULL, c.d, sw, sb, &why,
                            64);
        arb_set_d(k->sb2, c.sb2);
        arf_set_d(L, c.L);
        neft_vint_init(v, c.d, 1);
        for (i = 0; i < 4; i++)
        {
            arb_ptr x = _arb_vec_init(c.d);
            for (j = 0; j < c.d; j++)
                arb_set_d(x + j, pts[i][j]);
            neft_vint_add_leg(v, 0, x);
            _arb_vec_clear(x, c.d);
        }
        neft_vint_canonicalise(v);
        neft_integrate_opt_init(opt);
        opt->goal = c.d == 2 ? 34 : 27;
        opt->verbose = getenv("NEFT_BENCH_VERBOSE") ? atoi(getenv("NEFT_BENCH_VERBOSE")) : 0;
        tn = HUGE_VAL;
        for (rep = 0; rep < FLINT_MAX(nrep, 1); rep++)
        {
            t0 = cpu();
            s = neft_integrate_vint(res, v, k, L, opt, 64, err, sizeof(err));
            tn = FLINT_MIN(tn, cpu() - t0);
            opt->verbose = 0;
        }

        for (i = 0; i < c.d; i++)
        {
            xmin[i] = -c.L;
            xmax[i] = c.L;
        }
        th = HUGE_VAL;
        for (rep = 0; rep < FLINT_MAX(nrep, 1); rep++)
        {
            c.evals = 0;
            t0 = cpu();
            hcubature(1, f_cub, &c, c.d, xmin, xmax, 20000000, 0, c.d == 2 ? 1e-10 : 1e-8,
                      ERROR_L1, &val, &est);
            th = FLINT_MIN(th, cpu() - t0);
        }

        mid = arf_get_d(arb_midref(res), ARF_RND_NEAR);
        rad = mag_get_d(arb_radref(res));
        outside = !(fabs(val - mid) <= rad);
        printf("%-6s %2d %5.2f %6g | %-22.15g %8.1e %9.3f | %-22.15g %9ld %9.3f | ",
               c.relu ? "relu" : "erf", c.d, c.sb2, c.L, mid, rad / fabs(mid), tn, val, c.evals,
               th);
        if (th > 0)
            printf("%8.1f ", tn / th);
        else
            printf("%8s ", "-");
        printf("%s%s\n", outside ? "OUTSIDE" : "inside",
               s == NEFT_INTEGRATE_SUCCESS ? "" : " (neft: no convergence)");
        fflush(stdout);
        neft_vint_clear(v);
        neft_kernel_clear(k);
        arb_clear(res); arb_clear(sw); arb_clear(sb);
        arf_clear(L);
    }
    flint_cleanup();
    return 0;
}
