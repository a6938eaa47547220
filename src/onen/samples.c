/* Reading the correlators of `neft sample --format json` (DESIGN.md) for the
   comparison with the 1/n predictions.  A small JSON reader: objects, arrays,
   numbers, strings, true/false/null; unknown keys are skipped. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"

typedef struct
{
    const char * s, * path;
    size_t pos, len;
    slong line;
    char * err;
    size_t errsize;
    int failed;
}
reader;

static void
fail(reader * r, const char * what)
{
    if (!r->failed)
        snprintf(r->err, r->errsize, "%s:%ld: %s", r->path, (long) r->line, what);
    r->failed = 1;
}

static void
ws(reader * r)
{
    while (r->pos < r->len && strchr(" \t\r\n", r->s[r->pos]) && r->s[r->pos])
    {
        if (r->s[r->pos] == '\n')
            r->line++;
        r->pos++;
    }
}

static int
peek(reader * r)
{
    ws(r);
    return r->pos < r->len ? (unsigned char) r->s[r->pos] : -1;
}

static int
expect(reader * r, char c, const char * what)
{
    if (peek(r) != c)
    {
        fail(r, what);
        return -1;
    }
    r->pos++;
    return 0;
}

/* string into buf (escapes kept verbatim except \" and \\) */
static int
string(reader * r, char * buf, size_t size)
{
    size_t n = 0;
    if (expect(r, '"', "expected a string"))
        return -1;
    while (r->pos < r->len && r->s[r->pos] != '"')
    {
        char c = r->s[r->pos++];
        if (c == '\n')
        {
            fail(r, "unterminated string");
            return -1;
        }
        if (c == '\\' && r->pos < r->len)
            c = r->s[r->pos++];
        if (n + 1 < size)
            buf[n++] = c;
    }
    if (r->pos >= r->len)
    {
        fail(r, "unterminated string");
        return -1;
    }
    r->pos++;
    if (buf)
        buf[n < size ? n : size - 1] = '\0';
    return 0;
}

static int
number(reader * r, double * x)
{
    char * end;
    ws(r);
    if (r->pos >= r->len)
    {
        fail(r, "expected a number");
        return -1;
    }
    *x = strtod(r->s + r->pos, &end);
    if (end == r->s + r->pos)
    {
        fail(r, "expected a number");
        return -1;
    }
    r->pos = end - r->s;
    return 0;
}

static int skip(reader * r);

static int
skip(reader * r)
{
    int c = peek(r);
    char tmp[8];
    double x;
    if (c == '{' || c == '[')
    {
        char close = c == '{' ? '}' : ']';
        r->pos++;
        if (peek(r) == close)
        {
            r->pos++;
            return 0;
        }
        for (;;)
        {
            if (c == '{')
            {
                if (string(r, tmp, sizeof tmp) || expect(r, ':', "expected ':'"))
                    return -1;
            }
            if (skip(r))
                return -1;
            if (peek(r) == ',')
            {
                r->pos++;
                continue;
            }
            return expect(r, close, c == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    if (c == '"')
        return string(r, tmp, sizeof tmp);
    if (c == 't' || c == 'f' || c == 'n')
    {
        const char * w = c == 't' ? "true" : c == 'f' ? "false" : "null";
        if (strncmp(r->s + r->pos, w, strlen(w)))
        {
            fail(r, "expected a JSON value");
            return -1;
        }
        r->pos += strlen(w);
        return 0;
    }
    return number(r, &x);
}

/* iterate the members of an object: calls member(r, key, ctx) for each */
typedef int (*member_fn)(reader * r, const char * key, void * ctx);

static int
object(reader * r, member_fn member, void * ctx)
{
    char key[64];
    if (expect(r, '{', "expected '{'"))
        return -1;
    if (peek(r) == '}')
    {
        r->pos++;
        return 0;
    }
    for (;;)
    {
        if (string(r, key, sizeof key) || expect(r, ':', "expected ':'"))
            return -1;
        if (member(r, key, ctx))
            return -1;
        if (peek(r) == ',')
        {
            r->pos++;
            continue;
        }
        return expect(r, '}', "expected ',' or '}'");
    }
}

typedef struct { double mean, err; int have_mean, have_err; } stat_ctx;

static int
stat_member(reader * r, const char * key, void * vctx)
{
    stat_ctx * c = vctx;
    if (!strcmp(key, "mean"))
    {
        c->have_mean = 1;
        return number(r, &c->mean);
    }
    if (!strcmp(key, "stderr"))
    {
        c->have_err = 1;
        return number(r, &c->err);
    }
    return skip(r);
}

static int
stat(reader * r, double * mean, double * err)
{
    stat_ctx c = { 0, 0, 0, 0 };
    if (object(r, stat_member, &c))
        return -1;
    if (!c.have_mean || !c.have_err)
    {
        fail(r, "expected \"mean\" and \"stderr\"");
        return -1;
    }
    *mean = c.mean;
    *err = c.err;
    return 0;
}

typedef struct { neft_onen_measured_struct * m; int have_npt, have_idx, nidx; } corr_ctx;

static int
corr_member(reader * r, const char * key, void * vctx)
{
    corr_ctx * c = vctx;
    double x;
    if (!strcmp(key, "npt"))
    {
        if (number(r, &x))
            return -1;
        if (x < 1 || x > 8 || x != (double) (slong) x)
        {
            fail(r, "expected \"npt\" between 1 and 8");
            return -1;
        }
        c->m->npt = (slong) x;
        c->have_npt = 1;
        return 0;
    }
    if (!strcmp(key, "indices"))
    {
        c->have_idx = 1;
        c->nidx = 0;
        if (expect(r, '[', "expected '[' for \"indices\""))
            return -1;
        if (peek(r) == ']')
        {
            r->pos++;
            return 0;
        }
        for (;;)
        {
            if (number(r, &x))
                return -1;
            if (c->nidx >= 8 || x < 0 || x != (double) (slong) x)
            {
                fail(r, "expected at most 8 non-negative integer indices");
                return -1;
            }
            c->m->idx[c->nidx++] = (slong) x;
            if (peek(r) == ',')
            {
                r->pos++;
                continue;
            }
            return expect(r, ']', "expected ',' or ']'");
        }
    }
    if (!strcmp(key, "full"))
        return stat(r, &c->m->full_mean, &c->m->full_err);
    if (!strcmp(key, "connected"))
        return stat(r, &c->m->conn_mean, &c->m->conn_err);
    return skip(r);
}

static int
top_member(reader * r, const char * key, void * vctx)
{
    neft_onen_samples_struct * s = vctx;
    double x;
    if (!strcmp(key, "models"))
    {
        if (number(r, &x))
            return -1;
        s->models = (slong) x;
        return 0;
    }
    if (!strcmp(key, "inputs"))
    {
        slong alloc = 0, count = 0, dim;
        if (expect(r, '[', "expected '[' for \"inputs\""))
            return -1;
        s->npoints = 0;
        s->d_in = -1;
        if (peek(r) == ']')
        {
            r->pos++;
            return 0;
        }
        for (;;)
        {
            dim = 0;
            if (expect(r, '[', "expected '[' for an input point"))
                return -1;
            for (;;)
            {
                if (number(r, &x))
                    return -1;
                if (count == alloc)
                {
                    alloc = 2 * alloc + 8;
                    s->inputs = flint_realloc(s->inputs, alloc * sizeof(double));
                }
                s->inputs[count++] = x;
                dim++;
                if (peek(r) == ',')
                {
                    r->pos++;
                    continue;
                }
                if (expect(r, ']', "expected ',' or ']'"))
                    return -1;
                break;
            }
            if (s->d_in >= 0 && dim != s->d_in)
            {
                fail(r, "expected every input point to have the same dimension");
                return -1;
            }
            s->d_in = dim;
            s->npoints++;
            if (peek(r) == ',')
            {
                r->pos++;
                continue;
            }
            return expect(r, ']', "expected ',' or ']'");
        }
    }
    if (!strcmp(key, "correlators"))
    {
        if (expect(r, '[', "expected '[' for \"correlators\""))
            return -1;
        if (peek(r) == ']')
        {
            r->pos++;
            return 0;
        }
        for (;;)
        {
            corr_ctx c;
            s->corr = flint_realloc(s->corr, (s->ncorr + 1) * sizeof(neft_onen_measured_struct));
            memset(s->corr + s->ncorr, 0, sizeof(neft_onen_measured_struct));
            c.m = s->corr + s->ncorr;
            c.have_npt = c.have_idx = c.nidx = 0;
            if (object(r, corr_member, &c))
                return -1;
            if (!c.have_npt || !c.have_idx || c.nidx != c.m->npt)
            {
                fail(r, "expected \"npt\" and as many \"indices\"");
                return -1;
            }
            s->ncorr++;
            if (peek(r) == ',')
            {
                r->pos++;
                continue;
            }
            return expect(r, ']', "expected ',' or ']'");
        }
    }
    return skip(r);
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
    FILE * f = fopen(path, "rb");
    char * buf = NULL;
    size_t n = 0, cap = 0, got;
    reader r;
    slong i, j;

    if (f == NULL)
    {
        snprintf(err, errsize, "%s: cannot open", path);
        return -1;
    }
    for (;;)
    {
        if (cap - n < 4096)
        {
            cap = 2 * cap + 4096;
            buf = flint_realloc(buf, cap);
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    r.s = buf; r.path = path; r.pos = 0; r.len = n; r.line = 1;
    r.err = err; r.errsize = errsize; r.failed = 0;
    if (strlen(buf) != n)
        fail(&r, "expected text without NUL bytes");
    if (!r.failed)
        object(&r, top_member, s);
    if (!r.failed && peek(&r) != -1)
        fail(&r, "expected end of file after the JSON object");
    if (!r.failed && (s->npoints == 0 || s->ncorr == 0))
        fail(&r, "expected \"inputs\" and \"correlators\"");
    for (i = 0; !r.failed && i < s->ncorr; i++)
        for (j = 0; j < s->corr[i].npt; j++)
            if (s->corr[i].idx[j] >= s->npoints || (j > 0 && s->corr[i].idx[j] < s->corr[i].idx[j - 1]))
            {
                snprintf(err, errsize, "%s: correlator %ld: expected sorted indices below %ld",
                         path, (long) i, (long) s->npoints);
                r.failed = 1;
                break;
            }
    flint_free(buf);
    return r.failed ? -1 : 0;
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
