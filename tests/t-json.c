/* The JSON reader: values of every type, escapes, numbers kept as text, and
   an error with the right line for each kind of malformed input; the writer
   of strings and balls (read back by the reader, balls containing the
   value), the checksums against published values, and the validation of
   correlator files (digest, tuples). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/json.h"
#include "neft-test.h"

static void
good(void)
{
    const char * doc =
        "\xEF\xBB\xBF{\"models\": 1000000, \"inputs\": [[0.2], [1.2e0]],\n"
        " \"s\": \"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\", \"t\": true, \"f\": false, \"z\": null,\n"
        " \"x\": -0.125, \"e\": [], \"o\": {}}";
    neft_json_t v;
    char err[200];
    const neft_json_struct * m;

    CHECK(neft_json_parse(v, doc, strlen(doc), err, sizeof err), "good document rejected: %s", err);
    CHECK(v->type == NEFT_JSON_OBJECT && v->len == 9, "top level");
    m = neft_json_get(v, "models");
    CHECK(m && m->type == NEFT_JSON_NUMBER && !strcmp(m->str, "1000000") && m->num == 1e6,
          "integer");
    m = neft_json_get(v, "inputs");
    CHECK(m && m->type == NEFT_JSON_ARRAY && m->len == 2 && m->items[1].len == 1
          && !strcmp(m->items[1].items[0].str, "1.2e0") && m->items[1].items[0].num == 1.2,
          "nested array");
    m = neft_json_get(v, "s");
    CHECK(m && !strcmp(m->str, "a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80"), "escapes decoded");
    CHECK(m && m->line == 2, "line of a value");
    CHECK(neft_json_get(v, "t")->type == NEFT_JSON_TRUE && neft_json_get(v, "f")->type ==
          NEFT_JSON_FALSE && neft_json_get(v, "z")->type == NEFT_JSON_NULL, "literals");
    CHECK(neft_json_get(v, "x")->num == -0.125, "negative number");
    CHECK(neft_json_get(v, "e")->len == 0 && neft_json_get(v, "o")->type == NEFT_JSON_OBJECT,
          "empty containers");
    CHECK(neft_json_get(v, "missing") == NULL, "missing key");
    neft_json_clear(v);
}

static void
bad(const char * doc, const char * want)
{
    neft_json_t v;
    char err[200];
    int ok = neft_json_parse(v, doc, strlen(doc), err, sizeof err);
    CHECK(!ok, "accepted: %s", doc);
    if (!ok)
        CHECK(!strcmp(err, want), "for %s: got '%s', want '%s'", doc, err, want);
    if (ok)
        neft_json_clear(v);
}


/* The writer's output for s, through a memory stream. */
static char *
written_string(const char * s)
{
    char * buf = NULL;
    size_t len = 0;
    FILE * m = open_memstream(&buf, &len);
    neft_json_write_string(m, s);
    fclose(m);
    return buf;
}

static void
writer(void)
{
    static const char * const strs[] = { "", "plain", "a\"b", "back\\slash", "tab\tnl\ncr\r",
                                         "ctl\001\037\177", "utf8 \xCE\xBB\xF0\x9F\x98\x80",
                                         "we\"ird\\\na\tme.json" };
    size_t i;
    flint_rand_t state;
    slong iter;
    for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
    {
        char * w = written_string(strs[i]), err[200];
        neft_json_t v;
        int ok = neft_json_parse(v, w, strlen(w), err, sizeof err);
        CHECK(ok && v->type == NEFT_JSON_STRING && !strcmp(v->str, strs[i]),
              "string %zu written as %s does not read back (%s)", i, w, ok ? "" : err);
        if (ok)
            neft_json_clear(v);
        free(w);
    }
    {
        char * w = written_string("a\"\\\n\001");
        CHECK(!strcmp(w, "\"a\\\"\\\\\\n\\u0001\""), "escapes: %s", w);
        free(w);
    }
    /* doubles: "%.17g" reads back to the same double, null when not finite */
    {
        static const double xs[] = {0.0, -0.0, 0.1, -1.0 / 3, 1e-310, 1.7976931348623157e308,
                                    5e-324, 123456789012345678.0, NAN, INFINITY, -INFINITY};
        for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
        {
            char * buf = NULL, err[200];
            size_t len = 0;
            FILE * m = open_memstream(&buf, &len);
            neft_json_t v;
            int ok;
            neft_json_write_double(m, xs[i]);
            fclose(m);
            ok = neft_json_parse(v, buf, len, err, sizeof err);
            CHECK(ok && (isfinite(xs[i])
                         ? v->type == NEFT_JSON_NUMBER && v->num == xs[i]
                           && signbit(v->num) == signbit(xs[i])
                         : v->type == NEFT_JSON_NULL && !strcmp(buf, "null")),
                  "double %g written as %s does not read back", xs[i], buf);
            if (ok)
                neft_json_clear(v);
            free(buf);
        }
    }
    /* balls: one spelling, and [mid - rad, mid + rad] contains x */
    flint_randinit(state);
    for (iter = 0; iter < 2000; iter++)
    {
        arb_t x, m, r;
        char * buf = NULL, err[200];
        size_t len = 0;
        slong digits = 1 + n_randint(state, 30);
        FILE * f = open_memstream(&buf, &len);
        neft_json_t v;
        arb_init(x); arb_init(m); arb_init(r);
        arb_randtest(x, state, 1 + n_randint(state, 200), 1 + n_randint(state, 20));
        if (iter % 7 == 0)
            arb_randtest_exact(x, state, 1 + n_randint(state, 200), 1 + n_randint(state, 20));
        neft_json_write_arb(f, x, digits);
        fclose(f);
        CHECK(!strncmp(buf, "{\"mid\": \"", 9) && strstr(buf, "\", \"rad\": \"") != NULL
              && buf[len - 1] == '}', "ball spelling: %s", buf);
        if (neft_json_parse(v, buf, len, err, sizeof err))
        {
            const neft_json_struct * mid = neft_json_get(v, "mid"), * rad = neft_json_get(v, "rad");
            if (arb_is_finite(x))
            {
                const char * e;
                CHECK(mid && rad && arb_set_str(m, mid->str, 2000) == 0
                      && arb_set_str(r, rad->str, 2000) == 0, "ball parts: %s", buf);
                /* "%.3e" */
                e = rad ? strchr(rad->str, 'e') : NULL;
                CHECK(e != NULL && e - rad->str == 5 && rad->str[1] == '.', "radius notation: %s",
                      buf);
                arb_add_error(m, r);
                CHECK(arb_contains(m, x), "ball %s does not contain x", buf);
            }
            else
                CHECK(!strcmp(buf, "{\"mid\": \"nan\", \"rad\": \"inf\"}"), "non-finite: %s", buf);
            neft_json_clear(v);
        }
        else
            CHECK(0, "ball not JSON: %s (%s)", buf, err);
        free(buf);
        arb_clear(x); arb_clear(m); arb_clear(r);
    }
    flint_randclear(state);
}

static void
checksums(void)
{
    /* published check values */
    CHECK(neft_json_crc32c(0, "123456789", 9) == UINT32_C(0xe3069283), "crc32c check value");
    CHECK(neft_json_crc32c(neft_json_crc32c(0, "1234", 4), "56789", 5) == UINT32_C(0xe3069283),
          "crc32c in pieces");
    CHECK(neft_json_crc32c(0, "", 0) == 0, "crc32c of nothing");
    CHECK(neft_json_fnv1a64(NEFT_JSON_FNV1A64_INIT, "", 0) == UINT64_C(0xcbf29ce484222325),
          "fnv1a64 of nothing");
    CHECK(neft_json_fnv1a64(NEFT_JSON_FNV1A64_INIT, "a", 1) == UINT64_C(0xaf63dc4c8601ec8c),
          "fnv1a64 of a");
    CHECK(neft_json_fnv1a64(NEFT_JSON_FNV1A64_INIT, "foobar", 6) == UINT64_C(0x85944171f73967e8),
          "fnv1a64 of foobar");
}

/* Writes text (with a digest when digest != 0) to a file and validates it;
   want NULL: accepted, else err must contain want. */
static void
corr(const char * text, int digest, int flags, const char * want)
{
    char path[] = "/tmp/t-json-XXXXXX", err[400];
    int fd = mkstemp(path), ok;
    FILE * f = fdopen(fd, "w");
    neft_json_t v;
    if (digest)
        neft_json_write_digested(f, text, strlen(text));
    else
        fputs(text, f);
    fclose(f);
    ok = neft_json_read_correlators(v, path, flags, err, sizeof err);
    if (want == NULL)
        CHECK(ok, "refused %s: %s", text, err);
    else
        CHECK(!ok && strstr(err, want) != NULL && !strncmp(err, path, strlen(path)),
              "for %s: got '%s', want '%s'", text, ok ? "(accepted)" : err, want);
    if (ok)
        neft_json_clear(v);
    unlink(path);
}

static void
correlators(void)
{
#define IN "{\"inputs\": [[0.5], [1]], \"correlators\": ["
#define E(i, j, rest) "{\"npt\": 2, \"indices\": [" #i ", " #j "]" rest "}"
#define OK3 E(0, 0, "") ", " E(0, 1, "") ", " E(1, 1, "")
    corr(IN OK3 "]}", 0, 0, NULL);
    corr(IN OK3 "]", 1, 0, NULL);
    corr(IN E(1, 1, "") ", " E(0, 0, "") ", " E(0, 1, "") "]}", 0, 0, NULL);   /* any order */
    corr(IN OK3 ", " E(0, 1, "") "]}", 0, 0, "correlator 3: the tuple [0,1] appears twice "
         "(also correlator 1)");
    corr(IN E(0, 0, "") ", " E(1, 1, "") "]}", 0, 0, "the 2-point tuple [0,1] is missing");
    corr(IN E(0, 0, "") ", " E(0, 1, "") "]}", 0, 0, "the 2-point tuple [1,1] is missing");
    corr(IN OK3 ", {\"npt\": 2, \"indices\": [0]}]}", 0, 0, "correlator 3: \"npt\" is 2 but "
         "it has 1 indices");
    corr(IN E(1, 0, "") "]}", 0, 0, "correlator 0: indices [1,0]... are not sorted");
    corr(IN E(0, 2, "") "]}", 0, 0, "correlator 0: index 2 is out of range (2 inputs: 0..1)");
    corr(IN E(0, 0.5, "") "]}", 0, 0, "correlator 0: index 1 is not an integer");
    corr(IN E(0, 0, ", \"full\": {\"mean\": 1, \"stderr\": -0.1}") "]}", 0, 0,
         "correlator 0 (indices [0,0]): \"full\": \"stderr\" is negative");
    corr(IN E(0, 0, ", \"connected\": {\"mean\": 1e999, \"stderr\": 1}") "]}", 0, 0,
         "\"mean\" is not a finite number");
    corr(IN E(0, 0, ", \"connected\": {\"mid\": \"1\", \"rad\": \"-1e-3\"}") "]}", 0, 0,
         "\"rad\" is negative");
    corr(IN E(0, 0, ", \"connected\": {\"mid\": \"nan\", \"rad\": \"0\"}") "]}", 0, 0,
         "\"mid\" is not a finite decimal");
    corr("{\"inputs\": [[0.5], [1, 2]], \"correlators\": []}", 0, 0,
         "input 1: expected an array of 1 coordinates (the dimension of input 0)");
    /* the digest: a changed byte is refused, unless ignored */
    {
        char * buf = NULL, path[] = "/tmp/t-json-XXXXXX", err[400];
        size_t len = 0;
        FILE * m = open_memstream(&buf, &len);
        int fd = mkstemp(path);
        FILE * f = fdopen(fd, "w");
        neft_json_t v;
        neft_json_write_digested(m, IN OK3 "]", strlen(IN OK3 "]"));
        fclose(m);
        buf[strlen("{\"inputs\": [[0.")] = '7';           /* 0.5 -> 0.7 */
        fwrite(buf, 1, len, f);
        fclose(f);
        CHECK(!neft_json_read_correlators(v, path, 0, err, sizeof err)
              && strstr(err, "the digest does not match the contents"), "digest: %s", err);
        CHECK(neft_json_read_correlators(v, path, NEFT_JSON_IGNORE_DIGEST, err, sizeof err),
              "ignored digest: %s", err);
        neft_json_clear(v);
        unlink(path);
        free(buf);
    }
    corr(IN OK3 "], \"digest\": \"fnv1a64:00000000000000zz\"}", 0, 0,
         "expected \"digest\": \"fnv1a64:\" and 16 hex digits");
#undef IN
#undef E
#undef OK3
}

int
main(void)
{
    char deep[600];
    int i;
    good();
    bad("", "1: unexpected end of input (expected a value)");
    bad("{\"a\": 1,}", "1: expected a string key in an object");
    bad("[1,\n2,\n]", "3: expected a value (number, string, array, object, true, false, null)");
    bad("[1 2]", "1: expected ',' or ']' in an array");
    bad("{\"a\" 1}", "1: expected ':' after an object key");
    bad("{\"a\": 1", "1: expected ',' or '}' in an object");
    bad("\"abc", "1: unterminated string");
    bad("\"a\\qb\"", "1: bad escape '\\q' in a string");
    /* a backslash before a line break: the message stays on one line */
    bad("\"a\\\nb\"", "1: bad escape (a backslash before byte 0x0A) in a string");
    bad("\"\\u12\"", "1: bad \\u escape (expected four hex digits)");
    bad("\"\\udc00\"", "1: lone surrogate in a \\u escape");
    bad("\"a\nb\"", "1: control character in a string (expected \\n, \\t, ... escapes)");
    bad("01", "1: unexpected text after the JSON value");
    bad("1.", "1: expected digits after the decimal point");
    bad("1e+", "1: expected digits in the exponent");
    bad("tru", "1: expected a value (number, string, array, object, true, false, null)");
    bad("NaN", "1: expected a value (number, string, array, object, true, false, null)");
    bad("{} {}", "1: unexpected text after the JSON value");
    for (i = 0; i < 300; i++)
        deep[i] = '[';
    deep[300] = '\0';
    bad(deep, "1: nesting deeper than 256 levels");
    {
        neft_json_t v;
        char err[300];
        CHECK(!neft_json_read_file(v, "/nonexistent/x.json", err, sizeof err)
              && !strcmp(err, "/nonexistent/x.json: cannot read: No such file or directory"),
              "missing file: %s", err);
        CHECK(!neft_json_read_file(v, "/", err, sizeof err) && strstr(err, "/: cannot read") == err,
              "directory: %s", err);
    }
    writer();
    checksums();
    correlators();
    return neft_test_finish("t-json");
}
