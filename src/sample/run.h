/* Private to the sample module: the state of one run, shared by the workers,
   the driver and the checkpoint code. */
#ifndef NEFT_SAMPLE_RUN_H
#define NEFT_SAMPLE_RUN_H

#include <pthread.h>
#include "neft/sample.h"
#include "neft/act.h"
#include "tuples.h"

typedef struct
{
    double * hi, * lo;      /* compensated sums per tree node (even lengths) */
    uint64_t count;         /* models summed */
    int done;
}
_neft_sample_batch_struct;

typedef struct
{
    const neft_sample_spec_struct * spec;
    char * describe;
    _neft_tuples_struct tree;
    _neft_partition_struct * parts[NEFT_SAMPLE_MAX_NPT / 2 + 1];
    slong nparts[NEFT_SAMPLE_MAX_NPT / 2 + 1];
    slong nblocks, nbatches;
    _neft_sample_batch_struct * batch;
    int * taken;
    slong next, running;
    uint64_t models_done, models_running;
    int halt, failed;
    pthread_mutex_t lock;
}
_neft_sample_run_struct;

/* Draws `count` <= NEFT_SAMPLE_CHUNK nets from rng and evaluates them:
   f[a * NEFT_SAMPLE_CHUNK + m] is net m at point a (0 for m >= count).
   work: neft_sample_work_size(spec) doubles. */
void _neft_sample_draw_chunk(double * f, const neft_sample_spec_t spec, neft_sample_rng_t rng,
                             slong count, double * work);

slong _neft_sample_batch_first_block(const _neft_sample_run_struct * r, slong b);
uint64_t _neft_sample_block_models(const _neft_sample_run_struct * r, slong blk);

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
