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
