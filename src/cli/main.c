/* The `neft` command: dispatches to the subcommands. */

#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
    "usage: neft COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  diagrams [RULES] -n N -o M [--prune LIST] [--format text|json|latex]\n"
    "           [--group] [--max-terms N]\n"
    "      Feynman expansion of the N-point function to order M with exact\n"
    "      coefficients.  Without RULES: the built-in single-layer theory of\n"
    "      Halverson-Maiti-Stoner, N = 6, M = 1 (their eq. 3.19).\n"
    "\n"
    "  eval [RULES] -n N -o M --kernel relu|erf|gauss --d-in D [--sw S --sb B]\n"
    "       [--subtract-bias] --cutoff L|inf --set NAME=VALUE[,..] --at \"x1;..\"\n"
    "       [--all-tuples] [--prec BITS] [--format text|json]\n"
    "      The expansion evaluated with a GP kernel as propagator and every\n"
    "      vertex integrated over [-L,L]^D: the correlator and each term as\n"
    "      rigorous balls (see docs/cmd-eval.md).\n"
    "\n"
    "  sample --activation relu|erf|tanh|gauss --d-in D --width N --models M\n"
    "         --at \"x1;..;xk\" [--npt 2,4,6] [--sw S --sb B] [--depth L ...]\n"
    "         [--seed S] [--threads T] [--checkpoint FILE] [--format text|json]\n"
    "      Draw random networks, measure full and connected correlators with\n"
    "      jackknife standard errors.\n"
    "\n"
    "  exact --activation relu|erf|tanh|gauss --d-in D --width N --at \"x1;..\"\n"
    "        [--npt 2,4,6] [--sw S --sb B] [--prec BITS] [--format text|json]\n"
    "      Exact finite-width correlators of one-hidden-layer nets, as balls.\n"
    "\n"
    "  fit DATA.json [RULES] [--fit NAME,..] [--cutoff L[,L..]] [--kernel K]\n"
    "      [--npt N] [--set NAME=VALUE] [--prec BITS] [--format text|json]\n"
    "      Couplings from `neft sample`/`neft exact` correlators by weighted\n"
    "      least squares, at each cutoff, and their running (docs/eft.md).\n"
    "\n"
    "  validate [--quick] [--activation A] [--widths ..] [--cutoffs ..] [--out DIR] ..\n"
    "      The paper's experiment end to end: sample, exact, fit, running,\n"
    "      6-point prediction; a report folder with figures (docs/cmd-validate.md).\n"
    "\n"
    "  neft --help | neft --version\n"
    "See docs/commands.md.\n";

int
main(int argc, char ** argv)
{
    if (argc < 2)
    {
        fputs(usage, stderr);
        return NEFT_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
    {
        fputs(usage, stdout);
        return NEFT_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version"))
    {
        puts("neft 0.1.0");
        return NEFT_EXIT_OK;
    }
    if (!strcmp(argv[1], "diagrams"))
        return neft_cli_diagrams(argc - 1, argv + 1);
    if (!strcmp(argv[1], "eval"))
        return neft_cli_eval(argc - 1, argv + 1);
    if (!strcmp(argv[1], "validate"))
        return neft_cli_validate(argc - 1, argv + 1);
    if (!strcmp(argv[1], "fit"))
        return neft_cli_fit(argc - 1, argv + 1);
    if (!strcmp(argv[1], "sample"))
        return neft_cli_sample(argc - 1, argv + 1);
    if (!strcmp(argv[1], "exact"))
        return neft_cli_exact(argc - 1, argv + 1);
    neft_cli_error("unknown command '%s' (expected diagrams, eval, sample, exact, fit or validate; see neft --help)", argv[1]);
    return NEFT_EXIT_USAGE;
}
