/* Position-weighted and non-local couplings (issue 18 item 2): the
   built-in three-operator text against rules/nnqft-three-operator.rules,
   the parsed fields, the diagram functions on a non-local vertex (fuse,
   vertices, components, pruning, coefficient, keys), and the weighted
   one-vertex integrals against closed forms and an independent Simpson
   rule in doubles. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/flint.h>
#include <flint/fmpq.h>
#include "neft/theory.h"
#include "neft/diagram.h"
#include "neft/integrate.h"
#include "neft/kernel.h"
#include "neft/expand.h"
#include "neft-test.h"

#define PI 3.14159265358979323846

static char *
slurp(const char * path, size_t * len)
{
    FILE * f = fopen(path, "rb");
    char * buf;
    if (f == NULL)
        return NULL;
    buf = malloc(1 << 16);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void
test_theory(neft_theory_t th)
{
    size_t len;
    char err[512], * text = slurp("../rules/nnqft-three-operator.rules", &len);
    if (text == NULL)
        FAIL("cannot read ../rules/nnqft-three-operator.rules");
    CHECK(len == strlen(neft_theory_three_operator_text)
          && memcmp(text, neft_theory_three_operator_text, len) == 0,
          "neft_theory_three_operator_text differs from rules/nnqft-three-operator.rules");
    free(text);
    if (neft_theory_read_string(th, neft_theory_three_operator_text, "3op", err, sizeof err))
        FAIL("%s", err);
    CHECK(th->length == 3, "3 couplings");
    CHECK(th->couplings[0].npoints == 1 && th->couplings[0].position == 0, "lambda local");
    CHECK(th->couplings[1].npoints == 1 && th->couplings[1].position == 2, "lambda2 |y|^2");
    CHECK(th->couplings[2].npoints == 2 && th->couplings[2].point_legs[0] == 2
          && th->couplings[2].point_legs[1] == 2 && th->couplings[2].legs == 4, "lambdaNL 2+2");
    CHECK(neft_theory_has_nonlocal(th), "has non-local");
    {
        neft_theory_t f;
        neft_theory_init(f);
        neft_theory_fuse(f, th);
        CHECK(!neft_theory_has_nonlocal(f) && f->couplings[2].legs == 4, "fused");
        neft_theory_clear(f);
    }
}

static void
test_diagram(const neft_theory_t th)
{
    /* -8 lambdaNL: x1, x2 at y1; x3, x4 at y2; y1, y2 one vertex */
    slong type[2] = {2, 2}, tie[2] = {0, 0};
    slong edges[8] = {0, 4, 1, 4, 2, 5, 3, 5}, e[3], comp[8];
    slong edges2[8] = {0, 4, 1, 5, 2, 4, 3, 5};
    unsigned char k1[NEFT_DIAGRAM_KEY_MAX], k2[NEFT_DIAGRAM_KEY_MAX];
    slong l1, l2;
    neft_diagram_t d, f, d2;
    fmpq_t c;

    neft_diagram_init(d);
    neft_diagram_init(f);
    neft_diagram_init(d2);
    fmpq_init(c);
    neft_diagram_set_graph(d, 4, 2, type, 4, edges);
    neft_diagram_set_ties(d, tie);
    CHECK(neft_diagram_is_valid(d, th), "valid");
    CHECK(neft_diagram_vertices(d) == 1, "one vertex");
    neft_diagram_powers(e, d, 3);
    CHECK(e[0] == 0 && e[1] == 0 && e[2] == 1, "powers");
    CHECK(neft_diagram_components(comp, d) == 1, "one piece with the tie");
    CHECK(neft_diagram_propagator_components(comp, d) == 2, "two propagator components");
    CHECK(neft_diagram_keep(d, NEFT_PRUNE_VACUUM | NEFT_PRUNE_TWO_POINT_COMPONENT
                            | NEFT_PRUNE_CONNECTED), "kept: one connected piece");
    neft_diagram_symmetry_coeff(c, d, th);
    CHECK(fmpq_equal_si(c, -8), "coefficient -8");
    neft_diagram_fuse(f, d);
    CHECK(f->m == 1 && f->tie == NULL && f->nedges == 4, "fused graph");
    /* the same pairing with y1, y2 swapped: the same key; another pairing: not */
    {
        slong sw[8] = {0, 5, 1, 5, 2, 4, 3, 4};
        neft_diagram_set_graph(d2, 4, 2, type, 4, sw);
        neft_diagram_set_ties(d2, tie);
        l1 = neft_diagram_key(k1, d, 0);
        l2 = neft_diagram_key(k2, d2, 0);
        CHECK(l1 == l2 && memcmp(k1, k2, l1) == 0, "swapped points: same key");
        neft_diagram_set_graph(d2, 4, 2, type, 4, edges2);
        neft_diagram_set_ties(d2, tie);
        l2 = neft_diagram_key(k2, d2, 0);
        CHECK(l1 != l2 || memcmp(k1, k2, l1) != 0, "another pairing: another key");
        l1 = neft_diagram_key(k1, d, 1);
        l2 = neft_diagram_key(k2, d2, 1);
        CHECK(l1 == l2 && memcmp(k1, k2, l1) == 0, "unlabelled: the same");
    }
    /* without the tie: two vertices, each a two-point component */
    neft_diagram_set_graph(d2, 4, 2, type, 4, edges);
    CHECK(!neft_diagram_keep(d2, NEFT_PRUNE_TWO_POINT_COMPONENT), "untied: pruned");
    fmpq_clear(c);
    neft_diagram_clear(d);
    neft_diagram_clear(f);
    neft_diagram_clear(d2);
}

/* K for erf (sigma_w = sigma_b = 1, d = 1) and relu (sigma_w = 1, sigma_b^2 = 1/4). */
static double
kerf(double x, double y)
{
    return 1 + 2 / PI * asin(2 * (1 + x * y) / sqrt((3 + 2 * x * x) * (3 + 2 * y * y)));
}

static double
krelu(double x, double y)
{
    double a = sqrt(0.25 + x * x), b = sqrt(0.25 + y * y), c = (0.25 + x * y) / (a * b);
    double t = acos(c > 1 ? 1 : c < -1 ? -1 : c);
    return 0.25 + a * b / (2 * PI) * (sin(t) + (PI - t) * cos(t));
}

static double
simpson(double (*K)(double, double), const double * x, int n, int p, double L,
        const double * brk, int nb)
{
    /* composite Simpson on the pieces between the breakpoints */
    double s = 0;
    int piece;
    for (piece = 0; piece + 1 < nb; piece++)
    {
        int i, N = 20000;
        double a = brk[piece], b = brk[piece + 1], h = (b - a) / N;
        for (i = 0; i <= N; i++)
        {
            double y = a + i * h, f = pow(fabs(y), p), w = (i == 0 || i == N) ? 1 : (i % 2 ? 4 : 2);
            int j;
            for (j = 0; j < n; j++)
                f *= K(x[j], y);
            s += w * f * h / 3;
        }
    }
    (void) L;
    return s;
}

static void
weighted_case(const char * act, double sw2, double sb2, const double * x, int n, int p,
              double L, double (*K)(double, double), const double * brk, int nb)
{
    neft_kernel_t k;
    neft_vint_t v;
    neft_integrate_opt_t opt;
    arb_t sw, sb, r;
    arf_t Lf;
    char err[256];
    int i, s;
    double ref, got;

    neft_kernel_init(k);
    arb_init(sw);
    arb_init(sb);
    arb_init(r);
    arf_init(Lf);
    arb_set_d(sw, sqrt(sw2));
    arb_set_d(sb, sqrt(sb2));
    if (neft_kernel_set_act(k, neft_kernel_lookup_act(act), NULL, 1, sw, sb, NULL, 128))
        FAIL("%s", act);
    arb_set_d(k->sw2, sw2);
    arb_set_d(k->sb2, sb2);
    arf_set_d(Lf, L);
    neft_integrate_opt_init(opt);
    neft_vint_init(v, 1, 1);
    for (i = 0; i < n; i++)
    {
        arb_set_d(r, x[i]);
        neft_vint_add_leg(v, 0, r);
    }
    neft_vint_set_weight(v, 0, p);
    neft_vint_canonicalise(v);
    s = neft_integrate_vint(r, v, k, Lf, opt, 64, err, sizeof err);
    ref = simpson(K, x, n, p, L, brk, nb);
    got = arf_get_d(arb_midref(r), ARF_RND_NEAR);
    CHECK(s == NEFT_INTEGRATE_SUCCESS, "%s p=%d: status %d (%s)", act, p, s, err);
    CHECK(fabs(got - ref) <= 1e-9 * fabs(ref) && mag_cmp_2exp_si(arb_radref(r), -30) < 0,
          "%s p=%d: %.17g vs Simpson %.17g (radius %g)", act, p, got, ref,
          mag_get_d(arb_radref(r)));
    neft_vint_clear(v);
    neft_kernel_clear(k);
    arb_clear(sw);
    arb_clear(sb);
    arb_clear(r);
    arf_clear(Lf);
}

static void
test_weighted(void)
{
    /* relu sigma_b = 0: closed form, \int_0^2 y^2 prod (x_i y / 2) dy = 12/7 */
    {
        neft_kernel_t k;
        neft_vint_t v;
        neft_integrate_opt_t opt;
        arb_t sw, sb, r, q;
        arf_t L;
        char err[256];
        double xs[4] = {0.5, 1, 1.5, 2};
        int i;
        neft_kernel_init(k);
        arb_init(sw); arb_init(sb); arb_init(r); arb_init(q);
        arf_init(L);
        arb_one(sw);
        arb_zero(sb);
        if (neft_kernel_set_act(k, neft_kernel_lookup_act("relu"), NULL, 1, sw, sb, NULL, 128))
            FAIL("relu");
        arf_set_ui(L, 2);
        neft_integrate_opt_init(opt);
        neft_vint_init(v, 1, 1);
        for (i = 0; i < 4; i++)
        {
            arb_set_d(r, xs[i]);
            neft_vint_add_leg(v, 0, r);
        }
        neft_vint_set_weight(v, 0, 2);
        CHECK(neft_integrate_vint(r, v, k, L, opt, 128, err, sizeof err) == 0, "relu0: %s", err);
        arb_set_ui(q, 12);
        arb_div_ui(q, q, 7, 128);
        CHECK(arb_contains(r, q) && mag_cmp_2exp_si(arb_radref(r), -100) < 0,
              "relu0 |y|^2: 12/7 in the ball");
        neft_vint_clear(v);
        neft_kernel_clear(k);
        arb_clear(sw); arb_clear(sb); arb_clear(r); arb_clear(q);
        arf_clear(L);
    }
    {
        double x[4] = {-0.6, -0.2, 0.2, 1}, b[3] = {-5, 0, 5};
        weighted_case("erf", 1, 1, x, 4, 2, 5, kerf, b, 3);
        weighted_case("erf", 1, 1, x, 4, 1, 5, kerf, b, 3);
        weighted_case("erf", 1, 1, x, 2, 3, 5, kerf, b, 3);
    }
    {
        double x[3] = {-0.5, 0.3, 0.8}, b[6] = {-3, -0.5, 0, 0.3, 0.8, 3};
        weighted_case("relu", 1, 0.25, x, 3, 2, 3, krelu, b, 6);
        weighted_case("relu", 1, 0.25, x, 3, 1, 3, krelu, b, 6);
    }
}

/* Every generated term is valid, kept by the rules, counts its vertices
   once and has a distinct canonical key. */
static void
test_expand(const neft_theory_t th)
{
    neft_expansion_t ex;
    neft_expand_opt_t opt;
    char err[256];
    slong i, j, bad = 0, dup = 0, order = 0;
    unsigned prune = NEFT_PRUNE_VACUUM | NEFT_PRUNE_TWO_POINT_COMPONENT;
    unsigned char (*keys)[NEFT_DIAGRAM_KEY_MAX];
    slong * len;

    neft_expansion_init(ex);
    neft_expand_opt_init(opt);
    if (neft_expand(ex, th, 4, 2, prune, opt, err, sizeof err) != NEFT_EXPAND_SUCCESS)
        FAIL("%s", err);
    CHECK(ex->length == 139, "139 terms, got %ld", (long) ex->length);
    keys = malloc(sizeof(*keys) * ex->length);
    len = malloc(sizeof(slong) * ex->length);
    for (i = 0; i < ex->length; i++)
    {
        const neft_diagram_struct * d = ex->terms + i;
        bad += !neft_diagram_is_valid(d, th) || !neft_diagram_keep(d, prune);
        order = FLINT_MAX(order, neft_diagram_vertices(d));
        len[i] = neft_diagram_key(keys[i], d, 0);
        for (j = 0; j < i; j++)
            dup += len[i] == len[j] && memcmp(keys[i], keys[j], len[i]) == 0;
    }
    CHECK(bad == 0, "%ld terms invalid or pruned", (long) bad);
    CHECK(dup == 0, "%ld terms twice", (long) dup);
    CHECK(order == 2, "at most 2 vertices, got %ld", (long) order);
    free(keys);
    free(len);
    neft_expansion_clear(ex);
}

int
main(void)
{
    neft_theory_t th;
    neft_theory_init(th);
    test_theory(th);
    test_diagram(th);
    test_expand(th);
    test_weighted();
    neft_theory_clear(th);
    flint_cleanup_master();
    return neft_test_finish("t-nonlocal");
}
