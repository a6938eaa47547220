/* bench-moments -- the Gaussian moments of neft exact for a smooth row with
 * bias (issue 16, item 3): the shared quadrature rule against the old
 * method (one nested 2-D integral per moment, neft/gaussexp.h), side by side.
 *
 *   build/bench/bench-moments [--old K] [ACTIVATION]
 *
 * The paper's Erf settings (Halverson-Maiti-Stoner): inputs +-0.2, +-0.6, +-1,
 * sigma_w = sigma_b = 1, d_in = 1, 64 bits.  All 609 even sorted tuples of up
 * to six points (21 + 126 + 462) by neft_exact_moments (the shared rule):
 * wall and CPU time, nodes, worst relative radius of the six-point ones.
 * Then the old method on the first K six-point tuples (default 2;
 * neft_exact_moment_why with the per-moment integrator, forced by asking
 * 65 bits), the time per moment and its extrapolation to the 462.  Goal:
 * the 462 six-point moments in <= 5 s on 2 cores, relative radius <= 1e-12.
 * Built by bench/meson.build, never run by `meson test`; the machine may be
 * shared: the times are those of one run. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "neft/exact.h"
#include "neft/points.h"

static double
wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static double
cpu(void)
{
    return (double) clock() / CLOCKS_PER_SEC;
}

int
main(int argc, char ** argv)
{
    static const char * const x[6] = {"-1", "-0.6", "-0.2", "0.2", "0.6", "1"};
    const char * act = "erf";
    neft_exact_spec_t spec;
    neft_exact_moments_t mom;
    arb_ptr pts = _arb_vec_init(6);
    fmpq_t one;
    slong i, K = 2, idx[6], done = 0, six = 0;
    double w0, c0, w1, c1, worst = 0, old = 0;
    char err[512];
    arb_t m;

    for (i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--old") && i + 1 < argc)
            K = atol(argv[++i]);
        else
            act = argv[i];
    neft_exact_spec_init(spec);
    if (neft_net_set_act_name(spec->net, act, NULL, err, sizeof err) != NEFT_SUCCESS)
    {
        fprintf(stderr, "bench-moments: %s\n", err);
        return 2;
    }
    fmpq_init(one);
    fmpq_one(one);
    neft_net_set_sigma(spec->net, one, one);
    spec->net->d_in = 1;
    for (i = 0; i < 6; i++)
        arb_set_str(pts + i, x[i], 80);
    neft_exact_spec_set_points(spec, pts, 6);
    spec->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
    neft_exact_moments_init(mom);
    arb_init(m);

    w0 = wall();
    c0 = cpu();
    if (neft_exact_moments(mom, spec, 64, NULL, NULL, err, sizeof err) != NEFT_SUCCESS)
    {
        fprintf(stderr, "bench-moments: %s\n", err);
        return 1;
    }
    w1 = wall();
    c1 = cpu();
    /* worst relative radius over the six-point tuples (exact zeros aside) */
    for (idx[0] = 0; idx[0] < 6; idx[0]++)
     for (idx[1] = idx[0]; idx[1] < 6; idx[1]++)
      for (idx[2] = idx[1]; idx[2] < 6; idx[2]++)
       for (idx[3] = idx[2]; idx[3] < 6; idx[3]++)
        for (idx[4] = idx[3]; idx[4] < 6; idx[4]++)
         for (idx[5] = idx[4]; idx[5] < 6; idx[5]++)
         {
             double r;
             neft_exact_moments_get(m, mom, idx, 6);
             six++;
             if (arb_is_zero(m))
                 continue;
             r = mag_get_d(arb_radref(m)) / fabs(arf_get_d(arb_midref(m), ARF_RND_NEAR));
             worst = r > worst ? r : worst;
         }
    printf("%s, inputs +-0.2 +-0.6 +-1, sw = sb = 1, 64 bits\n", act);
    printf("  shared rule: 609 moments (%ld six-point) in %.3f s wall, %.3f s CPU; %ld nodes;"
           " worst relative radius (six-point) %.3g\n", (long) six, w1 - w0, c1 - c0,
           (long) mom->nodes, worst);
    /* the old method: one nested 2-D integral per moment */
    for (idx[0] = 0; idx[0] < 6 && done < K; idx[0]++)
    {
        slong t[6] = {0, 1, 2, 3, 4, 5};
        t[0] = idx[0];   /* (i, 1, 2, 3, 4, 5): distinct six-point tuples */
        if (t[0] > 1)
            break;
        c0 = cpu();
        w0 = wall();
        if (neft_exact_moment_why(m, spec, t, 6, 65, err, sizeof err) != NEFT_SUCCESS)
        {
            fprintf(stderr, "bench-moments: old method: %s\n", err);
            break;
        }
        old += cpu() - c0;
        done++;
        printf("  old method: M(%ld,1,2,3,4,5) in %.1f s wall, %.1f s CPU\n", (long) t[0],
               wall() - w0, cpu() - c0);
    }
    if (done > 0)
        printf("  old method extrapolated to the 462 six-point moments: %.0f s CPU "
               "(%.1f h)\n", old / (double) done * 462, old / (double) done * 462 / 3600);
    neft_exact_moments_clear(mom);
    neft_exact_spec_clear(spec);
    _arb_vec_clear(pts, 6);
    arb_clear(m);
    fmpq_clear(one);
    flint_cleanup();
    return 0;
}
