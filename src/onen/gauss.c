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
    const neft_onen_act_struct * act;
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
    neft_onen_act_eval_acb(s, par->act, z, par->p == 0, prec);
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
neft_onen_gauss_integrate(arb_t res, const neft_onen_act_t act, const arb_t K,
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

    if (!arb_is_positive(K) || p < 0 || p > 4 || b < 0 || b > 3)
    {
        arb_indeterminate(res);
        return -1;
    }
    _neft_onen_act_bound(&A, &B, &C, act);
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
        par.act = act;
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
