/* The one-vertex integrals of all sorted tuples of a set of inputs at every
   cutoff of a list at once, any d_in >= 2, nested (docs/integrate.md,
   "Nested cutoffs"), the tuples shared out among threads:

   - kernels homogeneous of degree 1 in y with sigma_b = 0 (relu,
     leaky-relu, linear): the integrand is homogeneous of degree
     p = legs + 2 loops, so I(L) = (L / L_max)^(p + d) I(L_max): one integral
     at the largest cutoff;
   - the patch method (erf, relu with sigma_b > 0): I(L_1) at the smallest
     cutoff, then I(L_j) = I(L_{j-1}) + the shell between them
     (_neft_integrate_patches_shell);
   - anything else: each cutoff by its plan (neft_integrate_vint). */

#include "neft/integrate.h"
#include "neft/tuple.h"
#include "neft/interrupt.h"
#include "neft/act.h"
#include "patches.h"
#include "tuples_pool.h"

typedef struct
{
    arb_ptr res;                  /* ncut x ntup */
    int * status;
    const neft_kernel_struct * k;
    arb_srcptr x;
    slong npts, loops, ntup, ncut, prec;
    const slong * idx;            /* ntup x npts */
    const arf_struct * L;
    const slong * order;          /* the cutoffs' indices, increasing L */
    const slong * which;          /* the tuples to do (NULL: all) */
    const neft_integrate_opt_struct * opt;
}
cmt_struct;

static int
homogeneous(const neft_kernel_t k)
{
    return k->act->kernel->orthant != NULL && arb_is_zero(k->sb2);
}

/* homogeneous: every other cutoff of a tuple with deg = legs + 2 loops + d
   from its value at the largest (res[cmax * ntup], status st) */
static void
homogeneous_fill(arb_ptr res, int * status, slong ntup, slong deg, int st, const cmt_struct * M)
{
    slong c, cmax = M->order[M->ncut - 1];
    arb_srcptr top = res + cmax * ntup;
    arb_t r;
    arb_init(r);
    for (c = 0; c < M->ncut; c++)
    {
        status[c * ntup] = st;
        if (c == cmax)
            continue;
        arb_set_arf(r, M->L + c);
        arb_div_arf(r, r, M->L + cmax, M->prec);
        arb_pow_ui(r, r, deg, M->prec);
        arb_mul(res + c * ntup, top, r, M->prec);
    }
    arb_clear(r);
}

/* Every cutoff of one tuple v into res[c * ntup] and status[c * ntup]. */
static void
one_tuple(arb_ptr res, int * status, slong ntup, const neft_vint_t v, const cmt_struct * M)
{
    const neft_kernel_struct * k = M->k;
    slong j, c, cmax = M->order[M->ncut - 1];
    char err[320];
    int st;

    if (homogeneous(k) && v->m == 1)
    {
        st = neft_integrate_vint(res + cmax * ntup, v, k, M->L + cmax, M->opt, M->prec, err,
                                 sizeof(err));
        homogeneous_fill(res, status, ntup, v->nlegs + 2 * v->A[0] + v->d, st, M);
        return;
    }
    c = M->order[0];
    st = neft_integrate_vint(res + c * ntup, v, k, M->L + c, M->opt, M->prec, err, sizeof(err));
    status[c * ntup] = st;
    for (j = 1; j < M->ncut; j++)
    {
        slong p = M->order[j - 1];
        c = M->order[j];
        if (st == NEFT_INTEGRATE_INTERRUPTED || neft_interrupted())
        {
            arb_indeterminate(res + c * ntup);
            status[c * ntup] = NEFT_INTEGRATE_INTERRUPTED;
            continue;
        }
        if (arf_equal(M->L + p, M->L + c))
        {
            arb_set(res + c * ntup, res + p * ntup);
            status[c * ntup] = status[p * ntup];
        }
        else if (neft_status_has_value(status[p * ntup])
                 && _neft_integrate_patches_shell_apply(v, k, M->L + p, M->L + c))
        {
            int s2 = _neft_integrate_patches_shell(res + c * ntup, v, k, M->L + p, M->L + c,
                                                   M->opt, M->prec);
            arb_add(res + c * ntup, res + c * ntup, res + p * ntup, M->prec);
            status[c * ntup] = neft_status_worst(status[p * ntup], s2);
        }
        else
            status[c * ntup] = neft_integrate_vint(res + c * ntup, v, k, M->L + c, M->opt,
                                                   M->prec, err, sizeof(err));
        st = status[c * ntup];
    }
}

/* All tuples at every cutoff sharing the work (tuples_shared.c): the
   smallest cutoff and the shells (homogeneous: the largest).  0 where it
   does not apply (nothing kept); else 1, done[t] set for the tuples whose
   every cutoff has status success. */
static int
shared_chain(cmt_struct * M, slong nin, slong threads, int * done)
{
    slong ntup = M->ntup, ncut = M->ncut, j, t, c, p;
    arb_ptr sh;
    if (homogeneous(M->k))
    {
        c = M->order[ncut - 1];
        if (_neft_integrate_tuples_shared(M->res + c * ntup, M->status + c * ntup, M->k, M->x,
                                          nin, M->npts, M->loops, NULL, M->L + c, M->opt,
                                          M->prec, threads) != 0)
            return 0;
        for (t = 0; t < ntup; t++)
        {
            done[t] = M->status[c * ntup + t] == NEFT_INTEGRATE_SUCCESS;
            homogeneous_fill(M->res + t, M->status + t, ntup,
                             M->npts + 2 * M->loops + M->k->d, M->status[c * ntup + t], M);
        }
        return 1;
    }
    c = M->order[0];
    if (_neft_integrate_tuples_shared(M->res + c * ntup, M->status + c * ntup, M->k, M->x, nin,
                                      M->npts, M->loops, NULL, M->L + c, M->opt, M->prec,
                                      threads) != 0)
        return 0;
    sh = _arb_vec_init(ntup);
    for (j = 1; j < ncut; j++)
    {
        p = M->order[j - 1];
        c = M->order[j];
        if (arf_equal(M->L + p, M->L + c))
        {
            _arb_vec_set(M->res + c * ntup, M->res + p * ntup, ntup);
            for (t = 0; t < ntup; t++)
                M->status[c * ntup + t] = M->status[p * ntup + t];
            continue;
        }
        if (neft_interrupted()
            || _neft_integrate_tuples_shared(sh, M->status + c * ntup, M->k, M->x, nin,
                                             M->npts, M->loops, M->L + p, M->L + c, M->opt,
                                             M->prec, threads) != 0)
            break;
        for (t = 0; t < ntup; t++)
        {
            arb_add(M->res + c * ntup + t, sh + t, M->res + p * ntup + t, M->prec);
            M->status[c * ntup + t] = neft_status_worst(M->status[p * ntup + t],
                                                        M->status[c * ntup + t]);
        }
    }
    _arb_vec_clear(sh, ntup);
    if (j < ncut)
        return 0;
    for (t = 0; t < ntup; t++)
        done[t] = M->status[M->order[ncut - 1] * ntup + t] == NEFT_INTEGRATE_SUCCESS;
    return 1;
}

/* every cutoff of tuple which[i] (or i; a task of the pool) */
static void
one(void * arg, slong i, slong th)
{
    cmt_struct * M = arg;
    slong t = M->which != NULL ? M->which[i] : i;
    neft_vint_t v;
    (void) th;
    neft_vint_init_tuple(v, M->k->d, M->x, M->idx + t * M->npts, M->npts, M->loops);
    one_tuple(M->res + t, M->status + t, M->ntup, v, M);
    neft_vint_clear(v);
}

int
neft_integrate_tuples_cutoffs(arb_ptr res, int * status, const neft_kernel_t k, arb_srcptr x,
                              slong nin, slong npts, slong loops, arf_srcptr L, slong ncut,
                              const neft_integrate_opt_t opt, slong prec, slong threads)
{
    cmt_struct M[1];
    slong ntup, t, i, j, * idx, * order;
    int worst = NEFT_INTEGRATE_SUCCESS;

    idx = _neft_tuples_table(nin, npts, &ntup);
    if (ntup <= 0 || ncut <= 0)
    {
        flint_free(idx);
        return worst;
    }
    order = flint_malloc(ncut * sizeof(slong));
    /* the cutoffs in increasing order (insertion sort: a few dozen) */
    for (i = 0; i < ncut; i++)
    {
        for (j = i; j > 0 && arf_cmp(L + order[j - 1], L + i) > 0; j--)
            order[j] = order[j - 1];
        order[j] = i;
    }
    M->res = res;
    M->status = status;
    M->k = k;
    M->x = x;
    M->npts = npts;
    M->loops = loops;
    M->ntup = ntup;
    M->ncut = ncut;
    M->prec = prec;
    M->idx = idx;
    M->L = L;
    M->order = order;
    M->opt = opt;
    {
        /* where the patch method shares: all tuples at once, the others by themselves */
        int * done = flint_calloc(ntup, sizeof(int));
        slong n = 0, * which = flint_malloc(ntup * sizeof(slong));
        if (!shared_chain(M, nin, threads, done))
            for (t = 0; t < ntup; t++)
                done[t] = 0;
        for (t = 0; t < ntup; t++)
            if (!done[t])
            {
                which[n++] = t;
                for (i = 0; i < ncut; i++)
                    status[i * ntup + t] = NEFT_INTEGRATE_INTERRUPTED;
            }
        M->which = which;
        _neft_pool_run(n, threads, one, M);
        flint_free(which);
        flint_free(done);
    }
    for (t = 0; t < ntup * ncut; t++)
    {
        if (status[t] == NEFT_INTEGRATE_INTERRUPTED)
            arb_indeterminate(res + t);
        worst = neft_status_worst(worst, status[t]);
    }
    flint_free(idx);
    flint_free(order);
    return worst;
}

double
neft_integrate_tuples_cutoffs_cost(const neft_kernel_t k, slong nin, slong npts, slong loops,
                                   arf_srcptr L, slong ncut, slong prec)
{
    /* homogeneous: one integral at the largest cutoff; the patch method: the
       integral at the smallest and the shells, measured at about the
       integral at the largest (erf d_in = 2, 21 cutoffs 7..1e5: 8.2 s
       against 8.4 s; docs/integrate.md, "Nested cutoffs"), counted 1.5
       times it; else every cutoff */
    slong c, cmax = 0;
    double ntup = neft_tuple_count_d(nin, npts), one, all = 0, share;
    neft_integrate_plan_t plan;
    int patches;
    for (c = 0; c < ncut; c++)
    {
        if (arf_cmp(L + c, L + cmax) > 0)
            cmax = c;
        all += neft_integrate_vint_cost(1, npts, loops, k, L + c, prec);
    }
    one = neft_integrate_vint_cost(1, npts, loops, k, L + cmax, prec);
    /* the patch method shares the work between the tuples (tuples_shared.c) */
    patches = neft_integrate_plan(plan, 1, npts, loops, k, L + cmax, prec)
                  == NEFT_INTEGRATE_SUCCESS && plan->method == NEFT_INTEGRATE_METHOD_PATCHES;
    share = _neft_tuples_share(k, npts, loops, L + cmax, prec, ntup);
    if (homogeneous(k))
        return ntup * one / share;
    if (patches)
        return ntup * FLINT_MIN(1.5 * one, all) / share;
    return ntup * all;
}
