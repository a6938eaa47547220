/* The process-wide stop request (neft/interrupt.h). */

#include <stdatomic.h>
#include "neft/interrupt.h"

/* -1: no request; otherwise the signal (0 for a request that is not one).
   Lock-free atomic int, so async-signal-safe. */
static atomic_int request = -1;

void
neft_interrupt_request(int sig)
{
    int none = -1;

    atomic_compare_exchange_strong(&request, &none, sig > 0 ? sig : 0);
}

int
neft_interrupted(void)
{
    return atomic_load_explicit(&request, memory_order_relaxed) >= 0;
}

int
neft_interrupt_signal(void)
{
    return atomic_load(&request);
}

void
neft_interrupt_clear(void)
{
    atomic_store(&request, -1);
}
