/* Private to the `neft` command: argument helpers and the subcommands.  The
   CLI parses and prints; every computation is a library call. */
#ifndef NEFT_CLI_H
#define NEFT_CLI_H

#include <flint/flint.h>

/* Exit statuses: 0 success, 1 runtime failure, 2 bad input or refused. */
#define NEFT_EXIT_OK 0
#define NEFT_EXIT_FAILURE 1
#define NEFT_EXIT_USAGE 2

/* Prints "neft: MESSAGE" to stderr (one line). */
void neft_cli_error(const char * fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Parses a whole decimal integer in [lo, hi]; on failure prints an error
   naming the option and returns -1. */
int neft_cli_parse_slong(slong * out, const char * text, const char * option,
                         slong lo, slong hi);

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

int neft_cli_diagrams(int argc, char ** argv);
int neft_cli_onen(int argc, char ** argv);
int neft_cli_sample(int argc, char ** argv);
int neft_cli_exact(int argc, char ** argv);
/* Reads RULES (NULL: the built-in single-layer theory; with defaults set,
   n = 6 and order = 1 unless given), applies --prune (NULL: the file's
   rules) and generates the expansion into ex.  On failure prints one line
   and returns NEFT_EXIT_USAGE; command names the subcommand in messages. */
#include "neft/expand.h"
int neft_cli_load_expansion(neft_expansion_t ex, const char * rules, slong n, slong order,
                            int defaults, const char * prune_text, slong max_terms,
                            const char * command);

int neft_cli_eval(int argc, char ** argv);
int neft_cli_fit(int argc, char ** argv);
int neft_cli_validate(int argc, char ** argv);

#endif
