/* Private to src/train: the plan of a trained ensemble, shared by the
   driver (ensemble.c) and the hot loop (ensemble_chunk.c). */
#ifndef NEFT_TRAIN_ENSEMBLE_H
#define NEFT_TRAIN_ENSEMBLE_H

#include "neft/train.h"

typedef struct
{
    slong L, P, ntrain;             /* weight layers, points (training first), examples */
    slong n[NEFT_NET_MAX_DEPTH + 1];   /* n[0] = d_in, hidden widths, n[L] = 1 */
    slong off[NEFT_NET_MAX_DEPTH + 2]; /* first parameter of layer l (sampler order) */
    slong nparams, nmax;            /* parameters per net, widest layer (d_in too) */
    double sdw[NEFT_NET_MAX_DEPTH + 1], sdb;   /* sqrt(C_W / n_{l-1}), sqrt(C_b) */
    double rate_w[NEFT_NET_MAX_DEPTH + 1], rate_b;   /* eta lambda_W / (n_{l-1} sdw), eta lambda_b */
    double lambda_b, lambda_w;
    const double * x, * y;          /* P * d_in points, ntrain targets */
    neft_act_srcptr act;
    int kind;                       /* 1: the row takes the user's parameter */
    double param;
    neft_train_dact_func dact;
    int relu;                       /* the relu row: inlined in the hot loop */
    slong nsteps;
    const ulong * steps;
    slong o_mean, o_cov, o_ntk, o_ntk2, nsums;   /* offsets of the per-model values */
}
_neft_train_plan_struct;

slong _neft_train_chunk_work(const _neft_train_plan_struct * p);
void _neft_train_chunk(double * fout, double * sums, const neft_sample_spec_struct * spec,
                       neft_sample_rng_struct * rng, slong count, double * work,
                       const void * param);

#endif
