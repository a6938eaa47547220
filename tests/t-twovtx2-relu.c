/* ReLU with sigma_b > 0, two vertices, d_in = 2 (src/integrate/twovtx2_sector.c,
   method SECTOR4).  The method converges, but within 60 s at 1e-8 only on
   the smallest shape at Lambda = 1 (docs/integrate.md), and the plan cannot
   estimate its cost (it depends on the legs' points), so the plan refuses
   the case: neft_integrate_plan and neft_integrate_vint must say
   UNSUPPORTED naming SECTOR4 (before stop 31 the plan chose the
   square-polar KINKS4, removed in stop 32, at a cost of 1e14 operations, a
   stand-in that only budgets refused).  The method itself, called directly
   at a goal of 8 bits (4 on the four-leg case; every sector one rule on its
   whole box), must succeed with a narrow ball that contains an independent
   double-precision reference within the reference's own error (checked
   here by two resolutions).

   The reference uses the textbook kernel (arccos) and no code of the
   library: the 4-D integral as the product of two plane rules, one per
   coordinate k, over (y_k, z_k) in [-L, L]^2.  The legs' points are corners
   of the square, so the kinks (y = x_i, z = x_j, y = z) are products of
   lines y_k = +-L, z_k = +-L and y_k = z_k of the two planes: each plane
   is cut along its diagonal into two triangles, mapped from (delta, sigma)
   in [0, 2L] x [0, 1] (z = -L + (2L - delta) sigma, y = z + delta, or y and
   z swapped), with panels graded geometrically (ratio 4) towards both ends
   of both variables: the integrand is C^2 with |.|^3-type kinks on those
   edges, so the graded rule converges fast. */

#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "neft/integrate.h"
#include "neft-test.h"
#include "integrate/internal.h"
#define GLN 8
#include "gl-ref.h"

static double sw2 = 1, sb2 = 1;

static double
kd(const double * x, const double * y)
{
    double a = sw2 / 2;
    double kxx = sb2 + a * (x[0] * x[0] + x[1] * x[1]);
    double kyy = sb2 + a * (y[0] * y[0] + y[1] * y[1]);
    double kxy = sb2 + a * (x[0] * y[0] + x[1] * y[1]);
    double q = sqrt(kxx * kyy), c = kxy / q, th;
    c = c > 1 ? 1 : (c < -1 ? -1 : c);
    th = acos(c);
    return sb2 + sw2 / (2 * M_PI) * q * (sin(th) + (M_PI - th) * c);
}

typedef struct { int nlegs; int vert[4]; double pt[4][2]; int links, loop0, loop1; } dint;

static double
dF(const dint * I, const double * y, const double * z)
{
    double f = 1;
    int i;
    for (i = 0; i < I->nlegs; i++)
        f *= kd(I->pt[i], I->vert[i] ? z : y);
    for (i = 0; i < I->links; i++)
        f *= kd(y, z);
    for (i = 0; i < I->loop0; i++)
        f *= kd(y, y);
    for (i = 0; i < I->loop1; i++)
        f *= kd(z, z);
    return f;
}

/* 1-D rule on [0, w] graded towards both ends: panels [0, 4^-lev w/2], ...,
   [w/8, w/2] and mirrored, GLN nodes each */
static int
graded(double * x, double * wt, double w, int lev)
{
    int n = 0, j, i;
    /* breakpoints 0, w/2 4^-lev, ..., w/2 4^-1, w/2 and mirrored */
    {
        double bp[64];
        int m = 0;
        bp[m++] = 0;
        for (j = lev; j >= 1; j--)
            bp[m++] = ldexp(w / 2, -2 * j);
        bp[m++] = w / 2;
        for (j = 1; j <= lev; j++)
            bp[m++] = w - ldexp(w / 2, -2 * j);
        bp[m++] = w;
        for (j = 0; j + 1 < m; j++)
        {
            double c = (bp[j] + bp[j + 1]) / 2, h = (bp[j + 1] - bp[j]) / 2;
            for (i = 0; i < GLN; i++)
            {
                x[n] = c + h * gx[i];
                wt[n] = h * gw[i];
                n++;
            }
        }
    }
    return n;
}

/* the plane rule: nodes (y, z) and weights over [-L, L]^2 */
static int
plane(double * Y, double * Z, double * W, double L, int lev)
{
    double x[512], w[512], s[512], ws[512];
    int nx = graded(x, w, 2 * L, lev), ns = graded(s, ws, 1, lev), i, j, tri, n = 0;
    for (tri = 0; tri < 2; tri++)
        for (i = 0; i < nx; i++)
            for (j = 0; j < ns; j++)
            {
                double d = x[i], a = -L + (2 * L - d) * s[j];
                Y[n] = tri ? a : a + d;
                Z[n] = tri ? a + d : a;
                W[n] = w[i] * ws[j] * (2 * L - d);
                n++;
            }
    return n;
}

static double
reference(const dint * I, double L, int lev)
{
    static double Y1[200000], Z1[200000], W1[200000];
    int n = plane(Y1, Z1, W1, L, lev), i, j;
    double sum = 0;
    for (i = 0; i < n; i++)
    {
        double part = 0;
        for (j = 0; j < n; j++)
        {
            double y[2] = {Y1[i], Y1[j]}, z[2] = {Z1[i], Z1[j]};
            part += W1[j] * dF(I, y, z);
        }
        sum += W1[i] * part;
    }
    return sum;
}

/* the case I at cutoff L: the plan and neft_integrate_vint must refuse it
   (naming SECTOR4); with goal > 0 the method called directly at that goal
   must give a narrow ball containing ref (within reftol, the reference's
   error) */
static void
check(const char * name, const dint * I, double L, double ref, double reftol, int goal)
{
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    neft_integrate_plan_t plan;
    arb_t res, sw, sb;
    arf_t Lf;
    const char * why;
    char err[256];
    int i, j, s;
    clock_t c0;
    neft_kernel_init(k);
    arb_init(res); arb_init(sw); arb_init(sb);
    arf_init(Lf);
    arb_set_d(sw, sqrt(sw2));
    arb_set_d(sb, sqrt(sb2));
    if (neft_kernel_set_act(k, neft_act_lookup("relu"), NULL, 2, sw, sb, &why, 128) != NEFT_SUCCESS)
        FAIL("kernel: %s", why);
    arb_set_d(k->sw2, sw2);
    arb_set_d(k->sb2, sb2);
    arf_set_d(Lf, L);
    neft_vint_init(v, 2, 2);
    for (i = 0; i < I->nlegs; i++)
    {
        arb_ptr x = _arb_vec_init(2);
        for (j = 0; j < 2; j++)
            arb_set_d(x + j, I->pt[i][j]);
        neft_vint_add_leg(v, I->vert[i], x);
        _arb_vec_clear(x, 2);
    }
    for (i = 0; i < I->links; i++)
        neft_vint_add_link(v, 0, 1);
    for (i = 0; i < I->loop0; i++)
        neft_vint_add_link(v, 0, 0);
    for (i = 0; i < I->loop1; i++)
        neft_vint_add_link(v, 1, 1);
    neft_vint_canonicalise(v);
    s = neft_integrate_plan(plan, 2, I->nlegs, I->links + I->loop0 + I->loop1, k, Lf, 64);
    CHECK(s == NEFT_INTEGRATE_UNSUPPORTED && plan->method == NEFT_INTEGRATE_METHOD_REFUSED
          && plan->cost == 0 && strstr(plan->why, "SECTOR4") != NULL,
          "%s: plan %d %s cost %g (%s)", name, s, plan->name, plan->cost, plan->why);
    neft_integrate_opt_init(opt);
    err[0] = '\0';
    s = neft_integrate_vint(res, v, k, Lf, opt, 64, err, sizeof(err));
    CHECK(s == NEFT_INTEGRATE_UNSUPPORTED && strstr(err, "SECTOR4") != NULL,
          "%s: neft_integrate_vint status %d (%s)", name, s, err);
    if (goal > 0)
    {
        /* SECTOR4 (twovtx2_sector.c): at a low goal every sector gets its
           rule on the whole box, so the ball must be narrow (relative
           radius <= 2^(2 - goal)), status success, and contain ref */
        opt->eval_limit = 0;
        opt->goal = goal;
        c0 = clock();
        s = _neft_integrate_twovtx2_sector(res, v, k, Lf, opt, 64);
        CHECK(s == NEFT_INTEGRATE_SUCCESS, "%s: SECTOR4 status %d", name, s);
        CHECK(arb_is_finite(res), "%s: SECTOR4 not finite", name);
        {
            double mid = arf_get_d(arb_midref(res), ARF_RND_NEAR);
            double rad = mag_get_d(arb_radref(res));
            CHECK(fabs(mid - ref) <= rad + reftol * fabs(ref),
                  "%s: SECTOR4 %.17g +/- %.3g, reference %.17g", name, mid, rad, ref);
            CHECK(rad <= ldexp(fabs(ref), (int) (2 - goal)),
                  "%s: SECTOR4 radius %.3g at goal %d bits", name, rad, goal);
            printf("%s: SECTOR4 %.15g +/- %.2g (goal %d bits), %.1f s CPU\n", name, mid, rad,
                   goal, (double) (clock() - c0) / CLOCKS_PER_SEC);
        }
    }
    neft_vint_clear(v);
    neft_kernel_clear(k);
    arb_clear(res); arb_clear(sw); arb_clear(sb);
    arf_clear(Lf);
}

int
main(void)
{
    gl_init();
    {
        /* legs (1, 1) on y, (-1, 1) on z, one link, L = 1, sigma_w = sigma_b = 1:
           SECTOR4 at 8 bits must contain the reference, whose two resolutions
           agree to 1e-12. */
        dint e = {2, {0, 1}, {{1, 1}, {-1, 1}}, 1, 0, 0};
        double ra = reference(&e, 1, 1), rb = reference(&e, 1, 2);
        CHECK(fabs(ra - rb) <= 1e-12 * fabs(rb), "references: %.17g %.17g", ra, rb);
        check("relu 1+1 legs, 1 link, L = 1", &e, 1, rb, 1e-12, 8);
    }
    {
        /* two legs on each vertex, two links, a self-loop: SECTOR4 at 4 bits
           (the self-loop and the link's power on the rule's real-interval
           path, twovtx2_sector_f.h) must contain the reference */
        dint e = {4, {0, 0, 1, 1}, {{1, 1}, {-1, 1}, {1, -1}, {-1, -1}}, 2, 1, 0};
        double ra = reference(&e, 1, 1), rb = reference(&e, 1, 2);
        CHECK(fabs(ra - rb) <= 1e-11 * fabs(rb), "references: %.17g %.17g", ra, rb);
        check("relu 2+2 legs, 2 links, loop, L = 1", &e, 1, rb, 1e-11, 4);
    }
    return neft_test_finish("t-twovtx2-relu");
}
