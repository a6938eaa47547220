/* What onen computes for each activation: its own table, one entry per row
   of the activation table (neft/act.h), keyed by the row's name.  An entry
   says which closed forms the row has (single-input moments, two-input
   expectations, the four-point vertex, exact rationals), its growth bounds
   (for the integrator's tail and the cost model), its Taylor data at 0 (for
   the criticality analysis) and the depth it allows; a capability an entry
   lacks carries the reason, naming the row.  No dispatch here or in the
   other files of src/onen has a default case that computes. */

#include <stdio.h>
#include <string.h>
#include "neft/onen.h"
#include "onen_private.h"

/* ---- Taylor coefficients sigma^(j)(0), j = 0..3 ------------------------ */

static void
taylor_tanh(arb_ptr d, slong prec)      /* z - z^3/3 */
{
    (void) prec;
    arb_one(d + 1); arb_set_si(d + 3, -2);
}

static void
taylor_sin(arb_ptr d, slong prec)       /* z - z^3/6 */
{
    (void) prec;
    arb_one(d + 1); arb_set_si(d + 3, -1);
}

static void
taylor_erf(arb_ptr d, slong prec)       /* (2/sqrt pi)(z - z^3/3) */
{
    arb_t t;
    arb_init(t);
    arb_const_sqrt_pi(t, prec); arb_inv(t, t, prec);
    arb_mul_2exp_si(d + 1, t, 1); arb_mul_si(d + 3, t, -4, prec);
    arb_clear(t);
}

static void
taylor_gelu(arb_ptr d, slong prec)      /* z/2 + z^2/sqrt(2 pi) + 0 z^3 */
{
    arb_t t;
    arb_init(t);
    arb_one(d + 1); arb_mul_2exp_si(d + 1, d + 1, -1);
    arb_const_pi(t, prec); arb_mul_2exp_si(t, t, 1); arb_rsqrt(t, t, prec);
    arb_mul_2exp_si(d + 2, t, 1);
    arb_clear(t);
}

static void
taylor_silu(arb_ptr d, slong prec)      /* z/2 + z^2/4 + 0 z^3 */
{
    (void) prec;
    arb_set_d(d + 1, 0.5); arb_set_d(d + 2, 0.5);
}

static void
taylor_sigmoid(arb_ptr d, slong prec)   /* 1/2 + z/4 - z^3/48 */
{
    (void) prec;
    arb_set_d(d + 0, 0.5); arb_set_d(d + 1, 0.25); arb_set_d(d + 3, -0.125);
}

/* ---- the table --------------------------------------------------------- */

#define NO NULL
#define NOT_SI(n) n " is not scale-invariant: its Gaussian moments are not rationals times " \
    "powers of K"
#define NO_PAIR(n) n " has no two-input Gaussian expectation in closed form in onen (relu, " \
    "leaky-relu, linear, erf, sin and gauss have one)"
#define NO_VERTEX(n) n " has no four-point vertex of two inputs in onen (it needs a declared " \
    "bound for the Gaussian-expectation integrator, or a closed form as relu, leaky-relu, " \
    "linear and gauss have)"

/* The piecewise-linear rows: every moment exact, any depth. */
#define PIECEWISE(name, pl, pair) \
    {name, pl, _neft_onen_moments_pl, 4, 1, 0, 1, 1, pair, _neft_onen_vertex2_pl, NO, ONEN_SIGMA_NONE, \
     15, 0, {NO, NO, NO, NO, NO, NO}}
/* The smooth rows: |sigma| <= a + b|z|, |sigma'| <= c; closed moments (all of them:
   closed_p = 4, or p = 1 and perp: 1), two-input pair (NULL: pair_why says why
   not), Taylor data at 0, integrand cost, cost of all-closed moments; the vertex
   of two inputs integrated (src/onen/vertex2_gen.c) */
#define SMOOTH(name, moments, closed_p, a, b, c, pair, pair_why, taylor, sigma, cost) \
    {name, ONEN_PL_NONE, moments, closed_p, 1, a, b, c, pair, _neft_onen_vertex2_gen, taylor, \
     sigma, cost, 0, {NO, NOT_SI(name), pair_why, NO, NO, NO}}

static const onen_row_struct rows[] = {
    PIECEWISE("relu", ONEN_PL_ZERO, _neft_onen_pair_relu),
    PIECEWISE("leaky-relu", ONEN_PL_PARAM, _neft_onen_pair_leaky),
    PIECEWISE("linear", ONEN_PL_ONE, _neft_onen_pair_linear),
    SMOOTH("tanh", NO, 0, 1, 0, 1, NO, NO_PAIR("tanh"), taylor_tanh, ONEN_SIGMA_TANH, 0),
    SMOOTH("erf", _neft_onen_moments_erf, 1, 1, 0, 2, _neft_onen_pair_erf, NO, taylor_erf, ONEN_SIGMA_ERF, 0),
    SMOOTH("gelu", NO, 0, 0, 1, 2, NO, NO_PAIR("gelu"), taylor_gelu, ONEN_SIGMA_ERF, 0),
    SMOOTH("silu", NO, 0, 0, 1, 2, NO, NO_PAIR("silu"), taylor_silu, ONEN_SIGMA_TANH, 0),
    SMOOTH("sigmoid", NO, 0, 1, 0, 1, NO, NO_PAIR("sigmoid"), taylor_sigmoid, ONEN_SIGMA_TANH, 0),
    SMOOTH("sin", _neft_onen_moments_sin, 4, 1, 0, 1, _neft_onen_pair_sin, NO, taylor_sin, ONEN_SIGMA_NONE, 30),
    /* no growth bound (never integrated); depth 2 only */
    {"gauss", ONEN_PL_NONE, _neft_onen_moments_gauss, 4, 0, 0, 0, 0,
     _neft_onen_pair_gauss, _neft_onen_vertex2_gauss, NO, ONEN_SIGMA_NONE, 30, 2,
     {NO, NOT_SI("gauss (GaussNet)"), NO, NO,
      "gauss (GaussNet) is defined for one hidden layer: it has no fixed point of a layer "
      "map to analyse (--critical)",
      "gauss: GaussNet is defined for one hidden layer (depth 2): sigma(z) = exp(z - k(x,x)) "
      "needs the first layer's pre-activation variance k"}},
};

#define NROWS ((slong) (sizeof(rows) / sizeof(rows[0])))

/* The entry of a row without one above that declares |sigma| <= a + b|z|
   (GROWTH with p = 1) and |sigma'| <= dsup and has no user parameter (a
   row added to the table): every moment integrated, any depth, the vertex of
   two inputs integrated; no closed two-input expectation or Taylor data
   (refused naming the row).
   Built per thread from the row's declared properties. */
static const onen_row_struct *
_generic(neft_act_srcptr act)
{
    static _Thread_local onen_row_struct e;
    static _Thread_local char why[4][200];
    if (act->eval_acb == NULL || act->nparams != 0 || act->dsup <= 0
        || !neft_act_has(act, NEFT_ACT_CAP_GROWTH, NULL) || act->growth_p != 1)
        return NULL;
    memset(&e, 0, sizeof e);
    e.name = act->name;
    e.pl = ONEN_PL_NONE;
    e.bounded = 1;
    e.bound_a = act->growth_a;
    e.bound_b = act->growth_b;
    e.bound_c = act->dsup;
    e.sigma_cost = act->singular == NEFT_ACT_SINGULAR_POLES ? ONEN_SIGMA_TANH : ONEN_SIGMA_ERF;
    e.vertex2 = _neft_onen_vertex2_gen;
    snprintf(why[0], sizeof why[0], NOT_SI("%s"), act->name);
    snprintf(why[1], sizeof why[1], NO_PAIR("%s"), act->name);
    snprintf(why[3], sizeof why[3], "%s has no Taylor data at 0 in onen (src/onen/act.c): "
             "the criticality analysis needs them", act->name);
    e.lacks[NEFT_ONEN_CAP_EXACT] = why[0];
    e.lacks[NEFT_ONEN_CAP_KERNEL] = why[1];
    e.lacks[NEFT_ONEN_CAP_CRITICAL] = why[3];
    return &e;
}

const onen_row_struct *
_neft_onen_row(const neft_net_t net)
{
    slong i;
    if (net->act == NULL)
        return NULL;
    for (i = 0; i < NROWS; i++)
        if (!strcmp(rows[i].name, net->act->name))
            return rows + i;
    return _generic(net->act);
}

int
neft_onen_has(const neft_net_t net, int cap, const char ** reason)
{
    static _Thread_local char unknown[160];
    const onen_row_struct * row = _neft_onen_row(net);
    const char * why;

    if (cap < 0 || cap >= NEFT_ONEN_CAP_COUNT)
        why = "no such capability of onen";
    else if (row == NULL)
    {
        snprintf(unknown, sizeof unknown, "onen has no entry for activation %s "
                 "(src/onen/act.c)", net->act == NULL ? "(none)" : net->act->name);
        why = unknown;
    }
    else
        why = row->lacks[cap];
    if (why == NULL)
        return 1;
    if (reason != NULL)
        *reason = why;
    return 0;
}

int
neft_onen_check_depth(const neft_net_t net, const char ** reason)
{
    const onen_row_struct * row = _neft_onen_row(net);
    if (!neft_onen_has(net, NEFT_ONEN_CAP_MOMENTS, reason))
        return NEFT_UNSUPPORTED;
    if (row->max_depth > 0 && net->depth > row->max_depth)
    {
        neft_onen_has(net, NEFT_ONEN_CAP_DEEP, reason);
        return NEFT_UNSUPPORTED;
    }
    return NEFT_SUCCESS;
}

int
neft_onen_is_scale_invariant(const neft_net_t net)
{
    const onen_row_struct * row = _neft_onen_row(net);
    return row != NULL && row->pl != ONEN_PL_NONE;
}

/* sigma or sigma' from the table, holomorphy certified (analytic = 1): the
   kinks of relu and leaky-relu give indeterminate balls across Re z = 0, the
   poles of tanh, sigmoid and silu non-finite ones. */
void
neft_onen_act_eval_acb(acb_t res, const neft_net_t net, const acb_t z, int deriv,
                       slong prec)
{
    neft_act_srcptr row = net->act;
    arb_t s;

    if (row == NULL || (row->nparams && row->param_default == NULL))
    {
        acb_indeterminate(res);
        return;
    }
    arb_init(s);
    if (row->nparams)
        neft_net_param_arb(s, net, prec);
    if (row->eval_acb(res, z, row->nparams ? s : NULL, deriv ? 1 : 0, 1, prec)
            != NEFT_ACT_SUCCESS)
        acb_indeterminate(res);
    arb_clear(s);
}

/* |sigma(z)| <= a + b|z| and |sigma'(z)| <= c for real z (the row's
   parameter scales b and c: leaky-relu's max(1, |slope|)). */
int
_neft_onen_act_bound(double * a, double * b, double * c, const neft_net_t net)
{
    const onen_row_struct * row = _neft_onen_row(net);
    double s;
    if (row == NULL || !row->bounded)
        return NEFT_UNSUPPORTED;
    *a = row->bound_a; *b = row->bound_b; *c = row->bound_c;
    if (row->pl == ONEN_PL_PARAM)
    {
        s = fabs(fmpq_get_d(net->param)) * (1 + 1e-12) + 1e-300;
        *b = s > 1.0 ? s : 1.0;
        *c = *b;
    }
    return NEFT_SUCCESS;
}
