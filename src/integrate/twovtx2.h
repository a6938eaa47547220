/* Private to src/integrate/twovtx2_*.c: the adaptive 4-D box stack shared
   by the two-vertex methods in d_in = 2 (twovtx2_stack.c), and the
   square-polar directions R_k (1, s) of the square's sides. */
#ifndef NEFT_INTEGRATE_TWOVTX2_H
#define NEFT_INTEGRATE_TWOVTX2_H

#include "internal.h"
#include "ivl.h"
#include "cbox_ivl.h"
#include "gl.h"

#define NEFT_TWOVTX2_NAX 4

typedef struct
{
    double lo[NEFT_TWOVTX2_NAX], hi[NEFT_TWOVTX2_NAX];
    int depth, map;
}
_neft_twovtx2_box_t;

/* What a method gives the stack:
   - F: an enclosure of |integrand x Jacobian| on the complex box q (4
     coordinates of map B->map); with an set, non-finite unless it is
     certified holomorphic there (the bounds), else a real enclosure (an = 0,
     q real: the box's range);
   - rule: the tensor Gauss-Legendre rule with n[p] nodes on B (a ball that
     contains the rule's exact value). */
typedef struct
{
    void * ctx;
    void (* F)(acb_t out, void * ctx, const _neft_twovtx2_box_t * B, acb_srcptr q, int an);
    void (* rule)(arb_t res, void * ctx, const _neft_twovtx2_box_t * B, const slong * n);
    /* optional, for the adaptive cover: an upper bound of |F| on the box
       [lo, hi] with axis p's imaginary part [il, ih] (the others real),
       +inf unless certified holomorphic there (the same as F, in doubles) */
    double (* Fmag)(void * ctx, const _neft_twovtx2_box_t * B, const double * lo,
                    const double * hi, slong p, double il, double ih);
    const double * rhos;        /* decreasing, > 1 */
    slong nrho;
    slong nmax;                 /* most nodes per axis */
    slong eval_charge;          /* node values charged per complex box of a bound */
    slong budget;               /* node values */
    double width_scale[NEFT_TWOVTX2_NAX];   /* widths divided by these when no axis has a bound */
    slong ell_nre, ell_nim;     /* > 0: the ellipse's upper half in nre x nim cells
                                   (those that meet it); 0: its box in 4 x 2 */
    double ell_tight;           /* adaptive cover: the tightening's evaluations, a
                                   fraction of the cap (0: none) */
    double ell_grow;            /* adaptive cover: > 0, once a box has a rule of N
                                   nodes, each axis tried above its rho again with
                                   a cap of N / ell_grow evaluations */
    int verbose;
    const char * name;
    /* out */
    slong evals, nrule, nsplit, nenclosed;
    /* where the work goes (printed at verbose >= 1): the bounds'
       evaluations in bounds that came out finite and not finite, the
       adaptive cover's failures by the end of the other axes their last
       failing cell lay at (fail_end[j][0] low half, [1] high half, [2]
       neither), the rules' nodes per axis by rho index and per box depth */
    slong st_ok_ev, st_fail_ev, st_nfail, st_fail_end[NEFT_TWOVTX2_NAX][3];
    slong st_rho[NEFT_TWOVTX2_NAX][16];
    double st_depth_nodes[48];
}
_neft_twovtx2_stack_t;

/* Integrates over the nstart boxes: each box gets a rule when every axis has
   a Gauss-Legendre error bound (Bernstein ellipse E_rho around the axis'
   interval, the other axes real: the maximum of F over 8 os^3 complex boxes,
   os = 1 then 3 when that gave no rule or one of more than 12 nodes; rho the
   first of S->rhos that gives a rule of <= nmax nodes meeting a quarter of
   the box's share dens x volume of the tolerance), else it is bisected at
   the midpoint of the axis that would need the most nodes; at depth 40 or
   past the budget it is enclosed as volume x F(box) (rigorous; *nc set).
   A box whose rule does not fit what is left of S->budget spends the
   budget: it and every box left are enclosed at once (no bisection).
   res: the sum (a ball containing the integral when F and rule are
   rigorous).  Returns NEFT_INTEGRATE_INTERRUPTED when neft_interrupted()
   stopped it (res then indeterminate), else NEFT_INTEGRATE_SUCCESS. */
int _neft_twovtx2_stack_run(arb_t res, _neft_twovtx2_stack_t * S,
                            const _neft_twovtx2_box_t * start, slong nstart, double dens,
                            int * nc, slong prec);

/* An estimate of \int |F| over the start boxes (S->F and S->ctx set): per
   box the mean of |F| at 3^4 points times its volume, summed into *scale
   (at least 1e-300); *totvol the sum of the volumes.  |F| at a point is its
   enclosure's |midpoint|, or |midpoint| + radius where the enclosure
   contains 0 (one centred at 0 counts by its size, not as 0). */
void _neft_twovtx2_scale(double * scale, double * totvol, _neft_twovtx2_stack_t * S,
                         const _neft_twovtx2_box_t * start, slong nstart);

/* The Erf kernel K(u, w) on complex boxes in double intervals
   (twovtx2_erfpolar.c), in the sum-of-squares form of
   _neft_twovtx2_erf_kbox: abc = (a, b, c, B) = (sigma_w^2/2, sigma_b^2,
   2 sigma_w^2/pi, sigma_b^2 or 0 with subtract_bias) as intervals; cross2:
   (u ^ w)^2 when given; self: u = w.  Non-finite unless certified
   holomorphic on the box; on real points an enclosure of the value. */
civl _neft_twovtx2_erf_kcivl(const ivl * abc, const civl * u, const civl * w,
                             const civl * cross2, int self);

/* abc of _neft_twovtx2_erf_kcivl from the kernel */
void _neft_twovtx2_erf_abc(ivl * abc, const neft_kernel_struct * k);

/* D = R_k (1, s): the direction to side k of the square (R_k the rotation
   by k pi/2) */
static inline void
_neft_twovtx2_dir_ivl(ivl * D, int k, ivl s)
{
    ivl one = ivl_pt(1), m1 = ivl_pt(-1);
    switch (k)
    {
        case 0: D[0] = one; D[1] = s; break;
        case 1: D[0] = ivl_neg(s); D[1] = one; break;
        case 2: D[0] = m1; D[1] = ivl_neg(s); break;
        default: D[0] = s; D[1] = m1; break;
    }
}

static inline void
_neft_twovtx2_dir_acb(acb_ptr D, int k, const acb_t s)
{
    switch (k)
    {
        case 0: acb_one(D); acb_set(D + 1, s); break;
        case 1: acb_neg(D, s); acb_one(D + 1); break;
        case 2: acb_set_si(D, -1); acb_neg(D + 1, s); break;
        default: acb_set(D, s); acb_set_si(D + 1, -1); break;
    }
}

static inline void
_neft_twovtx2_dir_civl(civl * D, int k, civl s)
{
    civl one = civl_real(ivl_pt(1)), m1 = civl_real(ivl_pt(-1));
    civl ms = civl_set(ivl_neg(s.re), ivl_neg(s.im));
    switch (k)
    {
        case 0: D[0] = one; D[1] = s; break;
        case 1: D[0] = ms; D[1] = one; break;
        case 2: D[0] = m1; D[1] = ms; break;
        default: D[0] = s; D[1] = m1; break;
    }
}

/* The angles of POLAR4's maps (and the both-far piece's): shear 0: s = a,
   s' = b, g = 1; shear +1: g = 2 - a (a = delta in [0, 2]), s = -1 + g b,
   s' = s + a; shear -1: s and s' swapped.  g is the angular Jacobian. */
static inline void
_neft_twovtx2_angles_ivl(ivl * s, ivl * sp, ivl * g, int shear, ivl a, ivl b)
{
    if (shear == 0)
    {
        *s = a;
        *sp = b;
        *g = ivl_pt(1);
        return;
    }
    *g = ivl_sub(ivl_pt(2), a);
    if (shear > 0)
    {
        *s = ivl_add(ivl_pt(-1), ivl_mul(*g, b));
        *sp = ivl_add(*s, a);
    }
    else
    {
        *sp = ivl_add(ivl_pt(-1), ivl_mul(*g, b));
        *s = ivl_add(*sp, a);
    }
}

static inline void
_neft_twovtx2_angles_civl(civl * s, civl * sp, civl * g, int shear, civl a, civl b)
{
    if (shear == 0)
    {
        *s = a;
        *sp = b;
        *g = civl_real(ivl_pt(1));
        return;
    }
    *g = civl_sub(civl_real(ivl_pt(2)), a);
    if (shear > 0)
    {
        *s = civl_add_ivl(civl_mul(*g, b), ivl_pt(-1));
        *sp = civl_add(*s, a);
    }
    else
    {
        *sp = civl_add_ivl(civl_mul(*g, b), ivl_pt(-1));
        *s = civl_add(*sp, a);
    }
}

/* The tensor rule's nodes and weights on box B in double intervals:
   nodes[p][i] = centre + half-width x node i of the n[p]-point rule on
   [-1, 1], wts[p][i] its weight on [-1, 1] (enclosures; allocated, free
   with _neft_twovtx2_nodes_free); returns the product of the half-widths. */
static inline ivl
_neft_twovtx2_nodes_ivl(ivl ** nodes, ivl ** wts, const _neft_twovtx2_box_t * B, const slong * n)
{
    ivl vol = ivl_pt(1);
    slong p, i;
    for (p = 0; p < NEFT_TWOVTX2_NAX; p++)
    {
        const _neft_gl_struct * G = _neft_gl(n[p], 64);
        ivl c = ivl_mul_2exp(ivl_add(ivl_pt(B->lo[p]), ivl_pt(B->hi[p])), -1);
        ivl h = ivl_mul_2exp(ivl_sub(ivl_pt(B->hi[p]), ivl_pt(B->lo[p])), -1);
        nodes[p] = flint_malloc(n[p] * sizeof(ivl));
        wts[p] = flint_malloc(n[p] * sizeof(ivl));
        for (i = 0; i < n[p]; i++)
        {
            nodes[p][i] = ivl_add(c, ivl_mul(h, G->xi[i]));
            wts[p][i] = G->wi[i];
        }
        vol = ivl_mul(vol, h);
    }
    return vol;
}

static inline void
_neft_twovtx2_nodes_free(ivl ** nodes, ivl ** wts)
{
    slong p;
    for (p = 0; p < NEFT_TWOVTX2_NAX; p++)
    {
        flint_free(nodes[p]);
        flint_free(wts[p]);
    }
}


/* Since stop 36: S->ell_nre > 0 with S->ell_nim < 0 selects the adaptive
   cover of the ellipse's upper half (a method whose F is real on real
   boxes): ell_nre cells, each bisected until F is certified holomorphic
   on it, then the boundary cell of the largest bound bisected, within
   -ell_nim evaluations for the certification and ell_tight times as many
   more for the tightening (since stop 37; before, half as many); |F| is taken on the cells that meet the ellipse's
   boundary only (maximum principle), interior cells only certify.  The
   rho of each axis is searched from the last one that gave a rule on that
   axis.  _neft_twovtx2_bound_axis: that bound (or the fixed covers') of
   |F| with axis p on E_rho and the other axes on their real intervals in
   os pieces: Mb infinite unless F is certified holomorphic there (for
   tests). */
void _neft_twovtx2_bound_axis(mag_t Mb, _neft_twovtx2_stack_t * S,
                              const _neft_twovtx2_box_t * B, slong p, double rho, slong os);

#endif
