/* The Gaussian expectations of one layer step of the two-input NTK at O(1/n)
   (src/onen/ntk2.h; docs/onen.md, "The NTK of two inputs").

   Piecewise-linear rows, sigma(z) = z (z > 0), s z (z < 0): the kernel data
   f2, f4, D2, H2 are vertex4_pl.c's closed forms; sigma'_0 sigma'_1 =
   s + (1 - s)^2 H_0 H_1 + .., so p_01 = s + (1 - s)^2 (pi - theta)/(2 pi) =
   s + (1 - s)^2 (1/4 + asin(rho)/(2 pi)), rho = K01/sqrt(K00 K11), whose K-
   derivatives follow from g1 = (1 - s)^2/(2 pi sqrt(1 - rho^2)), g2 =
   (1 - s)^2 rho/(2 pi (1 - rho^2)^{3/2}) and those of rho; every mixed
   product sigma^a sigma'^b of one input is z^a (1 for z > 0, s^(a+b) for
   z < 0) = z^a (t + (1 - t) H(z)), t = s^(a+b), so the mixed expectations
   reduce to E[z_0^m z_1^k H_0^e H_1^f], m + k <= 2: the Gaussian moments,
   half of them with one H (z -> -z), and with H_0 H_1
     E[H H] = (pi - theta)/(2 pi),  E[z_0 z_1 H H] = (sqrt(det) + (pi - theta) K01)/(2 pi),
     E[z_0^2 H H] = (K00 (pi - theta) + K01 sqrt(det)/K11)/(2 pi)
   (Stein's identity; theta = atan2(sqrt det, K01)).

   tanh and sigmoid: sigma' = Q(sigma) with Q = 1 - sigma^2 (tanh), sigma -
   sigma^2 (sigmoid), so every derivative of sigma is a polynomial in sigma
   (D P = P'(sigma) Q(sigma)) and every expectation a combination of the
   moments m_ij = E[sigma(z_0)^i sigma(z_1)^j], i + j <= 8 (the highest
   degree: sigma'^2 is of degree 4, and its second K-derivative along K00
   adds four), which one call of the rigorous 2-D rule neft_gaussexp_grid
   gives (the Cholesky factor of K; singular K is fine).  K-derivatives by
   Price's theorem: d/dK01 E[F(z_0) G(z_1)] = E[F' G'], d/dK00 = E[F'' G]/2.
   erf and sin: src/onen/ntk2_erf.c, ntk2_sin.c. */

#include <string.h>
#include "neft/gaussexp.h"
#include "ntk2.h"

static const int pa[3] = {0, 0, 1}, pb[3] = {0, 1, 1};

void
_neft_onen_ntk2_gauss_init(ntk2_gauss_struct * g)
{
    int P, Q, R;
    for (P = 0; P < 3; P++)
    {
        arb_init(g->f2[P]); arb_init(g->p[P]);
        for (Q = 0; Q < 3; Q++)
        {
            arb_init(g->f4[P][Q]); arb_init(g->D2[P][Q]); arb_init(g->Dp[P][Q]);
            for (R = 0; R < 3; R++)
            {
                arb_init(g->H2[P][Q][R]); arb_init(g->Hp[P][Q][R]);
            }
        }
    }
    for (P = 0; P < NTK2_MIX; P++)
        arb_init(g->mix + P);
    for (P = 0; P < 16; P++)
        arb_init(g->y + P);
    g->kink = 0;
}

void
_neft_onen_ntk2_gauss_clear(ntk2_gauss_struct * g)
{
    int P, Q, R;
    for (P = 0; P < 3; P++)
    {
        arb_clear(g->f2[P]); arb_clear(g->p[P]);
        for (Q = 0; Q < 3; Q++)
        {
            arb_clear(g->f4[P][Q]); arb_clear(g->D2[P][Q]); arb_clear(g->Dp[P][Q]);
            for (R = 0; R < 3; R++)
            {
                arb_clear(g->H2[P][Q][R]); arb_clear(g->Hp[P][Q][R]);
            }
        }
    }
    for (P = 0; P < NTK2_MIX; P++)
        arb_clear(g->mix + P);
    for (P = 0; P < 16; P++)
        arb_clear(g->y + P);
}

/* ---- piecewise linear ------------------------------------------------- */

/* E[z_0^m0 z_1^m1 H_0^e0 H_1^e1], m0 + m1 <= 2 even; hh[0..3] = E[HH],
   E[z0^2 HH], E[z0 z1 HH], E[z1^2 HH] */
static void
pl_base(arb_t res, arb_srcptr K, arb_srcptr hh, int m0, int m1, int e0, int e1, slong prec)
{
    if (e0 && e1)
        arb_set(res, hh + (m0 + m1 == 0 ? 0 : m0 == 2 ? 1 : m0 == 1 ? 2 : 3));
    else
    {
        if (m0 + m1 == 0)
            arb_one(res);
        else
            arb_set(res, K + (m0 == 2 ? 0 : m0 == 1 ? 1 : 3));
        if (e0 || e1)
            arb_mul_2exp_si(res, res, -1);
    }
    (void) prec;
}

static int
pl_gauss(ntk2_gauss_struct * g, const neft_net_t net, arb_srcptr K, slong prec, char * err,
         size_t errsize)
{
    fmpq_t ap, am;
    arb_t s, det, sd, th, pi, q, rho, g1, g2, t, u, w, hh[4], dr[3], hr[3][3];
    int st, P, R, S, a0, b0, a1, b1;
    fmpq_init(ap); fmpq_init(am);
    arb_init(s); arb_init(det); arb_init(sd); arb_init(th); arb_init(pi); arb_init(q);
    arb_init(rho); arb_init(g1); arb_init(g2); arb_init(t); arb_init(u); arb_init(w);
    for (P = 0; P < 4; P++)
        arb_init(hh[P]);
    for (P = 0; P < 3; P++)
    {
        arb_init(dr[P]);
        for (R = 0; R < 3; R++)
            arb_init(hr[P][R]);
    }
    _neft_onen_pl_slopes(ap, am, net);
    arb_set_fmpq(s, am, prec);
    st = _neft_onen_vertex4_pl_pair(g->f2, g->f4, g->D2, g->H2, s, K, 1, prec, err, errsize);
    /* the dNTK: sigma'' = 0 away from the kink, as the nets' own derivatives */
    g->kink = 1;
    for (P = 0; P < 16; P++)
        arb_zero(g->y + P);
    /* the angle and the H_0 H_1 moments */
    arb_const_pi(pi, prec);
    arb_mul(det, K + 0, K + 3, prec);
    arb_submul(det, K + 1, K + 1, prec);
    arb_sqrtpos(sd, det, prec);
    arb_atan2(th, sd, K + 1, prec);
    arb_sub(th, pi, th, prec);                        /* pi - theta */
    arb_mul_2exp_si(w, pi, 1);                        /* 2 pi */
    arb_div(hh[0], th, w, prec);
    arb_mul(t, K + 0, th, prec);
    arb_mul(u, K + 1, sd, prec);
    arb_div(u, u, K + 3, prec);
    arb_add(t, t, u, prec);
    arb_div(hh[1], t, w, prec);
    arb_mul(t, K + 1, th, prec);
    arb_add(t, t, sd, prec);
    arb_div(hh[2], t, w, prec);
    arb_mul(t, K + 3, th, prec);
    arb_mul(u, K + 1, sd, prec);
    arb_div(u, u, K + 0, prec);
    arb_add(t, t, u, prec);
    arb_div(hh[3], t, w, prec);
    /* p and its derivatives */
    arb_sub_ui(q, s, 1, prec);
    arb_sqr(q, q, prec);                              /* (1 - s)^2 */
    arb_sqr(t, s, prec);
    arb_add_ui(t, t, 1, prec);
    arb_mul_2exp_si(g->p[0], t, -1);
    arb_set(g->p[2], g->p[0]);
    arb_mul(t, q, hh[0], prec);
    arb_add(g->p[1], s, t, prec);
    for (P = 0; P < 3; P++)
        for (R = 0; R < 3; R++)
        {
            arb_zero(g->Dp[P][R]);
            for (S = 0; S < 3; S++)
                arb_zero(g->Hp[P][R][S]);
        }
    /* rho and its derivatives along (00), (01), (11) */
    arb_mul(t, K + 0, K + 3, prec);
    arb_rsqrt(u, t, prec);                            /* 1/sqrt(K00 K11) */
    arb_mul(rho, K + 1, u, prec);
    arb_set(dr[1], u);
    arb_div(t, rho, K + 0, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_neg(dr[0], t);
    arb_div(t, rho, K + 3, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_neg(dr[2], t);
    arb_zero(hr[1][1]);
    arb_div(t, u, K + 0, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_neg(hr[0][1], t);
    arb_set(hr[1][0], hr[0][1]);
    arb_div(t, u, K + 3, prec);
    arb_mul_2exp_si(t, t, -1);
    arb_neg(hr[2][1], t);
    arb_set(hr[1][2], hr[2][1]);
    arb_div(t, rho, K + 0, prec);
    arb_div(t, t, K + 0, prec);
    arb_mul_ui(t, t, 3, prec);
    arb_mul_2exp_si(hr[0][0], t, -2);
    arb_div(t, rho, K + 3, prec);
    arb_div(t, t, K + 3, prec);
    arb_mul_ui(t, t, 3, prec);
    arb_mul_2exp_si(hr[2][2], t, -2);
    arb_div(t, rho, K + 0, prec);
    arb_div(t, t, K + 3, prec);
    arb_mul_2exp_si(hr[0][2], t, -2);
    arb_set(hr[2][0], hr[0][2]);
    /* g1 = q/(2 pi sqrt(1 - rho^2)), g2 = g1 rho/(1 - rho^2); 1 - rho^2 = det/(K00 K11) */
    arb_mul(t, K + 0, K + 3, prec);
    arb_div(t, det, t, prec);                         /* 1 - rho^2 */
    arb_sqrtpos(u, t, prec);
    arb_mul(u, u, w, prec);
    arb_div(g1, q, u, prec);
    arb_mul(g2, g1, rho, prec);
    arb_div(g2, g2, t, prec);
    for (R = 0; R < 3; R++)
    {
        arb_mul(g->Dp[1][R], g1, dr[R], prec);
        for (S = 0; S < 3; S++)
        {
            arb_mul(t, dr[R], dr[S], prec);
            arb_mul(t, t, g2, prec);
            arb_addmul(t, g1, hr[R][S], prec);
            arb_set(g->Hp[1][R][S], t);
        }
    }
    /* the mixed products */
    for (a0 = 0; a0 <= 2; a0++)
        for (a1 = 0; a0 + a1 <= 2; a1++)
            for (b0 = 0; a0 + b0 + a1 <= 4; b0++)
            {
                arb_t t0, t1, c0, c1;
                int e0, e1;
                b1 = 4 - a0 - b0 - a1;
                if ((a0 + a1) % 2)
                    continue;
                arb_init(t0); arb_init(t1); arb_init(c0); arb_init(c1);
                arb_pow_ui(t0, s, a0 + b0, prec);     /* s^0 = 1 */
                arb_pow_ui(t1, s, a1 + b1, prec);
                arb_zero(w);
                for (e0 = 0; e0 < 2; e0++)
                    for (e1 = 0; e1 < 2; e1++)
                    {
                        if (e0)
                            arb_sub_ui(c0, t0, 1, prec), arb_neg(c0, c0);
                        else
                            arb_set(c0, t0);
                        if (e1)
                            arb_sub_ui(c1, t1, 1, prec), arb_neg(c1, c1);
                        else
                            arb_set(c1, t1);
                        arb_mul(c0, c0, c1, prec);
                        if (arb_is_zero(c0))
                            continue;
                        pl_base(u, K, hh[0], a0, a1, e0, e1, prec);
                        arb_addmul(w, c0, u, prec);
                    }
                arb_set(g->mix + NTK2_MIXI(a0, b0, a1, b1), w);
                arb_clear(t0); arb_clear(t1); arb_clear(c0); arb_clear(c1);
            }
    fmpq_clear(ap); fmpq_clear(am);
    arb_clear(s); arb_clear(det); arb_clear(sd); arb_clear(th); arb_clear(pi); arb_clear(q);
    arb_clear(rho); arb_clear(g1); arb_clear(g2); arb_clear(t); arb_clear(u); arb_clear(w);
    for (P = 0; P < 4; P++)
        arb_clear(hh[P]);
    for (P = 0; P < 3; P++)
    {
        arb_clear(dr[P]);
        for (R = 0; R < 3; R++)
            arb_clear(hr[P][R]);
    }
    return st ? -1 : 0;
}

/* ---- tanh, sigmoid: polynomials in sigma -------------------------------- */

#define DEG NTK2_DEG

typedef ntk2_poly_t poly_t;

poly_t
_neft_onen_ntk2_pmono(int k)
{
    poly_t p;
    memset(&p, 0, sizeof p);
    p.c[k] = 1;
    return p;
}

/* p q; bad when the degree would pass 8 (never for the products used here) */
poly_t
_neft_onen_ntk2_pmul(poly_t p, poly_t q)
{
    poly_t r;
    int i, j;
    memset(&r, 0, sizeof r);
    r.bad = p.bad || q.bad;
    for (i = 0; i < DEG; i++)
        for (j = 0; j < DEG; j++)
            if (i + j < DEG)
                r.c[i + j] += p.c[i] * q.c[j];
            else if (p.c[i] * q.c[j] != 0)
                r.bad = 1;
    return r;
}

/* d/dz P(sigma(z)) = P'(sigma) Q(sigma), Q = q[0] + q[1] s + q[2] s^2; bad
   when the degree would pass 8 (never for the products used here) */
poly_t
_neft_onen_ntk2_pder(poly_t p, const slong * q)
{
    poly_t r;
    int i, k;
    memset(&r, 0, sizeof r);
    r.bad = p.bad;
    for (i = 1; i < DEG; i++)
        for (k = 0; k < 3; k++)
            if (i - 1 + k < DEG)
                r.c[i - 1 + k] += i * p.c[i] * q[k];
            else if (p.c[i] * q[k] != 0)
                r.bad = 1;
    return r;
}

/* sigma^a sigma'^b */
poly_t
_neft_onen_ntk2_pfac(int a, int b, const slong * q)
{
    poly_t r = _neft_onen_ntk2_pmono(a), d;
    memset(&d, 0, sizeof d);
    d.c[0] = q[0]; d.c[1] = q[1]; d.c[2] = q[2];
    while (b-- > 0)
        r = _neft_onen_ntk2_pmul(r, d);
    return r;
}

/* E[P0(sigma_0) P1(sigma_1)] from the moments m[i * DEG + j] (the entries
   not computed are indeterminate, so a product beyond them is not finite) */
static void
pexp(arb_t res, poly_t p0, poly_t p1, arb_srcptr m, slong prec)
{
    int i, j;
    arb_zero(res);
    if (p0.bad || p1.bad)
    {
        arb_indeterminate(res);
        return;
    }
    for (i = 0; i < DEG; i++)
        for (j = 0; j < DEG; j++)
            if (p0.c[i] && p1.c[j])
                arb_addmul_si(res, m + i * DEG + j, p0.c[i] * p1.c[j], prec);
}

/* E[P0 P1] differentiated along K_R for the nr <= 2 pairs R[] (Price) */
static void
pdiff(arb_t res, poly_t p0, poly_t p1, const int * R, int nr, arb_srcptr m, const slong * q,
      slong prec)
{
    int k, halves = 0;
    for (k = 0; k < nr; k++)
    {
        if (R[k] == 0)
            p0 = _neft_onen_ntk2_pder(_neft_onen_ntk2_pder(p0, q), q), halves++;
        else if (R[k] == 2)
            p1 = _neft_onen_ntk2_pder(_neft_onen_ntk2_pder(p1, q), q), halves++;
        else
            p0 = _neft_onen_ntk2_pder(p0, q), p1 = _neft_onen_ntk2_pder(p1, q);
    }
    pexp(res, p0, p1, m, prec);
    arb_mul_2exp_si(res, res, -halves);
}

void
_neft_onen_ntk2_chol(arb_ptr u, arb_srcptr K, slong prec)
{
    /* z_0 = sqrt(K00) xi_1, z_1 = (K01 xi_1 + sqrt(det) xi_2)/sqrt(K00) */
    arb_sqrt(u + 0, K + 0, prec);
    arb_zero(u + 1);
    arb_div(u + 2, K + 1, u + 0, prec);
    arb_mul(u + 3, K + 0, K + 3, prec);
    arb_submul(u + 3, K + 1, K + 1, prec);
    arb_sqrtpos(u + 3, u + 3, prec);
    arb_div(u + 3, u + 3, u + 0, prec);
}

/* The rows whose sigma' = Q(sigma) is a polynomial in sigma, the one place
   that names them: Q's coefficients and the parity (odd: the moments of odd
   degree vanish) */
static const ntk2_poly_row_struct poly_rows[] = {
    {"tanh", {1, 0, -1}, 1},
    {"sigmoid", {0, 1, -1}, 0},
};

const ntk2_poly_row_struct *
_neft_onen_ntk2_poly_row(const neft_net_t net)
{
    size_t i;
    for (i = 0; i < sizeof poly_rows / sizeof poly_rows[0]; i++)
        if (!strcmp(net->act->name, poly_rows[i].name))
            return poly_rows + i;
    return NULL;
}

int
_neft_onen_ntk2_is_poly(const neft_net_t net)
{
    return _neft_onen_ntk2_poly_row(net) != NULL;
}

int
_neft_onen_grid_status(int st, const neft_net_struct * net, slong D, char * err,
                       size_t errsize)
{
    if (st == NEFT_SUCCESS)
        return 0;
    if (st == NEFT_INTERRUPTED)
        return NEFT_INTERRUPTED;
    if (st == NEFT_FAILURE && strstr(err, "no Gauss-Legendre panel rule") != NULL)
    {
        snprintf(err, errsize, "%s: no %ld-D panel rule (sigma over the unit panels nears a "
                 "pole: a kernel entry too large; measured limits K_aa ~ 30 for tanh, ~ 150 "
                 "for sigmoid: docs/onen.md, \"Degenerate input sets\")", net->act->name,
                 (long) D);
        return NEFT_UNSUPPORTED;
    }
    return -1;
}

/* tanh or sigmoid: m[i * DEG + j] = E[sigma(z_0)^i sigma(z_1)^j], i + j <=
   deg <= 8, at K by one call of the rigorous 2-D rule (goal 2^-40; the
   others indeterminate); for tanh (odd) the moments of odd degree are
   exactly 0.  0; -1 with err; NEFT_INTERRUPTED */
static int
poly_moments(arb_ptr m, const neft_net_t net, arb_srcptr K, slong deg, slong prec, char * err,
             size_t errsize)
{
    int odd = _neft_onen_ntk2_poly_row(net)->odd, st;
    slong pw[2 * 64], np = 0, i, j;
    arb_ptr u = _arb_vec_init(4), res = _arb_vec_init(64);
    _neft_onen_ntk2_chol(u, K, prec);
    for (i = 0; i <= deg; i++)
        for (j = 0; i + j <= deg; j++)
            if ((!odd || (i + j) % 2 == 0) && i + j > 0)
            {
                pw[2 * np] = i;
                pw[2 * np + 1] = j;
                np++;
            }
    st = _neft_onen_grid_status(neft_gaussexp_grid(res, net->act, NULL, u, 2, 2, pw, np, 40,
                                                   NULL, err, errsize), net, 2, err, errsize);
    if (st == 0)
    {
        for (i = 0; i < DEG * DEG; i++)
            if (odd && (i / DEG + i % DEG) % 2 && i / DEG + i % DEG <= deg)
                arb_zero(m + i);
            else
                arb_indeterminate(m + i);
        arb_one(m + 0);
        for (i = 0; i < np; i++)
            arb_set(m + pw[2 * i] * DEG + pw[2 * i + 1], res + i);
    }
    _arb_vec_clear(u, 4); _arb_vec_clear(res, 64);
    return st;
}

int
_neft_onen_ntk2_pair_poly(arb_t ss, arb_t dd, const neft_net_t net, arb_srcptr K, slong prec,
                          char * err, size_t errsize)
{
    const slong * q = _neft_onen_ntk2_poly_row(net)->q;
    arb_ptr m = _arb_vec_init(DEG * DEG);
    int st = poly_moments(m, net, K, 4, prec, err, errsize);
    if (st == 0)
    {
        /* as f2[1] and p[1] of poly_gauss, from the moments of degree <= 4 */
        pexp(ss, _neft_onen_ntk2_pfac(1, 0, q), _neft_onen_ntk2_pfac(1, 0, q), m, prec);
        pexp(dd, _neft_onen_ntk2_pfac(0, 1, q), _neft_onen_ntk2_pfac(0, 1, q), m, prec);
    }
    else
    {
        arb_indeterminate(ss);
        arb_indeterminate(dd);
    }
    _arb_vec_clear(m, DEG * DEG);
    return st;
}

/* tanh (odd: the moments of odd degree vanish) or sigmoid */
static int
poly_gauss(ntk2_gauss_struct * g, const neft_net_t net, arb_srcptr K, slong prec, char * err,
           size_t errsize)
{
    const slong * q = _neft_onen_ntk2_poly_row(net)->q;
    arb_ptr m = _arb_vec_init(DEG * DEG);
    int st, P, Q, R, S, a0, b0, a1;
    st = poly_moments(m, net, K, DEG - 1, prec, err, errsize);
    if (st != 0)
        goto done;
    for (P = 0; P < 3; P++)
    {
        /* the pair's factors sigma_a sigma_b and sigma'_a sigma'_b per input */
        poly_t s0, s1, d0, d1;
        s0 = _neft_onen_ntk2_pfac((pa[P] == 0) + (pb[P] == 0), 0, q);
        s1 = _neft_onen_ntk2_pfac((pa[P] == 1) + (pb[P] == 1), 0, q);
        d0 = _neft_onen_ntk2_pfac(0, (pa[P] == 0) + (pb[P] == 0), q);
        d1 = _neft_onen_ntk2_pfac(0, (pa[P] == 1) + (pb[P] == 1), q);
        pdiff(g->f2[P], s0, s1, NULL, 0, m, q, prec);
        pdiff(g->p[P], d0, d1, NULL, 0, m, q, prec);
        for (R = 0; R < 3; R++)
        {
            pdiff(g->D2[P][R], s0, s1, &R, 1, m, q, prec);
            pdiff(g->Dp[P][R], d0, d1, &R, 1, m, q, prec);
            for (S = 0; S < 3; S++)
            {
                int RS[2] = {R, S};
                pdiff(g->H2[P][R][S], s0, s1, RS, 2, m, q, prec);
                pdiff(g->Hp[P][R][S], d0, d1, RS, 2, m, q, prec);
            }
        }
        for (Q = 0; Q < 3; Q++)
        {
            int n0 = (pa[P] == 0) + (pb[P] == 0) + (pa[Q] == 0) + (pb[Q] == 0);
            pexp(g->f4[P][Q], _neft_onen_ntk2_pfac(n0, 0, q), _neft_onen_ntk2_pfac(4 - n0, 0, q), m, prec);
        }
    }
    for (a0 = 0; a0 <= 2; a0++)
        for (a1 = 0; a0 + a1 <= 2; a1++)
            for (b0 = 0; a0 + b0 + a1 <= 4; b0++)
                pexp(g->mix + NTK2_MIXI(a0, b0, a1, 4 - a0 - b0 - a1), _neft_onen_ntk2_pfac(a0, b0, q),
                     _neft_onen_ntk2_pfac(a1, 4 - a0 - b0 - a1, q), m, prec);
    /* y: sigma' sigma'' sigma' sigma at the inputs of t's bits, sigma'' = D sigma' */
    g->kink = 0;
    for (P = 0; P < 16; P++)
    {
        poly_t f[2] = {_neft_onen_ntk2_pmono(0), _neft_onen_ntk2_pmono(0)};
        f[P >> 3] = _neft_onen_ntk2_pmul(f[P >> 3], _neft_onen_ntk2_pfac(0, 1, q));
        f[(P >> 2) & 1] = _neft_onen_ntk2_pmul(f[(P >> 2) & 1], _neft_onen_ntk2_pder(_neft_onen_ntk2_pfac(0, 1, q), q));
        f[(P >> 1) & 1] = _neft_onen_ntk2_pmul(f[(P >> 1) & 1], _neft_onen_ntk2_pfac(0, 1, q));
        f[P & 1] = _neft_onen_ntk2_pmul(f[P & 1], _neft_onen_ntk2_pfac(1, 0, q));
        pexp(g->y + P, f[0], f[1], m, prec);
    }
    st = 0;
done:
    _arb_vec_clear(m, DEG * DEG);
    return st;
}

int
_neft_onen_ntk2_gauss(ntk2_gauss_struct * g, const neft_net_t net, arb_srcptr K, slong prec,
                      char * err, size_t errsize)
{
    if (neft_onen_is_scale_invariant(net))
        return pl_gauss(g, net, K, prec, err, errsize);
    if (_neft_onen_ntk2_is_poly(net))
        return poly_gauss(g, net, K, prec, err, errsize);
    if (!strcmp(net->act->name, "erf"))
        return _neft_onen_ntk2_gauss_erf(g, net, K, prec, err, errsize);
    if (!strcmp(net->act->name, "sin"))
        return _neft_onen_ntk2_gauss_sin(g, K, prec);
    snprintf(err, errsize, "%s: no two-input NTK data", net->act->name);
    return -1;
}
