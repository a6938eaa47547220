/* SECTOR4 (src/integrate/twovtx2_sector.c) on the shapes of
   bench/ref_twovtx2_relu.c, called directly at a given goal: the ball, the
   CPU time and (with VERBOSE >= 1) the stack's counts, to compare with the
   reference (docs/integrate.md, SECTOR4's measurements).

     build/bench/ref-twovtx2-relu-sector L GOAL SHAPE [VERBOSE] */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "neft/integrate.h"
#include "integrate/internal.h"

int
main(int argc, char ** argv)
{
    static const double pt[2][4][2] = {{{1, 1}, {-1, 1}}, {{1, 1}, {-1, 1}, {1, -1}, {-1, -1}}};
    static const int vert[2][4] = {{0, 1}, {0, 0, 1, 1}}, nlegs[2] = {2, 4};
    static const int links[2] = {1, 2}, loop0[2] = {0, 1};
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    arb_t res, one;
    arf_t L;
    const char * why;
    int shape, i, j, s;
    clock_t c0;
    if (argc < 4)
    {
        fprintf(stderr, "usage: ref-twovtx2-relu-sector L GOAL SHAPE [VERBOSE]\n");
        return 2;
    }
    shape = atoi(argv[3]);
    if (shape < 0 || shape > 1 || !(atof(argv[1]) > 0))
        return 2;
    neft_kernel_init(k);
    arb_init(res);
    arb_init(one);
    arf_init(L);
    arb_one(one);
    if (neft_kernel_set_act(k, neft_act_lookup("relu"), NULL, 2, one, one, &why, 128)
            != NEFT_SUCCESS)
        return 1;
    arf_set_d(L, atof(argv[1]));
    neft_vint_init(v, 2, 2);
    for (i = 0; i < nlegs[shape]; i++)
    {
        arb_ptr x = _arb_vec_init(2);
        for (j = 0; j < 2; j++)
            arb_set_d(x + j, pt[shape][i][j]);
        neft_vint_add_leg(v, vert[shape][i], x);
        _arb_vec_clear(x, 2);
    }
    for (i = 0; i < links[shape]; i++)
        neft_vint_add_link(v, 0, 1);
    for (i = 0; i < loop0[shape]; i++)
        neft_vint_add_link(v, 0, 0);
    neft_vint_canonicalise(v);
    neft_integrate_opt_init(opt);
    opt->goal = atoi(argv[2]);
    opt->verbose = argc > 4 ? atoi(argv[4]) : 0;
    c0 = clock();
    s = _neft_integrate_twovtx2_sector(res, v, k, L, opt, 64);
    printf("shape %d L %s goal %ld: status %d ", shape, argv[1], (long) opt->goal, s);
    arb_printn(res, 20, 0);
    printf(" (relative radius %.2g; %.1f s CPU)\n",
           mag_get_d(arb_radref(res)) / arf_get_d(arb_midref(res), ARF_RND_NEAR),
           (double) (clock() - c0) / CLOCKS_PER_SEC);
    neft_vint_clear(v);
    neft_kernel_clear(k);
    arb_clear(res);
    arb_clear(one);
    arf_clear(L);
    flint_cleanup();
    return s == NEFT_INTEGRATE_SUCCESS ? 0 : 1;
}
