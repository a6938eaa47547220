/* GaussNet with a decaying propagator (sigma_b = 0, or the bias subtracted)
   over the whole space, any number of internal vertices: a closed form.

   K(u, v) = sigma_w^2 exp(-alpha |u - v|^2), alpha = sigma_w^2 / (2 d_in),
   and K(y, y) = sigma_w^2.  The integrand is sigma_w^{2E} exp(-alpha S),
   S = sum_legs |y_a - x_i|^2 + sum_{a<b} A_ab |y_a - y_b|^2, separately in
   each coordinate c: S_c = y^T Q y - 2 b_c^T y + s_c with Q_aa = legs(a) +
   sum_{b != a} A_ab, Q_ab = -A_ab, b_{c,a} = sum over legs of a of x_{i,c},
   s_c = sum_i x_{i,c}^2.  Q is positive definite when every vertex reaches
   a leg (a connected piece with a leg), and
     \int_{R^m} exp(-alpha S_c) dy = (pi/alpha)^{m/2} det(Q)^{-1/2}
                                     exp(-alpha (s_c - b_c^T Q^{-1} b_c)). */

#include <stdio.h>
#include "neft/arbcompat.h"
#include "internal.h"
#include "threevtx.h"

int
_neft_integrate_gauss_inf(arb_t res, const neft_vint_t v, const neft_kernel_t k, slong prec,
                          char * err, size_t errsize)
{
    slong m = v->m, d = v->d, M = NEFT_INTEGRATE_MAX_VERTICES, a, b, i, c, E = 0;
    arb_mat_t Q, B, X;
    arb_t alpha, det, t, s, e;
    int status = NEFT_INTEGRATE_SUCCESS;

    if (v->nlegs == 0)
    {
        snprintf(err, errsize, "a connected piece without external legs diverges over the "
                 "whole space (gauss kernel)");
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    arb_mat_init(Q, m, m);
    arb_mat_init(B, m, 1);
    arb_mat_init(X, m, 1);
    arb_init(alpha); arb_init(det); arb_init(t); arb_init(s); arb_init(e);
    for (i = 0; i < v->nlegs; i++)
    {
        arb_add_ui(arb_mat_entry(Q, v->vertex[i], v->vertex[i]),
                   arb_mat_entry(Q, v->vertex[i], v->vertex[i]), 1, prec);
        E++;
    }
    for (a = 0; a < m; a++)
        for (b = a; b < m; b++)
        {
            slong A = v->A[a * M + b];
            E += A;
            if (a == b || A == 0)
                continue;
            arb_add_ui(arb_mat_entry(Q, a, a), arb_mat_entry(Q, a, a), A, prec);
            arb_add_ui(arb_mat_entry(Q, b, b), arb_mat_entry(Q, b, b), A, prec);
            arb_sub_ui(arb_mat_entry(Q, a, b), arb_mat_entry(Q, a, b), A, prec);
            arb_sub_ui(arb_mat_entry(Q, b, a), arb_mat_entry(Q, b, a), A, prec);
        }
    arb_mat_det(det, Q, prec);
    if (!arb_is_positive(det))
    {
        snprintf(err, errsize, "a vertex without a path to an external leg: the gauss "
                 "integral over the whole space diverges");
        arb_indeterminate(res);
        status = NEFT_INTEGRATE_UNSUPPORTED;
        goto cleanup;
    }
    arb_div_si(alpha, k->sw2, 2 * d, prec);
    /* sigma_w^{2E} ((pi/alpha)^{m/2} det^{-1/2})^d */
    arb_pow_ui(res, k->sw2, E, prec);
    arb_const_pi(t, prec);
    arb_div(t, t, alpha, prec);
    arb_pow_ui(t, t, m, prec);
    arb_div(t, t, det, prec);
    arb_sqrt(t, t, prec);
    arb_pow_ui(t, t, d, prec);
    arb_mul(res, res, t, prec);
    arb_zero(e);
    for (c = 0; c < d; c++)
    {
        arb_mat_zero(B);
        arb_zero(s);
        for (i = 0; i < v->nlegs; i++)
        {
            const arb_struct * x = v->point + i * d + c;
            arb_add(arb_mat_entry(B, v->vertex[i], 0), arb_mat_entry(B, v->vertex[i], 0), x,
                    prec);
            arb_addmul(s, x, x, prec);
        }
        if (!arb_mat_solve(X, Q, B, prec))
        {
            arb_indeterminate(res);
            status = NEFT_INTEGRATE_NO_CONVERGENCE;
            goto cleanup;
        }
        for (a = 0; a < m; a++)
            arb_submul(s, arb_mat_entry(B, a, 0), arb_mat_entry(X, a, 0), prec);
        /* s_c - b^T Q^{-1} b >= 0: the minimum of S_c */
        arb_add(e, e, s, prec);
    }
    arb_mul(e, e, alpha, prec);
    arb_neg(e, e);
    arb_exp(e, e, prec);
    arb_mul(res, res, e, prec);
cleanup:
    arb_mat_clear(Q);
    arb_mat_clear(B);
    arb_mat_clear(X);
    arb_clear(alpha); arb_clear(det); arb_clear(t); arb_clear(s); arb_clear(e);
    return status;
}
