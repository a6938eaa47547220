/* The four-point vertex and the O(1/n) kernel shift G1 of two inputs for
   every activation the Gaussian-expectation integrator can bound
   (neft/gaussexp.h), by rigorous 2-D integration (docs/onen.md, "Two
   inputs, any activation").

   With the pairs R = (00), (01), (11), f2_R = <sigma sigma>_R, f4_PQ =
   <sigma_P sigma_Q> (four factors), D_PR = d f2_P / dK_R and H_P,RS =
   d^2 f2_P / dK_R dK_S (K_01 = K_10 one variable), the step l -> l+1 is
     K'_P  = C_b + C_W f2_P
     V'_PQ = C_W^2 [f4_PQ - f2_P f2_Q + r sum_RS D_PR D_QS V_RS]
     G1'_P = r C_W [sum_R D_PR G1_R + (1/2) sum_RS H_P,RS V_RS]
   (r = n_l / n_{l-1}; the single-input recursions of src/onen/single.c on
   the diagonal).  The K-derivatives of the off-diagonal f2_01 are Gaussian
   expectations with polynomial weights (Price's theorem integrated by
   parts): with y = K^-1 z, c_R = 1/2 on the diagonal and 1 off it,
     d<F>/dK_ij          = c_ij <F (y_i y_j - Kinv_ij)>
     d^2<F>/dK_ij dK_kl  = c_ij c_kl <F h_ijkl(y)>,
   h_ijkl the fourth Hermite polynomial of covariance K; in the frame
   z_0 = a xi_1, z_1 = b xi_1 + c xi_2 the y are linear in xi.  The diagonal
   entries come from the single-input moments (neft_onen_gauss_eval). */

#include "neft/onen.h"
#include "neft/gaussexp.h"
#include "onen_private.h"
#include "../cost.h"

#define PD 4                  /* weight degree */
#define PN ((PD + 1) * (PD + 1))

static const int pa[3] = { 0, 0, 1 }, pb[3] = { 0, 1, 1 };

/* out = in * (al xi_1 + be xi_2) (degrees stay <= PD: the caller's) */
static void
pmul_lin(arb_ptr out, arb_srcptr in, const arb_t al, const arb_t be, slong prec)
{
    arb_ptr t = _arb_vec_init(PN);
    slong i, j;
    for (i = 0; i <= PD; i++)
        for (j = 0; i + j <= PD; j++)
        {
            arb_srcptr c = in + i * (PD + 1) + j;
            if (arb_is_zero(c))
                continue;
            if (i + j == PD)
            {
                /* never reached for the weights below (degree <= 4) */
                _arb_vec_indeterminate(t, PN);
                goto out;
            }
            arb_addmul(t + (i + 1) * (PD + 1) + j, c, al, prec);
            arb_addmul(t + i * (PD + 1) + j + 1, c, be, prec);
        }
out:
    _arb_vec_set(out, t, PN);
    _arb_vec_clear(t, PN);
}

/* w = h_I(y) for the index list I (length 2 or 4): the Hermite polynomial
   of covariance K, y_i = yl[i][0] xi_1 + yl[i][1] xi_2. */
static void
hermite_weight(arb_ptr w, const slong * I, slong len, arb_t yl[2][2], arb_t ki[2][2],
               slong prec)
{
    arb_ptr t = _arb_vec_init(PN);
    arb_t k;
    slong p, q, r, s, m, o[2];
    arb_init(k);
    _arb_vec_zero(w, PN);
    /* the product of all y */
    arb_one(t);
    for (m = 0; m < len; m++)
        pmul_lin(t, t, yl[I[m]][0], yl[I[m]][1], prec);
    _arb_vec_add(w, w, t, PN, prec);
    if (len == 2)
    {
        arb_sub(w, w, ki[I[0]][I[1]], prec);
    }
    else
    {
        /* - Kinv_pq y_r y_s over the 6 pairs {p, q}; + the 3 pairings */
        for (p = 0; p < 4; p++)
            for (q = p + 1; q < 4; q++)
            {
                for (r = 0, m = 0; r < 4; r++)
                    if (r != p && r != q)
                        o[m++] = r;
                _arb_vec_zero(t, PN);
                arb_neg(t, ki[I[p]][I[q]]);
                pmul_lin(t, t, yl[I[o[0]]][0], yl[I[o[0]]][1], prec);
                pmul_lin(t, t, yl[I[o[1]]][0], yl[I[o[1]]][1], prec);
                _arb_vec_add(w, w, t, PN, prec);
            }
        for (s = 1; s < 4; s++)
        {
            /* pair {0, s} with the other two */
            for (r = 1, m = 0; r < 4; r++)
                if (r != s)
                    o[m++] = r;
            arb_mul(k, ki[I[0]][I[s]], ki[I[o[0]]][I[o[1]]], prec);
            arb_add(w, w, k, prec);
        }
    }
    arb_clear(k);
    _arb_vec_clear(t, PN);
}

/* <sigma(z_0) sigma(z_1) W>, or <sigma_0^p sigma_1^(4-p)> (W NULL, four
   factors); 0 or -1 (not certified) */
static int
expect(arb_t res, const neft_net_t net, arb_srcptr u, slong p, arb_srcptr w, slong prec)
{
    arb_t par;
    arb_ptr v = _arb_vec_init(8);
    char err[256];
    slong a, n = w == NULL ? 4 : 2;
    int r;
    arb_init(par);
    if (net->act->nparams)
        neft_net_param_arb(par, net, prec);
    for (a = 0; a < n; a++)
    {
        slong which = w == NULL ? (a < p ? 0 : 1) : a;
        arb_set(v + 2 * a, u + 2 * which);
        arb_set(v + 2 * a + 1, u + 2 * which + 1);
    }
    if (w == NULL)
        r = neft_gaussexp_product(res, net->act, net->act->nparams ? par : NULL, 0, v, 4, 2,
                                  0, prec, err, sizeof err);
    else
        r = neft_gaussexp_poly(res, net->act, net->act->nparams ? par : NULL, 0, v, 2, 2,
                               w, PD, prec, err, sizeof err);
    arb_clear(par);
    _arb_vec_clear(v, 8);
    if ((r != NEFT_SUCCESS && r != NEFT_NO_CONVERGENCE) || !arb_is_finite(res))
    {
        arb_indeterminate(res);
        return -1;
    }
    return 0;
}

/* One layer's expectations at the 2 x 2 kernel K: f2[3], f4[3][3], D[3][3],
   H[3][3][3] (the off-diagonal D only when want_d, H only when want_h: out of
   layer 1, where V = G1 = 0, they are not needed, and K^(1) may be
   singular); k1 the inputs' K^(1) (GaussNet's shift).  0 or -1. */
/* the off-diagonal expectations of one layer, collected: item i is
   <sigma_0^p sigma_1^(4-p)> (p = fp[i] > 0) or <sigma_0 sigma_1 W_i> (fp[i] = 0,
   W_i = w + i PN), stored into dst[i] */
typedef struct
{
    slong n, fp[16];
    arb_ptr w;
    arb_struct * dst[16];
}
items_struct;

static void
item_add(items_struct * it, arb_struct * dst, slong p, arb_srcptr w)
{
    it->fp[it->n] = p;
    it->dst[it->n] = dst;
    if (w != NULL)
        _arb_vec_set(it->w + it->n * PN, w, PN);
    else
    {
        _arb_vec_zero(it->w + it->n * PN, PN);
        arb_one(it->w + it->n * PN);
    }
    it->n++;
}

/* every item by one 2-D rule (neft_gaussexp_grid_poly, GRID_GOAL bits): 0 or -1 */
#define GRID_GOAL 40
static int
items_grid(items_struct * it, const neft_net_t net, arb_srcptr u, slong prec)
{
    arb_t par;
    arb_ptr res = _arb_vec_init(it->n);
    slong pw[2 * 16], i;
    char err[256];
    int r;
    arb_init(par);
    if (net->act->nparams)
        neft_net_param_arb(par, net, prec);
    for (i = 0; i < it->n; i++)
    {
        pw[2 * i] = it->fp[i] > 0 ? it->fp[i] : 1;
        pw[2 * i + 1] = it->fp[i] > 0 ? 4 - it->fp[i] : 1;
    }
    r = neft_gaussexp_grid_poly(res, net->act, net->act->nparams ? par : NULL, u, 2, 2, pw,
                                it->n, it->w, PD, GRID_GOAL, NULL, err, sizeof err);
    for (i = 0; i < it->n; i++)
        if (r == NEFT_SUCCESS && arb_is_finite(res + i))
            arb_set(it->dst[i], res + i);
        else
        {
            arb_indeterminate(it->dst[i]);
            r = NEFT_FAILURE;
        }
    arb_clear(par);
    _arb_vec_clear(res, it->n);
    return r == NEFT_SUCCESS ? 0 : -1;
}

int
_neft_onen_vertex2_layer(arb_t f2[3], arb_t f4[3][3], arb_t D[3][3], arb_t H[3][3][3],
                   const neft_net_t net, arb_srcptr K, arb_srcptr k1, int want_d, int want_h,
                   int grid, slong prec)
{
    items_struct it;
    arb_t u[4], yl[2][2], ki[2][2], det, t;
    arb_ptr w = _arb_vec_init(PN);
    neft_onen_gauss_t g;
    slong a, R, S, P, Q, I[4];
    int st = 0;

    neft_onen_gauss_init(g);
    for (a = 0; a < 4; a++)
        arb_init(u[a]);
    for (a = 0; a < 4; a++)
    {
        arb_init(yl[a / 2][a % 2]);
        arb_init(ki[a / 2][a % 2]);
    }
    arb_init(det); arb_init(t);
    for (P = 0; P < 3; P++)
        for (Q = 0; Q < 3; Q++)
        {
            arb_zero(f4[P][Q]);
            arb_zero(D[P][Q]);
            for (R = 0; R < 3; R++)
                arb_zero(H[P][Q][R]);
        }

    /* the diagonal: single-input moments */
    for (a = 0; a < 2; a++)
    {
        slong Pd = 2 * a;   /* pair index (00) = 0, (11) = 2 */
        st |= neft_onen_gauss_eval(g, net, K + 3 * a, k1 + 3 * a, prec);
        arb_set(f2[Pd], &g->m[1][0]);
        arb_set(f4[Pd][Pd], &g->m[2][0]);
        arb_set(D[Pd][Pd], &g->m[1][1]);
        arb_set(H[Pd][Pd][Pd], &g->m[1][2]);
    }

    /* the frame z_0 = a xi_1, z_1 = b xi_1 + c xi_2 */
    arb_sqrtpos(u[0], K + 0, prec);
    arb_zero(u[1]);
    arb_div(u[2], K + 1, u[0], prec);
    arb_mul(det, K + 0, K + 3, prec);
    arb_submul(det, K + 1, K + 1, prec);
    arb_div(t, det, K + 0, prec);
    arb_sqrtpos(u[3], t, prec);
    /* y = U^-T xi: y_0 = xi_1/a - b xi_2/(a c), y_1 = xi_2/c */
    arb_inv(yl[0][0], u[0], prec);
    arb_mul(t, u[0], u[3], prec);
    arb_div(yl[0][1], u[2], t, prec);
    arb_neg(yl[0][1], yl[0][1]);
    arb_zero(yl[1][0]);
    arb_inv(yl[1][1], u[3], prec);
    arb_div(ki[0][0], K + 3, det, prec);
    arb_div(ki[1][1], K + 0, det, prec);
    arb_div(ki[0][1], K + 1, det, prec);
    arb_neg(ki[0][1], ki[0][1]);
    arb_set(ki[1][0], ki[0][1]);
    if (want_d && !arb_is_positive(det))
        st = -1;

    it.n = 0;
    it.w = _arb_vec_init(16 * PN);
    if (!st)
    {
        arb_ptr uv = _arb_vec_init(4);
        for (a = 0; a < 4; a++)
            arb_set(uv + a, u[a]);
        /* f2_01, the four factors <s0^3 s1>, <s0^2 s1^2>, <s0 s1^3> */
        item_add(&it, f2[1], 0, NULL);
        item_add(&it, f4[0][1], 3, NULL);
        item_add(&it, f4[0][2], 2, NULL);
        item_add(&it, f4[1][2], 1, NULL);
        /* D_01,R and H_01,RS */
        for (R = 0; R < 3 && want_d; R++)
        {
            I[0] = pa[R]; I[1] = pb[R];
            hermite_weight(w, I, 2, yl, ki, prec);
            if (pa[R] == pb[R])
                _arb_vec_scalar_mul_2exp_si(w, w, PN, -1);
            item_add(&it, D[1][R], 0, w);
            for (S = R; S < 3 && want_h; S++)
            {
                I[2] = pa[S]; I[3] = pb[S];
                hermite_weight(w, I, 4, yl, ki, prec);
                _arb_vec_scalar_mul_2exp_si(w, w, PN, -(pa[R] == pb[R]) - (pa[S] == pb[S]));
                item_add(&it, H[1][R][S], 0, w);
            }
        }
        if (grid)
            st |= items_grid(&it, net, uv, prec);
        else
            for (a = 0; a < it.n && !st; a++)
                st |= expect(it.dst[a], net, uv, it.fp[a], it.fp[a] ? NULL : it.w + a * PN,
                             prec);
        arb_set(f4[1][1], f4[0][2]);
        arb_set(f4[1][0], f4[0][1]);
        arb_set(f4[2][0], f4[0][2]);
        arb_set(f4[2][1], f4[1][2]);
        for (R = 0; R < 3; R++)
            for (S = R + 1; S < 3; S++)
                arb_set(H[1][S][R], H[1][R][S]);
        _arb_vec_clear(uv, 4);
    }
    _arb_vec_clear(it.w, 16 * PN);

    neft_onen_gauss_clear(g);
    for (a = 0; a < 4; a++)
        arb_clear(u[a]);
    for (a = 0; a < 4; a++)
    {
        arb_clear(yl[a / 2][a % 2]);
        arb_clear(ki[a / 2][a % 2]);
    }
    arb_clear(det); arb_clear(t);
    _arb_vec_clear(w, PN);
    return st ? -1 : 0;
}

int
_neft_onen_vertex2_g1_gen(arb_ptr kernels, arb_ptr vertex, arb_ptr g1,
                          const neft_onen_params_t par, const arb_srcptr x, slong d_in)
{
    slong prec = par->prec, depth = par->net->depth, l, P, Q, R, S, i;
    arb_t f2[3], f4[3][3], D[3][3], H[3][3][3], cw, cb, t, acc;
    int st = 0;

    for (P = 0; P < 3; P++)
    {
        arb_init(f2[P]);
        for (Q = 0; Q < 3; Q++)
        {
            arb_init(f4[P][Q]); arb_init(D[P][Q]);
            for (R = 0; R < 3; R++)
                arb_init(H[P][Q][R]);
        }
    }
    arb_init(cw); arb_init(cb); arb_init(t); arb_init(acc);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    _neft_onen_kernel1(kernels, x, 2, d_in, cw, cb, prec);
    _arb_vec_zero(vertex, 9);
    if (g1 != NULL)
        _arb_vec_zero(g1, 4);

    for (l = 1; l < depth && !st; l++)
    {
        slong num = 1, den = 1;
        arb_srcptr K = kernels + 4 * (l - 1), V = vertex + 9 * (l - 1);
        arb_srcptr G = g1 != NULL ? g1 + 4 * (l - 1) : NULL;
        if (neft_interrupted()
            || _neft_onen_vertex2_layer(f2, f4, D, H, par->net, K, kernels, l > 1, g1 != NULL, 0,
                                  prec) != 0)
        {
            st = -1;
            break;
        }
        _neft_onen_ratio_si(&num, &den, par->net, l);
        for (P = 0; P < 3; P++)
        {
            arb_ptr kn = kernels + 4 * l;
            arb_mul(kn + 2 * pa[P] + pb[P], f2[P], cw, prec);
            arb_add(kn + 2 * pa[P] + pb[P], kn + 2 * pa[P] + pb[P], cb, prec);
            for (Q = 0; Q < 3; Q++)
            {
                arb_zero(acc);
                for (R = 0; R < 3; R++)
                    for (S = 0; S < 3; S++)
                    {
                        arb_mul(t, D[P][R], D[Q][S], prec);
                        arb_addmul(acc, t, V + 3 * R + S, prec);
                    }
                arb_mul_si(acc, acc, num, prec);
                arb_div_si(acc, acc, den, prec);
                arb_add(acc, acc, f4[P][Q], prec);
                arb_submul(acc, f2[P], f2[Q], prec);
                arb_mul(acc, acc, cw, prec);
                arb_mul(vertex + 9 * l + 3 * P + Q, acc, cw, prec);
            }
            if (G != NULL)
            {
                /* G1 as a 2 x 2 matrix: pair R sits at (pa, pb) */
                arb_zero(acc);
                for (R = 0; R < 3; R++)
                {
                    arb_addmul(acc, D[P][R], G + 2 * pa[R] + pb[R], prec);
                    for (S = 0; S < 3; S++)
                    {
                        arb_mul(t, H[P][R][S], V + 3 * R + S, prec);
                        arb_mul_2exp_si(t, t, -1);
                        arb_add(acc, acc, t, prec);
                    }
                }
                arb_mul(acc, acc, cw, prec);
                arb_mul_si(acc, acc, num, prec);
                arb_div_si(acc, acc, den, prec);
                arb_set(g1 + 4 * l + 2 * pa[P] + pb[P], acc);
            }
        }
        arb_set(kernels + 4 * l + 2, kernels + 4 * l + 1);
        if (g1 != NULL)
            arb_set(g1 + 4 * l + 2, g1 + 4 * l + 1);
    }
    if (st)
    {
        for (i = 0; i < 4 * depth; i++)
        {
            arb_indeterminate(kernels + i);
            if (g1 != NULL)
                arb_indeterminate(g1 + i);
        }
        _arb_vec_indeterminate(vertex, 9 * depth);
    }
    for (P = 0; P < 3; P++)
    {
        arb_clear(f2[P]);
        for (Q = 0; Q < 3; Q++)
        {
            arb_clear(f4[P][Q]); arb_clear(D[P][Q]);
            for (R = 0; R < 3; R++)
                arb_clear(H[P][Q][R]);
        }
    }
    arb_clear(cw); arb_clear(cb); arb_clear(t); arb_clear(acc);
    return st;
}

int
_neft_onen_vertex2_gen(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                       const arb_srcptr x, slong d_in)
{
    return _neft_onen_vertex2_g1_gen(kernels, vertex, NULL, par, x, d_in);
}

int
neft_onen_vertex2_g1(arb_ptr kernels, arb_ptr vertex, arb_ptr g1,
                     const neft_onen_params_t par, const arb_srcptr x, slong d_in)
{
    char err[256];
    slong depth = par->net->depth;
    const onen_row_struct * row = _neft_onen_row(par->net);
    if (row == NULL || neft_onen_check_depth(par->net, NULL) != NEFT_SUCCESS
        || !neft_gaussexp_supported(par->net->act, 0, err, sizeof err))
    {
        _arb_vec_indeterminate(kernels, 4 * depth);
        _arb_vec_indeterminate(vertex, 9 * depth);
        _arb_vec_indeterminate(g1, 4 * depth);
        return NEFT_UNSUPPORTED;
    }
    return _neft_onen_vertex2_g1_gen(kernels, vertex, g1, par, x, d_in);
}

double
_neft_onen_vertex2_gen_cost(const neft_onen_params_t par)
{
    double sc = _neft_onen_row(par->net) != NULL
        && _neft_onen_row(par->net)->sigma_cost == ONEN_SIGMA_TANH ? 40 : 20;
    /* per layer: 10 weighted two-factor and 3 four-factor integrals (4 without G1) */
    return (double) par->net->depth
        * (10 * neft_gaussexp_cost(2, 2, par->net->act->parity, sc, par->prec)
           + 3 * neft_gaussexp_cost(4, 2, par->net->act->parity, sc, par->prec));
}
