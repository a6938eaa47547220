/* The memory limits the kernel puts on the process: the address-space
 * limit (RLIMIT_AS) and the control group's memory limit. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "neft/memory.h"

/* a limit of 2^62 bytes or more is no limit (cgroup v1 says 2^63 - 4096) */
#define NO_LIMIT 4611686018427387904.0

/* The number in the file (first line): bytes, or -1 for "max", a huge
   value, or a file that cannot be read. */
static double
_read_limit(const char * path)
{
    char buf[64], * end;
    double v;
    FILE * fp = fopen(path, "r");
    size_t k;

    if (fp == NULL)
        return -1;
    k = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[k] = '\0';
    errno = 0;
    v = strtod(buf, &end);
    if (end == buf || errno == ERANGE || v <= 0 || v >= NO_LIMIT
        || (*end != '\0' && *end != '\n'))
        return -1;
    return v;
}

/* ROOT/DIR/PATH/FILE, else ROOT/DIR/FILE */
static double
_group_limit(const char * root, const char * dir, const char * path, const char * file)
{
    char name[4096];
    double v = -1;

    if (path[0] != '\0' && strcmp(path, "/") != 0
        && snprintf(name, sizeof(name), "%s%s%s/%s", root, dir, path, file)
           < (int) sizeof(name))
        v = _read_limit(name);
    if (v < 0 && snprintf(name, sizeof(name), "%s%s/%s", root, dir, file) < (int) sizeof(name))
        v = _read_limit(name);
    return v;
}

/* Does the comma-separated list of controllers [s, e) hold "memory"? */
static int
_has_memory(const char * s, const char * e)
{
    while (s < e)
    {
        const char * c = memchr(s, ',', (size_t) (e - s));
        if (c == NULL)
            c = e;
        if (c - s == 6 && !memcmp(s, "memory", 6))
            return 1;
        s = c + 1;
    }
    return 0;
}

double
neft_memory_cgroup_limit(const char * proc_cgroup, const char * root, const char ** why)
{
    char line[4096];
    double best = -1;
    const char * best_why = NULL;
    FILE * fp = fopen(proc_cgroup, "r");

    if (fp == NULL)
        return -1;
    /* lines "ID:CONTROLLERS:PATH" */
    while (fgets(line, sizeof(line), fp) != NULL)
    {
        char * c1 = strchr(line, ':'), * c2, * nl;
        double v = -1;
        const char * w = NULL;

        if (c1 == NULL || (c2 = strchr(c1 + 1, ':')) == NULL)
            continue;
        if ((nl = strchr(c2 + 1, '\n')) != NULL)
            *nl = '\0';
        if (c2 == c1 + 1 && !strncmp(line, "0:", 2))
        {
            v = _group_limit(root, "", c2 + 1, "memory.max");
            w = "cgroup memory.max";
        }
        else if (_has_memory(c1 + 1, c2))
        {
            v = _group_limit(root, "/memory", c2 + 1, "memory.limit_in_bytes");
            w = "cgroup memory.limit_in_bytes";
        }
        if (v >= 0 && (best < 0 || v < best))
        {
            best = v;
            best_why = w;
        }
    }
    fclose(fp);
    if (why != NULL)
        *why = best_why;
    return best;
}

double
neft_memory_limit(const char ** why)
{
    struct rlimit rl;
    double best = -1, v;
    const char * best_why = NULL, * w;

    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
        && (double) rl.rlim_cur < NO_LIMIT)
    {
        long page = sysconf(_SC_PAGESIZE);
        unsigned long size = 0;
        FILE * fp = fopen("/proc/self/statm", "r");
        /* the pages mapped now (statm's first field) are not available */
        if (fp != NULL)
        {
            if (fscanf(fp, "%lu", &size) != 1)
                size = 0;
            fclose(fp);
        }
        best = (double) rl.rlim_cur - (double) size * (double) (page > 0 ? page : 4096);
        if (best < 0)
            best = 0;
        best_why = "ulimit -v";
    }
    v = neft_memory_cgroup_limit("/proc/self/cgroup", "/sys/fs/cgroup", &w);
    if (v >= 0 && (best < 0 || v < best))
    {
        best = v;
        best_why = w;
    }
    if (why != NULL)
        *why = best_why;
    return best;
}
