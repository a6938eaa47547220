/* The rules-file parser (format: docs/rules.md).

   Rules files come from users and may be anything, so the parser checks the
   bytes (line length, NUL, control characters, UTF-8) before it looks at the
   words, never writes past a fixed buffer, and reports the first problem as
   one line "SOURCE:LINE: what was expected".  Weights are read with fmpz, so
   any size of integer is exact. */

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L  /* fileno, fstat */
#endif

#include <errno.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpq.h>
#include "neft/theory.h"

/* Longest line in bytes, without its line terminator. */
#define _LINE_MAX 4096

/* Largest file read_file accepts: far beyond any real rules file, small
   enough that `neft diagrams /dev/urandom` fails quickly. */
#define _FILE_MAX (16L << 20)

/* Longest piece of user text quoted back in a message. */
#define _QUOTE_MAX 40

/* The shipped rules/single-layer.rules, byte for byte (tests/t-theory.c
   compares the two).  Non-ASCII characters are spelled as UTF-8 bytes so
   that the source does not depend on the compiler's input charset. */
const char neft_theory_default_text[] =
    "# single-layer.rules -- the single-layer NGP theory of Halverson, Maiti and\n"
    "# Stoner, \"Neural Networks and Quantum Field Theory\", arXiv:2008.08601.\n"
    "#\n"
    "# Convention (HMS eq. 3.19): a line `coupling g legs k weight w` adds\n"
    "#     +w * g * \\int d^d x f(x)^k\n"
    "# to the action S = S_GP + ..., so e^{-S} gives the vertex factor -w*g per\n"
    "# insertion and a diagram's coefficient counts Wick contractions.  With\n"
    "# weight 1 the O(lambda) connected 4-point term is\n"
    "#     -24 lambda \\int d^d y K(x1,y) K(x2,y) K(x3,y) K(x4,y)\n"
    "# and the O(kappa) 6-point term is -720 kappa \\int d^d y K(x1,y)...K(x6,y),\n"
    "# as in eq. 3.19.  (weight 1/24 and 1/720 would give the lambda/4! and\n"
    "# kappa/6! convention instead.)\n"
    "#\n"
    "# Pruning as in HMS: components without external points cancel against the\n"
    "# partition function, and the GP kernel is taken as the exact 2-point\n"
    "# function (their rule 4.5), so a component with two external points and\n"
    "# at least one vertex is dropped.\n"
    "#\n"
    "# This is also the built-in default theory (`neft diagrams` without RULES);\n"
    "# src/theory/parse.c holds an identical copy.\n"
    "\n"
    "name     single-layer NGP, quartic and sextic (Halverson-Maiti-Stoner)\n"
    "coupling lambda legs 4 weight 1        # S \xe2\x8a\x83 +1\xc2\xb7lambda \xe2\x88\xab d^d x f^4\n"
    "coupling kappa  legs 6 weight 1        # S \xe2\x8a\x83 +1\xc2\xb7kappa \xe2\x88\xab d^d x f^6\n"
    "prune    vacuum\n"
    "prune    two-point-component\n";

/* The shipped rules/nnqft-three-operator.rules, byte for byte (tests/
   t-nonlocal.c compares the two): the theory of `neft fit --fit
   lambda,lambda2,lambdaNL` without RULES. */
const char neft_theory_three_operator_text[] =
    "# nnqft-three-operator.rules -- the three quartic operators of the nn-qft\n"
    "# code's fit (Halverson, Maiti and Stoner, arXiv:2008.08601, lam_fit.py):\n"
    "#\n"
    "#     S = S_GP + lambda   \\int d^d y f(y)^4\n"
    "#              + lambda2  \\int d^d y |y|^2 f(y)^4\n"
    "#              + lambdaNL \\int d^d y \\int d^d z f(y)^2 f(z)^2\n"
    "#\n"
    "# `position |y|^2` weights the vertex by its position (docs/rules.md);\n"
    "# `legs 2+2` is a non-local vertex: two internal points y, z with two legs\n"
    "# each, joined by the weight function w(y, z) = 1.  Weight 1 for each\n"
    "# operator is the convention of HMS eq. 3.19 (coefficients count Wick\n"
    "# contractions): the O(1/N) connected 4-point terms are\n"
    "#     -24 lambda  \\int K(x1,y)K(x2,y)K(x3,y)K(x4,y)\n"
    "#     -24 lambda2 \\int |y|^2 K(x1,y)K(x2,y)K(x3,y)K(x4,y)\n"
    "#     -8 lambdaNL [I(x1,x2) I(x3,x4) + I(x1,x3) I(x2,x4) + I(x1,x4) I(x2,x3)],\n"
    "# I(a, b) = \\int K(a,y) K(b,y) dy (the non-local vertex is one connected piece:\n"
    "# its two points are joined by the vertex, not by a propagator).\n"
    "#\n"
    "# Pruning as in HMS: vacuum components, and components with two external\n"
    "# points and a vertex (the GP kernel is the exact 2-point function).\n"
    "#\n"
    "# Also built in: `neft fit DATA --fit lambda,lambda2,lambdaNL` without RULES\n"
    "# uses this theory; src/theory/parse.c holds an identical copy.\n"
    "\n"
    "name     nn-qft three-operator quartic (local, |y|^2-weighted, non-local)\n"
    "coupling lambda   legs 4   weight 1\n"
    "coupling lambda2  legs 4   weight 1  position |y|^2\n"
    "coupling lambdaNL legs 2+2 weight 1\n"
    "prune    vacuum\n"
    "prune    two-point-component\n";

typedef struct
{
    const char * source;
    char * err;
    size_t errsize;
    slong line;
}
_parse_ctx;

/* Writes "SOURCE:LINE: message" into the error buffer; returns NEFT_BAD_INPUT. */
static int
_fail(_parse_ctx * ctx, const char * fmt, ...)
{
    va_list ap;
    int n;

    if (ctx->err == NULL || ctx->errsize == 0)
        return NEFT_BAD_INPUT;
    n = snprintf(ctx->err, ctx->errsize, "%s:%ld: ", ctx->source, (long) ctx->line);
    if (n >= 0 && (size_t) n < ctx->errsize)
    {
        va_start(ap, fmt);
        vsnprintf(ctx->err + n, ctx->errsize - (size_t) n, fmt, ap);
        va_end(ap);
    }
    return NEFT_BAD_INPUT;
}

/* Copies at most _QUOTE_MAX bytes of s into q (cut at a character boundary,
   "..." appended when shortened).  q must hold _QUOTE_MAX + 4 bytes. */
static const char *
_quote(char * q, const char * s)
{
    size_t len = strlen(s);

    if (len <= _QUOTE_MAX)
    {
        memcpy(q, s, len + 1);
        return q;
    }
    len = _QUOTE_MAX;
    while (len > 0 && (((unsigned char) s[len]) & 0xC0) == 0x80)
        len--;
    memcpy(q, s, len);
    memcpy(q + len, "...", 4);
    return q;
}

/* Checks that the len bytes at s are printable UTF-8 text (tabs allowed).
   Returns 0, or 2 after writing the message. */
static int
_check_bytes(_parse_ctx * ctx, const unsigned char * s, size_t len)
{
    size_t i = 0;

    while (i < len)
    {
        unsigned c = s[i];
        size_t k, need;
        unsigned lo = 0x80, hi = 0xBF;   /* range of the first continuation */

        if (c < 0x80)
        {
            if (c == 0)
                return _fail(ctx, "NUL byte at column %lu (rules files are text)",
                             (unsigned long) i + 1);
            if ((c < 0x20 && c != '\t') || c == 0x7F)
                return _fail(ctx, "control character 0x%02X at column %lu "
                             "(rules files are text)", c, (unsigned long) i + 1);
            i++;
            continue;
        }

        /* RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF. */
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF)
        {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        }
        else if (c >= 0xF0 && c <= 0xF4)
        {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        }
        else
            need = 0;

        for (k = 1; need != 0 && k <= need; k++)
        {
            unsigned d = i + k < len ? s[i + k] : 0;
            if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF))
                break;
        }
        if (need == 0 || k <= need)
            return _fail(ctx, "invalid UTF-8 at column %lu (byte 0x%02X; rules "
                         "files are UTF-8 text)", (unsigned long) i + 1, c);
        i += need + 1;
    }
    return 0;
}

static int
_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Splits off the next blank-separated word of the (modifiable) line at *p:
   NUL-terminates it in place and advances *p past it.  NULL at end. */
static char *
_next_word(char ** p)
{
    char * s = *p, * t;

    while (_is_blank(*s))
        s++;
    if (*s == '\0')
    {
        *p = s;
        return NULL;
    }
    t = s;
    while (*t != '\0' && !_is_blank(*t))
        t++;
    if (*t != '\0')
        *t++ = '\0';
    *p = t;
    return s;
}

/* The rest of the line at p with blanks trimmed on both sides (in place). */
static char *
_rest(char * p)
{
    char * e;

    while (_is_blank(*p))
        p++;
    e = p + strlen(p);
    while (e > p && _is_blank(e[-1]))
        e--;
    *e = '\0';
    return p;
}

static int
_is_digits(const char * s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Reads [+-]?[0-9]+(/[0-9]+)? with a nonzero value into w (canonical).
   Returns 1 on success, 0 if s is anything else. */
static int
_parse_rational(fmpq_t w, char * s)
{
    char * slash;
    int neg = 0, ok = 1;
    fmpz_t p, q;

    if (*s == '+' || *s == '-')
        neg = (*s++ == '-');
    slash = strchr(s, '/');
    if (slash != NULL)
        *slash = '\0';
    /* Checked here because fmpz_set_str (mpz_set_str) would also accept
       blanks and a sign inside the digits. */
    if (!_is_digits(s) || (slash != NULL && !_is_digits(slash + 1)))
        ok = 0;

    fmpz_init(p);
    fmpz_init_set_ui(q, 1);
    if (ok && fmpz_set_str(p, s, 10) != 0)
        ok = 0;
    if (ok && slash != NULL && fmpz_set_str(q, slash + 1, 10) != 0)
        ok = 0;
    if (ok && (fmpz_is_zero(p) || fmpz_is_zero(q)))
        ok = 0;
    if (ok)
    {
        if (neg)
            fmpz_neg(p, p);
        fmpq_set_fmpz_frac(w, p, q);
    }
    fmpz_clear(p);
    fmpz_clear(q);
    if (slash != NULL)
        *slash = '/';
    return ok;
}

/* State carried between the lines of one file. */
typedef struct
{
    slong name_line;                               /* 0: no `name` yet */
    slong coupling_line[NEFT_THEORY_COUPLINGS_MAX];
    slong prune_none_line;                         /* first `prune none` */
    slong prune_rules_line;                        /* first other `prune` */
}
_parse_state;

static int
_parse_coupling(neft_theory_t th, _parse_state * st, _parse_ctx * ctx, char * p)
{
    char q[_QUOTE_MAX + 4];
    char * name, * word;
    slong legs, i, npoints, pl[NEFT_THEORY_POINTS_MAX], position = 0;
    fmpq_t w;

    if (th->length >= NEFT_THEORY_COUPLINGS_MAX)
        return _fail(ctx, "too many couplings (at most %d)", NEFT_THEORY_COUPLINGS_MAX);

    name = _next_word(&p);
    if (name == NULL)
        return _fail(ctx, "expected a coupling name after 'coupling'");
    if (strlen(name) > NEFT_THEORY_NAME_MAX)
        return _fail(ctx, "coupling name '%s' is longer than %d characters",
                     _quote(q, name), NEFT_THEORY_NAME_MAX);
    for (i = 0; name[i] != '\0'; i++)
    {
        char c = name[i];
        int letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!(letter || (i > 0 && ((c >= '0' && c <= '9') || c == '_'))))
            return _fail(ctx, "invalid coupling name '%s' (expected a letter "
                         "followed by letters, digits or '_')", _quote(q, name));
    }
    i = neft_theory_find(th, name);
    if (i >= 0)
        return _fail(ctx, "duplicate coupling name '%s' (first defined on line %ld)",
                     name, (long) st->coupling_line[i]);

    word = _next_word(&p);
    if (word == NULL || strcmp(word, "legs") != 0)
        return _fail(ctx, "expected 'legs' followed by an integer after the coupling name");
    word = _next_word(&p);
    if (word == NULL)
        return _fail(ctx, "expected 'legs' followed by an integer after the coupling name");
    /* K, or K1+K2[+..] for a non-local vertex (one part per point) */
    npoints = 0;
    legs = 0;
    {
        char * part = word, * plus;
        char whole[_QUOTE_MAX + 4];
        _quote(whole, word);
        for (;;)
        {
            const char * d;
            size_t nd;
            slong k = 0;
            int sign = npoints == 0 && (part[0] == '+' || part[0] == '-');
            plus = strchr(part + sign, '+');
            if (plus != NULL)
                *plus = '\0';
            d = part + sign;
            if (!_is_digits(d))
                return _fail(ctx, "expected an integer (or K1+K2 for a non-local vertex) "
                             "after 'legs', got '%s'", whole);
            /* Value only matters up to NEFT_THEORY_LEGS_MAX: skip leading zeros
               and treat anything longer than 3 digits as out of range. */
            while (d[0] == '0' && d[1] != '\0')
                d++;
            nd = strlen(d);
            if (nd <= 3)
                for (; *d != '\0'; d++)
                    k = 10 * k + (*d - '0');
            if (part[0] == '-' || nd > 3 || k < 1 || k > NEFT_THEORY_LEGS_MAX)
                return _fail(ctx, "legs must be between 1 and %d, got '%s'",
                             NEFT_THEORY_LEGS_MAX, whole);
            if (npoints == NEFT_THEORY_POINTS_MAX)
                return _fail(ctx, "a non-local vertex has at most %d points, got '%s'",
                             NEFT_THEORY_POINTS_MAX, whole);
            pl[npoints++] = k;
            legs += k;
            if (plus == NULL)
                break;
            part = plus + 1;
        }
        if (legs > NEFT_THEORY_LEGS_MAX)
            return _fail(ctx, "legs must be between 1 and %d in all, got '%s'",
                         NEFT_THEORY_LEGS_MAX, whole);
    }

    word = _next_word(&p);
    if (word == NULL || strcmp(word, "weight") != 0)
        return _fail(ctx, "expected 'weight' followed by a rational P or P/Q "
                     "after the number of legs");
    word = _next_word(&p);
    if (word == NULL)
        return _fail(ctx, "expected 'weight' followed by a rational P or P/Q "
                     "after the number of legs");
    fmpq_init(w);
    if (!_parse_rational(w, word))
    {
        fmpq_clear(w);
        return _fail(ctx, "weight must be a nonzero rational P or P/Q, got '%s'",
                     _quote(q, word));
    }

    word = _next_word(&p);
    if (word != NULL && strcmp(word, "position") == 0)
    {
        /* position |y|^P or y^P (P even): the weight |y|^P at the vertex */
        const char * e;
        int absval;
        word = _next_word(&p);
        if (word == NULL)
        {
            fmpq_clear(w);
            return _fail(ctx, "expected a position weight |y|^P or y^P after 'position'");
        }
        absval = word[0] == '|';
        e = absval ? (strncmp(word, "|y|^", 4) == 0 ? word + 4 : NULL)
                   : (strncmp(word, "y^", 2) == 0 ? word + 2 : NULL);
        position = -1;
        if (e != NULL && _is_digits(e) && strlen(e) <= 2)
            position = atol(e);
        if (position < 0 || position > NEFT_THEORY_POSITION_MAX)
        {
            fmpq_clear(w);
            return _fail(ctx, "position weight must be |y|^P or y^P with P an integer from 0 "
                         "to %d, got '%s'", NEFT_THEORY_POSITION_MAX, _quote(q, word));
        }
        if (!absval && position % 2 != 0)
        {
            fmpq_clear(w);
            return _fail(ctx, "y^%ld changes sign with y (a weight of odd power is written "
                         "|y|^%ld)", (long) position, (long) position);
        }
        if (npoints > 1)
        {
            fmpq_clear(w);
            return _fail(ctx, "a non-local vertex (legs K1+K2..) cannot carry a position "
                         "weight");
        }
        word = _next_word(&p);
    }
    if (word != NULL)
    {
        fmpq_clear(w);
        return _fail(ctx, "unexpected '%s' after the weight (a coupling line "
                     "ends with its weight or its 'position |y|^P')", _quote(q, word));
    }

    i = neft_theory_add_coupling(th, name, legs, w);
    fmpq_clear(w);
    if (i < 0  /* everything add_coupling checks was checked above */
        || neft_theory_set_points(th, i, npoints, pl) != 0
        || neft_theory_set_position(th, i, position) != 0)
        return _fail(ctx, "internal error: coupling '%s' rejected", name);
    st->coupling_line[i] = ctx->line;
    return 0;
}

static int
_parse_line(neft_theory_t th, _parse_state * st, _parse_ctx * ctx, char * line)
{
    char q[_QUOTE_MAX + 4];
    char * p = line, * word, * hash;

    /* `#` starts a comment anywhere, also inside a `name` text. */
    hash = strchr(line, '#');
    if (hash != NULL)
        *hash = '\0';

    word = _next_word(&p);
    if (word == NULL)
        return 0;

    if (strcmp(word, "name") == 0)
    {
        char * text = _rest(p);
        size_t len = strlen(text);

        if (len == 0)
            return _fail(ctx, "expected a description after 'name'");
        if (st->name_line != 0)
            return _fail(ctx, "second 'name' statement (the first is on line %ld)",
                         (long) st->name_line);
        th->name = flint_malloc(len + 1);
        memcpy(th->name, text, len + 1);
        st->name_line = ctx->line;
        return 0;
    }

    if (strcmp(word, "coupling") == 0)
        return _parse_coupling(th, st, ctx, p);

    if (strcmp(word, "prune") == 0)
    {
        char msg[512];
        unsigned mask;

        if (neft_prune_parse(&mask, _rest(p), msg, sizeof msg) != 0)
            return _fail(ctx, "%s", msg);
        /* `prune none` states that nothing is pruned; with another prune
           line beside it the file says two things at once. */
        if (mask == 0)
        {
            if (st->prune_rules_line != 0)
                return _fail(ctx, "'prune none' contradicts the prune statement "
                             "on line %ld", (long) st->prune_rules_line);
            if (st->prune_none_line == 0)
                st->prune_none_line = ctx->line;
        }
        else
        {
            if (st->prune_none_line != 0)
                return _fail(ctx, "prune statement contradicts 'prune none' on "
                             "line %ld", (long) st->prune_none_line);
            if (st->prune_rules_line == 0)
                st->prune_rules_line = ctx->line;
            th->prune |= mask;
        }
        return 0;
    }

    return _fail(ctx, "unknown statement '%s' (expected name, coupling or prune)",
                 _quote(q, word));
}

/* Parses the len bytes at text (which may contain NUL bytes: they are
   reported, not taken as the end). */
static int
_read_buffer(neft_theory_t th, const char * text, size_t len, const char * source,
             char * err, size_t errsize)
{
    _parse_ctx ctx;
    _parse_state st;
    char buf[_LINE_MAX + 1];
    size_t pos = 0;
    int r = 0;

    ctx.source = source == NULL ? "<string>" : source;
    ctx.err = err;
    ctx.errsize = errsize;
    ctx.line = 1;
    memset(&st, 0, sizeof st);
    if (err != NULL && errsize > 0)
        err[0] = '\0';

    neft_theory_clear(th);

    /* A UTF-8 byte order mark, as some editors write, is not content. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;

    while (pos < len)
    {
        const char * nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl == NULL ? len : (size_t) (nl - text);
        size_t n = end - pos;

        if (n > 0 && text[pos + n - 1] == '\r')   /* CRLF line ends */
            n--;
        if (n > _LINE_MAX)
        {
            r = _fail(&ctx, "line longer than %d bytes", _LINE_MAX);
            break;
        }
        r = _check_bytes(&ctx, (const unsigned char *) text + pos, n);
        if (r != 0)
            break;
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        r = _parse_line(th, &st, &ctx, buf);
        if (r != 0)
            break;

        if (nl == NULL)
            break;
        pos = end + 1;
        ctx.line++;
    }

    /* ctx.line is now the line on which the text ends. */
    if (r == 0 && th->length == 0)
        r = _fail(&ctx, "no coupling defined (a rules file needs at least one "
                  "'coupling NAME legs K weight W' line)");

    if (r != 0)
        neft_theory_clear(th);
    return r;
}

int
neft_theory_read_string(neft_theory_t th, const char * text,
                        const char * source, char * err, size_t errsize)
{
    if (text == NULL)
        text = "";
    return _read_buffer(th, text, strlen(text), source, err, errsize);
}

int
neft_theory_read_file(neft_theory_t th, const char * path,
                      char * err, size_t errsize)
{
    FILE * f;
    struct stat sb;
    char * buf = NULL;
    size_t len = 0, alloc = 0;
    int r;

    neft_theory_clear(th);
    if (err != NULL && errsize > 0)
        err[0] = '\0';
    if (path == NULL)
    {
        if (err != NULL && errsize > 0)
            snprintf(err, errsize, "cannot read: no path given");
        return NEFT_BAD_INPUT;
    }

    f = fopen(path, "rb");
    if (f == NULL)
    {
        int e = errno;
        if (err != NULL && errsize > 0)
            snprintf(err, errsize, "%s: cannot read: %s", path, strerror(e));
        return NEFT_BAD_INPUT;
    }
    /* glibc opens a directory for reading without complaint. */
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode))
    {
        fclose(f);
        if (err != NULL && errsize > 0)
            snprintf(err, errsize, "%s: cannot read: %s", path, strerror(EISDIR));
        return NEFT_BAD_INPUT;
    }

    for (;;)
    {
        size_t got;

        if (len == alloc)
        {
            alloc = alloc == 0 ? 4096 : 2 * alloc;
            buf = flint_realloc(buf, alloc);
        }
        got = fread(buf + len, 1, alloc - len, f);
        len += got;
        if (got == 0)
            break;
        if (len > (size_t) _FILE_MAX)
        {
            flint_free(buf);
            fclose(f);
            if (err != NULL && errsize > 0)
                snprintf(err, errsize, "%s: cannot read: larger than %ld bytes "
                         "(not a rules file)", path, (long) _FILE_MAX);
            return NEFT_BAD_INPUT;
        }
    }
    if (ferror(f))
    {
        int e = errno;
        flint_free(buf);
        fclose(f);
        if (err != NULL && errsize > 0)
            snprintf(err, errsize, "%s: cannot read: %s", path,
                     e != 0 ? strerror(e) : "read error");
        return NEFT_BAD_INPUT;
    }
    fclose(f);

    r = _read_buffer(th, buf == NULL ? "" : buf, len, path, err, errsize);
    flint_free(buf);
    return r;
}
