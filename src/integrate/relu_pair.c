/* ReLU with sigma_b > 0, d_in = 1, two vertices y, z joined by propagators.

   K(y, z) has a kink along y = z.  The square is cut along the diagonal into
   T1 = {y <= z} and T2 = {z <= y} (T2 is T1 with the vertices swapped); on
   T1, K(y, z) is continued from its side (sqrt(G) = sqrt(ab)(z - y)) and is
   analytic up to and across the diagonal.  T1 is integrated as
       \int dz  [outer factors of z]  \int_{-L}^{z} dy [factors of y] K(y,z)^e,
   the outer integral split at every leg point (the kinks y = x_i, z = x_j;
   the inner integral as a function of z is not analytic at z = x_i either),
   the inner path split at the leg points of y below the outer piece and
   ending at the (complex) outer variable z.  Every kernel is the one-sided
   continuation for its piece, so no further splitting is needed.  As in
   quad.c: order-1 outer evaluations force holomorphy checks in the inner
   integrand and use a low inner goal. */

#include <stdio.h>
#include "internal.h"

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    int first;                 /* the vertex integrated inside (y) */
    acb_ptr x;                 /* leg points */
    int * side;                /* side of each leg for the current pieces */
    acb_ptr z;                 /* outer variable */
    int outer_an;
    slong goal;
    mag_ptr tol_in;
    acb_calc_integrate_opt_t opt, opt_low;
    int low;
}
pair_struct;

/* prod of legs of vertex `vert` at point t, times K(t,t)^loops */
static void
vertex_factors(acb_t out, pair_struct * P, slong vert, const acb_t t, int an, slong prec)
{
    const neft_vint_struct * v = P->v;
    slong i, M = NEFT_INTEGRATE_MAX_VERTICES;
    acb_t f;
    acb_init(f);
    acb_one(out);
    for (i = 0; i < v->nlegs; i++)
        if (v->vertex[i] == vert)
        {
            _neft_kernel_relu1_acb(f, P->k, P->x + i, t, P->side[i], an, prec);
            acb_mul(out, out, f, prec);
        }
    if (v->A[vert * M + vert])
    {
        neft_kernel_diag_acb(f, P->k, t, an, prec);
        acb_pow_ui(f, f, v->A[vert * M + vert], prec);
        acb_mul(out, out, f, prec);
    }
    acb_clear(f);
}

static int
inner_f(acb_ptr out, const acb_t y, void * param, slong order, slong prec)
{
    pair_struct * P = param;
    int an = (order == 1) || P->outer_an;
    acb_t f;
    _NEFT_INTEGRAND_POLL(out);
    acb_init(f);
    vertex_factors(out, P, P->first, y, an, prec);
    /* K(y, z) on y <= z: sqrt(G) = sqrt(ab) (z - y) */
    _neft_kernel_relu1_acb(f, P->k, y, P->z, 1, an, prec);
    acb_pow_ui(f, f, P->v->A[1], prec);
    acb_mul(out, out, f, prec);
    acb_clear(f);
    return 0;
}

/* \int_{-L}^{z} inner_f over the path through the leg points of the inner
   vertex below `below` (exact), the last segment ending at P->z. */
static void
inner_integral(acb_t res, pair_struct * P, const arb_t Lneg, arb_srcptr cuts, slong ncuts,
               slong prec)
{
    slong j;
    acb_t a, b, t, zm;
    acb_init(a); acb_init(b); acb_init(t); acb_init(zm);
    acb_zero(res);
    acb_set_arb(a, Lneg);
    for (j = 0; j <= ncuts; j++)
    {
        slong i;
        if (j < ncuts)
            acb_set_arb(b, cuts + j);
        else
        {
            /* end at the midpoint of z; the rest |z - mid| sup |f| below */
            acb_get_mid(b, P->z);
        }
        /* the inner vertex's legs: side of this segment (it starts at an
           exact real point a and crosses no leg point) */
        for (i = 0; i < P->v->nlegs; i++)
            if (P->v->vertex[i] == P->first)
                P->side[i] = arb_ge(acb_realref(a), P->v->point + i) ? 1 : -1;
        acb_calc_integrate(t, inner_f, P, a, b, P->low ? 8 : P->goal,
                           P->tol_in, P->low ? P->opt_low : P->opt, prec);
        acb_add(res, res, t, prec);
        acb_swap(a, b);
    }
    if (!acb_is_exact(P->z))
    {
        mag_t r, m;
        mag_init(r); mag_init(m);
        /* |z - mid z| <= rad(Re) + rad(Im) */
        mag_add(r, arb_radref(acb_realref(P->z)), arb_radref(acb_imagref(P->z)));
        inner_f(t, P->z, P, 0, prec);          /* f on the whole ball of z */
        acb_get_mag(m, t);
        mag_mul(m, m, r);
        acb_add_error_mag(res, m);
        mag_clear(r); mag_clear(m);
    }
    acb_clear(a); acb_clear(b); acb_clear(t); acb_clear(zm);
}

typedef struct
{
    pair_struct * P;
    arb_ptr cuts;        /* inner cuts for this outer piece */
    slong ncuts;
    arb_t Lneg;
    slong second;
}
outer_struct;

static int
outer_f(acb_ptr out, const acb_t z, void * param, slong order, slong prec)
{
    outer_struct * O = param;
    pair_struct * P = O->P;
    acb_t in;
    int saved_an = P->outer_an, saved_low = P->low;
    _NEFT_INTEGRAND_POLL(out);
    acb_init(in);
    acb_set(P->z, z);
    P->outer_an = (order == 1);
    P->low = (order == 1) || acb_rel_accuracy_bits(z) < prec / 2;
    inner_integral(in, P, O->Lneg, O->cuts, O->ncuts, prec);
    vertex_factors(out, P, O->second, z, order == 1, prec);
    acb_mul(out, out, in, prec);
    P->outer_an = saved_an;
    P->low = saved_low;
    acb_clear(in);
    return 0;
}

/* The integral over T1 = {y <= z}, y = vertex `first`. */
static int
triangle(acb_t res, pair_struct * P, const arf_t L, slong prec)
{
    const neft_vint_struct * v = P->v;
    slong i, j, n = 0;
    arb_ptr bp = _arb_vec_init(v->nlegs + 2);
    outer_struct O[1];
    acb_t a, b, t;
    mag_t tol;
    int status = ARB_CALC_SUCCESS, s;

    acb_init(a); acb_init(b); acb_init(t);
    mag_init(tol);
    arb_init(O->Lneg);
    arb_set_arf(O->Lneg, L);
    arb_neg(O->Lneg, O->Lneg);
    O->P = P;
    O->second = 1 - P->first;
    O->cuts = _arb_vec_init(v->nlegs + 1);

    /* outer breakpoints: every leg point inside (-L, L), and the ends */
    arb_set(bp + n++, O->Lneg);
    for (i = 0; i < v->nlegs; i++)
    {
        int dup = 0;
        if (arf_cmpabs(arb_midref(v->point + i), L) >= 0)
            continue;
        for (j = 0; j < n; j++)
            dup |= arb_equal(bp + j, v->point + i);
        if (!dup)
            arb_set(bp + n++, v->point + i);
    }
    arb_set_arf(bp + n++, L);
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && arf_cmp(arb_midref(bp + j - 1), arb_midref(bp + j)) > 0; j--)
            arb_swap(bp + j - 1, bp + j);

    acb_zero(res);
    mag_set(tol, P->tol_in);
    {
        arb_t w;
        arb_init(w);
        arb_set_arf(w, L);
        arb_mul_2exp_si(w, w, 1);
        arb_get_mag(tol, w);
        mag_mul(tol, tol, P->tol_in);
        arb_clear(w);
    }
    for (j = 0; j + 1 < n; j++)
    {
        /* sides: every leg point is outside the open piece (bp[j], bp[j+1]) */
        for (i = 0; i < v->nlegs; i++)
            P->side[i] = arb_ge(bp + j, v->point + i) ? 1 : -1;
        /* inner cuts: leg points of the inner vertex at or below bp[j], inside */
        O->ncuts = 0;
        for (i = 1; i <= j; i++)
        {
            slong q;
            int mine = 0;
            for (q = 0; q < v->nlegs; q++)
                if (v->vertex[q] == P->first && arb_equal(v->point + q, bp + i))
                    mine = 1;
            if (mine)
                arb_set(O->cuts + O->ncuts++, bp + i);
        }
        acb_set_arb(a, bp + j);
        acb_set_arb(b, bp + j + 1);
        s = acb_calc_integrate(t, outer_f, O, a, b, P->goal, tol, P->opt, prec);
        if (s != ARB_CALC_SUCCESS)
            status = s;
        acb_add(res, res, t, prec);
    }
    _arb_vec_clear(bp, v->nlegs + 2);
    _arb_vec_clear(O->cuts, v->nlegs + 1);
    arb_clear(O->Lneg);
    acb_clear(a); acb_clear(b); acb_clear(t);
    mag_clear(tol);
    return status;
}

int
_neft_integrate_relu_pair(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                          const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    pair_struct P[1];
    acb_t r1, r2;
    arb_t Mx, t;
    slong i;
    int s1, s2;

    if (v->m != 2 || v->d != 1 || arb_is_zero(k->sb2))
    {
        arb_indeterminate(res);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    P->v = v;
    P->k = k;
    P->x = _acb_vec_init(v->nlegs + 1);
    P->side = flint_calloc(v->nlegs + 1, sizeof(int));
    for (i = 0; i < v->nlegs; i++)
        acb_set_arb(P->x + i, v->point + i);
    P->z = _acb_vec_init(1);
    P->tol_in = _mag_vec_init(1);
    P->outer_an = 0;
    P->low = 0;
    P->goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec - 24;
    acb_calc_integrate_opt_init(P->opt);
    acb_calc_integrate_opt_init(P->opt_low);
    if (opt->eval_limit > 0)
        P->opt->eval_limit = opt->eval_limit;
    P->opt_low->eval_limit = 2000;

    /* scale: |F| at a few points, times the inner length; tolerance 2^-goal */
    arb_init(Mx);
    arb_init(t);
    {
        static const double fr[3] = {-0.71, 0.13, 0.57};
        slong p, q;
        acb_t y, f, g;
        acb_init(y); acb_init(f); acb_init(g);
        for (p = 0; p < 3; p++)
            for (q = 0; q < 3; q++)
            {
                arb_set_d(t, fr[p]);
                arb_mul_arf(t, t, L, 32);
                mag_zero(arb_radref(t));
                acb_set_arb(y, t);
                arb_set_d(t, fr[q]);
                arb_mul_arf(t, t, L, 32);
                mag_zero(arb_radref(t));
                acb_set_arb(P->z, t);
                for (i = 0; i < v->nlegs; i++)
                    P->side[i] = arb_ge(acb_realref(v->vertex[i] == 0 ? y : P->z), v->point + i) ? 1 : -1;
                P->first = 0;
                inner_f(f, y, P, 0, 32);
                vertex_factors(g, P, 1, P->z, 0, 32);
                acb_mul(f, f, g, 32);
                acb_abs(t, f, 32);
                if (arb_is_finite(t))
                    arb_max(Mx, Mx, t, 32);
            }
        acb_clear(y); acb_clear(f); acb_clear(g);
    }
    if (arb_is_zero(Mx))
        arb_one(Mx);
    arb_set_arf(t, L);
    arb_mul_2exp_si(t, t, 1);
    arb_mul(t, t, Mx, 32);
    arb_get_mag(P->tol_in, t);
    mag_mul_2exp_si(P->tol_in, P->tol_in, -P->goal - 8);

    acb_init(r1);
    acb_init(r2);
    P->first = 0;
    s1 = triangle(r1, P, L, prec);
    P->first = 1;
    s2 = triangle(r2, P, L, prec);
    if (opt->verbose)
    {
        flint_fprintf(stderr, "T1 "); acb_fprintd(stderr, r1, 15); flint_fprintf(stderr, "  T2 "); acb_fprintd(stderr, r2, 15); flint_fprintf(stderr, "  status %d %d\n", s1, s2);
    }
    acb_add(r1, r1, r2, prec);
    arb_set(res, acb_realref(r1));

    acb_clear(r1);
    acb_clear(r2);
    arb_clear(Mx);
    arb_clear(t);
    _mag_vec_clear(P->tol_in, 1);
    _acb_vec_clear(P->z, 1);
    _acb_vec_clear(P->x, v->nlegs + 1);
    flint_free(P->side);
    return (s1 == ARB_CALC_SUCCESS && s2 == ARB_CALC_SUCCESS && arb_is_finite(res))
        ? NEFT_INTEGRATE_SUCCESS : NEFT_INTEGRATE_NO_CONVERGENCE;
}
