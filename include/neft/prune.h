/* neft/prune.h -- names and sets of pruning rules.
 *
 * A prune set is a bit mask of NEFT_PRUNE_* flags.  The names are the
 * contract of the rules files and of `--prune` (see docs/rules.md and
 * docs/conventions.md for what each rule removes). */
#ifndef NEFT_PRUNE_H
#define NEFT_PRUNE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NEFT_PRUNE_VACUUM              (1u << 0) /* component without external point */
#define NEFT_PRUNE_TWO_POINT_COMPONENT (1u << 1) /* HMS rule 4.5 */
#define NEFT_PRUNE_SELF_ENERGY         (1u << 2) /* QGRAF nosigma */
#define NEFT_PRUNE_TADPOLE             (1u << 3) /* bridge with an external-free side */
#define NEFT_PRUNE_CONNECTED           (1u << 4) /* keep connected diagrams only */
#define NEFT_PRUNE_1PI                 (1u << 5) /* keep one-particle-irreducible only */
#define NEFT_PRUNE_COUNT 6

/* The canonical name of rule number i (0 <= i < NEFT_PRUNE_COUNT), e.g.
   "two-point-component"; NULL out of range. */
const char * neft_prune_name(int i);

/* The flag of the rule called name (exact match, also the alias "1pi" for
   one-particle-irreducible), or 0 when there is no such rule. */
unsigned neft_prune_lookup(const char * name);

/* Parses a comma-separated list ("vacuum,two-point-component"; blanks around
   names allowed) or the word "none" into *mask.  Returns 0 on success; on
   failure returns -1, leaves *mask alone and writes a one-line reason naming
   the bad entry and the valid names into err. */
int neft_prune_parse(unsigned * mask, const char * list, char * err, size_t errsize);

/* Writes the names of the rules in mask, comma-separated in canonical order,
   or "none"; returns the length that was needed (snprintf semantics). */
int neft_prune_format(char * buf, size_t size, unsigned mask);

#ifdef __cplusplus
}
#endif
#endif
