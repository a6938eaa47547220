/* ReLU with sigma_b = 0, one vertex, d_in = 2: the integrand is positively
   homogeneous, F(t y) = t^p F(y) for t > 0 (p = legs + 2 self-loops; K has
   degree 1 in y, K(y,y) degree 2), so over the triangle from the origin to
   one side of the square, y = t L (e + u f), t in [0,1], u in [-1,1]
   (dy = L^2 t dt du):
       \int_triangle F = L^{p+2}/(p+2) \int_{-1}^{1} F(e + u f) du.
   The 1-D integrand is analytic except where e + u f is parallel to a leg's
   point (cross product x1 y2 - x2 y1 = 0, where sqrt(G) has its kink); in
   between, sqrt(G) = side * a (x1 y2 - x2 y1) is continued from its side.
   The kink points are generally not binary numbers: the pieces end at exact
   numbers just outside their balls, and the tiny gaps are enclosed as
   width x range of the integrand (the real kernel on balls). */

#include <stdio.h>
#include "internal.h"

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    slong * same;
    int * side;
    int e[2], f[2];          /* the side of the square: y = e + u f */
    arb_t a;                 /* sigma_w^2 / d */
    arb_ptr rx;              /* sqrt(a |x_i|^2) */
}
polar_struct;

static void
point_of(acb_t y1, acb_t y2, const polar_struct * P, const acb_t u, slong prec)
{
    acb_mul_si(y1, u, P->f[0], prec);
    acb_add_si(y1, y1, P->e[0], prec);
    acb_mul_si(y2, u, P->f[1], prec);
    acb_add_si(y2, y2, P->e[1], prec);
}

static int
polar_f(acb_ptr out, const acb_t u, void * param, slong order, slong prec)
{
    polar_struct * P = param;
    const neft_vint_struct * v = P->v;
    int an = (order == 1);
    slong i;
    acb_t y1, y2, kxy, cr, r, ry, t;
    arb_t pi;
    _NEFT_INTEGRAND_POLL(out);
    acb_init(y1); acb_init(y2); acb_init(kxy); acb_init(cr); acb_init(r); acb_init(ry); acb_init(t);
    arb_init(pi);
    point_of(y1, y2, P, u, prec);
    /* sqrt(a |y|^2), |y|^2 = y1^2 + y2^2 (continued: no conjugates) */
    acb_sqr(ry, y1, prec);
    acb_addmul(ry, y2, y2, prec);
    acb_mul_arb(ry, ry, P->a, prec);
    acb_one(out);
    if (v->A[0])
    {
        /* K(y,y) = sigma_w^2 a |y|^2 / 2 */
        acb_mul_arb(t, ry, P->k->sw2, prec);
        acb_mul_2exp_si(t, t, -1);
        acb_pow_ui(t, t, v->A[0], prec);
        acb_mul(out, out, t, prec);
    }
    acb_sqrt_analytic(ry, ry, an, prec);
    arb_const_pi(pi, prec);
    for (i = 0; i < v->nlegs; i += 1 + P->same[i])
    {
        const arb_struct * x = v->point + 2 * i;
        acb_mul_arb(kxy, y1, x, prec);
        acb_addmul_arb(kxy, y2, x + 1, prec);
        acb_mul_arb(kxy, kxy, P->a, prec);
        acb_mul_arb(cr, y2, x, prec);
        acb_submul_arb(cr, y1, x + 1, prec);
        acb_mul_arb(cr, cr, P->a, prec);
        if (P->side[i] < 0)
            acb_neg(cr, cr);
        acb_mul_arb(r, ry, P->rx + i, prec);
        _neft_kernel_relu_parts_acb(t, cr, kxy, r, an, prec);
        acb_div_arb(t, t, pi, prec);
        acb_mul_2exp_si(t, t, -1);
        acb_mul_arb(t, t, P->k->sw2, prec);
        if (P->same[i])
            acb_pow_ui(t, t, P->same[i] + 1, prec);
        acb_mul(out, out, t, prec);
    }
    acb_clear(y1); acb_clear(y2); acb_clear(kxy); acb_clear(cr); acb_clear(r); acb_clear(ry);
    acb_clear(t);
    arb_clear(pi);
    return 0;
}

/* The integrand on a real ball of u, by the real kernel (no continuation). */
static void
real_range(arb_t res, const polar_struct * P, const arb_t u, slong prec)
{
    const neft_vint_struct * v = P->v;
    arb_ptr y = _arb_vec_init(2);
    arb_t t;
    slong i;
    arb_init(t);
    arb_mul_si(y, u, P->f[0], prec);
    arb_add_si(y, y, P->e[0], prec);
    arb_mul_si(y + 1, u, P->f[1], prec);
    arb_add_si(y + 1, y + 1, P->e[1], prec);
    arb_one(res);
    for (i = 0; i < v->nlegs; i++)
    {
        neft_kernel_eval_arb(t, P->k, v->point + 2 * i, y, prec);
        arb_mul(res, res, t, prec);
    }
    for (i = 0; i < v->A[0]; i++)
    {
        neft_kernel_eval_arb(t, P->k, y, y, prec);
        arb_mul(res, res, t, prec);
    }
    arb_clear(t);
    _arb_vec_clear(y, 2);
}

int
_neft_integrate_relu_polar(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                           const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    static const int E[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    static const int Fv[4][2] = {{0, 1}, {0, 1}, {1, 0}, {1, 0}};
    polar_struct P[1];
    slong sd, i, j, nb, p = v->nlegs + 2 * v->A[0], goal;
    arb_ptr bl, bh;
    acb_t a, b, t;
    arb_t total, w, u, scale;
    mag_t tol;
    acb_calc_integrate_opt_t o;
    int status = NEFT_INTEGRATE_SUCCESS;

    P->v = v;
    P->k = k;
    P->same = flint_calloc(v->nlegs + 1, sizeof(slong));
    P->side = flint_calloc(v->nlegs + 1, sizeof(int));
    _neft_vint_runs(P->same, v);
    arb_init(P->a);
    arb_div_si(P->a, k->sw2, 2, prec);
    P->rx = _arb_vec_init(v->nlegs + 1);
    for (i = 0; i < v->nlegs; i++)
    {
        arb_sqr(P->rx + i, v->point + 2 * i, prec);
        arb_addmul(P->rx + i, v->point + 2 * i + 1, v->point + 2 * i + 1, prec);
        arb_mul(P->rx + i, P->rx + i, P->a, prec);
        arb_sqrt(P->rx + i, P->rx + i, prec);
    }
    goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec;
    acb_calc_integrate_opt_init(o);
    if (opt->eval_limit > 0)
        o->eval_limit = opt->eval_limit;
    bl = _arb_vec_init(v->nlegs + 2);
    bh = _arb_vec_init(v->nlegs + 2);
    acb_init(a); acb_init(b); acb_init(t);
    arb_init(total); arb_init(w); arb_init(u); arb_init(scale);
    mag_init(tol);

    /* tolerance from the scale of the integrand at u = 0 on the four sides */
    for (sd = 0; sd < 4; sd++)
    {
        P->e[0] = E[sd][0]; P->e[1] = E[sd][1]; P->f[0] = Fv[sd][0]; P->f[1] = Fv[sd][1];
        arb_set_d(u, 0.375);
        real_range(w, P, u, 32);
        arb_abs(w, w);
        if (arb_is_finite(w))
            arb_max(scale, scale, w, 32);
    }
    if (arb_is_zero(scale))
        arb_one(scale);
    arb_mul_2exp_si(scale, scale, 1);
    arb_get_mag(tol, scale);
    mag_mul_2exp_si(tol, tol, -goal - 8);

    for (sd = 0; sd < 4; sd++)
    {
        P->e[0] = E[sd][0]; P->e[1] = E[sd][1]; P->f[0] = Fv[sd][0]; P->f[1] = Fv[sd][1];
        /* kinks: x1 y2 - x2 y1 = 0 with y = e + u f:
           u* = (x2 e1 - x1 e2) / (x1 f2 - x2 f1) */
        nb = 0;
        arb_set_si(bl + nb, -1); arb_set_si(bh + nb, -1); nb++;
        for (i = 0; i < v->nlegs; i++)
        {
            const arb_struct * x = v->point + 2 * i;
            arb_t num, den;
            arb_init(num); arb_init(den);
            arb_mul_si(num, x + 1, P->e[0], prec);
            arb_submul_si(num, x, P->e[1], prec);
            arb_mul_si(den, x, P->f[1], prec);
            arb_submul_si(den, x + 1, P->f[0], prec);
            if (!arb_contains_zero(den))
            {
                arb_div(u, num, den, prec);
                if (arb_lt(u, bh) == 0 && arf_cmpabs_2exp_si(arb_midref(u), 0) < 0)
                {
                    /* exact ends just outside the ball */
                    arf_t lo, hi;
                    arf_init(lo); arf_init(hi);
                    arb_get_lbound_arf(lo, u, prec);
                    arb_get_ubound_arf(hi, u, prec);
                    arb_set_arf(bl + nb, lo);
                    arb_set_arf(bh + nb, hi);
                    nb++;
                    arf_clear(lo); arf_clear(hi);
                }
            }
            else if (!arb_is_zero(den))
                status = NEFT_INTEGRATE_NO_CONVERGENCE;   /* cannot happen for exact points */
            arb_clear(num); arb_clear(den);
        }
        arb_set_si(bl + nb, 1); arb_set_si(bh + nb, 1); nb++;
        /* sort the kinks by lower end, clamp the gaps to [-1, 1] and merge
           overlapping ones (each piece of [-1, 1] is counted once) */
        for (i = 1; i < nb; i++)
            for (j = i; j > 0 && arf_cmp(arb_midref(bl + j - 1), arb_midref(bl + j)) > 0; j--)
            {
                arb_swap(bl + j - 1, bl + j);
                arb_swap(bh + j - 1, bh + j);
            }
        for (i = 0; i < nb; i++)
        {
            if (arf_cmp_si(arb_midref(bl + i), -1) < 0)
                arb_set_si(bl + i, -1);
            if (arf_cmp_si(arb_midref(bh + i), 1) > 0)
                arb_set_si(bh + i, 1);
        }
        for (i = 0; i + 1 < nb; )
        {
            if (arf_cmp(arb_midref(bl + i + 1), arb_midref(bh + i)) <= 0)
            {
                if (arf_cmp(arb_midref(bh + i + 1), arb_midref(bh + i)) > 0)
                    arb_set(bh + i, bh + i + 1);
                for (j = i + 1; j + 1 < nb; j++)
                {
                    arb_swap(bl + j, bl + j + 1);
                    arb_swap(bh + j, bh + j + 1);
                }
                nb--;
            }
            else
                i++;
        }
        for (j = 0; j + 1 < nb; j++)
        {
            /* the gap [bl_j, bh_j] around a kink: width x range (the ends
               -1 and 1 are gaps of width 0) */
            if (!arb_equal(bl + j, bh + j))
            {
                arb_union(u, bl + j, bh + j, prec);
                real_range(w, P, u, prec);
                arb_sub(u, bh + j, bl + j, prec);
                arb_mul(w, w, u, prec);
                arb_add(total, total, w, prec);
            }
            /* the analytic piece [bh_j, bl_{j+1}] */
            if (arf_cmp(arb_midref(bh + j), arb_midref(bl + j + 1)) >= 0)
                continue;
            arb_add(u, bh + j, bl + j + 1, prec);
            arb_mul_2exp_si(u, u, -1);
            {
                arb_ptr y = _arb_vec_init(2);
                arb_mul_si(y, u, P->f[0], prec);
                arb_add_si(y, y, P->e[0], prec);
                arb_mul_si(y + 1, u, P->f[1], prec);
                arb_add_si(y + 1, y + 1, P->e[1], prec);
                for (i = 0; i < v->nlegs; i++)
                {
                    arb_mul(w, v->point + 2 * i, y + 1, prec);
                    arb_submul(w, v->point + 2 * i + 1, y, prec);
                    P->side[i] = arb_is_negative(w) ? -1 : 1;
                }
                _arb_vec_clear(y, 2);
            }
            acb_set_arb(a, bh + j);
            acb_set_arb(b, bl + j + 1);
            if (acb_calc_integrate(t, polar_f, P, a, b, goal, tol, o, prec) != ARB_CALC_SUCCESS)
                status = NEFT_INTEGRATE_NO_CONVERGENCE;
            arb_add(total, total, acb_realref(t), prec);
        }
        /* the last gap */
        if (!arb_equal(bl + nb - 1, bh + nb - 1))
        {
            arb_union(u, bl + nb - 1, bh + nb - 1, prec);
            real_range(w, P, u, prec);
            arb_sub(u, bh + nb - 1, bl + nb - 1, prec);
            arb_mul(w, w, u, prec);
            arb_add(total, total, w, prec);
        }
    }
    /* times L^{p+2} / (p+2) */
    arb_set_arf(w, L);
    arb_pow_ui(w, w, p + 2, prec);
    arb_div_ui(w, w, p + 2, prec);
    arb_mul(res, total, w, prec);
    if (!arb_is_finite(res))
        status = NEFT_INTEGRATE_NO_CONVERGENCE;

    _arb_vec_clear(bl, v->nlegs + 2);
    _arb_vec_clear(bh, v->nlegs + 2);
    acb_clear(a); acb_clear(b); acb_clear(t);
    arb_clear(total); arb_clear(w); arb_clear(u); arb_clear(scale);
    mag_clear(tol);
    arb_clear(P->a);
    _arb_vec_clear(P->rx, v->nlegs + 1);
    flint_free(P->same);
    flint_free(P->side);
    return status;
}
