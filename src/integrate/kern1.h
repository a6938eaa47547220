/* Private to src/integrate: the Erf and ReLU (sigma_b > 0) kernels in
   d_in = 1 in double-precision interval arithmetic (ivl.h), with a = sw2,
   b = sb2 (b omitted when the bias is subtracted):
     Erf:  K = b + sw2 (2/pi) atan(2 k(x,y) / sqrt(N)),
           N = 2a(1+2b) (y - c x)^2 + (1+4b)(1 + 2a x^2/(1+2b)), c = 2b/(1+2b),
           the form of src/kernel without cancellation (docs/kernels.md);
     ReLU: K = b + sw2/(2 pi) (sqrt(G) + (pi - t) k(x,y)).  In d_in = 1,
           k(x,y) = e_x . e_y with e_x = (sqrt b, sqrt a x) = |e_x| (cos p_x,
           sin p_x), p_x = atan(kappa x), kappa = sqrt(a/b), so the angle is
           t = |p_y - p_x| and sqrt(G) = |e_x||e_y| sin t = sqrt(ab) |y - x|.
           On the side s = sgn(y - x) of the kink (one-sided continuation):
             K = b + sw2/(2 pi) (s sqrt(ab) (y - x) + (pi - s (p_y - p_x)) (b + a x y)),
           holomorphic except at y = +-i/kappa.  Where k(x,y) < 0 (x, y of
           opposite signs, pi - t < pi/2) the two terms nearly cancel when
           t is near pi; there pi - t = atan(1/(kappa|x|)) + atan(1/(kappa|y|))
           and s sqrt(ab)(y - x) + (pi - t) k(x,y) = r (sin p - p cos p) =
           r p^3 (1/3 - p^2/30 + ...), p = pi - t, r = sqrt(G + k(x,y)^2);
     self-loops K(y,y): Erf b + sw2 (2/pi) atan(2k/sqrt(1+4k)), ReLU
           b + sw2 k/2, k = b + a y^2.
   Real values at points enclose the kernel.  For the ellipse bounds, the
   modulus of the derivative of the analytic continuation has closed forms
   in the distances to the kernel's singular points (kern1.c), whatever the
   branch; a bound of |K'| on a rectangle around an ellipse then bounds |K|
   there through |K(z)| <= |K(c)| + |z - c| sup |K'|. */
#ifndef NEFT_INTEGRATE_KERN1_H
#define NEFT_INTEGRATE_KERN1_H

#include "ivl.h"
#include "neft/kernel.h"

/* The rows whose kernels have an engine here (per row: any other row has
   none, _neft_k1_engine returns 0). */
#define _NEFT_K1_ERF  1
#define _NEFT_K1_RELU 2
int _neft_k1_engine(const neft_kernel_t k);

/* The double-interval kernels of the erf and relu rows (their act rows'
   kernel->eval_ivl; neft_kernel_eval_ivl). */
int _neft_kernel_erf_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                         double xhi, double ylo, double yhi);
int _neft_kernel_relu_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                          double xhi, double ylo, double yhi);

typedef struct
{
    int type;          /* _NEFT_K1_* */
    int sub;
    ivl a, b;          /* sw2, sb2 */
    ivl S;             /* Erf 2 sw2/pi, ReLU sw2/(2 pi) */
    ivl A2, c, opb;    /* Erf: 2a(1+2b), 2b/(1+2b), 1+2b */
    ivl beta;          /* Erf: sqrt((1+2b)/(2a)); 1+2k(y,y) = 2a (y^2 + beta^2) */
    ivl beta4;         /* Erf: sqrt((1+4b)/(4a)); 1+4k(y,y) = 4a (y^2 + beta4^2) */
    ivl sab, kap;      /* ReLU: sqrt(ab), sqrt(a/b) */
    ivl ikap;          /* ReLU: sqrt(b/a) */
}
_neft_k1_struct;

typedef struct
{
    ivl x, ax;         /* x, a x */
    ivl cx, C, gam;    /* Erf: c x, (1+4b)(1 + 2a x^2/(1+2b)), sqrt(C/A2) */
    ivl kxx1;          /* Erf: 1 + 2b + 2a x^2 */
    ivl px;            /* ReLU: atan(kappa x) */
    ivl qx;            /* ReLU: atan(1/(kappa |x|)) = pi/2 - |p_x| */
}
_neft_k1in_struct;

/* 1 if k is Erf, or ReLU with sigma_b > 0, in d_in = 1, with finite
   parameters in a moderate range, and interval arithmetic is usable; then P
   is set. */
int _neft_k1_init(_neft_k1_struct * P, const neft_kernel_t k);

/* The input point x (an enclosure of it when it is not a double). */
void _neft_k1_input(_neft_k1in_struct * I, const _neft_k1_struct * P, const arb_t x);

/* K(x, y) on the real interval y (I == NULL: K(y, y)); side (ReLU) = +1 when
   y >= x on the panel, -1 when y <= x. */
ivl _neft_k1_eval(const _neft_k1_struct * P, const _neft_k1in_struct * I, ivl y, int side);

/* An upper bound of |K'(z)| over the rectangle [xl, xh] x [-yh, yh] for the
   analytic continuation of y -> K(x, y) (one-sided for ReLU); INFINITY when
   the rectangle may contain a singular point (then no single-valued
   continuation to it is claimed).  rad bounds |z - m| over the rectangle for
   the real point m (any point of it; for ReLU on the panel's side). */
double _neft_k1_dbound(const _neft_k1_struct * P, const _neft_k1in_struct * I, int side,
                       double xl, double xh, double yh, double m, double rad);

/* The singular points of y -> K(x, y) in the upper half plane (approximate,
   for choosing ellipses): up to 2, returned count. */
int _neft_k1_sing(const _neft_k1_struct * P, const _neft_k1in_struct * I, double * sx,
                  double * sy);

/* The same real formulas in Arb (for accuracy goals beyond double):
   constants computed once at prec bits. */
typedef struct
{
    int type;          /* _NEFT_K1_* */
    int sub;
    arb_t a, b, S, A2, c, sab, kap, pi;
}
_neft_k1arb_struct;

typedef struct
{
    arb_t x, ax, cx, C, px;
}
_neft_k1arbin_struct;

/* For Erf, or ReLU with sigma_b > 0, in d_in = 1. */
void _neft_k1arb_init(_neft_k1arb_struct * P, const neft_kernel_t k, slong prec);
void _neft_k1arb_clear(_neft_k1arb_struct * P);
void _neft_k1arb_input_init(_neft_k1arbin_struct * I, const _neft_k1arb_struct * P,
                            const arb_t x, slong prec);
void _neft_k1arb_input_clear(_neft_k1arbin_struct * I);

/* K(x, y) at the real ball y (I == NULL: K(y, y)); side as _neft_k1_eval. */
void _neft_k1arb_eval(arb_t res, const _neft_k1arb_struct * P, const _neft_k1arbin_struct * I,
                      const arb_t y, int side, slong prec);

#endif
