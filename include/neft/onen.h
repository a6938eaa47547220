/* neft/onen.h -- deep MLPs in the 1/n expansion, layer by layer.
 *
 * Network (Roberts-Yaida-Hanin conventions): z^(1) = b + W x with
 * E[W^2] = C_W/n_0, and z^(l+1) = b + W sigma(z^(l)) with E[W^2] = C_W/n_l,
 * E[b^2] = C_b.  Conditioned on layer l, z^(l+1) is Gaussian with covariance
 * G^(l+1) = C_b + (C_W/n_l) sum_j sigma(z_j)sigma(z_j); all quantities here
 * are the cumulants of that random matrix (docs/onen.md):
 *
 *   E[G^(l)]        = K^(l) + G1^(l)/n_{l-1} + O(1/n^2)
 *   kappa_k(G^(l))  = v_{2k}^(l) / n_{l-1}^(k-1) + O(1/n^k)      (v_4 = V)
 *   kappa_2(G^(l))  = V^(l)/n_{l-1} + V1^(l)/n_{l-1}^2 + O(1/n^3)
 *
 * so that for one neuron E[z^2] = K + G1/n and the connected
 * E[z^{2k}]_c = (2k-1)!! v_{2k}/n^{k-1}.  Layer 1 is Gaussian: V = G1 = 0.
 */
#ifndef NEFT_ONEN_H
#define NEFT_ONEN_H

#include <stdio.h>
#include "neft/arbcompat.h"
#include "neft/net.h"
#include "neft/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- activations ------------------------------------------------------ */

/* The activation is the net's row of neft/act.h (with its parameter:
   leaky-relu's slope).  What onen computes for a row is the row's entry in
   onen's own table (src/onen/act.c); a capability a row lacks is refused
   with NEFT_UNSUPPORTED (or the function's failure value) and a reason
   naming the row, never computed by another row's code. */
#define NEFT_ONEN_CAP_MOMENTS   0   /* single-input Gaussian moments (closed or integrated) */
#define NEFT_ONEN_CAP_EXACT     1   /* the recursion in exact rationals (scale-invariant) */
#define NEFT_ONEN_CAP_KERNEL    2   /* several inputs: two-input expectations in closed form */
#define NEFT_ONEN_CAP_VERTEX2   3   /* two inputs: the four-point vertex in closed form */
#define NEFT_ONEN_CAP_CRITICAL  4   /* criticality and universality class */
#define NEFT_ONEN_CAP_DEEP      5   /* depth L > 2 (more than one hidden layer) */
#define NEFT_ONEN_CAP_COUNT     6

/* 1 if onen has capability cap for the net's activation; else 0 and, when
   reason is not NULL, *reason a sentence naming the row and what it lacks
   (static storage). */
int neft_onen_has(const neft_net_t net, int cap, const char ** reason);

/* The depth the net's activation allows (neft_onen_has(.., NEFT_ONEN_CAP_DEEP)):
   NEFT_SUCCESS, or NEFT_UNSUPPORTED with the reason in *reason (GaussNet:
   depth <= 2). */
int neft_onen_check_depth(const neft_net_t net, const char ** reason);

/* 1 for the scale-invariant activations (relu, leaky-relu, linear): their
   Gaussian moments are exact rationals times powers of K. */
int neft_onen_is_scale_invariant(const neft_net_t net);

/* res = sigma(z) (deriv = 0) or sigma'(z) (deriv = 1) on complex balls, the
   row's ball evaluator with the net's parameter.  Non-finite where the
   function is not holomorphic on z (ReLU kinks, poles of tanh/sigmoid):
   safe as an acb_calc_integrate integrand.  Indeterminate for a row whose
   parameter is not the net's (GaussNet's k, set per input). */
void neft_onen_act_eval_acb(acb_t res, const neft_net_t net, const acb_t z,
                            int deriv, slong prec);

/* ---- Gaussian expectations, one input ------------------------------- */

/* Derivatives in K of the even moments of sigma under z ~ N(0, K):
   m[p][b] = d^b/dK^b <sigma(z)^{2p}>_K for 1 <= p <= 4, 0 <= b <= 4 - p;
   perp = <sigma'(z)^2>_K.  Closed forms where the row has them (relu,
   leaky-relu, linear, sin, gauss: all; erf: p = 1 and perp), otherwise
   rigorous ball integration (Gaussian tail bounded explicitly).  Never
   wrong: at worst infinite balls.  GaussNet's sigma(z) = exp(z - k) needs
   k = K^(1) of the input, given as k1 (the other rows ignore it). */
typedef struct
{
    arb_struct m[5][4];
    arb_struct perp;
}
neft_onen_gauss_struct;
typedef neft_onen_gauss_struct neft_onen_gauss_t[1];

void neft_onen_gauss_init(neft_onen_gauss_t g);
void neft_onen_gauss_clear(neft_onen_gauss_t g);
/* Returns 0 if every ball is finite, else -1 (also for a row onen has no
   moments of).  K must be > 0 unless every moment is in closed form. */
int neft_onen_gauss_eval(neft_onen_gauss_t g, const neft_net_t net, const arb_t K,
                         const arb_t k1, slong prec);

/* Cost estimate of neft_onen_gauss_eval(g, act, K, prec) in operations
   (about one double multiply-add each, ball operations weighted by their
   time; docs/library.md): about 15 elementary functions for the closed
   forms (scale-invariant; 30 for sin and gauss), otherwise per numerical integral (6 for
   erf, 11 for the others) 8 prec + 400 integrand evaluations of the
   activation, an exp and a few products (measured, rounded up), more for
   tanh and the logistic functions at K > 1e7 (their poles come close to the
   real line), up to the limit of 10^6 per integral. */
double neft_onen_gauss_cost(const neft_net_t net, double K, slong prec);

/* E[F(sqrt(K) xi) He_{2b}(xi)] for xi ~ N(0,1), F = sigma^{2p} (or sigma'^2
   when p = 0), sigma the net's activation: the integration fallback,
   exposed for tests.  0, or -1 (indeterminate res) when the integral could
   not be certified or the row declares no growth bound for its tail. */
int neft_onen_gauss_integrate(arb_t res, const neft_net_t net, const arb_t K,
                              slong p, slong b, slong prec);

/* Exact moments of the scale-invariant activations: <sigma^{2p}>_K = mu_p K^p,
   <sigma'^2>_K = mu_perp (p = 0).  NEFT_SUCCESS, or NEFT_UNSUPPORTED for
   other activations. */
int neft_onen_exact_moment(fmpq_t mu, const neft_net_t net, slong p);

/* ---- single-input recursion ----------------------------------------- */

typedef struct
{
    slong layer;
    slong width;      /* n_{l-1}: the width normalising V, G1, v6, v8 (0 = none) */
    arb_t K, chi_par, chi_perp, V, G1, v6, v8;
    arb_t V1;         /* next order of the variance: kappa_2(G) = V/n + V1/n^2 + O(1/n^3) */
}
neft_onen_layer_struct;

/* The network and the working precision.  net holds the activation (and its
   parameter), C_W and C_b (exact; the recursions use their balls at prec),
   the depth L (neft_net_set_depth_recursion: 1 <= L <= 100000) and the
   hidden widths n_1..n_{L-1}: only their ratios enter the coefficients,
   and widths not given mean equal widths. */
typedef struct
{
    neft_net_t net;
    slong prec;
    int kernel_only;  /* several inputs (neft_onen_table): the kernel matrix only, no vertex
                         or G1 (`neft onen --kernel-only`); 0 after init */
    /* progress of the multi-input vertex (neft_onen_vertex_g1): called after every
       pair, triple and quadruple of inputs with the work done and the total (in the
       units of neft_onen_vertex_cost); NULL after init */
    void (*progress)(void * arg, double done, double total);
    void * progress_arg;
}
neft_onen_params_struct;
typedef neft_onen_params_struct neft_onen_params_t[1];

void neft_onen_params_init(neft_onen_params_t par);
void neft_onen_params_clear(neft_onen_params_t par);

neft_onen_layer_struct * neft_onen_layers_init(slong depth);
void neft_onen_layers_clear(neft_onen_layer_struct * layers, slong depth);

/* Runs the recursion from K^(1) = k1 through layer par->net->depth, filling
   layers[0..depth-1] (layer l in layers[l-1]).  chi_par, chi_perp of layer l
   are the susceptibilities at K^(l) (they drive the step l -> l+1).  Returns
   0, or -1 if some ball became non-finite (the rest are then infinite) or
   after a stop request (neft/interrupt.h; the functions of this module
   return their failure value then, and the caller tells the two apart by
   neft_interrupted()); NEFT_UNSUPPORTED (every ball indeterminate) when
   the depth is more than the activation allows (neft_onen_check_depth). */
int neft_onen_single(neft_onen_layer_struct * layers, const neft_onen_params_t par,
                     const arb_t k1);

/* Cost estimate of neft_onen_single(layers, par, k1) (k1 as a double):
   per layer one neft_onen_gauss_eval (neft_onen_gauss_cost at an upper
   bound of K^(l), from |sigma(z)| <= a + b|z|) and about 200 ball
   operations of the recursion; *bytes the layer table (7 balls per layer). */
void neft_onen_single_cost(double * ops, double * bytes, const neft_onen_params_t par,
                           double k1);

/* The same recursion in exact rationals, for scale-invariant activations:
   C_W, C_b, depth and widths read exactly from the net, K^(1) = k1.  Arrays
   of length depth.  NEFT_SUCCESS; NEFT_UNSUPPORTED if the activation is not
   scale-invariant; NEFT_INTERRUPTED after a stop request (neft/interrupt.h;
   the layers from there on unset). */
typedef struct
{
    fmpq_t K, chi_par, chi_perp, V, G1, v6, v8;
    fmpq_t V1;        /* kappa_2(G) = V/n + V1/n^2 + O(1/n^3) */
}
neft_onen_exact_struct;

neft_onen_exact_struct * neft_onen_exact_init(slong depth);
void neft_onen_exact_clear(neft_onen_exact_struct * layers, slong depth);
int neft_onen_single_exact(neft_onen_exact_struct * layers, const neft_net_t net,
                           const fmpq_t k1);

/* Cost estimate of neft_onen_single_exact with the same arguments (0 for
   an activation that is not scale-invariant).  The rationals grow: with
   c = C_W mu_1 = p/q, K^(l+1) = C_b + c K^(l) has about l B more bits than
   K^(1), B = 2 max(log2 |p|, log2 q) (0 when c = 1), and v8^(l) four times
   as many.  *ops: per layer about 60 rational operations, the largest on
   b_l-bit operands costing about 4 (b_l/64)^2 together (GMP's gcd is
   quadratic at these sizes; fitted to relu and leaky-relu runs up to 10^5
   bits, within a factor 10 above); *bytes: the table, about 12 l B bits
   per layer.  *bits: the size of the largest rational, for messages. */
void neft_onen_single_exact_cost(double * ops, double * bytes, double * bits,
                                 const neft_net_t net, const fmpq_t k1);

/* ---- several inputs --------------------------------------------------- */

/* Leading-order kernel matrix: K^(1)_{ab} = C_b + C_W x_a.x_b/n_0, then
   K^(l+1) = C_b + C_W <sigma sigma>_{K^(l)}.  kernels[(l-1)*P*P + a*P + b].
   Two-input Gaussian expectations in closed form for relu, leaky-relu,
   linear, erf, sin and gauss (depth 2); NEFT_UNSUPPORTED (indeterminate
   balls) for the other activations, -1 if a ball is not finite. */
int neft_onen_kernel_matrix(arb_ptr kernels, const neft_onen_params_t par,
                            const arb_srcptr x, slong npoints, slong d_in);

/* Cost estimate of neft_onen_kernel_matrix: npoints^2 d_in products for
   K^(1), then per layer and pair of inputs one closed-form two-input
   expectation (a few elementary functions); *bytes the depth P^2 balls. */
void neft_onen_kernel_matrix_cost(double * ops, double * bytes, const neft_onen_params_t par,
                                  slong npoints, slong d_in);

/* Two inputs: the leading-order kernel matrix and four-point vertex
   per layer,
     V^(l)_{(ab)(cd)} = lim n_{l-1} Cov(G^(l)_ab, G^(l)_cd),
   so that E[z_a z_b z_c z_d]_c = (V_{(ab)(cd)} + V_{(ac)(bd)} + V_{(ad)(bc)})/n_{l-1}
   + O(1/n^2).  kernels[(l-1)*4 + 2a + b]; vertex[(l-1)*9 + 3P + Q] with the
   pairs P, Q = 0: (00), 1: (01), 2: (11).  Gaussian expectations in closed form
   for relu, leaky-relu, linear (exact sector integrals of trigonometric
   polynomials) and GaussNet (depth 2: Gaussian moments of exponentials),
   rigorous 2-D integrals for every other row with declared bounds
   (neft_onen_vertex2_g1; docs/onen.md).  x holds the two inputs (2 * d_in).
   Returns 0; NEFT_UNSUPPORTED for other activations (indeterminate balls);
   -1 if a ball became non-finite. */
int neft_onen_vertex2(arb_ptr kernels, arb_ptr vertex, const neft_onen_params_t par,
                      const arb_srcptr x, slong d_in);

/* Two inputs, every activation the Gaussian-expectation integrator can bound
   (neft_gaussexp_supported: relu, leaky-relu and linear too, by the same
   integrals): the kernel matrix, the vertex as neft_onen_vertex2 and the
   O(1/n) shift of the kernel, E[G^(l)_ab] = K^(l)_ab + G1^(l)_ab / n_{l-1},
   g1[(l-1)*4 + 2a + b]; rigorous 2-D integrals with polynomial weights
   (neft_gaussexp_poly; src/onen/vertex2_gen.c, docs/onen.md).  This is the
   method of neft_onen_vertex2 for the rows without a closed form.  Returns 0;
   NEFT_UNSUPPORTED (indeterminate balls) for a row the integrator cannot
   bound (gauss) or a depth the row does not allow; -1 (indeterminate) if
   an integral was not certified (coincident inputs: K singular) or after a
   stop request. */
int neft_onen_vertex2_g1(arb_ptr kernels, arb_ptr vertex, arb_ptr g1,
                         const neft_onen_params_t par, const arb_srcptr x, slong d_in);

/* The kernel matrix, the four-point vertex and the O(1/n) kernel shift of
   P inputs x (P * d_in balls) for every layer: kernels[(l-1) P^2 + a P + b],
   vertex[(l-1) P^4 + ((a P + b) P + c) P + d] = V^(l)_(ab)(cd) (every
   ordering filled), g1 (NULL: not computed) like kernels; the multi-input
   recursion of RYH ch. 4 with the pair expectations of
   neft_onen_vertex2_g1 and the three- and four-input ones by
   neft_gaussexp_grid (src/onen/vertex4.c, docs/onen.md).  Equal inputs are
   one input.  Needs a row neft_gaussexp_supported accepts and, with three
   or more distinct inputs, a bounded analytic row
   (neft_gaussexp_grid_applies) and kernels certainly positive definite on
   them at layers >= 2.  Returns NEFT_SUCCESS, NEFT_UNSUPPORTED (err: why),
   NEFT_FAILURE (not certified: err), NEFT_INTERRUPTED; on failure every
   output is indeterminate. */
int neft_onen_vertex_g1(arb_ptr kernels, arb_ptr vertex, arb_ptr g1,
                        const neft_onen_params_t par, arb_srcptr x, slong P, slong d_in,
                        char * err, size_t errsize);

/* Cost estimate of neft_onen_vertex_g1 for P inputs (operations, bytes). */
void neft_onen_vertex_cost(double * ops, double * bytes, const neft_onen_params_t par, slong P);

/* Cost estimate of neft_onen_vertex2: per layer the 3 x 3 vertex, a few
   hundred ball operations and elementary functions; *bytes 13 balls per
   layer. */
void neft_onen_vertex2_cost(double * ops, double * bytes, const neft_onen_params_t par,
                            slong d_in);

/* ---- criticality, universality, asymptotics ------------------------- */

#define NEFT_ONEN_CLASS_SCALE_INVARIANT 0
#define NEFT_ONEN_CLASS_K0              1   /* K* = 0, sigma(0) = 0, a1 < 0 */
#define NEFT_ONEN_CLASS_K0_UNSTABLE     2   /* K* = 0 critical but a1 >= 0 */
#define NEFT_ONEN_CLASS_NONZERO         3   /* critical at some K* > 0 */
#define NEFT_ONEN_CLASS_NONE            4

typedef struct
{
    int cls;
    arb_t cw, cb, kstar;   /* the critical point (kstar = 0 for the K*=0 class) */
    arb_t a1;              /* K*=0 class: K^(l+1) = K + a1 K^2 + ..., K ~ 1/(-a1 l) */
    arb_t slope;           /* scale-invariant: V/K^2 = slope (l-1) at criticality */
    slong nroots;          /* K* > 0 solutions found with C_b >= 0 */
}
neft_onen_crit_struct;
typedef neft_onen_crit_struct neft_onen_crit_t[1];

void neft_onen_crit_init(neft_onen_crit_t c);
void neft_onen_crit_clear(neft_onen_crit_t c);

/* Classifies the activation and finds its critical (C_b, C_W): chi_par =
   chi_perp = 1 at the fixed point K*.  For K* > 0 this is <sigma sigma''>_K* = 0
   (docs/onen.md), searched on (0, kmax] by sign changes of that ball and
   bisection.  Returns 0 (c filled), or NEFT_UNSUPPORTED for an activation
   onen has no criticality analysis of (c indeterminate). */
int neft_onen_critical(neft_onen_crit_t c, const neft_net_t net, double kmax,
                       slong prec);

/* Local power law of a positive sequence y[0..n-1] at layers l = first..:
   exponent p = log(y_n/y_{n-1}) / log(l_n/l_{n-1}) at the last two layers and
   coefficient y_n / l_n^p (midpoints; a fit, not a bound). */
void neft_onen_power_fit(double * p, double * coef, const double * y, slong n, slong first);

/* ---- output (src/onen/write.c) ---------------------------------------- */

/* The writers of the results above, on the stream they are given (the
   library prints nowhere else): text tables or JSON (balls as
   neft_json_write_arb with 20 digits, exact rationals as strings);
   docs/cmd-onen.md shows both. */
#define NEFT_ONEN_FORMAT_TEXT 0
#define NEFT_ONEN_FORMAT_JSON 1

/* The critical point of act: text lines, or one JSON object and a newline. */
void neft_onen_crit_write(FILE * out, const neft_onen_crit_t c, const neft_net_t net,
                          int format);

/* The layer table of one input: text rows (the exact rationals E when not
   NULL, else balls), or the JSON member "layers":[..] (with "exact" per
   layer when E is not NULL). */
void neft_onen_layers_write(FILE * out, const neft_onen_layer_struct * L,
                            const neft_onen_exact_struct * E, slong depth, int format,
                            slong prec);

/* The local power laws of K, V/K^2, v6/K^3, v8/K^4 at the last layers
   (neft_onen_power_fit): text lines, or the JSON member ,"asymptotics":{..}. */
void neft_onen_asymptotics_write(FILE * out, const neft_onen_layer_struct * L, slong depth,
                                 int format, slong prec);

/* The kernel matrices of neft_onen_kernel_matrix (kernels NULL: not
   available, a text note with the reason why) and the vertex of
   neft_onen_vertex2 (vertex NULL: likewise): text blocks per layer, or the
   JSON members ,"kernel":[..] and ,"vertex":[..]. */
void neft_onen_kernel_matrix_write(FILE * out, arb_srcptr kernels, const char * why,
                                   slong depth, slong npoints, int format);
void neft_onen_vertex2_write(FILE * out, arb_srcptr vertex, const char * why, slong depth,
                             int format);
/* The 2 x 2 O(1/n) kernel shift G1 of neft_onen_vertex2_g1 per layer (NULL:
   a text note with why): text blocks, or the JSON member ,"g1":[..]. */
/* As neft_onen_g1_write for P inputs (P x P matrices per layer). */
void neft_onen_g1_write_n(FILE * out, arb_srcptr g1, const char * why, slong depth, slong P,
                          int format);
void neft_onen_g1_write(FILE * out, arb_srcptr g1, const char * why, slong depth, int format);

/* ---- the tables of `neft onen` (src/onen/table.c) --------------------- */

typedef struct
{
    slong depth, npoints, prec;
    neft_onen_layer_struct ** layers;   /* per input */
    neft_onen_exact_struct ** exact;    /* per input; NULL entries unless scale-invariant */
    arb_ptr kernel;                     /* npoints > 1: depth * P^2 balls, NULL if unavailable */
    arb_ptr vertex;                     /* npoints == 2: 9 * depth balls, NULL if unavailable */
    arb_ptr g1;                         /* npoints == 2: the 2 x 2 G1 per layer
                                           (neft_onen_vertex2_g1), NULL if unavailable */
    const char * kernel_why, * vertex_why, * g1_why;   /* why unavailable (static storage) */
}
neft_onen_table_struct;
typedef neft_onen_table_struct neft_onen_table_t[1];

void neft_onen_table_init(neft_onen_table_t t);
void neft_onen_table_clear(neft_onen_table_t t);

/* K^(1) = C_b + C_W x.x / d_in of one input x (d_in coordinates; C_W, C_b
   of the net). */
void neft_onen_point_k1(fmpq_t k1, const fmpq * x, slong d_in, const neft_net_t net);

/* The recursion at npoints inputs (coords, npoints * d_in rationals, or
   K^(1) = k1 for the one input when coords is NULL): layers in balls, in
   exact rationals for the scale-invariant activations, and for several
   inputs the kernel matrix and, for two, the four-point vertex.  Returns 0;
   -1 if input *bad gives K^(1) = 0 and the activation's Gaussian integrals
   need K > 0 (bad input); -2 if the layers of input *bad could not be
   certified (or a stop request, neft/interrupt.h); NEFT_UNSUPPORTED if the
   depth is more than the activation allows (neft_onen_check_depth). */
int neft_onen_table(neft_onen_table_t t, const neft_onen_params_t par, const fmpq_t k1,
                    const fmpq * coords, slong npoints, slong d_in, slong * bad);

/* Cost estimate of neft_onen_table with the same arguments, and of its
   output held in memory in the given format: *ops, *bytes as in
   neft_onen_single_cost; *maxbits the largest exact rational (0 if none). */
void neft_onen_table_cost(double * ops, double * bytes, double * maxbits,
                          const neft_onen_params_t par, const fmpq_t k1, const fmpq * coords,
                          slong npoints, slong d_in, int format);

/* The run neft_onen_table_cost (or neft_onen_compare_cost) estimates, for
   messages: "P inputs x L layers of ACT at B bits", and ", exact rationals
   of up to X bits" when maxbits > 0 (truncated to size). */
void neft_onen_describe_run(char * how, size_t size, const neft_onen_params_t par,
                            slong npoints, double maxbits);

/* Writes a table: a header naming the net's activation, C_W, C_b and the
   depth, the layers (and fit) of every input, the kernel matrix and vertex;
   text, or one JSON object and a newline. */
void neft_onen_table_write(FILE * out, const neft_onen_table_t t, const neft_net_t net,
                           int format);

/* ---- option values (src/onen/parse.c) --------------------------------- */

/* "3", "-1/2", "0.25", "1e-3", "2.5E2" -> the exact rational; 0, or -1 if
   s is not such a number. */
int neft_onen_parse_rational(fmpq_t q, const char * s);

/* Parses points "x1;x2;.." of d_in coordinates separated by ','; returns
   the number of points or -1.  *coords gets npoints * d_in rationals (and
   *capp the number initialised, to be cleared by the caller, also on -1). */
slong neft_onen_parse_points(fmpq ** coords, slong * capp, const char * text, slong d_in);
void neft_onen_points_clear(fmpq * coords, slong cap);

/* Parses the hidden widths "n_1,..,n_{L-1}" (depth L; one width for L = 1)
   into widths[0..]: integers in [1, WORD_MAX/4].  Returns 0, or -1 with
   "--widths expects ..." or "--widths must be between ..." in err. */
int neft_onen_parse_widths(slong * widths, const char * text, slong depth, char * err,
                           size_t errsize);

/* ---- formulas -------------------------------------------------------- */

#define NEFT_ONEN_FORMULA_TEXT  0
#define NEFT_ONEN_FORMULA_LATEX 1
/* Writes the recursions (K, chi, V, G1, v6, v8; and the multi-input V) in
   the notation of docs/onen.md.  Returns 0 or -1 on a write error. */
int neft_onen_formulas(FILE * out, int style);

/* ---- comparison with sampled correlators ---------------------------- */

/* One measured correlator from `neft sample --format json`. */
typedef struct
{
    slong npt;
    slong idx[8];
    double full_mean, full_err, conn_mean, conn_err;
}
neft_onen_measured_struct;

typedef struct
{
    slong models;
    slong npoints, d_in;
    double * inputs;                        /* npoints * d_in */
    slong ncorr;
    neft_onen_measured_struct * corr;
    /* the sampled networks, as the file says (absent keys: not known) */
    char activation[32];                    /* "" when absent */
    slong depth;                            /* 0 when absent */
    slong nwidths;                          /* -1 when absent */
    slong * widths;                         /* nwidths hidden widths */
    slong width;                            /* 0 when absent */
    int have_cw, have_cb;
    double cw, cb;                          /* C_W, C_b ("cw", "cb", else sw^2, sb^2) */
    int have_param;
    double param;                           /* the activation's user parameter, under
                                               the row's name for it ("slope") */
}
neft_onen_samples_struct;
typedef neft_onen_samples_struct neft_onen_samples_t[1];

void neft_onen_samples_init(neft_onen_samples_t s);
void neft_onen_samples_clear(neft_onen_samples_t s);
/* Reads the JSON of `neft sample --format json` (DESIGN.md), checked by
   neft_json_read_correlators (flags: NEFT_JSON_IGNORE_DIGEST or 0).  On bad
   input returns -1 and writes "PATH:LINE: what was expected" into err. */
int neft_onen_samples_read(neft_onen_samples_t s, const char * path, char * err,
                           size_t errsize);
int neft_onen_samples_read_flags(neft_onen_samples_t s, const char * path, int flags,
                                 char * err, size_t errsize);

/* Relative tolerance of the C_W, C_b comparison: the file holds them as
   17-digit decimals of doubles (sigma_w^2 squared in double precision). */
#define NEFT_ONEN_SAMPLES_CTOL 1e-12

/* Checks that the samples are of the networks par predicts for, with hidden
   width `width` (par's own widths are not read): activation (the same
   name), depth, every hidden width, and C_W, C_b within
   NEFT_ONEN_SAMPLES_CTOL relative (C_W = sw^2, C_b = sb^2 when the file
   gives only sigma_w, sigma_b; docs/cmd-sample.md).  Keys the file leaves
   out are not checked.  Returns 0, or -1 with "PATH: the samples
   are of ..., the prediction is for ... (--option)" in err. */
int neft_onen_samples_check(const neft_onen_samples_t s, const neft_onen_params_t par,
                            slong width, const char * path, char * err, size_t errsize);

/* Finds the correlator with the given sorted indices; NULL if absent. */
const neft_onen_measured_struct * neft_onen_samples_find(const neft_onen_samples_t s,
                                                         slong npt, const slong * idx);

/* ---- the predictions next to the samples (src/onen/compare.c) ------- */

typedef struct
{
    slong npt, idx[8];
    double mean, err;       /* measured: full (npt 2 at one input) or connected */
    arb_struct pred;        /* predicted */
    double pull;            /* (mean - mid(pred)) / err; NAN when err == 0 */
    int has_next;           /* pred_next set: the prediction to the next order in 1/n */
    arb_struct pred_next;   /* E[z^4]_c = 3 (V/n + V1/n^2) at one input */
    double pull_next;       /* as pull, against pred_next */
}
neft_onen_compare_row_struct;

typedef struct
{
    slong models, width, depth;
    slong nrows, alloc;
    neft_onen_compare_row_struct * rows;
}
neft_onen_compare_struct;
typedef neft_onen_compare_struct neft_onen_compare_t[1];

void neft_onen_compare_init(neft_onen_compare_t c);
void neft_onen_compare_clear(neft_onen_compare_t c);

/* The predictions for the correlators of s (checked by
   neft_onen_samples_check) at hidden width `width`: per input, for
   the tuples the file holds, E[z^2] = K + G1/n and E[z^{2k}]_c =
   (2k-1)!! v_{2k}/n^{k-1} (k = 2, 3, 4), and for k = 2 also the next order
   3 (V/n + V1/n^2) (pred_next); for two inputs and the activations
   with a two-input vertex (neft_onen_vertex2) also the mixed four-point
   tuples.  Rows in that order.  Returns 0; -1 if input *bad gives K^(1) = 0
   and the activation needs K > 0 (bad input); -2 if its layers could not
   be certified (or a stop request); NEFT_UNSUPPORTED as neft_onen_table. */
int neft_onen_compare(neft_onen_compare_t c, const neft_onen_samples_t s,
                      const neft_onen_params_t par, slong width, slong * bad);

/* Cost estimate of neft_onen_compare(c, s, par, ..). */
void neft_onen_compare_cost(double * ops, double * bytes, const neft_onen_samples_t s,
                            const neft_onen_params_t par);

/* Text table (header naming file and the activation), or one JSON object
   {"models","width","depth","compare":[..]} and a newline; nothing that is
   not a number is printed as one: a measured mean or stderr that is not
   finite is "n/a" (text) or null (JSON), a pull with a zero stderr, a
   prediction that is not finite or such a measurement "n/a" (text) or null
   with "pull_why" / "pull_next_why" (JSON). */
void neft_onen_compare_write(FILE * out, const neft_onen_compare_t c, const char * file,
                             const neft_net_t net, int format);

/* ---- the neural tangent kernel (src/onen/ntk.c; docs/onen.md) -------- */

/* Leading order (infinite width, the frozen NTK), Roberts-Yaida-Hanin
   conventions: learning rate lambda_b for every bias and lambda_W / n_{l-1}
   for every weight of layer l (the weights into layer l; n_0 = d_in), so
     Theta^(1)_ab   = lambda_b + lambda_W x_a.x_b / n_0,
     Theta^(l+1)_ab = lambda_b + lambda_W <sigma_a sigma_b>_{K^(l)}
                      + C_W <sigma'_a sigma'_b>_{K^(l)} Theta^(l)_ab.
   (lambda_b = C_b, lambda_W = C_W is the NTK parametrisation of Jacot et
   al. and neural-tangents.) */

/* One input: theta[l-1] = Theta^(l) from the layer table of
   neft_onen_single (its K and chi_perp = C_W <sigma'^2>), with
   Theta^(1) = lambda_b + lambda_W (K^(1) - C_b)/C_W.  0, or -1 if a ball is
   not finite. */
int neft_onen_ntk_single(arb_ptr theta, const neft_onen_layer_struct * layers,
                         const neft_onen_params_t par, const fmpq_t lambda_b,
                         const fmpq_t lambda_w);

/* The same in exact rationals from neft_onen_single_exact's table (the
   scale-invariant activations): NEFT_SUCCESS, NEFT_UNSUPPORTED for other
   activations, NEFT_INTERRUPTED after a stop request. */
int neft_onen_ntk_single_exact(fmpq * theta, const neft_onen_exact_struct * E,
                               const neft_net_t net, const fmpq_t lambda_b,
                               const fmpq_t lambda_w);

/* 1 if neft_onen_ntk_matrix can compute for the net's activation (a closed
   two-input expectation, or the 2-D integrator can bound sigma and sigma');
   else 0 and *reason (when not NULL) a sentence naming the row. */
int neft_onen_ntk_has(const neft_net_t net, const char ** reason);

/* Several inputs (x: npoints * d_in balls): the kernel matrices
   kernels[(l-1) P^2 + a P + b] = K^(l)_ab and the NTK matrices
   ntk[(l-1) P^2 + a P + b] = Theta^(l)_ab, l = 1..depth.  The two-input
   expectations <sigma_a sigma_b>, <sigma'_a sigma'_b> in closed form for
   relu, leaky-relu, linear (arc-cosine kernels of degree 1 and 0), erf,
   sin and gauss, otherwise by neft_gaussexp_product in two dimensions
   (rigorous); the diagonal from neft_onen_gauss_eval.  Returns 0;
   NEFT_UNSUPPORTED (indeterminate balls) when neft_onen_ntk_has says no or
   the depth is more than the activation allows; -1 (indeterminate balls)
   if a ball is not finite or after a stop request. */
int neft_onen_ntk_matrix(arb_ptr kernels, arb_ptr ntk, const neft_onen_params_t par,
                         const fmpq_t lambda_b, const fmpq_t lambda_w, arb_srcptr x,
                         slong npoints, slong d_in);

/* Cost estimate of neft_onen_ntk_matrix (operations as everywhere in this
   module; *bytes the two tables). */
void neft_onen_ntk_matrix_cost(double * ops, double * bytes, const neft_onen_params_t par,
                               slong npoints, slong d_in);

/* Writes Theta per layer: one input (theta, and the exact rationals E when
   not NULL) as text rows "layer K Theta" or the JSON member "ntk":[..];
   several inputs (kernels, ntk of neft_onen_ntk_matrix) as text blocks or
   the JSON members "kernel":[..],"ntk":[..].  The caller writes the
   surrounding object (src/onen/ntk_write.c). */
void neft_onen_ntk_single_write(FILE * out, const neft_onen_layer_struct * L,
                                arb_srcptr theta, const fmpq * exact, slong depth,
                                int format);
void neft_onen_ntk_matrix_write(FILE * out, arb_srcptr kernels, arb_srcptr ntk,
                                slong depth, slong npoints, int format);

/* ---- the NTK of one input at O(1/n) (src/onen/ntk_var.c; docs/onen.md) -- */

/* Per layer l, normalised by n = n_{l-1} (Roberts-Yaida-Hanin ch. 8, for the
   NTK H_ij of the neurons i, j of layer l):
     E[H_ii] = theta + theta1/n,  Var H_ii = (A + 2B)/n,
     Cov(H_ii, H_jj) = A/n, E[H_ij^2] = B/n (i != j),
     Cov(H_ii, z_i^2) = (D + 2F)/n, Cov(H_ii, z_j^2) = D/n, E[H_ij z_i z_j] = F/n,
   and the dNTK dH_{i0 i1 i2} = sum_mu lambda_mu dz_{i0}/dtheta_mu dH_{i1 i2}/dtheta_mu
   (Roberts-Yaida-Hanin ch. 11) through its cross-correlation with z,
     E[dH_{i0 i1 i2} z_{i3}] = (d_{i0 i3} d_{i1 i2} P + d_{i0 i1} d_{i2 i3} Q
                                + d_{i0 i2} d_{i1 i3} Q)/n,
   all O(1/n^2) beyond; layer 1 is deterministic (theta1 = A = B = D = F =
   P = Q = 0). */
typedef struct
{
    arb_t theta, theta1, A, B, D, F, P, Q;
}
neft_onen_ntk1_struct;

typedef struct
{
    fmpq_t theta, theta1, A, B, D, F, P, Q;
}
neft_onen_ntk1_exact_struct;

neft_onen_ntk1_struct * neft_onen_ntk1_init(slong depth);
void neft_onen_ntk1_clear(neft_onen_ntk1_struct * T, slong depth);
neft_onen_ntk1_exact_struct * neft_onen_ntk1_exact_init(slong depth);
void neft_onen_ntk1_exact_clear(neft_onen_ntk1_exact_struct * T, slong depth);

/* 1 if onen has the Gaussian expectations the O(1/n) NTK needs for the
   net's activation (relu, leaky-relu, linear, tanh, erf, sin; sigmoid through
   the two-input recursion at coincident inputs); else 0 and
   *reason (when not NULL) a sentence naming the row. */
int neft_onen_ntk1_has(const neft_net_t net, const char ** reason);

/* T[l-1] for l = 1..depth from the layer table of neft_onen_single (K, V,
   G1 of the same par) and the rates lambda_b, lambda_W (neft_onen_ntk_single's
   conventions).  0; NEFT_UNSUPPORTED (indeterminate balls) when
   neft_onen_ntk1_has says no; -1 (indeterminate balls) if a ball is not
   finite or after a stop request. */
int neft_onen_ntk1_single(neft_onen_ntk1_struct * T, const neft_onen_layer_struct * layers,
                          const neft_onen_params_t par, const fmpq_t lambda_b,
                          const fmpq_t lambda_w);

/* Cost estimate of neft_onen_single and neft_onen_ntk1_single (and, for the
   scale-invariant rows, of their exact versions) from K^(1) = k1: twice
   neft_onen_single_cost plus twice neft_onen_single_exact_cost. */
void neft_onen_ntk1_single_cost(double * ops, double * bytes, const neft_onen_params_t par,
                                const fmpq_t k1);

/* The same in exact rationals from neft_onen_single_exact's table (relu,
   leaky-relu, linear; their theta1 is 0: <sigma'^2 H> = <sigma'^2><H> by the
   symmetry z -> -z).  NEFT_SUCCESS, NEFT_UNSUPPORTED for other activations,
   NEFT_INTERRUPTED after a stop request. */
int neft_onen_ntk1_single_exact(neft_onen_ntk1_exact_struct * T,
                                const neft_onen_exact_struct * E, const neft_net_t net,
                                const fmpq_t lambda_b, const fmpq_t lambda_w);

/* Writes the table: text blocks per layer, or the JSON member "ntk":[..]
   (theta, theta1, A, B, D, F, var = A + 2B, cov_z2 = D + 2F, P, Q, "exact" with
   the rationals when X is not NULL, and when the net's hidden widths are all
   given the predictions at them: mean = theta + theta1/n_{l-1},
   variance = (A + 2B)/n_{l-1}).  The caller writes the surrounding object. */
void neft_onen_ntk1_write(FILE * out, const neft_onen_layer_struct * L,
                          const neft_onen_ntk1_struct * T, const neft_onen_ntk1_exact_struct * X,
                          const neft_net_t net, int format);

/* Writes the recursions of neft_onen_ntk1_single (NEFT_ONEN_FORMULA_TEXT or
   _LATEX; src/onen/ntk_formulas.c).  0, or -1 on a write error. */
int neft_onen_ntk1_formulas(FILE * out, int style);

/* ---- the ddNTK of one input (src/onen/ddntk*.c; docs/onen.md, "The ddNTK") ---- */

/* Per layer l the means of Roberts-Yaida-Hanin's two ddNTKs (ch. 11) of the
   neurons i of layer l, u_a = Lambda grad z_a (the learning-rate tensor of
   neft_onen_ntk_single), n = n_{l-1}, O(1/n^2) beyond:
     ddI H_{i0 i1 i2 i3}  = d^3 z_{i0}[u_{i1}, u_{i2}, u_{i3}],
     ddII H_{i1 i2 i3 i4} = (grad d_{u_{i3}} z_{i1})^T Lambda (grad d_{u_{i4}} z_{i2}),
     E[ddI H]  = (d_{i0 i1} d_{i2 i3} + d_{i0 i2} d_{i1 i3} + d_{i0 i3} d_{i1 i2}) R/n,
     E[ddII H] = (d_{i1 i2} d_{i3 i4} S + d_{i1 i3} d_{i2 i4} T + d_{i1 i4} d_{i2 i3} U)/n
   (derivatives with the directions held fixed; the activation's second and
   third derivatives pointwise, 0 for the piecewise-linear rows).  Layer 1:
   all 0 (z^(1) is linear in the parameters); layer 2 exact at every width;
   deeper layers to O(1/n) through the layer below's NTK statistics (B, F,
   P, Q of neft_onen_ntk1_single). */
typedef struct
{
    arb_t R, S, T, U;
}
neft_onen_ddntk_struct;

typedef struct
{
    fmpq_t R, S, T, U;
}
neft_onen_ddntk_exact_struct;

neft_onen_ddntk_struct * neft_onen_ddntk_init(slong depth);
void neft_onen_ddntk_clear(neft_onen_ddntk_struct * D, slong depth);
neft_onen_ddntk_exact_struct * neft_onen_ddntk_exact_init(slong depth);
void neft_onen_ddntk_exact_clear(neft_onen_ddntk_exact_struct * D, slong depth);

/* 1 if neft_onen_ddntk_single computes for the net (relu, leaky-relu, linear,
   tanh, erf, sin, sigmoid; any depth); else 0 and *reason (when not NULL) a
   sentence naming what is missing. */
int neft_onen_ddntk_has(const neft_net_t net, const char ** reason);

/* D[l-1] for l = 1..depth from the layer table of neft_onen_single (its
   K^(1)) and the rates lambda_b, lambda_W.  0; NEFT_UNSUPPORTED
   (indeterminate balls) when neft_onen_ddntk_has says no; -1 (indeterminate
   balls) if a ball is not finite or neft_onen_ntk1_single fails. */
int neft_onen_ddntk_single(neft_onen_ddntk_struct * D, const neft_onen_layer_struct * layers,
                           const neft_onen_params_t par, const fmpq_t lambda_b,
                           const fmpq_t lambda_w);

/* The same in exact rationals from neft_onen_single_exact's table (relu,
   leaky-relu, linear: R = U = 0).  NEFT_SUCCESS, NEFT_UNSUPPORTED for other
   activations, NEFT_INTERRUPTED after a stop request. */
int neft_onen_ddntk_single_exact(neft_onen_ddntk_exact_struct * D,
                                 const neft_onen_exact_struct * E, const neft_net_t net,
                                 const fmpq_t lambda_b, const fmpq_t lambda_w);

/* Writes the table: a text block, or the JSON member "ddntk":[{"layer":l,
   "R":..,"S":..,"T":..,"U":..[,"exact":{..}]},..] (X may be NULL).  The
   caller writes the surrounding object and the separating comma. */
void neft_onen_ddntk_write(FILE * out, const neft_onen_ddntk_struct * D,
                           const neft_onen_ddntk_exact_struct * X, slong depth, int format);

/* ---- pictures (src/onen/figures.c; pgfplots documents, neft/eft.h) ---- */

/* The stable fixed point K* of K = C_b + C_W <sigma^2>_K (Newton from
   K = C_b + C_W, in doubles from onen's balls at prec) and the
   susceptibilities there, chi_par = C_W d<sigma^2>/dK, chi_perp =
   C_W <sigma'^2>.  0, or -1 (no convergence, a non-finite ball, a stop). */
int neft_onen_fixed_point(double * kstar, double * chi_par, double * chi_perp,
                          const neft_net_t net, double cw, double cb, slong prec);

/* The phase diagram of the net's activation (Schoenholz et al. 2017): top,
   chi_perp and chi_par at K* against C_W (ncw values in [cw_min, cw_max])
   for each of the ncb <= 3 values cbs of C_b; bottom, the order-to-chaos
   line chi_perp(K*) = 1 in the (C_b, C_W) plane, parametrised by K* in
   [10^-3, 10^1.5] (C_W = 1/<sigma'^2>_{K*}, C_b = K* - C_W <sigma^2>_{K*}).
   0, or -1 (bad arguments, an I/O error, a stop request). */
int neft_onen_figure_phase(const char * path, const neft_net_t net, const double * cbs,
                           slong ncb, double cw_min, double cw_max, slong ncw, slong prec);

/* Theta^(l) (neft_onen_ntk_single) and V^(l)/(K^(l))^2 (neft_onen_single)
   against the layer l = 1..depth, from K^(1) = k1.  0, or -1. */
int neft_onen_figure_depth(const char * path, const neft_onen_params_t par, const arb_t k1,
                           const fmpq_t lambda_b, const fmpq_t lambda_w);

/* ---- the NTK of two inputs at O(1/n) (src/onen/ntk2*.c; docs/onen.md) --- */

/* Per layer l for the inputs x_0, x_1, normalised by n = n_{l-1}
   (Roberts-Yaida-Hanin ch. 8; i != j neurons of layer l; pairs P, Q over
   (00), (01), (11) in that order, ordered pairs o over (00), (01), (10),
   (11), o = 2a + b):
     K[P], V[3P+Q], G1[P]   the kernel, E[G] = K + G1/n, n Cov(G_P, G_Q) = V
     theta[P] + theta1[P]/n = E[H_ii;P]
     A[3P+Q] = n Cov(H_ii;P, H_jj;Q),    D[3P+Q] = n Cov(H_ii;P, z_j;c z_j;d)
     B[4o+o'] = n E[H_ij;ab H_ij;cd],    F[4o+o'] = n E[H_ij;ab z_i;c z_j;d]
   (o = ab, o' = cd; Q = cd for D), and the dNTK's cross-correlation with z
   (RYH ch. 11) over the ordered 4-tuples t = 8 a0 + 4 a1 + 2 a2 + a3,
     n E[dH_{i0 i1 i2; a0 a1 a2} z_{i3; a3}] = d_{i0 i3} d_{i1 i2} P[t]
        + d_{i0 i1} d_{i2 i3} Q[t] + d_{i0 i2} d_{i1 i3} Q[8 a0 + 4 a2 + 2 a1 + a3]
   (sigma'' = 0 away from the kink for relu, leaky-relu, linear, as the
   sampled nets' derivatives); O(1/n^2) beyond.  Layer 1 is
   deterministic.  The diagonal blocks (P = Q = (aa)) are the one-input
   values of neft_onen_ntk1_single at x_a. */
typedef struct
{
    arb_struct K[3], V[9], G1[3], theta[3], theta1[3], A[9], D[9], B[16], F[16], P[16], Q[16];
}
neft_onen_ntk2_struct;

neft_onen_ntk2_struct * neft_onen_ntk2_init(slong depth);
void neft_onen_ntk2_clear(neft_onen_ntk2_struct * T, slong depth);

/* 1 if neft_onen_ntk2 computes for the net's activation (relu, leaky-relu,
   linear and sin in closed form; erf in closed form but for <erf^4>, tanh
   and sigmoid by a rigorous 2-D rule); else 0 and *reason
   (when not NULL) a sentence naming the row. */
int neft_onen_ntk2_has(const neft_net_t net, const char ** reason);

/* T[l-1], l = 1..depth, for the two inputs x (2 d_in balls) and the rates
   lambda_b, lambda_W.  0; NEFT_UNSUPPORTED (neft_onen_ntk2_has says no);
   NEFT_INTERRUPTED; -1 with err (not certified: a non-finite ball, e.g.
   distinct collinear relu inputs, whose angle derivatives are infinite).
   Two equal inputs (equal balls) give the one-input values in every entry.
   T is indeterminate unless 0. */
int neft_onen_ntk2(neft_onen_ntk2_struct * T, const neft_onen_params_t par,
                   const fmpq_t lambda_b, const fmpq_t lambda_w, arb_srcptr x, slong d_in,
                   char * err, size_t errsize);

/* Writes the table: text blocks per layer or the JSON member "ntk2":[..]
   (src/onen/ntk2_write.c).  The caller writes the surrounding object. */
void neft_onen_ntk2_write(FILE * out, const neft_onen_ntk2_struct * T, slong depth,
                          int format);

/* ---- the NTK of k >= 2 inputs at O(1/n) (src/onen/ntkm*.c; docs/onen.md) - */

/* neft_onen_ntk2's table for k inputs x_0..x_{k-1}, every index ordered and
   every ordering filled, per layer l (0-based): with p = a k + b, t =
   ((a k + b) k + c) k + d,
     K[l k^2 + p], theta, theta1, G1 like K;
     V, A, D, B, F, P, Q [l k^4 + t]
   (neft_onen_ntk2's V[3P+Q] is V at (ab)(cd) = P, Q; B[4o+o'] at t; P[8a0 +
   4a1 + 2a2 + a3] at t = (a0 a1 a2 a3)).  Equal inputs are one input. */
typedef struct
{
    slong k, depth;
    arb_ptr K, theta, theta1, G1, V, A, D, B, F, P, Q;
}
neft_onen_ntkm_struct;

typedef neft_onen_ntkm_struct neft_onen_ntkm_t[1];

void neft_onen_ntkm_init(neft_onen_ntkm_t T, slong k, slong depth);
void neft_onen_ntkm_clear(neft_onen_ntkm_t T);

/* 1 if neft_onen_ntkm computes for the net's activation (those of
   neft_onen_ntk2_has); else 0 and *reason (when not NULL). */
int neft_onen_ntkm_has(const neft_net_t net, const char ** reason);

/* T for the k >= 2 inputs x (k d_in balls; at most NEFT_ONEN_NTKM_MAX
   distinct).  The expectations of one, two inputs are neft_onen_ntk2's;
   those of three and four distinct inputs: relu, leaky-relu, linear by
   Stein's identity down to orthant probabilities; erf (Gaussian
   reweighting, arcsines) and sin (exponentials) in closed form but for
   <erf^4>; tanh, sigmoid and <erf^4> by rigorous 3-D and 4-D rules
   (neft_gaussexp_grid).  0; NEFT_UNSUPPORTED (err); NEFT_INTERRUPTED; -1
   (err: not certified).  T is indeterminate unless 0. */
#define NEFT_ONEN_NTKM_MAX 8
int neft_onen_ntkm(neft_onen_ntkm_t T, const neft_onen_params_t par, const fmpq_t lambda_b,
                   const fmpq_t lambda_w, arb_srcptr x, slong k, slong d_in, char * err,
                   size_t errsize);

/* Writes T as neft_onen_ntk2_write does (the same keys and index
   conventions; JSON member "ntkm" with "inputs":k, text blocks per layer). */
void neft_onen_ntkm_write(FILE * out, const neft_onen_ntkm_t T, int format);

/* ---- the dNTK split and the ddNTK of k >= 2 inputs (src/onen/ddntk_multi*.c;
   docs/onen.md, "The ddNTK", "Several inputs") ---- */

/* Per layer l (0-based) over the ordered 4-tuples t = ((a k + b) k + c) k + d
   of the inputs (n = n_{l-1}, M^(i)_(j)(k) = u_j^T (d^2 z_i) u_k with
   u_(j a) = Lambda grad z_(j;a) as for neft_onen_ntkm's dNTK, i != j):
     beta[l k^4 + t]  = n E[M^(i;b)_(j a)(i c) z_(j;d)],
     alpha[l k^4 + t] = n E[M^(i;b)_(j a)(j c) z_(i;d)]
   (so neft_onen_ntkm's P_abcd = beta_abcd + beta_acbd, Q_abcd = beta_cbad
   + alpha_acbd), and the ddNTK's means of neft_onen_ddntk_struct with the
   inputs kept apart: for distinct neurons i, j
     R_abcd = n E[ddI H_(i;a)(i;b)(j;c)(j;d)],  S_abcd = n E[ddII H_(i;a)(i;b)(j;c)(j;d)],
     T_abcd = n E[ddII H_(i;a)(j;b)(i;c)(j;d)], U_abcd = n E[ddII H_(i;a)(j;b)(j;c)(i;d)]
   (ddI symmetric in its last three slots, so every pairing of ddI is an R
   with permuted inputs).  R, S, T, U: relu, leaky-relu, linear (R = U = 0
   there, as for one input), tanh, erf, sin, sigmoid. */
typedef struct
{
    slong k, depth;
    arb_ptr beta, alpha, R, S, T, U;
}
neft_onen_ddntkm_struct;

typedef neft_onen_ddntkm_struct neft_onen_ddntkm_t[1];

void neft_onen_ddntkm_init(neft_onen_ddntkm_t D, slong k, slong depth);
void neft_onen_ddntkm_clear(neft_onen_ddntkm_t D);

/* 1 if neft_onen_ddntkm computes R, S, T, U for the net (relu, leaky-relu,
   linear, tanh, erf, sin, sigmoid); else 0 and *reason (when not NULL) a
   sentence naming what is missing. */
int neft_onen_ddntkm_has(const neft_net_t net, const char ** reason);

/* tanh, sigmoid: R, S, T, U for at most this many distinct inputs */
#define NEFT_ONEN_DDNTKM_POLY_MAX 4

/* T (as neft_onen_ntkm) and D for the k >= 2 inputs x (k d_in balls).
   rstu = 0: only beta, alpha (every row of neft_onen_ntkm_has; R, S, T, U
   indeterminate); rstu = 1: also R, S, T, U (NEFT_UNSUPPORTED unless
   neft_onen_ddntkm_has, and for tanh, sigmoid with more than
   NEFT_ONEN_DDNTKM_POLY_MAX distinct inputs).  Returns as neft_onen_ntkm;
   D is indeterminate unless 0. */
int neft_onen_ddntkm(neft_onen_ddntkm_t D, neft_onen_ntkm_t T, const neft_onen_params_t par,
                     const fmpq_t lambda_b, const fmpq_t lambda_w, arb_srcptr x, slong k,
                     slong d_in, int rstu, char * err, size_t errsize);

/* Writes D's beta, alpha, R, S, T, U: text blocks per layer (rows (a b), columns
   (c d)), or the JSON member "ddntkm":{"inputs":k,"layers":[{"layer":l,
   "beta":[[..]],"alpha":..,"R":..,"S":..,"T":..,"U":..},..]} (k^2 x k^2
   matrices, row a k + b, column c k + d).  The caller writes the
   surrounding object and the separating comma. */
void neft_onen_ddntkm_write(FILE * out, const neft_onen_ddntkm_t D, int format);

#ifdef __cplusplus
}
#endif
#endif
