/* neft/interrupt.h -- a process-wide request to stop a long computation.
 *
 * A signal handler (or any thread) calls neft_interrupt_request(); the
 * library's long loops (sampling, integration, Gaussian moments, diagram
 * generation, recursions, fits) poll neft_interrupted() and return their
 * "interrupted" status, leaving the caller's outputs untouched and what
 * resumes resumable.  The flag is a C11 atomic: setting it from a signal
 * handler and reading it from worker threads is race-free.
 *
 * Polling contract: a loop polls often enough that the work between two
 * polls takes well under 0.1 s on the reference machine, so that every
 * command answers a signal within one second.  The one known exception is
 * Arb's Gauss-Legendre nodes: the first integral at a new precision computes
 * them in one call that cannot be interrupted, measured once per process at
 * 0.1 s (768 bits), 0.3 s (1024), 0.7 s (1536), 1.6 s (2048); integrands
 * poll as usual. */
#ifndef NEFT_INTERRUPT_H
#define NEFT_INTERRUPT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Asks every running computation to stop; sig (> 0) is the signal that asked,
   or 0 for a request that is not a signal.  The first request wins.
   Async-signal-safe (one atomic compare-and-swap). */
void neft_interrupt_request(int sig);

/* Nonzero when a stop was requested: cheap (one relaxed atomic load), meant
   for inner loops. */
int neft_interrupted(void);

/* The signal of the first request (0 when the request was not a signal),
   or -1 when no stop was requested. */
int neft_interrupt_signal(void);

/* Forgets the request (tests, and library users that run again). */
void neft_interrupt_clear(void);

#ifdef __cplusplus
}
#endif

#endif
