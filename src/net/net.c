/* A family of random networks as one value (neft/net.h). */

#include <math.h>
#include <stdio.h>
#include "neft/net.h"
#include "neft/points.h"

void
neft_net_init(neft_net_t net)
{
    net->act = neft_act_lookup("relu");
    fmpq_init(net->param);
    net->d_in = 1;
    net->depth = 2;
    net->widths = _fmpz_vec_init(1);
    fmpq_init(net->cw);
    fmpq_init(net->cb);
    fmpq_init(net->sw);
    fmpq_init(net->sb);
    fmpq_one(net->cw);
    fmpq_one(net->sw);
    net->sw_given = 1;
    net->sb_given = 1;
}

/* depth with its widths "not given"; at least one entry (depth 1, onen's
   recursions, has no hidden width); no range check */
static void
_resize(neft_net_t net, slong depth)
{
    _fmpz_vec_clear(net->widths, FLINT_MAX(net->depth - 1, 1));
    net->depth = depth;
    net->widths = _fmpz_vec_init(FLINT_MAX(depth - 1, 1));
}

void
neft_net_clear(neft_net_t net)
{
    fmpq_clear(net->param);
    _fmpz_vec_clear(net->widths, FLINT_MAX(net->depth - 1, 1));
    fmpq_clear(net->cw);
    fmpq_clear(net->cb);
    fmpq_clear(net->sw);
    fmpq_clear(net->sb);
}

void
neft_net_set(neft_net_t net, const neft_net_t src)
{
    if (net == src)
        return;
    net->act = src->act;
    fmpq_set(net->param, src->param);
    net->d_in = src->d_in;
    _resize(net, src->depth);
    _fmpz_vec_set(net->widths, src->widths, src->depth - 1);
    fmpq_set(net->cw, src->cw);
    fmpq_set(net->cb, src->cb);
    fmpq_set(net->sw, src->sw);
    fmpq_set(net->sb, src->sb);
    net->sw_given = src->sw_given;
    net->sb_given = src->sb_given;
}

int
neft_net_set_act(neft_net_t net, neft_act_srcptr act, const fmpq_t param,
                 char * err, size_t errsize)
{
    if (act == NULL)
    {
        snprintf(err, errsize, "no activation");
        return NEFT_BAD_INPUT;
    }
    if (param != NULL && act->param_default == NULL)
    {
        snprintf(err, errsize, "%s has no parameter to set", act->name);
        return NEFT_BAD_INPUT;
    }
    net->act = act;
    if (act->param_default == NULL)
        fmpq_zero(net->param);
    else if (param != NULL)
        fmpq_set(net->param, param);
    else if (neft_points_parse_rational(net->param, act->param_default))
    {
        snprintf(err, errsize, "%s: bad default parameter '%s'", act->name,
                 act->param_default);   /* a defect of the table: t-net checks every row */
        return NEFT_FAILURE;
    }
    return NEFT_SUCCESS;
}

int
neft_net_set_act_name(neft_net_t net, const char * name, const char * param_text,
                      char * err, size_t errsize)
{
    neft_act_srcptr act = neft_act_lookup(name);
    fmpq_t q;
    int status;
    if (act == NULL)
    {
        snprintf(err, errsize, "unknown activation '%s' (expected one of %s)",
                 name == NULL ? "" : name, neft_act_names());
        return NEFT_BAD_INPUT;
    }
    if (param_text == NULL)
        return neft_net_set_act(net, act, NULL, err, errsize);
    if (act->param_default == NULL)
    {
        snprintf(err, errsize, "%s has no parameter to set (got '%s')", act->name, param_text);
        return NEFT_BAD_INPUT;
    }
    fmpq_init(q);
    if (neft_points_parse_rational(q, param_text))
    {
        snprintf(err, errsize, "the %s of %s expects a rational number, got '%s'",
                 act->param_name, act->name, param_text);
        status = NEFT_BAD_INPUT;
    }
    else
        status = neft_net_set_act(net, act, q, err, errsize);
    fmpq_clear(q);
    return status;
}

int
neft_net_set_depth(neft_net_t net, slong depth)
{
    if (depth < 2 || depth > NEFT_NET_MAX_DEPTH)
        return -1;
    _resize(net, depth);
    return 0;
}

void
neft_net_set_width(neft_net_t net, slong l, const fmpz_t n)
{
    if (l >= 1 && l < net->depth)
        fmpz_set(net->widths + l - 1, n);
}

void
neft_net_set_width_si(neft_net_t net, slong l, slong n)
{
    if (l >= 1 && l < net->depth)
        fmpz_set_si(net->widths + l - 1, n);
}

void
neft_net_set_widths_all_si(neft_net_t net, slong n)
{
    slong l;
    for (l = 1; l < net->depth; l++)
        neft_net_set_width_si(net, l, n);
}

void
neft_net_set_sigma(neft_net_t net, const fmpq_t sw, const fmpq_t sb)
{
    fmpq_set(net->sw, sw);
    fmpq_set(net->sb, sb);
    fmpq_mul(net->cw, sw, sw);
    fmpq_mul(net->cb, sb, sb);
    net->sw_given = net->sb_given = 1;
}

void
neft_net_set_cw(neft_net_t net, const fmpq_t cw)
{
    fmpq_set(net->cw, cw);
    fmpq_zero(net->sw);
    net->sw_given = 0;
}

void
neft_net_set_cb(neft_net_t net, const fmpq_t cb)
{
    fmpq_set(net->cb, cb);
    fmpq_zero(net->sb);
    net->sb_given = 0;
}

int
neft_net_check(const neft_net_t net, char * err, size_t errsize)
{
    slong l;
    if (net->act == NULL)
        snprintf(err, errsize, "no activation");
    else if (net->d_in < 1)
        snprintf(err, errsize, "d_in must be at least 1, got %ld", (long) net->d_in);
    else if (net->depth < 2 || net->depth > NEFT_NET_MAX_DEPTH)
        snprintf(err, errsize, "the depth must be in 2..%d, got %ld", NEFT_NET_MAX_DEPTH,
                 (long) net->depth);
    else if (fmpq_sgn(net->cw) <= 0)
        snprintf(err, errsize, "C_W = sigma_w^2 must be positive");
    else if (fmpq_sgn(net->cb) < 0)
        snprintf(err, errsize, "C_b = sigma_b^2 must not be negative");
    else
    {
        for (l = 0; l < net->depth - 1; l++)
            if (fmpz_sgn(net->widths + l) < 0)
            {
                snprintf(err, errsize, "the width of hidden layer %ld is negative", (long) l + 1);
                return NEFT_BAD_INPUT;
            }
        return NEFT_SUCCESS;
    }
    return NEFT_BAD_INPUT;
}

static void
_sigma_arb(arb_t res, const fmpq_t s, int given, const fmpq_t c, slong prec)
{
    if (given)
        arb_set_fmpq(res, s, prec);
    else
    {
        arb_set_fmpq(res, c, prec + 8);
        arb_sqrtpos(res, res, prec);
    }
}

void
neft_net_cw_arb(arb_t res, const neft_net_t net, slong prec)
{
    arb_set_fmpq(res, net->cw, prec);
}

void
neft_net_cb_arb(arb_t res, const neft_net_t net, slong prec)
{
    arb_set_fmpq(res, net->cb, prec);
}

void
neft_net_sw_arb(arb_t res, const neft_net_t net, slong prec)
{
    _sigma_arb(res, net->sw, net->sw_given, net->cw, prec);
}

void
neft_net_sb_arb(arb_t res, const neft_net_t net, slong prec)
{
    _sigma_arb(res, net->sb, net->sb_given, net->cb, prec);
}

void
neft_net_param_arb(arb_t res, const neft_net_t net, slong prec)
{
    arb_set_fmpq(res, net->param, prec);
}

/* The double views of one (sigma, C) pair (neft/net.h): sigma's double is
   the nearest to the given rational, else sqrt of C's; C's is sigma's double
   squared when sigma was given, else the nearest to C. */
static double
_sigma_d(const fmpq_t sigma, int given, const fmpq_t c)
{
    return given ? neft_points_fmpq_get_d(sigma) : sqrt(neft_points_fmpq_get_d(c));
}

static double
_c_d(const fmpq_t sigma, int given, const fmpq_t c)
{
    double s = neft_points_fmpq_get_d(given ? sigma : c);
    return given ? s * s : s;
}

double
neft_net_sw_d(const neft_net_t net)
{
    return _sigma_d(net->sw, net->sw_given, net->cw);
}

double
neft_net_sb_d(const neft_net_t net)
{
    return _sigma_d(net->sb, net->sb_given, net->cb);
}

double
neft_net_cw_d(const neft_net_t net)
{
    return _c_d(net->sw, net->sw_given, net->cw);
}

double
neft_net_cb_d(const neft_net_t net)
{
    return _c_d(net->sb, net->sb_given, net->cb);
}

double
neft_net_param_d(const neft_net_t net)
{
    return neft_points_fmpq_get_d(net->param);
}

slong
neft_net_width_si(const neft_net_t net, slong l)
{
    if (l < 1 || l >= net->depth || !fmpz_fits_si(net->widths + l - 1))
        return 0;
    return fmpz_get_si(net->widths + l - 1);
}

int
neft_net_has(const neft_net_t net, int cap, const char ** reason)
{
    return neft_act_has(net->act, cap, reason);
}

/* q = the exact rational of the double x; 0 and -1 when x is not finite. */
static int
_fmpq_set_double(fmpq_t q, double x)
{
    arf_t a;
    if (!isfinite(x))
    {
        fmpq_zero(q);
        return -1;
    }
    arf_init(a);
    arf_set_d(a, x);
    arf_get_fmpq(q, a);
    arf_clear(a);
    return 0;
}

int
neft_net_set_sigma_d(neft_net_t net, double sw, double sb)
{
    fmpq_t a, b;
    int r;
    fmpq_init(a);
    fmpq_init(b);
    r = _fmpq_set_double(a, sw) | _fmpq_set_double(b, sb);
    neft_net_set_sigma(net, a, b);
    fmpq_clear(a);
    fmpq_clear(b);
    return r ? -1 : 0;
}

int
neft_net_set_hyper_text(neft_net_t net, const char * sw, const char * sb,
                        const char * cw, const char * cb, char * err, size_t errsize)
{
    static const char * const what[4] = {"sigma_w", "sigma_b", "C_W", "C_b"};
    const char * text[4];
    fmpq_t q[4];
    neft_points_t P;
    int i, status = NEFT_SUCCESS;
    text[0] = sw; text[1] = sb; text[2] = cw; text[3] = cb;
    neft_points_init(P);
    for (i = 0; i < 4; i++)
    {
        fmpq_init(q[i]);
        if (text[i] == NULL)
            fmpq_set_si(q[i], i == 0, 1);
        else if (status == NEFT_SUCCESS)
        {
            if (neft_points_parse(P, text[i], 1, NEFT_POINTS_DECIMAL, 1, what[i], err,
                                  errsize) != 0)
                status = NEFT_BAD_INPUT;
            else if (fmpq_sgn(P->q) < 0)
            {
                snprintf(err, errsize, "%s must be >= 0, got %s", what[i], text[i]);
                status = NEFT_BAD_INPUT;
            }
            else
                fmpq_set(q[i], P->q);
        }
    }
    if (status == NEFT_SUCCESS)
    {
        neft_net_set_sigma(net, q[0], q[1]);
        if (cw != NULL)
            neft_net_set_cw(net, q[2]);
        if (cb != NULL)
            neft_net_set_cb(net, q[3]);
    }
    for (i = 0; i < 4; i++)
        fmpq_clear(q[i]);
    neft_points_clear(P);
    return status;
}
int
neft_net_set_depth_recursion(neft_net_t net, slong depth)
{
    if (depth < 1 || depth > NEFT_NET_MAX_RECURSION_DEPTH)
        return -1;
    _resize(net, depth);
    return 0;
}
