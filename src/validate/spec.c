/* The spec of the experiment: the paper's defaults (the one place they are
   written) and what a run refuses before computing anything. */

#include <math.h>
#include <string.h>
#include "neft/points.h"
#include "validate-internal.h"

/* The paper's ladder and cutoffs, common to every family (HMS arXiv 2008.08601
   sec. 5 and the nn-qft code's experiment settings). */
static const slong _widths[] = {2, 3, 4, 5, 10, 20, 50, 100, 500, 1000};

/* The cutoffs log-spaced from 7 to 1e5 (3 significant digits), per d_in:
   the paper's 21 for d_in = 1, 2; 6 for d_in = 3, where each cutoff's vertex
   integrals cost seconds per tuple (patches, measured: bench/validate_dims.py,
   docs/cmd-validate.md) */
static slong
_ncuts(slong d)
{
    return d >= 3 ? 6 : 21;
}

#define _NPTS_D 4           /* inputs of the d_in = 2, 3 defaults */

/* The three families of the paper and every other row: inputs (d_in = 1, 2,
   3), sigma_b (sigma_w = 1), fit width, and --quick's inputs and cutoffs.
   The one place the families' defaults are written.  HMS run d_in = 2 on
   the corners {+-1}^2 ({0.5, 1}^2 for ReLU) and d_in = 3 on four points
   they do not list: the tetrahedron {(1,1,1), (1,-1,-1), (-1,1,-1),
   (-1,-1,1)} (ReLU: (0.5,0.5,0.5) and its three neighbours with one
   coordinate 1) is neft's choice (docs/cmd-validate.md); GaussNet's are
   0.01 times Erf's in every d_in.  --quick in d_in = 2, 3: the first three
   of the four. */
typedef struct
{
    const char * act;           /* a row name; NULL: every other row */
    double x[6], xq[3];         /* d_in = 1: inputs, --quick's inputs */
    double x2[_NPTS_D * 2];     /* d_in = 2: four points */
    double x3[_NPTS_D * 3];     /* d_in = 3: four points */
    int sb;                     /* sigma_b */
    slong fit;                  /* the fit width (also --quick's) */
    double qcut[5];             /* --quick's cutoffs (0-terminated) */
}
_family_t;

#define _RELU2 {0.5, 0.5, 0.5, 1, 1, 0.5, 1, 1}
#define _RELU3 {0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1, 0.5, 0.5, 0.5, 1}

static const _family_t _families[] = {
    /* ReLU: positive inputs, no bias (HMS fig. 2; the exactly local vertex of docs/eft.md) */
    {"relu", {0.2, 0.4, 0.6, 0.8, 1.0, 1.2}, {0.2, 0.7, 1.2}, _RELU2, _RELU3, 0, 20,
     {1, 2, 5, 0, 0}},
    /* Erf: inputs +-0.2, +-0.6, +-1, sigma_b = 1, fit width 5 (HMS sec. 5.2) */
    {"erf", {-1, -0.6, -0.2, 0.2, 0.6, 1}, {-0.6, 0.2, 1}, {-1, -1, -1, 1, 1, -1, 1, 1},
     {1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1}, 1, 5, {7, 100, 1e4, 1e5, 0}},
    /* GaussNet: 0.01 times Erf's inputs, sigma_b = 1, fit width 100 (HMS sec. 5.3) */
    {"gauss", {-0.01, -0.006, -0.002, 0.002, 0.006, 0.01}, {-0.006, 0.002, 0.01},
     {-0.01, -0.01, -0.01, 0.01, 0.01, -0.01, 0.01, 0.01},
     {0.01, 0.01, 0.01, 0.01, -0.01, -0.01, -0.01, 0.01, -0.01, -0.01, -0.01, 0.01}, 1, 100,
     {7, 100, 1e4, 1e5, 0}},
    /* every other row with a GP kernel: ReLU's inputs with sigma_b = 1 */
    {NULL, {0.2, 0.4, 0.6, 0.8, 1.0, 1.2}, {0.2, 0.7, 1.2}, _RELU2, _RELU3, 1, 20,
     {1, 2, 5, 0, 0}}};

static const _family_t *
_family(const char * act)
{
    slong i, n = sizeof _families / sizeof _families[0];
    for (i = 0; i + 1 < n; i++)
        if (act != NULL && strcmp(_families[i].act, act) == 0)
            break;
    return _families + i;
}

/* The family's inputs in the net's d_in (none beyond 3: the caller gives
   them), fit width and cutoffs (its net is set by the caller). */
static void
_apply(neft_validate_spec_t s, const _family_t * f, int quick)
{
    slong i, d = s->net->d_in, nc = _ncuts(d);
    const double * x = d == 1 ? (quick ? f->xq : f->x) : d == 2 ? f->x2 : d == 3 ? f->x3 : NULL;
    s->fit_width = f->fit;
    s->npoints = x == NULL ? 0 : d == 1 ? (quick ? 3 : 6) : (quick ? 3 : _NPTS_D);
    if (x != NULL)
        memcpy(s->points, x, sizeof(double) * s->npoints * d);
    if (quick)
    {
        for (s->ncutoffs = 0; s->ncutoffs < 5 && f->qcut[s->ncutoffs] > 0; s->ncutoffs++)
            s->cutoffs[s->ncutoffs] = f->qcut[s->ncutoffs];
        return;
    }
    s->ncutoffs = nc;
    for (i = 0; i < nc; i++)
    {
        /* 7 (1e5 / 7)^(i / (nc - 1)) to three significant digits: 7, 11.3, .., 62000, 1e5 */
        double c = 7 * pow(1e5 / 7, (double) i / (double) (nc - 1));
        double u = pow(10, floor(log10(c)) - 2);
        s->cutoffs[i] = round(c / u) * u;
    }
}

void
neft_validate_spec_init(neft_validate_spec_t s, int quick)
{
    slong i;
    memset(s, 0, sizeof(neft_validate_spec_struct));
    neft_net_init(s->net);      /* relu, d_in = 1, sigma_w = 1, sigma_b = 0, depth 2 */
    s->seed = 1;
    s->threads = 0;
    s->prec = 64;
    s->progress = NULL;
    s->progress_arg = NULL;
    s->state_dir = NULL;
    if (quick)
    {
        s->nwidths = 3;
        s->widths[0] = 5; s->widths[1] = 20; s->widths[2] = 100;
        s->models = 20000;
    }
    else
    {
        s->nwidths = sizeof _widths / sizeof _widths[0];
        for (i = 0; i < s->nwidths; i++)
            s->widths[i] = _widths[i];
        s->models = 1000000;
    }
    _apply(s, _family("relu"), quick);
}

int
neft_validate_spec_set_family(neft_validate_spec_t s, const char * name, const char * param,
                              int quick, char * err, size_t errlen)
{
    int st = neft_validate_spec_set_act(s, name, param, err, errlen);
    if (st == NEFT_SUCCESS)
        _apply(s, _family(s->net->act->name), quick);
    return st;
}

int
neft_validate_spec_set_d_in(neft_validate_spec_t s, slong d_in, int quick, char * err,
                            size_t errlen)
{
    if (d_in < 1 || d_in > NEFT_VALIDATE_MAX_D_IN)
    {
        snprintf(err, errlen, "d_in must be 1 to %d, got %ld", NEFT_VALIDATE_MAX_D_IN,
                 (long) d_in);
        return NEFT_BAD_INPUT;
    }
    s->net->d_in = d_in;
    _apply(s, _family(s->net->act != NULL ? s->net->act->name : NULL), quick);
    return NEFT_SUCCESS;
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
    /* the family's bias (0 for ReLU, 1 otherwise) */
    fmpq_init(sw);
    fmpq_init(sb);
    fmpq_set(sw, s->net->sw);
    fmpq_set_si(sb, _family(s->net->act->name)->sb, 1);
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
    slong w, mine = 0, twenty = 0;
    for (w = 0; w < s->nwidths; w++)
    {
        mine |= s->widths[w] == s->fit_width;
        twenty |= s->widths[w] == 20;
    }
    if (!mine)
        s->fit_width = twenty ? 20 : s->widths[s->nwidths / 2];
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
