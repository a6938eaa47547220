/* neft/arbcompat.h -- one place that knows where FLINT keeps Arb.
 *
 * FLINT 2.x with Arb 2.x (Debian bookworm): Arb's headers sit at the include
 * root (<arb.h>).  FLINT >= 3 merged Arb in (<flint/arb.h>); meson defines
 * NEFT_FLINT3 when it finds that layout.  Include this instead of arb.h. */
#ifndef NEFT_ARBCOMPAT_H
#define NEFT_ARBCOMPAT_H

#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpq.h>

#ifdef NEFT_FLINT3
#include <flint/arb.h>
#include <flint/acb.h>
#include <flint/acb_calc.h>
#include <flint/arb_hypgeom.h>
#include <flint/acb_hypgeom.h>
#else
#include <arb.h>
#include <acb.h>
#include <acb_calc.h>
#include <arb_hypgeom.h>
#include <acb_hypgeom.h>
#endif

#endif
