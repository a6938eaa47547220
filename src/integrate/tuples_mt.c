/* The one-vertex integrals of all sorted tuples of a set of inputs, any
   d_in: where every tuple's plan is the patch method (d_in = 2, 3) all at
   once, sharing the work (tuples_shared.c), and a tuple that does not
   converge there by itself; otherwise each by its plan
   (neft_integrate_vint), the tuples shared out among threads
   (tuples_pool.c). */

#include "neft/integrate.h"
#include "tuples_pool.h"

typedef struct
{
    arb_ptr res;
    int * status;
    const neft_kernel_struct * k;
    arb_srcptr x;
    slong npts, loops, prec;
    const slong * idx;            /* ntup x npts */
    const slong * which;          /* the tuples to do (NULL: all) */
    const arf_struct * L;
    const neft_integrate_opt_struct * opt;
}
mt_struct;

/* tuple which[i] (or i) by its plan */
static void
one(void * arg, slong i, slong th)
{
    mt_struct * M = arg;
    slong t = M->which != NULL ? M->which[i] : i;
    char err[320];
    neft_vint_t v;
    (void) th;
    neft_vint_init_tuple(v, M->k->d, M->x, M->idx + t * M->npts, M->npts, M->loops);
    M->status[t] = neft_integrate_vint(M->res + t, v, M->k, M->L, M->opt, M->prec, err,
                                       sizeof(err));
    neft_vint_clear(v);
}

int
neft_integrate_tuples(arb_ptr res, int * status, const neft_kernel_t k, arb_srcptr x,
                      slong nin, slong npts, slong loops, const arf_t L,
                      const neft_integrate_opt_t opt, slong prec, slong threads)
{
    mt_struct M[1];
    slong ntup, t, n = 0, * which;
    arb_ptr shared = NULL;
    int worst = NEFT_INTEGRATE_SUCCESS;

    M->idx = _neft_tuples_table(nin, npts, &ntup);
    if (ntup <= 0)
    {
        flint_free((slong *) M->idx);
        return worst;
    }
    M->res = res;
    M->status = status;
    M->k = k;
    M->x = x;
    M->npts = npts;
    M->loops = loops;
    M->prec = prec;
    M->L = L;
    M->opt = opt;
    which = flint_malloc(ntup * sizeof(slong));
    if (_neft_integrate_tuples_shared(res, status, k, x, nin, npts, loops, NULL, L, opt, prec,
                                      threads) == 0)
    {
        /* keep the balls that did not converge: intersected with the tuple's own */
        shared = _arb_vec_init(ntup);
        for (t = 0; t < ntup; t++)
            if (status[t] == NEFT_INTEGRATE_NO_CONVERGENCE)
            {
                arb_swap(shared + t, res + t);
                which[n++] = t;
            }
    }
    else
        for (t = 0; t < ntup; t++)
            which[n++] = t;
    for (t = 0; t < n; t++)
        status[which[t]] = NEFT_INTEGRATE_INTERRUPTED;
    M->which = which;
    _neft_pool_run(n, threads, one, M);
    for (t = 0; t < ntup; t++)
    {
        if (status[t] == NEFT_INTEGRATE_INTERRUPTED)
            arb_indeterminate(res + t);
        worst = neft_status_worst(worst, status[t]);
    }
    if (shared != NULL)
    {
        for (t = 0; t < n; t++)
        {
            arb_ptr r = res + which[t];
            if (!neft_status_has_value(status[which[t]]) || !arb_is_finite(r))
                arb_set(r, shared + which[t]);
            else if (arb_is_finite(shared + which[t]) && arb_overlaps(r, shared + which[t]))
                arb_intersection(r, r, shared + which[t], prec);
        }
        _arb_vec_clear(shared, ntup);
    }
    flint_free(which);
    flint_free((slong *) M->idx);
    return worst;
}
