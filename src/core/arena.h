/*
 * arena.h - region allocator: many allocations, one free.
 *
 * A scan owns one arena for everything image-scoped (paths, package
 * strings, findings) and each layer walk owns one for what it collects;
 * freeing the arena releases it all. An arena is not thread-safe: give each
 * thread its own. Built with -DCS_ARENA_DEBUG every allocation is its own
 * malloc, so ASan sees overflows between objects.
 *
 * Allocation failure is reported as NULL; the arena stays usable.
 */
#ifndef CS_ARENA_H
#define CS_ARENA_H

#include "core/compat.h"

#include <stdarg.h>

typedef struct cs_arena_block cs_arena_block;

typedef struct cs_arena {
	cs_arena_block *head; /* newest block first; owned */
	size_t used;          /* bytes handed out, for statistics */
} cs_arena;

void cs_arena_init(cs_arena *a);
/* Frees every allocation made from a; a is left empty and reusable. */
void cs_arena_release(cs_arena *a);

/* n bytes aligned for any type, zeroed. NULL when out of memory. */
void *cs_arena_alloc(cs_arena *a, size_t n);
/* Overflow-checked n * size. */
void *cs_arena_calloc(cs_arena *a, size_t n, size_t size);
/*
 * Grows an arena array of n elements of size bytes: returns a zeroed copy
 * with twice *cap slots (16 when *cap is 0) and sets *cap; the old array is
 * left to the arena. Amortised O(1) appends with no realloc. NULL (and
 * *cap unchanged) when out of memory or on overflow.
 */
void *cs_arena_grow(cs_arena *a, void *old, size_t n, size_t *cap, size_t size);
char *cs_arena_strdup(cs_arena *a, const char *s);
/* Copies at most n bytes of s and terminates; s need not be terminated. */
char *cs_arena_strndup(cs_arena *a, const char *s, size_t n);
char *cs_arena_printf(cs_arena *a, const char *fmt, ...) CS_PRINTF(2, 3);
char *cs_arena_vprintf(cs_arena *a, const char *fmt, va_list ap) CS_PRINTF(2, 0);

#endif
