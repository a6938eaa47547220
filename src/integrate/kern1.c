/* The Erf and ReLU kernels in d_in = 1 in double-precision interval
   arithmetic (kern1.h): enclosures at quadrature nodes, and bounds of the
   derivative on rectangles for the Bernstein-ellipse error bounds. */

#include "kern1.h"

int
_neft_k1_engine(const neft_kernel_t k)
{
    if (k->act == neft_act_lookup("erf"))
        return _NEFT_K1_ERF;
    if (k->act == neft_act_lookup("relu"))
        return _NEFT_K1_RELU;
    return 0;
}

int
_neft_k1_init(_neft_k1_struct * P, const neft_kernel_t k)
{
    ivl one = ivl_pt(1.0);
    if (!_neft_ivl_usable() || k->d != 1)
        return 0;
    P->type = _neft_k1_engine(k);
    if (P->type == 0 || (P->type == _NEFT_K1_RELU && !arb_is_positive(k->sb2)))
        return 0;
    P->sub = k->subtract_bias;
    P->a = _neft_ivl_set_arb(k->sw2);
    P->b = _neft_ivl_set_arb(k->sb2);
    /* a moderate range: nothing below overflows or underflows */
    if (!ivl_is_finite(P->a) || !ivl_is_finite(P->b) || !(P->a.lo >= 0x1p-60)
        || !(P->a.hi <= 0x1p60) || !(P->b.lo >= 0) || !(P->b.hi <= 0x1p60))
        return 0;
    if (P->type == _NEFT_K1_ERF)
    {
        P->S = ivl_mul_2exp(ivl_mul(P->a, ivl_inv_pi()), 1);
        P->opb = ivl_add(one, ivl_mul_2exp(P->b, 1));
        P->A2 = ivl_mul_2exp(ivl_mul(P->a, P->opb), 1);
        P->c = ivl_div(ivl_mul_2exp(P->b, 1), P->opb);
        P->beta = ivl_sqrt(ivl_div(P->opb, ivl_mul_2exp(P->a, 1)));
        P->beta4 = ivl_sqrt(ivl_div(ivl_add(one, ivl_mul_2exp(P->b, 2)), ivl_mul_2exp(P->a, 2)));
    }
    else
    {
        if (!(P->b.lo >= 0x1p-60))
            return 0;
        P->S = ivl_mul_2exp(ivl_mul(P->a, ivl_inv_pi()), -1);
        P->sab = ivl_sqrt(ivl_mul(P->a, P->b));
        P->kap = ivl_sqrt(ivl_div(P->a, P->b));
        P->ikap = ivl_sqrt(ivl_div(P->b, P->a));
    }
    return ivl_is_finite(P->S);
}

void
_neft_k1_input(_neft_k1in_struct * I, const _neft_k1_struct * P, const arb_t x)
{
    ivl one = ivl_pt(1.0);
    I->x = _neft_ivl_set_arb(x);
    I->ax = ivl_mul(P->a, I->x);
    if (P->type == _NEFT_K1_ERF)
    {
        ivl t;
        I->cx = ivl_mul(P->c, I->x);
        /* (1+4b)(1 + 2a x^2/(1+2b)) */
        t = ivl_div(ivl_mul_2exp(ivl_mul(I->ax, I->x), 1), P->opb);
        I->C = ivl_mul(ivl_add(one, ivl_mul_2exp(P->b, 2)), ivl_add(one, t));
        I->gam = ivl_sqrt(ivl_div(I->C, P->A2));
        I->kxx1 = ivl_add(P->opb, ivl_mul_2exp(ivl_mul(I->ax, I->x), 1));
    }
    else
    {
        I->px = _neft_ivl_atan(ivl_mul(P->kap, I->x));
        if (I->x.lo > 0 || I->x.hi < 0)
        {
            ivl ax = I->x.lo > 0 ? I->x : ivl_neg(I->x);          /* |x| */
            I->qx = _neft_ivl_atan(ivl_div(ivl_pt(1.0), ivl_mul(P->kap, ax)));
        }
        else
            I->qx = ivl_set(-INFINITY, INFINITY);     /* (k(x,y) >= b > 0 then) */
    }
}

/* c_k = 2k/(2k+1)!, k = 1..9, rounded to nearest at translation time (C11
   F.8.2); [pred, succ] of each encloses c_k.  sin p - p cos p =
   sum_{k>=1} (-1)^(k+1) c_k p^(2k+1). */
static const double sc_c[9] = {2.0 / 6, 4.0 / 120, 6.0 / 5040, 8.0 / 362880.0,
                               10.0 / 39916800.0, 12.0 / 6227020800.0, 14.0 / 1307674368000.0,
                               16.0 / 355687428096000.0, 18.0 / 121645100408832000.0};

/* r (sin p - p cos p) for 0 <= p <= 1, without cancellation: the
   alternating series r p^3 (c_1 - c_2 p^2 + ... - c_8 p^14) whose terms
   decrease (ratio p^2/(2k(2k+3)) <= 1/10), so the rest is at most the first
   omitted term c_9 p^19 (the numerators and factorials above are exact
   doubles, so c_k is their quotient rounded once). */
static ivl
relu_far(ivl p, ivl r)
{
    ivl s = ivl_sqr(p), q = ivl_set(_ivl_dn(sc_c[7]), _ivl_up(sc_c[7]));
    double pm = ivl_mag(p), e;
    int k;
    if (!(pm <= 1))
        return ivl_set(-INFINITY, INFINITY);
    for (k = 6; k >= 0; k--)
        q = ivl_sub(ivl_set(_ivl_dn(sc_c[k]), _ivl_up(sc_c[k])), ivl_mul(s, q));
    /* the rest: at most c_9 p^19, i.e. c_9 p^16 in q */
    e = _up_mul(pm, pm);
    e = _up_mul(e, e);
    e = _up_mul(e, e);
    e = _up_mul(e, e);
    e = _up_mul(e, _ivl_up(sc_c[8]));
    q = ivl_add(q, ivl_set(-e, e));
    return ivl_mul(ivl_mul(r, ivl_mul(s, p)), q);
}

static inline ivl
finish(const _neft_k1_struct * P, ivl w)
{
    ivl K = ivl_mul(P->S, w);
    return P->sub ? K : ivl_add(K, P->b);
}

ivl
_neft_k1_eval(const _neft_k1_struct * P, const _neft_k1in_struct * I, ivl y, int side)
{
    ivl one = ivl_pt(1.0);
    if (P->type == _NEFT_K1_ERF)
    {
        ivl N, w;
        if (I == NULL)
        {
            /* k = b + a y^2; atan(2k / sqrt(1 + 4k)) */
            ivl k = ivl_add(P->b, ivl_mul(P->a, ivl_sqr(y)));
            N = ivl_add(one, ivl_mul_2exp(k, 2));
            w = ivl_div(ivl_mul_2exp(k, 1), ivl_sqrt(N));
        }
        else
        {
            ivl d = ivl_sub(y, I->cx), kxy = ivl_add(P->b, ivl_mul(I->ax, y));
            N = ivl_add(ivl_mul(P->A2, ivl_sqr(d)), I->C);
            w = ivl_div(ivl_mul_2exp(kxy, 1), ivl_sqrt(N));
        }
        return finish(P, _neft_ivl_atan(w));
    }
    else
    {
        ivl sG, kxy, phi;
        if (I == NULL)
        {
            ivl k = ivl_add(P->b, ivl_mul(P->a, ivl_sqr(y)));
            k = ivl_mul(ivl_mul_2exp(P->a, -1), k);
            return P->sub ? k : ivl_add(k, P->b);
        }
        kxy = ivl_add(P->b, ivl_mul(I->ax, y));
        if (kxy.hi < 0 && I->qx.hi < 0.5 && (y.lo > 0 || y.hi < 0))
        {
            /* x, y of opposite signs: pi - t = q_x + atan(1/(kappa |y|)); when
               that is at most 1/2 the two terms below would cancel by 3.6 bits
               or more (by 3/p^2); the series costs more, so not above */
            ivl ay = y.lo > 0 ? y : ivl_neg(y), r;                  /* |y| */
            phi = ivl_add(I->qx, _neft_ivl_atan(ivl_div(ivl_pt(1.0), ivl_mul(P->kap, ay))));
            if (phi.hi <= 0.5)
            {
                sG = ivl_mul(P->sab, ivl_sub(y, I->x));
                r = ivl_sqrt(ivl_add(ivl_sqr(sG), ivl_sqr(kxy)));
                return finish(P, relu_far(phi, r));
            }
        }
        /* s sqrt(ab) (y - x) + (pi - s (atan(kappa y) - p_x)) (b + a x y) */
        sG = ivl_mul(P->sab, ivl_sub(y, I->x));
        phi = ivl_sub(_neft_ivl_atan(ivl_mul(P->kap, y)), I->px);
        if (side < 0)
        {
            sG = ivl_neg(sG);
            phi = ivl_neg(phi);
        }
        phi = ivl_sub(ivl_pi(), phi);
        return finish(P, ivl_add(sG, ivl_mul(phi, kxy)));
    }
}

/* A lower bound of the distance from the point sx + i sy (any point of the
   intervals, sy >= 0) to the rectangle [xl, xh] x [-yh, yh]; the rectangle
   is symmetric, so the conjugate point is as far. */
static double
dist_lo(ivl sx, ivl sy, double xl, double xh, double yh)
{
    double dx = 0, dy = 0, t;
    t = _ivl_dn(xl - sx.hi);
    dx = t > dx ? t : dx;
    t = _ivl_dn(sx.lo - xh);
    dx = t > dx ? t : dx;
    t = _ivl_dn(sy.lo - yh);
    dy = t > dy ? t : dy;
    return _ivl_dn(sqrt(_ivl_dn(_ivl_dn(dx * dx) + _ivl_dn(dy * dy))));
}

/* Derivatives of the continuations (exact identities, any branch):
   Erf, with u = y - c x, q = a x, p = b + a c x^2 (so k(x,y) = p + q u),
     N = A2 (u^2 + gam^2), 1 + 2k(y,y) = 2a (y^2 + beta^2), w = 2k(x,y)/sqrt N:
       w' = 2(q C - p A2 u)/N^{3/2} (the u^2 terms cancel),
       1 + w^2 = (1 + 2k(x,x))(1 + 2k(y,y))/N  (N + 4k(x,y)^2 = (1+2k(x,x))(1+2k(y,y))),
       K' = S w'/(1 + w^2) = 2S (q C - p A2 u) / (sqrt(N) (1+2k(x,x)) (1+2k(y,y))),
     and |N| = A2 |u - i gam||u + i gam|, |1 + 2k(y,y)| = 2a |y - i beta||y + i beta|;
   Erf self-loop, k = b + a y^2, w = 2k/sqrt(1+4k): w' = 2k'(1+2k)/(1+4k)^{3/2},
     1 + w^2 = (1+2k)^2/(1+4k), K' = 2S k'/(sqrt(1+4k)(1+2k)), k' = 2ay,
     1 + 4k = 4a (y^2 + beta4^2);
   ReLU, phi = pi - s (atan(kappa y) - p_x), k(x,y) = b + a x y:
     K' = S (s sqrt(ab) + a x phi - s kappa k(x,y)/(1 + kappa^2 y^2)),
     1 + kappa^2 y^2 = kappa^2 |y - i/kappa||y + i/kappa|, and on the segment
     from m, |phi(z) - phi(m)| <= |z - m| sup |kappa/(1 + kappa^2 y^2)|;
   ReLU self-loop: K' = a^2 y.
   Each modulus is bounded on the rectangle from the distances to the
   singular points (dist_lo) and, for numerators, |f(z)| <= |f(m)| + rad sup|f'|
   (f linear there).  All in outward-rounded arithmetic. */
double
_neft_k1_dbound(const _neft_k1_struct * P, const _neft_k1in_struct * I, int side, double xl,
                double xh, double yh, double m, double rad)
{
    ivl zero = ivl_pt(0), M = ivl_pt(m), num, den;
    double d1, d2, ym;
    ym = _up_hypot(FLINT_MAX(fabs(xl), fabs(xh)), yh);
    if (P->type == _NEFT_K1_ERF)
    {
        d2 = dist_lo(zero, P->beta, xl, xh, yh);
        if (I == NULL)
        {
            d1 = dist_lo(zero, P->beta4, xl, xh, yh);
            if (!(d1 > 0 && d2 > 0))
                return INFINITY;
            /* 4 S a |y| / (2 sqrt(a) d1 * 2a d2^2) */
            num = ivl_mul(ivl_mul_2exp(ivl_mul(P->S, P->a), 2), ivl_pt(ym));
            den = ivl_mul(ivl_mul_2exp(ivl_sqrt(P->a), 1), ivl_pt(d1));
            den = ivl_mul(den, ivl_mul(ivl_mul_2exp(P->a, 1), ivl_sqr(ivl_pt(d2))));
            return ivl_div(num, den).hi;
        }
        d1 = dist_lo(I->cx, I->gam, xl, xh, yh);
        if (!(d1 > 0 && d2 > 0))
            return INFINITY;
        {
            /* |q C - p A2 u| <= |q C - p A2 (m - cx)| + |p A2| rad */
            ivl p = ivl_add(P->b, ivl_mul(I->ax, I->cx)), pA2 = ivl_mul(p, P->A2);
            num = ivl_sub(ivl_mul(I->ax, I->C), ivl_mul(pA2, ivl_sub(M, I->cx)));
            num = ivl_add(ivl_pt(ivl_mag(num)), ivl_mul(ivl_pt(ivl_mag(pA2)), ivl_pt(rad)));
            num = ivl_mul(ivl_mul_2exp(P->S, 1), num);
            /* sqrt|N| >= sqrt(A2) d1; (1 + 2k(x,x)); |1 + 2k(y,y)| >= 2a d2^2 */
            den = ivl_mul(ivl_sqrt(P->A2), ivl_pt(d1));
            den = ivl_mul(den, I->kxx1);
            den = ivl_mul(den, ivl_mul(ivl_mul_2exp(P->a, 1), ivl_sqr(ivl_pt(d2))));
            return ivl_div(num, den).hi;
        }
    }
    if (I == NULL)
        return ivl_mul(ivl_sqr(P->a), ivl_pt(ym)).hi;
    d1 = dist_lo(zero, P->ikap, xl, xh, yh);
    if (!(d1 > 0))
        return INFINITY;
    {
        /* |phi| <= |phi(m)| + rad / (kappa d1^2); |k(x,y)| <= |b + a x m| + |a x| rad;
           kappa |k| / (kappa^2 d1^2) = |k| / (kappa d1^2) */
        ivl kd2 = ivl_mul(P->kap, ivl_sqr(ivl_pt(d1))), phi, kxy, t;
        phi = ivl_sub(_neft_ivl_atan(ivl_mul(P->kap, M)), I->px);
        if (side < 0)
            phi = ivl_neg(phi);
        phi = ivl_pt(ivl_mag(ivl_sub(ivl_pi(), phi)));
        phi = ivl_add(phi, ivl_div(ivl_pt(rad), kd2));
        kxy = ivl_add(ivl_pt(ivl_mag(ivl_add(P->b, ivl_mul(I->ax, M)))),
                      ivl_mul(ivl_pt(ivl_mag(I->ax)), ivl_pt(rad)));
        t = ivl_add(P->sab, ivl_mul(ivl_pt(ivl_mag(I->ax)), phi));
        t = ivl_add(t, ivl_div(kxy, kd2));
        return ivl_mul(P->S, t).hi;
    }
}

int
_neft_k1_sing(const _neft_k1_struct * P, const _neft_k1in_struct * I, double * sx,
              double * sy)
{
    if (P->type == _NEFT_K1_ERF)
    {
        /* atan(w) at w = +-i: 1 + 2k(y,y) = 0 */
        sx[0] = 0;
        sy[0] = ivl_mid(P->beta);
        if (I == NULL)
        {
            /* 1 + 4k(y,y) = 0 */
            sx[1] = 0;
            sy[1] = ivl_mid(P->beta4);
        }
        else
        {
            /* N = 0 */
            sx[1] = ivl_mid(I->cx);
            sy[1] = ivl_mid(I->gam);
        }
        return 2;
    }
    if (I == NULL)
        return 0;
    /* k(y,y) = 0 */
    sx[0] = 0;
    sy[0] = ivl_mid(P->ikap);
    return 1;
}

/* ---- the same formulas in Arb ---- */

void
_neft_k1arb_init(_neft_k1arb_struct * P, const neft_kernel_t k, slong prec)
{
    arb_t t;
    arb_init(t);
    P->type = _neft_k1_engine(k);
    P->sub = k->subtract_bias;
    arb_init(P->a);
    arb_init(P->b);
    arb_init(P->S);
    arb_init(P->A2);
    arb_init(P->c);
    arb_init(P->sab);
    arb_init(P->kap);
    arb_init(P->pi);
    arb_set(P->a, k->sw2);
    arb_set(P->b, k->sb2);
    arb_const_pi(P->pi, prec);
    if (P->type == _NEFT_K1_ERF)
    {
        arb_div(P->S, P->a, P->pi, prec);
        arb_mul_2exp_si(P->S, P->S, 1);                 /* 2 sw2/pi */
        arb_mul_2exp_si(t, P->b, 1);
        arb_add_ui(t, t, 1, prec);                      /* 1 + 2b */
        arb_mul(P->A2, P->a, t, prec);
        arb_mul_2exp_si(P->A2, P->A2, 1);
        arb_mul_2exp_si(P->c, P->b, 1);
        arb_div(P->c, P->c, t, prec);
    }
    else
    {
        arb_div(P->S, P->a, P->pi, prec);
        arb_mul_2exp_si(P->S, P->S, -1);                /* sw2/(2 pi) */
        arb_mul(P->sab, P->a, P->b, prec);
        arb_sqrtpos(P->sab, P->sab, prec);
        arb_div(P->kap, P->a, P->b, prec);
        arb_sqrtpos(P->kap, P->kap, prec);
    }
    arb_clear(t);
}

void
_neft_k1arb_clear(_neft_k1arb_struct * P)
{
    arb_clear(P->a);
    arb_clear(P->b);
    arb_clear(P->S);
    arb_clear(P->A2);
    arb_clear(P->c);
    arb_clear(P->sab);
    arb_clear(P->kap);
    arb_clear(P->pi);
}

void
_neft_k1arb_input_init(_neft_k1arbin_struct * I, const _neft_k1arb_struct * P,
                       const arb_t x, slong prec)
{
    arb_t t;
    arb_init(I->x);
    arb_init(I->ax);
    arb_init(I->cx);
    arb_init(I->C);
    arb_init(I->px);
    arb_init(t);
    arb_set(I->x, x);
    arb_mul(I->ax, P->a, x, prec);
    if (P->type == _NEFT_K1_ERF)
    {
        arb_mul(I->cx, P->c, x, prec);
        /* (1+4b)(1 + 2a x^2/(1+2b)) = (1+4b) + 2 a x^2 (1+4b)/(1+2b) */
        arb_mul_2exp_si(t, P->b, 1);
        arb_add_ui(t, t, 1, prec);
        arb_mul(I->C, I->ax, x, prec);
        arb_mul_2exp_si(I->C, I->C, 1);
        arb_div(I->C, I->C, t, prec);
        arb_add_ui(I->C, I->C, 1, prec);
        arb_mul_2exp_si(t, P->b, 2);
        arb_add_ui(t, t, 1, prec);
        arb_mul(I->C, I->C, t, prec);
    }
    else
    {
        arb_mul(I->px, P->kap, x, prec);
        arb_atan(I->px, I->px, prec);
    }
    arb_clear(t);
}

void
_neft_k1arb_input_clear(_neft_k1arbin_struct * I)
{
    arb_clear(I->x);
    arb_clear(I->ax);
    arb_clear(I->cx);
    arb_clear(I->C);
    arb_clear(I->px);
}

void
_neft_k1arb_eval(arb_t res, const _neft_k1arb_struct * P, const _neft_k1arbin_struct * I,
                 const arb_t y, int side, slong prec)
{
    arb_t k, N, w;
    arb_init(k);
    arb_init(N);
    arb_init(w);
    if (P->type == _NEFT_K1_ERF)
    {
        if (I == NULL)
        {
            /* k = b + a y^2; atan(2k / sqrt(1 + 4k)) */
            arb_sqr(k, y, prec);
            arb_mul(k, k, P->a, prec);
            arb_add(k, k, P->b, prec);
            arb_mul_2exp_si(N, k, 2);
            arb_add_ui(N, N, 1, prec);
        }
        else
        {
            /* kxy = b + a x y; N = A2 (y - c x)^2 + C */
            arb_mul(k, I->ax, y, prec);
            arb_add(k, k, P->b, prec);
            arb_sub(N, y, I->cx, prec);
            arb_sqr(N, N, prec);
            arb_mul(N, N, P->A2, prec);
            arb_add(N, N, I->C, prec);
        }
        arb_sqrtpos(N, N, prec);
        arb_mul_2exp_si(w, k, 1);
        arb_div(w, w, N, prec);
        arb_atan(w, w, prec);
    }
    else if (I == NULL)
    {
        /* (a/2)(b + a y^2) */
        arb_sqr(w, y, prec);
        arb_mul(w, w, P->a, prec);
        arb_add(w, w, P->b, prec);
        arb_mul(w, w, P->a, prec);
        arb_mul_2exp_si(w, w, -1);
        if (P->sub)
            arb_set(res, w);
        else
            arb_add(res, w, P->b, prec);
        arb_clear(k);
        arb_clear(N);
        arb_clear(w);
        return;
    }
    else
    {
        /* s sqrt(ab) (y - x) + (pi - s (atan(kappa y) - p_x)) (b + a x y) */
        arb_sub(w, y, I->x, prec);
        arb_mul(w, w, P->sab, prec);
        arb_mul(N, P->kap, y, prec);
        arb_atan(N, N, prec);
        arb_sub(N, N, I->px, prec);
        if (side < 0)
        {
            arb_neg(w, w);
            arb_neg(N, N);
        }
        arb_sub(N, P->pi, N, prec);
        arb_mul(k, I->ax, y, prec);
        arb_add(k, k, P->b, prec);
        arb_addmul(w, N, k, prec);
    }
    arb_mul(w, w, P->S, prec);
    if (P->sub)
        arb_set(res, w);
    else
        arb_add(res, w, P->b, prec);
    arb_clear(k);
    arb_clear(N);
    arb_clear(w);
}

/* ---- the double-interval kernels of the erf and relu rows (neft_kernel_eval_ivl) ---- */

static int
k1_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo, double xhi,
       double ylo, double yhi)
{
    _neft_k1_struct P;
    _neft_k1in_struct I;
    arb_t x;
    ivl r, y = ivl_set(ylo, yhi);
    int ok;
    if (!(xlo <= xhi) || !(ylo <= yhi) || !_neft_k1_init(&P, k))
        return 0;
    arb_init(x);
    arf_set_d(arb_midref(x), xlo);
    if (xhi > xlo)
    {
        arb_t t;
        arb_init(t);
        arf_set_d(arb_midref(t), xhi);
        arb_union(x, x, t, 64);
        arb_clear(t);
    }
    _neft_k1_input(&I, &P, x);
    arb_clear(x);
    if (P.type == _NEFT_K1_ERF || ylo >= xhi)
        r = _neft_k1_eval(&P, &I, y, 1);
    else if (yhi <= xlo)
        r = _neft_k1_eval(&P, &I, y, -1);
    else if (xlo == xhi)
    {
        /* both sides of the kink at y = x */
        ivl r2 = _neft_k1_eval(&P, &I, ivl_set(xlo, yhi), 1);
        r = _neft_k1_eval(&P, &I, ivl_set(ylo, xlo), -1);
        r.lo = FLINT_MIN(r.lo, r2.lo);
        r.hi = FLINT_MAX(r.hi, r2.hi);
    }
    else
        return 0;           /* overlapping intervals across the kink */
    ok = ivl_is_finite(r);
    if (ok)
    {
        *lo = r.lo;
        *hi = r.hi;
    }
    return ok;
}

int
_neft_kernel_erf_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                     double xhi, double ylo, double yhi)
{
    return _neft_k1_engine(k) == _NEFT_K1_ERF && k1_ivl(lo, hi, k, xlo, xhi, ylo, yhi);
}

int
_neft_kernel_relu_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                      double xhi, double ylo, double yhi)
{
    return _neft_k1_engine(k) == _NEFT_K1_RELU && k1_ivl(lo, hi, k, xlo, xhi, ylo, yhi);
}
