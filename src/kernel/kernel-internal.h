/* Private to src/kernel: the methods of the kernel rows (neft/act.h's
   neft_act_kernel_struct) and what they share. */
#ifndef NEFT_KERNEL_INTERNAL_H
#define NEFT_KERNEL_INTERNAL_H

#include "neft/kernel.h"

/* The method tables the rows of src/act/table.c point to. */
extern const neft_act_kernel_struct _neft_kernel_relu_methods;
extern const neft_act_kernel_struct _neft_kernel_leaky_methods;
extern const neft_act_kernel_struct _neft_kernel_linear_methods;
extern const neft_act_kernel_struct _neft_kernel_erf_methods;
extern const neft_act_kernel_struct _neft_kernel_sin_methods;
extern const neft_act_kernel_struct _neft_kernel_gauss_methods;

/* The double-interval versions (d_in = 1), in src/integrate/kern1.c next to
   the interval arithmetic they use (neft_kernel_eval_ivl). */
int _neft_kernel_erf_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                         double xhi, double ylo, double yhi);
int _neft_kernel_relu_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                          double xhi, double ylo, double yhi);

/* The sums over the d coordinates of real points x, y: xy = x.y, xx = |x|^2,
   yy = |y|^2, cross = sum_{i<j} (x_i y_j - x_j y_i)^2. */
void _neft_kernel_dots_arb(arb_t cross, arb_t xy, arb_t xx, arb_t yy, arb_srcptr x,
                           arb_srcptr y, slong d, slong prec);
void _neft_kernel_dots_acb(acb_t cross, acb_t xy, acb_t xx, acb_t yy, acb_srcptr x,
                           acb_srcptr y, slong d, slong prec);

/* k(y, y) = b + a |y|^2 for complex y (a = sigma_w^2 / d). */
void _neft_kernel_kyy_acb(acb_t res, const neft_kernel_t k, acb_srcptr y, slong prec);

/* res + b unless the bias is subtracted. */
void _neft_kernel_bias_arb(arb_t res, const neft_kernel_t k, slong prec);
void _neft_kernel_bias_acb(acb_t res, const neft_kernel_t k, slong prec);

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
