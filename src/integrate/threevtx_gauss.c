/* GaussNet, three vertices, d_in = 1, finite cutoff L: the Gaussian
   expansion (the adaptive pieces of threevtx.c need ~L sigma_w boxes along
   every ridge y_a = y_b and do not converge at L = 1000).

   K(u, w) = B + W exp(-alpha (u - w)^2), W = sigma_w^2, alpha = sigma_w^2 / 2,
   B = sigma_b^2 (0 with the bias subtracted); K(y, y) = B + W.  A factor of
   multiplicity e (a run of equal legs, the links between two vertices) is
   sum_j C(e, j) B^{e-j} W^j exp(-j alpha (u - w)^2), so the integrand is a
   sum, with non-negative coefficients, of Gaussians
       exp(-alpha [sum_a (n_a y_a^2 - 2 T_a y_a + S_a) + sum_{a<b} J_ab (y_a - y_b)^2])
   (n_a, T_a, S_a: the sums of j, j x, j x^2 over the Gaussian legs of a; J_ab
   the Gaussian links).  Each term factorises over the connected pieces of
   the graph of its Gaussian links, and the integral of a piece over its
   cube [-L, L]^k is enclosed in closed form:
   - a piece with a Gaussian leg: Q = diag(n) + Laplacian(J) is positive
     definite (integer entries: det and adjugate exact), the integral over
     R^k is V = (pi/alpha)^{k/2} det(Q)^{-1/2} exp(-alpha (S - T^T Q^{-1} T)),
     and the integral over the cube is V (1 - P(Y outside)), Y ~ N(Q^{-1} T,
     Q^{-1} / (2 alpha)); P(Y outside) lies between 0 and the union bound
     eps = sum_a P(|Y_a| > L) (erfc's of the marginals), exactly eps for k = 1;
   - one vertex without: 2L;
   - two vertices joined by J links, no leg: \int (2L - |t|)_+ exp(-alpha J t^2) dt
     = 2L sqrt(pi/g) erf(2L sqrt(g)) - (1 - exp(-4 g L^2))/g, g = alpha J (exact);
   - three vertices joined, no leg: with d = (y_0 - y_1, y_2 - y_1) of
     density g(d) (the Gaussian in the differences, integral G) the
     integral is \int g(d) (2L - r(d))_+ dd, r the range of (0, d_1, d_2)
     = (|d_1| + |d_2| + |d_1 - d_2|)/2; that is G (2L - E r) plus a remainder
     in [0, G (3/2) sum_i s_i sqrt(2/pi) exp(-(4L/3)^2 / (2 s_i^2))] (where
     r > 2L some |X_i| > 4L/3, r <= (3/2) max |X_i|), E r = (1/2) sum_i s_i
     sqrt(2/pi), s_i^2 the variances of X = d_1, d_2, d_1 - d_2.
   Every coefficient and piece is non-negative, so the sum has no
   cancellation; the ball contains the integral at every L, and is narrow
   once the Gaussians' tails at the cube's faces are below the goal:
   (Q^{-1})_aa <= 3 (the resistance from a to the legs through at most 3
   unit conductances) and |mu_a| <= max |x_i| (the mean is a weighted
   average of the legs' points), so eps <= 3 exp(-alpha (L - max|x|)^2 / 3). */

#include <math.h>
#include <string.h>
#include "threevtx.h"

#define NV 3
/* refused above this many terms (the adaptive method is used instead) */
#define MAX_TERMS 4000000

/* The terms of the legs of one vertex: coefficient, n, T, S of each. */
typedef struct
{
    slong len, alloc;
    arb_ptr coef, T, S;
    slong * n;
}
vlist_struct;

static void
vlist_init(vlist_struct * l)
{
    l->len = 1;
    l->alloc = 1;
    l->coef = _arb_vec_init(1);
    l->T = _arb_vec_init(1);
    l->S = _arb_vec_init(1);
    l->n = flint_calloc(1, sizeof(slong));
    arb_one(l->coef);
}

static void
vlist_clear(vlist_struct * l)
{
    _arb_vec_clear(l->coef, l->alloc);
    _arb_vec_clear(l->T, l->alloc);
    _arb_vec_clear(l->S, l->alloc);
    flint_free(l->n);
}

/* The e + 1 coefficients C(e, j) B^{e-j} W^j of a factor of multiplicity e
   (only j = e when B = 0). */
static void
binom_coefs(arb_ptr c, slong e, const arb_t B, const arb_t W, slong prec)
{
    slong j;
    arb_t t;
    arb_init(t);
    for (j = 0; j <= e; j++)
    {
        arb_bin_uiui(c + j, e, j, prec);
        arb_pow_ui(t, B, e - j, prec);
        arb_mul(c + j, c + j, t, prec);
        arb_pow_ui(t, W, j, prec);
        arb_mul(c + j, c + j, t, prec);
    }
    arb_clear(t);
}

/* Multiplies the terms of l by a leg factor K(x, y)^e. */
static void
vlist_leg(vlist_struct * l, const arb_t x, slong e, const arb_t B, const arb_t W, slong prec)
{
    slong i, j, len = 0, nl = l->len * (e + 1), j0 = arb_is_zero(B) ? e : 0;
    arb_ptr c = _arb_vec_init(e + 1), coef = _arb_vec_init(nl), T = _arb_vec_init(nl),
        S = _arb_vec_init(nl);
    slong * n = flint_calloc(nl, sizeof(slong));
    arb_t x2;
    arb_init(x2);
    arb_sqr(x2, x, prec);
    binom_coefs(c, e, B, W, prec);
    for (i = 0; i < l->len; i++)
        for (j = j0; j <= e; j++, len++)
        {
            arb_mul(coef + len, l->coef + i, c + j, prec);
            n[len] = l->n[i] + j;
            arb_addmul_si(T + len, x, j, prec);
            arb_add(T + len, T + len, l->T + i, prec);
            arb_addmul_si(S + len, x2, j, prec);
            arb_add(S + len, S + len, l->S + i, prec);
        }
    vlist_clear(l);
    l->coef = coef;
    l->T = T;
    l->S = S;
    l->n = n;
    l->len = len;
    l->alloc = nl;
    _arb_vec_clear(c, e + 1);
    arb_clear(x2);
}

/* P(|Y| > L) for Y ~ N(mu, var / (2 alpha)): (erfc(z-) + erfc(z+)) / 2,
   z-+ = (L -+ mu) sqrt(alpha / var) */
static void
tail2(arb_t res, const arb_t mu, const arb_t var, const arb_t alpha, const arb_t L,
      slong prec)
{
    arb_t s, z, t;
    arb_init(s); arb_init(z); arb_init(t);
    arb_div(s, alpha, var, prec);
    arb_sqrtpos(s, s, prec);
    arb_sub(z, L, mu, prec);
    arb_mul(z, z, s, prec);
    arb_hypgeom_erfc(res, z, prec);
    arb_add(z, L, mu, prec);
    arb_mul(z, z, s, prec);
    arb_hypgeom_erfc(t, z, prec);
    arb_add(res, res, t, prec);
    arb_mul_2exp_si(res, res, -1);
    arb_clear(s); arb_clear(z); arb_clear(t);
}

/* det and adjugate of the k x k integer matrix q (k <= 3) */
static slong
int_adj(slong adj[NV][NV], slong q[NV][NV], slong k)
{
    if (k == 1)
    {
        adj[0][0] = 1;
        return q[0][0];
    }
    if (k == 2)
    {
        adj[0][0] = q[1][1];
        adj[1][1] = q[0][0];
        adj[0][1] = -q[0][1];
        adj[1][0] = -q[1][0];
        return q[0][0] * q[1][1] - q[0][1] * q[1][0];
    }
    {
        slong i, j;
        for (i = 0; i < 3; i++)
            for (j = 0; j < 3; j++)
            {
                /* cofactor of (j, i) */
                slong r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
                adj[i][j] = q[r0][c0] * q[r1][c1] - q[r0][c1] * q[r1][c0];
            }
        return q[0][0] * adj[0][0] + q[0][1] * adj[1][0] + q[0][2] * adj[2][0];
    }
}

/* The integral over [-L, L]^k of the connected piece on the k vertices vs
   (joined by the Gaussian links J) with a Gaussian leg (n, T, S of each
   vertex): V (1 - P(outside)), enclosed as above. */
static void
piece_legged(arb_t res, const slong * vs, slong k, const slong * n, arb_srcptr T, arb_srcptr S,
             slong J[NV][NV], const arb_t alpha, const arb_t L, slong prec)
{
    slong q[NV][NV], adj[NV][NV], det, i, j;
    arb_t m, t, u, eps, var, mu;
    arb_init(m); arb_init(t); arb_init(u); arb_init(eps); arb_init(var); arb_init(mu);
    for (i = 0; i < k; i++)
    {
        q[i][i] = n[vs[i]];
        for (j = 0; j < NV; j++)
            if (j != vs[i])
                q[i][i] += J[vs[i]][j];
        for (j = 0; j < k; j++)
            if (j != i)
                q[i][j] = -J[vs[i]][vs[j]];
    }
    det = int_adj(adj, q, k);
    /* m = S - T^T adj T / det */
    for (i = 0; i < k; i++)
    {
        arb_add(m, m, S + vs[i], prec);
        for (j = 0; j < k; j++)
        {
            arb_mul(t, T + vs[i], T + vs[j], prec);
            arb_mul_si(t, t, adj[i][j], prec);
            arb_div_si(t, t, det, prec);
            arb_sub(m, m, t, prec);
        }
    }
    /* V = (pi/alpha)^{k/2} det^{-1/2} exp(-alpha m) */
    arb_const_pi(t, prec);
    arb_div(t, t, alpha, prec);
    arb_pow_ui(t, t, k, prec);
    arb_div_si(t, t, det, prec);
    arb_sqrtpos(t, t, prec);
    arb_mul(m, m, alpha, prec);
    arb_neg(m, m);
    arb_exp(m, m, prec);
    arb_mul(res, t, m, prec);
    /* eps = sum_a P(|Y_a| > L), mu = adj T / det, var = adj_aa / det */
    for (i = 0; i < k; i++)
    {
        arb_zero(mu);
        for (j = 0; j < k; j++)
            arb_addmul_si(mu, T + vs[j], adj[i][j], prec);
        arb_div_si(mu, mu, det, prec);
        arb_set_si(var, adj[i][i]);
        arb_div_si(var, var, det, prec);
        tail2(t, mu, var, alpha, L, prec);
        arb_add(eps, eps, t, prec);
    }
    if (k == 1)
    {
        /* exact: 1 - P(|Y| > L) */
        arb_sub_ui(t, eps, 1, prec);
        arb_neg(t, t);
    }
    else
    {
        /* in [1 - eps, 1]: 1 - eps/2 +- eps/2 */
        arb_mul_2exp_si(u, eps, -1);
        arb_sub_ui(t, u, 1, prec);
        arb_neg(t, t);
        arb_add_error(t, u);
    }
    arb_mul(res, res, t, prec);
    arb_clear(m); arb_clear(t); arb_clear(u); arb_clear(eps); arb_clear(var); arb_clear(mu);
}

/* E|X| = s sqrt(2/pi) and the remainder's E[|X| 1{|X| > 4L/3}] = E|X| exp(-(4L/3)^2/(2 s^2))
   for X centred of variance s^2 = v / (2 alpha): added to er and rem */
static void
abs_moments(arb_t er, arb_t rem, const arb_t v, const arb_t alpha, const arb_t L, slong prec)
{
    arb_t s2, e, t;
    arb_init(s2); arb_init(e); arb_init(t);
    arb_div(s2, v, alpha, prec);
    arb_mul_2exp_si(s2, s2, -1);               /* s^2 */
    arb_const_pi(t, prec);
    arb_div(e, s2, t, prec);
    arb_mul_2exp_si(e, e, 1);
    arb_sqrtpos(e, e, prec);                   /* s sqrt(2/pi) */
    arb_add(er, er, e, prec);
    arb_sqr(t, L, prec);
    arb_mul_ui(t, t, 8, prec);
    arb_div_ui(t, t, 9, prec);
    arb_div(t, t, s2, prec);
    arb_neg(t, t);
    arb_exp(t, t, prec);                       /* exp(-(16/9) L^2 / (2 s^2)) */
    arb_addmul(rem, e, t, prec);
    arb_clear(s2); arb_clear(e); arb_clear(t);
}

/* The integral over [-L, L]^k of a piece without a Gaussian leg (above). */
static void
piece_free(arb_t res, const slong * vs, slong k, slong J[NV][NV], const arb_t alpha,
           const arb_t L, slong prec)
{
    arb_t g, t, u;
    arb_init(g); arb_init(t); arb_init(u);
    if (k == 1)
    {
        arb_mul_2exp_si(res, L, 1);
    }
    else if (k == 2)
    {
        /* 2L sqrt(pi/g) erf(2L sqrt(g)) - (1 - exp(-4 g L^2))/g */
        arb_mul_si(g, alpha, J[vs[0]][vs[1]], prec);
        arb_sqrtpos(t, g, prec);
        arb_mul(t, t, L, prec);
        arb_mul_2exp_si(t, t, 1);                 /* 2L sqrt(g) */
        arb_hypgeom_erf(u, t, prec);
        arb_const_pi(res, prec);
        arb_div(res, res, g, prec);
        arb_sqrtpos(res, res, prec);
        arb_mul(res, res, u, prec);
        arb_mul(res, res, L, prec);
        arb_mul_2exp_si(res, res, 1);
        arb_sqr(t, t, prec);
        arb_neg(t, t);
        arb_expm1(t, t, prec);                    /* exp(-4 g L^2) - 1 */
        arb_div(t, t, g, prec);
        arb_add(res, res, t, prec);
    }
    else
    {
        /* d1 = y0 - y1, d2 = y2 - y1: exponent -alpha d^T R d,
           R = [[J01 + J02, -J02], [-J02, J12 + J02]], D = det R,
           R^{-1} = [[J12 + J02, J02], [J02, J01 + J02]] / D */
        slong a = J[0][1], b = J[1][2], c = J[0][2], D = a * b + a * c + b * c;
        arb_t er, rem, v;
        arb_init(er); arb_init(rem); arb_init(v);
        arb_set_si(v, b + c);
        arb_div_si(v, v, D, prec);
        abs_moments(er, rem, v, alpha, L, prec);
        arb_set_si(v, a + c);
        arb_div_si(v, v, D, prec);
        abs_moments(er, rem, v, alpha, L, prec);
        arb_set_si(v, a + b);                      /* var(d1 - d2): (b + c + a + c - 2c) / D */
        arb_div_si(v, v, D, prec);
        abs_moments(er, rem, v, alpha, L, prec);
        /* G = pi / (alpha sqrt(D)) */
        arb_const_pi(g, prec);
        arb_div(g, g, alpha, prec);
        arb_sqrt_ui(t, D, prec);
        arb_div(g, g, t, prec);
        /* G (2L - er/2) + [0, G (3/2) rem] */
        arb_mul_2exp_si(er, er, -1);
        arb_mul_2exp_si(t, L, 1);
        arb_sub(t, t, er, prec);
        arb_mul_ui(rem, rem, 3, prec);
        arb_mul_2exp_si(rem, rem, -2);             /* (3/2) rem / 2: half-width */
        arb_add(t, t, rem, prec);
        arb_add_error(t, rem);
        arb_mul(res, g, t, prec);
        arb_clear(er); arb_clear(rem); arb_clear(v);
    }
    arb_clear(g); arb_clear(t); arb_clear(u);
}

/* One term: the product over the connected pieces of the Gaussian links J. */
static void
term_integral(arb_t res, const slong * n, arb_srcptr T, arb_srcptr S, slong J[NV][NV],
              const arb_t alpha, const arb_t L, slong prec)
{
    slong comp[NV], a, b, c, vs[NV], k;
    arb_t t;
    arb_init(t);
    for (a = 0; a < NV; a++)
        comp[a] = a;
    /* three vertices: two passes of relabelling suffice */
    for (c = 0; c < 2; c++)
        for (a = 0; a < NV; a++)
            for (b = a + 1; b < NV; b++)
                if (J[a][b] > 0)
                {
                    slong m = FLINT_MIN(comp[a], comp[b]);
                    comp[a] = comp[b] = m;
                }
    arb_one(res);
    for (c = 0; c < NV; c++)
    {
        int legged = 0;
        for (a = 0, k = 0; a < NV; a++)
            if (comp[a] == c)
            {
                vs[k++] = a;
                legged |= n[a] > 0;
            }
        if (k == 0)
            continue;
        if (legged)
            piece_legged(t, vs, k, n, T, S, J, alpha, L, prec);
        else
            piece_free(t, vs, k, J, alpha, L, prec);
        arb_mul(res, res, t, prec);
    }
    arb_clear(t);
}

int
_neft_threevtx_gauss_reaches(const neft_kernel_t k, double xmax, double L, slong goal)
{
    /* eps <= 3 exp(-alpha (L - xmax)^2 / 3) (above), wanted below 2^-(goal+2) */
    double alpha = arf_get_d(arb_midref(k->sw2), ARF_RND_DOWN) / 2, r = L - xmax;
    return r > 0 && alpha > 0 && alpha * r * r / 3 > (goal + 4) * log(2.0);
}

int
_neft_threevtx_gauss(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L,
                     const neft_integrate_opt_t opt, slong prec)
{
    vlist_struct vl[NV];
    slong * same, i, a, b, goal, wp = prec + 20, nterms = 1, lk[NV][NV], jj[NV][NV];
    slong i0, i1, i2;
    arb_t B, W, alpha, Lb, self, t, c, s;
    arb_ptr lc[NV][NV];
    arb_struct T[NV], S[NV];
    slong n[NV];
    double xmax = 0;
    int status = NEFT_INTEGRATE_SUCCESS;

    arb_indeterminate(res);
    if (v->m != NV || v->d != 1 || k->d != 1 || k->act != neft_act_lookup("gauss")
        || !arf_is_finite(L) || arf_sgn(L) <= 0)
        return NEFT_INTEGRATE_UNSUPPORTED;
    for (a = 0; a < NV; a++)
        if (v->wpow[a] != 0)
            return NEFT_INTEGRATE_UNSUPPORTED;
    goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : FLINT_MAX(prec - 37, 8);
    for (i = 0; i < v->nlegs; i++)
    {
        mag_t m;
        mag_init(m);
        arb_get_mag(m, v->point + i);
        xmax = FLINT_MAX(xmax, mag_get_d(m));
        mag_clear(m);
    }
    /* the tails at the faces would not be below the goal: the adaptive
       method instead */
    if (!_neft_threevtx_gauss_reaches(k, xmax, arf_get_d(L, ARF_RND_DOWN), goal))
        return NEFT_INTEGRATE_NO_CONVERGENCE;
    for (a = 0; a < NV; a++)
        for (b = 0; b < NV; b++)
            lk[a][b] = v->A[FLINT_MIN(a, b) * NEFT_INTEGRATE_MAX_VERTICES + FLINT_MAX(a, b)];
    for (a = 0; a < NV; a++)
        for (b = a + 1; b < NV; b++)
            nterms *= (lk[a][b] + 1);
    {
        /* leg terms per vertex: prod over runs of (e + 1) */
        slong pv[NV] = {1, 1, 1};
        same = flint_calloc(v->nlegs + 1, sizeof(slong));
        _neft_vint_runs(same, v);
        for (i = 0; i < v->nlegs; i += 1 + same[i])
            pv[v->vertex[i]] *= same[i] + 2;
        for (a = 0; a < NV; a++)
        {
            if (pv[a] > MAX_TERMS || nterms > MAX_TERMS / pv[a])
            {
                flint_free(same);
                return NEFT_INTEGRATE_UNSUPPORTED;
            }
            nterms *= pv[a];
        }
    }

    arb_init(B); arb_init(W); arb_init(alpha); arb_init(Lb); arb_init(self);
    arb_init(t); arb_init(c); arb_init(s);
    arb_set(W, k->sw2);
    if (!k->subtract_bias)
        arb_set(B, k->sb2);
    arb_mul_2exp_si(alpha, k->sw2, -1);
    arb_set_arf(Lb, L);
    /* the self-loops: (B + W)^{A_aa} */
    arb_add(t, B, W, wp);
    arb_one(self);
    for (a = 0; a < NV; a++)
    {
        arb_pow_ui(c, t, lk[a][a], wp);
        arb_mul(self, self, c, wp);
    }
    for (a = 0; a < NV; a++)
        vlist_init(vl + a);
    for (i = 0; i < v->nlegs; i += 1 + same[i])
        vlist_leg(vl + v->vertex[i], v->point + i, same[i] + 1, B, W, wp);
    for (a = 0; a < NV; a++)
        for (b = a + 1; b < NV; b++)
        {
            lc[a][b] = _arb_vec_init(lk[a][b] + 1);
            binom_coefs(lc[a][b], lk[a][b], B, W, wp);
        }
    for (a = 0; a < NV; a++)
        jj[a][a] = 0;

    /* the sum over the terms: legs of each vertex, then the links'
       Gaussian powers j01, j02, j12 (j0 = e when B = 0: the others vanish) */
    arb_zero(s);
    for (i0 = 0; i0 < vl[0].len && status == NEFT_INTEGRATE_SUCCESS; i0++)
        for (i1 = 0; i1 < vl[1].len && status == NEFT_INTEGRATE_SUCCESS; i1++)
            for (i2 = 0; i2 < vl[2].len; i2++)
            {
                slong ij[NV] = {i0, i1, i2}, j01, j02, j12, z = arb_is_zero(B);
                if (neft_interrupted())
                {
                    status = NEFT_INTEGRATE_INTERRUPTED;
                    break;
                }
                for (a = 0; a < NV; a++)
                {
                    n[a] = vl[a].n[ij[a]];
                    T[a] = vl[a].T[ij[a]];     /* shallow copies, read only */
                    S[a] = vl[a].S[ij[a]];
                }
                for (j01 = z ? lk[0][1] : 0; j01 <= lk[0][1]; j01++)
                    for (j02 = z ? lk[0][2] : 0; j02 <= lk[0][2]; j02++)
                        for (j12 = z ? lk[1][2] : 0; j12 <= lk[1][2]; j12++)
                        {
                            jj[0][1] = jj[1][0] = j01;
                            jj[0][2] = jj[2][0] = j02;
                            jj[1][2] = jj[2][1] = j12;
                            term_integral(t, n, T, S, jj, alpha, Lb, wp);
                            arb_mul(c, vl[0].coef + i0, vl[1].coef + i1, wp);
                            arb_mul(c, c, vl[2].coef + i2, wp);
                            arb_mul(c, c, lc[0][1] + j01, wp);
                            arb_mul(c, c, lc[0][2] + j02, wp);
                            arb_mul(c, c, lc[1][2] + j12, wp);
                            arb_addmul(s, c, t, wp);
                        }
            }
    arb_mul(s, s, self, wp);
    if (status == NEFT_INTEGRATE_SUCCESS)
    {
        mag_t r, g;
        mag_init(r);
        mag_init(g);
        arb_set_round(res, s, prec);
        arb_get_mag_lower(g, res);
        mag_mul_2exp_si(g, g, -goal);
        mag_set(r, arb_radref(res));
        if (!arb_is_finite(res) || mag_cmp(r, g) > 0)
            status = NEFT_INTEGRATE_NO_CONVERGENCE;
        mag_clear(r);
        mag_clear(g);
    }
    if (opt->verbose)
        flint_fprintf(stderr, "threevtx gauss: %wd terms, status %d\n", nterms, status);

    for (a = 0; a < NV; a++)
    {
        vlist_clear(vl + a);
        for (b = a + 1; b < NV; b++)
            _arb_vec_clear(lc[a][b], lk[a][b] + 1);
    }
    flint_free(same);
    arb_clear(B); arb_clear(W); arb_clear(alpha); arb_clear(Lb); arb_clear(self);
    arb_clear(t); arb_clear(c); arb_clear(s);
    return status;
}
