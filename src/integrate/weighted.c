/* Position-weighted vertex integrals (docs/rules.md, `position |y|^P`): for
   d_in = 1 and one vertex,

     \int_{-L}^{L} |y|^p prod_i K(x_i, y) K(y, y)^s dy,

   rigorous balls.  Kernels homogeneous on orthants (relu, leaky-relu,
   linear with sigma_b = 0: K = same x y or opp x y by the signs) in closed
   form: on each half-line the integrand is a constant times |y|^(p + legs
   + 2 s).  Every other row by acb_calc_integrate on the pieces between
   -L, 0, L and the kernel's kinks (y = x_i for ReLU-like rows with
   sigma_b > 0, each piece with the one-sided continuation of the kernel, as
   quad.c), the weight (+-y)^p entire on each piece. */

#include <stdio.h>
#include "internal.h"

int
_neft_integrate_weighted_supported(slong m, const neft_kernel_t k, const arf_t L,
                                   char * err, size_t errsize)
{
    if (m != 1 || k->d != 1)
    {
        if (m == 1)
            snprintf(err, errsize, "cannot integrate a position-weighted vertex in d_in = %ld "
                     "(supported: one vertex, d_in = 1)", (long) k->d);
        else
            snprintf(err, errsize, "cannot integrate a position-weighted vertex in a piece "
                     "with %ld internal vertices (supported: one vertex, d_in = 1)", (long) m);
        return 0;
    }
    if (arf_is_pos_inf(L))
    {
        snprintf(err, errsize, "a position-weighted vertex needs a finite cutoff");
        return 0;
    }
    return 1;
}

/* Closed form for orthant kernels; 0 when the signs of the legs are not
   decided (then the quadrature is used). */
static int
_orthants(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L, slong p,
          slong prec)
{
    arb_t same, opp, pos, neg, t;
    slong i, s = v->A[0], q = p + v->nlegs + 2 * s;
    int ok = 1;

    arb_init(same);
    arb_init(opp);
    arb_init(pos);
    arb_init(neg);
    arb_init(t);
    k->act->kernel->orthant(same, opp, k, prec);
    arb_one(pos);
    arb_one(neg);
    for (i = 0; i < v->nlegs && ok; i++)
    {
        const arb_struct * x = v->point + i;
        if (arb_is_positive(x))
        {
            arb_mul(pos, pos, same, prec);
            arb_mul(neg, neg, opp, prec);
        }
        else if (arb_is_negative(x))
        {
            arb_mul(pos, pos, opp, prec);
            arb_mul(neg, neg, same, prec);
        }
        else if (arb_is_zero(x))
            arb_zero(pos), arb_zero(neg);
        else
            ok = 0;
        arb_mul(pos, pos, x, prec);
        arb_mul(neg, neg, x, prec);
    }
    if (ok)
    {
        /* y < 0: K(x_i, y) = c'_i y, (-1)^legs after y = -t */
        if (v->nlegs % 2)
            arb_neg(neg, neg);
        arb_add(t, pos, neg, prec);
        arb_pow_ui(pos, same, s, prec);
        arb_mul(t, t, pos, prec);
        arb_set_arf(pos, L);
        arb_pow_ui(pos, pos, q + 1, prec);
        arb_mul(t, t, pos, prec);
        arb_div_ui(res, t, q + 1, prec);
    }
    arb_clear(same);
    arb_clear(opp);
    arb_clear(pos);
    arb_clear(neg);
    arb_clear(t);
    return ok;
}

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    acb_ptr x;
    slong * same;
    int * side;
    slong p;
    int negative;              /* the piece is in y <= 0: weight (-y)^p */
}
_wq_struct;

static int
_wq_f(acb_ptr out, const acb_t y, void * param, slong order, slong prec)
{
    _wq_struct * W = param;
    acb_t w;
    _NEFT_INTEGRAND_POLL(out);
    _neft_vint_eval(out, W->v, W->k, W->x, W->same, W->side, y, order == 1, prec);
    acb_init(w);
    acb_set(w, y);
    if (W->negative)
        acb_neg(w, w);
    acb_pow_ui(w, w, W->p, prec);
    acb_mul(out, out, w, prec);
    acb_clear(w);
    return 0;
}

static int
_quadrature(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L, slong p,
            const neft_integrate_opt_t opt, slong prec)
{
    _wq_struct W[1];
    arb_ptr bp = _arb_vec_init(v->nlegs + 3);
    slong nb = 0, i, j, goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec;
    int onesided = neft_kernel_has_kink(k) && !arb_is_zero(k->sb2), status = 0;
    acb_calc_integrate_opt_t o;
    acb_t a, b, t, r;
    mag_t tol;
    arb_t Mx, u;

    W->v = v;
    W->k = k;
    W->p = p;
    W->x = _acb_vec_init(v->nlegs + 1);
    W->same = flint_calloc(v->nlegs + 1, sizeof(slong));
    W->side = onesided ? flint_calloc(v->nlegs + 1, sizeof(int)) : NULL;
    for (i = 0; i < v->nlegs; i++)
        acb_set_arb(W->x + i, v->point + i);
    _neft_vint_runs(W->same, v);
    /* breakpoints: -L, 0, L and the kinks inside */
    arb_set_arf(bp + nb, L);
    arb_neg(bp + nb, bp + nb);
    nb++;
    arb_zero(bp + nb++);
    arb_set_arf(bp + nb++, L);
    if (neft_kernel_has_kink(k))
        for (i = 0; i < v->nlegs; i++)
        {
            int dup = arf_cmpabs(arb_midref(v->point + i), L) >= 0;
            for (j = 0; j < nb && !dup; j++)
                dup = arb_equal(bp + j, v->point + i);
            if (!dup)
                arb_set(bp + nb++, v->point + i);
        }
    for (i = 1; i < nb; i++)
        for (j = i; j > 0 && arf_cmp(arb_midref(bp + j - 1), arb_midref(bp + j)) > 0; j--)
            arb_swap(bp + j - 1, bp + j);

    acb_init(a);
    acb_init(b);
    acb_init(t);
    acb_init(r);
    mag_init(tol);
    arb_init(Mx);
    arb_init(u);
    acb_calc_integrate_opt_init(o);
    if (opt->eval_limit > 0)
        o->eval_limit = opt->eval_limit;
    /* the tolerance from the integrand's size at a few real points */
    {
        static const double frac[4] = {-0.71, -0.13, 0.29, 0.57};
        for (i = 0; i < 4; i++)
        {
            arb_set_d(u, frac[i]);
            arb_mul_arf(u, u, L, 32);
            mag_zero(arb_radref(u));
            acb_set_arb(a, u);
            W->negative = frac[i] < 0;
            if (onesided)
                for (j = 0; j < v->nlegs; j++)
                    W->side[j] = arb_ge(u, v->point + j) ? 1 : -1;
            _wq_f(t, a, W, 0, 32);
            acb_abs(u, t, 32);
            if (arb_is_finite(u))
                arb_max(Mx, Mx, u, 32);
        }
        if (arb_is_zero(Mx))
            arb_one(Mx);
        arb_set_arf(u, L);
        arb_mul_2exp_si(u, u, 1);
        arb_mul(u, u, Mx, 32);
        arb_get_mag(tol, u);
        mag_mul_2exp_si(tol, tol, -goal - 8);
    }
    acb_zero(r);
    for (i = 0; i + 1 < nb; i++)
    {
        acb_set_arb(a, bp + i);
        acb_set_arb(b, bp + i + 1);
        W->negative = arf_sgn(arb_midref(bp + i + 1)) <= 0;
        if (onesided)
            for (j = 0; j < v->nlegs; j++)
                W->side[j] = arb_ge(bp + i, v->point + j) ? 1 : -1;
        if (acb_calc_integrate(t, _wq_f, W, a, b, goal, tol, o, prec) != ARB_CALC_SUCCESS)
            status = 1;
        acb_add(r, r, t, prec);
    }
    arb_set(res, acb_realref(r));
    status = (status == 0 && arb_is_finite(res)) ? NEFT_INTEGRATE_SUCCESS
                                                : NEFT_INTEGRATE_NO_CONVERGENCE;
    _arb_vec_clear(bp, v->nlegs + 3);
    _acb_vec_clear(W->x, v->nlegs + 1);
    flint_free(W->same);
    flint_free(W->side);
    acb_clear(a);
    acb_clear(b);
    acb_clear(t);
    acb_clear(r);
    mag_clear(tol);
    arb_clear(Mx);
    arb_clear(u);
    return status;
}

int
_neft_integrate_weighted(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                         const arf_t L, const neft_integrate_opt_t opt, slong prec,
                         char * err, size_t errsize)
{
    slong p = v->wpow[0];
    if (v->d != 1 || !_neft_integrate_weighted_supported(v->m, k, L, err, errsize))
    {
        if (v->d != 1)
            snprintf(err, errsize, "a position-weighted vertex is integrated in d_in = 1 only");
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    if (k->act->kernel->orthant != NULL && arb_is_zero(k->sb2)
        && _orthants(res, v, k, L, p, prec))
        return NEFT_INTEGRATE_SUCCESS;
    return _quadrature(res, v, k, L, p, opt, prec);
}
