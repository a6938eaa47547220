/* Tests of the theory type and the rules-file parser: the shipped files, the
   default text, exact weights, the malformed corpus in rules-bad/ (expected
   messages in rules-bad/EXPECTED), random well-formed files and random
   corruptions of them.  Run with the working directory tests/. */

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpq.h>
#include <flint/ulong_extras.h>
#include "neft/theory.h"
#include "neft-test.h"

#define ERRSIZE 1024

/* Reads a whole file; *len gets its size.  NULL if it cannot be read. */
static char *
slurp(const char * path, size_t * len)
{
    FILE * f = fopen(path, "rb");
    char * buf;
    size_t alloc = 1 << 16, n = 0, got;

    if (f == NULL)
        return NULL;
    buf = malloc(alloc + 1);
    while ((got = fread(buf + n, 1, alloc - n, f)) > 0)
    {
        n += got;
        if (n == alloc)
        {
            alloc *= 2;
            buf = realloc(buf, alloc + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Checks th against couplings given as "name:legs:weight" strings. */
static void
check_theory(const neft_theory_t th, const char * what, const char * name,
             int n, const char * const * couplings, unsigned prune)
{
    int i;

    if ((name == NULL) != (th->name == NULL)
        || (name != NULL && strcmp(name, th->name) != 0))
        FAIL("%s: name '%s', expected '%s'", what, th->name ? th->name : "(null)",
             name ? name : "(null)");
    if (th->length != n)
        FAIL("%s: %ld couplings, expected %d", what, (long) th->length, n);
    for (i = 0; i < n; i++)
    {
        char buf[200], * w = fmpq_get_str(NULL, 10, th->couplings[i].weight);
        snprintf(buf, sizeof buf, "%s:%ld:%s", th->couplings[i].name,
                 (long) th->couplings[i].legs, w);
        flint_free(w);
        if (strcmp(buf, couplings[i]) != 0)
            FAIL("%s: coupling %d is %s, expected %s", what, i, buf, couplings[i]);
        if (neft_theory_find(th, th->couplings[i].name) != i)
            FAIL("%s: find(%s)", what, th->couplings[i].name);
    }
    if (th->prune != prune)
        FAIL("%s: prune %u, expected %u", what, th->prune, prune);
}

static void
read_ok(neft_theory_t th, const char * text)
{
    char err[ERRSIZE];
    if (neft_theory_read_string(th, text, "test", err, sizeof err) != 0)
        FAIL("rejected:\n%s\nwith: %s", text, err);
}

static void
read_bad(const char * text, const char * msg)
{
    neft_theory_t th;
    char err[ERRSIZE];

    neft_theory_init(th);
    if (neft_theory_read_string(th, text, "t.rules", err, sizeof err) != 2)
        FAIL("accepted:\n%s", text);
    if (strcmp(err, msg) != 0)
        FAIL("for\n%s\n  got      %s\n  expected %s", text, err, msg);
    if (th->length != 0 || th->name != NULL || th->prune != 0)
        FAIL("theory not left empty after an error");
    neft_theory_clear(th);
}

static void
test_shipped(void)
{
    static const char * const sl[] = { "lambda:4:1", "kappa:6:1" };
    static const char * const p4[] = { "lambda:4:1/24" };
    static const char * const p3[] = { "g:3:1/6" };
    static const char * const mx[] = { "g3:3:1/6", "g4:4:1/24", "g6:6:1/720" };
    neft_theory_t th, th2;
    char err[ERRSIZE];
    char * text;
    size_t len;

    neft_theory_init(th);
    neft_theory_init(th2);

    if (neft_theory_read_file(th, "../rules/single-layer.rules", err, sizeof err) != 0)
        FAIL("%s", err);
    check_theory(th, "single-layer.rules",
                 "single-layer NGP, quartic and sextic (Halverson-Maiti-Stoner)", 2, sl,
                 NEFT_PRUNE_VACUUM | NEFT_PRUNE_TWO_POINT_COMPONENT);

    if (neft_theory_read_file(th, "../rules/phi4.rules", err, sizeof err) != 0)
        FAIL("%s", err);
    check_theory(th, "phi4.rules", "phi^4 theory, lambda/4! normalisation", 1, p4,
                 NEFT_PRUNE_VACUUM);

    if (neft_theory_read_file(th, "../rules/phi3.rules", err, sizeof err) != 0)
        FAIL("%s", err);
    check_theory(th, "phi3.rules", "phi^3 theory, g/3! normalisation", 1, p3,
                 NEFT_PRUNE_VACUUM);

    if (neft_theory_read_file(th, "../rules/mixed.rules", err, sizeof err) != 0)
        FAIL("%s", err);
    check_theory(th, "mixed.rules",
                 "mixed phi^3 + phi^4 + phi^6 theory, g_k/k! normalisation", 3, mx,
                 NEFT_PRUNE_VACUUM);

    /* The built-in default is the shipped single-layer file, byte for byte. */
    text = slurp("../rules/single-layer.rules", &len);
    if (text == NULL)
        FAIL("cannot read ../rules/single-layer.rules");
    if (len != strlen(neft_theory_default_text)
        || memcmp(text, neft_theory_default_text, len) != 0)
        FAIL("neft_theory_default_text differs from rules/single-layer.rules");
    free(text);
    if (neft_theory_read_string(th2, neft_theory_default_text, "default", err,
                                sizeof err) != 0)
        FAIL("default: %s", err);
    check_theory(th2, "default",
                 "single-layer NGP, quartic and sextic (Halverson-Maiti-Stoner)", 2, sl,
                 NEFT_PRUNE_VACUUM | NEFT_PRUNE_TWO_POINT_COMPONENT);

    neft_theory_clear(th);
    neft_theory_clear(th2);
}

static void
test_weights(void)
{
    neft_theory_t th;
    char text[8192], * s;
    fmpz_t a, b;
    fmpq_t w;

    neft_theory_init(th);

    read_ok(th, "coupling a legs 1 weight -3/6\n"
                "coupling b legs 2 weight +4/8\n"
                "coupling c legs 3 weight 007/014\n"
                "coupling d legs 32 weight -12\n"
                "coupling e legs +5 weight 1/1\n"
                "coupling f legs 07 weight -0005/0003\n");
    {
        static const char * const c[] = { "a:1:-1/2", "b:2:1/2", "c:3:1/2", "d:32:-12",
                                           "e:5:1", "f:7:-5/3" };
        check_theory(th, "weights", NULL, 6, c, 0);
    }

    /* Integers far beyond 64 bits stay exact and are reduced. */
    fmpz_init(a);
    fmpz_init(b);
    fmpq_init(w);
    fmpz_set_ui(a, 10);
    fmpz_pow_ui(a, a, 200);
    fmpz_mul_ui(b, a, 3);
    fmpz_fdiv_q_ui(b, b, 10);            /* b = 3 * 10^199 */
    {
        char * as = fmpz_get_str(NULL, 10, a), * bs = fmpz_get_str(NULL, 10, b);
        snprintf(text, sizeof text, "coupling big legs 4 weight -%s/%s\n"
                 "coupling huge legs 4 weight %s7\n", as, bs, as);
        read_ok(th, text);
        fmpq_set_si(w, -10, 3);
        if (!fmpq_equal(w, th->couplings[0].weight))
            FAIL("10^200/(3*10^199)");
        fmpz_mul_ui(a, a, 10);
        fmpz_add_ui(a, a, 7);
        fmpz_one(b);
        fmpq_set_fmpz_frac(w, a, b);
        if (!fmpq_equal(w, th->couplings[1].weight))
            FAIL("10^201 + 7");
        flint_free(as);
        flint_free(bs);
    }

    /* A weight that fills a 4096-byte line. */
    {
        size_t pre = strlen("coupling g legs 4 weight 1/");
        memcpy(text, "coupling g legs 4 weight 1/", pre);
        memset(text + pre, '9', 4096 - pre);
        text[4096] = '\0';
        read_ok(th, text);
        s = fmpz_get_str(NULL, 10, fmpq_denref(th->couplings[0].weight));
        if (strlen(s) != 4096 - pre || strspn(s, "9") != 4096 - pre)
            FAIL("4096-byte line weight");
        flint_free(s);
        text[4096] = '9';
        text[4097] = '\0';
        read_bad(text, "t.rules:1: line longer than 4096 bytes");
    }

    fmpz_clear(a);
    fmpz_clear(b);
    fmpq_clear(w);
    neft_theory_clear(th);
}

static void
test_syntax(void)
{
    neft_theory_t th;
    static const char * const g[] = { "g:3:1/6" };

    neft_theory_init(th);

    /* Comments anywhere, blanks and tabs, CRLF, BOM, no final newline. */
    read_ok(th, "name   a  b\t c   # not part of the name\n"
                "\t coupling\tg legs 3 weight 1/6#comment without blank\n"
                "   \n#\n");
    check_theory(th, "blanks", "a  b\t c", 1, g, 0);
    read_ok(th, "\xef\xbb\xbf" "coupling g legs 3 weight 1/6\r\nprune vacuum\r\n");
    check_theory(th, "crlf+bom", NULL, 1, g, NEFT_PRUNE_VACUUM);
    read_ok(th, "coupling g legs 3 weight 1/6");
    check_theory(th, "no final newline", NULL, 1, g, 0);
    read_ok(th, "# \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\n"
                "name  th\xc3\xa9orie \xe2\x88\xab   \n"
                "coupling g legs 3 weight 1/6\n");
    check_theory(th, "utf-8", "th\xc3\xa9orie \xe2\x88\xab", 1, g, 0);

    /* prune lines accumulate; `prune none` is the explicit empty set. */
    read_ok(th, "prune vacuum\ncoupling g legs 3 weight 1/6\nprune tadpole, 1pi\n"
                "prune vacuum\n");
    check_theory(th, "accumulate", NULL, 1, g,
                 NEFT_PRUNE_VACUUM | NEFT_PRUNE_TADPOLE | NEFT_PRUNE_1PI);
    read_ok(th, "prune none\ncoupling g legs 3 weight 1/6\nprune none # again\n");
    check_theory(th, "none", NULL, 1, g, 0);

    /* Boundaries: 16 couplings, a 63-character name. */
    {
        char text[2048];
        size_t pos = 0;
        int i;
        for (i = 0; i < NEFT_THEORY_COUPLINGS_MAX; i++)
            pos += (size_t) snprintf(text + pos, sizeof text - pos,
                                     "coupling c%d legs %d weight %d\n", i, i + 1, i + 1);
        read_ok(th, text);
        if (th->length != NEFT_THEORY_COUPLINGS_MAX)
            FAIL("16 couplings");
        snprintf(text, sizeof text, "coupling %s legs 3 weight 1\n",
                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
        read_ok(th, text);
        if (strlen(th->couplings[0].name) != NEFT_THEORY_NAME_MAX)
            FAIL("63-character name");
    }

    /* A few errors from strings (the corpus has the rest). */
    read_bad("", "t.rules:1: no coupling defined (a rules file needs at least one "
             "'coupling NAME legs K weight W' line)");
    read_bad("name x\n", "t.rules:2: no coupling defined (a rules file needs at least "
             "one 'coupling NAME legs K weight W' line)");
    read_bad("coupling g legs 3 weight 1/6 # ok\ncoupling g legs 4 weight 1\n",
             "t.rules:2: duplicate coupling name 'g' (first defined on line 1)");
    read_bad("coupling g legs 3 weight\t1/6 x", "t.rules:1: unexpected 'x' after the "
             "weight (a coupling line ends with its weight or its 'position |y|^P')");

    /* Errors with NULL source and tiny buffers. */
    {
        char err[ERRSIZE];
        if (neft_theory_read_string(th, "junk", NULL, err, sizeof err) != 2
            || strcmp(err, "<string>:1: unknown statement 'junk' (expected name, "
                      "coupling or prune)") != 0)
            FAIL("NULL source: %s", err);
        if (neft_theory_read_string(th, "junk", "s", NULL, 0) != 2)
            FAIL("NULL err");
        if (neft_theory_read_string(th, NULL, "s", err, sizeof err) != 2)
            FAIL("NULL text");
    }
    neft_theory_clear(th);
}

static void
test_api(void)
{
    neft_theory_t a, b;
    fmpq_t w;
    char name[80];
    int i;

    neft_theory_init(a);
    neft_theory_init(b);
    fmpq_init(w);

    fmpq_set_si(w, 1, 24);
    if (neft_theory_add_coupling(a, "lambda", 4, w) != 0)
        FAIL("add lambda");
    fmpz_set_si(fmpq_numref(w), -2);      /* deliberately not canonical */
    fmpz_set_si(fmpq_denref(w), 4);
    if (neft_theory_add_coupling(a, "g_2", 3, w) != 1)
        FAIL("add g_2");
    if (fmpz_cmp_si(fmpq_numref(a->couplings[1].weight), -1) != 0
        || fmpz_cmp_si(fmpq_denref(a->couplings[1].weight), 2) != 0)
        FAIL("weight not canonicalised");
    fmpq_set_si(w, 3, 1);
    if (neft_theory_add_coupling(a, "lambda", 4, w) != -1
        || neft_theory_add_coupling(a, NULL, 4, w) != -1
        || neft_theory_add_coupling(a, "", 4, w) != -1
        || neft_theory_add_coupling(a, "1a", 4, w) != -1
        || neft_theory_add_coupling(a, "_a", 4, w) != -1
        || neft_theory_add_coupling(a, "a-b", 4, w) != -1
        || neft_theory_add_coupling(a, "a b", 4, w) != -1
        || neft_theory_add_coupling(a, "x", 0, w) != -1
        || neft_theory_add_coupling(a, "x", -1, w) != -1
        || neft_theory_add_coupling(a, "x", NEFT_THEORY_LEGS_MAX + 1, w) != -1)
        FAIL("bad coupling accepted");
    memset(name, 'n', 64);
    name[64] = '\0';
    if (neft_theory_add_coupling(a, name, 4, w) != -1)
        FAIL("64-character name accepted");
    name[63] = '\0';
    if (neft_theory_add_coupling(a, name, 4, w) != 2)
        FAIL("63-character name rejected");
    fmpq_zero(w);
    if (neft_theory_add_coupling(a, "zero", 4, w) != -1)
        FAIL("zero weight accepted");
    fmpz_one(fmpq_numref(w));
    fmpz_zero(fmpq_denref(w));
    if (neft_theory_add_coupling(a, "infinite", 4, w) != -1)
        FAIL("zero denominator accepted");
    fmpq_one(w);
    for (i = 3; i < NEFT_THEORY_COUPLINGS_MAX; i++)
    {
        snprintf(name, sizeof name, "c%d", i);
        if (neft_theory_add_coupling(a, name, NEFT_THEORY_LEGS_MAX, w) != i)
            FAIL("add %s", name);
    }
    if (neft_theory_add_coupling(a, "one_more", 4, w) != -1)
        FAIL("17th coupling accepted");
    if (neft_theory_find(a, "lambda") != 0 || neft_theory_find(a, "g_2") != 1
        || neft_theory_find(a, "c15") != 15 || neft_theory_find(a, "Lambda") != -1
        || neft_theory_find(a, NULL) != -1 || neft_theory_find(a, "") != -1)
        FAIL("find");

    /* Deep copy, onto a theory that already holds something. */
    a->name = flint_malloc(5);
    memcpy(a->name, "name", 5);
    a->prune = NEFT_PRUNE_TADPOLE;
    read_ok(b, "name other\ncoupling q legs 2 weight 9\n");
    neft_theory_set(b, a);
    neft_theory_set(b, b);
    a->name[0] = 'N';
    a->couplings[0].name[0] = 'L';
    fmpq_set_si(a->couplings[0].weight, 5, 1);
    if (strcmp(b->name, "name") != 0 || b->length != NEFT_THEORY_COUPLINGS_MAX
        || strcmp(b->couplings[0].name, "lambda") != 0 || b->prune != NEFT_PRUNE_TADPOLE
        || b->couplings[0].legs != 4 || fmpz_cmp_si(fmpq_denref(b->couplings[0].weight), 24) != 0)
        FAIL("set is not a deep copy");
    neft_theory_clear(a);
    neft_theory_clear(a);                 /* clearing twice is harmless */
    neft_theory_set(a, b);
    if (a->length != b->length)
        FAIL("set after clear");

    fmpq_clear(w);
    neft_theory_clear(a);
    neft_theory_clear(b);
}

/* Every file in rules-bad/ gives exactly its line of rules-bad/EXPECTED, from
   a file and (when it has no NUL byte) from a string; and every file is
   listed. */
static void
test_corpus(void)
{
    char * expected, * line, * save;
    size_t len;
    int listed = 0, found = 0;
    DIR * dir;
    struct dirent * e;
    neft_theory_t th;

    neft_theory_init(th);
    expected = slurp("rules-bad/EXPECTED", &len);
    if (expected == NULL)
        FAIL("cannot read rules-bad/EXPECTED (run with cwd tests/)");

    for (line = strtok_r(expected, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save))
    {
        char * tab, path[512], want[2048], err[ERRSIZE];
        char * text;
        size_t tlen, size;

        if (line[0] == '#' || line[0] == '\0')
            continue;
        tab = strchr(line, '\t');
        if (tab == NULL)
            FAIL("EXPECTED: no tab in '%s'", line);
        *tab = '\0';
        snprintf(path, sizeof path, "rules-bad/%s", line);
        snprintf(want, sizeof want, "%s:%s", path, tab + 1);
        listed++;

        /* Start from a full theory: an error must leave it empty. */
        read_ok(th, neft_theory_default_text);
        if (neft_theory_read_file(th, path, err, sizeof err) != 2)
            FAIL("%s accepted", path);
        if (strcmp(err, want) != 0)
            FAIL("%s\n  got      %s\n  expected %s", path, err, want);
        if (th->length != 0 || th->name != NULL || th->prune != 0)
            FAIL("%s: theory not empty after the error", path);

        /* Cut messages never overrun the buffer. */
        for (size = 0; size < strlen(want) + 3; size += 1 + size / 8)
        {
            char * small = malloc(size + 1);
            small[size] = 'Z';
            if (neft_theory_read_file(th, path, size ? small : NULL, size) != 2)
                FAIL("%s size %zu", path, size);
            if (small[size] != 'Z')
                FAIL("%s size %zu: wrote past the end", path, size);
            if (size > 0 && (strlen(small) >= size || strncmp(small, want, size - 1) != 0))
                FAIL("%s size %zu: '%s'", path, size, small);
            free(small);
        }

        text = slurp(path, &tlen);
        if (text == NULL)
            FAIL("cannot read %s", path);
        if (memchr(text, '\0', tlen) == NULL)
        {
            if (neft_theory_read_string(th, text, path, err, sizeof err) != 2
                || strcmp(err, want) != 0)
                FAIL("%s as a string: %s", path, err);
        }
        free(text);
    }

    dir = opendir("rules-bad");
    if (dir == NULL)
        FAIL("cannot open rules-bad/");
    while ((e = readdir(dir)) != NULL)
    {
        size_t n = strlen(e->d_name);
        char key[300];
        char * all;
        if (n < 6 || strcmp(e->d_name + n - 6, ".rules") != 0)
            continue;
        found++;
        all = slurp("rules-bad/EXPECTED", &len);
        snprintf(key, sizeof key, "\n%s\t", e->d_name);
        if (strstr(all, key) == NULL)
            FAIL("rules-bad/%s is not listed in EXPECTED", e->d_name);
        free(all);
    }
    closedir(dir);
    if (found != listed || listed < 20)
        FAIL("%d files in rules-bad/, %d listed in EXPECTED", found, listed);

    free(expected);
    neft_theory_clear(th);
}

static void
test_files(void)
{
    neft_theory_t th;
    char err[ERRSIZE], want[ERRSIZE];

    neft_theory_init(th);
    read_ok(th, neft_theory_default_text);
    snprintf(want, sizeof want, "rules-bad/no-such-file.rules: cannot read: %s",
             strerror(ENOENT));
    if (neft_theory_read_file(th, "rules-bad/no-such-file.rules", err, sizeof err) != 2
        || strcmp(err, want) != 0 || th->length != 0)
        FAIL("nonexistent: %s", err);
    snprintf(want, sizeof want, "rules-bad: cannot read: %s", strerror(EISDIR));
    if (neft_theory_read_file(th, "rules-bad", err, sizeof err) != 2
        || strcmp(err, want) != 0)
        FAIL("directory: %s", err);
    snprintf(want, sizeof want, ": cannot read: %s", strerror(ENOENT));
    if (neft_theory_read_file(th, "", err, sizeof err) != 2 || strcmp(err, want) != 0)
        FAIL("empty path: %s", err);
    if (neft_theory_read_file(th, NULL, err, sizeof err) != 2)
        FAIL("NULL path");
    if (neft_theory_read_file(th, "rules-bad", NULL, 0) != 2)
        FAIL("NULL err");
    neft_theory_clear(th);
}

/* Random well-formed theories, written out with random layout, read back. */
static const char * const layout_blank[] = { " ", "  ", "\t", " \t " };

static void
emit_blank(char * t, size_t * pos, flint_rand_t state)
{
    const char * b = layout_blank[n_randint(state, 4)];
    memcpy(t + *pos, b, strlen(b));
    *pos += strlen(b);
}

static void
test_random_roundtrip(flint_rand_t state, int iters)
{
    int iter;
    char * text = malloc(1 << 16);

    for (iter = 0; iter < iters; iter++)
    {
        neft_theory_t ref, th;
        char err[ERRSIZE];
        size_t pos = 0;
        slong i, n = 1 + (slong) n_randint(state, NEFT_THEORY_COUPLINGS_MAX);
        int crlf = n_randint(state, 4) == 0;
        const char * eol = crlf ? "\r\n" : "\n";
        fmpz_t p, q;
        fmpq_t w;

        neft_theory_init(ref);
        neft_theory_init(th);
        fmpz_init(p);
        fmpz_init(q);
        fmpq_init(w);

        if (n_randint(state, 2))
        {
            ref->name = flint_malloc(32);
            snprintf(ref->name, 32, "theory %lu", (unsigned long) n_randint(state, 1000));
        }
        for (i = 0; i < n; i++)
        {
            char name[NEFT_THEORY_NAME_MAX + 1];
            slong l = 1 + (slong) n_randint(state, NEFT_THEORY_NAME_MAX), j;
            const char * first = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
            const char * rest = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
            do
            {
                name[0] = first[n_randint(state, 52)];
                for (j = 1; j < l; j++)
                    name[j] = rest[n_randint(state, 63)];
                name[l] = '\0';
            }
            while (neft_theory_find(ref, name) >= 0);
            fmpz_randtest_not_zero(p, state, 1 + n_randint(state, 300));
            fmpz_randtest_not_zero(q, state, 1 + n_randint(state, 300));
            fmpz_abs(q, q);
            fmpq_set_fmpz_frac(w, p, q);
            if (neft_theory_add_coupling(ref, name, 1 + (slong) n_randint(state,
                                         NEFT_THEORY_LEGS_MAX), w) != i)
                FAIL("add_coupling in random theory");
        }
        ref->prune = (unsigned) n_randint(state, 1u << NEFT_PRUNE_COUNT);

        /* Statements in order, with random blanks, comments and blank lines;
           the weight written unreduced (p*k/q*k) half of the time. */
        if (ref->name != NULL)
        {
            pos += (size_t) sprintf(text + pos, "name");
            emit_blank(text, &pos, state);
            pos += (size_t) sprintf(text + pos, "%s%s%s", ref->name,
                                    n_randint(state, 2) ? " # comment" : "", eol);
        }
        for (i = 0; i < n; i++)
        {
            char * ps, * qs;
            slong k = n_randint(state, 2) ? 1 : 1 + (slong) n_randint(state, 1000);
            fmpz_mul_si(p, fmpq_numref(ref->couplings[i].weight), k);
            fmpz_mul_si(q, fmpq_denref(ref->couplings[i].weight), k);
            ps = fmpz_get_str(NULL, 10, p);
            qs = fmpz_get_str(NULL, 10, q);
            if (n_randint(state, 3) == 0)
                pos += (size_t) sprintf(text + pos, "# coupling %ld%s%s", (long) i, eol, eol);
            if (n_randint(state, 2))
                emit_blank(text, &pos, state);
            pos += (size_t) sprintf(text + pos, "coupling");
            emit_blank(text, &pos, state);
            pos += (size_t) sprintf(text + pos, "%s", ref->couplings[i].name);
            emit_blank(text, &pos, state);
            pos += (size_t) sprintf(text + pos, "legs");
            emit_blank(text, &pos, state);
            pos += (size_t) sprintf(text + pos, "%ld", (long) ref->couplings[i].legs);
            emit_blank(text, &pos, state);
            pos += (size_t) sprintf(text + pos, "weight");
            emit_blank(text, &pos, state);
            if (fmpz_is_one(q) && n_randint(state, 2))
                pos += (size_t) sprintf(text + pos, "%s", ps);
            else
                pos += (size_t) sprintf(text + pos, "%s/%s", ps, qs);
            if (n_randint(state, 2))
                emit_blank(text, &pos, state);
            pos += (size_t) sprintf(text + pos, "%s", eol);
            flint_free(ps);
            flint_free(qs);
        }
        if (ref->prune == 0 && n_randint(state, 2))
            pos += (size_t) sprintf(text + pos, "prune none%s", eol);
        for (i = 0; i < NEFT_PRUNE_COUNT; i++)
            if (ref->prune & (1u << i))
                pos += (size_t) sprintf(text + pos, "prune %s%s", neft_prune_name((int) i), eol);
        if (n_randint(state, 2))
            pos -= strlen(eol);             /* no final line end */
        text[pos] = '\0';

        if (neft_theory_read_string(th, text, "random", err, sizeof err) != 0)
            FAIL("random theory rejected: %s\n%s", err, text);
        if ((ref->name == NULL) != (th->name == NULL)
            || (ref->name != NULL && strcmp(ref->name, th->name) != 0)
            || th->length != ref->length || th->prune != ref->prune)
            FAIL("random theory read back differently:\n%s", text);
        for (i = 0; i < n; i++)
            if (strcmp(th->couplings[i].name, ref->couplings[i].name) != 0
                || th->couplings[i].legs != ref->couplings[i].legs
                || !fmpq_equal(th->couplings[i].weight, ref->couplings[i].weight))
                FAIL("random coupling %ld read back differently:\n%s", (long) i, text);

        fmpz_clear(p);
        fmpz_clear(q);
        fmpq_clear(w);
        neft_theory_clear(ref);
        neft_theory_clear(th);
    }
    free(text);
}

/* Random corruptions of good files: the parser returns 0 or 2, never
   crashes; an error is one line "fuzz:LINE: ..." with LINE within the text,
   and leaves the theory empty; a success satisfies the invariants. */
static void
test_fuzz(flint_rand_t state, int iters)
{
    static const char * const seeds[] = {
        neft_theory_default_text,
        "coupling g3 legs 3 weight 1/6\ncoupling g4 legs 4 weight 1/24\nprune vacuum, 1pi\n",
        "name x\ncoupling a legs 2 weight -7/3 # c\nprune none\n",
    };
    static const char * const pieces[] = {
        "#", "\n", "\r", "\r\n", " ", "\t", "/", "-", "+", "0", "99999999999999999999",
        "coupling", "legs", "weight", "prune", "name", "none", ",", "1pi", "\xff",
        "\xc3", "\xe2\x88\xab", "\xf4\x90\x80\x80", "\x01", "lambda",
    };
    int iter;
    char * text = malloc(1 << 15);
    neft_theory_t th;

    neft_theory_init(th);
    for (iter = 0; iter < iters; iter++)
    {
        const char * seed = seeds[n_randint(state, 3)];
        size_t len = strlen(seed), lines = 1, k;
        int r, edits = 1 + (int) n_randint(state, 6), e;
        char err[ERRSIZE];

        memcpy(text, seed, len + 1);
        for (e = 0; e < edits; e++)
        {
            size_t at = len == 0 ? 0 : n_randint(state, len + 1);
            switch (n_randint(state, 4))
            {
                case 0:  /* replace a byte by a random nonzero byte */
                    if (at < len)
                        text[at] = (char) (1 + n_randint(state, 255));
                    break;
                case 1:  /* delete a run */
                {
                    size_t d = n_randint(state, 20);
                    if (at + d > len)
                        d = len - at;
                    memmove(text + at, text + at + d, len - at - d + 1);
                    len -= d;
                    break;
                }
                case 2:  /* insert a piece */
                {
                    const char * p = pieces[n_randint(state, sizeof pieces / sizeof pieces[0])];
                    size_t pl = strlen(p);
                    if (len + pl < 30000)
                    {
                        memmove(text + at + pl, text + at, len - at + 1);
                        memcpy(text + at, p, pl);
                        len += pl;
                    }
                    break;
                }
                default: /* truncate */
                    text[at] = '\0';
                    len = at;
            }
        }
        for (k = 0; k < len; k++)
            lines += text[k] == '\n';

        read_ok(th, neft_theory_default_text);
        r = neft_theory_read_string(th, text, "fuzz", err, sizeof err);
        if (r == 2)
        {
            char * end;
            long ln;
            if (strncmp(err, "fuzz:", 5) != 0)
                FAIL("fuzz message '%s' for\n%s", err, text);
            ln = strtol(err + 5, &end, 10);
            if (ln < 1 || (size_t) ln > lines || strncmp(end, ": ", 2) != 0
                || strchr(err, '\n') != NULL || strlen(end) < 5)
                FAIL("fuzz message '%s' (%zu lines) for\n%s", err, lines, text);
            if (th->length != 0 || th->name != NULL || th->prune != 0)
                FAIL("fuzz: theory not empty after '%s'", err);
        }
        else if (r == 0)
        {
            slong i;
            if (th->length < 1 || th->length > NEFT_THEORY_COUPLINGS_MAX
                || th->prune >= (1u << NEFT_PRUNE_COUNT))
                FAIL("fuzz: accepted an impossible theory from\n%s", text);
            for (i = 0; i < th->length; i++)
            {
                fmpq_t c;
                int ok;
                fmpq_init(c);
                fmpq_set(c, th->couplings[i].weight);
                fmpq_canonicalise(c);
                ok = fmpq_equal(c, th->couplings[i].weight) && !fmpq_is_zero(c)
                     && th->couplings[i].legs >= 1
                     && th->couplings[i].legs <= NEFT_THEORY_LEGS_MAX
                     && neft_theory_find(th, th->couplings[i].name) == i;
                fmpq_clear(c);
                if (!ok)
                    FAIL("fuzz: bad coupling %ld accepted from\n%s", (long) i, text);
            }
        }
        else
            FAIL("fuzz: returned %d for\n%s", r, text);
    }
    neft_theory_clear(th);
    free(text);
}

int
main(void)
{
    flint_rand_t state;

    printf("theory....");
    fflush(stdout);
    flint_randinit(state);

    test_shipped();
    test_weights();
    test_syntax();
    test_api();
    test_corpus();
    test_files();
    test_random_roundtrip(state, 2000);
    test_fuzz(state, 30000);

    flint_randclear(state);
    flint_cleanup();
    printf("PASS\n");
    return 0;
}
