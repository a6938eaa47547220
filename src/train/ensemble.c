/* Trained finite-width ensembles (neft/train.h): the sampler's nets trained
   by gradient descent (ensemble_chunk.c) through the sampler's extra-
   measurement hook, their means, covariances and empirical NTKs with
   jackknife errors, and the frozen-NTK prediction beside them. */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "neft/train.h"
#include "neft/onen.h"
#include "neft/interrupt.h"
#include "neft/mpi.h"
#include "ensemble.h"

void
neft_train_ensemble_init(neft_train_ensemble_t ens)
{
    memset(ens, 0, sizeof(neft_train_ensemble_struct));
    neft_sample_spec_init(ens->sample);
    ens->sample->npt_mask = 1u << 2;     /* the prior's G^(2) beside the training */
    fmpq_init(ens->eta);
    fmpq_init(ens->lambda_b);
    fmpq_init(ens->lambda_w);
    fmpq_one(ens->lambda_b);
    fmpq_one(ens->lambda_w);
    ens->order = 0;
    ens->nodes = 12;
    ens->kink_samples = 4000;
}

void
neft_train_ensemble_clear(neft_train_ensemble_t ens)
{
    slong d = ens->sample->net->d_in;
    if (ens->x != NULL)
        _fmpq_vec_clear(ens->x, ens->sample->npoints * d);
    if (ens->yq != NULL)
        _fmpq_vec_clear(ens->yq, ens->ntrain);
    flint_free(ens->y);
    flint_free(ens->steps);
    neft_sample_spec_clear(ens->sample);
    fmpq_clear(ens->eta);
    fmpq_clear(ens->lambda_b);
    fmpq_clear(ens->lambda_w);
}

void
neft_train_ensemble_set_data(neft_train_ensemble_t ens, const fmpq * x, const fmpq * y,
                             slong n, const fmpq * test, slong ntest)
{
    const slong d = ens->sample->net->d_in, P = n + ntest;
    double * xd = flint_malloc(sizeof(double) * (size_t) (P * d + 1));
    slong i;
    if (ens->x != NULL)
        _fmpq_vec_clear(ens->x, ens->sample->npoints * d);
    if (ens->yq != NULL)
        _fmpq_vec_clear(ens->yq, ens->ntrain);
    flint_free(ens->y);
    ens->x = _fmpq_vec_init(P * d);
    ens->yq = _fmpq_vec_init(n);
    ens->y = flint_malloc(sizeof(double) * (size_t) (n + 1));
    for (i = 0; i < n * d; i++)
        fmpq_set(ens->x + i, x + i);
    for (i = 0; i < ntest * d; i++)
        fmpq_set(ens->x + n * d + i, test + i);
    for (i = 0; i < n; i++)
    {
        fmpq_set(ens->yq + i, y + i);
        ens->y[i] = fmpq_get_d(y + i);
    }
    for (i = 0; i < P * d; i++)
        xd[i] = fmpq_get_d(ens->x + i);
    ens->ntrain = n;
    neft_sample_spec_set_points(ens->sample, xd, P);
    flint_free(xd);
}

void
neft_train_ensemble_set_steps(neft_train_ensemble_t ens, const ulong * steps, slong n)
{
    flint_free(ens->steps);
    ens->steps = flint_malloc(sizeof(ulong) * (size_t) (n + 1));
    memcpy(ens->steps, steps, sizeof(ulong) * (size_t) n);
    ens->nsteps = n;
}

/* The plan of the hot loop; 0, or -1 (a row without a derivative). */
static int
make_plan(_neft_train_plan_struct * p, const neft_train_ensemble_t ens)
{
    const neft_net_struct * net = ens->sample->net;
    const double cw = neft_net_cw_d(net), cb = neft_net_cb_d(net);
    const double eta = fmpq_get_d(ens->eta);
    slong l, P = ens->sample->npoints, nB = P - ens->ntrain;
    memset(p, 0, sizeof(*p));
    p->L = net->depth;
    p->P = P;
    p->ntrain = ens->ntrain;
    p->n[0] = net->d_in;
    for (l = 1; l < p->L; l++)
        p->n[l] = neft_net_width_si(net, l);
    p->n[p->L] = 1;
    p->nmax = 0;
    p->off[1] = 0;
    for (l = 1; l <= p->L; l++)
    {
        p->off[l + 1] = p->off[l] + p->n[l] * (p->n[l - 1] + 1);
        p->nmax = FLINT_MAX(p->nmax, FLINT_MAX(p->n[l], p->n[l - 1]));
        p->sdw[l] = sqrt(cw / (double) p->n[l - 1]);
    }
    p->nparams = p->off[p->L + 1];
    p->sdb = sqrt(cb);
    p->lambda_b = fmpq_get_d(ens->lambda_b);
    p->lambda_w = fmpq_get_d(ens->lambda_w);
    p->rate_b = eta * p->lambda_b;
    for (l = 1; l <= p->L; l++)
        p->rate_w[l] = eta * p->lambda_w / ((double) p->n[l - 1] * p->sdw[l]);
    p->x = ens->sample->points;
    p->y = ens->y;
    p->act = net->act;
    p->kind = net->act != NULL && net->act->nparams == 1 && net->act->param_default != NULL;
    p->param = p->kind ? neft_net_param_d(net) : 0.0;
    p->dact = neft_train_dact(net->act);
    p->relu = net->act != NULL && !strcmp(net->act->name, "relu");
    p->nsteps = ens->nsteps;
    p->steps = ens->steps;
    p->o_mean = 0;
    p->o_cov = p->o_mean + ens->nsteps * nB;
    p->o_ntk = p->o_cov + ens->nsteps * (nB * (nB + 1) / 2);
    p->o_ntk2 = p->o_ntk + P * (P + 1) / 2;
    p->nsums = p->o_ntk2 + P * (P + 1) / 2;
    return p->dact == NULL ? -1 : 0;
}

int
neft_train_ensemble_check(const neft_train_ensemble_t ens, char * err, size_t errsize)
{
    _neft_train_plan_struct p;
    int status;
    slong s;
    if ((status = neft_sample_spec_check(ens->sample, err, errsize)) != NEFT_SUCCESS)
        return status;
    if (ens->ntrain < 1 || ens->sample->npoints <= ens->ntrain)
    {
        snprintf(err, errsize, "training needs at least one training example and one test "
                 "input");
        return NEFT_BAD_INPUT;
    }
    if (fmpq_sgn(ens->eta) <= 0 || fmpq_sgn(ens->lambda_b) < 0 || fmpq_sgn(ens->lambda_w) < 0)
    {
        snprintf(err, errsize, "eta must be > 0 and the lambdas >= 0");
        return NEFT_BAD_INPUT;
    }
    if (ens->nsteps < 1 || ens->nsteps > 1000)
    {
        snprintf(err, errsize, "between 1 and 1000 recorded steps");
        return NEFT_BAD_INPUT;
    }
    for (s = 1; s < ens->nsteps; s++)
        if (ens->steps[s] <= ens->steps[s - 1])
        {
            snprintf(err, errsize, "the recorded steps must increase");
            return NEFT_BAD_INPUT;
        }
    if (make_plan(&p, ens) != 0)
    {
        snprintf(err, errsize, "training %s nets needs the derivative of the activation in "
                 "doubles, which the trainer does not have (relu, leaky-relu, linear, tanh, "
                 "erf, gelu, silu, sigmoid, sin, softplus)", ens->sample->net->act->name);
        return NEFT_UNSUPPORTED;
    }
    if (p.nsums > 1000000)
    {
        snprintf(err, errsize, "too many measured values (%ld): fewer test inputs or recorded "
                 "steps", (long) p.nsums);
        return NEFT_BAD_INPUT;
    }
    return NEFT_SUCCESS;
}

void
neft_train_ensemble_cost(double * ops, double * per_model, const neft_train_ensemble_t ens)
{
    _neft_train_plan_struct p;
    double T, params, model, pairs;
    make_plan(&p, ens);
    T = ens->nsteps > 0 ? (double) ens->steps[ens->nsteps - 1] : 0;
    params = (double) p.nparams;
    pairs = (double) (p.P * (p.P + 1) / 2);
    /* a step: forward on the training inputs, backward and update (about 3
       multiply-adds per parameter and input), the activation and its
       derivative (cost_d each); the NTK at the start; the draws */
    model = T * (3 * params * (double) p.ntrain)
            + (T + 1) * (double) p.ntrain * 2 * (double) p.nmax * (double) (p.L - 1)
              * (p.act != NULL ? p.act->cost_d : 1.0)
            + pairs * 2 * params + (double) ens->nsteps * params * (double) p.P
            + params * NEFT_SAMPLE_COST_NORMAL;
    *per_model = model;
    *ops = model * (double) ens->sample->models;
}

void
neft_train_ensemble_result_init(neft_train_ensemble_result_t res)
{
    memset(res, 0, sizeof(neft_train_ensemble_result_struct));
    res->eta_lambda_max = NAN;
    neft_sample_result_init(res->sample);
    arb_mat_init(res->K, 0, 0);
    arb_mat_init(res->Theta, 0, 0);
}

void
neft_train_ensemble_result_clear(neft_train_ensemble_result_t res)
{
    neft_sample_result_clear(res->sample);
    flint_free(res->mean);
    flint_free(res->cov);
    flint_free(res->ntk);
    flint_free(res->ntk_var);
    flint_free(res->order1);
    flint_free(res->order1_err);
    flint_free(res->kink_mean);
    flint_free(res->kink_mean_err);
    flint_free(res->kink_var);
    flint_free(res->kink_var_err);
    if (res->frozen_mean != NULL)
        _arb_vec_clear(res->frozen_mean, res->nsteps * res->ntest);
    if (res->frozen_cov != NULL)
        _arb_vec_clear(res->frozen_cov, res->nsteps * res->ntest * res->ntest);
    arb_mat_clear(res->K);
    arb_mat_clear(res->Theta);
    neft_train_ensemble_result_init(res);
}

/* ---- estimates from the means and their delete-one-batch replicas ----- */

typedef double (*derived_func)(const double * mean, const slong * idx, double nfac);

static double
g_mean(const double * v, const slong * idx, double nfac)
{
    (void) nfac;
    return v[idx[0]];
}

/* E[xy] - E[x]E[y], times n/(n-1) */
static double
g_cov(const double * v, const slong * idx, double nfac)
{
    return nfac * (v[idx[0]] - v[idx[1]] * v[idx[2]]);
}

static void
estimate(neft_sample_estimate_struct * est, const neft_sample_result_t r, derived_func g,
         const slong * idx, double nfac)
{
    const slong B = r->batches, X = r->nextra;
    double full = g(r->extra, idx, nfac), mean = 0, ss = 0, v;
    slong b;
    for (b = 0; b < B; b++)
        mean += g(r->extra_rep + b * X, idx, nfac);
    mean /= (double) B;
    for (b = 0; b < B; b++)
    {
        v = g(r->extra_rep + b * X, idx, nfac) - mean;
        ss += v * v;
    }
    est->mean = full;
    est->stderr_ = sqrt(ss * (double) (B - 1) / (double) B);
    est->flags = isfinite(full) && isfinite(est->stderr_) ? 0 : NEFT_SAMPLE_FLAG_NONFINITE;
}

/* index of the pair (a, b), a <= b, of n in the order a = 0.., b = a.. */
static slong
pair_index(slong a, slong b, slong n)
{
    if (a > b)
    {
        slong t = a;
        a = b;
        b = t;
    }
    return a * n - a * (a - 1) / 2 + (b - a);
}

static int
frozen(neft_train_ensemble_result_t res, const neft_train_ensemble_t ens, slong prec)
{
    neft_onen_params_t par;
    const neft_net_struct * net = ens->sample->net;
    const slong P = res->npoints, nA = ens->ntrain, nB = res->ntest, d = net->d_in;
    arb_ptr y, mean;
    arb_mat_t cov;
    arb_t eta, tm;
    slong s, i, j;
    int ok = 1;

    neft_onen_params_init(par);
    par->prec = prec;
    neft_net_set(par->net, net);
    neft_net_set_depth_recursion(par->net, net->depth);
    arb_mat_clear(res->K);
    arb_mat_clear(res->Theta);
    arb_mat_init(res->K, P, P);
    arb_mat_init(res->Theta, P, P);
    if (neft_posterior_kernels(res->K, res->Theta, par, ens->lambda_b, ens->lambda_w, ens->x,
                               P, d) != 0)
    {
        neft_onen_params_clear(par);
        return 0;
    }
    neft_onen_params_clear(par);
    res->eta_lambda_max = neft_train_eta_lambda_max(res->Theta, nA, ens->eta);
    y = _arb_vec_init(nA);
    mean = _arb_vec_init(nB);
    arb_mat_init(cov, nB, nB);
    arb_init(eta);
    arb_init(tm);
    for (i = 0; i < nA; i++)
        arb_set_fmpq(y + i, ens->yq + i, prec);
    arb_set_fmpq(eta, ens->eta, prec);
    for (s = 0; s < ens->nsteps && ok; s++)
    {
        if (neft_train_frozen(mean, cov, res->K, res->Theta, nA, y, eta, ens->steps[s], tm, 0,
                              prec) != 0)
            ok = 0;
        for (i = 0; i < nB && ok; i++)
        {
            arb_set(res->frozen_mean + s * nB + i, mean + i);
            for (j = 0; j < nB; j++)
                arb_set(res->frozen_cov + (s * nB + i) * nB + j, arb_mat_entry(cov, i, j));
        }
    }
    _arb_vec_clear(y, nA);
    _arb_vec_clear(mean, nB);
    arb_mat_clear(cov);
    arb_clear(eta);
    arb_clear(tm);
    return ok;
}

/* the frozen-NTK balls and (ens->order 1) the O(1/n) coefficients */
static int
predictions(neft_train_ensemble_result_t res, const neft_train_ensemble_t ens, slong prec,
            char * err, size_t errsize)
{
    const slong nB = res->ntest;
    int status;
    /* refuse before the kernels, which can take long (gelu, deep nets) */
    if (ens->order >= 1 && !neft_train_has_kink(ens->sample->net)
        && (status = neft_train_order1_check(ens, ens->nodes, err, errsize)) != NEFT_SUCCESS)
        return status;
    res->frozen_mean = _arb_vec_init(ens->nsteps * nB);
    res->frozen_cov = _arb_vec_init(ens->nsteps * nB * nB);
    res->frozen_ok = frozen(res, ens, prec);
    if (!res->frozen_ok && neft_interrupted())
    {
        snprintf(err, errsize, "interrupted while computing the frozen-NTK prediction");
        return NEFT_INTERRUPTED;
    }
    if (ens->order >= 1 && neft_train_has_kink(ens->sample->net))
    {
        /* relu, leaky-relu: the n^{-1/2} term; their O(1/n) c is not computed */
        const slong n = ens->nsteps * nB;
        res->kink_mean = flint_malloc(sizeof(double) * (size_t) n);
        res->kink_mean_err = flint_malloc(sizeof(double) * (size_t) n);
        res->kink_var = flint_malloc(sizeof(double) * (size_t) n);
        res->kink_var_err = flint_malloc(sizeof(double) * (size_t) n);
        if (!res->frozen_ok)
        {
            snprintf(err, errsize, "the kink term needs the frozen kernels, which could not be "
                     "certified");
            return NEFT_FAILURE;
        }
        return neft_train_kink(res->kink_mean, res->kink_mean_err, res->kink_var,
                               res->kink_var_err, ens, res->K, res->Theta, ens->kink_samples,
                               err, errsize);
    }
    if (ens->order >= 1)
    {
        res->order1 = flint_malloc(sizeof(double) * (size_t) (ens->nsteps * nB));
        res->order1_err = flint_malloc(sizeof(double) * (size_t) (ens->nsteps * nB));
        res->order1_nodes = ens->nodes;
        if (ens->c_rtol > 0)
        {
            /* the nodes chosen for the target, from the default up to ens->nodes */
            res->order1_ball = 1;
            status = neft_train_order1_nodes(res->order1, res->order1_err, NULL,
                                             &res->order1_nodes, &res->order1_met,
                                             &res->order1_worst, ens, ens->c_rtol,
                                             FLINT_MIN(NEFT_TRAIN_ORDER1_BALL_NODES, ens->nodes),
                                             ens->nodes, err, errsize);
        }
        else
            status = neft_train_order1(res->order1, res->order1_err, &res->order1_ball, NULL, ens,
                                       ens->nodes, err,
                                       errsize);
        res->order1_deep = ens->sample->net->depth > 2;
        if (status != NEFT_SUCCESS)
            return status;
    }
    return NEFT_SUCCESS;
}

int
neft_train_ensemble_run(neft_train_ensemble_result_t res, neft_train_ensemble_t ens,
                        const neft_sample_opt_t opt, slong prec, char * err, size_t errsize)
{
    _neft_train_plan_struct p;
    const slong P = ens->sample->npoints, nA = ens->ntrain, nB = P - nA;
    slong s, a, b, idx[3], cap, len, k;
    double nfac;
    char * desc;
    int status;

    neft_train_ensemble_result_clear(res);
    if ((status = neft_train_ensemble_check(ens, err, errsize)) != NEFT_SUCCESS)
        return status;
    make_plan(&p, ens);
    /* what determines the numbers beyond the sample spec: targets, rates, steps */
    cap = 128 + 32 * (nA + ens->nsteps);
    desc = flint_malloc((size_t) cap);
    len = snprintf(desc, (size_t) cap, "train=1 ntrain=%ld y=", (long) nA);
    for (a = 0; a < nA; a++)
        len += snprintf(desc + len, (size_t) (cap - len), "%s%a", a ? "," : "", ens->y[a]);
    len += snprintf(desc + len, (size_t) (cap - len), " eta=%a lb=%a lw=%a steps=",
                    fmpq_get_d(ens->eta), p.lambda_b, p.lambda_w);
    for (s = 0; s < ens->nsteps; s++)
        len += snprintf(desc + len, (size_t) (cap - len), "%s%lu", s ? "," : "",
                        (unsigned long) ens->steps[s]);
    ens->extra.nsums = p.nsums;
    ens->extra.work = _neft_train_chunk_work(&p);
    ens->extra.chunk = _neft_train_chunk;
    ens->extra.param = &p;
    ens->extra.describe = desc;
    ens->sample->extra = &ens->extra;
    status = neft_sample_run(res->sample, ens->sample, opt, err, errsize);
    ens->sample->extra = NULL;
    ens->extra.describe = NULL;
    ens->extra.param = NULL;
    flint_free(desc);
    if (status != NEFT_SUCCESS)
        return status;
    if (neft_mpi_rank() != 0)
        return NEFT_SUCCESS;    /* under MPI rank 0 has the sums and writes */

    res->ntest = nB;
    res->npoints = P;
    res->nsteps = ens->nsteps;
    res->mean = flint_calloc((size_t) (ens->nsteps * nB), sizeof(neft_sample_estimate_struct));
    res->cov = flint_calloc((size_t) (ens->nsteps * nB * nB), sizeof(neft_sample_estimate_struct));
    res->ntk = flint_calloc((size_t) (P * P), sizeof(neft_sample_estimate_struct));
    res->ntk_var = flint_calloc((size_t) (P * P), sizeof(neft_sample_estimate_struct));
    nfac = (double) res->sample->models / (double) (res->sample->models - 1);
    for (s = 0; s < ens->nsteps; s++)
        for (a = 0; a < nB; a++)
        {
            idx[0] = p.o_mean + s * nB + a;
            estimate(res->mean + s * nB + a, res->sample, g_mean, idx, nfac);
            for (b = 0; b < nB; b++)
            {
                idx[0] = p.o_cov + s * (nB * (nB + 1) / 2) + pair_index(a, b, nB);
                idx[1] = p.o_mean + s * nB + a;
                idx[2] = p.o_mean + s * nB + b;
                estimate(res->cov + (s * nB + a) * nB + b, res->sample, g_cov, idx, nfac);
            }
        }
    for (a = 0; a < P; a++)
        for (b = 0; b < P; b++)
        {
            k = pair_index(a, b, P);
            idx[0] = p.o_ntk + k;
            estimate(res->ntk + a * P + b, res->sample, g_mean, idx, nfac);
            idx[0] = p.o_ntk2 + k;
            idx[1] = idx[2] = p.o_ntk + k;
            estimate(res->ntk_var + a * P + b, res->sample, g_cov, idx, nfac);
        }
    return predictions(res, ens, prec, err, errsize);
}

int
neft_train_ensemble_predict(neft_train_ensemble_result_t res, const neft_train_ensemble_t ens,
                            slong prec, char * err, size_t errsize)
{
    int status;
    neft_train_ensemble_result_clear(res);
    if ((status = neft_train_ensemble_check(ens, err, errsize)) != NEFT_SUCCESS)
        return status;
    res->npoints = ens->sample->npoints;
    res->ntest = res->npoints - ens->ntrain;
    res->nsteps = ens->nsteps;
    return predictions(res, ens, prec, err, errsize);
}

slong
neft_train_ensemble_nparams(const neft_train_ensemble_t ens)
{
    _neft_train_plan_struct p;
    make_plan(&p, ens);
    return p.nparams;
}

int
neft_train_ensemble_trace(double * params, double * out, double * ntk,
                          const neft_train_ensemble_t ens, char * err, size_t errsize)
{
    _neft_train_plan_struct p;
    neft_sample_rng_t rng;
    double * work, * sums, * f;
    slong l, i, k, a, b, nB, P;
    int status;
    if ((status = neft_train_ensemble_check(ens, err, errsize)) != NEFT_SUCCESS)
        return status;
    make_plan(&p, ens);
    P = p.P;
    nB = P - p.ntrain;
    work = flint_malloc(sizeof(double) * (size_t) (_neft_train_chunk_work(&p) + p.nparams));
    sums = flint_calloc((size_t) p.nsums + 1, sizeof(double));
    f = flint_malloc(sizeof(double) * (size_t) (P * NEFT_SAMPLE_CHUNK));
    /* the parameters as drawn (the first net of block 0's stream) */
    neft_sample_rng_seed(rng, ens->sample->seed, 0);
    neft_sample_rng_normals(work, p.nparams, rng);
    for (l = 1, k = 0; l <= p.L; l++)
        for (i = 0; i < p.n[l]; i++)
        {
            slong j;
            for (j = 0; j < p.n[l - 1]; j++, k++)
                params[k] = p.sdw[l] * work[k];
            params[k] = p.sdb * work[k];
            k++;
        }
    neft_sample_rng_seed(rng, ens->sample->seed, 0);
    _neft_train_chunk(f, sums, ens->sample, rng, 1, work, &p);
    for (k = 0; k < ens->nsteps * nB; k++)
        out[k] = sums[p.o_mean + k];
    for (a = 0, k = 0; a < P; a++)
        for (b = a; b < P; b++, k++)
            ntk[a * P + b] = ntk[b * P + a] = sums[p.o_ntk + k];
    flint_free(work);
    flint_free(sums);
    flint_free(f);
    return NEFT_SUCCESS;
}
