/* Fixed points, criticality and universality classes (docs/onen.md,
   "Criticality").

   chi_perp(K) = C_W <sigma'^2>_K and chi_par(K) = C_W d<sigma^2>_K/dK
   = C_W <sigma'^2 + sigma sigma''>_K (heat equation), so at a fixed point
   K* > 0 both equal 1 iff <sigma sigma''>_K* = 0, and then
   C_W = 1/<sigma'^2>_K*, C_b = K* - C_W <sigma^2>_K*.  At K* = 0 (sigma(0) = 0,
   C_b = 0, C_W = 1/sigma'(0)^2) the flow is K -> K + a1 K^2 + ... with
   a1 = sigma'''(0)/sigma'(0) + (3/4)(sigma''(0)/sigma'(0))^2. */

#include "neft/onen.h"
#include "onen_private.h"

void
neft_onen_crit_init(neft_onen_crit_t c)
{
    c->cls = NEFT_ONEN_CLASS_NONE;
    arb_init(c->cw); arb_init(c->cb); arb_init(c->kstar);
    arb_init(c->a1); arb_init(c->slope);
    c->nroots = 0;
}

void
neft_onen_crit_clear(neft_onen_crit_t c)
{
    arb_clear(c->cw); arb_clear(c->cb); arb_clear(c->kstar);
    arb_clear(c->a1); arb_clear(c->slope);
}

/* h(K) = <sigma sigma''>_K = d<sigma^2>/dK - <sigma'^2>; also returns
   <sigma^2> and <sigma'^2>. */
static int
hfun(arb_t h, arb_t m1, arb_t perp, const neft_net_t net, const arb_t K, slong prec)
{
    arb_t t;
    int s = 0;
    arb_init(t);
    s |= neft_onen_gauss_integrate(m1, net, K, 1, 0, prec);
    s |= neft_onen_gauss_integrate(h, net, K, 1, 1, prec);
    s |= neft_onen_gauss_integrate(perp, net, K, 0, 0, prec);
    arb_mul_2exp_si(t, K, 1);
    arb_div(h, h, t, prec);
    arb_sub(h, h, perp, prec);
    arb_clear(t);
    return s;
}

int
neft_onen_critical(neft_onen_crit_t c, const neft_net_t net, double kmax, slong prec)
{
    const onen_row_struct * row = _neft_onen_row(net);
    arb_t K, lo, hi, mid, h, hlo, hm, m1, perp, t;
    arb_struct d[4];
    slong i, j, n = 48;
    int found = 0;
    double prev_k = 0;
    int prev_sign = 0;

    c->nroots = 0;
    if (row == NULL || (row->pl == ONEN_PL_NONE && row->taylor == NULL))
    {
        /* no analysis of this row (GaussNet: one hidden layer, no layer map) */
        c->cls = NEFT_ONEN_CLASS_NONE;
        arb_indeterminate(c->cw); arb_indeterminate(c->cb); arb_indeterminate(c->kstar);
        arb_indeterminate(c->a1); arb_indeterminate(c->slope);
        return NEFT_UNSUPPORTED;
    }
    if (row->pl != ONEN_PL_NONE)
    {
        fmpq_t mu, m1q, m2q;
        fmpq_init(mu); fmpq_init(m1q); fmpq_init(m2q);
        c->cls = NEFT_ONEN_CLASS_SCALE_INVARIANT;
        neft_onen_exact_moment(mu, net, 0);
        arb_set_fmpq(c->cw, mu, prec);
        arb_inv(c->cw, c->cw, prec);
        arb_zero(c->cb);
        arb_zero(c->kstar);   /* every K is a fixed point: marginal line */
        arb_zero(c->a1);
        /* slope = C_W^2 (mu_2 - mu_1^2) */
        neft_onen_exact_moment(m1q, net, 1);
        neft_onen_exact_moment(m2q, net, 2);
        fmpq_mul(m1q, m1q, m1q);
        fmpq_sub(m2q, m2q, m1q);
        arb_set_fmpq(c->slope, m2q, prec);
        arb_mul(c->slope, c->slope, c->cw, prec);
        arb_mul(c->slope, c->slope, c->cw, prec);
        fmpq_clear(mu); fmpq_clear(m1q); fmpq_clear(m2q);
        return 0;
    }
    for (i = 0; i < 4; i++)
        arb_init(d + i);
    arb_init(K); arb_init(lo); arb_init(hi); arb_init(mid); arb_init(h);
    arb_init(hlo); arb_init(hm); arb_init(m1); arb_init(perp); arb_init(t);
    _arb_vec_zero(d, 4);
    row->taylor(d, prec);
    arb_zero(c->slope);
    if (arb_is_zero(d + 0) && !arb_is_zero(d + 1))
    {
        /* K* = 0 critical point */
        arb_sqr(c->cw, d + 1, prec);
        arb_inv(c->cw, c->cw, prec);
        arb_zero(c->cb);
        arb_zero(c->kstar);
        arb_div(c->a1, d + 3, d + 1, prec);
        arb_div(t, d + 2, d + 1, prec);
        arb_sqr(t, t, prec);
        arb_mul_ui(t, t, 3, prec);
        arb_mul_2exp_si(t, t, -2);
        arb_add(c->a1, c->a1, t, prec);
        c->cls = arb_is_negative(c->a1) ? NEFT_ONEN_CLASS_K0 : NEFT_ONEN_CLASS_K0_UNSTABLE;
        if (c->cls == NEFT_ONEN_CLASS_K0)
            found = 1;
    }
    else
    {
        c->cls = NEFT_ONEN_CLASS_NONE;
        arb_zero(c->a1);
    }

    /* K* > 0: sign changes of h on a log grid over [kmax 2^-20, kmax] */
    for (i = 0; i <= n; i++)
    {
        double k = kmax * pow(2.0, -20.0 + 20.0 * i / n);
        int sign;
        arb_set_d(K, k);
        if (hfun(h, m1, perp, net, K, prec))
            continue;
        sign = arb_is_positive(h) ? 1 : arb_is_negative(h) ? -1 : 0;
        if (i > 0 && sign != 0 && prev_sign != 0 && sign != prev_sign)
        {
            arb_set_d(lo, prev_k);
            arb_set_d(hi, k);
            for (j = 0; j < 60; j++)
            {
                arb_add(mid, lo, hi, prec);
                arb_mul_2exp_si(mid, mid, -1);
                if (hfun(hm, m1, perp, net, mid, prec))
                    break;
                if (!arb_is_positive(hm) && !arb_is_negative(hm))
                    break;
                if ((arb_is_positive(hm) ? 1 : -1) == prev_sign)
                    arb_set(lo, mid);
                else
                    arb_set(hi, mid);
            }
            /* K* lies in [lo, hi] (h changes sign there) */
            arb_union(K, lo, hi, prec);
            hfun(hm, m1, perp, net, K, prec);
            arb_inv(t, perp, prec);          /* C_W */
            arb_mul(hm, t, m1, prec);
            arb_sub(hm, K, hm, prec);        /* C_b */
            if (!arb_is_negative(hm))
            {
                c->nroots++;
                if (!found)
                {
                    found = 1;
                    c->cls = NEFT_ONEN_CLASS_NONZERO;
                    arb_set(c->kstar, K);
                    arb_set(c->cw, t);
                    arb_set(c->cb, hm);
                }
            }
        }
        if (sign != 0)
        {
            prev_sign = sign;
            prev_k = k;
        }
    }
    if (c->cls == NEFT_ONEN_CLASS_NONE || c->cls == NEFT_ONEN_CLASS_K0_UNSTABLE)
    {
        if (c->cls == NEFT_ONEN_CLASS_NONE)
        {
            arb_indeterminate(c->cw); arb_indeterminate(c->cb); arb_indeterminate(c->kstar);
        }
    }
    for (i = 0; i < 4; i++)
        arb_clear(d + i);
    arb_clear(K); arb_clear(lo); arb_clear(hi); arb_clear(mid); arb_clear(h);
    arb_clear(hlo); arb_clear(hm); arb_clear(m1); arb_clear(perp); arb_clear(t);
    return 0;
}

void
neft_onen_power_fit(double * p, double * coef, const double * y, slong n, slong first)
{
    double l1, l0;
    if (n < 2 || y[n - 1] <= 0 || y[n - 2] <= 0)
    {
        *p = NAN;
        *coef = NAN;
        return;
    }
    l1 = (double) (first + n - 1);
    l0 = l1 - 1;
    *p = log(y[n - 1] / y[n - 2]) / log(l1 / l0);
    *coef = y[n - 1] / pow(l1, *p);
}
