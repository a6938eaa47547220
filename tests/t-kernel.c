/* Kernel property tests: every ball contains an independently computed
   value -- the textbook formulas (arcsin for Erf, arccos for ReLU, the
   Gaussian) at 4x the precision -- at random points in d_in = 1..3; exact
   special cases (cos t = +-1, points at the origin, Erf at x = +-1); the
   complex continuation contains the real value on real points; the
   one-sided ReLU continuation agrees on its side; K(y,y) on the diagonal.
   (The GP 2-point function by quadrature over the Gaussian weights is
   checked end to end in tests/gp2.py.) */

#include <stdio.h>
#include <stdlib.h>
#include "neft/kernel.h"
#include "neft-test.h"

/* the number of a kernel of the three older rows (NEFT_KERNEL_*) */
#define KTYPE(k) neft_kernel_lookup((k)->act->name)

/* The textbook formulas, at precision prec (no cancellation-free forms). */
static void
naive(arb_t res, const neft_kernel_t k, arb_srcptr x, arb_srcptr y, slong prec)
{
    slong i, d = k->d;
    arb_t a, kxx, kyy, kxy, t, u;
    arb_init(a); arb_init(kxx); arb_init(kyy); arb_init(kxy); arb_init(t); arb_init(u);
    arb_div_si(a, k->sw2, d, prec);
    if (KTYPE(k) == NEFT_KERNEL_GAUSS)
    {
        for (i = 0; i < d; i++)
        {
            arb_sub(u, x + i, y + i, prec);
            arb_addmul(t, u, u, prec);
        }
        arb_mul(t, t, a, prec);
        arb_mul_2exp_si(t, t, -1);
        arb_neg(t, t);
        arb_exp(t, t, prec);
        arb_mul(res, t, k->sw2, prec);
    }
    else
    {
        for (i = 0; i < d; i++)
        {
            arb_addmul(kxx, x + i, x + i, prec);
            arb_addmul(kyy, y + i, y + i, prec);
            arb_addmul(kxy, x + i, y + i, prec);
        }
        arb_mul(kxx, kxx, a, prec); arb_add(kxx, kxx, k->sb2, prec);
        arb_mul(kyy, kyy, a, prec); arb_add(kyy, kyy, k->sb2, prec);
        arb_mul(kxy, kxy, a, prec); arb_add(kxy, kxy, k->sb2, prec);
        if (KTYPE(k) == NEFT_KERNEL_ERF)
        {
            arb_mul_2exp_si(t, kxx, 1); arb_add_ui(t, t, 1, prec);
            arb_mul_2exp_si(u, kyy, 1); arb_add_ui(u, u, 1, prec);
            arb_mul(t, t, u, prec);
            arb_sqrt(t, t, prec);
            arb_mul_2exp_si(u, kxy, 1);
            arb_div(t, u, t, prec);
            arb_asin(t, t, prec);
            arb_const_pi(u, prec);
            arb_div(t, t, u, prec);
            arb_mul_2exp_si(t, t, 1);
            arb_mul(res, t, k->sw2, prec);
        }
        else
        {
            /* sqrt(kxx kyy)(sin t + (pi - t) cos t)/(2 pi), cos t = kxy/sqrt(kxx kyy) */
            arb_t r, c, th;
            arb_init(r); arb_init(c); arb_init(th);
            arb_mul(r, kxx, kyy, prec);
            arb_sqrt(r, r, prec);
            arb_div(c, kxy, r, prec);
            arb_acos(th, c, prec);
            arb_sin(t, th, prec);
            arb_const_pi(u, prec);
            arb_sub(u, u, th, prec);
            arb_mul(u, u, c, prec);
            arb_add(t, t, u, prec);
            arb_mul(t, t, r, prec);
            arb_const_pi(u, prec);
            arb_div(t, t, u, prec);
            arb_mul_2exp_si(t, t, -1);
            arb_mul(res, t, k->sw2, prec);
            arb_clear(r); arb_clear(c); arb_clear(th);
        }
    }
    if (!k->subtract_bias)
        arb_add(res, res, k->sb2, prec);
    arb_clear(a); arb_clear(kxx); arb_clear(kyy); arb_clear(kxy); arb_clear(t); arb_clear(u);
}

static int
vec_equal(arb_srcptr x, arb_srcptr y, slong d)
{
    slong i;
    for (i = 0; i < d; i++)
        if (!arb_equal(x + i, y + i))
            return 0;
    return 1;
}

/* A random exact point coordinate: a multiple of 1/64 in [-4, 4]. */
static void
randcoord(arb_t x, flint_rand_t state)
{
    arb_set_si(x, (slong) n_randint(state, 513) - 256);
    arb_mul_2exp_si(x, x, -6);
}

static void
print_case(const neft_kernel_t k, arb_srcptr x, arb_srcptr y)
{
    slong i;
    printf("  kernel %s d=%ld sw2=", neft_kernel_name(KTYPE(k)), (long) k->d);
    arb_printd(k->sw2, 10);
    printf(" sb2=");
    arb_printd(k->sb2, 10);
    printf(" sub=%d\n  x =", k->subtract_bias);
    for (i = 0; i < k->d; i++) { printf(" "); arb_printd(x + i, 10); }
    printf("\n  y =");
    for (i = 0; i < k->d; i++) { printf(" "); arb_printd(y + i, 10); }
    printf("\n");
}

/* res contains the reference (a 256-bit ball: contained, or overlapping
   when the reference is narrower than 2^-180, e.g. around an exact 0) and
   has relative radius <= 1e-10. */
static int
contains_ref(const arb_t res, const arb_t ref)
{
    return arb_contains(res, ref)
        || (arb_overlaps(res, ref) && mag_cmp_2exp_si(arb_radref(ref), -180) < 0);
}

static int
good(const arb_t res, const arb_t ref)
{
    return arb_is_finite(res) && contains_ref(res, ref)
        && (arb_is_exact(res) || arb_rel_accuracy_bits(res) >= 34
            || mag_cmp_2exp_si(arb_radref(res), -40) < 0);
}

int
main(void)
{
    flint_rand_t state;
    slong iter, i, d;
    int type;
    neft_kernel_t k;
    arb_ptr x, y;
    arb_t r, ref, sw, sb;
    acb_ptr xc, yc;
    acb_t z;

    flint_randinit(state);
    neft_kernel_init(k);
    x = _arb_vec_init(3);
    y = _arb_vec_init(3);
    xc = _acb_vec_init(3);
    yc = _acb_vec_init(3);
    acb_init(z);
    arb_init(r); arb_init(ref); arb_init(sw); arb_init(sb);

    /* random instances against the textbook formulas at 256 bits */
    for (iter = 0; iter < 3000; iter++)
    {
        type = iter % 3;
        d = 1 + n_randint(state, 3);
        arb_set_ui(sw, 1 + n_randint(state, 8));
        arb_mul_2exp_si(sw, sw, -2);
        if (n_randint(state, 3) == 0)
            arb_zero(sb);
        else
        {
            arb_set_ui(sb, 1 + n_randint(state, 8));
            arb_mul_2exp_si(sb, sb, -3);
        }
        neft_kernel_set_params(k, type, d, sw, sb, 256);
        k->subtract_bias = n_randint(state, 2);
        for (i = 0; i < d; i++)
        {
            randcoord(x + i, state);
            randcoord(y + i, state);
        }
        if (iter % 7 == 0)
            _arb_vec_set(y, x, d);                        /* t = 0 */
        neft_kernel_eval_arb(r, k, x, y, 64);
        naive(ref, k, x, y, 256);
        if (!arb_is_finite(ref))
            continue;        /* acos at the clamp: covered by the exact cases below */
        CHECK(good(r, ref), "kernel vs textbook formula");
        if (!good(r, ref))
        {
            print_case(k, x, y);
            printf("  got "); arb_printd(r, 20); printf("\n  ref "); arb_printd(ref, 20); printf("\n");
        }
        /* complex continuation on real points */
        for (i = 0; i < d; i++)
        {
            acb_set_arb(xc + i, x + i);
            acb_set_arb(yc + i, y + i);
        }
        neft_kernel_eval_acb(z, k, xc, yc, 0, 64);
        CHECK(acb_is_finite(z) && contains_ref(acb_realref(z), ref), "acb (non-analytic) on real points");
        neft_kernel_eval_acb(z, k, xc, yc, 1, 64);
        if (KTYPE(k) != NEFT_KERNEL_RELU)
            CHECK(acb_is_finite(z) && contains_ref(acb_realref(z), ref), "acb analytic on real points");
        else if (acb_is_finite(z))
            CHECK(contains_ref(acb_realref(z), ref), "acb analytic ReLU on real points");
        /* a small complex ball around the real points contains the real value */
        for (i = 0; i < d; i++)
        {
            mag_set_ui_2exp_si(arb_radref(acb_realref(yc + i)), 1, -30);
            mag_set_ui_2exp_si(arb_radref(acb_imagref(yc + i)), 1, -30);
        }
        neft_kernel_eval_acb(z, k, xc, yc, 1, 64);
        if (acb_is_finite(z))
            CHECK(contains_ref(acb_realref(z), ref), "acb analytic on a complex ball");
        if (KTYPE(k) != NEFT_KERNEL_RELU || !vec_equal(x, y, d))
        {
            /* the diagonal function equals K(y, y) */
            neft_kernel_eval_arb(ref, k, y, y, 128);
            for (i = 0; i < d; i++)
                acb_set_arb(yc + i, y + i);
            neft_kernel_diag_acb(z, k, yc, 1, 64);
            CHECK(acb_is_finite(z) && arb_overlaps(acb_realref(z), ref), "diagonal K(y,y)");
        }
        /* one-sided ReLU, d = 1, sigma_b > 0 */
        if (KTYPE(k) == NEFT_KERNEL_RELU && d == 1 && !arb_is_zero(k->sb2))
        {
            int side = arb_ge(y, x) ? 1 : -1;
            naive(ref, k, x, y, 256);
            if (arb_is_finite(ref))
            {
                _neft_kernel_relu1_acb(z, k, xc, yc, side, 1, 64);
                CHECK(acb_is_finite(z) && contains_ref(acb_realref(z), ref), "one-sided ReLU");
            }
        }
    }

    /* exact cases */
    for (d = 1; d <= 3; d++)
    {
        arb_one(sw);
        arb_zero(sb);
        neft_kernel_set_params(k, NEFT_KERNEL_RELU, d, sw, sb, 64);
        for (i = 0; i < d; i++)
        {
            arb_set_si(x + i, i + 1);                /* x = (1, 2, 3) */
            arb_set_si(y + i, -2 * (i + 1));         /* y = -2x: cos t = -1 */
        }
        neft_kernel_eval_arb(r, k, x, y, 64);
        CHECK(arb_is_zero(r) || (arb_is_finite(r) && arb_contains_zero(r)
              && mag_cmp_2exp_si(arb_radref(r), -50) < 0), "ReLU cos t = -1, sigma_b = 0: K = 0 (d=%ld)", (long) d);
        for (i = 0; i < d; i++)
            arb_set_si(y + i, 3 * (i + 1));          /* y = 3x: cos t = 1, K = sw2 k_xy / 2 */
        neft_kernel_eval_arb(r, k, x, y, 64);
        arb_set_si(ref, 3 * (d * (d + 1) * (2 * d + 1) / 6));
        arb_div_si(ref, ref, 2 * d, 64);             /* a x.y / 2, a = 1/d */
        CHECK(arb_contains(r, ref) && arb_rel_accuracy_bits(r) > 50, "ReLU cos t = 1 (d=%ld)", (long) d);
        _arb_vec_zero(x, d);                          /* origin, sigma_b = 0: K = 0 exactly */
        neft_kernel_eval_arb(r, k, x, y, 64);
        CHECK(arb_is_zero(r), "ReLU at the origin, sigma_b = 0 (d=%ld)", (long) d);
        for (i = 0; i < d; i++)
            acb_set_arb(yc + i, y + i), acb_zero(xc + i);
        neft_kernel_eval_acb(z, k, xc, yc, 1, 64);
        CHECK(acb_is_zero(z), "ReLU acb at the origin, sigma_b = 0");

        /* ReLU, sigma_b = 1/2, d = 3, y = -x: cos t = (b - a|x|^2)/(b + a|x|^2) */
        arb_set_d(sb, 0.5);
        neft_kernel_set_params(k, NEFT_KERNEL_RELU, d, sw, sb, 64);
        for (i = 0; i < d; i++)
            arb_set_si(x + i, i + 1), arb_set_si(y + i, -(i + 1));
        neft_kernel_eval_arb(r, k, x, y, 64);
        naive(ref, k, x, y, 256);
        CHECK(good(r, ref), "ReLU y = -x, sigma_b > 0 (d=%ld)", (long) d);
        _arb_vec_zero(x, d);          /* origin with sigma_b > 0 */
        neft_kernel_eval_arb(r, k, x, y, 64);
        naive(ref, k, x, y, 256);
        CHECK(good(r, ref), "ReLU at the origin, sigma_b > 0 (d=%ld)", (long) d);
    }
    /* Erf at x = +-1 */
    for (iter = 0; iter < 4; iter++)
    {
        arb_set_d(sw, 1.0 + 0.5 * iter);
        arb_set_d(sb, iter == 0 ? 0.0 : 0.25 * iter);
        neft_kernel_set_params(k, NEFT_KERNEL_ERF, 1, sw, sb, 64);
        for (i = 0; i < 4; i++)
        {
            arb_set_si(x, (i & 1) ? -1 : 1);
            arb_set_si(y, (i & 2) ? -1 : 1);
            neft_kernel_eval_arb(r, k, x, y, 64);
            naive(ref, k, x, y, 256);
            CHECK(good(r, ref), "Erf at x, x' = +-1");
        }
    }

    arb_clear(r); arb_clear(ref); arb_clear(sw); arb_clear(sb);
    acb_clear(z);
    _arb_vec_clear(x, 3);
    _arb_vec_clear(y, 3);
    _acb_vec_clear(xc, 3);
    _acb_vec_clear(yc, 3);
    neft_kernel_clear(k);
    flint_randclear(state);
    flint_cleanup();
    return neft_test_finish("t-kernel");
}
