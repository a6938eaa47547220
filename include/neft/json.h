/* neft/json.h -- a small JSON reader for neft's own output files (sample and
 * exact correlators, reports) when they come back as input.
 *
 * Strict RFC 8259: one value, no comments, no trailing commas, UTF-8 text;
 * numbers are kept as their source text (so "0.1" can be read exactly or as a
 * ball) and as a double.  Errors name the line and what was expected. */
#ifndef NEFT_JSON_H
#define NEFT_JSON_H

#include <stddef.h>
#include <flint/flint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
    NEFT_JSON_NULL, NEFT_JSON_FALSE, NEFT_JSON_TRUE, NEFT_JSON_NUMBER,
    NEFT_JSON_STRING, NEFT_JSON_ARRAY, NEFT_JSON_OBJECT
}
neft_json_type;

typedef struct neft_json_struct
{
    neft_json_type type;
    slong line;                         /* line of the value's first character */
    char * str;                         /* STRING: the decoded text; NUMBER: the source text */
    double num;                         /* NUMBER */
    slong len;                          /* ARRAY, OBJECT: number of items */
    char ** keys;                       /* OBJECT: keys, len of them */
    struct neft_json_struct * items;    /* ARRAY, OBJECT: len values */
}
neft_json_struct;

typedef neft_json_struct neft_json_t[1];

void neft_json_init(neft_json_t v);
void neft_json_clear(neft_json_t v);

/* Parses text[0..len).  Returns 1 on success; on failure 0 with
   "LINE: what was expected" in err (size errlen). Nesting is limited to 256
   levels and the text to 1 GiB. */
int neft_json_parse(neft_json_t v, const char * text, size_t len, char * err, size_t errlen);

/* Reads and parses a file.  On failure 0 with "PATH:LINE: message" (or
   "PATH: system error") in err. */
int neft_json_read_file(neft_json_t v, const char * path, char * err, size_t errlen);

/* The member KEY of an object, or NULL (also when v is not an object). */
const neft_json_struct * neft_json_get(const neft_json_struct * v, const char * key);

#ifdef __cplusplus
}
#endif

#endif
