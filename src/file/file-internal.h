/* Private to src/file. */
#ifndef NEFT_FILE_INTERNAL_H
#define NEFT_FILE_INTERNAL_H

/* The owner record of a staging directory (neft/file.h, "Owner records"). */
#define NEFT_FILE_RECORD ".neft-staging"

/* Remembers path (copied) as a pending temporary file (dir = 0) or staging
   directory (dir = 1); returns its slot, or -1 when the list is full (the
   path is then only not removed by signal handlers). */
int _neft_file_pending_add(const char * path, int dir);

/* Forgets slot (no-op for -1). */
void _neft_file_pending_remove(int slot);

/* The state of a neft_file_t that holds nothing: no stream, path, temporary
   or pending slot, not direct. */
void _neft_file_init(neft_file_t f);

/* Forgets f's pending slot, frees its path and temporary name and leaves it
   as _neft_file_init does (the stream, if any, is the caller's to close). */
void _neft_file_release(neft_file_t f);

/* Who writes a temporary: pid, start time (0: unknown), host (0: unknown). */
typedef struct
{
    long pid;
    unsigned long long start;
    unsigned int host;
}
_neft_file_owner;

/* This process. */
void _neft_file_self(_neft_file_owner * o);

/* A new name "PATH.KIND-PID-START-HOST-XXXXXX" (this process's record) not
   naming an existing file, made by calling create (which must fail with
   EEXIST on an existing name) on candidates; returns the malloc'ed name with
   create's result in *fd, or NULL. */
char * _neft_file_unique(const char * path, const char * kind,
                         int (* create)(const char * name), int * fd);

/* Writes DIR/.neft-staging with this process's record; 0 or -1 (errno). */
int _neft_file_write_record(const char * dir);

/* 1 when dir is empty or holds an entry named a or b (either may be NULL),
   0 otherwise or when it cannot be read: a previous report (a = its marker)
   or neft's staging (a = the owner record). */
int _neft_file_dir_known(const char * dir, const char * a, const char * b);

/* rm -rf path (never follows symbolic links). */
void _neft_file_remove_tree(const char * path);

/* N when path is /dev/stdout (1), /dev/stderr (2), /dev/stdin (0),
   /dev/fd/N, /proc/self/fd/N, /proc/thread-self/fd/N or /proc/PID/fd/N of
   this process; else -1. */
int _neft_file_fd_alias(const char * path);

/* 1 when path's folder is on /proc (its links are open files, not paths). */
int _neft_file_in_proc(const char * path);

/* A descriptor writing through target in place: a duplicate for an fd
   alias, the node opened for a FIFO or character device (never created nor
   truncated), a connection for a socket; -1 with errno (EINVAL for other
   kinds). */
int _neft_file_open_direct(const char * target);

#endif
