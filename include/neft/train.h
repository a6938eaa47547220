/* neft/train.h -- gradient-descent training at infinite width: the frozen
 * NTK solution (docs/cmd-train.md).
 *
 * Full-batch gradient descent with step eta on the loss
 * (1/2) sum_{a in A} (f(x_a) - y_a)^2, at infinite width with the NTK
 * Theta frozen at initialisation (Roberts-Yaida-Hanin ch. 10, Lee et al.
 * 2019), moves the outputs as
 *
 *   f_t(B) = f_0(B) - M_t (f_0(A) - y),
 *   M_t    = Theta_BA Theta_AA^{-1} (I - (I - eta Theta_AA)^t)       (t steps)
 *          = Theta_BA eta sum_{k<t} (I - eta Theta_AA)^k             (no inverse)
 *   M_t    = Theta_BA Theta_AA^{-1} (I - exp(-eta t Theta_AA))       (continuous time)
 *
 * with f_0 the NNGP prior (kernel K).  Over the ensemble of initialisations
 *
 *   mean = M_t y,
 *   cov  = K_BB - M_t K_AB - K_BA M_t^T + M_t K_AA M_t^T. */
#ifndef NEFT_TRAIN_H
#define NEFT_TRAIN_H

#include <stdio.h>
#include "neft/posterior.h"
#include "neft/sample.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mean (ntest balls) and cov (ntest x ntest) of the trained outputs at the
   test inputs after `steps` steps of size eta (continuous = 0), or at time
   `time` of gradient flow with rate eta (continuous = 1: (I - eta Theta)^t
   becomes exp(-eta t Theta), which needs Theta_AA certified invertible).
   K and Theta: (ntrain + ntest)^2 matrices, training inputs first; y the
   ntrain targets.  The discrete sum is evaluated by binary powering
   (O(log t) matrix products).  0, or -1 if a ball is not finite or
   Theta_AA is not certified invertible (continuous), or after a stop
   request (mean, cov indeterminate). */
int neft_train_frozen(arb_ptr mean, arb_mat_t cov, const arb_mat_t K, const arb_mat_t Theta,
                      slong ntrain, arb_srcptr y, const arb_t eta, ulong steps,
                      const arb_t time, int continuous, slong prec);

/* The discrete case in exact rationals (rational K, Theta, eta):
   NEFT_SUCCESS, or NEFT_INTERRUPTED after a stop request.  The rationals
   grow about linearly in the number of steps. */
int neft_train_frozen_exact(fmpq * mean, fmpq_mat_t cov, const fmpq_mat_t K,
                            const fmpq_mat_t Theta, slong ntrain, const fmpq * y,
                            const fmpq_t eta, ulong steps);

/* ---- trained finite-width ensembles (src/train/ensemble*.c) ------------

   Every net of a `neft sample` ensemble (the same nets: the same counter-
   based streams, so the numbers do not depend on the threads) is trained by
   the GD above on its own parameters: with the loss (1/2) sum_A (f - y)^2,
   b -= eta lambda_b dL/db for every bias and W -= eta (lambda_W / n_{l-1})
   dL/dW for every weight of layer l (n_0 = d_in; Roberts-Yaida-Hanin's
   learning-rate tensor, the conventions of neft_onen_ntk_matrix), so that the
   NTK of a net is sum_mu lambda_mu df/dtheta_mu df'/dtheta_mu and the wide
   limit of the trained outputs is neft_train_frozen's.  Measured per net: its
   outputs at the test inputs after each recorded step, and its empirical NTK
   at initialisation on all the inputs. */

typedef struct
{
    neft_sample_spec_t sample;   /* the nets, models, seed; points: the ntrain training
                                    inputs first, then the test inputs */
    slong ntrain;
    double * y;                  /* ntrain targets (doubles of yq) */
    fmpq * x, * yq;              /* the exact points (npoints * d_in) and targets */
    fmpq_t eta, lambda_b, lambda_w;
    slong nsteps;
    ulong * steps;               /* recorded steps, strictly increasing */
    neft_sample_extra_struct extra;   /* the sampler's hook (set by _run) */
    slong order;                 /* 1: also the O(1/n) trained mean (neft_train_order1) */
    int order1_estimate;         /* 1: c by the Gauss-Hermite estimate, not the ball */
    slong nodes;                 /* its nodes per coordinate (default 12; CLI: 25 for a ball);
                                    with c_rtol > 0 the most tried */
    double c_rtol;               /* > 0: the ball's nodes chosen for radius <= c_rtol |c|
                                    (neft_train_order1_nodes, from 25 up to nodes) */
    slong kink_samples;          /* relu, leaky-relu: prior samples of the kink term
                                    (neft_train_kink; default 4000) */
}
neft_train_ensemble_struct;
typedef neft_train_ensemble_struct neft_train_ensemble_t[1];

void neft_train_ensemble_init(neft_train_ensemble_t ens);
void neft_train_ensemble_clear(neft_train_ensemble_t ens);
/* Sets the training data (n examples of d_in = ens->sample->net->d_in
   coordinates, targets y) and the test inputs (ntest points): the sampler's
   points become x then test. */
void neft_train_ensemble_set_data(neft_train_ensemble_t ens, const fmpq * x, const fmpq * y,
                                  slong n, const fmpq * test, slong ntest);
/* Sets the recorded steps (copied; must be strictly increasing). */
void neft_train_ensemble_set_steps(neft_train_ensemble_t ens, const ulong * steps, slong n);
/* NEFT_SUCCESS or NEFT_BAD_INPUT / NEFT_UNSUPPORTED and one line in err: the
   sample spec's checks, eta > 0, lambda's >= 0, steps, an activation whose
   derivative the trainer has (every row with a double evaluator but gauss). */
int neft_train_ensemble_check(const neft_train_ensemble_t ens, char * err, size_t errsize);
/* Double operations of one model (for budgets; *per_model) and of the run. */
void neft_train_ensemble_cost(double * ops, double * per_model, const neft_train_ensemble_t ens);

typedef struct
{
    neft_sample_result_t sample;            /* models, batches, the prior's G^(2) */
    slong ntest, npoints, nsteps;
    neft_sample_estimate_struct * mean;      /* [s * ntest + b]: trained mean after steps[s] */
    neft_sample_estimate_struct * cov;       /* [(s * ntest + b) * ntest + c] */
    neft_sample_estimate_struct * ntk;       /* [a * npoints + b]: mean empirical NTK at init */
    neft_sample_estimate_struct * ntk_var;   /* its variance over the ensemble */
    arb_ptr frozen_mean, frozen_cov;         /* the same at infinite width (neft_train_frozen) */
    arb_mat_t K, Theta;                      /* the NNGP kernel and the NTK (all points) */
    int frozen_ok;                           /* 0: the frozen side could not be certified */
    double * order1, * order1_err;           /* ens->order 1: [s * ntest + b] the O(1/n)
                                                coefficient c (mean = frozen + c/n) */
    int order1_ball;                         /* 1: order1_err is a rigorous radius (tanh,
                                                erf, sin, sigmoid);
                                                0: an estimate (the rule's difference) */
    int order1_deep;                         /* 1: depth >= 3, order1 from the GD map in
                                                onen's tensors (neft_train_order1_deep);
                                                order1_err is 0, not an error estimate */
    slong order1_nodes;                      /* the nodes of order1 (ens->nodes, or the
                                                count ens->c_rtol chose) */
    int order1_met;                          /* ens->c_rtol > 0: 1 target met, 0 cap reached */
    double order1_worst;                     /* ens->c_rtol > 0: the largest radius / |c| */
    double eta_lambda_max;                   /* eta lambda_max(Theta_AA) in doubles (NaN if
                                                the kernels failed); GD on the frozen NTK
                                                diverges at >= 2, and at depth >= 3 the
                                                frozen + c/n law needs widths in the
                                                hundreds above ~1.3 (docs/train-theory.md) */
    double * kink_mean, * kink_mean_err;     /* ens->order 1, relu and leaky-relu: [s * ntest + b]
                                                alpha_mean (mean = frozen + alpha/sqrt(n)) and
                                                its standard error (neft_train_kink) */
    double * kink_var, * kink_var_err;       /* alpha_var (variance = frozen + alpha/sqrt(n)) */
}
neft_train_ensemble_result_struct;
typedef neft_train_ensemble_result_struct neft_train_ensemble_result_t[1];

/* eta times the largest eigenvalue of Theta_AA (the leading nA x nA block
   of Theta), from the midpoints by cyclic Jacobi in doubles: an estimate to
   about 1e-15 relative, not an enclosure. */
double neft_train_eta_lambda_max(const arb_mat_t Theta, slong nA, const fmpq_t eta);

void neft_train_ensemble_result_init(neft_train_ensemble_result_t res);
void neft_train_ensemble_result_clear(neft_train_ensemble_result_t res);

/* Trains the ensemble (neft_sample_run's threads, checkpoints, progress,
   stop requests and statuses, with its options) and computes the frozen-NTK
   prediction at prec bits.  Estimates: means, covariances (unbiased, n/(n-1))
   and the NTK variance with delete-one-batch jackknife errors. */
int neft_train_ensemble_run(neft_train_ensemble_result_t res, neft_train_ensemble_t ens,
                            const neft_sample_opt_t opt, slong prec, char * err, size_t errsize);

/* The predictions alone, without nets (res->sample stays empty, models 0):
   the frozen mean and covariance, and with ens->order 1 the O(1/n)
   coefficients.  NEFT_SUCCESS or neft_train_order1's status. */
int neft_train_ensemble_predict(neft_train_ensemble_result_t res, const neft_train_ensemble_t ens,
                                slong prec, char * err, size_t errsize);

/* Writers (src/train/ensemble_write.c): text, or JSON (docs/cmd-train.md);
   after neft_train_ensemble_predict (no nets) the _predict_ ones. */
void neft_train_ensemble_write_predict_text(FILE * out, const neft_train_ensemble_result_t res,
                                            const neft_train_ensemble_t ens);
void neft_train_ensemble_write_predict_json(FILE * out, const neft_train_ensemble_result_t res,
                                            const neft_train_ensemble_t ens);
void neft_train_ensemble_write_text(FILE * out, const neft_train_ensemble_result_t res,
                                    const neft_train_ensemble_t ens);
void neft_train_ensemble_write_json(FILE * out, const neft_train_ensemble_result_t res,
                                    const neft_train_ensemble_t ens);

/* The training of one net, for checking the arithmetic (tests/train_ensemble.py):
   model 0 of the ensemble (the first net of block 0's stream).  params
   (neft_train_ensemble_nparams doubles): its initial parameters in the
   sampler's draw order, layer by layer and for each unit its weights W_ij
   (= sqrt(C_W / n_{l-1}) times the drawn normal) then its bias; out[s * ntest
   + b]: its output at test input b after steps[s]; ntk[a * npoints + b]: its
   NTK at initialisation.  NEFT_SUCCESS or the check's status. */
slong neft_train_ensemble_nparams(const neft_train_ensemble_t ens);
int neft_train_ensemble_trace(double * params, double * out, double * ntk,
                              const neft_train_ensemble_t ens, char * err, size_t errsize);

/* A pgfplots document (neft/eft.h's figures) at path: the trained mean with
   its error and the band mean +- sd at the first test input against the
   recorded steps, beside the frozen-NTK mean and band.  0, or -1 on an I/O
   error (errno set). */
int neft_train_ensemble_plot(const char * path, const neft_train_ensemble_result_t res,
                             const neft_train_ensemble_t ens);

/* ---- the O(1/n) correction to the trained mean (src/train/order1.c) ----

   For one hidden layer (depth 2) and an activation with three derivatives in
   doubles (linear, tanh, erf, sin, sigmoid): coef[s * ntest + b] =
   lim_{n -> inf} n (E[f_T(x_b)] - frozen mean) after T = steps[s] steps of
   ens's gradient descent (docs/train-theory.md: the NTK fluctuation, the dNTK
   against the prior and the ddNTK, each a single-neuron Gaussian expectation).
   tanh, erf, sin, sigmoid (*ball = 1, unless ens->order1_estimate; neft_train_order1_ball):
   a tensor trapezoid rule with `nodes` nodes per
   first-layer coordinate and a rigorous bound of its error (analytic-strip
   bound, floating point, the second pass's parameters; src/train/order1_ball.c):
   [coef - err, coef + err] contains c (for the inputs as rounded to doubles).
   linear (*ball = 0; its integrands are polynomials): a Gauss-Hermite rule with `nodes` nodes per
   coordinate (4..64) in doubles; err[..] = |coef - the same with fewer
   nodes| estimates the rule's error, not a bound.  fmean (or NULL): the
   frozen mean by the same rule.  NEFT_SUCCESS; NEFT_UNSUPPORTED (another
   depth or activation; relu and leaky-relu: their leading term is n^{-1/2},
   neft_train_kink, and c is not computed) or NEFT_BAD_INPUT with one line in
   msg (at most NEFT_TRAIN_ORDER1_MAXP points, d_in < 16 and 10000 steps);
   NEFT_FAILURE (the ball: too few nodes to certify the prior kernel's Cholesky
   factor); NEFT_INTERRUPTED after a stop request.  Depth >= 3: coef is
   neft_train_order1_deep's (below), *ball = 0 and err[..] = 0 (no quadrature;
   not a bound); its refusals and statuses. */
#define NEFT_TRAIN_ORDER1_MAXP 16
/* 1 if neft_train_order1 gives c as a ball for act (tanh, erf, sin, sigmoid) */
int neft_train_order1_ball(neft_act_srcptr act);
/* neft_train_order1's refusals alone (cheap, before the kernels): NEFT_SUCCESS
   or its NEFT_UNSUPPORTED / NEFT_BAD_INPUT with one line in msg. */
int neft_train_order1_check(const neft_train_ensemble_t ens, slong nodes, char * msg,
                            size_t msgsize);
int neft_train_order1(double * coef, double * err, int * ball, double * fmean,
                      const neft_train_ensemble_t ens, slong nodes, char * msg,
                      size_t msgsize);
/* neft_train_order1's ball with its node count chosen for a target
   (src/train/order1_nodes.c): runs it at first, first + 6, first + 12, ..
   nodes and last at cap, stopping at the first count whose radius is at
   most rtol |c| at every recorded step t > 0 and test input (step 0's c is
   0 exactly); a count too small for the first pass's Cholesky factor
   (NEFT_FAILURE) goes on to the next.  coef, err, fmean: as
   neft_train_order1's, from the last run; *nodes its count; *met 1 if the
   target is met, 0 if the cap came first; *worst the largest radius / |c|
   of the last run (inf where a ball holds 0).  Returns the last run's
   status; NEFT_BAD_INPUT if the activation has no ball (or
   ens->order1_estimate), rtol <= 0, first < 4 or cap < first. */
int neft_train_order1_nodes(double * coef, double * err, double * fmean, slong * nodes,
                            int * met, double * worst, const neft_train_ensemble_t ens,
                            double rtol, slong first, slong cap, char * msg, size_t msgsize);
/* Any depth (src/train/order1_deep*.c; docs/train-theory.md, "Any depth"):
   neft_train_order1 calls it at depth >= 3; at depth 2 it equals
   neft_train_order1's c (tests/t-train-order1-deep.c); at depth 3 it agrees
   with trained ensembles where the 1/n expansion has converged (the docs:
   eta lambda_max(Theta_AA) near 2 needs wide nets).
   The same c from the gradient-descent map expanded in the output layer's
   finite-width tensors (onen's NTK mean shift Theta1, NTK covariance A, B,
   dNTK P, Q and ddNTK R, S, T, U of the P points, neft_onen_ddntkm) instead
   of one neuron's Gaussian expectations.  coef[s * ntest + b] as
   neft_train_order1's (doubles from the tensors' midpoints: no quadrature;
   not a bound); fmean (or NULL) the frozen mean from the output layer's
   Theta.  NEFT_SUCCESS; NEFT_UNSUPPORTED (msg: what onen lacks for the
   row, e.g. the smooth rows' several-input ddNTK); NEFT_BAD_INPUT (more
   than NEFT_ONEN_NTKM_MAX points or 10000 steps); NEFT_FAILURE (onen could
   not certify a tensor); NEFT_INTERRUPTED. */
/* neft_train_order1_deep's refusals alone (cheap): NEFT_SUCCESS, or
   NEFT_UNSUPPORTED (relu, leaky-relu: the kink's n^{-1/2} term; rows whose
   several-input ddNTK onen lacks) / NEFT_BAD_INPUT with one line in msg. */
int neft_train_order1_deep_check(const neft_train_ensemble_t ens, char * msg, size_t msgsize);
int neft_train_order1_deep(double * coef, double * fmean, const neft_train_ensemble_t ens,
                           char * msg, size_t msgsize);
/* the ball's default node count, and the default cap of a target (--c-rtol;
   49 nodes: 45 s of CPU after 100 steps on learn.csv, docs/train-theory.md) */
#define NEFT_TRAIN_ORDER1_BALL_NODES 25
#define NEFT_TRAIN_ORDER1_RTOL_CAP 49

/* ---- the n^{-1/2} term of relu and leaky-relu (src/train/kink.c) ------

   For one hidden layer (depth 2) and relu or leaky-relu (slope k left of the
   kink): the neurons whose pre-activation on a training input starts within
   O(n^{-1/2}) of the kink switch their gate while they train, which gives the
   trained mean and variance a term of order n^{-1/2} (docs/train-theory.md,
   "The relu kink"):

     E f_T(x_b)   = frozen mean + amean[s * ntest + b] / sqrt(n) + O(1/n),
     Var f_T(x_b) = frozen var  + avar[s * ntest + b] / sqrt(n) + O(1/n),

   T = steps[s].  K and Theta: the depth-2 NNGP kernel and NTK on all the
   points (training first; their midpoints are used).  The kink layer, the
   last-layer weight and (d_in <= 2) the direction of the first-layer weights
   are integrated exactly in doubles; the prior is sampled (`samples`
   independent draws from ens->sample->seed's stream 0x6b696e6b, and for
   d_in >= 3 four directions each): amean_err, avar_err are the standard
   errors of this Monte Carlo estimate, not bounds.  NEFT_SUCCESS;
   NEFT_UNSUPPORTED with one line in msg (another activation or depth, inputs
   on a common kink plane); NEFT_BAD_INPUT (more than NEFT_TRAIN_ORDER1_MAXP
   points, 10000 steps, fewer than 2 samples); NEFT_INTERRUPTED. */
/* Why relu's O(1/n) coefficient c is not given (docs/train-theory.md). */
#define NEFT_TRAIN_KINK_C_NOTE "the O(1/n) coefficient c is not computed for relu and " \
    "leaky-relu: it needs the smooth terms with sigma'' = delta on the kink planes and the " \
    "next order of the kink layer (docs/train-theory.md)"
int neft_train_has_kink(const neft_net_struct * net);   /* 1: relu or leaky-relu */
int neft_train_kink(double * amean, double * amean_err, double * avar, double * avar_err,
                    const neft_train_ensemble_t ens, const arb_mat_t K, const arb_mat_t Theta,
                    slong samples, char * msg, size_t msgsize);

/* The derivative of the activation in doubles: d[i] = sigma'(z[i]), given
   z in d (in place) and h[i] = sigma(z[i]); par: the row's parameter.  NULL
   for a row the trainer has no derivative of (src/train/dact.c). */
typedef void (*neft_train_dact_func)(double * d, const double * h, slong n, const double * par);
neft_train_dact_func neft_train_dact(neft_act_srcptr act);

#ifdef __cplusplus
}
#endif
#endif
