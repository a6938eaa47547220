/* The process-wide list of temporary files and staging directories not yet
 * committed or aborted, and its removal from signal handlers. */

#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "neft/file.h"
#include "file-internal.h"

#define SLOTS 64

static char * volatile pending_path[SLOTS];
static volatile sig_atomic_t pending_dir[SLOTS];
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

int
_neft_file_pending_add(const char * path, int dir)
{
    int i, slot = -1;
    char * copy = strdup(path);

    if (copy == NULL)
        return -1;
    pthread_mutex_lock(&pending_lock);
    for (i = 0; i < SLOTS && slot < 0; i++)
        if (pending_path[i] == NULL)
            slot = i;
    if (slot >= 0)
    {
        pending_dir[slot] = dir;
        __atomic_store_n(&pending_path[slot], copy, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&pending_lock);
    if (slot < 0)
        free(copy);     /* not remembered: still correct, only not cleaned on a signal */
    return slot;
}

void
_neft_file_pending_remove(int slot)
{
    char * p;

    if (slot < 0 || slot >= SLOTS)
        return;
    pthread_mutex_lock(&pending_lock);
    p = __atomic_exchange_n(&pending_path[slot], NULL, __ATOMIC_ACQ_REL);
    pthread_mutex_unlock(&pending_lock);
    free(p);
}

/* rm -rf PATH in a child process.  vfork, not fork: glibc's fork runs the
   atfork handlers, which take locks (malloc's) that the interrupted thread
   may hold; the vfork child only calls execve and _exit.  (opendir/nftw
   are not async-signal-safe.) */
static void
_remove_tree_from_handler(const char * path)
{
    pid_t pid = vfork();

    if (pid == 0)
    {
        char * const argv[] = {(char *) "rm", (char *) "-rf", (char *) "--", (char *) path, NULL};
        char * const envp[] = {NULL};
        execve("/bin/rm", argv, envp);
        _exit(127);
    }
    if (pid > 0)
        while (waitpid(pid, NULL, 0) < 0)
            ;
}

void
neft_file_remove_pending(void)
{
    int i;

    for (i = 0; i < SLOTS; i++)
    {
        char * p = __atomic_load_n(&pending_path[i], __ATOMIC_ACQUIRE);
        if (p == NULL)
            continue;
        if (pending_dir[i])
            _remove_tree_from_handler(p);
        else
            unlink(p);
    }
}

static void
_on_signal(int sig)
{
    neft_file_remove_pending();
    signal(sig, SIG_DFL);
    raise(sig);
}

void
neft_file_cleanup_on_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    size_t i;

    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
    {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler != SIG_DFL)
            continue;   /* ignored (nohup) or handled by someone else: leave it */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = _on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}
