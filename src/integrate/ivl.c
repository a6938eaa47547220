/* Interval arithmetic in double precision (ivl.h): conversions to and from
   Arb, and atan with its proof of enclosure. */
#include <fenv.h>
#include "ivl.h"

ivl
_neft_ivl_set_arb(const arb_t x)
{
    arf_t t;
    ivl r;
    if (!arb_is_finite(x))
        return ivl_set(-INFINITY, INFINITY);
    if (mag_is_zero(arb_radref(x)))
    {
        /* an exact double: itself */
        double d = arf_get_d(arb_midref(x), ARF_RND_NEAR);
        if (d == d && fabs(d) < INFINITY && arf_equal_d(arb_midref(x), d))
            return ivl_pt(d);
    }
    arf_init(t);
    arb_get_lbound_arf(t, x, 64);
    r.lo = arf_get_d(t, ARF_RND_FLOOR);
    arb_get_ubound_arf(t, x, 64);
    r.hi = arf_get_d(t, ARF_RND_CEIL);
    arf_clear(t);
    return _ivl_fix(r);
}

void
_neft_ivl_get_arb(arb_t res, ivl a)
{
    arf_t l, h;
    if (!ivl_is_finite(a))
    {
        arb_indeterminate(res);
        return;
    }
    arf_init(l);
    arf_init(h);
    arf_set_d(l, a.lo);
    arf_set_d(h, a.hi);
    arb_set_interval_arf(res, l, h, 60);
    arf_clear(l);
    arf_clear(h);
}

int
_neft_ivl_usable(void)
{
#if NEFT_IVL
    return fegetround() == FE_TONEAREST;
#else
    return 0;
#endif
}

/* ---- atan ---- */

/* atan(j/8), j = 0..8, rounded to nearest (Arb), and their enclosures */
static const double atan_rn[9] = {
    0, 0x1.fd5ba9aac2f6ep-4, 0x1.f5b75f92c80ddp-3, 0x1.6f61941e4def1p-2,
    0x1.dac670561bb4fp-2, 0x1.1e00babdefeb4p-1, 0x1.4978fa3269ee1p-1,
    0x1.700a7c5784634p-1, 0x1.921fb54442d18p-1
};

static const double atan_tab[9][2] = {
    {0, 0},
    {0x1.fd5ba9aac2f6dp-4, 0x1.fd5ba9aac2f6ep-4},
    {0x1.f5b75f92c80ddp-3, 0x1.f5b75f92c80dep-3},
    {0x1.6f61941e4defp-2, 0x1.6f61941e4def1p-2},
    {0x1.dac670561bb4fp-2, 0x1.dac670561bb5p-2},
    {0x1.1e00babdefeb3p-1, 0x1.1e00babdefeb4p-1},
    {0x1.4978fa3269ee1p-1, 0x1.4978fa3269ee2p-1},
    {0x1.700a7c5784633p-1, 0x1.700a7c5784634p-1},
    {0x1.921fb54442d18p-1, 0x1.921fb54442d19p-1}
};

ivl
_neft_ivl_atan_table(int j)
{
    return ivl_set(atan_tab[j][0], atan_tab[j][1]);
}

double
_neft_ivl_atan_rn(int j)
{
    return atan_rn[j];
}

/* atan(x) in plain double for finite x, with
     |atan_d(x) - atan(x)| <= 2^-49 |atan_d(x)| + 2^-1050.
   Proof (u = 2^-53; every +, -, *, / is exact times (1 + delta), |delta| <= u,
   away from underflow; constants C_k and atan_rn[j] are the doubles nearest to
   -+1/(2k+1) (folded at translation time, C11 F.8.2) and atan(j/8)):
   1. y = |x|, or y = fl(1/|x|) = (1/|x|)(1 + d0) when |x| > 1; y in [0, 1].
   2. j = round(8y), c = j/8: |y - c| <= 1/16 + 2^-53 (a rounding of 8y + 1/2
      can only move a tie), t^ = fl(fl(y - c)/fl(1 + fl(c y))) = t (1 + e_t)
      with t = (y - c)/(1 + c y): (1+u)^2 (1 + u c y/(1 + c y))/(1 - u) gives
      |e_t| <= 3.6 u; |t| <= 0.0626; atan(y) = atan(c) + atan(t) (1 + c y > 0).
   3. p = fl(t^ + fl(fl(t^ s) q)), s = fl(t^2), q the Horner value of
      Q(s) = -1/3 + s/5 - ... - s^6/15: |s| <= 0.004, so the inner rounding
      errors are scaled by s and |q - Q(t^2)| <= 0.67 u (0.5 u/3 from C_3, u |q|
      from the last addition, < 0.01 u from the rest); the product then errs by
      at most 5.1 u relative, i.e. 5.1 u * 0.0014 |t^| absolute.  The series
      atan t = t + t^3 Q(t^2) + R has |R| <= |t|^17/17 < 2^-68 |t| (alternating,
      decreasing terms).  With the last rounding, |p - atan t^| <= 1.01 u |t^|,
      and |atan t^ - atan t| <= |t^ - t| <= 3.6 u |t|: |p - atan t| <= 4.62 u |t|.
   4. v = fl(atan_rn[j] + p): |v - atan y| <= u atan(c) + 4.62 u |t| + u |v|.
      For j = 0 (c = 0, t = y exactly) that is <= 1.02 u atan(y) + u |v|; for
      j = 1 atan(y) >= atan(0.0624) = 0.0623, atan(c) = 0.1244, so <= 6.64 u
      atan(y) + u |v|; larger j give less.  Hence |v - atan y| <= 8 u |v|.
   5. |x| > 1: |atan y - atan(1/|x|)| <= |y - 1/|x|| <= u y <= 1.28 u atan(y);
      w = fl(PIO2 - v) with |PIO2 - pi/2| <= u and |v| <= pi/4 < |w| + u:
      |w - atan|x|| <= u + 9.3 u |v| + u |w| <= 11.7 u |w|.
   6. The sign is exact.  Underflow in steps 2-4 (|y| < 2^-900) adds at most a
      few absolute errors of 2^-1075, covered by 2^-1050.
   Total: <= 12 u |v| + 2^-1050 <= 2^-49 |v| + 2^-1050. */
static double
atan_d(double x)
{
    static const double C3 = -1.0 / 3, C5 = 1.0 / 5, C7 = -1.0 / 7, C9 = 1.0 / 9,
        C11 = -1.0 / 11, C13 = 1.0 / 13, C15 = -1.0 / 15;
    double ax = fabs(x), y, c, t, s, q, v;
    int inv = ax > 1, j;
    y = inv ? 1 / ax : ax;
    j = (int) (8 * y + 0.5);
    if (j > 8)
        j = 8;
    c = j * 0.125;
    t = (y - c) / (1 + c * y);
    s = t * t;
    q = C15;
    q = C13 + s * q;
    q = C11 + s * q;
    q = C9 + s * q;
    q = C7 + s * q;
    q = C5 + s * q;
    q = C3 + s * q;
    v = atan_rn[j] + (t + (t * s) * q);
    if (inv)
        v = 0x1.921fb54442d18p+0 - v;
    return x < 0 ? -v : v;
}

/* An enclosure of atan at the double x (the bound of atan_d). */
static ivl
atan_pt(double x)
{
    double v = atan_d(x), e;
    e = _up_add(_up_mul(fabs(v), 0x1p-49), 0x1p-1050);
    return ivl_set(_ivl_dn(v - e), _ivl_up(v + e));
}

ivl
_neft_ivl_atan(ivl a)
{
    ivl r, s;
    double m, d, e, t, v;
    if (!(a.lo == a.lo && a.hi == a.hi))
        return ivl_set(-INFINITY, INFINITY);
    if (a.lo == -INFINITY || a.hi == INFINITY)
        return ivl_set(-0x1.921fb54442d19p+0, 0x1.921fb54442d19p+0);
    if (a.hi == a.lo)
        return atan_pt(a.lo);
    m = ivl_mid(a);
    d = FLINT_MAX(_ivl_up(a.hi - m), _ivl_up(m - a.lo));
    if (d <= 0x1p-30 * (1 + fabs(m)))
    {
        /* narrow: atan(m) +- d max |atan'|, atan'(x) = 1/(1 + x^2) <= 1/(1 + t^2)
           for |x| >= t = |m| - d */
        v = atan_d(m);
        t = _ivl_dn(fabs(m) - d);
        t = t > 0 ? _ivl_dn(t * t) : 0;
        e = _ivl_up(d / _ivl_dn(1 + t));
        e = _up_add(e, _up_add(_up_mul(fabs(v), 0x1p-49), 0x1p-1050));
        return ivl_set(_ivl_dn(v - e), _ivl_up(v + e));
    }
    /* atan is increasing */
    r = atan_pt(a.lo);
    s = atan_pt(a.hi);
    return ivl_set(r.lo, s.hi);
}
