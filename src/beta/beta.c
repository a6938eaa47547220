/* The beta functions from dG/dlog(cutoff) = 0 (neft/beta.h, docs/cmd-beta.md):
   the monomials, the expansions, the boundary derivatives per tuple and the
   least-squares systems per monomial. */

#include <math.h>
#include <string.h>
#include "neft/beta.h"
#include "neft/eval.h"
#include "neft/interrupt.h"

void
neft_beta_init(neft_beta_t B)
{
    memset(B, 0, sizeof(*B));
    B->data_g = -1;
}

void
neft_beta_clear(neft_beta_t B)
{
    slong i;
    for (i = 0; i < B->ncorr; i++)
    {
        if (B->I != NULL && B->I[i] != NULL)
        {
            _arb_vec_clear(B->I[i], B->ncut * B->ex[i].length * B->ntuples[i]);
            _arb_vec_clear(B->D[i], B->ncut * B->ex[i].length * B->ntuples[i]);
        }
        neft_expansion_clear(B->ex + i);
    }
    flint_free(B->I);
    flint_free(B->D);
    if (B->data_formula != NULL)
    {
        _arb_vec_clear(B->data_formula, B->ncut);
        _arb_vec_clear(B->data_fit, B->ncut);
    }
    if (B->L != NULL)
        _arb_vec_clear(B->L, B->ncut);
    if (B->b != NULL)
        _arb_vec_clear(B->b, B->ncut * B->ncpl * B->nmono);
    flint_free(B->present);
    flint_free(B->lo);
    flint_free(B->hi);
    memset(B, 0, sizeof(*B));
    B->data_g = -1;
}

arb_srcptr
neft_beta_coeff(const neft_beta_t B, slong cut, slong g, slong M)
{
    if (g < 0 || g >= B->ncpl || M < 0 || M >= B->nmono || cut < 0 || cut >= B->ncut
        || !B->has[g] || !B->present[g * B->nmono + M])
        return NULL;
    return B->b + (cut * B->ncpl + g) * B->nmono + M;
}

slong
neft_beta_linear(const neft_beta_t B, slong g)
{
    slong M, c;
    for (M = 0; M < B->nmono; M++)
    {
        int ok = 1;
        for (c = 0; c < B->ncpl; c++)
            ok &= B->mono[M].exp[c] == (c == g);
        if (ok)
            return M;
    }
    return -1;
}

/* every exponent vector of order2 in 1..K2, by increasing order */
static int
monomials(neft_beta_t B, const neft_theory_t th, slong K2, slong c, slong * e, slong o2)
{
    slong k;
    if (c == th->length)
    {
        if (o2 == 0)
            return 1;
        if (B->nmono == NEFT_BETA_MAX_MONO)
            return 0;
        memset(B->mono + B->nmono, 0, sizeof(neft_eft_mono_struct));
        memcpy(B->mono[B->nmono].exp, e, sizeof(slong) * th->length);
        B->mono[B->nmono].order2 = o2;
        B->nmono++;
        return 1;
    }
    for (k = 0; o2 + k * neft_eft_order2_coupling(th, c) <= K2; k++)
    {
        e[c] = k;
        if (!monomials(B, th, K2, c + 1, e, o2 + k * neft_eft_order2_coupling(th, c)))
            return 0;
    }
    e[c] = 0;
    return 1;
}

static slong
find_mono(const neft_beta_t B, const slong * e)
{
    slong M;
    for (M = 0; M < B->nmono; M++)
        if (!memcmp(B->mono[M].exp, e, sizeof(slong) * B->ncpl))
            return M;
    return -1;
}

static int
cmp_mono(const void * a, const void * b)
{
    const neft_eft_mono_struct * x = a, * y = b;
    return (x->order2 > y->order2) - (x->order2 < y->order2);
}

/* the tree of coupling g: one vertex of type g */
static int
is_tree(const neft_diagram_struct * d, slong g)
{
    return d->m == 1 && d->type[0] == g;
}

int
neft_beta_compute(neft_beta_t B, const neft_theory_t th, unsigned prune, slong order,
                  const neft_kernel_t k, arb_srcptr x, slong n, arf_srcptr L, slong ncut,
                  const neft_integrate_opt_t opt, slong prec, char * err, size_t errlen)
{
    slong K2 = 2 * order, c, g, i, t, r, M, cut, d = k->d, R = 0, nc = th->length;
    slong e[NEFT_THEORY_COUPLINGS_MAX] = {0}, off[NEFT_THEORY_COUPLINGS_MAX + 1];
    slong corr_of[NEFT_THEORY_COUPLINGS_MAX];
    arb_ptr * I, * D;                   /* per correlator: terms x rows */
    int st = NEFT_SUCCESS, s;
    arb_t q, u;

    neft_beta_clear(B);
    B->order = order;
    B->ncpl = nc;
    if (!neft_eft_power_counting(th))
    {
        snprintf(err, errlen, "beta: every coupling needs 3 or more legs (an order in 1/N)");
        return NEFT_BAD_INPUT;
    }
    if (order < 1)
    {
        snprintf(err, errlen, "beta: the order must be at least 1");
        return NEFT_BAD_INPUT;
    }
    for (g = 0; g < nc; g++)
        if (th->couplings[g].npoints > 1)
        {
            /* a non-local coupling's tree has several vertices: not the one
               tree per coupling of the systems below (docs/cmd-beta.md) */
            snprintf(err, errlen, "beta: %s is non-local; the beta functions of non-local "
                     "couplings are not done here", th->couplings[g].name);
            return NEFT_UNSUPPORTED;
        }
    for (cut = 0; cut < ncut; cut++)
        if (!arf_is_finite(L + cut) || arf_sgn(L + cut) <= 0)
        {
            snprintf(err, errlen, "beta: the cutoffs must be finite and positive");
            return NEFT_BAD_INPUT;
        }
    if (!monomials(B, th, K2, 0, e, 0))
    {
        snprintf(err, errlen, "beta: more than %d coupling monomials at O(1/N^%ld)",
                 NEFT_BETA_MAX_MONO, (long) order);
        return NEFT_BAD_INPUT;
    }
    qsort(B->mono, B->nmono, sizeof(neft_eft_mono_struct), cmp_mono);
    /* the correlators: one per number of legs of a coupling of order <= K */
    for (g = 0; g < nc; g++)
    {
        corr_of[g] = -1;
        if (neft_eft_order2_coupling(th, g) > K2)
            continue;
        for (i = 0; i < B->ncorr; i++)
            if (B->npt[i] == th->couplings[g].legs)
                break;
        if (i == B->ncorr)
        {
            neft_expansion_t full;
            neft_expand_opt_t eo;
            B->npt[i] = th->couplings[g].legs;
            neft_expansion_init(B->ex + i);
            B->ncorr++;
            neft_expand_opt_init(eo);
            eo->max_terms = NEFT_EXPAND_DEFAULT_MAX_TERMS;
            neft_expansion_init(full);
            s = neft_expand(full, th, B->npt[i], neft_eft_order_vertices(th, order), prune, eo,
                            err, errlen);
            if (s == NEFT_SUCCESS)
                neft_eft_expansion_truncate(B->ex + i, full, order);
            neft_expansion_clear(full);
            if (s != NEFT_SUCCESS)
                return s;
        }
        corr_of[g] = i;
        for (t = 0; t < B->ex[i].length; t++)
            if (is_tree(B->ex[i].terms + t, g))
                B->has[g] = 1;
    }
    B->theory = B->ncorr > 0 ? B->ex[0].theory : th;
    /* a coupling in a term must have a beta */
    for (i = 0; i < B->ncorr; i++)
        for (t = 0; t < B->ex[i].length; t++)
        {
            const neft_diagram_struct * dg = B->ex[i].terms + t;
            for (c = 0; c < dg->m; c++)
                if (!B->has[dg->type[c]])
                {
                    snprintf(err, errlen, "beta: %s enters the %ld-point function but its own "
                             "tree does not enter its correlator at O(1/N^%ld): its beta is not "
                             "determined", th->couplings[dg->type[c]].name, (long) B->npt[i],
                             (long) order);
                    return NEFT_UNSUPPORTED;
                }
        }
    for (g = 0; g < nc && !B->has[g]; g++)
        ;
    if (g == nc)
    {
        snprintf(err, errlen, "beta: no coupling's tree enters its own correlator at "
                 "O(1/N^%ld) (give a higher order)", (long) order);
        return NEFT_BAD_INPUT;
    }
    /* rows: every sorted tuple of the inputs, per correlator */
    off[0] = 0;
    for (i = 0; i < B->ncorr; i++)
    {
        slong idx[16] = {0}, cnt = 0;
        if (B->npt[i] > 16)
        {
            snprintf(err, errlen, "beta: at most 16 points");
            return NEFT_BAD_INPUT;
        }
        do cnt++; while (neft_eval_next_tuple(idx, B->npt[i], n));
        B->ntuples[i] = cnt;
        off[i + 1] = off[i] + cnt;
    }
    R = off[B->ncorr];
    B->ncut = ncut;
    B->L = _arb_vec_init(ncut);
    for (cut = 0; cut < ncut; cut++)
        arb_set_arf(B->L + cut, L + cut);
    B->present = flint_calloc(nc * B->nmono, sizeof(int));
    B->b = _arb_vec_init(ncut * nc * B->nmono);
    B->lo = flint_malloc(sizeof(double) * ncut * nc * B->nmono);
    B->hi = flint_malloc(sizeof(double) * ncut * nc * B->nmono);
    for (i = 0; i < ncut * nc * B->nmono; i++)
        B->lo[i] = B->hi[i] = NAN;
    B->I = flint_calloc(B->ncorr, sizeof(arb_ptr));
    B->D = flint_calloc(B->ncorr, sizeof(arb_ptr));
    for (i = 0; i < B->ncorr; i++)
    {
        B->I[i] = _arb_vec_init(ncut * B->ex[i].length * B->ntuples[i]);
        B->D[i] = _arb_vec_init(ncut * B->ex[i].length * B->ntuples[i]);
    }
    I = flint_calloc(B->ncorr, sizeof(arb_ptr));
    D = flint_calloc(B->ncorr, sizeof(arb_ptr));
    arb_init(q);
    arb_init(u);
    B->status = NEFT_SUCCESS;
    for (cut = 0; cut < ncut && neft_status_has_value(st); cut++)
    {
        arb_ptr w = _arb_vec_init(R);
        for (i = 0; i < B->ncorr; i++)
        {
            I[i] = B->I[i] + cut * B->ex[i].length * B->ntuples[i];
            D[i] = B->D[i] + cut * B->ex[i].length * B->ntuples[i];
        }
        /* the integrals and their cutoff derivatives */
        for (i = 0; i < B->ncorr && neft_status_has_value(st); i++)
        {
            slong idx[16] = {0}, np = B->npt[i], j;
            arb_ptr pts = _arb_vec_init(np * d);
            double ss = 0;
            r = 0;
            do
            {
                arb_t tree;
                arb_init(tree);
                for (j = 0; j < np; j++)
                    _arb_vec_set(pts + j * d, x + idx[j] * d, d);
                for (t = 0; t < B->ex[i].length && neft_status_has_value(st); t++)
                {
                    slong at = t * B->ntuples[i] + r;
                    const neft_diagram_struct * dg = B->ex[i].terms + t;
                    s = neft_integrate_term_dcutoff_th(I[i] + at, D[i] + at, dg,
                                                       B->ex[i].theory, pts, k, L + cut,
                                                       opt, prec, err, errlen);
                    st = neft_status_worst(st, s);
                    if (dg->m == 1 && th->couplings[dg->type[0]].legs == np)
                    {
                        arb_set_fmpq(q, dg->coeff, prec);
                        arb_addmul(tree, q, I[i] + at, prec);
                    }
                }
                ss += arf_get_d(arb_midref(tree), ARF_RND_NEAR)
                      * arf_get_d(arb_midref(tree), ARF_RND_NEAR);
                arb_clear(tree);
                r++;
            }
            while (neft_status_has_value(st) && !neft_interrupted()
                   && neft_eval_next_tuple(idx, np, n));
            _arb_vec_clear(pts, np * d);
            if (neft_interrupted())
            {
                snprintf(err, errlen, "interrupted");
                st = NEFT_INTERRUPTED;
            }
            /* the correlator's weight: the root-mean-square of its trees */
            ss = sqrt(ss / B->ntuples[i]);
            for (r = off[i]; r < off[i + 1]; r++)
                arb_set_d(w + r, ss > 0 && isfinite(ss) ? ss : 1.0);
        }
        if (!neft_status_has_value(st))
        {
            _arb_vec_clear(w, R);
            break;
        }
        /* one least-squares system per monomial, by increasing order */
        for (M = 0; M < B->nmono && neft_status_has_value(st); M++)
        {
            const slong * Me = B->mono[M].exp;
            slong col[NEFT_THEORY_COUPLINGS_MAX], nu = 0, h, a;
            int src = 0;
            arb_mat_t A;
            arb_ptr y;
            for (h = 0; h < nc; h++)
                if (B->has[h] && neft_eft_order2_coupling(th, h) <= B->mono[M].order2)
                    col[nu++] = h;
            if (nu == 0)
                continue;
            arb_mat_init(A, R, nu);
            y = _arb_vec_init(R);
            for (i = 0; i < B->ncorr; i++)
                for (t = 0; t < B->ex[i].length; t++)
                {
                    const neft_diagram_struct * dg = B->ex[i].terms + t;
                    slong et[NEFT_THEORY_COUPLINGS_MAX], Mp[NEFT_THEORY_COUPLINGS_MAX];
                    neft_diagram_powers(et, dg, nc);
                    arb_set_fmpq(q, dg->coeff, prec);
                    /* the term's own running: m_t == M */
                    if (!memcmp(et, Me, sizeof(slong) * nc))
                    {
                        src = 1;
                        for (r = 0; r < B->ntuples[i]; r++)
                            arb_submul(y + off[i] + r, q, D[i] + t * B->ntuples[i] + r, prec);
                    }
                    for (h = 0; h < nc; h++)
                    {
                        slong Mi;
                        int ok = 1;
                        if (et[h] == 0)
                            continue;
                        if (is_tree(dg, h))
                        {
                            /* the unknown b_{h,M} */
                            for (a = 0; a < nu && col[a] != h; a++)
                                ;
                            if (a == nu)
                                continue;
                            for (r = 0; r < B->ntuples[i]; r++)
                                arb_addmul(arb_mat_entry(A, off[i] + r, a), q,
                                           I[i] + t * B->ntuples[i] + r, prec);
                            continue;
                        }
                        /* known: b_{h, M h / m_t} of a lower monomial */
                        for (c = 0; c < nc; c++)
                        {
                            Mp[c] = Me[c] + (c == h) - et[c];
                            ok &= Mp[c] >= 0;
                        }
                        if (!ok || (Mi = find_mono(B, Mp)) < 0 || Mi >= M
                            || !B->present[h * B->nmono + Mi])
                            continue;
                        src = 1;
                        arb_mul_si(u, q, et[h], prec);
                        arb_mul(u, u, B->b + (cut * nc + h) * B->nmono + Mi, prec);
                        for (r = 0; r < B->ntuples[i]; r++)
                            arb_submul(y + off[i] + r, u, I[i] + t * B->ntuples[i] + r, prec);
                    }
                }
            if (src)
            {
                neft_eft_fit_t f;
                neft_eft_fit_init(f, R, nu);
                if (!neft_eft_wls(f, A, y, w, prec))
                {
                    char name[128];
                    neft_eft_mono_name(name, sizeof name, B->mono + M, th);
                    snprintf(err, errlen, "beta: the least-squares system for the %s terms is "
                             "singular at cutoff %g (the couplings' trees are not independent "
                             "on these inputs)", name, arf_get_d(L + cut, ARF_RND_NEAR));
                    st = NEFT_UNSUPPORTED;
                }
                else
                    for (a = 0; a < nu; a++)
                    {
                        slong at = (cut * nc + col[a]) * B->nmono + M, jj;
                        arb_set(B->b + at, f->coeff + a);
                        B->present[col[a] * B->nmono + M] = 1;
                        /* the per-tuple values on the coupling's own correlator */
                        i = corr_of[col[a]];
                        for (r = off[i]; r < off[i + 1]; r++)
                        {
                            double v;
                            if (arb_contains_zero(arb_mat_entry(A, r, a)))
                                continue;
                            arb_set(u, y + r);
                            for (jj = 0; jj < nu; jj++)
                                if (jj != a)
                                    arb_submul(u, arb_mat_entry(A, r, jj), f->coeff + jj, prec);
                            arb_div(u, u, arb_mat_entry(A, r, a), prec);
                            v = arf_get_d(arb_midref(u), ARF_RND_NEAR);
                            if (isnan(B->lo[at]) || v < B->lo[at])
                                B->lo[at] = v;
                            if (isnan(B->hi[at]) || v > B->hi[at])
                                B->hi[at] = v;
                        }
                    }
                neft_eft_fit_clear(f);
            }
            arb_mat_clear(A);
            _arb_vec_clear(y, R);
        }
        _arb_vec_clear(w, R);
    }
    B->status = st;
    flint_free(I);
    flint_free(D);
    arb_clear(q);
    arb_clear(u);
    return st;
}

int
neft_beta_fit_running(arb_t formula, arb_t fit, const neft_beta_t B, slong cut, slong g,
                      arb_srcptr G, arb_srcptr s, slong prec)
{
    slong i, r, T;
    const neft_diagram_struct * d;
    arb_t w, cI, cD, sII, sID, sIG, sDG, lam;
    int ok = 0;

    if (g < 0 || g >= B->ncpl || !B->has[g] || cut < 0 || cut >= B->ncut)
        return 0;
    for (i = 0; i < B->ncorr && B->npt[i] != B->theory->couplings[g].legs; i++)
        ;
    if (i == B->ncorr || B->ex[i].length != 1)
        return 0;
    d = B->ex[i].terms;
    if (!is_tree(d, g))
        return 0;
    T = B->ntuples[i];
    arb_init(w);
    arb_init(cI);
    arb_init(cD);
    arb_init(sII);
    arb_init(sID);
    arb_init(sIG);
    arb_init(sDG);
    arb_init(lam);
    for (r = 0; r < T; r++)
    {
        arb_set_fmpq(w, d->coeff, prec);
        arb_mul(cI, w, B->I[i] + cut * T + r, prec);
        arb_mul(cD, w, B->D[i] + cut * T + r, prec);
        if (s != NULL)
        {
            arb_sqr(w, s + r, prec);
            arb_inv(w, w, prec);
        }
        else
            arb_one(w);
        arb_mul(cI, cI, w, prec);               /* w c I */
        arb_addmul(sII, cI, B->I[i] + cut * T + r, prec);
        arb_addmul(sID, cI, B->D[i] + cut * T + r, prec);
        if (G != NULL)
        {
            arb_addmul(sIG, cI, G + r, prec);
            arb_mul(cD, cD, w, prec);
            arb_addmul(sDG, cD, G + r, prec);
        }
    }
    /* the sums above lack one factor c each: sII, sID are c * sum w c I^2 .. */
    arb_set_fmpq(w, d->coeff, prec);
    arb_mul(sII, sII, w, prec);
    arb_mul(sID, sID, w, prec);
    if (!arb_contains_zero(sII))
    {
        ok = 1;
        arb_div(formula, sID, sII, prec);
        arb_neg(formula, formula);
        if (G != NULL)
        {
            arb_div(lam, sIG, sII, prec);
            if (arb_contains_zero(lam))
                arb_indeterminate(fit);
            else
            {
                /* lambda' = (sum w cD G - 2 lambda sum w cI cD) / sum w (cI)^2 */
                arb_mul(w, lam, sID, prec);
                arb_mul_2exp_si(w, w, 1);
                arb_sub(fit, sDG, w, prec);
                arb_div(fit, fit, sII, prec);
                arb_div(fit, fit, lam, prec);
            }
        }
    }
    arb_clear(w);
    arb_clear(cI);
    arb_clear(cD);
    arb_clear(sII);
    arb_clear(sID);
    arb_clear(sIG);
    arb_clear(sDG);
    arb_clear(lam);
    return ok;
}

int
neft_beta_set_data(neft_beta_t B, slong g, arb_srcptr G, arb_srcptr s, slong prec)
{
    arb_ptr f = _arb_vec_init(B->ncut), h = _arb_vec_init(B->ncut);
    slong cut;
    int ok = 1;
    for (cut = 0; cut < B->ncut && ok; cut++)
    {
        ok = neft_beta_fit_running(f + cut, h + cut, B, cut, g, G, s, prec);
        if (G == NULL)
            arb_indeterminate(h + cut);
    }
    if (!ok)
    {
        _arb_vec_clear(f, B->ncut);
        _arb_vec_clear(h, B->ncut);
        return 0;
    }
    if (B->data_formula != NULL)
    {
        _arb_vec_clear(B->data_formula, B->ncut);
        _arb_vec_clear(B->data_fit, B->ncut);
    }
    B->data_formula = f;
    B->data_fit = h;
    B->data_g = g;
    return 1;
}
