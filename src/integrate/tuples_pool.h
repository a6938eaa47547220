/* Private to src/integrate: the one thread pool of the tuple methods
   (tuples_mt.c, tuples_cutoffs.c, tuples_shared.c) and the table of sorted
   tuples. */
#ifndef NEFT_INTEGRATE_TUPLES_POOL_H
#define NEFT_INTEGRATE_TUPLES_POOL_H

#include <flint/flint.h>
#include "neft/integrate.h"

/* Calls fn(arg, i, th) once for each i = 0 .. n - 1 (th in 0 .. threads - 1:
   the thread's own number, for its scratch space), the indices taken in
   increasing order from a shared counter by `threads` threads (<= 0: one per
   processor; never more than n; the calling thread is one of them).  No new
   index is taken once neft_interrupted() is set: the indices not run are
   those >= the returned count.  Each thread started here calls
   flint_cleanup() before it ends (its Gauss-Legendre and constant caches). */
slong _neft_pool_run(slong n, slong threads, void (* fn)(void *, slong, slong), void * arg);

/* A pool whose threads wait between rounds (for many short rounds): */
typedef struct _neft_pool_s * _neft_pool_ptr;
/* starts threads - 1 threads (threads <= 0: one per processor), the
   caller being the last */
_neft_pool_ptr _neft_pool_new(slong threads);
/* as _neft_pool_run, on the pool's threads */
slong _neft_pool_round(_neft_pool_ptr pool, slong n, void (* fn)(void *, slong, slong),
                       void * arg);
slong _neft_pool_size(const _neft_pool_ptr pool);
/* ends the threads (each calls flint_cleanup()) */
void _neft_pool_free(_neft_pool_ptr pool);

/* The number of threads _neft_pool_run uses for n items. */
slong _neft_pool_threads(slong n, slong threads);

/* The ntup = neft_tuple_count(nin, npts) sorted tuples of npts indices in
   0 .. nin - 1, in neft_tuple_next order, as an ntup x npts table
   (flint_malloc'ed, at least one slong; free with flint_free). */
slong * _neft_tuples_table(slong nin, slong npts, slong * ntup);


/* The factor by which sharing the work between ntup tuples of npts legs and
   loops self-loops divides their cost (cost estimates): 1 + ntup / 10 (at
   most ntup) where the plan is the patch method (tuples_shared.c; measured
   5-11 for 35 and 84 tuples in d_in = 2, the inputs taken distinct), else 1. */
double _neft_tuples_share(const neft_kernel_t k, slong npts, slong loops, const arf_t L,
                          slong prec, double ntup);

/* All sorted tuples by the patch method at once, sharing one refinement of
   the patches and the kernels' values (tuples_shared.c); arguments as
   neft_integrate_tuples; Lin not NULL: over the shell [-L, L]^d minus
   (-Lin, Lin)^d (as _neft_integrate_patches_shell).  Returns -1 (nothing
   done) where it does not apply (some tuple's plan is not the patch method,
   points not distinct or not exact, d_in not 2 or 3, the shell not for the
   patch method), else 0 with every tuple's ball and status (a
   tuple that did not converge has status NEFT_INTEGRATE_NO_CONVERGENCE and a
   rigorous ball).  The results do not depend on threads. */
int _neft_integrate_tuples_shared(arb_ptr res, int * status, const neft_kernel_t k,
                                  arb_srcptr x, slong nin, slong npts, slong loops,
                                  const arf_struct * Lin, const arf_t L,
                                  const neft_integrate_opt_t opt, slong prec, slong threads);

#endif
