/*
 * map.c - open-addressing string map with linear probing (see map.h).
 */
#include "core/compat.h"
#include "core/map.h"
#include "core/error.h"

static uint64_t map_hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ull;
	}
	return h;
}

void cs_map_init(cs_map *m)
{
	m->slots = NULL;
	m->cap = m->len = 0;
}

void cs_map_release(cs_map *m)
{
	free(m->slots);
	cs_map_init(m);
}

static cs_map_slot *map_find(cs_map_slot *slots, size_t cap, const char *k, size_t n, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	for (;;) {
		cs_map_slot *s = &slots[i];

		if (!s->key || (s->hash == h && s->klen == n && memcmp(s->key, k, n) == 0))
			return s;
		i = (i + 1) & (cap - 1);
	}
}

static int map_grow(cs_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	cs_map_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return CS_ENOMEM;
	for (i = 0; i < m->cap; i++) {
		cs_map_slot *o = &m->slots[i];

		if (o->key)
			*map_find(slots, cap, o->key, o->klen, o->hash) = *o;
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int cs_map_putn(cs_map *m, const char *key, size_t klen, void *value)
{
	uint64_t h = map_hash(key, klen);
	cs_map_slot *s;
	int err;

	if ((m->len + 1) * 4 > m->cap * 3 && (err = map_grow(m)) < 0)
		return err;
	s = map_find(m->slots, m->cap, key, klen, h);
	if (!s->key) {
		s->key = key;
		s->klen = klen;
		s->hash = h;
		m->len++;
	}
	s->value = value;
	return 0;
}

int cs_map_put(cs_map *m, const char *key, void *value)
{
	return cs_map_putn(m, key, strlen(key), value);
}

void *cs_map_getn(const cs_map *m, const char *key, size_t klen)
{
	cs_map_slot *s;

	if (!m->cap)
		return NULL;
	s = map_find(m->slots, m->cap, key, klen, map_hash(key, klen));
	return s->key ? s->value : NULL;
}

void *cs_map_get(const cs_map *m, const char *key)
{
	return cs_map_getn(m, key, strlen(key));
}
