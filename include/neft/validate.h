/* neft/validate.h -- the experiment of Halverson-Maiti-Stoner end to end
 * (`neft validate`, docs/cmd-validate.md).
 *
 * A spec (neft_validate_spec_t: the network family as a neft_net_t, the
 * inputs, widths, cutoffs and sampling sizes; the paper's defaults set in
 * neft_validate_spec_init only) is run stage by stage into a result
 * (neft_validate_result_t):
 *
 *   neft_validate_start    checks the spec, builds the expansions and the kernel
 *   neft_validate_width    width w: samples, exact correlators, deviations from the GP
 *   neft_validate_fit      cutoff c: lambda fitted to the sampled and exact G4c
 *   neft_validate_predict  cutoff c: the 6-point function with the fitted lambda
 *   neft_validate_running  the running of lambda with the cutoff (neft_eft_running)
 *   neft_validate_write    the summary, report.json, report.tex and the figures
 *
 * and neft_validate_run does all of it with a report folder that appears
 * whole or not at all and checkpoints that make an interrupted run resumable.
 * The library prints nothing: progress lines and warnings go to the spec's
 * progress callback.  Every stage returns a status of neft/status.h and one
 * line in err.  The numerics (least squares, power laws, ratios) are those
 * of neft/eft.h. */
#ifndef NEFT_VALIDATE_H
#define NEFT_VALIDATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "neft/net.h"
#include "neft/status.h"
#include "neft/eft.h"
#include "neft/sample.h"
#include "neft/exact.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NEFT_VALIDATE_MAX_LIST 32   /* inputs, widths, cutoffs */
#define NEFT_VALIDATE_MAX_D_IN 4

/* Receives one line, without a newline: progress (warning = 0, "width 20
   (2/3): sampling 20000 networks") or a warning (1: a figure that could not
   be compiled).  The caller decides where the lines go. */
typedef void (*neft_validate_progress_func)(void * arg, int warning, const char * line);

/* Receives how far the running stage is: done of total units (what names
   them: "networks", "moments", "cutoffs"), a few times a second while a
   stage runs and once when it ends (done = total).  A stage starts again
   from done = 0.  For a bar with a rate and an ETA; the caller draws it. */
typedef void (*neft_validate_meter_func)(void * arg, const char * what, double done,
                                         double total);

typedef struct
{
    neft_net_t net;             /* activation (a row with NEFT_ACT_CAP_GP_KERNEL), d_in
                                   (1..4), sigma_w, sigma_b; one hidden layer of each
                                   width below (the net's own widths are not read) */
    slong npoints;
    double points[NEFT_VALIDATE_MAX_LIST * NEFT_VALIDATE_MAX_D_IN];  /* npoints * d_in */
    slong nwidths;
    slong widths[NEFT_VALIDATE_MAX_LIST];
    slong fit_width;            /* the width of the fit and the 6-point prediction */
    slong ncutoffs;
    double cutoffs[NEFT_VALIDATE_MAX_LIST];
    uint64_t models, seed;      /* networks per width; width i is sampled with seed + i */
    slong threads;              /* 0: the sampler's default */
    slong prec;
    neft_validate_progress_func progress;   /* progress lines and warnings, or NULL */
    void * progress_arg;
    neft_validate_meter_func meter;         /* how far each stage is, or NULL */
    void * meter_arg;
    const char * state_dir;     /* NULL, or a folder for the sampler's checkpoints
                                   (one per width): an interrupted run resumes */
}
neft_validate_spec_struct;
typedef neft_validate_spec_struct neft_validate_spec_t[1];

/* The paper's experiment (src/validate/spec.c is the one place its defaults
   are written; docs/cmd-validate.md): ReLU, d_in = 1, sigma_w = 1, sigma_b =
   0, inputs 0.2, 0.4, .., 1.2, widths 2, 3, 4, 5, 10, 20, 50, 100, 500, 1000
   with fit width 20, 10^6 networks per width, seed 1, 21 cutoffs log-spaced
   from 7 to 10^5 (three significant digits), 64 bits.  quick: inputs 0.2,
   0.7, 1.2, widths 5, 20, 100, 2*10^4 networks, cutoffs 1, 2, 5
   (tests/validate.py). */
void neft_validate_spec_init(neft_validate_spec_t spec, int quick);
void neft_validate_spec_clear(neft_validate_spec_t spec);

/* Sets the activation by name with its user parameter param (text of a
   rational, leaky-relu's slope; NULL: the row's default) and the paper's
   sigma_b for it: 0 for relu, 1 for every other activation (set sigma_b
   after this to choose another).
   NEFT_BAD_INPUT with one line in err for a name that is no row of
   neft/act.h; an activation without a GP kernel is accepted here and refused
   by neft_validate_spec_check. */
int neft_validate_spec_set_act(neft_validate_spec_t spec, const char * name,
                               const char * param, char * err,
                               size_t errlen);

/* The activation as neft_validate_spec_set_act sets it, and its family's
   defaults for inputs, fit width and (quick) cutoffs, as the paper runs it:
   erf: inputs -1, -0.6, -0.2, 0.2, 0.6, 1, sigma_b = 1, fit width 5 (quick:
   -0.6, 0.2, 1, cutoffs 7, 100, 10^4, 10^5); gauss: 0.01 times erf's inputs,
   sigma_b = 1, fit width 100 (quick likewise); relu: spec_init's; every other
   row: relu's inputs with sigma_b = 1.  Call it right after spec_init, before
   any other setting.  Statuses as neft_validate_spec_set_act. */
int neft_validate_spec_set_family(neft_validate_spec_t spec, const char * name,
                                  const char * param, int quick, char * err, size_t errlen);

/* The input dimension d_in (1 .. NEFT_VALIDATE_MAX_D_IN) with the family's
   inputs and cutoffs for it (the family of the spec's activation, as
   neft_validate_spec_set_family sets them; call it after that and before
   any other setting): d_in = 1 as there; d_in = 2 the corners {+-1}^2 (relu
   {0.5, 1}^2, gauss 0.01 {+-1}^2), d_in = 3 the tetrahedron (1,1,1),
   (1,-1,-1), (-1,1,-1), (-1,-1,1) (relu (0.5,0.5,0.5), (1,0.5,0.5),
   (0.5,1,0.5), (0.5,0.5,1); gauss 0.01 times the tetrahedron), quick: the
   first three of them; the 21 cutoffs for d_in = 2, 6 log-spaced from 7 to
   10^5 for d_in = 3 (quick: the family's); d_in = 4: no inputs (npoints 0,
   the caller gives them).  NEFT_BAD_INPUT with one line in err for a d_in
   out of range, nothing changed. */
int neft_validate_spec_set_d_in(neft_validate_spec_t spec, slong d_in, int quick, char * err,
                                size_t errlen);

/* sigma_w and sigma_b from text (NULL: unchanged), exact rationals as
   neft_points_parse_rational reads them ("0.7" is 7/10; the sampler uses
   the nearest double, strtod's value): sigma_w positive, sigma_b
   non-negative, both with a finite double.  NEFT_BAD_INPUT with one line in
   err ("--sw expects a positive number, got '0'"), nothing changed. */
int neft_validate_spec_set_sigma(neft_validate_spec_t spec, const char * sw, const char * sb,
                                 char * err, size_t errlen);

/* The fit width when none is given: the family's when among the widths,
   else 20 when among them, else the middle one. */
void neft_validate_spec_default_fit_width(neft_validate_spec_t spec);

/* NEFT_SUCCESS; NEFT_UNSUPPORTED when the activation has no GP kernel in
   closed form (err: the row's reason, neft_act_has); NEFT_BAD_INPUT for
   anything else the run would refuse (no inputs, widths or cutoffs, d_in
   out of 1..4, a fit width not among the widths, a width the sampler
   refuses).  Computes nothing. */
int neft_validate_spec_check(const neft_validate_spec_t spec, char * err, size_t errlen);

/* Cost estimate of neft_validate_run(spec, ..): at every width the sampler
   (neft_sample_spec_cost) and the exact correlators (neft_exact_cost), at
   every cutoff the two quartic fits at the 4-point tuples and the 6-point
   prediction at the 6-point tuples (neft_eval_cost).  *bytes: the largest
   sampling run plus the results kept for every width.  *sample_ops: the
   part spent sampling (for messages).  All 0 when the spec is refused
   anyway (the run reports why). */
void neft_validate_cost(double * ops, double * bytes, double * sample_ops,
                        const neft_validate_spec_t spec);

/* ---- the result ---- */

/* A number of the report, or n/a with the reason (docs/cmd-validate.md). */
typedef struct
{
    double v, e;                /* value and error (NAN: none) */
    int ok;                     /* 0: n/a */
    char why[200];
}
neft_validate_num_t;

/* Everything measured at one width. */
typedef struct
{
    slong width;                /* 0 until its stage ran */
    neft_sample_result_t S;
    neft_exact_result_t E;
    int have_exact;
    neft_validate_num_t dev[2], bg[2];  /* n = 4, 6: mean |G - G_GP| / G_GP, stderr / G_GP */
    neft_validate_num_t c6_ratio, c6_pull;  /* sampled G6c / exact G6c, mean |diff| / stderr */
    neft_validate_num_t c4_pull;        /* max over tuples |G4c sampled - exact| / stderr */
}
neft_validate_width_struct;

/* Per-tuple values of a one-coupling fit (HMS's lambda_m) and its residuals. */
typedef struct
{
    neft_validate_num_t mean, sd, min, max;     /* of y_t / A_t over the tuples */
    neft_validate_num_t max_pull;               /* max_t |residual_t| / s_t */
}
neft_validate_tuples_t;

/* Everything computed at one cutoff (at the fit width). */
typedef struct
{
    double L;
    arb_t lam_s, lam_e;         /* fitted to sampled / exact G4c, one estimator */
    double lam_s_err, lam_s_err_indep, chi2_s, chi2_e;
    neft_validate_num_t chi2dof_s;
    slong dof;
    int have_e;
    arb_mat_t map;              /* the sampled fit's map lambda = map . G4c */
    neft_validate_tuples_t tup_s, tup_e;
    neft_validate_num_t r_gp, r_eft;    /* mean G6_GP / G6_sampled, G6_EFT / G6_sampled */
    neft_validate_num_t d_gp, d_eft;    /* mean |G6_GP - G6_s| / stderr, same for EFT */
    neft_validate_num_t re_gp, re_eft;  /* the same ratios against the exact G6 */
    /* O(1/N^2) (src/validate/order2.c, docs/cmd-validate.md): kappa fitted to
       the sampled / exact G6c at the fit width with the lambda^2 exchange
       diagrams (lambda_s / lambda_e held); per width index, the mean over the
       6-point tuples of |G6_exact - G6_pred| / G6_GP with G6_pred at O(1/N)
       (lambda) and at O(1/N^2) (lambda, lambda^2, kappa), the exact fit's
       couplings scaled from the fit width by power counting (lambda ~ 1/N,
       kappa ~ 1/N^2); e: the mean radius of the balls (0 is within e) */
    neft_validate_num_t kap_s, kap_e;
    neft_validate_num_t miss1[NEFT_VALIDATE_MAX_LIST], miss2[NEFT_VALIDATE_MAX_LIST];
}
neft_validate_cutoff_struct;

/* A stage the library does not support for this case (an exact method or
   an integral that is not implemented in this d_in for this activation):
   skipped, its numbers n/a, and said in the summary, report.json and
   report.tex as "skipped: unsupported: STAGE: WHY" (docs/cmd-validate.md). */
#define NEFT_VALIDATE_MAX_SKIPPED 4
typedef struct
{
    const char * stage;         /* "exact", "order2" */
    char why[400];
}
neft_validate_skip_struct;

typedef struct
{
    slong nwidths, ncutoffs, fw;        /* fw: index of the fit width */
    slong npts;
    arb_ptr pts;                        /* the inputs as balls (npts = npoints * d_in) */
    neft_kernel_t K;                    /* the GP kernel of the net */
    neft_theory_t th;                   /* the built-in theory */
    neft_expansion_t ex4, ex6;          /* connected G4, G6 at first order */
    neft_expansion_t ex6p;              /* G6 at O(1/N): ex6 without kappa's vertex,
                                           the prediction at kappa = 0 */
    slong nskipped;                     /* the stages skipped as unsupported */
    neft_validate_skip_struct skipped[NEFT_VALIDATE_MAX_SKIPPED];
    neft_eval_ctx_t ctx;
    neft_validate_width_struct * widths;
    neft_validate_cutoff_struct * cuts;
    /* the exact Gaussian moments, computed at the first width's exact stage
       for all widths (mom_done: tried; mom_status, mom_why: its outcome) */
    neft_exact_moments_t mom;
    int mom_done, mom_status;
    char mom_why[256];
    char (* ckpt)[4096];                /* per width: its checkpoint, or "" */
    /* the running |lambda| ~ L^p: sampled (with errors) and exact */
    int have_slope_s, have_slope_e;
    char slope_why[200];
    arb_t s_slope, s_err, s_err_indep, s_loga, e_slope;
    /* the running read locally (neft_eft_local): sampled and exact lambda */
    neft_eft_local_t loc_s, loc_e;
}
neft_validate_result_struct;
typedef neft_validate_result_struct neft_validate_result_t[1];

void neft_validate_result_init(neft_validate_result_t R);
void neft_validate_result_clear(neft_validate_result_t R);

/* ---- the stages, in order ---- */

/* Checks spec (neft_validate_spec_check) and sets R up for it: the
   built-in theory's connected G4 and G6 at first order, the GP kernel, the
   inputs.  Returns a status; nothing is computed on refusal:
   NEFT_UNSUPPORTED ("stage fit: ..." in err) when the vertex integrals of
   the fit or the 6-point prediction are not implemented for this kernel in
   this d_in at some cutoff (neft_integrate_term_supported). */
int neft_validate_start(neft_validate_result_t R, const neft_validate_spec_t spec, char * err,
                        size_t errlen);

/* Width index w: samples spec->models networks (checkpointed in
   spec->state_dir when given: resumed from there), the exact correlators
   (a width without them is reported by a progress line, its numbers n/a),
   the deviations of G4 and G6 from the GP and the connected checks.  One
   progress line (two when resuming).  NEFT_INTERRUPTED on a stop request
   (neft/interrupt.h) with "interrupted at width N; ...". */
int neft_validate_width(neft_validate_result_t R, const neft_validate_spec_t spec, slong w,
                        char * err, size_t errlen);

/* Cutoff index c (every width's stage done): lambda fitted to the sampled
   connected G4 at the fit width, weighted by its standard errors, and to
   the exact one with the same weights; the per-tuple values.  One progress
   line. */
int neft_validate_fit(neft_validate_result_t R, const neft_validate_spec_t spec, slong c,
                      char * err, size_t errlen);

/* Cutoff index c (after its fit): G6 predicted with the fitted lambda
   (kappa = 0) against the sampled and exact G6, with the GP alone; then at
   O(1/N^2): kappa with the lambda^2 exchange and the misses at every width
   (n/a with the reason when the exchange integrals would cost more than
   NEFT_VALIDATE_ORDER2_MAX_OPS, docs/cmd-validate.md). */
#define NEFT_VALIDATE_ORDER2_MAX_OPS 2e11
int neft_validate_predict(neft_validate_result_t R, const neft_validate_spec_t spec, slong c,
                          char * err, size_t errlen);

/* The running of the sampled and exact lambda over the cutoffs (every
   fit done): neft_eft_running with the errors propagated from the sampled
   G4c; n/a with a reason in R->slope_why. */
void neft_validate_running(neft_validate_result_t R, const neft_validate_spec_t spec);

/* Writes the summary table to summary and report.json, report.tex and the
   figures (falloff, running, sixpt: .tex, and .pdf/.png when
   pdflatex/pdftoppm are installed; a warning through the callback
   otherwise) into the folder sdir, every file atomically; dir is the name
   the user will find them under (messages say dir, not sdir). */
int neft_validate_write(const neft_validate_result_t R, const neft_validate_spec_t spec,
                        const char * sdir, const char * dir, FILE * summary, char * err,
                        size_t errlen);

/* The whole chain into the report folder dir: built in a staging folder
   swapped in at the end, so an interrupted or failed run leaves the
   previous report; with a state_dir the sampling of each width is
   checkpointed there (width-N-HASH.ckpt, HASH over everything the sample
   depends on), an interrupted or killed run resumes, and the checkpoints
   and the folder are removed when the report is written.  The summary
   ends with the line naming the report's files.  Returns a status and one
   line in err (NEFT_INTERRUPTED: "interrupted at ..."). */
int neft_validate_run(const neft_validate_spec_t spec, const char * dir, FILE * summary,
                      char * err, size_t errlen);

/* Under MPI (neft/mpi.h, docs/cluster.md): after neft_mpi_start, rank 0
   calls neft_validate_run (or the stages) and every other process calls
   neft_validate_follow with the same spec.  Rank 0 runs every stage alone
   and asks the others before each width's sampling; they join it (the
   sampler's split and reduction, so the report is the one process's, byte
   for byte) and write nothing: no report, no folder, no messages through
   the spec's callbacks.  neft_validate_run ends the followers with its
   status when it returns; a program that calls the stages itself, or stops
   before neft_validate_run, calls neft_validate_follow_end(status) once on
   rank 0.  neft_validate_follow returns rank 0's status; err holds this
   process's own failure when it had one that rank 0 does not report (else
   "").  In a job of one process: follow returns NEFT_SUCCESS at once and
   follow_end does nothing. */
int neft_validate_follow(const neft_validate_spec_t spec, char * err, size_t errlen);
void neft_validate_follow_end(int status);

/* Copies DIR/report.json, the report a finished neft_validate_run wrote,
   to out byte for byte (`neft validate --format json` prints it on
   stdout).  Returns NEFT_SUCCESS, or NEFT_FAILURE with one line in err when
   the file cannot be read or out cannot be written. */
int neft_validate_print_report_json(FILE * out, const char * dir, char * err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
