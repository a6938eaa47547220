/* One-vertex integrals in d_in = 2 and 3 for the erf and relu kernels by
   adaptive tensor Gauss-Legendre on patches (docs/integrate.md, "Patches"):

   - The region is cut into cells at the kernels' singular points, so that
     every singular point is a corner of its cells.  A cell without one is an
     affine patch y = o + sum_p xi_p w_p e_{ax_p}, xi in [0,1]^P.  A cell with
     one singular corner s is split into P Duffy pyramids
         y = s + t v(u),  v_{ax_0} = w_0,  v_{ax_p} = u_p w_p,  (t, u) in [0,1]^P,
     Jacobian t^{P-1} prod |w_p|.  On a leg singular at s the ReLU kernel is
     evaluated with sqrt(G(s + t v)) = t sqrt(G_v): analytic in (t, u).
   - relu with sigma_b > 0: one region, the box [-L, L]^d, singular points the
     legs' points (G = ab|x - y|^2 + a^2 |x ^ y|^2 vanishes only at y = x).
   - relu with sigma_b = 0, d = 3: F(ty) = t^p F(y) (p = legs + 2 loops), so
         int_{[-L,L]^3} F = L^{p+3}/(p+3) sum_faces int_face F dA
     over the six faces of the unit cube; on a face the kernel of leg x is not
     analytic where y is parallel to x (both signs; G = a^2 |x ^ y|^2), the
     points +-x/|x|_inf on the face.  With s parallel to x, G(s + t v) =
     t^2 a^2 |x ^ v|^2: the same factored form (b = 0).
   - erf: one region, no singular point (the kernel is analytic on R^d).
   - The far field (relu with sigma_b > 0, erf): when L is large against the
     legs (and, for erf, against the scale of its complex singularities),
     an inner cube [-t0 L, t0 L]^d as above and 2^d d pyramids from 0,
     y = r v(u), |v|_inf = 1, r in [t0 L, L], bisected in r; the bounds
     evaluate the kernels as functions of v and 1/r (kernel_far_acb,
     kernel_far_erf_acb, loop_far_erf_acb).  Erf shells of nested cutoffs
     are such pyramids with r in [Lin, L].
   - On a sub-box of [0,1]^P with half-widths h_p, if the integrand is
     holomorphic with |F| <= M on the product of Bernstein ellipses E_rho
     (M from Arb on a complex box around them, analytic = 1; relu: from
     double intervals, F_civl_mag with cbox_ivl.c), the n-point
     tensor rule errs by at most P 2^{P-1} (64/15) M rho^{-2(n-1)}/(rho^2 - 1) prod h_p
     (Trefethen's 1-D bound one dimension at a time; the weights are
     positive with sum 2).  The rule is evaluated in double-precision
     interval arithmetic (ivl.h) when the goal is at most 44 bits, in Arb
     otherwise; the sum is a rigorous enclosure either way.  A sub-box with no
     rule of at most nmax points is enclosed as volume x range and bisected
     while the total error exceeds the goal.
   Inputs whose cut points cannot be ordered with certainty, or a budget of
   evaluations spent, give NEFT_INTEGRATE_NO_CONVERGENCE (a rigorous ball). */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "ivl.h"
#include "gl.h"
#include "patches.h"
#include "cbox.h"
#include "cbox_ivl.h"

#define PD 3
/* erf: the far field starts beyond FAR_ERF_SCALE x erf_length (tuned:
   docs/integrate.md, "The far field") */
#define FAR_ERF_SCALE 1.0
#define MAXRUN 64

/* a patch: a map from [0,1]^P onto part of the region */
typedef struct
{
    int duffy;
    int far;                      /* a far-field patch: y = r v(u), r = R0 + xi_0 dR */
    slong P;
    slong ax[PD];                 /* the coordinate axis of each parameter */
    arb_struct o[PD];             /* affine: the origin; Duffy: the singular point s */
    arb_struct w[PD];             /* signed widths along ax[p] */
    arb_t J;                      /* prod |w_p| (Duffy: times t^{P-1}); far: dR (R0 + dR)^{P-1} */
    arb_t R0, dR;                 /* far: the radius r = R0 + xi_0 dR (|v|_inf = 1) */
    ivl oi[PD], wi[PD], Ji, R0i, dRi;
    int sing[MAXRUN];             /* Duffy: run r is singular at s */
}
patch_struct;

typedef struct
{
    double lo[PD], hi[PD];        /* sub-box of [0,1]^P, exact */
    slong patch;
    slong r0[PD];                 /* per axis, the first rho tried (the parent's best, one larger) */
    slong split;                  /* the axis to bisect */
    arb_t est;
}
pbox_struct;

typedef struct
{
    const neft_kernel_struct * k;
    slong D, prec, nrun, loops, goal;
    int relu, use_ivl;
    slong run_leg[MAXRUN], run_mult[MAXRUN];
    acb_ptr xa;                   /* run points as acb, D each */
    /* constants as balls */
    arb_t a, b, ab, a2;
    arb_t S, A2, cc;              /* erf: 2 sw2/pi, 2a(1+2b), 2b/(1+2b); relu: S = sw2/(2 pi) */
    arb_ptr rkxx, Cx;             /* per run: sqrt(k(x,x)); erf: C_x */
    /* and as intervals */
    ivl ia, ib, iS, iA2, ic, ia2_4, iab, ia2, isw2, ibias;
    ivl ix[MAXRUN][PD], icx[MAXRUN][PD], iCx[MAXRUN];
    ivl ixx[MAXRUN], ic1[MAXRUN];  /* relu: |x|^2 and ab + a^2 |x|^2 */
    ivl irkxx[MAXRUN];            /* sqrt(k(x,x)) */
    int use_civl;                 /* relu: the ellipse bounds in double intervals (F_civl) */
    patch_struct * pt;
    slong npt, apt;
    pbox_struct * bx;
    slong nbx, abx;
    slong evals, nmax, acb_evals;
    mag_t tol_density;
    acb_ptr xi;                   /* P parameters */
    acb_ptr y, v;                 /* D coordinates */
    acb_ptr w, v2, r;             /* far-field patches: 1/r, |v|^2 and r */
    acb_ptr one;                  /* 1 (kernel_far_erf_acb on the cells) */
    /* tuples_shared.c's hook: when not NULL, F_acb / F_ivl also store the
       Jacobian in fac[0], each run's kernel (before its power) in fac[1 + r]
       and the diagonal kernel in fac[1 + nrun] (every run evaluated) */
    acb_ptr fac;
    ivl * ifac;
    int faces;                    /* relu sigma_b = 0, d = 3: the unit cube's faces */
}
pctx_struct;

/* ---------------------------------------------------------------- kernels in intervals */

static ivl
ivl_dot_x(const pctx_struct * C, slong r, const ivl * y)
{
    ivl s = ivl_pt(0);
    slong i;
    for (i = 0; i < C->D; i++)
        s = ivl_add(s, ivl_mul(C->ix[r][i], y[i]));
    return s;
}

static ivl
ivl_cross2(const pctx_struct * C, slong r, const ivl * y)
{
    ivl s = ivl_pt(0);
    slong p, q;
    for (p = 0; p < C->D; p++)
        for (q = p + 1; q < C->D; q++)
            s = ivl_add(s, ivl_sqr(ivl_sub(ivl_mul(C->ix[r][p], y[q]),
                                           ivl_mul(C->ix[r][q], y[p]))));
    return s;
}

/* the relu kernel from sG = sqrt(G), kxy and ryy = sqrt(k(y,y)) */
static ivl
ivl_relu_from(const pctx_struct * C, slong r, ivl sG, ivl kxy, ivl ryy)
{
    return _neft_ivl_relu_from(sG, kxy, ivl_mul(C->irkxx[r], ryy), C->iS, C->ibias);
}

/* [max(lo, 0), hi]: for a quantity known to be >= 0 */
static ivl
ivl_nonneg(ivl a)
{
    if (a.lo < 0 && a.hi >= 0)
        a.lo = 0;
    return a;
}

/* the kernel of run r at y; ryy = sqrt(k(y,y)) (relu) */
static ivl
ivl_kernel(const pctx_struct * C, slong r, const ivl * y, ivl ryy)
{
    ivl kxy;
    if (C->relu)
    {
        /* G = ab |d|^2 + a^2 |x ^ d|^2 = (ab + a^2 |x|^2) |d|^2 - a^2 (x.d)^2, d = y - x
           (>= 0 for real y: the lower end is clamped at 0) */
        ivl d2 = ivl_pt(0), xd = ivl_pt(0), G, d;
        slong i;
        for (i = 0; i < C->D; i++)
        {
            d = ivl_sub(y[i], C->ix[r][i]);
            d2 = ivl_add(d2, ivl_sqr(d));
            xd = ivl_add(xd, ivl_mul(C->ix[r][i], d));
        }
        G = ivl_sub(ivl_mul(C->ic1[r], d2), ivl_mul(C->ia2, ivl_sqr(xd)));
        kxy = ivl_add(C->ib, ivl_mul(C->ia, ivl_add(xd, C->ixx[r])));
        return ivl_relu_from(C, r, ivl_sqrt(ivl_nonneg(G)), kxy, ryy);
    }
    else
    {
        ivl s = ivl_pt(0), N;
        slong i;
        kxy = ivl_add(C->ib, ivl_mul(C->ia, ivl_dot_x(C, r, y)));
        for (i = 0; i < C->D; i++)
            s = ivl_add(s, ivl_sqr(ivl_sub(y[i], C->icx[r][i])));
        N = ivl_add(C->iCx[r], ivl_add(ivl_mul(C->iA2, s), ivl_mul(C->ia2_4, ivl_cross2(C, r, y))));
        return ivl_add(ivl_mul(C->iS, _neft_ivl_atan(ivl_div(ivl_mul_2exp(kxy, 1), ivl_sqrt(N)))),
                       C->ibias);
    }
}

/* the kernel of run r singular at the patch's s: sqrt(G) = t sqrt(G_v) */
static ivl
ivl_kernel_sing(const pctx_struct * C, slong r, const ivl * y, const ivl * v, ivl t, ivl ryy)
{
    ivl kxy = ivl_add(C->ib, ivl_mul(C->ia, ivl_dot_x(C, r, y)));
    ivl v2 = ivl_pt(0), xv = ivl_pt(0), G;
    slong i;
    for (i = 0; i < C->D; i++)
    {
        v2 = ivl_add(v2, ivl_sqr(v[i]));
        xv = ivl_add(xv, ivl_mul(C->ix[r][i], v[i]));
    }
    /* G_v = (ab + a^2 |x|^2) |v|^2 - a^2 (x.v)^2 >= 0 */
    G = ivl_sub(ivl_mul(C->ic1[r], v2), ivl_mul(C->ia2, ivl_sqr(xv)));
    return ivl_relu_from(C, r, ivl_mul(t, ivl_sqrt(ivl_nonneg(G))), kxy, ryy);
}

static ivl
ivl_diag(const pctx_struct * C, ivl kyy)
{
    if (C->relu)
        return ivl_add(ivl_mul_2exp(ivl_mul(C->isw2, kyy), -1), C->ibias);
    /* S atan(2k / sqrt(1 + 4k)) */
    return ivl_add(ivl_mul(C->iS, _neft_ivl_atan(ivl_div(ivl_mul_2exp(kyy, 1),
                   ivl_sqrt(ivl_add(ivl_pt(1), ivl_mul_2exp(kyy, 2)))))), C->ibias);
}

/* F at the parameters xi (intervals) of patch T, Jacobian included */
static ivl
F_ivl(const pctx_struct * C, const patch_struct * T, const ivl * xi)
{
    ivl y[PD], v[PD], kyy, ryy, f, t = xi[0];
    slong i, p, r;
    for (i = 0; i < C->D; i++)
    {
        y[i] = T->oi[i];
        v[i] = ivl_pt(0);
    }
    if (!T->duffy)
    {
        for (p = 0; p < T->P; p++)
            y[T->ax[p]] = ivl_add(y[T->ax[p]], ivl_mul(xi[p], T->wi[p]));
        f = T->Ji;
    }
    else
    {
        v[T->ax[0]] = T->wi[0];
        for (p = 1; p < T->P; p++)
            v[T->ax[p]] = ivl_mul(xi[p], T->wi[p]);
        if (T->far)
        {
            /* r = R0 + xi_0 dR, y = r v, Jacobian dR r^{P-1} */
            t = ivl_add(T->R0i, ivl_mul(xi[0], T->dRi));
            f = ivl_mul(T->dRi, ivl_pow_ui(t, T->P - 1));
        }
        else
            f = ivl_mul(T->Ji, ivl_pow_ui(t, T->P - 1));
        for (p = 0; p < T->P; p++)
            y[T->ax[p]] = ivl_add(y[T->ax[p]], ivl_mul(t, v[T->ax[p]]));
    }
    if (C->ifac != NULL)
        C->ifac[0] = f;
    kyy = ivl_pt(0);
    for (i = 0; i < C->D; i++)
        kyy = ivl_add(kyy, ivl_sqr(y[i]));
    kyy = ivl_add(C->ib, ivl_mul(C->ia, kyy));
    ryy = C->relu ? ivl_sqrt(kyy) : kyy;        /* once for all runs */
    for (r = 0; r < C->nrun; r++)
    {
        ivl g = (T->duffy && T->sing[r]) ? ivl_kernel_sing(C, r, y, v, t, ryy)
                                         : ivl_kernel(C, r, y, ryy);
        if (C->ifac != NULL)
            C->ifac[1 + r] = g;
        f = ivl_mul(f, ivl_pow_ui(g, C->run_mult[r]));
    }
    if (C->loops)
    {
        ivl g = ivl_diag(C, kyy);
        if (C->ifac != NULL)
            C->ifac[1 + C->nrun] = g;
        f = ivl_mul(f, ivl_pow_ui(g, C->loops));
    }
    return f;
}

/* ---------------------------------------------------------------- the same in Arb */


/* _neft_kernel_relu_parts_acb with the complex-box division and atan */
static void
relu_parts_box(acb_t res, const acb_t sG, const acb_t kxy, const acb_t r, int an, slong prec)
{
    _neft_kernel_relu_parts_acb_with(res, sG, kxy, r, an, prec, _neft_acb_div_box,
                                     _neft_acb_atan_box);
}

/* sum_{p<q} (x_p z_q - x_q z_p)^2 */
static void
acb_cross2_range(acb_t res, acb_srcptr x, acb_srcptr z, slong D, slong prec)
{
    acb_t c;
    slong p, q;
    acb_init(c);
    acb_zero(res);
    for (p = 0; p < D; p++)
        for (q = p + 1; q < D; q++)
        {
            acb_mul(c, x + p, z + q, prec);
            acb_submul(c, x + q, z + p, prec);
            _neft_acb_addsqr_range(res, c, prec);
        }
    acb_clear(c);
}

/* The relu kernel of run r at y = t v on a far-field patch, evaluated as
   t k~(v, w), w = 1/t: sqrt(G) = t sqrt(ab |v - w x|^2 + a^2 |x ^ v|^2),
   k(x,y) = t (a x.v + b w), sqrt(k(x,x) k(y,y)) = t sqrt(k(x,x)) sqrt(a|v|^2 + b w^2).
   The same function; on complex boxes of t the factor t carries the width
   out of the atan's argument (no dependency between sqrt(G), k(x,y) and r). */
static void
kernel_far_acb(acb_t res, pctx_struct * C, slong r, acb_srcptr v, acb_srcptr t,
               acb_srcptr w, acb_srcptr v2, int an)
{
    slong D = C->D, prec = C->prec, i;
    acb_srcptr x = C->xa + r * D;
    acb_t kxy, q, c, s;
    acb_init(kxy); acb_init(q); acb_init(c); acb_init(s);
    acb_zero(kxy);
    for (i = 0; i < D; i++)
        acb_addmul(kxy, x + i, v + i, prec);
    acb_mul_arb(kxy, kxy, C->a, prec);
    acb_addmul_arb(kxy, w, C->b, prec);            /* k(x,y) / t */
    acb_zero(q);
    for (i = 0; i < D; i++)
    {
        acb_mul(c, w, x + i, prec);
        acb_sub(c, v + i, c, prec);
        _neft_acb_addsqr_range(q, c, prec);
    }
    acb_mul_arb(q, q, C->ab, prec);
    acb_cross2_range(c, x, v, D, prec);
    acb_addmul_arb(q, c, C->a2, prec);
    _neft_acb_sqrt_box(q, q, an, prec);            /* sqrt(G) / t */
    acb_zero(s);
    _neft_acb_addsqr_range(s, w, prec);
    acb_mul_arb(s, s, C->b, prec);
    acb_addmul_arb(s, v2, C->a, prec);
    _neft_acb_sqrt_box(s, s, an, prec);
    acb_mul_arb(s, s, C->rkxx + r, prec);          /* r / t */
    relu_parts_box(c, q, kxy, s, an, prec);
    acb_mul(c, c, t, prec);
    acb_mul(kxy, kxy, t, prec);
    _neft_kernel_kink_finish(res, C->k, c, kxy, prec);
    acb_clear(kxy); acb_clear(q); acb_clear(c); acb_clear(s);
}

/* The erf kernel of run r at y = t v on a far-field patch (on the cells: v = y,
   w = 1), evaluated as a function of v and w = 1/t: k(x,y) = t (a x.v + b w) and
   N = (1 + 2k(x,x))(1 + 2k(y,y)) - 4k(x,y)^2 = t^2 N~,
   N~ = A2 |v - c w x|^2 + 4a^2 |x ^ v|^2 + C_x w^2 (the sum of squares of
   kernel_acb with y = v / w, times w^2), so 2k(x,y)/sqrt(N) = 2(a x.v + b w)
   / sqrt(N~): no factor t left in the atan's argument, whose numerator and
   denominator would lose their correlation on a complex box of t. */
static void
kernel_far_erf_acb(acb_t res, pctx_struct * C, slong r, acb_srcptr v, acb_srcptr w, int an)
{
    slong D = C->D, prec = C->prec, i;
    acb_srcptr x = C->xa + r * D;
    acb_t num, q, c;
    acb_init(num); acb_init(q); acb_init(c);
    acb_zero(num);
    for (i = 0; i < D; i++)
        acb_addmul(num, x + i, v + i, prec);
    acb_mul_arb(num, num, C->a, prec);
    acb_addmul_arb(num, w, C->b, prec);            /* k(x,y) / t */
    acb_zero(q);
    for (i = 0; i < D; i++)
    {
        acb_mul_arb(c, x + i, C->cc, prec);
        acb_mul(c, c, w, prec);
        acb_sub(c, v + i, c, prec);
        _neft_acb_addsqr_range(q, c, prec);
    }
    acb_mul_arb(q, q, C->A2, prec);
    acb_cross2_range(c, x, v, D, prec);
    acb_mul_arb(c, c, C->a2, prec);
    acb_mul_2exp_si(c, c, 2);
    acb_add(q, q, c, prec);
    acb_zero(c);
    _neft_acb_addsqr_range(c, w, prec);
    acb_addmul_arb(q, c, C->Cx + r, prec);         /* N~ */
    _neft_acb_sqrt_box(q, q, an, prec);
    acb_mul_2exp_si(c, num, 1);
    _neft_acb_div_box(c, c, q, prec);
    _neft_acb_atan_box(c, c, an, prec);
    acb_mul_arb(res, c, C->S, prec);
    if (!C->k->subtract_bias)
        acb_add_arb(res, res, C->b, prec);
    acb_clear(num); acb_clear(q); acb_clear(c);
}

/* The erf self-loop K(y,y) = S atan(2k / sqrt(1 + 4k)) + b', k = k(y,y), at
   y = t v on a far-field patch: k = t^2 q, q = a |v|^2 + b w^2, w = 1/t, and
   2k / sqrt(1 + 4k) = 2 t q / sqrt(w^2 + 4q), whose atan is taken as
   pi/2 - atan(w sqrt(w^2 + 4q) / (2q)) (positive argument: its real part is
   positive on the real patch, and on a complex box the identity continues
   analytically wherever the box functions find the right side holomorphic). */
static void
loop_far_erf_acb(acb_t res, pctx_struct * C, acb_srcptr w, acb_srcptr v2, int an)
{
    slong prec = C->prec;
    acb_t q, c, s;
    arb_t pi2;
    acb_init(q); acb_init(c); acb_init(s);
    arb_init(pi2);
    acb_zero(c);
    _neft_acb_addsqr_range(c, w, prec);            /* w^2 */
    acb_mul_arb(q, c, C->b, prec);
    acb_addmul_arb(q, v2, C->a, prec);             /* q */
    acb_mul_2exp_si(s, q, 2);
    acb_add(s, s, c, prec);
    _neft_acb_sqrt_box(s, s, an, prec);
    acb_mul(s, s, w, prec);
    acb_mul_2exp_si(c, q, 1);
    _neft_acb_div_box(s, s, c, prec);
    _neft_acb_atan_box(s, s, an, prec);
    arb_const_pi(pi2, prec);
    arb_mul_2exp_si(pi2, pi2, -1);
    acb_neg(s, s);
    acb_add_arb(s, s, pi2, prec);
    acb_mul_arb(res, s, C->S, prec);
    acb_clear(q); acb_clear(c); acb_clear(s);
    arb_clear(pi2);
}

/* the kernel of run r at y (kyy = k(y,y) given); sing: sqrt(G) = t sqrt(G_v) */
static void
kernel_acb(acb_t res, pctx_struct * C, slong r, acb_srcptr y, const acb_t kyy, int sing,
           acb_srcptr v, const acb_t t, int an)
{
    const neft_kernel_struct * k = C->k;
    slong D = C->D, prec = C->prec, i;
    acb_srcptr x = C->xa + r * D;
    acb_t kxy, q, c, s;
    acb_init(kxy); acb_init(q); acb_init(c); acb_init(s);
    acb_zero(kxy);
    for (i = 0; i < D; i++)
        acb_addmul(kxy, x + i, y + i, prec);
    acb_mul_arb(kxy, kxy, C->a, prec);
    acb_add_arb(kxy, kxy, C->b, prec);
    if (C->relu)
    {
        /* G = ab |x - y|^2 + a^2 |x ^ y|^2 (or t^2 G_v) */
        acb_srcptr z = sing ? v : y;
        acb_zero(q);
        for (i = 0; i < D; i++)
        {
            if (sing)
                acb_set(c, v + i);
            else
                acb_sub(c, x + i, y + i, prec);
            _neft_acb_addsqr_range(q, c, prec);
        }
        acb_mul_arb(q, q, C->ab, prec);
        acb_cross2_range(c, x, z, D, prec);
        acb_addmul_arb(q, c, C->a2, prec);
        _neft_acb_sqrt_box(q, q, an, prec);
        if (sing)
            acb_mul(q, q, t, prec);
        /* r = sqrt(k(x,x)) sqrt(k(y,y)) */
        _neft_acb_sqrt_box(s, kyy, an, prec);
        acb_mul_arb(s, s, C->rkxx + r, prec);
        relu_parts_box(c, q, kxy, s, an, prec);
        _neft_kernel_kink_finish(res, k, c, kxy, prec);
    }
    else
        kernel_far_erf_acb(res, C, r, y, C->one, an);    /* w = 1: v = y */
    acb_clear(kxy); acb_clear(q); acb_clear(c); acb_clear(s);
}

static void
F_acb(acb_t out, pctx_struct * C, const patch_struct * T, acb_srcptr xi, int an)
{
    const neft_kernel_struct * k = C->k;
    slong D = C->D, prec = C->prec, i, p, r;
    acb_ptr y = C->y, v = C->v;
    acb_t g, kyy;
    acb_init(g); acb_init(kyy);
    C->evals++;
    C->acb_evals++;
    for (i = 0; i < D; i++)
    {
        acb_set_arb(y + i, T->o + i);
        acb_zero(v + i);
    }
    acb_set_arb(out, T->J);
    if (!T->duffy)
        for (p = 0; p < T->P; p++)
            acb_addmul_arb(y + T->ax[p], xi + p, T->w + p, prec);
    else
    {
        acb_srcptr t = xi + 0;
        acb_set_arb(v + T->ax[0], T->w + 0);
        for (p = 1; p < T->P; p++)
            acb_mul_arb(v + T->ax[p], xi + p, T->w + p, prec);
        if (T->far)
        {
            /* r = R0 + xi_0 dR, Jacobian dR r^{P-1} */
            acb_mul_arb(C->r, xi + 0, T->dR, prec);
            acb_add_arb(C->r, C->r, T->R0, prec);
            acb_set_arb(out, T->dR);
            t = C->r;
        }
        for (p = 0; p < T->P; p++)
            acb_addmul(y + T->ax[p], t, v + T->ax[p], prec);
        acb_pow_ui(g, t, T->P - 1, prec);
        acb_mul(out, out, g, prec);
    }
    if (C->fac != NULL)
        acb_set(C->fac + 0, out);
    /* k(y,y) = b + a |y|^2 */
    acb_zero(kyy);
    for (i = 0; i < D; i++)
        _neft_acb_addsqr_range(kyy, y + i, prec);
    acb_mul_arb(kyy, kyy, C->a, prec);
    acb_add_arb(kyy, kyy, C->b, prec);
    if (T->far)
    {
        /* w = 1/r and |v|^2 for kernel_far_acb */
        acb_inv(C->w, C->r, prec);
        acb_zero(C->v2);
        for (i = 0; i < D; i++)
            _neft_acb_addsqr_range(C->v2, v + i, prec);
    }
    for (r = 0; r < C->nrun && (C->fac != NULL || acb_is_finite(out)); r++)
    {
        if (T->far && C->relu)
            kernel_far_acb(g, C, r, v, C->r, C->w, C->v2, an);
        else if (T->far)
            kernel_far_erf_acb(g, C, r, v, C->w, an);
        else
            kernel_acb(g, C, r, y, kyy, T->duffy && T->sing[r], v, xi + 0, an);
        if (C->fac != NULL)
            acb_set(C->fac + 1 + r, g);
        acb_pow_ui(g, g, C->run_mult[r], prec);
        acb_mul(out, out, g, prec);
    }
    if (C->loops && (C->fac != NULL || acb_is_finite(out)))
    {
        if (T->far && !C->relu)
            loop_far_erf_acb(g, C, C->w, C->v2, an);
        else if (C->relu)
        {
            /* b' + sw2 k / 2 */
            acb_mul_arb(g, kyy, k->sw2, prec);
            acb_mul_2exp_si(g, g, -1);
        }
        else
        {
            /* b' + S atan(2k / sqrt(1 + 4k)) */
            acb_t q;
            acb_init(q);
            acb_mul_2exp_si(q, kyy, 2);
            acb_add_ui(q, q, 1, prec);
            _neft_acb_sqrt_box(q, q, an, prec);
            acb_mul_2exp_si(g, kyy, 1);
            _neft_acb_div_box(g, g, q, prec);
            _neft_acb_atan_box(g, g, an, prec);
            acb_mul_arb(g, g, C->S, prec);
            acb_clear(q);
        }
        if (!k->subtract_bias)
            acb_add_arb(g, g, C->b, prec);
        if (C->fac != NULL)
            acb_set(C->fac + 1 + C->nrun, g);
        acb_pow_ui(g, g, C->loops, prec);
        acb_mul(out, out, g, prec);
    }
    if (!acb_is_finite(out))
        acb_indeterminate(out);
    acb_clear(g); acb_clear(kyy);
}

/* ---------------------------------------------------------------- bounds in double intervals */

/* sum_p a x_p z_p, and sum_{p<q} (x_p z_q - x_q z_p)^2 (x real) */
static civl
civl_dot_x(const pctx_struct * C, slong r, const civl * z)
{
    civl s = civl_real(ivl_pt(0));
    slong i;
    for (i = 0; i < C->D; i++)
        s = civl_add(s, civl_mul_ivl(z[i], C->ix[r][i]));
    return s;
}

static civl
civl_cross2(const pctx_struct * C, slong r, const civl * z)
{
    civl s = civl_real(ivl_pt(0));
    slong p, q;
    for (p = 0; p < C->D; p++)
        for (q = p + 1; q < C->D; q++)
            s = civl_addsqr(s, civl_sub(civl_mul_ivl(z[q], C->ix[r][p]),
                                        civl_mul_ivl(z[p], C->ix[r][q])));
    return s;
}

/* An upper bound of |F| (Jacobian included) over the complex box xi of
   patch T, for relu, with holomorphy checked as F_acb(.., an = 1) does; -1
   where it cannot be certified.  The same function as F_acb, its branch
   functions from cbox_ivl.h (as cbox.h's in F_acb). */
static double
F_civl_mag(pctx_struct * C, const patch_struct * T, const civl * xi)
{
    civl y[PD], v[PD], kyy, ryy, out, t = xi[0], w = civl_real(ivl_pt(1)), v2, g;
    slong i, p, r, e;
    double m;
    C->evals++;
    for (i = 0; i < C->D; i++)
    {
        y[i] = civl_real(T->oi[i]);
        v[i] = civl_real(ivl_pt(0));
    }
    out = civl_real(T->Ji);
    if (!T->duffy)
        for (p = 0; p < T->P; p++)
            y[T->ax[p]] = civl_add(y[T->ax[p]], civl_mul_ivl(xi[p], T->wi[p]));
    else
    {
        v[T->ax[0]] = civl_real(T->wi[0]);
        for (p = 1; p < T->P; p++)
            v[T->ax[p]] = civl_mul_ivl(xi[p], T->wi[p]);
        if (T->far)
        {
            t = civl_add_ivl(civl_mul_ivl(xi[0], T->dRi), T->R0i);
            out = civl_real(T->dRi);
        }
        for (p = 0; p < T->P; p++)
            y[T->ax[p]] = civl_add(y[T->ax[p]], civl_mul(t, v[T->ax[p]]));
        for (p = 1; p < T->P; p++)
            out = civl_mul(out, t);
    }
    kyy = civl_real(ivl_pt(0));
    for (i = 0; i < C->D; i++)
        kyy = civl_addsqr(kyy, y[i]);
    kyy = civl_add_ivl(civl_mul_ivl(kyy, C->ia), C->ib);
    ryy = _neft_civl_sqrt_box(kyy);
    v2 = civl_real(ivl_pt(0));
    if (T->far)
    {
        w = _neft_civl_div_box(civl_real(ivl_pt(1)), t);
        for (i = 0; i < C->D; i++)
            v2 = civl_addsqr(v2, v[i]);
    }
    for (r = 0; r < C->nrun && civl_is_finite(out); r++)
    {
        civl kxy, q, d[PD], rr;
        if (T->far)
        {
            /* kernel_far_acb: t k~(v, w) */
            kxy = civl_add(civl_mul_ivl(civl_dot_x(C, r, v), C->ia), civl_mul_ivl(w, C->ib));
            q = civl_real(ivl_pt(0));
            for (i = 0; i < C->D; i++)
                q = civl_addsqr(q, civl_sub(v[i], civl_mul_ivl(w, C->ix[r][i])));
            q = civl_add(civl_mul_ivl(q, C->iab), civl_mul_ivl(civl_cross2(C, r, v), C->ia2));
            rr = civl_addsqr(civl_real(ivl_pt(0)), w);
            rr = civl_add(civl_mul_ivl(rr, C->ib), civl_mul_ivl(v2, C->ia));
            rr = civl_mul_ivl(_neft_civl_sqrt_box(rr), C->irkxx[r]);
            g = _neft_civl_relu_from(_neft_civl_sqrt_box(q), kxy, rr, C->iS, C->ibias);
            /* S t (.) + b': the bias is not scaled by t */
            g = civl_add_ivl(civl_mul(civl_add_ivl(g, ivl_neg(C->ibias)), t), C->ibias);
        }
        else
        {
            int sing = T->duffy && T->sing[r];
            kxy = civl_add_ivl(civl_mul_ivl(civl_dot_x(C, r, y), C->ia), C->ib);
            q = civl_real(ivl_pt(0));
            for (i = 0; i < C->D; i++)
            {
                d[i] = sing ? v[i] : civl_sub(civl_real(C->ix[r][i]), y[i]);
                q = civl_addsqr(q, d[i]);
            }
            q = civl_add(civl_mul_ivl(q, C->iab),
                         civl_mul_ivl(civl_cross2(C, r, sing ? v : y), C->ia2));
            q = _neft_civl_sqrt_box(q);
            if (sing)
                q = civl_mul(q, t);
            g = _neft_civl_relu_from(q, kxy, civl_mul_ivl(ryy, C->irkxx[r]), C->iS,
                                     C->ibias);
        }
        for (e = 0; e < C->run_mult[r]; e++)
            out = civl_mul(out, g);
    }
    if (C->loops && civl_is_finite(out))
    {
        /* b' + sw2 k(y,y) / 2 */
        g = civl_add_ivl(civl_mul_ivl(kyy, ivl_mul_2exp(C->isw2, -1)), C->ibias);
        for (e = 0; e < C->loops; e++)
            out = civl_mul(out, g);
    }
    m = _neft_civl_mag(out);
    return m < INFINITY ? m : -1;
}

/* An upper bound of |F| over the complex box xi (acb, Arb's F_acb or
   F_civl_mag); -1 where holomorphy or the bound cannot be certified. */
static double
F_bound(pctx_struct * C, const patch_struct * T, acb_srcptr xi)
{
    if (C->use_civl)
    {
        civl z[PD];
        slong p;
        for (p = 0; p < T->P; p++)
            z[p] = civl_set(_neft_ivl_set_arb(acb_realref(xi + p)),
                            _neft_ivl_set_arb(acb_imagref(xi + p)));
        return F_civl_mag(C, T, z);
    }
    else
    {
        acb_t f;
        mag_t m;
        double r = -1;
        acb_init(f);
        mag_init(m);
        F_acb(f, C, T, xi, 1);
        if (acb_is_finite(f))
        {
            acb_get_mag(m, f);
            r = mag_get_d(m);
        }
        acb_clear(f);
        mag_clear(m);
        return r;
    }
}

/* ---------------------------------------------------------------- one sub-box */

static const double rhos[] = {8.0, 4.0, 2.6, 1.8, 1.4};
#define NRHO 5

/* the complex box around E_rho of [c - h, c + h], or piece (ir, ii) of sub x sub */
static void
ellipse_box(acb_t z, double c, double h, double rho, slong ir, slong ii, slong sub)
{
    double A = (rho + 1 / rho) / 2, B = (rho - 1 / rho) / 2;
    double rw = A * h / sub, iw = B * h / sub;
    /* the centres are rounded doubles: the radii cover their errors */
    double slack = 4e-16 * (fabs(c) + A * h) + 1e-300;
    arb_set_d(acb_realref(z), c - A * h + (2 * ir + 1) * rw);
    mag_set_d(arb_radref(acb_realref(z)), rw * (1 + 1e-12) + slack);
    arb_set_d(acb_imagref(z), -B * h + (2 * ii + 1) * iw);
    mag_set_d(arb_radref(acb_imagref(z)), iw * (1 + 1e-12) + 4e-16 * B * h + 1e-300);
}

/* The error of the tensor rule along one axis (Trefethen's 1-D bound for the
   n-point rule in that variable, the other variables real and integrated or
   summed with positive weights of sum 2): 2^{P-1} (64/15) M rho^{-2(n-1)}/(rho^2 - 1)
   prod h, M a bound on |F| with that variable on E_rho and the others on
   their real intervals.  The tensor rule errs by at most the sum over the axes. */
static double
axis_err(slong P, const double * h, double M, double rho, slong n)
{
    double e = (double) (1 << (P - 1)) * 64.0 / 15.0 * M / (rho * rho - 1);
    slong p;
    for (p = 0; p < P; p++)
        e *= h[p];
    return e * pow(rho, -2.0 * (double) (n - 1));   /* n nodes: rho^-2(n-1) */
}

/* piece ir of sub of the real interval [c - h, c + h], as a real box */
static void
real_piece(acb_t z, double c, double h, slong ir, slong sub)
{
    double w = h / sub;
    arb_set_d(acb_realref(z), c - h + (2 * ir + 1) * w);
    mag_set_d(arb_radref(acb_realref(z)), w * (1 + 1e-12) + 4e-16 * (fabs(c) + h) + 1e-300);
    arb_zero(acb_imagref(z));
}

void
_neft_patches_rules_init(_neft_patches_rules_struct * R, slong nt)
{
    R->n = flint_calloc(3 * nt, sizeof(slong));
    R->M = flint_calloc(3 * nt, sizeof(double));
    R->rho = flint_calloc(3 * nt, sizeof(double));
    R->err = flint_calloc(3 * nt, sizeof(double));
    R->split = flint_calloc(nt, sizeof(slong));
    R->have = flint_calloc(nt, sizeof(int));
}

void
_neft_patches_rules_clear(_neft_patches_rules_struct * R)
{
    flint_free(R->n);
    flint_free(R->M);
    flint_free(R->rho);
    flint_free(R->err);
    flint_free(R->split);
    flint_free(R->have);
}

/* (patches.h) The rules on sub-box [lo, hi] of a patch for nt integrands
   at once (one for _neft_integrate_patches, the tuples for
   tuples_shared.c).  The sub-box's share of integrand t's tolerance is
   dens[t] |J| vol / P (Duffy: / P again).  Per axis p in turn, rho from
   r0[p] down (then each rho again with the ellipse box cut into 2 x 2
   pieces, the other axes halved), bound() gives each integrand's bound M on
   every piece; an integrand takes the first rho whose least n meets its
   share, n <= nmax.  An integrand without a rule on axis p has none for
   the sub-box (R->have[t] = 0, R->split[t] the axis to bisect: its longest
   side, in y for an affine patch; far field: p) and is not bounded further.
   r0[p] becomes one above the largest rho taken. */
void
_neft_patches_rules(void * ctx, slong patch, const double * lo, const double * hi, slong * r0,
                    slong nt, const double * dens, _neft_patches_bound_func bound, void * arg,
                    _neft_patches_rules_struct * R)
{
    pctx_struct * C = ctx;
    const patch_struct * T = C->pt + patch;
    slong P = T->P, p, pp, ri, sub, t, q, qq, np;
    double Jm, Mbuf[8], * M = nt <= 4 ? Mbuf : flint_malloc(2 * nt * sizeof(double)), * Mq = M + nt;
    int wbuf[8], * want = nt <= 4 ? wbuf : flint_malloc(2 * nt * sizeof(int)), * ok = want + nt;
    mag_t m;
    mag_init(m);
    if (nt <= 4)
    {
        Mq = Mbuf + 4;
        ok = wbuf + 4;
    }
    R->vol = 1;
    for (p = 0; p < P; p++)
    {
        R->c[p] = 0.5 * (lo[p] + hi[p]);
        R->h[p] = 0.5 * (hi[p] - lo[p]);
        R->vol *= 2 * R->h[p];
    }
    {
        arb_t a;
        arb_init(a);
        arb_abs(a, T->J);
        arb_get_mag(m, a);
        Jm = mag_get_d(m);
        arb_clear(a);
    }
    for (t = 0; t < nt; t++)
    {
        R->have[t] = 1;
        R->split[t] = 0;
    }
    for (p = 0; p < P; p++)
    {
        slong best_ri = NRHO;
        int any = 0;
        for (t = 0; t < nt; t++)
        {
            R->n[t * PD + p] = -1;
            want[t] = R->have[t];
            any |= want[t];
        }
        for (sub = 1; sub <= 2 && any; sub++)
            for (ri = (sub == 1 ? r0[p] : 0); ri < NRHO && any; ri++)
            {
                double rho = rhos[ri];
                for (np = 1, pp = 0; pp <= P; pp++)
                    np *= sub;
                for (t = 0; t < nt; t++)
                {
                    M[t] = 0;
                    ok[t] = want[t];
                }
                for (q = 0; q < np; q++)
                {
                    int more = 0;
                    for (qq = q, pp = 0; pp < P; pp++)
                    {
                        slong ir = qq % sub;
                        qq /= sub;
                        if (pp == p)
                        {
                            ellipse_box(C->xi + pp, R->c[pp], R->h[pp], rho, ir, qq % sub, sub);
                            qq /= sub;
                        }
                        else
                            real_piece(C->xi + pp, R->c[pp], R->h[pp], ir, sub);
                    }
                    bound(Mq, arg, patch, C->xi, ok);
                    for (t = 0; t < nt; t++)
                        if (ok[t])
                        {
                            if (!(Mq[t] >= 0) || !isfinite(Mq[t]))
                                ok[t] = 0;
                            else
                                M[t] = FLINT_MAX(M[t], Mq[t]);
                            more |= ok[t];
                        }
                    if (!more)
                        break;
                }
                for (t = 0; t < nt; t++)
                {
                    double allowed, e;
                    slong n;
                    if (!ok[t])
                        continue;
                    allowed = dens[t] * Jm * R->vol / (T->duffy ? (double) P : 1.0) / P;
                    e = axis_err(P, R->h, M[t], rho, 0);
                    n = (e <= allowed) ? GL_NMIN
                      : (slong) ceil(log(e / allowed) / (2 * log(rho)));
                    n = FLINT_MAX(n, GL_NMIN);
                    /* the first rule found (the largest rho with one): a smaller
                       rho almost never gave fewer nodes (stop 29: the same node
                       counts in erf d_in = 2, 3; relu d_in = 2 15% faster
                       without the extra bound) */
                    if (n <= C->nmax)
                    {
                        R->n[t * PD + p] = n;
                        R->M[t * PD + p] = M[t];
                        R->rho[t * PD + p] = rho;
                        R->err[t * PD + p] = axis_err(P, R->h, M[t], rho, n) * (1 + 1e-6);
                        best_ri = FLINT_MIN(best_ri, ri);
                        want[t] = 0;
                    }
                }
                for (any = 0, t = 0; t < nt; t++)
                    any |= want[t];
            }
        r0[p] = best_ri >= NRHO ? 0 : FLINT_MAX(0, best_ri - 1);
        for (t = 0; t < nt; t++)
            if (R->have[t] && R->n[t * PD + p] < 0)
            {
                /* bisected along its longest side (affine patches: in y) */
                R->have[t] = 0;
                R->split[t] = 0;
                if (T->far)
                    R->split[t] = p;        /* far field: the axis without a rule (t spans decades) */
                else
                    for (pp = 1; pp < P; pp++)
                    {
                        double lp = R->h[pp] * (T->duffy ? 1 : fabs(T->wi[pp].hi));
                        double lq = R->h[R->split[t]] * (T->duffy ? 1 : fabs(T->wi[R->split[t]].hi));
                        if (lp > lq)
                            R->split[t] = pp;
                    }
            }
    }
    if (M != Mbuf)
        flint_free(M);
    if (want != wbuf)
        flint_free(want);
    mag_clear(m);
}

/* patches.c's own integrand as _neft_patches_rules' bound (nt = 1) */
static void
own_bound(double * M, void * arg, slong patch, acb_srcptr xi, const int * want)
{
    pctx_struct * C = arg;
    (void) want;
    M[0] = F_bound(C, C->pt + patch, xi);
}

/* The rule for one sub-box (_neft_patches_rules): the tensor rule with n_p
   nodes along axis p is summed and the sum of the axes' bounds added.
   Without a rule along some axis the sub-box is enclosed as volume x range,
   and B->split names the axis to bisect. */
static void
box_estimate(pctx_struct * C, pbox_struct * B)
{
    const patch_struct * T = C->pt + B->patch;
    slong P = T->P, p, nn[PD];
    double c[PD], h[PD], vol, err = 0, ee[PD], dens = mag_get_d(C->tol_density);
    int have;
    _neft_patches_rules_struct R;
    acb_t f;
    mag_t m;
    _neft_patches_rules_init(&R, 1);
    _neft_patches_rules(C, B->patch, B->lo, B->hi, B->r0, 1, &dens, own_bound, C, &R);
    vol = R.vol;
    have = R.have[0];
    B->split = R.split[0];
    for (p = 0; p < P; p++)
    {
        c[p] = R.c[p];
        h[p] = R.h[p];
        nn[p] = R.n[p];
        ee[p] = R.err[p];
        if (have)
            err += ee[p];
    }
    _neft_patches_rules_clear(&R);
    acb_init(f);
    mag_init(m);
    if (!have)
    {
        /* no rule: volume x range on the real box */
        for (p = 0; p < P; p++)
            real_piece(C->xi + p, c[p], h[p], 0, 1);
        F_acb(f, C, T, C->xi, 0);
        arb_set_d(acb_imagref(f), vol);                 /* exact: a product of powers of 2 */
        arb_mul(B->est, acb_realref(f), acb_imagref(f), C->prec);
        if (!arb_is_finite(B->est))
            arb_indeterminate(B->est);
    }
    else
    {
        const _neft_gl_struct * g[PD];
        slong np = 1, q, qq, idx;
        B->split = 0;
        for (p = 0; p < P; p++)
        {
            g[p] = _neft_gl(_neft_gl_size(nn[p]), C->prec);
            np *= g[p]->n;
            /* the largest error: bisected there if this box is split */
            if (ee[p] > ee[B->split])
                B->split = p;
        }
        if (C->use_ivl)
        {
            ivl sum = ivl_pt(0), xi[PD], w, hv[PD];
            for (p = 0; p < P; p++)
                hv[p] = ivl_pt(h[p]);
            for (q = 0; q < np; q++)
            {
                w = ivl_pt(1);
                for (qq = q, p = 0; p < P; p++)
                {
                    idx = qq % g[p]->n;
                    qq /= g[p]->n;
                    xi[p] = ivl_add(ivl_pt(c[p]), ivl_mul(hv[p], g[p]->xi[idx]));
                    w = ivl_mul(w, g[p]->wi[idx]);
                }
                sum = ivl_add(sum, ivl_mul(w, F_ivl(C, T, xi)));
            }
            C->evals += np;
            for (p = 0; p < P; p++)
                sum = ivl_mul(sum, hv[p]);
            _neft_ivl_get_arb(B->est, sum);
        }
        else
        {
            arb_t w, t;
            arb_init(w);
            arb_init(t);
            arb_zero(B->est);
            for (q = 0; q < np; q++)
            {
                arb_one(w);
                for (qq = q, p = 0; p < P; p++)
                {
                    idx = qq % g[p]->n;
                    qq /= g[p]->n;
                    arb_set_d(t, h[p]);
                    arb_mul(acb_realref(C->xi + p), g[p]->x + idx, t, C->prec);
                    arb_set_d(t, c[p]);
                    arb_add(acb_realref(C->xi + p), acb_realref(C->xi + p), t, C->prec);
                    arb_zero(acb_imagref(C->xi + p));
                    arb_mul(w, w, g[p]->w + idx, C->prec);
                }
                F_acb(f, C, T, C->xi, 0);
                arb_addmul(B->est, w, acb_realref(f), C->prec);
            }
            for (p = 0; p < P; p++)
            {
                arb_set_d(t, h[p]);
                arb_mul(B->est, B->est, t, C->prec);
            }
            arb_clear(w);
            arb_clear(t);
        }
        mag_set_d(m, err);
        arb_add_error_mag(B->est, m);
        if (!arb_is_finite(B->est))
            arb_indeterminate(B->est);
    }
    acb_clear(f);
    mag_clear(m);
}

/* ---------------------------------------------------------------- building the patches */

static patch_struct *
new_patch(pctx_struct * C)
{
    patch_struct * T;
    slong i;
    if (C->npt == C->apt)
    {
        C->apt = 2 * C->apt + 16;
        C->pt = flint_realloc(C->pt, C->apt * sizeof(patch_struct));
    }
    T = C->pt + C->npt++;
    memset(T, 0, sizeof(patch_struct));
    for (i = 0; i < PD; i++)
    {
        arb_init(T->o + i);
        arb_init(T->w + i);
    }
    arb_init(T->J);
    arb_init(T->R0);
    arb_init(T->dR);
    return T;
}

static void
patch_finish(pctx_struct * C, patch_struct * T)
{
    slong i;
    arb_t t;
    arb_init(t);
    arb_one(T->J);
    for (i = 0; i < T->P; i++)
    {
        arb_abs(t, T->w + i);
        arb_mul(T->J, T->J, t, C->prec);
        T->wi[i] = _neft_ivl_set_arb(T->w + i);
    }
    for (i = 0; i < C->D; i++)
        T->oi[i] = _neft_ivl_set_arb(T->o + i);
    if (T->far)
    {
        /* for the tolerance's shares: the largest Jacobian dR (R0 + dR)^{P-1} */
        arb_add(t, T->R0, T->dR, C->prec);
        arb_pow_ui(t, t, T->P - 1, C->prec);
        arb_mul(T->J, T->J, t, C->prec);
        arb_mul(T->J, T->J, T->dR, C->prec);
        T->R0i = _neft_ivl_set_arb(T->R0);
        T->dRi = _neft_ivl_set_arb(T->dR);
    }
    T->Ji = _neft_ivl_set_arb(T->J);
    arb_clear(t);
}

static void
add_box(pctx_struct * C, slong patch, const double * lo, const double * hi)
{
    pbox_struct * B;
    slong p;
    if (C->nbx == C->abx)
    {
        C->abx = 2 * C->abx + 64;
        C->bx = flint_realloc(C->bx, C->abx * sizeof(pbox_struct));
    }
    B = C->bx + C->nbx++;
    arb_init(B->est);
    B->patch = patch;
    B->split = 0;
    for (p = 0; p < PD; p++)
        B->r0[p] = 0;
    for (p = 0; p < C->pt[patch].P; p++)
    {
        B->lo[p] = lo[p];
        B->hi[p] = hi[p];
    }
}

/* A singular point: its D coordinates and the runs singular there. */
typedef struct
{
    arb_struct s[PD];
    int sing[MAXRUN];
    slong r0, si0;                /* faces: the run that made it, and its sign */
}
spt_struct;

/* The cells of the region o + prod_p [lo_p, hi_p] e_{ax_p} (fixed coordinates
   in o), cut at the singular points' coordinates; Duffy pyramids at a
   singular corner.  Returns 0 if the cuts cannot be ordered. */
static int
region(pctx_struct * C, slong P, const slong * ax, arb_srcptr o, arb_srcptr lo, arb_srcptr hi,
       spt_struct * S, slong nS)
{
    arb_ptr cuts[PD];
    slong ncut[PD], p, i, j, prec2 = 2 * C->prec + 64, ncell, cell;
    int ok = 1;
    for (p = 0; p < P; p++)
    {
        slong a = ax[p], n = 0;
        cuts[p] = _arb_vec_init(nS + 2);
        arb_set(cuts[p] + n++, lo + p);
        arb_set(cuts[p] + n++, hi + p);
        for (i = 0; i < nS; i++)
        {
            int dup = 0;
            for (j = 0; j < n; j++)
                dup |= arb_equal(cuts[p] + j, S[i].s + a);
            if (!dup)
                arb_set(cuts[p] + n++, S[i].s + a);
        }
        for (i = 1; i < n; i++)
            for (j = i; j > 0 && arf_cmp(arb_midref(cuts[p] + j - 1), arb_midref(cuts[p] + j)) > 0; j--)
                arb_swap(cuts[p] + j - 1, cuts[p] + j);
        for (i = 1; i < n; i++)
            ok &= arb_lt(cuts[p] + i - 1, cuts[p] + i);
        ncut[p] = n;
    }
    ncell = 1;
    for (p = 0; p < P; p++)
        ncell *= ncut[p] - 1;
    for (cell = 0; cell < ncell && ok; cell++)
    {
        /* a work list of cells, halved while they have two singular corners */
        arb_struct wl[64][PD], wh[64][PD];
        slong wn = 1, q = cell;
        for (p = 0; p < P; p++)
        {
            slong jj = q % (ncut[p] - 1);
            q /= ncut[p] - 1;
            arb_init(wl[0] + p);
            arb_init(wh[0] + p);
            arb_set(wl[0] + p, cuts[p] + jj);
            arb_set(wh[0] + p, cuts[p] + jj + 1);
        }
        while (wn > 0)
        {
            slong corner = -1, ncorner = 0, sp = -1, c;
            arb_struct L[PD], H[PD];
            wn--;
            for (p = 0; p < P; p++)
            {
                L[p] = wl[wn][p];
                H[p] = wh[wn][p];
            }
            for (c = 0; c < (WORD(1) << P); c++)
                for (i = 0; i < nS; i++)
                {
                    int at = 1;
                    for (p = 0; p < P; p++)
                        at &= arb_equal(S[i].s + ax[p], ((c >> p) & 1) ? H + p : L + p);
                    if (at)
                    {
                        if (corner != c)
                            ncorner++;
                        corner = c;
                        sp = i;
                    }
                }
            if (ncorner >= 2 && wn + (WORD(1) << P) <= 64)
            {
                slong part;
                arb_struct mid[PD];
                for (p = 0; p < P; p++)
                {
                    arb_init(mid + p);
                    arb_add(mid + p, L + p, H + p, prec2);
                    arb_mul_2exp_si(mid + p, mid + p, -1);
                }
                for (part = 0; part < (WORD(1) << P); part++, wn++)
                    for (p = 0; p < P; p++)
                    {
                        arb_init(wl[wn] + p);
                        arb_init(wh[wn] + p);
                        arb_set(wl[wn] + p, ((part >> p) & 1) ? mid + p : L + p);
                        arb_set(wh[wn] + p, ((part >> p) & 1) ? H + p : mid + p);
                    }
                for (p = 0; p < P; p++)
                {
                    arb_clear(mid + p);
                    arb_clear(L + p);
                    arb_clear(H + p);
                }
                continue;
            }
            if (ncorner == 1 && wn + 2 <= 64)
            {
                /* make the singular cell a cube: a long side is cut at the
                   shortest width from s (elongated pyramids have small ellipses) */
                double wd[PD], mn = 1e300;
                slong lp = -1;
                arb_t cut;
                for (p = 0; p < P; p++)
                {
                    arb_t ww;
                    arb_init(ww);
                    arb_sub(ww, H + p, L + p, prec2);
                    wd[p] = arf_get_d(arb_midref(ww), ARF_RND_NEAR);
                    mn = FLINT_MIN(mn, wd[p]);
                    arb_clear(ww);
                }
                /* and at most half the distance to the nearest other
                   singular point: the pyramids' ellipses then stay large */
                for (i = 0; i < nS; i++)
                {
                    double dmax = 0;
                    if (i == sp)
                        continue;
                    for (p = 0; p < P; p++)
                        dmax = FLINT_MAX(dmax, fabs(arf_get_d(arb_midref(S[i].s + ax[p]), ARF_RND_NEAR)
                                                    - arf_get_d(arb_midref(S[sp].s + ax[p]), ARF_RND_NEAR)));
                    if (dmax > 0)
                        mn = FLINT_MIN(mn, 0.5 * dmax);
                }
                for (p = 0; p < P && lp < 0; p++)
                    if (wd[p] > 1.5 * mn)
                        lp = p;
                if (lp >= 0)
                {
                    arb_init(cut);
                    arb_set_d(cut, ldexp(1.0, (int) floor(log2(mn))));    /* a power of 2 <= min width */
                    if ((corner >> lp) & 1)
                        arb_sub(cut, H + lp, cut, prec2);
                    else
                        arb_add(cut, L + lp, cut, prec2);
                    for (i = 0; i < 2; i++, wn++)
                        for (p = 0; p < P; p++)
                        {
                            arb_init(wl[wn] + p);
                            arb_init(wh[wn] + p);
                            arb_set(wl[wn] + p, (p == lp && i == 1) ? cut : L + p);
                            arb_set(wh[wn] + p, (p == lp && i == 0) ? cut : H + p);
                        }
                    arb_clear(cut);
                    for (p = 0; p < P; p++)
                    {
                        arb_clear(L + p);
                        arb_clear(H + p);
                    }
                    continue;
                }
            }
            if (ncorner >= 2)
                ok = 0;
            else if (ncorner == 1)
            {
                slong kk;
                for (kk = 0; kk < P; kk++)
                {
                    patch_struct * T = new_patch(C);
                    double zl[PD] = {0, 0, 0}, oh[PD] = {1, 1, 1};
                    T->duffy = 1;
                    T->P = P;
                    for (i = 0; i < C->D; i++)
                        arb_set(T->o + i, S[sp].s + i);
                    for (i = 0; i < P; i++)
                    {
                        /* parameter 0 runs along axis kk, the others in order */
                        slong pp = (i == 0) ? kk : (i <= kk ? i - 1 : i);
                        T->ax[i] = ax[pp];
                        if ((corner >> pp) & 1)
                            arb_sub(T->w + i, L + pp, H + pp, prec2);
                        else
                            arb_sub(T->w + i, H + pp, L + pp, prec2);
                    }
                    memcpy(T->sing, S[sp].sing, sizeof(T->sing));
                    patch_finish(C, T);
                    add_box(C, C->npt - 1, zl, oh);
                }
            }
            else
            {
                patch_struct * T = new_patch(C);
                double zl[PD] = {0, 0, 0}, oh[PD] = {1, 1, 1};
                T->P = P;
                for (i = 0; i < C->D; i++)
                    arb_set(T->o + i, o + i);
                for (p = 0; p < P; p++)
                {
                    arb_set(T->o + ax[p], L + p);
                    T->ax[p] = ax[p];
                    arb_sub(T->w + p, H + p, L + p, prec2);
                }
                patch_finish(C, T);
                add_box(C, C->npt - 1, zl, oh);
            }
            for (p = 0; p < P; p++)
            {
                arb_clear(L + p);
                arb_clear(H + p);
            }
        }
        while (wn > 0)
        {
            wn--;
            for (p = 0; p < P; p++)
            {
                arb_clear(wl[wn] + p);
                arb_clear(wh[wn] + p);
            }
        }
    }
    for (p = 0; p < P; p++)
        _arb_vec_clear(cuts[p], nS + 2);
    return ok;
}

/* ---------------------------------------------------------------- the far field */

/* The length below which the erf integrand's complex singularities lie:
   the self-loop's 1 + 4k(y,y) = 0 and k(y,y) = -1/2 at |y|^2 = -(1/4 + b)/a,
   -(1/2 + b)/a, so sqrt((1/4 + b)/a) (a heuristic: it only places the far
   field's start). */
static double
erf_length(const pctx_struct * C)
{
    double a = arf_get_d(arb_midref(C->a), ARF_RND_NEAR);
    double b = arf_get_d(arb_midref(C->b), ARF_RND_NEAR);
    return (a > 0 && b >= 0) ? sqrt((0.25 + b) / a) : 0;
}

/* Where the far field starts, as a fraction t0 = 2^-k of L: the least t0
   = 2^-k, k >= 1, with t0 L >= 1.2 max_i |x_i|_inf (relu with sigma_b > 0, the
   legs inside the box; erf, the same with max(|x_i|_inf, erf_length)); 1 (no
   far field) when there is none. */
static double
far_field_start(const pctx_struct * C, const neft_vint_t v, const arf_t L)
{
    double Ld = arf_get_d(L, ARF_RND_DOWN), xm = 0, t0 = 1;
    slong i;
    if ((C->relu && arb_is_zero(C->b)) || !(Ld > 0) || !isfinite(Ld))
        return 1;
    for (i = 0; i < v->nlegs * C->D; i++)
        xm = FLINT_MAX(xm, fabs(arf_get_d(arb_midref(v->point + i), ARF_RND_UP)));
    if (!C->relu)
        xm = FLINT_MAX(xm, FAR_ERF_SCALE * erf_length(C));
    if (!(xm > 0))
        xm = 0.25 * Ld;
    /* halved while t0 L / 2 >= 1.2 xm: the legs lie at distance >= xm / 5
       from the inner cube's boundary */
    while (t0 * Ld >= 2 * 1.2 * xm && t0 > 1e-300)
        t0 *= 0.5;
    return t0;
}

/* The far field [-L, L]^D minus the cube [-t0 L, t0 L]^D (Lin = NULL), or
   minus (-Lin, Lin)^D (t0 ignored): per orthant and per axis kk, the
   pyramid from 0 whose base is the orthant's face y_kk = +-L, as a Duffy
   patch with apex 0 (no leg singular there), restricted to radii r in
   [t0 L, L] (or [Lin, L]): y = r v(u), v_kk = +-1, v_q = +-u_q, |y|_inf =
   |y_kk| = r; r = xi_0 L, xi_0 in [t0, 1] (or r = Lin + xi_0 (L - Lin),
   xi_0 in [0, 1], exact).  All singular points lie in the inner cube at
   distance >= t0 L / 2 from its boundary (relu), or the integrand is
   analytic (erf), so it is analytic on these patches; bisection in xi_0
   grades them geometrically towards the inner cube. */
static void
far_field(pctx_struct * C, slong D, const arf_t Lin, const arf_t L, double t0)
{
    slong orth, kk, i;
    for (orth = 0; orth < (WORD(1) << D); orth++)
        for (kk = 0; kk < D; kk++)
        {
            patch_struct * T = new_patch(C);
            double zl[PD] = {Lin == NULL ? t0 : 0, 0, 0}, oh[PD] = {1, 1, 1};
            T->duffy = 1;
            T->far = 1;
            T->P = D;
            for (i = 0; i < D; i++)
            {
                /* parameter 0 along axis kk, the others in order */
                slong a = (i == 0) ? kk : (i <= kk ? i - 1 : i);
                T->ax[i] = a;
                arb_set_si(T->w + i, ((orth >> a) & 1) ? -1 : 1);
            }
            if (Lin == NULL)
            {
                arb_zero(T->R0);
                arb_set_arf(T->dR, L);
            }
            else
            {
                arb_set_arf(T->R0, Lin);
                arb_set_arf(T->dR, L);
                arb_sub_arf(T->dR, T->dR, Lin, ARF_PREC_EXACT);
            }
            patch_finish(C, T);
            add_box(C, C->npt - 1, zl, oh);
        }
}

/* ---------------------------------------------------------------- the driver */

int
_neft_integrate_patches_apply(const neft_vint_t v, const neft_kernel_t k, const arf_t L)
{
    int relu = k->act == neft_act_lookup("relu"), erf = k->act == neft_act_lookup("erf");
    slong i;
    if (v->m != 1 || (v->d != 2 && v->d != 3) || !(relu || erf) || !arf_is_finite(L)
        || arf_sgn(L) <= 0)
        return 0;
    if (relu && arb_is_zero(k->sb2) && v->d == 2)
        return 0;                       /* the polar method */
    if (relu && !arb_is_zero(k->sb2) && !arb_is_positive(k->sb2))
        return 0;
    if (!arb_is_positive(k->sw2))
        return 0;
    for (i = 0; i < v->nlegs * v->d; i++)
        if (!arb_is_exact(v->point + i))
            return 0;
    if (v->nlegs > MAXRUN)
        return 0;
    return 1;
}

/* The driver: over [-L, L]^d, or over the shell [-L, L]^d minus (-Lin, Lin)^d
   when Lin is not NULL (_neft_integrate_patches_shell). */
static int
patches_run(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t Lin,
            const arf_t L, const neft_integrate_opt_t opt, slong prec, pctx_struct * keep);

int
_neft_integrate_patches(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L,
                        const neft_integrate_opt_t opt, slong prec)
{
    return patches_run(res, v, k, NULL, L, opt, prec, NULL);
}

int
_neft_integrate_patches_shell_apply(const neft_vint_t v, const neft_kernel_t k,
                                    const arf_t Lin, const arf_t L)
{
    slong i;
    if (!_neft_integrate_patches_apply(v, k, L) || !arf_is_finite(Lin) || arf_sgn(Lin) <= 0
        || arf_cmp(Lin, L) >= 0)
        return 0;
    if (k->act == neft_act_lookup("relu"))
    {
        if (arb_is_zero(k->sb2))
            return 0;                   /* the faces (homogeneity) */
        for (i = 0; i < v->nlegs * v->d; i++)
            if (arf_cmpabs(arb_midref(v->point + i), Lin) >= 0)
                return 0;               /* a singular point in the shell */
    }
    return 1;
}

int
_neft_integrate_patches_shell(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                              const arf_t Lin, const arf_t L, const neft_integrate_opt_t opt,
                              slong prec)
{
    if (!_neft_integrate_patches_shell_apply(v, k, Lin, L))
    {
        arb_indeterminate(res);
        return NEFT_INTEGRATE_NO_CONVERGENCE;
    }
    return patches_run(res, v, k, Lin, L, opt, prec, NULL);
}

static void ctx_clear(pctx_struct * C);

static int
patches_run(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t Lin,
            const arf_t L, const neft_integrate_opt_t opt, slong prec, pctx_struct * keep)
{
    pctx_struct C[1];
    slong D = v->d, i, j, r, goal, budget, * same, p_hom = 0;
    int status = NEFT_INTEGRATE_SUCCESS, faces, ok = 1, tightened = 0;
    spt_struct * S;
    slong nS = 0;
    arb_t t, u, scale;
    mag_t tol, tot, tol46;

    memset(C, 0, sizeof(C));
    C->k = k;
    C->D = D;
    C->prec = prec;
    C->relu = k->act == neft_act_lookup("relu");
    C->loops = v->A[0];
    /* default goal: prec - 24 bits in d_in = 2 (40 at 64: relative radius
       ~1e-12), prec - 34 in d_in = 3 (30 bits, ~1e-9; issue 17 asks 1e-8) */
    goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec - (D == 3 ? 34 : 24);
    C->goal = goal;
    C->use_ivl = goal <= 44 && _neft_ivl_usable();
    C->use_civl = C->relu && _neft_ivl_usable() && arb_is_zero(k->param);
    /* d_in = 2: 32 (40 before the bounds in double intervals: more,
       smaller sub-boxes are cheaper now; relu Lambda = 10 10% faster) */
    C->nmax = (D == 2) ? 32 : 24;
    budget = opt->eval_limit > 0 ? opt->eval_limit : 4000000;
    faces = C->relu && arb_is_zero(k->sb2);
    arb_init(t); arb_init(u); arb_init(scale);
    mag_init(tol); mag_init(tot); mag_init(tol46); mag_init(C->tol_density);
    arb_init(C->a); arb_init(C->b); arb_init(C->ab); arb_init(C->a2);
    arb_init(C->S); arb_init(C->A2); arb_init(C->cc);

    /* runs of equal legs */
    same = flint_calloc(v->nlegs + 1, sizeof(slong));
    _neft_vint_runs(same, v);
    for (i = 0; i < v->nlegs; i += 1 + same[i])
    {
        C->run_leg[C->nrun] = i;
        C->run_mult[C->nrun] = 1 + same[i];
        C->nrun++;
    }
    flint_free(same);
    C->xa = _acb_vec_init(C->nrun * D);
    C->rkxx = _arb_vec_init(C->nrun);
    C->Cx = _arb_vec_init(C->nrun);
    C->xi = _acb_vec_init(PD);
    C->y = _acb_vec_init(PD);
    C->v = _acb_vec_init(PD);
    C->w = _acb_vec_init(1);
    C->v2 = _acb_vec_init(1);
    C->r = _acb_vec_init(1);
    C->one = _acb_vec_init(1);
    acb_one(C->one);
    for (r = 0; r < C->nrun; r++)
        for (i = 0; i < D; i++)
            acb_set_arb(C->xa + r * D + i, v->point + C->run_leg[r] * D + i);

    /* constants */
    arb_div_si(C->a, k->sw2, D, prec);
    arb_set(C->b, k->sb2);
    arb_mul(C->ab, C->a, C->b, prec);
    arb_sqr(C->a2, C->a, prec);
    C->ia = _neft_ivl_set_arb(C->a);
    C->ib = _neft_ivl_set_arb(C->b);
    C->iab = _neft_ivl_set_arb(C->ab);
    C->ia2 = _neft_ivl_set_arb(C->a2);
    C->isw2 = _neft_ivl_set_arb(k->sw2);
    C->ibias = k->subtract_bias ? ivl_pt(0) : C->ib;
    if (C->relu)
    {
        arb_const_pi(t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_div(t, k->sw2, t, prec);           /* sw2 / (2 pi) */
        C->iS = _neft_ivl_set_arb(t);
        arb_set(C->S, t);
    }
    else
    {
        arb_const_pi(t, prec);
        arb_div(t, k->sw2, t, prec);
        arb_mul_2exp_si(t, t, 1);              /* 2 sw2 / pi */
        C->iS = _neft_ivl_set_arb(t);
        arb_set(C->S, t);
        arb_mul_2exp_si(t, C->b, 1);
        arb_add_ui(t, t, 1, prec);             /* 1 + 2b */
        arb_mul(u, C->a, t, prec);
        arb_mul_2exp_si(u, u, 1);
        C->iA2 = _neft_ivl_set_arb(u);         /* 2a(1+2b) */
        arb_set(C->A2, u);
        arb_mul_2exp_si(u, C->b, 1);
        arb_div(u, u, t, prec);
        C->ic = _neft_ivl_set_arb(u);          /* 2b/(1+2b) */
        arb_set(C->cc, u);
        arb_mul_2exp_si(u, C->a2, 2);
        C->ia2_4 = _neft_ivl_set_arb(u);       /* 4a^2 */
    }
    for (r = 0; r < C->nrun; r++)
    {
        arb_srcptr x = v->point + C->run_leg[r] * D;
        arb_zero(u);
        for (i = 0; i < D; i++)
        {
            C->ix[r][i] = _neft_ivl_set_arb(x + i);
            C->icx[r][i] = C->relu ? ivl_pt(0) : ivl_mul(C->ic, C->ix[r][i]);
            arb_addmul(u, x + i, x + i, prec);
        }
        C->ixx[r] = _neft_ivl_set_arb(u);      /* |x|^2 */
        {
            arb_t q;
            arb_init(q);
            arb_mul(q, C->a2, u, prec);
            arb_add(q, q, C->ab, prec);
            C->ic1[r] = _neft_ivl_set_arb(q);  /* ab + a^2 |x|^2 */
            arb_clear(q);
        }
        arb_mul(u, u, C->a, prec);            /* a |x|^2 */
        arb_add(t, u, C->b, prec);
        arb_sqrt(C->rkxx + r, t, prec);
        C->irkxx[r] = _neft_ivl_set_arb(C->rkxx + r);
        if (!C->relu)
        {
            /* (1+4b)(1 + 2a|x|^2/(1+2b)) */
            arb_t q;
            arb_init(q);
            arb_mul_2exp_si(q, C->b, 1);
            arb_add_ui(q, q, 1, prec);
            arb_mul_2exp_si(u, u, 1);
            arb_div(u, u, q, prec);
            arb_add_ui(u, u, 1, prec);
            arb_mul_2exp_si(q, C->b, 2);
            arb_add_ui(q, q, 1, prec);
            arb_mul(u, u, q, prec);
            C->iCx[r] = _neft_ivl_set_arb(u);
            arb_set(C->Cx + r, u);
            arb_clear(q);
        }
    }

    /* the regions and their singular points */
    S = flint_calloc(2 * C->nrun + 1, sizeof(spt_struct));
    for (i = 0; i < 2 * C->nrun + 1; i++)
        for (j = 0; j < PD; j++)
            arb_init(S[i].s + j);
    if (!faces && Lin != NULL && !C->relu)
    {
        /* erf: the shell as the far field's pyramids, r in [Lin, L] */
        far_field(C, D, Lin, L, 0);
    }
    else if (!faces && Lin != NULL)
    {
        /* the shell: 2d boxes, along axis a on side sg: |y_a| in [Lin, L],
           |y_b| <= Lin before a, |y_b| <= L after (no singular point:
           _neft_integrate_patches_shell_apply) */
        slong ax[PD] = {0, 1, 2}, a, sg;
        arb_ptr lo = _arb_vec_init(D), hi = _arb_vec_init(D), o = _arb_vec_init(D);
        for (a = 0; a < D && ok; a++)
            for (sg = -1; sg <= 1 && ok; sg += 2)
            {
                for (i = 0; i < D; i++)
                {
                    arb_set_arf(hi + i, i < a ? Lin : L);
                    arb_neg(lo + i, hi + i);
                }
                arb_set_arf(lo + a, Lin);
                arb_set_arf(hi + a, L);
                if (sg < 0)
                {
                    arb_swap(lo + a, hi + a);
                    arb_neg(lo + a, lo + a);
                    arb_neg(hi + a, hi + a);
                }
                ok = region(C, D, ax, o, lo, hi, S, 0);
            }
        _arb_vec_clear(lo, D); _arb_vec_clear(hi, D); _arb_vec_clear(o, D);
    }
    else if (!faces)
    {
        slong ax[PD] = {0, 1, 2};
        arb_ptr lo = _arb_vec_init(D), hi = _arb_vec_init(D), o = _arb_vec_init(D);
        double t0 = far_field_start(C, v, L);
        for (i = 0; i < D; i++)
        {
            /* the inner cube [-t0 L, t0 L]^D (t0 = 1: the whole box) */
            arb_set_arf(hi + i, L);
            arb_mul_2exp_si(hi + i, hi + i, (slong) ilogb(t0));
            arb_neg(lo + i, hi + i);
        }
        if (C->relu)
            for (r = 0; r < C->nrun; r++)
            {
                arb_srcptr x = v->point + C->run_leg[r] * D;
                int in = 1;
                for (i = 0; i < D; i++)
                    in &= arf_cmpabs(arb_midref(x + i), L) <= 0;
                if (!in)
                    continue;
                for (i = 0; i < D; i++)
                    arb_set(S[nS].s + i, x + i);
                S[nS].sing[r] = 1;
                nS++;
            }
        ok = region(C, D, ax, o, lo, hi, S, nS);
        if (ok && t0 < 1)
            far_field(C, D, NULL, L, t0);
        _arb_vec_clear(lo, D); _arb_vec_clear(hi, D); _arb_vec_clear(o, D);
    }
    else
    {
        /* relu, sigma_b = 0, d = 3: the six faces of the unit cube */
        slong nrm, sg;
        p_hom = v->nlegs + 2 * C->loops;
        for (nrm = 0; nrm < 3 && ok; nrm++)
            for (sg = -1; sg <= 1 && ok; sg += 2)
            {
                slong ax[PD], P = 2, q = 0;
                arb_struct lo[2], hi[2];
                arb_ptr o = _arb_vec_init(3);
                for (i = 0; i < 3; i++)
                    if (i != nrm)
                        ax[q++] = i;
                arb_set_si(o + nrm, sg);
                for (i = 0; i < 2; i++)
                {
                    arb_init(lo + i);
                    arb_init(hi + i);
                    arb_set_si(lo + i, -1);
                    arb_set_si(hi + i, 1);
                }
                nS = 0;
                for (r = 0; r < C->nrun; r++)
                {
                    arb_srcptr x = v->point + C->run_leg[r] * 3;
                    arb_t c;
                    slong si;
                    int top = 1;
                    arb_init(c);
                    arb_abs(c, x + nrm);
                    for (i = 0; i < 3; i++)
                        top &= arf_cmpabs(arb_midref(x + i), arb_midref(x + nrm)) <= 0;
                    /* x / |x|_inf lies on the face with normal nrm, side sign(x_nrm);
                       -x / |x|_inf on the other side */
                    if (top && !arb_is_zero(c))
                    {
                        si = arf_sgn(arb_midref(x + nrm)) * sg;     /* +1: x itself, -1: -x */
                        for (j = 0; j < nS; j++)
                        {
                            /* parallel to an earlier point, same orientation: same s */
                            arb_srcptr x0 = v->point + C->run_leg[S[j].r0] * 3;
                            arb_t cr, dt;
                            int par = 1;
                            slong a1, a2, wp = 4 * prec + 256;
                            arb_init(cr); arb_init(dt);
                            for (a1 = 0; a1 < 3; a1++)
                                for (a2 = a1 + 1; a2 < 3; a2++)
                                {
                                    arb_mul(cr, x + a1, x0 + a2, wp);
                                    arb_submul(cr, x + a2, x0 + a1, wp);
                                    par &= arb_is_zero(cr);
                                }
                            for (a1 = 0; a1 < 3; a1++)
                                arb_addmul(dt, x + a1, x0 + a1, wp);
                            par &= (arf_sgn(arb_midref(dt)) * S[j].si0 == si);
                            arb_clear(cr); arb_clear(dt);
                            if (par)
                            {
                                S[j].sing[r] = 1;
                                break;
                            }
                        }
                        if (j == nS)
                        {
                            for (i = 0; i < 3; i++)
                            {
                                if (i == nrm)
                                    arb_set_si(S[nS].s + i, sg);
                                else if (arf_cmpabs(arb_midref(x + i), arb_midref(x + nrm)) == 0)
                                    arb_set_si(S[nS].s + i,
                                               si * arf_sgn(arb_midref(x + i)));
                                else
                                {
                                    arb_div(S[nS].s + i, x + i, c, prec + 64);
                                    if (si < 0)
                                        arb_neg(S[nS].s + i, S[nS].s + i);
                                }
                            }
                            memset(S[nS].sing, 0, sizeof(S[nS].sing));
                            S[nS].sing[r] = 1;
                            S[nS].r0 = r;
                            S[nS].si0 = si;
                            nS++;
                        }
                    }
                    arb_clear(c);
                }
                ok = region(C, P, ax, o, lo, hi, S, nS);
                for (i = 0; i < nS; i++)
                    for (j = 0; j < PD; j++)
                        arb_zero(S[i].s + j);
                for (i = 0; i < 2; i++)
                {
                    arb_clear(lo + i);
                    arb_clear(hi + i);
                }
                _arb_vec_clear(o, 3);
            }
    }
    for (i = 0; i < 2 * C->nrun + 1; i++)
        for (j = 0; j < PD; j++)
            arb_clear(S[i].s + j);
    flint_free(S);
    if (keep != NULL)
    {
        /* _neft_patches_ctx_new: the patches and their first boxes, nothing estimated */
        C->faces = faces;
        *keep = *C;
        arb_clear(t); arb_clear(u); arb_clear(scale);
        mag_clear(tol); mag_clear(tot); mag_clear(tol46);
        return ok;
    }

    if (ok)
    {
        /* the scale (a heuristic: it only sets the tolerance): per patch
           |F(centre)| x the volume it stands for; on far-field patches,
           where F grows like t^(p+d-1) across [t0, 1], the 2-point Gauss
           rule per axis for the integral of |F| */
        double sc = 0;
        for (i = 0; i < C->nbx; i++)
        {
            const pbox_struct * B = C->bx + i;
            const patch_struct * T = C->pt + B->patch;
            double q = 0, vol = 1;
            slong cnr, P = T->P;
            acb_t f;
            acb_init(f);
            if (!T->far)
            {
                for (j = 0; j < P; j++)
                    acb_set_d(C->xi + j, 0.5);
                F_acb(f, C, T, C->xi, 0);
                acb_get_mag(tot, f);
                sc += mag_get_d(tot) / (T->duffy ? (double) P : 1.0);
                acb_clear(f);
                continue;
            }
            for (cnr = 0; cnr < (WORD(1) << P); cnr++)
            {
                for (j = 0; j < P; j++)
                {
                    double c = 0.5 * (B->lo[j] + B->hi[j]), h = 0.5 * (B->hi[j] - B->lo[j]);
                    acb_set_d(C->xi + j, c + (((cnr >> j) & 1) ? h : -h) * 0.57735026918962576);
                }
                F_acb(f, C, T, C->xi, 0);
                q += fabs(arf_get_d(arb_midref(acb_realref(f)), ARF_RND_NEAR));
            }
            for (j = 0; j < P; j++)
                vol *= 0.5 * (B->hi[j] - B->lo[j]);
            sc += q * vol;
            acb_clear(f);
        }
        if (!(sc > 0) || !isfinite(sc))
            sc = 1;
        mag_set_d(tol, sc);
        mag_mul_2exp_si(tol46, tol, -46);
        mag_mul_2exp_si(tol, tol, -goal);
        mag_set(C->tol_density, tol);        /* per unit of J (sum of J ~ the volume) */
        {
            /* tol_density = tol / total volume */
            double vol = 0;
            for (i = 0; i < C->npt; i++)
            {
                acb_t f;
                acb_init(f);
                arb_abs(t, C->pt[i].J);
                vol += arf_get_d(arb_midref(t), ARF_RND_UP) / (C->pt[i].duffy ? (double) C->pt[i].P : 1.0);
                acb_clear(f);
            }
            mag_set_d(tot, vol);
            mag_div(C->tol_density, tol, tot);
        }
        for (i = 0; i < C->nbx; i++)
            box_estimate(C, C->bx + i);
    }

    for (;;)
    {
        slong worst = -1;
        if (!ok)
            break;
        mag_zero(tot);
        for (i = 0; i < C->nbx; i++)
        {
            if (!arb_is_finite(C->bx[i].est))
                mag_inf(arb_radref(C->bx[i].est));
            mag_add(tot, tot, arb_radref(C->bx[i].est));
            if (worst < 0 || mag_cmp(arb_radref(C->bx[i].est), arb_radref(C->bx[worst].est)) > 0)
                worst = i;
        }
        if (mag_cmp(tot, tol) <= 0)
        {
            /* relative to the value when it is much smaller than the scale */
            arb_zero(t);
            for (i = 0; i < C->nbx; i++)
                arb_add(t, t, C->bx[i].est, prec);
            arb_get_mag_lower(tot, t);
            mag_mul_2exp_si(tot, tot, -goal);
            if (tightened < 3 && mag_cmp(tot, tol) < 0 && !mag_is_zero(tot))
            {
                mag_div(C->tol_density, C->tol_density, tol);
                mag_mul(C->tol_density, C->tol_density, tot);
                mag_set(tol, tot);
                tightened++;
                /* below about 2^-46 of the integrand's scale the node values
                   in double intervals are too coarse: Arb from now on */
                if (C->use_ivl && mag_cmp(tol, tol46) < 0)
                    C->use_ivl = 0;
                continue;
            }
            break;
        }
        if (neft_interrupted())
        {
            status = NEFT_INTEGRATE_INTERRUPTED;
            break;
        }
        if (C->evals > budget)
        {
            status = NEFT_INTEGRATE_NO_CONVERGENCE;
            break;
        }
        {
            pbox_struct * B = C->bx + worst;
            slong P = C->pt[B->patch].P, wl = 0, p;
            double lo[PD], hi[PD], mid;
            wl = B->split;
            if (B->hi[wl] - B->lo[wl] < 1e-12)
            {
                status = NEFT_INTEGRATE_NO_CONVERGENCE;
                break;
            }
            for (p = 0; p < P; p++)
            {
                lo[p] = B->lo[p];
                hi[p] = B->hi[p];
            }
            mid = 0.5 * (lo[wl] + hi[wl]);
            lo[wl] = mid;
            B->hi[wl] = mid;
            add_box(C, B->patch, lo, hi);
            B = C->bx + worst;
            memcpy(C->bx[C->nbx - 1].r0, B->r0, sizeof(B->r0));
            box_estimate(C, B);
            box_estimate(C, C->bx + C->nbx - 1);
        }
    }

    arb_zero(res);
    for (i = 0; i < C->nbx; i++)
        arb_add(res, res, C->bx[i].est, prec);
    if (faces && ok)
    {
        /* L^{p+3} / (p+3) */
        arb_set_arf(t, L);
        arb_pow_ui(t, t, p_hom + 3, prec);
        arb_div_ui(t, t, p_hom + 3, prec);
        arb_mul(res, res, t, prec);
    }
    if (!ok)
    {
        arb_indeterminate(res);
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    }
    else if (!arb_is_finite(res) && status == NEFT_INTEGRATE_SUCCESS)
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    if (opt->verbose)
        flint_fprintf(stderr, "patches: %wd patches, %wd boxes, %wd evaluations (%wd in Arb)\n",
                      C->npt, C->nbx, C->evals, C->acb_evals);
    if (opt->verbose > 2)
        for (i = 0; i < C->npt; i++)
        {
            slong nb = 0;
            for (j = 0; j < C->nbx; j++)
                nb += C->bx[j].patch == i;
            flint_fprintf(stderr, "  patch %wd duffy %d o (%g,%g) w (%g,%g) ax %wd %wd: %wd boxes\n", i, C->pt[i].duffy,
                arf_get_d(arb_midref(C->pt[i].o + 0), ARF_RND_NEAR), arf_get_d(arb_midref(C->pt[i].o + 1), ARF_RND_NEAR),
                arf_get_d(arb_midref(C->pt[i].w + 0), ARF_RND_NEAR), arf_get_d(arb_midref(C->pt[i].w + 1), ARF_RND_NEAR),
                C->pt[i].ax[0], C->pt[i].ax[1], nb);
        }
    if (opt->verbose > 1)
        for (i = 0; i < C->nbx; i++)
            if (mag_cmp_2exp_si(arb_radref(C->bx[i].est), -20) > 0)
                flint_fprintf(stderr, "  box %wd patch %wd duffy %d [%g,%g]x[%g,%g]x[%g,%g] rad %g\n", i,
                    C->bx[i].patch, C->pt[C->bx[i].patch].duffy, C->bx[i].lo[0], C->bx[i].hi[0],
                    C->bx[i].lo[1], C->bx[i].hi[1], C->bx[i].lo[2], C->bx[i].hi[2],
                    mag_get_d(arb_radref(C->bx[i].est)));

    arb_clear(t); arb_clear(u); arb_clear(scale);
    mag_clear(tol); mag_clear(tot); mag_clear(tol46);
    ctx_clear(C);
    return status;
}

/* everything patches_run's context holds */
static void
ctx_clear(pctx_struct * C)
{
    slong i, j, D = C->D;
    for (i = 0; i < C->nbx; i++)
        arb_clear(C->bx[i].est);
    flint_free(C->bx);
    for (i = 0; i < C->npt; i++)
    {
        for (j = 0; j < PD; j++)
        {
            arb_clear(C->pt[i].o + j);
            arb_clear(C->pt[i].w + j);
        }
        arb_clear(C->pt[i].J);
        arb_clear(C->pt[i].R0);
        arb_clear(C->pt[i].dR);
    }
    flint_free(C->pt);
    _acb_vec_clear(C->xa, C->nrun * D);
    _acb_vec_clear(C->xi, PD);
    _acb_vec_clear(C->y, PD);
    _acb_vec_clear(C->v, PD);
    _acb_vec_clear(C->w, 1);
    _acb_vec_clear(C->v2, 1);
    _acb_vec_clear(C->r, 1);
    _acb_vec_clear(C->one, 1);
    mag_clear(C->tol_density);
    arb_clear(C->a); arb_clear(C->b); arb_clear(C->ab); arb_clear(C->a2);
    arb_clear(C->S); arb_clear(C->A2); arb_clear(C->cc);
    _arb_vec_clear(C->rkxx, C->nrun);
    _arb_vec_clear(C->Cx, C->nrun);
}

/* ---------------------------------------------------------------- hook for tuples_shared.c */

/* (patches.h) the context of v's patches, boxes not estimated; NULL where
   the cuts cannot be ordered */
void *
_neft_patches_ctx_new(const neft_vint_t v, const neft_kernel_t k, const arf_t Lin,
                      const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    pctx_struct * C = flint_malloc(sizeof(pctx_struct));
    if (!patches_run(NULL, v, k, Lin, L, opt, prec, C))
    {
        ctx_clear(C);
        flint_free(C);
        return NULL;
    }
    return C;
}

void
_neft_patches_ctx_free(void * ctx)
{
    ctx_clear(ctx);
    flint_free(ctx);
}

void
_neft_patches_ctx_info(const void * ctx, slong * nrun, slong * goal, int * use_ivl,
                       slong * nmax, int * faces, slong * npt, slong * nbx)
{
    const pctx_struct * C = ctx;
    *nrun = C->nrun;
    *goal = C->goal;
    *use_ivl = C->use_ivl;
    *nmax = C->nmax;
    *faces = C->faces;
    *npt = C->npt;
    *nbx = C->nbx;
}

void
_neft_patches_ctx_patch(const void * ctx, slong i, slong * P, int * duffy, int * far,
                        arb_t J)
{
    const patch_struct * T = ((const pctx_struct *) ctx)->pt + i;
    *P = T->P;
    *duffy = T->duffy;
    *far = T->far;
    arb_set(J, T->J);
}

void
_neft_patches_ctx_box(const void * ctx, slong i, double * lo, double * hi, slong * patch)
{
    const pbox_struct * B = ((const pctx_struct *) ctx)->bx + i;
    slong p;
    for (p = 0; p < PD; p++)
    {
        lo[p] = B->lo[p];
        hi[p] = B->hi[p];
    }
    *patch = B->patch;
}

slong
_neft_patches_ctx_evals(const void * ctx)
{
    return ((const pctx_struct *) ctx)->evals;
}

void
_neft_patches_ctx_factors_acb(acb_ptr fac, void * ctx, slong patch, acb_srcptr xi, int an)
{
    pctx_struct * C = ctx;
    acb_t f;
    acb_init(f);
    C->fac = fac;
    F_acb(f, C, C->pt + patch, xi, an);
    C->fac = NULL;
    acb_clear(f);
}

void
_neft_patches_ctx_factors_ivl(ivl * fac, void * ctx, slong patch, const ivl * xi)
{
    pctx_struct * C = ctx;
    C->ifac = fac;
    F_ivl(C, C->pt + patch, xi);
    C->ifac = NULL;
    C->evals++;
}

void
_neft_patches_real_piece(acb_t z, double c, double h, slong ir, slong sub)
{
    real_piece(z, c, h, ir, sub);
}

double
_neft_patches_axis_err(slong P, const double * h, double M, double rho, slong n)
{
    return axis_err(P, h, M, rho, n);
}
