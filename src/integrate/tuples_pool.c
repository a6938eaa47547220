/* One thread pool for the tuple methods (tuples_pool.h). */

#include <pthread.h>
#include <unistd.h>
#include "neft/tuple.h"
#include "neft/interrupt.h"
#include "tuples_pool.h"

typedef struct
{
    slong n, next, started;
    void (* fn)(void *, slong, slong);
    void * arg;
    pthread_mutex_t lock;
}
pool_struct;

/* Takes indices from the shared counter until none is left. */
static void
work(pool_struct * M)
{
    slong th;
    pthread_mutex_lock(&M->lock);
    th = M->started++;
    pthread_mutex_unlock(&M->lock);
    for (;;)
    {
        slong i;
        pthread_mutex_lock(&M->lock);
        i = (M->next < M->n && !neft_interrupted()) ? M->next++ : -1;
        pthread_mutex_unlock(&M->lock);
        if (i < 0)
            break;
        M->fn(M->arg, i, th);
    }
}

static void *
worker(void * arg)
{
    work(arg);
    flint_cleanup();              /* this thread's caches (Gauss-Legendre rules, constants) */
    return NULL;
}

slong
_neft_pool_threads(slong n, slong threads)
{
    slong nt = threads > 0 ? threads : (slong) sysconf(_SC_NPROCESSORS_ONLN);
    return FLINT_MAX(1, FLINT_MIN(nt, n));
}

slong
_neft_pool_run(slong n, slong threads, void (* fn)(void *, slong, slong), void * arg)
{
    pool_struct M[1];
    pthread_t * tid;
    slong nt, i;
    if (n <= 0)
        return 0;
    M->n = n;
    M->next = 0;
    M->started = 0;
    M->fn = fn;
    M->arg = arg;
    pthread_mutex_init(&M->lock, NULL);
    nt = _neft_pool_threads(n, threads);
    tid = flint_malloc(nt * sizeof(pthread_t));
    for (i = 1; i < nt; i++)
        if (pthread_create(tid + i, NULL, worker, M) != 0)
            break;
    nt = i;
    work(M);                      /* the calling thread works too */
    for (i = 1; i < nt; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&M->lock);
    flint_free(tid);
    return M->next;
}

slong *
_neft_tuples_table(slong nin, slong npts, slong * ntup)
{
    slong n = neft_tuple_count(nin, npts), t, i;
    slong * idx = flint_malloc(FLINT_MAX(n, 1) * FLINT_MAX(npts, 1) * sizeof(slong));
    slong * cur = flint_calloc(npts + 1, sizeof(slong));
    neft_tuple_first(cur, npts);
    for (t = 0; t < n; t++)
    {
        for (i = 0; i < npts; i++)
            idx[t * npts + i] = cur[i];
        neft_tuple_next(cur, npts, nin);
    }
    flint_free(cur);
    *ntup = n;
    return idx;
}

void
_neft_tuples_vint(neft_vint_t v, slong d, arb_srcptr x, const slong * idx, slong npts,
                  slong loops)
{
    slong i;
    neft_vint_init(v, d, 1);
    for (i = 0; i < npts; i++)
        neft_vint_add_leg(v, 0, x + idx[i] * d);
    for (i = 0; i < loops; i++)
        neft_vint_add_link(v, 0, 0);
    neft_vint_canonicalise(v);
}
