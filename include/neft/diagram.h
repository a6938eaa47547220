/* neft/diagram.h -- labelled Feynman diagrams as multigraphs: canonical form,
 * automorphisms, exact symmetry coefficient and the pruning predicates.
 *
 * Vertex ids: 0..n-1 are the external points x1..xn (degree 1, labelled),
 * n..n+m-1 the internal vertices y1..ym (each of one coupling type, not
 * distinguishable beyond it).  Edges are unordered pairs; a self-loop is
 * (v, v); parallel edges are repeated. */
#ifndef NEFT_DIAGRAM_H
#define NEFT_DIAGRAM_H

#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpq.h>
#include "neft/theory.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest number of vertices (externals + internals) of one diagram. */
#define NEFT_DIAGRAM_MAX_VERTICES 64

typedef struct
{
    slong n;          /* external points */
    slong m;          /* internal vertices */
    slong * type;     /* type[i]: coupling index of y_{i+1}; length m */
    slong nedges;
    slong * edges;    /* 2*nedges vertex ids; each pair has u <= v; pairs sorted */
    fmpq_t coeff;     /* exact rational prefactor of the term */
    slong * tie;      /* NULL (every internal vertex local), or, length m: the
                         internal vertices are the points of the theory's
                         vertices, tie[i] = the first point of the vertex point
                         i belongs to (points of one vertex consecutive; point
                         i is point i - tie[i] of its coupling, with
                         point_legs[i - tie[i]] legs) */
}
neft_diagram_struct;

typedef neft_diagram_struct neft_diagram_t[1];

void neft_diagram_init(neft_diagram_t d);
void neft_diagram_clear(neft_diagram_t d);
void neft_diagram_set(neft_diagram_t d, const neft_diagram_t s);
void neft_diagram_swap(neft_diagram_t a, neft_diagram_t b);

/* Sets the graph part (the coefficient is left alone).  Edge endpoints are
   normalised to u <= v and the pairs sorted, so two calls describing the same
   labelled multigraph give identical structs. */
void neft_diagram_set_graph(neft_diagram_t d, slong n, slong m, const slong * type,
                            slong nedges, const slong * edges);

/* Sets the ties (tie as the field, length d->m; NULL: none).  Call after
   neft_diagram_set_graph, which drops them. */
void neft_diagram_set_ties(neft_diagram_t d, const slong * tie);

/* 1 if internal vertex i (0..m-1) is the first point of its vertex (always,
   without ties): the vertices of the theory are these. */
int neft_diagram_is_head(const neft_diagram_t d, slong i);

/* The number of vertices of the theory in d (each non-local vertex once). */
slong neft_diagram_vertices(const neft_diagram_t d);

/* dst = d with every non-local vertex contracted to one vertex (its points'
   edges to each other become self-loops), the coefficient copied: the graph
   the pruning rules read (docs/rules.md).  Without ties a copy. */
void neft_diagram_fuse(neft_diagram_t dst, const neft_diagram_t d);

/* Connected components by propagators only (ties ignored): the factors of
   the term's integral when every non-local weight function is 1. */
slong neft_diagram_propagator_components(slong * comp, const neft_diagram_t d);

/* 1 if every external point has degree 1 and every internal vertex of type c
   has degree legs_c (a self-loop counts twice), else 0. */
int neft_diagram_is_valid(const neft_diagram_t d, const neft_theory_t th);

/* e[c] = number of vertices of coupling c (a non-local vertex once), for
   c < ncouplings. */
void neft_diagram_powers(slong * e, const neft_diagram_t d, slong ncouplings);

/* Number of internal edges: edges with no external endpoint. */
slong neft_diagram_internal_edges(const neft_diagram_t d);

/* |Aut_V(d)|: type-preserving permutations of the internal vertices that map
   the multigraph onto itself with every external point fixed. */
ulong neft_diagram_automorphisms(const neft_diagram_t d);

/* The exact coefficient of d in the expansion of e^{-S} (notes/generation.md):
   prod_c (-w_c)^{m_c} prod_v k_v! / (|Aut_V| prod_{u<v} A_uv! prod_v 2^{s_v} s_v!). */
void neft_diagram_symmetry_coeff(fmpq_t c, const neft_diagram_t d, const neft_theory_t th);

/* Connected components: comp[v] in 0..r-1 for every vertex id v (externals
   included); returns r.  An empty diagram has 0 components.  The points of
   a non-local vertex are one piece (joined by their tie). */
slong neft_diagram_components(slong * comp, const neft_diagram_t d);

/* The pruning predicates of docs/conventions.md, on the whole diagram (with
   ties: on neft_diagram_fuse of it, each non-local vertex one vertex). */
int neft_diagram_has_vacuum_component(const neft_diagram_t d);
int neft_diagram_has_two_point_component(const neft_diagram_t d);
int neft_diagram_has_self_energy(const neft_diagram_t d);
int neft_diagram_has_tadpole(const neft_diagram_t d);
int neft_diagram_is_connected(const neft_diagram_t d);
int neft_diagram_is_1pi(const neft_diagram_t d);

/* 1 if d survives every rule in the NEFT_PRUNE_* mask. */
int neft_diagram_keep(const neft_diagram_t d, unsigned prune);

/* Canonical key of d as a byte string: two diagrams get equal keys iff they
   are isomorphic by a type-preserving relabelling of internal vertices (with
   externals fixed; or, if unlabelled_externals, by any relabelling that maps
   external points to external points).  Returns the key length; key must hold
   NEFT_DIAGRAM_KEY_MAX bytes. */
#define NEFT_DIAGRAM_KEY_MAX (8 + NEFT_DIAGRAM_MAX_VERTICES * (NEFT_DIAGRAM_MAX_VERTICES + 3))
slong neft_diagram_key(unsigned char * key, const neft_diagram_t d, int unlabelled_externals);

/* Low level: canonical labelling of a coloured multigraph on N <= 
   NEFT_DIAGRAM_MAX_VERTICES vertices, A its N*N symmetric adjacency matrix
   (A[v*N+v] = number of self-loops).  Writes lab[i] = the vertex placed at
   canonical position i: for isomorphic inputs (by a colour-preserving map) the
   relabelled matrices are identical, and colours come out non-decreasing.
   Returns the number of colour-preserving automorphisms. */
ulong _neft_canon(int * lab, int N, const int * colour, const unsigned char * A);

/* Builds the canonical certificate of (colour, A) under lab into key
   (N, colours, upper triangle); returns its length. */
slong _neft_canon_key(unsigned char * key, int N, const int * colour,
                      const unsigned char * A, const int * lab);

/* Low level: the (n+m)*(n+m) adjacency matrix of d (self-loops on the
   diagonal). */
void _neft_diagram_adjacency(unsigned char * A, const neft_diagram_t d);

/* The coefficient formula of neft_diagram_symmetry_coeff from an adjacency
   matrix on n + m vertices and a known |Aut_V|. */
void _neft_diagram_coeff_from_adjacency(fmpq_t c, slong n, slong m, const slong * type,
                                        const unsigned char * A, ulong aut,
                                        const neft_theory_t th);

/* Self-energy test on the adjacency matrix of a diagram with n externals and
   m internal vertices: 1 if some internally connected non-empty set S of
   internal vertices has exactly two edge-ends leaving it, S = all internal
   vertices excepted when exempt_whole is set. */
int _neft_diagram_self_energy(const unsigned char * A, slong n, slong m, int exempt_whole);

/* Bridge tests on the adjacency matrix: *tadpole = 1 if some bridge has a side
   without external point; *internal_bridge = 1 if some bridge joins two
   internal vertices. */
void _neft_diagram_bridges(int * tadpole, int * internal_bridge,
                           const unsigned char * A, slong n, slong m);

#ifdef __cplusplus
}
#endif
#endif
