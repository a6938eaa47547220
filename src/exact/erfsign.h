/* Private to src/exact: the pieces of erf's sign moments (erfsign.c) shared
   with the six-factor moment (erfsign6.c).  docs/cmd-exact.md, "Erf by sign
   moments". */
#ifndef NEFT_EXACT_ERFSIGN_H
#define NEFT_EXACT_ERFSIGN_H

#include <acb_calc.h>
#include "exact-internal.h"

#define NEFT_ERFSIGN_MAXM 6

/* The correlation matrix (m - 2 square, into out) of the others given
   w_a = w_b = 0 for the unit-diagonal covariance I + u (R - I) (R m x m);
   analytic: indeterminate entries unless holomorphic in u (square roots off
   their cut). */
void _neft_erfsign_cond(acb_ptr out, acb_srcptr R, slong m, const acb_t u, slong a, slong b,
                        int analytic, slong prec);

/* (2/pi) r (1 - u^2 r^2)^{-1/2} (holomorphy certified when analytic). */
void _neft_erfsign_pairw(acb_t w, const acb_t r, const acb_t u, int analytic, slong prec);

/* The pairs k < l of m factors with labels lab (the point of each factor;
   NULL: all distinct) up to the permutations that keep the labels (they
   keep R, so their pair terms are equal): the first pair of each class with
   R_kl not exactly 0, and the class's size.  Returns the number of
   classes. */
slong _neft_erfsign_pairs(slong * k, slong * l, slong * mult, acb_srcptr R, slong m,
                          const slong * lab);

/* The integrand of the four-factor moment along Sigma(s) = I + s (R - I)
   (R 4 x 4, lab its labels or NULL):
     dE_4/ds = sum_{k<l} R_kl (2/pi) (1 - s^2 R_kl^2)^{-1/2} (2/pi) asin rho_kl(s);
   as an acb_calc_func_t with param a _neft_erfsign_d4_struct. */
typedef struct
{
    acb_srcptr R;
    const slong * lab;
    int stop;
}
_neft_erfsign_d4_struct;

int _neft_erfsign_d4(acb_ptr res, const acb_t s, void * param, slong order, slong prec);

/* int_0^1 f by Arb's Gauss-Legendre rule with its certified error bound,
   bisected where it fails (each piece to 2^-tol_bits times its length);
   indeterminate when some piece fails at the deepest level. */
void _neft_erfsign_integ(acb_t res, acb_calc_func_t f, void * param, slong tol_bits,
                         slong prec);

/* E[prod_k sign(w_k)] for six factors, w ~ N(0, R) (R 6 x 6 real, unit
   diagonal, positive definite; lab as above), to about 2^-42 absolute
   (erfsign6.c).  SUCCESS, FAILURE (no finite enclosure) or INTERRUPTED. */
int _neft_erfsign6(arb_t res, acb_srcptr R, const slong * lab, slong prec);

/* The dyadic bisection of a depth-first stack of intervals [lo, hi] at
   depth depth: entry top becomes [lo, mid] and entry top + 1 [mid, hi],
   both one level deeper (mid exact in doubles); returns the new top. */
static inline slong
_neft_erfsign_bisect(double * lo, double * hi, slong * depth, slong top)
{
    double m = 0.5 * (lo[top] + hi[top]), h = hi[top];
    slong d = depth[top] + 1;
    hi[top] = m;
    depth[top] = d;
    lo[top + 1] = m;
    hi[top + 1] = h;
    depth[top + 1] = d;
    return top + 2;
}

#endif
