/* neft/mpi.h without MPI: a job of one process (built when meson finds no MPI). */

#include <stdio.h>
#include <stdlib.h>
#include "neft/mpi.h"
#include "run.h"

int
neft_mpi_available(void)
{
    return 0;
}

int
neft_mpi_start(int * argc, char *** argv, char * err, size_t errsize)
{
    (void) argc;
    (void) argv;
    if (neft_mpi_launched() > 1)
    {
        snprintf(err, errsize, "started as one of %d MPI processes, but this neft was built "
                 "without MPI (each process would do the whole work); rebuild with MPI "
                 "(docs/cluster.md) or run one process", neft_mpi_launched());
        return -1;
    }
    return 0;
}

int
neft_mpi_rank(void)
{
    return 0;
}

int
neft_mpi_size(void)
{
    return 1;
}

int
neft_mpi_broadcast(void * buf, size_t n)
{
    (void) buf;
    (void) n;
    return 0;
}

void
neft_mpi_finish(void)
{
}

const _neft_sample_dist_struct *
_neft_sample_dist(void)
{
    return NULL;
}
