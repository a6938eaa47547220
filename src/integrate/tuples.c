/* One-vertex integrals in d_in = 1 by panel Gauss-Legendre: one integral
   (_neft_integrate_panels1, used by neft_integrate_vint) or every sorted
   tuple of a set of inputs at once, sharing the kernel values.

   The box [-L, L] is cut into panels: at 0 and, for ReLU, at the inputs
   where the kernel has its kink; a panel that needs too many nodes is split
   where the nearest singular point of the kernels projects, or a quarter
   from the end nearer to it (geometric grading towards it).  On a panel
   with centre c and half-width h, every kernel y -> K(x_j, y) (and K(y, y)
   for self-loops), continued from the panel's side of each kink (ReLU), is
   bounded by M_j on the Bernstein ellipse E_rho of the panel.  A tuple's
   integrand is the product of its kernels, holomorphic on E_rho and bounded
   by prod_i M_{t_i} there, so its n-point Gauss-Legendre rule errs by at
   most (64/15) h prod_i M_{t_i} rho^{-2(n-1)} / (rho^2 - 1) (Trefethen,
   Approximation Theory and Approximation Practice, thm 19.3).  The kernels'
   singular points are known in closed form (kern1.c); rho is the best of
   the powers 0.9, 0.75, 0.6 of the largest rho whose rectangle misses them,
   n the least for which the error stays below 2^-(goal+4) of the panel's integrand
   scale times h (for one integral, afterwards, of the mean scale over the
   box where that is larger: relax_panels).

   M_j: with the double-interval kernels (kern1.c), |K(z)| <= |K(c)| + |z - c|
   sup |K'| on the segment from c (E_rho is convex), |z - c| <= h sa, and
   sup |K'| over the rectangle around E_rho from closed forms in the
   distances to the singular points; else (no usable intervals) the Arb
   kernel on that rectangle in 2 x 2 pieces, holomorphy checked.

   The kernels at the nodes are evaluated in double-precision interval
   arithmetic (ivl.h, kern1.c) when the accuracy goal is at most DGOAL bits,
   else in Arb at the working precision.  Every sum, weight and bound is an
   enclosure, so every result ball contains the integral.  A result that comes
   out wider than the goal asks (cancellation, or the double values too
   coarse) is recomputed with Arb values, then by acb_calc_integrate
   (_neft_integrate_quad). */

#include <math.h>
#include <stdio.h>
#include "neft/tuple.h"
#include "internal.h"
#include "tuples_pool.h"
#include "kern1.h"
#include "gl.h"
#include "../cost.h"

/* GCC 12 with -fsanitize=address reports a false -Wstringop-overread on the
   arb_t members of panels passed to Arb (as in src/kernel/kernel_acb.c). */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
#pragma GCC diagnostic ignored "-Wstringop-overread"
#endif

#define DGOAL 44          /* node values in double up to this goal */
#define MAXPANELS 4000
#define MAXDEPTH 60
#define RHOMAX 40.0
#define NCAND 3           /* measured: as few nodes as with 7, fewer bounds */
static const double cand_pow[NCAND] = {0.9, 0.75, 0.6};

typedef struct
{
    arb_t a, b;          /* exact ends */
    ivl c, h;            /* centre and half-width, enclosed */
    slong n;
    double rho;
    double E;            /* (64/15) h rho^{-2(n-1)} / (rho^2 - 1), rounded up */
    double * M;          /* nk ellipse bounds (upper) */
    double * S;          /* nk scales: max |K_j| at the ends and the midpoint */
    double R;            /* max_j M_j / S_j */
    signed char * side;  /* ReLU: +1 when the panel lies right of x_j */
    ivl * Kd;            /* nk x n double enclosures, or NULL */
    arb_ptr K;           /* nk x n balls, or NULL */
    const _neft_gl_struct * gl;
}
panel_struct;

typedef struct
{
    const neft_kernel_struct * k;
    arb_srcptr x;
    slong nin, nk, loops, goal, prec, P;
    slong nacc;          /* the most nodes a panel may have, else it is split */
    int onesided, dbl;
    char * used;
    _neft_k1_struct K1;
    _neft_k1in_struct * in;
    _neft_k1arb_struct A1;     /* the same formulas in Arb */
    _neft_k1arbin_struct * ain;
    double * sx, * sy;   /* singular points of all used kernels */
    slong nsing;
    int verbose;
}
ctx_struct;

/* ---- Arb evaluation of one kernel (index j; j == nin: K(y, y)) ---- */

static void
kern_acb(acb_t res, const ctx_struct * C, slong j, const acb_t y, int side, int an,
         slong prec)
{
    if (j == C->nin)
        neft_kernel_diag_acb(res, C->k, y, an, prec);
    else
    {
        acb_t xc;
        acb_init(xc);
        acb_set_arb(xc, C->x + j);
        if (side)
            _neft_kernel_relu1_acb(res, C->k, xc, y, side, an, prec);
        else
            neft_kernel_eval_acb(res, C->k, xc, y, an, prec);
        acb_clear(xc);
    }
}

/* |K_j| at the real point y (approximate, for scales). */
static double
kern_abs_d(const ctx_struct * C, slong j, double y, int side)
{
    double r;
    if (C->dbl)
    {
        ivl v = _neft_k1_eval(&C->K1, j == C->nin ? NULL : C->in + j, ivl_pt(y), side);
        r = fabs(ivl_mid(v));
    }
    else
    {
        acb_t f, yy;
        acb_init(f);
        acb_init(yy);
        acb_set_d(yy, y);
        kern_acb(f, C, j, yy, side, 0, C->prec);
        r = fabs(arf_get_d(arb_midref(acb_realref(f)), ARF_RND_NEAR));
        acb_clear(f);
        acb_clear(yy);
    }
    return r == r ? r : 0;
}

/* An upper bound of |K_j| on E_rho of the panel (centre c, half-width h),
   INFINITY when holomorphy is not certified.  Intervals (Kc: an upper bound
   of |K_j(c)|): |K(z)| <= |K(c)| +
   |z - c| sup |K'| along the segment from the centre (E_rho is convex),
   |z - c| <= h sa, and sup |K'| over the rectangle [c - h sa, c + h sa] x
   [-h sb, h sb] around E_rho (kern1.c), which must miss every singular
   point.  Arb: the kernel on that rectangle in 2 x 2 pieces. */
static double
ellipse_bound(const ctx_struct * C, slong j, ivl c, ivl h, double rho, int side, double Kc)
{
    ivl R = ivl_pt(rho), iR = ivl_div(ivl_pt(1.0), R);
    double sa = ivl_mul_2exp(ivl_add(R, iR), -1).hi, sb = ivl_mul_2exp(ivl_sub(R, iR), -1).hi;
    double hs = ivl_mul(h, ivl_pt(sa)).hi;
    double xl = ivl_sub(c, ivl_pt(hs)).lo, xh = ivl_add(c, ivl_pt(hs)).hi;
    double yh = ivl_mul(h, ivl_pt(sb)).hi, cm = ivl_mid(c), M = 0, t;
    slong p;
    if (C->dbl)
    {
        const _neft_k1in_struct * I = (j == C->nin) ? NULL : C->in + j;
        double rad = _up_hypot(FLINT_MAX(_ivl_up(cm - xl), _ivl_up(xh - cm)), yh), D;
        D = _neft_k1_dbound(&C->K1, I, side, xl, xh, yh, cm, rad);
        if (!(D < INFINITY) || !(Kc < INFINITY))
            return INFINITY;
        return _up_add(Kc, _up_mul(hs, D));
    }
    else
    {
        /* Arb: the rectangle in 2 x 2 pieces */
        acb_t y, f;
        mag_t e;
        arf_t lo, hi;
        acb_init(y);
        acb_init(f);
        mag_init(e);
        arf_init(lo);
        arf_init(hi);
        for (p = 0; p < 4; p++)
        {
            arf_set_d(lo, (p & 1) ? cm : xl);
            arf_set_d(hi, (p & 1) ? xh : cm);
            arb_set_interval_arf(acb_realref(y), lo, hi, 53);
            arf_set_d(lo, (p & 2) ? 0 : -yh);
            arf_set_d(hi, (p & 2) ? yh : 0);
            arb_set_interval_arf(acb_imagref(y), lo, hi, 53);
            kern_acb(f, C, j, y, side, 1, C->prec);
            if (!acb_is_finite(f))
            {
                M = INFINITY;
                break;
            }
            acb_get_mag(e, f);
            t = mag_get_d(e);
            M = t > M ? t : M;
        }
        acb_clear(y);
        acb_clear(f);
        mag_clear(e);
        arf_clear(lo);
        arf_clear(hi);
        return M;
    }
}

/* The largest rho for which the rectangle around E_rho of the panel (centre
   c, half-width h, approximate) misses every singular point. */
static double
rho_limit(const ctx_struct * C, double c, double h, double * sr)
{
    double best = INFINITY;
    slong i;
    *sr = c;
    for (i = 0; i < C->nsing; i++)
    {
        double A = fabs(C->sx[i] - c) / h, B = C->sy[i] / h, ra, rb, r;
        ra = A > 1 ? A + sqrt(A * A - 1) : 1;
        rb = B + sqrt(B * B + 1);
        r = ra > rb ? ra : rb;
        if (r == r && r < best)
        {
            best = r;
            *sr = C->sx[i];
        }
    }
    return best;
}

/* nodes for error <= 2^-(goal+4-slack) relative, given the ratio R, at rho */
static double
nodes_needed_slack(const ctx_struct * C, double R, double rho, double slack)
{
    double lhs = log2(64.0 / 15) + C->P * log2(R) - log2(rho * rho - 1) + C->goal + 4 - slack;
    return ceil(lhs / (2 * log2(rho))) + 1;
}

static double
nodes_needed(const ctx_struct * C, double R, double rho)
{
    return nodes_needed_slack(C, R, rho, 0);
}

/* (64/15) h rho^{-2(n-1)} / (rho^2 - 1), rounded up */
static double
rule_error(ivl h, double rho, slong n)
{
    ivl R = ivl_pt(rho), p = ivl_pt(1.0), t;
    slong i;
    for (i = 0; i < 2 * (n - 1); i++)   /* n nodes: rho^-2(n-1) */
        p = ivl_mul(p, R);
    t = ivl_mul(ivl_sub(ivl_sqr(R), ivl_pt(1.0)), p);
    t = ivl_div(ivl_mul(ivl_pt(64.0), h), ivl_mul(ivl_pt(15.0), t));
    return t.hi;
}

/* Chooses rho and n for the panel [a, b]: 1 on success (p filled), 0 when
   the panel must be bisected. */
static int
panel_rule(panel_struct * p, const ctx_struct * C)
{
    double ad = arf_get_d(arb_midref(p->a), ARF_RND_NEAR), bd = arf_get_d(arb_midref(p->b), ARF_RND_NEAR);
    double cd = 0.5 * (ad + bd), hd = 0.5 * (bd - ad), rl, sr, cand[NCAND], best = 1e30;
    double * Mr, * S, * Kc, Rbest = 1;
    slong j, r, bestr = -1;
    ivl ai = _neft_ivl_set_arb(p->a), bi = _neft_ivl_set_arb(p->b);
    p->c = ivl_mul_2exp(ivl_add(ai, bi), -1);
    p->h = ivl_mul_2exp(ivl_sub(bi, ai), -1);
    if (!(hd > 0) || !ivl_is_finite(p->c) || !ivl_is_finite(p->h))
        return 0;
    for (j = 0; j < C->nin; j++)
        p->side[j] = (C->onesided && C->used[j]) ? (arb_ge(p->a, C->x + j) ? 1 : -1) : 0;
    rl = rho_limit(C, cd, hd, &sr);
    for (r = 0; r < NCAND; r++)
    {
        cand[r] = (rl < INFINITY) ? pow(rl, cand_pow[r]) : RHOMAX * pow(0.6, r);
        cand[r] = FLINT_MIN(cand[r], RHOMAX);
    }
    /* hopeless even with R = 1: bisect */
    if (!(cand[0] > 1.02) || nodes_needed(C, 1, cand[0]) > C->nacc)
        return 0;
    /* scales: max |K_j| at the ends and the midpoint; Kc: |K_j| <= Kc at the
       centre (intervals only) */
    S = p->S;
    Kc = flint_calloc(C->nk, sizeof(double));
    for (j = 0; j < C->nk; j++)
    {
        S[j] = 0;
        if (C->used[j])
        {
            int sd = j < C->nin ? p->side[j] : 0;
            if (C->dbl)
            {
                ivl v = _neft_k1_eval(&C->K1, j == C->nin ? NULL : C->in + j, p->c, sd);
                Kc[j] = ivl_is_finite(v) ? ivl_mag(v) : INFINITY;
                S[j] = fabs(ivl_mid(v));
                S[j] = S[j] == S[j] ? S[j] : 0;
            }
            else
                S[j] = kern_abs_d(C, j, cd, sd);
            S[j] = FLINT_MAX(S[j], kern_abs_d(C, j, ad, sd));
            S[j] = FLINT_MAX(S[j], kern_abs_d(C, j, bd, sd));
        }
    }
    Mr = flint_malloc(NCAND * C->nk * sizeof(double));
    for (r = 0; r < NCAND * C->nk; r++)
        Mr[r] = INFINITY;
    for (r = 0; r < NCAND; r++)
    {
        double R = 1, nn;
        int fin = 1;
        if (!(cand[r] > 1.02))
            continue;
        for (j = 0; j < C->nk && fin; j++)
        {
            double Mj;
            Mr[r * C->nk + j] = 0;
            if (!C->used[j])
                continue;
            Mj = ellipse_bound(C, j, p->c, p->h, cand[r], j < C->nin ? p->side[j] : 0, Kc[j]);
            Mr[r * C->nk + j] = Mj;
            if (!(Mj < INFINITY))
                fin = 0;
            else
                R = FLINT_MAX(R, Mj / FLINT_MAX(S[j], 1e-6 * Mj + 1e-300));
        }
        if (!fin)
            continue;
        nn = nodes_needed(C, R, cand[r]);
        if (C->verbose > 1)
            flint_fprintf(stderr, "  [%g, %g] rho_lim %g rho %g R %g n %g\n", ad, bd, rl, cand[r], R, nn);
        if (nn < best)
        {
            best = nn;
            bestr = r;
            Rbest = R;
        }
        else if (nn > best)
            break;          /* past the optimum (n is unimodal in rho here) */
    }
    flint_free(Kc);
    if (bestr < 0 || best > C->nacc)
    {
        flint_free(Mr);
        return 0;
    }
    p->rho = cand[bestr];
    p->R = Rbest;
    p->n = _neft_gl_size(FLINT_MAX(4, (slong) best));
    for (j = 0; j < C->nk; j++)
        p->M[j] = Mr[bestr * C->nk + j];
    flint_free(Mr);
    p->E = rule_error(p->h, p->rho, p->n);
    return p->E < INFINITY;
}

static void
panel_init(panel_struct * p, const ctx_struct * C)
{
    arb_init(p->a);
    arb_init(p->b);
    p->M = flint_calloc(C->nk, sizeof(double));
    p->S = flint_calloc(C->nk, sizeof(double));
    p->side = flint_calloc(C->nin + 1, sizeof(signed char));
    p->Kd = NULL;
    p->K = NULL;
    p->n = 0;
    p->gl = NULL;
}

static void
panel_clear(panel_struct * p, const ctx_struct * C)
{
    arb_clear(p->a);
    arb_clear(p->b);
    flint_free(p->M);
    flint_free(p->S);
    flint_free(p->side);
    flint_free(p->Kd);
    if (p->K != NULL)
        _arb_vec_clear(p->K, C->nk * p->n);
}

/* The kernels at the panel's nodes, in double intervals. */
static int
panel_values_d(panel_struct * p, const ctx_struct * C)
{
    slong q, j, n = p->n;
    p->Kd = flint_malloc(C->nk * n * sizeof(ivl));
    for (q = 0; q < n; q++)
    {
        ivl y = ivl_add(p->c, ivl_mul(p->h, p->gl->xi[q]));
        for (j = 0; j < C->nk; j++)
        {
            if (!C->used[j])
                continue;
            p->Kd[j * n + q] = _neft_k1_eval(&C->K1, j == C->nin ? NULL : C->in + j, y,
                                             j < C->nin ? p->side[j] : 0);
            if (!ivl_is_finite(p->Kd[j * n + q]))
                return 0;
        }
    }
    return 1;
}

/* The kernels at the panel's nodes, in Arb. */
static void
panel_values_arb(panel_struct * p, ctx_struct * C)
{
    slong q, j, n = p->n, prec = C->prec;
    arb_t m, h, node;
    if (p->K != NULL)
        return;
    if (C->ain == NULL)
    {
        C->ain = flint_malloc(C->nk * sizeof(_neft_k1arbin_struct));
        _neft_k1arb_init(&C->A1, C->k, prec);
        for (j = 0; j < C->nin; j++)
            _neft_k1arb_input_init(C->ain + j, &C->A1, C->x + j, prec);
    }
    p->K = _arb_vec_init(C->nk * n);
    arb_init(m);
    arb_init(h);
    arb_init(node);
    arb_add(m, p->a, p->b, prec + 64);
    arb_mul_2exp_si(m, m, -1);
    arb_sub(h, p->b, p->a, prec + 64);
    arb_mul_2exp_si(h, h, -1);
    for (q = 0; q < n; q++)
    {
        arb_mul(node, p->gl->x + q, h, prec + 16);
        arb_add(node, node, m, prec + 16);
        for (j = 0; j < C->nk; j++)
        {
            if (!C->used[j])
                continue;
            _neft_k1arb_eval(p->K + j * n + q, &C->A1, j == C->nin ? NULL : C->ain + j, node,
                             j < C->nin ? p->side[j] : 0, prec);
        }
    }
    arb_clear(m);
    arb_clear(h);
    arb_clear(node);
}

/* The rule's error for tuple idx on panel p, rounded up. */
static double
tuple_error(const panel_struct * p, const ctx_struct * C, const slong * idx, slong npts)
{
    double e = p->E;
    slong i;
    for (i = 0; i < npts; i++)
        e = _up_mul(e, p->M[idx[i]]);
    for (i = 0; i < C->loops; i++)
        e = _up_mul(e, p->M[C->nin]);
    return e;
}

/* The tuple idx over all panels from double values; A gets the integral of
   |F| (approximate, a scale). */
static ivl
tuple_sum_d(const panel_struct * P, slong np, const ctx_struct * C, const slong * idx,
            slong npts, double * A)
{
    ivl tot = ivl_pt(0);
    slong pi, q, i;
    *A = 0;
    for (pi = 0; pi < np; pi++)
    {
        const panel_struct * p = P + pi;
        slong n = p->n;
        ivl s = ivl_pt(0);
        double e, a = 0;
        for (q = 0; q < n; q++)
        {
            ivl f = p->gl->wi[q];
            for (i = 0; i < npts; i++)
                f = ivl_mul(f, p->Kd[idx[i] * n + q]);
            for (i = 0; i < C->loops; i++)
                f = ivl_mul(f, p->Kd[C->nin * n + q]);
            s = ivl_add(s, f);
            a += fabs(ivl_mid(f));
        }
        s = ivl_mul(s, p->h);
        e = tuple_error(p, C, idx, npts);
        tot = ivl_add(tot, ivl_add(s, ivl_set(-e, e)));
        *A += a * ivl_mid(p->h);
    }
    return tot;
}

/* The same from Arb values. */
static void
tuple_sum_arb(arb_t res, panel_struct * P, slong np, ctx_struct * C, const slong * idx,
              slong npts, double * A)
{
    slong pi, q, i, prec = C->prec;
    arb_t s, f, h;
    mag_t e;
    arb_init(s);
    arb_init(f);
    arb_init(h);
    mag_init(e);
    arb_zero(res);
    *A = 0;
    for (pi = 0; pi < np; pi++)
    {
        panel_struct * p = P + pi;
        slong n = p->n;
        double a = 0;
        panel_values_arb(p, C);
        arb_zero(s);
        for (q = 0; q < n; q++)
        {
            arb_set(f, p->gl->w + q);
            for (i = 0; i < npts; i++)
                arb_mul(f, f, p->K + idx[i] * n + q, prec);
            for (i = 0; i < C->loops; i++)
                arb_mul(f, f, p->K + C->nin * n + q, prec);
            arb_add(s, s, f, prec);
            a += fabs(arf_get_d(arb_midref(f), ARF_RND_NEAR));
        }
        arb_sub(h, p->b, p->a, prec + 64);
        arb_mul_2exp_si(h, h, -1);
        arb_mul(s, s, h, prec);
        mag_set_d(e, tuple_error(p, C, idx, npts));
        arb_add_error_mag(s, e);
        arb_add(res, res, s, prec);
        *A += a * ivl_mid(p->h);
    }
    arb_clear(s);
    arb_clear(f);
    arb_clear(h);
    mag_clear(e);
}

/* Relative accuracy of r in bits against the scale max(|r|, A). */
static double
acc_bits(const arb_t r, double A)
{
    double m, rad;
    if (!arb_is_finite(r))
        return -1e9;
    rad = mag_get_d(arb_radref(r));
    if (rad == 0)
        return 1e9;
    m = fabs(arf_get_d(arb_midref(r), ARF_RND_NEAR));
    m = FLINT_MAX(m, A);
    return log2(m / rad);
}

/* Cuts [lo, hi] into accepted panels (cut at 0 for Erf, at the inputs
   inside for ReLU); 0 on failure. */
static int
make_panels(panel_struct ** Pout, slong * npout, const ctx_struct * C, const arb_t lo,
            const arb_t hi)
{
    slong ncuts = 0, i, j, wn = 0, walloc, np = 0, alloc = 32;
    arb_ptr cuts = _arb_vec_init(C->nin + 3), wa, wb;
    slong * depth;
    panel_struct * P = flint_malloc(alloc * sizeof(panel_struct));
    int ok = 1;

    arb_set(cuts + ncuts++, lo);
    arb_set(cuts + ncuts++, hi);
    if (!C->onesided)
        arb_zero(cuts + ncuts++);     /* (measured: fewer trials for Erf, not for ReLU) */
    if (C->onesided)
        for (i = 0; i < C->nin; i++)
            if (C->used[i])
                arb_set(cuts + ncuts++, C->x + i);
    for (i = 1; i < ncuts; i++)
        for (j = i; j > 0 && arf_cmp(arb_midref(cuts + j - 1), arb_midref(cuts + j)) > 0; j--)
            arb_swap(cuts + j - 1, cuts + j);
    walloc = ncuts + 2 * MAXDEPTH + 8;
    wa = _arb_vec_init(walloc);
    wb = _arb_vec_init(walloc);
    depth = flint_malloc(walloc * sizeof(slong));
    /* the work list as a stack, last piece first: panels come out in order
       from -L to L */
    for (i = ncuts - 2; i >= 0; i--)
    {
        if (arf_cmp(arb_midref(cuts + i), arb_midref(lo)) < 0
            || arf_cmp(arb_midref(cuts + i + 1), arb_midref(hi)) > 0)
            continue;
        if (arf_cmp(arb_midref(cuts + i), arb_midref(cuts + i + 1)) >= 0)
            continue;
        arb_set(wa + wn, cuts + i);
        arb_set(wb + wn, cuts + i + 1);
        depth[wn] = 0;
        wn++;
    }
    while (wn > 0 && ok && !neft_interrupted())
    {
        panel_struct * p;
        slong d;
        if (np == alloc)
        {
            alloc *= 2;
            P = flint_realloc(P, alloc * sizeof(panel_struct));
        }
        p = P + np;
        panel_init(p, C);
        wn--;
        arb_swap(p->a, wa + wn);
        arb_swap(p->b, wb + wn);
        d = depth[wn];
        if (panel_rule(p, C))
        {
            p->gl = _neft_gl(p->n, C->prec);
            np++;
            if (np > MAXPANELS)
                ok = 0;
            continue;
        }
        /* split: where the nearest singular point projects, or at a quarter
           from the end nearer to it (geometric grading towards it), at a
           double strictly inside (else the exact midpoint) */
        if (d >= MAXDEPTH || wn + 2 > walloc)
        {
            panel_clear(p, C);
            ok = 0;
            break;
        }
        {
            double ad = arf_get_d(arb_midref(p->a), ARF_RND_NEAR), bd = arf_get_d(arb_midref(p->b), ARF_RND_NEAR);
            arb_t m;
            arb_init(m);
            double cd = 0.5 * ad + 0.5 * bd, w = bd - ad, sr, sp;
            rho_limit(C, cd, 0.5 * w, &sr);
            if (sr > ad + 0.25 * w && sr < bd - 0.25 * w)
                sp = sr;
            else if (sr <= ad + 0.25 * w)
                sp = ad + 0.25 * w;
            else
                sp = bd - 0.25 * w;
            arb_set_d(m, sp);
            if (!(arb_gt(m, p->a) && arb_lt(m, p->b)))
            {
                arf_add(arb_midref(m), arb_midref(p->a), arb_midref(p->b), ARF_PREC_EXACT, ARF_RND_DOWN);
                arf_mul_2exp_si(arb_midref(m), arb_midref(m), -1);
                mag_zero(arb_radref(m));
            }
            arb_set(wa + wn, m);
            arb_set(wb + wn, p->b);
            depth[wn] = d + 1;
            wn++;
            arb_set(wa + wn, p->a);
            arb_set(wb + wn, m);
            depth[wn] = d + 1;
            wn++;
            arb_clear(m);
        }
        panel_clear(p, C);
    }
    _arb_vec_clear(cuts, C->nin + 3);
    _arb_vec_clear(wa, walloc);
    _arb_vec_clear(wb, walloc);
    flint_free(depth);
    *Pout = P;
    *npout = np;
    return ok;
}

/* One integral: a panel where the integrand is small against its mean
   over the box needs less relative accuracy.  With T_p = prod_i S_{t_i} (the
   panel's scale) and I = sum_p h_p T_p, the error allowed on panel p becomes
   2^-(goal+4) h_p max(T_p, I/L), which still sums to at most 2^-(goal+3) I;
   n is lowered accordingly (rho and the bounds are kept). */
static void
relax_panels(panel_struct * P, slong np, const ctx_struct * C, const slong * tup)
{
    double I = 0, Lh = 0, * T = flint_malloc(np * sizeof(double));
    slong pi, i;
    for (pi = 0; pi < np; pi++)
    {
        double hd = ivl_mid(P[pi].h);
        T[pi] = 1;
        for (i = 0; i < C->P - C->loops; i++)
            T[pi] *= P[pi].S[tup[i]];
        for (i = 0; i < C->loops; i++)
            T[pi] *= P[pi].S[C->nin];
        I += hd * T[pi];
        Lh += hd;
    }
    for (pi = 0; pi < np; pi++)
    {
        panel_struct * p = P + pi;
        double slack = (T[pi] > 0) ? log2(I / (Lh * T[pi])) : 30, nn;
        slong n;
        if (!(slack > 1))
            continue;
        slack = FLINT_MIN(slack, 30);
        nn = nodes_needed_slack(C, p->R, p->rho, slack);
        n = _neft_gl_size(FLINT_MAX(4, (slong) nn));
        if (n > 0 && n < p->n)
        {
            double E = rule_error(p->h, p->rho, n);
            if (E < INFINITY)
            {
                p->n = n;
                p->E = E;
                p->gl = _neft_gl(n, C->prec);
            }
        }
    }
    flint_free(T);
}

static slong
binom_count(slong k, slong n)
{
    /* C(k + n - 1, n) */
    slong r = 1, i;
    for (i = 1; i <= n; i++)
        r = r * (k + n - i) / i;
    return r;
}

int
neft_integrate_tuples1(arb_ptr res, const neft_kernel_t k, arb_srcptr x, slong nin,
                       slong npts, slong loops, const arf_t L, const neft_integrate_opt_t opt,
                       slong prec)
{
    slong n = binom_count(nin, npts), t;
    int s = neft_interrupted() ? NEFT_INTEGRATE_INTERRUPTED
          : _neft_integrate_panels(res, NULL, n, k, x, nin, npts, loops, L, opt, prec);

    if (neft_interrupted())
    {
        for (t = 0; t < n; t++)
            arb_indeterminate(res + t);
        s = NEFT_INTEGRATE_INTERRUPTED;
    }
    return s;
}

/* acb_calc_integrate on one tuple */
static int
tuple_quad(arb_t res, const neft_kernel_t k, arb_srcptr x, const slong * idx, slong npts,
           slong loops, const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    neft_vint_t v;
    int s;
    neft_vint_init_tuple1(v, x, idx, npts, loops);
    s = _neft_integrate_quad(res, v, k, L, opt, prec);
    neft_vint_clear(v);
    return s;
}

double
neft_integrate_tuples1_cost(const neft_kernel_t k, slong nin, slong npts, slong loops,
                            const arf_t L, slong prec)
{
    double ntup = 1, nodes, Lf = 1, A = _neft_cost_arb(prec);
    slong i;
    for (i = 1; i <= npts; i++)
        ntup = ntup * (double) (nin + i - 1) / (double) i;
    if (!_neft_integrate_panels_apply(k, L))
        return ntup * neft_integrate_vint_cost(1, npts, loops, k, L, prec)
               / _neft_tuples_share(k, npts, loops, L, prec, ntup);
    if (arf_cmpabs_2exp_si(L, 0) > 0)
        Lf = arf_get_d(L, ARF_RND_UP);
    /* Gauss-Legendre nodes over all panels (measured: about 150 per unit
       of log L at 64 bits, growing like prec, more panels at the ReLU
       kinks), every input's kernel at each (and its ellipse bounds), then
       per tuple a product per node */
    nodes = (150 * (1 + log2(Lf) / 2) + (neft_kernel_has_kink(k) ? 16.0 * (double) nin : 0))
          * (double) FLINT_MAX(prec, 32) / 64;
    return 2 * (double) (nin + 1) * nodes * (4 * _neft_cost_exp(prec) + 20 * A)
         + ntup * nodes * (double) (npts + loops + 1) * A;
}

/* 1 when the tuples (all sorted ones: tuples NULL) cannot share panels and
   go one by one: *closed for closed forms (GaussNet, ReLU sigma_b = 0), L =
   inf, d > 1 (neft_integrate_vint never comes back here for them); else a
   ReLU kink not known exactly (an input ball, or sigma_b^2 not certainly
   positive), more than 64 factors, or no interval arithmetic (rounding
   mode): acb_calc_integrate one by one. */
static int
one_by_one(int * closed, const neft_kernel_t k, arb_srcptr x, slong nin, const slong * tuples,
           slong ntup, slong npts, slong loops, const arf_t L)
{
    slong t;
    int byquad;
    *closed = !_neft_integrate_panels_apply(k, L);
    byquad = npts + loops > 64 || (neft_kernel_has_kink(k) && !arb_is_positive(k->sb2))
             || !_neft_ivl_usable();     /* the panels' bounds need the intervals */
    for (t = 0; t < ntup * npts && !*closed && !byquad; t++)
        byquad = neft_kernel_has_kink(k) && !arb_is_exact(x + (tuples == NULL ? t % nin : tuples[t]));
    return *closed || byquad;
}

/* The shared part of the panel method for the tuples given (all: tuples
   NULL): the kernels at the inputs, their singular points. */
static void
ctx_init(ctx_struct * C, const neft_kernel_t k, arb_srcptr x, slong nin, const slong * tuples,
         slong ntup, slong npts, slong loops, const neft_integrate_opt_t opt, slong prec)
{
    slong t, j;
    C->k = k;
    C->x = x;
    C->nin = nin;
    C->nk = nin + 1;
    C->loops = loops;
    C->prec = prec;
    C->goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec;
    C->P = npts + loops;
    /* measured: fewer nodes in all than with larger or smaller panels */
    C->nacc = FLINT_MAX(24, FLINT_MIN(GL_NMAX, 3 * C->goal / 4));
    C->onesided = neft_kernel_has_kink(k);
    C->verbose = opt->verbose;
    C->used = flint_calloc(C->nk, sizeof(char));
    if (tuples == NULL)
        for (j = 0; j < nin; j++)
            C->used[j] = 1;
    else
        for (t = 0; t < ntup * npts; t++)
            C->used[tuples[t]] = 1;
    C->used[nin] = (loops > 0);
    C->in = flint_malloc(C->nk * sizeof(_neft_k1in_struct));
    C->ain = NULL;          /* the Arb kernels: when first needed */
    C->sx = flint_malloc(2 * C->nk * sizeof(double));
    C->sy = flint_malloc(2 * C->nk * sizeof(double));
    C->nsing = 0;
    /* the interval kernels, also for the (approximate) singular points; the
       Arb kernels stand in when the intervals are unusable */
    C->dbl = _neft_k1_init(&C->K1, k);
    {
        int approx = C->dbl;
        if (!approx)
        {
            /* parameters for the singular points only */
            _neft_k1_struct * K1 = &C->K1;
            K1->type = _neft_k1_engine(k);
            K1->sub = k->subtract_bias;
            K1->a = ivl_pt(arf_get_d(arb_midref(k->sw2), ARF_RND_NEAR));
            K1->b = ivl_pt(arf_get_d(arb_midref(k->sb2), ARF_RND_NEAR));
            K1->opb = ivl_pt(1 + 2 * K1->b.lo);
            K1->A2 = ivl_pt(2 * K1->a.lo * K1->opb.lo);
            K1->c = ivl_pt(2 * K1->b.lo / K1->opb.lo);
            K1->S = K1->sab = ivl_pt(0);
        }
        for (j = 0; j < C->nk; j++)
        {
            if (!C->used[j])
                continue;
            if (j < nin)
            {
                if (approx)
                    _neft_k1_input(C->in + j, &C->K1, x + j);
                else
                {
                    double xd = arf_get_d(arb_midref(x + j), ARF_RND_NEAR), a = C->K1.a.lo, b = C->K1.b.lo;
                    C->in[j].x = ivl_pt(xd);
                    C->in[j].cx = ivl_pt(C->K1.c.lo * xd);
                    C->in[j].C = ivl_pt((1 + 4 * b) * (1 + 2 * a * xd * xd / (1 + 2 * b)));
                }
            }
            C->nsing += _neft_k1_sing(&C->K1, j < nin ? C->in + j : NULL, C->sx + C->nsing,
                                      C->sy + C->nsing);
        }
    }
}

static void
ctx_clear(ctx_struct * C)
{
    slong j;
    flint_free(C->used);
    flint_free(C->in);
    if (C->ain != NULL)
    {
        for (j = 0; j < C->nin; j++)
            _neft_k1arb_input_clear(C->ain + j);
        flint_free(C->ain);
        _neft_k1arb_clear(&C->A1);
    }
    flint_free(C->sx);
    flint_free(C->sy);
}

/* Every tuple (ntup given, or all sorted ones: tuples NULL) integrated over
   [lo, hi] into res: done[t] = 1 where the ball meets the goal (relative to
   the integral of |F| over [lo, hi]), else 0 and res + t an enclosure that
   is too wide (or indeterminate).  The panels are built once for all
   tuples; the kernel values at the nodes in double intervals (goal <=
   DGOAL), else or when those are too coarse in Arb. */
static void
segment(arb_ptr res, char * done, ctx_struct * C, const arb_t lo, const arb_t hi,
        const slong * tuples, slong ntup, slong npts)
{
    panel_struct * P = NULL;
    slong np = 0, t, i;
    slong * idx = flint_calloc(npts + 1, sizeof(slong));
    int built, dvals = 0;

    built = make_panels(&P, &np, C, lo, hi);
    if (built && ntup == 1 && np > 1 && tuples != NULL)
        relax_panels(P, np, C, tuples);
    if (built && C->dbl && C->goal <= DGOAL)
    {
        dvals = 1;
        for (i = 0; i < np && dvals; i++)
            dvals = panel_values_d(P + i, C);
    }
    if (C->verbose)
    {
        slong nn = 0;
        for (i = 0; i < np; i++)
            nn += P[i].n;
        flint_fprintf(stderr, "panels: [%.6g, %.6g]: %wd panels, %wd nodes, %s values%s\n",
                      arf_get_d(arb_midref(lo), ARF_RND_NEAR),
                      arf_get_d(arb_midref(hi), ARF_RND_NEAR), np, nn,
                      dvals ? "double" : "Arb", built ? "" : " (gave up)");
    }
    for (t = 0; t < ntup; t++)
    {
        double A = 0, need = FLINT_MIN(C->goal, C->prec - 12) - 4;
        done[t] = 0;
        arb_indeterminate(res + t);
        if (neft_interrupted())
            continue;
        if (tuples != NULL)
            for (i = 0; i < npts; i++)
                idx[i] = tuples[t * npts + i];
        if (built && dvals)
        {
            ivl s = tuple_sum_d(P, np, C, idx, npts, &A);
            _neft_ivl_get_arb(res + t, s);
            done[t] = acc_bits(res + t, A) >= C->goal;
        }
        if (built && !done[t])
        {
            tuple_sum_arb(res + t, P, np, C, idx, npts, &A);
            done[t] = acc_bits(res + t, A) >= need;
        }
        if (tuples == NULL)
            neft_tuple_next(idx, npts, C->nin);
    }
    for (i = 0; i < np; i++)
        panel_clear(P + i, C);
    flint_free(P);
    flint_free(idx);
}

/* The tuples given (ntup x npts indices), or all sorted ones (tuples NULL). */
int
_neft_integrate_panels(arb_ptr res, const slong * tuples, slong ntup, const neft_kernel_t k,
                       arb_srcptr x, slong nin, slong npts, slong loops, const arf_t L,
                       const neft_integrate_opt_t opt, slong prec)
{
    slong t, i;
    slong * idx;
    int status = NEFT_INTEGRATE_SUCCESS, closed;
    ctx_struct C[1];
    char * done, err[256];
    arb_t lo, hi;

    idx = flint_calloc(npts + 1, sizeof(slong));
    if (one_by_one(&closed, k, x, nin, tuples, ntup, npts, loops, L))
    {
        for (t = 0; t < ntup; t++)
        {
            int s;
            if (tuples != NULL)
                for (i = 0; i < npts; i++)
                    idx[i] = tuples[t * npts + i];
            if (closed)
            {
                neft_vint_t v;
                neft_vint_init_tuple1(v, x, idx, npts, loops);
                s = neft_integrate_vint(res + t, v, k, L, opt, prec, err, sizeof err);
                neft_vint_clear(v);
            }
            else
                s = tuple_quad(res + t, k, x, idx, npts, loops, L, opt, prec);
            status = neft_status_worst(status, s);
            if (tuples == NULL)
                neft_tuple_next(idx, npts, nin);
        }
        flint_free(idx);
        return status;
    }

    ctx_init(C, k, x, nin, tuples, ntup, npts, loops, opt, prec);
    arb_init(lo);
    arb_init(hi);
    arb_set_arf(hi, L);
    arb_neg(lo, hi);
    done = flint_calloc(ntup, sizeof(char));
    segment(res, done, C, lo, hi, tuples, ntup, npts);
    for (t = 0; t < ntup && !neft_interrupted(); t++)
    {
        if (tuples != NULL)
            for (i = 0; i < npts; i++)
                idx[i] = tuples[t * npts + i];
        if (!done[t])
        {
            /* too wide: acb_calc_integrate on this one, keep the narrower */
            arb_t q;
            int s;
            arb_init(q);
            s = tuple_quad(q, k, x, idx, npts, loops, L, opt, prec);
            if (arb_is_finite(q) && (!arb_is_finite(res + t)
                || mag_cmp(arb_radref(q), arb_radref(res + t)) < 0))
                arb_set(res + t, q);
            status = neft_status_worst(status, s);  /* (of the method that had the last word) */
            arb_clear(q);
        }
        if (tuples == NULL)
            neft_tuple_next(idx, npts, nin);
    }
    flint_free(done);
    arb_clear(lo);
    arb_clear(hi);
    ctx_clear(C);
    flint_free(idx);
    return status;
}

/* Several cutoffs at once (nested): [-L_0, L_0], then only the shells
   [L_{c-1}, L_c] and [-L_c, -L_{c-1}], each with panels of its own (far
   from the inputs the kernels' singular points are at distance ~ L_c, so a
   shell's panels grow with it and need few nodes), the tuple's sum carried
   over.  A tuple whose piece misses the goal is computed from cutoff c on
   by the single-cutoff method (with its own fallbacks). */
int
neft_integrate_tuples1_cutoffs(arb_ptr res, const neft_kernel_t k, arb_srcptr x, slong nin,
                               slong npts, slong loops, arf_srcptr L, slong ncut,
                               const neft_integrate_opt_t opt, slong prec)
{
    slong ntup = binom_count(nin, npts), t, c;
    slong * idx, * bad;
    int status = NEFT_INTEGRATE_SUCCESS, closed, nested = ncut > 0;
    ctx_struct C[1];
    arb_ptr sum, part;
    char * done;
    arb_t lo, hi;

    for (c = 0; c < ncut && nested; c++)
        nested = arf_is_finite(L + c) && arf_sgn(L + c) > 0
                 && (c == 0 || arf_cmp(L + c - 1, L + c) < 0);
    if (nested)
        nested = !one_by_one(&closed, k, x, nin, NULL, ntup, npts, loops, L + ncut - 1)
                 && !one_by_one(&closed, k, x, nin, NULL, ntup, npts, loops, L + 0);
    if (!nested)
    {
        for (c = 0; c < ncut; c++)
            status = neft_status_worst(status, neft_integrate_tuples1(res + c * ntup, k, x, nin,
                                                              npts, loops, L + c, opt, prec));
        return status;
    }
    if (neft_interrupted())
    {
        for (t = 0; t < ncut * ntup; t++)
            arb_indeterminate(res + t);
        return NEFT_INTEGRATE_INTERRUPTED;
    }
    ctx_init(C, k, x, nin, NULL, ntup, npts, loops, opt, prec);
    sum = _arb_vec_init(ntup);
    part = _arb_vec_init(ntup);
    done = flint_calloc(ntup, sizeof(char));
    bad = flint_malloc(ntup * sizeof(slong));
    idx = flint_calloc(npts + 1, sizeof(slong));
    arb_init(lo);
    arb_init(hi);
    for (t = 0; t < ntup; t++)
        bad[t] = ncut;
    for (c = 0; c < ncut && !neft_interrupted(); c++)
    {
        int side;
        for (side = 0; side < (c == 0 ? 1 : 2); side++)
        {
            if (c == 0)
            {
                arb_set_arf(hi, L + 0);
                arb_neg(lo, hi);
            }
            else
            {
                arb_set_arf(lo, L + c - 1);
                arb_set_arf(hi, L + c);
                if (side)
                {
                    arb_swap(lo, hi);
                    arb_neg(lo, lo);
                    arb_neg(hi, hi);
                }
            }
            segment(part, done, C, lo, hi, NULL, ntup, npts);
            for (t = 0; t < ntup; t++)
            {
                if (!done[t] && bad[t] == ncut)
                    bad[t] = c;
                if (c == 0 && side == 0)
                    arb_set(sum + t, part + t);
                else
                    arb_add(sum + t, sum + t, part + t, prec);
            }
        }
        _arb_vec_set(res + c * ntup, sum, ntup);
    }
    /* the tuples that missed the goal somewhere: by the single-cutoff method */
    for (t = 0; t < ntup && !neft_interrupted(); t++)
    {
        for (c = bad[t]; c < ncut; c++)
            status = neft_status_worst(status, _neft_integrate_panels(res + c * ntup + t, idx, 1,
                                       k, x, nin, npts, loops, L + c, opt, prec));
        neft_tuple_next(idx, npts, nin);
    }
    if (neft_interrupted())
    {
        for (t = 0; t < ncut * ntup; t++)
            arb_indeterminate(res + t);
        status = NEFT_INTEGRATE_INTERRUPTED;
    }
    arb_clear(lo);
    arb_clear(hi);
    flint_free(idx);
    flint_free(bad);
    flint_free(done);
    _arb_vec_clear(sum, ntup);
    _arb_vec_clear(part, ntup);
    ctx_clear(C);
    return status;
}

int
_neft_integrate_panels1(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L,
                        const neft_integrate_opt_t opt, slong prec)
{
    /* the distinct leg points as inputs, the legs as one tuple */
    arb_ptr x = _arb_vec_init(v->nlegs + 1);
    slong * tup = flint_malloc((v->nlegs + 1) * sizeof(slong)), nin = 0, i;
    int s;
    for (i = 0; i < v->nlegs; i++)
    {
        if (nin == 0 || !arb_equal(x + nin - 1, v->point + i))
            arb_set(x + nin++, v->point + i);
        tup[i] = nin - 1;
    }
    s = _neft_integrate_panels(res, tup, 1, k, x, nin, v->nlegs, v->A[0], L, opt, prec);
    _arb_vec_clear(x, v->nlegs + 1);
    flint_free(tup);
    return s;
}
