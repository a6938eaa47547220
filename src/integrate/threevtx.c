/* Three internal vertices in d_in = 1 (the order-3 expansion), every
   kernel row, finite cutoff L:

       I = \int_{[-L,L]^3} prod_legs K(x_i, y_{v(i)}) prod_{a<=b} K(y_a, y_b)^{A_ab} dy.

   Where the integrand is not analytic (d_in = 1):
   - relu, leaky-relu with sigma_b > 0: G = ab (x - y)^2, sqrt(G) = sqrt(ab)|x - y|:
     the kernel is analytic in (x, y) except on x = y (k(y,y) = b + a y^2 > 0
     on the real line): kinks at y_a = x_i (legs) and y_a = y_b (links);
     the one-sided continuation sqrt(G) = side sqrt(ab)(y - x) is analytic
     across them (neft_kernel_side1_acb).  Self-loops K(y,y) are polynomials.
   - the orthant form (sigma_b = 0; relu, leaky-relu, linear): K(x, y) =
     c x y (x y > 0), c' x y (x y < 0): kinks only at y = 0.
   - erf, gauss, sin, linear (sigma_b > 0): analytic on the real space.

   The cube is cut at the kinks' coordinates (the legs' points for a kink,
   0 for the orthant form, the legs' points and 0 for smooth rows to start
   the adaptive grading where the integrand varies) and at +-s 2^k (s a
   power of 2 >= max |x_i|, while 3/2 s 2^k <= L: far from the inputs the
   kernels vary on the scale |y|, so each far cell spans a factor 2 of
   |y|) into cells prod_a [l_a, h_a] of one common grid.  In a cell, the
   coordinates lying in the same interval form a group; a group holding
   two joined vertices (kink; GaussNet, whose ridge y_a = y_b has width
   1/sigma_w in cells of any size) is cut into its orderings,
   y_{s0} <= y_{s1} (<= y_{s2}).

   Coordinates: y itself, or for relu/leaky-relu with sigma_b > 0 the
   angle phi, y = s tan(phi) (kern_angle: the kernels are functions of
   the angles whose boxes do not grow with |y|; a cell [l, h] of the grid
   is [atan(l/s), atan(h/s)] in phi, its ends balls, the kinks at the same
   exact cuts of y, and dy = s sec^2(phi) dphi joins the Jacobian); below
   t is the coordinate (y or phi).  Each piece is mapped from [0,1]^3 by
   the polynomial (Duffy-type) map, top down (written for t = y),
       y_{top} = l + (h - l) u_{top},   y_{s} = l + (y_{above s} - l) u_s,
   Jacobian (h - l) prod_s (y_{above s} - l) (an ungrouped coordinate:
   y = l + (h - l) u); the differences y_{above s} - y_s = (y_{above s} - l)(1 - u_s)
   are evaluated as such products (no difference of dependent boxes), on which every kernel is the one-sided
   continuation for the piece's side, so F~(u) = F(y(u)) J(u) is analytic
   on a neighbourhood of [0,1]^3.

   The rule and its error: globally adaptive tensor Gauss-Legendre on
   sub-boxes of [0,1]^3 with n_p nodes along axis p (tensor_rule: every
   factor evaluated once on the nodes of the axes it depends on, the sum
   taken axis by axis).  With half-widths h_p
   the error is at most
       sum_p 2^{P-1} (64/15) M_p rho_p^{-2 (n_p - 1)} / (rho_p^2 - 1) prod_q h_q   (P = 3),
   M_p >= |F~| with u_p on the Bernstein ellipse E_rho (enclosed in a
   complex box) and the other u_q on their real intervals (the error
   telescopes into one term per axis; the other axes' rules and integrals
   have positive weights of sum 2; Trefethen, ATAP thm 19.3).  M_p is
   evaluated in Arb with holomorphy checked (analytic = 1): a non-finite
   bound means no rule along that axis.  A sub-box is also enclosed
   directly as volume x F~(box) (real ball arithmetic), which is how the
   sub-boxes at the singular points of the continuations are finished; the
   smaller of the two errors is kept.  The sub-box with the largest error
   is bisected (along its axis of largest error term, or an axis with no
   rule; the boxes kept in a max-heap by error) until the sum of the
   errors is at most 2^-goal of an estimate of \int |F|, then (the goal
   relative to the value, where the integrand cancels) at most 2^-goal of
   |value| but not below 2^-(goal + TIGHTEN_BITS) of the estimate, or the
   evaluation budget is spent (NO_CONVERGENCE only before the first
   goal); the result is the ball sum of the sub-boxes' enclosures,
   rigorous either way.  The ellipse bounds M_p are taken over tables of
   the factors on the pieces of their own axes (bcache_fill). */

#include <math.h>
#include <string.h>
#include "threevtx.h"
#include "gl.h"
#include "cbox.h"

#define P3 3
static const double rhos[] = {8.0, 4.0, 2.6, 1.8, 1.4};
#define NRHO 5
static const slong nsizes[] = {4, 6, 8, 10, 12, 14, 16, 20, 24, 32};
#define NSIZES 7
/* along a far axis (threevtx_far.c), where the cells are long */
#define NSIZES_FAR 10
/* the kernel evaluations spent at most by default (about 50 s of CPU,
   measured at 2 us each) */
#define EVAL_BUDGET 25000000
/* the goal relative to the value: at most this many bits tighter than
   relative to the scale */
#define TIGHTEN_BITS 6

int
_neft_threevtx_kind(const neft_kernel_t k)
{
    if (k->act->kernel->orthant != NULL && arb_is_zero(k->sb2))
        return _NEFT_THREEVTX_ORTHANT;
    if (neft_kernel_has_kink(k))
        return _NEFT_THREEVTX_KINK;
    return _NEFT_THREEVTX_SMOOTH;
}

/* One piece: the interval [lo_a, hi_a] of each coordinate, the coordinate
   just above it in its ordered group (or -1), the order the coordinates
   are computed in, the sides of every kink. */
typedef struct
{
    arb_struct lo[P3], hi[P3];
    slong prev[P3];          /* the coordinate just above it in its ordered group, or -1 */
    slong seq[P3];
    int link[P3][P3];        /* sign(y_b - y_a) on the piece (a != b joined, kink) */
    int sgn[P3];             /* sign of y_a (orthant form) */
    slong cell[P3];          /* interval index of each coordinate */
    int * lside;             /* sign(y - x_i) of each leg on the piece (kink) */
    int far[P3];             /* coordinate t = log|y| (erf far field, threevtx_far.c) */
    double yfrac;            /* the piece's volume / (2L)^3 */
}
piece_struct;

typedef struct
{
    slong piece;
    double lo[P3], hi[P3];   /* dyadic sub-box of [0,1]^3 */
    arb_struct est;          /* enclosure of its integral */
    double err;              /* its radius (upper bound, as a double) */
    slong axis;              /* where to bisect it */
}
box_struct;

/* One factor of the integrand (factor_eval). */
typedef struct
{
    int type;                /* 0 a run of legs, 1 self-loops, 2 links */
    slong a, b, i, e;
}
fac_struct;

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    int kind;
    acb_ptr x;               /* the legs' points */
    int * xsgn;              /* their signs (orthant form) */
    slong * same;            /* runs of equal legs */
    arb_t csame, copp;       /* the orthant constants */
    arb_t sab;               /* sqrt(sigma_w^2 sigma_b^2) (kink) */
    int erf;                 /* the erf row: its kernel by erf_box */
    int gauss;               /* the gauss row (GaussNet) */
    int angle;               /* coordinates phi, y = s tan(phi) (relu kink, erf) */
    int far;                 /* erf: far cells beyond 2^efar in t = log|y| (threevtx_far.c) */
    slong efar;
    arb_t s;                 /* that scale s */
    int nodes;               /* evaluating at the rule's nodes (real points) */
    slong prec;
    slong evals;
    fac_struct * fac;        /* the factors: runs of legs, self-loops, links */
    slong nfac;
    piece_struct * pc;
    slong npc, apc;
}
tv_struct;

/* z^2 for a complex box z: Re = X^2 - V^2 with interval squares, Im = 2 X V. */
static void
sqr_box(acb_t res, const acb_t z, slong prec)
{
    arb_t s, t;
    arb_init(s);
    arb_init(t);
    _neft_arb_sqr_range(s, acb_realref(z), prec);
    _neft_arb_sqr_range(t, acb_imagref(z), prec);
    arb_sub(s, s, t, prec);
    arb_mul(t, acb_realref(z), acb_imagref(z), prec);
    arb_mul_2exp_si(acb_imagref(res), t, 1);
    arb_swap(acb_realref(res), s);
    arb_clear(s);
    arb_clear(t);
}

/* res = k(z, z) = b + a z^2 for a complex box z. */
static void
k_self(acb_t res, const neft_kernel_struct * k, const acb_t z, slong prec)
{
    sqr_box(res, z, prec);
    acb_mul_arb(res, res, k->sw2, prec);
    acb_add_arb(res, res, k->sb2, prec);
}

/* The erf kernel in d_in = 1 on complex boxes: b + a (2/pi) atan(2 k(x,y) / sqrt(N)),
   N = (1 + 2k(x,x))(1 + 2k(y,y)) - 4k(x,y)^2
     = 2a(1+2b)(y - cx)^2 + (1+4b)(1 + 2a x^2/(1+2b)),  c = 2b/(1+2b)
   (docs/kernels.md), with the box functions of cbox.c. */
static void
erf_box(acb_t res, const neft_kernel_struct * k, const acb_t x, const acb_t y, int an,
        slong prec)
{
    acb_t n, t, u;
    arb_t c, one2b, pi;
    acb_init(n); acb_init(t); acb_init(u);
    arb_init(c); arb_init(one2b); arb_init(pi);
    arb_mul_2exp_si(one2b, k->sb2, 1);
    arb_add_ui(one2b, one2b, 1, prec);                /* 1 + 2b */
    arb_mul_2exp_si(c, k->sb2, 1);
    arb_div(c, c, one2b, prec);                        /* c */
    acb_mul_arb(t, x, c, prec);
    acb_sub(t, y, t, prec);
    sqr_box(t, t, prec);
    acb_mul_arb(t, t, one2b, prec);
    acb_mul_arb(t, t, k->sw2, prec);
    acb_mul_2exp_si(t, t, 1);                          /* 2a(1+2b)(y - cx)^2 */
    sqr_box(u, x, prec);
    acb_mul_arb(u, u, k->sw2, prec);
    acb_mul_2exp_si(u, u, 1);
    acb_div_arb(u, u, one2b, prec);
    acb_add_ui(u, u, 1, prec);
    arb_mul_2exp_si(c, k->sb2, 2);
    arb_add_ui(c, c, 1, prec);                         /* 1 + 4b */
    acb_mul_arb(u, u, c, prec);
    acb_add(n, t, u, prec);                            /* N */
    _neft_acb_sqrt_box(n, n, an, prec);
    acb_mul(t, x, y, prec);
    acb_mul_arb(t, t, k->sw2, prec);
    acb_add_arb(t, t, k->sb2, prec);
    acb_mul_2exp_si(t, t, 1);                          /* 2 k(x,y) */
    _neft_acb_div_box(t, t, n, prec);
    _neft_acb_atan_box(t, t, an, prec);
    arb_const_pi(pi, prec);
    acb_div_arb(t, t, pi, prec);
    acb_mul_2exp_si(t, t, 1);
    acb_mul_arb(res, t, k->sw2, prec);
    if (!k->subtract_bias)
        acb_add_arb(res, res, k->sb2, prec);
    acb_clear(n); acb_clear(t); acb_clear(u);
    arb_clear(c); arb_clear(one2b); arb_clear(pi);
}

/* The kernel in the angle coordinates, x = s tan(phi), y = s tan(psi)
   (C->angle; d_in = 1, a = sigma_w^2, b = sigma_b^2; docs/integrate.md):
   - relu, leaky-relu (s = sqrt(b/a)): k(x,x) = b sec^2 phi, k(x,y) =
     b cos(psi - phi) sec phi sec psi, so theta = |psi - phi| exactly:
     w = sqrt(G) + (pi - theta) k(x,y) = r J, r = b sec phi sec psi,
     J = side sin(t) + (pi - side t) cos(t), t = psi - phi, side = sign(t):
     entire in t, analytic in (phi, psi) off cos = 0;
   Far from the inputs it depends on the angles, whose boxes do not grow
   with |y| as those of y - x and x y do (the bounds on the ellipses'
   boxes were infinite in the far cells before).  dlt (or NULL) = psi - phi
   without dependency.  Boxes (an) by the cbox.c functions. */
static void
kern_angle(acb_t r, tv_struct * C, const acb_t x, const acb_t y, const acb_t dlt, int side,
           int an, slong prec)
{
    const neft_kernel_struct * k = C->k;
    acb_t t, sn, cs, cx, cy, w, kxy;
    acb_init(t); acb_init(sn); acb_init(cs); acb_init(cx); acb_init(cy);
    acb_init(w);
    acb_init(kxy);
    if (dlt != NULL)
        acb_set(t, dlt);
    else
        acb_sub(t, y, x, prec);
    acb_cos(cx, x, prec);
    acb_cos(cy, y, prec);
    acb_mul(cx, cx, cy, prec);                      /* cos phi cos psi */
    acb_sin_cos(sn, cs, t, prec);
    if (side < 0)
    {
        acb_neg(sn, sn);
        acb_neg(t, t);
    }
    acb_const_pi(w, prec);
    acb_sub(w, w, t, prec);
    acb_mul(w, w, cs, prec);
    acb_add(w, w, sn, prec);                        /* J */
    acb_set_arb(cy, k->sb2);
    if (an)
        _neft_acb_div_box(cy, cy, cx, prec);        /* r = b sec phi sec psi */
    else
        acb_div(cy, cy, cx, prec);
    acb_mul(w, w, cy, prec);
    acb_mul(kxy, cs, cy, prec);
    _neft_kernel_kink_finish(r, k, w, kxy, prec);
    acb_clear(w);
    acb_clear(kxy);
    acb_clear(t); acb_clear(sn); acb_clear(cs); acb_clear(cx); acb_clear(cy);
}

/* K(x, y) on the current piece: side = sign(y - x) (kink), sx, sy the signs
   of x and y (orthant form); dlt (or NULL) = y - x computed without the
   dependency of y on x (kink: sqrt(G) = side sqrt(ab) (y - x), as
   neft_kernel_side1_acb). */
static void
kern(acb_t r, tv_struct * C, const acb_t x, const acb_t y, const acb_t dlt, int side, int sx,
     int sy, int an, slong prec)
{
    if (C->angle)
        kern_angle(r, C, x, y, dlt, side, an, prec);
    else if (C->kind == _NEFT_THREEVTX_KINK)
    {
        const neft_kernel_struct * k = C->k;
        acb_t sG, kxy, rr, t;
        acb_init(sG); acb_init(kxy); acb_init(rr); acb_init(t);
        if (dlt != NULL)
            acb_set(sG, dlt);
        else
            acb_sub(sG, y, x, prec);
        acb_mul_arb(sG, sG, C->sab, prec);
        if (side < 0)
            acb_neg(sG, sG);
        acb_mul(kxy, x, y, prec);
        acb_mul_arb(kxy, kxy, k->sw2, prec);
        acb_add_arb(kxy, kxy, k->sb2, prec);
        k_self(rr, k, x, prec);
        k_self(t, k, y, prec);
        if (C->nodes)
        {
            /* points (narrow balls): Arb's functions are the fastest */
            acb_mul(rr, rr, t, prec);
            acb_sqrt(rr, rr, prec);
            _neft_kernel_relu_parts_acb(t, sG, kxy, rr, 0, prec);
        }
        else
        {
            _neft_acb_sqrt_box(rr, rr, an, prec);
            _neft_acb_sqrt_box(t, t, an, prec);
            acb_mul(rr, rr, t, prec);
            /* the half-angle forms with the box functions of cbox.c (Arb's
               first-order radii are far too wide on the ellipses' boxes) */
            _neft_kernel_relu_parts_acb_with(t, sG, kxy, rr, an, prec, _neft_acb_div_box,
                                             _neft_acb_atan_box);
        }
        _neft_kernel_kink_finish(r, k, t, kxy, prec);
        acb_clear(sG); acb_clear(kxy); acb_clear(rr); acb_clear(t);
    }
    else if (C->kind == _NEFT_THREEVTX_ORTHANT)
    {
        if (sx == 0 || sy == 0)
            acb_zero(r);
        else
        {
            acb_mul(r, x, y, prec);
            acb_mul_arb(r, r, sx == sy ? C->csame : C->copp, prec);
        }
    }
    else if (C->erf && !C->nodes)
        erf_box(r, C->k, x, y, an, prec);
    else if (C->gauss && !C->nodes)
    {
        /* GaussNet, d_in = 1: b + a exp(-a (y - x)^2 / 2), the square by
           interval squares (entire) */
        if (dlt != NULL)
            acb_set(r, dlt);
        else
            acb_sub(r, y, x, prec);
        sqr_box(r, r, prec);
        acb_mul_arb(r, r, C->k->sw2, prec);
        acb_mul_2exp_si(r, r, -1);
        acb_neg(r, r);
        acb_exp(r, r, prec);
        acb_mul_arb(r, r, C->k->sw2, prec);
        if (!C->k->subtract_bias)
            acb_add_arb(r, r, C->k->sb2, prec);
    }
    else
        neft_kernel_eval_acb(r, C->k, x, y, an, prec);
}

static void
kdiag(acb_t r, tv_struct * C, const acb_t y, int an, slong prec)
{
    if (C->kind == _NEFT_THREEVTX_ORTHANT)
    {
        acb_sqr(r, y, prec);
        acb_mul_arb(r, r, C->csame, prec);
    }
    else if (C->angle)
    {
        /* at y = s tan(phi) */
        acb_t yy;
        acb_init(yy);
        acb_tan(yy, y, prec);
        acb_mul_arb(yy, yy, C->s, prec);
        neft_kernel_diag_acb(r, C->k, yy, an, prec);
        acb_clear(yy);
    }
    else
        neft_kernel_diag_acb(r, C->k, y, an, prec);
}

/* y_a and the Jacobian factor from u_a (y of the coordinate above a in its
   ordered group, if any, already set): y_a = l + (y_above - l) u_a, and
   dl[a] = y_above - y_a = (y_above - l)(1 - u_a), products only (no
   difference of dependent boxes). */
static void
coord(acb_ptr y, acb_ptr dl, acb_t jac, const tv_struct * C, const piece_struct * P,
      const acb_t u, slong a, int an, slong prec)
{
    slong b = P->prev[a];
    if (P->far[a])
    {
        _neft_threevtx_far_coord(y + a, jac, P->lo + a, P->hi + a, u, an, prec);
        return;
    }
    if (b < 0)
    {
        acb_set_arb(jac, P->hi + a);
        acb_sub_arb(jac, jac, P->lo + a, prec);
        acb_mul(y + a, jac, u, prec);
        acb_add_arb(y + a, y + a, P->lo + a, prec);
    }
    else
    {
        acb_sub_arb(jac, y + b, P->lo + a, prec);
        acb_mul(y + a, jac, u, prec);
        acb_add_arb(y + a, y + a, P->lo + a, prec);
        acb_sub_ui(dl + a, u, 1, prec);
        acb_neg(dl + a, dl + a);
        acb_mul(dl + a, dl + a, jac, prec);
    }
    if (C->angle)
    {
        /* dy = s sec^2(phi) dphi */
        acb_t c;
        acb_init(c);
        acb_cos(c, y + a, prec);
        if (an)
        {
            sqr_box(c, c, prec);
            _neft_acb_div_box(c, jac, c, prec);
            acb_swap(jac, c);
        }
        else
        {
            acb_sqr(c, c, prec);
            acb_div(jac, jac, c, prec);
        }
        acb_mul_arb(jac, jac, C->s, prec);
        acb_clear(c);
    }
}

/* y_a - y_b for a above b in one ordered group: the sum of the steps. */
static void
chain_diff(acb_t res, const piece_struct * P, acb_srcptr dl, slong a, slong b, slong prec)
{
    acb_zero(res);
    while (b != a && b >= 0)
    {
        acb_add(res, res, dl + b, prec);
        b = P->prev[b];
    }
}

/* One factor of the integrand on piece P: f->type 0, the run of legs from
   f->i (to vertex f->a); 1, the self-loops of f->a (power f->e); 2, the
   links between f->a < f->b (power f->e); y and dl of its vertices set. */
static void
factor_eval(acb_t out, tv_struct * C, const piece_struct * P, acb_srcptr y, acb_srcptr dl,
            const fac_struct * f, int an, slong prec)
{
    slong a = f->a, b = f->b;
    if (P->far[a] || P->far[b])
    {
        /* the erf far field: y of a far coordinate is 1/|y| */
        if (f->type == 0)
            _neft_threevtx_far_erf(out, C->k, C->x + f->i, 0, C->xsgn[f->i], y + a, 1,
                                   P->sgn[a], an, prec);
        else if (f->type == 1)
            _neft_threevtx_far_erf_diag(out, C->k, y + a, an, prec);
        else
            _neft_threevtx_far_erf(out, C->k, y + a, P->far[a], P->sgn[a], y + b, P->far[b],
                                   P->sgn[b], an, prec);
    }
    else if (f->type == 0)
        kern(out, C, C->x + f->i, y + a, NULL, P->lside[f->i], C->xsgn[f->i], P->sgn[a], an,
             prec);
    else if (f->type == 1)
        kdiag(out, C, y + a, an, prec);
    else if (P->prev[a] >= 0 || P->prev[b] >= 0 ? P->cell[a] == P->cell[b] : 0)
    {
        /* y_b - y_a from the steps of the ordered group */
        acb_t dd;
        acb_init(dd);
        if (P->link[a][b] > 0)
            chain_diff(dd, P, dl, b, a, prec);
        else
        {
            chain_diff(dd, P, dl, a, b, prec);
            acb_neg(dd, dd);
        }
        kern(out, C, y + a, y + b, dd, P->link[a][b], P->sgn[a], P->sgn[b], an, prec);
        acb_clear(dd);
    }
    else
        kern(out, C, y + a, y + b, NULL, P->link[a][b], P->sgn[a], P->sgn[b], an, prec);
    if (f->e > 1)
        acb_pow_ui(out, out, f->e, prec);
}

/* F~(u) = F(y(u)) J(u) on piece P. */
static void
eval_full(acb_t out, tv_struct * C, const piece_struct * P, acb_srcptr u, int an)
{
    slong j, prec = C->prec;
    acb_struct y[P3], dl[P3];
    acb_t jac, f;
    acb_init(jac);
    acb_init(f);
    for (j = 0; j < P3; j++)
    {
        acb_init(y + j);
        acb_init(dl + j);
    }
    acb_one(out);
    for (j = 0; j < P3; j++)
    {
        slong a = P->seq[j];
        coord(y, dl, jac, C, P, u + a, a, an, prec);
        acb_mul(out, out, jac, prec);
    }
    for (j = 0; j < C->nfac; j++)
    {
        factor_eval(f, C, P, y, dl, C->fac + j, an, prec);
        acb_mul(out, out, f, prec);
    }
    for (j = 0; j < P3; j++)
    {
        acb_clear(y + j);
        acb_clear(dl + j);
    }
    acb_clear(jac);
    acb_clear(f);
    C->evals += C->nfac;
}

/* res = [c + w (-1 + (2i+1)/n) +- w / n], w = h s: piece i of n of the
   interval c +- h s (c, h dyadic; the rounding of h s is in the radius). */
static void
axis_piece(arb_t res, double c, double h, double s, slong i, slong n, slong prec)
{
    arb_t w, t;
    mag_t r;
    arb_init(w);
    arb_init(t);
    mag_init(r);
    arb_set_d(w, h);
    arb_set_d(t, s);
    arb_mul(w, w, t, prec);
    arb_mul_si(res, w, 2 * i + 1 - n, prec);
    arb_div_si(res, res, n, prec);
    arb_div_si(w, w, n, prec);
    arb_set_d(t, c);
    arb_add(res, res, t, prec);
    arb_get_mag(r, w);
    arb_add_error_mag(res, r);
    mag_clear(r);
    arb_clear(w);
    arb_clear(t);
}

/* The least n (index into nsizes) with
   4 (64/15) M rho^{-2(n-1)} / (rho^2 - 1) prod h <= allowed, and its error;
   -1 if none. */
static slong
rule_size(mag_t err, const mag_t M, double rho, double hprod, const mag_t allowed, slong ns)
{
    slong j;
    mag_t t, r;
    if (mag_is_inf(M))
        return -1;
    mag_init(t);
    mag_init(r);
    for (j = 0; j < ns; j++)
    {
        mag_set_d(t, 4 * 64.0 / 15 * hprod / (rho * rho - 1) * (1 + 1e-9));
        mag_mul(t, t, M);
        mag_set_d_lower(r, rho);
        mag_pow_ui_lower(r, r, 2 * (nsizes[j] - 1));   /* n nodes: rho^-2(n-1) */
        mag_div(t, t, r);
        if (mag_cmp(t, allowed) <= 0)
        {
            mag_set(err, t);
            mag_clear(t);
            mag_clear(r);
            return j;
        }
    }
    mag_clear(t);
    mag_clear(r);
    return -1;
}

/* Tables of values at the nodes of the sub-box: the entry of the tuple of
   node indices i[] (one per axis) of a table over the axes in mask (bit a:
   axis a, n[a] nodes) is at tab_index(mask, n, i); tab_tuple decodes it
   (indices of the axes outside mask set to 0). */
static slong
tab_size(int mask, const slong * n)
{
    slong s = 1, a;
    for (a = 0; a < P3; a++)
        if (mask >> a & 1)
            s *= n[a];
    return s;
}

static slong
tab_index(int mask, const slong * n, const slong * i)
{
    slong s = 0, a;
    for (a = 0; a < P3; a++)
        if (mask >> a & 1)
            s = s * n[a] + i[a];
    return s;
}

static void
tab_tuple(slong * i, int mask, const slong * n, slong q)
{
    slong a;
    for (a = P3 - 1; a >= 0; a--)
    {
        i[a] = 0;
        if (mask >> a & 1)
        {
            i[a] = q % n[a];
            q /= n[a];
        }
    }
}

/* The axes coordinate y_a depends on: a and those above it in its ordered
   group. */
static int
coord_mask(const piece_struct * P, slong a)
{
    int m = 0;
    for (; a >= 0; a = P->prev[a])
        m |= 1 << a;
    return m;
}

/* The bounds M_p below, by tables: each coordinate (with its Jacobian)
   and each factor is evaluated on the pieces of the axes it depends on
   only (sub^2 complex pieces on axis p, sub real pieces on the others),
   and M_p is the largest product of the magnitudes over the sub^4
   combinations of pieces (sup |prod f| <= max over the combinations of
   prod sup |f|, with the same boxes as evaluating the whole integrand on
   each combination).  The tables not depending on axis p are the same for
   every rho: kept in the cache. */
typedef struct
{
    slong p, sub, n[P3], nfac;
    int cm[P3], fmask[64];
    acb_ptr y[P3], dl[P3];   /* the coordinates on their pieces */
    mag_ptr jm[P3];          /* |Jacobian| */
    mag_ptr fm[64];          /* |factor| */
    int inf[2];              /* a non-finite entry among the tables (not) depending on p */
}
bcache_struct;

static void
bpiece(acb_t u, const box_struct * b, slong i, slong p, double rho, slong sub, slong r,
       slong prec)
{
    double c = (b->lo[i] + b->hi[i]) / 2, h = (b->hi[i] - b->lo[i]) / 2;
    if (i == p)
    {
        double sa = (rho + 1 / rho) / 2, sb = (rho - 1 / rho) / 2;
        axis_piece(acb_realref(u), c, h, sa, r % sub, sub, prec);
        axis_piece(acb_imagref(u), 0, h, sb, r / sub, sub, prec);
    }
    else
    {
        axis_piece(acb_realref(u), c, h, 1.0, r, sub, prec);
        arb_zero(acb_imagref(u));
    }
}

/* fills the tables of the coordinates and factors that depend on axis p
   (dep = 1) or not (dep = 0) */
static void
bcache_fill(bcache_struct * B, tv_struct * C, const box_struct * b, double rho, int dep)
{
    const piece_struct * P = C->pc + b->piece;
    slong j, q, a, t, prec = C->prec, idx[P3];
    acb_struct y[P3], dl[P3];
    acb_t u, jac, f;
    acb_init(u); acb_init(jac); acb_init(f);
    B->inf[dep] = 0;
    for (a = 0; a < P3; a++)
    {
        acb_init(y + a);
        acb_init(dl + a);
    }
    for (j = 0; j < P3; j++)
    {
        slong sz, pa;
        a = P->seq[j];
        if (((B->cm[a] >> B->p) & 1) != dep)
            continue;
        pa = P->prev[a];
        sz = tab_size(B->cm[a], B->n);
        for (q = 0; q < sz; q++)
        {
            tab_tuple(idx, B->cm[a], B->n, q);
            if (pa >= 0)
                acb_set(y + pa, B->y[pa] + tab_index(B->cm[pa], B->n, idx));
            bpiece(u, b, a, B->p, rho, B->sub, idx[a], prec);
            coord(y, dl, jac, C, P, u, a, 1, prec);
            acb_swap(B->y[a] + q, y + a);
            acb_swap(B->dl[a] + q, dl + a);
            if (acb_is_finite(jac))
                acb_get_mag(B->jm[a] + q, jac);
            else
            {
                mag_inf(B->jm[a] + q);
                B->inf[dep] = 1;
            }
        }
    }
    for (t = 0; t < B->nfac; t++)
    {
        int m = B->fmask[t];
        slong sz = tab_size(m, B->n);
        if (((m >> B->p) & 1) != dep)
            continue;
        for (q = 0; q < sz; q++)
        {
            tab_tuple(idx, m, B->n, q);
            for (a = 0; a < P3; a++)
                if ((B->cm[a] & ~m) == 0)
                {
                    acb_set(y + a, B->y[a] + tab_index(B->cm[a], B->n, idx));
                    acb_set(dl + a, B->dl[a] + tab_index(B->cm[a], B->n, idx));
                }
            factor_eval(f, C, P, y, dl, C->fac + t, 1, prec);
            if (acb_is_finite(f))
                acb_get_mag(B->fm[t] + q, f);
            else
            {
                mag_inf(B->fm[t] + q);
                B->inf[dep] = 1;
            }
        }
        C->evals += sz;
    }
    for (a = 0; a < P3; a++)
    {
        acb_clear(y + a);
        acb_clear(dl + a);
    }
    acb_clear(u); acb_clear(jac); acb_clear(f);
}

static void
bcache_init(bcache_struct * B, tv_struct * C, const box_struct * b, slong p, slong sub)
{
    const piece_struct * P = C->pc + b->piece;
    slong a, t;
    B->p = p;
    B->sub = sub;
    B->nfac = C->nfac;
    for (a = 0; a < P3; a++)
    {
        B->n[a] = a == p ? sub * sub : sub;
        B->cm[a] = coord_mask(P, a);
    }
    for (a = 0; a < P3; a++)
    {
        slong sz = tab_size(B->cm[a], B->n);
        B->y[a] = _acb_vec_init(sz);
        B->dl[a] = _acb_vec_init(sz);
        B->jm[a] = _mag_vec_init(sz);
    }
    for (t = 0; t < B->nfac; t++)
    {
        B->fmask[t] = B->cm[C->fac[t].a] | B->cm[C->fac[t].b];
        B->fm[t] = _mag_vec_init(tab_size(B->fmask[t], B->n));
    }
    bcache_fill(B, C, b, 0.0, 0);
}

static void
bcache_clear(bcache_struct * B)
{
    slong a, t;
    for (a = 0; a < P3; a++)
    {
        slong sz = tab_size(B->cm[a], B->n);
        _acb_vec_clear(B->y[a], sz);
        _acb_vec_clear(B->dl[a], sz);
        _mag_vec_clear(B->jm[a], sz);
    }
    for (t = 0; t < B->nfac; t++)
        _mag_vec_clear(B->fm[t], tab_size(B->fmask[t], B->n));
}

/* M_p: a bound of |F~| with u_p on the box around E_rho of the sub-box's
   axis p (split sub x sub) and the other axes real (split sub each), from
   the cache B (bcache_init(B, C, b, p, sub)); inf when holomorphy is not
   certified. */
static void
bound_axis(mag_t M, tv_struct * C, const box_struct * b, double rho, bcache_struct * B)
{
    slong q, a, t, idx[P3], sz;
    mag_t e;
    mag_init(e);
    bcache_fill(B, C, b, rho, 1);
    mag_zero(M);
    if (B->inf[0] || B->inf[1])
    {
        mag_inf(M);
        mag_clear(e);
        return;
    }
    sz = tab_size(7, B->n);
    for (q = 0; q < sz && !mag_is_inf(M); q++)
    {
        tab_tuple(idx, 7, B->n, q);
        mag_one(e);
        for (a = 0; a < P3; a++)
            mag_mul(e, e, B->jm[a] + tab_index(B->cm[a], B->n, idx));
        for (t = 0; t < B->nfac; t++)
            mag_mul(e, e, B->fm[t] + tab_index(B->fmask[t], B->n, idx));
        mag_max(M, M, e);
    }
    mag_clear(e);
}

/* The cost (products of table entries) of summing the tables of masks
   mk[0..nt-1] out axis by axis in the order ord. */
static double
elim_cost(const int * mk0, slong nt, const slong * ord, const slong * n)
{
    int mk[64];
    slong j, t, nt2 = nt;
    double cost = 0;
    memcpy(mk, mk0, nt * sizeof(int));
    for (j = 0; j < P3; j++)
    {
        int U = 0, cnt = 0, nm = 0;
        for (t = 0; t < nt2; t++)
            if (mk[t] >> ord[j] & 1)
            {
                U |= mk[t];
                cnt++;
            }
            else
                mk[nm++] = mk[t];
        cost += (double) tab_size(U, n) * (cnt + 1);
        mk[nm++] = U & ~(1 << ord[j]);
        nt2 = nm;
    }
    return cost;
}

/* The tensor rule with n[a] nodes along axis a on sub-box b: res = the
   rule's sum (a ball; the rule's error is added by the caller).  Every
   factor of the integrand (the legs, self-loops and links, and the
   Jacobian times the weights along each axis) is evaluated once on the
   nodes of the axes it depends on, and the sum of the products is taken
   axis by axis (the order of the least products): a link between two
   vertices of different groups costs n^2 kernel values, not n^3. */
static int
tensor_rule(arb_t res, tv_struct * C, const box_struct * b, const slong * n)
{
    static const slong perms[6][3] = {{0,1,2},{0,2,1},{1,0,2},{1,2,0},{2,0,1},{2,1,0}};
    const piece_struct * P = C->pc + b->piece;
    slong prec = C->prec, j, t, q, a, nt, best = 0, i[P3];
    const _neft_gl_struct * g[P3];
    acb_struct y[P3], dl[P3];
    acb_ptr ytab[P3], dltab[P3];
    arb_ptr tab[64];
    int mk[64], cm[P3];
    acb_t u, jac, f;
    arb_t c, h;
    double bc = 1e300;
    int status = 1;

    acb_init(u); acb_init(jac); acb_init(f);
    arb_init(c); arb_init(h);
    for (a = 0; a < P3; a++)
    {
        acb_init(y + a);
        acb_init(dl + a);
        g[a] = _neft_gl(n[a], prec);
        cm[a] = coord_mask(P, a);
    }
    C->nodes = 1;
    /* the coordinates, and Jacobian x weight x half-width along each axis */
    nt = 0;
    for (j = 0; j < P3; j++)
    {
        slong sz;
        a = P->seq[j];
        sz = tab_size(cm[a], n);
        ytab[a] = _acb_vec_init(sz);
        dltab[a] = _acb_vec_init(sz);
        tab[nt] = _arb_vec_init(sz);
        mk[nt] = cm[a];
        arb_set_d(c, (b->lo[a] + b->hi[a]) / 2);      /* exact: dyadic */
        arb_set_d(h, (b->hi[a] - b->lo[a]) / 2);
        for (q = 0; q < sz; q++)
        {
            slong pa = P->prev[a];
            tab_tuple(i, cm[a], n, q);
            if (pa >= 0)
                acb_set(y + pa, ytab[pa] + tab_index(cm[pa], n, i));
            arb_mul(acb_realref(u), g[a]->x + i[a], h, prec);
            arb_add(acb_realref(u), acb_realref(u), c, prec);
            arb_zero(acb_imagref(u));
            coord(y, dl, jac, C, P, u, a, 0, prec);
            acb_swap(ytab[a] + q, y + a);
            acb_swap(dltab[a] + q, dl + a);
            arb_mul(tab[nt] + q, acb_realref(jac), g[a]->w + i[a], prec);
            arb_mul(tab[nt] + q, tab[nt] + q, h, prec);
        }
        nt++;
    }
    /* the factors */
    for (t = 0; t < C->nfac && status; t++)
    {
        const fac_struct * fc = C->fac + t;
        int m = cm[fc->a] | cm[fc->b];
        slong sz = tab_size(m, n);
        if (neft_interrupted())
            status = 0;
        tab[nt] = _arb_vec_init(sz);
        mk[nt] = m;
        for (q = 0; q < sz; q++)
        {
            tab_tuple(i, m, n, q);
            for (a = 0; a < P3; a++)
                if ((cm[a] & ~m) == 0)
                {
                    acb_set(y + a, ytab[a] + tab_index(cm[a], n, i));
                    acb_set(dl + a, dltab[a] + tab_index(cm[a], n, i));
                }
            factor_eval(f, C, P, y, dl, fc, 0, prec);
            arb_swap(tab[nt] + q, acb_realref(f));
        }
        C->evals += sz;
        nt++;
    }
    /* the sum over the nodes, axis by axis */
    for (j = 0; j < 6; j++)
    {
        double cost = elim_cost(mk, nt, perms[j], n);
        if (cost < bc)
        {
            bc = cost;
            best = j;
        }
    }
    for (j = 0; j < P3 && status; j++)
    {
        slong ax = perms[best][j], sz, nin = 0, nm = 0;
        int U = 0;
        arb_ptr in[64], out;
        int inm[64];
        arb_t p;
        for (t = 0; t < nt; t++)
            if (mk[t] >> ax & 1)
            {
                U |= mk[t];
                in[nin] = tab[t];
                inm[nin++] = mk[t];
            }
            else
            {
                tab[nm] = tab[t];
                mk[nm++] = mk[t];
            }
        out = _arb_vec_init(tab_size(U & ~(1 << ax), n));
        sz = tab_size(U, n);
        arb_init(p);
        for (q = 0; q < sz; q++)
        {
            tab_tuple(i, U, n, q);
            arb_set(p, in[0] + tab_index(inm[0], n, i));
            for (t = 1; t < nin; t++)
                arb_mul(p, p, in[t] + tab_index(inm[t], n, i), prec);
            arb_add(out + tab_index(U & ~(1 << ax), n, i), out + tab_index(U & ~(1 << ax), n, i),
                    p, prec);
        }
        arb_clear(p);
        for (t = 0; t < nin; t++)
            _arb_vec_clear(in[t], tab_size(inm[t], n));
        tab[nm] = out;
        mk[nm++] = U & ~(1 << ax);
        nt = nm;
    }
    arb_one(res);
    for (t = 0; t < nt; t++)
    {
        if (status)
            arb_mul(res, res, tab[t], prec);
        _arb_vec_clear(tab[t], tab_size(mk[t], n));
    }
    C->nodes = 0;
    for (a = 0; a < P3; a++)
    {
        slong sz = tab_size(cm[a], n);
        _acb_vec_clear(ytab[a], sz);
        _acb_vec_clear(dltab[a], sz);
        acb_clear(y + a);
        acb_clear(dl + a);
    }
    acb_clear(u); acb_clear(jac); acb_clear(f);
    arb_clear(c); arb_clear(h);
    return status;
}

/* Sets b->est, b->err, b->axis; tol_y = the error allowed per unit of the
   cube's volume fraction, gscale = 2^-goal. */
static void
box_estimate(box_struct * b, tv_struct * C, const mag_t tol_y, const mag_t gscale)
{
    const piece_struct * P = C->pc + b->piece;
    slong p, i, prec = C->prec, nsel[P3], widest = 0;
    double uvol = 1, hprod = 1, wmax = -1, emax = -1;
    acb_struct u[P3];
    acb_t f;
    arb_t t;
    mag_t allowed, a3, M, e, etot, err0;
    int ok = 1;

    acb_init(f);
    arb_init(t);
    mag_init(allowed); mag_init(a3); mag_init(M); mag_init(e); mag_init(etot); mag_init(err0);
    for (i = 0; i < P3; i++)
    {
        acb_init(u + i);
        uvol *= b->hi[i] - b->lo[i];
        hprod *= (b->hi[i] - b->lo[i]) / 2;
        if (b->hi[i] - b->lo[i] > wmax)
        {
            wmax = b->hi[i] - b->lo[i];
            widest = i;
        }
    }
    /* the direct enclosure uvol F~(box) */
    for (i = 0; i < P3; i++)
    {
        arb_set_d(acb_realref(u + i), b->lo[i]);
        arb_set_d(t, b->hi[i]);
        arb_union(acb_realref(u + i), acb_realref(u + i), t, prec);
        arb_zero(acb_imagref(u + i));
    }
    eval_full(f, C, P, u, 0);
    arb_set_d(t, uvol);                               /* a dyadic: exact */
    arb_mul(&b->est, acb_realref(f), t, prec);
    if (arb_is_finite(&b->est))
        mag_set(err0, arb_radref(&b->est));
    else
        mag_inf(err0);
    /* its share of the tolerance: by volume, or 2^-goal of its own size */
    mag_set_d(allowed, P->yfrac * uvol);
    mag_mul(allowed, allowed, tol_y);
    if (arb_is_finite(&b->est))
    {
        arb_get_mag(e, &b->est);
        mag_mul(e, e, gscale);
        mag_mul_2exp_si(e, e, -2);
        mag_max(allowed, allowed, e);
    }
    b->axis = widest;
    if (mag_cmp(err0, allowed) <= 0)
        goto done;

    /* a rule along every axis */
    mag_mul_ui_lower(a3, allowed, 1);
    mag_div_ui(a3, a3, 3);
    mag_zero(etot);
    for (p = 0; p < P3 && ok; p++)
    {
        slong best = -1, sub, r;
        mag_t be;
        mag_init(be);
        for (sub = 1; sub <= 2 && best < 0; sub++)
        {
            bcache_struct B[1];
            bcache_init(B, C, b, p, sub);
            for (r = (sub == 1 ? 0 : 1); r < NRHO; r++)
            {
                slong j;
                bound_axis(M, C, b, rhos[r], B);
                j = rule_size(e, M, rhos[r], hprod, a3, P->far[p] ? NSIZES_FAR : NSIZES);
                if (j >= 0 && (best < 0 || j < best))
                {
                    best = j;
                    mag_set(be, e);
                }
                else if (best >= 0)
                    break;          /* smaller ellipses only need more nodes */
            }
            bcache_clear(B);
        }
        if (best < 0)
        {
            ok = 0;
            b->axis = p;
        }
        else
        {
            nsel[p] = nsizes[best];
            mag_add(etot, etot, be);
            if (mag_get_d(be) > emax)
            {
                emax = mag_get_d(be);
                b->axis = p;
            }
        }
        mag_clear(be);
    }
    if (ok)
    {
        arb_t s;
        arb_init(s);
        if (tensor_rule(s, C, b, nsel))
        {
            arb_add_error_mag(s, etot);
            if (arb_is_finite(s) && mag_cmp(arb_radref(s), err0) < 0)
                arb_swap(&b->est, s);
        }
        arb_clear(s);
    }
    else
    {
        /* no rule along b->axis: bisect it unless another axis is far wider */
        if (b->hi[b->axis] - b->lo[b->axis] < wmax / 4)
            b->axis = widest;
    }
done:
    b->err = arb_is_finite(&b->est) ? FLINT_MIN(mag_get_d(arb_radref(&b->est)), 1e300) : 1e300;
    for (i = 0; i < P3; i++)
        acb_clear(u + i);
    acb_clear(f);
    arb_clear(t);
    mag_clear(allowed); mag_clear(a3); mag_clear(M); mag_clear(e); mag_clear(etot);
    mag_clear(err0);
}

/* The coordinate of the point y: y itself, or phi = atan(y / s). */
static void
to_t(arb_t t, const tv_struct * C, const arb_t y)
{
    if (C->angle)
    {
        arb_div(t, y, C->s, C->prec + 10);
        arb_atan(t, t, C->prec + 10);
    }
    else
        arb_set(t, y);
}

/* Appends the pieces of the cell with interval indices idx (into cuts). */
static void
add_cell(tv_struct * C, arb_srcptr cuts, const slong * idx, const arf_t L)
{
    const neft_vint_struct * v = C->v;
    slong M = NEFT_INTEGRATE_MAX_VERTICES, a, b, i, perm, nperm;
    static const slong perms[6][3] = {{0,1,2},{0,2,1},{1,0,2},{1,2,0},{2,0,1},{2,1,0}};
    int split = 0;
    double yfrac = 1;
    arb_t w;
    arb_init(w);
    /* a kink between two joined vertices in one interval: cut into
       orderings, which put it on the pieces' faces */
    if (C->kind == _NEFT_THREEVTX_KINK)
        for (a = 0; a < P3; a++)
            for (b = a + 1; b < P3; b++)
                if (idx[a] == idx[b] && v->A[a * M + b] > 0)
                    split = 1;
    for (a = 0; a < P3; a++)
    {
        arb_sub(w, cuts + idx[a] + 1, cuts + idx[a], 53);
        yfrac *= arf_get_d(arb_midref(w), ARF_RND_NEAR) / (2 * arf_get_d(L, ARF_RND_NEAR));
    }
    nperm = split ? 6 : 1;
    for (perm = 0; perm < nperm; perm++)
    {
        const slong * pr = perms[perm];
        piece_struct * P;
        slong rank[P3], j;
        int valid = 1;
        /* with the order pr (ascending values), the coordinates sharing an
           interval must appear in it ordered; other groups: any order */
        if (split)
        {
            for (j = 0; j < P3; j++)
                rank[pr[j]] = j;
            /* one permutation per ordering inside the groups: coordinates
               of different intervals in the order of their intervals */
            for (a = 0; a < P3; a++)
                for (b = a + 1; b < P3; b++)
                    if (idx[a] != idx[b] && (idx[a] < idx[b]) != (rank[a] < rank[b]))
                        valid = 0;
            if (!valid)
                continue;
        }
        if (C->npc == C->apc)
        {
            C->apc = 2 * C->apc + 16;
            C->pc = flint_realloc(C->pc, C->apc * sizeof(piece_struct));
        }
        P = C->pc + C->npc++;
        P->lside = flint_calloc(v->nlegs + 1, sizeof(int));
        for (a = 0; a < P3; a++)
        {
            arb_init(P->lo + a);
            arb_init(P->hi + a);
            to_t(P->lo + a, C, cuts + idx[a]);
            to_t(P->hi + a, C, cuts + idx[a] + 1);
            P->far[a] = C->far && arf_cmpabs_2exp_si(arb_midref(cuts + idx[a]), C->efar) >= 0
                        && arf_cmpabs_2exp_si(arb_midref(cuts + idx[a] + 1), C->efar) >= 0
                        && arf_sgn(arb_midref(cuts + idx[a])) == arf_sgn(arb_midref(cuts + idx[a] + 1));
            if (P->far[a])
            {
                /* t = log|y| on [log|l|, log|h|] (threevtx_far.c) */
                arb_abs(P->lo + a, cuts + idx[a] + (arf_sgn(arb_midref(cuts + idx[a])) > 0 ? 0 : 1));
                arb_abs(P->hi + a, cuts + idx[a] + (arf_sgn(arb_midref(cuts + idx[a])) > 0 ? 1 : 0));
                arb_log(P->lo + a, P->lo + a, C->prec + 10);
                arb_log(P->hi + a, P->hi + a, C->prec + 10);
            }
            P->prev[a] = -1;
            P->cell[a] = idx[a];
            P->sgn[a] = arb_is_nonnegative(cuts + idx[a]) ? 1
                        : (arb_is_nonpositive(cuts + idx[a] + 1) ? -1 : 0);
        }
        if (split)
        {
            /* prev: the coordinate just above in the same interval */
            for (a = 0; a < P3; a++)
            {
                slong best = -1;
                for (b = 0; b < P3; b++)
                    if (b != a && idx[b] == idx[a] && rank[b] > rank[a]
                        && (best < 0 || rank[b] < rank[best]))
                        best = b;
                P->prev[a] = best;
            }
            /* the ordered simplex of k coordinates has volume 1/k! of the cell */
            {
                slong cnt[P3] = {0, 0, 0}, f = 1;
                for (a = 0; a < P3; a++)
                {
                    slong gsize = 0;
                    for (b = 0; b < P3; b++)
                        gsize += idx[b] == idx[a];
                    cnt[a] = gsize;
                }
                for (a = 0; a < P3; a++)
                    if (P->prev[a] < 0 && cnt[a] >= 2)
                        f *= cnt[a] == 2 ? 2 : 6;
                P->yfrac = yfrac / (double) f;
            }
        }
        else
            P->yfrac = yfrac;
        /* sides */
        for (a = 0; a < P3; a++)
            for (b = 0; b < P3; b++)
            {
                if (a == b)
                    P->link[a][b] = 0;
                else if (idx[a] != idx[b])
                    P->link[a][b] = idx[b] > idx[a] ? 1 : -1;
                else if (split)
                    P->link[a][b] = rank[b] > rank[a] ? 1 : -1;
                else
                    P->link[a][b] = 0;      /* not joined */
            }
        for (i = 0; i < v->nlegs; i++)
        {
            slong c = v->vertex[i];
            P->lside[i] = arb_ge(cuts + idx[c], v->point + i) ? 1
                        : (arb_le(cuts + idx[c] + 1, v->point + i) ? -1 : 0);
        }
        /* evaluation order: prev first; among the valid orders the one with
           the fewest factors innermost */
        {
            slong bestp = -1;
            double bestc = 1e300;
            for (j = 0; j < 6; j++)
            {
                const slong * q = perms[j];
                slong pos[P3], l, fct[P3];
                double cost;
                int okq = 1;
                for (l = 0; l < P3; l++)
                    pos[q[l]] = l;
                for (a = 0; a < P3; a++)
                    if (P->prev[a] >= 0 && pos[P->prev[a]] > pos[a])
                        okq = 0;
                if (!okq)
                    continue;
                for (l = 0; l < P3; l++)
                {
                    slong s = q[l], ll;
                    fct[l] = v->A[s * M + s] > 0;
                    for (i = 0; i < v->nlegs; i += 1 + C->same[i])
                        fct[l] += v->vertex[i] == s;
                    for (ll = 0; ll < l; ll++)
                        fct[l] += v->A[FLINT_MIN(s, q[ll]) * M + FLINT_MAX(s, q[ll])] > 0;
                }
                cost = 1e4 * fct[2] + 100.0 * fct[1] + fct[0];
                if (cost < bestc)
                {
                    bestc = cost;
                    bestp = j;
                }
            }
            for (j = 0; j < P3; j++)
                P->seq[j] = perms[bestp][j];
        }
    }
    arb_clear(w);
}

/* A binary max-heap of box indices by error, *n entries: heap_push
   inserts index i, heap_pop removes the top. */
static void
heap_push(slong * h, slong * n, slong i, const box_struct * bx)
{
    slong c = (*n)++;
    while (c > 0)
    {
        slong par = (c - 1) / 2;
        if (bx[h[par]].err >= bx[i].err)
            break;
        h[c] = h[par];
        c = par;
    }
    h[c] = i;
}

static void
heap_pop(slong * h, slong * n, const box_struct * bx)
{
    slong c = 0, last = h[--(*n)];
    if (*n == 0)
        return;
    for (;;)
    {
        slong l = 2 * c + 1, r = l + 1, m = c;
        double em = bx[last].err;
        if (l < *n && bx[h[l]].err > em)
        {
            m = l;
            em = bx[h[l]].err;
        }
        if (r < *n && bx[h[r]].err > em)
            m = r;
        if (m == c)
            break;
        h[c] = h[m];
        c = m;
    }
    h[c] = last;
}

double
_neft_threevtx_evals(const neft_kernel_t k, slong nlegs, slong nlinks, double L, double prec)
{
    /* in kernel evaluations (a factor at a node or on a box; the tables of
       tensor_rule made a rule's integrand evaluation cost less than one):
       measured (bench/bench_threevtx.c, the lambda^3 chain, 64 bits;
       docs/integrate.md) erf 2.4e5 at L = 1, relu (sigma_b = 1/2) 2.3e6
       at L = 1, 1.6e7 at L = 10; the grid grows like (1 + log2 L)^3; never
       more than the budget the method stops at (EVAL_BUDGET) */
    int kind = _neft_threevtx_kind(k);
    double Lg = 1 + log2(FLINT_MAX(L, 1.0)), pr = prec / 64;
    double base = kind == _NEFT_THREEVTX_KINK ? 6e6 : 1.5e6;
    /* GaussNet at a far cutoff (points of size 1): the Gaussian expansion,
       at most 2^(legs + links) terms of about 10 evaluations each */
    if (k->act == neft_act_lookup("gauss")
        && _neft_threevtx_gauss_reaches(k, 1.0, L, FLINT_MAX((slong) prec - 37, 8)))
        return 10 * ldexp(1.0, (int) FLINT_MIN(nlegs + nlinks, 60));
    if (kind == _NEFT_THREEVTX_SMOOTH && k->act == neft_act_lookup("erf") && k->d == 1)
    {
        /* erf with its far field (threevtx_far.c): measured 2.8e5 at L = 1,
           4.0e6 at L = 2 (the value cancels), 1.8e6 / 3.1e6 / 5.4e6 / 1.1e7
           at L = 1e2 / 1e3 / 1e4 / 1e5 */
        return FLINT_MIN(4e6 * (1 + (Lg - 1) / 8) * pr * pr * pr, (double) EVAL_BUDGET);
    }
    return FLINT_MIN(base * Lg * Lg * Lg * pr * pr * pr, (double) EVAL_BUDGET);
}

static int
threevtx_pieces(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                const arf_t L, int kind, const neft_integrate_opt_t opt, slong prec)
{
    tv_struct C[1];
    slong ncut = 0, acut = 0, i, j, idx[P3], nb = 0, ab = 0, budget, goal;
    arb_ptr cuts;
    box_struct * boxes = NULL;
    mag_t tol, tol_y, gscale;
    double S = 0, tolf, tolf0, total;
    slong * heap, nh = 0, iter = 0;
    int tightened = 0;
    int status = NEFT_INTEGRATE_SUCCESS;

    if (v->m != 3 || v->d != 1 || !arf_is_finite(L) || arf_sgn(L) <= 0)
    {
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    memset(C, 0, sizeof(C));
    C->v = v;
    C->k = k;
    C->kind = kind;
    C->erf = k->act == neft_act_lookup("erf");
    C->gauss = k->act == neft_act_lookup("gauss");
    C->prec = prec;
    arb_init(C->s);
    if (kind == _NEFT_THREEVTX_KINK && k->d == 1)
    {
        /* s = sqrt(b/a) */
        C->angle = 1;
        arb_div(C->s, k->sb2, k->sw2, prec + 10);
        arb_sqrtpos(C->s, C->s, prec + 10);
    }
    arb_init(C->csame);
    arb_init(C->copp);
    arb_init(C->sab);
    arb_mul(C->sab, k->sw2, k->sb2, prec);
    arb_sqrtpos(C->sab, C->sab, prec);
    if (kind == _NEFT_THREEVTX_ORTHANT)
        k->act->kernel->orthant(C->csame, C->copp, k, prec);
    C->x = _acb_vec_init(v->nlegs + 1);
    C->xsgn = flint_calloc(v->nlegs + 1, sizeof(int));
    C->same = flint_calloc(v->nlegs + 1, sizeof(slong));
    for (i = 0; i < v->nlegs; i++)
    {
        to_t(acb_realref(C->x + i), C, v->point + i);
        C->xsgn[i] = arb_is_positive(v->point + i) ? 1 : arb_is_negative(v->point + i) ? -1 : 0;
    }
    _neft_vint_runs(C->same, v);
    C->fac = flint_malloc((v->nlegs + 6) * sizeof(fac_struct));
    for (i = 0; i < v->nlegs; i += 1 + C->same[i])
    {
        fac_struct * f = C->fac + C->nfac++;
        f->type = 0;
        f->i = i;
        f->a = f->b = v->vertex[i];
        f->e = C->same[i] + 1;
    }
    for (i = 0; i < P3; i++)
        for (j = i; j < P3; j++)
            if (v->A[i * NEFT_INTEGRATE_MAX_VERTICES + j] > 0)
            {
                fac_struct * f = C->fac + C->nfac++;
                f->type = i == j ? 1 : 2;
                f->i = -1;
                f->a = i;
                f->b = j;
                f->e = v->A[i * NEFT_INTEGRATE_MAX_VERTICES + j];
            }
    goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : FLINT_MAX(prec - 37, 8);
    budget = opt->eval_limit > 0 ? opt->eval_limit : EVAL_BUDGET;
    mag_init(tol);
    mag_init(tol_y);
    mag_init(gscale);
    mag_one(gscale);
    mag_mul_2exp_si(gscale, gscale, -goal);

    /* the tables hold at most 64 factors (tensor_rule, bcache_struct) */
    if (C->nfac + P3 > 64)
    {
        arb_indeterminate(res);
        status = NEFT_INTEGRATE_UNSUPPORTED;
        goto cleanup_early;
    }
    /* the kinks' coordinates must be exact numbers (a kink of uncertain
       position has no side) */
    for (i = 0; i < v->nlegs; i++)
        if (kind != _NEFT_THREEVTX_SMOOTH && !arb_is_exact(v->point + i))
        {
            arb_indeterminate(res);
            status = NEFT_INTEGRATE_NO_CONVERGENCE;
            goto cleanup_early;
        }

    /* the common grid: the kinks, and dyadic cuts +-s 2^k (s = 2^e >= the
       legs' largest |x|, at least 1/2) while 3/2 s 2^k <= L, so that far
       from the legs each cell spans a factor 2 (or at most 3) of |y|,
       where the kernels vary on the scale |y| */
    {
        slong e, kmax;
        double xm = 0.5;
        for (i = 0; i < v->nlegs; i++)
            xm = FLINT_MAX(xm, fabs(arf_get_d(arb_midref(v->point + i), ARF_RND_UP)));
        e = (slong) ceil(log2(xm));
        /* erf: the far field beyond 2^efar in t = log|y|, its cells a
           factor 2^_NEFT_THREEVTX_FAR_STEP (threevtx_far.c) */
        C->far = C->erf && kind == _NEFT_THREEVTX_SMOOTH && !C->angle;
        C->efar = _neft_threevtx_far_start(k, e);
        kmax = FLINT_MAX(0, arf_abs_bound_lt_2exp_si(L) - e + 1);
        acut = v->nlegs + 3 + 2 * kmax;
        cuts = _arb_vec_init(acut);
        arb_set_arf(cuts + ncut, L);
        arb_neg(cuts + ncut, cuts + ncut);
        ncut++;
        for (i = 0; i <= v->nlegs + 2 * kmax; i++)
        {
            arb_t z;
            const arb_struct * p;
            int dup = 0;
            arb_init(z);
            if (i == v->nlegs)
            {
                if (kind == _NEFT_THREEVTX_KINK)
                {
                    arb_clear(z);
                    continue;
                }
                p = z;
            }
            else if (i > v->nlegs)
            {
                /* +-2^(e + k), k = (i - nlegs - 1) / 2 */
                arb_one(z);
                arb_mul_2exp_si(z, z, e + (i - v->nlegs - 1) / 2);
                if ((i - v->nlegs) % 2 == 0)
                    arb_neg(z, z);
                p = z;
                {
                    arb_t t;
                    arb_init(t);
                    arb_mul_ui(t, z, 3, 30);
                    arb_mul_2exp_si(t, t, -1);
                    dup = arf_cmpabs(arb_midref(t), L) > 0;
                    if (C->far && e + (i - v->nlegs - 1) / 2 > C->efar
                        && (e + (i - v->nlegs - 1) / 2 - C->efar) % _NEFT_THREEVTX_FAR_STEP)
                        dup = 1;
                    arb_clear(t);
                }
            }
            else if (kind == _NEFT_THREEVTX_ORTHANT || C->far)
            {
                /* (erf with its far field: analytic, no cut at the legs) */
                arb_clear(z);
                continue;
            }
            else
                p = v->point + i;
            if (!dup && arf_cmpabs(arb_midref(p), L) < 0 && arb_is_exact(p))
            {
                for (j = 0; j < ncut; j++)
                    dup |= arb_equal(cuts + j, p);
                if (!dup)
                    arb_set(cuts + ncut++, p);
            }
            arb_clear(z);
        }
    }
    arb_set_arf(cuts + ncut++, L);
    for (i = 1; i < ncut; i++)
        for (j = i; j > 0 && arf_cmp(arb_midref(cuts + j - 1), arb_midref(cuts + j)) > 0; j--)
            arb_swap(cuts + j - 1, cuts + j);

    for (idx[0] = 0; idx[0] + 1 < ncut; idx[0]++)
        for (idx[1] = 0; idx[1] + 1 < ncut; idx[1]++)
            for (idx[2] = 0; idx[2] + 1 < ncut; idx[2]++)
                add_cell(C, cuts, idx, L);

    /* the scale: \int |F~| on each piece by a 3^3-point midpoint rule */
    {
        acb_struct u[P3];
        acb_t f;
        arb_t t;
        static const double fr[3] = {1.0 / 6, 0.5, 5.0 / 6};
        acb_init(f);
        arb_init(t);
        for (j = 0; j < P3; j++)
            acb_init(u + j);
        for (i = 0; i < C->npc; i++)
        {
            slong q;
            for (q = 0; q < 27; q++)
            {
                slong r = q;
                for (j = 0; j < P3; j++, r /= 3)
                    acb_set_d(u + j, fr[r % 3]);
                eval_full(f, C, C->pc + i, u, 0);
                acb_abs(t, f, 32);
                if (arb_is_finite(t))
                    S += arf_get_d(arb_midref(t), ARF_RND_NEAR) / 27;
            }
        }
        for (j = 0; j < P3; j++)
            acb_clear(u + j);
        acb_clear(f);
        arb_clear(t);
    }
    tolf = tolf0 = ldexp(S, (int) -goal);
    mag_set_d(tol, tolf);
    mag_set(tol_y, tol);

    /* the initial boxes: one per piece */
    ab = FLINT_MAX(64, 2 * C->npc);
    boxes = flint_malloc(ab * sizeof(box_struct));
    for (i = 0; i < C->npc && !neft_interrupted(); i++)
    {
        box_struct * b = boxes + nb++;
        b->piece = i;
        for (j = 0; j < P3; j++)
        {
            b->lo[j] = 0;
            b->hi[j] = 1;
        }
        arb_init(&b->est);
        box_estimate(b, C, tol_y, gscale);
    }
    /* a max-heap of the boxes by error; the running total of the errors
       (summed afresh before it is trusted) */
    heap = flint_malloc(ab * sizeof(slong));
    for (i = 0; i < nb; i++)
        heap_push(heap, &nh, i, boxes);
    for (i = 0, total = 0; i < nb; i++)
        total += boxes[i].err;
    for (;;)
    {
        slong worst = nb > 0 ? heap[0] : -1;
        if (worst < 0)
            break;
        if (total <= tolf || ++iter % 1024 == 0)
        {
            for (i = 0, total = 0; i < nb; i++)
                total += boxes[i].err;
        }
        if (total <= tolf)
        {
            /* the goal relative to the value where it is known: once the
               errors are within 2^-goal of the scale (\int |F~|), tighten
               to 2^-goal of |value| (at most 2^TIGHTEN_BITS tighter, so
               that a value cancelling to ~0 does not spend the budget) */
            double V = 0, t2;
            for (i = 0; i < nb; i++)
                V += arf_get_d(arb_midref(&boxes[i].est), ARF_RND_NEAR);
            t2 = FLINT_MAX(ldexp(fabs(V), (int) -goal), ldexp(tolf0, -TIGHTEN_BITS));
            if (tightened || total <= t2 || t2 >= tolf)
                break;
            tightened = 1;
            mag_set_d_lower(tol, t2);
            mag_mul(tol_y, tol_y, tol);
            mag_mul(gscale, gscale, tol);
            mag_set_d(tol, tolf);
            mag_div(tol_y, tol_y, tol);
            mag_div(gscale, gscale, tol);
            tolf = t2;
            continue;
        }
        if (neft_interrupted())
        {
            status = NEFT_INTEGRATE_INTERRUPTED;
            break;
        }
        if (C->evals > budget)
        {
            /* past the scale's goal (tightened): still a success */
            if (!tightened)
                status = NEFT_INTEGRATE_NO_CONVERGENCE;
            break;
        }
        {
            box_struct * b, * nbx;
            slong ax;
            double mid;
            if (nb == ab)
            {
                ab *= 2;
                boxes = flint_realloc(boxes, ab * sizeof(box_struct));
                heap = flint_realloc(heap, ab * sizeof(slong));
            }
            b = boxes + worst;
            ax = b->axis;
            if (b->hi[ax] - b->lo[ax] < 1e-12)
            {
                if (!tightened)
                    status = NEFT_INTEGRATE_NO_CONVERGENCE;
                break;
            }
            mid = (b->lo[ax] + b->hi[ax]) / 2;       /* exact: dyadic */
            nbx = boxes + nb++;
            *nbx = *b;
            arb_init(&nbx->est);
            b->hi[ax] = mid;
            nbx->lo[ax] = mid;
            total -= b->err;
            heap_pop(heap, &nh, boxes);
            box_estimate(b, C, tol_y, gscale);
            box_estimate(nbx, C, tol_y, gscale);
            total += b->err + nbx->err;
            heap_push(heap, &nh, worst, boxes);
            heap_push(heap, &nh, nb - 1, boxes);
        }
    }
    flint_free(heap);
    if (neft_interrupted())
        status = NEFT_INTEGRATE_INTERRUPTED;
    arb_zero(res);
    for (i = 0; i < nb; i++)
        arb_add(res, res, &boxes[i].est, prec);
    if (status == NEFT_INTEGRATE_SUCCESS && !arb_is_finite(res))
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    if (opt->verbose)
        flint_fprintf(stderr, "threevtx: %wd pieces, %wd boxes, %wd evaluations\n",
                      C->npc, nb, C->evals);
    for (i = 0; i < nb; i++)
        arb_clear(&boxes[i].est);
    flint_free(boxes);
    _arb_vec_clear(cuts, acut);
cleanup_early:
    for (i = 0; i < C->npc; i++)
    {
        for (j = 0; j < P3; j++)
        {
            arb_clear(C->pc[i].lo + j);
            arb_clear(C->pc[i].hi + j);
        }
        flint_free(C->pc[i].lside);
    }
    flint_free(C->pc);
    _acb_vec_clear(C->x, v->nlegs + 1);
    flint_free(C->xsgn);
    flint_free(C->same);
    flint_free(C->fac);
    arb_clear(C->csame);
    arb_clear(C->copp);
    arb_clear(C->sab);
    arb_clear(C->s);
    mag_clear(tol);
    mag_clear(tol_y);
    mag_clear(gscale);
    return status;
}

/* GaussNet: the Gaussian expansion (threevtx_gauss.c) where its tails at
   the faces are below the goal (far cutoffs), else the pieces; of two
   balls that both miss the goal the narrower. */
int
_neft_integrate_threevtx(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                         const arf_t L, int kind, const neft_integrate_opt_t opt, slong prec)
{
    arb_t g;
    int gs = NEFT_INTEGRATE_UNSUPPORTED, s;
    arb_init(g);
    arb_indeterminate(g);
    if (!(kind & _NEFT_THREEVTX_PIECES))
        gs = _neft_threevtx_gauss(g, v, k, L, opt, prec);
    if (gs == NEFT_INTEGRATE_SUCCESS || gs == NEFT_INTEGRATE_INTERRUPTED)
    {
        arb_swap(res, g);
        arb_clear(g);
        return gs;
    }
    s = threevtx_pieces(res, v, k, L, kind & ~_NEFT_THREEVTX_PIECES, opt, prec);
    if (s == NEFT_INTEGRATE_NO_CONVERGENCE && arb_is_finite(g)
        && (!arb_is_finite(res) || mag_cmp(arb_radref(g), arb_radref(res)) < 0))
        arb_swap(res, g);
    arb_clear(g);
    return s;
}
