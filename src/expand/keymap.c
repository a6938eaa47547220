/* Hash map of canonical keys (see keymap.h). */

#include <string.h>
#include "keymap.h"

static ulong
_hash(const unsigned char * key, slong len)
{
    ulong h = UWORD(1469598103934665603);
    slong i;
    for (i = 0; i < len; i++)
    {
        h ^= key[i];
        h *= UWORD(1099511628211);
    }
    return h ^ (h >> 29);
}

void
_neft_keymap_init(_neft_keymap_t h)
{
    slong i;
    h->size = 1024;
    h->count = 0;
    h->slot_off = flint_malloc(sizeof(slong) * h->size);
    h->slot_len = flint_malloc(sizeof(slong) * h->size);
    h->slot_val = flint_malloc(sizeof(slong) * h->size);
    for (i = 0; i < h->size; i++)
        h->slot_off[i] = -1;
    h->arena_alloc = 1 << 16;
    h->arena_len = 0;
    h->arena = flint_malloc(h->arena_alloc);
}

void
_neft_keymap_clear(_neft_keymap_t h)
{
    flint_free(h->slot_off);
    flint_free(h->slot_len);
    flint_free(h->slot_val);
    flint_free(h->arena);
}

static void
_place(_neft_keymap_t h, slong off, slong len, slong val)
{
    ulong i = _hash(h->arena + off, len) & (h->size - 1);
    while (h->slot_off[i] >= 0)
        i = (i + 1) & (h->size - 1);
    h->slot_off[i] = off;
    h->slot_len[i] = len;
    h->slot_val[i] = val;
}

static void
_grow(_neft_keymap_t h)
{
    slong old = h->size, i;
    slong * off = h->slot_off, * len = h->slot_len, * val = h->slot_val;

    h->size = 2 * old;
    h->slot_off = flint_malloc(sizeof(slong) * h->size);
    h->slot_len = flint_malloc(sizeof(slong) * h->size);
    h->slot_val = flint_malloc(sizeof(slong) * h->size);
    for (i = 0; i < h->size; i++)
        h->slot_off[i] = -1;
    for (i = 0; i < old; i++)
        if (off[i] >= 0)
            _place(h, off[i], len[i], val[i]);
    flint_free(off);
    flint_free(len);
    flint_free(val);
}

slong
_neft_keymap_lookup_insert(_neft_keymap_t h, const unsigned char * key, slong len, slong val)
{
    ulong i = _hash(key, len) & (h->size - 1);

    while (h->slot_off[i] >= 0)
    {
        if (h->slot_len[i] == len && memcmp(h->arena + h->slot_off[i], key, len) == 0)
            return h->slot_val[i];
        i = (i + 1) & (h->size - 1);
    }
    if (h->arena_len + len > h->arena_alloc)
    {
        while (h->arena_len + len > h->arena_alloc)
            h->arena_alloc *= 2;
        h->arena = flint_realloc(h->arena, h->arena_alloc);
    }
    memcpy(h->arena + h->arena_len, key, len);
    h->slot_off[i] = h->arena_len;
    h->slot_len[i] = len;
    h->slot_val[i] = val;
    h->arena_len += len;
    h->count++;
    if (2 * h->count > h->size)
        _grow(h);
    return -1;
}
