/* Private to src/integrate: functions on wide complex boxes (cbox.c). */
#ifndef NEFT_INTEGRATE_CBOX_H
#define NEFT_INTEGRATE_CBOX_H

#include <acb.h>

/* res = the range of x^2 over the real ball x (a ball containing it). */
void _neft_arb_sqr_range(arb_t res, const arb_t x, slong prec);

/* res contains sqrt(z) (principal branch) for every z in the box; when
   Re z > 0 on the box from the monotonicity of Re sqrt, else as
   acb_sqrt_analytic(res, z, an, prec) (non-finite if an and not holomorphic). */
void _neft_acb_sqrt_box(acb_t res, const acb_t z, int an, slong prec);

/* res contains atan(w) for every w in the box; with an set, non-finite
   unless atan is holomorphic on the box (|Im w| < 1 or Re w != 0). */
void _neft_acb_atan_box(acb_t res, const acb_t w, int an, slong prec);

/* res contains x / y for every x, y in the boxes; non-finite when y may be 0. */
void _neft_acb_div_box(acb_t res, const acb_t x, const acb_t y, slong prec);

/* res += z^2 for a complex box z, the squares of Re z and Im z as ranges. */
void _neft_acb_addsqr_range(acb_t res, const acb_t z, slong prec);

#endif
