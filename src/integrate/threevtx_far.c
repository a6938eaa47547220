/* The far field of the three-vertex integrals for erf in d_in = 1
   (threevtx.c; docs/integrate.md, "Three vertices"): beyond |y| = R the
   coordinate is t = log|y| (y = sg e^t, sg the sign of the cell), and the
   kernels are evaluated from u = e^{-t} = 1/|y|, scaled so that nothing
   grows with |y|.  Far from the inputs the erf kernel is a function of the
   ratios of the points and of 1/|y|: in t its complex singular points lie
   at a distance O(1) from the real line at every |y| (the link of two far
   points is singular at t_b - t_a = +-i acos(c), c = 2b/(1 + 2b), or +-i
   (pi - acos(c)) for opposite signs), so a far cell can span a factor
   2^FAR_STEP of |y| instead of 2, with bounds on the ellipses' boxes that
   do not grow with |y| (in y, (y - c x)^2 of two far boxes does).

   With a = sigma_w^2, b = sigma_b^2, k(x,y) = b + a x y and
   N = (1 + 2k(x,x))(1 + 2k(y,y)) - 4k(x,y)^2
     = 2a(1+2b)(y - c x)^2 + (1+4b)(1 + 2a x^2/(1+2b)),
   the kernel is K = b' + a (2/pi) atan(2k(x,y)/sqrt(N)) (b' = b, or 0 when
   the bias is subtracted), and with x = sx/u, y = sy/v, s = sx sy:
   - x a point or near coordinate, y far:
       K = b' + a (2/pi) atan(2(b v + a sy x) / sqrt(Nv)),
       Nv = N v^2 = 2a(1+2b)(x v - c sy)^2 + (1+4b)(v^2 + 2a/(1+2b));
   - both far: 2k uv = 2(a s + b u v), N u^2 v^2 = 2a(1+2b)(u - c s v)^2
       + (1+4b) v^2 (u^2 + 2a/(1+2b)), and atan(Z) = s (pi/2 - atan(1/(s Z)))
     (s Z > 0 on the real cell; the formula is holomorphic wherever the box
     functions say so, and agrees with K on the real cell), so
       K = b' + a s - a s (2/pi) atan(g),  g = sqrt(N u^2 v^2) / (2(a + s b u v));
   - the self-loop of a far point: N = 1 + 4k(y,y),
       K = b' + a - a (2/pi) atan(v sqrt((1+4b) v^2 + 4a) / (2(a + b v^2))).
   The far-far form needs k(x,y) != 0 on the cell (b u v != a), which
   R^2 >= 4 b/a ensures (_neft_threevtx_far_start). */

#include <math.h>
#include "threevtx.h"
#include "cbox.h"

/* res = z^2 of a complex box, Re by interval squares (Re z^2 = X^2 - V^2) */
static void
sqr_box(acb_t res, const acb_t z, slong prec)
{
    acb_t t;
    acb_init(t);
    _neft_acb_addsqr_range(t, z, prec);
    acb_swap(res, t);
    acb_clear(t);
}

slong
_neft_threevtx_far_start(const neft_kernel_struct * k, slong e)
{
    /* the first power of 2 >= 2^(e+1) (twice the legs' scale: a far cell
       next to a leg needed more sub-boxes) with R^2 >= 4 b / a */
    double ba = arf_get_d(arb_midref(k->sb2), ARF_RND_UP)
                / arf_get_d(arb_midref(k->sw2), ARF_RND_DOWN);
    e++;
    while (ldexp(1.0, 2 * e) < 4 * ba && e < 4000)   /* (also ends for a = 0: no far cells) */
        e++;
    return e;
}

void
_neft_threevtx_far_coord(acb_t v, acb_t jac, const arb_t lo, const arb_t hi, const acb_t u,
                         int an, slong prec)
{
    /* t = lo + (hi - lo) u, v = e^{-t}, jac = (hi - lo) e^t = (hi - lo) / v */
    acb_t t;
    acb_init(t);
    acb_set_arb(jac, hi);
    acb_sub_arb(jac, jac, lo, prec);
    acb_mul(t, jac, u, prec);
    acb_add_arb(t, t, lo, prec);
    acb_neg(t, t);
    acb_exp(v, t, prec);
    acb_neg(t, t);
    acb_exp(t, t, prec);
    acb_mul(jac, jac, t, prec);
    (void) an;
    acb_clear(t);
}

/* res = b' + a w' with w' = (2/pi) w (sgn = 0), 1 - (2/pi) w (sgn > 0) or
   (2/pi) w - 1 (sgn < 0) */
static void
finish(acb_t res, const neft_kernel_struct * k, acb_t w, int sgn, slong prec)
{
    arb_t pi;
    arb_init(pi);
    arb_const_pi(pi, prec);
    acb_div_arb(w, w, pi, prec);
    acb_mul_2exp_si(w, w, 1);
    if (sgn > 0)
    {
        acb_neg(w, w);
        acb_add_ui(w, w, 1, prec);
    }
    else if (sgn < 0)
        acb_sub_ui(w, w, 1, prec);
    acb_mul_arb(res, w, k->sw2, prec);
    if (!k->subtract_bias)
        acb_add_arb(res, res, k->sb2, prec);
    arb_clear(pi);
}

void
_neft_threevtx_far_erf(acb_t res, const neft_kernel_struct * k, const acb_t x, int xfar, int sx,
                       const acb_t y, int yfar, int sy, int an, slong prec)
{
    acb_t n, t, w;
    arb_t one2b, c, q;
    const acb_struct * p = x, * v = y;
    int s;
    acb_init(n); acb_init(t); acb_init(w);
    arb_init(one2b); arb_init(c); arb_init(q);
    if (!yfar)
    {
        /* K is symmetric: the far point second */
        p = y;
        v = x;
        s = sx;
        sx = sy;
        sy = s;
        xfar = yfar;
    }
    arb_mul_2exp_si(one2b, k->sb2, 1);
    arb_add_ui(one2b, one2b, 1, prec);                /* 1 + 2b */
    arb_mul_2exp_si(c, k->sb2, 1);
    arb_div(c, c, one2b, prec);                        /* c */
    arb_mul(q, k->sw2, one2b, prec);
    arb_mul_2exp_si(q, q, 1);                          /* 2a(1+2b) */
    /* n = (1+4b)(v^2 + 2a/(1+2b)) */
    sqr_box(n, v, prec);
    arb_mul_2exp_si(acb_realref(t), k->sw2, 1);
    arb_div(acb_realref(t), acb_realref(t), one2b, prec);
    arb_add(acb_realref(n), acb_realref(n), acb_realref(t), prec);
    arb_mul_2exp_si(acb_realref(t), k->sb2, 2);
    arb_add_ui(acb_realref(t), acb_realref(t), 1, prec);   /* 1 + 4b */
    acb_mul_arb(n, n, acb_realref(t), prec);
    if (xfar)
    {
        /* both far (x = sx/u, u = p): N u^2 v^2 = (1+4b) u^2 (v^2 + 2a/(1+2b))
           + 2a(1+2b)(v - c s u)^2 (the form with x and y exchanged) */
        s = sx * sy;
        sqr_box(w, p, prec);
        acb_mul(n, n, w, prec);
        acb_mul_arb(w, p, c, prec);
        if (s < 0)
            acb_neg(w, w);
        acb_sub(w, v, w, prec);
        sqr_box(w, w, prec);
        acb_mul_arb(w, w, q, prec);
        acb_add(n, n, w, prec);
        acb_mul(t, p, v, prec);
        acb_mul_arb(t, t, k->sb2, prec);
        if (s < 0)
            acb_neg(t, t);
        acb_add_arb(t, t, k->sw2, prec);               /* a + s b u v */
    }
    else
    {
        /* x = p near, y = sy / v far: Nv = 2a(1+2b)(x v - c sy)^2 + n */
        s = 0;
        acb_mul(w, p, v, prec);
        if (sy > 0)
            arb_sub(acb_realref(w), acb_realref(w), c, prec);
        else
            arb_add(acb_realref(w), acb_realref(w), c, prec);
        sqr_box(w, w, prec);
        acb_mul_arb(w, w, q, prec);
        acb_add(n, n, w, prec);
        acb_mul_arb(t, p, k->sw2, prec);
        if (sy < 0)
            acb_neg(t, t);
        acb_mul_arb(w, v, k->sb2, prec);
        acb_add(t, t, w, prec);                        /* b v + a sy x */
    }
    /* both far: atan(N / 2(a + s b u v)); one far: atan(2(b v + a sy x) / N) */
    _neft_acb_sqrt_box(n, n, an, prec);
    acb_mul_2exp_si(t, t, 1);
    if (xfar)
        _neft_acb_div_box(w, n, t, prec);
    else
        _neft_acb_div_box(w, t, n, prec);
    _neft_acb_atan_box(w, w, an, prec);
    finish(res, k, w, s, prec);
    acb_clear(n); acb_clear(t); acb_clear(w);
    arb_clear(one2b); arb_clear(c); arb_clear(q);
}

void
_neft_threevtx_far_erf_diag(acb_t res, const neft_kernel_struct * k, const acb_t v, int an,
                            slong prec)
{
    /* g = v sqrt((1+4b) v^2 + 4a) / (2(a + b v^2)) */
    acb_t n, t, v2;
    arb_t c;
    acb_init(n); acb_init(t); acb_init(v2);
    arb_init(c);
    sqr_box(v2, v, prec);
    arb_mul_2exp_si(c, k->sb2, 2);
    arb_add_ui(c, c, 1, prec);
    acb_mul_arb(n, v2, c, prec);
    arb_mul_2exp_si(c, k->sw2, 2);
    acb_add_arb(n, n, c, prec);
    _neft_acb_sqrt_box(n, n, an, prec);
    acb_mul(n, n, v, prec);
    acb_mul_arb(t, v2, k->sb2, prec);
    acb_add_arb(t, t, k->sw2, prec);
    acb_mul_2exp_si(t, t, 1);
    _neft_acb_div_box(n, n, t, prec);
    _neft_acb_atan_box(n, n, an, prec);
    finish(res, k, n, 1, prec);
    acb_clear(n); acb_clear(t); acb_clear(v2);
    arb_clear(c);
}
