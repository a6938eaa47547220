/* Tests of the Gaussian-expectation integrator (neft/gaussexp.h) against
   closed forms in 1 and 2 dimensions (erf, sin, relu, linear, a derivative,
   a Hermite weight), its refusal of rows that declare no bound, the exact 0
   of odd integrands, and the rows' declared parity and derivative bound. */

#include <string.h>
#include "neft/gaussexp.h"
#include "neft-test.h"

static char err[512];

/* res contains the reference ref and is accurate to bits */
static void
check_ball(const arb_t res, const arb_t ref, slong bits, const char * what)
{
    CHECK(arb_overlaps(res, ref) && arb_rel_accuracy_bits(res) >= bits,
          "%s: %s vs reference %s (%ld bits)", what, arb_get_str(res, 30, 0),
          arb_get_str(ref, 30, 0), (long) arb_rel_accuracy_bits(res));
}

static int
product(arb_t res, const char * name, slong deriv, const double * u, slong n, slong dim,
        slong herm, slong prec)
{
    arb_ptr v = _arb_vec_init(n * dim);
    slong i;
    int s;
    for (i = 0; i < n * dim; i++)
        arb_set_d(v + i, u[i]);
    s = neft_gaussexp_product(res, neft_act_lookup(name), NULL, deriv, v, n, dim, herm, prec,
                              err, sizeof(err));
    _arb_vec_clear(v, n * dim);
    return s;
}

/* (2/pi) asin(2 u.v / sqrt((1 + 2|u|^2)(1 + 2|v|^2))) */
static void
erf_pair(arb_t res, const double * u, const double * v, slong dim, slong prec)
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
    /* the test's directions are short binary numbers: exact doubles */
    arb_set_d(res, 1 + 2 * uu);
    arb_set_d(t, 1 + 2 * vv);
    arb_mul(res, res, t, prec);
    arb_rsqrt(res, res, prec);
    arb_set_d(t, 2 * uv);
    arb_mul(res, res, t, prec);
    arb_asin(res, res, prec);
    arb_const_pi(t, prec);
    arb_div(res, res, t, prec);
    arb_mul_2exp_si(res, res, 1);
    arb_clear(t);
}

static void
test_closed_forms(void)
{
    const slong prec = 200;
    arb_t res, ref, t;
    arb_init(res); arb_init(ref); arb_init(t);

    /* 1-D erf^2 at a = 0.75 */
    {
        double u[2] = { 0.75, 0.75 };
        CHECK(product(res, "erf", 0, u, 2, 1, 0, prec) == NEFT_SUCCESS, "erf 1-D: %s", err);
        erf_pair(ref, u, u + 1, 1, prec);
        check_ball(res, ref, 180, "erf^2 1-D");
    }
    /* 2-D erf pair */
    {
        double u[4] = { 0.5, 0.25, -0.375, 1.0 };
        CHECK(product(res, "erf", 0, u, 2, 2, 0, 64) == NEFT_SUCCESS, "erf 2-D: %s", err);
        erf_pair(ref, u, u + 2, 2, prec);
        check_ball(res, ref, 50, "erf pair 2-D");
    }
    /* sin: E[sin^2(a xi) He_2(xi)] = 2 a^2 e^{-2 a^2}; E[cos^2(a xi)] = (1 + e^{-2a^2})/2 */
    {
        double u[2] = { 1.25, 1.25 };
        CHECK(product(res, "sin", 0, u, 2, 1, 2, prec) == NEFT_SUCCESS, "sin He_2: %s", err);
        arb_set_d(ref, -2 * 1.25 * 1.25);
        arb_exp(ref, ref, prec);
        arb_set_d(t, 2 * 1.25 * 1.25);
        arb_mul(ref, ref, t, prec);
        check_ball(res, ref, 180, "sin^2 He_2 1-D");
        CHECK(product(res, "sin", 1, u, 2, 1, 0, prec) == NEFT_SUCCESS, "sin': %s", err);
        arb_set_d(ref, -2 * 1.25 * 1.25);
        arb_exp(ref, ref, prec);
        arb_add_ui(ref, ref, 1, prec);
        arb_mul_2exp_si(ref, ref, -1);
        check_ball(res, ref, 180, "sin'^2 = cos^2 1-D");
    }
    /* 2-D sin pair: (e^{-|u-v|^2/2} - e^{-|u+v|^2/2}) / 2 */
    {
        double u[4] = { 0.5, 0.75, 1.0, -0.25 };
        double dm = (0.5 - 1.0) * (0.5 - 1.0) + (0.75 + 0.25) * (0.75 + 0.25),
               dp = (1.5) * (1.5) + (0.5) * (0.5);
        CHECK(product(res, "sin", 0, u, 2, 2, 0, 64) == NEFT_SUCCESS, "sin 2-D: %s", err);
        arb_set_d(ref, -dm / 2);
        arb_exp(ref, ref, prec);
        arb_set_d(t, -dp / 2);
        arb_exp(t, t, prec);
        arb_sub(ref, ref, t, prec);
        arb_mul_2exp_si(ref, ref, -1);
        check_ball(res, ref, 50, "sin pair 2-D");
    }
    /* relu 1-D: E[relu(a xi)^4] = 3 a^4 / 2, E[relu(a xi) relu(-b xi)] = 0 */
    {
        double u[4] = { 0.5, 0.5, 0.5, 0.5 }, w[2] = { 0.5, -2.0 };
        CHECK(product(res, "relu", 0, u, 4, 1, 0, 100) == NEFT_SUCCESS, "relu 1-D: %s", err);
        arb_set_d(ref, 3 * 0.0625 / 2);
        check_ball(res, ref, 80, "relu^4 1-D");
        CHECK(product(res, "relu", 0, w, 2, 1, 0, 100) == NEFT_SUCCESS, "relu 1-D: %s", err);
        CHECK(arb_contains_zero(res) && mag_cmp_2exp_si(arb_radref(res), -80) < 0,
              "relu(a xi) relu(-b xi): %s", arb_get_str(res, 20, 0));
    }
    /* relu 2-D: arc-cosine kernel |u||v| (sin t + (pi - t) cos t) / (2 pi) */
    {
        double u[4] = { 1.0, 0.0, 0.0, 1.0 };   /* orthogonal: t = pi/2 */
        CHECK(product(res, "relu", 0, u, 2, 2, 0, 53) == NEFT_SUCCESS, "relu 2-D: %s", err);
        arb_const_pi(ref, prec);
        arb_inv(ref, ref, prec);
        arb_mul_2exp_si(ref, ref, -1);
        check_ball(res, ref, 40, "relu pair 2-D");
    }
    /* linear 2-D, Wick: E[z1 z2 z3 z4] = k12 k34 + k13 k24 + k14 k23 */
    {
        double u[8] = { 1.0, 0.5, -0.5, 1.0, 0.25, 0.25, 2.0, -1.0 };
        double k[4][4];
        slong a, b;
        for (a = 0; a < 4; a++)
            for (b = 0; b < 4; b++)
                k[a][b] = u[2 * a] * u[2 * b] + u[2 * a + 1] * u[2 * b + 1];
        CHECK(product(res, "linear", 0, u, 4, 2, 0, 64) == NEFT_SUCCESS, "linear 2-D: %s",
              err);
        arb_set_d(ref, k[0][1] * k[2][3] + k[0][2] * k[1][3] + k[0][3] * k[1][2]);
        check_ball(res, ref, 50, "linear Wick 2-D");
        /* 1-D with He_4: E[xi^4 He_4(xi)] = 4! */
        {
            double one[4] = { 1, 1, 1, 1 };
            CHECK(product(res, "linear", 0, one, 4, 1, 4, prec) == NEFT_SUCCESS, "linear: %s",
                  err);
            arb_set_ui(ref, 24);
            check_ball(res, ref, 180, "xi^4 He_4");
        }
    }
    arb_clear(res); arb_clear(ref); arb_clear(t);
}

static void
test_refusals(void)
{
    arb_t res, k;
    arb_init(res);
    arb_init(k);
    /* GaussNet declares no bound: refused with its reason, never integrated */
    arb_one(k);
    err[0] = '\0';
    CHECK(neft_gaussexp_product(res, neft_act_lookup("gauss"), k, 0, k, 1, 1, 0, 64, err,
                                sizeof(err)) == NEFT_UNSUPPORTED
          && strstr(err, "gauss") != NULL && !arb_is_finite(res), "gauss not refused: %s", err);
    CHECK(!neft_gaussexp_supported(neft_act_lookup("gauss"), 0, err, sizeof(err)),
          "gauss supported");
    /* leaky-relu declares no growth bound (it depends on the slope) */
    arb_set_d(k, 0.25);
    CHECK(neft_gaussexp_product(res, neft_act_lookup("leaky-relu"), k, 0, k, 1, 1, 0, 64, err,
                                sizeof(err)) == NEFT_UNSUPPORTED
          && strstr(err, "leaky-relu") != NULL, "leaky-relu not refused: %s", err);
    CHECK(neft_gaussexp_product(res, neft_act_lookup("leaky-relu"), k, 1, k, 1, 1, 0, 64, err,
                                sizeof(err)) == NEFT_UNSUPPORTED
          && strstr(err, "derivative") != NULL, "leaky-relu' not refused: %s", err);
    {
        double u3[6] = { 0.5, 0.5, 0.5, 0.5, 0.5, 0.5 };
        CHECK(product(res, "erf", 0, u3, 2, 3, 0, 64) == NEFT_BAD_INPUT, "dim 3 accepted");
    }
    /* an odd integrand is exactly 0 (declared parity) */
    {
        double w[3] = { 0.5, 1.5, -0.25 };
        CHECK(product(res, "tanh", 0, w, 3, 1, 0, 64) == NEFT_SUCCESS && arb_is_zero(res),
              "odd tanh product not exactly 0");
    }
    arb_clear(res);
    arb_clear(k);
}

/* The declared parity and derivative bound of every row, at sample points
   (a check of the table's data, not a proof). */
static void
test_declared(void)
{
    slong i, j, prec = 64;
    acb_t z, y, mz, my;
    arb_t par;
    acb_init(z); acb_init(y); acb_init(mz); acb_init(my);
    arb_init(par);
    arb_set_d(par, 0.25);
    for (i = 0; i < neft_act_count(); i++)
    {
        neft_act_srcptr act = neft_act_get(i);
        for (j = -400; j <= 400; j++)
        {
            double x = j / 40.0 + 0.0123;
            acb_set_d(z, x);
            if (act->dsup > 0)
            {
                act->eval_acb(y, z, act->nparams ? par : NULL, 1, 0, prec);
                acb_abs(acb_realref(my), y, prec);
                arb_set_d(acb_imagref(my), act->dsup);
                CHECK(arb_le(acb_realref(my), acb_imagref(my)), "%s: |sigma'(%g)| > dsup %g",
                      act->name, x, act->dsup);
            }
            if (act->parity != 0)
            {
                acb_neg(mz, z);
                act->eval_acb(y, z, act->nparams ? par : NULL, 0, 0, prec);
                act->eval_acb(my, mz, act->nparams ? par : NULL, 0, 0, prec);
                if (act->parity < 0)
                    acb_neg(my, my);
                CHECK(acb_overlaps(y, my), "%s: declared parity %d fails at %g", act->name,
                      act->parity, x);
            }
        }
    }
    acb_clear(z); acb_clear(y); acb_clear(mz); acb_clear(my);
    arb_clear(par);
}

int
main(void)
{
    test_closed_forms();
    test_refusals();
    test_declared();
    flint_cleanup();
    return neft_test_finish("t-gaussexp");
}
