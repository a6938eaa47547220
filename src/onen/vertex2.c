/* The four-point vertex for two inputs, piecewise-linear activations
   sigma(z) = z (z > 0), s z (z < 0): relu (s = 0), leaky (s), linear (s = 1).

   V^(l)_{(ab)(cd)} = lim n_{l-1} Cov(G_ab, G_cd) for the random covariance G of
   layer l.  Conditioning on layer l (G' = C_b + C_W Y, Y = (1/n_l) sum_j
   sigma_a sigma_b):
     V'_{PQ} = C_W^2 [<s4>_{PQ} - <s2>_P <s2>_Q + r sum_{R,S} D_{PR} D_{QS} V_{RS}],
   P, Q, R, S over the pairs (00), (01), (11), D_{PR} = d<s2>_P / dK_R (K_R the
   independent entries of the symmetric kernel) -- the formula printed by
   --formulas with X = C_W D.

   Gaussian expectations in polar coordinates: u = sqrt(K00) r cos t,
   v = sqrt(K11) r cos(t - phi), cos phi = K01/sqrt(K00 K11), so
     E[sigma(u)^p sigma(v)^q] = K00^{p/2} K11^{q/2} 2^{d/2} (d/2)! / (2 pi)
                                * int_0^{2pi} sigma(cos t)^p sigma(cos(t-phi))^q dt
   (d = p + q even), and the angular integral is a sum over the four sectors of
   signs of exponentials e^{imt}, integrated exactly.  Derivatives by Price's
   theorem: d<s_0 s_1>/dK01 = <sigma'_0 sigma'_1> (same integral, d = 0),
   d<s_0 s_1>/dK00 = (1/2)<sigma''_0 sigma_1> = (1-s)^2 sqrt(K00 K11 - K01^2)/(4 pi K00). */

#include "neft/onen.h"
#include "onen_private.h"
#include "../cost.h"

/* int over the four sign sectors of cos^p t cos^q(t - phi) * s^(ep [cos t < 0]
   + eq [cos(t-phi) < 0]) dt, for phi in [0, pi]. */
static void
angular(arb_t res, const arb_t s, slong p, slong q, slong ep, slong eq, const arb_t phi,
        slong prec)
{
    arb_t pi2, lo[4], hi[4], w[4], acc, term, a, b, sa, ca, sb, cb, sp, cp, t;
    slong sec, j, k, d = p + q;
    fmpz_t binom;

    arb_init(pi2); arb_init(acc); arb_init(term); arb_init(a); arb_init(b);
    arb_init(sa); arb_init(ca); arb_init(sb); arb_init(cb); arb_init(sp); arb_init(cp);
    arb_init(t);
    fmpz_init(binom);
    for (sec = 0; sec < 4; sec++)
    {
        arb_init(lo[sec]); arb_init(hi[sec]); arb_init(w[sec]);
    }
    arb_const_pi(pi2, prec);
    arb_mul_2exp_si(pi2, pi2, -1);                        /* pi/2 */
    /* S1 (phi - pi/2, pi/2): weight 1 */
    arb_sub(lo[0], phi, pi2, prec); arb_set(hi[0], pi2); arb_one(w[0]);
    /* S2 (pi/2, phi + pi/2): cos t < 0 */
    arb_set(lo[1], pi2); arb_add(hi[1], phi, pi2, prec); arb_pow_ui(w[1], s, ep, prec);
    /* S3 (phi + pi/2, 3pi/2): both negative */
    arb_add(lo[2], phi, pi2, prec); arb_mul_ui(hi[2], pi2, 3, prec);
    arb_pow_ui(w[2], s, ep + eq, prec);
    /* S4 (-pi/2, phi - pi/2): cos(t - phi) < 0 */
    arb_neg(lo[3], pi2); arb_sub(hi[3], phi, pi2, prec); arb_pow_ui(w[3], s, eq, prec);

    arb_zero(res);
    for (sec = 0; sec < 4; sec++)
    {
        if (arb_is_zero(w[sec]))
            continue;
        arb_zero(acc);
        /* cos^p t cos^q(t-phi) = 2^-d sum_jk C(p,j) C(q,k) e^{imt} e^{-i psi},
           m = 2j - p + 2k - q, psi = (2k - q) phi; real part of the integral */
        for (j = 0; j <= p; j++)
            for (k = 0; k <= q; k++)
            {
                slong m = 2 * j - p + 2 * k - q;
                arb_mul_si(t, phi, 2 * k - q, prec);
                arb_sin_cos(sp, cp, t, prec);
                if (m == 0)
                {
                    arb_sub(term, hi[sec], lo[sec], prec);
                    arb_mul(term, term, cp, prec);
                }
                else
                {
                    arb_mul_si(a, lo[sec], m, prec);
                    arb_mul_si(b, hi[sec], m, prec);
                    arb_sin_cos(sa, ca, a, prec);
                    arb_sin_cos(sb, cb, b, prec);
                    arb_sub(term, sb, sa, prec);             /* m * Re part */
                    arb_mul(term, term, cp, prec);
                    arb_sub(t, ca, cb, prec);                /* m * Im part */
                    arb_addmul(term, t, sp, prec);
                    arb_div_si(term, term, m, prec);
                }
                fmpz_bin_uiui(binom, p, j);
                arb_mul_fmpz(term, term, binom, prec);
                fmpz_bin_uiui(binom, q, k);
                arb_mul_fmpz(term, term, binom, prec);
                arb_add(acc, acc, term, prec);
            }
        arb_mul_2exp_si(acc, acc, -d);
        arb_addmul(res, acc, w[sec], prec);
    }
    for (sec = 0; sec < 4; sec++)
    {
        arb_clear(lo[sec]); arb_clear(hi[sec]); arb_clear(w[sec]);
    }
    arb_clear(pi2); arb_clear(acc); arb_clear(term); arb_clear(a); arb_clear(b);
    arb_clear(sa); arb_clear(ca); arb_clear(sb); arb_clear(cb); arb_clear(sp); arb_clear(cp);
    arb_clear(t);
    fmpz_clear(binom);
}

/* E[sigma(u)^p sigma(v)^q] for (u, v) ~ N(0, [[k00, k01], [k01, k11]]), p + q even. */
static void
moment(arb_t res, const arb_t s, slong p, slong q, const arb_t k00, const arb_t k11,
       const arb_t phi, slong prec)
{
    arb_t t;
    slong h = (p + q) / 2;
    arb_init(t);
    angular(res, s, p, q, p, q, phi, prec);
    arb_fac_ui(t, h, prec);
    arb_mul_2exp_si(t, t, h);
    arb_mul(res, res, t, prec);
    arb_const_pi(t, prec);
    arb_mul_2exp_si(t, t, 1);
    arb_div(res, res, t, prec);
    arb_sqrt(t, k00, prec);
    arb_pow_ui(t, t, p, prec);
    arb_mul(res, res, t, prec);
    arb_sqrt(t, k11, prec);
    arb_pow_ui(t, t, q, prec);
    arb_mul(res, res, t, prec);
    arb_clear(t);
}

static const int pair_a[3] = { 0, 0, 1 }, pair_b[3] = { 0, 1, 1 };

/* The piecewise-linear rows (the vertex2 method of relu, leaky-relu, linear). */
int
_neft_onen_vertex2_pl(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                      const arb_srcptr x, slong d_in)
{
    slong prec = par->prec, depth = par->net->depth, l, P, Q, R, S;
    arb_t s, phi, c, t, u, f2[3], d[3][3], f4[3][3], Vn[3][3], cw, cb;
    arb_ptr K, V;
    fmpq_t ap, am;

    fmpq_init(ap); fmpq_init(am);
    if (_neft_onen_pl_slopes(ap, am, par->net) != NEFT_SUCCESS)
    {
        /* not piecewise linear: no other row's vertex answers */
        fmpq_clear(ap); fmpq_clear(am);
        _arb_vec_indeterminate(kernels, 4 * depth);
        _arb_vec_indeterminate(vertex, 9 * depth);
        return NEFT_UNSUPPORTED;
    }
    arb_init(cw); arb_init(cb);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    arb_init(s); arb_init(phi); arb_init(c); arb_init(t); arb_init(u);
    for (P = 0; P < 3; P++)
    {
        arb_init(f2[P]);
        for (Q = 0; Q < 3; Q++)
        {
            arb_init(d[P][Q]); arb_init(f4[P][Q]); arb_init(Vn[P][Q]);
        }
    }
    arb_set_fmpq(s, am, prec);   /* the slope for z < 0 */
    fmpq_clear(ap); fmpq_clear(am);

    /* layer 1 */
    _neft_onen_kernel1(kernels, x, 2, d_in, cw, cb, prec);
    _arb_vec_zero(vertex, 9);

    for (l = 1; l < depth && !neft_interrupted(); l++)
    {
        slong num = 1, den = 1;
        K = kernels + 4 * (l - 1);
        V = vertex + 9 * (l - 1);
        /* phi = atan2(sqrt(K00 K11 - K01^2), K01) in [0, pi]: no acos at +-1 */
        arb_mul(t, K + 0, K + 3, prec);
        arb_submul(t, K + 1, K + 1, prec);
        arb_sqrtpos(t, t, prec);
        arb_atan2(phi, t, K + 1, prec);

        for (P = 0; P < 3; P++)
            moment(f2[P], s, 2 - pair_a[P] - pair_b[P], pair_a[P] + pair_b[P], K + 0, K + 3,
                   phi, prec);
        for (P = 0; P < 3; P++)
            for (Q = P; Q < 3; Q++)
            {
                slong ones = pair_a[P] + pair_b[P] + pair_a[Q] + pair_b[Q];
                moment(f4[P][Q], s, 4 - ones, ones, K + 0, K + 3, phi, prec);
                arb_set(f4[Q][P], f4[P][Q]);
            }
        /* D: d<s2>_P / dK_R */
        for (P = 0; P < 3; P++)
            for (R = 0; R < 3; R++)
                arb_zero(d[P][R]);
        arb_sqr(t, s, prec);
        arb_add_ui(t, t, 1, prec);
        arb_mul_2exp_si(t, t, -1);                    /* mu_1 = (1 + s^2)/2 */
        arb_set(d[0][0], t);
        arb_set(d[2][2], t);
        angular(d[1][1], s, 0, 0, 1, 1, phi, prec);   /* <sigma' sigma'> */
        arb_const_pi(t, prec);
        arb_mul_2exp_si(t, t, 1);
        arb_div(d[1][1], d[1][1], t, prec);
        arb_mul(t, K + 0, K + 3, prec);
        arb_submul(t, K + 1, K + 1, prec);
        arb_sqrtpos(t, t, prec);                      /* sqrt(K00 K11 - K01^2) */
        arb_sub_ui(u, s, 1, prec);
        arb_sqr(u, u, prec);
        arb_mul(t, t, u, prec);
        arb_const_pi(u, prec);
        arb_mul_2exp_si(u, u, 2);
        arb_div(t, t, u, prec);                       /* (1-s)^2 sqrt(det) / (4 pi) */
        arb_div(d[1][0], t, K + 0, prec);
        arb_div(d[1][2], t, K + 3, prec);

        /* width ratio n_l / n_{l-1}, as in the single-input recursion */
        _neft_onen_ratio_si(&num, &den, par->net, l);
        for (P = 0; P < 3; P++)
            for (Q = 0; Q < 3; Q++)
            {
                arb_zero(Vn[P][Q]);
                for (R = 0; R < 3; R++)
                    for (S = 0; S < 3; S++)
                    {
                        arb_mul(t, d[P][R], d[Q][S], prec);
                        arb_addmul(Vn[P][Q], t, V + 3 * R + S, prec);
                    }
                arb_mul_si(Vn[P][Q], Vn[P][Q], num, prec);
                arb_div_si(Vn[P][Q], Vn[P][Q], den, prec);
                arb_add(Vn[P][Q], Vn[P][Q], f4[P][Q], prec);
                arb_submul(Vn[P][Q], f2[P], f2[Q], prec);
                arb_mul(Vn[P][Q], Vn[P][Q], cw, prec);
                arb_mul(Vn[P][Q], Vn[P][Q], cw, prec);
            }
        for (P = 0; P < 3; P++)
            for (Q = 0; Q < 3; Q++)
                arb_set(vertex + 9 * l + 3 * P + Q, Vn[P][Q]);
        for (P = 0; P < 3; P++)
        {
            arb_ptr k = kernels + 4 * l;
            arb_mul(k + 2 * pair_a[P] + pair_b[P], f2[P], cw, prec);
            arb_add(k + 2 * pair_a[P] + pair_b[P], k + 2 * pair_a[P] + pair_b[P], cb, prec);
        }
        arb_set(kernels + 4 * l + 2, kernels + 4 * l + 1);
    }

    arb_clear(s); arb_clear(phi); arb_clear(c); arb_clear(t); arb_clear(u);
    arb_clear(cw); arb_clear(cb);
    for (P = 0; P < 3; P++)
    {
        arb_clear(f2[P]);
        for (Q = 0; Q < 3; Q++)
        {
            arb_clear(d[P][Q]); arb_clear(f4[P][Q]); arb_clear(Vn[P][Q]);
        }
    }
    if (neft_interrupted())
        return -1;
    for (l = 0; l < 9 * depth; l++)
        if (!arb_is_finite(vertex + l))
            return -1;
    return 0;
}

int
neft_onen_vertex2(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                  const arb_srcptr x, slong d_in)
{
    const onen_row_struct * row = _neft_onen_row(par->net);
    slong l, a;

    if (!neft_onen_has(par->net, NEFT_ONEN_CAP_VERTEX2, NULL)
        || neft_onen_check_depth(par->net, NULL) != NEFT_SUCCESS)
    {
        for (l = 0; l < par->net->depth; l++)
        {
            for (a = 0; a < 4; a++)
                arb_indeterminate(kernels + 4 * l + a);
            for (a = 0; a < 9; a++)
                arb_indeterminate(vertex + 9 * l + a);
        }
        return NEFT_UNSUPPORTED;
    }
    return row->vertex2(kernels, vertex, par, x, d_in);
}

void
neft_onen_vertex2_cost(double * ops, double * bytes, const neft_onen_params_t par, slong d_in)
{
    double A = _neft_cost_arb(par->prec);
    const onen_row_struct * row = _neft_onen_row(par->net);
    *ops = row != NULL && row->vertex2 == _neft_onen_vertex2_gen
        ? _neft_onen_vertex2_gen_cost(par) : 0;
    *ops += 4 * (double) d_in * A
         + (double) par->net->depth * (400 * A + 20 * _neft_cost_exp(par->prec));
    *bytes = (double) par->net->depth * 13 * (sizeof(arb_struct) + 2.0 * (double) par->prec / 8);
}
