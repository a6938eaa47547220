/* The spec of the experiment: the paper's defaults (the one place they are
   written) and what a run refuses before computing anything. */

#include <math.h>
#include <string.h>
#include "neft/points.h"
#include "validate-internal.h"

void
neft_validate_spec_init(neft_validate_spec_t s, int quick)
{
    slong i;
    static const slong widths[] = {2, 3, 5, 10, 20, 50, 100, 500};
    static const double cuts[] = {1, 2, 3, 5, 10};
    memset(s, 0, sizeof(neft_validate_spec_struct));
    neft_net_init(s->net);      /* relu, d_in = 1, sigma_w = 1, sigma_b = 0, depth 2 */
    s->fit_width = 20;
    s->seed = 1;
    s->threads = 0;
    s->prec = 64;
    s->progress = NULL;
    s->progress_arg = NULL;
    s->state_dir = NULL;
    if (quick)
    {
        s->npoints = 3;
        s->points[0] = 0.2; s->points[1] = 0.7; s->points[2] = 1.2;
        s->nwidths = 3;
        s->widths[0] = 5; s->widths[1] = 20; s->widths[2] = 100;
        s->models = 20000;
        s->ncutoffs = 3;
        s->cutoffs[0] = 1; s->cutoffs[1] = 2; s->cutoffs[2] = 5;
        return;
    }
    s->npoints = 6;
    for (i = 0; i < 6; i++)
        s->points[i] = 0.2 * (i + 1);
    s->nwidths = sizeof widths / sizeof widths[0];
    for (i = 0; i < s->nwidths; i++)
        s->widths[i] = widths[i];
    s->models = 1000000;
    s->ncutoffs = sizeof cuts / sizeof cuts[0];
    for (i = 0; i < s->ncutoffs; i++)
        s->cutoffs[i] = cuts[i];
}

void
neft_validate_spec_clear(neft_validate_spec_t s)
{
    neft_net_clear(s->net);
}

int
neft_validate_spec_set_act(neft_validate_spec_t s, const char * name, const char * param,
                           char * err, size_t errlen)
{
    fmpq_t sw, sb;
    int st = neft_net_set_act_name(s->net, name, param, err, errlen);
    if (st != NEFT_SUCCESS)
        return st;
    /* the paper's biases: 0 for ReLU, 1 otherwise */
    fmpq_init(sw);
    fmpq_init(sb);
    fmpq_set(sw, s->net->sw);
    if (strcmp(s->net->act->name, "relu") != 0)
        fmpq_one(sb);
    neft_net_set_sigma(s->net, sw, sb);
    fmpq_clear(sw);
    fmpq_clear(sb);
    return NEFT_SUCCESS;
}

/* text as an exact rational whose double is finite and positive (or, with
   zero_ok, zero) into q; 0, or -1 with one line in err */
static int
_sigma(fmpq_t q, const char * text, const char * what, int zero_ok, char * err, size_t errlen)
{
    double v;
    if (neft_points_parse_rational(q, text) != 0 || !isfinite(v = neft_points_fmpq_get_d(q)))
    {
        snprintf(err, errlen, "--%s expects a finite number, got '%s'", what, text);
        return -1;
    }
    if (zero_ok ? fmpq_sgn(q) < 0 : !(v > 0))
    {
        snprintf(err, errlen, "--%s expects a %s number, got '%s'", what,
                 zero_ok ? "non-negative" : "positive", text);
        return -1;
    }
    return 0;
}

int
neft_validate_spec_set_sigma(neft_validate_spec_t s, const char * sw, const char * sb,
                             char * err, size_t errlen)
{
    fmpq_t w, b;
    int st = NEFT_BAD_INPUT;
    fmpq_init(w);
    fmpq_init(b);
    fmpq_set(w, s->net->sw);
    fmpq_set(b, s->net->sb);
    if ((sw == NULL || _sigma(w, sw, "sw", 0, err, errlen) == 0)
        && (sb == NULL || _sigma(b, sb, "sb", 1, err, errlen) == 0))
    {
        neft_net_set_sigma(s->net, w, b);
        st = NEFT_SUCCESS;
    }
    fmpq_clear(w);
    fmpq_clear(b);
    return st;
}

void
neft_validate_spec_default_fit_width(neft_validate_spec_t s)
{
    slong w, found = 0;
    for (w = 0; w < s->nwidths; w++)
        found |= s->widths[w] == 20;
    s->fit_width = found ? 20 : s->widths[s->nwidths / 2];
}

int
neft_validate_spec_check(const neft_validate_spec_t spec, char * err, size_t errlen)
{
    slong w, fw = -1, d = spec->net->d_in;
    const char * why;

    if (!neft_net_has(spec->net, NEFT_ACT_CAP_GP_KERNEL, &why))
    {
        snprintf(err, errlen, "validate needs an activation with a GP kernel in closed form: %s",
                 why);
        return NEFT_UNSUPPORTED;
    }
    if (neft_net_check(spec->net, err, errlen) != NEFT_SUCCESS)
        return NEFT_BAD_INPUT;
    if (spec->npoints < 1 || d < 1 || d > NEFT_VALIDATE_MAX_D_IN || spec->nwidths < 1
        || spec->ncutoffs < 1 || spec->npoints > NEFT_VALIDATE_MAX_LIST
        || spec->nwidths > NEFT_VALIDATE_MAX_LIST || spec->ncutoffs > NEFT_VALIDATE_MAX_LIST)
    {
        snprintf(err, errlen, "validate needs inputs, widths and cutoffs (d_in 1 to 4)");
        return NEFT_BAD_INPUT;
    }
    for (w = 0; w < spec->nwidths; w++)
        if (spec->widths[w] == spec->fit_width)
            fw = w;
    if (fw < 0)
    {
        snprintf(err, errlen, "the fit width %ld is not among the widths", (long) spec->fit_width);
        return NEFT_BAD_INPUT;
    }
    /* every width's sampling refused or accepted before anything is written
       or computed (bad input: one line, no progress lines, no directory) */
    for (w = 0; w < spec->nwidths; w++)
        if (_neft_validate_sample_check(spec, w, err, errlen) != NEFT_SUCCESS)
            return NEFT_BAD_INPUT;
    return NEFT_SUCCESS;
}
