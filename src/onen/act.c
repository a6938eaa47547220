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

/* Logistic function 1/(1+e^{-z}); division by a ball containing 0 near its
   poles makes the result non-finite, as the integrator requires. */
static void
logistic(acb_t res, const acb_t z, slong prec)
{
    acb_neg(res, z);
    acb_exp(res, res, prec);
    acb_add_ui(res, res, 1, prec);
    acb_inv(res, res, prec);
}

void
neft_onen_act_eval_acb(acb_t res, const neft_onen_act_t act, const acb_t z,
                       int deriv, slong prec)
{
    acb_t t, u;
    acb_init(t);
    acb_init(u);
    switch (act->kind)
    {
    case NEFT_ONEN_RELU:
        if (deriv)
            acb_real_heaviside(res, z, 1, prec);
        else
        {
            acb_zero(t);
            acb_real_max(res, z, t, 1, prec);
        }
        break;
    case NEFT_ONEN_LEAKY:
    {
        /* slope*z + (1 - slope) relu(z) */
        arb_t s;
        arb_init(s);
        arb_set_fmpq(s, act->slope, prec);
        if (deriv)
            acb_real_heaviside(t, z, 1, prec);
        else
        {
            acb_zero(u);
            acb_real_max(t, z, u, 1, prec);
        }
        acb_set_arb(u, s);
        acb_neg(u, u);
        acb_add_ui(u, u, 1, prec);
        acb_mul(t, t, u, prec);
        if (deriv)
            acb_set_arb(u, s);
        else
            acb_mul_arb(u, z, s, prec);
        acb_add(res, t, u, prec);
        arb_clear(s);
        break;
    }
    case NEFT_ONEN_LINEAR:
        if (deriv)
            acb_one(res);
        else
            acb_set(res, z);
        break;
    case NEFT_ONEN_TANH:
        acb_tanh(t, z, prec);
        if (deriv)
        {
            acb_mul(t, t, t, prec);
            acb_sub_ui(t, t, 1, prec);
            acb_neg(res, t);
        }
        else
            acb_set(res, t);
        break;
    case NEFT_ONEN_ERF:
        if (deriv)
        {
            /* 2/sqrt(pi) e^{-z^2} */
            acb_mul(t, z, z, prec);
            acb_neg(t, t);
            acb_exp(t, t, prec);
            arb_const_sqrt_pi(acb_realref(u), prec);
            arb_zero(acb_imagref(u));
            acb_div(t, t, u, prec);
            acb_mul_2exp_si(res, t, 1);
        }
        else
            acb_hypgeom_erf(res, z, prec);
        break;
    case NEFT_ONEN_GELU:
    {
        /* Phi(z) = (1 + erf(z/sqrt2))/2; gelu = z Phi, gelu' = Phi + z phi */
        acb_t phi;
        acb_init(phi);
        acb_set_ui(u, 2);
        acb_rsqrt(u, u, prec);
        acb_mul(u, u, z, prec);
        acb_hypgeom_erf(t, u, prec);
        acb_add_ui(t, t, 1, prec);
        acb_mul_2exp_si(t, t, -1);
        if (deriv)
        {
            acb_mul(phi, z, z, prec);
            acb_mul_2exp_si(phi, phi, -1);
            acb_neg(phi, phi);
            acb_exp(phi, phi, prec);
            arb_const_pi(acb_realref(u), prec);
            arb_mul_2exp_si(acb_realref(u), acb_realref(u), 1);
            arb_rsqrt(acb_realref(u), acb_realref(u), prec);
            arb_zero(acb_imagref(u));
            acb_mul(phi, phi, u, prec);
            acb_mul(phi, phi, z, prec);
            acb_add(res, t, phi, prec);
        }
        else
            acb_mul(res, t, z, prec);
        acb_clear(phi);
        break;
    }
    case NEFT_ONEN_SILU:
        logistic(t, z, prec);
        if (deriv)
        {
            /* s + z s (1 - s) */
            acb_sub_ui(u, t, 1, prec);
            acb_neg(u, u);
            acb_mul(u, u, t, prec);
            acb_mul(u, u, z, prec);
            acb_add(res, t, u, prec);
        }
        else
            acb_mul(res, t, z, prec);
        break;
    case NEFT_ONEN_SIGMOID:
        logistic(t, z, prec);
        if (deriv)
        {
            acb_sub_ui(u, t, 1, prec);
            acb_neg(u, u);
            acb_mul(res, u, t, prec);
        }
        else
            acb_set(res, t);
        break;
    case NEFT_ONEN_SIN:
        if (deriv)
            acb_cos(res, z, prec);
        else
            acb_sin(res, z, prec);
        break;
    default:
        acb_indeterminate(res);
    }
    acb_clear(t);
    acb_clear(u);
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
