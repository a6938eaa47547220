/* The running-coupling workload at the paper's settings (issue 16 item 4):
 * the O(lambda) vertex integrals of all 126 sorted 4-tuples of 6 inputs in
 * d_in = 1 at the 21 cutoffs from 7 to 1e5 (log-spaced), Erf (sigma_w =
 * sigma_b = 1, inputs +-0.2, +-0.6, +-1) and GaussNet (inputs 0.01 x those),
 * three ways side by side:
 *   one by one   every tuple at every cutoff by neft_integrate_vint (what
 *                neft fit and neft validate did before);
 *   per cutoff   all tuples at once, kernel values shared, cutoff by cutoff
 *                (neft_integrate_tuples1);
 *   nested       all tuples and all cutoffs at once, only the shells between
 *                consecutive cutoffs integrated (neft_integrate_tuples1_cutoffs,
 *                what they do now).
 * At the default goal (64 bits: Arb values at the nodes) and at 42 bits
 * (double intervals); and the 462 6-tuples of the 6-leg vertex (kappa's,
 * evaluated by neft validate's G6 prediction).  Prints seconds and the worst
 * relative radius; GaussNet is a closed form every way.
 *
 *   build/bench/bench-cutoffs [--quick]     (--quick: 5 cutoffs)
 */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "neft/integrate.h"
#include "neft/tuple.h"

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
    {
        double m = fabs(arf_get_d(arb_midref(r + i), ARF_RND_NEAR));
        double q = arb_is_finite(r + i) ? mag_get_d(arb_radref(r + i)) / m : INFINITY;
        w = q > w ? q : w;
    }
    return w;
}

int
main(int argc, char ** argv)
{
    static const double in[6] = {-1, -0.6, -0.2, 0.2, 0.6, 1};
    static const char * const acts[2] = {"erf", "gauss"};
    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    slong ncut = quick ? 5 : 21, a, g, c, t, npts;
    arf_struct * L = flint_malloc(ncut * sizeof(arf_struct));
    neft_kernel_t k;
    char err[256];

    neft_kernel_init(k);
    for (c = 0; c < ncut; c++)
    {
        arf_init(L + c);
        arf_set_d(L + c, 7 * pow(1e5 / 7, (double) c / (double) (ncut - 1)));
    }
    printf("vertex integrals of all sorted tuples of 6 inputs, d_in = 1, at %ld cutoffs 7..1e5\n"
           "(seconds, wall clock; on a shared machine timings vary by 2x or more)\n\n",
           (long) ncut);
    printf("%-6s %4s %5s %7s   %-22s %-22s %-22s\n", "kernel", "legs", "goal", "tuples",
           "one by one", "per cutoff", "nested");
    for (npts = 4; npts <= 6; npts += 2)
        for (a = 0; a < 2; a++)
            for (g = 0; g < 2; g++)
            {
                slong ntup = neft_tuple_count(6, npts), idx[7];
                arb_ptr x = _arb_vec_init(6), r1 = _arb_vec_init(ncut * ntup);
                arb_ptr r2 = _arb_vec_init(ncut * ntup), r3 = _arb_vec_init(ncut * ntup);
                neft_integrate_opt_t opt;
                double t1, t2, t3;
                k->act = neft_act_lookup(acts[a]);
                k->d = 1;
                arb_one(k->sw2);
                arb_one(k->sb2);
                k->subtract_bias = 0;
                neft_integrate_opt_init(opt);
                opt->goal = g ? 42 : 0;
                for (t = 0; t < 6; t++)
                    arb_set_d(x + t, in[t] * (a ? 0.01 : 1));
                /* one by one (skipped for the 6-leg vertex: minutes) */
                t1 = now();
                for (c = 0; c < ncut && npts == 4; c++)
                {
                    memset(idx, 0, sizeof idx);
                    for (t = 0; t < ntup; t++)
                    {
                        neft_vint_t v;
                        neft_vint_init_tuple1(v, x, idx, npts, 0);
                        neft_integrate_vint(r1 + c * ntup + t, v, k, L + c, opt, 64, err,
                                            sizeof err);
                        neft_vint_clear(v);
                        neft_tuple_next(idx, npts, 6);
                    }
                }
                t1 = now() - t1;
                t2 = now();
                for (c = 0; c < ncut; c++)
                    neft_integrate_tuples1(r2 + c * ntup, k, x, 6, npts, 0, L + c, opt, 64);
                t2 = now() - t2;
                t3 = now();
                neft_integrate_tuples1_cutoffs(r3, k, x, 6, npts, 0, L, ncut, opt, 64);
                t3 = now() - t3;
                for (t = 0; t < ncut * ntup; t++)
                    if (!arb_overlaps(r2 + t, r3 + t) || (npts == 4 && !arb_overlaps(r1 + t, r3 + t)))
                    {
                        printf("DISAGREE at %ld\n", (long) t);
                        return 1;
                    }
                printf("%-6s %4ld %5s %7ld   ", acts[a], (long) npts, g ? "42" : "64",
                       (long) (ncut * ntup));
                if (npts == 4)
                    printf("%7.3f s (%.0e)     ", t1, worst(r1, ncut * ntup));
                else
                    printf("%-22s ", "(not run)");
                printf("%7.3f s (%.0e)     %7.3f s (%.0e)\n", t2, worst(r2, ncut * ntup), t3,
                       worst(r3, ncut * ntup));
                _arb_vec_clear(x, 6);
                _arb_vec_clear(r1, ncut * ntup);
                _arb_vec_clear(r2, ncut * ntup);
                _arb_vec_clear(r3, ncut * ntup);
            }
    for (c = 0; c < ncut; c++)
        arf_clear(L + c);
    flint_free(L);
    neft_kernel_clear(k);
    flint_cleanup();
    return 0;
}
