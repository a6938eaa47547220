/* Checkpoints of a sampling run (docs/formats.md).
 *
 * Format 4 (native byte order; a checkpoint moves between runs, not machines):
 *   "neft-sample-checkpoint 4\n"
 *   the spec's canonical description (neft_sample_spec_describe) "\n"
 *   "batches B sums K models M\n"  (M: the models of the run that wrote it)
 *   "crc32c XXXXXXXX\n": CRC-32C of the three lines above, 8 hex digits
 *   per batch b (0-based): blocks (uint64: its first full blocks that are
 *     in), count (uint64: their models), K doubles hi, K doubles lo, then a
 *     uint32 CRC-32C of b (as a uint64) followed by the record's bytes
 *   the tail (the run's partial last block): done (1 byte), count (uint64),
 *     K doubles, and a uint32 CRC-32C of B (as a uint64) and the record
 *   "end\n"
 * A batch is saved as far as it got (block by block), and its sums depend
 * only on the spec's blocks, so a run resumed -- with any number of threads
 * or MPI processes -- is bit-identical to an uninterrupted one.  A checkpoint
 * of M models resumes a run of M2 >= M models of the same configuration (the
 * same description but for models=): the batches continue with the blocks
 * past M (round robin, src/sample/run.h), the tail is recomputed as a larger
 * block, and the result is that of M2 models from scratch.
 * Formats 1 to 3 (neft before the round-robin batches; 3: with the tail
 * sums of the heavy-tail diagnostics) are refused by name.  A damaged checkpoint is refused naming the header, the batch or
 * the tail. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/file.h"
#include "neft/json.h"
#include "run.h"

#define MAGIC "neft-sample-checkpoint 4\n"
#define MAGIC_OLD "neft-sample-checkpoint "

/* The checksum of batch record b: CRC-32C of b (uint64) and its bytes. */
static uint32_t
record_crc(uint64_t b, uint64_t blocks, uint64_t count, const double * hi,
           const double * lo, slong K)
{
    uint32_t c = neft_json_crc32c(0, &b, sizeof(b));
    c = neft_json_crc32c(c, &blocks, sizeof(blocks));
    c = neft_json_crc32c(c, &count, sizeof(count));
    c = neft_json_crc32c(c, hi, sizeof(double) * (size_t) K);
    return neft_json_crc32c(c, lo, sizeof(double) * (size_t) K);
}

static uint32_t
tail_crc(uint64_t B, unsigned char done, uint64_t count, const double * sum, slong K)
{
    uint32_t c = neft_json_crc32c(0, &B, sizeof(B));
    c = neft_json_crc32c(c, &done, 1);
    c = neft_json_crc32c(c, &count, sizeof(count));
    return neft_json_crc32c(c, sum, sizeof(double) * (size_t) K);
}

/* The description with its models= value replaced by '*' (flint_malloc'ed):
   what a checkpoint and a run to extend it must share. */
static char *
without_models(const char * d)
{
    char * s = flint_malloc(strlen(d) + 2), * m;
    strcpy(s, d);
    m = strstr(s, " models=");
    if (m != NULL)
    {
        char * v = m + 8, * e = v + strspn(v, "0123456789");
        *v = '*';
        memmove(v + 1, e, strlen(e) + 1);
    }
    return s;
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
    char * line = NULL, * desc = NULL, * a = NULL, * b_ = NULL, diff[512];
    size_t cap = 0;
    ssize_t n;
    long nb, nk;
    unsigned long long mck;
    slong b, K = r->nsums;
    int status = NEFT_SAMPLE_BAD_INPUT;
    uint32_t hcrc;
    double * tailbuf = NULL;

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
    /* temporaries of this checkpoint whose writer was killed (not under MPI:
       a temporary there may be rank 0's save in progress) */
    if (r->dist == NULL)
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
    if (n < 0 || strcmp(line, MAGIC))
    {
        if (n > 0 && (!strcmp(line, MAGIC_OLD "1\n") || !strcmp(line, MAGIC_OLD "2\n")
                      || !strcmp(line, MAGIC_OLD "3\n")))
            snprintf(err, errsize, "%s:1: a checkpoint of an older neft (format %c: batches of "
                     "consecutive blocks), which this sampler cannot continue; finish it with "
                     "the neft that wrote it, or delete it", path, line[n - 2]);
        else
            snprintf(err, errsize, "%s:1: expected a neft sample checkpoint "
                     "(first line 'neft-sample-checkpoint 4')", path);
        goto out;
    }
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
    a = without_models(desc);
    b_ = without_models(r->describe);
    if (strcmp(a, b_))
    {
        first_difference(diff, sizeof(diff), a, b_);
        snprintf(err, errsize, "%s: checkpoint of a different configuration (%s); "
                 "refusing to resume from it", path, diff);
        goto out;
    }
    if (sscanf(line, "batches %ld sums %ld models %llu", &nb, &nk, &mck) != 3
        || mck < 1 || nk != K
        || nb != (long) FLINT_MIN((mck + NEFT_SAMPLE_BLOCK - 1) / NEFT_SAMPLE_BLOCK,
                                  (unsigned long long) NEFT_SAMPLE_BATCHES))
    {
        snprintf(err, errsize, "%s:3: expected 'batches B sums %ld models M' with B the batches "
                 "of M models", path, (long) K);
        goto out;
    }
    if (mck > r->spec->models)
    {
        snprintf(err, errsize, "%s: the checkpoint holds a run of %llu models; --models %llu is "
                 "fewer (a run can be extended, not shortened)", path, mck,
                 (unsigned long long) r->spec->models);
        goto out;
    }
    for (b = 0; b < nb; b++)
    {
        uint64_t blocks, count, fullck, fck = mck / NEFT_SAMPLE_BLOCK;
        uint32_t crc;
        if (fread(&blocks, sizeof(blocks), 1, fp) != 1 || fread(&count, sizeof(count), 1, fp) != 1
            || fread(r->batch[b].hi, sizeof(double), (size_t) K, fp) != (size_t) K
            || fread(r->batch[b].lo, sizeof(double), (size_t) K, fp) != (size_t) K
            || fread(&crc, sizeof(crc), 1, fp) != 1)
        {
            snprintf(err, errsize, "%s: truncated checkpoint (batch %ld of %ld)", path,
                     (long) b + 1, nb);
            goto out;
        }
        if (crc != record_crc((uint64_t) b, blocks, count, r->batch[b].hi, r->batch[b].lo, K))
        {
            snprintf(err, errsize, "%s: damaged checkpoint: batch %ld of %ld does not match its "
                     "checksum; delete the file to start afresh", path, (long) b + 1, nb);
            goto out;
        }
        /* a batch holds exactly the models of its blocks (fewer would make
           the result silently rest on fewer models than asked for) */
        fullck = fck > (uint64_t) b ? (fck - (uint64_t) b + NEFT_SAMPLE_BATCHES - 1)
                                       / NEFT_SAMPLE_BATCHES : 0;
        if (blocks > fullck || count != blocks * NEFT_SAMPLE_BLOCK)
        {
            snprintf(err, errsize, "%s: corrupt checkpoint (batch %ld)", path, (long) b + 1);
            goto out;
        }
        r->batch[b].blocks = blocks;
        r->batch[b].count = count;
        r->models_done += count;
    }
    {
        unsigned char done;
        uint64_t count;
        uint32_t crc;
        tailbuf = flint_malloc(sizeof(double) * (size_t) FLINT_MAX(K, 1));
        if (fread(&done, 1, 1, fp) != 1 || fread(&count, sizeof(count), 1, fp) != 1
            || fread(tailbuf, sizeof(double), (size_t) K, fp) != (size_t) K
            || fread(&crc, sizeof(crc), 1, fp) != 1)
        {
            snprintf(err, errsize, "%s: truncated checkpoint (the partial last block)", path);
            goto out;
        }
        if (crc != tail_crc((uint64_t) nb, done, count, tailbuf, K))
        {
            snprintf(err, errsize, "%s: damaged checkpoint: the partial last block does not "
                     "match its checksum; delete the file to start afresh", path);
            goto out;
        }
        if (done > 1 || count != mck % NEFT_SAMPLE_BLOCK || (count == 0 && done))
        {
            snprintf(err, errsize, "%s: corrupt checkpoint (the partial last block)", path);
            goto out;
        }
        /* extended to more models, that block is drawn again, larger */
        if (done && mck == r->spec->models)
        {
            memcpy(r->tail.sum, tailbuf, sizeof(double) * (size_t) K);
            r->tail.done = 1;
            r->models_done += count;
        }
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
            r->batch[b].blocks = 0;
            r->batch[b].count = 0;
            memset(r->batch[b].hi, 0, sizeof(double) * (size_t) K);
            memset(r->batch[b].lo, 0, sizeof(double) * (size_t) K);
        }
        r->tail.done = 0;
        r->models_done = 0;
    }
    flint_free(tailbuf);
    flint_free(a);
    flint_free(b_);
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
    slong b, K = r->nsums;
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
        ok = m != NULL && fprintf(m, "%s%s\nbatches %ld sums %ld models %llu\n", MAGIC,
                                  r->describe, (long) r->nbatches, (long) K,
                                  (unsigned long long) r->spec->models) > 0;
        if (m != NULL)
            fclose(m);
        ok = ok && fwrite(head, 1, hlen, fp) == hlen
             && fprintf(fp, "crc32c %08lx\n",
                        (unsigned long) neft_json_crc32c(0, head, hlen)) > 0;
        free(head);
    }
    for (b = 0; b < r->nbatches && ok; b++)
    {
        uint64_t blocks = r->batch[b].blocks, count = r->batch[b].count;
        uint32_t crc = record_crc((uint64_t) b, blocks, count, r->batch[b].hi, r->batch[b].lo, K);
        ok = fwrite(&blocks, sizeof(blocks), 1, fp) == 1
             && fwrite(&count, sizeof(count), 1, fp) == 1
             && fwrite(r->batch[b].hi, sizeof(double), (size_t) K, fp) == (size_t) K
             && fwrite(r->batch[b].lo, sizeof(double), (size_t) K, fp) == (size_t) K
             && fwrite(&crc, sizeof(crc), 1, fp) == 1;
    }
    if (ok)
    {
        unsigned char done = (unsigned char) (r->tail.count != 0 && r->tail.done);
        uint64_t count = r->tail.count;
        uint32_t crc = tail_crc((uint64_t) r->nbatches, done, count, r->tail.sum, K);
        ok = fwrite(&done, 1, 1, fp) == 1 && fwrite(&count, sizeof(count), 1, fp) == 1
             && fwrite(r->tail.sum, sizeof(double), (size_t) K, fp) == (size_t) K
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
