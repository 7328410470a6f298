/*
 * layer.h - stream one layer blob: verify, decompress, walk its tar.
 *
 * cs_layer_walk reads the blob once. A decoder thread hashes the blob,
 * inflates it (format from its magic bytes) and hashes the tar (the
 * diff_id) while the calling thread walks the tar entries with libarchive
 * and hands each one to a callback that may read the entry's content. The
 * two share a small ring of buffers, so memory stays bounded whatever the
 * layer's size, and nothing is written to disk.
 *
 * The blob digest and size and the diff_id are checked against what the
 * manifest and config declare; any mismatch fails the layer, as does a
 * corrupt or truncated stream or a broken tar.
 */
#ifndef CS_LAYER_H
#define CS_LAYER_H

#include "core/compat.h"

#include <stdatomic.h>
#include "core/buf.h"
#include "core/error.h"
#include "core/limits.h"
#include "core/sha256.h"
#include "catalog/analyzer.h"
#include "image/decompress.h"
#include "image/stream.h"

/* What the image says the layer should be. Fields may be NULL/0 when unknown. */
typedef struct cs_layer_expect {
	const char *label;   /* names the layer in messages: "layer 2 'sha256:ab..'" */
	const char *digest;  /* blob digest */
	uint64_t size;       /* blob size in bytes */
	const char *diff_id; /* digest of the uncompressed tar */
} cs_layer_expect;

/* What the walk measured. */
typedef struct cs_layer_result {
	char digest[CS_DIGEST_MAX];  /* of the blob as read */
	char diff_id[CS_DIGEST_MAX]; /* of the uncompressed tar */
	cs_comp comp;
	uint64_t blob_size;
	uint64_t tar_size;
	uint64_t entries;
} cs_layer_result;

/* Entry kinds passed to the callback. */
enum {
	CS_ENTRY_NORMAL = 0, /* a file, directory, link or special file */
	CS_ENTRY_WHITEOUT,   /* ".wh.NAME": e->path is the deleted path */
	CS_ENTRY_OPAQUE,     /* ".wh..wh..opq": e->path is the directory made opaque */
	CS_ENTRY_BAD,        /* a name that escapes the root: e->path is the raw name */
};

typedef struct cs_layer_reader cs_layer_reader;

/*
 * Called for each tar entry in archive order. Returns 0 to go on, or a
 * negative code (message in err) to stop the walk with that error.
 */
typedef int (*cs_layer_entry_fn)(cs_layer_reader *r, const cs_entry *e, int kind, void *payload,
				 cs_err *err);

/*
 * Reads the current entry's content into out (reset first), holes of
 * sparse files as zeros. CS_ELIMIT, with no message and out left empty,
 * when the entry holds more than max bytes. Call at most once per entry, from the callback.
 */
int cs_layer_read_data(cs_layer_reader *r, cs_buf *out, uint64_t max, cs_err *err);

/*
 * The same, also handing every block to tap (when not NULL) as it is read:
 * one pass serves both. An entry over max is still read to its end for the
 * tap (out left empty, CS_ELIMIT); max 0 keeps nothing at all. Holes of
 * sparse files are not shown to the tap.
 */
int cs_layer_read_tap(cs_layer_reader *r, cs_buf *out, uint64_t max, cs_tap_fn tap, void *tap_arg, cs_err *err);

/*
 * Walks blob (borrowed; not closed) and fills *res. cancel, when not NULL,
 * is polled: a non-zero value stops the walk early with CS_ERR.
 */
int cs_layer_walk(cs_stream *blob, const cs_layer_expect *exp, const cs_limits *lim,
		  const atomic_int *cancel, cs_layer_entry_fn fn, void *payload, cs_layer_result *res,
		  cs_err *err);

#endif
