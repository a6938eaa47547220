/* The table of activations: one row each, looked up by name.  The names are
   the ones the command line accepts (neft onen --activation, neft sample /
   neft exact --activation); the formulas are those of src/onen/act.c,
   src/sample/spec.c and docs/kernels.md. */

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "act-internal.h"

#define NO NULL
#define EVALS(f) _neft_act_##f##_d, _neft_act_##f##_acb

/* The last field of a row, cost_d: today's weights of the sampler's cost
   model (1 for the piecewise-linear rows, 20 for a libm call).  A rough
   measurement (tanh 80-150, erf 90-130, gelu 60-85, sin 35-65, sigmoid 25-45,
   silu 30-50, exp 25-35 times a vectorised multiply-add, very noisy on a
   loaded machine) keeps the ordering but not the absolute scale; the budget
   checks (tests/budget.py) are calibrated on these weights. */

static const neft_act_struct table[] = {
    {"relu", "max(z, 0)", 0, NO, EVALS(relu),
     NEFT_ACT_HOMOGENEOUS | NEFT_ACT_GROWTH | NEFT_ACT_GP_KERNEL, 0, 1, 0, 1, 1,
     NEFT_ACT_SINGULAR_KINK, 0, 0,
     {NO, NO, "relu is not bounded (it grows like |z|)", NO, NO,
      "relu is not holomorphic: a kink at z = 0 (line Re z = 0 of its continuation)",
      NO}, NO, 1, 1, 0,
     &_neft_kernel_relu_methods},
    {"leaky-relu", "z for z > 0, slope z for z <= 0", 1, "slope", EVALS(leaky),
     NEFT_ACT_HOMOGENEOUS | NEFT_ACT_GP_KERNEL, 0, 1, 0, 0, 0,
     NEFT_ACT_SINGULAR_KINK, 0, 0,
     {NO, NO, "leaky-relu is not bounded (it grows like |z|)", NO,
      "leaky-relu declares no growth bound: max(1, |slope|) |z| depends on its slope",
      "leaky-relu is not holomorphic: a kink at z = 0 (line Re z = 0 of its continuation)",
      NO},
     "1/100", 1, 0, 0,
     &_neft_kernel_leaky_methods},
    {"linear", "z", 0, NO, EVALS(linear),
     NEFT_ACT_HOMOGENEOUS | NEFT_ACT_GROWTH | NEFT_ACT_ENTIRE | NEFT_ACT_GP_KERNEL,
     0, 1, 0, 1, 1,
     NEFT_ACT_SINGULAR_NONE, 0, 0,
     {NO, NO, "linear is not bounded", NO, NO, NO, NO}, NO, 1, 1, -1,
     &_neft_kernel_linear_methods},
    {"tanh", "tanh z", 0, NO, EVALS(tanh),
     NEFT_ACT_BOUNDED | NEFT_ACT_GROWTH, 1, 0, 1, 0, 0,
     NEFT_ACT_SINGULAR_POLES, 0.5, 1,
     {NO, NO, NO, "tanh is not homogeneous", NO,
      "tanh is not entire: poles at z = i pi (1/2 + k)",
      "tanh has no Gaussian-process kernel in closed form"}, NO, 20, 1, -1,
     NO},
    {"erf", "erf z", 0, NO, EVALS(erf),
     NEFT_ACT_BOUNDED | NEFT_ACT_GROWTH | NEFT_ACT_ENTIRE | NEFT_ACT_GP_KERNEL, 1, 0, 1, 0, 0,
     NEFT_ACT_SINGULAR_NONE, 0, 0,
     {NO, NO, NO, "erf is not homogeneous", NO, NO,
      NO}, NO, 20, 1.1284, -1,
     &_neft_kernel_erf_methods},
    {"gelu", "z Phi(z), Phi the standard normal distribution function", 0, NO, EVALS(gelu),
     NEFT_ACT_GROWTH | NEFT_ACT_ENTIRE, 0, 0, 0, 1, 1,
     NEFT_ACT_SINGULAR_NONE, 0, 0,
     {NO, NO, "gelu is not bounded (it grows like z for z > 0)", "gelu is not homogeneous",
      NO, NO,
      "gelu has no Gaussian-process kernel in closed form"}, NO, 20, 1.13, 0,
     NO},
    {"silu", "z / (1 + e^{-z}) (swish)", 0, NO, EVALS(silu),
     NEFT_ACT_GROWTH, 0, 0, 0, 1, 1,
     NEFT_ACT_SINGULAR_POLES, 1, 2,
     {NO, NO, "silu is not bounded (it grows like z for z > 0)", "silu is not homogeneous",
      NO, "silu is not entire: poles at z = i pi (1 + 2k)",
      "silu has no Gaussian-process kernel in closed form"}, NO, 20, 1.1, 0,
     NO},
    {"sigmoid", "1 / (1 + e^{-z})", 0, NO, EVALS(sigmoid),
     NEFT_ACT_BOUNDED | NEFT_ACT_GROWTH, 1, 0, 1, 0, 0,
     NEFT_ACT_SINGULAR_POLES, 1, 2,
     {NO, NO, NO, "sigmoid is not homogeneous", NO,
      "sigmoid is not entire: poles at z = i pi (1 + 2k)",
      "sigmoid has no Gaussian-process kernel in closed form"}, NO, 20, 0.25, 0,
     NO},
    {"sin", "sin z", 0, NO, EVALS(sin),
     NEFT_ACT_BOUNDED | NEFT_ACT_GROWTH | NEFT_ACT_ENTIRE | NEFT_ACT_GP_KERNEL, 1, 0, 1, 0, 0,
     NEFT_ACT_SINGULAR_NONE, 0, 0,
     {NO, NO, NO, "sin is not homogeneous", NO, NO, NO}, NO, 20, 1, -1,
     &_neft_kernel_sin_methods},
    {"gauss", "exp(z - k), k = k(x,x) the pre-activation variance (GaussNet)", 1, "k",
     EVALS(gauss),
     NEFT_ACT_ENTIRE | NEFT_ACT_GP_KERNEL, 0, 0, 0, 0, 0,
     NEFT_ACT_SINGULAR_NONE, 0, 0,
     {NO, NO, "gauss (GaussNet) is not bounded (it grows like e^z)",
      "gauss (GaussNet) is not homogeneous",
      "gauss (GaussNet) has no bound a + b |z|^p: it grows like e^z", NO, NO}, NO, 20, 0, 0,
     &_neft_kernel_gauss_methods},
    {"softplus", "log(1 + e^z) (the smooth relu)", 0, NO, EVALS(softplus),
     NEFT_ACT_GROWTH, 0, 0, 0.7, 1, 1,
     NEFT_ACT_SINGULAR_POLES, 1, 2,
     {NO, NO, "softplus is not bounded (it grows like z for z > 0)",
      "softplus is not homogeneous", NO,
      "softplus is not entire: branch points at z = i pi (1 + 2k)",
      "softplus has no Gaussian-process kernel in closed form"}, NO, 20, 1, 0,
     NO},
};

#define COUNT ((slong) (sizeof(table) / sizeof(table[0])))

neft_act_srcptr
neft_act_lookup(const char * name)
{
    slong i;
    if (name == NULL)
        return NULL;
    for (i = 0; i < COUNT; i++)
        if (!strcmp(name, table[i].name))
            return table + i;
    return NULL;
}

slong
neft_act_count(void)
{
    return COUNT;
}

neft_act_srcptr
neft_act_get(slong i)
{
    return (i >= 0 && i < COUNT) ? table + i : NULL;
}

static char names[512];
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

/* the names of the rows, joined once (a row added to the table is listed) */
static void
join_names(void)
{
    size_t n = 0;
    slong i;
    for (i = 0; i < COUNT && n < sizeof names; i++)
        n += (size_t) snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "",
                               table[i].name);
}

const char *
neft_act_names(void)
{
    pthread_once(&names_once, join_names);
    return names;
}

int
neft_act_has(neft_act_srcptr act, int cap, const char ** reason)
{
    static const unsigned flag[NEFT_ACT_CAP_COUNT] = {
        0, 0, NEFT_ACT_BOUNDED, NEFT_ACT_HOMOGENEOUS, NEFT_ACT_GROWTH, NEFT_ACT_ENTIRE,
        NEFT_ACT_GP_KERNEL
    };
    int has;
    if (act == NULL || cap < 0 || cap >= NEFT_ACT_CAP_COUNT)
    {
        if (reason != NULL)
            *reason = act == NULL ? "no activation" : "unknown capability";
        return 0;
    }
    if (cap == NEFT_ACT_CAP_EVAL_D)
        has = act->eval_d != NULL;
    else if (cap == NEFT_ACT_CAP_EVAL_ACB)
        has = act->eval_acb != NULL;
    else
        has = (act->flags & flag[cap]) != 0;
    if (!has && reason != NULL)
        *reason = act->lacks[cap] != NULL ? act->lacks[cap]
                                          : "the activation does not declare this capability";
    return has;
}
