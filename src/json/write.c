/* The one JSON writer of strings and balls (neft/json.h): every command's
   JSON goes through these two, so escaping and the spelling of balls are the
   same everywhere (docs/formats.md). */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "neft/json.h"

void
neft_json_write_double(FILE * out, double x)
{
    if (isfinite(x))
        fprintf(out, "%.17g", x);
    else
        fputs("null", out);
}

void
neft_json_write_string(FILE * out, const char * s)
{
    fputc('"', out);
    for (; *s != '\0'; s++)
    {
        unsigned char c = (unsigned char) *s;
        if (c == '"' || c == '\\')
        {
            fputc('\\', out);
            fputc(c, out);
        }
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\u%04x", (unsigned) c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

void
neft_json_write_fmpq(FILE * out, const fmpq_t q)
{
    char * s = fmpq_get_str(NULL, 10, q);
    neft_json_write_string(out, s);
    flint_free(s);
}

void
neft_json_write_arb(FILE * out, const arb_t x, slong digits)
{
    char * s;
    arb_t m;
    arf_t u;
    double r;
    slong prec;

    if (!arb_is_finite(x))
    {
        fputs("{\"mid\": \"nan\", \"rad\": \"inf\"}", out);
        return;
    }
    if (digits < 1)
        digits = 1;
    /* enough bits for the decimal midpoint and for x itself */
    prec = FLINT_MAX(arb_bits(x), (slong) (digits * 3.33)) + 64;
    arb_init(m);
    arf_init(u);
    s = arb_get_str(x, digits, ARB_STR_NO_RADIUS);
    if (s[0] == '[')
    {
        /* not one digit of x is certain ("[+/- R]"): the exact midpoint's
           digits instead, R covers the rest */
        flint_free(s);
        arb_set_arf(m, arb_midref(x));
        s = arb_get_str(m, digits, ARB_STR_NO_RADIUS);
    }
    /* |x - M| over the whole ball, M read back as a ball containing it */
    if (arb_set_str(m, s, prec))
        arb_indeterminate(m);
    arb_sub(m, x, m, prec);
    arb_get_abs_ubound_arf(u, m, prec);
    fputs("{\"mid\": ", out);
    neft_json_write_string(out, s);
    /* the factor 1.001 covers the rounding to 4 digits (at most 5e-4
       relative) */
    if (arf_is_zero(u) || arf_cmpabs_2exp_si(u, 1000) < 0)
    {
        r = arf_get_d(u, ARF_RND_UP);      /* (a tiny u rounds up to a denormal) */
        fprintf(out, ", \"rad\": \"%.3e\"}", r == 0 ? 0.0 : r * 1.001);
    }
    else
    {
        /* beyond doubles: the same notation from Arb's decimal digits */
        char * t;
        arb_set_arf(m, u);
        arb_mul_ui(m, m, 1001, prec);
        arb_div_ui(m, m, 1000, prec);
        arb_get_ubound_arf(u, m, prec);
        arb_set_arf(m, u);
        t = arb_get_str(m, 4, ARB_STR_NO_RADIUS);
        fprintf(out, ", \"rad\": \"%s\"}", t);
        flint_free(t);
    }
    flint_free(s);
    arb_clear(m);
    arf_clear(u);
}
