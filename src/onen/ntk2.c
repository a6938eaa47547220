/* The NTK of two inputs at O(1/n): mean shift, fluctuation tensors and
   cross-correlation with the kernel, layer by layer (Roberts-Yaida-Hanin
   ch. 8; derivation in docs/onen.md, "The NTK of two inputs").  Pairs P, Q,
   R, S over (00), (01), (11); ordered pairs o = 2a + b.  With the layer's
   Gaussian data g (src/onen/ntk2_gauss.c), r = n_l/n_{l-1},
   a_PR = lw D2_PR + cw theta_P Dp_PR, b_P = cw p_P:

     theta'_P  = lb + lw f2_P + cw p_P theta_P
     theta1'_P = r [lw (D2 G1 + H2 V/2)_P + cw (p_P theta1_P + theta_P (Dp G1 + Hp V/2)_P
                    + sum_R Dp_PR D_PR + T_P)],
       T_P = sum_{gd} F_{P,(gd)} <d_g d_d (sigma'_a sigma'_b)>   (P = ab)
     A'_PQ = lw^2 (f4 - f2 f2)_PQ + lw cw [theta_Q (X_PQ - f2_P p_Q) + theta_P (X_QP - f2_Q p_P)]
             + cw^2 theta_P theta_Q (S4_PQ - p_P p_Q)
             + r [a_P V a_Q + b_P b_Q A_PQ + b_P (a_Q D_P) + b_Q (a_P D_Q)]
     D'_PQ = cw [lw (f4 - f2 f2)_PQ + cw theta_P (X_QP - p_P f2_Q)]
             + r cw [a_P V D2_Q + b_P (D2_Q D_P)]
     B'_(ab)(cd) = cw^2 [<s'_a s'_b s'_c s'_d> theta_ab theta_cd + r p_ac p_bd B_(ab)(cd)]
     F'_(ab)(cd) = cw^2 [<s'_a s_c s'_b s_d> theta_ab
                         + r sum_{ge} F_(ab)(ge) e_(ac),g e_(bd),e],
       e_(ac),g = <d_g (sigma'_a sigma_c)>,
   X_PQ = <sigma sigma (pair P) sigma' sigma' (pair Q)>, S4 = <sigma'^4>; and
   K, V, G1 by their own recursions (docs/onen.md). */

#include <string.h>
#include "ntkm.h"

static const int pa[3] = {0, 0, 1}, pb[3] = {0, 1, 1};

/* the pair index of (a, b) */
static int
pidx(int a, int b)
{
    return a + b;
}

neft_onen_ntk2_struct *
neft_onen_ntk2_init(slong depth)
{
    neft_onen_ntk2_struct * T = flint_malloc(sizeof(neft_onen_ntk2_struct) * FLINT_MAX(depth, 1));
    slong l;
    int k;
    for (l = 0; l < depth; l++)
    {
        arb_struct * a = (arb_struct *) (T + l);
        for (k = 0; k < (int) (sizeof(neft_onen_ntk2_struct) / sizeof(arb_struct)); k++)
            arb_init(a + k);
    }
    return T;
}

void
neft_onen_ntk2_clear(neft_onen_ntk2_struct * T, slong depth)
{
    slong l;
    int k;
    for (l = 0; l < depth; l++)
    {
        arb_struct * a = (arb_struct *) (T + l);
        for (k = 0; k < (int) (sizeof(neft_onen_ntk2_struct) / sizeof(arb_struct)); k++)
            arb_clear(a + k);
    }
    flint_free(T);
}

int
neft_onen_ntk2_has(const neft_net_t net, const char ** reason)
{
    static _Thread_local char why[256];
    const char * name = net->act->name;
    if (neft_onen_is_scale_invariant(net) || !strcmp(name, "tanh") || !strcmp(name, "sigmoid")
        || !strcmp(name, "erf") || !strcmp(name, "sin"))
        return 1;
    if (reason != NULL)
    {
        snprintf(why, sizeof why, "%s: the NTK of two or more inputs at O(1/n) is computed "
                 "for relu, leaky-relu, linear, tanh, sigmoid, erf and sin only (it needs Gaussian "
                 "expectations of products of sigma and sigma', which the 2-D integrator "
                 "does not take)", name);
        *reason = why;
    }
    return 0;
}

/* E[prod of sigma at the inputs ins[0..ns-1] and sigma' at ind[0..nd-1]]
   (ns + nd = 4, ns even) from g->mix */
static const arb_struct *
mixed(const ntk2_gauss_struct * g, const int * ins, int ns, const int * ind, int nd)
{
    int a[2] = {0, 0}, b[2] = {0, 0}, k;
    for (k = 0; k < ns; k++)
        a[ins[k]]++;
    for (k = 0; k < nd; k++)
        b[ind[k]]++;
    return g->mix + NTK2_MIXI(a[0], b[0], a[1], b[1]);
}

/* X_PQ = <sigma sigma on P, sigma' sigma' on Q> */
static const arb_struct *
xpq(const ntk2_gauss_struct * g, int P, int Q)
{
    int s[2] = {pa[P], pb[P]}, d[2] = {pa[Q], pb[Q]};
    return mixed(g, s, 2, d, 2);
}

/* e_(ac),gamma = <d_gamma (sigma'_a sigma_c)> from the kernel data:
   a = c: d<sigma^2>/dK_aa along gamma = a; a != c: <sigma'_a sigma'_c> along c,
   <sigma''_a sigma_c> = 2 d f2_01/dK_aa along a */
static void
efac(arb_t res, const ntk2_gauss_struct * g, int a, int c, int gam, slong prec)
{
    if (a == c)
    {
        if (gam == a)
            arb_set(res, g->D2[2 * a][2 * a]);
        else
            arb_zero(res);
    }
    else if (gam == c)
        arb_set(res, g->p[1]);
    else
        arb_mul_2exp_si(res, g->D2[1][2 * a], 1);
    (void) prec;
}

/* u_(ab),eps = <d_eps (sigma''_a sigma'_b)> (as efac with sigma -> sigma'),
   0 for the piecewise-linear rows (pointwise sigma'' = 0) */
static void
ufac(arb_t res, const ntk2_gauss_struct * g, int a, int b, int eps)
{
    if (g->kink || (a == b && eps != a))
        arb_zero(res);
    else if (a == b)
        arb_set(res, g->Dp[2 * a][2 * a]);
    else if (eps == b)
        arb_set(res, g->Dp[1][1]);
    else
        arb_mul_2exp_si(res, g->Dp[1][2 * a], 1);
}

/* the dNTK's P', Q' (T1) from T0, T1's F and g: for t = (a0 a1 a2 a3)
     P' = (lw/cw)(F'_(a0a1)(a3a2) + F'_(a0a2)(a3a1)) + cw^2 [Y + r (theta_a1a2
          sum_ge (F_(a0a1)(ge) u_(a1a2),e + F_(a0a2)(ge) u_(a2a1),e) e_(a0a3),g
          + p_a1a2 sum_g P_(a0a1a2g) e_(a0a3),g)]
     Q' = (lw/cw) F'_(a1a2)(a0a3) + cw^2 [Y + r (theta_a0a1 sum_ge F_(a1a2)(ge)
          u_(a1a0),g e_(a2a3),e + p_a0a1 <sigma''_a2 sigma_a3> B_(a1a2)(a0a2)
          + p_a0a1 sum_g Q_(a0a1a2g) e_(a2a3),g)]
   Y = theta_a1a2 (theta_a0a1 y_(a0a1a2a3) + theta_a0a2 y_(a0a2a1a3)) (docs/onen.md,
   "The dNTK", two inputs) */
static void
step_dntk(neft_onen_ntk2_struct * T1, const neft_onen_ntk2_struct * T0,
          const ntk2_gauss_struct * g, const arb_t r, const arb_t cw, const arb_t lw,
          slong prec)
{
    arb_t lc, c2, y, sp, sq, t, u, e, s2s;
    int k, a0, a1, a2, a3, ga, ep;
    arb_init(lc); arb_init(c2); arb_init(y); arb_init(sp); arb_init(sq); arb_init(t);
    arb_init(u); arb_init(e); arb_init(s2s);
    arb_div(lc, lw, cw, prec);
    arb_sqr(c2, cw, prec);
    for (k = 0; k < 16; k++)
    {
        a0 = k >> 3; a1 = (k >> 2) & 1; a2 = (k >> 1) & 1; a3 = k & 1;
        /* Y */
        arb_mul(y, T0->theta + pidx(a0, a1), g->y + k, prec);
        arb_addmul(y, T0->theta + pidx(a0, a2), g->y + 8 * a0 + 4 * a2 + 2 * a1 + a3, prec);
        arb_mul(y, y, T0->theta + pidx(a1, a2), prec);
        /* <sigma''_a2 sigma_a3>: 2 d f2_01/dK_(a2a2), or d<sigma^2>/dK - p */
        if (g->kink)
            arb_zero(s2s);
        else if (a2 != a3)
            arb_mul_2exp_si(s2s, g->D2[1][2 * a2], 1);
        else
            arb_sub(s2s, g->D2[2 * a2][2 * a2], g->p[2 * a2], prec);
        arb_zero(sp);
        arb_zero(sq);
        for (ga = 0; ga < 2; ga++)
        {
            efac(e, g, a0, a3, ga, prec);
            for (ep = 0; ep < 2; ep++)
            {
                ufac(u, g, a1, a2, ep);
                arb_mul(t, T0->F + 4 * (2 * a0 + a1) + 2 * ga + ep, u, prec);
                ufac(u, g, a2, a1, ep);
                arb_addmul(t, T0->F + 4 * (2 * a0 + a2) + 2 * ga + ep, u, prec);
                arb_mul(t, t, T0->theta + pidx(a1, a2), prec);
                arb_addmul(sp, t, e, prec);
                /* Q: u_(a1a0),ga e_(a2a3),ep */
                ufac(u, g, a1, a0, ga);
                efac(t, g, a2, a3, ep, prec);
                arb_mul(t, t, u, prec);
                arb_mul(t, t, T0->F + 4 * (2 * a1 + a2) + 2 * ga + ep, prec);
                arb_addmul(sq, t, T0->theta + pidx(a0, a1), prec);
            }
            arb_mul(t, g->p[pidx(a1, a2)], T0->P + 8 * a0 + 4 * a1 + 2 * a2 + ga, prec);
            arb_addmul(sp, t, e, prec);
            efac(e, g, a2, a3, ga, prec);
            arb_mul(t, g->p[pidx(a0, a1)], T0->Q + 8 * a0 + 4 * a1 + 2 * a2 + ga, prec);
            arb_addmul(sq, t, e, prec);
        }
        arb_mul(t, g->p[pidx(a0, a1)], s2s, prec);
        arb_addmul(sq, t, T0->B + 4 * (2 * a1 + a2) + 2 * a0 + a2, prec);
        arb_mul(sp, sp, r, prec);
        arb_add(sp, sp, y, prec);
        arb_mul(sq, sq, r, prec);
        arb_add(sq, sq, y, prec);
        arb_add(t, T1->F + 4 * (2 * a0 + a1) + 2 * a3 + a2, T1->F + 4 * (2 * a0 + a2) + 2 * a3 + a1,
                prec);
        arb_mul(t, t, lc, prec);
        arb_mul(sp, sp, c2, prec);
        arb_add(T1->P + k, t, sp, prec);
        arb_mul(t, T1->F + 4 * (2 * a1 + a2) + 2 * a0 + a3, lc, prec);
        arb_mul(sq, sq, c2, prec);
        arb_add(T1->Q + k, t, sq, prec);
    }
    arb_clear(lc); arb_clear(c2); arb_clear(y); arb_clear(sp); arb_clear(sq); arb_clear(t);
    arb_clear(u); arb_clear(e); arb_clear(s2s);
}

/* one step: T1 (layer l+1) from T0 (layer l) and g at K^(l) */
static void
step(neft_onen_ntk2_struct * T1, const neft_onen_ntk2_struct * T0,
     const ntk2_gauss_struct * g, const arb_t r, const arb_t cw, const arb_t cb,
     const arb_t lb, const arb_t lw, slong prec)
{
    arb_t t, u, v, ap[3][3], bp[3];
    int P, Q, R, S, o1, o2, a, b, c, d, ga, ep;
    arb_init(t); arb_init(u); arb_init(v);
    for (P = 0; P < 3; P++)
    {
        arb_init(bp[P]);
        arb_mul(bp[P], cw, g->p[P], prec);
        for (R = 0; R < 3; R++)
        {
            arb_init(ap[P][R]);
            arb_mul(ap[P][R], lw, g->D2[P][R], prec);
            arb_mul(t, cw, T0->theta + P, prec);
            arb_addmul(ap[P][R], t, g->Dp[P][R], prec);
        }
    }
    for (P = 0; P < 3; P++)
    {
        /* K, G1, theta, theta1 */
        arb_mul(t, cw, g->f2[P], prec);
        arb_add(T1->K + P, cb, t, prec);
        arb_zero(t);                                  /* (D2 G1 + H2 V/2)_P */
        arb_zero(u);                                  /* (Dp G1 + Hp V/2)_P */
        for (R = 0; R < 3; R++)
        {
            arb_addmul(t, g->D2[P][R], T0->G1 + R, prec);
            arb_addmul(u, g->Dp[P][R], T0->G1 + R, prec);
            for (S = 0; S < 3; S++)
            {
                arb_mul(v, g->H2[P][R][S], T0->V + 3 * R + S, prec);
                arb_mul_2exp_si(v, v, -1);
                arb_add(t, t, v, prec);
                arb_mul(v, g->Hp[P][R][S], T0->V + 3 * R + S, prec);
                arb_mul_2exp_si(v, v, -1);
                arb_add(u, u, v, prec);
            }
        }
        arb_mul(T1->G1 + P, t, cw, prec);
        arb_mul(T1->G1 + P, T1->G1 + P, r, prec);
        arb_mul(T1->theta1 + P, lw, t, prec);
        arb_mul(t, u, T0->theta + P, prec);
        arb_addmul(t, g->p[P], T0->theta1 + P, prec);
        for (R = 0; R < 3; R++)
            arb_addmul(t, g->Dp[P][R], T0->D + 3 * P + R, prec);
        /* T_P: F_{P,(gd)} over the ordered (gd), <d_g d_d f> = 2 Dp_(gg) or Dp_(01) */
        a = pa[P]; b = pb[P];
        o1 = 2 * a + b;
        for (o2 = 0; o2 < 4; o2++)
        {
            ga = o2 >> 1; ep = o2 & 1;
            arb_mul(v, T0->F + 4 * o1 + o2, g->Dp[P][pidx(ga, ep)], prec);
            if (ga == ep)
                arb_mul_2exp_si(v, v, 1);
            arb_add(t, t, v, prec);
        }
        arb_addmul(T1->theta1 + P, t, cw, prec);
        arb_mul(T1->theta1 + P, T1->theta1 + P, r, prec);
        arb_mul(t, cw, g->p[P], prec);
        arb_mul(t, t, T0->theta + P, prec);
        arb_addmul(t, lw, g->f2[P], prec);
        arb_add(T1->theta + P, t, lb, prec);
    }
    for (P = 0; P < 3; P++)
        for (Q = 0; Q < 3; Q++)
        {
            arb_t w4, rs, rd;
            arb_init(w4); arb_init(rs); arb_init(rd);
            arb_mul(w4, g->f2[P], g->f2[Q], prec);
            arb_sub(w4, g->f4[P][Q], w4, prec);       /* f4 - f2 f2 */
            /* V' */
            arb_zero(rs);
            for (R = 0; R < 3; R++)
                for (S = 0; S < 3; S++)
                {
                    arb_mul(t, g->D2[P][R], g->D2[Q][S], prec);
                    arb_addmul(rs, t, T0->V + 3 * R + S, prec);
                }
            arb_mul(rs, rs, r, prec);
            arb_add(t, w4, rs, prec);
            arb_mul(t, t, cw, prec);
            arb_mul(T1->V + 3 * P + Q, t, cw, prec);
            /* A': the one-neuron covariance, then r times the layer-below part */
            arb_mul(t, lw, lw, prec);
            arb_mul(T1->A + 3 * P + Q, t, w4, prec);
            arb_mul(u, g->f2[P], g->p[Q], prec);
            arb_sub(u, xpq(g, P, Q), u, prec);
            arb_mul(u, u, T0->theta + Q, prec);
            arb_mul(v, g->f2[Q], g->p[P], prec);
            arb_sub(v, xpq(g, Q, P), v, prec);
            arb_addmul(u, v, T0->theta + P, prec);
            arb_mul(t, lw, cw, prec);
            arb_addmul(T1->A + 3 * P + Q, t, u, prec);
            {
                int s4[4] = {pa[P], pb[P], pa[Q], pb[Q]};
                arb_mul(u, g->p[P], g->p[Q], prec);
                arb_sub(u, mixed(g, NULL, 0, s4, 4), u, prec);
            }
            arb_mul(u, u, T0->theta + P, prec);
            arb_mul(u, u, T0->theta + Q, prec);
            arb_mul(t, cw, cw, prec);
            arb_addmul(T1->A + 3 * P + Q, t, u, prec);
            arb_zero(rd);
            for (R = 0; R < 3; R++)
            {
                for (S = 0; S < 3; S++)
                {
                    arb_mul(t, ap[P][R], ap[Q][S], prec);
                    arb_addmul(rd, t, T0->V + 3 * R + S, prec);
                }
                arb_mul(t, ap[Q][R], T0->D + 3 * P + R, prec);
                arb_addmul(rd, t, bp[P], prec);
                arb_mul(t, ap[P][R], T0->D + 3 * Q + R, prec);
                arb_addmul(rd, t, bp[Q], prec);
            }
            arb_mul(t, bp[P], bp[Q], prec);
            arb_addmul(rd, t, T0->A + 3 * P + Q, prec);
            arb_addmul(T1->A + 3 * P + Q, rd, r, prec);
            /* D' */
            arb_mul(t, lw, w4, prec);
            arb_mul(u, g->p[P], g->f2[Q], prec);
            arb_sub(u, xpq(g, Q, P), u, prec);
            arb_mul(u, u, T0->theta + P, prec);
            arb_addmul(t, u, cw, prec);
            arb_zero(rd);
            for (S = 0; S < 3; S++)
            {
                arb_zero(u);
                for (R = 0; R < 3; R++)
                    arb_addmul(u, ap[P][R], T0->V + 3 * R + S, prec);
                arb_addmul(u, bp[P], T0->D + 3 * P + S, prec);
                arb_addmul(rd, u, g->D2[Q][S], prec);
            }
            arb_addmul(t, rd, r, prec);
            arb_mul(T1->D + 3 * P + Q, t, cw, prec);
            arb_clear(w4); arb_clear(rs); arb_clear(rd);
        }
    for (o1 = 0; o1 < 4; o1++)
        for (o2 = 0; o2 < 4; o2++)
        {
            int s4[4];
            a = o1 >> 1; b = o1 & 1; c = o2 >> 1; d = o2 & 1;
            s4[0] = a; s4[1] = b; s4[2] = c; s4[3] = d;
            /* B' */
            arb_mul(t, T0->theta + pidx(a, b), T0->theta + pidx(c, d), prec);
            arb_mul(t, t, mixed(g, NULL, 0, s4, 4), prec);
            arb_mul(u, g->p[pidx(a, c)], g->p[pidx(b, d)], prec);
            arb_mul(u, u, r, prec);
            arb_addmul(t, u, T0->B + 4 * o1 + o2, prec);
            arb_mul(t, t, cw, prec);
            arb_mul(T1->B + 4 * o1 + o2, t, cw, prec);
            /* F': sigma' at a, b and sigma at c, d */
            {
                int si[2] = {c, d}, di[2] = {a, b};
                arb_mul(t, mixed(g, si, 2, di, 2), T0->theta + pidx(a, b), prec);
            }
            arb_zero(u);
            for (ga = 0; ga < 2; ga++)
                for (ep = 0; ep < 2; ep++)
                {
                    efac(v, g, a, c, ga, prec);
                    arb_mul(v, v, T0->F + 4 * o1 + 2 * ga + ep, prec);
                    {
                        arb_t e2;
                        arb_init(e2);
                        efac(e2, g, b, d, ep, prec);
                        arb_addmul(u, v, e2, prec);
                        arb_clear(e2);
                    }
                }
            arb_addmul(t, u, r, prec);
            arb_mul(t, t, cw, prec);
            arb_mul(T1->F + 4 * o1 + o2, t, cw, prec);
        }
    arb_clear(t); arb_clear(u); arb_clear(v);
    for (P = 0; P < 3; P++)
    {
        arb_clear(bp[P]);
        for (R = 0; R < 3; R++)
            arb_clear(ap[P][R]);
    }
}

/* Two equal inputs: every entry of T[l] is the one-input value at that input
   (neft_onen_single's K, V, G1 and neft_onen_ntk1_single's tensors; the
   definitions above with x_0 = x_1).  The pair route would differentiate the
   two-input expectation on its kink, where a piecewise-linear row's angle
   derivatives are infinite.  neft_onen_ntk2's return values. */
static int
coincident(neft_onen_ntk2_struct * T, const neft_onen_params_t par, const fmpq_t lambda_b,
           const fmpq_t lambda_w, arb_srcptr K1, char * err, size_t errsize)
{
    slong l, depth = par->net->depth;
    neft_onen_layer_struct * L;
    neft_onen_ntk1_struct * T1;
    int st, k;
    if (!neft_onen_ntk2_has(par->net, NULL))
    {
        snprintf(err, errsize, "%s: no two-input NTK at O(1/n)", par->net->act->name);
        return NEFT_UNSUPPORTED;
    }
    L = neft_onen_layers_init(depth);
    T1 = neft_onen_ntk1_init(depth);
    st = neft_onen_single(L, par, K1);
    if (st == 0)
        st = neft_onen_ntk1_single(T1, L, par, lambda_b, lambda_w);
    if (st == 0)
        for (l = 0; l < depth; l++)
        {
            for (k = 0; k < 3; k++)
            {
                arb_set(T[l].K + k, L[l].K);
                arb_set(T[l].G1 + k, L[l].G1);
                arb_set(T[l].theta + k, T1[l].theta);
                arb_set(T[l].theta1 + k, T1[l].theta1);
            }
            for (k = 0; k < 9; k++)
            {
                arb_set(T[l].V + k, L[l].V);
                arb_set(T[l].A + k, T1[l].A);
                arb_set(T[l].D + k, T1[l].D);
            }
            for (k = 0; k < 16; k++)
            {
                arb_set(T[l].B + k, T1[l].B);
                arb_set(T[l].F + k, T1[l].F);
                arb_set(T[l].P + k, T1[l].P);
                arb_set(T[l].Q + k, T1[l].Q);
            }
        }
    else if (neft_interrupted())
        st = NEFT_INTERRUPTED;
    else if (st != NEFT_UNSUPPORTED)
    {
        snprintf(err, errsize, "one input twice: a ball of the one-input recursion is not "
                 "finite (raise --prec)");
        st = -1;
    }
    else
        snprintf(err, errsize, "%s: the one-input recursion does not reach depth %ld",
                 par->net->act->name, (long) depth);
    neft_onen_ntk1_clear(T1, depth);
    neft_onen_layers_clear(L, depth);
    return st;
}

int
neft_onen_ntk2(neft_onen_ntk2_struct * T, const neft_onen_params_t par, const fmpq_t lambda_b,
               const fmpq_t lambda_w, arb_srcptr x, slong d_in, char * err, size_t errsize)
{
    arb_ptr K1 = _arb_vec_init(4);
    arb_t cw, cb;
    slong i;
    int st;
    arb_init(cw); arb_init(cb);
    _NEFT_ONEN_CWCB(cw, cb, par->net, par->prec);
    _neft_onen_kernel1(K1, x, 2, d_in, cw, cb, par->prec);
    for (i = 0; i < d_in && arb_equal(x + i, x + d_in + i); i++)
        ;
    if (i == d_in)      /* one input twice (neft_onen_ntkm's rule: equal balls) */
        st = coincident(T, par, lambda_b, lambda_w, K1, err, errsize);
    else if ((st = _neft_onen_ntkm_pl_general(par->net, x, 2, d_in, par->prec, err,
                                              errsize)) != 0)
    {
        slong l, k;
        for (l = 0; l < par->net->depth; l++)
            for (k = 0; k < (int) (sizeof(neft_onen_ntk2_struct) / sizeof(arb_struct)); k++)
                arb_indeterminate((arb_struct *) (T + l) + k);
    }
    else
        st = _neft_onen_ntk2_from_kernel(T, par, lambda_b, lambda_w, K1, err, errsize);
    arb_clear(cw); arb_clear(cb);
    _arb_vec_clear(K1, 4);
    return st;
}

int
_neft_onen_ntk2_from_kernel(neft_onen_ntk2_struct * T, const neft_onen_params_t par,
                            const fmpq_t lambda_b, const fmpq_t lambda_w, arb_srcptr K1,
                            char * err, size_t errsize)
{
    const neft_net_struct * net = par->net;
    slong l, depth = net->depth, prec = par->prec, num, den;
    arb_t cw, cb, lb, lw, r;
    ntk2_gauss_struct * g = flint_malloc(sizeof(ntk2_gauss_struct));
    int st = 0, P, k;

    if (!neft_onen_ntk2_has(net, NULL))
    {
        flint_free(g);
        snprintf(err, errsize, "%s: no two-input NTK at O(1/n)", net->act->name);
        return NEFT_UNSUPPORTED;
    }
    _neft_onen_ntk2_gauss_init(g);
    arb_init(cw); arb_init(cb); arb_init(lb); arb_init(lw); arb_init(r);
    _NEFT_ONEN_CWCB(cw, cb, net, prec);
    arb_set_fmpq(lb, lambda_b, prec);
    arb_set_fmpq(lw, lambda_w, prec);
    /* layer 1: K^(1), Theta^(1) = lambda_b + lambda_W (K^(1) - C_b)/C_W, the rest 0 */
    for (k = 0; k < (int) (sizeof(neft_onen_ntk2_struct) / sizeof(arb_struct)); k++)
        arb_zero((arb_struct *) T + k);
    for (P = 0; P < 3; P++)
    {
        arb_set(T[0].K + P, K1 + 2 * pa[P] + pb[P]);
        arb_sub(T[0].theta + P, T[0].K + P, cb, prec);
        arb_div(T[0].theta + P, T[0].theta + P, cw, prec);
        arb_mul(T[0].theta + P, T[0].theta + P, lw, prec);
        arb_add(T[0].theta + P, T[0].theta + P, lb, prec);
    }
    for (l = 1; l < depth && st == 0; l++)
    {
        arb_struct Kl[4];
        if (neft_interrupted())
        {
            st = NEFT_INTERRUPTED;
            break;
        }
        Kl[0] = T[l - 1].K[0]; Kl[1] = Kl[2] = T[l - 1].K[1]; Kl[3] = T[l - 1].K[2];
        st = _neft_onen_ntk2_gauss(g, net, Kl, prec, err, errsize);
        if (st)
            break;
        _neft_onen_ratio_si(&num, &den, net, l);
        arb_set_si(r, num);
        arb_div_si(r, r, den, prec);
        step(T + l, T + l - 1, g, r, cw, cb, lb, lw, prec);
        step_dntk(T + l, T + l - 1, g, r, cw, lw, prec);
        for (k = 0; k < (int) (sizeof(neft_onen_ntk2_struct) / sizeof(arb_struct)); k++)
            if (!arb_is_finite((arb_struct *) (T + l) + k))
            {
                snprintf(err, errsize, "layer %ld: a ball is not finite (coincident or "
                         "collinear inputs of a piecewise-linear activation have infinite "
                         "angle derivatives; or raise --prec)", (long) (l + 1));
                st = -1;
                break;
            }
    }
    if (st)
        for (l = 0; l < depth; l++)
            for (k = 0; k < (int) (sizeof(neft_onen_ntk2_struct) / sizeof(arb_struct)); k++)
                arb_indeterminate((arb_struct *) (T + l) + k);
    _neft_onen_ntk2_gauss_clear(g);
    flint_free(g);
    arb_clear(cw); arb_clear(cb); arb_clear(lb); arb_clear(lw); arb_clear(r);
    return st;
}
