/*
 * store.h - a container of named files: a directory or a tar archive.
 *
 * Image formats (docker-archive, OCI layout) are read through a store, so
 * an OCI layout and an OCI archive share one parser, and the same for a
 * docker archive and its unpacked directory. Names are clean relative paths
 * ("blobs/sha256/ab..", "manifest.json"); a name with ".." or a leading "/"
 * is refused, so nothing in an image can make customs read outside it.
 *
 * A registry store (registry.h) presents an image in a registry as an OCI
 * layout: "oci-layout", "index.json" and "blobs/sha256/<hex>" fetched on
 * demand, layers streamed over the network.
 *
 * A tar store indexes the archive once (headers only, data skipped by
 * seeking) and keeps small members in memory; each cs_store_open() of a
 * large member opens the file again, so several layers can stream at once
 * from one archive on different threads. A store is otherwise not
 * thread-safe: call cs_store_read/cs_store_stat from one thread.
 *
 * A stream store reads a tar archive from a stream that cannot seek or be
 * opened again (a daemon's HTTP body, a pipe), in one pass: cs_store_next
 * steps to each regular member in archive order, and the caller streams it
 * (cs_store_stream), keeps it in memory (cs_store_keep) or lets it go by.
 * Links and directories are recorded as they come. Once the pass is over,
 * the members kept (and links to them) read like those of any store; the
 * others give CS_EFORMAT naming them.
 */
#ifndef CS_STORE_H
#define CS_STORE_H

#include "core/compat.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/limits.h"
#include "image/stream.h"

typedef struct cs_store cs_store;
struct cs_ref;
struct cs_registry_opts;

/* Opens directory dir as a store. CS_ENOTFOUND, CS_EIO. */
int cs_store_open_dir(cs_store **out, const char *dir, cs_err *err);

/*
 * Opens tar archive path (plain, or gzip/zstd/xz-compressed as a whole) and
 * indexes its members. CS_EFORMAT when it is not a tar archive.
 */
int cs_store_open_tar(cs_store **out, const char *path, const cs_limits *lim, cs_err *err);

/*
 * Starts a stream store over src (owned from now on, closed by
 * cs_store_free, also on failure), a tar archive, plain or compressed as a
 * whole. label names it in messages and is its cs_store_path.
 */
int cs_store_open_stream(cs_store **out, const char *label, cs_stream *src, const cs_limits *lim, cs_err *err);

/*
 * Stream stores: steps to the next regular member, reading past what the
 * caller did not take of the current one. Returns 1 with its name
 * (borrowed, valid as long as the store) and size, 0 at the end of the
 * archive, or a negative code (a truncated or broken archive, the source's
 * own error, more than lim->max_entries members).
 */
int cs_store_next(cs_store *st, const char **name, uint64_t *size, cs_err *err);

/* The first bytes of the current member (up to 512; fewer only when it is smaller). */
void cs_store_peek(const cs_store *st, const uint8_t **head, size_t *len);

/*
 * Keeps the current member in memory, to be read once the pass is over.
 * CS_ELIMIT when the members kept would pass 64 MiB in all.
 */
int cs_store_keep(cs_store *st, cs_err *err);

/*
 * Streams the current member from its start: the stream (*out, closed by
 * the caller before the next cs_store_next) reads from the archive itself,
 * on any one thread at a time.
 */
int cs_store_stream(cs_store *st, cs_stream **out, cs_err *err);

/* The regular member name leads to after links, or NULL (borrowed). */
const char *cs_store_canonical(cs_store *st, const char *name);

/*
 * Opens the image ref names in its registry (see registry.h); label is the
 * reference as written, for messages and cs_store_path. o may be NULL.
 */
int cs_store_open_registry(cs_store **out, const char *label, const struct cs_ref *ref,
			   const struct cs_registry_opts *o, const cs_limits *lim, cs_err *err);

/* The layers about to be streamed from a registry store (for its progress line); no-op otherwise. */
void cs_store_plan(cs_store *st, size_t layers, uint64_t bytes);

/* True for a registry store. */
bool cs_store_is_registry(const cs_store *st);

void cs_store_free(cs_store *st);

/* A stream reading file descriptor fd (owned: closed with the stream); name is for messages. */
int cs_stream_open_fd(cs_stream **out, int fd, const char *name, cs_err *err);

/* The path the store was opened from (borrowed). */
const char *cs_store_path(const cs_store *st);
bool cs_store_is_dir(const cs_store *st);

/* True when name exists as a regular file (after following archive links). */
bool cs_store_has(cs_store *st, const char *name);

/* Size of member name in bytes. CS_ENOTFOUND. */
int cs_store_size(cs_store *st, const char *name, uint64_t *size, cs_err *err);

/*
 * Reads member name whole into out (reset first), refusing more than max
 * bytes with CS_ELIMIT. CS_ENOTFOUND when absent.
 */
int cs_store_read(cs_store *st, const char *name, uint64_t max, cs_buf *out, cs_err *err);

/* Opens member name for streaming; the caller closes *out. CS_ENOTFOUND. */
int cs_store_open(cs_store *st, const char *name, cs_stream **out, cs_err *err);

#endif
