/* The four-factor Gaussian expectations of the k-input NTK at O(1/n)
   (src/onen/ntkm.h; docs/onen.md, "More inputs"):
   E[prod_{m<4} sigma^(dv_m)(z_(in_m))], z ~ N(0, K), over three or four
   distinct classes (one or two: neft_onen_ntk2's pair data, the same balls).

   Piecewise linear, sigma = z (s + (1 - s) H), sigma' = s + (1 - s) H,
   sigma'' = 0 (the nets' own derivatives): expanded into E[z_m z_n prod_E H]
   (at most two z), which Stein's identity with E[delta(z_j) f] =
   phi_j E[f | z_j = 0] (phi_j = (2 pi K_jj)^-1/2, conditional covariance
   K - K_.j K_j./K_jj) reduces to orthant probabilities of at most four
   Gaussians (closed forms to three, Plackett's integrals for four):
     E[z_m prod_E H]     = sum_{j in E} K_mj phi_j O(E - j | j)
     E[z_m z_n prod_E H] = K_mn O(E) + sum_{j in E} K_mj phi_j E[z_n prod_{E-j} H | j].
   <sigma^4>: neft_gaussexp_pwlin.
   erf: the erf' factors c e^{-z^2} (c = 2/sqrt pi; erf'' = -2 z erf') are a
   Gaussian weight: with N = diag(#erf' + #erf'' per input), M = I + 2 N K,
   E[g e^{-z.Nz}] = det(M)^{-1/2} E'[g], z ~ N(0, K' = K M^{-1}); then
   E'[erf_a erf_b] = (2/pi) asin(2K'_ab / sqrt((1 + 2K'_aa)(1 + 2K'_bb))),
   E'[z_i erf_a] = K'_ia c (1 + 2K'_aa)^{-1/2}, E'[erf_a] = E'[z_i] = 0.
   <erf^4>: the grid.
   sin: sin, cos as exponentials, E[e^{i w.z}] = e^{-w.Kw/2}.
   tanh, sigmoid: every factor a polynomial in sigma (src/onen/ntk2_gauss.c),
   so the moments E[prod_j sigma_j^k_j] (total degree <= 8) of the classes,
   by one set of rigorous 3-D or 4-D rules (neft_gaussexp_grid, GOAL3 or
   GOAL4 bits) per subset of classes. */

#include <string.h>
#include "neft/gaussexp.h"
#include "neft/interrupt.h"
#include "../gaussexp/orthant.h"
#include "ntkm.h"

#define GOAL3 30   /* 3-D rule: absolute error <= 2^-30 per moment (sup = 1) */
#define GOAL4 20   /* 4-D rule: 2^-20 */
#define MB 9       /* moment tables: base 9, exponents 0..8 */

enum { K_PL, K_TANH, K_SIGM, K_ERF, K_SIN };

void
_neft_onen_ntkm_gauss_init(ntkm_gauss_struct * g, const neft_net_t net, slong Q, slong d_in,
                           slong prec)
{
    slong i, n = 3 * Q;
    const char * name = net->act->name;
    memset(g, 0, sizeof *g);
    g->Q = Q;
    g->Qr = Q;
    g->prec = prec;
    g->d_in = d_in;
    g->net = net;
    arb_init(g->cw);
    arb_init(g->cb);
    g->kind = neft_onen_is_scale_invariant(net) ? K_PL : !strcmp(name, "tanh") ? K_TANH
            : !strcmp(name, "sigmoid") ? K_SIGM : !strcmp(name, "erf") ? K_ERF : K_SIN;
    g->pr = flint_malloc(sizeof(ntk2_gauss_struct) * Q * Q);
    for (i = 0; i < Q * Q; i++)
        _neft_onen_ntk2_gauss_init(g->pr + i);
    g->memo = _arb_vec_init(n * n * n * n);
    g->have = flint_calloc(n * n * n * n, 1);
}

static void
drop_moments(ntkm_gauss_struct * g)
{
    slong i;
    for (i = 0; i < g->nsub; i++)
        _arb_vec_clear(g->mom[i], MB * MB * MB * MB);
    flint_free(g->mom);
    flint_free(g->sub);
    g->mom = NULL;
    g->sub = NULL;
    g->nsub = 0;
    for (i = 0; i < g->nhs; i++)
    {
        slong j, n = 1;
        for (j = 0; j < 4 && g->hsub[4 * i + j] >= 0; j++)
            n *= 11;
        _arb_vec_clear(g->hmom[i], n);
        flint_free(g->hhave[i]);
    }
    flint_free(g->hsub);
    flint_free(g->hmom);
    flint_free(g->hhave);
    g->hsub = NULL;
    g->hmom = NULL;
    g->hhave = NULL;
    g->nhs = 0;
}

void
_neft_onen_ntkm_gauss_clear(ntkm_gauss_struct * g)
{
    slong i, n = 3 * g->Q;
    for (i = 0; i < g->Q * g->Q; i++)
        _neft_onen_ntk2_gauss_clear(g->pr + i);
    flint_free(g->pr);
    _arb_vec_clear(g->memo, n * n * n * n);
    flint_free(g->have);
    drop_moments(g);
    for (i = 0; i < g->xa; i++)
        arb_clear(g->xval + i);
    flint_free(g->xval);
    flint_free(g->xkey);
    arb_clear(g->cw);
    arb_clear(g->cb);
}

int
_neft_onen_ntkm_gauss_set(ntkm_gauss_struct * g, arb_srcptr K, int first, arb_srcptr xc,
                          const arb_t cw, const arb_t cb, char * err, size_t errsize)
{
    slong Q = g->Q, i, j, n = 3 * Q;
    int st = 0;
    g->K = K;
    g->first = first;
    g->xc = xc;
    arb_set(g->cw, cw);
    arb_set(g->cb, cb);
    memset(g->have, 0, n * n * n * n);
    g->xn = 0;
    drop_moments(g);
    for (i = 0; i < Q && !st; i++)
        for (j = i + 1; j < Q && !st; j++)
        {
            arb_struct K2[4];
            K2[0] = K[i * Q + i];
            K2[1] = K2[2] = K[i * Q + j];
            K2[3] = K[j * Q + j];
            st = _neft_onen_ntk2_gauss(g->pr + i * Q + j, g->net, K2, g->prec, err, errsize);
        }
    return st;
}

/* ---- piecewise linear: Stein down to orthant probabilities ------------ */

/* P(z_e > 0 for e in E[0..ne-1]) under the s x s covariance C (C_jj = 0 for
   conditioned-away j are never read) */
static int
orth(arb_t res, arb_srcptr C, slong s, const slong * E, slong ne, slong prec)
{
    arb_ptr Ks;
    slong i, j;
    int st;
    if (ne == 0)
    {
        arb_one(res);
        return 0;
    }
    Ks = _arb_vec_init(ne * ne);
    for (i = 0; i < ne; i++)
        for (j = 0; j < ne; j++)
            arb_set(Ks + i * ne + j, C + E[i] * s + E[j]);
    st = _neft_gaussexp_orthant(res, Ks, ne, prec / 2 > 50 ? 50 : prec / 2, prec);
    _arb_vec_clear(Ks, ne * ne);
    return st == NEFT_SUCCESS ? 0 : st == NEFT_INTERRUPTED ? NEFT_INTERRUPTED : -1;
}

/* C conditioned on z_j = 0 into Cj; phi = (2 pi C_jj)^-1/2 (-1: C_jj not
   certainly positive) */
static int
condition(arb_ptr Cj, arb_t phi, arb_srcptr C, slong s, slong j, slong prec)
{
    slong a, b;
    arb_t t;
    if (!arb_is_positive(C + j * s + j))
        return -1;
    arb_init(t);
    for (a = 0; a < s; a++)
        for (b = 0; b < s; b++)
        {
            arb_mul(t, C + a * s + j, C + b * s + j, prec);
            arb_div(t, t, C + j * s + j, prec);
            arb_sub(Cj + a * s + b, C + a * s + b, t, prec);
        }
    arb_const_pi(t, prec);
    arb_mul_2exp_si(t, t, 1);
    arb_mul(t, t, C + j * s + j, prec);
    arb_rsqrt(phi, t, prec);
    arb_clear(t);
    return 0;
}

/* E[prod_{i<nz} z_(zi_i) prod_{e in E} H(z_e)], nz <= 2 */
static int
zh(arb_t res, arb_srcptr C, slong s, const slong * zi, slong nz, const slong * E, slong ne,
   slong prec)
{
    slong i, k, E2[4];
    arb_ptr Cj;
    arb_t phi, v;
    int st = 0;
    if (nz == 0)
        return orth(res, C, s, E, ne, prec);
    Cj = _arb_vec_init(s * s);
    arb_init(phi); arb_init(v);
    arb_zero(res);
    if (nz == 2)
    {
        st = orth(v, C, s, E, ne, prec);
        arb_mul(res, v, C + zi[0] * s + zi[1], prec);
    }
    for (i = 0; i < ne && !st; i++)
    {
        slong m = 0;
        for (k = 0; k < ne; k++)
            if (k != i)
                E2[m++] = E[k];
        if (condition(Cj, phi, C, s, E[i], prec))
        {
            st = -1;
            break;
        }
        st = zh(v, Cj, s, zi + 1, nz - 1, E2, ne - 1, prec);
        arb_mul(v, v, phi, prec);
        arb_addmul(res, v, C + zi[0] * s + E[i], prec);
    }
    arb_clear(phi); arb_clear(v);
    _arb_vec_clear(Cj, s * s);
    return st;
}

/* the four factors at local inputs li[] (s x s kernel C), slope sl */
static int
pl_ex(arb_t res, arb_srcptr C, slong s, const slong * li, const int * dv, const arb_t sl,
      slong prec, char * err, size_t errsize)
{
    slong zi[4], nz = 0, k, m;
    arb_t c, v, oms;
    int st = 0;
    for (k = 0; k < 4; k++)
        if (dv[k] == 2)
        {
            arb_zero(res);       /* sigma'' = 0 away from the kink */
            return 0;
        }
        else if (dv[k] == 0)
            zi[nz++] = li[k];
    if (nz == 4)
    {
        slong pw[4] = {0, 0, 0, 0};
        for (k = 0; k < 4; k++)
            pw[li[k]]++;
        st = neft_gaussexp_pwlin(res, sl, C, s, pw, prec, err, errsize);
        return st == NEFT_SUCCESS ? 0 : st == NEFT_INTERRUPTED ? NEFT_INTERRUPTED
             : st == NEFT_UNSUPPORTED ? NEFT_UNSUPPORTED : -1;
    }
    arb_init(c); arb_init(v); arb_init(oms);
    arb_sub_ui(oms, sl, 1, prec);
    arb_neg(oms, oms);
    arb_zero(res);
    for (m = 0; m < 16 && !st; m++)
    {
        slong E[4], ne = 0, e;
        arb_one(c);
        for (k = 0; k < 4; k++)
        {
            arb_mul(c, c, (m >> k) & 1 ? oms : sl, prec);
            if ((m >> k) & 1)
            {
                for (e = 0; e < ne && E[e] != li[k]; e++)
                    ;
                if (e == ne)
                    E[ne++] = li[k];
            }
        }
        if (arb_is_zero(c))
            continue;
        st = zh(v, C, s, zi, nz, E, ne, prec);
        arb_addmul(res, c, v, prec);
    }
    if (st == -1)
        snprintf(err, errsize, "an orthant probability of the kernel is not certified "
                 "(inputs nearly collinear at layer 1?)");
    arb_clear(c); arb_clear(v); arb_clear(oms);
    return st;
}

/* ---- erf: Gaussian reweighting ------------------------------------------ */

/* the reweighting by nw[i] erf' factors at class i (nd in all): Kp = K M^-1
   (M = I + 2 N K) and res = c^nd det(M)^-1/2, c = 2/sqrt(pi) (also set);
   0, or -1 (M not certainly invertible: res indeterminate) */
static int
erf_rew(arb_mat_t Kp, arb_t res, arb_t c, arb_srcptr C, slong s, const slong * nw, slong nd,
        slong prec)
{
    arb_mat_t M, Mi, Kc;
    arb_t det;
    slong i, j;
    int st = 0;
    arb_mat_init(M, s, s); arb_mat_init(Mi, s, s); arb_mat_init(Kc, s, s);
    arb_init(det);
    for (i = 0; i < s; i++)
        for (j = 0; j < s; j++)
        {
            arb_set(arb_mat_entry(Kc, i, j), C + i * s + j);
            arb_mul_si(arb_mat_entry(M, i, j), C + i * s + j, 2 * nw[i], prec);
            if (i == j)
                arb_add_ui(arb_mat_entry(M, i, j), arb_mat_entry(M, i, j), 1, prec);
        }
    arb_mat_det(det, M, prec);
    arb_const_sqrt_pi(c, prec);
    arb_inv(c, c, prec);
    arb_mul_2exp_si(c, c, 1);
    if (!arb_mat_inv(Mi, M, prec))
    {
        arb_indeterminate(res);
        st = -1;
    }
    else
    {
        arb_mat_mul(Kp, Kc, Mi, prec);
        arb_pow_ui(res, c, nd, prec);
        arb_rsqrt(det, det, prec);
        arb_mul(res, res, det, prec);
    }
    arb_mat_clear(M); arb_mat_clear(Mi); arb_mat_clear(Kc);
    arb_clear(det);
    return st;
}

static void
erf_ex(arb_t res, arb_srcptr C, slong s, const slong * li, const int * dv, slong prec)
{
    arb_mat_t Kp;
    slong k, nw[4] = {0, 0, 0, 0}, es[4], ne = 0, zs = -1, nd = 0;
    arb_t t, u, c;
    arb_mat_init(Kp, s, s);
    arb_init(t); arb_init(u); arb_init(c);
    for (k = 0; k < 4; k++)
        if (dv[k] == 0)
            es[ne++] = li[k];
        else
        {
            nw[li[k]]++;
            nd++;
            if (dv[k] == 2)
                zs = li[k];
        }
    /* c^nd det^-1/2 (-2)^[zs] */
    if (erf_rew(Kp, res, c, C, s, nw, nd, prec))
        goto done;
    if (zs >= 0)
        arb_mul_si(res, res, -2, prec);
#define KP(a, b) arb_mat_entry(Kp, a, b)
    if (ne == 2 && zs < 0)
    {
        /* (2/pi) asin(2K'_ab / sqrt((1 + 2K'_aa)(1 + 2K'_bb))) */
        arb_mul_2exp_si(t, KP(es[0], es[0]), 1);
        arb_add_ui(t, t, 1, prec);
        arb_mul_2exp_si(u, KP(es[1], es[1]), 1);
        arb_add_ui(u, u, 1, prec);
        arb_mul(t, t, u, prec);
        arb_rsqrt(t, t, prec);
        arb_mul(t, t, KP(es[0], es[1]), prec);
        arb_mul_2exp_si(t, t, 1);
        arb_asin(t, t, prec);
        arb_const_pi(u, prec);
        arb_div(t, t, u, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_mul(res, res, t, prec);
    }
    else if (ne == 1 && zs >= 0)
    {
        /* K'_(zs a) c (1 + 2K'_aa)^-1/2 */
        arb_mul_2exp_si(t, KP(es[0], es[0]), 1);
        arb_add_ui(t, t, 1, prec);
        arb_rsqrt(t, t, prec);
        arb_mul(t, t, c, prec);
        arb_mul(t, t, KP(zs, es[0]), prec);
        arb_mul(res, res, t, prec);
    }
    else if (ne != 0 || zs >= 0)
        arb_zero(res);   /* odd in z */
#undef KP
done:
    arb_mat_clear(Kp);
    arb_clear(t); arb_clear(u); arb_clear(c);
}

/* E[prod_{m<n} z_(ix_m)] under the covariance Kp (Isserlis), n <= 8 */
static void
isserlis(arb_t res, const arb_mat_t Kp, slong * ix, slong n, slong prec)
{
    slong j, t;
    arb_t v;
    if (n == 0)
    {
        arb_one(res);
        return;
    }
    arb_zero(res);
    if (n % 2)
        return;
    arb_init(v);
    for (j = 1; j < n; j++)
    {
        /* pair ix[0] with ix[j]: the rest are ix[1..n-1] without j */
        t = ix[j]; ix[j] = ix[n - 1]; ix[n - 1] = t;
        isserlis(v, Kp, ix + 1, n - 2, prec);
        t = ix[j]; ix[j] = ix[n - 1]; ix[n - 1] = t;
        arb_addmul(res, v, arb_mat_entry(Kp, ix[0], ix[j]), prec);
    }
    arb_clear(v);
}

/* erf's higher factors (every dv >= 1): erf'' = -2 z erf', erf''' = (4 z^2
   - 2) erf', so after the reweighting E'[prod (-2 z) prod (4 z^2 - 2)], the
   dv = 3 factors expanded and each monomial by Isserlis under K' */
static void
erf_hi(arb_t res, arb_srcptr C, slong s, const slong * li, const int * dv, slong prec)
{
    arb_mat_t Kp;
    slong k, nw[4] = {0, 0, 0, 0}, l2[4], l3[4], n2 = 0, n3 = 0, m, ix[8], n;
    arb_t c, t, v;
    arb_mat_init(Kp, s, s);
    arb_init(c); arb_init(t); arb_init(v);
    for (k = 0; k < 4; k++)
    {
        nw[li[k]]++;
        if (dv[k] == 2)
            l2[n2++] = li[k];
        else if (dv[k] == 3)
            l3[n3++] = li[k];
    }
    if (erf_rew(Kp, res, c, C, s, nw, 4, prec) == 0)
    {
        arb_zero(t);
        for (m = 0; m < (1 << n3); m++)
        {
            /* bit k of m: the 4 z^2 term of the k-th dv = 3 factor, else -2 */
            slong cf = n2 % 2 ? -1 : 1;
            cf <<= n2;
            for (n = 0; n < n2; n++)
                ix[n] = l2[n];
            for (k = 0; k < n3; k++)
                if ((m >> k) & 1)
                {
                    cf *= 4;
                    ix[n++] = l3[k];
                    ix[n++] = l3[k];
                }
                else
                    cf *= -2;
            isserlis(v, Kp, ix, n, prec);
            arb_addmul_si(t, v, cf, prec);
        }
        arb_mul(res, res, t, prec);
    }
    arb_mat_clear(Kp);
    arb_clear(c); arb_clear(t); arb_clear(v);
}

/* ---- sin: exponentials ------------------------------------------------ */

static void
sin_ex(arb_t res, arb_srcptr C, slong s, const slong * li, const int * dv, slong prec)
{
    slong m, k, i, j, ns = 0, neg = 0;
    arb_t e, t;
    arb_zero(res);
    for (k = 0; k < 4; k++)
    {
        ns += dv[k] % 2 == 0;      /* sin, cos, -sin, -cos */
        neg += dv[k] >= 2;
    }
    if (ns % 2)
        return;
    arb_init(e); arb_init(t);
    for (m = 0; m < 16; m++)
    {
        slong w[4] = {0, 0, 0, 0}, c = (ns / 2 + neg) % 2 ? -1 : 1;
        for (k = 0; k < 4; k++)
        {
            slong sg = (m >> k) & 1 ? -1 : 1;
            w[li[k]] += sg;
            if (dv[k] % 2 == 0)
                c *= sg;
        }
        arb_zero(e);
        for (i = 0; i < s; i++)
            for (j = 0; j < s; j++)
                arb_addmul_si(e, C + i * s + j, w[i] * w[j], prec);
        arb_mul_2exp_si(e, e, -1);
        arb_neg(e, e);
        arb_exp(e, e, prec);
        arb_addmul_si(res, e, c, prec);
    }
    arb_mul_2exp_si(res, res, -4);
    arb_clear(e); arb_clear(t);
}

/* ---- tanh, sigmoid: moments by the grid --------------------------------- */

static const slong qtanh[3] = {1, 0, -1}, qsig[3] = {0, 1, -1};

/* the grid's factor rows of the classes c[0..s-1]: the Cholesky factor of
   their kernel (D = s), or at layer 1, when that is not certainly positive
   definite, the inputs themselves (D = d_in + 1 <= 4); -1 (err) if neither */
static int
grid_factor(arb_ptr u, slong * D, ntkm_gauss_struct * g, const slong * c, slong s, char * err,
            size_t errsize)
{
    if (!_neft_onen_vertex4_factor(u, D, c, s, g->K, g->Q, 0, g->xc, g->d_in, g->cw, g->cb,
                                   g->prec))
        return 0;
    if (g->first && !_neft_onen_vertex4_factor(u, D, c, s, g->K, g->Q, 1, g->xc, g->d_in,
                                               g->cw, g->cb, g->prec) && *D <= 4)
        return 0;
    if (s == 2 && arb_is_positive(g->K + c[0] * g->Q + c[0]))
    {
        /* two classes, a kernel nearly singular (inputs nearly equal): the
           Cholesky factor with its last pivot sqrt(det)/sqrt(K_00) by
           arb_sqrtpos (the true det is >= 0), as ntk2.c's pair data */
        arb_struct K2[4];
        K2[0] = g->K[c[0] * g->Q + c[0]];
        K2[1] = K2[2] = g->K[c[0] * g->Q + c[1]];
        K2[3] = g->K[c[1] * g->Q + c[1]];
        _neft_onen_ntk2_chol(u, K2, g->prec);
        *D = 2;
        return 0;
    }
    if (s == 2)
        snprintf(err, errsize, "the kernel of inputs %ld, %ld has no certainly positive "
                 "diagonal", (long) c[0], (long) c[1]);
    else
        snprintf(err, errsize, "the kernel of inputs %ld, %ld, %ld%s is not certainly "
                 "positive definite", (long) c[0], (long) c[1], (long) c[2],
                 s == 4 ? ", .." : "");
    return -1;
}

/* the moment table of the classes c[0..s-1] (s = 3, 4, or 2 for the tests) */
static int
moments(arb_ptr m, ntkm_gauss_struct * g, const slong * c, slong s, char * err,
        size_t errsize)
{
    slong pw[64 * 4], idx[64], np = 0, kmax = s == 4 ? 3 : s == 3 ? 5 : 8, D, v, j, n;
    arb_ptr u = _arb_vec_init(32), res = _arb_vec_init(64);
    arb_t par;
    int odd = g->kind == K_TANH, st = 0;
    arb_init(par);
    if (g->net->act->nparams)
        neft_net_param_arb(par, g->net, g->prec);
    if (grid_factor(u, &D, g, c, s, err, errsize))
    {
        st = -1;
        goto done;
    }
    for (v = 0, n = 1; v < s; v++)
        n *= MB;
    for (v = 0; v < n; v++)
        arb_indeterminate(m + v);
    arb_one(m);
    for (v = 1; v <= n && !st; v++)
    {
        slong k[4] = {0, 0, 0, 0}, tot = 0, w = v, ok = 1;
        if (v < n)
        {
            for (j = 0; j < s; j++)
            {
                k[j] = w % MB;
                w /= MB;
                tot += k[j];
                ok = ok && k[j] <= kmax;
            }
            if (!ok || tot > 8)
                continue;
            if (odd && tot % 2)
            {
                arb_zero(m + v);
                continue;
            }
            for (j = 0; j < s; j++)
                pw[np * s + j] = k[j];
            idx[np++] = v;
        }
        if (np == 64 || (v == n && np > 0))
        {
            st = neft_gaussexp_grid(res, g->net->act, g->net->act->nparams ? par : NULL, u, s,
                                    D, pw, np, D == 4 ? GOAL4 : GOAL3, NULL, err, errsize);
            st = _neft_onen_grid_status(st, g->net, D, err, errsize);
            for (j = 0; j < np && !st; j++)
                arb_set(m + idx[j], res + j);
            np = 0;
        }
    }
done:
    arb_clear(par);
    _arb_vec_clear(u, 32);
    _arb_vec_clear(res, 64);
    return st;
}

static int
poly_ex(arb_t res, ntkm_gauss_struct * g, const slong * c, slong s, const slong * li,
        const int * dv, char * err, size_t errsize)
{
    const slong * q = g->kind == K_TANH ? qtanh : qsig;
    ntk2_poly_t f[4];
    slong i, j, k, n, sb = -1;
    arb_ptr m;
    for (i = 0; i < g->nsub && sb < 0; i++)
    {
        for (j = 0; j < 4 && g->sub[4 * i + j] == (j < s ? c[j] : -1); j++)
            ;
        if (j == 4)
            sb = i;
    }
    if (sb < 0)
    {
        int st;
        g->sub = flint_realloc(g->sub, sizeof(slong) * 4 * (g->nsub + 1));
        g->mom = flint_realloc(g->mom, sizeof(arb_ptr) * (g->nsub + 1));
        sb = g->nsub++;
        g->mom[sb] = _arb_vec_init(MB * MB * MB * MB);
        for (j = 0; j < 4; j++)
            g->sub[4 * sb + j] = j < s ? c[j] : -1;
        st = moments(g->mom[sb], g, c, s, err, errsize);
        if (st)
        {
            g->sub[4 * sb] = -2;    /* never matched again */
            return st;
        }
    }
    m = g->mom[sb];
    for (j = 0; j < 4; j++)
        f[j] = _neft_onen_ntk2_pmono(0);
    for (k = 0; k < 4; k++)
    {
        ntk2_poly_t p = dv[k] == 0 ? _neft_onen_ntk2_pmono(1) : _neft_onen_ntk2_pfac(0, 1, q);
        if (dv[k] == 2)
            p = _neft_onen_ntk2_pder(p, q);
        f[li[k]] = _neft_onen_ntk2_pmul(f[li[k]], p);
    }
    arb_zero(res);
    for (j = 0; j < s; j++)
        if (f[j].bad)
        {
            arb_indeterminate(res);
            return 0;
        }
    for (n = 0; n < MB * MB * MB * MB; n++)
    {
        slong e[4], w = n, cf = 1;
        for (j = 0; j < 4; j++)
        {
            e[j] = w % MB;
            w /= MB;
            if (j >= s && e[j])
                cf = 0;
            else if (j < s)
                cf *= f[j].c[e[j]];
        }
        if (cf == 0)
            continue;
        w = 0;
        for (j = s - 1; j >= 0; j--)
            w = w * MB + e[j];
        arb_addmul_si(res, m + w, cf, g->prec);
    }
    return 0;
}

/* tanh, sigmoid, the higher factors: sigma^(dv) = P_dv(sigma) (P_0 = s,
   P_(d+1) = P_d' q), the product per class of degree <= 10, each monomial
   E[prod_j sigma_j^e_j] by the rigorous 1-D rule (one class) or one grid
   call per 64 (at most 8 per class for two or more classes: the patterns
   allowed put at most three factors on a class) */
#define DH 11
static int
poly_hi(arb_t res, ntkm_gauss_struct * g, const slong * c, slong s, const slong * li,
        const int * dv, char * err, size_t errsize)
{
    const slong * q = g->kind == K_TANH ? qtanh : qsig;
    slong f[4][DH], p[DH], r[DH], i, j, k, n, ntot, np = 0, pw[64 * 4], D;
    slong cf[64], sb;
    arb_ptr u = _arb_vec_init(32), val = _arb_vec_init(64), mo;
    char * hv;
    arb_t par;
    int st = 0, odd = g->kind == K_TANH;
    arb_init(par);
    if (g->net->act->nparams)
        neft_net_param_arb(par, g->net, g->prec);
    memset(f, 0, sizeof f);
    for (j = 0; j < s; j++)
        f[j][0] = 1;
    for (k = 0; k < 4; k++)
    {
        memset(p, 0, sizeof p);
        p[1] = 1;
        for (n = 0; n < dv[k]; n++)
        {
            memset(r, 0, sizeof r);
            for (i = 1; i < DH; i++)
                for (j = 0; j < 3; j++)
                    if (p[i] && i - 1 + j < DH)
                        r[i - 1 + j] += i * p[i] * q[j];
            memcpy(p, r, sizeof p);
        }
        memset(r, 0, sizeof r);
        for (i = 0; i < DH; i++)
            for (j = 0; i + j < DH; j++)
                r[i + j] += f[li[k]][i] * p[j];
        memcpy(f[li[k]], r, sizeof r);
    }
    /* the subset's table of moments (shared by every tuple over it) */
    for (sb = 0; sb < g->nhs; sb++)
    {
        for (j = 0; j < 4 && g->hsub[4 * sb + j] == (j < s ? c[j] : -1); j++)
            ;
        if (j == 4)
            break;
    }
    for (ntot = 1, j = 0; j < s; j++)
        ntot *= DH;
    if (sb == g->nhs)
    {
        g->hsub = flint_realloc(g->hsub, sizeof(slong) * 4 * (g->nhs + 1));
        g->hmom = flint_realloc(g->hmom, sizeof(arb_ptr) * (g->nhs + 1));
        g->hhave = flint_realloc(g->hhave, sizeof(char *) * (g->nhs + 1));
        for (j = 0; j < 4; j++)
            g->hsub[4 * sb + j] = j < s ? c[j] : -1;
        g->hmom[sb] = _arb_vec_init(ntot);
        g->hhave[sb] = flint_calloc(ntot, 1);
        g->nhs++;
    }
    mo = g->hmom[sb];
    hv = g->hhave[sb];
    arb_zero(res);
    if (s >= 2 && grid_factor(u, &D, g, c, s, err, errsize))
        st = -1;
    /* the missing moments first */
    for (n = 0; n <= ntot && !st; n++)
    {
        slong e[4] = {0, 0, 0, 0}, w = n, co = 1, tot = 0;
        if (n < ntot)
        {
            for (j = 0; j < s; j++)
            {
                e[j] = w % DH;
                w /= DH;
                co *= f[j][e[j]];
                tot += e[j];
            }
            if (co == 0 || hv[n])
                continue;
            if (odd && tot % 2)
            {
                arb_zero(mo + n);
                hv[n] = 1;
                continue;
            }
            if (s == 1)
            {
                if (neft_gaussexp_hermite(mo + n, g->net->act, g->net->act->nparams ? par
                                          : NULL, 0, e[0], g->K + c[0] * (g->Q + 1), 0,
                                          g->prec, err, errsize) != NEFT_SUCCESS)
                    st = -1;
                hv[n] = 1;
                continue;
            }
            for (j = 0; j < s; j++)
            {
                if (e[j] > 8)
                {
                    snprintf(err, errsize, "a moment of degree %ld in one input (> 8) for "
                             "the grid", (long) e[j]);
                    st = -1;
                }
                pw[np * s + j] = e[j];
            }
            cf[np++] = n;
        }
        if (!st && np > 0 && (np == 64 || n == ntot))
        {
            st = neft_gaussexp_grid(val, g->net->act, g->net->act->nparams ? par : NULL, u, s,
                                    D, pw, np, D == 4 ? GOAL4 : GOAL3, NULL, err, errsize);
            st = _neft_onen_grid_status(st, g->net, D, err, errsize);
            for (j = 0; j < np && !st; j++)
            {
                arb_set(mo + cf[j], val + j);
                hv[cf[j]] = 1;
            }
            np = 0;
        }
    }
    for (n = 0; n < ntot && !st; n++)
    {
        slong w = n, co = 1;
        for (j = 0; j < s; j++)
        {
            co *= f[j][w % DH];
            w /= DH;
        }
        if (co != 0)
            arb_addmul_si(res, mo + n, co, g->prec);
    }
    arb_clear(par);
    _arb_vec_clear(u, 32);
    _arb_vec_clear(val, 64);
    return st;
}
#undef DH

static int
cmp_slong(const void * a, const void * b)
{
    slong x = *(const slong *) a, y = *(const slong *) b;
    return (x > y) - (x < y);
}

/* the kernel of the s distinct classes c[0 .. s) (an s x s matrix, the
   caller clears it with _arb_vec_clear) and li[k], the place of in[k] in c */
static arb_ptr
sub_kernel(slong * li, const ntkm_gauss_struct * g, const slong * c, slong s, const slong * in)
{
    arb_ptr C = _arb_vec_init(s * s);
    slong i, j, k;
    for (k = 0; k < 4; k++)
        for (li[k] = 0; c[li[k]] != in[k]; li[k]++)
            ;
    for (i = 0; i < s; i++)
        for (j = 0; j < s; j++)
            arb_set(C + i * s + j, g->K + c[i] * g->Q + c[j]);
    return C;
}

/* the higher factors (ntkm.h), memoised in g->xkey, g->xval */
static int
ex4_hi(arb_t res, ntkm_gauss_struct * g, const slong * in, const int * dv, char * err,
       size_t errsize)
{
    slong code[4], Q = g->Q, n = 4 * Q, key, k, c[4], s = 0, li[4], n2 = 0, n3 = 0;
    arb_ptr C;
    int st = 0;
    for (k = 0; k < 4; k++)
    {
        if (dv[k] < 1 || dv[k] > 3)
            n3 = 99;
        n2 += dv[k] == 2;
        n3 += dv[k] == 3;
        code[k] = 4 * in[k] + dv[k];
    }
    if (!((n2 == 2 && n3 == 0) || (n2 == 0 && n3 == 1)))
    {
        snprintf(err, errsize, "four-factor expectation: derivative orders %d, %d, %d, %d "
                 "are not provided", dv[0], dv[1], dv[2], dv[3]);
        return -1;
    }
    qsort(code, 4, sizeof(slong), cmp_slong);
    key = ((code[0] * n + code[1]) * n + code[2]) * n + code[3];
    for (k = 0; k < g->xn; k++)
        if (g->xkey[k] == key)
        {
            arb_set(res, g->xval + k);
            return 0;
        }
    for (k = 0; k < 4; k++)
        if (k == 0 || code[k] / 4 != code[k - 1] / 4)
            c[s++] = code[k] / 4;
    C = sub_kernel(li, g, c, s, in);
    if (neft_interrupted())
        st = NEFT_INTERRUPTED;
    else if (g->kind == K_PL)
        arb_zero(res);          /* sigma'' = sigma''' = 0 away from the kink */
    else if (g->kind == K_SIN)
        sin_ex(res, C, s, li, dv, g->prec);
    else if (g->kind == K_ERF)
        erf_hi(res, C, s, li, dv, g->prec);
    else
        st = poly_hi(res, g, c, s, li, dv, err, errsize);
    _arb_vec_clear(C, s * s);
    if (st == 0 && !arb_is_finite(res))
    {
        snprintf(err, errsize, "an expectation of inputs %ld, .. is not finite", (long) c[0]);
        st = -1;
    }
    if (st == 0)
    {
        if (g->xn == g->xa)
        {
            slong na = FLINT_MAX(64, 2 * g->xa);
            g->xkey = flint_realloc(g->xkey, sizeof(slong) * na);
            g->xval = flint_realloc(g->xval, sizeof(arb_struct) * na);
            for (k = g->xa; k < na; k++)
                arb_init(g->xval + k);
            g->xa = na;
        }
        g->xkey[g->xn] = key;
        arb_set(g->xval + g->xn++, res);
    }
    return st;
}

/* ---- the dispatcher ------------------------------------------------------ */

/* from the pair data: at most two distinct classes c0 < c1 (c1 = -1: one) */
static void
pair_ex(arb_t res, const ntkm_gauss_struct * g, const slong * in, const int * dv, slong c0,
        slong c1)
{
    slong Q = g->Q, o, k;
    int loc[4], a[2] = {0, 0}, b[2] = {0, 0}, nd2 = 0, off;
    const ntk2_gauss_struct * p;
    if (c1 < 0)
    {
        /* one class: a pair containing it, at its position */
        o = c0 == 0 ? 1 : 0;
        p = g->pr + (c0 < o ? c0 * Q + o : o * Q + c0);
        off = c0 < o ? 0 : 1;
    }
    else
    {
        p = g->pr + c0 * Q + c1;
        off = 0;
    }
    for (k = 0; k < 4; k++)
    {
        loc[k] = c1 < 0 ? off : in[k] == c0 ? 0 : 1;
        if (dv[k] == 0)
            a[loc[k]]++;
        else
            b[loc[k]]++;
        nd2 += dv[k] == 2;
    }
    if (b[0] + b[1] == 0)
    {
        /* <sigma^4>: f4[P][Q] by the count at the first input */
        static const int f4p[5][2] = {{2, 2}, {1, 2}, {0, 2}, {0, 1}, {0, 0}};
        arb_set(res, p->f4[f4p[a[0]][0]][f4p[a[0]][1]]);
        return;
    }
    if (nd2 == 0)
    {
        arb_set(res, p->mix + NTK2_MIXI(a[0], b[0], a[1], b[1]));
        return;
    }
    {
        /* y: sigma' sigma'' sigma' sigma, index 8 b(s') + 4 b(s'') + 2 b(s') + b(s) */
        int bits[4], nb = 0, i2 = 0, i0 = 0;
        for (k = 0; k < 4; k++)
            if (dv[k] == 1)
                bits[nb++] = loc[k];
            else if (dv[k] == 2)
                i2 = loc[k];
            else
                i0 = loc[k];
        arb_set(res, p->y + 8 * bits[0] + 4 * i2 + 2 * bits[1] + i0);
    }
}

int
_neft_onen_ntkm_ex4(arb_t res, ntkm_gauss_struct * g, const slong * in, const int * dv,
                    int pairs, char * err, size_t errsize)
{
    slong code[4], Q = g->Q, n = 3 * Q, key, k, c[4], s = 0, li[4], i;
    arb_ptr C;
    int st = 0;
    for (k = 0, i = 0; k < 4; k++)
        i += dv[k] == 2 ? 1 : dv[k] == 3 ? 2 : 0;
    if (i >= 2)
        return ex4_hi(res, g, in, dv, err, errsize);
    for (k = 0; k < 4; k++)
        code[k] = 3 * in[k] + dv[k];
    qsort(code, 4, sizeof(slong), cmp_slong);
    for (k = 0; k < 4; k++)
        if (k == 0 || code[k] / 3 != code[k - 1] / 3)
            c[s++] = code[k] / 3;
    if (pairs && s <= 2)
    {
        pair_ex(res, g, in, dv, c[0], s == 2 ? c[1] : -1);
        return 0;
    }
    key = ((code[0] * n + code[1]) * n + code[2]) * n + code[3];
    if (g->have[key])
    {
        arb_set(res, g->memo + key);
        return 0;
    }
    C = sub_kernel(li, g, c, s, in);
    if (neft_interrupted())
        st = NEFT_INTERRUPTED;
    else if (g->kind == K_PL)
    {
        fmpq_t ap, am;
        arb_t sl;
        fmpq_init(ap); fmpq_init(am); arb_init(sl);
        _neft_onen_pl_slopes(ap, am, g->net);
        arb_set_fmpq(sl, am, g->prec);
        st = pl_ex(res, C, s, li, dv, sl, g->prec, err, errsize);
        fmpq_clear(ap); fmpq_clear(am); arb_clear(sl);
    }
    else if (g->kind == K_SIN)
        sin_ex(res, C, s, li, dv, g->prec);
    else if (g->kind == K_ERF && (dv[0] || dv[1] || dv[2] || dv[3]))
        erf_ex(res, C, s, li, dv, g->prec);
    else if (g->kind == K_ERF)
    {
        /* <erf^4>: the grid */
        slong pw[4] = {0, 0, 0, 0}, D;
        arb_ptr u = _arb_vec_init(32);
        for (k = 0; k < 4; k++)
            pw[li[k]]++;
        if (grid_factor(u, &D, g, c, s, err, errsize))
            st = -1;
        else
        {
            st = neft_gaussexp_grid(res, g->net->act, NULL, u, s, D, pw, 1,
                                    D == 4 ? GOAL4 : GOAL3, NULL, err, errsize);
            st = _neft_onen_grid_status(st, g->net, D, err, errsize);
        }
        _arb_vec_clear(u, 32);
    }
    else
        st = poly_ex(res, g, c, s, li, dv, err, errsize);
    _arb_vec_clear(C, s * s);
    if (st == 0 && !arb_is_finite(res))
    {
        snprintf(err, errsize, "an expectation of inputs %ld, %ld, .. is not finite",
                 (long) c[0], (long) c[1]);
        st = -1;
    }
    if (st == 0)
    {
        arb_set(g->memo + key, res);
        g->have[key] = 1;
    }
    return st;
}
