/* Erf, two vertices, d_in = 2: the far field of the piece with both points
   far (twovtx2_erffar.h, _neft_erffar_ee_jet; docs/integrate.md "Stop 37").
   With y = e/w, z = e'/w' the integrand of I_EE is w^-3 w'^-3 G(w, w') and
   G = A(e/w) B(e'/w') K(e/w, e'/w')^r is analytic at w = w' = 0 when
   e ^ e' != 0; its Taylor part sum g_ij w^i w'^j (i, j < 3) integrates
   against w^-3 w'^-3 in closed form (_neft_erffar_moments), with the
   cutoff L exact. */

#include "twovtx2_erffar.h"
#ifdef NEFT_FLINT3
#include <flint/arb_poly.h>
#else
#include <arb_poly.h>
#endif

#define JLEN 5          /* total degree <= 4 = 2 + 2 */

/* the link K(e/(t u), e'/(t v)) as a series in t (length JLEN):
   B + c atan(2X / sqrt(Nt)), X = b t^2 u v + a e.e',
   Nt = (1 + 4b) t^4 u^2 v^2 + 2a t^2 (v^2 |e|^2 + u^2 |e'|^2)
        + 4ab t^2 |v e - u e'|^2 + 4a^2 (e ^ e')^2 */
static void
link_series(arb_ptr res, const neft_kernel_struct * k, arb_srcptr e, arb_srcptr ep,
            const arb_t u, const arb_t v, slong prec)
{
    arb_ptr X = _arb_vec_init(JLEN), N = _arb_vec_init(JLEN);
    arb_t a, cc, B, t, d0, d1;
    arb_init(a); arb_init(cc); arb_init(B); arb_init(t); arb_init(d0); arb_init(d1);
    arb_mul_2exp_si(a, k->sw2, -1);
    _neft_erffar_leg_consts(cc, B, k, prec);
    /* X = 2 (b u v t^2 + a e.e') */
    arb_mul(X + 2, u, v, prec);
    arb_mul(X + 2, X + 2, k->sb2, prec);
    arb_mul(X + 0, e, ep, prec);
    arb_addmul(X + 0, e + 1, ep + 1, prec);
    arb_mul(X + 0, X + 0, a, prec);
    _arb_vec_scalar_mul_2exp_si(X, X, JLEN, 1);
    /* N[4] = (1 + 4b) u^2 v^2 */
    arb_mul_2exp_si(t, k->sb2, 2);
    arb_add_ui(t, t, 1, prec);
    arb_mul(N + 4, u, v, prec);
    arb_sqr(N + 4, N + 4, prec);
    arb_mul(N + 4, N + 4, t, prec);
    /* N[2] = 2a (v^2 |e|^2 + u^2 |e'|^2) + 4ab |v e - u e'|^2 */
    arb_sqr(t, e, prec);
    arb_addmul(t, e + 1, e + 1, prec);
    arb_mul(N + 2, t, v, prec);
    arb_mul(N + 2, N + 2, v, prec);
    arb_sqr(t, ep, prec);
    arb_addmul(t, ep + 1, ep + 1, prec);
    arb_mul(t, t, u, prec);
    arb_addmul(N + 2, t, u, prec);
    arb_mul(N + 2, N + 2, a, prec);
    arb_mul_2exp_si(N + 2, N + 2, 1);
    arb_mul(d0, v, e, prec);
    arb_submul(d0, u, ep, prec);
    arb_mul(d1, v, e + 1, prec);
    arb_submul(d1, u, ep + 1, prec);
    arb_sqr(t, d0, prec);
    arb_addmul(t, d1, d1, prec);
    arb_mul(t, t, a, prec);
    arb_mul(t, t, k->sb2, prec);
    arb_mul_2exp_si(t, t, 2);
    arb_add(N + 2, N + 2, t, prec);
    /* N[0] = 4 a^2 (e ^ e')^2 */
    arb_mul(t, e, ep + 1, prec);
    arb_submul(t, e + 1, ep, prec);
    arb_mul(t, t, a, prec);
    arb_sqr(N + 0, t, prec);
    arb_mul_2exp_si(N + 0, N + 0, 2);
    _neft_erffar_atan_series(res, X, N, JLEN, cc, B, prec);
    _arb_vec_clear(X, JLEN);
    _arb_vec_clear(N, JLEN);
    arb_clear(a); arb_clear(cc); arb_clear(B); arb_clear(t); arb_clear(d0); arb_clear(d1);
}

/* f[0 .. 3): the Taylor coefficients at w = 0 of the legs and self-loops
   of vertex p at the far point e/w */
static void
vertex_jet(arb_ptr f, const neft_vint_struct * v, const neft_kernel_struct * k, slong p,
           arb_srcptr e, slong prec)
{
    arb_ptr w = _arb_vec_init(3), s = _arb_vec_init(3), c = _arb_vec_init(5), t = _arb_vec_init(3);
    slong i, loops = v->A[p * (NEFT_INTEGRATE_MAX_VERTICES + 1)];
    arb_one(w + 1);
    _arb_vec_zero(f, 3);
    arb_one(f);
    for (i = 0; i < v->nlegs; i++)
        if (v->vertex[i] == p)
        {
            _neft_erffar_leg_coeffs(c, k, v->point + 2 * i, e, prec);
            _neft_erffar_leg_series(s, k, c, w, 3, prec);
            _arb_poly_mullow(t, f, 3, s, 3, 3, prec);
            _arb_vec_set(f, t, 3);
        }
    if (loops)
    {
        _neft_erffar_self_series(s, k, e, w, 3, prec);
        for (i = 0; i < loops; i++)
        {
            _arb_poly_mullow(t, f, 3, s, 3, 3, prec);
            _arb_vec_set(f, t, 3);
        }
    }
    _arb_vec_clear(w, 3);
    _arb_vec_clear(s, 3);
    _arb_vec_clear(c, 5);
    _arb_vec_clear(t, 3);
}

void
_neft_erffar_ee_jet(arb_ptr g, const neft_vint_struct * v, const neft_kernel_struct * k,
                    arb_srcptr e, arb_srcptr ep, slong prec)
{
    arb_ptr A = _arb_vec_init(3), Bz = _arb_vec_init(3), Lr = _arb_vec_init(9);
    arb_ptr ser[JLEN], xs = _arb_vec_init(JLEN), ys = _arb_vec_init(JLEN);
    arb_poly_t p;
    arb_t one, vv;
    slong r = v->A[1], m, n, i, j, i1, j1;
    arb_init(one); arb_init(vv);
    arb_poly_init(p);
    arb_one(one);
    vertex_jet(A, v, k, 0, e, prec);
    vertex_jet(Bz, v, k, 1, ep, prec);
    /* the links' bivariate jet (K^r)_ij by polarization: along (t, t v_m),
       v_m = m, the t^n coefficient is sum_j (K^r)_{n-j, j} v_m^j, a
       polynomial of degree n in v_m, interpolated from v_0 .. v_n */
    for (m = 0; m < JLEN; m++)
    {
        arb_ptr s = _arb_vec_init(JLEN), q = _arb_vec_init(JLEN);
        ser[m] = _arb_vec_init(JLEN);
        arb_one(ser[m]);
        arb_set_ui(vv, m);
        if (r > 0)
        {
            link_series(s, k, e, ep, one, vv, prec);
            for (i = 0; i < r; i++)
            {
                _arb_poly_mullow(q, ser[m], JLEN, s, JLEN, JLEN, prec);
                _arb_vec_set(ser[m], q, JLEN);
            }
        }
        _arb_vec_clear(s, JLEN);
        _arb_vec_clear(q, JLEN);
    }
    _arb_vec_zero(Lr, 9);
    for (n = 0; n < JLEN; n++)
    {
        for (m = 0; m <= n; m++)
        {
            arb_set_ui(xs + m, m);
            arb_set(ys + m, ser[m] + n);
        }
        arb_poly_interpolate_newton(p, xs, ys, n + 1, prec);
        for (j = 0; j <= n; j++)
            if (j < 3 && n - j < 3)
                arb_poly_get_coeff_arb(Lr + 3 * (n - j) + j, p, j);
    }
    /* g = A(w) B(w') (K^r)(w, w'), truncated at i, j < 3 */
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++)
        {
            arb_zero(g + 3 * i + j);
            for (i1 = 0; i1 <= i; i1++)
                for (j1 = 0; j1 <= j; j1++)
                {
                    arb_mul(vv, A + i1, Bz + j1, prec);
                    arb_addmul(g + 3 * i + j, vv, Lr + 3 * (i - i1) + (j - j1), prec);
                }
        }
    for (m = 0; m < JLEN; m++)
        _arb_vec_clear(ser[m], JLEN);
    _arb_vec_clear(A, 3);
    _arb_vec_clear(Bz, 3);
    _arb_vec_clear(Lr, 9);
    _arb_vec_clear(xs, JLEN);
    _arb_vec_clear(ys, JLEN);
    arb_poly_clear(p);
    arb_clear(one); arb_clear(vv);
}

void
_neft_erffar_moments(arb_ptr m, const arb_t L, const arb_t hi, slong prec)
{
    arb_t t;
    arb_init(t);
    /* (L^2 - hi^-2) / 2 */
    arb_inv(t, hi, prec);
    arb_sqr(m + 0, L, prec);
    arb_submul(m + 0, t, t, prec);
    arb_mul_2exp_si(m + 0, m + 0, -1);
    /* L - 1/hi */
    arb_sub(m + 1, L, t, prec);
    /* log(L hi) */
    arb_mul(t, L, hi, prec);
    arb_log(m + 2, t, prec);
    arb_clear(t);
}

void
_neft_erffar_ee_taylor(arb_t res, arb_srcptr g, const arb_t L, const arb_t hi, slong prec)
{
    arb_ptr m = _arb_vec_init(3);
    arb_t t;
    slong i, j;
    arb_init(t);
    _neft_erffar_moments(m, L, hi, prec);
    arb_zero(res);
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++)
        {
            arb_mul(t, m + i, m + j, prec);
            arb_addmul(res, t, g + 3 * i + j, prec);
        }
    _arb_vec_clear(m, 3);
    arb_clear(t);
}
