/* The running read locally (neft_eft_local): the local slope, the beta
   function and the last decade's slope against closed forms (power laws,
   exact balls), the errors propagated from the data against finite
   differences of the whole computation, the n/a cases, and the expected
   exponents (neft_eft_expected_slope). */

#include <math.h>
#include <string.h>
#include "neft/eft.h"
#include "neft-test.h"

#define PREC 128

/* the paper's cutoffs: 21 from 7 to 1e5, log-spaced */
static void
cutoffs(arb_ptr L, slong n)
{
    slong i;
    for (i = 0; i < n; i++)
        arb_set_d(L + i, 7 * pow(1e5 / 7, (double) i / (double) (n - 1)));
}

/* g_i = a L_i^p (exact data): every local slope contains p, every beta
   (a L_{i+1}^p - a L_i^p) / log(L_{i+1}/L_i), the last decade is cutoffs
   16..20 and its slope contains p. */
static void
check_power(double a, double p)
{
    slong n = 21, i;
    arb_ptr L = _arb_vec_init(n), g = _arb_vec_init(n);
    arb_t t, u, P;
    neft_eft_local_t R;
    arb_init(t);
    arb_init(u);
    arb_init(P);
    arb_set_d(P, p);
    cutoffs(L, n);
    for (i = 0; i < n; i++)
    {
        arb_pow(g + i, L + i, P, PREC);
        arb_set_d(u, a);
        arb_mul(g + i, g + i, u, PREC);
    }
    neft_eft_local_init(R);
    CHECK(neft_eft_local(R, L, g, NULL, NULL, 0, n, NULL, PREC) == NEFT_EFT_RUNNING_OK,
          "power law a = %g p = %g: last decade", a, p);
    CHECK(R->n == n && R->first == 16, "last decade: first cutoff %ld (16 expected)",
          (long) R->first);
    CHECK(fabs(R->from - 7 * pow(1e5 / 7, 0.8)) < 1e-6 * R->from && R->to == 1e5,
          "last decade from %g to %g", R->from, R->to);
    CHECK(arb_contains(R->p, P) && mag_cmp_2exp_si(arb_radref(R->p), -80) < 0,
          "last decade's slope contains %g", p);
    CHECK(fabs(R->lo - p) < 1e-12 && fabs(R->hi - p) < 1e-12, "local slopes in the decade %g .. %g",
          R->lo, R->hi);
    for (i = 0; i < n - 1; i++)
    {
        CHECK(R->st[i] == NEFT_EFT_RUNNING_OK && arb_contains(R->slope + i, P)
              && mag_cmp_2exp_si(arb_radref(R->slope + i), -80) < 0,
              "local slope %ld contains %g", (long) i, p);
        CHECK(fabs(R->x[i] - sqrt(arf_get_d(arb_midref(L + i), ARF_RND_NEAR)
                                  * arf_get_d(arb_midref(L + i + 1), ARF_RND_NEAR)))
              < 1e-12 * R->x[i], "interval %ld at the geometric mean", (long) i);
        /* beta: the difference quotient in log L */
        arb_sub(t, g + i + 1, g + i, PREC);
        arb_div(u, L + i + 1, L + i, PREC);
        arb_log(u, u, PREC);
        arb_div(t, t, u, PREC);
        CHECK(arb_overlaps(t, R->beta + i) && arb_is_zero(R->beta_sd + i),
              "beta %ld", (long) i);
        CHECK(arb_is_zero(R->slope_sd + i), "exact data: no statistical error");
    }
    neft_eft_local_clear(R);
    arb_clear(t);
    arb_clear(u);
    arb_clear(P);
    _arb_vec_clear(L, n);
    _arb_vec_clear(g, n);
}

/* g = 1/(L + 20): the slope still runs, -L/(L + 20); the last decade's
   local slopes range over the values between its cutoffs, and its fitted
   slope lies inside that range. */
static void
check_runs(void)
{
    slong n = 21, i;
    arb_ptr L = _arb_vec_init(n), g = _arb_vec_init(n);
    neft_eft_local_t R;
    double a = 1e9, b = -1e9, p;   /* (the secants differ from -x/(x + 20) by ~1e-5) */
    cutoffs(L, n);
    for (i = 0; i < n; i++)
    {
        arb_add_ui(g + i, L + i, 20, PREC);
        arb_inv(g + i, g + i, PREC);
    }
    neft_eft_local_init(R);
    neft_eft_local(R, L, g, NULL, NULL, 0, n, NULL, PREC);
    for (i = 16; i < n - 1; i++)
    {
        double x = R->x[i], s = -x / (x + 20);      /* about the local slope there */
        a = FLINT_MIN(a, s);
        b = FLINT_MAX(b, s);
    }
    p = arf_get_d(arb_midref(R->p), ARF_RND_NEAR);
    CHECK(fabs(R->lo - a) < 2e-5 && fabs(R->hi - b) < 2e-5 && R->lo < R->hi
          && p > R->lo && p < R->hi, "running slope: local %g .. %g (about %g .. %g), p %g",
          R->lo, R->hi, a, b, p);
    neft_eft_local_clear(R);
    _arb_vec_clear(L, n);
    _arb_vec_clear(g, n);
}

/* g_i = maps_i . y (T = 3 data, errors s): the errors of the local slopes,
   the betas and the last decade's slope against the finite differences of
   the whole computation, sd = sum_t |dX/dy_t| s_t. */
static void
check_errors(void)
{
    slong n = 8, T = 3, i, t, q;
    arb_ptr L = _arb_vec_init(n), g = _arb_vec_init(n), e = _arb_vec_init(n);
    arb_ptr y = _arb_vec_init(T), s = _arb_vec_init(T);
    arb_mat_struct * maps = flint_malloc(n * sizeof(arb_mat_struct));
    double fd_sl[8], fd_be[8], fd_p = 0, h = 1e-7;
    neft_eft_local_t R, Q;
    static const double yv[3] = {-2, 0.5, -1}, sv[3] = {0.01, 0.02, 0.005};

    for (i = 0; i < n; i++)
    {
        arb_set_d(L + i, pow(3.0, (double) i));
        arb_mat_init(maps + i, 1, T);
        /* lambda_i ~ L^-1 with a slowly turning mix of the data */
        for (t = 0; t < T; t++)
            arb_set_d(arb_mat_entry(maps + i, 0, t),
                      pow(3.0, -(double) i) * (1 + 0.1 * (double) t * sin((double) i)));
    }
    for (t = 0; t < T; t++)
        arb_set_d(s + t, sv[t]);
    for (i = 0; i < n - 1; i++)
        fd_sl[i] = fd_be[i] = 0;
    neft_eft_local_init(R);
    neft_eft_local_init(Q);
    for (q = -1; q < T; q++)
    {
        for (t = 0; t < T; t++)
            arb_set_d(y + t, yv[t] + (t == q ? h : 0));
        for (i = 0; i < n; i++)
        {
            arb_zero(g + i);
            for (t = 0; t < T; t++)
                arb_addmul(g + i, arb_mat_entry(maps + i, 0, t), y + t, PREC);
            /* errors (for the noise check and the weights): held fixed */
            arb_set_d(e + i, 0.01 * pow(3.0, -(double) i));
        }
        neft_eft_local(q < 0 ? R : Q, L, g, e, maps, 0, n, s, PREC);
        if (q < 0)
            continue;
        for (i = 0; i < n - 1; i++)
        {
            fd_sl[i] += fabs(arf_get_d(arb_midref(Q->slope + i), ARF_RND_NEAR)
                             - arf_get_d(arb_midref(R->slope + i), ARF_RND_NEAR)) / h * sv[q];
            fd_be[i] += fabs(arf_get_d(arb_midref(Q->beta + i), ARF_RND_NEAR)
                             - arf_get_d(arb_midref(R->beta + i), ARF_RND_NEAR)) / h * sv[q];
        }
        fd_p += fabs(arf_get_d(arb_midref(Q->p), ARF_RND_NEAR)
                     - arf_get_d(arb_midref(R->p), ARF_RND_NEAR)) / h * sv[q];
    }
    CHECK(R->last == NEFT_EFT_RUNNING_OK && R->first == n - 3, "errors: last decade %d first %ld",
          R->last, (long) R->first);
    for (i = 0; i < n - 1; i++)
    {
        double a = arf_get_d(arb_midref(R->slope_sd + i), ARF_RND_NEAR);
        double b = arf_get_d(arb_midref(R->beta_sd + i), ARF_RND_NEAR);
        CHECK(R->st[i] == NEFT_EFT_RUNNING_OK && fabs(a - fd_sl[i]) < 1e-4 * fd_sl[i]
              && a > 0, "slope %ld error %g, finite differences %g", (long) i, a, fd_sl[i]);
        CHECK(fabs(b - fd_be[i]) < 1e-4 * fd_be[i] && b > 0,
              "beta %ld error %g, finite differences %g", (long) i, b, fd_be[i]);
        CHECK(arf_cmp(arb_midref(R->slope_sdi + i), arb_midref(R->slope_sd + i)) <= 0,
              "independent error below the correlated bound");
    }
    {
        /* the last decade's fit moves its weights with g: the finite
           difference sees the same first-order change */
        double a = arf_get_d(arb_midref(R->p_sd), ARF_RND_NEAR);
        CHECK(fabs(a - fd_p) < 1e-4 * fd_p && a > 0, "last decade error %g, finite differences %g",
              a, fd_p);
    }
    /* a value within its error: no slope on the intervals next to it, the
       betas still set, and no last decade when it is in it */
    arb_set_d(e + n - 2, 10);
    neft_eft_local(R, L, g, e, maps, 0, n, s, PREC);
    CHECK(R->st[n - 3] == NEFT_EFT_RUNNING_NOISY && R->st[n - 2] == NEFT_EFT_RUNNING_NOISY
          && R->st[n - 4] == NEFT_EFT_RUNNING_OK && arb_is_finite(R->beta + n - 2)
          && R->last == NEFT_EFT_RUNNING_NOISY, "noisy value: statuses %d %d %d, last %d",
          R->st[n - 4], R->st[n - 3], R->st[n - 2], R->last);
    /* a value that may be 0 */
    arb_zero(g + 1);
    mag_set_d(arb_radref(g + 1), 1e-3);
    neft_eft_local(R, L, g, NULL, NULL, 0, n, NULL, PREC);
    CHECK(R->st[0] == NEFT_EFT_RUNNING_ZERO && R->st[1] == NEFT_EFT_RUNNING_ZERO
          && R->st[2] == NEFT_EFT_RUNNING_OK && R->last == NEFT_EFT_RUNNING_OK,
          "value that may be 0: statuses %d %d %d", R->st[0], R->st[1], R->st[2]);
    /* one cutoff: nothing */
    CHECK(neft_eft_local(R, L, g, NULL, NULL, 0, 1, NULL, PREC) != NEFT_EFT_RUNNING_OK
          && R->n == 0, "one cutoff");
    neft_eft_local_clear(R);
    neft_eft_local_clear(Q);
    for (i = 0; i < n; i++)
        arb_mat_clear(maps + i);
    flint_free(maps);
    _arb_vec_clear(L, n);
    _arb_vec_clear(g, n);
    _arb_vec_clear(e, n);
    _arb_vec_clear(y, T);
    _arb_vec_clear(s, T);
}

/* The text and JSON writers: the JSON members parse as part of an object. */
static void
check_write(void)
{
    slong n = 5, i;
    arb_ptr L = _arb_vec_init(n), g = _arb_vec_init(n);
    neft_eft_local_t R;
    char * buf = NULL;
    size_t len = 0;
    FILE * m;
    for (i = 0; i < n; i++)
    {
        arb_set_d(L + i, pow(10.0, (double) i));
        arb_set_d(g + i, -pow(10.0, -(double) i));
    }
    neft_eft_local_init(R);
    neft_eft_local(R, L, g, NULL, NULL, 0, n, NULL, PREC);
    R->expected = -1;
    m = open_memstream(&buf, &len);
    neft_eft_local_write(m, R, "lambda", 1);
    fclose(m);
    CHECK(strncmp(buf, ", \"local\": [{\"cutoff\": 3.16227766", 33) == 0
          && strstr(buf, "\"last_decade\": {\"from\": 1000, \"to\": 10000, \"cutoffs\": 2, "
                    "\"slope\": {") != NULL && strstr(buf, "\"expected\": -1}") != NULL,
          "JSON: %s", buf);
    free(buf);
    m = open_memstream(&buf, &len);
    neft_eft_local_write(m, R, "lambda", 0);
    fclose(m);
    CHECK(strstr(buf, "over the last decade (2 cutoffs 1000 .. 10000): p = [-1.0") != NULL
          && strstr(buf, "(expected p = -1: beta = -1 lambda)") != NULL, "text: %s", buf);
    free(buf);
    neft_eft_local_clear(R);
    _arb_vec_clear(L, n);
    _arb_vec_clear(g, n);
}

/* -(4 + d_in) for the kernels that grow like |y|, -d_in for the others */
static void
check_expected(void)
{
    static const char * const names[5] = {"relu", "leaky-relu", "linear", "erf", "gauss"};
    static const double want[5] = {-4, -4, -4, 0, 0};
    slong d, i;
    neft_kernel_t k;
    neft_kernel_init(k);
    for (i = 0; i < 5; i++)
        for (d = 1; d <= 3; d++)
        {
            k->act = neft_act_lookup(names[i]);
            k->d = d;
            CHECK(k->act != NULL && neft_eft_expected_slope(k) == want[i] - (double) d,
                  "expected slope of %s, d_in = %ld", names[i], (long) d);
        }
    neft_kernel_clear(k);
}

int
main(void)
{
    check_power(-0.37, -1);
    check_power(2.5e-3, -5);
    check_power(1, -1.3);
    check_runs();
    check_errors();
    check_write();
    check_expected();
    flint_cleanup();
    return neft_test_finish("t-running");
}
