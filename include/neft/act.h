/* neft/act.h -- activations as rows of one table.
 *
 * Every activation neft knows is one row: its name (the name the command
 * line accepts), a vectorised double evaluator (for the sampler), a ball
 * evaluator of the function and its first derivative that certifies
 * holomorphy when asked to (for acb_calc_integrate), and its declared
 * properties on the real line.  A capability a row lacks is refused by
 * name: neft_act_has returns 0 and a reason, never another row's answer.
 *
 * A network (neft_net_t, neft/net.h) points at its row; every module reads
 * the activation from there and decides what it can do from the row's
 * declared properties and methods (docs/extending.md has what each module
 * reads, and how to add a row). */
#ifndef NEFT_ACT_H
#define NEFT_ACT_H

#include "neft/arbcompat.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status of the evaluators. */
#define NEFT_ACT_SUCCESS NEFT_SUCCESS
#define NEFT_ACT_UNSUPPORTED NEFT_UNSUPPORTED   /* a derivative the row does not have */

/* Property flags. */
#define NEFT_ACT_BOUNDED     1u   /* |sigma(z)| <= sup for real z */
#define NEFT_ACT_HOMOGENEOUS 2u   /* sigma(t z) = t^degree sigma(z), real z, t > 0 */
#define NEFT_ACT_GROWTH      4u   /* |sigma(z)| <= a + b |z|^p for real z */
#define NEFT_ACT_ENTIRE      8u   /* holomorphic on the whole complex plane */
#define NEFT_ACT_GP_KERNEL  16u   /* its single-hidden-layer GP kernel has a closed form
                                     (neft/kernel.h) */

/* Where a row that is not entire fails to be holomorphic. */
#define NEFT_ACT_SINGULAR_NONE  0 /* entire */
#define NEFT_ACT_SINGULAR_KINK  1 /* a kink at z = 0: the continuation is not
                                     holomorphic on the line Re z = 0 */
#define NEFT_ACT_SINGULAR_POLES 2 /* poles at z = i pi (pole_at + k pole_step), k integer */

/* Capabilities asked of neft_act_has. */
#define NEFT_ACT_CAP_EVAL_D      0   /* double evaluator */
#define NEFT_ACT_CAP_EVAL_ACB    1   /* ball evaluator of sigma and sigma' */
#define NEFT_ACT_CAP_BOUNDED     2
#define NEFT_ACT_CAP_HOMOGENEOUS 3
#define NEFT_ACT_CAP_GROWTH      4
#define NEFT_ACT_CAP_ENTIRE      5
#define NEFT_ACT_CAP_GP_KERNEL   6   /* closed-form GP kernel (neft/kernel.h) */
#define NEFT_ACT_CAP_COUNT       7

/* y[i] = sigma(z[i]) for i < n; y == z is allowed (in place).  par: the row's
   parameters (nparams doubles; NULL when nparams = 0).  Each y[i] is computed
   by the same libm call as the scalar formula: the results do not depend on n. */
typedef void (*neft_act_eval_d_func)(double * y, const double * z, slong n,
                                     const double * par);

/* res = sigma^(deriv)(z) for deriv = 0 or 1 (else res indeterminate and
   NEFT_ACT_UNSUPPORTED).  With analytic set, res is indeterminate (or
   non-finite, near a pole) unless sigma is certified holomorphic on the
   whole ball z, as acb_calc_func_t requires for order = 1.  par: nparams
   balls (NULL when nparams = 0).  Returns NEFT_ACT_SUCCESS otherwise. */
typedef int (*neft_act_eval_acb_func)(acb_t res, const acb_t z, arb_srcptr par,
                                      slong deriv, int analytic, slong prec);

/* The closed-form GP kernel of a row (neft/kernel.h), as methods on the
   kernel value (struct neft_kernel_struct_s, defined in neft/kernel.h):
   eval_arb on real balls (NULL: the real parts of eval_acb on real balls,
   for rows whose acb method does only arb operations there), eval_acb on complex balls with the holomorphy
   contract of neft_kernel_eval_acb, diag_acb the diagonal K(y, y) (a
   self-loop), eval_ivl K(x, y) for d_in = 1 on double intervals (NULL where
   the row has none).  kink: the kernel has ReLU's kink (it is
   b + sigma_w^2 (s k(x,x') + (1-s)^2 w / (2 pi)), w ReLU's angular part,
   s the row's slope, 0 for relu): not analytic at x' = x when sigma_b > 0,
   one-sided continuations through neft_kernel_side1_acb.  orthant (or
   NULL): for d_in = 1 and sigma_b = 0 the kernel is same x x' when
   x x' > 0 and opp x x' when x x' < 0; sets the two constants. */
struct neft_kernel_struct_s;
typedef struct
{
    const char * formula;
    void (*eval_arb)(arb_t res, const struct neft_kernel_struct_s * k, arb_srcptr x,
                     arb_srcptr y, slong prec);
    void (*eval_acb)(acb_t res, const struct neft_kernel_struct_s * k, acb_srcptr x,
                     acb_srcptr y, int analytic, slong prec);
    void (*diag_acb)(acb_t res, const struct neft_kernel_struct_s * k, acb_srcptr y,
                     int analytic, slong prec);
    int (*eval_ivl)(double * lo, double * hi, const struct neft_kernel_struct_s * k,
                    double xlo, double xhi, double ylo, double yhi);
    int kink;
    void (*orthant)(arb_t same, arb_t opp, const struct neft_kernel_struct_s * k, slong prec);
}
neft_act_kernel_struct;

typedef struct
{
    const char * name;
    const char * formula;           /* one line, for documentation and messages */
    slong nparams;                  /* 0 or 1 */
    const char * param_name;        /* NULL when nparams = 0 */
    neft_act_eval_d_func eval_d;
    neft_act_eval_acb_func eval_acb;
    unsigned flags;                 /* NEFT_ACT_BOUNDED | ... */
    double sup;                     /* BOUNDED: sup over real z of |sigma(z)| */
    slong degree;                   /* HOMOGENEOUS: p with sigma(tz) = t^p sigma(z) */
    double growth_a, growth_b;      /* GROWTH: |sigma(z)| <= a + b |z|^growth_p */
    slong growth_p;
    int singular;                   /* NEFT_ACT_SINGULAR_* */
    double pole_at, pole_step;      /* POLES: at i pi (pole_at + k pole_step) */
    const char * lacks[NEFT_ACT_CAP_COUNT];  /* why a capability is absent, or NULL */
    const char * param_default;     /* the default of a parameter the user chooses
                                       ("1/100"); NULL when there is none or the
                                       parameter is not the user's (GaussNet's k, the
                                       pre-activation variance, set per input) */
    double cost_d;                  /* the cost of one call of eval_d per element,
                                       in multiply-adds (the sampler's cost model,
                                       neft_sample_spec_cost): 1 for relu, about 20
                                       for erf, tanh, exp */
    double dsup;                    /* sup over real z of |sigma'(z)| where sigma is
                                       differentiable (an upper bound); 0 when the row
                                       declares none (the tail bound of an integral of
                                       sigma', neft/gaussexp.h) */
    int parity;                     /* 1: sigma(-z) = sigma(z), -1: sigma(-z) = -sigma(z)
                                       for real z; 0: neither declared */
    const neft_act_kernel_struct * kernel;  /* the closed-form GP kernel when flags
                                               has NEFT_ACT_GP_KERNEL, else NULL */
}
neft_act_struct;
typedef const neft_act_struct * neft_act_srcptr;

/* The row called name (exact match), or NULL. */
neft_act_srcptr neft_act_lookup(const char * name);

/* Number of rows, and row i for 0 <= i < count (NULL outside). */
slong neft_act_count(void);
neft_act_srcptr neft_act_get(slong i);

/* The names of all rows separated by ", " (static storage, for messages). */
const char * neft_act_names(void);

/* 1 if the row has capability cap (NEFT_ACT_CAP_*); else 0 and, when reason
   is not NULL, *reason a sentence naming the row and what it lacks. */
int neft_act_has(neft_act_srcptr act, int cap, const char ** reason);

#ifdef __cplusplus
}
#endif

#endif
