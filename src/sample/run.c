/* The sampler: batches of blocks of models drawn by a pool of threads, moments
   summed without losing digits, jackknife error bars. */

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "neft/interrupt.h"
#include "neft/sample.h"
#include "tuples.h"
#include "tails.h"
#include "run.h"

#define CHUNK NEFT_SAMPLE_CHUNK   /* the moment loops run over the nets of a chunk */

void
neft_sample_opt_init(neft_sample_opt_t opt)
{
    opt->threads = 0;
    opt->checkpoint = NULL;
    opt->checkpoint_interval = 60.0;
    opt->progress = NULL;
    opt->progress_param = NULL;
}

void
neft_sample_result_init(neft_sample_result_t res)
{
    res->models = 0;
    res->batches = 0;
    res->length = 0;
    res->corr = NULL;
    res->nextra = 0;
    res->extra = NULL;
    res->extra_rep = NULL;
}

void
neft_sample_result_clear(neft_sample_result_t res)
{
    free(res->corr);
    free(res->extra);
    free(res->extra_rep);
    neft_sample_result_init(res);
}

/* Knuth's two-sum: s + e = a + b exactly. */
static inline void
two_sum(double * s, double * e, double a, double b)
{
    double x = a + b, bb = x - a;
    *e = (a - (x - bb)) + (b - bb);
    *s = x;
}

/* hi + lo += x, compensated (the error of every addition is kept in lo), so
   1e8 models of block sums lose nothing visible in the final double. */
static inline void
dd_add(double * hi, double * lo, double x)
{
    double e;
    two_sum(hi, &e, *hi, x);
    *lo += e;
}

static double
now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

uint64_t
_neft_sample_batch_full_blocks(const _neft_sample_run_struct * r, slong b)
{
    return r->full_blocks > (uint64_t) b
           ? (r->full_blocks - (uint64_t) b + NEFT_SAMPLE_BATCHES - 1) / NEFT_SAMPLE_BATCHES : 0;
}

uint64_t
_neft_sample_block_models(const _neft_sample_run_struct * r, slong blk)
{
    uint64_t first = (uint64_t) blk * NEFT_SAMPLE_BLOCK;
    uint64_t left = r->spec->models - first;
    return left < NEFT_SAMPLE_BLOCK ? left : NEFT_SAMPLE_BLOCK;
}

int
_neft_sample_batch_complete(const _neft_sample_run_struct * r, slong b)
{
    return r->batch[b].blocks == _neft_sample_batch_full_blocks(r, b)
           && (r->tail.count == 0 || r->tail.batch != b || r->tail.done);
}

typedef struct
{
    double * f, * prod, * bsum, * hi, * lo, * work, * ghat, * xwork;
}
worker_buf_t;

/* Sums, over the models of block blk, of the product for every tuple of even
   length: bsum[node].  Fixed order of every operation: the same numbers
   whichever thread runs it.  Products of the nets of a chunk are formed along
   the prefix tree (one multiplication per tuple and net); the products of a
   tuple of even length are summed with their tail sums as they are made
   (tails.h), a leaf's without being stored.
   These loops are the hot spot (GCC: -O3 for this function). */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
static void
process_block(double * bsum, const _neft_sample_run_struct * r, slong blk, worker_buf_t * w)
{
    const slong nodes = r->tree.length, maxlen = r->tree.maxlen;
    const slong * parent = r->tree.parent, * last = r->tree.last, * len = r->tree.len;
    uint64_t nb = _neft_sample_block_models(r, blk), start;
    neft_sample_rng_t rng;
    slong node, m;

    neft_sample_rng_seed(rng, r->spec->seed, (uint64_t) blk);
    for (node = 0; node < r->nsums; node++)
        bsum[node] = 0.0;
    for (start = 0; start < nb && !neft_interrupted(); start += CHUNK)
    {
        slong cm = (slong) FLINT_MIN((uint64_t) CHUNK, nb - start);
        /* padding nets (m >= cm) are 0: they add exact zeros */
        if (r->spec->extra != NULL)
        {
            /* an extra measurement draws the chunk (neft_sample_extra_struct)
               and sums its values after the moments' */
            const neft_sample_extra_struct * x = r->spec->extra;
            x->chunk(w->f, bsum + NEFT_SAMPLE_NSUMS * nodes, r->spec, rng, cm, w->xwork,
                     x->param);
        }
        else if (r->wick != NULL)
        {
            /* the conditional estimator: Wick sums of G^ (conditional.c) */
            _neft_sample_draw_chunk_ghat(w->f, w->ghat, r->spec, rng, cm, w->work);
            _neft_sample_wick(w->prod, w->ghat, r->wick);
        }
        if (r->wick == NULL)
        {
            if (r->spec->extra == NULL)
                _neft_sample_draw_chunk(w->f, r->spec, rng, cm, w->work);
            for (m = 0; m < CHUNK; m++)
                w->prod[m] = 1.0;
            for (node = 1; node < nodes; node++)
            {
                const double * restrict pp = w->prod + parent[node] * CHUNK;
                const double * restrict fi = w->f + last[node] * CHUNK;
                double * restrict pn = w->prod + node * CHUNK;
                if (len[node] % 2 == 1)
                    for (m = 0; m < CHUNK; m++)
                        pn[m] = pp[m] * fi[m];
                else
                    /* a leaf's products are not needed again */
                    _neft_sample_chunk_sums(bsum + node, nodes, len[node] == maxlen ? NULL : pn,
                                            pp, fi);
            }
            continue;
        }
        for (node = 1; node < nodes; node++)
            if (len[node] % 2 == 0)
                _neft_sample_chunk_sums(bsum + node, nodes, NULL, w->prod + node * CHUNK, NULL);
    }
}

static void *
worker(void * arg)
{
    _neft_sample_run_struct * r = arg;
    const slong nodes = r->tree.length, nsums = r->nsums, P = r->spec->npoints;
    const slong tree = nodes;
    const slong rank = r->dist != NULL ? r->dist->rank : 0;
    const slong size = r->dist != NULL ? r->dist->size : 1;
    worker_buf_t w;
    slong b, blk, node;

    w.f = malloc(sizeof(double) * (size_t) (P * CHUNK));
    w.prod = malloc(sizeof(double) * (size_t) (tree * CHUNK));
    w.bsum = malloc(sizeof(double) * (size_t) nsums);
    w.hi = malloc(sizeof(double) * (size_t) nsums);
    w.lo = malloc(sizeof(double) * (size_t) nsums);
    w.work = malloc(sizeof(double) * (size_t) neft_sample_work_size(r->spec));
    w.ghat = malloc(sizeof(double) * (size_t) (_neft_sample_ghat_size(r->spec) + 1));
    w.xwork = malloc(sizeof(double) * (size_t) (r->spec->extra != NULL
                                                ? r->spec->extra->work + 1 : 1));
    if (!w.f || !w.prod || !w.bsum || !w.hi || !w.lo || !w.work || !w.ghat || !w.xwork)
    {
        pthread_mutex_lock(&r->lock);
        r->failed = 1;
        pthread_mutex_unlock(&r->lock);
        goto done;
    }

    for (;;)
    {
        _neft_sample_batch_struct * bt;
        uint64_t j, nfull;
        int stopped = 0;

        pthread_mutex_lock(&r->lock);
        while (r->next < r->nbatches && (r->batch[r->next].done || r->taken[r->next]
                                         || r->next % size != rank))
            r->next++;
        b = r->next;
        if (b < r->nbatches)
            r->taken[b] = 1;
        bt = r->batch + b;
        if (b < r->nbatches)
        {
            memcpy(w.hi, bt->hi, sizeof(double) * (size_t) nsums);
            memcpy(w.lo, bt->lo, sizeof(double) * (size_t) nsums);
        }
        pthread_mutex_unlock(&r->lock);
        if (b >= r->nbatches)
            break;

        /* the batch's full blocks in order, from where it stands: its state
           is published after every block (a checkpoint resumes mid-batch) */
        nfull = _neft_sample_batch_full_blocks(r, b);
        for (j = bt->blocks; j < nfull; j++)
        {
            blk = b + (slong) j * NEFT_SAMPLE_BATCHES;
            if (neft_interrupted() || __atomic_load_n(&r->halt, __ATOMIC_RELAXED))
            {
                stopped = 1;
                break;
            }
            process_block(w.bsum, r, blk, &w);
            if (neft_interrupted())
            {
                /* the block may be partial (process_block polls per chunk):
                   it is not counted */
                stopped = 1;
                break;
            }
            for (node = 0; node < nsums; node++)
                dd_add(w.hi + node, w.lo + node, w.bsum[node]);
            pthread_mutex_lock(&r->lock);
            memcpy(bt->hi, w.hi, sizeof(double) * (size_t) nsums);
            memcpy(bt->lo, w.lo, sizeof(double) * (size_t) nsums);
            bt->blocks = j + 1;
            bt->count += NEFT_SAMPLE_BLOCK;
            r->models_done += NEFT_SAMPLE_BLOCK;
            pthread_mutex_unlock(&r->lock);
        }
        /* the run's partial last block, when it belongs here */
        if (!stopped && r->tail.count != 0 && r->tail.batch == b && !r->tail.done)
        {
            process_block(w.bsum, r, r->tail.block, &w);
            if (neft_interrupted())
                stopped = 1;
            else
            {
                pthread_mutex_lock(&r->lock);
                memcpy(r->tail.sum, w.bsum, sizeof(double) * (size_t) nsums);
                r->tail.done = 1;
                r->models_done += r->tail.count;
                pthread_mutex_unlock(&r->lock);
            }
        }
        pthread_mutex_lock(&r->lock);
        r->taken[b] = 0;
        if (!stopped)
            bt->done = 1;
        pthread_mutex_unlock(&r->lock);
        if (stopped)
            break;
    }
done:
    free(w.f);
    free(w.prod);
    free(w.bsum);
    free(w.hi);
    free(w.lo);
    free(w.work);
    free(w.ghat);
    free(w.xwork);
    pthread_mutex_lock(&r->lock);
    r->running--;
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* ------------------------------------------------------------------ results */

static void
jackknife(neft_sample_estimate_struct * est, double full, const double * rep, slong B)
{
    double mean = 0, ss = 0;
    slong b;
    for (b = 0; b < B; b++)
        mean += rep[b];
    mean /= (double) B;
    for (b = 0; b < B; b++)
        ss += (rep[b] - mean) * (rep[b] - mean);
    est->mean = full;
    est->stderr_ = sqrt(ss * (double) (B - 1) / (double) B);
}

/* The nodes of the blocks of every even-block partition of tuple idx, flat:
   sub[p * _NEFT_PART_MAX_BLOCKS + k] (-1 past the last block). */
static void
connected_plan(slong * sub, const _neft_sample_run_struct * r, const slong * idx, slong n)
{
    const _neft_partition_struct * parts = r->parts[n / 2];
    slong p, k;
    for (p = 0; p < r->nparts[n / 2]; p++)
        for (k = 0; k < _NEFT_PART_MAX_BLOCKS; k++)
            sub[p * _NEFT_PART_MAX_BLOCKS + k] = k < parts[p].nblocks
                ? _neft_tuples_sub(&r->tree, idx, n, parts[p].mask[k]) : -1;
}

/* Connected correlator of a tuple of length n from the moments m[node]. */
static double
connected(const double * m, const _neft_sample_run_struct * r, const slong * sub, slong n)
{
    const _neft_partition_struct * parts = r->parts[n / 2];
    slong p, k, np = r->nparts[n / 2];
    double total = 0;
    for (p = 0; p < np; p++)
    {
        double t = (double) parts[p].mu;
        for (k = 0; k < parts[p].nblocks; k++)
            t *= m[sub[p * _NEFT_PART_MAX_BLOCKS + k]];
        total += t;
    }
    return total;
}

/* The tail diagnostics and flags of node's full moment from the totals
   (cached in nflags[node], bit 31 marking it computed). */
static unsigned
node_flags(neft_sample_tails_struct * t, const _neft_sample_run_struct * r, unsigned * nflags,
           const double * Shi, const double * Slo, uint64_t n, slong node, double jse)
{
    const slong K = r->tree.length;
#define TOT(j) (Shi[(j) * K + node] + Slo[(j) * K + node])
    unsigned f = neft_sample_tails(t, TOT(0), TOT(1), TOT(2), TOT(3), n, jse,
                                   r->tails_missing);
#undef TOT
    nflags[node] = f | 0x80000000u;
    return f;
}

static int
make_result(neft_sample_result_t res, _neft_sample_run_struct * r)
{
    const slong nodes = r->tree.length, B = r->nbatches;
    double * Shi, * Slo, * mean, * mrep, * full_rep, * conn_rep;
    unsigned * nflags;
    slong sub[400 * _NEFT_PART_MAX_BLOCKS];   /* 379 partitions of 8 points */
    uint64_t n = 0;
    slong node, b, k, count = 0, t;

    Shi = calloc((size_t) r->nsums, sizeof(double));
    Slo = calloc((size_t) r->nsums, sizeof(double));
    nflags = calloc((size_t) nodes, sizeof(unsigned));
    mean = malloc(sizeof(double) * (size_t) nodes);
    mrep = malloc(sizeof(double) * (size_t) (nodes * B));
    for (node = 0; node < nodes; node++)
        if (r->spec->npt_mask & (1u << r->tree.len[node]))
            count++;
    full_rep = malloc(sizeof(double) * (size_t) (count * B + 1));
    conn_rep = malloc(sizeof(double) * (size_t) ((count + 1) * B + 1));
    res->corr = calloc((size_t) count + 1, sizeof(neft_sample_corr_struct));
    if (!Shi || !Slo || !mean || !mrep || !full_rep || !conn_rep || !res->corr || !nflags)
    {
        free(Shi); free(Slo); free(mean); free(mrep); free(full_rep); free(conn_rep);
        free(nflags);
        return NEFT_SAMPLE_FAILURE;
    }

    /* the partial last block goes last into its batch (in place: the run
       ends here) */
    if (r->tail.count != 0)
    {
        _neft_sample_batch_struct * bt = r->batch + r->tail.batch;
        for (node = 0; node < r->nsums; node++)
            dd_add(bt->hi + node, bt->lo + node, r->tail.sum[node]);
        bt->count += r->tail.count;
    }
    /* totals, in batch order */
    for (b = 0; b < B; b++)
    {
        n += r->batch[b].count;
        for (node = 0; node < r->nsums; node++)
        {
            dd_add(Shi + node, Slo + node, r->batch[b].hi[node]);
            Slo[node] += r->batch[b].lo[node];
        }
    }
    for (node = 0; node < nodes; node++)
        mean[node] = (Shi[node] + Slo[node]) / (double) n;
    mean[0] = 1.0;
    /* delete-one-batch moments */
    for (b = 0; b < B; b++)
    {
        double * mb = mrep + b * nodes;
        for (node = 0; node < nodes; node++)
        {
            double s, e;
            two_sum(&s, &e, Shi[node], -r->batch[b].hi[node]);
            mb[node] = (s + (e + (Slo[node] - r->batch[b].lo[node])))
                       / (double) (n - r->batch[b].count);
        }
        mb[0] = 1.0;
    }

    if (r->spec->extra != NULL && r->spec->extra->nsums > 0)
    {
        /* the extra measurement's means and delete-one-batch means */
        const slong X = r->spec->extra->nsums, o = NEFT_SAMPLE_NSUMS * nodes;
        res->extra = malloc(sizeof(double) * (size_t) X);
        res->extra_rep = malloc(sizeof(double) * (size_t) (X * B));
        if (res->extra == NULL || res->extra_rep == NULL)
        {
            free(Shi); free(Slo); free(mean); free(mrep); free(full_rep); free(conn_rep);
            free(nflags);
            return NEFT_SAMPLE_FAILURE;
        }
        res->nextra = X;
        for (k = 0; k < X; k++)
            res->extra[k] = (Shi[o + k] + Slo[o + k]) / (double) n;
        for (b = 0; b < B; b++)
            for (k = 0; k < X; k++)
            {
                double s, e;
                two_sum(&s, &e, Shi[o + k], -r->batch[b].hi[o + k]);
                res->extra_rep[b * X + k] = (s + (e + (Slo[o + k] - r->batch[b].lo[o + k])))
                                            / (double) (n - r->batch[b].count);
            }
    }
    res->models = n;
    res->batches = B;
    res->length = count;
    res->estimator = r->spec->estimator;
    res->unreliable = 0;
    /* the output order: by npt, then lexicographic (preorder within a length) */
    t = 0;
    for (k = 2; k <= NEFT_SAMPLE_MAX_NPT; k += 2)
    {
        if (!(r->spec->npt_mask & (1u << k)))
            continue;
        for (node = 0; node < nodes; node++)
        {
            neft_sample_corr_struct * c;
            if (r->tree.len[node] != k)
                continue;
            c = res->corr + t;
            c->npt = k;
            _neft_tuples_get(c->idx, &r->tree, node);
            connected_plan(sub, r, c->idx, k);
            for (b = 0; b < B; b++)
            {
                full_rep[t * B + b] = mrep[b * nodes + node];
                conn_rep[t * B + b] = connected(mrep + b * nodes, r, sub, k);
            }
            jackknife(&c->full, mean[node], full_rep + t * B, B);
            jackknife(&c->connected, connected(mean, r, sub, k), conn_rep + t * B, B);
            c->full.flags = node_flags(&c->tails, r, nflags, Shi, Slo, n, node, c->full.stderr_);
            c->connected.flags = 0;
            {
                /* the flags of every full moment of its partitions; a sub-tuple
                   is not always reported itself: its flags are computed from
                   its sums with the jackknife of its own replicas */
                slong p, q;
                for (p = 0; p < r->nparts[k / 2]; p++)
                    for (q = 0; q < _NEFT_PART_MAX_BLOCKS && sub[p * _NEFT_PART_MAX_BLOCKS + q] >= 0; q++)
                    {
                        slong s = sub[p * _NEFT_PART_MAX_BLOCKS + q];
                        if (!(nflags[s] & 0x80000000u))
                        {
                            neft_sample_tails_struct tt;
                            double js;
                            neft_sample_estimate_struct e;
                            for (b = 0; b < B; b++)
                                conn_rep[count * B + b] = mrep[b * nodes + s];
                            jackknife(&e, mean[s], conn_rep + count * B, B);
                            js = e.stderr_;
                            node_flags(&tt, r, nflags, Shi, Slo, n, s, js);
                        }
                        c->connected.flags |= nflags[s] & 0x7fffffffu;
                    }
            }
            if (c->full.flags | c->connected.flags)
                res->unreliable++;
            t++;
        }
    }
    free(Shi); free(Slo); free(mean); free(mrep); free(full_rep); free(conn_rep); free(nflags);
    return NEFT_SAMPLE_SUCCESS;
}

/* ------------------------------------------------------------------ driver */

static void
run_clear(_neft_sample_run_struct * r)
{
    slong b;
    if (r->batch != NULL)
        for (b = 0; b < r->nbatches; b++)
        {
            flint_free(r->batch[b].hi);
            flint_free(r->batch[b].lo);
        }
    flint_free(r->batch);
    flint_free(r->tail.sum);
    flint_free(r->taken);
    flint_free(r->describe);
    _neft_sample_wick_clear(r->wick);
    for (b = 0; b <= NEFT_SAMPLE_MAX_NPT / 2; b++)
        flint_free(r->parts[b]);
    _neft_tuples_clear(&r->tree);
    pthread_mutex_destroy(&r->lock);
}

/* Saves the checkpoint: with several processes, the batches are gathered to
   rank 0 first, which writes the file (collective). */
static int
save(_neft_sample_run_struct * r, const char * path, char * err, size_t errsize)
{
    int status = NEFT_SAMPLE_SUCCESS;
    if (r->dist != NULL && r->dist->gather(r) != 0)
    {
        snprintf(err, errsize, "MPI: cannot gather the batches of the other processes");
        return NEFT_SAMPLE_FAILURE;
    }
    if (r->dist == NULL || r->dist->rank == 0)
    {
        pthread_mutex_lock(&r->lock);
        status = _neft_sample_checkpoint_save(r, path, err, errsize);
        pthread_mutex_unlock(&r->lock);
    }
    return status;
}

int
neft_sample_run(neft_sample_result_t res, const neft_sample_spec_t spec,
                const neft_sample_opt_t opt, char * err, size_t errsize)
{
    _neft_sample_run_struct r;
    slong b, k, nthreads, maxn;
    pthread_t * tid;
    int status = NEFT_SAMPLE_SUCCESS, complete, root;
    double last_save, last_progress, last_tick;

    neft_sample_result_clear(res);
    if ((status = neft_sample_spec_check(spec, err, errsize)) != NEFT_SUCCESS)
        return status;

    memset(&r, 0, sizeof(r));
    r.spec = spec;
    r.dist = _neft_sample_dist();
    root = r.dist == NULL || r.dist->rank == 0;
    maxn = neft_sample_spec_max_npt(spec);
    _neft_tuples_init(&r.tree, spec->npoints, maxn);
    r.nsums = NEFT_SAMPLE_NSUMS * r.tree.length;  /* the moments, then the tail sums */
    if (spec->extra != NULL)
        r.nsums += spec->extra->nsums;            /* then the extra measurement's */
    pthread_mutex_init(&r.lock, NULL);
    for (k = 2; k <= maxn; k += 2)
    {
        r.nparts[k / 2] = _neft_even_partitions(NULL, k);
        r.parts[k / 2] = flint_malloc(sizeof(_neft_partition_struct) * (size_t) r.nparts[k / 2]);
        _neft_even_partitions(r.parts[k / 2], k);
    }
    r.full_blocks = spec->models / NEFT_SAMPLE_BLOCK;
    r.nblocks = (slong) ((spec->models + NEFT_SAMPLE_BLOCK - 1) / NEFT_SAMPLE_BLOCK);
    r.nbatches = FLINT_MIN(r.nblocks, NEFT_SAMPLE_BATCHES);
    r.tail.count = spec->models % NEFT_SAMPLE_BLOCK;
    r.tail.block = (slong) r.full_blocks;
    r.tail.batch = (slong) (r.full_blocks % NEFT_SAMPLE_BATCHES);
    r.tail.sum = flint_calloc((size_t) r.nsums, sizeof(double));
    r.batch = flint_calloc((size_t) r.nbatches, sizeof(_neft_sample_batch_struct));
    r.taken = flint_calloc((size_t) r.nbatches, sizeof(int));
    r.describe = neft_sample_spec_describe(spec);
    if (spec->estimator == NEFT_SAMPLE_ESTIMATOR_CONDITIONAL
        && (r.wick = _neft_sample_wick_init(&r.tree)) == NULL)
    {
        snprintf(err, errsize, "out of memory");
        run_clear(&r);
        return NEFT_SAMPLE_FAILURE;
    }
    for (b = 0; b < r.nbatches; b++)
    {
        r.batch[b].hi = flint_calloc((size_t) r.nsums, sizeof(double));
        r.batch[b].lo = flint_calloc((size_t) r.nsums, sizeof(double));
        if (r.batch[b].hi == NULL || r.batch[b].lo == NULL)
        {
            snprintf(err, errsize, "out of memory");
            run_clear(&r);
            return NEFT_SAMPLE_FAILURE;
        }
    }

    if (opt->checkpoint != NULL)
    {
        status = _neft_sample_checkpoint_load(&r, opt->checkpoint, err, errsize);
        if (r.dist != NULL)
        {
            /* every process reads the file; all go on only when all could */
            int stop = status != NEFT_SAMPLE_SUCCESS, save_now = 0;
            slong running = 0;
            uint64_t done = 0;
            if (r.dist->tick(&stop, &save_now, &running, &done) != 0 || (stop && status == 0))
            {
                if (status == NEFT_SAMPLE_SUCCESS)
                    snprintf(err, errsize, "%s: another MPI process could not load the "
                             "checkpoint", opt->checkpoint);
                status = status != NEFT_SAMPLE_SUCCESS ? status : NEFT_SAMPLE_BAD_INPUT;
            }
        }
        if (status != NEFT_SAMPLE_SUCCESS)
        {
            run_clear(&r);
            return status;
        }
    }
    /* what is done already; with MPI, this process counts its own batches */
    r.models_done = 0;
    for (b = 0; b < r.nbatches; b++)
    {
        int mine = r.dist == NULL || b % r.dist->size == r.dist->rank;
        r.batch[b].done = _neft_sample_batch_complete(&r, b);
        if (mine)
            r.models_done += r.batch[b].count
                             + (r.tail.done && r.tail.batch == b ? r.tail.count : 0);
    }

    nthreads = opt->threads;
    if (nthreads <= 0)
        nthreads = (slong) sysconf(_SC_NPROCESSORS_ONLN);
    nthreads = FLINT_MAX(1, FLINT_MIN(nthreads, r.nbatches));
    tid = flint_malloc(sizeof(pthread_t) * (size_t) nthreads);
    r.running = nthreads;
    for (k = 0; k < nthreads; k++)
        if (pthread_create(tid + k, NULL, worker, &r) != 0)
        {
            /* run with the threads we have */
            pthread_mutex_lock(&r.lock);
            r.running -= nthreads - k;
            pthread_mutex_unlock(&r.lock);
            nthreads = k;
            break;
        }
    if (nthreads == 0 && r.dist == NULL)
    {
        flint_free(tid);
        snprintf(err, errsize, "cannot start a thread");
        run_clear(&r);
        return NEFT_SAMPLE_FAILURE;
    }
    if (nthreads == 0)
    {
        /* with MPI, tick on so that the others stop too */
        snprintf(err, errsize, "cannot start a thread");
        status = NEFT_SAMPLE_FAILURE;
        r.failed = 2;
    }

    last_save = last_progress = last_tick = now_seconds();
    for (;;)
    {
        struct timespec ts = {0, 5000000};
        slong running;
        uint64_t done;
        double t;
        int save_now;

        pthread_mutex_lock(&r.lock);
        running = r.running;
        done = r.models_done + __atomic_load_n(&r.models_running, __ATOMIC_RELAXED);
        pthread_mutex_unlock(&r.lock);
        t = now_seconds();
        save_now = opt->checkpoint != NULL && t - last_save >= opt->checkpoint_interval;
        if (r.dist != NULL)
        {
            /* every 0.1 s, all processes together: stop when one stops, save
               when rank 0's clock says so, end when no thread runs anywhere */
            int stop = neft_interrupted() || r.failed
                       || __atomic_load_n(&r.halt, __ATOMIC_RELAXED);
            if (t - last_tick < 0.1)
            {
                nanosleep(&ts, NULL);
                continue;
            }
            last_tick = t;
            save_now = root && save_now;
            if (r.dist->tick(&stop, &save_now, &running, &done) != 0)
            {
                snprintf(err, errsize, "MPI: lost contact with the other processes");
                status = NEFT_SAMPLE_FAILURE;
                __atomic_store_n(&r.halt, 1, __ATOMIC_RELAXED);
                break;
            }
            if (stop)
                __atomic_store_n(&r.halt, 1, __ATOMIC_RELAXED);
        }
        if (root && opt->progress != NULL && t - last_progress >= 0.2)
        {
            opt->progress(opt->progress_param, done, spec->models);
            last_progress = t;
        }
        if (running == 0)
            break;
        if (save_now)
        {
            int s = save(&r, opt->checkpoint, err, errsize);
            if (r.dist != NULL)
            {
                /* every process learns whether rank 0 could write */
                int stop = s != NEFT_SAMPLE_SUCCESS, zero = 0;
                slong none = 0;
                uint64_t nothing = 0;
                if (r.dist->tick(&stop, &zero, &none, &nothing) != 0 || stop)
                    s = s != NEFT_SAMPLE_SUCCESS ? s : NEFT_SAMPLE_FAILURE;
                if (s != NEFT_SAMPLE_SUCCESS && root == 0)
                    snprintf(err, errsize, "rank 0 could not write the checkpoint");
            }
            if (s != NEFT_SAMPLE_SUCCESS)
            {
                /* stop the workers and report */
                status = s;
                __atomic_store_n(&r.halt, 1, __ATOMIC_RELAXED);
            }
            last_save = t;
        }
        if (r.dist == NULL)
            nanosleep(&ts, NULL);
    }
    for (k = 0; k < nthreads; k++)
        pthread_join(tid[k], NULL);
    flint_free(tid);
    if (r.failed == 1 && status == NEFT_SAMPLE_SUCCESS)
    {
        snprintf(err, errsize, "out of memory");
        status = NEFT_SAMPLE_FAILURE;
    }
    if (r.dist != NULL)
    {
        /* a failure elsewhere stops this process too (every process ticks) */
        int stop = status != NEFT_SAMPLE_SUCCESS, zero = 0;
        slong none = 0;
        uint64_t nothing = 0;
        if (r.dist->tick(&stop, &zero, &none, &nothing) != 0)
            stop = 1;
        if (stop && status == NEFT_SAMPLE_SUCCESS)
        {
            snprintf(err, errsize, "another MPI process failed");
            status = NEFT_SAMPLE_FAILURE;
        }
    }
    if (status != NEFT_SAMPLE_SUCCESS)
    {
        run_clear(&r);
        return status;
    }

    /* the final state: every batch at rank 0 */
    if (r.dist != NULL && r.dist->gather(&r) != 0)
    {
        snprintf(err, errsize, "MPI: cannot gather the batches of the other processes");
        run_clear(&r);
        return NEFT_SAMPLE_FAILURE;
    }
    complete = 1;
    r.models_done = 0;
    for (b = 0; b < r.nbatches; b++)
    {
        r.batch[b].done = _neft_sample_batch_complete(&r, b);
        complete &= r.batch[b].done;
        r.models_done += r.batch[b].count;
    }
    r.models_done += r.tail.done ? r.tail.count : 0;
    if (r.dist != NULL)
    {
        /* rank 0 knows: complete or not, for everybody */
        int stop = root && !complete, zero = 0;
        slong none = 0;
        uint64_t nothing = 0;
        r.dist->tick(&stop, &zero, &none, &nothing);
        complete = !stop;
    }
    if (root && opt->progress != NULL)
        opt->progress(opt->progress_param, r.models_done, spec->models);
    if (opt->checkpoint != NULL && root)
    {
        pthread_mutex_lock(&r.lock);
        status = _neft_sample_checkpoint_save(&r, opt->checkpoint, err, errsize);
        pthread_mutex_unlock(&r.lock);
    }
    if (r.dist != NULL)
    {
        int stop = status != NEFT_SAMPLE_SUCCESS, zero = 0;
        slong none = 0;
        uint64_t nothing = 0;
        if ((r.dist->tick(&stop, &zero, &none, &nothing) != 0 || stop)
            && status == NEFT_SAMPLE_SUCCESS)
        {
            snprintf(err, errsize, "rank 0 could not write the checkpoint");
            status = NEFT_SAMPLE_FAILURE;
        }
    }
    if (status == NEFT_SAMPLE_SUCCESS && !complete)
    {
        if (!root)
            snprintf(err, errsize, "interrupted");
        else if (opt->checkpoint != NULL)
            snprintf(err, errsize, "interrupted after %llu of %llu models; state saved in %s "
                     "(run the same command again to resume)",
                     (unsigned long long) r.models_done, (unsigned long long) spec->models,
                     opt->checkpoint);
        else
            snprintf(err, errsize, "interrupted after %llu of %llu models",
                     (unsigned long long) r.models_done, (unsigned long long) spec->models);
        status = NEFT_SAMPLE_INTERRUPTED;
    }
    if (status == NEFT_SAMPLE_SUCCESS && root)
    {
        status = make_result(res, &r);
        if (status != NEFT_SAMPLE_SUCCESS)
            snprintf(err, errsize, "out of memory");
    }
    run_clear(&r);
    return status;
}
