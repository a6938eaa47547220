/* A strict recursive-descent JSON reader (neft_json_parse). */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/json.h"

#define _JSON_MAX_DEPTH 256

typedef struct
{
    const char * s;
    size_t n, i;
    slong line;
    char * err;
    size_t errlen;
    int failed;
}
_parser;

static void
_fail(_parser * p, const char * fmt, ...)
{
    va_list ap;
    int k;
    if (p->failed)
        return;
    p->failed = 1;
    k = snprintf(p->err, p->errlen, "%ld: ", (long) p->line);
    if (k < 0 || (size_t) k >= p->errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(p->err + k, p->errlen - k, fmt, ap);
    va_end(ap);
}

static void
_ws(_parser * p)
{
    while (p->i < p->n)
    {
        char c = p->s[p->i];
        if (c == '\n')
            p->line++;
        else if (c != ' ' && c != '\t' && c != '\r')
            return;
        p->i++;
    }
}

void
neft_json_init(neft_json_t v)
{
    memset(v, 0, sizeof(neft_json_struct));
    v->type = NEFT_JSON_NULL;
}

void
neft_json_clear(neft_json_t v)
{
    slong k;
    free(v->str);
    if (v->items)
        for (k = 0; k < v->len; k++)
            neft_json_clear(v->items + k);
    if (v->keys)
        for (k = 0; k < v->len; k++)
            free(v->keys[k]);
    free(v->items);
    free(v->keys);
    neft_json_init(v);
}

static int _value(_parser * p, neft_json_struct * v, int depth);

/* Appends code point cp as UTF-8. */
static void
_utf8(char * out, size_t * k, unsigned long cp)
{
    if (cp < 0x80)
        out[(*k)++] = (char) cp;
    else if (cp < 0x800)
    {
        out[(*k)++] = (char) (0xC0 | (cp >> 6));
        out[(*k)++] = (char) (0x80 | (cp & 0x3F));
    }
    else if (cp < 0x10000)
    {
        out[(*k)++] = (char) (0xE0 | (cp >> 12));
        out[(*k)++] = (char) (0x80 | ((cp >> 6) & 0x3F));
        out[(*k)++] = (char) (0x80 | (cp & 0x3F));
    }
    else
    {
        out[(*k)++] = (char) (0xF0 | (cp >> 18));
        out[(*k)++] = (char) (0x80 | ((cp >> 12) & 0x3F));
        out[(*k)++] = (char) (0x80 | ((cp >> 6) & 0x3F));
        out[(*k)++] = (char) (0x80 | (cp & 0x3F));
    }
}

static int
_hex4(_parser * p, unsigned long * cp)
{
    int j;
    *cp = 0;
    if (p->i + 4 > p->n)
        return 0;
    for (j = 0; j < 4; j++)
    {
        char c = p->s[p->i++];
        *cp <<= 4;
        if (c >= '0' && c <= '9') *cp |= (unsigned long) (c - '0');
        else if (c >= 'a' && c <= 'f') *cp |= (unsigned long) (c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') *cp |= (unsigned long) (c - 'A' + 10);
        else return 0;
    }
    return 1;
}

/* Parses a string at p->s[p->i] == '"'; *out is malloc'ed. */
static int
_string(_parser * p, char ** out)
{
    size_t start = ++p->i, k = 0;
    char * buf;
    /* find the closing quote; the decoded text is never longer than the source */
    while (p->i < p->n && p->s[p->i] != '"')
    {
        if (p->s[p->i] == '\\')
            p->i++;
        p->i++;
    }
    if (p->i >= p->n)
    {
        _fail(p, "unterminated string");
        return 0;
    }
    buf = malloc(p->i - start + 1);
    p->i = start;
    if (buf == NULL)
    {
        _fail(p, "out of memory");
        return 0;
    }
    while (p->s[p->i] != '"')
    {
        unsigned char c = (unsigned char) p->s[p->i++];
        if (c < 0x20)
        {
            _fail(p, "control character in a string (expected \\n, \\t, ... escapes)");
            free(buf);
            return 0;
        }
        if (c != '\\')
        {
            buf[k++] = (char) c;
            continue;
        }
        c = (unsigned char) p->s[p->i++];
        switch (c)
        {
            case '"': buf[k++] = '"'; break;
            case '\\': buf[k++] = '\\'; break;
            case '/': buf[k++] = '/'; break;
            case 'b': buf[k++] = '\b'; break;
            case 'f': buf[k++] = '\f'; break;
            case 'n': buf[k++] = '\n'; break;
            case 'r': buf[k++] = '\r'; break;
            case 't': buf[k++] = '\t'; break;
            case 'u':
            {
                unsigned long cp, lo;
                if (!_hex4(p, &cp))
                {
                    _fail(p, "bad \\u escape (expected four hex digits)");
                    free(buf);
                    return 0;
                }
                if (cp >= 0xD800 && cp < 0xDC00)
                {
                    if (p->i + 6 <= p->n && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u')
                    {
                        p->i += 2;
                        if (!_hex4(p, &lo) || lo < 0xDC00 || lo >= 0xE000)
                        {
                            _fail(p, "bad surrogate pair in a \\u escape");
                            free(buf);
                            return 0;
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    else
                    {
                        _fail(p, "lone surrogate in a \\u escape");
                        free(buf);
                        return 0;
                    }
                }
                else if (cp >= 0xDC00 && cp < 0xE000)
                {
                    _fail(p, "lone surrogate in a \\u escape");
                    free(buf);
                    return 0;
                }
                _utf8(buf, &k, cp);
                break;
            }
            default:
                /* the message stays one printable line */
                if (c >= 0x20 && c < 0x7F)
                    _fail(p, "bad escape '\\%c' in a string", c);
                else
                    _fail(p, "bad escape (a backslash before byte 0x%02X) in a string", c);
                free(buf);
                return 0;
        }
    }
    p->i++;
    buf[k] = '\0';
    *out = buf;
    return 1;
}

static int
_number(_parser * p, neft_json_struct * v)
{
    size_t start = p->i;
    const char * s = p->s;
    char * end;
    if (p->i < p->n && s[p->i] == '-')
        p->i++;
    if (p->i < p->n && s[p->i] == '0')
        p->i++;
    else if (p->i < p->n && s[p->i] >= '1' && s[p->i] <= '9')
        while (p->i < p->n && s[p->i] >= '0' && s[p->i] <= '9')
            p->i++;
    else
    {
        _fail(p, "expected a value (number, string, array, object, true, false, null)");
        return 0;
    }
    if (p->i < p->n && s[p->i] == '.')
    {
        p->i++;
        if (!(p->i < p->n && s[p->i] >= '0' && s[p->i] <= '9'))
        {
            _fail(p, "expected digits after the decimal point");
            return 0;
        }
        while (p->i < p->n && s[p->i] >= '0' && s[p->i] <= '9')
            p->i++;
    }
    if (p->i < p->n && (s[p->i] == 'e' || s[p->i] == 'E'))
    {
        p->i++;
        if (p->i < p->n && (s[p->i] == '+' || s[p->i] == '-'))
            p->i++;
        if (!(p->i < p->n && s[p->i] >= '0' && s[p->i] <= '9'))
        {
            _fail(p, "expected digits in the exponent");
            return 0;
        }
        while (p->i < p->n && s[p->i] >= '0' && s[p->i] <= '9')
            p->i++;
    }
    v->type = NEFT_JSON_NUMBER;
    v->str = malloc(p->i - start + 1);
    if (v->str == NULL)
    {
        _fail(p, "out of memory");
        return 0;
    }
    memcpy(v->str, s + start, p->i - start);
    v->str[p->i - start] = '\0';
    v->num = strtod(v->str, &end);
    return 1;
}

/* Appends a fresh item (and key) to an array/object value. */
static neft_json_struct *
_push(_parser * p, neft_json_struct * v, slong * cap, char * key)
{
    if (v->len == *cap)
    {
        slong nc = *cap ? 2 * *cap : 4;
        neft_json_struct * it = realloc(v->items, nc * sizeof(neft_json_struct));
        if (it == NULL)
        {
            _fail(p, "out of memory");
            return NULL;
        }
        v->items = it;
        if (v->type == NEFT_JSON_OBJECT)
        {
            char ** ks = realloc(v->keys, nc * sizeof(char *));
            if (ks == NULL)
            {
                _fail(p, "out of memory");
                return NULL;
            }
            v->keys = ks;
        }
        *cap = nc;
    }
    neft_json_init(v->items + v->len);
    if (v->type == NEFT_JSON_OBJECT)
        v->keys[v->len] = key;
    return v->items + v->len++;
}

static int
_container(_parser * p, neft_json_struct * v, int depth, int object)
{
    slong cap = 0;
    char close = object ? '}' : ']';
    v->type = object ? NEFT_JSON_OBJECT : NEFT_JSON_ARRAY;
    p->i++;
    _ws(p);
    if (p->i < p->n && p->s[p->i] == close)
    {
        p->i++;
        return 1;
    }
    for (;;)
    {
        char * key = NULL;
        neft_json_struct * it;
        _ws(p);
        if (object)
        {
            if (p->i >= p->n || p->s[p->i] != '"')
            {
                _fail(p, "expected a string key in an object");
                return 0;
            }
            if (!_string(p, &key))
                return 0;
            _ws(p);
            if (p->i >= p->n || p->s[p->i] != ':')
            {
                free(key);
                _fail(p, "expected ':' after an object key");
                return 0;
            }
            p->i++;
        }
        it = _push(p, v, &cap, key);
        if (it == NULL)
        {
            free(key);
            return 0;
        }
        if (!_value(p, it, depth + 1))
            return 0;
        _ws(p);
        if (p->i < p->n && p->s[p->i] == ',')
        {
            p->i++;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == close)
        {
            p->i++;
            return 1;
        }
        _fail(p, object ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array");
        return 0;
    }
}

static int
_literal(_parser * p, const char * word, neft_json_type t, neft_json_struct * v)
{
    size_t k = strlen(word);
    if (p->i + k <= p->n && !memcmp(p->s + p->i, word, k))
    {
        p->i += k;
        v->type = t;
        return 1;
    }
    _fail(p, "expected a value (number, string, array, object, true, false, null)");
    return 0;
}

static int
_value(_parser * p, neft_json_struct * v, int depth)
{
    _ws(p);
    v->line = p->line;
    if (depth > _JSON_MAX_DEPTH)
    {
        _fail(p, "nesting deeper than %d levels", _JSON_MAX_DEPTH);
        return 0;
    }
    if (p->i >= p->n)
    {
        _fail(p, "unexpected end of input (expected a value)");
        return 0;
    }
    switch (p->s[p->i])
    {
        case '{': return _container(p, v, depth, 1);
        case '[': return _container(p, v, depth, 0);
        case '"': v->type = NEFT_JSON_STRING; return _string(p, &v->str);
        case 't': return _literal(p, "true", NEFT_JSON_TRUE, v);
        case 'f': return _literal(p, "false", NEFT_JSON_FALSE, v);
        case 'n': return _literal(p, "null", NEFT_JSON_NULL, v);
        default: return _number(p, v);
    }
}

int
neft_json_parse(neft_json_t v, const char * text, size_t len, char * err, size_t errlen)
{
    _parser p;
    p.s = text;
    p.n = len;
    p.i = 0;
    p.line = 1;
    p.err = err;
    p.errlen = errlen;
    p.failed = 0;
    neft_json_init(v);
    if (len > ((size_t) 1 << 30))
    {
        snprintf(err, errlen, "1: input larger than 1 GiB");
        return 0;
    }
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        p.i = 3;
    if (_value(&p, v, 0))
    {
        _ws(&p);
        if (p.i != p.n)
            _fail(&p, "unexpected text after the JSON value");
    }
    if (p.failed)
    {
        neft_json_clear(v);
        return 0;
    }
    return 1;
}

int
neft_json_read_file_text(neft_json_t v, char ** text, size_t * len, const char * path,
                         char * err, size_t errlen)
{
    FILE * f = fopen(path, "rb");
    char * buf = NULL, msg[512];
    size_t n = 0, cap = 0, got;
    int ok;

    neft_json_init(v);
    if (text != NULL)
        *text = NULL;
    if (f == NULL)
    {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return 0;
    }
    do
    {
        if (n + 65536 > cap)
        {
            char * nb;
            cap = 2 * cap + 65536;
            if (cap > ((size_t) 1 << 30) + 65536)
            {
                fclose(f);
                free(buf);
                snprintf(err, errlen, "%s: larger than 1 GiB", path);
                return 0;
            }
            nb = realloc(buf, cap);
            if (nb == NULL)
            {
                fclose(f);
                free(buf);
                snprintf(err, errlen, "%s: out of memory", path);
                return 0;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
    }
    while (got > 0);
    if (ferror(f))
    {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        fclose(f);
        free(buf);
        return 0;
    }
    fclose(f);
    buf[n] = '\0';
    ok = neft_json_parse(v, buf, n, msg, sizeof msg);
    if (!ok)
        snprintf(err, errlen, "%s:%s", path, msg);
    if (ok && text != NULL)
    {
        *text = buf;
        *len = n;
    }
    else
        free(buf);
    return ok;
}

int
neft_json_read_file(neft_json_t v, const char * path, char * err, size_t errlen)
{
    return neft_json_read_file_text(v, NULL, NULL, path, err, errlen);
}

const neft_json_struct *
neft_json_get(const neft_json_struct * v, const char * key)
{
    slong k;
    if (v == NULL || v->type != NEFT_JSON_OBJECT)
        return NULL;
    for (k = 0; k < v->len; k++)
        if (!strcmp(v->keys[k], key))
            return v->items + k;
    return NULL;
}

int
neft_json_integer(slong * out, const neft_json_struct * v, double lo, double hi)
{
    if (v == NULL || v->type != NEFT_JSON_NUMBER || !(v->num >= lo && v->num <= hi)
        || v->num != floor(v->num))
        return 0;
    *out = (slong) v->num;
    return 1;
}
