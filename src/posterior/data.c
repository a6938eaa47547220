/* Training data files of `neft posterior` and `neft train`
   (docs/formats.md, "Training data"): CSV lines x_1,..,x_d,y or a JSON
   object {"inputs":[[..],..],"targets":[..]}, read exactly. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/posterior.h"
#include "neft/points.h"
#include "neft/json.h"

void
neft_posterior_data_init(neft_posterior_data_t d)
{
    memset(d, 0, sizeof(*d));
}

void
neft_posterior_data_clear(neft_posterior_data_t d)
{
    if (d->x != NULL)
        _fmpq_vec_clear(d->x, d->n * d->d_in);
    if (d->y != NULL)
        _fmpq_vec_clear(d->y, d->n);
    memset(d, 0, sizeof(*d));
}

/* appends one example (d->d_in + 1 numbers in v) */
static void
push(neft_posterior_data_t d, slong * cap, const fmpq * v)
{
    slong j;
    if (d->n == *cap)
    {
        slong nc = *cap ? 2 * *cap : 16;
        fmpq * x = _fmpq_vec_init(nc * d->d_in), * y = _fmpq_vec_init(nc);
        for (j = 0; j < d->n * d->d_in; j++)
            fmpq_swap(x + j, d->x + j);
        for (j = 0; j < d->n; j++)
            fmpq_swap(y + j, d->y + j);
        if (d->x != NULL)
        {
            _fmpq_vec_clear(d->x, *cap * d->d_in);
            _fmpq_vec_clear(d->y, *cap);
        }
        d->x = x; d->y = y; *cap = nc;
    }
    for (j = 0; j < d->d_in; j++)
        fmpq_set(d->x + d->n * d->d_in + j, v + j);
    fmpq_set(d->y + d->n, v + d->d_in);
    d->n++;
}

/* shrinks the vectors to n examples (the clear functions use n) */
static void
shrink(neft_posterior_data_t d, slong cap)
{
    slong j;
    fmpq * x, * y;
    if (d->x == NULL || cap == d->n)
        return;
    x = _fmpq_vec_init(d->n * d->d_in);
    y = _fmpq_vec_init(d->n);
    for (j = 0; j < d->n * d->d_in; j++)
        fmpq_swap(x + j, d->x + j);
    for (j = 0; j < d->n; j++)
        fmpq_swap(y + j, d->y + j);
    _fmpq_vec_clear(d->x, cap * d->d_in);
    _fmpq_vec_clear(d->y, cap);
    d->x = x; d->y = y;
}

static char *
trim(char * s)
{
    char * e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = 0;
    return s;
}

static int
read_csv(neft_posterior_data_t d, const char * path, char * text, char * err, size_t errsize)
{
    slong line = 0, cap = 0, nf, j, first = 0;
    fmpq * v = NULL;
    char * p = text, * next;
    int status = 0;

    for (; p != NULL && *p && status == 0; p = next)
    {
        char * s, * f;
        next = strchr(p, '\n');
        if (next != NULL)
            *next++ = 0;
        line++;
        s = trim(p);
        if (*s == 0 || *s == '#')
            continue;
        for (nf = 1, f = s; *f; f++)
            nf += *f == ',';
        if (d->d_in == 0)
        {
            if (nf < 2)
            {
                snprintf(err, errsize, "%s:%ld: expected comma-separated numbers "
                         "x_1,..,x_d,y (at least 2 fields), got '%.60s'", path, (long) line, s);
                status = -1;
                break;
            }
            d->d_in = nf - 1;
            first = line;
            v = _fmpq_vec_init(nf);
        }
        else if (nf != d->d_in + 1)
        {
            snprintf(err, errsize, "%s:%ld: expected %ld comma-separated fields x_1,..,x_%ld,y "
                     "as on line %ld, got %ld", path, (long) line, (long) (d->d_in + 1),
                     (long) d->d_in, (long) first, (long) nf);
            status = -1;
            break;
        }
        if (d->n >= NEFT_POSTERIOR_MAX_DATA)
        {
            snprintf(err, errsize, "%s:%ld: expected at most %d examples", path, (long) line,
                     NEFT_POSTERIOR_MAX_DATA);
            status = -1;
            break;
        }
        for (j = 0; j <= d->d_in; j++)
        {
            char * c = strchr(s, ',');
            if (c != NULL)
                *c = 0;
            f = trim(s);
            if (neft_points_parse_rational(v + j, f))
            {
                snprintf(err, errsize, "%s:%ld: expected a number (field %ld, %s), got '%.40s'",
                         path, (long) line, (long) (j + 1), j == d->d_in ? "the target y"
                         : "a coordinate", f);
                status = -1;
                break;
            }
            if (c != NULL)
                s = c + 1;
        }
        if (status == 0)
            push(d, &cap, v);
    }
    if (v != NULL)
        _fmpq_vec_clear(v, d->d_in + 1);
    shrink(d, cap);
    if (status == 0 && d->n == 0)
    {
        snprintf(err, errsize, "%s:%ld: expected at least one example x_1,..,x_d,y",
                 path, (long) (line ? line : 1));
        status = -1;
    }
    return status;
}

/* a JSON number as an exact rational; 0 or -1 */
static int
json_number(fmpq_t q, const neft_json_struct * v)
{
    return v == NULL || v->type != NEFT_JSON_NUMBER || neft_points_parse_rational(q, v->str)
           ? -1 : 0;
}

static int
read_json(neft_posterior_data_t d, const char * path, char * err, size_t errsize)
{
    neft_json_t v;
    const neft_json_struct * in, * ta;
    slong i, j, cap = 0, n;
    fmpq * row = NULL;
    int status = 0;

    neft_json_init(v);
    if (!neft_json_read_file(v, path, err, errsize))
    {
        neft_json_clear(v);
        return -1;
    }
#define BAD(ln, ...) do { int _k = snprintf(err, errsize, "%s:%ld: ", path, (long) (ln)); \
        if (_k > 0 && (size_t) _k < errsize) snprintf(err + _k, errsize - _k, __VA_ARGS__); \
        status = -1; goto done; } while (0)
    if (v->type != NEFT_JSON_OBJECT)
        BAD(v->line, "expected an object {\"inputs\":[[x_1,..],..],\"targets\":[y,..]}");
    in = neft_json_get(v, "inputs");
    ta = neft_json_get(v, "targets");
    if (in == NULL || in->type != NEFT_JSON_ARRAY || in->len == 0)
        BAD(in ? in->line : v->line, "expected \"inputs\": a non-empty array of points [x_1,..]");
    if (ta == NULL || ta->type != NEFT_JSON_ARRAY)
        BAD(ta ? ta->line : v->line, "expected \"targets\": an array of numbers");
    if (ta->len != in->len)
        BAD(ta->line, "expected %ld targets (one per input), got %ld", (long) in->len,
            (long) ta->len);
    n = in->len;
    if (n > NEFT_POSTERIOR_MAX_DATA)
        BAD(in->line, "expected at most %d examples", NEFT_POSTERIOR_MAX_DATA);
    for (i = 0; i < n; i++)
    {
        const neft_json_struct * p = in->items + i;
        if (p->type != NEFT_JSON_ARRAY || p->len < 1 || (d->d_in && p->len != d->d_in))
            BAD(p->line, "expected input %ld as an array of %s numbers", (long) i,
                d->d_in ? "as many" : "one or more");
        if (d->d_in == 0)
        {
            d->d_in = p->len;
            row = _fmpq_vec_init(d->d_in + 1);
        }
        for (j = 0; j < d->d_in; j++)
            if (json_number(row + j, p->items + j))
                BAD(p->items[j].line, "expected a number (coordinate %ld of input %ld)",
                    (long) j, (long) i);
        if (json_number(row + d->d_in, ta->items + i))
            BAD(ta->items[i].line, "expected a number (target %ld)", (long) i);
        push(d, &cap, row);
    }
#undef BAD
done:
    if (row != NULL)
        _fmpq_vec_clear(row, d->d_in + 1);
    shrink(d, cap);
    neft_json_clear(v);
    return status;
}

int
neft_posterior_data_read(neft_posterior_data_t d, const char * path, char * err,
                         size_t errsize)
{
    FILE * f;
    char * text = NULL, * s;
    size_t len = 0, cap = 0, r;
    int status;

    neft_posterior_data_clear(d);
    if ((f = fopen(path, "rb")) == NULL)
    {
        snprintf(err, errsize, "%s: %s", path, strerror(errno));
        return -1;
    }
    for (;;)
    {
        if (len + 4096 + 1 > cap)
        {
            cap = 2 * cap + 8192;
            text = flint_realloc(text, cap);
        }
        r = fread(text + len, 1, cap - len - 1, f);
        len += r;
        if (r == 0 || len > (size_t) 1 << 30)
            break;
    }
    text[len] = 0;
    if (ferror(f) || len > (size_t) 1 << 30)
    {
        snprintf(err, errsize, "%s: %s", path, ferror(f) ? "read error" : "larger than 1 GiB");
        fclose(f);
        flint_free(text);
        return -1;
    }
    fclose(f);
    if (strlen(text) != len)
    {
        snprintf(err, errsize, "%s: expected text, found a NUL byte", path);
        flint_free(text);
        return -1;
    }
    for (s = text; *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'; s++)
        ;
    status = *s == '{' ? read_json(d, path, err, errsize) : read_csv(d, path, text, err, errsize);
    flint_free(text);
    if (status)
        neft_posterior_data_clear(d);
    return status;
}
