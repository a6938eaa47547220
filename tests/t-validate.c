#include <math.h>
/* Tests of the validate module (neft/validate.h): the paper's defaults in the
   spec, the refusal of activations without a closed-form GP kernel (by the
   row's reason, NEFT_UNSUPPORTED), and the stages on a tiny spec: one
   progress line per width and per cutoff through the callback, nothing
   printed by the library, the exact-data lambda of bias-free ReLU
   -25 / (2 N L^5) and its running exponent -5 (docs/eft.md), and the stages
   giving what neft_validate_run gives. */

#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "neft/validate.h"
#include "validate/validate-internal.h"   /* _neft_validate_ckpt_path */
#include "neft-test.h"

/* the progress callback: counts lines and warnings, keeps the last line */
typedef struct
{
    int lines, warnings;
    char last[512];
}
progress_t;

static void
progress(void * arg, int warning, const char * line)
{
    progress_t * p = arg;
    if (warning)
        p->warnings++;
    else
        p->lines++;
    snprintf(p->last, sizeof p->last, "%s", line);
}

/* q == p/r, r > 0 (q canonical) */
#define q_is(q, p, r) (fmpz_equal_si(fmpq_numref(q), p) && fmpz_equal_si(fmpq_denref(q), r))

/* The defaults of docs/cmd-validate.md, written once in neft_validate_spec_init. */
static void
test_defaults(void)
{
    static const slong widths[10] = {2, 3, 4, 5, 10, 20, 50, 100, 500, 1000};
    static const double xr[6] = {0.2, 0.4, 0.6, 0.8, 1.0, 1.2};
    /* 7 (1e5/7)^(i/20) to three significant digits, computed by hand */
    static const double cuts[21] = {7, 11.3, 18.2, 29.4, 47.4, 76.5, 123, 199, 321, 519, 837,
                                    1350, 2180, 3510, 5670, 9150, 14800, 23800, 38400, 62000,
                                    100000};
    neft_validate_spec_t s;
    char err[256];
    slong i;

    neft_validate_spec_init(s, 0);
    CHECK(s->net->act != NULL && !strcmp(s->net->act->name, "relu"), "default activation");
    CHECK(s->net->d_in == 1 && s->net->depth == 2, "default d_in %ld", (long) s->net->d_in);
    CHECK(q_is(s->net->sw, 1, 1) && q_is(s->net->sb, 0, 1),
          "default sigma_w = 1, sigma_b = 0");
    CHECK(s->npoints == 6, "default inputs: %ld", (long) s->npoints);
    /* the doubles nearest 0.2, .., 1.2 (as --at reads them; 0.2 * 3 is not 0.6) */
    for (i = 0; i < 6 && s->npoints == 6; i++)
        CHECK(s->points[i] == xr[i],
              "default input %ld: %.17g", (long) i, s->points[i]);
    CHECK(s->nwidths == 10, "default widths: %ld", (long) s->nwidths);
    for (i = 0; i < 10 && s->nwidths == 10; i++)
        CHECK(s->widths[i] == widths[i], "default width %ld", (long) i);
    CHECK(s->fit_width == 20, "default fit width %ld", (long) s->fit_width);
    CHECK(s->ncutoffs == 21, "default cutoffs: %ld", (long) s->ncutoffs);
    for (i = 0; i < 21 && s->ncutoffs == 21; i++)
        CHECK(fabs(s->cutoffs[i] - cuts[i]) <= 1e-9 * cuts[i], "default cutoff %ld: %.17g",
              (long) i, s->cutoffs[i]);
    CHECK(s->models == 1000000 && s->seed == 1 && s->prec == 64 && s->threads == 0,
          "default models, seed, prec, threads");
    CHECK(s->progress == NULL && s->state_dir == NULL, "no callback, no checkpoints");
    CHECK(neft_validate_spec_check(s, err, sizeof err) == NEFT_SUCCESS, "defaults refused: %s",
          err);
    /* the paper's biases: 1 for every activation but relu */
    CHECK(neft_validate_spec_set_act(s, "erf", NULL, err, sizeof err) == NEFT_SUCCESS
          && q_is(s->net->sb, 1, 1) && q_is(s->net->sw, 1, 1),
          "erf: sigma_b 1");
    CHECK(neft_validate_spec_set_act(s, "relu", NULL, err, sizeof err) == NEFT_SUCCESS
          && q_is(s->net->sb, 0, 1), "relu: sigma_b 0");
    CHECK(neft_validate_spec_set_act(s, "nosuch", NULL, err, sizeof err) == NEFT_BAD_INPUT
          && strstr(err, "nosuch") != NULL, "unknown activation: %s", err);
    CHECK(neft_validate_spec_set_sigma(s, "7/10", "0.25", err, sizeof err) == NEFT_SUCCESS
          && q_is(s->net->sw, 7, 10) && q_is(s->net->sb, 1, 4),
          "sigma as exact rationals");
    CHECK(neft_validate_spec_set_sigma(s, "0", NULL, err, sizeof err) == NEFT_BAD_INPUT
          && q_is(s->net->sw, 7, 10), "sigma_w 0 refused, nothing changed");
    CHECK(neft_validate_spec_set_sigma(s, NULL, "-1", err, sizeof err) == NEFT_BAD_INPUT,
          "sigma_b -1 refused");
    /* the fit width when none is given: 20 when among the widths, else the middle one */
    s->nwidths = 3;
    s->widths[0] = 7; s->widths[1] = 9; s->widths[2] = 11;
    neft_validate_spec_default_fit_width(s);
    CHECK(s->fit_width == 9, "fit width without 20: %ld", (long) s->fit_width);
    neft_validate_spec_clear(s);

    neft_validate_spec_init(s, 1);
    CHECK(s->npoints == 3 && s->nwidths == 3 && s->ncutoffs == 3 && s->models == 20000
          && s->fit_width == 20, "quick defaults");
    neft_validate_spec_clear(s);
    /* the families of the paper (HMS sec. 5): erf and GaussNet's inputs, bias and fit width */
    {
        static const double xe[6] = {-1, -0.6, -0.2, 0.2, 0.6, 1};
        static const char * fam[2] = {"erf", "gauss"};
        static const slong fit[2] = {5, 100};
        static const double scale[2] = {1, 0.01};
        slong f;
        for (f = 0; f < 2; f++)
        {
            int quick;
            for (quick = 0; quick < 2; quick++)
            {
                neft_validate_spec_init(s, quick);
                CHECK(neft_validate_spec_set_family(s, fam[f], NULL, quick, err, sizeof err)
                      == NEFT_SUCCESS, "%s: %s", fam[f], err);
                CHECK(q_is(s->net->sb, 1, 1) && q_is(s->net->sw, 1, 1)
                      && s->fit_width == fit[f], "%s: sigmas, fit width %ld", fam[f],
                      (long) s->fit_width);
                if (!quick)
                {
                    CHECK(s->npoints == 6 && s->ncutoffs == 21 && s->nwidths == 10,
                          "%s: 6 inputs, 21 cutoffs, 10 widths", fam[f]);
                    for (i = 0; i < 6 && s->npoints == 6; i++)
                        CHECK(fabs(s->points[i] - scale[f] * xe[i]) < 1e-15, "%s: input %ld",
                              fam[f], (long) i);
                }
                else
                    CHECK(s->npoints == 3 && s->ncutoffs == 4 && s->cutoffs[3] == 1e5
                          && s->models == 20000, "%s: quick", fam[f]);
                CHECK(neft_validate_spec_check(s, err, sizeof err) == NEFT_SUCCESS,
                      "%s defaults refused: %s", fam[f], err);
                neft_validate_spec_clear(s);
            }
        }
        /* a row outside the three: relu's inputs with the bias 1 */
        neft_validate_spec_init(s, 0);
        CHECK(neft_validate_spec_set_family(s, "sin", NULL, 0, err, sizeof err)
              == NEFT_SUCCESS && q_is(s->net->sb, 1, 1) && s->points[0] == 0.2
              && s->fit_width == 20, "sin: relu's inputs, sigma_b 1");
        CHECK(neft_validate_spec_set_family(s, "nosuch", NULL, 0, err, sizeof err)
              == NEFT_BAD_INPUT, "unknown family");
        /* the family's fit width survives the default when among the widths */
        CHECK(neft_validate_spec_set_family(s, "erf", NULL, 0, err, sizeof err)
              == NEFT_SUCCESS, "erf");
        neft_validate_spec_default_fit_width(s);
        CHECK(s->fit_width == 5, "erf's fit width kept: %ld", (long) s->fit_width);
        neft_validate_spec_clear(s);
    }
}

/* Every row of the table: accepted iff it has a closed-form GP kernel, else
   NEFT_UNSUPPORTED naming it with the row's reason, by the check and by the
   first stage, with no progress line. */
static void
test_capability(void)
{
    slong i;
    for (i = 0; i < neft_act_count(); i++)
    {
        neft_act_srcptr row = neft_act_get(i);
        const char * why = NULL;
        int has = neft_act_has(row, NEFT_ACT_CAP_GP_KERNEL, &why);
        neft_validate_spec_t s;
        neft_validate_result_t R;
        progress_t p = {0, 0, ""};
        char err[512] = "";
        int st;

        neft_validate_spec_init(s, 1);
        s->progress = progress;
        s->progress_arg = &p;
        CHECK(neft_validate_spec_set_act(s, row->name, NULL, err, sizeof err) == NEFT_SUCCESS,
              "%s: set_act: %s", row->name, err);
        st = neft_validate_spec_check(s, err, sizeof err);
        if (has)
            CHECK(st == NEFT_SUCCESS, "%s has a GP kernel but is refused: %s", row->name, err);
        else
            CHECK(st == NEFT_UNSUPPORTED && strstr(err, row->name) != NULL
                  && strstr(err, why) != NULL,
                  "%s: status %d, '%s' (expected unsupported with '%s')", row->name, st, err,
                  why);
        neft_validate_result_init(R);
        if (!has)
        {
            st = neft_validate_start(R, s, err, sizeof err);
            CHECK(st == NEFT_UNSUPPORTED && strstr(err, why) != NULL,
                  "%s: start: status %d, '%s'", row->name, st, err);
            st = neft_validate_width(R, s, 0, err, sizeof err);
            CHECK(st == NEFT_BAD_INPUT, "%s: a width stage of a refused start: %d", row->name,
                  st);
            {
                double ops, bytes, sops;
                neft_validate_cost(&ops, &bytes, &sops, s);
                CHECK(ops == 0 && bytes == 0 && sops == 0, "%s: cost of a refused spec",
                      row->name);
            }
        }
        CHECK(p.lines == 0 && p.warnings == 0, "%s: progress lines before any stage ran",
              row->name);
        neft_validate_result_clear(R);
        neft_validate_spec_clear(s);
    }
}

/* a small spec: bias-free ReLU on 2 inputs, widths 5 and 20, 512 networks,
   cutoffs 1 and 2 */
static void
tiny(neft_validate_spec_t s, progress_t * p)
{
    neft_validate_spec_init(s, 1);
    s->npoints = 2;
    s->points[0] = 0.5;
    s->points[1] = 1.0;
    s->nwidths = 2;
    s->widths[0] = 5;
    s->widths[1] = 20;
    s->fit_width = 20;
    s->models = 512;
    s->ncutoffs = 2;
    s->cutoffs[0] = 1;
    s->cutoffs[1] = 2;
    s->threads = 1;
    s->progress = progress;
    s->progress_arg = p;
}

static char *
slurp(const char * path, size_t * len)
{
    FILE * f = fopen(path, "rb");
    char * buf;
    long n;
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(n + 1);
    *len = fread(buf, 1, n, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static void
test_stages(void)
{
    neft_validate_spec_t s;
    neft_validate_result_t R;
    progress_t p = {0, 0, ""};
    char err[1024] = "", tmpl[] = "/tmp/t-validate-XXXXXX", dir[64], rep[64], path[128];
    char * sbuf = NULL, * rbuf = NULL, * j = NULL;
    size_t slen = 0, rlen = 0, jlen = 0;
    FILE * sum, * rsum;
    int st, out_fd, saved1, saved2, lines;
    slong w, c;
    char * oldpath = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

    if (mkdtemp(tmpl) == NULL)
        FAIL("mkdtemp");
    snprintf(dir, sizeof dir, "%s/stages", tmpl);
    snprintf(rep, sizeof rep, "%s/run", tmpl);
    mkdir(dir, 0777);
    /* no pdflatex: the figures stay .tex, and a warning says so */
    setenv("PATH", "/nonexistent", 1);
    /* everything the library might print goes to a file that must stay empty */
    snprintf(path, sizeof path, "%s/printed", tmpl);
    out_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    fflush(stdout);
    fflush(stderr);
    saved1 = dup(1);
    saved2 = dup(2);
    dup2(out_fd, 1);
    dup2(out_fd, 2);

    tiny(s, &p);
    neft_validate_result_init(R);
    sum = open_memstream(&sbuf, &slen);
    st = neft_validate_start(R, s, err, sizeof err);
    CHECK(st == NEFT_SUCCESS && p.lines == 0, "start: %d %s (%d lines)", st, err, p.lines);
    for (w = 0; w < s->nwidths && st == NEFT_SUCCESS; w++)
    {
        st = neft_validate_width(R, s, w, err, sizeof err);
        CHECK(st == NEFT_SUCCESS && p.lines == w + 1 && strstr(p.last, "sampling") != NULL,
              "width stage %ld: %d %s (%d lines, last '%s')", (long) w, st, err, p.lines,
              p.last);
    }
    CHECK(neft_validate_width(R, s, 0, err, sizeof err) == NEFT_BAD_INPUT,
          "a width stage run twice");
    for (c = 0; c < s->ncutoffs && st == NEFT_SUCCESS; c++)
    {
        lines = p.lines;
        st = neft_validate_fit(R, s, c, err, sizeof err);
        CHECK(st == NEFT_SUCCESS && p.lines == lines + 1 && strstr(p.last, "cutoff") != NULL,
              "fit stage %ld: %d %s", (long) c, st, err);
        st = st == NEFT_SUCCESS ? neft_validate_predict(R, s, c, err, sizeof err) : st;
        CHECK(st == NEFT_SUCCESS && p.lines == lines + 1, "predict stage %ld: %d %s", (long) c,
              st, err);
    }
    if (st == NEFT_SUCCESS)
    {
        neft_validate_running(R, s);
        CHECK(p.lines == 4, "running: %d lines", p.lines);
        st = neft_validate_write(R, s, dir, dir, sum, err, sizeof err);
        CHECK(st == NEFT_SUCCESS && p.lines == 4 && p.warnings == 1
              && strstr(p.last, "pdflatex") != NULL,
              "write: %d %s (%d lines, %d warnings, last '%s')", st, err, p.lines, p.warnings,
              p.last);
    }
    fclose(sum);
    /* the exact-data lambda of bias-free ReLU: -25 / (2 N L^5) (docs/eft.md) */
    for (c = 0; c < s->ncutoffs && st == NEFT_SUCCESS; c++)
    {
        fmpq_t q;
        arb_t want;
        double L = s->cutoffs[c];
        fmpq_init(q);
        arb_init(want);
        fmpq_set_si(q, -25, 2 * 20 * (ulong) (L * L * L * L * L));
        arb_set_fmpq(want, q, 128);
        CHECK(R->cuts[c].have_e && arb_contains(R->cuts[c].lam_e, want),
              "cutoff %g: exact lambda does not contain -25/(2 N L^5)", L);
        fmpq_clear(q);
        arb_clear(want);
    }
    CHECK(st != NEFT_SUCCESS || (R->have_slope_e && arb_contains_si(R->e_slope, -5)),
          "exact running exponent does not contain -5");
    neft_validate_result_clear(R);

    /* the whole run gives the same summary, plus the line naming the report */
    p.lines = p.warnings = 0;
    rsum = open_memstream(&rbuf, &rlen);
    st = neft_validate_run(s, rep, rsum, err, sizeof err);
    fclose(rsum);
    fflush(stdout);
    fflush(stderr);
    dup2(saved1, 1);
    dup2(saved2, 2);
    close(saved1);
    close(saved2);
    close(out_fd);
    if (oldpath != NULL)
        setenv("PATH", oldpath, 1);
    free(oldpath);
    CHECK(st == NEFT_SUCCESS && p.lines == 4 && p.warnings == 1, "run: %d %s (%d lines)", st,
          err, p.lines);
    CHECK(sbuf != NULL && rbuf != NULL && slen > 0 && rlen > slen
          && memcmp(sbuf, rbuf, slen) == 0 && strstr(rbuf + slen, "report:") != NULL,
          "the stages' summary differs from the run's");
    {
        size_t n = 0;
        char * printed = slurp(path, &n);
        CHECK(printed != NULL && n == 0, "the library printed %ld bytes: %.200s", (long) n,
              printed ? printed : "");
        free(printed);
    }
    snprintf(path, sizeof path, "%s/report.json", rep);
    j = slurp(path, &jlen);
    CHECK(j != NULL && strstr(j, "\"activation\": \"relu\"") != NULL, "run: no report.json");
    free(j);
    snprintf(path, sizeof path, "%s/report.json", dir);
    j = slurp(path, &jlen);
    CHECK(j != NULL && strstr(j, "\"fit_width\": 20") != NULL, "stages: no report.json");
    free(j);
    free(sbuf);
    free(rbuf);
    neft_validate_spec_clear(s);
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
        if (system(cmd) != 0)
            printf("t-validate: could not remove %s\n", tmpl);
    }
}

/* neft_eft_running: the one running computation of fit and validate */
static void
test_running(void)
{
    arb_ptr L = _arb_vec_init(3), g = _arb_vec_init(3), e = _arb_vec_init(3);
    arb_t slope, loga, sd, si;
    slong i;
    int st;
    arb_init(slope); arb_init(loga); arb_init(sd); arb_init(si);
    for (i = 0; i < 3; i++)
    {
        arb_set_si(L + i, i + 1);
        arb_set_si(g + i, -3);
        arb_div_ui(g + i, g + i, (i + 1) * (i + 1) * (i + 1), 128);   /* -3 L^-3 */
        arb_set_d(e + i, 1e-3);
    }
    st = neft_eft_running(slope, loga, sd, si, L, g, NULL, NULL, 0, 3, NULL, 128);
    CHECK(st == NEFT_EFT_RUNNING_OK && arb_contains_si(slope, -3) && arb_is_zero(sd)
          && arb_is_zero(si), "running of -3 L^-3 (exact data)");
    st = neft_eft_running(slope, loga, sd, si, L, g, e, NULL, 0, 3, NULL, 128);
    CHECK(st == NEFT_EFT_RUNNING_OK && arb_contains_si(slope, -3), "running, weighted");
    arb_set_d(e + 2, 1);    /* |g_2| = 1/9 is not above its error */
    st = neft_eft_running(slope, loga, sd, si, L, g, e, NULL, 0, 3, NULL, 128);
    CHECK(st == NEFT_EFT_RUNNING_NOISY, "a noise-dominated value: %d", st);
    arb_set_d(e + 2, 1e-3);
    arb_zero(g + 1);
    st = neft_eft_running(slope, loga, sd, si, L, g, NULL, NULL, 0, 3, NULL, 128);
    CHECK(st == NEFT_EFT_RUNNING_ZERO, "a value 0: %d", st);
    arb_clear(slope); arb_clear(loga); arb_clear(sd); arb_clear(si);
    _arb_vec_clear(L, 3);
    _arb_vec_clear(g, 3);
    _arb_vec_clear(e, 3);
}

/* The names of the sampler's checkpoints in DIR.partial stay the same from
   version to version, so that an interrupted run of an older neft resumes:
   the names below were written by the code before the activation numbers of
   neft/sample.h were removed (relu, erf, tanh, gauss hash their old number;
   the other rows their name and parameter). */
static void
test_ckpt_names(void)
{
    static const struct { const char * act, * param, * names[2]; } cases[] = {
        {"relu", NULL,        {"D/width-5-0af08a68c1effb13.ckpt",
                               "D/width-20-0fd778a967a60035.ckpt"}},
        {"erf", NULL,         {"D/width-5-634827e1da006e3b.ckpt",
                               "D/width-20-749e5d987f01887d.ckpt"}},
        {"tanh", NULL,        {"D/width-5-6d3b6ae8e457783c.ckpt",
                               "D/width-20-11c64c3836d60882.ckpt"}},
        {"gauss", NULL,       {"D/width-5-4547c96c32fed2b1.ckpt",
                               "D/width-20-657daeac6c39724f.ckpt"}},
        {"sin", NULL,         {"D/width-5-9533f38bc2785912.ckpt",
                               "D/width-20-e6fd800dce742d2c.ckpt"}},
        {"leaky-relu", "1/5", {"D/width-5-62c7e6744ebc3e52.ckpt",
                               "D/width-20-f26dbb7d2496006c.ckpt"}},
    };
    neft_validate_spec_t s;
    progress_t p = {0, 0, ""};
    char err[256], path[256];
    size_t i;
    slong w;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
    {
        tiny(s, &p);
        s->state_dir = "D";
        CHECK(neft_validate_spec_set_act(s, cases[i].act, cases[i].param, err, sizeof err)
              == NEFT_SUCCESS, "set_act %s: %s", cases[i].act, err);
        for (w = 0; w < 2; w++)
        {
            neft_sample_spec_t ss;
            neft_sample_spec_init(ss);
            _neft_validate_sample_spec(ss, s, w);
            _neft_validate_ckpt_path(path, sizeof path, s->state_dir, ss);
            neft_sample_spec_clear(ss);
            CHECK(!strcmp(path, cases[i].names[w]), "%s width %ld: checkpoint %s, was %s",
                  cases[i].act, (long) s->widths[w], path, cases[i].names[w]);
        }
        neft_validate_spec_clear(s);
    }
}

/* The families' inputs in d_in = 2 and 3 (neft_validate_spec_set_d_in,
   docs/cmd-validate.md): the corners {+-1}^2 ({0.5, 1}^2 for ReLU, 0.01 times
   for GaussNet), the tetrahedron in d_in = 3 (ReLU: (0.5,0.5,0.5) and its
   neighbours), --quick the first three; the 21 cutoffs in d_in = 2, 6 in
   d_in = 3; d_in = 4 without inputs; the running's expected exponent
   -(4 + d_in) for ReLU, -d_in for Erf and GaussNet; a d_in whose vertex
   integrals have no method (4) refused by the first stage as "stage fit",
   status 3, before anything runs. */
static void
test_dims(void)
{
    static const char * fam[3] = {"relu", "erf", "gauss"};
    static const double x2[2][8] = {{0.5, 0.5, 0.5, 1, 1, 0.5, 1, 1},
                                    {-1, -1, -1, 1, 1, -1, 1, 1}};
    static const double x3[2][12] = {{0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1},
                                     {1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1}};
    /* 7 (1e5/7)^(i/5) to three significant digits, by hand: every fourth of the 21 */
    static const double cuts3[6] = {7, 47.4, 321, 2180, 14800, 100000};
    static const slong fit[3] = {20, 5, 100};
    static const slong qcuts[3] = {3, 4, 4};
    neft_validate_spec_t s;
    neft_validate_result_t R;
    progress_t p = {0, 0, ""};
    char err[512];
    slong f, d, i;
    int quick;

    for (f = 0; f < 3; f++)
        for (d = 2; d <= 3; d++)
            for (quick = 0; quick < 2; quick++)
            {
                const double * x = d == 2 ? x2[f != 0] : x3[f != 0];
                double scale = f == 2 ? 0.01 : 1;
                slong n = quick ? 3 : 4;
                neft_validate_spec_init(s, quick);
                CHECK(neft_validate_spec_set_family(s, fam[f], NULL, quick, err, sizeof err)
                      == NEFT_SUCCESS, "%s: %s", fam[f], err);
                CHECK(neft_validate_spec_set_d_in(s, d, quick, err, sizeof err) == NEFT_SUCCESS,
                      "%s d_in %ld: %s", fam[f], (long) d, err);
                CHECK(s->net->d_in == d && s->npoints == n && s->fit_width == fit[f]
                      && q_is(s->net->sb, f == 0 ? 0 : 1, 1),
                      "%s d_in %ld quick %d: d_in %ld, %ld inputs, fit width %ld", fam[f],
                      (long) d, quick, (long) s->net->d_in, (long) s->npoints,
                      (long) s->fit_width);
                for (i = 0; i < n * d && s->npoints == n; i++)
                    CHECK(s->points[i] == scale * x[i], "%s d_in %ld: coordinate %ld: %.17g",
                          fam[f], (long) d, (long) i, s->points[i]);
                if (quick)
                    CHECK(s->ncutoffs == qcuts[f], "%s d_in %ld quick: %ld cutoffs", fam[f],
                          (long) d, (long) s->ncutoffs);
                else if (d == 2)
                    CHECK(s->ncutoffs == 21 && s->cutoffs[0] == 7 && s->cutoffs[20] == 1e5,
                          "%s d_in 2: the 21 cutoffs", fam[f]);
                else
                {
                    CHECK(s->ncutoffs == 6, "%s d_in 3: %ld cutoffs", fam[f],
                          (long) s->ncutoffs);
                    for (i = 0; i < 6 && s->ncutoffs == 6; i++)
                        CHECK(fabs(s->cutoffs[i] - cuts3[i]) <= 1e-9 * cuts3[i],
                              "%s d_in 3: cutoff %ld: %.17g", fam[f], (long) i, s->cutoffs[i]);
                }
                CHECK(neft_validate_spec_check(s, err, sizeof err) == NEFT_SUCCESS,
                      "%s d_in %ld defaults refused: %s", fam[f], (long) d, err);
                if (quick)
                {
                    /* the expected exponent of the running reads d_in */
                    double want = f == 0 ? -(4.0 + d) : -(double) d;
                    neft_validate_result_init(R);
                    CHECK(neft_validate_start(R, s, err, sizeof err) == NEFT_SUCCESS,
                          "%s d_in %ld: start: %s", fam[f], (long) d, err);
                    CHECK(_neft_validate_expected_slope(R, s) == want,
                          "%s d_in %ld: expected slope %g, want %g", fam[f], (long) d,
                          _neft_validate_expected_slope(R, s), want);
                    neft_validate_result_clear(R);
                }
                neft_validate_spec_clear(s);
            }

    /* back to d_in = 1; d_in out of range refused with nothing changed */
    neft_validate_spec_init(s, 0);
    CHECK(neft_validate_spec_set_family(s, "erf", NULL, 0, err, sizeof err) == NEFT_SUCCESS
          && neft_validate_spec_set_d_in(s, 3, 0, err, sizeof err) == NEFT_SUCCESS
          && neft_validate_spec_set_d_in(s, 1, 0, err, sizeof err) == NEFT_SUCCESS
          && s->net->d_in == 1 && s->npoints == 6 && s->points[0] == -1 && s->ncutoffs == 21,
          "erf: d_in 3 then 1: %ld inputs", (long) s->npoints);
    CHECK(neft_validate_spec_set_d_in(s, 0, 0, err, sizeof err) == NEFT_BAD_INPUT
          && neft_validate_spec_set_d_in(s, NEFT_VALIDATE_MAX_D_IN + 1, 0, err, sizeof err)
             == NEFT_BAD_INPUT && s->net->d_in == 1 && s->npoints == 6,
          "d_in out of range accepted or changed the spec");
    /* d_in = 4: no default inputs, refused by the check until given */
    CHECK(neft_validate_spec_set_d_in(s, 4, 0, err, sizeof err) == NEFT_SUCCESS
          && s->npoints == 0 && neft_validate_spec_check(s, err, sizeof err) == NEFT_BAD_INPUT,
          "d_in 4: %ld inputs", (long) s->npoints);
    neft_validate_spec_clear(s);

    /* the fit's vertex integrals have no method in d_in = 4: status 3 naming
       the stage, before any progress line */
    neft_validate_spec_init(s, 1);
    s->progress = progress;
    s->progress_arg = &p;
    CHECK(neft_validate_spec_set_family(s, "erf", NULL, 1, err, sizeof err) == NEFT_SUCCESS
          && neft_validate_spec_set_d_in(s, 4, 1, err, sizeof err) == NEFT_SUCCESS, "erf d_in 4");
    s->npoints = 2;
    for (i = 0; i < 8; i++)
        s->points[i] = i < 4 ? 0.5 : -0.5;
    CHECK(neft_validate_spec_check(s, err, sizeof err) == NEFT_SUCCESS, "erf d_in 4: %s", err);
    neft_validate_result_init(R);
    err[0] = '\0';
    CHECK(neft_validate_start(R, s, err, sizeof err) == NEFT_UNSUPPORTED
          && strstr(err, "stage fit") != NULL && strstr(err, "d_in = 4") != NULL,
          "erf d_in 4: start: '%s'", err);
    CHECK(p.lines == 0 && p.warnings == 0, "erf d_in 4: progress before the refusal");
    neft_validate_result_clear(R);
    neft_validate_spec_clear(s);
}

int
main(void)
{
    test_defaults();
    test_dims();
    test_capability();
    test_running();
    test_stages();
    test_ckpt_names();
    flint_cleanup_master();
    return neft_test_finish("t-validate");
}
