/* neft_points: exact rationals of point lists and their double, ball and
   text views (include/neft/points.h). */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/points.h"
#include "neft-test.h"

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned long long
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* q == a/b */
static int
is_frac(const fmpq_t q, slong a, slong b)
{
    fmpq_t r;
    int eq;
    fmpq_init(r);
    fmpq_set_si(r, a, b);
    eq = fmpq_equal(q, r);
    fmpq_clear(r);
    return eq;
}

/* A random decimal: sign, 1..25 digits, a point somewhere, an exponent in
   [-340, 320] or none. */
static void
random_decimal(char * buf)
{
    int nd = 1 + (int) (rng() % 25), pt = (int) (rng() % (nd + 1)), i;
    char * p = buf;
    if (rng() % 2)
        *p++ = '-';
    for (i = 0; i < nd; i++)
    {
        if (i == pt && rng() % 2)
            *p++ = '.';
        *p++ = (char) ('0' + rng() % 10);
    }
    if (rng() % 4)
        p += sprintf(p, "%c%d", rng() % 2 ? 'e' : 'E', (int) (rng() % 661) - 340);
    *p = '\0';
}

int
main(void)
{
    neft_points_t P;
    char err[256], buf[128];
    fmpq_t q;
    arb_t x;
    slong i, k, agree = 0;

    neft_points_init(P);
    fmpq_init(q);
    arb_init(x);

    /* exact values */
    CHECK(neft_points_parse_rational(q, "0.2") == 0 && is_frac(q, 1, 5), "0.2 is not 1/5");
    CHECK(neft_points_parse_rational(q, "1/3") == 0 && is_frac(q, 1, 3), "1/3");
    CHECK(neft_points_parse_rational(q, "-2.5e-3") == 0 && is_frac(q, -1, 400), "-2.5e-3");
    CHECK(neft_points_parse_rational(q, "2E-3") == 0 && is_frac(q, 1, 500), "2E-3");
    CHECK(neft_points_parse_rational(q, "-6/4") == 0 && is_frac(q, -3, 2), "-6/4 canonical");
    CHECK(neft_points_parse_rational(q, "1/0") != 0, "1/0 accepted");
    CHECK(neft_points_parse_rational(q, "0.5x") != 0, "0.5x accepted");
    CHECK(neft_points_parse_rational(q, "1e1001") != 0, "exponent past 1000 accepted");
    /* exponents beyond long (strtol gives LONG_MIN/LONG_MAX): refused without
       overflowing the exponent sum (UBSan in the ASan build; found by fuzz-points) */
    CHECK(neft_points_parse_rational(q, "-.0e-2519000000000000000000000008") != 0,
          "exponent below LONG_MIN accepted");
    CHECK(neft_points_parse_rational(q, "0.5e99999999999999999999999") != 0,
          "exponent above LONG_MAX accepted");
    CHECK(neft_points_parse_rational(q, "") != 0 && neft_points_parse_rational(q, ".") != 0
          && neft_points_parse_rational(q, "e5") != 0, "empty numbers accepted");

    /* a list: decimal grammar */
    CHECK(neft_points_parse(P, "0.2,1;-2.5e-3,0x1p-2", 2, NEFT_POINTS_DECIMAL, 0, "--at", err,
                            sizeof err) == 0, "parse: %s", err);
    CHECK(P->npoints == 2 && P->d_in == 2, "shape %ld x %ld", (long) P->npoints, (long) P->d_in);
    if (P->npoints == 2)
    {
        CHECK(is_frac(P->q + 0, 1, 5) && is_frac(P->q + 1, 1, 1) && is_frac(P->q + 2, -1, 400)
              && is_frac(P->q + 3, 1, 4), "rationals of the list");
        CHECK(neft_points_get_d(P, 0) == strtod("0.2", NULL)
              && neft_points_get_d(P, 2) == -2.5e-3 && neft_points_get_d(P, 3) == 0.25,
              "double view of the list");
        CHECK(!strcmp(neft_points_get_text(P, 2), "-2.5e-3")
              && !strcmp(neft_points_get_text(P, 3), "0x1p-2"), "text view");
        for (i = 0; i < 4; i++)
            for (k = 30; k <= 300; k += 90)
            {
                neft_points_get_arb(x, P, i, k);
                CHECK(arb_contains_fmpq(x, P->q + i) && arb_rel_accuracy_bits(x) >= k - 2,
                      "ball of coordinate %ld at prec %ld", (long) i, (long) k);
            }
    }
    /* the exact grammar takes fractions, the decimal one does not */
    CHECK(neft_points_parse(P, "1/3;2", 1, NEFT_POINTS_EXACT, 0, "--at", err, sizeof err) == 0
          && P->npoints == 2 && is_frac(P->q, 1, 3), "exact grammar: %s", err);
    CHECK(neft_points_parse(P, "1/3;2", 1, NEFT_POINTS_DECIMAL, 0, "--at", err, sizeof err) != 0
          && !strcmp(err, "--at: point 1: expected a finite number, got '1/3'")
          && P->npoints == 0, "decimal grammar on 1/3: %s", err);

    /* NEFT_POINTS_BLANKS (neft eval --at): blanks around a coordinate are
       dropped, in both grammars; blanks only, or inside a number, are not
       a number */
    CHECK(neft_points_parse(P, " 1/3 ,\t0.5;-2 , 1e1 ", 2, NEFT_POINTS_EXACT | NEFT_POINTS_BLANKS,
                            0, "--at", err, sizeof err) == 0 && P->npoints == 2
          && is_frac(P->q, 1, 3) && is_frac(P->q + 1, 1, 2) && is_frac(P->q + 2, -2, 1)
          && is_frac(P->q + 3, 10, 1) && !strcmp(neft_points_get_text(P, 0), "1/3")
          && !strcmp(neft_points_get_text(P, 3), "1e1"), "blanks, exact: %s", err);
    CHECK(neft_points_parse(P, "0.25 ; 2 ", 1, NEFT_POINTS_DECIMAL | NEFT_POINTS_BLANKS, 0, "--at",
                            err, sizeof err) == 0 && P->npoints == 2 && is_frac(P->q, 1, 4)
          && P->d[1] == 2.0, "blanks, decimal: %s", err);
    CHECK(neft_points_parse(P, "1; ;2", 1, NEFT_POINTS_EXACT | NEFT_POINTS_BLANKS, 0, "--at", err,
                            sizeof err) != 0
          && !strcmp(err, "--at: point 2: expected a finite number, got ''"), "blanks only: %s",
          err);
    CHECK(neft_points_parse(P, "1 2", 1, NEFT_POINTS_EXACT | NEFT_POINTS_BLANKS, 0, "--at", err,
                            sizeof err) != 0
          && !strcmp(err, "--at: point 1: expected a finite number, got '1 2'"),
          "blank inside: %s", err);

    /* the error messages of the CLI (tests/badinput.py, tests/cli.py) */
    {
        static const char * cases[][3] = {
            {"1,2", "1", "--at: point 1 has 2 coordinates, expected 1 (--d-in)"},
            {"1;", "1", "--at: point 2: expected a finite number, got ''"},
            {"1; 2", "1", "--at: point 2: expected a finite number, got ' 2'"},
            {"1;2 ", "1", "--at: point 2: expected a finite number, got '2 '"},
            {"inf", "1", "--at: point 1: expected a finite number, got 'inf'"},
            {"nan", "1", "--at: point 1: expected a finite number, got 'nan'"},
            {"1e999", "1", "--at: point 1: expected a finite number, got '1e999'"},
            {"1;2;3;4", "1", "--at: more than 3 points"},
            {"1;2,3", "2", "--at: point 1 has 1 coordinates, expected 2 (--d-in)"},
        };
        for (i = 0; i < (slong) (sizeof cases / sizeof cases[0]); i++)
        {
            int r = neft_points_parse(P, cases[i][0], atol(cases[i][1]), NEFT_POINTS_DECIMAL, 3,
                                      "--at", err, sizeof err);
            CHECK(r == -1 && !strcmp(err, cases[i][2]) && P->npoints == 0,
                  "'%s': %d '%s'", cases[i][0], r, err);
        }
        CHECK(neft_points_parse(P, "1;2;3", 1, NEFT_POINTS_DECIMAL, 3, "--at", err, sizeof err)
              == 0 && P->npoints == 3, "three points under a limit of 3: %s", err);
    }

    /* the double view is strtod's value on random decimals (normal,
       subnormal, overflowing), and the parse takes what strtod takes */
    for (k = 0; k < 10000; k++)
    {
        double s, d;
        char * end;
        int range;
        random_decimal(buf);
        errno = 0;
        s = strtod(buf, &end);
        range = errno == ERANGE;
        if (neft_points_parse_rational(q, buf) != 0)
        {
            CHECK(0, "'%s' not parsed", buf);
            continue;
        }
        d = neft_points_fmpq_get_d(q);
        if (d == 0.0 && signbit(s))
            d = -0.0;      /* the rational 0 has no sign; the list keeps '-' (below) */
        CHECK(*end == '\0' && memcmp(&d, &s, sizeof d) == 0, "'%s': %.17g, strtod %.17g", buf, d,
              s);
        agree += memcmp(&d, &s, sizeof d) == 0;
        if (!range && isfinite(s))
        {
            int r = neft_points_parse(P, buf, 1, NEFT_POINTS_DECIMAL, 0, "--at", err, sizeof err);
            CHECK(r == 0 && fmpq_equal(P->q, q) && memcmp(P->d, &s, sizeof s) == 0,
                  "'%s' in a list: %s", buf, err);
        }
    }
    CHECK(agree == 10000, "%ld of 10000 agree with strtod", (long) agree);
    CHECK(neft_points_parse(P, "-0;-0.000e5;0", 1, NEFT_POINTS_DECIMAL, 0, "--at", err,
                            sizeof err) == 0 && signbit(P->d[0]) && signbit(P->d[1])
          && !signbit(P->d[2]) && fmpq_is_zero(P->q), "signed zeros: %s", err);
    /* boundaries: the smallest subnormal and its half, the largest double
       and the halfway to 2^1024, ties to even */
    {
        static const char * edge[] = {
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "2.2250738585072011e-308", "2.2250738585072014e-308", "2.2250738585072012e-308",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.797693134862315807e308",
            "1.7976931348623159e308", "9007199254740993", "9007199254740995", "0.1", "-0",
            "1e-400", "1e400"};
        for (i = 0; i < (slong) (sizeof edge / sizeof edge[0]); i++)
        {
            double s = strtod(edge[i], NULL), d;
            CHECK(neft_points_parse_rational(q, edge[i]) == 0, "'%s' not parsed", edge[i]);
            d = neft_points_fmpq_get_d(q);
            CHECK((d == s && signbit(d) == signbit(s)) || (i == 13 && d == 0.0),
                  "'%s': %.17g, strtod %.17g", edge[i], d, s);
        }
    }

    arb_clear(x);
    fmpq_clear(q);
    neft_points_clear(P);
    flint_cleanup();
    return neft_test_finish("t-points");
}
