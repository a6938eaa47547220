/* The names of the statuses of neft/status.h. */

#include "neft/status.h"

const char *
neft_status_name(int status)
{
    static const char * const names[NEFT_STATUS_COUNT] = {
        "success", "failure", "bad input", "unsupported", "interrupted", "no convergence"
    };
    return (status >= 0 && status < NEFT_STATUS_COUNT) ? names[status] : "unknown status";
}

int
neft_status_has_value(int status)
{
    return status == NEFT_SUCCESS || status == NEFT_NO_CONVERGENCE;
}

/* The rank of a status in neft_status_worst's order (unknown values rank as
   failures). */
static int
_rank(int status)
{
    switch (status)
    {
        case NEFT_SUCCESS: return 0;
        case NEFT_NO_CONVERGENCE: return 1;
        case NEFT_BAD_INPUT: return 3;
        case NEFT_UNSUPPORTED: return 4;
        case NEFT_INTERRUPTED: return 5;
        default: return 2;
    }
}

int
neft_status_worst(int a, int b)
{
    return _rank(b) > _rank(a) ? b : a;
}
