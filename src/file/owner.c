/* Owner records in temporary names, and the removal of temporaries whose
 * writer is gone (see neft/file.h, "Owner records"). */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "neft/file.h"
#include "file-internal.h"

static void (* volatile notice_fn)(void *, const char *) = NULL;
static void * volatile notice_arg = NULL;

void
neft_file_set_notice(void (* notice)(void * arg, const char * msg), void * arg)
{
    notice_arg = arg;
    notice_fn = notice;
}

/* Field 22 (starttime) of /proc/PID/stat, or 0 when it cannot be read. */
static unsigned long long
_start_time(long pid)
{
    char name[64], buf[1024], * p;
    unsigned long long start = 0;
    size_t n;
    FILE * fp;
    int field;

    snprintf(name, sizeof name, "/proc/%ld/stat", pid);
    fp = fopen(name, "re");
    if (fp == NULL)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    p = strrchr(buf, ')');      /* the command name may hold spaces and ')' */
    if (p == NULL)
        return 0;
    p++;
    for (field = 3; field <= 22 && *p; field++)
    {
        while (*p == ' ')
            p++;
        if (field == 22)
            start = strtoull(p, NULL, 10);
        while (*p && *p != ' ')
            p++;
    }
    return start;
}

/* FNV-1a over the boot id and the pid namespace: 0 when unknown. */
static unsigned int
_host(void)
{
    char buf[128];
    uint32_t h = 2166136261u;
    struct stat st;
    size_t n, i;
    FILE * fp = fopen("/proc/sys/kernel/random/boot_id", "re");

    if (fp == NULL)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    if (n == 0 || stat("/proc/self/ns/pid", &st) != 0)
        return 0;
    n += (size_t) snprintf(buf + n, sizeof buf - n, "/%llu", (unsigned long long) st.st_ino);
    for (i = 0; i < n && i < sizeof buf; i++)
        h = (h ^ (unsigned char) buf[i]) * 16777619u;
    return h != 0 ? h : 1;
}

void
_neft_file_self(_neft_file_owner * o)
{
    o->pid = (long) getpid();
    o->start = _start_time(o->pid);
    o->host = _host();
}

char *
_neft_file_unique(const char * path, const char * kind, int (* create)(const char * name),
                  int * fd)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    _neft_file_owner me;
    size_t len = strlen(path) + strlen(kind) + 80;
    char * name = malloc(len);
    uint64_t x;
    struct timespec ts;
    int attempt, k, e = EEXIST;

    if (name == NULL)
        return NULL;
    _neft_file_self(&me);
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
        snprintf(name, len, "%s.%s-%ld-%llu-%08x-%s", path, kind, me.pid, me.start, me.host,
                 suffix);
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

int
_neft_file_write_record(const char * dir)
{
    _neft_file_owner me;
    char name[4096];
    FILE * fp;
    int ok;

    _neft_file_self(&me);
    if ((size_t) snprintf(name, sizeof name, "%s/" NEFT_FILE_RECORD, dir) >= sizeof name)
    {
        errno = ENAMETOOLONG;
        return -1;
    }
    fp = fopen(name, "we");
    if (fp == NULL)
        return -1;
    ok = fprintf(fp, "neft staging directory: pid %ld start %llu host %08x\n", me.pid,
                 me.start, me.host) > 0;
    ok = fclose(fp) == 0 && ok;
    return ok ? 0 : -1;
}

/* Digits [p, end of digits); returns the position after them or NULL when
   there are none; the value in *v. */
static const char *
_number(const char * p, int base, unsigned long long * v)
{
    char * end;
    if (!((*p >= '0' && *p <= '9') || (base == 16 && *p >= 'a' && *p <= 'f')))
        return NULL;
    errno = 0;
    *v = strtoull(p, &end, base);
    return errno == 0 ? end : NULL;
}

/* Parses NAME = BASE ".tmp-" or ".old-" PID "-" START "-" HOST "-" XXXXXX;
   returns 1 (tmp) or 2 (old) with the owner, else 0. */
static int
_parse(const char * name, const char * base, _neft_file_owner * o)
{
    size_t lb = strlen(base), k;
    unsigned long long pid, start, host;
    const char * p;
    int kind;

    if (strncmp(name, base, lb))
        return 0;
    p = name + lb;
    if (!strncmp(p, ".tmp-", 5))
        kind = 1;
    else if (!strncmp(p, ".old-", 5))
        kind = 2;
    else
        return 0;
    p += 5;
    if ((p = _number(p, 10, &pid)) == NULL || *p++ != '-'
        || (p = _number(p, 10, &start)) == NULL || *p++ != '-')
        return 0;
    for (k = 0; k < 8; k++)
        if (!((p[k] >= '0' && p[k] <= '9') || (p[k] >= 'a' && p[k] <= 'f')))
            return 0;
    if (_number(p, 16, &host) != p + 8 || p[8] != '-')
        return 0;
    p += 9;
    for (k = 0; k < 6; k++)
        if (!((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= '0' && p[k] <= '9')))
            return 0;
    if (p[6] != '\0' || pid == 0 || pid > 0x7fffffff)
        return 0;
    o->pid = (long) pid;
    o->start = start;
    o->host = (unsigned int) host;
    return kind;
}

/* 1 when the process of o is provably gone: no such process, or one that
   started at another time (its pid reused). */
static int
_gone(const _neft_file_owner * o)
{
    unsigned long long now;

    if (kill((pid_t) o->pid, 0) != 0 && errno == ESRCH)
        return 1;
    now = _start_time(o->pid);
    return now != 0 && o->start != 0 && now != o->start;
}

static void
_notice(const char * fmt, const char * name, long pid)
{
    char msg[4600];
    void (* fn)(void *, const char *) = notice_fn;
    if (fn == NULL)
        return;
    snprintf(msg, sizeof msg, fmt, name, pid);
    fn(notice_arg, msg);
}

int
neft_file_remove_orphans(const char * path, const char * marker)
{
    char * target = neft_file_target(path), * dir, * base, * full = NULL;
    _neft_file_owner me, o;
    struct dirent * e;
    DIR * d;
    int removed = 0, e0 = errno;

    if (target == NULL)
        return 0;
    _neft_file_self(&me);
    base = strrchr(target, '/');
    if (base != NULL)
    {
        *base++ = '\0';
        dir = base == target + 1 ? "/" : target;
    }
    else
    {
        base = target;
        dir = ".";
    }
    d = me.host != 0 && *base ? opendir(dir) : NULL;
    while (d != NULL && (e = readdir(d)) != NULL)
    {
        struct stat st;
        int kind = _parse(e->d_name, base, &o);
        if (kind == 0 || o.host != me.host || !_gone(&o))
            continue;
        free(full);
        if ((full = malloc(strlen(dir) + strlen(e->d_name) + 2)) == NULL)
            break;
        sprintf(full, "%s/%s", dir, e->d_name);
        if (lstat(full, &st) != 0)
            continue;
        if (S_ISREG(st.st_mode) && kind == 1)
        {
            if (unlink(full) == 0)
            {
                removed++;
                _notice("removed %s: a temporary file left by process %ld, which is gone",
                        full, o.pid);
            }
        }
        else if (S_ISDIR(st.st_mode) && _neft_file_dir_known(full, NEFT_FILE_RECORD, marker))
        {
            _neft_file_remove_tree(full);
            if (lstat(full, &st) != 0)
            {
                removed++;
                _notice(kind == 1 ? "removed %s: a staging directory left by process %ld, "
                        "which is gone" : "removed %s: a previous report left by process %ld, "
                        "which is gone", full, o.pid);
            }
        }
    }
    if (d != NULL)
        closedir(d);
    free(full);
    free(target);
    errno = e0;
    return removed;
}
