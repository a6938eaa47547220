/* The writers of a trained ensemble (docs/cmd-train.md "Trained ensembles"):
   every measured number with its jackknife error beside the frozen-NTK
   prediction and the pull (measured - frozen) / error, which is null (text:
   "-") when the error is 0 or a number is not finite. */

#include <math.h>
#include <stdio.h>
#include "neft/train.h"
#include "neft/json.h"

static double
mid(const arb_t x)
{
    return arf_get_d(arb_midref(x), ARF_RND_NEAR);
}

/* 1 and *pull when the pull is a number */
static int
pull_of(double * pull, const neft_sample_estimate_struct * e, const arb_t f, int ok)
{
    if (!ok || !(e->stderr_ > 0) || !isfinite(e->mean) || !arb_is_finite(f))
        return 0;
    *pull = (e->mean - mid(f)) / e->stderr_;
    return isfinite(*pull);
}

static void
json_num(FILE * out, double x)
{
    if (isfinite(x))
        fprintf(out, "%.17g", x);
    else
        fputs("null", out);
}

/* --c-rtol (ens->c_rtol > 0): the nodes chosen and whether the target was
   met, a header line and JSON members */
static void
text_rtol(FILE * out, const neft_train_ensemble_result_t res, const neft_train_ensemble_t ens)
{
    if (ens->c_rtol > 0 && res->order1 != NULL)
        fprintf(out, "# c: %ld trapezoid nodes, chosen for radius <= %g |c| (--c-rtol): %s; "
                "largest radius/|c| %.3g\n", (long) res->order1_nodes, ens->c_rtol,
                res->order1_met ? "met" : "not met at the cap (--nodes)", res->order1_worst);
}

static void
json_rtol(FILE * out, const neft_train_ensemble_result_t res, const neft_train_ensemble_t ens)
{
    if (ens->c_rtol > 0 && res->order1 != NULL)
    {
        fprintf(out, ",\"c_nodes\":%ld,\"c_rtol\":%.17g,\"c_rtol_met\":%s,\"c_rtol_worst\":",
                (long) res->order1_nodes, ens->c_rtol, res->order1_met ? "true" : "false");
        json_num(out, res->order1_worst);
    }
}

static void
json_item(FILE * out, const neft_sample_estimate_struct * e, const arb_t f, int ok)
{
    double pl;
    fputs("{\"value\":", out);
    json_num(out, e->mean);
    fputs(",\"stderr\":", out);
    json_num(out, e->stderr_);
    fputs(",\"frozen\":", out);
    if (ok)
        neft_json_write_arb(out, f, 20);
    else
        fputs("null", out);
    fputs(",\"pull\":", out);
    if (pull_of(&pl, e, f, ok))
        fprintf(out, "%.4f", pl);
    else
        fputs("null", out);
    fputc('}', out);
}

static void
text_item(FILE * out, const char * what, const neft_sample_estimate_struct * e, const arb_t f,
          int ok)
{
    double pl;
    fprintf(out, "  %-12s %12.6g +- %-10.3g  frozen %12.6g  pull ", what, e->mean, e->stderr_,
            ok ? mid(f) : NAN);
    if (pull_of(&pl, e, f, ok))
        fprintf(out, "%+.2f\n", pl);
    else
        fputs("-\n", out);
}

/* the O(1/n) line under a mean: c (mean = frozen + c/n), frozen + c/n at the
   run's width and the pull against it */
static void
text_order1(FILE * out, const neft_train_ensemble_result_t res, const neft_train_ensemble_t ens,
            slong i, const neft_sample_estimate_struct * e, const arb_t f)
{
    const double n = (double) neft_net_width_si(ens->sample->net, 1);
    const double pred = mid(f) + res->order1[i] / n;
    /* the ball (a rigorous radius: tanh, erf, sin, sigmoid); otherwise the rule's error estimate */
    if (res->order1_deep)
        /* depth >= 3: the GD map in onen's tensors, no error estimate */
        fprintf(out, "  %-12s %12.6g %-14s c = %.6g (GD map in the tensors)", "O(1/n)", pred,
                "", res->order1[i]);
    else
        fprintf(out, "  %-12s %12.6g +- %-10.3g  c = %.6g +- %.2g (%s)", "O(1/n)", pred,
                res->order1_err[i] / n, res->order1[i], res->order1_err[i],
                res->order1_ball ? "ball" : "rule estimate");
    if (e != NULL && res->frozen_ok && e->stderr_ > 0 && isfinite(e->mean)
        && isfinite(pred))
        fprintf(out, "  pull %+.2f", (e->mean - pred) / e->stderr_);
    fputc('\n', out);
}

static void
json_order1(FILE * out, const neft_train_ensemble_result_t res, const neft_train_ensemble_t ens,
            slong i, const neft_sample_estimate_struct * e, const arb_t f)
{
    const double n = (double) neft_net_width_si(ens->sample->net, 1);
    const double pred = mid(f) + res->order1[i] / n;
    fputs("{\"coef\":", out);
    json_num(out, res->order1[i]);
    fputs(",\"coef_err\":", out);
    /* depth >= 3: null, the map's c has no error estimate */
    json_num(out, res->order1_deep ? NAN : res->order1_err[i]);
    fputs(res->order1_deep ? ",\"coef_kind\":\"map\""
          : res->order1_ball ? ",\"coef_kind\":\"ball\"" : ",\"coef_kind\":\"estimate\"", out);
    fputs(",\"mean\":", out);
    json_num(out, res->frozen_ok ? pred : NAN);
    if (e != NULL)
    {
        fputs(",\"pull\":", out);
        if (res->frozen_ok && e->stderr_ > 0 && isfinite(e->mean) && isfinite(pred))
            fprintf(out, "%.4f", (e->mean - pred) / e->stderr_);
        else
            fputs("null", out);
    }
    fputc('}', out);
}

/* relu, leaky-relu: the n^{-1/2} line under a mean (h = 0) or a variance
   (h = 1): frozen + alpha/sqrt(n) with alpha's Monte Carlo standard error,
   and the pull of the measured value against it (both errors in quadrature) */
typedef struct
{
    double al, ae, pred, perr;   /* alpha, its error, frozen + alpha/sqrt(n), ae/sqrt(n) */
}
kink_line;

static kink_line
kink_of(const neft_train_ensemble_result_t res, const neft_train_ensemble_t ens, slong i, int h,
        const arb_t f)
{
    const double rn = sqrt((double) neft_net_width_si(ens->sample->net, 1));
    kink_line k;
    k.al = h ? res->kink_var[i] : res->kink_mean[i];
    k.ae = h ? res->kink_var_err[i] : res->kink_mean_err[i];
    k.pred = res->frozen_ok ? mid(f) + k.al / rn : NAN;
    k.perr = k.ae / rn;
    return k;
}

static void
text_kink(FILE * out, const neft_train_ensemble_result_t res, const neft_train_ensemble_t ens,
          slong i, int h, const neft_sample_estimate_struct * e, const arb_t f)
{
    const kink_line k = kink_of(res, ens, i, h, f);
    fprintf(out, "  %-12s %12.6g +- %-10.3g  alpha_%s = %.6g +- %.2g (Monte Carlo)",
            "O(n^-1/2)", k.pred, k.perr, h ? "var" : "mean", k.al, k.ae);
    if (e != NULL && e->stderr_ > 0 && isfinite(e->mean) && isfinite(k.pred))
        fprintf(out, "  pull %+.2f", (e->mean - k.pred) / hypot(e->stderr_, k.perr));
    fputc('\n', out);
}

static void
json_kink_half(FILE * out, const neft_train_ensemble_result_t res, const neft_train_ensemble_t ens,
               slong i, int h, const neft_sample_estimate_struct * e, const arb_t f)
{
    const kink_line k = kink_of(res, ens, i, h, f);
    const char * w = h ? "var" : "mean";
    fprintf(out, "\"alpha_%s\":", w);
    json_num(out, k.al);
    fprintf(out, ",\"alpha_%s_err\":", w);
    json_num(out, k.ae);
    fprintf(out, ",\"%s\":", w);
    json_num(out, k.pred);
    fprintf(out, ",\"%s_err\":", w);
    json_num(out, k.perr);
    if (e != NULL)
    {
        fprintf(out, ",\"pull_%s\":", w);
        if (e->stderr_ > 0 && isfinite(e->mean) && isfinite(k.pred))
            fprintf(out, "%.4f", (e->mean - k.pred) / hypot(e->stderr_, k.perr));
        else
            fputs("null", out);
    }
}

/* {"alpha_mean", "alpha_mean_err", "mean", "mean_err"[, "pull_mean"], the
   same for var, "c": null} */
static void
json_kink(FILE * out, const neft_train_ensemble_result_t res, const neft_train_ensemble_t ens,
          slong s, slong a, int measured)
{
    const slong nB = res->ntest, i = s * nB + a, ic = (s * nB + a) * nB + a;
    fputc('{', out);
    json_kink_half(out, res, ens, i, 0, measured ? res->mean + i : NULL, res->frozen_mean + i);
    fputc(',', out);
    json_kink_half(out, res, ens, i, 1, measured ? res->cov + ic : NULL, res->frozen_cov + ic);
    fputs(",\"c\":null}", out);
}

/* the top-level note of a kink result */
static void
json_kink_note(FILE * out, const neft_train_ensemble_result_t res,
               const neft_train_ensemble_t ens)
{
    if (res->kink_mean == NULL)
        return;
    fprintf(out, ",\"kink_samples\":%ld,\"c_note\":", (long) ens->kink_samples);
    neft_json_write_string(out, NEFT_TRAIN_KINK_C_NOTE);
}

static void
write_point(FILE * out, const neft_train_ensemble_t ens, slong a, int json)
{
    const slong d = ens->sample->net->d_in;
    slong k;
    fputs(json ? "[" : "(", out);
    for (k = 0; k < d; k++)
        fprintf(out, "%s%.17g", k ? (json ? "," : ", ") : "", ens->sample->points[a * d + k]);
    fputs(json ? "]" : ")", out);
}

/* {"command":"train","mode":mode, the activation, C_W, C_b, depth and width
   (the JSON object's opening members, no closing) */
static void
json_open(FILE * out, const neft_train_ensemble_t ens, const char * mode)
{
    const neft_net_struct * net = ens->sample->net;
    fprintf(out, "{\"command\":\"train\",\"mode\":\"%s\",\"activation\":", mode);
    neft_json_write_string(out, net->act->name);
    fputs(",\"cw\":", out);
    neft_json_write_fmpq(out, net->cw);
    fputs(",\"cb\":", out);
    neft_json_write_fmpq(out, net->cb);
    fprintf(out, ",\"depth\":%ld,\"width\":%ld", (long) net->depth,
            (long) neft_net_width_si(net, 1));
}

/* the members eta, lambda_b, lambda_w, the kink note, ntrain, frozen_ok and
   "inputs":[..] (the closing ']' left to the caller) */
static void
json_rates_inputs(FILE * out, const neft_train_ensemble_result_t res,
                  const neft_train_ensemble_t ens)
{
    slong a;
    fputs(",\"eta\":", out);
    neft_json_write_fmpq(out, ens->eta);
    fputs(",\"lambda_b\":", out);
    neft_json_write_fmpq(out, ens->lambda_b);
    fputs(",\"lambda_w\":", out);
    neft_json_write_fmpq(out, ens->lambda_w);
    json_kink_note(out, res, ens);
    json_rtol(out, res, ens);
    fprintf(out, ",\"ntrain\":%ld,\"frozen_ok\":%s,\"inputs\":[", (long) ens->ntrain,
            res->frozen_ok ? "true" : "false");
    for (a = 0; a < res->npoints; a++)
    {
        if (a)
            fputc(',', out);
        write_point(out, ens, a, 1);
    }
}

/* ],"order1":[..] of step s (the measured means beside them when measured) */
static void
json_order1_list(FILE * out, const neft_train_ensemble_result_t res,
                 const neft_train_ensemble_t ens, slong s, int measured)
{
    const slong nB = res->ntest;
    slong a;
    fputs("],\"order1\":[", out);
    for (a = 0; a < nB; a++)
    {
        if (a)
            fputc(',', out);
        json_order1(out, res, ens, s * nB + a, measured ? res->mean + s * nB + a : NULL,
                    res->frozen_mean + s * nB + a);
    }
}

/* ],"kink":[..] of step s */
static void
json_kink_list(FILE * out, const neft_train_ensemble_result_t res,
               const neft_train_ensemble_t ens, slong s, int measured)
{
    slong a;
    fputs("],\"kink\":[", out);
    for (a = 0; a < res->ntest; a++)
    {
        if (a)
            fputc(',', out);
        json_kink(out, res, ens, s, a, measured);
    }
}

void
neft_train_ensemble_write_text(FILE * out, const neft_train_ensemble_result_t res,
                               const neft_train_ensemble_t ens)
{
    const neft_net_struct * net = ens->sample->net;
    const slong nB = res->ntest, P = res->npoints, nA = ens->ntrain;
    slong s, a, b;
    char * c1 = fmpq_get_str(NULL, 10, net->cw), * c2 = fmpq_get_str(NULL, 10, net->cb);
    char * e1 = fmpq_get_str(NULL, 10, ens->eta), * l1 = fmpq_get_str(NULL, 10, ens->lambda_b);
    char * l2 = fmpq_get_str(NULL, 10, ens->lambda_w);
    fprintf(out, "# trained ensemble: %s, C_W = %s, C_b = %s, depth %ld, width %ld, "
            "%llu models (seed %llu), %ld training examples\n", net->act->name, c1, c2,
            (long) net->depth, (long) neft_net_width_si(net, 1),
            (unsigned long long) res->sample->models, (unsigned long long) ens->sample->seed,
            (long) nA);
    fprintf(out, "# gradient descent: eta = %s, lambda_b = %s, lambda_W = %s; errors: "
            "jackknife over %ld batches; frozen: the infinite-width (frozen-NTK) prediction%s\n",
            e1, l1, l2, (long) res->sample->batches,
            res->frozen_ok ? "" : " (could not be certified: -)");
    text_rtol(out, res, ens);
    flint_free(c1); flint_free(c2); flint_free(e1); flint_free(l1); flint_free(l2);
    for (s = 0; s < res->nsteps; s++)
    {
        fprintf(out, "step %lu\n", (unsigned long) ens->steps[s]);
        for (a = 0; a < nB; a++)
        {
            fputs(" x = ", out);
            write_point(out, ens, nA + a, 0);
            fputc('\n', out);
            text_item(out, "mean", res->mean + s * nB + a, res->frozen_mean + s * nB + a,
                      res->frozen_ok);
            if (res->order1 != NULL)
                text_order1(out, res, ens, s * nB + a, res->mean + s * nB + a,
                            res->frozen_mean + s * nB + a);
            if (res->kink_mean != NULL)
                text_kink(out, res, ens, s * nB + a, 0, res->mean + s * nB + a,
                          res->frozen_mean + s * nB + a);
            for (b = a; b < nB; b++)
            {
                char what[64];
                snprintf(what, sizeof what, "cov[%ld,%ld]", (long) a, (long) b);
                text_item(out, what, res->cov + (s * nB + a) * nB + b,
                          res->frozen_cov + (s * nB + a) * nB + b, res->frozen_ok);
                if (b == a && res->kink_mean != NULL)
                    text_kink(out, res, ens, s * nB + a, 1, res->cov + (s * nB + a) * nB + a,
                              res->frozen_cov + (s * nB + a) * nB + a);
            }
        }
    }
    fprintf(out, "empirical NTK at initialisation (inputs 0..%ld training, then the test "
            "inputs)\n", (long) nA - 1);
    for (a = 0; a < P; a++)
        for (b = a; b < P; b++)
        {
            char what[64];
            const neft_sample_estimate_struct * v = res->ntk_var + a * P + b;
            snprintf(what, sizeof what, "Theta[%ld,%ld]", (long) a, (long) b);
            text_item(out, what, res->ntk + a * P + b, arb_mat_entry(res->Theta, a, b),
                      res->frozen_ok);
            fprintf(out, "  %-12s %12.6g +- %-10.3g\n", "  variance", v->mean, v->stderr_);
        }
}

void
neft_train_ensemble_write_json(FILE * out, const neft_train_ensemble_result_t res,
                               const neft_train_ensemble_t ens)
{
    const slong nB = res->ntest, P = res->npoints;
    slong s, a, b, k;
    json_open(out, ens, "ensemble");
    fprintf(out, ",\"models\":%llu,\"seed\":%llu,\"batches\":%ld",
            (unsigned long long) res->sample->models, (unsigned long long) ens->sample->seed,
            (long) res->sample->batches);
    json_rates_inputs(out, res, ens);
    fputs("],\"trained\":[", out);
    for (s = 0; s < res->nsteps; s++)
    {
        fprintf(out, "%s{\"step\":%lu,\"mean\":[", s ? "," : "", (unsigned long) ens->steps[s]);
        for (a = 0; a < nB; a++)
        {
            if (a)
                fputc(',', out);
            json_item(out, res->mean + s * nB + a, res->frozen_mean + s * nB + a,
                      res->frozen_ok);
        }
        if (res->order1 != NULL)
            json_order1_list(out, res, ens, s, 1);
        if (res->kink_mean != NULL)
        {
            json_kink_list(out, res, ens, s, 1);
        }
        fputs("],\"cov\":[", out);
        for (a = 0; a < nB; a++)
        {
            fputs(a ? ",[" : "[", out);
            for (b = 0; b < nB; b++)
            {
                if (b)
                    fputc(',', out);
                json_item(out, res->cov + (s * nB + a) * nB + b,
                          res->frozen_cov + (s * nB + a) * nB + b, res->frozen_ok);
            }
            fputc(']', out);
        }
        fputs("]}", out);
    }
    fputs("],\"ntk\":[", out);
    for (a = 0; a < P; a++)
    {
        fputs(a ? ",[" : "[", out);
        for (b = 0; b < P; b++)
        {
            if (b)
                fputc(',', out);
            json_item(out, res->ntk + a * P + b, arb_mat_entry(res->Theta, a, b),
                      res->frozen_ok);
        }
        fputc(']', out);
    }
    fputs("],\"ntk_var\":[", out);
    for (a = 0; a < P; a++)
    {
        fputs(a ? ",[" : "[", out);
        for (b = 0; b < P; b++)
        {
            const neft_sample_estimate_struct * v = res->ntk_var + a * P + b;
            fprintf(out, "%s{\"value\":", b ? "," : "");
            json_num(out, v->mean);
            fputs(",\"stderr\":", out);
            json_num(out, v->stderr_);
            fputc('}', out);
        }
        fputc(']', out);
    }
    /* the prior's G^(2) on every pair of inputs (the sampler's moments of
       the same nets: `neft sample --npt 2` gives the same numbers) */
    fputs("],\"prior_g2\":[", out);
    for (k = 0; k < res->sample->length; k++)
    {
        const neft_sample_corr_struct * c = res->sample->corr + k;
        fprintf(out, "%s{\"i\":%ld,\"j\":%ld,\"value\":", k ? "," : "", (long) c->idx[0],
                (long) c->idx[1]);
        json_num(out, c->full.mean);
        fputs(",\"stderr\":", out);
        json_num(out, c->full.stderr_);
        fputc('}', out);
    }
    fputs("]}\n", out);
}

/* ---- the predictions alone (neft_train_ensemble_predict) ---------------- */

void
neft_train_ensemble_write_predict_text(FILE * out, const neft_train_ensemble_result_t res,
                                       const neft_train_ensemble_t ens)
{
    const neft_net_struct * net = ens->sample->net;
    const slong nB = res->ntest, nA = ens->ntrain;
    slong s, a;
    char * c1 = fmpq_get_str(NULL, 10, net->cw), * c2 = fmpq_get_str(NULL, 10, net->cb);
    char * e1 = fmpq_get_str(NULL, 10, ens->eta);
    fprintf(out, "# trained mean to O(1/n): %s, C_W = %s, C_b = %s, depth %ld, width %ld, "
            "%ld training examples, eta = %s\n", net->act->name, c1, c2, (long) net->depth,
            (long) neft_net_width_si(net, 1), (long) nA, e1);
    if (res->kink_mean != NULL)
        fprintf(out, "# frozen: the infinite-width mean and variance; O(n^-1/2): frozen + "
                "alpha/sqrt(n) at this width, alpha from %ld prior samples (+- : Monte Carlo "
                "standard error)\n# %s\n", (long) ens->kink_samples, NEFT_TRAIN_KINK_C_NOTE);
    else if (res->order1_deep)
        fprintf(out, "# frozen: the infinite-width mean (ball); O(1/n): frozen + c/n at this "
                "width, c by the gradient-descent map expanded in the output layer's tensors "
                "(doubles; no error estimate; docs/train-theory.md, \"Any depth\")\n");
    else if (res->order1_ball)
        fprintf(out, "# frozen: the infinite-width mean (ball); O(1/n): frozen + c/n at this "
                "width, c a ball (trapezoid rule with %ld nodes per coordinate and a "
                "rigorous bound of its error; +- : the ball's radius, frozen + c/n's "
                "+- is radius/n)\n", (long) res->order1_nodes);
    else
        fprintf(out, "# frozen: the infinite-width mean (ball); O(1/n): frozen + c/n at this "
                "width, c by a Gauss-Hermite rule with %ld nodes (+- : the difference to fewer "
                "nodes, an estimate)\n", (long) ens->nodes);
    text_rtol(out, res, ens);
    fprintf(out, "# eta lambda_max(Theta_AA) = %.6g (infinite-width NTK on the training "
            "inputs, doubles; gradient descent on the frozen NTK diverges at >= 2)\n",
            res->eta_lambda_max);
    if (net->depth > 2 && res->eta_lambda_max > 1.3)
        fprintf(out, "# warning: eta lambda_max > 1.3 at depth >= 3: frozen + c/n may hold only "
                "at widths in the hundreds (docs/train-theory.md, \"Any depth\")\n");
    flint_free(c1); flint_free(c2); flint_free(e1);
    for (s = 0; s < res->nsteps; s++)
    {
        fprintf(out, "step %lu\n", (unsigned long) ens->steps[s]);
        for (a = 0; a < nB; a++)
        {
            fputs(" x = ", out);
            write_point(out, ens, nA + a, 0);
            fputc('\n', out);
            fprintf(out, "  %-12s %12.6g\n", "frozen",
                    res->frozen_ok ? mid(res->frozen_mean + s * nB + a) : NAN);
            if (res->order1 != NULL)
                text_order1(out, res, ens, s * nB + a, NULL, res->frozen_mean + s * nB + a);
            if (res->kink_mean != NULL)
            {
                const slong ic = (s * nB + a) * nB + a;
                text_kink(out, res, ens, s * nB + a, 0, NULL, res->frozen_mean + s * nB + a);
                fprintf(out, "  %-12s %12.6g\n", "frozen var",
                        res->frozen_ok ? mid(res->frozen_cov + ic) : NAN);
                text_kink(out, res, ens, s * nB + a, 1, NULL, res->frozen_cov + ic);
            }
        }
    }
}

void
neft_train_ensemble_write_predict_json(FILE * out, const neft_train_ensemble_result_t res,
                                       const neft_train_ensemble_t ens)
{
    const slong nB = res->ntest;
    slong s, a;
    json_open(out, ens, "order1");
    if (res->order1_deep)
        fputs(",\"nodes\":null", out);     /* depth >= 3: no quadrature */
    else
        fprintf(out, ",\"nodes\":%ld", (long) (res->order1_nodes > 0 ? res->order1_nodes
                                                                     : ens->nodes));
    fputs(",\"eta_lambda_max\":", out);
    json_num(out, res->eta_lambda_max);
    json_rates_inputs(out, res, ens);
    fputs("],\"predicted\":[", out);
    for (s = 0; s < res->nsteps; s++)
    {
        fprintf(out, "%s{\"step\":%lu,\"frozen\":[", s ? "," : "",
                (unsigned long) ens->steps[s]);
        for (a = 0; a < nB; a++)
        {
            if (a)
                fputc(',', out);
            if (res->frozen_ok)
                neft_json_write_arb(out, res->frozen_mean + s * nB + a, 20);
            else
                fputs("null", out);
        }
        if (res->order1 != NULL)
            json_order1_list(out, res, ens, s, 0);
        if (res->kink_mean != NULL)
        {
            fputs("],\"frozen_var\":[", out);
            for (a = 0; a < nB; a++)
            {
                if (a)
                    fputc(',', out);
                if (res->frozen_ok)
                    neft_json_write_arb(out, res->frozen_cov + (s * nB + a) * nB + a, 20);
                else
                    fputs("null", out);
            }
            json_kink_list(out, res, ens, s, 0);
        }
        fputs("]}", out);
    }
    fputs("]}\n", out);
}
