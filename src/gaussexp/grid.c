/* Rigorous Gaussian expectations of products of a bounded analytic
   activation in 2 to 4 dimensions (neft/gaussexp.h, neft_gaussexp_grid):
   the panel rule of src/exact/gridnd.c for an arbitrary factor matrix.

   E_p = int prod_i sigma(u_i . xi)^{k_{p,i}} phi_D(xi) dxi for every product p
   at once.  The cube [-R, R]^D is cut into unit panels (half-width h = 1/2),
   each integrated by an n^D tensor Gauss-Legendre rule; sigma(u_i . xi) is
   computed once per input and node (the row's ball evaluator, 64 bits) and
   every product is formed from its powers, in double intervals
   (src/integrate/ivl.h), summed per panel in intervals and over panels in
   Arb.

   Error of a panel: applying the rule one variable at a time, |I - Q| <=
   sum_j (2h)^(D-1) h (64/15) rho^-2(n-1) / (rho^2 - 1) M_j (Trefethen, SIAM
   Review 50 (2008), Thm 4.5), M_j = sup |f| with xi_j on the Bernstein
   ellipse of its side and the other variables real on theirs; |f| <=
   prod_i S_{j,i}^{k_i} G_j with S_{j,i} the sup of |sigma| over the complex
   box that u_i . xi covers there (one ball evaluation of the row with
   holomorphy certified) and G_j = e^{(b^2 - sum_l d_l^2)/2} / (2 pi)^{D/2}
   (b the ellipse's imaginary half-width, d_l the distances of the real
   ranges to 0).  A panel whose whole mass is below its share of the goal is
   bounded, not integrated.  Outside the ball |xi| <= Rb the declared bound
   |sigma| <= sup gives the tail sup^k P(chi_D > Rb) in closed form.  A
   declared parity halves the space (xi_D > 0, doubled); with an odd row a
   product of odd degree is exactly 0. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/gaussexp.h"
#include "neft/interrupt.h"
#include "../integrate/ivl.h"
#include "../integrate/gl.h"
#include "../exact/exact-internal.h"
#include "tail.h"
#include "../exact/gridrule.h"

#define H 0.5
#define EVAL_PREC 64
#define NRHO 5
#define MAXD 4
#define MAXM 8
#define MAXK 8
#define MAXP 2    /* growth |sigma| <= a + b |z|^p: p <= MAXP */
#define MAXW 4    /* degree of a polynomial weight */
#define WN ((MAXW + 1) * (MAXW + 1))

static const double rhos[NRHO] = {1.6, 2.2, 3, 4.5, 7};

static double
pow_up(double s, slong k)
{
    double p = 1;
    for (; k > 0; k--)
        p = _up_mul(p, s);
    return p;
}

/* 1 if the row is unbounded but declares |sigma(z)| <= a + b |z|^p, p <= MAXP */
static int
grows(neft_act_srcptr act)
{
    return !(act->flags & NEFT_ACT_BOUNDED) && (act->flags & NEFT_ACT_GROWTH)
        && act->growth_p >= 0 && act->growth_p <= MAXP && act->growth_a >= 0
        && act->growth_b >= 0 && act->growth_a < INFINITY && act->growth_b < INFINITY;
}

/* an upper bound of a + b m^p (m >= 0) */
static double
growth_up(neft_act_srcptr act, double m)
{
    return _up_add(act->growth_a, _up_mul(act->growth_b, pow_up(m, act->growth_p)));
}

/* Upper bounds of E[prod_i B_i(|xi|)^{k_i}; |xi| > Rb] for every product
   (tail[p]), B_i(r) = a + b (nu_i r)^p the growth bound of factor i (nu_i >=
   |u_i|) and xi standard normal in D dimensions: the polynomial in r times
   the chi_D density r^{D-1} e^{-r^2/2} / (2^{D/2-1} Gamma(D/2)), integrated
   term by term with the exact incomplete Gamma integrals (tail.h). */
static void
growth_tail(double * tail, neft_act_srcptr act, const double * nu, slong m, slong D,
            const slong * pw, slong nprod, double Rb, const double * wmaj, slong wdeg)
{
    slong p, i, e, j, deg, gp = act->flags & NEFT_ACT_BOUNDED ? 0 : act->growth_p;
    double ga = act->flags & NEFT_ACT_BOUNDED ? act->sup : act->growth_a,
        gb = act->flags & NEFT_ACT_BOUNDED ? 0 : act->growth_b;
    arb_t R, t, norm, sum;
    arb_ptr c = _arb_vec_init(MAXM * MAXK * MAXP + 2 * MAXW + 1),
        nc = _arb_vec_init(MAXM * MAXK * MAXP + 2 * MAXW + 1);
    arf_t u;
    arb_init(R); arb_init(t); arb_init(norm); arb_init(sum); arf_init(u);
    arb_set_d(R, Rb);
    /* 2^{D/2-1} Gamma(D/2) */
    arb_set_ui(t, (ulong) D);
    arb_mul_2exp_si(t, t, -1);
    arb_gamma(norm, t, 64);
    arb_set_ui(t, 2);
    {
        arb_t h;
        arb_init(h);
        arb_set_si(h, D - 2);
        arb_mul_2exp_si(h, h, -1);
        arb_pow(t, t, h, 64);
        arb_clear(h);
    }
    arb_mul(norm, norm, t, 64);
    for (p = 0; p < nprod; p++)
    {
        /* c(r) = prod_i (a + b nu_i^p r^p)^{k_i}, coefficients in r */
        deg = 0;
        arb_one(c);
        for (i = 0; i < m; i++)
            for (e = 0; e < pw[p * m + i]; e++)
            {
                arb_t aa, bb;
                arb_init(aa); arb_init(bb);
                arb_set_d(aa, ga);
                arb_set_d(bb, gb);
                arb_set_d(t, pow_up(nu[i], gp));
                arb_mul(bb, bb, t, 64);
                for (j = 0; j <= deg + gp; j++)
                    arb_zero(nc + j);
                for (j = 0; j <= deg; j++)
                {
                    arb_addmul(nc + j, c + j, aa, 64);
                    arb_addmul(nc + j + gp, c + j, bb, 64);
                }
                deg += gp;
                _arb_vec_set(c, nc, deg + 1);
                arb_clear(aa); arb_clear(bb);
            }
        if (wmaj != NULL)
        {
            /* times sum_k wmaj[p][k] r^k >= |W_p(xi)| */
            for (j = 0; j <= deg + 2 * wdeg; j++)
                arb_zero(nc + j);
            for (j = 0; j <= deg; j++)
                for (e = 0; e <= 2 * wdeg; e++)
                {
                    arb_set_d(t, wmaj[p * (2 * MAXW + 1) + e]);
                    arb_addmul(nc + j + e, c + j, t, 64);
                }
            deg += 2 * wdeg;
            _arb_vec_set(c, nc, deg + 1);
        }
        arb_zero(sum);
        for (j = 0; j <= deg; j++)
        {
            _neft_gaussexp_tail_moment(t, R, j + D - 1, 64);
            arb_addmul(sum, c + j, t, 64);
        }
        arb_div(sum, sum, norm, 64);
        arb_get_ubound_arf(u, sum, 64);
        tail[p] = arf_get_d(u, ARF_RND_UP);
        if (!(tail[p] >= 0))
            tail[p] = INFINITY;
    }
    _arb_vec_clear(c, MAXM * MAXK * MAXP + 2 * MAXW + 1);
    _arb_vec_clear(nc, MAXM * MAXK * MAXP + 2 * MAXW + 1);
    arb_clear(R); arb_clear(t); arb_clear(norm); arb_clear(sum); arf_clear(u);
}

int
neft_gaussexp_grid_applies(neft_act_srcptr act, char * err, size_t errsize)
{
    if (act == NULL || act->eval_acb == NULL
        || !((act->flags & NEFT_ACT_BOUNDED) || grows(act))
        || act->singular == NEFT_ACT_SINGULAR_KINK || !_neft_ivl_usable())
    {
        snprintf(err, errsize, "%s: the 3- and 4-dimensional Gaussian rule needs an analytic "
                 "row with a declared bound (|sigma| <= sup, or <= a + b |z|^p with p <= %d; "
                 "no kink)", act != NULL ? act->name : "(no row)", MAXP);
        return 0;
    }
    return 1;
}

/* sum_{i,j} |w_ij| x^i y^j rounded up (w: (wdeg+1)^2 doubles |w_ij| rounded up) */
static double
wsup(const double * w, slong wdeg, double x, double y)
{
    double r = 0, xi = 1;
    slong i, j;
    for (i = 0; i <= wdeg; i++)
    {
        double yj = 1;
        for (j = 0; i + j <= wdeg; j++)
        {
            r = _up_add(r, _up_mul(w[i * (wdeg + 1) + j], _up_mul(xi, yj)));
            yj = _up_mul(yj, y);
        }
        xi = _up_mul(xi, x);
    }
    return r;
}

static int
grid_run(arb_ptr res, neft_act_srcptr act, arb_srcptr par, arb_srcptr u, slong m, slong D,
         const slong * pw, slong nprod, arb_srcptr wt, slong wdeg, slong goal_bits,
         slong * nodes, char * err, size_t errsize)
{
    slong i, j, k, p, q, R, side, npan, pan, maxk = 0, inside = 0, qi[MAXD];
    slong kdeg[64];
    int status = NEFT_SUCCESS, half = act->parity == 1 || act->parity == -1;
    double sup = act->sup, tol, tpan, tp, gsum = 0, Rb, scale = 1;
    ivl A[MAXM * MAXD], * Z = NULL, W[MAXD * GL_NMAX], pacc[64], spow[MAXM][MAXK + 1];
    ivl XN[2 * GL_NMAX], xp[2][MAXW + 1];
    double errs[64], S[MAXD][MAXM], nu[MAXM], tails[64];
    double * wabs = NULL, * wmaj = NULL;
    ivl * wiv = NULL;
    int gr = grows(act);
    arb_t t;
    arb_ptr acc;
    acb_t z, v;
    slong hi[MAXM], mod[MAXM];
    ivl * sv[MAXM];

    if (nodes != NULL)
        *nodes = 0;
    if (m < 1 || m > MAXM || D < 2 || D > MAXD || nprod < 1 || nprod > 64 || goal_bits < 8
        || goal_bits > 40)
    {
        snprintf(err, errsize, "neft_gaussexp_grid: sizes out of range");
        return NEFT_BAD_INPUT;
    }
    if (!neft_gaussexp_grid_applies(act, err, errsize))
        return NEFT_UNSUPPORTED;
    for (p = 0; p < nprod; p++)
    {
        kdeg[p] = 0;
        for (i = 0; i < m; i++)
        {
            if (pw[p * m + i] < 0 || pw[p * m + i] > MAXK)
            {
                snprintf(err, errsize, "neft_gaussexp_grid: exponent out of range");
                return NEFT_BAD_INPUT;
            }
            kdeg[p] += pw[p * m + i];
            maxk = FLINT_MAX(maxk, pw[p * m + i]);
        }
    }
    if (wt != NULL)
    {
        /* |w_ij| rounded up, the weight's radial majorant, the weights as intervals;
           a weight of odd or mixed parity forbids halving the space */
        wabs = flint_calloc(nprod * WN, sizeof(double));
        wmaj = flint_calloc(nprod * (2 * MAXW + 1), sizeof(double));
        wiv = flint_malloc(sizeof(ivl) * nprod * WN);
        half = 0;
        for (p = 0; p < nprod; p++)
            for (i = 0; i <= wdeg; i++)
                for (j = 0; i + j <= wdeg; j++)
                {
                    arb_srcptr c = wt + p * (wdeg + 1) * (wdeg + 1) + i * (wdeg + 1) + j;
                    ivl ci = _neft_ivl_set_arb(c);
                    if (!ivl_is_finite(ci))
                    {
                        snprintf(err, errsize, "neft_gaussexp_grid_poly: a weight is not finite");
                        flint_free(wabs); flint_free(wmaj); flint_free(wiv);
                        return NEFT_FAILURE;
                    }
                    wiv[p * WN + i * (wdeg + 1) + j] = ci;
                    wabs[p * WN + i * (wdeg + 1) + j] = ivl_mag(ci);
                    wmaj[p * (2 * MAXW + 1) + i + j]
                        = _up_add(wmaj[p * (2 * MAXW + 1) + i + j], ivl_mag(ci));
                }
    }
    for (i = 0; i < m; i++)
        for (j = 0; j < D; j++)
        {
            A[i * MAXD + j] = _neft_ivl_set_arb(u + i * D + j);
            if (!ivl_is_finite(A[i * MAXD + j]))
            {
                snprintf(err, errsize, "neft_gaussexp_grid: a factor is not finite");
                flint_free(wabs); flint_free(wmaj); flint_free(wiv);
                return NEFT_FAILURE;
            }
        }
    /* the last axis each input depends on */
    for (i = 0; i < m; i++)
    {
        hi[i] = 0;
        for (j = 0; j < D; j++)
            if (!arb_is_zero(u + i * D + j))
                hi[i] = j;
    }
    /* nu_i >= |u_i|: the growth bound's radius factor */
    for (i = 0; i < m; i++)
    {
        double s2 = 0;
        for (j = 0; j < D; j++)
        {
            double a = ivl_mag(A[i * MAXD + j]);
            s2 = _up_add(s2, _up_mul(a, a));
        }
        nu[i] = _up_mul(sqrt(s2), 1 + 1e-15);
    }
    for (p = 0; p < nprod; p++)
    {
        double sc = 1;
        if (gr)
            for (i = 0; i < m; i++)
                sc = _up_mul(sc, pow_up(FLINT_MAX(1, growth_up(act, nu[i])), pw[p * m + i]));
        else
            sc = pow_up(sup > 1 ? sup : 1, kdeg[p]);
        if (wt != NULL)
            sc = _up_mul(sc, FLINT_MAX(1, wsup(wabs + p * WN, wdeg, 1, 1)));
        scale = FLINT_MAX(scale, sc);
    }
    tol = ldexp(scale, (int) -goal_bits);
    /* the ball |xi| <= Rb outside which every product's tail is below tol / 8 */
    for (Rb = 3; ; Rb += 0.25)
    {
        double P = gr || wt != NULL ? 0 : _neft_exact_chi_tail_up(Rb, D), mx = 0;
        if (gr || wt != NULL)
            growth_tail(tails, act, nu, m, D, pw, nprod, Rb, wmaj, wdeg);
        for (p = 0; p < nprod; p++)
        {
            if (!gr && wt == NULL)
                tails[p] = _up_mul(pow_up(sup, kdeg[p]), P);
            mx = FLINT_MAX(mx, tails[p]);
        }
        if (mx <= tol / 8)
            break;
        if (Rb > 40)
        {
            snprintf(err, errsize, "%s: no tail bound below the goal", act->name);
            flint_free(wabs); flint_free(wmaj); flint_free(wiv);
            return NEFT_FAILURE;
        }
    }
    inside = _neft_exact_panel_grid(&R, &npan, &gsum, Rb, D, half);
    side = 2 * R;
    /* each panel's share of the goal: tol/8 evenly plus tol/8 in proportion to
       its Gaussian mass (the central panels need the most nodes) */
    tpan = tol / (8.0 * (double) (inside > 0 ? inside : 1));

    arb_init(t); acb_init(z); acb_init(v);
    acc = _arb_vec_init(nprod);
    Z = flint_malloc(sizeof(ivl) * MAXD * MAXM * GL_NMAX);
    for (i = 0; i < m; i++)
        sv[i] = NULL;
    for (p = 0; p < nprod; p++)
        errs[p] = 0;

    for (pan = 0; pan < npan && status == NEFT_SUCCESS; pan++)
    {
        double c[MAXD] = {0, 0, 0, 0}, Gj[MAXD], Sbest[MAXD][MAXM], best_rho = 0, g0, dd = 0;
        double Sr[MAXM], pm[64], Wm[NRHO][MAXD][2];
        slong bestk = 0;
        ivl X[MAXD];
        slong rem = pan, bestn = WORD_MAX, nn, tot;
        int pass;
        const _neft_gl_struct * gl;
        double mass = 0;

        if (neft_interrupted())
        {
            status = NEFT_INTERRUPTED;
            break;
        }
        for (j = 0; j < D; j++)
        {
            c[j] = -R + (double) (rem % side) + 0.5;
            rem /= side;
        }
        if (half)
            c[D - 1] += R;
        for (j = 0; j < D; j++)
        {
            double dj;
            X[j] = ivl_set(c[j] - H, c[j] + H);
            dj = _neft_exact_dist_dn(X[j]);
            dd = _ivl_dn(dd + _ivl_dn(dj * dj));
        }
        if (dd >= Rb * Rb)
            continue;
        g0 = _neft_exact_exp_norm_up(-0.5 * dd, D);
        tp = tpan + tol / 8.0 * exp(-0.5 * dd) / gsum * 0.999;
        /* |sigma(u_i . xi)| <= Sr[i] on the real panel (volume 1) */
        for (i = 0; i < m; i++)
        {
            ivl zr = ivl_pt(0);
            slong l;
            if (!gr)
            {
                Sr[i] = sup;
                continue;
            }
            for (l = 0; l < D; l++)
                zr = ivl_add(zr, ivl_mul(A[i * MAXD + l], X[l]));
            Sr[i] = growth_up(act, ivl_mag(zr));
        }
        for (p = 0; p < nprod; p++)
        {
            pm[p] = g0;
            for (i = 0; i < m; i++)
                pm[p] = _up_mul(pm[p], pow_up(Sr[i], pw[p * m + i]));
            if (wt != NULL)
                pm[p] = _up_mul(pm[p], wsup(wabs + p * WN, wdeg, ivl_mag(X[0]), ivl_mag(X[1])));
            mass = FLINT_MAX(mass, pm[p]);
        }
        if (mass <= tp)
        {
            for (p = 0; p < nprod; p++)
                errs[p] = _up_add(errs[p], pm[p]);
            continue;
        }
        /* a second pass only where the first finds no rule: the complex boxes'
           sups by pieces (_neft_exact_sup_box_split), for a wide argument */
        for (pass = 0; pass < 2 && bestn == WORD_MAX; pass++)
        for (k = 0; k < NRHO; k++)
        {
            double rho = rhos[k], a, b, Wsum = 0, Gk[MAXD];
            slong n;
            int ok = 1;
            a = _up_mul(H, _up_add(rho, 1 / rho) / 2) * (1 + 1e-15);
            b = _up_mul(H, (rho - 1 / rho) / 2) * (1 + 1e-15);
            for (j = 0; j < D && ok; j++)
            {
                double worst = 0, dj2 = 0;
                ivl Y = ivl_set(_ivl_dn(c[j] - a), _ivl_up(c[j] + a));
                slong l;
                for (i = 0; i < m && ok; i++)
                {
                    ivl zr = ivl_pt(0);
                    for (l = 0; l < D; l++)
                        zr = ivl_add(zr, ivl_mul(A[i * MAXD + l], l == j ? Y : X[l]));
                    S[j][i] = (pass ? _neft_exact_sup_box_split : _neft_exact_sup_box)
                        (act, par, zr, _up_mul(ivl_mag(A[i * MAXD + j]), b));
                    if (!(S[j][i] < INFINITY))
                        ok = 0;
                }
                for (l = 0; l < D; l++)
                {
                    double di = _neft_exact_dist_dn(l == j ? Y : X[l]);
                    dj2 = _ivl_dn(dj2 + _ivl_dn(di * di));
                }
                if (!ok)
                    break;
                Gk[j] = _neft_exact_exp_norm_up(0.5 * (_up_mul(b, b) - dj2), D);
                /* |xi_0|, |xi_1| on this axis' ellipse and the other panels */
                Wm[k][j][0] = j == 0 ? _up_add(fabs(c[0]), a) : ivl_mag(X[0]);
                Wm[k][j][1] = j == 1 ? _up_add(fabs(c[1]), a) : ivl_mag(X[1]);
                for (p = 0; p < nprod; p++)
                {
                    double e = Gk[j];
                    for (i = 0; i < m; i++)
                        e = _up_mul(e, pow_up(S[j][i], pw[p * m + i]));
                    if (wt != NULL)
                        e = _up_mul(e, wsup(wabs + p * WN, wdeg, Wm[k][j][0], Wm[k][j][1]));
                    worst = FLINT_MAX(worst, e);
                }
                Wsum = _up_add(Wsum, worst);
            }
            if (!ok)
                continue;
            {
                double g = log(32.0 / 15.0 * Wsum / ((rho * rho - 1) * tp)) / (2 * log(rho));
                if (!(g <= GL_NMAX))
                    continue;
                n = g > GL_NMIN ? (slong) ceil(g) : GL_NMIN;
            }
            while (n <= GL_NMAX && _up_mul(_neft_exact_gl_factor(rho, n), Wsum) > tp)
                n++;
            if (n > GL_NMAX || n >= bestn)
                continue;
            bestn = n;
            best_rho = rho;
            bestk = k;
            memcpy(Sbest, S, sizeof S);
            memcpy(Gj, Gk, sizeof(double) * D);
        }
        if (bestn == WORD_MAX)
        {
            snprintf(err, errsize, "%s: no Gauss-Legendre panel rule reaches the goal near "
                     "the panel centred at (%g, %g, ..)", act->name, c[0], c[1]);
            status = NEFT_FAILURE;
            break;
        }
        {
            double K = _neft_exact_gl_factor(best_rho, bestn);
            for (p = 0; p < nprod; p++)
                for (j = 0; j < D; j++)
                {
                    double e = Gj[j];
                    for (i = 0; i < m; i++)
                        e = _up_mul(e, pow_up(Sbest[j][i], pw[p * m + i]));
                    if (wt != NULL)
                        e = _up_mul(e, wsup(wabs + p * WN, wdeg, Wm[bestk][j][0],
                                            Wm[bestk][j][1]));
                    errs[p] = _up_add(errs[p], _up_mul(K, e));
                }
        }
        gl = _neft_gl(bestn, EVAL_PREC);
        if (gl == NULL)
        {
            status = NEFT_FAILURE;
            snprintf(err, errsize, "no Gauss-Legendre rule of %ld nodes", (long) bestn);
            break;
        }
        nn = gl->n;
        for (j = 0; j < D; j++)
            for (q = 0; q < nn; q++)
            {
                ivl xi = _neft_exact_gl_node(W + j * GL_NMAX + q, c[j], gl, q, t);
                if (j < 2)
                    XN[j * GL_NMAX + q] = xi;
                for (i = 0; i < m; i++)
                    Z[(j * MAXM + i) * GL_NMAX + q] = ivl_mul(A[i * MAXD + j], xi);
            }
        for (p = 0; p < nprod; p++)
            pacc[p] = ivl_pt(0);
        tot = 1;
        for (j = 0; j < D; j++)
            tot *= nn;
        /* sigma(u_i . xi) on the sub-grid of the axes 0..hi_i it depends on
           (a triangular factor: nn + nn^2 + .. evaluations, not m nn^D) */
        for (i = 0; i < m && status == NEFT_SUCCESS; i++)
        {
            slong sub = 1, sidx;
            for (j = 0; j <= hi[i]; j++)
                sub *= nn;
            sv[i] = flint_realloc(sv[i], sizeof(ivl) * sub);
            for (sidx = 0; sidx < sub; sidx++)
            {
                slong r = sidx;
                ivl zz = ivl_pt(0);
                for (j = 0; j <= hi[i]; j++)
                {
                    zz = ivl_add(zz, Z[(j * MAXM + i) * GL_NMAX + r % nn]);
                    r /= nn;
                }
                if ((sidx & 1023) == 0 && neft_interrupted())
                {
                    status = NEFT_INTERRUPTED;
                    break;
                }
                _neft_ivl_get_arb(acb_realref(z), zz);
                arb_zero(acb_imagref(z));
                if (act->eval_acb(v, z, par, 0, 0, EVAL_PREC) != NEFT_ACT_SUCCESS)
                    acb_indeterminate(v);
                sv[i][sidx] = _neft_ivl_set_arb(acb_realref(v));
                if (!ivl_is_finite(sv[i][sidx]))
                    status = NEFT_FAILURE;
            }
            mod[i] = sub;
        }
        for (q = 0; q < tot && status == NEFT_SUCCESS; q++)
        {
            slong r = q;
            ivl w = ivl_pt(1);
            for (j = 0; j < D; j++)
            {
                qi[j] = r % nn;
                r /= nn;
                w = ivl_mul(w, W[j * GL_NMAX + qi[j]]);
            }
            if ((q & 1023) == 0 && neft_interrupted())
            {
                status = NEFT_INTERRUPTED;
                break;
            }
            for (i = 0; i < m; i++)
            {
                spow[i][0] = ivl_pt(1);
                spow[i][1] = sv[i][q % mod[i]];
                for (k = 2; k <= maxk; k++)
                    spow[i][k] = ivl_mul(spow[i][k - 1], spow[i][1]);
            }
            if (wt != NULL)
                for (j = 0; j < 2; j++)
                {
                    xp[j][0] = ivl_pt(1);
                    for (k = 1; k <= wdeg; k++)
                        xp[j][k] = ivl_mul(xp[j][k - 1], XN[j * GL_NMAX + qi[j]]);
                }
            for (p = 0; p < nprod; p++)
            {
                ivl f = w;
                for (i = 0; i < m; i++)
                    if (pw[p * m + i] > 0)
                        f = ivl_mul(f, spow[i][pw[p * m + i]]);
                if (wt != NULL)
                {
                    ivl wv = ivl_pt(0);
                    slong a, b;
                    for (a = 0; a <= wdeg; a++)
                        for (b = 0; a + b <= wdeg; b++)
                            if (wabs[p * WN + a * (wdeg + 1) + b] != 0)
                                wv = ivl_add(wv, ivl_mul(wiv[p * WN + a * (wdeg + 1) + b],
                                                         ivl_mul(xp[0][a], xp[1][b])));
                    f = ivl_mul(f, wv);
                }
                pacc[p] = ivl_add(pacc[p], f);
            }
        }
        if (nodes != NULL)
            *nodes += tot;
        if (status == NEFT_FAILURE)
            snprintf(err, errsize, "%s: a value at a quadrature node is not finite", act->name);
        if (status != NEFT_SUCCESS)
            break;
        for (p = 0; p < nprod; p++)
        {
            _neft_ivl_get_arb(t, pacc[p]);
            arb_add(acc + p, acc + p, t, 128);
        }
    }
    if (status == NEFT_SUCCESS && neft_interrupted())
        status = NEFT_INTERRUPTED;
    if (status == NEFT_INTERRUPTED)
        snprintf(err, errsize, "interrupted while computing Gaussian expectations");
    for (p = 0; p < nprod; p++)
    {
        if (status != NEFT_SUCCESS)
        {
            arb_indeterminate(res + p);
            continue;
        }
        if (act->parity == -1 && kdeg[p] % 2 && wt == NULL)
        {
            arb_zero(res + p);
            continue;
        }
        arb_set(res + p, acc + p);
        if (half)
            arb_mul_2exp_si(res + p, res + p, 1);
        arb_set_d(t, _up_add(half ? ldexp(errs[p], 1) : errs[p], tails[p]));
        arb_add_error(res + p, t);
    }
    flint_free(Z);
    flint_free(wabs); flint_free(wmaj); flint_free(wiv);
    for (i = 0; i < m; i++)
        flint_free(sv[i]);
    _arb_vec_clear(acc, nprod);
    arb_clear(t); acb_clear(z); acb_clear(v);
    return status;
}

int
neft_gaussexp_grid(arb_ptr res, neft_act_srcptr act, arb_srcptr par, arb_srcptr u, slong m,
                   slong D, const slong * pw, slong nprod, slong goal_bits, slong * nodes,
                   char * err, size_t errsize)
{
    return grid_run(res, act, par, u, m, D, pw, nprod, NULL, 0, goal_bits, nodes, err,
                    errsize);
}

int
neft_gaussexp_grid_poly(arb_ptr res, neft_act_srcptr act, arb_srcptr par, arb_srcptr u,
                        slong m, slong D, const slong * pw, slong nprod, arb_srcptr w,
                        slong deg, slong goal_bits, slong * nodes, char * err, size_t errsize)
{
    if (deg < 0 || deg > MAXW || w == NULL)
    {
        if (nodes != NULL)
            *nodes = 0;
        snprintf(err, errsize, "neft_gaussexp_grid_poly: weight degree out of range");
        return NEFT_BAD_INPUT;
    }
    return grid_run(res, act, par, u, m, D, pw, nprod, w, deg, goal_bits, nodes, err, errsize);
}
