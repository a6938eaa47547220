/* Private to src/train/order1_deep*.c: the O(1/n) trained mean of a net of
   any depth from the output layer's finite-width tensors (docs/train-theory.md,
   "Any depth: the gradient-descent map in the tensors"). */
#ifndef NEFT_TRAIN_ORDER1_DEEP_H
#define NEFT_TRAIN_ORDER1_DEEP_H

#include "neft/train.h"

/* the terms of c, in the order of _neft_o1d_tensors' inputs */
#define _NEFT_O1D_THETA1 0   /* the NTK's mean shift Theta1 */
#define _NEFT_O1D_COV    1   /* the NTK's covariance (A, B) */
#define _NEFT_O1D_DNTK   2   /* the dNTK against the prior (P, Q) */
#define _NEFT_O1D_DDNTK  3   /* the ddNTKs' means (R; S, T, U) */
#define _NEFT_O1D_NTERMS 4

/* The output layer's tensors on P points (training first, nA of them), in
   doubles, every index ordered and every ordering filled; n = n_{L-1}:
     th[a P + b], th1, K        E[H_ab] = th + th1/n, E[z_a z_b] = K + O(1/n)
     cov[((a P + b) P + c) P + d]  n Cov(H_ab, H_cd)
     dz[..abcd]                 n E[dH_abc z_d]     (here dH_abc = d^2 z_a[u_b, u_c], not onen's
                                dNTK, which is d_{u_a} H_bc)
     ddi[..abcd]                n E[ddI H_abcd]     (d^3 z_a[u_b, u_c, u_d])
     ddii[..abcd]               n E[ddII H_abcd]    ((grad d_{u_c} z_a)^T Lambda (grad d_{u_d} z_b))
   of one output (every neuron index the same), with u_a = Lambda grad z_a
   and Lambda the rates (lambda_b, lambda_W / n_{l-1}); eta the step, y the
   nA targets, T the steps. */
typedef struct
{
    slong P, nA, T;
    double eta;
    const double * y;
    double * th, * th1, * K, * cov, * dz, * ddi, * ddii;
}
_neft_o1d_tensors;

void _neft_o1d_tensors_init(_neft_o1d_tensors * X, slong P, slong nA, slong T, double eta,
                            const double * y);
void _neft_o1d_tensors_clear(_neft_o1d_tensors * X);

/* X's tensors from onen (neft_onen_ntkm, neft_onen_ddntkm) at the output
   layer of net for the P points x (P * d_in, training first) and the rates;
   rstu = 0: without the ddNTKs (ddi, ddii left 0: the rows whose
   several-input R, S, T, U onen lacks).  NEFT_SUCCESS; NEFT_UNSUPPORTED (msg: what onen lacks for the row);
   NEFT_FAILURE (msg: not certified); NEFT_INTERRUPTED. */
int _neft_o1d_tensors_onen(_neft_o1d_tensors * X, const neft_net_t net, const fmpq * x,
                           const fmpq_t lambda_b, const fmpq_t lambda_w, int rstu,
                           char * msg, size_t msgsize);

/* The gradient-descent map expanded in the tensors: terms[(k (T + 1) + t) P + p]
   the term k (_NEFT_O1D_*) of c_t(x_p), t = 0..T (c is their sum), and fmean
   [t P + p] the frozen mean (NULL: not returned).  Doubles.  0, or -1 if K_AA
   is not positive semidefinite, or after a stop request. */
int _neft_o1d_map(double * terms, double * fmean, const _neft_o1d_tensors * X);

#endif
