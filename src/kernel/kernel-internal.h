/* Private to src/kernel: the methods of the kernel rows (neft/act.h's
   neft_act_kernel_struct) and what they share. */
#ifndef NEFT_KERNEL_INTERNAL_H
#define NEFT_KERNEL_INTERNAL_H

#include "neft/kernel.h"

/* (The method tables the rows of src/act/table.c point to are declared in
   src/act/act-internal.h.) */

/* The double-interval versions (d_in = 1), in src/integrate/kern1.c next to
   the interval arithmetic they use (neft_kernel_eval_ivl). */
int _neft_kernel_erf_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                         double xhi, double ylo, double yhi);
int _neft_kernel_relu_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                          double xhi, double ylo, double yhi);

/* The sums over the d coordinates of points x, y: xy = x.y, xx = |x|^2,
   yy = |y|^2, cross = sum_{i<j} (x_i y_j - x_j y_i)^2 (for real points the
   same operations on the real parts: acb arithmetic on balls with zero
   imaginary parts is arb arithmetic on the real parts). */
void _neft_kernel_dots_arb(arb_t cross, arb_t xy, arb_t xx, arb_t yy, arb_srcptr x,
                           arb_srcptr y, slong d, slong prec);
void _neft_kernel_dots_acb(acb_t cross, acb_t xy, acb_t xx, acb_t yy, acb_srcptr x,
                           acb_srcptr y, slong d, slong prec);

/* k(y, y) = b + a |y|^2 for complex y (a = sigma_w^2 / d). */
void _neft_kernel_kyy_acb(acb_t res, const neft_kernel_t k, acb_srcptr y, slong prec);

/* res + b unless the bias is subtracted. */
void _neft_kernel_bias_arb(arb_t res, const neft_kernel_t k, slong prec);
void _neft_kernel_bias_acb(acb_t res, const neft_kernel_t k, slong prec);

/* The real kernel from the complex one: res = Re f(x, y) on the real balls
   x, y, for the rows whose acb method on real input does exactly the arb
   operations (acb_mul, acb_exp, acb_sinh, ... of balls with zero imaginary
   parts are arb_mul, arb_exp, arb_sinh of the real parts). */
void _neft_kernel_real_of_acb(arb_t res, const neft_kernel_t k, arb_srcptr x, arb_srcptr y,
                              slong prec,
                              void (*f)(acb_t, const neft_kernel_t, acb_srcptr, acb_srcptr,
                                        int, slong));

/* The erf form's tail: res = b + sigma_w^2 (2/pi) atan(num / den) (b omitted
   when the bias is subtracted), atan checked when analytic is set. */
void _neft_kernel_atan_tail(acb_t res, const neft_kernel_t k, const acb_t num,
                            const acb_t den, int analytic, slong prec);

/* 1 if every coordinate of x is real. */
int _neft_kernel_all_real(acb_srcptr x, slong d);

/* The real kernel on the real parts of x, y (imaginary part 0). */
void _neft_kernel_eval_real(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y,
                            slong prec);

/* sigma_w^2 / (2 pi) times the ReLU angular part on real (arb) or complex
   points, without the bias: the ReLU kernel minus b.  The acb version
   follows the holomorphy contract; kxy is set to k(x,y). */
void _neft_kernel_relu_part_arb(arb_t res, arb_t kxy, const neft_kernel_t k, arb_srcptr x,
                                arb_srcptr y, slong prec);
int _neft_kernel_relu_part_acb(acb_t res, acb_t kxy, const neft_kernel_t k, acb_srcptr x,
                               acb_srcptr y, int analytic, slong prec);

#endif
