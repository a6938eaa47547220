/* Checkpoints of a sampling run.
 *
 * Format (native byte order; a checkpoint moves between runs, not machines):
 *   "neft-sample-checkpoint 1\n"
 *   the spec's canonical description (neft_sample_spec_describe) "\n"
 *   "batches B nodes K\n"
 *   per batch: done (1 byte), count (uint64), K doubles hi, K doubles lo
 *   "end\n"
 * Only finished batches carry sums; unfinished ones are redone on resume, and
 * since a batch's numbers depend only on the spec, the resumed run is
 * bit-identical to an uninterrupted one. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/file.h"
#include "run.h"

#define MAGIC "neft-sample-checkpoint 1\n"

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
    snprintf(out, outsize, "the descriptions differ");
}

int
_neft_sample_checkpoint_load(_neft_sample_run_struct * r, const char * path,
                             char * err, size_t errsize)
{
    FILE * fp;
    char * line = NULL, diff[512];
    size_t cap = 0;
    ssize_t n;
    long nb, nk;
    slong b, K = r->tree.length;
    int status = NEFT_SAMPLE_BAD_INPUT;

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
    if (n < 0 || strcmp(line, MAGIC))
    {
        snprintf(err, errsize, "%s:1: expected a neft sample checkpoint "
                 "(first line 'neft-sample-checkpoint 1')", path);
        goto out;
    }
    n = getline(&line, &cap, fp);
    if (n <= 0 || line[n - 1] != '\n')
    {
        snprintf(err, errsize, "%s:2: truncated checkpoint", path);
        goto out;
    }
    line[n - 1] = '\0';
    if (strcmp(line, r->describe))
    {
        first_difference(diff, sizeof(diff), line, r->describe);
        snprintf(err, errsize, "%s: checkpoint of a different configuration (%s); "
                 "refusing to resume from it", path, diff);
        goto out;
    }
    n = getline(&line, &cap, fp);
    if (n < 0 || sscanf(line, "batches %ld nodes %ld", &nb, &nk) != 2
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
        slong blk;
        if (fread(&done, 1, 1, fp) != 1 || fread(&count, sizeof(count), 1, fp) != 1
            || fread(r->batch[b].hi, sizeof(double), (size_t) K, fp) != (size_t) K
            || fread(r->batch[b].lo, sizeof(double), (size_t) K, fp) != (size_t) K)
        {
            snprintf(err, errsize, "%s: truncated checkpoint (batch %ld of %ld)", path,
                     (long) b + 1, (long) r->nbatches);
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
    }
    free(line);
    fclose(fp);
    return status;
}

int
_neft_sample_checkpoint_save(const _neft_sample_run_struct * r, const char * path,
                             char * err, size_t errsize)
{
    neft_file_t f;
    FILE * fp;
    slong b, K = r->tree.length;
    int ok;

    if (neft_file_open(f, path) != 0)
    {
        snprintf(err, errsize, "%s: cannot write the checkpoint: %s", path, strerror(errno));
        return NEFT_SAMPLE_FAILURE;
    }
    fp = f->fp;
    ok = fprintf(fp, "%s%s\nbatches %ld nodes %ld\n", MAGIC, r->describe,
                 (long) r->nbatches, (long) K) > 0;
    for (b = 0; b < r->nbatches && ok; b++)
    {
        unsigned char done = (unsigned char) r->batch[b].done;
        uint64_t count = done ? r->batch[b].count : 0;
        ok = fwrite(&done, 1, 1, fp) == 1 && fwrite(&count, sizeof(count), 1, fp) == 1
             && fwrite(r->batch[b].hi, sizeof(double), (size_t) K, fp) == (size_t) K
             && fwrite(r->batch[b].lo, sizeof(double), (size_t) K, fp) == (size_t) K;
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
