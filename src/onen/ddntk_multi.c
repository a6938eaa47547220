/* The dNTK split by which z is differentiated and the ddNTK of k >= 2 inputs
   (docs/onen.md, "The ddNTK", "Several inputs"): one layer step on top of
   neft_onen_ntkm's (src/onen/ntkm.c), over the classes of equal inputs.

   With M^(i;b)_(j a)(m c) = u_(j;a)^T (d^2 z_(i;b)) u_(m;c) (so dH_{i0 i1 i2}
   = M^(i1)_(i0)(i2) + M^(i2)_(i0)(i1)) and i != j:
     beta_abcd  = n E[M^(i;b)_(j a)(i c) z_(j;d)],
     alpha_abcd = n E[M^(i;b)_(j a)(j c) z_(i;d)],
   P_abcd = beta_abcd + beta_acbd and Q_abcd = beta_cbad + alpha_acbd.  Layer
   l+1 from layer l (Wick in W^(l+1), the neuron sums of layer l split into
   one neuron at leading order and two through B, F and beta, alpha by
   Stein's lemma once per row; y_abcd = <sigma'_a sigma''_b sigma'_c sigma_d>,
   lc = lambda_W/C_W):
     beta'_abcd  = lc F'_(ab)(dc) + C_W^2 [Th_bc Th_ab y_abcd + r (Th_bc sum_ge
                   F_(ab)(ge) u_(bc),e e_(ad),g + p_bc sum_g beta_abcg e_(ad),g)]
     alpha'_abcd = C_W^2 [Th_ab Th_bc y_abcd + r p_ac (B_(ab)(cb) <sigma''_b sigma_d>
                   + sum_g alpha_abcg e_(bd),g)]
   and for the piecewise-linear rows (sigma'' = 0 pointwise, alpha = 0,
   R = U = 0 at every depth):
     S'_abcd = lc B'_(ac)(bd) + C_W^2 r p_ab p_cd S_abcd
     T'_abcd = lc^2 F'_(ab)(cd) + lambda_W C_W r (p_bd sum_g beta_abdg e_(ac),g
               + p_ac sum_g beta_bacg e_(bd),g) + C_W^2 r p_ac p_bd T_abcd. */

#include <string.h>
#include "neft/interrupt.h"
#include "ntkm.h"

#define I2(a, b) ((a) * Q + (b))
#define I4(a, b, c, d) ((((a) * Q + (b)) * Q + (c)) * Q + (d))

enum { DD_BETA, DD_ALPHA, DD_R, DD_S, DD_T, DD_U };

int
_neft_onen_ddntkm_step(ntkm_lay_struct * L1, const ntkm_lay_struct * L0,
                       ntkm_gauss_struct * G, const arb_t r, const arb_t cw, const arb_t lw,
                       char * err, size_t errsize)
{
    slong Q = G->Q, prec = G->prec, a, b, c, d, g, e;
    int kink = G->kind == 0, st = 0;
    arb_ptr pp = _arb_vec_init(Q * Q), ss = _arb_vec_init(Q * Q);
    arb_ptr ef = _arb_vec_init(Q * Q * Q), uf = _arb_vec_init(Q * Q * Q);
    arb_t lc, c2, lwcw, y, t, s, x;
    arb_srcptr be = L0->dd[DD_BETA], al = L0->dd[DD_ALPHA];

    arb_init(lc); arb_init(c2); arb_init(lwcw); arb_init(y); arb_init(t); arb_init(s);
    arb_init(x);
    arb_div(lc, lw, cw, prec);
    arb_sqr(c2, cw, prec);
    arb_mul(lwcw, lw, cw, prec);
    for (a = 0; a < Q; a++)
        for (b = 0; b < Q; b++)
        {
            _neft_onen_ntkm_pp(pp + I2(a, b), G, a, b);
            _neft_onen_ntkm_s2s(ss + I2(a, b), G, a, b, prec);
            for (g = 0; g < Q; g++)
            {
                _neft_onen_ntkm_efac(ef + I2(a, b) * Q + g, G, a, b, g);
                _neft_onen_ntkm_ufac(uf + I2(a, b) * Q + g, G, a, b, g, kink);
            }
        }
#define EF(a, c, g) (ef + I2(a, c) * Q + (g))
#define UF(a, b, g) (uf + I2(a, b) * Q + (g))
    for (a = 0; a < Q && !st; a++)
        for (b = 0; b < Q && !st; b++)
            for (c = 0; c < Q && !st; c++)
                for (d = 0; d < Q && !st; d++)
                {
                    slong o = I4(a, b, c, d), in[4] = {a, b, c, d};
                    int dv[4] = {1, 2, 1, 0};
                    if (neft_interrupted())
                    {
                        st = NEFT_INTERRUPTED;
                        break;
                    }
                    st = _neft_onen_ntkm_ex4(y, G, in, dv, 1, err, errsize);
                    if (st)
                        break;
                    /* beta' */
                    arb_zero(s);
                    for (g = 0; g < Q; g++)
                    {
                        if (arb_is_zero(EF(a, d, g)))
                            continue;
                        arb_zero(t);
                        for (e = 0; e < Q; e++)
                            arb_addmul(t, L0->F + I4(a, b, g, e), UF(b, c, e), prec);
                        arb_mul(t, t, L0->th + I2(b, c), prec);
                        arb_addmul(t, pp + I2(b, c), be + I4(a, b, c, g), prec);
                        arb_addmul(s, t, EF(a, d, g), prec);
                    }
                    arb_mul(s, s, r, prec);
                    arb_mul(t, L0->th + I2(b, c), L0->th + I2(a, b), prec);
                    arb_addmul(s, t, y, prec);
                    arb_mul(s, s, c2, prec);
                    arb_addmul(s, lc, L1->F + I4(a, b, d, c), prec);
                    arb_swap(L1->dd[DD_BETA] + o, s);
                    /* alpha' */
                    arb_mul(s, L0->B + I4(a, b, c, b), ss + I2(b, d), prec);
                    for (g = 0; g < Q; g++)
                        arb_addmul(s, al + I4(a, b, c, g), EF(b, d, g), prec);
                    arb_mul(s, s, pp + I2(a, c), prec);
                    arb_mul(s, s, r, prec);
                    arb_addmul(s, t, y, prec);      /* t = Th_bc Th_ab */
                    arb_mul(L1->dd[DD_ALPHA] + o, s, c2, prec);
                    if (!kink)
                    {
                        arb_indeterminate(L1->dd[DD_R] + o);
                        arb_indeterminate(L1->dd[DD_S] + o);
                        arb_indeterminate(L1->dd[DD_T] + o);
                        arb_indeterminate(L1->dd[DD_U] + o);
                        continue;
                    }
                    arb_zero(L1->dd[DD_R] + o);
                    arb_zero(L1->dd[DD_U] + o);
                    /* S' */
                    arb_mul(s, pp + I2(a, b), pp + I2(c, d), prec);
                    arb_mul(s, s, L0->dd[DD_S] + o, prec);
                    arb_mul(s, s, r, prec);
                    arb_mul(s, s, c2, prec);
                    arb_addmul(s, lc, L1->B + I4(a, c, b, d), prec);
                    arb_swap(L1->dd[DD_S] + o, s);
                    /* T' */
                    arb_zero(s);
                    arb_zero(x);
                    for (g = 0; g < Q; g++)
                    {
                        arb_addmul(s, be + I4(a, b, d, g), EF(a, c, g), prec);
                        arb_addmul(x, be + I4(b, a, c, g), EF(b, d, g), prec);
                    }
                    arb_mul(s, s, pp + I2(b, d), prec);
                    arb_addmul(s, x, pp + I2(a, c), prec);
                    arb_mul(s, s, lwcw, prec);
                    arb_mul(x, pp + I2(a, c), pp + I2(b, d), prec);
                    arb_mul(x, x, c2, prec);
                    arb_addmul(s, x, L0->dd[DD_T] + o, prec);
                    arb_mul(s, s, r, prec);
                    arb_sqr(x, lc, prec);
                    arb_addmul(s, x, L1->F + I4(a, b, c, d), prec);
                    arb_swap(L1->dd[DD_T] + o, s);
                }
#undef EF
#undef UF
    arb_clear(lc); arb_clear(c2); arb_clear(lwcw); arb_clear(y); arb_clear(t); arb_clear(s);
    arb_clear(x);
    _arb_vec_clear(pp, Q * Q);
    _arb_vec_clear(ss, Q * Q);
    _arb_vec_clear(ef, Q * Q * Q);
    _arb_vec_clear(uf, Q * Q * Q);
    return st;
}

void
neft_onen_ddntkm_init(neft_onen_ddntkm_t D, slong k, slong depth)
{
    slong n4 = FLINT_MAX(depth, 1) * k * k * k * k;
    D->k = k;
    D->depth = depth;
    D->beta = _arb_vec_init(n4); D->alpha = _arb_vec_init(n4);
    D->R = _arb_vec_init(n4); D->S = _arb_vec_init(n4);
    D->T = _arb_vec_init(n4); D->U = _arb_vec_init(n4);
}

void
neft_onen_ddntkm_clear(neft_onen_ddntkm_t D)
{
    slong n4 = FLINT_MAX(D->depth, 1) * D->k * D->k * D->k * D->k;
    _arb_vec_clear(D->beta, n4); _arb_vec_clear(D->alpha, n4);
    _arb_vec_clear(D->R, n4); _arb_vec_clear(D->S, n4);
    _arb_vec_clear(D->T, n4); _arb_vec_clear(D->U, n4);
}

int
neft_onen_ddntkm_has(const neft_net_t net, const char ** reason)
{
    const char * n = net->act->name;
    if (!strcmp(n, "relu") || !strcmp(n, "leaky-relu") || !strcmp(n, "linear"))
        return 1;
    if (reason != NULL)
        *reason = "--ddntk with several inputs: R, S, T, U are derived for relu, leaky-relu "
                  "and linear only (the smooth rows' sigma''-terms with the inputs kept apart "
                  "are not derived yet; docs/onen.md, \"The ddNTK\")";
    return 0;
}

int
neft_onen_ddntkm(neft_onen_ddntkm_t D, neft_onen_ntkm_t T, const neft_onen_params_t par,
                 const fmpq_t lambda_b, const fmpq_t lambda_w, arb_srcptr x, slong k,
                 slong d_in, int rstu, char * err, size_t errsize)
{
    slong n4 = FLINT_MAX(D->depth, 1) * k * k * k * k;
    const char * why = "";
    int st;
    if (rstu && !neft_onen_ddntkm_has(par->net, &why))
    {
        snprintf(err, errsize, "%s", why);
        st = NEFT_UNSUPPORTED;
    }
    else
        st = _neft_onen_ntkm_run(T, D, par, lambda_b, lambda_w, x, k, d_in, err, errsize);
    if (st || !rstu)
    {
        _arb_vec_indeterminate(D->R, n4); _arb_vec_indeterminate(D->S, n4);
        _arb_vec_indeterminate(D->T, n4); _arb_vec_indeterminate(D->U, n4);
    }
    if (st)
    {
        _arb_vec_indeterminate(D->beta, n4);
        _arb_vec_indeterminate(D->alpha, n4);
    }
    return st;
}
