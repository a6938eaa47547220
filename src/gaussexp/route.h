/* Private to src/gaussexp and its white-box tests: the 2-D routes of
   neft_gaussexp_product and neft_gaussexp_poly (src/gaussexp/gaussexp.c). */
#ifndef NEFT_GAUSSEXP_ROUTE_H
#define NEFT_GAUSSEXP_ROUTE_H

#include "neft/gaussexp.h"

#define _NEFT_GAUSSEXP_AUTO  0   /* Mehler (two directions, no weight), else Cartesian
                                    without a kink, polar with one */
#define _NEFT_GAUSSEXP_POLAR 1   /* nested polar (theta outside, r inside), kinks split */
#define _NEFT_GAUSSEXP_CART  2   /* nested Cartesian (xi_1 outside, xi_2 inside); no kink */
#define _NEFT_GAUSSEXP_MEHLER 3  /* Mehler's series (src/gaussexp/mehler.c), with a weight
                                    too, else Cartesian */

/* E[prod_{a<n} sigma^(deriv)(u_a . xi) W(xi)], W of degree deg with
   coefficients wc[i (deg+1) + j] of xi_1^i xi_2^j (wc NULL and deg 0: W = 1),
   arguments as neft_gaussexp_poly (not checked here), by the given route in
   2-D (dim 1: the one 1-D rule).  Returns as neft_gaussexp_product;
   NEFT_BAD_INPUT for the Cartesian route on a row with a kink. */
int _neft_gaussexp_core(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                        arb_srcptr u, slong n, slong dim, arb_srcptr wc, slong deg, int route,
                        slong prec, char * err, size_t errsize);

/* res = E[F(x) G(y)] for x, y standard normal of correlation rho (|rho| <= 1),
   F(x) = sigma^(deriv)(s0 x)^m0, G(y) = sigma^(deriv)(s1 y)^m1 (s0, s1 > 0,
   m0, m1 >= 1), by Mehler's series of nterms + 1 terms (nterms = 0: 48, 160
   or 512, the first that reaches the goal) with 1-D Hermite coefficients from a
   Gauss-Legendre panel rule and a Cauchy-Schwarz (Parseval) tail
   (src/gaussexp/mehler.c): the error is below about 2^-prec max(1, C)
   (C = sup|sigma^(deriv)|^max(m0, m1)).  Needs a row without a kink that
   declares |sigma| <= sup (deriv 0) or dsup (deriv 1).  Returns
   NEFT_SUCCESS (res contains the value; with nterms > 0 whatever the tail's
   size), NEFT_UNSUPPORTED (the row or the
   arguments do not qualify), NEFT_FAILURE (512 terms or the panel rule do
   not reach the goal: the caller integrates instead), NEFT_INTERRUPTED;
   err says why.  res is indeterminate unless SUCCESS. */
int _neft_gaussexp_mehler(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                          const arb_t s0, slong m0, const arb_t s1, slong m1,
                          const arb_t rho, slong nterms, slong prec, char * err,
                          size_t errsize);

/* As _neft_gaussexp_mehler with a weight: res = E[F(x) G(y) sum_ij c_ij x^i y^j],
   cw[i (P+1) + j] = c_ij (P <= 8; (P + 1)^2 finite balls). */
int _neft_gaussexp_mehler_poly(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                               const arb_t s0, slong m0, const arb_t s1, slong m1,
                               const arb_t rho, arb_srcptr cw, slong P, slong nterms,
                               slong prec, char * err, size_t errsize);

#endif
