/* The orderly test of the connected-piece generator (connected.c): is a
 * finished graph the first of its isomorphism class in the generator's
 * depth-first order?
 *
 * The generator's path to a finished graph is a function of the labelled
 * graph: sessions in order of position, each pairing the free legs of its
 * element with targets in key order -- self-loops, elements reached before
 * the session (by position), unreached external points (by index), then new
 * vertices by type, each new vertex's legs consecutive.  Encode each choice
 * by the rank the generator tries it at: self-loop 0, the element at
 * position q 1 + q, external j 65 + j, a new vertex of type t 129 + t.  Two
 * paths first differ at a node they share, where the smaller code is tried
 * first, so depth-first order is the lexicographic order of the codes.
 *
 * Another labelling of the same graph differs only in which of the new
 * vertices of equal type and multiplicity to the session's element is
 * created first (and, for vacuum pieces, in the root); a session's codes do
 * not depend on that choice, only the later sessions do.  The search below
 * tries every such choice, session by session, against the codes of the
 * generator's own labelling: a smaller code means an earlier path reaches an
 * isomorphic graph (reject); a larger one cuts the branch; equal codes down
 * to the last session mean the same labelled graph, so their number is the
 * number of colour-preserving automorphisms.  The generator's own skip
 * rules (twins, non-increasing multiplicities) only remove branches whose
 * graphs an earlier branch also reaches, so the first path of a class in the
 * search is never one of them. */

#include <stdint.h>
#include <string.h>
#include "orderly.h"

#define NMAX NEFT_DIAGRAM_MAX_VERTICES
#define SEG_MAX (NMAX * NEFT_THEORY_LEGS_MAX)

typedef struct
{
    int N, k;
    const unsigned char * A;
    const slong * type;
    const uint64_t * nbr;      /* neighbours of each element, itself left out */
    const int * leaf_ord;      /* the generator's own labelling */
    const int * leaf_pos;      /* its inverse */
    int pos_of[NMAX];          /* -1: not reached yet */
    int ord[NMAX];
    int nord;
    int record;                /* first pass: follow leaf_pos, record codes */
    int ref_buf[SEG_MAX];      /* the generator's codes, session by session, */
    int ref_off_buf[NMAX + 1]; /* recorded by the first pass */
    const int * ref;           /* those, or the generator's own record */
    const int * ref_off;
    ulong equal;
    int model_error;           /* the first pass did not rebuild the leaf */
    int ties;                  /* sessions with interchangeable new vertices */
    int tie_buf[NMAX];         /* session p has some (first pass) */
    int nord_buf[NMAX];        /* elements reached before session p (first pass) */
    const int * tie_at;
    const int * nord_at;
    int npos;                  /* sessions complete in the generator's labelling */
    const int * freel;         /* free legs (partial graphs), or NULL */
}
_ord_state;

/* Codes of the session of the element at position p, and the new elements
   it creates in creation order, as groups of interchangeable ones: ext[] the
   new external points (no choice), grp[] the new vertices by (type,
   multiplicity to u descending), grp_start[] the start of each group. */
typedef struct
{
    int len;
    int code[NEFT_THEORY_LEGS_MAX];
    int next;                  /* new external points */
    int ext[NMAX];
    int nv;                    /* new vertices */
    int v[NMAX];
    int ngrp;
    int grp_start[NMAX + 1];
}
_session;

static void
_session_codes(_session * S, const _ord_state * s, int p)
{
    int N = s->N, k = s->k, u = s->ord[p], w, i, c, nq = 0;
    const unsigned char * row = s->A + u * N;
    int mult[NMAX], qs[NEFT_THEORY_LEGS_MAX];
    uint64_t rest = s->nbr[u];

    S->len = 0;
    S->next = 0;
    S->nv = 0;
    S->ngrp = 0;
    if (u >= k)
        for (c = 0; c < row[u]; c++)
            S->code[S->len++] = 0;
    /* neighbours by kind: reached later than u (by position), unreached
       external points (by index), new vertices (by type, multiplicity
       descending, then index) */
    while (rest)
    {
        w = __builtin_ctzll(rest);
        rest &= rest - 1;
        if (s->pos_of[w] >= 0)
        {
            int q = s->pos_of[w];
            if (q < p)
                continue;   /* its session paired these legs */
            for (i = nq++; i > 0 && qs[i - 1] > q; i--)
                qs[i] = qs[i - 1];
            qs[i] = q;
        }
        else if (w < k)
            S->ext[S->next++] = w;
        else
        {
            i = S->nv++;
            mult[w] = row[w];
            while (i > 0)
            {
                int x = S->v[i - 1];
                if (s->type[x] < s->type[w]
                    || (s->type[x] == s->type[w] && mult[x] >= mult[w]))
                    break;
                S->v[i] = x;
                i--;
            }
            S->v[i] = w;
        }
    }
    for (i = 0; i < nq; i++)
        for (c = 0, w = s->ord[qs[i]]; c < row[w]; c++)
            S->code[S->len++] = 1 + qs[i];
    for (i = 0; i < S->next; i++)
        S->code[S->len++] = 65 + S->ext[i];
    w = s->nord + S->next;
    for (i = 0; i < S->nv; i++)
    {
        int v = S->v[i];
        if (i == 0 || s->type[S->v[i - 1]] != s->type[v] || mult[S->v[i - 1]] != mult[v])
            S->grp_start[S->ngrp++] = i;
        S->code[S->len++] = 129 + (int) s->type[v];
        for (c = 1; c < mult[v]; c++)
            S->code[S->len++] = 1 + w + i;
    }
    S->grp_start[S->ngrp] = S->nv;
}

static int _search(_ord_state * s, int p);

/* Places the members of groups gi.. of session S (slot i of the new
   vertices next), then continues with the session at p + 1.  Returns 1 as
   soon as a smaller path is found.  div: -1 any placement; else 0 or 1,
   whether a placement so far differs from the generator's, and the one
   that does not (the generator's own labelling) is left out. */
static int
_place(_ord_state * s, const _session * S, int p, int gi, int i, int div)
{
    int a, r;
    if (i == S->nv)
        return div == 0 ? 0 : _search(s, p + 1);
    if (i == S->grp_start[gi + 1])
        gi++;
    if (s->record)
    {
        /* the generator's own order: the member with the smallest position */
        int best = -1;
        for (a = S->grp_start[gi]; a < S->grp_start[gi + 1]; a++)
            if (s->pos_of[S->v[a]] < 0
                && (best < 0 || s->leaf_pos[S->v[a]] < s->leaf_pos[best]))
                best = S->v[a];
        s->pos_of[best] = s->nord;
        s->ord[s->nord++] = best;
        r = _place(s, S, p, gi, i + 1, div);
        s->nord--;
        s->pos_of[best] = -1;
        return r;
    }
    for (a = S->grp_start[gi]; a < S->grp_start[gi + 1]; a++)
    {
        int w = S->v[a];
        if (s->pos_of[w] >= 0)
            continue;
        s->pos_of[w] = s->nord;
        s->ord[s->nord++] = w;
        r = _place(s, S, p, gi, i + 1,
                   div < 0 ? -1 : (div || s->leaf_pos[w] != s->nord - 1));
        s->nord--;
        s->pos_of[w] = -1;
        if (r)
            return 1;
    }
    return 0;
}

static int
_search(_ord_state * s, int p)
{
    _session S;
    int i, r, cmp = 0;
    const int * ref;

    if (p == s->nord)
    {
        if (s->record)
            s->model_error = s->nord != s->N
                             || memcmp(s->ord, s->leaf_ord, sizeof(int) * s->N) != 0;
        s->equal++;
        return 0;
    }
    /* a partial graph: only complete sessions of closed elements compare */
    if (p >= s->npos || (s->freel != NULL && s->freel[s->ord[p]] > 0))
        return 0;
    if (s->record)
        s->nord_buf[p] = s->nord;
    _session_codes(&S, s, p);
    if (s->record)
    {
        s->tie_buf[p] = 0;
        memcpy(s->ref_buf + s->ref_off_buf[p], S.code, sizeof(int) * S.len);
        s->ref_off_buf[p + 1] = s->ref_off_buf[p] + S.len;
        for (i = 0; i < S.ngrp; i++)
            s->tie_buf[p] |= S.grp_start[i + 1] - S.grp_start[i] > 1;
        s->ties += s->tie_buf[p];
    }
    else
    {
        int rlen = s->ref_off[p + 1] - s->ref_off[p];
        ref = s->ref + s->ref_off[p];
        for (i = 0; i < S.len && i < rlen && cmp == 0; i++)
            cmp = S.code[i] < ref[i] ? -1 : (S.code[i] > ref[i] ? 1 : 0);
        if (cmp == 0 && S.len != rlen)
            cmp = S.len < rlen ? -1 : 1;    /* not reached: equal paths, equal states */
        if (cmp < 0)
            return 1;
        if (cmp > 0)
            return 0;
    }
    for (i = 0; i < S.next; i++)
    {
        s->pos_of[S.ext[i]] = s->nord;
        s->ord[s->nord++] = S.ext[i];
    }
    r = _place(s, &S, p, 0, 0, -1);
    for (i = 0; i < S.next; i++)
        s->pos_of[s->ord[--s->nord]] = -1;
    return r;
}

/* The test on the first npos sessions of a graph with nord elements reached
   (the partial graph of a search node, or with npos = nord = N a finished
   one); freel (NULL when finished) marks the elements still open. */
static int
_orderly(ulong * aut, const unsigned char * A, const uint64_t * nbr, int N, int k,
         const slong * type, const int * ord, int nord, const int * freel, int npos,
         const _neft_orderly_record_struct * rec)
{
    _ord_state s;
    int leaf_pos[NMAX], i, j, p, r, root, roots = 0;

    s.N = N;
    s.k = k;
    s.A = A;
    s.nbr = nbr;
    s.type = type;
    s.leaf_pos = leaf_pos;
    s.freel = freel;
    s.npos = npos;
    for (i = 0; i < N; i++)
        leaf_pos[i] = NMAX;
    for (i = 0; i < nord; i++)
        leaf_pos[ord[i]] = i;
    for (i = 0; i < N; i++)
        s.pos_of[i] = -1;
    s.leaf_ord = ord;
    s.model_error = 0;
    s.ties = 0;
    if (k == 0)
        for (i = 0; i < nord; i++)
            roots += type[ord[i]] == type[ord[0]];

    if (rec == NULL)
    {
        /* the generator's own codes, by the first pass */
        s.record = 1;
        s.equal = 0;
        s.ref_off_buf[0] = 0;
        s.pos_of[ord[0]] = 0;
        s.ord[0] = ord[0];
        s.nord = 1;
        _search(&s, 0);
        s.pos_of[ord[0]] = -1;
        if (freel == NULL && s.model_error)
            return -1;
        s.ref = s.ref_buf;
        s.ref_off = s.ref_off_buf;
        s.tie_at = s.tie_buf;
        s.nord_at = s.nord_buf;
    }
    else
    {
        s.ref = rec->code;
        s.ref_off = rec->off;
        s.tie_at = rec->tie;
        s.nord_at = rec->nord;
        for (i = 0; i < npos; i++)
            s.ties += s.tie_at[i];
    }
    *aut = 1;
    if (s.ties == 0 && roots <= 1)
        return 1;   /* one labelling only */

    /* every other labelling.  With the generator's root: for each session
       with a choice, the generator's labelling before it, another order of
       its interchangeable new vertices, then anything. */
    s.record = 0;
    s.equal = 1;    /* the generator's own labelling */
    for (p = 0; p < npos && p < nord; p++)
    {
        _session S;
        int j;
        if (!s.tie_at[p])
            continue;
        s.nord = s.nord_at[p];
        for (i = 0; i < N; i++)
            s.pos_of[i] = leaf_pos[i] < s.nord ? leaf_pos[i] : -1;
        memcpy(s.ord, ord, sizeof(int) * s.nord);
        _session_codes(&S, &s, p);
        for (j = 0; j < S.next; j++)
        {
            s.pos_of[S.ext[j]] = s.nord;
            s.ord[s.nord++] = S.ext[j];
        }
        if (_place(&s, &S, p, 0, 0, 0))
            return 0;
    }
    /* vacuum pieces: any other vertex of the root's type as the root */
    for (i = 1; i < nord && k == 0; i++)
    {
        root = ord[i];
        if (type[root] != type[ord[0]])
            continue;
        for (j = 0; j < N; j++)
            s.pos_of[j] = -1;
        s.pos_of[root] = 0;
        s.ord[0] = root;
        s.nord = 1;
        r = _search(&s, 0);
        if (r)
            return 0;
    }
    *aut = s.equal;
    return 1;
}

int
_neft_orderly_first(ulong * aut, const unsigned char * A, const uint64_t * nbr, int N,
                    int k, const slong * type, const int * ord)
{
    return _orderly(aut, A, nbr, N, k, type, ord, N, NULL, N, NULL);
}

int
_neft_orderly_partial(const unsigned char * A, const uint64_t * nbr, int N, int k,
                      const slong * type, const int * ord, int nord, const int * freel,
                      int npos, const _neft_orderly_record_struct * rec)
{
    ulong aut;
    return _orderly(&aut, A, nbr, N, k, type, ord, nord, freel, npos, rec);
}
