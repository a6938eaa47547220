/* Grouping of terms that differ only by a permutation of the external points
   (HMS "+ perms"): equal canonical keys with unlabelled externals. */

#include "neft/expand.h"
#include "keymap.h"

void
neft_expansion_group(slong * rep, slong * count, const neft_expansion_t ex)
{
    unsigned char key[NEFT_DIAGRAM_KEY_MAX];
    _neft_keymap_t h;
    slong i;

    _neft_keymap_init(h);
    for (i = 0; i < ex->length; i++)
    {
        slong len = neft_diagram_key(key, ex->terms + i, 1);
        slong r = _neft_keymap_lookup_insert(h, key, len, i);
        rep[i] = r < 0 ? i : r;
        count[i] = 0;
        count[rep[i]]++;
    }
    _neft_keymap_clear(h);
}
