/* The Erf kernel in d_in = 2 at a far point z = e/w (twovtx2_erffar.h):
   Taylor series in w on real points (Arb's power-series sqrt, division,
   atan: balls containing the exact coefficients) and values on complex
   boxes with the holomorphy checks of cbox.c. */

#include "twovtx2_erffar.h"
#include "cbox.h"

/* a = sigma_w^2 / 2, c = 2 sigma_w^2 / pi */
static void
kconsts(arb_t a, arb_t c, const neft_kernel_struct * k, slong prec)
{
    arb_mul_2exp_si(a, k->sw2, -1);
    arb_const_pi(c, prec);
    arb_div(c, k->sw2, c, prec);
    arb_mul_2exp_si(c, c, 1);
}

void
_neft_erffar_leg_coeffs(arb_ptr c, const neft_kernel_struct * k, arb_srcptr x,
                        arb_srcptr e, slong prec)
{
    arb_t a, ab, t, xx, ee, xe, xw;
    arb_init(a); arb_init(ab); arb_init(t);
    arb_init(xx); arb_init(ee); arb_init(xe); arb_init(xw);
    arb_mul_2exp_si(a, k->sw2, -1);
    arb_mul(ab, a, k->sb2, prec);
    arb_sqr(xx, x, prec);
    arb_addmul(xx, x + 1, x + 1, prec);
    arb_sqr(ee, e, prec);
    arb_addmul(ee, e + 1, e + 1, prec);
    arb_mul(xe, x, e, prec);
    arb_addmul(xe, x + 1, e + 1, prec);
    arb_mul(xw, x, e + 1, prec);
    arb_submul(xw, x + 1, e, prec);
    /* t = 2a + 4ab */
    arb_mul_2exp_si(t, ab, 1);
    arb_add(t, t, a, prec);
    arb_mul_2exp_si(t, t, 1);
    /* c0 = (2a + 4ab)|e|^2 + 4a^2 (x ^ e)^2 */
    arb_mul(c + 0, t, ee, prec);
    arb_mul(xw, xw, a, prec);
    arb_sqr(xw, xw, prec);
    arb_mul_2exp_si(xw, xw, 2);
    arb_add(c + 0, c + 0, xw, prec);
    /* c1 = -8ab x.e */
    arb_mul(c + 1, ab, xe, prec);
    arb_mul_2exp_si(c + 1, c + 1, 3);
    arb_neg(c + 1, c + 1);
    /* c2 = 1 + 4b + (2a + 4ab)|x|^2 */
    arb_mul(c + 2, t, xx, prec);
    arb_mul_2exp_si(t, k->sb2, 2);
    arb_add_ui(t, t, 1, prec);
    arb_add(c + 2, c + 2, t, prec);
    /* numerator 2a x.e + 2b w */
    arb_mul(c + 3, a, xe, prec);
    arb_mul_2exp_si(c + 3, c + 3, 1);
    arb_mul_2exp_si(c + 4, k->sb2, 1);
    arb_clear(a); arb_clear(ab); arb_clear(t);
    arb_clear(xx); arb_clear(ee); arb_clear(xe); arb_clear(xw);
}

void
_neft_erffar_leg_consts(arb_t cc, arb_t B, const neft_kernel_struct * k, slong prec)
{
    arb_t a;
    arb_init(a);
    kconsts(a, cc, k, prec);
    if (k->subtract_bias)
        arb_zero(B);
    else
        arb_set(B, k->sb2);
    arb_clear(a);
}

void
_neft_erffar_leg_value(arb_t res, arb_srcptr c, const arb_t w, const arb_t cc, const arb_t B,
                       arb_t t, slong prec)
{
    /* N = (c2 w + c1) w + c0 */
    arb_mul(res, c + 2, w, prec);
    arb_add(res, res, c + 1, prec);
    arb_mul(res, res, w, prec);
    arb_add(res, res, c + 0, prec);
    arb_rsqrt(res, res, prec);
    arb_mul(t, c + 4, w, prec);
    arb_add(t, t, c + 3, prec);
    arb_mul(t, t, res, prec);
    arb_atan(t, t, prec);
    arb_mul(res, t, cc, prec);
    arb_add(res, res, B, prec);
}

void
_neft_erffar_atan_series(arb_ptr res, arb_srcptr num, arb_srcptr N, slong len, const arb_t cc,
                         const arb_t B, slong prec)
{
    arb_ptr s = _arb_vec_init(len), q = _arb_vec_init(len);
    _arb_poly_sqrt_series(s, N, len, len, prec);
    _arb_poly_div_series(q, num, len, s, len, len, prec);
    _arb_poly_atan_series(res, q, len, len, prec);
    _arb_vec_scalar_mul(res, res, len, cc, prec);
    arb_add(res, res, B, prec);
    _arb_vec_clear(s, len);
    _arb_vec_clear(q, len);
}

void
_neft_erffar_leg_series(arb_ptr res, const neft_kernel_struct * k, arb_srcptr c,
                        arb_srcptr w, slong len, slong prec)
{
    arb_t cc, B;
    arb_init(cc);
    arb_init(B);
    _neft_erffar_leg_consts(cc, B, k, prec);
    if (len == 1)
    {
        arb_t t;
        arb_init(t);
        _neft_erffar_leg_value(res, c, w, cc, B, t, prec);
        arb_clear(t);
    }
    else
    {
        arb_ptr W2 = _arb_vec_init(len), N = _arb_vec_init(len);
        arb_ptr num = _arb_vec_init(len);
        slong i;
        _arb_poly_mullow(W2, w, len, w, len, len, prec);
        for (i = 0; i < len; i++)
        {
            arb_mul(N + i, c + 2, W2 + i, prec);
            arb_addmul(N + i, c + 1, w + i, prec);
            arb_mul(num + i, c + 4, w + i, prec);
        }
        arb_add(N, N, c + 0, prec);
        arb_add(num, num, c + 3, prec);
        _neft_erffar_atan_series(res, num, N, len, cc, B, prec);
        _arb_vec_clear(W2, len);
        _arb_vec_clear(N, len);
        _arb_vec_clear(num, len);
    }
    arb_clear(cc);
    arb_clear(B);
}

void
_neft_erffar_self_series(arb_ptr res, const neft_kernel_struct * k, arb_srcptr e,
                         arb_srcptr w, slong len, slong prec)
{
    arb_ptr W2 = _arb_vec_init(len), S = _arb_vec_init(len), num = _arb_vec_init(len);
    arb_ptr den = _arb_vec_init(len);
    arb_t a, cc, ee, t;
    slong i;
    arb_init(a); arb_init(cc); arb_init(ee); arb_init(t);
    kconsts(a, cc, k, prec);
    arb_sqr(ee, e, prec);
    arb_addmul(ee, e + 1, e + 1, prec);
    arb_mul(ee, ee, a, prec);                       /* a |e|^2 */
    _arb_poly_mullow(W2, w, len, w, len, len, prec);
    /* S = sqrt((1 + 4b) w^2 + 4 a|e|^2), den = 2(b w^2 + a|e|^2) */
    arb_mul_2exp_si(t, k->sb2, 2);
    arb_add_ui(t, t, 1, prec);
    for (i = 0; i < len; i++)
    {
        arb_mul(S + i, t, W2 + i, prec);
        arb_mul(den + i, k->sb2, W2 + i, prec);
        arb_mul_2exp_si(den + i, den + i, 1);
    }
    arb_mul_2exp_si(t, ee, 2);
    arb_add(S, S, t, prec);
    arb_mul_2exp_si(t, ee, 1);
    arb_add(den, den, t, prec);
    _arb_poly_sqrt_series(num, S, len, len, prec);
    _arb_poly_mullow(S, w, len, num, len, len, prec);
    _arb_poly_div_series(num, S, len, den, len, len, prec);
    _arb_poly_atan_series(res, num, len, len, prec);
    _arb_vec_scalar_mul(res, res, len, cc, prec);
    _arb_vec_neg(res, res, len);
    /* + B + c pi/2 = B + sigma_w^2 */
    arb_add(res, res, k->sw2, prec);
    if (!k->subtract_bias)
        arb_add(res, res, k->sb2, prec);
    _arb_vec_clear(W2, len);
    _arb_vec_clear(S, len);
    _arb_vec_clear(num, len);
    _arb_vec_clear(den, len);
    arb_clear(a); arb_clear(cc); arb_clear(ee); arb_clear(t);
}

/* a . b for complex boxes (2 coordinates) */
static void
dot2(acb_t r, acb_srcptr u, acb_srcptr v, slong prec)
{
    acb_mul(r, u, v, prec);
    acb_addmul(r, u + 1, v + 1, prec);
}

void
_neft_erffar_leg_acb(acb_t res, const neft_kernel_struct * k, acb_srcptr x,
                     acb_srcptr e, const acb_t w, int an, slong prec)
{
    acb_t N, t, u, xe;
    arb_t a, ab, cc, s;
    acb_init(N); acb_init(t); acb_init(u); acb_init(xe);
    arb_init(a); arb_init(ab); arb_init(cc); arb_init(s);
    kconsts(a, cc, k, prec);
    arb_mul(ab, a, k->sb2, prec);
    dot2(xe, x, e, prec);
    /* N = (1 + 4b) w^2 + 2a(|w x|^2 + |e|^2) + 4ab |w x - e|^2 + 4a^2 (x ^ e)^2:
       a sum of squares (each square as a range, cbox.c), positive on real
       boxes however wide */
    acb_zero(N);
    _neft_acb_addsqr_range(N, w, prec);
    arb_mul_2exp_si(s, k->sb2, 2);
    arb_add_ui(s, s, 1, prec);
    acb_mul_arb(N, N, s, prec);                     /* (1 + 4b) w^2 */
    acb_zero(u);
    acb_mul(t, w, x, prec);
    _neft_acb_addsqr_range(u, t, prec);
    acb_mul(t, w, x + 1, prec);
    _neft_acb_addsqr_range(u, t, prec);
    _neft_acb_addsqr_range(u, e, prec);
    _neft_acb_addsqr_range(u, e + 1, prec);
    arb_mul_2exp_si(s, a, 1);
    acb_addmul_arb(N, u, s, prec);                  /* 2a(|w x|^2 + |e|^2) */
    acb_zero(u);
    acb_mul(t, w, x, prec);
    acb_sub(t, t, e, prec);
    _neft_acb_addsqr_range(u, t, prec);
    acb_mul(t, w, x + 1, prec);
    acb_sub(t, t, e + 1, prec);
    _neft_acb_addsqr_range(u, t, prec);
    arb_mul_2exp_si(s, ab, 2);
    acb_addmul_arb(N, u, s, prec);                  /* 4ab |w x - e|^2 */
    acb_mul(u, x, e + 1, prec);
    acb_submul(u, x + 1, e, prec);
    acb_zero(t);
    _neft_acb_addsqr_range(t, u, prec);
    arb_sqr(s, a, prec);
    arb_mul_2exp_si(s, s, 2);
    acb_addmul_arb(N, t, s, prec);                  /* 4a^2 (x ^ e)^2 */
    _neft_acb_sqrt_box(N, N, an, prec);
    /* 2(b w + a x.e) / sqrt(N) */
    acb_mul_arb(t, w, k->sb2, prec);
    acb_addmul_arb(t, xe, a, prec);
    acb_mul_2exp_si(t, t, 1);
    _neft_acb_div_box(t, t, N, prec);
    _neft_acb_atan_box(t, t, an, prec);
    acb_mul_arb(res, t, cc, prec);
    if (!k->subtract_bias)
        acb_add_arb(res, res, k->sb2, prec);
    acb_clear(N); acb_clear(t); acb_clear(u); acb_clear(xe);
    arb_clear(a); arb_clear(ab); arb_clear(cc); arb_clear(s);
}

void
_neft_erffar_self_acb(acb_t res, const neft_kernel_struct * k, acb_srcptr e,
                      const acb_t w, int an, slong prec)
{
    acb_t w2, ee, S, den;
    arb_t a, cc, s;
    acb_init(w2); acb_init(ee); acb_init(S); acb_init(den);
    arb_init(a); arb_init(cc); arb_init(s);
    kconsts(a, cc, k, prec);
    acb_zero(w2);
    _neft_acb_addsqr_range(w2, w, prec);
    acb_zero(ee);
    _neft_acb_addsqr_range(ee, e, prec);
    _neft_acb_addsqr_range(ee, e + 1, prec);
    acb_mul_arb(ee, ee, a, prec);                   /* a |e|^2 */
    arb_mul_2exp_si(s, k->sb2, 2);
    arb_add_ui(s, s, 1, prec);
    acb_mul_arb(S, w2, s, prec);
    acb_mul_2exp_si(den, ee, 2);
    acb_add(S, S, den, prec);
    _neft_acb_sqrt_box(S, S, an, prec);
    acb_mul(S, S, w, prec);
    acb_mul_arb(den, w2, k->sb2, prec);
    acb_add(den, den, ee, prec);
    acb_mul_2exp_si(den, den, 1);
    _neft_acb_div_box(S, S, den, prec);
    _neft_acb_atan_box(S, S, an, prec);
    acb_mul_arb(S, S, cc, prec);
    acb_neg(S, S);
    acb_add_arb(res, S, k->sw2, prec);
    if (!k->subtract_bias)
        acb_add_arb(res, res, k->sb2, prec);
    acb_clear(w2); acb_clear(ee); acb_clear(S); acb_clear(den);
    arb_clear(a); arb_clear(cc); arb_clear(s);
}

/* ---------- the same in double intervals (cbox_ivl.h, ivl.h) ---------- */

/* the erf kernel from its numerator and squared denominator on a complex box:
   c atan(2 num / sqrt(N)) + B with (a, b, c, B) = abc; the tail shared by the
   leg and the link below */
static civl
erf_atan_civl(const ivl * abc, civl num, civl N)
{
    civl t;
    num = civl_set(ivl_mul_2exp(num.re, 1), ivl_mul_2exp(num.im, 1));
    t = _neft_civl_atan_box(_neft_civl_div_box(num, _neft_civl_sqrt_box(N)));
    return civl_add_ivl(civl_mul_ivl(t, abc[2]), abc[3]);
}

int _neft_erffar_civl_centred = 1;

static civl cmeet(civl a, civl b);

/* a lower bound of the distance from the box [xl, xh] x [yl, yh] to the
   point (0, p) */
static double
dist_lo(double xl, double xh, double yl, double yh, double p)
{
    double dx = xl > 0 ? xl : (xh < 0 ? -xh : 0);
    double dy = yl > p ? _ivl_dn(yl - p) : (yh < p ? _ivl_dn(p - yh) : 0);
    dx = dx > 0 ? _ivl_dn(dx * dx) : 0;
    dy = dy > 0 ? _ivl_dn(dy * dy) : 0;
    return _ivl_dn(sqrt(_ivl_dn(dx + dy)));
}

/* atan on the box as _neft_civl_atan_box (cbox_ivl.c: atan(a0) at the
   centre a0 of Re w plus |w - a0| sup |1/(1 + z^2)| over the box extended
   to the real axis), the sup bounded also by 1 / (dist(box, i) dist(box,
   -i)) (|1 + z^2| = |z - i| |z + i|): on boxes reaching towards the cut
   +-i[1, inf) at Re z != 0 the expanded |1 + z^2|^2 of cbox_ivl.c has a
   lower bound 0, so it refuses boxes on which atan is holomorphic (docs
   "Stop 37": most of I_EE's failing 4 x 2 cells at rho = 3) */
static civl
erffar_atan_box(civl w)
{
    const ivl inf = ivl_set(-INFINITY, INFINITY);
    ivl e, t, u, v;
    double a0, lo, m, r, err, d;
    if (w.im.lo == 0 && w.im.hi == 0)
        return civl_real(_neft_ivl_atan(w.re));
    if (!civl_is_finite(w) || !(ivl_mag(w.im) < 1 || w.re.lo > 0 || w.re.hi < 0))
        return civl_set(inf, inf);
    e = ivl_set(FLINT_MIN(w.im.lo, 0), FLINT_MAX(w.im.hi, 0));
    t = ivl_add(ivl_pt(1), ivl_sub(ivl_sqr(w.re), ivl_sqr(e)));
    u = ivl_mul_2exp(ivl_mul(w.re, e), 1);
    t = ivl_add(ivl_sqr(t), ivl_sqr(u));             /* |1 + z^2|^2 */
    lo = ivl_is_finite(t) && t.lo > 0 ? _ivl_dn(sqrt(t.lo)) : 0;
    d = _ivl_dn(dist_lo(w.re.lo, w.re.hi, e.lo, e.hi, 1)
                * dist_lo(w.re.lo, w.re.hi, e.lo, e.hi, -1));
    if (d > lo)
        lo = d;
    if (!(lo > 0))
        return civl_set(inf, inf);
    m = _ivl_up(1 / lo);                              /* >= 1/|1 + z^2| */
    a0 = ivl_mid(w.re);
    r = _up_hypot(FLINT_MAX(_ivl_up(a0 - w.re.lo), _ivl_up(w.re.hi - a0)), ivl_mag(e));
    err = _up_mul(m, r);
    v = _neft_ivl_atan(ivl_pt(a0));
    if (!(err < INFINITY) || !ivl_is_finite(v))
        return civl_set(inf, inf);
    return civl_set(ivl_set(_ivl_dn(v.lo - err), _ivl_up(v.hi + err)), ivl_set(-err, err));
}

/* erf_atan_civl with the atan's argument Z = 2 num / sqrt(N) also in the
   centred form: Z(v) = Z(m) + sum_i dZ/dv_i (v_i - m_i), dZ/dv_i = (2 N
   dnum_i - num dN_i) / (N sqrt(N)) on the box, so the sum is (2 N Dnum -
   num DN) / (N sqrt(N)) with Dnum = sum_i dnum_i (v_i - m_i), DN likewise
   (every factor an enclosure over the box, the segment from m inside it);
   cf = (N(m), num(m), DN, Dnum) from leg_parts_centred / link_parts_centred,
   met with the direct quotient */
static civl
erf_atan_centred(const ivl * abc, civl num, civl N, const civl * cf)
{
    civl sN = _neft_civl_sqrt_box(N), Z, Zm, t, a;
    if (!civl_is_finite(sN))
        return sN;
    Z = _neft_civl_div_box(civl_set(ivl_mul_2exp(num.re, 1), ivl_mul_2exp(num.im, 1)), sN);
    Zm = _neft_civl_sqrt_box(cf[0]);
    Zm = _neft_civl_div_box(civl_set(ivl_mul_2exp(cf[1].re, 1), ivl_mul_2exp(cf[1].im, 1)), Zm);
    t = civl_sub(civl_mul(N, civl_set(ivl_mul_2exp(cf[3].re, 1), ivl_mul_2exp(cf[3].im, 1))),
                 civl_mul(num, cf[2]));
    t = _neft_civl_div_box(t, civl_mul(N, sN));
    if (civl_is_finite(Zm) && civl_is_finite(t))
        Z = cmeet(civl_add(Zm, t), Z);
    else
        t = civl_set(ivl_set(-INFINITY, INFINITY), ivl_set(-INFINITY, INFINITY));
    a = erffar_atan_box(Z);
    if (civl_is_finite(a) && civl_is_finite(t))
    {
        /* the mean-value form of atan(Z(v)) itself: atan(Z(m)) + DZ W, DZ
           = t the increment of Z above and W a box holding 1 / (1 + Z^2)
           over Z's box (the certified one: atan holomorphic there); the
           centre's atan by Arb at 64 bits */
        acb_t zc;
        civl am, W;
        double m;
        acb_init(zc);
        _neft_ivl_get_arb(acb_realref(zc), Zm.re);
        _neft_ivl_get_arb(acb_imagref(zc), Zm.im);
        acb_atan(zc, zc, 64);
        am = civl_set(_neft_ivl_set_arb(acb_realref(zc)), _neft_ivl_set_arb(acb_imagref(zc)));
        acb_clear(zc);
        W = _neft_civl_div_box(civl_real(ivl_pt(1)), civl_addsqr(civl_real(ivl_pt(1)), Z));
        m = _ivl_dn(dist_lo(Z.re.lo, Z.re.hi, Z.im.lo, Z.im.hi, 1)
                    * dist_lo(Z.re.lo, Z.re.hi, Z.im.lo, Z.im.hi, -1));
        if (m > 0)
        {
            m = _ivl_up(1 / m);                         /* >= |1 / (1 + Z^2)| */
            W = cmeet(civl_set(ivl_set(-m, m), ivl_set(-m, m)), W);
        }
        if (civl_is_finite(W) && civl_is_finite(am))
            a = cmeet(civl_add(am, civl_mul(t, W)), a);
    }
    return civl_add_ivl(civl_mul_ivl(a, abc[2]), abc[3]);
}

/* the point at the centre of the box v (exact doubles) and an enclosure of
   v - centre */
static civl
cmid(civl * d, civl v)
{
    civl m = civl_set(ivl_pt(0.5 * (v.re.lo + v.re.hi)), ivl_pt(0.5 * (v.im.lo + v.im.hi)));
    *d = civl_sub(v, m);
    return m;
}

/* the intersection of two boxes that both contain the same set (the
   second may be non-finite); a itself with _neft_erffar_civl_centred = 3
   (the test of the centred forms alone: a is always the centred box) */
static civl
cmeet(civl a, civl b)
{
    if (!civl_is_finite(b) || _neft_erffar_civl_centred == 3)   /* 3: the test of the centred forms alone */
        return a;
    if (!civl_is_finite(a))
        return b;
    a.re = ivl_set(FLINT_MAX(a.re.lo, b.re.lo), FLINT_MIN(a.re.hi, b.re.hi));
    a.im = ivl_set(FLINT_MAX(a.im.lo, b.im.lo), FLINT_MIN(a.im.hi, b.im.hi));
    return a;
}

/* N and num of the leg K(x, e/w) (the sum of squares of
   _neft_erffar_leg_acb and 2(b w + a x.e) / 2), evaluated directly */
static void
leg_parts(civl * N, civl * num, const ivl * abc, const civl * x, const civl * e, civl w)
{
    ivl a = abc[0], b = abc[1];
    civl u, t, z = civl_real(ivl_pt(0));
    civl wx0 = civl_mul(w, x[0]), wx1 = civl_mul(w, x[1]);
    *N = civl_mul_ivl(civl_addsqr(z, w), ivl_add(ivl_pt(1), ivl_mul_2exp(b, 2)));
    u = civl_addsqr(civl_addsqr(civl_addsqr(civl_addsqr(z, wx0), wx1), e[0]), e[1]);
    *N = civl_add(*N, civl_mul_ivl(u, ivl_mul_2exp(a, 1)));
    u = civl_addsqr(civl_addsqr(z, civl_sub(wx0, e[0])), civl_sub(wx1, e[1]));
    *N = civl_add(*N, civl_mul_ivl(u, ivl_mul_2exp(ivl_mul(a, b), 2)));
    t = civl_sub(civl_mul(x[0], e[1]), civl_mul(x[1], e[0]));
    *N = civl_add(*N, civl_mul_ivl(civl_addsqr(z, t), ivl_mul_2exp(ivl_sqr(a), 2)));
    *num = civl_add(civl_mul_ivl(w, b),
                    civl_mul_ivl(civl_add(civl_mul(x[0], e[0]), civl_mul(x[1], e[1])), a));
}

/* The centred (mean-value) form of N and num on the box: P(v) = P(m) +
   sum_i dP/dv_i (box) (v_i - m_i) for the polynomial P, m the box's centre
   (the segment from m to v lies in the box), met with the direct
   enclosure.  Variables x0, x1, e0, e1, w. */
static void
leg_parts_centred(civl * N, civl * num, civl * cf, const ivl * abc, const civl * x, const civl * e, civl w)
{
    ivl a = abc[0], b = abc[1];
    ivl a4 = ivl_mul_2exp(a, 2), ab8 = ivl_mul_2exp(ivl_mul(a, b), 3);
    ivl a28 = ivl_mul_2exp(ivl_sqr(a), 3);
    civl xm[2], em[2], wm, dx[2], de[2], dw, Nm, numm, Nd, numd;
    civl d0, d1, X, xx, w2, g;
    leg_parts(&Nd, &numd, abc, x, e, w);
    xm[0] = cmid(dx, x[0]);
    xm[1] = cmid(dx + 1, x[1]);
    em[0] = cmid(de, e[0]);
    em[1] = cmid(de + 1, e[1]);
    wm = cmid(&dw, w);
    leg_parts(&Nm, &numm, abc, xm, em, wm);
    /* the gradient on the box: d_j = w x_j - e_j, X = x0 e1 - x1 e0 */
    d0 = civl_sub(civl_mul(w, x[0]), e[0]);
    d1 = civl_sub(civl_mul(w, x[1]), e[1]);
    X = civl_sub(civl_mul(x[0], e[1]), civl_mul(x[1], e[0]));
    xx = civl_addsqr(civl_addsqr(civl_real(ivl_pt(0)), x[0]), x[1]);
    w2 = civl_addsqr(civl_real(ivl_pt(0)), w);
    /* dN/dw = 2(1 + 4b) w + 4a w |x|^2 + 8ab (d0 x0 + d1 x1) */
    g = civl_mul_ivl(w, ivl_mul_2exp(ivl_add(ivl_pt(1), ivl_mul_2exp(b, 2)), 1));
    g = civl_add(g, civl_mul_ivl(civl_mul(w, xx), a4));
    g = civl_add(g, civl_mul_ivl(civl_add(civl_mul(d0, x[0]), civl_mul(d1, x[1])), ab8));
    *N = civl_mul(g, dw);
    /* dN/dx_j = 4a w^2 x_j + 8ab w d_j + 8a^2 X dX/dx_j (dX/dx0 = e1, dX/dx1 = -e0) */
    g = civl_add(civl_mul_ivl(civl_mul(w2, x[0]), a4), civl_mul_ivl(civl_mul(w, d0), ab8));
    g = civl_add(g, civl_mul_ivl(civl_mul(X, e[1]), a28));
    *N = civl_add(*N, civl_mul(g, dx[0]));
    g = civl_add(civl_mul_ivl(civl_mul(w2, x[1]), a4), civl_mul_ivl(civl_mul(w, d1), ab8));
    g = civl_sub(g, civl_mul_ivl(civl_mul(X, e[0]), a28));
    *N = civl_add(*N, civl_mul(g, dx[1]));
    /* dN/de_j = 4a e_j - 8ab d_j + 8a^2 X dX/de_j (dX/de0 = -x1, dX/de1 = x0) */
    g = civl_sub(civl_mul_ivl(e[0], a4), civl_mul_ivl(d0, ab8));
    g = civl_sub(g, civl_mul_ivl(civl_mul(X, x[1]), a28));
    *N = civl_add(*N, civl_mul(g, de[0]));
    g = civl_sub(civl_mul_ivl(e[1], a4), civl_mul_ivl(d1, ab8));
    g = civl_add(g, civl_mul_ivl(civl_mul(X, x[0]), a28));
    *N = civl_add(*N, civl_mul(g, de[1]));
    cf[0] = Nm;
    cf[1] = numm;
    cf[2] = *N;
    *N = cmeet(civl_add(Nm, *N), Nd);
    /* num = b w + a x.e */
    g = civl_add(civl_mul_ivl(dw, b), civl_mul_ivl(civl_add(civl_mul(e[0], dx[0]),
                                                            civl_mul(e[1], dx[1])), a));
    g = civl_add(g, civl_mul_ivl(civl_add(civl_mul(x[0], de[0]), civl_mul(x[1], de[1])), a));
    cf[3] = g;
    *num = cmeet(civl_add(numm, g), numd);
}

civl
_neft_erffar_leg_civl(const ivl * abc, const civl * x, const civl * e, civl w)
{
    civl N, num, cf[4], f;
    leg_parts(&N, &num, abc, x, e, w);
    f = erf_atan_civl(abc, num, N);
    if (_neft_erffar_civl_centred >= 2 || (_neft_erffar_civl_centred && !civl_is_finite(f)))
    {
        leg_parts_centred(&N, &num, cf, abc, x, e, w);
        f = erf_atan_centred(abc, num, N, cf);
    }
    return f;
}

civl
_neft_erffar_self_civl(const ivl * abc, const civl * e, civl w)
{
    ivl a = abc[0], b = abc[1];
    civl z = civl_real(ivl_pt(0)), w2 = civl_addsqr(z, w), ee, S, den;
    ee = civl_mul_ivl(civl_addsqr(civl_addsqr(z, e[0]), e[1]), a);     /* a |e|^2 */
    S = civl_add(civl_mul_ivl(w2, ivl_add(ivl_pt(1), ivl_mul_2exp(b, 2))),
                 civl_set(ivl_mul_2exp(ee.re, 2), ivl_mul_2exp(ee.im, 2)));
    S = civl_mul(_neft_civl_sqrt_box(S), w);
    den = civl_add(civl_mul_ivl(w2, b), ee);
    den = civl_set(ivl_mul_2exp(den.re, 1), ivl_mul_2exp(den.im, 1));
    S = _neft_civl_atan_box(_neft_civl_div_box(S, den));
    /* B + sigma_w^2 - c atan(..), sigma_w^2 = 2a */
    S = civl_mul_ivl(S, ivl_neg(abc[2]));
    return civl_add_ivl(S, ivl_add(abc[3], ivl_mul_2exp(a, 1)));
}

void
_neft_erffar_leg_coeffs_ivl(ivl * c, const ivl * abc, const ivl * x, const ivl * e)
{
    ivl a = abc[0], b = abc[1], ab = ivl_mul(a, b);
    ivl xx = ivl_add(ivl_sqr(x[0]), ivl_sqr(x[1]));
    ivl ee = ivl_add(ivl_sqr(e[0]), ivl_sqr(e[1]));
    ivl xe = ivl_add(ivl_mul(x[0], e[0]), ivl_mul(x[1], e[1]));
    ivl xw = ivl_sub(ivl_mul(x[0], e[1]), ivl_mul(x[1], e[0]));
    ivl t = ivl_mul_2exp(ivl_add(a, ivl_mul_2exp(ab, 1)), 1);            /* 2a + 4ab */
    c[0] = ivl_add(ivl_mul(t, ee), ivl_mul_2exp(ivl_sqr(ivl_mul(a, xw)), 2));
    c[1] = ivl_neg(ivl_mul_2exp(ivl_mul(ab, xe), 3));
    c[2] = ivl_add(ivl_mul(t, xx), ivl_add(ivl_pt(1), ivl_mul_2exp(b, 2)));
    c[3] = ivl_mul_2exp(ivl_mul(a, xe), 1);
    c[4] = ivl_mul_2exp(b, 1);
}

ivl
_neft_erffar_leg_ivl(const ivl * abc, const ivl * c, ivl w)
{
    ivl N = ivl_add(ivl_mul(ivl_add(ivl_mul(c[2], w), c[1]), w), c[0]);
    ivl t = ivl_div(ivl_add(ivl_mul(c[4], w), c[3]), ivl_sqrt(N));
    return ivl_add(ivl_mul(_neft_ivl_atan(t), abc[2]), abc[3]);
}

ivl
_neft_erffar_self_ivl(const ivl * abc, const ivl * e, ivl w)
{
    ivl a = abc[0], b = abc[1], w2 = ivl_sqr(w);
    ivl ee = ivl_mul(ivl_add(ivl_sqr(e[0]), ivl_sqr(e[1])), a);
    ivl S = ivl_add(ivl_mul(w2, ivl_add(ivl_pt(1), ivl_mul_2exp(b, 2))), ivl_mul_2exp(ee, 2));
    ivl den = ivl_mul_2exp(ivl_add(ivl_mul(w2, b), ee), 1);
    S = _neft_ivl_atan(ivl_div(ivl_mul(ivl_sqrt(S), w), den));
    return ivl_add(ivl_mul(S, ivl_neg(abc[2])), ivl_add(abc[3], ivl_mul_2exp(a, 1)));
}

void
_neft_erffar_leg_jet_ivl(ivl * K, const ivl * abc, const ivl * c)
{
    /* u = (n0 + n1 w) / sqrt(c0 + c1 w + c2 w^2) = u0 + u1 w + u2 w^2 + ..,
       (1 + p w + q w^2)^(-1/2) = 1 - (p/2) w + (3p^2/8 - q/2) w^2 + ..;
       atan(u0 + e) = atan(u0) + d e - u0 d^2 e^2 + .., d = 1/(1 + u0^2) */
    ivl is0 = ivl_div(ivl_pt(1), ivl_sqrt(c[0]));
    ivl p = ivl_div(c[1], c[0]), q = ivl_div(c[2], c[0]);
    ivl ph = ivl_mul_2exp(p, -1);
    ivl u0 = ivl_mul(c[3], is0);
    ivl u1 = ivl_mul(ivl_sub(c[4], ivl_mul(c[3], ph)), is0);
    ivl r2 = ivl_sub(ivl_mul(ivl_pt(0.375), ivl_sqr(p)), ivl_mul_2exp(q, -1));
    ivl u2 = ivl_mul(ivl_sub(ivl_mul(c[3], r2), ivl_mul(c[4], ph)), is0);
    ivl d = ivl_div(ivl_pt(1), ivl_add(ivl_pt(1), ivl_sqr(u0)));
    K[0] = ivl_add(ivl_mul(_neft_ivl_atan(u0), abc[2]), abc[3]);
    K[1] = ivl_mul(abc[2], ivl_mul(u1, d));
    K[2] = ivl_mul(abc[2], ivl_sub(ivl_mul(u2, d), ivl_mul(ivl_mul(u0, ivl_sqr(u1)), ivl_sqr(d))));
}

void
_neft_erffar_self_jet_ivl(ivl * K, const ivl * abc, const ivl * e)
{
    /* v = w / (sqrt(a) |e|) + O(w^3): K = B + 2a - c v + O(w^3) */
    ivl ee = ivl_add(ivl_sqr(e[0]), ivl_sqr(e[1]));
    K[0] = ivl_add(abc[3], ivl_mul_2exp(abc[0], 1));
    K[1] = ivl_neg(ivl_div(abc[2], ivl_sqrt(ivl_mul(abc[0], ee))));
    K[2] = ivl_pt(0);
}

/* N w^2 w'^2 and num of the link (_neft_erffar_link_civl), directly */
static void
link_parts(civl * N, civl * num, const ivl * abc, const civl * e, civl w, const civl * ep,
           civl wp, const civl * cross2)
{
    ivl a = abc[0], b = abc[1];
    civl z = civl_real(ivl_pt(0)), u, t;
    civl ww = civl_mul(w, wp);
    /* N w^2 w'^2 = (1 + 4b)(w w')^2 + 2a(|w' e|^2 + |w e'|^2)
                    + 4ab |w' e - w e'|^2 + 4a^2 (e ^ e')^2 */
    *N = civl_mul_ivl(civl_addsqr(z, ww), ivl_add(ivl_pt(1), ivl_mul_2exp(b, 2)));
    u = civl_addsqr(civl_addsqr(z, civl_mul(wp, e[0])), civl_mul(wp, e[1]));
    u = civl_addsqr(civl_addsqr(u, civl_mul(w, ep[0])), civl_mul(w, ep[1]));
    *N = civl_add(*N, civl_mul_ivl(u, ivl_mul_2exp(a, 1)));
    u = civl_addsqr(civl_addsqr(z, civl_sub(civl_mul(wp, e[0]), civl_mul(w, ep[0]))),
                    civl_sub(civl_mul(wp, e[1]), civl_mul(w, ep[1])));
    *N = civl_add(*N, civl_mul_ivl(u, ivl_mul_2exp(ivl_mul(a, b), 2)));
    if (cross2 != NULL)
        t = *cross2;
    else
        t = civl_addsqr(z, civl_sub(civl_mul(e[0], ep[1]), civl_mul(e[1], ep[0])));
    *N = civl_add(*N, civl_mul_ivl(t, ivl_mul_2exp(ivl_sqr(a), 2)));
    *num = civl_add(civl_mul_ivl(ww, b),
                    civl_mul_ivl(civl_add(civl_mul(e[0], ep[0]), civl_mul(e[1], ep[1])), a));
}

/* the centred form of link_parts (as leg_parts_centred): variables e0, e1,
   w, e'0, e'1, w' and (e ^ e')^2 when given */
static void
link_parts_centred(civl * N, civl * num, civl * cf, const ivl * abc, const civl * e, civl w,
                   const civl * ep, civl wp, const civl * cross2)
{
    ivl a = abc[0], b = abc[1];
    ivl a4 = ivl_mul_2exp(a, 2), ab8 = ivl_mul_2exp(ivl_mul(a, b), 3);
    ivl a28 = ivl_mul_2exp(ivl_sqr(a), 3), b14 = ivl_mul_2exp(ivl_add(ivl_pt(1), ivl_mul_2exp(b, 2)), 1);
    civl z = civl_real(ivl_pt(0));
    civl em[2], epm[2], wm, wpm, cm, de[2], dep[2], dw, dwp, dc, Nm, numm, Nd, numd;
    civl D0, D1, X, ee, epep, w2, wp2, g;
    link_parts(&Nd, &numd, abc, e, w, ep, wp, cross2);
    em[0] = cmid(de, e[0]);
    em[1] = cmid(de + 1, e[1]);
    epm[0] = cmid(dep, ep[0]);
    epm[1] = cmid(dep + 1, ep[1]);
    wm = cmid(&dw, w);
    wpm = cmid(&dwp, wp);
    if (cross2 != NULL)
        cm = cmid(&dc, *cross2);
    link_parts(&Nm, &numm, abc, em, wm, epm, wpm, cross2 != NULL ? &cm : NULL);
    /* D_j = w' e_j - w e'_j, X = e0 e'1 - e1 e'0 */
    D0 = civl_sub(civl_mul(wp, e[0]), civl_mul(w, ep[0]));
    D1 = civl_sub(civl_mul(wp, e[1]), civl_mul(w, ep[1]));
    X = civl_sub(civl_mul(e[0], ep[1]), civl_mul(e[1], ep[0]));
    ee = civl_addsqr(civl_addsqr(z, e[0]), e[1]);
    epep = civl_addsqr(civl_addsqr(z, ep[0]), ep[1]);
    w2 = civl_addsqr(z, w);
    wp2 = civl_addsqr(z, wp);
    /* dN/dw = 2(1 + 4b) w w'^2 + 4a w |e'|^2 - 8ab (D0 e'0 + D1 e'1) */
    g = civl_mul_ivl(civl_mul(w, wp2), b14);
    g = civl_add(g, civl_mul_ivl(civl_mul(w, epep), a4));
    g = civl_sub(g, civl_mul_ivl(civl_add(civl_mul(D0, ep[0]), civl_mul(D1, ep[1])), ab8));
    *N = civl_mul(g, dw);
    /* dN/dw' = 2(1 + 4b) w^2 w' + 4a w' |e|^2 + 8ab (D0 e0 + D1 e1) */
    g = civl_mul_ivl(civl_mul(wp, w2), b14);
    g = civl_add(g, civl_mul_ivl(civl_mul(wp, ee), a4));
    g = civl_add(g, civl_mul_ivl(civl_add(civl_mul(D0, e[0]), civl_mul(D1, e[1])), ab8));
    *N = civl_add(*N, civl_mul(g, dwp));
    /* dN/de_j = 4a w'^2 e_j + 8ab w' D_j [+ 8a^2 X dX/de_j: dX/de0 = e'1, dX/de1 = -e'0] */
    g = civl_add(civl_mul_ivl(civl_mul(wp2, e[0]), a4), civl_mul_ivl(civl_mul(wp, D0), ab8));
    if (cross2 == NULL)
        g = civl_add(g, civl_mul_ivl(civl_mul(X, ep[1]), a28));
    *N = civl_add(*N, civl_mul(g, de[0]));
    g = civl_add(civl_mul_ivl(civl_mul(wp2, e[1]), a4), civl_mul_ivl(civl_mul(wp, D1), ab8));
    if (cross2 == NULL)
        g = civl_sub(g, civl_mul_ivl(civl_mul(X, ep[0]), a28));
    *N = civl_add(*N, civl_mul(g, de[1]));
    /* dN/de'_j = 4a w^2 e'_j - 8ab w D_j [+ 8a^2 X dX/de'_j: dX/de'0 = -e1, dX/de'1 = e0] */
    g = civl_sub(civl_mul_ivl(civl_mul(w2, ep[0]), a4), civl_mul_ivl(civl_mul(w, D0), ab8));
    if (cross2 == NULL)
        g = civl_sub(g, civl_mul_ivl(civl_mul(X, e[1]), a28));
    *N = civl_add(*N, civl_mul(g, dep[0]));
    g = civl_sub(civl_mul_ivl(civl_mul(w2, ep[1]), a4), civl_mul_ivl(civl_mul(w, D1), ab8));
    if (cross2 == NULL)
        g = civl_add(g, civl_mul_ivl(civl_mul(X, e[0]), a28));
    *N = civl_add(*N, civl_mul(g, dep[1]));
    /* dN/d(e ^ e')^2 = 4a^2 */
    if (cross2 != NULL)
        *N = civl_add(*N, civl_mul_ivl(dc, ivl_mul_2exp(ivl_sqr(a), 2)));
    cf[0] = Nm;
    cf[1] = numm;
    cf[2] = *N;
    *N = cmeet(civl_add(Nm, *N), Nd);
    /* num = b w w' + a e.e' */
    g = civl_add(civl_mul_ivl(civl_mul(wp, dw), b), civl_mul_ivl(civl_mul(w, dwp), b));
    g = civl_add(g, civl_mul_ivl(civl_add(civl_mul(ep[0], de[0]), civl_mul(ep[1], de[1])), a));
    g = civl_add(g, civl_mul_ivl(civl_add(civl_mul(e[0], dep[0]), civl_mul(e[1], dep[1])), a));
    cf[3] = g;
    *num = cmeet(civl_add(numm, g), numd);
}

civl
_neft_erffar_link_civl(const ivl * abc, const civl * e, civl w, const civl * ep, civl wp,
                       const civl * cross2)
{
    civl N, num, cf[4], f;
    link_parts(&N, &num, abc, e, w, ep, wp, cross2);
    f = erf_atan_civl(abc, num, N);
    if (_neft_erffar_civl_centred >= 2 || (_neft_erffar_civl_centred && !civl_is_finite(f)))
    {
        link_parts_centred(&N, &num, cf, abc, e, w, ep, wp, cross2);
        f = erf_atan_centred(abc, num, N, cf);
    }
    return f;
}

ivl
_neft_erffar_link_ivl(const ivl * abc, const ivl * e, ivl w, const ivl * ep, ivl wp,
                      const ivl * cross)
{
    ivl a = abc[0], b = abc[1], ww = ivl_mul(w, wp), N, u, num;
    ivl we0 = ivl_mul(wp, e[0]), we1 = ivl_mul(wp, e[1]);
    ivl wf0 = ivl_mul(w, ep[0]), wf1 = ivl_mul(w, ep[1]);
    ivl cr = cross != NULL ? *cross : ivl_sub(ivl_mul(e[0], ep[1]), ivl_mul(e[1], ep[0]));
    N = ivl_mul(ivl_sqr(ww), ivl_add(ivl_pt(1), ivl_mul_2exp(b, 2)));
    u = ivl_add(ivl_add(ivl_sqr(we0), ivl_sqr(we1)), ivl_add(ivl_sqr(wf0), ivl_sqr(wf1)));
    N = ivl_add(N, ivl_mul(u, ivl_mul_2exp(a, 1)));
    u = ivl_add(ivl_sqr(ivl_sub(we0, wf0)), ivl_sqr(ivl_sub(we1, wf1)));
    N = ivl_add(N, ivl_mul(u, ivl_mul_2exp(ivl_mul(a, b), 2)));
    N = ivl_add(N, ivl_mul(ivl_sqr(cr), ivl_mul_2exp(ivl_sqr(a), 2)));
    num = ivl_add(ivl_mul(ww, b), ivl_mul(ivl_add(ivl_mul(e[0], ep[0]), ivl_mul(e[1], ep[1])), a));
    num = ivl_mul_2exp(num, 1);
    return ivl_add(ivl_mul(_neft_ivl_atan(ivl_div(num, ivl_sqrt(N))), abc[2]), abc[3]);
}
