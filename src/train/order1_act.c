/* The activations of neft_train_order1 (docs/train-theory.md): sigma and its
   first three derivatives in doubles, and, for the ball (order1_ball.c),
   bounds of |sigma^(k)| on the real line and on a strip |Im z| <= theta.
   One table: the decision which activation has a ball is made here. */

#include <math.h>
#include <string.h>
#include "order1.h"

#define SQRTPI_INV2 1.1283791670955125739   /* 2 / sqrt(pi) */
#define UP (1 + 1e-14)                      /* covers libm's few-ulp errors */

static void
a_linear(double * f, double z, double par)
{
    (void) par;
    f[0] = z; f[1] = 1; f[2] = 0; f[3] = 0;
}

static void
a_tanh(double * f, double z, double par)
{
    double t = tanh(z), s = 1 - t * t;
    (void) par;
    f[0] = t; f[1] = s; f[2] = -2 * t * s; f[3] = -2 * s * s + 4 * t * t * s;
}

static void
a_erf(double * f, double z, double par)
{
    double g = SQRTPI_INV2 * exp(-z * z);
    (void) par;
    f[0] = erf(z); f[1] = g; f[2] = -2 * z * g; f[3] = (4 * z * z - 2) * g;
}

static void
a_sin(double * f, double z, double par)
{
    double s = sin(z), c = cos(z);
    (void) par;
    f[0] = s; f[1] = c; f[2] = -s; f[3] = -c;
}

static void
a_sigmoid(double * f, double z, double par)
{
    double s = 1 / (1 + exp(-z)), q = s * (1 - s);
    (void) par;
    f[0] = s; f[1] = q; f[2] = q * (1 - 2 * s); f[3] = q * (1 - 6 * q);
}

/* tanh on |Im z| <= theta < pi/2: |tanh z| <= tau = max(1, tan theta)
   (|tanh(x + iy)|^2 = (sinh^2 x + sin^2 y) / (sinh^2 x + cos^2 y)), and
   tanh' = 1 - tanh^2, tanh'' = -2 tanh tanh', tanh''' = -2 tanh'^2 + 4 tanh^2 tanh' */
static void
s_tanh(double * s, double theta)
{
    double tau = FLINT_MAX(1.0, tan(theta)) * UP, s1 = (1 + tau * tau) * UP;
    s[0] = tau;
    s[1] = s1;
    s[2] = 2 * tau * s1 * UP;
    s[3] = (2 * s1 * s1 + 4 * tau * tau * s1) * UP;
}

/* sigmoid(z) = (1 + tanh(z/2)) / 2: sigma^(k)(z) = 2^-(k+1) tanh^(k)(z/2), k >= 1,
   on |Im z| <= theta < pi */
static void
s_sigmoid(double * s, double theta)
{
    s_tanh(s, theta / 2);
    s[0] = (1 + s[0]) / 2 * UP;
    s[1] /= 4;
    s[2] /= 8;
    s[3] /= 16;
}

/* erf on |Im z| <= theta, z = x + iy: erf'(z) = (2/sqrt pi) e^{-z^2}, |e^{-z^2}| =
   e^{y^2 - x^2}; |erf(z)| <= |erf(x)| + int_0^y |erf'| <= 1 + (2/sqrt pi) theta e^{theta^2};
   |erf''| = 2|z||erf'| with |x| e^{-x^2} <= (2e)^{-1/2}; |erf'''| = |4z^2 - 2||erf'| with
   x^2 e^{-x^2} <= 1/e */
static void
s_erf(double * s, double theta)
{
    const double g = SQRTPI_INV2 * exp(theta * theta) * UP;
    s[0] = (1 + g * theta) * UP;
    s[1] = g;
    s[2] = 2 * g * (0.42888194248035 + theta) * UP;
    s[3] = g * (4 * 0.36787944117145 + 4 * theta * theta + 2) * UP;
}

/* sin on |Im z| <= theta: |sin|, |cos| <= cosh theta */
static void
s_sin(double * s, double theta)
{
    s[0] = s[1] = s[2] = s[3] = cosh(theta) * UP;
}

static const _neft_o1_act acts[] = {
    /* linear: polynomial integrands, the Gauss-Hermite rule is exact; no ball */
    {"linear", a_linear, NULL, {0, 0, 0, 0}, 0},
    /* real line: |tanh''| <= 4/(3 sqrt 3) = 0.769800.., |tanh'''| <= 2 */
    {"tanh", a_tanh, s_tanh, {1, 1, 0.76981, 2}, 1.5},
    /* |erf'| <= 2/sqrt pi, |erf''| <= (4/sqrt pi)(2e)^{-1/2} = 0.96788.., |erf'''| <= 4/sqrt pi */
    {"erf", a_erf, s_erf, {1, 1.1283792, 0.96789, 2.2567584}, 2.5},
    {"sin", a_sin, s_sin, {1, 1, 1, 1}, 6.0},
    /* sigma in (0, 1), sigma' <= 1/4, |sigma''| <= 1/(6 sqrt 3) = 0.096225.., |sigma'''| <= 1/8 */
    {"sigmoid", a_sigmoid, s_sigmoid, {1, 0.25, 0.096226, 0.125}, 3.0}};

const _neft_o1_act *
_neft_o1_act_lookup(const char * name)
{
    size_t i;
    if (name == NULL)
        return NULL;
    for (i = 0; i < sizeof acts / sizeof acts[0]; i++)
        if (!strcmp(name, acts[i].name))
            return acts + i;
    return NULL;
}

void
_neft_o1_act_bounds(double * s, const _neft_o1_act * act, double theta)
{
    if (theta == 0)
        memcpy(s, act->real, 4 * sizeof(double));
    else
        act->strip(s, theta);
}
