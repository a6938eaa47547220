/* A theory: a list of couplings with exact weights and a prune mask.  The
   invariants every function keeps (and the parser relies on): names are
   valid, distinct identifiers; 1 <= legs <= NEFT_THEORY_LEGS_MAX; weights are
   nonzero and canonical; length <= NEFT_THEORY_COUPLINGS_MAX. */

#include <string.h>
#include <flint/flint.h>
#include <flint/fmpq.h>
#include "neft/theory.h"

void
neft_theory_init(neft_theory_t th)
{
    th->name = NULL;
    th->length = 0;
    th->prune = 0;
}

void
neft_theory_clear(neft_theory_t th)
{
    slong i;

    for (i = 0; i < th->length; i++)
    {
        flint_free(th->couplings[i].name);
        fmpq_clear(th->couplings[i].weight);
    }
    flint_free(th->name);
    /* Leave an empty theory behind, so that clearing twice or reusing after
       a clear is harmless. */
    neft_theory_init(th);
}

static char *
_strdup(const char * s)
{
    size_t len = strlen(s);
    char * t = flint_malloc(len + 1);
    memcpy(t, s, len + 1);
    return t;
}

void
neft_theory_set(neft_theory_t dst, const neft_theory_t src)
{
    neft_theory_t tmp;
    slong i;

    if (dst == src)
        return;

    /* Build the copy aside and swap it in: dst is untouched until the end. */
    neft_theory_init(tmp);
    tmp->name = src->name == NULL ? NULL : _strdup(src->name);
    for (i = 0; i < src->length; i++)
    {
        tmp->couplings[i].name = _strdup(src->couplings[i].name);
        tmp->couplings[i].legs = src->couplings[i].legs;
        fmpq_init(tmp->couplings[i].weight);
        fmpq_set(tmp->couplings[i].weight, src->couplings[i].weight);
        tmp->couplings[i].npoints = src->couplings[i].npoints;
        memcpy(tmp->couplings[i].point_legs, src->couplings[i].point_legs,
               sizeof(src->couplings[i].point_legs));
        tmp->couplings[i].position = src->couplings[i].position;
        tmp->length = i + 1;
    }
    tmp->prune = src->prune;

    neft_theory_clear(dst);
    *dst = *tmp;
}

/* 1 if s is [A-Za-z][A-Za-z0-9_]* of at most NEFT_THEORY_NAME_MAX chars.
   Checked byte by byte against ASCII ranges, not with <ctype.h>, so that the
   answer does not depend on the locale. */
static int
_valid_name(const char * s)
{
    size_t i;

    if (s == NULL)
        return 0;
    if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return 0;
    for (i = 1; s[i] != '\0'; i++)
    {
        char c = s[i];
        if (i >= NEFT_THEORY_NAME_MAX)
            return 0;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

slong
neft_theory_find(const neft_theory_t th, const char * name)
{
    slong i;

    if (name == NULL)
        return -1;
    for (i = 0; i < th->length; i++)
        if (strcmp(th->couplings[i].name, name) == 0)
            return i;
    return -1;
}

slong
neft_theory_add_coupling(neft_theory_t th, const char * name, slong legs,
                         const fmpq_t weight)
{
    neft_coupling_struct * c;

    if (th->length >= NEFT_THEORY_COUPLINGS_MAX)
        return -1;
    if (!_valid_name(name) || neft_theory_find(th, name) >= 0)
        return -1;
    if (legs < 1 || legs > NEFT_THEORY_LEGS_MAX)
        return -1;
    /* A zero denominator can only come from a caller who assembled weight
       by hand (fmpz_set on num/den); fmpq_canonicalise below covers the
       unreduced case of the same. */
    if (fmpq_is_zero(weight) || fmpz_is_zero(fmpq_denref(weight)))
        return -1;

    c = th->couplings + th->length;
    c->name = _strdup(name);
    c->legs = legs;
    fmpq_init(c->weight);
    fmpq_set(c->weight, weight);
    fmpq_canonicalise(c->weight);
    c->npoints = 1;
    memset(c->point_legs, 0, sizeof(c->point_legs));
    c->point_legs[0] = legs;
    c->position = 0;
    return th->length++;
}

int
neft_theory_set_points(neft_theory_t th, slong c, slong npoints, const slong * legs)
{
    slong j, sum = 0;
    neft_coupling_struct * cp;

    if (c < 0 || c >= th->length || npoints < 1 || npoints > NEFT_THEORY_POINTS_MAX)
        return -1;
    cp = th->couplings + c;
    for (j = 0; j < npoints; j++)
    {
        if (legs[j] < 1)
            return -1;
        sum += legs[j];
    }
    if (sum != cp->legs || (npoints > 1 && cp->position != 0))
        return -1;
    cp->npoints = npoints;
    memset(cp->point_legs, 0, sizeof(cp->point_legs));
    for (j = 0; j < npoints; j++)
        cp->point_legs[j] = legs[j];
    return 0;
}

int
neft_theory_set_position(neft_theory_t th, slong c, slong p)
{
    if (c < 0 || c >= th->length || p < 0 || p > NEFT_THEORY_POSITION_MAX
        || (p != 0 && th->couplings[c].npoints != 1))
        return -1;
    th->couplings[c].position = p;
    return 0;
}

int
neft_theory_has_nonlocal(const neft_theory_t th)
{
    slong i;
    for (i = 0; i < th->length; i++)
        if (th->couplings[i].npoints > 1)
            return 1;
    return 0;
}

void
neft_theory_fuse(neft_theory_t dst, const neft_theory_t th)
{
    slong i;
    neft_theory_set(dst, th);
    for (i = 0; i < dst->length; i++)
    {
        neft_coupling_struct * cp = dst->couplings + i;
        cp->npoints = 1;
        memset(cp->point_legs, 0, sizeof(cp->point_legs));
        cp->point_legs[0] = cp->legs;
    }
}
