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

/* The soft limit of resource (RLIMIT_AS or RLIMIT_DATA) less what the
   process uses of it now (field of /proc/self/statm, in pages), or -1. */
static double
_rlimit_left(int resource, int field)
{
    struct rlimit rl;
    unsigned long v[7] = {0, 0, 0, 0, 0, 0, 0};
    long page = sysconf(_SC_PAGESIZE);
    double left;
    FILE * fp;

    if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY
        || (double) rl.rlim_cur >= NO_LIMIT)
        return -1;
    /* size resident shared text lib data dt; a missing /proc counts 0 */
    if ((fp = fopen("/proc/self/statm", "r")) != NULL)
    {
        if (fscanf(fp, "%lu %lu %lu %lu %lu %lu %lu", v, v + 1, v + 2, v + 3, v + 4, v + 5,
                   v + 6) != 7)
            v[field] = 0;
        fclose(fp);
    }
    left = (double) rl.rlim_cur - (double) v[field] * (double) (page > 0 ? page : 4096);
    return left > 0 ? left : 0;
}

double
neft_memory_limit(const char ** why)
{
    double best = -1, v;
    const char * best_why = NULL, * w;

    /* ulimit -v: the whole address space (statm's size); ulimit -d: the
       data segment and private mappings (statm's data) */
    if ((v = _rlimit_left(RLIMIT_AS, 0)) >= 0)
    {
        best = v;
        best_why = "ulimit -v";
    }
    if ((v = _rlimit_left(RLIMIT_DATA, 5)) >= 0 && (best < 0 || v < best))
    {
        best = v;
        best_why = "ulimit -d";
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
