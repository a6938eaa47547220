/* Polynomials in the P fields f_1..f_P of degree <= D with ball coefficients,
   a monomial being a sorted tuple (neft/tuple.h order, degree by degree), and
   the Hermite operators T_a = d/df_a - (M f)_a (src/action/action-internal.h). */

#include <string.h>
#include "neft/tuple.h"
#include "action-internal.h"

int
_neft_action_basis_init(_neft_action_basis_t B, slong P, slong D)
{
    slong k, i, a, t[16], u[16];
    memset(B, 0, sizeof *B);
    B->P = P;
    B->D = D;
    for (k = 0; k <= D; k++)
    {
        B->off[k] = B->len;
        B->len += neft_tuple_count(P, k);
    }
    B->off[D + 1] = B->len;
    B->up = flint_malloc(sizeof(slong) * B->len * P);
    B->down = flint_malloc(sizeof(slong) * B->len * P);
    B->mult = flint_malloc(sizeof(slong) * B->len * P);
    B->deg = flint_malloc(sizeof(slong) * B->len);
    B->tuple = flint_malloc(sizeof(slong) * B->len * D + 1);
    for (k = 0; k <= D; k++)
    {
        neft_tuple_first(t, k);
        i = B->off[k];
        do
        {
            B->deg[i] = k;
            memcpy(B->tuple + i * D, t, sizeof(slong) * k);
            for (a = 0; a < P; a++)
            {
                slong j, m = 0, n = 0;
                /* times f_a: insert a */
                if (k < D)
                {
                    for (j = 0; j < k && t[j] <= a; j++)
                        u[n++] = t[j];
                    u[n++] = a;
                    for (; j < k; j++)
                        u[n++] = t[j];
                    B->up[i * P + a] = B->off[k + 1] + neft_tuple_rank(u, k + 1, P);
                }
                else
                    B->up[i * P + a] = -1;
                /* d/df_a: remove one a, times its multiplicity */
                for (j = 0, n = 0; j < k; j++)
                {
                    if (t[j] == a && m++ == 0)
                        continue;
                    u[n++] = t[j];
                }
                B->mult[i * P + a] = m;
                B->down[i * P + a] = m > 0 ? B->off[k - 1] + neft_tuple_rank(u, k - 1, P) : -1;
            }
            i++;
        }
        while (k > 0 && neft_tuple_next(t, k, P));
    }
    return 1;
}

void
_neft_action_basis_clear(_neft_action_basis_t B)
{
    flint_free(B->up);
    flint_free(B->down);
    flint_free(B->mult);
    flint_free(B->deg);
    flint_free(B->tuple);
}

slong
_neft_action_basis_rank(const _neft_action_basis_t B, const slong * idx, slong k)
{
    return B->off[k] + neft_tuple_rank(idx, k, B->P);
}

void
_neft_action_T(arb_ptr out, arb_srcptr g, slong a, const _neft_action_basis_t B,
               const arb_mat_t M, slong prec)
{
    slong i, b, P = B->P;
    arb_t t;
    arb_init(t);
    _arb_vec_zero(out, B->len);
    for (i = 0; i < B->len; i++)
    {
        if (arb_is_zero(g + i))
            continue;
        /* d/df_a */
        if (B->down[i * P + a] >= 0)
            arb_addmul_si(out + B->down[i * P + a], g + i, B->mult[i * P + a], prec);
        /* - (M f)_a g = - sum_b M_ab f_b g */
        for (b = 0; b < P; b++)
        {
            slong j = B->up[i * P + b];
            if (j < 0)
                continue;   /* beyond degree D: never reached by the callers */
            arb_mul(t, arb_mat_entry(M, a, b), g + i, prec);
            arb_sub(out + j, out + j, t, prec);
        }
    }
    arb_clear(t);
}

void
_neft_action_mul(arb_ptr out, arb_srcptr f, arb_srcptr g, const _neft_action_basis_t B,
                 slong prec)
{
    slong i, j, k, D = B->D, t[32];
    _arb_vec_zero(out, B->len);
    for (i = 0; i < B->len; i++)
    {
        if (arb_is_zero(f + i))
            continue;
        for (j = 0; j < B->len; j++)
        {
            slong di = B->deg[i], dj = B->deg[j], x = 0, y = 0, n = 0;
            if (arb_is_zero(g + j) || di + dj > D)
                continue;
            /* merge the two sorted tuples */
            while (x < di || y < dj)
                t[n++] = (y >= dj || (x < di && B->tuple[i * D + x] <= B->tuple[j * D + y]))
                         ? B->tuple[i * D + x++] : B->tuple[j * D + y++];
            k = _neft_action_basis_rank(B, t, n);
            arb_addmul(out + k, f + i, g + j, prec);
        }
    }
}
