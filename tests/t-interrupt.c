/* The process-wide stop request (neft/interrupt.h): unset at start, the first
   request wins, a signal handler's request is seen by other threads, clear
   forgets it. */

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "neft/interrupt.h"
#include "neft-test.h"

static void
on_signal(int sig)
{
    neft_interrupt_request(sig);
}

/* Spins until the request is seen (the test's timeout catches a miss). */
static void *
waiter(void * arg)
{
    (void) arg;
    while (!neft_interrupted())
        ;
    return NULL;
}

int
main(void)
{
    struct sigaction sa;
    pthread_t t;

    CHECK(!neft_interrupted(), "a fresh process is not interrupted");
    CHECK(neft_interrupt_signal() == -1, "no signal recorded: %d", neft_interrupt_signal());

    neft_interrupt_request(0);
    CHECK(neft_interrupted(), "a request is seen");
    CHECK(neft_interrupt_signal() == 0, "a non-signal request records 0: %d", neft_interrupt_signal());
    neft_interrupt_request(SIGTERM);
    CHECK(neft_interrupt_signal() == 0, "the first request wins: %d", neft_interrupt_signal());
    neft_interrupt_clear();
    CHECK(!neft_interrupted() && neft_interrupt_signal() == -1, "clear forgets the request");

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    pthread_create(&t, NULL, waiter, NULL);
    raise(SIGUSR1);
    pthread_join(t, NULL);
    CHECK(neft_interrupt_signal() == SIGUSR1, "the handler's signal is recorded: %d",
          neft_interrupt_signal());

    return neft_test_finish("t-interrupt");
}
