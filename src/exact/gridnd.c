/* All Gaussian moments of one spec from one D-dimensional quadrature rule
 * (d_in = 2, 3; D = d_in + (sigma_b != 0) = 3 or 4; a smooth bounded row:
 * erf, tanh, sigmoid, ...).
 *
 * z(x_i) = a_i . xi with a_i = (sw x_i / sqrt(d_in), sb) and xi standard
 * normal in D dimensions, so every M_k(x_idx) = int prod_a sigma(a_{idx_a} .
 * xi) phi_D(xi) dxi over the same space: no reduction to the tuple's span is
 * needed.  The cube [-R, R]^D is cut into unit panels (half-width h = 1/2),
 * each integrated by an n^D tensor Gauss-Legendre rule; sigma(z(x_i)) is
 * computed once per input and node (the row's ball evaluator, 64 bits) and
 * every tuple's integrand is a product of them along the tuple tree, in
 * double intervals (src/integrate/ivl.h), summed per panel in intervals
 * and over panels in Arb -- the shared rule of grid.c in D dimensions.
 *
 * Error of a panel: applying the rule one variable at a time,
 *   I - Q = sum_j Q_1..Q_{j-1} (I_j - Q_j) I_{j+1}..I_D,
 * and the Gauss-Legendre weights are positive with sum 2h, so |I - Q| <=
 * sum_j (2h)^(D-1) h (64/15) rho^-2(n-1) / (rho^2 - 1) M_j (Trefethen, SIAM
 * Review 50 (2008), Thm 4.5), M_j = sup |f| with xi_j on the Bernstein
 * ellipse of its side and the other variables real on theirs.  |f| <=
 * prod_a S_{j, idx_a} G_j: S_{j,i} = sup |sigma| over the complex box that
 * z(x_i) covers there (one ball evaluation of the row with holomorphy
 * certified: a pole or branch point makes that rho unusable), G_j =
 * e^{(b^2 - sum_l d_l^2)/2} / (2 pi)^{D/2} exactly the sup of the Gaussian
 * (b the ellipse's imaginary half-width, d_l the distances of the real
 * ranges to 0).  A panel whose whole mass (prod S G on the real panel) is
 * below its share of the goal is bounded, not integrated.  Outside the ball
 * |xi| <= Rb (panels wholly outside it are left out) the row's declared
 * bound |sigma| <= sup gives the tail: sup^k P(chi_D > Rb), in closed form.  A declared parity halves the space (xi_1 > 0, doubled).
 * The goal is 2^-36 of sup^k in 3 dimensions (radii about 1e-11 of the
 * moments' scale), 2^-28 in 4 (about 4e-9) (docs/cmd-exact.md). */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "neft/act.h"
#include "neft/interrupt.h"
#include "gridrule.h"
#include "../integrate/tuples_pool.h"

#define H 0.5
#define EVAL_PREC 64
#define NRHO 5
#define MAXD 4
#define GOAL_BITS 36     /* D = 3 */
#define GOAL_BITS4 28    /* D = 4: 7e7 nodes for four inputs up to M_6 */

static const double rhos[NRHO] = {1.6, 2.2, 3, 4.5, 7};

/* the shared helpers of the panel rule (gridrule.c) */
#define exp_norm_up _neft_exact_exp_norm_up
#define dist_dn _neft_exact_dist_dn
#define sup_box _neft_exact_sup_box

int
_neft_exact_gridnd_applies(const neft_exact_spec_t spec, slong prec)
{
    neft_net_srcptr net = spec->net;
    neft_act_srcptr act = net->act;
    slong D = net->d_in + !fmpq_is_zero(net->cb);
    return act != NULL && _neft_exact_integrated_row(act) && act->eval_acb != NULL
        && (net->d_in == 2 || net->d_in == 3) && D >= 3 && D <= MAXD
        && (act->flags & NEFT_ACT_BOUNDED) && act->singular != NEFT_ACT_SINGULAR_KINK
        && prec <= NEFT_EXACT_GRID_PREC && _neft_ivl_usable();
}

double
_neft_exact_gridnd_cost(const neft_exact_spec_t spec, slong tree_length, double sigma_cost)
{
    slong D = spec->net->d_in + !fmpq_is_zero(spec->net->cb);
    {
        /* the tree's longest tuple from its length (sorted tuples of 0 .. maxlen) */
        slong maxlen = 0, count = 1;
        double n = 1;
        while (count < tree_length && maxlen < 64)
        {
            maxlen++;
            n = n * (double) (spec->npoints + maxlen - 1) / (double) maxlen;
            count += (slong) (n + 0.5);
        }
        if (_neft_exact_erfsign_applies(spec, maxlen))
            return _neft_exact_erfsign_cost(spec->npoints, maxlen);
    }
    /* measured (erf, sw = sb = 1, the corners of [-1,1]^2 or four corners
       of [-1,1]^3, up to M_6): about 1e6 nodes in 3 dimensions, 7.4e7 in 4 */
    double nodes = D == 3 ? 1e6 : 8e7;
    return nodes * ((double) spec->npoints * (sigma_cost + 10) + 2.0 * (double) tree_length * 4);
}

/* ------------------------------------------------------------ one panel */

#define CHUNK 512       /* panels per step of the threads (then added in order) */

typedef struct
{
    neft_act_srcptr act;
    arb_srcptr par;              /* the row's parameter, or NULL */
    const _neft_tuples_struct * tree;
    const ivl * A;               /* a_i as intervals, MAXD per input */
    slong D, np, R, side;
    int half;
    double sup, Rb, tpan;
}
gctx;

typedef struct
{
    int kind;                    /* 0 outside the ball, 1 bounded only, 2 integrated */
    int status;
    slong count;                 /* quadrature nodes */
    ivl * acc;                   /* per node of the tree (even lengths): the rule's sum */
    double * err;                /* its error bound, rounded up */
    char why[200];
}
pout;

typedef struct
{
    ivl * prod, * s, * Z, * W;
    double * e, * S;
    arb_t t;
    acb_t z, v;
}
scratch;

static void
scratch_init(scratch * w, const gctx * G)
{
    slong L = G->tree->length;
    w->prod = flint_malloc(sizeof(ivl) * L);
    w->s = flint_malloc(sizeof(ivl) * G->np);
    w->Z = flint_malloc(sizeof(ivl) * MAXD * G->np * GL_NMAX);   /* a_ij xi_j at node q */
    w->W = flint_malloc(sizeof(ivl) * MAXD * GL_NMAX);           /* h w_q phi(xi_q) */
    w->e = flint_malloc(sizeof(double) * L);
    w->S = flint_malloc(sizeof(double) * (MAXD + 1) * G->np);
    arb_init(w->t);
    acb_init(w->z);
    acb_init(w->v);
}

static void
scratch_clear(scratch * w)
{
    flint_free(w->prod);
    flint_free(w->s);
    flint_free(w->Z);
    flint_free(w->W);
    flint_free(w->e);
    flint_free(w->S);
    arb_clear(w->t);
    acb_clear(w->z);
    acb_clear(w->v);
}

/* Panel p of the grid: its share of every even tuple's sum and error bound
   into o (depends on p and G only: any thread computes the same). */
static void
panel(pout * o, const gctx * G, slong p, scratch * w)
{
    const _neft_tuples_struct * tree = G->tree;
    neft_act_srcptr act = G->act;
    slong D = G->D, np = G->np, L = tree->length, maxn = tree->maxlen, R = G->R;
    slong rem = p, bestn = WORD_MAX, nn, tot, q, i, j, k, node, qi[MAXD];
    double c[MAXD] = {0, 0, 0, 0}, Gj[MAXD + 1], Sbest[(MAXD + 1) * 64], best_rho = 0,
           smax, g0, * e = w->e, * S = w->S;
    ivl X[MAXD];
    const _neft_gl_struct * gl;

    o->kind = 0;
    o->status = NEFT_SUCCESS;
    o->count = 0;
    if (neft_interrupted())
    {
        o->status = NEFT_INTERRUPTED;
        return;
    }
    for (j = 0; j < D; j++)
    {
        slong cj = rem % G->side;
        rem /= G->side;
        c[j] = -R + (double) cj + 0.5;
    }
    if (G->half)
        c[D - 1] += R;   /* the last index runs over [0, R) only */
    /* the real panel: outside the ball |xi| <= Rb (the tail's), nothing */
    {
        double dd = 0;
        for (j = 0; j < D; j++)
        {
            double dj;
            X[j] = ivl_set(c[j] - H, c[j] + H);
            dj = dist_dn(X[j]);
            dd = _ivl_dn(dd + _ivl_dn(dj * dj));
        }
        if (dd >= G->Rb * G->Rb)
            return;
        g0 = exp_norm_up(-0.5 * dd, D);
    }
    for (node = 0; node < L; node++)
        o->err[node] = 0;
    for (i = 0; i < np; i++)
        S[i] = G->sup;   /* |sigma| <= sup on the real line */
    smax = G->sup;
    if (_neft_exact_worst(smax, g0, maxn) <= G->tpan)   /* volume 1 */
    {
        o->kind = 1;
        e[0] = g0;
        for (node = 1; node < L; node++)
        {
            e[node] = _up_mul(e[tree->parent[node]], S[tree->last[node]]);
            if (tree->len[node] % 2 == 0)
                o->err[node] = e[node];
        }
        return;
    }
    /* rho and n: per axis j the sups S_{j,i} and G_j */
    for (k = 0; k < NRHO; k++)
    {
        double rho = rhos[k], a, b, Wsum = 0, Sj[(MAXD + 1) * 64], Gk[MAXD + 1];
        slong n;
        int ok = 1;
        if (np > 64)
            break;
        a = _up_mul(H, _up_add(rho, 1 / rho) / 2) * (1 + 1e-15);
        b = _up_mul(H, (rho - 1 / rho) / 2) * (1 + 1e-15);
        for (j = 0; j < D && ok; j++)
        {
            double m = 0, dd = 0;
            ivl Y = ivl_set(_ivl_dn(c[j] - a), _ivl_up(c[j] + a));
            for (i = 0; i < np && ok; i++)
            {
                ivl zr = ivl_pt(0);
                slong l;
                for (l = 0; l < D; l++)
                    zr = ivl_add(zr, ivl_mul(G->A[i * MAXD + l], l == j ? Y : X[l]));
                Sj[j * np + i] = sup_box(act, G->par, zr,
                                         _up_mul(ivl_mag(G->A[i * MAXD + j]), b));
                if (!(Sj[j * np + i] < INFINITY))
                    ok = 0;
                m = Sj[j * np + i] > m ? Sj[j * np + i] : m;
            }
            for (i = 0; i < D; i++)
            {
                double di = dist_dn(i == j ? Y : X[i]);
                dd = _ivl_dn(dd + _ivl_dn(di * di));
            }
            Gk[j] = exp_norm_up(0.5 * (_up_mul(b, b) - dd), D);
            Wsum = _up_add(Wsum, _neft_exact_worst(m, Gk[j], maxn));
        }
        if (!ok)
            continue;
        {
            double g = log(32.0 / 15.0 * Wsum / ((rho * rho - 1) * G->tpan)) / (2 * log(rho));
            if (!(g <= GL_NMAX))
                continue;
            n = g > GL_NMIN ? (slong) ceil(g) : GL_NMIN;
        }
        while (n <= GL_NMAX && _up_mul(_neft_exact_gl_factor(rho, n), Wsum) > G->tpan)
            n++;
        if (n > GL_NMAX || n >= bestn)
            continue;
        bestn = n;
        best_rho = rho;
        memcpy(Sbest, Sj, sizeof(double) * D * np);
        memcpy(Gj, Gk, sizeof(double) * D);
    }
    if (bestn == WORD_MAX)
    {
        snprintf(o->why, sizeof o->why, "%s: no Gauss-Legendre panel rule reaches the goal "
                 "near the panel centred at (%g, %g, %g%s)", act->name, c[0], c[1], c[2],
                 D > 3 ? ", .." : "");
        o->status = NEFT_FAILURE;
        return;
    }
    /* this panel's error per tuple: K sum_j G_j prod S_{j, idx} */
    {
        double K = _neft_exact_gl_factor(best_rho, bestn);
        for (j = 0; j < D; j++)
        {
            e[0] = Gj[j];
            for (node = 1; node < L; node++)
            {
                e[node] = _up_mul(e[tree->parent[node]], Sbest[j * np + tree->last[node]]);
                if (tree->len[node] % 2 == 0)
                    o->err[node] = _up_add(o->err[node], _up_mul(K, e[node]));
            }
        }
    }
    gl = _neft_gl(bestn, EVAL_PREC);
    if (gl == NULL)
    {
        o->status = NEFT_FAILURE;
        snprintf(o->why, sizeof o->why, "no Gauss-Legendre rule of %ld nodes", (long) bestn);
        return;
    }
    nn = gl->n;
    for (j = 0; j < D; j++)
        for (q = 0; q < nn; q++)
        {
            ivl xi = _neft_exact_gl_node(w->W + j * GL_NMAX + q, c[j], gl, q, w->t);
            for (i = 0; i < np; i++)
                w->Z[(j * np + i) * GL_NMAX + q] = ivl_mul(G->A[i * MAXD + j], xi);
        }
    for (node = 0; node < L; node++)
        o->acc[node] = ivl_pt(0);
    tot = 1;
    for (j = 0; j < D; j++)
        tot *= nn;
    for (q = 0; q < tot; q++)
    {
        slong r = q;
        ivl wq = ivl_pt(1);
        for (j = 0; j < D; j++)
        {
            qi[j] = r % nn;
            r /= nn;
            wq = ivl_mul(wq, w->W[j * GL_NMAX + qi[j]]);
        }
        if ((q & 1023) == 0 && neft_interrupted())
        {
            o->status = NEFT_INTERRUPTED;
            return;
        }
        for (i = 0; i < np; i++)
        {
            ivl zz = ivl_pt(0);
            for (j = 0; j < D; j++)
                zz = ivl_add(zz, w->Z[(j * np + i) * GL_NMAX + qi[j]]);
            _neft_ivl_get_arb(acb_realref(w->z), zz);
            arb_zero(acb_imagref(w->z));
            if (act->eval_acb(w->v, w->z, G->par, 0, 0, EVAL_PREC) != NEFT_ACT_SUCCESS)
                acb_indeterminate(w->v);
            w->s[i] = _neft_ivl_set_arb(acb_realref(w->v));
            if (!ivl_is_finite(w->s[i]))
            {
                o->status = NEFT_FAILURE;
                snprintf(o->why, sizeof o->why, "%s: a value at a quadrature node is not "
                         "finite", act->name);
                return;
            }
        }
        _neft_exact_tree_add(o->acc, w->prod, tree, wq, w->s);
    }
    o->count = tot;
    o->kind = 2;
}

/* Panels base .. base + n - 1 into out[0 .. n - 1] on the tuple methods'
   pool (src/integrate/tuples_pool.c), scratch space per thread. */
typedef struct
{
    pout * out;
    const gctx * G;
    slong base;
    scratch * w;                  /* one per thread */
}
chunk_arg;

static void
chunk_panel(void * arg, slong i, slong th)
{
    chunk_arg * C = arg;
    panel(C->out + i, C->G, C->base + i, C->w + th);
}

static void
run_chunk(pout * out, const gctx * G, slong base, slong n, scratch * w, slong nt)
{
    chunk_arg C;
    slong i, done;
    C.out = out;
    C.G = G;
    C.base = base;
    C.w = w;
    done = _neft_pool_run(n, nt, chunk_panel, &C);
    for (i = done; i < n; i++)    /* not run: a stop request */
        out[i].status = NEFT_INTERRUPTED;
}

int
_neft_exact_gridnd(arb_ptr M, const _neft_tuples_struct * tree, const neft_exact_spec_t spec,
                   slong prec, void (*progress)(void *, slong, slong), void * arg,
                   slong * nodes, char * err, size_t errsize)
{
    /* erf: the sign moments (erfsign.c), far cheaper than the rule */
    if (_neft_exact_gridnd_applies(spec, prec)
        && _neft_exact_erfsign_applies(spec, tree->maxlen))
    {
        int status = _neft_exact_erfsign(M, tree, spec, prec, progress, arg, err, errsize);
        if (nodes != NULL)
            *nodes = 0;
        if (status == NEFT_SUCCESS || status == NEFT_INTERRUPTED)
            return status;
        /* no finite enclosure there: the rule */
    }
    return _neft_exact_gridnd_rule(M, tree, spec, prec, progress, arg, nodes, err, errsize);
}

int
_neft_exact_gridnd_rule(arb_ptr M, const _neft_tuples_struct * tree,
                        const neft_exact_spec_t spec, slong prec,
                        void (*progress)(void *, slong, slong), void * arg,
                        slong * nodes, char * err, size_t errsize)
{
    neft_net_srcptr net = spec->net;
    neft_act_srcptr act = net->act;
    slong d = net->d_in, D = d + !fmpq_is_zero(net->cb), np = spec->npoints;
    slong L = tree->length, maxn = tree->maxlen, i, j, k, node, R, npan, nmoments = 0;
    slong count = 0, side;
    int status = NEFT_SUCCESS, half = act->parity == 1 || act->parity == -1;
    double tol, tpan, sup = act->sup, tailk[NEFT_SAMPLE_MAX_NPT + 1], Rb;
    ivl * A = NULL;
    double * errs = NULL;
    arb_t t, sw, sb, par;
    arb_ptr acc = NULL;

    if (nodes != NULL)
        *nodes = 0;
    if (!_neft_exact_gridnd_applies(spec, prec))
    {
        snprintf(err, errsize, "the shared D-dimensional rule does not apply");
        return NEFT_UNSUPPORTED;
    }
    arb_init(t); arb_init(sw); arb_init(sb); arb_init(par);
    if (act->nparams > 0)
        neft_net_param_arb(par, net, prec + 16);
    neft_net_sw_arb(sw, net, prec + 16);
    neft_net_sb_arb(sb, net, prec + 16);
    /* a_i as intervals: (sw x_i / sqrt d, sb) */
    A = flint_malloc(sizeof(ivl) * np * MAXD);
    arb_set_si(t, d);
    arb_rsqrt(t, t, prec + 16);
    arb_mul(t, t, sw, prec + 16);
    for (i = 0; i < np; i++)
    {
        arb_t y;
        arb_init(y);
        for (j = 0; j < d; j++)
        {
            arb_mul(y, t, spec->points + i * d + j, prec + 16);
            A[i * MAXD + j] = _neft_ivl_set_arb(y);
        }
        if (D > d)
            A[i * MAXD + d] = _neft_ivl_set_arb(sb);
        arb_clear(y);
    }
    for (node = 1; node < L; node++)
        nmoments += tree->len[node] % 2 == 0;

    /* the goal and the tail: sup^k D erfc(R / sqrt 2) <= tol / 8 */
    {
        double scale = 1;
        for (k = 0; k < maxn; k++)
            scale = _up_mul(scale, sup > 1 ? sup : 1);
        tol = ldexp(scale, D == 4 ? -GOAL_BITS4 : -GOAL_BITS);
    }
    /* the ball |xi| <= Rb outside which sup^k P(chi_D > Rb) <= tol / 8
       (P by _neft_exact_chi_tail_up, gridrule.c) */
    for (Rb = 3; ; Rb += 0.25)
    {
        double m = 0, pk = 1, P = _neft_exact_chi_tail_up(Rb, D);
        for (k = 1; k <= maxn; k++)
        {
            pk = _up_mul(pk, sup);
            if (k % 2 == 0)
            {
                tailk[k] = _up_mul(pk, P);
                m = tailk[k] > m ? tailk[k] : m;
            }
        }
        if (m <= tol / 8)
            break;
        if (Rb > 40)
        {
            status = NEFT_FAILURE;
            snprintf(err, errsize, "%s: no tail bound below the goal", act->name);
            goto out;
        }
    }
    /* the goal's share of each panel that meets the ball */
    {
        slong inside = _neft_exact_panel_grid(&R, &npan, NULL, Rb, D, half);
        tpan = tol / (4.0 * (double) (inside > 0 ? inside : 1));
    }
    side = 2 * R;

    {
        gctx G;
        slong nt = spec->threads > 0 ? spec->threads : (slong) sysconf(_SC_NPROCESSORS_ONLN);
        slong base, chunk = FLINT_MIN(npan, CHUNK);
        pout * out = flint_calloc(chunk, sizeof(pout));
        scratch * w;
        G.act = act;
        G.par = act->nparams ? par : NULL;
        G.tree = tree;
        G.A = A;
        G.D = D;
        G.np = np;
        G.R = R;
        G.side = side;
        G.half = half;
        G.sup = sup;
        G.Rb = Rb;
        G.tpan = tpan;
        for (i = 0; i < chunk; i++)
        {
            out[i].acc = flint_malloc(sizeof(ivl) * L);
            out[i].err = flint_malloc(sizeof(double) * L);
        }
        errs = flint_calloc(L, sizeof(double));
        acc = _arb_vec_init(L);
        nt = _neft_pool_threads(chunk, nt);
        w = flint_malloc(sizeof(scratch) * nt);
        for (i = 0; i < nt; i++)
            scratch_init(w + i, &G);
        /* the panels in chunks, each chunk's panels shared out among the
           threads, then added in panel order: the same balls for any number
           of threads */
        for (base = 0; base < npan && status == NEFT_SUCCESS; base += chunk)
        {
            slong n = FLINT_MIN(chunk, npan - base);
            run_chunk(out, &G, base, n, w, nt);
            for (i = 0; i < n && status == NEFT_SUCCESS; i++)
            {
                const pout * o = out + i;
                if (o->status != NEFT_SUCCESS)
                {
                    status = o->status;
                    if (status != NEFT_INTERRUPTED)
                        snprintf(err, errsize, "%s", o->why);
                    break;
                }
                if (o->kind == 0)
                    continue;
                count += o->count;
                for (node = 1; node < L; node++)
                    if (!(tree->len[node] & 1))
                    {
                        errs[node] = _up_add(errs[node], o->err[node]);
                        if (o->kind == 2)
                        {
                            _neft_ivl_get_arb(t, o->acc[node]);
                            arb_add(acc + node, acc + node, t, prec + 16);
                        }
                    }
            }
            if (progress != NULL && status == NEFT_SUCCESS)
                progress(arg, (slong) ((double) nmoments * (double) (base + n) / (double) npan),
                         nmoments);
        }
        for (i = 0; i < chunk; i++)
        {
            flint_free(out[i].acc);
            flint_free(out[i].err);
        }
        flint_free(out);
        for (i = 0; i < nt; i++)
            scratch_clear(w + i);
        flint_free(w);
    }
    if (status == NEFT_SUCCESS && neft_interrupted())
        status = NEFT_INTERRUPTED;
    if (status == NEFT_SUCCESS)
        _neft_exact_grid_finish(M, NULL, tree, spec, acc, errs, tailk, half, prec);
    if (nodes != NULL)
        *nodes = count;
out:
    if (status == NEFT_INTERRUPTED)
        snprintf(err, errsize, "interrupted while computing the Gaussian moments");
    flint_free(A);
    flint_free(errs);
    if (acc != NULL)
        _arb_vec_clear(acc, L);
    arb_clear(t); arb_clear(sw); arb_clear(sb); arb_clear(par);
    return status;
}
