/* The JSON reader: values of every type, escapes, numbers kept as text, and
   an error with the right line for each kind of malformed input. */

#include <stdio.h>
#include <string.h>
#include "neft/json.h"

static int failures = 0;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
    printf(__VA_ARGS__); printf("\n"); } } while (0)

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
    printf("t-json: %s (%d failures)\n", failures ? "FAIL" : "PASS", failures);
    return failures ? 1 : 0;
}
