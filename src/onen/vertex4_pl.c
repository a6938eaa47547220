/* The pair data of src/onen/vertex4.c (f2, the two-input four-factor
   expectations, the K-derivatives D and H of f2) for the piecewise-linear
   rows sigma(z) = z (z > 0), s z (z < 0) in closed form (docs/onen.md,
   "Any number of inputs").  With sigma = s z + (1 - s) relu(z),
     f2_ab = s K_ab + (1 - s)^2 r,   r = (sqrt(det) + (pi - theta) K_ab) / (2 pi),
   det = K_aa K_bb - K_ab^2, theta = atan2(sqrt(det), K_ab) (the arc-cosine
   kernel), and the derivatives of r (K_ab one variable):
     dr/dK_ab = (pi - theta)/(2 pi),   dr/dK_aa = sqrt(det)/(4 pi K_aa),
     d2r/dK_ab^2 = 1/(2 pi sqrt(det)),  d2r/dK_ab dK_aa = -K_ab/(4 pi K_aa sqrt(det)),
     d2r/dK_aa^2 = (2 K_ab^2 - K_aa K_bb)/(8 pi K_aa^2 sqrt(det)),
     d2r/dK_aa dK_bb = 1/(8 pi sqrt(det));
   on the diagonal <sigma^2> = (1 + s^2) K / 2, <sigma^4> = 3 (1 + s^4) K^2 / 2.
   The four-factor expectations of two inputs by neft_gaussexp_pwlin. */

#include "neft/onen.h"
#include "neft/gaussexp.h"
#include "onen_private.h"

static const int qa[3] = { 0, 0, 1 }, qb[3] = { 0, 1, 1 };

int
_neft_onen_vertex4_pl_pair(arb_t f2[3], arb_t f4[3][3], arb_t D[3][3], arb_t H[3][3][3],
                           const arb_t s, arb_srcptr K2, int want_h, slong prec,
                           char * err, size_t errsize)
{
    arb_t det, sd, th, pi, r, u, v, w, c2;
    slong P, Q, R, S, a, k, pw[2];
    int st = 0;
    arb_init(det); arb_init(sd); arb_init(th); arb_init(pi); arb_init(r);
    arb_init(u); arb_init(v); arb_init(w); arb_init(c2);
    for (P = 0; P < 3; P++)
    {
        arb_zero(f2[P]);
        for (Q = 0; Q < 3; Q++)
        {
            arb_zero(f4[P][Q]);
            arb_zero(D[P][Q]);
            for (R = 0; R < 3; R++)
                arb_zero(H[P][Q][R]);
        }
    }
    arb_const_pi(pi, prec);
    /* (1 - s)^2 */
    arb_sub_ui(c2, s, 1, prec);
    arb_sqr(c2, c2, prec);
    /* the diagonal */
    for (a = 0; a < 2; a++)
    {
        slong d = 2 * a;
        arb_sqr(u, s, prec);
        arb_add_ui(u, u, 1, prec);
        arb_mul_2exp_si(u, u, -1);                 /* (1 + s^2)/2 */
        arb_mul(f2[d], u, K2 + 3 * a, prec);
        arb_set(D[d][d], u);
        arb_pow_ui(u, s, 4, prec);
        arb_add_ui(u, u, 1, prec);
        arb_mul_ui(u, u, 3, prec);
        arb_mul_2exp_si(u, u, -1);
        arb_sqr(v, K2 + 3 * a, prec);
        arb_mul(f4[d][d], u, v, prec);
    }
    /* the off-diagonal f2, D, H */
    arb_mul(det, K2 + 0, K2 + 3, prec);
    arb_submul(det, K2 + 1, K2 + 1, prec);
    arb_sqrtpos(sd, det, prec);
    arb_atan2(th, sd, K2 + 1, prec);
    arb_sub(u, pi, th, prec);                      /* pi - theta */
    arb_mul(r, u, K2 + 1, prec);
    arb_add(r, r, sd, prec);
    arb_div(r, r, pi, prec);
    arb_mul_2exp_si(r, r, -1);
    arb_mul(f2[1], c2, r, prec);
    arb_addmul(f2[1], s, K2 + 1, prec);
    /* D_01,01 = s + (1 - s)^2 (pi - theta)/(2 pi) */
    arb_div(v, u, pi, prec);
    arb_mul_2exp_si(v, v, -1);
    arb_mul(D[1][1], c2, v, prec);
    arb_add(D[1][1], D[1][1], s, prec);
    /* D_01,aa = (1 - s)^2 sqrt(det)/(4 pi K_aa) */
    for (a = 0; a < 2; a++)
    {
        arb_mul(v, pi, K2 + 3 * a, prec);
        arb_mul_2exp_si(v, v, 2);
        arb_div(v, sd, v, prec);
        arb_mul(D[1][2 * a], c2, v, prec);
    }
    if (want_h)
    {
        /* H_01,RS = (1 - s)^2 d2r/dK_R dK_S; w = 1/(pi sqrt(det)) */
        arb_mul(w, pi, sd, prec);
        arb_inv(w, w, prec);
        arb_mul_2exp_si(v, w, -1);
        arb_mul(H[1][1][1], c2, v, prec);
        arb_mul_2exp_si(v, w, -3);
        arb_mul(H[1][0][2], c2, v, prec);
        arb_set(H[1][2][0], H[1][0][2]);
        for (a = 0; a < 2; a++)
        {
            arb_srcptr ka = K2 + 3 * a, kb = K2 + 3 * (1 - a);
            slong d = 2 * a;
            /* -K_ab/(4 pi K_aa sqrt(det)) */
            arb_mul(v, w, K2 + 1, prec);
            arb_div(v, v, ka, prec);
            arb_mul_2exp_si(v, v, -2);
            arb_neg(v, v);
            arb_mul(H[1][1][d], c2, v, prec);
            arb_set(H[1][d][1], H[1][1][d]);
            /* (2 K_ab^2 - K_aa K_bb)/(8 pi K_aa^2 sqrt(det)) */
            arb_sqr(v, K2 + 1, prec);
            arb_mul_2exp_si(v, v, 1);
            arb_submul(v, ka, kb, prec);
            arb_mul(v, v, w, prec);
            arb_div(v, v, ka, prec);
            arb_div(v, v, ka, prec);
            arb_mul_2exp_si(v, v, -3);
            arb_mul(H[1][d][d], c2, v, prec);
        }
    }
    /* f2 and D are symmetric in the pair order (D_00,R = 0 for R != 00) */
    /* the two-input four-factor expectations */
    for (P = 0; P < 3 && !st; P++)
        for (Q = P; Q < 3 && !st; Q++)
        {
            slong idx[4] = { qa[P], qb[P], qa[Q], qb[Q] }, n0 = 0;
            for (k = 0; k < 4; k++)
                n0 += idx[k] == 0;
            if (n0 == 0 || n0 == 4)
                continue;          /* the diagonal, above */
            pw[0] = n0;
            pw[1] = 4 - n0;
            if (neft_gaussexp_pwlin(f4[P][Q], s, K2, 2, pw, prec, err, errsize) != NEFT_SUCCESS)
                st = -1;
            arb_set(f4[Q][P], f4[P][Q]);
        }
    if (!st && want_h)
        for (R = 0; R < 3; R++)
            for (S = 0; S < 3; S++)
                if (!arb_is_finite(H[1][R][S]))
                {
                    snprintf(err, errsize, "the second K-derivatives of the two-input "
                             "expectation are not finite (collinear inputs)");
                    st = -1;
                }
    arb_clear(det); arb_clear(sd); arb_clear(th); arb_clear(pi); arb_clear(r);
    arb_clear(u); arb_clear(v); arb_clear(w); arb_clear(c2);
    return st;
}
