/* Rigorous Gaussian expectations of products of activation values
   (neft/gaussexp.h): Arb integration over |xi| <= R plus a tail bounded from
   the row's declared properties.

   1-D: E = (1/sqrt(2 pi)) int F(x) e^{-x^2/2} dx; an even integrand (declared
   parity) is 2 int_0^R, a kink at 0 splits [-R, R] there.
   2-D: polar coordinates, E = (1/2 pi) int_0^{2 pi} dtheta int_0^R r e^{-r^2/2}
   F(r e_theta) dr; an even integrand runs theta over [0, pi] only (xi -> -xi),
   kinks split theta where a direction u_a is orthogonal to e_theta.
   Tail: |F| <= P(|xi|) = prod_a (a + b |u_a|^p t^p) |He_k|(t) with |He_k| the
   polynomial of absolute coefficients, and int_R^inf t^j e^{-t^2/2} dt =
   2^{(j-1)/2} Gamma((j+1)/2, R^2/2) exactly, so the tail is at most
   (2/sqrt(2 pi)) sum_j c_j T_j(R) (1-D) or sum_j c_j T_{j+1}(R) (2-D). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "neft/gaussexp.h"
#include "neft/interrupt.h"
#include "../cost.h"
#include "tail.h"
#include "route.h"

#define PI_D 3.14159265358979323846

typedef struct
{
    neft_act_srcptr act;
    arb_srcptr par;
    slong deriv;
    slong n, ng;
    const slong * group;   /* factor a is sigma(u_{group[a]} . xi) */
    arb_srcptr u;          /* ng * dim distinct directions */
    slong dim;
    acb_ptr w;             /* ng slopes along the current ray */
    acb_struct c;          /* xi_1 / r along the ray (1 in 1-D, cos theta in 2-D) */
    acb_struct s;          /* xi_2 / r along the ray (0 in 1-D, sin theta in 2-D) */
    slong deg;             /* the weight's degree (0: weight 1) */
    arb_srcptr wc;         /* its coefficients: wc[i (deg+1) + j] of xi_1^i xi_2^j */
    slong inner_goal;
    double R;
    acb_struct x1;         /* Cartesian route: the outer coordinate xi_1 */
    int analytic;          /* Cartesian route: certify holomorphy in the inner integral */
}
gparam;

/* h = W(x, y) = sum_ij wc[i (deg+1) + j] x^i y^j (deg > 0): Horner in x of
   the polynomials in y */
static void
weight_eval(acb_t h, const gparam * p, const acb_t x, const acb_t y, slong prec)
{
    acb_t g;
    slong i, j, D = p->deg;
    acb_init(g);
    acb_zero(h);
    for (i = D; i >= 0; i--)
    {
        acb_zero(g);
        for (j = D - i; j >= 0; j--)
        {
            acb_mul(g, g, y, prec);
            acb_add_arb(g, g, p->wc + i * (D + 1) + j, prec);
        }
        acb_mul(h, h, x, prec);
        acb_add(h, h, g, prec);
    }
    acb_clear(g);
}

/* prod_a sigma(r w_{g(a)}) W(r c, r s); holomorphy certified by the row when
   analytic (indeterminate otherwise). */
static void
ray_product(acb_t res, const acb_t r, const gparam * p, int analytic, slong prec)
{
    acb_ptr v = _acb_vec_init(p->ng);
    acb_t z;
    slong a, j;

    acb_init(z);
    for (j = 0; j < p->ng; j++)
    {
        acb_mul(z, r, p->w + j, prec);
        if (p->act->eval_acb(v + j, z, p->par, p->deriv, analytic, prec) != NEFT_ACT_SUCCESS)
            acb_indeterminate(v + j);
    }
    acb_one(res);
    for (a = 0; a < p->n; a++)
        acb_mul(res, res, v + p->group[a], prec);
    if (p->deg > 0)
    {
        acb_t h, x, y;
        acb_init(h); acb_init(x); acb_init(y);
        acb_mul(x, r, &p->c, prec);
        acb_mul(y, r, &p->s, prec);
        weight_eval(h, p, x, y, prec);
        acb_mul(res, res, h, prec);
        acb_clear(h); acb_clear(x); acb_clear(y);
    }
    acb_clear(z);
    _acb_vec_clear(v, p->ng);
}

/* e^{-r^2/2} F(r w) */
static int
f_line(acb_ptr res, const acb_t r, void * param, slong order, slong prec)
{
    acb_t g;
    if (order > 1)
        flint_abort();
    if (neft_interrupted())
    {
        /* a stop request: 0 makes Arb converge at once (an indeterminate
           value would make it bisect up to eval_limit); the meaningless
           result is replaced by the caller (INTERRUPTED) */
        acb_zero(res);
        return 0;
    }
    acb_init(g);
    ray_product(res, r, param, order == 1, prec);
    acb_sqr(g, r, prec);
    acb_mul_2exp_si(g, g, -1);
    acb_neg(g, g);
    acb_exp(g, g, prec);
    acb_mul(res, res, g, prec);
    acb_clear(g);
    return 0;
}

/* r e^{-r^2/2} F(r e_theta) (inner polar integrand) */
static int
f_radial(acb_ptr res, const acb_t r, void * param, slong order, slong prec)
{
    f_line(res, r, param, order, prec);
    acb_mul(res, res, r, prec);
    return 0;
}

/* theta -> int_0^R f_radial dr with w_j = u_j1 cos theta + u_j2 sin theta */
static int
f_angle(acb_ptr res, const acb_t theta, void * param, slong order, slong prec)
{
    const gparam * p = param;
    gparam q = *p;
    acb_t s, a0, b0;
    acb_calc_integrate_opt_t opt;
    mag_t tol;
    slong j, goal;

    if (order > 1)
        flint_abort();
    if (neft_interrupted())
    {
        acb_zero(res);
        return 0;
    }
    acb_init(s); acb_init(a0); acb_init(b0);
    acb_init(&q.c);
    acb_init(&q.s);
    mag_init(tol);
    q.w = _acb_vec_init(p->ng);
    acb_sin_cos(&q.s, &q.c, theta, prec);
    acb_set(s, &q.s);
    for (j = 0; j < p->ng; j++)
    {
        acb_mul_arb(q.w + j, &q.c, p->u + 2 * j, prec);
        acb_addmul_arb(q.w + j, s, p->u + 2 * j + 1, prec);
    }
    /* a bound on a complex region needs few bits: a low goal and a small
       evaluation budget there (docs/integrate.md) */
    goal = (order == 1) ? 8 : p->inner_goal;
    acb_calc_integrate_opt_init(opt);
    mag_set_ui_2exp_si(tol, 1, -goal);
    if (order == 1)
        opt->eval_limit = 2000;
    acb_zero(a0);
    acb_set_d(b0, p->R);
    acb_calc_integrate(res, f_radial, &q, a0, b0, goal, tol, opt, prec);
    _acb_vec_clear(q.w, p->ng);
    acb_clear(&q.c);
    acb_clear(&q.s);
    acb_clear(s); acb_clear(a0); acb_clear(b0);
    mag_clear(tol);
    return 0;
}

/* Cartesian route (no kink): E = (1/2 pi) int dxi_1 e^{-xi_1^2/2}
   prod_{a: u_a2 = 0} sigma(u_a1 xi_1) int dxi_2 e^{-xi_2^2/2}
   prod_{a: u_a2 != 0} sigma(u_a1 xi_1 + u_a2 xi_2) W(xi_1, xi_2) over the
   square [-R, R]^2 (it contains the disk |xi| <= R of the tail bound).  On a
   complex ball of xi_1 the imaginary part of every argument is u_a1 Im xi_1
   whatever xi_2 is, so the inner integrand stays as regular as the outer one
   (the polar nest rotates a complex angle into the radial line and can put a
   pole of tanh on it). */

/* inner integrand: e^{-x2^2/2} prod_{a: u_a2 != 0} sigma(u_a1 x1 + u_a2 x2) W(x1, x2);
   p->w holds u_j1 x1 */
static int
f_inner(acb_ptr res, const acb_t x2, void * param, slong order, slong prec)
{
    const gparam * p = param;
    acb_t z, g;
    slong a, j;
    int analytic = order == 1 || p->analytic;

    if (order > 1)
        flint_abort();
    if (neft_interrupted())
    {
        acb_zero(res);
        return 0;
    }
    acb_init(z); acb_init(g);
    acb_sqr(g, x2, prec);
    acb_mul_2exp_si(g, g, -1);
    acb_neg(g, g);
    acb_exp(res, g, prec);
    for (j = 0; j < p->ng; j++)
    {
        slong mult = 0;
        if (arb_is_zero(p->u + 2 * j + 1))
            continue;
        for (a = 0; a < p->n; a++)
            mult += p->group[a] == j;
        acb_mul_arb(z, x2, p->u + 2 * j + 1, prec);
        acb_add(z, z, p->w + j, prec);
        if (p->act->eval_acb(g, z, p->par, p->deriv, analytic, prec) != NEFT_ACT_SUCCESS)
            acb_indeterminate(g);
        if (mult > 1)
            acb_pow_ui(g, g, (ulong) mult, prec);
        acb_mul(res, res, g, prec);
    }
    if (p->deg > 0)
    {
        weight_eval(g, p, &p->x1, x2, prec);
        acb_mul(res, res, g, prec);
    }
    acb_clear(z); acb_clear(g);
    return 0;
}

/* outer integrand: x1 -> e^{-x1^2/2} prod_{a: u_a2 = 0} sigma(u_a1 x1) int_{-R}^R f_inner */
static int
f_outer(acb_ptr res, const acb_t x1, void * param, slong order, slong prec)
{
    const gparam * p = param;
    gparam q = *p;
    acb_t a0, b0, g, z;
    acb_calc_integrate_opt_t opt;
    mag_t tol;
    slong a, j, goal;

    if (order > 1)
        flint_abort();
    if (neft_interrupted())
    {
        acb_zero(res);
        return 0;
    }
    acb_init(a0); acb_init(b0); acb_init(g); acb_init(z);
    mag_init(tol);
    acb_init(&q.x1);
    acb_set(&q.x1, x1);
    q.analytic = order == 1;
    q.w = _acb_vec_init(p->ng);
    for (j = 0; j < p->ng; j++)
        acb_mul_arb(q.w + j, x1, p->u + 2 * j, prec);
    /* a bound on a complex region needs few bits (as f_angle) */
    goal = (order == 1) ? 8 : p->inner_goal;
    acb_calc_integrate_opt_init(opt);
    mag_set_ui_2exp_si(tol, 1, -goal);
    if (order == 1)
        opt->eval_limit = 2000;
    acb_set_d(b0, p->R);
    acb_neg(a0, b0);
    acb_calc_integrate(res, f_inner, &q, a0, b0, goal, tol, opt, prec);
    for (j = 0; j < p->ng; j++)
    {
        slong mult = 0;
        if (!arb_is_zero(p->u + 2 * j + 1))
            continue;
        for (a = 0; a < p->n; a++)
            mult += p->group[a] == j;
        if (p->act->eval_acb(g, q.w + j, p->par, p->deriv, order == 1, prec)
                != NEFT_ACT_SUCCESS)
            acb_indeterminate(g);
        if (mult > 1)
            acb_pow_ui(g, g, (ulong) mult, prec);
        acb_mul(res, res, g, prec);
    }
    acb_sqr(g, x1, prec);
    acb_mul_2exp_si(g, g, -1);
    acb_neg(g, g);
    acb_exp(g, g, prec);
    acb_mul(res, res, g, prec);
    _acb_vec_clear(q.w, p->ng);
    acb_clear(&q.x1);
    acb_clear(a0); acb_clear(b0); acb_clear(g); acb_clear(z);
    mag_clear(tol);
    return 0;
}

/* The bound |sigma^(deriv)(z)| <= a + b |z|^pw the row declares, or 0 and
   err. */
static int
declared_bound(double * a, double * b, slong * pw, neft_act_srcptr act, slong deriv,
               char * err, size_t errsize)
{
    *a = *b = 0;
    *pw = 0;
    if (deriv == 1)
    {
        if (act->dsup > 0)
        {
            *a = act->dsup;
            return 1;
        }
        snprintf(err, errsize, "%s declares no bound on its derivative: a Gaussian "
                 "expectation of it cannot be certified", act->name);
        return 0;
    }
    if (act->flags & NEFT_ACT_BOUNDED)
    {
        *a = act->sup;
        return 1;
    }
    if (act->flags & NEFT_ACT_GROWTH)
    {
        *a = act->growth_a;
        *b = act->growth_b;
        *pw = act->growth_p;
        return 1;
    }
    snprintf(err, errsize, "%s: no tail bound for a Gaussian expectation (%s)", act->name,
             act->lacks[NEFT_ACT_CAP_GROWTH] != NULL ? act->lacks[NEFT_ACT_CAP_GROWTH]
             : "it declares neither a bound nor a growth bound");
    return 0;
}

int
neft_gaussexp_supported(neft_act_srcptr act, slong deriv, char * err, size_t errsize)
{
    double a, b;
    slong pw;
    if (act == NULL || act->eval_acb == NULL || deriv < 0 || deriv > 1)
    {
        snprintf(err, errsize, "no ball evaluator of this activation or derivative");
        return 0;
    }
    return declared_bound(&a, &b, &pw, act, deriv, err, errsize);
}

/* Upper bound of int_R^inf t^j e^{-t^2/2} dt = 2^{(j-1)/2} Gamma((j+1)/2, R^2/2). */
void
_neft_gaussexp_tail_moment(arb_t res, const arb_t R, slong j, slong prec)
{
    arb_t s, z;
    arb_init(s);
    arb_init(z);
    arb_set_si(s, j + 1);
    arb_mul_2exp_si(s, s, -1);
    arb_sqr(z, R, prec);
    arb_mul_2exp_si(z, z, -1);
    arb_hypgeom_gamma_upper(res, s, z, 0, prec);
    arb_set_si(s, j - 1);
    arb_mul_2exp_si(s, s, -1);
    arb_set_ui(z, 2);
    arb_pow(s, z, s, prec);
    arb_mul(res, res, s, prec);
    arb_clear(s);
    arb_clear(z);
}

/* sum_j c_j T_{j + shift}(R), times 2/sqrt(2 pi) in 1-D (shift 0) */
static void
tail_bound(arb_t res, arb_srcptr c, slong len, slong dim, double R, slong prec)
{
    arb_t t, r;
    slong j;
    arb_init(t);
    arb_init(r);
    arb_set_d(r, R);
    arb_zero(res);
    for (j = 0; j < len; j++)
        if (!arb_is_zero(c + j))
        {
            _neft_gaussexp_tail_moment(t, r, j + (dim == 2), prec);
            arb_addmul(res, t, c + j, prec);
        }
    if (dim == 1)
    {
        arb_const_pi(t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_rsqrt(t, t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_mul(res, res, t, prec);
    }
    /* an upper bound: the ball's upper end, exactly */
    arb_get_ubound_arf(arb_midref(res), res, prec);
    mag_zero(arb_radref(res));
    arb_clear(t);
    arb_clear(r);
}

static int
cmp_double(const void * a, const void * b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* The weight's parity under xi -> -xi: 1 (even), -1 (odd), 0 (mixed). */
static int
weight_parity(arb_srcptr wc, slong deg)
{
    int even = 0, odd = 0;
    slong i, j;
    for (i = 0; i <= deg; i++)
        for (j = 0; i + j <= deg; j++)
            if (!arb_is_zero(wc + i * (deg + 1) + j))
            {
                if ((i + j) % 2)
                    odd = 1;
                else
                    even = 1;
            }
    return odd ? (even ? 0 : -1) : 1;
}

/* E[prod_a sigma^(deriv)(u_a . xi) W(xi)], W of degree deg with coefficients
   wc[i (deg+1) + j] of xi_1^i xi_2^j (deg 0 and wc NULL: W = 1); the
   arguments checked by the callers. */
/* out = in * (al x + be y) for polynomials of degree < D in (x, y),
   coefficients [i (D+1) + j] of x^i y^j */
static void
bipoly_mul_lin(arb_ptr out, arb_srcptr in, const arb_t al, const arb_t be, slong D, slong prec)
{
    arb_ptr t = _arb_vec_init((D + 1) * (D + 1));
    slong i, j;
    for (i = 0; i < D; i++)
        for (j = 0; i + j < D; j++)
        {
            arb_srcptr c = in + i * (D + 1) + j;
            arb_addmul(t + (i + 1) * (D + 1) + j, c, al, prec);
            arb_addmul(t + i * (D + 1) + j + 1, c, be, prec);
        }
    _arb_vec_set(out, t, (D + 1) * (D + 1));
    _arb_vec_clear(t, (D + 1) * (D + 1));
}

/* Two distinct directions d0, d1 of the plane: Mehler's series in x =
   d0.xi/|d0|, y = d1.xi/|d1| (src/gaussexp/mehler.c); a weight W(xi) (wc,
   degree deg) is rewritten in x, y through xi = M^-1 (x, y), M the rows
   d0/|d0|, d1/|d1| (|rho| < 1 certified).  NEFT_SUCCESS, or another status
   (res indeterminate) when it does not apply or reach the goal. */
static int
try_mehler(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv, arb_srcptr u, slong n,
           arb_srcptr wc, slong deg, slong prec, char * err, size_t errsize)
{
    slong a, m0 = 0, m1 = 0, j1 = -1;
    arb_t s0, s1, rho;
    int st;
    for (a = 1; a < n; a++)
    {
        int same0 = arb_equal(u + 2 * a, u + 0) && arb_equal(u + 2 * a + 1, u + 1);
        if (same0)
            continue;
        if (j1 < 0)
            j1 = a;
        else if (!(arb_equal(u + 2 * a, u + 2 * j1) && arb_equal(u + 2 * a + 1, u + 2 * j1 + 1)))
            return NEFT_UNSUPPORTED;   /* a third direction */
    }
    if (j1 < 0)
        return NEFT_UNSUPPORTED;
    for (a = 0; a < n; a++)
        if (arb_equal(u + 2 * a, u + 0) && arb_equal(u + 2 * a + 1, u + 1))
            m0++;
        else
            m1++;
    arb_init(s0); arb_init(s1); arb_init(rho);
    arb_hypot(s0, u + 0, u + 1, prec + 40);
    arb_hypot(s1, u + 2 * j1, u + 2 * j1 + 1, prec + 40);
    arb_mul(rho, u + 0, u + 2 * j1, prec + 40);
    arb_addmul(rho, u + 1, u + 2 * j1 + 1, prec + 40);
    arb_div(rho, rho, s0, prec + 40);
    arb_div(rho, rho, s1, prec + 40);
    if (wc == NULL)
        st = _neft_gaussexp_mehler(res, act, par, deriv, s0, m0, s1, m1, rho, 0, prec, err,
                                   errsize);
    else
    {
        /* xi_1 = (e1y x - e0y y)/det, xi_2 = (e0x y - e1x x)/det */
        slong D = deg, i, j, wp = prec + 40;
        arb_ptr cw = _arb_vec_init((D + 1) * (D + 1)), p1 = _arb_vec_init((D + 1) * (D + 1)),
            p2 = _arb_vec_init((D + 1) * (D + 1));
        arb_t e0x, e0y, e1x, e1y, det, a1, b1, a2, b2;
        arb_init(e0x); arb_init(e0y); arb_init(e1x); arb_init(e1y); arb_init(det);
        arb_init(a1); arb_init(b1); arb_init(a2); arb_init(b2);
        arb_div(e0x, u + 0, s0, wp);
        arb_div(e0y, u + 1, s0, wp);
        arb_div(e1x, u + 2 * j1, s1, wp);
        arb_div(e1y, u + 2 * j1 + 1, s1, wp);
        arb_mul(det, e0x, e1y, wp);
        arb_submul(det, e0y, e1x, wp);
        st = NEFT_UNSUPPORTED;
        if (arb_is_nonzero(det))
        {
            arb_div(a1, e1y, det, wp);
            arb_div(b1, e0y, det, wp);
            arb_neg(b1, b1);
            arb_div(a2, e1x, det, wp);
            arb_neg(a2, a2);
            arb_div(b2, e0x, det, wp);
            /* sum_i xi_1^i (sum_j w_ij xi_2^j), Horner in both */
            for (i = D; i >= 0; i--)
            {
                _arb_vec_zero(p2, (D + 1) * (D + 1));
                for (j = D - i; j >= 0; j--)
                {
                    bipoly_mul_lin(p2, p2, a2, b2, D, wp);
                    arb_add(p2, p2, wc + i * (deg + 1) + j, wp);
                }
                bipoly_mul_lin(p1, p1, a1, b1, D, wp);
                _arb_vec_add(p1, p1, p2, (D + 1) * (D + 1), wp);
            }
            _arb_vec_set(cw, p1, (D + 1) * (D + 1));
            st = _neft_gaussexp_mehler_poly(res, act, par, deriv, s0, m0, s1, m1, rho, cw, D, 0,
                                            prec, err, errsize);
        }
        arb_clear(e0x); arb_clear(e0y); arb_clear(e1x); arb_clear(e1y); arb_clear(det);
        arb_clear(a1); arb_clear(b1); arb_clear(a2); arb_clear(b2);
        _arb_vec_clear(cw, (D + 1) * (D + 1)); _arb_vec_clear(p1, (D + 1) * (D + 1));
        _arb_vec_clear(p2, (D + 1) * (D + 1));
    }
    arb_clear(s0); arb_clear(s1); arb_clear(rho);
    return st;
}

int
_neft_gaussexp_core(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                    arb_srcptr u, slong n, slong dim, arb_srcptr wc, slong deg, int route,
                    slong prec, char * err, size_t errsize)
{
    gparam p;
    slong * group = NULL;
    arb_ptr ug = NULL, c = NULL;
    slong a, j, k, pw, len, ng = 0, parity, wpar;
    double A, B, R;
    arb_t t, norm, scale, eps, tail;
    arb_poly_t P, f;
    acb_calc_integrate_opt_t opt;
    mag_t tol;
    acb_t a0, b0, v, part;
    int status = NEFT_SUCCESS, kink, rc = ARB_CALC_SUCCESS;

    arb_indeterminate(res);
    if (route == _NEFT_GAUSSEXP_CART && act->singular == NEFT_ACT_SINGULAR_KINK)
    {
        snprintf(err, errsize, "Gaussian expectation of %s: the Cartesian route needs a "
                 "row without a kink", act->name);
        return NEFT_BAD_INPUT;
    }
    if (!declared_bound(&A, &B, &pw, act, deriv, err, errsize))
        return NEFT_UNSUPPORTED;

    /* parity of the integrand: row parity, flipped by the derivative, to the n,
       times the weight's; 0 when the row declares none or the weight mixes */
    parity = 0;
    wpar = deg > 0 ? weight_parity(wc, deg) : 1;
    if ((act->parity == 1 || act->parity == -1) && wpar != 0)
    {
        slong s = act->parity * (deriv ? -1 : 1);
        parity = (n % 2 == 0 || s == 1) ? 1 : -1;
        parity *= wpar;
    }
    if (parity == -1)
    {
        arb_zero(res);   /* F(-xi) = -F(xi): exactly 0 */
        return neft_interrupted() ? NEFT_INTERRUPTED : NEFT_SUCCESS;
    }
    /* a weight takes the series only when asked (route MEHLER): measured on neft
       onen's K-derivative weights (degree 4, coefficients ~ 1/det^2) it took
       longer than the Cartesian rule (tanh depth 3: 20 s against 8 s of CPU) */
    if (dim == 2 && ((route == _NEFT_GAUSSEXP_AUTO && wc == NULL)
                     || route == _NEFT_GAUSSEXP_MEHLER))
    {
        int st = try_mehler(res, act, par, deriv, u, n, wc, deg, prec, err, errsize);
        if (st == NEFT_SUCCESS || st == NEFT_INTERRUPTED)
            return st;
        arb_indeterminate(res);
    }

    arb_init(t); arb_init(norm); arb_init(scale); arb_init(eps); arb_init(tail);
    arb_poly_init(P); arb_poly_init(f);
    acb_init(a0); acb_init(b0); acb_init(v); acb_init(part);
    mag_init(tol);
    group = flint_malloc(sizeof(slong) * (n + 1));
    ug = _arb_vec_init(n * dim + 1);

    /* distinct directions, and the majorant P */
    arb_poly_one(P);
    for (a = 0; a < n; a++)
    {
        for (j = 0; j < ng; j++)
        {
            for (k = 0; k < dim && arb_equal(ug + j * dim + k, u + a * dim + k); k++)
                ;
            if (k == dim)
                break;
        }
        if (j == ng)
        {
            _arb_vec_set(ug + ng * dim, u + a * dim, dim);
            ng++;
        }
        group[a] = j;
        /* factor a + b |u_a|^pw t^pw */
        if (dim == 1)
            arb_abs(norm, u + a);
        else
            arb_hypot(norm, u + 2 * a, u + 2 * a + 1, prec);
        arb_poly_zero(f);
        arb_set_d(t, A);
        arb_poly_set_coeff_arb(f, 0, t);
        if (B != 0)
        {
            arb_pow_ui(norm, norm, (ulong) pw, prec);
            arb_set_d(t, B);
            arb_mul(t, t, norm, prec);
            arb_get_ubound_arf(arb_midref(t), t, prec);
            mag_zero(arb_radref(t));
            if (pw == 0)
            {
                arb_poly_get_coeff_arb(norm, f, 0);
                arb_add(t, t, norm, prec);
            }
            arb_poly_set_coeff_arb(f, pw, t);
        }
        arb_poly_mul(P, P, f, prec);
    }
    /* |W(xi)| <= sum_ij |w_ij| |xi|^(i+j) */
    arb_poly_zero(f);
    for (j = 0; wc != NULL && j <= deg; j++)
        for (k = 0; j + k <= deg; k++)
        {
            arb_poly_get_coeff_arb(t, f, j + k);
            arb_get_abs_ubound_arf(arb_midref(norm), wc + j * (deg + 1) + k, prec);
            mag_zero(arb_radref(norm));
            arb_add(t, t, norm, prec);
            arb_get_ubound_arf(arb_midref(t), t, prec);
            mag_zero(arb_radref(t));
            arb_poly_set_coeff_arb(f, j + k, t);
        }
    if (deg == 0 && wc == NULL)
        arb_poly_one(f);
    arb_poly_mul(P, P, f, prec);
    len = arb_poly_length(P);
    c = _arb_vec_init(len + 1);
    for (j = 0; j < len; j++)
        arb_poly_get_coeff_arb(c + j, P, j);

    /* scale S = max(1, P(1)); goal: tail below 2^-(prec+8) S, integration to
       2^-prec S; R from the Gaussian cut-off upwards */
    arb_one(scale);
    for (j = 0; j < len; j++)
        arb_add(scale, scale, c + j, prec);
    arb_sub_ui(scale, scale, 1, prec);
    if (arf_cmp_si(arb_midref(scale), 1) < 0)
        arb_one(scale);
    arb_get_ubound_arf(arb_midref(scale), scale, prec);
    mag_zero(arb_radref(scale));
    arb_mul_2exp_si(eps, scale, -prec - 8);
    R = sqrt(2.0 * ((double) prec + 8.0) * 0.6931471805599453) + 1.0;
    for (;;)
    {
        tail_bound(tail, c, len, dim, R, prec);
        if (arb_le(tail, eps))
            break;
        R += 1;
        if (R > 1000)
        {
            snprintf(err, errsize, "Gaussian expectation of %s: no tail bound below "
                     "2^-%ld found", act->name, (long) prec);
            status = NEFT_FAILURE;
            goto out;
        }
    }

    p = (gparam) {.act = act, .par = par, .deriv = deriv, .n = n, .ng = ng, .group = group,
                  .u = ug, .dim = dim, .deg = wc == NULL ? 0 : deg, .wc = wc,
                  .inner_goal = prec,
                  .R = R};
    acb_init(&p.c);
    acb_one(&p.c);
    acb_init(&p.s);
    p.w = _acb_vec_init(ng + 1);
    kink = act->singular == NEFT_ACT_SINGULAR_KINK;
    acb_calc_integrate_opt_init(opt);
    arb_get_mag(tol, scale);
    mag_mul_2exp_si(tol, tol, -prec);
    if (dim == 1)
    {
        for (j = 0; j < ng; j++)
            acb_set_arb(p.w + j, ug + j);
        acb_set_d(b0, R);
        if (parity == 1)
        {
            /* E = 2/sqrt(2 pi) int_0^R e^(-x^2/2) F(x) dx  (even integrand) */
            acb_zero(a0);
            rc = acb_calc_integrate(v, f_line, &p, a0, b0, prec, tol, opt, prec);
            arb_const_pi(t, prec);
            arb_mul_2exp_si(t, t, 1);
            arb_rsqrt(t, t, prec);
            arb_mul_2exp_si(t, t, 1);
        }
        else
        {
            acb_neg(a0, b0);
            if (kink)
            {
                acb_zero(b0);
                rc = acb_calc_integrate(v, f_line, &p, a0, b0, prec, tol, opt, prec);
                acb_neg(b0, a0);
                acb_zero(a0);
                if (acb_calc_integrate(part, f_line, &p, a0, b0, prec, tol, opt, prec)
                        != ARB_CALC_SUCCESS)
                    rc = ARB_CALC_NO_CONVERGENCE;
                acb_add(v, v, part, prec);
            }
            else
                rc = acb_calc_integrate(v, f_line, &p, a0, b0, prec, tol, opt, prec);
            arb_const_pi(t, prec);
            arb_mul_2exp_si(t, t, 1);
            arb_rsqrt(t, t, prec);
        }
        arb_mul(res, acb_realref(v), t, prec);
    }
    else if (route == _NEFT_GAUSSEXP_CART
             || (route != _NEFT_GAUSSEXP_POLAR && act->singular != NEFT_ACT_SINGULAR_KINK))
    {
        /* Cartesian: xi_1 over [0, R] doubled (even integrand) or [-R, R] */
        acb_set_d(b0, R);
        if (parity == 1)
            acb_zero(a0);
        else
            acb_neg(a0, b0);
        rc = acb_calc_integrate(v, f_outer, &p, a0, b0, prec, tol, opt, prec);
        arb_const_pi(t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_div(res, acb_realref(v), t, prec);
        if (parity == 1)
            arb_mul_2exp_si(res, res, 1);
    }
    else
    {
        /* theta over [0, pi] (even integrand) or [0, 2 pi], split at the kinks */
        double period = parity == 1 ? PI_D : 2 * PI_D, * cut;
        slong ncut = 0;
        arb_t per;
        arb_init(per);
        arb_const_pi(per, prec);
        if (parity != 1)
            arb_mul_2exp_si(per, per, 1);
        cut = flint_malloc(sizeof(double) * (2 * ng + 2));
        if (kink)
            for (j = 0; j < ng; j++)
            {
                double x = arf_get_d(arb_midref(ug + 2 * j), ARF_RND_NEAR),
                       y = arf_get_d(arb_midref(ug + 2 * j + 1), ARF_RND_NEAR), phi;
                if (x == 0 && y == 0)
                    continue;
                phi = atan2(y, x) + PI_D / 2;
                for (k = 0; k < 2; k++, phi += PI_D)
                {
                    double r = fmod(phi, period);
                    if (r < 0)
                        r += period;
                    if (r > 0 && r < period)
                        cut[ncut++] = r;
                }
            }
        qsort(cut, ncut, sizeof(double), cmp_double);
        acb_zero(v);
        acb_zero(a0);
        for (k = 0; k <= ncut; k++)
        {
            if (k < ncut)
                acb_set_d(b0, cut[k]);
            else
                acb_set_arb(b0, per);
            if (acb_calc_integrate(part, f_angle, &p, a0, b0, prec, tol, opt, prec)
                    != ARB_CALC_SUCCESS)
                rc = ARB_CALC_NO_CONVERGENCE;
            acb_add(v, v, part, prec);
            acb_set(a0, b0);
        }
        arb_div(res, acb_realref(v), per, prec);
        flint_free(cut);
        arb_clear(per);
    }
    _acb_vec_clear(p.w, ng + 1);
    acb_clear(&p.c);
    acb_clear(&p.s);
    arb_add_error(res, tail);
    if (neft_interrupted())
        status = NEFT_INTERRUPTED;
    else if (!arb_is_finite(res))
    {
        snprintf(err, errsize, "Gaussian expectation of %s: the integration did not "
                 "converge (try a higher precision)", act->name);
        status = NEFT_FAILURE;
    }
    else if (rc != ARB_CALC_SUCCESS)
        status = NEFT_NO_CONVERGENCE;
out:
    if (status != NEFT_SUCCESS && status != NEFT_NO_CONVERGENCE)
        arb_indeterminate(res);
    flint_free(group);
    _arb_vec_clear(ug, n * dim + 1);
    if (c != NULL)
        _arb_vec_clear(c, len + 1);
    arb_clear(t); arb_clear(norm); arb_clear(scale); arb_clear(eps); arb_clear(tail);
    arb_poly_clear(P); arb_poly_clear(f);
    acb_clear(a0); acb_clear(b0); acb_clear(v); acb_clear(part);
    mag_clear(tol);
    return status;
}

int
neft_gaussexp_product(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                      arb_srcptr u, slong n, slong dim, slong hermite, slong prec,
                      char * err, size_t errsize)
{
    slong prev[NEFT_GAUSSEXP_MAX_HERMITE + 2] = {0}, cur[NEFT_GAUSSEXP_MAX_HERMITE + 2] = {0},
          next[NEFT_GAUSSEXP_MAX_HERMITE + 2], j, k;
    arb_ptr wc;
    int status;

    arb_indeterminate(res);
    if (act == NULL || act->eval_acb == NULL || (deriv != 0 && deriv != 1)
        || (dim != 1 && dim != 2) || n < 0 || hermite < 0
        || hermite > NEFT_GAUSSEXP_MAX_HERMITE || (n > 0 && u == NULL)
        || (act->nparams > 0 && par == NULL))
    {
        snprintf(err, errsize, "Gaussian expectation: bad arguments (dim 1 or 2, derivative "
                 "0 or 1, Hermite degree at most %d)", NEFT_GAUSSEXP_MAX_HERMITE);
        return NEFT_BAD_INPUT;
    }
    if (hermite == 0)
        return _neft_gaussexp_core(res, act, par, deriv, u, n, dim, NULL, 0, _NEFT_GAUSSEXP_AUTO, prec,
                                   err, errsize);
    /* He_k by He_{m+1} = x He_m - m He_{m-1}, as the weight in xi_1 */
    cur[0] = 1;
    for (k = 0; k < hermite; k++)
    {
        for (j = 0; j <= k + 1; j++)
            next[j] = (j > 0 ? cur[j - 1] : 0) - k * prev[j];
        for (j = 0; j <= k + 1; j++)
        {
            prev[j] = cur[j];
            cur[j] = next[j];
        }
    }
    wc = _arb_vec_init((hermite + 1) * (hermite + 1));
    for (j = 0; j <= hermite; j++)
        arb_set_si(wc + j * (hermite + 1), cur[j]);
    status = _neft_gaussexp_core(res, act, par, deriv, u, n, dim, wc, hermite, _NEFT_GAUSSEXP_AUTO,
                                 prec, err, errsize);
    _arb_vec_clear(wc, (hermite + 1) * (hermite + 1));
    return status;
}

int
neft_gaussexp_poly(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                   arb_srcptr u, slong n, slong dim, arb_srcptr w, slong deg, slong prec,
                   char * err, size_t errsize)
{
    slong i, j;
    arb_indeterminate(res);
    if (act == NULL || act->eval_acb == NULL || (deriv != 0 && deriv != 1)
        || (dim != 1 && dim != 2) || n < 0 || deg < 0
        || deg > NEFT_GAUSSEXP_MAX_HERMITE || (n > 0 && u == NULL) || w == NULL
        || (act->nparams > 0 && par == NULL))
    {
        snprintf(err, errsize, "Gaussian expectation: bad arguments (dim 1 or 2, derivative "
                 "0 or 1, weight of degree at most %d)", NEFT_GAUSSEXP_MAX_HERMITE);
        return NEFT_BAD_INPUT;
    }
    for (i = 0; i <= deg; i++)
        for (j = 0; j <= deg; j++)
            if (!arb_is_finite(w + i * (deg + 1) + j)
                || ((i + j > deg || (dim == 1 && j > 0)) && !arb_is_zero(w + i * (deg + 1) + j)))
            {
                snprintf(err, errsize, "Gaussian expectation: a weight coefficient of "
                         "xi_1^%ld xi_2^%ld out of range or not finite", (long) i, (long) j);
                return NEFT_BAD_INPUT;
            }
    return _neft_gaussexp_core(res, act, par, deriv, u, n, dim, w, deg, _NEFT_GAUSSEXP_AUTO, prec,
                               err, errsize);
}

int
neft_gaussexp_hermite(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                      slong power, const arb_t K, slong hermite, slong prec,
                      char * err, size_t errsize)
{
    arb_ptr u;
    slong a;
    int status;

    if (power < 0 || power > 64 || !arb_is_nonnegative(K))
    {
        arb_indeterminate(res);
        snprintf(err, errsize, "Gaussian expectation: bad power or variance");
        return NEFT_BAD_INPUT;
    }
    u = _arb_vec_init(power + 1);
    arb_sqrtpos(u + 0, K, prec);
    for (a = 1; a < power; a++)
        arb_set(u + a, u + 0);
    status = neft_gaussexp_product(res, act, par, deriv, u, power, 1, hermite, prec,
                                   err, errsize);
    _arb_vec_clear(u, power + 1);
    return status;
}

double
neft_gaussexp_cost(slong n, slong dim, int parity, double sigma_cost, slong prec)
{
    double A = _neft_cost_arb(prec), evals;
    evals = dim == 1 ? 2.0 * (double) prec + 50 : 2500.0 * (double) prec;
    if (parity == 0)
        evals *= 2;
    return evals * ((double) n * (sigma_cost + 2 * A) + _neft_cost_exp(prec) + 4 * A);
}
