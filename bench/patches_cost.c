/* The patch method's cost estimate (src/integrate/patches_cost.c) against
   measured CPU times: one-vertex integrals in d_in = 2 and 3 at the inputs of
   `neft validate --d-in 2, 3` (erf sigma_b = 1 at the corners {+-1}^2 and the
   tetrahedron; relu sigma_b = 1 and sigma_b = 0 at {0.5, 1}^2 and the
   positive-orthant four points), shapes of 4 legs (distinct and repeated
   points), 4 legs + 1 self-loop and 6 legs, cutoffs 1 to 1e5, 64 bits,
   default goal.  Printed per case: the estimate neft_integrate_vint_cost
   (operations), the measured CPU time, and the ratio estimate / (CPU s x
   2e9 operations per second, src/cost.h's unit on the reference machine):
   the estimate should be within about 10x of it and never orders of
   magnitude above (docs/integrate.md, "Costs").  CPU times on a shared
   machine: noisy.

   With --nested: the 21 cutoffs of `neft validate` (7 to 1e5) at once
   (neft_integrate_tuples_cutoffs, one thread, the 35 four-leg tuples of
   the d_in = 2 inputs) against one integral per tuple at the largest cutoff
   and against every cutoff on its own (docs/integrate.md, "Nested
   cutoffs").

   build/bench/bench-patches-cost [--d 2|3] [--max-L L] [--family erf|relu|relu0]
   build/bench/bench-patches-cost --nested [--family erf|relu|relu0] */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "neft/integrate.h"
#include "neft/tuple.h"

static double
cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void
nested(const char * fam, int d)
{
    static const double corners[4][3] = {{-1, -1, 0}, {-1, 1, 0}, {1, -1, 0}, {1, 1, 0}};
    static const double tetra[4][3] = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
    static const double rel2[4][3] = {{0.5, 0.5, 0}, {0.5, 1, 0}, {1, 0.5, 0}, {1, 1, 0}};
    static const double rel3[4][3] = {{0.5, 0.5, 0.5}, {1, 0.5, 0.5}, {0.5, 1, 0.5},
                                      {0.5, 0.5, 1}};
    int erf = !strcmp(fam, "erf"), ncut = d == 2 ? 21 : 6, i, c, legs = 4;
    const double (*pts)[3] = erf ? (d == 2 ? corners : tetra) : (d == 2 ? rel2 : rel3);
    neft_kernel_t k;
    neft_integrate_opt_t opt;
    arf_struct L[21];
    arb_ptr x = _arb_vec_init(4 * d), res;
    arb_t sw, sb;
    const char * why;
    slong ntup = neft_tuple_count(4, legs);
    int * st;
    double t0, tn, t1, ta = 0, est = 0;

    neft_kernel_init(k);
    arb_init(sw); arb_init(sb);
    arb_one(sw);
    if (strcmp(fam, "relu0"))
        arb_one(sb);
    neft_kernel_set_act(k, neft_act_lookup(erf ? "erf" : "relu"), NULL, d, sw, sb, &why, 64);
    for (i = 0; i < 4 * d; i++)
        arb_set_d(x + i, pts[i / d][i % d]);
    for (c = 0; c < ncut; c++)
    {
        char buf[32];
        arf_init(L + c);
        snprintf(buf, sizeof buf, "%.3g", 7 * pow(1e5 / 7, (double) c * (d == 2 ? 1 : 4) / 20));
        arf_set_d(L + c, atof(buf));
    }
    neft_integrate_opt_init(opt);
    res = _arb_vec_init(ntup * ncut);
    st = flint_calloc(ntup * ncut, sizeof(int));
    t0 = cpu();
    neft_integrate_tuples_cutoffs(res, st, k, x, 4, legs, 0, L, ncut, opt, 64, 1);
    tn = cpu() - t0;
    t0 = cpu();
    neft_integrate_tuples(res, st, k, x, 4, legs, 0, L + ncut - 1, opt, 64, 1);
    t1 = cpu() - t0;
    for (c = 0; c < ncut; c++)
    {
        est += neft_integrate_vint_cost(1, legs, 0, k, L + c, 64) * (double) ntup;
        if (c % 4 == 0 || c == ncut - 1)
        {
            /* every fourth cutoff measured, the others interpolated */
            t0 = cpu();
            neft_integrate_tuples(res, st, k, x, 4, legs, 0, L + c, opt, 64, 1);
            ta += (cpu() - t0) * (c == ncut - 1 ? 1 : (d == 2 ? 4 : 1));
        }
    }
    printf("%s d_in %d, %ld four-leg tuples, %d cutoffs 7..1e5: nested %.2f s CPU (estimate "
           "%.2e ops = %.2f s at 2e9/s), one cutoff 1e5 %.2f s, every cutoff on its own about "
           "%.2f s (estimate %.2e ops)\n", fam, d, (long) ntup, ncut, tn,
           neft_integrate_tuples_cutoffs_cost(k, 4, legs, 0, L, ncut, 64),
           neft_integrate_tuples_cutoffs_cost(k, 4, legs, 0, L, ncut, 64) / 2e9, t1, ta, est);
    for (c = 0; c < ncut; c++)
        arf_clear(L + c);
    _arb_vec_clear(x, 4 * d);
    _arb_vec_clear(res, ntup * ncut);
    flint_free(st);
    arb_clear(sw); arb_clear(sb);
    neft_kernel_clear(k);
}

int
main(int argc, char ** argv)
{
    static const double corners[4][3] = {{-1, -1, 0}, {-1, 1, 0}, {1, -1, 0}, {1, 1, 0}};
    static const double tetra[4][3] = {{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}};
    static const double rel2[4][3] = {{0.5, 0.5, 0}, {0.5, 1, 0}, {1, 0.5, 0}, {1, 1, 0}};
    static const double rel3[4][3] = {{0.5, 0.5, 0.5}, {1, 0.5, 0.5}, {0.5, 1, 0.5},
                                      {0.5, 0.5, 1}};
    static const struct { slong legs, loops; slong idx[6]; const char * name; } shapes[] = {
        {4, 0, {0, 1, 2, 3}, "0123"}, {4, 0, {0, 0, 0, 0}, "0000"}, {4, 1, {0, 1, 2, 3}, "0123+loop"},
        {6, 0, {0, 0, 1, 2, 3, 3}, "001233"},
    };
    static const double Ls[] = {1, 10, 100, 1e3, 1e4, 1e5};
    static const char * fams[] = {"erf", "relu", "relu0"};
    double maxL = 1e5;
    int onlyd = 0, d, fi;
    const char * onlyf = NULL;
    int i;

    for (i = 1; i + 1 < argc; i++)
    {
        if (!strcmp(argv[i], "--d"))
            onlyd = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max-L"))
            maxL = atof(argv[++i]);
        else if (!strcmp(argv[i], "--family"))
            onlyf = argv[++i];
    }
    for (i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--nested"))
        {
            nested(onlyf ? onlyf : "erf", onlyd ? onlyd : 2);
            flint_cleanup();
            return 0;
        }
    printf("%-5s %1s %-10s %7s | %10s %9s %8s | %s\n", "kern", "d", "tuple", "L", "estimate",
           "CPU s", "est/meas", "status, relative radius");
    for (d = 2; d <= 3; d++)
        for (fi = 0; fi < 3; fi++)
        {
            size_t si, li;
            const char * f = fams[fi];
            const double (*pts)[3] = fi == 0 ? (d == 2 ? corners : tetra)
                                              : (d == 2 ? rel2 : rel3);
            if ((onlyd && d != onlyd) || (onlyf && strcmp(onlyf, f)))
                continue;
            for (si = 0; si < sizeof(shapes) / sizeof(shapes[0]); si++)
                for (li = 0; li < sizeof(Ls) / sizeof(Ls[0]) && Ls[li] <= maxL; li++)
                {
                    neft_kernel_t k;
                    neft_vint_t v;
                    neft_integrate_opt_t opt;
                    arb_t res, sw, sb;
                    arf_t L;
                    const char * why;
                    char err[256];
                    double t0, t, est, rr;
                    int s, j;

                    neft_kernel_init(k);
                    arb_init(res); arb_init(sw); arb_init(sb);
                    arf_init(L);
                    arb_one(sw);
                    if (fi < 2)
                        arb_one(sb);
                    neft_kernel_set_act(k, neft_act_lookup(fi == 0 ? "erf" : "relu"), NULL, d,
                                        sw, sb, &why, 64);
                    arf_set_d(L, Ls[li]);
                    neft_vint_init(v, d, 1);
                    for (j = 0; j < shapes[si].legs; j++)
                    {
                        arb_ptr x = _arb_vec_init(d);
                        slong q;
                        for (q = 0; q < d; q++)
                            arb_set_d(x + q, pts[shapes[si].idx[j]][q]);
                        neft_vint_add_leg(v, 0, x);
                        _arb_vec_clear(x, d);
                    }
                    for (j = 0; j < shapes[si].loops; j++)
                        neft_vint_add_link(v, 0, 0);
                    neft_vint_canonicalise(v);
                    neft_integrate_opt_init(opt);
                    est = neft_integrate_vint_cost(1, shapes[si].legs, shapes[si].loops, k, L, 64);
                    t0 = cpu();
                    s = neft_integrate_vint(res, v, k, L, opt, 64, err, sizeof(err));
                    t = cpu() - t0;
                    rr = mag_get_d(arb_radref(res)) / fabs(arf_get_d(arb_midref(res), ARF_RND_NEAR));
                    printf("%-5s %d %-10s %7g | %10.2e %9.3f %8.2f | %d, %.1e\n", f, d,
                           shapes[si].name, Ls[li], est, t, est / (t * 2e9), s, rr);
                    fflush(stdout);
                    neft_vint_clear(v);
                    neft_kernel_clear(k);
                    arb_clear(res); arb_clear(sw); arb_clear(sb);
                    arf_clear(L);
                }
        }
    flint_cleanup();
    return 0;
}
