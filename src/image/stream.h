/*
 * stream.h - a pull stream of bytes: a blob in a directory, a member of an
 * archive, later an HTTP body. The layer pipeline reads every blob through
 * this interface, so a new image source only has to provide one.
 */
#ifndef CS_STREAM_H
#define CS_STREAM_H

#include "core/compat.h"
#include "core/error.h"

typedef struct cs_stream cs_stream;

struct cs_stream {
	/*
	 * Reads up to cap bytes into buf; *got = 0 means the end. Returns 0 or a
	 * negative code with a message in err.
	 */
	int (*read)(cs_stream *s, void *buf, size_t cap, size_t *got, cs_err *err);
	/* Releases the stream and everything it holds. */
	void (*close)(cs_stream *s);
};

/*
 * A tap sees an entry's content block by block as it is read (a secret
 * scanner, say), whether or not the reader also keeps it. Returns 0, or a
 * negative code (with a message in err) that stops the read.
 */
typedef int (*cs_tap_fn)(void *arg, const void *data, size_t len, cs_err *err);

/*
 * A stream over len bytes at data, borrowed: they must outlive the stream
 * (a store's or a registry's cache). CS_ENOMEM.
 */
int cs_stream_open_mem(const void *data, size_t len, cs_stream **out, cs_err *err);

static inline void cs_stream_close(cs_stream *s)
{
	if (s)
		s->close(s);
}

#endif
