/* The activations' derivatives in doubles, for training sampled nets
   (neft_train_dact): d = sigma'(z) given z in d and h = sigma(z).  At a
   kink the branch z <= 0 is taken at z = 0
   (relu'(0) = 0, as torch's autograd). */

#include <math.h>
#include <string.h>
#include "neft/train.h"

static void
d_relu(double * d, const double * h, slong n, const double * par)
{
    slong i;
    (void) h; (void) par;
    for (i = 0; i < n; i++)
        d[i] = d[i] > 0 ? 1.0 : 0.0;
}

static void
d_leaky(double * d, const double * h, slong n, const double * par)
{
    slong i;
    const double s = par[0];
    (void) h;
    for (i = 0; i < n; i++)
        d[i] = d[i] > 0 ? 1.0 : s;
}

static void
d_linear(double * d, const double * h, slong n, const double * par)
{
    slong i;
    (void) h; (void) par;
    for (i = 0; i < n; i++)
        d[i] = 1.0;
}

static void
d_tanh(double * d, const double * h, slong n, const double * par)
{
    slong i;
    (void) par;
    for (i = 0; i < n; i++)
        d[i] = 1.0 - h[i] * h[i];
}

static void
d_erf(double * d, const double * h, slong n, const double * par)
{
    slong i;
    (void) h; (void) par;
    for (i = 0; i < n; i++)
        d[i] = 1.1283791670955125739 * exp(-d[i] * d[i]);   /* 2/sqrt(pi) */
}

static void
d_gelu(double * d, const double * h, slong n, const double * par)
{
    slong i;
    (void) h; (void) par;
    for (i = 0; i < n; i++)
    {
        double z = d[i];
        d[i] = 0.5 * erfc(-z * 0.70710678118654752440)
               + z * 0.39894228040143267794 * exp(-0.5 * z * z);
    }
}

static void
d_silu(double * d, const double * h, slong n, const double * par)
{
    slong i;
    (void) h; (void) par;
    for (i = 0; i < n; i++)
    {
        double s = 1.0 / (1.0 + exp(-d[i]));
        d[i] = s * (1.0 + d[i] * (1.0 - s));
    }
}

static void
d_sigmoid(double * d, const double * h, slong n, const double * par)
{
    slong i;
    (void) par;
    for (i = 0; i < n; i++)
        d[i] = h[i] * (1.0 - h[i]);
}

static void
d_sin(double * d, const double * h, slong n, const double * par)
{
    slong i;
    (void) h; (void) par;
    for (i = 0; i < n; i++)
        d[i] = cos(d[i]);
}

static void
d_softplus(double * d, const double * h, slong n, const double * par)
{
    slong i;
    (void) h; (void) par;
    for (i = 0; i < n; i++)
        d[i] = 1.0 / (1.0 + exp(-d[i]));
}

neft_train_dact_func
neft_train_dact(neft_act_srcptr act)
{
    static const struct { const char * name; neft_train_dact_func f; } table[] = {
        {"relu", d_relu}, {"leaky-relu", d_leaky}, {"linear", d_linear}, {"tanh", d_tanh},
        {"erf", d_erf}, {"gelu", d_gelu}, {"silu", d_silu}, {"sigmoid", d_sigmoid},
        {"sin", d_sin}, {"softplus", d_softplus}};
    size_t i;
    if (act == NULL)
        return NULL;
    for (i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(act->name, table[i].name))
            return table[i].f;
    return NULL;
}
