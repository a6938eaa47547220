/* Two-vertex integrals in d_in = 2 (issue 17: <= 60 s each at relative
   radius <= 1e-8 on 2 cores): CPU and wall time of one neft_integrate_vint
   per family, shape and cutoff, at the default goal and 64 bits, with the
   plan's cost estimate beside it (the ratio calibrates plan_cost).

     build/bench/bench-twovtx2 [--quick] [--cutoff L (any value: that cutoff alone)] [--shape N] [--sw2 W] [FAMILY...]   (gauss relu0 erf relu)

   Families at HMS's settings: GaussNet sigma_w = sigma_b = 1 on the
   corners {+-1}^2 (0.01 times those are almost constant kernels; size 1
   is the harder case), relu sigma_b = 0 on {0.5, 1}^2.  Shapes: the
   4-point lambda^2 bubble (legs 2 + 2, two links), a 4-point lambda kappa
   exchange (legs 3 + 1, one link, a self-loop at each vertex), the 6-point
   lambda^2 exchange (legs 3 + 3, one link).  A refused case prints the
   reason (the family relu, sigma_b = 1: neft_integrate_vint refuses what
   SECTOR4's estimate from the points puts over 60 s).  NEFT_BENCH_LIMIT=N caps the node values
   (opt->eval_limit). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include "neft/integrate.h"

static double
now(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

typedef struct { const char * name; int nlegs; int vert[6]; int pt[6]; int links, l0, l1; } shape_t;

static const shape_t shapes[] = {
    {"4pt lambda^2 (2+2 legs, 2 links)", 4, {0, 0, 1, 1}, {0, 1, 2, 3}, 2, 0, 0},
    {"4pt lambda kappa (3+1 legs, 1 link, loops 1+1)", 4, {0, 0, 0, 1}, {0, 1, 2, 3}, 1, 1, 1},
    {"6pt lambda^2 (3+3 legs, 1 link)", 6, {0, 0, 0, 1, 1, 1}, {0, 1, 2, 3, 0, 1}, 1, 0, 0}};

int
main(int argc, char ** argv)
{
    static const char * fam[] = {"gauss", "relu0", "erf", "relu"};
    static const double cut[] = {1, 2, 10, 100, 1e5};
    int quick = 0, a, f, s, c, i;
    double only = 0;            /* --cutoff L: that cutoff alone */
    double wsq = 0;             /* --sw2 W: sigma_w^2 (default 1) */
    int shape = -1;             /* --shape N: that shape alone */
    for (a = 1; a < argc; a++)
    {
        quick |= strcmp(argv[a], "--quick") == 0;
        if (strcmp(argv[a], "--cutoff") == 0 && a + 1 < argc)
            only = atof(argv[++a]);
        else if (strcmp(argv[a], "--sw2") == 0 && a + 1 < argc)
            wsq = atof(argv[++a]);
        else if (strcmp(argv[a], "--shape") == 0 && a + 1 < argc)
            shape = atoi(argv[++a]);
    }
    printf("%-6s %-48s %6s %10s %10s %9s %10s  %s\n", "family", "shape", "L", "cpu s", "wall s",
           "rel rad", "cost", "value");
    for (f = 0; f < 4; f++)
    {
        int want = 0, any = 0;
        neft_kernel_t k;
        arb_t sw, sb;
        const char * why;
        double pts[4][2];
        for (a = 1; a < argc; a++)
            if (argv[a][0] != '-' && (a == 1 || argv[a - 1][0] != '-' || strcmp(argv[a - 1], "--quick") == 0))
            {
                any = 1;
                want |= strcmp(argv[a], fam[f]) == 0;
            }
        if (any && !want)
            continue;
        neft_kernel_init(k);
        arb_init(sw);
        arb_init(sb);
        arb_one(sw);
        if (f == 1)
            arb_zero(sb);
        else
            arb_one(sb);
        neft_kernel_set_act(k, neft_act_lookup(f == 0 ? "gauss" : f == 2 ? "erf" : "relu"), NULL,
                            2, sw, sb, &why, 64);
        for (i = 0; i < 4; i++)
        {
            double u = (f == 1 || f == 3) ? 0.5 : -1, w = 1;
            pts[i][0] = (i & 2) ? w : u;
            pts[i][1] = (i & 1) ? w : u;
        }
        if (wsq > 0)
            arb_set_d(k->sw2, wsq);
        for (s = 0; s < 3; s++)
            for (c = 0; c < (only > 0 ? 1 : quick ? 2 : 5); c++)
            {
                neft_vint_t v;
                neft_integrate_opt_t opt;
                neft_integrate_plan_t plan;
                arb_t res;
                arf_t L;
                char err[400];
                double c0, w0, c1, w1;
                int st;
                const shape_t * S = shapes + s;
                if (shape >= 0 && s != shape)
                    continue;
                double Lc = only > 0 ? only : cut[c];
                arb_init(res);
                arf_init(L);
                arf_set_d(L, Lc);
                neft_vint_init(v, 2, 2);
                for (i = 0; i < S->nlegs; i++)
                {
                    arb_ptr x = _arb_vec_init(2);
                    arb_set_d(x, pts[S->pt[i]][0]);
                    arb_set_d(x + 1, pts[S->pt[i]][1]);
                    neft_vint_add_leg(v, S->vert[i], x);
                    _arb_vec_clear(x, 2);
                }
                for (i = 0; i < S->links; i++)
                    neft_vint_add_link(v, 0, 1);
                for (i = 0; i < S->l0; i++)
                    neft_vint_add_link(v, 0, 0);
                for (i = 0; i < S->l1; i++)
                    neft_vint_add_link(v, 1, 1);
                neft_vint_canonicalise(v);
                neft_integrate_plan(plan, 2, S->nlegs, S->links + S->l0 + S->l1, k, L, 64);
                neft_integrate_opt_init(opt);
                opt->verbose = getenv("NEFT_BENCH_VERBOSE") ? atoi(getenv("NEFT_BENCH_VERBOSE")) : 0;
                if (getenv("NEFT_BENCH_LIMIT"))     /* node values */
                    opt->eval_limit = atol(getenv("NEFT_BENCH_LIMIT"));
                c0 = now(CLOCK_PROCESS_CPUTIME_ID);
                w0 = now(CLOCK_MONOTONIC);
                st = neft_integrate_vint(res, v, k, L, opt, 64, err, sizeof(err));
                c1 = now(CLOCK_PROCESS_CPUTIME_ID);
                w1 = now(CLOCK_MONOTONIC);
                if (st == NEFT_INTEGRATE_UNSUPPORTED)
                    printf("%-6s %-48s %6g refused: %.90s\n", fam[f], S->name, Lc, err);
                else
                {
                    double mid = arf_get_d(arb_midref(res), ARF_RND_NEAR);
                    double rad = mag_get_d(arb_radref(res));
                    printf("%-6s %-48s %6g %10.3f %10.3f %9.1e %10.2e  %.15g%s\n", fam[f], S->name,
                           Lc, c1 - c0, w1 - w0, mid != 0 ? rad / fabs(mid) : rad,
                           plan->cost, mid, st == NEFT_INTEGRATE_SUCCESS ? "" : " (not converged)");
                }
                fflush(stdout);
                neft_vint_clear(v);
                arb_clear(res);
                arf_clear(L);
            }
        neft_kernel_clear(k);
        arb_clear(sw);
        arb_clear(sb);
    }
    return 0;
}
