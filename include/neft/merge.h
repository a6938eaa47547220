/* neft/merge.h -- one estimate from several sampling runs of one configuration.
 *
 * `neft sample` runs that differ only in their seed (and number of models)
 * are independent measurements of the same correlators.  Their results
 * (the JSON of docs/cmd-sample.md, or of an earlier merge) combine, for every
 * correlator and for its full and connected estimate separately, as
 *     N = sum_i n_i,   mean = sum_i n_i m_i / N,
 *     stderr = sqrt( sum_i (n_i / N)^2 s_i^2 ),
 * with n_i the models, m_i the mean and s_i the standard error of run i
 * (docs/cmd-merge.md).  For the full correlators this is the mean over all
 * N models; the connected ones are combined the same way (each run's plug-in
 * estimate differs from the pooled one by O(1/n_i), far below s_i).  The
 * tail diagnostics are those of one run over all N models: the runs' tail
 * sums added, stderr_iid, ess, ess_var and the flags from the totals
 * (neft_sample_tails). */
#ifndef NEFT_MERGE_H
#define NEFT_MERGE_H

#include <stdio.h>
#include <flint/flint.h>
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads the n >= 1 result files paths[0..n-1] and writes their combination
   to out as one JSON result (its "seeds" list the runs, in the order given;
   ended by its digest).  Returns NEFT_SUCCESS; NEFT_BAD_INPUT with one line
   in err for an unreadable or damaged file, one that is not a `neft sample`
   result, results of different configurations (naming the first member that
   differs) or two runs with the same seed (the same nets: not independent);
   NEFT_FAILURE when out cannot be written or memory is short.  Nothing is
   written unless it succeeds. */
int neft_merge_results(FILE * out, const char * const * paths, slong n, char * err,
                       size_t errsize);

#ifdef __cplusplus
}
#endif

#endif
