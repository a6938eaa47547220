/* Kernel property tests: every ball contains an independently computed
   value -- the textbook formulas (arcsin for Erf, arccos for ReLU, the
   Gaussian) at 4x the precision -- at random points in d_in = 1..3; exact
   special cases (cos t = +-1, points at the origin, Erf at x = +-1); the
   complex continuation contains the real value on real points; the
   one-sided ReLU continuation agrees on its side; K(y,y) on the diagonal.
   (The GP 2-point function by quadrature over the Gaussian weights is
   checked end to end in tests/gp2.py.) */

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "neft/net.h"
#include "neft/kernel.h"
#include "neft-test.h"

/* the three rows the random instances cycle through, in this order */
static const char * const rows3[3] = {"gauss", "erf", "relu"};
#define IS_ROW(k, name) ((k)->act == neft_act_lookup(name))

/* k := the kernel of the row called name with d_in = d and the standard
   deviations sw, sb (the row has a closed-form kernel) */
static void
set_named(neft_kernel_t k, const char * name, slong d, const arb_t sw, const arb_t sb, slong prec)
{
    const char * why = "";
    if (neft_kernel_set_act(k, neft_act_lookup(name), NULL, d, sw, sb, &why, prec) != NEFT_SUCCESS)
        FAIL("%s has no kernel: %s", name, why);
}

/* The textbook formulas, at precision prec (no cancellation-free forms). */
static void
naive(arb_t res, const neft_kernel_t k, arb_srcptr x, arb_srcptr y, slong prec)
{
    slong i, d = k->d;
    arb_t a, kxx, kyy, kxy, t, u;
    arb_init(a); arb_init(kxx); arb_init(kyy); arb_init(kxy); arb_init(t); arb_init(u);
    arb_div_si(a, k->sw2, d, prec);
    if (IS_ROW(k, "gauss"))
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
        if (IS_ROW(k, "erf"))
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
        else if (IS_ROW(k, "relu"))
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
        else
            FAIL("no textbook formula here for %s", k->act->name);
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
    printf("  kernel %s d=%ld sw2=", k->act->name, (long) k->d);
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

/* ---- the rows added to the table: leaky-relu, linear, sin ---- */

/* The reference E[sigma(u) sigma(v)] for (u, v) centred Gaussian with
   covariances kxx, kxy, kyy, as a 2-D Gaussian integral done in two steps:
   u = A z, v = C z + S w (A = sqrt(kxx), C = kxy/A, S^2 = kyy - C^2), the
   inner expectation over w in closed form, the outer over z by
   acb_calc_integrate on [-40, 0] and [0, 40] (the activations are analytic
   on each; the tails beyond 40 are below e^-790, added as error). */
typedef struct
{
    int kind;             /* 0 leaky-relu, 1 linear, 2 sin */
    int piece;            /* +1: z >= 0, -1: z <= 0 */
    arb_t slope, A, C, S2, S;
}
ref_struct;

static int
ref_integrand(acb_ptr out, const acb_t z, void * param, slong order, slong prec)
{
    ref_struct * R = param;
    acb_t u, m, t, h, phi;
    (void) order;     /* entire on every piece */
    acb_init(u); acb_init(m); acb_init(t); acb_init(h); acb_init(phi);
    acb_mul_arb(u, z, R->A, prec);
    acb_mul_arb(m, z, R->C, prec);
    if (R->kind == 0)
    {
        /* sigma(u) on the piece; E[sigma(m + S w)] = slope m + (1 - slope)
           (m Phi(m/S) + S phi(m/S)) */
        if (R->piece < 0)
            acb_mul_arb(u, u, R->slope, prec);
        acb_div_arb(t, m, R->S, prec);
        acb_mul_2exp_si(phi, t, -1);
        acb_mul(phi, phi, t, prec);
        acb_neg(phi, phi);
        acb_exp(phi, phi, prec);                 /* exp(-t^2/2) */
        {
            arb_t c;
            arb_init(c);
            arb_const_pi(c, prec);
            arb_mul_2exp_si(c, c, 1);
            arb_rsqrt(c, c, prec);
            acb_mul_arb(phi, phi, c, prec);      /* phi(t) */
            arb_clear(c);
        }
        acb_mul_arb(h, phi, R->S, prec);
        {
            acb_t e;
            arb_t r2;
            acb_init(e);
            arb_init(r2);
            arb_sqrt_ui(r2, 2, prec);
            acb_div_arb(e, t, r2, prec);
            acb_neg(e, e);
            acb_hypgeom_erfc(e, e, prec);
            acb_mul_2exp_si(e, e, -1);           /* Phi(t) */
            acb_addmul(h, m, e, prec);
            acb_clear(e);
            arb_clear(r2);
        }
        arb_sub_ui(acb_realref(t), R->slope, 1, prec);
        arb_neg(acb_realref(t), acb_realref(t));
        arb_zero(acb_imagref(t));
        acb_mul(h, h, t, prec);
        acb_addmul_arb(h, m, R->slope, prec);
    }
    else if (R->kind == 1)
        acb_set(h, m);
    else
    {
        acb_sin(u, u, prec);
        acb_sin(h, m, prec);
        acb_set_arb(t, R->S2);
        acb_mul_2exp_si(t, t, -1);
        acb_neg(t, t);
        acb_exp(t, t, prec);
        acb_mul(h, h, t, prec);
    }
    /* times the standard normal density of z */
    acb_sqr(phi, z, prec);
    acb_mul_2exp_si(phi, phi, -1);
    acb_neg(phi, phi);
    acb_exp(phi, phi, prec);
    {
        arb_t c;
        arb_init(c);
        arb_const_pi(c, prec);
        arb_mul_2exp_si(c, c, 1);
        arb_rsqrt(c, c, prec);
        acb_mul_arb(phi, phi, c, prec);
        arb_clear(c);
    }
    acb_mul(out, u, h, prec);
    acb_mul(out, out, phi, prec);
    acb_clear(u); acb_clear(m); acb_clear(t); acb_clear(h); acb_clear(phi);
    return 0;
}

/* K(x, y) of kind at prec bits from the covariances, by ref_integrand;
   0 if S^2 is not certainly positive (the case is skipped). */
static int
reference(arb_t res, int kind, const neft_kernel_t k, arb_srcptr x, arb_srcptr y, slong prec)
{
    ref_struct R;
    arb_t a, kxx, kyy, kxy;
    acb_t lo, hi, piece;
    mag_t tol;
    acb_calc_integrate_opt_t opt;
    slong i;
    int ok, p;
    R.kind = kind;
    arb_init(R.slope); arb_init(R.A); arb_init(R.C); arb_init(R.S2); arb_init(R.S);
    arb_init(a); arb_init(kxx); arb_init(kyy); arb_init(kxy);
    acb_init(lo); acb_init(hi); acb_init(piece);
    mag_init(tol);
    arb_set(R.slope, k->param);
    arb_div_si(a, k->sw2, k->d, prec);
    for (i = 0; i < k->d; i++)
    {
        arb_addmul(kxx, x + i, x + i, prec);
        arb_addmul(kyy, y + i, y + i, prec);
        arb_addmul(kxy, x + i, y + i, prec);
    }
    arb_mul(kxx, kxx, a, prec); arb_add(kxx, kxx, k->sb2, prec);
    arb_mul(kyy, kyy, a, prec); arb_add(kyy, kyy, k->sb2, prec);
    arb_mul(kxy, kxy, a, prec); arb_add(kxy, kxy, k->sb2, prec);
    arb_sqrt(R.A, kxx, prec);
    arb_div(R.C, kxy, R.A, prec);
    arb_sqr(R.S2, R.C, prec);
    arb_sub(R.S2, kyy, R.S2, prec);
    ok = arb_is_positive(R.S2) && arb_is_positive(kxx);
    arb_zero(res);
    if (ok)
    {
        arb_sqrt(R.S, R.S2, prec);
        acb_calc_integrate_opt_init(opt);
        mag_set_ui_2exp_si(tol, 1, -prec + 8);
        for (p = -1; p <= 1; p += 2)
        {
            R.piece = p;
            acb_zero(lo);
            acb_set_si(hi, 40 * p);
            acb_calc_integrate(piece, ref_integrand, &R, lo, hi, prec - 8, tol, opt, prec);
            if (p < 0)
                acb_neg(piece, piece);
            arb_add(res, res, acb_realref(piece), prec);
        }
        arb_add_error_2exp_si(res, -900);
        arb_mul(res, res, k->sw2, prec);
        if (!k->subtract_bias)
            arb_add(res, res, k->sb2, prec);
    }
    arb_clear(R.slope); arb_clear(R.A); arb_clear(R.C); arb_clear(R.S2); arb_clear(R.S);
    arb_clear(a); arb_clear(kxx); arb_clear(kyy); arb_clear(kxy);
    acb_clear(lo); acb_clear(hi); acb_clear(piece);
    mag_clear(tol);
    return ok;
}

static void
set_row(neft_kernel_t k, const char * name, const char * slope, slong d, double sw,
        double sb, slong prec)
{
    arb_t a, b, p;
    fmpq_t q;
    arb_init(a); arb_init(b); arb_init(p);
    fmpq_init(q);
    arb_set_d(a, sw);
    arb_set_d(b, sb);
    if (slope != NULL)
    {
        fmpq_set_str(q, slope, 10);
        arb_set_fmpq(p, q, prec);
    }
    CHECK(neft_kernel_set_act(k, neft_act_lookup(name), slope ? p : NULL, d, a, b, NULL, prec)
          == NEFT_SUCCESS, "set_act %s", name);
    arb_clear(a); arb_clear(b); arb_clear(p);
    fmpq_clear(q);
}

static void
new_rows(flint_rand_t state)
{
    static const char * names[3] = {"leaky-relu", "linear", "sin"};
    static const char * slopes[3] = {"1/5", NULL, NULL};
    neft_kernel_t k, k2;
    arb_ptr x, y;
    acb_ptr xc, yc;
    arb_t r, ref, t;
    acb_t z;
    slong d, j, i, checked = 0;
    int kind;
    const char * reason;

    neft_kernel_init(k);
    neft_kernel_init(k2);
    x = _arb_vec_init(3); y = _arb_vec_init(3);
    xc = _acb_vec_init(3); yc = _acb_vec_init(3);
    arb_init(r); arb_init(ref); arb_init(t);
    acb_init(z);

    /* against the 2-D Gaussian integral, at 200 bits, d_in = 1, 2, 3 */
    for (kind = 0; kind < 3; kind++)
        for (d = 1; d <= 3; d++)
            for (j = 0; j < 4; j++)
            {
                set_row(k, names[kind], slopes[kind], d, j & 1 ? 1.25 : 0.75,
                        (d > 1 && j == 2) ? 0.0 : 0.5, 400);
                k->subtract_bias = (j == 3);
                for (i = 0; i < d; i++)
                {
                    randcoord(x + i, state);
                    randcoord(y + i, state);
                }
                if (!reference(ref, kind, k, x, y, 320))
                    continue;
                checked++;
                neft_kernel_eval_arb(r, k, x, y, 200);
                CHECK(contains_ref(r, ref) && (arb_is_exact(r) || arb_rel_accuracy_bits(r) >= 180),
                      "%s (d_in %ld) against the Gaussian integral: %ld bits", names[kind],
                      (long) d, (long) arb_rel_accuracy_bits(r));
                if (!contains_ref(r, ref))
                {
                    print_case(k, x, y);
                    printf("  got "); arb_printd(r, 30);
                    printf("\n  ref "); arb_printd(ref, 30); printf("\n");
                }
                /* the continuation on real and on complex balls around them */
                for (i = 0; i < d; i++)
                {
                    acb_set_arb(xc + i, x + i);
                    acb_set_arb(yc + i, y + i);
                }
                neft_kernel_eval_acb(z, k, xc, yc, 1, 200);
                CHECK(acb_is_finite(z) && contains_ref(acb_realref(z), ref)
                      && arb_contains_zero(acb_imagref(z)), "%s acb analytic on real points",
                      names[kind]);
                for (i = 0; i < d; i++)
                    mag_set_ui_2exp_si(arb_radref(acb_imagref(yc + i)), 1, -40);
                neft_kernel_eval_acb(z, k, xc, yc, 1, 200);
                CHECK(acb_is_finite(z) && contains_ref(acb_realref(z), ref),
                      "%s acb analytic on a complex ball", names[kind]);
                /* the diagonal */
                neft_kernel_eval_arb(t, k, y, y, 200);
                for (i = 0; i < d; i++)
                    acb_set_arb(yc + i, y + i);
                neft_kernel_diag_acb(z, k, yc, 1, 200);
                CHECK(acb_is_finite(z) && arb_overlaps(acb_realref(z), t)
                      && (arb_is_exact(acb_realref(z))
                          || arb_rel_accuracy_bits(acb_realref(z)) >= 180), "%s diagonal", names[kind]);
                /* one-sided continuation (d_in = 1, sigma_b > 0) */
                if (kind == 0 && d == 1 && !arb_is_zero(k->sb2) && !arb_equal(x, y))
                {
                    neft_kernel_side1_acb(z, k, xc, yc, arb_gt(y, x) ? 1 : -1, 1, 200);
                    CHECK(acb_is_finite(z) && contains_ref(acb_realref(z), ref),
                          "leaky-relu one-sided continuation");
                }
            }
    CHECK(checked >= 30, "only %ld reference cases", (long) checked);

    /* holomorphy: leaky-relu is not analytic at x' = x when sigma_b > 0 (like
       relu); linear and sin are entire */
    for (d = 1; d <= 3; d++)
    {
        for (i = 0; i < d; i++)
        {
            acb_set_d(xc + i, 0.5 + i);
            acb_set_d(yc + i, 0.5 + i);
        }
        mag_set_ui_2exp_si(arb_radref(acb_imagref(yc)), 1, -20);
        set_row(k, "leaky-relu", "1/100", d, 1.0, 0.5, 64);
        neft_kernel_eval_acb(z, k, xc, yc, 1, 64);
        CHECK(!acb_is_finite(z), "leaky-relu analytic at x' = x, sigma_b > 0 (d_in %ld)", (long) d);
        neft_kernel_eval_acb(z, k, xc, yc, 0, 64);
        CHECK(acb_is_finite(z), "leaky-relu non-analytic evaluation at x' = x");
        set_row(k, "relu", NULL, d, 1.0, 0.5, 64);
        neft_kernel_eval_acb(z, k, xc, yc, 1, 64);
        CHECK(!acb_is_finite(z), "relu analytic at x' = x, sigma_b > 0 (d_in %ld)", (long) d);
        set_row(k, "linear", NULL, d, 1.0, 0.5, 64);
        neft_kernel_eval_acb(z, k, xc, yc, 1, 64);
        CHECK(acb_is_finite(z), "linear is entire");
        set_row(k, "sin", NULL, d, 1.0, 0.5, 64);
        neft_kernel_eval_acb(z, k, xc, yc, 1, 64);
        CHECK(acb_is_finite(z), "sin is entire");
    }

    /* slope 0 is relu, slope 1 is linear */
    for (j = 0; j < 40; j++)
    {
        d = 1 + j % 3;
        for (i = 0; i < d; i++)
        {
            randcoord(x + i, state);
            randcoord(y + i, state);
        }
        set_row(k, "leaky-relu", "0", d, 1.25, j & 1 ? 0.5 : 0.0, 128);
        set_row(k2, "relu", NULL, d, 1.25, j & 1 ? 0.5 : 0.0, 128);
        neft_kernel_eval_arb(r, k, x, y, 128);
        neft_kernel_eval_arb(t, k2, x, y, 128);
        CHECK(arb_overlaps(r, t), "leaky-relu with slope 0 is relu");
        set_row(k, "leaky-relu", "1", d, 1.25, j & 1 ? 0.5 : 0.0, 128);
        set_row(k2, "linear", NULL, d, 1.25, j & 1 ? 0.5 : 0.0, 128);
        neft_kernel_eval_arb(r, k, x, y, 128);
        neft_kernel_eval_arb(t, k2, x, y, 128);
        CHECK(arb_overlaps(r, t), "leaky-relu with slope 1 is linear");
    }

    /* the orthant form (d_in = 1, sigma_b = 0): K = same x y or opp x y */
    for (kind = 0; kind < 2; kind++)
    {
        arb_t same, opp;
        arb_init(same); arb_init(opp);
        set_row(k, names[kind], slopes[kind], 1, 1.25, 0.0, 128);
        k->act->kernel->orthant(same, opp, k, 128);
        for (j = 0; j < 20; j++)
        {
            randcoord(x, state);
            randcoord(y, state);
            neft_kernel_eval_arb(r, k, x, y, 128);
            arb_mul(t, x, y, 128);
            arb_mul(t, t, arb_is_positive(t) ? same : opp, 128);
            CHECK(arb_overlaps(r, t), "%s orthant form", names[kind]);
        }
        arb_clear(same); arb_clear(opp);
    }

    /* the double-interval version contains the ball version (erf, relu) */
    for (j = 0; j < 200; j++)
    {
        double lo, hi, xv, yv, w = j % 3 == 0 ? 0 : ldexp(1, -12);
        const char * name = j & 1 ? "relu" : "erf";
        set_row(k, name, NULL, 1, 0.5 + 0.25 * (j % 5), j & 1 ? 0.5 : 0.25 * (j % 3), 128);
        randcoord(x, state);
        randcoord(y, state);
        xv = arf_get_d(arb_midref(x), ARF_RND_NEAR);
        yv = arf_get_d(arb_midref(y), ARF_RND_NEAR);
        if (w > 0 && fabs(xv - yv) <= 2 * w)
            yv = xv + 1;
        CHECK(neft_kernel_eval_ivl(&lo, &hi, k, xv, xv + w, yv, yv + w), "%s interval kernel", name);
        for (i = 0; i < 4; i++)
        {
            arb_set_d(x, xv + (i & 1 ? w : 0));
            arb_set_d(y, yv + (i & 2 ? w : 0));
            neft_kernel_eval_arb(r, k, x, y, 128);
            arb_set_d(t, lo);
            CHECK(arb_ge(r, t), "%s interval lower bound", name);
            arb_set_d(t, hi);
            CHECK(arb_le(r, t), "%s interval upper bound", name);
        }
    }
    for (kind = 0; kind < 3; kind++)
    {
        double lo, hi;
        set_row(k, names[kind], slopes[kind], 1, 1.0, 0.5, 64);
        CHECK(!neft_kernel_eval_ivl(&lo, &hi, k, 0.5, 0.5, 1.0, 1.0),
              "%s has no interval version: refused", names[kind]);
    }

    /* built from the network value; refused by name where the row has no kernel */
    {
        neft_net_t net;
        char err[256];
        fmpq_t sw, sb;
        neft_net_init(net);
        fmpq_init(sw); fmpq_init(sb);
        fmpq_set_si(sw, 3, 4);
        fmpq_set_si(sb, 1, 2);
        neft_net_set_sigma(net, sw, sb);
        net->d_in = 2;
        for (i = 0; i < neft_act_count(); i++)
        {
            neft_act_srcptr act = neft_act_get(i);
            int has = neft_act_has(act, NEFT_ACT_CAP_GP_KERNEL, NULL), st;
            CHECK(neft_net_set_act(net, act, NULL, err, sizeof err) == NEFT_SUCCESS, "set_act");
            reason = NULL;
            st = neft_kernel_set_net(k, net, &reason, 128);
            if (!has)
                CHECK(st == NEFT_UNSUPPORTED && reason != NULL && strstr(reason, act->name)
                      && strstr(reason, "Gaussian-process kernel"),
                      "%s without a kernel: refused by name", act->name);
            else
            {
                CHECK(st == NEFT_SUCCESS && k->act == act && k->d == 2, "%s kernel from the net",
                      act->name);
                set_row(k2, act->name, act->param_default, 2, 0.75, 0.5, 128);
                for (j = 0; j < 2; j++)
                {
                    arb_set_d(x + j, 0.5 - j);
                    arb_set_d(y + j, 1.5 + j);
                }
                neft_kernel_eval_arb(r, k, x, y, 128);
                neft_kernel_eval_arb(t, k2, x, y, 128);
                CHECK(arb_overlaps(r, t) && arb_rel_accuracy_bits(r) > 100,
                      "%s: set_net and set_act agree", act->name);
            }
        }
        CHECK(neft_kernel_lookup_act("gaussnet") == neft_act_lookup("gauss")
              && neft_kernel_lookup_act("GaussNet") == neft_act_lookup("gauss")
              && neft_kernel_lookup_act("ReLU") == neft_act_lookup("relu")
              && neft_kernel_lookup_act("Erf") == neft_act_lookup("erf")
              && neft_kernel_lookup_act(" relu") == NULL && neft_kernel_lookup_act(NULL) == NULL
              && neft_kernel_lookup_act("sin") == neft_act_lookup("sin"),
              "lookups (gaussnet and the capitalised names; every row by its name)");
        fmpq_clear(sw); fmpq_clear(sb);
        neft_net_clear(net);
    }

    neft_kernel_clear(k);
    neft_kernel_clear(k2);
    _arb_vec_clear(x, 3); _arb_vec_clear(y, 3);
    _acb_vec_clear(xc, 3); _acb_vec_clear(yc, 3);
    arb_clear(r); arb_clear(ref); arb_clear(t);
    acb_clear(z);
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
        set_named(k, rows3[type], d, sw, sb, 256);
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
        if (!IS_ROW(k, "relu"))
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
        if (!IS_ROW(k, "relu") || !vec_equal(x, y, d))
        {
            /* the diagonal function equals K(y, y) */
            neft_kernel_eval_arb(ref, k, y, y, 128);
            for (i = 0; i < d; i++)
                acb_set_arb(yc + i, y + i);
            neft_kernel_diag_acb(z, k, yc, 1, 64);
            CHECK(acb_is_finite(z) && arb_overlaps(acb_realref(z), ref), "diagonal K(y,y)");
        }
        /* one-sided ReLU, d = 1, sigma_b > 0 */
        if (IS_ROW(k, "relu") && d == 1 && !arb_is_zero(k->sb2))
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
        set_named(k, "relu", d, sw, sb, 64);
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
        set_named(k, "relu", d, sw, sb, 64);
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
        set_named(k, "erf", 1, sw, sb, 64);
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
    new_rows(state);
    flint_randclear(state);
    flint_cleanup();
    return neft_test_finish("t-kernel");
}
