/* Output formats: name look-up, options, the dispatcher, and how coupling
   names are displayed.

   A coupling name is an identifier ([A-Za-z][A-Za-z0-9_]*, docs/rules.md).
   It is split into a base and its trailing digits: "lambda4" = "lambda" + "4".
   A base that spells a Greek letter is shown as the letter (λ in text,
   \lambda in LaTeX); in LaTeX the digits become a subscript (\lambda_{4}),
   and an underscore just before them is taken as the subscript marker the
   user meant (g_3 -> g_{3}).  Text keeps the digits as they are (λ4), so a
   text line can always be read back to the identifier. */

#include <stdio.h>
#include <string.h>
#include "neft/emit.h"

void
neft_emit_opt_init(neft_emit_opt_t opt)
{
    opt->group = 0;
    opt->diagrams = 0;
    opt->standalone = 0;
    opt->size = 0;
}

/* The output formats: one row each, indexed by NEFT_EMIT_* (neft/emit.h);
   a format is added here, with its writer (docs/extending.md). */
static const struct
{
    const char * name;
    int (*write)(FILE * out, const neft_expansion_t ex, const neft_emit_opt_t opt);
}
formats[] = {
    {"text", neft_emit_text},
    {"json", neft_emit_json},
    {"latex", neft_emit_latex},
    {"tikz", neft_emit_tikz},
    {"svg", neft_emit_svg},
};

#define NFORMATS ((int) (sizeof(formats) / sizeof(formats[0])))

int
neft_emit_format_lookup(const char * name)
{
    int i;
    for (i = 0; name != NULL && i < NFORMATS; i++)
        if (strcmp(name, formats[i].name) == 0)
            return i;
    return -1;
}

int
neft_emit(FILE * out, const neft_expansion_t ex, int format, const neft_emit_opt_t opt)
{
    return (format >= 0 && format < NFORMATS) ? formats[format].write(out, ex, opt) : -1;
}

/* Greek letters by name.  Capitals only where LaTeX has a command of its own
   (\Gamma but no \Alpha): "Alpha" stays a plain name, so that every display
   name maps back to one identifier and the LaTeX always compiles.  LaTeX has
   no \omicron; the letter is an upright-looking italic o. */
typedef struct
{
    const char * name;
    const char * text;    /* UTF-8 */
    const char * latex;
}
_greek_struct;

static const _greek_struct _greek[] = {
    {"alpha", "α", "\\alpha"},
    {"beta", "β", "\\beta"},
    {"gamma", "γ", "\\gamma"},
    {"delta", "δ", "\\delta"},
    {"epsilon", "ε", "\\epsilon"},
    {"zeta", "ζ", "\\zeta"},
    {"eta", "η", "\\eta"},
    {"theta", "θ", "\\theta"},
    {"iota", "ι", "\\iota"},
    {"kappa", "κ", "\\kappa"},
    {"lambda", "λ", "\\lambda"},
    {"mu", "μ", "\\mu"},
    {"nu", "ν", "\\nu"},
    {"xi", "ξ", "\\xi"},
    {"omicron", "ο", "o"},
    {"pi", "π", "\\pi"},
    {"rho", "ρ", "\\rho"},
    {"sigma", "σ", "\\sigma"},
    {"tau", "τ", "\\tau"},
    {"upsilon", "υ", "\\upsilon"},
    {"phi", "φ", "\\phi"},
    {"chi", "χ", "\\chi"},
    {"psi", "ψ", "\\psi"},
    {"omega", "ω", "\\omega"},
    {"Gamma", "Γ", "\\Gamma"},
    {"Delta", "Δ", "\\Delta"},
    {"Theta", "Θ", "\\Theta"},
    {"Lambda", "Λ", "\\Lambda"},
    {"Xi", "Ξ", "\\Xi"},
    {"Pi", "Π", "\\Pi"},
    {"Sigma", "Σ", "\\Sigma"},
    {"Upsilon", "Υ", "\\Upsilon"},
    {"Phi", "Φ", "\\Phi"},
    {"Psi", "Ψ", "\\Psi"},
    {"Omega", "Ω", "\\Omega"},
};

#define _GREEK_COUNT ((slong) (sizeof(_greek) / sizeof(_greek[0])))

/* The Greek letter whose name is the len bytes at s, or NULL. */
static const _greek_struct *
_greek_find(const char * s, size_t len)
{
    slong i;

    for (i = 0; i < _GREEK_COUNT; i++)
        if (strlen(_greek[i].name) == len && memcmp(_greek[i].name, s, len) == 0)
            return _greek + i;
    return NULL;
}

/* Length of name without its trailing digits. */
static size_t
_base_length(const char * name)
{
    size_t len = strlen(name);

    while (len > 0 && name[len - 1] >= '0' && name[len - 1] <= '9')
        len--;
    return len;
}

/* Appends s to buf as snprintf would, tracking the length needed in *need. */
static void
_append(char * buf, size_t size, size_t * need, const char * s, size_t len)
{
    if (*need < size)
    {
        size_t room = size - 1 - *need;
        memcpy(buf + *need, s, FLINT_MIN(room, len));
        buf[*need + FLINT_MIN(room, len)] = '\0';
    }
    *need += len;
}

int
neft_emit_coupling_text(char * buf, size_t size, const char * name)
{
    size_t need = 0, base = _base_length(name);
    const _greek_struct * g = _greek_find(name, base);

    if (size > 0)
        buf[0] = '\0';
    if (g != NULL)
    {
        _append(buf, size, &need, g->text, strlen(g->text));
        _append(buf, size, &need, name + base, strlen(name + base));
    }
    else
        _append(buf, size, &need, name, strlen(name));
    return (int) need;
}

int
neft_emit_coupling_latex(char * buf, size_t size, const char * name)
{
    size_t need = 0, base = _base_length(name), digits = strlen(name) - base, i;
    const _greek_struct * g;

    if (size > 0)
        buf[0] = '\0';
    /* "g_3": the underscore marks the subscript, it is not part of the name. */
    if (digits > 0 && base > 1 && name[base - 1] == '_')
        base--;
    g = _greek_find(name, base);
    if (g != NULL)
        _append(buf, size, &need, g->latex, strlen(g->latex));
    else if (base == 1)
        _append(buf, size, &need, name, 1);
    else
    {
        /* Multi-letter names are words, not products of variables. */
        _append(buf, size, &need, "\\mathrm{", 8);
        for (i = 0; i < base; i++)
        {
            char c = name[i];
            if (c == '_' || c == '&' || c == '%' || c == '$' || c == '#'
                || c == '{' || c == '}')
            {
                _append(buf, size, &need, "\\", 1);
                _append(buf, size, &need, &c, 1);
            }
            else if ((unsigned char) c < 0x80 && c != '\\' && c != '^' && c != '~')
                _append(buf, size, &need, &c, 1);
        }
        _append(buf, size, &need, "}", 1);
    }
    if (digits > 0)
    {
        _append(buf, size, &need, "_{", 2);
        _append(buf, size, &need, name + strlen(name) - digits, digits);
        _append(buf, size, &need, "}", 1);
    }
    return (int) need;
}
