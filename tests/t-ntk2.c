/* The NTK of two inputs at O(1/n) (neft_onen_ntk2, src/onen/ntk2*.c):
   - coincident inputs (tanh) reproduce the one-input values of
     neft_onen_ntk1_single in every entry, and the diagonal blocks of distinct
     relu inputs are the one-input exact values;
   - the kernel part (K, V, G1) equals neft_onen_vertex2_g1's;
   - sampled finite-width nets (tests/ntk-sampler.h: two inputs, two outputs,
     the empirical NTK H_{ij;ab}) measure n Cov(H_ii;P, H_jj;Q) -> A,
     n E[H_ij;ab H_ij;cd] -> B, n Cov(H_ii;P, z_j;c z_j;d) -> D,
     n E[H_ij;ab z_i;c z_j;d] -> F and n (E[H_ii;P] - Theta_P) -> Theta1 for
     relu and tanh.  Depth 2 is exact at every width (the first layer's NTK
     is deterministic, the layer-1 neurons i.i.d.); at depth 3 the next order
     is estimated from a narrower run assuming a 1/n remainder (as t-ntk.c).
   Argument "acts": erf, sin, sigmoid (acts()); "dntk": the dNTK's P, Q of
   two inputs against the sampler's hyper-dual passes (dntk()). */

#include <string.h>
#include "neft/onen.h"
#include "neft-test.h"
#include "ntk-sampler.h"

static double d_relu(double z) { return z > 0 ? z : 0; }
static double d_relu1(double z) { return z > 0 ? 1 : 0; }
static double d_tanh(double z) { return tanh(z); }
static double d_tanh1(double z) { double c = cosh(z); return 1 / (c * c); }
static double d_relu2(double z) { (void) z; return 0; }
static double d_tanh2(double z) { double c = cosh(z); return -2 * tanh(z) / (c * c); }
static double d_sin2(double z) { return -sin(z); }
static double d_erf(double z) { return erf(z); }
static double d_erf1(double z) { return 1.1283791670955126 * exp(-z * z);   /* 2/sqrt(pi) */ }
static double d_erf2(double z) { return -2.2567583341910252 * z * exp(-z * z); }
static double d_sin(double z) { return sin(z); }
static double d_sin1(double z) { return cos(z); }
static double d_sigm(double z) { return 1 / (1 + exp(-z)); }
static double d_sigm1(double z) { double e = exp(-fabs(z)); return e / ((1 + e) * (1 + e)); }
static double d_sigm2(double z) { return d_sigm1(z) * (1 - 2 * d_sigm(z)); }

static double
mid(const arb_t x)
{
    return arf_get_d(arb_midref(x), ARF_RND_NEAR);
}

/* T for the inputs x (2 d balls from the strings xs) */
static void
compute(neft_onen_ntk2_struct * T, neft_onen_params_t par, const char * lb, const char * lw,
        const char * const * xs, slong d)
{
    char err[256];
    fmpq_t qb, qw, q;
    arb_ptr x = _arb_vec_init(2 * d);
    slong k;
    fmpq_init(qb); fmpq_init(qw); fmpq_init(q);
    neft_onen_parse_rational(qb, lb);
    neft_onen_parse_rational(qw, lw);
    for (k = 0; k < 2 * d; k++)
    {
        neft_onen_parse_rational(q, xs[k]);
        arb_set_fmpq(x + k, q, par->prec);
    }
    CHECK(neft_onen_ntk2(T, par, qb, qw, x, d, err, sizeof err) == 0, "ntk2: %s", err);
    fmpq_clear(qb); fmpq_clear(qw); fmpq_clear(q);
    _arb_vec_clear(x, 2 * d);
}

/* every entry of the layer t, where it reduces to the one-input value of
   u (K, V, G1 from the layer table L): all of them when all, else the
   entries of input a only (P = (aa), o = (aa)) */
static void
check_single(const neft_onen_ntk2_struct * t, const neft_onen_ntk1_struct * u,
             const neft_onen_layer_struct * L, int all, int a, slong l)
{
    int P, Q, o1, o2;
    for (P = 0; P < 3; P++)
    {
        if (!all && P != 2 * a)
            continue;
        CHECK(arb_overlaps(t->K + P, L->K) && arb_overlaps(t->G1 + P, L->G1)
              && arb_overlaps(t->theta + P, u->theta) && arb_overlaps(t->theta1 + P, u->theta1),
              "layer %ld pair %d: K, G1, Theta, Theta1 not the one-input values", (long) l, P);
        for (Q = 0; Q < 3; Q++)
        {
            if (!all && Q != 2 * a)
                continue;
            CHECK(arb_overlaps(t->V + 3 * P + Q, L->V) && arb_overlaps(t->A + 3 * P + Q, u->A)
                  && arb_overlaps(t->D + 3 * P + Q, u->D),
                  "layer %ld (%d)(%d): V, A or D not the one-input value (A %.10g vs %.10g, "
                  "D %.10g vs %.10g)", (long) l, P, Q, mid(t->A + 3 * P + Q), mid(u->A),
                  mid(t->D + 3 * P + Q), mid(u->D));
        }
    }
    for (o1 = 0; o1 < 4; o1++)
        for (o2 = 0; o2 < 4; o2++)
        {
            if (!all && (o1 != 3 * a || o2 != 3 * a))
                continue;
            CHECK(arb_overlaps(t->P + 4 * o1 + o2, u->P) && arb_overlaps(t->Q + 4 * o1 + o2, u->Q),
                  "layer %ld dNTK [%d]: P %.10g or Q %.10g not the one-input %.10g, %.10g",
                  (long) l, 4 * o1 + o2, mid(t->P + 4 * o1 + o2), mid(t->Q + 4 * o1 + o2),
                  mid(u->P), mid(u->Q));
            CHECK(arb_overlaps(t->B + 4 * o1 + o2, u->B) && arb_overlaps(t->F + 4 * o1 + o2, u->F),
                  "layer %ld [%d][%d]: B %.10g or F %.10g not the one-input %.10g, %.10g",
                  (long) l, o1, o2, mid(t->B + 4 * o1 + o2), mid(t->F + 4 * o1 + o2),
                  mid(u->B), mid(u->F));
        }
}

/* the one-input table at K^(1) = k1 */
static void
single(neft_onen_layer_struct * L, neft_onen_ntk1_struct * U, neft_onen_params_t par,
       const arb_t k1, const char * lb, const char * lw)
{
    fmpq_t qb, qw;
    fmpq_init(qb); fmpq_init(qw);
    neft_onen_parse_rational(qb, lb);
    neft_onen_parse_rational(qw, lw);
    CHECK(neft_onen_single(L, par, k1) == 0, "the layer table");
    CHECK(neft_onen_ntk1_single(U, L, par, qb, qw) == 0, "the one-input O(1/n) NTK");
    fmpq_clear(qb); fmpq_clear(qw);
}

/* coincident tanh inputs: every entry is the one-input value; distinct
   relu inputs: the diagonal blocks are */
static void
test_reduce(const char * act, const char * const * xs, int all)
{
    slong depth = 4, l, d = 2;
    int a;
    neft_onen_params_t par;
    neft_onen_ntk2_struct * T = neft_onen_ntk2_init(depth);
    neft_onen_layer_struct * L = neft_onen_layers_init(depth);
    neft_onen_ntk1_struct * U = neft_onen_ntk1_init(depth);
    arb_t k1;
    fmpq_t q;
    arb_init(k1); fmpq_init(q);
    neft_onen_params_init(par);
    ntks_set_net(par, act, "3/2", "1/10", depth, 128);
    compute(T, par, "1/2", "2", xs, d);
    for (a = 0; a < (all ? 1 : 2); a++)
    {
        /* K^(1) = C_b + C_W |x_a|^2 / d */
        {
            fmpq_t s, t;
            fmpq_init(s); fmpq_init(t);
            for (l = 0; l < d; l++)
            {
                neft_onen_parse_rational(t, xs[a * d + l]);
                fmpq_mul(t, t, t);
                fmpq_add(s, s, t);
            }
            fmpq_mul(s, s, par->net->cw);
            fmpq_div_fmpz(s, s, (fmpz[]){d});
            fmpq_add(s, s, par->net->cb);
            arb_set_fmpq(k1, s, 128);
            fmpq_clear(s); fmpq_clear(t);
        }
        single(L, U, par, k1, "1/2", "2");
        for (l = 0; l < depth; l++)
            check_single(T + l, U + l, L + l, all, a, l + 1);
    }
    printf("%s: %s reduce to one input (depth %ld; Theta1_01 = %.6f at the top)\n", act,
           all ? "coincident inputs" : "the diagonal blocks", (long) depth,
           mid(T[depth - 1].theta1 + 1));
    neft_onen_params_clear(par);
    neft_onen_ntk2_clear(T, depth);
    neft_onen_layers_clear(L, depth);
    neft_onen_ntk1_clear(U, depth);
    arb_clear(k1); fmpq_clear(q);
}

/* the kernel part against neft_onen_vertex2_g1 */
static void
test_kernel(const char * act, const char * const * xs)
{
    slong depth = 3, d = 2, l, k;
    neft_onen_params_t par;
    neft_onen_ntk2_struct * T = neft_onen_ntk2_init(depth);
    arb_ptr x = _arb_vec_init(4), K = _arb_vec_init(4 * depth), V = _arb_vec_init(9 * depth),
            G = _arb_vec_init(4 * depth);
    fmpq_t q;
    fmpq_init(q);
    neft_onen_params_init(par);
    ntks_set_net(par, act, "3/2", "1/10", depth, 64);
    compute(T, par, "1/2", "2", xs, d);
    for (k = 0; k < 4; k++)
    {
        neft_onen_parse_rational(q, xs[k]);
        arb_set_fmpq(x + k, q, 64);
    }
    CHECK(neft_onen_vertex2_g1(K, V, G, par, x, d) == 0, "%s: vertex2_g1", act);
    for (l = 0; l < depth; l++)
    {
        for (k = 0; k < 9; k++)
            CHECK(arb_overlaps(T[l].V + k, V + 9 * l + k), "%s layer %ld: V[%ld] %.10g vs "
                  "%.10g", act, (long) l + 1, (long) k, mid(T[l].V + k), mid(V + 9 * l + k));
        CHECK(arb_overlaps(T[l].K + 1, K + 4 * l + 1) && arb_overlaps(T[l].G1 + 1, G + 4 * l + 1),
              "%s layer %ld: K_01 or G1_01", act, (long) l + 1);
    }
    neft_onen_params_clear(par);
    neft_onen_ntk2_clear(T, depth);
    _arb_vec_clear(x, 4); _arb_vec_clear(K, 4 * depth); _arb_vec_clear(V, 9 * depth);
    _arb_vec_clear(G, 4 * depth);
    fmpq_clear(q);
}

/* ---- sampled nets ------------------------------------------------------ */

#define NST 53   /* theta1 3, A 9, D 9, B 16, F 16 */

static const int pa[3] = {0, 0, 1}, pb[3] = {0, 1, 1};

/* per net the 53 estimator terms (n times): the NTK means (for theta1),
   then products whose means are A, D (after subtracting the mean products),
   B, F */
static void
measure(double * mean, double * se, int n, int nets, double cw,
        double cb, double lb, double lw, ntks_fn_t f, ntks_fn_t f1, const double * x, int d,
        int L)
{
    ntks_net_t N;
    double * v = malloc(sizeof(double) * nets * 64), m1[64];
    int k, e, P, Q, o1, o2;
    ntks_init(&N, L, n, d, 2, 2, x);
    for (k = 0; k < nets; k++)
    {
        double H[2][2][4], z[2][2], * r = v + 64 * k;
        int i, j, a, b;
        ntks_sample(&N, cw, cb, f, f1);
        for (i = 0; i < 2; i++)
            for (j = 0; j < 2; j++)
                for (a = 0; a < 2; a++)
                    for (b = 0; b < 2; b++)
                        H[i][j][2 * a + b] = ntks_ntk(&N, i, j, a, b, lb, lw);
        for (i = 0; i < 2; i++)
            for (a = 0; a < 2; a++)
                z[i][a] = N.z[a][L][i];
        /* r[0..2]: (H_00;P + H_11;P)/2; r[3..5]: H_00;P, r[6..8]: H_11;P,
           r[9..11]: z_0;a z_0;b, r[12..14]: z_1;a z_1;b (the covariances);
           r[15..30]: the B terms; r[31..46]: the F terms */
        for (P = 0; P < 3; P++)
        {
            int o = 2 * pa[P] + pb[P];
            r[P] = (H[0][0][o] + H[1][1][o]) / 2;
            r[3 + P] = H[0][0][o];
            r[6 + P] = H[1][1][o];
            r[9 + P] = z[0][pa[P]] * z[0][pb[P]];
            r[12 + P] = z[1][pa[P]] * z[1][pb[P]];
        }
        for (o1 = 0; o1 < 4; o1++)
            for (o2 = 0; o2 < 4; o2++)
            {
                int a1 = o1 >> 1, b1 = o1 & 1, c = o2 >> 1, dd = o2 & 1;
                r[15 + 4 * o1 + o2] = n * (H[0][1][o1] * H[0][1][o2]
                                           + H[1][0][o1] * H[1][0][o2]) / 2;
                (void) a1; (void) b1;
                r[31 + 4 * o1 + o2] = n * (H[0][1][o1] * z[0][c] * z[1][dd]
                                           + H[1][0][o1] * z[1][c] * z[0][dd]) / 2;
            }
    }
    for (e = 0; e < 47; e++)
    {
        double s = 0;
        for (k = 0; k < nets; k++)
            s += v[64 * k + e];
        m1[e] = s / nets;
    }
    /* the statistics and their errors: out[0..2] E H, [3..11] A, [12..20] D,
       [21..36] B, [37..52] F */
    for (e = 0; e < NST; e++)
    {
        double s = 0, ss = 0, t;
        for (k = 0; k < nets; k++)
        {
            const double * r = v + 64 * k;
            if (e < 3)
                t = r[e];
            else if (e < 12)
            {
                P = (e - 3) / 3; Q = (e - 3) % 3;
                t = n * ((r[3 + P] - m1[3 + P]) * (r[6 + Q] - m1[6 + Q])
                         + (r[6 + P] - m1[6 + P]) * (r[3 + Q] - m1[3 + Q])) / 2;
            }
            else if (e < 21)
            {
                P = (e - 12) / 3; Q = (e - 12) % 3;
                t = n * ((r[3 + P] - m1[3 + P]) * (r[12 + Q] - m1[12 + Q])
                         + (r[6 + P] - m1[6 + P]) * (r[9 + Q] - m1[9 + Q])) / 2;
            }
            else
                t = r[15 + e - 21];
            s += t;
            ss += t * t;
        }
        mean[e] = s / nets;
        se[e] = sqrt(fmax(ss / nets - mean[e] * mean[e], 0) / (nets - 1));
    }
    ntks_clear(&N);
    free(v);
}

static void
predicted(double * pr, const neft_onen_ntk2_struct * t)
{
    int k;
    for (k = 0; k < 3; k++)
        pr[k] = mid(t->theta1 + k);
    for (k = 0; k < 9; k++)
    {
        pr[3 + k] = mid(t->A + k);
        pr[12 + k] = mid(t->D + k);
    }
    for (k = 0; k < 16; k++)
    {
        pr[21 + k] = mid(t->B + k);
        pr[37 + k] = mid(t->F + k);
    }
}

static const char *
stat_name(int e, char * buf)
{
    static const char * const pn[3] = {"00", "01", "11"}, * const on[4] = {"00", "01", "10", "11"};
    if (e < 3)
        sprintf(buf, "Theta1(%s)", pn[e]);
    else if (e < 12)
        sprintf(buf, "A(%s)(%s)", pn[(e - 3) / 3], pn[(e - 3) % 3]);
    else if (e < 21)
        sprintf(buf, "D(%s)(%s)", pn[(e - 12) / 3], pn[(e - 12) % 3]);
    else if (e < 37)
        sprintf(buf, "B(%s)(%s)", on[(e - 21) / 4], on[(e - 21) % 4]);
    else
        sprintf(buf, "F(%s)(%s)", on[(e - 37) / 4], on[(e - 37) % 4]);
    return buf;
}

typedef struct
{
    const char * act, * cw, * cb, * lb, * lw;
    ntks_fn_t f, f1;
    int L, n, nets, ns, nets_s;   /* ns = 0: exact at every width (depth 2) */
    int min_resolved;             /* entries that must be resolved (the test's teeth) */
}
case_t;

/* measure() for the case's net at the inputs (1, 0), (0.6, 0.8), width n */
static void
measure_case(double * mean, double * se, const case_t * c, int n, int nets)
{
    const double x[4] = {1, 0, 0.6, 0.8};
    measure(mean, se, n, nets, ntks_qd(c->cw), ntks_qd(c->cb), ntks_qd(c->lb),
            ntks_qd(c->lw), c->f, c->f1, x, 2, c->L);
}

/* the case's computed top-layer statistics pr[NST] (predicted()) and Theta th[3]
   at the inputs (1, 0), (0.6, 0.8) */
static void
case_prediction(const case_t * c, double * pr, double * th)
{
    static const char * const xs[4] = {"1", "0", "3/5", "4/5"};
    neft_onen_params_t par;
    neft_onen_ntk2_struct * T = neft_onen_ntk2_init(c->L);
    int e;
    neft_onen_params_init(par);
    ntks_set_net(par, c->act, c->cw, c->cb, c->L, 64);
    compute(T, par, c->lb, c->lw, xs, 2);
    predicted(pr, T + c->L - 1);
    for (e = 0; e < 3; e++)
        th[e] = mid(T[c->L - 1].theta + e);
    neft_onen_params_clear(par);
    neft_onen_ntk2_clear(T, c->L);
}

static void
run_case(const case_t * c, int quick, int verbose)
{
    double pr[NST], m[NST], se[NST], ms[NST], ses[NST], th[3];
    int e, nets = quick ? c->nets / 4 : c->nets, nets_s = quick ? c->nets_s / 4 : c->nets_s;
    int resolved = 0;
    char buf[32];
    case_prediction(c, pr, th);
    measure_case(m, se, c, c->n, nets);
    if (c->ns > 0)
        measure_case(ms, ses, c, c->ns, nets_s);
    for (e = 0; e < NST; e++)
    {
        /* Theta1: n (E H - Theta) */
        double meas = e < 3 ? c->n * (m[e] - th[e]) : m[e], err = e < 3 ? c->n * se[e] : se[e];
        double next = 0;
        if (c->ns > 0)
        {
            double ms_e = e < 3 ? c->ns * (ms[e] - th[e]) : ms[e];
            double es = e < 3 ? c->ns * ses[e] : ses[e];
            next = c->ns * (fabs(ms_e - pr[e]) + 3 * es) / c->n;
        }
        if (verbose || e == 1 || e == 3 + 4 || e == 12 + 4 || e == 21 + 5 || e == 21 + 6
            || e == 37 + 5 || e == 37 + 6)
            printf("%s depth %d width %d: %-12s measured %9.4f +/- %.4f, computed %9.4f "
                   "(pull %5.1f, next order %.3f)\n", c->act, c->L, c->n, stat_name(e, buf),
                   meas, err, pr[e], (meas - pr[e]) / err, next);
        CHECK(fabs(meas - pr[e]) <= 4 * err + next, "%s depth %d width %d: %s measured %.4f "
              "+/- %.4f, computed %.4f (next order %.3f)", c->act, c->L, c->n,
              stat_name(e, buf), meas, err, pr[e], next);
        resolved += fabs(pr[e]) > 4 * err + next;
    }
    /* teeth: the larger entries are resolved (Theta1 is checked by the mean run) */
    /* --quick (a quarter of the nets, twice the errors): two thirds of them */
    CHECK(resolved >= (quick ? 2 * c->min_resolved / 3 : c->min_resolved),
          "%s depth %d: only %d of %d entries resolved", c->act, c->L,
          resolved, NST);
    printf("%s depth %d width %d: %d of %d entries resolved\n", c->act, c->L, c->n, resolved,
           NST);
}

/* The mean shift alone, at a small width n where Theta1/n is resolved:
   n (E[H_ii;P] - Theta_P) against Theta1_P, the next order estimated from a
   run at ns < n assuming an O(1/n^2) remainder of the mean (as
   tests/onen_samples.py); the off-diagonal shift (0 at infinite width and
   for one input) must be resolved. */
static void
test_mean(const case_t * c)
{
    double pr[NST], m[NST], se[NST], ms[NST], ses[NST], th[3];
    /* the full number of nets with --quick too: these nets are narrow, and the
       shift must be resolved */
    int e, nets = c->nets, nets_s = c->nets_s;
    case_prediction(c, pr, th);
    measure_case(m, se, c, c->n, nets);
    measure_case(ms, ses, c, c->ns, nets_s);
    for (e = 0; e < 3; e++)
    {
        double lo = th[e] + pr[e] / c->n;
        double next = (double) c->ns * c->ns * (fabs(ms[e] - th[e] - pr[e] / c->ns) + 3 * ses[e])
                      / ((double) c->n * c->n);
        printf("%s depth %d width %d: E[H(%d)] measured %.5f +/- %.5f, Theta %.5f, "
               "Theta + Theta1/n %.5f (pulls %.1f -> %.1f, next order %.4f)\n", c->act, c->L,
               c->n, e, m[e], se[e], th[e], lo, (m[e] - th[e]) / se[e], (m[e] - lo) / se[e], next);
        CHECK(fabs(m[e] - lo) <= 4 * se[e] + next, "%s depth %d width %d: E[H(%d)] = %.5f "
              "+/- %.5f is not Theta + Theta1/n = %.5f (next %.4f)", c->act, c->L, c->n, e,
              m[e], se[e], lo, next);
        if (e == 1)
            CHECK(fabs(pr[e] / c->n) > 4 * se[e] + next, "%s: Theta1_01/n = %.5f not resolved "
                  "(error %.5f, next %.4f)", c->act, pr[e] / c->n, se[e], next);
    }
}

/* --bench: the measured NTK mean and fluctuation at several widths against
   the leading order and the O(1/n) term (the numbers of docs/onen.md) */
static void
bench(const case_t * c, int nets0)
{
    static const int widths[4] = {8, 16, 32, 64};
    double pr[NST], m[NST], se[NST], th[3];
    int w, e;
    case_prediction(c, pr, th);
    for (w = 0; w < 4; w++)
    {
        int n = widths[w], nets = nets0 * 8 / n;
        measure_case(m, se, c, n, nets);
        for (e = 0; e < 3; e++)
            printf("%s L=%d n=%3d nets=%7d E[H(%d)] %.5f +/- %.5f  Theta %.5f  Theta+Theta1/n "
                   "%.5f  pulls %6.1f -> %5.1f\n", c->act, c->L, n, nets, e, m[e], se[e], th[e],
                   th[e] + pr[e] / n, (m[e] - th[e]) / se[e], (m[e] - th[e] - pr[e] / n) / se[e]);
        for (e = 3; e < NST; e++)
        {
            char buf[32];
            printf("%s L=%d n=%3d %-12s %9.4f +/- %.4f  computed %9.4f  pull %5.1f\n", c->act,
                   c->L, n, stat_name(e, buf), m[e], se[e], pr[e], (m[e] - pr[e]) / se[e]);
        }
        fflush(stdout);
    }
}

/* ---- the dNTK of two inputs ---------------------------------------------- */

/* over nets of width n: mean[t], se[t] of n dH_{011; a0 a1 a2} z_{0; a3} (-> P[t])
   and mean[16 + t] of n dH_{001; a0 a1 a2} z_{1; a3} (-> Q[t]), t = 8 a0 + 4 a1 +
   2 a2 + a3, symmetrised over the two outputs (tests/ntk-sampler.h's
   hyper-dual pass) */
static void
measure_dntk(double * mean, double * se, const case_t * c, int n, int nets, ntks_fn_t f2)
{
    const double x[4] = {1, 0, 0.6, 0.8};
    double sum[32] = {0}, sum2[32] = {0};
    ntks_hd_t N;
    int k, e, L = c->L;
    ntks_hd_init(&N, L, n, 2, 2, 2, x);
    for (k = 0; k < nets; k++)
    {
        double M[2][4][4][2];
        int al, a, b, t;
        ntks_hd_sample(&N, ntks_qd(c->cw), ntks_qd(c->cb), ntks_qd(c->lb), ntks_qd(c->lw),
                       c->f, c->f1);
        for (al = 0; al < 2; al++)
            for (a = 0; a < 4; a++)
                for (b = a; b < 4; b++)
                {
                    ntks_hd(M[al][a][b], &N, al, a, b, c->f1, f2);
                    M[al][b][a][0] = M[al][a][b][0];
                    M[al][b][a][1] = M[al][a][b][1];
                }
        /* direction (i, a) = 2 i + a */
#define DH(i0, i1, i2, a0, a1, a2) (M[a1][2 * (i0) + (a0)][2 * (i2) + (a2)][i1] \
                                    + M[a2][2 * (i0) + (a0)][2 * (i1) + (a1)][i2])
        for (t = 0; t < 16; t++)
        {
            int a0 = t >> 3, a1 = (t >> 2) & 1, a2 = (t >> 1) & 1, a3 = t & 1;
            double vp = n * (DH(0, 1, 1, a0, a1, a2) * N.n.z[a3][L][0]
                             + DH(1, 0, 0, a0, a1, a2) * N.n.z[a3][L][1]) / 2;
            double vq = n * (DH(0, 0, 1, a0, a1, a2) * N.n.z[a3][L][1]
                             + DH(1, 1, 0, a0, a1, a2) * N.n.z[a3][L][0]) / 2;
            sum[t] += vp; sum2[t] += vp * vp;
            sum[16 + t] += vq; sum2[16 + t] += vq * vq;
        }
#undef DH
    }
    for (e = 0; e < 32; e++)
    {
        mean[e] = sum[e] / nets;
        se[e] = sqrt(fmax(sum2[e] / nets - mean[e] * mean[e], 0) / (nets - 1));
    }
    ntks_hd_clear(&N);
}

/* the computed P, Q of the top layer against sampled nets: within 4 errors
   plus the next order (estimated from the width ns assuming a 1/n
   remainder); at least min_resolved of the 32 resolved */
static void
run_dntk(const case_t * c, ntks_fn_t f2, int quick)
{
    static const char * const xs[4] = {"1", "0", "3/5", "4/5"};
    double pr[32], m[32], se[32], ms[32], ses[32];
    int e, resolved = 0, nets = quick ? c->nets / 4 : c->nets,
        nets_s = quick ? c->nets_s / 4 : c->nets_s;
    neft_onen_params_t par;
    neft_onen_ntk2_struct * T = neft_onen_ntk2_init(c->L);
    neft_onen_params_init(par);
    ntks_set_net(par, c->act, c->cw, c->cb, c->L, 64);
    compute(T, par, c->lb, c->lw, xs, 2);
    for (e = 0; e < 16; e++)
    {
        pr[e] = mid(T[c->L - 1].P + e);
        pr[16 + e] = mid(T[c->L - 1].Q + e);
    }
    neft_onen_params_clear(par);
    neft_onen_ntk2_clear(T, c->L);
    measure_dntk(m, se, c, c->n, nets, f2);
    if (c->ns > 0)
        measure_dntk(ms, ses, c, c->ns, nets_s, f2);
    for (e = 0; e < 32; e++)
    {
        double next = c->ns > 0 ? c->ns * (fabs(ms[e] - pr[e]) + 3 * ses[e]) / c->n : 0;
        char name[8];
        snprintf(name, sizeof name, "%c%d%d%d%d", e < 16 ? 'P' : 'Q', (e >> 3) & 1, (e >> 2) & 1,
                 (e >> 1) & 1, e & 1);
        if (e == 0 || e == 5 || e == 6 || e == 16 || e == 21 || e == 22)
            printf("%s depth %d width %d: dNTK %s measured %8.4f +/- %.4f, computed %8.4f "
                   "(pull %5.1f, next order %.3f)\n", c->act, c->L, c->n, name, m[e], se[e],
                   pr[e], (m[e] - pr[e]) / se[e], next);
        CHECK(fabs(m[e] - pr[e]) <= 4 * se[e] + next, "%s depth %d width %d: dNTK %s measured "
              "%.4f +/- %.4f, computed %.4f (next order %.3f)", c->act, c->L, c->n, name, m[e],
              se[e], pr[e], next);
        resolved += fabs(pr[e]) > 4 * se[e] + next;
    }
    CHECK(resolved >= (quick ? 2 * c->min_resolved / 3 : c->min_resolved),
          "%s depth %d: only %d of 32 dNTK entries resolved", c->act, c->L, resolved);
    printf("%s depth %d width %d: %d of 32 dNTK entries resolved\n", c->act, c->L, c->n,
           resolved);
}

/* argument "dntk": the two-input dNTK against sampled nets (tanh, erf, sigmoid
   at depth 2, exact at every width; sin and relu at depth 3, widths 48 and 12) */
static void
dntk(int quick)
{
    static const case_t cases[] = {
        {"tanh", "3/2", "1/10", "1/2", "2", d_tanh, d_tanh1, 2, 8, 20000, 0, 0, 28},
        {"sin", "3/2", "1/10", "1/2", "2", d_sin, d_sin1, 3, 48, 8000, 12, 16000, 24},
        {"relu", "2", "1/5", "1", "1", d_relu, d_relu1, 3, 48, 8000, 12, 16000, 28},
        {"erf", "3/2", "1/10", "1/2", "2", d_erf, d_erf1, 2, 8, 20000, 0, 0, 24},
        {"sigmoid", "4", "1/10", "1/2", "2", d_sigm, d_sigm1, 2, 8, 20000, 0, 0, 16},
    };
    static const ntks_fn_t f2[5] = {d_tanh2, d_sin2, d_relu2, d_erf2, d_sigm2};
    int i;
    ntks_rng = 20261209;
    for (i = 0; i < 5; i++)
        run_dntk(cases + i, f2[i], quick);
}

/* the smooth rows of src/onen/ntk2_erf.c, ntk2_sin.c and sigmoid's moments
   (argument "acts"): coincident inputs against the one-input closed forms
   (erf, sin), the diagonal blocks, the kernel part, and sampled nets at two
   widths (depth 2 exact at width 8; depth 3 at width 48, the next order from
   width 12) */
static void
acts(int quick, int verbose)
{
    static const char * const same[4] = {"1", "1/2", "1", "1/2"};
    static const char * const two[4] = {"1", "0", "3/5", "4/5"};
    static const case_t cases[] = {
        {"erf", "3/2", "1/10", "1/2", "2", d_erf, d_erf1, 2, 8, 40000, 0, 0, 30},
        {"sin", "3/2", "1/10", "1/2", "2", d_sin, d_sin1, 2, 8, 40000, 0, 0, 30},
        {"erf", "3/2", "1/10", "1/2", "2", d_erf, d_erf1, 3, 48, 12000, 12, 24000, 20},
        {"sin", "3/2", "1/10", "1/2", "2", d_sin, d_sin1, 3, 48, 12000, 12, 24000, 20},
        {"sigmoid", "4", "1/10", "1/2", "2", d_sigm, d_sigm1, 2, 8, 40000, 0, 0, 20},
    };
    int i;
    test_reduce("erf", same, 1);
    test_reduce("sin", same, 1);
    test_reduce("erf", two, 0);
    test_reduce("sin", two, 0);
    test_kernel("erf", two);
    test_kernel("sin", two);
    ntks_rng = 20261208;
    for (i = 0; i < (int) (sizeof cases / sizeof cases[0]); i++)
        run_case(cases + i, quick, verbose);
}

int
main(int argc, char ** argv)
{
    int i, quick = 0, verbose = 0, smooth = 0, dn = 0;
    for (i = 1; i < argc; i++)
    {
        quick |= !strcmp(argv[i], "--quick");
        verbose |= !strcmp(argv[i], "--verbose");
        smooth |= !strcmp(argv[i], "acts");
        dn |= !strcmp(argv[i], "dntk");
    }
    if (dn)
    {
        dntk(quick);
        flint_cleanup();
        return neft_test_finish("t-ntk2 dntk");
    }
    if (smooth)
    {
        acts(quick, verbose);
        flint_cleanup();
        return neft_test_finish("t-ntk2 acts");
    }
    static const char * const same[4] = {"1", "1/2", "1", "1/2"};
    static const char * const two[4] = {"1", "0", "3/5", "4/5"};
    static const case_t cases[] = {
        {"relu", "2", "1/5", "1", "1", d_relu, d_relu1, 2, 8, 40000, 0, 0, 45},
        {"tanh", "3/2", "1/10", "1/2", "2", d_tanh, d_tanh1, 2, 8, 40000, 0, 0, 30},
        {"relu", "2", "1/5", "1", "1", d_relu, d_relu1, 3, 48, 12000, 12, 24000, 45},
        {"tanh", "3/2", "1/10", "1/2", "2", d_tanh, d_tanh1, 3, 48, 12000, 12, 24000, 20},
    };
    static const case_t means[] = {
        {"relu", "2", "1/5", "1", "1", d_relu, d_relu1, 3, 8, 60000, 4, 60000, 0},
        {"tanh", "1", "1/10", "0", "1", d_tanh, d_tanh1, 4, 8, 60000, 4, 60000, 0},
    };
    if (argc > 1 && !strcmp(argv[1], "--bench"))
    {
        ntks_rng = 777;
        bench(cases + 2, argc > 2 ? atoi(argv[2]) : 100000);
        bench(cases + 3, argc > 2 ? atoi(argv[2]) : 100000);
        return 0;
    }
    test_reduce("tanh", same, 1);
    test_reduce("relu", two, 0);
    test_reduce("tanh", two, 0);
    test_kernel("relu", two);
    test_kernel("tanh", two);
    ntks_rng = 20261207;
    for (i = 0; i < (int) (sizeof cases / sizeof cases[0]); i++)
        run_case(cases + i, quick, verbose);
    for (i = 0; i < (int) (sizeof means / sizeof means[0]); i++)
        test_mean(means + i);
    flint_cleanup();
    return neft_test_finish("t-ntk2");
}
