/* Tests of the pruning-rule names, look-up, list parsing and printing. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <flint/flint.h>
#include <flint/ulong_extras.h>
#include "neft/prune.h"
#include "neft-test.h"

#define VALID "(valid: vacuum, two-point-component, self-energy, tadpole, " \
    "connected, one-particle-irreducible (alias 1pi), or none)"

static const char * const names[NEFT_PRUNE_COUNT] = {
    "vacuum", "two-point-component", "self-energy", "tadpole", "connected",
    "one-particle-irreducible",
};

static void
test_names(void)
{
    const unsigned flags[NEFT_PRUNE_COUNT] = {
        NEFT_PRUNE_VACUUM, NEFT_PRUNE_TWO_POINT_COMPONENT, NEFT_PRUNE_SELF_ENERGY,
        NEFT_PRUNE_TADPOLE, NEFT_PRUNE_CONNECTED, NEFT_PRUNE_1PI,
    };
    const char * bad[] = { "", "none", "Vacuum", "vacuum ", " vacuum", "1PI",
                           "vacuum,tadpole", "two_point_component", "selfenergy",
                           "one-particle-irreducible-", "1pi ", "v" };
    int i;

    for (i = 0; i < NEFT_PRUNE_COUNT; i++)
    {
        if (neft_prune_name(i) == NULL || strcmp(neft_prune_name(i), names[i]) != 0)
            FAIL("neft_prune_name(%d) = %s, expected %s", i,
                 neft_prune_name(i) ? neft_prune_name(i) : "NULL", names[i]);
        if (flags[i] != 1u << i)
            FAIL("flag %d is %u", i, flags[i]);
        if (neft_prune_lookup(names[i]) != flags[i])
            FAIL("neft_prune_lookup(%s) = %u", names[i], neft_prune_lookup(names[i]));
    }
    if (neft_prune_name(-1) != NULL || neft_prune_name(NEFT_PRUNE_COUNT) != NULL
        || neft_prune_name(1000) != NULL)
        FAIL("neft_prune_name out of range is not NULL");
    if (neft_prune_lookup("1pi") != NEFT_PRUNE_1PI)
        FAIL("alias 1pi");
    for (i = 0; i < (int) (sizeof bad / sizeof bad[0]); i++)
        if (neft_prune_lookup(bad[i]) != 0)
            FAIL("neft_prune_lookup('%s') = %u, expected 0", bad[i],
                 neft_prune_lookup(bad[i]));
    if (neft_prune_lookup(NULL) != 0)
        FAIL("neft_prune_lookup(NULL)");
}

static void
test_parse_good(void)
{
    static const struct { const char * list; unsigned mask; } good[] = {
        { "none", 0 },
        { "  none\t", 0 },
        { "vacuum", NEFT_PRUNE_VACUUM },
        { "vacuum,two-point-component", NEFT_PRUNE_VACUUM | NEFT_PRUNE_TWO_POINT_COMPONENT },
        { " vacuum , tadpole\t", NEFT_PRUNE_VACUUM | NEFT_PRUNE_TADPOLE },
        { "tadpole,vacuum", NEFT_PRUNE_VACUUM | NEFT_PRUNE_TADPOLE },
        { "1pi", NEFT_PRUNE_1PI },
        { "1pi,one-particle-irreducible", NEFT_PRUNE_1PI },
        { "connected,connected", NEFT_PRUNE_CONNECTED },
        { "self-energy", NEFT_PRUNE_SELF_ENERGY },
        { "vacuum,two-point-component,self-energy,tadpole,connected,one-particle-irreducible", 63 },
        { "one-particle-irreducible,connected,tadpole,self-energy,two-point-component,vacuum", 63 },
    };
    size_t i;

    for (i = 0; i < sizeof good / sizeof good[0]; i++)
    {
        unsigned m = 0xdead;
        char err[512] = "untouched";
        if (neft_prune_parse(&m, good[i].list, err, sizeof err) != 0)
            FAIL("parse '%s' failed: %s", good[i].list, err);
        if (m != good[i].mask)
            FAIL("parse '%s' = %u, expected %u", good[i].list, m, good[i].mask);
    }
}

static void
test_parse_bad(void)
{
    char longname[201];
    static const struct { const char * list; const char * msg; } bad[] = {
        { "", "empty prune list: expected a rule name " VALID },
        { "   ", "empty prune list: expected a rule name " VALID },
        { "foo", "unknown prune rule 'foo' " VALID },
        { "vacuum,foo", "unknown prune rule 'foo' " VALID },
        { "VACUUM", "unknown prune rule 'VACUUM' " VALID },
        { "vacuum tadpole", "unknown prune rule 'vacuum tadpole' " VALID },
        { "vacuum;tadpole", "unknown prune rule 'vacuum;tadpole' " VALID },
        { "vacuum,", "empty entry in prune list 'vacuum,' " VALID },
        { ",vacuum", "empty entry in prune list ',vacuum' " VALID },
        { "vacuum,,tadpole", "empty entry in prune list 'vacuum,,tadpole' " VALID },
        { "vacuum, ,tadpole", "empty entry in prune list 'vacuum, ,tadpole' " VALID },
        { "none,vacuum", "'none' cannot be combined with other rules in 'none,vacuum' " VALID },
        { "none,none", "'none' cannot be combined with other rules in 'none,none' " VALID },
        { "vacuum , none", "'none' cannot be combined with other rules in 'vacuum , none' " VALID },
    };
    size_t i;
    char expect[512];

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    {
        unsigned m = 0xdead;
        char err[512];
        if (neft_prune_parse(&m, bad[i].list, err, sizeof err) != -1)
            FAIL("parse '%s' succeeded", bad[i].list);
        if (m != 0xdead)
            FAIL("parse '%s' changed the mask", bad[i].list);
        if (strcmp(err, bad[i].msg) != 0)
            FAIL("parse '%s' message\n  got      %s\n  expected %s", bad[i].list,
                 err, bad[i].msg);
        if (strchr(err, '\n') != NULL)
            FAIL("parse '%s' message has a newline", bad[i].list);
    }

    /* A long bad entry is quoted shortened. */
    memset(longname, 'q', 200);
    longname[200] = '\0';
    {
        unsigned m = 7;
        char err[512];
        snprintf(expect, sizeof expect, "unknown prune rule '%.40s...' " VALID, longname);
        if (neft_prune_parse(&m, longname, err, sizeof err) != -1 || m != 7
            || strcmp(err, expect) != 0)
            FAIL("long entry: %s", err);
    }

    /* Shortening never splits a UTF-8 character: 39 ASCII bytes then a
       two-byte character straddling the 40-byte limit. */
    {
        char s[64], err[512];
        unsigned m;
        memset(s, 'a', 39);
        memcpy(s + 39, "\xc3\xa9\xc3\xa9", 5);
        snprintf(expect, sizeof expect, "unknown prune rule '%.39s...' " VALID, s);
        if (neft_prune_parse(&m, s, err, sizeof err) != -1 || strcmp(err, expect) != 0)
            FAIL("utf-8 cut: %s", err);
    }

    /* Small buffers: the message is cut, NUL-terminated, nothing written
       past errsize. */
    {
        const char * full = "unknown prune rule 'foo' " VALID;
        size_t size, len = strlen(full);
        for (size = 0; size <= len + 2; size++)
        {
            char buf[600];
            unsigned m = 5;
            memset(buf, 'Z', sizeof buf);
            if (neft_prune_parse(&m, "foo", size ? buf : NULL, size) != -1 || m != 5)
                FAIL("small buffer %zu", size);
            if (size > 0)
            {
                size_t k = size - 1 < len ? size - 1 : len;
                if (memcmp(buf, full, k) != 0 || buf[k] != '\0')
                    FAIL("small buffer %zu: wrong prefix", size);
            }
            if (buf[size] != 'Z' || buf[size + 1] != 'Z')
                FAIL("small buffer %zu: wrote past the end", size);
        }
        /* err may be NULL with errsize 0. */
        {
            unsigned m = 0;
            if (neft_prune_parse(&m, "vacuum", NULL, 0) != 0 || m != 1)
                FAIL("NULL err on success");
        }
    }
}

static void
test_format(void)
{
    unsigned mask;
    char full[256], buf[256];

    if (neft_prune_format(full, sizeof full, 0) != 4 || strcmp(full, "none") != 0)
        FAIL("format 0: %s", full);
    if (neft_prune_format(full, sizeof full, 3) != 26
        || strcmp(full, "vacuum,two-point-component") != 0)
        FAIL("format 3: %s", full);
    if (neft_prune_format(full, sizeof full, NEFT_PRUNE_1PI | NEFT_PRUNE_TADPOLE) != 32
        || strcmp(full, "tadpole,one-particle-irreducible") != 0)
        FAIL("format 1pi|tadpole: %s", full);
    /* Bits naming no rule are ignored. */
    neft_prune_format(full, sizeof full, 1u << 20);
    if (strcmp(full, "none") != 0)
        FAIL("format 1<<20: %s", full);
    neft_prune_format(full, sizeof full, (1u << 20) | 1u);
    if (strcmp(full, "vacuum") != 0)
        FAIL("format 1<<20|1: %s", full);

    for (mask = 0; mask < (1u << NEFT_PRUNE_COUNT); mask++)
    {
        int len = neft_prune_format(full, sizeof full, mask);
        unsigned back = 0xdead;
        char err[512];
        size_t size;
        int i, pos;

        if (len < 0 || (size_t) len != strlen(full))
            FAIL("format %u: length %d for '%s'", mask, len, full);
        if (neft_prune_format(NULL, 0, mask) != len)
            FAIL("format %u: NULL buffer gives another length", mask);
        if (neft_prune_parse(&back, full, err, sizeof err) != 0 || back != mask)
            FAIL("format %u: '%s' parses to %u (%s)", mask, full, back, err);

        /* canonical order: names appear in increasing bit order */
        pos = 0;
        for (i = 0; i < NEFT_PRUNE_COUNT; i++)
            if (mask & (1u << i))
            {
                size_t l = strlen(names[i]);
                if (strncmp(full + pos, names[i], l) != 0)
                    FAIL("format %u: '%s' not in canonical order", mask, full);
                pos += (int) l;
                if (full[pos] == ',')
                    pos++;
            }

        /* snprintf semantics for every buffer size */
        for (size = 0; size <= (size_t) len + 2; size++)
        {
            memset(buf, 'Z', sizeof buf);
            if (neft_prune_format(size ? buf : NULL, size, mask) != len)
                FAIL("format %u size %zu: length", mask, size);
            if (size > 0)
            {
                size_t k = size - 1 < (size_t) len ? size - 1 : (size_t) len;
                if (memcmp(buf, full, k) != 0 || buf[k] != '\0')
                    FAIL("format %u size %zu: '%.*s'", mask, size, (int) size, buf);
            }
            if (buf[size] != 'Z')
                FAIL("format %u size %zu: wrote past the end", mask, size);
        }
    }
}

/* Random lists: names and the alias in random order, with random blanks
   and repetitions, parse to the union of their flags. */
static void
test_random(void)
{
    flint_rand_t state;
    int iter;

    flint_randinit(state);
    for (iter = 0; iter < 20000; iter++)
    {
        char list[1024], err[512];
        size_t pos = 0;
        unsigned expect = 0, got = 0xdead;
        int k, n = 1 + (int) n_randint(state, 8);

        for (k = 0; k < n; k++)
        {
            int r = (int) n_randint(state, NEFT_PRUNE_COUNT + 1);
            const char * name = r == NEFT_PRUNE_COUNT ? "1pi" : names[r];
            int b;

            expect |= r == NEFT_PRUNE_COUNT ? NEFT_PRUNE_1PI : 1u << r;
            if (k > 0)
                list[pos++] = ',';
            for (b = (int) n_randint(state, 3); b > 0; b--)
                list[pos++] = n_randint(state, 2) ? ' ' : '\t';
            memcpy(list + pos, name, strlen(name));
            pos += strlen(name);
            for (b = (int) n_randint(state, 3); b > 0; b--)
                list[pos++] = ' ';
        }
        list[pos] = '\0';

        if (neft_prune_parse(&got, list, err, sizeof err) != 0 || got != expect)
            FAIL("random list '%s': got %u, expected %u (%s)", list, got, expect, err);

        /* One corrupted byte either still names valid rules or is reported
           with the valid names listed. */
        if (pos > 0)
        {
            size_t at = n_randint(state, pos);
            list[at] = (char) (1 + n_randint(state, 255));
            got = 0xdead;
            if (neft_prune_parse(&got, list, err, sizeof err) != 0)
            {
                if (got != 0xdead || strstr(err, VALID) == NULL)
                    FAIL("corrupted list: %s", err);
            }
        }
    }
    flint_randclear(state);
}

int
main(void)
{
    printf("prune....");
    fflush(stdout);
    test_names();
    test_parse_good();
    test_parse_bad();
    test_format();
    test_random();
    printf("PASS\n");
    flint_cleanup();
    return 0;
}
