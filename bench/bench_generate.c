/* bench-generate -- how fast neft_expand is, against two baselines.
 *
 *   build/bench/bench-generate [RULES_DIR]
 *
 * RULES_DIR holds phi4.rules and phi3.rules (default: the source tree's
 * rules/, found next to the executable's build directory or the current
 * directory).  Built by bench/meson.build, never run by `meson test`.
 *
 * 1. The naive method: enumerate every Wick pairing of the legs (the n
 *    external points and, for each vertex multiset of total <= M, the legs of
 *    labelled vertices), build each pairing as a diagram, drop it unless it
 *    survives the pruning rules, and merge equal diagrams by canonical key,
 *    each pairing contributing prod_c (-w_c)^{m_c} / m_c!.  This is the
 *    definition of the expansion, so it is also an independent check: both
 *    methods must give the same diagrams with the same exact coefficients.
 *    phi^4 4-point, orders 1..3; the goal is neft_expand >= 100x faster at 3.
 * 2. The highest order of the phi^4 4-point function neft_expand produces
 *    within 1 s and within 10 s.
 * 3. The peer figures of /work/shared/notes/peers.md: FORM's diagrams_
 *    (grcc) on connected diagrams with labelled legs.
 *
 * Cases that might run long or exhaust memory run in a child process with a
 * time limit, so the benchmark always finishes. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include "neft/expand.h"

#define GOAL_RATIO 100.0
#define CHILD_LIMIT 60.0        /* seconds before a child case is killed */
#define MAX_ORDER 12

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

/* ------------------------------------------------------------------------ */
/* A hash table from canonical keys to accumulated fmpq coefficients. */

typedef struct
{
    slong size, count;      /* size is a power of two */
    slong * off;            /* arena offset of the key, -1 for empty */
    slong * len;
    fmpq * val;
    unsigned char * arena;
    slong alen, aalloc;
}
table_struct;
typedef table_struct table_t[1];

static ulong
fnv1a(const unsigned char * k, slong len)
{
    ulong h = UWORD(14695981039346656037);
    slong i;
    for (i = 0; i < len; i++)
    {
        h ^= k[i];
        h *= UWORD(1099511628211);
    }
    return h;
}

static void
table_init(table_t t, slong size)
{
    slong i;
    t->size = size;
    t->count = 0;
    t->off = flint_malloc(sizeof(slong) * size);
    t->len = flint_malloc(sizeof(slong) * size);
    t->val = flint_malloc(sizeof(fmpq) * size);
    for (i = 0; i < size; i++)
        t->off[i] = -1;
    t->arena = NULL;
    t->alen = t->aalloc = 0;
}

static void
table_clear(table_t t)
{
    slong i;
    for (i = 0; i < t->size; i++)
        if (t->off[i] >= 0)
            fmpq_clear(t->val + i);
    flint_free(t->off);
    flint_free(t->len);
    flint_free(t->val);
    flint_free(t->arena);
}

/* Slot of key, or of the empty slot where it would go. */
static slong
table_slot(const table_t t, const unsigned char * key, slong len)
{
    slong i = (slong) (fnv1a(key, len) & (ulong) (t->size - 1));
    while (t->off[i] >= 0 && !(t->len[i] == len && memcmp(t->arena + t->off[i], key, len) == 0))
        i = (i + 1) & (t->size - 1);
    return i;
}

static void
table_grow(table_t t)
{
    table_t u;
    slong i, j;
    table_init(u, 2 * t->size);
    flint_free(u->arena);
    u->arena = t->arena;
    u->alen = t->alen;
    u->aalloc = t->aalloc;
    for (i = 0; i < t->size; i++)
    {
        if (t->off[i] < 0)
            continue;
        j = table_slot(u, t->arena + t->off[i], t->len[i]);
        u->off[j] = t->off[i];
        u->len[j] = t->len[i];
        u->val[j] = t->val[i];      /* moves the fmpq */
    }
    u->count = t->count;
    flint_free(t->off);
    flint_free(t->len);
    flint_free(t->val);
    *t = *u;
}

/* val[key] += c, inserting key with value c when absent. */
static void
table_add(table_t t, const unsigned char * key, slong len, const fmpq_t c)
{
    slong i;
    if (2 * (t->count + 1) > t->size)
        table_grow(t);
    i = table_slot(t, key, len);
    if (t->off[i] >= 0)
    {
        fmpq_add(t->val + i, t->val + i, c);
        return;
    }
    if (t->alen + len > t->aalloc)
    {
        t->aalloc = FLINT_MAX(2 * t->aalloc, t->alen + len + 4096);
        t->arena = flint_realloc(t->arena, t->aalloc);
    }
    memcpy(t->arena + t->alen, key, len);
    t->off[i] = t->alen;
    t->len[i] = len;
    t->alen += len;
    fmpq_init(t->val + i);
    fmpq_set(t->val + i, c);
    t->count++;
}

/* The value stored under key, or NULL. */
static fmpq *
table_find(const table_t t, const unsigned char * key, slong len)
{
    slong i = table_slot(t, key, len);
    return t->off[i] >= 0 ? t->val + i : NULL;
}

/* ------------------------------------------------------------------------ */
/* The naive generator: all Wick pairings. */

typedef struct
{
    slong n, m, L;
    slong owner[NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX];  /* leg -> vertex id */
    slong mate[NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX];
    slong edges[NEFT_DIAGRAM_MAX_VERTICES * NEFT_THEORY_LEGS_MAX];
    slong type[NEFT_DIAGRAM_MAX_VERTICES];
    unsigned prune;
    fmpq_t factor;          /* prod_c (-w_c)^{m_c} / m_c! of the current multiset */
    neft_diagram_t d;
    unsigned char key[NEFT_DIAGRAM_KEY_MAX];
    slong pairings, kept;
    table_struct * table;
}
naive_struct;

static void
naive_leaf(naive_struct * N)
{
    slong i, e = 0, len;
    for (i = 0; i < N->L; i++)
    {
        if (N->mate[i] > i)
        {
            N->edges[2 * e] = N->owner[i];
            N->edges[2 * e + 1] = N->owner[N->mate[i]];
            e++;
        }
    }
    N->pairings++;
    neft_diagram_set_graph(N->d, N->n, N->m, N->type, e, N->edges);
    if (!neft_diagram_keep(N->d, N->prune))
        return;
    N->kept++;
    len = neft_diagram_key(N->key, N->d, 0);
    table_add(N->table, N->key, len, N->factor);
}

/* Pairs the lowest free leg >= start with every later free leg. */
static void
naive_pair(naive_struct * N, slong start)
{
    slong i = start, j;
    while (i < N->L && N->mate[i] >= 0)
        i++;
    if (i == N->L)
    {
        naive_leaf(N);
        return;
    }
    for (j = i + 1; j < N->L; j++)
    {
        if (N->mate[j] >= 0)
            continue;
        N->mate[i] = j;
        N->mate[j] = i;
        naive_pair(N, i + 1);
        N->mate[i] = N->mate[j] = -1;
    }
}

/* Every vertex multiset mu with sum <= left, from coupling c on. */
static void
naive_multisets(naive_struct * N, const neft_theory_t th, slong n, slong * mu, slong c,
                slong left)
{
    slong i, j, v, L, m;
    fmpz_t f;
    fmpq_t w, factor;

    if (c < th->length)
    {
        for (i = 0; i <= left; i++)
        {
            mu[c] = i;
            naive_multisets(N, th, n, mu, c + 1, left - i);
        }
        mu[c] = 0;
        return;
    }

    L = n;
    m = 0;
    for (i = 0; i < th->length; i++)
    {
        L += mu[i] * th->couplings[i].legs;
        m += mu[i];
    }
    if (L % 2 != 0 || n + m > NEFT_DIAGRAM_MAX_VERTICES)
        return;

    N->n = n;
    N->m = m;
    N->L = L;
    for (i = 0; i < n; i++)
        N->owner[i] = i;
    fmpz_init(f);
    fmpq_init(w);
    fmpq_init(factor);
    fmpq_one(factor);
    L = n;
    v = 0;
    for (i = 0; i < th->length; i++)
    {
        for (j = 0; j < mu[i]; j++, v++)
        {
            slong l;
            N->type[v] = i;
            for (l = 0; l < th->couplings[i].legs; l++)
                N->owner[L++] = n + v;
        }
        fmpq_neg(w, th->couplings[i].weight);
        fmpq_pow_si(w, w, mu[i]);
        fmpq_mul(factor, factor, w);
        fmpz_fac_ui(f, mu[i]);
        fmpq_div_fmpz(factor, factor, f);
    }
    fmpq_set(N->factor, factor);
    fmpq_clear(factor);
    for (i = 0; i < N->L; i++)
        N->mate[i] = -1;
    naive_pair(N, 0);
    fmpz_clear(f);
    fmpq_clear(w);
}

/* Fills table with every kept diagram of the n-point function to order M. */
static void
naive_expand(table_t table, slong * pairings, slong * kept, const neft_theory_t th,
             slong n, slong M, unsigned prune)
{
    naive_struct * N = flint_malloc(sizeof(naive_struct));
    slong mu[NEFT_THEORY_COUPLINGS_MAX] = {0};
    N->prune = prune;
    N->table = table;
    N->pairings = N->kept = 0;
    fmpq_init(N->factor);
    neft_diagram_init(N->d);
    naive_multisets(N, th, n, mu, 0, M);
    *pairings = N->pairings;
    *kept = N->kept;
    neft_diagram_clear(N->d);
    fmpq_clear(N->factor);
    flint_free(N);
}

/* 1 if ex and table hold the same diagrams with the same coefficients;
   otherwise prints the first few differences and returns 0. */
static int
compare(const neft_expansion_t ex, const table_t table)
{
    unsigned char * key = flint_malloc(NEFT_DIAGRAM_KEY_MAX);
    table_t seen;
    fmpq_t one;
    slong i, len, bad = 0;
    fmpq * c;

    table_init(seen, 1024);
    fmpq_init(one);
    fmpq_one(one);
    for (i = 0; i < ex->length; i++)
    {
        len = neft_diagram_key(key, ex->terms + i, 0);
        c = table_find(table, key, len);
        if (c == NULL)
        {
            if (bad++ < 5)
                printf("    MISMATCH: neft_expand term %ld is not produced by the pairings\n", (long) i);
        }
        else if (!fmpq_equal(c, ex->terms[i].coeff))
        {
            if (bad++ < 5)
            {
                printf("    MISMATCH: term %ld: neft_expand ", (long) i);
                fmpq_print(ex->terms[i].coeff);
                printf(", pairings ");
                fmpq_print(c);
                printf("\n");
            }
        }
        if (table_find(seen, key, len) != NULL)
        {
            if (bad++ < 5)
                printf("    MISMATCH: neft_expand term %ld repeats an earlier one\n", (long) i);
        }
        table_add(seen, key, len, one);
    }
    if (seen->count != table->count)
    {
        bad++;
        printf("    MISMATCH: %ld distinct diagrams from pairings, %ld from neft_expand\n",
               (long) table->count, (long) seen->count);
    }
    table_clear(seen);
    fmpq_clear(one);
    flint_free(key);
    return bad == 0;
}

/* ------------------------------------------------------------------------ */
/* Running neft_expand, in-process or in a child with a time limit. */

typedef struct
{
    int status;         /* NEFT_EXPAND_*, or -1 killed / -2 crashed */
    double seconds;     /* time of the successful neft_expand call */
    slong terms;        /* all terms */
    slong exact;        /* terms with exactly `order` vertices */
    slong max_terms;    /* budget that was needed */
}
run_result;

static run_result
run_expand(const neft_theory_t th, slong n, slong order, unsigned prune)
{
    run_result r;
    neft_expansion_t ex;
    neft_expand_opt_t opt;
    char err[256];
    double t0;
    slong i;

    neft_expand_opt_init(opt);
    opt->max_terms = FLINT_MAX(opt->max_terms, WORD(100000000));
    memset(&r, 0, sizeof(r));
    for (;;)
    {
        neft_expansion_init(ex);
        t0 = now();
        r.status = neft_expand(ex, th, n, order, prune, opt, err, sizeof(err));
        r.seconds = now() - t0;
        /* (a budget refusal is a BAD_INPUT naming --max-terms) */
        if (r.status != NEFT_EXPAND_BUDGET || strstr(err, "--max-terms") == NULL
            || opt->max_terms > WORD_MAX / 8)
            break;
        neft_expansion_clear(ex);
        opt->max_terms *= 4;
    }
    if (r.status != NEFT_EXPAND_SUCCESS)
        fprintf(stderr, "bench-generate: neft_expand: %s\n", err);
    r.terms = ex->length;
    for (i = 0; i < ex->length; i++)
        r.exact += (ex->terms[i].m == order);
    r.max_terms = opt->max_terms;
    neft_expansion_clear(ex);
    return r;
}

/* run_expand in a forked child, killed after `limit` seconds; its address
   space is capped so that an order too large fails instead of swapping. */
static run_result
run_expand_child(const neft_theory_t th, slong n, slong order, unsigned prune, double limit)
{
    run_result r;
    int fd[2], st;
    pid_t pid;
    double t0;
    ssize_t got;

    memset(&r, 0, sizeof(r));
    fflush(stdout);
    fflush(stderr);
    if (pipe(fd) != 0)
    {
        r.status = -2;
        return r;
    }
    pid = fork();
    if (pid < 0)
    {
        close(fd[0]);
        close(fd[1]);
        r.status = -2;
        return r;
    }
    if (pid == 0)
    {
#ifndef __SANITIZE_ADDRESS__
        long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
        if (pages > 0 && psize > 0)
        {
            struct rlimit rl;
            rl.rlim_cur = rl.rlim_max = (rlim_t) pages / 4 * 3 * (rlim_t) psize;
            setrlimit(RLIMIT_AS, &rl);
        }
#endif
        close(fd[0]);
        r = run_expand(th, n, order, prune);
        if (write(fd[1], &r, sizeof(r)) != (ssize_t) sizeof(r))
            _exit(1);
        _exit(0);
    }
    close(fd[1]);
    t0 = now();
    for (;;)
    {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            break;
        if (now() - t0 > limit)
        {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            close(fd[0]);
            r.status = -1;
            r.seconds = now() - t0;
            return r;
        }
        {
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
        }
    }
    got = read(fd[0], &r, sizeof(r));
    close(fd[0]);
    if (got != (ssize_t) sizeof(r))
    {
        memset(&r, 0, sizeof(r));
        r.status = -2;
        r.seconds = now() - t0;
    }
    return r;
}

/* Mean time of neft_expand over enough repetitions to measure it. */
static double
time_expand(neft_expansion_t ex, const neft_theory_t th, slong n, slong order, unsigned prune,
            int * status)
{
    neft_expand_opt_t opt;
    char err[256];
    double t0 = now(), t;
    slong reps = 0;

    neft_expand_opt_init(opt);
    do
    {
        neft_expansion_clear(ex);
        neft_expansion_init(ex);
        *status = neft_expand(ex, th, n, order, prune, opt, err, sizeof(err));
        reps++;
        t = now() - t0;
    }
    while (*status == NEFT_EXPAND_SUCCESS && t < 0.3 && reps < 100000);
    if (*status != NEFT_EXPAND_SUCCESS)
        fprintf(stderr, "bench-generate: neft_expand: %s\n", err);
    return t / (double) reps;
}

/* ------------------------------------------------------------------------ */

static int
readable(const char * dir, const char * file)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    return access(path, R_OK) == 0;
}

/* The rules directory: argv[1], NEFT_RULES_DIR, then the source tree's
   rules/ relative to the executable (build/bench/bench-generate) or to the
   current directory. */
static int
find_rules_dir(char * out, size_t size, int argc, char ** argv)
{
    char exe[3072], cand[3072 + 32];
    const char * rel[] = {"/../../rules", "/../../../rules", "/../rules"};
    const char * cwd[] = {"rules", "../rules", "../../rules"};
    ssize_t len;
    size_t i;

    if (argc > 1)
    {
        snprintf(out, size, "%s", argv[1]);
        return readable(out, "phi4.rules");
    }
#ifdef NEFT_RULES_DIR
    snprintf(out, size, "%s", NEFT_RULES_DIR);
    if (readable(out, "phi4.rules"))
        return 1;
#endif
    len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0)
    {
        char * slash;
        exe[len] = '\0';
        slash = strrchr(exe, '/');
        if (slash != NULL)
            *slash = '\0';
        for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++)
        {
            snprintf(cand, sizeof(cand), "%s%s", exe, rel[i]);
            if (readable(cand, "phi4.rules") && readable(cand, "phi3.rules"))
            {
                snprintf(out, size, "%s", cand);
                return 1;
            }
        }
    }
    for (i = 0; i < sizeof(cwd) / sizeof(cwd[0]); i++)
    {
        if (readable(cwd[i], "phi4.rules"))
        {
            snprintf(out, size, "%s", cwd[i]);
            return 1;
        }
    }
    return 0;
}

static int
load(neft_theory_t th, const char * dir, const char * file)
{
    char path[4096 + 64], err[512];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    if (neft_theory_read_file(th, path, err, sizeof(err)) != 0)
    {
        fprintf(stderr, "bench-generate: %s\n", err);
        return 0;
    }
    return 1;
}

static const char *
status_text(int status)
{
    switch (status)
    {
        case NEFT_EXPAND_SUCCESS: return "ok";
        case NEFT_EXPAND_INVALID: return "refused (bad request or over budget)";
        case -1: return "killed at the time limit";
        default: return "crashed (out of memory?)";
    }
}

/* The peer figures (peers.md): FORM 5 diagrams_ (grcc), connected diagrams,
   labelled legs, whole-process wall time.  peers.md lists 27607 diagrams in
   0.57 s as "phi^4 2-pt, 9 vertices", but 27607 is the number of connected
   2-point diagrams with 8 vertices (9 give 180148), and 0.57 s matches
   FORM's ~50000 diagrams/s for 27607: the row is compared at 8 vertices, and
   9 vertices is timed without a FORM figure (count 0). */
typedef struct
{
    int phi3;
    slong n, vertices, count;
    double seconds;
}
peer_case;

static const peer_case peers[] = {
    {0, 4, 5, 1592, 0.037},
    {0, 4, 6, 10441, 0.199},
    {0, 4, 7, 72314, 1.46},
    {0, 2, 8, 27607, 0.57},
    {0, 2, 9, 0, 0.0},
    {1, 4, 10, 71172, 1.74},
    {1, 2, 12, 45519, 1.37},
};

int
main(int argc, char ** argv)
{
    char dir[4096];
    neft_theory_t phi4, phi3;
    slong M, i;
    int ok = 1, within1 = 0, within10 = 0;
    double ratio3 = 0.0;
    char pbuf[256];

    if (argc > 2 || (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)))
    {
        fprintf(stderr, "usage: bench-generate [RULES_DIR]  (holding phi4.rules and phi3.rules)\n");
        return 2;
    }
    if (!find_rules_dir(dir, sizeof(dir), argc, argv))
    {
        fprintf(stderr, "bench-generate: cannot find phi4.rules%s%s; pass the rules directory\n",
                argc > 1 ? " in " : "", argc > 1 ? argv[1] : "");
        return 2;
    }
    neft_theory_init(phi4);
    neft_theory_init(phi3);
    if (!load(phi4, dir, "phi4.rules") || !load(phi3, dir, "phi3.rules"))
        return 2;
    neft_prune_format(pbuf, sizeof(pbuf), phi4->prune);

    printf("bench-generate: rules from %s\n\n", dir);
    printf("1. naive Wick pairings vs neft_expand: phi^4 4-point (phi4.rules, prune %s)\n", pbuf);
    printf("   %5s %12s %10s %7s %12s %12s %10s  %s\n",
           "order", "pairings", "kept", "terms", "naive [s]", "expand [s]", "ratio", "same terms");
    for (M = 1; M <= 3; M++)
    {
        table_t table;
        neft_expansion_t ex;
        slong pairings, kept;
        double t0, tn, te;
        int status, same;

        table_init(table, 1024);
        t0 = now();
        naive_expand(table, &pairings, &kept, phi4, 4, M, phi4->prune);
        tn = now() - t0;
        neft_expansion_init(ex);
        te = time_expand(ex, phi4, 4, M, phi4->prune, &status);
        same = (status == NEFT_EXPAND_SUCCESS) && compare(ex, table);
        ok &= same;
        printf("   %5ld %12ld %10ld %7ld %12.6f %12.6f %9.0fx  %s\n", (long) M, (long) pairings,
               (long) kept, (long) ex->length, tn, te, tn / te, same ? "yes" : "NO");
        if (M == 3)
            ratio3 = tn / te;
        neft_expansion_clear(ex);
        table_clear(table);
    }
    printf("   order 3: neft_expand is %.0fx faster than the pairings: %s (goal >= %.0fx)\n\n",
           ratio3, ratio3 >= GOAL_RATIO ? "PASS" : "SHORT", GOAL_RATIO);

    printf("2. highest order of the phi^4 4-point function (prune %s) by neft_expand\n", pbuf);
    printf("   %5s %12s %12s\n", "order", "terms", "time [s]");
    for (M = 1; M <= MAX_ORDER; M++)
    {
        run_result r = run_expand_child(phi4, 4, M, phi4->prune, CHILD_LIMIT);
        if (r.status != NEFT_EXPAND_SUCCESS)
        {
            printf("   %5ld %12s %12.3f  %s\n", (long) M, "-", r.seconds, status_text(r.status));
            break;
        }
        printf("   %5ld %12ld %12.6f\n", (long) M, (long) r.terms, r.seconds);
        if (r.seconds <= 1.0 && within1 == M - 1)
            within1 = (int) M;
        if (r.seconds <= 10.0)
            within10 = (int) M;
        else
            break;
    }
    printf("   highest order within 1 s: %d, within 10 s: %d%s\n\n", within1, within10,
           within10 == MAX_ORDER ? " (the cap of this benchmark)" : "");

    printf("3. peers (notes/peers.md): FORM 5 diagrams_ (grcc), connected, labelled legs\n");
    printf("   neft: neft_expand(prune connected) to the given number of vertices (it makes\n"
           "   every lower order too); counted: the terms with exactly that many vertices\n");
    printf("   %-22s %9s %9s %11s %9s %12s\n",
           "case", "neft", "FORM", "neft [s]", "FORM [s]", "FORM/neft");
    for (i = 0; i < (slong) (sizeof(peers) / sizeof(peers[0])); i++)
    {
        const peer_case * p = peers + i;
        char name[64];
        run_result r;
        snprintf(name, sizeof(name), "phi^%d %ld-pt, %ld vertices", p->phi3 ? 3 : 4,
                 (long) p->n, (long) p->vertices);
        r = run_expand_child(p->phi3 ? phi3 : phi4, p->n, p->vertices,
                             NEFT_PRUNE_CONNECTED, CHILD_LIMIT);
        if (r.status != NEFT_EXPAND_SUCCESS)
        {
            printf("   %-22s %9s %9ld %11.3f %9.3f  %s\n", name, "-", (long) p->count,
                   r.seconds, p->seconds, status_text(r.status));   /* 0, 0.000 = no figure */
            continue;
        }
        if (p->count == 0)
            printf("   %-22s %9ld %9s %11.6f %9s %12s\n", name, (long) r.exact, "-",
                   r.seconds, "-", "-");
        else
            printf("   %-22s %9ld %9ld %11.6f %9.3f %11.1fx%s\n", name, (long) r.exact,
                   (long) p->count, r.seconds, p->seconds, p->seconds / r.seconds,
                   r.exact == p->count ? "" : "  (counts differ)");
    }

    neft_theory_clear(phi4);
    neft_theory_clear(phi3);
    if (!ok)
    {
        printf("\nbench-generate: neft_expand and the pairings DISAGREE\n");
        return 1;
    }
    return 0;
}
