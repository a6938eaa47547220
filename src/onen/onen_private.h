/* Private helpers shared by the files of src/onen/. */
#ifndef NEFT_ONEN_PRIVATE_H
#define NEFT_ONEN_PRIVATE_H

#include <math.h>
#include "neft/onen.h"
#include "neft/act.h"
#include "neft/interrupt.h"
#ifdef NEFT_FLINT3
#include <flint/acb_hypgeom.h>
#include <flint/arb_poly.h>
#else
#include <acb_hypgeom.h>
#include <arb_poly.h>
#endif

/* The row of the activation table of NEFT_ONEN_*, or NULL (src/onen/act.c). */
neft_act_srcptr _neft_onen_act_row(int kind);

void _neft_onen_act_bound(double * a, double * b, double * c, const neft_onen_act_t act);

#endif
