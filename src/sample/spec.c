/* Ensemble specifications and the forward pass of one random net. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/sample.h"
#include "neft/tuple.h"
#include "run.h"

static const char * const act_names[] = {"relu", "erf", "tanh", "gauss"};

int
neft_sample_activation_lookup(const char * name)
{
    int i;
    for (i = 0; i < 4; i++)
        if (!strcmp(name, act_names[i]))
            return i;
    return -1;
}

const char *
neft_sample_activation_name(int activation)
{
    return (activation >= 0 && activation < 4) ? act_names[activation] : "?";
}

/* The row of the activation table (neft/act.h) of NEFT_ACTIVATION_*, through
   its name; NULL for a number out of range.  The one place the sampler's
   numbers meet the table (until they are removed). */
neft_act_srcptr
_neft_sample_act(int activation)
{
    return (activation >= 0 && activation < 4) ? neft_act_lookup(act_names[activation]) : NULL;
}

void
neft_sample_spec_init(neft_sample_spec_t spec)
{
    memset(spec, 0, sizeof(neft_sample_spec_struct));
    spec->activation = NEFT_ACTIVATION_RELU;
    spec->d_in = 1;
    spec->depth = 2;
    spec->widths[0] = 1;
    spec->cw = 1.0;
    spec->cb = 0.0;
    spec->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
    spec->models = 0;
    spec->seed = 0;
}

void
neft_sample_spec_clear(neft_sample_spec_t spec)
{
    flint_free(spec->points);
    spec->points = NULL;
}

void
neft_sample_spec_set_points(neft_sample_spec_t spec, const double * x, slong npoints)
{
    flint_free(spec->points);
    spec->points = flint_malloc(sizeof(double) * (size_t) (npoints * spec->d_in + 1));
    memcpy(spec->points, x, sizeof(double) * (size_t) (npoints * spec->d_in));
    spec->npoints = npoints;
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
    slong l, i;
    if (spec->activation < 0 || spec->activation > 3)
    {
        snprintf(err, errsize, "unknown activation");
        return 2;
    }
    if (spec->d_in < 1 || spec->d_in > 1000000)
    {
        snprintf(err, errsize, "d_in must be between 1 and 1000000");
        return 2;
    }
    if (spec->depth < 2 || spec->depth > NEFT_SAMPLE_MAX_DEPTH)
    {
        snprintf(err, errsize, "depth must be between 2 and %d", NEFT_SAMPLE_MAX_DEPTH);
        return 2;
    }
    if (spec->activation == NEFT_ACTIVATION_GAUSS && spec->depth != 2)
    {
        snprintf(err, errsize, "the gauss activation (GaussNet) is defined for one hidden "
                 "layer only (depth 2)");
        return 2;
    }
    for (l = 0; l < spec->depth - 1; l++)
        if (spec->widths[l] < 1 || spec->widths[l] > 100000000)
        {
            snprintf(err, errsize, "widths must be between 1 and 100000000");
            return 2;
        }
    {
        /* the work space of a chunk must have a size (neft_sample_work_size
           is a slong): far beyond any memory, refused here */
        double normals = 0, n_in = (double) spec->d_in;
        for (l = 0; l < spec->depth; l++)
        {
            double n_out = l == spec->depth - 1 ? 1.0 : (double) spec->widths[l];
            normals += n_out * (n_in + 1);
            n_in = n_out;
        }
        if (normals > 1e15)
        {
            snprintf(err, errsize, "the nets have %.3g weights, more than 1e15", normals);
            return 2;
        }
    }
    if (!(spec->cw >= 0 && spec->cw < HUGE_VAL) || !(spec->cb >= 0 && spec->cb < HUGE_VAL))
    {
        snprintf(err, errsize, "C_W = sw^2 and C_b = sb^2 must be finite and >= 0");
        return 2;
    }
    if (spec->npoints < 1 || spec->points == NULL)
    {
        snprintf(err, errsize, "no input points");
        return 2;
    }
    for (i = 0; i < spec->npoints * spec->d_in; i++)
        if (!isfinite(spec->points[i]))
        {
            snprintf(err, errsize, "input points must be finite");
            return 2;
        }
    if (spec->npt_mask == 0 || (spec->npt_mask & ~0x154u))
    {
        snprintf(err, errsize, "npt must be among 2, 4, 6, 8");
        return 2;
    }
    if (_neft_sample_tuple_budget(spec->npoints, neft_sample_spec_max_npt(spec)) < 0)
    {
        snprintf(err, errsize, "too many tuples: %ld points up to %ld-point functions "
                 "(at most %d tuples)", (long) spec->npoints,
                 (long) neft_sample_spec_max_npt(spec), NEFT_SAMPLE_MAX_TUPLES);
        return 2;
    }
    if (spec->models < 2 * NEFT_SAMPLE_BLOCK)
    {
        snprintf(err, errsize, "at least %d models are needed (two blocks of %d, for an "
                 "error bar)", 2 * NEFT_SAMPLE_BLOCK, NEFT_SAMPLE_BLOCK);
        return 2;
    }
    return 0;
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
    size_t cap = 256 + 32 * (size_t) (spec->npoints * spec->d_in + spec->depth), len = 0;
    char * s = flint_malloc(cap);
    slong i;

#define PUT(...) len += (size_t) snprintf(s + len, cap - len, __VA_ARGS__)
    PUT("activation=%s d_in=%ld depth=%ld widths=", neft_sample_activation_name(spec->activation),
        (long) spec->d_in, (long) spec->depth);
    for (i = 0; i < spec->depth - 1; i++)
        PUT("%s%ld", i ? "," : "", (long) spec->widths[i]);
    PUT(" cw=%a cb=%a points=", spec->cw, spec->cb);
    for (i = 0; i < spec->npoints * spec->d_in; i++)
        PUT("%s%a", i ? (i % spec->d_in ? "," : ";") : "", spec->points[i]);
    /* chunk: the lanes of the sums; sampler: bump when the arithmetic changes */
    PUT(" max_npt=%ld models=%llu seed=%llu block=%d chunk=%d batches=%d sampler=1",
        (long) neft_sample_spec_max_npt(spec), (unsigned long long) spec->models,
        (unsigned long long) spec->seed, NEFT_SAMPLE_BLOCK, NEFT_SAMPLE_CHUNK,
        NEFT_SAMPLE_BATCHES);
#undef PUT
    return s;
}

/* Normals per net: sum over layers of n_out (n_in + 1). */
static slong
normals_per_net(const neft_sample_spec_t spec)
{
    slong l, n_in = spec->d_in, total = 0;
    for (l = 1; l <= spec->depth; l++)
    {
        slong n_out = (l == spec->depth) ? 1 : spec->widths[l - 1];
        total += n_out * (n_in + 1);
        n_in = n_out;
    }
    return total;
}

slong
neft_sample_work_size(const neft_sample_spec_t spec)
{
    slong l, wmax = spec->d_in;
    for (l = 0; l < spec->depth - 1; l++)
        wmax = FLINT_MAX(wmax, spec->widths[l]);
    /* two layers of pre-activations and the normals (twice: as drawn and
       transposed) of a chunk of nets, k(x,x) of GaussNet */
    return (2 * wmax * spec->npoints + 2 * normals_per_net(spec) + 1) * NEFT_SAMPLE_CHUNK
           + spec->npoints + 1;
}

void
neft_sample_spec_cost(double * ops, double * bytes, double * per_model,
                      const neft_sample_spec_t spec, slong threads)
{
    const double C = NEFT_SAMPLE_CHUNK, P = (double) spec->npoints, D = sizeof(double);
    double model = 0, act, nodes = 0, counted = 0, nparts = 0, batches, blocks, shared, thread;
    double wmax = (double) spec->d_in, normals = 0;
    slong l, k, n_in = spec->d_in, maxn = neft_sample_spec_max_npt(spec);

    act = spec->activation == NEFT_ACTIVATION_RELU ? 1.0 : NEFT_SAMPLE_COST_SMOOTH;
    for (l = 1; l <= spec->depth; l++)
    {
        double n_out = (l == spec->depth) ? 1.0 : (double) spec->widths[l - 1];
        normals += n_out * ((double) n_in + 1);
        wmax = FLINT_MAX(wmax, n_out);
        model += n_out * ((double) n_in + 1) * NEFT_SAMPLE_COST_NORMAL;   /* draws */
        model += n_out * P * ((double) n_in + 1);                       /* z = b + W h */
        if (l < spec->depth)
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
    shared = nodes * (3 + P) * sizeof(slong) + 2 * batches * nodes * D
           + 64 * (P * (double) spec->d_in + (double) spec->depth) + 65536;
    /* per thread: f, prod (a chunk per node), bsum, hi, lo and the work space */
    thread = (P * C + nodes * C + 3 * nodes + (2 * wmax * P + 2 * normals + 1) * C + P + 1) * D;
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
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
void
_neft_sample_draw_chunk(double * f, const neft_sample_spec_t spec, neft_sample_rng_t rng,
                        slong count, double * work)
{
    enum { C = NEFT_SAMPLE_CHUNK };
    const slong P = spec->npoints, d = spec->d_in, L = spec->depth, T = normals_per_net(spec);
    slong wmax = d, l, i, k, a, m, n_in, n_out;
    double * cur, * nxt, * g, * gt, * kxx, sdb = sqrt(spec->cb);
    neft_act_srcptr act = _neft_sample_act(spec->activation);

    if (act == NULL)
    {
        /* an activation neft_sample_spec_check refuses: no net is computed
           with another activation's code */
        for (k = 0; k < P * C; k++)
            f[k] = NAN;
        return;
    }

    for (l = 0; l < L - 1; l++)
        wmax = FLINT_MAX(wmax, spec->widths[l]);
    cur = work;
    nxt = cur + wmax * P * C;
    g = nxt + wmax * P * C;
    gt = g + T * C;
    kxx = gt + T * C;
    neft_sample_rng_normals(g, T * count, rng);
    for (k = 0; k < T; k++)
    {
        for (m = 0; m < count; m++)
            gt[k * C + m] = g[m * T + k];
        for (; m < C; m++)
            gt[k * C + m] = 0.0;   /* padding nets: all weights 0, output 0 */
    }
    g = gt;

    n_in = d;
    for (l = 1; l <= L; l++)
    {
        double sdw;
        n_out = (l == L) ? 1 : spec->widths[l - 1];
        sdw = sqrt(spec->cw / (double) n_in);
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
            /* sigma on the hidden layer: the row of the activation table */
            slong n = n_out * P * C;
            if (spec->activation != NEFT_ACTIVATION_GAUSS)
                act->eval_d(nxt, nxt, n, NULL);
            else
            {
                /* GaussNet (HMS): exp(z) / sqrt(exp(2 k(x,x))), k(x,x) = C_b + C_W x.x/d */
                for (a = 0; a < P; a++)
                {
                    double xx = 0;
                    for (k = 0; k < d; k++)
                        xx += spec->points[a * d + k] * spec->points[a * d + k];
                    kxx[a] = spec->cb + spec->cw * xx / (double) d;
                }
                for (k = 0; k < n_out; k++)
                    for (a = 0; a < P; a++)
                        act->eval_d(nxt + (k * P + a) * C, nxt + (k * P + a) * C, C, kxx + a);
            }
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
