/* `neft train --ensemble`: sampled finite-width nets trained by gradient
   descent (docs/cmd-train.md "Trained ensembles"): parse, run the trainer
   (the sampler's threads, checkpoints, progress), print. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "neft/train.h"
#include "neft/onen.h"
#include "neft/mpi.h"
#include "cli.h"

static const char usage[] =
    "usage: neft train --ensemble --data FILE --at \"x1;..\" --activation NAME [--slope A]\n"
    "                  --cw C --cb C --depth L --width N --models M [--seed S]\n"
    "                  --eta E --steps T1,T2,..,T [--lambda-b A --lambda-w B]\n"
    "                  [--threads T] [--checkpoint FILE [--checkpoint-interval SECONDS]]\n"
    "                  [--prec BITS] [--format text|json] [--figure FILE.tex]\n"
    "                  [--order 1 [--nodes N] [--c-rule ball|estimate] [--c-rtol R]\n"
    "                   [--kink-samples N]]\n"
    "  Trains M sampled nets of width N (the nets of `neft sample`) by full-batch\n"
    "  gradient descent on the data and measures the ensemble's mean and covariance\n"
    "  at the test inputs after each step T1 < T2 < .. and the empirical NTK at\n"
    "  initialisation, beside the infinite-width (frozen-NTK) prediction.\n"
    "  --order 1: also the O(1/n) trained mean (docs/train-theory.md; depth >= 3:\n"
    "  the GD map in onen's tensors, linear, sin, erf, and tanh, sigmoid on at most\n"
    "  4 distinct points); for relu and leaky-relu (depth 2) the n^-1/2 kink term\n"
    "  of the mean and variance instead (--kink-samples prior samples, default\n"
    "  4000); --c-rtol R (depth 2): the ball's\n"
    "  nodes raised from 25 by 6 until its radius is <= R |c| or --nodes (default\n"
    "  49) is reached (the output says which); without --models,\n"
    "  the predictions alone.\n";

typedef struct
{
    neft_cli_meter_t meter;
}
progress_state;

static void
progress(void * param, uint64_t done, uint64_t total)
{
    progress_state * st = param;
    neft_cli_meter_draw(&st->meter, "nets", (double) done, (double) total);
}

/* "0,10,100" -> strictly increasing steps; -1 after an error */
static int
parse_steps(ulong ** steps, slong * n, const char * text)
{
    const char * s = text;
    slong cap = 16;
    *n = 0;
    *steps = flint_malloc(sizeof(ulong) * (size_t) cap);
    for (;;)
    {
        char buf[32];
        size_t len = strcspn(s, ",");
        slong v;
        if (len == 0 || len >= sizeof buf)
            break;
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (neft_cli_parse_slong(&v, buf, "--steps", 0, WORD(1) << 40))
            return -1;
        if (*n > 0 && (ulong) v <= (*steps)[*n - 1])
            break;
        if (*n == cap)
            *steps = flint_realloc(*steps, sizeof(ulong) * (size_t) (cap *= 2));
        (*steps)[(*n)++] = (ulong) v;
        if (s[len] == '\0')
            return *n <= 1000 ? 0 : (neft_cli_error("--steps: at most 1000 recorded steps"), -1);
        s += len + 1;
    }
    neft_cli_error("--steps expects increasing non-negative integers T1,T2,.. (the steps "
                   "recorded), got '%s'", text);
    return -1;
}

/* --trace: {"n":[d_in,n_1,..,1],"params":[..],"steps":[..],"out":[[..]..],"ntk":[[..]..]} */
static int
write_trace(const neft_train_ensemble_t ens)
{
    const slong np = neft_train_ensemble_nparams(ens), P = ens->sample->npoints;
    const slong nB = P - ens->ntrain;
    double * params = flint_malloc(sizeof(double) * (size_t) (np + 1));
    double * out = flint_malloc(sizeof(double) * (size_t) (ens->nsteps * nB + 1));
    double * ntk = flint_malloc(sizeof(double) * (size_t) (P * P + 1));
    char err[512];
    slong k, s, l;
    int status = neft_train_ensemble_trace(params, out, ntk, ens, err, sizeof err);
    if (status == NEFT_SUCCESS)
    {
        printf("{\"n\":[%ld", (long) ens->sample->net->d_in);
        for (l = 1; l < ens->sample->net->depth; l++)
            printf(",%ld", (long) neft_net_width_si(ens->sample->net, l));
        printf(",1],\"params\":[");
        for (k = 0; k < np; k++)
            printf("%s%.17g", k ? "," : "", params[k]);
        printf("],\"steps\":[");
        for (s = 0; s < ens->nsteps; s++)
            printf("%s%lu", s ? "," : "", (unsigned long) ens->steps[s]);
        printf("],\"out\":[");
        for (s = 0; s < ens->nsteps; s++)
        {
            printf("%s[", s ? "," : "");
            for (k = 0; k < nB; k++)
                printf("%s%.17g", k ? "," : "", out[s * nB + k]);
            printf("]");
        }
        printf("],\"ntk\":[");
        for (s = 0; s < P; s++)
        {
            printf("%s[", s ? "," : "");
            for (k = 0; k < P; k++)
                printf("%s%.17g", k ? "," : "", ntk[s * P + k]);
            printf("]");
        }
        printf("]}\n");
    }
    flint_free(params);
    flint_free(out);
    flint_free(ntk);
    return neft_cli_exit_status(status, err);
}

int
neft_cli_train_ensemble(int argc, char ** argv)
{
    const char * act_name = NULL, * slope_text = NULL, * cw_text = NULL, * cb_text = NULL;
    const char * data_path = NULL, * at = NULL, * lb_text = NULL, * lw_text = NULL;
    const char * eta_text = NULL, * steps_text = NULL, * checkpoint = NULL, * figure = NULL;
    slong depth = -1, width = -1, models = -1, seed = 0, threads = 0, prec = 128, ntest = 0;
    slong ncap = 0, nsteps = 0, order = 0, nodes = 0, kink_samples = 4000;
    int c_estimate = 0;
    double interval = 60.0, c_rtol = 0;
    ulong * steps = NULL;
    int json = 0, i, status = NEFT_EXIT_OK, bad = 0, trace = 0, mpi = 0;
    neft_train_ensemble_t ens;
    neft_train_ensemble_result_t res;
    neft_posterior_data_t data;
    neft_sample_opt_t opt;
    neft_cli_budget_t budget;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;
    progress_state pst;
    fmpq * test = NULL;
    fmpq_t q;
    char err[1024];

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    for (i = 1; (status = neft_cli_next(&seen, &budget, usage, argc, argv, &i))
                 == NEFT_CLI_MORE; i++)
    {
        const char * o = argv[i], * v;
        if (!strcmp(o, "--ensemble"))
            continue;
        if (!strcmp(o, "--trace"))
        {
            /* model 0's parameters and trajectory, for tests (train.h) */
            trace = 1;
            continue;
        }
        if (strncmp(o, "--", 2))
        {
            neft_cli_error("unexpected argument '%s' (see neft train --help)", o);
            return NEFT_EXIT_USAGE;
        }
        if (!(v = neft_cli_value(argc, argv, &i)))
            return NEFT_EXIT_USAGE;
        if (!strcmp(o, "--activation")) act_name = v;
        else if (!strcmp(o, "--slope")) slope_text = v;
        else if (!strcmp(o, "--cw")) cw_text = v;
        else if (!strcmp(o, "--cb")) cb_text = v;
        else if (!strcmp(o, "--data")) data_path = v;
        else if (!strcmp(o, "--at")) at = v;
        else if (!strcmp(o, "--lambda-b")) lb_text = v;
        else if (!strcmp(o, "--lambda-w")) lw_text = v;
        else if (!strcmp(o, "--eta")) eta_text = v;
        else if (!strcmp(o, "--steps")) steps_text = v;
        else if (!strcmp(o, "--checkpoint")) checkpoint = v;
        else if (!strcmp(o, "--figure")) figure = v;
        else if (!strcmp(o, "--depth"))
            bad = neft_cli_parse_slong(&depth, v, o, 2, NEFT_SAMPLE_MAX_DEPTH);
        else if (!strcmp(o, "--width")) bad = neft_cli_parse_slong(&width, v, o, 1, 100000000);
        else if (!strcmp(o, "--models"))
            bad = neft_cli_parse_slong(&models, v, o, 2 * NEFT_SAMPLE_BLOCK, WORD(1) << 50);
        else if (!strcmp(o, "--seed")) bad = neft_cli_parse_slong(&seed, v, o, 0, WORD_MAX);
        else if (!strcmp(o, "--threads")) bad = neft_cli_parse_slong(&threads, v, o, 1, 4096);
        else if (!strcmp(o, "--prec")) bad = neft_cli_parse_slong(&prec, v, o, 16, 10000);
        else if (!strcmp(o, "--format")) bad = neft_cli_parse_format(&json, v);
        else if (!strcmp(o, "--order")) bad = neft_cli_parse_slong(&order, v, o, 0, 1);
        else if (!strcmp(o, "--nodes")) bad = neft_cli_parse_slong(&nodes, v, o, 4, 64);
        else if (!strcmp(o, "--c-rule"))
        {
            if (!strcmp(v, "ball") || !strcmp(v, "estimate"))
                c_estimate = !strcmp(v, "estimate");
            else
            {
                neft_cli_error("--c-rule takes ball or estimate, got '%s'", v);
                bad = 1;
            }
        }
        else if (!strcmp(o, "--c-rtol"))
        {
            bad = neft_cli_parse_double(&c_rtol, v, o);
            if (!bad && !(c_rtol > 0 && c_rtol < 1))
            {
                neft_cli_error("--c-rtol expects a relative radius in (0, 1), got '%s'", v);
                bad = 1;
            }
        }
        else if (!strcmp(o, "--kink-samples"))
            bad = neft_cli_parse_slong(&kink_samples, v, o, 2, WORD(1) << 40);
        else if (!strcmp(o, "--checkpoint-interval"))
        {
            bad = neft_cli_parse_double(&interval, v, o);
            if (!bad && !(interval >= 0))
            {
                neft_cli_error("--checkpoint-interval must be >= 0, got %s", v);
                bad = 1;
            }
        }
        else
            return neft_cli_unknown("train", o);
        if (bad)
            return NEFT_EXIT_USAGE;
    }
    if (status != NEFT_CLI_END)
        return status;
    status = NEFT_EXIT_OK;
    if (act_name == NULL || cw_text == NULL || cb_text == NULL || depth < 0 || width < 0
        || (models < 0 && order == 0) || data_path == NULL || at == NULL || eta_text == NULL
        || steps_text == NULL)
    {
        neft_cli_error("train --ensemble needs --data, --at, --activation, --cw, --cb, "
                       "--depth, --width, --models (unless --order 1), --eta and --steps "
                       "(see neft train --help)");
        return NEFT_EXIT_USAGE;
    }
    if (parse_steps(&steps, &nsteps, steps_text))
    {
        flint_free(steps);
        return NEFT_EXIT_USAGE;
    }

    neft_train_ensemble_init(ens);
    neft_train_ensemble_result_init(res);
    neft_posterior_data_init(data);
    fmpq_init(q);
#define REFUSE(...) \
    do { neft_cli_error(__VA_ARGS__); status = NEFT_EXIT_USAGE; goto done; } while (0)
    if (neft_net_set_act_name(ens->sample->net, act_name, slope_text, err, sizeof err))
        REFUSE("%s%s", slope_text != NULL ? "--slope: " : "", err);
    if (neft_onen_parse_rational(q, cw_text) || fmpq_sgn(q) <= 0)
        REFUSE("--cw expects a positive number, got '%s'", cw_text);
    neft_net_set_cw(ens->sample->net, q);
    if (neft_onen_parse_rational(q, cb_text) || fmpq_sgn(q) < 0)
        REFUSE("--cb expects a non-negative number, got '%s'", cb_text);
    neft_net_set_cb(ens->sample->net, q);
    if (neft_onen_parse_rational(ens->eta, eta_text) || fmpq_sgn(ens->eta) <= 0)
        REFUSE("--eta expects a positive number, got '%s'", eta_text);
    if (lb_text != NULL && (neft_onen_parse_rational(ens->lambda_b, lb_text)
                            || fmpq_sgn(ens->lambda_b) < 0))
        REFUSE("--lambda-b expects a non-negative number, got '%s'", lb_text);
    if (lw_text != NULL && (neft_onen_parse_rational(ens->lambda_w, lw_text)
                            || fmpq_sgn(ens->lambda_w) < 0))
        REFUSE("--lambda-w expects a non-negative number, got '%s'", lw_text);
    if (neft_posterior_data_read(data, data_path, err, sizeof err))
        REFUSE("%s", err);
    ntest = neft_onen_parse_points(&test, &ncap, at, data->d_in);
    if (ntest < 1)
        REFUSE("--at expects points \"x1;x2;..\" of %ld comma-separated numbers each "
               "(the dimension of %s), got '%s'", (long) data->d_in, data_path, at);
    ens->sample->net->d_in = data->d_in;
    neft_net_set_depth(ens->sample->net, depth);
    neft_net_set_widths_all_si(ens->sample->net, width);
    /* --order 1 without --models: the predictions alone (no nets are drawn;
       the spec's checks want a valid count) */
    ens->sample->models = (uint64_t) (models < 0 ? 2 * NEFT_SAMPLE_BLOCK : models);
    ens->order = order;
    /* the default: 25 trapezoid nodes for the ball, 12 Gauss-Hermite otherwise;
       with --c-rtol, --nodes is the cap (default 49) */
    if (c_rtol > 0 && (order != 1 || c_estimate || neft_train_has_kink(ens->sample->net)
                       || !neft_train_order1_ball(ens->sample->net->act) || depth > 2))
        REFUSE("--c-rtol sets the radius of the ball of c: it needs --order 1, --depth 2 and "
               "tanh, erf, sin or sigmoid, without --c-rule estimate");
    ens->order1_estimate = c_estimate;
    ens->c_rtol = c_rtol;
    ens->nodes = nodes > 0 ? nodes
                 : c_rtol > 0 ? NEFT_TRAIN_ORDER1_RTOL_CAP
                 : (!c_estimate && neft_train_order1_ball(ens->sample->net->act))
                   ? NEFT_TRAIN_ORDER1_BALL_NODES : 12;
    ens->kink_samples = kink_samples;
    ens->sample->seed = (uint64_t) seed;
    neft_train_ensemble_set_data(ens, data->x, data->y, data->n, test, ntest);
    neft_train_ensemble_set_steps(ens, steps, nsteps);
    if ((status = neft_train_ensemble_check(ens, err, sizeof err)) != NEFT_SUCCESS)
    {
        status = neft_cli_exit_status(status, err);
        goto done;
    }
    if (trace)
    {
        status = write_trace(ens);
        goto done;
    }
    if (models < 0)
    {
        status = neft_train_ensemble_predict(res, ens, prec, err, sizeof err);
        if (status != NEFT_SUCCESS)
        {
            status = neft_cli_exit_status(status, err);
            goto done;
        }
        if (json)
            neft_train_ensemble_write_predict_json(stdout, res, ens);
        else
            neft_train_ensemble_write_predict_text(stdout, res, ens);
        if (fflush(stdout) != 0)
        {
            neft_cli_write_error(errno);
            status = NEFT_EXIT_FAILURE;
        }
        goto done;
    }
    {
        double ops, per_model;
        char how[160];
        neft_train_ensemble_cost(&ops, &per_model, ens);
        snprintf(how, sizeof how, "%lld models x %.3g per model (training)", (long long) models,
                 per_model);
        if (neft_cli_budget_check(&budget, ops, how, 0, NULL))
        {
            status = NEFT_EXIT_USAGE;
            goto done;
        }
    }
    /* under mpirun the processes share the nets as in `neft sample`
       (docs/cluster.md); rank 0 alone shows progress and writes */
    if (neft_mpi_start(&argc, &argv, err, sizeof err) != 0)
    {
        status = neft_cli_exit_status(NEFT_BAD_INPUT, err);
        goto done;
    }
    mpi = 1;
    neft_sample_opt_init(opt);
    opt->threads = threads;
    opt->checkpoint = checkpoint;
    opt->checkpoint_interval = interval;
    neft_cli_meter_init(&pst.meter, isatty(STDERR_FILENO) && neft_mpi_rank() == 0);
    opt->progress = progress;
    opt->progress_param = &pst;
    status = neft_train_ensemble_run(res, ens, opt, prec, err, sizeof err);
    neft_cli_meter_clear(&pst.meter);
    if (status != NEFT_SUCCESS)
    {
        /* rank 0 says what every rank was told */
        const int quiet = neft_mpi_rank() != 0 && (status == NEFT_BAD_INPUT
                                                   || status == NEFT_INTERRUPTED
                                                   || !strncmp(err, "another MPI", 11)
                                                   || !strncmp(err, "rank 0", 6));
        status = neft_cli_exit_status(status, quiet ? NULL : err);
        goto done;
    }
    if (neft_mpi_rank() != 0)
        goto done;
    if (figure != NULL && neft_train_ensemble_plot(figure, res, ens) != 0)
    {
        neft_cli_error("%s: cannot write the figure: %s", figure, strerror(errno));
        status = NEFT_EXIT_FAILURE;
        goto done;
    }
    if (json)
        neft_train_ensemble_write_json(stdout, res, ens);
    else
        neft_train_ensemble_write_text(stdout, res, ens);
    if (fflush(stdout) != 0)
    {
        neft_cli_write_error(errno);
        status = NEFT_EXIT_FAILURE;
    }
#undef REFUSE
done:
    neft_onen_points_clear(test, ncap);
    flint_free(steps);
    fmpq_clear(q);
    neft_posterior_data_clear(data);
    neft_train_ensemble_result_clear(res);
    neft_train_ensemble_clear(ens);
    if (mpi)
    {
        /* the other ranks wait for rank 0's predictions and output without
           spinning (MPI_Finalize polls), and exit with its status */
        int st = status;
        if (neft_mpi_broadcast(&st, sizeof st) == 0 && neft_mpi_rank() != 0)
            status = st;
        neft_mpi_finish();     /* after rank 0's message (cmd_sample.c) */
    }
    return status;
}
