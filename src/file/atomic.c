/* Output files written to a temporary file and renamed over the target. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "neft/file.h"
#include "file-internal.h"

char *
_neft_file_unique(const char * path, const char * kind, int (* create)(const char * name),
                  int * fd)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    size_t len = strlen(path) + strlen(kind) + 16;
    char * name = malloc(len);
    uint64_t x;
    struct timespec ts;
    int attempt, k, e = EEXIST;

    if (name == NULL)
        return NULL;
    clock_gettime(CLOCK_REALTIME, &ts);
    x = (uint64_t) ts.tv_nsec * 6364136223846793005u ^ ((uint64_t) getpid() << 20)
        ^ (uint64_t) (uintptr_t) name;
    for (attempt = 0; attempt < 100; attempt++)
    {
        char suffix[7];
        for (k = 0; k < 6; k++)
        {
            x = x * 6364136223846793005u + 1442695040888963407u;
            suffix[k] = digits[(x >> 33) % 36];
        }
        suffix[6] = '\0';
        snprintf(name, len, "%s.%s-%s", path, kind, suffix);
        *fd = create(name);
        if (*fd >= 0)
            return name;
        e = errno;
        if (e != EEXIST)
            break;
    }
    free(name);
    errno = e;
    return NULL;
}

static int
_create_file(const char * name)
{
    /* 0666 minus the umask, as fopen would create it */
    return open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
}

int
neft_file_open(neft_file_t f, const char * path)
{
    struct stat st;
    int fd;

    f->fp = NULL;
    f->path = f->tmp = NULL;
    f->slot = -1;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    {
        errno = EISDIR;
        return -1;
    }
    f->tmp = _neft_file_unique(path, "tmp", _create_file, &fd);
    if (f->tmp == NULL)
        return -1;
    f->path = strdup(path);
    f->fp = f->path != NULL ? fdopen(fd, "wb") : NULL;
    if (f->fp == NULL)
    {
        int e = errno;
        close(fd);
        unlink(f->tmp);
        free(f->tmp);
        free(f->path);
        f->path = f->tmp = NULL;
        errno = e;
        return -1;
    }
    f->slot = _neft_file_pending_add(f->tmp, 0);
    return 0;
}

static void
_clear(neft_file_t f)
{
    _neft_file_pending_remove(f->slot);
    free(f->path);
    free(f->tmp);
    f->fp = NULL;
    f->path = f->tmp = NULL;
    f->slot = -1;
}

int
neft_file_commit(neft_file_t f)
{
    int ok, e = 0;

    if (f->fp == NULL)
    {
        errno = EBADF;
        return -1;
    }
    ok = fflush(f->fp) == 0;
    if (!ok)
        e = errno;
    if (ok && fsync(fileno(f->fp)) != 0 && errno != EINVAL)
    {
        ok = 0;     /* EINVAL: a file system without fsync (pipes cannot occur here) */
        e = errno;
    }
    if (fclose(f->fp) != 0 && ok)
    {
        ok = 0;
        e = errno;
    }
    f->fp = NULL;
    if (ok && rename(f->tmp, f->path) != 0)
    {
        ok = 0;
        e = errno;
    }
    if (!ok)
        unlink(f->tmp);
    _clear(f);
    if (!ok)
        errno = e;
    return ok ? 0 : -1;
}

void
neft_file_abort(neft_file_t f)
{
    if (f->tmp == NULL)
        return;
    if (f->fp != NULL)
        fclose(f->fp);
    unlink(f->tmp);
    _clear(f);
}

int
neft_file_write_atomic(const char * path, const void * buf, size_t len)
{
    neft_file_t f;
    int e;

    if (neft_file_open(f, path) != 0)
        return 0;
    if (len > 0 && fwrite(buf, 1, len, f->fp) != len)
    {
        e = errno;
        neft_file_abort(f);
        errno = e;
        return 0;
    }
    return neft_file_commit(f) == 0;
}
