/* neft/kernel.h -- the Gaussian-process kernels of single-hidden-layer
 * networks (Halverson-Maiti-Stoner, arXiv:2008.08601, section 2) in Arb ball
 * arithmetic, on real points and -- for analytic integration -- on complex
 * points.
 *
 * With a = sigma_w^2 / d_in, b = sigma_b^2 and k(x,x') = b + a x.x':
 *   GaussNet  K = b + sigma_w^2 exp(-sigma_w^2 |x-x'|^2 / (2 d_in))
 *   Erf       K = b + sigma_w^2 (2/pi) arcsin(2k(x,x') / sqrt((1+2k(x,x))(1+2k(x',x'))))
 *   ReLU      K = b + sigma_w^2/(2 pi) sqrt(k(x,x)k(x',x')) (sin t + (pi - t) cos t),
 *             cos t = k(x,x') / sqrt(k(x,x) k(x',x')),
 *   leaky-relu (slope s)
 *             K = b + sigma_w^2 (s k(x,x') + (1-s)^2/(2 pi) sqrt(k(x,x)k(x',x')) (sin t + (pi - t) cos t)),
 *   linear    K = b + sigma_w^2 k(x,x'),
 *   sin       K = b + sigma_w^2 exp(-(k(x,x) + k(x',x'))/2) sinh k(x,x').
 * Each is a row of the activation table (neft/act.h) with the capability
 * NEFT_ACT_CAP_GP_KERNEL; its methods (act->kernel) are behind the
 * functions below, which a kernel value holds the row for.
 * The bias-subtracted propagator is K - b (the `K_EFT` of the HMS code; see
 * docs/kernels.md for when each is the right one).
 *
 * Evaluated in forms without cancellation (docs/kernels.md):
 *   Erf:  arcsin(w) = atan(2k(x,x') / sqrt(N)),
 *         N = (1+2k(x,x))(1+2k(x',x')) - 4k(x,x')^2
 *           = 2a(1+2b) sum_j (x'_j - c x_j)^2 + 4a^2 sum_{i<j} (x_i x'_j - x_j x'_i)^2
 *             + (1+4b)(1 + 2a|x|^2/(1+2b)),   c = 2b/(1+2b);
 *   ReLU: sqrt(k k') sin t = sqrt(G), G = a b |x-x'|^2 + a^2 sum_{i<j} (x_i x'_j - x_j x'_i)^2,
 *         t = 2 atan(sqrt(G) / (r + k(x,x'))), pi - t = 2 atan(sqrt(G) / (r - k(x,x'))),
 *         r = sqrt(k(x,x) k(x',x')). */
#ifndef NEFT_KERNEL_H
#define NEFT_KERNEL_H

#include "neft/arbcompat.h"
#include "neft/act.h"
#include "neft/net.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct neft_kernel_struct_s
{
    neft_act_srcptr act; /* the activation: a row with NEFT_ACT_GP_KERNEL */
    arb_t param;         /* its parameter (leaky-relu's slope), else 0 */
    slong d;             /* input dimension d_in >= 1 */
    arb_t sw2;           /* sigma_w^2 */
    arb_t sb2;           /* sigma_b^2 */
    int subtract_bias;   /* 1: the propagator is K - sigma_b^2 */
}
neft_kernel_struct;

typedef neft_kernel_struct neft_kernel_t[1];

/* Initialises to GaussNet, d_in = 1, sigma_w = 1, sigma_b = 0. */
void neft_kernel_init(neft_kernel_t k);
void neft_kernel_clear(neft_kernel_t k);
void neft_kernel_set(neft_kernel_t k, const neft_kernel_t s);

/* 1 if k and s are the same kernel (row, parameter, d_in, sigma's and
   subtract_bias, balls compared with arb_equal). */
int neft_kernel_equal(const neft_kernel_t k, const neft_kernel_t s);

/* The kernel of the net's activation (single hidden layer: depth and widths
   are not read) with d_in, sigma_w^2 = C_W, sigma_b^2 = C_b and the row's
   parameter as balls of prec bits; subtract_bias set to 0.  NEFT_SUCCESS, or
   NEFT_UNSUPPORTED with *reason (when not NULL) naming the activation when
   it has no closed-form kernel (k unchanged). */
int neft_kernel_set_net(neft_kernel_t k, const neft_net_t net, const char ** reason,
                        slong prec);

/* The kernel of row act (with NEFT_ACT_GP_KERNEL) with parameter param
   (NULL: the row's default, else 0), d_in = d and the standard deviations
   sw, sb (squared here, with prec bits); subtract_bias set to 0.
   NEFT_SUCCESS or NEFT_UNSUPPORTED (reason as above). */
int neft_kernel_set_act(neft_kernel_t k, neft_act_srcptr act, const arb_t param, slong d,
                        const arb_t sw, const arb_t sb, const char ** reason, slong prec);

/* The row called name ("gaussnet" and the capitalised "ReLU", "Erf",
   "GaussNet" are accepted for gauss, relu, erf), or NULL.  The row may lack
   the GP kernel (neft_act_has(act, NEFT_ACT_CAP_GP_KERNEL, &reason)). */
neft_act_srcptr neft_kernel_lookup_act(const char * name);

/* K(x, y) (minus sigma_b^2 when subtract_bias) for real points x, y of d
   coordinates each.  The ball contains the kernel at every pair of points in
   the input balls; cos t = +-1 and points at the origin are exact cases (no
   infinite or NaN result for finite input). */
void neft_kernel_eval_arb(arb_t res, const neft_kernel_t k, arb_srcptr x, arb_srcptr y,
                          slong prec);

/* K(x, y) for complex points: the analytic continuation from real points.
   When analytic is set the result is non-finite unless the continuation is
   certified holomorphic on the input balls (as acb_calc_func_t with order 1
   requires).  ReLU has no holomorphic continuation through sqrt(G) = 0
   (x' = x when sigma_b > 0) nor through k(x,x) k(x',x') = 0: the result is then
   non-finite; on real input balls that touch such points it falls back to the
   real enclosure. */
void neft_kernel_eval_acb(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y,
                          int analytic, slong prec);

/* K(y, y) on the diagonal, continued to complex y (a self-loop): GaussNet
   b + sigma_w^2; Erf b + sigma_w^2 (2/pi) atan(2k/sqrt(1+4k)); ReLU
   b + sigma_w^2 k / 2, k = k(y,y) (b omitted when subtract_bias).  Holomorphy
   checked when analytic is set. */
void neft_kernel_diag_acb(acb_t res, const neft_kernel_t k, acb_srcptr y, int analytic,
                          slong prec);

/* 1 if the kernel has ReLU's kink (its row's kernel->kink: relu,
   leaky-relu): not analytic at x' = x when sigma_b > 0, nor through the
   origin when sigma_b = 0. */
int neft_kernel_has_kink(const neft_kernel_t k);

/* A kernel with ReLU's kink for d_in = 1 continued from one side of the kink
   at y = x: sqrt(G) is taken as side * sqrt(ab) (y - x) with side = +1 or
   -1, which is the true kernel for real y with side * (y - x) >= 0 and
   holomorphic across y = x.  Non-finite (with analytic set) where not
   certified holomorphic. */
void neft_kernel_side1_acb(acb_t res, const neft_kernel_t k, const acb_t x, const acb_t y,
                           int side, int analytic, slong prec);
#define _neft_kernel_relu1_acb neft_kernel_side1_acb

/* For a kernel with ReLU's kink: the kernel from w = sqrt(G) + (pi - t)
   k(x,x') (the angular combination, _neft_kernel_relu_parts_acb) and kxy =
   k(x,x'): b + sigma_w^2 (s kxy + (1-s)^2 w / (2 pi)) (b omitted when the
   bias is subtracted; s = 0 for relu, which then reads b + sigma_w^2 w/(2 pi)). */
void _neft_kernel_kink_finish(acb_t res, const neft_kernel_t k, const acb_t w,
                              const acb_t kxy, slong prec);

/* K(x, y) for d_in = 1 on the double intervals [xlo, xhi], [ylo, yhi]:
   [*lo, *hi] contains the kernel for every pair of points in them.  0
   when the row has no interval version (or interval arithmetic is not
   usable here, or the parameters are out of its range): nothing set. */
int neft_kernel_eval_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                         double xhi, double ylo, double yhi);

/* The ReLU angular combination sqrt(G) + (pi - t) k(x,x') from sG = sqrt(G)
   (any continuation), kxy = k(x,x') and r = sqrt(k(x,x) k(x',x')), by the
   half-angle forms (holomorphy checked when analytic is set); the kernel is
   b + sigma_w^2/(2 pi) times it. */
void _neft_kernel_relu_parts_acb(acb_t res, const acb_t sG, const acb_t kxy, const acb_t r,
                                 int analytic, slong prec);

/* The same formula with the division and the atan given (the patch
   integrator passes its complex-box versions, src/integrate/cbox.c);
   _neft_kernel_relu_parts_acb is this with acb_div and _neft_acb_atan_analytic. */
typedef void (* _neft_acb_div_func)(acb_t res, const acb_t x, const acb_t y, slong prec);
typedef void (* _neft_acb_atan_func)(acb_t res, const acb_t z, int analytic, slong prec);
void _neft_kernel_relu_parts_acb_with(acb_t res, const acb_t sG, const acb_t kxy,
                                      const acb_t r, int analytic, slong prec,
                                      _neft_acb_div_func divf, _neft_acb_atan_func atanf_);

/* atan(z), non-finite when analytic is set and z may touch a branch cut
   (i(-inf,-1] or i[1,inf)). */
void _neft_acb_atan_analytic(acb_t res, const acb_t z, int analytic, slong prec);

#ifdef __cplusplus
}
#endif
#endif
