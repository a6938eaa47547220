/* Reading the correlators of `neft sample --format json` (DESIGN.md) for the
   comparison with the 1/n predictions, through the one validation of
   correlator files (neft_json_read_correlators); unknown keys are skipped;
   and the check that the file's networks are the predicted ones. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"
#include "onen_private.h"
#include "neft/json.h"
#include "neft/points.h"

#define FAIL(v, ...) do { int _k = snprintf(err, errsize, "%s:%ld: ", path, (long) (v)->line); \
    if (_k >= 0 && (size_t) _k < errsize) snprintf(err + _k, errsize - _k, __VA_ARGS__); \
    goto fail; } while (0)

/* {"mean": m, "stderr": s} into mean, err (checked by
   neft_json_read_correlators: finite, s >= 0); 0 when v is a ball (exact
   data, which has no standard error). */
static int
_stat(double * mean, double * se, const neft_json_struct * v)
{
    const neft_json_struct * m = neft_json_get(v, "mean"), * e = neft_json_get(v, "stderr");
    if (m == NULL || e == NULL)
        return 0;
    *mean = m->num;
    *se = e->num;
    return 1;
}

/* A non-negative number, or a ball {"mid","rad"} (its midpoint), into *x. */
static int
_param(double * x, const neft_json_struct * v)
{
    const neft_json_struct * m;
    if (v->type == NEFT_JSON_NUMBER && isfinite(v->num) && v->num >= 0)
    {
        *x = v->num;
        return 1;
    }
    m = neft_json_get(v, "mid");
    if (m != NULL && m->type == NEFT_JSON_STRING)
    {
        char * end;
        *x = strtod(m->str, &end);
        return *end == '\0' && isfinite(*x) && *x >= 0;
    }
    return 0;
}

void
neft_onen_samples_init(neft_onen_samples_t s)
{
    memset(s, 0, sizeof(neft_onen_samples_struct));
    s->nwidths = -1;
}

void
neft_onen_samples_clear(neft_onen_samples_t s)
{
    flint_free(s->inputs);
    flint_free(s->corr);
    flint_free(s->widths);
    memset(s, 0, sizeof(neft_onen_samples_struct));
    s->nwidths = -1;
}

int
neft_onen_samples_read(neft_onen_samples_t s, const char * path, char * err, size_t errsize)
{
    return neft_onen_samples_read_flags(s, path, 0, err, errsize);
}

int
neft_onen_samples_read_flags(neft_onen_samples_t s, const char * path, int flags, char * err,
                             size_t errsize)
{
    neft_json_t doc;
    const neft_json_struct * v, * in, * cs;
    slong i, j;

    if (!neft_json_read_correlators(doc, path, flags, err, errsize))
        return -1;
    v = neft_json_get(doc, "models");
    if (v != NULL && !neft_json_integer(&s->models, v, 0, 4e18))
        FAIL(v, "expected \"models\": a non-negative integer");
    /* the networks */
    v = neft_json_get(doc, "activation");
    if (v != NULL && (v->type != NEFT_JSON_STRING || strlen(v->str) == 0
                      || strlen(v->str) >= sizeof(s->activation)
                      || strspn(v->str, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(v->str)))
        FAIL(v, "expected \"activation\": a name such as \"relu\"");
    if (v != NULL)
    {
        neft_act_srcptr row = neft_act_lookup(v->str);
        strcpy(s->activation, v->str);
        /* the user parameter under the row's name for it (leaky-relu's "slope") */
        if (row != NULL && row->param_default != NULL
            && (v = neft_json_get(doc, row->param_name)) != NULL)
        {
            if (v->type != NEFT_JSON_NUMBER || !isfinite(v->num))
                FAIL(v, "expected \"%s\": a number", row->param_name);
            s->param = v->num;
            s->have_param = 1;
        }
    }
    v = neft_json_get(doc, "depth");
    if (v != NULL && !neft_json_integer(&s->depth, v, 1, 1e6))
        FAIL(v, "expected \"depth\": a positive integer");
    v = neft_json_get(doc, "width");
    if (v != NULL && !neft_json_integer(&s->width, v, 1, 4e18))
        FAIL(v, "expected \"width\": a positive integer");
    v = neft_json_get(doc, "widths");
    if (v != NULL)
    {
        if (v->type != NEFT_JSON_ARRAY || v->len > 1000000)
            FAIL(v, "expected \"widths\": an array of positive integers");
        s->nwidths = v->len;
        s->widths = flint_malloc(sizeof(slong) * FLINT_MAX(v->len, 1));
        for (i = 0; i < v->len; i++)
            if (!neft_json_integer(s->widths + i, v->items + i, 1, 4e18))
                FAIL(v, "expected \"widths\": an array of positive integers");
    }
    for (i = 0; i < 2; i++)
    {
        /* C_W, C_b: "cw", "cb", else sigma_w^2, sigma_b^2 from "sw", "sb" */
        double x;
        int * have = i ? &s->have_cb : &s->have_cw;
        double * c = i ? &s->cb : &s->cw;
        v = neft_json_get(doc, i ? "cb" : "cw");
        if (v != NULL)
        {
            if (!_param(&x, v))
                FAIL(v, "expected \"%s\": a non-negative number", i ? "cb" : "cw");
            *c = x;
            *have = 1;
            continue;
        }
        v = neft_json_get(doc, i ? "sb" : "sw");
        if (v != NULL)
        {
            if (!_param(&x, v))
                FAIL(v, "expected \"%s\": a non-negative number", i ? "sb" : "sw");
            *c = x * x;
            *have = 1;
        }
    }
    in = neft_json_get(doc, "inputs");
    s->npoints = in->len;
    s->d_in = in->items[0].len;
    v = neft_json_get(doc, "d_in");
    if (v != NULL && (v->type != NEFT_JSON_NUMBER || v->num != s->d_in))
        FAIL(v, "\"d_in\" does not match the inputs' dimension %ld", (long) s->d_in);
    s->inputs = flint_malloc(sizeof(double) * s->npoints * s->d_in);
    for (i = 0; i < s->npoints; i++)
        for (j = 0; j < s->d_in; j++)
        {
            const neft_json_struct * x = in->items[i].items + j;
            if (!isfinite(x->num))
                FAIL(x, "input %ld: coordinate %ld is beyond the range of a double", (long) i,
                     (long) j);
            s->inputs[i * s->d_in + j] = x->num;
        }
    cs = neft_json_get(doc, "correlators");
    if (cs->len == 0)
        FAIL(cs, "expected \"correlators\": a non-empty array");
    s->corr = flint_calloc(cs->len, sizeof(neft_onen_measured_struct));
    s->ncorr = cs->len;
    for (i = 0; i < cs->len; i++)
    {
        const neft_json_struct * c = cs->items + i, * ix;
        neft_onen_measured_struct * m = s->corr + i;
        neft_json_integer(&m->npt, neft_json_get(c, "npt"), 1, 8);
        ix = neft_json_get(c, "indices");
        for (j = 0; j < m->npt; j++)
            neft_json_integer(m->idx + j, ix->items + j, 0, (double) (s->npoints - 1));
        v = neft_json_get(c, "full");
        if (v != NULL && !_stat(&m->full_mean, &m->full_err, v))
            FAIL(v, "correlator %ld: expected \"mean\" and \"stderr\" (sampled data)", (long) i);
        v = neft_json_get(c, "connected");
        if (v != NULL && !_stat(&m->conn_mean, &m->conn_err, v))
            FAIL(v, "correlator %ld: expected \"mean\" and \"stderr\" (sampled data)", (long) i);
    }
    neft_json_clear(doc);
    return 0;
fail:
    neft_json_clear(doc);
    neft_onen_samples_clear(s);
    return -1;
}

/* 1 when the file's c (a double from a decimal) is w to the tolerance. */
static int
_close_d(double c, double w)
{
    if (w == 0 || c == 0)
        return w == c;
    return fabs(c - w) <= NEFT_ONEN_SAMPLES_CTOL * fmax(fabs(c), fabs(w));
}

/* The same against a ball's midpoint. */
static int
_close(double c, const arb_t want)
{
    return _close_d(c, arf_get_d(arb_midref(want), ARF_RND_NEAR));
}

int
neft_onen_samples_check(const neft_onen_samples_t s, const neft_onen_params_t par,
                        slong width, const char * path, char * err, size_t errsize)
{
    const char * act = par->net->act->name;
    slong l, depth = par->net->depth;
    int status = -1;
    double param;
    arb_t cw, cb;
    if (s->activation[0] != '\0' && strcmp(s->activation, act))
    {
        snprintf(err, errsize, "%s: the samples are of %s networks, the prediction is for %s "
                 "(--activation)", path, s->activation, act);
        return -1;
    }
    if (s->depth != 0 && s->depth != depth)
    {
        snprintf(err, errsize, "%s: the samples are of depth %ld, the prediction is for depth %ld "
                 "(--depth)", path, (long) s->depth, (long) depth);
        return -1;
    }
    if (s->width != 0 && s->width != width)
    {
        snprintf(err, errsize, "%s: the samples are of width %ld, the prediction is for width %ld "
                 "(--width)", path, (long) s->width, (long) width);
        return -1;
    }
    if (s->nwidths >= 0)
    {
        if (s->nwidths != depth - 1)
        {
            snprintf(err, errsize, "%s: the samples have %ld hidden widths, depth %ld has %ld "
                     "(--depth)", path, (long) s->nwidths, (long) depth,
                     (long) depth - 1);
            return -1;
        }
        for (l = 0; l < s->nwidths; l++)
            if (s->widths[l] != width)
            {
                snprintf(err, errsize, "%s: the samples' hidden layer %ld has width %ld, the "
                         "prediction is for width %ld (--width)", path, (long) l + 1,
                         (long) s->widths[l], (long) width);
                return -1;
            }
    }
    arb_init(cw); arb_init(cb);
    /* the balls of neft_net_cw_arb, neft_net_cb_arb (which GCC's
       -Wstringop-overread rejects here in the sanitizer build: a false
       "region of size 8" for par->net) */
    arb_set_fmpq(cw, par->net->cw, par->prec);
    arb_set_fmpq(cb, par->net->cb, par->prec);
    /* the parameter's double as neft_net_param_d gives it (called on the
       fmpq: the same false overread as above) */
    param = neft_points_fmpq_get_d(par->net->param);
    if (s->have_param && par->net->act->param_default != NULL && !_close_d(s->param, param))
        snprintf(err, errsize, "%s: the samples have %s = %.17g, the prediction is for %s = %.17g "
                 "(--%s)", path, par->net->act->param_name, s->param,
                 par->net->act->param_name, param, par->net->act->param_name);
    else if (s->have_cw && !_close(s->cw, cw))
        snprintf(err, errsize, "%s: the samples have C_W = %.17g, the prediction is for C_W = %.17g "
                 "(--cw; C_W = sw^2 when the file gives sw)", path, s->cw,
                 arf_get_d(arb_midref(cw), ARF_RND_NEAR));
    else if (s->have_cb && !_close(s->cb, cb))
        snprintf(err, errsize, "%s: the samples have C_b = %.17g, the prediction is for C_b = %.17g "
                 "(--cb; C_b = sb^2 when the file gives sb)", path, s->cb,
                 arf_get_d(arb_midref(cb), ARF_RND_NEAR));
    else
        status = 0;
    arb_clear(cw); arb_clear(cb);
    return status;
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
