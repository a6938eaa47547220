/* Private: splitting the diagrams of the fused theory into those of a theory
   with non-local vertices (split.c). */
#ifndef NEFT_EXPAND_SPLIT_H
#define NEFT_EXPAND_SPLIT_H

#include "neft/diagram.h"

/* Calls emit once per distinct diagram of th whose fused graph is F (a
   diagram of neft_theory_fuse(th)), with its exact coefficient and ties;
   returns 0, or 1 as soon as emit returned nonzero. */
int _neft_split_term(const neft_diagram_t F, const neft_theory_t th,
                     int (*emit)(const neft_diagram_struct * d, void * arg), void * arg);

#endif
