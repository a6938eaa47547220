/* The `neft` command: dispatches to the subcommands. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "neft/file.h"
#include "neft/memory.h"
#include "neft/mpi.h"
#include "neft/interrupt.h"
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
    "      jackknife standard errors.  Under `mpirun -np P` the processes share\n"
    "      the run, bit-identical to one process (docs/cluster.md).\n"
    "\n"
    "  merge RESULT.json RESULT.json [...]\n"
    "      Results of one configuration with different --seed combined into one\n"
    "      (docs/cmd-merge.md).\n"
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
    "  posterior --data FILE --at \"x1;..\" --activation NAME --cw C --cb C --depth L\n"
    "            [--noise S2]\n"
    "      The NNGP posterior mean and covariance at the test inputs, as balls\n"
    "      (docs/cmd-posterior.md).\n"
    "\n"
    "  train --data FILE --at \"x1;..\" --activation NAME --cw C --cb C --depth L\n"
    "        --eta E (--steps T | --time T) [--lambda-b A --lambda-w B]\n"
    "      Gradient descent at infinite width (frozen NTK): mean and covariance\n"
    "      of the trained outputs, as balls (docs/cmd-train.md).\n"
    "\n"
    "  validate [--quick] [--activation A] [--widths ..] [--cutoffs ..] [--out DIR] ..\n"
    "      The paper's experiment end to end: sample, exact, fit, running,\n"
    "      6-point prediction; a report folder with figures (docs/cmd-validate.md).\n"
    "      Under `mpirun -np P` the processes share each width's sampling.\n"
    "\n"
    "  action DATA.json [--order 1|2] [--format text|json|latex]\n"
    "      The couplings of the effective action S[f] on the inputs, order by\n"
    "      order in 1/N, from connected correlators (docs/cmd-action.md).\n"
    "\n"
    "  beta [RULES] --kernel K --at \"x1;..\" [--cutoff L[,L..]] [--order K]\n"
    "      The beta functions of the couplings from dG/dlog(cutoff) = 0,\n"
    "      symbolic and per kernel (docs/cmd-beta.md).\n"
    "\n"
    "  Every command takes --output FILE: what it prints goes to FILE, which is\n"
    "  replaced only when the command succeeds (written to a temporary file and\n"
    "  renamed), so a failed or interrupted run never leaves a partial FILE.  A\n"
    "  symbolic link is followed (its target replaced); a FIFO or a device such\n"
    "  as /dev/stdout or /dev/null is written through in place.\n"
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
    {"merge", neft_cli_merge},
    {"exact", neft_cli_exact},
    {"onen", neft_cli_onen},
    {"fit", neft_cli_fit},
    {"validate", neft_cli_validate},
    {"action", neft_cli_action},
    {"beta", neft_cli_beta},
    {"posterior", neft_cli_posterior},
    {"train", neft_cli_train},
};

/* Says on stderr what the file module cleaned up (leftovers of dead runs). */
static void
_notice(void * arg, const char * msg)
{
    (void) arg;
    neft_cli_error("%s", msg);
}

/* SIGINT, SIGTERM, SIGHUP: the first asks the running computation to stop
   (neft/interrupt.h; the command then exits with neft_cli_interrupt_status()
   after removing its temporaries and keeping its checkpoints); a second one
   while stopping removes the pending temporary files and staging folders and
   kills the process with that signal at once. */
static void
_on_signal(int sig)
{
    if (neft_interrupted())
    {
        neft_file_remove_pending();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    neft_interrupt_request(sig);
}

static void
_catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    size_t i;

    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
    {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue;   /* ignored (nohup): leave it ignored */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = _on_signal;
        sa.sa_flags = SA_RESTART;
        sigfillset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

/* A command that returns after a stop request exits with the status of the
   signal; one that completed anyway is reported as interrupted too (its
   --output is not committed). */
static int
_stopped(int rc)
{
    if (!neft_interrupted())
        return rc;
    if (rc == NEFT_EXIT_OK)
        return neft_cli_interrupted(NULL);
    return neft_cli_interrupt_status();
}

/* Runs a subcommand; with --output FILE (removed from argv here) its stdout
   goes to a temporary file that replaces FILE (a symbolic link's target)
   only when it succeeds, or straight into FILE when that is a FIFO, a
   character device or a socket (/dev/stdout, /dev/null: not atomic). */
static int
_run(int (* run)(int, char **), int argc, char ** argv)
{
    const char * output = NULL;
    neft_file_t of;
    int i, j, rc, saved, kind;

    neft_file_set_notice(_notice, NULL);
    for (i = j = 1; i < argc; i++)
    {
        int is_output = !strcmp(argv[i], "--output") || !strncmp(argv[i], "--output=", 9);
        if (is_output && output != NULL)
        {
            neft_cli_error("option --output is given twice (give each option once)");
            return NEFT_EXIT_USAGE;
        }
        if (!strcmp(argv[i], "--output"))
        {
            if (i + 1 >= argc)
            {
                neft_cli_error("--output needs a value (a file name)");
                return NEFT_EXIT_USAGE;
            }
            output = argv[++i];
        }
        else if (is_output)
            output = argv[i] + 9;
        else
            argv[j++] = argv[i];
    }
    argv[j] = NULL;
    argc = j;
    if (output == NULL)
        return _stopped(run(argc, argv));
    if (output[0] == '\0' || !strcmp(output, "-"))
    {
        neft_cli_error("--output expects a file name, got '%s'", output);
        return NEFT_EXIT_USAGE;
    }

    if (neft_file_open_output(of, output) != 0)
    {
        if (errno == EINVAL && (kind = neft_file_kind(output)) > NEFT_FILE_DIRECTORY)
            neft_cli_error("%s: is %s; --output writes to a regular file (replaced), a FIFO, "
                           "a character device or a socket", output, neft_file_kind_name(kind));
        else
        {
            int e = errno;
            neft_cli_error("%s: cannot write: %s", output, strerror(e));
            if (neft_file_errno_is_resource(e))
                return NEFT_EXIT_FAILURE;   /* a full disk is no fault of the input */
        }
        return NEFT_EXIT_USAGE;
    }
    neft_cli_set_output_name(output);
    fflush(stdout);
    saved = dup(STDOUT_FILENO);
    if (saved < 0 || dup2(fileno(of->fp), STDOUT_FILENO) < 0)
    {
        neft_cli_error("%s: cannot redirect the output: %s", output, strerror(errno));
        neft_file_abort(of);
        return NEFT_EXIT_FAILURE;
    }
    rc = _stopped(run(argc, argv));
    if (fflush(stdout) != 0 && rc == NEFT_EXIT_OK)
    {
        neft_cli_write_error(errno);
        rc = NEFT_EXIT_FAILURE;
    }
    dup2(saved, STDOUT_FILENO);
    close(saved);
    /* under MPI the result is rank 0's: the others' (empty) outputs are not
       committed over it */
    if (rc != NEFT_EXIT_OK || neft_mpi_rank() != 0)
        neft_file_abort(of);
    else if (neft_file_commit(of) != 0)
    {
        neft_cli_write_error(errno);
        rc = NEFT_EXIT_FAILURE;
    }
    neft_cli_set_output_name(NULL);
    return rc;
}

int
main(int argc, char ** argv)
{
    size_t i;

    neft_memory_install("neft");    /* allocation failures: one line, exit 1 */
    /* SIGINT/TERM/HUP stop the computation; temporary files and staging
       directories go away */
    _catch_signals();
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
    neft_cli_error("unknown command '%s' (expected diagrams, eval, sample, exact, onen, fit, "
                   "action, beta, merge, posterior, train or "
                   "validate; "
                   "see neft --help)", argv[1]);
    return NEFT_EXIT_USAGE;
}
