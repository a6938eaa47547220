/* libFuzzer target: the point-list parser of --at (neft_cli_parse_points).
   The first byte chooses d_in (1..4), the rest is the list.  On success the
   points must be finite and npoints * d_in coordinates must be there. */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../src/cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
    neft_cli_points_t pts;
    slong d_in, k;
    char * text;

    if (size < 1)
        return 0;
    d_in = 1 + data[0] % 4;
    text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (neft_cli_parse_points(&pts, text, d_in, "--at") == 0)
    {
        if (pts.npoints < 1 || pts.npoints > NEFT_CLI_MAX_POINTS)
            abort();
        for (k = 0; k < pts.npoints * d_in; k++)
            if (!isfinite(pts.x[k]) || pts.text[k] == NULL)
                abort();
        neft_cli_points_clear(&pts, pts.npoints * d_in);
    }
    free(text);
    return 0;
}
