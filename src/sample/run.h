/* Private to the sample module: the state of one run, shared by the workers,
   the driver and the checkpoint code. */
#ifndef NEFT_SAMPLE_RUN_H
#define NEFT_SAMPLE_RUN_H

#include <pthread.h>
#include "neft/sample.h"
#include "neft/act.h"
#include "tuples.h"

/* The sums per tree node that a batch holds (compensated, hi + lo), one
   array of NEFT_SAMPLE_NSUMS * nodes doubles: [0, K) the values p of the
   estimator (the moments), then [K, 2K) |p|, [2K, 3K) p^2, [3K, 4K) p^4
   (the tail sums of src/sample/tails.c), K = the tree's nodes; only nodes of
   even length are summed. */
#define NEFT_SAMPLE_NSUMS 4

/* Batch b holds the blocks b, b + NEFT_SAMPLE_BATCHES, b + 2 NEFT_SAMPLE_BATCHES, ...
   (round robin: more models add blocks to every batch, so a run extended to
   more models sums the same blocks in the same order as a run of that many
   models from scratch).  Its sums are compensated sums over its FULL blocks in
   increasing block order; the last block of a run, when partial (models not a
   multiple of NEFT_SAMPLE_BLOCK), is kept apart in the run's tail and added
   last to its batch (src/sample/run.c, make_result).
   Every array a block contributes is `nsums` doubles, summed the same way:
   the moment sums of the tree nodes first; a module that measures more per
   block appends its sums after them (r->nsums grows), and the reduction,
   the checkpoints, MPI and extension carry them without change. */
typedef struct
{
    double * hi, * lo;      /* compensated sums over the full blocks done (nsums each) */
    uint64_t count;         /* models summed (full blocks only) */
    uint64_t blocks;        /* full blocks done: the first `blocks` of the batch */
    int done;               /* every block of the batch is in (its tail too) */
}
_neft_sample_batch_struct;

/* The partial last block of a run (models % NEFT_SAMPLE_BLOCK models). */
typedef struct
{
    double * sum;           /* its sums (nsums), valid when done */
    uint64_t count;         /* its models; 0: the run has no partial block */
    slong block, batch;     /* its block and batch */
    int done;
}
_neft_sample_tail_struct;

struct _neft_sample_run_struct_tag;

/* Processes working on one run together (MPI, src/sample/mpi.c): rank r
   computes the batches b with b % size == r; the driver calls tick about ten
   times a second and gather before every checkpoint save and at the end.
   Both are collective: every rank calls them the same number of times. */
typedef struct
{
    int rank, size;
    /* combines over the ranks: *stop and *save by maximum, *running and
       *done by sum; returns 0, or -1 when the communication failed */
    int (*tick)(int * stop, int * save, slong * running, uint64_t * done);
    /* brings every batch (and the tail) to rank 0's r->batch, in place;
       takes r->lock around its reads and writes; returns 0 or -1 */
    int (*gather)(struct _neft_sample_run_struct_tag * r);
}
_neft_sample_dist_struct;

typedef struct _neft_sample_run_struct_tag
{
    const neft_sample_spec_struct * spec;
    char * describe;
    _neft_tuples_struct tree;
    _neft_partition_struct * parts[NEFT_SAMPLE_MAX_NPT / 2 + 1];
    slong nparts[NEFT_SAMPLE_MAX_NPT / 2 + 1];
    slong nblocks, nbatches, nsums;   /* nsums: NEFT_SAMPLE_NSUMS * tree.length */
    uint64_t full_blocks;   /* blocks of NEFT_SAMPLE_BLOCK models */
    int tails_missing;      /* some batch was loaded without its tail sums */
    void * wick;            /* the conditional estimator's plan (conditional.c), or NULL */
    _neft_sample_batch_struct * batch;
    _neft_sample_tail_struct tail;
    const _neft_sample_dist_struct * dist;   /* NULL: one process */
    int * taken;
    slong next, running;
    uint64_t models_done, models_running;
    int halt, failed;
    pthread_mutex_t lock;
}
_neft_sample_run_struct;

/* The distribution of a run over the processes of an MPI job: NULL when this
   neft has no MPI or the job has one process (src/sample/mpi.c, mpi_none.c). */
const _neft_sample_dist_struct * _neft_sample_dist(void);

/* The normals of `count` <= NEFT_SAMPLE_CHUNK nets of T parameters each,
   drawn net by net into g (T * count doubles), in the chunk layout
   gt[k * NEFT_SAMPLE_CHUNK + m] (parameter k of net m; 0 for m >= count):
   the draw of _neft_sample_draw_chunk, and of the trainer (src/train). */
void _neft_sample_draw_normals(double * gt, double * g, slong T, neft_sample_rng_t rng,
                               slong count);

/* Draws `count` <= NEFT_SAMPLE_CHUNK nets from rng and evaluates them:
   f[a * NEFT_SAMPLE_CHUNK + m] is net m at point a (0 for m >= count).
   work: neft_sample_work_size(spec) doubles. */
void _neft_sample_draw_chunk(double * f, const neft_sample_spec_t spec, neft_sample_rng_t rng,
                             slong count, double * work);

/* As _neft_sample_draw_chunk, and when ghat is not NULL also the covariance
   of the output given the layers below (conditional.c): ghat[p * CHUNK + m]
   for the pair p of points (a <= b, p = b (b + 1) / 2 + a) of net m, 0 for
   the padding nets m >= count. */
void _neft_sample_draw_chunk_ghat(double * f, double * ghat, const neft_sample_spec_t spec,
                                  neft_sample_rng_t rng, slong count, double * work);

/* Doubles of G^ of a chunk (spec.c). */
slong _neft_sample_ghat_size(const neft_sample_spec_t spec);

/* conditional.c.  The plan of the Wick sums over the tree (NULL when out of
   memory); its clear. */
void * _neft_sample_wick_init(const _neft_tuples_struct * tree);
void _neft_sample_wick_clear(void * plan);
/* G^ of a chunk from the last hidden layer h[(k * P + a) * CHUNK + m]
   (k < n hidden units, a < P points), C_W and C_b; padding nets get 0. */
void _neft_sample_ghat(double * ghat, const double * h, slong n, slong P, double cw,
                       double cb, slong count);
/* The Wick sums of ghat for every node of even length >= 2 into
   val[node * CHUNK + m] (val[0..CHUNK) is set to 1: the empty tuple). */
void _neft_sample_wick(double * val, const double * ghat, const void * plan);


/* The number of full blocks of batch b, and the models of block blk. */
uint64_t _neft_sample_batch_full_blocks(const _neft_sample_run_struct * r, slong b);
uint64_t _neft_sample_block_models(const _neft_sample_run_struct * r, slong blk);
/* 1 when batch b holds all of its blocks (its tail included). */
int _neft_sample_batch_complete(const _neft_sample_run_struct * r, slong b);

/* Loads PATH into the batches when it exists (SUCCESS and nothing changed when
   it does not); BAD_INPUT with a message for an unreadable, malformed or
   foreign checkpoint. */
int _neft_sample_checkpoint_load(_neft_sample_run_struct * r, const char * path,
                                 char * err, size_t errsize);
/* Writes the finished batches to PATH atomically (temporary file + rename).
   Caller holds r->lock. */
int _neft_sample_checkpoint_save(const _neft_sample_run_struct * r, const char * path,
                                 char * err, size_t errsize);

#endif
