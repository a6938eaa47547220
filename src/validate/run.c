/* The whole experiment into a report folder that appears whole or not at
   all, with resumable sampling (DIR.partial/, docs/cmd-validate.md). */

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "neft/file.h"
#include "validate-internal.h"

/* Opens the staging folder of dir: a status and one line in err. */
static int
_open_folder(neft_file_t stage, const char * dir, char * err, size_t errlen)
{
    int e;
    if (neft_file_dir_open(stage, dir, "report.json") == 0)
        return NEFT_SUCCESS;
    e = errno;
    if (e == EEXIST)
        snprintf(err, errlen, "%s: exists and is not a neft report (no report.json) nor "
                 "empty; choose another --out", dir);
    else if (e == ENOTDIR)
        snprintf(err, errlen, "%s: exists and is not a directory; choose another --out", dir);
    else
    {
        /* a full disk, a quota or an I/O error is a runtime failure; a path
           that cannot be used (missing parent, no permission, read-only) is
           bad input */
        snprintf(err, errlen, "%s: cannot create the report directory: %s", dir, strerror(e));
        return neft_file_errno_is_resource(e) ? NEFT_FAILURE : NEFT_BAD_INPUT;
    }
    return NEFT_BAD_INPUT;
}

/* The stages in order into R. */
static int
_stages(neft_validate_result_t R, const neft_validate_spec_t spec, const char * sdir,
        const char * dir, FILE * summary, char * err, size_t errlen)
{
    slong w, c;
    int st = NEFT_SUCCESS;
    for (w = 0; w < spec->nwidths && st == NEFT_SUCCESS; w++)
        st = neft_validate_width(R, spec, w, err, errlen);
    /* the integrals of every cutoff at once (src/validate/running.c) */
    if (st == NEFT_SUCCESS)
        _neft_validate_prefill(R, spec);
    /* fit and prediction alternate: the prediction reuses the fit's integrals */
    for (c = 0; c < spec->ncutoffs && st == NEFT_SUCCESS; c++)
    {
        _neft_validate_meter(spec, "cutoffs", (double) c, (double) spec->ncutoffs);
        if ((st = neft_validate_fit(R, spec, c, err, errlen)) == NEFT_SUCCESS)
            st = neft_validate_predict(R, spec, c, err, errlen);
    }
    if (st == NEFT_SUCCESS)
        _neft_validate_meter(spec, "cutoffs", (double) c, (double) spec->ncutoffs);
    if (st != NEFT_SUCCESS)
        return st;
    neft_validate_running(R, spec);
    return neft_validate_write(R, spec, sdir, dir, summary, err, errlen);
}

static int
_run(const neft_validate_spec_t spec, const char * dir, FILE * summary, char * err,
     size_t errlen)
{
    neft_validate_result_t R;
    neft_file_t stage;
    slong w;
    int st;

    neft_validate_result_init(R);
    /* refused before anything is written or computed */
    if ((st = neft_validate_start(R, spec, err, errlen)) != NEFT_SUCCESS)
    {
        neft_validate_result_clear(R);
        return st;
    }
    /* the report is built in a staging directory next to dir and swapped in
       at the end: an interrupted or failed run leaves the previous report */
    if ((st = _open_folder(stage, dir, err, errlen)) != NEFT_SUCCESS)
    {
        neft_validate_result_clear(R);
        return st;
    }
    st = _stages(R, spec, stage->tmp, dir, summary, err, errlen);
    if (st == NEFT_SUCCESS && neft_file_dir_commit(stage) != 0)
    {
        snprintf(err, errlen, "%s: cannot replace the report directory: %s", dir,
                 strerror(errno));
        st = NEFT_FAILURE;
    }
    else if (st == NEFT_SUCCESS)
    {
        if (spec->state_dir != NULL)
        {
            /* the checkpoints served their purpose; the folder goes if empty */
            for (w = 0; w < R->nwidths; w++)
                if (R->ckpt[w][0] != '\0')
                    remove(R->ckpt[w]);
            rmdir(spec->state_dir);
        }
        fprintf(summary, "\n  report: %s/report.json, %s/report.tex, figures "
                "%s/{falloff,running,sixpt,order}\n", dir, dir, dir);
    }
    if (st != NEFT_SUCCESS && stage->tmp != NULL)
        _neft_validate_unstage(err, errlen, stage->tmp, dir);
    neft_file_dir_abort(stage);     /* no-op after the commit */
    neft_validate_result_clear(R);
    return st;
}

int
neft_validate_run(const neft_validate_spec_t spec, const char * dir, FILE * summary,
                  char * err, size_t errlen)
{
    int st = _run(spec, dir, summary, err, errlen);
    /* under MPI: the other processes stop following with this status */
    neft_validate_follow_end(st);
    return st;
}
