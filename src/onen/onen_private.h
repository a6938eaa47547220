/* Private helpers shared by the files of src/onen/. */
#ifndef NEFT_ONEN_PRIVATE_H
#define NEFT_ONEN_PRIVATE_H

#include <math.h>
#include "neft/onen.h"
#include "neft/act.h"
#include <stdio.h>
#include "neft/interrupt.h"
#ifdef NEFT_FLINT3
#include <flint/acb_hypgeom.h>
#include <flint/arb_poly.h>
#else
#include <acb_hypgeom.h>
#include <arb_poly.h>
#endif

/* onen's entry for an activation row (src/onen/act.c): what it computes
   for it.  Every field is data or a method of that row only. */
#define ONEN_PL_NONE  0   /* not piecewise linear */
#define ONEN_PL_ZERO  1   /* z (z > 0), 0 (z < 0): relu */
#define ONEN_PL_PARAM 2   /* z (z > 0), s z (z < 0), s the net's parameter: leaky-relu */
#define ONEN_PL_ONE   3   /* z: linear */

#define ONEN_SIGMA_NONE 0 /* never integrated */
#define ONEN_SIGMA_ERF  1 /* an evaluation costs about an erf (erf, gelu) */
#define ONEN_SIGMA_TANH 2 /* about a tanh (tanh, silu, sigmoid) */

/* closed forms of the single-input moments (neft_onen_gauss_t): all of them
   or, with closed_p < 4, m[p][.] for p <= closed_p and perp; k1 = K^(1) of
   the input (GaussNet's shift) */
typedef void onen_moments_fn(neft_onen_gauss_t g, const neft_net_t net, const arb_t K,
                             const arb_t k1, slong prec);
typedef onen_moments_fn * onen_moments_func;
/* <sigma(u) sigma(v)> for (u, v) of covariance [[kaa, kab], [kab, kbb]] */
typedef void onen_pair_fn(arb_t res, const neft_net_t net, const arb_t kaa, const arb_t kbb,
                          const arb_t kab, slong prec);
typedef onen_pair_fn * onen_pair_func;
/* sigma^(j)(0), j = 0..3, into d (zeroed by the caller) */
typedef void (*onen_taylor_func)(arb_ptr d, slong prec);
/* neft_onen_vertex2 for the row (called after its checks) */
typedef int (*onen_vertex2_func)(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                                 const arb_srcptr x, slong d_in);

typedef struct
{
    const char * name;            /* the row of neft/act.h */
    int pl;                       /* ONEN_PL_*: scale-invariant (exact rationals) unless NONE */
    onen_moments_func moments;    /* NULL: every moment integrated */
    slong closed_p;               /* 4: all moments closed; 1: p = 1 and perp; 0: none */
    int bounded;                  /* the bounds below hold (else no integration) */
    double bound_a, bound_b, bound_c;   /* |sigma| <= a + b|z|, |sigma'| <= c */
    onen_pair_func pair;          /* NULL: no kernel matrix */
    onen_vertex2_func vertex2;    /* NULL: no two-input vertex */
    onen_taylor_func taylor;      /* NULL: no criticality analysis beyond scale invariance */
    int sigma_cost;               /* ONEN_SIGMA_*: the cost of one integrand evaluation */
    double closed_cost;           /* all moments closed: their cost in (exp + 4 ball ops) */
    slong max_depth;              /* 0: any depth; GaussNet: 2 */
    const char * lacks[NEFT_ONEN_CAP_COUNT];   /* NULL, or why the capability is absent */
}
onen_row_struct;

/* onen's entry of the net's activation, or NULL if it has none. */
const onen_row_struct * _neft_onen_row(const neft_net_t net);

/* |sigma(z)| <= a + b|z| and |sigma'(z)| <= c for real z: NEFT_SUCCESS, or
   NEFT_UNSUPPORTED for a row with no such bounds (GaussNet). */
int _neft_onen_act_bound(double * a, double * b, double * c, const neft_net_t net);

/* The closed forms (src/onen/closed.c), each one row's: moments of the
   piecewise-linear rows, sin, erf (p = 1 and perp), gauss; two-input
   expectations of linear, relu, leaky-relu, erf, sin, gauss (layer 1). */
onen_moments_fn _neft_onen_moments_pl, _neft_onen_moments_sin, _neft_onen_moments_erf,
    _neft_onen_moments_gauss;
onen_pair_fn _neft_onen_pair_linear, _neft_onen_pair_relu, _neft_onen_pair_leaky,
    _neft_onen_pair_erf, _neft_onen_pair_sin, _neft_onen_pair_gauss;

/* The slopes (a_+, a_-) of a piecewise-linear row (sigma(z) = a_+ z for
   z > 0, a_- z for z < 0: relu (1, 0), leaky-relu (1, slope), linear (1, 1)):
   NEFT_SUCCESS, or NEFT_UNSUPPORTED for a row that is not piecewise linear
   (src/onen/closed.c). */
int _neft_onen_pl_slopes(fmpq_t ap, fmpq_t am, const neft_net_t net);

/* The vertex2 methods: piecewise-linear rows (src/onen/vertex2.c) and
   GaussNet (src/onen/gaussnet.c). */
int _neft_onen_vertex2_pl(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                          const arb_srcptr x, slong d_in);
int _neft_onen_vertex2_gauss(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                             const arb_srcptr x, slong d_in);
/* GaussNet's closed forms for src/onen/vertex4.c: E[prod_{i<n} sigma(u_idx[i])]
   of the Q x Q layer-1 kernel K, and the pair data of two inputs */
void _neft_onen_gauss_expect(arb_t res, arb_srcptr K, slong Q, const slong * idx, slong n,
                             slong prec);
void _neft_onen_vertex4_gauss_pair(arb_t f2[3], arb_t f4[3][3], arb_t D[3][3],
                                   arb_t H[3][3][3], arb_srcptr K2, slong prec);

/* The integrated vertex of two inputs (src/onen/vertex2_gen.c): any row the
   Gaussian-expectation integrator can bound; g1 (4 balls per layer, the
   2 x 2 matrix G1) may be NULL.  Its cost estimate in operations. */
int _neft_onen_vertex2_gen(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                           const arb_srcptr x, slong d_in);
int _neft_onen_vertex2_g1_gen(arb_ptr kernels, arb_ptr vertex, arb_ptr g1,
                              const neft_onen_params_t par, const arb_srcptr x, slong d_in);
double _neft_onen_vertex2_gen_cost(const neft_onen_params_t par);

/* The width ratio n_l / n_{l-1} of the step out of layer l (src/onen/single.c). */
void _neft_onen_ratio_si(slong * num, slong * den, const neft_net_t net, slong l);

/* K^(1)_{ab} = C_b + C_W x_a.x_b / d_in for the P inputs x (P * d_in balls)
   into K[a P + b] (src/onen/kernel_matrix.c). */
void _neft_onen_kernel1(arb_ptr K, arb_srcptr x, slong P, slong d_in, const arb_t cw,
                        const arb_t cb, slong prec);

/* The net's C_W, C_b as doubles rounded up from their balls at prec (for the
   cost models; src/onen/single.c). */
void _neft_onen_cwcb_d(double * cw, double * cb, const neft_net_t net, slong prec);

/* The net's C_W, C_b as balls at prec. */
/* One layer's expectations of two inputs at the 2 x 2 kernel K (4 balls):
   f2 over the pairs (00), (01), (11), the four-factor f4[P][Q], the
   K-derivatives D[P][R] (when want_d) and H[P][R][S] (when want_h) of
   src/onen/vertex2_gen.c; k1 the inputs' 2 x 2 K^(1).  grid = 0: the
   off-diagonal expectations by Arb's integrator to prec; grid = 1: all of
   them by one 2-D panel rule (neft_gaussexp_grid_poly, absolute error about
   2^-36 of their scale; much faster, for three and more inputs).  0 or -1
   (not certified). */
int _neft_onen_vertex2_layer(arb_t f2[3], arb_t f4[3][3], arb_t D[3][3], arb_t H[3][3][3],
                             const neft_net_t net, arb_srcptr K, arb_srcptr k1, int want_d,
                             int want_h, int grid, slong prec);

/* per layer a P x P matrix m[l P^2 + a P + b] as text rows or JSON objects
   {"layer":l,<pairs>"key":[[..]]} (src/onen/write.c) */
void _neft_onen_matrices_write(FILE * out, arb_srcptr m, slong depth, slong P,
                               const char * pairs, const char * key, int format);

/* The table's vertex and G1 of 3 or 4 inputs (neft_onen_vertex_g1): t->vertex
   holds per layer the npairs x npairs matrix over the pairs a <= b, t->g1 the
   P x P G1; both NULL with t->vertex_why when not available
   (src/onen/vertex4_table.c). */
/* the pair data of vertex4.c for the piecewise-linear rows in closed form
   (src/onen/vertex4_pl.c): slope s, K2 the 2 x 2 kernel; 0 or -1 (err) */
int _neft_onen_vertex4_pl_pair(arb_t f2[3], arb_t f4[3][3], arb_t D[3][3], arb_t H[3][3][3],
                               const arb_t s, arb_srcptr K2, int want_h, slong prec,
                               char * err, size_t errsize);
void _neft_onen_table_vertex4(neft_onen_table_struct * t, const neft_onen_params_t par,
                              arb_srcptr x, slong P, slong d_in);
void _neft_onen_vertex4_write(FILE * out, arb_srcptr vertex, const char * why, slong depth,
                              slong P, int format);

#define _NEFT_ONEN_CWCB(cw, cb, net, prec) \
    do { neft_net_cw_arb(cw, net, prec); neft_net_cb_arb(cb, net, prec); } while (0)

/* the factor rows of the classes cls[0..s-1] (s x D balls) for the grid:
   at layer 1 (first) the inputs (sqrt C_b, sqrt(C_W / d_in) x), D = d_in + 1
   when that is <= 4; else the Cholesky factor of the s x s kernel (K: Q x Q),
   D = s.  0, or -1 when the kernel is not certainly positive definite
   (src/onen/vertex4.c). */
int _neft_onen_vertex4_factor(arb_ptr u, slong * D, const slong * cls, slong s, arb_srcptr K,
                              slong Q, int first, arb_srcptr xc, slong d_in, const arb_t cw,
                              const arb_t cb, slong prec);

/* The one-input Gaussian data of the O(1/n) NTK step (src/onen/ntk_var.c),
   indices of the array m */
#define M_C1   0   /* <sigma^2>_K */
#define M_C1P  1   /* d/dK */
#define M_C1PP 2   /* d^2/dK^2 */
#define M_C2   3   /* Var sigma^2 */
#define M_P    4   /* <sigma'^2>_K */
#define M_PP   5   /* d/dK */
#define M_PPP  6   /* d^2/dK^2 */
#define M_S4   7   /* <sigma'^4>_K */
#define M_X22  8   /* <sigma^2 sigma'^2>_K */
#define M_Y    9   /* <sigma sigma'^2 sigma''>_K */
#define M_N    10

/* m[0..M_N-1] at K for relu, leaky-relu, linear, tanh, erf, sin (k1 =
   K^(1), unused by these rows): 0, or -1 (some ball not finite, or a row it
   has no moments of). */
int _neft_onen_ntk1_moments(arb_ptr m, const neft_net_t net, const arb_t K, const arb_t k1,
                            slong prec);

/* <sigma''^2> at K for the ddNTK's rows (src/onen/ddntk.c): 0, or -1 */
int _neft_onen_ddntk_s2(arb_t res, const neft_net_t net, const arb_t K, slong prec);

#endif
