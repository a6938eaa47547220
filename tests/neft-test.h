/* The harness of the C unit tests (tests/t-*.c): one CHECK, one failure
   counter, one summary line and exit status.  Header-only; each test
   includes it once, after its other includes. */
#ifndef NEFT_TEST_H
#define NEFT_TEST_H

#include <stdio.h>
#include <stdlib.h>

/* Checks executed and checks failed so far (this process only: a forked
   child's checks are not seen by its parent). */
static long neft_test_checks __attribute__((unused)) = 0;
static long neft_test_failures __attribute__((unused)) = 0;

/* CHECK(cond, fmt, ...): counts the check; when cond is false prints
   "FAIL file:line: <message>" on stdout, counts the failure and goes on. */
#define CHECK(cond, ...) \
    do { \
        neft_test_checks++; \
        if (!(cond)) \
        { \
            neft_test_failures++; \
            printf("FAIL %s:%d: ", __FILE__, __LINE__); \
            printf(__VA_ARGS__); \
            printf("\n"); \
            fflush(stdout); \
        } \
    } while (0)

/* FAIL(fmt, ...): a failure after which the test cannot go on: prints
   "FAIL file:line: <message>" on stderr and aborts. */
#define FAIL(...) \
    do { \
        fflush(stdout); \
        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); \
        fprintf(stderr, "\n"); \
        abort(); \
    } while (0)

/* The summary "NAME: PASS (N checks)" or "NAME: FAIL (F of N checks
   failed)" on stdout; returns the exit status for main: 0 or 1. */
static inline int
neft_test_finish(const char * name)
{
    if (neft_test_failures)
    {
        printf("%s: FAIL (%ld of %ld checks failed)\n", name, neft_test_failures,
               neft_test_checks);
        return 1;
    }
    printf("%s: PASS (%ld checks)\n", name, neft_test_checks);
    return 0;
}

/* Writes text to the file path (created or truncated); the test's own
   scratch files only. */
static inline void
neft_test_write_file(const char * path, const char * text)
{
    FILE * f = fopen(path, "wb");
    if (f == NULL)
        FAIL("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

#endif
