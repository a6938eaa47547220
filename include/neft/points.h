/* Point lists "x1;x2;..;xk" ("," between the d_in coordinates of one point)
   as exact rationals, with a double view, a ball view and the original text
   of each coordinate.  One tokenizer and one set of error messages for the
   --at options (docs/library.md). */
#ifndef NEFT_POINTS_H
#define NEFT_POINTS_H

#include <stddef.h>
#include "neft/arbcompat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The grammar of one coordinate (flags of neft_points_parse):
   NEFT_POINTS_DECIMAL (0): what strtod reads whole, finite, without ERANGE
     and without a leading blank (the sampler's numbers).  The rational is
     the exact decimal ("0.2" is 1/5, "-2.5e-3" is -1/400) when the text is
     [+-]digits[.digits][(e|E)exponent] with |exponent| <= 1000, else (hex
     floats, longer exponents) exactly the double strtod gives.
   NEFT_POINTS_EXACT: exactly what neft_points_parse_rational accepts
     (decimals as above and fractions "p/q"; no blanks, no hex).
   NEFT_POINTS_BLANKS (with either): blanks (isspace) before and after a
     coordinate are ignored ("0.5, 1 ; 2,3"); the text view holds the
     coordinate without them.  A coordinate of blanks only is still refused. */
#define NEFT_POINTS_DECIMAL 0
#define NEFT_POINTS_EXACT   1
#define NEFT_POINTS_BLANKS  2

typedef struct
{
    slong npoints;
    slong d_in;
    fmpq * q;        /* npoints * d_in, point-major */
    double * d;      /* the double nearest each q (correctly rounded; -0.0
                        for a zero written with '-' in the decimal grammar,
                        as strtod gives) */
    char ** text;    /* the text of each coordinate as given */
}
neft_points_struct;
typedef neft_points_struct neft_points_t[1];

void neft_points_init(neft_points_t P);
void neft_points_clear(neft_points_t P);

/* "3", "-1/2", "0.25", "1e-3", "2.5E2" -> exact rational (|exponent| <=
   1000; a fraction needs a non-zero denominator); 0, or -1 leaving q
   unspecified. */
int neft_points_parse_rational(fmpq_t q, const char * s);

/* Parses text into P (cleared first).  At most max_points points (0: no
   limit).  Returns 0, or -1 with one line in err naming `what` and the point:
     "<what>: point <i>: expected a finite number, got '<tok>'"
     "<what>: point <i> has <m> coordinates, expected <d_in> (--d-in)"
     "<what>: more than <max_points> points"
   (P then holds no points). */
int neft_points_parse(neft_points_t P, const char * text, slong d_in, int flags,
                      slong max_points, const char * what, char * err, size_t errsize);

/* The double nearest q, ties to even (subnormals, +-0 and +-inf included):
   on decimal text in the double range this is strtod's value. */
double neft_points_fmpq_get_d(const fmpq_t q);

/* Views: the double of coordinate i (0 <= i < npoints * d_in); the ball of
   the rational at prec (contains it; exact when it is a short binary
   number); the text as given. */
double neft_points_get_d(const neft_points_t P, slong i);
void neft_points_get_arb(arb_t x, const neft_points_t P, slong i, slong prec);
const char * neft_points_get_text(const neft_points_t P, slong i);

#ifdef __cplusplus
}
#endif

#endif
