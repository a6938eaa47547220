/* Expansions: storage, and the driver neft_expand (validate, generate the
   connected pieces, compose, sort). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/expand.h"
#include "neft/interrupt.h"
#include "compose.h"

void
neft_expansion_init(neft_expansion_t ex)
{
    ex->n = ex->order = 0;
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
        r[i].m = ex->terms[i].m;
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

int
neft_expand(neft_expansion_t ex, const neft_theory_t th, slong n, slong order,
            unsigned prune, const neft_expand_opt_t opt, char * err, size_t errsize)
{
    _neft_pieces_t P;
    slong count = 0;
    int over_work = 0;
    int status;

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

    ex->n = n;
    ex->order = order;
    ex->prune = prune;
    neft_theory_set(ex->theory, th);

    _neft_pieces_init(P, ex->theory, prune, opt->max_terms);
    status = _neft_compose(ex, &count, P, ex->theory, n, order, prune, opt->max_terms,
                           &over_work);
    if (neft_interrupted())
    {
        status = NEFT_EXPAND_INTERRUPTED;
        _expansion_reset(ex);
        snprintf(err, errsize, "interrupted while generating G^(%ld) to order %ld",
                 (long) n, (long) order);
    }
    else if (status == NEFT_EXPAND_BUDGET)
    {
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
                     "(about 1 KB of memory per piece)",
                     (long) n, (long) order, (long) opt->max_terms);
        else
            snprintf(err, errsize, "G^(%ld) to order %ld has more than %ld terms "
                     "(budget exceeded); raise it with --max-terms N "
                     "(about 200 bytes of memory per term, plus the output)",
                     (long) n, (long) order, (long) opt->max_terms);
    }
    else
        _sort_terms(ex);
    _neft_pieces_clear(P);
    return status;
}
