/* Closed forms of the Gaussian expectations onen has for an activation
   (the methods its table in src/onen/act.c points to): the single-input
   moments d^b/dK^b <sigma^{2p}>_K and <sigma'^2>_K, and the two-input
   <sigma(u) sigma(v)>.  Each function is one row's; none is reached for
   another row. */

#include "neft/onen.h"
#include "onen_private.h"

/* ---- closed forms of the single-input moments ------------------------ */

int
_neft_onen_pl_slopes(fmpq_t ap, fmpq_t am, const neft_net_t net)
{
    const onen_row_struct * row = _neft_onen_row(net);
    if (row == NULL)
        return NEFT_UNSUPPORTED;
    fmpq_one(ap);
    if (row->pl == ONEN_PL_ZERO)
        fmpq_zero(am);
    else if (row->pl == ONEN_PL_PARAM)
        fmpq_set(am, net->param);
    else if (row->pl == ONEN_PL_ONE)
        fmpq_one(am);
    else
        return NEFT_UNSUPPORTED;
    return NEFT_SUCCESS;
}

/* <sigma^{2p}>_K = (2p-1)!! (a_+^{2p} + a_-^{2p}) / 2 * K^p (half-Gaussian
   moments on each side); <sigma'^2> = (a_+^2 + a_-^2)/2 (p = 0). */
int
neft_onen_exact_moment(fmpq_t mu, const neft_net_t net, slong p)
{
    const onen_row_struct * row = _neft_onen_row(net);
    fmpq_t ap, am, t;
    slong j;

    if (row == NULL || p < 0)
        return NEFT_UNSUPPORTED;
    fmpq_init(ap); fmpq_init(am); fmpq_init(t);
    if (_neft_onen_pl_slopes(ap, am, net) != NEFT_SUCCESS)
    {
        fmpq_clear(ap); fmpq_clear(am); fmpq_clear(t);
        return NEFT_UNSUPPORTED;
    }
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
    return NEFT_SUCCESS;
}

/* piecewise linear: d^b/dK^b mu_p K^p = mu_p p!/(p-b)! K^{p-b} */
void
_neft_onen_moments_pl(neft_onen_gauss_t g, const neft_net_t net, const arb_t K, const arb_t k1,
           slong prec)
{
    slong p, b, j;
    arb_t t, Kj;
    fmpq_t mu;
    (void) k1;
    arb_init(t); arb_init(Kj);
    fmpq_init(mu);
    for (p = 1; p <= 4; p++)
        for (b = 0; b <= 4 - p; b++)
        {
            neft_onen_exact_moment(mu, net, p);
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
    neft_onen_exact_moment(mu, net, 0);
    arb_set_fmpq(&g->perp, mu, prec);
    arb_clear(t); arb_clear(Kj);
    fmpq_clear(mu);
}

/* sin: sin^{2p} z = 4^{-p} [C(2p,p) + 2 sum_{j<p} (-1)^{p-j} C(2p,j) cos((2p-2j) z)]
   and <cos(w z)>_K = e^{-w^2 K/2}. */
void
_neft_onen_moments_sin(neft_onen_gauss_t g, const neft_net_t net, const arb_t K, const arb_t k1,
            slong prec)
{
    slong p, b, j, w;
    arb_t e, t, c;
    fmpz_t binom;
    (void) net; (void) k1;
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
   <erf'^2>_K = (4/pi) / sqrt(1 + 4K).  (p = 1 and perp only.) */
void
_neft_onen_moments_erf(neft_onen_gauss_t g, const neft_net_t net, const arb_t K, const arb_t k1,
            slong prec)
{
    arb_poly_t u, num, den;
    arb_t t, pi;
    slong b;
    (void) net; (void) k1;
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

/* GaussNet, sigma(z) = exp(z - k) with k = K^(1) of the input: sigma^{2p} =
   e^{2p z - 2p k} and <e^{2p z}>_K = e^{2 p^2 K}, so
   d^b/dK^b <sigma^{2p}>_K = (2p^2)^b e^{2p^2 K - 2p k}; sigma' = sigma. */
void
_neft_onen_moments_gauss(neft_onen_gauss_t g, const neft_net_t net, const arb_t K, const arb_t k1,
              slong prec)
{
    slong p, b;
    arb_t e, t;
    (void) net;
    arb_init(e); arb_init(t);
    for (p = 1; p <= 4; p++)
    {
        arb_mul_si(e, K, 2 * p * p, prec);
        arb_mul_si(t, k1, 2 * p, prec);
        arb_sub(e, e, t, prec);
        arb_exp(e, e, prec);
        for (b = 0; b <= 4 - p; b++)
        {
            arb_set_si(t, 2 * p * p);
            arb_pow_ui(t, t, b, prec);
            arb_mul(&g->m[p][b], e, t, prec);
        }
    }
    arb_set(&g->perp, &g->m[1][0]);
    arb_clear(e); arb_clear(t);
}

/* ---- two-input expectations <sigma(u) sigma(v)> ----------------------- */

void
_neft_onen_pair_linear(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
            const arb_t kab, slong prec)
{
    (void) net; (void) kaa; (void) kbb; (void) prec;
    arb_set(res, kab);
}

/* relu: sqrt(Kaa Kbb)/(2 pi) (sin t + (pi - t) cos t), cos t = Kab/sqrt(Kaa Kbb)
   (Cho-Saul arc-cosine kernel); leaky: s Kab + (1-s)^2 <relu relu>
   (sigma = s z + (1-s) relu z). */
static void
pair_relu_leaky(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
                const arb_t kab, slong prec, int leaky)
{
    arb_t t, u, c, th, s;
    arb_init(t); arb_init(u); arb_init(c); arb_init(th); arb_init(s);
    arb_mul(t, kaa, kbb, prec);
    arb_sqrt(t, t, prec);
    arb_div(c, kab, t, prec);
    /* clamp rounding: |cos t| <= 1 by Cauchy-Schwarz */
    arb_set_si(u, -1); arb_max(c, c, u, prec);
    arb_one(u); arb_min(c, c, u, prec);
    arb_sqr(u, c, prec);
    arb_sub_ui(u, u, 1, prec);
    arb_neg(u, u);
    arb_sqrtpos(u, u, prec);                 /* sin t */
    /* t = atan2(sin t, cos t): arb_acos is NaN on balls that touch +-1
       (identical or collinear inputs) */
    arb_atan2(th, u, c, prec);
    arb_const_pi(s, prec);
    arb_sub(th, s, th, prec);                /* pi - t */
    arb_mul(th, th, c, prec);
    arb_add(u, u, th, prec);
    arb_mul(u, u, t, prec);
    arb_mul_2exp_si(s, s, 1);
    arb_div(res, u, s, prec);
    if (leaky)
    {
        neft_net_param_arb(s, net, prec);
        arb_sub_ui(t, s, 1, prec);
        arb_sqr(t, t, prec);
        arb_mul(res, res, t, prec);          /* (1-s)^2 <relu relu> */
        arb_mul(t, s, kab, prec);            /* s^2 Kab + s(1-s) Kab = s Kab */
        arb_add(res, res, t, prec);
    }
    arb_clear(t); arb_clear(u); arb_clear(c); arb_clear(th); arb_clear(s);
}

void
_neft_onen_pair_relu(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
          const arb_t kab, slong prec)
{
    pair_relu_leaky(res, net, kaa, kbb, kab, prec, 0);
}

void
_neft_onen_pair_leaky(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
           const arb_t kab, slong prec)
{
    pair_relu_leaky(res, net, kaa, kbb, kab, prec, 1);
}

/* erf: (2/pi) asin(2 Kab / sqrt((1 + 2Kaa)(1 + 2Kbb))) */
void
_neft_onen_pair_erf(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
         const arb_t kab, slong prec)
{
    arb_t t, u;
    (void) net;
    arb_init(t); arb_init(u);
    arb_mul_2exp_si(t, kaa, 1); arb_add_ui(t, t, 1, prec);
    arb_mul_2exp_si(u, kbb, 1); arb_add_ui(u, u, 1, prec);
    arb_mul(t, t, u, prec);
    arb_rsqrt(t, t, prec);
    arb_mul(t, t, kab, prec);
    arb_mul_2exp_si(t, t, 1);
    arb_asin(t, t, prec);
    arb_const_pi(u, prec);
    arb_div(t, t, u, prec);
    arb_mul_2exp_si(res, t, 1);
    arb_clear(t); arb_clear(u);
}

/* res = e^{s - (Kaa + Kbb)/2} with s = kab, or s = 0 when kab is NULL */
static void
exp_minus_half_diag(arb_t res, const arb_t kab, const arb_t kaa, const arb_t kbb, slong prec)
{
    arb_add(res, kaa, kbb, prec);
    arb_mul_2exp_si(res, res, -1);
    if (kab == NULL)
        arb_neg(res, res);
    else
        arb_sub(res, kab, res, prec);
    arb_exp(res, res, prec);
}

/* sin: e^{-(Kaa + Kbb)/2} sinh(Kab) */
void
_neft_onen_pair_sin(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
         const arb_t kab, slong prec)
{
    arb_t s;
    arb_init(s);
    exp_minus_half_diag(res, NULL, kaa, kbb, prec);
    arb_sinh(s, kab, prec);
    arb_mul(res, res, s, prec);
    arb_clear(s);
    (void) net;
}

/* GaussNet at layer 1 (k_a = Kaa, k_b = Kbb):
   e^{-k_a - k_b} <e^{u + v}> = e^{Kab - (Kaa + Kbb)/2}. */
void
_neft_onen_pair_gauss(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
           const arb_t kab, slong prec)
{
    (void) net;
    exp_minus_half_diag(res, kab, kaa, kbb, prec);
}
