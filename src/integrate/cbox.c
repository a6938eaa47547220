/* Complex-box versions of sqrt, atan and division for the bounds on
   Bernstein ellipses (patches.c): tighter than Arb's first-order radii when
   the boxes are wide against their centres (docs/integrate.md, "Patches"). */

#include "cbox.h"
#include "neft/kernel.h"

/* The range of x^2 over the real ball x, as a ball (mid-rad squaring
   overestimates it badly when the ball is wide against its centre). */
void
_neft_arb_sqr_range(arb_t res, const arb_t x, slong prec)
{
    arf_t lo, hi;
    arf_init(lo);
    arf_init(hi);
    arb_get_abs_ubound_arf(hi, x, prec);
    if (arb_contains_zero(x))
        arf_zero(lo);
    else
        arb_get_abs_lbound_arf(lo, x, prec);
    arf_mul(lo, lo, lo, prec, ARF_RND_DOWN);
    arf_mul(hi, hi, hi, prec, ARF_RND_UP);
    arb_set_interval_arf(res, lo, hi, prec);
    arf_clear(lo);
    arf_clear(hi);
}

/* res = sqrt(z) (principal branch) on a complex box whose real part is
   certainly positive, from the monotonicity of Re sqrt(a + ib) =
   sqrt((|z| + a)/2) in a and |b| and Im sqrt(z) = b / (2 Re sqrt(z)): far
   tighter than acb_sqrt's first-order radius when the box is wide.  Other
   boxes: acb_sqrt_analytic. */
void
_neft_acb_sqrt_box(acb_t res, const acb_t z, int an, slong prec)
{
    arb_t a, b, t, u, lo, hi;
    arf_t al, ah, bl, bh;
    if (!arb_is_positive(acb_realref(z)) || !acb_is_finite(z))
    {
        acb_sqrt_analytic(res, z, an, prec);
        return;
    }
    arb_init(a); arb_init(b); arb_init(t); arb_init(u); arb_init(lo); arb_init(hi);
    arf_init(al); arf_init(ah); arf_init(bl); arf_init(bh);
    arb_get_lbound_arf(al, acb_realref(z), prec);
    arb_get_ubound_arf(ah, acb_realref(z), prec);
    arb_get_abs_ubound_arf(bh, acb_imagref(z), prec);
    if (arb_contains_zero(acb_imagref(z)))
        arf_zero(bl);
    else
        arb_get_abs_lbound_arf(bl, acb_imagref(z), prec);
    /* lower: sqrt((hypot(al, bl) + al)/2) */
    arb_set_arf(a, al);
    arb_set_arf(b, bl);
    arb_hypot(t, a, b, prec);
    arb_add(t, t, a, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_sqrt(lo, t, prec);
    /* upper: sqrt((hypot(ah, bh) + ah)/2) */
    arb_set_arf(a, ah);
    arb_set_arf(b, bh);
    arb_hypot(t, a, b, prec);
    arb_add(t, t, a, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_sqrt(hi, t, prec);
    arb_get_lbound_arf(al, lo, prec);
    arb_get_ubound_arf(ah, hi, prec);
    if (arf_sgn(al) <= 0 || !arf_is_finite(ah))
        acb_sqrt_analytic(res, z, an, prec);
    else
    {
        arb_set_interval_arf(t, al, ah, prec);         /* Re sqrt(z) */
        arb_mul_2exp_si(u, t, 1);
        arb_div(u, acb_imagref(z), u, prec);          /* Im z / (2 Re sqrt(z)) */
        arb_swap(acb_realref(res), t);
        arb_swap(acb_imagref(res), u);
    }
    arb_clear(a); arb_clear(b); arb_clear(t); arb_clear(u); arb_clear(lo); arb_clear(hi);
    arf_clear(al); arf_clear(ah); arf_clear(bl); arf_clear(bh);
}

/* res = atan(w) on a complex box, checked holomorphic when an is set (as
   _neft_acb_atan_analytic: |Im w| < 1 or Re w != 0 on the box), by the mean
   value form: atan(w0) at the exact centre plus |w - w0| sup |1/(1 + w^2)|,
   the sup from a lower bound of |1 + w^2|^2 = (1 + a^2 - b^2)^2 + (2ab)^2 on
   the box (a, b the ranges of Re w, Im w).  acb_atan's radius on wide boxes
   is much larger.  Falls back to _neft_acb_atan_analytic (also when an is
   not set and the box may meet a branch cut). */
void
_neft_acb_atan_box(acb_t res, const acb_t w, int an, slong prec)
{
    arb_t a2, b2, t, u;
    acb_t w0;
    mag_t lo, r, m;
    int ok = acb_is_finite(w);
    if (ok)
    {
        arb_init(t);
        arb_abs(t, acb_imagref(w));
        arb_sub_ui(t, t, 1, prec);
        ok = arb_is_negative(t) || arb_is_nonzero(acb_realref(w));
        arb_clear(t);
    }
    if (!ok)
    {
        _neft_acb_atan_analytic(res, w, an, prec);
        return;
    }
    arb_init(a2); arb_init(b2); arb_init(t); arb_init(u);
    acb_init(w0);
    mag_init(lo); mag_init(r); mag_init(m);
    _neft_arb_sqr_range(a2, acb_realref(w), prec);
    _neft_arb_sqr_range(b2, acb_imagref(w), prec);
    arb_sub(t, a2, b2, prec);
    arb_add_ui(t, t, 1, prec);
    _neft_arb_sqr_range(t, t, prec);                      /* (1 + a^2 - b^2)^2 */
    arb_mul(u, acb_realref(w), acb_imagref(w), prec);
    arb_mul_2exp_si(u, u, 1);
    _neft_arb_sqr_range(u, u, prec);                      /* (2ab)^2 */
    arb_add(t, t, u, prec);
    arb_get_mag_lower(lo, t);
    if (mag_is_zero(lo))
    {
        _neft_acb_atan_analytic(res, w, an, prec);
    }
    else
    {
        mag_rsqrt(m, lo);                            /* >= 1/|1 + w^2| */
        mag_hypot(r, arb_radref(acb_realref(w)), arb_radref(acb_imagref(w)));
        mag_mul(m, m, r);
        arf_set(arb_midref(acb_realref(w0)), arb_midref(acb_realref(w)));
        arf_set(arb_midref(acb_imagref(w0)), arb_midref(acb_imagref(w)));
        acb_atan(res, w0, prec);
        acb_add_error_mag(res, m);
    }
    arb_clear(a2); arb_clear(b2); arb_clear(t); arb_clear(u);
    acb_clear(w0);
    mag_clear(lo); mag_clear(r); mag_clear(m);
}

/* res = x / y on complex boxes by the real formula ((ac + bd) + i(bc - ad)) /
   (c^2 + d^2) in interval arithmetic (acb_div's first-order radius is far
   wider on wide boxes); non-finite when c^2 + d^2 may vanish. */
void
_neft_acb_div_box(acb_t res, const acb_t x, const acb_t y, slong prec)
{
    arb_t n, t, re, im;
    arb_init(n); arb_init(t); arb_init(re); arb_init(im);
    _neft_arb_sqr_range(n, acb_realref(y), prec);
    _neft_arb_sqr_range(t, acb_imagref(y), prec);
    arb_add(n, n, t, prec);
    if (!arb_is_positive(n))
        acb_indeterminate(res);
    else
    {
        arb_mul(re, acb_realref(x), acb_realref(y), prec);
        arb_addmul(re, acb_imagref(x), acb_imagref(y), prec);
        arb_mul(im, acb_imagref(x), acb_realref(y), prec);
        arb_submul(im, acb_realref(x), acb_imagref(y), prec);
        arb_div(acb_realref(res), re, n, prec);
        arb_div(acb_imagref(res), im, n, prec);
    }
    arb_clear(n); arb_clear(t); arb_clear(re); arb_clear(im);
}

/* res += z^2 for a complex box z: Re = (Re z)^2 - (Im z)^2 with the ranges of
   the squares, Im = 2 Re z Im z */
void
_neft_acb_addsqr_range(acb_t res, const acb_t z, slong prec)
{
    arb_t t;
    arb_init(t);
    _neft_arb_sqr_range(t, acb_realref(z), prec);
    arb_add(acb_realref(res), acb_realref(res), t, prec);
    _neft_arb_sqr_range(t, acb_imagref(z), prec);
    arb_sub(acb_realref(res), acb_realref(res), t, prec);
    arb_mul(t, acb_realref(z), acb_imagref(z), prec);
    arb_mul_2exp_si(t, t, 1);
    arb_add(acb_imagref(res), acb_imagref(res), t, prec);
    arb_clear(t);
}
