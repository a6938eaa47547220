/* The calls of validate into the exact correlators (neft/exact.h): the only
   file of the module that knows the exact module's spec. */

#include <time.h>
#include "validate-internal.h"

#define NPT_MASK ((1u << 2) | (1u << 4) | (1u << 6))

/* The exact module's spec at one width: the spec's net with sigma_w, sigma_b
   the exact values of their doubles (the nets that are sampled, neft/net.h),
   the inputs pts. */
static void
_exact_spec(neft_exact_spec_t es, const neft_validate_spec_t spec, arb_srcptr pts, slong width)
{
    fmpq_t sw, sb;
    arf_t t;
    fmpq_init(sw);
    fmpq_init(sb);
    arf_init(t);
    neft_net_set(es->net, spec->net);
    neft_net_set_depth(es->net, 2);
    arf_set_d(t, neft_net_sw_d(spec->net));
    arf_get_fmpq(sw, t);
    arf_set_d(t, neft_net_sb_d(spec->net));
    arf_get_fmpq(sb, t);
    neft_net_set_sigma(es->net, sw, sb);
    neft_net_set_width_si(es->net, 1, width);
    neft_exact_spec_set_points(es, pts, spec->npoints);
    es->npt_mask = NPT_MASK;
    es->threads = spec->threads;        /* (the shared rule of d_in = 2, 3) */
    fmpq_clear(sw);
    fmpq_clear(sb);
    arf_clear(t);
}

static double
seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

typedef struct
{
    const neft_validate_spec_struct * spec;
    double last;
    int printed;
}
tick_struct;

/* the exact module's counter as a progress line once a second after the
   first second, and at the end when a line was printed (moments that take
   less than a second print nothing) */
static void
tick(void * arg, slong done, slong total)
{
    tick_struct * t = arg;
    double now = seconds();
    _neft_validate_meter(t->spec, "moments", (double) done, (double) total);
    if (now - t->last < 1 && !(done == total && t->printed))
        return;
    t->last = now;
    t->printed = 1;
    _neft_validate_progress(t->spec, "exact moments (once for all widths): %ld/%ld",
                            (long) done, (long) total);
}

int
_neft_validate_exact(neft_exact_result_t E, neft_validate_result_t R,
                     const neft_validate_spec_t spec, slong width, char * err, size_t errlen)
{
    neft_exact_spec_t es;
    int st;
    neft_exact_spec_init(es);
    _exact_spec(es, spec, R->pts, width);
    if (!R->mom_done)
    {
        tick_struct t = {spec, seconds(), 0};
        R->mom_status = neft_exact_moments(R->mom, es, spec->prec, tick, &t, R->mom_why,
                                           sizeof R->mom_why);
        /* an interrupted run stops; a resumed one computes them again */
        R->mom_done = R->mom_status != NEFT_INTERRUPTED;
    }
    if (R->mom_status != NEFT_SUCCESS)
    {
        snprintf(err, errlen, "%s", R->mom_why);
        st = R->mom_status;
    }
    else
        st = neft_exact_correlators_from(E, R->mom, es, spec->prec, err, errlen);
    neft_exact_spec_clear(es);
    return st;
}

void
_neft_validate_exact_cost(double * ops, double * bytes, const neft_validate_spec_t spec,
                          arb_srcptr pts, slong width)
{
    neft_exact_spec_t es;
    neft_exact_spec_init(es);
    _exact_spec(es, spec, pts, FLINT_MAX(width, 1));
    neft_exact_cost(ops, bytes, es, spec->prec);
    /* the moments are computed once, at the first width */
    if (spec->nwidths > 0 && width != spec->widths[0])
        *ops -= neft_exact_moments_cost(es, spec->prec);
    neft_exact_spec_clear(es);
}
