/* Tests of the 2- to 4-dimensional Gaussian rule (neft_gaussexp_grid)
   against closed forms: erf's arcsine kernel for pairs of directions in 3-D
   and 4-D, and four erf factors on two orthogonal planes (a product of two
   arcsine kernels, a rank-4 case); tanh against the 2-D integrator
   (neft_gaussexp_product) on a 2-D frame embedded in 3 and 4 dimensions;
   the exact 0 of an odd product; gelu, silu, softplus (growth bound) against the
   2-D integrator, also with a polynomial weight; the refusal of kinked rows and
   of GaussNet. */

#include <string.h>
#include "neft/gaussexp.h"
#include "neft-test.h"

static char err[512];

/* (2/pi) asin(2 u.v / sqrt((1 + 2|u|^2)(1 + 2|v|^2))) */
static void
erf_pair(arb_t res, const double * u, const double * v, slong dim)
{
    double uv = 0, uu = 0, vv = 0;
    slong k;
    arb_t t;
    arb_init(t);
    for (k = 0; k < dim; k++)
    {
        uv += u[k] * v[k];
        uu += u[k] * u[k];
        vv += v[k] * v[k];
    }
    arb_set_d(t, (1 + 2 * uu) * (1 + 2 * vv));
    arb_rsqrt(t, t, 128);
    { arb_t w; arb_init(w); arb_set_d(w, 2 * uv); arb_mul(t, t, w, 128); arb_clear(w); }
    arb_asin(t, t, 128);
    arb_const_pi(res, 128);
    arb_div(res, t, res, 128);
    arb_mul_2exp_si(res, res, 1);
    arb_clear(t);
}

static void
check(const arb_t res, const arb_t ref, double tol, const char * what)
{
    arb_t d;
    arb_init(d);
    arb_sub(d, res, ref, 128);
    CHECK(arb_overlaps(res, ref) && mag_cmp_2exp_si(arb_radref(res), 0) < 0
          && arf_cmpabs_d(arb_midref(d), tol) <= 0 && mag_get_d(arb_radref(res)) < tol,
          "%s: %s vs reference %s", what, arb_get_str(res, 20, 0), arb_get_str(ref, 20, 0));
    arb_clear(d);
}

int
main(void)
{
    /* four directions in 4-D: u0, u1 in the (xi1, xi2) plane, u2, u3 in (xi3, xi4) */
    static const double U4[16] = { 0.75, 0, 0, 0,
                                   -0.5, 0.875, 0, 0,
                                   0, 0, 0.625, 0,
                                   0, 0, 0.5, -0.75 };
    static const double U3[9] = { 0.75, 0.25, 0.5,
                                  -0.5, 0.875, 0.25,
                                  0.25, -0.375, 0.625 };
    arb_ptr u = _arb_vec_init(16), res = _arb_vec_init(8);
    arb_t ref, t;
    slong i, nodes;
    int s;

    arb_init(ref); arb_init(t);
    /* erf, 4-D: the pairs (0,1), (2,3), (0,2) and the product of all four */
    {
        slong pw[4 * 4] = { 1, 1, 0, 0,   0, 0, 1, 1,   1, 0, 1, 0,   1, 1, 1, 1 };
        for (i = 0; i < 16; i++)
            arb_set_d(u + i, U4[i]);
        s = neft_gaussexp_grid(res, neft_act_lookup("erf"), NULL, u, 4, 4, pw, 4, 24, &nodes,
                               err, sizeof err);
        CHECK(s == NEFT_SUCCESS, "erf 4-D: status %d: %s", s, err);
        erf_pair(ref, U4 + 0, U4 + 4, 4);
        check(res + 0, ref, 1e-7, "erf 4-D pair (0,1)");
        erf_pair(t, U4 + 8, U4 + 12, 4);
        check(res + 1, t, 1e-7, "erf 4-D pair (2,3)");
        arb_mul(ref, ref, t, 128);
        check(res + 3, ref, 1e-7, "erf 4-D product of two planes");
        arb_zero(ref);   /* orthogonal directions: 0 */
        check(res + 2, ref, 1e-7, "erf 4-D orthogonal pair");
    }
    /* erf, 3-D: pairs, and the odd product <s0 s1 s2> = 0 exactly */
    {
        slong pw[3 * 3] = { 1, 1, 0,   0, 1, 1,   1, 1, 1 };
        for (i = 0; i < 9; i++)
            arb_set_d(u + i, U3[i]);
        s = neft_gaussexp_grid(res, neft_act_lookup("erf"), NULL, u, 3, 3, pw, 3, 30, NULL,
                               err, sizeof err);
        CHECK(s == NEFT_SUCCESS, "erf 3-D: status %d: %s", s, err);
        erf_pair(ref, U3 + 0, U3 + 3, 3);
        check(res + 0, ref, 1e-9, "erf 3-D pair (0,1)");
        erf_pair(ref, U3 + 3, U3 + 6, 3);
        check(res + 1, ref, 1e-9, "erf 3-D pair (1,2)");
        CHECK(arb_is_zero(res + 2), "erf odd product not exactly 0");
    }
    /* tanh: a 2-D frame embedded in 3-D (a third zero column) against the 2-D integrator */
    {
        slong pw[2] = { 3, 1 };
        arb_ptr v = _arb_vec_init(8);
        static const double U2[4] = { 0.9, 0.3, -0.4, 1.1 };
        for (i = 0; i < 2; i++)
        {
            arb_set_d(u + 3 * i, U2[2 * i]);
            arb_set_d(u + 3 * i + 1, U2[2 * i + 1]);
            arb_zero(u + 3 * i + 2);
        }
        s = neft_gaussexp_grid(res, neft_act_lookup("tanh"), NULL, u, 2, 3, pw, 1, 30, NULL,
                               err, sizeof err);
        CHECK(s == NEFT_SUCCESS, "tanh 3-D: status %d: %s", s, err);
        for (i = 0; i < 4; i++)
        {
            arb_set_d(v + 2 * i, U2[i < 3 ? 0 : 2]);
            arb_set_d(v + 2 * i + 1, U2[i < 3 ? 1 : 3]);
        }
        s = neft_gaussexp_product(ref, neft_act_lookup("tanh"), NULL, 0, v, 4, 2, 0, 64, err,
                                  sizeof err);
        CHECK(s == NEFT_SUCCESS, "tanh 2-D reference: %s", err);
        check(res + 0, ref, 1e-8, "tanh <s0^3 s1> 3-D vs 2-D");
        _arb_vec_clear(v, 8);
    }
    /* refusals */
    {
        slong pw[2] = { 1, 1 };
        CHECK(neft_gaussexp_grid(res, neft_act_lookup("relu"), NULL, u, 2, 3, pw, 1, 24, NULL,
                                 err, sizeof err) == NEFT_UNSUPPORTED, "relu not refused");
        CHECK(neft_gaussexp_grid(res, neft_act_lookup("gauss"), NULL, u, 2, 3, pw, 1, 24, NULL,
                                 err, sizeof err) == NEFT_UNSUPPORTED, "gauss not refused");
    }
    /* the growing rows (refused before): gelu, silu, softplus <s0^3 s1> on the 2-D frame
       embedded in 3-D, and the weighted 2-D rule (weight xi_1 xi_2 - 1/2) against Arb's
       integrator (neft_gaussexp_product, neft_gaussexp_poly) */
    {
        static const char * rows[3] = { "gelu", "silu", "softplus" };
        static const double U2[4] = { 0.9, 0.3, -0.4, 1.1 };
        slong pw[2] = { 3, 1 }, pw1[2] = { 1, 1 }, r;
        arb_ptr v = _arb_vec_init(8), w = _arb_vec_init(9);
        arb_set_d(w + 1 * 3 + 1, 1);
        arb_set_d(w + 0, -0.5);
        for (r = 0; r < 3; r++)
        {
            neft_act_srcptr act = neft_act_lookup(rows[r]);
            for (i = 0; i < 2; i++)
            {
                arb_set_d(u + 3 * i, U2[2 * i]);
                arb_set_d(u + 3 * i + 1, U2[2 * i + 1]);
                arb_zero(u + 3 * i + 2);
            }
            s = neft_gaussexp_grid(res, act, NULL, u, 2, 3, pw, 1, 30, NULL, err, sizeof err);
            CHECK(s == NEFT_SUCCESS, "%s 3-D: status %d: %s", rows[r], s, err);
            for (i = 0; i < 4; i++)
            {
                arb_set_d(v + 2 * i, U2[i < 3 ? 0 : 2]);
                arb_set_d(v + 2 * i + 1, U2[i < 3 ? 1 : 3]);
            }
            s = neft_gaussexp_product(ref, act, NULL, 0, v, 4, 2, 0, 64, err, sizeof err);
            CHECK(s == NEFT_SUCCESS, "%s 2-D reference: %s", rows[r], err);
            check(res + 0, ref, 1e-7, rows[r]);
            /* weighted, 2-D */
            for (i = 0; i < 4; i++)
                arb_set_d(v + i, U2[i]);
            s = neft_gaussexp_grid_poly(res, act, NULL, v, 2, 2, pw1, 1, w, 2, 36, NULL, err,
                                        sizeof err);
            CHECK(s == NEFT_SUCCESS, "%s weighted 2-D: status %d: %s", rows[r], s, err);
            s = neft_gaussexp_poly(ref, act, NULL, 0, v, 2, 2, w, 2, 64, err, sizeof err);
            CHECK(s == NEFT_SUCCESS, "%s weighted reference: %s", rows[r], err);
            check(res + 0, ref, 1e-9, rows[r]);
        }
        _arb_vec_clear(v, 8);
        _arb_vec_clear(w, 9);
    }
    printf("4-D erf rule: %ld nodes\n", (long) nodes);
    _arb_vec_clear(u, 16); _arb_vec_clear(res, 8);
    arb_clear(ref); arb_clear(t);
    flint_cleanup();
    return neft_test_finish("t-gaussexp-grid");
}
