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
   The ddNTK R, S, T, U: the smooth rows in smooth_rstu (its comment and
   docs/onen.md: the one-input step's terms input-labelled); for the
   piecewise-linear rows (sigma'' = 0 pointwise, alpha = 0, R = U = 0 at
   every depth):
     S'_abcd = lc B'_(ac)(bd) + C_W^2 r p_ab p_cd S_abcd
     T'_abcd = lc^2 F'_(ab)(cd) + lambda_W C_W r (p_bd sum_g beta_abdg e_(ac),g
               + p_ac sum_g beta_bacg e_(bd),g) + C_W^2 r p_ac p_bd T_abcd. */

#include <string.h>
#include "neft/interrupt.h"
#include "ntkm.h"

#define I2(a, b) ((a) * Q + (b))
#define I4(a, b, c, d) ((((a) * Q + (b)) * Q + (c)) * Q + (d))

enum { DD_BETA, DD_ALPHA, DD_R, DD_S, DD_T, DD_U };

/* the pair factors of one layer step (Q x Q, e and u Q x Q x Q): p_ab =
   <sigma'_a sigma'_b>, ss_ab = <sigma''_a sigma_b>, e_(ac),g, u_(ab),e as
   in ntkm.h, s22_ab = <sigma''_a sigma''_b>, s31_ab = <sigma'''_a sigma'_b> */
typedef struct
{
    arb_ptr pp, ss, ef, uf, s22, s31;
}
pairs_t;

#define EF(a, c, g) (W->ef + I2(a, c) * Q + (g))
#define UF(a, b, g) (W->uf + I2(a, b) * Q + (g))

/* s22, s31 of the smooth rows: for a != b the pair's u factors (Price:
   d p_ab / d K_ab = <sigma''_a sigma''_b>, 2 d p_ab / d K_aa = <sigma'''_a
   sigma'_b>, which are u_(ab),b and u_(ab),a); for a = b the one-input
   s2 = <sigma''^2> (src/onen/ddntk.c) and <sigma''' sigma'> = p' - s2 with
   p' = u_(aa),a.  Classes beyond G->Qr (the auxiliary one) are skipped.
   0 or -1 (err). */
static int
pair_hi(arb_ptr s22, arb_ptr s31, const ntkm_gauss_struct * G, arb_srcptr uf, char * err,
        size_t errsize)
{
    slong Q = G->Q, a, b;
    for (a = 0; a < G->Qr; a++)
        for (b = 0; b < G->Qr; b++)
        {
            if (a != b)
            {
                arb_set(s22 + I2(a, b), uf + I2(a, b) * Q + b);
                arb_set(s31 + I2(a, b), uf + I2(a, b) * Q + a);
                continue;
            }
            if (_neft_onen_ddntk_s2(s22 + I2(a, a), G->net, G->K + I2(a, a), G->prec))
            {
                snprintf(err, errsize, "<sigma''^2> of input class %ld not finite", (long) a);
                return -1;
            }
            arb_sub(s31 + I2(a, a), uf + I2(a, a) * Q + a, s22 + I2(a, a), G->prec);
        }
    return 0;
}

/* res = sum_g x[I4(i0, i1, i2, g)] f[g] (f: a row of e or u) */
static void
contract1(arb_t res, arb_srcptr x, slong Q, slong i0, slong i1, slong i2, arb_srcptr f,
          slong prec)
{
    slong g;
    arb_zero(res);
    for (g = 0; g < Q; g++)
        arb_addmul(res, x + I4(i0, i1, i2, g), f + g, prec);
}

/* res = sum_ge F[I4(a, b, g, e)] f[g] h[e] */
static void
contract2(arb_t res, arb_srcptr F, slong Q, slong a, slong b, arb_srcptr f, arb_srcptr h,
          slong prec)
{
    slong g, e;
    arb_t t;
    arb_init(t);
    arb_zero(res);
    for (g = 0; g < Q; g++)
    {
        if (arb_is_zero(f + g))
            continue;
        arb_zero(t);
        for (e = 0; e < Q; e++)
            arb_addmul(t, F + I4(a, b, g, e), h + e, prec);
        arb_addmul(res, t, f + g, prec);
    }
    arb_clear(t);
}

/* R', S', T', U' of the smooth rows at the tuple in = (a, b, c, d)
   (docs/onen.md, "Several inputs"): the one-input ddntk_step with every
   Gaussian factor labelled by its input.  y-type factors from ex4 (one
   sigma, one sigma''), the diagonal v = <sigma''_a sigma''_b sigma'_c
   sigma'_d> and w = <sigma'''_a sigma'_b sigma'_c sigma'_d> from ex4's
   higher factors; Th, B, F, beta, alpha, R, S, T, U of layer l (L0), B',
   F' of layer l+1 (L1), lc = lw/cw, s = sigma:
     R' = lw cw [Th_ac Th_ad <s''_a s_b s'_c s'_d> + r p_cd (B_(ac)(ad) ss_ab
                 + sum_g alpha_cadg e_(ab),g)]
          + cw^2 [Th_ab Th_ac Th_ad w + r p_cd Th_ab (B_(ac)(ad) s31_ab
                 + sum_g alpha_cadg u_(ab),g) + r p_ab p_cd R_abcd]
     S' = lc B'_(ac)(bd) + cw^2 [Th_ab Th_ac Th_bd v + r Th_ab B_(ac)(bd) s22_ab p_cd
                 + r p_ab p_cd S_abcd]
     T' = lc^2 F'_(ab)(cd) + lw cw [Th_ab Th_bd <s'_a s''_b s_c s'_d> + Th_ab Th_ac
                 <s''_a s'_b s'_c s_d> + r (Th_bd F_(ab)[e_(ac), u_(bd)] + Th_ac
                 F_(ab)[u_(ac), e_(bd)] + p_bd sum_g beta_abdg e_(ac),g + p_ac
                 sum_g beta_bacg e_(bd),g)]
          + cw^2 [Th_ab Th_ac Th_bd v + r (Th_ac Th_bd F_(ab)[u_(ac), u_(bd)]
                 + Th_ac p_bd sum_g beta_abdg u_(ac),g + Th_bd p_ac sum_g
                 beta_bacg u_(bd),g + p_ac p_bd T_abcd)]
     U' = cw^2 [Th_ab Th_ac Th_bd v + r p_ad p_bc U_abcd]
   (F_(ab)[f, h] = sum_ge F_(ab)(ge) f_g h_e).  0, -1 (err) or
   NEFT_INTERRUPTED. */
static int
smooth_rstu(ntkm_lay_struct * L1, const ntkm_lay_struct * L0, ntkm_gauss_struct * G,
            const pairs_t * W, const slong * in, const arb_t r, const arb_t cw,
            const arb_t lw, char * err, size_t errsize)
{
    static const int dy1[4] = {2, 0, 1, 1}, dw[4] = {3, 1, 1, 1}, dv[4] = {2, 2, 1, 1},
                     dya[4] = {1, 2, 0, 1}, dyb[4] = {2, 1, 1, 0};
    slong Q = G->Q, prec = G->prec, a = in[0], b = in[1], c = in[2], d = in[3];
    slong o = I4(a, b, c, d);
    arb_srcptr th = L0->th, B = L0->B, F = L0->F;
    arb_srcptr be = L0->dd[DD_BETA], al = L0->dd[DD_ALPHA];
    arb_t y1, w, v, ya, yb, t, u, x, s, lc, c2, lwcw;
    int st;

    arb_init(y1); arb_init(w); arb_init(v); arb_init(ya); arb_init(yb); arb_init(t);
    arb_init(u); arb_init(x); arb_init(s); arb_init(lc); arb_init(c2); arb_init(lwcw);
    st = _neft_onen_ntkm_ex4(y1, G, in, dy1, 1, err, errsize);
    if (!st)
        st = _neft_onen_ntkm_ex4(w, G, in, dw, 1, err, errsize);
    if (!st)
        st = _neft_onen_ntkm_ex4(v, G, in, dv, 1, err, errsize);
    if (!st)
        st = _neft_onen_ntkm_ex4(ya, G, in, dya, 1, err, errsize);
    if (!st)
        st = _neft_onen_ntkm_ex4(yb, G, in, dyb, 1, err, errsize);
    if (st)
        goto done;
    arb_div(lc, lw, cw, prec);
    arb_sqr(c2, cw, prec);
    arb_mul(lwcw, lw, cw, prec);

    /* R' */
    contract1(u, al, Q, c, a, d, EF(a, b, 0), prec);
    arb_addmul(u, B + I4(a, c, a, d), W->ss + I2(a, b), prec);
    arb_mul(u, u, r, prec);
    arb_mul(u, u, W->pp + I2(c, d), prec);
    arb_mul(t, th + I2(a, c), th + I2(a, d), prec);
    arb_addmul(u, t, y1, prec);
    arb_mul(s, u, lwcw, prec);                          /* lw cw [..] */
    contract1(u, al, Q, c, a, d, UF(a, b, 0), prec);
    arb_addmul(u, B + I4(a, c, a, d), W->s31 + I2(a, b), prec);
    arb_mul(u, u, th + I2(a, b), prec);
    arb_mul(u, u, W->pp + I2(c, d), prec);
    arb_mul(x, W->pp + I2(a, b), W->pp + I2(c, d), prec);
    arb_addmul(u, x, L0->dd[DD_R] + o, prec);
    arb_mul(u, u, r, prec);
    arb_mul(t, t, th + I2(a, b), prec);
    arb_addmul(u, t, w, prec);
    arb_addmul(s, u, c2, prec);
    arb_swap(L1->dd[DD_R] + o, s);

    /* the diagonal v-term of S', T', U': cw^2 Th_ab Th_ac Th_bd v */
    arb_mul(t, th + I2(a, b), th + I2(a, c), prec);
    arb_mul(t, t, th + I2(b, d), prec);
    arb_mul(t, t, v, prec);
    arb_mul(v, t, c2, prec);

    /* S' */
    arb_mul(u, th + I2(a, b), B + I4(a, c, b, d), prec);
    arb_mul(u, u, W->s22 + I2(a, b), prec);
    arb_mul(u, u, W->pp + I2(c, d), prec);
    arb_mul(x, W->pp + I2(a, b), W->pp + I2(c, d), prec);
    arb_addmul(u, x, L0->dd[DD_S] + o, prec);
    arb_mul(u, u, r, prec);
    arb_mul(s, u, c2, prec);
    arb_add(s, s, v, prec);
    arb_addmul(s, lc, L1->B + I4(a, c, b, d), prec);
    arb_swap(L1->dd[DD_S] + o, s);

    /* U' */
    arb_mul(x, W->pp + I2(a, d), W->pp + I2(b, c), prec);
    arb_mul(x, x, L0->dd[DD_U] + o, prec);
    arb_mul(x, x, r, prec);
    arb_mul(s, x, c2, prec);
    arb_add(s, s, v, prec);
    arb_swap(L1->dd[DD_U] + o, s);

    /* T': the lw cw part */
    contract2(u, F, Q, a, b, EF(a, c, 0), UF(b, d, 0), prec);
    arb_mul(u, u, th + I2(b, d), prec);
    contract2(x, F, Q, a, b, UF(a, c, 0), EF(b, d, 0), prec);
    arb_addmul(u, x, th + I2(a, c), prec);
    contract1(x, be, Q, a, b, d, EF(a, c, 0), prec);
    arb_addmul(u, x, W->pp + I2(b, d), prec);
    contract1(x, be, Q, b, a, c, EF(b, d, 0), prec);
    arb_addmul(u, x, W->pp + I2(a, c), prec);
    arb_mul(u, u, r, prec);
    arb_mul(t, th + I2(a, b), th + I2(b, d), prec);
    arb_addmul(u, t, ya, prec);
    arb_mul(t, th + I2(a, b), th + I2(a, c), prec);
    arb_addmul(u, t, yb, prec);
    arb_mul(s, u, lwcw, prec);
    /* the cw^2 part */
    contract2(u, F, Q, a, b, UF(a, c, 0), UF(b, d, 0), prec);
    arb_mul(u, u, th + I2(b, d), prec);
    contract1(x, be, Q, a, b, d, UF(a, c, 0), prec);
    arb_addmul(u, x, W->pp + I2(b, d), prec);
    arb_mul(u, u, th + I2(a, c), prec);                 /* Th_ac (..) */
    contract1(x, be, Q, b, a, c, UF(b, d, 0), prec);
    arb_mul(x, x, th + I2(b, d), prec);
    arb_addmul(u, x, W->pp + I2(a, c), prec);
    arb_mul(x, W->pp + I2(a, c), W->pp + I2(b, d), prec);
    arb_addmul(u, x, L0->dd[DD_T] + o, prec);
    arb_mul(u, u, r, prec);
    arb_addmul(s, u, c2, prec);
    arb_add(s, s, v, prec);
    arb_sqr(x, lc, prec);
    arb_addmul(s, x, L1->F + I4(a, b, c, d), prec);
    arb_swap(L1->dd[DD_T] + o, s);
done:
    arb_clear(y1); arb_clear(w); arb_clear(v); arb_clear(ya); arb_clear(yb); arb_clear(t);
    arb_clear(u); arb_clear(x); arb_clear(s); arb_clear(lc); arb_clear(c2); arb_clear(lwcw);
    return st;
}

#undef EF
#undef UF

int
_neft_onen_ddntkm_step(ntkm_lay_struct * L1, const ntkm_lay_struct * L0,
                       ntkm_gauss_struct * G, const arb_t r, const arb_t cw, const arb_t lw,
                       char * err, size_t errsize)
{
    slong Q = G->Q, prec = G->prec, a, b, c, d, g, e;
    int kink = G->kind == 0, st = 0;
    pairs_t W;
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
    W.pp = pp; W.ss = ss; W.ef = ef; W.uf = uf;
    W.s22 = _arb_vec_init(Q * Q);
    W.s31 = _arb_vec_init(Q * Q);
    if (!kink)
        st = pair_hi(W.s22, W.s31, G, uf, err, errsize);
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
                        if (a < G->Qr && b < G->Qr && c < G->Qr && d < G->Qr)
                            st = smooth_rstu(L1, L0, G, &W, in, r, cw, lw, err, errsize);
                        else
                        {
                            arb_indeterminate(L1->dd[DD_R] + o);
                            arb_indeterminate(L1->dd[DD_S] + o);
                            arb_indeterminate(L1->dd[DD_T] + o);
                            arb_indeterminate(L1->dd[DD_U] + o);
                        }
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
    _arb_vec_clear(W.s22, Q * Q);
    _arb_vec_clear(W.s31, Q * Q);
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
    if (!strcmp(n, "relu") || !strcmp(n, "leaky-relu") || !strcmp(n, "linear")
        || !strcmp(n, "tanh") || !strcmp(n, "erf") || !strcmp(n, "sin")
        || !strcmp(n, "sigmoid"))
        return 1;
    if (reason != NULL)
        *reason = "--ddntk with several inputs: R, S, T, U are derived for relu, leaky-relu, "
                  "linear, tanh, erf, sin and sigmoid only (docs/onen.md, \"The ddNTK\")";
    return 0;
}

/* 1 for tanh and sigmoid (their four-factor expectations by moment tables) */
static int
poly_row(const neft_net_struct * net)
{
    return !strcmp(net->act->name, "tanh") || !strcmp(net->act->name, "sigmoid");
}

/* the number of distinct inputs among the k (d_in balls each) */
static slong
distinct_inputs(arb_srcptr x, slong k, slong d_in)
{
    slong a, b, i, n = 0;
    for (a = 0; a < k; a++)
    {
        for (b = 0; b < a; b++)
        {
            for (i = 0; i < d_in && arb_equal(x + a * d_in + i, x + b * d_in + i); i++)
                ;
            if (i == d_in)
                break;
        }
        n += b == a;
    }
    return n;
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
    else if (rstu && poly_row(par->net)
             && distinct_inputs(x, k, d_in) > NEFT_ONEN_DDNTKM_POLY_MAX)
    {
        snprintf(err, errsize, "--ddntk with several inputs: R, S, T, U of %s are computed "
                 "for at most %d distinct inputs (%ld given; each four of them need a "
                 "four-input moment table by the 4-D grid, about 90 s of CPU per layer: "
                 "docs/onen.md, \"The ddNTK\")",
                 par->net->act->name,
                 NEFT_ONEN_DDNTKM_POLY_MAX, (long) distinct_inputs(x, k, d_in));
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
