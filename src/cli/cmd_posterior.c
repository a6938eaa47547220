/* `neft posterior` (docs/cmd-posterior.md) and the shared driver of
   `neft train` (docs/cmd-train.md): parse the options, read the training
   data, and call the posterior / train modules, which compute; the
   output is held until the run succeeded. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "neft/posterior.h"
#include "neft/train.h"
#include "neft/json.h"
#include "neft/interrupt.h"
#include "cli.h"

static const char usage_posterior[] =
    "usage: neft posterior --data FILE --at \"x1;..\" --activation NAME [--slope A]\n"
    "                      --cw C --cb C --depth L [--noise S2] [--prec BITS]\n"
    "                      [--format text|json] [--order 0|1]\n"
    "  The NNGP posterior mean and covariance at the test inputs --at, given the\n"
    "  training data FILE (CSV lines x_1,..,x_d,y or JSON; docs/formats.md) with\n"
    "  observation noise of variance S2 (default 0).\n";

static const char usage_train[] =
    "usage: neft train --data FILE --at \"x1;..\" --activation NAME [--slope A]\n"
    "                  --cw C --cb C --depth L --eta E (--steps T | --time T)\n"
    "                  [--lambda-b A --lambda-w B] [--prec BITS] [--format text|json]\n"
    "  Full-batch gradient descent with step E on the squared error at infinite\n"
    "  width (frozen NTK): the mean and covariance over initialisations of the\n"
    "  outputs at the test inputs --at after T steps (or at time T of gradient\n"
    "  flow, --time).\n"
    "       neft train --ensemble ... trains sampled finite-width nets by the same\n"
    "  gradient descent (see neft train --ensemble --help).\n";

#define REFUSE(...) \
    do { neft_cli_error(__VA_ARGS__); status = NEFT_EXIT_USAGE; goto done; } while (0)
/* refused, the message printed already */
#define USAGE_FAIL() do { status = NEFT_EXIT_USAGE; goto done; } while (0)

static void
q_json_member(FILE * out, const char * key, const fmpq_t q)
{
    fprintf(out, ",\"%s\":", key);
    neft_json_write_fmpq(out, q);
}

int
neft_cli_learn(int argc, char ** argv, int train)
{
    const char * data_path = NULL, * at = NULL, * noise_text = NULL, * lb_text = NULL;
    const char * lw_text = NULL, * eta_text = NULL, * steps_text = NULL, * time_text = NULL;
    const char * usage = train ? usage_train : usage_posterior, * cmd = train ? "train" : "posterior";
    slong prec = 128, ntest = 0, ncap = 0, P = 0, nA = 0, d_in, a, j;
    slong order = 0;                     /* --order 1: the O(1/n) posterior mean */
    arb_ptr kap4 = NULL, mean1 = NULL;
    arb_mat_t G1;
    ulong steps = 0;
    int format = 0, bad = 0, i, status = NEFT_EXIT_OK, exact = 0, r;
    neft_onen_params_t par;
    neft_posterior_data_t data;
    fmpq_t noise, lb, lw, eta, tq;
    neft_cli_netopt_t no;
    fmpq * test = NULL, * x = NULL, * emean = NULL;
    arb_mat_t K, T, cov;
    fmpq_mat_t eK, eT, ecov;
    arb_ptr y = NULL, mean = NULL;
    neft_cli_budget_t budget;
    neft_cli_out_t held;
    neft_cli_seen_t seen = NEFT_CLI_SEEN_INIT;
    char err[512];
    const char * why = "";
    FILE * out = NULL;

    neft_cli_budget_init(&budget, NEFT_CLI_WORK_DEFAULT);
    neft_cli_netopt_init(&no);
    held.fp = NULL;
    for (i = 1; (status = neft_cli_next(&seen, &budget, usage, argc, argv, &i))
                 == NEFT_CLI_MORE; i++)
    {
        const char * o = argv[i], * v;
        if (strncmp(o, "--", 2))
        {
            neft_cli_error("unexpected argument '%s' (see neft %s --help)", o, cmd);
            return NEFT_EXIT_USAGE;
        }
        if (!(v = neft_cli_value(argc, argv, &i)))
            return NEFT_EXIT_USAGE;
        if (neft_cli_netopt(&no, o, v, &bad))
            ;   /* --activation, --slope, --cw, --cb, --depth */
        else if (!strcmp(o, "--data")) data_path = v;
        else if (!strcmp(o, "--at")) at = v;
        else if (!strcmp(o, "--prec")) bad = neft_cli_parse_slong(&prec, v, o, 16, 10000);
        else if (!strcmp(o, "--format")) bad = neft_cli_parse_format(&format, v);
        else if (!train && !strcmp(o, "--noise")) noise_text = v;
        else if (!train && !strcmp(o, "--order")) bad = neft_cli_parse_slong(&order, v, o, 0, 1);
        else if (train && !strcmp(o, "--lambda-b")) lb_text = v;
        else if (train && !strcmp(o, "--lambda-w")) lw_text = v;
        else if (train && !strcmp(o, "--eta")) eta_text = v;
        else if (train && !strcmp(o, "--steps")) steps_text = v;
        else if (train && !strcmp(o, "--time")) time_text = v;
        else
            return neft_cli_unknown(cmd, o);
        if (bad)
            return NEFT_EXIT_USAGE;
    }
    if (status != NEFT_CLI_END)
        return status;
    status = NEFT_EXIT_OK;

    neft_onen_params_init(par);
    neft_posterior_data_init(data);
    fmpq_init(noise); fmpq_init(lb); fmpq_init(lw);
    fmpq_init(eta); fmpq_init(tq);
    fmpq_one(lb); fmpq_one(lw);
    arb_mat_init(K, 0, 0); arb_mat_init(T, 0, 0); arb_mat_init(cov, 0, 0);
    arb_mat_init(G1, 0, 0);
    fmpq_mat_init(eK, 0, 0); fmpq_mat_init(eT, 0, 0); fmpq_mat_init(ecov, 0, 0);
    par->prec = prec;
    if ((out = neft_cli_out_open(&held)) == NULL)
    {
        status = NEFT_EXIT_FAILURE;
        goto done;
    }
    if (neft_cli_netopt_activation(par->net, &no))
        USAGE_FAIL();
    if (no.cw == NULL || no.cb == NULL || no.depth < 0 || data_path == NULL || at == NULL)
        REFUSE("--data, --at, --cw, --cb and --depth are required (see neft %s --help)", cmd);
    if (neft_cli_netopt_hyper(par->net, &no))
        USAGE_FAIL();
    if (noise_text != NULL && (neft_onen_parse_rational(noise, noise_text) || fmpq_sgn(noise) < 0))
        REFUSE("--noise expects a non-negative number (a variance), got '%s'", noise_text);
    if (lb_text != NULL && (neft_onen_parse_rational(lb, lb_text) || fmpq_sgn(lb) < 0))
        REFUSE("--lambda-b expects a non-negative number, got '%s'", lb_text);
    if (lw_text != NULL && (neft_onen_parse_rational(lw, lw_text) || fmpq_sgn(lw) < 0))
        REFUSE("--lambda-w expects a non-negative number, got '%s'", lw_text);
    if (train)
    {
        if (eta_text == NULL || (steps_text == NULL) == (time_text == NULL))
            REFUSE("neft train needs --eta E and one of --steps T and --time T");
        if (neft_onen_parse_rational(eta, eta_text) || fmpq_sgn(eta) <= 0)
            REFUSE("--eta expects a positive number, got '%s'", eta_text);
        if (steps_text != NULL)
        {
            slong s;
            if (neft_cli_parse_slong(&s, steps_text, "--steps", 0, WORD_MAX))
            {
                status = NEFT_EXIT_USAGE;
                goto done;
            }
            steps = (ulong) s;
        }
        else if (neft_onen_parse_rational(tq, time_text) || fmpq_sgn(tq) < 0)
            REFUSE("--time expects a non-negative number, got '%s'", time_text);
    }
    if (neft_onen_check_depth(par->net, &why) != NEFT_SUCCESS)
    {
        status = neft_cli_exit_status(NEFT_UNSUPPORTED, why);
        goto done;
    }
    if (!neft_onen_ntk_has(par->net, &why))
    {
        status = neft_cli_exit_status(NEFT_UNSUPPORTED, why);
        goto done;
    }
    if (neft_posterior_data_read(data, data_path, err, sizeof err))
        REFUSE("%s", err);
    d_in = data->d_in;
    nA = data->n;
    ntest = neft_onen_parse_points(&test, &ncap, at, d_in);
    if (ntest < 0)
        REFUSE("--at expects points \"x1;x2;..\" of %ld comma-separated numbers each "
               "(the dimension of %s), got '%s'", (long) d_in, data_path, at);
    P = nA + ntest;
    {
        double ops, bytes, m = (double) P;
        char how[160];
        neft_posterior_kernels_cost(&ops, &bytes, par, P, d_in);
        if (order == 1)
        {
            /* the four-point vertex and G1 (src/posterior/order1.c) */
            double o, b;
            neft_posterior_vertex_cost(&o, &b, par, P);
            ops += o;
            bytes += b;
        }
        ops += 10 * m * m * m * (train ? 2 * 64 : 1) * (prec / 64.0 + 1);
        snprintf(how, sizeof how, "%ld training and %ld test inputs x %ld layers of %s at "
                 "%ld bits", (long) nA, (long) ntest, (long) no.depth, no.act, (long) prec);
        if (neft_cli_budget_check(&budget, ops, how, bytes + 8 * m * m * prec, NULL))
        {
            status = NEFT_EXIT_USAGE;
            goto done;
        }
    }
    /* the inputs: training first, then test */
    x = _fmpq_vec_init(P * d_in);
    for (a = 0; a < nA * d_in; a++)
        fmpq_set(x + a, data->x + a);
    for (a = 0; a < ntest * d_in; a++)
        fmpq_set(x + nA * d_in + a, test + a);
    arb_mat_clear(K); arb_mat_clear(T); arb_mat_clear(cov);
    arb_mat_init(K, P, P); arb_mat_init(T, P, P); arb_mat_init(cov, ntest, ntest);
    fmpq_mat_clear(eK); fmpq_mat_clear(eT); fmpq_mat_clear(ecov);
    fmpq_mat_init(eK, P, P); fmpq_mat_init(eT, P, P); fmpq_mat_init(ecov, ntest, ntest);
    exact = neft_posterior_kernels_exact(eK, eT, par->net, lb, lw, x, P, d_in) == NEFT_SUCCESS
            && (!train || (steps_text != NULL && steps <= 10000));
    if (exact)
    {
        arb_mat_set_fmpq_mat(K, eK, prec);
        arb_mat_set_fmpq_mat(T, eT, prec);
    }
    else if ((r = neft_posterior_kernels(K, T, par, lb, lw, x, P, d_in)) != 0)
    {
        if (neft_interrupted())
            status = neft_cli_interrupted(NULL);
        else if (r == NEFT_UNSUPPORTED)
            status = neft_cli_exit_status(NEFT_UNSUPPORTED, why);
        else
        {
            neft_cli_error("the kernels of the %ld inputs could not be certified (a "
                           "non-finite ball: an input with K^(1) = 0 for an integrated "
                           "activation, or too few bits: --prec %ld)", (long) P, (long) prec);
            status = NEFT_EXIT_FAILURE;
        }
        goto done;
    }
    y = _arb_vec_init(nA);
    mean = _arb_vec_init(ntest);
    for (a = 0; a < nA; a++)
        arb_set_fmpq(y + a, data->y + a, prec);
    if (exact)
        emean = _fmpq_vec_init(ntest);
    if (!train)
    {
        arb_t s2;
        arb_init(s2);
        arb_set_fmpq(s2, noise, prec);
        r = neft_posterior_gp(mean, cov, K, nA, y, s2, prec);
        arb_clear(s2);
        if (exact && neft_posterior_gp_exact(emean, ecov, eK, nA, data->y, noise) != NEFT_SUCCESS)
            r = -1;
        if (r)
        {
            neft_cli_error("K_AA + noise I is %s at %ld bits: give --noise S2 > 0 or "
                           "distinct training inputs%s", exact ? "singular" : "not certified "
                           "invertible", (long) prec, exact ? "" : " (or more --prec)");
            status = NEFT_EXIT_FAILURE;
            goto done;
        }
        if (order == 1)
        {
            /* the O(1/n) correction to the mean (src/posterior/order1.c) */
            const char * owhy = NULL;
            arb_mat_clear(G1);
            arb_mat_init(G1, P, P);
            kap4 = _arb_vec_init(P * P * P * P);
            mean1 = _arb_vec_init(ntest);
            r = neft_posterior_vertex(kap4, G1, par, x, P, d_in, &owhy);
            if (r == 0)
            {
                arb_t s2;
                arb_init(s2);
                arb_set_fmpq(s2, noise, prec);
                r = neft_posterior_gp_order1(mean1, K, G1, kap4, nA, y, s2, prec);
                arb_clear(s2);
            }
            if (r)
            {
                if (neft_interrupted())
                    status = neft_cli_interrupted(NULL);
                else if (r == NEFT_UNSUPPORTED)
                    status = neft_cli_exit_status(NEFT_UNSUPPORTED, owhy);
                else
                {
                    neft_cli_error("the O(1/n) posterior could not be certified at %ld bits "
                                   "(coincident inputs make the kernel singular; or more "
                                   "--prec)", (long) prec);
                    status = NEFT_EXIT_FAILURE;
                }
                goto done;
            }
        }
    }
    else
    {
        arb_t e, t;
        arb_init(e); arb_init(t);
        arb_set_fmpq(e, eta, prec);
        arb_set_fmpq(t, tq, prec);
        r = neft_train_frozen(mean, cov, K, T, nA, y, e, steps, t, time_text != NULL, prec);
        arb_clear(e); arb_clear(t);
        if (r == 0 && exact
            && neft_train_frozen_exact(emean, ecov, eK, eT, nA, data->y, eta, steps))
            r = -1;
        if (r)
        {
            if (neft_interrupted())
                status = neft_cli_interrupted(NULL);
            else
            {
                neft_cli_error("the trained outputs could not be certified at %ld bits "
                               "(%s; or more --prec)", (long) prec, time_text != NULL
                               ? "--time needs the training NTK certified invertible: "
                                 "distinct training inputs"
                               : "a non-finite ball: eta Theta too large for the steps");
                status = NEFT_EXIT_FAILURE;
            }
            goto done;
        }
    }
    if (format)
    {
        fprintf(out, "{\"command\":\"%s\",\"activation\":", cmd);
        neft_json_write_string(out, no.act);
        q_json_member(out, "cw", par->net->cw);
        q_json_member(out, "cb", par->net->cb);
        fprintf(out, ",\"depth\":%ld,\"data\":", (long) no.depth);
        neft_json_write_string(out, data_path);
        fprintf(out, ",\"ntrain\":%ld", (long) nA);
        if (!train)
            q_json_member(out, "noise", noise);
        else
        {
            q_json_member(out, "lambda_b", lb);
            q_json_member(out, "lambda_w", lw);
            q_json_member(out, "eta", eta);
            if (time_text != NULL)
                q_json_member(out, "time", tq);
            else
                fprintf(out, ",\"steps\":%lu", (unsigned long) steps);
        }
        fputc(',', out);
        neft_posterior_write(out, test, ntest, d_in, mean, cov, emean, exact ? ecov : NULL,
                             NEFT_POSTERIOR_FORMAT_JSON);
        if (mean1 != NULL)
            neft_posterior_order1_write(out, K, G1, kap4, nA, mean, mean1,
                                        NEFT_POSTERIOR_FORMAT_JSON);
        fputs("}\n", out);
    }
    else
    {
        char * c1 = fmpq_get_str(NULL, 10, par->net->cw);
        char * c2 = fmpq_get_str(NULL, 10, par->net->cb);
        fprintf(out, "# %s: %s, C_W = %s, C_b = %s, depth %ld, %ld training examples from %s\n",
                train ? "trained ensemble at infinite width (frozen NTK)" : "NNGP posterior",
                no.act, c1, c2, (long) no.depth, (long) nA, data_path);
        flint_free(c1); flint_free(c2);
        if (train)
        {
            char * s1 = fmpq_get_str(NULL, 10, eta), * s2 = fmpq_get_str(NULL, 10, lb);
            char * s3 = fmpq_get_str(NULL, 10, lw), * s4 = fmpq_get_str(NULL, 10, tq);
            if (time_text != NULL)
                fprintf(out, "# eta = %s, time %s (gradient flow)", s1, s4);
            else
                fprintf(out, "# eta = %s, %lu steps", s1, (unsigned long) steps);
            fprintf(out, ", lambda_b = %s, lambda_W = %s\n", s2, s3);
            flint_free(s1); flint_free(s2); flint_free(s3); flint_free(s4);
        }
        else
        {
            char * s = fmpq_get_str(NULL, 10, noise);
            fprintf(out, "# noise variance %s\n", s);
            flint_free(s);
        }
        neft_posterior_write(out, test, ntest, d_in, mean, cov, emean, exact ? ecov : NULL,
                             NEFT_POSTERIOR_FORMAT_TEXT);
        if (mean1 != NULL)
            neft_posterior_order1_write(out, K, G1, kap4, nA, mean, mean1,
                                        NEFT_POSTERIOR_FORMAT_TEXT);
    }
    (void) j;
done:
    if (neft_cli_out_close(&held, status == NEFT_EXIT_OK) && status == NEFT_EXIT_OK)
        status = NEFT_EXIT_FAILURE;
    neft_onen_points_clear(test, ncap);
    if (x != NULL)
        _fmpq_vec_clear(x, P * data->d_in);
    if (emean != NULL)
        _fmpq_vec_clear(emean, ntest);
    if (y != NULL)
        _arb_vec_clear(y, nA);
    if (mean != NULL)
        _arb_vec_clear(mean, ntest);
    if (kap4 != NULL)
        _arb_vec_clear(kap4, P * P * P * P);
    if (mean1 != NULL)
        _arb_vec_clear(mean1, ntest);
    arb_mat_clear(G1);
    neft_posterior_data_clear(data);
    neft_onen_params_clear(par);
    fmpq_clear(noise); fmpq_clear(lb); fmpq_clear(lw);
    fmpq_clear(eta); fmpq_clear(tq);
    arb_mat_clear(K); arb_mat_clear(T); arb_mat_clear(cov);
    fmpq_mat_clear(eK); fmpq_mat_clear(eT); fmpq_mat_clear(ecov);
    return status;
}

int
neft_cli_posterior(int argc, char ** argv)
{
    return neft_cli_learn(argc, argv, 0);
}
