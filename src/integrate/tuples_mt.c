/* The one-vertex integrals of all sorted tuples of a set of inputs, any
   d_in, each by its plan (neft_integrate_vint), on several threads. */

#include <pthread.h>
#include <unistd.h>
#include "neft/integrate.h"
#include "neft/tuple.h"
#include "neft/interrupt.h"

typedef struct
{
    arb_ptr res;
    int * status;
    const neft_kernel_struct * k;
    arb_srcptr x;
    slong d, npts, loops, ntup, next, prec;
    const slong * idx;            /* ntup x npts */
    const arf_struct * L;
    const neft_integrate_opt_struct * opt;
    pthread_mutex_t lock;
}
mt_struct;

/* Takes tuples from the shared counter until none is left. */
static void
work(mt_struct * M)
{
    char err[320];
    for (;;)
    {
        slong t, i;
        neft_vint_t v;
        pthread_mutex_lock(&M->lock);
        t = M->next++;
        pthread_mutex_unlock(&M->lock);
        if (t >= M->ntup || neft_interrupted())
            break;
        neft_vint_init(v, M->d, 1);
        for (i = 0; i < M->npts; i++)
            neft_vint_add_leg(v, 0, M->x + M->idx[t * M->npts + i] * M->d);
        for (i = 0; i < M->loops; i++)
            neft_vint_add_link(v, 0, 0);
        neft_vint_canonicalise(v);
        M->status[t] = neft_integrate_vint(M->res + t, v, M->k, M->L, M->opt, M->prec, err,
                                           sizeof(err));
        neft_vint_clear(v);
    }
}

static void *
worker(void * arg)
{
    work(arg);
    flint_cleanup();              /* this thread's caches (Gauss-Legendre rules, constants) */
    return NULL;
}

int
neft_integrate_tuples(arb_ptr res, int * status, const neft_kernel_t k, arb_srcptr x,
                      slong nin, slong npts, slong loops, const arf_t L,
                      const neft_integrate_opt_t opt, slong prec, slong threads)
{
    mt_struct M[1];
    slong ntup = neft_tuple_count(nin, npts), t, nt, i;
    slong * idx, * cur;
    pthread_t * tid;
    int worst = NEFT_INTEGRATE_SUCCESS;

    if (ntup <= 0)
        return worst;
    idx = flint_malloc(ntup * FLINT_MAX(npts, 1) * sizeof(slong));
    cur = flint_calloc(npts + 1, sizeof(slong));
    neft_tuple_first(cur, npts);
    for (t = 0; t < ntup; t++)
    {
        for (i = 0; i < npts; i++)
            idx[t * npts + i] = cur[i];
        neft_tuple_next(cur, npts, nin);
    }
    M->res = res;
    M->status = status;
    M->k = k;
    M->x = x;
    M->d = k->d;
    M->npts = npts;
    M->loops = loops;
    M->ntup = ntup;
    M->next = 0;
    M->prec = prec;
    M->idx = idx;
    M->L = L;
    M->opt = opt;
    for (t = 0; t < ntup; t++)
        status[t] = NEFT_INTEGRATE_INTERRUPTED;
    pthread_mutex_init(&M->lock, NULL);
    nt = threads > 0 ? threads : (slong) sysconf(_SC_NPROCESSORS_ONLN);
    nt = FLINT_MAX(1, FLINT_MIN(nt, ntup));
    tid = flint_malloc(nt * sizeof(pthread_t));
    for (i = 1; i < nt; i++)
        if (pthread_create(tid + i, NULL, worker, M) != 0)
            break;
    nt = i;
    work(M);                      /* the calling thread works too */
    for (i = 1; i < nt; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&M->lock);
    for (t = 0; t < ntup; t++)
    {
        if (status[t] == NEFT_INTEGRATE_INTERRUPTED)
            arb_indeterminate(res + t);
        worst = neft_status_worst(worst, status[t]);
    }
    flint_free(tid);
    flint_free(idx);
    flint_free(cur);
    return worst;
}
