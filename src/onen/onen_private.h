/* Private helpers shared by the files of src/onen/. */
#ifndef NEFT_ONEN_PRIVATE_H
#define NEFT_ONEN_PRIVATE_H

#include <math.h>
#include "neft/onen.h"
#include "neft/interrupt.h"
#ifdef NEFT_FLINT3
#include <flint/acb_hypgeom.h>
#include <flint/arb_poly.h>
#else
#include <acb_hypgeom.h>
#include <arb_poly.h>
#endif

void _neft_onen_act_bound(double * a, double * b, double * c, const neft_onen_act_t act);

#endif
