/* Private to src/exact and src/gaussexp: the pieces of one panel
   Gauss-Legendre rule shared by grid.c (the plane, d_in = 1), gridnd.c (3 or
   4 dimensions) and src/gaussexp/grid.c (any factor matrix). */
#ifndef NEFT_EXACT_GRIDRULE_H
#define NEFT_EXACT_GRIDRULE_H

#include "exact-internal.h"
#include "../integrate/ivl.h"
#include "../integrate/gl.h"

/* The node xi = c + x_q / 2 of the n-node rule gl on the unit panel centred
   at c, with *w = (w_q / 2) e^{-xi^2/2} / sqrt(2 pi) (t: scratch). */
ivl _neft_exact_gl_node(ivl * w, double c, const _neft_gl_struct * gl, slong q, arb_t t);

/* One quadrature node with weight w and the inputs' activation values s:
   prod[node] = prod[parent] s[last] along the tuple tree from prod[0] = w,
   added to acc[node] for every node of even length. */
void _neft_exact_tree_add(ivl * acc, ivl * prod, const _neft_tuples_struct * tree, ivl w,
                          const ivl * s);

/* M[node] for the even nodes of tree: acc[node] (doubled when half: a
   declared parity, half the space integrated) with the error errs[node]
   (doubled too) plus tail[length] added; exactly 0 where
   _neft_exact_independent_zero says so.  qerr (or NULL) receives each error. */
void _neft_exact_grid_finish(arb_ptr M, double * qerr, const _neft_tuples_struct * tree,
                             const neft_exact_spec_t spec, arb_srcptr acc,
                             const double * errs, const double * tail, int half, slong prec);

/* An upper bound of e^x / (2 pi)^(D/2) (Arb; INFINITY when not finite). */
double _neft_exact_exp_norm_up(double x, slong D);

/* The distance of the interval x to 0, rounded down. */
double _neft_exact_dist_dn(ivl x);

/* An upper bound of sup |sigma| over the box re + i[-im, im] (one ball
   evaluation of the row with holomorphy certified), INFINITY when not
   certified. */
double _neft_exact_sup_box(neft_act_srcptr act, arb_srcptr par, ivl re, double im);

/* The same bound, and where one evaluation is not finite the largest over
   pieces of re of width <= 1/8 (the pieces cover re): a tanh or sigmoid
   whose argument's real range is wide but keeps away from the poles
   (src/gaussexp/grid.c's second pass). */
double _neft_exact_sup_box_split(neft_act_srcptr act, arb_srcptr par, ivl re, double im);

/* The unit panels of the cube [-R, R]^D, R = ceil(Rb) (the half xi_D > 0
   when half) that cover the ball |xi| <= Rb: *R and their number *npan are
   set, and the number of them that meet the ball |xi| < Rb returned; *gsum
   (if not NULL) gets the sum of e^{-d^2/2} over those, d the panel's
   distance to 0. */
slong _neft_exact_panel_grid(slong * R, slong * npan, double * gsum, double Rb, slong D,
                             int half);

/* An upper bound of P(chi_D > r) for D = 2, 3, 4 (Arb at 64 bits, rounded
   up; INFINITY when not finite): e^{-r^2/2}, erfc(r / sqrt 2) + sqrt(2 / pi)
   r e^{-r^2/2}, (1 + r^2/2) e^{-r^2/2}.  The Gaussian tail of the rules
   outside the ball |xi| <= r (gridnd.c, src/gaussexp/grid.c). */
double _neft_exact_chi_tail_up(double r, slong D);

#endif
