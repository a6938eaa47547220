/* The report folder: files written atomically into the staging folder, and
   messages that name the files as the user will find them. */

#include <errno.h>
#include <string.h>
#include "neft/file.h"
#include "validate-internal.h"

void
_neft_validate_unstage(char * s, size_t size, const char * sdir, const char * dir)
{
    size_t ls = strlen(sdir), ld = strlen(dir);
    char * p = s;

    if (ls == 0)
        return;
    while ((p = strstr(p, sdir)) != NULL)
    {
        size_t tail = strlen(p + ls);
        if ((size_t) (p - s) + ld + tail + 1 > size)
            return;
        memmove(p + ld, p + ls, tail + 1);
        memcpy(p, dir, ld);
        p += ld;
    }
}

int
_neft_validate_save(const char * dir, const char * name, char * buf, size_t len, char * err,
                    size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!neft_file_write_atomic(path, buf, len))
    {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return 0;
    }
    return 1;
}
