/* The span of one moment's pre-activations (d_in >= 2, any number of points).
 *
 * z(x) = b0 + W0.x is linear in the augmented vector X(x) = (x, 1) (or x
 * alone when sigma_b = 0): z(x) = X(x) . zeta with zeta ~ N(0, diag(sw^2/d,
 * .., sb^2)).  The distinct points of a tuple give rows X_i; their rank r
 * (<= d_in + 1) is decided from determinants of minors, each either
 * certainly nonzero (its ball excludes 0) or exactly 0 (exact inputs such
 * as 1, -1, 0.5 give exact balls); a rank that the balls cannot decide (an
 * inexact input such as 0.2 in a degenerate configuration) is a FAILURE,
 * never a guess.  Choosing r independent rows B, every row is X_i = sum_j
 * c_ij X_{B_j} (Cramer), so z_i = c_i . z_B with z_B ~ N(0, G_BB) (the
 * kernel matrix of the basis points).  The coefficients are kept as
 * ct_i = |det| c_i, the signed cofactor numerators (exact for exact inputs),
 * with det the nonzero minor of the basis. */

#include <string.h>
#include "exact-internal.h"

void
_neft_exact_span_init(_neft_exact_span_struct * S)
{
    memset(S, 0, sizeof(*S));
    arb_init(S->absdet);
    S->ct = _arb_vec_init(NEFT_SAMPLE_MAX_NPT * 4);
    S->G = _arb_vec_init(16);
}

void
_neft_exact_span_clear(_neft_exact_span_struct * S)
{
    arb_clear(S->absdet);
    _arb_vec_clear(S->ct, NEFT_SAMPLE_MAX_NPT * 4);
    _arb_vec_clear(S->G, 16);
}

/* det of the r x r matrix rows[0..r) x cols[0..r) of X (row stride D) */
static void
det_sub(arb_t res, arb_srcptr X, slong D, const slong * rows, const slong * cols, slong r,
        slong prec)
{
    slong j, sub[4], k, l;
    arb_t t;
    if (r == 1)
    {
        arb_set(res, X + rows[0] * D + cols[0]);
        return;
    }
    arb_init(t);
    arb_zero(res);
    for (j = 0; j < r; j++)
    {
        /* expansion along row 0, column j */
        for (k = 0, l = 0; k < r; k++)
            if (k != j)
                sub[l++] = cols[k];
        det_sub(t, X, D, rows + 1, sub, r - 1, prec);
        arb_mul(t, t, X + rows[0] * D + cols[j], prec);
        if (j % 2)
            arb_sub(res, res, t, prec);
        else
            arb_add(res, res, t, prec);
    }
    arb_clear(t);
}

/* the k-th subset (bitmask) of size r of {0..m-1} in increasing mask order;
   returns 0 when exhausted */
static int
next_subset(ulong * mask, slong m, slong r)
{
    ulong v = *mask;
    for (v = v + 1; v < (UWORD(1) << m); v++)
        if (__builtin_popcountl(v) == r)
        {
            *mask = v;
            return 1;
        }
    return 0;
}

static void
bits(slong * out, ulong mask)
{
    slong i, j = 0;
    for (i = 0; i < 64; i++)
        if (mask & (UWORD(1) << i))
            out[j++] = i;
}

int
_neft_exact_span(_neft_exact_span_struct * S, const neft_exact_spec_t spec,
                 const slong * idx, slong n, const arb_t sw, const arb_t sb, slong prec)
{
    neft_net_srcptr net = spec->net;
    slong d = net->d_in, D = d + !fmpq_is_zero(net->cb), m = 0, a, b, i, j, r, rmax;
    slong rows[4], cols[4], wp = 12 * (prec + 16) + 64;
    arb_ptr X;
    arb_t det, t;
    int found = 0, undecided_above = 0, status = NEFT_EXACT_SUCCESS;

    for (a = 0; a < n; a++)
    {
        for (b = 0; b < m && S->pt[b] != idx[a]; b++)
            ;
        if (b == m)
            S->pt[m++] = idx[a];
        S->of[a] = b;
        S->mult[b]++;
    }
    S->m = m;
    S->D = D;
    X = _arb_vec_init(m * D);
    arb_init(det);
    arb_init(t);
    for (i = 0; i < m; i++)
    {
        for (j = 0; j < d; j++)
            arb_set(X + i * D + j, spec->points + S->pt[i] * d + j);
        if (D > d)
            arb_one(X + i * D + d);
    }
    rmax = m < D ? m : D;
    for (r = rmax; r >= 1 && !found; r--)
    {
        ulong rm = 0, cm;
        int undecided = 0;
        while (!found && next_subset(&rm, m, r))
            for (cm = 0; !found && next_subset(&cm, D, r);)
            {
                bits(rows, rm);
                bits(cols, cm);
                det_sub(det, X, D, rows, cols, r, wp);
                if (!arb_contains_zero(det))
                    found = 1;
                else if (!arb_is_zero(det))
                    undecided = 1;
            }
        if (found)
        {
            if (undecided_above)
                status = NEFT_EXACT_FAILURE;
            S->r = r;
        }
        else if (undecided)
            undecided_above = 1;
    }
    if (!found)
    {
        /* every point is 0 with sigma_b = 0: z = 0 identically */
        S->r = 0;
        if (undecided_above)
            status = NEFT_EXACT_FAILURE;
        goto out;
    }
    if (status != NEFT_EXACT_SUCCESS)
        goto out;
    r = S->r;
    for (j = 0; j < r; j++)
        S->B[j] = S->pt[rows[j]], S->Brow[j] = rows[j];
    arb_abs(S->absdet, det);
    /* ct_i = sign(det) * det(X_B with row j replaced by X_i), on the columns cols */
    for (i = 0; i < m; i++)
    {
        slong Bi = -1;
        for (j = 0; j < r; j++)
            if (rows[j] == i)
                Bi = j;
        for (j = 0; j < r; j++)
        {
            arb_ptr c = S->ct + i * 4 + j;
            if (Bi >= 0)
            {
                if (Bi == j)
                    arb_set(c, S->absdet);
                else
                    arb_zero(c);
                continue;
            }
            {
                slong rr[4];
                memcpy(rr, rows, sizeof(rr));
                rr[j] = i;
                det_sub(c, X, D, rr, cols, r, wp);
                if (arb_is_negative(det))
                    arb_neg(c, c);
            }
        }
    }
    /* the kernel matrix of the basis points */
    for (i = 0; i < r; i++)
        for (j = 0; j < r; j++)
        {
            arb_ptr g = S->G + i * r + j;
            slong k;
            arb_zero(g);
            for (k = 0; k < d; k++)
                arb_addmul(g, spec->points + S->B[i] * d + k, spec->points + S->B[j] * d + k,
                           wp);
            arb_mul(g, g, sw, wp);
            arb_mul(g, g, sw, wp);
            arb_div_si(g, g, d, wp);
            arb_sqr(t, sb, wp);
            arb_add(g, g, t, wp);
        }
out:
    _arb_vec_clear(X, m * D);
    arb_clear(det);
    arb_clear(t);
    return status;
}

int
_neft_exact_span_plane(arb_ptr u, const _neft_exact_span_struct * S, slong n, slong prec)
{
    arb_t L11, L21, L22, t;
    slong a, i;
    int status = NEFT_EXACT_SUCCESS;
    if (S->r > 2)
        return NEFT_EXACT_UNSUPPORTED;
    _arb_vec_zero(u, 2 * n);
    if (S->r == 0)
        return NEFT_EXACT_SUCCESS;
    arb_init(L11); arb_init(L21); arb_init(L22); arb_init(t);
    if (!arb_is_positive(S->G + 0))
        status = NEFT_EXACT_FAILURE;
    else
    {
        arb_sqrt(L11, S->G + 0, prec);
        if (S->r == 2)
        {
            arb_div(L21, S->G + 2, L11, prec);
            arb_sqr(t, L21, prec);
            arb_sub(L22, S->G + 3, t, prec);
            arb_sqrtpos(L22, L22, prec);
        }
        for (a = 0; a < n; a++)
        {
            arb_ptr ua = u + 2 * a;
            i = S->of[a];
            /* u_i = c_i1 u_B1 + c_i2 u_B2, u_B1 = (L11, 0), u_B2 = (L21, L22) */
            arb_mul(ua, S->ct + 4 * i, L11, prec);
            if (S->r == 2)
            {
                arb_addmul(ua, S->ct + 4 * i + 1, L21, prec);
                arb_mul(ua + 1, S->ct + 4 * i + 1, L22, prec);
                arb_div(ua + 1, ua + 1, S->absdet, prec);
            }
            arb_div(ua, ua, S->absdet, prec);
        }
    }
    arb_clear(L11); arb_clear(L21); arb_clear(L22); arb_clear(t);
    return status;
}
