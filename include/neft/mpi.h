/* neft/mpi.h -- running one computation on the processes of an MPI job.
 *
 * neft is built with MPI when meson finds it (`dependency('mpi')`, Open MPI on
 * Debian: libopenmpi-dev); without it these functions exist too and describe
 * a job of one process.  A program that wants `mpirun -np P` to share its
 * work calls neft_mpi_start first: afterwards neft_sample_run splits its
 * batches over the processes and gives every process the same status, rank 0
 * the result (docs/cluster.md).  Only the calling thread uses MPI. */
#ifndef NEFT_MPI_H
#define NEFT_MPI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when this neft was built with MPI. */
int neft_mpi_available(void);

/* The number of processes of the job when the environment says an MPI
   launcher (mpirun, mpiexec, srun with PMI/PMIx) started this process (1
   when it does not say how many), else 0.  Needs no MPI. */
int neft_mpi_launched(void);

/* Starts MPI when the process was launched by an MPI launcher; nothing
   otherwise (a job of one process).  Returns 0, or -1 with one line in err:
   MPI failed to start, or several processes were launched and this neft has
   no MPI (each would do the whole work). */
int neft_mpi_start(int * argc, char *** argv, char * err, size_t errsize);

/* This process's rank and the number of processes (0 and 1 before
   neft_mpi_start or without MPI; after neft_mpi_finish, still those of the
   job that ended). */
int neft_mpi_rank(void);
int neft_mpi_size(void);

/* Rank 0's n bytes of buf into buf on every process (collective: every
   process calls it with the same n).  Waits without spinning (10 ms sleeps),
   so that a process waiting here for rank 0 takes no core from it.  Returns
   0, or -1 when the communication failed; nothing and 0 in a job of one
   process. */
int neft_mpi_broadcast(void * buf, size_t n);

/* Ends MPI when neft_mpi_start started it (collective: every process calls
   it).  Harmless otherwise. */
void neft_mpi_finish(void);

#ifdef __cplusplus
}
#endif

#endif
