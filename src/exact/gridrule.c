/* The pieces of one panel Gauss-Legendre rule shared by grid.c and gridnd.c
   (gridrule.h). */

#include "gridrule.h"

ivl
_neft_exact_gl_node(ivl * w, double c, const _neft_gl_struct * gl, slong q, arb_t t)
{
    ivl xi = ivl_add(ivl_pt(c), ivl_mul_2exp(gl->xi[q], -1));
    _neft_ivl_get_arb(t, xi);
    arb_sqr(t, t, 64);
    arb_mul_2exp_si(t, t, -1);
    arb_neg(t, t);
    arb_exp(t, t, 64);
    *w = ivl_mul(_neft_ivl_set_arb(t), ivl_mul_2exp(gl->wi[q], -1));
    /* 1/sqrt(2 pi) */
    *w = ivl_mul(*w, ivl_sqrt(ivl_mul_2exp(ivl_inv_pi(), -1)));
    return xi;
}

void
_neft_exact_tree_add(ivl * acc, ivl * prod, const _neft_tuples_struct * tree, ivl w,
                     const ivl * s)
{
    slong node, L = tree->length;
    prod[0] = w;
    for (node = 1; node < L; node++)
    {
        prod[node] = ivl_mul(prod[tree->parent[node]], s[tree->last[node]]);
        if (!(tree->len[node] & 1))
            acc[node] = ivl_add(acc[node], prod[node]);
    }
}

void
_neft_exact_grid_finish(arb_ptr M, double * qerr, const _neft_tuples_struct * tree,
                        const neft_exact_spec_t spec, arb_srcptr acc, const double * errs,
                        const double * tail, int half, slong prec)
{
    slong node;
    arb_t t;
    arb_init(t);
    for (node = 1; node < tree->length; node++)
    {
        slong idx[NEFT_SAMPLE_MAX_NPT];
        double q;
        if (tree->len[node] % 2)
            continue;
        _neft_tuples_get(idx, tree, node);
        if (_neft_exact_independent_zero(spec, idx, tree->len[node], prec))
        {
            arb_zero(M + node);
            continue;
        }
        arb_set(M + node, acc + node);
        if (half)
            arb_mul_2exp_si(M + node, M + node, 1);
        q = _up_add(half ? ldexp(errs[node], 1) : errs[node], tail[tree->len[node]]);
        if (qerr != NULL)
            qerr[node] = q;
        arb_set_d(t, q);
        arb_add_error(M + node, t);
    }
    arb_clear(t);
}
