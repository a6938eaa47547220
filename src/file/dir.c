/* Report directories built as a staging directory and swapped in whole. */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "neft/file.h"
#include "file-internal.h"

static int
_remove_one(const char * p, const struct stat * st, int flag, struct FTW * ftw)
{
    (void) st; (void) ftw;
    if (flag == FTW_DP || flag == FTW_D)
        rmdir(p);
    else
        unlink(p);
    return 0;   /* go on: remove what can be removed */
}

void
_neft_file_remove_tree(const char * path)
{
    nftw(path, _remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int
_create_dir(const char * name)
{
    /* 0777 minus the umask, as mkdir(1) would create it */
    return mkdir(name, 0777) == 0 ? 0 : -1;
}

int
_neft_file_dir_known(const char * dir, const char * a, const char * b)
{
    DIR * d = opendir(dir);
    struct dirent * e;
    int entries = 0, known = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL)
    {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        entries++;
        if ((a != NULL && !strcmp(e->d_name, a)) || (b != NULL && !strcmp(e->d_name, b)))
            known = 1;
    }
    closedir(d);
    return entries == 0 || known;
}

int
neft_file_dir_open(neft_file_t f, const char * path, const char * marker)
{
    struct stat st;
    char * target;
    int fd, e;

    _neft_file_init(f);
    /* a symbolic link is followed: its target is the report replaced */
    if ((target = neft_file_target(path)) == NULL)
        return -1;
    neft_file_remove_orphans(target, marker);
    e = 0;
    if (stat(target, &st) == 0)
    {
        if (!S_ISDIR(st.st_mode))
            e = ENOTDIR;
        else if (!_neft_file_dir_known(target, marker, NULL))
            e = EEXIST;
    }
    else if (errno != ENOENT)
        e = errno;
    if (e == 0 && (f->tmp = _neft_file_unique(target, "tmp", _create_dir, &fd)) == NULL)
        e = errno;
    if (e == 0 && _neft_file_write_record(f->tmp) != 0)
    {
        e = errno;
        _neft_file_remove_tree(f->tmp);
    }
    if (e != 0)
    {
        free(f->tmp);
        free(target);
        f->tmp = NULL;
        errno = e;
        return -1;
    }
    f->path = target;
    f->slot = _neft_file_pending_add(f->tmp, 1);
    return 0;
}

int
neft_file_dir_commit(neft_file_t f)
{
    struct stat st;
    char * old = NULL;
    int fd, e;

    if (f->tmp == NULL)
    {
        errno = EBADF;
        return -1;
    }
    {
        /* the owner record goes: the report is no longer staging */
        char * rec = malloc(strlen(f->tmp) + sizeof(NEFT_FILE_RECORD) + 1);
        if (rec != NULL)
        {
            sprintf(rec, "%s/%s", f->tmp, NEFT_FILE_RECORD);
            unlink(rec);
            free(rec);
        }
    }
#ifdef RENAME_EXCHANGE
    /* one atomic step where the kernel and file system allow it */
    if (lstat(f->path, &st) == 0 && S_ISDIR(st.st_mode)
        && renameat2(AT_FDCWD, f->tmp, AT_FDCWD, f->path, RENAME_EXCHANGE) == 0)
    {
        _neft_file_remove_tree(f->tmp);   /* now the previous report */
        _neft_file_release(f);
        return 0;
    }
#endif
    if (lstat(f->path, &st) == 0)
    {
        /* move the previous report aside (onto a new empty directory) */
        old = _neft_file_unique(f->path, "old", _create_dir, &fd);
        if (old == NULL || rename(f->path, old) != 0)
            goto fail;
    }
    if (rename(f->tmp, f->path) != 0)
    {
        e = errno;
        if (old != NULL)
            rename(old, f->path);
        errno = e;
        goto fail;
    }
    if (old != NULL)
        _neft_file_remove_tree(old);
    free(old);
    _neft_file_release(f);
    return 0;

fail:
    e = errno;
    if (old != NULL)
    {
        rmdir(old);
        free(old);
    }
    _neft_file_remove_tree(f->tmp);
    _neft_file_release(f);
    errno = e;
    return -1;
}

void
neft_file_dir_abort(neft_file_t f)
{
    if (f->tmp == NULL)
        return;
    _neft_file_remove_tree(f->tmp);
    _neft_file_release(f);
}
