/* The plan of a fit at an order in 1/N (docs/eft.md, "Power counting"):
   the terms that enter, the couplings fitted, held by --set or taken from
   the fit of their own lower-point correlator, and the refusals of fits that
   cannot be made (a coupling that does not enter, or enters non-linearly). */

#include <string.h>
#include "neft/eft.h"

void
neft_eft_plan_init(neft_eft_plan_t P)
{
    slong k;
    memset(P, 0, sizeof(*P));
    neft_expansion_init(P->ex);
    neft_expansion_init(P->full);
    for (k = 0; k < NEFT_THEORY_COUPLINGS_MAX; k++)
        neft_expansion_init(P->dep_ex[k]);
}

void
neft_eft_plan_clear(neft_eft_plan_t P)
{
    slong k;
    neft_expansion_clear(P->ex);
    neft_expansion_clear(P->full);
    for (k = 0; k < NEFT_THEORY_COUPLINGS_MAX; k++)
        neft_expansion_clear(P->dep_ex[k]);
    memset(P, 0, sizeof(*P));
}

int
neft_eft_set_names(int * given, const neft_theory_t th, const char * text)
{
    const char * p = text;
    memset(given, 0, sizeof(int) * NEFT_THEORY_COUPLINGS_MAX);
    while (text != NULL && *p)
    {
        const char * end = strchr(p, ','), * eq;
        char name[NEFT_THEORY_NAME_MAX + 1];
        slong c;
        if (end == NULL)
            end = p + strlen(p);
        eq = memchr(p, '=', end - p);
        if (eq == NULL || eq == p || eq - p > NEFT_THEORY_NAME_MAX)
            return -1;
        memcpy(name, p, eq - p);
        name[eq - p] = '\0';
        if ((c = neft_theory_find(th, name)) < 0)
            return -1;
        given[c] = 1;
        p = (*end == ',') ? end + 1 : end;
    }
    return 0;
}

/* "1/N", "1/N^2", "1/N^(3/2)" for twice an order o2 */
void
neft_eft_order_name(char * buf, size_t len, slong o2)
{
    if (o2 == 2)
        snprintf(buf, len, "1/N");
    else if (o2 % 2 == 0)
        snprintf(buf, len, "1/N^%ld", (long) o2 / 2);
    else
        snprintf(buf, len, "1/N^(%ld/2)", (long) o2);
}

static int
_expand(neft_expansion_t ex, neft_expansion_t full, const neft_theory_t th, slong n,
        slong order, unsigned prune, slong max_terms, char * err, size_t errlen)
{
    neft_expand_opt_t opt;
    int st;
    neft_expand_opt_init(opt);
    opt->max_terms = max_terms;
    st = neft_expand(full, th, n, neft_eft_order_vertices(th, order), prune, opt, err, errlen);
    if (st == NEFT_SUCCESS)
        neft_eft_expansion_truncate(ex, full, order);
    return st;
}

int
neft_eft_plan_make(neft_eft_plan_t P, const neft_theory_t th, unsigned prune, slong npt,
                   slong order, const slong * cpl, slong ncpl, const int * given,
                   slong max_terms, char * err, size_t errlen)
{
    slong c, j, k, lead = 0;
    int in[NEFT_THEORY_COUPLINGS_MAX] = {0}, fit[NEFT_THEORY_COUPLINGS_MAX] = {0};
    char on[32];
    int st;

    P->npt = npt;
    P->ncpl = ncpl;
    memcpy(P->given, given, sizeof(int) * NEFT_THEORY_COUPLINGS_MAX);
    memcpy(P->cpl, cpl, sizeof(slong) * ncpl);
    for (j = 0; j < ncpl; j++)
    {
        fit[cpl[j]] = 1;
        lead = FLINT_MAX(lead, neft_eft_coupling_leading_order(th, cpl[j]));
    }
    if (!neft_eft_power_counting(th))
    {
        for (c = 0; c < th->length && neft_eft_order2_coupling(th, c) >= 1; c++)
            ;
        if (order > 0)
        {
            snprintf(err, errlen, "--order: coupling '%s' has %ld leg%s and no order in 1/N "
                     "(power counting needs couplings with 3 or more legs)",
                     th->couplings[c].name, (long) th->couplings[c].legs,
                     th->couplings[c].legs == 1 ? "" : "s");
            return NEFT_BAD_INPUT;
        }
        /* no power counting: first order in the couplings, every term */
        P->order = 0;
        neft_expand_opt_t opt;
        neft_expand_opt_init(opt);
        opt->max_terms = max_terms;
        st = neft_expand(P->ex, th, npt, 1, prune, opt, err, errlen);
        return st;
    }
    /* default: the order of the fitted couplings' own trees */
    P->order = order > 0 ? order : FLINT_MAX(lead, 1);
    neft_eft_order_name(on, sizeof on, 2 * P->order);
    if ((st = _expand(P->ex, P->full, th, npt, P->order, prune, max_terms, err, errlen))
        != NEFT_SUCCESS)
        return st;
    for (k = 0; k < P->ex->length; k++)
    {
        const neft_diagram_struct * d = P->ex->terms + k;
        slong v, nfit = 0, first = -1;
        for (v = 0; v < d->m; v++)
        {
            in[d->type[v]] = 1;
            if (!neft_diagram_is_head(d, v))
                continue;
            if (fit[d->type[v]])
            {
                nfit++;
                if (first < 0)
                    first = d->type[v];
            }
        }
        if (nfit > 1)
        {
            char name[256];
            neft_eft_term_name(name, sizeof name, d, th);
            snprintf(err, errlen, "--fit: %s enters the connected %ld-point function at "
                     "O(%s) as %s, not linearly; the fit is linear in the couplings it fits: "
                     "fit %s to its own correlator (the default: leave it out of --fit) or "
                     "fix it with --set %s=VALUE", th->couplings[first].name, (long) npt, on,
                     name, th->couplings[first].name, th->couplings[first].name);
            return NEFT_BAD_INPUT;
        }
    }
    for (j = 0; j < ncpl; j++)
        if (!in[cpl[j]])
        {
            char o2[32];
            neft_eft_order_name(o2, sizeof o2, neft_eft_order2_coupling(th, cpl[j]));
            snprintf(err, errlen, "--fit: %s (O(%s)) enters no term of the connected %ld-point "
                     "function at O(%s)%s", th->couplings[cpl[j]].name, o2, (long) npt, on,
                     neft_eft_coupling_leading_order(th, cpl[j]) > P->order
                     ? " (give a higher --order)" : "");
            return NEFT_BAD_INPUT;
        }
    for (c = 0; c < th->length; c++)
    {
        if (given[c] && !in[c])
        {
            char o2[32];
            neft_eft_order_name(o2, sizeof o2, neft_eft_order2_coupling(th, c));
            snprintf(err, errlen, "--set: %s (O(%s)) enters no term of the connected %ld-point "
                     "function at O(%s): its value would not be used", th->couplings[c].name,
                     o2, (long) npt, on);
            return NEFT_BAD_INPUT;
        }
        /* a coupling with fewer legs, neither fitted nor given: from its own fit */
        if (in[c] && !fit[c] && !given[c] && th->couplings[c].legs < npt)
        {
            slong lo = neft_eft_coupling_leading_order(th, c);
            neft_expansion_t tmp;
            if (P->order > lo + 1)
            {
                /* its own correction of order lo + 1 would enter too */
                char o1[32];
                neft_eft_order_name(o1, sizeof o1, 2 * (lo + 1));
                snprintf(err, errlen, "--order %ld: %s is fitted to the %ld-point function at "
                         "its leading order, and its O(%s) correction would enter at O(%s); "
                         "give --order %ld or fix it with --set %s=VALUE", (long) P->order,
                         th->couplings[c].name, (long) th->couplings[c].legs, o1, on,
                         (long) lo + 1, th->couplings[c].name);
                return NEFT_BAD_INPUT;
            }
            P->dep[P->ndep] = c;
            P->dep_npt[P->ndep] = th->couplings[c].legs;
            neft_expansion_init(tmp);
            st = _expand(P->dep_ex[P->ndep], tmp, th, th->couplings[c].legs, lo,
                         NEFT_PRUNE_CONNECTED, max_terms, err, errlen);
            neft_expansion_clear(tmp);
            if (st != NEFT_SUCCESS)
                return st;
            P->ndep++;
        }
        else if (in[c] && !fit[c] && !given[c])
            P->zero[c] = 1;
    }
    return NEFT_SUCCESS;
}
