/* Private to src/integrate: the methods behind neft_integrate_vint. */
#ifndef NEFT_INTEGRATE_INTERNAL_H
#define NEFT_INTEGRATE_INTERNAL_H

#include "neft/integrate.h"

/* 1 if the d balls of x and y are identical (same midpoints and radii). */
static inline int
_neft_vec_identical(arb_srcptr x, arb_srcptr y, slong d)
{
    slong i;
    for (i = 0; i < d; i++)
        if (!arb_equal(x + i, y + i))
            return 0;
    return 1;
}

slong _neft_integrate_cache_find(neft_integrate_cache_t c, const neft_vint_t v);
void _neft_integrate_cache_add(neft_integrate_cache_t c, const neft_vint_t v,
                               const arb_t val, int status);

/* GaussNet, one vertex, any d: closed form.  L may be +inf. */
int _neft_integrate_gauss1(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                           const arf_t L, slong prec, char * err, size_t errsize);

/* ReLU, sigma_b = 0, d = 1, any m: closed form (finite L). */
int _neft_integrate_relu0(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                          const arf_t L, slong prec);

/* acb_calc_integrate, nested over the m d <= 3 coordinates (finite L). */
int _neft_integrate_quad(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                         const arf_t L, const neft_integrate_opt_t opt, slong prec);

/* ReLU, sigma_b > 0, d = 1, two vertices: the inner path bends through the
   complex split point z = y (finite L). */
int _neft_integrate_relu_pair(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                              const arf_t L, const neft_integrate_opt_t opt, slong prec);

#endif
