/* Gauss-Legendre nodes and weights in double precision, by Newton's method
   on the three-term recurrence: the independent quadrature rule that the
   C tests' double references use (t-integrate, t-cutoffs, t-patches).
   Header-only; include it once, after neft-test.h. */
#ifndef NEFT_GL_REF_H
#define NEFT_GL_REF_H

#include <math.h>

/* The GLN-point rule on [-1, 1] into gx, gw: nodes to about 1e-15.  GLN is
   20 unless the test defines it before including this header. */
#ifndef GLN
#define GLN 20
#endif
static double gx[GLN], gw[GLN];

static void
gl_init(void)
{
    int i, j;
    for (i = 0; i < GLN; i++)
    {
        double z = cos(M_PI * (i + 0.75) / (GLN + 0.5)), p1, p2, p3, pp;
        do
        {
            p1 = 1; p2 = 0;
            for (j = 0; j < GLN; j++)
            {
                p3 = p2; p2 = p1;
                p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
            }
            pp = GLN * (z * p1 - p2) / (z * z - 1);
            z -= p1 / pp;
        }
        while (fabs(p1 / pp) > 1e-15);
        gx[i] = z;
        gw[i] = 2 / ((1 - z * z) * pp * pp);
    }
}

#endif
