/* The one mapping of a library status (neft/status.h) to the exit status of
   `neft` (docs/commands.md, "Exit statuses"). */

#include <stdio.h>
#include "neft/status.h"
#include "cli.h"

int
neft_cli_exit_status(int status, const char * msg)
{
    switch (status)
    {
        case NEFT_SUCCESS:
            return NEFT_EXIT_OK;
        case NEFT_INTERRUPTED:
            return neft_cli_interrupted(msg);
        case NEFT_BAD_INPUT:
            if (msg != NULL)
                neft_cli_error("%s", msg);
            return NEFT_EXIT_USAGE;
        case NEFT_UNSUPPORTED:
            if (msg != NULL)
                neft_cli_error("unsupported: %s", msg);
            return NEFT_EXIT_UNSUPPORTED;
        default:        /* FAILURE, NO_CONVERGENCE: a runtime failure */
            if (msg != NULL)
                neft_cli_error("%s", msg);
            return NEFT_EXIT_FAILURE;
    }
}
