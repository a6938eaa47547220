/* The picture of a trained ensemble (neft_train_ensemble_plot): its mean
   +- one standard deviation at the first test input against the steps,
   beside the frozen-NTK prediction, as a pgfplots document (the figure
   machinery of neft/eft.h). */

#include <math.h>
#include <stdio.h>
#include "neft/train.h"
#include "neft/eft.h"

int
neft_train_ensemble_plot(const char * path, const neft_train_ensemble_result_t res,
                         const neft_train_ensemble_t ens)
{
    const slong S = res->nsteps, nB = res->ntest;
    double * buf = flint_malloc(sizeof(double) * (size_t) (8 * S + 1));
    double * t = buf, * m = t + S, * me = m + S, * lo = me + S, * hi = lo + S, * fm = hi + S,
           * flo = fm + S, * fhi = flo + S;
    neft_eft_plot_t p = {0};
    slong s;
    int ok;
    for (s = 0; s < S; s++)
    {
        const neft_sample_estimate_struct * e = res->mean + s * nB;
        double v = res->cov[(s * nB) * nB].mean, sd = v >= 0 ? sqrt(v) : NAN;
        t[s] = (double) ens->steps[s];
        m[s] = e->mean;
        me[s] = e->stderr_;
        lo[s] = e->mean - sd;
        hi[s] = e->mean + sd;
        if (res->frozen_ok)
        {
            double f = arf_get_d(arb_midref(res->frozen_mean + s * nB), ARF_RND_NEAR);
            double fv = arf_get_d(arb_midref(res->frozen_cov + (s * nB) * nB), ARF_RND_NEAR);
            double fs = fv >= 0 ? sqrt(fv) : NAN;
            fm[s] = f;
            flo[s] = f - fs;
            fhi[s] = f + fs;
        }
        else
            fm[s] = flo[s] = fhi[s] = NAN;
    }
    p.title = "trained ensemble at the first test input";
    p.xlabel = "step $t$";
    p.ylabel = "$f_t(x)$";
    p.nseries = 6;
    p.series[0] = (neft_eft_series_t) {"trained mean $\\pm$ error", S, t, m, me, 0};
    p.series[1] = (neft_eft_series_t) {"trained mean $\\pm$ sd", S, t, lo, NULL, 1};
    p.series[2] = (neft_eft_series_t) {NULL, S, t, hi, NULL, 1};
    p.series[3] = (neft_eft_series_t) {"frozen NTK mean", S, t, fm, NULL, 1};
    p.series[4] = (neft_eft_series_t) {"frozen NTK mean $\\pm$ sd", S, t, flo, NULL, 2};
    p.series[5] = (neft_eft_series_t) {NULL, S, t, fhi, NULL, 2};
    ok = neft_eft_plot_write_tex(path, &p);
    flint_free(buf);
    return ok ? 0 : -1;
}
