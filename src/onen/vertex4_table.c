/* `neft onen --at` with 3 or 4 inputs: the vertex over the pairs a <= b and
   G1 per layer (neft_onen_vertex_g1), in the table and its writers. */

#include <stdio.h>
#include "neft/onen.h"
#include "neft/gaussexp.h"
#include "onen_private.h"

void
_neft_onen_table_vertex4(neft_onen_table_struct * t, const neft_onen_params_t par,
                         arb_srcptr x, slong P, slong d_in)
{
    static _Thread_local char why[600];
    slong depth = par->net->depth, np = P * (P + 1) / 2, P4 = P * P * P * P, l, p, q;
    slong pa[10], pb[10], a, b;
    arb_ptr K = _arb_vec_init(depth * P * P), V = _arb_vec_init(depth * P4);
    char err[512];
    int r;

    for (a = 0, p = 0; a < P; a++)
        for (b = a; b < P; b++, p++)
        {
            pa[p] = a;
            pb[p] = b;
        }
    t->g1 = _arb_vec_init(depth * P * P);
    r = neft_onen_vertex_g1(K, V, t->g1, par, x, P, d_in, err, sizeof err);
    if (r != NEFT_SUCCESS)
    {
        snprintf(why, sizeof why, "%s", err);
        t->vertex_why = t->g1_why = why;
        _arb_vec_clear(t->g1, depth * P * P);
        t->g1 = NULL;
    }
    else
    {
        if (t->kernel == NULL)
        {
            /* the kernel matrix of the vertex's integrals (as for two inputs) */
            t->kernel = _arb_vec_init(depth * P * P);
            _arb_vec_set(t->kernel, K, depth * P * P);
        }
        t->vertex = _arb_vec_init(depth * np * np);
        for (l = 0; l < depth; l++)
            for (p = 0; p < np; p++)
                for (q = 0; q < np; q++)
                    arb_set(t->vertex + l * np * np + p * np + q,
                            V + l * P4 + ((pa[p] * P + pb[p]) * P + pa[q]) * P + pb[q]);
    }
    _arb_vec_clear(K, depth * P * P);
    _arb_vec_clear(V, depth * P4);
}

void
_neft_onen_vertex4_write(FILE * out, arb_srcptr vertex, const char * why, slong depth, slong P,
                         int format)
{
    char pairs[200];
    slong a, b, n = 0, np = P * (P + 1) / 2;
    if (vertex == NULL)
    {
        if (format != NEFT_ONEN_FORMAT_JSON)
            fprintf(out, "\n# four-point vertex: %s\n", why != NULL ? why
                    : "could not be certified (a non-finite ball)");
        return;
    }
    n += snprintf(pairs + n, sizeof pairs - n, "\"pairs\":[");
    for (a = 0; a < P; a++)
        for (b = a; b < P; b++)
            n += snprintf(pairs + n, sizeof pairs - n, "%s[%ld,%ld]", a + b ? "," : "",
                          (long) a, (long) b);
    snprintf(pairs + n, sizeof pairs - n, "],");
    if (format == NEFT_ONEN_FORMAT_JSON)
        fprintf(out, ",\"vertex\":[");
    else
    {
        fprintf(out, "\n# four-point vertex V^(l)_{(ab)(cd)} = lim n Cov(G_ab, G_cd);"
                " E[z_a z_b z_c z_d]_c = (V_(ab)(cd) + V_(ac)(bd) + V_(ad)(bc))/n\n"
                "# rows and columns: pairs");
        for (a = 0; a < P; a++)
            for (b = a; b < P; b++)
                fprintf(out, " (%ld%ld)", (long) a, (long) b);
        fprintf(out, "\n");
    }
    _neft_onen_matrices_write(out, vertex, depth, np, pairs, "V", format);
    if (format == NEFT_ONEN_FORMAT_JSON)
        fprintf(out, "]");
}
