/* What an output path names: symbolic links followed to the final target,
 * its kind, and the write-through opening of FIFOs, devices and sockets. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif
#include "neft/file.h"
#include "file-internal.h"

#define MAX_LINKS 40

/* path without trailing slashes ("/" stays), malloc'ed. */
static char *
_trim(const char * path, size_t len)
{
    char * s;
    while (len > 1 && path[len - 1] == '/')
        len--;
    s = malloc(len + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, path, len);
    s[len] = '\0';
    return s;
}

int
_neft_file_fd_alias(const char * path)
{
    static const char * const pre[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"};
    char own[64];
    const char * p = NULL;
    char * end;
    long n;
    size_t i;

    if (!strcmp(path, "/dev/stdin"))
        return 0;
    if (!strcmp(path, "/dev/stdout"))
        return 1;
    if (!strcmp(path, "/dev/stderr"))
        return 2;
    for (i = 0; i < sizeof pre / sizeof pre[0] && p == NULL; i++)
        if (!strncmp(path, pre[i], strlen(pre[i])))
            p = path + strlen(pre[i]);
    snprintf(own, sizeof own, "/proc/%ld/fd/", (long) getpid());
    if (p == NULL && !strncmp(path, own, strlen(own)))
        p = path + strlen(own);
    if (p == NULL || *p < '0' || *p > '9')
        return -1;
    errno = 0;
    n = strtol(p, &end, 10);
    return *end == '\0' && errno == 0 && n <= INT_MAX ? (int) n : -1;
}

int
_neft_file_in_proc(const char * path)
{
#ifdef __linux__
    struct statfs sf;
    char * dir = _trim(path, strlen(path)), * slash;
    int r;

    if (dir == NULL)
        return 0;
    slash = strrchr(dir, '/');
    if (slash == NULL)
        strcpy(dir, ".");
    else
        slash[slash == dir] = '\0';
    r = statfs(dir, &sf) == 0 && sf.f_type == 0x9fa0;    /* PROC_SUPER_MAGIC */
    free(dir);
    return r;
#else
    (void) path;
    return 0;
#endif
}

char *
neft_file_target(const char * path)
{
    char * cur = _trim(path, strlen(path));
    int hops;

    for (hops = 0; cur != NULL; hops++)
    {
        struct stat st;
        char buf[PATH_MAX], * next, * slash;
        ssize_t n;

        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;     /* the target (or nothing yet: created there) */
        if (_neft_file_fd_alias(cur) >= 0 || _neft_file_in_proc(cur))
            return cur;     /* /proc's links name open files, not paths */
        if (hops == MAX_LINKS)
        {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        n = readlink(cur, buf, sizeof buf);
        if (n < 0 || (size_t) n >= sizeof buf)
        {
            int e = n < 0 ? errno : ENAMETOOLONG;
            free(cur);
            errno = e;
            return NULL;
        }
        slash = strrchr(cur, '/');
        if (buf[0] == '/' || slash == NULL)
            next = _trim(buf, (size_t) n);
        else
        {
            /* relative to the link's folder */
            size_t ld = (size_t) (slash - cur) + 1;
            char * joined = malloc(ld + (size_t) n + 1);
            if (joined != NULL)
            {
                memcpy(joined, cur, ld);
                memcpy(joined + ld, buf, (size_t) n);
                joined[ld + n] = '\0';
                next = _trim(joined, ld + (size_t) n);
                free(joined);
            }
            else
                next = NULL;
        }
        free(cur);
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

static int
_kind_of(mode_t m)
{
    return S_ISREG(m) ? NEFT_FILE_REGULAR : S_ISDIR(m) ? NEFT_FILE_DIRECTORY
         : S_ISFIFO(m) ? NEFT_FILE_FIFO : S_ISCHR(m) ? NEFT_FILE_CHAR
         : S_ISSOCK(m) ? NEFT_FILE_SOCKET : S_ISBLK(m) ? NEFT_FILE_BLOCK : NEFT_FILE_OTHER;
}

int
neft_file_kind(const char * path)
{
    struct stat st;
    char * t = neft_file_target(path);
    int r;

    if (t == NULL)
        return -1;
    if (stat(t, &st) == 0)
        r = _kind_of(st.st_mode);
    else
        r = errno == ENOENT ? NEFT_FILE_NONE : -1;
    free(t);
    return r;
}

const char *
neft_file_kind_name(int kind)
{
    switch (kind)
    {
        case NEFT_FILE_NONE: return "nothing";
        case NEFT_FILE_REGULAR: return "a regular file";
        case NEFT_FILE_DIRECTORY: return "a directory";
        case NEFT_FILE_FIFO: return "a FIFO";
        case NEFT_FILE_CHAR: return "a character device";
        case NEFT_FILE_SOCKET: return "a socket";
        case NEFT_FILE_BLOCK: return "a block device";
        default: return "neither a file nor a directory";
    }
}

/* A connected stream to the Unix socket at path, or -1. */
static int
_connect(const char * path)
{
    struct sockaddr_un a;
    int fd;

    if (strlen(path) >= sizeof a.sun_path)
    {
        errno = ENAMETOOLONG;
        return -1;
    }
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    strcpy(a.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *) &a, sizeof a) != 0)
    {
        int e = errno;
        close(fd);
        errno = e;
        fd = -1;
    }
    return fd;
}

int
_neft_file_open_direct(const char * target)
{
    struct stat st, now;
    int n = _neft_file_fd_alias(target), fd, fl;

    if (n >= 0)
    {
        /* /dev/stdout and the like: the very descriptor (offset, O_APPEND
           and sockets as the shell set them up) */
        fl = fcntl(n, F_GETFL);
        if (fl < 0)
            return -1;
        if ((fl & O_ACCMODE) == O_RDONLY)
        {
            errno = EBADF;
            return -1;
        }
        return fcntl(n, F_DUPFD_CLOEXEC, 0);
    }
    if (_neft_file_in_proc(target))
        return open(target, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
    if (stat(target, &st) != 0)
        return -1;
    if (S_ISSOCK(st.st_mode))
        return _connect(target);
    if (!S_ISFIFO(st.st_mode) && !S_ISCHR(st.st_mode))
    {
        errno = EINVAL;
        return -1;
    }
    /* never O_CREAT nor O_TRUNC: if the node was replaced by a regular file
       meanwhile, refuse rather than overwrite it in place */
    fd = open(target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd >= 0 && (fstat(fd, &now) != 0 || (now.st_mode & S_IFMT) != (st.st_mode & S_IFMT)))
    {
        close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

int
neft_file_errno_is_resource(int e)
{
    return e == ENOSPC || e == EDQUOT || e == EIO || e == ENOMEM || e == EMFILE || e == ENFILE;
}
