/* The four-point vertex V_(ab)(cd) and the O(1/n) kernel shift G1_ab of any
   number of inputs (docs/onen.md, "Any number of inputs").

   The pair expectation f2_ab = <sigma_a sigma_b> depends only on the 2 x 2
   kernel of a and b, so its K-derivatives D_ab,R and H_ab,RS are nonzero only
   for R, S among the pairs (aa), (ab), (bb): the multi-input recursion
     K'_ab       = C_b + C_W f2_ab
     V'_(ab)(cd) = C_W^2 [f4_abcd - f2_ab f2_cd
                          + r sum_{R in ab} sum_{S in cd} D_ab,R D_cd,S V_RS]
     G1'_ab      = r C_W [sum_{R in ab} D_ab,R G1_R
                          + (1/2) sum_{R, S in ab} H_ab,RS V_RS]
   (r = n_l / n_{l-1}) needs, beyond the two-input quantities of
   src/onen/vertex2_gen.c (_neft_onen_vertex2_layer, for every pair of
   inputs), only the four-factor expectations f4 of three and four distinct
   inputs: rigorous 3- and 4-dimensional Gaussian rules (neft_gaussexp_grid)
   on a triangular factor of the kernel (Cholesky at layers >= 2, the inputs
   themselves at layer 1 where the kernel has rank d_in + 1).  Equal inputs
   are one input (so coinciding inputs reproduce the two-input vertex
   exactly); every expectation is computed once per layer and shared by all
   the index quadruples.  GaussNet (gauss, one hidden layer) has every f2 and
   f4 in closed form (src/onen/gaussnet.c), and G1 = 0 (V^(1) = G1^(1) = 0). */

#include <stdio.h>
#include <string.h>
#include "neft/onen.h"
#include "neft/gaussexp.h"
#include "onen_private.h"

#define GOAL3 30   /* 3-D rule: absolute error <= 2^-30 sup^4 */
#define GOAL4 20   /* 4-D rule: 2^-20 sup^4 (about 1e-6; 1e7 nodes for tanh) */

typedef struct
{
    arb_t f2[3], f4[3][3], D[3][3], H[3][3][3];
}
pair_struct;

/* the progress callback's state: work per pair, triple, quadruple (the cost model) */
typedef struct
{
    void (*fn)(void * arg, double done, double total);
    void * arg;
    double done, total, w2, w3, w4;
}
prog_struct;

static void
prog_step(prog_struct * g, double w)
{
    g->done += w;
    if (g->fn != NULL)
        g->fn(g->arg, g->done, g->total);
}

static void
prog_weights(prog_struct * g, const neft_onen_params_t par)
{
    const onen_row_struct * row = _neft_onen_row(par->net);
    if (row != NULL && row->vertex2 == _neft_onen_vertex2_gauss)
        g->w2 = g->w3 = g->w4 = 1e3;
    else if (row != NULL && row->pl != ONEN_PL_NONE)
    {
        g->w2 = 1e4;
        g->w3 = 1e5;
        g->w4 = 2e8;
    }
    else
    {
        g->w2 = _neft_onen_vertex2_gen_cost(par) / (double) par->net->depth;
        g->w3 = 7e5 * 3 * 1e3;
        g->w4 = 2e7 * 1.5 * 1e3;
    }
}

typedef struct
{
    slong Q;
    pair_struct * pr;    /* pr[i Q + j], i < j */
    arb_ptr f4;          /* Q^4, symmetric */
}
layer_struct;

#define I4(Q, a, b, c, d) ((((a) * (Q) + (b)) * (Q) + (c)) * (Q) + (d))

/* the pair-view of (a, b): its f2, its pairs R (class pairs) and D_ab,R, H_ab,RS */
typedef struct
{
    slong n, r[3][2];
    arb_srcptr f2, D[3], H[3][3];
}
pview;

static void
view(pview * v, const layer_struct * L, slong a, slong b)
{
    slong Q = L->Q, R, S;
    if (a == b)
    {
        /* the diagonal from a pair containing a (the same single-input moments) */
        slong o = a == 0 ? 1 : 0, pos = a < o ? 0 : 2;
        const pair_struct * p = L->pr + (a < o ? a * Q + o : o * Q + a);
        v->n = 1;
        v->r[0][0] = v->r[0][1] = a;
        v->f2 = p->f2[pos];
        v->D[0] = p->D[pos][pos];
        v->H[0][0] = p->H[pos][pos][pos];
        return;
    }
    if (a > b)
    {
        slong t = a;
        a = b;
        b = t;
    }
    {
        const pair_struct * p = L->pr + a * Q + b;
        v->n = 3;
        v->r[0][0] = a; v->r[0][1] = a;
        v->r[1][0] = a; v->r[1][1] = b;
        v->r[2][0] = b; v->r[2][1] = b;
        v->f2 = p->f2[1];
        for (R = 0; R < 3; R++)
        {
            v->D[R] = p->D[1][R];
            for (S = 0; S < 3; S++)
                v->H[R][S] = p->H[1][R][S];
        }
    }
}

/* the factor rows of the classes cls[0..s-1] (s x D balls) for the grid:
   at layer 1 the inputs (sqrt C_b, sqrt(C_W / d_in) x), D = d_in + 1; else
   the Cholesky factor of the s x s kernel, D = s.  0, or -1 when the kernel
   is not certainly positive definite. */
int
_neft_onen_vertex4_factor(arb_ptr u, slong * D, const slong * cls, slong s, arb_srcptr K,
                          slong Q, int first, arb_srcptr xc, slong d_in, const arb_t cw,
                          const arb_t cb, slong prec)
{
    slong i, j, k;
    arb_t t, sc;
    int st = 0;
    arb_init(t); arb_init(sc);
    if (first && d_in + 1 <= 4)
    {
        *D = d_in + 1;
        arb_div_si(sc, cw, d_in, prec);
        arb_sqrtpos(sc, sc, prec);
        arb_sqrtpos(t, cb, prec);
        for (i = 0; i < s; i++)
        {
            arb_set(u + i * (d_in + 1), t);
            for (k = 0; k < d_in; k++)
                arb_mul(u + i * (d_in + 1) + 1 + k, xc + cls[i] * d_in + k, sc, prec);
        }
    }
    else
    {
        *D = s;
        _arb_vec_zero(u, s * s);
        for (i = 0; i < s && !st; i++)
            for (j = 0; j <= i; j++)
            {
                arb_set(t, K + cls[i] * Q + cls[j]);
                for (k = 0; k < j; k++)
                    arb_submul(t, u + i * s + k, u + j * s + k, prec);
                if (i == j)
                {
                    if (!arb_is_positive(t))
                    {
                        st = -1;
                        break;
                    }
                    arb_sqrt(u + i * s + i, t, prec);
                }
                else
                    arb_div(u + i * s + j, t, u + j * s + j, prec);
            }
    }
    arb_clear(t); arb_clear(sc);
    return st;
}

/* f4 of every multiset of classes with 3 or 4 distinct members */
/* every ordering of the multiset idx[0..3] gets val */
static void
f4_store(layer_struct * L, const slong * idx, const arb_t val)
{
    slong Q = L->Q, p0, p1, p2, p3;
    for (p0 = 0; p0 < 4; p0++)
        for (p1 = 0; p1 < 4; p1++)
            for (p2 = 0; p2 < 4; p2++)
                for (p3 = 0; p3 < 4; p3++)
                    if (p0 != p1 && p0 != p2 && p0 != p3 && p1 != p2 && p1 != p3 && p2 != p3)
                        arb_set(L->f4 + I4(Q, idx[p0], idx[p1], idx[p2], idx[p3]), val);
}

/* the piecewise-linear rows (relu, leaky-relu, linear): f4 of the classes
   c[0..s-1] from their s x s kernel by Stein's identity and orthant
   probabilities (neft_gaussexp_pwlin; any rank, so layer 1 too).
   0, -1 (not certified: err) or -2 (interrupted). */
static int
pwlin_f4(layer_struct * L, arb_srcptr K, const slong * c, slong s, const arb_t slope,
         slong prec, char * err, size_t errsize)
{
    slong Q = L->Q, i, j, k, idx[4], pw[4];
    arb_ptr Ks = _arb_vec_init(s * s);
    arb_t v;
    int r = NEFT_SUCCESS;
    arb_init(v);
    for (i = 0; i < s; i++)
        for (j = 0; j < s; j++)
            arb_set(Ks + i * s + j, K + c[i] * Q + c[j]);
    for (i = 0; i < (s == 3 ? 3 : 1) && r == NEFT_SUCCESS; i++)
    {
        slong m = 0;
        for (j = 0; j < s; j++)
        {
            pw[j] = s == 3 ? 1 + (j == i) : 1;
            for (k = 0; k < pw[j]; k++)
                idx[m++] = c[j];
        }
        r = neft_gaussexp_pwlin(v, slope, Ks, s, pw, prec, err, errsize);
        if (r == NEFT_SUCCESS)
            f4_store(L, idx, v);
    }
    arb_clear(v);
    _arb_vec_clear(Ks, s * s);
    return r == NEFT_SUCCESS ? 0 : r == NEFT_INTERRUPTED ? -2 : -1;
}

/* layer 1 of a piecewise-linear row, four classes c[0..3], the inputs'
   augmented vectors (1, x) (x alone when C_b = 0) of dimension d_in + (C_b
   != 0) <= 3 (a singular 4 x 4 kernel): f4 on their span
   (neft_gaussexp_pwlin_rows).  0, -1 or -2. */
static int
rows_f4(layer_struct * L, const slong * c, arb_srcptr xc, slong d_in, const arb_t cw,
        const arb_t cb, const arb_t slope, slong prec, char * err, size_t errsize)
{
    slong o = !arb_is_zero(cb), D = d_in + o, a, k;
    arb_ptr X = _arb_vec_init(4 * D), g = _arb_vec_init(D);
    arb_t v;
    int r;
    arb_init(v);
    if (o)
        arb_set(g, cb);
    for (k = o; k < D; k++)
        arb_div_si(g + k, cw, d_in, prec);
    for (a = 0; a < 4; a++)
    {
        if (o)
            arb_one(X + a * D);
        for (k = 0; k < d_in; k++)
            arb_set(X + a * D + o + k, xc + c[a] * d_in + k);
    }
    r = neft_gaussexp_pwlin_rows(v, slope, X, g, 4, D, prec, err, errsize);
    if (r == NEFT_SUCCESS)
        f4_store(L, c, v);
    arb_clear(v);
    _arb_vec_clear(X, 4 * D);
    _arb_vec_clear(g, D);
    return r == NEFT_SUCCESS ? 0 : r == NEFT_INTERRUPTED ? -2 : -1;
}

/* GaussNet: f4 of the classes c[0..s-1] from the Q x Q layer-1 kernel K,
   exact (E[prod exp(z_i - k_i)] = exp((1/2) sum K_ij - sum k_i)).  0. */
static int
gauss_f4(layer_struct * L, arb_srcptr K, const slong * c, slong s, slong prec)
{
    slong i, j, m, idx[4];
    arb_t v;
    arb_init(v);
    for (i = 0; i < (s == 3 ? 3 : 1); i++)
    {
        for (j = 0, m = 0; j < s; j++)
        {
            idx[m++] = c[j];
            if (s == 3 && j == i)
                idx[m++] = c[j];
        }
        _neft_onen_gauss_expect(v, K, L->Q, idx, 4, prec);
        f4_store(L, idx, v);
    }
    arb_clear(v);
    return 0;
}

static int
grid_f4(layer_struct * L, const neft_net_t net, arb_srcptr K, int first, arb_srcptr xc,
        slong d_in, const arb_t cw, const arb_t cb, slong prec, prog_struct * prog,
        char * err, size_t errsize)
{
    slong Q = L->Q, c[4], s, i, D;
    arb_ptr u = _arb_vec_init(16 + 4 * 4), res = _arb_vec_init(3);
    arb_t par, slope_b;
    arb_srcptr slope = NULL;
    const onen_row_struct * row = _neft_onen_row(net);
    int st = 0, gauss = row != NULL && row->vertex2 == _neft_onen_vertex2_gauss;
    arb_init(par);
    arb_init(slope_b);
    if (net->act->nparams)
        neft_net_param_arb(par, net, prec);
    if (row != NULL && row->pl != ONEN_PL_NONE)
    {
        /* sigma(z) = z (z > 0), slope z (z < 0) */
        if (row->pl == ONEN_PL_PARAM)
            arb_set_fmpq(slope_b, net->param, prec);
        else
            arb_set_ui(slope_b, row->pl == ONEN_PL_ONE ? 1 : 0);
        slope = slope_b;
    }
    for (s = 3; s <= 4 && !st; s++)
        for (c[0] = 0; c[0] < Q && !st; c[0]++)
            for (c[1] = c[0] + 1; c[1] < Q && !st; c[1]++)
                for (c[2] = c[1] + 1; c[2] < Q && !st; c[2]++)
                    for (c[3] = s == 3 ? Q : c[2] + 1; c[3] < Q + (s == 3) && !st; c[3]++)
                    {
                        slong pw[9], np, r;
                        if (gauss)
                        {
                            /* GaussNet (one hidden layer: K is layer 1's) in closed form */
                            st = gauss_f4(L, K, c, s, prec);
                            prog_step(prog, s == 3 ? prog->w3 : prog->w4);
                            continue;
                        }
                        if (slope != NULL)
                        {
                            /* layer 1, four inputs, d_in + (C_b != 0) <= 3: the kernel
                               is singular, the span's rule is exact */
                            if (first && s == 4 && d_in + !arb_is_zero(cb) <= 3)
                                st = rows_f4(L, c, xc, d_in, cw, cb, slope, prec, err,
                                             errsize);
                            else
                                st = pwlin_f4(L, K, c, s, slope, prec, err, errsize);
                            prog_step(prog, s == 3 ? prog->w3 : prog->w4);
                            continue;
                        }
                        if (_neft_onen_vertex4_factor(u, &D, c, s, K, Q, first, xc, d_in, cw, cb, prec))
                        {
                            snprintf(err, errsize, "the kernel of inputs %ld, %ld, %ld%s is "
                                     "not certainly positive definite", (long) c[0],
                                     (long) c[1], (long) c[2], s == 4 ? ", .." : "");
                            st = -1;
                            break;
                        }
                        if (s == 3)
                        {
                            slong p3[9] = { 2, 1, 1,  1, 2, 1,  1, 1, 2 };
                            memcpy(pw, p3, sizeof p3);
                            np = 3;
                        }
                        else
                        {
                            pw[0] = pw[1] = pw[2] = pw[3] = 1;
                            np = 1;
                        }
                        r = neft_gaussexp_grid(res, net->act, net->act->nparams ? par : NULL,
                                               u, s, D, pw, np, s == 3 ? GOAL3 : GOAL4, NULL,
                                               err, errsize);
                        if (r != NEFT_SUCCESS)
                        {
                            st = r == NEFT_INTERRUPTED ? -2 : -1;
                            break;
                        }
                        prog_step(prog, s == 3 ? prog->w3 : prog->w4);
                        for (i = 0; i < np; i++)
                        {
                            /* the multiset as 4 classes, then every ordering */
                            slong idx[4], m = 0, j, p0, p1, p2, p3;
                            for (j = 0; j < s; j++)
                            {
                                slong e;
                                for (e = 0; e < pw[i * s + j]; e++)
                                    idx[m++] = c[j];
                            }
                            for (p0 = 0; p0 < 4; p0++)
                                for (p1 = 0; p1 < 4; p1++)
                                    for (p2 = 0; p2 < 4; p2++)
                                        for (p3 = 0; p3 < 4; p3++)
                                            if (p0 != p1 && p0 != p2 && p0 != p3 && p1 != p2
                                                && p1 != p3 && p2 != p3)
                                                arb_set(L->f4 + I4(Q, idx[p0], idx[p1], idx[p2],
                                                                   idx[p3]), res + i);
                        }
                    }
    arb_clear(par);
    arb_clear(slope_b);
    _arb_vec_clear(u, 16 + 4 * 4);
    _arb_vec_clear(res, 3);
    return st;
}

/* f4 of a multiset with at most two distinct classes, from the pair data */
static arb_srcptr
f4_pair(const layer_struct * L, slong a, slong b, slong c, slong d)
{
    slong idx[4] = { a, b, c, d }, lo = a, hi = a, k, nlo = 0, Q = L->Q;
    for (k = 0; k < 4; k++)
    {
        lo = FLINT_MIN(lo, idx[k]);
        hi = FLINT_MAX(hi, idx[k]);
    }
    for (k = 0; k < 4; k++)
        nlo += idx[k] == lo;
    if (lo == hi)
    {
        slong o = lo == 0 ? 1 : 0, pos = lo < o ? 0 : 2;
        return L->pr[lo < o ? lo * Q + o : o * Q + lo].f4[pos][pos];
    }
    /* <s_lo^nlo s_hi^(4 - nlo)>: f4[0][1] = <s0^3 s1>, [0][2] = <s0^2 s1^2>, [1][2] = <s0 s1^3> */
    {
        const pair_struct * p = L->pr + lo * Q + hi;
        return nlo == 3 ? p->f4[0][1] : nlo == 2 ? p->f4[0][2] : p->f4[1][2];
    }
}

static slong
ndistinct(slong a, slong b, slong c, slong d)
{
    slong n = 1;
    n += b != a;
    n += c != a && c != b;
    n += d != a && d != b && d != c;
    return n;
}

int
neft_onen_vertex_g1(arb_ptr kernels, arb_ptr vertex, arb_ptr g1, const neft_onen_params_t par,
                    arb_srcptr x, slong P, slong d_in, char * err, size_t errsize)
{
    const neft_net_struct * net = par->net;
    slong prec = par->prec, depth = net->depth, Q = 0, l, a, b, c, d, i, k, R, S;
    slong * cls = flint_malloc(sizeof(slong) * P), * rep = flint_malloc(sizeof(slong) * P);
    slong Q2, Q4;
    arb_ptr xc, KQ, VQ, GQ, Kc, Vc;
    layer_struct L;
    prog_struct prog;
    const onen_row_struct * row = _neft_onen_row(par->net);
    arb_t cw, cb, t, acc, slope;
    int st = 0, gauss = row != NULL && row->vertex2 == _neft_onen_vertex2_gauss;

    err[0] = '\0';
    if (_neft_onen_row(par->net) == NULL || neft_onen_check_depth(par->net, NULL) != NEFT_SUCCESS
        || (_neft_onen_row(par->net)->pl == ONEN_PL_NONE && !gauss
            && !neft_gaussexp_supported(net->act, 0, err, errsize)))
    {
        if (err[0] == '\0')
            snprintf(err, errsize, "%s: no kernel recursion for this net", net->act->name);
        flint_free(cls); flint_free(rep);
        _arb_vec_indeterminate(kernels, depth * P * P);
        _arb_vec_indeterminate(vertex, depth * P * P * P * P);
        if (g1 != NULL)
            _arb_vec_indeterminate(g1, depth * P * P);
        return NEFT_UNSUPPORTED;
    }
    /* the classes of equal inputs */
    for (a = 0; a < P; a++)
    {
        cls[a] = -1;
        for (b = 0; b < Q && cls[a] < 0; b++)
        {
            int eq = 1;
            for (k = 0; k < d_in; k++)
                eq = eq && arb_equal(x + a * d_in + k, x + rep[b] * d_in + k);
            if (eq)
                cls[a] = b;
        }
        if (cls[a] < 0)
        {
            rep[Q] = a;
            cls[a] = Q++;
        }
    }
    if (Q < 2)
    {
        /* one distinct input: a second, distinct copy is not needed; refuse */
        snprintf(err, errsize, "all inputs are equal: use the single-input vertex");
        flint_free(cls); flint_free(rep);
        _arb_vec_indeterminate(kernels, depth * P * P);
        _arb_vec_indeterminate(vertex, depth * P * P * P * P);
        if (g1 != NULL)
            _arb_vec_indeterminate(g1, depth * P * P);
        return NEFT_UNSUPPORTED;
    }
    if (Q >= 3 && _neft_onen_row(par->net)->pl == ONEN_PL_NONE && !gauss
        && !neft_gaussexp_grid_applies(net->act, err, errsize))
    {
        /* relu, leaky-relu, linear (kinks) and gelu, silu, softplus (unbounded):
           no rigorous rule for three or more distinct inputs yet */
        flint_free(cls); flint_free(rep);
        _arb_vec_indeterminate(kernels, depth * P * P);
        _arb_vec_indeterminate(vertex, depth * P * P * P * P);
        if (g1 != NULL)
            _arb_vec_indeterminate(g1, depth * P * P);
        return NEFT_UNSUPPORTED;
    }
    Q2 = Q * Q;
    Q4 = Q2 * Q2;
    xc = _arb_vec_init(Q * d_in);
    for (a = 0; a < Q; a++)
        for (k = 0; k < d_in; k++)
            arb_set(xc + a * d_in + k, x + rep[a] * d_in + k);
    KQ = _arb_vec_init(depth * Q2);
    VQ = _arb_vec_init(depth * Q4);
    GQ = _arb_vec_init(depth * Q2);
    L.Q = Q;
    L.pr = flint_malloc(sizeof(pair_struct) * Q2);
    for (i = 0; i < Q2; i++)
    {
        pair_struct * p = L.pr + i;
        for (a = 0; a < 3; a++)
        {
            arb_init(p->f2[a]);
            for (b = 0; b < 3; b++)
            {
                arb_init(p->f4[a][b]); arb_init(p->D[a][b]);
                for (c = 0; c < 3; c++)
                    arb_init(p->H[a][b][c]);
            }
        }
    }
    L.f4 = _arb_vec_init(Q4);
    arb_init(cw); arb_init(cb); arb_init(t); arb_init(acc);
    arb_init(slope);
    if (row->pl == ONEN_PL_PARAM)
        arb_set_fmpq(slope, net->param, prec);
    else
        arb_set_ui(slope, row->pl == ONEN_PL_ONE ? 1 : 0);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    _neft_onen_kernel1(KQ, xc, Q, d_in, cw, cb, prec);
    prog.fn = par->progress;
    prog.arg = par->progress_arg;
    prog.done = 0;
    prog_weights(&prog, par);
    {
        double q = (double) Q, pairs = q * (q - 1) / 2, triples = pairs * (q - 2) / 3,
            quads = triples * (q - 3) / 4;
        prog.total = (double) (depth - 1) * (pairs * prog.w2 + triples * prog.w3
                                             + quads * prog.w4);
    }

    for (l = 1; l < depth && !st; l++)
    {
        slong num = 1, den = 1;
        arb_srcptr K = KQ + Q2 * (l - 1), V = VQ + Q4 * (l - 1), G = GQ + Q2 * (l - 1);
        arb_ptr Kn = KQ + Q2 * l, Vn = VQ + Q4 * l, Gn = GQ + Q2 * l;
        pview va, vb;

        /* the pairs */
        for (a = 0; a < Q && !st; a++)
            for (b = a + 1; b < Q && !st; b++)
            {
                arb_ptr K2 = _arb_vec_init(4), k12 = _arb_vec_init(4);
                pair_struct * p = L.pr + a * Q + b;
                arb_set(K2 + 0, K + a * Q + a); arb_set(K2 + 1, K + a * Q + b);
                arb_set(K2 + 2, K + a * Q + b); arb_set(K2 + 3, K + b * Q + b);
                arb_set(k12 + 0, KQ + a * Q + a); arb_set(k12 + 1, KQ + a * Q + b);
                arb_set(k12 + 2, KQ + a * Q + b); arb_set(k12 + 3, KQ + b * Q + b);
                if (neft_interrupted())
                {
                    snprintf(err, errsize, "interrupted");
                    st = -2;
                }
                else if (gauss)
                    _neft_onen_vertex4_gauss_pair(p->f2, p->f4, p->D, p->H, K2, prec);
                else if (row->pl != ONEN_PL_NONE)
                {
                    if (_neft_onen_vertex4_pl_pair(p->f2, p->f4, p->D, p->H, slope, K2,
                                                   g1 != NULL && l > 1, prec, err, errsize))
                        st = -1;
                }
                else if (_neft_onen_vertex2_layer(p->f2, p->f4, p->D, p->H, par->net, K2, k12,
                                                  l > 1, g1 != NULL && l > 1, Q >= 3, prec)
                         != 0)
                {
                    if (neft_interrupted())
                    {
                        snprintf(err, errsize, "interrupted");
                        st = -2;
                    }
                    else
                    {
                        snprintf(err, errsize, "a two-input expectation of inputs %ld, %ld "
                                 "at layer %ld is not certified", (long) rep[a],
                                 (long) rep[b], (long) l);
                        st = -1;
                    }
                }
                _arb_vec_clear(K2, 4); _arb_vec_clear(k12, 4);
                prog_step(&prog, prog.w2);
            }
        /* three and four distinct inputs */
        if (!st && Q >= 3)
            st = grid_f4(&L, par->net, K, l == 1, xc, d_in, cw, cb, prec, &prog, err, errsize);
        if (st)
            break;
        _neft_onen_ratio_si(&num, &den, par->net, l);
        for (a = 0; a < Q; a++)
            for (b = a; b < Q; b++)
            {
                view(&va, &L, a, b);
                arb_mul(Kn + a * Q + b, va.f2, cw, prec);
                arb_add(Kn + a * Q + b, Kn + a * Q + b, cb, prec);
                arb_set(Kn + b * Q + a, Kn + a * Q + b);
                /* G1 */
                arb_zero(acc);
                if (l > 1 && g1 != NULL)
                    for (R = 0; R < va.n; R++)
                    {
                        arb_addmul(acc, va.D[R], G + va.r[R][0] * Q + va.r[R][1], prec);
                        for (S = 0; S < va.n; S++)
                        {
                            arb_mul(t, va.H[R][S],
                                    V + I4(Q, va.r[R][0], va.r[R][1], va.r[S][0], va.r[S][1]),
                                    prec);
                            arb_mul_2exp_si(t, t, -1);
                            arb_add(acc, acc, t, prec);
                        }
                    }
                arb_mul(acc, acc, cw, prec);
                arb_mul_si(acc, acc, num, prec);
                arb_div_si(acc, acc, den, prec);
                arb_set(Gn + a * Q + b, acc);
                arb_set(Gn + b * Q + a, acc);
                /* V over (cd) >= (ab) */
                for (c = a; c < Q; c++)
                    for (d = c == a ? b : c; d < Q; d++)
                    {
                        view(&vb, &L, c, d);
                        arb_zero(acc);
                        if (l > 1)
                            for (R = 0; R < va.n; R++)
                                for (S = 0; S < vb.n; S++)
                                {
                                    arb_mul(t, va.D[R], vb.D[S], prec);
                                    arb_addmul(acc, t, V + I4(Q, va.r[R][0], va.r[R][1],
                                                              vb.r[S][0], vb.r[S][1]), prec);
                                }
                        arb_mul_si(acc, acc, num, prec);
                        arb_div_si(acc, acc, den, prec);
                        arb_add(acc, acc, ndistinct(a, b, c, d) <= 2 ? f4_pair(&L, a, b, c, d)
                                : L.f4 + I4(Q, a, b, c, d), prec);
                        arb_submul(acc, va.f2, vb.f2, prec);
                        arb_mul(acc, acc, cw, prec);
                        arb_mul(acc, acc, cw, prec);
                        arb_set(Vn + I4(Q, a, b, c, d), acc);
                        arb_set(Vn + I4(Q, b, a, c, d), acc);
                        arb_set(Vn + I4(Q, a, b, d, c), acc);
                        arb_set(Vn + I4(Q, b, a, d, c), acc);
                        arb_set(Vn + I4(Q, c, d, a, b), acc);
                        arb_set(Vn + I4(Q, d, c, a, b), acc);
                        arb_set(Vn + I4(Q, c, d, b, a), acc);
                        arb_set(Vn + I4(Q, d, c, b, a), acc);
                    }
            }
    }
    /* back to the P inputs */
    for (l = 0; l < depth; l++)
    {
        Kc = KQ + Q2 * l;
        Vc = VQ + Q4 * l;
        for (a = 0; a < P; a++)
            for (b = 0; b < P; b++)
            {
                arb_set(kernels + l * P * P + a * P + b, Kc + cls[a] * Q + cls[b]);
                if (g1 != NULL)
                    arb_set(g1 + l * P * P + a * P + b, GQ + Q2 * l + cls[a] * Q + cls[b]);
                for (c = 0; c < P; c++)
                    for (d = 0; d < P; d++)
                        arb_set(vertex + l * P * P * P * P + I4(P, a, b, c, d),
                                Vc + I4(Q, cls[a], cls[b], cls[c], cls[d]));
            }
    }
    if (st)
    {
        _arb_vec_indeterminate(kernels, depth * P * P);
        _arb_vec_indeterminate(vertex, depth * P * P * P * P);
        if (g1 != NULL)
            _arb_vec_indeterminate(g1, depth * P * P);
    }
    for (i = 0; i < Q2; i++)
    {
        pair_struct * p = L.pr + i;
        for (a = 0; a < 3; a++)
        {
            arb_clear(p->f2[a]);
            for (b = 0; b < 3; b++)
            {
                arb_clear(p->f4[a][b]); arb_clear(p->D[a][b]);
                for (c = 0; c < 3; c++)
                    arb_clear(p->H[a][b][c]);
            }
        }
    }
    flint_free(L.pr);
    _arb_vec_clear(L.f4, Q4);
    _arb_vec_clear(xc, Q * d_in);
    _arb_vec_clear(KQ, depth * Q2);
    _arb_vec_clear(VQ, depth * Q4);
    _arb_vec_clear(GQ, depth * Q2);
    arb_clear(cw); arb_clear(cb); arb_clear(t); arb_clear(acc);
    arb_clear(slope);
    flint_free(cls); flint_free(rep);
    return st == 0 ? NEFT_SUCCESS : st == -2 ? NEFT_INTERRUPTED : NEFT_FAILURE;
}

void
neft_onen_vertex_cost(double * ops, double * bytes, const neft_onen_params_t par, slong P)
{
    /* per layer: every pair's two-input integrals, and the 3- and 4-D rules
       (measured, tanh: about 7e5 nodes per triple and 2e7 per quadruple, a
       64-bit ball evaluation (about 1e3 operations) per input and node) */
    double pairs = (double) P * (double) (P - 1) / 2, triples = pairs * (double) (P - 2) / 3,
        quads = triples * (double) (P - 3) / 4, depth = (double) par->net->depth;
    const onen_row_struct * row = _neft_onen_row(par->net);
    if (row != NULL && row->vertex2 == _neft_onen_vertex2_gauss)
        /* GaussNet: every expectation one exponential */
        *ops = depth * (pairs * 1e3 + triples * 1e3 + quads * 1e3);
    else if (row != NULL && row->pl != ONEN_PL_NONE)
        /* relu, leaky-relu, linear: closed-form pairs, Stein's recursion (about 1e5
           operations per triple), six Plackett integrals per quadruple (0.2 s measured) */
        *ops = depth * (pairs * 1e4 + triples * 1e5 + (P >= 4 ? quads * 2e8 : 0));
    else
        *ops = depth * (pairs * _neft_onen_vertex2_gen_cost(par) / depth
                        + triples * 7e5 * 3 * 1e3 + (P >= 4 ? quads * 2e7 * 1.5 * 1e3 : 0));
    *bytes = depth * (double) P * (double) P * (double) P * (double) P
             * (sizeof(arb_struct) + 2.0 * (double) par->prec / 8) * 3 + 5e5;
}
