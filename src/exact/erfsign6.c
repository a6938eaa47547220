/* The six-factor sign moment E_6(R) = E[prod_k sign(w_k)], w ~ N(0, R)
 * (erf's M_6, docs/cmd-exact.md "Erf by sign moments"), by Plackett's
 * reduction twice: along Sigma(u) = I + u (R - I), u in [0, 1],
 *   E_6(R) = int_0^1 F(u) du,
 *   F(u) = sum_{k<l} (2/pi) R_kl (1 - u^2 R_kl^2)^{-1/2} E_4(rho^{kl}(u)),
 * rho^{kl}(u) the correlation matrix of the other four given w_k = w_l = 0,
 * and E_4 the one-dimensional integral of erfsign.c (dE_4/ds, s in [0, 1]).
 *
 * The inner integral E_4 is computed at real points u only (erfsign.c's
 * certified Gauss-Legendre rule in s).  The outer one is a Gauss-Legendre
 * rule on panels of [0, 1] in u, bisected where needed, with Trefethen's
 * bound (SIAM Review 50 (2008), Thm 4.5, whose I_n has n + 1 nodes) |I -
 * Q| <= h (64/15) M rho^-2(n-1) / (rho^2 - 1) for n nodes on a panel of
 * half-length h, M >= |F| on the
 * Bernstein ellipse E_rho of the panel.  M only has to be an upper bound,
 * not a tight one: the ellipse's upper half (F is real on the real line, so
 * |F(conj u)| = |F(u)|) is covered by small complex boxes B, and on each
 *   |E_4(rho^{kl}(u))| <= sum_j |S_j| sup |dE_4/ds (S_j; rho^{kl}(B))|
 * over real pieces S_j of [0, 1] (ball evaluations with holomorphy in u
 * certified: the square roots off their cut, asin's argument off |x| >= 1
 * real); a piece of the integrand holomorphic in u on B for every s makes
 * E_4 holomorphic there.  Boxes too wide for a finite enclosure are split
 * (down to a limit, then the panel is bisected). */

#include <math.h>
#include "neft/interrupt.h"
#include "erfsign.h"
#include "../integrate/gl.h"

#define M 6
#define NRHO 4
#define NPAIR 15
#define OUTER_BITS 43        /* the outer rule's error goal (times the panel's length) */
#define INNER_BITS 44        /* each E_4 at a node */
#define MAXDEPTH 12          /* outer panels */
#define NMAX 48              /* outer nodes per panel */
#define SDEPTH 10            /* bisections of [0, 1] in s for the bound */
#define MAXBOX 100           /* boxes per ellipse */

static const double rhos[NRHO] = {1.5, 2, 3, 4.5};

typedef struct
{
    acb_srcptr R;
    const slong * lab;
    slong np, k[NPAIR], l[NPAIR], mult[NPAIR];
}
ctx6;

/* the labels of the four factors other than k, l */
static void
others(slong * lab4, const slong * lab, slong k, slong l)
{
    slong x, n = 0;
    for (x = 0; x < M; x++)
        if (x != k && x != l)
            lab4[n++] = lab == NULL ? x : lab[x];
}

/* An upper bound of int_lo^hi |dE_4/ds| ds (s real, the conditional
   correlations F->R complex balls): the piece's length times the sup of
   one ball evaluation, the piece bisected (down to 2^-SDEPTH) where that
   is not finite; INFINITY if never. */
static double
s_bound(_neft_erfsign_d4_struct * F, double lo, double hi, slong depth, slong prec)
{
    acb_t s, v;
    mag_t b;
    double r;
    acb_init(s); acb_init(v);
    mag_init(b);
    arb_set_d(acb_realref(s), 0.5 * (lo + hi));
    mag_set_d(arb_radref(acb_realref(s)), 0.5 * (hi - lo));   /* dyadic: exact */
    _neft_erfsign_d4(v, s, F, 1, prec);
    if (acb_is_finite(v))
    {
        acb_get_mag(b, v);
        r = mag_get_d(b) * (hi - lo);
    }
    else if (depth < SDEPTH && !neft_interrupted())
        r = s_bound(F, lo, 0.5 * (lo + hi), depth + 1, prec)
            + s_bound(F, 0.5 * (lo + hi), hi, depth + 1, prec);
    else
        r = INFINITY;
    acb_clear(s); acb_clear(v);
    mag_clear(b);
    return r;
}

/* An upper bound of |F| on the complex box u (INFINITY when holomorphy is
   not certified or the enclosure is not finite). */
static double
box_bound(const ctx6 * X, const acb_t u, slong prec)
{
    acb_t w, v, s, acc;
    acb_struct C[16];
    slong j, p, lab4[4];
    double tot = 0;
    mag_t b;
    _neft_erfsign_d4_struct F;
    acb_init(w); acb_init(v); acb_init(s); acb_init(acc);
    mag_init(b);
    for (j = 0; j < 16; j++)
        acb_init(C + j);
    for (p = 0; p < X->np && tot < INFINITY; p++)
    {
        double e4 = 0;
        _neft_erfsign_pairw(w, X->R + X->k[p] * M + X->l[p], u, 1, prec);
        _neft_erfsign_cond(C, X->R, M, u, X->k[p], X->l[p], 1, prec);
        others(lab4, X->lab, X->k[p], X->l[p]);
        F.R = C;
        F.lab = lab4;
        F.stop = 0;
        e4 = s_bound(&F, 0, 1, 0, prec);
        if (!acb_is_finite(w) || e4 == INFINITY)
            tot = INFINITY;
        else
        {
            acb_get_mag(b, w);
            tot += (double) X->mult[p] * mag_get_d(b) * e4;
        }
    }
    for (j = 0; j < 16; j++)
        acb_clear(C + j);
    acb_clear(w); acb_clear(v); acb_clear(s); acb_clear(acc);
    mag_clear(b);
    /* the sums in doubles rounded up by a relative margin */
    return tot * (1 + 1e-12);
}

/* An upper bound of |F| on the Bernstein ellipse E_rho of [c - h, c + h]:
   its bounding rectangle's upper half cut into boxes, halved until every
   box gives a finite bound (at most MAXBOX boxes); INFINITY if never. */
static double
ellipse_bound(const ctx6 * X, double c, double h, double rho, slong prec)
{
    double ar = h * 0.5 * (rho + 1 / rho), bi = h * 0.5 * (rho - 1 / rho);
    double side = FLINT_MAX(bi, ar / 4);
    acb_t u;
    acb_init(u);
    for (;;)
    {
        double sup = 0;
        slong nr = (slong) ceil(2 * ar / side), ni = (slong) ceil(bi / side), i, j;
        double dr = 2 * ar / (double) nr, di = bi / (double) ni;
        if (nr * ni > MAXBOX || neft_interrupted())
            break;
        for (i = 0; i < nr && sup < INFINITY; i++)
            for (j = 0; j < ni && sup < INFINITY; j++)
            {
                /* the box [c - ar + i dr, + dr] x [j di, + di] (radii rounded up) */
                arb_set_d(acb_realref(u), c - ar + (i + 0.5) * dr);
                mag_set_d(arb_radref(acb_realref(u)), 0.5 * dr * (1 + 1e-15) + 1e-300);
                arb_set_d(acb_imagref(u), (j + 0.5) * di);
                mag_set_d(arb_radref(acb_imagref(u)), 0.5 * di * (1 + 1e-15) + 1e-300);
                sup = FLINT_MAX(sup, box_bound(X, u, prec));
            }
        if (sup < INFINITY)
        {
            acb_clear(u);
            return sup;
        }
        side *= 0.5;
    }
    acb_clear(u);
    return INFINITY;
}

/* F(u) at the real point u: the inner integrals E_4 one pair class at a
   time, each to 2^-INNER_BITS (one integral of their sum, bisected where
   any of them needs it, measured 3 times slower) */
static void
outer_f(acb_t res, const ctx6 * X, const arb_t u, slong prec)
{
    acb_t w, e, uu;
    acb_struct C[16];
    slong j, p, lab4[4];
    _neft_erfsign_d4_struct F;
    acb_init(w); acb_init(e); acb_init(uu);
    for (j = 0; j < 16; j++)
        acb_init(C + j);
    acb_set_arb(uu, u);
    acb_zero(res);
    for (p = 0; p < X->np && acb_is_finite(res); p++)
    {
        _neft_erfsign_pairw(w, X->R + X->k[p] * M + X->l[p], uu, 0, prec);
        acb_mul_si(w, w, X->mult[p], prec);
        _neft_erfsign_cond(C, X->R, M, uu, X->k[p], X->l[p], 0, prec);
        others(lab4, X->lab, X->k[p], X->l[p]);
        F.R = C;
        F.lab = lab4;
        F.stop = 0;
        _neft_erfsign_integ(e, _neft_erfsign_d4, &F, INNER_BITS, prec);
        acb_addmul(res, w, e, prec);
    }
    if (!acb_is_finite(res))
        acb_indeterminate(res);
    for (j = 0; j < 16; j++)
        acb_clear(C + j);
    acb_clear(w); acb_clear(e); acb_clear(uu);
}

/* The smallest n with h (64/15) M rho^-2(n-1) / (rho^2 - 1) <= goal (NMAX
   + 1 when none up to NMAX) */
static slong
nodes_needed(double h, double Mb, double rho, double goal)
{
    double c = h * (64.0 / 15) * Mb / (rho * rho - 1);
    slong n;
    if (!(c < INFINITY))
        return NMAX + 1;
    if (c <= goal)
        return GL_NMIN;
    n = (slong) ceil(log(c / goal) / (2 * log(rho)) * (1 + 1e-9)) + 1;
    return FLINT_MAX(n, GL_NMIN);
}

/* int over [c - h, c + h] of F into res with the rule's error added;
   returns 0 when no rho gives n <= NMAX (then nothing is computed). */
static int
panel(acb_t res, const ctx6 * X, double c, double h, slong prec)
{
    double goal = ldexp(2 * h, -OUTER_BITS), best_err = 0, best_rho = 0;
    slong best_n = NMAX + 1, i, n, q;
    /* the ellipses grow with rho: from the smallest, until one fails or
       needs no fewer nodes than the last */
    for (i = 0; i < NRHO; i++)
    {
        double Mb = ellipse_bound(X, c, h, rhos[i], prec);
        n = nodes_needed(h, Mb, rhos[i], goal);
        if (n >= best_n)
            break;
        best_n = n;
        best_rho = rhos[i];
        best_err = Mb;
    }
    if (best_n > NMAX)
        return 0;
    {
        const _neft_gl_struct * gl;
        arb_t u, t;
        acb_t f;
        mag_t err;
        slong size = _neft_gl_size(best_n);
        double rho = best_rho, e;
        arb_init(u); arb_init(t);
        acb_init(f);
        mag_init(err);
        gl = _neft_gl(size, prec);
        acb_zero(res);
        for (q = 0; q < gl->n && acb_is_finite(res); q++)
        {
            arb_set_d(t, h);
            arb_mul(u, gl->x + q, t, prec);
            arb_set_d(t, c);
            arb_add(u, u, t, prec);
            outer_f(f, X, u, prec);
            acb_addmul_arb(res, f, gl->w + q, prec);
        }
        arb_set_d(t, h);
        acb_mul_arb(res, res, t, prec);
        /* the error h (64/15) M rho^-2(n-1) / (rho^2 - 1), rounded up
           (Trefethen's I_n has n + 1 nodes: the Chebyshev coefficients
           |a_k| <= 2 M rho^-k from k = 2n on, each |I T_k - Q T_k| <= 2 +
           2 / (k^2 - 1) <= 32/15) */
        e = h * (64.0 / 15) * best_err * pow(rho, -2.0 * (double) (gl->n - 1))
            / (rho * rho - 1);
        mag_set_d(err, e * (1 + 1e-9));
        acb_add_error_mag(res, err);
        arb_clear(u); arb_clear(t);
        acb_clear(f);
        mag_clear(err);
    }
    return 1;
}

int
_neft_erfsign6(arb_t res, acb_srcptr R, const slong * lab, slong prec)
{
    ctx6 X;
    double lo[MAXDEPTH + 8], hi[MAXDEPTH + 8];
    slong depth[MAXDEPTH + 8], top;
    acb_t v, tot;
    acb_init(v);
    acb_init(tot);
    X.R = R;
    X.lab = lab;
    X.np = _neft_erfsign_pairs(X.k, X.l, X.mult, R, M, lab);
    /* [0, 1/2], [1/2, 3/4], .., [15/16, 1] (near u = 1 the conditional
       correlations' balls grow fastest) */
    for (top = 0; top < 5; top++)
    {
        static const double l0[5] = {0.9375, 0.875, 0.75, 0.5, 0};
        static const slong d0[5] = {4, 4, 3, 2, 1};
        lo[top] = l0[top];
        hi[top] = top == 0 ? 1 : l0[top - 1];
        depth[top] = d0[top];
    }
    acb_zero(tot);
    while (top > 0 && acb_is_finite(tot) && !neft_interrupted())
    {
        top--;
        if (panel(v, &X, 0.5 * (lo[top] + hi[top]),
                  0.5 * (hi[top] - lo[top]), prec))
            acb_add(tot, tot, v, prec);
        else if (depth[top] < MAXDEPTH)
            top = _neft_erfsign_bisect(lo, hi, depth, top);
        else
            acb_indeterminate(tot);
    }
    arb_set(res, acb_realref(tot));
    if (!arb_is_finite(res) || top > 0)
        arb_indeterminate(res);
    acb_clear(v);
    acb_clear(tot);
    if (neft_interrupted())
        return NEFT_INTERRUPTED;
    return arb_is_finite(res) ? NEFT_SUCCESS : NEFT_FAILURE;
}
