/* The numbers of the report: a value, or n/a with the reason
   (docs/cmd-validate.md, "Numbers that are not numbers"). */

#include <math.h>
#include "validate-internal.h"

void
_neft_validate_num_ratio(neft_validate_num_t * x, const neft_eft_ratio_t q, int noise)
{
    x->ok = neft_eft_ratio_get(&x->v, &x->e, q, noise, x->why, sizeof x->why);
}

double
_neft_validate_val(const neft_validate_num_t * x)
{
    return x->ok ? x->v : NAN;
}

void
_neft_validate_num_set(neft_validate_num_t * x, double v, double e)
{
    x->v = v;
    x->e = e;
    x->ok = isfinite(v);
    if (!x->ok)
        snprintf(x->why, sizeof x->why, "not available");
}

void
_neft_validate_num_na(neft_validate_num_t * x, const char * why)
{
    x->v = x->e = NAN;
    x->ok = 0;
    snprintf(x->why, sizeof x->why, "%s", why);
}

double
_neft_validate_mid(const arb_t x)
{
    return arf_get_d(arb_midref(x), ARF_RND_NEAR);
}

double
_neft_validate_ub(const arb_t x)
{
    arf_t u;
    double v;
    arf_init(u);
    arb_get_abs_ubound_arf(u, x, 53);
    v = arf_get_d(u, ARF_RND_UP);
    arf_clear(u);
    return v;
}

void
_neft_validate_tuples(neft_validate_tuples_t * u, const neft_eft_fit_t f, arb_srcptr s)
{
    slong t, T = f->ndata;
    double sum = 0, sq = 0, lo = INFINITY, hi = -INFINITY, mp = 0;
    int ok = T >= 1;
    for (t = 0; t < T && ok; t++)
    {
        double v = arf_get_d(arb_midref(f->single + t), ARF_RND_NEAR);
        ok = arb_is_finite(f->single + t) && isfinite(v);
        sum += v;
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    if (!ok)
    {
        const char * why = "the coupling's integral may be 0 at some tuple";
        _neft_validate_num_na(&u->mean, why);
        _neft_validate_num_na(&u->sd, why);
        _neft_validate_num_na(&u->min, why);
        _neft_validate_num_na(&u->max, why);
    }
    else
    {
        for (t = 0; t < T; t++)
        {
            double v = arf_get_d(arb_midref(f->single + t), ARF_RND_NEAR) - sum / T;
            sq += v * v;
        }
        _neft_validate_num_set(&u->mean, sum / T, NAN);
        if (T >= 2)
            _neft_validate_num_set(&u->sd, sqrt(sq / (T - 1)), NAN);
        else
            _neft_validate_num_na(&u->sd, "one tuple");
        _neft_validate_num_set(&u->min, lo, NAN);
        _neft_validate_num_set(&u->max, hi, NAN);
    }
    for (t = 0; t < T; t++)
    {
        double se = arf_get_d(arb_midref(s + t), ARF_RND_NEAR);
        double r = fabs(arf_get_d(arb_midref(f->resid + t), ARF_RND_NEAR));
        if (!(se > 0))
            break;
        mp = r / se > mp ? r / se : mp;
    }
    if (t < T)
        _neft_validate_num_na(&u->max_pull, "a standard error is 0");
    else
        _neft_validate_num_set(&u->max_pull, mp, NAN);
}
