/* The single-layer GP kernels: the kernel value (row, parameters) and the
   functions that call the row's methods (neft/act.h, the methods in
   src/kernel/k_*.c). */

#include <string.h>
#include "kernel-internal.h"

void
neft_kernel_init(neft_kernel_t k)
{
    k->act = neft_act_lookup("gauss");
    arb_init(k->param);
    k->d = 1;
    arb_init(k->sw2);
    arb_init(k->sb2);
    arb_one(k->sw2);
    k->subtract_bias = 0;
}

void
neft_kernel_clear(neft_kernel_t k)
{
    arb_clear(k->param);
    arb_clear(k->sw2);
    arb_clear(k->sb2);
}

void
neft_kernel_set(neft_kernel_t k, const neft_kernel_t s)
{
    k->act = s->act;
    arb_set(k->param, s->param);
    k->d = s->d;
    arb_set(k->sw2, s->sw2);
    arb_set(k->sb2, s->sb2);
    k->subtract_bias = s->subtract_bias;
}

int
neft_kernel_equal(const neft_kernel_t k, const neft_kernel_t s)
{
    return k->act == s->act && arb_equal(k->param, s->param) && k->d == s->d
        && k->subtract_bias == s->subtract_bias && arb_equal(k->sw2, s->sw2)
        && arb_equal(k->sb2, s->sb2);
}

static int
refuse(neft_act_srcptr act, const char ** reason)
{
    const char * why = "no activation";
    if (act == NULL || !neft_act_has(act, NEFT_ACT_CAP_GP_KERNEL, &why) || act->kernel == NULL)
    {
        if (act != NULL && act->kernel == NULL && neft_act_has(act, NEFT_ACT_CAP_GP_KERNEL, NULL))
            why = "the activation declares a GP kernel but has no kernel methods";
        if (reason != NULL)
            *reason = why;
        return 1;
    }
    return 0;
}

int
neft_kernel_set_act(neft_kernel_t k, neft_act_srcptr act, const arb_t param, slong d,
                    const arb_t sw, const arb_t sb, const char ** reason, slong prec)
{
    if (refuse(act, reason))
        return NEFT_UNSUPPORTED;
    k->act = act;
    if (param != NULL)
        arb_set(k->param, param);
    else if (act->param_default != NULL)
    {
        fmpq_t q;
        fmpq_init(q);
        if (fmpq_set_str(q, act->param_default, 10) == 0)
            arb_set_fmpq(k->param, q, prec);
        else
            arb_indeterminate(k->param);
        fmpq_clear(q);
    }
    else
        arb_zero(k->param);
    k->d = d;
    arb_sqr(k->sw2, sw, prec);
    arb_sqr(k->sb2, sb, prec);
    k->subtract_bias = 0;
    return NEFT_SUCCESS;
}

int
neft_kernel_set_net(neft_kernel_t k, const neft_net_t net, const char ** reason, slong prec)
{
    if (refuse(net->act, reason))
        return NEFT_UNSUPPORTED;
    k->act = net->act;
    neft_net_param_arb(k->param, net, prec);
    k->d = net->d_in;
    neft_net_cw_arb(k->sw2, net, prec);
    neft_net_cb_arb(k->sb2, net, prec);
    k->subtract_bias = 0;
    return NEFT_SUCCESS;
}

neft_act_srcptr
neft_kernel_lookup_act(const char * name)
{
    if (name == NULL)
        return NULL;
    if (!strcmp(name, "ReLU"))
        return neft_act_lookup("relu");
    if (!strcmp(name, "Erf"))
        return neft_act_lookup("erf");
    if (!strcmp(name, "gaussnet") || !strcmp(name, "GaussNet"))
        return neft_act_lookup("gauss");
    return neft_act_lookup(name);
}

void
neft_kernel_eval_arb(arb_t res, const neft_kernel_t k, arb_srcptr x, arb_srcptr y,
                     slong prec)
{
    if (k->act->kernel->eval_arb != NULL)
        k->act->kernel->eval_arb(res, k, x, y, prec);
    else
        _neft_kernel_real_of_acb(res, k, x, y, prec, k->act->kernel->eval_acb);
}

void
neft_kernel_eval_acb(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y,
                     int analytic, slong prec)
{
    if (!analytic && _neft_kernel_all_real(x, k->d) && _neft_kernel_all_real(y, k->d))
    {
        _neft_kernel_eval_real(res, k, x, y, prec);
        return;
    }
    k->act->kernel->eval_acb(res, k, x, y, analytic, prec);
}

void
neft_kernel_diag_acb(acb_t res, const neft_kernel_t k, acb_srcptr y, int analytic,
                     slong prec)
{
    k->act->kernel->diag_acb(res, k, y, analytic, prec);
}

int
neft_kernel_has_kink(const neft_kernel_t k)
{
    return k->act->kernel->kink;
}

int
neft_kernel_eval_ivl(double * lo, double * hi, const neft_kernel_t k, double xlo,
                     double xhi, double ylo, double yhi)
{
    if (k->d != 1 || k->act->kernel->eval_ivl == NULL)
        return 0;
    return k->act->kernel->eval_ivl(lo, hi, k, xlo, xhi, ylo, yhi);
}

/* ---- shared by the rows' methods ---- */

void
_neft_kernel_dots_arb(arb_t cross, arb_t xy, arb_t xx, arb_t yy, arb_srcptr x,
                      arb_srcptr y, slong d, slong prec)
{
    slong i;
    acb_ptr v = _acb_vec_init(2 * d + 4);
    for (i = 0; i < d; i++)
    {
        acb_set_arb(v + i, x + i);
        acb_set_arb(v + d + i, y + i);
    }
    _neft_kernel_dots_acb(v + 2 * d, v + 2 * d + 1, v + 2 * d + 2, v + 2 * d + 3, v, v + d, d,
                          prec);
    arb_set(cross, acb_realref(v + 2 * d));
    arb_set(xy, acb_realref(v + 2 * d + 1));
    arb_set(xx, acb_realref(v + 2 * d + 2));
    arb_set(yy, acb_realref(v + 2 * d + 3));
    _acb_vec_clear(v, 2 * d + 4);
}

void
_neft_kernel_real_of_acb(arb_t res, const neft_kernel_t k, arb_srcptr x, arb_srcptr y,
                         slong prec,
                         void (*f)(acb_t, const neft_kernel_t, acb_srcptr, acb_srcptr, int, slong))
{
    slong i, d = k->d;
    acb_ptr v = _acb_vec_init(2 * d + 1);
    for (i = 0; i < d; i++)
    {
        acb_set_arb(v + i, x + i);
        acb_set_arb(v + d + i, y + i);
    }
    f(v + 2 * d, k, v, v + d, 0, prec);
    arb_set(res, acb_realref(v + 2 * d));
    _acb_vec_clear(v, 2 * d + 1);
}

void
_neft_kernel_atan_tail(acb_t res, const neft_kernel_t k, const acb_t num, const acb_t den,
                       int analytic, slong prec)
{
    arb_t pi;
    arb_init(pi);
    acb_div(res, num, den, prec);
    _neft_acb_atan_analytic(res, res, analytic, prec);
    arb_const_pi(pi, prec);
    acb_div_arb(res, res, pi, prec);
    acb_mul_2exp_si(res, res, 1);
    acb_mul_arb(res, res, k->sw2, prec);
    _neft_kernel_bias_acb(res, k, prec);
    arb_clear(pi);
}

void
_neft_kernel_dots_acb(acb_t cross, acb_t xy, acb_t xx, acb_t yy, acb_srcptr x,
                      acb_srcptr y, slong d, slong prec)
{
    slong i, j;
    acb_t t;
    acb_init(t);
    acb_zero(cross);
    acb_zero(xy);
    acb_zero(xx);
    acb_zero(yy);
    for (i = 0; i < d; i++)
    {
        acb_addmul(xy, x + i, y + i, prec);
        acb_addmul(xx, x + i, x + i, prec);
        acb_addmul(yy, y + i, y + i, prec);
        for (j = i + 1; j < d; j++)
        {
            acb_mul(t, x + i, y + j, prec);
            acb_submul(t, x + j, y + i, prec);
            acb_addmul(cross, t, t, prec);
        }
    }
    acb_clear(t);
}

void
_neft_kernel_kyy_acb(acb_t res, const neft_kernel_t k, acb_srcptr y, slong prec)
{
    slong i;
    arb_t a;
    acb_t s;
    arb_init(a);
    acb_init(s);
    arb_div_si(a, k->sw2, k->d, prec);
    for (i = 0; i < k->d; i++)
        acb_addmul(s, y + i, y + i, prec);
    acb_mul_arb(s, s, a, prec);
    acb_add_arb(res, s, k->sb2, prec);
    arb_clear(a);
    acb_clear(s);
}

void
_neft_kernel_bias_arb(arb_t res, const neft_kernel_t k, slong prec)
{
    if (!k->subtract_bias)
        arb_add(res, res, k->sb2, prec);
}

void
_neft_kernel_bias_acb(acb_t res, const neft_kernel_t k, slong prec)
{
    if (!k->subtract_bias)
        acb_add_arb(res, res, k->sb2, prec);
}

int
_neft_kernel_all_real(acb_srcptr x, slong d)
{
    slong i;
    for (i = 0; i < d; i++)
        if (!arb_is_zero(acb_imagref(x + i)))
            return 0;
    return 1;
}

void
_neft_kernel_eval_real(acb_t res, const neft_kernel_t k, acb_srcptr x, acb_srcptr y,
                       slong prec)
{
    arb_ptr xr, yr;
    slong i, d = k->d;
    xr = _arb_vec_init(2 * d);
    yr = xr + d;
    for (i = 0; i < d; i++)
    {
        arb_set(xr + i, acb_realref(x + i));
        arb_set(yr + i, acb_realref(y + i));
    }
    neft_kernel_eval_arb(acb_realref(res), k, xr, yr, prec);
    arb_zero(acb_imagref(res));
    _arb_vec_clear(xr, 2 * d);
}

void
_neft_acb_atan_analytic(acb_t res, const acb_t z, int analytic, slong prec)
{
    /* The branch cuts of atan lie on the imaginary axis beyond +-i: away
       from them when |Im z| < 1 or Re z != 0 on the whole ball. */
    if (analytic)
    {
        arb_t t;
        int ok;
        arb_init(t);
        arb_abs(t, acb_imagref(z));
        arb_sub_ui(t, t, 1, prec);
        ok = arb_is_negative(t) || arb_is_nonzero(acb_realref(z));
        arb_clear(t);
        if (!ok)
        {
            acb_indeterminate(res);
            return;
        }
    }
    acb_atan(res, z, prec);
}
