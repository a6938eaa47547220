/* Erf, two vertices y, z, d_in = 2: the 4-D integral by adaptive tensor
   Gauss-Legendre on boxes with one error bound per axis.

   The erf kernel is analytic on a neighbourhood of the real space (its
   singular points are complex: docs/integrate.md), so on a box with
   centre c and half-widths h_p the tensor rule with n_p nodes along axis p
   errs by at most
       sum_p 2^3 (64/15) M_p rho_p^{-2 (n_p - 1)} / (rho_p^2 - 1) prod_q h_q,
   M_p >= |F| with coordinate p on the Bernstein ellipse E_rho_p of its
   interval and the other three on their real intervals: the error
   telescopes into one term per axis, the rules and integrals of the other
   variables (positive weights of sum 2) acting on the 1-D error of
   variable p (Trefethen, ATAP thm 19.3; as in patches.c).  M_p is
   evaluated in Arb with `analytic` set on a complex box around the
   ellipse (whole, then as the maximum over 32 pieces: the ellipse's box
   in 2 x 2, the other intervals halved); for each axis the least n_p <= 24
   meeting a quarter of the box's share of the tolerance is taken over
   rho in 8, 4, 2.5, 1.8, 1.4.  A box where some axis has no rule is
   bisected along the axis with the largest error term.  The node values
   are balls (Arb); the legs' kernels of y and of z are computed once per
   node of their plane, the link's at every node.  The tolerance is 2^-goal
   of an estimate of \int |F| (81 sample points), the box's share
   proportional to its volume.  Past the evaluation budget (opt->eval_limit,
   default 4e7 node values) or 40 bisections deep, a box is enclosed as
   volume x (range of F on it): the ball stays rigorous, the status is
   NEFT_INTEGRATE_NO_CONVERGENCE. */

#include <math.h>
#include <string.h>
#include "internal.h"
#include "gl.h"
#include "cbox.h"
#include "twovtx2.h"
#include "../cost.h"

#define NAX 4
#define NMAXN 24
static const double rhos[] = {8.0, 4.0, 2.5, 1.8, 1.4};
#define NRHO 5

typedef _neft_twovtx2_box_t ebox_t;

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    acb_ptr x;                  /* legs as acb */
    slong * same;
    slong prec;
    slong evals, budget;
    int nc;                     /* not converged somewhere */
    slong nrule, nsplit;
    int verbose;
}
ectx_t;


/* The erf kernel on complex boxes u, w (d = 2) as a sum of squares:
   K = b + (2 sigma_w^2/pi) atan(2 k(u,w) / sqrt(N)), N = (1 + 2k(u,u))(1 +
   2k(w,w)) - 4 k(u,w)^2 = 1 + 4b + 2a(|u|^2 + |w|^2) + 4ab |u - w|^2 + 4a^2
   (u ^ w)^2 (a = sigma_w^2/2, b = sigma_b^2; Lagrange's identity), each
   square by its range, so the box is not widened by cancellation.  cross2
   (or NULL) is a box containing (u ^ w)^2 given by the caller (twovtx2_erfpolar.c
   knows it without cancellation); u == w (the same pointer) is the
   self-loop K(u, u), N = 1 + 4b + 4a |u|^2. */
void
_neft_twovtx2_erf_kbox(acb_t res, const neft_kernel_struct * k, acb_srcptr u, acb_srcptr w,
                       const acb_struct * cross2, int an, slong prec)
{
    acb_t N, t, num;
    arb_t a, c;
    slong i;
    acb_init(N); acb_init(t); acb_init(num);
    arb_init(a); arb_init(c);
    arb_mul_2exp_si(a, k->sw2, -1);
    for (i = 0; i < 2; i++)
    {
        _neft_acb_addsqr_range(t, u + i, prec);
        _neft_acb_addsqr_range(t, w + i, prec);
    }
    acb_mul_arb(t, t, a, prec);
    acb_mul_2exp_si(N, t, 1);                       /* 2a(|u|^2 + |w|^2) */
    if (u != w)
    {
        acb_zero(t);
        for (i = 0; i < 2; i++)
        {
            acb_sub(num, u + i, w + i, prec);
            _neft_acb_addsqr_range(t, num, prec);
        }
        arb_mul(c, a, k->sb2, prec);
        arb_mul_2exp_si(c, c, 2);
        acb_addmul_arb(N, t, c, prec);              /* + 4ab |u - w|^2 */
        if (cross2 != NULL)
            acb_set(t, cross2);
        else
        {
            acb_mul(num, u, w + 1, prec);
            acb_submul(num, u + 1, w, prec);
            acb_zero(t);
            _neft_acb_addsqr_range(t, num, prec);
        }
        arb_sqr(c, a, prec);
        arb_mul_2exp_si(c, c, 2);
        acb_addmul_arb(N, t, c, prec);              /* + 4a^2 (u ^ w)^2 */
    }
    arb_mul_2exp_si(c, k->sb2, 2);
    arb_add_ui(c, c, 1, prec);
    acb_add_arb(N, N, c, prec);                     /* + 1 + 4b */
    _neft_acb_sqrt_box(N, N, an, prec);
    acb_mul(num, u, w, prec);
    acb_addmul(num, u + 1, w + 1, prec);
    acb_mul_arb(num, num, a, prec);
    acb_add_arb(num, num, k->sb2, prec);
    acb_mul_2exp_si(num, num, 1);                   /* 2 k(u,w) */
    _neft_acb_div_box(t, num, N, prec);
    _neft_acb_atan_box(t, t, an, prec);
    arb_const_pi(c, prec);
    arb_div(c, k->sw2, c, prec);
    arb_mul_2exp_si(c, c, 1);
    acb_mul_arb(res, t, c, prec);
    if (!k->subtract_bias)
        acb_add_arb(res, res, k->sb2, prec);
    acb_clear(N); acb_clear(t); acb_clear(num);
    arb_clear(a); arb_clear(c);
}

/* F on the 4 acb coordinates y (vertex-major) for the bounds, analytic
   flag an: every kernel by kernel_box */
static void
F(acb_t out, ectx_t * C, acb_srcptr y, int an)
{
    const neft_vint_struct * v = C->v;
    slong M = NEFT_INTEGRATE_MAX_VERTICES, i, p;
    acb_t g;
    acb_init(g);
    acb_one(out);
    for (i = 0; i < v->nlegs; i++)
    {
        _neft_twovtx2_erf_kbox(g, C->k, C->x + 2 * i, y + 2 * v->vertex[i], NULL, an, C->prec);
        acb_mul(out, out, g, C->prec);
    }
    _neft_twovtx2_erf_kbox(g, C->k, y, y + 2, NULL, an, C->prec);
    acb_pow_ui(g, g, v->A[1], C->prec);
    acb_mul(out, out, g, C->prec);
    for (p = 0; p < 2; p++)
        if (v->A[p * M + p])
        {
            _neft_twovtx2_erf_kbox(g, C->k, y + 2 * p, y + 2 * p, NULL, an, C->prec);
            acb_pow_ui(g, g, v->A[p * M + p], C->prec);
            acb_mul(out, out, g, C->prec);
        }
    acb_clear(g);
}

/* t = [a, b] (doubles, a <= b), exactly contained */
void
_neft_twovtx2_set_interval(arb_t t, double a, double b)
{
    arf_t x, y;
    arf_init(x);
    arf_init(y);
    arf_set_d(x, a);
    arf_set_d(y, b);
    arb_set_interval_arf(t, x, y, 128);
    arf_clear(x);
    arf_clear(y);
}

/* the least n <= nmax with err(n) = 8 (64/15) M rho^-2(n-1) / (rho^2 - 1) vol
   <= tol (vol = prod h; the error rounded up by 1% in *err); 0 when none */
slong
_neft_twovtx2_least_n(double * err, double M, double rho, double vol, double tol, slong nmax)
{
    slong n;
    double base = 8 * (64.0 / 15) * M * vol / (rho * rho - 1);
    for (n = 4; n <= nmax; n++)
    {
        double e = base * pow(rho, -2.0 * (double) (n - 1));   /* n nodes: rho^-2(n-1) */
        if (e <= tol)
        {
            /* round the bound up by 1% against the double evaluation */
            *err = 1.01 * e;
            return n;
        }
    }
    return 0;
}

/* the tensor rule with n[p] nodes on the box */
static void
rule(arb_t res, ectx_t * C, const ebox_t * B, const slong * n)
{
    const neft_vint_struct * v = C->v;
    const neft_kernel_struct * k = C->k;
    slong prec = C->prec, M = NEFT_INTEGRATE_MAX_VERTICES, i0, i1, i2, i3, l, p;
    const _neft_gl_struct * g[NAX];
    arb_ptr nodes[NAX], Av, Bv;
    arb_t t, s, u, w;
    arb_struct y[2], z[2];
    for (p = 0; p < NAX; p++)
    {
        arb_t c, h, u0;
        arb_init(c);
        arb_init(h);
        arb_init(u0);
        g[p] = _neft_gl(n[p], prec);
        nodes[p] = _arb_vec_init(n[p]);
        /* c, h exact: doubles of a dyadic grid, summed at 128 bits */
        arb_set_d(c, B->lo[p]);
        arb_set_d(h, B->hi[p]);
        arb_add(c, c, h, 128);
        arb_mul_2exp_si(c, c, -1);
        arb_set_d(h, B->hi[p]);
        arb_set_d(u0, B->lo[p]);
        arb_sub(h, h, u0, 128);
        arb_mul_2exp_si(h, h, -1);
        for (i0 = 0; i0 < n[p]; i0++)
        {
            arb_mul(nodes[p] + i0, g[p]->x + i0, h, prec);
            arb_add(nodes[p] + i0, nodes[p] + i0, c, prec);
        }
        arb_clear(c);
        arb_clear(h);
        arb_clear(u0);
    }
    arb_init(t); arb_init(s); arb_init(u); arb_init(w);
    arb_init(y); arb_init(y + 1); arb_init(z); arb_init(z + 1);
    Av = _arb_vec_init(n[0] * n[1]);
    Bv = _arb_vec_init(n[2] * n[3]);
    /* the legs (and self-loops) of each vertex on its plane's nodes */
    for (p = 0; p < 2; p++)
    {
        slong na = n[2 * p], nb = n[2 * p + 1];
        arb_ptr V = p ? Bv : Av;
        for (i0 = 0; i0 < na; i0++)
            for (i1 = 0; i1 < nb; i1++)
            {
                arb_ptr val = V + i0 * nb + i1;
                arb_set(y, nodes[2 * p] + i0);
                arb_set(y + 1, nodes[2 * p + 1] + i1);
                arb_one(val);
                for (l = 0; l < v->nlegs; l++)
                    if (v->vertex[l] == p)
                    {
                        neft_kernel_eval_arb(t, k, v->point + 2 * l, y, prec);
                        arb_mul(val, val, t, prec);
                    }
                if (v->A[p * M + p])
                {
                    neft_kernel_eval_arb(t, k, y, y, prec);
                    arb_pow_ui(t, t, v->A[p * M + p], prec);
                    arb_mul(val, val, t, prec);
                }
            }
    }
    arb_zero(res);
    for (i0 = 0; i0 < n[0]; i0++)
        for (i1 = 0; i1 < n[1]; i1++)
        {
            arb_set(y, nodes[0] + i0);
            arb_set(y + 1, nodes[1] + i1);
            arb_zero(s);
            for (i2 = 0; i2 < n[2]; i2++)
                for (i3 = 0; i3 < n[3]; i3++)
                {
                    arb_set(z, nodes[2] + i2);
                    arb_set(z + 1, nodes[3] + i3);
                    neft_kernel_eval_arb(t, k, y, z, prec);
                    arb_pow_ui(t, t, v->A[1], prec);
                    arb_mul(t, t, Bv + i2 * n[3] + i3, prec);
                    arb_mul(w, g[2]->w + i2, g[3]->w + i3, prec);
                    arb_addmul(s, t, w, prec);
                }
            arb_mul(s, s, Av + i0 * n[1] + i1, prec);
            arb_mul(w, g[0]->w + i0, g[1]->w + i1, prec);
            arb_addmul(res, s, w, prec);
        }
    /* times prod h */
    for (p = 0; p < NAX; p++)
    {
        arb_set_d(t, B->hi[p]);
        arb_set_d(u, B->lo[p]);
        arb_sub(t, t, u, 128);
        arb_mul_2exp_si(t, t, -1);
        arb_mul(res, res, t, prec);
    }
    _arb_vec_clear(Av, n[0] * n[1]);
    _arb_vec_clear(Bv, n[2] * n[3]);
    for (p = 0; p < NAX; p++)
        _arb_vec_clear(nodes[p], n[p]);
    arb_clear(t); arb_clear(s); arb_clear(u); arb_clear(w);
    arb_clear(y); arb_clear(y + 1); arb_clear(z); arb_clear(z + 1);
}

/* vol x F(box) (the shell of a cutoff that is not a double) */
static void
enclose(arb_t res, ectx_t * C, const ebox_t * B)
{
    acb_ptr y = _acb_vec_init(NAX);
    acb_t f;
    slong p;
    acb_init(f);
    arb_one(res);
    for (p = 0; p < NAX; p++)
        _neft_twovtx2_set_interval(acb_realref(y + p), B->lo[p], B->hi[p]);
    F(f, C, y, 0);
    arb_set(res, acb_realref(f));
    for (p = 0; p < NAX; p++)
    {
        arb_t t, u;
        arb_init(t);
        arb_init(u);
        arb_set_d(t, B->hi[p]);
        arb_set_d(u, B->lo[p]);
        arb_sub(t, t, u, 128);
        arb_mul(res, res, t, C->prec);
        arb_clear(t);
        arb_clear(u);
    }
    acb_clear(f);
    _acb_vec_clear(y, NAX);
}

/* the callbacks of the box stack (twovtx2_stack.c) */
static void
F_cb(acb_t out, void * ctx, const _neft_twovtx2_box_t * B, acb_srcptr q, int an)
{
    (void) B;
    F(out, ctx, q, an);
}

static void
rule_cb(arb_t res, void * ctx, const _neft_twovtx2_box_t * B, const slong * n)
{
    rule(res, ctx, B, n);
}

int
_neft_integrate_twovtx2_erf(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                            const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    ectx_t C[1];
    _neft_twovtx2_stack_t S[1];
    ebox_t start;
    slong i, goal;
    double Ld, scale = 0, dens;
    arb_t t;
    int status = NEFT_INTEGRATE_SUCCESS;

    if (v->m != 2 || v->d != 2 || arf_is_pos_inf(L))
    {
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    memset(C, 0, sizeof(C));
    memset(S, 0, sizeof(S));
    C->v = v;
    C->k = k;
    C->prec = prec;
    C->verbose = opt->verbose;
    C->budget = opt->eval_limit > 0 ? opt->eval_limit : 40000000;
    C->x = _acb_vec_init(2 * v->nlegs + 1);
    C->same = flint_calloc(v->nlegs + 1, sizeof(slong));
    for (i = 0; i < 2 * v->nlegs; i++)
        acb_set_arb(C->x + i, v->point + i);
    _neft_vint_runs(C->same, v);
    goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec - 34;
    Ld = arf_get_d(L, ARF_RND_DOWN);
    arb_init(t);

    /* scale: mean |F| at 3^4 points times the volume */
    {
        static const double fr[3] = {-0.71, 0.13, 0.57};
        acb_ptr y = _acb_vec_init(NAX);
        acb_t f;
        slong pt, q, r;
        acb_init(f);
        for (pt = 0; pt < 81; pt++)
        {
            for (q = 0, r = pt; q < NAX; q++, r /= 3)
                acb_set_d(y + q, fr[r % 3] * Ld);
            F(f, C, y, 0);
            if (acb_is_finite(f))
                scale += fabs(arf_get_d(arb_midref(acb_realref(f)), ARF_RND_NEAR)) / 81;
        }
        acb_clear(f);
        _acb_vec_clear(y, NAX);
    }
    scale *= pow(2 * Ld, 4);
    if (!(scale > 1e-300))
        scale = 1e-300;
    dens = ldexp(scale, (int) -goal) / pow(2 * Ld, 4);

    for (i = 0; i < NAX; i++)
    {
        start.lo[i] = -Ld;
        start.hi[i] = Ld;
        S->width_scale[i] = 1;
    }
    start.depth = start.map = 0;
    S->ctx = C;
    S->F = F_cb;
    S->rule = rule_cb;
    S->rhos = rhos;
    S->nrho = NRHO;
    S->nmax = NMAXN;
    S->eval_charge = 1;
    S->budget = C->budget;
    S->verbose = opt->verbose;
    S->name = "twovtx2_erf";
    status = _neft_twovtx2_stack_run(res, S, &start, 1, dens, &C->nc, prec);
    if (arf_cmp_d(L, Ld) != 0 && status == NEFT_INTEGRATE_SUCCESS)
    {
        /* L is not a double: the shell between [-Ld, Ld]^4 and [-L, L]^4,
           volume (2L)^4 - (2Ld)^4, times |F| on the whole box */
        ebox_t W;
        arb_t a, b;
        mag_t m;
        arb_init(a); arb_init(b);
        mag_init(m);
        for (i = 0; i < NAX; i++)
        {
            arf_t u;
            arf_init(u);
            arf_set_round(u, L, 53, ARF_RND_UP);
            W.lo[i] = -arf_get_d(u, ARF_RND_UP);
            W.hi[i] = arf_get_d(u, ARF_RND_UP);
            arf_clear(u);
        }
        enclose(t, C, &W);                   /* 16 W^4 F(box) */
        arb_set_arf(a, L);
        arb_pow_ui(a, a, 4, prec);
        arb_set_d(b, Ld);
        arb_pow_ui(b, b, 4, prec);
        arb_sub(a, a, b, prec);
        arb_abs(a, a);
        arb_mul_2exp_si(a, a, 4);            /* (2L)^4 - (2Ld)^4 */
        arb_set_d(b, W.hi[0]);
        arb_pow_ui(b, b, 4, prec);
        arb_mul_2exp_si(b, b, 4);
        arb_div(a, a, b, prec);              /* the shell's share of the box */
        arb_get_mag(m, t);
        {
            mag_t s;
            mag_init(s);
            arb_get_mag(s, a);
            mag_mul(m, m, s);
            mag_clear(s);
        }
        arb_add_error_mag(res, m);
        arb_clear(a); arb_clear(b);
        mag_clear(m);
    }
    if (status == NEFT_INTEGRATE_INTERRUPTED || !arb_is_finite(res))
        arb_indeterminate(res);
    if (status == NEFT_INTEGRATE_SUCCESS && C->nc)
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    _acb_vec_clear(C->x, 2 * v->nlegs + 1);
    flint_free(C->same);
    arb_clear(t);
    return status;
}
