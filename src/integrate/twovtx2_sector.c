/* ReLU with sigma_b > 0, two vertices y, z, d_in = 2: Cartesian planes and
   sector decomposition (method SECTOR4), adaptive tensor Gauss-Legendre on
   whole boxes (twovtx2_stack.c).

   K(u, w) = b + sigma_w^2/(2 pi) (sqrt(G) + (pi - theta) k(u,w)), G = a b
   |u - w|^2 + a^2 (c ^ (u - w))^2 (a = sigma_w^2/2, b = sigma_b^2, c = u or
   w; Lagrange's identity), theta = 2 atan(sqrt(G) / (r + k(u,w))): for b > 0
   analytic except where G = 0 on the real space, u = w (legs y = x_i, z =
   x_j; the link y = z).  G is a positive definite quadratic form in the two
   coordinates l_0, l_1 of u - w, l_k linear in the plane (y_k, z_k).

   Planes.  Per coordinate k the interval [-L, L] is cut at the legs'
   coordinates in (-L, L), every interval split in halves, each half with
   its cut end c and the direction s into it.  The plane (y_k, z_k) is the
   union of the products of two halves; each product is one or more pieces
   with coordinates (p, q) in [0, 1]^2 on which every l (y_k - x, z_k - x,
   y_k - z_k) is either bounded away from 0 ("direct") or sign p^e0 q^e1
   (al + be q) with al + be q > 0 on the closed square:
   - a rectangle y = cy + sy Hy p, z = cz + sz Hz q;
   - two halves with the same cut end and opposite directions: y - z = s
     (Hy p + Hz q), one Duffy map (two sectors, q = p q' or p = q p');
   - the same half twice: cut along the diagonal, each triangle from its
     corner (c, c) (y - c = s H p, z - c = s H p q), q cut at 1/2 so that q
     and 1 - q never vanish together;
   - the two halves of one interval: quarters; the quarter at the midpoint
     is the Duffy case there.
   Sectors.  A 4-D map is a product of a piece of each plane; a factor's
   l_0 and l_1 are monomials m_0, m_1 times positive functions.  Duffy maps
   u_j = u_i u_j' or u_i = u_j u_i' (coordinates i, j where m_0 and m_1
   differ in opposite directions) are applied until for every factor one of
   m_0, m_1 divides the other: then G = M^2 Gt, M the smaller monomial and
   Gt > 0 on the closed box, so sqrt(G) = M sqrt(Gt) is analytic there and
   the stack certifies rules on whole boxes (Bernstein bounds on complex
   boxes in double intervals, cbox_ivl.h); no grading towards the kinks.

   Nodes in double interval arithmetic, so the goal is at most 40 bits. */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "twovtx2.h"
#include "cbox_ivl.h"
#include "gl.h"

#define NAX 4
#define MAXSUB 12

/* the rho the bounds try (since stop 36 also 5 and 3.5: with the adaptive
   cover 1.78e7 instead of 2.01e7 node values at 30 bits, legs (1, 1),
   (-1, 1), L = 1) */
static const double rhos[] = {6.0, 5.0, 4.0, 3.5, 3.0, 2.6, 2.3, 2.0, 1.8, 1.55, 1.35};

/* the adaptive cover's evaluations per bound: 4 per bit of the goal, at
   least 16 (docs/integrate.md) */
#define SECTOR_COVER_PER_BIT 4
#define SECTOR_COVER_MIN 16

/* a linear form of a plane piece: sign p^e[0] q^e[1] (al + be q), or
   direct (computed from y, z; bounded away from 0 on the piece) */
typedef struct
{
    int direct, sign, e[2];
    ivl al, be;
}
pform_t;

/* a piece of a plane: y = cy + Y, z = cz + Z; D = y - z; Jacobian jac
   p^je[0] q^je[1] */
typedef struct
{
    ivl cy, cz, jac;
    int cidy, cidz, je[2];
    pform_t Y, Z, D;
}
ppiece_t;

/* a half of an interval: cut end c (id cid), direction s, length H */
typedef struct
{
    ivl c, H;
    int cid, s;
}
half_t;

/* a 4-D sector: pieces pp[0], pp[1]; substitutions u_j <- u_i u_j in
   order (sub[2 t] = i, sub[2 t + 1] = j); exponents (final coordinates)
   of the Jacobian and of each form (factor f, plane k at ex + 8 f + 4 k) */
typedef struct
{
    int pp[2], nsub, sub[2 * MAXSUB], je[NAX];
    slong ex;
}
sector_t;

typedef struct
{
    const neft_vint_struct * v;
    const neft_kernel_struct * k;
    ppiece_t * pp[2];
    slong npp[2];
    sector_t * sec;
    slong nsec, allocsec;
    int * ex;
    slong nex, allocex;
    int * legcid;               /* per leg and coordinate: the cut id, or -1 */
    ivl * xi;                   /* legs */
    ivl * xr;                   /* per leg sqrt(k(x, x)) = sqrt(b + a |x|^2) */
    ivl ia, ib, ibias, isw2pi, iab, ia2;
    slong nf, r, loop[2];
    ivl * cv[2];                /* the cuts of each coordinate */
    slong ncut[2];
    int fail;
}
sctx_t;

/* ---------- planes ---------- */

static pform_t
pf(int sign, int e0, int e1, ivl al, ivl be)
{
    pform_t f;
    f.direct = 0;
    f.sign = sign;
    f.e[0] = e0;
    f.e[1] = e1;
    f.al = al;
    f.be = be;
    return f;
}

static void
push_piece(sctx_t * C, int k, slong * alloc, const ppiece_t * P)
{
    if (C->npp[k] == *alloc)
    {
        *alloc *= 2;
        C->pp[k] = flint_realloc(C->pp[k], *alloc * sizeof(ppiece_t));
    }
    C->pp[k][C->npp[k]++] = *P;
}

static void
rect(sctx_t * C, int k, slong * alloc, half_t a, half_t b)
{
    ppiece_t P;
    memset(&P, 0, sizeof(P));
    P.cy = a.c; P.cz = b.c; P.cidy = a.cid; P.cidz = b.cid;
    P.Y = pf(a.s, 1, 0, a.H, ivl_pt(0));
    P.Z = pf(b.s, 0, 1, b.H, ivl_pt(0));
    P.D.direct = 1;
    P.jac = ivl_mul(a.H, b.H);
    push_piece(C, k, alloc, &P);
}

/* same cut end, opposite directions: y - z = s (Hy p + Hz q) */
static void
duffy2(sctx_t * C, int k, slong * alloc, half_t a, half_t b)
{
    ppiece_t P;
    memset(&P, 0, sizeof(P));
    P.cy = a.c; P.cz = b.c; P.cidy = a.cid; P.cidz = b.cid;
    P.jac = ivl_mul(a.H, b.H);
    P.je[0] = 1;
    /* p >= q: q = p q' */
    P.Y = pf(a.s, 1, 0, a.H, ivl_pt(0));
    P.Z = pf(b.s, 1, 1, b.H, ivl_pt(0));
    P.D = pf(a.s, 1, 0, a.H, b.H);
    push_piece(C, k, alloc, &P);
    /* q >= p: p = q p' (named (q, p') = (p, q) here) */
    P.Y = pf(a.s, 1, 1, a.H, ivl_pt(0));
    P.Z = pf(b.s, 1, 0, b.H, ivl_pt(0));
    P.D = pf(a.s, 1, 0, b.H, a.H);
    push_piece(C, k, alloc, &P);
}

/* the same half for y and z: two triangles from the corner (c, c), each
   with q in [0, 1/2] and [1/2, 1] */
static void
diag(sctx_t * C, int k, slong * alloc, half_t a)
{
    ppiece_t P;
    ivl H = a.H, H2 = ivl_mul_2exp(a.H, -1), mH2 = ivl_neg(H2), z = ivl_pt(0);
    int s = a.s, t;
    memset(&P, 0, sizeof(P));
    P.cy = P.cz = a.c;
    P.cidy = P.cidz = a.cid;
    P.jac = ivl_mul(H, H2);
    P.je[0] = 1;
    for (t = 0; t < 2; t++)
    {
        /* t = 0: |z - c| <= |y - c|; t = 1: y and z swapped */
        pform_t big = pf(s, 1, 0, H, z);
        pform_t sm1 = pf(s, 1, 1, H2, z), sm2 = pf(s, 1, 0, H, mH2);
        int sd = t ? -s : s;
        P.Y = t ? sm1 : big;
        P.Z = t ? big : sm1;
        P.D = pf(sd, 1, 0, H, mH2);
        push_piece(C, k, alloc, &P);
        P.Y = t ? sm2 : big;
        P.Z = t ? big : sm2;
        P.D = pf(sd, 1, 1, H2, z);
        push_piece(C, k, alloc, &P);
    }
}

static half_t
half(ivl c, int cid, int s, ivl H)
{
    half_t h;
    h.c = c;
    h.cid = cid;
    h.s = s;
    h.H = H;
    return h;
}

/* the pieces of plane k from the sorted cuts cv[0..nc-1] (cv[0] = -L,
   cv[nc-1] = L) */
static void
make_plane(sctx_t * C, int k, const ivl * cv, slong nc)
{
    slong alloc = 16, nh = 2 * (nc - 1), a, b;
    half_t * h = flint_malloc(nh * sizeof(half_t));
    C->pp[k] = flint_malloc(alloc * sizeof(ppiece_t));
    C->npp[k] = 0;
    for (a = 0; a + 1 < nc; a++)
    {
        ivl H = ivl_mul_2exp(ivl_sub(cv[a + 1], cv[a]), -1);
        h[2 * a] = half(cv[a], (int) a, 1, H);
        h[2 * a + 1] = half(cv[a + 1], (int) a + 1, -1, H);
    }
    for (a = 0; a < nh; a++)
        for (b = 0; b < nh; b++)
        {
            if (a == b)
                diag(C, k, &alloc, h[a]);
            else if (h[a].cid == h[b].cid)
                duffy2(C, k, &alloc, h[a], h[b]);
            else if (a / 2 == b / 2)
            {
                /* the two halves of one interval: quarters, the one at the
                   midpoint (id 100000 + interval) a Duffy corner */
                half_t ha = h[a], hb = h[b], qa[2], qb[2];
                ivl Q = ivl_mul_2exp(ha.H, -1);
                ivl mid = ivl_add(cv[a / 2], ha.H);
                int mid_id = 100000 + (int) (a / 2), i, j;
                qa[0] = half(ha.c, ha.cid, ha.s, Q);
                qa[1] = half(mid, mid_id, -ha.s, Q);
                qb[0] = half(hb.c, hb.cid, hb.s, Q);
                qb[1] = half(mid, mid_id, -hb.s, Q);
                for (i = 0; i < 2; i++)
                    for (j = 0; j < 2; j++)
                        if (i && j)
                            duffy2(C, k, &alloc, qa[i], qb[j]);
                        else
                            rect(C, k, &alloc, qa[i], qb[j]);
            }
            else
                rect(C, k, &alloc, h[a], h[b]);
        }
    flint_free(h);
}

/* ---------- sectors ---------- */

/* the form of factor f (legs, then the link) in plane k of piece P: 0
   direct, else the pform */
static const pform_t *
factor_form(const sctx_t * C, slong f, int k, const ppiece_t * P)
{
    if (f < C->v->nlegs)
    {
        int cid = C->legcid[2 * f + k];
        if (C->v->vertex[f] == 0)
            return cid >= 0 && cid == P->cidy ? &P->Y : NULL;
        return cid >= 0 && cid == P->cidz ? &P->Z : NULL;
    }
    return P->D.direct ? NULL : &P->D;
}

static int
divides(const int * a, const int * b)
{
    int i;
    for (i = 0; i < NAX; i++)
        if (a[i] > b[i])
            return 0;
    return 1;
}

static void
push_sector(sctx_t * C, const sector_t * S, const int * ex)
{
    slong n = 8 * C->nf;
    if (C->nsec == C->allocsec)
    {
        C->allocsec = 2 * C->allocsec + 16;
        C->sec = flint_realloc(C->sec, C->allocsec * sizeof(sector_t));
    }
    if (C->nex + n > C->allocex)
    {
        C->allocex = 2 * C->allocex + n + 64;
        C->ex = flint_realloc(C->ex, C->allocex * sizeof(int));
    }
    C->sec[C->nsec] = *S;
    C->sec[C->nsec].ex = C->nex;
    memcpy(C->ex + C->nex, ex, n * sizeof(int));
    C->nex += n;
    C->nsec++;
}

/* iterated Duffy maps until every factor's two monomials are ordered by
   divisibility (a factor with a direct form has the zero monomial there) */
static void
decompose(sctx_t * C, const sector_t * S, const int * ex)
{
    slong f, n = 8 * C->nf;
    int i = -1, j = -1, side, c;
    for (f = 0; f < C->nf && i < 0; f++)
    {
        const int * e0 = ex + 8 * f, * e1 = e0 + 4;
        if (divides(e0, e1) || divides(e1, e0))
            continue;
        /* i: where m_0 has more; j: where m_1 has more (the largest
           differences) */
        {
            int bi = 0, bj = 0;
            for (c = 0; c < NAX; c++)
            {
                if (e0[c] - e1[c] > bi)
                {
                    bi = e0[c] - e1[c];
                    i = c;
                }
                if (e1[c] - e0[c] > bj)
                {
                    bj = e1[c] - e0[c];
                    j = c;
                }
            }
        }
    }
    if (i < 0)
    {
        push_sector(C, S, ex);
        return;
    }
    if (S->nsub == MAXSUB)
    {
        C->fail = 1;
        return;
    }
    for (side = 0; side < 2; side++)
    {
        /* side 0: u_j <- u_i u_j; side 1: u_i <- u_j u_i */
        int a = side ? j : i, b = side ? i : j;
        sector_t T = *S;
        int * ey = flint_malloc(n * sizeof(int));
        slong t;
        for (t = 0; t < n; t += 4)
        {
            memcpy(ey + t, ex + t, 4 * sizeof(int));
            ey[t + a] += ey[t + b];
        }
        T.je[a] += T.je[b] + 1;
        T.sub[2 * T.nsub] = a;
        T.sub[2 * T.nsub + 1] = b;
        T.nsub++;
        decompose(C, &T, ey);
        flint_free(ey);
        if (C->fail)
            return;
    }
}

static void
make_sectors(sctx_t * C)
{
    slong a, b, f, n = 8 * C->nf;
    int * ex = flint_malloc((n + 1) * sizeof(int));
    for (a = 0; a < C->npp[0]; a++)
        for (b = 0; b < C->npp[1]; b++)
        {
            const ppiece_t * P[2] = {C->pp[0] + a, C->pp[1] + b};
            sector_t S;
            int k;
            memset(&S, 0, sizeof(S));
            S.pp[0] = (int) a;
            S.pp[1] = (int) b;
            for (k = 0; k < 2; k++)
            {
                S.je[2 * k] = P[k]->je[0];
                S.je[2 * k + 1] = P[k]->je[1];
            }
            memset(ex, 0, (n + 1) * sizeof(int));
            for (f = 0; f < C->nf; f++)
                for (k = 0; k < 2; k++)
                {
                    const pform_t * F = factor_form(C, f, k, P[k]);
                    if (F != NULL)
                    {
                        ex[8 * f + 4 * k + 2 * k] = F->e[0];
                        ex[8 * f + 4 * k + 2 * k + 1] = F->e[1];
                    }
                }
            decompose(C, &S, ex);
            if (C->fail)
                break;
        }
    flint_free(ex);
}

/* ---------- the integrand on complex boxes (double intervals) ---------- */

#define SF_T civl
#define SF_FN F_civl
#define SF_POWI civl_pow_ui
#define SF_MONO cmono
#define SF_POS pos_part
#define SF_DOT cdot
#define SF_NORM cnorm
#define SF_FROM civl_real
#define SF_ADD civl_add
#define SF_SUB civl_sub
#define SF_MUL civl_mul
#define SF_MULI civl_mul_ivl
#define SF_ADDI civl_add_ivl
#define SF_ADDSQR civl_addsqr
#define SF_SQRT _neft_civl_sqrt_box
#define SF_RELU _neft_civl_relu_from
#include "twovtx2_sector_f.h"
#undef SF_T
#undef SF_FN
#undef SF_POWI
#undef SF_MONO
#undef SF_POS
#undef SF_DOT
#undef SF_NORM
#undef SF_FROM
#undef SF_ADD
#undef SF_SUB
#undef SF_MUL
#undef SF_MULI
#undef SF_ADDI
#undef SF_ADDSQR
#undef SF_SQRT
#undef SF_RELU

/* the same on real intervals (the rule's nodes): G and k(u,u) are >= 0 on
   the real box, so their square roots are of [max(lo, 0), hi] */
static ivl
ivl_id(ivl x)
{
    return x;
}

static ivl
ivl_addsqr(ivl r, ivl z)
{
    return ivl_add(r, ivl_sqr(z));
}

static ivl
ivl_sqrt_nonneg(ivl x)
{
    return ivl_sqrt(ivl_set(FLINT_MAX(x.lo, 0), x.hi));
}

#define SF_T ivl
#define SF_FN F_ivl
#define SF_POWI ivl_pow_ui
#define SF_MONO imono
#define SF_POS ipos_part
#define SF_DOT idot
#define SF_NORM inorm
#define SF_FROM ivl_id
#define SF_ADD ivl_add
#define SF_SUB ivl_sub
#define SF_MUL ivl_mul
#define SF_MULI ivl_mul
#define SF_ADDI ivl_add
#define SF_ADDSQR ivl_addsqr
#define SF_SQRT ivl_sqrt_nonneg
#define SF_RELU _neft_ivl_relu_from
#include "twovtx2_sector_f.h"


static void
F_acb(acb_t out, void * ctx, const _neft_twovtx2_box_t * B, acb_srcptr q, int an)
{
    const sctx_t * C = ctx;
    civl v[NAX], f;
    int i;
    (void) an;
    for (i = 0; i < NAX; i++)
        v[i] = civl_set(_neft_ivl_set_arb(acb_realref(q + i)),
                        _neft_ivl_set_arb(acb_imagref(q + i)));
    f = F_civl(C, B->map, v, NULL);
    if (!civl_is_finite(f))
    {
        acb_indeterminate(out);
        return;
    }
    _neft_ivl_get_arb(acb_realref(out), f.re);
    _neft_ivl_get_arb(acb_imagref(out), f.im);
}

/* |F| on the complex box of the adaptive cover in doubles (the stack's
   Fmag): F_civl at v = [lo, hi] + i [il, ih] on axis p, the other axes
   real; +inf unless certified holomorphic there */
static double
F_mag(void * ctx, const _neft_twovtx2_box_t * B, const double * lo, const double * hi,
      slong p, double il, double ih)
{
    const sctx_t * C = ctx;
    civl v[NAX];
    int i;
    for (i = 0; i < NAX; i++)
        v[i] = civl_set(ivl_set(lo[i], hi[i]), i == p ? ivl_set(il, ih) : ivl_pt(0));
    return _neft_civl_mag(F_civl(C, B->map, v, NULL));
}

/* ---------- the rule: parts on the grids of their variables ---------- */

static int
ivl_is_zero(ivl x)
{
    return x.lo == 0 && x.hi == 0;
}

/* the final coordinates (bit i: v_i) a form of plane k depends on, du[t]
   those of u_t */
static int
form_deps(const pform_t * F, const int * du, int k)
{
    return (F->e[0] ? du[2 * k] : 0) | (F->e[1] || !ivl_is_zero(F->be) ? du[2 * k + 1] : 0);
}

/* dep[t]: the final coordinates (bit i: v_i) that part t of SF_FN (0 the
   Jacobian, 1 + f factor f, 1 + nf + k the self-loop at vertex k) depends
   on in sector m, read off the same operations as SF_FN: u from v by the
   substitutions; y_k, z_k from their plane forms (a power 0 or a zero
   coefficient drops the variable); a leg's factor from its vertex's point,
   the monomials of its forms and their positive parts; the link from
   everything.  A part is then the same function for every value of the
   other coordinates, so the rule evaluates it once per node of its own
   coordinates. */
static void
part_deps(int * dep, const sctx_t * C, slong m)
{
    const sector_t * S = C->sec + m;
    const neft_vint_struct * V = C->v;
    int du[NAX], dy = 0, dz = 0, t, k, i;
    slong f;
    const ppiece_t * P[2];
    for (t = 0; t < NAX; t++)
        du[t] = 1 << t;
    for (t = S->nsub - 1; t >= 0; t--)
        du[S->sub[2 * t + 1]] |= du[S->sub[2 * t]];
    for (k = 0; k < 2; k++)
    {
        P[k] = C->pp[k] + S->pp[k];
        dy |= form_deps(&P[k]->Y, du, k);
        dz |= form_deps(&P[k]->Z, du, k);
    }
    dep[0] = 0;
    for (i = 0; i < NAX; i++)
        if (S->je[i])
            dep[0] |= 1 << i;
    for (f = 0; f < C->nf; f++)
    {
        const int * e = C->ex + S->ex + 8 * f;
        int d;
        if (f >= V->nlegs)
        {
            dep[1 + f] = (1 << NAX) - 1;
            continue;
        }
        d = V->vertex[f] ? dz : dy;
        for (i = 0; i < 2 * NAX; i++)
            if (e[i])
                d |= 1 << (i % NAX);
        for (k = 0; k < 2; k++)
        {
            const pform_t * F = factor_form(C, f, k, P[k]);
            if (F != NULL && !ivl_is_zero(F->be))
                d |= du[2 * k + 1];
        }
        dep[1 + f] = d;
    }
    dep[1 + C->nf] = dy;
    dep[2 + C->nf] = dz;
}

/* the tensor Gauss-Legendre rule with n[i] nodes on axis i of box B, in
   real intervals.  The parts of the integrand that depend on a proper
   subset D of the coordinates (part_deps: in a sector whose planes are
   rectangles the legs of y depend on (p_0, p_1) only, those of z on (q_0,
   q_1)) are evaluated once per node of D into a table, and each 4-D node
   multiplies the tables' entries with the parts that depend on all four
   (the link): the same enclosures as evaluating every part at every node,
   in fewer kernel evaluations. */
static void
rule(arb_t res, void * ctx, const _neft_twovtx2_box_t * B, const slong * n)
{
    const sctx_t * C = ctx;
    const _neft_gl_struct * g[NAX];
    ivl * nodes[NAX], * tab[1 << NAX], sum = ivl_pt(0), vol = ivl_pt(1);
    slong p, i0, i1, i2, i3, np = C->nf + 3, stride[1 << NAX][NAX], ntab = 0;
    int * dep = flint_malloc(np * sizeof(int)), D, used[1 << NAX];
    unsigned char * want = flint_calloc((1 << NAX) * np, 1);
    for (p = 0; p < NAX; p++)
    {
        ivl c = ivl_mul_2exp(ivl_add(ivl_pt(B->lo[p]), ivl_pt(B->hi[p])), -1);
        ivl h = ivl_mul_2exp(ivl_sub(ivl_pt(B->hi[p]), ivl_pt(B->lo[p])), -1);
        g[p] = _neft_gl(n[p], 64);
        nodes[p] = flint_malloc(n[p] * sizeof(ivl));
        for (i0 = 0; i0 < n[p]; i0++)
            nodes[p][i0] = ivl_add(c, ivl_mul(h, g[p]->xi[i0]));
        vol = ivl_mul(vol, h);
    }
    part_deps(dep, C, B->map);
    memset(used, 0, sizeof(used));
    for (p = 0; p < np; p++)
    {
        want[dep[p] * np + p] = 1;
        used[dep[p]] = 1;
    }
    /* the tables of the parts on proper subsets D */
    for (D = 0; D < (1 << NAX) - 1; D++)
    {
        slong size = 1, idx[NAX], e;
        if (!used[D])
            continue;
        for (p = 0; p < NAX; p++)
        {
            stride[ntab][p] = (D >> p) & 1 ? size : 0;
            size *= (D >> p) & 1 ? n[p] : 1;
            idx[p] = 0;
        }
        tab[ntab] = flint_malloc(size * sizeof(ivl));
        for (e = 0; e < size; e++)
        {
            ivl v[NAX];
            slong r = e;
            for (p = 0; p < NAX; p++)
                if ((D >> p) & 1)
                {
                    idx[p] = r % n[p];
                    r /= n[p];
                }
            for (p = 0; p < NAX; p++)
                v[p] = nodes[p][idx[p]];
            tab[ntab][e] = F_ivl(C, B->map, v, want + D * np);
        }
        ntab++;
    }
    for (i0 = 0; i0 < n[0]; i0++)
        for (i1 = 0; i1 < n[1]; i1++)
        {
            ivl w01 = ivl_mul(g[0]->wi[i0], g[1]->wi[i1]);
            for (i2 = 0; i2 < n[2]; i2++)
                for (i3 = 0; i3 < n[3]; i3++)
                {
                    ivl v[NAX], f;
                    slong t;
                    if (used[(1 << NAX) - 1])
                    {
                        v[0] = nodes[0][i0];
                        v[1] = nodes[1][i1];
                        v[2] = nodes[2][i2];
                        v[3] = nodes[3][i3];
                        f = F_ivl(C, B->map, v, want + ((1 << NAX) - 1) * np);
                    }
                    else
                        f = ivl_pt(1);
                    for (t = 0; t < ntab; t++)
                        f = ivl_mul(f, tab[t][i0 * stride[t][0] + i1 * stride[t][1]
                                              + i2 * stride[t][2] + i3 * stride[t][3]]);
                    sum = ivl_add(sum, ivl_mul(f, ivl_mul(w01, ivl_mul(g[2]->wi[i2],
                                                                          g[3]->wi[i3]))));
                }
        }
    _neft_ivl_get_arb(res, ivl_mul(sum, vol));
    for (p = 0; p < NAX; p++)
        flint_free(nodes[p]);
    for (p = 0; p < ntab; p++)
        flint_free(tab[p]);
    flint_free(dep);
    flint_free(want);
}

/* ---------- the cuts ---------- */

/* the sorted cuts of coordinate k: -Ld, the legs' coordinates in (-Ld, Ld)
   (equal balls merged), Ld; the legs' cut ids.  0 when two distinct
   coordinates' balls overlap (then unsupported). */
static int
make_cuts(sctx_t * C, ivl * cv, slong * nc, int k, double Ld)
{
    const neft_vint_struct * v = C->v;
    slong l, n = 0, i, j;
    arb_t lo, hi;
    arb_init(lo);
    arb_init(hi);
    arb_set_d(lo, -Ld);
    arb_set_d(hi, Ld);
    cv[n++] = ivl_pt(-Ld);
    for (l = 0; l < v->nlegs; l++)
    {
        const arb_struct * x = v->point + 2 * l + k;
        ivl xi = C->xi[2 * l + k];
        if (arb_equal(x, lo))
            C->legcid[2 * l + k] = -2;          /* set below: id 0 */
        else if (arb_equal(x, hi))
            C->legcid[2 * l + k] = -3;
        else if (xi.hi < -Ld || xi.lo > Ld)
            C->legcid[2 * l + k] = -1;
        else if (arb_gt(x, lo) && arb_lt(x, hi))
        {
            C->legcid[2 * l + k] = -4;
            cv[n++] = xi;
        }
        else
        {
            arb_clear(lo);
            arb_clear(hi);
            return 0;
        }
    }
    cv[n++] = ivl_pt(Ld);
    /* sort by lower end, merge equal, refuse overlaps */
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && cv[j - 1].lo > cv[j].lo; j--)
        {
            ivl t = cv[j];
            cv[j] = cv[j - 1];
            cv[j - 1] = t;
        }
    for (i = j = 0; i < n; i++)
    {
        if (j > 0 && cv[i].lo == cv[j - 1].lo && cv[i].hi == cv[j - 1].hi)
            continue;
        if (j > 0 && !(cv[i].lo > cv[j - 1].hi))
        {
            arb_clear(lo);
            arb_clear(hi);
            return 0;
        }
        cv[j++] = cv[i];
    }
    n = j;
    for (l = 0; l < v->nlegs; l++)
    {
        int * c = C->legcid + 2 * l + k;
        if (*c == -2)
            *c = 0;
        else if (*c == -3)
            *c = (int) n - 1;
        else if (*c == -4)
        {
            ivl xi = C->xi[2 * l + k];
            for (i = 0; i < n; i++)
                if (cv[i].lo == xi.lo && cv[i].hi == xi.hi)
                    *c = (int) i;
        }
    }
    /* a cut shared by two legs stands for both only when their balls are
       equal (the forms y_k - x are read as y_k - cut) */
    for (l = 0; l < v->nlegs; l++)
        for (i = 0; i < l; i++)
            if (C->legcid[2 * l + k] >= 0 && C->legcid[2 * l + k] == C->legcid[2 * i + k]
                && !arb_equal(v->point + 2 * l + k, v->point + 2 * i + k))
            {
                arb_clear(lo);
                arb_clear(hi);
                return 0;
            }
    *nc = n;
    arb_clear(lo);
    arb_clear(hi);
    return 1;
}

/* the shell between [-Ld, Ld]^4 and [-L, L]^4 (L not a double): its volume
   (2L)^4 - (2Ld)^4 times Kmax^factors, Kmax = |b| + sigma_w^2 (b + a R^2)/2,
   R^2 >= |u|^2 for every point and every u in [-L, L]^2: added to res's
   radius */
static void
add_shell(arb_t res, const neft_vint_t v, const neft_kernel_t k, const arf_t L, double Ld,
          slong f, slong prec)
{
    double R2 = 2 * arf_get_d(L, ARF_RND_UP) * arf_get_d(L, ARF_RND_UP) * (1 + 1e-15);
    arb_t t, u;
    mag_t m, w;
    slong i;
    arb_init(t);
    arb_init(u);
    mag_init(m);
    mag_init(w);
    for (i = 0; i < v->nlegs; i++)
    {
        double a0 = fabs(arf_get_d(arb_midref(v->point + 2 * i), ARF_RND_UP))
                  + mag_get_d(arb_radref(v->point + 2 * i));
        double a1 = fabs(arf_get_d(arb_midref(v->point + 2 * i + 1), ARF_RND_UP))
                  + mag_get_d(arb_radref(v->point + 2 * i + 1));
        R2 = FLINT_MAX(R2, (a0 * a0 + a1 * a1) * (1 + 1e-15));
    }
    arb_set_arf(t, L);
    arb_pow_ui(t, t, 4, prec);
    arb_set_d(u, Ld);
    arb_pow_ui(u, u, 4, prec);
    arb_sub(t, t, u, prec);
    arb_abs(t, t);
    arb_mul_2exp_si(t, t, 4);
    arb_get_mag(m, t);
    arb_set_d(u, R2);
    arb_mul_2exp_si(t, k->sw2, -1);
    arb_mul(u, u, t, prec);
    arb_add(u, u, k->sb2, prec);             /* b + a R^2 */
    arb_mul(u, u, k->sw2, prec);
    arb_mul_2exp_si(u, u, -1);
    arb_abs(t, k->sb2);
    arb_add(u, u, t, prec);
    arb_pow_ui(u, u, f, prec);
    arb_get_mag(w, u);
    mag_mul(m, m, w);
    arb_add_error_mag(res, m);
    mag_clear(m);
    mag_clear(w);
    arb_clear(t);
    arb_clear(u);
}

/* the kernel's constants, the cuts, the planes' pieces and the sectors
   of v at cutoff L into C (sctx_clear frees them); UNSUPPORTED when two
   distinct legs' coordinates overlap or the decomposition does not close */
static int
sctx_build(sctx_t * C, const neft_vint_t v, const neft_kernel_t k, double Ld)
{
    slong i, M = NEFT_INTEGRATE_MAX_VERTICES;
    int kk, status = NEFT_INTEGRATE_SUCCESS;
    arb_t t, u;
    memset(C, 0, sizeof(sctx_t));
    C->v = v;
    C->k = k;
    C->r = v->A[1];
    C->loop[0] = v->A[0];
    C->loop[1] = v->A[M + 1];
    C->nf = v->nlegs + (C->r > 0);
    C->xi = flint_malloc((2 * v->nlegs + 1) * sizeof(ivl));
    C->legcid = flint_malloc((2 * v->nlegs + 1) * sizeof(int));
    for (i = 0; i < 2 * v->nlegs; i++)
        C->xi[i] = _neft_ivl_set_arb(v->point + i);
    arb_init(t);
    arb_init(u);
    arb_mul_2exp_si(t, k->sw2, -1);
    C->ia = _neft_ivl_set_arb(t);
    C->ib = _neft_ivl_set_arb(k->sb2);
    C->ibias = k->subtract_bias ? ivl_pt(0) : C->ib;
    arb_const_pi(u, 128);
    arb_div(t, k->sw2, u, 128);
    arb_mul_2exp_si(t, t, -1);
    C->isw2pi = _neft_ivl_set_arb(t);
    C->xr = flint_malloc((v->nlegs + 1) * sizeof(ivl));
    for (i = 0; i < v->nlegs; i++)
    {
        ivl n2 = ivl_add(ivl_sqr(C->xi[2 * i]), ivl_sqr(C->xi[2 * i + 1]));
        C->xr[i] = ivl_sqrt(ivl_add(ivl_mul(n2, C->ia), C->ib));
    }
    C->iab = ivl_mul(C->ia, C->ib);
    C->ia2 = ivl_sqr(C->ia);
    arb_clear(t);
    arb_clear(u);
    for (kk = 0; kk < 2; kk++)
    {
        C->cv[kk] = flint_malloc((v->nlegs + 2) * sizeof(ivl));
        if (!make_cuts(C, C->cv[kk], C->ncut + kk, kk, Ld))
            status = NEFT_INTEGRATE_UNSUPPORTED;
    }
    if (status != NEFT_INTEGRATE_SUCCESS)
        return status;
    for (kk = 0; kk < 2; kk++)
        make_plane(C, kk, C->cv[kk], C->ncut[kk]);
    make_sectors(C);
    return C->fail ? NEFT_INTEGRATE_UNSUPPORTED : NEFT_INTEGRATE_SUCCESS;
}

static void
sctx_clear(sctx_t * C)
{
    int kk;
    for (kk = 0; kk < 2; kk++)
    {
        flint_free(C->cv[kk]);
        flint_free(C->pp[kk]);
    }
    flint_free(C->sec);
    flint_free(C->ex);
    flint_free(C->xi);
    flint_free(C->xr);
    flint_free(C->legcid);
}

static int
sector_applies(const neft_vint_t v, const neft_kernel_t k, const arf_t L)
{
    return v->m == 2 && v->d == 2 && !arf_is_pos_inf(L) && _neft_ivl_usable()
        && arb_is_positive(k->sb2) && arb_is_zero(k->param) && arf_cmp_si(L, 0) > 0
        && arb_is_positive(k->sw2);
}

static slong
sector_goal(const neft_integrate_opt_t opt, slong prec)
{
    slong goal = opt->goal > 0 ? FLINT_MIN(opt->goal, prec) : prec - 34;
    return FLINT_MIN(goal, 40);
}

/* the integral on the context C built by sctx_build at Ld = L rounded down */
static int
sector_run(arb_t res, sctx_t * C, const neft_vint_t v, const neft_kernel_t k, const arf_t L,
           double Ld, const neft_integrate_opt_t opt, slong prec)
{
    _neft_twovtx2_stack_t S[1];
    _neft_twovtx2_box_t * start;
    slong i, goal = sector_goal(opt, prec);
    double scale = 0, dens, totvol = 0;
    int nc_flag = 0, status, kk;

    memset(S, 0, sizeof(S));
    start = flint_malloc(C->nsec * sizeof(_neft_twovtx2_box_t));
    for (i = 0; i < C->nsec; i++)
    {
        int p;
        for (p = 0; p < NAX; p++)
        {
            start[i].lo[p] = 0;
            start[i].hi[p] = 1;
        }
        start[i].depth = 0;
        start[i].map = (int) i;
    }
    S->ctx = C;
    S->F = F_acb;
    S->Fmag = F_mag;
    _neft_twovtx2_scale(&scale, &totvol, S, start, C->nsec);
    dens = ldexp(scale, (int) -goal) / totvol;
    S->rule = rule;
    S->rhos = rhos;
    S->nrho = sizeof(rhos) / sizeof(rhos[0]);
    S->nmax = 24;
    S->eval_charge = 1;
    S->budget = opt->eval_limit > 0 ? opt->eval_limit : 400000000;
    for (i = 0; i < NAX; i++)
        S->width_scale[i] = 1;
    S->verbose = opt->verbose;
    S->name = "twovtx2_sector";
    /* the ellipse's upper half in 4 boxes (F is real on the real box):
       half the bound's work of the 4 x 2 cover, the same bounds (at goal
       12: 10.1 -> 9.0 s of CPU, the same ball) */
    S->ell_nre = 4;
    S->ell_nim = 1;
    /* since stop 36 the adaptive cover (twovtx2_stack.c): cells bisected
       until certified, then the boundary cell of the largest bound, within
       4 goal (at least 16) evaluations per bound and half as many more
       (legs (1, 1), (-1, 1), L = 1, 30 bits: 3.33e7 -> 1.97e7 node values,
       27.8 -> 22.4 s of CPU; at 12 bits a cap of 128 took 2.7e6 instead of
       5.1e6 node values but 8.0 s instead of 5.2: a complex evaluation
       costs about 4 node values, so the cap grows with the goal) */
    S->ell_nim = -FLINT_MAX(SECTOR_COVER_MIN, SECTOR_COVER_PER_BIT * goal);
    /* since stop 37: a second look above each axis' rho once the box's
       rule of N nodes is known, with a cap of N / 256 evaluations, and no
       tightening of the boundary cells (legs (1, 1), (-1, 1), L = 2, 20
       bits, every 10th sector: 2.32e7 -> 1.37e7 node values, 1.73e6 ->
       2.08e6 of them the bounds'; with the bounds in doubles (F_mag) 27.1
       -> 21.7 s of CPU) */
    S->ell_grow = 256;
    S->ell_tight = 0;
    if (opt->verbose >= 4)
        for (kk = 0; kk < 2; kk++)
            for (i = 0; i < C->npp[kk]; i++)
            {
                const ppiece_t * Q = C->pp[kk] + i;
                flint_fprintf(stderr, "plane %d piece %wd: cy %g (%d) cz %g (%d) Y %d %d%d %g %g Z %d %d%d %g %g D %d %d %d%d %g %g\n", kk, i,
                    Q->cy.lo, Q->cidy, Q->cz.lo, Q->cidz, Q->Y.sign, Q->Y.e[0], Q->Y.e[1], Q->Y.al.lo, Q->Y.be.lo,
                    Q->Z.sign, Q->Z.e[0], Q->Z.e[1], Q->Z.al.lo, Q->Z.be.lo, Q->D.direct, Q->D.sign, Q->D.e[0], Q->D.e[1], Q->D.al.lo, Q->D.be.lo);
            }
    if (opt->verbose >= 4)
        for (i = 0; i < C->nsec; i++)
        {
            const sector_t * T = C->sec + i;
            int f2, t2;
            flint_fprintf(stderr, "sector %wd: pieces %d %d, subs", i, T->pp[0], T->pp[1]);
            for (t2 = 0; t2 < T->nsub; t2++)
                flint_fprintf(stderr, " %d<-%d", T->sub[2 * t2 + 1], T->sub[2 * t2]);
            for (f2 = 0; f2 < 8 * C->nf; f2++)
                flint_fprintf(stderr, "%s%d", f2 % 4 ? "" : " ", C->ex[T->ex + f2]);
            flint_fprintf(stderr, "\n");
        }
    if (opt->verbose)
        flint_fprintf(stderr, "twovtx2_sector: %wd + %wd plane pieces, %wd sectors, scale %g\n",
                      C->npp[0], C->npp[1], C->nsec, scale);
    status = _neft_twovtx2_stack_run(res, S, start, C->nsec, dens, &nc_flag,
                                     FLINT_MAX(prec, 64));
    if (arf_cmp_d(L, Ld) != 0 && status == NEFT_INTEGRATE_SUCCESS)
        add_shell(res, v, k, L, Ld, v->nlegs + C->r + C->loop[0] + C->loop[1],
                  FLINT_MAX(prec, 64));
    if (status == NEFT_INTEGRATE_INTERRUPTED || !arb_is_finite(res))
        arb_indeterminate(res);
    if (status == NEFT_INTEGRATE_SUCCESS && nc_flag)
        status = NEFT_INTEGRATE_NO_CONVERGENCE;
    flint_free(start);
    return status;
}

/* builds the context of v at L into C (Ld = L rounded down); UNSUPPORTED
   when SECTOR4 does not apply or the cuts cannot be made.  *built is 1 once
   sctx_build has run, whatever it returned: then C needs sctx_clear */
static int
sector_build(sctx_t * C, double * Ld, const neft_vint_t v, const neft_kernel_t k,
             const arf_t L, int * built)
{
    *built = 0;
    if (!sector_applies(v, k, L))
        return NEFT_INTEGRATE_UNSUPPORTED;
    *Ld = arf_get_d(L, ARF_RND_DOWN);
    *built = 1;
    return sctx_build(C, v, k, *Ld);
}

int
_neft_integrate_twovtx2_sector(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                               const arf_t L, const neft_integrate_opt_t opt, slong prec)
{
    sctx_t C[1];
    double Ld = 0;
    int built, status = sector_build(C, &Ld, v, k, L, &built);
    if (status == NEFT_INTEGRATE_SUCCESS)
        status = sector_run(res, C, v, k, L, Ld, opt, prec);
    else
        arb_indeterminate(res);
    if (built)
        sctx_clear(C);
    return status;
}

/* The default budget of SECTOR4: 60 s of CPU at the measured cost per node
   value, SECTOR_US0 + SECTOR_US1 f microseconds with f kernel factors
   (legs, the link, the self-loops; stop 35, since the rule evaluates each
   part on the grid of its own coordinates: 0.83-0.94 us at f = 3, 1.06-1.12
   us at f = 6, rounded up; before, 0.48 f).  Stop 36's adaptive cover
   spends more of the time on the bounds' complex boxes (charged one node
   value each, costing about four): 1.14 us at f = 3, 1.41 us at f = 6 (30
   bits, load 10-17; 1.23 us at f = 3 again at load 17; with the list of
   rho that has 5 and 3.5, 1.20 us (30 bits) and 1.32 us (27 bits) at f =
   3, 1.59 us at f = 6), so 1.1 + 0.1 f.  Stop 37 (the bounds in doubles,
   a second look at the rho with a cap of N / 256, no tightening): 0.99-1.06
   us at f = 3 (17.4, 18.0 s for 1.76e7, 1.70e7 node values, L = 1, 30
   bits), 1.27 us at f = 6 (35.4 s, 2.78e7), and at L = 2, where the bounds
   are a larger share, 1.36 us at f = 3 (12 bits, 86.0 s, 6.34e7) and 1.32
   (20 bits, 174.7 s, 1.32e8): (0.7 + 0.1 f) (1 + 0.25 (min(L, 2) - 1))
   for L >= 1.
   opt->eval_limit, in node values,
   replaces it. */
#define SECTOR_SECONDS 60.0
#define SECTOR_US0 0.7
#define SECTOR_US1 0.1
#define SECTOR_US_L 0.25

/* the kernel factors evaluated per node */
static slong
sector_factors(const neft_vint_t v)
{
    slong M = NEFT_INTEGRATE_MAX_VERTICES;
    return v->nlegs + (v->A[1] > 0) + (v->A[0] > 0) + (v->A[M + 1] > 0);
}

/* the estimated CPU seconds of est node values at the cutoff Ld */
static double
sector_seconds(double est, const neft_vint_t v, double Ld)
{
    double l = FLINT_MIN(FLINT_MAX(Ld, 1.0), 2.0) - 1;
    return est * (SECTOR_US0 + SECTOR_US1 * (double) sector_factors(v)) * (1 + SECTOR_US_L * l)
        * 1e-6;
}

/* Fitted to the node values measured (stop 33, legs on the corners, one
   link, 674 sectors at L = 1: 1.9e6, 6.8e6, 1.1e7, 2.9e7, 3.2e7 at goals 4,
   12, 16, 26, 27 bits; 6900 sectors at L = 2: 9.5e7 at 12 bits, 1.38 times
   L = 1 per sector; stop 34, 6900 sectors at L = 10: 2.13e8 at 4 bits, 9.8
   times): per sector 1e4 ((goal + 20)/32)^4 max(1, L) node values.  Stop
   35's list of rho (2.6, 2.0, 1.55 added) took 23-25% fewer at L = 1 (5.1e6,
   2.50e7, 3.33e7 at 12, 27, 30 bits; the four-leg shape, 6 factors, 754
   sectors: 3.65e7 and 4.82e7 at 27 and 30 bits, 1.31 and 1.29 times the
   first shape's per-sector rate): now 8.5e3 ((goal + 20)/32)^4 max(1, L) (1
   + 0.1 max(0, f - 3)), f the kernel factors (2-12% above at L = 1; L = 2
   and 10 not measured again).  Stop 36's adaptive cover of the ellipses
   (its evaluations counted): 1.97e7 node values at 30 bits (674 sectors),
   the four-leg shape 3.11e7 (754 sectors), 2.5e6 at 12 bits: per sector
   5.5e3 ((goal + 20)/32)^4 max(1, L) (1 + 0.1 max(0, f - 3)), 12%, 3% and
   48% above them; with 5 and 3.5 in the list of rho 1.78e7, 2.85e7 and
   2.75e6, and 1.36e7 at 27 bits: 24%, 13%, 35%, 26% above.  Stop 37 (a
   second look at the rho, no tightening): 1.70e7-1.76e7 and 2.78e7 at 30
   bits (26-30%, 15% above), at L = 2 and 12 bits 6.34e7 (7.6e7 estimated,
   20% above), at 20 bits 1.32e8 (1.85e8 estimated, 40% above; 174.7 s,
   1.32 us per node value); the constant kept. */
static double
sector_evals(const sctx_t * C, slong goal, double Ld)
{
    double g = ((double) goal + 20) / 32;
    double w = 1 + 0.1 * FLINT_MAX(0, (double) sector_factors(C->v) - 3);
    return (double) C->nsec * 5.5e3 * g * g * g * g * FLINT_MAX(1.0, Ld) * w;
}

/* the estimate of sector_evals from the points of v (docs/integrate.md) */
int
_neft_integrate_twovtx2_sector_estimate(double * evals, slong * nsec, double * seconds,
                                        const neft_vint_t v,
                                        const neft_kernel_t k, const arf_t L,
                                        const neft_integrate_opt_t opt, slong prec)
{
    sctx_t C[1];
    double Ld = 0;
    int built, status = sector_build(C, &Ld, v, k, L, &built);
    *evals = 0;
    *nsec = 0;
    *seconds = 0;
    if (status == NEFT_INTEGRATE_SUCCESS)
    {
        *nsec = C->nsec;
        *evals = sector_evals(C, sector_goal(opt, prec), Ld);
        *seconds = sector_seconds(*evals, v, Ld);
    }
    if (built)
        sctx_clear(C);
    return status;
}

int
_neft_integrate_twovtx2_sector_vint(arb_t res, const neft_vint_t v, const neft_kernel_t k,
                                    const arf_t L, const neft_integrate_opt_t opt, slong prec,
                                    char * err, size_t errsize)
{
    sctx_t C[1];
    double est = 0, Ld = 0;
    slong nsec = 0;
    int built, s = sector_build(C, &Ld, v, k, L, &built);
    if (s == NEFT_INTEGRATE_SUCCESS)
    {
        nsec = C->nsec;
        est = sector_evals(C, sector_goal(opt, prec), Ld);
    }
    if (s == NEFT_INTEGRATE_SUCCESS && (opt->eval_limit > 0 ? est > (double) opt->eval_limit
                                        : sector_seconds(est, v, Ld) > SECTOR_SECONDS))
    {
        if (opt->eval_limit > 0)
            snprintf(err, errsize, "cannot integrate these two vertices in d_in = 2 with the "
                     "relu kernel and sigma_b > 0: its method SECTOR4 would need about %.2g "
                     "node values (%ld sectors at %ld bits; an estimate from the points), "
                     "over the limit of %.2g", est, (long) nsec, (long) sector_goal(opt, prec),
                     (double) opt->eval_limit);
        else
            snprintf(err, errsize, "cannot integrate these two vertices in d_in = 2 with the "
                     "relu kernel and sigma_b > 0 within 60 s: its method SECTOR4 would need "
                     "about %.2g node values (%ld sectors at %ld bits), about %.0f s of CPU "
                     "(an estimate from the points; docs/integrate.md)", est, (long) nsec,
                     (long) sector_goal(opt, prec), sector_seconds(est, v, Ld));
        arb_indeterminate(res);
        sctx_clear(C);
        return NEFT_INTEGRATE_UNSUPPORTED;
    }
    if (s == NEFT_INTEGRATE_SUCCESS)
        s = sector_run(res, C, v, k, L, Ld, opt, prec);
    if (built)
        sctx_clear(C);
    if (s == NEFT_INTEGRATE_UNSUPPORTED)
    {
        snprintf(err, errsize, "cannot integrate these two vertices in d_in = 2 with the relu "
                 "kernel and sigma_b > 0: its method SECTOR4 needs legs' coordinates that "
                 "are equal or disjoint balls, a finite cutoff and sigma_w^2 > 0");
        arb_indeterminate(res);
    }
    return s;
}
