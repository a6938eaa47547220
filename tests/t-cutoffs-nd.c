/* Nested cutoffs in d_in = 2 (neft_integrate_tuples_cutoffs and
   neft_eval_prefill_cutoffs): every tuple's ball at every cutoff, computed
   at once (shells of the patch method for Erf and ReLU with sigma_b > 0,
   homogeneity for ReLU with sigma_b = 0), overlaps the independent
   integral at that cutoff (neft_integrate_vint, one cutoff at a time), is
   narrow, and comes with status success; the cutoffs are given unsorted
   and on 1 and 2 threads.  neft_eval_prefill_cutoffs sets them aside in the
   cache for each cutoff (before: it did nothing in d_in >= 2). */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/integrate.h"
#include "neft/eval.h"
#include "neft/theory.h"
#include "neft/expand.h"
#include "neft/tuple.h"
#include "neft-test.h"

typedef struct { const char * act; double sb2; double x[2][2]; double L[3]; } dcase;

static const dcase cases[] = {
    {"erf", 1, {{-1, -1}, {1, -1}}, {10, 1, 3}},
    {"relu", 1, {{0.5, 0.5}, {1, 0.5}}, {1.5, 10, 4}},
    {"relu", 0, {{0.5, 0.5}, {1, 0.5}}, {100, 1, 7}},
};

static void
set_kernel(neft_kernel_t k, const dcase * c)
{
    k->act = neft_act_lookup(c->act);
    k->d = 2;
    arb_one(k->sw2);
    arb_set_d(k->sb2, c->sb2);
    k->subtract_bias = 0;
}

static double
relrad(const arb_t r)
{
    return mag_get_d(arb_radref(r)) / fabs(arf_get_d(arb_midref(r), ARF_RND_NEAR));
}

/* the tuple t of npts of the two inputs with loops self-loops */
static void
tuple_vint(neft_vint_t v, arb_srcptr x, const slong * idx, slong npts, slong loops)
{
    slong j;
    neft_vint_init(v, 2, 1);
    for (j = 0; j < npts; j++)
        neft_vint_add_leg(v, 0, x + 2 * idx[j]);
    for (j = 0; j < loops; j++)
        neft_vint_add_link(v, 0, 0);
    neft_vint_canonicalise(v);
}

static void
check_tuples(const dcase * c, slong npts, slong loops, slong threads)
{
    neft_kernel_t k;
    neft_integrate_opt_t opt;
    arf_struct L[3];
    arb_ptr x = _arb_vec_init(4), res, ref = _arb_vec_init(1);
    slong ntup = neft_tuple_count(2, npts), t, cc, i, idx[8] = {0};
    int * st = flint_calloc(3 * ntup, sizeof(int)), s;
    char err[320];

    neft_kernel_init(k);
    set_kernel(k, c);
    neft_integrate_opt_init(opt);
    for (i = 0; i < 4; i++)
        arb_set_d(x + i, c->x[i / 2][i % 2]);
    for (i = 0; i < 3; i++)
    {
        arf_init(L + i);
        arf_set_d(L + i, c->L[i]);
    }
    res = _arb_vec_init(3 * ntup);
    s = neft_integrate_tuples_cutoffs(res, st, k, x, 2, npts, loops, L, 3, opt, 64, threads);
    CHECK(s == NEFT_INTEGRATE_SUCCESS, "%s sb2 %g: status %d", c->act, c->sb2, s);
    for (t = 0; t < ntup; t++)
    {
        neft_vint_t v;
        tuple_vint(v, x, idx, npts, loops);
        for (cc = 0; cc < 3; cc++)
        {
            arb_srcptr r = res + cc * ntup + t;
            s = neft_integrate_vint(ref, v, k, L + cc, opt, 64, err, sizeof err);
            CHECK(s == NEFT_INTEGRATE_SUCCESS && st[cc * ntup + t] == NEFT_INTEGRATE_SUCCESS,
                  "%s sb2 %g legs %ld loops %ld L %g: statuses %d %d", c->act, c->sb2,
                  (long) npts, (long) loops, c->L[cc], st[cc * ntup + t], s);
            CHECK(arb_overlaps(r, ref) && relrad(r) < 1e-9,
                  "%s sb2 %g legs %ld loops %ld tuple %ld L %g (threads %ld): nested %s, "
                  "independent %s", c->act, c->sb2, (long) npts, (long) loops, (long) t,
                  c->L[cc], (long) threads, arb_get_str(r, 20, 0), arb_get_str(ref, 20, 0));
        }
        neft_vint_clear(v);
        neft_tuple_next(idx, npts, 2);
    }
    for (i = 0; i < 3; i++)
        arf_clear(L + i);
    _arb_vec_clear(x, 4);
    _arb_vec_clear(ref, 1);
    _arb_vec_clear(res, 3 * ntup);
    flint_free(st);
    neft_kernel_clear(k);
}

/* neft_eval_prefill_cutoffs with connected G4 at first order: after it the
   cache, bound to each cutoff, holds every 4-leg tuple's integral (the
   balls of check_tuples). */
static void
check_prefill(const dcase * c)
{
    neft_theory_t th;
    neft_expansion_t ex;
    neft_expand_opt_t eopt;
    neft_eval_ctx_t ctx;
    arf_struct L[3];
    arb_ptr x = _arb_vec_init(4), ref = _arb_vec_init(1);
    char err[512];
    slong i, cc, t, idx[5];

    neft_theory_init(th);
    neft_expansion_init(ex);
    neft_expand_opt_init(eopt);
    if (neft_theory_read_string(th, neft_theory_default_text, "<built-in>", err, sizeof err) != 0
        || neft_expand(ex, th, 4, 1, NEFT_PRUNE_CONNECTED, eopt, err, sizeof err)
               != NEFT_EXPAND_SUCCESS)
        FAIL("expansion: %s", err);
    neft_eval_ctx_init(ctx, th->length);
    set_kernel(ctx->kernel, c);
    ctx->prec = 64;
    ctx->threads = 2;
    for (i = 0; i < 4; i++)
        arb_set_d(x + i, c->x[i / 2][i % 2]);
    for (i = 0; i < 3; i++)
    {
        arf_init(L + i);
        arf_set_d(L + i, c->L[i]);
    }
    CHECK(neft_eval_prefill_cutoffs(ctx, ex, x, 2, L, 3) == NEFT_INTEGRATE_SUCCESS,
          "prefill %s sb2 %g", c->act, c->sb2);
    for (cc = 0; cc < 3; cc++)
    {
        neft_integrate_cache_bind(ctx->cache, ctx->kernel, L + cc, ctx->opt, ctx->prec);
        memset(idx, 0, sizeof idx);
        for (t = 0; t < neft_tuple_count(2, 4); t++)
        {
            neft_vint_t v;
            slong at;
            tuple_vint(v, x, idx, 4, 0);
            at = neft_integrate_cache_find(ctx->cache, v);
            CHECK(at >= 0, "%s sb2 %g L %g tuple %ld: not in the cache after the prefill",
                  c->act, c->sb2, c->L[cc], (long) t);
            if (at >= 0)
            {
                neft_integrate_vint(ref, v, ctx->kernel, L + cc, ctx->opt, 64, err, sizeof err);
                CHECK(arb_overlaps(ctx->cache->values + at, ref),
                      "%s sb2 %g L %g tuple %ld: cached %s, independent %s", c->act, c->sb2,
                      c->L[cc], (long) t, arb_get_str(ctx->cache->values + at, 20, 0),
                      arb_get_str(ref, 20, 0));
            }
            neft_vint_clear(v);
            neft_tuple_next(idx, 4, 2);
        }
    }
    for (i = 0; i < 3; i++)
        arf_clear(L + i);
    _arb_vec_clear(x, 4);
    _arb_vec_clear(ref, 1);
    neft_eval_ctx_clear(ctx);
    neft_expansion_clear(ex);
    neft_theory_clear(th);
}

int
main(void)
{
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        check_tuples(cases + i, 4, 0, 2);
        check_tuples(cases + i, 2, 1, 1);
        check_prefill(cases + i);
    }
    flint_cleanup();
    return neft_test_finish("t-cutoffs-nd");
}
