/*
 * view.c - the out-of-line part of the bounded view (see view.h).
 */
#include "core/compat.h"
#include "core/view.h"

bool cs_view_line(cs_view *v, const char **line, size_t *n)
{
	const uint8_t *start, *nl;
	size_t left = cs_view_left(v), len;

	if (left == 0)
		return false;
	start = v->p + v->pos;
	nl = memchr(start, '\n', left);
	len = nl ? (size_t)(nl - start) : left;
	v->pos += nl ? len + 1 : len;
	if (len && start[len - 1] == '\r')
		len--;
	*line = (const char *)start;
	*n = len;
	return true;
}
