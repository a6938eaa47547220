/* Expansions: storage, and the driver neft_expand (validate, generate the
   connected pieces, compose, sort). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "neft/expand.h"
#include "neft/interrupt.h"
#include "compose.h"
#include "split.h"

void
neft_expansion_init(neft_expansion_t ex)
{
    ex->n = ex->order = ex->min_order = 0;
    ex->prune = 0;
    neft_theory_init(ex->theory);
    ex->length = ex->alloc = 0;
    ex->terms = NULL;
}

static void
_expansion_reset(neft_expansion_t ex)
{
    slong i;
    for (i = 0; i < ex->length; i++)
        neft_diagram_clear(ex->terms + i);
    flint_free(ex->terms);
    ex->terms = NULL;
    ex->length = ex->alloc = 0;
}

void
neft_expansion_clear(neft_expansion_t ex)
{
    _expansion_reset(ex);
    neft_theory_clear(ex->theory);
}

void
neft_expansion_append(neft_expansion_t ex, const neft_diagram_t d)
{
    if (ex->length == ex->alloc)
    {
        ex->alloc = FLINT_MAX(16, 2 * ex->alloc);
        ex->terms = flint_realloc(ex->terms, sizeof(neft_diagram_struct) * ex->alloc);
    }
    neft_diagram_init(ex->terms + ex->length);
    neft_diagram_set(ex->terms + ex->length, d);
    ex->length++;
}

void
neft_expand_opt_init(neft_expand_opt_t opt)
{
    opt->max_terms = NEFT_EXPAND_DEFAULT_MAX_TERMS;
    opt->verbose = 0;
    opt->min_order = 0;
}

/* Sort record: total order, exponents, then the edge list. */
typedef struct
{
    slong m;
    slong e[NEFT_THEORY_COUPLINGS_MAX];
    slong ncoup;
    neft_diagram_struct * d;
}
_sort_rec;

static int
_rec_cmp(const void * pa, const void * pb)
{
    const _sort_rec * a = pa, * b = pb;
    slong i, len;
    if (a->m != b->m)
        return a->m < b->m ? -1 : 1;
    for (i = 0; i < a->ncoup; i++)
        if (a->e[i] != b->e[i])
            return a->e[i] > b->e[i] ? -1 : 1;   /* lambda before kappa */
    if (a->d->nedges != b->d->nedges)
        return a->d->nedges < b->d->nedges ? -1 : 1;
    len = 2 * a->d->nedges;
    for (i = 0; i < len; i++)
        if (a->d->edges[i] != b->d->edges[i])
            return a->d->edges[i] < b->d->edges[i] ? -1 : 1;
    for (i = 0; i < a->m; i++)
        if (a->d->type[i] != b->d->type[i])
            return a->d->type[i] < b->d->type[i] ? -1 : 1;
    return 0;
}

static void
_sort_terms(neft_expansion_t ex)
{
    _sort_rec * r;
    neft_diagram_struct * t;
    slong i;

    if (ex->length < 2)
        return;
    r = flint_malloc(sizeof(_sort_rec) * ex->length);
    for (i = 0; i < ex->length; i++)
    {
        r[i].m = neft_diagram_vertices(ex->terms + i);
        r[i].ncoup = ex->theory->length;
        neft_diagram_powers(r[i].e, ex->terms + i, ex->theory->length);
        r[i].d = ex->terms + i;
    }
    qsort(r, ex->length, sizeof(_sort_rec), _rec_cmp);
    t = flint_malloc(sizeof(neft_diagram_struct) * ex->alloc);
    for (i = 0; i < ex->length; i++)
        t[i] = *r[i].d;
    flint_free(ex->terms);
    ex->terms = t;
    flint_free(r);
}

/* Rounds x up to two significant digits (for suggested budgets). */
static double
_round_up2(double x)
{
    double p = 1;
    if (x < 100)
        return ceil(x);
    while (x / p >= 100)
        p *= 10;
    return ceil(x / p) * p;
}

/* Measured on the reference machine (normal build, shared, so rough): per
   term about 4 microseconds of CPU to build and print it in text and 0.6 KB
   when held; per connected piece about 6 microseconds to generate and
   0.5 KB (the piece and its canonical key); streamed connected runs hold
   only the packed keys of one vertex multiset, about 70 bytes each with the
   hash table (phi^4 4-point V = 8: 43 MB for 531 606 keys, 8 MB of it the
   process itself). */
#define _SECONDS_PER_TERM 4e-6
#define _SECONDS_PER_PIECE 6e-6
#define _BYTES_PER_TERM 600.0
#define _BYTES_PER_PIECE 500.0

/* Counts by number of vertices of the terms to order j, and of the
   connected pieces generated on the way (no building). */
static int
_count_by_order(slong * by, slong * pby, const neft_theory_t th, slong n, slong j,
                unsigned prune, slong budget)
{
    _neft_pieces_t P;
    neft_expansion_t ex;
    slong count = 0, i;
    int over_work = 0, status;

    for (i = 0; i <= j; i++)
        by[i] = pby[i] = 0;
    neft_expansion_init(ex);
    _neft_pieces_init(P, th, prune, budget);
    status = _neft_compose(ex, &count, P, th, n, j, prune, budget, &over_work, 0, 0, NULL, by);
    for (i = 0; i < P->length; i++)
        pby[P->pieces[i].m]++;
    _neft_pieces_clear_quiet(P);
    neft_expansion_clear(ex);
    return status;
}

/* e[0..base] known (e[base - k step] != 0 for k = 0, 1, 2): fills
   e[base+1..order], the ratio per step growing by the last factor q (kept
   in [1, 1.3]), zero off the step. */
static void
_extrapolate(double * e, slong base, slong order, slong step)
{
    double r = e[base] / e[base - step], q = r / (e[base - step] / e[base - 2 * step]);
    slong j;

    /* at low orders the growth of the ratio is erratic (mixed theories:
       8.5 then 10.2 then 13): between 1 and 1.3, what later orders show */
    q = FLINT_MIN(FLINT_MAX(q, 1.0), 1.3);
    for (j = base + 1; j <= order; j++)
        e[j] = 0;
    for (j = base + step; j <= order; j += step)
    {
        r *= q;
        e[j] = e[j - step] * r;
    }
}

/* The order to extrapolate from, given exact counts to order last (-1:
   none): last, or last - 1 when a parity rule (phi^3 two-point: even orders
   only) leaves it empty, with *step = 2 then; -1 if the three counts a step
   apart that extrapolation needs are not all non-zero. */
static slong
_base_of(const double * e, const double * pe, slong last, slong order, slong * step)
{
    slong base = last;
    *step = 1;
    if (base < 0 || base >= order)
        return -1;
    if (e[base] == 0 || (base > 0 && e[base - 1] == 0))
        *step = 2;
    if (e[base] == 0)
        base--;
    if (base - 2 * *step < 0 || e[base] == 0 || e[base - *step] == 0
        || e[base - 2 * *step] == 0 || pe[base] == 0 || pe[base - *step] == 0
        || pe[base - 2 * *step] == 0)
        return -1;
    return base;
}

int
neft_expand_estimate(double * terms, double * seconds, double * bytes,
                     const neft_theory_t th, slong n, slong order, unsigned prune,
                     const neft_expand_opt_t opt, int stream)
{
    slong by[NEFT_DIAGRAM_MAX_VERTICES + 1], pby[NEFT_DIAGRAM_MAX_VERTICES + 1];
    slong j, base, step = 1, m0, b, last;
    int big = 0;
    double e[NEFT_DIAGRAM_MAX_VERTICES + 1], pe[NEFT_DIAGRAM_MAX_VERTICES + 1];
    double total = 0, pieces = 0;
    /* the trial runs have their own budget: a small --max-terms must not
       stop the estimate that tells how large it should be */
    slong budget = FLINT_MAX(opt->max_terms / 16, 100000);

    if (n < 0 || order < 0 || n + order > NEFT_DIAGRAM_MAX_VERTICES / 2 || th->length < 1)
        return -1;
    if (neft_theory_has_nonlocal(th))
    {
        /* the fused theory's counts: a lower bound on the split terms */
        neft_theory_t fth;
        int r;
        neft_theory_init(fth);
        neft_theory_fuse(fth, th);
        r = neft_expand_estimate(terms, seconds, bytes, fth, n, order, prune, opt, stream);
        neft_theory_clear(fth);
        return r;
    }
    m0 = FLINT_MAX(opt->min_order, 0);
    /* counted exactly up to order - 3 at most, ascending while the counts
       stay well below the trial budget (each order costs about 1/7 of the
       next), then extrapolated; counted exactly at order when that cannot be
       done (small orders, too few orders with terms even at order - 1) */
    last = -1;
    for (b = FLINT_MIN(2, order); b <= FLINT_MAX(order - 3, FLINT_MIN(2, order)); b++)
    {
        slong tot = 0;
        if (_count_by_order(by, pby, th, n, b, prune, budget) != NEFT_EXPAND_SUCCESS)
            break;
        last = b;
        for (j = 0; j <= b; j++)
        {
            e[j] = (double) by[j];
            pe[j] = (double) pby[j];
            tot += by[j] + pby[j];
        }
        if (tot > budget / 8)
        {
            big = 1;
            break;
        }
    }
    /* extrapolation needs three non-zero counts a step apart; when the
       orders up to order - 3 do not show them (phi^4 4-point to order 5,
       phi^3 4-point to 8: too few orders with terms), count one order more
       at a time, up to order - 1, rather than the whole order exactly (which
       costs as much as the run: the estimate would double it); orders up to
       4 stay exact */
    for (;;)
    {
        base = _base_of(e, pe, last, order, &step);
        slong tot = 0;
        base = _base_of(e, pe, last, order, &step);
        if (base >= 0 || big || last < 0 || last + 1 >= order || order <= 4)
            break;
        if (_count_by_order(by, pby, th, n, last + 1, prune, budget) != NEFT_EXPAND_SUCCESS)
            break;
        last++;
        for (j = 0; j <= last; j++)
        {
            e[j] = (double) by[j];
            pe[j] = (double) pby[j];
            tot += by[j] + pby[j];
        }
        big = tot > budget / 8;
    }
    if (base >= 0)
    {
        _extrapolate(e, base, order, step);
        _extrapolate(pe, base, order, step);
    }
    if (base < 0)
    {
        if (_count_by_order(by, pby, th, n, order, prune, budget) != NEFT_EXPAND_SUCCESS)
            return -1;
        for (j = 0; j <= order; j++)
        {
            e[j] = (double) by[j];
            pe[j] = (double) pby[j];
        }
    }
    for (j = 0; j <= order; j++)
    {
        if (j >= m0)
            total += e[j];
        pieces += pe[j];
    }
    /* the budget bounds both the terms and the pieces */
    *terms = FLINT_MAX(total, pieces);
    *seconds = total * _SECONDS_PER_TERM + pieces * _SECONDS_PER_PIECE;
    *bytes = (stream ? 0 : total * _BYTES_PER_TERM) + pieces * _BYTES_PER_PIECE;
    if (stream && n > 0 && (prune & (NEFT_PRUNE_CONNECTED | NEFT_PRUNE_1PI)))
        *bytes = 8e6;   /* direct mode: nothing held per term or class */
    return 0;
}

/* The refusal when the estimate is over the budget: what the run needs and
   the --max-terms value that lets it through (twice the estimate: the
   extrapolation is rough). */
static void
_refuse(char * err, size_t errsize, slong n, slong order, double terms, double seconds,
        double bytes, slong budget)
{
    snprintf(err, errsize, "G^(%ld) to order %ld needs about %.2g terms or connected pieces "
             "(estimated from lower orders), about %.0f s and %.0f MB, beyond the budget of "
             "%ld; raise it with --max-terms %.0f", (long) n, (long) order, terms, ceil(seconds),
             ceil(bytes / 1048576.0), (long) budget, _round_up2(2 * terms));
}

/* Non-local vertices (split.c): the split terms of each fused term go to the
   user's sink, or are appended to the expansion. */
typedef struct
{
    const neft_expand_sink_struct * user;
    neft_expansion_struct * ex;
}
_split_sink_struct;

static int
_split_emit(const neft_diagram_struct * d, void * arg)
{
    _split_sink_struct * S = arg;
    if (S->user != NULL)
        return S->user->term(S->ex, d, S->user->arg);
    neft_expansion_append(S->ex, d);
    return 0;
}

static int
_split_begin(const neft_expansion_struct * ex, void * arg)
{
    _split_sink_struct * S = arg;
    return S->user->begin != NULL ? S->user->begin(ex, S->user->arg) : 0;
}

static int
_split_term(const neft_expansion_struct * ex, const neft_diagram_struct * d, void * arg)
{
    _split_sink_struct * S = arg;
    (void) ex;
    return _neft_split_term(d, S->ex->theory, _split_emit, S);
}

/* The held terms of the fused theory replaced by their split terms (more
   than max_terms of them: NEFT_EXPAND_BUDGET, as the fused run's own). */
static int
_split_held(neft_expansion_t ex, slong max_terms)
{
    neft_diagram_struct * fused = ex->terms;
    slong len = ex->length, i;
    _split_sink_struct S;
    int r = 0;

    ex->terms = NULL;
    ex->length = ex->alloc = 0;
    S.user = NULL;
    S.ex = ex;
    for (i = 0; i < len; i++)
    {
        if (r == 0 && (i & 63) == 0 && neft_interrupted())
            r = NEFT_EXPAND_INTERRUPTED;
        if (r == 0)
            _neft_split_term(fused + i, ex->theory, _split_emit, &S);
        if (r == 0 && ex->length > max_terms)
            r = NEFT_EXPAND_BUDGET;
        neft_diagram_clear(fused + i);
    }
    flint_free(fused);
    return r;
}

static int
_expand(neft_expansion_t ex, const neft_theory_t th, slong n, slong order, unsigned prune,
        const neft_expand_opt_t opt, int mode, const neft_expand_sink_struct * sink,
        char * err, size_t errsize)
{
    _neft_pieces_t P;
    neft_theory_t fth;
    neft_expand_sink_t split_sink;
    _split_sink_struct S;
    int nonlocal = neft_theory_has_nonlocal(th);
    slong maxp = 1, c;
    slong count = 0;
    int over_work = 0;
    int status;
    double terms = -1, seconds, bytes;

    _expansion_reset(ex);
    if (n < 0 || order < 0 || n + order > NEFT_DIAGRAM_MAX_VERTICES / 2)
    {
        snprintf(err, errsize, "points and order must be >= 0 with points + order <= %d "
                 "(got %ld points, order %ld)", NEFT_DIAGRAM_MAX_VERTICES / 2,
                 (long) n, (long) order);
        return NEFT_EXPAND_INVALID;
    }
    if (th->length < 1)
    {
        snprintf(err, errsize, "the theory has no coupling");
        return NEFT_EXPAND_INVALID;
    }
    if (opt->max_terms < 1)
    {
        snprintf(err, errsize, "the term budget must be positive");
        return NEFT_EXPAND_INVALID;
    }
    if (opt->min_order < 0 || opt->min_order > order)
    {
        snprintf(err, errsize, "the lowest order must be between 0 and the order %ld "
                 "(got %ld)", (long) order, (long) opt->min_order);
        return NEFT_EXPAND_INVALID;
    }
    for (c = 0; c < th->length; c++)
        maxp = FLINT_MAX(maxp, th->couplings[c].npoints);
    if (nonlocal && n + order * (maxp + 1) > NEFT_DIAGRAM_MAX_VERTICES)
    {
        /* each non-local vertex: its points and a hub in the canonical form */
        snprintf(err, errsize, "points + order * (points per vertex + 1) must be <= %d "
                 "with non-local vertices of %ld points (got %ld points, order %ld)",
                 NEFT_DIAGRAM_MAX_VERTICES, (long) maxp, (long) n, (long) order);
        return NEFT_EXPAND_INVALID;
    }

    /* the estimate first: a run far beyond the budget is refused before the
       work (order <= 4 is cheap enough to be counted by the run itself) */
    if (order > 4 && neft_expand_estimate(&terms, &seconds, &bytes, th, n, order, prune,
                                          opt, mode == 2) == 0
        && terms > (double) opt->max_terms)
    {
        _refuse(err, errsize, n, order, terms, seconds, bytes, opt->max_terms);
        return NEFT_EXPAND_BUDGET;
    }
    if (neft_interrupted())
    {
        snprintf(err, errsize, "interrupted");
        return NEFT_EXPAND_INTERRUPTED;
    }

    ex->n = n;
    ex->order = order;
    ex->min_order = opt->min_order;
    ex->prune = prune;
    neft_theory_set(ex->theory, th);

    /* non-local vertices: the fused theory is generated, each term split */
    neft_theory_init(fth);
    neft_theory_fuse(fth, th);
    if (nonlocal && mode == 2)
    {
        S.user = sink;
        S.ex = ex;
        split_sink->begin = _split_begin;
        split_sink->term = _split_term;
        split_sink->arg = &S;
        sink = split_sink;
    }
    _neft_pieces_init(P, fth, prune, opt->max_terms);
    status = _neft_compose(ex, &count, P, fth, n, order, prune, opt->max_terms,
                           &over_work, opt->min_order, mode, sink, NULL);
    if (nonlocal && mode == 1 && status == NEFT_EXPAND_SUCCESS)
        status = _split_held(ex, opt->max_terms);
    if (status == NEFT_EXPAND_BUDGET)
    {
        /* the estimate was too low, or not possible: name a value anyway */
        double suggest = 4.0 * (double) opt->max_terms;
        if (terms < 0 && neft_expand_estimate(&terms, &seconds, &bytes, th, n, order,
                                              prune, opt, mode == 2) != 0)
            terms = -1;
        if (terms > 0)
            suggest = FLINT_MAX(suggest, 4 * terms);
        _expansion_reset(ex);
        if (over_work)
            snprintf(err, errsize, "G^(%ld) to order %ld: more than %ld groupings of the "
                     "external points to try (budget exceeded: 16 * the term budget + "
                     "10^6); raise it with --max-terms N",
                     (long) n, (long) order,
                     (long) (opt->max_terms > (WORD_MAX - 1000000) / 16 ? WORD_MAX
                             : 16 * opt->max_terms + 1000000));
        else if (P->over_budget)
            snprintf(err, errsize, "G^(%ld) to order %ld needs more than %ld connected "
                     "pieces (budget exceeded); raise it with --max-terms N "
                     "(about 1 KB of memory per piece), e.g. --max-terms %.0f",
                     (long) n, (long) order, (long) opt->max_terms, _round_up2(suggest));
        else
            snprintf(err, errsize, "G^(%ld) to order %ld has more than %ld terms "
                     "(budget exceeded); raise it with --max-terms N "
                     "(about 200 bytes of memory per term, plus the output), "
                     "e.g. --max-terms %.0f",
                     (long) n, (long) order, (long) opt->max_terms, _round_up2(suggest));
    }
    else if (status == NEFT_EXPAND_INTERRUPTED)
    {
        _expansion_reset(ex);
        snprintf(err, errsize, "interrupted while generating G^(%ld) to order %ld",
                 (long) n, (long) order);
    }
    else if (status == NEFT_EXPAND_SINK)
        snprintf(err, errsize, "the output stopped the generation");
    else if (mode == 1)
        _sort_terms(ex);
    _neft_pieces_clear(P);
    neft_theory_clear(fth);
    return status;
}

int
neft_expand(neft_expansion_t ex, const neft_theory_t th, slong n, slong order,
            unsigned prune, const neft_expand_opt_t opt, char * err, size_t errsize)
{
    return _expand(ex, th, n, order, prune, opt, 1, NULL, err, errsize);
}

int
neft_expand_stream(neft_expansion_t ex, const neft_theory_t th, slong n, slong order,
                   unsigned prune, const neft_expand_opt_t opt,
                   const neft_expand_sink_t sink, char * err, size_t errsize)
{
    return _expand(ex, th, n, order, prune, opt, 2, sink, err, errsize);
}
