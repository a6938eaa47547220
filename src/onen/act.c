/* Activation functions: names, evaluation on complex balls (for the
   integrator), growth bounds (for its tail estimate) and the exact Gaussian
   moments of the scale-invariant ones. */

#include <string.h>
#include "neft/onen.h"
#include "onen_private.h"

static const char * const act_names[NEFT_ONEN_ACT_COUNT] = {
    "relu", "leaky-relu", "linear", "tanh", "erf", "gelu", "silu", "sigmoid", "sin"
};

void
neft_onen_act_init(neft_onen_act_t act)
{
    act->kind = NEFT_ONEN_RELU;
    fmpq_init(act->slope);
}

void
neft_onen_act_clear(neft_onen_act_t act)
{
    fmpq_clear(act->slope);
}

void
neft_onen_act_set(neft_onen_act_t act, const neft_onen_act_t src)
{
    act->kind = src->kind;
    fmpq_set(act->slope, src->slope);
}

const char *
neft_onen_act_name(int kind)
{
    return (kind >= 0 && kind < NEFT_ONEN_ACT_COUNT) ? act_names[kind] : NULL;
}

int
neft_onen_act_lookup(neft_onen_act_t act, const char * name)
{
    int k;
    if (name == NULL)
        return -1;
    for (k = 0; k < NEFT_ONEN_ACT_COUNT; k++)
        if (!strcmp(name, act_names[k]))
        {
            act->kind = k;
            /* PyTorch's default negative slope */
            fmpq_set_si(act->slope, k == NEFT_ONEN_LEAKY ? 1 : 0, 100);
            return 0;
        }
    return -1;
}

int
neft_onen_act_is_scale_invariant(const neft_onen_act_t act)
{
    return act->kind == NEFT_ONEN_RELU || act->kind == NEFT_ONEN_LEAKY
        || act->kind == NEFT_ONEN_LINEAR;
}

/* sigma = (a_+, a_-) slopes of a scale-invariant activation. */
static void
slopes(fmpq_t ap, fmpq_t am, const neft_onen_act_t act)
{
    fmpq_one(ap);
    if (act->kind == NEFT_ONEN_RELU)
        fmpq_zero(am);
    else if (act->kind == NEFT_ONEN_LEAKY)
        fmpq_set(am, act->slope);
    else
        fmpq_one(am);
}

/* <sigma^{2p}>_K = (2p-1)!! (a_+^{2p} + a_-^{2p}) / 2 * K^p (half-Gaussian
   moments on each side); <sigma'^2> = (a_+^2 + a_-^2)/2 (p = 0). */
int
neft_onen_act_exact_moment(fmpq_t mu, const neft_onen_act_t act, slong p)
{
    fmpq_t ap, am, t;
    slong j;

    if (!neft_onen_act_is_scale_invariant(act) || p < 0)
        return -1;
    fmpq_init(ap); fmpq_init(am); fmpq_init(t);
    slopes(ap, am, act);
    if (p == 0)
    {
        fmpq_mul(mu, ap, ap);
        fmpq_mul(t, am, am);
        fmpq_add(mu, mu, t);
        fmpq_div_2exp(mu, mu, 1);
    }
    else
    {
        fmpq_pow_si(mu, ap, 2 * p);
        fmpq_pow_si(t, am, 2 * p);
        fmpq_add(mu, mu, t);
        fmpq_div_2exp(mu, mu, 1);
        for (j = 2 * p - 1; j > 1; j -= 2)
            fmpq_mul_si(mu, mu, j);
    }
    fmpq_clear(ap); fmpq_clear(am); fmpq_clear(t);
    return 0;
}

/* The row of the activation table (neft/act.h) of NEFT_ONEN_*, through its
   name; NULL for a number out of range.  The one place onen's numbers meet
   the table (until they are removed). */
neft_act_srcptr
_neft_onen_act_row(int kind)
{
    return neft_act_lookup(neft_onen_act_name(kind));
}

/* sigma or sigma' from the table, holomorphy certified (analytic = 1): the
   kinks of relu and leaky-relu give indeterminate balls across Re z = 0, the
   poles of tanh, sigmoid and silu non-finite ones. */
void
neft_onen_act_eval_acb(acb_t res, const neft_onen_act_t act, const acb_t z,
                       int deriv, slong prec)
{
    neft_act_srcptr row = _neft_onen_act_row(act->kind);
    arb_t s;

    if (row == NULL)
    {
        acb_indeterminate(res);
        return;
    }
    arb_init(s);
    if (act->kind == NEFT_ONEN_LEAKY)
        arb_set_fmpq(s, act->slope, prec);
    row->eval_acb(res, z, row->nparams ? s : NULL, deriv ? 1 : 0, 1, prec);
    arb_clear(s);
}

/* |sigma(z)| <= a + b|z| and |sigma'(z)| <= c for real z. */
void
_neft_onen_act_bound(double * a, double * b, double * c, const neft_onen_act_t act)
{
    double s = 1.0;
    *a = 0.0; *b = 0.0; *c = 1.0;
    switch (act->kind)
    {
    case NEFT_ONEN_RELU: case NEFT_ONEN_LINEAR:
        *b = 1.0; break;
    case NEFT_ONEN_LEAKY:
        s = fabs(fmpq_get_d(act->slope)) * (1 + 1e-12) + 1e-300;
        *b = s > 1.0 ? s : 1.0; *c = *b; break;
    case NEFT_ONEN_TANH: case NEFT_ONEN_SIGMOID: case NEFT_ONEN_SIN:
        *a = 1.0; break;
    case NEFT_ONEN_ERF:
        *a = 1.0; *c = 2.0; break;
    case NEFT_ONEN_GELU: case NEFT_ONEN_SILU:
        *b = 1.0; *c = 2.0; break;
    }
}
