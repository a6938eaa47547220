/* neft/net.h -- a family of random networks as one value.
 *
 * A net is an activation (a row of neft/act.h with its parameter), the input
 * dimension d_in, the depth L (weight layers; L = 2 is one hidden layer), the
 * hidden widths n_1..n_{L-1}, and the initialisation hyper-parameters as
 * exact rationals with ball and double views.
 *
 * Conventions (docs/conventions.md).  Deep nets (Roberts-Yaida-Hanin):
 *   z^(1) = b + W x, z^(l+1) = b + W sigma(z^(l)), W ~ N(0, C_W / n_prev),
 *   b ~ N(0, C_b).
 * Single-hidden-layer nets (Halverson-Maiti-Stoner) are given by the standard
 * deviations sigma_w, sigma_b with W0 ~ N(0, sigma_w^2/d_in), W1 ~ N(0, sigma_w^2/N),
 * b0, b1 ~ N(0, sigma_b^2).  The one conversion: C_W = sigma_w^2, C_b = sigma_b^2
 * (a depth-2 net with those C's is the same net, drawn identically).
 *
 * Every module that computes something about a net (kernel, sample, exact,
 * onen, integrate, eval, eft, validate) reads it from here. */
#ifndef NEFT_NET_H
#define NEFT_NET_H

#include <stddef.h>
#include "neft/arbcompat.h"
#include "neft/act.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NEFT_NET_MAX_DEPTH 64   /* weight layers */

typedef struct
{
    neft_act_srcptr act;   /* the activation; NULL until set */
    fmpq_t param;          /* its user parameter (leaky-relu's slope) when
                              act->param_default != NULL, else 0 */
    slong d_in;            /* >= 1 */
    slong depth;           /* weight layers L >= 2 */
    fmpz * widths;         /* L - 1 hidden widths n_1..n_{L-1}; 0 = not given */
    fmpq_t cw, cb;         /* C_W = sigma_w^2 > 0, C_b = sigma_b^2 >= 0 */
    fmpq_t sw, sb;         /* sigma_w, sigma_b when given (flags below), else 0 */
    int sw_given, sb_given;
}
neft_net_struct;
typedef neft_net_struct neft_net_t[1];
typedef const neft_net_struct * neft_net_srcptr;

/* A net initialises to relu, d_in = 1, depth 2 with no width given,
   sigma_w = 1, sigma_b = 0 (C_W = 1, C_b = 0). */
void neft_net_init(neft_net_t net);
void neft_net_clear(neft_net_t net);
void neft_net_set(neft_net_t net, const neft_net_t src);

/* Sets the activation to the row act with its user parameter param (NULL:
   the row's default, act->param_default).  Returns NEFT_SUCCESS, or
   NEFT_BAD_INPUT with one line in err when act is NULL or a parameter is
   given to a row that has no user parameter. */
int neft_net_set_act(neft_net_t net, neft_act_srcptr act, const fmpq_t param,
                     char * err, size_t errsize);

/* The same by name ("relu", "leaky-relu", ...; param_text NULL for the
   default, else a rational as neft_points_parse_rational reads it).
   NEFT_BAD_INPUT with "unknown activation 'NAME' (expected one of ...)"
   or the parameter's error in err. */
int neft_net_set_act_name(neft_net_t net, const char * name, const char * param_text,
                          char * err, size_t errsize);

/* Depth L >= 2 (widths reset to "not given"; 0 < L <= NEFT_NET_MAX_DEPTH
   else nothing changes and -1). */
int neft_net_set_depth(neft_net_t net, slong depth);
/* Hidden width l (1 <= l <= depth - 1); all of them with _all. */
void neft_net_set_width(neft_net_t net, slong l, const fmpz_t n);
void neft_net_set_width_si(neft_net_t net, slong l, slong n);
void neft_net_set_widths_all_si(neft_net_t net, slong n);

/* Hyper-parameters.  _sigma: the standard deviations (exact), C = sigma^2;
   _c: C_W, C_b directly (sigma then not given). */
void neft_net_set_sigma(neft_net_t net, const fmpq_t sw, const fmpq_t sb);
void neft_net_set_cw(neft_net_t net, const fmpq_t cw);
void neft_net_set_cb(neft_net_t net, const fmpq_t cb);

/* NEFT_SUCCESS, or NEFT_BAD_INPUT and one line in err: no activation,
   d_in < 1, depth out of range, C_W <= 0, C_b < 0, a negative width. */
int neft_net_check(const neft_net_t net, char * err, size_t errsize);

/* Ball views (contain the exact value; exact when it is a short binary
   number): C_W, C_b; sigma_w, sigma_b (the given rational, else sqrt(C));
   the activation's parameter. */
void neft_net_cw_arb(arb_t res, const neft_net_t net, slong prec);
void neft_net_cb_arb(arb_t res, const neft_net_t net, slong prec);
void neft_net_sw_arb(arb_t res, const neft_net_t net, slong prec);
void neft_net_sb_arb(arb_t res, const neft_net_t net, slong prec);
void neft_net_param_arb(arb_t res, const neft_net_t net, slong prec);

/* Double views, fixed once for the sampler's arithmetic: sigma's double is
   the double nearest the given rational (strtod's value on decimal text),
   else sqrt of C's double; C's double is the product of sigma's double with
   itself when sigma was given, else the double nearest C. */
double neft_net_sw_d(const neft_net_t net);
double neft_net_sb_d(const neft_net_t net);
double neft_net_cw_d(const neft_net_t net);
double neft_net_cb_d(const neft_net_t net);
double neft_net_param_d(const neft_net_t net);

/* The width n_l as an slong when given and it fits (else 0). */
slong neft_net_width_si(const neft_net_t net, slong l);

/* 1 if the activation has capability cap (neft_act_has), else 0 and *reason. */
int neft_net_has(const neft_net_t net, int cap, const char ** reason);

/* neft_net_set_sigma with the exact rationals of the doubles sw, sb (so that
   neft_net_sw_d returns sw and neft_net_cw_d returns sw * sw); for callers
   that hold the standard deviations as doubles.  A non-finite double sets
   0 (and C = 0), which neft_net_check refuses for sigma_w; returns 0, or -1
   when one was not finite. */
int neft_net_set_sigma_d(neft_net_t net, double sw, double sb);

/* The hyper-parameters from texts in the DECIMAL grammar of neft/points.h
   (what strtod reads whole; "0.2" is exactly 1/5), NULL for one not given:
   sigma_w (default 1) and sigma_b (default 0), then C_W and C_b when given,
   overriding them (neft_net_set_sigma, _set_cw, _set_cb).  Returns
   NEFT_SUCCESS, or NEFT_BAD_INPUT with one line in err naming the first text
   that is not such a number, or is negative (net unchanged then). */
int neft_net_set_hyper_text(neft_net_t net, const char * sw, const char * sb,
                            const char * cw, const char * cb, char * err, size_t errsize);
/* The depth of a net for the layer recursions of neft/onen.h, which draw
   no weights: 1 <= L <= NEFT_NET_MAX_RECURSION_DEPTH (L = 1: z = b + W x,
   no hidden layer), widths reset to "not given"; else nothing changes and
   -1.  neft_net_check refuses such a depth outside 2..NEFT_NET_MAX_DEPTH:
   the modules that draw or sum over weights do not take it.  (Added for
   onen.) */
#define NEFT_NET_MAX_RECURSION_DEPTH 100000
int neft_net_set_depth_recursion(neft_net_t net, slong depth);

#ifdef __cplusplus
}
#endif

#endif
