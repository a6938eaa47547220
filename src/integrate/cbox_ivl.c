/* Complex boxes in double intervals (cbox_ivl.h): sqrt, division and atan
   as cbox.c computes them in Arb, for the bounds on Bernstein ellipses. */

#include "cbox_ivl.h"

double
_neft_civl_mag(civl z)
{
    if (!civl_is_finite(z))
        return INFINITY;
    return _up_hypot(ivl_mag(z.re), ivl_mag(z.im));
}

/* sqrt((|z| + a)/2) for z = a + ib at the point (a, b), b >= 0, as an
   interval (for a < 0 as b^2 / (|z| - a): no cancellation) */
static ivl
re_sqrt_pt(double a, double b)
{
    ivl A = ivl_pt(a), B = ivl_pt(b), hyp, q;
    hyp = ivl_sqrt(ivl_add(ivl_sqr(A), ivl_sqr(B)));
    if (a >= 0)
        q = ivl_add(hyp, A);
    else if (b == 0)
        q = ivl_pt(0);
    else
        q = ivl_div(ivl_sqr(B), ivl_sub(hyp, A));
    return ivl_sqrt(ivl_mul_2exp(q, -1));
}

civl
_neft_civl_sqrt_box(civl z)
{
    const ivl inf = ivl_set(-INFINITY, INFINITY);
    double bmin, bmax, al = z.re.lo, ah = z.re.hi;
    ivl re, im;
    if (z.im.lo == 0 && z.im.hi == 0 && z.re.lo > 0)
        return civl_real(ivl_sqrt(z.re));           /* real: the real sqrt */
    if (!civl_is_finite(z))
        return civl_set(inf, inf);
    bmax = ivl_mag(z.im);
    bmin = (z.im.lo <= 0 && z.im.hi >= 0) ? 0 : FLINT_MIN(fabs(z.im.lo), fabs(z.im.hi));
    if (al > 0)
    {
        /* Re z > 0: Re sqrt increases with a and |b|; Im sqrt = b / (2 Re sqrt) */
        re = ivl_set(re_sqrt_pt(al, bmin).lo, re_sqrt_pt(ah, bmax).hi);
        if (!(re.lo > 0))
            return civl_set(inf, inf);
        im = ivl_div(z.im, ivl_mul_2exp(re, 1));
        return civl_set(re, im);
    }
    if (z.im.lo > 0 || z.im.hi < 0)
    {
        /* one half plane: |Im sqrt(a + ib)| = Re sqrt(-a + i|b|) */
        re = ivl_set(re_sqrt_pt(al, bmin).lo, re_sqrt_pt(ah, bmax).hi);
        im = ivl_set(re_sqrt_pt(-ah, bmin).lo, re_sqrt_pt(-al, bmax).hi);
        if (z.im.hi < 0)
            im = ivl_neg(im);
        return civl_set(re, im);
    }
    return civl_set(inf, inf);                  /* the box meets (-inf, 0] */
}

civl
_neft_civl_div_box(civl x, civl y)
{
    const ivl inf = ivl_set(-INFINITY, INFINITY);
    ivl n;
    if (x.im.lo == 0 && x.im.hi == 0 && y.im.lo == 0 && y.im.hi == 0
        && (y.re.lo > 0 || y.re.hi < 0))
        return civl_real(ivl_div(x.re, y.re));      /* real: the real quotient */
    n = ivl_add(ivl_sqr(y.re), ivl_sqr(y.im));
    if (!(n.lo > 0) || !civl_is_finite(x) || !civl_is_finite(y))
        return civl_set(inf, inf);
    return civl_set(ivl_div(ivl_add(ivl_mul(x.re, y.re), ivl_mul(x.im, y.im)), n),
                    ivl_div(ivl_sub(ivl_mul(x.im, y.re), ivl_mul(x.re, y.im)), n));
}

civl
_neft_civl_atan_box(civl w)
{
    const ivl inf = ivl_set(-INFINITY, INFINITY);
    ivl e, t, u, v;
    double a0, lo, m, r, err;
    if (w.im.lo == 0 && w.im.hi == 0)
        return civl_real(_neft_ivl_atan(w.re));     /* real: the real atan */
    if (!civl_is_finite(w) || !(ivl_mag(w.im) < 1 || w.re.lo > 0 || w.re.hi < 0))
        return civl_set(inf, inf);
    /* the box extended to the real axis: convex, holds w and a0, and meets
       the cuts +-i[1, inf) exactly when w's box does */
    e = ivl_set(FLINT_MIN(w.im.lo, 0), FLINT_MAX(w.im.hi, 0));
    t = ivl_add(ivl_pt(1), ivl_sub(ivl_sqr(w.re), ivl_sqr(e)));
    u = ivl_mul_2exp(ivl_mul(w.re, e), 1);
    t = ivl_add(ivl_sqr(t), ivl_sqr(u));             /* |1 + z^2|^2 */
    lo = t.lo;
    if (!(lo > 0) || !ivl_is_finite(t))
        return civl_set(inf, inf);
    m = _ivl_up(1 / _ivl_dn(sqrt(lo)));               /* >= 1/|1 + z^2| */
    a0 = ivl_mid(w.re);
    r = _up_hypot(FLINT_MAX(_ivl_up(a0 - w.re.lo), _ivl_up(w.re.hi - a0)), ivl_mag(e));
    err = _up_mul(m, r);
    v = _neft_ivl_atan(ivl_pt(a0));
    if (!(err < INFINITY) || !ivl_is_finite(v))
        return civl_set(inf, inf);
    return civl_set(ivl_set(_ivl_dn(v.lo - err), _ivl_up(v.hi + err)),
                    ivl_set(-err, err));
}

civl
_neft_civl_relu_from(civl sG, civl kxy, civl rr, ivl scale, ivl bias)
{
    civl phi;
    if (ivl_mid(kxy.re) >= 0)
    {
        phi = _neft_civl_atan_box(_neft_civl_div_box(sG, civl_add(rr, kxy)));
        phi = civl_sub(civl_real(ivl_pi()), civl_set(ivl_mul_2exp(phi.re, 1),
                                                     ivl_mul_2exp(phi.im, 1)));
    }
    else
    {
        phi = _neft_civl_atan_box(_neft_civl_div_box(sG, civl_sub(rr, kxy)));
        phi = civl_set(ivl_mul_2exp(phi.re, 1), ivl_mul_2exp(phi.im, 1));
    }
    return civl_add_ivl(civl_mul_ivl(civl_add(sG, civl_mul(phi, kxy)), scale), bias);
}

ivl
_neft_ivl_relu_from(ivl sG, ivl kxy, ivl rr, ivl scale, ivl bias)
{
    ivl p;
    if (kxy.lo >= -kxy.hi)
        p = ivl_sub(ivl_pi(), ivl_mul_2exp(_neft_ivl_atan(ivl_div(sG, ivl_add(rr, kxy))), 1));
    else
        p = ivl_mul_2exp(_neft_ivl_atan(ivl_div(sG, ivl_sub(rr, kxy))), 1);
    return ivl_add(ivl_mul(scale, ivl_add(sG, ivl_mul(p, kxy))), bias);
}
