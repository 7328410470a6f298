/*
 * map.h - string-keyed hash map (open addressing, FNV-1a).
 *
 * Keys are borrowed: they must outlive the map (they usually live in the
 * same arena as the values). Values are borrowed pointers.
 */
#ifndef CS_MAP_H
#define CS_MAP_H

#include "core/compat.h"

typedef struct cs_map_slot {
	const char *key; /* borrowed; NULL for an empty slot */
	size_t klen;
	uint64_t hash;
	void *value; /* borrowed */
} cs_map_slot;

typedef struct cs_map {
	cs_map_slot *slots; /* owned */
	size_t cap;         /* power of two, or 0 */
	size_t len;
} cs_map;

void cs_map_init(cs_map *m);
void cs_map_release(cs_map *m);
/* Inserts or replaces. CS_ENOMEM. */
int cs_map_put(cs_map *m, const char *key, void *value);
int cs_map_putn(cs_map *m, const char *key, size_t klen, void *value);
/* NULL when absent. */
void *cs_map_get(const cs_map *m, const char *key);
void *cs_map_getn(const cs_map *m, const char *key, size_t klen);

#endif
