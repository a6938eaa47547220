/* Gaussian expectations of one pre-activation, z ~ N(0, K), with their
   K-derivatives: closed forms where they exist, else rigorous integration
   (neft/gaussexp.h, the integrator neft exact uses too).

   Derivatives use d^b/dK^b p_K(z) = p_K(z) He_{2b}(z/sqrt K) / (2K)^b
   (He = probabilists' Hermite polynomials; b = 1 is the familiar
   (z^2 - K)/(2K^2)), so every derivative is one more integral of sigma
   alone and non-smooth activations need no special care. */

#include "neft/onen.h"
#include "neft/gaussexp.h"
#include "onen_private.h"
#include "../cost.h"

void
neft_onen_gauss_init(neft_onen_gauss_t g)
{
    int p, b;
    for (p = 0; p < 5; p++)
        for (b = 0; b < 4; b++)
            arb_init(&g->m[p][b]);
    arb_init(&g->perp);
}

void
neft_onen_gauss_clear(neft_onen_gauss_t g)
{
    int p, b;
    for (p = 0; p < 5; p++)
        for (b = 0; b < 4; b++)
            arb_clear(&g->m[p][b]);
    arb_clear(&g->perp);
}

/* E[F(sqrt(K) xi) He_{2b}(xi)] through the one Gaussian-expectation
   integrator (neft/gaussexp.h): its tail bound comes from the row's declared
   properties, and a row that declares none is refused (-1). */
int
neft_onen_gauss_integrate(arb_t res, const neft_net_t net, const arb_t K,
                          slong p, slong b, slong prec)
{
    neft_act_srcptr row = net->act;
    char err[256];
    arb_t par;
    int status;

    if (row == NULL || !arb_is_positive(K) || p < 0 || p > 4 || b < 0 || b > 3)
    {
        arb_indeterminate(res);
        return -1;
    }
    arb_init(par);
    if (row->param_default != NULL)
        arb_set_fmpq(par, net->param, prec);
    /* F = sigma^{2p}, or sigma'^2 for p = 0; a row with no user parameter
       (GaussNet's k) and no declared bound is refused by the integrator */
    status = neft_gaussexp_hermite(res, row, row->param_default != NULL ? par : NULL, p == 0,
                                   p == 0 ? 2 : 2 * p, K, 2 * b, prec, err, sizeof(err));
    arb_clear(par);
    if (status != NEFT_SUCCESS)
    {
        if (status != NEFT_NO_CONVERGENCE)
            arb_indeterminate(res);
        return -1;
    }
    return 0;
}

int
neft_onen_gauss_eval(neft_onen_gauss_t g, const neft_net_t net, const arb_t K,
                     const arb_t k1, slong prec)
{
    const onen_row_struct * row = _neft_onen_row(net);
    slong p, b;
    int status = 0;
    arb_t t;

    if (row != NULL && row->closed_p == 4)
    {
        /* every moment in closed form, at any K >= 0 */
        row->moments(g, net, K, k1, prec);
        return 0;
    }
    if (row == NULL || !arb_is_positive(K))
    {
        for (p = 0; p < 5; p++)
            for (b = 0; b < 4; b++)
                arb_indeterminate(&g->m[p][b]);
        arb_indeterminate(&g->perp);
        return -1;
    }
    arb_init(t);
    if (row->moments != NULL)
        row->moments(g, net, K, k1, prec);
    for (p = row->closed_p + 1; p <= 4; p++)
        for (b = 0; b <= 4 - p; b++)
        {
            status |= neft_onen_gauss_integrate(&g->m[p][b], net, K, p, b, prec);
            /* divide by (2K)^b */
            arb_mul_2exp_si(t, K, 1);
            arb_pow_ui(t, t, b, prec);
            arb_div(&g->m[p][b], &g->m[p][b], t, prec);
        }
    if (row->closed_p == 0)
        status |= neft_onen_gauss_integrate(&g->perp, net, K, 0, 0, prec);
    arb_clear(t);
    return status ? -1 : 0;
}

double
neft_onen_gauss_cost(const neft_net_t net, double K, slong prec)
{
    const onen_row_struct * row = _neft_onen_row(net);
    double A = _neft_cost_arb(prec), E = _neft_cost_exp(prec), sigma, integrals, evals;
    slong p;
    if (row == NULL)
        return 0;
    if (row->closed_p == 4)
        return row->closed_cost * (E + 4 * A);
    if (row->sigma_cost == ONEN_SIGMA_ERF)
        sigma = _neft_cost_erf(prec);
    else if (row->sigma_cost == ONEN_SIGMA_TANH)
        sigma = _neft_cost_tanh(prec);
    else
        return 0;   /* an entry with moments to integrate but no integrand cost: no
                       other row's cost stands in for it (t-onen checks every row) */
    /* the moments not in closed form: 5 - p derivatives of each p, and perp */
    integrals = row->closed_p == 0 ? 1 : 0;
    for (p = row->closed_p + 1; p <= 4; p++)
        integrals += 5 - p;
    evals = 8.0 * (double) prec + 400;
    /* tanh and the logistic functions have poles at distance ~ 1/sqrt(K) from
       the real line: beyond K ~ 1e7 the evaluations grow like sqrt(K), and
       beyond ~ 3e9 they reach the limit of 10^6 per integral (measured) */
    if (net->act->singular == NEFT_ACT_SINGULAR_POLES)
    {
        if (!(K <= 3e9))
            evals = 1e6;
        else if (K > 1e7)
            evals = FLINT_MIN(1e6, evals * sqrt(K / 1e7));
        if (K > 1e7)
            sigma *= 3;   /* exp of large arguments */
    }
    /* per integral: the majorant and tail bound, then the evaluations */
    return integrals * (300 * A + evals * (sigma + E + 10 * A)) + 10 * (E + 4 * A);
}
