/* Private to src/integrate: cached Gauss-Legendre rules on [-1, 1]. */
#ifndef NEFT_INTEGRATE_GL_H
#define NEFT_INTEGRATE_GL_H

#include "ivl.h"

#define GL_NMIN 4
#define GL_NMAX 64
#define GL_NSIZES (GL_NMAX - GL_NMIN + 1)

typedef struct
{
    slong n;
    slong prec;          /* the balls' precision */
    arb_ptr x, w;        /* nodes (decreasing) and weights, as balls */
    ivl * xi, * wi;      /* the same, as double enclosures */
}
_neft_gl_struct;

/* The rule size used for n nodes (max(n, GL_NMIN) when n <= GL_NMAX), else -1. */
slong _neft_gl_size(slong n);

/* The n-point rule (n a cached size) with balls of at least prec + 32 bits;
   owned by the cache of the calling thread (valid until flint_cleanup or a
   request for the same n at a higher precision). */
const _neft_gl_struct * _neft_gl(slong n, slong prec);

#endif
