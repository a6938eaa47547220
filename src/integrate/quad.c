/* Vertex integrals by acb_calc_integrate: one level per coordinate
   (m d <= 3), split at the points where the kernel is not analytic.

   Traps handled (docs/integrate.md, notes/arb-integration.md): when an outer
   level evaluates with order 1 the integrand is checked for holomorphy in
   the outer variables too; outer calls that only need a bound (order 1, or
   a wide input ball) run the inner integrals with a low goal and a small
   evaluation limit; breakpoints outside [-L, L] are dropped.  For ReLU with
   d_in = m = 1 each piece uses the one-sided continuation of the kernel
   across its end points (5x fewer evaluations than the plain split). */

#include <stdio.h>
#include "internal.h"

#define MAXD 3

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    slong D;
    acb_ptr y;                 /* current coordinates, vertex-major */
    acb_ptr x;                 /* leg points */
    slong * same;              /* same[i] = number of following legs equal to leg i */
    int * side;                /* one-sided ReLU per leg (d = m = 1), else 0 */
    int onesided;
    slong cur;
    int analytic;              /* outer levels evaluating with order 1 */
    arb_ptr bp[MAXD];          /* breakpoints, end points included */
    slong nbp[MAXD];
    slong bpalloc[MAXD];
    slong goal;
    mag_t tol[MAXD + 1];
    acb_calc_integrate_opt_t opt, opt_low;
}
quad_struct;

static void
eval_F(acb_t out, quad_struct * Q, int an, slong prec)
{
    _neft_vint_eval(out, Q->v, Q->k, Q->x, Q->same, Q->side, Q->y, an, prec);
}

void
_neft_vint_eval(acb_t out, const neft_vint_t v, const neft_kernel_t k, acb_srcptr x,
                const slong * same, const int * side, acb_srcptr y, int an, slong prec)
{
    slong i, u, w, d = v->d, M = NEFT_INTEGRATE_MAX_VERTICES;
    acb_t t;
    acb_init(t);
    acb_one(out);
    for (i = 0; i < v->nlegs; i += 1 + same[i])
    {
        if (side != NULL && side[i])
            _neft_kernel_relu1_acb(t, k, x + i, y + v->vertex[i], side[i], an, prec);
        else
            neft_kernel_eval_acb(t, k, x + i * d, y + v->vertex[i] * d, an, prec);
        if (same[i])
            acb_pow_ui(t, t, same[i] + 1, prec);
        acb_mul(out, out, t, prec);
    }
    for (u = 0; u < v->m; u++)
        for (w = u; w < v->m; w++)
        {
            slong e = v->A[u * M + w];
            if (e == 0)
                continue;
            if (u == w)
                neft_kernel_diag_acb(t, k, y + u * d, an, prec);
            else
                neft_kernel_eval_acb(t, k, y + u * d, y + w * d, an, prec);
            if (e > 1)
                acb_pow_ui(t, t, e, prec);
            acb_mul(out, out, t, prec);
        }
    acb_clear(t);
}

void
_neft_vint_runs(slong * same, const neft_vint_t v)
{
    slong i, d = v->d;
    for (i = v->nlegs - 1; i >= 0; i--)
        same[i] = (i + 1 < v->nlegs && v->vertex[i] == v->vertex[i + 1]
                   && _neft_vec_identical(v->point + i * d, v->point + (i + 1) * d, d))
                  ? same[i + 1] + 1 : 0;
}

static int integrate_level(acb_t res, quad_struct * Q, slong l, int low, slong prec);

static int
level_f(acb_ptr out, const acb_t inp, void * param, slong order, slong prec)
{
    quad_struct * Q = param;
    slong l = Q->cur;
    int an = (order == 1);
    _NEFT_INTEGRAND_POLL(out);
    acb_set(Q->y + l, inp);
    if (l == Q->D - 1)
    {
        eval_F(out, Q, an || Q->analytic > 0, prec);
        return 0;
    }
    Q->analytic += an;
    Q->cur = l + 1;
    integrate_level(out, Q, l + 1, an || acb_rel_accuracy_bits(inp) < prec / 2, prec);
    Q->cur = l;
    Q->analytic -= an;
    return 0;
}

/* One-sided sides for the piece [a, b] (d = m = 1 ReLU with sigma_b > 0). */
static void
set_sides(quad_struct * Q, const arb_t a)
{
    slong i;
    for (i = 0; i < Q->v->nlegs; i++)
        Q->side[i] = arb_ge(a, acb_realref(Q->x + i)) ? 1 : -1;   /* piece right of x_i: y - x_i >= 0 */
}

static int
integrate_level(acb_t res, quad_struct * Q, slong l, int low, slong prec)
{
    slong j;
    int status = ARB_CALC_SUCCESS, s;
    acb_t a, b, t;
    mag_t tol;
    acb_init(a);
    acb_init(b);
    acb_init(t);
    mag_init(tol);
    acb_zero(res);
    mag_set(tol, Q->tol[l]);
    if (low)
        mag_mul_2exp_si(tol, tol, Q->goal - 8);
    for (j = 0; j + 1 < Q->nbp[l]; j++)
    {
        acb_set_arb(a, Q->bp[l] + j);
        acb_set_arb(b, Q->bp[l] + j + 1);
        if (Q->onesided)
            set_sides(Q, Q->bp[l] + j);
        s = acb_calc_integrate(t, level_f, Q, a, b, low ? 8 : Q->goal, tol,
                               low ? Q->opt_low : Q->opt, prec);
        if (s != ARB_CALC_SUCCESS)
            status = s;
        acb_add(res, res, t, prec);
    }
    acb_clear(a);
    acb_clear(b);
    acb_clear(t);
    mag_clear(tol);
    return status;
}

/* Sorted distinct breakpoints in (-L, L) plus the ends. */
static void
add_breakpoints(quad_struct * Q, slong l, arb_srcptr cand, slong nc, const arf_t L)
{
    slong i, j, n = 0;
    arb_ptr bp = _arb_vec_init(nc + 2);
    arb_set_arf(bp + n, L);
    arb_neg(bp + n, bp + n);
    n++;
    for (i = 0; i < nc; i++)
    {
        int dup = 0;
        if (arf_cmpabs(arb_midref(cand + i), L) >= 0)
            continue;                            /* outside: must be dropped */
        for (j = 0; j < n; j++)
            dup |= arb_equal(bp + j, cand + i);
        if (!dup)
            arb_set(bp + n++, cand + i);
    }
    arb_set_arf(bp + n++, L);
    /* insertion sort on midpoints (breakpoints are exact) */
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && arf_cmp(arb_midref(bp + j - 1), arb_midref(bp + j)) > 0; j--)
            arb_swap(bp + j - 1, bp + j);
    Q->bp[l] = bp;
    Q->nbp[l] = n;
    Q->bpalloc[l] = nc + 2;
}

int
_neft_integrate_quad(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                     const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    quad_struct Q[1];
    slong i, l, c, d = v->d, D = v->m * v->d, nc;
    int status;
    arb_ptr cand;
    acb_t r;
    arb_t Mx, t;

    Q->v = v;
    Q->k = k;
    Q->D = D;
    Q->y = _acb_vec_init(D);
    Q->x = _acb_vec_init(v->nlegs * d + 1);
    Q->same = flint_calloc(v->nlegs + 1, sizeof(slong));
    Q->side = flint_calloc(v->nlegs + 1, sizeof(int));
    Q->cur = 0;
    Q->analytic = 0;
    Q->goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec;
    for (i = 0; i < v->nlegs * d; i++)
        acb_set_arb(Q->x + i, v->point + i);
    /* runs of equal legs (canonical order): one kernel evaluation, a power */
    _neft_vint_runs(Q->same, v);
    acb_calc_integrate_opt_init(Q->opt);
    acb_calc_integrate_opt_init(Q->opt_low);
    if (opt->eval_limit > 0)
        Q->opt->eval_limit = opt->eval_limit;
    /* (Arb's own verbose output goes to stdout, which belongs to the
       caller's output: not forwarded) */
    Q->opt_low->eval_limit = 2000;

    /* breakpoints: ReLU is not analytic at y = x_i (and through 0 when
       sigma_b = 0); one-sided pieces for d = m = 1 */
    cand = _arb_vec_init(v->nlegs + 1);
    for (l = 0; l < D; l++)
    {
        nc = 0;
        c = l % d;
        if (neft_kernel_has_kink(k))
        {
            for (i = 0; i < v->nlegs; i++)
                arb_set(cand + nc++, v->point + i * d + c);
            if (arb_is_zero(k->sb2))
                arb_zero(cand + nc++);
        }
        add_breakpoints(Q, l, cand, nc, L);
    }
    _arb_vec_clear(cand, v->nlegs + 1);
    Q->onesided = (neft_kernel_has_kink(k) && D == 1 && !arb_is_zero(k->sb2));

    /* scale of the integrand from a few real points: the tolerances */
    arb_init(Mx);
    arb_init(t);
    acb_init(r);
    {
        static const double frac[3] = {-0.71, 0.13, 0.57};
        slong idx[MAXD] = {0, 0, 0}, p, np = 1;
        for (l = 0; l < D; l++)
            np *= 3;
        for (p = 0; p < np; p++)
        {
            slong q = p;
            for (l = 0; l < D; l++)
            {
                idx[l] = q % 3;
                q /= 3;
                arb_set_d(t, frac[idx[l]]);
                arb_mul_arf(t, t, L, 32);
                mag_zero(arb_radref(t));
                acb_set_arb(Q->y + l, t);
            }
            if (Q->onesided)
                set_sides(Q, acb_realref(Q->y));
            eval_F(r, Q, 0, 32);
            acb_abs(t, r, 32);
            if (arb_is_finite(t))
                arb_max(Mx, Mx, t, 32);
        }
    }
    if (arb_is_zero(Mx))
        arb_one(Mx);
    for (l = 0; l <= D; l++)
    {
        mag_init(Q->tol[l]);
        arb_set_arf(t, L);
        arb_mul_2exp_si(t, t, 1);
        arb_pow_ui(t, t, D - l, 32);
        arb_mul(t, t, Mx, 32);
        arb_get_mag(Q->tol[l], t);
        mag_mul_2exp_si(Q->tol[l], Q->tol[l], -Q->goal - 8);
    }

    status = integrate_level(r, Q, 0, 0, prec);
    if (acb_is_finite(r) && status == ARB_CALC_SUCCESS)
        status = NEFT_INTEGRATE_SUCCESS;
    else
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    arb_set(res, acb_realref(r));              /* the integrand is real on real points */

    for (l = 0; l < D; l++)
        _arb_vec_clear(Q->bp[l], Q->bpalloc[l]);
    for (l = 0; l <= D; l++)
        mag_clear(Q->tol[l]);
    _acb_vec_clear(Q->y, D);
    _acb_vec_clear(Q->x, v->nlegs * d + 1);
    flint_free(Q->same);
    flint_free(Q->side);
    arb_clear(Mx);
    arb_clear(t);
    acb_clear(r);
    return status;
}
