/* The writer of the ddNTK table (docs/cmd-onen.md, "--ddntk"): text lines
   per layer or the JSON member "ddntk"; balls with 20 digits, exact
   rationals as strings. */

#include "neft/onen.h"
#include "neft/json.h"

void
neft_onen_ddntk_write(FILE * out, const neft_onen_ddntk_struct * D,
                      const neft_onen_ddntk_exact_struct * X, slong depth, int format)
{
    static const char * const key[4] = {"R", "S", "T", "U"};
    slong l;
    int c;

    if (format == NEFT_ONEN_FORMAT_JSON)
        fputs("\"ddntk\":[", out);
    else
        fputs("# ddNTK (coefficients of 1/n_{l-1}): E[ddI H_{i0 i1 i2 i3}] = (d01 d23 + d02 d13 "
              "+ d03 d12) R/n,\n#   E[ddII H_{i1 i2 i3 i4}] = (d12 d34 S + d13 d24 T + d14 d23 "
              "U)/n\n", out);
    for (l = 1; l <= depth; l++)
    {
        arb_srcptr ball[4];
        const fmpq * exact[4] = {NULL, NULL, NULL, NULL};
        ball[0] = D[l - 1].R; ball[1] = D[l - 1].S; ball[2] = D[l - 1].T; ball[3] = D[l - 1].U;
        if (X != NULL)
        {
            exact[0] = X[l - 1].R; exact[1] = X[l - 1].S;
            exact[2] = X[l - 1].T; exact[3] = X[l - 1].U;
        }
        if (format == NEFT_ONEN_FORMAT_JSON)
        {
            fprintf(out, "%s{\"layer\":%ld", l > 1 ? "," : "", (long) l);
            for (c = 0; c < 4; c++)
            {
                fprintf(out, ",\"%s\":", key[c]);
                neft_json_write_arb(out, ball[c], 20);
            }
            if (X != NULL)
            {
                fputs(",\"exact\":{", out);
                for (c = 0; c < 4; c++)
                {
                    fprintf(out, "%s\"%s\":", c ? "," : "", key[c]);
                    neft_json_write_fmpq(out, exact[c]);
                }
                fputc('}', out);
            }
            fputc('}', out);
            continue;
        }
        if (l == 1)
        {
            fputs("ddNTK layer 1 (linear in the parameters): R = S = T = U = 0\n", out);
            continue;
        }
        fprintf(out, "ddNTK layer %ld\n", (long) l);
        for (c = 0; c < 4; c++)
        {
            char * s = arb_get_str(ball[c], 20, 0);
            fprintf(out, "  %s = %s", key[c], s);
            flint_free(s);
            if (exact[c] != NULL)
            {
                s = fmpq_get_str(NULL, 10, exact[c]);
                fprintf(out, "  (exact %s)", s);
                flint_free(s);
            }
            fputc('\n', out);
        }
    }
    if (format == NEFT_ONEN_FORMAT_JSON)
        fputc(']', out);
}
