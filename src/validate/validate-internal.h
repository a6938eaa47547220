/* Private to src/validate: the helpers the stages and writers share. */
#ifndef NEFT_VALIDATE_INTERNAL_H
#define NEFT_VALIDATE_INTERNAL_H

#include <stdarg.h>
#include "neft/validate.h"

/* num.c: numbers of the report, or n/a with a reason */
void _neft_validate_num_set(neft_validate_num_t * x, double v, double e);
void _neft_validate_num_na(neft_validate_num_t * x, const char * why);
/* q's mean ratio into x (noise: n/a when the error is not below the value) */
void _neft_validate_num_ratio(neft_validate_num_t * x, const neft_eft_ratio_t q, int noise);
double _neft_validate_val(const neft_validate_num_t * x);   /* NAN when n/a */
double _neft_validate_mid(const arb_t x);
double _neft_validate_ub(const arb_t x);                    /* an upper bound of |x| */
/* per-tuple values and residuals of the fit f, data errors s */
void _neft_validate_tuples(neft_validate_tuples_t * u, const neft_eft_fit_t f, arb_srcptr s);

/* progress.c: one progress line through the spec's callback (printf format) */
void _neft_validate_progress(const neft_validate_spec_t spec, const char * fmt, ...);
void _neft_validate_warning(const neft_validate_spec_t spec, const char * line);
/* The spec's meter, if any (neft_validate_meter_func). */
void _neft_validate_meter(const neft_validate_spec_t spec, const char * what, double done,
                          double total);
/* The sampler's progress callback (neft/sample.h) forwarding to the meter of
   the spec given as arg, in "networks". */
void _neft_validate_sample_meter(void * arg, uint64_t done, uint64_t total);

/* result.c: records that stage (a static name) was skipped as unsupported
   (once per stage: a second call is ignored) and says it through the
   progress callback as "skipped: unsupported: STAGE: WHY" */
void _neft_validate_skip(neft_validate_result_t R, const neft_validate_spec_t spec,
                         const char * stage, const char * why);
/* the skipped stages, each as prefix "skipped: unsupported: STAGE: WHY" suffix */
void _neft_validate_skipped_lines(FILE * out, const char * prefix, const char * suffix,
                                  const neft_validate_result_t R);

/* result.c: 1 when the stages of cutoff index c may run (R started, the fit
   width sampled), else 0 and one line in err */
int _neft_validate_cutoff_ready(const neft_validate_result_t R, slong c, char * err,
                                size_t errlen);

/* stop.c: the line of a stopped run; NEFT_INTERRUPTED */
int _neft_validate_stopped_width(const neft_validate_spec_t spec, slong width, char * err,
                                 size_t errlen);
int _neft_validate_stopped_cutoff(const neft_validate_spec_t spec, double L, char * err,
                                  size_t errlen);
int _neft_validate_stopped_report(const neft_validate_spec_t spec, char * err, size_t errlen);

/* sample_stage.c: the calls into neft/sample.h */
int _neft_validate_sample_check(const neft_validate_spec_t spec, slong w, char * err,
                                size_t errlen);
/* samples width index w into S (checkpoint path in ckpt, "" without a
   state_dir); a status */
int _neft_validate_sample(neft_sample_result_t S, char * ckpt, size_t ckptlen,
                          const neft_validate_spec_t spec, slong w, char * err, size_t errlen);
/* the same as one process of an MPI job: rank 0 (follower 0) as above,
   after asking the other processes to join (_neft_validate_mpi_ask); the
   others (follower 1) sample along without messages, folders or meter */
int _neft_validate_sample_rank(neft_sample_result_t S, char * ckpt, size_t ckptlen,
                               const neft_validate_spec_t spec, slong w, int follower,
                               char * err, size_t errlen);
/* follow.c: rank 0 of an MPI job of several processes asks the others to
   sample width index w with it (0, or -1 when the communication failed);
   nothing and 0 in a job of one process */
int _neft_validate_mpi_ask(slong w);
void _neft_validate_sample_cost(double * ops, double * bytes, const neft_validate_spec_t spec,
                                slong w);
/* the sampler's spec of width index w (ss initialised by the caller) */
void _neft_validate_sample_spec(neft_sample_spec_t ss, const neft_validate_spec_t spec, slong w);
/* the checkpoint path DIR/width-N-HASH.ckpt of the sampler's spec ss: the
   same name for the same settings in every version, so that a DIR.partial
   of an older run resumes */
void _neft_validate_ckpt_path(char * buf, size_t len, const char * dir,
                              const neft_sample_spec_t ss);
const char * _neft_validate_act_name(const neft_validate_spec_t spec);

/* exact_stage.c: the calls into neft/exact.h.  The exact correlators at
   width from R's moments (computed at the first call, with a progress line
   "exact moments (once for all widths): done/total" each second after the
   first; their failure is remembered and reported at every width) */
int _neft_validate_exact(neft_exact_result_t E, neft_validate_result_t R,
                         const neft_validate_spec_t spec, slong width, char * err,
                         size_t errlen);
/* its cost at width: the moments counted at the first width only */
void _neft_validate_exact_cost(double * ops, double * bytes, const neft_validate_spec_t spec,
                               arb_srcptr pts, slong width);

/* kernel_stage.c: the calls into neft/kernel.h */
int _neft_validate_kernel(neft_kernel_t K, const neft_validate_spec_t spec, char * err,
                          size_t errlen);
int _neft_validate_kernel_grows(const neft_kernel_t K);
/* sum over perfect matchings of the points idx[0..n) of prod K */
void _neft_validate_gp(arb_t res, const slong * idx, slong n, arb_srcptr pts, slong d,
                       const neft_kernel_t K, slong prec);

/* data.c: the connected npt-point data of a sample result (S) or an exact
   result (E): exactly one of them non-NULL */
void _neft_validate_data(neft_eft_data_t D, const neft_sample_result_struct * S,
                         const neft_exact_result_struct * E, slong npt, arb_srcptr pts,
                         slong npoints, slong d);

/* text.c: x printed with fmt right-aligned in width w, or "n/a"; an n/a adds
   "  n/a: LABEL: reason" to notes (NULL: none) */
void _neft_validate_txt(FILE * out, FILE * notes, const char * fmt, int w,
                        const neft_validate_num_t * x, const char * label, ...);

/* folder.c */
void _neft_validate_unstage(char * s, size_t size, const char * sdir, const char * dir);
/* writes what writer writes for R to DIR/NAME atomically: a status */
int _neft_validate_save(const char * dir, const char * name,
                        void (* writer)(FILE *, const neft_validate_result_t,
                                        const neft_validate_spec_t),
                        const neft_validate_result_t R, const neft_validate_spec_t spec,
                        char * err, size_t errlen);

/* order2.c: the O(1/N^2) stage of cutoff index c (after the prediction) and
   its report: a text table (n/a reasons to notes), JSON members (", "order2":
   {..}"), the figure order (residual x N^3) */
/* 1 when every term of the O(1/N^2) stage's expansion has a method at
   cutoff L with ctx's kernel (the stage then runs and needs the 6-leg
   vertex integrals of kappa: _neft_validate_prefill computes them at every
   cutoff with the others), else 0.  No side effect. */
int _neft_validate_order2_supported(const neft_theory_t th, const neft_eval_ctx_t ctx,
                                    const arf_t L);

double _neft_validate_order2_cost(const neft_theory_t th, const neft_eval_ctx_t ctx,
                                  slong npoints, double T6);   /* 0 when skipped */
int _neft_validate_order2(neft_validate_result_t R, const neft_validate_spec_t spec, slong c,
                          char * err, size_t errlen);
void _neft_validate_write_order2_summary(FILE * out, FILE * notes,
                                         const neft_validate_result_t R,
                                         const neft_validate_spec_t spec);
void _neft_validate_write_order2_tex(FILE * m, const neft_validate_result_t R,
                                     const neft_validate_spec_t spec);
void _neft_validate_write_order2_json(FILE * m, const neft_validate_result_t R,
                                      const neft_validate_spec_t spec);
int _neft_validate_write_order2_figure(const neft_validate_result_t R,
                                       const neft_validate_spec_t spec, const char * sdir,
                                       const char * dir, char * err, size_t errlen);

/* report_json.c, report_tex.c, summary.c, figures.c */
void _neft_validate_write_json(FILE * m, const neft_validate_result_t R,
                               const neft_validate_spec_t spec);
void _neft_validate_write_tex(FILE * m, const neft_validate_result_t R,
                              const neft_validate_spec_t spec);
void _neft_validate_write_summary(FILE * out, const neft_validate_result_t R,
                                  const neft_validate_spec_t spec);
int _neft_validate_write_figures(const neft_validate_result_t R, const neft_validate_spec_t spec,
                                 const char * sdir, const char * dir, char * err, size_t errlen);

/* unreliable.c: the sampled tuples whose error bars the sampler flags
   (neft/sample.h), by npt / 2 - 1: bad[k] of all[k], the union of their
   flags in why */
void _neft_validate_unreliable(slong * bad, slong * all, unsigned * why,
                               const neft_sample_result_struct * S);
/* one warning line for width X into buf: 1, or 0 (buf "") when none is flagged */
int _neft_validate_unreliable_line(char * buf, size_t len, const neft_validate_width_struct * X);
/* 1 when a 4- or 6-point tuple is flagged at the fit width (the sampled
   lambda and the six-point comparisons rest on it) */
int _neft_validate_unreliable_lambda(const neft_validate_result_t R);
/* "unreliable": {"npt2": n, "npt4": n, "npt6": n, "flags": [..]} of width X */
void _neft_validate_unreliable_json(FILE * m, const neft_validate_width_struct * X);
/* every warning line, each as prefix LINE suffix, separated by sep */
void _neft_validate_unreliable_lines(FILE * out, const char * prefix, const char * suffix,
                                     const char * sep, const neft_validate_result_t R);
/* the running exponent expected at large cutoff: -(4 + d_in) for ReLU
   (its kernel grows like |y|), -d_in for bounded kernels */
double _neft_validate_expected_slope(const neft_validate_result_t R,
                                     const neft_validate_spec_t spec);

/* The running read locally (src/validate/running.c): the last decade's
   slope, the beta function it implies and the local slopes, as text lines
   of the summary and as members of report.json's "running" object
   (", \"local\": .."). */
void _neft_validate_write_local_text(FILE * out, const neft_validate_result_t R,
                                     const neft_validate_spec_t spec);
void _neft_validate_write_local_json(FILE * m, const neft_validate_result_t R);

/* Before the fits (d_in = 1): the vertex integrals of every tuple at every
   cutoff at once, nested (neft_eval_prefill_cutoffs), set aside in R's
   cache for each cutoff's fit and prediction. */
void _neft_validate_prefill(neft_validate_result_t R, const neft_validate_spec_t spec);

#endif
