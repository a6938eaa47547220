/* The output layer's tensors of _neft_o1d_map from onen (neft_onen_ntkm's
   NTK statistics and dNTK, neft_onen_ddntkm's ddNTKs), and the public
   neft_train_order1_deep (docs/train-theory.md, "Any depth"). */

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "neft/onen.h"
#include "neft/interrupt.h"
#include "order1_deep.h"

static double
mid_d(arb_srcptr v)
{
    return arf_get_d(arb_midref(v), ARF_RND_NEAR);
}

int
_neft_o1d_tensors_onen(_neft_o1d_tensors * X, const neft_net_t net, const fmpq * x,
                       const fmpq_t lambda_b, const fmpq_t lambda_w, int rstu, char * msg,
                       size_t msgsize)
{
    const slong P = X->P, d = net->d_in, L = net->depth, l = L - 1, P2 = P * P;
    const slong P4 = P2 * P2;
    neft_onen_params_t par;
    neft_onen_ntkm_t M;
    neft_onen_ddntkm_t D;
    const char * why = NULL;
    arb_ptr xb;
    slong i, a, b, c, e;
    int st;

    if ((rstu && !neft_onen_ddntkm_has(net, &why)) || !neft_onen_ntkm_has(net, &why))
    {
        snprintf(msg, msgsize, "the O(1/n) trained mean of depth %ld needs the output layer's "
                 "ddNTK of several inputs, which onen lacks: %s", (long) L,
                 why != NULL ? why : "(no reason given)");
        return NEFT_UNSUPPORTED;
    }
    neft_onen_params_init(par);
    neft_net_set(par->net, net);
    neft_net_set_depth_recursion(par->net, L);
    xb = _arb_vec_init(P * d);
    for (i = 0; i < P * d; i++)
        arb_set_fmpq(xb + i, x + i, par->prec);
    neft_onen_ntkm_init(M, P, L);
    neft_onen_ddntkm_init(D, P, L);
    st = neft_onen_ddntkm(D, M, par, lambda_b, lambda_w, xb, P, d, rstu, msg, msgsize);
    if (st == NEFT_SUCCESS)
    {
        for (i = 0; i < P2; i++)
        {
            X->th[i] = mid_d(M->theta + l * P2 + i);
            X->th1[i] = mid_d(M->theta1 + l * P2 + i);
            X->K[i] = mid_d(M->K + l * P2 + i);
        }
#define IX(p, q, r, s) ((((p) * P + (q)) * P + (r)) * P + (s))
        for (a = 0; a < P; a++)
            for (b = 0; b < P; b++)
                for (c = 0; c < P; c++)
                    for (e = 0; e < P; e++)
                    {
                        const slong t = l * P4 + IX(a, b, c, e);
                        /* one output neuron: every Kronecker delta is 1 */
                        X->cov[IX(a, b, c, e)] = mid_d(M->A + t) + mid_d(M->B + t)
                            + mid_d(M->B + l * P4 + IX(a, b, e, c));
                        /* dz_abce = n E[M^(a)_(b)(c) z_e], M^(i)_(j)(k) =
                           d^2 z_i[u_j, u_k]: the three pairings of neurons
                           (i i)(j j), (i j)(i j), (i j)(j i) of ddntkm's split */
                        X->dz[IX(a, b, c, e)] = mid_d(D->beta + l * P4 + IX(c, a, b, e))
                            + mid_d(D->beta + l * P4 + IX(b, a, c, e))
                            + mid_d(D->alpha + l * P4 + IX(b, a, c, e));
                        if (!rstu)
                            continue;
                        X->ddi[IX(a, b, c, e)] = mid_d(D->R + t)
                            + mid_d(D->R + l * P4 + IX(a, c, b, e))
                            + mid_d(D->R + l * P4 + IX(a, e, b, c));
                        X->ddii[IX(a, b, c, e)] = mid_d(D->S + t) + mid_d(D->T + t)
                            + mid_d(D->U + t);
                    }
#undef IX
        for (i = 0; i < P4; i++)
            if (!isfinite(X->cov[i]) || !isfinite(X->dz[i]) || !isfinite(X->ddi[i])
                || !isfinite(X->ddii[i]))
            {
                snprintf(msg, msgsize, "onen's tensors of the output layer are not finite");
                st = NEFT_FAILURE;
                break;
            }
    }
    else if (st == NEFT_INTERRUPTED || neft_interrupted())
        st = NEFT_INTERRUPTED;
    else if (st != NEFT_UNSUPPORTED)
        st = NEFT_FAILURE;
    else
    {
        /* say what asked for onen's tensors */
        char * why2 = malloc(msgsize + 1);
        snprintf(why2, msgsize + 1, "%s", msg);
        snprintf(msg, msgsize, "the O(1/n) trained mean of depth %ld needs onen's tensors of "
                 "the output layer at the %ld points (training and test): %s", (long) L,
                 (long) P, why2);
        free(why2);
    }
    neft_onen_ntkm_clear(M);
    neft_onen_ddntkm_clear(D);
    _arb_vec_clear(xb, P * d);
    neft_onen_params_clear(par);
    return st;
}

int
neft_train_order1_deep_check(const neft_train_ensemble_t ens, char * msg, size_t msgsize)
{
    const neft_net_struct * net = ens->sample->net;
    const slong P = ens->sample->npoints;
    const slong T = ens->nsteps > 0 ? (slong) ens->steps[ens->nsteps - 1] : 0;
    const char * why = NULL;
    if (neft_train_has_kink(net))
    {
        snprintf(msg, msgsize, "the O(1/n) trained mean of depth %ld is not computed for %s: "
                 "its kinks give an n^-1/2 term (docs/train-theory.md), derived for one "
                 "hidden layer only (--depth 2)", (long) net->depth, net->act->name);
        return NEFT_UNSUPPORTED;
    }
    if (!neft_onen_ntkm_has(net, &why) || !neft_onen_ddntkm_has(net, &why))
    {
        snprintf(msg, msgsize, "the O(1/n) trained mean of depth %ld needs the output layer's "
                 "NTK statistics, dNTK and ddNTK of several inputs, which onen lacks for "
                 "%s: %s", (long) net->depth, net->act->name,
                 why != NULL ? why : "(no reason given)");
        return NEFT_UNSUPPORTED;
    }
    if (P > NEFT_ONEN_NTKM_MAX || T > 10000)
    {
        snprintf(msg, msgsize, "the O(1/n) trained mean of a deep net takes at most %d "
                 "points (training and test; onen's several-input tensors) and 10000 steps",
                 NEFT_ONEN_NTKM_MAX);
        return NEFT_BAD_INPUT;
    }
    return NEFT_SUCCESS;
}

int
neft_train_order1_deep(double * coef, double * fmean, const neft_train_ensemble_t ens,
                       char * msg, size_t msgsize)
{
    const neft_net_struct * net = ens->sample->net;
    const slong P = ens->sample->npoints, nA = ens->ntrain, nB = P - nA;
    const slong T = ens->nsteps > 0 ? (slong) ens->steps[ens->nsteps - 1] : 0;
    _neft_o1d_tensors X;
    double * terms, * fm;
    slong s, j, k;
    int st;

    if ((st = neft_train_order1_deep_check(ens, msg, msgsize)) != NEFT_SUCCESS)
        return st;
    _neft_o1d_tensors_init(&X, P, nA, T, fmpq_get_d(ens->eta), ens->y);
    st = _neft_o1d_tensors_onen(&X, net, ens->x, ens->lambda_b, ens->lambda_w, 1, msg,
                                msgsize);
    if (st == NEFT_SUCCESS)
    {
        terms = malloc(sizeof(double) * (size_t) (_NEFT_O1D_NTERMS * (T + 1) * P));
        fm = malloc(sizeof(double) * (size_t) ((T + 1) * P));
        if (_neft_o1d_map(terms, fm, &X) != 0)
        {
            if (neft_interrupted())
            {
                snprintf(msg, msgsize, "interrupted");
                st = NEFT_INTERRUPTED;
            }
            else
            {
                snprintf(msg, msgsize, "the output layer's kernel on the training inputs is "
                         "not positive semidefinite");
                st = NEFT_FAILURE;
            }
        }
        else
            for (s = 0; s < ens->nsteps; s++)
                for (j = 0; j < nB; j++)
                {
                    const slong i = (slong) ens->steps[s] * P + nA + j;
                    double c = 0;
                    for (k = 0; k < _NEFT_O1D_NTERMS; k++)
                        c += terms[k * (T + 1) * P + i];
                    coef[s * nB + j] = c;
                    if (fmean != NULL)
                        fmean[s * nB + j] = fm[i];
                }
        free(terms);
        free(fm);
    }
    _neft_o1d_tensors_clear(&X);
    return st;
}
