/* libFuzzer target: the strict JSON reader (neft/json.h) and the readers
   built on it -- the correlator data of `neft fit` (neft_eft_data_read) and
   the samples of `neft onen --compare-samples` (neft_onen_samples_read) --
   and the two commands on what they accept.
 *
 * The input is one JSON document (the seed corpus holds output of `neft
 * sample` and `neft exact` and near misses).  Each run
 *   1. parses it from memory (neft_json_parse) and from a file
 *      (neft_json_read_file): both must agree, and a parsed tree must be
 *      well formed (types, lengths, keys, strings);
 *   2. reads it as fit data (4-point connected and 2-point full) and as
 *      onen samples: a success must give what the reader promises (sorted
 *      indices below the number of points, finite values, ...);
 *   3. when the data is small (d_in = 1, at most 6 points, sigma_w and
 *      sigma_b at most 2^20: fit integrals in more dimensions or at huge
 *      scales take seconds to minutes by design) runs
 *      `neft fit FILE --cutoff 1,2`, and when the samples are (at most 8
 *      points, d_in at most 4) `neft onen --compare-samples FILE` for a
 *      relu net of depth 2, both with the command-line contract checked
 *      (contract.h). */

#include "contract.h"
#include <math.h>
#include "neft/json.h"
#include "neft/eft.h"
#include "neft/onen.h"
#include "../../src/cli/cli.h"

int LLVMFuzzerInitialize(int * argc, char *** argv);
int LLVMFuzzerTestOneInput(const uint8_t * data, size_t size);

int
LLVMFuzzerInitialize(int * argc, char *** argv)
{
    (void) argc;
    (void) argv;
    fuzz_contract_init("fuzz-json");
    return 0;
}

/* A parsed value is well formed; returns the number of values in it. */
static slong
check_tree(const neft_json_struct * v, int depth)
{
    slong k, n = 1;
    if (depth > 257)
        abort();
    switch (v->type)
    {
        case NEFT_JSON_NULL: case NEFT_JSON_TRUE: case NEFT_JSON_FALSE:
            break;
        case NEFT_JSON_NUMBER:
            if (v->str == NULL || strlen(v->str) == 0)
                abort();
            break;
        case NEFT_JSON_STRING:
            if (v->str == NULL)
                abort();
            break;
        case NEFT_JSON_ARRAY: case NEFT_JSON_OBJECT:
            if (v->len < 0 || (v->len > 0 && v->items == NULL)
                || (v->type == NEFT_JSON_OBJECT && v->len > 0 && v->keys == NULL))
                abort();
            for (k = 0; k < v->len; k++)
            {
                if (v->type == NEFT_JSON_OBJECT && v->keys[k] == NULL)
                    abort();
                if (v->items[k].line < v->line)
                    abort();
                n += check_tree(v->items + k, depth + 1);
            }
            break;
        default:
            abort();
    }
    return n;
}

static void
check_data(const neft_eft_data_t D, slong npt)
{
    slong t, j;
    if (D->npt != npt || D->ntuples < 1 || D->npoints < 1 || D->d_in < 1)
        abort();
    for (j = 0; j < D->npoints * D->d_in; j++)
        if (!arb_is_finite(D->points + j))
            abort();
    for (t = 0; t < D->ntuples; t++)
    {
        if (!arb_is_finite(D->value + t) || (D->has_err && !arb_is_positive(D->err + t)))
            abort();
        for (j = 0; j < npt; j++)
            if (D->idx[t * npt + j] < 0 || D->idx[t * npt + j] >= D->npoints
                || (j > 0 && D->idx[t * npt + j] < D->idx[t * npt + j - 1]))
                abort();
    }
    if (!arb_is_finite(D->sw) || !arb_is_finite(D->sb) || arb_is_negative(D->sw)
        || arb_is_negative(D->sb))
        abort();
}

static void
check_samples(const neft_onen_samples_t s)
{
    slong i, j;
    if (s->npoints < 1 || s->d_in < 1 || s->ncorr < 1 || s->models < 0)
        abort();
    for (i = 0; i < s->npoints * s->d_in; i++)
        if (!isfinite(s->inputs[i]))
            abort();
    for (i = 0; i < s->ncorr; i++)
    {
        const neft_onen_measured_struct * m = s->corr + i;
        if (m->npt < 1 || m->npt > 8)
            abort();
        for (j = 0; j < m->npt; j++)
            if (m->idx[j] < 0 || m->idx[j] >= s->npoints || (j > 0 && m->idx[j] < m->idx[j - 1]))
                abort();
        if (!isfinite(m->full_mean) || !isfinite(m->full_err) || !isfinite(m->conn_mean)
            || !isfinite(m->conn_err))
            abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
    static const char path[] = "input.json";
    char err[1024];
    neft_json_t v, w;
    neft_eft_data_t D;
    neft_onen_samples_t s;
    int ok, ok2, fit_small = 0, onen_small = 0;
    FILE * fp;

    /* 1. memory and file */
    ok = neft_json_parse(v, (const char *) data, size, err, sizeof err);
    if (!ok && (strlen(err) == 0 || strchr(err, '\n') != NULL))
        abort();
    if (ok)
        check_tree(v, 0);
    fp = fopen(path, "wb");
    if (fp == NULL || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
        abort();
    ok2 = neft_json_read_file(w, path, err, sizeof err);
    if (ok != ok2)
        abort();
    if (ok && check_tree(w, 0) != check_tree(v, 0))
        abort();
    neft_json_clear(v);
    neft_json_clear(w);

    /* 2. the data readers */
    if (neft_eft_data_read(D, path, 4, 1, 128, err, sizeof err))
    {
        check_data(D, 4);
        /* and sigma_w, sigma_b at most 2^20: the integrals bisect down to
           the scale 1/sigma_w (1e100 takes seconds, 1e10000 minutes) */
        fit_small = D->d_in == 1 && D->npoints <= 6
                    && arf_cmpabs_2exp_si(arb_midref(D->sw), 20) <= 0
                    && arf_cmpabs_2exp_si(arb_midref(D->sb), 20) <= 0;
        neft_eft_data_clear(D);
    }
    else if (strchr(err, '\n') != NULL)
        abort();
    if (neft_eft_data_read(D, path, 2, 0, 64, err, sizeof err))
    {
        check_data(D, 2);
        neft_eft_data_clear(D);
    }
    neft_onen_samples_init(s);
    if (neft_onen_samples_read(s, path, err, sizeof err) == 0)
    {
        check_samples(s);
        onen_small = s->npoints <= 8 && s->d_in <= 4;
    }
    else if (strchr(err, '\n') != NULL)
        abort();
    neft_onen_samples_clear(s);

    /* 3. the commands */
    if (fit_small)
    {
        char * argv[] = {"fit", (char *) path, "--cutoff", "1,2", NULL};
        fuzz_run(neft_cli_fit, 4, argv);
    }
    if (onen_small)
    {
        char * argv[] = {"onen", "--activation", "relu", "--cw", "2", "--cb", "0", "--depth", "2",
                         "--width", "20", "--compare-samples", (char *) path, NULL};
        fuzz_run(neft_cli_onen, 13, argv);
    }
    return 0;
}
