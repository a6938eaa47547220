/* The report folder: files written atomically into the staging folder, and
   messages that name the files as the user will find them. */

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
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
_neft_validate_save(const char * dir, const char * name,
                    void (* writer)(FILE *, const neft_validate_result_t,
                                    const neft_validate_spec_t),
                    const neft_validate_result_t R, const neft_validate_spec_t spec,
                    char * err, size_t errlen)
{
    char path[4096], * buf = NULL;
    size_t len = 0;
    FILE * m = open_memstream(&buf, &len);
    int ok;

    if (m == NULL)
    {
        snprintf(err, errlen, "out of memory");
        return NEFT_FAILURE;
    }
    writer(m, R, spec);
    fclose(m);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ok = neft_file_write_atomic(path, buf, len);
    if (!ok)
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
    free(buf);
    return ok ? NEFT_SUCCESS : NEFT_FAILURE;
}
