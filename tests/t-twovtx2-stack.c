/* t-twovtx2-stack: the budget of the two-vertex box stack
   (src/integrate/twovtx2_stack.c) on a toy integrand, F = exp(q0 + q1 + q2
   + q3) over [0, 3]^4 (entire; the integral is (e^3 - 1)^4).
   - A budget of node values below what the first box's rule needs: the
     stack must stop at once, enclosing the box (one enclosure, no
     bisection, *nc set: the methods report NO_CONVERGENCE) with a ball that
     contains the integral.  Before stop 33 it bisected depth first down to
     depth 40 (about 40 splits and 40 enclosures, the budget spent on
     bounds), since a rule that did not fit the remaining budget sent the
     box to bisection.
   - A large budget: rules everywhere, nc clear, the ball contains the
     integral and meets the tolerance.
   - The budget's accounting: S->evals is the rules' nodes plus
     S->eval_charge per complex evaluation of F made (counted here in F),
     with both covers of the ellipse (its 4 x 2 box, ell_nre = 0, and the
     cells of its upper half).  The integrand exp(q1 + q2 + q3) / (q0 + 1)
     has a pole at q0 = -1 that the widest ellipse around [0, 3] reaches:
     the bound stops at its first non-finite piece.  Before stop 34 the
     4 x 2 cover charged a flat 8 os^3 evaluations per bound however early
     it stopped (and the other cover per evaluation).
   - The scale (_neft_twovtx2_scale) of an F that gives only enclosures
     centred at 0, [0 +/- 2 exp(q0 + q1 + q2 + q3)] (rigorous for the toy,
     midpoints no estimate of |F|): the scale must be of the size of the
     integral of |F|, and the stack run with the tolerance it gives must
     converge.  Before stop 35 the scale summed |midpoints| only: 0, floored
     to 1e-300, a tolerance no rule meets, so the stack bisected to the end
     of its budget and enclosed the rest (nc set, NO_CONVERGENCE). */
#include <math.h>
#include <string.h>
#include "integrate/internal.h"
#include "integrate/twovtx2.h"
#include "neft-test.h"

/* the toy's options and counters (ctx NULL: exp(q0 + q1 + q2 + q3)) */
typedef struct
{
    int pole;           /* 1: exp(q1 + q2 + q3) / (q0 + 1) */
    int centred;        /* 1: F = [0 +/- 2 |exp(q0 + q1 + q2 + q3)|] */
    slong ncomplex;     /* evaluations with an = 1 (the bounds) */
    slong nodes;        /* the rules' node values, n0 n1 n2 n3 per rule */
}
toy_ctx;

/* |F| or F on q (complex or real boxes) */
static void
toy_F(acb_t out, void * ctx, const _neft_twovtx2_box_t * B, acb_srcptr q, int an)
{
    toy_ctx * c = ctx;
    slong p;
    (void) B;
    if (c != NULL && an)
        c->ncomplex++;
    acb_zero(out);
    for (p = c != NULL && c->pole; p < NEFT_TWOVTX2_NAX; p++)
        acb_add(out, out, q + p, 64);
    acb_exp(out, out, 64);
    if (c != NULL && c->pole)
    {
        acb_t d;
        acb_init(d);
        acb_add_ui(d, q + 0, 1, 64);
        acb_div(out, out, d, 64);
        acb_clear(d);
    }
    if (c != NULL && c->centred)
    {
        /* an enclosure centred at 0 of twice |F| */
        mag_t m;
        mag_init(m);
        acb_get_mag(m, out);
        mag_mul_2exp_si(m, m, 1);
        acb_zero(out);
        arb_add_error_mag(acb_realref(out), m);
        mag_clear(m);
    }
}

/* the exact integral over B (a ball containing any rule's exact value is
   what the stack asks for; the integral itself plus the rule's error bound
   the stack adds contains it) */
static void
toy_rule(arb_t res, void * ctx, const _neft_twovtx2_box_t * B, const slong * n)
{
    toy_ctx * c = ctx;
    arb_t a, b;
    slong p = 0;
    arb_init(a); arb_init(b);
    arb_one(res);
    if (c != NULL)
        c->nodes += n[0] * n[1] * n[2] * n[3];
    if (c != NULL && c->pole)
    {
        /* \int dq0 / (q0 + 1) = log((hi + 1) / (lo + 1)) */
        arb_set_d(a, B->hi[0]);
        arb_add_ui(a, a, 1, 128);
        arb_set_d(b, B->lo[0]);
        arb_add_ui(b, b, 1, 128);
        arb_div(a, a, b, 128);
        arb_log(res, a, 128);
        p = 1;
    }
    for (; p < NEFT_TWOVTX2_NAX; p++)
    {
        arb_set_d(a, B->hi[p]);
        arb_exp(a, a, 128);
        arb_set_d(b, B->lo[p]);
        arb_exp(b, b, 128);
        arb_sub(a, a, b, 128);
        arb_mul(res, res, a, 128);
    }
    arb_clear(a); arb_clear(b);
}

static void
setup(_neft_twovtx2_stack_t * S, slong budget)
{
    static const double rhos[] = {4, 2.5, 1.6};
    slong p;
    memset(S, 0, sizeof(*S));
    S->F = toy_F;
    S->rule = toy_rule;
    S->rhos = rhos;
    S->nrho = 3;
    S->nmax = 24;
    S->eval_charge = 1;
    S->budget = budget;
    for (p = 0; p < NEFT_TWOVTX2_NAX; p++)
        S->width_scale[p] = 1;
    S->name = "toy";
}

int
main(void)
{
    _neft_twovtx2_box_t box;
    _neft_twovtx2_stack_t S;
    arb_t res, exact, t;
    double I = pow(exp(3.0) - 1, 4), dens;
    slong p;
    int nc, st;

    arb_init(res); arb_init(exact); arb_init(t);
    memset(&box, 0, sizeof(box));
    for (p = 0; p < NEFT_TWOVTX2_NAX; p++)
        box.hi[p] = 3;
    arb_set_d(t, 3);
    arb_exp(t, t, 128);
    arb_sub_ui(t, t, 1, 128);
    arb_pow_ui(exact, t, 4, 128);
    /* tolerance 1e-10 of the integral, spread over the box's volume 81 */
    dens = 1e-10 * I / 81;

    /* budget 2000 node values: the first rule needs more (>= 7^4) */
    setup(&S, 2000);
    nc = 0;
    st = _neft_twovtx2_stack_run(res, &S, &box, 1, dens, &nc, 128);
    CHECK(st == NEFT_INTEGRATE_SUCCESS, "small budget: status %d", st);
    CHECK(nc == 1, "small budget: nc not set");
    CHECK(S.nsplit == 0 && S.nenclosed == 1 && S.nrule == 0,
          "small budget: %ld splits, %ld enclosures, %ld rules (want 0, 1, 0: stop at once)",
          (long) S.nsplit, (long) S.nenclosed, (long) S.nrule);
    CHECK(arb_is_finite(res) && arb_contains(res, exact), "small budget: ball misses the integral");

    /* a budget the rules fit in: converged, the ball contains the integral */
    setup(&S, 100000000);
    nc = 0;
    st = _neft_twovtx2_stack_run(res, &S, &box, 1, dens, &nc, 128);
    CHECK(st == NEFT_INTEGRATE_SUCCESS && nc == 0 && S.nrule >= 1 && S.nenclosed == 0,
          "large budget: status %d nc %d rules %ld enclosed %ld", st, nc, (long) S.nrule,
          (long) S.nenclosed);
    CHECK(arb_contains(res, exact), "large budget: ball misses the integral");
    CHECK(mag_cmp_2exp_si(arb_radref(res), (slong) floor(log2(1e-9 * I))) < 0,
          "large budget: radius %g above 1e-9 of the integral", mag_get_d(arb_radref(res)));

    /* the accounting, with the pole, both covers, 3 node values per
       complex evaluation; exact = log 4 (e^3 - 1)^3 */
    arb_set_d(t, 3);
    arb_exp(t, t, 128);
    arb_sub_ui(t, t, 1, 128);
    arb_pow_ui(exact, t, 3, 128);
    arb_set_ui(t, 4);
    arb_log(t, t, 128);
    arb_mul(exact, exact, t, 128);
    for (p = 0; p < 2; p++)
    {
        toy_ctx c = {1, 0, 0, 0};
        double Ip = log(4.0) * pow(exp(3.0) - 1, 3);
        setup(&S, 100000000);
        S.ctx = &c;
        S.eval_charge = 3;
        S.ell_nre = p ? 4 : 0;
        S.ell_nim = p ? 2 : 0;
        nc = 0;
        st = _neft_twovtx2_stack_run(res, &S, &box, 1, 1e-10 * Ip / 81, &nc, 128);
        CHECK(st == NEFT_INTEGRATE_SUCCESS && nc == 0 && S.nrule >= 1,
              "pole, cover %ld: status %d nc %d rules %ld", (long) p, st, nc, (long) S.nrule);
        CHECK(arb_contains(res, exact), "pole, cover %ld: ball misses the integral", (long) p);
        CHECK(c.ncomplex > 0 && S.evals == c.nodes + 3 * c.ncomplex,
              "pole, cover %ld: %ld node values charged, the rules' %ld + 3 x %ld complex "
              "evaluations = %ld", (long) p, (long) S.evals, (long) c.nodes, (long) c.ncomplex,
              (long) (c.nodes + 3 * c.ncomplex));
        printf("pole, cover %ld: %ld rules, %ld splits, %ld node values (%ld complex "
               "evaluations)\n", (long) p, (long) S.nrule, (long) S.nsplit, (long) S.evals,
               (long) c.ncomplex);
    }

    /* F centred at 0 (the rule still the exact integral of exp): the
       scale, then the stack at goal 2^-30 of it */
    {
        toy_ctx c = {0, 1, 0, 0};
        double scale, totvol;
        setup(&S, 2000000);
        S.ctx = &c;
        _neft_twovtx2_scale(&scale, &totvol, &S, &box, 1);
        printf("centred F: scale %g (2 x the integral of |F|: %g), volume %g\n", scale, 2 * I,
               totvol);
        CHECK(totvol == 81, "centred F: volume %g, want 81", totvol);
        CHECK(scale >= 0.1 * I && scale <= 10 * I, "centred F: scale %g, not of the size of "
              "the integral %g", scale, I);
        arb_set_d(t, 3);
        arb_exp(t, t, 128);
        arb_sub_ui(t, t, 1, 128);
        arb_pow_ui(exact, t, 4, 128);
        nc = 0;
        st = _neft_twovtx2_stack_run(res, &S, &box, 1, ldexp(scale, -30) / totvol, &nc, 128);
        printf("centred F: %ld rules, %ld splits, %ld enclosed, %ld node values\n",
               (long) S.nrule, (long) S.nsplit, (long) S.nenclosed, (long) S.evals);
        CHECK(st == NEFT_INTEGRATE_SUCCESS && nc == 0 && S.nenclosed == 0,
              "centred F: status %d nc %d, %ld boxes enclosed (the tolerance not met)", st, nc,
              (long) S.nenclosed);
        CHECK(arb_contains(res, exact), "centred F: ball misses the integral");
    }

    arb_clear(res); arb_clear(exact); arb_clear(t);
    flint_cleanup_master();
    return neft_test_finish("t-twovtx2-stack");
}
