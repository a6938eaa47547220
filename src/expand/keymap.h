/* Private: a hash map from byte strings (canonical keys) to slong values,
   open addressing with FNV-1a; keys live in one growing arena. */
#ifndef NEFT_EXPAND_KEYMAP_H
#define NEFT_EXPAND_KEYMAP_H

#include <flint/flint.h>

typedef struct
{
    slong size;         /* slots, a power of two */
    slong count;
    slong * slot_off;   /* arena offset of the key, -1 for empty */
    slong * slot_len;
    slong * slot_val;
    unsigned char * arena;
    slong arena_len, arena_alloc;
}
_neft_keymap_struct;
typedef _neft_keymap_struct _neft_keymap_t[1];

void _neft_keymap_init(_neft_keymap_t h);
void _neft_keymap_clear(_neft_keymap_t h);

/* If key is present returns its value; otherwise inserts it with value val
   and returns -1. */
slong _neft_keymap_lookup_insert(_neft_keymap_t h, const unsigned char * key, slong len,
                                 slong val);

#endif
