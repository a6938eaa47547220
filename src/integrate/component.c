/* The vertex integral of one connected piece of a diagram: the one builder
   of neft_integrate_term_th (term.c) and neft_integrate_term_dcutoff_th
   (dcutoff.c). */

#include "internal.h"

slong
_neft_integrate_component(neft_vint_t v, arb_t bare, const neft_diagram_t dg,
                          const neft_theory_t th, const slong * comp, slong c,
                          arb_srcptr pts, const neft_kernel_t k, slong prec)
{
    slong n = dg->n, N = dg->n + dg->m, d = k->d, mc = 0, i;
    slong local[NEFT_DIAGRAM_MAX_VERTICES];
    arb_t t;

    for (i = n; i < N; i++)
        if (comp[i] == c)
            local[i] = mc++;
    if (mc == 0)
    {
        /* a bare propagator between two external points */
        arb_init(t);
        arb_one(bare);
        for (i = 0; i < dg->nedges; i++)
        {
            slong u = dg->edges[2 * i], w = dg->edges[2 * i + 1];
            if (comp[u] == c)
            {
                neft_kernel_eval_arb(t, k, pts + u * d, pts + w * d, prec);
                arb_mul(bare, bare, t, prec);
            }
        }
        arb_clear(t);
        return 0;
    }
    if (mc > NEFT_INTEGRATE_MAX_VERTICES)
        return mc;
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
    for (i = n; th != NULL && i < N; i++)
        if (comp[i] == c && th->couplings[dg->type[i - n]].position > 0)
            neft_vint_set_weight(v, local[i], th->couplings[dg->type[i - n]].position);
    neft_vint_canonicalise(v);
    return mc;
}
