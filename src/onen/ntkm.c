/* The NTK of k >= 2 inputs at O(1/n): neft_onen_ntk2's recursions (src/onen/
   ntk2.c, docs/onen.md "The NTK of two inputs", "More inputs") with the
   inputs kept apart.  Every entry at layer l+1 is a sum over pairs R, S
   of the inputs it names (a pair expectation depends only on the 2 x 2
   kernel of its inputs, so its K-derivatives vanish along other entries)
   of layer-l entries on the same inputs, times Gaussian expectations of
   at most four distinct inputs: the pair data of neft_onen_ntk2 for one
   or two, src/onen/ntkm_gauss.c for three and four.  Equal inputs are one
   class (the table is computed over the classes and copied out), so
   coinciding inputs reproduce fewer-input values exactly; all inputs equal
   (one class) are the one-input recursion's values (one_class). */

#include <string.h>
#include "neft/interrupt.h"
#include "ntkm.h"

/* the pair view of classes (a, b): its local pair P in the pair data g and
   the independent kernel entries r[R] it depends on (local index loc[R]) */
typedef struct
{
    int n, P, loc[3];
    slong r[3][2];
    const ntk2_gauss_struct * g;
}
pview;

static void
view(pview * v, const ntkm_gauss_struct * G, slong a, slong b)
{
    slong Q = G->Q;
    if (a == b)
    {
        slong o = a == 0 ? 1 : 0;
        v->g = G->pr + (a < o ? a * Q + o : o * Q + a);
        v->n = 1;
        v->P = a < o ? 0 : 2;
        v->loc[0] = v->P;
        v->r[0][0] = v->r[0][1] = a;
        return;
    }
    if (a > b)
    {
        slong t = a;
        a = b;
        b = t;
    }
    v->g = G->pr + a * Q + b;
    v->n = 3;
    v->P = 1;
    v->loc[0] = 0; v->loc[1] = 1; v->loc[2] = 2;
    v->r[0][0] = a; v->r[0][1] = a;
    v->r[1][0] = a; v->r[1][1] = b;
    v->r[2][0] = b; v->r[2][1] = b;
}

/* the local index of the entry (x, y) in v, or -1 */
static int
vloc(const pview * v, slong x, slong y)
{
    int R;
    for (R = 0; R < v->n; R++)
        if ((v->r[R][0] == x && v->r[R][1] == y) || (v->r[R][0] == y && v->r[R][1] == x))
            return R;
    return -1;
}

#define F2(v) ((v)->g->f2[(v)->P])
#define PP(v) ((v)->g->p[(v)->P])
#define D2(v, R) ((v)->g->D2[(v)->P][(v)->loc[R]])
#define DP(v, R) ((v)->g->Dp[(v)->P][(v)->loc[R]])
#define H2(v, R, S) ((v)->g->H2[(v)->P][(v)->loc[R]][(v)->loc[S]])
#define HP(v, R, S) ((v)->g->Hp[(v)->P][(v)->loc[R]][(v)->loc[S]])

typedef ntkm_lay_struct lay_struct;

#define I2(a, b) ((a) * Q + (b))
#define I4(a, b, c, d) ((((a) * Q + (b)) * Q + (c)) * Q + (d))

/* e_(ac),g = <d_g (sigma'_a sigma_c)> (ntk2.c's efac) */
void
_neft_onen_ntkm_efac(arb_t res, const ntkm_gauss_struct * G, slong a, slong c, slong gam)
{
    pview v;
    if (a == c)
    {
        if (gam == a)
        {
            view(&v, G, a, a);
            arb_set(res, D2(&v, 0));
        }
        else
            arb_zero(res);
        return;
    }
    view(&v, G, a, c);
    if (gam == c)
        arb_set(res, PP(&v));
    else if (gam == a)
        arb_mul_2exp_si(res, D2(&v, vloc(&v, a, a)), 1);
    else
        arb_zero(res);
}

/* u_(ab),e = <d_e (sigma''_a sigma'_b)> (ntk2.c's ufac) */
void
_neft_onen_ntkm_ufac(arb_t res, const ntkm_gauss_struct * G, slong a, slong b, slong eps,
                     int kink)
{
    pview v;
    if (kink || (a == b && eps != a) || (a != b && eps != a && eps != b))
    {
        arb_zero(res);
        return;
    }
    view(&v, G, a, b);
    if (a == b)
        arb_set(res, DP(&v, 0));
    else if (eps == b)
        arb_set(res, DP(&v, vloc(&v, a, b)));
    else
        arb_mul_2exp_si(res, DP(&v, vloc(&v, a, a)), 1);
}

/* p_(ab) = <sigma'_a sigma'_b> */
void
_neft_onen_ntkm_pp(arb_t res, const ntkm_gauss_struct * G, slong a, slong b)
{
    pview v;
    view(&v, G, a, b);
    arb_set(res, PP(&v));
}

/* <sigma''_c sigma_d> (0 for the piecewise-linear rows: pointwise) */
void
_neft_onen_ntkm_s2s(arb_t res, const ntkm_gauss_struct * G, slong c, slong d, slong prec)
{
    pview v;
    view(&v, G, c, d);
    if (G->kind == 0)
        arb_zero(res);
    else if (c != d)
        arb_mul_2exp_si(res, D2(&v, vloc(&v, c, c)), 1);
    else
        arb_sub(res, D2(&v, 0), PP(&v), prec);
}

static int
ex(arb_t res, ntkm_gauss_struct * G, slong a, slong b, slong c, slong d, int da, int db,
   int dc, int dd, char * err, size_t errsize)
{
    slong in[4] = {a, b, c, d};
    int dv[4] = {da, db, dc, dd};
    return _neft_onen_ntkm_ex4(res, G, in, dv, 1, err, errsize);
}

/* layer T1 from T0 and the Gaussian data G at T0's kernel */
static int
step(lay_struct * T1, const lay_struct * T0, ntkm_gauss_struct * G, const arb_t r,
     const arb_t cw, const arb_t cb, const arb_t lb, const arb_t lw, char * err,
     size_t errsize)
{
    slong Q = G->Q, prec = G->prec, a, b, c, d, ga, ep;
    int R, S, st = 0, kink = G->kind == 0;
    pview v, w;
    arb_t t, u, x, y, w4, f4, lc, c2, sp, sq, e;
    arb_ptr ap = _arb_vec_init(3 * Q * Q), bp = _arb_vec_init(Q * Q);
    arb_init(t); arb_init(u); arb_init(x); arb_init(y); arb_init(w4); arb_init(f4);
    arb_init(lc); arb_init(c2); arb_init(sp); arb_init(sq); arb_init(e);
    arb_div(lc, lw, cw, prec);
    arb_sqr(c2, cw, prec);
    /* a_PR = lw D2_PR + cw theta_P Dp_PR, b_P = cw p_P */
    for (a = 0; a < Q; a++)
        for (b = 0; b < Q; b++)
        {
            view(&v, G, a, b);
            arb_mul(bp + I2(a, b), cw, PP(&v), prec);
            for (R = 0; R < v.n; R++)
            {
                arb_mul(ap + 3 * I2(a, b) + R, lw, D2(&v, R), prec);
                arb_mul(t, cw, T0->th + I2(a, b), prec);
                arb_addmul(ap + 3 * I2(a, b) + R, t, DP(&v, R), prec);
            }
        }
    /* K, G1, theta, theta1 */
    for (a = 0; a < Q; a++)
        for (b = 0; b < Q; b++)
        {
            slong o = I2(a, b);
            view(&v, G, a, b);
            arb_mul(t, cw, F2(&v), prec);
            arb_add(T1->K + o, cb, t, prec);
            arb_zero(t);
            arb_zero(u);
            for (R = 0; R < v.n; R++)
            {
                slong o2 = I2(v.r[R][0], v.r[R][1]);
                arb_addmul(t, D2(&v, R), T0->G1 + o2, prec);
                arb_addmul(u, DP(&v, R), T0->G1 + o2, prec);
                for (S = 0; S < v.n; S++)
                {
                    arb_srcptr vv = T0->V + I4(v.r[R][0], v.r[R][1], v.r[S][0], v.r[S][1]);
                    arb_mul(x, H2(&v, R, S), vv, prec);
                    arb_mul_2exp_si(x, x, -1);
                    arb_add(t, t, x, prec);
                    arb_mul(x, HP(&v, R, S), vv, prec);
                    arb_mul_2exp_si(x, x, -1);
                    arb_add(u, u, x, prec);
                }
            }
            arb_mul(T1->G1 + o, t, cw, prec);
            arb_mul(T1->G1 + o, T1->G1 + o, r, prec);
            arb_mul(T1->th1 + o, lw, t, prec);
            arb_mul(t, u, T0->th + o, prec);
            arb_addmul(t, PP(&v), T0->th1 + o, prec);
            for (R = 0; R < v.n; R++)
            {
                slong x0 = v.r[R][0], x1 = v.r[R][1];
                arb_addmul(t, DP(&v, R), T0->D + I4(a, b, x0, x1), prec);
                /* T_P: F_(ab)(ge) <d_g d_e (sigma'_a sigma'_b)> */
                if (x0 == x1)
                {
                    arb_mul_2exp_si(x, T0->F + I4(a, b, x0, x0), 1);
                    arb_addmul(t, x, DP(&v, R), prec);
                }
                else
                {
                    arb_add(x, T0->F + I4(a, b, x0, x1), T0->F + I4(a, b, x1, x0), prec);
                    arb_addmul(t, x, DP(&v, R), prec);
                }
            }
            arb_addmul(T1->th1 + o, t, cw, prec);
            arb_mul(T1->th1 + o, T1->th1 + o, r, prec);
            arb_mul(t, cw, PP(&v), prec);
            arb_mul(t, t, T0->th + o, prec);
            arb_addmul(t, lw, F2(&v), prec);
            arb_add(T1->th + o, t, lb, prec);
        }
    /* V, A, D, B, F over (ab)(cd) */
    for (a = 0; a < Q && !st; a++)
        for (b = 0; b < Q && !st; b++)
            for (c = 0; c < Q && !st; c++)
                for (d = 0; d < Q && !st; d++)
                {
                    slong P = I2(a, b), PQ = I2(c, d), o = I4(a, b, c, d);
                    arb_t rs, rd;
                    view(&v, G, a, b);
                    view(&w, G, c, d);
                    arb_init(rs); arb_init(rd);
                    st = ex(f4, G, a, b, c, d, 0, 0, 0, 0, err, errsize);
                    arb_mul(w4, F2(&v), F2(&w), prec);
                    arb_sub(w4, f4, w4, prec);
                    /* V' */
                    arb_zero(rs);
                    for (R = 0; R < v.n; R++)
                        for (S = 0; S < w.n; S++)
                        {
                            arb_mul(t, D2(&v, R), D2(&w, S), prec);
                            arb_addmul(rs, t, T0->V + I4(v.r[R][0], v.r[R][1], w.r[S][0],
                                                         w.r[S][1]), prec);
                        }
                    arb_mul(rs, rs, r, prec);
                    arb_add(t, w4, rs, prec);
                    arb_mul(T1->V + o, t, c2, prec);
                    /* A' */
                    arb_sqr(t, lw, prec);
                    arb_mul(T1->A + o, t, w4, prec);
                    if (!st)
                        st = ex(x, G, a, b, c, d, 0, 0, 1, 1, err, errsize);    /* X_PQ */
                    arb_mul(u, F2(&v), PP(&w), prec);
                    arb_sub(u, x, u, prec);
                    arb_mul(u, u, T0->th + PQ, prec);
                    if (!st)
                        st = ex(y, G, c, d, a, b, 0, 0, 1, 1, err, errsize);    /* X_QP */
                    arb_mul(t, F2(&w), PP(&v), prec);
                    arb_sub(t, y, t, prec);
                    arb_addmul(u, t, T0->th + P, prec);
                    arb_mul(t, lw, cw, prec);
                    arb_addmul(T1->A + o, t, u, prec);
                    if (!st)
                        st = ex(e, G, a, b, c, d, 1, 1, 1, 1, err, errsize);    /* S4 */
                    arb_mul(u, PP(&v), PP(&w), prec);
                    arb_sub(u, e, u, prec);
                    arb_mul(u, u, T0->th + P, prec);
                    arb_mul(u, u, T0->th + PQ, prec);
                    arb_addmul(T1->A + o, c2, u, prec);
                    arb_zero(rd);
                    for (R = 0; R < v.n; R++)
                    {
                        slong r0 = v.r[R][0], r1 = v.r[R][1];
                        for (S = 0; S < w.n; S++)
                        {
                            arb_mul(t, ap + 3 * P + R, ap + 3 * PQ + S, prec);
                            arb_addmul(rd, t, T0->V + I4(r0, r1, w.r[S][0], w.r[S][1]), prec);
                        }
                        /* b_Q (a_P . D_Q) */
                        arb_mul(t, ap + 3 * P + R, T0->D + I4(c, d, r0, r1), prec);
                        arb_addmul(rd, t, bp + PQ, prec);
                    }
                    for (S = 0; S < w.n; S++)
                    {
                        arb_mul(t, ap + 3 * PQ + S, T0->D + I4(a, b, w.r[S][0], w.r[S][1]),
                                prec);
                        arb_addmul(rd, t, bp + P, prec);
                    }
                    arb_mul(t, bp + P, bp + PQ, prec);
                    arb_addmul(rd, t, T0->A + o, prec);
                    arb_addmul(T1->A + o, rd, r, prec);
                    /* D' = cw [lw w4 + cw theta_P (X_QP - p_P f2_Q)] + r cw [..] */
                    arb_mul(t, lw, w4, prec);
                    arb_mul(u, PP(&v), F2(&w), prec);
                    arb_sub(u, y, u, prec);
                    arb_mul(u, u, T0->th + P, prec);
                    arb_addmul(t, u, cw, prec);
                    arb_zero(rd);
                    for (S = 0; S < w.n; S++)
                    {
                        slong s0 = w.r[S][0], s1 = w.r[S][1];
                        arb_zero(u);
                        for (R = 0; R < v.n; R++)
                            arb_addmul(u, ap + 3 * P + R,
                                       T0->V + I4(v.r[R][0], v.r[R][1], s0, s1), prec);
                        arb_addmul(u, bp + P, T0->D + I4(a, b, s0, s1), prec);
                        arb_addmul(rd, u, D2(&w, S), prec);
                    }
                    arb_addmul(t, rd, r, prec);
                    arb_mul(T1->D + o, t, cw, prec);
                    /* B' = cw^2 [<s'_a s'_b s'_c s'_d> th_ab th_cd + r p_ac p_bd B] */
                    arb_mul(t, T0->th + P, T0->th + PQ, prec);
                    arb_mul(t, t, e, prec);
                    view(&v, G, a, c);
                    view(&w, G, b, d);
                    arb_mul(u, PP(&v), PP(&w), prec);
                    arb_mul(u, u, r, prec);
                    arb_addmul(t, u, T0->B + o, prec);
                    arb_mul(T1->B + o, t, c2, prec);
                    /* F' = cw^2 [<s'_a s'_b s_c s_d> th_ab + r sum F e e] */
                    if (!st)
                        st = ex(x, G, a, b, c, d, 1, 1, 0, 0, err, errsize);
                    arb_mul(t, x, T0->th + P, prec);
                    arb_zero(u);
                    for (ga = 0; ga < Q; ga++)
                    {
                        if (ga != a && ga != c)
                            continue;
                        _neft_onen_ntkm_efac(x, G, a, c, ga);
                        for (ep = 0; ep < Q; ep++)
                        {
                            if (ep != b && ep != d)
                                continue;
                            _neft_onen_ntkm_efac(y, G, b, d, ep);
                            arb_mul(y, y, x, prec);
                            arb_addmul(u, y, T0->F + I4(a, b, ga, ep), prec);
                        }
                    }
                    arb_addmul(t, u, r, prec);
                    arb_mul(T1->F + o, t, c2, prec);
                    arb_clear(rs); arb_clear(rd);
                }
    /* the dNTK over (a0 a1 a2 a3) = (a b c d) */
    for (a = 0; a < Q && !st; a++)
        for (b = 0; b < Q && !st; b++)
            for (c = 0; c < Q && !st; c++)
                for (d = 0; d < Q && !st; d++)
                {
                    slong o = I4(a, b, c, d);
                    arb_t s2s;
                    arb_init(s2s);
                    /* Y = th_bc (th_ab y_(abcd) + th_ac y_(acbd)) */
                    st = ex(x, G, a, b, c, d, 1, 2, 1, 0, err, errsize);
                    if (!st)
                        st = ex(y, G, a, c, b, d, 1, 2, 1, 0, err, errsize);
                    arb_mul(x, x, T0->th + I2(a, b), prec);
                    arb_addmul(x, y, T0->th + I2(a, c), prec);
                    arb_mul(x, x, T0->th + I2(b, c), prec);
                    _neft_onen_ntkm_s2s(s2s, G, c, d, prec);
                    arb_zero(sp);
                    arb_zero(sq);
                    for (ga = 0; ga < Q; ga++)
                    {
                        _neft_onen_ntkm_efac(e, G, a, d, ga);
                        for (ep = 0; ep < Q && !arb_is_zero(e); ep++)
                        {
                            _neft_onen_ntkm_ufac(u, G, b, c, ep, kink);
                            arb_mul(t, T0->F + I4(a, b, ga, ep), u, prec);
                            _neft_onen_ntkm_ufac(u, G, c, b, ep, kink);
                            arb_addmul(t, T0->F + I4(a, c, ga, ep), u, prec);
                            arb_mul(t, t, T0->th + I2(b, c), prec);
                            arb_addmul(sp, t, e, prec);
                        }
                        view(&v, G, b, c);
                        arb_mul(t, PP(&v), T0->P + I4(a, b, c, ga), prec);
                        arb_addmul(sp, t, e, prec);
                        /* Q: th_ab sum F_(bc)(ge) u_(ba),g e_(cd),e + p_ab Q_(abcg) e_(cd),g */
                        _neft_onen_ntkm_ufac(u, G, b, a, ga, kink);
                        for (ep = 0; ep < Q && !arb_is_zero(u); ep++)
                        {
                            _neft_onen_ntkm_efac(t, G, c, d, ep);
                            arb_mul(t, t, u, prec);
                            arb_mul(t, t, T0->F + I4(b, c, ga, ep), prec);
                            arb_addmul(sq, t, T0->th + I2(a, b), prec);
                        }
                        _neft_onen_ntkm_efac(e, G, c, d, ga);
                        view(&v, G, a, b);
                        arb_mul(t, PP(&v), T0->Q + I4(a, b, c, ga), prec);
                        arb_addmul(sq, t, e, prec);
                    }
                    view(&v, G, a, b);
                    arb_mul(t, PP(&v), s2s, prec);
                    arb_addmul(sq, t, T0->B + I4(b, c, a, c), prec);
                    arb_mul(sp, sp, r, prec);
                    arb_add(sp, sp, x, prec);
                    arb_mul(sq, sq, r, prec);
                    arb_add(sq, sq, x, prec);
                    arb_add(t, T1->F + I4(a, b, d, c), T1->F + I4(a, c, d, b), prec);
                    arb_mul(t, t, lc, prec);
                    arb_mul(sp, sp, c2, prec);
                    arb_add(T1->P + o, t, sp, prec);
                    arb_mul(t, T1->F + I4(b, c, a, d), lc, prec);
                    arb_mul(sq, sq, c2, prec);
                    arb_add(T1->Q + o, t, sq, prec);
                    arb_clear(s2s);
                }
    if (!st && T1->dd[0] != NULL)
        st = _neft_onen_ddntkm_step(T1, T0, G, r, cw, lw, err, errsize);
    arb_clear(t); arb_clear(u); arb_clear(x); arb_clear(y); arb_clear(w4); arb_clear(f4);
    arb_clear(lc); arb_clear(c2); arb_clear(sp); arb_clear(sq); arb_clear(e);
    _arb_vec_clear(ap, 3 * Q * Q);
    _arb_vec_clear(bp, Q * Q);
    return st;
}

void
neft_onen_ntkm_init(neft_onen_ntkm_t T, slong k, slong depth)
{
    slong n2 = FLINT_MAX(depth, 1) * k * k, n4 = n2 * k * k;
    T->k = k;
    T->depth = depth;
    T->K = _arb_vec_init(n2); T->theta = _arb_vec_init(n2); T->theta1 = _arb_vec_init(n2);
    T->G1 = _arb_vec_init(n2);
    T->V = _arb_vec_init(n4); T->A = _arb_vec_init(n4); T->D = _arb_vec_init(n4);
    T->B = _arb_vec_init(n4); T->F = _arb_vec_init(n4); T->P = _arb_vec_init(n4);
    T->Q = _arb_vec_init(n4);
}

void
neft_onen_ntkm_clear(neft_onen_ntkm_t T)
{
    slong n2 = FLINT_MAX(T->depth, 1) * T->k * T->k, n4 = n2 * T->k * T->k;
    _arb_vec_clear(T->K, n2); _arb_vec_clear(T->theta, n2); _arb_vec_clear(T->theta1, n2);
    _arb_vec_clear(T->G1, n2);
    _arb_vec_clear(T->V, n4); _arb_vec_clear(T->A, n4); _arb_vec_clear(T->D, n4);
    _arb_vec_clear(T->B, n4); _arb_vec_clear(T->F, n4); _arb_vec_clear(T->P, n4);
    _arb_vec_clear(T->Q, n4);
}

int
neft_onen_ntkm_has(const neft_net_t net, const char ** reason)
{
    return neft_onen_ntk2_has(net, reason);
}

/* dd: also the ddNTK tables (beta, alpha, R, S, T, U) */
static void
lay_init(lay_struct * L, slong Q, int dd)
{
    arb_ptr * f[11] = {&L->K, &L->th, &L->th1, &L->G1, &L->V, &L->A, &L->D, &L->B, &L->F,
                       &L->P, &L->Q};
    int i;
    for (i = 0; i < 11; i++)
        *f[i] = _arb_vec_init(i < 4 ? Q * Q : Q * Q * Q * Q);
    for (i = 0; i < NTKM_DD; i++)
        L->dd[i] = dd ? _arb_vec_init(Q * Q * Q * Q) : NULL;
}

static void
lay_clear(lay_struct * L, slong Q)
{
    arb_ptr f[11] = {L->K, L->th, L->th1, L->G1, L->V, L->A, L->D, L->B, L->F, L->P, L->Q};
    int i;
    for (i = 0; i < 11; i++)
        _arb_vec_clear(f[i], i < 4 ? Q * Q : Q * Q * Q * Q);
    for (i = 0; i < NTKM_DD; i++)
        if (L->dd[i] != NULL)
            _arb_vec_clear(L->dd[i], Q * Q * Q * Q);
}

/* T's (and D's, when not NULL) layer l from the class table L (cls: the
   class of each input) */
static void
copy_out(neft_onen_ntkm_t T, neft_onen_ddntkm_struct * DD, slong l, const lay_struct * L,
         const slong * cls, slong Q)
{
    slong k = T->k, a, b, c, d, k2 = k * k, k4 = k2 * k2;
    for (a = 0; a < k; a++)
        for (b = 0; b < k; b++)
        {
            slong o = l * k2 + a * k + b, i = I2(cls[a], cls[b]);
            arb_set(T->K + o, L->K + i);
            arb_set(T->theta + o, L->th + i);
            arb_set(T->theta1 + o, L->th1 + i);
            arb_set(T->G1 + o, L->G1 + i);
            for (c = 0; c < k; c++)
                for (d = 0; d < k; d++)
                {
                    slong t = l * k4 + ((a * k + b) * k + c) * k + d;
                    slong j = I4(cls[a], cls[b], cls[c], cls[d]);
                    arb_set(T->V + t, L->V + j); arb_set(T->A + t, L->A + j);
                    arb_set(T->D + t, L->D + j); arb_set(T->B + t, L->B + j);
                    arb_set(T->F + t, L->F + j); arb_set(T->P + t, L->P + j);
                    arb_set(T->Q + t, L->Q + j);
                    if (DD != NULL)
                    {
                        arb_ptr dst[NTKM_DD] = {DD->beta, DD->alpha, DD->R, DD->S, DD->T,
                                                DD->U};
                        int i;
                        for (i = 0; i < NTKM_DD; i++)
                            arb_set(dst[i] + t, L->dd[i] + j);
                    }
                }
        }
}

/* All k inputs equal (one class, the input x): every entry of every table of
   T (and DD) is the one-input value at x (docs/onen.md, "More inputs"):
   neft_onen_single's K, V, G1, neft_onen_ntk1_single's theta, theta1, A, B,
   D, F, P, Q, and neft_onen_ddntk_single's R, S, T, U with beta = P/2,
   alpha = Q - P/2 (the definitions with every input the same).  The pair
   route would differentiate the two-input expectations at a singular kernel,
   infinitely for a piecewise-linear row.  _neft_onen_ntkm_run's returns. */
static int
one_class(neft_onen_ntkm_t T, neft_onen_ddntkm_struct * DD, const neft_onen_params_t par,
          const fmpq_t lambda_b, const fmpq_t lambda_w, arb_srcptr x, slong d_in, char * err,
          size_t errsize)
{
    slong depth = par->net->depth, k = T->k, k2 = k * k, k4 = k2 * k2, l, i, prec = par->prec;
    neft_onen_layer_struct * L = neft_onen_layers_init(depth);
    neft_onen_ntk1_struct * T1 = neft_onen_ntk1_init(depth);
    neft_onen_ddntk_struct * D1 = DD != NULL ? neft_onen_ddntk_init(depth) : NULL;
    arb_t cw, cb, K1, h;
    int st;
    arb_init(cw); arb_init(cb); arb_init(K1); arb_init(h);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    _neft_onen_kernel1(K1, x, 1, d_in, cw, cb, prec);
    st = neft_onen_single(L, par, K1);
    if (st == 0)
        st = neft_onen_ntk1_single(T1, L, par, lambda_b, lambda_w);
    if (st == 0 && D1 != NULL)
    {
        if (neft_onen_ddntk_has(par->net, NULL))
            st = neft_onen_ddntk_single(D1, L, par, lambda_b, lambda_w);
        else     /* R, S, T, U not asked for (neft_onen_ddntkm checks) */
            for (l = 0; l < depth; l++)
            {
                arb_indeterminate(D1[l].R); arb_indeterminate(D1[l].S);
                arb_indeterminate(D1[l].T); arb_indeterminate(D1[l].U);
            }
    }
    if (st == 0)
        for (l = 0; l < depth; l++)
        {
            for (i = 0; i < k2; i++)
            {
                arb_set(T->K + l * k2 + i, L[l].K);
                arb_set(T->G1 + l * k2 + i, L[l].G1);
                arb_set(T->theta + l * k2 + i, T1[l].theta);
                arb_set(T->theta1 + l * k2 + i, T1[l].theta1);
            }
            for (i = 0; i < k4; i++)
            {
                slong o = l * k4 + i;
                arb_set(T->V + o, L[l].V);
                arb_set(T->A + o, T1[l].A);
                arb_set(T->D + o, T1[l].D);
                arb_set(T->B + o, T1[l].B);
                arb_set(T->F + o, T1[l].F);
                arb_set(T->P + o, T1[l].P);
                arb_set(T->Q + o, T1[l].Q);
                if (DD != NULL)
                {
                    arb_mul_2exp_si(h, T1[l].P, -1);
                    arb_set(DD->beta + o, h);
                    arb_sub(DD->alpha + o, T1[l].Q, h, prec);
                    arb_set(DD->R + o, D1[l].R);
                    arb_set(DD->S + o, D1[l].S);
                    arb_set(DD->T + o, D1[l].T);
                    arb_set(DD->U + o, D1[l].U);
                }
            }
        }
    else if (neft_interrupted())
        st = NEFT_INTERRUPTED;
    else if (st != NEFT_UNSUPPORTED)
    {
        snprintf(err, errsize, "all inputs equal: a ball of the one-input recursion is not "
                 "finite (raise --prec)");
        st = -1;
    }
    else
        snprintf(err, errsize, "%s: the one-input recursion does not reach depth %ld",
                 par->net->act->name, (long) depth);
    if (D1 != NULL)
        neft_onen_ddntk_clear(D1, depth);
    neft_onen_ntk1_clear(T1, depth);
    neft_onen_layers_clear(L, depth);
    arb_clear(cw); arb_clear(cb); arb_clear(K1); arb_clear(h);
    return st;
}

/* det of the s x s submatrix of the Q x Q matrix K on the indices c[] */
static void
subdet(arb_t det, arb_srcptr K, slong Q, const slong * c, slong s, slong prec)
{
    arb_mat_t M;
    slong i, j;
    arb_mat_init(M, s, s);
    for (i = 0; i < s; i++)
        for (j = 0; j < s; j++)
            arb_set(arb_mat_entry(M, i, j), K + c[i] * Q + c[j]);
    arb_mat_det(det, M, prec);
    arb_mat_clear(M);
}

int
_neft_onen_ntkm_pl_general(const neft_net_struct * net, arb_srcptr xc, slong Q, slong d_in,
                           slong prec, char * err, size_t errsize)
{
    fmpq_t ap, am;
    arb_ptr K;
    arb_t cw, cb, det;
    slong c[4], s, i, smax = FLINT_MIN(Q, 4);
    int st = 0, kink;
    fmpq_init(ap); fmpq_init(am);
    if (_neft_onen_pl_slopes(ap, am, net) != NEFT_SUCCESS)
        kink = -1;
    else
        kink = !fmpq_equal(ap, am);
    fmpq_clear(ap); fmpq_clear(am);
    if (kink == -1)
        return 0;
    if (!kink)       /* linear: the pair closed forms meet 0 times infinity at a */
        smax = FLINT_MIN(Q, 2);       /* singular pair; three and four are fine */
    K = _arb_vec_init(Q * Q);
    arb_init(cw); arb_init(cb); arb_init(det);
    _NEFT_ONEN_CWCB(cw, cb, net, prec);
    _neft_onen_kernel1(K, xc, Q, d_in, cw, cb, prec);
    /* every subset c[0] < .. < c[s-1] of s <= 4 classes */
    for (s = 1; s <= smax && !st; s++)
    {
        for (i = 0; i < s; i++)
            c[i] = i;
        while (!st)
        {
            subdet(det, K, Q, c, s, prec);
            if (!arb_is_positive(det))
            {
                char ids[64];
                slong m, o = 0;
                for (m = 0; m < s; m++)
                    o += snprintf(ids + o, sizeof ids - o, "%s%ld", m ? ", " : "", (long) c[m]);
                if (s == 1)
                    snprintf(err, errsize, "%s: input %ld has layer-1 variance 0 (x = 0, C_b "
                             "= 0): no O(1/n) expectations (docs/onen.md, \"Degenerate input "
                             "sets\")", net->act->name, (long) c[0]);
                else
                    snprintf(err, errsize, "%s: inputs %s are linearly dependent at layer 1 "
                             "((sqrt C_b, x) collinear, or more than d_in + 1 of them): the "
                             "O(1/n) expectations need a nonsingular kernel (docs/onen.md, "
                             "\"Degenerate input sets\")", net->act->name, ids);
                st = NEFT_UNSUPPORTED;
                break;
            }
            for (i = s - 1; i >= 0 && c[i] == Q - s + i; i--)
                ;
            if (i < 0)
                break;
            c[i]++;
            for (i = i + 1; i < s; i++)
                c[i] = c[i - 1] + 1;
        }
    }
    arb_clear(cw); arb_clear(cb); arb_clear(det);
    _arb_vec_clear(K, Q * Q);
    return st;
}

/* The tables' last check: with st = 0 every ball finite (else -1 with err);
   on failure all of them indeterminate.  Returns the status. */
static int
finish(neft_onen_ntkm_t T, neft_onen_ddntkm_struct * DD, int st, char * err, size_t errsize)
{
    slong depth = T->depth, k = T->k, i;
    if (st == 0)
    {
        slong n2 = depth * k * k, n4 = n2 * k * k;
        arb_srcptr f[11] = {T->K, T->theta, T->theta1, T->G1, T->V, T->A, T->D, T->B, T->F,
                            T->P, T->Q};
        for (i = 0; i < 11 && st == 0; i++)
            if (!_arb_vec_is_finite(f[i], i < 4 ? n2 : n4)
                || (DD != NULL && i == 0 && (!_arb_vec_is_finite(DD->beta, n4)
                                             || !_arb_vec_is_finite(DD->alpha, n4))))
            {
                snprintf(err, errsize, "a ball is not finite (collinear inputs of a "
                         "piecewise-linear activation have infinite angle derivatives; or "
                         "raise --prec)");
                st = -1;
            }
    }
    if (st == -1 && err[0] == '\0')
        snprintf(err, errsize, "not certified");
    if (st)
    {
        slong n2 = FLINT_MAX(depth, 1) * k * k, n4 = n2 * k * k;
        arb_ptr f[11] = {T->K, T->theta, T->theta1, T->G1, T->V, T->A, T->D, T->B, T->F,
                         T->P, T->Q};
        for (i = 0; i < 11; i++)
            _arb_vec_indeterminate(f[i], i < 4 ? n2 : n4);
        if (DD != NULL)
        {
            arb_ptr g[NTKM_DD] = {DD->beta, DD->alpha, DD->R, DD->S, DD->T, DD->U};
            for (i = 0; i < NTKM_DD; i++)
                _arb_vec_indeterminate(g[i], n4);
        }
    }
    return st;
}

int
neft_onen_ntkm(neft_onen_ntkm_t T, const neft_onen_params_t par, const fmpq_t lambda_b,
               const fmpq_t lambda_w, arb_srcptr x, slong k, slong d_in, char * err,
               size_t errsize)
{
    return _neft_onen_ntkm_run(T, NULL, par, lambda_b, lambda_w, x, k, d_in, err, errsize);
}

int
_neft_onen_ntkm_run(neft_onen_ntkm_t T, neft_onen_ddntkm_struct * DD,
                    const neft_onen_params_t par, const fmpq_t lambda_b, const fmpq_t lambda_w,
                    arb_srcptr x, slong k, slong d_in, char * err, size_t errsize)
{
    const neft_net_struct * net = par->net;
    slong depth = net->depth, prec = par->prec, l, a, b, Q = 0, num, den, i;
    slong * cls = flint_malloc(sizeof(slong) * k), * rep = flint_malloc(sizeof(slong) * k);
    arb_t cw, cb, lb, lw, r;
    arb_ptr xc;
    lay_struct L[2];
    ntkm_gauss_struct G;
    int st = 0;

    if (!neft_onen_ntkm_has(net, NULL) || k < 2)
    {
        snprintf(err, errsize, "%s: no NTK at O(1/n) of %ld inputs", net->act->name, (long) k);
        flint_free(cls); flint_free(rep);
        return NEFT_UNSUPPORTED;
    }
    /* classes of equal inputs */
    for (a = 0; a < k; a++)
    {
        for (b = 0; b < Q; b++)
        {
            for (i = 0; i < d_in && arb_equal(x + a * d_in + i, x + rep[b] * d_in + i); i++)
                ;
            if (i == d_in)
                break;
        }
        if (b == Q)
            rep[Q++] = a;
        cls[a] = b;
    }
    if (Q > NEFT_ONEN_NTKM_MAX)
    {
        snprintf(err, errsize, "--ntk --order 1: at most %d distinct inputs (%ld given)",
                 NEFT_ONEN_NTKM_MAX, (long) Q);
        flint_free(cls); flint_free(rep);
        return NEFT_UNSUPPORTED;
    }
    if (Q == 1)
    {
        st = one_class(T, DD, par, lambda_b, lambda_w, x, d_in, err, errsize);
        flint_free(cls); flint_free(rep);
        return finish(T, DD, st, err, errsize);
    }
    arb_init(cw); arb_init(cb); arb_init(lb); arb_init(lw); arb_init(r);
    xc = _arb_vec_init(Q * d_in);
    for (a = 0; a < Q; a++)
        _arb_vec_set(xc + a * d_in, x + rep[a] * d_in, d_in);
    st = _neft_onen_ntkm_pl_general(net, xc, Q, d_in, prec, err, errsize);
    if (st)
    {
        arb_clear(cw); arb_clear(cb); arb_clear(lb); arb_clear(lw); arb_clear(r);
        _arb_vec_clear(xc, Q * d_in);
        flint_free(cls); flint_free(rep);
        return finish(T, DD, st, err, errsize);
    }
    _NEFT_ONEN_CWCB(cw, cb, net, prec);
    arb_set_fmpq(lb, lambda_b, prec);
    arb_set_fmpq(lw, lambda_w, prec);
    lay_init(L, Q, DD != NULL);
    lay_init(L + 1, Q, DD != NULL);
    _neft_onen_ntkm_gauss_init(&G, net, Q, d_in, prec);
    /* layer 1: K^(1), Theta^(1) = lambda_b + lambda_W (K^(1) - C_b)/C_W, the rest 0 */
    _neft_onen_kernel1(L[0].K, xc, Q, d_in, cw, cb, prec);
    for (a = 0; a < Q * Q; a++)
    {
        arb_sub(L[0].th + a, L[0].K + a, cb, prec);
        arb_div(L[0].th + a, L[0].th + a, cw, prec);
        arb_mul(L[0].th + a, L[0].th + a, lw, prec);
        arb_add(L[0].th + a, L[0].th + a, lb, prec);
    }
    if (DD != NULL)
        for (i = 0; i < NTKM_DD; i++)
            _arb_vec_zero(L[0].dd[i], Q * Q * Q * Q);    /* layer 1: all 0 */
    copy_out(T, DD, 0, L, cls, Q);
    for (l = 1; l < depth && st == 0; l++)
    {
        lay_struct * L0 = L + (l - 1) % 2, * L1 = L + l % 2;
        if (neft_interrupted())
        {
            st = NEFT_INTERRUPTED;
            break;
        }
        st = _neft_onen_ntkm_gauss_set(&G, L0->K, l == 1, xc, cw, cb, err, errsize);
        if (st)
            break;
        _neft_onen_ratio_si(&num, &den, net, l);
        arb_set_si(r, num);
        arb_div_si(r, r, den, prec);
        st = step(L1, L0, &G, r, cw, cb, lb, lw, err, errsize);
        if (st)
            break;
        copy_out(T, DD, l, L1, cls, Q);
    }
    st = finish(T, DD, st, err, errsize);
    _neft_onen_ntkm_gauss_clear(&G);
    lay_clear(L, Q);
    lay_clear(L + 1, Q);
    arb_clear(cw); arb_clear(cb); arb_clear(lb); arb_clear(lw); arb_clear(r);
    _arb_vec_clear(xc, Q * d_in);
    flint_free(cls); flint_free(rep);
    return st;
}
