/* The `neft` command: dispatches to the subcommands. */

#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage[] =
    "usage: neft COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  diagrams [RULES] -n N -o M [--prune LIST] [--format text|json|latex|tikz]\n"
    "           [--group] [--diagrams] [--standalone] [--max-terms N]\n"
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
    "  onen --activation NAME --cw C --cb C --depth L (--k1 K | --at X --d-in D)\n"
    "       [--width n | --widths n1,..] [--format text|json] [--formulas] [--critical]\n"
    "       [--compare-samples FILE]\n"
    "      Deep MLPs in the 1/n expansion: K, chi, V, G1, v6, v8 per layer.\n"
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

static const struct
{
    const char * name;
    int (* run)(int, char **);
}
commands[] = {
    {"diagrams", neft_cli_diagrams},
    {"eval", neft_cli_eval},
    {"sample", neft_cli_sample},
    {"exact", neft_cli_exact},
    {"onen", neft_cli_onen},
    {"fit", neft_cli_fit},
    {"validate", neft_cli_validate},
};

int
main(int argc, char ** argv)
{
    size_t i;

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
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    neft_cli_error("unknown command '%s' (expected diagrams, eval, sample, exact, onen, fit or "
                   "validate; "
                   "see neft --help)", argv[1]);
    return NEFT_EXIT_USAGE;
}
