/* The ddNTK of one input (Roberts-Yaida-Hanin ch. 11; docs/onen.md, "The
   ddNTK"): the O(1/n) means R of ddI H and S, T, U of ddII H, layer by layer
   at layer 2 (one hidden layer), where with Theta = Theta^(1)
   (deterministic) and the expectations at K^(1)

     R = C_W Theta^2 (lambda_W y + C_W Theta w),
     S = C_W Theta^2 (lambda_W s4 + C_W Theta v),
     T = lambda_W^2 Theta x + 2 lambda_W C_W Theta^2 y + C_W^2 Theta^3 v,
     U = C_W^2 Theta^3 v,

   s4 = <sigma'^4>, x = <sigma^2 sigma'^2>, y = <sigma sigma'^2 sigma''>,
   v = <sigma'^2 sigma''^2>, w = <sigma'^3 sigma'''>, exact at every width
   (Wick's theorem in the output weights; the hidden neurons i.i.d.).  Layer 1
   is 0 (z^(1) is linear in the parameters).  Deeper layers by ddntk_step from
   the layer below's R, S, T, U and its NTK statistics B, F, P, Q (the
   products of an off-diagonal H_jk with an M or H across neurons that
   sigma'' brings in are O(1/n^2) there).  One input; several:
   src/onen/ddntk_multi.c (the same terms input-labelled). */

#include <string.h>
#include <flint/fmpz_poly.h>
#include "neft/onen.h"
#include "neft/gaussexp.h"
#include "onen_private.h"

/* indices of the moment array */
#define DD_S4 0
#define DD_X  1
#define DD_Y  2
#define DD_V  3
#define DD_W  4
#define DD_P  5     /* <sigma'^2> */
#define DD_C1P 6    /* d<sigma^2>/dK = <sigma'^2 + sigma sigma''> */
#define DD_PP 7     /* d<sigma'^2>/dK = <sigma''^2 + sigma' sigma'''> */
#define DD_S2 8     /* <sigma''^2> */
#define DD_N  9

neft_onen_ddntk_struct *
neft_onen_ddntk_init(slong depth)
{
    neft_onen_ddntk_struct * D = flint_malloc(sizeof(neft_onen_ddntk_struct) * FLINT_MAX(depth, 1));
    slong l;
    for (l = 0; l < depth; l++)
    {
        arb_init(D[l].R); arb_init(D[l].S); arb_init(D[l].T); arb_init(D[l].U);
    }
    return D;
}

void
neft_onen_ddntk_clear(neft_onen_ddntk_struct * D, slong depth)
{
    slong l;
    for (l = 0; l < depth; l++)
    {
        arb_clear(D[l].R); arb_clear(D[l].S); arb_clear(D[l].T); arb_clear(D[l].U);
    }
    flint_free(D);
}

neft_onen_ddntk_exact_struct *
neft_onen_ddntk_exact_init(slong depth)
{
    neft_onen_ddntk_exact_struct * D =
        flint_malloc(sizeof(neft_onen_ddntk_exact_struct) * FLINT_MAX(depth, 1));
    slong l;
    for (l = 0; l < depth; l++)
    {
        fmpq_init(D[l].R); fmpq_init(D[l].S); fmpq_init(D[l].T); fmpq_init(D[l].U);
    }
    return D;
}

void
neft_onen_ddntk_exact_clear(neft_onen_ddntk_exact_struct * D, slong depth)
{
    slong l;
    for (l = 0; l < depth; l++)
    {
        fmpq_clear(D[l].R); fmpq_clear(D[l].S); fmpq_clear(D[l].T); fmpq_clear(D[l].U);
    }
    flint_free(D);
}

int
neft_onen_ddntk_has(const neft_net_t net, const char ** reason)
{
    static _Thread_local char why[320];
    const char * name = net->act->name;
    int act_ok = neft_onen_is_scale_invariant(net) || !strcmp(name, "tanh")
                 || !strcmp(name, "erf") || !strcmp(name, "sin") || !strcmp(name, "sigmoid");
    if (act_ok)
        return 1;
    if (reason != NULL)
    {
        snprintf(why, sizeof why, "%s: the ddNTK needs <sigma'^2 sigma''^2> and "
                 "<sigma'^3 sigma'''>, which onen has for relu, leaky-relu, linear, tanh, "
                 "sigmoid, erf and sin only", name);
        *reason = why;
    }
    return 0;
}

/* E[p(sigma)] for a polynomial p (coefficients c[0..deg]) from the moments
   mom[k] = <sigma^k>, k <= deg */
static void
poly_mean(arb_t res, const fmpz_poly_t p, arb_srcptr mom, slong prec)
{
    slong k;
    arb_zero(res);
    for (k = 0; k <= fmpz_poly_degree(p); k++)
        if (!fmpz_is_zero(p->coeffs + k))
            arb_addmul_fmpz(res, mom + k, p->coeffs + k, prec);
}

/* tanh (sigma' = 1 - sigma^2) and sigmoid (sigma' = sigma - sigma^2): with
   sigma' = q(sigma), sigma'' = q' q, sigma''' = (q'' q + q'^2) q, so the
   five expectations are <p(sigma)> for s4 = q^4, x = s^2 q^2, y = s q^3 q',
   v = q^4 q'^2, w = q^4 (q'' q + q'^2) (degree <= 10) and, for the deeper
   layers, p = q^2, c1' = q^2 + s q q', p' = 2 q^2 q'^2 + q^3 q'', <sigma''^2> =
   q^2 q'^2, the moments <sigma^k>
   by the rigorous 1-D rule (neft/gaussexp.h).  0, or -1. */
static int
poly_moments(arb_ptr m, const neft_net_t net, const arb_t K, slong prec)
{
    const int tanh_row = !strcmp(net->act->name, "tanh");
    fmpz_poly_t q, q1, q2, p, t;
    arb_ptr mom = _arb_vec_init(11);
    char err[256];
    slong k;
    int status = 0;

    fmpz_poly_init(q); fmpz_poly_init(q1); fmpz_poly_init(q2);
    fmpz_poly_init(p); fmpz_poly_init(t);
    fmpz_poly_set_coeff_si(q, 0, tanh_row ? 1 : 0);
    fmpz_poly_set_coeff_si(q, 1, tanh_row ? 0 : 1);
    fmpz_poly_set_coeff_si(q, 2, -1);
    fmpz_poly_derivative(q1, q);
    fmpz_poly_derivative(q2, q1);
    arb_one(mom + 0);
    for (k = 1; k <= 10 && status == 0; k++)
    {
        if (tanh_row && (k & 1))        /* tanh is odd */
            arb_zero(mom + k);
        else if (neft_gaussexp_hermite(mom + k, net->act, NULL, 0, k, K, 0, prec, err,
                                       sizeof err) != NEFT_SUCCESS)
            status = -1;
    }
    if (status == 0)
    {
        fmpz_poly_pow(p, q, 4);                         /* s4 = q^4 */
        poly_mean(m + DD_S4, p, mom, prec);
        fmpz_poly_sqr(t, q1);                           /* v = q^4 q'^2 */
        fmpz_poly_mul(t, t, p);
        poly_mean(m + DD_V, t, mom, prec);
        fmpz_poly_mul(t, q2, q);                        /* w = q^4 (q'' q + q'^2) */
        fmpz_poly_sqr(q2, q1);
        fmpz_poly_add(t, t, q2);
        fmpz_poly_mul(t, t, p);
        poly_mean(m + DD_W, t, mom, prec);
        fmpz_poly_sqr(t, q);                            /* x = s^2 q^2 */
        fmpz_poly_shift_left(t, t, 2);
        poly_mean(m + DD_X, t, mom, prec);
        fmpz_poly_pow(t, q, 3);                         /* y = s q^3 q' */
        fmpz_poly_mul(t, t, q1);
        fmpz_poly_shift_left(t, t, 1);
        poly_mean(m + DD_Y, t, mom, prec);
        fmpz_poly_sqr(p, q);                            /* p = q^2 */
        poly_mean(m + DD_P, p, mom, prec);
        fmpz_poly_mul(t, p, q2);                        /* s2 = q^2 q'^2 (q2 = q'^2) */
        poly_mean(m + DD_S2, t, mom, prec);
        fmpz_poly_mul(t, q, q1);                        /* c1' = q^2 + s q q' */
        fmpz_poly_shift_left(t, t, 1);
        fmpz_poly_add(t, t, p);
        poly_mean(m + DD_C1P, t, mom, prec);
        fmpz_poly_derivative(q2, q1);                   /* p' = 2 s2 + q^3 q'' */
        fmpz_poly_mul(t, p, q);
        fmpz_poly_mul(t, t, q2);
        poly_mean(m + DD_PP, t, mom, prec);
        arb_addmul_si(m + DD_PP, m + DD_S2, 2, prec);
    }
    fmpz_poly_clear(q); fmpz_poly_clear(q1); fmpz_poly_clear(q2);
    fmpz_poly_clear(p); fmpz_poly_clear(t);
    _arb_vec_clear(mom, 11);
    return status;
}

/* m[DD_N] at K for the net's row.  0, or -1 (a ball not finite). */
static int
ddntk_moments(arb_ptr m, const neft_net_t net, const arb_t K, slong prec)
{
    const char * name = net->act->name;
    arb_ptr n1;
    arb_t t, u;
    slong i;
    int status = 0;

    if (!strcmp(name, "tanh") || !strcmp(name, "sigmoid"))
        status = poly_moments(m, net, K, prec);
    else
    {
        n1 = _arb_vec_init(M_N);
        arb_init(t); arb_init(u);
        status = _neft_onen_ntk1_moments(n1, net, K, K, prec);
        arb_set(m + DD_S4, n1 + M_S4);
        arb_set(m + DD_X, n1 + M_X22);
        arb_set(m + DD_Y, n1 + M_Y);
        arb_set(m + DD_P, n1 + M_P);
        arb_set(m + DD_C1P, n1 + M_C1P);
        arb_set(m + DD_PP, n1 + M_PP);
        if (!strcmp(name, "erf"))
        {
            /* erf'' = -2 z erf', erf''' = (4 z^2 - 2) erf', erf'^4 = (16/pi^2) e^{-4z^2},
               <z^2 e^{-4z^2}> = K (1 + 8K)^{-3/2}, <e^{-4z^2}> = (1 + 8K)^{-1/2}:
               v = 64 K / (pi^2 (1 + 8K)^{3/2}), w = -32 (1 + 6K) / (pi^2 (1 + 8K)^{3/2}) */
            arb_mul_2exp_si(t, K, 3);
            arb_add_ui(t, t, 1, prec);
            arb_rsqrt(u, t, prec);
            arb_div(u, u, t, prec);                     /* (1 + 8K)^{-3/2} */
            arb_const_pi(t, prec);
            arb_sqr(t, t, prec);
            arb_div(u, u, t, prec);
            arb_mul(m + DD_V, u, K, prec);
            arb_mul_2exp_si(m + DD_V, m + DD_V, 6);
            arb_mul_si(t, K, 6, prec);
            arb_add_ui(t, t, 1, prec);
            arb_mul(m + DD_W, u, t, prec);
            arb_mul_si(m + DD_W, m + DD_W, -32, prec);
            /* <erf''^2> = 4 (4/pi) <z^2 e^{-2z^2}> = (16/pi) K (1 + 4K)^{-3/2} */
            arb_mul_2exp_si(t, K, 2);
            arb_add_ui(t, t, 1, prec);
            arb_rsqrt(u, t, prec);
            arb_div(u, u, t, prec);
            arb_mul(u, u, K, prec);
            arb_const_pi(t, prec);
            arb_div(u, u, t, prec);
            arb_mul_2exp_si(m + DD_S2, u, 4);
        }
        else if (!strcmp(name, "sin"))
        {
            /* sin'' = -sin, sin''' = -cos: v = <sin^2 cos^2> = x, w = -<cos^4> = -s4 */
            arb_set(m + DD_V, m + DD_X);
            arb_neg(m + DD_W, m + DD_S4);
            /* <sin^2> = (1 - e^{-2K})/2 */
            arb_mul_si(t, K, -2, prec);
            arb_expm1(t, t, prec);
            arb_neg(t, t);
            arb_mul_2exp_si(m + DD_S2, t, -1);
        }
        else
        {
            /* piecewise linear: sigma'' = sigma''' = 0 away from the kink */
            arb_zero(m + DD_V);
            arb_zero(m + DD_W);
            arb_zero(m + DD_S2);
        }
        _arb_vec_clear(n1, M_N);
        arb_clear(t); arb_clear(u);
    }
    for (i = 0; i < DD_N; i++)
        if (!arb_is_finite(m + i))
            status = -1;
    return status;
}

/* <sigma''^2> at K (the several-input step's one-class s2; ddntk_moments'
   value).  0, or -1 (not finite or no moments for the row). */
int
_neft_onen_ddntk_s2(arb_t res, const neft_net_t net, const arb_t K, slong prec)
{
    arb_ptr m = _arb_vec_init(DD_N);
    int st = ddntk_moments(m, net, K, prec);
    arb_set(res, m + DD_S2);
    _arb_vec_clear(m, DD_N);
    return st;
}

/* The step l -> l+1, any depth (docs/onen.md, "The ddNTK"): with Theta,
   B, F, P, Q of layer l (o), B', F' of layer l+1 (nt), the expectations m at
   K^(l), g = C_W^2 r p^2, alpha = Q - P/2 and <sigma sigma''> = c1' - p,
   <sigma' sigma'''> = p' - s2 (s2 = <sigma''^2>):
     R' = lambda_W C_W [y Theta^2 + r p (B (c1' - p) + alpha c1')]
          + C_W^2 [w Theta^3 + r Theta p (B (p' - s2) + alpha p')] + g R,
     S' = (lambda_W/C_W) B' + C_W^2 Theta (v Theta^2 + r B s2 p) + g S,
     T' = (lambda_W/C_W)^2 F' + lambda_W C_W [2 y Theta^2 + r c1' (2 Theta F p' + P p)]
          + C_W^2 Theta [v Theta^2 + r p' (Theta F p' + P p)] + g T,
     U' = C_W^2 v Theta^3 + g U.
   The piecewise-linear rows (y = v = w = s2 = p' = 0, c1' = p, Q = P/2)
   keep S' = (lambda_W/C_W) B' + g S, T' = (lambda_W/C_W)^2 F' + lambda_W C_W
   r c1' p P + g T, R' = g R, U' = g U.  In and out in D[l-1], D[l] (0-based:
   layer l is D[l - 1]). */
static void
ddntk_step(neft_onen_ddntk_struct * D, slong l, const neft_onen_ntk1_struct * o,
           const neft_onen_ntk1_struct * nt, arb_srcptr m, const arb_t r, const arb_t cw,
           const arb_t lw, slong prec)
{
    const neft_onen_ddntk_struct * od = D + l - 1;
    neft_onen_ddntk_struct * nw = D + l;
    const arb_struct * th = o->theta, * p = m + DD_P, * c1p = m + DD_C1P, * pp = m + DD_PP;
    arb_t g, a, t, u, al, th2, rp;
    arb_init(g); arb_init(a); arb_init(t); arb_init(u); arb_init(al); arb_init(th2);
    arb_init(rp);
    arb_mul(g, cw, p, prec);
    arb_sqr(g, g, prec);
    arb_mul(g, g, r, prec);                             /* g = C_W^2 r p^2 */
    arb_div(a, lw, cw, prec);                           /* a = lambda_W / C_W */
    arb_mul_2exp_si(al, o->P, -1);
    arb_sub(al, o->Q, al, prec);                        /* alpha = Q - P/2 */
    arb_sqr(th2, th, prec);
    arb_mul(rp, r, p, prec);                            /* r p */

    /* R' */
    arb_sub(t, c1p, p, prec);
    arb_mul(t, t, o->B, prec);
    arb_addmul(t, al, c1p, prec);
    arb_mul(t, t, rp, prec);
    arb_addmul(t, m + DD_Y, th2, prec);
    arb_mul(u, lw, cw, prec);
    arb_mul(nw->R, u, t, prec);
    arb_sub(t, pp, m + DD_S2, prec);
    arb_mul(t, t, o->B, prec);
    arb_addmul(t, al, pp, prec);
    arb_mul(t, t, rp, prec);
    arb_addmul(t, m + DD_W, th2, prec);
    arb_mul(t, t, th, prec);
    arb_sqr(u, cw, prec);
    arb_addmul(nw->R, u, t, prec);
    arb_addmul(nw->R, g, od->R, prec);

    /* S' */
    arb_mul(t, o->B, m + DD_S2, prec);
    arb_mul(t, t, rp, prec);
    arb_addmul(t, m + DD_V, th2, prec);
    arb_mul(t, t, th, prec);
    arb_sqr(u, cw, prec);
    arb_mul(nw->S, u, t, prec);
    arb_addmul(nw->S, a, nt->B, prec);
    arb_addmul(nw->S, g, od->S, prec);

    /* U' */
    arb_mul(t, m + DD_V, th2, prec);
    arb_mul(t, t, th, prec);
    arb_mul(nw->U, u, t, prec);
    arb_addmul(nw->U, g, od->U, prec);

    /* T' */
    arb_mul(t, th, o->F, prec);
    arb_mul(t, t, pp, prec);
    arb_addmul(t, o->P, p, prec);                       /* Theta F p' + P p */
    arb_mul(u, t, pp, prec);
    arb_mul(u, u, r, prec);
    arb_addmul(u, m + DD_V, th2, prec);
    arb_mul(u, u, th, prec);
    arb_sqr(nw->T, cw, prec);
    arb_mul(nw->T, nw->T, u, prec);                     /* C_W^2 Theta [..] */
    arb_mul(t, th, o->F, prec);
    arb_mul(t, t, pp, prec);
    arb_mul_2exp_si(t, t, 1);
    arb_addmul(t, o->P, p, prec);                       /* 2 Theta F p' + P p */
    arb_mul(t, t, c1p, prec);
    arb_mul(t, t, r, prec);
    arb_mul(u, m + DD_Y, th2, prec);
    arb_mul_2exp_si(u, u, 1);
    arb_add(t, t, u, prec);
    arb_mul(u, lw, cw, prec);
    arb_addmul(nw->T, u, t, prec);
    arb_sqr(t, a, prec);
    arb_addmul(nw->T, t, nt->F, prec);
    arb_addmul(nw->T, g, od->T, prec);
    arb_clear(g); arb_clear(a); arb_clear(t); arb_clear(u); arb_clear(al); arb_clear(th2);
    arb_clear(rp);
}

/* layers 3..depth in balls from layer 2 in D: the NTK statistics of
   neft_onen_ntk1_single, the expectations at K^(l) */
static int
ddntk_deep_balls(neft_onen_ddntk_struct * D, const neft_onen_layer_struct * layers,
                 const neft_onen_params_t par, const fmpq_t lambda_b, const fmpq_t lambda_w)
{
    slong l, depth = par->net->depth, prec = par->prec, num, den;
    neft_onen_ntk1_struct * T1 = neft_onen_ntk1_init(depth);
    arb_ptr m = _arb_vec_init(DD_N);
    arb_t cw, cb, lw, r;
    int status = 0;
    arb_init(cw); arb_init(cb); arb_init(lw); arb_init(r);
    _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
    arb_set_fmpq(lw, lambda_w, prec);
    if (neft_onen_ntk1_single(T1, layers, par, lambda_b, lambda_w))
        status = -1;
    for (l = 2; l < depth && status == 0; l++)
    {
        if (ddntk_moments(m, par->net, layers[l - 1].K, prec))
        {
            status = -1;
            break;
        }
        _neft_onen_ratio_si(&num, &den, par->net, l);
        arb_set_si(r, num);
        arb_div_si(r, r, den, prec);
        ddntk_step(D, l, T1 + l - 1, T1 + l, m, r, cw, lw, prec);
    }
    neft_onen_ntk1_clear(T1, depth);
    _arb_vec_clear(m, DD_N);
    arb_clear(cw); arb_clear(cb); arb_clear(lw); arb_clear(r);
    return status;
}

/* layer 2 from Theta = th, the moments m at K^(1), C_W = cw, lambda_W = lw */
static void
ddntk_layer2(neft_onen_ddntk_struct * D, arb_srcptr m, const arb_t th, const arb_t cw,
             const arb_t lw, slong prec)
{
    arb_t a, b, c;
    arb_init(a); arb_init(b); arb_init(c);
    arb_mul(a, cw, th, prec);                           /* a = C_W Theta */
    arb_mul(b, a, th, prec);                            /* b = C_W Theta^2 */
    /* R = b (lw y + a w), S = b (lw s4 + a v), U = a b v */
    arb_mul(c, a, m + DD_W, prec);
    arb_addmul(c, lw, m + DD_Y, prec);
    arb_mul(D->R, b, c, prec);
    arb_mul(c, a, m + DD_V, prec);
    arb_addmul(c, lw, m + DD_S4, prec);
    arb_mul(D->S, b, c, prec);
    arb_mul(D->U, a, b, prec);
    arb_mul(D->U, D->U, m + DD_V, prec);
    /* T = lw^2 Theta x + 2 lw b y + U */
    arb_mul(c, lw, lw, prec);
    arb_mul(c, c, th, prec);
    arb_mul(D->T, c, m + DD_X, prec);
    arb_mul(c, lw, b, prec);
    arb_mul(c, c, m + DD_Y, prec);
    arb_mul_2exp_si(c, c, 1);
    arb_add(D->T, D->T, c, prec);
    arb_add(D->T, D->T, D->U, prec);
    arb_clear(a); arb_clear(b); arb_clear(c);
}

int
neft_onen_ddntk_single(neft_onen_ddntk_struct * D, const neft_onen_layer_struct * layers,
                       const neft_onen_params_t par, const fmpq_t lambda_b,
                       const fmpq_t lambda_w)
{
    slong l, depth = par->net->depth, prec = par->prec;
    arb_ptr m = _arb_vec_init(DD_N);
    arb_t cw, cb, lw, th;
    int status = 0;

    arb_init(cw); arb_init(cb); arb_init(lw); arb_init(th);
    for (l = 0; l < depth; l++)
    {
        arb_zero(D[l].R); arb_zero(D[l].S); arb_zero(D[l].T); arb_zero(D[l].U);
    }
    if (!neft_onen_ddntk_has(par->net, NULL))
        status = NEFT_UNSUPPORTED;
    else if (depth >= 2)
    {
        /* Theta^(1) = lambda_b + lambda_W (K^(1) - C_b)/C_W */
        _NEFT_ONEN_CWCB(cw, cb, par->net, prec);
        arb_set_fmpq(lw, lambda_w, prec);
        arb_sub(th, layers[0].K, cb, prec);
        arb_div(th, th, cw, prec);
        arb_mul(th, th, lw, prec);
        arb_set_fmpq(cb, lambda_b, prec);
        arb_add(th, th, cb, prec);
        if (ddntk_moments(m, par->net, layers[0].K, prec))
            status = -1;
        else
            ddntk_layer2(D + 1, m, th, cw, lw, prec);
        if (status == 0 && depth >= 3)
            status = ddntk_deep_balls(D, layers, par, lambda_b, lambda_w);
    }
    for (l = 0; l < depth && status == 0; l++)
        if (!arb_is_finite(D[l].R) || !arb_is_finite(D[l].S) || !arb_is_finite(D[l].T)
            || !arb_is_finite(D[l].U))
            status = -1;
    if (status != 0)
        for (l = 0; l < depth; l++)
        {
            arb_indeterminate(D[l].R); arb_indeterminate(D[l].S);
            arb_indeterminate(D[l].T); arb_indeterminate(D[l].U);
        }
    _arb_vec_clear(m, DD_N);
    arb_clear(cw); arb_clear(cb); arb_clear(lw); arb_clear(th);
    return status;
}

int
neft_onen_ddntk_single_exact(neft_onen_ddntk_exact_struct * D,
                             const neft_onen_exact_struct * E, const neft_net_t net,
                             const fmpq_t lambda_b, const fmpq_t lambda_w)
{
    fmpq_t ap, am, s4, th, t, g, a, p, c1p, r;
    neft_onen_ntk1_exact_struct * X1;
    slong l, num, den;
    int status = NEFT_SUCCESS;

    if (!neft_onen_is_scale_invariant(net) || !neft_onen_ddntk_has(net, NULL))
        return NEFT_UNSUPPORTED;
    for (l = 0; l < net->depth; l++)
    {
        fmpq_zero(D[l].R); fmpq_zero(D[l].S); fmpq_zero(D[l].T); fmpq_zero(D[l].U);
    }
    if (net->depth < 2)
        return NEFT_SUCCESS;
    fmpq_init(ap); fmpq_init(am); fmpq_init(s4); fmpq_init(th); fmpq_init(t);
    /* s4 = (a_+^4 + a_-^4)/2, x = s4 K^(1), y = v = w = 0: R = U = 0,
       S = lambda_W C_W Theta^2 s4, T = lambda_W^2 Theta s4 K^(1) */
    _neft_onen_pl_slopes(ap, am, net);
    fmpq_pow_si(ap, ap, 4);
    fmpq_pow_si(am, am, 4);
    fmpq_add(s4, ap, am);
    fmpq_div_2exp(s4, s4, 1);
    fmpq_sub(th, E[0].K, net->cb);
    fmpq_div(th, th, net->cw);
    fmpq_mul(th, th, lambda_w);
    fmpq_add(th, th, lambda_b);
    fmpq_mul(t, th, th);
    fmpq_mul(t, t, net->cw);
    fmpq_mul(t, t, lambda_w);
    fmpq_mul(D[1].S, t, s4);
    fmpq_mul(t, lambda_w, lambda_w);
    fmpq_mul(t, t, th);
    fmpq_mul(t, t, s4);
    fmpq_mul(D[1].T, t, E[0].K);
    /* layers 3..depth: pl_step in rationals */
    fmpq_init(g); fmpq_init(a); fmpq_init(p); fmpq_init(c1p); fmpq_init(r);
    X1 = neft_onen_ntk1_exact_init(net->depth);
    neft_onen_exact_moment(p, net, 0);
    neft_onen_exact_moment(c1p, net, 1);
    if (net->depth >= 3 && neft_onen_ntk1_single_exact(X1, E, net, lambda_b, lambda_w))
        status = NEFT_INTERRUPTED;
    for (l = 2; l < net->depth && status == NEFT_SUCCESS; l++)
    {
        const neft_onen_ddntk_exact_struct * o = D + l - 1;
        neft_onen_ddntk_exact_struct * nw = D + l;
        _neft_onen_ratio_si(&num, &den, net, l);
        fmpq_set_si(r, num, den);
        fmpq_mul(g, net->cw, p);
        fmpq_mul(g, g, g);
        fmpq_mul(g, g, r);                              /* C_W^2 r p^2 */
        fmpq_div(a, lambda_w, net->cw);
        fmpq_mul(nw->R, g, o->R);
        fmpq_mul(nw->U, g, o->U);
        fmpq_mul(nw->S, g, o->S);
        fmpq_addmul(nw->S, a, X1[l].B);
        fmpq_mul(nw->T, g, o->T);
        fmpq_mul(t, a, a);
        fmpq_addmul(nw->T, t, X1[l].F);
        fmpq_mul(t, lambda_w, net->cw);
        fmpq_mul(t, t, r);
        fmpq_mul(t, t, c1p);
        fmpq_mul(t, t, p);
        fmpq_addmul(nw->T, t, X1[l - 1].P);
    }
    neft_onen_ntk1_exact_clear(X1, net->depth);
    fmpq_clear(g); fmpq_clear(a); fmpq_clear(p); fmpq_clear(c1p); fmpq_clear(r);
    fmpq_clear(ap); fmpq_clear(am); fmpq_clear(s4); fmpq_clear(th); fmpq_clear(t);
    return status;
}
