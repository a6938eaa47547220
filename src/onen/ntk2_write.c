/* The writer of the two-input NTK table at O(1/n) (neft_onen_ntk2): text
   blocks per layer or the JSON member "ntk2"; balls with 20 digits. */

#include "neft/onen.h"
#include "neft/json.h"
#include "ntk2.h"

static const char * const pairs[3] = {"00", "01", "11"}, * const opairs[4] = {"00", "01", "10",
                                                                                "11"};

static void
json_mat(FILE * out, const char * key, arb_srcptr m, int rows, int cols)
{
    fprintf(out, ",\"%s\":", key);
    _neft_onen_ntk_json_matrix(out, m, rows, cols);
}

/* one line per row: "  NAME (row)  x  x  x" (balls with 12 digits; rl NULL:
   one unlabelled row) */
static void
text_mat(FILE * out, const char * name, arb_srcptr m, int rows, int cols,
         const char * const * rl)
{
    int i, j;
    for (i = 0; i < rows; i++)
    {
        if (rl != NULL)
            fprintf(out, "  %-6s (%s)", name, rl[i]);
        else
            fprintf(out, "  %-6s     ", name);
        for (j = 0; j < cols; j++)
        {
            char * s = arb_get_str(m + i * cols + j, 12, 0);
            fprintf(out, "  %s", s);
            flint_free(s);
        }
        fputc('\n', out);
    }
}

void
neft_onen_ntk2_write(FILE * out, const neft_onen_ntk2_struct * T, slong depth, int format)
{
    slong l;
    if (format == NEFT_ONEN_FORMAT_JSON)
    {
        fputs("\"pairs\":[[0,0],[0,1],[1,1]],\"ordered_pairs\":[[0,0],[0,1],[1,0],[1,1]],"
              "\"ntk2\":[", out);
        for (l = 0; l < depth; l++)
        {
            const neft_onen_ntk2_struct * t = T + l;
            fprintf(out, "%s{\"layer\":%ld", l ? "," : "", (long) (l + 1));
            json_mat(out, "K", t->K, 1, 3);
            json_mat(out, "theta", t->theta, 1, 3);
            json_mat(out, "theta1", t->theta1, 1, 3);
            json_mat(out, "V", t->V, 3, 3);
            json_mat(out, "G1", t->G1, 1, 3);
            json_mat(out, "A", t->A, 3, 3);
            json_mat(out, "D", t->D, 3, 3);
            json_mat(out, "B", t->B, 4, 4);
            json_mat(out, "F", t->F, 4, 4);
            json_mat(out, "P", t->P, 4, 4);
            json_mat(out, "Q", t->Q, 4, 4);
            fputc('}', out);
        }
        fputc(']', out);
        return;
    }
    fputs("# two inputs, to O(1/n): E[H_ii;P] = Theta + Theta1/n, A = n Cov(H_ii;P, H_jj;Q),\n"
          "# D = n Cov(H_ii;P, z_j;c z_j;d) (Q = cd), B = n E[H_ij;ab H_ij;cd],\n"
          "# F = n E[H_ij;ab z_i;c z_j;d] (i != j, n = n_{l-1}); V, G1 of the kernel\n", out);
    fputs("# vectors over the pairs (00) (01) (11); V, A, D: rows and columns over them;\n"
          "# B, F: rows and columns over the ordered pairs (00) (01) (10) (11);\n"
          "# the dNTK: n E[dH_{i0 i1 i2;a0 a1 a2} z_{i3;a3}] = d_{i0 i3} d_{i1 i2} P\n"
          "# + d_{i0 i1} d_{i2 i3} Q + d_{i0 i2} d_{i1 i3} Q(a0 a2 a1 a3): P, Q rows (a0 a1),\n"
          "# columns (a2 a3)\n", out);
    for (l = 0; l < depth; l++)
    {
        const neft_onen_ntk2_struct * t = T + l;
        fprintf(out, "layer %ld%s\n", (long) (l + 1),
                l == 0 ? " (deterministic)" : "  (coefficients of 1/n_{l-1})");
        text_mat(out, "K", t->K, 1, 3, NULL);
        text_mat(out, "Theta", t->theta, 1, 3, NULL);
        if (l == 0)
            continue;
        text_mat(out, "Theta1", t->theta1, 1, 3, NULL);
        text_mat(out, "G1", t->G1, 1, 3, NULL);
        text_mat(out, "V", t->V, 3, 3, pairs);
        text_mat(out, "A", t->A, 3, 3, pairs);
        text_mat(out, "D", t->D, 3, 3, pairs);
        text_mat(out, "B", t->B, 4, 4, opairs);
        text_mat(out, "F", t->F, 4, 4, opairs);
        text_mat(out, "P", t->P, 4, 4, opairs);
        text_mat(out, "Q", t->Q, 4, 4, opairs);
    }
}
