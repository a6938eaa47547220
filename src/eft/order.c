/* Power counting in 1/N (docs/eft.md, "Power counting"): the order of a
   coupling, of a term, the terms of an expansion up to an order, and the
   coupling monomials that enter. */

#include <string.h>
#include "neft/eft.h"

slong
neft_eft_order2_coupling(const neft_theory_t th, slong c)
{
    return th->couplings[c].legs - 2;
}

int
neft_eft_power_counting(const neft_theory_t th)
{
    slong c;
    for (c = 0; c < th->length; c++)
        if (neft_eft_order2_coupling(th, c) < 1)
            return 0;
    return 1;
}

slong
neft_eft_order2_term(const neft_theory_t th, const neft_diagram_struct * d)
{
    slong v, o = 0;
    for (v = 0; v < d->m; v++)
        if (neft_diagram_is_head(d, v))
            o += neft_eft_order2_coupling(th, d->type[v]);
    return o;
}

slong
neft_eft_order_vertices(const neft_theory_t th, slong order)
{
    slong c, lo = WORD_MAX;
    for (c = 0; c < th->length; c++)
        lo = FLINT_MIN(lo, neft_eft_order2_coupling(th, c));
    if (th->length == 0 || lo < 1)
        return 0;
    return (2 * order) / lo;
}

slong
neft_eft_coupling_leading_order(const neft_theory_t th, slong c)
{
    /* the tree with one vertex: (k - 2)/2, rounded up for odd k */
    return (neft_eft_order2_coupling(th, c) + 1) / 2;
}

void
neft_eft_expansion_truncate(neft_expansion_t dst, const neft_expansion_t src, slong order)
{
    slong i;
    neft_expansion_clear(dst);
    neft_expansion_init(dst);
    dst->n = src->n;
    dst->order = src->order;
    dst->min_order = src->min_order;
    dst->prune = src->prune;
    neft_theory_set(dst->theory, src->theory);
    for (i = 0; i < src->length; i++)
        if (neft_eft_order2_term(src->theory, src->terms + i) <= 2 * order)
            neft_expansion_append(dst, src->terms + i);
}

/* exponent vector of term d (e[c], c < th->length) */
static void
_exps(slong * e, const neft_theory_t th, const neft_diagram_struct * d)
{
    slong v;
    memset(e, 0, sizeof(slong) * th->length);
    for (v = 0; v < d->m; v++)
        e[d->type[v]] += neft_diagram_is_head(d, v);
}

slong
neft_eft_monomials(neft_eft_mono_struct * mono, slong max, const neft_expansion_t ex)
{
    slong i, k, n = 0, nc = ex->theory->length;
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    for (i = 0; i < ex->length; i++)
    {
        _exps(e, ex->theory, ex->terms + i);
        for (k = 0; k < n; k++)
            if (memcmp(mono[k].exp, e, sizeof(slong) * nc) == 0)
                break;
        if (k == n)
        {
            if (n == max)
                continue;
            memset(mono + n, 0, sizeof(neft_eft_mono_struct));
            memcpy(mono[n].exp, e, sizeof(slong) * nc);
            mono[n].order2 = neft_eft_order2_term(ex->theory, ex->terms + i);
            n++;
        }
        mono[k].terms++;
    }
    return n;
}

void
neft_eft_term_name(char * buf, size_t len, const neft_diagram_struct * d,
                   const neft_theory_t th)
{
    neft_eft_mono_struct m[1];
    memset(m, 0, sizeof(m));
    _exps(m->exp, th, d);
    neft_eft_mono_name(buf, len, m, th);
}

void
neft_eft_mono_name(char * buf, size_t len, const neft_eft_mono_struct * m,
                   const neft_theory_t th)
{
    slong c;
    size_t at = 0;
    buf[0] = '\0';
    for (c = 0; c < th->length && at < len; c++)
    {
        if (m->exp[c] == 0)
            continue;
        if (m->exp[c] == 1)
            at += snprintf(buf + at, len - at, "%s%s", at ? " " : "", th->couplings[c].name);
        else
            at += snprintf(buf + at, len - at, "%s%s^%ld", at ? " " : "",
                           th->couplings[c].name, (long) m->exp[c]);
    }
    if (at == 0)
        snprintf(buf, len, "1");
}
