/* Gaussian expectations M_k = E[prod_a sigma(z_a)] of the first layer, as balls.
 *
 * z(x) = b0 + W0.x is a Gaussian process with k(x,y) = sb^2 + sw^2 x.y/d_in.
 * The k pre-activations of one moment are written z_a = u_a . xi with xi a
 * standard normal vector of dimension 2 (d_in = 1: u_a = (sb, sw x_a); d_in >= 2
 * with at most two distinct points: the Cholesky factor of their 2x2 covariance).
 *  - GaussNet, sigma(z) = exp(z - k(x,x)): E[exp(sum z_a)] = exp(var/2), closed form.
 *  - ReLU: relu(u.xi) = r |u| max(0, cos(theta - phi)) in polar coordinates, so
 *    M = prod|u_a| 2^(k/2) (k/2)! / (2 pi) * int_arc prod_a cos(theta - phi_a),
 *    the arc being where every cosine is >= 0; the product is expanded into
 *    cosines of sums (2^(k-1) terms), each integrated in closed form.
 *  - Erf, tanh: Arb integration (acb_calc_integrate) -- 1-D when the u_a are
 *    collinear with a coordinate axis or the tuple has a single point, else in polar coordinates (theta over
 *    [0, pi] by the symmetry xi -> -xi, r over [0, R] with the tail bounded by
 *    |sigma| <= 1). */

#include <string.h>
#include "neft/exact.h"
#include "neft/act.h"
#include "neft/interrupt.h"
#include "../cost.h"

static void
kxy(arb_t res, const neft_exact_spec_t spec, slong a, slong b, slong prec)
{
    arb_t t;
    slong k, d = spec->d_in;
    arb_init(t);
    arb_zero(res);
    for (k = 0; k < d; k++)
        arb_addmul(res, spec->points + a * d + k, spec->points + b * d + k, prec);
    arb_mul(res, res, spec->sw, prec);
    arb_mul(res, res, spec->sw, prec);
    arb_div_si(res, res, d, prec);
    arb_sqr(t, spec->sb, prec);
    arb_add(res, res, t, prec);
    arb_clear(t);
}

/* ------------------------------------------------------------------ ReLU */

static int
relu_moment(arb_t res, arb_srcptr u, const slong * idx, slong n, slong prec)
{
    arb_ptr rho, delta;
    arb_t lo, hi, pi, alpha, beta, A, t, c, s1, s2;
    slong a, b, mask;
    int status = NEFT_EXACT_SUCCESS;

    for (a = 0; a < n; a++)
        if (arb_is_zero(u + 2 * a) && arb_is_zero(u + 2 * a + 1))
        {
            arb_zero(res);   /* sigma(0) = 0 for every draw */
            return NEFT_EXACT_SUCCESS;
        }
    rho = _arb_vec_init(n);
    delta = _arb_vec_init(n);
    arb_init(lo); arb_init(hi); arb_init(pi); arb_init(alpha); arb_init(beta);
    arb_init(A); arb_init(t); arb_init(c); arb_init(s1); arb_init(s2);

    arb_const_pi(pi, prec);
    for (a = 0; a < n; a++)
    {
        arb_hypot(rho + a, u + 2 * a, u + 2 * a + 1, prec);
        if (arb_contains_zero(rho + a))
        {
            status = NEFT_EXACT_FAILURE;
            goto out;
        }
        /* angle of u_a relative to u_0; the same point gets exactly 0 */
        for (b = 0; b < a && idx[b] != idx[a]; b++)
            ;
        if (b < a)
            arb_set(delta + a, delta + b);
        else if (idx[a] == idx[0])
            arb_zero(delta + a);
        else
        {
            arb_mul(s1, u + 0, u + 2 * a + 1, prec);
            arb_submul(s1, u + 1, u + 2 * a, prec);      /* cross */
            arb_mul(s2, u + 0, u + 2 * a, prec);
            arb_addmul(s2, u + 1, u + 2 * a + 1, prec);  /* dot */
            arb_atan2(delta + a, s1, s2, prec);
        }
    }
    arb_zero(lo);
    arb_zero(hi);
    for (a = 1; a < n; a++)
    {
        arb_min(lo, lo, delta + a, prec);
        arb_max(hi, hi, delta + a, prec);
    }
    arb_sub(t, hi, lo, prec);
    if (arb_ge(t, pi))
    {
        arb_zero(res);   /* no direction where all pre-activations are positive */
        goto out;
    }
    if (!arb_lt(t, pi))
    {
        status = NEFT_EXACT_FAILURE;
        goto out;
    }
    /* arc [hi - pi/2, lo + pi/2] of theta - phi_0 */
    arb_mul_2exp_si(t, pi, -1);
    arb_sub(alpha, hi, t, prec);
    arb_add(beta, lo, t, prec);
    arb_zero(A);
    /* prod cos(theta - d_a) = 2^-n sum_{s in {+-1}^n} cos(S theta - sum s_a d_a);
       s and -s give the same term: s_0 = +1 and a factor 2 */
    for (mask = 0; mask < (WORD(1) << (n - 1)); mask++)
    {
        slong S = 1;
        arb_set(c, delta + 0);
        for (a = 1; a < n; a++)
            if (mask & (WORD(1) << (a - 1)))
            {
                S--;
                arb_sub(c, c, delta + a, prec);
            }
            else
            {
                S++;
                arb_add(c, c, delta + a, prec);
            }
        if (S == 0)
        {
            arb_sub(t, beta, alpha, prec);
            arb_cos(s1, c, prec);
            arb_addmul(A, t, s1, prec);
        }
        else
        {
            arb_mul_si(s1, beta, S, prec);
            arb_sub(s1, s1, c, prec);
            arb_sin(s1, s1, prec);
            arb_mul_si(s2, alpha, S, prec);
            arb_sub(s2, s2, c, prec);
            arb_sin(s2, s2, prec);
            arb_sub(s1, s1, s2, prec);
            arb_div_si(s1, s1, S, prec);
            arb_add(A, A, s1, prec);
        }
    }
    arb_mul_2exp_si(A, A, 1 - n);
    /* radial part int_0^inf r^(n+1) e^(-r^2/2) dr = 2^(n/2) (n/2)!, over 2 pi */
    arb_fac_ui(t, (ulong) n / 2, prec);
    arb_mul_2exp_si(t, t, n / 2);
    arb_div(t, t, pi, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_mul(res, A, t, prec);
    for (a = 0; a < n; a++)
        arb_mul(res, res, rho + a, prec);
out:
    _arb_vec_clear(rho, n);
    _arb_vec_clear(delta, n);
    arb_clear(lo); arb_clear(hi); arb_clear(pi); arb_clear(alpha); arb_clear(beta);
    arb_clear(A); arb_clear(t); arb_clear(c); arb_clear(s1); arb_clear(s2);
    return status;
}

/* ------------------------------------------------------------------ erf, tanh */

typedef struct
{
    int activation;
    neft_act_srcptr row;  /* its row of the activation table */
    slong n;
    acb_ptr w;        /* the n slopes: sigma(r * w_a) */
    arb_srcptr u;     /* 2-D: u_a, for the outer integrand */
    slong inner_goal;
}
integrand_param;

/* prod_a sigma(r w_a), checking holomorphy of tanh (poles at Im = pi/2 + k pi)
   when order == 1; erf is entire. */
static int
sigma_product(acb_t res, const acb_t r, const integrand_param * p, slong order, slong prec)
{
    acb_t z, v;
    arb_t half_pi, im;
    slong a;
    int ok = 1;

    acb_init(z); acb_init(v); arb_init(half_pi); arb_init(im);
    acb_one(res);
    arb_const_pi(half_pi, prec);
    arb_mul_2exp_si(half_pi, half_pi, -1);
    for (a = 0; a < p->n && ok; a++)
    {
        acb_mul(z, r, p->w + a, prec);
        if (p->activation != NEFT_ACTIVATION_ERF && order == 1)
        {
            /* tanh: only inside the strip |Im z| < pi/2 (stricter than the
               row, whose poles give non-finite balls by themselves) */
            arb_abs(im, acb_imagref(z));
            if (!arb_lt(im, half_pi))
            {
                ok = 0;
                break;
            }
        }
        p->row->eval_acb(v, z, NULL, 0, 0, prec);
        acb_mul(res, res, v, prec);
    }
    if (!ok)
        acb_indeterminate(res);
    acb_clear(z); acb_clear(v); arb_clear(half_pi); arb_clear(im);
    return 0;
}

/* exp(-r^2/2) prod sigma(r w_a) (1-D) */
static int
f_line(acb_ptr res, const acb_t r, void * param, slong order, slong prec)
{
    acb_t g;
    if (neft_interrupted())
    {
        /* a stop request: 0 makes Arb converge at once; the meaningless
           result is replaced by neft_exact_moment (INTERRUPTED) */
        acb_zero(res);
        return 0;
    }
    acb_init(g);
    sigma_product(res, r, param, order, prec);
    acb_sqr(g, r, prec);
    acb_mul_2exp_si(g, g, -1);
    acb_neg(g, g);
    acb_exp(g, g, prec);
    acb_mul(res, res, g, prec);
    acb_clear(g);
    return 0;
}

/* r exp(-r^2/2) prod sigma(r w_a(theta)) (inner polar integrand) */
static int
f_radial(acb_ptr res, const acb_t r, void * param, slong order, slong prec)
{
    f_line(res, r, param, order, prec);
    acb_mul(res, res, r, prec);
    return 0;
}

static void
integrate_opts(acb_calc_integrate_opt_t opt, mag_t tol, slong goal)
{
    acb_calc_integrate_opt_init(opt);
    mag_set_ui_2exp_si(tol, 1, -goal);
}

/* Radius R with the Gaussian tail below 2^-(prec+8). */
static double
cutoff(slong prec)
{
    return sqrt(2.0 * ((double) prec + 8.0) * 0.6931471805599453) + 1.0;
}

/* theta -> int_0^R f_radial dr with w_a = u_a1 cos theta + u_a2 sin theta */
static int
f_angle(acb_ptr res, const acb_t theta, void * param, slong order, slong prec)
{
    const integrand_param * p = param;
    integrand_param q = *p;
    acb_t c, s, a0, b0;
    acb_calc_integrate_opt_t opt;
    mag_t tol;
    slong a, goal;

    if (neft_interrupted())
    {
        acb_zero(res);
        return 0;
    }
    acb_init(c); acb_init(s); acb_init(a0); acb_init(b0);
    mag_init(tol);
    q.w = _acb_vec_init(p->n);
    acb_sin_cos(s, c, theta, prec);
    for (a = 0; a < p->n; a++)
    {
        acb_mul_arb(q.w + a, c, p->u + 2 * a, prec);
        acb_addmul_arb(q.w + a, s, p->u + 2 * a + 1, prec);
    }
    /* a bound on a complex region needs few bits (see docs/notes on nested
       integration): low goal and a small evaluation budget there */
    goal = (order == 1) ? 8 : p->inner_goal;
    integrate_opts(opt, tol, goal);
    if (order == 1)
        opt->eval_limit = 2000;
    acb_zero(a0);
    acb_set_d(b0, cutoff(p->inner_goal));
    acb_calc_integrate(res, f_radial, &q, a0, b0, goal, tol, opt, prec);
    _acb_vec_clear(q.w, p->n);
    acb_clear(c); acb_clear(s); acb_clear(a0); acb_clear(b0);
    mag_clear(tol);
    return 0;
}

static int
smooth_moment(arb_t res, const neft_exact_spec_t spec, arb_srcptr u, const slong * idx,
              slong n, slong prec)
{
    integrand_param p;
    acb_calc_integrate_opt_t opt;
    mag_t tol;
    acb_t a0, b0, v;
    arb_t t;
    slong a, axis = -1, goal = prec;
    int status = NEFT_EXACT_SUCCESS;
    double R = cutoff(prec);

    if (spec->activation != NEFT_ACTIVATION_ERF && spec->activation != NEFT_ACTIVATION_TANH)
    {
        /* no other activation's code answers for an unknown one */
        arb_indeterminate(res);
        return NEFT_EXACT_BAD_INPUT;
    }
    acb_init(a0); acb_init(b0); acb_init(v); arb_init(t);
    mag_init(tol);
    p.activation = spec->activation;
    p.row = neft_act_lookup(neft_sample_activation_name(spec->activation));
    p.n = n;
    p.u = u;
    p.inner_goal = goal;
    p.w = _acb_vec_init(n);
    /* collinear with an axis? */
    for (a = 0; a < n && arb_is_zero(u + 2 * a + 1); a++)
        ;
    if (a == n)
        axis = 0;
    else
    {
        for (a = 0; a < n && arb_is_zero(u + 2 * a); a++)
            ;
        if (a == n)
            axis = 1;
    }
    for (a = 1; a < n && idx[a] == idx[0]; a++)
        ;
    if (a == n)
        axis = 2;   /* one point: z = |u| xi */
    integrate_opts(opt, tol, goal);
    acb_zero(a0);
    if (axis >= 0)
    {
        /* E = 2/sqrt(2 pi) int_0^R e^(-x^2/2) prod sigma(c_a x) dx  (even integrand) */
        for (a = 0; a < n; a++)
            if (axis == 2)
            {
                arb_hypot(t, u + 0, u + 1, prec);
                acb_set_arb(p.w + a, t);
            }
            else
                acb_set_arb(p.w + a, u + 2 * a + axis);
        acb_set_d(b0, R);
        acb_calc_integrate(v, f_line, &p, a0, b0, goal, tol, opt, prec);
        arb_const_pi(t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_rsqrt(t, t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_mul(res, acb_realref(v), t, prec);
        /* tail: |prod sigma| <= 1, 2 int_R^inf phi = erfc(R/sqrt 2) <= exp(-R^2/2) */
        arb_set_d(t, -R * R / 2);
        arb_exp(t, t, prec);
    }
    else
    {
        /* E = (1/pi) int_0^pi dtheta int_0^R r e^(-r^2/2) prod sigma dr + tail */
        arb_const_pi(t, prec);
        acb_set_arb(b0, t);
        acb_calc_integrate(v, f_angle, &p, a0, b0, goal, tol, opt, prec);
        arb_div(res, acb_realref(v), t, prec);
        arb_set_d(t, -R * R / 2);
        arb_exp(t, t, prec);
    }
    arb_add_error(res, t);
    if (!arb_is_finite(res))
        status = NEFT_EXACT_FAILURE;
    _acb_vec_clear(p.w, n);
    acb_clear(a0); acb_clear(b0); acb_clear(v); arb_clear(t);
    mag_clear(tol);
    return status;
}

/* ------------------------------------------------------------------ dispatch */

int
neft_exact_moment(arb_t res, const neft_exact_spec_t spec, const slong * idx, slong n,
                  slong prec)
{
    arb_ptr u;
    arb_t t, s;
    slong a, b, p, q, d = spec->d_in;
    int status = NEFT_EXACT_SUCCESS;

    if (n == 0)
    {
        arb_one(res);
        return NEFT_EXACT_SUCCESS;
    }
    arb_init(t);
    arb_init(s);
    if (spec->activation == NEFT_ACTIVATION_GAUSS)
    {
        /* E[exp(sum_a z_a - sum_a k_aa)] = exp(sum_{a,b} k_ab / 2 - sum_a k_aa) */
        arb_zero(s);
        for (a = 0; a < n; a++)
            for (b = 0; b < n; b++)
            {
                kxy(t, spec, idx[a], idx[b], prec);
                arb_add(s, s, t, prec);
            }
        arb_mul_2exp_si(s, s, -1);
        for (a = 0; a < n; a++)
        {
            kxy(t, spec, idx[a], idx[a], prec);
            arb_sub(s, s, t, prec);
        }
        arb_exp(res, s, prec);
        arb_clear(t);
        arb_clear(s);
        return NEFT_EXACT_SUCCESS;
    }

    u = _arb_vec_init(2 * n);
    if (d == 1)
    {
        for (a = 0; a < n; a++)
        {
            arb_set(u + 2 * a, spec->sb);
            arb_mul(u + 2 * a + 1, spec->sw, spec->points + idx[a], prec);
        }
    }
    else
    {
        /* at most two distinct points: Cholesky of their covariance */
        p = idx[0];
        q = -1;
        for (a = 0; a < n; a++)
            if (idx[a] != p)
            {
                if (q >= 0 && idx[a] != q)
                {
                    status = NEFT_EXACT_UNSUPPORTED;
                    goto out;
                }
                q = idx[a];
            }
        kxy(t, spec, p, p, prec);
        if (arb_is_zero(t))
        {
            /* z_p = 0 identically */
            for (a = 0; a < n; a++)
                if (idx[a] == q)
                {
                    kxy(s, spec, q, q, prec);
                    arb_sqrtpos(u + 2 * a, s, prec);
                }
        }
        else if (arb_contains_zero(t))
        {
            status = NEFT_EXACT_FAILURE;
            goto out;
        }
        else
        {
            arb_t upq, uqq;
            arb_init(upq);
            arb_init(uqq);
            arb_sqrt(t, t, prec);                 /* sqrt(C_pp) */
            if (q >= 0)
            {
                kxy(upq, spec, p, q, prec);
                arb_div(upq, upq, t, prec);       /* C_pq / sqrt(C_pp) */
                kxy(uqq, spec, q, q, prec);
                arb_submul(uqq, upq, upq, prec);
                arb_sqrtpos(uqq, uqq, prec);
            }
            for (a = 0; a < n; a++)
                if (idx[a] == p)
                    arb_set(u + 2 * a, t);
                else
                {
                    arb_set(u + 2 * a, upq);
                    arb_set(u + 2 * a + 1, uqq);
                }
            arb_clear(upq);
            arb_clear(uqq);
        }
    }
    if (spec->activation == NEFT_ACTIVATION_RELU)
        status = relu_moment(res, u, idx, n, prec);
    else
        status = smooth_moment(res, spec, u, idx, n, prec);
    if (neft_interrupted())
        status = NEFT_EXACT_INTERRUPTED;
out:
    if (status != NEFT_EXACT_SUCCESS)
        arb_indeterminate(res);
    _arb_vec_clear(u, 2 * n);
    arb_clear(t);
    arb_clear(s);
    return status;
}

double
neft_exact_moment_cost(const neft_exact_spec_t spec, const slong * idx, slong n, slong prec)
{
    slong a, b, distinct = 0, d = spec->d_in;
    double A = _neft_cost_arb(prec), evals, sigma;
    int zero = 1;

    if (n == 0)
        return 0;
    for (a = 0; a < n; a++)
    {
        for (b = 0; b < a && idx[b] != idx[a]; b++)
            ;
        distinct += (b == a);
        for (b = 0; b < d; b++)
            zero = zero && arb_is_zero(spec->points + idx[a] * d + b);
    }
    if (spec->activation == NEFT_ACTIVATION_GAUSS)
        return (double) (n * n) * ((double) d + 6) * A + _neft_cost_exp(prec);
    if (d >= 2 && distinct >= 3)
        return 20 * A;   /* refused: not implemented */
    if (spec->activation == NEFT_ACTIVATION_RELU)
        return (double) n * (_neft_cost_exp(prec) + 20 * A)
             + (double) (WORD(1) << (n - 1)) * (2 * _neft_cost_exp(prec) + 10 * A);
    sigma = spec->activation == NEFT_ACTIVATION_ERF ? _neft_cost_erf(prec) : _neft_cost_tanh(prec);
    if (distinct == 1 || (d == 1 && (arb_is_zero(spec->sb) || zero)))
        evals = 2.0 * (double) prec + 50;
    else
        evals = 2500.0 * (double) prec;
    return evals * ((double) n * (sigma + 2 * A) + _neft_cost_exp(prec) + 4 * A);
}
