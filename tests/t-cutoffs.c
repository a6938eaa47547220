/* Vertex integrals at many, large cutoffs (neft_integrate_tuples1_cutoffs):
   the O(lambda) 4-point integrals of all 126 sorted 4-tuples of 6 inputs in
   d_in = 1 at the paper's 21 cutoffs from 7 to 1e5 (Erf and GaussNet at the
   paper's settings, ReLU with sigma_b > 0), computed with nested cutoffs.
   Every ball must
   - overlap the single-cutoff method's (neft_integrate_tuples1) ball;
   - have the relative radius the goal asks for;
   - contain a 200-bit reference (acb_calc_integrate) at 7, about 1e3 and
     1e5 for a few tuples;
   - agree with an independent double-precision method (the textbook
     kernels, arcsine form, on geometric Gauss-Legendre panels written
     here) to 1e-10 relative at every cutoff. */

#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include "neft/integrate.h"
#include "neft/eval.h"
#include "neft/expand.h"
#include "neft/theory.h"
#include "neft/tuple.h"
#include "integrate/internal.h"   /* _neft_integrate_quad */
#include "neft-test.h"
#include "gl-ref.h"

#define NCUT 21
#define NTUP 126

/* ---- the independent double-precision method ---- */

typedef struct { int type; double sw2, sb2; } dk;     /* 0 gauss, 1 erf, 2 relu */
static const char * const rows[3] = {"gauss", "erf", "relu"};

static double
kd(const dk * k, double x, double y)
{
    double a = k->sw2, kxx = k->sb2 + a * x * x, kyy = k->sb2 + a * y * y;
    double kxy = k->sb2 + a * x * y, r;
    if (k->type == 0)
        r = k->sw2 * exp(-a * (x - y) * (x - y) / 2);
    else if (k->type == 1)
        r = k->sw2 * 2 / M_PI * asin(2 * kxy / sqrt((1 + 2 * kxx) * (1 + 2 * kyy)));
    else
    {
        double q = sqrt(kxx * kyy), c = kxy / q, th;
        c = c > 1 ? 1 : (c < -1 ? -1 : c);
        th = acos(c);
        r = k->sw2 / (2 * M_PI) * q * (sin(th) + (M_PI - th) * c);
    }
    return r + k->sb2;
}

static double
panel(const dk * k, const double * x, double a, double b)
{
    double c = (a + b) / 2, h = (b - a) / 2, s = 0;
    int q, i;
    for (q = 0; q < GLN; q++)
    {
        double y = c + h * gx[q], f = gw[q];
        for (i = 0; i < 4; i++)
            f *= kd(k, x[i], y);
        s += f;
    }
    return s * h;
}

/* The integral over [-L, L]: 64 panels on [-2, 2], cut at the inputs (the
   ReLU kinks), then panels growing by 1.15 outwards. */
static double
dint(const dk * k, const double * x, double L)
{
    double s = 0, a, b, cuts[16];
    int i, j, nc = 0;
    cuts[nc++] = -FLINT_MIN(L, 2);
    cuts[nc++] = FLINT_MIN(L, 2);
    for (i = 0; i < 4; i++)
        if (fabs(x[i]) < FLINT_MIN(L, 2))
            cuts[nc++] = x[i];
    for (i = 1; i < nc; i++)
        for (j = i; j > 0 && cuts[j - 1] > cuts[j]; j--)
        {
            double t = cuts[j]; cuts[j] = cuts[j - 1]; cuts[j - 1] = t;
        }
    for (i = 0; i + 1 < nc; i++)
        for (j = 0; j < 16; j++)
        {
            a = cuts[i] + (cuts[i + 1] - cuts[i]) * j / 16;
            b = cuts[i] + (cuts[i + 1] - cuts[i]) * (j + 1) / 16;
            if (b > a)
                s += panel(k, x, a, b);
        }
    for (a = 2; a < L; a = b)
    {
        b = FLINT_MIN(L, a * 1.15);
        s += panel(k, x, a, b) + panel(k, x, -b, -a);
    }
    return s;
}

/* ---- the checks ---- */

static void
set_kernel(neft_kernel_t k, const dk * K)
{
    k->act = neft_act_lookup(rows[K->type]);
    k->d = 1;
    arb_set_d(k->sw2, K->sw2);
    arb_set_d(k->sb2, K->sb2);
    k->subtract_bias = 0;
}

static double
relrad(const arb_t r)
{
    return mag_get_d(arb_radref(r)) / fabs(arf_get_d(arb_midref(r), ARF_RND_NEAR));
}

static void
check_kernel(const dk * K, double scale, slong goal, int refs)
{
    static const double in[6] = {-1, -0.6, -0.2, 0.2, 0.6, 1};
    neft_kernel_t k;
    neft_integrate_opt_t opt, ropt;
    arf_struct L[NCUT];
    arb_ptr x = _arb_vec_init(6), res = _arb_vec_init(NCUT * NTUP), one = _arb_vec_init(NTUP);
    arb_t ref;
    double xd[6], rel = goal == 0 ? 1e-15 : ldexp(1.0, -(int) goal + 1), worst = 0;
    slong c, t, i, idx[5];
    int s;

    neft_kernel_init(k);
    set_kernel(k, K);
    neft_integrate_opt_init(opt);
    neft_integrate_opt_init(ropt);
    opt->goal = goal;
    arb_init(ref);
    for (i = 0; i < 6; i++)
    {
        xd[i] = in[i] * scale;
        arb_set_d(x + i, xd[i]);
    }
    for (c = 0; c < NCUT; c++)
    {
        arf_init(L + c);
        arf_set_d(L + c, 7 * pow(1e5 / 7, c / 20.0));
    }
    s = neft_integrate_tuples1_cutoffs(res, k, x, 6, 4, 0, L, NCUT, opt, 64);
    CHECK(s == NEFT_INTEGRATE_SUCCESS, "%s goal %ld: status %d", rows[K->type], (long) goal, s);
    for (c = 0; c < NCUT; c++)
    {
        double Ld = arf_get_d(L + c, ARF_RND_NEAR);
        neft_integrate_tuples1(one, k, x, 6, 4, 0, L + c, opt, 64);
        for (i = 0; i < 5; i++)
            idx[i] = 0;
        for (t = 0; t < NTUP; t++)
        {
            arb_srcptr r = res + c * NTUP + t;
            double xt[4] = {xd[idx[0]], xd[idx[1]], xd[idx[2]], xd[idx[3]]}, dv;
            worst = FLINT_MAX(worst, relrad(r));
            CHECK(arb_is_finite(r) && arb_overlaps(r, one + t) && relrad(r) <= rel,
                  "%s goal %ld L %g tuple %ld: nested vs one cutoff, rel. radius %g",
                  rows[K->type], (long) goal, Ld, (long) t, relrad(r));
            /* the double method: every tuple at every fourth cutoff and the last */
            if (c % 4 == 0 || c == NCUT - 1)
            {
                dv = dint(K, xt, Ld);
                CHECK(fabs(dv - arf_get_d(arb_midref(r), ARF_RND_NEAR)) <= 1e-10 * fabs(dv),
                      "%s L %g tuple %ld: double %.17g", rows[K->type], Ld, (long) t, dv);
            }
            /* the 200-bit reference: a few tuples at 7, 1e3 and 1e5 */
            if (refs && (c == 0 || c == 12 || c == NCUT - 1)
                && (t == 0 || t == 40 || t == 77 || t == NTUP - 1))
            {
                neft_vint_t v;
                neft_vint_init_tuple1(v, x, idx, 4, 0);
                _neft_integrate_quad(ref, v, k, L + c, ropt, 200);
                CHECK(arb_overlaps(ref, r) && mag_cmp(arb_radref(ref), arb_radref(r)) <= 0,
                      "%s L %g tuple %ld vs 200 bits", rows[K->type], Ld, (long) t);
                neft_vint_clear(v);
            }
            neft_tuple_next(idx, 4, 6);
        }
    }
    if (getenv("NEFT_TEST_VERBOSE") != NULL)
        printf("%s goal %ld: worst rel. radius %.2e\n", rows[K->type], (long) goal, worst);
    for (c = 0; c < NCUT; c++)
        arf_clear(L + c);
    arb_clear(ref);
    _arb_vec_clear(x, 6);
    _arb_vec_clear(res, NCUT * NTUP);
    _arb_vec_clear(one, NTUP);
    neft_kernel_clear(k);
}

/* Cutoffs not increasing: cutoff by cutoff, the same balls as
   neft_integrate_tuples1. */
static void
check_unordered(void)
{
    dk K = {1, 1, 1};
    neft_kernel_t k;
    neft_integrate_opt_t opt;
    arf_struct L[2];
    arb_ptr x = _arb_vec_init(3), res = _arb_vec_init(2 * 15), one = _arb_vec_init(15);
    slong c, t;
    neft_kernel_init(k);
    set_kernel(k, &K);
    neft_integrate_opt_init(opt);
    for (t = 0; t < 3; t++)
        arb_set_d(x + t, 0.25 * (t + 1));
    arf_init(L + 0);
    arf_init(L + 1);
    arf_set_d(L + 0, 20);
    arf_set_d(L + 1, 3);
    neft_integrate_tuples1_cutoffs(res, k, x, 3, 4, 0, L, 2, opt, 64);
    for (c = 0; c < 2; c++)
    {
        neft_integrate_tuples1(one, k, x, 3, 4, 0, L + c, opt, 64);
        for (t = 0; t < 15; t++)
            CHECK(arb_equal(res + c * 15 + t, one + t), "unordered cutoffs: cutoff %ld tuple %ld",
                  (long) c, (long) t);
    }
    arf_clear(L + 0);
    arf_clear(L + 1);
    _arb_vec_clear(x, 3);
    _arb_vec_clear(res, 30);
    _arb_vec_clear(one, 15);
    neft_kernel_clear(k);
}

/* The cache keeps values set aside for other cutoffs: a bind to such a
   cutoff takes them up, the values it held are set aside in turn, and a
   binding never set aside empties the cache as before. */
static void
check_stash(void)
{
    dk K = {1, 1, 1};
    neft_kernel_t k;
    neft_integrate_opt_t opt;
    neft_integrate_cache_t cache;
    neft_vint_t v, w;
    arf_t A, B, C;
    arb_t x, va, vb;
    neft_kernel_init(k);
    set_kernel(k, &K);
    neft_integrate_opt_init(opt);
    neft_integrate_cache_init(cache);
    arf_init(A); arf_init(B); arf_init(C);
    arb_init(x); arb_init(va); arb_init(vb);
    arf_set_d(A, 7);
    arf_set_d(B, 11);
    arf_set_d(C, 13);
    neft_vint_init(v, 1, 1);
    neft_vint_init(w, 1, 1);
    arb_set_d(x, 0.5);
    neft_vint_add_leg(v, 0, x);
    neft_vint_add_leg(v, 0, x);
    neft_vint_canonicalise(v);
    arb_set_d(x, -0.5);
    neft_vint_add_leg(w, 0, x);
    neft_vint_canonicalise(w);
    arb_set_d(va, 1.5);
    arb_set_d(vb, 2.5);
    neft_integrate_cache_bind(cache, k, A, opt, 64);
    neft_integrate_cache_add(cache, v, va, NEFT_INTEGRATE_SUCCESS);
    neft_integrate_cache_stash(cache, k, B, opt, 64, v, vb, NEFT_INTEGRATE_SUCCESS);
    neft_integrate_cache_stash(cache, k, A, opt, 64, w, vb, NEFT_INTEGRATE_SUCCESS);
    CHECK(cache->length == 2 && neft_integrate_cache_find(cache, w) >= 0,
          "stash into the bound cutoff: stored there");
    neft_integrate_cache_bind(cache, k, B, opt, 64);
    CHECK(cache->length == 1 && neft_integrate_cache_find(cache, v) == 0
          && arb_equal(cache->values + 0, vb), "bind to a stashed cutoff: its values");
    CHECK(neft_integrate_cache_find(cache, w) < 0, "bind to a stashed cutoff: only its values");
    neft_integrate_cache_bind(cache, k, A, opt, 64);
    CHECK(cache->length == 2 && arb_equal(cache->values + neft_integrate_cache_find(cache, v), va),
          "bind back: the first cutoff's values");
    neft_integrate_cache_bind(cache, k, C, opt, 64);
    CHECK(cache->length == 0, "a cutoff never stashed: empty");
    opt->goal = 20;
    neft_integrate_cache_bind(cache, k, B, opt, 64);
    CHECK(cache->length == 0, "another goal: not the stashed values");
    neft_vint_clear(v);
    neft_vint_clear(w);
    neft_integrate_cache_clear(cache);
    arf_clear(A); arf_clear(B); arf_clear(C);
    arb_clear(x); arb_clear(va); arb_clear(vb);
    neft_kernel_clear(k);
}

/* neft_eval_prefill_cutoffs: connected G4 and G6 at first order evaluated at
   every cutoff after one prefill are the balls of an evaluation without
   it (the integrals overlap: same values up to the nested sums' rounding),
   for Erf and ReLU with sigma_b > 0 (panels) and GaussNet (closed forms:
   nothing prefilled). */
static void
check_prefill(void)
{
    static const dk Ks[3] = {{1, 1, 1}, {2, 1, 0.25}, {0, 1, 1}};
    static const double in[4] = {-1, -0.2, 0.3, 1.1};
    neft_theory_t th;
    neft_expansion_t ex[2];
    neft_expand_opt_t eopt;
    arf_struct L[4];
    arb_ptr x = _arb_vec_init(4), pts = _arb_vec_init(6);
    neft_eval_result_t r, q;
    char err[512];
    slong kk, e, c, i, t;
    neft_theory_init(th);
    neft_expansion_init(ex[0]);
    neft_expansion_init(ex[1]);
    neft_expand_opt_init(eopt);
    neft_eval_result_init(r);
    neft_eval_result_init(q);
    if (neft_theory_read_string(th, neft_theory_default_text, "<built-in>", err, sizeof err) != 0
        || neft_expand(ex[0], th, 4, 1, NEFT_PRUNE_CONNECTED, eopt, err, sizeof err)
               != NEFT_EXPAND_SUCCESS
        || neft_expand(ex[1], th, 6, 1, th->prune, eopt, err, sizeof err) != NEFT_EXPAND_SUCCESS)
        FAIL("expansions: %s", err);
    for (i = 0; i < 4; i++)
    {
        arb_set_d(x + i, in[i]);
        arf_init(L + i);
        arf_set_d(L + i, 5 * pow(30.0, (double) i));
    }
    for (kk = 0; kk < 3; kk++)
    {
        neft_eval_ctx_t ctx, plain;
        neft_eval_ctx_init(ctx, th->length);
        neft_eval_ctx_init(plain, th->length);
        set_kernel(ctx->kernel, Ks + kk);
        set_kernel(plain->kernel, Ks + kk);
        ctx->prec = plain->prec = 64;
        for (i = 0; i < th->length; i++)
        {
            arb_set_d(ctx->g + i, 0.5 + (double) i);
            arb_set_d(plain->g + i, 0.5 + (double) i);
        }
        for (e = 0; e < 2; e++)
            CHECK(neft_eval_prefill_cutoffs(ctx, ex[e], x, 4, L, 4) == NEFT_INTEGRATE_SUCCESS,
                  "prefill %s", rows[Ks[kk].type]);
        for (c = 0; c < 4; c++)
        {
            arf_set(ctx->cutoff, L + c);
            arf_set(plain->cutoff, L + c);
            for (e = 0; e < 2; e++)
            {
                slong n = e ? 6 : 4, idx[7] = {0};
                for (t = 0; t < (e ? 84 : 35); t++)
                {
                    for (i = 0; i < n; i++)
                        arb_set(pts + i, x + idx[i]);
                    neft_eval(r, ex[e], pts, ctx, err, sizeof err);
                    neft_eval(q, ex[e], pts, plain, err, sizeof err);
                    CHECK(arb_is_finite(r->value) && arb_overlaps(r->value, q->value)
                          && (mag_cmp(arb_radref(r->value), arb_radref(q->value)) <= 0
                              || arb_rel_accuracy_bits(r->value) >= 50),
                          "%s: G%ld at L %g tuple %ld with and without prefill",
                          rows[Ks[kk].type], (long) n, arf_get_d(L + c, ARF_RND_NEAR), (long) t);
                    neft_tuple_next(idx, n, 4);
                }
            }
            /* the prefilled cache holds the integrals the evaluation needs */
            if (Ks[kk].type != 0)
                CHECK(ctx->cache->length == plain->cache->length && ctx->cache->length > 0,
                      "%s: cache lengths %ld and %ld at L %g", rows[Ks[kk].type],
                      (long) ctx->cache->length, (long) plain->cache->length,
                      arf_get_d(L + c, ARF_RND_NEAR));
        }
        neft_eval_ctx_clear(ctx);
        neft_eval_ctx_clear(plain);
    }
    for (i = 0; i < 4; i++)
        arf_clear(L + i);
    _arb_vec_clear(x, 4);
    _arb_vec_clear(pts, 6);
    neft_eval_result_clear(r);
    neft_eval_result_clear(q);
    neft_expansion_clear(ex[0]);
    neft_expansion_clear(ex[1]);
    neft_theory_clear(th);
}

int
main(void)
{
    /* the paper's settings: sigma_w = sigma_b = 1; Erf inputs +-0.2, +-0.6,
       +-1, GaussNet 0.01 x those; and ReLU with sigma_b = 0.5 */
    static const dk erf = {1, 1, 1}, gauss = {0, 1, 1}, relu = {2, 1, 0.25};
    gl_init();
    check_kernel(&erf, 1, 0, 1);
    check_kernel(&erf, 1, 42, 0);
    check_kernel(&gauss, 0.01, 0, 1);
    check_kernel(&relu, 1, 0, 1);
    check_kernel(&relu, 1, 42, 0);
    check_unordered();
    check_stash();
    check_prefill();
    flint_cleanup();
    return neft_test_finish("t-cutoffs");
}
