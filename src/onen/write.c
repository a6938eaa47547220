/* The writers of the onen results (docs/cmd-onen.md): the critical point,
   the layer tables and their large-depth fit, the kernel matrix and the
   two-input vertex, as text or JSON, on the stream they are given.  Balls
   in JSON are neft_json_write_arb with 20 digits (neft/json.h). */

#include <math.h>
#include "neft/onen.h"
#include "neft/json.h"
#include "onen_private.h"

static void
ball_json(FILE * out, const arb_t x)
{
    neft_json_write_arb(out, x, 20);
}

static void
ball_text(FILE * out, const arb_t x, slong digits)
{
    char * s = arb_get_str(x, digits, 0);
    fprintf(out, "%s", s);
    flint_free(s);
}

static const char * const class_names[] = {
    "scale-invariant", "K*=0", "K*=0 (unstable: a1 >= 0)", "K*>0", "none"
};

void
neft_onen_crit_write(FILE * out, const neft_onen_crit_t c, const neft_net_t net,
                     int format)
{
    if (format == NEFT_ONEN_FORMAT_JSON)
    {
        fputs("{\"activation\":", out);
        neft_json_write_string(out, net->act->name);
        fputs(",\"class\":", out);
        neft_json_write_string(out, class_names[c->cls]);
        fputs(",\"cw\":", out);
        ball_json(out, c->cw);
        fprintf(out, ",\"cb\":");
        ball_json(out, c->cb);
        fprintf(out, ",\"kstar\":");
        ball_json(out, c->kstar);
        fprintf(out, ",\"a1\":");
        ball_json(out, c->a1);
        fprintf(out, ",\"slope\":");
        ball_json(out, c->slope);
        fprintf(out, ",\"roots\":%ld}\n", (long) c->nroots);
        return;
    }
    fprintf(out, "activation %s: universality class %s\n", net->act->name,
            class_names[c->cls]);
    fprintf(out, "  critical C_W = "); ball_text(out, c->cw, 20);
    fprintf(out, "\n  critical C_b = "); ball_text(out, c->cb, 20);
    fprintf(out, "\n  K*           = "); ball_text(out, c->kstar, 20);
    if (c->cls == NEFT_ONEN_CLASS_SCALE_INVARIANT)
    {
        fprintf(out, "  (every K is a fixed point)\n  V/K^2 = s (l-1) with s = ");
        ball_text(out, c->slope, 20);
        fprintf(out, "\n");
    }
    else if (c->cls == NEFT_ONEN_CLASS_K0 || c->cls == NEFT_ONEN_CLASS_K0_UNSTABLE)
    {
        fprintf(out, "\n  a1 = "); ball_text(out, c->a1, 20);
        fprintf(out, "  (K^(l+1) = K + a1 K^2 + ...)\n");
        if (c->cls == NEFT_ONEN_CLASS_K0)
            fprintf(out, "  large depth: K ~ 1/(-a1 l), V/K^2 ~ (2/3) l, v6/K^3 ~ (16/15) l^2,"
                    " v8/K^4 ~ (96/35) l^3\n");
    }
    else
        fprintf(out, "\n");
    fprintf(out, "  K* > 0 critical points with C_b >= 0 on (0, 64]: %ld\n", (long) c->nroots);
}

/* res = a / b^k */
/* res = a / b^k: 1, or 0 when b's ball contains 0 (no number: printed n/a,
   JSON null). */
static int
ratio(arb_t res, const arb_t a, const arb_t b, slong k, slong prec)
{
    if (arb_contains_zero(b))
    {
        arb_indeterminate(res);
        return 0;
    }
    arb_pow_ui(res, b, k, prec);
    arb_div(res, a, res, prec);
    return 1;
}

void
neft_onen_asymptotics_write(FILE * out, const neft_onen_layer_struct * L, slong depth,
                            int format, slong prec)
{
    const char * names[4] = { "K", "V/K^2", "v6/K^3", "v8/K^4" };
    slong q, l, first = depth >= 4 ? depth - 3 : 1;
    int json = format == NEFT_ONEN_FORMAT_JSON;
    double * y = flint_malloc(sizeof(double) * depth);
    arb_t t;
    arb_init(t);
    if (json)
        fprintf(out, ",\"asymptotics\":{");
    else
        fprintf(out, "large-depth fit (local power law y ~ c l^p from the last two layers):\n");
    for (q = 0; q < 4; q++)
    {
        double p = NAN, c = NAN;
        slong n = 0;
        int ok;
        for (l = first; l <= depth; l++)
        {
            if (q == 0)
                arb_set(t, L[l - 1].K);
            else if (!ratio(t, q == 1 ? L[l - 1].V : q == 2 ? L[l - 1].v6 : L[l - 1].v8,
                            L[l - 1].K, q + 1, prec))
                arb_zero(t);    /* no ratio: no power law through this layer */
            y[n++] = arf_get_d(arb_midref(t), ARF_RND_NEAR);
        }
        /* the last two layers' values, both positive, or no power law */
        neft_onen_power_fit(&p, &c, y, n, first);
        ok = isfinite(p) && isfinite(c);
        if (json)
        {
            fputs(q ? "," : "", out);
            neft_json_write_string(out, names[q]);
            if (ok)
                fprintf(out, ":{\"exponent\":%.6g,\"coefficient\":%.6g}", p, c);
            else
                fprintf(out, ":{\"exponent\":null,\"coefficient\":null,\"why\":"
                        "\"the last two layers' values are not both positive\"}");
        }
        else if (ok)
            fprintf(out, "  %-7s p = %-10.6g c = %.6g\n", names[q], p, c);
        else
            fprintf(out, "  %-7s n/a (the last two layers' values are not both positive)\n", names[q]);
    }
    if (json)
        fprintf(out, "}");
    flint_free(y);
    arb_clear(t);
}

static void
layers_json(FILE * out, const neft_onen_layer_struct * L, const neft_onen_exact_struct * E,
            slong depth, slong prec)
{
    slong l;
    arb_t t;
    arb_init(t);
    fprintf(out, "\"layers\":[");
    for (l = 0; l < depth; l++)
    {
        fprintf(out, "%s{\"layer\":%ld", l ? "," : "", (long) L[l].layer);
        if (L[l].width)
            fprintf(out, ",\"width\":%ld", (long) L[l].width);
        fprintf(out, ",\"K\":"); ball_json(out, L[l].K);
        fprintf(out, ",\"chi_par\":"); ball_json(out, L[l].chi_par);
        fprintf(out, ",\"chi_perp\":"); ball_json(out, L[l].chi_perp);
        fprintf(out, ",\"V\":"); ball_json(out, L[l].V);
        fprintf(out, ",\"V_over_K2\":");
        if (ratio(t, L[l].V, L[l].K, 2, prec))
            ball_json(out, t);
        else
            fputs("null", out);     /* K contains 0 */
        fprintf(out, ",\"G1\":"); ball_json(out, L[l].G1);
        fprintf(out, ",\"v6\":"); ball_json(out, L[l].v6);
        fprintf(out, ",\"v8\":"); ball_json(out, L[l].v8);
        fprintf(out, ",\"V1\":"); ball_json(out, L[l].V1);
        if (E != NULL)
        {
            fprintf(out, ",\"exact\":{\"K\":\"");
            fmpq_fprint(out, E[l].K);
            fprintf(out, "\",\"chi_par\":\""); fmpq_fprint(out, E[l].chi_par);
            fprintf(out, "\",\"chi_perp\":\""); fmpq_fprint(out, E[l].chi_perp);
            fprintf(out, "\",\"V\":\""); fmpq_fprint(out, E[l].V);
            fprintf(out, "\",\"G1\":\""); fmpq_fprint(out, E[l].G1);
            fprintf(out, "\",\"v6\":\""); fmpq_fprint(out, E[l].v6);
            fprintf(out, "\",\"v8\":\""); fmpq_fprint(out, E[l].v8);
            fprintf(out, "\",\"V1\":\""); fmpq_fprint(out, E[l].V1);
            fprintf(out, "\"}");
        }
        fprintf(out, "}");
    }
    fprintf(out, "]");
    arb_clear(t);
}

static void
layers_exact_text(FILE * out, const neft_onen_layer_struct * L, const neft_onen_exact_struct * E,
                  slong depth)
{
    slong l;
    fmpq_t r;
    fmpq_init(r);
    fprintf(out, "%5s  %-14s %-8s %-8s %-14s %-14s %-10s %-16s %-16s %s\n", "layer", "K",
            "chi_par", "chi_perp", "V", "V/K^2", "G1", "v6", "v8", "V1");
    for (l = 0; l < depth; l++)
    {
        fprintf(out, "%5ld  ", (long) L[l].layer);
        fmpq_fprint(out, E[l].K); fputs("  ", out);
        fmpq_fprint(out, E[l].chi_par); fputs("  ", out);
        fmpq_fprint(out, E[l].chi_perp); fputs("  ", out);
        fmpq_fprint(out, E[l].V); fputs("  ", out);
        fmpq_mul(r, E[l].K, E[l].K);
        if (fmpq_is_zero(r))
            fputs("n/a", out);      /* K = 0: no ratio */
        else
        {
            fmpq_div(r, E[l].V, r);
            fmpq_fprint(out, r);
        }
        fputs("  ", out);
        fmpq_fprint(out, E[l].G1); fputs("  ", out);
        fmpq_fprint(out, E[l].v6); fputs("  ", out);
        fmpq_fprint(out, E[l].v8); fputs("  ", out);
        fmpq_fprint(out, E[l].V1); fputs("\n", out);
    }
    fmpq_clear(r);
}

void
neft_onen_layers_write(FILE * out, const neft_onen_layer_struct * L,
                       const neft_onen_exact_struct * E, slong depth, int format, slong prec)
{
    slong l;
    arb_t t;
    if (format == NEFT_ONEN_FORMAT_JSON)
    {
        layers_json(out, L, E, depth, prec);
        return;
    }
    if (E != NULL)
    {
        layers_exact_text(out, L, E, depth);
        return;
    }
    arb_init(t);
    fprintf(out, "%5s  %-26s %-20s %-20s %-26s %-20s %-26s %-26s %-26s %s\n", "layer", "K",
            "chi_par", "chi_perp", "V", "V/K^2", "G1", "v6", "v8", "V1");
    for (l = 0; l < depth; l++)
    {
        fprintf(out, "%5ld  ", (long) L[l].layer);
        ball_text(out, L[l].K, 12); fprintf(out, "  ");
        ball_text(out, L[l].chi_par, 8); fprintf(out, "  ");
        ball_text(out, L[l].chi_perp, 8); fprintf(out, "  ");
        ball_text(out, L[l].V, 12); fprintf(out, "  ");
        if (ratio(t, L[l].V, L[l].K, 2, prec))
            ball_text(out, t, 8);
        else
            fputs("n/a", out);      /* K contains 0 */
        fprintf(out, "  ");
        ball_text(out, L[l].G1, 12); fprintf(out, "  ");
        ball_text(out, L[l].v6, 12); fprintf(out, "  ");
        ball_text(out, L[l].v8, 12); fprintf(out, "  ");
        ball_text(out, L[l].V1, 12); fprintf(out, "\n");
    }
    arb_clear(t);
}

/* Per layer a P x P matrix of balls m[l*P*P + a*P + b]: text rows under
   "layer l", JSON {"layer":l,KEY:[[..],..]} items with PAIRS (or nothing)
   before KEY. */
void
_neft_onen_matrices_write(FILE * out, arb_srcptr m, slong depth, slong P, const char * pairs,
                          const char * key, int format)
{
    int json = format == NEFT_ONEN_FORMAT_JSON;
    slong l, a, b;
    for (l = 0; l < depth; l++)
    {
        if (json)
            fprintf(out, "%s{\"layer\":%ld,%s\"%s\":[", l ? "," : "", (long) (l + 1), pairs, key);
        else
            fprintf(out, "layer %ld\n", (long) (l + 1));
        for (a = 0; a < P; a++)
        {
            if (json)
                fprintf(out, "%s[", a ? "," : "");
            for (b = 0; b < P; b++)
            {
                if (json)
                {
                    fprintf(out, b ? "," : "");
                    ball_json(out, m + l * P * P + a * P + b);
                }
                else
                {
                    fprintf(out, "  ");
                    ball_text(out, m + l * P * P + a * P + b, 12);
                }
            }
            fprintf(out, json ? "]" : "\n");
        }
        if (json)
            fprintf(out, "]}");
    }
}

void
neft_onen_kernel_matrix_write(FILE * out, arb_srcptr kernels, const char * why, slong depth,
                              slong npoints, int format)
{
    if (kernels == NULL)
    {
        if (format != NEFT_ONEN_FORMAT_JSON)
            fprintf(out, "\n# kernel matrix: %s\n", why != NULL ? why
                    : "could not be certified (a non-finite ball)");
        return;
    }
    if (format == NEFT_ONEN_FORMAT_JSON)
        fprintf(out, ",\"kernel\":[");
    else
        fprintf(out, "\n# kernel matrix K^(l)_{ab}\n");
    _neft_onen_matrices_write(out, kernels, depth, npoints, "", "K", format);
    if (format == NEFT_ONEN_FORMAT_JSON)
        fprintf(out, "]");
}

void
neft_onen_vertex2_write(FILE * out, arb_srcptr vertex, const char * why, slong depth,
                        int format)
{
    if (vertex == NULL)
    {
        if (format != NEFT_ONEN_FORMAT_JSON)
            fprintf(out, "\n# four-point vertex: %s\n", why != NULL ? why
                    : "could not be certified (a non-finite ball)");
        return;
    }
    if (format == NEFT_ONEN_FORMAT_JSON)
        fprintf(out, ",\"vertex\":[");
    else
        fprintf(out, "\n# four-point vertex V^(l)_{(ab)(cd)} = lim n Cov(G_ab, G_cd);"
                " E[z_a z_b z_c z_d]_c = (V_(ab)(cd) + V_(ac)(bd) + V_(ad)(bc))/n\n"
                "# rows and columns: pairs (00) (01) (11)\n");
    _neft_onen_matrices_write(out, vertex, depth, 3, "\"pairs\":[[0,0],[0,1],[1,1]],", "V",
                              format);
    if (format == NEFT_ONEN_FORMAT_JSON)
        fprintf(out, "]");
}

void
neft_onen_g1_write(FILE * out, arb_srcptr g1, const char * why, slong depth, int format)
{
    neft_onen_g1_write_n(out, g1, why, depth, 2, format);
}

void
neft_onen_g1_write_n(FILE * out, arb_srcptr g1, const char * why, slong depth, slong P,
                     int format)
{
    if (g1 == NULL)
    {
        if (format != NEFT_ONEN_FORMAT_JSON)
            fprintf(out, "\n# O(1/n) kernel shift: %s\n", why != NULL ? why
                    : "could not be certified (a non-finite ball)");
        return;
    }
    if (format == NEFT_ONEN_FORMAT_JSON)
        fprintf(out, ",\"g1\":[");
    else
        fprintf(out, "\n# O(1/n) kernel shift G1^(l)_{ab}: E[z_a z_b] = K_ab + G1_ab/n\n");
    _neft_onen_matrices_write(out, g1, depth, P, "", "G1", format);
    if (format == NEFT_ONEN_FORMAT_JSON)
        fprintf(out, "]");
}

/* The header of a table: activation, C_W, C_b (exact), depth. */
static void
header_write(FILE * out, const char * act_name, const fmpq_t cw, const fmpq_t cb,
                       slong depth, int format)
{
    int json = format == NEFT_ONEN_FORMAT_JSON;
    if (json)
    {
        fputs("{\"activation\":", out);
        neft_json_write_string(out, act_name);
        fputs(",\"cw\":\"", out);
    }
    else
        fprintf(out, "# neft onen: activation %s, C_W = ", act_name);
    fmpq_fprint(out, cw);
    fprintf(out, json ? "\",\"cb\":\"" : ", C_b = ");
    fmpq_fprint(out, cb);
    fprintf(out, json ? "\",\"depth\":%ld," : ", depth %ld\n", (long) depth);
    if (!json)
        fprintf(out, "# E[z^2] = K + G1/n, E[z^4]_c = 3 V/n, E[z^6]_c = 15 v6/n^2,"
                " E[z^8]_c = 105 v8/n^3 (docs/onen.md)\n");
}

void
neft_onen_table_write(FILE * out, const neft_onen_table_t t, const neft_net_t net, int format)
{
    slong a, depth = t->depth, P = t->npoints;
    int json = format == NEFT_ONEN_FORMAT_JSON;
    header_write(out, net->act->name, net->cw, net->cb, depth, format);
    for (a = 0; a < P; a++)
    {
        if (json && P > 1)
            fprintf(out, "%s\"point%ld\":{", a ? "," : "", (long) a);
        else if (P > 1)
            fprintf(out, "\n# input %ld\n", (long) a);
        neft_onen_layers_write(out, t->layers[a], t->exact[a], depth, format, t->prec);
        if (depth >= 3)
            neft_onen_asymptotics_write(out, t->layers[a], depth, format, t->prec);
        if (json && P > 1)
            fprintf(out, "}");
    }
    if (P > 1)
        neft_onen_kernel_matrix_write(out, t->kernel, t->kernel_why, depth, P, format);
    if (P == 2)
    {
        neft_onen_vertex2_write(out, t->vertex, t->vertex_why, depth, format);
        neft_onen_g1_write(out, t->g1, t->g1_why, depth, format);
    }
    else if (P <= 4)
    {
        /* src/onen/vertex4_table.c */
        _neft_onen_vertex4_write(out, t->vertex, t->vertex_why, depth, P, format);
        neft_onen_g1_write_n(out, t->g1, t->g1_why, depth, P, format);
    }
    if (json)
        fprintf(out, "}\n");
}
