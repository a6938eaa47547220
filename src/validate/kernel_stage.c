/* The calls of validate into the GP kernel (neft/kernel.h): the only file of
   the module that knows the kernel's parameters. */

#include "validate-internal.h"

int
_neft_validate_kernel(neft_kernel_t K, const neft_validate_spec_t spec, char * err,
                      size_t errlen)
{
    arb_t a, b, p;
    int st;
    /* sigma's doubles: the kernel of the nets that are sampled (neft/net.h) */
    arb_init(a);
    arb_init(b);
    arb_set_d(a, neft_net_sw_d(spec->net));
    arb_set_d(b, neft_net_sb_d(spec->net));
    arb_init(p);
    neft_net_param_arb(p, spec->net, spec->prec + 64);
    st = neft_eft_kernel_set(K, _neft_validate_act_name(spec), p, spec->net->d_in, a, b,
                             spec->prec + 64, err, errlen);
    arb_clear(p);
    arb_clear(a);
    arb_clear(b);
    return st;
}

int
_neft_validate_kernel_grows(const neft_kernel_t K)
{
    /* a homogeneous activation of degree 1 (relu, leaky-relu, linear): its
       kernel grows like |y| (docs/eft.md, "Expected exponents"); the other
       kernels with a closed form (erf, sin, GaussNet) are bounded */
    return neft_act_has(K->act, NEFT_ACT_CAP_HOMOGENEOUS, NULL) && K->act->degree == 1;
}

void
_neft_validate_gp(arb_t res, const slong * idx, slong n, arb_srcptr pts, slong d,
                  const neft_kernel_t K, slong prec)
{
    slong j, rest[NEFT_SAMPLE_MAX_NPT];
    arb_t t, u;
    if (n == 0)
    {
        arb_one(res);
        return;
    }
    arb_init(t);
    arb_init(u);
    arb_zero(res);
    for (j = 1; j < n; j++)
    {
        slong r = 0, i;
        for (i = 1; i < n; i++)
            if (i != j)
                rest[r++] = idx[i];
        neft_kernel_eval_arb(t, K, pts + idx[0] * d, pts + idx[j] * d, prec);
        _neft_validate_gp(u, rest, n - 2, pts, d, K, prec);
        arb_addmul(res, t, u, prec);
    }
    arb_clear(t);
    arb_clear(u);
}
