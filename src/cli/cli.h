/* Private to the `neft` command: argument helpers and the subcommands.  The
   CLI parses and prints; every computation is a library call. */
#ifndef NEFT_CLI_H
#define NEFT_CLI_H

#include <stdio.h>
#include <flint/flint.h>
#include "neft/net.h"

/* Exit statuses (docs/commands.md): 0 success, 1 runtime failure, 2 bad
   input or refused, 3 well formed but not implemented for this input. */
#define NEFT_EXIT_OK 0
#define NEFT_EXIT_FAILURE 1
#define NEFT_EXIT_USAGE 2
#define NEFT_EXIT_UNSUPPORTED 3

/* Exit statuses after a stop request (neft/interrupt.h) by a signal:
   SIGHUP 129, SIGINT and SIGTERM (and a request that is not a signal) 130. */
#define NEFT_EXIT_INTERRUPTED 130
#define NEFT_EXIT_HANGUP 129

/* The exit status of a stopped run (above). */
int neft_cli_interrupt_status(void);

/* Prints the one line of a stopped run, "neft: interrupted (SIGINT)" followed
   by what the library said after its leading "interrupted" (why: a library
   message such as "interrupted after 3 of 10 models; state saved in F", or
   NULL), and returns neft_cli_interrupt_status().  Only the first call of a
   run prints. */
int neft_cli_interrupted(const char * why);

/* The exit status of a library status (neft/status.h), the one mapping of
   the command line (src/cli/status.c), after printing msg (when not NULL)
   as one line: SUCCESS 0, nothing printed; BAD_INPUT 2, "neft: MSG";
   UNSUPPORTED 3, "neft: unsupported: MSG" (msg names what is not
   implemented and for what input); FAILURE and NO_CONVERGENCE 1, "neft:
   MSG"; INTERRUPTED: neft_cli_interrupted(msg) (129 or 130).  Any other
   value is a runtime failure. */
/* The options of the net shared by onen, posterior and train
   (src/cli/netopt.c): the texts of --activation, --slope, --cw, --cb and
   --depth (1..100000; -1 when not given). */
typedef struct
{
    const char * act, * slope, * cw, * cb;
    slong depth;
}
neft_cli_netopt_t;
void neft_cli_netopt_init(neft_cli_netopt_t * n);
/* 1 when option o (value v) is one of them, stored (*bad set, with the
   message, when --depth's value is refused); 0 otherwise. */
int neft_cli_netopt(neft_cli_netopt_t * n, const char * o, const char * v, int * bad);
/* The activation (required) and --slope into net: 0, or -1 with the
   message printed. */
int neft_cli_netopt_activation(neft_net_t net, const neft_cli_netopt_t * n);
/* C_W > 0, C_b >= 0 and the depth (all given: the caller checked) into the
   net: 0, or -1 with the message printed. */
int neft_cli_netopt_hyper(neft_net_t net, const neft_cli_netopt_t * n);

/* A progress bar with a rate and an ETA on stderr (src/cli/meter.c): drawn
   only when on (stderr a terminal), at most five times a second; a new unit
   name or a count that goes back restarts its clock.  clear erases it before
   a line is printed. */
typedef struct
{
    int on, shown;
    double start, last, done;
    char what[32];
}
neft_cli_meter_t;
void neft_cli_meter_init(neft_cli_meter_t * m, int on);
void neft_cli_meter_draw(neft_cli_meter_t * m, const char * what, double done, double total);
void neft_cli_meter_clear(neft_cli_meter_t * m);

int neft_cli_exit_status(int status, const char * msg);

/* Prints "neft: MESSAGE" to stderr (one line).  After a stop request it
   prints neft_cli_interrupted(NULL)'s line instead (once): whatever failed
   then failed because the computation was stopped. */
void neft_cli_error(const char * fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* "--format text|json": *json = 0 or 1 and 0; else prints "unknown format
   'V' (expected text or json)" and returns -1. */
int neft_cli_parse_format(int * json, const char * v);

/* Parses a whole decimal integer in [lo, hi]; on failure prints an error
   naming the option and returns -1. */
int neft_cli_parse_slong(slong * out, const char * text, const char * option,
                         slong lo, slong hi);

/* The options one command's parser has seen, so that an option given twice
   (--width 5 --width 20) is refused rather than silently resolved.  Every
   parse loop calls neft_cli_once(&seen, argv[i]) first for the argument at
   an option position (values are skipped by neft_cli_value). */
#define NEFT_CLI_MAX_OPTIONS 64
typedef struct
{
    const char * arg[NEFT_CLI_MAX_OPTIONS];
    int n;
}
neft_cli_seen_t;
#define NEFT_CLI_SEEN_INIT {{NULL}, 0}

/* Records arg when it is an option ("-x", "--opt", "--opt=value"; -n and
   --points, -o and --order, -h and --help are one option each); returns 0,
   or -1 after printing "option --width is given twice" when it was seen
   already.  Operands (not starting with '-', or "-") are not recorded. */
int neft_cli_once(neft_cli_seen_t * seen, const char * arg);

/* A copy of s (flint_malloc: never NULL, free with flint_free). */
char * neft_cli_strdup(const char * s);

/* Value of option argv[*i] (either "--opt=value" handled by the caller, or the
   next argument); prints an error and returns NULL when missing. */
const char * neft_cli_value(int argc, char ** argv, int * i);

/* Parses a finite decimal number; on failure prints an error, returns -1. */
int neft_cli_parse_double(double * out, const char * text, const char * option);

/* Points "x1;x2;.." with "," between the d_in coordinates of one point: the
   values and the decimal text of each coordinate (for exact decimal input). */
#define NEFT_CLI_MAX_POINTS 100000
typedef struct
{
    slong npoints;
    double * x;      /* npoints * d_in */
    char ** text;
}
neft_cli_points_t;

/* Returns 0, or -1 after printing an error naming the option. */
int neft_cli_parse_points(neft_cli_points_t * pts, const char * text, slong d_in,
                          const char * option);
void neft_cli_points_clear(neft_cli_points_t * pts, slong coords);

/* "2,4,6" -> bits 2, 4, 6 of mask; -1 after an error. */
int neft_cli_parse_npt(unsigned * mask, const char * text, const char * option);

/* ---- resource limits (--max-work, --max-memory; docs/commands.md) ---- */

/* The budget of one run: operations (about one double multiply-add each;
   every library estimate says what it counts) and bytes. */
typedef struct
{
    double max_work;
    double max_memory;
    const char * memory_why;    /* the kernel limit behind the default, or NULL */
}
neft_cli_budget_t;

/* Default --max-work of every command: about one hour on one core of the
   reference machine.  The measured rates of the commands (operations per
   second, docs/commands.md) all lie between 0.5e9 and 3e9, within the
   accuracy of the estimates, so one default serves them all. */
#define NEFT_CLI_WORK_DEFAULT 4e12
/* The --max-memory default: half the physical memory, at most this, and
   at most what the kernel's limits leave (neft_memory_limit: ulimit -v less
   what is mapped already, the cgroup's memory limit). */
#define NEFT_CLI_MEMORY_CAP (64.0 * 1024 * 1024 * 1024)

/* Sets the defaults: max_work = default_work, max_memory = half the
   physical memory (sysconf), at most NEFT_CLI_MEMORY_CAP (4 GiB when the
   system does not say), and at most neft_memory_limit() (then memory_why
   names that limit, and a refusal says so). */
void neft_cli_budget_init(neft_cli_budget_t * b, double default_work);

/* When argv[*i] is --max-work N (a positive number, "1e12" style) or
   --max-memory SIZE (a positive number of bytes with an optional k, M, G or
   T suffix, powers of 1024), stores its value, advances *i past it and
   returns 1; returns -1 after printing an error for a bad or missing value,
   0 when argv[*i] is another option. */
int neft_cli_budget_option(neft_cli_budget_t * b, int argc, char ** argv, int * i);

/* The step of a command's option loop, from the argument argv[*i] at an
   option position on: refuses an option given twice (neft_cli_once), prints
   USAGE as it is on stdout for --help or -h, and takes --max-work and
   --max-memory with their value into BUDGET unless BUDGET is NULL, going on
   to the next argument.  Returns NEFT_CLI_MORE with *i at the first argument
   the command is to look at itself, NEFT_CLI_END when none is left, or the
   exit status to return now: NEFT_EXIT_OK after --help, NEFT_EXIT_USAGE after
   one line on stderr.  The loop:
       for (i = 1; (s = neft_cli_next(&seen, &budget, usage, argc, argv, &i))
                   == NEFT_CLI_MORE; i++) { ...argv[i]... }
       if (s != NEFT_CLI_END) return s; */
#define NEFT_CLI_MORE (-1)
#define NEFT_CLI_END (-2)
int neft_cli_next(neft_cli_seen_t * seen, neft_cli_budget_t * budget,
                  const char * usage, int argc, char ** argv, int * i);

/* For a command whose every option (past neft_cli_next) takes a value: the
   value of option argv[*i] (neft_cli_value), or NULL after one line on
   stderr when argv[*i] is an operand ("unexpected argument 'X' for COMMAND")
   or the value is missing. */
const char * neft_cli_option_value(const char * command, int argc, char ** argv, int * i);

/* --activation NAME: *name = v when v names a row of the activation table;
   else -1 after one line on stderr naming the rows. */
int neft_cli_parse_activation(const char ** name, const char * v);

/* Refuses the option A that COMMAND does not know: one line on stderr
   ("unknown option 'A' for COMMAND (see neft COMMAND --help)"); returns
   NEFT_EXIT_USAGE. */
int neft_cli_unknown(const char * command, const char * a);

/* The tail of a command's option loop, for an argument A that no option
   took: an unknown option ("-x", not "-") is refused (neft_cli_unknown);
   otherwise A fills the first of *FIRST and (when SECOND is not NULL)
   *SECOND that is still NULL, or is refused as one operand too many, the
   error line ending in "(EXPECTED)".  Returns 0, or NEFT_EXIT_USAGE after
   one line on stderr. */
int neft_cli_operand(const char * command, const char * a, const char ** first,
                     const char ** second, const char * expected);

/* Parsers behind neft_cli_budget_option: 0, or -1 after an error naming
   the option. */
int neft_cli_parse_work(double * out, const char * text, const char * option);
int neft_cli_parse_size(double * out, const char * text, const char * option);

/* Checks an estimate against the budget: 0 when ops <= max_work and
   bytes <= max_memory; otherwise prints one line saying what the run needs
   (with how_ops / how_bytes, the way the estimate was counted, when not
   NULL), the budget, and the option value that would let it run, and
   returns -1 (the caller exits with NEFT_EXIT_USAGE, nothing on stdout). */
int neft_cli_budget_check(const neft_cli_budget_t * b, double ops, const char * how_ops,
                          double bytes, const char * how_bytes);

/* GMP's limit on one integer (2^31 - 1 limbs, about 1.37e11 bits on 64-bit
   machines): beyond it GMP aborts the process ("overflow in mpz type"). */
#define NEFT_CLI_GMP_MAX_BITS (2147483647.0 * 64)

/* Checks an estimate of the largest exact number of a run (bits) against
   NEFT_CLI_GMP_MAX_BITS, whatever the budget: 0, or one line naming the
   estimate, `how` (what makes the numbers grow and which options to lower)
   and the limit, and -1 (the caller exits with NEFT_EXIT_USAGE). */
int neft_cli_bits_check(double bits, const char * how);

/* A byte count as "512", "1.5k", "745M", "1.46G", "2T" (powers of 1024);
   rounded up when up != 0 (a value --max-memory accepts and that is not
   below bytes). */
void neft_cli_format_size(char * buf, size_t size, double bytes, int up);

/* ---- output held back until the run succeeded ---- */

/* A command that prints as it goes writes into memory (open_memstream) and
   copies to stdout only at the end, so a failure or refusal half-way leaves
   nothing on stdout. */
typedef struct
{
    FILE * fp;
    char * buf;
    size_t len;
}
neft_cli_out_t;

/* Returns the stream to write to, or NULL after printing an error. */
FILE * neft_cli_out_open(neft_cli_out_t * o);

/* Copies the held output to stdout when ok (and flushes it), discards it
   otherwise, and frees it.  Returns 0, or -1 after neft_cli_write_error (a
   write error on stdout). */
int neft_cli_out_close(neft_cli_out_t * o, int ok);

/* The name stdout is written to for messages: --output's FILE (set by the
   dispatcher), NULL for "standard output". */
void neft_cli_set_output_name(const char * name);

/* Prints "neft: NAME: cannot write: strerror(e)" for a write error on
   stdout, NAME as set by neft_cli_set_output_name. */
void neft_cli_write_error(int e);

int neft_cli_diagrams(int argc, char ** argv);
int neft_cli_onen(int argc, char ** argv);
int neft_cli_posterior(int argc, char ** argv);
int neft_cli_train(int argc, char ** argv);
/* The one driver of `neft posterior` (train = 0) and `neft train` (1). */
int neft_cli_learn(int argc, char ** argv, int train);
int neft_cli_sample(int argc, char ** argv);
int neft_cli_merge(int argc, char ** argv);
int neft_cli_exact(int argc, char ** argv);
/* Reads RULES (NULL: the built-in single-layer theory; with defaults set,
   n = 6 and order = 1 unless given), applies --prune (NULL: the file's
   rules) and generates the expansion into ex.  On failure prints one line
   and returns NEFT_EXIT_USAGE; command names the subcommand in messages. */
#include "neft/expand.h"
int neft_cli_load_expansion(neft_expansion_t ex, const char * rules, slong n, slong order,
                            int defaults, const char * prune_text, slong max_terms,
                            const char * command);
/* The first half of neft_cli_load_expansion: the theory (th initialised by
   the caller), *n and *order (defaults as above) and the pruning rules.
   NEFT_EXIT_OK, or NEFT_EXIT_USAGE after one line on stderr. */
int neft_cli_load_theory(neft_theory_t th, unsigned * prune, slong * n, slong * order,
                         const char * rules, int defaults, const char * prune_text,
                         const char * command);

int neft_cli_eval(int argc, char ** argv);
int neft_cli_fit(int argc, char ** argv);
int neft_cli_action(int argc, char ** argv);
int neft_cli_beta(int argc, char ** argv);
int neft_cli_validate(int argc, char ** argv);

/* `neft train --ensemble` (src/cli/cmd_train_ensemble.c). */
int neft_cli_train_ensemble(int argc, char ** argv);

/* `neft onen --figure` (src/cli/cmd_onen_figure.c). */
int neft_cli_onen_figure(int argc, char ** argv);

#endif
