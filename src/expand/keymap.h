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

/* A set of byte strings of one fixed length, stored inline (no pointers,
   no per-key overhead beyond a bitmap of used slots), for the many keys of
   one vertex multiset in direct mode.  256 open-addressing shards chosen by
   the top byte of the hash, each doubled on its own when 9/10 full, so that
   growing never holds two copies of the whole set. */
#define _NEFT_KEYSET_SHARDS 256
typedef struct
{
    slong size;             /* slots, a power of two */
    slong count;
    unsigned char * keys;   /* size * len */
    unsigned char * used;   /* size bits */
}
_neft_keyset_shard;

typedef struct
{
    slong len;              /* key length, fixed at init */
    slong count;
    _neft_keyset_shard shard[_NEFT_KEYSET_SHARDS];
}
_neft_keyset_struct;
typedef _neft_keyset_struct _neft_keyset_t[1];

void _neft_keyset_init(_neft_keyset_t h, slong len);
void _neft_keyset_clear(_neft_keyset_t h);

/* 1 if key (h->len bytes) was present; otherwise inserts it and returns 0. */
int _neft_keyset_insert(_neft_keyset_t h, const unsigned char * key);

#endif
