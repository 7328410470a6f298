/*
 * store.c - the vulnerability database in one SQLite file (see store.h;
 * the schema is documented in docs/vulndb.md).
 *
 * Importers hand records to cs_vdb_put_*; each advisory replaces what the
 * same source said before about the same id (its rows go with it, by
 * ON DELETE CASCADE), so importing the same feed twice gives the same
 * database. Scans read it back through cs_vdb_lookup, one indexed query
 * per (ecosystem, package). Every statement is prepared once per handle
 * and kept; the handle's lock makes it safe to share between threads.
 *
 * Durability: the rollback journal (journal_mode=DELETE, never WAL) keeps
 * the file one file and makes a crash mid-import roll back to the last
 * commit when the database is next opened for writing.
 */
#include "core/compat.h"
#include "vulndb/store.h"
#include "core/version.h"
#include "core/log.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>


/* The schema; docs/vulndb.md says what each column holds. */
static const char schema_sql[] =
	"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;\n"
	"CREATE TABLE source (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  url TEXT, etag TEXT, last_modified TEXT, imported_at TEXT,\n"
	"  records INTEGER NOT NULL DEFAULT 0);\n"
	"CREATE TABLE advisory (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  source INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  summary TEXT, details TEXT, published TEXT, modified TEXT, withdrawn TEXT, severity TEXT,\n"
	"  file TEXT, imported_at TEXT NOT NULL,\n"
	"  UNIQUE (source, name));\n"
	"CREATE INDEX advisory_by_name ON advisory(name);\n"
	"CREATE TABLE alias (\n"
	"  advisory INTEGER NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,\n"
	"  alias TEXT NOT NULL,\n"
	"  PRIMARY KEY (advisory, alias)) WITHOUT ROWID;\n"
	"CREATE INDEX alias_by_alias ON alias(alias);\n"
	"CREATE TABLE cvss (\n"
	"  advisory INTEGER NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  version TEXT, vector TEXT, score REAL, source TEXT,\n"
	"  PRIMARY KEY (advisory, seq)) WITHOUT ROWID;\n"
	"CREATE TABLE reference (\n"
	"  advisory INTEGER NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  url TEXT NOT NULL,\n"
	"  PRIMARY KEY (advisory, seq)) WITHOUT ROWID;\n"
	"CREATE TABLE affected (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  advisory INTEGER NOT NULL REFERENCES advisory(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  ecosystem TEXT NOT NULL,\n"
	"  package TEXT NOT NULL,\n"
	"  status TEXT NOT NULL,\n"
	"  severity TEXT);\n"
	"CREATE INDEX affected_by_package ON affected(ecosystem, package);\n"
	"CREATE INDEX affected_by_advisory ON affected(advisory, seq);\n"
	"CREATE TABLE affected_range (\n"
	"  affected INTEGER NOT NULL REFERENCES affected(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  introduced TEXT, fixed TEXT, last_affected TEXT, limit_version TEXT,\n"
	"  PRIMARY KEY (affected, seq)) WITHOUT ROWID;\n"
	"CREATE TABLE affected_version (\n"
	"  affected INTEGER NOT NULL REFERENCES affected(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  version TEXT NOT NULL,\n"
	"  PRIMARY KEY (affected, seq)) WITHOUT ROWID;\n"
	"CREATE TABLE kev (\n"
	"  cve TEXT PRIMARY KEY,\n"
	"  date_added TEXT, due_date TEXT,\n"
	"  ransomware INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;\n"
	"CREATE TABLE epss (\n"
	"  cve TEXT PRIMARY KEY,\n"
	"  score REAL, percentile REAL, date TEXT) WITHOUT ROWID;\n";

/* Every table, in schema order (cs_vdb_get_info counts them). */
static const char *const tables[] = {"source",   "advisory",       "alias",            "cvss",
				     "reference", "affected",      "affected_range",   "affected_version",
				     "kev",       "epss"};

enum {
	ST_SOURCE_UPSERT,
	ST_SOURCE_DONE,
	ST_SOURCE_DELETE,
	ST_ADV_DELETE,
	ST_ADV_INSERT,
	ST_ALIAS_INSERT,
	ST_CVSS_INSERT,
	ST_REF_INSERT,
	ST_AFF_INSERT,
	ST_RANGE_INSERT,
	ST_VERSION_INSERT,
	ST_KEV_PUT,
	ST_EPSS_PUT,
	ST_LOOKUP,
	ST_RANGES_OF,
	ST_VERSIONS_OF,
	ST_FIND,
	ST_ADV_GET,
	ST_ALIASES_OF,
	ST_CVSS_OF,
	ST_REFS_OF,
	ST_AFF_OF,
	ST_ALIAS_GROUP,
	ST_KEV_GET,
	ST_EPSS_GET,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
	[ST_SOURCE_UPSERT] = "INSERT INTO source(name, url) VALUES (?1, ?2) "
			     "ON CONFLICT(name) DO UPDATE SET url = coalesce(excluded.url, url) RETURNING id",
	[ST_SOURCE_DONE] = "UPDATE source SET imported_at = ?2, "
			   "records = (SELECT count(*) FROM advisory WHERE source = ?1), "
			   "etag = coalesce(?3, etag), last_modified = coalesce(?4, last_modified) WHERE id = ?1",
	[ST_SOURCE_DELETE] = "DELETE FROM source WHERE name = ?1",
	[ST_ADV_DELETE] = "DELETE FROM advisory WHERE source = ?1 AND name = ?2",
	[ST_ADV_INSERT] = "INSERT INTO advisory(source, name, summary, details, published, modified, withdrawn, "
			  "severity, file, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_ALIAS_INSERT] = "INSERT OR IGNORE INTO alias(advisory, alias) VALUES (?1, ?2)",
	[ST_CVSS_INSERT] = "INSERT INTO cvss(advisory, seq, version, vector, score, source) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_REF_INSERT] = "INSERT INTO reference(advisory, seq, url) VALUES (?1, ?2, ?3)",
	[ST_AFF_INSERT] = "INSERT INTO affected(advisory, seq, ecosystem, package, status, severity) "
			  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_RANGE_INSERT] = "INSERT INTO affected_range(affected, seq, introduced, fixed, last_affected, "
			    "limit_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_VERSION_INSERT] = "INSERT INTO affected_version(affected, seq, version) VALUES (?1, ?2, ?3)",
	[ST_KEV_PUT] = "INSERT OR REPLACE INTO kev(cve, date_added, due_date, ransomware) VALUES (?1, ?2, ?3, ?4)",
	[ST_EPSS_PUT] = "INSERT OR REPLACE INTO epss(cve, score, percentile, date) VALUES (?1, ?2, ?3, ?4)",
	[ST_LOOKUP] = "SELECT a.id, a.name, s.name, f.id, f.ecosystem, f.package, f.status, f.severity "
		      "FROM affected f JOIN advisory a ON a.id = f.advisory JOIN source s ON s.id = a.source "
		      "WHERE f.ecosystem = ?1 AND f.package = ?2 AND a.withdrawn IS NULL "
		      "ORDER BY a.name, s.name, f.seq",
	[ST_RANGES_OF] = "SELECT introduced, fixed, last_affected, limit_version FROM affected_range "
			 "WHERE affected = ?1 ORDER BY seq",
	[ST_VERSIONS_OF] = "SELECT version FROM affected_version WHERE affected = ?1 ORDER BY seq",
	[ST_FIND] = "SELECT a.id FROM advisory a JOIN source s ON s.id = a.source "
		    "WHERE a.name = ?1 AND (?2 IS NULL OR s.name = ?2 OR substr(s.name, 1, length(?2) + 1) = ?2 || '-') "
		    "ORDER BY s.name = ?2 DESC, s.name LIMIT 1",
	[ST_ADV_GET] = "SELECT a.name, s.name, a.summary, a.details, a.published, a.modified, a.withdrawn, "
		       "a.severity, a.file FROM advisory a JOIN source s ON s.id = a.source WHERE a.id = ?1",
	[ST_ALIASES_OF] = "SELECT alias FROM alias WHERE advisory = ?1 ORDER BY alias",
	[ST_CVSS_OF] = "SELECT version, vector, score, source FROM cvss WHERE advisory = ?1 ORDER BY seq",
	[ST_REFS_OF] = "SELECT url FROM reference WHERE advisory = ?1 ORDER BY seq",
	[ST_AFF_OF] = "SELECT id, ecosystem, package, status, severity FROM affected WHERE advisory = ?1 "
		      "ORDER BY seq",
	[ST_ALIAS_GROUP] = "WITH adv(id) AS ("
			   " SELECT id FROM advisory WHERE name = ?1 AND withdrawn IS NULL"
			   " UNION SELECT l.advisory FROM alias l JOIN advisory a ON a.id = l.advisory"
			   " WHERE l.alias = ?1 AND a.withdrawn IS NULL) "
			   "SELECT name FROM advisory WHERE id IN adv AND name <> ?1 "
			   "UNION SELECT alias FROM alias WHERE advisory IN adv AND alias <> ?1 ORDER BY 1",
	[ST_KEV_GET] = "SELECT date_added, due_date, ransomware FROM kev WHERE cve = ?1",
	[ST_EPSS_GET] = "SELECT score, percentile, date FROM epss WHERE cve = ?1",
};

struct cs_vdb {
	sqlite3 *h;
	char *path;                 /* owned */
	bool writable;
	pthread_mutex_t lock;       /* held by every public function */
	sqlite3_stmt *st[ST_COUNT]; /* prepared on first use; owned */
	int depth;                  /* open transaction levels */
	bool dirty;                 /* something was written in the open transaction */
	char now[32];               /* RFC 3339 time stamp of the open transaction */
	int64_t *sink_source;       /* cs_vdb_store_sink's, borrowed */
	size_t *sink_bad;
};

/* ---- helpers ---------------------------------------------------------------- */

/* The current time (or $SOURCE_DATE_EPOCH, for reproducible builds) as RFC 3339 UTC. */
static void now_rfc3339(char out[32])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;

	if (sde && *sde) {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(sde, &end, 10);
		if (!errno && !*end && v >= 0)
			t = (time_t)v;
	}
	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

/* Maps SQLite's last error on db to a CS_E* code and records "database 'x': cannot what: why". */
static int db_fail(cs_vdb *db, cs_err *err, const char *what)
{
	int rc = sqlite3_errcode(db->h), code;

	switch (rc) {
	case SQLITE_NOMEM:
		code = CS_ENOMEM;
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_FORMAT:
		code = CS_EFORMAT;
		break;
	case SQLITE_CONSTRAINT:
	case SQLITE_MISUSE:
	case SQLITE_ERROR:
		code = CS_ERR;
		break;
	default:
		code = CS_EIO;
		break;
	}
	return cs_err_set(err, code, "database '%s': cannot %s: %s", db->path, what, sqlite3_errmsg(db->h));
}

/* Statement which, prepared on first use, reset and unbound. NULL with err set. */
static sqlite3_stmt *stmt(cs_vdb *db, int which, cs_err *err)
{
	sqlite3_stmt *s = db->st[which];

	if (!s) {
		if (sqlite3_prepare_v3(db->h, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
			db_fail(db, err, "prepare a statement");
			return NULL;
		}
		db->st[which] = s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static int bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

/* Runs s, which returns no rows, and resets it. */
static int run(cs_vdb *db, sqlite3_stmt *s, cs_err *err, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, err, what);
	return 0;
}

static int exec(cs_vdb *db, const char *sql, cs_err *err, const char *what)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(db, err, what);
	return 0;
}

/* Column i of the current row copied into a; NULL for SQL NULL. *oom set when the copy failed. */
static const char *col_text(sqlite3_stmt *s, int i, cs_arena *a, bool *oom)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	char *c;

	if (!v)
		return NULL;
	c = cs_arena_strdup(a, v);
	if (!c)
		*oom = true;
	return c;
}

/* An arena array grown to hold n + 1 items (the old array is left to the arena). */
static void *grow(cs_arena *a, void *old, size_t n, size_t *cap, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return old;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / size)
		return NULL;
	p = cs_arena_calloc(a, ncap, size);
	if (p && old && n)
		memcpy(p, old, n * size);
	if (p)
		*cap = ncap;
	return p;
}

static int oom(cs_err *err)
{
	return cs_err_set(err, CS_ENOMEM, "out of memory");
}

/* ---- open and close ----------------------------------------------------------- */

static int read_schema_version(cs_vdb *db, int *version, cs_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc, n;

	*version = -1;
	if (sqlite3_prepare_v2(db->h, "SELECT count(*) FROM sqlite_master", -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		/* a hot journal: a read-only connection may not roll it back */
		if (!db->writable && sqlite3_errcode(db->h) == SQLITE_READONLY)
			return cs_err_set(err, CS_EIO,
					  "database '%s' was left by an interrupted import: open it for writing once "
					  "to roll that back",
					  db->path);
		return db_fail(db, err, "read the schema");
	}
	n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (n == 0)
		return 0; /* empty: the caller creates the schema */
	rc = sqlite3_prepare_v2(db->h, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &s, NULL);
	if (rc != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return cs_err_set(err, CS_EFORMAT, "'%s' is not a customs vulnerability database", db->path);
	}
	*version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

static int create_schema(cs_vdb *db, cs_err *err)
{
	char sql[128];
	int code;

	if ((code = exec(db, "BEGIN IMMEDIATE", err, "begin a transaction")) < 0)
		return code;
	snprintf(sql, sizeof(sql), "INSERT INTO meta VALUES ('schema_version', '%d')", CS_VDB_SCHEMA_VERSION);
	if ((code = exec(db, schema_sql, err, "create the schema")) < 0 ||
	    (code = exec(db, sql, err, "create the schema")) < 0 ||
	    (code = exec(db, "COMMIT", err, "commit the schema")) < 0) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return code;
	}
	return 0;
}

int cs_vdb_open(cs_vdb **out, const char *path, bool writable, cs_err *err)
{
	int flags = writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
	int code = 0, version;
	struct stat sb;
	cs_vdb *db;

	*out = NULL;
	if (!writable && stat(path, &sb) < 0) {
		if (errno == ENOENT)
			return cs_err_set(err, CS_ENOTFOUND, "database '%s' not found", path);
		return cs_err_set(err, CS_EIO, "cannot open database '%s': %s", path, strerror(errno));
	}
	db = calloc(1, sizeof(*db));
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return oom(err);
	}
	db->writable = writable;
	pthread_mutex_init(&db->lock, NULL);
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		code = db->h ? db_fail(db, err, "open it") : oom(err);
		goto done;
	}
	if ((code = exec(db, "PRAGMA foreign_keys = ON", err, "enable foreign keys")) < 0)
		goto done;
	if (writable && ((code = exec(db, "PRAGMA journal_mode = DELETE", err, "set the journal mode")) < 0 ||
			 (code = exec(db, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536", err,
				      "set the cache size")) < 0))
		goto done;
	if ((code = read_schema_version(db, &version, err)) < 0)
		goto done;
	if (version < 0 && writable) {
		if ((code = create_schema(db, err)) < 0)
			goto done;
		version = CS_VDB_SCHEMA_VERSION;
	}
	if (version < 0) {
		code = cs_err_set(err, CS_EFORMAT, "database '%s' is empty", path);
	} else if (version != CS_VDB_SCHEMA_VERSION) {
		code = cs_err_set(err, CS_EFORMAT,
				  "database '%s' has schema version %d, this customs reads version %d: update it",
				  path, version, CS_VDB_SCHEMA_VERSION);
	}
done:
	if (code < 0) {
		cs_vdb_close(db);
		return code;
	}
	*out = db;
	return 0;
}

void cs_vdb_close(cs_vdb *db)
{
	size_t i;

	if (!db)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	if (db->h) {
		if (!sqlite3_get_autocommit(db->h))
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(db->h);
	}
	pthread_mutex_destroy(&db->lock);
	free(db->path);
	free(db);
}

/* ---- transactions ------------------------------------------------------------ */

static int begin_locked(cs_vdb *db, cs_err *err)
{
	char sql[48];
	int code;

	if (!db->writable)
		return cs_err_set(err, CS_EUSAGE, "database '%s' is open read-only", db->path);
	if (db->depth == 0) {
		if ((code = exec(db, "BEGIN IMMEDIATE", err, "begin a transaction")) < 0)
			return code;
		now_rfc3339(db->now);
		db->dirty = false;
	} else {
		snprintf(sql, sizeof(sql), "SAVEPOINT cs_%d", db->depth);
		if ((code = exec(db, sql, err, "open a savepoint")) < 0)
			return code;
	}
	db->depth++;
	return 0;
}

static int commit_locked(cs_vdb *db, cs_err *err)
{
	sqlite3_stmt *s = NULL;
	char sql[48];
	int code;

	if (db->depth <= 0)
		return cs_err_set(err, CS_EUSAGE, "database '%s': commit without a transaction", db->path);
	if (db->depth > 1) {
		snprintf(sql, sizeof(sql), "RELEASE cs_%d", db->depth - 1);
		if ((code = exec(db, sql, err, "release a savepoint")) < 0)
			return code;
		db->depth--;
		return 0;
	}
	if (db->dirty) {
		if (sqlite3_prepare_v2(db->h, "INSERT OR REPLACE INTO meta VALUES ('built_at', ?1), ('built_by', ?2)",
				       -1, &s, NULL) != SQLITE_OK)
			return db_fail(db, err, "stamp the build time");
		bind_text(s, 1, db->now);
		bind_text(s, 2, cs_version());
		code = run(db, s, err, "stamp the build time");
		sqlite3_finalize(s);
		if (code < 0)
			return code;
	}
	if ((code = exec(db, "COMMIT", err, "commit")) < 0)
		return code;
	db->depth = 0;
	db->dirty = false;
	return 0;
}

static void rollback_locked(cs_vdb *db)
{
	char sql[64];

	if (db->depth <= 0)
		return;
	if (db->depth > 1) {
		snprintf(sql, sizeof(sql), "ROLLBACK TO cs_%d; RELEASE cs_%d", db->depth - 1, db->depth - 1);
		sqlite3_exec(db->h, sql, NULL, NULL, NULL);
		db->depth--;
		return;
	}
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->depth = 0;
	db->dirty = false;
}

int cs_vdb_begin(cs_vdb *db, cs_err *err)
{
	int code;

	pthread_mutex_lock(&db->lock);
	code = begin_locked(db, err);
	pthread_mutex_unlock(&db->lock);
	return code;
}

int cs_vdb_commit(cs_vdb *db, cs_err *err)
{
	int code;

	pthread_mutex_lock(&db->lock);
	code = commit_locked(db, err);
	pthread_mutex_unlock(&db->lock);
	return code;
}

void cs_vdb_rollback(cs_vdb *db)
{
	pthread_mutex_lock(&db->lock);
	rollback_locked(db);
	pthread_mutex_unlock(&db->lock);
}

int cs_vdb_depth(cs_vdb *db)
{
	int d;

	pthread_mutex_lock(&db->lock);
	d = db->depth;
	pthread_mutex_unlock(&db->lock);
	return d;
}

/* ---- writing ------------------------------------------------------------------- */

int cs_vdb_source(cs_vdb *db, const char *name, const char *url, int64_t *id, cs_err *err)
{
	sqlite3_stmt *s;
	int code = 0;

	pthread_mutex_lock(&db->lock);
	if (!(s = stmt(db, ST_SOURCE_UPSERT, err))) {
		code = CS_ERR;
		goto done;
	}
	bind_text(s, 1, name);
	bind_text(s, 2, url);
	if (sqlite3_step(s) != SQLITE_ROW) {
		code = db_fail(db, err, "record a source");
		goto done;
	}
	*id = sqlite3_column_int64(s, 0);
	if (sqlite3_step(s) != SQLITE_DONE) /* RETURNING writes when stepped to the end */
		code = db_fail(db, err, "record a source");
	db->dirty = true;
done:
	if (s)
		sqlite3_reset(s);
	pthread_mutex_unlock(&db->lock);
	return code;
}

int cs_vdb_source_done(cs_vdb *db, int64_t id, const char *etag, const char *last_modified, cs_err *err)
{
	sqlite3_stmt *s;
	char now[32];
	int code;

	pthread_mutex_lock(&db->lock);
	if (db->depth)
		memcpy(now, db->now, sizeof(now));
	else
		now_rfc3339(now);
	if (!(s = stmt(db, ST_SOURCE_DONE, err))) {
		code = CS_ERR;
	} else {
		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, now);
		bind_text(s, 3, etag);
		bind_text(s, 4, last_modified);
		code = run(db, s, err, "update a source");
		db->dirty = true;
	}
	pthread_mutex_unlock(&db->lock);
	return code;
}

int cs_vdb_source_delete(cs_vdb *db, const char *name, cs_err *err)
{
	sqlite3_stmt *s;
	int code;

	pthread_mutex_lock(&db->lock);
	if (!(s = stmt(db, ST_SOURCE_DELETE, err))) {
		code = CS_ERR;
	} else {
		bind_text(s, 1, name);
		code = run(db, s, err, "delete a source"); /* advisories and their rows go by cascade */
		db->dirty = true;
	}
	pthread_mutex_unlock(&db->lock);
	return code;
}

int cs_vdb_clear_table(cs_vdb *db, const char *table, cs_err *err)
{
	const char *sql = !strcmp(table, "kev") ? "DELETE FROM kev" : !strcmp(table, "epss") ? "DELETE FROM epss" : NULL;
	int code;

	if (!sql)
		return cs_err_set(err, CS_EUSAGE, "database '%s': cannot clear table '%s'", db->path, table);
	pthread_mutex_lock(&db->lock);
	code = exec(db, sql, err, "clear a table");
	db->dirty = true;
	pthread_mutex_unlock(&db->lock);
	return code;
}

static bool valid_status(const char *s)
{
	static const char *const ok[] = {CS_VDB_AFFECTED,     CS_VDB_FIXED,        CS_VDB_NOT_FIXED,
					 CS_VDB_WILL_NOT_FIX, CS_VDB_NOT_AFFECTED, CS_VDB_END_OF_LIFE};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(ok); i++)
		if (strcmp(s, ok[i]) == 0)
			return true;
	return false;
}

/* Checks what the schema and lookups rely on before anything is written. */
static int check_advisory(cs_vdb *db, const cs_vdb_advisory *a, cs_err *err)
{
	size_t i;

	if (!a->id || !*a->id)
		return cs_err_set(err, CS_EUSAGE, "database '%s': advisory without an id", db->path);
	for (i = 0; i < a->naffected; i++) {
		const cs_vdb_affected *f = &a->affected[i];

		if (!f->ecosystem || !f->package || !*f->package)
			return cs_err_set(err, CS_EUSAGE, "advisory '%s': affected[%zu] without ecosystem or package",
					  a->id, i);
		if (f->status && !valid_status(f->status))
			return cs_err_set(err, CS_EUSAGE, "advisory '%s': affected[%zu]: unknown status '%s'", a->id,
					  i, f->status);
	}
	for (i = 0; i < a->naliases; i++)
		if (!a->aliases[i])
			return cs_err_set(err, CS_EUSAGE, "advisory '%s': alias %zu is NULL", a->id, i);
	for (i = 0; i < a->nreferences; i++)
		if (!a->references[i])
			return cs_err_set(err, CS_EUSAGE, "advisory '%s': reference %zu is NULL", a->id, i);
	return 0;
}

static int put_affected(cs_vdb *db, int64_t adv, size_t seq, const cs_vdb_affected *f, cs_err *err)
{
	char small[256], *name = small;
	size_t n = cs_vdb_normalize_into(small, sizeof(small), f->ecosystem, f->package), i;
	sqlite3_stmt *s;
	int64_t id;
	int code = 0;

	if (n >= sizeof(small)) {
		if (!(name = malloc(n + 1)))
			return oom(err);
		cs_vdb_normalize_into(name, n + 1, f->ecosystem, f->package);
	}
	if (!(s = stmt(db, ST_AFF_INSERT, err))) {
		code = CS_ERR;
		goto done;
	}
	sqlite3_bind_int64(s, 1, adv);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)seq);
	bind_text(s, 3, f->ecosystem);
	bind_text(s, 4, name);
	bind_text(s, 5, f->status ? f->status : CS_VDB_AFFECTED);
	bind_text(s, 6, f->severity);
	if ((code = run(db, s, err, "insert an affected package")) < 0)
		goto done;
	id = sqlite3_last_insert_rowid(db->h);
	for (i = 0; i < f->nranges; i++) {
		const cs_vdb_range *r = &f->ranges[i];

		if (!(s = stmt(db, ST_RANGE_INSERT, err))) {
			code = CS_ERR;
			goto done;
		}
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_text(s, 3, r->introduced);
		bind_text(s, 4, r->fixed);
		bind_text(s, 5, r->last_affected);
		bind_text(s, 6, r->limit);
		if ((code = run(db, s, err, "insert a range")) < 0)
			goto done;
	}
	for (i = 0; i < f->nversions; i++) {
		if (!f->versions[i])
			continue;
		if (!(s = stmt(db, ST_VERSION_INSERT, err))) {
			code = CS_ERR;
			goto done;
		}
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_text(s, 3, f->versions[i]);
		if ((code = run(db, s, err, "insert a version")) < 0)
			goto done;
	}
done:
	if (name != small)
		free(name);
	return code;
}

static int put_advisory_locked(cs_vdb *db, int64_t source, const cs_vdb_advisory *a, cs_err *err)
{
	sqlite3_stmt *s;
	int64_t id;
	size_t i;
	int code;

	if ((code = check_advisory(db, a, err)) < 0)
		return code;
	if (!(s = stmt(db, ST_ADV_DELETE, err)))
		return CS_ERR;
	sqlite3_bind_int64(s, 1, source);
	bind_text(s, 2, a->id);
	if ((code = run(db, s, err, "replace an advisory")) < 0)
		return code;
	if (!(s = stmt(db, ST_ADV_INSERT, err)))
		return CS_ERR;
	sqlite3_bind_int64(s, 1, source);
	bind_text(s, 2, a->id);
	bind_text(s, 3, a->summary);
	bind_text(s, 4, a->details);
	bind_text(s, 5, a->published);
	bind_text(s, 6, a->modified);
	bind_text(s, 7, a->withdrawn && *a->withdrawn ? a->withdrawn : NULL);
	bind_text(s, 8, a->severity);
	bind_text(s, 9, a->file);
	bind_text(s, 10, db->now);
	if ((code = run(db, s, err, "insert an advisory")) < 0)
		return code;
	id = sqlite3_last_insert_rowid(db->h);
	for (i = 0; i < a->naliases; i++) {
		if (strcmp(a->aliases[i], a->id) == 0)
			continue;
		if (!(s = stmt(db, ST_ALIAS_INSERT, err)))
			return CS_ERR;
		sqlite3_bind_int64(s, 1, id);
		bind_text(s, 2, a->aliases[i]);
		if ((code = run(db, s, err, "insert an alias")) < 0)
			return code;
	}
	for (i = 0; i < a->ncvss; i++) {
		const cs_vdb_cvss *c = &a->cvss[i];

		if (!(s = stmt(db, ST_CVSS_INSERT, err)))
			return CS_ERR;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_text(s, 3, c->version);
		bind_text(s, 4, c->vector);
		if (c->score >= 0)
			sqlite3_bind_double(s, 5, c->score);
		bind_text(s, 6, c->source);
		if ((code = run(db, s, err, "insert a CVSS score")) < 0)
			return code;
	}
	for (i = 0; i < a->nreferences; i++) {
		if (!(s = stmt(db, ST_REF_INSERT, err)))
			return CS_ERR;
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)i);
		bind_text(s, 3, a->references[i]);
		if ((code = run(db, s, err, "insert a reference")) < 0)
			return code;
	}
	for (i = 0; i < a->naffected; i++)
		if ((code = put_affected(db, id, i, &a->affected[i], err)) < 0)
			return code;
	return 0;
}

int cs_vdb_put_advisory(cs_vdb *db, int64_t source, const cs_vdb_advisory *a, cs_err *err)
{
	bool own;
	int code;

	pthread_mutex_lock(&db->lock);
	/* One advisory is many rows: outside a transaction it gets its own. */
	own = db->depth == 0;
	if (own && (code = begin_locked(db, err)) < 0)
		goto done;
	code = put_advisory_locked(db, source, a, err);
	if (code == 0)
		db->dirty = true;
	if (own) {
		if (code == 0)
			code = commit_locked(db, err);
		if (code < 0)
			rollback_locked(db);
	}
done:
	pthread_mutex_unlock(&db->lock);
	return code;
}

int cs_vdb_put_kev(cs_vdb *db, const cs_vdb_kev *k, cs_err *err)
{
	sqlite3_stmt *s;
	int code;

	if (!k->cve || !*k->cve)
		return cs_err_set(err, CS_EUSAGE, "database '%s': KEV entry without a CVE", db->path);
	pthread_mutex_lock(&db->lock);
	if (!(s = stmt(db, ST_KEV_PUT, err))) {
		code = CS_ERR;
	} else {
		bind_text(s, 1, k->cve);
		bind_text(s, 2, k->date_added);
		bind_text(s, 3, k->due_date);
		sqlite3_bind_int(s, 4, k->ransomware ? 1 : 0);
		code = run(db, s, err, "insert a KEV entry");
		db->dirty = true;
	}
	pthread_mutex_unlock(&db->lock);
	return code;
}

int cs_vdb_put_epss(cs_vdb *db, const cs_vdb_epss *e, cs_err *err)
{
	sqlite3_stmt *s;
	int code;

	if (!e->cve || !*e->cve)
		return cs_err_set(err, CS_EUSAGE, "database '%s': EPSS entry without a CVE", db->path);
	pthread_mutex_lock(&db->lock);
	if (!(s = stmt(db, ST_EPSS_PUT, err))) {
		code = CS_ERR;
	} else {
		bind_text(s, 1, e->cve);
		sqlite3_bind_double(s, 2, e->score);
		sqlite3_bind_double(s, 3, e->percentile);
		bind_text(s, 4, e->date);
		code = run(db, s, err, "insert an EPSS score");
		db->dirty = true;
	}
	pthread_mutex_unlock(&db->lock);
	return code;
}

/* ---- the store sink -------------------------------------------------------------- */

static int sink_advisory(void *payload, const cs_vdb_advisory *a, cs_err *err)
{
	cs_vdb *db = payload;

	return cs_vdb_put_advisory(db, *db->sink_source, a, err);
}

static int sink_kev(void *payload, const cs_vdb_kev *k, cs_err *err)
{
	return cs_vdb_put_kev(payload, k, err);
}

static int sink_epss(void *payload, const cs_vdb_epss *e, cs_err *err)
{
	return cs_vdb_put_epss(payload, e, err);
}

static void sink_bad(void *payload, const char *file, const char *why)
{
	cs_vdb *db = payload;

	if (db->sink_bad)
		(*db->sink_bad)++;
	cs_warn("'%s': record skipped: %s", file, why);
}

cs_vdb_sink cs_vdb_store_sink(cs_vdb *db, int64_t *source, size_t *bad_count)
{
	cs_vdb_sink s;

	db->sink_source = source;
	db->sink_bad = bad_count;
	s.advisory = sink_advisory;
	s.kev = sink_kev;
	s.epss = sink_epss;
	s.bad = sink_bad;
	s.payload = db;
	return s;
}

/* ---- reading ------------------------------------------------------------------------ */

/* Ranges and versions of affected row f into *r / *v, allocated in a. */
static int read_ranges(cs_vdb *db, int64_t f, cs_arena *a, const cs_vdb_range **r, size_t *nr,
		       const char *const **v, size_t *nv, cs_err *err)
{
	cs_vdb_range *rv = NULL;
	const char **vv = NULL;
	size_t cap = 0;
	sqlite3_stmt *s;
	bool nomem = false;
	int rc;

	*nr = *nv = 0;
	if (!(s = stmt(db, ST_RANGES_OF, err)))
		return CS_ERR;
	sqlite3_bind_int64(s, 1, f);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(rv = grow(a, rv, *nr, &cap, sizeof(*rv))))
			break;
		rv[*nr].introduced = col_text(s, 0, a, &nomem);
		rv[*nr].fixed = col_text(s, 1, a, &nomem);
		rv[*nr].last_affected = col_text(s, 2, a, &nomem);
		rv[*nr].limit = col_text(s, 3, a, &nomem);
		(*nr)++;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW || nomem)
		return oom(err);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "read ranges");
	*r = rv;
	cap = 0;
	if (!(s = stmt(db, ST_VERSIONS_OF, err)))
		return CS_ERR;
	sqlite3_bind_int64(s, 1, f);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(vv = grow(a, vv, *nv, &cap, sizeof(*vv))))
			break;
		vv[(*nv)++] = col_text(s, 0, a, &nomem);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW || nomem)
		return oom(err);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "read versions");
	*v = vv;
	return 0;
}

int cs_vdb_lookup(cs_vdb *db, const char *ecosystem, const char *package,
		  int (*fn)(const cs_vdb_hit *hit, void *payload), void *payload, cs_err *err)
{
	cs_vdb_hit *hits = NULL;
	int64_t *rows = NULL; /* affected row id of each hit */
	size_t nhits = 0, cap = 0, rcap = 0, i;
	const char *name;
	sqlite3_stmt *s;
	bool nomem = false;
	cs_arena a;
	int code = 0, rc;

	cs_arena_init(&a);
	if (!(name = cs_vdb_normalize_name(&a, ecosystem, package))) {
		cs_arena_release(&a);
		return oom(err);
	}
	/* Collect everything first: fn may call back into the store. */
	pthread_mutex_lock(&db->lock);
	if (!(s = stmt(db, ST_LOOKUP, err))) {
		code = CS_ERR;
		goto unlock;
	}
	bind_text(s, 1, ecosystem);
	bind_text(s, 2, name);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		cs_vdb_hit *h;

		if (!(hits = grow(&a, hits, nhits, &cap, sizeof(*hits))) ||
		    !(rows = grow(&a, rows, nhits, &rcap, sizeof(*rows)))) {
			nomem = true;
			break;
		}
		rows[nhits] = sqlite3_column_int64(s, 3);
		h = &hits[nhits++];
		h->advisory = sqlite3_column_int64(s, 0);
		h->id = col_text(s, 1, &a, &nomem);
		h->source = col_text(s, 2, &a, &nomem);
		h->ecosystem = col_text(s, 4, &a, &nomem);
		h->package = col_text(s, 5, &a, &nomem);
		h->status = col_text(s, 6, &a, &nomem);
		h->severity = col_text(s, 7, &a, &nomem);
		h->scheme = cs_vdb_scheme(h->ecosystem);
	}
	sqlite3_reset(s);
	if (nomem) {
		code = oom(err);
		goto unlock;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		code = db_fail(db, err, "look up a package");
		goto unlock;
	}
	for (i = 0; i < nhits && code == 0; i++)
		code = read_ranges(db, rows[i], &a, &hits[i].ranges, &hits[i].nranges,
				   &hits[i].versions, &hits[i].nversions, err);
unlock:
	pthread_mutex_unlock(&db->lock);
	for (i = 0; i < nhits && code == 0; i++)
		code = fn(&hits[i], payload);
	cs_arena_release(&a);
	return code;
}

int cs_vdb_advisory_find(int64_t *out, cs_vdb *db, const char *source, const char *id, cs_err *err)
{
	sqlite3_stmt *s;
	int code = 0, rc;

	pthread_mutex_lock(&db->lock);
	if (!(s = stmt(db, ST_FIND, err))) {
		code = CS_ERR;
		goto done;
	}
	bind_text(s, 1, id);
	bind_text(s, 2, source);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else if (rc == SQLITE_DONE)
		code = CS_ENOTFOUND;
	else
		code = db_fail(db, err, "find an advisory");
	sqlite3_reset(s);
done:
	pthread_mutex_unlock(&db->lock);
	return code;
}

/* Runs s (bound) and copies column 0 of every row into a string array. */
static int read_strings(cs_vdb *db, sqlite3_stmt *s, cs_arena *a, const char *const **out, size_t *n, cs_err *err)
{
	const char **v = NULL;
	size_t cap = 0;
	bool nomem = false;
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(v = grow(a, v, *n, &cap, sizeof(*v))))
			break;
		v[(*n)++] = col_text(s, 0, a, &nomem);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW || nomem || rc != SQLITE_DONE) {
		*n = 0;
		return rc == SQLITE_DONE || rc == SQLITE_ROW ? oom(err) : db_fail(db, err, "read an advisory");
	}
	*out = v;
	return 0;
}

static int advisory_get_locked(cs_vdb_advisory **out, const char **source_name, cs_vdb *db, int64_t id,
			       cs_arena *a, cs_err *err)
{
	cs_vdb_advisory *adv = cs_arena_alloc(a, sizeof(*adv));
	cs_vdb_affected *af = NULL;
	int64_t *rows = NULL; /* affected row id of each entry */
	cs_vdb_cvss *cv = NULL;
	size_t cap = 0, rcap = 0, i;
	sqlite3_stmt *s;
	bool nomem = false;
	int rc, code;

	if (!adv)
		return oom(err);
	memset(adv, 0, sizeof(*adv));
	if (!(s = stmt(db, ST_ADV_GET, err)))
		return CS_ERR;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? CS_ENOTFOUND : db_fail(db, err, "read an advisory");
	}
	adv->id = col_text(s, 0, a, &nomem);
	if (source_name)
		*source_name = col_text(s, 1, a, &nomem);
	adv->summary = col_text(s, 2, a, &nomem);
	adv->details = col_text(s, 3, a, &nomem);
	adv->published = col_text(s, 4, a, &nomem);
	adv->modified = col_text(s, 5, a, &nomem);
	adv->withdrawn = col_text(s, 6, a, &nomem);
	adv->severity = col_text(s, 7, a, &nomem);
	adv->file = col_text(s, 8, a, &nomem);
	sqlite3_reset(s);
	if (nomem)
		return oom(err);

	if (!(s = stmt(db, ST_ALIASES_OF, err)))
		return CS_ERR;
	sqlite3_bind_int64(s, 1, id);
	if ((code = read_strings(db, s, a, &adv->aliases, &adv->naliases, err)) < 0)
		return code;
	if (!(s = stmt(db, ST_REFS_OF, err)))
		return CS_ERR;
	sqlite3_bind_int64(s, 1, id);
	if ((code = read_strings(db, s, a, &adv->references, &adv->nreferences, err)) < 0)
		return code;

	if (!(s = stmt(db, ST_CVSS_OF, err)))
		return CS_ERR;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(cv = grow(a, cv, adv->ncvss, &cap, sizeof(*cv))))
			break;
		cv[adv->ncvss].version = col_text(s, 0, a, &nomem);
		cv[adv->ncvss].vector = col_text(s, 1, a, &nomem);
		cv[adv->ncvss].score = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 : sqlite3_column_double(s, 2);
		cv[adv->ncvss].source = col_text(s, 3, a, &nomem);
		adv->ncvss++;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW || nomem)
		return oom(err);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "read an advisory");
	adv->cvss = cv;

	if (!(s = stmt(db, ST_AFF_OF, err)))
		return CS_ERR;
	sqlite3_bind_int64(s, 1, id);
	cap = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(af = grow(a, af, adv->naffected, &cap, sizeof(*af))) ||
		    !(rows = grow(a, rows, adv->naffected, &rcap, sizeof(*rows))))
			break;
		rows[adv->naffected] = sqlite3_column_int64(s, 0);
		af[adv->naffected].ecosystem = col_text(s, 1, a, &nomem);
		af[adv->naffected].package = col_text(s, 2, a, &nomem);
		af[adv->naffected].status = col_text(s, 3, a, &nomem);
		af[adv->naffected].severity = col_text(s, 4, a, &nomem);
		adv->naffected++;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW || nomem)
		return oom(err);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "read an advisory");
	for (i = 0; i < adv->naffected && rows; i++)
		if ((code = read_ranges(db, rows[i], a, &af[i].ranges, &af[i].nranges, &af[i].versions,
					&af[i].nversions, err)) < 0)
			return code;
	adv->affected = af;
	*out = adv;
	return 0;
}

int cs_vdb_advisory_get(cs_vdb_advisory **out, const char **source_name, cs_vdb *db, int64_t advisory, cs_arena *a,
			cs_err *err)
{
	int code;

	*out = NULL;
	pthread_mutex_lock(&db->lock);
	code = advisory_get_locked(out, source_name, db, advisory, a, err);
	pthread_mutex_unlock(&db->lock);
	if (code < 0)
		*out = NULL;
	return code;
}

int cs_vdb_aliases(cs_vdb *db, const char *id, int (*fn)(const char *alias, void *payload), void *payload,
		   cs_err *err)
{
	const char *const *v = NULL;
	sqlite3_stmt *s;
	size_t n = 0, i;
	cs_arena a;
	int code;

	cs_arena_init(&a);
	pthread_mutex_lock(&db->lock);
	if (!(s = stmt(db, ST_ALIAS_GROUP, err))) {
		code = CS_ERR;
	} else {
		bind_text(s, 1, id);
		code = read_strings(db, s, &a, &v, &n, err);
	}
	pthread_mutex_unlock(&db->lock);
	for (i = 0; i < n && code == 0; i++)
		code = fn(v[i], payload);
	cs_arena_release(&a);
	return code;
}

/*
 * The one row statement st finds for cve: read(s, out, a, &nomem) fills out
 * from it. CS_ENOTFOUND when there is none; what names the row in errors.
 */
typedef void (*row_fn)(sqlite3_stmt *s, void *out, cs_arena *a, bool *nomem);

static int cve_row(cs_vdb *db, int st, const char *cve, row_fn read, void *out, cs_arena *a, const char *what,
		   cs_err *err)
{
	sqlite3_stmt *s;
	bool nomem = false;
	int code = 0, rc;

	pthread_mutex_lock(&db->lock);
	if (!(s = stmt(db, st, err))) {
		code = CS_ERR;
		goto done;
	}
	bind_text(s, 1, cve);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read(s, out, a, &nomem);
		if (nomem)
			code = oom(err);
	} else {
		code = rc == SQLITE_DONE ? CS_ENOTFOUND : db_fail(db, err, what);
	}
	sqlite3_reset(s);
done:
	pthread_mutex_unlock(&db->lock);
	return code;
}

static void kev_read(sqlite3_stmt *s, void *out, cs_arena *a, bool *nomem)
{
	cs_vdb_kev *k = out;

	k->date_added = col_text(s, 0, a, nomem);
	k->due_date = col_text(s, 1, a, nomem);
	k->ransomware = sqlite3_column_int(s, 2) != 0;
}

static void epss_read(sqlite3_stmt *s, void *out, cs_arena *a, bool *nomem)
{
	cs_vdb_epss *e = out;

	e->score = sqlite3_column_double(s, 0);
	e->percentile = sqlite3_column_double(s, 1);
	e->date = col_text(s, 2, a, nomem);
}

int cs_vdb_kev_get(cs_vdb_kev *out, cs_vdb *db, const char *cve, cs_arena *a, cs_err *err)
{
	int code;

	memset(out, 0, sizeof(*out));
	code = cve_row(db, ST_KEV_GET, cve, kev_read, out, a, "read a KEV entry", err);
	if (code == 0 && !(out->cve = cs_arena_strdup(a, cve)))
		code = oom(err);
	return code;
}

int cs_vdb_epss_get(cs_vdb_epss *out, cs_vdb *db, const char *cve, cs_arena *a, cs_err *err)
{
	int code;

	memset(out, 0, sizeof(*out));
	code = cve_row(db, ST_EPSS_GET, cve, epss_read, out, a, "read an EPSS score", err);
	if (code == 0 && !(out->cve = cs_arena_strdup(a, cve)))
		code = oom(err);
	return code;
}

/* ---- info ------------------------------------------------------------------------- */

static int get_info_locked(cs_vdb_info *out, cs_vdb *db, cs_arena *a, cs_err *err)
{
	cs_vdb_source_info *src = NULL;
	cs_vdb_table_count *tc;
	sqlite3_stmt *s = NULL;
	size_t cap = 0, i;
	bool nomem = false;
	int rc;

	memset(out, 0, sizeof(*out));
	out->path = cs_arena_strdup(a, db->path);
	if (sqlite3_prepare_v2(db->h, "SELECT key, value FROM meta", -1, &s, NULL) != SQLITE_OK)
		return db_fail(db, err, "read meta");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);

		if (!k)
			continue;
		if (strcmp(k, "schema_version") == 0)
			out->schema_version = sqlite3_column_int(s, 1);
		else if (strcmp(k, "built_at") == 0)
			out->built_at = col_text(s, 1, a, &nomem);
		else if (strcmp(k, "built_by") == 0)
			out->built_by = col_text(s, 1, a, &nomem);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "read meta");

	if (sqlite3_prepare_v2(db->h,
			       "SELECT s.name, s.url, s.etag, s.last_modified, s.imported_at, count(a.id), "
			       "count(a.withdrawn) FROM source s LEFT JOIN advisory a ON a.source = s.id "
			       "GROUP BY s.id ORDER BY s.name",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(db, err, "read sources");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		cs_vdb_source_info *si;

		if (!(src = grow(a, src, out->nsources, &cap, sizeof(*src))))
			break;
		si = &src[out->nsources++];
		si->name = col_text(s, 0, a, &nomem);
		si->url = col_text(s, 1, a, &nomem);
		si->etag = col_text(s, 2, a, &nomem);
		si->last_modified = col_text(s, 3, a, &nomem);
		si->imported_at = col_text(s, 4, a, &nomem);
		si->advisories = sqlite3_column_int64(s, 5);
		si->withdrawn = sqlite3_column_int64(s, 6);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW || nomem)
		return oom(err);
	if (rc != SQLITE_DONE)
		return db_fail(db, err, "read sources");
	out->sources = src;

	if (!(tc = cs_arena_calloc(a, CS_ARRAY_LEN(tables), sizeof(*tc))))
		return oom(err);
	for (i = 0; i < CS_ARRAY_LEN(tables); i++) {
		char sql[64];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		if (sqlite3_prepare_v2(db->h, sql, -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
			sqlite3_finalize(s);
			return db_fail(db, err, "count rows");
		}
		tc[i].table = tables[i];
		tc[i].rows = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	out->tables = tc;
	out->ntables = CS_ARRAY_LEN(tables);
	return out->path ? 0 : oom(err);
}

int cs_vdb_get_info(cs_vdb_info *out, cs_vdb *db, cs_arena *a, cs_err *err)
{
	int code;

	pthread_mutex_lock(&db->lock);
	code = get_info_locked(out, db, a, err);
	pthread_mutex_unlock(&db->lock);
	return code;
}
