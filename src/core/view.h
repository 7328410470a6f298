/*
 * view.h - bounded, read-only view over untrusted bytes (ClamAV's fmap).
 *
 * Every parser of image content reads through a cs_view: each accessor
 * checks the remaining length first and reports failure instead of reading
 * past the end. A view never owns its bytes.
 */
#ifndef CS_VIEW_H
#define CS_VIEW_H

#include "core/compat.h"

typedef struct cs_view {
	const uint8_t *p; /* borrowed */
	size_t len;       /* total bytes */
	size_t pos;       /* read offset, <= len */
} cs_view;

static inline cs_view cs_view_make(const void *p, size_t len)
{
	cs_view v = {(const uint8_t *)p, len, 0};
	return v;
}

static inline size_t cs_view_left(const cs_view *v)
{
	return v->len - v->pos;
}

/* Advances by n bytes; false (and no move) when fewer are left. */
static inline bool cs_view_skip(cs_view *v, size_t n)
{
	if (cs_view_left(v) < n)
		return false;
	v->pos += n;
	return true;
}

/* Points *out at the next n bytes and advances; false when fewer are left. */
static inline bool cs_view_take(cs_view *v, size_t n, const uint8_t **out)
{
	if (cs_view_left(v) < n)
		return false;
	*out = v->p + v->pos;
	v->pos += n;
	return true;
}

static inline bool cs_view_u8(cs_view *v, uint8_t *out)
{
	if (cs_view_left(v) < 1)
		return false;
	*out = v->p[v->pos++];
	return true;
}

static inline bool cs_view_u32be(cs_view *v, uint32_t *out)
{
	const uint8_t *b;

	if (!cs_view_take(v, 4, &b))
		return false;
	*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return true;
}

static inline bool cs_view_u32le(cs_view *v, uint32_t *out)
{
	const uint8_t *b;

	if (!cs_view_take(v, 4, &b))
		return false;
	*out = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
	return true;
}

/*
 * Returns the next line (without its "\n" or "\r\n") in *line and *n and
 * advances past it; false at the end of the view. A last line without a
 * newline is returned too. Lines may contain NUL bytes: use *n.
 */
bool cs_view_line(cs_view *v, const char **line, size_t *n);

#endif
