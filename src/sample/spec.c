/* Ensemble specifications and the forward pass of one random net. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/sample.h"
#include "neft/tuple.h"
#include "run.h"

void
neft_sample_spec_init(neft_sample_spec_t spec)
{
    memset(spec, 0, sizeof(neft_sample_spec_struct));
    neft_net_init(spec->net);
    neft_net_set_widths_all_si(spec->net, 1);
    spec->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
    spec->models = 0;
    spec->seed = 0;
    spec->estimator = NEFT_SAMPLE_ESTIMATOR_PLAIN;
}

void
neft_sample_spec_clear(neft_sample_spec_t spec)
{
    neft_net_clear(spec->net);
    flint_free(spec->points);
    spec->points = NULL;
}

void
neft_sample_spec_set_points(neft_sample_spec_t spec, const double * x, slong npoints)
{
    const slong d = spec->net->d_in;
    flint_free(spec->points);
    spec->points = flint_malloc(sizeof(double) * (size_t) (npoints * d + 1));
    memcpy(spec->points, x, sizeof(double) * (size_t) (npoints * d));
    spec->npoints = npoints;
}

/* The sampler's reading of the row's parameter: 0 none, 1 the user's (the
   net's param, leaky-relu's slope), 2 the pre-activation variance k(x,x) of
   the input (GaussNet: a row parameter that is not the user's), -1 a row the
   sampler does not know how to feed (more than one parameter). */
static int
param_kind(neft_act_srcptr act)
{
    if (act->nparams == 0)
        return 0;
    if (act->nparams > 1)
        return -1;
    return act->param_default != NULL ? 1 : 2;
}

/* The hidden widths as slongs (0 when not given or beyond an slong), as
   neft_net_width_si gives them (read here directly: gcc's -fsanitize build
   misreads the array parameter of neft_net_width_si once inlined here and
   warns of an overread). */
static void
get_widths(slong * w, const neft_sample_spec_t spec)
{
    const fmpz * n = spec->net->widths;
    slong l;
    for (l = 0; l < spec->net->depth - 1; l++)
        w[l] = fmpz_fits_si(n + l) ? fmpz_get_si(n + l) : 0;
}

slong
neft_sample_spec_max_npt(const neft_sample_spec_t spec)
{
    slong n, m = 0;
    for (n = 2; n <= NEFT_SAMPLE_MAX_NPT; n += 2)
        if (spec->npt_mask & (1u << n))
            m = n;
    return m;
}

int
neft_sample_spec_check(const neft_sample_spec_t spec, char * err, size_t errsize)
{
    const neft_net_struct * net = spec->net;
    neft_act_srcptr act = net->act;
    slong l, i, widths[NEFT_NET_MAX_DEPTH];
    const char * why;
    double cw, cb;
    if (act == NULL)
    {
        snprintf(err, errsize, "unknown activation");
        return NEFT_BAD_INPUT;
    }
    if (net->d_in < 1 || net->d_in > 1000000)
    {
        snprintf(err, errsize, "d_in must be between 1 and 1000000");
        return NEFT_BAD_INPUT;
    }
    if (net->depth < 2 || net->depth > NEFT_SAMPLE_MAX_DEPTH)
    {
        snprintf(err, errsize, "depth must be between 2 and %d", NEFT_SAMPLE_MAX_DEPTH);
        return NEFT_BAD_INPUT;
    }
    if (!neft_act_has(act, NEFT_ACT_CAP_EVAL_D, &why))
    {
        snprintf(err, errsize, "the sampler cannot draw %s nets: %s", act->name, why);
        return NEFT_UNSUPPORTED;
    }
    if (param_kind(act) < 0)
    {
        snprintf(err, errsize, "the sampler cannot draw %s nets: %ld parameters (it feeds "
                 "at most one)", act->name, (long) act->nparams);
        return NEFT_UNSUPPORTED;
    }
    if (param_kind(act) == 2 && net->depth != 2)
    {
        snprintf(err, errsize, "the %s activation is sampled with one hidden layer only "
                 "(depth 2), not depth %ld: its %s is k(x,x), the variance of the first "
                 "layer's pre-activations", act->name, (long) net->depth,
                 act->param_name != NULL ? act->param_name : "parameter");
        return NEFT_UNSUPPORTED;
    }
    if (param_kind(act) == 1 && !isfinite(neft_net_param_d(net)))
    {
        snprintf(err, errsize, "the %s of %s must be a finite double", act->param_name,
                 act->name);
        return NEFT_BAD_INPUT;
    }
    get_widths(widths, spec);
    for (l = 0; l < net->depth - 1; l++)
        if (widths[l] < 1 || widths[l] > 100000000)
        {
            snprintf(err, errsize, "widths must be between 1 and 100000000");
            return NEFT_BAD_INPUT;
        }
    {
        /* the work space of a chunk must have a size (neft_sample_work_size
           is a slong): far beyond any memory, refused here */
        double normals = 0, n_in = (double) net->d_in;
        for (l = 0; l < net->depth; l++)
        {
            double n_out = l == net->depth - 1 ? 1.0 : (double) widths[l];
            normals += n_out * (n_in + 1);
            n_in = n_out;
        }
        if (normals > 1e15)
        {
            snprintf(err, errsize, "the nets have %.3g weights, more than 1e15", normals);
            return NEFT_BAD_INPUT;
        }
    }
    cw = neft_net_cw_d(net);
    cb = neft_net_cb_d(net);
    if (!(cw >= 0 && cw < HUGE_VAL) || !(cb >= 0 && cb < HUGE_VAL))
    {
        snprintf(err, errsize, "C_W = sw^2 and C_b = sb^2 must be finite and >= 0");
        return NEFT_BAD_INPUT;
    }
    if (spec->npoints < 1 || spec->points == NULL)
    {
        snprintf(err, errsize, "no input points");
        return NEFT_BAD_INPUT;
    }
    for (i = 0; i < spec->npoints * net->d_in; i++)
        if (!isfinite(spec->points[i]))
        {
            snprintf(err, errsize, "input points must be finite");
            return NEFT_BAD_INPUT;
        }
    if (spec->npt_mask == 0 || (spec->npt_mask & ~0x154u))
    {
        snprintf(err, errsize, "npt must be among 2, 4, 6, 8");
        return NEFT_BAD_INPUT;
    }
    if (_neft_sample_tuple_budget(spec->npoints, neft_sample_spec_max_npt(spec)) < 0)
    {
        snprintf(err, errsize, "too many tuples: %ld points up to %ld-point functions "
                 "(at most %d tuples)", (long) spec->npoints,
                 (long) neft_sample_spec_max_npt(spec), NEFT_SAMPLE_MAX_TUPLES);
        return NEFT_BAD_INPUT;
    }
    if (neft_sample_estimator_name(spec->estimator) == NULL)
    {
        snprintf(err, errsize, "unknown estimator %d", spec->estimator);
        return NEFT_BAD_INPUT;
    }
    if (spec->extra != NULL && spec->estimator != NEFT_SAMPLE_ESTIMATOR_PLAIN)
    {
        snprintf(err, errsize, "an extra measurement (training) needs the plain estimator");
        return NEFT_BAD_INPUT;
    }
    if (spec->models < 2 * NEFT_SAMPLE_BLOCK)
    {
        snprintf(err, errsize, "at least %d models are needed (two blocks of %d, for an "
                 "error bar)", 2 * NEFT_SAMPLE_BLOCK, NEFT_SAMPLE_BLOCK);
        return NEFT_BAD_INPUT;
    }
    return NEFT_SUCCESS;
}

slong
_neft_sample_tuple_budget(slong npoints, slong maxlen)
{
    /* number of tree nodes (sorted tuples of every length 0..maxlen), or -1
       beyond NEFT_SAMPLE_MAX_TUPLES */
    slong k, c, total = 0;
    for (k = 0; k <= maxlen; k++)
    {
        c = neft_tuple_count(npoints, k);
        if (c < 0 || c > NEFT_SAMPLE_MAX_TUPLES)
            return -1;
        total += c;
        if (total > NEFT_SAMPLE_MAX_TUPLES)
            return -1;
    }
    return total;
}

char *
neft_sample_spec_describe(const neft_sample_spec_t spec)
{
    const neft_net_struct * net = spec->net;
    const slong d = net->d_in;
    size_t cap = 256 + 32 * (size_t) (spec->npoints * d + net->depth), len = 0;
    char * s = flint_malloc(cap);
    slong i, widths[NEFT_NET_MAX_DEPTH];

    get_widths(widths, spec);
#define PUT(...) len += (size_t) snprintf(s + len, cap - len, __VA_ARGS__)
    PUT("activation=%s", net->act != NULL ? net->act->name : "?");
    /* the user's parameter (leaky-relu's slope) as the double the nets use;
       rows without one describe themselves as before the net existed */
    if (net->act != NULL && param_kind(net->act) == 1)
        PUT(" %s=%a", net->act->param_name, neft_net_param_d(net));
    PUT(" d_in=%ld depth=%ld widths=", (long) d, (long) net->depth);
    for (i = 0; i < net->depth - 1; i++)
        PUT("%s%ld", i ? "," : "", (long) widths[i]);
    PUT(" cw=%a cb=%a points=", neft_net_cw_d(net), neft_net_cb_d(net));
    for (i = 0; i < spec->npoints * d; i++)
        PUT("%s%a", i ? (i % d ? "," : ";") : "", spec->points[i]);
    /* chunk: the lanes of the sums; sampler: bump when the arithmetic changes */
    PUT(" max_npt=%ld models=%llu seed=%llu block=%d chunk=%d batches=%d sampler=2",
        (long) neft_sample_spec_max_npt(spec), (unsigned long long) spec->models,
        (unsigned long long) spec->seed, NEFT_SAMPLE_BLOCK, NEFT_SAMPLE_CHUNK,
        NEFT_SAMPLE_BATCHES);
    /* the plain estimator describes itself as before estimators existed */
    if (spec->estimator != NEFT_SAMPLE_ESTIMATOR_PLAIN)
        PUT(" estimator=%s", neft_sample_estimator_name(spec->estimator));
#undef PUT
    if (spec->extra != NULL && spec->extra->describe != NULL)
    {
        /* the extra measurement's settings (training: data, steps, rates) */
        size_t e = strlen(spec->extra->describe);
        len = strlen(s);
        s = flint_realloc(s, len + e + 2);
        s[len] = ' ';
        memcpy(s + len + 1, spec->extra->describe, e + 1);
    }
    return s;
}

/* Normals per net: sum over layers of n_out (n_in + 1). */
static slong
normals_per_net(const neft_sample_spec_t spec)
{
    slong l, n_in = spec->net->d_in, total = 0, widths[NEFT_NET_MAX_DEPTH];
    get_widths(widths, spec);
    for (l = 1; l <= spec->net->depth; l++)
    {
        slong n_out = (l == spec->net->depth) ? 1 : widths[l - 1];
        total += n_out * (n_in + 1);
        n_in = n_out;
    }
    return total;
}

slong
neft_sample_work_size(const neft_sample_spec_t spec)
{
    slong l, wmax = spec->net->d_in, widths[NEFT_NET_MAX_DEPTH];
    get_widths(widths, spec);
    for (l = 0; l < spec->net->depth - 1; l++)
        wmax = FLINT_MAX(wmax, widths[l]);
    /* two layers of pre-activations and the normals (twice: as drawn and
       transposed) of a chunk of nets, k(x,x) of GaussNet */
    return (2 * wmax * spec->npoints + 2 * normals_per_net(spec) + 1) * NEFT_SAMPLE_CHUNK
           + spec->npoints + 1;
}

/* Doubles of G^ of a chunk (the conditional estimator): a pair of points each. */
slong
_neft_sample_ghat_size(const neft_sample_spec_t spec)
{
    return spec->npoints * (spec->npoints + 1) / 2 * NEFT_SAMPLE_CHUNK;
}

void
neft_sample_spec_cost(double * ops, double * bytes, double * per_model,
                      const neft_sample_spec_t spec, slong threads)
{
    const double C = NEFT_SAMPLE_CHUNK, P = (double) spec->npoints, D = sizeof(double);
    double model = 0, act, nodes = 0, counted = 0, nparts = 0, batches, blocks, shared, thread;
    const slong d = spec->net->d_in, L = spec->net->depth;
    double wmax = (double) d, normals = 0;
    slong l, k, n_in = d, maxn = neft_sample_spec_max_npt(spec), widths[NEFT_NET_MAX_DEPTH];

    /* the row's cost of one evaluation (src/act/table.c) */
    act = spec->net->act != NULL ? spec->net->act->cost_d : 1.0;
    get_widths(widths, spec);
    for (l = 1; l <= L; l++)
    {
        double n_out = (l == L) ? 1.0 : (double) widths[l - 1];
        normals += n_out * ((double) n_in + 1);
        wmax = FLINT_MAX(wmax, n_out);
        model += n_out * ((double) n_in + 1) * NEFT_SAMPLE_COST_NORMAL;   /* draws */
        model += n_out * P * ((double) n_in + 1);                       /* z = b + W h */
        if (l < L)
            model += n_out * P * act;
        n_in = (slong) n_out;
    }
    /* tuples: binomial(P + k - 1, k) of length k (as doubles: no overflow) */
    for (k = 0; k <= maxn; k++)
    {
        double c = neft_tuple_count_d(spec->npoints, k);
        nodes += c;
        if (k >= 2 && k % 2 == 0 && (spec->npt_mask & (1u << k)))
        {
            counted += c;
            nparts += c * (double) _neft_even_partitions(NULL, k) * (double) (k / 2);
        }
    }
    model += 3 * nodes + P;   /* memory-bound when the tree is large */
    model += 3 * counted;     /* the tail sums (tails.c) */
    if (spec->estimator == NEFT_SAMPLE_ESTIMATOR_CONDITIONAL)
    {
        /* G^ over the last hidden layer, the Wick terms (conditional.c) */
        double nlast = L >= 2 && L <= NEFT_NET_MAX_DEPTH ? (double) widths[L - 2] : 1.0;
        model += nlast * P * (P + 1) / 2;
        for (k = 2; k <= maxn; k += 2)
            model += 2 * neft_tuple_count_d(spec->npoints, k) * (double) (k - 1);
    }
    blocks = ceil((double) spec->models / NEFT_SAMPLE_BLOCK);
    batches = FLINT_MIN(blocks, (double) NEFT_SAMPLE_BATCHES);
    if (threads <= 0)
        threads = (slong) sysconf(_SC_NPROCESSORS_ONLN);
    threads = FLINT_MAX(1, FLINT_MIN(threads, (slong) batches));
    *per_model = model;
    /* the models (padded to whole chunks), then the jackknife: every batch's
       delete-one moments and connected correlators */
    *ops = model * C * ceil((double) spec->models / C)
         + (batches + 1) * (4 * nodes + nparts);
    /* tree (parent, last, len, child[npoints]) and partitions; batch sums
       hi, lo; the spec's description */
    shared = nodes * (3 + P) * sizeof(slong) + 2 * NEFT_SAMPLE_NSUMS * batches * nodes * D
           + 64 * (P * (double) d + (double) L) + 65536;
    /* per thread: f, prod (a chunk per node), bsum, hi, lo and the work space */
    thread = (P * C + nodes * C + 3 * NEFT_SAMPLE_NSUMS * nodes
              + (2 * wmax * P + 2 * normals + 1) * C + P + 1 + P * (P + 1) / 2 * C) * D;
    /* make_result: totals, means, the delete-one moments, replicas, result */
    *bytes = shared + FLINT_MAX((double) threads * thread,
                                (3 + batches) * nodes * D + 2 * counted * batches * D
                                + counted * sizeof(neft_sample_corr_struct));
}

/* Draw order (fixes the nets given the stream): net by net; within a net layer
   by layer, for each neuron its row of weights and then its bias.  For depth 2
   this is W0_j, b0_j for j = 1..N, then W1_1..W1_N, b1.  The arithmetic then
   runs over the nets of the chunk in the innermost loop (vectorised); each
   net's numbers are computed in the same order whatever its place. */
void
_neft_sample_draw_normals(double * gt, double * g, slong T, neft_sample_rng_t rng, slong count)
{
    enum { C = NEFT_SAMPLE_CHUNK };
    slong k, m;
    neft_sample_rng_normals(g, T * count, rng);
    for (k = 0; k < T; k++)
    {
        for (m = 0; m < count; m++)
            gt[k * C + m] = g[m * T + k];
        for (; m < C; m++)
            gt[k * C + m] = 0.0;   /* padding nets: all weights 0, output 0 */
    }
}

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
void
_neft_sample_draw_chunk(double * f, const neft_sample_spec_t spec, neft_sample_rng_t rng,
                        slong count, double * work)
{
    _neft_sample_draw_chunk_ghat(f, NULL, spec, rng, count, work);
}

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
void
_neft_sample_draw_chunk_ghat(double * f, double * ghat, const neft_sample_spec_t spec,
                             neft_sample_rng_t rng, slong count, double * work)
{
    enum { C = NEFT_SAMPLE_CHUNK };
    const neft_net_struct * net = spec->net;
    const slong P = spec->npoints, d = net->d_in, L = net->depth, T = normals_per_net(spec);
    const double cw = neft_net_cw_d(net), cb = neft_net_cb_d(net);
    slong wmax = d, l, i, k, a, m, n_in, n_out, widths[NEFT_NET_MAX_DEPTH] = {0};
    double * cur, * nxt, * g, * gt, * kxx, sdb = sqrt(cb), param = 0;
    neft_act_srcptr act = net->act;
    int kind = act != NULL && act->eval_d != NULL ? param_kind(act) : -1;

    if (kind < 0 || (kind == 2 && L != 2))
    {
        /* a net neft_sample_spec_check refuses: no net is computed with
           another activation's code */
        for (k = 0; k < P * C; k++)
            f[k] = NAN;
        return;
    }
    if (kind == 1)
        param = neft_net_param_d(net);

    get_widths(widths, spec);
    for (l = 0; l < L - 1; l++)
        wmax = FLINT_MAX(wmax, widths[l]);
    cur = work;
    nxt = cur + wmax * P * C;
    g = nxt + wmax * P * C;
    gt = g + T * C;
    kxx = gt + T * C;
    _neft_sample_draw_normals(gt, g, T, rng, count);
    g = gt;

    n_in = d;
    for (l = 1; l <= L; l++)
    {
        double sdw;
        n_out = (l == L) ? 1 : widths[l - 1];
        sdw = sqrt(cw / (double) n_in);
        for (i = 0; i < n_out; i++, g += (n_in + 1) * C)
        {
            const double * restrict bias = g + n_in * C;
            for (a = 0; a < P; a++)
            {
                double * restrict z = nxt + (i * P + a) * C;
                for (m = 0; m < C; m++)
                    z[m] = 0.0;
                if (l == 1)
                    for (k = 0; k < n_in; k++)
                    {
                        const double * restrict w = g + k * C;
                        const double x = spec->points[a * d + k];
                        for (m = 0; m < C; m++)
                            z[m] += w[m] * x;
                    }
                else
                    for (k = 0; k < n_in; k++)
                    {
                        const double * restrict w = g + k * C;
                        const double * restrict h = cur + (k * P + a) * C;
                        for (m = 0; m < C; m++)
                            z[m] += w[m] * h[m];
                    }
                for (m = 0; m < C; m++)
                    z[m] = sdb * bias[m] + sdw * z[m];
            }
        }
        if (l < L)
        {
            /* sigma on the hidden layer: the row of the activation table,
               fed its parameter as param_kind reads it */
            slong n = n_out * P * C;
            if (kind == 0)
                act->eval_d(nxt, nxt, n, NULL);
            else if (kind == 1)
                act->eval_d(nxt, nxt, n, &param);
            else if (kind == 2)
            {
                /* the pre-activation variance of the input, one hidden layer
                   (GaussNet, HMS: exp(z) / sqrt(exp(2 k(x,x))), k(x,x) =
                   C_b + C_W x.x/d) */
                for (a = 0; a < P; a++)
                {
                    double xx = 0;
                    for (k = 0; k < d; k++)
                        xx += spec->points[a * d + k] * spec->points[a * d + k];
                    kxx[a] = cb + cw * xx / (double) d;
                }
                for (k = 0; k < n_out; k++)
                    for (a = 0; a < P; a++)
                        act->eval_d(nxt + (k * P + a) * C, nxt + (k * P + a) * C, C, kxx + a);
            }
            if (ghat != NULL && l == L - 1)
                _neft_sample_ghat(ghat, nxt, n_out, P, cw, cb, count);
        }
        {
            double * t = cur;
            cur = nxt;
            nxt = t;
        }
        n_in = n_out;
    }
    for (a = 0; a < P; a++)
        for (m = 0; m < C; m++)
            f[a * C + m] = cur[a * C + m];
}

void
neft_sample_draw_net(double * out, const neft_sample_spec_t spec,
                     neft_sample_rng_t rng, double * work)
{
    slong a, P = spec->npoints;
    double * buf = flint_malloc(sizeof(double) * (size_t) (P * NEFT_SAMPLE_CHUNK));
    _neft_sample_draw_chunk(buf, spec, rng, 1, work);
    for (a = 0; a < P; a++)
        out[a] = buf[a * NEFT_SAMPLE_CHUNK];
    flint_free(buf);
}
