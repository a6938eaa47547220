/* Two-direction Gaussian expectations by Mehler's (Hermite) series
   (src/gaussexp/route.h; docs/integrate.md, "Gaussian expectations").

   For x, y standard normal with correlation rho,

     E[F(x) G(y)] = sum_k rho^k a_k b_k,   a_k = E[F He_k]/sqrt(k!), b_k = E[G He_k]/sqrt(k!)

   (Mehler's formula), F(x) = sigma^(deriv)(s0 x)^m0, G(y) =
   sigma^(deriv)(s1 y)^m1.  Tail: by Cauchy-Schwarz |sum_{k>N} rho^k a_k b_k|
   <= |rho|^(N+1) sqrt(A_N B_N), A_N = sum_{k>N} a_k^2 = E[F^2] - sum_{k<=N}
   a_k^2 (Parseval), both terms computed by the same rule.

   The coefficients: one Gauss-Legendre panel rule on [-R, R] (panels of
   half-width 1/4, <= 64 nodes each, Arb balls), the normalised Hermite
   values He_k(x)/sqrt(k!) by their three-term recurrence at every node.
   Error of a panel: (64/15) h M rho_e^-2(n-1)/(rho_e^2 - 1) (Trefethen, SIAM
   Review 50 (2008), Thm 4.5) with M the sup on the Bernstein ellipse, bounded
   on its enclosing box z = x + iy (|y| <= B, |x| >= d) by sup|F| (one ball
   evaluation of the row, holomorphy certified) times, for every k <= N,

     |He_k(z) e^(-z^2/2)|/sqrt(k!) <= s^(-N/2) (1 - s^2)^(-1/4) e^(-d^2/(2(1+s)) + B^2/(2(1-s)))

   for any 0 < s < 1 (Mehler's kernel at (z, conj z): sum_k |He_k(z)|^2
   s^k/k! = (1 - s^2)^(-1/2) e^((x^2 s/(1+s) + y^2 s/(1-s))), each term below
   the sum).  Outside [-R, R]: |F| <= C (the row's declared bound) and
   Cramer's inequality |He_k(x)| <= 1.0865 sqrt(k!) e^(x^2/4) (Abramowitz-
   Stegun 22.14.17). */

#include <math.h>
#include <stdio.h>
#include "neft/gaussexp.h"
#include "neft/interrupt.h"
#include "../integrate/gl.h"
#include "tail.h"
#include "route.h"

#define MH 0.25          /* panel half-width */
#define NRHO_E 6

static const double rho_e[NRHO_E] = {1.5, 2, 3, 4, 6, 8};

/* upper bound of a ball as a double (INFINITY when not finite) */
static double
arb_up_d(const arb_t x)
{
    arf_t u;
    double v;
    if (!arb_is_finite(x))
        return INFINITY;
    arf_init(u);
    arb_get_ubound_arf(u, x, 64);
    v = arf_get_d(u, ARF_RND_UP);
    arf_clear(u);
    return v;
}

/* upper bound of max_{k<=N} sup |He_k(z) e^{-z^2/2}| / sqrt(k! 2 pi) over
   |Im z| <= B, |Re z| >= d (the bound above, minimised over a few s) */
static double
hermite_box_bound(slong N, double d, double B)
{
    double best = INFINITY, eps0 = N > 0 ? B / sqrt((double) N) : 0.5;
    arb_t s, t, u;
    int i;
    arb_init(s); arb_init(t); arb_init(u);
    for (i = 0; i < 5; i++)
    {
        static const double fac[5] = {0.25, 0.5, 1, 2, 4};
        double eps = eps0 * fac[i], v;
        if (!(eps > 1e-6))
            eps = 1e-6;
        if (eps > 0.9)
            eps = 0.9;
        arb_set_d(s, 1 - eps);
        /* -N/2 log s - log(1 - s^2)/4 - d^2/(2(1+s)) + B^2/(2(1-s)) - log(2 pi)/2 */
        arb_log(t, s, 64);
        arb_mul_si(t, t, -N, 64);
        arb_mul_2exp_si(t, t, -1);
        arb_sqr(u, s, 64);
        arb_sub_ui(u, u, 1, 64);
        arb_neg(u, u);
        arb_log(u, u, 64);
        arb_mul_2exp_si(u, u, -2);
        arb_sub(t, t, u, 64);
        arb_set_d(u, d);
        arb_sqr(u, u, 64);
        arb_add_ui(s, s, 1, 64);
        arb_div(u, u, s, 64);
        arb_mul_2exp_si(u, u, -1);
        arb_sub(t, t, u, 64);
        arb_set_d(u, B);
        arb_sqr(u, u, 64);
        arb_set_d(s, eps);
        arb_div(u, u, s, 64);
        arb_mul_2exp_si(u, u, -1);
        arb_add(t, t, u, 64);
        arb_const_pi(u, 64);
        arb_mul_2exp_si(u, u, 1);
        arb_log(u, u, 64);
        arb_mul_2exp_si(u, u, -1);
        arb_sub(t, t, u, 64);
        arb_exp(t, t, 64);
        v = arb_up_d(t);
        if (v < best)
            best = v;
    }
    arb_clear(s); arb_clear(t); arb_clear(u);
    return best;
}

/* (64/15) h rho^-2(n-1) / (rho^2 - 1), rounded up */
static double
gl_factor(double rho, slong n, double h)
{
    arb_t r, t;
    double v;
    arb_init(r); arb_init(t);
    arb_set_d(r, rho);
    arb_pow_ui(t, r, (ulong) (2 * (n - 1)), 64);
    arb_sqr(r, r, 64);
    arb_sub_ui(r, r, 1, 64);
    arb_mul(t, t, r, 64);
    arb_set_d(r, 64 * h);
    arb_div_ui(r, r, 15, 64);
    arb_div(t, r, t, 64);
    v = arb_up_d(t);
    arb_clear(r); arb_clear(t);
    return v;
}

/* sup |sigma^(deriv)(s z)|^m over the box z in [lo, hi] + i[-B, B] (holomorphy
   certified), INFINITY when not certified */
static double
sup_box(neft_act_srcptr act, arb_srcptr par, slong deriv, const arb_t sc, slong m, double lo,
        double hi, double B)
{
    acb_t z, v;
    arb_t t;
    double r;
    acb_init(z); acb_init(v); arb_init(t);
    arb_set_d(acb_realref(z), (lo + hi) / 2);
    mag_set_d(arb_radref(acb_realref(z)), (hi - lo) / 2 * (1 + 1e-15) + 1e-300);
    arb_zero(acb_imagref(z));
    mag_set_d(arb_radref(acb_imagref(z)), B * (1 + 1e-15) + 1e-300);
    acb_mul_arb(z, z, sc, 64);
    if (act->eval_acb(v, z, par, deriv, 1, 64) != NEFT_ACT_SUCCESS || !acb_is_finite(v))
        r = INFINITY;
    else
    {
        acb_abs(t, v, 64);
        arb_pow_ui(t, t, (ulong) m, 64);
        r = arb_up_d(t);
    }
    acb_clear(z); acb_clear(v); arb_clear(t);
    return r;
}

/* a[j (N+1) + k] (j <= P, k <= N) = E[F x^j He_k]/sqrt(k!) and f2[j] =
   E[F^2 x^(2j)], F(x) = sigma^(deriv)(sc x)^m, |F| <= C on the reals; the
   absolute errors of the rule about goal (P + 1)^2 per coefficient.
   NEFT_SUCCESS, NEFT_FAILURE (no panel rule reaches the goal; err),
   NEFT_INTERRUPTED. */
static int
coefficients(arb_ptr a, arb_ptr f2, neft_act_srcptr act, arb_srcptr par, slong deriv,
             const arb_t sc, slong m, double C, slong N, slong P, double goal, int parity,
             slong wp, char * err, size_t errsize)
{
    double R, ea = 0, e2 = 0, lo, e0d = 0, e2d = 0;
    slong npan, p, q, k, n, rp, j, L = N + 1;
    arb_ptr isq = _arb_vec_init(N + 2), sq = _arb_vec_init(N + 2), wx = _arb_vec_init(P + 1);
    arb_t x, w, F, t, e0, e1, e2b, Rb;
    int st = NEFT_SUCCESS;

    arb_init(x); arb_init(w); arb_init(F); arb_init(t); arb_init(e0); arb_init(e1);
    arb_init(e2b); arb_init(Rb);
    _arb_vec_zero(a, (P + 1) * L);
    _arb_vec_zero(f2, P + 1);
    /* R: C 1.0865 e^{-R^2/4} and C^2 e^{-R^2/2} below goal/8 (x^j: P more) */
    R = 2 * sqrt(log(8 * 2 * (C > 1 ? C * C : 1) / goal)) + 1 + (double) P;
    npan = (slong) ceil(R / (2 * MH));
    R = 2 * MH * (double) npan;
    /* the recurrence's balls grow like |He_k(i x)|/sqrt(k!) ~ e^{x sqrt(k) + x^2/4}
       while the values are ~ e^{x^2/4}: rp carries e^{max_x (x sqrt(N) - x^2/4)}
       more bits (an estimate for tightness; the balls stay rigorous) */
    {
        double xm = 2 * sqrt((double) N) < R ? 2 * sqrt((double) N) : R;
        rp = wp + 8 + (slong) ceil(1.4426950408889634 * (xm * sqrt((double) N) - xm * xm / 4));
    }
    for (k = 1; k <= N + 1; k++)
    {
        arb_sqrt_ui(sq + k, (ulong) k, rp);
        arb_inv(isq + k, sq + k, rp);
    }
    lo = parity ? 0 : -R;
    if (!parity)
        npan *= 2;       /* [-R, R]; [0, R] doubled with a parity */
    for (p = 0; p < npan && st == NEFT_SUCCESS; p++)
    {
        double c = lo + MH * (double) (2 * p + 1), d, bestn = 1e9, Ma = 0, M2 = 0, K = 0;
        double tp = goal / (4.0 * (double) npan);
        const _neft_gl_struct * gl;
        int i;
        if (neft_interrupted())
        {
            st = NEFT_INTERRUPTED;
            break;
        }
        for (i = 0; i < NRHO_E; i++)
        {
            double A = MH * (rho_e[i] + 1 / rho_e[i]) / 2 * (1 + 1e-12),
                B = MH * (rho_e[i] - 1 / rho_e[i]) / 2 * (1 + 1e-12), S, Hb, G, ma, m2, Kf;
            d = fabs(c) - A;
            if (d < 0)
                d = 0;
            S = sup_box(act, par, deriv, sc, m, c - A, c + A, B);
            if (!(S < INFINITY))
                continue;
            Hb = hermite_box_bound(N, d, B);
            G = exp(-(d * d - B * B) / 2) * 0.3989422804014328 * (1 + 1e-12);
            {
                /* |x|^j <= X^P, X = max(1, |c| + A) */
                double X = fabs(c) + A > 1 ? (fabs(c) + A) * (1 + 1e-12) : 1, XP = 1;
                for (j = 0; j < P; j++)
                    XP *= X * (1 + 1e-15);
                ma = S * Hb * XP * (1 + 1e-12);
                m2 = S * S * G * XP * XP * (1 + 1e-12);
            }
            for (n = GL_NMIN; n <= GL_NMAX; n++)
            {
                Kf = gl_factor(rho_e[i], n, MH);
                if (Kf * ma <= tp && Kf * m2 <= tp)
                    break;
            }
            if (n <= GL_NMAX && n < bestn)
            {
                bestn = n;
                Ma = ma;
                M2 = m2;
                K = gl_factor(rho_e[i], n, MH);
            }
        }
        if (bestn > GL_NMAX)
        {
            snprintf(err, errsize, "Mehler series of %s: no Gauss-Legendre panel rule reaches "
                     "2^%.0f near %g", act->name, log2(goal), c);
            st = NEFT_FAILURE;
            break;
        }
        ea += K * Ma * (1 + 1e-12);
        e2 += K * M2 * (1 + 1e-12);
        n = (slong) bestn;
        gl = _neft_gl(n, rp);
        if (gl == NULL)
        {
            snprintf(err, errsize, "no Gauss-Legendre rule of %ld nodes", (long) n);
            st = NEFT_FAILURE;
            break;
        }
        for (q = 0; q < gl->n; q++)
        {
            acb_t z, v;
            /* x = c + h x_q, weight h w_q phi(x) F(x) */
            arb_mul_2exp_si(x, gl->x + q, -2);
            arb_set_d(t, c);
            arb_add(x, x, t, rp);
            arb_sqr(t, x, wp);
            arb_mul_2exp_si(t, t, -1);
            arb_neg(t, t);
            arb_exp(w, t, wp);
            arb_mul_2exp_si(t, gl->w + q, -2);
            arb_mul(w, w, t, wp);
            acb_init(z); acb_init(v);
            arb_mul(acb_realref(z), x, sc, wp);
            if (act->eval_acb(v, z, par, deriv, 0, wp) != NEFT_ACT_SUCCESS)
                acb_indeterminate(v);
            arb_pow_ui(F, acb_realref(v), (ulong) m, wp);
            acb_clear(z); acb_clear(v);
            arb_mul(w, w, F, wp);
            /* wx[j] = w x^j; f2[j] += w F x^(2j) */
            arb_set(wx + 0, w);
            for (j = 1; j <= P; j++)
                arb_mul(wx + j, wx + j - 1, x, wp);
            for (j = 0; j <= P; j++)
            {
                arb_mul(t, wx + j, F, wp);
                arb_pow_ui(e0, x, (ulong) j, wp);
                arb_addmul(f2 + j, t, e0, wp);
            }
            /* e_k = He_k(x)/sqrt(k!): e_{k+1} = (x e_k - sqrt(k) e_{k-1})/sqrt(k+1);
               with a parity only the k with F x^j He_k even are kept */
            arb_one(e0);
            arb_set(e1, x);
            for (j = 0; j <= P; j++)
            {
                if (!parity || (j % 2 == 0) == (parity == 2))
                    arb_add(a + j * L, a + j * L, wx + j, wp);
                if (N >= 1 && (!parity || (j % 2 == 1) == (parity == 2)))
                    arb_addmul(a + j * L + 1, wx + j, e1, wp);
            }
            for (k = 1; k < N; k++)
            {
                arb_mul(e2b, x, e1, rp);
                arb_submul(e2b, sq + k, e0, rp);
                arb_mul(e2b, e2b, isq + k + 1, rp);
                for (j = 0; j <= P; j++)
                    if (!parity || ((k + 1 + j) % 2 == 0) == (parity == 2))
                        arb_addmul(a + j * L + k + 1, wx + j, e2b, wp);
                arb_swap(e0, e1);
                arb_swap(e1, e2b);
            }
        }
    }
    if (st == NEFT_SUCCESS)
    {
        /* the normalisation 1/sqrt(2 pi), the half line doubled, the errors */
        arb_const_pi(t, wp);
        arb_mul_2exp_si(t, t, 1);
        arb_rsqrt(t, t, wp);
        _arb_vec_scalar_mul(a, a, (P + 1) * L, t, wp);
        _arb_vec_scalar_mul(f2, f2, P + 1, t, wp);
        if (parity)
        {
            _arb_vec_scalar_mul_2exp_si(a, a, (P + 1) * L, 1);
            _arb_vec_scalar_mul_2exp_si(f2, f2, P + 1, 1);
            ea *= 2;
            e2 *= 2;
        }
        /* tails outside [-R, R], the largest over j <= P:
           2 C 1.0865 2^((j+1)/2) T_j(R/sqrt 2)/sqrt(2 pi) (int_R^inf x^j e^{-x^2/4}),
           2 C^2 T_2j(R)/sqrt(2 pi) */
        arb_set_d(Rb, R);
        for (j = 0; j <= P; j++)
        {
            double ta, t2;
            arb_sqrt_ui(x, 2, 64);
            arb_div(x, Rb, x, 64);
            _neft_gaussexp_tail_moment(t, x, j, 64);
            arb_set_d(x, C * 1.0865 * 2 * 0.3989422804014328 * (1 + 1e-10));
            arb_mul(t, t, x, 64);
            arb_sqrt_ui(x, 2, 64);
            arb_pow_ui(x, x, (ulong) (j + 1), 64);
            arb_mul(t, t, x, 64);
            ta = arb_up_d(t);
            _neft_gaussexp_tail_moment(t, Rb, 2 * j, 64);
            arb_set_d(x, C * C * 2 * 0.3989422804014328 * (1 + 1e-10));
            arb_mul(t, t, x, 64);
            t2 = arb_up_d(t);
            if (j == 0 || ta > e0d)
                e0d = ta;
            if (j == 0 || t2 > e2d)
                e2d = t2;
        }
        ea += e0d;
        e2 += e2d;
        arb_set_d(t, ea);
        for (j = 0; j <= P; j++)
            for (k = 0; k <= N; k++)
                if (!parity || ((k + j) % 2 == 0) == (parity == 2))
                    arb_add_error(a + j * L + k, t);
        arb_set_d(t, e2);
        for (j = 0; j <= P; j++)
            arb_add_error(f2 + j, t);
        if (!(ea < INFINITY) || !(e2 < INFINITY))
            st = NEFT_FAILURE;
    }
    _arb_vec_clear(isq, N + 2); _arb_vec_clear(sq, N + 2); _arb_vec_clear(wx, P + 1);
    arb_clear(x); arb_clear(w); arb_clear(F); arb_clear(t); arb_clear(e0); arb_clear(e1);
    arb_clear(e2b); arb_clear(Rb);
    return st;
}

/* upper bound of E[F^2] - sum_{k<=N} a_k^2 (>= 0) */
static void
parseval_rest(arb_t res, arb_srcptr a, const arb_t f2, slong N, slong wp)
{
    arb_t t;
    slong k;
    arb_init(t);
    arb_set(res, f2);
    for (k = 0; k <= N; k++)
    {
        arb_sqr(t, a + k, wp);
        arb_sub(res, res, t, wp);
    }
    arb_get_ubound_arf(arb_midref(res), res, wp);
    mag_zero(arb_radref(res));
    if (arf_sgn(arb_midref(res)) < 0)
        arb_zero(res);
    arb_clear(t);
}

int
_neft_gaussexp_mehler_poly(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                           const arb_t s0, slong m0, const arb_t s1, slong m1,
                           const arb_t rho, arb_srcptr cw, slong P, slong nterms, slong prec,
                           char * err, size_t errsize)
{
    slong Ns[3] = {48, 160, 512};
    double C, goal, lab[3] = {0, 0, 0}, csum = 0;
    slong wp = prec + 40, N = 0, k, i, j, L;
    int st = NEFT_FAILURE, pf = 0, pg = 0, tries;
    arb_ptr a = NULL, b = NULL, fa = _arb_vec_init(P + 1), fb = _arb_vec_init(P + 1),
        A = _arb_vec_init(P + 1), Bn = _arb_vec_init(P + 1);
    arb_t t, r, tail, u, lmax;

    arb_indeterminate(res);
    if ((deriv == 1 ? !(act->dsup > 0) : !(act->flags & NEFT_ACT_BOUNDED))
        || act->singular == NEFT_ACT_SINGULAR_KINK || m0 < 1 || m1 < 1 || P < 0 || P > 8
        || !arb_is_positive(s0) || !arb_is_positive(s1) || !arb_is_finite(rho))
    {
        snprintf(err, errsize, "Mehler series: needs a bounded analytic row and two "
                 "nonzero directions");
        _arb_vec_clear(fa, P + 1); _arb_vec_clear(fb, P + 1);
        _arb_vec_clear(A, P + 1); _arb_vec_clear(Bn, P + 1);
        return NEFT_UNSUPPORTED;
    }
    C = deriv == 1 ? act->dsup : act->sup;
    C = pow(C, (double) (m0 > m1 ? m0 : m1)) * (1 + 1e-12);
    if (C < 1)
        C = 1;
    for (i = 0; i < (P + 1) * (P + 1); i++)
    {
        double v;
        arb_init(t);
        arb_abs(t, cw + i);
        v = arb_up_d(t);
        arb_clear(t);
        if (!(v < INFINITY))
        {
            snprintf(err, errsize, "Mehler series: a weight is not finite");
            _arb_vec_clear(fa, P + 1); _arb_vec_clear(fb, P + 1);
            _arb_vec_clear(A, P + 1); _arb_vec_clear(Bn, P + 1);
            return NEFT_FAILURE;
        }
        csum += v;
    }
    if (csum < 1)
        csum = 1;
    /* parity of F and G (2: even k only, 1: odd k only, for x^0; 0 none) */
    if (act->parity == 1 || act->parity == -1)
    {
        slong sgn = act->parity * (deriv ? -1 : 1);
        pf = (m0 % 2 == 0 || sgn == 1) ? 2 : 1;
        pg = (m1 % 2 == 0 || sgn == 1) ? 2 : 1;
    }
    arb_init(t); arb_init(r); arb_init(tail); arb_init(u); arb_init(lmax);
    goal = ldexp(1.0, (int) -(prec + 24)) / ((double) ((P + 1) * (P + 1)) * csum);
    arb_get_abs_ubound_arf(arb_midref(r), rho, wp);
    mag_zero(arb_radref(r));
    if (arf_cmp_si(arb_midref(r), 1) > 0)
        arb_one(r);
    for (tries = 0; tries < 3; tries++)
    {
        N = nterms > 0 ? nterms : Ns[tries];
        L = N + 1;
        a = _arb_vec_init((P + 1) * L);
        b = _arb_vec_init((P + 1) * L);
        st = coefficients(a, fa, act, par, deriv, s0, m0, C, N, P, goal, pf, wp, err, errsize);
        if (st == NEFT_SUCCESS)
        {
            if (arb_equal(s0, s1) && m0 == m1)
            {
                _arb_vec_set(b, a, (P + 1) * L);
                _arb_vec_set(fb, fa, P + 1);
            }
            else
                st = coefficients(b, fb, act, par, deriv, s1, m1, C, N, P, goal, pg, wp, err,
                                  errsize);
        }
        if (st != NEFT_SUCCESS)
            break;
        /* tail sum_ij |c_ij| |rho|^(N+1) sqrt(A_i B_j), |rho| <= 1 */
        for (i = 0; i <= P; i++)
        {
            parseval_rest(A + i, a + i * L, fa + i, N, wp);
            parseval_rest(Bn + i, b + i * L, fb + i, N, wp);
        }
        arb_zero(tail);
        arb_zero(lmax);
        for (i = 0; i <= P; i++)
            for (j = 0; j <= P; j++)
                if (!arb_is_zero(cw + i * (P + 1) + j))
                {
                    arb_mul(t, A + i, Bn + j, wp);
                    arb_sqrtpos(t, t, wp);
                    arb_abs(u, cw + i * (P + 1) + j);
                    arb_addmul(tail, t, u, wp);
                    arb_max(lmax, lmax, t, wp);
                }
        arb_pow_ui(t, r, (ulong) (N + 1), wp);
        arb_mul(tail, tail, t, wp);
        arb_get_ubound_arf(arb_midref(tail), tail, wp);
        mag_zero(arb_radref(tail));
        arb_set_d(t, ldexp(C * csum, (int) -(prec + 2)));
        if (arb_le(tail, t) || nterms > 0)
            break;
        /* sqrt(A_N B_N) falls like e^{c0 - c1 sqrt N} (analytic F, G): from the
           first two tries, skip the last when it would not reach the goal either */
        {
            double lm = arf_get_d(arb_midref(lmax), ARF_RND_UP);
            lab[tries] = lm > 0 ? log(lm) : -1e9;
        }
        if (tries == 1)
        {
            double c1 = (lab[0] - lab[1]) / (sqrt((double) Ns[1]) - sqrt((double) Ns[0])),
                lr = arf_get_d(arb_midref(r), ARF_RND_UP), pred;
            pred = lab[1] - c1 * (sqrt((double) Ns[2]) - sqrt((double) Ns[1]))
                + (lr > 0 ? (double) (Ns[2] + 1) * log(lr) : -1e9);
            if (pred > log(C) - (double) prec * 0.6931471805599453 + 8)
            {
                _arb_vec_clear(a, (P + 1) * L);
                _arb_vec_clear(b, (P + 1) * L);
                a = b = NULL;
                st = NEFT_FAILURE;
                snprintf(err, errsize, "Mehler series of %s: %ld terms would not reach "
                         "2^-%ld (|rho| too close to 1)", act->name, (long) Ns[2], (long) prec);
                break;
            }
        }
        _arb_vec_clear(a, (P + 1) * L);
        _arb_vec_clear(b, (P + 1) * L);
        a = b = NULL;
        st = NEFT_FAILURE;
        snprintf(err, errsize, "Mehler series of %s: %ld terms do not reach 2^-%ld",
                 act->name, (long) N, (long) prec);
    }
    if (st == NEFT_SUCCESS)
    {
        /* sum_ij c_ij sum_k rho^k a_ik b_jk, Horner from k = N */
        L = N + 1;
        arb_zero(res);
        for (i = 0; i <= P; i++)
            for (j = 0; j <= P; j++)
                if (!arb_is_zero(cw + i * (P + 1) + j))
                {
                    arb_zero(u);
                    for (k = N; k >= 0; k--)
                    {
                        arb_mul(u, u, rho, wp);
                        arb_addmul(u, a + i * L + k, b + j * L + k, wp);
                    }
                    arb_addmul(res, u, cw + i * (P + 1) + j, wp);
                }
        arb_add_error(res, tail);
        arb_set_round(res, res, prec);
        if (!arb_is_finite(res))
            st = NEFT_FAILURE;
    }
    if (a != NULL)
        _arb_vec_clear(a, (P + 1) * (N + 1));
    if (b != NULL)
        _arb_vec_clear(b, (P + 1) * (N + 1));
    _arb_vec_clear(fa, P + 1); _arb_vec_clear(fb, P + 1);
    _arb_vec_clear(A, P + 1); _arb_vec_clear(Bn, P + 1);
    arb_clear(t); arb_clear(r); arb_clear(tail); arb_clear(u); arb_clear(lmax);
    if (st != NEFT_SUCCESS)
        arb_indeterminate(res);
    return st;
}

int
_neft_gaussexp_mehler(arb_t res, neft_act_srcptr act, arb_srcptr par, slong deriv,
                      const arb_t s0, slong m0, const arb_t s1, slong m1, const arb_t rho,
                      slong nterms, slong prec, char * err, size_t errsize)
{
    arb_t one;
    int st;
    arb_init(one);
    arb_one(one);
    st = _neft_gaussexp_mehler_poly(res, act, par, deriv, s0, m0, s1, m1, rho, one, 0, nterms,
                                    prec, err, errsize);
    arb_clear(one);
    return st;
}
