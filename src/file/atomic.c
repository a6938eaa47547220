/* Output files written to a temporary file and renamed over the target, or
 * written through in place when they are FIFOs, devices or sockets. */

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

static int
_create_file(const char * name)
{
    /* 0666 minus the umask, as fopen would create it */
    return open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
}

void
_neft_file_init(neft_file_t f)
{
    f->fp = NULL;
    f->path = f->tmp = NULL;
    f->slot = -1;
    f->direct = 0;
}

/* A temporary file next to target (no symbolic link), which is a regular
   file or nothing; takes target. */
static int
_open_staged(neft_file_t f, char * target)
{
    struct stat st;
    int fd = -1, exists = stat(target, &st) == 0, e;

    if (exists && !S_ISREG(st.st_mode))
        e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    else if (!exists && errno != ENOENT)
        e = errno;
    else if (_neft_file_fd_alias(target) >= 0 || _neft_file_in_proc(target))
        e = EINVAL;     /* an open file, not a path to replace */
    else
    {
        neft_file_remove_orphans(target, NULL);
        f->tmp = _neft_file_unique(target, "tmp", _create_file, &fd);
        e = errno;
    }
    if (f->tmp == NULL)
    {
        free(target);
        errno = e;
        return -1;
    }
    if (exists)
    {
        /* as the file replaced: owner where allowed, then permissions */
        if (fchown(fd, st.st_uid, st.st_gid) != 0)
            errno = 0;
        fchmod(fd, st.st_mode & 0777);   /* no set-id bits on a file of ours */
    }
    f->path = target;
    f->fp = fdopen(fd, "wb");
    if (f->fp == NULL)
    {
        e = errno;
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

/* A trailing slash asks for a directory: never a file (as cp, open(2)). */
static int
_slashed(const char * path)
{
    size_t n = strlen(path);
    struct stat st;

    if (n == 0 || path[n - 1] != '/')
        return 0;
    errno = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? EISDIR : ENOTDIR;
    return 1;
}

int
neft_file_open(neft_file_t f, const char * path)
{
    char * target;

    _neft_file_init(f);
    if (_slashed(path))
        return -1;
    target = neft_file_target(path);
    return target == NULL ? -1 : _open_staged(f, target);
}

int
neft_file_open_output(neft_file_t f, const char * path)
{
    struct stat st;
    char * target;
    int fd, e;

    _neft_file_init(f);
    if (_slashed(path))
        return -1;
    target = neft_file_target(path);
    if (target == NULL)
        return -1;
    if (_neft_file_fd_alias(target) < 0 && !_neft_file_in_proc(target)
        && (stat(target, &st) != 0
            || !(S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode))))
        return _open_staged(f, target);
    fd = _neft_file_open_direct(target);
    if (fd < 0 || (f->fp = fdopen(fd, "wb")) == NULL)
    {
        e = errno;
        if (fd >= 0)
            close(fd);
        free(target);
        errno = e;
        return -1;
    }
    f->path = target;
    f->direct = 1;
    return 0;
}

void
_neft_file_release(neft_file_t f)
{
    _neft_file_pending_remove(f->slot);
    free(f->path);
    free(f->tmp);
    _neft_file_init(f);
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
    if (f->direct)
    {
        /* written through: nothing to rename (and a pipe has no fsync) */
        if (fclose(f->fp) != 0 && ok)
        {
            ok = 0;
            e = errno;
        }
        _neft_file_release(f);
        errno = e;
        return ok ? 0 : -1;
    }
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
    _neft_file_release(f);
    if (!ok)
        errno = e;
    return ok ? 0 : -1;
}

void
neft_file_abort(neft_file_t f)
{
    if (f->tmp == NULL && f->fp == NULL)
        return;
    if (f->fp != NULL)
        fclose(f->fp);
    if (f->tmp != NULL)
        unlink(f->tmp);
    _neft_file_release(f);
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
