/* The pieces of one panel Gauss-Legendre rule shared by grid.c, gridnd.c and
   src/gaussexp/grid.c (gridrule.h). */

#include <math.h>
#include "gridrule.h"
#include "neft/act.h"

ivl
_neft_exact_gl_node(ivl * w, double c, const _neft_gl_struct * gl, slong q, arb_t t)
{
    ivl xi = ivl_add(ivl_pt(c), ivl_mul_2exp(gl->xi[q], -1));
    _neft_ivl_get_arb(t, xi);
    arb_sqr(t, t, 64);
    arb_mul_2exp_si(t, t, -1);
    arb_neg(t, t);
    arb_exp(t, t, 64);
    *w = ivl_mul(_neft_ivl_set_arb(t), ivl_mul_2exp(gl->wi[q], -1));
    /* 1/sqrt(2 pi) */
    *w = ivl_mul(*w, ivl_sqrt(ivl_mul_2exp(ivl_inv_pi(), -1)));
    return xi;
}

void
_neft_exact_tree_add(ivl * acc, ivl * prod, const _neft_tuples_struct * tree, ivl w,
                     const ivl * s)
{
    slong node, L = tree->length;
    prod[0] = w;
    for (node = 1; node < L; node++)
    {
        prod[node] = ivl_mul(prod[tree->parent[node]], s[tree->last[node]]);
        if (!(tree->len[node] & 1))
            acc[node] = ivl_add(acc[node], prod[node]);
    }
}

void
_neft_exact_grid_finish(arb_ptr M, double * qerr, const _neft_tuples_struct * tree,
                        const neft_exact_spec_t spec, arb_srcptr acc, const double * errs,
                        const double * tail, int half, slong prec)
{
    slong node;
    arb_t t;
    arb_init(t);
    for (node = 1; node < tree->length; node++)
    {
        slong idx[NEFT_SAMPLE_MAX_NPT];
        double q;
        if (tree->len[node] % 2)
            continue;
        _neft_tuples_get(idx, tree, node);
        if (_neft_exact_independent_zero(spec, idx, tree->len[node], prec))
        {
            arb_zero(M + node);
            continue;
        }
        arb_set(M + node, acc + node);
        if (half)
            arb_mul_2exp_si(M + node, M + node, 1);
        q = _up_add(half ? ldexp(errs[node], 1) : errs[node], tail[tree->len[node]]);
        if (qerr != NULL)
            qerr[node] = q;
        arb_set_d(t, q);
        arb_add_error(M + node, t);
    }
    arb_clear(t);
}

/* an upper bound of e^x / (2 pi)^(D/2) */
double
_neft_exact_exp_norm_up(double x, slong D)
{
    arb_t t, p;
    arf_t u;
    double r;
    arb_init(t); arb_init(p); arf_init(u);
    arb_set_d(t, x);
    arb_exp(t, t, 53);
    arb_const_pi(p, 53);
    arb_mul_2exp_si(p, p, 1);
    arb_pow_ui(p, p, (ulong) D, 53);
    arb_rsqrt(p, p, 53);
    arb_mul(t, t, p, 53);
    arb_get_ubound_arf(u, t, 53);
    r = arf_get_d(u, ARF_RND_UP);
    arb_clear(t); arb_clear(p); arf_clear(u);
    return r >= 0 ? r : INFINITY;
}

double
_neft_exact_dist_dn(ivl x)
{
    if (x.lo <= 0 && x.hi >= 0)
        return 0;
    return x.lo > 0 ? x.lo : -x.hi;
}

/* sup |sigma| over the complex ball z (one evaluation at 53 bits), an upper
   bound; INFINITY when not certified */
static double
sup_acb(neft_act_srcptr act, arb_srcptr par, const acb_t z)
{
    acb_t s;
    arb_t a;
    arf_t u;
    double r = INFINITY;
    acb_init(s); arb_init(a); arf_init(u);
    if (act->eval_acb(s, z, par, 0, 1, 53) == NEFT_ACT_SUCCESS && acb_is_finite(s))
    {
        acb_abs(a, s, 53);
        arb_get_ubound_arf(u, a, 53);
        r = arf_get_d(u, ARF_RND_UP);
        if (!(r >= 0))
            r = INFINITY;
    }
    acb_clear(s); arb_clear(a); arf_clear(u);
    return r;
}

/* sup |sigma| over re + i[-im, im], INFINITY when not certified */
double
_neft_exact_sup_box(neft_act_srcptr act, arb_srcptr par, ivl re, double im)
{
    acb_t z;
    double r;
    if (!ivl_is_finite(re) || !(im >= 0) || !(im < INFINITY))
        return INFINITY;
    acb_init(z);
    _neft_ivl_get_arb(acb_realref(z), re);
    arb_zero(acb_imagref(z));
    mag_set_d(arb_radref(acb_imagref(z)), im);
    r = sup_acb(act, par, z);
    acb_clear(z);
    return r;
}

/* sup |sigma| over the box re + i im (one ball evaluation), INFINITY when
   not certified */
static double
sup_rect(neft_act_srcptr act, arb_srcptr par, ivl re, ivl im)
{
    acb_t z;
    double r;
    acb_init(z);
    _neft_ivl_get_arb(acb_realref(z), re);
    _neft_ivl_get_arb(acb_imagref(z), im);
    r = sup_acb(act, par, z);
    acb_clear(z);
    return r;
}

/* the q-th of np pieces of [lo, hi]: consecutive pieces share the split
   point's neighbours, so that they cover [lo, hi] */
static ivl
piece(double lo, double hi, slong q, slong np)
{
    double w = hi - lo;
    double a = q == 0 ? lo : _ivl_dn(lo + w * (double) q / (double) np);
    double b = q == np - 1 ? hi : _ivl_up(lo + w * (double) (q + 1) / (double) np);
    return ivl_set(a, b);
}

double
_neft_exact_sup_box_split(neft_act_srcptr act, arb_srcptr par, ivl re, double im)
{
    double r = _neft_exact_sup_box(act, par, re, im), best = 0;
    slong nr, ni, q, t;
    if (!ivl_is_finite(re) || !(im >= 0) || !(im < INFINITY))
        return r;
    nr = (slong) ceil((re.hi - re.lo) / 0.5);
    ni = (slong) ceil(2 * im / 0.5);
    nr = FLINT_MAX(nr, 1);
    ni = FLINT_MAX(ni, 1);
    if (nr > 4096 || ni > 256)
        return r;
    for (q = 0; q < nr; q++)
        for (t = 0; t < ni; t++)
        {
            double s = sup_rect(act, par, piece(re.lo, re.hi, q, nr), piece(-im, im, t, ni));
            if (!(s < INFINITY))
                return r;
            best = FLINT_MAX(best, s);
        }
    return FLINT_MIN(r, best);
}

slong
_neft_exact_panel_grid(slong * Rout, slong * nout, double * gsum, double Rb, slong D, int half)
{
    slong R = (slong) ceil(Rb), side = 2 * R, npan = 1, p, j, inside = 0;
    for (j = 0; j < D; j++)
        npan *= side;
    if (half)
        npan /= 2;
    *Rout = R;
    *nout = npan;
    if (gsum != NULL)
        *gsum = 0;
    for (p = 0; p < npan; p++)
    {
        slong rem = p;
        double dd = 0;
        for (j = 0; j < D; j++)
        {
            double cj = -R + (double) (rem % side) + 0.5, dj;
            rem /= side;
            if (half && j == D - 1)
                cj += R;
            dj = _neft_exact_dist_dn(ivl_set(cj - 0.5, cj + 0.5));
            dd = _ivl_dn(dd + _ivl_dn(dj * dj));
        }
        if (dd < Rb * Rb)
        {
            inside++;
            if (gsum != NULL)
                *gsum += exp(-0.5 * dd);
        }
    }
    return inside;
}

double
_neft_exact_chi_tail_up(double rr, slong D)
{
    arb_t r, x, t;
    arf_t u;
    double P;
    arb_init(r); arb_init(x); arb_init(t); arf_init(u);
    arb_set_d(r, rr);
    arb_sqr(x, r, 64);
    arb_mul_2exp_si(x, x, -1);
    if (D == 2 || D == 4)
    {
        /* e^{-r^2/2}, (1 + r^2/2) e^{-r^2/2} */
        arb_add_ui(t, x, 1, 64);
        if (D == 2)
            arb_one(t);
        arb_neg(x, x);
        arb_exp(x, x, 64);
        arb_mul(t, t, x, 64);
    }
    else
    {
        /* erfc(r / sqrt 2) + sqrt(2 / pi) r e^{-r^2/2} */
        arb_neg(x, x);
        arb_exp(x, x, 64);
        arb_mul(x, x, r, 64);
        arb_const_pi(t, 64);
        arb_mul_2exp_si(t, t, -1);
        arb_rsqrt(t, t, 64);
        arb_mul(x, x, t, 64);
        arb_sqrt_ui(t, 2, 64);
        arb_div(t, r, t, 64);
        arb_hypgeom_erfc(t, t, 64);
        arb_add(t, t, x, 64);
    }
    arb_get_ubound_arf(u, t, 64);
    P = arf_get_d(u, ARF_RND_UP);
    arb_clear(r); arb_clear(x); arb_clear(t); arf_clear(u);
    return P >= 0 ? P : INFINITY;
}
