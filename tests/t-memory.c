/* The allocation-failure handler and the memory limits (neft/memory.h).
   Each failure runs in a child process (fork) that must end with exit
   status 1, exactly one line on stderr, nothing on stdout, and its pending
   temporary file removed: FLINT's allocation functions (malloc, calloc,
   realloc), GMP's, a failure in a worker thread, FLINT's abort.  The cgroup
   limit is read from fake /proc/self/cgroup and cgroup trees; the
   address-space limit is checked under setrlimit. */

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gmp.h>
#include <flint/flint.h>
#include "neft/file.h"
#include "neft/memory.h"
#include "neft-test.h"

/* the sanitizers' allocator returns NULL for an impossible size (instead
   of reporting it), as malloc does */
const char * __asan_default_options(void);
const char *
__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

#define HUGE_SIZE ((size_t) 1 << 62)

static char dir[] = "/tmp/t-memory-XXXXXX";

static void * volatile sink;

static void
fail_malloc(void)
{
    sink = flint_malloc(HUGE_SIZE);
}

static void
fail_calloc(void)
{
    sink = flint_calloc(HUGE_SIZE / 8, 8);
}

static void
fail_realloc(void)
{
    void * p = flint_malloc(16);
    sink = flint_realloc(p, HUGE_SIZE);
}

static void
fail_gmp(void)
{
    void * (* a)(size_t);
    void * (* r)(void *, size_t, size_t);
    void (* f)(void *, size_t);
    mp_get_memory_functions(&a, &r, &f);
    sink = a(HUGE_SIZE);
}

static void
fail_gmp_realloc(void)
{
    void * (* a)(size_t);
    void * (* r)(void *, size_t, size_t);
    void (* f)(void *, size_t);
    mp_get_memory_functions(&a, &r, &f);
    sink = r(a(16), 16, HUGE_SIZE);
}

static void *
_thread(void * arg)
{
    (void) arg;
    fail_malloc();
    return NULL;
}

static void
fail_thread(void)
{
    pthread_t t;
    pthread_create(&t, NULL, _thread, NULL);
    pthread_join(t, NULL);
}

static void
fail_abort(void)
{
    flint_abort();
}

/* Runs what in a child with the handler installed and a pending temporary
   file; checks status 1, one stderr line starting with expect, nothing on
   stdout, the temporary file gone and the target untouched. */
static void
child(const char * name, void (* what)(void), const char * expect)
{
    char target[256], out[256], err[256], buf[512];
    FILE * fp;
    size_t k;
    int status, fd, lines = 0;
    pid_t pid;

    snprintf(target, sizeof(target), "%s/%s", dir, name);
    snprintf(out, sizeof(out), "%s/%s.stdout", dir, name);
    snprintf(err, sizeof(err), "%s/%s.stderr", dir, name);
    fflush(stdout);
    pid = fork();
    if (pid == 0)
    {
        neft_file_t f;
        fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 2);
        neft_memory_install("t-memory");
        if (neft_file_open(f, target) != 0)
            _exit(3);
        fputs("partial output", f->fp);
        fflush(f->fp);
        printf("buffered stdout");
        what();
        _exit(4);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1, "%s: status %d, expected exit 1",
          name, status);
    fp = fopen(err, "r");
    k = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
    if (fp)
        fclose(fp);
    buf[k] = '\0';
    /* AddressSanitizer warns of the impossible size it returns NULL for:
       "==PID==WARNING: AddressSanitizer failed to allocate 0x... bytes" */
    while (!strncmp(buf, "==", 2) && strstr(buf, "WARNING: AddressSanitizer failed to allocate")
           == strchr(buf + 2, '=') + 2 && strchr(buf, '\n') != NULL)
        memmove(buf, strchr(buf, '\n') + 1, strlen(strchr(buf, '\n') + 1) + 1);
    k = strlen(buf);
    for (size_t i = 0; i < k; i++)
        lines += buf[i] == '\n';
    CHECK(lines == 1 && !strncmp(buf, expect, strlen(expect)),
          "%s: stderr '%s', expected one line starting with '%s'", name, buf, expect);
    fp = fopen(out, "r");
    k = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 1;
    if (fp)
        fclose(fp);
    buf[k] = '\0';
    CHECK(k == 0, "%s: something on stdout: '%s'", name, buf);
    unlink(out);
    unlink(err);
    {
        /* no temporary file left in dir */
        char cmd[512];
        snprintf(cmd, sizeof(cmd), "ls %s | grep -q '^%s'", dir, name);
        CHECK(system(cmd) != 0, "%s: a temporary file was left behind", name);
    }
}

static void
cgroups(void)
{
    char proc[256], root[256], p[1024];
    const char * why = "unset";
    double v;

    snprintf(proc, sizeof(proc), "%s/cgroup", dir);
    snprintf(root, sizeof(root), "%s/fs", dir);
    snprintf(p, sizeof(p), "mkdir -p %s/a/b %s/memory/x", root, root);
    CHECK(system(p) == 0, "mkdir");

    neft_test_write_file(proc, "0::/a/b\n");
    CHECK(neft_memory_cgroup_limit(proc, root, &why) == -1 && why == NULL,
          "no memory.max: no limit");
    snprintf(p, sizeof(p), "%s/a/b/memory.max", root);
    neft_test_write_file(p, "max\n");
    CHECK(neft_memory_cgroup_limit(proc, root, &why) == -1, "'max' is no limit");
    neft_test_write_file(p, "1048576\n");
    v = neft_memory_cgroup_limit(proc, root, &why);
    CHECK(v == 1048576 && why && !strcmp(why, "cgroup memory.max"), "v2: %g %s", v,
          why ? why : "(null)");
    unlink(p);
    snprintf(p, sizeof(p), "%s/memory.max", root);
    neft_test_write_file(p, "2097152\n");
    v = neft_memory_cgroup_limit(proc, root, &why);
    CHECK(v == 2097152, "v2 falls back to the top of the hierarchy: %g", v);
    unlink(p);

    neft_test_write_file(proc, "9:pids:/\n4:cpu,memory:/x\n0::/\n");
    snprintf(p, sizeof(p), "%s/memory/x/memory.limit_in_bytes", root);
    neft_test_write_file(p, "9223372036854771712\n");
    CHECK(neft_memory_cgroup_limit(proc, root, &why) == -1, "v1 'unlimited' is no limit");
    neft_test_write_file(p, "2147483648\n");
    v = neft_memory_cgroup_limit(proc, root, &why);
    CHECK(v == 2147483648.0 && why && !strcmp(why, "cgroup memory.limit_in_bytes"),
          "v1: %g %s", v, why ? why : "(null)");
    snprintf(p, sizeof(p), "%s/memory.max", root);
    neft_test_write_file(p, "1073741824\n");
    v = neft_memory_cgroup_limit(proc, root, &why);
    CHECK(v == 1073741824.0 && !strcmp(why, "cgroup memory.max"), "the smaller limit: %g", v);
    neft_test_write_file(p, "garbage\n");
    CHECK(neft_memory_cgroup_limit(proc, root, &why) == 2147483648.0, "garbage is no limit");
    CHECK(neft_memory_cgroup_limit("/nonexistent/cgroup", root, &why) == -1,
          "no /proc/self/cgroup: no limit");
}

/* under an address-space limit 100 MiB above the current size */
static void
rlimit(void)
{
    pid_t pid;
    int status;

    fflush(stdout);
    pid = fork();
    if (pid == 0)
    {
        unsigned long pages = 0;
        struct rlimit rl;
        const char * why = NULL;
        double v, room = 100.0 * 1024 * 1024;
        FILE * fp = fopen("/proc/self/statm", "r");
        if (fp == NULL || fscanf(fp, "%lu", &pages) != 1)
            _exit(3);
        fclose(fp);
        if (getrlimit(RLIMIT_AS, &rl) != 0)
            _exit(3);
        rl.rlim_cur = (rlim_t) (pages * (unsigned long) sysconf(_SC_PAGESIZE) + room);
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            _exit(3);
        v = neft_memory_limit(&why);
        /* a few pages may have been mapped since statm was read */
        if (!(v > 0.9 * room && v <= room) || why == NULL || strcmp(why, "ulimit -v"))
        {
            printf("FAIL: neft_memory_limit under ulimit -v: %g (%s), expected about %g\n", v,
                   why ? why : "(null)", room);
            fflush(stdout);
            _exit(1);
        }
        _exit(0);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "rlimit child: status %d", status);
}

/* under a data limit (ulimit -d) 64 MiB above the current data size */
static void
rlimit_data(void)
{
    pid_t pid;
    int status;

    fflush(stdout);
    pid = fork();
    if (pid == 0)
    {
        unsigned long v[6];
        struct rlimit rl;
        const char * why = NULL;
        double left, room = 64.0 * 1024 * 1024;
        FILE * fp = fopen("/proc/self/statm", "r");
        if (fp == NULL || fscanf(fp, "%lu %lu %lu %lu %lu %lu", v, v + 1, v + 2, v + 3, v + 4,
                                 v + 5) != 6)
            _exit(3);
        fclose(fp);
        if (getrlimit(RLIMIT_DATA, &rl) != 0)
            _exit(3);
        rl.rlim_cur = (rlim_t) (v[5] * (unsigned long) sysconf(_SC_PAGESIZE) + room);
        if (setrlimit(RLIMIT_DATA, &rl) != 0)
            _exit(3);
        left = neft_memory_limit(&why);
        if (!(left > 0.9 * room && left <= room) || why == NULL || strcmp(why, "ulimit -d"))
        {
            printf("FAIL: neft_memory_limit under ulimit -d: %g (%s), expected about %g\n",
                   left, why ? why : "(null)", room);
            fflush(stdout);
            _exit(1);
        }
        _exit(0);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "rlimit_data child: status %d",
          status);
}

int
main(void)
{
    char cmd[64];

    if (mkdtemp(dir) == NULL)
    {
        printf("t-memory: cannot create a temporary directory\n");
        return 1;
    }
    child("malloc", fail_malloc, "t-memory: out of memory (4611686018427387904 bytes requested; "
          "see --max-memory)");
    child("calloc", fail_calloc, "t-memory: out of memory (4611686018427387904 bytes");
    child("realloc", fail_realloc, "t-memory: out of memory (4611686018427387904 bytes");
    child("gmp", fail_gmp, "t-memory: out of memory (4611686018427387904 bytes");
    child("gmp-realloc", fail_gmp_realloc, "t-memory: out of memory (4611686018427387904 bytes");
    child("thread", fail_thread, "t-memory: out of memory (4611686018427387904 bytes");
    child("abort", fail_abort, "t-memory: internal error: FLINT aborted");
    cgroups();
    rlimit();
    rlimit_data();

    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        printf("t-memory: cannot remove %s\n", dir);
    return neft_test_finish("t-memory");
}
