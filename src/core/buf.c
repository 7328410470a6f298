/*
 * buf.c - bounded growable buffer (see buf.h).
 */
#include "core/compat.h"
#include "core/buf.h"
#include "core/error.h"

static char buf_empty[1];

void cs_buf_init(cs_buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : SIZE_MAX / 2;
}

void cs_buf_release(cs_buf *b)
{
	if (b->cap)
		free(b->data);
	b->data = buf_empty;
	b->len = b->cap = 0;
}

void cs_buf_reset(cs_buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
}

int cs_buf_grow(cs_buf *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (!b->max)
		b->max = SIZE_MAX / 2;
	if (n > b->max || b->len > b->max - n)
		return CS_ELIMIT;
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 4 ? want : cap * 2;
	p = realloc(b->cap ? b->data : NULL, cap);
	if (!p)
		return CS_ENOMEM;
	if (!b->cap)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return 0;
}

int cs_buf_append(cs_buf *b, const void *p, size_t n)
{
	int err;

	if ((err = cs_buf_grow(b, n)) < 0)
		return err;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int cs_buf_puts(cs_buf *b, const char *s)
{
	return cs_buf_append(b, s, strlen(s));
}

int cs_buf_putc(cs_buf *b, char c)
{
	return cs_buf_append(b, &c, 1);
}

int cs_buf_printf(cs_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, err;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return CS_ERR;
	if ((err = cs_buf_grow(b, (size_t)n)) < 0)
		return err;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *cs_buf_detach(cs_buf *b, size_t *len)
{
	char *p;

	if (!b->cap && cs_buf_grow(b, 0) < 0)
		return NULL;
	p = b->data;
	if (len)
		*len = b->len;
	b->data = buf_empty;
	b->len = b->cap = 0;
	return p;
}
