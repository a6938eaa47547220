/* The writers of the NTK tables (docs/cmd-onen.md, "--ntk"): text rows or
   JSON members on the stream they are given; balls in JSON as
   neft_json_write_arb with 20 digits, exact rationals as strings. */

#include "neft/onen.h"
#include "neft/json.h"
#include "ntk2.h"

static void
ball_text(FILE * out, const arb_t x)
{
    char * s = arb_get_str(x, 20, 0);
    fputs(s, out);
    flint_free(s);
}

void
neft_onen_ntk_single_write(FILE * out, const neft_onen_layer_struct * L, arb_srcptr theta,
                           const fmpq * exact, slong depth, int format)
{
    slong l;
    if (format == NEFT_ONEN_FORMAT_JSON)
    {
        fputs("\"ntk\":[", out);
        for (l = 0; l < depth; l++)
        {
            fprintf(out, "%s{\"layer\":%ld,\"K\":", l ? "," : "", (long) (l + 1));
            neft_json_write_arb(out, L[l].K, 20);
            fputs(",\"theta\":", out);
            neft_json_write_arb(out, theta + l, 20);
            if (exact != NULL)
            {
                fputs(",\"theta_exact\":", out);
                neft_json_write_fmpq(out, exact + l);
            }
            fputc('}', out);
        }
        fputc(']', out);
        return;
    }
    fprintf(out, "%6s  %-44s  %s\n", "layer", "K", "Theta");
    for (l = 0; l < depth; l++)
    {
        char * s = arb_get_str(L[l].K, 20, 0);
        fprintf(out, "%6ld  %-44s  ", (long) (l + 1), s);
        flint_free(s);
        ball_text(out, theta + l);
        if (exact != NULL)
        {
            s = fmpq_get_str(NULL, 10, exact + l);
            fprintf(out, "  (exact %s)", s);
            flint_free(s);
        }
        fputc('\n', out);
    }
}

/* m (rows x cols balls, row major) as a JSON array of rows (shared with
   ntk2_write.c through ntk2.h) */
void
_neft_onen_ntk_json_matrix(FILE * out, arb_srcptr m, slong rows, slong cols)
{
    slong a, b;
    fputc('[', out);
    for (a = 0; a < rows; a++)
    {
        fputs(a ? ",[" : "[", out);
        for (b = 0; b < cols; b++)
        {
            if (b)
                fputc(',', out);
            neft_json_write_arb(out, m + a * cols + b, 20);
        }
        fputc(']', out);
    }
    fputc(']', out);
}

void
neft_onen_ntk_matrix_write(FILE * out, arb_srcptr kernels, arb_srcptr ntk, slong depth,
                           slong npoints, int format)
{
    slong l, a, b, P = npoints;
    if (format == NEFT_ONEN_FORMAT_JSON)
    {
        fputs("\"kernel\":[", out);
        for (l = 0; l < depth; l++)
        {
            fprintf(out, "%s{\"layer\":%ld,\"K\":", l ? "," : "", (long) (l + 1));
            _neft_onen_ntk_json_matrix(out, kernels + l * P * P, P, P);
            fputc('}', out);
        }
        fputs("],\"ntk\":[", out);
        for (l = 0; l < depth; l++)
        {
            fprintf(out, "%s{\"layer\":%ld,\"Theta\":", l ? "," : "", (long) (l + 1));
            _neft_onen_ntk_json_matrix(out, ntk + l * P * P, P, P);
            fputc('}', out);
        }
        fputc(']', out);
        return;
    }
    for (l = 0; l < depth; l++)
    {
        fprintf(out, "layer %ld\n", (long) (l + 1));
        for (a = 0; a < P; a++)
            for (b = a; b < P; b++)
            {
                fprintf(out, "  K[%ld,%ld] = ", (long) a, (long) b);
                ball_text(out, kernels + l * P * P + a * P + b);
                fprintf(out, "\n  Theta[%ld,%ld] = ", (long) a, (long) b);
                ball_text(out, ntk + l * P * P + a * P + b);
                fputc('\n', out);
            }
    }
}
