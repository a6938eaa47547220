/* An independent (non-rigorous) reference for the relu (sigma_b > 0)
   two-vertex integrals in d_in = 2 (method SECTOR4, issue 17) at cutoffs
   where the test's corner cases do not reach (legs inside the square):
   the product of two plane rules graded towards every kink line
   (tests/relu-ref.h, shared with tests/t-twovtx2-relu.c; no code of
   src/integrate), in double precision.  An estimate, not a bound: run at
   two grading levels and compare.

     build/bench/ref-twovtx2-relu L LEV SHAPE [SW2 SB2]
       SHAPE 0: legs (1, 1) at y and (-1, 1) at z, one link;
       SHAPE 1: legs (1, 1), (-1, 1) at y and (1, -1), (-1, -1) at z, two
       links, a self-loop at y.  Defaults sigma_w^2 = sigma_b^2 = 1.
     Work: (2 (LEV + 1) 8)^4 x (cells per plane)^2 integrand values. */

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define GLN 8
#include "gl-ref.h"
#include "relu-ref.h"

int
main(int argc, char ** argv)
{
    static const relu_ref_case shapes[2] = {
        {2, {0, 1}, {{1, 1}, {-1, 1}}, 1, 0, 0},
        {4, {0, 0, 1, 1}, {{1, 1}, {-1, 1}, {1, -1}, {-1, -1}}, 2, 1, 0}};
    double L, sw2 = 1, sb2 = 1, r;
    int lev, shape;
    clock_t c0;
    if (argc < 4)
    {
        fprintf(stderr, "usage: ref-twovtx2-relu L LEV SHAPE [SW2 SB2]\n");
        return 2;
    }
    L = atof(argv[1]);
    lev = atoi(argv[2]);
    shape = atoi(argv[3]);
    if (argc >= 6)
    {
        sw2 = atof(argv[4]);
        sb2 = atof(argv[5]);
    }
    if (!(L > 0) || lev < 0 || lev > 12 || shape < 0 || shape > 1 || !(sw2 > 0) || !(sb2 > 0))
    {
        fprintf(stderr, "ref-twovtx2-relu: bad arguments\n");
        return 2;
    }
    gl_init();
    c0 = clock();
    r = relu_ref_value(shapes + shape, L, sw2, sb2, lev);
    printf("shape %d L %g lev %d sw2 %g sb2 %g: %.17g (%.1f s CPU; an estimate)\n", shape, L,
           lev, sw2, sb2, r, (double) (clock() - c0) / CLOCKS_PER_SEC);
    return 0;
}
