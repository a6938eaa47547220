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
neft_onen_gauss_integrate(arb_t res, const neft_onen_act_t act, const arb_t K,
                          slong p, slong b, slong prec)
{
    neft_act_srcptr row = _neft_onen_act_row(act->kind);
    char err[256];
    arb_t par;
    int status;

    if (row == NULL || !arb_is_positive(K) || p < 0 || p > 4 || b < 0 || b > 3)
    {
        arb_indeterminate(res);
        return -1;
    }
    arb_init(par);
    if (row->nparams > 0)
        arb_set_fmpq(par, act->slope, prec);
    /* F = sigma^{2p}, or sigma'^2 for p = 0 */
    status = neft_gaussexp_hermite(res, row, row->nparams > 0 ? par : NULL, p == 0,
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

/* sin: sin^{2p} z = 4^{-p} [C(2p,p) + 2 sum_{j<p} (-1)^{p-j} C(2p,j) cos((2p-2j) z)]
   and <cos(w z)>_K = e^{-w^2 K/2}. */
static void
sin_moments(neft_onen_gauss_t g, const arb_t K, slong prec)
{
    slong p, b, j, w;
    arb_t e, t, c;
    fmpz_t binom;
    arb_init(e); arb_init(t); arb_init(c);
    fmpz_init(binom);
    for (p = 1; p <= 4; p++)
        for (b = 0; b <= 4 - p; b++)
        {
            arb_zero(&g->m[p][b]);
            if (b == 0)
            {
                fmpz_bin_uiui(binom, 2 * p, p);
                arb_set_fmpz(&g->m[p][b], binom);
            }
            for (j = 0; j < p; j++)
            {
                w = 2 * p - 2 * j;
                /* d^b/dK^b e^{-w^2 K/2} = (-w^2/2)^b e^{-w^2 K/2} */
                arb_mul_si(e, K, -w * w, prec);
                arb_mul_2exp_si(e, e, -1);
                arb_exp(e, e, prec);
                arb_set_si(c, -w * w);
                arb_mul_2exp_si(c, c, -1);
                arb_pow_ui(c, c, b, prec);
                arb_mul(e, e, c, prec);
                fmpz_bin_uiui(binom, 2 * p, j);
                arb_mul_fmpz(e, e, binom, prec);
                arb_mul_2exp_si(e, e, 1);
                if ((p - j) % 2)
                    arb_neg(e, e);
                arb_add(&g->m[p][b], &g->m[p][b], e, prec);
            }
            arb_mul_2exp_si(&g->m[p][b], &g->m[p][b], -2 * p);
        }
    /* <cos^2> = (1 + e^{-2K})/2 */
    arb_mul_si(t, K, -2, prec);
    arb_exp(t, t, prec);
    arb_add_ui(t, t, 1, prec);
    arb_mul_2exp_si(&g->perp, t, -1);
    arb_clear(e); arb_clear(t); arb_clear(c);
    fmpz_clear(binom);
}

/* erf: <erf^2>_K = (2/pi) asin(2K/(1+2K)) as a power series in dK;
   <erf'^2>_K = (4/pi) / sqrt(1 + 4K). */
static void
erf_closed(neft_onen_gauss_t g, const arb_t K, slong prec)
{
    arb_poly_t u, num, den;
    arb_t t, pi;
    slong b;
    arb_poly_init(u); arb_poly_init(num); arb_poly_init(den);
    arb_init(t); arb_init(pi);
    arb_mul_2exp_si(t, K, 1);
    arb_poly_set_coeff_arb(num, 0, t);
    arb_poly_set_coeff_si(num, 1, 2);
    arb_add_ui(t, t, 1, prec);
    arb_poly_set_coeff_arb(den, 0, t);
    arb_poly_set_coeff_si(den, 1, 2);
    arb_poly_div_series(u, num, den, 4, prec);
    arb_poly_asin_series(u, u, 4, prec);
    arb_const_pi(pi, prec);
    for (b = 0; b < 4; b++)
    {
        arb_poly_get_coeff_arb(t, u, b);
        arb_fac_ui(&g->m[1][b], b, prec);          /* b! * coefficient */
        arb_mul(t, t, &g->m[1][b], prec);
        arb_mul_2exp_si(t, t, 1);
        arb_div(&g->m[1][b], t, pi, prec);
    }
    arb_mul_2exp_si(t, K, 2);
    arb_add_ui(t, t, 1, prec);
    arb_rsqrt(t, t, prec);
    arb_mul_2exp_si(t, t, 2);
    arb_div(&g->perp, t, pi, prec);
    arb_poly_clear(u); arb_poly_clear(num); arb_poly_clear(den);
    arb_clear(t); arb_clear(pi);
}

int
neft_onen_gauss_eval(neft_onen_gauss_t g, const neft_onen_act_t act, const arb_t K,
                     slong prec)
{
    slong p, b, j;
    int status = 0;
    arb_t t, Kj;
    fmpq_t mu;

    if (neft_onen_act_is_scale_invariant(act))
    {
        /* d^b/dK^b mu_p K^p = mu_p p!/(p-b)! K^{p-b} */
        arb_init(t); arb_init(Kj);
        fmpq_init(mu);
        for (p = 1; p <= 4; p++)
            for (b = 0; b <= 4 - p; b++)
            {
                neft_onen_act_exact_moment(mu, act, p);
                if (b > p)
                {
                    arb_zero(&g->m[p][b]);
                    continue;
                }
                arb_set_fmpq(t, mu, prec);
                for (j = 0; j < b; j++)
                    arb_mul_si(t, t, p - j, prec);
                arb_pow_ui(Kj, K, p - b, prec);
                arb_mul(&g->m[p][b], t, Kj, prec);
            }
        neft_onen_act_exact_moment(mu, act, 0);
        arb_set_fmpq(&g->perp, mu, prec);
        arb_clear(t); arb_clear(Kj);
        fmpq_clear(mu);
        return 0;
    }
    if (act->kind == NEFT_ONEN_SIN)
    {
        sin_moments(g, K, prec);
        return 0;
    }
    if (!arb_is_positive(K))
    {
        for (p = 0; p < 5; p++)
            for (b = 0; b < 4; b++)
                arb_indeterminate(&g->m[p][b]);
        arb_indeterminate(&g->perp);
        return -1;
    }
    arb_init(t);
    arb_init(Kj);
    if (act->kind == NEFT_ONEN_ERF)
        erf_closed(g, K, prec);
    for (p = (act->kind == NEFT_ONEN_ERF ? 2 : 1); p <= 4; p++)
        for (b = 0; b <= 4 - p; b++)
        {
            status |= neft_onen_gauss_integrate(&g->m[p][b], act, K, p, b, prec);
            /* divide by (2K)^b */
            arb_mul_2exp_si(t, K, 1);
            arb_pow_ui(t, t, b, prec);
            arb_div(&g->m[p][b], &g->m[p][b], t, prec);
        }
    if (act->kind != NEFT_ONEN_ERF)
        status |= neft_onen_gauss_integrate(&g->perp, act, K, 0, 0, prec);
    arb_clear(t);
    arb_clear(Kj);
    return status ? -1 : 0;
}

double
neft_onen_gauss_cost(const neft_onen_act_t act, double K, slong prec)
{
    double A = _neft_cost_arb(prec), E = _neft_cost_exp(prec), sigma, integrals, evals;
    if (neft_onen_act_is_scale_invariant(act))
        return 15 * (E + 4 * A);
    if (act->kind == NEFT_ONEN_SIN)
        return 30 * (E + 4 * A);
    sigma = (act->kind == NEFT_ONEN_ERF || act->kind == NEFT_ONEN_GELU)
          ? _neft_cost_erf(prec) : _neft_cost_tanh(prec);
    integrals = act->kind == NEFT_ONEN_ERF ? 6 : 11;
    evals = 8.0 * (double) prec + 400;
    /* tanh and the logistic functions have poles at distance ~ 1/sqrt(K) from
       the real line: beyond K ~ 1e7 the evaluations grow like sqrt(K), and
       beyond ~ 3e9 they reach the limit of 10^6 per integral (measured) */
    if (act->kind == NEFT_ONEN_TANH || act->kind == NEFT_ONEN_SIGMOID
        || act->kind == NEFT_ONEN_SILU)
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
