/* The adaptive box stack of the two-vertex methods in d_in = 2
   (twovtx2_erf.c, twovtx2_erfpolar.c, twovtx2_sector.c): tensor
   Gauss-Legendre on 4-D boxes with one Bernstein bound per axis.

   On a box of half-widths h_p with n_p nodes along axis p the tensor rule
   errs by at most
       sum_p 2^3 (64/15) M_p rho_p^{-2 (n_p - 1)} / (rho_p^2 - 1) prod_q h_q,
   M_p >= |F| with coordinate p on the Bernstein ellipse E_rho_p of its
   interval and the other three on their real intervals: the error
   telescopes into one term per axis, the rules and integrals of the other
   variables (positive weights of sum 2) acting on the 1-D error of variable
   p (Trefethen, ATAP thm 19.3).  M_p is the maximum of the method's F over
   complex boxes covering that set (the ellipse's box in 4 x 2, every other
   interval whole or in 3), F certified holomorphic on each; with
   S->ell_nre > 0 (a method whose F is real on real boxes) only the upper
   half of the ellipse's box, in ell_nre x ell_nim cells, those that meet the
   ellipse: F(conj z) = conj F(z), so |F| is the same on the lower half.
   With ell_nim < 0 (since stop 36, SECTOR4) that half is covered
   adaptively (bound_axis_adaptive): cells bisected until F is certified
   holomorphic on each, |F| taken on the cells meeting the ellipse's
   boundary only (maximum principle), then the boundary cell of the largest
   bound bisected, within -ell_nim evaluations and ell_tight times as many
   more (SECTOR4: none since stop 37).  With ell_grow > 0 (since stop 37),
   once a box's rule of N nodes is known, each axis is tried above its rho
   again with a cap of N / ell_grow evaluations (what a larger rho could
   save is a share of N).  A method may give Fmag, |F| on a cell in
   doubles, instead of going through F and Arb balls (the same bound). */

#include <math.h>
#include "twovtx2.h"
#include "cbox.h"

#define NAX NEFT_TWOVTX2_NAX

/* F on the complex box q for a bound (an = 1), charged to the budget: the
   one accounting rule of the bounds, S->eval_charge node values for each
   evaluation made (bound_axis, clean_half), whatever the cover and however
   early a loop stops */
static void
bound_F(acb_t f, _neft_twovtx2_stack_t * S, const _neft_twovtx2_box_t * B, acb_srcptr q)
{
    S->F(f, S->ctx, B, q, 1);
    S->evals += S->eval_charge;
}

static void bound_axis_adaptive(mag_t Mb, _neft_twovtx2_stack_t * S,
                                const _neft_twovtx2_box_t * B, slong p, double rho, slong os);

/* an upper bound of |F| with axis p on the box of E_rho around its
   interval (in 4 x 2 pieces, or the cells of the upper half that meet the
   ellipse) and the other axes on their real intervals, each cut in os
   pieces (the maximum over at most 8 os^3 complex boxes, each one evaluated
   charged by bound_F) */
static void
bound_axis(mag_t Mb, _neft_twovtx2_stack_t * S, const _neft_twovtx2_box_t * B, slong p,
           double rho, slong os)
{
    acb_ptr q = _acb_vec_init(NAX);
    acb_t f;
    mag_t m;
    slong j, piece;
    double c = 0.5 * (B->lo[p] + B->hi[p]), h = 0.5 * (B->hi[p] - B->lo[p]);
    double ar = h * 0.5 * (rho + 1 / rho) * (1 + 1e-12);
    double ai = h * 0.5 * (rho - 1 / rho) * (1 + 1e-12);
    slong nre = S->ell_nre > 0 ? S->ell_nre : 4, nim = S->ell_nim > 0 ? S->ell_nim : 1;
    slong nsign = S->ell_nre > 0 ? 1 : 2, ncell = nre * nim * nsign;
    if (S->ell_nre > 0 && S->ell_nim < 0)
    {
        _acb_vec_clear(q, NAX);
        bound_axis_adaptive(Mb, S, B, p, rho, os);
        return;
    }
    acb_init(f);
    mag_init(m);
    mag_zero(Mb);
    for (piece = 0; piece < ncell * os * os * os; piece++)
    {
        slong r = piece % nre, t = (piece / nre) % nim, s = (piece / (nre * nim)) % nsign;
        slong rest = piece / ncell;
        double w = 2 * ar / nre, lo = c - ar + w * (double) r;
        double hi = r == nre - 1 ? c + ar : c - ar + w * (double) (r + 1);
        double wi = ai / nim, il = wi * (double) t, ih = t == nim - 1 ? ai : wi * (double) (t + 1);
        if (S->ell_nre > 0)
        {
            /* the cell misses the ellipse when its point nearest the centre
               lies outside (the ellipse's inside is a monotone set) */
            double xn = lo > c ? lo - c : (hi < c ? c - hi : 0), yn = il;
            if ((xn / ar) * (xn / ar) + (yn / ai) * (yn / ai) > 1)
                continue;
            /* upper half only: F is real on the real box, so F(conj z) =
               conj F(z) on the (connected) cover, and |F| is symmetric */
            _neft_twovtx2_set_interval(acb_realref(q + p), lo, hi);
            _neft_twovtx2_set_interval(acb_imagref(q + p), il, ih);
        }
        else
        {
            _neft_twovtx2_set_interval(acb_realref(q + p), lo, hi);
            _neft_twovtx2_set_interval(acb_imagref(q + p), s ? 0 : -ai, s ? ai : 0);
        }
        for (j = 0; j < NAX; j++)
            if (j != p)
            {
                slong e = rest % os;
                double a0 = B->lo[j], a1 = B->hi[j], wd = (a1 - a0) / os;
                double l2 = e == 0 ? a0 : a0 + wd * (double) e;
                double h2 = e == os - 1 ? a1 : a0 + wd * (double) (e + 1);
                rest /= os;
                /* pieces overlap by rounding at most: [a0, a1] is covered */
                if (e > 0)
                    l2 -= 1e-15 * wd;
                if (e < os - 1)
                    h2 += 1e-15 * wd;
                _neft_twovtx2_set_interval(acb_realref(q + j), l2, h2);
                arb_zero(acb_imagref(q + j));
            }
        bound_F(f, S, B, q);
        if (!acb_is_finite(f))
        {
            mag_inf(Mb);
            break;
        }
        acb_get_mag(m, f);
        mag_max(Mb, Mb, m);
    }
    acb_clear(f);
    mag_clear(m);
    _acb_vec_clear(q, NAX);
}

/* A cell of the adaptive cover: axis p's real part [lo[p], hi[p]] and
   imaginary part [il, ih], the other axes' real intervals */
typedef struct
{
    double lo[NAX], hi[NAX], il, ih;
    int depth;
}
cell_t;

/* bisects C into C and D: two splits in three the widest side of the
   ellipse's cell (relative to the half-axes), the third the widest other
   axis (relative to its interval), by the cell's depth */
static void
cell_split(cell_t * C, cell_t * D, const _neft_twovtx2_box_t * B, slong p, double ar, double ai)
{
    double wbest = -1, wd;
    slong sp = p, j;
    int im = (C->ih - C->il) / ai > (C->hi[p] - C->lo[p]) / (2 * ar);
    if (C->depth % 3 == 2)
    {
        for (j = 0; j < NAX; j++)
            if (j != p && (wd = (C->hi[j] - C->lo[j]) / (B->hi[j] - B->lo[j])) > wbest)
            {
                wbest = wd;
                sp = j;
                im = 0;
            }
    }
    C->depth++;
    *D = *C;
    if (im)
        C->ih = D->il = 0.5 * (C->il + C->ih);
    else
        C->hi[sp] = D->lo[sp] = 0.5 * (C->lo[sp] + C->hi[sp]);
}

/* where the cell [x0, x1] + i[y0, y1] lies against the ellipse (centre c,
   half-axes ar, ai): 0 misses it, 1 strictly inside, 2 meets its boundary */
static int
cell_where(double x0, double x1, double y0, double y1, double c, double ar, double ai)
{
    double xn = x0 > c ? x0 - c : (x1 < c ? c - x1 : 0);
    double yn = y0 > 0 ? y0 : (y1 < 0 ? -y1 : 0);
    double xf = FLINT_MAX(fabs(x0 - c), fabs(x1 - c)), yf = FLINT_MAX(fabs(y0), fabs(y1));
    if ((xn / ar) * (xn / ar) + (yn / ai) * (yn / ai) > 1)
        return 0;
    if ((xf / ar) * (xf / ar) + (yf / ai) * (yf / ai) < 1 - 1e-9)
        return 1;
    return 2;
}

/* an upper bound of |F| on cell C (axis p complex, the others real),
   +inf unless F is certified holomorphic there; by S->Fmag in doubles when
   the method gives it, else through S->F (one evaluation charged either
   way) */
static double
cell_bound(_neft_twovtx2_stack_t * S, const _neft_twovtx2_box_t * B, acb_ptr q,
           acb_t f, mag_t m, const cell_t * C, slong p)
{
    slong j;
    if (S->Fmag != NULL)
    {
        S->evals += S->eval_charge;
        return S->Fmag(S->ctx, B, C->lo, C->hi, p, C->il, C->ih);
    }
    for (j = 0; j < NAX; j++)
    {
        _neft_twovtx2_set_interval(acb_realref(q + j), C->lo[j], C->hi[j]);
        arb_zero(acb_imagref(q + j));
    }
    _neft_twovtx2_set_interval(acb_imagref(q + p), C->il, C->ih);
    bound_F(f, S, B, q);
    if (!acb_is_finite(f))
        return HUGE_VAL;
    acb_get_mag(m, f);
    return mag_get_d(m);
}

/* appends C with bound v to the boundary list (bl, bm; *n of *alloc) */
static void
boundary_push(cell_t ** bl, double ** bm, slong * n, slong * alloc, const cell_t * C, double v)
{
    if (*n == *alloc)
    {
        *alloc *= 2;
        *bl = flint_realloc(*bl, *alloc * sizeof(cell_t));
        *bm = flint_realloc(*bm, *alloc * sizeof(double));
    }
    (*bl)[*n] = *C;
    (*bm)[(*n)++] = v;
}

/* The adaptive cover (S->ell_nre > 0, S->ell_nim < 0): the upper half of
   the ellipse's box in ell_nre cells, the other axes in os pieces; a cell
   on which F is not certified holomorphic is bisected (along the side
   widest relative to the ellipse's axes or its axis' interval) while the
   evaluations of this bound stay within -ell_nim, else the bound is
   infinite.  |F| is taken only on the cells that meet the ellipse's
   boundary: F is certified holomorphic on every cell, so on the closed
   ellipse (times any real point of the other axes) by the maximum
   principle |F| is at most its maximum on the boundary; cells strictly
   inside only certify holomorphy. */
static void
bound_axis_adaptive(mag_t Mb, _neft_twovtx2_stack_t * S, const _neft_twovtx2_box_t * B,
                    slong p, double rho, slong os)
{
    acb_ptr q = _acb_vec_init(NAX);
    acb_t f;
    mag_t m;
    slong j, cap = -S->ell_nim, nev = 0, nst = 0, alloc = 64, piece, nre = S->ell_nre;
    double fb;
    double c = 0.5 * (B->lo[p] + B->hi[p]), h = 0.5 * (B->hi[p] - B->lo[p]);
    double ar = h * 0.5 * (rho + 1 / rho) * (1 + 1e-12);
    double ai = h * 0.5 * (rho - 1 / rho) * (1 + 1e-12);
    cell_t * st = flint_malloc(alloc * sizeof(cell_t));
    slong nbl = 0, allocbl = 64, inf = 0;
    cell_t * bl = flint_malloc(allocbl * sizeof(cell_t));
    double * bm = flint_malloc(allocbl * sizeof(double));
    acb_init(f);
    mag_init(m);
    mag_zero(Mb);
    for (piece = 0; piece < nre * os * os * os; piece++)
    {
        slong r = piece % nre, rest = piece / nre;
        double w = 2 * ar / nre;
        cell_t C;
        C.lo[p] = c - ar + w * (double) r;
        C.hi[p] = r == nre - 1 ? c + ar : c - ar + w * (double) (r + 1);
        C.il = 0;
        C.ih = ai;
        C.depth = 0;
        for (j = 0; j < NAX; j++)
            if (j != p)
            {
                slong e = rest % os;
                double a0 = B->lo[j], a1 = B->hi[j], wd = (a1 - a0) / os;
                rest /= os;
                C.lo[j] = e == 0 ? a0 : a0 + wd * (double) e;
                C.hi[j] = e == os - 1 ? a1 : a0 + wd * (double) (e + 1);
                /* pieces overlap by rounding at most: [a0, a1] is covered */
                if (e > 0)
                    C.lo[j] -= 1e-15 * wd;
                if (e < os - 1)
                    C.hi[j] += 1e-15 * wd;
            }
        if (nst == alloc)
        {
            alloc *= 2;
            st = flint_realloc(st, alloc * sizeof(cell_t));
        }
        st[nst++] = C;
    }
    while (nst > 0)
    {
        cell_t C = st[--nst];
        int where = cell_where(C.lo[p], C.hi[p], C.il, C.ih, c, ar, ai);
        if (where == 0)
            continue;
        fb = cell_bound(S, B, q, f, m, &C, p);
        nev++;
        if (fb < HUGE_VAL)
        {
            if (where == 2)
                boundary_push(&bl, &bm, &nbl, &allocbl, &C, fb);
            continue;
        }
        if (nev + 2 > cap)
        {
            inf = 1;
            for (j = 0; j < NAX; j++)
                if (j != p)
                {
                    double mid = 0.5 * (B->lo[j] + B->hi[j]);
                    S->st_fail_end[j][C.hi[j] <= mid ? 0 : (C.lo[j] >= mid ? 1 : 2)]++;
                }
            break;
        }
        {
            cell_t D;
            if (nst + 2 > alloc)
            {
                alloc *= 2;
                st = flint_realloc(st, alloc * sizeof(cell_t));
            }
            cell_split(&C, &D, B, p, ar, ai);
            st[nst++] = C;
            st[nst++] = D;
        }
    }
    /* tightening: the boundary cell of the largest bound bisected while
       the evaluations allow (a child the arithmetic does not certify keeps
       its parent's bound, valid on it; interior children drop out) */
    while (!inf && nbl > 0 && nev + 2 <= cap + (slong) (S->ell_tight * (double) cap))
    {
        slong i, imax = 0, ch;
        cell_t C, D[2];
        double pm;
        for (i = 1; i < nbl; i++)
            if (bm[i] > bm[imax])
                imax = i;
        C = bl[imax];
        pm = bm[imax];
        bl[imax] = bl[--nbl];
        bm[imax] = bm[nbl];
        D[0] = C;
        cell_split(D, D + 1, B, p, ar, ai);
        for (ch = 0; ch < 2; ch++)
        {
            int where = cell_where(D[ch].lo[p], D[ch].hi[p], D[ch].il, D[ch].ih, c, ar, ai);
            double cm = pm;
            if (where == 0)
                continue;
            fb = cell_bound(S, B, q, f, m, D + ch, p);
            nev++;
            if (fb < HUGE_VAL)
            {
                if (where == 1)
                    continue;
                cm = FLINT_MIN(pm, fb);
            }
            boundary_push(&bl, &bm, &nbl, &allocbl, D + ch, cm);
        }
    }
    if (inf)
    {
        mag_inf(Mb);
        S->st_fail_ev += nev;
        S->st_nfail++;
    }
    else
    {
        slong i;
        S->st_ok_ev += nev;
        for (i = 0; i < nbl; i++)
        {
            mag_set_d(m, bm[i]);
            mag_max(Mb, Mb, m);
        }
    }
    flint_free(st);
    flint_free(bl);
    flint_free(bm);
    acb_clear(f);
    mag_clear(m);
    _acb_vec_clear(q, NAX);
}

void
_neft_twovtx2_bound_axis(mag_t Mb, _neft_twovtx2_stack_t * S, const _neft_twovtx2_box_t * B,
                         slong p, double rho, slong os)
{
    bound_axis(Mb, S, B, p, rho, os);
}

/* vol x F(box) */
static void
enclose(arb_t res, _neft_twovtx2_stack_t * S, const _neft_twovtx2_box_t * B, slong prec)
{
    acb_ptr q = _acb_vec_init(NAX);
    acb_t f;
    arb_t w, z;
    slong p;
    acb_init(f);
    arb_init(w);
    arb_init(z);
    for (p = 0; p < NAX; p++)
        _neft_twovtx2_set_interval(acb_realref(q + p), B->lo[p], B->hi[p]);
    S->F(f, S->ctx, B, q, 0);
    arb_set(res, acb_realref(f));
    for (p = 0; p < NAX; p++)
    {
        arb_set_d(w, B->hi[p]);
        arb_set_d(z, B->lo[p]);
        arb_sub(w, w, z, 128);
        arb_mul(res, res, w, prec);
    }
    if (!arb_is_finite(res) && B->depth < 48)
    {
        /* too wide for the box arithmetic (a quotient's box reached 0):
           the sum over the halves of the widest axis, at most 8 levels */
        _neft_twovtx2_box_t H = *B;
        slong sp = 0;
        double wmax = -1;
        for (p = 0; p < NAX; p++)
            if ((B->hi[p] - B->lo[p]) / S->width_scale[p] > wmax)
            {
                wmax = (B->hi[p] - B->lo[p]) / S->width_scale[p];
                sp = p;
            }
        H.depth = B->depth < 40 ? 41 : B->depth + 1;
        H.hi[sp] = 0.5 * (B->lo[sp] + B->hi[sp]);
        enclose(res, S, &H, prec);
        H.lo[sp] = H.hi[sp];
        H.hi[sp] = B->hi[sp];
        enclose(w, S, &H, prec);
        arb_add(res, res, w, prec);
    }
    acb_clear(f);
    arb_clear(w);
    arb_clear(z);
    _acb_vec_clear(q, NAX);
}

/* 1 if F is certified holomorphic on a neighbourhood of one of the halves
   of B cut across axis p */
static int
clean_half(_neft_twovtx2_stack_t * S, const _neft_twovtx2_box_t * B, slong p)
{
    acb_ptr q = _acb_vec_init(NAX);
    acb_t f;
    slong j, h;
    int ok = 0;
    acb_init(f);
    for (h = 0; h < 2 && !ok; h++)
    {
        double mid = 0.5 * (B->lo[p] + B->hi[p]);
        for (j = 0; j < NAX; j++)
        {
            double lo = B->lo[j], hi = B->hi[j];
            if (j == p)
            {
                lo = h ? mid : lo;
                hi = h ? hi : mid;
            }
            _neft_twovtx2_set_interval(acb_realref(q + j), lo, hi);
            arb_zero(acb_imagref(q + j));
        }
        bound_F(f, S, B, q);
        ok = acb_is_finite(f);
    }
    acb_clear(f);
    _acb_vec_clear(q, NAX);
    return ok;
}


/* the bound of axis p at S->rhos[r] (cover os): the least rule meeting tol
   (its nodes, 0 if none within nmax, -1 if the bound is not finite; *e its
   error); *score lowered to the nodes it would need */
static slong
try_rho(double * e, double * score, _neft_twovtx2_stack_t * S, const _neft_twovtx2_box_t * B,
        slong p, slong r, slong os, double vol, double tol)
{
    mag_t Mb;
    double Md, base, need, rho = S->rhos[r];
    mag_init(Mb);
    bound_axis(Mb, S, B, p, rho, os);
    Md = mag_is_finite(Mb) ? mag_get_d(Mb) : HUGE_VAL;
    mag_clear(Mb);
    if (S->verbose >= 3)
        flint_fprintf(stderr, "  map %d depth %d axis %wd rho %g os %wd M %g tol %g vol %g\n",
                      B->map, B->depth, p, rho, os, Md, tol, vol);
    if (!isfinite(Md))
        return -1;
    base = 8 * (64.0 / 15) * Md * vol / (rho * rho - 1);
    need = base > tol ? log(base / tol) / (2 * log(rho)) : 0;
    if (need < *score)
        *score = need;
    return _neft_twovtx2_least_n(e, Md, rho, vol, tol, S->nmax);
}
/* per axis the rule (n[p], 0 if none) and its error; *split the axis that
   would need the most nodes; returns the sum of the errors (inf if some
   axis has no rule) */
static double
choose(slong * n, slong * rsel, slong * split, _neft_twovtx2_stack_t * S,
       const _neft_twovtx2_box_t * B, double vol, double tol, slong * hint)
{
    double total = 0, worst = -1, eax[NAX];
    slong p, ninf = 0;
    *split = 0;
    for (p = 0; p < NAX; p++)
    {
        slong r, os, best = 0, bestr = 0;
        double be = 0, score = 1e9 + (B->hi[p] - B->lo[p]) / S->width_scale[p];
        if (S->ell_nre > 0 && S->ell_nim < 0)
        {
            /* the adaptive cover: from the rho of the last rule on this
               axis, up while the rules get smaller, else down to the
               first rule (a rho that fails spends the cover's cap) */
            slong r0 = FLINT_MIN(FLINT_MAX(hint[p], 0), S->nrho - 1), dir = 0;
            for (r = r0; r >= 0 && r < S->nrho; r += dir)
            {
                double e;
                slong nn = try_rho(&e, &score, S, B, p, r, 1, vol, tol);
                if (nn > 0)
                {
                    if (best == 0 || nn < best)
                    {
                        best = nn;
                        be = e;
                        bestr = r;
                    }
                    else if (dir < 0)
                        break;
                    if (dir > 0)
                        break;
                    dir = -1;
                }
                else if (nn == 0)
                {
                    /* finite, but more than nmax nodes: only a larger rho helps */
                    if (dir > 0)
                        break;
                    dir = -1;
                }
                else
                {
                    if (dir < 0)
                        break;
                    dir = 1;
                }
            }
            if (best)
                hint[p] = bestr;
        }
        for (os = 1; os <= 3 && (best == 0 || best > 12) && !(S->ell_nre > 0 && S->ell_nim < 0); os += 2)
        {
            int found = 0;
            for (r = 0; r < S->nrho && !found; r++)
            {
                double e;
                slong nn = try_rho(&e, &score, S, B, p, r, os, vol, tol);
                if (nn > 0)
                {
                    found = 1;
                    if (best == 0 || nn < best)
                    {
                        best = nn;
                        be = e;
                        bestr = r;
                    }
                }
            }
        }
        n[p] = best;
        rsel[p] = bestr;
        eax[p] = be;
        total += best ? be : HUGE_VAL;
        if (score >= 1e9)
            ninf++;
        if (score > worst)
        {
            worst = score;
            *split = p;
        }
    }
    if (S->ell_nre > 0 && S->ell_nim < 0 && S->ell_grow > 0 && isfinite(total))
    {
        /* the rule is known: a second look above each axis' rho with a cap
           in proportion to the rule's nodes (what a larger rho can save) */
        double N = (double) n[0] * n[1] * n[2] * n[3];
        slong cap0 = -S->ell_nim, cap2 = (slong) FLINT_MIN(N / S->ell_grow, 64.0 * cap0);
        if (cap2 > cap0)
        {
            double dummy = 1e300;
            S->ell_nim = -cap2;
            total = 0;
            for (p = 0; p < NAX; p++)
            {
                slong r;
                for (r = rsel[p] - 1; r >= 0; r--)
                {
                    double e;
                    slong nn = try_rho(&e, &dummy, S, B, p, r, 1, vol, tol);
                    if (nn <= 0 || nn >= n[p])
                        break;
                    n[p] = nn;
                    eax[p] = e;
                    rsel[p] = r;
                    hint[p] = r;
                }
                total += eax[p];
            }
            S->ell_nim = -cap0;
        }
    }
    if (ninf == NAX)
    {
        /* no axis has a bound: the box touches a set where F is not
           analytic.  Prefer an axis whose bisection gives a half on which F
           is certified holomorphic (the singular set lies on a face normal
           to it), the widest such (in the method's scales) */
        double wbest = -1;
        for (p = 0; p < NAX; p++)
        {
            double w = (B->hi[p] - B->lo[p]) / S->width_scale[p];
            if (w > wbest && clean_half(S, B, p))
            {
                wbest = w;
                *split = p;
            }
        }
    }
    return total;
}

int
_neft_twovtx2_stack_run(arb_t res, _neft_twovtx2_stack_t * S,
                        const _neft_twovtx2_box_t * start, slong nstart, double dens,
                        int * nc, slong prec)
{
    _neft_twovtx2_box_t * stack;
    slong nst, alloc = FLINT_MAX(64, 2 * nstart), i, ndepth = 0, nbudget = 0;
    /* for the verbose summary: the radii of the rules, of the enclosures
       at depth 40 and past the budget */
    double rrule = 0, rdepth = 0, rbudget = 0;
    arb_t t;
    int status = NEFT_INTEGRATE_SUCCESS, over = 0;
    slong hint[NAX] = {2, 2, 2, 2}, nodes = 0;
    arb_init(t);
    stack = flint_malloc(alloc * sizeof(_neft_twovtx2_box_t));
    /* in reverse, so that the first box is taken first */
    for (i = 0; i < nstart; i++)
        stack[i] = start[nstart - 1 - i];
    nst = nstart;
    arb_zero(res);
    while (nst > 0)
    {
        _neft_twovtx2_box_t B = stack[--nst];
        double vol = 1, tol, total;
        slong n[NAX], rsel[NAX], p, split;
        if (neft_interrupted())
        {
            status = NEFT_INTEGRATE_INTERRUPTED;
            break;
        }
        for (p = 0; p < NAX; p++)
            vol *= 0.5 * (B.hi[p] - B.lo[p]);
        tol = dens * vol * 16 / NAX;        /* per axis: a quarter of the box's share */
        /* once over the budget, the boxes left are enclosed without bounds */
        total = over ? HUGE_VAL : choose(n, rsel, &split, S, &B, vol, tol, hint);
        /* a rule that does not fit what is left of the budget: the budget
           is spent (bisecting would only spend more on bounds) */
        if (isfinite(total) && S->evals + n[0] * n[1] * n[2] * n[3] > S->budget)
            over = 1;
        if (isfinite(total) && !over)
        {
            mag_t e;
            S->rule(t, S->ctx, &B, n);
            S->evals += n[0] * n[1] * n[2] * n[3];
            nodes += n[0] * n[1] * n[2] * n[3];
            S->nrule++;
            for (p = 0; p < NAX; p++)
                S->st_rho[p][FLINT_MIN(rsel[p], 15)] += n[0] * n[1] * n[2] * n[3];
            S->st_depth_nodes[FLINT_MIN(B.depth, 47)] += n[0] * n[1] * n[2] * n[3];
            if (S->verbose >= 2)
                flint_fprintf(stderr, "%s: map %d depth %d [%g %g]x[%g %g]x[%g %g]x[%g %g] "
                              "n %wd %wd %wd %wd\n", S->name, B.map, B.depth, B.lo[0],
                              B.hi[0], B.lo[1], B.hi[1], B.lo[2], B.hi[2], B.lo[3], B.hi[3],
                              n[0], n[1], n[2], n[3]);
            mag_init(e);
            mag_set_d(e, total);
            arb_add_error_mag(t, e);
            mag_clear(e);
            rrule += mag_get_d(arb_radref(t));
            arb_add(res, res, t, prec);
            continue;
        }
        if (B.depth >= 40 || S->evals >= S->budget || over)
        {
            enclose(t, S, &B, prec);
            if (S->verbose >= 2 && !arb_is_finite(t))
                flint_fprintf(stderr, "%s: map %d depth %d [%g %g]x[%g %g]x[%g %g]x[%g %g]: "
                              "no finite enclosure\n", S->name, B.map, B.depth, B.lo[0],
                              B.hi[0], B.lo[1], B.hi[1], B.lo[2], B.hi[2], B.lo[3], B.hi[3]);
            if (B.depth >= 40)
            {
                rdepth += mag_get_d(arb_radref(t));
                ndepth++;
            }
            else
            {
                rbudget += mag_get_d(arb_radref(t));
                nbudget++;
            }
            arb_add(res, res, t, prec);
            S->nenclosed++;
            *nc = 1;
            continue;
        }
        if (nst + 2 > alloc)
        {
            alloc *= 2;
            stack = flint_realloc(stack, alloc * sizeof(_neft_twovtx2_box_t));
        }
        {
            double mid = 0.5 * (B.lo[split] + B.hi[split]);
            stack[nst] = B;
            stack[nst].hi[split] = mid;
            stack[nst].depth++;
            stack[nst + 1] = B;
            stack[nst + 1].lo[split] = mid;
            stack[nst + 1].depth++;
            nst += 2;
        }
        S->nsplit++;
    }
    if (status == NEFT_INTEGRATE_INTERRUPTED)
        arb_indeterminate(res);
    if (S->verbose)
    {
        slong p;
        flint_fprintf(stderr, "%s: %wd node values, %wd rules, %wd splits, %wd enclosed\n",
                      S->name, S->evals, S->nrule, S->nsplit, S->nenclosed);
        flint_fprintf(stderr, "%s: %wd of them the rules' nodes, %wd the bounds'\n",
                      S->name, nodes, S->evals - nodes);
        flint_fprintf(stderr, "%s: bounds' evaluations %wd in finite bounds, %wd in %wd "
                      "not finite\n", S->name, S->st_ok_ev, S->st_fail_ev, S->st_nfail);
        for (p = 0; p < NAX; p++)
        {
            slong r;
            flint_fprintf(stderr, "%s: axis %wd: failures at the other axis' low/high/no end "
                          "%wd %wd %wd; rules' nodes by rho:", S->name, p,
                          S->st_fail_end[p][0], S->st_fail_end[p][1], S->st_fail_end[p][2]);
            for (r = 0; r < S->nrho && r < 16; r++)
                flint_fprintf(stderr, " %g:%wd", S->rhos[r], S->st_rho[p][r]);
            flint_fprintf(stderr, "\n");
        }
        flint_fprintf(stderr, "%s: rules' nodes by depth:", S->name);
        for (p = 0; p < 48; p++)
            if (S->st_depth_nodes[p] > 0)
                flint_fprintf(stderr, " %wd:%.3g", p, S->st_depth_nodes[p]);
        flint_fprintf(stderr, "\n");
        flint_fprintf(stderr, "%s: radii: rules %g, enclosures at depth 40 "
                      "%g (%wd boxes), past the budget %g (%wd boxes)\n", S->name, rrule,
                      rdepth, ndepth, rbudget, nbudget);
    }
    flint_free(stack);
    arb_clear(t);
    return status;
}

/* |F| at a point from F's enclosure x: |mid(x)|, or the magnitude bound
   |mid| + rad where x contains 0 (an enclosure centred at 0, [0 +/- r],
   says nothing by its midpoint: before stop 35 it counted 0, and an F of
   only such enclosures had scale 1e-300, a tolerance no rule meets) */
static double
_point_size(const arb_t x)
{
    double m = fabs(arf_get_d(arb_midref(x), ARF_RND_NEAR));
    return arb_contains_zero(x) ? m + mag_get_d(arb_radref(x)) : m;
}

void
_neft_twovtx2_scale(double * scale, double * totvol, _neft_twovtx2_stack_t * S,
                    const _neft_twovtx2_box_t * start, slong nstart)
{
    static const double fr[3] = {0.17, 0.52, 0.83};
    acb_ptr q = _acb_vec_init(NAX);
    acb_t f;
    slong m, pt, j, r;
    acb_init(f);
    *scale = *totvol = 0;
    for (m = 0; m < nstart; m++)
    {
        const _neft_twovtx2_box_t * B = start + m;
        double vol = 1, mean = 0;
        for (j = 0; j < NAX; j++)
            vol *= B->hi[j] - B->lo[j];
        for (pt = 0; pt < 81; pt++)
        {
            for (j = 0, r = pt; j < NAX; j++, r /= 3)
                acb_set_d(q + j, B->lo[j] + fr[r % 3] * (B->hi[j] - B->lo[j]));
            S->F(f, S->ctx, B, q, 0);
            if (acb_is_finite(f))
                mean += _point_size(acb_realref(f)) / 81;
        }
        *scale += mean * vol;
        *totvol += vol;
    }
    if (!(*scale > 1e-300))
        *scale = 1e-300;
    acb_clear(f);
    _acb_vec_clear(q, NAX);
}
