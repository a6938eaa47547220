/* The one-vertex integrals of all sorted tuples of a set of inputs, any
   d_in, each by its plan (neft_integrate_vint), on several threads
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
    const arf_struct * L;
    const neft_integrate_opt_struct * opt;
}
mt_struct;

/* tuple t by its plan */
static void
one(void * arg, slong t)
{
    mt_struct * M = arg;
    char err[320];
    neft_vint_t v;
    _neft_tuples_vint(v, M->k->d, M->x, M->idx + t * M->npts, M->npts, M->loops);
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
    slong ntup, t;
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
    for (t = 0; t < ntup; t++)
        status[t] = NEFT_INTEGRATE_INTERRUPTED;
    _neft_pool_run(ntup, threads, one, M);
    for (t = 0; t < ntup; t++)
    {
        if (status[t] == NEFT_INTEGRATE_INTERRUPTED)
            arb_indeterminate(res + t);
        worst = neft_status_worst(worst, status[t]);
    }
    flint_free((slong *) M->idx);
    return worst;
}
