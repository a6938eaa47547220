/* The Gaussian moments of a spec, once for every even sorted tuple
   (neft/exact.h): the shared rule of grid.c when it applies, else the method
   of each moment (moments.c).  They do not depend on the width. */

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include "neft/exact.h"
#include "neft/interrupt.h"
#include "../cost.h"
#include "exact-internal.h"
#include "../integrate/tuples_pool.h"

void
neft_exact_moments_init(neft_exact_moments_t mom)
{
    memset(mom, 0, sizeof(neft_exact_moments_struct));
}

void
neft_exact_moments_clear(neft_exact_moments_t mom)
{
    if (mom->tree != NULL)
    {
        _neft_tuples_struct * tree = mom->tree;
        _arb_vec_clear(mom->M, tree->length);
        _neft_tuples_clear(tree);
        flint_free(tree);
    }
    neft_exact_moments_init(mom);
}

static slong
max_npt(unsigned mask)
{
    slong n, maxn = 0;
    for (n = 2; n <= NEFT_SAMPLE_MAX_NPT; n += 2)
        if (mask & (1u << n))
            maxn = n;
    return maxn;
}


static double
seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* One moment per even node, the nodes shared out in tree order by the
   one thread pool of src/integrate (tuples_pool.h; spec->threads, 0: one
   per processor); each node's ball is what neft_exact_moment_why gives
   alone (no sums across nodes), so the balls do not depend on the number of
   threads.  The error reported is the one of the first failing node in tree
   order, as on one thread. */
typedef struct
{
    arb_ptr M;
    const _neft_tuples_struct * tree;
    const slong * even;                    /* the even nodes, in tree order */
    const neft_exact_spec_struct * spec;   /* threads = 1 (no nested pools) */
    slong prec, done, bad, total;
    int status;
    neft_exact_progress_func progress;   /* called by the calling thread only */
    void * arg;
    double last;
    char err[512];
    pthread_mutex_t lock;
}
pool_struct;

/* the moment of the i-th even node, on thread th (0: the caller) */
static void
pool_one(void * arg, slong i, slong th)
{
    pool_struct * P = arg;
    slong node = P->even[i], idx[NEFT_SAMPLE_MAX_NPT], n, done;
    char err[512];
    int st, skip;
    pthread_mutex_lock(&P->lock);
    skip = P->bad >= 0 && node > P->bad;   /* an earlier node failed */
    pthread_mutex_unlock(&P->lock);
    if (skip)
        return;
    n = _neft_tuples_get(idx, P->tree, node);
    if (neft_interrupted())
    {
        st = NEFT_EXACT_INTERRUPTED;
        snprintf(err, sizeof err, "interrupted while computing the Gaussian moments");
    }
    else
        st = neft_exact_moment_why(P->M + node, P->spec, idx, n, P->prec, err, sizeof err);
    pthread_mutex_lock(&P->lock);
    P->done++;
    if (st != NEFT_EXACT_SUCCESS && (P->bad < 0 || node < P->bad))
    {
        P->bad = node;
        P->status = st;
        snprintf(P->err, sizeof P->err, "%s", err);
    }
    done = P->done;
    pthread_mutex_unlock(&P->lock);
    if (th == 0 && P->progress != NULL && seconds() - P->last >= 1)
    {
        P->progress(P->arg, done, P->total);
        P->last = seconds();
    }
}

static int
per_moment(arb_ptr M, const _neft_tuples_struct * tree, const neft_exact_spec_t spec,
           slong prec, slong total, neft_exact_progress_func progress, void * arg,
           char * err, size_t errsize)
{
    neft_exact_spec_struct one = *spec;    /* shallow: read only, never cleared */
    pool_struct P;
    slong * even = flint_malloc(FLINT_MAX(total, 1) * sizeof(slong)), node, k = 0, ran;
    for (node = 1; node < tree->length; node++)
        if (tree->len[node] % 2 == 0)
            even[k++] = node;
    one.threads = 1;
    P.M = M;
    P.tree = tree;
    P.even = even;
    P.spec = &one;
    P.prec = prec;
    P.done = 0;
    P.bad = -1;
    P.status = NEFT_EXACT_SUCCESS;
    P.total = total;
    P.progress = progress;
    P.arg = arg;
    P.last = seconds();
    P.err[0] = '\0';
    pthread_mutex_init(&P.lock, NULL);
    ran = _neft_pool_run(k, spec->threads, pool_one, &P);
    pthread_mutex_destroy(&P.lock);
    flint_free(even);
    if (P.status == NEFT_EXACT_SUCCESS && ran < k)
    {
        /* the pool stopped handing out nodes: a stop request */
        P.status = NEFT_EXACT_INTERRUPTED;
        snprintf(P.err, sizeof P.err, "interrupted while computing the Gaussian moments");
    }
    if (progress != NULL && P.status == NEFT_EXACT_SUCCESS)
        progress(arg, P.done, total);
    if (P.status != NEFT_EXACT_SUCCESS)
        snprintf(err, errsize, "%s", P.err);
    return P.status;
}

int
neft_exact_moments(neft_exact_moments_t mom, const neft_exact_spec_t spec, slong prec,
                   neft_exact_progress_func progress, void * arg, char * err, size_t errsize)
{
    _neft_tuples_struct * tree;
    neft_net_srcptr net = spec->net;
    slong maxn = max_npt(spec->npt_mask), node, total = 0;
    int status = NEFT_EXACT_SUCCESS;

    neft_exact_moments_clear(mom);
    if (maxn == 0 || (spec->npt_mask & ~0x154u) || spec->npoints < 1
        || net->act == NULL || neft_net_check(net, err, errsize) != NEFT_SUCCESS)
    {
        snprintf(err, errsize, "bad exact spec (npt among 2,4,6,8; an activation; points)");
        return NEFT_EXACT_BAD_INPUT;
    }
    if (_neft_sample_tuple_budget(spec->npoints, maxn) < 0)
    {
        snprintf(err, errsize, "too many tuples: %ld points up to %ld-point functions",
                 (long) spec->npoints, (long) maxn);
        return NEFT_EXACT_BAD_INPUT;
    }
    tree = flint_malloc(sizeof(_neft_tuples_struct));
    _neft_tuples_init(tree, spec->npoints, maxn);
    mom->tree = tree;
    mom->M = _arb_vec_init(tree->length);
    mom->npoints = spec->npoints;
    mom->maxn = maxn;
    mom->prec = prec;
    for (node = 1; node < tree->length; node++)
        total += tree->len[node] % 2 == 0;

    if (_neft_exact_grid_applies(spec, prec)
        || (spec->npoints >= 3 && _neft_exact_gridnd_applies(spec, prec)))
    {
        char why[512];
        status = _neft_exact_grid_applies(spec, prec)
               ? _neft_exact_grid(mom->M, tree, spec, prec, progress, arg, &mom->nodes, why,
                                  sizeof why)
               : _neft_exact_gridnd(mom->M, tree, spec, prec, progress, arg, &mom->nodes,
                                    why, sizeof why);
        if (status == NEFT_SUCCESS)
        {
            mom->shared = 1;
            return NEFT_EXACT_SUCCESS;
        }
        if (status == NEFT_INTERRUPTED)
        {
            snprintf(err, errsize, "%s", why);
            neft_exact_moments_clear(mom);
            return NEFT_EXACT_INTERRUPTED;
        }
        /* the rule cannot certify this case: one integral per moment */
        status = NEFT_EXACT_SUCCESS;
    }

    status = per_moment(mom->M, tree, spec, prec, total, progress, arg, err, errsize);
    if (status != NEFT_EXACT_SUCCESS)
        neft_exact_moments_clear(mom);
    return status;
}

int
neft_exact_moments_get(arb_t res, const neft_exact_moments_t mom, const slong * idx, slong n)
{
    slong s[NEFT_SAMPLE_MAX_NPT], a, b, t;
    const _neft_tuples_struct * tree = mom->tree;
    if (tree == NULL || n < 0 || n > mom->maxn || n % 2 != 0)
    {
        arb_indeterminate(res);
        return 0;
    }
    for (a = 0; a < n; a++)
    {
        if (idx[a] < 0 || idx[a] >= mom->npoints)
        {
            arb_indeterminate(res);
            return 0;
        }
        s[a] = idx[a];
    }
    for (a = 1; a < n; a++)   /* insertion sort */
        for (b = a; b > 0 && s[b - 1] > s[b]; b--)
        {
            t = s[b];
            s[b] = s[b - 1];
            s[b - 1] = t;
        }
    if (n == 0)
    {
        arb_one(res);
        return 1;
    }
    arb_set(res, mom->M + _neft_tuples_index(tree, s, n));
    return 1;
}

double
neft_exact_moments_cost(const neft_exact_spec_t spec, slong prec)
{
    _neft_tuples_struct tree;
    slong maxn = max_npt(spec->npt_mask), n, node;
    slong idx[NEFT_SAMPLE_MAX_NPT];
    double ops = 0;

    if (maxn == 0 || spec->npoints < 1 || _neft_sample_tuple_budget(spec->npoints, maxn) < 0)
        return 0;
    _neft_tuples_init(&tree, spec->npoints, maxn);
    if (_neft_exact_grid_applies(spec, prec))
        ops = _neft_exact_grid_cost(spec->npoints, tree.length,
                                    _neft_exact_sigma_cost(spec->net->act, prec));
    else if (spec->npoints >= 3 && _neft_exact_gridnd_applies(spec, prec))
        ops = _neft_exact_gridnd_cost(spec, tree.length,
                                      _neft_exact_sigma_cost(spec->net->act, prec));
    else
        for (node = 1; node < tree.length; node++)
        {
            n = _neft_tuples_get(idx, &tree, node);
            if (n % 2 == 0)
                ops += neft_exact_moment_cost(spec, idx, n, prec);
        }
    _neft_tuples_clear(&tree);
    return ops;
}
