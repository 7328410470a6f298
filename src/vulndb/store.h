/*
 * store.h - the SQLite vulnerability database (schema: docs/vulndb.md).
 *
 * One file, opened read-only for scans and read-write for imports. Writes
 * happen in one transaction per import; an update builds a new file next to
 * the old one and renames it into place, so a failed update leaves the
 * previous database usable. Lookups are by (ecosystem, normalized package
 * name), served by an index.
 */
#ifndef CS_STORE_VDB_H
#define CS_STORE_VDB_H

#include "core/compat.h"
#include "core/error.h"
#include "vulndb/vulndb.h"

typedef struct cs_vdb cs_vdb;

/* Opens path; writable creates it (and the schema) when missing. CS_ENOTFOUND when absent and not writable. */
int cs_vdb_open(cs_vdb **out, const char *path, bool writable, cs_err *err);
void cs_vdb_close(cs_vdb *db);

/* Transactions around an import. */
int cs_vdb_begin(cs_vdb *db, cs_err *err);
int cs_vdb_commit(cs_vdb *db, cs_err *err);
void cs_vdb_rollback(cs_vdb *db);

/*
 * Starts importing from source name ("osv-go", "alpine-secdb"...): records
 * the source (url may be NULL) and returns its id. Within the transaction,
 * each advisory put replaces the same (source, id) advisory if present.
 */
int cs_vdb_source(cs_vdb *db, const char *name, const char *url, int64_t *id, cs_err *err);
int cs_vdb_source_done(cs_vdb *db, int64_t id, const char *etag, const char *last_modified, cs_err *err);

/* Stores one advisory for a source (idempotent per (source, advisory id)). */
int cs_vdb_put_advisory(cs_vdb *db, int64_t source, const cs_vdb_advisory *a, cs_err *err);
int cs_vdb_put_kev(cs_vdb *db, const cs_vdb_kev *k, cs_err *err);
int cs_vdb_put_epss(cs_vdb *db, const cs_vdb_epss *e, cs_err *err);

/* A sink that writes to db under source (for importers). */
cs_vdb_sink cs_vdb_store_sink(cs_vdb *db, int64_t *source, size_t *bad_count);

/* ---- lookups ---------------------------------------------------------------- */

/* One affected entry of one advisory, as matching needs it. Strings borrowed until the callback returns. */
typedef struct cs_vdb_hit {
	int64_t advisory;          /* row id, for cs_vdb_advisory_get */
	const char *id;            /* advisory id */
	const char *source;        /* source name */
	const char *ecosystem;
	const char *package;
	const char *scheme;
	const char *status;
	const char *severity;      /* vendor's per-package severity, or NULL */
	const cs_vdb_range *ranges;
	size_t nranges;
	const char *const *versions;
	size_t nversions;
} cs_vdb_hit;

/*
 * Calls fn for every affected entry of non-withdrawn advisories for
 * (ecosystem, package) (package normalized by the caller or not: it is
 * normalized here). fn returning non-zero stops and is returned.
 */
int cs_vdb_lookup(cs_vdb *db, const char *ecosystem, const char *package,
		  int (*fn)(const cs_vdb_hit *hit, void *payload), void *payload, cs_err *err);

#endif
