/* t-gl-bound: Trefethen's bound for n-point Gauss-Legendre quadrature as
   the quadrature rules use it.  For f holomorphic inside the Bernstein
   ellipse E_rho with |f| <= M, the n-point rule on [-1, 1] errs by at most
   (64/15) M rho^{-2(n-1)} / (rho^2 - 1) (ATAP thm 19.3 is stated for n + 1
   points).  The check: f = T_{2n}, the first Chebyshev polynomial the rule
   does not integrate exactly, with M = (rho^{2n} + rho^{-2n})/2 on E_rho;
   its true error |2/(1 - 4n^2) - sum w_k T_{2n}(x_k)| (nodes and weights
   from Arb's Legendre roots, not neft's cache) must lie below each bound.
   Before stop 31 the rules used rho^{-2n} for n nodes, which fails here
   (n = 1, rho = 10: bound 0.02 against the true error 4/3). */
#include <math.h>
#include "arb_hypgeom.h"
#include "exact/exact-internal.h"
#include "integrate/internal.h"
#include "integrate/twovtx2.h"
#include "neft-test.h"

/* the true error of the n-point rule on T_{2n}, in double (rounded up) */
static double
true_error(slong n)
{
    arb_t x, w, s, t, c;
    slong k;
    double e;
    arb_init(x); arb_init(w); arb_init(s); arb_init(t); arb_init(c);
    for (k = 0; k < n; k++)
    {
        /* T_{2n}(x) = cos(2n acos x); the rule is symmetric, so the
           negative roots repeat the positive ones */
        arb_hypgeom_legendre_p_ui_root(x, w, (ulong) n, (ulong) (k < (n + 1) / 2 ? k : n - 1 - k), 128);
        arb_acos(t, x, 128);
        arb_mul_si(t, t, 2 * n, 128);
        arb_cos(t, t, 128);
        arb_addmul(s, w, t, 128);
    }
    arb_set_si(c, 2);
    arb_div_si(c, c, 1 - 4 * n * n, 128);
    arb_sub(s, c, s, 128);
    arb_abs(s, s);
    e = arf_get_d(arb_midref(s), ARF_RND_DOWN) - mag_get_d(arb_radref(s));
    arb_clear(x); arb_clear(w); arb_clear(s); arb_clear(t); arb_clear(c);
    return e;
}

int
main(void)
{
    static const double rhos[] = {1.5, 3, 10, 40};
    slong n;
    size_t i;
    for (n = 1; n <= 12; n++)
    {
        double e = true_error(n);
        for (i = 0; i < sizeof(rhos) / sizeof(rhos[0]); i++)
        {
            double rho = rhos[i], M = (pow(rho, 2.0 * n) + pow(rho, -2.0 * n)) / 2, err;
            /* src/exact/grid.c: 2 h^2 (64/15) rho^.. / (rho^2 - 1) with h = 1/2,
               i.e. half of the 1-D factor */
            double K = 2 * _neft_exact_gl_factor(rho, n);
            CHECK(K * M >= e, "exact gl factor: n = %ld, rho = %g: bound %g < true error %g",
                  (long) n, rho, K * M, e);
            /* src/integrate/twovtx2_erf.c: 8 (64/15) M rho^.. vol / (rho^2 - 1);
               vol = 1/8 gives the 1-D bound (a tolerance that only n allows) */
            if (n >= 4)
            {
                double tol = 1.02 * (64.0 / 15) * M * pow(rho, -2.0 * (n - 1)) / (rho * rho - 1);
                slong nn = _neft_twovtx2_least_n(&err, M, rho, 0.125, tol, n);
                CHECK(nn == n, "least_n: n = %ld, rho = %g: got %ld", (long) n, rho, (long) nn);
                CHECK(nn != n || err >= e, "least_n: n = %ld, rho = %g: bound %g < true error %g",
                      (long) n, rho, err, e);
            }
        }
    }
    flint_cleanup_master();
    return neft_test_finish("t-gl-bound");
}
