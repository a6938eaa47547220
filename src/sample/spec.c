/* Ensemble specifications and the forward pass of one random net. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/sample.h"
#include "tuples.h"

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
    free(spec->points);
    spec->points = NULL;
}

void
neft_sample_spec_set_points(neft_sample_spec_t spec, const double * x, slong npoints)
{
    free(spec->points);
    spec->points = malloc(sizeof(double) * (size_t) (npoints * spec->d_in + 1));
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
    /* number of tree nodes, or -1 beyond NEFT_SAMPLE_MAX_TUPLES */
    slong k, total = 0, c = 1;
    for (k = 0; k <= maxlen; k++)
    {
        if (k > 0)
        {
            /* c = binomial(npoints + k - 1, k), guarded against overflow */
            if (c > NEFT_SAMPLE_MAX_TUPLES)
                return -1;
            c = c * (npoints + k - 1) / k;
        }
        total += c;
        if (c > NEFT_SAMPLE_MAX_TUPLES || total > NEFT_SAMPLE_MAX_TUPLES)
            return -1;
    }
    return total;
}

char *
neft_sample_spec_describe(const neft_sample_spec_t spec)
{
    size_t cap = 256 + 32 * (size_t) (spec->npoints * spec->d_in + spec->depth), len = 0;
    char * s = malloc(cap);
    slong i;

#define PUT(...) len += (size_t) snprintf(s + len, cap - len, __VA_ARGS__)
    PUT("activation=%s d_in=%ld depth=%ld widths=", neft_sample_activation_name(spec->activation),
        (long) spec->d_in, (long) spec->depth);
    for (i = 0; i < spec->depth - 1; i++)
        PUT("%s%ld", i ? "," : "", (long) spec->widths[i]);
    PUT(" cw=%a cb=%a points=", spec->cw, spec->cb);
    for (i = 0; i < spec->npoints * spec->d_in; i++)
        PUT("%s%a", i ? (i % spec->d_in ? "," : ";") : "", spec->points[i]);
    PUT(" max_npt=%ld models=%llu seed=%llu block=%d batches=%d",
        (long) neft_sample_spec_max_npt(spec), (unsigned long long) spec->models,
        (unsigned long long) spec->seed, NEFT_SAMPLE_BLOCK, NEFT_SAMPLE_BATCHES);
#undef PUT
    return s;
}

slong
neft_sample_work_size(const neft_sample_spec_t spec)
{
    slong l, wmax = spec->d_in;
    for (l = 0; l < spec->depth - 1; l++)
        wmax = FLINT_MAX(wmax, spec->widths[l]);
    /* two layers of pre-activations, one row of weights, the k(x,x) of GaussNet */
    return 2 * wmax * spec->npoints + wmax + spec->npoints + 1;
}

/* Draw order (fixes the net given the stream): layer by layer, for each
   neuron its row of weights and then its bias.  For depth 2 this is W0_j, b0_j
   for j = 1..N, then W1_1..W1_N, b1. */
void
neft_sample_draw_net(double * out, const neft_sample_spec_t spec,
                     neft_sample_rng_t rng, double * work)
{
    const slong P = spec->npoints, d = spec->d_in, L = spec->depth;
    slong wmax = d, l, i, k, a, n_in, n_out;
    double * cur, * nxt, * row, * kxx, sdb = sqrt(spec->cb);
    const double * in;

    for (l = 0; l < L - 1; l++)
        wmax = FLINT_MAX(wmax, spec->widths[l]);
    cur = work;
    nxt = work + wmax * P;
    row = work + 2 * wmax * P;
    kxx = row + wmax;

    n_in = d;
    in = NULL;   /* layer 1 reads the points */
    for (l = 1; l <= L; l++)
    {
        double sdw;
        n_out = (l == L) ? 1 : spec->widths[l - 1];
        sdw = sqrt(spec->cw / (double) n_in);
        for (i = 0; i < n_out; i++)
        {
            double b;
            neft_sample_rng_normals(row, n_in, rng);
            b = sdb * neft_sample_rng_normal(rng);
            for (k = 0; k < n_in; k++)
                row[k] *= sdw;
            for (a = 0; a < P; a++)
            {
                double z = 0;
                if (in == NULL)
                    for (k = 0; k < n_in; k++)
                        z += row[k] * spec->points[a * d + k];
                else
                    for (k = 0; k < n_in; k++)
                        z += row[k] * in[k * P + a];
                nxt[i * P + a] = b + z;
            }
        }
        if (l < L)
        {
            /* sigma on the hidden layer */
            slong m = n_out * P;
            switch (spec->activation)
            {
                case NEFT_ACTIVATION_RELU:
                    for (k = 0; k < m; k++)
                        nxt[k] = nxt[k] > 0 ? nxt[k] : 0.0;
                    break;
                case NEFT_ACTIVATION_ERF:
                    for (k = 0; k < m; k++)
                        nxt[k] = erf(nxt[k]);
                    break;
                case NEFT_ACTIVATION_TANH:
                    for (k = 0; k < m; k++)
                        nxt[k] = tanh(nxt[k]);
                    break;
                default:
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
                            nxt[k * P + a] = exp(nxt[k * P + a] - kxx[a]);
                    break;
            }
        }
        /* swap */
        {
            double * t = cur;
            cur = nxt;
            nxt = t;
        }
        in = cur;
        n_in = n_out;
    }
    for (a = 0; a < P; a++)
        out[a] = cur[a];
}
