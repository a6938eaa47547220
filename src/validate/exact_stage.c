/* The calls of validate into the exact correlators (neft/exact.h): the only
   file of the module that knows the exact module's spec. */

#include "validate-internal.h"

#define NPT_MASK ((1u << 2) | (1u << 4) | (1u << 6))

/* The exact module's spec at one width: sigma's doubles (the nets that are
   sampled, neft/net.h), the inputs pts. */
static void
_exact_spec(neft_exact_spec_t es, const neft_validate_spec_t spec, arb_srcptr pts, slong width)
{
    es->activation = neft_sample_activation_lookup(_neft_validate_act_name(spec));
    es->d_in = spec->net->d_in;
    arb_set_d(es->sw, neft_net_sw_d(spec->net));
    arb_set_d(es->sb, neft_net_sb_d(spec->net));
    neft_exact_spec_set_points(es, pts, spec->npoints);
    fmpz_set_si(es->width, width);
    es->npt_mask = NPT_MASK;
}

int
_neft_validate_exact(neft_exact_result_t E, const neft_validate_spec_t spec, arb_srcptr pts,
                     slong width, char * err, size_t errlen)
{
    neft_exact_spec_t es;
    int st;
    neft_exact_spec_init(es);
    _exact_spec(es, spec, pts, width);
    st = neft_exact_correlators(E, es, spec->prec, err, errlen);
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
    neft_exact_spec_clear(es);
}
