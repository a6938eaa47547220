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
    const neft_integrate_opt_struct * opt;
}
cmt_struct;

static int
homogeneous(const neft_kernel_t k)
{
    return k->act->kernel->orthant != NULL && arb_is_zero(k->sb2);
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
        slong deg = v->nlegs + 2 * v->A[0] + v->d;
        arb_t r;
        arb_ptr top = res + cmax * ntup;
        st = neft_integrate_vint(top, v, k, M->L + cmax, M->opt, M->prec, err, sizeof(err));
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

/* every cutoff of tuple t (a task of the pool) */
static void
one(void * arg, slong t, slong th)
{
    cmt_struct * M = arg;
    neft_vint_t v;
    (void) th;
    _neft_tuples_vint(v, M->k->d, M->x, M->idx + t * M->npts, M->npts, M->loops);
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
    for (t = 0; t < ntup * ncut; t++)
        status[t] = NEFT_INTEGRATE_INTERRUPTED;
    _neft_pool_run(ntup, threads, one, M);
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
    double ntup = neft_tuple_count_d(nin, npts), one, all = 0;
    neft_integrate_plan_t plan;
    for (c = 0; c < ncut; c++)
    {
        if (arf_cmp(L + c, L + cmax) > 0)
            cmax = c;
        all += neft_integrate_vint_cost(1, npts, loops, k, L + c, prec);
    }
    one = neft_integrate_vint_cost(1, npts, loops, k, L + cmax, prec);
    if (homogeneous(k))
        return ntup * one;
    if (neft_integrate_plan(plan, 1, npts, loops, k, L + cmax, prec) == NEFT_INTEGRATE_SUCCESS
        && plan->method == NEFT_INTEGRATE_METHOD_PATCHES)
        return ntup * FLINT_MIN(1.5 * one, all);
    return ntup * all;
}
