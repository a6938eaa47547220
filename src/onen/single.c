/* The single-input recursions (docs/onen.md, "Recursions"), in balls and,
   for scale-invariant activations, in exact rationals.

   With c_k(K) the k-th cumulant of s = sigma(z)^2 under z ~ N(0, K),
   primes d/dK, r = n_l/n_{l-1}, chi = C_W c_1':
     K'  = C_b + C_W c_1
     V'  = C_W^2 [c_2 + r c_1'^2 V]
     G1' = r [chi G1 + (C_W/2) c_1'' V]
     V1' = C_W^2 [r^2 (c_1'^2 V1 + c_1' c_1'' (v6 + 2 V G1) + (c_1''^2/2 + c_1' c_1''') V^2)
                 + r (c_2' G1 + c_2'' V / 2)]
     v6' = C_W^3 [c_3 + 3 r c_1' c_2' V + r^2 (3 c_1'^2 c_1'' V^2 + c_1'^3 v6)]
     v8' = C_W^4 [c_4 + r (4 c_1' c_3' + 3 c_2'^2) V
                 + r^2 (6 c_1'^2 c_2'' + 12 c_1' c_1'' c_2') V^2
                 + r^3 (4 c_1'^3 c_1''' + 12 c_1'^2 c_1''^2) V^3
                 + 6 r^2 c_1'^2 c_2' v6 + 12 r^3 c_1'^3 c_1'' V v6 + r^3 c_1'^4 v8]
   (leading order of each cumulant; derived by the tree-level Legendre
   transform of the layer's cumulant generating function), and V1 the
   next order of the variance, kappa_2(G) = V/n + V1/n^2 + O(1/n^3): the
   law of total variance, Var G' = Var(C_W c_1(G)) + E[C_W^2 c_2(G)/n], with
   c_1(G), c_2(G) expanded about K to O(1/n^2) in the cumulants of G
   (docs/onen.md, "Next order"). */

#include <stdlib.h>
#include "neft/onen.h"
#include "onen_private.h"
#include "../cost.h"

void
neft_onen_params_init(neft_onen_params_t par)
{
    neft_net_init(par->net);
    neft_net_set_depth_recursion(par->net, 1);
    par->prec = 128;
    par->kernel_only = 0;
    par->progress = NULL;
    par->progress_arg = NULL;
}

void
neft_onen_params_clear(neft_onen_params_t par)
{
    neft_net_clear(par->net);
}

/* F applied to every number of one layer (the ball and the exact table
   have the same fields) */
#define LAYER_FIELDS(F, x) \
    do { F((x).K); F((x).chi_par); F((x).chi_perp); F((x).V); F((x).G1); F((x).v6); \
         F((x).v8); F((x).V1); } while (0)

neft_onen_layer_struct *
neft_onen_layers_init(slong depth)
{
    neft_onen_layer_struct * L = flint_calloc(depth, sizeof(neft_onen_layer_struct));
    slong l;
    for (l = 0; l < depth; l++)
        LAYER_FIELDS(arb_init, L[l]);
    return L;
}

void
neft_onen_layers_clear(neft_onen_layer_struct * L, slong depth)
{
    slong l;
    for (l = 0; l < depth; l++)
        LAYER_FIELDS(arb_clear, L[l]);
    flint_free(L);
}

/* Cumulants of s = sigma^2 and their derivatives from the moments:
   c[k][b] = d^b/dK^b kappa_k(s), k = 1..4, b <= 4 - k. */
#define CUMULANTS(T, ADD, SUB, MUL, MULSI, SET)                                  \
    /* c1 = m1 */                                                                \
    SET(&c[1][0], &m[1][0]); SET(&c[1][1], &m[1][1]);                                \
    SET(&c[1][2], &m[1][2]); SET(&c[1][3], &m[1][3]);                                \
    /* c2 = m2 - m1^2; c2' = m2' - 2 m1 m1'; c2'' = m2'' - 2 m1'^2 - 2 m1 m1'' */ \
    MUL(t, &m[1][0], &m[1][0]); SUB(&c[2][0], &m[2][0], t);                          \
    MUL(t, &m[1][0], &m[1][1]); MULSI(t, t, 2); SUB(&c[2][1], &m[2][1], t);          \
    MUL(t, &m[1][1], &m[1][1]); MUL(u, &m[1][0], &m[1][2]); ADD(t, t, u);            \
    MULSI(t, t, 2); SUB(&c[2][2], &m[2][2], t);                                    \
    /* c3 = m3 - 3 m2 m1 + 2 m1^3 */                                             \
    MUL(t, &m[2][0], &m[1][0]); MULSI(t, t, 3); SUB(&c[3][0], &m[3][0], t);          \
    MUL(t, &m[1][0], &m[1][0]); MUL(t, t, &m[1][0]); MULSI(t, t, 2);                \
    ADD(&c[3][0], &c[3][0], t);                                                    \
    /* c3' = m3' - 3 m2' m1 - 3 m2 m1' + 6 m1^2 m1' */                            \
    MUL(t, &m[2][1], &m[1][0]); MUL(u, &m[2][0], &m[1][1]); ADD(t, t, u);            \
    MULSI(t, t, 3); SUB(&c[3][1], &m[3][1], t);                                    \
    MUL(t, &m[1][0], &m[1][0]); MUL(t, t, &m[1][1]); MULSI(t, t, 6);                \
    ADD(&c[3][1], &c[3][1], t);                                                    \
    /* c4 = m4 - 4 m3 m1 - 3 m2^2 + 12 m2 m1^2 - 6 m1^4 */                        \
    MUL(t, &m[3][0], &m[1][0]); MULSI(t, t, 4); SUB(&c[4][0], &m[4][0], t);          \
    MUL(t, &m[2][0], &m[2][0]); MULSI(t, t, 3); SUB(&c[4][0], &c[4][0], t);          \
    MUL(u, &m[1][0], &m[1][0]); MUL(t, &m[2][0], u); MULSI(t, t, 12);               \
    ADD(&c[4][0], &c[4][0], t);                                                    \
    MUL(t, u, u); MULSI(t, t, 6); SUB(&c[4][0], &c[4][0], t);

/* One step of the recursion.  The macro body is shared by the ball and the
   exact versions so that both compute literally the same expression. */
#define STEP(ADD, SUB, MUL, MULSI, SET, ZERO, ONE, DIV2)                          \
    /* chi = C_W c1' */                                                          \
    MUL(chi, cw, &c[1][1]);                                                       \
    MUL(cw2, cw, cw); MUL(cw3, cw2, cw); MUL(cw4, cw3, cw);                      \
    MUL(r2, r, r); MUL(r3, r2, r);                                               \
    MUL(a1, &c[1][1], &c[1][1]);          /* c1'^2 */                              \
    MUL(a2, a1, &c[1][1]);               /* c1'^3 */                              \
    MUL(a3, a2, &c[1][1]);               /* c1'^4 */                              \
    MUL(V2, V, V); MUL(V3, V2, V);                                               \
    /* K' */                                                                     \
    MUL(nK, cw, &c[1][0]); ADD(nK, nK, cb);                                       \
    /* V' */                                                                     \
    MUL(t, r, a1); MUL(t, t, V); ADD(t, t, &c[2][0]); MUL(nV, cw2, t);             \
    /* V1' (next order of the variance) */                                    \
    MUL(t, a1, V1); MUL(u, V, G1); MULSI(u, u, 2); ADD(u, u, v6);                 \
    MUL(u, u, &c[1][1]); MUL(u, u, &c[1][2]); ADD(t, t, u);                        \
    MUL(u, &c[1][2], &c[1][2]); DIV2(u, u); MUL(acc, &c[1][1], &c[1][3]);           \
    ADD(u, u, acc); MUL(u, u, V2); ADD(t, t, u); MUL(t, t, r2);                   \
    MUL(u, &c[2][1], G1); MUL(acc, &c[2][2], V); DIV2(acc, acc); ADD(u, u, acc);    \
    MUL(u, u, r); ADD(t, t, u); MUL(nV1, cw2, t);                                \
    /* G1' = r [chi G1 + (C_W/2) c1'' V] */                                      \
    MUL(t, chi, G1); MUL(u, cw, &c[1][2]); MUL(u, u, V); DIV2(u, u);              \
    ADD(t, t, u); MUL(nG1, r, t);                                                \
    /* v6' */                                                                    \
    MUL(t, &c[1][1], &c[2][1]); MUL(t, t, V); MUL(t, t, r); MULSI(t, t, 3);         \
    ADD(acc, &c[3][0], t);                                                        \
    MUL(t, a1, &c[1][2]); MUL(t, t, V2); MULSI(t, t, 3); MUL(u, a2, v6);          \
    ADD(t, t, u); MUL(t, t, r2); ADD(acc, acc, t);                               \
    MUL(nv6, cw3, acc);                                                          \
    /* v8' */                                                                    \
    SET(acc, &c[4][0]);                                                           \
    MUL(t, &c[1][1], &c[3][1]); MULSI(t, t, 4); MUL(u, &c[2][1], &c[2][1]);          \
    MULSI(u, u, 3); ADD(t, t, u); MUL(t, t, V); MUL(t, t, r); ADD(acc, acc, t);   \
    MUL(t, a1, &c[2][2]); MULSI(t, t, 6); MUL(u, &c[1][1], &c[1][2]);               \
    MUL(u, u, &c[2][1]); MULSI(u, u, 12); ADD(t, t, u); MUL(t, t, V2);            \
    MUL(t, t, r2); ADD(acc, acc, t);                                             \
    MUL(t, a2, &c[1][3]); MULSI(t, t, 4); MUL(u, &c[1][2], &c[1][2]);               \
    MUL(u, u, a1); MULSI(u, u, 12); ADD(t, t, u); MUL(t, t, V3);                 \
    MUL(t, t, r3); ADD(acc, acc, t);                                             \
    MUL(t, a1, &c[2][1]); MULSI(t, t, 6); MUL(t, t, v6); MUL(t, t, r2);            \
    ADD(acc, acc, t);                                                            \
    MUL(t, a2, &c[1][2]); MULSI(t, t, 12); MUL(t, t, V); MUL(t, t, v6);            \
    MUL(t, t, r3); ADD(acc, acc, t);                                             \
    MUL(t, a3, v8); MUL(t, t, r3); ADD(acc, acc, t);                             \
    MUL(nv8, cw4, acc);

/* width ratio n_l / n_{l-1} for the step from layer l (1-based); 1 when
   the widths are not given (equal widths) */
void
_neft_onen_ratio_si(slong * num, slong * den, const neft_net_t net, slong l)
{
    /* the step out of the last layer is never used: the net has depth-1 widths */
    if (l < 2 || l >= net->depth || neft_net_width_si(net, l) <= 0
        || neft_net_width_si(net, l - 1) <= 0)
    {
        *num = 1;
        *den = 1;
        return;
    }
    *num = neft_net_width_si(net, l);
    *den = neft_net_width_si(net, l - 1);
}

#define A_ADD(x, y, z) arb_add(x, y, z, prec)
#define A_SUB(x, y, z) arb_sub(x, y, z, prec)
#define A_MUL(x, y, z) arb_mul(x, y, z, prec)
#define A_MULSI(x, y, k) arb_mul_si(x, y, k, prec)
#define A_SET(x, y) arb_set(x, y)
#define A_DIV2(x, y) arb_mul_2exp_si(x, y, -1)

#define NTMP 25

int
neft_onen_single(neft_onen_layer_struct * layers, const neft_onen_params_t par,
                 const arb_t k1)
{
    slong prec = par->prec, l, depth = par->net->depth, num, den, i;
    neft_onen_gauss_t g;
    arb_struct (*m)[4];
    arb_struct c_[5][4];
    arb_struct * c[5];
    arb_ptr tmp = _arb_vec_init(NTMP);
    arb_ptr t = tmp, u = tmp + 1, chi = tmp + 2, cw2 = tmp + 3, cw3 = tmp + 4,
        cw4 = tmp + 5, r = tmp + 6, r2 = tmp + 7, r3 = tmp + 8, a1 = tmp + 9,
        a2 = tmp + 10, a3 = tmp + 11, V2 = tmp + 12, V3 = tmp + 13, nK = tmp + 14,
        nV = tmp + 15, nG1 = tmp + 16, nv6 = tmp + 17, nv8 = tmp + 18, acc = tmp + 19,
        nV1 = tmp + 24;
    const onen_row_struct * row = _neft_onen_row(par->net);
    arb_t cw, cb;
    int status = 0;

    if (neft_onen_check_depth(par->net, NULL) != NEFT_SUCCESS)
    {
        for (l = 0; l < depth; l++)
        {
            neft_onen_layer_struct * L = layers + l;
            L->layer = l + 1;
            L->width = 0;
            arb_indeterminate(L->K); arb_indeterminate(L->chi_par);
            arb_indeterminate(L->chi_perp); arb_indeterminate(L->V);
            arb_indeterminate(L->G1); arb_indeterminate(L->v6); arb_indeterminate(L->v8);
            arb_indeterminate(L->V1);
        }
        _arb_vec_clear(tmp, NTMP);
        return NEFT_UNSUPPORTED;
    }
    arb_init(cw); arb_init(cb);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    neft_onen_gauss_init(g);
    m = g->m;
    for (i = 0; i < 5; i++)
    {
        slong b;
        for (b = 0; b < 4; b++)
            arb_init(&c_[i][b]);
        c[i] = c_[i];
    }

    arb_set(layers[0].K, k1);
    arb_zero(layers[0].V); arb_zero(layers[0].G1);
    arb_zero(layers[0].v6); arb_zero(layers[0].v8); arb_zero(layers[0].V1);
    for (l = 1; l <= depth; l++)
    {
        neft_onen_layer_struct * L = layers + l - 1;
        arb_srcptr V = L->V, G1 = L->G1, v6 = L->v6, v8 = L->v8, V1 = L->V1;
        L->layer = l;
        L->width = l >= 2 ? neft_net_width_si(par->net, l - 1) : 0;
        if (status == 0 && (neft_interrupted()
                            || neft_onen_gauss_eval(g, par->net, L->K, k1, prec) != 0))
            status = -1;
        if (status)
        {
            arb_indeterminate(L->K); arb_indeterminate(L->chi_par);
            arb_indeterminate(L->chi_perp); arb_indeterminate(L->V);
            arb_indeterminate(L->G1); arb_indeterminate(L->v6); arb_indeterminate(L->v8);
            arb_indeterminate(L->V1);
            continue;
        }
        CUMULANTS(arb, A_ADD, A_SUB, A_MUL, A_MULSI, A_SET)
        _neft_onen_ratio_si(&num, &den, par->net, l);
        arb_set_si(r, num);
        arb_div_si(r, r, den, prec);
        STEP(A_ADD, A_SUB, A_MUL, A_MULSI, A_SET, , , A_DIV2)
        arb_set(L->chi_par, chi);
        arb_mul(L->chi_perp, cw, &g->perp, prec);
        if (row->max_depth > 0 && l >= row->max_depth)
        {
            /* no step out of the activation's last layer (GaussNet's output):
               its susceptibilities are not defined */
            arb_indeterminate(L->chi_par);
            arb_indeterminate(L->chi_perp);
        }
        if (l < depth)
        {
            arb_set(layers[l].K, nK);
            arb_set(layers[l].V, nV);
            arb_set(layers[l].G1, nG1);
            arb_set(layers[l].v6, nv6);
            arb_set(layers[l].v8, nv8);
            arb_set(layers[l].V1, nV1);
        }
    }
    for (i = 0; i < 5; i++)
    {
        slong b;
        for (b = 0; b < 4; b++)
            arb_clear(&c_[i][b]);
    }
    _arb_vec_clear(tmp, NTMP);
    neft_onen_gauss_clear(g);
    arb_clear(cw); arb_clear(cb);
    return status;
}

/* ---- exact ---------------------------------------------------------- */

neft_onen_exact_struct *
neft_onen_exact_init(slong depth)
{
    neft_onen_exact_struct * L = flint_calloc(depth, sizeof(neft_onen_exact_struct));
    slong l;
    for (l = 0; l < depth; l++)
        LAYER_FIELDS(fmpq_init, L[l]);
    return L;
}

void
neft_onen_exact_clear(neft_onen_exact_struct * L, slong depth)
{
    slong l;
    for (l = 0; l < depth; l++)
        LAYER_FIELDS(fmpq_clear, L[l]);
    flint_free(L);
}

#define Q_ADD(x, y, z) fmpq_add(x, y, z)
#define Q_SUB(x, y, z) fmpq_sub(x, y, z)
#define Q_MUL(x, y, z) fmpq_mul(x, y, z)
#define Q_MULSI(x, y, k) fmpq_mul_si(x, y, k)
#define Q_SET(x, y) fmpq_set(x, y)
#define Q_DIV2(x, y) fmpq_div_2exp(x, y, 1)

int
neft_onen_single_exact(neft_onen_exact_struct * layers, const neft_net_t net, const fmpq_t k1)
{
    const fmpq * cw = net->cw, * cb = net->cb;
    slong depth = net->depth;
    fmpq m_[5][4], c_[5][4], tmp[NTMP];
    fmpq * m[5], * c[5];
    fmpq * t = tmp, * u = tmp + 1, * chi = tmp + 2, * cw2 = tmp + 3,
        * cw3 = tmp + 4, * cw4 = tmp + 5, * r = tmp + 6, * r2 = tmp + 7, * r3 = tmp + 8,
        * a1 = tmp + 9, * a2 = tmp + 10, * a3 = tmp + 11, * V2 = tmp + 12,
        * V3 = tmp + 13, * nK = tmp + 14, * nV = tmp + 15, * nG1 = tmp + 16,
        * nv6 = tmp + 17, * nv8 = tmp + 18, * acc = tmp + 19, * mu = tmp + 20,
        * perp = tmp + 21, * Kp = tmp + 22, * nV1 = tmp + 24;
    slong l, p, b, j, num, den;
    int status = 0;

    if (!neft_onen_is_scale_invariant(net))
        return NEFT_UNSUPPORTED;
    for (p = 0; p < 5; p++)
    {
        for (b = 0; b < 4; b++)
        {
            fmpq_init(&m_[p][b]);
            fmpq_init(&c_[p][b]);
        }
        m[p] = m_[p];
        c[p] = c_[p];
    }
    for (j = 0; j < NTMP; j++)
        fmpq_init(tmp + j);

    neft_onen_exact_moment(perp, net, 0);
    fmpq_set(layers[0].K, k1);
    fmpq_zero(layers[0].V); fmpq_zero(layers[0].G1);
    fmpq_zero(layers[0].v6); fmpq_zero(layers[0].v8); fmpq_zero(layers[0].V1);
    for (l = 1; l <= depth; l++)
    {
        neft_onen_exact_struct * L = layers + l - 1;
        const fmpq * V = L->V, * G1 = L->G1, * v6 = L->v6, * v8 = L->v8, * V1 = L->V1;
        if (neft_interrupted())
        {
            status = NEFT_INTERRUPTED;
            break;
        }
        for (p = 1; p <= 4; p++)
            for (b = 0; b <= 4 - p; b++)
            {
                fmpq_zero(&m[p][b]);
                if (b > p)
                    continue;
                neft_onen_exact_moment(mu, net, p);
                for (j = 0; j < b; j++)
                    fmpq_mul_si(mu, mu, p - j);
                fmpq_pow_si(Kp, L->K, p - b);
                fmpq_mul(&m[p][b], mu, Kp);
            }
        CUMULANTS(fmpq, Q_ADD, Q_SUB, Q_MUL, Q_MULSI, Q_SET)
        _neft_onen_ratio_si(&num, &den, net, l);
        fmpq_set_si(r, num, den);
        STEP(Q_ADD, Q_SUB, Q_MUL, Q_MULSI, Q_SET, , , Q_DIV2)
        fmpq_set(L->chi_par, chi);
        fmpq_mul(L->chi_perp, cw, perp);
        if (l < depth)
        {
            fmpq_set(layers[l].K, nK);
            fmpq_set(layers[l].V, nV);
            fmpq_set(layers[l].G1, nG1);
            fmpq_set(layers[l].v6, nv6);
            fmpq_set(layers[l].v8, nv8);
            fmpq_set(layers[l].V1, nV1);
        }
    }
    for (p = 0; p < 5; p++)
        for (b = 0; b < 4; b++)
        {
            fmpq_clear(&m_[p][b]);
            fmpq_clear(&c_[p][b]);
        }
    for (j = 0; j < NTMP; j++)
        fmpq_clear(tmp + j);
    return status;
}

void
_neft_onen_cwcb_d(double * cw, double * cb, const neft_net_t net, slong prec)
{
    arb_t t;
    arb_init(t);
    neft_net_cw_arb(t, net, prec);
    *cw = arf_get_d(arb_midref(t), ARF_RND_UP);
    neft_net_cb_arb(t, net, prec);
    *cb = arf_get_d(arb_midref(t), ARF_RND_UP);
    arb_clear(t);
}

void
neft_onen_single_cost(double * ops, double * bytes, const neft_onen_params_t par, double k1)
{
    double A, B, C, K = k1, cw, cb, s;
    slong l, depth = FLINT_MAX(par->net->depth, 1);
    int bounded;

    _neft_onen_cwcb_d(&cw, &cb, par->net, par->prec);
    /* K^(l) from above: |sigma(z)| <= A + B |z|, so
       K^(l+1) <= C_b + C_W (A^2 + 2 A B sqrt(K) + B^2 K); without such a
       bound every moment is in closed form (GaussNet) and the cost does not
       depend on K */
    bounded = _neft_onen_act_bound(&A, &B, &C, par->net) == NEFT_SUCCESS;
    *ops = 0;
    for (l = 0; l < depth; l++)
    {
        double c = neft_onen_gauss_cost(par->net, K, par->prec) + 200 * _neft_cost_arb(par->prec);
        double next;
        if (!bounded)
        {
            *ops += c * (double) (depth - l);
            break;
        }
        s = sqrt(K);
        next = cb + cw * (A * A + 2 * A * B * s + B * B * K);
        if (!(next < 1e300))
            next = 1e300;
        /* the map K -> next is increasing, so the bounds are monotone from
           here on: when they stay where the cost no longer changes (below
           1e7 going down, beyond 3e9 going up, or converged), the remaining
           layers cost the same (cheap for any depth) */
        if ((next <= K && K <= 1e7) || (next >= K && K > 3e9) || fabs(next - K) <= 1e-12 * K)
        {
            *ops += c * (double) (depth - l);
            break;
        }
        *ops += c;
        K = next;
    }
    *bytes = (double) depth * (sizeof(neft_onen_layer_struct) + 7 * 2.0 * (double) par->prec / 8);
}

static double
qbits(const fmpq_t q)
{
    return (double) (fmpz_bits(fmpq_numref(q)) + fmpz_bits(fmpq_denref(q)));
}

void
neft_onen_single_exact_cost(double * ops, double * bytes, double * bits,
                            const neft_net_t net, const fmpq_t k1)
{
    const fmpq * cw = net->cw, * cb = net->cb;
    slong depth = net->depth;
    fmpq_t c;
    double B = 0, b0, wbits = 0, D = (double) FLINT_MAX(depth, 1), b;
    slong l;

    *ops = *bytes = *bits = 0;
    if (!neft_onen_is_scale_invariant(net))
        return;
    /* K^(l+1) = C_b + c K^(l), c = C_W mu_1 = p/q: numerator and denominator
       of K^(l) grow by about max(log2 |p|, log2 q) bits each per layer */
    fmpq_init(c);
    neft_onen_exact_moment(c, net, 1);
    fmpq_mul(c, c, cw);
    if (!fmpq_is_one(c) && !fmpq_is_zero(c))
        B = 2 * FLINT_MAX(fmpz_dlog(fmpq_numref(c)) / log(2.0) * (fmpz_sgn(fmpq_numref(c)) > 0),
                          fmpz_dlog(fmpq_denref(c)) / log(2.0)) + 1;
    fmpq_clear(c);
    for (l = 1; l < depth; l++)
        wbits = FLINT_MAX(wbits, (double) fmpz_bits(net->widths + l - 1));
    /* the fixed part: K^(1), C_b, the width ratios, V ~ l, v8 ~ l^3 */
    b0 = qbits(k1) + qbits(cb) + 2 * wbits + 4 * log2(D + 1) + 16;
    /* v8^(l) has b_l = 4 (l B + b0) bits; per layer 60 rational operations
       of 300 plus 4 (b_l / 64)^2 / 60 each (fitted to relu and leaky-relu
       runs up to 10^5 bits: the largest operands dominate): in closed form,
       sum_l (a l + e)^2 = a^2 S2 + 2 a e S1 + e^2 D */
    {
        double a = 4 * B / 64, e = 4 * b0 / 64;
        double S1 = D * (D + 1) / 2, S2 = D * (D + 1) * (2 * D + 1) / 6;
        *ops = 60 * 300 * D + 4 * (a * a * S2 + 2 * a * e * S1 + e * e * D);
    }
    b = 4 * (D * B + b0);
    *bits = b;
    /* 7 rationals per layer, about 12 (l B + b0) bits together, plus their headers */
    *bytes = D * 7 * 2 * 32 + 12 * (B * D * (D + 1) / 2 + b0 * D) / 8;
}
