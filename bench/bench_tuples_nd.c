/* All sorted tuples of a set of inputs in d_in = 2 (issue 17 item 1): the
 * one-vertex integrals of the 35 sorted 4-tuples and the 84 sorted 6-tuples
 * of HMS's corners {+-1}^2, Erf (sigma_w = sigma_b = 1) and ReLU (sigma_w =
 * 1, sigma_b = 1), two ways side by side:
 *   separate   every tuple by itself (neft_integrate_vint, the patch method);
 *   shared     all tuples at once (neft_integrate_tuples: one refinement of
 *              the patches, the kernels' values shared; tuples_shared.c).
 * One thread each, then shared on 2 threads (bit-identical to 1: checked).
 * Prints CPU seconds (user + sys of this process: the machine is shared),
 * the ratio separate / shared, the worst relative radius of each, and in how
 * many tuples the shared ball is at most as wide as the separate one; exits
 * 1 if a pair of balls does not overlap.
 *
 *   build/bench/bench-tuples-nd [--quick]     (--quick: 4-tuples at L = 7 only)
 */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "neft/integrate.h"
#include "neft/tuple.h"

static double
cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static double
worst(arb_srcptr r, slong n)
{
    double w = 0;
    slong i;
    for (i = 0; i < n; i++)
        w = FLINT_MAX(w, mag_get_d(arb_radref(r + i))
                         / fabs(arf_get_d(arb_midref(r + i), ARF_RND_NEAR)));
    return w;
}

int
main(int argc, char ** argv)
{
    static const char * acts[] = {"erf", "relu"};
    static const double Ls[] = {7, 100};
    static const double corners[8] = {-1, -1, -1, 1, 1, -1, 1, 1};
    int quick = argc > 1 && !strcmp(argv[1], "--quick");
    slong a, li, npts, i, t;
    neft_kernel_t k;
    neft_integrate_opt_t opt;
    arb_ptr x = _arb_vec_init(8);
    arf_t L;

    for (i = 0; i < 8; i++)
        arb_set_d(x + i, corners[i]);
    neft_kernel_init(k);
    neft_integrate_opt_init(opt);
    arf_init(L);
    printf("d_in = 2, the corners {+-1}^2, sigma_w = sigma_b = 1, 64 bits, default goal; CPU seconds\n"
           "%-5s %5s %4s %4s  %-22s %-22s %7s  %-14s %s\n", "act", "L", "legs", "tup",
           "separate (worst rel)", "shared (worst rel)", "ratio", "shared 2 thr", "shared <= sep");
    for (a = 0; a < 2; a++)
        for (li = 0; li < (quick ? 1 : 2); li++)
            for (npts = 4; npts <= (quick ? 4 : 6); npts += 2)
            {
                slong ntup = neft_tuple_count(4, npts), idx[8], narrow = 0;
                arb_ptr r1 = _arb_vec_init(ntup), r2 = _arb_vec_init(ntup), r3 = _arb_vec_init(ntup);
                int * st = flint_malloc(ntup * sizeof(int));
                double c1, c2, c3, w3;
                char err[320];
                k->act = neft_act_lookup(acts[a]);
                k->d = 2;
                arb_one(k->sw2);
                arb_one(k->sb2);
                k->subtract_bias = 0;
                arf_set_d(L, Ls[li]);
                c1 = cpu();
                neft_tuple_first(idx, npts);
                for (t = 0; t < ntup; t++)
                {
                    neft_vint_t v;
                    neft_vint_init(v, 2, 1);
                    for (i = 0; i < npts; i++)
                        neft_vint_add_leg(v, 0, x + 2 * idx[i]);
                    neft_vint_canonicalise(v);
                    neft_integrate_vint(r1 + t, v, k, L, opt, 64, err, sizeof err);
                    neft_vint_clear(v);
                    neft_tuple_next(idx, npts, 4);
                }
                c1 = cpu() - c1;
                c2 = cpu();
                neft_integrate_tuples(r2, st, k, x, 4, npts, 0, L, opt, 64, 1);
                c2 = cpu() - c2;
                w3 = now();
                c3 = cpu();
                neft_integrate_tuples(r3, st, k, x, 4, npts, 0, L, opt, 64, 2);
                c3 = cpu() - c3;
                w3 = now() - w3;
                for (t = 0; t < ntup; t++)
                {
                    if (!arb_overlaps(r1 + t, r2 + t))
                    {
                        printf("DISAGREE %s L %g tuple %ld\n", acts[a], Ls[li], (long) t);
                        return 1;
                    }
                    if (!arb_equal(r2 + t, r3 + t))
                    {
                        printf("1 and 2 threads differ: %s L %g tuple %ld\n", acts[a], Ls[li],
                               (long) t);
                        return 1;
                    }
                    narrow += mag_cmp(arb_radref(r2 + t), arb_radref(r1 + t)) <= 0;
                }
                printf("%-5s %5g %4ld %4ld  %7.2f s (%7.1e)    %7.2f s (%7.1e)    %6.1fx  "
                       "%5.2f s wall   %ld/%ld\n", acts[a], Ls[li], (long) npts, (long) ntup,
                       c1, worst(r1, ntup), c2, worst(r2, ntup), c1 / c2, w3, (long) narrow,
                       (long) ntup);
                fflush(stdout);
                _arb_vec_clear(r1, ntup);
                _arb_vec_clear(r2, ntup);
                _arb_vec_clear(r3, ntup);
                flint_free(st);
            }
    _arb_vec_clear(x, 8);
    arf_clear(L);
    neft_kernel_clear(k);
    flint_cleanup();
    return 0;
}
