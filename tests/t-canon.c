/* Property tests of the canonical labelling (_neft_canon): for random
   coloured multigraphs, (1) relabelling by a random colour-preserving
   permutation gives the same certificate, (2) the automorphism count equals a
   brute-force count over all permutations, (3) equal certificates of two
   random graphs imply an explicit isomorphism (brute force). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/diagram.h"
#include "neft-test.h"

#define NMAX 8

static ulong
brute_iso_count(int N, const int * ca, const unsigned char * A,
                const int * cb, const unsigned char * B, int stop_at_one)
{
    int p[NMAX], used[NMAX] = {0}, depth = 0, i;
    ulong count = 0;
    p[0] = -1;
    /* iterative permutation enumeration with pruning by colour and adjacency */
    while (depth >= 0)
    {
        int v = p[depth] + 1;
        if (p[depth] >= 0)
            used[p[depth]] = 0;
        for (; v < N; v++)
        {
            int ok = !used[v] && ca[depth] == cb[v];
            for (i = 0; ok && i <= depth; i++)
            {
                int img = (i == depth) ? v : p[i];
                if (A[depth * N + i] != B[v * N + img])
                    ok = 0;
            }
            if (ok)
                break;
        }
        if (v == N)
        {
            p[depth] = -1;
            depth--;
            continue;
        }
        p[depth] = v;
        used[v] = 1;
        if (depth == N - 1)
        {
            count++;
            if (stop_at_one)
                return 1;
            continue;
        }
        depth++;
        p[depth] = -1;
    }
    return count;
}

static void
random_graph(flint_rand_t st, int N, int * colour, unsigned char * A, int ncol, int dens)
{
    int i, j;
    memset(A, 0, N * N);
    for (i = 0; i < N; i++)
        colour[i] = n_randint(st, ncol);
    for (i = 0; i < N; i++)
        for (j = i; j < N; j++)
            if ((int) n_randint(st, 100) < dens)
            {
                int m = 1 + n_randint(st, 2);
                A[i * N + j] = m;
                A[j * N + i] = m;
            }
}

int
main(void)
{
    flint_rand_t st;
    int iter, equal_pairs = 0;
    flint_randinit(st);

    for (iter = 0; iter < 20000 && !neft_test_failures; iter++)
    {
        int N = 1 + n_randint(st, NMAX), ncol = 1 + n_randint(st, 3);
        int dens = 10 + n_randint(st, 60);
        int colour[NMAX], colour2[NMAX], perm[NMAX], lab[NMAX], lab2[NMAX], i, j;
        unsigned char A[NMAX * NMAX], B[NMAX * NMAX];
        unsigned char k1[NEFT_DIAGRAM_KEY_MAX], k2[NEFT_DIAGRAM_KEY_MAX];
        slong l1, l2;
        ulong aut, aut2, brute;

        random_graph(st, N, colour, A, ncol, dens);
        for (i = 0; i < N; i++)
            perm[i] = i;
        for (i = N - 1; i > 0; i--)
        {
            j = n_randint(st, i + 1);
            int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        }
        for (i = 0; i < N; i++)
        {
            colour2[perm[i]] = colour[i];
            for (j = 0; j < N; j++)
                B[perm[i] * N + perm[j]] = A[i * N + j];
        }
        aut = _neft_canon(lab, N, colour, A);
        aut2 = _neft_canon(lab2, N, colour2, B);
        l1 = _neft_canon_key(k1, N, colour, A, lab);
        l2 = _neft_canon_key(k2, N, colour2, B, lab2);
        brute = brute_iso_count(N, colour, A, colour, A, 0);
        CHECK(l1 == l2 && !memcmp(k1, k2, l1) && aut == aut2 && aut == brute,
              "iter %d N=%d: keys %s, aut %lu %lu brute %lu", iter, N,
              (l1 == l2 && !memcmp(k1, k2, l1)) ? "equal" : "differ",
              (unsigned long) aut, (unsigned long) aut2, (unsigned long) brute);

        /* an independent random graph: equal keys iff isomorphic */
        random_graph(st, N, colour2, B, ncol, dens);
        _neft_canon(lab2, N, colour2, B);
        l2 = _neft_canon_key(k2, N, colour2, B, lab2);
        {
            int same = (l1 == l2 && !memcmp(k1, k2, l1));
            int iso = brute_iso_count(N, colour, A, colour2, B, 1) > 0;
            CHECK(same == iso, "iter %d N=%d: keys %s but brute force says %s", iter, N,
                  same ? "equal" : "differ", iso ? "isomorphic" : "not isomorphic");
            equal_pairs += same;
        }
    }
    flint_randclear(st);
    flint_cleanup();
    if (!neft_test_failures)
        printf("t-canon: 20000 random graphs: keys invariant, |Aut| = brute force; "
               "%d isomorphic random pairs recognised\n", equal_pairs);
    return neft_test_finish("t-canon");
}
