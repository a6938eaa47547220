/* Gaussian expectations of the piecewise-linear activation sigma(z) = z
   (z > 0), s z (z < 0) -- relu (s = 0), leaky-relu, linear (s = 1) -- on a
   span of rank at most 3 (neft_gaussexp_pwlin_rows): a singular kernel,
   e.g. four inputs at layer 1 of a net with d_in + (C_b != 0) <= 3.

   z_a = X_a . zeta, zeta ~ N(0, diag(g)).  Writing sigma(z) = relu(z) -
   s relu(-z), the product is a sum over the sign patterns eps of
   (-s)^{#minus} prod_a relu(eps_a z_a); each term is a relu product, whose
   expectation is computed on the span of the X_a (its rank r decided from
   the minors of X: exact for exact inputs, an undecidable rank is a
   FAILURE, never a guess):
     r = 3  the cone of src/exact/cone.c (_neft_exact_relu_cone: exact radial
            integral, the angular part a 2-D Arb integral per simplicial cone);
     r = 2  the product is positively homogeneous of degree n, so with u_a
            the coordinates of X_a sqrt(g) in an orthonormal frame of the
            span, E = E[chi_2^n] (1/2 pi) int over the arc where every
            eps_a u_a . theta > 0 of prod_a eps_a u_a . theta: the arc is an
            intersection of half circles (angles relative to the first
            factor, atan2 on balls), the integrand the trigonometric
            polynomial Re prod_a (conj(w_a) e^{i theta} + w_a e^{-i theta})/2,
            w_a = u_a1 + i u_a2, integrated in closed form;
     r = 1  E[xi^n] (prod_a relu(eps_a u_a) + prod_a relu(-eps_a u_a)) / 2.
   An arc whose length is not certainly positive or negative gets the union
   of its value and 0 (the arc may be empty). */

#include <stdio.h>
#include <string.h>
#include "neft/gaussexp.h"
#include "neft/interrupt.h"
#include "../exact/exact-internal.h"

#define MAXN 4
#define MAXD 3

/* 3 x 3 determinant of rows r0, r1, r2 of X (stride D = 3) */
static void
det3(arb_t d, arb_srcptr X, slong r0, slong r1, slong r2, slong prec)
{
    arb_srcptr a = X + 3 * r0, b = X + 3 * r1, c = X + 3 * r2;
    arb_t t;
    arb_init(t);
    arb_mul(d, b + 1, c + 2, prec);
    arb_submul(d, b + 2, c + 1, prec);
    arb_mul(d, d, a + 0, prec);
    arb_mul(t, b + 0, c + 2, prec);
    arb_submul(t, b + 2, c + 0, prec);
    arb_submul(d, t, a + 1, prec);
    arb_mul(t, b + 0, c + 1, prec);
    arb_submul(t, b + 1, c + 0, prec);
    arb_addmul(d, t, a + 2, prec);
    arb_clear(t);
}

/* the rank of the n x D rows (D <= 3) from their minors: 0..3, or -1 when
   the balls cannot decide it */
static slong
rank_rows(arb_srcptr X, slong n, slong D, slong prec)
{
    slong i, j, k, a, b, best = 0;
    slong undecided = 0;
    arb_t d;
    arb_init(d);
    /* 1 x 1 */
    for (i = 0; i < n * D; i++)
        if (!arb_is_zero(X + i))
        {
            if (arb_contains_zero(X + i))
                undecided = FLINT_MAX(undecided, 1);
            else
                best = 1;
        }
    /* 2 x 2 */
    for (i = 0; i < n && D >= 2; i++)
        for (j = i + 1; j < n; j++)
            for (a = 0; a < D; a++)
                for (b = a + 1; b < D; b++)
                {
                    arb_mul(d, X + i * D + a, X + j * D + b, prec);
                    arb_submul(d, X + i * D + b, X + j * D + a, prec);
                    if (arb_is_zero(d))
                        continue;
                    if (arb_contains_zero(d))
                        undecided = FLINT_MAX(undecided, 2);
                    else
                        best = FLINT_MAX(best, 2);
                }
    /* 3 x 3 */
    for (i = 0; i < n && D == 3; i++)
        for (j = i + 1; j < n; j++)
            for (k = j + 1; k < n; k++)
            {
                det3(d, X, i, j, k, prec);
                if (arb_is_zero(d))
                    continue;
                if (arb_contains_zero(d))
                    undecided = 3;
                else
                    best = 3;
            }
    arb_clear(d);
    /* an undecided minor matters only when no larger one is certainly nonzero */
    return undecided > best ? -1 : best;
}

/* the coordinates u (n x r) of the rows v (n x D) in an orthonormal frame of
   their span of rank r <= 2 (Gram-Schmidt from the first rows that are
   certainly independent); 0, or -1 when not certified */
static int
frame(arb_ptr u, arb_srcptr v, slong n, slong D, slong r, slong prec)
{
    arb_ptr e = _arb_vec_init(2 * MAXD), w = _arb_vec_init(MAXD);
    arb_t t, nrm;
    slong a, b, k, got = 0;
    int st = 0;
    arb_init(t); arb_init(nrm);
    for (a = 0; a < n && got < r; a++)
    {
        _arb_vec_set(w, v + a * D, D);
        for (b = 0; b < got; b++)
        {
            arb_dot(t, NULL, 0, w, 1, e + b * MAXD, 1, D, prec);
            for (k = 0; k < D; k++)
                arb_submul(w + k, t, e + b * MAXD + k, prec);
        }
        arb_dot(nrm, NULL, 0, w, 1, w, 1, D, prec);
        if (!arb_is_positive(nrm))
            continue;
        arb_rsqrt(nrm, nrm, prec);
        for (k = 0; k < D; k++)
            arb_mul(e + got * MAXD + k, w + k, nrm, prec);
        got++;
    }
    if (got < r)
        st = -1;
    for (a = 0; a < n && !st; a++)
        for (b = 0; b < r; b++)
            arb_dot(u + a * r + b, NULL, 0, v + a * D, 1, e + b * MAXD, 1, D, prec);
    _arb_vec_clear(e, 2 * MAXD);
    _arb_vec_clear(w, MAXD);
    arb_clear(t); arb_clear(nrm);
    return st;
}

/* int over [al, be] of prod_a (v_a . (cos t, sin t)) dt (v: n x 2) in closed form */
static void
trig_integral(arb_t res, arb_srcptr v, slong n, const arb_t al, const arb_t be, slong prec)
{
    /* prod_a (conj(w_a) T + w_a / T) / 2 = sum_k C[k + n] T^k, T = e^{it} */
    acb_ptr C = _acb_vec_init(2 * MAXN + 1), N = _acb_vec_init(2 * MAXN + 1);
    acb_t w, wc, x, y;
    arb_t s;
    slong a, k;
    acb_init(w); acb_init(wc); acb_init(x); acb_init(y);
    arb_init(s);
    acb_one(C + n);
    for (a = 0; a < n; a++)
    {
        acb_set_arb_arb(w, v + 2 * a, v + 2 * a + 1);
        acb_conj(wc, w);
        for (k = 0; k <= 2 * n; k++)
            acb_zero(N + k);
        for (k = 1; k < 2 * n; k++)
        {
            acb_addmul(N + k + 1, C + k, wc, prec);
            acb_addmul(N + k - 1, C + k, w, prec);
        }
        _acb_vec_scalar_mul_2exp_si(C, N, 2 * n + 1, -1);
    }
    /* F(t) = Re [C_0 t + sum_{k != 0} C_k e^{ikt} / (ik)] */
    arb_sub(s, be, al, prec);
    arb_mul(res, acb_realref(C + n), s, prec);
    for (k = -n; k <= n; k++)
    {
        if (k == 0)
            continue;
        /* (e^{ik be} - e^{ik al}) / (ik) */
        acb_set_arb(x, be);
        acb_mul_si(x, x, k, prec);
        acb_mul_onei(x, x);
        acb_exp(x, x, prec);
        acb_set_arb(y, al);
        acb_mul_si(y, y, k, prec);
        acb_mul_onei(y, y);
        acb_exp(y, y, prec);
        acb_sub(x, x, y, prec);
        acb_div_onei(x, x);
        acb_div_si(x, x, k, prec);
        acb_mul(x, x, C + k + n, prec);
        arb_add(res, res, acb_realref(x), prec);
    }
    _acb_vec_clear(C, 2 * MAXN + 1);
    _acb_vec_clear(N, 2 * MAXN + 1);
    acb_clear(w); acb_clear(wc); acb_clear(x); acb_clear(y);
    arb_clear(s);
}

/* E over the circle's Gaussian of prod_a relu(v_a . eta), eta ~ N(0, I_2)
   (v: n x 2): E[chi_2^n] / (2 pi) times the arc integral, in the frame of
   v_0 (angles measured from its direction: no atan2 near its branch cut) */
static void
relu_plane(arb_t res, arb_srcptr v, slong n, slong prec)
{
    arb_t al, be, d, len, pi2, t, c, nv;
    arb_ptr w = _arb_vec_init(2 * MAXN);
    slong a;
    arb_init(al); arb_init(be); arb_init(d); arb_init(len); arb_init(pi2);
    arb_init(t); arb_init(c); arb_init(nv);
    arb_const_pi(pi2, prec);
    arb_mul_2exp_si(pi2, pi2, -1);
    /* w_a = (v_0 . v_a, v_0 x v_a) / |v_0|: v_a rotated so that v_0 = (|v_0|, 0) */
    arb_sqr(nv, v + 0, prec);
    arb_addmul(nv, v + 1, v + 1, prec);
    arb_rsqrt(nv, nv, prec);
    arb_neg(al, pi2);
    arb_set(be, pi2);
    for (a = 0; a < n; a++)
    {
        arb_mul(t, v + 0, v + 2 * a + 1, prec);
        arb_submul(t, v + 1, v + 2 * a, prec);
        arb_mul(c, v + 0, v + 2 * a, prec);
        arb_addmul(c, v + 1, v + 2 * a + 1, prec);
        if (a == 0)
            arb_zero(t);   /* exactly: v_0 x v_0 */
        arb_mul(w + 2 * a, c, nv, prec);
        arb_mul(w + 2 * a + 1, t, nv, prec);
        if (a == 0)
            continue;
        /* delta_a = atan2(v_0 x v_a, v_0 . v_a) in [-pi, pi] */
        arb_atan2(d, t, c, prec);
        arb_sub(t, d, pi2, prec);
        arb_max(al, al, t, prec);
        arb_add(t, d, pi2, prec);
        arb_min(be, be, t, prec);
    }
    arb_sub(len, be, al, prec);
    if (arb_is_nonpositive(len))
        arb_zero(res);
    else
    {
        trig_integral(res, w, n, al, be, prec);
        if (!arb_is_positive(len))
            arb_union(res, res, (arb_zero(t), t), prec);
        /* E[chi_2^n] / (2 pi) = 2^{n/2} Gamma(1 + n/2) / (2 pi) */
        arb_set_ui(t, (ulong) n + 2);
        arb_mul_2exp_si(t, t, -1);
        arb_gamma(t, t, prec);
        arb_mul(res, res, t, prec);
        arb_set_ui(t, 2);
        arb_sqrt(t, t, prec);
        arb_pow_ui(t, t, (ulong) n, prec);
        arb_mul(res, res, t, prec);
        arb_const_pi(t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_div(res, res, t, prec);
    }
    _arb_vec_clear(w, 2 * MAXN);
    arb_clear(al); arb_clear(be); arb_clear(d); arb_clear(len); arb_clear(pi2);
    arb_clear(t); arb_clear(c); arb_clear(nv);
}

int
neft_gaussexp_pwlin_rows(arb_t res, const arb_t slope, arb_srcptr X, arb_srcptr g, slong n,
                         slong D, slong prec, char * err, size_t errsize)
{
    slong wp = prec + 30, r, a, k, Dr = 0, col[MAXD];
    arb_ptr Xr = _arb_vec_init(MAXN * MAXD), u = _arb_vec_init(MAXN * MAXD),
        f = _arb_vec_init(MAXN * 2), sg = _arb_vec_init(MAXD);
    arb_t term, co, t;
    ulong eps;
    int st = NEFT_SUCCESS;
    _neft_exact_span_struct S;

    if (n < 1 || n > MAXN || D < 1 || D > MAXD)
    {
        snprintf(err, errsize, "neft_gaussexp_pwlin_rows: 1 to %d rows of 1 to %d entries",
                 MAXN, MAXD);
        arb_indeterminate(res);
        _arb_vec_clear(Xr, MAXN * MAXD); _arb_vec_clear(u, MAXN * MAXD);
        _arb_vec_clear(f, MAXN * 2); _arb_vec_clear(sg, MAXD);
        return NEFT_BAD_INPUT;
    }
    arb_init(term); arb_init(co); arb_init(t);
    _neft_exact_span_init(&S);
    /* the coordinates with a variance: exactly 0 ones drop out */
    for (k = 0; k < D; k++)
        if (!arb_is_zero(g + k))
        {
            if (!arb_is_positive(g + k))
                st = NEFT_FAILURE;
            col[Dr++] = k;
        }
    for (a = 0; a < n; a++)
        for (k = 0; k < Dr; k++)
        {
            arb_set(Xr + a * Dr + k, X + a * D + col[k]);
            arb_sqrt(sg + k, g + col[k], wp);
            arb_mul(u + a * Dr + k, Xr + a * Dr + k, sg + k, wp);
        }
    r = st == NEFT_SUCCESS ? rank_rows(Xr, n, Dr, wp) : -1;
    if (r < 0)
    {
        if (st == NEFT_SUCCESS)
            snprintf(err, errsize, "the rank of the inputs' span is not decided by their balls "
                     "(inexact inputs in a special position)");
        else
            snprintf(err, errsize, "a variance of the inputs' span is not certainly positive");
        st = NEFT_FAILURE;
    }
    else if (r < 3 && r > 0 && frame(f, u, n, Dr, r, wp))
    {
        snprintf(err, errsize, "no orthonormal frame of the inputs' span certified");
        st = NEFT_FAILURE;
    }
    arb_zero(res);
    for (eps = 0; eps < (UWORD(1) << n) && st == NEFT_SUCCESS && r > 0; eps++)
    {
        /* coefficient (-s)^{#minus} */
        arb_one(co);
        for (a = 0; a < n; a++)
            if ((eps >> a) & 1)
            {
                arb_mul(co, co, slope, wp);
                arb_neg(co, co);
            }
        if (arb_is_zero(co))
            continue;
        if (neft_interrupted())
        {
            st = NEFT_INTERRUPTED;
            snprintf(err, errsize, "interrupted");
            break;
        }
        if (r == 3)
        {
            S.m = n;
            S.D = S.r = 3;
            arb_one(S.absdet);
            for (a = 0; a < n; a++)
            {
                S.mult[a] = 1;
                for (k = 0; k < 3; k++)
                {
                    arb_set(S.ct + 4 * a + k, Xr + a * 3 + k);
                    if ((eps >> a) & 1)
                        arb_neg(S.ct + 4 * a + k, S.ct + 4 * a + k);
                }
            }
            _arb_vec_zero(S.G, 9);
            for (k = 0; k < 3; k++)
                arb_set(S.G + 4 * k, g + col[k]);
            st = _neft_exact_relu_cone(term, &S, n, wp, err, errsize);
        }
        else if (r == 2)
        {
            arb_ptr v = _arb_vec_init(2 * MAXN);
            for (a = 0; a < n; a++)
                for (k = 0; k < 2; k++)
                {
                    arb_set(v + 2 * a + k, f + 2 * a + k);
                    if ((eps >> a) & 1)
                        arb_neg(v + 2 * a + k, v + 2 * a + k);
                }
            relu_plane(term, v, n, wp);
            _arb_vec_clear(v, 2 * MAXN);
        }
        else
        {
            /* E[xi^n] / 2 (prod relu(e_a f_a) + prod relu(-e_a f_a)), E[xi^n] = (n-1)!! */
            slong h;
            arb_t p1, p2;
            arb_init(p1); arb_init(p2);
            arb_one(p1);
            arb_one(p2);
            for (a = 0; a < n; a++)
            {
                arb_set(t, f + a);
                if ((eps >> a) & 1)
                    arb_neg(t, t);
                if (arb_is_positive(t))
                    arb_mul(p1, p1, t, wp), arb_zero(p2);
                else if (arb_is_negative(t))
                    arb_mul(p2, p2, t, wp), arb_neg(p2, p2), arb_zero(p1);
                else
                {
                    arb_zero(p1);   /* a factor exactly 0, or a sign not decided */
                    arb_zero(p2);
                    if (!arb_is_zero(t))
                        st = NEFT_FAILURE;
                }
            }
            /* E|xi|^n / 2 = 2^{n/2} Gamma((n+1)/2) / (2 sqrt(pi)) */
            arb_add(term, p1, p2, wp);
            arb_set_ui(t, (ulong) n + 1);
            arb_mul_2exp_si(t, t, -1);
            arb_gamma(t, t, wp);
            arb_mul(term, term, t, wp);
            arb_const_pi(t, wp);
            arb_rsqrt(t, t, wp);
            arb_mul(term, term, t, wp);
            arb_mul_2exp_si(term, term, -1);
            for (h = 0; h < n; h++)
            {
                arb_set_ui(t, 2);
                arb_sqrt(t, t, wp);
                arb_mul(term, term, t, wp);
            }
            if (st != NEFT_SUCCESS)
                snprintf(err, errsize, "the sign of a pre-activation is not decided by its ball");
            arb_clear(p1); arb_clear(p2);
        }
        if (st == NEFT_SUCCESS)
            arb_addmul(res, co, term, wp);
    }
    if (st != NEFT_SUCCESS || !arb_is_finite(res))
    {
        if (st == NEFT_SUCCESS)
        {
            st = NEFT_FAILURE;
            snprintf(err, errsize, "a piecewise-linear expectation on a span is not finite");
        }
        arb_indeterminate(res);
    }
    else
        arb_set_round(res, res, prec);
    _neft_exact_span_clear(&S);
    _arb_vec_clear(Xr, MAXN * MAXD); _arb_vec_clear(u, MAXN * MAXD);
    _arb_vec_clear(f, MAXN * 2); _arb_vec_clear(sg, MAXD);
    arb_clear(term); arb_clear(co); arb_clear(t);
    return st;
}

