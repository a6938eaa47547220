/* Private to src/integrate/twovtx2_erffar*.c (and its white-box test): the
   far-field pieces of the Erf two-vertex integrals in d_in = 2
   (docs/integrate.md, "Stop 33" and "Stop 34").

   Far coordinates: a point z = e / w on the boundary ray of side k of the
   square, e = R_k (1, s), w = 1/t in (0, 1/R]: dz = w^-3 dw ds.  With a =
   sigma_w^2 / 2, b = sigma_b^2, c = 2 sigma_w^2 / pi and B = b (0 with
   subtract_bias) the kernels are, exactly for w > 0,
     K(x, e/w) = B + c atan(2(b w + a x.e) / sqrt(N(w))),
       N(w) = (1 + 4b + (2a + 4ab)|x|^2) w^2 - 8ab (x.e) w
              + (2a + 4ab)|e|^2 + 4a^2 (x ^ e)^2,
     K(e/w, e/w) = B + c (pi/2 - atan(w sqrt((1 + 4b) w^2 + 4a|e|^2)
                                       / (2(b w^2 + a|e|^2)))),
   both analytic at w = 0 (|e|^2 = e.e, x ^ e = x0 e1 - x1 e0 as
   polynomials: the continuation to complex e). */
#ifndef NEFT_INTEGRATE_TWOVTX2_ERFFAR_H
#define NEFT_INTEGRATE_TWOVTX2_ERFFAR_H

#include "internal.h"
#include "cbox_ivl.h"
#ifdef NEFT_FLINT3
#include <flint/arb_poly.h>
#else
#include <arb_poly.h>
#endif

/* c[0 .. 5) = (c0, c1, c2, n0, n1): N(w) = c0 + c1 w + c2 w^2 and the
   numerator n0 + n1 w of the leg K(x, e/w) above (real x, e) */
void _neft_erffar_leg_coeffs(arb_ptr c, const neft_kernel_struct * k, arb_srcptr x,
                             arb_srcptr e, slong prec);

/* res[0 .. len) = B + cc atan(num / sqrt(N)) as truncated series (Arb's
   sqrt, division and atan series): the arcsine kernel's common tail for the
   legs and the links; balls containing the exact coefficients where N[0] > 0 */
void _neft_erffar_atan_series(arb_ptr res, arb_srcptr num, arb_srcptr N, slong len,
                              const arb_t cc, const arb_t B, slong prec);

/* res[0 .. len) = the Taylor coefficients of K(x, e / w(u)) in u, the leg
   given by its coefficients c (_neft_erffar_leg_coeffs), w by its len
   coefficients w[0 .. len) (w[0] >= 0: w = 0 + u is the jet at infinity;
   N(w[0]) > 0 is needed, true for real w[0]).  Balls containing the exact
   coefficients. */
void _neft_erffar_leg_series(arb_ptr res, const neft_kernel_struct * k, arb_srcptr c,
                             arb_srcptr w, slong len, slong prec);

/* cc = 2 sigma_w^2 / pi and B = sigma_b^2 (0 with subtract_bias): the
   constants of the leg K(x, e/w) above, for _neft_erffar_leg_value */
void _neft_erffar_leg_consts(arb_t cc, arb_t B, const neft_kernel_struct * k, slong prec);

/* res = K(x, e/w) = B + cc atan((n0 + n1 w) / sqrt(N(w))) at one real w
   (N(w) > 0), the leg given by its coefficients c, the constants by
   _neft_erffar_leg_consts (inner loops compute them once); t is scratch.
   A ball containing the value; the len = 1 case of _neft_erffar_leg_series. */
void _neft_erffar_leg_value(arb_t res, arb_srcptr c, const arb_t w, const arb_t cc,
                            const arb_t B, arb_t t, slong prec);

/* the same for the self-loop K(e/w, e/w) */
void _neft_erffar_self_series(arb_ptr res, const neft_kernel_struct * k, arb_srcptr e,
                              arb_srcptr w, slong len, slong prec);

/* K(x, e/w) and K(e/w, e/w) on complex boxes x, e, w: with an set,
   non-finite unless certified holomorphic on the box (the square root's
   argument off (-inf, 0], the atan's off the cuts, no zero divisor) */
void _neft_erffar_leg_acb(acb_t res, const neft_kernel_struct * k, acb_srcptr x,
                          acb_srcptr e, const acb_t w, int an, slong prec);
void _neft_erffar_self_acb(acb_t res, const neft_kernel_struct * k, acb_srcptr e,
                           const acb_t w, int an, slong prec);

/* The same in double intervals (ivl.h, cbox_ivl.h), abc = (a, b, c, B) as
   in _neft_twovtx2_erf_kcivl (twovtx2.h).  On complex boxes (x, e, w): a
   box containing K(x, e/w) resp. K(e/w, e/w), non-finite unless certified
   holomorphic there (the sum-of-squares N of _neft_erffar_leg_acb). */
/* (Where the direct form of the leg's or the link's box is not finite,
   it is taken again in the centred form: N, the numerator and the atan's
   argument Z as P(m) + grad P(box) (v - m), met with the direct boxes, and
   atan(Z) as atan(Z(m)) (Arb) + DZ / (1 + Z^2), |1 + Z^2| >= dist(Z, i)
   dist(Z, -i); docs/integrate.md "Stop 37".  _neft_erffar_civl_centred =
   0: the direct form only, 2: the centred form always, 3: the centred
   form always and not met with the direct boxes (a switch for the bench
   and the tests, not thread-safe).) */
extern int _neft_erffar_civl_centred;
civl _neft_erffar_leg_civl(const ivl * abc, const civl * x, const civl * e, civl w);
civl _neft_erffar_self_civl(const ivl * abc, const civl * e, civl w);

/* On real intervals: c[0 .. 5) the coefficients of _neft_erffar_leg_coeffs
   (enclosures), the leg K(x, e/w) from them at w (an enclosure; non-finite
   if N may vanish: the expanded N is for narrow boxes), the self-loop
   K(e/w, e/w) at (e, w). */
void _neft_erffar_leg_coeffs_ivl(ivl * c, const ivl * abc, const ivl * x, const ivl * e);
ivl _neft_erffar_leg_ivl(const ivl * abc, const ivl * c, ivl w);
ivl _neft_erffar_self_ivl(const ivl * abc, const ivl * e, ivl w);

/* The 3-term jets at w = 0 (the far field) in double intervals: K[0 .. 3)
   enclose the Taylor coefficients of the leg K(x, e/w) (from its
   coefficients c, _neft_erffar_leg_coeffs_ivl) resp. of the self-loop
   K(e/w, e/w) (real e). */
void _neft_erffar_leg_jet_ivl(ivl * K, const ivl * abc, const ivl * c);
void _neft_erffar_self_jet_ivl(ivl * K, const ivl * abc, const ivl * e);

/* The link K(e/w, e'/w') with both points far, in the sum-of-squares form
   of N w^2 w'^2 (docs/integrate.md "Stop 33"), on complex boxes (non-finite
   unless certified holomorphic) and on real intervals; cross2 (cross):
   (e ^ e')^2 (e ^ e') when given (the sheared maps' delta). */
civl _neft_erffar_link_civl(const ivl * abc, const civl * e, civl w, const civl * ep, civl wp,
                            const civl * cross2);
ivl _neft_erffar_link_ivl(const ivl * abc, const ivl * e, ivl w, const ivl * ep, ivl wp,
                          const ivl * cross);

/* The piece with both points far:
     I_EE = \int_{y in S_L \ S_R} A(y) \int_{z in S_L \ S_R} B(z) K(y, z)^r dz dy,
   both in far coordinates (y = e/w, z = e'/w', w, w' in [1/L, 1/R]), the 16
   side pairs, those of even difference sheared as in POLAR4 (delta = s' - s
   of one sign, so e ^ e' = +-delta exactly: the ridge or the opposite ray
   at delta = 0).  No Duffy map: the cone point w = w' = delta = 0 lies at
   distance ~ 1/L from the domain, so the boxes near it are bisected and the
   work grows with L (meant for L up to ~10; docs/integrate.md "Stop 35").
   Node values and bounds in double intervals (refused with
   NEFT_INTEGRATE_UNSUPPORTED where they are not usable).  Statuses and
   res as _neft_twovtx2_erffar_one. */
int _neft_twovtx2_erffar_ee(arb_t res, const neft_vint_t v, const neft_kernel_t k, double R,
                            const arf_t L, slong goal, slong budget, slong * evals, slong prec);

/* The box stack's verbosity in _neft_twovtx2_erffar_ee (0: silent; 2: one
   line per rule on stderr, the input of bench/ee_where_twovtx2_erf.py):
   for the bench mode of tests/t-twovtx2-erffar.c only, not thread-safe. */
extern int _neft_twovtx2_erffar_ee_verbose;

/* The piece with one point far:
     I_SE = \int_{y in [-R, R]^2} A(y) \int_{z in S_L \ S_R} B(z) K(y, z)^r dz dy,
   y the vertex `near` (0 or 1) with its legs and self-loops A, z the other
   with B, S_L = [-L, L]^2, L > R > 0.  The z integral in far coordinates:
   w in [1/L, 1/R] cut at wc (< 1/R); on [max(wc, 1/L), 1/R] the plain
   integrand w^-3 g(w) (g = B K^r); on [1/L, wc] (when 1/L < wc) the Taylor
   part g0 + g1 w + g2 w^2 of g at w = 0 in closed form (L^2, L, log L) and
   the remainder h = (g - g0 - g1 w - g2 w^2) / w^3, analytic on the disk
   |w| <= rho0 (> wc) where g is (certified by complex boxes covering it,
   which also give M >= |g| there and |h| <= M / (rho0^2 (rho0 - |w|)),
   |g_j| <= M rho0^-j: the bounds of the Gauss-Legendre rules near w = 0).
   The 4-D integrals over (y1, y2, s, w) by the box stack of twovtx2_stack.c
   (tensor Gauss-Legendre with Bernstein bounds) to relative 2^-goal of an
   estimate of \int |F|; a sliver between 1/L and the double next to it is
   bounded by its volume times (|b| + sigma_w^2)^factors.  The node count
   does not grow with L (the w interval is [1/L, wc] and h has no
   cancellation in the bounds).  res: a ball containing I_SE.  evals: the
   node values spent (may be NULL).  Returns NEFT_INTEGRATE_SUCCESS, or
   NEFT_INTEGRATE_NO_CONVERGENCE (budget spent: a wider ball, still an
   enclosure), NEFT_INTEGRATE_UNSUPPORTED (v not two vertices in d_in = 2,
   bad R, wc, rho0 or L: res indeterminate). */
int _neft_twovtx2_erffar_one(arb_t res, const neft_vint_t v, const neft_kernel_t k, slong near,
                             double R, double wc, double rho0, const arf_t L, slong goal,
                             slong budget, slong * evals, slong prec);

/* The far field of I_EE (twovtx2_erffar_jet.c; docs/integrate.md "Stop
   37"): g[3 i + j] (i, j < 3) are balls containing the Taylor coefficients
   of w^i w'^j at w = w' = 0 of G(w, w') = A(e/w) B(e'/w') K(e/w, e'/w')^r
   (the legs and self-loops of vertex 0 at y = e/w, of vertex 1 at z =
   e'/w', and the r links), for real e, e'.  G is analytic at 0 when
   e ^ e' != 0; at e ^ e' = 0 (the cone points of "Stop 33", where the link
   is in general not analytic) the balls are non-finite.  The links' bivariate jet is taken by polarization (the
   series along (t, t m), m = 0 .. 4, interpolated in m). */
void _neft_erffar_ee_jet(arb_ptr g, const neft_vint_struct * v, const neft_kernel_struct * k,
                         arb_srcptr e, arb_srcptr ep, slong prec);

/* m[i] = \int_{1/L}^{hi} w^(i - 3) dw for i = 0, 1, 2, exactly:
   (L^2 - hi^-2)/2, L - 1/hi, log(L hi) (L, hi > 0) */
void _neft_erffar_moments(arb_ptr m, const arb_t L, const arb_t hi, slong prec);

/* res = sum_{i, j < 3} g_ij m_i m_j: the Taylor part of G (g from
   _neft_erffar_ee_jet) integrated against w^-3 w'^-3 over [1/L, hi]^2 */
void _neft_erffar_ee_taylor(arb_t res, arb_srcptr g, const arb_t L, const arb_t hi,
                            slong prec);

#endif
