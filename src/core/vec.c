/*
 * vec.c - growable pointer array (see vec.h).
 */
#include "core/compat.h"
#include "core/vec.h"
#include "core/error.h"

void cs_vec_init(cs_vec *v)
{
	v->items = NULL;
	v->len = v->cap = 0;
}

void cs_vec_release(cs_vec *v)
{
	free(v->items);
	cs_vec_init(v);
}

int cs_vec_push(cs_vec *v, void *item)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void **p;

		if (cap > SIZE_MAX / sizeof(void *))
			return CS_ELIMIT;
		p = realloc(v->items, cap * sizeof(void *));
		if (!p)
			return CS_ENOMEM;
		v->items = p;
		v->cap = cap;
	}
	v->items[v->len++] = item;
	return 0;
}

/* cmp receives pointers to elements, i.e. (T **), as qsort does. */
void cs_vec_sort(cs_vec *v, int (*cmp)(const void *a, const void *b))
{
	if (v->len > 1)
		qsort(v->items, v->len, sizeof(void *), cmp);
}
