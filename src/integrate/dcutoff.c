/* The cutoff derivative L d/dL of a vertex integral over the box [-L, L]^{m d}
   (docs/cmd-beta.md): for d_in = 1 a boundary term per vertex and end,
   L sum_u sum_{s = +-1} (integrand with y_u = s L, the other vertices
   integrated), each boundary piece being a smaller vertex integral with
   legs to the point s L, computed by neft_integrate_vint. */

#include <string.h>
#include "neft/integrate.h"
#include "neft/interrupt.h"
#include "neft/act.h"
#include "internal.h"

/* The rows homogeneous of degree 1 in y (relu, leaky-relu, linear) with
   sigma_b = 0: K(x, t y) = t K(x, y) for t > 0, so the integrand of v is
   homogeneous of degree nlegs + 2 (internal edges) + (the position weights'
   powers) and I(L) = L^(that + m d) I(1). */
static int
homogeneous(const neft_kernel_t k)
{
    return k->act->kernel->orthant != NULL && arb_is_zero(k->sb2);
}

static slong
degree(const neft_vint_t v)
{
    slong u, w, e = 0, e2 = 0;
    for (u = 0; u < v->m; u++)
        for (w = u; w < v->m; w++)
            e += v->A[u * NEFT_INTEGRATE_MAX_VERTICES + w];
    for (u = 0; u < v->m; u++)
        e2 += v->wpow[u];
    return v->nlegs + 2 * e + v->m * v->d + e2;
}

/* d_in = 2, one vertex: the integrand along an edge of the square, the
   coordinate `axis` held at `end` and the other one t */
typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    acb_ptr x;                  /* the legs' points, 2 each */
    slong axis;
    arb_srcptr end;
    slong loops;
}
edge_struct;

static int
edge_f(acb_ptr out, const acb_t t, void * param, slong order, slong prec)
{
    edge_struct * E = param;
    acb_t y[2], f;
    acb_struct p[2];
    slong i;
    _NEFT_INTEGRAND_POLL(out);
    if (order > 1)
        flint_abort();
    acb_init(y[0]);
    acb_init(y[1]);
    acb_init(f);
    acb_set_arb(y[E->axis], E->end);
    acb_set(y[1 - E->axis], t);
    p[0] = *y[0];
    p[1] = *y[1];
    acb_one(out);
    for (i = 0; i < E->v->nlegs; i++)
    {
        neft_kernel_eval_acb(f, E->k, E->x + 2 * i, p, order != 0, prec);
        acb_mul(out, out, f, prec);
    }
    for (i = 0; i < E->loops; i++)
    {
        neft_kernel_diag_acb(f, E->k, p, order != 0, prec);
        acb_mul(out, out, f, prec);
    }
    acb_clear(y[0]);
    acb_clear(y[1]);
    acb_clear(f);
    return 0;
}

/* L times the integral of the integrand of the one-vertex v (d_in = 2)
   over the four edges of [-L, L]^2, by acb_calc_integrate (kernels
   analytic along the edges) */
static int
edges2(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L,
       const neft_integrate_opt_t opt, slong prec)
{
    edge_struct E;
    acb_calc_integrate_opt_t o;
    acb_t a, b, t, mid;
    arb_t end;
    mag_t tol;
    slong i, axis, sgn, goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec;
    int status = NEFT_INTEGRATE_SUCCESS;

    E.v = v;
    E.k = k;
    E.loops = v->A[0];
    E.x = _acb_vec_init(2 * v->nlegs);
    for (i = 0; i < 2 * v->nlegs; i++)
        acb_set_arb(E.x + i, v->point + i);
    acb_calc_integrate_opt_init(o);
    if (opt->eval_limit > 0)
        o->eval_limit = opt->eval_limit;
    acb_init(a);
    acb_init(b);
    acb_init(t);
    acb_init(mid);
    arb_init(end);
    mag_init(tol);
    arb_zero(res);
    arb_set_arf(acb_realref(b), L);
    arb_zero(acb_imagref(b));
    acb_neg(a, b);
    for (axis = 0; axis < 2; axis++)
        for (sgn = -1; sgn <= 1; sgn += 2)
        {
            int s;
            arb_set_arf(end, L);
            if (sgn < 0)
                arb_neg(end, end);
            E.axis = axis;
            E.end = end;
            /* the tolerance: 2^-goal of 2L |f| at the edge's middle and ends */
            acb_zero(mid);
            edge_f(t, mid, &E, 0, prec);
            acb_get_mag(tol, t);
            edge_f(t, a, &E, 0, prec);
            {
                mag_t m2;
                mag_init(m2);
                acb_get_mag(m2, t);
                mag_max(tol, tol, m2);
                edge_f(t, b, &E, 0, prec);
                acb_get_mag(m2, t);
                mag_max(tol, tol, m2);
                mag_clear(m2);
            }
            if (mag_is_zero(tol) || !mag_is_finite(tol))
                mag_one(tol);
            mag_mul_2exp_si(tol, tol, -goal - 8);
            s = acb_calc_integrate(t, edge_f, &E, a, b, goal, tol, o, prec);
            if (s != ARB_CALC_SUCCESS || !acb_is_finite(t))
                status = NEFT_INTEGRATE_NO_CONVERGENCE;
            arb_add(res, res, acb_realref(t), prec);
        }
    arb_mul_arf(res, res, L, prec);
    _acb_vec_clear(E.x, 2 * v->nlegs);
    acb_clear(a);
    acb_clear(b);
    acb_clear(t);
    acb_clear(mid);
    arb_clear(end);
    mag_clear(tol);
    if (!arb_is_finite(res))
        arb_indeterminate(res);
    return status;
}

/* res = the integral of the vertices of v other than u, with y_u = y:
   the constant factor of u's legs, self-loops and position weight |y|^p
   times the product over
   the connected pieces of the remaining vertices (legs of u's links become
   legs to the point y). */
static int
pinned(arb_t res, const neft_vint_t v, slong u, arb_srcptr y, const neft_kernel_t k,
       const arf_t L, const neft_integrate_opt_t opt, slong prec, char * err, size_t errsize)
{
    slong m = v->m, d = v->d, i, a, w, c, ncomp = 0;
    slong comp[NEFT_INTEGRATE_MAX_VERTICES], local[NEFT_INTEGRATE_MAX_VERTICES];
    const slong S = NEFT_INTEGRATE_MAX_VERTICES;
    int status = NEFT_INTEGRATE_SUCCESS, s;
    arb_t t;

    arb_init(t);
    arb_one(res);
    for (i = 0; i < v->nlegs; i++)
        if (v->vertex[i] == u)
        {
            neft_kernel_eval_arb(t, k, v->point + i * d, y, prec);
            arb_mul(res, res, t, prec);
        }
    if (v->A[u * S + u] > 0)
    {
        neft_kernel_eval_arb(t, k, y, y, prec);
        arb_pow_ui(t, t, v->A[u * S + u], prec);
        arb_mul(res, res, t, prec);
    }
    if (v->wpow[u] > 0)
    {
        /* the position weight |y|^p (d_in = 1) */
        arb_abs(t, y);
        arb_pow_ui(t, t, v->wpow[u], prec);
        arb_mul(res, res, t, prec);
    }
    /* connected pieces of the vertices other than u */
    for (w = 0; w < m; w++)
        comp[w] = -1;
    for (w = 0; w < m; w++)
    {
        slong stack[NEFT_INTEGRATE_MAX_VERTICES], top = 0;
        if (w == u || comp[w] >= 0)
            continue;
        comp[w] = ncomp;
        stack[top++] = w;
        while (top > 0)
        {
            slong p = stack[--top];
            for (a = 0; a < m; a++)
                if (a != u && comp[a] < 0 && v->A[p * S + a] > 0)
                {
                    comp[a] = ncomp;
                    stack[top++] = a;
                }
        }
        ncomp++;
    }
    for (c = 0; c < ncomp && neft_status_has_value(status); c++)
    {
        neft_vint_t r;
        slong mc = 0, b;
        for (w = 0; w < m; w++)
            if (comp[w] == c)
                local[w] = mc++;
        neft_vint_init(r, d, mc);
        for (w = 0; w < m; w++)
            if (comp[w] == c)
                neft_vint_set_weight(r, local[w], v->wpow[w]);
        for (i = 0; i < v->nlegs; i++)
            if (v->vertex[i] != u && comp[v->vertex[i]] == c)
                neft_vint_add_leg(r, local[v->vertex[i]], v->point + i * d);
        for (w = 0; w < m; w++)
        {
            if (comp[w] != c)
                continue;
            for (b = 0; b < v->A[u * S + w]; b++)
                neft_vint_add_leg(r, local[w], y);
            for (a = w; a < m; a++)
                if (comp[a] == c)
                    for (b = 0; b < v->A[w * S + a]; b++)
                        neft_vint_add_link(r, local[w], local[a]);
        }
        neft_vint_canonicalise(r);
        s = neft_integrate_vint(t, r, k, L, opt, prec, err, errsize);
        status = neft_status_worst(status, s);
        arb_mul(res, res, t, prec);
        neft_vint_clear(r);
    }
    arb_clear(t);
    return status;
}

int
neft_integrate_vint_dcutoff(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                            const arf_t L, const neft_integrate_opt_t opt, slong prec,
                            char * err, size_t errsize)
{
    slong u, sgn;
    int status = NEFT_INTEGRATE_SUCCESS, s;
    arb_t t, y;

    if (v->d != k->d)
    {
        snprintf(err, errsize, "points have %ld coordinates, the kernel d_in = %ld",
                 (long) v->d, (long) k->d);
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    for (u = 0; u < v->m && v->d != 1; u++)
        if (v->wpow[u] != 0)
        {
            snprintf(err, errsize, "cannot integrate a position-weighted vertex in d_in = %ld "
                     "(supported: one vertex, d_in = 1)", (long) v->d);
            arb_indeterminate(res);
            return NEFT_INTEGRATE_UNSUPPORTED;
        }
    if (!arf_is_finite(L) || arf_sgn(L) <= 0)
    {
        snprintf(err, errsize, "the cutoff derivative needs a finite positive cutoff");
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    if (v->d != 1 && v->m > 0 && homogeneous(k))
    {
        /* L dI/dL = (degree) I exactly */
        s = neft_integrate_vint(res, v, k, L, opt, prec, err, errsize);
        if (neft_status_has_value(s))
            arb_mul_si(res, res, degree(v), prec);
        return s;
    }
    if (v->d == 2 && v->m == 1 && !neft_kernel_has_kink(k))
    {
        s = edges2(res, v, k, L, opt, prec);
        if (neft_interrupted())
        {
            snprintf(err, errsize, "interrupted");
            arb_indeterminate(res);
            return NEFT_INTEGRATE_INTERRUPTED;
        }
        if (s == NEFT_INTEGRATE_NO_CONVERGENCE)
            snprintf(err, errsize, "the integral over the edges of the square did not reach "
                     "the accuracy asked");
        return s;
    }
    if (v->d != 1)
    {
        snprintf(err, errsize, "the cutoff derivative of a vertex integral in d_in = %ld is "
                 "implemented for d_in = 1, for the homogeneous kernels with sigma_b = 0 (relu, "
                 "leaky-relu, linear) and for one vertex of a kernel without a kink in d_in = 2 "
                 "(an integral over the faces of the box, not done here)", (long) v->d);
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    if (v->m == 0)
    {
        arb_zero(res);
        return NEFT_INTEGRATE_SUCCESS;
    }
    arb_init(t);
    arb_init(y);
    arb_zero(res);
    for (u = 0; u < v->m && neft_status_has_value(status); u++)
        for (sgn = -1; sgn <= 1 && neft_status_has_value(status); sgn += 2)
        {
            arb_set_arf(y, L);
            if (sgn < 0)
                arb_neg(y, y);
            s = pinned(t, v, u, y, k, L, opt, prec, err, errsize);
            status = neft_status_worst(status, s);
            arb_add(res, res, t, prec);
        }
    arb_mul_arf(res, res, L, prec);
    if (neft_interrupted() && status != NEFT_INTEGRATE_UNSUPPORTED)
        status = NEFT_INTEGRATE_INTERRUPTED;
    if (!neft_status_has_value(status))
        arb_indeterminate(res);
    arb_clear(t);
    arb_clear(y);
    return status;
}

int
neft_integrate_term_dcutoff(arb_t I, arb_t D, const neft_diagram_t dg, arb_srcptr pts,
                            const neft_kernel_t k, const arf_t L, const neft_integrate_opt_t opt,
                            slong prec, char * err, size_t errsize)
{
    return neft_integrate_term_dcutoff_th(I, D, dg, NULL, pts, k, L, opt, prec, err, errsize);
}

int
neft_integrate_term_dcutoff_th(arb_t I, arb_t D, const neft_diagram_t dg, const neft_theory_t th,
                               arb_srcptr pts, const neft_kernel_t k, const arf_t L,
                               const neft_integrate_opt_t opt, slong prec, char * err,
                               size_t errsize)
{
    slong comp[NEFT_DIAGRAM_MAX_VERTICES], r, c, mc;
    int status = NEFT_INTEGRATE_SUCCESS, s;
    arb_t t, dt;

    arb_init(t);
    arb_init(dt);
    arb_one(I);
    arb_zero(D);
    r = neft_diagram_propagator_components(comp, dg);
    for (c = 0; c < r && neft_status_has_value(status); c++)
    {
        neft_vint_t v;
        mc = _neft_integrate_component(v, t, dg, th, comp, c, pts, k, prec);
        if (mc == 0)
        {
            /* a bare propagator: a constant factor */
            arb_mul(I, I, t, prec);
            arb_mul(D, D, t, prec);
            continue;
        }
        if (mc > NEFT_INTEGRATE_MAX_VERTICES)
        {
            snprintf(err, errsize, "cannot integrate a connected piece with %ld internal "
                     "vertices", (long) mc);
            status = NEFT_INTEGRATE_UNSUPPORTED;
            break;
        }
        s = neft_integrate_vint(t, v, k, L, opt, prec, err, errsize);
        status = neft_status_worst(status, s);
        if (neft_status_has_value(status))
        {
            s = neft_integrate_vint_dcutoff(dt, v, k, L, opt, prec, err, errsize);
            status = neft_status_worst(status, s);
        }
        neft_vint_clear(v);
        /* product rule: (I D)' = I' D_rest ... */
        arb_mul(D, D, t, prec);
        arb_addmul(D, I, dt, prec);
        arb_mul(I, I, t, prec);
    }
    if (!neft_status_has_value(status))
    {
        arb_indeterminate(I);
        arb_indeterminate(D);
    }
    arb_clear(t);
    arb_clear(dt);
    return status;
}
