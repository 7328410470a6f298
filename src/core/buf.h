/*
 * buf.h - growable byte buffer with a hard maximum (git's strbuf, bounded).
 *
 * The contents are always NUL-terminated (the terminator is not counted in
 * len), so text parsers can use them as C strings. Growing past max fails
 * with CS_ELIMIT, so no untrusted input can make a buffer grow without end.
 */
#ifndef CS_BUF_H
#define CS_BUF_H

#include "core/compat.h"

#include <stdarg.h>

typedef struct cs_buf {
	char *data; /* owned; NUL-terminated when cap > 0 */
	size_t len; /* bytes used, excluding the terminator */
	size_t cap; /* bytes allocated */
	size_t max; /* largest len allowed; 0 means SIZE_MAX / 2 */
} cs_buf;

#define CS_BUF_INIT {NULL, 0, 0, 0}

void cs_buf_init(cs_buf *b, size_t max);
void cs_buf_release(cs_buf *b);
/* Empties b and keeps its memory. */
void cs_buf_reset(cs_buf *b);
/* Makes room for n more bytes. CS_ELIMIT past max, CS_ENOMEM. */
int cs_buf_grow(cs_buf *b, size_t n);
int cs_buf_append(cs_buf *b, const void *p, size_t n);
int cs_buf_puts(cs_buf *b, const char *s);
int cs_buf_putc(cs_buf *b, char c);
int cs_buf_printf(cs_buf *b, const char *fmt, ...) CS_PRINTF(2, 3);
/* Hands the data to the caller (free() it) and empties b. */
char *cs_buf_detach(cs_buf *b, size_t *len);

#endif
