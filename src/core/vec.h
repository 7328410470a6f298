/*
 * vec.h - growable array of pointers.
 *
 * The vector owns its pointer array, not the objects pointed at (those
 * usually live in an arena). cs_vec_push fails with CS_ENOMEM or CS_ELIMIT.
 */
#ifndef CS_VEC_H
#define CS_VEC_H

#include "core/compat.h"

typedef struct cs_vec {
	void **items; /* owned array of borrowed pointers */
	size_t len;
	size_t cap;
} cs_vec;

#define CS_VEC_INIT {NULL, 0, 0}

void cs_vec_init(cs_vec *v);
void cs_vec_release(cs_vec *v);
int cs_vec_push(cs_vec *v, void *item);
void cs_vec_sort(cs_vec *v, int (*cmp)(const void *a, const void *b));

static inline void *cs_vec_get(const cs_vec *v, size_t i)
{
	return i < v->len ? v->items[i] : NULL;
}

#endif
