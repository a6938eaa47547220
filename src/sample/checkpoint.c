/* Checkpoints of a sampling run (docs/formats.md).
 *
 * Format 3 (native byte order; a checkpoint moves between runs, not machines):
 *   "neft-sample-checkpoint 3\n"
 *   the spec's canonical description (neft_sample_spec_describe) "\n"
 *   "batches B nodes K\n"
 *   "crc32c XXXXXXXX\n": CRC-32C of the three lines above, 8 hex digits
 *   per batch b (0-based): done (1 byte), count (uint64), S doubles hi,
 *     S doubles lo, then a uint32 CRC-32C of b (as a uint64) followed by
 *     the record's bytes; S = NEFT_SAMPLE_NSUMS K (the moments, then the
 *     tail sums of |p|, p^2, p^4: run.h)
 *   "end\n"
 * Format 2 (older neft) is the same with S = K (no tail sums; a run resumed
 * from it has no tail diagnostics: its flags say "unknown"), format 1 the
 * same as 2 without the crc32c line and the record checksums; both are
 * still read.  A damaged checkpoint is refused naming the
 * header or the batch.
 * Only finished batches carry sums; unfinished ones are redone on resume, and
 * since a batch's numbers depend only on the spec, the resumed run is
 * bit-identical to an uninterrupted one. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/file.h"
#include "neft/json.h"
#include "run.h"

#define MAGIC "neft-sample-checkpoint 3\n"
#define MAGIC2 "neft-sample-checkpoint 2\n"
#define MAGIC1 "neft-sample-checkpoint 1\n"

/* The checksum of batch record b: CRC-32C of b (uint64) and its bytes. */
static uint32_t
record_crc(uint64_t b, unsigned char done, uint64_t count, const double * hi,
           const double * lo, slong K)
{
    uint32_t c = neft_json_crc32c(0, &b, sizeof(b));
    c = neft_json_crc32c(c, &done, 1);
    c = neft_json_crc32c(c, &count, sizeof(count));
    c = neft_json_crc32c(c, hi, sizeof(double) * (size_t) K);
    return neft_json_crc32c(c, lo, sizeof(double) * (size_t) K);
}

/* First whitespace-separated field where a and b differ, for the message. */
static void
first_difference(char * out, size_t outsize, const char * a, const char * b)
{
    while (*a && *b)
    {
        size_t la = strcspn(a, " "), lb = strcspn(b, " ");
        if (la != lb || strncmp(a, b, la))
        {
            snprintf(out, outsize, "it has %.*s, this run %.*s",
                     (int) FLINT_MIN(la, 200), a, (int) FLINT_MIN(lb, 200), b);
            return;
        }
        a += la;
        b += lb;
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
    }
    /* one is the other with more fields (a run with --estimator conditional
       against a plain checkpoint) */
    if (*a || *b)
        snprintf(out, outsize, "%s has %.*s, the other not", *a ? "it" : "this run",
                 (int) FLINT_MIN(strcspn(*a ? a : b, " "), 200), *a ? a : b);
    else
        snprintf(out, outsize, "the descriptions differ");
}

int
_neft_sample_checkpoint_load(_neft_sample_run_struct * r, const char * path,
                             char * err, size_t errsize)
{
    FILE * fp;
    char * line = NULL, * desc = NULL, diff[512];
    size_t cap = 0;
    ssize_t n;
    long nb, nk;
    slong b, K = r->tree.length, S;
    int status = NEFT_SAMPLE_BAD_INPUT, version;
    uint32_t hcrc;

    int kind = neft_file_kind(path);

    /* only a regular file (or a new path) is a checkpoint: a FIFO or a
       device would block the read or be replaced by the save */
    if (kind != NEFT_FILE_NONE && kind != NEFT_FILE_REGULAR)
    {
        if (kind < 0)
            snprintf(err, errsize, "%s: cannot read the checkpoint: %s", path, strerror(errno));
        else
            snprintf(err, errsize, "%s: is %s; a checkpoint must be a regular file (or a new "
                     "name)", path, neft_file_kind_name(kind));
        return NEFT_SAMPLE_BAD_INPUT;
    }
    /* temporaries of this checkpoint whose writer was killed */
    neft_file_remove_orphans(path, NULL);
    fp = fopen(path, "rb");
    if (fp == NULL)
    {
        if (errno == ENOENT)
            return NEFT_SAMPLE_SUCCESS;   /* a fresh start */
        snprintf(err, errsize, "%s: cannot read the checkpoint: %s", path, strerror(errno));
        return NEFT_SAMPLE_BAD_INPUT;
    }
    n = getline(&line, &cap, fp);
    if (n < 0 || (strcmp(line, MAGIC) && strcmp(line, MAGIC2) && strcmp(line, MAGIC1)))
    {
        snprintf(err, errsize, "%s:1: expected a neft sample checkpoint "
                 "(first line 'neft-sample-checkpoint 3', or 2 or 1 from an older neft)", path);
        goto out;
    }
    version = !strcmp(line, MAGIC) ? 3 : !strcmp(line, MAGIC2) ? 2 : 1;
    S = version == 3 ? r->nsums : K;
    hcrc = neft_json_crc32c(0, line, (size_t) n);
    n = getline(&line, &cap, fp);
    if (n <= 0 || line[n - 1] != '\n')
    {
        snprintf(err, errsize, "%s:2: truncated checkpoint", path);
        goto out;
    }
    hcrc = neft_json_crc32c(hcrc, line, (size_t) n);
    line[n - 1] = '\0';
    desc = strdup(line);
    n = getline(&line, &cap, fp);
    if (desc == NULL)
    {
        snprintf(err, errsize, "%s: out of memory", path);
        goto out;
    }
    if (n < 0)
    {
        snprintf(err, errsize, "%s:3: truncated checkpoint", path);
        goto out;
    }
    hcrc = neft_json_crc32c(hcrc, line, (size_t) n);
    if (version >= 2)
    {
        /* the header's checksum first: a damaged header is not "a different
           configuration" */
        char * crcline = NULL;
        size_t crccap = 0;
        unsigned long stored;
        char tail;
        ssize_t m = getline(&crcline, &crccap, fp);
        int ok = m == 16 && sscanf(crcline, "crc32c %8lx%c", &stored, &tail) == 2 && tail == '\n'
                 && strspn(crcline + 7, "0123456789abcdef") == 8 && (uint32_t) stored == hcrc;
        free(crcline);
        if (!ok)
        {
            snprintf(err, errsize, "%s: damaged checkpoint: the header (lines 1-4) does not match "
                     "its checksum; delete the file to start afresh", path);
            goto out;
        }
    }
    if (strcmp(desc, r->describe))
    {
        first_difference(diff, sizeof(diff), desc, r->describe);
        snprintf(err, errsize, "%s: checkpoint of a different configuration (%s); "
                 "refusing to resume from it", path, diff);
        goto out;
    }
    if (sscanf(line, "batches %ld nodes %ld", &nb, &nk) != 2
        || nb != r->nbatches || nk != K)
    {
        snprintf(err, errsize, "%s:3: expected 'batches %ld nodes %ld'", path,
                 (long) r->nbatches, (long) K);
        goto out;
    }
    for (b = 0; b < r->nbatches; b++)
    {
        unsigned char done;
        uint64_t count, expected;
        uint32_t crc;
        slong blk;
        if (fread(&done, 1, 1, fp) != 1 || fread(&count, sizeof(count), 1, fp) != 1
            || fread(r->batch[b].hi, sizeof(double), (size_t) S, fp) != (size_t) S
            || fread(r->batch[b].lo, sizeof(double), (size_t) S, fp) != (size_t) S
            || (version >= 2 && fread(&crc, sizeof(crc), 1, fp) != 1))
        {
            snprintf(err, errsize, "%s: truncated checkpoint (batch %ld of %ld)", path,
                     (long) b + 1, (long) r->nbatches);
            goto out;
        }
        if (version >= 2 && crc != record_crc((uint64_t) b, done, count, r->batch[b].hi,
                                              r->batch[b].lo, S))
        {
            snprintf(err, errsize, "%s: damaged checkpoint: batch %ld of %ld does not match its "
                     "checksum; delete the file to start afresh", path, (long) b + 1,
                     (long) r->nbatches);
            goto out;
        }
        /* a finished batch holds exactly its models (fewer would make the
           result silently rest on fewer models than asked for); an
           unfinished one is saved with count 0 */
        expected = 0;
        for (blk = _neft_sample_batch_first_block(r, b);
             blk < _neft_sample_batch_first_block(r, b + 1); blk++)
            expected += _neft_sample_block_models(r, blk);
        if (done > 1 || count != (done ? expected : 0))
        {
            snprintf(err, errsize, "%s: corrupt checkpoint (batch %ld)", path, (long) b + 1);
            goto out;
        }
        r->batch[b].done = done;
        r->batch[b].count = done ? count : 0;
        if (done)
            r->models_done += count;
        if (done && S < r->nsums)
            r->tails_missing = 1;   /* an older format: no tail sums */
    }
    n = getline(&line, &cap, fp);
    if (n < 0 || strcmp(line, "end\n") || fgetc(fp) != EOF)
    {
        snprintf(err, errsize, "%s: truncated or corrupt checkpoint (no end marker)", path);
        goto out;
    }
    status = NEFT_SAMPLE_SUCCESS;
out:
    if (status != NEFT_SAMPLE_SUCCESS)
    {
        /* leave no half-loaded state behind */
        for (b = 0; b < r->nbatches; b++)
        {
            r->batch[b].done = 0;
            r->batch[b].count = 0;
        }
        r->models_done = 0;
        r->tails_missing = 0;
    }
    free(line);
    free(desc);
    fclose(fp);
    return status;
}

int
_neft_sample_checkpoint_save(const _neft_sample_run_struct * r, const char * path,
                             char * err, size_t errsize)
{
    neft_file_t f;
    FILE * fp;
    slong b, K = r->tree.length, S = r->nsums;
    int ok;

    if (neft_file_open(f, path) != 0)
    {
        snprintf(err, errsize, "%s: cannot write the checkpoint: %s", path, strerror(errno));
        return NEFT_SAMPLE_FAILURE;
    }
    fp = f->fp;
    {
        /* the header and its checksum */
        char * head = NULL;
        size_t hlen = 0;
        FILE * m = open_memstream(&head, &hlen);
        ok = m != NULL && fprintf(m, "%s%s\nbatches %ld nodes %ld\n", MAGIC, r->describe,
                                  (long) r->nbatches, (long) K) > 0;
        if (m != NULL)
            fclose(m);
        ok = ok && fwrite(head, 1, hlen, fp) == hlen
             && fprintf(fp, "crc32c %08lx\n",
                        (unsigned long) neft_json_crc32c(0, head, hlen)) > 0;
        free(head);
    }
    for (b = 0; b < r->nbatches && ok; b++)
    {
        unsigned char done = (unsigned char) r->batch[b].done;
        uint64_t count = done ? r->batch[b].count : 0;
        uint32_t crc = record_crc((uint64_t) b, done, count, r->batch[b].hi, r->batch[b].lo, S);
        ok = fwrite(&done, 1, 1, fp) == 1 && fwrite(&count, sizeof(count), 1, fp) == 1
             && fwrite(r->batch[b].hi, sizeof(double), (size_t) S, fp) == (size_t) S
             && fwrite(r->batch[b].lo, sizeof(double), (size_t) S, fp) == (size_t) S
             && fwrite(&crc, sizeof(crc), 1, fp) == 1;
    }
    ok = ok && fputs("end\n", fp) >= 0;
    if (!ok)
    {
        int e = errno;
        neft_file_abort(f);
        errno = e;
    }
    if (!ok || neft_file_commit(f) != 0)
    {
        snprintf(err, errsize, "%s: cannot write the checkpoint: %s", path, strerror(errno));
        return NEFT_SAMPLE_FAILURE;
    }
    return NEFT_SAMPLE_SUCCESS;
}
