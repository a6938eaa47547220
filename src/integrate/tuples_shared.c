/* All sorted tuples of a set of inputs at once by the patch method (d_in = 2,
   3; docs/integrate.md, "Work shared between tuples in d_in >= 2").

   One set of patches is built for the union of the tuples' legs (every
   input a run of its own, singular points at every input), and one list of
   sub-boxes is refined until every tuple meets its own goal.  On a sub-box
   the integrand's factors (the Jacobian, each input's kernel, the diagonal)
   are evaluated once per node and per piece of the ellipse boxes; a tuple's
   integrand is the product of its factors' powers at a node, and its bound
   M on a piece the product of the factors' bounds (no wider than Arb's
   product of the boxes).  Per axis each tuple takes the rule patches.c would
   take from the same bounds (the least n, a rho); the sub-box uses the
   largest n among the tuples, so each tuple's error bound is at most its own
   rule's.  A tuple without a rule on the sub-box gets volume x range there.
   Tolerances per tuple as in patches.c (its scale from the same points, 2^-goal,
   tightened at most 3 times towards the value).  The sub-boxes with the largest
   error relative to their tuples' tolerances are bisected, a fixed number at
   a time whatever the number of threads, and estimated on the threads (one
   patch context each): the results do not depend on the number of threads.
   A tuple that does not converge here is integrated by itself. */

#include <math.h>
#include <string.h>
#include "neft/integrate.h"
#include "neft/interrupt.h"
#include "internal.h"
#include "ivl.h"
#include "gl.h"
#include "patches.h"
#include "tuples_pool.h"

#define PD 3
#define BATCH 4                   /* sub-boxes bisected per round */

typedef struct
{
    double lo[PD], hi[PD];
    slong patch, split;
    slong r0[PD];
    arb_ptr est;                  /* per tuple */
}
sbox_struct;

typedef struct
{
    slong ntup, nrun, nfac, loops, D, prec, goal, nmax, nthr;
    slong * ex;                   /* ntup x nfac: the factors' exponents */
    int use_arb;
    void ** ctx;                  /* one per thread */
    slong * P;
    int * duffy, * far;
    arb_ptr J;
    double * tol, * tol_density;  /* per tuple */
    int * active;                 /* per tuple: still refined */
    sbox_struct * bx;
    slong nbx, abx;
    slong * todo;                 /* the sub-boxes of this round */
    _neft_pool_ptr pool;
}
sh_struct;

/* the integrand of tuple t from the factors */
static void
prod_acb(acb_t f, const sh_struct * S, slong t, acb_srcptr fac)
{
    slong j;
    acb_t g;
    acb_init(g);
    acb_set(f, fac + 0);
    for (j = 1; j < S->nfac; j++)
        if (S->ex[t * S->nfac + j] > 0)
        {
            acb_pow_ui(g, fac + j, S->ex[t * S->nfac + j], S->prec);
            acb_mul(f, f, g, S->prec);
        }
    if (!acb_is_finite(f))
        acb_indeterminate(f);
    acb_clear(g);
}

static ivl
prod_ivl(const sh_struct * S, slong t, const ivl * fac)
{
    ivl f = fac[0];
    slong j, e;
    for (j = 1; j < S->nfac; j++)
        for (e = 0; e < S->ex[t * S->nfac + j]; e++)
            f = ivl_mul(f, fac[j]);
    return f;
}

/* the bounds of the tuples' integrands on a complex box: the product of
   their factors' bounds (_neft_patches_rules' bound) */
typedef struct
{
    const sh_struct * S;
    void * ctx;
    acb_ptr fac;
    double * fm;
}
bound_arg;

static void
tuple_bounds(double * M, void * arg, slong patch, acb_srcptr xi, const int * want)
{
    bound_arg * A = arg;
    const sh_struct * S = A->S;
    slong nf = S->nfac, t, j;
    mag_t m;
    mag_init(m);
    _neft_patches_ctx_factors_acb(A->fac, A->ctx, patch, xi, 1);
    for (j = 0; j < nf; j++)
    {
        if (acb_is_finite(A->fac + j))
        {
            acb_get_mag(m, A->fac + j);
            A->fm[j] = mag_get_d(m);
        }
        else
            A->fm[j] = -1;
    }
    for (t = 0; t < S->ntup; t++)
    {
        double v = 1;
        if (!want[t])
            continue;
        for (j = 0; j < nf && v >= 0; j++)
        {
            slong x = (j == 0) ? 1 : S->ex[t * nf + j];
            if (x == 0)
                continue;
            v = A->fm[j] < 0 ? -1 : v * pow(A->fm[j], (double) x);
        }
        /* one ulp per factor: the products in double */
        M[t] = v < 0 ? -1 : v * (1 + 1e-14);
    }
    mag_clear(m);
}

/* the estimates of every tuple on sub-box B, with the patch context ctx:
   the rules per tuple as patches.c's (_neft_patches_rules) */
static void
box_estimate(sh_struct * S, void * ctx, sbox_struct * B)
{
    slong P = S->P[B->patch], nt = S->ntup, nf = S->nfac;
    slong p, t, j, q, qq, idx;
    double c[PD], h[PD], vol;
    double * err = flint_calloc(nt, sizeof(double)), * ee, * MM, * rr;
    slong * nn, * split;
    int * have;
    acb_ptr xi = _acb_vec_init(PD), fac = _acb_vec_init(nf);
    acb_t f;
    mag_t m;
    bound_arg A;
    _neft_patches_rules_struct R;

    A.S = S;
    A.ctx = ctx;
    A.fac = fac;
    A.fm = flint_malloc(nf * sizeof(double));
    _neft_patches_rules_init(&R, nt);
    _neft_patches_rules(ctx, B->patch, B->lo, B->hi, B->r0, nt, S->tol_density, tuple_bounds,
                        &A, &R);
    /* per tuple t and axis p at t * PD + p: nodes, bound, rho, error */
    nn = R.n;
    MM = R.M;
    rr = R.rho;
    ee = R.err;
    split = R.split;
    have = R.have;
    acb_init(f);
    mag_init(m);
    vol = R.vol;
    for (p = 0; p < P; p++)
    {
        c[p] = R.c[p];
        h[p] = R.h[p];
    }

    /* tuples without a rule: volume x range on the real box */
    {
        int any = 0;
        for (t = 0; t < nt; t++)
            any |= !have[t];
        if (any)
        {
            arb_t vv;
            arb_init(vv);
            for (p = 0; p < P; p++)
                _neft_patches_real_piece(xi + p, c[p], h[p], 0, 1);
            _neft_patches_ctx_factors_acb(fac, ctx, B->patch, xi, 0);
            arb_set_d(vv, vol);
            for (t = 0; t < nt; t++)
                if (!have[t])
                {
                    prod_acb(f, S, t, fac);
                    arb_mul(B->est + t, acb_realref(f), vv, S->prec);
                    if (!arb_is_finite(B->est + t))
                        arb_indeterminate(B->est + t);
                }
            arb_clear(vv);
        }
    }
    /* the others: one rule, n_p the largest among them */
    {
        slong nsh[PD], np = 1;
        int any = 0;
        const _neft_gl_struct * g[PD];
        for (p = 0; p < P; p++)
            nsh[p] = 0;
        for (t = 0; t < nt; t++)
            if (have[t])
            {
                any = 1;
                for (p = 0; p < P; p++)
                    nsh[p] = FLINT_MAX(nsh[p], nn[t * PD + p]);
            }
        if (any)
        {
            for (p = 0; p < P; p++)
            {
                g[p] = _neft_gl(_neft_gl_size(nsh[p]), S->prec);
                np *= g[p]->n;
            }
            for (t = 0; t < nt; t++)
                if (have[t])
                {
                    split[t] = 0;
                    err[t] = 0;
                    for (p = 0; p < P; p++)
                    {
                        /* this tuple's bound at the shared n (<= at its own) */
                        ee[t * PD + p] = _neft_patches_axis_err(P, h, MM[t * PD + p],
                                             rr[t * PD + p], g[p]->n) * (1 + 1e-6);
                        err[t] += ee[t * PD + p];
                        if (ee[t * PD + p] > ee[t * PD + split[t]])
                            split[t] = p;
                    }
                }
            if (!S->use_arb)
            {
                ivl * sum = flint_malloc(nt * sizeof(ivl)), * ifac = flint_malloc(nf * sizeof(ivl));
                ivl x[PD], w, hv[PD];
                for (t = 0; t < nt; t++)
                    sum[t] = ivl_pt(0);
                for (p = 0; p < P; p++)
                    hv[p] = ivl_pt(h[p]);
                for (q = 0; q < np; q++)
                {
                    w = ivl_pt(1);
                    for (qq = q, p = 0; p < P; p++)
                    {
                        idx = qq % g[p]->n;
                        qq /= g[p]->n;
                        x[p] = ivl_add(ivl_pt(c[p]), ivl_mul(hv[p], g[p]->xi[idx]));
                        w = ivl_mul(w, g[p]->wi[idx]);
                    }
                    for (j = 0; j < nf; j++)
                        ifac[j] = ivl_pt(1);
                    _neft_patches_ctx_factors_ivl(ifac, ctx, B->patch, x);
                    for (t = 0; t < nt; t++)
                        if (have[t])
                            sum[t] = ivl_add(sum[t], ivl_mul(w, prod_ivl(S, t, ifac)));
                }
                for (t = 0; t < nt; t++)
                    if (have[t])
                    {
                        for (p = 0; p < P; p++)
                            sum[t] = ivl_mul(sum[t], hv[p]);
                        _neft_ivl_get_arb(B->est + t, sum[t]);
                    }
                flint_free(sum);
                flint_free(ifac);
            }
            else
            {
                arb_t w, u;
                arb_init(w);
                arb_init(u);
                for (t = 0; t < nt; t++)
                    if (have[t])
                        arb_zero(B->est + t);
                for (q = 0; q < np; q++)
                {
                    arb_one(w);
                    for (qq = q, p = 0; p < P; p++)
                    {
                        idx = qq % g[p]->n;
                        qq /= g[p]->n;
                        arb_set_d(u, h[p]);
                        arb_mul(acb_realref(xi + p), g[p]->x + idx, u, S->prec);
                        arb_set_d(u, c[p]);
                        arb_add(acb_realref(xi + p), acb_realref(xi + p), u, S->prec);
                        arb_zero(acb_imagref(xi + p));
                        arb_mul(w, w, g[p]->w + idx, S->prec);
                    }
                    _neft_patches_ctx_factors_acb(fac, ctx, B->patch, xi, 0);
                    for (t = 0; t < nt; t++)
                        if (have[t])
                        {
                            prod_acb(f, S, t, fac);
                            arb_addmul(B->est + t, w, acb_realref(f), S->prec);
                        }
                }
                for (t = 0; t < nt; t++)
                    if (have[t])
                        for (p = 0; p < P; p++)
                        {
                            arb_set_d(u, h[p]);
                            arb_mul(B->est + t, B->est + t, u, S->prec);
                        }
                arb_clear(w);
                arb_clear(u);
            }
            for (t = 0; t < nt; t++)
                if (have[t])
                {
                    mag_set_d(m, err[t]);
                    arb_add_error_mag(B->est + t, m);
                    if (!arb_is_finite(B->est + t))
                        arb_indeterminate(B->est + t);
                }
        }
    }
    /* bisected where the tuple worst off against its tolerance wants */
    {
        double worst = -1;
        B->split = 0;
        for (t = 0; t < nt; t++)
        {
            double r = arb_is_finite(B->est + t)
                     ? mag_get_d(arb_radref(B->est + t)) / S->tol[t] : HUGE_VAL;
            if (S->active[t] && r > worst)
            {
                worst = r;
                B->split = split[t];
            }
        }
    }
    acb_clear(f);
    mag_clear(m);
    _acb_vec_clear(xi, PD);
    _acb_vec_clear(fac, nf);
    flint_free(err);
    flint_free(A.fm);
    _neft_patches_rules_clear(&R);
}

double
_neft_tuples_share(const neft_kernel_t k, slong npts, slong loops, const arf_t L, slong prec,
                   double ntup)
{
    neft_integrate_plan_t plan;
    if (k->d >= 2 && neft_integrate_plan(plan, 1, npts, loops, k, L, prec) == NEFT_INTEGRATE_SUCCESS
        && plan->method == NEFT_INTEGRATE_METHOD_PATCHES)
        return FLINT_MAX(1, FLINT_MIN(ntup, 1 + ntup / 10));
    return 1;
}

/* a task of the pool: estimate S->todo[i] with thread th's context */
static void
estimate_task(void * arg, slong i, slong th)
{
    sh_struct * S = arg;
    box_estimate(S, S->ctx[th], S->bx + S->todo[i]);
}

static void
estimate_all(sh_struct * S, slong n)
{
    _neft_pool_round(S->pool, n, estimate_task, S);
}

static sbox_struct *
new_box(sh_struct * S)
{
    sbox_struct * B;
    slong t;
    if (S->nbx == S->abx)
    {
        S->abx = 2 * S->abx + 64;
        S->bx = flint_realloc(S->bx, S->abx * sizeof(sbox_struct));
    }
    B = S->bx + S->nbx++;
    memset(B, 0, sizeof(sbox_struct));
    B->est = _arb_vec_init(S->ntup);
    for (t = 0; t < S->ntup; t++)
        arb_indeterminate(B->est + t);        /* until estimated (an interrupted round) */
    return B;
}

/* 1 if every tuple of npts of the nin points x with loops self-loops is
   integrated by the patch method (as neft_integrate_vint would) at L, the
   points are distinct and exact */
static int
shared_apply(const neft_kernel_t k, arb_srcptr x, slong nin, slong npts, slong loops,
             const arf_struct * Lin, const arf_t L, slong prec)
{
    neft_integrate_plan_t plan;
    neft_vint_t v;
    slong i, j, d = k->d;
    int ok;
    if ((d != 2 && d != 3) || nin < 1 || npts < 1 || nin > 64
        || neft_integrate_plan(plan, 1, npts, loops, k, L, prec) != NEFT_INTEGRATE_SUCCESS
        || plan->method != NEFT_INTEGRATE_METHOD_PATCHES)
        return 0;
    for (i = 0; i < nin; i++)
        for (j = 0; j < i; j++)
        {
            slong c, same = 1;
            for (c = 0; c < d; c++)
                same &= arb_equal(x + i * d + c, x + j * d + c);
            if (same)
                return 0;
        }
    /* the union of the legs (one each) decides exactness, kernel and cutoff */
    neft_vint_init(v, d, 1);
    for (i = 0; i < nin; i++)
        neft_vint_add_leg(v, 0, x + i * d);
    ok = Lin == NULL ? _neft_integrate_patches_apply(v, k, L)
                     : _neft_integrate_patches_shell_apply(v, k, Lin, L);
    neft_vint_clear(v);
    /* kernels with K(0, y) = 0 (sigma_b = 0) have their own shortcut there */
    if (neft_kernel_has_kink(k) && arb_is_zero(k->sb2))
        for (i = 0; i < nin; i++)
            if (_arb_vec_is_zero(x + i * d, d))
                ok = 0;
    return ok;
}

int
_neft_integrate_tuples_shared(arb_ptr res, int * status, const neft_kernel_t k, arb_srcptr x,
                              slong nin, slong npts, slong loops, const arf_struct * Lin,
                              const arf_t L, const neft_integrate_opt_t opt, slong prec,
                              slong threads)
{
    sh_struct S[1];
    slong ntup, t, i, j, nrun, npt, nbx0, D = k->d, budget, rounds = 0;
    slong * idx, * tightened;
    double * tol46, vol = 0;
    int faces, use_ivl, stop = 0;
    neft_vint_t v;
    arb_t a;

    if (!shared_apply(k, x, nin, npts, loops, Lin, L, prec))
        return -1;
    idx = _neft_tuples_table(nin, npts, &ntup);
    if (ntup <= 0)
    {
        flint_free(idx);
        return -1;
    }
    memset(S, 0, sizeof(S));
    S->ntup = ntup;
    S->D = D;
    S->prec = prec;
    S->loops = loops;
    S->pool = _neft_pool_new(_neft_pool_threads(BATCH * 2, threads));
    S->nthr = _neft_pool_size(S->pool);
    S->ctx = flint_calloc(S->nthr, sizeof(void *));
    /* the union: every input one leg, in order (one run each: distinct) */
    neft_vint_init(v, D, 1);
    for (i = 0; i < nin; i++)
        neft_vint_add_leg(v, 0, x + i * D);
    for (i = 0; i < loops; i++)
        neft_vint_add_link(v, 0, 0);
    for (i = 0; i < S->nthr; i++)
    {
        S->ctx[i] = _neft_patches_ctx_new(v, k, Lin, L, opt, prec);
        if (S->ctx[i] == NULL)
            break;
    }
    neft_vint_clear(v);
    if (i < S->nthr)
    {
        for (j = 0; j < i; j++)
            _neft_patches_ctx_free(S->ctx[j]);
        flint_free(S->ctx);
        flint_free(idx);
        _neft_pool_free(S->pool);
        return -1;
    }
    _neft_patches_ctx_info(S->ctx[0], &nrun, &S->goal, &use_ivl, &S->nmax, &faces, &npt, &nbx0);
    S->use_arb = !use_ivl;
    S->nrun = nrun;
    S->nfac = 1 + nrun + (loops > 0);
    S->ex = flint_calloc(ntup * S->nfac, sizeof(slong));
    for (t = 0; t < ntup; t++)
    {
        for (i = 0; i < npts; i++)
            S->ex[t * S->nfac + 1 + idx[t * npts + i]]++;
        if (loops > 0)
            S->ex[t * S->nfac + 1 + nrun] = loops;
    }
    S->P = flint_malloc(npt * sizeof(slong));
    S->duffy = flint_malloc(npt * sizeof(int));
    S->far = flint_malloc(npt * sizeof(int));
    S->J = _arb_vec_init(npt);
    arb_init(a);
    for (i = 0; i < npt; i++)
    {
        _neft_patches_ctx_patch(S->ctx[0], i, S->P + i, S->duffy + i, S->far + i, S->J + i);
        arb_abs(a, S->J + i);
        vol += arf_get_d(arb_midref(a), ARF_RND_UP) / (S->duffy[i] ? (double) S->P[i] : 1.0);
    }
    S->tol = flint_calloc(ntup, sizeof(double));
    S->tol_density = flint_calloc(ntup, sizeof(double));
    tol46 = flint_calloc(ntup, sizeof(double));
    tightened = flint_calloc(ntup, sizeof(slong));
    S->active = flint_malloc(ntup * sizeof(int));
    for (i = 0; i < nbx0; i++)
    {
        sbox_struct * B = new_box(S);
        _neft_patches_ctx_box(S->ctx[0], i, B->lo, B->hi, &B->patch);
    }

    /* each tuple's scale (as patches.c: |F(centre)| per patch, the 2-point
       Gauss rule per axis on far-field patches) */
    {
        acb_ptr xi = _acb_vec_init(PD), fac = _acb_vec_init(S->nfac);
        acb_t f;
        double * q = flint_calloc(ntup, sizeof(double));
        acb_init(f);
        for (i = 0; i < S->nbx; i++)
        {
            const sbox_struct * B = S->bx + i;
            slong P = S->P[B->patch], cnr, ncnr = S->far[B->patch] ? (WORD(1) << P) : 1;
            double hv = 1;
            for (t = 0; t < ntup; t++)
                q[t] = 0;
            for (cnr = 0; cnr < ncnr; cnr++)
            {
                for (j = 0; j < P; j++)
                {
                    double c = 0.5 * (B->lo[j] + B->hi[j]), h = 0.5 * (B->hi[j] - B->lo[j]);
                    if (S->far[B->patch])
                        acb_set_d(xi + j, c + (((cnr >> j) & 1) ? h : -h) * 0.57735026918962576);
                    else
                        acb_set_d(xi + j, 0.5);
                }
                _neft_patches_ctx_factors_acb(fac, S->ctx[0], B->patch, xi, 0);
                for (t = 0; t < ntup; t++)
                {
                    prod_acb(f, S, t, fac);
                    if (S->far[B->patch])
                        q[t] += fabs(arf_get_d(arb_midref(acb_realref(f)), ARF_RND_NEAR));
                    else
                    {
                        mag_t m;
                        mag_init(m);
                        acb_get_mag(m, f);
                        q[t] += mag_get_d(m) / (S->duffy[B->patch] ? (double) P : 1.0);
                        mag_clear(m);
                    }
                }
            }
            if (S->far[B->patch])
                for (j = 0; j < P; j++)
                    hv *= 0.5 * (B->hi[j] - B->lo[j]);
            for (t = 0; t < ntup; t++)
                S->tol[t] += q[t] * hv;
        }
        for (t = 0; t < ntup; t++)
        {
            double sc = S->tol[t];
            if (!(sc > 0) || !isfinite(sc))
                sc = 1;
            S->tol[t] = ldexp(sc, -(int) S->goal);
            tol46[t] = ldexp(sc, -46);
            S->tol_density[t] = S->tol[t] / vol;
            S->active[t] = 1;
            status[t] = NEFT_INTEGRATE_SUCCESS;
        }
        flint_free(q);
        acb_clear(f);
        _acb_vec_clear(xi, PD);
        _acb_vec_clear(fac, S->nfac);
    }
    S->todo = flint_malloc(FLINT_MAX(S->nbx, 2 * BATCH) * sizeof(slong));
    for (i = 0; i < S->nbx; i++)
        S->todo[i] = i;
    estimate_all(S, S->nbx);

    budget = opt->eval_limit > 0 ? opt->eval_limit : 4000000;
    for (;;)
    {
        slong nact = 0, nsel = 0, evals = 0;
        slong sel[BATCH];
        double selr[BATCH];
        for (t = 0; t < ntup; t++)
        {
            double tot = 0;
            if (!S->active[t])
                continue;
            for (i = 0; i < S->nbx; i++)
                tot += arb_is_finite(S->bx[i].est + t)
                     ? mag_get_d(arb_radref(S->bx[i].est + t)) : HUGE_VAL;
            if (tot <= S->tol[t])
            {
                /* relative to the value when it is much smaller than the scale */
                double lv;
                mag_t m;
                mag_init(m);
                arb_zero(a);
                for (i = 0; i < S->nbx; i++)
                    arb_add(a, a, S->bx[i].est + t, prec);
                arb_get_mag_lower(m, a);
                lv = ldexp(mag_get_d(m), -(int) S->goal);
                mag_clear(m);
                if (tightened[t] < 3 && lv < S->tol[t] && lv > 0)
                {
                    S->tol_density[t] *= lv / S->tol[t];
                    S->tol[t] = lv;
                    tightened[t]++;
                    if (!S->use_arb && S->tol[t] < tol46[t])
                        S->use_arb = 1;
                    t--;              /* checked again at the new tolerance */
                    continue;
                }
                S->active[t] = 0;
                continue;
            }
            nact++;
        }
        if (nact == 0)
            break;
        for (i = 0; i < S->nthr; i++)
            evals += _neft_patches_ctx_evals(S->ctx[i]);
        if (neft_interrupted() || evals > budget)
        {
            for (t = 0; t < ntup; t++)
                if (S->active[t])
                    status[t] = neft_interrupted() ? NEFT_INTEGRATE_INTERRUPTED
                                                   : NEFT_INTEGRATE_NO_CONVERGENCE;
            break;
        }
        /* the BATCH sub-boxes with the largest error against an active tuple's tolerance */
        for (i = 0; i < S->nbx; i++)
        {
            double r = 0;
            slong pos;
            for (t = 0; t < ntup; t++)
                if (S->active[t])
                {
                    double e = arb_is_finite(S->bx[i].est + t)
                             ? mag_get_d(arb_radref(S->bx[i].est + t)) / S->tol[t] : HUGE_VAL;
                    r = FLINT_MAX(r, e);
                }
            if (!(r > 0))
                continue;
            for (pos = nsel; pos > 0 && selr[pos - 1] < r; pos--)
                if (pos < BATCH)
                {
                    sel[pos] = sel[pos - 1];
                    selr[pos] = selr[pos - 1];
                }
            if (pos < BATCH)
            {
                sel[pos] = i;
                selr[pos] = r;
                nsel = FLINT_MIN(nsel + 1, BATCH);
            }
        }
        stop = nsel == 0;
        for (j = 0; j < nsel; j++)
            if (S->bx[sel[j]].hi[S->bx[sel[j]].split] - S->bx[sel[j]].lo[S->bx[sel[j]].split]
                    < 1e-12)
                stop = 1;
        if (stop)
        {
            /* a sub-box too narrow to bisect (as patches.c), or none to bisect: no convergence */
            for (t = 0; t < ntup; t++)
                if (S->active[t])
                    status[t] = NEFT_INTEGRATE_NO_CONVERGENCE;
            break;
        }
        for (j = 0; j < nsel; j++)
        {
            sbox_struct * B, * N;
            slong wl = S->bx[sel[j]].split;
            double mid;
            N = new_box(S);
            B = S->bx + sel[j];
            memcpy(N->lo, B->lo, sizeof(B->lo));
            memcpy(N->hi, B->hi, sizeof(B->hi));
            memcpy(N->r0, B->r0, sizeof(B->r0));
            N->patch = B->patch;
            mid = 0.5 * (B->lo[wl] + B->hi[wl]);
            N->lo[wl] = mid;
            B->hi[wl] = mid;
            S->todo[2 * j] = sel[j];
            S->todo[2 * j + 1] = S->nbx - 1;
        }
        estimate_all(S, 2 * nsel);
        rounds++;
    }

    for (t = 0; t < ntup; t++)
    {
        arb_zero(res + t);
        for (i = 0; i < S->nbx; i++)
            arb_add(res + t, res + t, S->bx[i].est + t, prec);
        if (faces)
        {
            /* L^(p+3) / (p+3), p = legs + 2 loops */
            slong ph = npts + 2 * loops;
            arb_set_arf(a, L);
            arb_pow_ui(a, a, ph + 3, prec);
            arb_div_ui(a, a, ph + 3, prec);
            arb_mul(res + t, res + t, a, prec);
        }
        if (!arb_is_finite(res + t) && status[t] == NEFT_INTEGRATE_SUCCESS)
            status[t] = neft_interrupted() ? NEFT_INTEGRATE_INTERRUPTED
                                           : NEFT_INTEGRATE_NO_CONVERGENCE;
    }
    if (opt->verbose)
    {
        slong evals = 0;
        for (i = 0; i < S->nthr; i++)
            evals += _neft_patches_ctx_evals(S->ctx[i]);
        flint_fprintf(stderr, "tuples shared: %wd tuples, %wd patches, %wd boxes, %wd rounds, "
                      "%wd evaluations\n", ntup, npt, S->nbx, rounds, evals);
    }

    for (i = 0; i < S->nbx; i++)
        _arb_vec_clear(S->bx[i].est, ntup);
    flint_free(S->bx);
    for (i = 0; i < S->nthr; i++)
        _neft_patches_ctx_free(S->ctx[i]);
    flint_free(S->ctx);
    _neft_pool_free(S->pool);
    flint_free(S->ex);
    flint_free(S->P);
    flint_free(S->duffy);
    flint_free(S->far);
    _arb_vec_clear(S->J, npt);
    flint_free(S->tol);
    flint_free(S->tol_density);
    flint_free(S->active);
    flint_free(S->todo);
    flint_free(tol46);
    flint_free(tightened);
    flint_free(idx);
    arb_clear(a);
    return 0;
}
