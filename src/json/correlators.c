/* The one validation of correlator files (`neft sample` / `neft exact`
   JSON) shared by their readers: digest, inputs, and every entry of
   "correlators" (neft/json.h, docs/formats.md). */

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/json.h"
#include "neft/tuple.h"

typedef struct
{
    slong npt;
    slong idx[NEFT_JSON_MAX_NPT];
    slong entry;            /* position in "correlators" */
    slong line;
}
_tuple;

static int
_tuple_cmp(const void * a, const void * b)
{
    const _tuple * s = a, * t = b;
    slong j;
    if (s->npt != t->npt)
        return s->npt < t->npt ? -1 : 1;
    for (j = 0; j < s->npt; j++)
        if (s->idx[j] != t->idx[j])
            return s->idx[j] < t->idx[j] ? -1 : 1;
    return s->entry < t->entry ? -1 : s->entry > t->entry;
}

static void
_say(char * err, size_t errlen, const char * path, slong line, const char * fmt, ...)
{
    va_list ap;
    int k = line > 0 ? snprintf(err, errlen, "%s:%ld: ", path, (long) line)
                     : snprintf(err, errlen, "%s: ", path);
    if (k < 0 || (size_t) k >= errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(err + k, errlen - k, fmt, ap);
    va_end(ap);
}

/* "[0,0,1]" */
static void
_idx_text(char * buf, size_t size, const slong * idx, slong n)
{
    slong j;
    int k = snprintf(buf, size, "[");
    for (j = 0; j < n && k > 0 && (size_t) k < size; j++)
        k += snprintf(buf + k, size - k, "%s%ld", j ? "," : "", (long) idx[j]);
    if (k > 0 && (size_t) k < size)
        snprintf(buf + k, size - k, "]");
}

/* 1 when s is a decimal Arb reads as a finite value, non-negative when
   nonneg. */
static int
_decimal(const char * s, int nonneg)
{
    arb_t x;
    int ok;
    arb_init(x);
    ok = arb_set_str(x, s, 64) == 0 && arb_is_finite(x) && (!nonneg || !arb_is_negative(x));
    arb_clear(x);
    return ok;
}

/* NULL when v is {"mean": finite, "stderr": finite >= 0} or a ball
   {"mid": "finite", "rad": "finite >= 0"}; else the reason. */
static const char *
_value(const neft_json_struct * v)
{
    const neft_json_struct * m, * e;
    if (v->type != NEFT_JSON_OBJECT)
        return "expected {\"mean\": .., \"stderr\": ..} or a ball {\"mid\": \"..\", \"rad\": \"..\"}";
    if ((m = neft_json_get(v, "mean")) != NULL)
    {
        e = neft_json_get(v, "stderr");
        if (m->type != NEFT_JSON_NUMBER || !isfinite(m->num))
            return "\"mean\" is not a finite number";
        if (e == NULL || e->type != NEFT_JSON_NUMBER || !isfinite(e->num))
            return "\"stderr\" is not a finite number";
        if (e->num < 0)
            return "\"stderr\" is negative";
        return NULL;
    }
    m = neft_json_get(v, "mid");
    e = neft_json_get(v, "rad");
    if (m == NULL || e == NULL || m->type != NEFT_JSON_STRING || e->type != NEFT_JSON_STRING)
        return "expected {\"mean\": .., \"stderr\": ..} or a ball {\"mid\": \"..\", \"rad\": \"..\"}";
    if (!_decimal(m->str, 0))
        return "\"mid\" is not a finite decimal";
    if (!_decimal(e->str, 0))
        return "\"rad\" is not a finite decimal";
    if (!_decimal(e->str, 1))
        return "\"rad\" is negative";
    return NULL;
}

/* 1 when the digest member (if any) matches text. */
static int
_digest(const neft_json_struct * doc, const char * text, size_t len, const char * path,
        char * err, size_t errlen)
{
    const neft_json_struct * d = neft_json_get(doc, "digest");
    size_t plen = strlen(NEFT_JSON_DIGEST_PREFIX), mlen = strlen(NEFT_JSON_DIGEST_MARK), pos;
    const char * mark = NULL, * p;
    char want[17];
    uint64_t h;

    if (d == NULL)
        return 1;
    if (d->type != NEFT_JSON_STRING || strncmp(d->str, NEFT_JSON_DIGEST_PREFIX, plen)
        || strlen(d->str) != plen + 16 || strspn(d->str + plen, "0123456789abcdef") != 16)
    {
        _say(err, errlen, path, d->line, "expected \"digest\": \"fnv1a64:\" and 16 hex digits "
             "(--ignore-digest reads the file anyway)");
        return 0;
    }
    /* the last ', "digest": "' of the file */
    for (p = text; (p = strstr(p, NEFT_JSON_DIGEST_MARK)) != NULL; p++)
        mark = p;
    if (mark == NULL || strlen(text) != len)
    {
        _say(err, errlen, path, d->line, "the \"digest\" member is not where neft writes it "
             "(the file was reformatted; --ignore-digest reads it anyway)");
        return 0;
    }
    pos = (size_t) (mark - text);
    h = neft_json_fnv1a64(NEFT_JSON_FNV1A64_INIT, text, pos);
    snprintf(want, sizeof want, "%016llx", (unsigned long long) h);
    if (strncmp(mark + mlen, d->str, plen + 16) || strcmp(d->str + plen, want))
    {
        _say(err, errlen, path, d->line, "the digest does not match the contents (damaged, or "
             "changed after neft wrote it; --ignore-digest reads it anyway)");
        return 0;
    }
    return 1;
}

int
neft_json_read_correlators(neft_json_t v, const char * path, int flags, char * err,
                           size_t errlen)
{
    char * text = NULL, it[160];
    size_t len = 0;
    const neft_json_struct * in, * cs;
    _tuple * T = NULL;
    slong i, j, npoints, d, n;

    if (!neft_json_read_file_text(v, &text, &len, path, err, errlen))
        return 0;
    if (v->type != NEFT_JSON_OBJECT)
    {
        _say(err, errlen, path, v->line, "expected a JSON object from neft sample or neft exact");
        goto fail;
    }
    if (!(flags & NEFT_JSON_IGNORE_DIGEST) && !_digest(v, text, len, path, err, errlen))
        goto fail;

    in = neft_json_get(v, "inputs");
    if (in == NULL || in->type != NEFT_JSON_ARRAY || in->len == 0
        || in->items[0].type != NEFT_JSON_ARRAY || in->items[0].len == 0)
    {
        _say(err, errlen, path, in ? in->line : v->line,
             "expected \"inputs\": a non-empty array of points");
        goto fail;
    }
    npoints = in->len;
    d = in->items[0].len;
    for (i = 0; i < npoints; i++)
    {
        const neft_json_struct * p = in->items + i;
        if (p->type != NEFT_JSON_ARRAY || p->len != d)
        {
            _say(err, errlen, path, p->line, "input %ld: expected an array of %ld coordinates "
                 "(the dimension of input 0)", (long) i, (long) d);
            goto fail;
        }
        for (j = 0; j < d; j++)
            /* (an exact decimal: 1e999999999 is a finite coordinate to neft
               fit, which reads the text; readers of doubles check more) */
            if (p->items[j].type != NEFT_JSON_NUMBER || !_decimal(p->items[j].str, 0))
            {
                _say(err, errlen, path, p->items[j].line, "input %ld: coordinate %ld is not a "
                     "finite number", (long) i, (long) j);
                goto fail;
            }
    }

    cs = neft_json_get(v, "correlators");
    if (cs == NULL || cs->type != NEFT_JSON_ARRAY)
    {
        _say(err, errlen, path, cs ? cs->line : v->line, "expected \"correlators\": an array");
        goto fail;
    }
    n = cs->len;
    T = flint_malloc(sizeof(_tuple) * FLINT_MAX(n, 1));
    for (i = 0; i < n; i++)
    {
        const neft_json_struct * c = cs->items + i, * ix, * q;
        const char * why;
        static const char * const which[2] = { "full", "connected" };
        int w;
        T[i].entry = i;
        T[i].line = c->line;
        if (c->type != NEFT_JSON_OBJECT)
        {
            _say(err, errlen, path, c->line, "correlator %ld: expected an object", (long) i);
            goto fail;
        }
        if (!neft_json_integer(&T[i].npt, neft_json_get(c, "npt"), 1, NEFT_JSON_MAX_NPT))
        {
            _say(err, errlen, path, c->line, "correlator %ld: expected \"npt\": an integer "
                 "from 1 to %d", (long) i, NEFT_JSON_MAX_NPT);
            goto fail;
        }
        ix = neft_json_get(c, "indices");
        if (ix == NULL || ix->type != NEFT_JSON_ARRAY)
        {
            _say(err, errlen, path, c->line, "correlator %ld: expected \"indices\": an array",
                 (long) i);
            goto fail;
        }
        if (ix->len != T[i].npt)
        {
            _say(err, errlen, path, ix->line, "correlator %ld: \"npt\" is %ld but it has %ld "
                 "indices", (long) i, (long) T[i].npt, (long) ix->len);
            goto fail;
        }
        for (j = 0; j < T[i].npt; j++)
        {
            const neft_json_struct * x = ix->items + j;
            if (x->type != NEFT_JSON_NUMBER || x->num != floor(x->num))
            {
                _say(err, errlen, path, ix->line, "correlator %ld: index %ld is not an integer",
                     (long) i, (long) j);
                goto fail;
            }
            if (!neft_json_integer(T[i].idx + j, x, 0, (double) (npoints - 1)))
            {
                _say(err, errlen, path, ix->line, "correlator %ld: index %s is out of range "
                     "(%ld inputs: 0..%ld)", (long) i, x->str, (long) npoints,
                     (long) npoints - 1);
                goto fail;
            }
            if (j > 0 && T[i].idx[j] < T[i].idx[j - 1])
            {
                _idx_text(it, sizeof it, T[i].idx, j + 1);
                _say(err, errlen, path, ix->line, "correlator %ld: indices %s... are not "
                     "sorted", (long) i, it);
                goto fail;
            }
        }
        for (w = 0; w < 2; w++)
            if ((q = neft_json_get(c, which[w])) != NULL && (why = _value(q)) != NULL)
            {
                _idx_text(it, sizeof it, T[i].idx, T[i].npt);
                _say(err, errlen, path, q->line, "correlator %ld (indices %s): \"%s\": %s",
                     (long) i, it, which[w], why);
                goto fail;
            }
    }

    /* no tuple twice, none missing: sorted, the entries of one npt must be
       exactly the sorted tuples in lexicographic order */
    qsort(T, n, sizeof(_tuple), _tuple_cmp);
    for (i = 0; i < n; )
    {
        slong npt = T[i].npt, e[NEFT_JSON_MAX_NPT];
        neft_tuple_first(e, npt);
        for (; i < n && T[i].npt == npt; i++)
        {
            if (i > 0 && T[i - 1].npt == npt && _tuple_cmp(T + i - 1, T + i) != 0
                && memcmp(T[i - 1].idx, T[i].idx, sizeof(slong) * npt) == 0)
            {
                _idx_text(it, sizeof it, T[i].idx, npt);
                _say(err, errlen, path, T[i].line, "correlator %ld: the tuple %s appears twice "
                     "(also correlator %ld)", (long) T[i].entry, it, (long) T[i - 1].entry);
                goto fail;
            }
            if (memcmp(e, T[i].idx, sizeof(slong) * npt) != 0)
                break;
            if (!neft_tuple_next(e, npt, npoints))
                e[0] = -1;   /* past the last */
        }
        if ((i < n && T[i].npt == npt) || e[0] != -1)
        {
            _idx_text(it, sizeof it, e, npt);
            _say(err, errlen, path, cs->line, "the %ld-point tuple %s is missing (a file of "
                 "neft sample or neft exact holds every sorted tuple of the inputs)", (long) npt,
                 it);
            goto fail;
        }
    }
    flint_free(T);
    free(text);
    return 1;
fail:
    flint_free(T);
    free(text);
    neft_json_clear(v);
    return 0;
}

void
neft_json_write_correlator_head(FILE * out, slong i, slong npt, const slong * idx)
{
    slong k;
    fprintf(out, "%s\n  {\"npt\": %ld, \"indices\": [", i ? "," : "", (long) npt);
    for (k = 0; k < npt; k++)
        fprintf(out, "%s%ld", k ? ", " : "", (long) idx[k]);
    fputc(']', out);
}
