/* ReLU with sigma_b = 0, two vertices y, z, d_in = 2: homogeneity in each
   vertex, then a nested integral over the two angles.

   With sigma_b = 0, K(u, w) = c |u| |w| J(t), t in [0, pi] the angle between
   u and w, J(t) = sin t + (pi - t) cos t, c = K(e, e) / pi (e a unit
   vector; read from the kernel itself).  The integrand is homogeneous of
   degree p1 = legs(y) + links + 2 loops(y) in y and p2 likewise in z, so with
   y = r (cos a, sin a), \int_{[-L,L]^2} g(y) dy = \int_0^{2 pi} R(a)^{p+2}/(p+2)
   g(omega(a)) da, R(a) = L rho(a), rho(a) = 1 / max(|cos a|, |sin a|):

       I = C L^{p1+2} L^{p2+2} / ((p1+2)(p2+2))
           \int\int rho(a)^{p1+2} rho(b)^{p2+2} prod_i J(a - alpha_i)
                    J(a - b)^links prod_j J(b - beta_j) da db,

   C = c^{E} prod |x_i| pi^{loops} (E = legs + links + loops), alpha_i, beta_j
   the legs' angles.  As a function of an angle difference delta, J is
   J+(s delta + 2 pi q) with J+(phi) = sin phi + (pi - phi) cos phi (entire)
   on each arc where s delta + 2 pi q lies in (0, pi): its only kinks are
   delta = 0 and pi (mod 2 pi).  rho is +-1/cos or +-1/sin on the quarters
   between the corners -pi/4 + k pi/2 (poles pi/4 beyond the quarter).

   The outer integral over a in [-pi/4, 7pi/4] is split at the corners, the
   alpha_i and alpha_i + pi, and the beta_j and beta_j + pi (where the inner
   integral's moving kinks b = a, a + pi cross its fixed ones): on each
   piece every factor is one fixed analytic form and the inner integral is
   analytic in a.  The inner integral over b is split at the corners, beta_j,
   beta_j + pi (fixed) and a, a + pi (moving; the path passes through the
   midpoint of the ball of a and the rest is |a - mid a| times the sup of the
   two adjacent forms on the ball, as in relu_pair.c).  Both levels are
   acb_calc_integrate; an outer evaluation on a complex a whose inner path
   could pass a pole of rho is refused (non-finite), so Arb bisects.

   The breakpoints are angles (atan2 of the points, pi), balls rather than
   exact numbers: each is a gap of width ~2^-prec enclosed as width times a
   bound of the integrand (J <= pi and rho <= sqrt 2 on real angles; the
   link factor, whose form does not change across a fixed gap, evaluated
   on it).  Breakpoints whose balls overlap are merged into one gap. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define MAXB 64             /* breakpoints: 5 corners, 2 per leg, 2 moving */
#define MAXLEGS 28

typedef struct
{
    int s;          /* +-1 */
    slong q;        /* phi = s delta + 2 pi q */
}
form_t;

typedef struct
{
    arb_struct b;   /* the breakpoint (a ball) */
    double ref;     /* its midpoint */
    int moving;     /* inner: 0 fixed, 1 = a, 2 = a + pi - 2 pi w */
}
bp_t;

typedef struct
{
    const neft_vint_struct * v;
    slong n1, n2, p1, p2, kk;
    arb_ptr ang;            /* leg angles */
    double * angd;
    arb_t pi, twopi;
    /* fixed inner breakpoints */
    bp_t * fin;
    slong nfin;
    /* current outer piece */
    double aref;
    slong wrap;             /* a + pi - 2 pi wrap lies in the domain */
    int quart1;
    form_t * leg;           /* forms of the legs of y (outer piece) */
    /* inner segments for the current outer piece */
    slong nseg;
    int segq[MAXB];         /* quarter of rho(b) */
    form_t seglink[MAXB];
    form_t * segleg;        /* nseg x nlegs forms (vertex-1 legs) */
    int endk[MAXB + 1];     /* kind of each segment end: -1 fixed (index in fin), 1, 2 moving */
    slong endi[MAXB + 1];
    /* evaluation state */
    acb_t a;
    slong cur;              /* segment being integrated */
    slong goal;
    mag_t tol_in, tol_low;
    acb_calc_integrate_opt_t opt, opt_low;
    int low;
    double bound_leg;       /* sup over real angles of a factor: pi */
}
ang_struct;

static form_t
form_of(double delta)
{
    form_t f;
    double tp = 2 * M_PI;
    slong q0 = (slong) -floor(delta / tp);
    double dd = delta + tp * (double) q0;
    if (dd < M_PI)
    {
        f.s = 1;
        f.q = q0;
    }
    else
    {
        f.s = -1;
        f.q = 1 - q0;
    }
    return f;
}

static int
quarter_of(double t)
{
    slong k = (slong) floor((t + M_PI / 4) / (M_PI / 2));
    return (int) (((k % 4) + 4) % 4);
}

/* J+(s (t - u) + 2 pi q) */
static void
jform(acb_t res, const acb_t t, const acb_t u, form_t f, const ang_struct * A, slong prec)
{
    acb_t phi, sn, cs, w;
    acb_init(phi); acb_init(sn); acb_init(cs); acb_init(w);
    acb_sub(phi, t, u, prec);
    if (f.s < 0)
        acb_neg(phi, phi);
    if (f.q != 0)
    {
        arb_t c;
        arb_init(c);
        arb_mul_si(c, A->twopi, f.q, prec);
        acb_add_arb(phi, phi, c, prec);
        arb_clear(c);
    }
    acb_sin_cos(sn, cs, phi, prec);
    acb_neg(w, phi);
    acb_add_arb(w, w, A->pi, prec);
    acb_mul(w, w, cs, prec);
    acb_add(res, sn, w, prec);
    acb_clear(phi); acb_clear(sn); acb_clear(cs); acb_clear(w);
}

/* rho(t)^e on quarter q: (+-1/cos t)^e or (+-1/sin t)^e */
static void
rho_pow(acb_t res, const acb_t t, int q, slong e, slong prec)
{
    acb_t s, c;
    acb_init(s); acb_init(c);
    acb_sin_cos(s, c, t, prec);
    if (q == 1 || q == 3)
        acb_swap(s, c);
    if (q >= 2)
        acb_neg(c, c);
    acb_inv(c, c, prec);
    acb_pow_ui(res, c, e, prec);
    acb_clear(s); acb_clear(c);
}

/* the inner integrand on segment `seg` at angle b (outer angle A->a) */
static void
inner_eval(acb_t out, ang_struct * A, slong seg, const acb_t b, slong prec)
{
    const neft_vint_struct * v = A->v;
    slong i, l = 0;
    acb_t f, x;
    acb_init(f); acb_init(x);
    rho_pow(out, b, A->segq[seg], A->p2 + 2, prec);
    for (i = 0; i < v->nlegs; i++)
        if (v->vertex[i] == 1)
        {
            acb_set_arb(x, A->ang + i);
            jform(f, b, x, A->segleg[seg * v->nlegs + l], A, prec);
            acb_mul(out, out, f, prec);
            l++;
        }
    jform(f, b, A->a, A->seglink[seg], A, prec);
    acb_pow_ui(f, f, A->kk, prec);
    acb_mul(out, out, f, prec);
    acb_clear(f); acb_clear(x);
}

static int
inner_f(acb_ptr out, const acb_t b, void * param, slong order, slong prec)
{
    ang_struct * A = param;
    (void) order;
    _NEFT_INTEGRAND_POLL(out);
    inner_eval(out, A, A->cur, b, prec);
    return 0;
}

/* the moving breakpoint k (1: a, 2: a + pi - 2 pi wrap) as a ball */
static void
moving(acb_t m, const ang_struct * A, int k, slong prec)
{
    acb_set(m, A->a);
    if (k == 2)
    {
        arb_t c;
        arb_init(c);
        arb_mul_si(c, A->pi, 1 - 2 * A->wrap, prec);
        acb_add_arb(m, m, c, prec);
        arb_clear(c);
    }
}

/* |z - mid z| <= rad(Re z) + rad(Im z) */
static void
ball_rad(mag_t r, const acb_t z)
{
    mag_add(r, arb_radref(acb_realref(z)), arb_radref(acb_imagref(z)));
}

/* Adds the gap of the fixed end e (segment s beside it) to res:
   width x (pi^{n2} 2^{(p2+2)/2} |link|^kk), the link's form the same on
   both sides of a fixed breakpoint. */
static void
fixed_gap(acb_t res, ang_struct * A, slong e, slong s, slong prec)
{
    const arb_struct * g = &A->fin[A->endi[e]].b;
    acb_t t;
    mag_t bnd, w;
    if (A->endk[e] >= 0)
        return;
    acb_init(t);
    mag_init(bnd);
    mag_init(w);
    acb_set_arb(t, g);
    jform(t, t, A->a, A->seglink[s], A, prec);
    acb_pow_ui(t, t, A->kk, prec);
    acb_get_mag(bnd, t);
    mag_set_d(w, pow(M_PI, (double) A->n2) * pow(2.0, 0.5 * (double) (A->p2 + 2)));
    mag_mul(bnd, bnd, w);
    mag_mul_2exp_si(w, arb_radref(g), 1);
    mag_mul(bnd, bnd, w);
    acb_add_error_mag(res, bnd);
    acb_clear(t);
    mag_clear(bnd);
    mag_clear(w);
}

/* The inner integral over b for the current outer angle A->a. */
static int
inner_integral(acb_t res, ang_struct * A, slong prec)
{
    slong s;
    acb_t lo, hi, t, m;
    mag_t r, bnd, e;
    int status = ARB_CALC_SUCCESS;
    acb_init(lo); acb_init(hi); acb_init(t); acb_init(m);
    mag_init(r); mag_init(bnd); mag_init(e);
    acb_zero(res);
    for (s = 0; s < A->nseg; s++)
    {
        /* ends: fixed -> the exact end of the gap; moving -> the midpoint */
        if (A->endk[s] < 0)
        {
            arf_t u;
            arf_init(u);
            arb_get_ubound_arf(u, &A->fin[A->endi[s]].b, prec);
            acb_zero(lo);
            arb_set_arf(acb_realref(lo), u);
            arf_clear(u);
        }
        else
        {
            moving(m, A, A->endk[s], prec);
            acb_get_mid(lo, m);
        }
        if (A->endk[s + 1] < 0)
        {
            arf_t u;
            arf_init(u);
            arb_get_lbound_arf(u, &A->fin[A->endi[s + 1]].b, prec);
            acb_zero(hi);
            arb_set_arf(acb_realref(hi), u);
            arf_clear(u);
        }
        else
        {
            moving(m, A, A->endk[s + 1], prec);
            acb_get_mid(hi, m);
        }
        A->cur = s;
        if (acb_calc_integrate(t, inner_f, A, lo, hi, A->low ? 8 : A->goal,
                               A->low ? A->tol_low : A->tol_in,
                               A->low ? A->opt_low : A->opt, prec) != ARB_CALC_SUCCESS)
            status = ARB_CALC_NO_CONVERGENCE;
        acb_add(res, res, t, prec);
        /* the end at s + 1 (and the domain's first end, a corner) */
        if (s == 0)
            fixed_gap(res, A, 0, 0, prec);
        if (s + 1 == A->nseg)
            fixed_gap(res, A, s + 1, s, prec);
        else
        {
            if (A->endk[s + 1] < 0)
            {
                /* a fixed gap: width x (pi^{n2} 2^{(p2+2)/2} |link|^kk), the
                   link's form the same on both sides */
                fixed_gap(res, A, s + 1, s, prec);
            }
            else
            {
                /* a moving end: |m - mid m| (sup |f_s| + sup |f_{s+1}|) on the ball */
                moving(m, A, A->endk[s + 1], prec);
                ball_rad(r, m);
                if (!mag_is_zero(r))
                {
                    inner_eval(t, A, s, m, prec);
                    acb_get_mag(bnd, t);
                    inner_eval(t, A, s + 1, m, prec);
                    acb_get_mag(e, t);
                    mag_add(bnd, bnd, e);
                    mag_mul(bnd, bnd, r);
                    acb_add_error_mag(res, bnd);
                }
            }
        }
    }
    acb_clear(lo); acb_clear(hi); acb_clear(t); acb_clear(m);
    mag_clear(r); mag_clear(bnd); mag_clear(e);
    return status;
}

/* 1 if the real part of z lies inside (c - pi/2, c + pi/2), c = q pi/2 + 2 pi
   wrap for the quarter q (rho's poles are at c +- pi/2) */
static int
strip_ok(const acb_t z, int q, double shift)
{
    double c = q * M_PI / 2 + shift, lo, hi;
    arf_t u;
    arf_init(u);
    arb_get_lbound_arf(u, acb_realref(z), 53);
    lo = arf_get_d(u, ARF_RND_DOWN);
    arb_get_ubound_arf(u, acb_realref(z), 53);
    hi = arf_get_d(u, ARF_RND_UP);
    arf_clear(u);
    /* a margin of 1e-6 for the double rounding of c */
    return arb_is_finite(acb_realref(z)) && lo > c - M_PI / 2 + 1e-6 && hi < c + M_PI / 2 - 1e-6;
}

static int
outer_f(acb_ptr out, const acb_t a, void * param, slong order, slong prec)
{
    ang_struct * A = param;
    const neft_vint_struct * v = A->v;
    slong s, i, l = 0;
    int saved = A->low;
    acb_t in, f, x, m;
    _NEFT_INTEGRAND_POLL(out);
    acb_init(in); acb_init(f); acb_init(x); acb_init(m);
    /* the inner path's moving ends must stay in the strips of their segments'
       quarters (else a pole of rho could lie between paths) */
    acb_set(A->a, a);
    for (s = 0; s < A->nseg; s++)
    {
        int k;
        for (k = 0; k < 2; k++)
        {
            int kind = A->endk[s + k];
            if (kind > 0)
            {
                double sh = 0;
                moving(m, A, kind, prec);
                /* the quarter's centre nearest to the moving point */
                {
                    double c = A->segq[s] * M_PI / 2, r = kind == 1 ? A->aref
                             : A->aref + M_PI - 2 * M_PI * (double) A->wrap;
                    sh = 2 * M_PI * floor((r - c + M_PI) / (2 * M_PI));
                }
                if (!strip_ok(m, A->segq[s], sh))
                {
                    acb_indeterminate(out);
                    goto done;
                }
            }
        }
    }
    A->low = (order == 1) || acb_rel_accuracy_bits(a) < prec / 2;
    inner_integral(in, A, prec);
    rho_pow(out, a, A->quart1, A->p1 + 2, prec);
    acb_mul(out, out, in, prec);
    for (i = 0; i < v->nlegs; i++)
        if (v->vertex[i] == 0)
        {
            acb_set_arb(x, A->ang + i);
            jform(f, a, x, A->leg[l], A, prec);
            acb_mul(out, out, f, prec);
            l++;
        }
done:
    A->low = saved;
    acb_clear(in); acb_clear(f); acb_clear(x); acb_clear(m);
    return 0;
}

/* reduce t (a ball) into [-pi/4, 7 pi/4) by its midpoint */
static double
reduce(arb_t t, const ang_struct * A, slong prec)
{
    double r = arf_get_d(arb_midref(t), ARF_RND_NEAR);
    while (r < -M_PI / 4)
    {
        arb_add(t, t, A->twopi, prec);
        r += 2 * M_PI;
    }
    while (r >= 7 * M_PI / 4)
    {
        arb_sub(t, t, A->twopi, prec);
        r -= 2 * M_PI;
    }
    return arf_get_d(arb_midref(t), ARF_RND_NEAR);
}

static int
bp_cmp(const void * x, const void * y)
{
    double a = ((const bp_t *) x)->ref, b = ((const bp_t *) y)->ref;
    return (a > b) - (a < b);
}

/* sorts the list and merges overlapping balls (fixed ones only) */
static slong
bp_merge(bp_t * B, slong n, slong prec)
{
    slong i, o = 0;
    qsort(B, n, sizeof(bp_t), bp_cmp);
    for (i = 0; i < n; i++)
    {
        if (o > 0 && !B[i].moving && !B[o - 1].moving && arb_overlaps(&B[o - 1].b, &B[i].b))
        {
            arb_union(&B[o - 1].b, &B[o - 1].b, &B[i].b, prec);
            B[o - 1].ref = arf_get_d(arb_midref(&B[o - 1].b), ARF_RND_NEAR);
            arb_clear(&B[i].b);
            continue;
        }
        if (o != i)
            B[o] = B[i];
        o++;
    }
    return o;
}

/* corners -pi/4 + k pi/2, k = 0..4, and (vertex u's legs) angles and angles + pi */
static slong
bp_fixed(bp_t * B, const ang_struct * A, int with0, int with1, slong prec)
{
    const neft_vint_struct * v = A->v;
    slong n = 0, k, i;
    for (k = 0; k <= 4; k++)
    {
        arb_init(&B[n].b);
        arb_mul_si(&B[n].b, A->pi, 2 * k - 1, prec);
        arb_mul_2exp_si(&B[n].b, &B[n].b, -2);
        B[n].ref = arf_get_d(arb_midref(&B[n].b), ARF_RND_NEAR);
        B[n].moving = 0;
        n++;
    }
    for (i = 0; i < v->nlegs; i++)
        if ((v->vertex[i] == 0 && with0) || (v->vertex[i] == 1 && with1))
            for (k = 0; k < 2; k++)
            {
                arb_init(&B[n].b);
                arb_set(&B[n].b, A->ang + i);
                if (k)
                    arb_add(&B[n].b, &B[n].b, A->pi, prec);
                B[n].ref = reduce(&B[n].b, A, prec);
                B[n].moving = 0;
                /* a ball straddling the domain's ends merges with a corner */
                n++;
            }
    return bp_merge(B, n, prec);
}

/* sets up the inner segments for the outer piece with midpoint aref */
static void
inner_setup(ang_struct * A)
{
    const neft_vint_struct * v = A->v;
    bp_t P[MAXB];
    slong n = 0, i, s, j;
    double m2;
    for (i = 0; i < A->nfin; i++)
    {
        P[n] = A->fin[i];
        P[n].moving = -1 - (int) i;          /* fixed: remember the index */
        n++;
    }
    A->wrap = A->aref + M_PI >= 7 * M_PI / 4;
    m2 = A->aref + M_PI - 2 * M_PI * (double) A->wrap;
    P[n].ref = A->aref;
    P[n].moving = 1;
    n++;
    P[n].ref = m2;
    P[n].moving = 2;
    n++;
    /* sort by ref (shallow copies: the balls stay owned by A->fin) */
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && P[j - 1].ref > P[j].ref; j--)
        {
            bp_t t = P[j - 1];
            P[j - 1] = P[j];
            P[j] = t;
        }
    A->nseg = n - 1;
    for (i = 0; i < n; i++)
    {
        if (P[i].moving < 0)
        {
            A->endk[i] = -1;
            A->endi[i] = -1 - P[i].moving;
        }
        else
        {
            A->endk[i] = P[i].moving;
            A->endi[i] = -1;
        }
    }
    for (s = 0; s + 1 < n; s++)
    {
        double t = 0.5 * (P[s].ref + P[s + 1].ref);
        slong l = 0;
        A->segq[s] = quarter_of(t);
        A->seglink[s] = form_of(t - A->aref);
        for (i = 0; i < v->nlegs; i++)
            if (v->vertex[i] == 1)
                A->segleg[s * v->nlegs + l++] = form_of(t - A->angd[i]);
    }
}

int
_neft_integrate_twovtx2_relu0(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                              const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    ang_struct A[1];
    slong M = NEFT_INTEGRATE_MAX_VERTICES, i, j, l, nout, wp = prec + 16;
    slong s1 = v->A[0], s2 = v->A[M + 1], E;
    bp_t * Bout, * Bin;
    arb_t C, c, t, Lb;
    acb_t lo, hi, r, sum;
    mag_t tol, gap;
    int status = NEFT_INTEGRATE_SUCCESS;
    double A0 = 0;

    if (v->m != 2 || v->d != 2 || !arb_is_zero(k->sb2) || arf_is_pos_inf(L)
        || v->A[1] < 1 || v->nlegs > MAXLEGS)
    {
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    memset(A, 0, sizeof(A));
    A->v = v;
    A->kk = v->A[1];
    for (i = 0; i < v->nlegs; i++)
    {
        if (v->vertex[i] == 0)
            A->n1++;
        else
            A->n2++;
    }
    A->p1 = A->n1 + A->kk + 2 * s1;
    A->p2 = A->n2 + A->kk + 2 * s2;
    E = v->nlegs + A->kk + s1 + s2;
    A->goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec - 24;
    arb_init(A->pi);
    arb_init(A->twopi);
    arb_const_pi(A->pi, wp);
    arb_mul_2exp_si(A->twopi, A->pi, 1);
    A->ang = _arb_vec_init(v->nlegs + 1);
    A->angd = flint_calloc(v->nlegs + 1, sizeof(double));
    A->leg = flint_calloc(v->nlegs + 1, sizeof(form_t));
    A->segleg = flint_calloc((MAXB + 1) * (v->nlegs + 1), sizeof(form_t));
    arb_init(C); arb_init(c); arb_init(t); arb_init(Lb);
    acb_init(lo); acb_init(hi); acb_init(r); acb_init(sum);
    acb_init(A->a);
    mag_init(tol); mag_init(gap);
    mag_init(A->tol_in); mag_init(A->tol_low);
    acb_calc_integrate_opt_init(A->opt);
    acb_calc_integrate_opt_init(A->opt_low);
    if (opt->eval_limit > 0)
        A->opt->eval_limit = opt->eval_limit;
    A->opt_low->eval_limit = 2000;

    /* C = c^E prod |x_i| pi^{s1+s2}, c = K(e, e)/pi */
    {
        arb_ptr e = _arb_vec_init(2);
        arb_one(e);
        neft_kernel_eval_arb(c, k, e, e, wp);
        arb_div(c, c, A->pi, wp);
        _arb_vec_clear(e, 2);
    }
    arb_pow_ui(C, c, E, wp);
    arb_pow_ui(t, A->pi, s1 + s2, wp);
    arb_mul(C, C, t, wp);
    for (i = 0; i < v->nlegs; i++)
    {
        arb_srcptr x = v->point + 2 * i;
        arb_hypot(t, x, x + 1, wp);
        arb_mul(C, C, t, wp);
        arb_atan2(A->ang + i, x + 1, x, wp);
        A->angd[i] = arf_get_d(arb_midref(A->ang + i), ARF_RND_NEAR);
    }
    /* times L^{p1+2} L^{p2+2} / ((p1+2)(p2+2)) */
    arb_set_arf(Lb, L);
    arb_pow_ui(t, Lb, A->p1 + A->p2 + 4, wp);
    arb_mul(C, C, t, wp);
    arb_div_si(C, C, (A->p1 + 2) * (A->p2 + 2), wp);

    /* scale of the angular integral: a midpoint sum on a 24 x 24 grid in
       double (the true J through the angle between) */
    {
        slong a1, b1, g = 24;
        for (a1 = 0; a1 < g; a1++)
            for (b1 = 0; b1 < g; b1++)
            {
                double ta = -M_PI / 4 + 2 * M_PI * (a1 + 0.5) / g;
                double tb = -M_PI / 4 + 2 * M_PI * (b1 + 0.37) / g, f, w;
                f = pow(1 / fmax(fabs(cos(ta)), fabs(sin(ta))), (double) (A->p1 + 2))
                  * pow(1 / fmax(fabs(cos(tb)), fabs(sin(tb))), (double) (A->p2 + 2));
                w = acos(cos(ta - tb));
                f *= pow(sin(w) + (M_PI - w) * cos(w), (double) A->kk);
                for (i = 0; i < v->nlegs; i++)
                {
                    w = acos(cos((v->vertex[i] == 0 ? ta : tb) - A->angd[i]));
                    f *= sin(w) + (M_PI - w) * cos(w);
                }
                A0 += f * (2 * M_PI / g) * (2 * M_PI / g);
            }
        if (!(A0 > 1e-300))
            A0 = 1e-300;
    }
    mag_set_d(tol, A0);
    mag_mul_2exp_si(tol, tol, -A->goal - 2);
    mag_set_d(A->tol_in, A0 / (2 * M_PI));
    mag_mul_2exp_si(A->tol_in, A->tol_in, -A->goal - 6);
    mag_set_d(A->tol_low, A0 / (2 * M_PI));
    mag_mul_2exp_si(A->tol_low, A->tol_low, -8);

    Bout = flint_malloc(MAXB * sizeof(bp_t));
    Bin = flint_malloc(MAXB * sizeof(bp_t));
    nout = bp_fixed(Bout, A, 1, 1, wp);
    A->nfin = bp_fixed(Bin, A, 0, 1, wp);
    A->fin = Bin;

    acb_zero(sum);
    for (j = 0; j + 1 < nout && status == NEFT_INTEGRATE_SUCCESS; j++)
    {
        arf_t u;
        arf_init(u);
        acb_zero(lo);
        acb_zero(hi);
        arb_get_ubound_arf(u, &Bout[j].b, wp);
        arb_set_arf(acb_realref(lo), u);
        arb_get_lbound_arf(u, &Bout[j + 1].b, wp);
        arb_set_arf(acb_realref(hi), u);
        arf_clear(u);
        A->aref = 0.5 * (Bout[j].ref + Bout[j + 1].ref);
        A->quart1 = quarter_of(A->aref);
        for (i = 0, l = 0; i < v->nlegs; i++)
            if (v->vertex[i] == 0)
                A->leg[l++] = form_of(A->aref - A->angd[i]);
        inner_setup(A);
        A->low = 0;
        if (acb_calc_integrate(r, outer_f, A, lo, hi, A->goal, tol, A->opt, wp)
            != ARB_CALC_SUCCESS)
            status = NEFT_INTEGRATE_NO_CONVERGENCE;
        acb_add(sum, sum, r, wp);
        if (neft_interrupted())
            status = NEFT_INTEGRATE_INTERRUPTED;
    }
    /* the outer gaps: width x 2 pi pi^{legs + links} 2^{(p1+p2+4)/2} */
    for (j = 0; j < nout; j++)
    {
        mag_mul_2exp_si(gap, arb_radref(&Bout[j].b), 1);
        mag_set_d(tol, 2 * M_PI * pow(M_PI, (double) (v->nlegs + A->kk))
                  * pow(2.0, 0.5 * (double) (A->p1 + A->p2 + 4)));
        mag_mul(gap, gap, tol);
        acb_add_error_mag(sum, gap);
    }
    arb_mul(t, acb_realref(sum), C, wp);
    if (status == NEFT_INTEGRATE_INTERRUPTED)
        arb_indeterminate(res);
    else
        arb_set_round(res, t, prec);
    if (!arb_is_finite(res) && status == NEFT_INTEGRATE_SUCCESS)
        status = NEFT_INTEGRATE_NO_CONVERGENCE;

    for (j = 0; j < nout; j++)
        arb_clear(&Bout[j].b);
    for (j = 0; j < A->nfin; j++)
        arb_clear(&Bin[j].b);
    flint_free(Bout);
    flint_free(Bin);
    arb_clear(A->pi); arb_clear(A->twopi);
    _arb_vec_clear(A->ang, v->nlegs + 1);
    flint_free(A->angd);
    flint_free(A->leg);
    flint_free(A->segleg);
    arb_clear(C); arb_clear(c); arb_clear(t); arb_clear(Lb);
    acb_clear(lo); acb_clear(hi); acb_clear(r); acb_clear(sum);
    acb_clear(A->a);
    mag_clear(tol); mag_clear(gap);
    mag_clear(A->tol_in); mag_clear(A->tol_low);
    return status;
}
