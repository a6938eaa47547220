/* neft/train.h -- gradient-descent training at infinite width: the frozen
 * NTK solution (docs/cmd-train.md).
 *
 * Full-batch gradient descent with step eta on the loss
 * (1/2) sum_{a in A} (f(x_a) - y_a)^2, at infinite width with the NTK
 * Theta frozen at initialisation (Roberts-Yaida-Hanin ch. 10, Lee et al.
 * 2019), moves the outputs as
 *
 *   f_t(B) = f_0(B) - M_t (f_0(A) - y),
 *   M_t    = Theta_BA Theta_AA^{-1} (I - (I - eta Theta_AA)^t)       (t steps)
 *          = Theta_BA eta sum_{k<t} (I - eta Theta_AA)^k             (no inverse)
 *   M_t    = Theta_BA Theta_AA^{-1} (I - exp(-eta t Theta_AA))       (continuous time)
 *
 * with f_0 the NNGP prior (kernel K).  Over the ensemble of initialisations
 *
 *   mean = M_t y,
 *   cov  = K_BB - M_t K_AB - K_BA M_t^T + M_t K_AA M_t^T. */
#ifndef NEFT_TRAIN_H
#define NEFT_TRAIN_H

#include "neft/posterior.h"

#ifdef __cplusplus
extern "C" {
#endif

/* mean (ntest balls) and cov (ntest x ntest) of the trained outputs at the
   test inputs after `steps` steps of size eta (continuous = 0), or at time
   `time` of gradient flow with rate eta (continuous = 1: (I - eta Theta)^t
   becomes exp(-eta t Theta), which needs Theta_AA certified invertible).
   K and Theta: (ntrain + ntest)^2 matrices, training inputs first; y the
   ntrain targets.  The discrete sum is evaluated by binary powering
   (O(log t) matrix products).  0, or -1 if a ball is not finite or
   Theta_AA is not certified invertible (continuous), or after a stop
   request (mean, cov indeterminate). */
int neft_train_frozen(arb_ptr mean, arb_mat_t cov, const arb_mat_t K, const arb_mat_t Theta,
                      slong ntrain, arb_srcptr y, const arb_t eta, ulong steps,
                      const arb_t time, int continuous, slong prec);

/* The discrete case in exact rationals (rational K, Theta, eta):
   NEFT_SUCCESS, or NEFT_INTERRUPTED after a stop request.  The rationals
   grow about linearly in the number of steps. */
int neft_train_frozen_exact(fmpq * mean, fmpq_mat_t cov, const fmpq_mat_t K,
                            const fmpq_mat_t Theta, slong ntrain, const fmpq * y,
                            const fmpq_t eta, ulong steps);

#ifdef __cplusplus
}
#endif
#endif
