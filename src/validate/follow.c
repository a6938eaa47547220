/* validate on the processes of an MPI job (neft/validate.h, docs/cluster.md):
   rank 0 sends {SAMPLE, w} before width index w's sampling and {END, status}
   when its run ends; the others sample along until the end. */

#include <stdint.h>
#include <string.h>
#include "neft/mpi.h"
#include "validate-internal.h"

enum { _END = 0, _SAMPLE = 1 };

static int
_send(int64_t kind, int64_t value)
{
    int64_t msg[2] = {kind, value};
    if (neft_mpi_size() <= 1 || neft_mpi_rank() != 0)
        return 0;
    return neft_mpi_broadcast(msg, sizeof msg);
}

int
_neft_validate_mpi_ask(slong w)
{
    return _send(_SAMPLE, w);
}

void
neft_validate_follow_end(int status)
{
    _send(_END, status);
}

int
neft_validate_follow(const neft_validate_spec_t spec, char * err, size_t errlen)
{
    char own[1024], ckpt[4096];
    err[0] = '\0';
    if (neft_mpi_size() <= 1 || neft_mpi_rank() == 0)
        return NEFT_SUCCESS;
    for (;;)
    {
        int64_t msg[2] = {_END, NEFT_FAILURE};
        neft_sample_result_t S;
        int st;
        if (neft_mpi_broadcast(msg, sizeof msg) != 0)
        {
            snprintf(err, errlen, "rank %d: MPI: lost contact with rank 0", neft_mpi_rank());
            return NEFT_FAILURE;
        }
        if (msg[0] == _END)
            return (int) msg[1];
        if (msg[1] < 0 || msg[1] >= spec->nwidths)
        {
            /* not this spec's run: rank 0 waits in the sampler, mpirun ends the job */
            snprintf(err, errlen, "rank %d: rank 0 asked for width index %lld of %ld (the "
                     "processes were started with different options)", neft_mpi_rank(),
                     (long long) msg[1], (long) spec->nwidths);
            return NEFT_FAILURE;
        }
        neft_sample_result_init(S);
        own[0] = '\0';
        st = _neft_validate_sample_rank(S, ckpt, sizeof ckpt, spec, (slong) msg[1], 1, own,
                                        sizeof own);
        neft_sample_result_clear(S);
        /* rank 0 reports bad input, stops and the others' failures; a failure
           of this process is said here (the first one) */
        if (st == NEFT_FAILURE && err[0] == '\0' && strncmp(own, "another MPI", 11) != 0
            && strncmp(own, "rank 0", 6) != 0)
            snprintf(err, errlen, "rank %d: %s", neft_mpi_rank(), own);
    }
}
