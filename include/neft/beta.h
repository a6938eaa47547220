/* neft/beta.h -- beta functions of the couplings of a theory from
 * dG_n/dlog(cutoff) = 0 (docs/cmd-beta.md).
 *
 * Every connected function G_n(x; L) = sum_t c_t m_t(g) I_t(x; L) is a sum
 * of terms, each a coupling monomial m_t times a vertex integral over the box
 * [-L, L]^d_in, to the order of the expansion in 1/N (docs/eft.md, "Power
 * counting").  Requiring dG_n/dlog L = 0 at every tuple of inputs gives
 *     sum_t c_t [ sum_g (d m_t / d g) beta_g I_t + m_t L dI_t/dL ] = 0,
 * linear in the betas.  With beta_g = sum_M b_{g,M} M a polynomial in the
 * couplings (its monomials M of orders order(g) .. K), the coefficient of
 * every monomial of the identity vanishes: one linear system per monomial M,
 * in the b_{g,M} of the couplings g, over the tuples of every coupling's own
 * correlator (G_legs(g)); its design matrix is the fit's (the couplings'
 * trees), the right-hand side the boundary derivatives L dI_t/dL
 * (neft_integrate_term_dcutoff) and the b of lower monomials.  Solved by
 * least squares as the fits are (each correlator's rows weighted by the
 * inverse root-mean-square of its trees, so that G4 and G6 count alike), the
 * coefficients are balls containing the least-squares solution for the given
 * inputs; the per-tuple values show how far a single tuple's answer
 * spreads (a local vertex: no spread). */
#ifndef NEFT_BETA_H
#define NEFT_BETA_H

#include <stdio.h>
#include "neft/arbcompat.h"
#include "neft/theory.h"
#include "neft/expand.h"
#include "neft/kernel.h"
#include "neft/integrate.h"
#include "neft/eft.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NEFT_BETA_MAX_MONO 32

typedef struct
{
    slong order;                /* the order K in 1/N */
    slong ncpl;                 /* couplings of the theory */
    const neft_theory_struct * theory;      /* (the expansions' copy) */
    int has[NEFT_THEORY_COUPLINGS_MAX];     /* 1: the coupling's tree enters its own
                                               correlator at order K: it has a beta */
    slong ncorr;                /* correlators used: distinct legs of those couplings */
    slong npt[NEFT_THEORY_COUPLINGS_MAX];
    neft_expansion_struct ex[NEFT_THEORY_COUPLINGS_MAX];    /* their terms at order K */
    slong ntuples[NEFT_THEORY_COUPLINGS_MAX];
    slong nmono;                /* the monomials M of the betas, by increasing order */
    neft_eft_mono_struct mono[NEFT_BETA_MAX_MONO];
    slong ncut;
    arb_ptr L;                  /* the cutoffs */
    int * present;              /* [g * nmono + M]: b_{g,M} is not structurally 0 */
    arb_ptr b;                  /* [(cut * ncpl + g) * nmono + M] */
    double * lo, * hi;          /* the same: range of the per-tuple values (midpoints;
                                   NAN when no tuple gives one) */
    int status;                 /* the worst integration status */
    arb_ptr * I, * D;           /* per correlator: [(cut * terms + t) * tuples + r] the
                                   term's integral (with its coefficient left out) and
                                   cutoff dI/dcutoff */
    slong data_g;               /* neft_beta_set_data: the coupling (-1: none) */
    arb_ptr data_formula, data_fit;     /* per cutoff (NULL: n/a) */
}
neft_beta_struct;
typedef neft_beta_struct neft_beta_t[1];

void neft_beta_init(neft_beta_t B);
void neft_beta_clear(neft_beta_t B);

/* Computes the betas of the couplings of th at order K >= 1 in 1/N (the
   expansions of each coupling's own connected correlator, pruned with
   prune) for the kernel k on the n inputs x (d_in coordinates each; every
   sorted tuple of them enters), at the ncut finite positive cutoffs L, with
   integrals at prec bits.  Returns NEFT_SUCCESS (or NEFT_NO_CONVERGENCE: some
   integral wider than asked, the balls still hold), NEFT_BAD_INPUT (a
   theory without power counting, too many monomials), NEFT_UNSUPPORTED (an
   integral or derivative neft cannot do, e.g. d_in >= 2) or
   NEFT_INTERRUPTED, one line in err. */
int neft_beta_compute(neft_beta_t B, const neft_theory_t th, unsigned prune, slong order,
                      const neft_kernel_t k, arb_srcptr x, slong n, arf_srcptr L, slong ncut,
                      const neft_integrate_opt_t opt, slong prec, char * err, size_t errlen);

/* b_{g,M}: the coefficient of monomial M in beta_g at cutoff cut (NULL when
   g has no beta or M is not in it structurally). */
arb_srcptr neft_beta_coeff(const neft_beta_t B, slong cut, slong g, slong M);

/* The index of the monomial that is coupling g alone (beta_g = b g + ..:
   b = d log g / d log L at leading order), or -1. */
slong neft_beta_linear(const neft_beta_t B, slong g);

/* For coupling g whose own correlator has one term at the order (its
   tree, c I_t: the first-order fit), with weights 1/s_t^2 (s NULL: unit),
   over the tuples of B (all sorted tuples of the inputs, lexicographic):
   formula = beta_g / g = -sum_t w_t I_t D_t / sum_t w_t I_t^2, and, with the
   correlator's data G (NULL: not wanted), the running of the coupling
   fitted to G by least squares, lambda(L) = sum w c I G / sum w (c I)^2:
   fit = d log lambda / d log L = (sum_t w_t c D_t G_t - 2 lambda sum_t w_t c^2 I_t D_t)
   / (lambda sum_t w_t c^2 I_t^2), which is formula + sum_t w_t c D_t r_t /
   (lambda sum_t w_t c^2 I_t^2) with r = G - lambda c I the fit's residuals:
   the two agree exactly when the vertex is local (r = 0).  Returns 1, or 0
   (nothing set) when g has no such correlator or the sums may vanish
   (fit indeterminate when lambda may be 0). */
int neft_beta_fit_running(arb_t formula, arb_t fit, const neft_beta_t B, slong cut, slong g,
                          arb_srcptr G, arb_srcptr s, slong prec);

/* neft_beta_fit_running at every cutoff for coupling g with the data G,
   s (as there), kept in B for neft_beta_write (G NULL: the fit's column
   indeterminate, written n/a / null).  Returns 1, or 0 when it is
   n/a at some cutoff (nothing kept). */
int neft_beta_set_data(neft_beta_t B, slong g, arb_srcptr G, arb_srcptr s, slong prec);

/* Next to the measured running R of coupling g (set by neft_eft_local from
   the fits of `neft fit`): beta_g/g from the formula at the intervals'
   points R->x (neft_beta_compute on the data's inputs, weights 1/w_t^2 as
   the fit's, w NULL: unit) and, for exact data, the fitted coupling's
   d log g/d log L there (neft_beta_fit_running), stored with
   neft_eft_local_set_formula.  The data's tuples must be all the sorted
   tuples of its inputs, g's correlator its tree alone at the order.
   Statuses as neft_beta_compute (NEFT_BAD_INPUT, NEFT_UNSUPPORTED for the
   cases above). */
int neft_beta_local(neft_eft_local_struct * R, const neft_theory_struct * th, unsigned prune,
                    slong order, slong g, const neft_kernel_struct * k,
                    const neft_eft_data_struct * D, arb_srcptr w,
                    const neft_integrate_opt_struct * opt, slong prec, char * err,
                    size_t errlen);

#define NEFT_BETA_TEXT  0
#define NEFT_BETA_JSON  1
#define NEFT_BETA_LATEX 2

/* Writes the symbolic betas (the terms of each correlator, the equations
   dG/dlog L = 0 and the least-squares solution) and their coefficients at
   every cutoff, in text, JSON or LaTeX; about: a line on the kernel and
   inputs (NULL: none). */
void neft_beta_write(FILE * out, const neft_beta_t B, const char * about, int format);

#ifdef __cplusplus
}
#endif
#endif
