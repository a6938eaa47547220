/* Gaussian expectations M_k = E[prod_a sigma(z_a)] of the first layer, as balls,
 * decided per activation by a method table (one row per activation of
 * neft/act.h that exact knows; a row without one is refused by name).
 *
 * z(x) = b0 + W0.x is a Gaussian process with k(x,y) = sb^2 + sw^2 x.y/d_in.
 * Methods on the kernel matrix k_ab (any d_in, any points):
 *  - GaussNet, sigma(z) = exp(z - k(x,x)): E[exp(sum z_a)] = exp(var/2).
 *  - sin: prod_a sin z_a = (2i)^-n sum_s (prod s_a) e^{i s.z}, and
 *    E[e^{i s.z}] = e^{-s^T k s / 2}: M = (-1)^(n/2) 2^(1-n) sum_{s_0 = +1} ...
 *  - linear: Wick/Isserlis, the sum over perfect matchings of prod k_ab.
 * Methods on the plane: the k pre-activations of one moment are written
 * z_a = u_a . xi with xi a standard normal vector of dimension 2 (d_in = 1:
 * u_a = (sb, sw x_a); d_in >= 2 with at most two distinct points: the Cholesky
 * factor of their 2x2 covariance).
 *  - ReLU: relu(u.xi) = r |u| max(0, cos(theta - phi)) in polar coordinates, so
 *    M = prod|u_a| 2^(k/2) Gamma(k/2 + 1) / (2 pi) * int_arc prod_a cos(theta - phi_a)
 *    (2^(k/2) Gamma(k/2 + 1) = k!!, times sqrt(pi/2) for k odd),
 *    the arc being where every cosine is >= 0; the product is expanded into
 *    cosines of sums (2^(k-1) terms), each integrated in closed form.
 *  - leaky-relu: sigma(z) = s z + (1 - s) relu(z), so M is the sum over the
 *    subsets A of the factors of s^(n-|A|) (1-s)^|A| E[prod_{a in A} relu(z_a)
 *    prod_{a not in A} z_a]: the same integral with the arc of A only (the
 *    whole circle for A empty).
 *  - tanh, erf, gelu, silu, sigmoid: the Gaussian-expectation integrator
 *    (neft/gaussexp.h) -- 1-D when the u_a are collinear with a coordinate
 *    axis or the tuple has a single point, else 2-D in polar coordinates. */

#include <stdio.h>
#include <string.h>
#include "neft/exact.h"
#include "neft/act.h"
#include "neft/gaussexp.h"
#include "neft/interrupt.h"
#include "../cost.h"
#include "exact-internal.h"

/* The net's hyper-parameters as balls, once per moment. */
typedef struct
{
    const neft_exact_spec_struct * spec;
    arb_t sw, sb;
    slong d;
}
ctx_struct;

static void
kxy(arb_t res, const ctx_struct * ctx, slong a, slong b, slong prec)
{
    arb_srcptr x = ctx->spec->points;
    arb_t t;
    slong k, d = ctx->d;
    arb_init(t);
    arb_zero(res);
    for (k = 0; k < d; k++)
        arb_addmul(res, x + a * d + k, x + b * d + k, prec);
    arb_mul(res, res, ctx->sw, prec);
    arb_mul(res, res, ctx->sw, prec);
    arb_div_si(res, res, d, prec);
    arb_sqr(t, ctx->sb, prec);
    arb_add(res, res, t, prec);
    arb_clear(t);
}

/* ------------------------------------------------------------------ relu, leaky-relu */

/* E[prod_{a in A} relu(z_a) prod_{a not in A} z_a] for z_a = u_a . xi (A: bit a
   of mask; any n >= 1).  In polar coordinates the integrand is r^n prod|u_a|
   prod_a cos(theta - phi_a) on the arc where the cosines of A are >= 0 (the
   whole circle for A empty: 0 for n odd). */
static int
planar_moment(arb_t res, arb_srcptr u, const slong * idx, slong n, ulong A, slong prec)
{
    arb_ptr rho, delta;
    arb_t lo, hi, pi, alpha, beta, I, t, c, s1, s2;
    slong a, b, mask, ref;
    int status = NEFT_EXACT_SUCCESS, full = (A == 0), thin = 0;

    for (a = 0; a < n; a++)
        if (arb_is_zero(u + 2 * a) && arb_is_zero(u + 2 * a + 1))
        {
            arb_zero(res);   /* z_a = 0 for every draw */
            return NEFT_EXACT_SUCCESS;
        }
    /* angles relative to the first factor of A (of all for A empty) */
    for (ref = 0; ref < n && !full && !(A & (UWORD(1) << ref)); ref++)
        ;
    rho = _arb_vec_init(n);
    delta = _arb_vec_init(n);
    arb_init(lo); arb_init(hi); arb_init(pi); arb_init(alpha); arb_init(beta);
    arb_init(I); arb_init(t); arb_init(c); arb_init(s1); arb_init(s2);

    arb_const_pi(pi, prec);
    for (a = 0; a < n; a++)
    {
        arb_hypot(rho + a, u + 2 * a, u + 2 * a + 1, prec);
        if (arb_contains_zero(rho + a))
        {
            status = NEFT_EXACT_FAILURE;
            goto out;
        }
        /* angle of u_a relative to u_ref; the same point gets exactly the same */
        for (b = 0; b < a && idx[b] != idx[a]; b++)
            ;
        if (b < a)
            arb_set(delta + a, delta + b);
        else if (idx[a] == idx[ref])
            arb_zero(delta + a);
        else
        {
            arb_mul(s1, u + 2 * ref, u + 2 * a + 1, prec);
            arb_submul(s1, u + 2 * ref + 1, u + 2 * a, prec);      /* cross */
            arb_mul(s2, u + 2 * ref, u + 2 * a, prec);
            arb_addmul(s2, u + 2 * ref + 1, u + 2 * a + 1, prec);  /* dot */
            arb_atan2(delta + a, s1, s2, prec);
        }
    }
    if (full)
    {
        /* theta - phi_ref over a whole period */
        arb_zero(alpha);
        arb_mul_2exp_si(beta, pi, 1);
    }
    else
    {
        arb_zero(lo);
        arb_zero(hi);
        for (a = 0; a < n; a++)
            if (a != ref && (A & (UWORD(1) << a)))
            {
                arb_min(lo, lo, delta + a, prec);
                arb_max(hi, hi, delta + a, prec);
            }
        arb_sub(t, hi, lo, prec);
        if (arb_ge(t, pi))
        {
            arb_zero(res);   /* no direction where all of A are positive */
            goto out;
        }
        if (!arb_lt(t, pi))
            thin = 1;        /* the arc's length pi - t contains 0: bounded below */
        /* arc [hi - pi/2, lo + pi/2] of theta - phi_ref */
        arb_mul_2exp_si(t, pi, -1);
        arb_sub(alpha, hi, t, prec);
        arb_add(beta, lo, t, prec);
    }
    arb_zero(I);
    if (thin)
    {
        /* |prod cos| <= 1 on an arc of length in [0, max(0, beta - alpha)] */
        arb_sub(t, beta, alpha, prec);
        arb_get_ubound_arf(arb_midref(t), t, prec);
        mag_zero(arb_radref(t));
        arb_zero(I);
        if (arf_sgn(arb_midref(t)) > 0)
            arb_get_mag(arb_radref(I), t);
    }
    else
    {
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
                arb_addmul(I, t, s1, prec);
            }
            else if (!full)   /* over a whole period the term is 0 */
            {
                arb_mul_si(s1, beta, S, prec);
                arb_sub(s1, s1, c, prec);
                arb_sin(s1, s1, prec);
                arb_mul_si(s2, alpha, S, prec);
                arb_sub(s2, s2, c, prec);
                arb_sin(s2, s2, prec);
                arb_sub(s1, s1, s2, prec);
                arb_div_si(s1, s1, S, prec);
                arb_add(I, I, s1, prec);
            }
        }
        arb_mul_2exp_si(I, I, 1 - n);
    }
    /* radial part int_0^inf r^(n+1) e^(-r^2/2) dr = 2^(n/2) Gamma(n/2 + 1) = n!!,
       times sqrt(pi/2) for n odd; over 2 pi */
    arb_one(t);
    for (a = n; a > 1; a -= 2)
        arb_mul_ui(t, t, (ulong) a, prec);
    if (n % 2)
    {
        arb_mul_2exp_si(s1, pi, -1);
        arb_sqrt(s1, s1, prec);
        arb_mul(t, t, s1, prec);
    }
    arb_div(t, t, pi, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_mul(res, I, t, prec);
    for (a = 0; a < n; a++)
        arb_mul(res, res, rho + a, prec);
out:
    _arb_vec_clear(rho, n);
    _arb_vec_clear(delta, n);
    arb_clear(lo); arb_clear(hi); arb_clear(pi); arb_clear(alpha); arb_clear(beta);
    arb_clear(I); arb_clear(t); arb_clear(c); arb_clear(s1); arb_clear(s2);
    return status;
}

static int
relu_method(arb_t res, const ctx_struct * ctx, arb_srcptr u, const slong * idx, slong n,
            slong prec, char * err, size_t errsize)
{
    (void) ctx; (void) err; (void) errsize;
    return planar_moment(res, u, idx, n, (UWORD(1) << n) - 1, prec);
}

/* sum over A of s^(n - |A|) (1 - s)^|A| E[prod_A relu prod_rest z] */
static int
leaky_method(arb_t res, const ctx_struct * ctx, arb_srcptr u, const slong * idx, slong n,
             slong prec, char * err, size_t errsize)
{
    arb_t s, r, m, w, t;
    ulong A;
    slong k;
    int status = NEFT_EXACT_SUCCESS;
    (void) err; (void) errsize;
    arb_init(s); arb_init(r); arb_init(m); arb_init(w); arb_init(t);
    neft_net_srcptr net = ctx->spec->net;
    neft_net_param_arb(s, net, prec);
    arb_sub_ui(r, s, 1, prec);
    arb_neg(r, r);
    arb_zero(res);
    for (A = 0; A < (UWORD(1) << n) && status == NEFT_EXACT_SUCCESS; A++)
    {
        slong na = __builtin_popcountl(A);
        if ((na < n && arb_is_zero(s)) || (na > 0 && arb_is_zero(r)))
            continue;
        status = planar_moment(m, u, idx, n, A, prec);
        arb_pow_ui(w, s, (ulong) (n - na), prec);
        arb_pow_ui(t, r, (ulong) na, prec);
        arb_mul(w, w, t, prec);
        arb_addmul(res, w, m, prec);
        if (neft_interrupted())
            status = NEFT_EXACT_INTERRUPTED;
    }
    (void) k;
    arb_clear(s); arb_clear(r); arb_clear(m); arb_clear(w); arb_clear(t);
    return status;
}

/* ------------------------------------------------------------------ integrated rows */

static int
integrate_method(arb_t res, const ctx_struct * ctx, arb_srcptr u, const slong * idx, slong n,
                 slong prec, char * err, size_t errsize)
{
    neft_net_srcptr net = ctx->spec->net;
    arb_ptr w;
    arb_t par;
    slong a, axis = -1;
    int status;

    w = _arb_vec_init(n);
    arb_init(par);
    if (net->act->nparams > 0)
        neft_net_param_arb(par, net, prec);
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
    if (axis >= 0)
    {
        for (a = 0; a < n; a++)
            if (axis == 2)
                arb_hypot(w + a, u + 0, u + 1, prec);
            else
                arb_set(w + a, u + 2 * a + axis);
        status = neft_gaussexp_product(res, net->act, net->act->nparams ? par : NULL, 0,
                                       w, n, 1, 0, prec, err, errsize);
    }
    else
        status = neft_gaussexp_product(res, net->act, net->act->nparams ? par : NULL, 0,
                                       u, n, 2, 0, prec, err, errsize);
    if (status == NEFT_NO_CONVERGENCE)
        status = NEFT_SUCCESS;   /* a finite ball containing the value */
    _arb_vec_clear(w, n);
    arb_clear(par);
    return status;
}

/* ------------------------------------------------------------------ kernel-matrix methods */

static void
gauss_method(arb_t res, const ctx_struct * ctx, const slong * idx, slong n, slong prec)
{
    arb_t t, s;
    slong a, b;
    arb_init(t);
    arb_init(s);
    /* E[exp(sum_a z_a - sum_a k_aa)] = exp(sum_{a,b} k_ab / 2 - sum_a k_aa) */
    arb_zero(s);
    for (a = 0; a < n; a++)
        for (b = 0; b < n; b++)
        {
            kxy(t, ctx, idx[a], idx[b], prec);
            arb_add(s, s, t, prec);
        }
    arb_mul_2exp_si(s, s, -1);
    for (a = 0; a < n; a++)
    {
        kxy(t, ctx, idx[a], idx[a], prec);
        arb_sub(s, s, t, prec);
    }
    arb_exp(res, s, prec);
    arb_clear(t);
    arb_clear(s);
}

/* M = (-1)^(n/2) 2^(1-n) sum_{s in {+-1}^n, s_0 = +1} (prod s_a) exp(-s^T k s / 2),
   n even (s and -s give the same term); an odd n is exactly 0 (sin is odd) and
   never reaches here (neft_exact_moment_why) */
static void
sin_method(arb_t res, const ctx_struct * ctx, const slong * idx, slong n, slong prec)
{
    arb_ptr k = _arb_vec_init(n * n);
    arb_t q, t;
    slong a, b, mask;
    arb_init(q);
    arb_init(t);
    for (a = 0; a < n; a++)
        for (b = a; b < n; b++)
        {
            kxy(k + a * n + b, ctx, idx[a], idx[b], prec);
            arb_set(k + b * n + a, k + a * n + b);
        }
    arb_zero(res);
    for (mask = 0; mask < (WORD(1) << (n - 1)); mask++)
    {
        int sign = 1;
        arb_zero(q);
        for (a = 0; a < n; a++)
        {
            int sa = (a > 0 && (mask & (WORD(1) << (a - 1)))) ? -1 : 1;
            sign *= sa;
            for (b = 0; b < n; b++)
            {
                int sb = (b > 0 && (mask & (WORD(1) << (b - 1)))) ? -1 : 1;
                if (sa * sb > 0)
                    arb_add(q, q, k + a * n + b, prec);
                else
                    arb_sub(q, q, k + a * n + b, prec);
            }
        }
        arb_mul_2exp_si(q, q, -1);
        arb_neg(q, q);
        arb_exp(t, q, prec);
        if (sign > 0)
            arb_add(res, res, t, prec);
        else
            arb_sub(res, res, t, prec);
    }
    arb_mul_2exp_si(res, res, 1 - n);
    if ((n / 2) % 2)
        arb_neg(res, res);
    _arb_vec_clear(k, n * n);
    arb_clear(q);
    arb_clear(t);
}

/* Wick/Isserlis: sum over the perfect matchings of the factors (mask: those
   left) of prod k_ab */
static void
wick(arb_t res, const ctx_struct * ctx, const slong * idx, ulong left, slong prec)
{
    slong a = left ? __builtin_ctzl(left) : 0, b;
    arb_t t, m;
    arb_set_si(res, left == 0);   /* the empty matching: 1 */
    if (left == 0)
        return;
    arb_init(t);
    arb_init(m);
    for (b = a + 1; b < 64; b++)
        if (left & (UWORD(1) << b))
        {
            wick(m, ctx, idx, left & ~(UWORD(1) << a) & ~(UWORD(1) << b), prec);
            kxy(t, ctx, idx[a], idx[b], prec);
            arb_addmul(res, t, m, prec);
        }
    arb_clear(t);
    arb_clear(m);
}

static void
linear_method(arb_t res, const ctx_struct * ctx, const slong * idx, slong n, slong prec)
{
    wick(res, ctx, idx, (UWORD(1) << n) - 1, prec);
}

/* ------------------------------------------------------------------ the method table */

#define KERNEL 0   /* on the kernel matrix: any d_in, any points */
#define PLANAR 1   /* on the plane of the pre-activations: <= 2 directions */

typedef void (*kernel_func)(arb_t, const ctx_struct *, const slong *, slong, slong);
typedef int (*planar_func)(arb_t, const ctx_struct *, arb_srcptr, const slong *, slong, slong,
                           char *, size_t);

typedef struct
{
    const char * name;      /* the row of neft/act.h */
    int kind;
    kernel_func kernel;
    planar_func planar;
    const char * how;       /* for messages and docs */
    double (*sigma_cost)(slong prec);   /* integrated rows: one evaluation of the row
                                           (erf, gelu: an erf; tanh and the logistic
                                           functions: an exp and a division); else NULL */
}
method_struct;

static const method_struct methods[] = {
    {"gauss", KERNEL, gauss_method, NULL, "closed form", NULL},
    {"sin", KERNEL, sin_method, NULL, "closed form", NULL},
    {"linear", KERNEL, linear_method, NULL, "Wick's theorem", NULL},
    {"relu", PLANAR, NULL, relu_method, "closed form", NULL},
    {"leaky-relu", PLANAR, NULL, leaky_method, "closed form", NULL},
    {"tanh", PLANAR, NULL, integrate_method, "integration", _neft_cost_tanh},
    {"erf", PLANAR, NULL, integrate_method, "integration", _neft_cost_erf},
    {"gelu", PLANAR, NULL, integrate_method, "integration", _neft_cost_erf},
    {"silu", PLANAR, NULL, integrate_method, "integration", _neft_cost_tanh},
    {"sigmoid", PLANAR, NULL, integrate_method, "integration", _neft_cost_tanh},
};

/* Every other row that declares a bound (|sigma| <= sup, or a + b |z|^p) is
   integrated too (a row added to the table, such as softplus), costed as an
   exp and a division or logarithm per evaluation (tanh's cost); the
   integrator refuses one whose bound it cannot use. */
static const method_struct integrated = {NULL, PLANAR, NULL, integrate_method, "integration",
                                         _neft_cost_tanh};

static const method_struct *
method_of(neft_act_srcptr act)
{
    slong i;
    if (act == NULL)
        return NULL;
    for (i = 0; i < (slong) (sizeof(methods) / sizeof(methods[0])); i++)
        if (!strcmp(methods[i].name, act->name))
            return methods + i;
    if (act->eval_acb != NULL && (neft_act_has(act, NEFT_ACT_CAP_BOUNDED, NULL)
                                  || neft_act_has(act, NEFT_ACT_CAP_GROWTH, NULL)))
        return &integrated;
    return NULL;
}

/* ------------------------------------------------------------------ dispatch */

static void net_sigmas(arb_t sw, arb_t sb, neft_net_srcptr net, slong prec);

int
_neft_exact_independent_zero(const neft_exact_spec_t spec, const slong * idx, slong n,
                             slong prec)
{
    neft_act_srcptr act = spec->net->act;
    ctx_struct ctx;
    arb_t k;
    slong a, p, q = -1, mp = 0;
    int zero;

    if (act == NULL || act->parity != -1 || n < 2)
        return 0;
    p = idx[0];
    for (a = 0; a < n; a++)
        if (idx[a] == p)
            mp++;
        else if (q < 0 || idx[a] == q)
            q = idx[a];
        else
            return 0;   /* three distinct points */
    if (q < 0 || mp % 2 == 0)
        return 0;
    ctx.spec = spec;
    ctx.d = spec->net->d_in;
    arb_init(ctx.sw);
    arb_init(ctx.sb);
    arb_init(k);
    net_sigmas(ctx.sw, ctx.sb, spec->net, prec + 16);
    kxy(k, &ctx, p, q, prec);
    zero = arb_is_zero(k);   /* exactly uncorrelated, hence independent */
    arb_clear(ctx.sw);
    arb_clear(ctx.sb);
    arb_clear(k);
    return zero;
}

/* The u_a of the plane (2 n balls), or UNSUPPORTED for three or more distinct
   points with d_in >= 2. */
static int
plane(arb_ptr u, const ctx_struct * ctx, const slong * idx, slong n, slong prec)
{
    arb_t t, s;
    slong a, p, q;
    int status = NEFT_EXACT_SUCCESS;
    arb_init(t);
    arb_init(s);
    if (ctx->d == 1)
    {
        for (a = 0; a < n; a++)
        {
            arb_set(u + 2 * a, ctx->sb);
            arb_mul(u + 2 * a + 1, ctx->sw, ctx->spec->points + idx[a], prec);
        }
        goto out;
    }
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
    kxy(t, ctx, p, p, prec);
    if (arb_is_zero(t))
    {
        /* z_p = 0 identically */
        for (a = 0; a < n; a++)
            if (idx[a] == q)
            {
                kxy(s, ctx, q, q, prec);
                arb_sqrtpos(u + 2 * a, s, prec);
            }
    }
    else if (arb_contains_zero(t))
        status = NEFT_EXACT_FAILURE;
    else
    {
        arb_t upq, uqq;
        arb_init(upq);
        arb_init(uqq);
        arb_sqrt(t, t, prec);                 /* sqrt(C_pp) */
        if (q >= 0)
        {
            kxy(upq, ctx, p, q, prec);
            arb_div(upq, upq, t, prec);       /* C_pq / sqrt(C_pp) */
            kxy(uqq, ctx, q, q, prec);
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
out:
    arb_clear(t);
    arb_clear(s);
    return status;
}

/* sigma_w, sigma_b of the net.  Not inlined: GCC 12 with -fsanitize=undefined
   reports a false stringop-overread on the net's array parameter there. */
static void __attribute__((noinline))
net_sigmas(arb_t sw, arb_t sb, neft_net_srcptr net, slong prec)
{
    neft_net_sw_arb(sw, net, prec);
    neft_net_sb_arb(sb, net, prec);
}

static void
where(char * buf, size_t size, const slong * idx, slong n)
{
    slong j, len = 0;
    buf[0] = '\0';
    for (j = 0; j < n && len < (slong) size; j++)
        len += snprintf(buf + len, size - len, "%s%ld", j ? "," : "", (long) idx[j]);
}

/* One moment by the shared D-dimensional rule (gridnd.c) over the spec of
   the tuple's distinct points alone. */
static int
gridnd_one(arb_t res, const _neft_exact_span_struct * S, const neft_exact_spec_struct * spec,
           slong n, slong prec, char * why, size_t whysize)
{
    neft_exact_spec_t sub;
    _neft_tuples_struct tree;
    arb_ptr x, M;
    slong d = spec->net->d_in, i, j, idx[NEFT_SAMPLE_MAX_NPT];
    int status;
    neft_exact_spec_init(sub);
    neft_net_set(sub->net, spec->net);
    x = _arb_vec_init(S->m * d);
    for (i = 0; i < S->m; i++)
        for (j = 0; j < d; j++)
            arb_set(x + i * d + j, spec->points + S->pt[i] * d + j);
    neft_exact_spec_set_points(sub, x, S->m);
    sub->threads = spec->threads;
    _neft_tuples_init(&tree, S->m, n);
    M = _arb_vec_init(tree.length);
    status = _neft_exact_gridnd(M, &tree, sub, prec, NULL, NULL, NULL, why, whysize);
    if (status == NEFT_SUCCESS)
    {
        for (i = 0; i < n; i++)
            idx[i] = S->of[i];
        for (i = 1; i < n; i++)   /* insertion sort */
            for (j = i; j > 0 && idx[j - 1] > idx[j]; j--)
            {
                slong t = idx[j];
                idx[j] = idx[j - 1];
                idx[j - 1] = t;
            }
        arb_set(res, M + _neft_tuples_index(&tree, idx, n));
    }
    _arb_vec_clear(M, tree.length);
    _neft_tuples_clear(&tree);
    _arb_vec_clear(x, S->m * d);
    neft_exact_spec_clear(sub);
    return status;
}

/* Three or more distinct points with d_in >= 2 (docs/cmd-exact.md): with at
   most two augmented dimensions (d_in = 2, sigma_b = 0) u_a = sw x_a /
   sqrt(d_in) directly; else the span of the tuple (span.c): rank <= 2 gives
   the plane vectors u (*done = 0: the caller runs the planar method), rank
   3 for relu the cone method (*done = 1, res set); the rest UNSUPPORTED
   with why. */
static int
wide(arb_t res, arb_ptr u, int * done, const method_struct * m, const ctx_struct * ctx,
     const slong * idx, slong n, slong prec, char * why, size_t whysize)
{
    neft_net_srcptr net = ctx->spec->net;
    slong d = ctx->d, a, j;
    _neft_exact_span_struct S;
    int status;
    *done = 0;
    if (d == 2 && fmpq_is_zero(net->cb))
    {
        arb_t t;
        arb_init(t);
        arb_set_ui(t, 2);
        arb_rsqrt(t, t, prec + 16);
        arb_mul(t, t, ctx->sw, prec + 16);
        for (a = 0; a < n; a++)
            for (j = 0; j < 2; j++)
                arb_mul(u + 2 * a + j, t, ctx->spec->points + idx[a] * 2 + j, prec + 16);
        arb_clear(t);
        return NEFT_EXACT_SUCCESS;
    }
    _neft_exact_span_init(&S);
    status = _neft_exact_span(&S, ctx->spec, idx, n, ctx->sw, ctx->sb, prec);
    if (status != NEFT_EXACT_SUCCESS)
        snprintf(why, whysize, "the rank of the inputs' augmented vectors is not decided by "
                 "their balls (an inexact input in a degenerate configuration)");
    else if (S.r <= 2)
        status = _neft_exact_span_plane(u, &S, n, prec + 16);
    else if (S.r >= 3 && m->planar == relu_method)
    {
        status = _neft_exact_relu_cone(res, &S, n, prec, why, whysize);
        *done = 1;
    }
    else if (m->planar == integrate_method && n % 2 == 0
             && _neft_exact_gridnd_applies(ctx->spec, prec))
    {
        /* (the rule's tree keeps even lengths only: an odd n of a row that is
           not odd is refused below) */
        *done = 1;
        status = gridnd_one(res, &S, ctx->spec, n, prec, why, whysize);
    }
    else
    {
        status = NEFT_EXACT_UNSUPPORTED;
        snprintf(why, whysize, "%s with pre-activations spanning %ld dimensions is not "
                 "implemented%s (see docs/cmd-exact.md)", net->act->name, (long) S.r,
                 m->planar != integrate_method ? ""
                 : n % 2 ? " for an odd number of factors" : " at this --prec or for this row");
    }
    _neft_exact_span_clear(&S);
    return status;
}

int
neft_exact_moment_why(arb_t res, const neft_exact_spec_t spec, const slong * idx, slong n,
                      slong prec, char * err, size_t errsize)
{
    neft_net_srcptr net = spec->net;
    const method_struct * m;
    ctx_struct ctx;
    arb_ptr u;
    char pts[256];
    int status = NEFT_EXACT_SUCCESS;

    if (n == 0)
    {
        arb_one(res);
        return NEFT_EXACT_SUCCESS;
    }
    where(pts, sizeof(pts), idx, n);
    if (spec->net->act == NULL)
    {
        arb_indeterminate(res);
        snprintf(err, errsize, "M_%ld(%s): no activation", (long) n, pts);
        return NEFT_EXACT_BAD_INPUT;
    }
    if ((m = method_of(spec->net->act)) == NULL)
    {
        /* no other activation's code answers for this one */
        arb_indeterminate(res);
        snprintf(err, errsize, "M_%ld(%s): %s has no method for exact Gaussian moments "
                 "(see docs/cmd-exact.md)", (long) n, pts, spec->net->act->name);
        return NEFT_EXACT_UNSUPPORTED;
    }
    if (_neft_exact_independent_zero(spec, idx, n, prec))
    {
        arb_zero(res);   /* independent factors, one of them odd: exactly 0 */
        return neft_interrupted() ? NEFT_EXACT_INTERRUPTED : NEFT_EXACT_SUCCESS;
    }
    if (n % 2 && spec->net->act->parity == -1)
    {
        arb_zero(res);   /* an odd row, z -> -z: an odd number of factors gives exactly 0 */
        return neft_interrupted() ? NEFT_EXACT_INTERRUPTED : NEFT_EXACT_SUCCESS;
    }
    ctx.spec = spec;
    ctx.d = spec->net->d_in;
    arb_init(ctx.sw);
    arb_init(ctx.sb);
    /* the decimal texts' values, 16 guard bits (as the command line gave them) */
    net_sigmas(ctx.sw, ctx.sb, net, prec + 16);
    if (m->kind == KERNEL)
        m->kernel(res, &ctx, idx, n, prec);
    else
    {
        u = _arb_vec_init(2 * n);
        status = plane(u, &ctx, idx, n, prec);
        if (status == NEFT_EXACT_UNSUPPORTED)
        {
            /* three or more distinct points, d_in >= 2: on the span (span.c) */
            char why[512];
            int done = 0;
            why[0] = '\0';
            status = wide(res, u, &done, m, &ctx, idx, n, prec, why, sizeof why);
            if (done || status != NEFT_EXACT_SUCCESS)
            {
                if (status != NEFT_EXACT_SUCCESS)
                    snprintf(err, errsize, "M_%ld(%s): %s", (long) n, pts, why);
                if (status == NEFT_EXACT_FAILURE)
                {
                    /* not the generic message below: say why */
                    arb_indeterminate(res);
                    _arb_vec_clear(u, 2 * n);
                    arb_clear(ctx.sw);
                    arb_clear(ctx.sb);
                    return NEFT_EXACT_FAILURE;
                }
                status = done && status == NEFT_EXACT_SUCCESS ? NEFT_EXACT_SUCCESS : status;
                _arb_vec_clear(u, 2 * n);
                goto finish;
            }
        }
        if (status == NEFT_EXACT_SUCCESS)
        {
            char why[512];
            why[0] = '\0';
            status = m->planar(res, &ctx, u, idx, n, prec, why, sizeof(why));
            if (status == NEFT_EXACT_UNSUPPORTED)
                snprintf(err, errsize, "M_%ld(%s): %s", (long) n, pts, why);
        }
        _arb_vec_clear(u, 2 * n);
    }
finish:
    if (neft_interrupted())
        status = NEFT_EXACT_INTERRUPTED;
    if (status == NEFT_EXACT_SUCCESS && !arb_is_finite(res))
        status = NEFT_EXACT_FAILURE;
    if (status == NEFT_EXACT_INTERRUPTED)
        snprintf(err, errsize, "interrupted while computing the Gaussian moments");
    else if (status != NEFT_EXACT_SUCCESS && status != NEFT_EXACT_UNSUPPORTED)
    {
        status = NEFT_EXACT_FAILURE;
        snprintf(err, errsize, "M_%ld(%s): could not certify the Gaussian "
                 "expectation (integration did not converge); try --prec", (long) n, pts);
    }
    if (status != NEFT_EXACT_SUCCESS)
        arb_indeterminate(res);
    arb_clear(ctx.sw);
    arb_clear(ctx.sb);
    return status;
}

int
neft_exact_moment(arb_t res, const neft_exact_spec_t spec, const slong * idx, slong n,
                  slong prec)
{
    char err[512];
    return neft_exact_moment_why(res, spec, idx, n, prec, err, sizeof(err));
}

int
_neft_exact_integrated_row(neft_act_srcptr act)
{
    const method_struct * m = method_of(act);
    return m != NULL && m->planar == integrate_method;
}

double
_neft_exact_sigma_cost(neft_act_srcptr act, slong prec)
{
    const method_struct * m = method_of(act);
    return (m != NULL && m->sigma_cost != NULL) ? m->sigma_cost(prec) : _neft_cost_tanh(prec);
}

double
neft_exact_moment_cost(const neft_exact_spec_t spec, const slong * idx, slong n, slong prec)
{
    const method_struct * m = method_of(spec->net->act);
    slong a, b, distinct = 0, d = spec->net->d_in;
    double A = _neft_cost_arb(prec), E = _neft_cost_exp(prec), kernel, terms;
    int zero = 1;

    if (n == 0)
        return 0;
    if (m == NULL)
        return 20 * A;   /* refused */
    for (a = 0; a < n; a++)
    {
        for (b = 0; b < a && idx[b] != idx[a]; b++)
            ;
        distinct += (b == a);
        for (b = 0; b < d; b++)
            zero = zero && arb_is_zero(spec->points + idx[a] * d + b);
    }
    kernel = (double) (n * n) * ((double) d + 6) * A;
    if (m->kernel == gauss_method)
        return kernel + E;
    if (m->kernel == sin_method)
        return kernel + (double) (WORD(1) << (n - 1)) * ((double) (n * n) * A + E);
    if (m->kernel == linear_method)
    {
        for (terms = 1, a = n - 1; a > 1; a -= 2)
            terms *= (double) a;
        return kernel + terms * (double) n * A;
    }
    if (d >= 2 && distinct >= 3 && !(d == 2 && fmpq_is_zero(spec->net->cb)))
    {
        /* on the span (docs/cmd-exact.md): relu's cone method, about 3e8
           operations per simplicial cone (measured: 0.15-0.45 s of CPU per
           moment at validate's d_in = 3 points and the corners {0.5, 1}^2
           with sigma_b > 0, 64 bits); the integrated
           rows' shared D-dimensional rule for the tuple's points; the rest
           refused */
        if (m->planar == relu_method && d + !fmpq_is_zero(spec->net->cb) <= 3)
            return 3e8 * (double) (distinct - 2);
        /* relu on a span of rank 4 (cone4.c): six Plackett integrals, about 3e9
           (measured: validate's d_in = 3 points, sigma_b = 1, npt 2,4,6: 129 moments,
           11 of rank 4, 20.7 s of CPU with the rank-3 ones) */
        if (m->planar == relu_method && distinct == 4)
            return 3e9;
        if (m->planar == integrate_method && _neft_exact_gridnd_applies(spec, prec))
        {
            _neft_tuples_struct tree;
            double c;
            _neft_tuples_init(&tree, distinct, n);
            c = _neft_exact_gridnd_cost(spec, tree.length, _neft_exact_sigma_cost(
                                            spec->net->act, prec));
            _neft_tuples_clear(&tree);
            return c;
        }
        return 20 * A;   /* refused: not implemented */
    }
    if (m->planar == relu_method || m->planar == leaky_method)
    {
        double c = (double) n * (E + 20 * A)
                 + (double) (WORD(1) << (n - 1)) * (2 * E + 10 * A);
        return m->planar == relu_method ? c : (double) (WORD(1) << n) * c;
    }
    if (m->planar == integrate_method && m->sigma_cost != NULL)
        return neft_gaussexp_cost(n, (distinct == 1 || (d == 1 && (fmpq_is_zero(spec->net->cb)
                                                                    || zero))) ? 1 : 2,
                                  spec->net->act->parity != 0, m->sigma_cost(prec), prec);
    return 20 * A;   /* a method the cost model does not know: as refused */
}
