/* Correlator data files (`neft sample` / `neft exact` JSON) as fit input,
   checked by neft_json_read_correlators. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/eft.h"
#include "neft/json.h"

void
neft_eft_data_init(neft_eft_data_t D)
{
    memset(D, 0, sizeof(neft_eft_data_struct));
    arb_init(D->sw);
    arb_init(D->sb);
    arb_init(D->slope);
}

void
neft_eft_data_clear(neft_eft_data_t D)
{
    arb_clear(D->sw);
    arb_clear(D->sb);
    arb_clear(D->slope);
    if (D->points)
        _arb_vec_clear(D->points, D->npoints * D->d_in);
    if (D->value)
        _arb_vec_clear(D->value, D->ntuples);
    if (D->err)
        _arb_vec_clear(D->err, D->ntuples);
    flint_free(D->idx);
    memset(D, 0, sizeof(neft_eft_data_struct));
}

/* A JSON number (its source text, so decimals are read as balls containing
   them) or a ball object {"mid","rad"} into x. */
static int
_num(arb_t x, const neft_json_struct * v, slong prec)
{
    if (v == NULL)
        return 0;
    if (v->type == NEFT_JSON_NUMBER)
        return arb_set_str(x, v->str, prec) == 0 && arb_is_finite(x);
    if (v->type == NEFT_JSON_OBJECT)
    {
        const neft_json_struct * m = neft_json_get(v, "mid"), * r = neft_json_get(v, "rad");
        arb_t t;
        int ok;
        if (!m || !r || m->type != NEFT_JSON_STRING || r->type != NEFT_JSON_STRING)
            return 0;
        arb_init(t);
        ok = arb_set_str(x, m->str, prec) == 0 && arb_set_str(t, r->str, prec) == 0
             && arb_is_finite(x) && arb_is_finite(t) && !arb_is_negative(t);
        if (ok)
        {
            /* widen by the radius (an upper bound of it) */
            arb_get_ubound_arf(arb_midref(t), t, prec);
            arb_add_error_arf(x, arb_midref(t));
        }
        arb_clear(t);
        return ok;
    }
    return 0;
}

/* 1 when v is a string fit for an activation name: 1 to 31 characters among
   letters, digits, '-' and '_' (so that messages quoting it stay one line). */
static int
_name(const neft_json_struct * v)
{
    size_t n;
    if (v->type != NEFT_JSON_STRING)
        return 0;
    n = strlen(v->str);
    return n >= 1 && n < sizeof(((neft_eft_data_struct *) 0)->activation)
           && strspn(v->str, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

#define FAIL(line, ...) do { int _k = snprintf(err, errlen, "%s:%ld: ", path, (long) (line)); \
    if (_k >= 0 && (size_t) _k < errlen) snprintf(err + _k, errlen - _k, __VA_ARGS__); \
    goto fail; } while (0)

int
neft_eft_data_read(neft_eft_data_t D, const char * path, slong npt, int connected, slong prec,
                   char * err, size_t errlen)
{
    return neft_eft_data_read_flags(D, path, npt, connected, prec, 0, err, errlen);
}

int
neft_eft_data_read_flags(neft_eft_data_t D, const char * path, slong npt, int connected,
                         slong prec, int flags, char * err, size_t errlen)
{
    neft_json_t doc;
    const neft_json_struct * v, * in, * cs;
    slong i, j, k, nt = 0;

    neft_eft_data_init(D);
    /* digest, inputs, every entry: the checks shared with neft onen */
    if (!neft_json_read_correlators(doc, path, flags, err, errlen))
        return 0;
    if (doc->type != NEFT_JSON_OBJECT)
        FAIL(doc->line, "expected a JSON object from neft sample or neft exact");
    v = neft_json_get(doc, "activation");
    if (v && !_name(v))
        FAIL(v->line, "expected \"activation\": a name such as \"relu\"");
    if (v)
        snprintf(D->activation, sizeof D->activation, "%s", v->str);
    v = neft_json_get(doc, "width");
    if (v && v->type == NEFT_JSON_NUMBER && v->num >= 1 && v->num < 1e15)
        D->width = (slong) v->num;
    /* sigma_w and sigma_b: 1 and 0 when absent, else non-negative numbers */
    v = neft_json_get(doc, "sw");
    if (v == NULL)
        arb_one(D->sw);
    else if (!_num(D->sw, v, prec) || arb_is_negative(D->sw))
        FAIL(v->line, "expected \"sw\": a non-negative number");
    v = neft_json_get(doc, "sb");
    if (v == NULL)
        arb_zero(D->sb);
    else if (!_num(D->sb, v, prec) || arb_is_negative(D->sb))
        FAIL(v->line, "expected \"sb\": a non-negative number");
    /* the activation's parameter (leaky-relu's slope), as sample and exact write it */
    v = neft_json_get(doc, "slope");
    if (v != NULL && !_num(D->slope, v, prec))
        FAIL(v->line, "expected \"slope\": a number");
    D->has_slope = v != NULL;
    in = neft_json_get(doc, "inputs");
    if (in == NULL || in->type != NEFT_JSON_ARRAY || in->len == 0)
        FAIL(doc->line, "expected \"inputs\": a non-empty array of points");
    D->npoints = in->len;
    D->d_in = in->items[0].type == NEFT_JSON_ARRAY ? in->items[0].len : 0;
    if (D->d_in <= 0)
        FAIL(in->line, "expected each input as an array of coordinates");
    v = neft_json_get(doc, "d_in");
    if (v && (v->type != NEFT_JSON_NUMBER || v->num != D->d_in))
        FAIL(v->line, "\"d_in\" does not match the inputs' dimension %ld", (long) D->d_in);
    D->points = _arb_vec_init(D->npoints * D->d_in);
    for (i = 0; i < D->npoints; i++)
    {
        const neft_json_struct * p = in->items + i;
        if (p->type != NEFT_JSON_ARRAY || p->len != D->d_in)
            FAIL(p->line, "expected input %ld as an array of %ld coordinates", (long) i,
                 (long) D->d_in);
        for (j = 0; j < D->d_in; j++)
            if (!_num(D->points + i * D->d_in + j, p->items + j, prec))
                FAIL(p->items[j].line, "expected a finite number as a coordinate");
            else
                /* as neft eval does: a decimal input is the nearest binary
                   number at this precision, an exact point */
                mag_zero(arb_radref(D->points + i * D->d_in + j));
    }
    cs = neft_json_get(doc, "correlators");
    if (cs == NULL || cs->type != NEFT_JSON_ARRAY)
        FAIL(doc->line, "expected \"correlators\": an array");
    for (i = 0; i < cs->len; i++)
    {
        v = neft_json_get(cs->items + i, "npt");
        if (v && v->type == NEFT_JSON_NUMBER && v->num == npt)
            nt++;
    }
    if (nt == 0)
        FAIL(cs->line, "no %ld-point correlators in the file (run neft sample/exact with --npt %ld)",
             (long) npt, (long) npt);
    D->npt = npt;
    D->ntuples = nt;
    D->idx = flint_malloc(sizeof(slong) * nt * npt);
    D->value = _arb_vec_init(nt);
    D->err = _arb_vec_init(nt);
    D->has_err = -1;
    for (i = 0, k = 0; i < cs->len; i++)
    {
        const neft_json_struct * c = cs->items + i, * ix, * q, * m;
        v = neft_json_get(c, "npt");
        if (!(v && v->type == NEFT_JSON_NUMBER && v->num == npt))
            continue;
        ix = neft_json_get(c, "indices");
        if (!ix || ix->type != NEFT_JSON_ARRAY || ix->len != npt)
            FAIL(c->line, "expected \"indices\": %ld input positions", (long) npt);
        for (j = 0; j < npt; j++)
        {
            double x = ix->items[j].num;
            if (ix->items[j].type != NEFT_JSON_NUMBER || x < 0 || x >= D->npoints
                || x != (double) (slong) x || (j > 0 && x < D->idx[k * npt + j - 1]))
                FAIL(ix->line, "expected sorted input positions in 0..%ld", (long) D->npoints - 1);
            D->idx[k * npt + j] = (slong) x;
        }
        q = neft_json_get(c, connected ? "connected" : "full");
        if (q == NULL)
            FAIL(c->line, "expected a \"%s\" value", connected ? "connected" : "full");
        m = neft_json_get(q, "mean");
        if (m != NULL)
        {
            if (D->has_err == 0)
                FAIL(q->line, "mixed sampled and exact values");
            D->has_err = 1;
            if (!_num(D->value + k, m, prec) || !_num(D->err + k, neft_json_get(q, "stderr"), prec)
                || !arb_is_positive(D->err + k))
                FAIL(q->line, "expected \"mean\" and a positive \"stderr\"");
        }
        else
        {
            if (D->has_err == 1)
                FAIL(q->line, "mixed sampled and exact values");
            D->has_err = 0;
            if (!_num(D->value + k, q, prec))
                FAIL(q->line, "expected a ball {\"mid\": \"..\", \"rad\": \"..\"} or "
                              "{\"mean\": .., \"stderr\": ..}");
        }
        k++;
    }
    neft_json_clear(doc);
    return 1;
fail:
    neft_json_clear(doc);
    neft_eft_data_clear(D);
    return 0;
}
