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
