/* Vertex-integral descriptions, their canonical form, and the cache of
   computed integrals. */

#include <string.h>
#include "neft/integrate.h"

void
neft_vint_init(neft_vint_t v, slong d, slong m)
{
    v->d = d;
    v->m = m;
    v->nlegs = 0;
    v->alloc = 0;
    v->vertex = NULL;
    v->point = NULL;
    memset(v->A, 0, sizeof(v->A));
    memset(v->wpow, 0, sizeof(v->wpow));
}

void
neft_vint_clear(neft_vint_t v)
{
    flint_free(v->vertex);
    if (v->alloc)
        _arb_vec_clear(v->point, v->alloc * v->d);
}

static void
vint_fit(neft_vint_t v, slong len)
{
    if (len > v->alloc)
    {
        slong na = FLINT_MAX(len, 2 * v->alloc), i;
        arb_ptr p = _arb_vec_init(na * v->d);
        for (i = 0; i < v->nlegs * v->d; i++)
            arb_swap(p + i, v->point + i);
        if (v->alloc)
            _arb_vec_clear(v->point, v->alloc * v->d);
        v->point = p;
        v->vertex = flint_realloc(v->vertex, na * sizeof(slong));
        v->alloc = na;
    }
}

void
neft_vint_set(neft_vint_t v, const neft_vint_t s)
{
    if (v == s)
        return;
    if (v->d != s->d)
    {
        neft_vint_clear(v);
        neft_vint_init(v, s->d, s->m);
    }
    vint_fit(v, s->nlegs);
    v->m = s->m;
    v->nlegs = s->nlegs;
    if (s->nlegs)
    {
        memcpy(v->vertex, s->vertex, s->nlegs * sizeof(slong));
        _arb_vec_set(v->point, s->point, s->nlegs * s->d);
    }
    memcpy(v->A, s->A, sizeof(v->A));
    memcpy(v->wpow, s->wpow, sizeof(v->wpow));
}

void
neft_vint_set_weight(neft_vint_t v, slong u, slong p)
{
    v->wpow[u] = p;
}

void
neft_vint_add_leg(neft_vint_t v, slong vertex, arb_srcptr x)
{
    vint_fit(v, v->nlegs + 1);
    v->vertex[v->nlegs] = vertex;
    _arb_vec_set(v->point + v->nlegs * v->d, x, v->d);
    v->nlegs++;
}

void
neft_vint_add_link(neft_vint_t v, slong u, slong w)
{
    v->A[u * NEFT_INTEGRATE_MAX_VERTICES + w]++;
    if (u != w)
        v->A[w * NEFT_INTEGRATE_MAX_VERTICES + u]++;
}

static int
arb_cmp_exact(const arb_t a, const arb_t b)
{
    int c = arf_cmp(arb_midref(a), arb_midref(b));
    if (c)
        return c;
    return mag_cmp(arb_radref(a), arb_radref(b));
}

static int
leg_cmp(const neft_vint_t v, slong i, slong j)
{
    slong c;
    if (v->vertex[i] != v->vertex[j])
        return v->vertex[i] < v->vertex[j] ? -1 : 1;
    for (c = 0; c < v->d; c++)
    {
        int r = arb_cmp_exact(v->point + i * v->d + c, v->point + j * v->d + c);
        if (r)
            return r;
    }
    return 0;
}

static void
leg_swap(neft_vint_t v, slong i, slong j)
{
    slong c, t = v->vertex[i];
    v->vertex[i] = v->vertex[j];
    v->vertex[j] = t;
    for (c = 0; c < v->d; c++)
        arb_swap(v->point + i * v->d + c, v->point + j * v->d + c);
}

static void
sort_legs(neft_vint_t v)
{
    slong i, j;
    for (i = 1; i < v->nlegs; i++)           /* few legs: insertion sort */
        for (j = i; j > 0 && leg_cmp(v, j - 1, j) > 0; j--)
            leg_swap(v, j - 1, j);
}

/* Total order on vint's of equal d. */
static int
vint_cmp(const neft_vint_t a, const neft_vint_t b)
{
    slong i, c;
    if (a->m != b->m)
        return a->m < b->m ? -1 : 1;
    if (a->nlegs != b->nlegs)
        return a->nlegs < b->nlegs ? -1 : 1;
    for (i = 0; i < NEFT_INTEGRATE_MAX_VERTICES * NEFT_INTEGRATE_MAX_VERTICES; i++)
        if (a->A[i] != b->A[i])
            return a->A[i] < b->A[i] ? -1 : 1;
    for (i = 0; i < NEFT_INTEGRATE_MAX_VERTICES; i++)
        if (a->wpow[i] != b->wpow[i])
            return a->wpow[i] < b->wpow[i] ? -1 : 1;
    for (i = 0; i < a->nlegs; i++)
    {
        if (a->vertex[i] != b->vertex[i])
            return a->vertex[i] < b->vertex[i] ? -1 : 1;
        for (c = 0; c < a->d; c++)
        {
            int r = arb_cmp_exact(a->point + i * a->d + c, b->point + i * a->d + c);
            if (r)
                return r;
        }
    }
    return 0;
}

void
neft_vint_canonicalise(neft_vint_t v)
{
    sort_legs(v);
    if (v->m == 2)
    {
        /* try the other vertex order; keep the smaller form */
        neft_vint_t w;
        slong i, M = NEFT_INTEGRATE_MAX_VERTICES;
        neft_vint_init(w, v->d, 2);
        neft_vint_set(w, v);
        for (i = 0; i < w->nlegs; i++)
            w->vertex[i] = 1 - w->vertex[i];
        w->A[0] = v->A[M + 1];
        w->A[M + 1] = v->A[0];
        w->wpow[0] = v->wpow[1];
        w->wpow[1] = v->wpow[0];
        sort_legs(w);
        if (vint_cmp(w, v) < 0)
            neft_vint_set(v, w);
        neft_vint_clear(w);
    }
}

static ulong
vint_hash(const neft_vint_t v)
{
    ulong h = 1469598103934665603UL;
    slong i;
#define MIX(x) do { h ^= (ulong) (x); h *= 1099511628211UL; } while (0)
    MIX(v->m);
    MIX(v->nlegs);
    for (i = 0; i < NEFT_INTEGRATE_MAX_VERTICES * NEFT_INTEGRATE_MAX_VERTICES; i++)
        MIX(v->A[i]);
    for (i = 0; i < NEFT_INTEGRATE_MAX_VERTICES; i++)
        MIX(v->wpow[i]);
    for (i = 0; i < v->nlegs; i++)
    {
        slong c;
        MIX(v->vertex[i]);
        for (c = 0; c < v->d; c++)
        {
            double x = arf_get_d(arb_midref(v->point + i * v->d + c), ARF_RND_DOWN);
            ulong bits;
            memcpy(&bits, &x, sizeof(bits));
            MIX(bits);
        }
    }
#undef MIX
    return h;
}

void
neft_integrate_cache_init(neft_integrate_cache_t c)
{
    c->length = c->alloc = 0;
    c->keys = NULL;
    c->hash = NULL;
    c->values = NULL;
    c->status = NULL;
    c->hits = 0;
    c->table = NULL;
    c->tsize = 0;
    c->bound = 0;
    neft_kernel_init(c->kernel);
    arf_init(c->cutoff);
    c->prec = 0;
    memset(&c->opt, 0, sizeof(c->opt));
    c->stash = NULL;
    c->nstash = 0;
}

/* Forgets every value, keeps the allocation. */
static void
_cache_empty(neft_integrate_cache_t c)
{
    slong i;
    for (i = 0; i < c->length; i++)
        neft_vint_clear(c->keys + i);
    c->length = 0;
    for (i = 0; i < c->tsize; i++)
        c->table[i] = 0;
}

/* 1 if c holds values for exactly this binding */
static int
_bound_to(const neft_integrate_cache_struct * c, const neft_kernel_t k, const arf_t L,
          const neft_integrate_opt_t opt, slong prec)
{
    return c->bound && neft_kernel_equal(c->kernel, k) && arf_equal(c->cutoff, L)
        && c->prec == prec && c->opt.eval_limit == opt->eval_limit && c->opt.goal == opt->goal;
}

static void
_bind(neft_integrate_cache_t c, const neft_kernel_t k, const arf_t L,
      const neft_integrate_opt_t opt, slong prec)
{
    _cache_empty(c);
    neft_kernel_set(c->kernel, k);
    arf_set(c->cutoff, L);
    c->prec = prec;
    c->opt = *opt;
    c->bound = 1;
}

void
neft_integrate_cache_bind(neft_integrate_cache_t c, const neft_kernel_t k, const arf_t L,
                          const neft_integrate_opt_t opt, slong prec)
{
    slong s;
    if (_bound_to(c, k, L, opt, prec))
        return;
    for (s = 0; s < c->nstash; s++)
        if (_bound_to(c->stash + s, k, L, opt, prec))
        {
            /* take up the values set aside; set the current ones aside */
            neft_integrate_cache_struct cur = *c;
            *c = cur.stash[s];
            c->stash = cur.stash;
            c->nstash = cur.nstash;
            cur.stash = NULL;
            cur.nstash = 0;
            c->stash[s] = cur;
            return;
        }
    _bind(c, k, L, opt, prec);
}

void
neft_integrate_cache_stash(neft_integrate_cache_t c, const neft_kernel_t k, const arf_t L,
                           const neft_integrate_opt_t opt, slong prec, const neft_vint_t v,
                           const arb_t val, int status)
{
    neft_integrate_cache_struct * t = NULL;
    slong s;
    if (_bound_to(c, k, L, opt, prec))
        t = c;
    for (s = 0; s < c->nstash && t == NULL; s++)
        if (_bound_to(c->stash + s, k, L, opt, prec))
            t = c->stash + s;
    if (t == NULL)
    {
        c->stash = flint_realloc(c->stash, (c->nstash + 1) * sizeof(neft_integrate_cache_struct));
        t = c->stash + c->nstash++;
        neft_integrate_cache_init(t);
        _bind(t, k, L, opt, prec);
    }
    if (neft_integrate_cache_find(t, v) < 0)
        neft_integrate_cache_add(t, v, val, status);
}

int
neft_integrate_cache_has(const neft_integrate_cache_t c, const neft_kernel_t k, const arf_t L,
                         const neft_integrate_opt_t opt, slong prec, const neft_vint_t v)
{
    slong s;
    if (_bound_to(c, k, L, opt, prec))
        return neft_integrate_cache_find((neft_integrate_cache_struct *) c, v) >= 0;
    for (s = 0; s < c->nstash; s++)
        if (_bound_to(c->stash + s, k, L, opt, prec))
            return neft_integrate_cache_find(c->stash + s, v) >= 0;
    return 0;
}

void
neft_integrate_cache_clear(neft_integrate_cache_t c)
{
    slong i;
    for (i = 0; i < c->length; i++)
        neft_vint_clear(c->keys + i);
    flint_free(c->keys);
    flint_free(c->hash);
    flint_free(c->status);
    flint_free(c->table);
    if (c->alloc)
        _arb_vec_clear(c->values, c->alloc);
    neft_kernel_clear(c->kernel);
    arf_clear(c->cutoff);
    for (i = 0; i < c->nstash; i++)
        neft_integrate_cache_clear(c->stash + i);
    flint_free(c->stash);
}

/* The slot of hash h in the table: where entry i with hash h sits, or the
   first empty slot of its probe sequence (linear probing). */
static slong
_slot(const neft_integrate_cache_t c, ulong h, const neft_vint_t v)
{
    slong mask = c->tsize - 1, j = (slong) (h & (ulong) mask);
    while (c->table[j] != 0)
    {
        slong i = c->table[j] - 1;
        if (c->hash[i] == h && c->keys[i].d == v->d && vint_cmp(c->keys + i, v) == 0)
            return j;
        j = (j + 1) & mask;
    }
    return j;
}

slong
neft_integrate_cache_find(neft_integrate_cache_t c, const neft_vint_t v)
{
    slong j;
    if (c->length == 0)
        return -1;
    j = _slot(c, vint_hash(v), v);
    if (c->table[j] == 0)
        return -1;
    c->hits++;
    return c->table[j] - 1;
}

void
neft_integrate_cache_add(neft_integrate_cache_t c, const neft_vint_t v, const arb_t val,
                          int status)
{
    ulong h = vint_hash(v);
    if (c->length == c->alloc)
    {
        slong na = FLINT_MAX(16, 2 * c->alloc), i;
        arb_ptr nv = _arb_vec_init(na);
        for (i = 0; i < c->length; i++)
            arb_swap(nv + i, c->values + i);
        if (c->alloc)
            _arb_vec_clear(c->values, c->alloc);
        c->values = nv;
        c->keys = flint_realloc(c->keys, na * sizeof(neft_vint_struct));
        c->hash = flint_realloc(c->hash, na * sizeof(ulong));
        c->status = flint_realloc(c->status, na * sizeof(int));
        c->alloc = na;
    }
    if (2 * (c->length + 1) > c->tsize)
    {
        /* rebuild the index at twice the size */
        slong i, ns = FLINT_MAX(32, 2 * c->tsize);
        flint_free(c->table);
        c->table = flint_calloc(ns, sizeof(slong));
        c->tsize = ns;
        for (i = 0; i < c->length; i++)
        {
            slong j = (slong) (c->hash[i] & (ulong) (ns - 1));
            while (c->table[j] != 0)
                j = (j + 1) & (ns - 1);
            c->table[j] = i + 1;
        }
    }
    neft_vint_init(c->keys + c->length, v->d, v->m);
    neft_vint_set(c->keys + c->length, v);
    c->hash[c->length] = h;
    arb_set(c->values + c->length, val);
    c->status[c->length] = status;
    {
        slong j = _slot(c, h, v);
        if (c->table[j] == 0)       /* (an equal key already there keeps its index) */
            c->table[j] = c->length + 1;
    }
    c->length++;
}

void
neft_vint_init_tuple(neft_vint_t v, slong d, arb_srcptr x, const slong * idx, slong npts,
                     slong loops)
{
    slong i;
    neft_vint_init(v, d, 1);
    for (i = 0; i < npts; i++)
        neft_vint_add_leg(v, 0, x + idx[i] * d);
    for (i = 0; i < loops; i++)
        neft_vint_add_link(v, 0, 0);
    neft_vint_canonicalise(v);
}

void
neft_vint_init_tuple1(neft_vint_t v, arb_srcptr x, const slong * idx, slong npts, slong loops)
{
    neft_vint_init_tuple(v, 1, x, idx, npts, loops);
}
