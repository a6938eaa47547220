/* Connected pieces: every connected multigraph with k labelled external points
   (degree 1) and a given multiset of typed internal vertices (degree = legs),
   once per isomorphism class, with its exact coefficient.
 *
 * The graphs are built leg by leg without enumerating Wick pairings: a free
 * leg of the first reached element is joined to one representative of each
 * class of equivalent targets -- itself (self-loop), a reached element (twins,
 * i.e. same type, free legs and adjacency, count once), an unreached external
 * point, or the first untouched vertex of each type.  Only legs of reached
 * elements are paired, so every output is connected and a branch dies as soon
 * as the reached part closes off.  Every isomorphism class is produced at
 * least once (the skipped targets are images of a kept one under an
 * automorphism of the partial graph).  The remaining duplicates (2-4 per
 * class) are recognised by the orderly test (orderly.c) before any canonical
 * form: only the first graph of each class in the search's order is kept,
 * given its canonical form (canon.c, which also yields |Aut_V| for the
 * coefficient), and, if held, its key. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "neft/interrupt.h"
#include "pieces.h"
#include "orderly.h"

#define NMAX NEFT_DIAGRAM_MAX_VERTICES

typedef struct
{
    _neft_pieces_struct * P;
    slong bucket;
    int N, k;
    int legs[NMAX];
    slong type[NMAX];       /* -1 for external points */
    unsigned char A[NMAX * NMAX];
    uint64_t nbr[NMAX];     /* neighbours other than itself, as A */
    int freel[NMAX];
    int reached[NMAX];
    int ord[NMAX];
    int nreached;
    int reached_free;       /* free legs on reached elements */
    ulong calls;            /* of _rec, to poll neft_interrupted() */
    uint64_t closed_at[NMAX + 1];  /* closed internal vertices when the session
                               at position p began (along the current path) */
    int ties[NMAX + 1];     /* ties[p]: sessions before position p that created
                               two new vertices of one type with the same
                               multiplicity (valid along the current path) */
    _neft_orderly_record_struct rec;   /* codes of the sessions done, likewise */
}
_gen_struct;

static void
_bucket_push(_neft_pieces_struct * P, slong b, slong item)
{
    slong len = P->bucket_len[b];
    if ((len & (len - 1)) == 0)
        P->bucket_items[b] = flint_realloc(P->bucket_items[b],
                                           sizeof(slong) * FLINT_MAX(2 * len, 4));
    P->bucket_items[b][len] = item;
    P->bucket_len[b] = len + 1;
}

static int _closed_bad_bridge(const _gen_struct * g);

/* Whether a finished piece may appear in some diagram under P->prune: not
   when it has a proper self-energy part, a tadpole, an internal bridge (1PI)
   or is a two-point component with vertices, as those rules ask.  The same
   conditions as compose.c's _piece_allowed on pieces with external points;
   vacuum pieces are decided there.  The predicates are computed only for the
   rules asked, so a piece that passes has none of those (its flags, all 0,
   are what compose.c reads). */
static int
_leaf_allowed(const _gen_struct * g)
{
    unsigned pr = g->P->prune;
    int k = g->k, m = g->N - g->k;
    if ((pr & NEFT_PRUNE_TWO_POINT_COMPONENT) && k == 2 && m > 0)
        return 0;
    if ((pr & (NEFT_PRUNE_TADPOLE | NEFT_PRUNE_1PI)) && _closed_bad_bridge(g))
        return 0;
    if ((pr & NEFT_PRUNE_SELF_ENERGY) && _neft_diagram_self_energy(g->A, k, m, 1))
        return 0;
    return 1;
}

/* Direct mode: a new class (the orderly test said so) goes to P->direct
   and is not stored; nothing of it is held afterwards. */
static void
_emit_direct(_gen_struct * g, const int * lab, ulong aut)
{
    _neft_pieces_struct * P = g->P;
    int N = g->N, k = g->k, i, j;
    unsigned char A[NMAX * NMAX];
    slong type[NMAX];
    _neft_piece_struct p;

    if (++P->direct_count > P->max_pieces)
    {
        P->over_budget = 1;
        return;
    }
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            A[i * N + j] = g->A[lab[i] * N + lab[j]];
    for (i = k; i < N; i++)
        type[i - k] = g->type[lab[i]];
    p.k = k;
    p.m = N - k;
    p.A = A;
    p.type = type;
    p.se_proper = 0;
    p.tadpole = 0;
    p.internal_bridge = 0;
    fmpq_init(p.coeff);
    _neft_diagram_coeff_from_adjacency(p.coeff, k, N - k, p.type, p.A, aut, P->th);
    if (P->direct(P->direct_arg, &p) != 0)
    {
        P->direct_failed = 1;
        P->over_budget = 1;
    }
    fmpq_clear(p.coeff);
}

static void
_emit(_gen_struct * g)
{
    _neft_pieces_struct * P = g->P;
    int N = g->N, k = g->k, colour[NMAX], lab[NMAX], i, j;
    unsigned char key[NEFT_DIAGRAM_KEY_MAX];
    slong len, idx;
    ulong aut, aut_orderly = 0;
    int first;
    _neft_piece_struct * p;

    /* The pruning predicates are invariant: evaluated on the leaf, they
       reject a piece no composition may use before its canonical form is
       computed (most leaves, for 1PI or self-energy pruning). */
    if (!_leaf_allowed(g))
        return;
    /* Only the first graph of each class in the search's order goes on
       (orderly.c): the duplicates stop here, before the canonical form. */
    first = _neft_orderly_first(&aut_orderly, g->A, g->nbr, N, k, g->type, g->ord);
    if (first == 0)
    {
        P->duplicates++;
        return;
    }
    for (i = 0; i < N; i++)
        colour[i] = i < k ? i : (int) (k + g->type[i]);
    aut = _neft_canon(lab, N, colour, g->A);
    P->canonical++;
    if (first < 0 || aut != aut_orderly)
        P->model_errors++;
    if (P->direct != NULL)
    {
        _emit_direct(g, lab, aut);
        return;
    }
    /* held pieces are still merged by canonical key, a check of the orderly
       test that costs little (only the kept graphs get here): a key seen
       twice would be a defect of the test, counted and merged */
    len = _neft_canon_key(key, N, colour, g->A, lab);
    idx = _neft_keymap_lookup_insert(P->dedup, key, len, P->length);
    if (idx >= 0)
    {
        P->model_errors++;
        return;
    }

    if (P->length == P->alloc)
    {
        P->alloc = FLINT_MAX(16, 2 * P->alloc);
        P->pieces = flint_realloc(P->pieces, sizeof(_neft_piece_struct) * P->alloc);
    }
    p = P->pieces + P->length;
    p->k = k;
    p->m = N - k;
    p->A = flint_malloc(FLINT_MAX(N * N, 1));
    p->type = flint_malloc(sizeof(slong) * FLINT_MAX(N - k, 1));
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            p->A[i * N + j] = g->A[lab[i] * N + lab[j]];
    for (i = k; i < N; i++)
        p->type[i - k] = g->type[lab[i]];
    fmpq_init(p->coeff);
    _neft_diagram_coeff_from_adjacency(p->coeff, k, N - k, p->type, p->A, aut, P->th);
    p->se_proper = 0;
    p->tadpole = 0;
    p->internal_bridge = 0;
    _bucket_push(P, g->bucket, P->length);
    P->length++;
    if (P->length > P->max_pieces)
        P->over_budget = 1;
}

/* w1, w2 interchangeable in the current partial graph */
static int
_twins(const _gen_struct * g, int a, int b)
{
    int N = g->N, x;
    if (g->type[a] != g->type[b] || g->freel[a] != g->freel[b]
        || g->A[a * N + a] != g->A[b * N + b])
        return 0;
    for (x = 0; x < N; x++)
        if (x != a && x != b && g->A[a * N + x] != g->A[b * N + x])
            return 0;
    return 1;
}

/* Target keys within one session (all legs of the current element u): the
   targets of u's successive legs must have non-decreasing keys, so that each
   multiset of targets is produced once, not once per order of u's legs.
   Categories: 0 self-loop; 1 an element reached before the session (by
   position); 2 an unreached external point (by index); 3 a vertex created in
   this session (by type, then creation rank). */
typedef struct
{
    int cat, a, b;
}
_key;

static int
_key_ge(_key x, _key y)
{
    if (x.cat != y.cat)
        return x.cat > y.cat;
    if (x.a != y.a)
        return x.a > y.a;
    return x.b >= y.b;
}

static void _rec(_gen_struct * g, int pos, _key last, int sess);
static void _generate(_neft_pieces_struct * P, slong b, slong k, const slong * mu);

/* joins one free leg of u to t and recurses; t_new marks an unreached target */
static void
_join(_gen_struct * g, int pos, int u, int t, int t_new, _key key, int sess)
{
    int N = g->N, df;

    if (u == t)
    {
        g->A[u * N + u]++;
        g->freel[u] -= 2;
        df = -2;
    }
    else
    {
        g->A[u * N + t]++;
        g->A[t * N + u]++;
        g->nbr[u] |= UINT64_C(1) << t;
        g->nbr[t] |= UINT64_C(1) << u;
        g->freel[u]--;
        g->freel[t]--;
        df = t_new ? g->legs[t] - 2 : -2;
        if (t_new)
        {
            g->reached[t] = 1;
            g->ord[g->nreached++] = t;
        }
    }
    g->reached_free += df;

    if (!(g->reached_free == 0 && g->nreached < N))
        _rec(g, pos, key, sess);

    g->reached_free -= df;
    if (u == t)
    {
        g->A[u * N + u]--;
        g->freel[u] += 2;
    }
    else
    {
        g->A[u * N + t]--;
        g->A[t * N + u]--;
        if (g->A[u * N + t] == 0)
        {
            g->nbr[u] &= ~(UINT64_C(1) << t);
            g->nbr[t] &= ~(UINT64_C(1) << u);
        }
        g->freel[u]++;
        g->freel[t]++;
        if (t_new)
        {
            g->reached[t] = 0;
            g->nreached--;
        }
    }
}

/* Bridges of the reached part by one depth-first search (Tarjan's
   low-link; an edge of multiplicity 2 or more is never a bridge).  State of
   the search: discovery times, low-links, and for each vertex the mask of its
   DFS subtree. */
typedef struct
{
    const _gen_struct * g;
    int t;
    int disc[NMAX], low[NMAX];
    uint64_t sub[NMAX];
    uint64_t closed, ext, reached;
    unsigned pr;
    int bad;
}
_bridge_search;

static void
_bridge_dfs(_bridge_search * s, int v, int parent)
{
    const _gen_struct * g = s->g;
    int N = g->N, k = g->k, w;
    const unsigned char * row = g->A + v * N;
    uint64_t rest = g->nbr[v];

    s->disc[v] = s->low[v] = ++s->t;
    s->sub[v] = UINT64_C(1) << v;
    while (rest && !s->bad)
    {
        w = __builtin_ctzll(rest);
        rest &= rest - 1;
        if (s->disc[w] == 0)
        {
            _bridge_dfs(s, w, v);
            if (s->bad)
                return;
            s->sub[v] |= s->sub[w];
            if (s->low[w] < s->low[v])
                s->low[v] = s->low[w];
            if (s->low[w] > s->disc[v] && row[w] == 1)
            {
                /* (v, w) is a bridge; its sides are sub[w] and the rest */
                uint64_t side[2];
                int i;
                side[0] = s->sub[w];
                side[1] = s->reached & ~side[0];
                for (i = 0; i < 2; i++)
                {
                    if ((side[i] & s->closed) != side[i])
                        continue;   /* that side can still grow */
                    if ((s->pr & NEFT_PRUNE_1PI) && v >= k && w >= k)
                        s->bad = 1;
                    if ((s->pr & NEFT_PRUNE_TADPOLE) && (side[i] & s->ext) == 0)
                        s->bad = 1;
                }
            }
        }
        else if (w != parent || row[w] >= 2)
        {
            if (s->disc[w] < s->low[v])
                s->low[v] = s->disc[w];
        }
    }
}

/* Early rejection for 1PI and tadpole pruning: 1 if the partial graph has a
   bridge one of whose sides is closed (no free leg left on it), so that it
   stays a bridge in every completion, and that bridge joins two internal
   vertices (1PI) or has a side without external points (tadpole).  On a
   finished graph (every side closed) this is exactly the rule of
   _neft_diagram_bridges for the rules asked; O(N^2) for N elements. */
static int
_closed_bad_bridge(const _gen_struct * g)
{
    _bridge_search s;
    int k = g->k, a, i;

    s.g = g;
    s.t = 0;
    s.closed = s.ext = s.reached = 0;
    s.pr = g->P->prune;
    s.bad = 0;
    for (i = 0; i < g->nreached; i++)
    {
        a = g->ord[i];
        s.reached |= UINT64_C(1) << a;
        if (g->freel[a] == 0)
            s.closed |= UINT64_C(1) << a;
        if (a < k)
            s.ext |= UINT64_C(1) << a;
    }
    if (s.closed == 0)
        return 0;
    memset(s.disc, 0, sizeof(int) * g->N);
    /* the reached part is connected: one search from the first element */
    _bridge_dfs(&s, g->ord[0], -1);
    return s.bad;
}

/* Connected sets S of closed internal vertices containing those of S0, grown
   from the candidates X (forbidden: F), each once; 1 as soon as one has
   exactly two legs leaving it (ends) and is not every internal vertex. */
static int
_se_grow(const _gen_struct * g, uint64_t S, int ends, uint64_t X, uint64_t F,
         uint64_t closed, uint64_t whole)
{
    int N = g->N;
    if (ends == 2 && S != whole)
        return 1;
    while (X)
    {
        int v = __builtin_ctzll(X), e = ends + g->legs[v] - 2 * g->A[v * N + v];
        uint64_t in = g->nbr[v] & S;
        X &= X - 1;
        while (in)
        {
            e -= 2 * g->A[v * N + __builtin_ctzll(in)];
            in &= in - 1;
        }
        if (_se_grow(g, S | (UINT64_C(1) << v), e,
                     (X | (g->nbr[v] & closed)) & ~S & ~F & ~(UINT64_C(1) << v), F, closed,
                     whole))
            return 1;
        F |= UINT64_C(1) << v;
    }
    return 0;
}

/* Early rejection for self-energy pruning, at the end of the session at
   position p0 (the next session at pos): 1 if a connected set S of closed
   internal vertices, not all of them, has exactly two legs leaving it -- a
   self-energy part (docs/rules.md) in every completion, since no edge of a
   closed vertex changes.  Only sets with a vertex closed in that session
   are new; the closed set is kept along the path. */
static int
_closed_self_energy(_gen_struct * g, int p0, int pos)
{
    int k = g->k, N = g->N, i;
    uint64_t closed = 0, fresh, F = 0, whole;

    for (i = 0; i < g->nreached; i++)
    {
        int a = g->ord[i];
        if (a >= k && g->freel[a] == 0)
            closed |= UINT64_C(1) << a;
    }
    for (i = p0 + 1; i <= pos; i++)
        g->closed_at[i] = closed;
    fresh = closed & ~g->closed_at[p0];
    whole = (N == 64 ? ~UINT64_C(0) : (UINT64_C(1) << N) - 1) & ~((UINT64_C(1) << k) - 1);
    while (fresh)
    {
        int s = __builtin_ctzll(fresh);
        uint64_t in = UINT64_C(1) << s;
        fresh &= fresh - 1;
        if (_se_grow(g, in, g->legs[s] - 2 * g->A[s * N + s],
                     g->nbr[s] & closed & ~F, F | in, closed, whole))
            return 1;
        F |= in;
    }
    return 0;
}

/* The session of the element at position p0 has ended (it began with sess
   elements reached), and those up to pos - 1 closed without one: their
   codes for the orderly test (orderly.c), in the generator's order of
   targets -- self-loops 0, elements reached before the session 1 + position,
   new external points 65 + index, each new vertex 129 + type then 1 +
   position for its further legs -- and whether two new vertices of one type
   have the same multiplicity (a choice another labelling makes otherwise). */
static void
_record_session(_gen_struct * g, int p0, int sess, int pos)
{
    _neft_orderly_record_struct * rec = &g->rec;
    int N = g->N, k = g->k, u = g->ord[p0], q, c, len = 0, tie = 0, prev = -1;
    int * code = rec->code + rec->off[p0];

    for (c = 0; c < g->A[u * N + u]; c++)
        code[len++] = 0;
    for (q = p0 + 1; q < g->nreached; q++)
    {
        int w = g->ord[q], mult = g->A[u * N + w];
        if (mult == 0)
            continue;
        if (q < sess)
            for (c = 0; c < mult; c++)
                code[len++] = 1 + q;
        else if (w < k)
            code[len++] = 65 + w;
        else
        {
            code[len++] = 129 + (int) g->type[w];
            for (c = 1; c < mult; c++)
                code[len++] = 1 + q;
            if (prev >= 0 && g->type[prev] == g->type[w]
                && g->A[u * N + prev] == mult)
                tie = 1;
            prev = w;
        }
    }
    rec->off[p0 + 1] = rec->off[p0] + len;
    rec->tie[p0] = tie;
    rec->nord[p0] = sess;
    for (q = p0 + 1; q < pos; q++)
    {
        rec->off[q + 1] = rec->off[q];
        rec->tie[q] = 0;
        rec->nord[q] = g->nreached;
    }
}

static void
_rec(_gen_struct * g, int pos, _key last, int sess)
{
    int N = g->N, k = g->k, u, i, j, w, p0 = pos;
    slong last_type;
    _key key;

    if (g->P->over_budget)
        return;
    if ((++g->calls & 4095) == 0 && neft_interrupted())
    {
        g->P->interrupted = 1;
        g->P->over_budget = 1;
        return;
    }
    while (pos < g->nreached && g->freel[g->ord[pos]] == 0)
        pos++;
    if (pos == g->nreached)
    {
        if (g->nreached == N)
        {
            if (++g->P->leaves > g->P->max_leaves)
                g->P->over_budget = 1;
            else
                _emit(g);
        }
        return;
    }
    if (pos != p0 || sess < 0)
    {
        /* a new session: u = ord[pos] pairs all its legs from here */
        int old_sess = sess;
        last.cat = -1;
        last.a = last.b = 0;
        sess = g->nreached;
        /* an element just closed: a bridge may have become permanent */
        if (pos != p0 && (g->P->prune & (NEFT_PRUNE_1PI | NEFT_PRUNE_TADPOLE))
            && _closed_bad_bridge(g))
            return;
        /* likewise a self-energy part made of closed vertices */
        if (pos != p0 && (g->P->prune & NEFT_PRUNE_SELF_ENERGY)
            && _closed_self_energy(g, p0, pos))
            return;
        /* a session just ended: if an earlier path already reaches every
           completion of this partial graph, no first graph lies below.
           Without a tie in the sessions done (and a root to choose) the
           labelling is the only one and the test has nothing to try. */
        if (pos != p0)
        {
            _record_session(g, p0, old_sess, pos);
            for (i = p0 + 1; i <= pos; i++)
                g->ties[i] = g->ties[p0] + g->rec.tie[p0];
            if ((g->ties[pos] > 0 || k == 0)
                && !_neft_orderly_partial(g->A, g->nbr, N, k, g->type, g->ord, g->nreached,
                                          g->freel, pos, &g->rec))
            {
                g->P->cut++;
                return;
            }
        }
    }
    u = g->ord[pos];

    key.cat = 0;
    key.a = key.b = 0;
    if (u >= k && g->freel[u] >= 2 && _key_ge(key, last))
        _join(g, pos, u, u, 0, key, sess);

    for (i = pos + 1; i < g->nreached; i++)
    {
        int skip = 0;
        w = g->ord[i];
        if (g->freel[w] == 0)
            continue;
        if (i < sess)
        {
            key.cat = 1;
            key.a = i;
            key.b = 0;
            for (j = pos + 1; j < i && !skip; j++)
                if (g->freel[g->ord[j]] > 0 && _twins(g, g->ord[j], w))
                    skip = 1;
        }
        else
        {
            key.cat = 3;
            key.a = (int) g->type[w];
            key.b = i - sess;
            /* vertices created from u with the same type are twins apart from
               their multiplicity to u: keep those multiplicities non-increasing */
            if (i > sess && g->type[g->ord[i - 1]] == g->type[w]
                && g->A[u * N + w] + 1 > g->A[u * N + g->ord[i - 1]])
                skip = 1;
        }
        if (!skip && _key_ge(key, last))
            _join(g, pos, u, w, 0, key, sess);
    }

    key.cat = 2;
    key.b = 0;
    for (j = 0; j < k; j++)
    {
        key.a = j;
        if (!g->reached[j] && _key_ge(key, last))
            _join(g, pos, u, j, 1, key, sess);
    }

    /* internal vertices are sorted by type: the first untouched of each type */
    key.cat = 3;
    key.b = g->nreached - sess;
    last_type = -1;
    for (w = k; w < N; w++)
        if (!g->reached[w] && g->type[w] != last_type)
        {
            last_type = g->type[w];
            key.a = (int) last_type;
            if (_key_ge(key, last))
                _join(g, pos, u, w, 1, key, sess);
        }
}

void
_neft_pieces_init(_neft_pieces_t P, const neft_theory_t th, unsigned prune, slong max_pieces)
{
    P->th = th;
    P->prune = prune;
    P->max_pieces = max_pieces;
    P->max_leaves = max_pieces > WORD_MAX / 64 ? WORD_MAX : 64 * max_pieces;
    P->leaves = 0;
    P->over_budget = 0;
    P->interrupted = 0;
    P->direct = NULL;
    P->direct_arg = NULL;
    P->direct_failed = 0;
    P->direct_count = 0;
    P->duplicates = P->canonical = P->model_errors = P->cut = 0;
    P->length = P->alloc = 0;
    P->pieces = NULL;
    _neft_keymap_init(P->dedup);
    _neft_keymap_init(P->index);
    P->nbuckets = P->bucket_alloc = 0;
    P->bucket_items = NULL;
    P->bucket_len = NULL;
}

void
_neft_pieces_clear(_neft_pieces_t P)
{
    if (getenv("NEFT_STATS"))
        fprintf(stderr, "pieces %ld leaves %ld duplicates %ld canonical %ld model-errors %ld "
                "cut %ld\n", (long) P->length, (long) P->leaves, (long) P->duplicates,
                (long) P->canonical, (long) P->model_errors, (long) P->cut);
    _neft_pieces_clear_quiet(P);
}

void
_neft_pieces_clear_quiet(_neft_pieces_t P)
{
    slong i;
    for (i = 0; i < P->length; i++)
    {
        flint_free(P->pieces[i].A);
        flint_free(P->pieces[i].type);
        fmpq_clear(P->pieces[i].coeff);
    }
    flint_free(P->pieces);
    for (i = 0; i < P->nbuckets; i++)
        flint_free(P->bucket_items[i]);
    flint_free(P->bucket_items);
    flint_free(P->bucket_len);
    _neft_keymap_clear(P->dedup);
    _neft_keymap_clear(P->index);
}

slong
_neft_pieces_get(_neft_pieces_t P, slong k, const slong * mu)
{
    unsigned char key[1 + NEFT_THEORY_COUPLINGS_MAX];
    const neft_theory_struct * th = P->th;
    slong b, c, m = 0, legs = k;

    key[0] = (unsigned char) k;
    for (c = 0; c < th->length; c++)
    {
        key[1 + c] = (unsigned char) mu[c];
        m += mu[c];
        legs += mu[c] * th->couplings[c].legs;
    }
    b = _neft_keymap_lookup_insert(P->index, key, 1 + th->length, P->nbuckets);
    if (b >= 0)
        return P->over_budget ? -1 : b;

    b = P->nbuckets;
    if (b == P->bucket_alloc)
    {
        P->bucket_alloc = FLINT_MAX(16, 2 * P->bucket_alloc);
        P->bucket_items = flint_realloc(P->bucket_items, sizeof(slong *) * P->bucket_alloc);
        P->bucket_len = flint_realloc(P->bucket_len, sizeof(slong) * P->bucket_alloc);
    }
    P->bucket_items[b] = NULL;
    P->bucket_len[b] = 0;
    P->nbuckets++;

    if (legs % 2 != 0 || k + m == 0 || k + m > NEFT_DIAGRAM_MAX_VERTICES)
        return b;
    _generate(P, b, k, mu);
    return P->over_budget ? -1 : b;
}

int
_neft_pieces_direct(_neft_pieces_t P, slong k, const slong * mu,
                    int (*direct)(void * arg, const _neft_piece_struct * p), void * arg)
{
    const neft_theory_struct * th = P->th;
    slong c, m = 0, legs = k;

    for (c = 0; c < th->length; c++)
    {
        m += mu[c];
        legs += mu[c] * th->couplings[c].legs;
    }
    if (legs % 2 != 0 || k + m == 0 || k + m > NEFT_DIAGRAM_MAX_VERTICES)
        return 0;
    P->direct_count = 0;
    P->direct = direct;
    P->direct_arg = arg;
    _generate(P, -1, k, mu);
    P->direct = NULL;
    P->direct_arg = NULL;
    return P->over_budget ? -1 : 0;
}

/* Runs the generator for (k, mu) into bucket b (direct mode: b unused). */
static void
_generate(_neft_pieces_struct * P, slong b, slong k, const slong * mu)
{
    const neft_theory_struct * th = P->th;
    slong c, i, m = 0;
    _gen_struct * g;

    for (c = 0; c < th->length; c++)
        m += mu[c];
    g = flint_malloc(sizeof(_gen_struct));
    memset(g, 0, sizeof(_gen_struct));
    g->P = P;
    g->bucket = b;
    g->N = (int) (k + m);
    g->k = (int) k;
    for (i = 0; i < k; i++)
    {
        g->legs[i] = 1;
        g->type[i] = -1;
    }
    for (c = 0; c < th->length; c++)
        for (slong r = 0; r < mu[c]; r++, i++)
        {
            g->legs[i] = (int) th->couplings[c].legs;
            g->type[i] = c;
        }
    for (i = 0; i < g->N; i++)
        g->freel[i] = g->legs[i];
    g->reached[0] = 1;
    g->ord[0] = 0;
    g->nreached = 1;
    g->reached_free = g->legs[0];
    {
        _key none = {-1, 0, 0};
        _rec(g, 0, none, -1);
    }
    flint_free(g);
}
