/*
 * store.h - the SQLite vulnerability database (schema: docs/vulndb.md).
 *
 * One file, opened read-only for scans and read-write for imports. Writes
 * happen in one transaction per import; an update builds a new file next to
 * the old one and renames it into place, so a failed update leaves the
 * previous database usable. Lookups are by (ecosystem, normalized package
 * name), served by an index.
 *
 * A cs_vdb may be shared by threads: every function takes the handle's
 * lock, and callbacks run without it (they may call back into the store).
 * Writes belong to one thread at a time, inside cs_vdb_begin/commit.
 */
#ifndef CS_STORE_VDB_H
#define CS_STORE_VDB_H

#include "core/compat.h"
#include "core/arena.h"
#include "core/error.h"
#include "vulndb/vulndb.h"

/* Bumped on every incompatible schema change; a database of another version is refused. */
#define CS_VDB_SCHEMA_VERSION 1

typedef struct cs_vdb cs_vdb;

/*
 * Opens path; writable creates it (and the schema) when missing or empty.
 * CS_ENOTFOUND when absent and not writable; CS_EFORMAT when the file is
 * not a customs database or has another schema version; CS_EIO otherwise.
 * Read-only handles use SQLITE_OPEN_READONLY and never write the file.
 */
int cs_vdb_open(cs_vdb **out, const char *path, bool writable, cs_err *err);
void cs_vdb_close(cs_vdb *db);

/*
 * Transactions around an import. They nest: the outermost begin is
 * "BEGIN IMMEDIATE", inner ones are savepoints, so a caller can undo one
 * archive (rollback of the inner level) and keep the rest. The outermost
 * commit also stamps meta.built_at when anything was written. rollback
 * undoes the innermost open level and never fails (an error there leaves
 * SQLite's own rollback to close the transaction).
 */
int cs_vdb_begin(cs_vdb *db, cs_err *err);
int cs_vdb_commit(cs_vdb *db, cs_err *err);
void cs_vdb_rollback(cs_vdb *db);
/* Open levels: 0 outside a transaction. */
int cs_vdb_depth(cs_vdb *db);

/*
 * Starts importing from source name ("osv-go", "alpine-secdb"...): records
 * the source (url may be NULL: the one stored is kept) and returns its id.
 * Within the transaction, each advisory put replaces the same (source, id)
 * advisory if present.
 */
int cs_vdb_source(cs_vdb *db, const char *name, const char *url, int64_t *id, cs_err *err);
/*
 * Ends an import from source id: stamps its import time and advisory count;
 * etag and last_modified (HTTP validators of the download) replace the
 * stored ones unless NULL.
 */
int cs_vdb_source_done(cs_vdb *db, int64_t id, const char *etag, const char *last_modified, cs_err *err);

/*
 * Forgets source name before its feed is imported anew (the updater), so
 * that advisories the feed no longer lists do not linger: deletes the
 * source and every advisory it holds, their rows going with them. 0 also
 * when there is no such source. Belongs inside the caller's transaction.
 */
int cs_vdb_source_delete(cs_vdb *db, const char *name, cs_err *err);
/*
 * Empties table "kev" or "epss" (keyed by CVE, they belong to no source)
 * before a complete catalog replaces it. CS_EUSAGE for any other name.
 */
int cs_vdb_clear_table(cs_vdb *db, const char *table, cs_err *err);

/*
 * Stores one advisory for a source (idempotent per (source, advisory id):
 * the previous version and all its rows are deleted first). Needs id, and
 * ecosystem and package on every affected entry; status, when given, one
 * of the CS_VDB_* words. CS_EUSAGE (message in err) otherwise.
 */
int cs_vdb_put_advisory(cs_vdb *db, int64_t source, const cs_vdb_advisory *a, cs_err *err);
/* KEV and EPSS rows are keyed by CVE: a later put replaces. CS_EUSAGE without a cve. */
int cs_vdb_put_kev(cs_vdb *db, const cs_vdb_kev *k, cs_err *err);
int cs_vdb_put_epss(cs_vdb *db, const cs_vdb_epss *e, cs_err *err);

/*
 * A sink that writes to db under *source (read at each record, so the
 * caller may switch sources between files), counting skipped records in
 * *bad_count (may be NULL) and logging each as a warning. The sink's
 * payload is db itself: one store sink per handle at a time.
 */
cs_vdb_sink cs_vdb_store_sink(cs_vdb *db, int64_t *source, size_t *bad_count);

/* ---- lookups ---------------------------------------------------------------- */

/* One affected entry of one advisory, as matching needs it. Strings borrowed until the callback returns. */
typedef struct cs_vdb_hit {
	int64_t advisory;          /* row id, for cs_vdb_advisory_get */
	const char *id;            /* advisory id */
	const char *source;        /* source name */
	const char *ecosystem;
	const char *package;       /* normalized */
	const char *scheme;        /* cs_vdb_scheme(ecosystem), or NULL */
	const char *status;        /* CS_VDB_* */
	const char *severity;      /* vendor's per-package severity, or NULL */
	const cs_vdb_range *ranges;
	size_t nranges;
	const char *const *versions;
	size_t nversions;
} cs_vdb_hit;

/*
 * Calls fn for every affected entry of non-withdrawn advisories for
 * (ecosystem, package) (package normalized by the caller or not: it is
 * normalized here), ordered by advisory id, then source name, then the
 * entry's position in the advisory. The ecosystem must match exactly
 * ("Debian:12" does not find "Debian"). fn returning non-zero stops and
 * is returned. 0 when nothing matched.
 */
int cs_vdb_lookup(cs_vdb *db, const char *ecosystem, const char *package,
		  int (*fn)(const cs_vdb_hit *hit, void *payload), void *payload, cs_err *err);

/*
 * The row id of advisory id from source, withdrawn or not. source names
 * a source or a family of them: "nvd" finds the advisory in "nvd" first,
 * else in the first "nvd-*" source by name (import.c names sources
 * "<importer>-<label>"); NULL looks in every source, the first by name.
 * CS_ENOTFOUND.
 */
int cs_vdb_advisory_find(int64_t *out, cs_vdb *db, const char *source, const char *id, cs_err *err);

/*
 * The whole advisory of row id advisory, allocated in a (withdrawn ones
 * too: check ->withdrawn). Aliases are sorted; cvss, references, affected,
 * ranges and versions keep the order they were stored in; affected
 * packages are the normalized names. *source_name (may be NULL) gets the
 * source's name. CS_ENOTFOUND.
 */
int cs_vdb_advisory_get(cs_vdb_advisory **out, const char **source_name, cs_vdb *db, int64_t advisory, cs_arena *a,
			cs_err *err);

/*
 * Calls fn, in byte order, for each id that names the same vulnerability
 * as id: the ids of non-withdrawn advisories that are id or list it as an
 * alias, and every alias those advisories list (one hop: CVE -> GO-...
 * -> GHSA-...). id itself is not reported. fn returning non-zero stops and
 * is returned.
 */
int cs_vdb_aliases(cs_vdb *db, const char *id, int (*fn)(const char *alias, void *payload), void *payload,
		   cs_err *err);

/* KEV / EPSS entry of cve, strings allocated in a. CS_ENOTFOUND. */
int cs_vdb_kev_get(cs_vdb_kev *out, cs_vdb *db, const char *cve, cs_arena *a, cs_err *err);
int cs_vdb_epss_get(cs_vdb_epss *out, cs_vdb *db, const char *cve, cs_arena *a, cs_err *err);

/* ---- what the database holds (customs db info) -------------------------------- */

typedef struct cs_vdb_source_info {
	const char *name;
	const char *url;           /* or NULL */
	const char *etag;          /* or NULL */
	const char *last_modified; /* or NULL */
	const char *imported_at;   /* RFC 3339 UTC of the last import, or NULL */
	int64_t advisories;        /* rows now, withdrawn included */
	int64_t withdrawn;
} cs_vdb_source_info;

typedef struct cs_vdb_table_count {
	const char *table;
	int64_t rows;
} cs_vdb_table_count;

typedef struct cs_vdb_info {
	const char *path;
	int schema_version;
	const char *built_at;            /* RFC 3339 UTC of the last import's commit; NULL: never */
	const char *built_by;            /* customs version of that import, or NULL */
	const cs_vdb_source_info *sources; /* sorted by name */
	size_t nsources;
	const cs_vdb_table_count *tables; /* every table, in schema order */
	size_t ntables;
} cs_vdb_info;

/* Fills *out, everything allocated in a. */
int cs_vdb_get_info(cs_vdb_info *out, cs_vdb *db, cs_arena *a, cs_err *err);

#endif
