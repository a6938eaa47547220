/* All Gaussian moments of one spec from one quadrature rule (d_in = 1,
 * sigma_b > 0, a smooth integrated row).
 *
 * z(x_i) = sb xi_1 + sw x_i xi_2 with xi standard normal in the plane, so
 * every M_k(x_idx) = int prod_a sigma(z(x_{idx_a})) phi(xi_1) phi(xi_2) dxi.
 * The square [-R, R]^2 is cut into panels of side 2h = 1, each integrated by
 * an n x n tensor Gauss-Legendre rule (src/integrate/gl.h).  The activation's
 * values at the nodes are computed once per input (the row's ball evaluator,
 * 64 bits) and every tuple's integrand is a product of them: the products
 * run along the tuple tree (one double-interval multiplication per tree node
 * and quadrature node, src/integrate/ivl.h), summed per row of nodes and per
 * panel in intervals, over panels in Arb.
 *
 * Error of a panel (half-width h, the rule exact to degree 2n - 1): for f
 * holomorphic in the Bernstein ellipse E_rho of each variable (the other one
 * real on the panel), |I - Q| <= 2 h^2 K (M1 + M2), K = (64/15) rho^{-2(n-1)} /
 * (rho^2 - 1) (Trefethen, SIAM Review 50 (2008), Thm 4.5, applied to the
 * inner integral and to each line of nodes), M1 = sup |f| over (c1 + h E_rho)
 * x [c2 - h, c2 + h], M2 likewise.  |f| <= prod_a S_{idx_a} G with S_i the
 * sup of |sigma| over the rectangle that z(x_i) covers there and G the sup
 * of |phi phi|: exactly e^{(beta^2 - d1^2 - d2^2)/2} / (2 pi), d the
 * distances of the real ranges to 0.  The S_i come from a table of sup
 * |sigma| over cells of side 1/8 of the complex plane, each a ball
 * evaluation of the row with holomorphy certified (a pole or branch point in
 * a cell makes it infinite), shared by all panels and inputs; sigma is real
 * on the real line, so |sigma(conj z)| = |sigma(z)| and only Im z >= 0 is
 * tabulated.  rho is chosen per panel among a few values and n from the
 * worst tuple; each tuple's own bound (its product of S) is what its ball
 * gets.  A panel whose whole mass (4 h^2 prod S G on the real panel) is
 * below its share of the goal is not integrated: that bound is added
 * instead.  Outside [-R, R]^2 (outside the disk of radius R) the row's
 * declared bound |sigma| <= A + B |z|^p gives the tail, as in neft/gaussexp.h.
 * A row with a declared parity has even integrands for every even tuple:
 * only the half plane xi_1 > 0 is integrated, and doubled.  A moment whose
 * ball is dominated by the rule's bound gets a second pass with a lower
 * goal; one dominated by the rounding of the intervals (a small moment, a
 * sum with cancellation) is summed again in Arb at 128 bits (arb_fixup). */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/act.h"
#include "neft/interrupt.h"
#include "../integrate/ivl.h"
#include "../integrate/gl.h"
#include "../gaussexp/tail.h"
#include "../cost.h"
#include "gridrule.h"

#define CELL 0.125      /* side of the cells of the sup table */
#define H 0.5           /* half-width of a panel */
#define EVAL_PREC 64    /* the row's values at the nodes */
#define NRHO 7
#define ARB_PREC 128    /* the Arb pass for cancelling moments */

static const double rhos[NRHO] = {1.5, 2, 2.5, 3, 4, 6, 9};

/* ------------------------------------------------------------ sup table */

typedef struct
{
    neft_act_srcptr act;
    arb_srcptr par;
    slong j0, ncol, nrow;
    double ** v;         /* v[j][m]: sup |sigma| over cells (j, 0..m); a column is
                            allocated when first asked for */
    slong * filled;      /* rows computed in column j */
}
suptab;

static double
cell_sup(const suptab * T, slong j, slong m)
{
    acb_t z, s;
    arb_t a;
    arf_t u;
    double r;
    acb_init(z);
    acb_init(s);
    arb_init(a);
    arf_init(u);
    arb_set_d(acb_realref(z), ((double) (j - T->j0) + 0.5) * CELL);
    mag_set_d(arb_radref(acb_realref(z)), 0.5 * CELL);
    arb_set_d(acb_imagref(z), ((double) m + 0.5) * CELL);
    mag_set_d(arb_radref(acb_imagref(z)), 0.5 * CELL);
    r = INFINITY;
    if (T->act->eval_acb(s, z, T->par, 0, 1, 53) == NEFT_ACT_SUCCESS && acb_is_finite(s))
    {
        acb_abs(a, s, 53);
        arb_get_ubound_arf(u, a, 53);
        r = arf_get_d(u, ARF_RND_UP);
        if (!(r >= 0))
            r = INFINITY;
    }
    acb_clear(z);
    acb_clear(s);
    arb_clear(a);
    arf_clear(u);
    return r;
}

/* An upper bound of |sigma| over [re.lo, re.hi] + i [-im, im]; INFINITY when
   holomorphy is not certified there. */
static double
sup_rect(suptab * T, ivl re, double im)
{
    slong jl, jh, j, m, k;
    double best = 0;
    if (!ivl_is_finite(re) || !(im >= 0))
        return INFINITY;
    jl = (slong) floor(re.lo / CELL) + T->j0;
    jh = (slong) floor(re.hi / CELL) + T->j0;
    m = (slong) floor(im / CELL);
    if (jl < 0 || jh >= T->ncol || m >= T->nrow)
        return INFINITY;
    for (j = jl; j <= jh; j++)
    {
        double * col;
        if (T->v[j] == NULL)
            T->v[j] = flint_malloc(sizeof(double) * T->nrow);
        col = T->v[j];
        for (k = T->filled[j]; k <= m; k++)
        {
            double c = cell_sup(T, j, k);
            col[k] = (k == 0 || c > col[k - 1]) ? c : col[k - 1];
            T->filled[j] = k + 1;
        }
        if (!(col[m] <= best))
            best = col[m];
    }
    return best;
}

/* ------------------------------------------------------------ helpers */

/* An upper bound of e^x / (2 pi) for a double x (Arb). */
static double
exp_over_2pi_up(double x)
{
    arb_t t;
    arf_t u;
    double r;
    arb_init(t);
    arf_init(u);
    arb_set_d(t, x);
    arb_exp(t, t, 53);
    arb_get_ubound_arf(u, t, 53);
    r = arf_get_d(u, ARF_RND_UP);
    arb_clear(t);
    arf_clear(u);
    return _up_mul(r, 0.5 * ivl_inv_pi().hi);
}

/* A lower bound of the distance from 0 to [c - a, c + a] (a >= 0). */
static double
dist_dn(double c, double a)
{
    double d = _ivl_dn(fabs(c) - a);
    return d > 0 ? d : 0;
}

/* sup |phi(xi_1) phi(xi_2)| over xi_1 in [c1 - a1, c1 + a1] + i[-b1, b1], xi_2
   in [c2 - a2, c2 + a2] + i[-b2, b2]: e^{(b1^2 + b2^2 - d1^2 - d2^2)/2}/(2 pi) */
static double
gauss_sup(double c1, double a1, double b1, double c2, double a2, double b2)
{
    double d1 = dist_dn(c1, a1), d2 = dist_dn(c2, a2);
    ivl e = ivl_sub(ivl_add(ivl_sqr(ivl_pt(b1)), ivl_sqr(ivl_pt(b2))),
                    ivl_add(ivl_sqr(ivl_pt(d1)), ivl_sqr(ivl_pt(d2))));
    return exp_over_2pi_up(0.5 * e.hi);
}

/* ------------------------------------------------------------ the plan */

typedef struct
{
    double c1, c2;
    int skip;            /* bounded, not integrated */
    slong n;
    double K;            /* 2 h^2 (64/15) rho^{-2(n-1)}/(rho^2 - 1), or 4 h^2 when skipped */
    double G1, G2;       /* G2 = 0 when skipped */
    double * S1, * S2;   /* npoints each (S2 unused when skipped) */
}
panel;

/* 2 h^2 (64/15) rho^{-2(n-1)} / (rho^2 - 1) with h = 1/2, rounded up (Arb);
   also (2h)^(D-1) h (64/15) rho^{-2(n-1)} / (rho^2 - 1), gridnd.c's factor */
double
_neft_exact_gl_factor(double rho, slong n)
{
    arb_t r, t;
    arf_t u;
    double v;
    arb_init(r);
    arb_init(t);
    arf_init(u);
    arb_set_d(r, rho);
    arb_pow_ui(t, r, (ulong) (2 * (n - 1)), 64);   /* n nodes: rho^-2(n-1) */
    arb_sqr(r, r, 64);
    arb_sub_ui(r, r, 1, 64);
    arb_mul(t, t, r, 64);
    arb_set_ui(r, 64 * 2);
    arb_mul_2exp_si(r, r, -2);   /* 2 h^2 64 with h = 1/2 */
    arb_div_ui(r, r, 15, 64);
    arb_div(t, r, t, 64);
    arb_get_ubound_arf(u, t, 64);
    v = arf_get_d(u, ARF_RND_UP);
    arb_clear(r);
    arb_clear(t);
    arf_clear(u);
    return v;
}

/* max over even k <= maxn of s^k g, rounded up */
double
_neft_exact_worst(double s, double g, slong maxn)
{
    double p = 1, w = 0;
    slong k;
    for (k = 1; k <= maxn; k++)
    {
        p = _up_mul(p, s);
        if (k % 2 == 0 && _up_mul(p, g) > w)
            w = _up_mul(p, g);
    }
    return w;
}

/* ------------------------------------------------------------ the tail */

/* tail[k] >= int_{|xi| > R} prod of k factors |sigma(z)| phi phi, k even <= maxn:
   with |sigma| <= A + B |u|^p r^p, sum_l C(k,l) A^{k-l} (B U^p)^l T_{pl+1}(R) */
static void
tails(double * tail, slong maxn, double A, double B, slong p, const arb_t U, slong R)
{
    arb_t t, c, r, BU, s;
    arf_t u;
    slong k, l;
    arb_init(t); arb_init(c); arb_init(r); arb_init(BU); arb_init(s);
    arf_init(u);
    arb_set_si(r, R);
    arb_pow_ui(BU, U, (ulong) p, 64);
    arb_set_d(t, B);
    arb_mul(BU, BU, t, 64);
    for (k = 2; k <= maxn; k += 2)
    {
        arb_zero(s);
        for (l = 0; l <= k; l++)
        {
            if (B == 0 && l > 0)
                break;
            _neft_gaussexp_tail_moment(t, r, p * l + 1, 64);
            arb_bin_uiui(c, (ulong) k, (ulong) l, 64);
            arb_mul(t, t, c, 64);
            arb_set_d(c, A);
            arb_pow_ui(c, c, (ulong) (k - l), 64);
            arb_mul(t, t, c, 64);
            arb_pow_ui(c, BU, (ulong) l, 64);
            arb_mul(t, t, c, 64);
            arb_add(s, s, t, 64);
        }
        arb_get_ubound_arf(u, s, 64);
        tail[k] = arf_get_d(u, ARF_RND_UP);
        if (!(tail[k] >= 0))
            tail[k] = INFINITY;
    }
    arb_clear(t); arb_clear(c); arb_clear(r); arb_clear(BU); arb_clear(s);
    arf_clear(u);
}

/* ------------------------------------------------------------ applicability */

static int
row_bound(double * A, double * B, slong * p, neft_act_srcptr act)
{
    if (act->flags & NEFT_ACT_BOUNDED)
    {
        *A = act->sup;
        *B = 0;
        *p = 0;
        return 1;
    }
    if (act->flags & NEFT_ACT_GROWTH)
    {
        *A = act->growth_a;
        *B = act->growth_b;
        *p = act->growth_p;
        return 1;
    }
    return 0;
}

/* The rule is tried for |sigma_b|, |sigma_w x_i| < 16 (their midpoints):
   beyond, the integrand varies on scales much below the unit panels (and
   the sup table would be large); the per-moment integrator takes those. */

int
_neft_exact_grid_applies(const neft_exact_spec_t spec, slong prec)
{
    neft_net_srcptr net = spec->net;
    neft_act_srcptr act = net->act;
    double A, B;
    slong p, i;
    arb_t t, sw;
    int small = 1;
    arb_init(t);
    arb_init(sw);
    neft_net_sw_arb(sw, net, 64);
    neft_net_sb_arb(t, net, 64);
    small = arf_cmpabs_2exp_si(arb_midref(t), 4) < 0 && mag_cmp_2exp_si(arb_radref(t), 0) < 0;
    for (i = 0; i < spec->npoints && small && spec->net->d_in == 1; i++)
    {
        arb_mul(t, sw, spec->points + i, 64);
        small = arf_cmpabs_2exp_si(arb_midref(t), 4) < 0
             && mag_cmp_2exp_si(arb_radref(t), 0) < 0;
    }
    arb_clear(t);
    arb_clear(sw);
    return small && act != NULL && _neft_exact_integrated_row(act) && act->eval_acb != NULL
        && spec->net->d_in == 1
        && fmpq_sgn(spec->net->cb) > 0 && fmpq_sgn(spec->net->cw) > 0
        && act->singular != NEFT_ACT_SINGULAR_KINK && row_bound(&A, &B, &p, act)
        && prec <= NEFT_EXACT_GRID_PREC && _neft_ivl_usable();
}

double
_neft_exact_grid_cost(slong npoints, slong tree_length, double sigma_cost)
{
    /* about 2e4 nodes (erf, tanh at the paper's settings, 6 inputs: half a
       plane), doubled for rows without parity: counted as 4e4 */
    double nodes = 4e4;
    return nodes * ((double) npoints * (sigma_cost + 10) + 2.0 * (double) tree_length * 4);
}

/* ------------------------------------------------------------ the method */

/* The panel's rule in Arb at wp bits, for the tree nodes sel[0..nsel) only
   (their tuples: tup + j NEFT_SAMPLE_MAX_NPT, lengths len): acc[sel[j]] gets
   the sum over the nodes of h^2 w_q w_r phi phi prod sigma.  For moments
   whose double-interval sum is dominated by rounding (cancellation). */
static int
arb_panel(arb_ptr acc, const panel * P, neft_act_srcptr act, arb_srcptr par, const arb_t sb,
          arb_srcptr swx, slong np, const slong * sel, slong nsel, const slong * tup,
          const slong * len, slong wp)
{
    const _neft_gl_struct * gl = _neft_gl(P->n, wp);
    slong n = P->n, q, r, i, j, a, k;
    arb_ptr x1, x2, w1, w2, sv;
    arb_t t, prod, W;
    acb_t z, v;
    int status = NEFT_SUCCESS;

    if (gl == NULL)
        return NEFT_FAILURE;
    x1 = _arb_vec_init(n);
    x2 = _arb_vec_init(n);
    w1 = _arb_vec_init(n);
    w2 = _arb_vec_init(n);
    sv = _arb_vec_init(np);
    arb_init(t); arb_init(prod); arb_init(W);
    acb_init(z); acb_init(v);
    for (q = 0; q < n; q++)
        for (k = 0; k < 2; k++)
        {
            arb_ptr x = (k ? x2 : x1) + q, w = (k ? w2 : w1) + q;
            arb_mul_2exp_si(x, gl->x + q, -1);
            arb_set_d(t, k ? P->c2 : P->c1);
            arb_add(x, x, t, wp);                        /* c + h x_q, h = 1/2 */
            arb_sqr(t, x, wp);
            arb_mul_2exp_si(t, t, -1);
            arb_neg(t, t);
            arb_exp(t, t, wp);
            arb_mul(w, t, gl->w + q, wp);
            arb_mul_2exp_si(w, w, -1);                   /* h w_q e^{-x^2/2} */
            arb_const_pi(t, wp);
            arb_mul_2exp_si(t, t, 1);
            arb_rsqrt(t, t, wp);
            arb_mul(w, w, t, wp);                        /* / sqrt(2 pi) */
        }
    for (q = 0; q < n && status == NEFT_SUCCESS; q++)
    {
        if (neft_interrupted())
        {
            status = NEFT_INTERRUPTED;
            break;
        }
        for (r = 0; r < n && status == NEFT_SUCCESS; r++)
        {
            for (i = 0; i < np; i++)
            {
                arb_mul(acb_realref(z), sb, x1 + q, wp);
                arb_addmul(acb_realref(z), swx + i, x2 + r, wp);
                arb_zero(acb_imagref(z));
                if (act->eval_acb(v, z, par, 0, 0, wp) != NEFT_ACT_SUCCESS
                    || !arb_is_finite(acb_realref(v)))
                    status = NEFT_FAILURE;
                arb_set(sv + i, acb_realref(v));
            }
            arb_mul(W, w1 + q, w2 + r, wp);
            for (j = 0; j < nsel; j++)
            {
                arb_set(prod, W);
                for (a = 0; a < len[j]; a++)
                    arb_mul(prod, prod, sv + tup[j * NEFT_SAMPLE_MAX_NPT + a], wp);
                arb_add(acc + sel[j], acc + sel[j], prod, wp);
            }
        }
    }
    _arb_vec_clear(x1, n);
    _arb_vec_clear(x2, n);
    _arb_vec_clear(w1, n);
    _arb_vec_clear(w2, n);
    _arb_vec_clear(sv, np);
    arb_clear(t); arb_clear(prod); arb_clear(W);
    acb_clear(z); acb_clear(v);
    return status;
}

/* One pass at the goal 2^-50 scale / shrink (absolute).
   sel (or NULL): only the tree nodes sel[0..nsel) (tuples tup, lengths len),
   summed in Arb at ARB_PREC bits (arb_panel); the other nodes of M are then
   meaningless. */
static int
grid_pass(arb_ptr M, const _neft_tuples_struct * tree, const neft_exact_spec_t spec,
          slong prec, double shrink, void (*progress)(void *, slong, slong), void * arg,
          slong * nodes, double * qerr, const slong * sel, slong nsel, const slong * tup,
          const slong * len, char * err, size_t errsize)
{
    neft_net_srcptr net = spec->net;
    neft_act_srcptr act = net->act;
    slong np = spec->npoints, L = tree->length, maxn = tree->maxlen;
    slong i, k, node, R, npan = 0, p, q, r, nmoments = 0, count = 0;
    double A, B, tol, tpan, tail[NEFT_SAMPLE_MAX_NPT + 1], Umax, xmax = 0;
    slong pw;
    int status = NEFT_SUCCESS, half = act->parity == 1 || act->parity == -1;
    arb_t sb, sw, t, U, par;
    arf_t uf;
    ivl sbI, * swx = NULL, * s = NULL, * prod = NULL, * rowacc = NULL, * panacc = NULL,
        * Z1 = NULL, * Z2 = NULL, * w1 = NULL, * w2 = NULL;
    double * e1 = NULL, * e2 = NULL, * errs = NULL, * Smem = NULL;
    panel * pan = NULL;
    suptab T;
    acb_t z, v;
    arb_ptr acc = NULL;

    memset(&T, 0, sizeof T);
    if (nodes != NULL)
        *nodes = 0;
    if (!_neft_exact_grid_applies(spec, prec) || !row_bound(&A, &B, &pw, act))
    {
        snprintf(err, errsize, "the shared rule does not apply");
        return NEFT_UNSUPPORTED;
    }
    arb_init(sb); arb_init(sw); arb_init(t); arb_init(U); arb_init(par);
    arf_init(uf);
    acb_init(z); acb_init(v);
    if (act->nparams > 0)
        neft_net_param_arb(par, net, prec + 16);
    neft_net_sb_arb(sb, net, prec + 16);
    neft_net_sw_arb(sw, net, prec + 16);
    sbI = _neft_ivl_set_arb(sb);
    swx = flint_malloc(sizeof(ivl) * np);
    arb_zero(U);
    for (i = 0; i < np; i++)
    {
        arb_mul(t, sw, spec->points + i, prec + 16);
        swx[i] = _neft_ivl_set_arb(t);
        if (ivl_mag(swx[i]) > xmax)
            xmax = ivl_mag(swx[i]);
        arb_hypot(t, sb, t, prec + 16);
        arb_max(U, U, t, prec + 16);
    }
    arb_get_ubound_arf(uf, U, 53);
    Umax = arf_get_d(uf, ARF_RND_UP);
    for (node = 1; node < L; node++)
        nmoments += tree->len[node] % 2 == 0;

    /* the goal: 2^-50 of the majorant's scale; R from the tail */
    {
        double scale = 1, f = _up_add(A, B * pow(Umax, (double) pw));
        for (k = 0; k < maxn; k++)
            scale = _up_mul(scale, f > 1 ? f : 1);
        tol = ldexp(scale, -50) / shrink;
    }
    for (R = 4; ; R++)
    {
        double m = 0;
        tails(tail, maxn, A, B, pw, U, R);
        for (k = 2; k <= maxn; k += 2)
            m = tail[k] > m ? tail[k] : m;
        if (m <= tol / 8)
            break;
        if (R > 60)
        {
            snprintf(err, errsize, "%s: no tail bound below the goal", act->name);
            status = NEFT_FAILURE;
            goto out;
        }
    }

    /* the sup table over every rectangle the panels can ask for */
    {
        double ext = H * (rhos[NRHO - 1] + 1.0 / rhos[NRHO - 1]) / 2 + 1;
        double zmax = (ivl_mag(sbI) + xmax) * ((double) R + ext) + 1;
        double imax = (ivl_mag(sbI) > xmax ? ivl_mag(sbI) : xmax)
                    * H * (rhos[NRHO - 1] - 1.0 / rhos[NRHO - 1]) / 2 + 1;
        T.act = act;
        T.par = act->nparams > 0 ? par : NULL;
        T.ncol = 2 * ((slong) ceil(zmax / CELL) + 2);
        T.j0 = T.ncol / 2;
        T.nrow = (slong) ceil(imax / CELL) + 2;
        T.v = flint_calloc(T.ncol, sizeof(double *));
        T.filled = flint_calloc(T.ncol, sizeof(slong));
    }

    /* the panels: centres (c1, c2), c1 > 0 only with a parity */
    pan = flint_malloc(sizeof(panel) * 4 * R * R);
    Smem = flint_malloc(sizeof(double) * 2 * np * 4 * R * R);
    for (p = 0; p < 2 * R; p++)
        for (q = 0; q < 2 * R; q++)
        {
            double c1 = -R + p + 0.5, c2 = -R + q + 0.5;
            if (half && c1 < 0)
                continue;
            pan[npan].c1 = c1;
            pan[npan].c2 = c2;
            pan[npan].S1 = Smem + 2 * np * npan;
            pan[npan].S2 = pan[npan].S1 + np;
            npan++;
        }
    tpan = tol / (4.0 * (double) npan);
    for (p = 0; p < npan && status == NEFT_SUCCESS; p++)
    {
        panel * P = pan + p;
        double smax = 0, g, best = 0;
        slong bestn = WORD_MAX;
        ivl X1 = ivl_set(P->c1 - H, P->c1 + H), X2 = ivl_set(P->c2 - H, P->c2 + H);
        if (neft_interrupted())
        {
            status = NEFT_INTERRUPTED;
            break;
        }
        /* the real panel: skip it when its whole mass is below its share */
        for (i = 0; i < np; i++)
        {
            P->S1[i] = sup_rect(&T, ivl_add(ivl_mul(sbI, X1), ivl_mul(swx[i], X2)), 0);
            smax = P->S1[i] > smax ? P->S1[i] : smax;
        }
        g = gauss_sup(P->c1, H, 0, P->c2, H, 0);
        if (_up_mul(_neft_exact_worst(smax, g, maxn), 4 * H * H) <= tpan)
        {
            P->skip = 1;
            P->n = 0;
            P->K = 4 * H * H;
            P->G1 = g;
            P->G2 = 0;
            continue;
        }
        P->skip = 0;
        for (k = 0; k < NRHO; k++)
        {
            double rho = rhos[k], a, b, m1 = 0, m2 = 0, S1[64], S2[64], W;
            slong n;
            ivl Y1, Y2;
            a = ivl_mul_2exp(ivl_add(ivl_pt(rho), ivl_div(ivl_pt(1), ivl_pt(rho))), -2).hi;
            b = ivl_mul_2exp(ivl_sub(ivl_pt(rho), ivl_div(ivl_pt(1), ivl_pt(rho))), -2).hi;
            Y1 = ivl_set(_ivl_dn(P->c1 - a), _ivl_up(P->c1 + a));
            Y2 = ivl_set(_ivl_dn(P->c2 - a), _ivl_up(P->c2 + a));
            for (i = 0; i < np && i < 64; i++)
            {
                S1[i] = sup_rect(&T, ivl_add(ivl_mul(sbI, Y1), ivl_mul(swx[i], X2)),
                                 _up_mul(ivl_mag(sbI), b));
                S2[i] = sup_rect(&T, ivl_add(ivl_mul(sbI, X1), ivl_mul(swx[i], Y2)),
                                 _up_mul(ivl_mag(swx[i]), b));
                m1 = S1[i] > m1 ? S1[i] : m1;
                m2 = S2[i] > m2 ? S2[i] : m2;
            }
            if (np > 64 || !(m1 < INFINITY) || !(m2 < INFINITY))
                continue;
            {
                double G1 = gauss_sup(P->c1, a, b, P->c2, H, 0),
                       G2 = gauss_sup(P->c1, H, 0, P->c2, a, b);
                W = _up_add(_neft_exact_worst(m1, G1, maxn), _neft_exact_worst(m2, G2, maxn));
                /* n from 2 h^2 (64/15) rho^-2(n-1) / (rho^2 - 1) W <= tpan */
                {
                    /* a first guess (libm); the rigorous test follows */
                    double g = log(0.5 * 64.0 / 15.0 * W / ((rho * rho - 1) * tpan))
                             / (2 * log(rho));
                    if (!(g <= GL_NMAX))
                        continue;   /* too many nodes, or W not finite */
                    n = g > GL_NMIN ? (slong) ceil(g) : GL_NMIN;
                }
                while (n <= GL_NMAX && _up_mul(_neft_exact_gl_factor(rho, n), W) > tpan)
                    n++;
                if (n > GL_NMAX || n >= bestn)
                    continue;
                bestn = n;
                best = rho;
                P->G1 = G1;
                P->G2 = G2;
                memcpy(P->S1, S1, sizeof(double) * np);
                memcpy(P->S2, S2, sizeof(double) * np);
            }
        }
        if (bestn == WORD_MAX)
        {
            snprintf(err, errsize, "%s: no Gauss-Legendre panel rule reaches the goal near "
                     "(%g, %g)", act->name, P->c1, P->c2);
            status = NEFT_FAILURE;
            break;
        }
        P->n = bestn;
        P->K = _neft_exact_gl_factor(best, bestn);
    }
    if (status != NEFT_SUCCESS)
        goto out;

    /* the rule, panel by panel */
    s = flint_malloc(sizeof(ivl) * np);
    prod = flint_malloc(sizeof(ivl) * L);
    rowacc = flint_malloc(sizeof(ivl) * L);
    panacc = flint_malloc(sizeof(ivl) * L);
    Z1 = flint_malloc(sizeof(ivl) * np * GL_NMAX);
    Z2 = flint_malloc(sizeof(ivl) * np * GL_NMAX);
    w1 = flint_malloc(sizeof(ivl) * GL_NMAX);
    w2 = flint_malloc(sizeof(ivl) * GL_NMAX);
    e1 = flint_malloc(sizeof(double) * L);
    e2 = flint_malloc(sizeof(double) * L);
    errs = flint_calloc(L, sizeof(double));
    acc = _arb_vec_init(L);
    for (p = 0; p < npan && status == NEFT_SUCCESS; p++)
    {
        panel * P = pan + p;
        const _neft_gl_struct * gl;
        if (neft_interrupted())
        {
            status = NEFT_INTERRUPTED;
            break;
        }
        /* this panel's error bound for every tuple: K (G1 prod S1 + G2 prod S2) */
        e1[0] = P->G1;
        e2[0] = P->G2;
        for (node = 1; node < L; node++)
        {
            e1[node] = _up_mul(e1[tree->parent[node]], P->S1[tree->last[node]]);
            if (!P->skip)
                e2[node] = _up_mul(e2[tree->parent[node]], P->S2[tree->last[node]]);
            if (tree->len[node] % 2 == 0)
                errs[node] = _up_add(errs[node], _up_mul(P->K, P->skip ? e1[node]
                                                          : _up_add(e1[node], e2[node])));
        }
        if (P->skip)
        {
            if (progress != NULL)
                progress(arg, (slong) ((double) nmoments * (double) (p + 1) / (double) npan),
                         nmoments);
            continue;
        }
        if (sel != NULL)
        {
            arb_ptr sw_i = _arb_vec_init(np);
            for (i = 0; i < np; i++)
                arb_mul(sw_i + i, sw, spec->points + i, ARB_PREC);
            status = arb_panel(acc, P, act, T.par, sb, sw_i, np, sel, nsel, tup, len,
                               ARB_PREC);
            count += P->n * P->n;
            _arb_vec_clear(sw_i, np);
            if (status == NEFT_FAILURE)
                snprintf(err, errsize, "%s: a value at a quadrature node is not finite",
                         act->name);
            continue;
        }
        gl = _neft_gl(P->n, EVAL_PREC);
        if (gl == NULL)
        {
            status = NEFT_FAILURE;
            snprintf(err, errsize, "no Gauss-Legendre rule of %ld nodes", (long) P->n);
            break;
        }
        /* nodes, weights h w phi, and the pre-activations' two parts */
        for (q = 0; q < P->n; q++)
        {
            for (k = 0; k < 2; k++)
            {
                ivl w, xi = _neft_exact_gl_node(&w, k ? P->c2 : P->c1, gl, q, t);
                (k ? w2 : w1)[q] = w;
                for (i = 0; i < np; i++)
                    (k ? Z2 : Z1)[i * GL_NMAX + q] = ivl_mul(k ? swx[i] : sbI, xi);
            }
        }
        for (node = 0; node < L; node++)
            panacc[node] = ivl_pt(0);
        for (q = 0; q < P->n && status == NEFT_SUCCESS; q++)
        {
            if (neft_interrupted())   /* a line of nodes: milliseconds, even for big trees */
            {
                status = NEFT_INTERRUPTED;
                break;
            }
            for (node = 0; node < L; node++)
                rowacc[node] = ivl_pt(0);
            for (r = 0; r < P->n; r++)
            {
                for (i = 0; i < np; i++)
                {
                    _neft_ivl_get_arb(acb_realref(z), ivl_add(Z1[i * GL_NMAX + q],
                                                              Z2[i * GL_NMAX + r]));
                    arb_zero(acb_imagref(z));
                    if (act->eval_acb(v, z, T.par, 0, 0, EVAL_PREC) != NEFT_ACT_SUCCESS)
                        acb_indeterminate(v);
                    s[i] = _neft_ivl_set_arb(acb_realref(v));
                    if (!ivl_is_finite(s[i]))
                        status = NEFT_FAILURE;
                }
                count++;
                _neft_exact_tree_add(rowacc, prod, tree, ivl_mul(w1[q], w2[r]), s);
            }
            for (node = 1; node < L; node++)
                if (!(tree->len[node] & 1))
                    panacc[node] = ivl_add(panacc[node], rowacc[node]);
        }
        if (status == NEFT_INTERRUPTED)
            break;
        if (status == NEFT_FAILURE)
        {
            snprintf(err, errsize, "%s: a value at a quadrature node is not finite",
                     act->name);
            break;
        }
        for (node = 1; node < L; node++)
            if (!(tree->len[node] & 1))
            {
                _neft_ivl_get_arb(t, panacc[node]);
                arb_add(acc + node, acc + node, t, prec + 16);
            }
        if (progress != NULL)
            progress(arg, (slong) ((double) nmoments * (double) (p + 1) / (double) npan),
                     nmoments);
    }
    if (neft_interrupted())
        status = NEFT_INTERRUPTED;
    if (status == NEFT_SUCCESS)
        _neft_exact_grid_finish(M, qerr, tree, spec, acc, errs, tail, half, prec);
    if (nodes != NULL)
        *nodes = count;
out:
    if (status == NEFT_INTERRUPTED)
        snprintf(err, errsize, "interrupted while computing the Gaussian moments");
    flint_free(swx);
    flint_free(s);
    flint_free(prod);
    flint_free(rowacc);
    flint_free(panacc);
    flint_free(Z1);
    flint_free(Z2);
    flint_free(w1);
    flint_free(w2);
    flint_free(e1);
    flint_free(e2);
    flint_free(errs);
    flint_free(pan);
    flint_free(Smem);
    for (k = 0; T.v != NULL && k < T.ncol; k++)
        flint_free(T.v[k]);
    flint_free(T.v);
    flint_free(T.filled);
    if (acc != NULL)
        _arb_vec_clear(acc, L);
    arb_clear(sb); arb_clear(sw); arb_clear(t); arb_clear(U); arb_clear(par);
    arf_clear(uf);
    acb_clear(z); acb_clear(v);
    return status;
}

/* The factor by which the goal must shrink for the quadrature's part qerr
   of every ball to be below 2^-45 |mid|, over the even tuples whose ball is
   wider than 2^-43 |mid| because of that part (not of the rounding, which
   no smaller goal reduces); <= 1: none. */
static double
shortfall(arb_srcptr M, const double * qerr, const _neft_tuples_struct * tree)
{
    slong node;
    double w = 0;
    for (node = 1; node < tree->length; node++)
    {
        double mid = fabs(arf_get_d(arb_midref(M + node), ARF_RND_NEAR)),
               rad = mag_get_d(arb_radref(M + node)), q;
        if (tree->len[node] % 2 || arb_is_zero(M + node) || !(rad > ldexp(mid, -43))
            || !(qerr[node] > 0.5 * rad))
            continue;
        q = mid > 0 ? qerr[node] / ldexp(mid, -45) : INFINITY;
        w = q > w ? q : w;
    }
    return w;
}

/* The moments whose ball is still wider than 2^-43 |mid| (not exactly 0):
   their rounding in double intervals is large next to their value (a sum
   with cancellation); once more in Arb at ARB_PREC bits, with the goal
   lowered as far as their values need (at most 2^20), for at most MAX_FIX
   of them; each new ball is kept when narrower. */
#define MAX_FIX 2000
static int
arb_fixup(arb_ptr M, const _neft_tuples_struct * tree, const neft_exact_spec_t spec,
          slong prec, double * qerr, slong * nodes, char * err, size_t errsize)
{
    slong * sel, * tup, * len, nsel = 0, node, j, n3 = 0;
    double shrink = 1;
    arb_ptr M3;
    char e3[256];
    int st;

    for (node = 1; node < tree->length; node++)
    {
        double mid = fabs(arf_get_d(arb_midref(M + node), ARF_RND_NEAR)),
               rad = mag_get_d(arb_radref(M + node));
        if (tree->len[node] % 2 == 0 && !arb_is_zero(M + node) && rad > ldexp(mid, -43))
            nsel++;
    }
    if (nsel == 0 || nsel > MAX_FIX)
        return NEFT_SUCCESS;
    sel = flint_malloc(sizeof(slong) * nsel);
    len = flint_malloc(sizeof(slong) * nsel);
    tup = flint_malloc(sizeof(slong) * nsel * NEFT_SAMPLE_MAX_NPT);
    for (node = 1, j = 0; node < tree->length; node++)
    {
        double mid = fabs(arf_get_d(arb_midref(M + node), ARF_RND_NEAR)),
               rad = mag_get_d(arb_radref(M + node));
        if (tree->len[node] % 2 == 0 && !arb_is_zero(M + node) && rad > ldexp(mid, -43))
        {
            double need = mid > 0 ? qerr[node] / ldexp(mid, -46) : 0x1p20;
            shrink = need > shrink ? need : shrink;
            sel[j] = node;
            len[j] = _neft_tuples_get(tup + j * NEFT_SAMPLE_MAX_NPT, tree, node);
            j++;
        }
    }
    M3 = _arb_vec_init(tree->length);
    st = grid_pass(M3, tree, spec, prec, shrink < 0x1p20 ? shrink : 0x1p20, NULL, NULL, &n3,
                   qerr, sel, nsel, tup, len, e3, sizeof e3);
    if (st == NEFT_SUCCESS)
    {
        for (j = 0; j < nsel; j++)
            if (mag_cmp(arb_radref(M3 + sel[j]), arb_radref(M + sel[j])) < 0)
                arb_swap(M + sel[j], M3 + sel[j]);
        if (nodes != NULL)
            *nodes += n3;
    }
    else if (st == NEFT_INTERRUPTED)
        snprintf(err, errsize, "%s", e3);
    _arb_vec_clear(M3, tree->length);
    flint_free(sel);
    flint_free(len);
    flint_free(tup);
    return st == NEFT_INTERRUPTED ? st : NEFT_SUCCESS;
}

int
_neft_exact_grid(arb_ptr M, const _neft_tuples_struct * tree, const neft_exact_spec_t spec,
                 slong prec, void (*progress)(void *, slong, slong), void * arg,
                 slong * nodes, char * err, size_t errsize)
{
    double w, * qerr = flint_calloc(tree->length, sizeof(double));
    int status = grid_pass(M, tree, spec, prec, 1, progress, arg, nodes, qerr, NULL, 0, NULL,
                           NULL, err, errsize);
    if (status != NEFT_SUCCESS)
    {
        flint_free(qerr);
        return status;
    }
    /* a moment much smaller than the majorant's scale: once more with the
       goal lowered by the shortfall (at most 2^20); kept only if it succeeds */
    w = shortfall(M, qerr, tree);
    if (w > 1)
    {
        arb_ptr M2 = _arb_vec_init(tree->length);
        slong n2 = 0, node;
        char e2[256];
        int st2 = grid_pass(M2, tree, spec, prec, w < 0x1p19 ? 2 * w : 0x1p20, NULL, NULL,
                            &n2, qerr, NULL, 0, NULL, NULL, e2, sizeof e2);
        if (st2 == NEFT_SUCCESS)
        {
            for (node = 1; node < tree->length; node++)
                if (tree->len[node] % 2 == 0)
                    arb_swap(M + node, M2 + node);
            if (nodes != NULL)
                *nodes += n2;
        }
        else if (st2 == NEFT_INTERRUPTED)
        {
            snprintf(err, errsize, "%s", e2);
            status = st2;
        }
        _arb_vec_clear(M2, tree->length);
    }
    if (status == NEFT_SUCCESS)
        status = arb_fixup(M, tree, spec, prec, qerr, nodes, err, errsize);
    flint_free(qerr);
    return status;
}
