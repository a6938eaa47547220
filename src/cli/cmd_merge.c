/* `neft merge`: results of runs of one configuration with different seeds,
   combined into one (neft/merge.h, docs/cmd-merge.md). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/merge.h"
#include "cli.h"

static const char merge_usage[] =
    "usage: neft merge RESULT.json RESULT.json [...]\n"
    "  Combines `neft sample --format json` results of one configuration drawn\n"
    "  with different --seed (or earlier merges) into one result: models add,\n"
    "  mean = sum n_i m_i / N, stderr = sqrt(sum (n_i/N)^2 s_i^2) (docs/cmd-merge.md).\n";

int
neft_cli_merge(int argc, char ** argv)
{
    const char ** paths = malloc(sizeof(char *) * (size_t) (argc > 0 ? argc : 1));
    slong n = 0;
    int i, status;
    char err[1024];
    neft_cli_out_t held;
    FILE * out;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;

    if (paths == NULL)
    {
        neft_cli_error("out of memory");
        return NEFT_EXIT_FAILURE;
    }
    for (i = 1; (status = neft_cli_next(&seen, NULL, merge_usage, argc, argv, &i))
                == NEFT_CLI_MORE; i++)
    {
        if (argv[i][0] == '-' && argv[i][1] != '\0')
        {
            free(paths);
            return neft_cli_unknown("merge", argv[i]);
        }
        paths[n++] = argv[i];
    }
    if (status != NEFT_CLI_END)
    {
        free(paths);
        return status;
    }
    if (n < 2)
    {
        neft_cli_error("merge needs at least two results (RESULT.json RESULT.json ...)");
        free(paths);
        return NEFT_EXIT_USAGE;
    }
    held.fp = NULL;
    if ((out = neft_cli_out_open(&held)) == NULL)
    {
        free(paths);
        return NEFT_EXIT_FAILURE;
    }
    status = neft_merge_results(out, paths, n, err, sizeof(err));
    free(paths);
    if (neft_cli_out_close(&held, status == NEFT_SUCCESS) && status == NEFT_SUCCESS)
        return NEFT_EXIT_FAILURE;
    return neft_cli_exit_status(status, err);
}
