/* neft/status.h -- one status vocabulary for every module.
 *
 * Every library function that can fail for more than one reason returns one
 * of these (a module's own names, such as NEFT_EXACT_BAD_INPUT, are aliases
 * of them).  Predicates keep returning 1 (true) and 0 (false).  The command
 * line maps a status to an exit status in one place (src/cli/status.c,
 * docs/commands.md): 0, 1, 2, 3, and 130/129 after a signal. */
#ifndef NEFT_STATUS_H
#define NEFT_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

#define NEFT_SUCCESS        0
#define NEFT_FAILURE        1   /* runtime failure: memory, I/O, threads, a value
                                   that could not be certified (a non-finite ball) */
#define NEFT_BAD_INPUT      2   /* the request is malformed or out of range */
#define NEFT_UNSUPPORTED    3   /* well formed, but not implemented for this input:
                                   nothing computed, the reason names what is missing */
#define NEFT_INTERRUPTED    4   /* a stop request (neft/interrupt.h) */
#define NEFT_NO_CONVERGENCE 5   /* finite, but not as accurate as asked */
#define NEFT_STATUS_COUNT   6

/* "success", "failure", "bad input", "unsupported", "interrupted",
   "no convergence"; "unknown status" for any other value. */
const char * neft_status_name(int status);

/* 1 when a result with this status holds a value: SUCCESS, or
   NO_CONVERGENCE (a finite ball, wider than asked); 0 otherwise. */
int neft_status_has_value(int status);

/* The status of a computation made of parts whose statuses are a and b: the
   more serious one, in the order SUCCESS < NO_CONVERGENCE < FAILURE <
   BAD_INPUT < UNSUPPORTED < INTERRUPTED (a stop request outranks
   everything; a part refused outranks one that did not converge).  Not the
   numeric order of the values. */
int neft_status_worst(int a, int b);

#ifdef __cplusplus
}
#endif

#endif
