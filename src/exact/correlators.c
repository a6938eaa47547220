/* Exact finite-width correlators from the Gaussian expectations M_k: the
   cumulant rule of neft/exact.h (derivation in docs/cmd-exact.md). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/exact.h"
#include "neft/interrupt.h"
#include "../sample/tuples.h"
#include "../cost.h"

void
neft_exact_spec_init(neft_exact_spec_t spec)
{
    neft_net_init(spec->net);
    neft_net_set_width_si(spec->net, 1, 1);
    spec->npoints = 0;
    spec->points = NULL;
    spec->npt_mask = (1u << 2) | (1u << 4) | (1u << 6);
    spec->threads = 0;
}

void
neft_exact_spec_clear(neft_exact_spec_t spec)
{
    if (spec->points != NULL)
        _arb_vec_clear(spec->points, spec->npoints * spec->net->d_in);
    spec->points = NULL;
    neft_net_clear(spec->net);
}

void
neft_exact_spec_set_points(neft_exact_spec_t spec, arb_srcptr x, slong npoints)
{
    if (spec->points != NULL)
        _arb_vec_clear(spec->points, spec->npoints * spec->net->d_in);
    spec->npoints = npoints;
    spec->points = _arb_vec_init(npoints * spec->net->d_in);
    _arb_vec_set(spec->points, x, npoints * spec->net->d_in);
}

void
neft_exact_result_init(neft_exact_result_t res)
{
    res->length = 0;
    res->corr = NULL;
}

void
neft_exact_result_clear(neft_exact_result_t res)
{
    slong i;
    for (i = 0; i < res->length; i++)
    {
        arb_clear(res->corr[i].full);
        arb_clear(res->corr[i].connected);
    }
    flint_free(res->corr);
    neft_exact_result_init(res);
}

void
neft_exact_cost(double * ops, double * bytes, const neft_exact_spec_t spec, slong prec)
{
    _neft_tuples_struct tree;
    slong maxn = 0, n, node, count = 0;
    double A = _neft_cost_arb(prec), ball = sizeof(arb_struct) + 2.0 * (double) prec / 8;

    *ops = *bytes = 0;
    for (n = 2; n <= NEFT_SAMPLE_MAX_NPT; n += 2)
        if (spec->npt_mask & (1u << n))
            maxn = n;
    if (maxn == 0 || spec->npoints < 1 || _neft_sample_tuple_budget(spec->npoints, maxn) < 0)
        return;
    *ops = neft_exact_moments_cost(spec, prec);
    _neft_tuples_init(&tree, spec->npoints, maxn);
    for (node = 1; node < tree.length; node++)
    {
        n = tree.len[node];
        if (n % 2 != 0)
            continue;
        /* cumulant and full sums: partitions x (blocks + 1) multiplications, twice */
        *ops += 2.0 * (double) _neft_even_partitions(NULL, n) * (double) (n / 2 + 1) * A;
        count += (spec->npt_mask & (1u << n)) != 0;
    }
    /* tree (parent, last, len, child[npoints]); M, kappa, full; the result */
    *bytes = (double) tree.length * ((3.0 + (double) spec->npoints) * sizeof(slong) + 3 * ball)
           + (double) count * (sizeof(neft_exact_corr_struct) + 2 * ball);
    _neft_tuples_clear(&tree);
}

int
neft_exact_correlators_from(neft_exact_result_t res, const neft_exact_moments_t mom,
                            const neft_exact_spec_t spec, slong prec, char * err,
                            size_t errsize)
{
    const _neft_tuples_struct * tree = mom->tree;
    _neft_partition_struct * parts[NEFT_SAMPLE_MAX_NPT / 2 + 1];
    slong nparts[NEFT_SAMPLE_MAX_NPT / 2 + 1];
    slong maxn = 0, n, node, p, k, count = 0, t;
    slong idx[NEFT_SAMPLE_MAX_NPT];
    arb_ptr M, kappa, full;
    arb_t term, c, sw2, sb;
    int status = NEFT_EXACT_SUCCESS;
    neft_net_srcptr net = spec->net;
    static const slong dfact[] = {1, 1, 1, 1, 3, 1, 15, 1, 105};   /* (j-1)!! for even j */

    neft_exact_result_clear(res);
    for (n = 2; n <= NEFT_SAMPLE_MAX_NPT; n += 2)
        if (spec->npt_mask & (1u << n))
            maxn = n;
    if (maxn == 0 || (spec->npt_mask & ~0x154u) || spec->npoints < 1
        || spec->net->depth != 2 || fmpz_sgn(spec->net->widths + 0) <= 0
        || neft_net_check(net, err, errsize) != NEFT_SUCCESS)
    {
        snprintf(err, errsize, "bad exact spec (npt among 2,4,6,8; depth 2, width >= 1; "
                 "an activation; points)");
        return NEFT_EXACT_BAD_INPUT;
    }
    if (tree == NULL || mom->npoints != spec->npoints || mom->maxn < maxn)
    {
        snprintf(err, errsize, "the moments were computed for other points or fewer npt");
        return NEFT_EXACT_BAD_INPUT;
    }

    memset(parts, 0, sizeof(parts));
    for (n = 2; n <= maxn; n += 2)
    {
        nparts[n / 2] = _neft_even_partitions(NULL, n);
        parts[n / 2] = flint_malloc(sizeof(_neft_partition_struct) * nparts[n / 2]);
        _neft_even_partitions(parts[n / 2], n);
    }
    M = mom->M;
    kappa = _arb_vec_init(tree->length);
    full = _arb_vec_init(tree->length);
    arb_init(term);
    arb_init(c);
    arb_init(sw2);
    arb_init(sb);
    /* sigma_w^2, sigma_b^2 from the decimal texts' values with 16 guard bits */
    neft_net_sw_arb(sw2, net, prec + 16);
    arb_sqr(sw2, sw2, prec);
    neft_net_sb_arb(sb, net, prec + 16);

    /* cumulants: n = 2: K = sb^2 + sw^2 M_2; n >= 4: N^(1-n/2) sw^n sum_pi ... */
    for (node = 1; node < tree->length; node++)
    {
        if (neft_interrupted())
        {
            snprintf(err, errsize, "interrupted while computing the cumulants");
            status = NEFT_EXACT_INTERRUPTED;
            break;
        }
        n = _neft_tuples_get(idx, tree, node);
        if (n % 2 != 0 || n > maxn)
            continue;
        if (n == 2)
        {
            arb_sqr(c, sb, prec);
            arb_mul(kappa + node, sw2, M + node, prec);
            arb_add(kappa + node, kappa + node, c, prec);
            continue;
        }
        arb_zero(kappa + node);
        for (p = 0; p < nparts[n / 2]; p++)
        {
            arb_set_si(term, parts[n / 2][p].mu);
            for (k = 0; k < parts[n / 2][p].nblocks; k++)
            {
                unsigned mask = parts[n / 2][p].mask[k];
                arb_mul_si(term, term, dfact[__builtin_popcount(mask)], prec);
                arb_mul(term, term, M + _neft_tuples_sub(tree, idx, n, mask), prec);
            }
            arb_add(kappa + node, kappa + node, term, prec);
        }
        arb_pow_ui(c, sw2, (ulong) n / 2, prec);
        arb_mul(kappa + node, kappa + node, c, prec);
        arb_set_fmpz(c, spec->net->widths + 0);
        arb_pow_ui(c, c, (ulong) n / 2 - 1, prec);
        arb_div(kappa + node, kappa + node, c, prec);
    }
    if (status == NEFT_EXACT_SUCCESS)
    {
        /* full = sum over all even-block partitions of products of cumulants */
        for (node = 1; node < tree->length; node++)
        {
            n = _neft_tuples_get(idx, tree, node);
            if (n % 2 != 0 || n > maxn)
                continue;
            arb_zero(full + node);
            for (p = 0; p < nparts[n / 2]; p++)
            {
                arb_one(term);
                for (k = 0; k < parts[n / 2][p].nblocks; k++)
                    arb_mul(term, term,
                            kappa + _neft_tuples_sub(tree, idx, n, parts[n / 2][p].mask[k]),
                            prec);
                arb_add(full + node, full + node, term, prec);
            }
        }
        for (node = 1; node < tree->length; node++)
            if (tree->len[node] <= maxn && (spec->npt_mask & (1u << tree->len[node])))
                count++;
        res->corr = flint_malloc(sizeof(neft_exact_corr_struct) * (count + 1));
        res->length = count;
        t = 0;
        for (n = 2; n <= maxn; n += 2)
        {
            if (!(spec->npt_mask & (1u << n)))
                continue;
            for (node = 1; node < tree->length; node++)
            {
                neft_exact_corr_struct * e;
                if (tree->len[node] != n)
                    continue;
                e = res->corr + t++;
                e->npt = n;
                _neft_tuples_get(e->idx, tree, node);
                arb_init(e->full);
                arb_init(e->connected);
                arb_set(e->full, full + node);
                arb_set(e->connected, kappa + node);
            }
        }
    }

    _arb_vec_clear(kappa, tree->length);
    _arb_vec_clear(full, tree->length);
    arb_clear(term);
    arb_clear(c);
    arb_clear(sw2);
    arb_clear(sb);
    for (n = 2; n <= maxn; n += 2)
        flint_free(parts[n / 2]);
    return status;
}

int
neft_exact_correlators(neft_exact_result_t res, const neft_exact_spec_t spec,
                       slong prec, char * err, size_t errsize)
{
    return neft_exact_correlators_widths(res, NULL, 0, spec, prec, NULL, NULL, err, errsize);
}

int
neft_exact_correlators_widths(neft_exact_result_struct * res, const slong * widths,
                              slong nwidths, const neft_exact_spec_t spec, slong prec,
                              neft_exact_progress_func progress, void * arg, char * err,
                              size_t errsize)
{
    neft_exact_moments_t mom;
    neft_exact_spec_t at;
    slong w, n = widths == NULL ? 1 : nwidths;
    int status;

    for (w = 0; w < n; w++)
        neft_exact_result_clear(res + w);
    if (n < 1 || spec->net->depth != 2 || fmpz_sgn(spec->net->widths + 0) <= 0)
    {
        snprintf(err, errsize, "bad exact spec (npt among 2,4,6,8; depth 2, width >= 1; "
                 "an activation; points)");
        return NEFT_EXACT_BAD_INPUT;
    }
    for (w = 0; widths != NULL && w < n; w++)
        if (widths[w] < 1)
        {
            snprintf(err, errsize, "bad exact spec: width %ld (widths are >= 1)",
                     (long) widths[w]);
            return NEFT_EXACT_BAD_INPUT;
        }
    neft_exact_moments_init(mom);
    status = neft_exact_moments(mom, spec, prec, progress, arg, err, errsize);
    if (status == NEFT_EXACT_SUCCESS)
    {
        /* the same spec at each width: a copy of the net with its width set */
        neft_exact_spec_init(at);
        neft_net_set(at->net, spec->net);
        at->npoints = spec->npoints;
        at->points = spec->points;      /* borrowed, not cleared below */
        at->npt_mask = spec->npt_mask;
        at->threads = spec->threads;
        for (w = 0; w < n && status == NEFT_EXACT_SUCCESS; w++)
        {
            if (widths != NULL)
                neft_net_set_width_si(at->net, 1, widths[w]);
            status = neft_exact_correlators_from(res + w, mom, at, prec, err, errsize);
        }
        at->points = NULL;
        neft_exact_spec_clear(at);
    }
    if (status != NEFT_EXACT_SUCCESS)
        for (w = 0; w < n; w++)
            neft_exact_result_clear(res + w);
    neft_exact_moments_clear(mom);
    return status;
}
