/* ReLU's Gaussian moments on a span of rank 3 (d_in = 3 with sigma_b = 0,
 * d_in = 2 with sigma_b > 0, three or more distinct points).
 *
 * With z_a = c_a . y, y ~ N(0, G) in R^3 (span.c; c_a = ct_a / |det|),
 * M = E[prod_a relu(z_a)] = int_C P(y) phi_G(y) dy over the cone C = {y :
 * ct_i . y >= 0 for every distinct point i}, P(y) = prod_a c_a . y of degree
 * k.  The ct_i span R^3, so C is pointed: its extreme rays are the cross
 * products ct_p x ct_q that satisfy every other constraint, decided on balls
 * (exact for exact inputs; an undecidable sign is a FAILURE, never a
 * guess).  Fewer than 3 rays: C has no interior and M = 0.  Else the rays,
 * in cyclic order (neighbours share a facet: cyclic()), fan C into
 * simplicial cones V = [v0 vi vi+1]; on each, y = lambda V tau (tau on the simplex, dy = |det V|
 * lambda^2 dlambda dtau) and the radial integral is exact:
 *   int_0^inf lambda^(k+2) e^(-lambda^2 q/2) dlambda = Gamma_k q^(-(k+3)/2),
 *   Gamma_k = 2^((k+1)/2) Gamma((k+3)/2), q = tau^T V^T G^-1 V tau, so
 *   M = Gamma_k / ((2 pi)^(3/2) sqrt(det G) |det|^k)
 *       sum_V |det V| int_simplex prod_a (ct_a^T V tau) q^(-(k+3)/2) dtau.
 * The simplex is mapped from the square (s, t) in [0,1]^2 by tau = (1 - s,
 * s (1 - t), s t) (Jacobian s); the integrand is analytic there (q > 0 on
 * the closed simplex, a branch-checked reciprocal square root) and is
 * integrated by adaptive tensor Gauss-Legendre panels with a Bernstein-
 * ellipse bound per variable (square()); the bound's ball evaluation is
 * tight because every linear form is written a + s (b + t c) and q as the
 * sum of squares |R tau|^2, R^T R = V^T G^-1 V. */

#include <string.h>
#include "neft/interrupt.h"
#include "exact-internal.h"
#include "../integrate/gl.h"

#define MAXR (NEFT_SAMPLE_MAX_NPT * (NEFT_SAMPLE_MAX_NPT - 1))

typedef struct
{
    slong k, nl;
    arb_struct L[NEFT_SAMPLE_MAX_NPT * 3];   /* ct_i^T V per distinct point */
    slong mult[NEFT_SAMPLE_MAX_NPT];
    arb_struct Q[9];                          /* V^T G^-1 V */
    /* the integrand's linear forms in (s, t), each a + s (b + t c) (every
       variable once: a ball evaluation over a box is tight): the factors
       ct_i^T V tau (3 per point), then R tau with R^T R = Q (q = |R tau|^2,
       a sum of squares: no cancellation in the ball of q) */
    arb_struct F[(NEFT_SAMPLE_MAX_NPT + 3) * 3];
    acb_t s;                                  /* the outer variable */
    mag_t tol;
    int failed;
}
tri_ctx;

static void
cross(arb_ptr r, arb_srcptr a, arb_srcptr b, slong prec)
{
    arb_mul(r + 0, a + 1, b + 2, prec);
    arb_submul(r + 0, a + 2, b + 1, prec);
    arb_mul(r + 1, a + 2, b + 0, prec);
    arb_submul(r + 1, a + 0, b + 2, prec);
    arb_mul(r + 2, a + 0, b + 1, prec);
    arb_submul(r + 2, a + 1, b + 0, prec);
}

static void
dot(arb_t r, arb_srcptr a, arb_srcptr b, slong prec)
{
    arb_mul(r, a + 0, b + 0, prec);
    arb_addmul(r, a + 1, b + 1, prec);
    arb_addmul(r, a + 2, b + 2, prec);
}

/* the linear form a + s (b + t c) of F + 3 i */
static void
form(acb_t r, const tri_ctx * c, slong i, const acb_t t, slong prec)
{
    acb_mul_arb(r, t, c->F + 3 * i + 2, prec);
    acb_add_arb(r, r, c->F + 3 * i + 1, prec);
    acb_mul(r, r, c->s, prec);
    acb_add_arb(r, r, c->F + 3 * i, prec);
}

/* f(tau(s, t)) s for complex s (in ctx) and t: s prod_i (ct_i^T V tau)^mult_i
   q^(-(k+3)/2), q = |R tau|^2 (the analytic continuation: a sum of squares,
   not of absolute squares) */
static int
f_inner(acb_ptr res, const acb_t t, void * param, slong order, slong prec)
{
    tri_ctx * c = param;
    acb_t l, q, p;
    slong i;
    (void) order;
    acb_init(l); acb_init(q); acb_init(p);
    acb_one(p);
    for (i = 0; i < c->nl; i++)
    {
        form(l, c, i, t, prec);
        acb_pow_ui(l, l, (ulong) c->mult[i], prec);
        acb_mul(p, p, l, prec);
    }
    acb_zero(q);
    for (i = 0; i < 3; i++)
    {
        form(l, c, c->nl + i, t, prec);
        acb_addmul(q, l, l, prec);
    }
    acb_rsqrt_analytic(l, q, 1, prec);   /* non-finite across the branch cut */
    acb_pow_ui(l, l, (ulong) (c->k + 3), prec);
    acb_mul(p, p, l, prec);
    acb_mul(res, p, c->s, prec);
    acb_clear(l); acb_clear(q); acb_clear(p);
    return 0;
}

/* F + 3 i from a linear form ell on tau = (1 - s, s (1 - t), s t):
   a = ell_0, b = ell_1 - ell_0, c = ell_2 - ell_1 */
static void
set_form(arb_ptr F, arb_srcptr ell, slong prec)
{
    arb_set(F, ell);
    arb_sub(F + 1, ell + 1, ell, prec);
    arb_sub(F + 2, ell + 2, ell + 1, prec);
}

/* The integral over the square [s0, s0 + 2h] x [t0, t0 + 2h] by an n x n
   Gauss-Legendre rule with the error bound of grid.c (Trefethen, Thm 4.5,
   per variable): |I - Q| <= 2 h^2 (64/15) rho^-2(n-1) / (rho^2 - 1) (M1 + M2),
   M1 = sup |f| with s on the Bernstein ellipse of its side and t real on
   its side (one ball evaluation over the box that holds the ellipse), M2
   likewise.  Panels whose bound misses their share of the goal are split
   in four (up to depth 12); res gets the sum and its error. */
static int
square(arb_t res, tri_ctx * c, double s0, double t0, double h, const mag_t goal, int depth,
       slong prec)
{
    static const double rhos[] = {12, 6, 3.5, 2.2, 1.5};
    acb_t S, T, v;
    arb_t e, best;
    mag_t m1, m2, bound, bestb;
    slong n = 0, k, bestn = -1, i, j;
    int status = NEFT_EXACT_SUCCESS;

    if (neft_interrupted())
        return NEFT_EXACT_INTERRUPTED;
    acb_init(S); acb_init(T); acb_init(v);
    arb_init(e); arb_init(best);
    mag_init(m1); mag_init(m2); mag_init(bound); mag_init(bestb);
    mag_inf(bestb);
    for (k = 0; k < (slong) (sizeof(rhos) / sizeof(rhos[0])); k++)
    {
        double rho = rhos[k], a = h * (rho + 1 / rho) / 2 * (1 + 1e-12),
               b = h * (rho - 1 / rho) / 2 * (1 + 1e-12);
        /* M1: s on the ellipse's box, t real */
        arb_set_d(acb_realref(S), s0 + h);
        mag_set_d(arb_radref(acb_realref(S)), a);
        arb_zero(acb_imagref(S));
        mag_set_d(arb_radref(acb_imagref(S)), b);
        arb_set_d(acb_realref(T), t0 + h);
        mag_set_d(arb_radref(acb_realref(T)), h);
        arb_zero(acb_imagref(T));
        acb_set(c->s, S);
        f_inner(v, T, c, 1, 53);
        if (!acb_is_finite(v))
            continue;
        acb_get_mag(m1, v);
        arb_set_d(acb_realref(S), s0 + h);
        mag_set_d(arb_radref(acb_realref(S)), h);
        arb_zero(acb_imagref(S));
        arb_set_d(acb_realref(T), t0 + h);
        mag_set_d(arb_radref(acb_realref(T)), a);
        arb_zero(acb_imagref(T));
        mag_set_d(arb_radref(acb_imagref(T)), b);
        acb_set(c->s, S);
        f_inner(v, T, c, 1, 53);
        if (!acb_is_finite(v))
            continue;
        acb_get_mag(m2, v);
        mag_add(m1, m1, m2);
        /* 2 h^2 (64/15) / (rho^2 - 1) * rho^-2(n-1) <= goal */
        mag_set_d(bound, 2 * h * h * 64.0 / 15.0 / (rho * rho - 1) * (1 + 1e-9));
        mag_mul(bound, bound, m1);
        for (n = 4; n <= 48; n++)
        {
            mag_t r;
            mag_init(r);
            mag_set_d_lower(r, rho);
            mag_pow_ui_lower(r, r, (ulong) (2 * (n - 1)));   /* n nodes: rho^-2(n-1) */
            mag_div(r, bound, r);
            if (mag_cmp(r, goal) <= 0)
            {
                if (bestn < 0 || n < bestn)
                {
                    bestn = n;
                    mag_set(bestb, r);
                }
                mag_clear(r);
                break;
            }
            mag_clear(r);
        }
    }
    if (bestn < 0)
    {
        if (depth >= 12)
            status = NEFT_EXACT_FAILURE;
        else
        {
            mag_t g4;
            mag_init(g4);
            mag_mul_2exp_si(g4, goal, -2);
            arb_zero(res);
            for (i = 0; i < 2 && status == NEFT_EXACT_SUCCESS; i++)
                for (j = 0; j < 2 && status == NEFT_EXACT_SUCCESS; j++)
                {
                    status = square(best, c, s0 + i * h, t0 + j * h, h / 2, g4, depth + 1,
                                    prec);
                    arb_add(res, res, best, prec);
                }
            mag_clear(g4);
        }
        goto out;
    }
    {
        const _neft_gl_struct * gl = _neft_gl(bestn, prec);
        arb_t hh, x, y, w;
        if (gl == NULL)
        {
            status = NEFT_EXACT_FAILURE;
            goto out;
        }
        arb_init(hh); arb_init(x); arb_init(y); arb_init(w);
        arb_set_d(hh, h);
        arb_zero(best);
        for (i = 0; i < gl->n; i++)
        {
            arb_mul(x, gl->x + i, hh, prec);
            arb_set_d(w, s0 + h);              /* exact: s0, h dyadic */
            arb_add(x, x, w, prec);
            acb_set_arb(c->s, x);
            for (j = 0; j < gl->n; j++)
            {
                arb_mul(y, gl->x + j, hh, prec);
                arb_set_d(w, t0 + h);
                arb_add(y, y, w, prec);
                acb_set_arb(T, y);
                f_inner(v, T, c, 0, prec);
                arb_mul(w, gl->w + i, gl->w + j, prec);
                arb_addmul(best, acb_realref(v), w, prec);
            }
        }
        arb_sqr(hh, hh, prec);
        arb_mul(res, best, hh, prec);
        arb_add_error_mag(res, bestb);
        arb_clear(hh); arb_clear(x); arb_clear(y); arb_clear(w);
    }
out:
    acb_clear(S); acb_clear(T); acb_clear(v);
    arb_clear(e); arb_clear(best);
    mag_clear(m1); mag_clear(m2); mag_clear(bound); mag_clear(bestb);
    return status;
}

/* The forms of the rows of R, Q = R^T R upper triangular (Q symmetric
   positive definite, row-major), into F (3 forms); 0, or 1 when a pivot is
   not certainly positive. */
static int
cholesky3(arb_ptr F, arb_srcptr Q, slong prec)
{
    arb_struct R[9];
    arb_t u;
    slong i;
    int bad = 0;
    arb_init(u);
    for (i = 0; i < 9; i++)
        arb_init(R + i);
    if (!arb_is_positive(Q + 0))
        bad = 1;
    else
    {
        arb_sqrt(R + 0, Q + 0, prec);
        arb_div(R + 1, Q + 1, R + 0, prec);
        arb_div(R + 2, Q + 2, R + 0, prec);
        arb_sqr(u, R + 1, prec);
        arb_sub(u, Q + 4, u, prec);
        if (!arb_is_positive(u))
            bad = 1;
        else
        {
            arb_sqrt(R + 4, u, prec);
            arb_mul(u, R + 1, R + 2, prec);
            arb_sub(u, Q + 5, u, prec);
            arb_div(R + 5, u, R + 4, prec);
            arb_sqr(u, R + 2, prec);
            arb_sub(u, Q + 8, u, prec);
            arb_submul(u, R + 5, R + 5, prec);
            if (!arb_is_positive(u))
                bad = 1;
            else
                arb_sqrt(R + 8, u, prec);
        }
    }
    if (!bad)
        for (i = 0; i < 3; i++)
            set_form(F + 3 * i, R + 3 * i, prec);
    for (i = 0; i < 9; i++)
        arb_clear(R + i);
    arb_clear(u);
    return bad;
}

/* The nr extreme rays of a pointed cone in R^3 in cyclic order (into
   order), from tight[i], the constraints (of m) vanishing on ray i: rays
   i, j are neighbours when some constraint vanishes on both and on no
   other ray (the facet it supports has exactly these two extreme rays).
   0, or 1 when the neighbours do not form one cycle through every ray. */
static int
cyclic(slong * order, const ulong * tight, slong nr, slong m)
{
    slong nb[MAXR][2], cnt[MAXR], a, i, j, prev, cur, k;
    for (i = 0; i < nr; i++)
        cnt[i] = 0;
    for (a = 0; a < m; a++)
    {
        slong on[3], non = 0;
        for (i = 0; i < nr && non < 3; i++)
            if (tight[i] & (UWORD(1) << a))
                on[non++] = i;
        if (non != 2)
            continue;
        for (k = 0; k < 2; k++)
        {
            i = on[k];
            j = on[1 - k];
            if (cnt[i] > 0 && nb[i][0] == j)
                continue;   /* the same facet from a repeated constraint */
            if (cnt[i] > 1 && nb[i][1] == j)
                continue;
            if (cnt[i] == 2)
                return 1;
            nb[i][cnt[i]++] = j;
        }
    }
    for (i = 0; i < nr; i++)
        if (cnt[i] != 2)
            return 1;
    prev = nb[0][0];
    cur = 0;
    for (k = 0; k < nr; k++)
    {
        slong next;
        if (k > 0 && cur == 0)
            return 1;   /* a shorter cycle */
        order[k] = cur;
        next = nb[cur][0] == prev ? nb[cur][1] : nb[cur][0];
        prev = cur;
        cur = next;
    }
    return cur == 0 ? 0 : 1;
}

/* sign of x: 1, -1, 0 (exactly), 2 undecidable */
static int
sgn(const arb_t x)
{
    if (arb_is_zero(x))
        return 0;
    if (arb_is_positive(x))
        return 1;
    if (arb_is_negative(x))
        return -1;
    return 2;
}

int
_neft_exact_relu_cone(arb_t res, const _neft_exact_span_struct * S, slong n, slong prec,
                      char * err, size_t errsize)
{
    slong m = S->m, wp = 12 * (prec + 16) + 64, ip = prec + 32;
    slong nr = 0, p, q, a, i, j, order[MAXR];
    ulong tight[MAXR];
    arb_ptr rays, ct, Gi, V, v, w;
    arb_t t, u, detG, I, scale;
    int status = NEFT_EXACT_SUCCESS;
    tri_ctx c;

    if (S->r == 4)   /* before any allocation: cone4.c owns the rank-4 case */
        return _neft_exact_relu_cone4(res, S, n, prec, err, errsize);
    rays = _arb_vec_init(3 * MAXR);
    ct = _arb_vec_init(3 * m);
    v = _arb_vec_init(3);
    w = _arb_vec_init(3);
    Gi = _arb_vec_init(9);
    V = _arb_vec_init(9);
    arb_init(t); arb_init(u); arb_init(detG); arb_init(I); arb_init(scale);
    memset(&c, 0, sizeof c);
    for (i = 0; i < m; i++)
        for (j = 0; j < 3; j++)
            arb_set(ct + 3 * i + j, S->ct + 4 * i + j);

    /* the extreme rays */
    for (p = 0; p < m && status == NEFT_EXACT_SUCCESS; p++)
        for (q = p + 1; q < m && status == NEFT_EXACT_SUCCESS; q++)
        {
            int zero = 1, sign;
            cross(v, ct + 3 * p, ct + 3 * q, wp);
            for (j = 0; j < 3; j++)
                if (!arb_is_zero(v + j))
                    zero = 0;
            if (zero)
                continue;   /* parallel constraints: no ray */
            if (!(sgn(v + 0) % 2 || sgn(v + 1) % 2 || sgn(v + 2) % 2))
            {
                status = NEFT_EXACT_FAILURE;   /* zero within the balls */
                break;
            }
            for (sign = 1; sign >= -1 && status == NEFT_EXACT_SUCCESS; sign -= 2)
            {
                int ok = 1, dup = 0;
                ulong mask = (UWORD(1) << p) | (UWORD(1) << q);
                if (sign < 0)
                    _arb_vec_neg(v, v, 3);
                for (a = 0; a < m && ok; a++)
                {
                    int sa;
                    if (a == p || a == q)
                        continue;
                    dot(t, ct + 3 * a, v, wp);
                    sa = sgn(t);
                    if (sa == 2)
                        status = NEFT_EXACT_FAILURE;
                    ok = sa == 0 || sa == 1;
                    if (sa == 0)
                        mask |= UWORD(1) << a;
                }
                if (!ok || status != NEFT_EXACT_SUCCESS)
                    continue;
                for (i = 0; i < nr && !dup; i++)
                {
                    int z = 1;
                    cross(w, rays + 3 * i, v, wp);
                    for (j = 0; j < 3; j++)
                        if (sgn(w + j) == 2)
                            status = NEFT_EXACT_FAILURE;
                        else if (sgn(w + j) != 0)
                            z = 0;
                    dot(t, rays + 3 * i, v, wp);
                    if (z && sgn(t) == 1)
                    {
                        dup = 1;
                        tight[i] |= mask;
                    }
                }
                if (!dup && status == NEFT_EXACT_SUCCESS)
                {
                    if (nr >= MAXR)
                        status = NEFT_EXACT_FAILURE;
                    else
                    {
                        tight[nr] = mask;
                        _arb_vec_set(rays + 3 * nr++, v, 3);
                    }
                }
            }
        }
    if (status != NEFT_EXACT_SUCCESS)
    {
        snprintf(err, errsize, "the cone of positive pre-activations is degenerate within "
                 "the inputs' balls (inexact inputs in a special position)");
        goto out;
    }
    if (nr < 3)
    {
        arb_zero(res);   /* no interior: the product is 0 almost everywhere */
        goto out;
    }
    /* the rays in cyclic order: two extreme rays of the pointed cone are
       neighbours when one constraint vanishes on both (a facet), decided
       exactly above (an undecided sign was a FAILURE); no angles, so no
       ball that straddles a branch of atan2 */
    if (cyclic(order, tight, nr, m) != 0)
    {
        status = NEFT_EXACT_FAILURE;
        snprintf(err, errsize, "the faces of the cone of positive pre-activations do not "
                 "close into one cycle");
        goto out;
    }

    /* G^-1 by the adjugate; det G */
    {
        arb_srcptr G = S->G;
        for (i = 0; i < 3; i++)
            for (j = 0; j < 3; j++)
            {
                slong i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
                arb_mul(Gi + 3 * i + j, G + 3 * i1 + j1, G + 3 * i2 + j2, ip);
                arb_submul(Gi + 3 * i + j, G + 3 * i1 + j2, G + 3 * i2 + j1, ip);
            }
        arb_zero(detG);
        for (j = 0; j < 3; j++)
            arb_addmul(detG, G + j, Gi + 3 * j, ip);
        if (!arb_is_positive(detG))
        {
            status = NEFT_EXACT_FAILURE;
            snprintf(err, errsize, "the kernel matrix of the basis is not certainly positive");
            goto out;
        }
        for (i = 0; i < 9; i++)
            arb_div(Gi + i, Gi + i, detG, ip);
    }

    /* the simplicial cones */
    c.k = n;
    c.nl = m;
    for (i = 0; i < m; i++)
    {
        c.mult[i] = S->mult[i];
        arb_init(c.L + 3 * i); arb_init(c.L + 3 * i + 1); arb_init(c.L + 3 * i + 2);
    }
    for (i = 0; i < 9; i++)
        arb_init(c.Q + i);
    for (i = 0; i < 3 * (m + 3); i++)
        arb_init(c.F + i);
    acb_init(c.s);
    mag_init(c.tol);
    arb_zero(I);
    for (p = 1; p + 1 < nr && status == NEFT_EXACT_SUCCESS; p++)
    {
        slong col[3];
        arb_t dV, J;
        acb_t a0, b0, v;
        arb_init(dV); arb_init(J);
        acb_init(a0); acb_init(b0); acb_init(v);
        col[0] = order[0];
        col[1] = order[p];
        col[2] = order[p + 1];
        for (i = 0; i < 3; i++)
            for (j = 0; j < 3; j++)
                arb_set(V + 3 * i + j, rays + 3 * col[j] + i);   /* V[i][j]: ray j */
        /* |det V| */
        {
            arb_struct w[3];
            arb_init(w + 0); arb_init(w + 1); arb_init(w + 2);
            for (j = 0; j < 3; j++)
                arb_set(w + j, rays + 3 * col[0] + j);
            {
                arb_struct x[3];
                arb_init(x + 0); arb_init(x + 1); arb_init(x + 2);
                cross(x, rays + 3 * col[1], rays + 3 * col[2], wp);
                dot(dV, w, x, wp);
                arb_clear(x + 0); arb_clear(x + 1); arb_clear(x + 2);
            }
            arb_abs(dV, dV);
            arb_clear(w + 0); arb_clear(w + 1); arb_clear(w + 2);
        }
        /* L_i = V^T ct_i, Q = V^T G^-1 V */
        for (i = 0; i < m; i++)
            for (j = 0; j < 3; j++)
                dot(c.L + 3 * i + j, rays + 3 * col[j], ct + 3 * i, ip);
        for (i = 0; i < 3; i++)
            for (j = 0; j < 3; j++)
            {
                slong x, y;
                arb_zero(c.Q + 3 * i + j);
                for (x = 0; x < 3; x++)
                    for (y = 0; y < 3; y++)
                    {
                        arb_mul(t, V + 3 * x + i, Gi + 3 * x + y, ip);
                        arb_addmul(c.Q + 3 * i + j, t, V + 3 * y + j, ip);
                    }
            }
        /* the forms: ct_i^T V tau, then the rows of R (Q = R^T R, Cholesky on
           balls: a radicand not certainly positive is a FAILURE) */
        for (i = 0; i < m; i++)
            set_form(c.F + 3 * i, c.L + 3 * i, ip);
        if (cholesky3(c.F + 3 * m, c.Q, ip) != 0)
        {
            status = NEFT_EXACT_FAILURE;
            snprintf(err, errsize, "the cone's quadratic form is not certainly positive");
            arb_clear(dV); arb_clear(J);
            acb_clear(a0); acb_clear(b0); acb_clear(v);
            break;
        }
        /* the goal: 2^-prec of the integrand at the centre */
        acb_set_d(c.s, 0.5);
        acb_set_d(a0, 0.5);
        f_inner(v, a0, &c, 0, ip);
        acb_get_mag(c.tol, v);
        mag_mul_2exp_si(c.tol, c.tol, -prec - 4);
        status = square(J, &c, 0, 0, 0.5, c.tol, 0, ip);
        if (status == NEFT_EXACT_FAILURE)
            snprintf(err, errsize, "the cone integral did not reach its goal");
        arb_set(acb_realref(v), J);
        arb_mul(J, acb_realref(v), dV, ip);
        arb_add(I, I, J, ip);
        arb_clear(dV); arb_clear(J);
        acb_clear(a0); acb_clear(b0); acb_clear(v);
    }
    /* Gamma_k / ((2 pi)^(3/2) sqrt(det G) |det|^k) */
    arb_set_ui(t, (ulong) n + 3);
    arb_mul_2exp_si(t, t, -1);
    arb_gamma(scale, t, ip);
    arb_set_ui(t, 2);
    arb_set_ui(u, (ulong) n + 1);
    arb_mul_2exp_si(u, u, -1);
    arb_pow(t, t, u, ip);
    arb_mul(scale, scale, t, ip);
    arb_const_pi(t, ip);
    arb_mul_2exp_si(t, t, 1);
    arb_mul(t, t, detG, ip);
    arb_rsqrt(t, t, ip);
    arb_mul(scale, scale, t, ip);
    arb_const_pi(t, ip);
    arb_mul_2exp_si(t, t, 1);
    arb_div(scale, scale, t, ip);
    arb_pow_ui(t, S->absdet, (ulong) n, ip);
    arb_div(scale, scale, t, ip);
    arb_mul(res, I, scale, prec);
    for (i = 0; i < m; i++)
    {
        arb_clear(c.L + 3 * i); arb_clear(c.L + 3 * i + 1); arb_clear(c.L + 3 * i + 2);
    }
    for (i = 0; i < 9; i++)
        arb_clear(c.Q + i);
    for (i = 0; i < 3 * (m + 3); i++)
        arb_clear(c.F + i);
    acb_clear(c.s);
    mag_clear(c.tol);
out:
    _arb_vec_clear(rays, 3 * MAXR);
    _arb_vec_clear(ct, 3 * m);
    _arb_vec_clear(v, 3);
    _arb_vec_clear(w, 3);
    _arb_vec_clear(Gi, 9);
    _arb_vec_clear(V, 9);
    arb_clear(t); arb_clear(u); arb_clear(detG); arb_clear(I);
    arb_clear(scale);
    return status;
}
