/* GaussNet, two vertices, any d_in (used for d_in >= 2): the product of
   kernels factorises over the coordinates.

   K(u, w) = B + W exp(-alpha |u - w|^2), W = sigma_w^2, alpha = sigma_w^2 /
   (2 d), B = sigma_b^2 (0 with the bias subtracted); K(y, y) = B + W.
   Expanding every leg and link factor into its two terms gives a sum, with
   non-negative coefficients (binomials, powers of B and W), of products of
   Gaussians; each is a product over the d coordinates of the 1-D
   two-vertex integral

       I = \int_{-L}^{L} dy \int_{-L}^{L} dz
             exp(-alpha [sum_g j_g (x_g - y)^2 + r (y - z)^2 + sum_h j'_h (x'_h - z)^2]),

   r the number of Gaussian link factors.  r = 0: a product of two one-vertex
   closed forms (erf's).  r > 0: the z integral is a closed form,
       exp(-alpha rest(y)) sqrt(pi/(alpha n))/2 [erf(s(L - mu)) + erf(s(L + mu))],
   n = r + sum j', mu = (r y + sum j' x')/n, s = sqrt(alpha n),
   rest(y) = r y^2 + sum j' x'^2 - n mu^2, and the y integral of this entire
   function is enclosed by acb_calc_integrate (rigorous; split at the
   Gaussian's centre and at distances 8/sqrt(alpha) around it).  Every term
   is positive, so the sum has no cancellation.  Refused (by the plan) for
   L = inf. */

#include <stdio.h>
#include <string.h>
#include "internal.h"

typedef struct
{
    slong ng;                 /* groups of equal leg points at vertex y */
    arb_srcptr xg;            /* not used directly: coordinates below */
    arb_ptr x1;               /* coordinate c of each group at y */
    slong * j1;
    arb_t alpha, S2, T2, Lb;  /* S2 = sum j' x'^2, T2 = sum j' x' */
    slong n2, r;
    int expo_only;            /* gauss_outer: exp(-E(y)) alone */
}
gcoord_struct;

/* erf(A) + erf(B) (as erfc(-B) - erfc(A) when A or B has a negative real
   midpoint: the same function, without cancellation against 1); nB = -B,
   computed by the caller (negating B here tripped GCC's -Wstringop-overread
   in the sanitizer build) */
static void
erf_pair(acb_t res, const acb_t A, const acb_t B, const acb_t nB, slong prec)
{
    acb_t t, u;
    acb_init(t);
    acb_init(u);
    if (arf_sgn(arb_midref(acb_realref(A))) < 0 || arf_sgn(arb_midref(acb_realref(B))) < 0)
    {
        acb_hypgeom_erfc(t, nB, prec);   /* nB = -B from the caller */
        acb_hypgeom_erfc(u, A, prec);
        acb_sub(res, t, u, prec);
    }
    else
    {
        acb_hypgeom_erf(t, A, prec);
        acb_hypgeom_erf(u, B, prec);
        acb_add(res, t, u, prec);
    }
    acb_clear(t);
    acb_clear(u);
}

/* exp(-alpha [sum_g j_g (x_g - y)^2 + rest(y)]) [erf(s(L - mu)) + erf(s(L + mu))]
   (the constant sqrt(pi/(alpha n))/2 is applied outside): entire in y */
static int
gauss_outer(acb_ptr out, const acb_t y, void * param, slong order, slong prec)
{
    gcoord_struct * G = param;
    slong g, n = G->n2 + G->r;
    acb_t e, t, mu, A, B, nB;
    arb_t s;
    (void) order;
    _NEFT_INTEGRAND_POLL(out);
    acb_init(e); acb_init(t); acb_init(mu); acb_init(A); acb_init(B); acb_init(nB);
    arb_init(s);
    for (g = 0; g < G->ng; g++)
        if (G->j1[g])
        {
            acb_sub_arb(t, y, G->x1 + g, prec);
            acb_sqr(t, t, prec);
            acb_mul_si(t, t, G->j1[g], prec);
            acb_add(e, e, t, prec);
        }
    /* mu = (r y + T2) / n; rest = r y^2 + S2 - n mu^2 */
    acb_mul_si(mu, y, G->r, prec);
    acb_add_arb(mu, mu, G->T2, prec);
    acb_div_si(mu, mu, n, prec);
    acb_sqr(t, y, prec);
    acb_mul_si(t, t, G->r, prec);
    acb_add(e, e, t, prec);
    acb_add_arb(e, e, G->S2, prec);
    acb_sqr(t, mu, prec);
    acb_mul_si(t, t, n, prec);
    acb_sub(e, e, t, prec);
    acb_mul_arb(e, e, G->alpha, prec);
    acb_neg(e, e);
    acb_exp(e, e, prec);
    if (G->expo_only)
    {
        acb_set(out, e);
        goto done;
    }
    arb_mul_si(s, G->alpha, n, prec);
    arb_sqrt(s, s, prec);
    acb_neg(A, mu);
    acb_add_arb(A, A, G->Lb, prec);
    acb_mul_arb(A, A, s, prec);
    acb_add_arb(B, mu, G->Lb, prec);
    acb_mul_arb(B, B, s, prec);
    acb_neg(nB, mu);
    acb_sub_arb(nB, nB, G->Lb, prec);
    acb_mul_arb(nB, nB, s, prec);
    erf_pair(t, A, B, nB, prec);
    acb_mul(out, e, t, prec);
done:
    acb_clear(e); acb_clear(t); acb_clear(mu); acb_clear(A); acb_clear(B); acb_clear(nB);
    arb_clear(s);
    return 0;
}

/* \int_{-L}^{L} exp(-alpha sum_g j_g (y - x_g)^2) dy (n = sum j_g; 2L when 0) */
static void
gauss_one(arb_t res, arb_srcptr x, const slong * j, slong ng, const arb_t alpha,
          const arf_t L, slong prec)
{
    slong g, n = 0;
    arb_t mu, e, t, s;
    acb_t A, B, nB, u;
    for (g = 0; g < ng; g++)
        n += j[g];
    if (n == 0)
    {
        arb_set_arf(res, L);
        arb_mul_2exp_si(res, res, 1);
        return;
    }
    arb_init(mu); arb_init(e); arb_init(t); arb_init(s);
    acb_init(A); acb_init(B); acb_init(nB); acb_init(u);
    for (g = 0; g < ng; g++)
        arb_addmul_si(mu, x + g, j[g], prec);
    arb_div_si(mu, mu, n, prec);
    for (g = 0; g < ng; g++)
        if (j[g])
        {
            arb_sub(t, x + g, mu, prec);
            arb_sqr(t, t, prec);
            arb_addmul_si(e, t, j[g], prec);
        }
    arb_mul(e, e, alpha, prec);
    arb_neg(e, e);
    arb_exp(e, e, prec);
    arb_mul_si(s, alpha, n, prec);
    arb_sqrt(s, s, prec);
    arb_set_arf(t, L);
    arb_sub(acb_realref(A), t, mu, prec);
    arb_mul(acb_realref(A), acb_realref(A), s, prec);
    arb_add(acb_realref(B), t, mu, prec);
    arb_mul(acb_realref(B), acb_realref(B), s, prec);
    arb_neg(acb_realref(nB), acb_realref(B));
    erf_pair(u, A, B, nB, prec);
    arb_const_sqrt_pi(t, prec);
    arb_mul(t, t, acb_realref(u), prec);
    arb_div(t, t, s, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_mul(res, t, e, prec);
    arb_clear(mu); arb_clear(e); arb_clear(t); arb_clear(s);
    acb_clear(A); acb_clear(B); acb_clear(nB); acb_clear(u);
}

/* The 1-D two-vertex integral with r > 0 Gaussian links (see the top).

   The outer integrand is exp(-E(y)) times the erf pair, E(y) = alpha (Q (y -
   c)^2 + E0), Q = n1 + r n2 / (r + n2) (n1 = sum j, n2 = sum j').  Q = 0 (no
   Gaussian leg at either vertex): the erf pair of mu = y alone, whose
   integral is the closed form
       \int_{-L}^{L} [erf(s(L - y)) + erf(s(L + y))] dy
         = 2 [2L erf(2sL) + (exp(-4 s^2 L^2) - 1) / (s sqrt(pi))].
   Q > 0: acb_calc_integrate over [c - T, c + T] (clipped to the box; cut
   at c), alpha Q T^2 = (goal + 30) log 2; beyond, the erf pair lies in
   [0, 2] on the real line, so each tail is at most
       2 exp(-E(c)) sqrt(pi) / (2 sqrt(alpha Q)) erfc(sqrt(alpha Q) T'),
   T' = 0.99 T (c is known to far better than 1%), added to the radius. The
   work is then the same for every cutoff. */
static int
gauss_two(arb_t res, gcoord_struct * G, const arf_t L, slong goal, slong prec)
{
    acb_calc_integrate_opt_t o;
    acb_t a, b, t, sum, yc;
    arb_t w, s, Q, P, c, tb;
    arb_ptr ends;
    mag_t tol;
    slong ne = 0, i, g, n1 = 0, n = G->n2 + G->r;
    int status = ARB_CALC_SUCCESS;

    acb_calc_integrate_opt_init(o);
    acb_init(a); acb_init(b); acb_init(t); acb_init(sum); acb_init(yc);
    arb_init(w); arb_init(s); arb_init(Q); arb_init(P); arb_init(c); arb_init(tb);
    mag_init(tol);
    ends = _arb_vec_init(5);
    for (g = 0; g < G->ng; g++)
        n1 += G->j1[g];
    acb_zero(sum);
    if (n1 == 0 && G->n2 == 0)
    {
        /* closed form; s = sqrt(alpha r) */
        arb_mul_si(s, G->alpha, G->r, prec);
        arb_sqrt(s, s, prec);
        arb_mul(w, s, G->Lb, prec);
        arb_mul_2exp_si(w, w, 1);                    /* 2 s L */
        arb_hypgeom_erf(tb, w, prec);
        arb_mul(tb, tb, G->Lb, prec);
        arb_mul_2exp_si(tb, tb, 1);                  /* 2 L erf(2sL) */
        arb_sqr(w, w, prec);
        arb_neg(w, w);
        arb_expm1(w, w, prec);                       /* exp(-4 s^2 L^2) - 1 */
        arb_const_sqrt_pi(c, prec);
        arb_mul(c, c, s, prec);
        arb_div(w, w, c, prec);
        arb_add(tb, tb, w, prec);
        arb_mul_2exp_si(acb_realref(sum), tb, 1);
        arb_zero(acb_imagref(sum));
        /* (times the constant sqrt(pi/(alpha n))/2 below) */
    }
    else
    {
        /* Q = n1 + r n2 / n, P = sum j x + r T2 / n, c = P / Q */
        arb_set_si(Q, G->r * G->n2);
        arb_div_si(Q, Q, n, prec);
        arb_add_si(Q, Q, n1, prec);
        arb_mul_si(P, G->T2, G->r, prec);
        arb_div_si(P, P, n, prec);
        for (g = 0; g < G->ng; g++)
            arb_addmul_si(P, G->x1 + g, G->j1[g], prec);
        arb_div(c, P, Q, prec);
        /* T = sqrt((goal + 30) log 2 / (alpha Q)) (a double is enough) */
        {
            double Td = sqrt((double) (goal + 30) * 0.6931471805599453
                             / (arf_get_d(arb_midref(G->alpha), ARF_RND_DOWN)
                                * arf_get_d(arb_midref(Q), ARF_RND_DOWN)));
            double cd = arf_get_d(arb_midref(c), ARF_RND_NEAR), Ld = arf_get_d(L, ARF_RND_DOWN);
            double cand[3] = {cd - Td, cd, cd + Td};
            int tail[2] = {0, 0};
            arb_neg(ends + ne++, G->Lb);
            for (i = 0; i < 3; i++)
            {
                if (cand[i] > -Ld && cand[i] < Ld)
                {
                    arb_set_d(ends + ne, cand[i]);
                    if (arb_ge(ends + ne, ends + ne - 1) && !arb_equal(ends + ne, ends + ne - 1))
                        ne++;
                }
            }
            arb_set(ends + ne++, G->Lb);
            /* the first and last pieces are tails when they start at c -+ T */
            tail[0] = cand[0] > -Ld;
            tail[1] = cand[2] < Ld;
            for (i = 0; i + 1 < ne; i++)
            {
                if ((i == 0 && tail[0]) || (i + 2 == ne && tail[1]))
                    continue;
                acb_set_arb(a, ends + i);
                acb_set_arb(b, ends + i + 1);
                mag_zero(tol);
                if (acb_calc_integrate(t, gauss_outer, G, a, b, goal, tol, o, prec)
                    != ARB_CALC_SUCCESS)
                    status = ARB_CALC_NO_CONVERGENCE;
                acb_add(sum, sum, t, prec);
            }
            if (tail[0] || tail[1])
            {
                mag_t m;
                mag_init(m);
                /* 2 exp(-E(c)) sqrt(pi)/(2 sqrt(alpha Q)) erfc(sqrt(alpha Q) 0.99 T),
                   exp(-E(c)) = the integrand at c over its erf pair (in [0, 2]):
                   bound the whole integrand at c by 2 exp(-E(c)) via |.| / erf pair
                   is avoided: the integrand's exponential is evaluated alone */
                arb_mul(w, G->alpha, Q, prec);
                arb_sqrt(w, w, prec);                  /* sqrt(alpha Q) */
                arb_set_d(tb, 0.99 * Td);
                arb_mul(tb, tb, w, prec);
                arb_hypgeom_erfc(tb, tb, prec);
                arb_const_sqrt_pi(s, prec);
                arb_mul(tb, tb, s, prec);
                arb_div(tb, tb, w, prec);              /* 2 x sqrt(pi)/(2 sqrt(aQ)) erfc */
                acb_set_arb(yc, c);
                G->expo_only = 1;
                gauss_outer(t, yc, G, 0, prec);        /* exp(-E(c)) */
                G->expo_only = 0;
                arb_mul(tb, tb, acb_realref(t), prec);
                arb_get_mag(m, tb);
                if (tail[0] && tail[1])
                    mag_mul_2exp_si(m, m, 1);
                acb_add_error_mag(sum, m);
                mag_clear(m);
            }
        }
    }
    /* times sqrt(pi / (alpha n)) / 2 */
    arb_mul_si(s, G->alpha, n, prec);
    arb_const_pi(w, prec);
    arb_div(s, w, s, prec);
    arb_sqrt(s, s, prec);
    arb_mul_2exp_si(s, s, -1);
    arb_mul(res, acb_realref(sum), s, prec);
    _arb_vec_clear(ends, 5);
    acb_clear(a); acb_clear(b); acb_clear(t); acb_clear(sum); acb_clear(yc);
    arb_clear(w); arb_clear(s); arb_clear(Q); arb_clear(P); arb_clear(c); arb_clear(tb);
    mag_clear(tol);
    return status;
}

/* groups of equal leg points at vertex u: first leg and multiplicity */
static slong
groups(slong * first, slong * mult, const neft_vint_t v, slong u)
{
    slong i, g, ng = 0;
    for (i = 0; i < v->nlegs; i++)
    {
        if (v->vertex[i] != u)
            continue;
        for (g = 0; g < ng; g++)
            if (_neft_vec_identical(v->point + i * v->d, v->point + first[g] * v->d, v->d))
                break;
        if (g < ng)
            mult[g]++;
        else
        {
            first[ng] = i;
            mult[ng++] = 1;
        }
    }
    return ng;
}

/* next multi-index 0 <= j_g <= mult_g; 0 when wrapped round */
static int
next_index(slong * j, const slong * mult, slong ng)
{
    slong g;
    for (g = 0; g < ng; g++)
    {
        if (j[g] < mult[g])
        {
            j[g]++;
            return 1;
        }
        j[g] = 0;
    }
    return 0;
}

/* prod_g C(mult_g, j_g) B^{mult_g - j_g} W^{j_g} */
static void
coef(arb_t res, const slong * j, const slong * mult, slong ng, const arb_t B, const arb_t W,
     slong prec)
{
    slong g;
    arb_t t;
    fmpz_t bin;
    arb_init(t);
    fmpz_init(bin);
    for (g = 0; g < ng; g++)
    {
        fmpz_bin_uiui(bin, mult[g], j[g]);
        arb_mul_fmpz(res, res, bin, prec);
        arb_pow_ui(t, B, mult[g] - j[g], prec);
        arb_mul(res, res, t, prec);
        arb_pow_ui(t, W, j[g], prec);
        arb_mul(res, res, t, prec);
    }
    arb_clear(t);
    fmpz_clear(bin);
}

int
_neft_integrate_twovtx2_gauss(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                              const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    slong M = NEFT_INTEGRATE_MAX_VERTICES, d = v->d, nl = v->nlegs + 1;
    slong * f1 = flint_malloc(nl * sizeof(slong)), * m1 = flint_malloc(nl * sizeof(slong));
    slong * f2 = flint_malloc(nl * sizeof(slong)), * m2 = flint_malloc(nl * sizeof(slong));
    slong * j1 = flint_calloc(nl, sizeof(slong)), * j2 = flint_calloc(nl, sizeof(slong));
    slong ng1, ng2, kk = v->A[1], r, c, g, wp = prec + 16;
    slong goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec;
    arb_t B, W, alpha, term, t, u, total, cr;
    arb_ptr x2 = _arb_vec_init(nl);
    gcoord_struct G[1];
    int status = NEFT_INTEGRATE_SUCCESS;
    fmpz_t bin;

    if (v->m != 2 || arf_is_pos_inf(L) || kk < 1)
    {
        flint_free(f1); flint_free(m1); flint_free(f2); flint_free(m2);
        flint_free(j1); flint_free(j2);
        _arb_vec_clear(x2, nl);
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    arb_init(B); arb_init(W); arb_init(alpha); arb_init(term); arb_init(t); arb_init(u);
    arb_init(total); arb_init(cr);
    fmpz_init(bin);
    memset(G, 0, sizeof(G));
    G->x1 = _arb_vec_init(nl);
    G->j1 = j1;
    arb_init(G->alpha); arb_init(G->S2); arb_init(G->T2); arb_init(G->Lb);
    arb_set_arf(G->Lb, L);
    if (!k->subtract_bias)
        arb_set(B, k->sb2);
    arb_set(W, k->sw2);
    arb_div_si(alpha, k->sw2, 2 * d, wp);
    arb_set(G->alpha, alpha);
    ng1 = groups(f1, m1, v, 0);
    ng2 = groups(f2, m2, v, 1);
    G->ng = ng1;

    do
    {
        do
        {
            for (r = 0; r <= kk && status == NEFT_INTEGRATE_SUCCESS; r++)
            {
                slong n1 = 0, n2 = 0;
                arb_one(term);
                coef(term, j1, m1, ng1, B, W, wp);
                coef(term, j2, m2, ng2, B, W, wp);
                fmpz_bin_uiui(bin, kk, r);
                arb_mul_fmpz(term, term, bin, wp);
                arb_pow_ui(t, B, kk - r, wp);
                arb_mul(term, term, t, wp);
                arb_pow_ui(t, W, r, wp);
                arb_mul(term, term, t, wp);
                if (arb_is_zero(term))
                    continue;
                for (g = 0; g < ng1; g++)
                    n1 += j1[g];
                for (g = 0; g < ng2; g++)
                    n2 += j2[g];
                for (c = 0; c < d && status == NEFT_INTEGRATE_SUCCESS; c++)
                {
                    for (g = 0; g < ng1; g++)
                        arb_set(G->x1 + g, v->point + f1[g] * d + c);
                    for (g = 0; g < ng2; g++)
                        arb_set(x2 + g, v->point + f2[g] * d + c);
                    if (r == 0)
                    {
                        gauss_one(t, G->x1, j1, ng1, alpha, L, wp);
                        gauss_one(u, x2, j2, ng2, alpha, L, wp);
                        arb_mul(t, t, u, wp);
                    }
                    else
                    {
                        arb_zero(G->S2);
                        arb_zero(G->T2);
                        for (g = 0; g < ng2; g++)
                        {
                            arb_addmul_si(G->T2, x2 + g, j2[g], wp);
                            arb_sqr(u, x2 + g, wp);
                            arb_addmul_si(G->S2, u, j2[g], wp);
                        }
                        G->n2 = n2;
                        G->r = r;
                        if (gauss_two(t, G, L, goal + 4, wp) != ARB_CALC_SUCCESS)
                            status = NEFT_INTEGRATE_NO_CONVERGENCE;
                    }
                    arb_mul(term, term, t, wp);
                }
                (void) n1;
                arb_add(total, total, term, wp);
                if (neft_interrupted())
                    status = NEFT_INTEGRATE_INTERRUPTED;
            }
        }
        while (status == NEFT_INTEGRATE_SUCCESS && next_index(j2, m2, ng2));
    }
    while (status == NEFT_INTEGRATE_SUCCESS && next_index(j1, m1, ng1));

    /* self-loops: K(y, y) = B + W at either vertex */
    arb_add(t, B, W, wp);
    arb_pow_ui(t, t, v->A[0] + v->A[M + 1], wp);
    arb_mul(total, total, t, wp);
    if (status == NEFT_INTEGRATE_INTERRUPTED)
        arb_indeterminate(res);
    else
        arb_set_round(res, total, prec);

    _arb_vec_clear(G->x1, nl);
    arb_clear(G->alpha); arb_clear(G->S2); arb_clear(G->T2); arb_clear(G->Lb);
    _arb_vec_clear(x2, nl);
    arb_clear(B); arb_clear(W); arb_clear(alpha); arb_clear(term); arb_clear(t); arb_clear(u);
    arb_clear(total); arb_clear(cr);
    fmpz_clear(bin);
    flint_free(f1); flint_free(m1); flint_free(f2); flint_free(m2);
    flint_free(j1); flint_free(j2);
    return status;
}
