/* Composition of connected pieces into full diagrams (the exponential
   formula): a diagram is a set partition of the external points, one
   connected piece per block, and a multiset of vacuum pieces.  Its
   coefficient is the product of the pieces' coefficients divided by r! for r
   identical vacuum pieces (the only automorphisms between components, since
   external points are fixed).  Pruning rules act per piece, except the
   component count (connected, 1PI) and the self-energy exemption of a whole
   2-point diagram. */

#include <string.h>
#include "neft/interrupt.h"
#include "compose.h"

#define NMAX NEFT_DIAGRAM_MAX_VERTICES

typedef struct
{
    _neft_pieces_struct * P;
    const neft_theory_struct * th;
    slong n, order;
    unsigned prune;
    int build;                 /* 0: count only; 1: append to ex or send to sink */
    slong count, budget;
    int over_budget;           /* also set to stop early: interrupted, sink */
    int interrupted;           /* neft_interrupted() was seen */
    int sink_failed;           /* the sink returned nonzero */
    slong min_order;           /* terms with fewer vertices are left out */
    int targeted;              /* only vertex counts exactly rem (stream order) */
    int direct;                /* stream the pieces with n externals directly */
    slong rem[NEFT_THEORY_COUPLINGS_MAX];
    const neft_expand_sink_struct * sink;
    slong * by_order;          /* if not NULL: counts by number of vertices */
    slong streamed;            /* terms sent to the sink */
    const _neft_piece_struct * direct_piece;  /* the one piece, in direct mode */
    slong work;                /* groupings of the external points tried */
    int over_work;             /* more than _work_budget(budget) of them */
    neft_expansion_struct * ex;
    /* vertex multisets with total <= order, by nondecreasing total */
    slong nmu;
    slong * mus;               /* nmu * ncouplings */
    slong * mutot;
    /* current choice */
    slong nblocks;
    slong block_ext[NMAX][NMAX];
    slong block_size[NMAX];
    slong chosen[2 * NMAX];    /* piece per block, then vacuum pieces */
    slong nchosen;
    slong vacuum_pieces_len;
    slong * vacuum_pieces;     /* admissible vacuum pieces, by index */
}
_compose_struct;

static int
_piece_allowed(const _compose_struct * C, const _neft_piece_struct * p)
{
    unsigned pr = C->prune;
    if (p->k == 0 && (pr & (NEFT_PRUNE_VACUUM | NEFT_PRUNE_CONNECTED | NEFT_PRUNE_1PI))
        && C->n > 0)
        return 0;
    if (p->k == 0 && (pr & NEFT_PRUNE_VACUUM))
        return 0;
    if ((pr & NEFT_PRUNE_TWO_POINT_COMPONENT) && p->k == 2 && p->m > 0)
        return 0;
    if ((pr & NEFT_PRUNE_SELF_ENERGY) && p->se_proper)
        return 0;
    if ((pr & NEFT_PRUNE_TADPOLE) && p->tadpole)
        return 0;
    if ((pr & NEFT_PRUNE_1PI) && p->internal_bridge)
        return 0;
    return 1;
}

/* The i-th chosen piece. */
static const _neft_piece_struct *
_chosen(const _compose_struct * C, slong i)
{
    return C->direct_piece != NULL ? C->direct_piece : C->P->pieces + C->chosen[i];
}

/* Assembles the chosen pieces into a diagram and appends it. */
static void
_build(_compose_struct * C, slong nvac)
{
    const neft_theory_struct * th = C->th;
    slong n = C->n, N, m = 0, i, j, a, b, off;
    slong map[NMAX], newid[NMAX], queue[NMAX], qh, qt, next;
    slong type_tmp[NMAX], type[NMAX], edges[NMAX * NMAX];
    unsigned char A[NMAX * NMAX];
    slong nedges = 0;
    neft_diagram_t d;
    fmpz_t f;

    for (i = 0; i < C->nchosen; i++)
        m += (*_chosen(C, i)).m;
    N = n + m;
    memset(A, 0, N * N);

    off = n;
    for (i = 0; i < C->nchosen; i++)
    {
        const _neft_piece_struct * p = _chosen(C, i);
        slong pn = p->k + p->m;
        for (a = 0; a < p->k; a++)
            map[a] = C->block_ext[i][a];
        for (a = p->k; a < pn; a++)
        {
            map[a] = off + a - p->k;
            type_tmp[map[a] - n] = p->type[a - p->k];
        }
        for (a = 0; a < pn; a++)
            for (b = 0; b < pn; b++)
                A[map[a] * N + map[b]] = p->A[a * pn + b];
        off += p->m;
    }

    /* number internal vertices by first appearance, breadth first from x1..xn,
       then the vacuum pieces in order */
    for (i = 0; i < N; i++)
        newid[i] = i < n ? i : -1;
    next = n;
    qh = qt = 0;
    for (i = 0; i < n; i++)
        queue[qt++] = i;
    for (;;)
    {
        while (qh < qt)
        {
            slong v = queue[qh++];
            for (j = n; j < N; j++)
                if (newid[j] < 0 && A[v * N + j])
                {
                    newid[j] = next++;
                    queue[qt++] = j;
                }
        }
        for (j = n; j < N && newid[j] >= 0; j++)
            ;
        if (j == N)
            break;
        newid[j] = next++;
        queue[qt++] = j;
    }
    for (i = n; i < N; i++)
        type[newid[i] - n] = type_tmp[i - n];
    for (a = 0; a < N; a++)
        for (b = a; b < N; b++)
            for (j = 0; j < A[a * N + b]; j++)
            {
                edges[2 * nedges] = newid[a];
                edges[2 * nedges + 1] = newid[b];
                nedges++;
            }

    neft_diagram_init(d);
    neft_diagram_set_graph(d, n, m, type, nedges, edges);
    fmpq_one(d->coeff);
    for (i = 0; i < C->nchosen; i++)
        fmpq_mul(d->coeff, d->coeff, (*_chosen(C, i)).coeff);
    /* 1/r! for runs of identical vacuum pieces (chosen in nondecreasing order) */
    fmpz_init(f);
    for (i = C->nblocks; i < C->nblocks + nvac; i = j)
    {
        for (j = i; j < C->nblocks + nvac && C->chosen[j] == C->chosen[i]; j++)
            ;
        if (j - i > 1)
        {
            fmpz_fac_ui(f, j - i);
            fmpq_div_fmpz(d->coeff, d->coeff, f);
        }
    }
    fmpz_clear(f);
    (void) th;
    if (C->sink != NULL)
    {
        if (C->sink->term(C->ex, d, C->sink->arg) != 0)
        {
            C->sink_failed = 1;
            C->over_budget = 1;
        }
    }
    else
        neft_expansion_append(C->ex, d);
    neft_diagram_clear(d);
}

static void
_finish(_compose_struct * C, slong nvac, slong left)
{
    slong i, ncomp = C->nblocks + nvac;

    if (C->order - left < C->min_order)
        return;
    if (C->targeted)
        for (i = 0; i < C->th->length; i++)
            if (C->rem[i] != 0)
                return;
    if ((C->prune & (NEFT_PRUNE_CONNECTED | NEFT_PRUNE_1PI)) && ncomp != 1)
        return;
    if (C->prune & NEFT_PRUNE_SELF_ENERGY)
        for (i = 0; i < C->nchosen; i++)
        {
            const _neft_piece_struct * p = _chosen(C, i);
            /* a 2-point piece with vertices is itself a self-energy part unless
               it is the whole diagram of a 2-point function */
            if (p->k == 2 && p->m > 0 && !(C->n == 2 && ncomp == 1))
                return;
        }
    if (C->count >= C->budget)
    {
        C->over_budget = 1;
        return;
    }
    C->count++;
    if (C->by_order != NULL)
        C->by_order[C->order - left]++;
    if ((C->count & 1023) == 0 && neft_interrupted())
    {
        C->interrupted = 1;
        C->over_budget = 1;
        return;
    }
    if (C->build)
        _build(C, nvac);
}

/* In targeted mode: whether the vertex counts of piece p (or multiset mu)
   fit in what is left of the target, and taking them / giving them back. */
static int
_fits(const _compose_struct * C, const slong * mu)
{
    slong c;
    if (!C->targeted)
        return 1;
    for (c = 0; c < C->th->length; c++)
        if (mu[c] > C->rem[c])
            return 0;
    return 1;
}

static void
_take(_compose_struct * C, const slong * mu, slong sign)
{
    slong c;
    if (C->targeted)
        for (c = 0; c < C->th->length; c++)
            C->rem[c] -= sign * mu[c];
}

static void
_piece_mu(slong * mu, const _compose_struct * C, const _neft_piece_struct * p)
{
    slong c, i;
    for (c = 0; c < C->th->length; c++)
        mu[c] = 0;
    for (i = 0; i < p->m; i++)
        mu[p->type[i]]++;
}

/* chooses vacuum pieces with index position >= from, r vertices left */
static void
_vacuum(_compose_struct * C, slong from, slong left, slong nvac)
{
    slong i, mu[NEFT_THEORY_COUPLINGS_MAX];

    _finish(C, nvac, left);
    if (C->over_budget || C->P->over_budget)
        return;
    for (i = from; i < C->vacuum_pieces_len; i++)
    {
        const _neft_piece_struct * p = C->P->pieces + C->vacuum_pieces[i];
        if (p->m > left)
            continue;
        _piece_mu(mu, C, p);
        if (!_fits(C, mu))
            continue;
        _take(C, mu, 1);
        C->chosen[C->nchosen++] = C->vacuum_pieces[i];
        _vacuum(C, i, left - p->m, nvac + 1);
        C->nchosen--;
        _take(C, mu, -1);
        if (C->over_budget || C->P->over_budget)
            return;
    }
}

static void
_blocks(_compose_struct * C, slong blk, slong left)
{
    slong t, c, ncoup = C->th->length;

    if (C->over_budget || C->P->over_budget)
        return;
    if (blk == C->nblocks)
    {
        _vacuum(C, 0, left, 0);
        return;
    }
    for (t = 0; t < C->nmu && C->mutot[t] <= left; t++)
    {
        const slong * mu = C->mus + t * ncoup;
        slong legs = C->block_size[blk], bucket, j;
        for (c = 0; c < ncoup; c++)
            legs += mu[c] * C->th->couplings[c].legs;
        if (legs % 2 || !_fits(C, mu))
            continue;
        /* the last piece, no vacuum pieces to come: below min_order it is
           never used, so not generated */
        if (blk == C->nblocks - 1 && C->vacuum_pieces_len == 0
            && C->order - left + C->mutot[t] < C->min_order)
            continue;
        bucket = _neft_pieces_get(C->P, C->block_size[blk], mu);
        if (bucket < 0)
            return;
        for (j = 0; j < C->P->bucket_len[bucket]; j++)
        {
            slong pi = C->P->bucket_items[bucket][j];
            if (!_piece_allowed(C, C->P->pieces + pi))
                continue;
            C->chosen[C->nchosen++] = pi;
            _take(C, mu, 1);
            _blocks(C, blk + 1, left - C->mutot[t]);
            _take(C, mu, -1);
            C->nchosen--;
            if (C->over_budget || C->P->over_budget)
                return;
        }
    }
}

/* all vertex multisets with total <= order, sorted by total */
static void
_make_mus(_compose_struct * C)
{
    slong ncoup = C->th->length, cap = 1, i, c, t, tot;
    slong cur[NEFT_THEORY_COUPLINGS_MAX];

    for (c = 0; c < ncoup; c++)
        cap *= (C->order + 1);
    C->mus = flint_malloc(sizeof(slong) * FLINT_MAX(cap * ncoup, 1));
    C->mutot = flint_malloc(sizeof(slong) * FLINT_MAX(cap, 1));
    C->nmu = 0;
    for (tot = 0; tot <= C->order; tot++)
    {
        for (c = 0; c < ncoup; c++)
            cur[c] = 0;
        for (i = 0; i < cap; i++)
        {
            slong x = i, s = 0;
            for (c = 0; c < ncoup; c++)
            {
                cur[c] = x % (C->order + 1);
                x /= (C->order + 1);
                s += cur[c];
            }
            if (s != tot)
                continue;
            for (c = 0; c < ncoup; c++)
                C->mus[C->nmu * ncoup + c] = cur[c];
            C->mutot[C->nmu++] = tot;
        }
    }
    (void) t;
}

/* Groupings of the external points tried before giving up: the set
   partitions of n points are Bell(n) (8e10 for n = 17), and when none of them
   admits a diagram (odd n, even couplings) the term budget alone never stops
   the search. */
static slong
_work_budget(slong budget)
{
    return budget > (WORD_MAX - 1000000) / 16 ? WORD_MAX : 16 * budget + 1000000;
}

static int
_run(_compose_struct * C)
{
    slong n = C->n, a[NMAX], i, nb;
    int connected_only = (C->prune & (NEFT_PRUNE_CONNECTED | NEFT_PRUNE_1PI)) != 0;

    C->count = 0;
    C->over_budget = 0;
    C->interrupted = 0;
    C->sink_failed = 0;
    C->work = 0;
    C->over_work = 0;

    /* admissible vacuum pieces */
    C->vacuum_pieces_len = 0;
    C->vacuum_pieces = NULL;
    if (!(C->prune & NEFT_PRUNE_VACUUM) && !(connected_only && n > 0))
    {
        slong t, j, ncoup = C->th->length, alloc = 0;
        for (t = 0; t < C->nmu; t++)
        {
            slong bucket;
            if (C->mutot[t] == 0)
                continue;
            bucket = _neft_pieces_get(C->P, 0, C->mus + t * ncoup);
            if (bucket < 0)
            {
                flint_free(C->vacuum_pieces);
                C->vacuum_pieces = NULL;
                return C->P->interrupted ? NEFT_EXPAND_INTERRUPTED : NEFT_EXPAND_BUDGET;
            }
            for (j = 0; j < C->P->bucket_len[bucket]; j++)
            {
                slong pi = C->P->bucket_items[bucket][j];
                if (!_piece_allowed(C, C->P->pieces + pi))
                    continue;
                if (C->vacuum_pieces_len == alloc)
                {
                    alloc = FLINT_MAX(16, 2 * alloc);
                    C->vacuum_pieces = flint_realloc(C->vacuum_pieces, sizeof(slong) * alloc);
                }
                C->vacuum_pieces[C->vacuum_pieces_len++] = pi;
            }
        }
    }

    /* set partitions of the external points as restricted growth strings */
    for (i = 0; i < n; i++)
        a[i] = 0;
    for (;;)
    {
        if (++C->work > _work_budget(C->budget))
        {
            C->over_work = 1;
            C->over_budget = 1;
            break;
        }
        nb = 0;
        for (i = 0; i < n; i++)
            nb = FLINT_MAX(nb, a[i] + 1);
        if (!(connected_only && nb > 1))
        {
            C->nblocks = nb;
            for (i = 0; i < nb; i++)
                C->block_size[i] = 0;
            for (i = 0; i < n; i++)
                C->block_ext[a[i]][C->block_size[a[i]]++] = i;
            C->nchosen = 0;
            _blocks(C, 0, C->order);
            if (C->over_budget || C->P->over_budget)
                break;
        }
        /* next restricted growth string */
        for (i = n - 1; i > 0; i--)
        {
            slong mx = 0, j;
            for (j = 0; j < i; j++)
                mx = FLINT_MAX(mx, a[j]);
            if (a[i] <= mx)
            {
                a[i]++;
                for (j = i + 1; j < n; j++)
                    a[j] = 0;
                break;
            }
        }
        if (i <= 0)
            break;
    }
    flint_free(C->vacuum_pieces);
    C->vacuum_pieces = NULL;
    if (C->interrupted || C->P->interrupted)
        return NEFT_EXPAND_INTERRUPTED;
    if (C->sink_failed)
        return NEFT_EXPAND_SINK;
    return (C->over_budget || C->P->over_budget) ? NEFT_EXPAND_BUDGET : NEFT_EXPAND_SUCCESS;
}

/* Direct mode (connected diagrams with external points, streamed): the
   pieces with all n externals are the diagrams; each is built and sent as
   soon as it is generated, and never stored. */
static int
_direct_piece(void * arg, const _neft_piece_struct * p)
{
    _compose_struct * C = arg;
    C->direct_piece = p;
    C->nchosen = 1;
    C->count = 0;
    C->targeted = 0;    /* the piece has exactly the target's vertices */
    _finish(C, 0, C->order - p->m);
    C->targeted = 1;
    C->streamed += C->count;
    C->direct_piece = NULL;
    if (C->sink_failed)
        return 1;
    if (C->interrupted)
        return 1;
    return 0;
}

/* Monomials of total t in the order of the held output: the exponent of the
   first coupling largest first, then the second, ...  Calls _run for each,
   targeted, until one fails. */
static int
_run_targets(_compose_struct * C, slong c, slong left)
{
    slong ncoup = C->th->length, e;
    int status;

    if (c == ncoup - 1)
    {
        C->rem[c] = left;
        if (C->direct)
        {
            slong i;
            C->nblocks = 1;
            C->block_size[0] = C->n;
            for (i = 0; i < C->n; i++)
                C->block_ext[0][i] = i;
            C->over_budget = 0;
            if (_neft_pieces_direct(C->P, C->n, C->rem, _direct_piece, C) == 0)
                return NEFT_EXPAND_SUCCESS;
            if (C->interrupted || C->P->interrupted)
                return NEFT_EXPAND_INTERRUPTED;
            if (C->sink_failed)
                return NEFT_EXPAND_SINK;
            return NEFT_EXPAND_BUDGET;
        }
        status = _run(C);
        C->streamed += C->count;
        return status;
    }
    for (e = left; e >= 0; e--)
    {
        C->rem[c] = e;
        status = _run_targets(C, c + 1, left - e);
        if (status != NEFT_EXPAND_SUCCESS)
            return status;
    }
    return NEFT_EXPAND_SUCCESS;
}

int
_neft_compose(neft_expansion_t ex, slong * count, _neft_pieces_t P, const neft_theory_t th,
              slong n, slong order, unsigned prune, slong budget, int * over_work,
              slong min_order, int mode, const neft_expand_sink_struct * sink,
              slong * by_order)
{
    _compose_struct * C = flint_malloc(sizeof(_compose_struct));
    int status;

    memset(C, 0, sizeof(_compose_struct));
    C->P = P;
    C->th = th;
    C->n = n;
    C->order = order;
    C->prune = prune;
    C->budget = budget;
    C->ex = ex;
    C->min_order = min_order;
    C->by_order = by_order;
    _make_mus(C);

    C->build = 0;
    status = mode == 2 ? NEFT_EXPAND_SUCCESS : _run(C);
    *count = C->count;
    C->by_order = NULL;
    if (status == NEFT_EXPAND_SUCCESS && mode == 1)
    {
        C->build = 1;
        status = _run(C);
    }
    else if (status == NEFT_EXPAND_SUCCESS && mode == 2)
    {
        slong t;
        if (sink->begin != NULL && sink->begin(ex, sink->arg) != 0)
            status = NEFT_EXPAND_SINK;
        C->build = 1;
        C->sink = sink;
        C->targeted = 1;
        C->direct = n > 0 && (prune & (NEFT_PRUNE_CONNECTED | NEFT_PRUNE_1PI));
        /* terms are not held: the budget bounds the pieces (and the estimate
           the terms, before the start) */
        C->budget = WORD_MAX;
        for (t = FLINT_MAX(min_order, 0); t <= order && status == NEFT_EXPAND_SUCCESS; t++)
            status = _run_targets(C, 0, t);
        *count = C->streamed;
    }
    *over_work = C->over_work;
    flint_free(C->mus);
    flint_free(C->mutot);
    flint_free(C);
    return status;
}
