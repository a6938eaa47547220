/* `neft validate`: the paper's experiment end to end (library: neft_eft_validate). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/eft.h"
#include "neft/sample.h"
#include "cli.h"

static const char validate_usage[] =
    "usage: neft validate [--quick] [--activation relu|erf|gauss] [--d-in D] [--sw S] [--sb B]\n"
    "                     [--at \"x1;x2;..\"] [--widths N1,N2,..] [--fit-width N]\n"
    "                     [--cutoffs L1,L2,..] [--models M] [--seed S] [--threads T]\n"
    "                     [--prec BITS] [--out DIR] [--no-resume]\n"
    "                     [--max-work N] [--max-memory SIZE]";

/* "a,b,c" into at most NEFT_EFT_MAX_LIST numbers (integers when ints). */
static int
parse_list(const char * text, const char * option, slong * iv, double * dv, slong * n)
{
    char * buf = neft_cli_strdup(text), * s;
    int ok = 1;
    *n = 0;
    for (s = strtok(buf, ","); s && ok; s = strtok(NULL, ","))
    {
        if (*n == NEFT_EFT_MAX_LIST)
        {
            neft_cli_error("%s: at most %d values", option, NEFT_EFT_MAX_LIST);
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

/* validate's progress lines and warnings, on stderr */
static void
_message(void * arg, int warning, const char * line)
{
    (void) arg;
    fprintf(stderr, "validate: %s%s\n", warning ? "warning: " : "", line);
}

int
neft_cli_validate(int argc, char ** argv)
{
    neft_eft_validate_spec_t spec;
    const char * out = "neft-report", * at = NULL, * act = NULL, * sb = NULL;
    int ai, quick = 0, st, fit_given = 0, resume = 1;
    char * state = NULL;
    slong v;
    char err[1024];
    neft_cli_budget_t budget;
    neft_cli_out_t held;
    FILE * summary;

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    for (ai = 1; ai < argc; ai++)
        if (!strcmp(argv[ai], "--quick"))
            quick = 1;
    neft_eft_validate_spec_default(spec, quick);
    spec->message = _message;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    for (ai = 1; ai < argc; ai++)
    {
        const char * a = argv[ai], * val;
        if (neft_cli_once(&seen, argv[ai]))
            return NEFT_EXIT_USAGE;
#define VALUE() do { if (!(val = neft_cli_value(argc, argv, &ai))) return NEFT_EXIT_USAGE; } while (0)
        if (!strcmp(a, "--no-resume") || !strcmp(a, "--quick"))
        {
            resume = resume && strcmp(a, "--no-resume") != 0;
            continue;
        }
        if ((st = neft_cli_budget_option(&budget, argc, argv, &ai)) != 0)
        {
            if (st < 0)
                return NEFT_EXIT_USAGE;
            continue;
        }
        else if (!strcmp(a, "--activation")) { VALUE(); act = val; }
        else if (!strcmp(a, "--at")) { VALUE(); at = val; }
        else if (!strcmp(a, "--out")) { VALUE(); out = val; }
        else if (!strcmp(a, "--sb")) { VALUE(); sb = val; }
        else if (!strcmp(a, "--sw"))
        {
            VALUE();
            if (neft_cli_parse_double(&spec->sw, val, a) || spec->sw <= 0)
            {
                if (spec->sw <= 0)
                    neft_cli_error("--sw expects a positive number, got '%s'", val);
                return NEFT_EXIT_USAGE;
            }
        }
        else if (!strcmp(a, "--d-in"))
        {
            VALUE();
            if (neft_cli_parse_slong(&spec->d_in, val, a, 1, 4))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--models"))
        {
            VALUE();
            if (neft_cli_parse_slong(&v, val, a, 2 * NEFT_SAMPLE_BLOCK, WORD(1) << 40))
                return NEFT_EXIT_USAGE;
            spec->models = (uint64_t) v;
        }
        else if (!strcmp(a, "--seed"))
        {
            VALUE();
            if (neft_cli_parse_slong(&v, val, a, 0, WORD_MAX))
                return NEFT_EXIT_USAGE;
            spec->seed = (uint64_t) v;
        }
        else if (!strcmp(a, "--threads"))
        {
            VALUE();
            if (neft_cli_parse_slong(&spec->threads, val, a, 1, 1024))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--prec"))
        {
            VALUE();
            if (neft_cli_parse_slong(&spec->prec, val, a, 32, 4096))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--fit-width"))
        {
            VALUE();
            if (neft_cli_parse_slong(&spec->fit_width, val, a, 1, 1000000000))
                return NEFT_EXIT_USAGE;
            fit_given = 1;
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
    if (act != NULL)
    {
        spec->activation = neft_sample_activation_lookup(act);
        if (spec->activation != NEFT_ACTIVATION_RELU && spec->activation != NEFT_ACTIVATION_ERF
            && spec->activation != NEFT_ACTIVATION_GAUSS)
        {
            neft_cli_error("--activation: expected relu, erf or gauss (activations with a GP "
                           "kernel), got '%s'", act);
            return NEFT_EXIT_USAGE;
        }
        /* the paper's default biases: 0 for ReLU, 1 otherwise */
        if (sb == NULL)
            spec->sb = spec->activation == NEFT_ACTIVATION_RELU ? 0 : 1;
    }
    if (sb != NULL && (neft_cli_parse_double(&spec->sb, sb, "--sb") || spec->sb < 0))
    {
        if (spec->sb < 0)
            neft_cli_error("--sb expects a non-negative number, got '%s'", sb);
        return NEFT_EXIT_USAGE;
    }
    if (at != NULL)
    {
        neft_cli_points_t p;
        if (neft_cli_parse_points(&p, at, spec->d_in, "--at"))
            return NEFT_EXIT_USAGE;
        if (p.npoints > NEFT_EFT_MAX_LIST)
        {
            neft_cli_error("--at: at most %d points", NEFT_EFT_MAX_LIST);
            neft_cli_points_clear(&p, p.npoints * spec->d_in);
            return NEFT_EXIT_USAGE;
        }
        spec->npoints = p.npoints;
        memcpy(spec->points, p.x, sizeof(double) * p.npoints * spec->d_in);
        neft_cli_points_clear(&p, p.npoints * spec->d_in);
    }
    else if (spec->d_in > 1)
    {
        neft_cli_error("--d-in %ld needs --at with %ld coordinates per point", (long) spec->d_in,
                       (long) spec->d_in);
        return NEFT_EXIT_USAGE;
    }
    if (!fit_given)
    {
        /* the fit width: 20 when among the widths, else the middle one */
        slong w, found = 0;
        for (w = 0; w < spec->nwidths; w++)
            found |= spec->widths[w] == 20;
        spec->fit_width = found ? 20 : spec->widths[spec->nwidths / 2];
    }
    {
        double ops, bytes, sample_ops;
        char how[192];
        neft_eft_validate_cost(&ops, &bytes, &sample_ops, spec);
        snprintf(how, sizeof(how), "%ld widths x %llu models, %.2g of it sampling; %ld cutoffs",
                 (long) spec->nwidths, (unsigned long long) spec->models, sample_ops,
                 (long) spec->ncutoffs);
        if (neft_cli_budget_check(&budget, ops, how, bytes, NULL))
            return NEFT_EXIT_USAGE;
    }
    /* ^C / SIGTERM / SIGHUP (main.c) stop the run within a second; the
       sampling done so far stays in OUT.partial */
    if (resume)
    {
        size_t len = strlen(out) + 16;
        state = malloc(len);
        if (state == NULL)
        {
            neft_cli_error("out of memory");
            return NEFT_EXIT_FAILURE;
        }
        size_t n = strlen(out);
        while (n > 1 && out[n - 1] == '/')
            n--;        /* "rep/": the checkpoints go to rep.partial, not into rep */
        snprintf(state, len, "%.*s.partial", (int) n, out);
        spec->state_dir = state;
    }
    /* the summary is printed only when the whole chain and the report worked */
    if ((summary = neft_cli_out_open(&held)) == NULL)
    {
        free(state);
        return NEFT_EXIT_FAILURE;
    }
    st = neft_eft_validate(spec, out, summary, err, sizeof err);
    free(state);
    st = neft_cli_exit_status(st, err);
    if (neft_cli_out_close(&held, st == NEFT_EXIT_OK) && st == NEFT_EXIT_OK)
        return NEFT_EXIT_FAILURE;
    return st;
}
