/* The calls of validate into the sampler (neft/sample.h): the sampler's spec
   of one width, its checkpoint, the run, its cost.  The only file of the
   module that knows the sampler's spec. */

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "neft/interrupt.h"
#include "validate-internal.h"

#define NPT_MASK ((1u << 2) | (1u << 4) | (1u << 6))

const char *
_neft_validate_act_name(const neft_validate_spec_t spec)
{
    return spec->net->act != NULL ? spec->net->act->name : "none";
}

/* The sampler's spec at width index w (ss initialised by the caller): the
   spec's net with one hidden layer of that width (its double views are the
   sampler's numbers, neft/net.h), seed + w. */
void
_neft_validate_sample_spec(neft_sample_spec_t ss, const neft_validate_spec_t spec, slong w)
{
    neft_net_set(ss->net, spec->net);
    neft_net_set_depth(ss->net, 2);
    neft_net_set_width_si(ss->net, 1, spec->widths[w]);
    neft_sample_spec_set_points(ss, spec->points, spec->npoints);
    ss->npt_mask = NPT_MASK;
    ss->models = spec->models;
    ss->seed = spec->seed + (uint64_t) w;
}

int
_neft_validate_sample_check(const neft_validate_spec_t spec, slong w, char * err, size_t errlen)
{
    neft_sample_spec_t ss;
    int bad;
    neft_sample_spec_init(ss);
    _neft_validate_sample_spec(ss, spec, w);
    bad = neft_sample_spec_check(ss, err, errlen) != 0;
    neft_sample_spec_clear(ss);
    return bad ? NEFT_BAD_INPUT : NEFT_SUCCESS;
}

void
_neft_validate_sample_cost(double * ops, double * bytes, const neft_validate_spec_t spec,
                           slong w)
{
    neft_sample_spec_t ss;
    double pm;
    char err[256];
    *ops = *bytes = 0;
    neft_sample_spec_init(ss);
    _neft_validate_sample_spec(ss, spec, w);
    neft_net_set_width_si(ss->net, 1, FLINT_MAX(spec->widths[w], 1));
    ss->seed = 0;
    if (neft_sample_spec_check(ss, err, sizeof(err)) == 0)
        neft_sample_spec_cost(ops, bytes, &pm, ss, spec->threads);
    neft_sample_spec_clear(ss);
}

/* The rows the sampler numbered before the net existed (relu 0, erf 1, tanh
   2, gauss 3): their checkpoints hash that number, so that the names of
   checkpoints written then stay the same.  Data of the name only: the
   number says nothing about how to compute. */
static const char * const _ckpt_old_names[4] = {"relu", "erf", "tanh", "gauss"};

/* The net's numbers that the checkpoint name hashes: its parameter, first
   width, C_W and C_b as doubles.  Not inlined: GCC 12 with
   -fsanitize=undefined reports a false stringop-overread on the net's array
   parameter otherwise (as in src/exact/moments.c). */
static void __attribute__((noinline))
_ckpt_net_numbers(double * param, slong * width, double * cw, double * cb, neft_net_srcptr net)
{
    *param = neft_net_param_d(net);
    *width = neft_net_width_si(net, 1);
    *cw = neft_net_cw_d(net);
    *cb = neft_net_cb_d(net);
}

/* DIR/width-N-HASH.ckpt: the checkpoint of one width's sampling, HASH
   (FNV-1a) over everything the sample depends on, so that a checkpoint of
   other settings is never picked up (the sampler would refuse it). */
void
_neft_validate_ckpt_path(char * buf, size_t len, const char * dir, const neft_sample_spec_t ss)
{
    uint64_t h = 14695981039346656037u;
    const char * name = ss->net->act != NULL ? ss->net->act->name : "";
    double param, cw, cb;
    slong i, width;
    int a;
    _ckpt_net_numbers(&param, &width, &cw, &cb, ss->net);
#define MIX(x) do { uint64_t _v = (uint64_t) (x); int _k; \
    for (_k = 0; _k < 8; _k++) { h ^= (_v >> (8 * _k)) & 0xff; h *= 1099511628211u; } } while (0)
#define MIXD(x) do { double _d = (x); uint64_t _b; memcpy(&_b, &_d, 8); MIX(_b); } while (0)
    /* the sampler's old activation number for the rows that had one: the
       names of checkpoints written before the net existed stay the same;
       the other rows mix their name and parameter */
    for (a = 3; a >= 0 && strcmp(name, _ckpt_old_names[a]); a--)
        ;
    MIX(a);
    if (a < 0)
    {
        const char * c;
        for (c = name; *c; c++)
            MIX(*c);
        MIXD(param);
    }
    MIX(ss->net->d_in);
    MIX(ss->net->depth);
    MIX(width);
    MIXD(cw);
    MIXD(cb);
    MIX(ss->npoints);
    for (i = 0; i < ss->npoints * ss->net->d_in; i++)
        MIXD(ss->points[i]);
    MIX(ss->npt_mask);
    MIX(ss->models);
    MIX(ss->seed);
#undef MIX
#undef MIXD
    snprintf(buf, len, "%s/width-%ld-%016llx.ckpt", dir, (long) width, (unsigned long long) h);
}

int
_neft_validate_sample_rank(neft_sample_result_t S, char * ckpt, size_t ckptlen,
                           const neft_validate_spec_t spec, slong w, int follower, char * err,
                           size_t errlen)
{
    neft_sample_spec_t ss;
    neft_sample_opt_t so;
    int st;

    neft_sample_spec_init(ss);
    _neft_validate_sample_spec(ss, spec, w);
    neft_sample_opt_init(so);
    so->threads = spec->threads;
    if (spec->meter != NULL && !follower)
    {
        so->progress = _neft_validate_sample_meter;
        so->progress_param = (void *) spec;
    }
    if (!follower)
        _neft_validate_progress(spec, "width %ld (%ld/%ld): sampling %llu networks",
                                (long) spec->widths[w], (long) w + 1, (long) spec->nwidths,
                                (unsigned long long) spec->models);
    ckpt[0] = '\0';
    if (spec->state_dir != NULL)
    {
        /* rank 0 makes the folder before it asks the others to sample */
        if (!follower && mkdir(spec->state_dir, 0777) != 0 && errno != EEXIST)
        {
            snprintf(err, errlen, "%s: cannot create the folder for checkpoints: %s",
                     spec->state_dir, strerror(errno));
            neft_sample_spec_clear(ss);
            return NEFT_FAILURE;
        }
        _neft_validate_ckpt_path(ckpt, ckptlen, spec->state_dir, ss);
        so->checkpoint = ckpt;
        if (!follower && access(ckpt, F_OK) == 0)
            _neft_validate_progress(spec, "width %ld: resuming from %s", (long) spec->widths[w],
                                    ckpt);
    }
    /* under MPI, rank 0 stops before asking (the others then sample nothing);
       once asked, every process runs the sampler (a stop request is shared
       by its ticks) */
    if (!follower && neft_interrupted())
        st = NEFT_SAMPLE_INTERRUPTED;
    else if (!follower && _neft_validate_mpi_ask(w) != 0)
    {
        snprintf(err, errlen, "MPI: lost contact with the other processes");
        st = NEFT_SAMPLE_FAILURE;
    }
    else
        st = neft_sample_run(S, ss, so, err, errlen);
    neft_sample_spec_clear(ss);
    /* S carries the sampler's flags of unreliable error bars: the summary and
       the report warn about them (unreliable.c) */
    return st == NEFT_SAMPLE_SUCCESS ? NEFT_SUCCESS
         : st == NEFT_SAMPLE_INTERRUPTED ? NEFT_INTERRUPTED
         : st == NEFT_SAMPLE_BAD_INPUT ? NEFT_BAD_INPUT : NEFT_FAILURE;
}

int
_neft_validate_sample(neft_sample_result_t S, char * ckpt, size_t ckptlen,
                      const neft_validate_spec_t spec, slong w, char * err, size_t errlen)
{
    return _neft_validate_sample_rank(S, ckpt, ckptlen, spec, w, 0, err, errlen);
}
