/* The `neft` command: dispatches to the subcommands. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "neft/file.h"
#include "cli.h"

static const char usage[] =
    "usage: neft COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  diagrams [RULES] -n N -o M|A..B [--exact-order M] [--prune LIST] [--stream]\n"
    "           [--format text|json|latex|tikz] [--group] [--diagrams] [--standalone]\n"
    "           [--max-terms N]\n"
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
    "  Every command takes --output FILE: what it prints goes to FILE, which is\n"
    "  replaced only when the command succeeds (written to a temporary file and\n"
    "  renamed), so a failed or interrupted run never leaves a partial FILE.\n"
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

/* Runs a subcommand; with --output FILE (removed from argv here) its stdout
   goes to a temporary file that replaces FILE only when it succeeds. */
static int
_run(int (* run)(int, char **), int argc, char ** argv)
{
    const char * output = NULL;
    neft_file_t of;
    int i, j, rc, saved;

    for (i = j = 1; i < argc; i++)
    {
        if (!strcmp(argv[i], "--output"))
        {
            if (i + 1 >= argc)
            {
                neft_cli_error("--output needs a value (a file name)");
                return NEFT_EXIT_USAGE;
            }
            output = argv[++i];
        }
        else if (!strncmp(argv[i], "--output=", 9))
            output = argv[i] + 9;
        else
            argv[j++] = argv[i];
    }
    argv[j] = NULL;
    argc = j;
    if (output == NULL)
        return run(argc, argv);
    if (output[0] == '\0' || !strcmp(output, "-"))
    {
        neft_cli_error("--output expects a file name, got '%s'", output);
        return NEFT_EXIT_USAGE;
    }

    if (neft_file_open(of, output) != 0)
    {
        neft_cli_error("%s: cannot write: %s", output, strerror(errno));
        return NEFT_EXIT_USAGE;
    }
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    if (saved < 0 || dup2(fileno(of->fp), STDOUT_FILENO) < 0)
    {
        neft_cli_error("%s: cannot redirect the output: %s", output, strerror(errno));
        neft_file_abort(of);
        return NEFT_EXIT_FAILURE;
    }
    rc = run(argc, argv);
    if (fflush(stdout) != 0 && rc == NEFT_EXIT_OK)
    {
        neft_cli_error("%s: cannot write: %s", output, strerror(errno));
        rc = NEFT_EXIT_FAILURE;
    }
    dup2(saved, STDOUT_FILENO);
    close(saved);
    if (rc != NEFT_EXIT_OK)
        neft_file_abort(of);
    else if (neft_file_commit(of) != 0)
    {
        neft_cli_error("%s: cannot write: %s", output, strerror(errno));
        rc = NEFT_EXIT_FAILURE;
    }
    return rc;
}

int
main(int argc, char ** argv)
{
    size_t i;

    /* temporary files and staging directories go away on SIGINT/TERM/HUP */
    neft_file_cleanup_on_signals();
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
            return _run(commands[i].run, argc - 1, argv + 1);
    neft_cli_error("unknown command '%s' (expected diagrams, eval, sample, exact, onen, fit or "
                   "validate; "
                   "see neft --help)", argv[1]);
    return NEFT_EXIT_USAGE;
}
