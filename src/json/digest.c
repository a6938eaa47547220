/* Checksums: FNV-1a 64 (the digest of correlator files) and CRC-32C (the
   records of sampling checkpoints), and the digest member that ends a
   correlator file (docs/formats.md). */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "neft/json.h"

uint64_t
neft_json_fnv1a64(uint64_t h, const void * p, size_t n)
{
    const unsigned char * b = p;
    size_t i;
    for (i = 0; i < n; i++)
    {
        h ^= b[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

uint32_t
neft_json_crc32c(uint32_t crc, const void * p, size_t n)
{
    const unsigned char * b = p;
    size_t i;
    int k;
    crc = ~crc;
    for (i = 0; i < n; i++)
    {
        crc ^= b[i];
        for (k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (UINT32_C(0x82f63b78) & (0u - (crc & 1u)));
    }
    return ~crc;
}

int
neft_json_write_digested(FILE * out, const char * body, size_t len)
{
    uint64_t h = neft_json_fnv1a64(NEFT_JSON_FNV1A64_INIT, body, len);
    if (len > 0 && fwrite(body, 1, len, out) != len)
        return -1;
    if (fprintf(out, "%s%s%016" PRIx64 "\"}\n", NEFT_JSON_DIGEST_MARK, NEFT_JSON_DIGEST_PREFIX,
                h) < 0)
        return -1;
    return ferror(out) ? -1 : 0;
}

FILE *
neft_json_held_open(neft_json_held_t * h)
{
    h->buf = NULL;
    h->len = 0;
    h->fp = open_memstream(&h->buf, &h->len);
    return h->fp;
}

int
neft_json_held_write(neft_json_held_t * h, FILE * out)
{
    int rc;
    fclose(h->fp);
    rc = neft_json_write_digested(out, h->buf, h->len);
    free(h->buf);
    return rc;
}
