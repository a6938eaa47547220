/* Erf's moments M_2, M_4 as Gaussian sign moments (src/exact/erfsign.c) in
   d_in = 3: validate's tetrahedron with sigma_b = 1 (a span of rank 4, the
   4-D rule's case) and, with sigma_b = 0, three points and the origin
   (rank 3, a factor exactly 0).  Every ball must
   - contain the closed form (2/pi) asin(2 c_pq / sqrt((1 + 2 c_pp)(1 + 2 c_qq)))
     for M_2 (computed here in double),
   - agree with an independent double-precision reference for M_4 written
     here: the trapezoidal rule with step 0.3 on [-8.4, 8.4]^D of
     prod erf(a_i . xi) phi_D(xi) (spectrally accurate for this entire,
     Gaussian-damped integrand; summed in long double: measured error
     below 1e-13 on the closed forms of M_2),
   - be narrower than 2^-40 (fails before: the 4-D rule's goal was 2^-28,
     radii about 4e-9, after minutes of CPU),
   and be bit-identical on 1 and 2 threads.  A moment with the origin among
   its factors is exactly 0. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/exact.h"
#include "neft/act.h"
#include "sample/tuples.h"
#include "neft-test.h"

#define NP 4
#define PI 3.14159265358979323846
#define D_IN 3

static unsigned npt_mask = (1u << 2) | (1u << 4);

static int
moments(neft_exact_moments_t mom, const double * pts, int sb, slong threads)
{
    neft_exact_spec_t spec;
    arb_ptr x = _arb_vec_init(NP * D_IN);
    fmpq_t sw, fsb;
    char err[256];
    int i, st;
    neft_exact_spec_init(spec);
    fmpq_init(sw);
    fmpq_init(fsb);
    fmpq_one(sw);
    fmpq_set_si(fsb, sb, 1);
    neft_net_set_act(spec->net, neft_act_lookup("erf"), NULL, err, sizeof err);
    spec->net->d_in = D_IN;
    neft_net_set_sigma(spec->net, sw, fsb);
    for (i = 0; i < NP * D_IN; i++)
        arb_set_d(x + i, pts[i]);
    neft_exact_spec_set_points(spec, x, NP);
    spec->npt_mask = npt_mask;
    spec->threads = threads;
    st = neft_exact_moments(mom, spec, 64, NULL, NULL, err, sizeof err);
    CHECK(st == NEFT_SUCCESS, "threads %ld: status %d: %s", (long) threads, st, err);
    neft_exact_spec_clear(spec);
    _arb_vec_clear(x, NP * D_IN);
    fmpq_clear(sw);
    fmpq_clear(fsb);
    return st;
}

/* The reference: every sorted tuple's E[prod erf] by the trapezoidal rule
   in D = 3 + (sb != 0) dimensions, ref[node] (tree order). */
static void
reference(double * ref, const _neft_tuples_struct * tree, const double * pts, int sb)
{
    /* step 0.25 with M_6: at 0.3 the trapezoidal rule is off by 2.3e-12 on
       the tetrahedron's M_6(0,0,1,1,2,3) (measured against steps 0.25 and
       0.2, which agree to 1e-16) */
    const double h = npt_mask & (1u << 6) ? 0.25 : 0.3, L = npt_mask & (1u << 6) ? 8.5 : 8.4;
    slong D = D_IN + (sb != 0), n = (slong) (2 * L / h + 0.5) + 1, tot = 1, q, j, i, node;
    double a[NP][4], w1[128], x1[128];
    for (i = 0; i < NP; i++)
    {
        for (j = 0; j < D_IN; j++)
            a[i][j] = pts[i * D_IN + j] / sqrt((double) D_IN);
        a[i][3] = sb;
    }
    for (q = 0; q < n; q++)
    {
        x1[q] = -L + h * (double) q;
        w1[q] = h * exp(-0.5 * x1[q] * x1[q]) / sqrt(2 * PI);
    }
    for (j = 0; j < D; j++)
        tot *= n;
    long double acc[512];
    for (node = 0; node < tree->length; node++)
        acc[node] = 0;
    for (q = 0; q < tot; q++)
    {
        slong r = q;
        double w = 1, xi[4] = {0, 0, 0, 0}, s[NP], prod[512];
        for (j = 0; j < D; j++)
        {
            xi[j] = x1[r % n];
            w *= w1[r % n];
            r /= n;
        }
        if (w < 1e-300)
            continue;
        for (i = 0; i < NP; i++)
        {
            double z = 0;
            for (j = 0; j < D; j++)
                z += a[i][j] * xi[j];
            s[i] = erf(z);
        }
        prod[0] = w;
        for (node = 1; node < tree->length; node++)
        {
            prod[node] = prod[tree->parent[node]] * s[tree->last[node]];
            if (tree->len[node] % 2 == 0)
                acc[node] += prod[node];
        }
    }
    for (node = 0; node < tree->length; node++)
        ref[node] = (double) acc[node];
}

static void
check(const double * pts, int sb, const char * what)
{
    neft_exact_moments_t a, b;
    const _neft_tuples_struct * tree;
    double ref[512], c[NP][NP];
    slong node, idx[NEFT_SAMPLE_MAX_NPT], i, j, n4 = 0, n6 = 0;
    neft_exact_moments_init(a);
    neft_exact_moments_init(b);
    if (moments(a, pts, sb, 1) != NEFT_SUCCESS || moments(b, pts, sb, 2) != NEFT_SUCCESS)
        goto out;
    tree = a->tree;
    CHECK(tree->length <= 512, "tree length %ld", (long) tree->length);
    reference(ref, tree, pts, sb);
    for (i = 0; i < NP; i++)
        for (j = 0; j < NP; j++)
        {
            slong k;
            c[i][j] = sb * sb;
            for (k = 0; k < D_IN; k++)
                c[i][j] += pts[i * D_IN + k] * pts[j * D_IN + k] / D_IN;
        }
    for (node = 1; node < tree->length; node++)
    {
        arb_srcptr m = a->M + node;
        double mid, rad, r;
        slong len = _neft_tuples_get(idx, tree, node);
        int origin = 0;
        if (len % 2)
            continue;
        mid = arf_get_d(arb_midref(m), ARF_RND_NEAR);
        rad = mag_get_d(arb_radref(m));
        CHECK(arb_equal(m, b->M + node), "%s node %ld: %s on 1 thread, %s on 2", what,
              (long) node, arb_get_str(m, 20, 0), arb_get_str(b->M + node, 20, 0));
        CHECK(arb_is_finite(m) && rad <= ldexp(1, -40), "%s node %ld (length %ld): radius %g "
              "above 2^-40", what, (long) node, (long) len, rad);
        for (i = 0; i < len; i++)
            origin |= c[idx[i]][idx[i]] == 0;
        if (origin)
        {
            CHECK(arb_is_zero(m), "%s node %ld: a factor at the origin, not exactly 0: %s",
                  what, (long) node, arb_get_str(m, 20, 0));
            continue;
        }
        if (len == 2)
        {
            double cp = c[idx[0]][idx[0]], cq = c[idx[1]][idx[1]], cpq = c[idx[0]][idx[1]];
            r = 2 / PI * asin(2 * cpq / sqrt((1 + 2 * cp) * (1 + 2 * cq)));
            CHECK(fabs(mid - r) <= rad + 1e-15, "%s M_2(%ld, %ld): %s, closed form %.17g",
                  what, (long) idx[0], (long) idx[1], arb_get_str(m, 20, 0), r);
            CHECK(fabs(ref[node] - r) <= 1e-13, "%s the reference's M_2 %.17g against the "
                  "closed form %.17g", what, ref[node], r);
        }
        else if (len == 6)
        {
            n6++;
            CHECK(fabs(mid - ref[node]) <= rad + 1e-12, "%s M_6(%ld, %ld, %ld, %ld, %ld, %ld): "
                  "%s, reference %.17g", what, (long) idx[0], (long) idx[1], (long) idx[2],
                  (long) idx[3], (long) idx[4], (long) idx[5], arb_get_str(m, 20, 0), ref[node]);
        }
        else
        {
            n4++;
            CHECK(fabs(mid - ref[node]) <= rad + 1e-12, "%s M_4(%ld, %ld, %ld, %ld): %s, "
                  "reference %.17g", what, (long) idx[0], (long) idx[1], (long) idx[2],
                  (long) idx[3], arb_get_str(m, 20, 0), ref[node]);
        }
    }
    CHECK(n4 > 0, "%s: no M_4 compared", what);
    CHECK(n6 > 0 || !(npt_mask & (1u << 6)), "%s: no M_6 compared", what);
out:
    neft_exact_moments_clear(a);
    neft_exact_moments_clear(b);
}

int
main(int argc, char ** argv)
{
    /* argument "three": only the second case (to show a failure before
       without the 4-D rule's minutes) */
    int only3 = argc > 1 && strcmp(argv[1], "three") == 0;
    /* argument "six": the tetrahedron with --npt 2,4,6 (84 six-point
       tuples, 9 classes of equal correlation matrices: about 35 s of CPU
       with the reference; before erfsign6.c the 4-D rule's minutes and
       radii about 4e-9, above 2^-40) */
    int six = argc > 1 && strcmp(argv[1], "six") == 0;
    /* validate's tetrahedron (sigma_b = 1: rank 4) */
    static const double tet[NP * D_IN] = {1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1};
    /* three points of rank 3 and the origin (sigma_b = 0) */
    static const double three[NP * D_IN] = {1, 0.5, 0, -0.2, 1, 0.3, 0, 0, 0, 0.7, -0.4, 1.2};
    if (six)
    {
        npt_mask |= 1u << 6;
        check(tet, 1, "tetrahedron up to M_6");
        flint_cleanup();
        return neft_test_finish("t-erfsign six");
    }
    if (!only3)
        check(tet, 1, "tetrahedron");
    check(three, 0, "three and the origin");
    flint_cleanup();
    return neft_test_finish("t-erfsign");
}
