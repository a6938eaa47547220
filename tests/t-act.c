/* The activation table (neft/act.h): for every row, the double evaluator
   inside a slightly widened ball of the ball evaluator at many points; the
   ball derivative against a central difference of the ball values; the
   declared properties numerically (bounded, homogeneous, growth bound, poles
   and kinks refused when holomorphy is asked for, entire rows finite there);
   lookup of every name, refusal of unknown names and missing capabilities. */

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/act.h"
#include "neft/exact.h"
#include "neft/onen.h"
#include "neft/sample.h"
#include "neft-test.h"

#define PREC 128

/* the parameters a row is tested with (leaky-relu: its default 1/100 and a
   second slope; gauss: two variances k) */
static void
params(double * pd, arb_t pb, neft_act_srcptr act, int which)
{
    if (!strcmp(act->name, "leaky-relu"))
    {
        if (which == 0)
            arb_set_ui(pb, 1), arb_div_ui(pb, pb, 100, PREC);
        else
            arb_set_d(pb, 0.25);
    }
    else if (!strcmp(act->name, "gauss"))
        arb_set_d(pb, which == 0 ? 1.0 : 0.375);
    else
        arb_zero(pb);
    *pd = arf_get_d(arb_midref(pb), ARF_RND_NEAR);
}

/* the real points: a grid over [-40, 40], small ones, and large ones */
static slong
points(double * z)
{
    slong n = 0, i;
    for (i = -400; i <= 400; i++)
        z[n++] = 0.1 * (double) i + 0.0123;
    for (i = -30; i <= 30; i++)
        z[n++] = ldexp((double) (i % 2 ? -1 : 1), (int) i);
    z[n++] = 0.0;
    z[n++] = 1e6;
    z[n++] = -1e6;
    z[n++] = 700.0;
    z[n++] = -700.0;
    return n;
}

/* y in the ball r widened by 1e-13 relative and 1e-300 absolute */
static int
contains_d(const acb_t r, double y)
{
    arb_t w, t;
    int ok;
    if (!arb_is_finite(acb_realref(r)) || !arb_contains_zero(acb_imagref(r)))
        return 0;
    if (y == HUGE_VAL || y == -HUGE_VAL)
    {
        /* overflow: the value is beyond the largest double */
        arb_init(t);
        arb_set_d(t, y > 0 ? DBL_MAX : -DBL_MAX);
        ok = y > 0 ? arb_gt(acb_realref(r), t) : arb_lt(acb_realref(r), t);
        arb_clear(t);
        return ok;
    }
    arb_init(w); arb_init(t);
    arb_set(w, acb_realref(r));
    arb_get_abs_ubound_arf(arb_midref(t), w, PREC);
    arf_mul_2exp_si(arb_midref(t), arb_midref(t), -43);
    arb_add_error_arf(w, arb_midref(t));
    arb_add_error_2exp_si(w, -996);
    arb_set_d(t, y);
    ok = arb_contains(w, t);
    arb_clear(w); arb_clear(t);
    return ok;
}

static void
check_values(neft_act_srcptr act, int which)
{
    double z[1000], y[1000], yy[1000], pd;
    slong n = points(z), i;
    arb_t pb;
    acb_t zb, r;
    arb_init(pb); acb_init(zb); acb_init(r);
    params(&pd, pb, act, which);
    act->eval_d(y, z, n, act->nparams ? &pd : NULL);
    /* in place, and one at a time: the same numbers */
    memcpy(yy, z, sizeof(double) * (size_t) n);
    act->eval_d(yy, yy, n, act->nparams ? &pd : NULL);
    for (i = 0; i < n; i++)
    {
        double one;
        act->eval_d(&one, z + i, 1, act->nparams ? &pd : NULL);
        CHECK(yy[i] == y[i] || (isnan(yy[i]) && isnan(y[i])), "%s in place z=%g", act->name, z[i]);
        CHECK(one == y[i], "%s n=1 z=%g", act->name, z[i]);
    }
    for (i = 0; i < n; i++)
    {
        int st;
        acb_set_d(zb, z[i]);
        st = act->eval_acb(r, zb, act->nparams ? pb : NULL, 0, 0, PREC);
        CHECK(st == NEFT_ACT_SUCCESS, "%s status", act->name);
        CHECK(contains_d(r, y[i]), "%s(%.17g) = %.17g (double) not in the ball", act->name,
              z[i], y[i]);
        /* properties, on the ball values (rigorous) and the doubles */
        if (act->flags & NEFT_ACT_BOUNDED)
        {
            arb_t s;
            arb_init(s);
            arb_set_d(s, act->sup);
            CHECK(!arb_gt(acb_realref(r), s) && fabs(y[i]) <= act->sup,
                  "%s bounded by %g fails at %g", act->name, act->sup, z[i]);
            arb_neg(s, s);
            CHECK(!arb_lt(acb_realref(r), s), "%s bounded below by -%g fails at %g",
                  act->name, act->sup, z[i]);
            arb_clear(s);
        }
        if (act->flags & NEFT_ACT_GROWTH)
        {
            double b = act->growth_a + act->growth_b * pow(fabs(z[i]), (double) act->growth_p);
            CHECK(fabs(y[i]) <= b, "%s growth bound %g + %g|z|^%ld fails at z=%g: %g",
                  act->name, act->growth_a, act->growth_b, (long) act->growth_p, z[i], y[i]);
        }
        if ((act->flags & NEFT_ACT_HOMOGENEOUS) && fabs(z[i]) < 1e5)
        {
            static const double ts[] = {0.5, 2.0, 3.0, 1e-3, 17.25};
            slong j;
            for (j = 0; j < 5; j++)
            {
                double tz = ts[j] * z[i], v;
                act->eval_d(&v, &tz, 1, act->nparams ? &pd : NULL);
                CHECK(fabs(v - pow(ts[j], (double) act->degree) * y[i]) <= 1e-15 * fabs(v),
                      "%s homogeneous of degree %ld fails at z=%g t=%g", act->name,
                      (long) act->degree, z[i], ts[j]);
            }
        }
    }
    arb_clear(pb); acb_clear(zb); acb_clear(r);
}

/* sigma' against (sigma(z + h) - sigma(z - h)) / 2h in balls, off the kink:
   the difference quotient is within h^2 max|sigma'''|/6 of sigma'; a
   relative/absolute 1e-6 with h = 2^-30 leaves ample room */
static void
check_derivative(neft_act_srcptr act, int which)
{
    double z[1000], pd;
    slong n = points(z), i;
    arb_t pb, d, tol;
    acb_t zb, zp, zm, vp, vm, dv, r;
    arb_init(pb); arb_init(d); arb_init(tol);
    acb_init(zb); acb_init(zp); acb_init(zm); acb_init(vp); acb_init(vm); acb_init(dv);
    acb_init(r);
    params(&pd, pb, act, which);
    for (i = 0; i < n; i++)
    {
        if (fabs(z[i]) > 50 || (act->singular == NEFT_ACT_SINGULAR_KINK && fabs(z[i]) < 1e-6))
            continue;
        acb_set_d(zb, z[i]);
        acb_set_d(zp, z[i] + ldexp(1, -30));
        acb_set_d(zm, z[i] - ldexp(1, -30));
        act->eval_acb(vp, zp, act->nparams ? pb : NULL, 0, 1, PREC);
        act->eval_acb(vm, zm, act->nparams ? pb : NULL, 0, 1, PREC);
        acb_sub(dv, vp, vm, PREC);
        acb_mul_2exp_si(dv, dv, 29);
        CHECK(act->eval_acb(r, zb, act->nparams ? pb : NULL, 1, 1, PREC) == NEFT_ACT_SUCCESS,
              "%s derivative status", act->name);
        arb_sub(d, acb_realref(r), acb_realref(dv), PREC);
        arb_abs(d, d);
        arb_abs(tol, acb_realref(r));
        arb_mul_2exp_si(tol, tol, -20);
        {
            arb_t e;
            arb_init(e);
            arb_set_d(e, 1e-6);
            arb_add(tol, tol, e, PREC);
            arb_clear(e);
        }
        CHECK(arb_is_finite(acb_realref(r)) && arb_lt(d, tol),
              "%s'(%g) against the difference quotient", act->name, z[i]);
    }
    /* order 2 is refused by name */
    acb_set_d(zb, 0.5);
    CHECK(act->eval_acb(r, zb, act->nparams ? pb : NULL, 2, 0, PREC) == NEFT_ACT_UNSUPPORTED
          && !acb_is_finite(r), "%s second derivative not refused", act->name);
    arb_clear(pb); arb_clear(d); arb_clear(tol);
    acb_clear(zb); acb_clear(zp); acb_clear(zm); acb_clear(vp); acb_clear(vm); acb_clear(dv);
    acb_clear(r);
}

/* a ball around z = x + iy of radius rad */
static void
ball(acb_t z, double x, double y, double rad)
{
    acb_set_d_d(z, x, y);
    arb_add_error_2exp_si(acb_realref(z), (slong) floor(log2(rad)));
    arb_add_error_2exp_si(acb_imagref(z), (slong) floor(log2(rad)));
}

static void
check_holomorphy(neft_act_srcptr act)
{
    arb_t pb;
    acb_t z, r;
    double pd, pi = 3.14159265358979323846;
    slong k, d;
    arb_init(pb); acb_init(z); acb_init(r);
    params(&pd, pb, act, 0);
    for (d = 0; d <= 1; d++)
    {
        if (act->singular == NEFT_ACT_SINGULAR_KINK)
        {
            for (k = 0; k < 5; k++)
            {
                ball(z, 0.0, (double) k - 2.0, 1e-3);
                act->eval_acb(r, z, act->nparams ? pb : NULL, d, 1, PREC);
                CHECK(!acb_is_finite(r), "%s^(%ld) analytic across Re z = 0 (Im %ld)",
                      act->name, (long) d, (long) k - 2);
            }
            /* off the kink: finite */
            ball(z, 0.5, 0.25, 1e-3);
            act->eval_acb(r, z, act->nparams ? pb : NULL, d, 1, PREC);
            CHECK(acb_is_finite(r), "%s^(%ld) not finite off the kink", act->name, (long) d);
        }
        else if (act->singular == NEFT_ACT_SINGULAR_POLES)
        {
            for (k = -2; k <= 2; k++)
            {
                ball(z, 0.0, pi * (act->pole_at + (double) k * act->pole_step), 1e-3);
                act->eval_acb(r, z, act->nparams ? pb : NULL, d, 1, PREC);
                CHECK(!acb_is_finite(r), "%s^(%ld) finite at its pole k=%ld", act->name,
                      (long) d, (long) k);
                /* half way between poles: finite */
                ball(z, 0.0, pi * (act->pole_at + ((double) k + 0.5) * act->pole_step), 1e-3);
                act->eval_acb(r, z, act->nparams ? pb : NULL, d, 1, PREC);
                CHECK(acb_is_finite(r), "%s^(%ld) not finite between poles", act->name,
                      (long) d);
            }
        }
        else
        {
            CHECK(act->flags & NEFT_ACT_ENTIRE, "%s: no singularity declared but not entire",
                  act->name);
            for (k = -3; k <= 3; k++)
            {
                ball(z, 0.3 * (double) k, 1.7 * (double) k, 0.5);
                act->eval_acb(r, z, act->nparams ? pb : NULL, d, 1, PREC);
                CHECK(acb_is_finite(r), "%s^(%ld) (entire) not finite at k=%ld", act->name,
                      (long) d, (long) k);
            }
        }
    }
    CHECK(((act->flags & NEFT_ACT_ENTIRE) != 0) == (act->singular == NEFT_ACT_SINGULAR_NONE),
          "%s: ENTIRE and the singularities disagree", act->name);
    arb_clear(pb); acb_clear(z); acb_clear(r);
}

/* The modules' old numbers reach the table through their names; a number
   that names no activation is computed by no other activation's code (before
   the table, the sampler computed GaussNet and the exact moments tanh for it). */
static void
check_unknown_numbers(void)
{
    neft_sample_spec_t spec;
    neft_sample_rng_t rng;
    neft_exact_spec_t es;
    double x = 0.5, out = 0, * work;
    slong idx[2] = {0, 0};
    arb_t r, pt;

    neft_sample_spec_init(spec);
    spec->net->act = NULL;   /* before the net: the activation number 7 */
    neft_sample_spec_set_points(spec, &x, 1);
    work = flint_malloc(sizeof(double) * (size_t) neft_sample_work_size(spec));
    neft_sample_rng_seed(rng, 1, 0);
    neft_sample_draw_net(&out, spec, rng, work);
    CHECK(isnan(out), "sample: no activation gave %g", out);
    flint_free(work);
    neft_sample_spec_clear(spec);

    arb_init(r); arb_init(pt);
    neft_exact_spec_init(es);
    es->net->act = NULL;   /* no row: exact's spec names activations by row */
    arb_set_d(pt, 0.5);
    neft_exact_spec_set_points(es, pt, 1);
    CHECK(neft_exact_moment(r, es, idx, 2, 64) != NEFT_EXACT_SUCCESS && !arb_is_finite(r),
          "exact: no activation gave a moment");
    neft_exact_spec_clear(es);
    arb_clear(r); arb_clear(pt);

    /* onen has no numbers of its own any more: it takes the net's row
       (tests/t-onen.c checks every row's refusals) */
}

int
main(void)
{
    static const char * const names[] = {"relu", "leaky-relu", "linear", "tanh", "erf", "gelu",
                                         "silu", "sigmoid", "sin", "gauss", "softplus"};
    slong i, c;
    const char * reason;

    CHECK(neft_act_count() == 11, "count %ld", (long) neft_act_count());
    for (i = 0; i < 10; i++)
    {
        neft_act_srcptr act = neft_act_lookup(names[i]);
        CHECK(act != NULL && !strcmp(act->name, names[i]), "lookup %s", names[i]);
        CHECK(act == neft_act_get(i), "row %ld", (long) i);
        CHECK(strstr(neft_act_names(), names[i]) != NULL, "names lack %s", names[i]);
        if (act == NULL)
            continue;
        CHECK(act->nparams == (!strcmp(names[i], "leaky-relu") || !strcmp(names[i], "gauss")),
              "%s nparams", names[i]);
        for (c = 0; c < NEFT_ACT_CAP_COUNT; c++)
        {
            int has = neft_act_has(act, (int) c, &reason);
            CHECK(has || (reason != NULL && strstr(reason, names[i]) == reason),
                  "%s lacks capability %ld without a reason naming it", names[i], (long) c);
        }
        check_values(act, 0);
        check_values(act, 1);
        check_derivative(act, 0);
        check_derivative(act, 1);
        check_holomorphy(act);
    }
    check_unknown_numbers();
    CHECK(neft_act_get(neft_act_count()) == NULL && neft_act_get(-1) == NULL, "get outside");
    CHECK(neft_act_lookup("swish") == NULL && neft_act_lookup("Relu") == NULL
          && neft_act_lookup("") == NULL && neft_act_lookup(NULL) == NULL, "unknown names");
    /* refusals by name */
    CHECK(!neft_act_has(neft_act_lookup("relu"), NEFT_ACT_CAP_BOUNDED, &reason)
          && strstr(reason, "relu is not bounded") != NULL, "relu bounded");
    CHECK(!neft_act_has(neft_act_lookup("tanh"), NEFT_ACT_CAP_ENTIRE, &reason)
          && strstr(reason, "poles") != NULL, "tanh entire");
    CHECK(!neft_act_has(neft_act_lookup("gauss"), NEFT_ACT_CAP_GROWTH, &reason)
          && strstr(reason, "gauss") != NULL, "gauss growth");
    CHECK(!neft_act_has(neft_act_lookup("erf"), NEFT_ACT_CAP_COUNT, &reason)
          && !strcmp(reason, "unknown capability"), "unknown capability");
    CHECK(!neft_act_has(NULL, NEFT_ACT_CAP_EVAL_D, &reason), "NULL row");
    /* GaussNet as neft defines it (src/sample/spec.c, docs/kernels.md):
       e^z / sqrt(E[e^{2z}]) = exp(z - k) */
    {
        neft_act_srcptr g = neft_act_lookup("gauss");
        double k = 0.75, z = 0.3, y;
        g->eval_d(&y, &z, 1, &k);
        CHECK(y == exp(0.3 - 0.75), "gauss = exp(z - k)");
    }
    flint_cleanup();
    return neft_test_finish("t-act");
}
