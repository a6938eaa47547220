/* The cutoff derivative L d/dL of a vertex integral over the box [-L, L]^{m d}
   (docs/cmd-beta.md): for d_in = 1 a boundary term per vertex and end,
   L sum_u sum_{s = +-1} (integrand with y_u = s L, the other vertices
   integrated), each boundary piece being a smaller vertex integral with
   legs to the point s L, computed by neft_integrate_vint. */

#include <string.h>
#include "neft/integrate.h"
#include "neft/interrupt.h"

/* res = the integral of the vertices of v other than u, with y_u = y:
   the constant factor of u's legs and self-loops times the product over
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
    if (v->d != 1)
    {
        snprintf(err, errsize, "the cutoff derivative of a vertex integral is implemented for "
                 "d_in = 1 only (d_in = %ld: an integral over the faces of the box, not done)",
                 (long) v->d);
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    if (!arf_is_finite(L) || arf_sgn(L) <= 0)
    {
        snprintf(err, errsize, "the cutoff derivative needs a finite positive cutoff");
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
    slong n = dg->n, m = dg->m, N = n + m, r, c, i, d = k->d;
    slong comp[NEFT_DIAGRAM_MAX_VERTICES], local[NEFT_DIAGRAM_MAX_VERTICES];
    int status = NEFT_INTEGRATE_SUCCESS, s;
    arb_t t, dt;

    arb_init(t);
    arb_init(dt);
    arb_one(I);
    arb_zero(D);
    r = neft_diagram_components(comp, dg);
    for (c = 0; c < r && neft_status_has_value(status); c++)
    {
        slong mc = 0;
        for (i = n; i < N; i++)
            if (comp[i] == c)
                local[i] = mc++;
        if (mc == 0)
        {
            /* a bare propagator: a constant factor */
            for (i = 0; i < dg->nedges; i++)
            {
                slong u = dg->edges[2 * i], w = dg->edges[2 * i + 1];
                if (comp[u] == c)
                {
                    neft_kernel_eval_arb(t, k, pts + u * d, pts + w * d, prec);
                    arb_mul(I, I, t, prec);
                    arb_mul(D, D, t, prec);
                }
            }
            continue;
        }
        if (mc > NEFT_INTEGRATE_MAX_VERTICES)
        {
            snprintf(err, errsize, "cannot integrate a connected piece with %ld internal "
                     "vertices", (long) mc);
            status = NEFT_INTEGRATE_UNSUPPORTED;
            break;
        }
        {
            neft_vint_t v;
            neft_vint_init(v, d, mc);
            for (i = 0; i < dg->nedges; i++)
            {
                slong u = dg->edges[2 * i], w = dg->edges[2 * i + 1];
                if (comp[w] != c)
                    continue;
                if (u < n)
                    neft_vint_add_leg(v, local[w], pts + u * d);
                else
                    neft_vint_add_link(v, local[u], local[w]);
            }
            neft_vint_canonicalise(v);
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
