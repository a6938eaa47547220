/* Gaussian expectations of one pre-activation, z ~ N(0, K), with their
   K-derivatives: closed forms where they exist, else rigorous integration.

   Derivatives use d^b/dK^b p_K(z) = p_K(z) He_{2b}(z/sqrt K) / (2K)^b
   (He = probabilists' Hermite polynomials; b = 1 is the familiar
   (z^2 - K)/(2K^2)), so every derivative is one more integral of sigma
   alone and non-smooth activations need no special care. */

#include "neft/onen.h"
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

/* Coefficients of He_{2b}, b <= 3, in powers of x (index = power). */
static const int hermite[4][7] = {
    { 1, 0, 0, 0, 0, 0, 0 },
    { -1, 0, 1, 0, 0, 0, 0 },
    { 3, 0, -6, 0, 1, 0, 0 },
    { -15, 0, 45, 0, -15, 0, 1 },
};

typedef struct
{
    const neft_net_struct * net;
    arb_struct sqrtk;
    slong p, b;
}
integrand_param;

/* phi(x) F(sqrt(K) x) He_{2b}(x): holomorphic wherever sigma is. */
static int
integrand(acb_ptr res, const acb_t x, void * vp, slong order, slong prec)
{
    const integrand_param * par = vp;
    acb_t z, s, h, w;
    slong j;

    if (order > 1)
        flint_abort();
    if (neft_interrupted())
    {
        /* a stop request: 0 makes Arb converge at once (an indeterminate
           value makes it bisect up to eval_limit, seconds); the meaningless
           result is replaced below */
        acb_zero(res);
        return 0;
    }
    acb_init(z); acb_init(s); acb_init(h); acb_init(w);
    acb_mul_arb(z, x, &par->sqrtk, prec);
    neft_onen_act_eval_acb(s, par->net, z, par->p == 0, prec);
    if (par->p == 0)
        acb_mul(s, s, s, prec);
    else
    {
        acb_mul(s, s, s, prec);
        acb_pow_ui(s, s, par->p, prec);
    }
    /* He_{2b}(x) by Horner */
    acb_zero(h);
    for (j = 2 * par->b; j >= 0; j--)
    {
        acb_mul(h, h, x, prec);
        acb_add_si(h, h, hermite[par->b][j], prec);
    }
    acb_mul(s, s, h, prec);
    /* phi(x) = e^{-x^2/2} / sqrt(2 pi) */
    acb_mul(w, x, x, prec);
    acb_mul_2exp_si(w, w, -1);
    acb_neg(w, w);
    acb_exp(w, w, prec);
    acb_mul(s, s, w, prec);
    arb_const_pi(acb_realref(w), prec);
    arb_mul_2exp_si(acb_realref(w), acb_realref(w), 1);
    arb_rsqrt(acb_realref(w), acb_realref(w), prec);
    arb_zero(acb_imagref(w));
    acb_mul(res, s, w, prec);
    acb_clear(z); acb_clear(s); acb_clear(h); acb_clear(w);
    return 0;
}

/* Upper bound of 2 * int_R^inf P(x) phi(x) dx for the polynomial majorant
   P(x) = sum_i c_i x^i >= |F(sqrt K x) He_{2b}(x)| (x >= 1), using
   int_R^inf x^i phi <= phi(R) R^{i-1} / (1 - (i-1)/R^2)   (R^2 > i - 1),
   int_R^inf phi <= phi(R)/R. */
static void
tail_bound(arb_t res, const arb_t R, const arb_srcptr c, slong len, slong prec)
{
    arb_t phiR, t, u;
    slong i;
    arb_init(phiR); arb_init(t); arb_init(u);
    arb_sqr(phiR, R, prec);
    arb_mul_2exp_si(phiR, phiR, -1);
    arb_neg(phiR, phiR);
    arb_exp(phiR, phiR, prec);
    arb_const_pi(t, prec);
    arb_mul_2exp_si(t, t, 1);
    arb_rsqrt(t, t, prec);
    arb_mul(phiR, phiR, t, prec);
    arb_zero(res);
    for (i = 0; i < len; i++)
    {
        if (i == 0)
            arb_div(t, phiR, R, prec);
        else
        {
            arb_sqr(u, R, prec);
            arb_inv(u, u, prec);
            arb_mul_si(u, u, i - 1, prec);
            arb_sub_ui(u, u, 1, prec);
            arb_neg(u, u);
            arb_pow_ui(t, R, i - 1, prec);
            arb_mul(t, t, phiR, prec);
            arb_div(t, t, u, prec);
        }
        arb_addmul(res, t, c + i, prec);
    }
    arb_mul_2exp_si(res, res, 1);
    arb_clear(phiR); arb_clear(t); arb_clear(u);
}

int
neft_onen_gauss_integrate(arb_t res, const neft_net_t net, const arb_t K,
                          slong p, slong b, slong prec)
{
    integrand_param par;
    acb_calc_integrate_opt_t opt;
    double A, B, C;
    arb_ptr c, lin;
    arb_t R, tail, scale, eps, sk;
    acb_t lo, hi, val;
    mag_t tol;
    slong i, j, deg, len, wp = prec + 20;
    int status = 0;

    if (!arb_is_positive(K) || p < 0 || p > 4 || b < 0 || b > 3
        || _neft_onen_act_bound(&A, &B, &C, net) != NEFT_SUCCESS)
    {
        arb_indeterminate(res);
        return -1;
    }
    arb_init(R); arb_init(tail); arb_init(scale); arb_init(eps); arb_init(sk);
    acb_init(lo); acb_init(hi); acb_init(val);
    mag_init(tol);

    /* majorant P(x) = (A + B sqrt(K) x)^{2p} (or C^2) * sum |h_j| x^j */
    arb_sqrt(sk, K, wp);
    arb_get_ubound_arf(arb_midref(sk), sk, wp);
    mag_zero(arb_radref(sk));
    deg = (p == 0 ? 0 : 2 * p) + 2 * b;
    len = deg + 1;
    c = _arb_vec_init(len);
    lin = _arb_vec_init(len);
    arb_one(lin + 0);
    if (p == 0)
    {
        arb_set_d(lin + 0, C * C);
    }
    else
    {
        /* lin = (A + B sk x)^{2p} by repeated multiplication */
        arb_t a0, a1;
        arb_init(a0); arb_init(a1);
        arb_set_d(a0, A);
        arb_set_d(a1, B);
        arb_mul(a1, a1, sk, wp);
        for (i = 0; i < 2 * p; i++)
        {
            for (j = i + 1; j >= 1; j--)
            {
                arb_mul(lin + j, lin + j, a0, wp);
                arb_addmul(lin + j, lin + j - 1, a1, wp);
            }
            arb_mul(lin + 0, lin + 0, a0, wp);
        }
        arb_clear(a0); arb_clear(a1);
    }
    for (i = 0; i <= (p == 0 ? 0 : 2 * p); i++)
        for (j = 0; j <= 2 * b; j++)
        {
            arb_t t;
            arb_init(t);
            arb_mul_si(t, lin + i, hermite[b][j] < 0 ? -hermite[b][j] : hermite[b][j], wp);
            arb_add(c + i + j, c + i + j, t, wp);
            arb_clear(t);
        }
    /* scale: a typical size, P(1) + 1 */
    arb_one(scale);
    for (i = 0; i < len; i++)
        arb_add(scale, scale, c + i, wp);
    arb_one(eps);
    arb_mul_2exp_si(eps, eps, -prec - 4);
    arb_mul(eps, eps, scale, wp);

    arb_set_ui(R, 6);
    for (;;)
    {
        tail_bound(tail, R, c, len, wp);
        if (arb_lt(tail, eps))
            break;
        arb_add_ui(R, R, 2, wp);
        if (arf_cmp_si(arb_midref(R), 200) > 0)
        {
            status = -1;
            break;
        }
    }

    if (status == 0)
    {
        par.net = net;
        arb_init(&par.sqrtk);
        arb_sqrt(&par.sqrtk, K, wp);
        par.p = p;
        par.b = b;
        acb_calc_integrate_opt_init(opt);
        opt->eval_limit = 1000000;
        acb_set_arb(lo, R);
        acb_neg(lo, lo);
        acb_set_arb(hi, R);
        arb_get_mag(tol, eps);
        if (acb_calc_integrate(val, integrand, &par, lo, hi, prec, tol, opt, wp)
                != ARB_CALC_SUCCESS)
            status = -1;
        arb_set(res, acb_realref(val));
        arb_add_error(res, tail);
        arb_clear(&par.sqrtk);
        if (neft_interrupted())
            arb_indeterminate(res);
        if (!arb_is_finite(res))
            status = -1;
    }
    else
        arb_indeterminate(res);

    _arb_vec_clear(c, len);
    _arb_vec_clear(lin, len);
    arb_clear(R); arb_clear(tail); arb_clear(scale); arb_clear(eps); arb_clear(sk);
    mag_clear(tol);
    acb_clear(lo); acb_clear(hi); acb_clear(val);
    return status;
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
    sigma = row->sigma_cost == ONEN_SIGMA_ERF ? _neft_cost_erf(prec) : _neft_cost_tanh(prec);
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
