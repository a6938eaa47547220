/* `neft train`: gradient-descent training at infinite width with the frozen
   NTK (docs/cmd-train.md).  The options, the data and the output are those
   of `neft posterior` (the one driver neft_cli_learn, src/cli/cmd_posterior.c)
   with the learning rates and the time instead of the noise. */

#include <string.h>
#include "cli.h"

int
neft_cli_train(int argc, char ** argv)
{
    int i;
    /* trained finite-width ensembles and the O(1/n) trained mean
       (src/cli/cmd_train_ensemble.c) */
    for (i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--ensemble") || !strcmp(argv[i], "--order"))
            return neft_cli_train_ensemble(argc, argv);
    return neft_cli_learn(argc, argv, 1);
}
