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
     it stopped (and the other cover per evaluation).  Since stop 36 also
     with the adaptive cover (ell_nim < 0).
   - The adaptive cover's bound (stop 36, _neft_twovtx2_bound_axis) on a
     pair of poles 3/2 +- 3i/2 of q0 over [0, 3]: finite and above |F| at
     4000 sampled points of E_rho for rho = 2, 2.3 (the poles outside; the
     fixed cover gives no bound at 2.3), infinite for rho = 2.6, 4 (the
     poles inside: a cover that skipped the cells inside the ellipse, or
     trusted the maximum principle without certifying them, would give a
     finite bound at rho = 4).
   - Since stop 37 the same through Fmag (|F| on a cell in doubles, as
     SECTOR4 does): the bound above |F| at 4000 points of E_rho for rho = 2,
     2.3, infinite for 2.6, 4; and the stack with Fmag, with and without the
     second look above each axis' rho (ell_grow: a cap of N / ell_grow once
     the rule's N nodes are known), converged, containing pi/3 (e^3 - 1)^3,
     every Fmag evaluation charged, and the second look run.  A cover bound
     10x too low (injected in cell_bound's Fmag path) fails 77 checks here;
     toy_ctx.fmag_bug = -0.9 makes toy_Fmag itself 10x low (fails 77 checks).
   - The scale (_neft_twovtx2_scale) of an F that gives only enclosures
     centred at 0, [0 +/- 2 exp(q0 + q1 + q2 + q3)] (rigorous for the toy,
     midpoints no estimate of |F|): the scale must be of the size of the
     integral of |F|, and the stack run with the tolerance it gives must
     converge.  Before stop 35 the scale summed |midpoints| only: 0, floored
     to 1e-300, a tolerance no rule meets, so the stack bisected to the end
     of its budget and enclosed the rest (nc set, NO_CONVERGENCE). */
#include <math.h>
#include <stdio.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
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
    int pair;           /* 1: exp(q1 + q2 + q3) / ((q0 - 3/2)^2 + 9/4) */
    double fmag_bug;    /* 0; to check that the test catches a toy_Fmag that
                           is not a bound, set it to -0.9 (toy_Fmag 10x low) */
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
    for (p = c != NULL && (c->pole || c->pair); p < NEFT_TWOVTX2_NAX; p++)
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
    if (c != NULL && c->pair)
    {
        /* poles at q0 = 3/2 +- 3i/2 (acb_div: not finite where the
           denominator's box meets 0) */
        acb_t d, e;
        acb_init(d);
        acb_set_d(d, 1.5);
        acb_sub(d, q + 0, d, 64);
        acb_sqr(d, d, 64);
        acb_init(e);
        acb_set_d(e, 2.25);
        acb_add(d, d, e, 64);
        acb_div(out, out, d, 64);
        acb_clear(d);
        acb_clear(e);
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

/* |F| of the pair-of-poles toy in doubles, the stack's optional Fmag: on
   the box [lo, hi] with axis p's imaginary part [il, ih], |exp(q1 + q2 +
   q3)| <= exp(hi1 + hi2 + hi3) over the product of the distances of q0's
   cell from the poles 3/2 +- 3i/2, rounded up by 1e-12; +inf when a pole
   lies in the cell.  Counted as a complex evaluation. */
static double
toy_Fmag(void * ctx, const _neft_twovtx2_box_t * B, const double * lo, const double * hi,
         slong p, double il, double ih)
{
    toy_ctx * c = ctx;
    double y0 = p == 0 ? il : 0, y1 = p == 0 ? ih : 0, dx, d = 1;
    int s;
    (void) B;
    c->ncomplex++;
    dx = FLINT_MAX(0, FLINT_MAX(lo[0] - 1.5, 1.5 - hi[0]));
    for (s = -1; s <= 1; s += 2)
    {
        double dy = FLINT_MAX(0, FLINT_MAX(y0 - 1.5 * s, 1.5 * s - y1));
        d *= sqrt(dx * dx + dy * dy) * (1 - 1e-12);
    }
    if (!(d > 0))
        return INFINITY;
    return exp(hi[1] + hi[2] + hi[3]) * (1 + 1e-12) / d * (1 + 1e-12) * (1 + c->fmag_bug);
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
    if (c != NULL && c->pair)
    {
        /* \int dq0 / ((q0 - 3/2)^2 + 9/4) = (2/3) atan((q0 - 3/2) / (3/2)) */
        arb_set_d(a, B->hi[0]);
        arb_mul_2exp_si(a, a, 1);
        arb_sub_ui(a, a, 3, 128);
        arb_div_ui(a, a, 3, 128);
        arb_set_d(b, B->lo[0]);
        arb_mul_2exp_si(b, b, 1);
        arb_sub_ui(b, b, 3, 128);
        arb_div_ui(b, b, 3, 128);
        arb_atan(a, a, 128);
        arb_atan(b, b, 128);
        arb_sub(res, a, b, 128);
        arb_mul_2exp_si(res, res, 1);
        arb_div_ui(res, res, 3, 128);
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

/* the toy's |F| at 4000 points of the ellipse E_rho around q0's [0, 3]
   (the other axes at random real points of [0, 3]) must not exceed the
   bound Mb (none checked when Mb is infinite); returns the largest |F| */
static double
ellipse_check(toy_ctx * c, const _neft_twovtx2_box_t * box, double rho, const mag_t Mb,
              flint_rand_t st, const char * what)
{
    acb_ptr q = _acb_vec_init(NEFT_TWOVTX2_NAX);
    acb_t f;
    mag_t m;
    double smax = 0;
    slong i, j;
    acb_init(f);
    mag_init(m);
    for (i = 0; i < 4000 && mag_is_finite(Mb); i++)
    {
        double th = 2 * M_PI * (i + 0.5) / 4000, x;
        acb_set_d_d(q + 0, 1.5 + 0.75 * (rho + 1 / rho) * cos(th),
                    0.75 * (rho - 1 / rho) * sin(th));
        for (j = 1; j < NEFT_TWOVTX2_NAX; j++)
            acb_set_d(q + j, 3.0 * (double) n_randint(st, 1001) / 1000);
        toy_F(f, c, box, q, 0);
        acb_get_mag(m, f);
        x = mag_get_d(m);
        smax = FLINT_MAX(smax, x);
        CHECK(mag_cmp(m, Mb) <= 0, "%s, rho %g: |F| %g at a point of the ellipse above the "
              "bound %g", what, rho, x, mag_get_d(Mb));
    }
    acb_clear(f);
    mag_clear(m);
    _acb_vec_clear(q, NEFT_TWOVTX2_NAX);
    return smax;
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
    for (p = 0; p < 3; p++)
    {
        toy_ctx c = {1, 0, 0, 0, 0, 0};
        double Ip = log(4.0) * pow(exp(3.0) - 1, 3);
        setup(&S, 100000000);
        S.ctx = &c;
        S.eval_charge = 3;
        S.ell_nre = p ? 4 : 0;
        S.ell_nim = p == 2 ? -128 : (p ? 2 : 0);
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

    /* the adaptive cover (ell_nim < 0) on the pair of poles 3/2 +- 3i/2
       of exp(q1 + q2 + q3) / ((q0 - 3/2)^2 + 9/4) on [0, 3]^4: E_rho around
       q0's interval holds them for rho > 1 + sqrt 2.  At rho = 2.3 and 2.0
       the bound must be finite and above |F| at 4000 sampled points of the
       ellipse (other axes at random real points); at rho = 2.6 and 4 it
       must be infinite (the poles lie inside: a cover that took only the
       cells meeting the boundary would miss them).  Also printed: the
       fixed cover's bound at the same rho (4 cells, other axes whole). */
    {
        static const double rr[4] = {2.0, 2.3, 2.6, 4.0};
        toy_ctx c = {0, 0, 0, 0, 1, 0};
        flint_rand_t st2;
        mag_t Mb, Mo;
        slong r;
        mag_init(Mb);
        mag_init(Mo);
        flint_randinit(st2);
        for (r = 0; r < 4; r++)
        {
            double rho = rr[r], smax = 0;
            setup(&S, 100000000);
            S.ctx = &c;
            S.ell_nre = 4;
            S.ell_nim = 1;
            _neft_twovtx2_bound_axis(Mo, &S, &box, 0, rho, 1);
            S.ell_nim = -128;
            _neft_twovtx2_bound_axis(Mb, &S, &box, 0, rho, 1);
            smax = ellipse_check(&c, &box, rho, Mb, st2, "adaptive cover");
            printf("pair of poles, rho %g: adaptive bound %g (sampled max %g), fixed cover %g\n",
                   rho, mag_get_d(Mb), smax, mag_get_d(Mo));
            if (rho < 1 + sqrt(2.0))
                CHECK(mag_is_finite(Mb), "adaptive cover, rho %g: no bound though F is "
                      "holomorphic on the ellipse", rho);
            else
                CHECK(!mag_is_finite(Mb), "adaptive cover, rho %g: a bound %g though the "
                      "ellipse holds the poles", rho, mag_get_d(Mb));
        }
        flint_randclear(st2);
        mag_clear(Mb);
        mag_clear(Mo);
    }

    /* the adaptive cover through Fmag (doubles, as SECTOR4 since stop 37)
       on the pair of poles: at rho = 2.0, 2.3 finite and above |F| (toy_F)
       at 4000 sampled points of the ellipse, at 2.6 and 4 infinite; then
       the stack on [0, 3]^4 with Fmag and with the second look at a cap of
       N / ell_grow (stop 37), against ell_grow = 0: both balls contain the
       exact integral pi/3 (e^3 - 1)^3, converged, and the accounting counts
       every Fmag evaluation */
    {
        static const double rr[4] = {2.0, 2.3, 2.6, 4.0}, rp[3] = {4, 2.3, 1.6};
        toy_ctx c = {0, 0, 0, 0, 1, 0};
        slong rnodes[4];
        flint_rand_t st2;
        mag_t Mb;
        slong r, g;
        mag_init(Mb);
        flint_randinit(st2);
        for (r = 0; r < 4; r++)
        {
            double rho = rr[r];
            setup(&S, 100000000);
            S.ctx = &c;
            S.Fmag = toy_Fmag;
            S.ell_nre = 4;
            S.ell_nim = -128;
            _neft_twovtx2_bound_axis(Mb, &S, &box, 0, rho, 1);
            ellipse_check(&c, &box, rho, Mb, st2, "Fmag cover");
            printf("pair of poles, Fmag, rho %g: adaptive bound %g\n", rho, mag_get_d(Mb));
            CHECK((rho < 1 + sqrt(2.0)) == (mag_is_finite(Mb) != 0), "Fmag cover, rho %g: "
                  "bound %g (finite exactly when the poles lie outside)", rho, mag_get_d(Mb));
        }
        arb_const_pi(exact, 128);
        arb_div_ui(exact, exact, 3, 128);
        arb_set_d(t, 3);
        arb_exp(t, t, 128);
        arb_sub_ui(t, t, 1, 128);
        arb_pow_ui(t, t, 3, 128);
        arb_mul(exact, exact, t, 128);
        for (g = 0; g < 2; g++)
        {
            double Ip = M_PI / 3 * pow(exp(3.0) - 1, 3);
            c.ncomplex = c.nodes = 0;
            setup(&S, 100000000);
            S.ctx = &c;
            S.rule = toy_rule;
            S.Fmag = toy_Fmag;
            S.eval_charge = 3;
            S.rhos = rp;
            S.ell_nre = 4;
            S.ell_nim = -6;
            S.ell_grow = g ? 16 : 0;
            nc = 0;
            st = _neft_twovtx2_stack_run(res, &S, &box, 1, 1e-7 * Ip / 81, &nc, 128);
            rnodes[g] = c.ncomplex;
            printf("pair of poles, %s, ell_grow %g: %ld rules, %ld splits, %ld node values "
                   "(%ld complex evaluations), ", g ? "Fmag" : "Fmag", S.ell_grow, (long) S.nrule, (long) S.nsplit,
                   (long) S.evals, (long) c.ncomplex);
            arb_printd(res, 15);
            printf("\n");
            CHECK(st == NEFT_INTEGRATE_SUCCESS && nc == 0 && S.nrule >= 1 && S.nenclosed == 0,
                  "pair, ell_grow %g: status %d nc %d rules %ld enclosed %ld", S.ell_grow, st,
                  nc, (long) S.nrule, (long) S.nenclosed);
            CHECK(arb_contains(res, exact), "pair, ell_grow %g: ball misses the integral",
                  S.ell_grow);
            CHECK(mag_cmp_2exp_si(arb_radref(res), (slong) floor(log2(1e-6 * Ip))) < 0,
                  "pair, ell_grow %g: radius %g above 1e-6 of the integral", S.ell_grow,
                  mag_get_d(arb_radref(res)));
            CHECK(c.ncomplex > 0 && S.evals == c.nodes + 3 * c.ncomplex,
                  "pair, ell_grow %g: %ld node values charged, the rules' %ld + 3 x %ld",
                  S.ell_grow, (long) S.evals, (long) c.nodes, (long) c.ncomplex);
        }
        /* the second look ran (the rule is 1.1e4 nodes, cap 6: q0's rho 4
           tried again within 1.1e4 / 16 evaluations) */
        CHECK(rnodes[1] > rnodes[0] + 100, "pair: %ld complex evaluations with the second "
              "look (ell_grow 16), %ld without: it did not run", (long) rnodes[1],
              (long) rnodes[0]);
        flint_randclear(st2);
        mag_clear(Mb);
    }

    /* F centred at 0 (the rule still the exact integral of exp): the
       scale, then the stack at goal 2^-30 of it */
    {
        toy_ctx c = {0, 1, 0, 0, 0, 0};
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
