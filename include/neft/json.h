/* neft/json.h -- neft's JSON: a small strict reader for its own output files
 * (sample and exact correlators, reports) when they come back as input, the
 * one writer of strings and balls that every JSON emitter uses, the payload
 * digest of the correlator files and the one validation of them
 * (docs/formats.md).
 *
 * Strict RFC 8259: one value, no comments, no trailing commas, UTF-8 text;
 * numbers are kept as their source text (so "0.1" can be read exactly or as a
 * ball) and as a double.  Errors name the line and what was expected. */
#ifndef NEFT_JSON_H
#define NEFT_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <flint/flint.h>
#include "neft/arbcompat.h"

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

/* The same, and also hands back the file's bytes in *text (length *len, a
   NUL after them; free() it) when it succeeds. */
int neft_json_read_file_text(neft_json_t v, char ** text, size_t * len, const char * path,
                             char * err, size_t errlen);

/* The member KEY of an object, or NULL (also when v is not an object). */
const neft_json_struct * neft_json_get(const neft_json_struct * v, const char * key);

/* 1 when v is a number with an integer value in [lo, hi] (stored in *out);
   0 otherwise (also for v == NULL). */
int neft_json_integer(slong * out, const neft_json_struct * v, double lo, double hi);

/* ---- writing (src/json/write.c) ---- */

/* A JSON string literal: '"' and '\\' backslashed, \n \t \r as such, other
   control bytes (and DEL) as \u00XX, every other byte (UTF-8) copied. */
void neft_json_write_string(FILE * out, const char * s);

/* An exact rational as the JSON string "p/q" (or "p" when q = 1): the one
   spelling of exact numbers in neft's JSON outputs. */
void neft_json_write_fmpq(FILE * out, const fmpq_t q);

/* A double as a JSON number: "%.17g" (reads back to the same double), null
   when it is not finite -- the spelling of sampled estimates (neft sample,
   neft merge). */
void neft_json_write_double(FILE * out, double x);

/* A ball as {"mid": "M", "rad": "R"} -- the one spelling of balls in every
   neft JSON output: M is the decimal midpoint with `digits` significant
   digits (arb_get_str, no radius), R an upper bound of |x - M| (the ball's
   radius plus the rounding of M) written "%.3e" and rounded up, so that
   [M - R, M + R] contains x.  A non-finite x is {"mid": "nan", "rad": "inf"}. */
void neft_json_write_arb(FILE * out, const arb_t x, slong digits);

/* ---- checksums (src/json/digest.c) ---- */

/* 64-bit FNV-1a of p[0..n), continuing from h (start with
   NEFT_JSON_FNV1A64_INIT): for every byte, h = (h XOR byte) * 0x100000001b3
   mod 2^64. */
#define NEFT_JSON_FNV1A64_INIT UINT64_C(0xcbf29ce484222325)
uint64_t neft_json_fnv1a64(uint64_t h, const void * p, size_t n);

/* CRC-32C (Castagnoli, reflected polynomial 0x82f63b78, initial value and
   final xor 0xffffffff; crc32c("123456789") = 0xe3069283) of p[0..n),
   continuing from crc (start with 0). */
uint32_t neft_json_crc32c(uint32_t crc, const void * p, size_t n);

/* Where neft ends a correlator file: the member ', "digest": "fnv1a64:"'
   followed by 16 lower-case hex digits, '"}' and a newline.  The digest is
   the FNV-1a 64 of every byte of the file before the ', "digest"' text. */
#define NEFT_JSON_DIGEST_MARK ", \"digest\": \""
#define NEFT_JSON_DIGEST_PREFIX "fnv1a64:"

/* Writes body[0..len) -- the text of a JSON object without its closing '}'
   -- then the digest member, '}' and a newline.  Returns 0 or -1 (a write
   error). */
int neft_json_write_digested(FILE * out, const char * body, size_t len);

/* A correlator file's text held in memory, so that its digest covers the
   whole text: neft_json_held_open gives the stream to write the body to
   (NULL when memory is short: nothing to clear), neft_json_held_write closes
   it, writes the text to out with its digest (neft_json_write_digested) and
   frees it, returning 0 or -1 (a write error). */
typedef struct
{
    char * buf;
    size_t len;
    FILE * fp;
}
neft_json_held_t;

FILE * neft_json_held_open(neft_json_held_t * h);
int neft_json_held_write(neft_json_held_t * h, FILE * out);

/* ---- correlator files (src/json/correlators.c) ---- */

#define NEFT_JSON_IGNORE_DIGEST 1   /* flag: do not check a "digest" member */

/* Reads and checks a correlator file of `neft sample` or `neft exact`
   (docs/formats.md) -- the one validation shared by its readers (neft fit,
   neft onen --compare-samples):
   - a "digest" member, when present, must match the file's bytes (unless
     flags has NEFT_JSON_IGNORE_DIGEST); a file without one is accepted;
   - "inputs": a non-empty array of points, all of the same dimension, finite;
   - "correlators": an array of objects, each with an integer "npt" in
     1..NEFT_JSON_MAX_NPT, "indices" of exactly npt integers, sorted, in
     0..npoints-1, no tuple twice, and for every npt present every sorted tuple
     present; "full" and "connected", when present, either {"mean": m,
     "stderr": s} with finite numbers and s >= 0, or a ball {"mid", "rad"} of
     finite decimal strings with rad >= 0.
   Returns 1, or 0 with "PATH:LINE: entry K: reason" (or "PATH: reason") in
   err; v is then cleared. */
#define NEFT_JSON_MAX_NPT 8
int neft_json_read_correlators(neft_json_t v, const char * path, int flags, char * err,
                               size_t errlen);

/* Writes the start of entry i of a correlator file's "correlators" array:
   "," unless i = 0, a newline, two blanks, then {"npt": N, "indices": [..]
   -- the caller writes the "full" and "connected" members and the closing
   '}' (`neft sample` with means and standard errors, `neft exact` with
   balls). */
void neft_json_write_correlator_head(FILE * out, slong i, slong npt, const slong * idx);

#ifdef __cplusplus
}
#endif

#endif
