/* Three-vertex integrals in d_in = 1 (src/integrate/threevtx.c): CPU and
   wall time of one integral per family and cutoff, at the default goal
   (64 bits).  The integral is the lambda^3 chain of the 4-point function,
   x1, x2 on y1, x3, x4 on y3, double links y1-y2, y2-y3 (2 + 2 + 2 + 2
   factors), inputs 0.5, -0.25, 1, -0.75.

     build/bench/bench-threevtx [FAMILY ...] [--cutoffs L1,L2,..] [--pieces] [--prec P]

   FAMILY: erf, erf0 (sigma_b = 0), relu (sigma_b = 1/2), gauss (GaussNet,
   sigma_b = 1/2), relu0 (sigma_b = 0: the closed form, for comparison).
   One line per integral: family, cutoff, value, relative radius, status,
   CPU and wall seconds.

   --prec P: working precision (64 bits by default).
   --pieces: the adaptive pieces only (GaussNet without its Gaussian
   expansion, threevtx_gauss.c: the method before it).
   TV_LIMIT=N sets the evaluation budget (opt->eval_limit), TV_DEBUG the
   method's verbose line on stderr.

   Measured (stop 30, CPU seconds on the shared 2-core machine at load
   17-23, wall 4-7x that; relative radius of the value; status 5 = no
   convergence, the ball rigorous; docs/integrate.md has the same table):

     family  L = 1            L = 10           L = 100                 L = 1000
     gauss   0.02 s 1.1e-10   0.42 s 2.3e-9    6.7 s 7.2e-9            no convergence (20 s, +-2.9e5)
     erf     0.47 s 7.4e-9    45.5 s 7.5e-9    no convergence (65 s,   not measured
                                               1.2e-6)
     relu    4.3 s  8.3e-10   20 s 3.3e-9      16 s 6.5e-10            20 s 4.2e-10

   Stop 31 (load 18-33): GaussNet takes the Gaussian expansion
   (threevtx_gauss.c) from L = 13 on (64 bits): 0.00 s with relative
   radius 1e-19 at L = 100, 1000, 1e4, 1e5; --pieces (the method before):
   L = 100 7.95 s 7.2e-9, L = 1000 no convergence (26.5 s, +-2.9e5).
   Stop 31, erf with its far field (src/integrate/threevtx_far.c; load
   about 20): L = 1 0.69 s, 2 10.6 s, 4 7.2 s, 10 9.5 s, 100 7.0 s, 1000
   12.3 s, 1e4 21.7 s, 1e5 43 s, all at 7.4e-9 (before: L = 1000 no
   convergence after 92 s, +-6.3e8; 1e4 after 101 s, +-5.1e12).

   (relu: stop 29, not measured again.)  Stop 29: gauss 0.03 / 0.56 /
   12 s at 1.8e-8 / no convergence; erf 0.55 / 57 s at 1.3e-8 of the
   value.  Stop 28: gauss 0.09 / 2.0 s / no convergence; erf 2.8 s / no
   convergence; relu 11 s / not measured (37 s at L = 2). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "neft/integrate.h"
#include "integrate/threevtx.h"

static double
wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double
cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int
main(int argc, char ** argv)
{
    static const char * all[] = {"erf", "erf0", "relu", "gauss", "relu0"};
    const char * fam[8];
    double cut[16] = {1, 2, 10, 100};
    int nf = 0, nc = 4, i, j, pieces = 0;
    slong prec = 64;
    for (i = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "--cutoffs") && i + 1 < argc)
        {
            char * p = argv[++i];
            nc = 0;
            while (*p && nc < 16)
            {
                cut[nc++] = strtod(p, &p);
                if (*p == ',')
                    p++;
            }
        }
        else if (!strcmp(argv[i], "--prec") && i + 1 < argc)
            prec = atol(argv[++i]);
        else if (!strcmp(argv[i], "--pieces"))
            pieces = 1;
        else if (nf < 8)
            fam[nf++] = argv[i];
    }
    if (nf == 0)
        for (nf = 0; nf < 5; nf++)
            fam[nf] = all[nf];
    printf("# family cutoff value relative_radius status cpu_s wall_s\n");
    for (i = 0; i < nf; i++)
        for (j = 0; j < nc; j++)
        {
            neft_kernel_t k;
            neft_vint_t v;
            neft_integrate_opt_t opt;
            arb_t sw, sb, x, r;
            arf_t L;
            const char * why, * row;
            static const double pts[4] = {0.5, -0.25, 1.0, -0.75};
            static const int vx[4] = {0, 0, 2, 2};
            double sbd, t0, w0, t1, w1, rel;
            char err[400];
            int s, q;
            row = !strncmp(fam[i], "erf", 3) ? "erf" : !strncmp(fam[i], "relu", 4) ? "relu"
                : "gauss";
            sbd = (!strcmp(fam[i], "erf0") || !strcmp(fam[i], "relu0")) ? 0 : 0.5;
            neft_kernel_init(k);
            arb_init(sw); arb_init(sb); arb_init(x); arb_init(r);
            arf_init(L);
            arb_one(sw);
            arb_set_d(sb, sbd);
            if (neft_kernel_set_act(k, neft_act_lookup(row), NULL, 1, sw, sb, &why, 64)
                != NEFT_SUCCESS)
            {
                fprintf(stderr, "bench-threevtx: %s: %s\n", row, why);
                return 1;
            }
            neft_vint_init(v, 1, 3);
            for (q = 0; q < 4; q++)
            {
                arb_set_d(x, pts[q]);
                neft_vint_add_leg(v, vx[q], x);
            }
            neft_vint_add_link(v, 0, 1);
            neft_vint_add_link(v, 0, 1);
            neft_vint_add_link(v, 1, 2);
            neft_vint_add_link(v, 1, 2);
            neft_vint_canonicalise(v);
            neft_integrate_opt_init(opt);
            opt->verbose = getenv("TV_DEBUG") != NULL;
            if (getenv("TV_LIMIT"))
                opt->eval_limit = atol(getenv("TV_LIMIT"));
            arf_set_d(L, cut[j]);
            t0 = cpu_now();
            w0 = wall_now();
            if (pieces)
                s = _neft_integrate_threevtx(r, v, k, L,
                                             _neft_threevtx_kind(k) | _NEFT_THREEVTX_PIECES,
                                             opt, prec);
            else
                s = neft_integrate_vint(r, v, k, L, opt, prec, err, sizeof err);
            t1 = cpu_now();
            w1 = wall_now();
            rel = arb_is_zero(r) ? 0 : mag_get_d(arb_radref(r))
                  / arf_get_d(arb_midref(r), ARF_RND_NEAR);
            {
                char * str = arb_get_str(r, 12, 0);
                printf("%s %g %s %.2g %d %.2f %.2f\n", fam[i], cut[j], str, rel < 0 ? -rel : rel,
                       s, t1 - t0, w1 - w0);
                flint_free(str);
            }
            fflush(stdout);
            neft_vint_clear(v);
            neft_kernel_clear(k);
            arb_clear(sw); arb_clear(sb); arb_clear(x); arb_clear(r);
            arf_clear(L);
        }
    flint_cleanup();
    return 0;
}
