/* The neural tangent kernel at leading order (infinite width), Roberts-
   Yaida-Hanin conventions (docs/onen.md, "The neural tangent kernel"):
   learning rates lambda_b for every bias and lambda_W / n_{l-1} for every
   weight of layer l, so that

     Theta^(1)_ab   = lambda_b + lambda_W x_a.x_b / n_0
     Theta^(l+1)_ab = lambda_b + lambda_W <sigma_a sigma_b>_{K^(l)}
                      + C_W <sigma'_a sigma'_b>_{K^(l)} Theta^(l)_ab.

   One input: <sigma^2> = (K^(l+1) - C_b)/C_W and C_W <sigma'^2> = chi_perp
   come from the layer table of neft_onen_single (or its exact rationals).
   Several inputs: the two-input expectations <sigma_a sigma_b> and
   <sigma'_a sigma'_b> in closed form for the rows that have one (relu,
   leaky-relu, linear, erf, sin, gauss), otherwise by the rigorous 2-D
   Gaussian-expectation integrator (neft/gaussexp.h). */

#include <string.h>
#include "neft/onen.h"
#include "neft/gaussexp.h"
#include "ntk2.h"
#include "../cost.h"

/* Theta^(1) = lambda_b + lambda_W (K^(1) - C_b)/C_W (one input) */
static void
theta1_arb(arb_t th, const arb_t k1, const arb_t cw, const arb_t cb, const arb_t lb,
           const arb_t lw, slong prec)
{
    arb_sub(th, k1, cb, prec);
    arb_div(th, th, cw, prec);
    arb_mul(th, th, lw, prec);
    arb_add(th, th, lb, prec);
}

int
neft_onen_ntk_single(arb_ptr theta, const neft_onen_layer_struct * layers,
                     const neft_onen_params_t par, const fmpq_t lambda_b,
                     const fmpq_t lambda_w)
{
    slong l, depth = par->net->depth, prec = par->prec;
    arb_t cw, cb, lb, lw, t;
    int status = 0;

    arb_init(cw); arb_init(cb); arb_init(lb); arb_init(lw); arb_init(t);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    arb_set_fmpq(lb, lambda_b, prec);
    arb_set_fmpq(lw, lambda_w, prec);
    theta1_arb(theta, layers[0].K, cw, cb, lb, lw, prec);
    for (l = 1; l < depth; l++)
    {
        /* lambda_W <sigma^2>_{K^(l)} = lambda_W (K^(l+1) - C_b)/C_W */
        theta1_arb(t, layers[l].K, cw, cb, lb, lw, prec);
        arb_addmul(t, layers[l - 1].chi_perp, theta + l - 1, prec);
        arb_swap(theta + l, t);
    }
    for (l = 0; l < depth; l++)
        if (!arb_is_finite(theta + l))
            status = -1;
    arb_clear(cw); arb_clear(cb); arb_clear(lb); arb_clear(lw); arb_clear(t);
    return status;
}

int
neft_onen_ntk_single_exact(fmpq * theta, const neft_onen_exact_struct * E,
                           const neft_net_t net, const fmpq_t lambda_b,
                           const fmpq_t lambda_w)
{
    slong l, depth = net->depth;
    fmpq_t t;

    if (!neft_onen_is_scale_invariant(net))
        return NEFT_UNSUPPORTED;
    fmpq_init(t);
    for (l = 0; l < depth; l++)
    {
        if (neft_interrupted())
        {
            fmpq_clear(t);
            return NEFT_INTERRUPTED;
        }
        fmpq_sub(t, E[l].K, net->cb);
        fmpq_div(t, t, net->cw);
        fmpq_mul(t, t, lambda_w);
        fmpq_add(t, t, lambda_b);
        if (l > 0)
            fmpq_addmul(t, E[l - 1].chi_perp, theta + l - 1);
        fmpq_swap(theta + l, t);
    }
    fmpq_clear(t);
    return NEFT_SUCCESS;
}

/* ---- two-input expectations ------------------------------------------- */

/* theta = atan2(sqrt(Kaa Kbb - Kab^2), Kab) in [0, pi], the angle between
   the two inputs of the arc-cosine kernels */
static void
pair_angle(arb_t th, const arb_t kaa, const arb_t kbb, const arb_t kab, slong prec)
{
    arb_t d;
    arb_init(d);
    arb_mul(d, kaa, kbb, prec);
    arb_submul(d, kab, kab, prec);
    arb_sqrtpos(d, d, prec);
    arb_atan2(th, d, kab, prec);
    arb_clear(d);
}

/* How ntk_pair gets the off-diagonal <sigma_a sigma_b> (ss) and <sigma'_a
   sigma'_b> (dd), decided in this one place for ntk_pair and
   neft_onen_ntk_matrix_cost */
typedef enum
{
    PAIR_POLY,        /* tanh, sigmoid (ntk2_gauss.c's table of rows with sigma' =
                         Q(sigma)): both from the moments of degree <= 4 of one call
                         of the 2-D grid rule (2^-40) */
    PAIR_ROW,         /* ss from the row's closed pair formula, else integrated */
    PAIR_INTEGRATED   /* ss by neft_gaussexp_product (Mehler's series or the
                         Cartesian rule, 2^-prec) */
}
pair_route_t;

/* the rows with a closed <sigma' sigma'> */
typedef enum { DD_NONE, DD_PL, DD_ERF, DD_SIN, DD_GAUSS } dd_kind_t;

static pair_route_t
pair_route(const neft_net_t net)
{
    const onen_row_struct * row = _neft_onen_row(net);
    if (_neft_onen_ntk2_is_poly(net))
        return PAIR_POLY;
    return row != NULL && row->pair != NULL ? PAIR_ROW : PAIR_INTEGRATED;
}

static dd_kind_t
dd_kind(const neft_net_t net)
{
    const char * name = net->act->name;
    if (neft_onen_is_scale_invariant(net))
        return DD_PL;
    if (!strcmp(name, "erf"))
        return DD_ERF;
    if (!strcmp(name, "sin"))
        return DD_SIN;
    if (!strcmp(name, "gauss"))
        return DD_GAUSS;
    return DD_NONE;
}

/* <sigma'_a sigma'_b> in closed form for the rows that have one; 0, or -1
   when the row has none */
static int
dpair_closed(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
             const arb_t kab, slong prec)
{
    dd_kind_t kind = dd_kind(net);
    arb_t t, u;
    int r = 0;

    arb_init(t); arb_init(u);
    if (kind == DD_PL)
    {
        /* sigma' = a_- + (a_+ - a_-) H(z):
           a_-^2 + a_-(a_+ - a_-) + (a_+ - a_-)^2 (pi - theta)/(2 pi) */
        fmpq_t ap, am, d;
        fmpq_init(ap); fmpq_init(am); fmpq_init(d);
        _neft_onen_pl_slopes(ap, am, net);
        fmpq_sub(d, ap, am);
        pair_angle(t, kaa, kbb, kab, prec);
        arb_const_pi(u, prec);
        arb_sub(t, u, t, prec);
        arb_div(t, t, u, prec);
        arb_mul_2exp_si(t, t, -1);
        arb_mul_fmpz(t, t, fmpq_numref(d), prec);
        arb_mul_fmpz(t, t, fmpq_numref(d), prec);
        arb_div_fmpz(t, t, fmpq_denref(d), prec);
        arb_div_fmpz(t, t, fmpq_denref(d), prec);
        fmpq_mul(d, d, am);
        fmpq_addmul(d, am, am);
        arb_set_fmpq(u, d, prec);
        arb_add(res, t, u, prec);
        fmpq_clear(ap); fmpq_clear(am); fmpq_clear(d);
    }
    else if (kind == DD_ERF)
    {
        /* (4/pi) / sqrt((1 + 2Kaa)(1 + 2Kbb) - 4 Kab^2) */
        arb_mul_2exp_si(t, kaa, 1); arb_add_ui(t, t, 1, prec);
        arb_mul_2exp_si(u, kbb, 1); arb_add_ui(u, u, 1, prec);
        arb_mul(t, t, u, prec);
        arb_sqr(u, kab, prec);
        arb_mul_2exp_si(u, u, 2);
        arb_sub(t, t, u, prec);
        arb_rsqrt(t, t, prec);
        arb_const_pi(u, prec);
        arb_div(t, t, u, prec);
        arb_mul_2exp_si(res, t, 2);
    }
    else if (kind == DD_SIN)
    {
        /* <cos u cos v> = e^{-(Kaa + Kbb)/2} cosh Kab */
        arb_add(t, kaa, kbb, prec);
        arb_mul_2exp_si(t, t, -1);
        arb_neg(t, t);
        arb_exp(t, t, prec);
        arb_cosh(u, kab, prec);
        arb_mul(res, t, u, prec);
    }
    else if (kind == DD_GAUSS)
        _neft_onen_pair_gauss(res, net, kaa, kbb, kab, prec);   /* sigma' = sigma */
    else
        r = -1;
    arb_clear(t); arb_clear(u);
    return r;
}

/* E[sigma^(deriv)(u) sigma^(deriv)(v)] by the 2-D integrator, (u, v) of
   covariance [[kaa, kab], [kab, kbb]] factored as u = sqrt(kaa) xi_1,
   v = (kab/sqrt(kaa)) xi_1 + sqrt(kbb - kab^2/kaa) xi_2.  0, or -1 (res
   indeterminate) when not certified. */
static int
pair_integrated(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
                const arb_t kab, int deriv, slong prec)
{
    arb_ptr u = _arb_vec_init(4);
    arb_t s, par;
    char err[256];
    int r;

    arb_init(s); arb_init(par);
    arb_sqrtpos(u + 0, kaa, prec);
    arb_zero(u + 1);
    arb_div(u + 2, kab, u + 0, prec);
    arb_sqr(s, u + 2, prec);
    arb_sub(s, kbb, s, prec);
    arb_sqrtpos(u + 3, s, prec);
    if (net->act->nparams)
        neft_net_param_arb(par, net, prec);
    r = neft_gaussexp_product(res, net->act, net->act->nparams ? par : NULL, deriv, u, 2, 2,
                              0, prec, err, sizeof err);
    if (r != NEFT_SUCCESS && r != NEFT_NO_CONVERGENCE)
    {
        arb_indeterminate(res);
        r = -1;
    }
    else
        r = arb_is_finite(res) ? 0 : -1;
    _arb_vec_clear(u, 4);
    arb_clear(s); arb_clear(par);
    return r;
}

int
neft_onen_ntk_has(const neft_net_t net, const char ** reason)
{
    const onen_row_struct * row = _neft_onen_row(net);
    static _Thread_local char why[512];
    char err[200];
    if (!neft_onen_has(net, NEFT_ONEN_CAP_MOMENTS, reason))
        return 0;
    if (row->pair != NULL)
        return 1;
    if (neft_gaussexp_supported(net->act, 0, err, sizeof err)
        && neft_gaussexp_supported(net->act, 1, err, sizeof err))
        return 1;
    if (reason != NULL)
    {
        snprintf(why, sizeof why, "%s: no two-input expectation in closed form and the "
                 "integrator cannot bound it (%s)", net->act->name, err);
        *reason = why;
    }
    return 0;
}

/* <sigma_a sigma_b> and <sigma'_a sigma'_b>: 0, or -1 if not certified */
static int
ntk_pair(arb_t ss, arb_t dd, const neft_net_t net, const arb_t kaa,
                    const arb_t kbb, const arb_t kab, slong prec)
{
    const onen_row_struct * row = _neft_onen_row(net);
    pair_route_t route = pair_route(net);
    int r = 0;
    if (route == PAIR_POLY)
    {
        /* tanh, sigmoid: the 2-D rule's moments (2^-40), as the O(1/n)
           tables, one call for both (measured: 0.06 s of CPU for onen --ntk
           where neft_gaussexp_product's Mehler series, 2^-prec, takes
           0.1-0.3 s per expectation) */
        arb_ptr K = _arb_vec_init(4);
        char err[256];
        arb_set(K + 0, kaa); arb_set(K + 1, kab); arb_set(K + 2, kab); arb_set(K + 3, kbb);
        r = _neft_onen_ntk2_pair_poly(ss, dd, net, K, prec, err, sizeof err) ? -1 : 0;
        _arb_vec_clear(K, 4);
        return r;
    }
    if (route == PAIR_ROW)
        row->pair(ss, net, kaa, kbb, kab, prec);
    else
        r |= pair_integrated(ss, net, kaa, kbb, kab, 0, prec);
    if (dpair_closed(dd, net, kaa, kbb, kab, prec))
        r |= pair_integrated(dd, net, kaa, kbb, kab, 1, prec);
    if (!arb_is_finite(ss) || !arb_is_finite(dd))
        r = -1;
    return r;
}

/* <sigma^2> and <sigma'^2> at K (one input; k1 the layer-1 kernel, for
   gauss): a row with no closed moments integrates just these two (not the
   whole table of neft_onen_gauss_eval: 2 integrals instead of 11, the same
   balls).  0, or -1 if not certified */
static int
ntk_diag(arb_t ss, arb_t dd, const neft_net_t net, const arb_t K, const arb_t k1, slong prec)
{
    const onen_row_struct * row = _neft_onen_row(net);
    neft_onen_gauss_t g;
    int r;
    if (row != NULL && row->closed_p == 0 && arb_is_positive(K))
    {
        r = neft_onen_gauss_integrate(ss, net, K, 1, 0, prec);
        r |= neft_onen_gauss_integrate(dd, net, K, 0, 0, prec);
        return r ? -1 : 0;
    }
    neft_onen_gauss_init(g);
    r = neft_onen_gauss_eval(g, net, K, k1, prec);
    arb_set(ss, &g->m[1][0]);
    arb_set(dd, &g->perp);
    neft_onen_gauss_clear(g);
    return r;
}

int
neft_onen_ntk_matrix(arb_ptr kernels, arb_ptr ntk, const neft_onen_params_t par,
                     const fmpq_t lambda_b, const fmpq_t lambda_w, arb_srcptr x,
                     slong npoints, slong d_in)
{
    slong P = npoints, l, a, b, i, prec = par->prec, depth = par->net->depth;
    arb_t ss, dd, cw, cb, lb, lw, t;
    int status = 0;

    if (!neft_onen_ntk_has(par->net, NULL)
        || neft_onen_check_depth(par->net, NULL) != NEFT_SUCCESS)
    {
        for (i = 0; i < depth * P * P; i++)
        {
            arb_indeterminate(kernels + i);
            arb_indeterminate(ntk + i);
        }
        return NEFT_UNSUPPORTED;
    }
    arb_init(ss); arb_init(dd); arb_init(cw); arb_init(cb); arb_init(lb); arb_init(lw);
    arb_init(t);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    arb_set_fmpq(lb, lambda_b, prec);
    arb_set_fmpq(lw, lambda_w, prec);
    _neft_onen_kernel1(kernels, x, P, d_in, cw, cb, prec);
    for (i = 0; i < P * P; i++)
        theta1_arb(ntk + i, kernels + i, cw, cb, lb, lw, prec);
    for (l = 1; l < depth && status == 0; l++)
    {
        arb_srcptr Kl = kernels + (l - 1) * P * P, Tl = ntk + (l - 1) * P * P;
        arb_ptr Kn = kernels + l * P * P, Tn = ntk + l * P * P;
        for (a = 0; a < P && status == 0; a++)
            for (b = a; b < P && status == 0; b++)
            {
                if (neft_interrupted())
                {
                    status = -1;
                    break;
                }
                if (a == b)
                    status |= ntk_diag(ss, dd, par->net, Kl + a * P + a, kernels + a * P + a,
                                       prec);
                else
                    status |= ntk_pair(ss, dd, par->net, Kl + a * P + a,
                                                  Kl + b * P + b, Kl + a * P + b, prec);
                arb_mul(t, ss, cw, prec);
                arb_add(Kn + a * P + b, t, cb, prec);
                arb_set(Kn + b * P + a, Kn + a * P + b);
                arb_mul(t, ss, lw, prec);
                arb_add(t, t, lb, prec);
                arb_mul(dd, dd, cw, prec);
                arb_addmul(t, dd, Tl + a * P + b, prec);
                arb_swap(Tn + a * P + b, t);
                arb_set(Tn + b * P + a, Tn + a * P + b);
            }
    }
    if (status != 0)
        for (i = 0; i < depth * P * P; i++)
        {
            arb_indeterminate(kernels + i);
            arb_indeterminate(ntk + i);
        }
    arb_clear(ss); arb_clear(dd); arb_clear(cw); arb_clear(cb); arb_clear(lb); arb_clear(lw);
    arb_clear(t);
    return status ? -1 : 0;
}

void
neft_onen_ntk_matrix_cost(double * ops, double * bytes, const neft_onen_params_t par,
                          slong npoints, slong d_in)
{
    const onen_row_struct * row = _neft_onen_row(par->net);
    double P2 = (double) npoints * (double) npoints, A = _neft_cost_arb(par->prec);
    double closed = 4 * _neft_cost_exp(par->prec) + 30 * A, depth = (double) par->net->depth;
    double integ = neft_gaussexp_cost(2, 2, par->net->act->parity,
                                      row != NULL && row->sigma_cost == ONEN_SIGMA_TANH
                                      ? _neft_cost_tanh(par->prec) : 20, par->prec), pair;
    /* the route ntk_pair takes (pair_route): the grid rule's nodes for tanh,
       sigmoid (measured 1.5e4 to 4.3e4 nodes per call at K = 0.3 to 4, about
       1.6 us each: one row evaluation at 64 bits and the products), else a
       closed form or the integrator for each of ss and dd */
    switch (pair_route(par->net))
    {
        case PAIR_POLY:
            pair = 4.5e4 * (_neft_cost_tanh(64) + 200);
            break;
        case PAIR_ROW:
            pair = closed + (dd_kind(par->net) == DD_NONE ? integ : closed);
            break;
        default:
            pair = integ + (dd_kind(par->net) == DD_NONE ? integ : closed);
            break;
    }
    *ops = P2 * (double) d_in * A + depth * (double) npoints
           * neft_onen_gauss_cost(par->net, 1.0, par->prec) + depth * P2 / 2 * pair;
    /* two inputs: the O(1/n) terms of neft_onen_ntk2 (K-derivatives, A, B, D,
       F, P, Q over the pairs), 16000 Arb operations per layer; measured
       with sin (closed forms, depth 200): 0.30, 0.45, 1.1 ms of CPU per layer
       at 64, 128, 512 bits (12000 operations at most), linear about half
       that; the rows by the 2-D rule (erf, tanh) are covered by pair */
    if (npoints == 2)
        *ops += depth * 16000 * A;
    *bytes = 2 * depth * P2 * (sizeof(arb_struct) + 2.0 * (double) par->prec / 8);
}
