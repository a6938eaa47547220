/* Closed forms: GaussNet one-vertex integrals (erf's) and ReLU sigma_b = 0
   in d_in = 1 (polynomials on orthants). */

#include <stdio.h>
#include <string.h>
#include "internal.h"

/* \int_{-L}^{L} exp(-alpha sum_g j_g (y - x_g)^2) dy in coordinate c, over
   groups g of equal leg points (first leg first[g]), n = sum j_g > 0:
   exp(-alpha sum_g j_g (x_g - mu)^2) sqrt(pi/(alpha n))/2
     [erf(sqrt(alpha n)(L - mu)) + erf(sqrt(alpha n)(L + mu))],
   mu = sum_g j_g x_g / n. */
static void
gauss_coord(arb_t res, const neft_vint_t v, const slong * first, const slong * j,
            slong ng, slong n, slong c, const arb_t alpha, const arf_t L, slong prec)
{
    arb_t mu, e, t, s, u;
    slong g;
    arb_init(mu);
    arb_init(e);
    arb_init(t);
    arb_init(s);
    arb_init(u);
    for (g = 0; g < ng; g++)
        if (j[g])
            arb_addmul_si(mu, v->point + first[g] * v->d + c, j[g], prec);
    arb_div_si(mu, mu, n, prec);
    for (g = 0; g < ng; g++)
        if (j[g])
        {
            arb_sub(t, v->point + first[g] * v->d + c, mu, prec);
            arb_sqr(t, t, prec);
            arb_addmul_si(e, t, j[g], prec);
        }
    arb_mul(e, e, alpha, prec);
    arb_neg(e, e);
    arb_exp(e, e, prec);
    arb_mul_si(s, alpha, n, prec);
    arb_sqrt(s, s, prec);                      /* sqrt(alpha n) */
    if (arf_is_pos_inf(L))
        arb_set_ui(t, 2);
    else
    {
        /* erf(A) + erf(B), A = s(L - mu), B = s(L + mu); when one is negative
           (the peak outside the box) as erfc(-B) - erfc(A): no cancellation
           against 1 */
        arb_t A, Bv;
        arb_init(A);
        arb_init(Bv);
        arb_set_arf(u, L);
        arb_sub(A, u, mu, prec);
        arb_mul(A, A, s, prec);
        arb_add(Bv, u, mu, prec);
        arb_mul(Bv, Bv, s, prec);
        if (arb_is_negative(Bv) || arb_is_negative(A))
        {
            if (arb_is_negative(A))
                arb_swap(A, Bv);
            arb_neg(Bv, Bv);
            arb_hypgeom_erfc(t, Bv, prec);
            arb_hypgeom_erfc(u, A, prec);
            arb_sub(t, t, u, prec);
        }
        else
        {
            arb_hypgeom_erf(t, A, prec);
            arb_hypgeom_erf(u, Bv, prec);
            arb_add(t, t, u, prec);
        }
        arb_clear(A);
        arb_clear(Bv);
    }
    arb_const_sqrt_pi(u, prec);
    arb_mul(t, t, u, prec);
    arb_div(t, t, s, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_mul(res, t, e, prec);
    arb_clear(mu);
    arb_clear(e);
    arb_clear(t);
    arb_clear(s);
    arb_clear(u);
}

int
_neft_integrate_gauss1(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                       const arf_t L, slong prec, char * err, size_t errsize)
{
    slong * first, * mult, * j, ng = 0, i, g, c, n;
    arb_t B, alpha, term, t, total;
    int status = NEFT_INTEGRATE_SUCCESS, done;

    first = flint_malloc((v->nlegs + 1) * sizeof(slong));
    mult = flint_malloc((v->nlegs + 1) * sizeof(slong));
    j = flint_calloc(v->nlegs + 1, sizeof(slong));
    /* legs are canonical (sorted): equal points are adjacent */
    for (i = 0; i < v->nlegs; i++)
    {
        if (ng > 0 && _neft_vec_identical(v->point + i * v->d, v->point + first[ng - 1] * v->d, v->d))
            mult[ng - 1]++;
        else
        {
            first[ng] = i;
            mult[ng] = 1;
            ng++;
        }
    }
    arb_init(B);
    arb_init(alpha);
    arb_init(term);
    arb_init(t);
    arb_init(total);
    if (!k->subtract_bias)
        arb_set(B, k->sb2);
    arb_div_si(alpha, k->sw2, 2 * k->d, prec);   /* sigma_w^2 / (2 d) */

    /* sum over 0 <= j_g <= mult_g of prod_g C(mult_g, j_g) B^{mult_g - j_g} w^{j_g} I(j) */
    for (done = 0; !done; )
    {
        n = 0;
        arb_one(term);
        for (g = 0; g < ng; g++)
        {
            fmpz_t bin;
            fmpz_init(bin);
            fmpz_bin_uiui(bin, mult[g], j[g]);
            arb_mul_fmpz(term, term, bin, prec);
            fmpz_clear(bin);
            arb_pow_ui(t, B, mult[g] - j[g], prec);
            arb_mul(term, term, t, prec);
            arb_pow_ui(t, k->sw2, j[g], prec);
            arb_mul(term, term, t, prec);
            n += j[g];
        }
        if (!arb_is_zero(term))
        {
            if (n == 0)
            {
                if (arf_is_pos_inf(L))
                {
                    snprintf(err, errsize, "the integral over the whole space diverges "
                                   "(the propagator tends to sigma_b^2 != 0; use a finite cutoff "
                                   "or the bias-subtracted propagator)");
                    status = NEFT_INTEGRATE_UNSUPPORTED;
                    break;
                }
                arb_set_arf(t, L);
                arb_mul_2exp_si(t, t, 1);
                arb_pow_ui(t, t, k->d, prec);
                arb_mul(term, term, t, prec);
            }
            else
                for (c = 0; c < k->d; c++)
                {
                    gauss_coord(t, v, first, j, ng, n, c, alpha, L, prec);
                    arb_mul(term, term, t, prec);
                }
            arb_add(total, total, term, prec);
        }
        /* next j */
        for (g = 0; g < ng; g++)
        {
            if (j[g] < mult[g])
            {
                j[g]++;
                break;
            }
            j[g] = 0;
        }
        done = (g == ng);
    }
    if (status == NEFT_INTEGRATE_SUCCESS)
    {
        /* self-loops: K(y, y) = B + sigma_w^2 */
        arb_add(t, B, k->sw2, prec);
        arb_pow_ui(t, t, v->A[0], prec);
        arb_mul(res, total, t, prec);
    }
    else
        arb_indeterminate(res);
    arb_clear(B);
    arb_clear(alpha);
    arb_clear(term);
    arb_clear(t);
    arb_clear(total);
    flint_free(first);
    flint_free(mult);
    flint_free(j);
    return status;
}

/* The rows with the orthant form (relu, leaky-relu, linear), sigma_b = 0,
   d = 1: K(u, v) = c u v when u v > 0 and c' u v when u v < 0 (the row's
   kernel->orthant; relu: c = sigma_w^4 / 2, c' = 0); the diagonal
   K(y, y) = c y^2.  On the orthant where vertex v has sign s_v the integrand
   is c^E c'^E' prod x^.. prod y_v^{p_v} (E' edges join points of opposite
   signs; none may when c' = 0), and
   \int_{s [0, L]} y^p dy = s^{p+1} L^{p+1} / (p+1). */
int
_neft_integrate_relu0(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                      const arf_t L, slong prec)
{
    slong m = v->m, M = NEFT_INTEGRATE_MAX_VERTICES, mask, i, u, w, edges = 0, opp;
    slong p[NEFT_INTEGRATE_MAX_VERTICES];
    arb_t total, term, t, c, c2;
    int mixed;
    arb_init(total);
    arb_init(term);
    arb_init(t);
    arb_init(c);
    arb_init(c2);
    k->act->kernel->orthant(c, c2, k, prec);
    mixed = !arb_is_zero(c2);       /* edges across orthants contribute */

    for (mask = 0; mask < (WORD(1) << m); mask++)
    {
        int ok = 1;
        opp = 0;
        for (u = 0; u < m; u++)
            p[u] = 0;
        arb_one(term);
        for (i = 0; i < v->nlegs && ok; i++)
        {
            const arb_struct * x = v->point + i;
            int s = (mask >> v->vertex[i]) & 1 ? -1 : 1;
            if (arb_is_zero(x) || (s > 0 ? !arb_is_positive(x) : !arb_is_negative(x)))
            {
                if (!arb_is_zero(x) && arb_contains_zero(x))
                {
                    /* a point ball straddling 0: not an exact point; enclose */
                    ok = -1;
                    break;
                }
                if (arb_is_zero(x) || !mixed)
                {
                    ok = 0;
                    break;
                }
                opp++;
            }
            arb_mul(term, term, x, prec);
            p[v->vertex[i]]++;
        }
        if (ok < 0)
        {
            arb_indeterminate(res);
            goto cleanup;
        }
        for (u = 0; u < m && ok; u++)
            for (w = u; w < m && ok; w++)
            {
                slong e = v->A[u * M + w];
                if (e == 0)
                    continue;
                if (((mask >> u) & 1) != ((mask >> w) & 1))
                {
                    if (mixed)
                        opp += e;
                    else
                        ok = 0;
                }
                p[u] += (u == w) ? 2 * e : e;
                if (u != w)
                    p[w] += e;
            }
        if (!ok)
            continue;
        for (u = 0; u < m; u++)
        {
            int s = (mask >> u) & 1 ? -1 : 1;
            arb_set_arf(t, L);
            arb_pow_ui(t, t, p[u] + 1, prec);
            arb_div_ui(t, t, p[u] + 1, prec);
            if (s < 0 && (p[u] + 1) % 2 == 1)
                arb_neg(t, t);
            /* orientation: \int_{-L}^{0} y^p dy = -(-L)^{p+1}/(p+1) */
            if (s < 0)
                arb_neg(t, t);
            arb_mul(term, term, t, prec);
        }
        if (opp > 0)
        {
            /* (c'/c)^opp, the common c^edges below */
            arb_div(t, c2, c, prec);
            arb_pow_ui(t, t, opp, prec);
            arb_mul(term, term, t, prec);
        }
        arb_add(total, total, term, prec);
    }
    edges = v->nlegs;
    for (u = 0; u < m; u++)
        for (w = u; w < m; w++)
            edges += v->A[u * M + w];
    arb_pow_ui(t, c, edges, prec);
    arb_mul(res, total, t, prec);
cleanup:
    arb_clear(total);
    arb_clear(term);
    arb_clear(t);
    arb_clear(c);
    arb_clear(c2);
    return NEFT_INTEGRATE_SUCCESS;
}
