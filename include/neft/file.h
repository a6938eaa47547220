/* neft/file.h -- output files and report directories that appear whole or
 * not at all, and never replace what they do not own.
 *
 * A file is written to a temporary file next to its target (same directory,
 * so the final rename(2) is atomic) and renamed over the target only when it
 * is complete and synced; a report directory is built as a staging directory
 * next to it and swapped in at the end.  Until the commit the target is
 * untouched: an interrupted or failed run leaves the previous version (or
 * nothing) behind, never a half-written one.
 *
 * Targets.  A symbolic link (or a chain of them) is followed to its final
 * target, which is what is replaced (the temporary file is made next to the
 * target, on its file system); the link stays a link; a dangling link gets
 * its target created.  Only a regular file, a directory (for report
 * directories) or a new path is ever replaced; anything else is refused
 * (EINVAL), except that neft_file_open_output writes through a FIFO, a
 * character device or a socket in place (and /dev/stdout, /dev/fd/N,
 * /proc/self/fd/N through a duplicate of that descriptor): such output
 * cannot be atomic, an interrupted run has already written part of it.
 *
 * Owner records.  Temporary names are "TARGET.tmp-PID-START-HOST-XXXXXX"
 * (and "TARGET.old-..." for a previous report moved aside): PID the writer's
 * process id, START its start time (field 22 of /proc/PID/stat, clock ticks
 * since boot), HOST 8 hex digits identifying the machine and pid namespace
 * (a hash of the boot id and of /proc/self/ns/pid), XXXXXX random.  A
 * staging directory also holds ".neft-staging" with the same record until it
 * is committed.  Opening a target first removes the temporaries of that
 * target left by a writer that is provably gone: same HOST, and no process
 * PID or one started at another time (a reused pid).  Writers on another
 * machine or in another pid namespace, live writers (also of concurrent
 * runs) and names that only look alike are never touched.  Each removal is
 * reported through the notice callback (neft_file_set_notice).
 *
 * Temporary files and staging directories not yet committed or aborted are
 * remembered in a small process-wide list; neft_file_remove_pending() removes
 * them and may be called from a signal handler (SIGINT, SIGTERM, SIGHUP). */
#ifndef NEFT_FILE_H
#define NEFT_FILE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
    FILE * fp;          /* open for writing while pending, else NULL */
    char * path;        /* the target (symbolic links followed) */
    char * tmp;         /* the temporary file (or staging directory); NULL
                           when written through in place */
    int slot;           /* index in the pending list, or -1 */
    int direct;         /* 1: fp writes through to path in place */
}
neft_file_struct;

typedef neft_file_struct neft_file_t[1];

/* What a path names once symbolic links are followed (neft_file_kind). */
#define NEFT_FILE_NONE      0   /* nothing (also a dangling link): a new file */
#define NEFT_FILE_REGULAR   1
#define NEFT_FILE_DIRECTORY 2
#define NEFT_FILE_FIFO      3
#define NEFT_FILE_CHAR      4   /* character device */
#define NEFT_FILE_SOCKET    5
#define NEFT_FILE_BLOCK     6   /* block device */
#define NEFT_FILE_OTHER     7

/* The kind of what path names, following symbolic links; -1 with errno set
   when that cannot be told (ELOOP, EACCES, ENOTDIR ...). */
int neft_file_kind(const char * path);

/* "a FIFO", "a directory", ... for messages. */
const char * neft_file_kind_name(int kind);

/* 1 when errno value e says the system ran out of something (ENOSPC, EDQUOT,
   EIO, ENOMEM, EMFILE, ENFILE: space, quota, a failing device, memory,
   descriptors) -- a runtime failure, status 1 -- and 0 when it says the
   path cannot be used as asked (missing folder, no permission, read-only,
   not a directory, ...) -- bad input, status 2. */
int neft_file_errno_is_resource(int e);

/* The final target of path: symbolic links followed one by one (a relative
   link against the link's folder) until a name that is not a link or does
   not exist.  Returns a malloc'ed path, or NULL with errno set (ELOOP after
   40 links, ENOMEM, or from readlink). */
char * neft_file_target(const char * path);

/* Opens a new temporary file "TARGET.tmp-PID-START-HOST-XXXXXX" next to the
   target of path for writing (mode: the replaced file's, else 0666 minus the
   umask), after removing the target's orphaned temporaries.  Returns 0, or
   -1 with errno set (EISDIR for a directory, EINVAL for anything else that
   is not a regular file or nothing: a FIFO, a device, a socket); nothing is
   created on failure. */
int neft_file_open(neft_file_t f, const char * path);

/* As neft_file_open, but a FIFO, a character device or a socket (also behind
   a symbolic link, and /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N)
   is opened to be written through in place (f->direct = 1): commit then only
   flushes and closes, abort only closes, and what was written stays
   written.  EINVAL for a block device or another kind. */
int neft_file_open_output(neft_file_t f, const char * path);

/* Flushes, syncs and closes the temporary file and renames it over the
   target.  Returns 0, or -1 with errno set, in which case the temporary file
   is removed and the target is unchanged.  f is cleared either way. */
int neft_file_commit(neft_file_t f);

/* Closes and removes the temporary file; the target is unchanged.  Does
   nothing on a cleared f. */
void neft_file_abort(neft_file_t f);

/* Writes len bytes of buf to path atomically (open, write, commit).
   Returns 1 on success, 0 with errno set. */
int neft_file_write_atomic(const char * path, const void * buf, size_t len);

/* Report directories: neft_file_dir_open creates an empty staging directory
   "TARGET.tmp-PID-START-HOST-XXXXXX" next to the target of path (symbolic
   links followed; f->tmp is its name: write into it; it holds the owner
   record ".neft-staging" until the commit), after removing the target's
   orphaned staging directories.  It refuses (-1, errno EEXIST) when the
   target exists and is neither a directory holding a file named marker (a
   previous report) nor an empty directory, and ENOTDIR when it is not a
   directory, so that a user's directory is never replaced. */
int neft_file_dir_open(neft_file_t f, const char * path, const char * marker);

/* Swaps the staging directory in: the previous directory (if any) is moved
   aside, the staging directory renamed to path, and the previous one removed
   with its contents.  Returns 0, or -1 with errno set, in which case the
   staging directory is removed and path is unchanged. */
int neft_file_dir_commit(neft_file_t f);

/* Removes the staging directory with its contents; path is unchanged. */
void neft_file_dir_abort(neft_file_t f);

/* Removes the temporaries of path's target ("TARGET.tmp-..." files, and
   "TARGET.tmp-..." / "TARGET.old-..." directories holding ".neft-staging",
   a file named marker (may be NULL) or nothing) whose owner record names a
   process of this machine that is gone, reporting each through the notice
   callback.  Returns how many were removed.  Called by the open functions;
   also by a resume that reads path before writing it. */
int neft_file_remove_orphans(const char * path, const char * marker);

/* Sets the callback that receives one line (no newline) per removed
   orphan, e.g. "removed out.txt.tmp-...: left by process 123, which is
   gone"; NULL (the default) for none.  Process-wide. */
void neft_file_set_notice(void (* notice)(void * arg, const char * msg), void * arg);

/* Removes every pending temporary file and staging directory.  Only
   async-signal-safe calls (unlink, and fork/execve/waitpid of /bin/rm for
   directories): meant for signal handlers that then terminate the process. */
void neft_file_remove_pending(void);

/* Installs handlers for SIGINT, SIGTERM and SIGHUP that call
   neft_file_remove_pending() and then die of the same signal (default
   action), unless a handler other than the default is already installed.
   (For programs that want a signal to end the process at once; the neft
   command instead asks the computation to stop, neft/interrupt.h, and calls
   neft_file_remove_pending() only on a second signal, src/cli/main.c.) */
void neft_file_cleanup_on_signals(void);

#ifdef __cplusplus
}
#endif

#endif
