/* The process-wide allocation-failure handler: FLINT's, Arb's and GMP's
 * allocations go through checked functions that report a failure on stderr,
 * remove the pending temporaries and exit with status 1. */

#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gmp.h>
#include <flint/flint.h>
#include "neft/file.h"
#include "neft/memory.h"

static const char * volatile handler_name = "neft";
static atomic_int failing = 0;

/* write(2) all of s (async-signal-safe) */
static void
_put(const char * s)
{
    size_t len = strlen(s);
    while (len > 0)
    {
        ssize_t k = write(STDERR_FILENO, s, len);
        if (k <= 0)
            return;
        s += k;
        len -= (size_t) k;
    }
}

/* Exits with status 1 after the report: pending temporaries removed, and
   stdout pointed at /dev/null first, so that whatever stdio still buffers
   (FLINT's own message, partial output) is dropped even where something
   flushes at exit (valgrind runs glibc's __libc_freeres, which flushes
   stdio).  Async-signal-safe calls only. */
static FLINT_NORETURN void
_leave(void)
{
    int fd;

    neft_file_remove_pending();
    fd = open("/dev/null", O_WRONLY);
    if (fd >= 0)
        dup2(fd, STDOUT_FILENO);
    _exit(1);
}

/* Only the first caller reports; the others wait for its _exit. */
static void
_first_or_wait(void)
{
    if (atomic_exchange(&failing, 1))
        for (;;)
            pause();
}

void
neft_memory_fail(size_t bytes)
{
    char digits[32];
    int i = (int) sizeof(digits) - 1;

    _first_or_wait();
    digits[i] = '\0';
    do
    {
        digits[--i] = (char) ('0' + bytes % 10);
        bytes /= 10;
    }
    while (bytes != 0 && i > 0);
    _put(handler_name);
    _put(": out of memory (");
    _put(digits + i);
    _put(" bytes requested; see --max-memory)\n");
    _leave();
}

static FLINT_NORETURN void
_flint_abort(void)
{
    _first_or_wait();
    _put(handler_name);
    _put(": internal error: FLINT aborted\n");
    _leave();
}

/* malloc(0) may return NULL: ask for one byte so NULL always means failure */
static void *
_alloc(size_t size)
{
    void * p = malloc(size != 0 ? size : 1);
    if (p == NULL)
        neft_memory_fail(size);
    return p;
}

static void *
_calloc(size_t num, size_t size)
{
    void * p = calloc(num != 0 ? num : 1, size != 0 ? size : 1);
    if (p == NULL)
        neft_memory_fail(num > 0 && size > (size_t) -1 / num ? (size_t) -1 : num * size);
    return p;
}

static void *
_realloc(void * ptr, size_t size)
{
    void * p = realloc(ptr, size != 0 ? size : 1);
    if (p == NULL)
        neft_memory_fail(size);
    return p;
}

static void *
_gmp_realloc(void * ptr, size_t old, size_t size)
{
    (void) old;
    return _realloc(ptr, size);
}

static void
_gmp_free(void * ptr, size_t size)
{
    (void) size;
    free(ptr);
}

void
neft_memory_install(const char * name)
{
    if (name != NULL)
        handler_name = name;
    __flint_set_memory_functions(_alloc, _calloc, _realloc, free);
    mp_set_memory_functions(_alloc, _gmp_realloc, _gmp_free);
    flint_set_abort(_flint_abort);
}
