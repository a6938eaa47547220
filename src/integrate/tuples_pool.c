/* One thread pool for the tuple methods (tuples_pool.h). */

#include <pthread.h>
#include <unistd.h>
#include "neft/tuple.h"
#include "neft/interrupt.h"
#include "tuples_pool.h"

struct _neft_pool_s
{
    slong nt;
    pthread_t * tid;
    pthread_mutex_t lock;
    pthread_cond_t go, done;
    slong round, busy;            /* the round's number; threads still in it */
    int quit;
    /* the round */
    slong n, next;
    void (* fn)(void *, slong, slong);
    void * arg;
};

typedef struct
{
    struct _neft_pool_s * pool;
    slong th;
}
worker_arg;

/* Takes indices from the shared counter until none is left. */
static void
work(struct _neft_pool_s * M, slong th)
{
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
worker(void * a)
{
    worker_arg * W = a;
    struct _neft_pool_s * M = W->pool;
    slong th = W->th, seen = 0;
    flint_free(W);
    for (;;)
    {
        pthread_mutex_lock(&M->lock);
        while (M->round == seen && !M->quit)
            pthread_cond_wait(&M->go, &M->lock);
        if (M->quit)
        {
            pthread_mutex_unlock(&M->lock);
            break;
        }
        seen = M->round;
        pthread_mutex_unlock(&M->lock);
        work(M, th);
        pthread_mutex_lock(&M->lock);
        if (--M->busy == 0)
            pthread_cond_signal(&M->done);
        pthread_mutex_unlock(&M->lock);
    }
    flint_cleanup();              /* this thread's caches (Gauss-Legendre rules, constants) */
    return NULL;
}

slong
_neft_pool_threads(slong n, slong threads)
{
    slong nt = threads > 0 ? threads : (slong) sysconf(_SC_NPROCESSORS_ONLN);
    return FLINT_MAX(1, FLINT_MIN(nt, n));
}

_neft_pool_ptr
_neft_pool_new(slong threads)
{
    struct _neft_pool_s * M = flint_calloc(1, sizeof(struct _neft_pool_s));
    slong nt = _neft_pool_threads(WORD_MAX, threads), i;
    pthread_mutex_init(&M->lock, NULL);
    pthread_cond_init(&M->go, NULL);
    pthread_cond_init(&M->done, NULL);
    M->tid = flint_malloc(nt * sizeof(pthread_t));
    for (i = 1; i < nt; i++)
    {
        worker_arg * W = flint_malloc(sizeof(worker_arg));
        W->pool = M;
        W->th = i;
        if (pthread_create(M->tid + i, NULL, worker, W) != 0)
        {
            flint_free(W);
            break;
        }
    }
    M->nt = i;
    return M;
}

slong
_neft_pool_size(const _neft_pool_ptr pool)
{
    return pool->nt;
}

slong
_neft_pool_round(_neft_pool_ptr M, slong n, void (* fn)(void *, slong, slong), void * arg)
{
    if (n <= 0)
        return 0;
    pthread_mutex_lock(&M->lock);
    M->n = n;
    M->next = 0;
    M->fn = fn;
    M->arg = arg;
    M->busy = M->nt - 1;
    M->round++;
    pthread_cond_broadcast(&M->go);
    pthread_mutex_unlock(&M->lock);
    work(M, 0);                   /* the calling thread works too */
    pthread_mutex_lock(&M->lock);
    while (M->busy > 0)
        pthread_cond_wait(&M->done, &M->lock);
    pthread_mutex_unlock(&M->lock);
    return M->next;
}

void
_neft_pool_free(_neft_pool_ptr M)
{
    slong i;
    pthread_mutex_lock(&M->lock);
    M->quit = 1;
    pthread_cond_broadcast(&M->go);
    pthread_mutex_unlock(&M->lock);
    for (i = 1; i < M->nt; i++)
        pthread_join(M->tid[i], NULL);
    pthread_cond_destroy(&M->go);
    pthread_cond_destroy(&M->done);
    pthread_mutex_destroy(&M->lock);
    flint_free(M->tid);
    flint_free(M);
}

slong
_neft_pool_run(slong n, slong threads, void (* fn)(void *, slong, slong), void * arg)
{
    _neft_pool_ptr M;
    slong r;
    if (n <= 0)
        return 0;
    M = _neft_pool_new(_neft_pool_threads(n, threads));
    r = _neft_pool_round(M, n, fn, arg);
    _neft_pool_free(M);
    return r;
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
