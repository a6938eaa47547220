/* The Gaussian data of the two-input NTK at O(1/n) for erf (src/onen/ntk2.h;
   docs/onen.md, "The NTK of two inputs").

   erf' = c e^{-z^2}, c = 2/sqrt(pi), so a product erf'(z_0)^b0 erf'(z_1)^b1
   is c^(b0+b1) times a Gaussian weight: for z ~ N(0, K) and B = diag(b0, b1),

     E[g(z) e^{-z.Bz}] = det(M)^{-1/2} E'[g(z)],  M = I + 2 B K,  z ~ N(0, K' = K M^{-1}),

   K'00 = (K00 m11 - 2 b1 K01^2)/det M, K'01 = K01/det M, K'11 = (K11 m00 -
   2 b0 K01^2)/det M (m_aa = 1 + 2 b_a K_aa; no inverse of K: a singular K is
   fine), and the erf parts with at most two factors are arcsines,
   E[erf z_0 erf z_1] = (2/pi) asin(2K01/sqrt((1 + 2K00)(1 + 2K11))),
   E[erf^2 z_0] = (2/pi) asin(2K00/(1 + 2K00)).  That gives f2, p and every
   mixed product sigma^a sigma'^b with a0 + a1 <= 2 in closed form; the K-
   derivatives D2, H2, Dp, Hp are those of the closed forms, carried as
   second-order jets in (K00, K01, K11) through the same formulas (exact
   Taylor arithmetic of balls).  f4 = E[erf^i z_0 erf^(4-i) z_1] has no
   closed form: one call of the rigorous 2-D rule neft_gaussexp_grid (40
   bits) per layer. */

#include "neft/gaussexp.h"
#include "ntk2.h"

/* f(K + h) = c[0] + sum_R c[1 + R] h_R + sum_{R <= S} c[IJ(R, S)] h_R h_S */
#define NJ 10
typedef struct { arb_struct c[NJ]; } jet_t;

static const int ij[3][3] = {{4, 5, 6}, {5, 7, 8}, {6, 8, 9}};

static void
jinit(jet_t * a)
{
    int k;
    for (k = 0; k < NJ; k++)
        arb_init(a->c + k);
}

static void
jclear(jet_t * a)
{
    int k;
    for (k = 0; k < NJ; k++)
        arb_clear(a->c + k);
}

static void
jset(jet_t * r, const jet_t * a)
{
    int k;
    for (k = 0; k < NJ; k++)
        arb_set(r->c + k, a->c + k);
}

/* r = s a + t b (s, t small integers) */
static void
jlin(jet_t * r, slong s, const jet_t * a, slong t, const jet_t * b, slong prec)
{
    int k;
    for (k = 0; k < NJ; k++)
    {
        arb_mul_si(r->c + k, a->c + k, s, prec);
        arb_addmul_si(r->c + k, b->c + k, t, prec);
    }
}

/* r = a + t (a ball) */
static void
jadd_ui(jet_t * r, const jet_t * a, ulong t, slong prec)
{
    jset(r, a);
    arb_add_ui(r->c, r->c, t, prec);
}

/* r = a b, truncated after the second order (r may alias a or b) */
static void
jmul(jet_t * r, const jet_t * a, const jet_t * b, slong prec)
{
    jet_t t;
    int R, S;
    jinit(&t);
    arb_mul(t.c, a->c, b->c, prec);
    for (R = 0; R < 3; R++)
    {
        arb_mul(t.c + 1 + R, a->c, b->c + 1 + R, prec);
        arb_addmul(t.c + 1 + R, a->c + 1 + R, b->c, prec);
        for (S = R; S < 3; S++)
        {
            arb_struct * u = t.c + ij[R][S];
            arb_mul(u, a->c, b->c + ij[R][S], prec);
            arb_addmul(u, a->c + ij[R][S], b->c, prec);
            arb_addmul(u, a->c + 1 + R, b->c + 1 + S, prec);
            if (S != R)
                arb_addmul(u, a->c + 1 + S, b->c + 1 + R, prec);
        }
    }
    jset(r, &t);
    jclear(&t);
}

/* r = g(a) from g(a0), g'(a0), g''(a0): g + g' d + g'' d^2/2, d = a - a0 */
static void
jcompose(jet_t * r, const jet_t * a, const arb_t g0, const arb_t g1, const arb_t g2, slong prec)
{
    jet_t d, d2;
    int k;
    jinit(&d); jinit(&d2);
    jset(&d, a);
    arb_zero(d.c);
    jmul(&d2, &d, &d, prec);
    arb_set(r->c, g0);
    for (k = 1; k < NJ; k++)
    {
        arb_mul(r->c + k, d.c + k, g1, prec);
        arb_mul(d2.c + k, d2.c + k, g2, prec);
        arb_mul_2exp_si(d2.c + k, d2.c + k, -1);
        arb_add(r->c + k, r->c + k, d2.c + k, prec);
    }
    jclear(&d); jclear(&d2);
}

/* r = a^e for e = -1 or -1/2 (twice e = e2 = -2 or -1) */
static void
jpow(jet_t * r, const jet_t * a, int e2, slong prec)
{
    arb_t g0, g1, g2;
    arb_init(g0); arb_init(g1); arb_init(g2);
    if (e2 == -2)
        arb_inv(g0, a->c, prec);
    else
        arb_rsqrt(g0, a->c, prec);
    /* g' = e g/x, g'' = e (e - 1) g/x^2 */
    arb_div(g1, g0, a->c, prec);
    arb_div(g2, g1, a->c, prec);
    arb_mul_si(g1, g1, e2, prec);
    arb_mul_2exp_si(g1, g1, -1);
    arb_mul_si(g2, g2, e2 * (e2 - 2), prec);
    arb_mul_2exp_si(g2, g2, -2);
    jcompose(r, a, g0, g1, g2, prec);
    arb_clear(g0); arb_clear(g1); arb_clear(g2);
}

/* r = (2/pi) asin(a): asin' = (1 - x^2)^{-1/2}, asin'' = x (1 - x^2)^{-3/2} */
static void
jasin(jet_t * r, const jet_t * a, slong prec)
{
    arb_t g0, g1, g2, t;
    arb_init(g0); arb_init(g1); arb_init(g2); arb_init(t);
    arb_asin(g0, a->c, prec);
    arb_sqr(t, a->c, prec);
    arb_sub_ui(t, t, 1, prec);
    arb_neg(t, t);
    arb_rsqrt(g1, t, prec);
    arb_div(g2, g1, t, prec);
    arb_mul(g2, g2, a->c, prec);
    jcompose(r, a, g0, g1, g2, prec);
    arb_const_pi(t, prec);
    for (int k = 0; k < NJ; k++)
    {
        arb_div(r->c + k, r->c + k, t, prec);
        arb_mul_2exp_si(r->c + k, r->c + k, 1);
    }
    arb_clear(g0); arb_clear(g1); arb_clear(g2); arb_clear(t);
}

/* kp = K' = K M^{-1}, det = det M for M = I + 2 diag(b0, b1) K (jets) */
static void
kprime(jet_t * kp, jet_t * det, const jet_t * k, int b0, int b1, slong prec)
{
    jet_t m0, m1, q, t;
    jinit(&m0); jinit(&m1); jinit(&q); jinit(&t);
    jlin(&m0, 2 * b0, k + 0, 0, k + 0, prec);
    jadd_ui(&m0, &m0, 1, prec);                       /* 1 + 2 b0 K00 */
    jlin(&m1, 2 * b1, k + 2, 0, k + 2, prec);
    jadd_ui(&m1, &m1, 1, prec);                       /* 1 + 2 b1 K11 */
    jmul(&q, k + 1, k + 1, prec);                     /* K01^2 */
    jmul(det, &m0, &m1, prec);
    jlin(det, 1, det, -4 * b0 * b1, &q, prec);
    jpow(&t, det, -2, prec);                          /* 1/det M */
    jmul(kp + 0, k + 0, &m1, prec);
    jlin(kp + 0, 1, kp + 0, -2 * b1, &q, prec);
    jmul(kp + 0, kp + 0, &t, prec);
    jmul(kp + 1, k + 1, &t, prec);
    jmul(kp + 2, k + 2, &m0, prec);
    jlin(kp + 2, 1, kp + 2, -2 * b0, &q, prec);
    jmul(kp + 2, kp + 2, &t, prec);
    jclear(&m0); jclear(&m1); jclear(&q); jclear(&t);
}

/* r = E[erf(z_0)^a0 erf'(z_0)^b0 erf(z_1)^a1 erf'(z_1)^b1] as a jet in K
   (k: K00, K01, K11), a0 + a1 <= 2 (a0 + a1 odd: 0, erf is odd) */
static void
erf_expect(jet_t * r, const jet_t * k, int a0, int b0, int a1, int b1, slong prec)
{
    jet_t m0, m1, det, q, kp[3], t;
    int R;
    if ((a0 + a1) % 2)
    {
        for (R = 0; R < NJ; R++)
            arb_zero(r->c + R);
        return;
    }
    jinit(&m0); jinit(&m1); jinit(&det); jinit(&q); jinit(&t);
    for (R = 0; R < 3; R++)
        jinit(kp + R);
    kprime(kp, &det, k, b0, b1, prec);
    /* the erf part under K' */
    if (a0 + a1 == 0)
    {
        for (R = 0; R < NJ; R++)
            arb_zero(q.c + R);
        arb_one(q.c);
    }
    else if (a0 == 1)
    {
        jlin(&m0, 2, kp + 0, 0, kp + 0, prec);
        jadd_ui(&m0, &m0, 1, prec);
        jlin(&m1, 2, kp + 2, 0, kp + 2, prec);
        jadd_ui(&m1, &m1, 1, prec);
        jmul(&m0, &m0, &m1, prec);
        jpow(&m0, &m0, -1, prec);
        jmul(&m0, &m0, kp + 1, prec);
        jlin(&m0, 2, &m0, 0, &m0, prec);
        jasin(&q, &m0, prec);
    }
    else
    {
        const jet_t * kk = kp + (a0 == 2 ? 0 : 2);
        jlin(&m0, 2, kk, 0, kk, prec);
        jadd_ui(&m1, &m0, 1, prec);
        jpow(&m1, &m1, -2, prec);
        jmul(&m0, &m0, &m1, prec);
        jasin(&q, &m0, prec);
    }
    /* times det(M)^{-1/2} c^(b0 + b1), c^2 = 4/pi */
    jpow(&t, &det, -1, prec);
    jmul(r, &q, &t, prec);
    if (b0 + b1 > 0)
    {
        arb_t c;
        arb_init(c);
        arb_const_pi(c, prec);
        arb_rsqrt(c, c, prec);
        arb_mul_2exp_si(c, c, 1);
        arb_pow_ui(c, c, b0 + b1, prec);
        for (R = 0; R < NJ; R++)
            arb_mul(r->c + R, r->c + R, c, prec);
        arb_clear(c);
    }
    jclear(&m0); jclear(&m1); jclear(&det); jclear(&q); jclear(&t);
    for (R = 0; R < 3; R++)
        jclear(kp + R);
}

/* the value, gradient and Hessian of a jet: D[R], H[R][S] */
static void
jout(arb_t v, arb_t * D, arb_t (*H)[3], const jet_t * a)
{
    int R, S;
    arb_set(v, a->c);
    for (R = 0; R < 3; R++)
    {
        arb_set(D[R], a->c + 1 + R);
        for (S = 0; S < 3; S++)
        {
            arb_set(H[R][S], a->c + ij[R][S]);
            if (R == S)
                arb_mul_2exp_si(H[R][S], H[R][S], 1);
        }
    }
}

int
_neft_onen_ntk2_gauss_erf(ntk2_gauss_struct * g, const neft_net_t net, arb_srcptr K,
                          slong prec, char * err, size_t errsize)
{
    static const int pa[3] = {0, 0, 1}, pb[3] = {0, 1, 1};
    jet_t k[3], r;
    arb_ptr u = _arb_vec_init(4), f4 = _arb_vec_init(5);
    slong pw[10];
    int st, P, Q, R, a0, b0, a1;

    for (R = 0; R < 3; R++)
    {
        jinit(k + R);
        arb_set(k[R].c, K + (R == 0 ? 0 : R == 1 ? 1 : 3));
        arb_one(k[R].c + 1 + R);
    }
    jinit(&r);
    for (P = 0; P < 3; P++)
    {
        int n0 = (pa[P] == 0) + (pb[P] == 0);
        erf_expect(&r, k, n0, 0, 2 - n0, 0, prec);
        jout(g->f2[P], g->D2[P], g->H2[P], &r);
        erf_expect(&r, k, 0, n0, 0, 2 - n0, prec);
        jout(g->p[P], g->Dp[P], g->Hp[P], &r);
    }
    for (a0 = 0; a0 <= 2; a0++)
        for (a1 = 0; a0 + a1 <= 2; a1++)
            for (b0 = 0; a0 + b0 + a1 <= 4; b0++)
            {
                erf_expect(&r, k, a0, b0, a1, 4 - a0 - b0 - a1, prec);
                arb_set(g->mix + NTK2_MIXI(a0, b0, a1, 4 - a0 - b0 - a1), r.c);
            }
    /* the dNTK's y = <erf'_a0 erf''_a1 erf'_a2 erf_a3>, erf'' = -2 z erf': with the
       three erf' as the weight, -2 c^3 det(M)^{-1/2} E'[z_a1 erf z_a3] and
       E'[z_a1 erf z_a3] = K'_(a1 a3) c (1 + 2 K'_(a3 a3))^{-1/2} (Stein) */
    g->kink = 0;
    for (P = 0; P < 16; P++)
    {
        int bb[2] = {0, 0}, i1 = (P >> 2) & 1, i3 = P & 1;
        jet_t kp[3], det;
        arb_t t, c;
        bb[P >> 3]++; bb[i1]++; bb[(P >> 1) & 1]++;
        for (R = 0; R < 3; R++)
            jinit(kp + R);
        jinit(&det); arb_init(t); arb_init(c);
        kprime(kp, &det, k, bb[0], bb[1], prec);
        arb_mul_2exp_si(t, kp[2 * i3].c, 1);
        arb_add_ui(t, t, 1, prec);
        arb_mul(t, t, det.c, prec);
        arb_rsqrt(t, t, prec);
        arb_mul(t, t, kp[i1 + i3].c, prec);
        arb_const_pi(c, prec);
        arb_sqr(c, c, prec);
        arb_div(t, t, c, prec);
        arb_mul_si(g->y + P, t, -32, prec);          /* -2 c^4 = -32/pi^2 */
        for (R = 0; R < 3; R++)
            jclear(kp + R);
        jclear(&det); arb_clear(t); arb_clear(c);
    }
    /* f4: E[erf^i z_0 erf^(4-i) z_1], i = 0..4, by the 2-D rule */
    _neft_onen_ntk2_chol(u, K, prec);
    for (P = 0; P <= 4; P++)
    {
        pw[2 * P] = P;
        pw[2 * P + 1] = 4 - P;
    }
    st = neft_gaussexp_grid(f4, net->act, NULL, u, 2, 2, pw, 5, 40, NULL, err, errsize);
    if (st == NEFT_SUCCESS)
    {
        for (P = 0; P < 3; P++)
            for (Q = 0; Q < 3; Q++)
                arb_set(g->f4[P][Q], f4 + (pa[P] == 0) + (pb[P] == 0) + (pa[Q] == 0)
                                          + (pb[Q] == 0));
        st = 0;
    }
    else if (st != NEFT_INTERRUPTED)
        st = -1;
    for (R = 0; R < 3; R++)
        jclear(k + R);
    jclear(&r);
    _arb_vec_clear(u, 4); _arb_vec_clear(f4, 5);
    return st;
}
