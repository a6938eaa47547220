/* Private to src/integrate: complex boxes in double-precision interval
   arithmetic (cbox_ivl.c), the functions of cbox.h for the bounds on
   Bernstein ellipses (patches.c) at a fraction of Arb's cost.  A civl
   {re, im} stands for every complex number whose real part lies in re and
   imaginary part in im; every operation returns a box containing the exact
   result for every choice of the operands in their boxes (ivl.h's
   guarantees).  The branch functions (sqrt, atan, division) report where
   they cannot certify holomorphy with a non-finite box. */
#ifndef NEFT_INTEGRATE_CBOX_IVL_H
#define NEFT_INTEGRATE_CBOX_IVL_H

#include "ivl.h"

typedef struct
{
    ivl re, im;
}
civl;

IVL_INLINE civl
civl_set(ivl re, ivl im)
{
    civl z = {re, im};
    return z;
}

IVL_INLINE civl
civl_real(ivl re)
{
    return civl_set(re, ivl_pt(0));
}

IVL_INLINE int
civl_is_finite(civl z)
{
    return ivl_is_finite(z.re) && ivl_is_finite(z.im);
}

IVL_INLINE civl
civl_add(civl a, civl b)
{
    return civl_set(ivl_add(a.re, b.re), ivl_add(a.im, b.im));
}

IVL_INLINE civl
civl_sub(civl a, civl b)
{
    return civl_set(ivl_sub(a.re, b.re), ivl_sub(a.im, b.im));
}

IVL_INLINE civl
civl_mul(civl a, civl b)
{
    return civl_set(ivl_sub(ivl_mul(a.re, b.re), ivl_mul(a.im, b.im)),
                    ivl_add(ivl_mul(a.re, b.im), ivl_mul(a.im, b.re)));
}

IVL_INLINE civl
civl_mul_ivl(civl a, ivl b)
{
    return civl_set(ivl_mul(a.re, b), ivl_mul(a.im, b));
}

IVL_INLINE civl
civl_add_ivl(civl a, ivl b)
{
    return civl_set(ivl_add(a.re, b), a.im);
}

/* res + z^2, the squares of Re z and Im z as ranges (_neft_acb_addsqr_range) */
IVL_INLINE civl
civl_addsqr(civl res, civl z)
{
    return civl_set(ivl_add(res.re, ivl_sub(ivl_sqr(z.re), ivl_sqr(z.im))),
                    ivl_add(res.im, ivl_mul_2exp(ivl_mul(z.re, z.im), 1)));
}

/* x^e (e >= 0) by e products from 1 (ivl_pow_ui's complex twin) */
IVL_INLINE civl
civl_pow_ui(civl x, slong e)
{
    civl r = civl_real(ivl_pt(1));
    for (; e > 0; e--)
        r = civl_mul(r, x);
    return r;
}

/* An upper bound of |z| over the box (+inf when not finite). */
double _neft_civl_mag(civl z);

/* sqrt (principal branch) on the box (on a real box with positive lower
   end the real interval sqrt), from the monotonicity of
   |Re sqrt(a + ib)| = sqrt((|z| + a)/2) and |Im sqrt| = sqrt((|z| - a)/2) in
   a and |b|; non-finite when the box meets the branch cut (-inf, 0]. */
civl _neft_civl_sqrt_box(civl z);

/* x / y (both real, y of one sign: the real interval quotient) by the real formula ((ac + bd) + i(bc - ad)) / (c^2 + d^2);
   non-finite when c^2 + d^2 may vanish. */
civl _neft_civl_div_box(civl x, civl y);

/* atan on the box (principal branch; on a real box the real interval atan), non-finite unless it is holomorphic
   there (|Im w| < 1 or Re w != 0): atan(a0) at the real point a0 = the
   centre of Re w plus |w - a0| sup |1/(1 + z^2)| over the box extended to
   the real axis (it holds the segments from a0); non-finite also when that
   sup cannot be bounded. */
civl _neft_civl_atan_box(civl w);

/* The relu kernel from sG = sqrt(G), kxy = k(x,y), rr = sqrt(k(x,x) k(y,y)):
   bias + scale (sG + phi kxy), phi = pi - 2 atan(sG/(rr + kxy)) (or
   2 atan(sG/(rr - kxy)) where the centre of Re kxy is negative: the same
   function, holomorphic where the quotient and atan are certified);
   scale = sigma_w^2/(2 pi).  Non-finite where not certified. */
civl _neft_civl_relu_from(civl sG, civl kxy, civl rr, ivl scale, ivl bias);

/* The same on real intervals (phi from the first form where kxy's centre is
   >= 0): an enclosure, non-finite where a quotient's denominator may vanish. */
ivl _neft_ivl_relu_from(ivl sG, ivl kxy, ivl rr, ivl scale, ivl bias);

#endif
