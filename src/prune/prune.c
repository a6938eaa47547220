/* Pruning rules: names, look-up, list parsing and printing.

   The names are a user-facing contract (rules files, `--prune`, the "prune"
   array of the JSON output); their order here is the bit order of the
   NEFT_PRUNE_* flags and the order in which lists are printed. */

#include <stdio.h>
#include <string.h>
#include "neft/prune.h"

static const char * const _prune_names[NEFT_PRUNE_COUNT] = {
    "vacuum",
    "two-point-component",
    "self-energy",
    "tadpole",
    "connected",
    "one-particle-irreducible",
};

/* Listed in every error message, so that a user who mistyped a name sees
   what was possible without looking it up. */
#define _PRUNE_VALID "vacuum, two-point-component, self-energy, tadpole, " \
    "connected, one-particle-irreducible (alias 1pi), or none"

/* Longest part of a bad entry quoted back in an error message: the list may
   come from a hostile file, and the message has to stay one readable line. */
#define _PRUNE_QUOTE_MAX 40

const char *
neft_prune_name(int i)
{
    if (i < 0 || i >= NEFT_PRUNE_COUNT)
        return NULL;
    return _prune_names[i];
}

/* Flag of the rule whose name is the len bytes at s (not NUL-terminated). */
static unsigned
_prune_lookup_len(const char * s, size_t len)
{
    int i;

    for (i = 0; i < NEFT_PRUNE_COUNT; i++)
        if (strlen(_prune_names[i]) == len && memcmp(_prune_names[i], s, len) == 0)
            return 1u << i;
    if (len == 3 && memcmp(s, "1pi", 3) == 0)
        return NEFT_PRUNE_1PI;
    return 0;
}

unsigned
neft_prune_lookup(const char * name)
{
    if (name == NULL)
        return 0;
    return _prune_lookup_len(name, strlen(name));
}

static int
_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Writes into err (when there is room) the message for the bad entry of len
   bytes at s.  Quoting is cut at a UTF-8 character boundary. */
static void
_prune_error(char * err, size_t errsize, const char * what, const char * s, size_t len)
{
    size_t shown = len;
    const char * dots = "";

    if (err == NULL || errsize == 0)
        return;
    if (shown > _PRUNE_QUOTE_MAX)
    {
        shown = _PRUNE_QUOTE_MAX;
        while (shown > 0 && (((unsigned char) s[shown]) & 0xC0) == 0x80)
            shown--;
        dots = "...";
    }
    if (s == NULL)
        snprintf(err, errsize, "%s (valid: " _PRUNE_VALID ")", what);
    else
        snprintf(err, errsize, "%s '%.*s%s' (valid: " _PRUNE_VALID ")",
                 what, (int) shown, s, dots);
}

int
neft_prune_parse(unsigned * mask, const char * list, char * err, size_t errsize)
{
    unsigned m = 0;
    const char * p, * q, * end;
    int entries = 0, none = 0;

    if (list == NULL)
        list = "";

    /* Trim the whole list first so that "  none " and "" are recognised. */
    p = list;
    while (_is_blank(*p))
        p++;
    end = p + strlen(p);
    while (end > p && _is_blank(end[-1]))
        end--;

    if (p == end)
    {
        _prune_error(err, errsize, "empty prune list: expected a rule name", NULL, 0);
        return -1;
    }

    for (;;)
    {
        const char * a, * b;
        unsigned f;

        q = memchr(p, ',', (size_t) (end - p));
        if (q == NULL)
            q = end;
        a = p;
        b = q;
        while (a < b && _is_blank(*a))
            a++;
        while (b > a && _is_blank(b[-1]))
            b--;

        if (a == b)
        {
            _prune_error(err, errsize, "empty entry in prune list", list,
                         strlen(list));
            return -1;
        }
        entries++;
        if ((size_t) (b - a) == 4 && memcmp(a, "none", 4) == 0)
            none = 1;
        else if ((f = _prune_lookup_len(a, (size_t) (b - a))) != 0)
            m |= f;
        else
        {
            _prune_error(err, errsize, "unknown prune rule", a, (size_t) (b - a));
            return -1;
        }

        if (q == end)
            break;
        p = q + 1;
    }

    /* "none,vacuum" is more likely a mistake than a request for vacuum. */
    if (none && entries > 1)
    {
        _prune_error(err, errsize, "'none' cannot be combined with other rules in",
                     list, strlen(list));
        return -1;
    }

    *mask = m;
    return 0;
}

int
neft_prune_format(char * buf, size_t size, unsigned mask)
{
    size_t need = 0;
    int i;

    if (buf != NULL && size > 0)
        buf[0] = '\0';

    /* Bits beyond NEFT_PRUNE_COUNT name no rule and are ignored. */
    mask &= (1u << NEFT_PRUNE_COUNT) - 1;

    if (mask == 0)
    {
        if (buf != NULL && size > 0)
            snprintf(buf, size, "none");
        return 4;
    }

    for (i = 0; i < NEFT_PRUNE_COUNT; i++)
    {
        const char * s;
        size_t len;

        if (!(mask & (1u << i)))
            continue;
        if (need > 0)
        {
            if (buf != NULL && need + 1 < size)
            {
                buf[need] = ',';
                buf[need + 1] = '\0';
            }
            need++;
        }
        s = _prune_names[i];
        len = strlen(s);
        if (buf != NULL && need < size)
        {
            size_t room = size - need - 1;
            size_t k = len < room ? len : room;
            memcpy(buf + need, s, k);
            buf[need + k] = '\0';
        }
        need += len;
    }
    return (int) need;
}
