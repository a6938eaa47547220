/* The Gaussian moments computed once per spec (neft_exact_moments) and the
   shared quadrature rule of smooth rows with bias (src/exact/grid.c):
   - erf at the paper's settings (inputs +-0.2, +-0.6, +-1, sw = sb = 1): every
     even tuple up to 6 points (21 + 126 + 462 moments) with relative radius
     <= 1e-12, the six that vanish exactly (x = -1, 1 alone) exactly 0, each containing a
     200-bit reference (two points: the closed form; four and six: mpmath,
     trapezoidal product rule over [-17, 17]^2 at dps 75, steps 0.1 and 0.08
     agreeing to 1e-64, 60 digits kept), and all of them against an
     independent double-precision product rule (trapezoidal, step 0.1);
   - tanh, gelu, silu, sigmoid, softplus against the same double rule, and a
     few moments against the per-moment integrator of neft/gaussexp.h;
   - several widths from one set of moments equal per-width runs, ball for
     ball. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include "neft/exact.h"
#include "neft/act.h"
#include "neft/points.h"
#include "sample/tuples.h"
#include "exact/exact-internal.h"
#include "neft-test.h"

static const char * const erf_inputs[6] = {"-1", "-0.6", "-0.2", "0.2", "0.6", "1"};

/* 200-bit references (tuple, value): see the comment at the top */
static const struct
{
    const char * idx;
    const char * value;
}
refs[] = {
    /* two points: (2/pi) asin(2 k_ab / sqrt((1 + 2 k_aa)(1 + 2 k_bb))) exactly */
    {"0,0", "0.5903344706017330967016043048989621038045380955476715783996892514508459"},
    {"2,3", "0.428479276358398150493928901560964609869310415264408876442476068801141"},
    {"1,4", "0.2236223679045196188909479617830561081166349275851265184252653394219518"},
    {"3,5", "0.4189287896812680291814741004505529137198594960313277776092477040039589"},
    /* more points: mpmath, trapezoidal product rule (see the top) */
    {"0,0,0,0", "0.481760258721666732203029402462905316339457563975778537015135"},
    {"0,1,2,3", "0.281008435191728212031994101783658430390577151009554589635915"},
    {"1,1,4,4", "0.289096426574446781875605826148360722878335676380445625523746"},
    {"0,0,0,0,0,0", "0.425176514116030284020935966772640309001901721255703237209437"},
    {"0,1,2,3,4,5", "0.165559801652482697181625039211442091157197642855507954045802"},
    {"2,2,3,3,3,3", "0.258289791504279472347129408000932273042057876670149871891642"},
    {"0,2,2,4,4,5", "0.140976261385927200731260242676640621170829208120973671561190"},
    {"1,1,1,1,1,2", "0.312563819241282080219834427440516115331680380639769566071850"},
    {"0,0,5,5,5,5", "0.284399687289409100220061891194446820581578991188312496570938"},
    {"3,3,3,3,3,4", "0.278325874253563546731638888225220132980844695703677388787141"},
};

static void
set_spec(neft_exact_spec_t spec, const char * act, const char * sw, const char * sb,
         const char * const * x, slong np, unsigned mask, slong prec)
{
    char err[256];
    arb_ptr pts = _arb_vec_init(np);
    slong i;
    if (neft_net_set_act_name(spec->net, act, NULL, err, sizeof err) != NEFT_SUCCESS)
        FAIL("activation %s: %s", act, err);
    {
        fmpq_t w, b;
        fmpq_init(w);
        fmpq_init(b);
        if (neft_points_parse_rational(w, sw) || neft_points_parse_rational(b, sb))
            FAIL("bad sigma %s %s", sw, sb);
        neft_net_set_sigma(spec->net, w, b);
        fmpq_clear(w);
        fmpq_clear(b);
    }
    spec->net->d_in = 1;
    neft_net_set_width_si(spec->net, 1, 5);
    for (i = 0; i < np; i++)
        arb_set_str(pts + i, x[i], prec + 16);
    neft_exact_spec_set_points(spec, pts, np);
    spec->npt_mask = mask;
    _arb_vec_clear(pts, np);
}

/* The moments of every node of tree by the trapezoidal product rule in
   double precision (step h over [-L, L]^2, the row's double evaluator): an
   independent check, accurate to about 1e-13 for these smooth integrands. */
static void
trapezoid(double * out, double * abs_out, const _neft_tuples_struct * tree,
          neft_act_srcptr act, double sw, double sb, const double * x, slong np)
{
    const double h = 0.1, L = 11;
    slong N = (slong) (L / h), j, l, i, node;
    double * prod = malloc(sizeof(double) * tree->length), z[64], s[64];
    for (node = 0; node < tree->length; node++)
        out[node] = abs_out[node] = 0;
    for (j = -N; j <= N; j++)
        for (l = -N; l <= N; l++)
        {
            double a = j * h, b = l * h;
            for (i = 0; i < np; i++)
                z[i] = sb * a + sw * x[i] * b;
            act->eval_d(s, z, np, NULL);
            prod[0] = h * h * exp(-(a * a + b * b) / 2) / (2 * M_PI);
            for (node = 1; node < tree->length; node++)
            {
                prod[node] = prod[tree->parent[node]] * s[tree->last[node]];
                out[node] += prod[node];
                abs_out[node] += fabs(prod[node]);
            }
        }
    free(prod);
}

static double
seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static void
progress(void * arg, slong done, slong total)
{
    slong * last = arg;
    CHECK(done >= *last && done <= total, "progress %ld of %ld after %ld", (long) done,
          (long) total, (long) *last);
    *last = done;
}

/* the shared rule for act on inputs x against the double rule: |mid - trap|
   within tol times max(1, |trap|), the balls finite, each radius at most
   1e-12 |M| or 1e-14 E[prod |sigma|]; returns the worst relative radius
   (the callers want it <= 1e-12: the moments much smaller than E[prod |sigma|]
   (cancellation), whose rounding in double intervals is large next to them,
   are summed again in Arb) */
static double
against_trapezoid(const char * act, const char * sw, const char * sb,
                  const char * const * xt, slong np, double tol, int want_shared)
{
    neft_exact_spec_t spec;
    neft_exact_moments_t mom;
    const _neft_tuples_struct * tree;
    double * tr, * ta, x[64], worst = 0;
    slong i, node, last = 0;
    char err[512];
    int st;

    neft_exact_spec_init(spec);
    set_spec(spec, act, sw, sb, xt, np, (1u << 2) | (1u << 4) | (1u << 6), 64);
    neft_exact_moments_init(mom);
    st = neft_exact_moments(mom, spec, 64, progress, &last, err, sizeof err);
    CHECK(st == NEFT_EXACT_SUCCESS, "%s: moments: %s", act, err);
    CHECK(mom->shared == want_shared, "%s: shared rule %d, expected %d", act, mom->shared,
          want_shared);
    if (st != NEFT_EXACT_SUCCESS)
        goto done;
    tree = mom->tree;
    for (i = 0; i < np; i++)
        x[i] = atof(xt[i]);
    tr = malloc(sizeof(double) * tree->length);
    ta = malloc(sizeof(double) * tree->length);
    trapezoid(tr, ta, tree, spec->net->act, atof(sw), atof(sb), x, np);
    for (node = 1; node < tree->length; node++)
    {
        const arb_struct * m = mom->M + node;
        double mid = arf_get_d(arb_midref(m), ARF_RND_NEAR), rad = mag_get_d(arb_radref(m));
        if (tree->len[node] % 2)
            continue;
        CHECK(arb_is_finite(m), "%s node %ld: not finite", act, (long) node);
        CHECK(fabs(mid - tr[node]) <= tol * fmax(1, fabs(tr[node])),
              "%s node %ld (length %ld): %.17g, double rule %.17g", act, (long) node,
              (long) tree->len[node], mid, tr[node]);
        CHECK(rad <= 1e-12 * fabs(mid) || rad <= 1e-14 * ta[node], "%s node %ld: radius %g "
              "for %g (E|prod sigma| %g)", act, (long) node, rad, mid, ta[node]);
        if (mid != 0 && rad / fabs(mid) > worst)
            worst = rad / fabs(mid);
    }
    free(tr);
    free(ta);
done:
    neft_exact_moments_clear(mom);
    neft_exact_spec_clear(spec);
    return worst;
}

int
main(void)
{
    neft_exact_spec_t spec, spec2;
    neft_exact_moments_t mom;
    const _neft_tuples_struct * tree;
    slong node, i, zeros = 0, last = 0, count = 0;
    double t0, t1, worst = 0;
    char err[512];
    arb_t r;
    int st;

    arb_init(r);
    /* ---- erf at the paper's settings */
    neft_exact_spec_init(spec);
    set_spec(spec, "erf", "1", "1", erf_inputs, 6, (1u << 2) | (1u << 4) | (1u << 6), 64);
    neft_exact_moments_init(mom);
    t0 = seconds();
    st = neft_exact_moments(mom, spec, 64, progress, &last, err, sizeof err);
    t1 = seconds();
    CHECK(st == NEFT_EXACT_SUCCESS, "erf moments: %s", err);
    CHECK(mom->shared == 1, "erf: the shared rule was not used");
    if (st != NEFT_EXACT_SUCCESS)
        return neft_test_finish("t-moments");
    tree = mom->tree;
    for (node = 1; node < tree->length; node++)
    {
        slong idx[NEFT_SAMPLE_MAX_NPT], n = _neft_tuples_get(idx, tree, node), p = 0, q = 0;
        const arb_struct * m = mom->M + node;
        if (n % 2)
            continue;
        count++;
        /* exactly 0: only points 0 (x = -1) and 5 (x = 1), an odd number of each
           (k(-1, 1) = 1 - 1 = 0: independent, and erf is odd) */
        for (i = 0; i < n; i++)
        {
            p += idx[i] == 0;
            q += idx[i] == 5;
        }
        if (p + q == n && p % 2 == 1)
        {
            CHECK(arb_is_zero(m), "erf node %ld: expected exactly 0", (long) node);
            zeros++;
            continue;
        }
        CHECK(arb_is_finite(m) && !arb_contains_zero(m), "erf node %ld: ball contains 0",
              (long) node);
        arb_get_rad_arb(r, m);
        arb_div(r, r, m, 64);
        arb_abs(r, r);
        CHECK(arf_cmp_d(arb_midref(r), 1e-12) <= 0, "erf node %ld (length %ld): relative "
              "radius %g", (long) node, (long) n, arf_get_d(arb_midref(r), ARF_RND_UP));
        if (arf_get_d(arb_midref(r), ARF_RND_UP) > worst)
            worst = arf_get_d(arb_midref(r), ARF_RND_UP);
    }
    CHECK(count == 21 + 126 + 462, "erf: %ld even tuples", (long) count);
    CHECK(zeros == 1 + 2 + 3, "erf: %ld exact zeros, expected 6", (long) zeros);
    CHECK(last == count, "progress ended at %ld of %ld", (long) last, (long) count);
    printf("erf, 6 inputs: %ld moments in %.2f s (%ld nodes), worst relative radius %.3g\n",
           (long) count, t1 - t0, (long) mom->nodes, worst);
    /* the 200-bit references */
    for (i = 0; i < (slong) (sizeof refs / sizeof refs[0]); i++)
    {
        slong idx[NEFT_SAMPLE_MAX_NPT], n = 0;
        const char * c = refs[i].idx;
        arb_t ref, m;
        arb_init(ref);
        arb_init(m);
        while (*c)
        {
            idx[n++] = strtol(c, (char **) &c, 10);
            if (*c == ',')
                c++;
        }
        arb_set_str(ref, refs[i].value, 200);
        mag_set_d(arb_radref(ref), 1e-59);   /* 60 digits kept */
        neft_exact_moments_get(m, mom, idx, n);
        CHECK(arb_contains(m, ref), "erf M(%s) does not contain the reference %s",
              refs[i].idx, refs[i].value);
        arb_clear(ref);
        arb_clear(m);
    }
    neft_exact_moments_clear(mom);

    /* ---- erf against the double rule (all 609 moments) */
    against_trapezoid("erf", "1", "1", erf_inputs, 6, 1e-11, 1);

    /* ---- every smooth row with bias */
    {
        static const char * const x3[3] = {"-0.7", "0.3", "1.1"};
        static const char * const rows[] = {"tanh", "gelu", "silu", "sigmoid", "softplus",
                                            "erf"};
        for (i = 0; i < (slong) (sizeof rows / sizeof rows[0]); i++)
        {
            double w = against_trapezoid(rows[i], "1.3", "0.8", x3, 3, 1e-11, 1);
            printf("%s, 3 inputs: worst relative radius %.3g\n", rows[i], w);
            CHECK(w <= 1e-12, "%s: worst relative radius %g", rows[i], w);
        }
    }

    /* ---- rows with closed forms keep them (never the rule), and the rule
       needs sigma_b > 0 */
    {
        static const char * const x3[3] = {"-0.7", "0.3", "1.1"};
        static const char * const rows[] = {"sin", "linear", "relu", "leaky-relu", "gauss"};
        for (i = 0; i < (slong) (sizeof rows / sizeof rows[0]); i++)
        {
            neft_exact_spec_t s3;
            neft_exact_spec_init(s3);
            set_spec(s3, rows[i], "1", "1", x3, 3, (1u << 2) | (1u << 4), 64);
            CHECK(!_neft_exact_grid_applies(s3, 64), "%s: the shared rule would replace its "
                  "closed form", rows[i]);
            neft_exact_spec_clear(s3);
        }
        neft_exact_spec_init(spec2);
        set_spec(spec2, "erf", "1", "0", x3, 3, (1u << 2) | (1u << 4), 64);
        CHECK(!_neft_exact_grid_applies(spec2, 64), "erf, sigma_b = 0: the rule applies");
        neft_exact_spec_clear(spec2);
        neft_exact_spec_init(spec2);
        set_spec(spec2, "erf", "1", "1", x3, 3, (1u << 2) | (1u << 4), 65);
        CHECK(!_neft_exact_grid_applies(spec2, 65), "erf at 65 bits: the rule applies");
        CHECK(_neft_exact_grid_applies(spec2, 64), "erf at 64 bits: the rule does not apply");
        neft_exact_spec_clear(spec2);
    }

    /* ---- the shared rule against the per-moment integrator (2-D, 64 bits) */
    {
        static const char * const x2[2] = {"-0.6", "0.2"};
        static const slong tup[3][4] = {{0, 1}, {0, 0, 1, 1}, {0, 1, 1, 1}};
        static const slong len[3] = {2, 4, 4};
        neft_exact_spec_t s2;
        neft_exact_spec_init(s2);
        set_spec(s2, "tanh", "1", "1", x2, 2, (1u << 2) | (1u << 4), 64);
        st = neft_exact_moments(mom, s2, 64, NULL, NULL, err, sizeof err);
        CHECK(st == NEFT_EXACT_SUCCESS && mom->shared, "tanh 2 inputs: %s", err);
        for (i = 0; i < 3 && st == NEFT_EXACT_SUCCESS; i++)
        {
            arb_t a, b;
            arb_init(a);
            arb_init(b);
            neft_exact_moments_get(a, mom, tup[i], len[i]);
            st = neft_exact_moment_why(b, s2, tup[i], len[i], 64, err, sizeof err);
            CHECK(st == NEFT_EXACT_SUCCESS, "per-moment integrator: %s", err);
            CHECK(arb_overlaps(a, b), "tanh tuple %ld: shared rule and integrator disagree",
                  (long) i);
            arb_clear(a);
            arb_clear(b);
        }
        neft_exact_moments_clear(mom);
        neft_exact_spec_clear(s2);
    }

    /* ---- several widths from one set of moments = one run per width */
    {
        static const slong widths[3] = {2, 5, 20};
        neft_exact_result_struct res[3];
        neft_exact_result_t one;
        for (i = 0; i < 3; i++)
            neft_exact_result_init(res + i);
        neft_exact_result_init(one);
        spec->npt_mask = (1u << 2) | (1u << 4);   /* erf, 6 inputs, fast enough twice */
        st = neft_exact_correlators_widths(res, widths, 3, spec, 64, NULL, NULL, err,
                                           sizeof err);
        CHECK(st == NEFT_EXACT_SUCCESS, "widths: %s", err);
        for (i = 0; i < 3 && st == NEFT_EXACT_SUCCESS; i++)
        {
            slong k;
            neft_net_set_width_si(spec->net, 1, widths[i]);
            st = neft_exact_correlators(one, spec, 64, err, sizeof err);
            CHECK(st == NEFT_EXACT_SUCCESS && one->length == res[i].length,
                  "width %ld: %s", (long) widths[i], err);
            for (k = 0; k < one->length && st == NEFT_EXACT_SUCCESS; k++)
                CHECK(arb_equal(one->corr[k].full, res[i].corr[k].full)
                      && arb_equal(one->corr[k].connected, res[i].corr[k].connected)
                      && one->corr[k].npt == res[i].corr[k].npt,
                      "width %ld correlator %ld differs", (long) widths[i], (long) k);
        }
        for (i = 0; i < 3; i++)
            neft_exact_result_clear(res + i);
        neft_exact_result_clear(one);
    }
    neft_exact_spec_clear(spec);
    arb_clear(r);
    flint_cleanup();
    return neft_test_finish("t-moments");
}
