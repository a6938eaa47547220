/* neft/sample.h -- ensembles of random networks and their measured correlators.
 *
 * One-hidden-layer nets (Halverson-Maiti-Stoner, arXiv 2008.08601):
 *   f(x) = b1 + sum_{j<=N} W1_j sigma(W0_j . x + b0_j),
 *   W0 ~ N(0, sw^2/d_in), W1 ~ N(0, sw^2/N), b0, b1 ~ N(0, sb^2),
 * and deep MLPs (Roberts-Yaida-Hanin): z^(1) = b + W x, z^(l+1) = b + W sigma(z^(l)),
 *   W ~ N(0, C_W/n_prev), b ~ N(0, C_b), one output z^(L).  A net of depth 2 with
 * C_W = sw^2, C_b = sb^2 is exactly the one-hidden-layer net, drawn identically.
 *
 * Correlators G^(n)(x_{i1}..x_{in}) = E[f(x_{i1})..f(x_{in})] are measured for every
 * sorted tuple i1 <= .. <= in, n even, together with the connected ones (cumulants
 * with the odd moments set to zero, which the symmetry f -> -f makes exact).
 * Moments stream: memory does not grow with the number of models.  Standard
 * errors: delete-one-batch jackknife over NEFT_SAMPLE_BATCHES batches, the
 * blocks dealt into them round robin (batch b: blocks b, b + BATCHES, ...), so
 * that a run extended to more models has the batches of that many models;
 * checked against the i.i.d. standard error and the concentration of the sums
 * (per tuple sums of |p|, p^2, p^4 of the per-model values p;
 * src/sample/tails.c), which flag an error bar that heavy tails make unreliable.
 * Estimators: "plain" averages the products f(x_i1)..f(x_in) of each net;
 * "conditional" integrates the last layer exactly -- given the layers below,
 * f is Gaussian with covariance G^(x,x') = C_b + (C_W/n) sum_j h_j(x) h_j(x')
 * over the last hidden layer h, so each net contributes the Wick sum of G^
 * over the pairings of the tuple (3 for 4 points, 15 for 6, 105 for 8): the
 * same expectation, lower variance (src/sample/conditional.c).
 * Random numbers: xoshiro256++ seeded per block of NEFT_SAMPLE_BLOCK models, normals
 * by a 256-layer ziggurat (see src/sample/rng.c); results do not depend on the
 * number of threads, and model i is the same net for every --models >= i. */
#ifndef NEFT_SAMPLE_H
#define NEFT_SAMPLE_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <flint/flint.h>
#include "neft/net.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ random numbers */

/* xoshiro256++ (Blackman and Vigna, "Scrambled linear pseudorandom number generators",
   ACM TOMS 47 (2021)); state seeded by splitmix64 (Steele, Lea, Flood, OOPSLA 2014). */
typedef struct
{
    uint64_t s[4];
}
neft_sample_rng_struct;
typedef neft_sample_rng_struct neft_sample_rng_t[1];

/* Seeds the stream number `stream` of `seed`: distinct (seed, stream) pairs give
   unrelated states (splitmix64 of a hash of both). */
void neft_sample_rng_seed(neft_sample_rng_t rng, uint64_t seed, uint64_t stream);
uint64_t neft_sample_rng_next(neft_sample_rng_t rng);
/* Uniform in [0, 1) with 53 random bits. */
double neft_sample_rng_uniform(neft_sample_rng_t rng);
/* Standard normal: 256-layer ziggurat (Marsaglia and Tsang, J. Stat. Softw. 5(8), 2000,
   with the independent-bits fix of Doornik, 2005).  The tables are built on first use. */
double neft_sample_rng_normal(neft_sample_rng_t rng);
/* Fills x[0..n-1] with standard normals (the same numbers as n calls above). */
void neft_sample_rng_normals(double * x, slong n, neft_sample_rng_t rng);

/* ------------------------------------------------------------------ ensembles */

#define NEFT_SAMPLE_MAX_DEPTH NEFT_NET_MAX_DEPTH   /* weight layers */
#define NEFT_SAMPLE_MAX_NPT 8         /* largest n of G^(n) */
#define NEFT_SAMPLE_BLOCK 256         /* models per random stream */
#define NEFT_SAMPLE_CHUNK 64          /* nets evaluated together */
#define NEFT_SAMPLE_BATCHES 100       /* jackknife batches (fewer when models are few) */
#define NEFT_SAMPLE_MAX_TUPLES 50000  /* sorted tuples of all lengths <= max npt */

/* The nets are spec->net (neft/net.h): its activation row with its user
   parameter (leaky-relu's slope), d_in, depth (weight layers, >= 2; 2 = one
   hidden layer), hidden widths n_1..n_{depth-1}, and C_W, C_b.  The sampler
   computes with the net's double views (neft_net_cw_d: sw * sw when sigma_w
   was given, as before the net existed).  Every row of the table whose double
   evaluator exists is sampled; a row whose parameter is not the user's
   (GaussNet's k = k(x,x), the pre-activation variance of the input) is
   sampled with one hidden layer only: deeper is NEFT_UNSUPPORTED. */
typedef struct
{
    neft_net_t net;
    slong npoints;
    double * points;                     /* npoints * d_in coordinates, owned */
    unsigned npt_mask;                   /* bit n set: report G^(n); n in {2,4,6,8} */
    uint64_t models;
    uint64_t seed;
    int estimator;                       /* NEFT_SAMPLE_ESTIMATOR_*, plain by default */
    const struct neft_sample_extra_s * extra;  /* a measurement added to every model, or
                                                  NULL (below; NULL after spec_init) */
}
neft_sample_spec_struct;
typedef neft_sample_spec_struct neft_sample_spec_t[1];

/* An extra measurement of every model (the trained ensembles of neft/train.h):
   the sampler draws each chunk of nets through `chunk` instead of its own
   forward pass, and sums `nsums` more values per model with the moments --
   in the same batches, so that the threads, checkpoints (the description
   carries `describe`), MPI, extension and the delete-one-batch replicas of
   the result (neft_sample_result_struct.extra, extra_rep) come with them.
   chunk: draws `count` <= NEFT_SAMPLE_CHUNK nets from rng exactly as the
   sampler draws them (the same normals in the same order), writes their
   outputs at the spec's points into f[a * NEFT_SAMPLE_CHUNK + m] (0 for the
   padding nets m >= count), and adds the nsums values of each of its nets
   into sums[0..nsums); work: `work` doubles of its own (per thread).  It must
   compute every net's numbers in an order that does not depend on its place
   (thread-independent results), and may poll neft_interrupted() (a block
   it cuts short is not counted). */
typedef struct neft_sample_extra_s
{
    slong nsums;
    slong work;
    void (*chunk)(double * f, double * sums, const neft_sample_spec_struct * spec,
                  neft_sample_rng_struct * rng, slong count, double * work, const void * param);
    const void * param;
    const char * describe;
}
neft_sample_extra_struct;

/* The estimators (see the head of this file). */
#define NEFT_SAMPLE_ESTIMATOR_PLAIN 0
#define NEFT_SAMPLE_ESTIMATOR_CONDITIONAL 1
/* The estimator's name ("plain", "conditional"), or NULL for an unknown one. */
const char * neft_sample_estimator_name(int estimator);
/* The estimator of a name, or -1. */
int neft_sample_estimator_from_name(const char * name);

/* A spec initialises to the net of neft_net_init with width 1, G^(2), G^(4),
   G^(6), no points, no models, seed 0. */
void neft_sample_spec_init(neft_sample_spec_t spec);
void neft_sample_spec_clear(neft_sample_spec_t spec);
/* Copies npoints * net->d_in coordinates into spec (d_in must be set). */
void neft_sample_spec_set_points(neft_sample_spec_t spec, const double * x, slong npoints);
/* Checks the spec; returns NEFT_SUCCESS, or NEFT_BAD_INPUT or NEFT_UNSUPPORTED
   (a net the sampler does not draw: GaussNet deeper than one hidden layer, a
   row without a double evaluator) with one line in err naming the reason. */
int neft_sample_spec_check(const neft_sample_spec_t spec, char * err, size_t errsize);
/* Largest n requested. */
slong neft_sample_spec_max_npt(const neft_sample_spec_t spec);
/* A canonical one-line description of everything that determines the numbers
   (not the thread count): equal strings <=> bit-identical results.  Caller frees it (flint_free). */
char * neft_sample_spec_describe(const neft_sample_spec_t spec);

/* Cost estimate of neft_sample_run(spec) with `threads` worker threads (<= 0:
   one per core), computed from the spec alone (nothing is drawn):
   *ops counts double operations -- per model, for every weight and bias of
   the net one normal draw (weighted NEFT_SAMPLE_COST_NORMAL: ziggurat plus
   the transposition into the chunk layout), for every weight and point one
   multiply-add, for every hidden unit and point one activation (weighted by
   the row's cost_d in the table of neft/act.h: 1 for relu, about 20 for erf,
   tanh, exp), and one
   multiply-add per tuple-tree node for the moments (weighted 3: memory-bound);
   plus the jackknife at the end (tuples x batches x the partitions of the
   connected correlators).
   *bytes: the largest memory in use -- per thread the chunk buffers (the
   normals of 64 nets, twice, and two layers of pre-activations), shared the
   tuple tree and the batch sums, and the result.  Upper-ish: within a small
   factor of what a run uses (tests/budget.py checks both against runs).
   *per_model: the operations of one model (for messages). */
#define NEFT_SAMPLE_COST_NORMAL 8.0
void neft_sample_spec_cost(double * ops, double * bytes, double * per_model,
                           const neft_sample_spec_t spec, slong threads);

/* Why an error bar is unreliable (bits of neft_sample_estimate_struct.flags;
   docs/cmd-sample.md "Unreliable error bars"):
   FEW_DRAWS: the variance rests on few draws, ess_var = (sum p^2)^2 / sum p^4
     < NEFT_SAMPLE_MIN_ESS_VAR (heavy tails: the sample variance, hence both
     error bars, is dominated by the largest draws and likely far too small);
   DISAGREE: the jackknife and the i.i.d. standard error differ by more than a
     factor NEFT_SAMPLE_MAX_SE_RATIO;
   NONFINITE: a sum overflowed or is not a number (or sum p^4 underflowed to 0
     while sum p^2 did not: ess_var cannot be computed);
   UNKNOWN: the tail sums are missing (a run resumed from a checkpoint of an
     older neft), so nothing was checked.
   A connected correlator carries the flags of every full moment it is built
   from (the tuple's and its even sub-tuples'). */
#define NEFT_SAMPLE_FLAG_FEW_DRAWS 1u
#define NEFT_SAMPLE_FLAG_DISAGREE 2u
#define NEFT_SAMPLE_FLAG_NONFINITE 4u
#define NEFT_SAMPLE_FLAG_UNKNOWN 8u
#define NEFT_SAMPLE_MIN_ESS_VAR 100.0
#define NEFT_SAMPLE_MAX_SE_RATIO 2.0
/* The flag's name ("few-draws", "disagree", "nonfinite", "unknown") of one bit. */
const char * neft_sample_flag_name(unsigned bit);
/* The names of the flags, each between two quote strings, joined by sep, into
   buf (truncated to len - 1 characters, "" for none); returns buf. */
char * neft_sample_flags_str(char * buf, size_t len, unsigned flags, const char * sep,
                             const char * quote);

/* One estimate, its standard error (the jackknife) and its reliability. */
typedef struct
{
    double mean;
    double stderr_;
    unsigned flags;                      /* NEFT_SAMPLE_FLAG_*, 0: reliable */
}
neft_sample_estimate_struct;

/* The tail diagnostics of a full correlator's per-model values p (n models):
   stderr_iid = sqrt((sum p^2 - (sum p)^2 / n) / (n (n - 1))), the i.i.d.
   standard error; ess = (sum |p|)^2 / sum p^2, the effective number of draws
   carrying the mean; ess_var = (sum p^2)^2 / sum p^4, those carrying the
   variance (NaN when unknown). */
typedef struct
{
    double stderr_iid, ess, ess_var;
    /* the sums behind them: sum p, sum |p|, sum p^2, sum p^4 (NaN when
       unknown); they add over disjoint sets of models (neft merge) */
    double sum_p, sum_abs_p, sum_p2, sum_p4;
}
neft_sample_tails_struct;

/* The tail diagnostics t of a full correlator from the sums S1 = sum p,
   SA = sum |p|, S2 = sum p^2, S4 = sum p^4 of its n per-model values
   (stored in t too), and the flags (NEFT_SAMPLE_FLAG_*) of its error bar
   jse (the jackknife's); missing: the sums are unknown (NaN diagnostics,
   NEFT_SAMPLE_FLAG_UNKNOWN).  The one definition for neft sample and
   neft merge (src/sample/tails.c). */
unsigned neft_sample_tails(neft_sample_tails_struct * t, double S1, double SA, double S2,
                           double S4, uint64_t n, double jse, int missing);

typedef struct
{
    slong npt;
    slong idx[NEFT_SAMPLE_MAX_NPT];   /* sorted indices into the points */
    neft_sample_estimate_struct full, connected;
    neft_sample_tails_struct tails;   /* of the full correlator */
}
neft_sample_corr_struct;

typedef struct
{
    uint64_t models;
    slong batches;
    slong length;
    neft_sample_corr_struct * corr;   /* by npt ascending, tuples in lexicographic order */
    slong unreliable;                 /* tuples whose full or connected flags are not 0 */
    int estimator;                    /* NEFT_SAMPLE_ESTIMATOR_* of the run */
    slong nextra;                     /* spec->extra's nsums (0 without one) */
    double * extra;                   /* their means over the models */
    double * extra_rep;               /* extra_rep[b * nextra + k]: the mean without batch b
                                         (b < batches: the jackknife replicas) */
}
neft_sample_result_struct;
typedef neft_sample_result_struct neft_sample_result_t[1];

/* The t-th correlator entry of the JSON result (docs/cmd-sample.md): its
   head (neft_json_write_correlator_head), "full" with the tail diagnostics
   and their sums, "connected"; the one writer for neft sample and neft
   merge. */
void neft_sample_corr_write_json(FILE * out, slong t, const neft_sample_corr_struct * c);

void neft_sample_result_init(neft_sample_result_t res);
void neft_sample_result_clear(neft_sample_result_t res);

/* The writers of a result of spec (src/sample/write.c; sw, sb the sigma_w,
   sigma_b of the net, neft_net_sw_d and neft_net_sb_d): a text table, or the
   JSON of docs/cmd-sample.md
   ended by the digest member (held in memory to compute it; returns 0 or
   -1: out of memory or a write error).  Non-finite numbers are null. */
void neft_sample_result_write_text(FILE * out, const neft_sample_result_t res,
                                   const neft_sample_spec_t spec);
int neft_sample_result_write_json(FILE * out, const neft_sample_result_t res,
                                  const neft_sample_spec_t spec);

typedef void (*neft_sample_progress_func_t)(void * param, uint64_t done, uint64_t total);

typedef struct
{
    slong threads;                       /* <= 0: all cores */
    const char * checkpoint;             /* NULL: none */
    double checkpoint_interval;          /* seconds between saves */
    neft_sample_progress_func_t progress; /* called about 5 times a second, or NULL */
    void * progress_param;
}
neft_sample_opt_struct;
typedef neft_sample_opt_struct neft_sample_opt_t[1];

void neft_sample_opt_init(neft_sample_opt_t opt);

/* Statuses (neft/status.h). */
#define NEFT_SAMPLE_SUCCESS NEFT_SUCCESS
#define NEFT_SAMPLE_FAILURE NEFT_FAILURE          /* runtime failure (I/O, memory, threads) */
#define NEFT_SAMPLE_BAD_INPUT NEFT_BAD_INPUT      /* bad spec, unreadable or foreign checkpoint */
#define NEFT_SAMPLE_UNSUPPORTED NEFT_UNSUPPORTED  /* a net the sampler does not draw */
#define NEFT_SAMPLE_INTERRUPTED NEFT_INTERRUPTED  /* a stop request (neft/interrupt.h); state
                                                     saved when checkpointing */

/* Draws spec->models nets and measures their correlators.  With a checkpoint
   file that exists, resumes from it (refused, with BAD_INPUT, unless it was
   written for the same spec, or for the same spec with fewer models: then the
   run is extended, with the result of spec->models from scratch); saves it
   atomically every checkpoint_interval seconds, when stopped, and at the end.
   The numbers depend only on the spec: not on the thread count, nor on
   interruptions, nor on the number of MPI processes when neft_mpi_start
   (neft/mpi.h) started several: then every process calls this with the same
   spec and options, the processes share the batches, all return the same
   status, and rank 0 alone gets the result (and writes the checkpoint). */
int neft_sample_run(neft_sample_result_t res, const neft_sample_spec_t spec,
                    const neft_sample_opt_t opt, char * err, size_t errsize);

/* Evaluates one net (drawn from rng as neft_sample_run draws a model: the
   first model of a block is the net drawn from a fresh block stream) at the
   spec's points: out[0..npoints-1].  work: neft_sample_work_size(spec) doubles.
   A net without an activation, or one the sampler does not draw
   (neft_sample_spec_check refuses both), gives NaN: no other activation's
   net is drawn. */
slong neft_sample_work_size(const neft_sample_spec_t spec);
void neft_sample_draw_net(double * out, const neft_sample_spec_t spec,
                          neft_sample_rng_t rng, double * work);

#ifdef __cplusplus
}
#endif
#endif
