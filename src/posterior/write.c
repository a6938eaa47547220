/* The mean and covariance at the test inputs, as text or JSON members
   (docs/cmd-posterior.md, docs/cmd-train.md). */

#include "neft/posterior.h"
#include "neft/json.h"

static void
q_text(FILE * out, const fmpq_t q)
{
    char * s = fmpq_get_str(NULL, 10, q);
    fputs(s, out);
    flint_free(s);
}

void
neft_posterior_write(FILE * out, const fmpq * x, slong ntest, slong d_in, arb_srcptr mean,
                     const arb_mat_t cov, const fmpq * emean, const fmpq_mat_t ecov,
                     int format)
{
    slong a, b, j;
    if (format == NEFT_POSTERIOR_FORMAT_JSON)
    {
        fputs("\"test\":[", out);
        for (a = 0; a < ntest; a++)
        {
            fputs(a ? ",[" : "[", out);
            for (j = 0; j < d_in; j++)
            {
                if (j)
                    fputc(',', out);
                neft_json_write_fmpq(out, x + a * d_in + j);
            }
            fputc(']', out);
        }
        fputs("],\"mean\":[", out);
        for (a = 0; a < ntest; a++)
        {
            if (a)
                fputc(',', out);
            neft_json_write_arb(out, mean + a, 20);
        }
        fputs("],\"cov\":[", out);
        for (a = 0; a < ntest; a++)
        {
            fputs(a ? ",[" : "[", out);
            for (b = 0; b < ntest; b++)
            {
                if (b)
                    fputc(',', out);
                neft_json_write_arb(out, arb_mat_entry(cov, a, b), 20);
            }
            fputc(']', out);
        }
        fputc(']', out);
        if (emean != NULL)
        {
            fputs(",\"mean_exact\":[", out);
            for (a = 0; a < ntest; a++)
            {
                if (a)
                    fputc(',', out);
                neft_json_write_fmpq(out, emean + a);
            }
            fputs("],\"cov_exact\":[", out);
            for (a = 0; a < ntest; a++)
            {
                fputs(a ? ",[" : "[", out);
                for (b = 0; b < ntest; b++)
                {
                    if (b)
                        fputc(',', out);
                    neft_json_write_fmpq(out, fmpq_mat_entry(ecov, a, b));
                }
                fputc(']', out);
            }
            fputc(']', out);
        }
        return;
    }
    for (a = 0; a < ntest; a++)
    {
        char * s;
        arb_t sd;
        fputs("x = (", out);
        for (j = 0; j < d_in; j++)
        {
            if (j)
                fputs(", ", out);
            q_text(out, x + a * d_in + j);
        }
        s = arb_get_str(mean + a, 20, 0);
        fprintf(out, ")\n  mean = %s", s);
        flint_free(s);
        if (emean != NULL)
        {
            fputs("  (exact ", out);
            q_text(out, emean + a);
            fputc(')', out);
        }
        arb_init(sd);
        arb_sqrtpos(sd, arb_mat_entry(cov, a, a), 64);
        s = arb_get_str(sd, 20, 0);
        fprintf(out, "\n  sd   = %s\n", s);
        flint_free(s);
        arb_clear(sd);
    }
    fputs("covariance:\n", out);
    for (a = 0; a < ntest; a++)
        for (b = a; b < ntest; b++)
        {
            char * s = arb_get_str(arb_mat_entry(cov, a, b), 20, 0);
            fprintf(out, "  cov[%ld,%ld] = %s", (long) a, (long) b, s);
            flint_free(s);
            if (ecov != NULL)
            {
                fputs("  (exact ", out);
                q_text(out, fmpq_mat_entry(ecov, a, b));
                fputc(')', out);
            }
            fputc('\n', out);
        }
}

static void
mat_json(FILE * out, const arb_mat_t m)
{
    slong a, b;
    fputc('[', out);
    for (a = 0; a < arb_mat_nrows(m); a++)
    {
        fprintf(out, "%s[", a ? "," : "");
        for (b = 0; b < arb_mat_ncols(m); b++)
        {
            if (b)
                fputc(',', out);
            neft_json_write_arb(out, arb_mat_entry(m, a, b), 20);
        }
        fputc(']', out);
    }
    fputc(']', out);
}

void
neft_posterior_order1_write(FILE * out, const arb_mat_t K, const arb_mat_t G1,
                            arb_srcptr kap4, slong ntrain, arb_srcptr mean, arb_srcptr mean1,
                            int format)
{
    slong P = arb_mat_nrows(K), nB = P - ntrain, i;
    (void) mean;
    if (format == NEFT_POSTERIOR_FORMAT_JSON)
    {
        fprintf(out, ",\"order\":1,\"mean_1\":[");
        for (i = 0; i < nB; i++)
        {
            if (i)
                fputc(',', out);
            neft_json_write_arb(out, mean1 + i, 20);
        }
        fprintf(out, "],\"kernel\":");
        mat_json(out, K);
        fprintf(out, ",\"g1\":");
        mat_json(out, G1);
        fprintf(out, ",\"kappa4\":[");
        for (i = 0; i < P * P * P * P; i++)
        {
            if (i)
                fputc(',', out);
            neft_json_write_arb(out, kap4 + i, 20);
        }
        fputc(']', out);
        return;
    }
    fprintf(out, "# finite width: posterior mean = mean + mean_1/n + O(1/n^2), n the last "
            "hidden width (the four-point vertex and G1)\n");
    for (i = 0; i < nB; i++)
    {
        char * s = arb_get_str(mean1 + i, 12, 0);
        fprintf(out, "  mean_1[%ld] = %s\n", (long) i, s);
        flint_free(s);
    }
}
