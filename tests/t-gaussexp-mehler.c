/* The 2-D routes of neft_gaussexp_product / neft_gaussexp_poly for tanh and
   sigmoid (src/gaussexp/route.h): Mehler's series (mehler.c) and the nested
   Cartesian rule against the nested polar rule (the route they replace) and
   against 1-D integrals.

   - random pairs of directions (both rows, deriv 0 and 1, |rho| <= 0.9, norms
     0.5 to 1.6): Mehler at 128 bits overlaps the polar rule at 53 bits and its
     radius is below 1e-30;
   - rho = +-1 exactly (collinear directions, the series' tail at its largest:
     no rho^N helps): Mehler at 128 bits against the 1-D rule at 200 bits
     (radius 1e-55), also cut at 6 and 20 terms where the tail bound must carry
     the truncation: a missing or shrunk tail term fails (checked by mutation:
     no tail, the tail times 2^-30, a_5 left out: 15 to 17 failures);
   - |rho| near 1 (0.97, tanh): the public entry at 128 bits
     (Mehler with up to 512 terms, or the Cartesian rule) overlaps the polar
     rule at 64 bits;
   - Hermite weights (He_2 tanh, He_3 sigmoid, deriv 1) and (tanh) a weight
     with xi_2 terms: Mehler's series with the weight rewritten in x, y
     (route MEHLER; the public entry takes the Cartesian rule) at 128 bits against the polar rule at 53 bits and the
     Cartesian rule at 128 bits (both radii below 1e-30). */

#include <math.h>
#include <string.h>
#include "gaussexp/route.h"
#include "neft-test.h"

static char err[512];

static void
set_dirs(arb_ptr u, double s0, double th0, double s1, double th1)
{
    arb_set_d(u + 0, s0 * cos(th0));
    arb_set_d(u + 1, s0 * sin(th0));
    arb_set_d(u + 2, s1 * cos(th1));
    arb_set_d(u + 3, s1 * sin(th1));
}

static void
check_close(const arb_t res, const arb_t ref, double maxrad, const char * what)
{
    CHECK(arb_is_finite(res) && arb_overlaps(res, ref)
          && mag_cmp_2exp_si(arb_radref(res), (slong) floor(log2(maxrad))) <= 0,
          "%s: %s vs %s", what, arb_get_str(res, 40, 0), arb_get_str(ref, 40, 0));
}

/* Mehler through the route (a direct call, so that a silent fallback would
   not hide it) */
static int
mehler(arb_t res, neft_act_srcptr act, slong deriv, arb_srcptr u, slong m0, slong m1,
       slong nterms, slong prec)
{
    arb_t s0, s1, rho;
    int st;
    arb_init(s0); arb_init(s1); arb_init(rho);
    arb_hypot(s0, u + 0, u + 1, prec + 40);
    arb_hypot(s1, u + 2, u + 3, prec + 40);
    arb_mul(rho, u + 0, u + 2, prec + 40);
    arb_addmul(rho, u + 1, u + 3, prec + 40);
    arb_div(rho, rho, s0, prec + 40);
    arb_div(rho, rho, s1, prec + 40);
    st = _neft_gaussexp_mehler(res, act, NULL, deriv, s0, m0, s1, m1, rho, nterms, prec, err,
                               sizeof err);
    arb_clear(s0); arb_clear(s1); arb_clear(rho);
    return st;
}

int
main(void)
{
    const char * rows[2] = {"tanh", "sigmoid"};
    flint_rand_t state;
    arb_ptr u = _arb_vec_init(8), w = _arb_vec_init(25);
    arb_t res, ref;
    slong r, deriv, i;
    int st;

    flint_randinit(state);
    arb_init(res); arb_init(ref);

    for (r = 0; r < 2; r++)
    {
        neft_act_srcptr act = neft_act_lookup(rows[r]);
        for (deriv = 0; deriv <= 1; deriv++)
        {
            char what[128];
            /* a random pair with |rho| <= 0.9 */
            for (i = 0; i < 1; i++)
            {
                double s0 = 0.5 + 1.1 * (double) n_randint(state, 1000) / 1000,
                    s1 = 0.5 + 1.1 * (double) n_randint(state, 1000) / 1000,
                    th0 = 6.28 * (double) n_randint(state, 1000) / 1000,
                    rho = -0.9 + 1.8 * (double) n_randint(state, 1000) / 1000;
                set_dirs(u, s0, th0, s1, th0 + acos(rho));
                snprintf(what, sizeof what, "%s deriv %ld s %.3f %.3f rho %.3f", rows[r],
                         (long) deriv, s0, s1, rho);
                st = mehler(res, act, deriv, u, 1, 1, 0, 128);
                CHECK(st == NEFT_SUCCESS, "%s: Mehler status %d: %s", what, st, err);
                st = _neft_gaussexp_core(ref, act, NULL, deriv, u, 2, 2, NULL, 0,
                                         _NEFT_GAUSSEXP_POLAR, 53, err, sizeof err);
                CHECK(st == NEFT_SUCCESS, "%s: polar status %d: %s", what, st, err);
                check_close(res, ref, 1e-30, what);
                /* the public entry takes the same route */
                st = neft_gaussexp_product(ref, act, NULL, deriv, u, 2, 2, 0, 128, err,
                                           sizeof err);
                CHECK(st == NEFT_SUCCESS && arb_equal(ref, res), "%s: public entry %s",
                      what, arb_get_str(ref, 40, 0));
            }
            /* rho = +1 and -1: E[F(x) G(+-x)] in 1-D; sigma^2 sigma (three factors; tanh: two) */
            for (i = 0; i < 2; i++)
            {
                double s0 = 0.5, s1 = 0.75, sg = i ? -1 : 1;
                arb_ptr v = u + 4;
                slong m0 = (r == 0 && deriv == 0) ? 1 : 2;   /* tanh^3 is odd: 0 */
                arb_set_d(u + 0, s0);
                arb_set_d(u + 1, 0);
                arb_set_d(u + 3, 0);
                arb_set_d(u + 2, sg * s1);
                snprintf(what, sizeof what, "%s deriv %ld rho %+.0f", rows[r], (long) deriv,
                         sg);
                arb_set_d(v + 0, s0);
                arb_set_d(v + 1, s0);
                arb_set_d(v + m0, sg * s1);
                st = neft_gaussexp_product(ref, act, NULL, deriv, v, m0 + 1, 1, 0, 200, err,
                                           sizeof err);
                CHECK(st == NEFT_SUCCESS && mag_cmp_2exp_si(arb_radref(ref), -180) < 0,
                      "%s: 1-D reference %d %s", what, st, arb_get_str(ref, 60, 0));
                st = mehler(res, act, deriv, u, m0, 1, 0, 128);
                CHECK(st == NEFT_SUCCESS, "%s: Mehler status %d: %s", what, st, err);
                check_close(res, ref, 1e-30, what);
                /* 6 and 20 terms: the truncation is far above the coefficients'
                   errors (checked, so that the case is sensitive) and the tail bound
                   must carry it (a missing or shrunk tail term fails here) */
                {
                    slong nt;
                    for (nt = 6; nt <= 20; nt += 14)
                    {
                        arb_t d;
                        arb_init(d);
                        st = mehler(res, act, deriv, u, m0, 1, nt, 128);
                        arb_sub(d, res, ref, 256);
                        CHECK(st == NEFT_SUCCESS && arb_overlaps(res, ref)
                              && mag_cmp_2exp_si(arb_radref(res), -4) < 0
                              && arf_cmpabs_2exp_si(arb_midref(d), -100) > 0,
                              "%s, %ld terms: %s vs %s", what, (long) nt,
                              arb_get_str(res, 20, 0), arb_get_str(ref, 20, 0));
                        arb_clear(d);
                    }
                }
            }
        }
        /* |rho| near 1: the Cartesian rule and the public entry against polar */
        {
            static const double rhos[2] = {0.97, -0.99};
            i = r;
            if (r == 0)
            {
                char what[128];
                set_dirs(u, 1.1, 0.3, 0.8, 0.3 + acos(rhos[i]));
                snprintf(what, sizeof what, "%s rho %.2f", rows[r], rhos[i]);
                st = _neft_gaussexp_core(ref, act, NULL, 0, u, 2, 2, NULL, 0,
                                         _NEFT_GAUSSEXP_POLAR, 64, err, sizeof err);
                CHECK(st == NEFT_SUCCESS, "%s: polar: %s", what, err);
                st = neft_gaussexp_product(res, act, NULL, 0, u, 2, 2, 0, 128, err,
                                           sizeof err);
                CHECK(st == NEFT_SUCCESS, "%s: public: %s", what, err);
                check_close(res, ref, 1e-30, what);
            }
        }
        /* weights: He_2 and He_3 in xi_1, and 1 - xi_1 xi_2 + xi_2^2/2 + xi_1 xi_2^2 */
        {
            char what[128];
            set_dirs(u, 0.9, 0.4, 1.3, 1.5);   /* d0 off the axes: every term of M^-1 */
            i = 2 + r;
            {
                snprintf(what, sizeof what, "%s He_%ld", rows[r], (long) i);
                {
                    /* the polar reference with the same weight */
                    static const slong he[4][4] = {{1}, {0, 1}, {-1, 0, 1}, {0, -3, 0, 1}};
                    slong j;
                    _arb_vec_zero(w, 25);
                    for (j = 0; j <= i; j++)
                        arb_set_si(w + j * (i + 1), he[i][j]);
                    /* Mehler's series with the weight in x, y */
                    st = _neft_gaussexp_core(res, act, NULL, 1, u, 2, 2, w, i,
                                             _NEFT_GAUSSEXP_MEHLER, 128, err, sizeof err);
                    CHECK(st == NEFT_SUCCESS, "%s: %s", what, err);
                    st = _neft_gaussexp_core(ref, act, NULL, 1, u, 2, 2, w, i,
                                             _NEFT_GAUSSEXP_POLAR, 53, err, sizeof err);
                    CHECK(st == NEFT_SUCCESS, "%s polar: %s", what, err);
                    check_close(res, ref, 1e-30, what);
                    /* and the Cartesian rule at 128 bits (the entry took Mehler's
                       series with the weight in x, y): agreement to 1e-30 */
                    st = _neft_gaussexp_core(ref, act, NULL, 1, u, 2, 2, w, i,
                                             _NEFT_GAUSSEXP_CART, 128, err, sizeof err);
                    CHECK(st == NEFT_SUCCESS, "%s Cartesian: %s", what, err);
                    check_close(res, ref, 1e-30, what);
                    check_close(ref, res, 1e-30, what);
                }
            }
            if (r == 1)
                continue;
            _arb_vec_zero(w, 25);
            arb_one(w + 0);                      /* 1 */
            arb_set_si(w + 1 * 4 + 1, -1);       /* - xi_1 xi_2 */
            arb_set_d(w + 0 * 4 + 2, 0.5);       /* + xi_2^2 / 2 */
            arb_one(w + 1 * 4 + 2);              /* + xi_1 xi_2^2 */
            snprintf(what, sizeof what, "%s poly weight", rows[r]);
            st = _neft_gaussexp_core(res, act, NULL, 0, u, 2, 2, w, 3, _NEFT_GAUSSEXP_MEHLER, 128,
                                     err, sizeof err);
            CHECK(st == NEFT_SUCCESS, "%s: %s", what, err);
            st = _neft_gaussexp_core(ref, act, NULL, 0, u, 2, 2, w, 3, _NEFT_GAUSSEXP_POLAR,
                                     53, err, sizeof err);
            CHECK(st == NEFT_SUCCESS, "%s polar: %s", what, err);
            check_close(res, ref, 1e-30, what);
            st = _neft_gaussexp_core(ref, act, NULL, 0, u, 2, 2, w, 3, _NEFT_GAUSSEXP_CART, 128,
                                     err, sizeof err);
            CHECK(st == NEFT_SUCCESS, "%s Cartesian: %s", what, err);
            check_close(res, ref, 1e-30, what);
            check_close(ref, res, 1e-30, what);
        }
    }
    _arb_vec_clear(u, 8); _arb_vec_clear(w, 25);
    arb_clear(res); arb_clear(ref);
    flint_randclear(state);
    flint_cleanup();
    return neft_test_finish("t-gaussexp-mehler");
}
