/* Private to src/onen/ntkm*.c: the Gaussian expectations of one layer step
   of the k-input NTK at O(1/n) (docs/onen.md, "The NTK of two inputs", "More
   inputs"). */
#ifndef NEFT_ONEN_NTKM_H
#define NEFT_ONEN_NTKM_H

#include "ntk2.h"

/* One layer's data over Q >= 2 classes of inputs at the Q x Q kernel K:
   pr[i Q + j] (i < j) the two-input data of neft_onen_ntk2 at the 2 x 2
   kernel of classes i, j, and a memo of the four-factor expectations
   E[prod_{m<4} sigma^(dv_m)(z_(in_m))] (dv = 0, 1, 2) of three and four
   distinct classes, with the grid's moment tables of tanh and sigmoid. */
typedef struct
{
    slong Q, prec, d_in;
    slong Qr;                /* classes read by the entries: Q (all inputs equal
                                never come here: src/onen/ntkm.c's one_class) */
    const neft_net_struct * net;
    arb_srcptr K, xc;        /* Q x Q kernel; the classes' inputs (layer 1) */
    arb_t cw, cb;
    int first, kind;         /* first: K is layer 1's; kind: the row */
    ntk2_gauss_struct * pr;
    arb_ptr memo;            /* (3Q)^4, by the sorted codes 3 class + dv */
    char * have;
    slong nsub;              /* tanh, sigmoid: subsets with moment tables */
    slong * sub;             /* 4 classes each (the 4th -1 for three) */
    arb_ptr * mom;           /* 6^4 moments E[prod sigma_j^k_j], k_j < 6 */
    slong xn, xa;            /* the memo of the higher factors (dv = 3 or two */
    slong * xkey;            /* dv = 2): xn keys (sorted codes 4 class + dv) */
    arb_ptr xval;            /* and values, room for xa */
    slong nhs;               /* tanh, sigmoid, the higher factors: subsets */
    slong * hsub;            /* (4 classes each, -1 padded) with tables of */
    arb_ptr * hmom;          /* E[prod sigma_j^e_j], e_j <= 10 (11^s, */
    char ** hhave;           /* computed where hhave is set) */
}
ntkm_gauss_struct;

void _neft_onen_ntkm_gauss_init(ntkm_gauss_struct * g, const neft_net_t net, slong Q,
                                slong d_in, slong prec);
void _neft_onen_ntkm_gauss_clear(ntkm_gauss_struct * g);

/* the pair data at K (Q x Q): 0, -1 (err) or NEFT_INTERRUPTED */
int _neft_onen_ntkm_gauss_set(ntkm_gauss_struct * g, arb_srcptr K, int first, arb_srcptr xc,
                              const arb_t cw, const arb_t cb, char * err, size_t errsize);

/* res = E[prod_{m<4} sigma^(dv_m)(z_(in_m))] (dv_m = 0, 1, 2; at most two
   dv = 0 and one dv = 2 unless all four are 0): at most two distinct
   classes from the pair data (pairs = 1), else computed (and memoised).
   The ddNTK's higher factors: dv_m = 1, 2, 3 with two dv = 2 or one dv = 3
   (no dv = 0; e.g. <sigma'_a sigma''_b sigma'_c sigma''_d>, <sigma'_a
   sigma'_b sigma'_c sigma'''_d>), any classes, never from the pair data
   (tanh, sigmoid: polynomials in sigma of degree <= 10 by the rigorous 1-D
   rule or the grid; erf: reweighting and Isserlis; sin: exponentials;
   piecewise linear: 0).  Other patterns: -1 with err.
   0, -1 (err) or NEFT_INTERRUPTED. */
int _neft_onen_ntkm_ex4(arb_t res, ntkm_gauss_struct * g, const slong * in, const int * dv,
                        int pairs, char * err, size_t errsize);

/* For a kinked piecewise-linear row (relu, leaky-relu; not linear): 0 when
   every s <= 4 of the Q distinct classes' inputs xc have a certainly
   nonsingular s x s layer-1 kernel, else NEFT_UNSUPPORTED with err naming
   them (the kink's angle derivatives are infinite at a singular pair and
   the three- and four-input orthant probabilities need a nonsingular
   kernel); 0 for the other rows. */
int _neft_onen_ntkm_pl_general(const neft_net_struct * net, arb_srcptr xc, slong Q, slong d_in,
                               slong prec, char * err, size_t errsize);

/* the layer's tables over Q classes (src/onen/ntkm.c); dd[] the dNTK split
   and the ddNTK (beta, alpha, R, S, T, U; NULL unless asked for) */
#define NTKM_DD 6
typedef struct
{
    arb_ptr K, th, th1, G1, V, A, D, B, F, P, Q;
    arb_ptr dd[NTKM_DD];
}
ntkm_lay_struct;

/* the pair data's single factors (src/onen/ntkm.c): e_(ac),g = <d_g
   (sigma'_a sigma_c)>, u_(ab),e = <d_e (sigma''_a sigma'_b)> (0 for kink),
   p_(ab) = <sigma'_a sigma'_b>, s2s = <sigma''_c sigma_d> (0 for the
   piecewise-linear rows) */
void _neft_onen_ntkm_efac(arb_t res, const ntkm_gauss_struct * G, slong a, slong c, slong gam);
void _neft_onen_ntkm_ufac(arb_t res, const ntkm_gauss_struct * G, slong a, slong b, slong eps,
                          int kink);
void _neft_onen_ntkm_pp(arb_t res, const ntkm_gauss_struct * G, slong a, slong b);
void _neft_onen_ntkm_s2s(arb_t res, const ntkm_gauss_struct * G, slong c, slong d, slong prec);

/* neft_onen_ntkm, and with DD not NULL (k, depth as T) also its tables
   (layer 1: 0; R, S, T, U indeterminate unless the row is piecewise
   linear).  Returns as neft_onen_ntkm. */
int _neft_onen_ntkm_run(neft_onen_ntkm_t T, neft_onen_ddntkm_struct * DD,
                        const neft_onen_params_t par, const fmpq_t lambda_b,
                        const fmpq_t lambda_w, arb_srcptr x, slong k, slong d_in, char * err,
                        size_t errsize);

/* L1->dd from L0->dd and L1's B, F (src/onen/ddntk_multi.c; docs/onen.md,
   "The ddNTK", "Several inputs"): G at L0's kernel, r = n_l/n_{l-1}.  0,
   -1 (err) or NEFT_INTERRUPTED. */
int _neft_onen_ddntkm_step(ntkm_lay_struct * L1, const ntkm_lay_struct * L0,
                           ntkm_gauss_struct * G, const arb_t r, const arb_t cw,
                           const arb_t lw, char * err, size_t errsize);

#endif
