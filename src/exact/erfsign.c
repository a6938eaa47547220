/* Erf's Gaussian moments M_2, M_4 and M_6 as sign moments of a Gaussian vector
 * with one coordinate per factor (docs/cmd-exact.md, "Erf by sign moments").
 *
 * erf(z) = 2 Phi(sqrt2 z) - 1 = E_eta[sign(sqrt2 z - eta)], eta ~ N(0, 1), so
 * with one independent eta_k per factor
 *   M_m(idx) = E[prod_k erf(z_{idx_k})] = E[prod_k sign(w_k)],
 *   w_k = sqrt2 z_{idx_k} - eta_k,  Cov(w_k, w_l) = 2 c_{idx_k idx_l} + delta_kl,
 * always positive definite (repeated points included), whatever d_in and
 * sigma_b: the dimension is the number of factors, not the span's rank.
 * Signs do not see the scale: R = the correlation matrix of w, |R_kl| < 1.
 *   m = 2: (2/pi) asin R_01 (Sheppard).
 *   m = 4: along Sigma(u) = I + u (R - I), u in [0, 1] (positive definite:
 *   a convex combination), E = 0 at u = 0 (independent signs), and Price's
 *   theorem with d/dx sign x = 2 delta(x) gives (Plackett's reduction)
 *     dE/du = sum_{k<l} R_kl (2/pi) (1 - u^2 R_kl^2)^{-1/2} (2/pi) asin rho_kl(u),
 *   rho_kl(u) the correlation of the other two given w_k = w_l = 0 under
 *   Sigma(u): one 1-D integral of six asin terms, by Arb's Gauss-Legendre
 *   rule with its certified error bound on a Bernstein ellipse (the
 *   integrand certifies its holomorphy on complex balls: the square roots
 *   away from their cut, asin's argument away from |x| >= 1 real).
 * m = 6: the same reduction once more (erfsign6.c): an outer rule in u
 *   whose nodes take the 4-factor moment above for each pair.
 * A pair's term depends only on the points of its two factors (the
 * permutations that keep the points keep R): one term per class, times its
 * size; and the tuples whose R agree up to a permutation of the factors are
 * computed once (the tetrahedron's 84 six-point tuples are 9 classes). */

#include <string.h>
#include <arb_hypgeom.h>
#include <acb_calc.h>
#include "neft/act.h"
#include "neft/interrupt.h"
#include "erfsign.h"
#include "../integrate/tuples_pool.h"

#define MAXM NEFT_ERFSIGN_MAXM
#define MAXDEPTH 14
#define WP 64              /* working precision */
#define TOL_BITS 40        /* absolute goal of each moment (|M| <= 1) */

int
_neft_exact_erfsign_applies(const neft_exact_spec_t spec, slong maxlen)
{
    neft_act_srcptr act = spec->net->act;
    return act != NULL && strcmp(act->name, "erf") == 0 && act->nparams == 0
        && maxlen <= MAXM;
}

double
_neft_exact_erfsign_cost(slong npoints, slong maxlen)
{
    /* measured (erf, the tetrahedron, 64 bits, at 2e9 operations a second
       of CPU): about 4 ms for an M_4 (1e7) and 1.5 s for an M_6 of the
       tetrahedron's at load 22 (2e9 each; tuples with equal correlation
       matrices up to a permutation are computed once, which the estimate
       does not count) */
    double c = 0, n = 1;
    slong k;
    for (k = 1; k <= maxlen; k++)
    {
        n = n * (double) (npoints + k - 1) / (double) k;   /* sorted tuples of length k */
        if (k == 2)
            c += n * 1e3;
        else if (k == 4)
            c += n * 1e7;
        else if (k == 6)
            c += n * 2e9;
    }
    return c;
}

/* asin(x), indeterminate when analytic and the ball meets |x| >= 1 real
   (asin's branch cuts) */
static void
asin_an(acb_t r, const acb_t x, int analytic, slong prec)
{
    if (analytic && arb_contains_zero(acb_imagref(x)))
    {
        arb_t t;
        arb_init(t);
        arb_abs(t, acb_realref(x));
        arb_sub_ui(t, t, 1, prec);
        if (!arb_is_negative(t))
        {
            arb_clear(t);
            acb_indeterminate(r);
            return;
        }
        arb_clear(t);
    }
    acb_asin(r, x, prec);
}

/* (erfsign.h) */
void
_neft_erfsign_cond(acb_ptr out, acb_srcptr R, slong m, const acb_t u, slong a, slong b,
                   int analytic, slong prec)
{
    slong o[MAXM], n = 0, x, y;
    acb_t sig, den, t, v, Sxa, Sxb, Sya, Syb;
    acb_struct d[MAXM];
    acb_init(sig); acb_init(den); acb_init(t); acb_init(v);
    acb_init(Sxa); acb_init(Sxb); acb_init(Sya); acb_init(Syb);
    for (x = 0; x < m; x++)
        if (x != a && x != b)
            o[n++] = x;
    for (x = 0; x < n; x++)
        acb_init(d + x);
    acb_mul(sig, u, R + a * m + b, prec);
    acb_sqr(den, sig, prec);
    acb_sub_ui(den, den, 1, prec);
    acb_neg(den, den);                       /* 1 - sigma^2 */
    acb_inv(den, den, prec);
    for (x = 0; x < n; x++)
        for (y = x; y < n; y++)
        {
            acb_mul(Sxa, u, R + o[x] * m + a, prec);
            acb_mul(Sxb, u, R + o[x] * m + b, prec);
            acb_mul(Sya, u, R + o[y] * m + a, prec);
            acb_mul(Syb, u, R + o[y] * m + b, prec);
            acb_mul(t, Sxa, Syb, prec);
            acb_addmul(t, Sxb, Sya, prec);
            acb_mul(t, t, sig, prec);
            acb_neg(t, t);
            acb_addmul(t, Sxa, Sya, prec);
            acb_addmul(t, Sxb, Syb, prec);
            acb_mul(t, t, den, prec);
            if (x == y)
                acb_one(v);
            else
                acb_mul(v, u, R + o[x] * m + o[y], prec);
            acb_sub(out + x * n + y, v, t, prec);
        }
    for (x = 0; x < n; x++)
        acb_rsqrt_analytic(d + x, out + x * n + x, analytic, prec);
    for (x = 0; x < n; x++)
    {
        acb_one(out + x * n + x);
        for (y = x + 1; y < n; y++)
        {
            acb_mul(t, out + x * n + y, d + x, prec);
            acb_mul(out + x * n + y, t, d + y, prec);
            acb_set(out + y * n + x, out + x * n + y);
        }
    }
    for (x = 0; x < n; x++)
        acb_clear(d + x);
    acb_clear(sig); acb_clear(den); acb_clear(t); acb_clear(v);
    acb_clear(Sxa); acb_clear(Sxb); acb_clear(Sya); acb_clear(Syb);
}

/* (2/pi) R_kl (1 - u^2 R_kl^2)^{-1/2} (erfsign.h) */
void
_neft_erfsign_pairw(acb_t w, const acb_t r, const acb_t u, int analytic, slong prec)
{
    acb_t t;
    arb_t pi;
    acb_init(t);
    arb_init(pi);
    acb_mul(t, u, r, prec);
    acb_sqr(t, t, prec);
    acb_sub_ui(t, t, 1, prec);
    acb_neg(t, t);
    acb_rsqrt_analytic(t, t, analytic, prec);
    acb_mul(w, t, r, prec);
    arb_const_pi(pi, prec);
    acb_div_arb(w, w, pi, prec);
    acb_mul_2exp_si(w, w, 1);
    acb_clear(t);
    arb_clear(pi);
}

slong
_neft_erfsign_pairs(slong * k, slong * l, slong * mult, acb_srcptr R, slong m,
                    const slong * lab)
{
    slong a, b, c, d, n = 0;
    for (a = 0; a < m; a++)
        for (b = a + 1; b < m; b++)
        {
            slong la = lab == NULL ? a : lab[a], lb = lab == NULL ? b : lab[b], j;
            int seen = 0;
            if (acb_is_zero(R + a * m + b))
                continue;
            for (j = 0; j < n && !seen; j++)
            {
                slong lc = lab == NULL ? k[j] : lab[k[j]], ld = lab == NULL ? l[j] : lab[l[j]];
                seen = (lc == la && ld == lb) || (lc == lb && ld == la);
            }
            if (seen)
                continue;
            k[n] = a;
            l[n] = b;
            mult[n] = 0;
            /* the class: the pairs with the same two labels (a permutation
               keeping the labels maps one to the other and keeps R) */
            for (c = 0; c < m; c++)
                for (d = c + 1; d < m; d++)
                {
                    slong lc = lab == NULL ? c : lab[c], ld = lab == NULL ? d : lab[d];
                    mult[n] += (lc == la && ld == lb) || (lc == lb && ld == la);
                }
            n++;
        }
    return n;
}

/* int_0^1 f: Arb's Gauss-Legendre rule with its certified error bound
   (acb_calc_integrate_gl_auto_deg: f on a Bernstein ellipse, holomorphy
   certified by f) on [0, 1], bisected where it fails (depth <= MAXDEPTH),
   each piece to 2^-tol_bits times its length.  Not acb_calc_integrate: its
   first estimates evaluate f on the whole real interval, where the balls of
   the conditional correlations are too wide to be finite. */
void
_neft_erfsign_integ(acb_t res, acb_calc_func_t f, void * param, slong tol_bits, slong prec)
{
    double lo[MAXDEPTH + 1], hi[MAXDEPTH + 1];
    slong depth[MAXDEPTH + 1], top = 0, evals;
    acb_t a, b, v;
    mag_t tol;
    acb_init(a); acb_init(b); acb_init(v);
    mag_init(tol);
    acb_zero(res);
    lo[0] = 0;
    hi[0] = 1;
    depth[0] = 0;
    top = 1;
    while (top > 0 && acb_is_finite(res))
    {
        top--;
        acb_set_d(a, lo[top]);
        acb_set_d(b, hi[top]);
        mag_set_ui_2exp_si(tol, 1, -tol_bits - depth[top]);
        if (acb_calc_integrate_gl_auto_deg(v, &evals, f, param, a, b, tol, 2 * tol_bits / 3 + 10,
                                           0, prec) == ARB_CALC_SUCCESS)
            acb_add(res, res, v, prec);
        else if (depth[top] < MAXDEPTH && !neft_interrupted())
            top = _neft_erfsign_bisect(lo, hi, depth, top);
        else
            acb_indeterminate(res);
    }
    if (!acb_is_finite(res))
        acb_indeterminate(res);
    acb_clear(a); acb_clear(b); acb_clear(v);
    mag_clear(tol);
}

/* dE_4/du at u for the correlation matrix R (4 x 4): the sum over the
   pairs k < l of R_kl (2/pi) (1 - u^2 R_kl^2)^{-1/2} (2/pi) asin rho_kl(u),
   one pair per class of _neft_erfsign_pairs times its size; with order 1
   (an ellipse of u), indeterminate unless holomorphic there */
int
_neft_erfsign_d4(acb_ptr res, const acb_t u, void * param, slong order, slong prec)
{
    _neft_erfsign_d4_struct * F = param;
    slong m = 4, k[6], l[6], mult[6], np, j;
    int analytic = order != 0;
    acb_t w, e, z;
    acb_struct C[4];
    if (neft_interrupted())
    {
        F->stop = 1;
        acb_indeterminate(res);
        return 0;
    }
    acb_init(w); acb_init(e); acb_init(z);
    for (j = 0; j < 4; j++)
        acb_init(C + j);
    acb_zero(res);
    np = _neft_erfsign_pairs(k, l, mult, F->R, m, F->lab);
    for (j = 0; j < np; j++)
    {
        _neft_erfsign_pairw(w, F->R + k[j] * m + l[j], u, analytic, prec);
        acb_mul_si(w, w, mult[j], prec);
        _neft_erfsign_cond(C, F->R, m, u, k[j], l[j], analytic, prec);
        asin_an(e, C + 1, analytic, prec);
        arb_const_pi(acb_realref(z), prec);
        arb_zero(acb_imagref(z));
        acb_div(e, e, z, prec);
        acb_mul_2exp_si(e, e, 1);
        acb_addmul(res, w, e, prec);
        if (!acb_is_finite(res))
            break;
    }
    if (!acb_is_finite(res))
        acb_indeterminate(res);
    for (j = 0; j < 4; j++)
        acb_clear(C + j);
    acb_clear(w); acb_clear(e); acb_clear(z);
    return 0;
}

/* The sign moment of the correlation matrix R (m x m real, m = 2, 4, 6;
   lab the factors' points): */
static int
sign_moment(arb_t res, acb_srcptr R, const slong * lab, slong m, slong prec)
{
    acb_t r;
    int status = NEFT_SUCCESS;
    acb_init(r);
    if (m == 2)
    {
        arb_t pi;
        arb_init(pi);
        arb_asin(res, acb_realref(R + 1), prec);
        arb_const_pi(pi, prec);
        arb_div(res, res, pi, prec);
        arb_mul_2exp_si(res, res, 1);
        arb_clear(pi);
    }
    else if (m == 4)
    {
        _neft_erfsign_d4_struct F;
        F.R = R;
        F.lab = lab;
        F.stop = 0;
        _neft_erfsign_integ(r, _neft_erfsign_d4, &F, TOL_BITS, prec);
        arb_set(res, acb_realref(r));
    }
    else
        status = _neft_erfsign6(res, R, lab, prec);
    if (neft_interrupted())
        status = NEFT_INTERRUPTED;
    else if (!arb_is_finite(res))
        status = NEFT_FAILURE;
    acb_clear(r);
    return status;
}

typedef struct
{
    arb_ptr M;
    const _neft_tuples_struct * tree;
    arb_srcptr C;            /* np x np: 2 c_ij (+ 1 on the diagonal) */
    slong np;
    const slong * nodes;     /* the even nodes to compute */
    int * status;
}
wctx;

/* The correlation matrix R (m x m) of the sign variables of the tuple idx:
   R_kl = C_kl / sqrt(C_kk C_ll), C_kk = 2 c + 1 (another eta per factor);
   two factors at one point: 2 c_pp (their eta's are independent). */
static void
corr(acb_ptr R, arb_srcptr C, slong np, const slong * idx, slong m)
{
    slong k, l;
    arb_t t;
    arb_init(t);
    for (k = 0; k < m; k++)
        for (l = 0; l < m; l++)
        {
            slong p = idx[k], q = idx[l];
            acb_zero(R + k * m + l);
            if (k == l)
            {
                acb_one(R + k * m + l);
                continue;
            }
            arb_mul(t, C + p * np + p, C + q * np + q, WP);
            arb_rsqrt(t, t, WP);
            if (p == q)
                arb_sub_ui(acb_realref(R + k * m + l), C + p * np + p, 1, WP);
            else
                arb_set(acb_realref(R + k * m + l), C + p * np + q);
            arb_mul(acb_realref(R + k * m + l), acb_realref(R + k * m + l), t, WP);
        }
    arb_clear(t);
}

/* lexicographic order of balls (midpoint, then radius) */
static int
ball_cmp(const arb_t a, const arb_t b)
{
    int c = arf_cmp(arb_midref(a), arb_midref(b));
    return c != 0 ? c : mag_cmp(arb_radref(a), arb_radref(b));
}

/* key (m (m - 1) / 2 balls): the smallest upper triangle of P R P^T over
   the permutations P (lexicographically): equal keys, equal moments */
static void
canon(arb_ptr key, acb_srcptr R, slong m)
{
    slong p[MAXM], k, l, j, n = m * (m - 1) / 2, first = 1;
    arb_ptr cur = _arb_vec_init(n);
    for (k = 0; k < m; k++)
        p[k] = k;
    for (;;)
    {
        int c = 0;
        j = 0;
        for (k = 0; k < m; k++)
            for (l = k + 1; l < m; l++)
                arb_set(cur + j++, acb_realref(R + p[k] * m + p[l]));
        for (j = 0; j < n && c == 0 && !first; j++)
            c = ball_cmp(cur + j, key + j);
        if (first || c < 0)
            _arb_vec_set(key, cur, n);
        first = 0;
        /* the next permutation (lexicographic), or the end */
        for (k = m - 2; k >= 0 && p[k] > p[k + 1]; k--)
            ;
        if (k < 0)
            break;
        for (l = m - 1; p[l] < p[k]; l--)
            ;
        j = p[k]; p[k] = p[l]; p[l] = j;
        for (k = k + 1, l = m - 1; k < l; k++, l--)
        {
            j = p[k]; p[k] = p[l]; p[l] = j;
        }
    }
    _arb_vec_clear(cur, n);
}

static void
one(void * arg, slong i, slong th)
{
    wctx * W = arg;
    slong node = W->nodes[i], idx[MAXM], m, k, l;
    acb_struct R[MAXM * MAXM];
    int indep = 0;
    (void) th;
    m = _neft_tuples_get(idx, W->tree, node);
    for (k = 0; k < m * m; k++)
        acb_init(R + k);
    corr(R, W->C, W->np, idx, m);
    /* a factor independent of all others (its row exactly 0): the moment is
       exactly 0 (a sign symmetric about 0) */
    for (k = 0; k < m && !indep; k++)
    {
        int z = 1;
        for (l = 0; l < m; l++)
            z &= l == k || acb_is_zero(R + k * m + l);
        indep = z;
    }
    if (indep)
    {
        arb_zero(W->M + node);
        W->status[i] = NEFT_SUCCESS;
    }
    else
        W->status[i] = sign_moment(W->M + node, R, idx, m, WP);
    for (k = 0; k < m * m; k++)
        acb_clear(R + k);
}

/* rep[i] (i < n): the first j <= i whose tuple's R equals node i's up to a
   permutation of the factors (then M is the same); returns the number of
   i with rep[i] == i */
static slong
classes(slong * rep, const slong * nodes, slong n, const _neft_tuples_struct * tree,
        arb_srcptr C, slong np)
{
    slong i, j, k, nk = MAXM * (MAXM - 1) / 2, count = 0;
    slong * len = flint_malloc(sizeof(slong) * FLINT_MAX(n, 1));
    arb_ptr keys = _arb_vec_init(FLINT_MAX(n, 1) * nk);
    acb_struct R[MAXM * MAXM];
    for (k = 0; k < MAXM * MAXM; k++)
        acb_init(R + k);
    for (i = 0; i < n; i++)
    {
        slong idx[MAXM];
        len[i] = _neft_tuples_get(idx, tree, nodes[i]);
        corr(R, C, np, idx, len[i]);
        canon(keys + i * nk, R, len[i]);
        rep[i] = i;
        for (j = 0; j < i && rep[i] == i; j++)
        {
            int eq = rep[j] == j && len[j] == len[i];
            for (k = 0; k < len[i] * (len[i] - 1) / 2 && eq; k++)
                eq = arb_equal(keys + i * nk + k, keys + j * nk + k);
            if (eq)
                rep[i] = j;
        }
        count += rep[i] == i;
    }
    for (k = 0; k < MAXM * MAXM; k++)
        acb_clear(R + k);
    _arb_vec_clear(keys, FLINT_MAX(n, 1) * nk);
    flint_free(len);
    return count;
}

int
_neft_exact_erfsign(arb_ptr M, const _neft_tuples_struct * tree, const neft_exact_spec_t spec,
                    slong prec, void (*progress)(void *, slong, slong), void * arg,
                    char * err, size_t errsize)
{
    neft_net_srcptr net = spec->net;
    slong d = net->d_in, np = spec->npoints, L = tree->length, i, j, k, n = 0, done, nall;
    slong * rep, * all;
    slong * nodes = flint_malloc(sizeof(slong) * FLINT_MAX(L, 1));
    int * status = flint_calloc(FLINT_MAX(L, 1), sizeof(int));
    int res = NEFT_SUCCESS;
    arb_ptr C = _arb_vec_init(np * np);
    arb_t sw2, sb2, t;
    wctx W;
    _neft_pool_ptr pool = NULL;
    (void) prec;

    if (!_neft_exact_erfsign_applies(spec, tree->maxlen))
    {
        snprintf(err, errsize, "the sign moments apply to erf up to M_%d", MAXM);
        res = NEFT_UNSUPPORTED;
        goto out0;
    }
    arb_init(sw2); arb_init(sb2); arb_init(t);
    neft_net_sw_arb(sw2, net, WP);
    arb_sqr(sw2, sw2, WP);
    arb_div_si(sw2, sw2, d, WP);
    neft_net_sb_arb(sb2, net, WP);
    arb_sqr(sb2, sb2, WP);
    /* C_ij = 2 c_ij + delta_ij, c_ij = sw^2 x_i . x_j / d + sb^2 */
    for (i = 0; i < np; i++)
        for (j = 0; j < np; j++)
        {
            arb_zero(t);
            for (k = 0; k < d; k++)
                arb_addmul(t, spec->points + i * d + k, spec->points + j * d + k, WP);
            arb_mul(t, t, sw2, WP);
            arb_add(t, t, sb2, WP);
            arb_mul_2exp_si(C + i * np + j, t, 1);
            if (i == j)
                arb_add_ui(C + i * np + j, C + i * np + j, 1, WP);
        }
    /* the longest tuples first (the costly ones spread over the threads) */
    for (k = tree->maxlen; k >= 2; k--)
        for (i = 1; i < L; i++)
            if (tree->len[i] == k && k % 2 == 0)
                nodes[n++] = i;
    /* one tuple per class of equal correlation matrices (up to a
       permutation): the representatives first, in the same order */
    rep = flint_malloc(sizeof(slong) * FLINT_MAX(L, 1));
    all = flint_malloc(sizeof(slong) * FLINT_MAX(L, 1));
    nall = n;
    for (i = 0; i < nall; i++)
        all[i] = nodes[i];
    classes(rep, all, nall, tree, C, np);
    for (i = 0, n = 0; i < nall; i++)
        if (rep[i] == i)
            nodes[n++] = all[i];
    W.M = M;
    W.tree = tree;
    W.C = C;
    W.np = np;
    W.nodes = nodes;
    W.status = status;
    for (i = 0; i < n; i++)
        status[i] = NEFT_INTERRUPTED;       /* until run */
    pool = _neft_pool_new(spec->threads);
    for (done = 0; done < n && res == NEFT_SUCCESS; )
    {
        slong step = FLINT_MIN(n - done, 4 * _neft_pool_size(pool));
        W.nodes = nodes + done;
        W.status = status + done;
        _neft_pool_round(pool, step, one, &W);
        for (i = done; i < done + step; i++)
            if (status[i] != NEFT_SUCCESS)
            {
                res = status[i];
                if (res != NEFT_INTERRUPTED)
                {
                    slong idx[MAXM], m = _neft_tuples_get(idx, tree, nodes[i]);
                    snprintf(err, errsize, "erf: the sign moment of a tuple of %ld points has "
                             "no finite enclosure", (long) m);
                }
                break;
            }
        done += step;
        if (progress != NULL && res == NEFT_SUCCESS)
            progress(arg, done, n);
    }
    _neft_pool_free(pool);
    if (res == NEFT_SUCCESS)
        for (i = 0; i < nall; i++)
            if (rep[i] != i)
                arb_set(M + all[i], M + all[rep[i]]);
    flint_free(rep);
    flint_free(all);
    if (res == NEFT_SUCCESS && neft_interrupted())
        res = NEFT_INTERRUPTED;
    if (res == NEFT_INTERRUPTED)
        snprintf(err, errsize, "interrupted while computing the Gaussian moments");
    arb_clear(sw2); arb_clear(sb2); arb_clear(t);
out0:
    _arb_vec_clear(C, np * np);
    flint_free(nodes);
    flint_free(status);
    return res;
}
