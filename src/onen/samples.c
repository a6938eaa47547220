/* Reading the correlators of `neft sample --format json` (DESIGN.md) for the
   comparison with the 1/n predictions, through the strict JSON reader
   (neft/json.h); unknown keys are skipped. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"
#include "neft/json.h"

#define FAIL(v, ...) do { int _k = snprintf(err, errsize, "%s:%ld: ", path, (long) (v)->line); \
    if (_k >= 0 && (size_t) _k < errsize) snprintf(err + _k, errsize - _k, __VA_ARGS__); \
    goto fail; } while (0)

/* 1 when v is a number that is an integer in [lo, hi] (into *out). */
static int
_integer(slong * out, const neft_json_struct * v, double lo, double hi)
{
    if (v == NULL || v->type != NEFT_JSON_NUMBER || !(v->num >= lo && v->num <= hi)
        || v->num != floor(v->num))
        return 0;
    *out = (slong) v->num;
    return 1;
}

/* 1 when v is {"mean": finite, "stderr": finite, ..} (into mean, err). */
static int
_stat(double * mean, double * se, const neft_json_struct * v)
{
    const neft_json_struct * m = neft_json_get(v, "mean"), * e = neft_json_get(v, "stderr");
    if (m == NULL || e == NULL || m->type != NEFT_JSON_NUMBER || e->type != NEFT_JSON_NUMBER
        || !isfinite(m->num) || !isfinite(e->num))
        return 0;
    *mean = m->num;
    *se = e->num;
    return 1;
}

void
neft_onen_samples_init(neft_onen_samples_t s)
{
    memset(s, 0, sizeof(neft_onen_samples_struct));
}

void
neft_onen_samples_clear(neft_onen_samples_t s)
{
    flint_free(s->inputs);
    flint_free(s->corr);
    memset(s, 0, sizeof(neft_onen_samples_struct));
}

int
neft_onen_samples_read(neft_onen_samples_t s, const char * path, char * err, size_t errsize)
{
    neft_json_t doc;
    const neft_json_struct * v, * in, * cs;
    slong i, j;

    if (!neft_json_read_file(doc, path, err, errsize))
        return -1;
    if (doc->type != NEFT_JSON_OBJECT)
        FAIL(doc, "expected a JSON object from neft sample --format json");
    v = neft_json_get(doc, "models");
    if (v != NULL && !_integer(&s->models, v, 0, 4e18))
        FAIL(v, "expected \"models\": a non-negative integer");
    in = neft_json_get(doc, "inputs");
    if (in == NULL || in->type != NEFT_JSON_ARRAY || in->len == 0
        || in->items[0].type != NEFT_JSON_ARRAY || in->items[0].len == 0)
        FAIL(in ? in : doc, "expected \"inputs\": a non-empty array of points");
    s->npoints = in->len;
    s->d_in = in->items[0].len;
    s->inputs = flint_malloc(sizeof(double) * s->npoints * s->d_in);
    for (i = 0; i < s->npoints; i++)
    {
        const neft_json_struct * p = in->items + i;
        if (p->type != NEFT_JSON_ARRAY || p->len != s->d_in)
            FAIL(p, "expected every input point to have the same dimension %ld", (long) s->d_in);
        for (j = 0; j < s->d_in; j++)
        {
            if (p->items[j].type != NEFT_JSON_NUMBER || !isfinite(p->items[j].num))
                FAIL(p->items + j, "expected a finite number as a coordinate");
            s->inputs[i * s->d_in + j] = p->items[j].num;
        }
    }
    cs = neft_json_get(doc, "correlators");
    if (cs == NULL || cs->type != NEFT_JSON_ARRAY || cs->len == 0)
        FAIL(cs ? cs : doc, "expected \"correlators\": a non-empty array");
    s->corr = flint_calloc(cs->len, sizeof(neft_onen_measured_struct));
    s->ncorr = cs->len;
    for (i = 0; i < cs->len; i++)
    {
        const neft_json_struct * c = cs->items + i, * ix;
        neft_onen_measured_struct * m = s->corr + i;
        if (c->type != NEFT_JSON_OBJECT)
            FAIL(c, "expected each correlator as an object");
        if (!_integer(&m->npt, neft_json_get(c, "npt"), 1, 8))
            FAIL(c, "expected \"npt\" between 1 and 8");
        ix = neft_json_get(c, "indices");
        if (ix == NULL || ix->type != NEFT_JSON_ARRAY || ix->len != m->npt)
            FAIL(c, "expected \"npt\" and as many \"indices\"");
        for (j = 0; j < m->npt; j++)
            if (!_integer(m->idx + j, ix->items + j, 0, (double) (s->npoints - 1))
                || (j > 0 && m->idx[j] < m->idx[j - 1]))
                FAIL(ix, "expected sorted indices below %ld", (long) s->npoints);
        v = neft_json_get(c, "full");
        if (v != NULL && !_stat(&m->full_mean, &m->full_err, v))
            FAIL(v, "expected \"mean\" and \"stderr\" (finite numbers)");
        v = neft_json_get(c, "connected");
        if (v != NULL && !_stat(&m->conn_mean, &m->conn_err, v))
            FAIL(v, "expected \"mean\" and \"stderr\" (finite numbers)");
    }
    neft_json_clear(doc);
    return 0;
fail:
    neft_json_clear(doc);
    neft_onen_samples_clear(s);
    return -1;
}

const neft_onen_measured_struct *
neft_onen_samples_find(const neft_onen_samples_t s, slong npt, const slong * idx)
{
    slong i, j;
    for (i = 0; i < s->ncorr; i++)
    {
        if (s->corr[i].npt != npt)
            continue;
        for (j = 0; j < npt && s->corr[i].idx[j] == idx[j]; j++)
            ;
        if (j == npt)
            return s->corr + i;
    }
    return NULL;
}
