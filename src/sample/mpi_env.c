/* neft_mpi_launched (neft/mpi.h): what the environment says about an MPI
   launcher; the same with and without MPI. */

#include <stdlib.h>
#include "neft/mpi.h"

int
neft_mpi_launched(void)
{
    const char * n = getenv("OMPI_COMM_WORLD_SIZE");
    if (n == NULL)
        n = getenv("PMI_SIZE");
    if (n != NULL)
        return atoi(n) > 1 ? atoi(n) : 1;
    return getenv("PMIX_RANK") != NULL;
}
