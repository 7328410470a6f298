/*
 * stream.c - the one stream every source shares: bytes already in memory.
 */
#include "core/compat.h"
#include "image/stream.h"

typedef struct mem_stream {
	cs_stream base;
	const uint8_t *p; /* borrowed */
	size_t left;
} mem_stream;

static int mem_read(cs_stream *s, void *buf, size_t cap, size_t *got, cs_err *err)
{
	mem_stream *m = (mem_stream *)s;

	CS_UNUSED(err);
	*got = cap < m->left ? cap : m->left;
	memcpy(buf, m->p, *got);
	m->p += *got;
	m->left -= *got;
	return 0;
}

static void mem_close(cs_stream *s)
{
	free(s);
}

int cs_stream_open_mem(const void *data, size_t len, cs_stream **out, cs_err *err)
{
	mem_stream *m = calloc(1, sizeof(*m));

	*out = NULL;
	if (!m)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	m->base.read = mem_read;
	m->base.close = mem_close;
	m->p = data;
	m->left = len;
	*out = &m->base;
	return 0;
}
