/* neft/mpi.h with MPI, and the distribution of a sampling run over the
   processes of the job (src/sample/run.h): rank r draws the batches
   b = r, r + P, r + 2P, ...; rank 0 gathers their states, batch by batch, and
   reduces them in batch order exactly as one process does, so the result is
   bit-identical for every P (docs/cluster.md). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mpi.h>
#include "neft/mpi.h"
#include "run.h"

static int started = 0, rank = 0, size = 1;

int
neft_mpi_available(void)
{
    return 1;
}

int
neft_mpi_start(int * argc, char *** argv, char * err, size_t errsize)
{
    int provided, flag;
    if (started || !neft_mpi_launched())
        return 0;
    MPI_Initialized(&flag);
    if (!flag && MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    {
        snprintf(err, errsize, "MPI_Init failed");
        return -1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    started = 1;
    return 0;
}

int
neft_mpi_rank(void)
{
    return rank;
}

int
neft_mpi_size(void)
{
    return size;
}

void
neft_mpi_finish(void)
{
    /* rank and size keep their values: the caller may still need to know
       whether it was rank 0 (to commit its --output) */
    if (started)
        MPI_Finalize();
    started = 0;
}

/* Waits for the requests without spinning: an MPI implementation's blocking
   wait polls at full speed, which would take a core from the workers while
   the slowest process reaches the same tick. */
static int
wait_idle(MPI_Request * req, int n, long nanoseconds)
{
    int flag = 0;
    while (!flag)
    {
        struct timespec ts = {0, nanoseconds};
        if (MPI_Testall(n, req, &flag, MPI_STATUSES_IGNORE) != MPI_SUCCESS)
            return -1;
        if (!flag)
            nanosleep(&ts, NULL);
    }
    return 0;
}

int
neft_mpi_broadcast(void * buf, size_t n)
{
    MPI_Request req;
    if (!started || size <= 1)
        return 0;
    if (n > (size_t) 0x7fffffff
        || MPI_Ibcast(buf, (int) n, MPI_BYTE, 0, MPI_COMM_WORLD, &req) != MPI_SUCCESS)
        return -1;
    return wait_idle(&req, 1, 10000000);
}

static int
tick(int * stop, int * save, slong * running, uint64_t * done)
{
    int flags[2] = {*stop, *save}, fout[2];
    unsigned long long sums[2] = {(unsigned long long) *running, (unsigned long long) *done},
                       sout[2];
    MPI_Request req[2];
    if (MPI_Iallreduce(flags, fout, 2, MPI_INT, MPI_MAX, MPI_COMM_WORLD, req) != MPI_SUCCESS
        || MPI_Iallreduce(sums, sout, 2, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD,
                          req + 1) != MPI_SUCCESS
        || wait_idle(req, 2, 1000000) != 0)
        return -1;
    *stop = fout[0];
    *save = fout[1];
    *running = (slong) sout[0];
    *done = sout[1];
    return 0;
}

/* A batch as bytes: blocks, count, hi[K], lo[K]. */
static size_t
batch_bytes(slong K)
{
    return 2 * sizeof(uint64_t) + 2 * sizeof(double) * (size_t) K;
}

static void
pack(unsigned char * p, const _neft_sample_batch_struct * bt, slong K)
{
    memcpy(p, &bt->blocks, sizeof(uint64_t));
    memcpy(p + 8, &bt->count, sizeof(uint64_t));
    memcpy(p + 16, bt->hi, sizeof(double) * (size_t) K);
    memcpy(p + 16 + sizeof(double) * (size_t) K, bt->lo, sizeof(double) * (size_t) K);
}

static void
unpack(_neft_sample_batch_struct * bt, const unsigned char * p, slong K)
{
    memcpy(&bt->blocks, p, sizeof(uint64_t));
    memcpy(&bt->count, p + 8, sizeof(uint64_t));
    memcpy(bt->hi, p + 16, sizeof(double) * (size_t) K);
    memcpy(bt->lo, p + 16 + sizeof(double) * (size_t) K, sizeof(double) * (size_t) K);
}

/* Every batch's owner sends it to rank 0, in batch order (messages from one
   sender arrive in order, and rank 0 receives in that order: no deadlock). */
static int
gather(_neft_sample_run_struct * r)
{
    const slong K = r->nsums;
    size_t nbytes = batch_bytes(K);
    unsigned char * buf = malloc(nbytes);
    int ok = 1, tail_owner = (int) (r->tail.batch % size);
    slong b;
    if (buf == NULL)
        return -1;  /* the others then wait: mpirun ends the job */
    for (b = 0; b < r->nbatches && ok; b++)
    {
        int owner = (int) (b % size);
        if (owner == 0)
            continue;
        if (rank == owner)
        {
            pthread_mutex_lock(&r->lock);
            pack(buf, r->batch + b, K);
            pthread_mutex_unlock(&r->lock);
            ok = MPI_Send(buf, (int) nbytes, MPI_BYTE, 0, (int) b, MPI_COMM_WORLD) == MPI_SUCCESS;
        }
        else if (rank == 0)
        {
            ok = MPI_Recv(buf, (int) nbytes, MPI_BYTE, owner, (int) b, MPI_COMM_WORLD,
                          MPI_STATUS_IGNORE) == MPI_SUCCESS;
            pthread_mutex_lock(&r->lock);
            unpack(r->batch + b, buf, K);
            pthread_mutex_unlock(&r->lock);
        }
    }
    if (ok && r->tail.count != 0 && tail_owner != 0 && (rank == 0 || rank == tail_owner))
    {
        /* the partial last block: done flag, then its sums */
        double * t = buf != NULL ? (double *) malloc(sizeof(double) * (size_t) (K + 1)) : NULL;
        ok = t != NULL;
        if (ok && rank == tail_owner)
        {
            pthread_mutex_lock(&r->lock);
            t[0] = r->tail.done;
            memcpy(t + 1, r->tail.sum, sizeof(double) * (size_t) K);
            pthread_mutex_unlock(&r->lock);
            ok = MPI_Send(t, (int) K + 1, MPI_DOUBLE, 0, (int) r->nbatches, MPI_COMM_WORLD)
                 == MPI_SUCCESS;
        }
        else if (ok)
        {
            ok = MPI_Recv(t, (int) K + 1, MPI_DOUBLE, tail_owner, (int) r->nbatches,
                          MPI_COMM_WORLD, MPI_STATUS_IGNORE) == MPI_SUCCESS;
            pthread_mutex_lock(&r->lock);
            r->tail.done = t[0] != 0;
            memcpy(r->tail.sum, t + 1, sizeof(double) * (size_t) K);
            pthread_mutex_unlock(&r->lock);
        }
        free(t);
    }
    free(buf);
    return ok ? 0 : -1;
}

static _neft_sample_dist_struct dist;

const _neft_sample_dist_struct *
_neft_sample_dist(void)
{
    if (!started || size <= 1)
        return NULL;
    dist.rank = rank;
    dist.size = size;
    dist.tick = tick;
    dist.gather = gather;
    return &dist;
}
