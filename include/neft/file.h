/* neft/file.h -- output files and report directories that appear whole or
 * not at all.
 *
 * A file is written to a temporary file next to its target (same directory,
 * so the final rename(2) is atomic) and renamed over the target only when it
 * is complete and synced; a report directory is built as a staging directory
 * next to it and swapped in at the end.  Until the commit the target is
 * untouched: an interrupted or failed run leaves the previous version (or
 * nothing) behind, never a half-written one.
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
    char * path;        /* the target */
    char * tmp;         /* the temporary file (or staging directory) */
    int slot;           /* index in the pending list, or -1 */
}
neft_file_struct;

typedef neft_file_struct neft_file_t[1];

/* Opens a new temporary file "PATH.tmp-XXXXXX" next to path for writing
   (mode 0666 minus the umask, like fopen).  Returns 0, or -1 with errno set
   (EISDIR when path is a directory); nothing is created on failure. */
int neft_file_open(neft_file_t f, const char * path);

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
   "PATH.tmp-XXXXXX" next to path (whose name is then f->tmp; write into it).
   It refuses (-1, errno EEXIST) when path exists and is neither a directory
   holding a file named marker (a previous report) nor an empty directory,
   and ENOTDIR when path is not a directory, so that a user's directory is
   never replaced. */
int neft_file_dir_open(neft_file_t f, const char * path, const char * marker);

/* Swaps the staging directory in: the previous directory (if any) is moved
   aside, the staging directory renamed to path, and the previous one removed
   with its contents.  Returns 0, or -1 with errno set, in which case the
   staging directory is removed and path is unchanged. */
int neft_file_dir_commit(neft_file_t f);

/* Removes the staging directory with its contents; path is unchanged. */
void neft_file_dir_abort(neft_file_t f);

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
