/* `neft validate`: the paper's experiment end to end (library: neft/validate.h). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/validate.h"
#include "neft/mpi.h"
#include "cli.h"

static const char validate_usage[] =
    "usage: neft validate [--quick] [--activation A [--slope S]] [--d-in D] [--sw S] [--sb B]\n"
    "                     [--at \"x1;x2;..\"] [--widths N1,N2,..] [--fit-width N]\n"
    "                     [--cutoffs L1,L2,..] [--models M] [--seed S] [--threads T]\n"
    "                     [--prec BITS] [--out DIR] [--no-resume] [--format text|json]\n"
    "                     [--max-work N] [--max-memory SIZE]";

/* "a,b,c" into at most NEFT_VALIDATE_MAX_LIST numbers (integers when ints). */
static int
parse_list(const char * text, const char * option, slong * iv, double * dv, slong * n)
{
    char * buf = neft_cli_strdup(text), * s;
    int ok = 1;
    *n = 0;
    for (s = strtok(buf, ","); s && ok; s = strtok(NULL, ","))
    {
        if (*n == NEFT_VALIDATE_MAX_LIST)
        {
            neft_cli_error("%s: at most %d values", option, NEFT_VALIDATE_MAX_LIST);
            ok = 0;
        }
        else if (iv)
            ok = neft_cli_parse_slong(iv + *n, s, option, 1, 1000000000) == 0;
        else
        {
            ok = neft_cli_parse_double(dv + *n, s, option) == 0;
            if (ok && dv[*n] <= 0)
            {
                neft_cli_error("%s expects positive numbers, got '%s'", option, s);
                ok = 0;
            }
        }
        /* a width or cutoff twice is no second point of the fall-off or the running */
        for (slong k = 0; ok && k < *n; k++)
            if (iv ? iv[k] == iv[*n] : dv[k] == dv[*n])
            {
                neft_cli_error("%s: %s is given twice (give each value once)", option, s);
                ok = 0;
            }
        (*n)++;
    }
    if (ok && *n == 0)
    {
        neft_cli_error("%s expects a comma-separated list", option);
        ok = 0;
    }
    flint_free(buf);
    return ok ? 0 : -1;
}

/* validate's progress lines and warnings, on stderr (erasing the bar) */
static void
_message(void * arg, int warning, const char * line)
{
    neft_cli_meter_clear(arg);
    fprintf(stderr, "validate: %s%s\n", warning ? "warning: " : "", line);
}

/* the running stage's bar, on a terminal */
static void
_meter(void * arg, const char * what, double done, double total)
{
    neft_cli_meter_draw(arg, what, done, total);
}

/* What the command line gives besides the spec. */
typedef struct
{
    const char * out, * at, * act, * sb, * sw, * slope;
    int fit_given, resume, json;    /* json: --format json, report.json on stdout */
    neft_cli_budget_t budget;
}
_opts;

/* Parses the options into spec and o: -1 to go on, else the exit status. */
static int
parse(neft_validate_spec_t spec, _opts * o, int argc, char ** argv)
{
    /* the options with one integer */
    static const char * const name[6] = {"--d-in", "--threads", "--prec", "--fit-width",
                                         "--models", "--seed"};
    static const slong lo[6] = {1, 1, 32, 1, 2 * NEFT_SAMPLE_BLOCK, 0};
    const slong hi[6] = {NEFT_VALIDATE_MAX_D_IN, 1024, 4096, 1000000000, WORD(1) << 40,
                         WORD_MAX};
    slong models = (slong) spec->models, seed = (slong) spec->seed;
    slong * dst[6] = {&spec->net->d_in, &spec->threads, &spec->prec, &spec->fit_width,
                      &models, &seed};
    int ai, st, k;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (ai = 1; ai < argc; ai++)
    {
        const char * a = argv[ai], * val;
        if (neft_cli_once(&seen, argv[ai]))
            return NEFT_EXIT_USAGE;
#define VALUE() do { if (!(val = neft_cli_value(argc, argv, &ai))) return NEFT_EXIT_USAGE; } while (0)
        for (k = 0; k < 6 && strcmp(a, name[k]); k++)
            ;
        if (k < 6)
        {
            VALUE();
            if (neft_cli_parse_slong(dst[k], val, a, lo[k], hi[k]))
                return NEFT_EXIT_USAGE;
            o->fit_given |= k == 3;
            continue;
        }
        if (!strcmp(a, "--no-resume") || !strcmp(a, "--quick"))
        {
            o->resume = o->resume && strcmp(a, "--no-resume") != 0;
            continue;
        }
        if ((st = neft_cli_budget_option(&o->budget, argc, argv, &ai)) != 0)
        {
            if (st < 0)
                return NEFT_EXIT_USAGE;
            continue;
        }
        else if (!strcmp(a, "--activation")) { VALUE(); o->act = val; }
        else if (!strcmp(a, "--at")) { VALUE(); o->at = val; }
        else if (!strcmp(a, "--out")) { VALUE(); o->out = val; }
        else if (!strcmp(a, "--sb")) { VALUE(); o->sb = val; }
        else if (!strcmp(a, "--sw")) { VALUE(); o->sw = val; }
        else if (!strcmp(a, "--slope")) { VALUE(); o->slope = val; }
        else if (!strcmp(a, "--format"))
        {
            VALUE();
            if (strcmp(val, "text") && strcmp(val, "json"))
            {
                neft_cli_error("--format expects text or json, got '%s'", val);
                return NEFT_EXIT_USAGE;
            }
            o->json = !strcmp(val, "json");
        }
        else if (!strcmp(a, "--widths"))
        {
            VALUE();
            if (parse_list(val, a, spec->widths, NULL, &spec->nwidths))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--cutoffs"))
        {
            VALUE();
            if (parse_list(val, a, NULL, spec->cutoffs, &spec->ncutoffs))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
        {
            puts(validate_usage);
            return NEFT_EXIT_OK;
        }
        else
        {
            neft_cli_error("unknown %s '%s' for validate (see neft validate --help)",
                           a[0] == '-' ? "option" : "argument", a);
            return NEFT_EXIT_USAGE;
        }
#undef VALUE
    }
    spec->models = (uint64_t) models;
    spec->seed = (uint64_t) seed;
    return -1;
}

/* The net and the inputs from the options' texts: -1 to go on, else the
   exit status. */
static int
set_net(neft_validate_spec_t spec, const _opts * o)
{
    char err[512];
    int r = -1;
    if (o->slope != NULL && o->act == NULL)
    {
        neft_cli_error("--slope needs --activation leaky-relu");
        return NEFT_EXIT_USAGE;
    }
    if (neft_validate_spec_set_sigma(spec, o->sw, o->sb, err, sizeof err))
    {
        neft_cli_error("%s", err);
        return NEFT_EXIT_USAGE;
    }
    if (o->at != NULL)
    {
        neft_cli_points_t p;
        slong d = spec->net->d_in;
        if (neft_cli_parse_points(&p, o->at, d, "--at"))
            return NEFT_EXIT_USAGE;
        if (p.npoints > NEFT_VALIDATE_MAX_LIST)
        {
            neft_cli_error("--at: at most %d points", NEFT_VALIDATE_MAX_LIST);
            r = NEFT_EXIT_USAGE;
        }
        else
        {
            spec->npoints = p.npoints;
            memcpy(spec->points, p.x, sizeof(double) * p.npoints * d);
        }
        neft_cli_points_clear(&p, p.npoints * d);
    }
    else if (spec->npoints == 0)
    {
        /* d_in 1 to 3 have the family's inputs (neft_validate_spec_set_d_in) */
        neft_cli_error("--d-in %ld needs --at with %ld coordinates per point (the families "
                       "have default inputs for d_in 1 to 3 only)",
                       (long) spec->net->d_in, (long) spec->net->d_in);
        r = NEFT_EXIT_USAGE;
    }
    return r;
}

/* The run: the budget, the checkpoint folder OUT.partial, the summary. */
static int
run(neft_validate_spec_t spec, _opts * o)
{
    double ops, bytes, sample_ops;
    char how[192], err[1024], * state = NULL;
    neft_cli_out_t held;
    FILE * summary, * sink;
    int st;

    neft_validate_cost(&ops, &bytes, &sample_ops, spec);
    snprintf(how, sizeof(how), "%ld widths x %llu models, %.2g of it sampling; %ld cutoffs",
             (long) spec->nwidths, (unsigned long long) spec->models, sample_ops,
             (long) spec->ncutoffs);
    if (neft_cli_budget_check(&o->budget, ops, how, bytes, NULL))
        return NEFT_EXIT_USAGE;
    /* ^C / SIGTERM / SIGHUP (main.c) stop the run within a second; the
       sampling done so far stays in OUT.partial */
    if (o->resume)
    {
        size_t n = strlen(o->out), len = n + 16;
        if ((state = malloc(len)) == NULL)
        {
            neft_cli_error("out of memory");
            return NEFT_EXIT_FAILURE;
        }
        while (n > 1 && o->out[n - 1] == '/')
            n--;        /* "rep/": the checkpoints go to rep.partial, not into rep */
        snprintf(state, len, "%.*s.partial", (int) n, o->out);
        spec->state_dir = state;
    }
    /* under mpirun, the processes share each width's sampling
       (docs/cluster.md): rank 0 runs the stages and writes the report, the
       others follow it and write nothing */
    if (neft_mpi_start(NULL, NULL, err, sizeof err) != 0)
    {
        free(state);
        spec->state_dir = NULL;
        return neft_cli_exit_status(NEFT_BAD_INPUT, err);
    }
    if (neft_mpi_rank() != 0)
    {
        spec->progress = NULL;
        spec->meter = NULL;
        st = neft_validate_follow(spec, err, sizeof err);
        spec->state_dir = NULL;
        free(state);
        /* rank 0 says why, unless this process failed on its own */
        st = neft_cli_exit_status(st, err[0] != '\0' ? err : NULL);
        neft_mpi_finish();
        return st;
    }
    /* the summary is printed only when the whole chain and the report worked */
    if ((summary = neft_cli_out_open(&held)) == NULL)
    {
        neft_validate_follow_end(NEFT_FAILURE);
        neft_mpi_finish();
        free(state);
        return NEFT_EXIT_FAILURE;
    }
    /* --format json: the text summary is dropped and the report's
       report.json printed instead, once the whole run worked */
    sink = o->json ? tmpfile() : summary;
    if (sink == NULL)
    {
        snprintf(err, sizeof err, "cannot create a temporary file for the summary");
        st = NEFT_FAILURE;
        neft_validate_follow_end(st);
    }
    else
        st = neft_validate_run(spec, o->out, sink, err, sizeof err);
    neft_cli_meter_clear(spec->meter_arg);     /* before the summary or the error */
    if (o->json && sink != NULL)
    {
        fclose(sink);
        if (st == NEFT_SUCCESS)
            st = neft_validate_print_report_json(summary, o->out, err, sizeof err);
    }
    spec->state_dir = NULL;
    free(state);
    /* the message and the summary before the job ends (MPI_Finalize holds
       every process until all reach it; cmd_sample.c) */
    st = neft_cli_exit_status(st, err);
    if (neft_cli_out_close(&held, st == NEFT_EXIT_OK) && st == NEFT_EXIT_OK)
        st = NEFT_EXIT_FAILURE;
    neft_mpi_finish();
    return st;
}

int
neft_cli_validate(int argc, char ** argv)
{
    neft_validate_spec_t spec;
    _opts o;
    char err[1024];
    const char * act = NULL, * slope = NULL, * din = NULL;
    neft_cli_meter_t bar;
    int ai, quick = 0, r, fam;

    memset(&o, 0, sizeof o);
    o.out = "neft-report";
    o.resume = 1;
    neft_cli_budget_init(&o.budget, NEFT_CLI_WORK_DEFAULT);
    /* the family's defaults first (docs/cmd-validate.md), then every option
       overrides them */
    for (ai = 1; ai < argc; ai++)
        if (!strcmp(argv[ai], "--quick"))
            quick = 1;
        else if (!strcmp(argv[ai], "--activation") && ai + 1 < argc)
            act = argv[++ai];
        else if (!strcmp(argv[ai], "--slope") && ai + 1 < argc)
            slope = argv[++ai];
        else if (!strcmp(argv[ai], "--d-in") && ai + 1 < argc && din == NULL)
            din = argv[++ai];
    neft_validate_spec_init(spec, quick);
    neft_cli_meter_init(&bar, isatty(STDERR_FILENO));
    spec->progress = _message;
    spec->progress_arg = &bar;
    spec->meter = _meter;
    spec->meter_arg = &bar;
    fam = act == NULL ? NEFT_SUCCESS
        : neft_validate_spec_set_family(spec, act, slope, quick, err, sizeof err);
    /* the family's inputs in that d_in (a bad value is reported by parse) */
    if (din != NULL)
    {
        char * end;
        long d = strtol(din, &end, 10);
        char e2[256];
        if (end != din && *end == '\0')
            neft_validate_spec_set_d_in(spec, (slong) d, quick, e2, sizeof e2);
    }
    /* a bad name is reported after the options (--help wins, as for any option) */
    if ((r = parse(spec, &o, argc, argv)) < 0 && fam != NEFT_SUCCESS)
    {
        neft_cli_error("%s: %s", slope != NULL ? "--slope" : "--activation", err);
        r = NEFT_EXIT_USAGE;
    }
    if (r < 0 && (r = set_net(spec, &o)) < 0)
    {
        if (!o.fit_given)
            neft_validate_spec_default_fit_width(spec);
        /* refused before anything is estimated, computed or written */
        if ((r = neft_validate_spec_check(spec, err, sizeof err)) != NEFT_SUCCESS)
            r = neft_cli_exit_status(r, err);
        else
            r = run(spec, &o);
    }
    neft_cli_meter_clear(&bar);
    neft_validate_spec_clear(spec);
    return r;
}
