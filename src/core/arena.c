/*
 * arena.c - bump allocator over a list of blocks (see arena.h).
 */
#include "core/compat.h"
#include "core/arena.h"

#define ARENA_BLOCK_MIN (64 * 1024)
#define ARENA_ALIGN 16

struct cs_arena_block {
	cs_arena_block *next;
	size_t cap; /* usable bytes after the header */
	size_t off; /* bytes used */
	_Alignas(16) unsigned char data[];
};

void cs_arena_init(cs_arena *a)
{
	a->head = NULL;
	a->used = 0;
}

void cs_arena_release(cs_arena *a)
{
	cs_arena_block *b = a->head, *next;

	while (b) {
		next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

static cs_arena_block *block_new(size_t cap)
{
	cs_arena_block *b = malloc(sizeof(*b) + cap);

	if (!b)
		return NULL;
	b->cap = cap;
	b->off = 0;
	return b;
}

void *cs_arena_alloc(cs_arena *a, size_t n)
{
	cs_arena_block *b;
#ifndef CS_ARENA_DEBUG
	void *p;
#endif

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
#ifdef CS_ARENA_DEBUG
	/* One block per allocation: sanitizers see object bounds. */
	b = block_new(n);
	if (!b)
		return NULL;
	b->next = a->head;
	a->head = b;
	b->off = n;
	a->used += n;
	memset(b->data, 0, n);
	return b->data;
#else
	b = a->head;
	if (!b || b->cap - b->off < n) {
		size_t cap = n > ARENA_BLOCK_MIN / 4 ? n : ARENA_BLOCK_MIN;
		cs_arena_block *nb = block_new(cap);

		if (!nb)
			return NULL;
		if (b && cap == n) {
			/* Large object: keep the partly used head for small ones. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	p = b->data + b->off;
	b->off += n;
	a->used += n;
	memset(p, 0, n);
	return p;
#endif
}

void *cs_arena_calloc(cs_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return cs_arena_alloc(a, n * size);
}

void *cs_arena_grow(cs_arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p;

	if (ncap < *cap || ncap > SIZE_MAX / size)
		return NULL;
	p = cs_arena_calloc(a, ncap, size);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

char *cs_arena_strndup(cs_arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = cs_arena_alloc(a, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *cs_arena_strdup(cs_arena *a, const char *s)
{
	return s ? cs_arena_strndup(a, s, strlen(s)) : NULL;
}

char *cs_arena_vprintf(cs_arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return NULL;
	p = cs_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *cs_arena_printf(cs_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = cs_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
