/* The writer of the two-input NTK table at O(1/n) (neft_onen_ntk2): text
   blocks per layer or the JSON member "ntk2"; balls with 20 digits. */

#include "neft/onen.h"
#include "neft/json.h"
#include "ntk2.h"
#include <stdio.h>

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

/* the layer's k x k block at the pairs a <= b (gathered into m) */
static void
pair_vec(arb_ptr m, arb_srcptr src, slong k)
{
    slong a, b, n = 0;
    for (a = 0; a < k; a++)
        for (b = a; b < k; b++)
            arb_set(m + n++, src + a * k + b);
}

/* the k^4 block at the pairs (a <= b), (c <= d) */
static void
pair_mat(arb_ptr m, arb_srcptr src, slong k)
{
    slong a, b, c, d, n = 0;
    for (a = 0; a < k; a++)
        for (b = a; b < k; b++)
            for (c = 0; c < k; c++)
                for (d = c; d < k; d++)
                    arb_set(m + n++, src + ((a * k + b) * k + c) * k + d);
}

void
neft_onen_ntkm_write(FILE * out, const neft_onen_ntkm_t T, int format)
{
    slong k = T->k, np = k * (k + 1) / 2, k2 = k * k, k4 = k2 * k2, l, a, b, n;
    arb_ptr v = _arb_vec_init(np * np);
    char ** pl = flint_malloc(sizeof(char *) * np), ** ol = flint_malloc(sizeof(char *) * k2);
    for (a = 0, n = 0; a < k; a++)
        for (b = 0; b < k; b++)
        {
            ol[a * k + b] = flint_malloc(48);
            snprintf(ol[a * k + b], 48, "%ld %ld", (long) a, (long) b);
            if (b >= a)
            {
                pl[n] = flint_malloc(48);
                snprintf(pl[n++], 48, "%ld %ld", (long) a, (long) b);
            }
        }
    if (format == NEFT_ONEN_FORMAT_JSON)
    {
        fprintf(out, "\"inputs\":%ld,\"pairs\":[", (long) k);
        for (a = 0, n = 0; a < k; a++)
            for (b = a; b < k; b++)
                fprintf(out, "%s[%ld,%ld]", n++ ? "," : "", (long) a, (long) b);
        fputs("],\"ordered_pairs\":[", out);
        for (a = 0; a < k; a++)
            for (b = 0; b < k; b++)
                fprintf(out, "%s[%ld,%ld]", a + b ? "," : "", (long) a, (long) b);
        fputs("],\"ntkm\":[", out);
        for (l = 0; l < T->depth; l++)
        {
            fprintf(out, "%s{\"layer\":%ld", l ? "," : "", (long) (l + 1));
            pair_vec(v, T->K + l * k2, k);
            json_mat(out, "K", v, 1, np);
            pair_vec(v, T->theta + l * k2, k);
            json_mat(out, "theta", v, 1, np);
            pair_vec(v, T->theta1 + l * k2, k);
            json_mat(out, "theta1", v, 1, np);
            pair_mat(v, T->V + l * k4, k);
            json_mat(out, "V", v, np, np);
            pair_vec(v, T->G1 + l * k2, k);
            json_mat(out, "G1", v, 1, np);
            pair_mat(v, T->A + l * k4, k);
            json_mat(out, "A", v, np, np);
            pair_mat(v, T->D + l * k4, k);
            json_mat(out, "D", v, np, np);
            json_mat(out, "B", T->B + l * k4, k2, k2);
            json_mat(out, "F", T->F + l * k4, k2, k2);
            json_mat(out, "P", T->P + l * k4, k2, k2);
            json_mat(out, "Q", T->Q + l * k4, k2, k2);
            fputc('}', out);
        }
        fputc(']', out);
    }
    else
    {
        fprintf(out, "# %ld inputs, to O(1/n): as for two inputs (E[H_ii;P] = Theta + "
                "Theta1/n, A = n Cov(H_ii;P, H_jj;Q),\n"
                "# D = n Cov(H_ii;P, z_j;c z_j;d), B = n E[H_ij;ab H_ij;cd], F = n E[H_ij;ab "
                "z_i;c z_j;d], i != j);\n"
                "# vectors over the pairs (a b), a <= b; V, A, D: rows and columns over them;\n"
                "# B, F, P, Q: rows (a b) and columns (c d) over the ordered pairs; the dNTK:\n"
                "# n E[dH_{i0 i1 i2;a0 a1 a2} z_{i3;a3}] = d_{i0 i3} d_{i1 i2} P + d_{i0 i1} "
                "d_{i2 i3} Q\n# + d_{i0 i2} d_{i1 i3} Q(a0 a2 a1 a3), P, Q rows (a0 a1), "
                "columns (a2 a3)\n", (long) k);
        for (l = 0; l < T->depth; l++)
        {
            fprintf(out, "layer %ld%s\n", (long) (l + 1),
                    l == 0 ? " (deterministic)" : "  (coefficients of 1/n_{l-1})");
            pair_vec(v, T->K + l * k2, k);
            text_mat(out, "K", v, 1, np, NULL);
            pair_vec(v, T->theta + l * k2, k);
            text_mat(out, "Theta", v, 1, np, NULL);
            if (l == 0)
                continue;
            pair_vec(v, T->theta1 + l * k2, k);
            text_mat(out, "Theta1", v, 1, np, NULL);
            pair_vec(v, T->G1 + l * k2, k);
            text_mat(out, "G1", v, 1, np, NULL);
            pair_mat(v, T->V + l * k4, k);
            text_mat(out, "V", v, np, np, (const char * const *) pl);
            pair_mat(v, T->A + l * k4, k);
            text_mat(out, "A", v, np, np, (const char * const *) pl);
            pair_mat(v, T->D + l * k4, k);
            text_mat(out, "D", v, np, np, (const char * const *) pl);
            text_mat(out, "B", T->B + l * k4, k2, k2, (const char * const *) ol);
            text_mat(out, "F", T->F + l * k4, k2, k2, (const char * const *) ol);
            text_mat(out, "P", T->P + l * k4, k2, k2, (const char * const *) ol);
            text_mat(out, "Q", T->Q + l * k4, k2, k2, (const char * const *) ol);
        }
    }
    for (a = 0; a < np; a++)
        flint_free(pl[a]);
    for (a = 0; a < k2; a++)
        flint_free(ol[a]);
    flint_free(pl);
    flint_free(ol);
    _arb_vec_clear(v, np * np);
}

void
neft_onen_ddntkm_write(FILE * out, const neft_onen_ddntkm_t D, int format)
{
    slong k = D->k, k2 = k * k, k4 = k2 * k2, l, a, b;
    const char * name[6] = {"beta", "alpha", "R", "S", "T", "U"};
    arb_srcptr m[6] = {D->beta, D->alpha, D->R, D->S, D->T, D->U};
    char ** ol = flint_malloc(sizeof(char *) * k2);
    int i;
    for (a = 0; a < k; a++)
        for (b = 0; b < k; b++)
        {
            ol[a * k + b] = flint_malloc(48);
            snprintf(ol[a * k + b], 48, "%ld %ld", (long) a, (long) b);
        }
    if (format == NEFT_ONEN_FORMAT_JSON)
    {
        fprintf(out, "\"ddntkm\":{\"inputs\":%ld,\"layers\":[", (long) k);
        for (l = 0; l < D->depth; l++)
        {
            fprintf(out, "%s{\"layer\":%ld", l ? "," : "", (long) (l + 1));
            for (i = 0; i < 6; i++)
                json_mat(out, name[i], m[i] + l * k4, k2, k2);
            fputc('}', out);
        }
        fputs("]}", out);
    }
    else
    {
        fprintf(out, "# the dNTK split and the ddNTK, %ld inputs (i != j neurons, n = n_{l-1}):\n"
                "# beta_abcd = n E[M^(i;b)_(j a)(i c) z_(j;d)], alpha_abcd = n E[M^(i;b)_(j a)"
                "(j c) z_(i;d)]\n"
                "# (M^(i;b)_(j a)(m c) = u_(j;a)^T d^2 z_(i;b) u_(m;c); P_abcd = beta_abcd + "
                "beta_acbd, Q_abcd = beta_cbad + alpha_acbd),\n"
                "# R_abcd = n E[ddI H_(i;a)(i;b)(j;c)(j;d)], S_abcd = n E[ddII "
                "H_(i;a)(i;b)(j;c)(j;d)],\n"
                "# T_abcd = n E[ddII H_(i;a)(j;b)(i;c)(j;d)], U_abcd = n E[ddII "
                "H_(i;a)(j;b)(j;c)(i;d)];\n"
                "# rows (a b), columns (c d)\n", (long) k);
        for (l = 1; l < D->depth; l++)
        {
            fprintf(out, "layer %ld  (coefficients of 1/n_{l-1})\n", (long) (l + 1));
            for (i = 0; i < 6; i++)
                text_mat(out, name[i], m[i] + l * k4, k2, k2, (const char * const *) ol);
        }
    }
    for (a = 0; a < k2; a++)
        flint_free(ol[a]);
    flint_free(ol);
}
