/* `neft sample`: parse, run the sampler, print. */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/sample.h"
#include "neft/mpi.h"
#include "neft/json.h"
#include "cli.h"

/* The sampler's progress as the meter's bar (src/cli/meter.c), in networks. */
static void
progress_bar(void * meter, uint64_t done, uint64_t total)
{
    neft_cli_meter_draw(meter, "networks", (double) done, (double) total);
}

static const char sample_usage[] =
    "usage: neft sample --activation NAME [--slope A] --d-in D --width N --models M\n"
    "                   --at \"x1;..;xk\" [--npt 2,4,6] [--sw S --sb B] [--seed S]\n"
    "                   [--depth L [--widths n1,..] [--cw C --cb C]] [--threads T]\n"
    "                   [--checkpoint FILE [--checkpoint-interval SECONDS]]\n"
    "                   [--format text|json] [--max-work N] [--max-memory SIZE]\n"
    "                   [--estimator plain|conditional]\n";

int
neft_cli_sample(int argc, char ** argv)
{
    const char * at = NULL, * widths_text = NULL, * checkpoint = NULL, * act_name = NULL;
    const char * slope_text = NULL, * hyper[4] = {NULL, NULL, NULL, NULL};
    slong width = -1, d_in = 1, depth = 2, models = -1, threads = 0, seed = 0, l;
    double interval = 60.0;
    int json = 0, i, status, estimator = NEFT_SAMPLE_ESTIMATOR_PLAIN;
    unsigned mask = (1u << 2) | (1u << 4) | (1u << 6);
    neft_cli_points_t pts;
    neft_sample_spec_t spec;
    neft_sample_opt_t opt;
    neft_sample_result_t res;
    neft_cli_meter_t meter;
    neft_cli_budget_t budget;
    char err[1024];

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;  /* an option given twice is refused */
    /* the integer options and their ranges */
    const struct { const char * name; slong * var; slong lo, hi; } ints[] = {
        {"--d-in", &d_in, 1, 1000000}, {"--width", &width, 1, 100000000},
        {"--depth", &depth, 2, NEFT_SAMPLE_MAX_DEPTH},
        {"--models", &models, 2 * NEFT_SAMPLE_BLOCK, WORD(1) << 50},
        {"--seed", &seed, 0, WORD_MAX}, {"--threads", &threads, 1, 4096}};
    char help[1536];    /* the usage and the activations of the table */
    snprintf(help, sizeof help, "%sNAME: %s\n      (leaky-relu: --slope A, default 1/100; gauss, "
             "GaussNet: one hidden layer)\n", sample_usage, neft_act_names());
    for (i = 1; (status = neft_cli_next(&seen, &budget, help, argc, argv, &i))
                 == NEFT_CLI_MORE; i++)
    {
        const char * a = argv[i], * v;
        if (!(v = neft_cli_option_value("sample", argc, argv, &i)))
            return NEFT_EXIT_USAGE;
        for (l = 0; l < (slong) (sizeof(ints) / sizeof(ints[0])); l++)
            if (!strcmp(a, ints[l].name))
                break;
        if (l < (slong) (sizeof(ints) / sizeof(ints[0])))
        {
            if (neft_cli_parse_slong(ints[l].var, v, a, ints[l].lo, ints[l].hi))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--activation"))
        {
            if (neft_cli_parse_activation(&act_name, v))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--slope"))
            slope_text = v;
        else if (!strcmp(a, "--widths"))
            widths_text = v;
        else if (!strcmp(a, "--at"))
            at = v;
        else if (!strcmp(a, "--npt"))
        {
            if (neft_cli_parse_npt(&mask, v, a))
                return NEFT_EXIT_USAGE;
        }
        else if (!strcmp(a, "--sw") || !strcmp(a, "--sb") || !strcmp(a, "--cw")
                 || !strcmp(a, "--cb") || !strcmp(a, "--checkpoint-interval"))
        {
            double x;
            if (neft_cli_parse_double(&x, v, a))
                return NEFT_EXIT_USAGE;
            if (x < 0)
            {
                neft_cli_error("%s must be >= 0, got %s", a, v);
                return NEFT_EXIT_USAGE;
            }
            if (!strcmp(a, "--sw"))
                hyper[0] = v;
            else if (!strcmp(a, "--sb"))
                hyper[1] = v;
            else if (!strcmp(a, "--cw"))
                hyper[2] = v;
            else if (!strcmp(a, "--cb"))
                hyper[3] = v;
            else
                interval = x;
        }
        else if (!strcmp(a, "--checkpoint"))
            checkpoint = v;
        else if (!strcmp(a, "--estimator"))
        {
            if ((estimator = neft_sample_estimator_from_name(v)) < 0)
            {
                neft_cli_error("--estimator expects plain or conditional, got '%s'", v);
                return NEFT_EXIT_USAGE;
            }
        }
        else if (!strcmp(a, "--format"))
        {
            if (neft_cli_parse_format(&json, v))
                return NEFT_EXIT_USAGE;
        }
        else
            return neft_cli_unknown("sample", a);
    }
    if (status != NEFT_CLI_END)
        return status;
    if (act_name == NULL || at == NULL || models < 0 || (width < 0 && widths_text == NULL))
    {
        neft_cli_error("sample needs --activation, --width (or --widths), --models and --at");
        return NEFT_EXIT_USAGE;
    }
    if (neft_cli_parse_points(&pts, at, d_in, "--at"))
        return NEFT_EXIT_USAGE;

    neft_sample_spec_init(spec);
    /* the net: its activation row (with --slope, the row's slope), d_in,
       depth, widths below, sigma_w, sigma_b or C_W, C_b */
    if (slope_text != NULL && (neft_act_lookup(act_name)->param_default == NULL
                               || strcmp(neft_act_lookup(act_name)->param_name, "slope")))
    {
        neft_cli_error("--slope: %s has no slope to set (got '%s')", act_name, slope_text);
        goto usage_fail;
    }
    if (neft_net_set_act_name(spec->net, act_name, slope_text, err, sizeof(err)) != NEFT_SUCCESS)
    {
        neft_cli_error("%s%s", slope_text != NULL ? "--slope: " : "", err);
        goto usage_fail;
    }
    spec->net->d_in = d_in;
    neft_net_set_depth(spec->net, depth);
    /* the texts passed neft_cli_parse_double above (strtod's grammar, >= 0):
       the DECIMAL grammar of neft/points.h reads the same texts, exactly */
    if (neft_net_set_hyper_text(spec->net, hyper[0], hyper[1], hyper[2], hyper[3], err,
                                sizeof(err)) != NEFT_SUCCESS)
    {
        neft_cli_error("%s", err);
        goto usage_fail;
    }
    spec->npt_mask = mask;
    spec->models = (uint64_t) models;
    spec->seed = (uint64_t) seed;
    spec->estimator = estimator;
    if (widths_text != NULL)
    {
        const char * s = widths_text;
        for (l = 0; l < depth - 1; l++)
        {
            char buf[32];
            size_t len = strcspn(s, ",");
            if (len == 0 || len >= sizeof(buf) || (s[len] == '\0') != (l == depth - 2))
            {
                neft_cli_error("--widths expects %ld comma-separated widths (depth - 1), "
                               "got '%s'", (long) depth - 1, widths_text);
                goto usage_fail;
            }
            memcpy(buf, s, len);
            buf[len] = '\0';
            if (neft_cli_parse_slong(&width, buf, "--widths", 1, 100000000))
                goto usage_fail;
            neft_net_set_width_si(spec->net, l + 1, width);
            s += len + (s[len] == ',');
        }
    }
    else
        neft_net_set_widths_all_si(spec->net, width);
    neft_sample_spec_set_points(spec, pts.x, pts.npoints);
    neft_cli_points_clear(&pts, pts.npoints * d_in);
    if ((status = neft_sample_spec_check(spec, err, sizeof(err))) != NEFT_SUCCESS)
    {
        neft_sample_spec_clear(spec);
        return neft_cli_exit_status(status, err);
    }
    {
        double ops, bytes, per_model;
        char how_ops[128], how_bytes[128];
        slong nt = threads > 0 ? threads : (slong) sysconf(_SC_NPROCESSORS_ONLN);
        neft_sample_spec_cost(&ops, &bytes, &per_model, spec, threads);
        snprintf(how_ops, sizeof(how_ops), "%llu models x %.3g per model",
                 (unsigned long long) spec->models, per_model);
        snprintf(how_bytes, sizeof(how_bytes), "%ld worker thread%s", (long) FLINT_MAX(nt, 1),
                 nt > 1 ? "s, each with its buffers; fewer with --threads" : "");
        if (neft_cli_budget_check(&budget, ops, how_ops, bytes, how_bytes))
        {
            neft_sample_spec_clear(spec);
            return NEFT_EXIT_USAGE;
        }
    }

    /* under mpirun, the processes share the run (docs/cluster.md); rank 0
       alone shows progress and writes the result */
    if (neft_mpi_start(&argc, &argv, err, sizeof(err)) != 0)
    {
        neft_sample_spec_clear(spec);
        return neft_cli_exit_status(NEFT_SAMPLE_BAD_INPUT, err);
    }
    neft_sample_opt_init(opt);
    opt->threads = threads;
    opt->checkpoint = checkpoint;
    opt->checkpoint_interval = interval;
    neft_cli_meter_init(&meter, isatty(STDERR_FILENO) && neft_mpi_rank() == 0);
    if (meter.on)
    {
        opt->progress = progress_bar;
        opt->progress_param = &meter;
    }
    neft_sample_result_init(res);
    status = neft_sample_run(res, spec, opt, err, sizeof(err));
    const char * why = err;     /* the library's line, unless printed already */
    neft_cli_meter_clear(&meter);     /* before the result or the message */
    if (neft_mpi_rank() != 0 && (status == NEFT_SAMPLE_BAD_INPUT
                                 || status == NEFT_SAMPLE_INTERRUPTED
                                 || !strncmp(err, "another MPI", 11)
                                 || !strncmp(err, "rank 0", 6)))
        why = NULL;             /* rank 0 says it */
    if (status == NEFT_SAMPLE_SUCCESS && neft_mpi_rank() == 0)
    {
        int werr = 0;
        if (json)
            werr = neft_sample_result_write_json(stdout, res, spec);
        else
            neft_sample_result_write_text(stdout, res, spec);
        if (fflush(stdout) != 0 || werr)
        {
            neft_cli_write_error(errno);
            status = NEFT_SAMPLE_FAILURE;
            why = NULL;
        }
    }
    neft_sample_result_clear(res);
    neft_sample_spec_clear(spec);
    {
        /* rank 0's message before the job ends: MPI_Finalize holds every
           process until all reach it, so mpirun cannot kill rank 0 (after
           another rank's non-zero exit) before it has said why */
        int rc = neft_cli_exit_status(status, why);
        neft_mpi_finish();
        return rc;
    }
usage_fail:
    neft_cli_points_clear(&pts, pts.npoints * d_in);
    neft_sample_spec_clear(spec);
    return NEFT_EXIT_USAGE;
}
