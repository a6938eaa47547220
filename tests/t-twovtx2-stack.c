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
     integral and meets the tolerance. */
#include <math.h>
#include <string.h>
#include "integrate/internal.h"
#include "integrate/twovtx2.h"
#include "neft-test.h"

/* |F| or F on q (complex or real boxes) */
static void
toy_F(acb_t out, void * ctx, const _neft_twovtx2_box_t * B, acb_srcptr q, int an)
{
    slong p;
    (void) ctx; (void) B; (void) an;
    acb_zero(out);
    for (p = 0; p < NEFT_TWOVTX2_NAX; p++)
        acb_add(out, out, q + p, 64);
    acb_exp(out, out, 64);
}

/* the exact integral over B (a ball containing any rule's exact value is
   what the stack asks for; the integral itself plus the rule's error bound
   the stack adds contains it) */
static void
toy_rule(arb_t res, void * ctx, const _neft_twovtx2_box_t * B, const slong * n)
{
    arb_t a, b;
    slong p;
    (void) ctx; (void) n;
    arb_init(a); arb_init(b);
    arb_one(res);
    for (p = 0; p < NEFT_TWOVTX2_NAX; p++)
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

    arb_clear(res); arb_clear(exact); arb_clear(t);
    flint_cleanup_master();
    return neft_test_finish("t-twovtx2-stack");
}
