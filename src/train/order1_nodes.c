/* The node count of the O(1/n) ball chosen for a target relative radius
   (docs/cmd-train.md, --c-rtol): neft_train_order1 on a ladder of trapezoid
   node counts, first, first + 6, .., cap, until the ball is narrow enough.
   Six nodes a rung: on learn.csv (tanh, C_W = 2; docs/train-theory.md) each
   six nodes narrow the ball 8-10 times (100 steps: 1.07, 0.12, 0.018 at 37,
   43, 49 nodes) while a run costs about (nodes)^(d_in + 1), 1.3-1.4 times
   more a rung.

   Each rung is a full neft_train_order1 run: the rungs share no node
   values (each count's trapezoid step h comes from choose_plan's error
   balance for that count, so the node sets do not nest), and what does not
   depend on the count -- the coarse 8-node Gauss-Hermite run and the
   majorants of choose_plan (14 angles, no quadrature) -- is about
   (8/n)^(d_in + 1) of a rung: a few % of the ladder 25..43 in d_in = 2
   (1.2 % for the coarse runs; perf on a 25-node run: the time is in the
   rules' trajectories, jmul and _neft_o1_rule_run; stop 35).  The ladder's
   cost, the sum of n^(d_in + 1) over the rungs, is 2.2 times the last
   rung's, as measured (85 s against 35 s).  Reusing the rest is not worth
   the plumbing; what would be:
   nested rungs (h halved, n -> 2n - 1, each rung's nodes reused by the
   next), or the count predicted from two rungs' radii (8-10 times per six
   nodes) -- both change which counts run, so not byte-identical. */

#include <math.h>
#include "neft/train.h"

#define RUNG 6

/* the largest radius / |c| over the recorded steps t > 0 and the test
   inputs (inf where the ball holds 0); step 0's c is 0 exactly (the
   untrained nets' mean is 0 at every width), so it is left out */
static double
worst_rel(const double * coef, const double * err, const neft_train_ensemble_t ens)
{
    const slong nB = ens->sample->npoints - ens->ntrain;
    double w = 0;
    slong s, b;
    for (s = 0; s < ens->nsteps; s++)
        for (b = 0; b < nB && ens->steps[s] > 0; b++)
        {
            double c = fabs(coef[s * nB + b]), r = err[s * nB + b];
            double q = r < c ? r / c : HUGE_VAL;
            if (!(q <= w))
                w = q;
        }
    return w;
}

int
neft_train_order1_nodes(double * coef, double * err, double * fmean, slong * nodes, int * met,
                        double * worst, const neft_train_ensemble_t ens, double rtol,
                        slong first, slong cap, char * msg, size_t msgsize)
{
    slong n;
    int r = NEFT_FAILURE, ball = 0;

    *nodes = 0;
    *met = 0;
    *worst = HUGE_VAL;
    if (!(rtol > 0) || first < 4 || cap < first
        || !neft_train_order1_ball(ens->sample->net->act) || ens->order1_estimate
        || ens->sample->net->depth > 2)
    {
        snprintf(msg, msgsize, "a target relative radius of c needs the ball (tanh, erf, sin, "
                 "sigmoid at depth 2; not the Gauss-Hermite estimate), a positive target and "
                 "a cap of at least %ld nodes", (long) FLINT_MAX(first, 4));
        return NEFT_BAD_INPUT;
    }
    for (n = first; ; n = FLINT_MIN(n + RUNG, cap))
    {
        r = neft_train_order1(coef, err, &ball, fmean, ens, n, msg, msgsize);
        *nodes = n;
        /* too few nodes for the first pass's Cholesky factor: try more */
        if (r == NEFT_SUCCESS)
        {
            *worst = worst_rel(coef, err, ens);
            if (*worst <= rtol)
            {
                *met = 1;
                break;
            }
        }
        else if (r != NEFT_FAILURE)
            break;
        if (n == cap)
            break;
    }
    return r;
}
