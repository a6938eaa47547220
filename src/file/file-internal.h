/* Private to src/file: the pending list. */
#ifndef NEFT_FILE_INTERNAL_H
#define NEFT_FILE_INTERNAL_H

/* Remembers path (copied) as a pending temporary file (dir = 0) or staging
   directory (dir = 1); returns its slot, or -1 when the list is full (the
   path is then only not removed by signal handlers). */
int _neft_file_pending_add(const char * path, int dir);

/* Forgets slot (no-op for -1). */
void _neft_file_pending_remove(int slot);

/* A new name "PATH.KIND-XXXXXX" not naming an existing file, made by calling
   create (which must fail with EEXIST on an existing name) on candidates;
   returns the malloc'ed name with create's result in *fd, or NULL. */
char * _neft_file_unique(const char * path, const char * kind,
                         int (* create)(const char * name), int * fd);

#endif
