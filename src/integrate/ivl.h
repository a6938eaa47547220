/* Private to src/integrate: interval arithmetic in IEEE double precision.

   An ivl [lo, hi] stands for every real number between lo and hi.  Every
   operation returns an interval that contains the exact result for every
   choice of the operands in their intervals, so any value computed from
   intervals is a rigorous enclosure, as an Arb ball would be (only with 53
   bits).  Why that holds:

   - In round-to-nearest, an IEEE binary64 operation +, -, *, / or sqrt
     returns the exact result rounded to a neighbouring double, so the exact
     result lies between the predecessor and the successor of the computed
     one (also in the subnormal range; an overflow to +-inf means the exact
     value lies beyond +-DBL_MAX).  _ivl_up(c) is the successor and _ivl_dn(c)
     the predecessor (computed on the bit pattern, which orders doubles of one
     sign), so lo = _ivl_dn(fl(..)) and hi = _ivl_up(fl(..)) bracket the exact
     bound.  Every rounded operation below is followed by one of them before
     anything else is computed from it, so nothing can be contracted into a
     fused multiply-add.
   - Intervals never hold a NaN: where one could arise (inf - inf, 0 * inf, a
     quotient by an interval containing 0, sqrt of a negative number) the
     bound becomes -inf or +inf, which callers treat as failure.
   - Constants (pi, 1/pi, atan(j/8)) are pairs of doubles that enclose them,
     computed with Arb and checked by tests/t-integrate.c.
   - atan is evaluated in plain double by its own short algorithm (range
     reduction to |t| <= 1/16 and a Taylor polynomial) whose error, proven in
     ivl.c, is at most 2^-49 relative.  No libm function other than sqrt
     (correctly rounded by IEEE 754) is used.

   The code needs binary64 doubles without excess precision (FLT_EVAL_METHOD
   0) and round-to-nearest: NEFT_IVL is 0 where the compiler does not promise
   the first, and _neft_ivl_usable() checks the rounding mode at run time;
   callers fall back to Arb otherwise. */
#ifndef NEFT_INTEGRATE_IVL_H
#define NEFT_INTEGRATE_IVL_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "neft/arbcompat.h"

#if defined(__STDC_IEC_559__) && defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0 \
    && !defined(__FAST_MATH__) && DBL_MANT_DIG == 53 && FLT_RADIX == 2
#define NEFT_IVL 1
#else
#define NEFT_IVL 0
#endif

typedef struct
{
    double lo, hi;
}
ivl;

/* The operations are small and called in inner loops: always inline them. */
#if defined(__GNUC__)
#define IVL_INLINE static inline __attribute__((always_inline))
#else
#define IVL_INLINE static inline
#endif

/* The successor of c (the least double > c); +inf and NaN unchanged, -inf
   to -DBL_MAX. */
IVL_INLINE double
_ivl_up(double c)
{
    uint64_t u;
    if (!(c < INFINITY))
        return c;
    if (c == 0)
        return 0x1p-1074;
    memcpy(&u, &c, sizeof u);
    if (c > 0)
        u++;
    else
        u--;
    memcpy(&c, &u, sizeof u);
    return c;
}

/* The predecessor of c. */
IVL_INLINE double
_ivl_dn(double c)
{
    return -_ivl_up(-c);
}

IVL_INLINE ivl
ivl_pt(double x)
{
    ivl r;
    r.lo = r.hi = x;
    return r;
}

IVL_INLINE ivl
ivl_set(double lo, double hi)
{
    ivl r;
    r.lo = lo;
    r.hi = hi;
    return r;
}

/* NaN bounds become infinite ones. */
IVL_INLINE ivl
_ivl_fix(ivl r)
{
    if (r.lo != r.lo)
        r.lo = -INFINITY;
    if (r.hi != r.hi)
        r.hi = INFINITY;
    return r;
}

IVL_INLINE int
ivl_is_finite(ivl a)
{
    return a.lo > -INFINITY && a.hi < INFINITY;
}

IVL_INLINE double
ivl_mid(ivl a)
{
    return 0.5 * a.lo + 0.5 * a.hi;
}

/* An upper bound for max |a|. */
IVL_INLINE double
ivl_mag(ivl a)
{
    double l = fabs(a.lo), h = fabs(a.hi);
    return l > h ? l : h;
}

IVL_INLINE ivl
ivl_neg(ivl a)
{
    return ivl_set(-a.hi, -a.lo);
}

IVL_INLINE ivl
ivl_add(ivl a, ivl b)
{
    return _ivl_fix(ivl_set(_ivl_dn(a.lo + b.lo), _ivl_up(a.hi + b.hi)));
}

IVL_INLINE ivl
ivl_sub(ivl a, ivl b)
{
    return _ivl_fix(ivl_set(_ivl_dn(a.lo - b.hi), _ivl_up(a.hi - b.lo)));
}

IVL_INLINE ivl
ivl_mul(ivl a, ivl b)
{
    double p1, p2, p3, p4, mn, mx;
    /* the usual sign cases: two products (0 * inf gives NaN, fixed to inf) */
    if (a.lo >= 0)
    {
        if (b.lo >= 0)
            return _ivl_fix(ivl_set(_ivl_dn(a.lo * b.lo), _ivl_up(a.hi * b.hi)));
        if (b.hi <= 0)
            return _ivl_fix(ivl_set(_ivl_dn(a.hi * b.lo), _ivl_up(a.lo * b.hi)));
    }
    else if (a.hi <= 0)
    {
        if (b.lo >= 0)
            return _ivl_fix(ivl_set(_ivl_dn(a.lo * b.hi), _ivl_up(a.hi * b.lo)));
        if (b.hi <= 0)
            return _ivl_fix(ivl_set(_ivl_dn(a.hi * b.hi), _ivl_up(a.lo * b.lo)));
    }
    p1 = a.lo * b.lo;
    p2 = a.lo * b.hi;
    p3 = a.hi * b.lo;
    p4 = a.hi * b.hi;
    if (p1 != p1 || p2 != p2 || p3 != p3 || p4 != p4)
        return ivl_set(-INFINITY, INFINITY);
    mn = p1 < p2 ? p1 : p2;
    mn = mn < p3 ? mn : p3;
    mn = mn < p4 ? mn : p4;
    mx = p1 > p2 ? p1 : p2;
    mx = mx > p3 ? mx : p3;
    mx = mx > p4 ? mx : p4;
    return ivl_set(_ivl_dn(mn), _ivl_up(mx));
}

/* x^e (e >= 0) by e products from 1 */
IVL_INLINE ivl
ivl_pow_ui(ivl x, long e)
{
    ivl r = ivl_pt(1);
    for (; e > 0; e--)
        r = ivl_mul(r, x);
    return r;
}

IVL_INLINE ivl
ivl_sqr(ivl a)
{
    double l = fabs(a.lo), h = fabs(a.hi), t;
    if (l > h)
    {
        t = l;
        l = h;
        h = t;
    }
    if (a.lo <= 0 && a.hi >= 0)
        return _ivl_fix(ivl_set(0, _ivl_up(h * h)));
    return _ivl_fix(ivl_set(_ivl_dn(l * l), _ivl_up(h * h)));
}

/* a / b; [-inf, inf] when b may contain 0. */
IVL_INLINE ivl
ivl_div(ivl a, ivl b)
{
    if (b.lo > 0)
    {
        if (a.lo >= 0)
            return _ivl_fix(ivl_set(_ivl_dn(a.lo / b.hi), _ivl_up(a.hi / b.lo)));
        if (a.hi <= 0)
            return _ivl_fix(ivl_set(_ivl_dn(a.lo / b.lo), _ivl_up(a.hi / b.hi)));
        return _ivl_fix(ivl_set(_ivl_dn(a.lo / b.lo), _ivl_up(a.hi / b.lo)));
    }
    if (b.hi < 0)
    {
        if (a.lo >= 0)
            return _ivl_fix(ivl_set(_ivl_dn(a.hi / b.hi), _ivl_up(a.lo / b.lo)));
        if (a.hi <= 0)
            return _ivl_fix(ivl_set(_ivl_dn(a.hi / b.lo), _ivl_up(a.lo / b.hi)));
        return _ivl_fix(ivl_set(_ivl_dn(a.hi / b.hi), _ivl_up(a.lo / b.hi)));
    }
    return ivl_set(-INFINITY, INFINITY);
}

/* sqrt(a); [-inf, inf] unless a >= 0 is certain. */
IVL_INLINE ivl
ivl_sqrt(ivl a)
{
    if (!(a.lo >= 0))
        return ivl_set(-INFINITY, INFINITY);
    return _ivl_fix(ivl_set(a.lo == 0 ? 0 : _ivl_dn(sqrt(a.lo)), _ivl_up(sqrt(a.hi))));
}

/* a * 2^e, |e| <= 62 (a product by a power of two: exact unless the result
   is subnormal or overflows, rounded outward in any case). */
IVL_INLINE ivl
ivl_mul_2exp(ivl a, int e)
{
    double t = e >= 0 ? (double) (UINT64_C(1) << e) : 1.0 / (double) (UINT64_C(1) << -e);
    return _ivl_fix(ivl_set(_ivl_dn(a.lo * t), _ivl_up(a.hi * t)));
}

/* Upper bounds for nonnegative operands. */
IVL_INLINE double
_up_add(double a, double b)
{
    return _ivl_up(a + b);
}

IVL_INLINE double
_up_mul(double a, double b)
{
    return _ivl_up(a * b);
}

/* sqrt(x^2 + y^2) rounded up, for x, y >= 0 */
IVL_INLINE double
_up_hypot(double x, double y)
{
    return _ivl_up(sqrt(_up_add(_up_mul(x, x), _up_mul(y, y))));
}

/* Enclosures of pi, pi/2 and 1/pi. */
IVL_INLINE ivl
ivl_pi(void)
{
    return ivl_set(0x1.921fb54442d18p+1, 0x1.921fb54442d19p+1);
}

IVL_INLINE ivl
ivl_pi_2(void)
{
    return ivl_set(0x1.921fb54442d18p+0, 0x1.921fb54442d19p+0);
}

IVL_INLINE ivl
ivl_inv_pi(void)
{
    return ivl_set(0x1.45f306dc9c882p-2, 0x1.45f306dc9c883p-2);
}

/* An enclosure of the arb x; [-inf, inf] if x is not finite. */
ivl _neft_ivl_set_arb(const arb_t x);

/* The ball [lo, hi] as an arb. */
void _neft_ivl_get_arb(arb_t res, ivl a);

/* 1 if round-to-nearest is in effect (and NEFT_IVL): intervals usable. */
int _neft_ivl_usable(void);

/* atan(a) for any real interval. */
ivl _neft_ivl_atan(ivl a);

/* The atan(j/8) tables, j = 0..8, for the test: enclosures, and the
   doubles nearest to atan(j/8) that the evaluation uses. */
ivl _neft_ivl_atan_table(int j);
double _neft_ivl_atan_rn(int j);

#endif
