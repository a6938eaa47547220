/* The couplings of S[f] from connected correlators by the Edgeworth series
   (neft/action.h). */

#include <string.h>
#include "neft/interrupt.h"
#include "neft/tuple.h"
#include "action-internal.h"

void
neft_action_input_init(neft_action_input_t in, slong npoints, int with6)
{
    in->npoints = npoints;
    in->g2 = _arb_vec_init(FLINT_MAX(neft_tuple_count(npoints, 2), 1));
    in->g4 = _arb_vec_init(FLINT_MAX(neft_tuple_count(npoints, 4), 1));
    in->g6 = with6 ? _arb_vec_init(FLINT_MAX(neft_tuple_count(npoints, 6), 1)) : NULL;
    in->d_in = 0;
    in->x = NULL;
}

void
neft_action_input_clear(neft_action_input_t in)
{
    _arb_vec_clear(in->g2, FLINT_MAX(neft_tuple_count(in->npoints, 2), 1));
    _arb_vec_clear(in->g4, FLINT_MAX(neft_tuple_count(in->npoints, 4), 1));
    if (in->g6 != NULL)
        _arb_vec_clear(in->g6, FLINT_MAX(neft_tuple_count(in->npoints, 6), 1));
    flint_free(in->x);
}

void
neft_action_init(neft_action_t S)
{
    memset(S, 0, sizeof *S);
    arb_init(S->degree8);
}

void
neft_action_clear(neft_action_t S)
{
    slong n, k;
    for (n = 0; n < 4; n++)
    {
        for (k = 0; k <= NEFT_ACTION_MAX_ORDER; k++)
            if (S->part[n][k] != NULL)
                _arb_vec_clear(S->part[n][k], S->ntuples[n]);
        if (S->total[n] != NULL)
            _arb_vec_clear(S->total[n], S->ntuples[n]);
    }
    arb_clear(S->degree8);
    flint_free(S->x);
    memset(S, 0, sizeof *S);
}

/* k! for the tuple lengths of the action (n <= 8). */
static const slong _fact[9] = {1, 1, 2, 6, 24, 120, 720, 5040, 40320};

/* n! / prod(multiplicities!) of a sorted tuple (n <= 8): its ordered
   arrangements. */
static slong
_arrangements(const slong * t, slong n)
{
    slong i, r = _fact[n], run = 1;
    for (i = 1; i <= n; i++)
    {
        if (i < n && t[i] == t[i - 1])
            run++;
        else
        {
            r /= _fact[run];
            run = 1;
        }
    }
    return r;
}

/* out += sum over ordered n-tuples of kappa(tuple) T_a1 .. T_an g, the
   operators sharing the prefixes of the sorted tuples (they commute).
   0 on a stop request. */
static int
_apply(arb_ptr out, arb_srcptr g, arb_srcptr kappa, slong n, const _neft_action_basis_t B,
       const arb_mat_t M, slong prec)
{
    slong t[8], prev[8], k, c = 0, r = 0, P = B->P;
    arb_ptr lev = _arb_vec_init(B->len * (n + 1));
    arb_t w;
    int first = 1, ok = 1;
    arb_init(w);
    _arb_vec_set(lev, g, B->len);
    neft_tuple_first(t, n);
    do
    {
        if (neft_interrupted())
        {
            ok = 0;
            break;
        }
        /* the levels after the prefix shared with the previous tuple */
        for (c = 0; !first && c < n && t[c] == prev[c]; c++)
            ;
        for (k = c; k < n; k++)
            _neft_action_T(lev + (k + 1) * B->len, lev + k * B->len, t[k], B, M, prec);
        if (!arb_is_zero(kappa + r))
        {
            arb_mul_si(w, kappa + r, _arrangements(t, n), prec);
            _arb_vec_scalar_addmul(out, lev + n * B->len, B->len, w, prec);
        }
        memcpy(prev, t, sizeof(slong) * n);
        first = 0;
        r++;
    }
    while (neft_tuple_next(t, n, P));
    _arb_vec_clear(lev, B->len * (n + 1));
    arb_clear(w);
    return ok;
}

/* The couplings of degree n of the polynomial s (order k) into S. */
static void
_couplings(neft_action_t S, slong k, arb_srcptr s, slong n, const _neft_action_basis_t B,
           slong prec)
{
    slong i, t[8], m = n / 2 - 1, P = B->P;
    neft_tuple_first(t, n);
    i = 0;
    do
    {
        /* lambda = coefficient * n! / arrangements = coefficient * prod(mult!) */
        arb_mul_si(S->part[m][k] + i, s + _neft_action_basis_rank(B, t, n),
                   _fact[n] / _arrangements(t, n), prec);
        i++;
    }
    while (neft_tuple_next(t, n, P));
}

int
neft_action_compute(neft_action_t S, const neft_action_input_t in, slong order, slong prec,
                    char * err, size_t errlen)
{
    slong P = in->npoints, n, k, i, j, D = 4 * order;
    _neft_action_basis_t B;
    arb_mat_t G, M;
    arb_ptr one, d4, p1, s1, s2, x, tmp;
    arb_t w;
    int st = NEFT_SUCCESS;

    if (P < 1 || P > NEFT_ACTION_MAX_POINTS)
    {
        snprintf(err, errlen, "the action needs 1 to %d inputs, got %ld",
                 NEFT_ACTION_MAX_POINTS, (long) P);
        return NEFT_BAD_INPUT;
    }
    if (order < 1 || order > NEFT_ACTION_MAX_ORDER || (order == 2 && in->g6 == NULL))
    {
        snprintf(err, errlen, "the action is computed to O(1/N) or O(1/N^2) (order 1 or 2; "
                 "order 2 needs the 6-point function), got order %ld", (long) order);
        return NEFT_BAD_INPUT;
    }
    arb_mat_init(G, P, P);
    arb_mat_init(M, P, P);
    for (i = 0; i < P; i++)
        for (j = i; j < P; j++)
        {
            /* the rank of (i, j) among the sorted pairs */
            slong r = i * P - i * (i - 1) / 2 + (j - i);
            arb_set(arb_mat_entry(G, i, j), in->g2 + r);
            arb_set(arb_mat_entry(G, j, i), in->g2 + r);
        }
    if (!arb_mat_inv(M, G, prec))
    {
        snprintf(err, errlen, "the 2-point matrix of the %ld inputs is not certified "
                 "invertible at %ld bits: the density is degenerate (supported on a subspace, "
                 "e.g. bias-free ReLU on inputs of one sign, where f(x) is proportional to x) "
                 "and has no action; choose other inputs", (long) P, (long) prec);
        arb_mat_clear(G);
        arb_mat_clear(M);
        return NEFT_UNSUPPORTED;
    }

    neft_action_clear(S);
    neft_action_init(S);
    S->npoints = P;
    S->order = order;
    if (in->x != NULL && in->d_in > 0)
    {
        S->d_in = in->d_in;
        S->x = flint_malloc(sizeof(double) * P * in->d_in);
        memcpy(S->x, in->x, sizeof(double) * P * in->d_in);
    }
    for (n = 0; n < 4; n++)
    {
        S->ntuples[n] = neft_tuple_count(P, 2 * n + 2);
        S->total[n] = _arb_vec_init(S->ntuples[n]);
        for (k = 0; k <= order; k++)
            S->part[n][k] = _arb_vec_init(S->ntuples[n]);
    }
    /* O(1): 1/2 f.G^-1.f */
    for (i = 0, n = 0; i < P; i++)
        for (j = i; j < P; j++)
            arb_set(S->part[0][0] + n++, arb_mat_entry(M, i, j));

    arb_init(w);
    _neft_action_basis_init(B, P, D);
    one = _arb_vec_init(B->len);
    d4 = _arb_vec_init(B->len);
    p1 = _arb_vec_init(B->len);
    s1 = _arb_vec_init(B->len);
    s2 = _arb_vec_init(B->len);
    x = _arb_vec_init(B->len);
    tmp = _arb_vec_init(B->len);
    arb_one(one);
    /* E1 = (1/4!) k4 . T^4 [1]; S1 = -E1 */
    if (!_apply(d4, one, in->g4, 4, B, M, prec))
        st = NEFT_INTERRUPTED;
    arb_set_si(w, 24);
    _arb_vec_scalar_div(p1, d4, B->len, w, prec);
    _arb_vec_neg(s1, p1, B->len);
    if (st == NEFT_SUCCESS && order >= 2)
    {
        /* E2 = (1/6!) k6 . T^6 [1] + (1/2)(1/4!)^2 k4 k4 . T^8 [1];
           S2 = -E2 + E1^2 / 2 */
        if (!_apply(x, one, in->g6, 6, B, M, prec) || !_apply(tmp, d4, in->g4, 4, B, M, prec))
            st = NEFT_INTERRUPTED;
        arb_set_si(w, 720);
        _arb_vec_scalar_div(x, x, B->len, w, prec);
        arb_set_si(w, 1152);
        _arb_vec_scalar_div(tmp, tmp, B->len, w, prec);
        _arb_vec_add(s2, x, tmp, B->len, prec);
        _arb_vec_neg(s2, s2, B->len);
        _neft_action_mul(x, p1, p1, B, prec);
        _arb_vec_scalar_mul_2exp_si(x, x, B->len, -1);
        _arb_vec_add(s2, s2, x, B->len, prec);
    }
    if (st == NEFT_SUCCESS)
    {
        for (n = 2; n <= 8 && n <= D; n += 2)
        {
            _couplings(S, 1, s1, n, B, prec);
            if (order >= 2)
                _couplings(S, 2, s2, n, B, prec);
        }
        /* the degree-8 terms cancel: the largest |coefficient| (a ball containing 0) */
        arb_zero(S->degree8);
        if (order >= 2)
            for (i = 0; i < S->ntuples[3]; i++)
            {
                arb_abs(tmp, S->part[3][2] + i);
                arb_max(S->degree8, S->degree8, tmp, prec);
            }
        for (n = 0; n < 4; n++)
            for (k = 0; k <= order; k++)
                _arb_vec_add(S->total[n], S->total[n], S->part[n][k], S->ntuples[n], prec);
    }
    else
        snprintf(err, errlen, "interrupted");
    _arb_vec_clear(one, B->len);
    _arb_vec_clear(d4, B->len);
    _arb_vec_clear(p1, B->len);
    _arb_vec_clear(s1, B->len);
    _arb_vec_clear(s2, B->len);
    _arb_vec_clear(x, B->len);
    _arb_vec_clear(tmp, B->len);
    _neft_action_basis_clear(B);
    arb_clear(w);
    arb_mat_clear(G);
    arb_mat_clear(M);
    return st;
}
