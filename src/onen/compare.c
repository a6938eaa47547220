/* The 1/n predictions next to sampled correlators (`neft onen
   --compare-samples`, docs/cmd-onen.md): per input the single-input
   moments E[z^2] = K + G1/n and E[z^{2k}]_c = (2k-1)!! v_{2k}/n^{k-1}
   (k = 2, 3, 4), for two inputs also the mixed four-point tuples from the
   two-input vertex, each with its pull (measured - predicted)/stderr. */

#include <math.h>
#include <string.h>
#include "neft/onen.h"
#include "neft/json.h"
#include "onen_private.h"

void
neft_onen_compare_init(neft_onen_compare_t c)
{
    memset(c, 0, sizeof(*c));
}

void
neft_onen_compare_clear(neft_onen_compare_t c)
{
    slong i;
    for (i = 0; i < c->nrows; i++)
    {
        arb_clear(&c->rows[i].pred);
        arb_clear(&c->rows[i].pred_next);
    }
    flint_free(c->rows);
    memset(c, 0, sizeof(*c));
}

/* Appends a row (pred set by the caller); returns it. */
static neft_onen_compare_row_struct *
add_row(neft_onen_compare_t c, slong npt, const slong * idx, double mean, double err)
{
    neft_onen_compare_row_struct * r;
    if (c->nrows == c->alloc)
    {
        c->alloc = 2 * c->alloc + 8;
        c->rows = flint_realloc(c->rows, c->alloc * sizeof(*c->rows));
    }
    r = c->rows + c->nrows++;
    r->npt = npt;
    memcpy(r->idx, idx, npt * sizeof(slong));
    r->mean = mean;
    r->err = err;
    arb_init(&r->pred);
    arb_init(&r->pred_next);
    r->has_next = 0;
    r->pull_next = NAN;
    return r;
}

static void
set_pull(neft_onen_compare_row_struct * r)
{
    r->pull = r->err > 0 ? (r->mean - arf_get_d(arb_midref(&r->pred), ARF_RND_NEAR)) / r->err
              : NAN;
}

void
neft_onen_compare_cost(double * ops, double * bytes, const neft_onen_samples_t s,
                       const neft_onen_params_t par)
{
    double o1, b1, o2 = 0, b2 = 0, cw, cb;
    slong a, b;
    _neft_onen_cwcb_d(&cw, &cb, par->net, par->prec);
    *ops = *bytes = 0;
    for (a = 0; a < s->npoints; a++)
    {
        /* K^(1) = C_b + C_W x.x / d_in */
        double xx = 0;
        for (b = 0; b < s->d_in; b++)
            xx += s->inputs[a * s->d_in + b] * s->inputs[a * s->d_in + b];
        neft_onen_single_cost(&o1, &b1, par, cb + cw * xx / (double) s->d_in);
        *ops += o1;
        *bytes = FLINT_MAX(*bytes, b1);
    }
    if (s->npoints == 2)
        neft_onen_vertex2_cost(&o2, &b2, par, s->d_in);
    *ops += o2;
    *bytes += b2 + 200.0 * (double) s->ncorr;
}

/* The single-input rows of input a from its layers L. */
static void
single_rows(neft_onen_compare_t c, const neft_onen_samples_t s, const neft_onen_layer_struct * L,
            slong a, slong n, slong prec)
{
    static const int dfact[5] = { 1, 1, 3, 15, 105 };
    const neft_onen_layer_struct * last = L + c->depth - 1;
    slong k, j, idx[8];
    arb_t t;
    arb_init(t);
    for (k = 1; k <= 4; k++)
    {
        const neft_onen_measured_struct * m;
        neft_onen_compare_row_struct * r;
        for (j = 0; j < 2 * k; j++)
            idx[j] = a;
        m = neft_onen_samples_find(s, 2 * k, idx);
        if (m == NULL)
            continue;
        /* E[z^2] = K + G1/n; E[z^{2k}]_c = (2k-1)!! v_{2k}/n^{k-1} */
        if (k == 1)
        {
            r = add_row(c, 2 * k, idx, m->full_mean, m->full_err);
            arb_div_si(t, last->G1, n, prec);
            arb_add(&r->pred, last->K, t, prec);
        }
        else
        {
            r = add_row(c, 2 * k, idx, m->conn_mean, m->conn_err);
            arb_set(t, k == 2 ? last->V : k == 3 ? last->v6 : last->v8);
            arb_mul_si(t, t, dfact[k], prec);
            arb_set_si(&r->pred, n);
            arb_pow_ui(&r->pred, &r->pred, k - 1, prec);
            arb_div(&r->pred, t, &r->pred, prec);
            if (k == 2)
            {
                /* the next order: 3 (V/n + V1/n^2) */
                arb_div_si(t, last->V1, n, prec);
                arb_add(t, t, last->V, prec);
                arb_div_si(t, t, n, prec);
                arb_mul_si(&r->pred_next, t, 3, prec);
                r->has_next = 1;
                r->pull_next = r->err > 0 ? (r->mean - arf_get_d(arb_midref(&r->pred_next),
                                                                  ARF_RND_NEAR)) / r->err : NAN;
            }
        }
        set_pull(r);
    }
    arb_clear(t);
}

/* The mixed four-point rows of two inputs x (every activation with a
   two-input vertex: closed forms or integrated) and, for the integrated
   ones, the mixed two-point row with G1. */
static void
mixed_rows(neft_onen_compare_t c, const neft_onen_samples_t s, const neft_onen_params_t par,
           arb_srcptr x, slong n)
{
    static const slong tuples[3][4] = { { 0, 0, 0, 1 }, { 0, 0, 1, 1 }, { 0, 1, 1, 1 } };
    slong depth = par->net->depth, prec = par->prec, k;
    arb_ptr K2 = _arb_vec_init(4 * depth), V2 = _arb_vec_init(9 * depth),
        G2 = _arb_vec_init(4 * depth);
    const onen_row_struct * row = _neft_onen_row(par->net);
    int integrated = row != NULL && row->vertex2 == _neft_onen_vertex2_gen, ok;
    /* the integrated rows: the vertex and G1 from one integration, and the
       mixed two-point E[z_0 z_1] = K_01 + G1_01/n with them */
    ok = integrated ? neft_onen_vertex2_g1(K2, V2, G2, par, x, s->d_in) == 0
                    : neft_onen_vertex2(K2, V2, par, x, s->d_in) == 0;
    if (ok && integrated)
    {
        static const slong pair[2] = { 0, 1 };
        const neft_onen_measured_struct * m = neft_onen_samples_find(s, 2, pair);
        if (m != NULL)
        {
            neft_onen_compare_row_struct * r = add_row(c, 2, pair, m->full_mean, m->full_err);
            arb_div_si(&r->pred, G2 + 4 * (depth - 1) + 1, n, prec);
            arb_add(&r->pred, &r->pred, K2 + 4 * (depth - 1) + 1, prec);
            set_pull(r);
        }
    }
    if (ok)
        for (k = 0; k < 3; k++)
        {
            const slong * i = tuples[k];
            const neft_onen_measured_struct * m = neft_onen_samples_find(s, 4, i);
            arb_srcptr V = V2 + 9 * (depth - 1);
            neft_onen_compare_row_struct * r;
            if (m == NULL)
                continue;
            r = add_row(c, 4, i, m->conn_mean, m->conn_err);
            /* pair (ab) -> a + b; (V_(i0i1)(i2i3) + V_(i0i2)(i1i3) + V_(i0i3)(i1i2))/n */
            arb_add(&r->pred, V + 3 * (i[0] + i[1]) + i[2] + i[3],
                    V + 3 * (i[0] + i[2]) + i[1] + i[3], prec);
            arb_add(&r->pred, &r->pred, V + 3 * (i[0] + i[3]) + i[1] + i[2], prec);
            arb_div_si(&r->pred, &r->pred, n, prec);
            set_pull(r);
        }
    _arb_vec_clear(K2, 4 * depth);
    _arb_vec_clear(V2, 9 * depth);
    _arb_vec_clear(G2, 4 * depth);
}

int
neft_onen_compare(neft_onen_compare_t c, const neft_onen_samples_t s,
                  const neft_onen_params_t par, slong width, slong * bad)
{
    slong a, b, prec = par->prec, depth = par->net->depth, n = width;
    arb_t kk, cw, cb;
    arb_ptr x;
    int status = 0;

    if (neft_onen_check_depth(par->net, NULL) != NEFT_SUCCESS)
        return NEFT_UNSUPPORTED;
    arb_init(cw); arb_init(cb);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    c->models = s->models;
    c->width = n;
    c->depth = depth;
    arb_init(kk);
    x = _arb_vec_init(s->npoints * s->d_in);
    for (a = 0; a < s->npoints * s->d_in; a++)
        arb_set_d(x + a, s->inputs[a]);   /* the sampler's inputs, as written */
    for (a = 0; a < s->npoints && status == 0; a++)
    {
        neft_onen_layer_struct * L = neft_onen_layers_init(depth);
        arb_zero(kk);
        for (b = 0; b < s->d_in; b++)
            arb_addmul(kk, x + a * s->d_in + b, x + a * s->d_in + b, prec);
        arb_div_si(kk, kk, s->d_in, prec);
        arb_mul(kk, kk, cw, prec);
        arb_add(kk, kk, cb, prec);
        if (neft_onen_single(L, par, kk))
        {
            *bad = a;
            status = arb_is_zero(kk) && !arb_is_finite(L[0].chi_par) ? -1 : -2;
        }
        else
            single_rows(c, s, L, a, n, prec);
        neft_onen_layers_clear(L, depth);
    }
    if (status == 0 && s->npoints == 2)
        mixed_rows(c, s, par, x, n);
    _arb_vec_clear(x, s->npoints * s->d_in);
    arb_clear(kk); arb_clear(cw); arb_clear(cb);
    return status;
}

/* Why a pull against pred is not a number (NULL when it is one). */
static const char *
pull_why(const neft_onen_compare_row_struct * r, const arb_t pred, double pull)
{
    if (!isfinite(r->mean) || !isfinite(r->err))
        return "the measured value is not a number";
    if (!(r->err > 0))
        return "the standard error is 0";
    if (!arb_is_finite(pred))
        return "the prediction is not finite";
    return isfinite(pull) ? NULL : "the pull is beyond the range of a double";
}

/* A pull that is not a number: "n/a" (text), null with the reason (JSON). */
static void
write_pull(FILE * out, const neft_onen_compare_row_struct * r, int json)
{
    const char * why = pull_why(r, &r->pred, r->pull);
    if (json && why == NULL)
        fprintf(out, ",\"pull\":%.6g}", r->pull);
    else if (json)
        fprintf(out, ",\"pull\":null,\"pull_why\":\"%s\"}", why);
    else if (why == NULL)
        fprintf(out, "  %.3f\n", r->pull);
    else
        fprintf(out, "  n/a\n");
}

void
neft_onen_compare_write(FILE * out, const neft_onen_compare_t c, const char * file,
                        const neft_net_t net, int format)
{
    slong i, j;
    int json = format == NEFT_ONEN_FORMAT_JSON;
    if (json)
        fprintf(out, "{\"models\":%ld,\"width\":%ld,\"depth\":%ld,\"compare\":[",
                (long) c->models, (long) c->width, (long) c->depth);
    else
        fprintf(out, "# neft onen --compare-samples %s: %s, C_W, C_b as given, width %ld, depth %ld,"
                " %ld models\n# pull = (measured - predicted)/stderr\n"
                "%-4s %-12s %-28s %-40s %s\n", file, net->act->name,
                (long) c->width, (long) c->depth, (long) c->models, "npt", "indices", "measured",
                "predicted", "pull");
    for (i = 0; i < c->nrows; i++)
    {
        const neft_onen_compare_row_struct * r = c->rows + i;
        if (json)
        {
            fprintf(out, "%s{\"npt\":%ld,\"indices\":[", i ? "," : "", (long) r->npt);
            for (j = 0; j < r->npt; j++)
                fprintf(out, "%s%ld", j ? "," : "", (long) r->idx[j]);
            fprintf(out, "],\"measured\":{\"mean\":");
            neft_json_write_double(out, r->mean);
            fprintf(out, ",\"stderr\":");
            neft_json_write_double(out, r->err);
            fprintf(out, "},\"predicted\":");
            neft_json_write_arb(out, &r->pred, 20);
        }
        else
        {
            char ib[64], mb[64], * s;
            int off = 0;
            for (j = 0; j < r->npt && off < 60; j++)
                off += snprintf(ib + off, sizeof ib - off, "%s%ld", j ? "," : "",
                                (long) r->idx[j]);
            if (isfinite(r->mean) && isfinite(r->err))
                snprintf(mb, sizeof mb, "%.8g +/- %.3g", r->mean, r->err);
            else
                snprintf(mb, sizeof mb, "n/a");
            fprintf(out, "%-4ld %-12s %-28s ", (long) r->npt, ib, mb);
            s = arb_get_str(&r->pred, 10, 0);
            fputs(s, out);
            flint_free(s);
        }
        if (json && r->has_next)
        {
            fprintf(out, ",\"predicted_next\":");
            neft_json_write_arb(out, &r->pred_next, 20);
            if (pull_why(r, &r->pred_next, r->pull_next) == NULL)
                fprintf(out, ",\"pull_next\":%.6g", r->pull_next);
            else
                fprintf(out, ",\"pull_next\":null,\"pull_next_why\":\"%s\"",
                        pull_why(r, &r->pred_next, r->pull_next));
        }
        write_pull(out, r, json);
        if (!json && r->has_next)
        {
            char * s = arb_get_str(&r->pred_next, 10, 0);
            fprintf(out, "%-4s %-12s %-28s %-40s ", "", "", "  to O(1/n^2):", s);
            flint_free(s);
            if (pull_why(r, &r->pred_next, r->pull_next) == NULL)
                fprintf(out, "%.3f\n", r->pull_next);
            else
                fprintf(out, "n/a\n");
        }
    }
    if (json)
        fprintf(out, "]}\n");
}
