/*
 * test_vulndb_store.c - the SQLite store (src/vulndb/store.c) and the
 * importer driver (src/vulndb/import.c): records in and out, lookups,
 * aliases, withdrawn records, transactions, idempotent re-import, archives
 * (made here with libarchive's writer), damaged and bad input.
 *
 * Real data: the complete OSV Go database, PyPA's YAML and RustSec from
 * test-data/vulndb. Expected totals were counted independently with
 * Python's json and PyYAML (see test_osv.c). Databases live in a temporary
 * directory under /tmp, removed by each test.
 */
#include "core/compat.h"
#include "vulndb/store.h"
#include "vulndb/import.h"
#include "core/sha256.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit/test.h"
#include "unit/testutil.h"

/* ---- fixtures -------------------------------------------------------------- */

static char tmp[64]; /* this test's directory, "" when none */

static void tmp_make(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/customs-vdb-XXXXXX");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		abort();
	}
}

static void tmp_done(void)
{
	if (tmp[0])
		rm_tree(tmp);
	tmp[0] = '\0';
}

static const char *tpath(char *buf, size_t sz, const char *name)
{
	snprintf(buf, sz, "%s/%s", tmp, name);
	return buf;
}

static const char *data_dir(char *buf, size_t sz, const char *rel)
{
	snprintf(buf, sz, "%s/test-data/vulndb/%s", test_shared(), rel);
	return buf;
}

static void write_text(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(text, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

static cs_vdb *open_rw(const char *name)
{
	char path[256];
	cs_vdb *db = NULL;
	cs_err err;

	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&db, tpath(path, sizeof(path), name), true, &err), 0);
	if (!db)
		fprintf(stderr, "  %s\n", err.msg);
	return db;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Bad reports collected from an import. */
typedef struct bads {
	size_t n;
	char file[16][512];
	char why[16][512];
} bads;

static void on_bad(void *payload, const char *file, const char *why)
{
	bads *b = payload;

	if (b->n < 16) {
		snprintf(b->file[b->n], sizeof(b->file[0]), "%s", file);
		snprintf(b->why[b->n], sizeof(b->why[0]), "%s", why);
	}
	b->n++;
}

static bool contains(const char *s, const char *needle)
{
	return s && strstr(s, needle) != NULL;
}

/* ---- reading the file back with SQLite alone -------------------------------------- */

static int64_t count_rows(const char *dbpath, const char *sql)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *s = NULL;
	int64_t n = -1;

	if (sqlite3_open_v2(dbpath, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

/*
 * A digest of everything the database says, by natural keys (source name,
 * advisory id, positions), leaving out row ids and import times.
 */
static void dump_digest(const char *dbpath, char out[CS_DIGEST_MAX])
{
	static const char *const queries[] = {
		"SELECT name, url, etag, last_modified, records FROM source ORDER BY name",
		"SELECT s.name, a.name, a.summary, a.details, a.published, a.modified, a.withdrawn, a.severity, a.file "
		"FROM advisory a JOIN source s ON s.id = a.source ORDER BY 1, 2",
		"SELECT s.name, a.name, l.alias FROM alias l JOIN advisory a ON a.id = l.advisory "
		"JOIN source s ON s.id = a.source ORDER BY 1, 2, 3",
		"SELECT s.name, a.name, c.seq, c.version, c.vector, c.score, c.source FROM cvss c "
		"JOIN advisory a ON a.id = c.advisory JOIN source s ON s.id = a.source ORDER BY 1, 2, 3",
		"SELECT s.name, a.name, r.seq, r.url FROM reference r JOIN advisory a ON a.id = r.advisory "
		"JOIN source s ON s.id = a.source ORDER BY 1, 2, 3",
		"SELECT s.name, a.name, f.seq, f.ecosystem, f.package, f.status, f.severity FROM affected f "
		"JOIN advisory a ON a.id = f.advisory JOIN source s ON s.id = a.source ORDER BY 1, 2, 3",
		"SELECT s.name, a.name, f.seq, r.seq, r.introduced, r.fixed, r.last_affected, r.limit_version "
		"FROM affected_range r JOIN affected f ON f.id = r.affected JOIN advisory a ON a.id = f.advisory "
		"JOIN source s ON s.id = a.source ORDER BY 1, 2, 3, 4",
		"SELECT s.name, a.name, f.seq, v.seq, v.version FROM affected_version v "
		"JOIN affected f ON f.id = v.affected JOIN advisory a ON a.id = f.advisory "
		"JOIN source s ON s.id = a.source ORDER BY 1, 2, 3, 4",
		"SELECT * FROM kev ORDER BY cve",
		"SELECT * FROM epss ORDER BY cve",
	};
	sqlite3 *h = NULL;
	cs_sha256 sh;
	size_t q;

	cs_sha256_init(&sh);
	CHECK_INT(sqlite3_open_v2(dbpath, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (q = 0; q < CS_ARRAY_LEN(queries); q++) {
		sqlite3_stmt *s = NULL;
		int i, rc;

		CHECK_INT(sqlite3_prepare_v2(h, queries[q], -1, &s, NULL), SQLITE_OK);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			for (i = 0; i < sqlite3_column_count(s); i++) {
				const unsigned char *v = sqlite3_column_text(s, i);

				if (v)
					cs_sha256_update(&sh, v, strlen((const char *)v));
				else
					cs_sha256_update(&sh, "\1NULL", 5);
				cs_sha256_update(&sh, "\x1f", 1);
			}
			cs_sha256_update(&sh, "\n", 1);
		}
		CHECK_INT(rc, SQLITE_DONE);
		sqlite3_finalize(s);
		cs_sha256_update(&sh, "\x1e", 1);
	}
	sqlite3_close(h);
	cs_sha256_final(&sh, out);
}

/* ---- archives made with libarchive's writer ------------------------------------------ */

/* Writes the files names[0..n) of dir into archive path as zip ('z') or tar.gz ('t'). */
static void write_archive(const char *path, char fmt, const char *dir, char *const *names, size_t n)
{
	struct archive *a = archive_write_new();
	size_t i;

	if (fmt == 'z') {
		archive_write_set_format_zip(a);
	} else {
		archive_write_set_format_pax_restricted(a);
		archive_write_add_filter_gzip(a);
	}
	CHECK_INT(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		char file[1024];
		size_t len = 0;
		char *text;

		snprintf(file, sizeof(file), "%s/%s", dir, names[i]);
		text = test_read_file(file, &len);
		CHECK(text != NULL);
		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)len);
		archive_entry_set_mtime(e, 1700000000, 0);
		CHECK_INT(archive_write_header(a, e), ARCHIVE_OK);
		CHECK_INT(archive_write_data(a, text, len), (la_ssize_t)len);
		archive_entry_free(e);
		free(text);
	}
	CHECK_INT(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The first n regular file names of dir in byte order (malloc'd; free with free_names). */
static char **first_names(const char *dir, size_t n, size_t *got)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t k = 0;

	*got = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		v = realloc(v, (k + 1) * sizeof(*v));
		v[k++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(v, k, sizeof(*v), cmp_str);
	while (k > n)
		free(v[--k]);
	*got = k;
	return v;
}

static void free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Copies names of src into directory dst (created). */
static void copy_files(const char *dst, const char *src, char *const *names, size_t n)
{
	size_t i;

	CHECK_INT(mkdir(dst, 0755), 0);
	for (i = 0; i < n; i++) {
		char from[1024], to[1024];
		size_t len = 0;
		char *text;

		snprintf(from, sizeof(from), "%s/%s", src, names[i]);
		snprintf(to, sizeof(to), "%s/%s", dst, names[i]);
		text = test_read_file(from, &len);
		CHECK(text != NULL);
		if (text)
			write_text(to, text, len);
		free(text);
	}
}

/* ---- hand-made records ------------------------------------------------------------------ */

static const cs_vdb_range django_ranges[] = {{"0", "3.2.19", NULL, NULL}, {"4.0", NULL, "4.1.9", "5"}};
static const char *const django_versions[] = {"3.2.18", "4.1.9"};
static const char *const a_aliases[] = {"CVE-2023-1", "GHSA-aaaa", "CVE-2023-1", "PYSEC-A"};
static const char *const a_refs[] = {"https://example.org/a", "https://example.org/b"};
static const cs_vdb_cvss a_cvss[] = {{"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "nvd"},
				     {"4.0", "CVSS:4.0/AV:N", -1, NULL}};
static const cs_vdb_affected a_affected[] = {
	{"PyPI", "Django", NULL, "high", django_ranges, 2, django_versions, 2},
	{"Debian:12", "python-django", CS_VDB_NOT_FIXED, NULL, NULL, 0, NULL, 0},
};
static const cs_vdb_advisory adv_a = {
	"PYSEC-A", "summary A", "details A", "2023-01-01T00:00:00Z", "2023-02-01T00:00:00Z", NULL, "critical",
	"a.json", a_aliases, 4, a_affected, 2, a_cvss, 2, a_refs, 2,
};

static const cs_vdb_affected b_affected[] = {{"PyPI", "django", NULL, NULL, django_ranges, 1, NULL, 0}};
static const char *const b_aliases[] = {"CVE-2023-1"};
static const cs_vdb_advisory adv_b_withdrawn = {
	"PYSEC-B", "withdrawn B", NULL, NULL, "2023-03-01T00:00:00Z", "2023-04-01T00:00:00Z", NULL,
	"b.json", b_aliases, 1, b_affected, 1, NULL, 0, NULL, 0,
};

static const cs_vdb_affected c_affected[] = {{"PyPI", "Zope.Interface", NULL, NULL, django_ranges, 1, NULL, 0},
					     {"PyPI", "django", NULL, NULL, NULL, 0, django_versions, 1}};
static const cs_vdb_advisory adv_c = {
	"GHSA-cccc", "summary C", NULL, NULL, NULL, NULL, NULL, "c.json", NULL, 0, c_affected, 2, NULL, 0, NULL, 0,
};

typedef struct hits {
	size_t n;
	char id[8][64];
	char source[8][64];
	char package[8][64];
	char ranges[8][256];
	size_t nversions[8];
	int stop_at; /* return 7 at this hit (1-based), 0: never */
	cs_vdb *db;  /* when set, each hit reads its advisory back (re-entrancy) */
	size_t reads;
} hits;

static int on_hit(const cs_vdb_hit *h, void *payload)
{
	hits *x = payload;
	size_t i, n = 0;

	if (x->n < 8) {
		snprintf(x->id[x->n], sizeof(x->id[0]), "%s", h->id);
		snprintf(x->source[x->n], sizeof(x->source[0]), "%s", h->source);
		snprintf(x->package[x->n], sizeof(x->package[0]), "%s", h->package);
		x->ranges[x->n][0] = '\0';
		for (i = 0; i < h->nranges; i++)
			n += (size_t)snprintf(x->ranges[x->n] + n, sizeof(x->ranges[0]) - n, "%s%s..%s%s%s%s",
					      i ? " " : "", h->ranges[i].introduced ? h->ranges[i].introduced : "",
					      h->ranges[i].last_affected ? "=" : "",
					      h->ranges[i].fixed ? h->ranges[i].fixed
								 : h->ranges[i].last_affected ? h->ranges[i].last_affected : "",
					      h->ranges[i].limit ? "<" : "", h->ranges[i].limit ? h->ranges[i].limit : "");
		x->nversions[x->n] = h->nversions;
	}
	x->n++;
	if (x->db) {
		cs_vdb_advisory *a = NULL;
		cs_arena ar;
		cs_err err;

		cs_arena_init(&ar);
		cs_err_clear(&err);
		if (cs_vdb_advisory_get(&a, NULL, x->db, h->advisory, &ar, &err) == 0 && a && strcmp(a->id, h->id) == 0)
			x->reads++;
		cs_arena_release(&ar);
	}
	return x->stop_at && (int)x->n == x->stop_at ? 7 : 0;
}

static void lookup(cs_vdb *db, const char *eco, const char *pkg, hits *x)
{
	cs_err err;
	int stop = x->stop_at;
	cs_vdb *rd = x->db;

	memset(x, 0, sizeof(*x));
	x->stop_at = stop;
	x->db = rd;
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_lookup(db, eco, pkg, on_hit, x, &err), stop ? 7 : 0);
}

typedef struct strs {
	size_t n;
	char v[16][64];
} strs;

static int on_str(const char *s, void *payload)
{
	strs *x = payload;

	if (x->n < 16)
		snprintf(x->v[x->n], sizeof(x->v[0]), "%s", s);
	x->n++;
	return 0;
}

static void aliases(cs_vdb *db, const char *id, strs *x)
{
	cs_err err;

	memset(x, 0, sizeof(*x));
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_aliases(db, id, on_str, x, &err), 0);
}

/* ---- tests ---------------------------------------------------------------------------------- */

TEST(open_errors)
{
	char path[256], sql[256];
	cs_vdb *db = NULL;
	sqlite3 *h;
	cs_err err;

	tmp_make();
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&db, tpath(path, sizeof(path), "none.db"), false, &err), CS_ENOTFOUND);
	CHECK(db == NULL);
	CHECK(contains(err.msg, "none.db' not found"));

	/* created writable, then readable */
	db = open_rw("v.db");
	cs_vdb_close(db);
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&db, tpath(path, sizeof(path), "v.db"), false, &err), 0);
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_begin(db, &err), CS_EUSAGE);
	CHECK(contains(err.msg, "read-only"));
	cs_vdb_close(db);

	/* not a database */
	write_text(tpath(path, sizeof(path), "text.db"), "hello, this is not SQLite at all, not even close\n", 49);
	cs_err_clear(&err);
	db = NULL;
	CHECK_INT(cs_vdb_open(&db, path, false, &err), CS_EFORMAT);
	CHECK(db == NULL);
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&db, path, true, &err), CS_EFORMAT);

	/* someone else's SQLite database */
	CHECK_INT(sqlite3_open(tpath(path, sizeof(path), "other.db"), &h), SQLITE_OK);
	sqlite3_exec(h, "CREATE TABLE t (x)", NULL, NULL, NULL);
	sqlite3_close(h);
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&db, path, true, &err), CS_EFORMAT);
	CHECK(contains(err.msg, "is not a customs vulnerability database"));

	/* another schema version */
	CHECK_INT(sqlite3_open(tpath(path, sizeof(path), "v.db"), &h), SQLITE_OK);
	snprintf(sql, sizeof(sql), "UPDATE meta SET value = '%d' WHERE key = 'schema_version'",
		 CS_VDB_SCHEMA_VERSION + 1);
	CHECK_INT(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&db, path, false, &err), CS_EFORMAT);
	CHECK(contains(err.msg, "schema version"));
	cs_vdb_close(NULL);
	tmp_done();
}

TEST(put_lookup_get)
{
	char path[256];
	cs_vdb *db;
	cs_vdb_advisory *got = NULL;
	const char *src_name = NULL;
	int64_t src = 0, other = 0, row = 0;
	cs_arena ar;
	cs_err err;
	hits h;
	strs s;

	memset(&h, 0, sizeof(h));
	tmp_make();
	db = open_rw("p.db");
	if (!db) {
		tmp_done();
		return;
	}
	cs_err_clear(&err);
	cs_arena_init(&ar);
	CHECK_INT(cs_vdb_begin(db, &err), 0);
	CHECK_INT(cs_vdb_source(db, "test", "https://example.org/feed", &src, &err), 0);
	CHECK_INT(cs_vdb_source(db, "other", NULL, &other, &err), 0);
	CHECK(src > 0 && other > 0 && src != other);
	CHECK_INT(cs_vdb_put_advisory(db, src, &adv_a, &err), 0);
	CHECK_INT(cs_vdb_put_advisory(db, src, &adv_b_withdrawn, &err), 0);
	CHECK_INT(cs_vdb_put_advisory(db, src, &adv_c, &err), 0);
	CHECK_INT(cs_vdb_put_advisory(db, other, &adv_c, &err), 0);
	CHECK_INT(cs_vdb_source_done(db, src, "\"etag\"", NULL, &err), 0);
	CHECK_INT(cs_vdb_commit(db, &err), 0);
	CHECK_INT(err.code, 0);

	/* Django, PEP 503: the withdrawn B never shows; ordered by id then source */
	lookup(db, "PyPI", "Django", &h);
	CHECK_INT(h.n, 3);
	CHECK_STR(h.id[0], "GHSA-cccc");
	CHECK_STR(h.source[0], "other");
	CHECK_STR(h.id[1], "GHSA-cccc");
	CHECK_STR(h.source[1], "test");
	CHECK_INT(h.nversions[1], 1);
	CHECK_STR(h.id[2], "PYSEC-A");
	CHECK_STR(h.package[2], "django");
	CHECK_STR(h.ranges[2], "0..3.2.19 4.0..=4.1.9<5");
	CHECK_INT(h.nversions[2], 2);
	lookup(db, "PyPI", "django", &h);
	CHECK_INT(h.n, 3);
	lookup(db, "PyPI", "zope-interface", &h);
	CHECK_INT(h.n, 2);
	lookup(db, "PyPI", "zope.interface", &h);
	CHECK_INT(h.n, 2);
	CHECK_STR(h.package[0], "zope-interface");
	lookup(db, "PyPI", "ZOPE_INTERFACE", &h);
	CHECK_INT(h.n, 2);
	lookup(db, "Debian:12", "python-django", &h);
	CHECK_INT(h.n, 1);
	lookup(db, "Debian", "python-django", &h); /* exact ecosystems only */
	CHECK_INT(h.n, 0);
	lookup(db, "npm", "django", &h);
	CHECK_INT(h.n, 0);

	/* fn stops the walk; fn may call back into the store */
	h.stop_at = 2;
	lookup(db, "PyPI", "django", &h);
	CHECK_INT(h.n, 2);
	h.stop_at = 0;
	h.db = db;
	lookup(db, "PyPI", "django", &h);
	CHECK_INT(h.reads, 3);

	/* the whole advisory back */
	CHECK_INT(cs_vdb_advisory_find(&row, db, "test", "PYSEC-A", &err), 0);
	CHECK_INT(cs_vdb_advisory_get(&got, &src_name, db, row, &ar, &err), 0);
	if (got) {
		CHECK_STR(src_name, "test");
		CHECK_STR(got->id, "PYSEC-A");
		CHECK_STR(got->summary, "summary A");
		CHECK_STR(got->details, "details A");
		CHECK_STR(got->published, "2023-01-01T00:00:00Z");
		CHECK_STR(got->modified, "2023-02-01T00:00:00Z");
		CHECK_STR(got->withdrawn, NULL);
		CHECK_STR(got->severity, "critical");
		CHECK_STR(got->file, "a.json");
		CHECK_INT(got->naliases, 2); /* sorted, duplicates and the id itself dropped */
		if (got->naliases == 2) {
			CHECK_STR(got->aliases[0], "CVE-2023-1");
			CHECK_STR(got->aliases[1], "GHSA-aaaa");
		}
		CHECK_INT(got->ncvss, 2);
		if (got->ncvss == 2) {
			CHECK_STR(got->cvss[0].version, "3.1");
			CHECK(got->cvss[0].score > 9.79 && got->cvss[0].score < 9.81);
			CHECK_STR(got->cvss[0].source, "nvd");
			CHECK(got->cvss[1].score < 0);
			CHECK_STR(got->cvss[1].source, NULL);
		}
		CHECK_INT(got->nreferences, 2);
		if (got->nreferences == 2)
			CHECK_STR(got->references[1], "https://example.org/b");
		CHECK_INT(got->naffected, 2);
		if (got->naffected == 2) {
			CHECK_STR(got->affected[0].package, "django");
			CHECK_STR(got->affected[0].status, CS_VDB_AFFECTED);
			CHECK_STR(got->affected[0].severity, "high");
			CHECK_INT(got->affected[0].nranges, 2);
			if (got->affected[0].nranges == 2) {
				CHECK_STR(got->affected[0].ranges[1].introduced, "4.0");
				CHECK_STR(got->affected[0].ranges[1].fixed, NULL);
				CHECK_STR(got->affected[0].ranges[1].last_affected, "4.1.9");
				CHECK_STR(got->affected[0].ranges[1].limit, "5");
			}
			CHECK_INT(got->affected[0].nversions, 2);
			CHECK_STR(got->affected[1].ecosystem, "Debian:12");
			CHECK_STR(got->affected[1].status, CS_VDB_NOT_FIXED);
		}
	}
	/* withdrawn ones are found by id, with their withdrawal */
	CHECK_INT(cs_vdb_advisory_find(&row, db, NULL, "PYSEC-B", &err), 0);
	CHECK_INT(cs_vdb_advisory_get(&got, NULL, db, row, &ar, &err), 0);
	if (got)
		CHECK_STR(got->withdrawn, "2023-04-01T00:00:00Z");
	CHECK_INT(cs_vdb_advisory_find(&row, db, NULL, "NOPE", &err), CS_ENOTFOUND);
	CHECK_INT(cs_vdb_advisory_find(&row, db, "nope", "PYSEC-A", &err), CS_ENOTFOUND);
	CHECK_INT(cs_vdb_advisory_find(&row, db, "tes", "PYSEC-A", &err), CS_ENOTFOUND);
	CHECK_INT(cs_vdb_advisory_get(&got, NULL, db, 999999, &ar, &err), CS_ENOTFOUND);
	CHECK(got == NULL);

	/* aliases, both ways; the withdrawn B does not count */
	aliases(db, "CVE-2023-1", &s);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.v[0], "GHSA-aaaa");
	CHECK_STR(s.v[1], "PYSEC-A");
	aliases(db, "PYSEC-A", &s);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.v[0], "CVE-2023-1");
	CHECK_STR(s.v[1], "GHSA-aaaa");
	aliases(db, "PYSEC-B", &s);
	CHECK_INT(s.n, 0);
	aliases(db, "CVE-0000-0", &s);
	CHECK_INT(s.n, 0);

	/* replacing: same (source, id), new content, no leftovers */
	{
		cs_vdb_advisory a2 = adv_a;

		a2.summary = "summary A2";
		a2.naffected = 1;
		a2.naliases = 1;
		CHECK_INT(cs_vdb_put_advisory(db, src, &a2, &err), 0); /* its own transaction */
		CHECK_INT(cs_vdb_advisory_find(&row, db, "test", "PYSEC-A", &err), 0);
		CHECK_INT(cs_vdb_advisory_get(&got, NULL, db, row, &ar, &err), 0);
		if (got) {
			CHECK_STR(got->summary, "summary A2");
			CHECK_INT(got->naffected, 1);
			CHECK_INT(got->naliases, 1);
		}
	}
	CHECK_INT(count_rows(tpath(path, sizeof(path), "p.db"), "SELECT count(*) FROM advisory"), 4);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM affected"), 6);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM affected_range"), 5);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM alias"), 2);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM source WHERE name = 'test' AND etag = '\"etag\"' AND "
				   "url = 'https://example.org/feed' AND records = 3"),
		  1);

	/* contract violations: refused, nothing written */
	{
		cs_vdb_affected bad_status = a_affected[0];
		cs_vdb_advisory a3 = adv_c;

		bad_status.status = "maybe";
		a3.id = "GHSA-new";
		a3.affected = &bad_status;
		a3.naffected = 1;
		cs_err_clear(&err);
		CHECK_INT(cs_vdb_put_advisory(db, src, &a3, &err), CS_EUSAGE);
		CHECK(contains(err.msg, "unknown status 'maybe'"));
		a3.id = NULL;
		cs_err_clear(&err);
		CHECK_INT(cs_vdb_put_advisory(db, src, &a3, &err), CS_EUSAGE);
		CHECK_INT(count_rows(path, "SELECT count(*) FROM advisory"), 4);
	}
	cs_err_clear(&err);

	/* KEV and EPSS, keyed by CVE */
	{
		cs_vdb_kev k = {"CVE-2021-44228", "2021-12-10", "2021-12-24", true}, kg;
		cs_vdb_epss e = {"CVE-2021-44228", 0.97, 0.999, "2024-01-01"}, eg;

		CHECK_INT(cs_vdb_put_kev(db, &k, &err), 0);
		k.due_date = "2022-01-01";
		CHECK_INT(cs_vdb_put_kev(db, &k, &err), 0);
		CHECK_INT(cs_vdb_put_epss(db, &e, &err), 0);
		CHECK_INT(cs_vdb_kev_get(&kg, db, "CVE-2021-44228", &ar, &err), 0);
		CHECK_STR(kg.due_date, "2022-01-01");
		CHECK(kg.ransomware);
		CHECK_INT(cs_vdb_epss_get(&eg, db, "CVE-2021-44228", &ar, &err), 0);
		CHECK(eg.score > 0.969 && eg.score < 0.971);
		CHECK_STR(eg.date, "2024-01-01");
		CHECK_INT(cs_vdb_kev_get(&kg, db, "CVE-1", &ar, &err), CS_ENOTFOUND);
		CHECK_INT(cs_vdb_epss_get(&eg, db, "CVE-1", &ar, &err), CS_ENOTFOUND);
		k.cve = NULL;
		CHECK_INT(cs_vdb_put_kev(db, &k, &err), CS_EUSAGE);
		cs_err_clear(&err);
	}

	/* what db info shows */
	{
		cs_vdb_info info;
		size_t i;

		CHECK_INT(cs_vdb_get_info(&info, db, &ar, &err), 0);
		CHECK_INT(info.schema_version, CS_VDB_SCHEMA_VERSION);
		CHECK(info.built_at != NULL && strlen(info.built_at) == 20);
		CHECK(info.built_by != NULL);
		CHECK_INT(info.nsources, 2);
		if (info.nsources == 2) {
			CHECK_STR(info.sources[0].name, "other");
			CHECK_INT(info.sources[0].advisories, 1);
			CHECK_STR(info.sources[1].name, "test");
			CHECK_INT(info.sources[1].advisories, 3);
			CHECK_INT(info.sources[1].withdrawn, 1);
			CHECK_STR(info.sources[1].etag, "\"etag\"");
			CHECK(info.sources[1].imported_at != NULL);
		}
		CHECK_INT(info.ntables, 10);
		for (i = 0; i < info.ntables; i++) {
			if (strcmp(info.tables[i].table, "advisory") == 0)
				CHECK_INT(info.tables[i].rows, 4);
			if (strcmp(info.tables[i].table, "kev") == 0)
				CHECK_INT(info.tables[i].rows, 1);
		}
	}

	/* nested levels: the inner rollback undoes only its own writes */
	{
		cs_vdb_advisory x = adv_c, y = adv_c;

		x.id = "NEST-X";
		y.id = "NEST-Y";
		CHECK_INT(cs_vdb_begin(db, &err), 0);
		CHECK_INT(cs_vdb_put_advisory(db, src, &x, &err), 0);
		CHECK_INT(cs_vdb_begin(db, &err), 0);
		CHECK_INT(cs_vdb_depth(db), 2);
		CHECK_INT(cs_vdb_put_advisory(db, src, &y, &err), 0);
		cs_vdb_rollback(db);
		CHECK_INT(cs_vdb_depth(db), 1);
		CHECK_INT(cs_vdb_commit(db, &err), 0);
		CHECK_INT(cs_vdb_depth(db), 0);
		CHECK_INT(cs_vdb_advisory_find(&row, db, NULL, "NEST-X", &err), 0);
		CHECK_INT(cs_vdb_advisory_find(&row, db, NULL, "NEST-Y", &err), CS_ENOTFOUND);
		CHECK_INT(cs_vdb_commit(db, &err), CS_EUSAGE);
		cs_err_clear(&err);
	}

	/* the store sink */
	{
		size_t nbad = 0;
		cs_vdb_sink sink = cs_vdb_store_sink(db, &other, &nbad);
		cs_vdb_advisory z = adv_c;

		z.id = "SINK-Z";
		CHECK_INT(sink.advisory(sink.payload, &z, &err), 0);
		CHECK_INT(cs_vdb_advisory_find(&row, db, "other", "SINK-Z", &err), 0);
		CHECK_INT(nbad, 0);
	}
	cs_arena_release(&ar);
	cs_vdb_close(db);
	tmp_done();
}

TEST(names_and_labels)
{
	static const struct {
		const char *path;
		bool archive;
		const char *label;
	} labels[] = {
		{"/x/osv-go", false, "osv-go"},
		{"/x/osv-go/", false, "osv-go"},
		{"osv-pypi-yaml", false, "osv-pypi-yaml"},
		{"/dl/Go/all.zip", true, "go"},
		{"/dl/crates.io/all.zip", true, "crates.io"},
		{"all.zip", true, "all"},
		{"/dl/PyPI.zip", true, "pypi"},
		{"/dl/rustsec.tar.gz", true, "rustsec"},
		{"/dl/a b.tgz", true, "a-b"},
		{"/dl/Red Hat", false, "red-hat"},
	};
	static const struct {
		const char *importer, *label, *name;
	} sources[] = {
		{"osv", "osv-go", "osv-go"},  {"osv", "go", "osv-go"},       {"osv", NULL, "osv"},
		{"osv", "osv", "osv"},        {"osv", "osvx", "osv-osvx"},   {"alpine-secdb", "alpine-secdb", "alpine-secdb"},
		{"kev", "feeds", "kev-feeds"},
	};
	char buf[256];
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(labels); i++)
		CHECK_STR(cs_vdb_path_label(buf, sizeof(buf), labels[i].path, labels[i].archive), labels[i].label);
	for (i = 0; i < CS_ARRAY_LEN(sources); i++)
		CHECK_STR(cs_vdb_source_name(buf, sizeof(buf), sources[i].importer, sources[i].label), sources[i].name);
	CHECK(cs_vdb_is_archive_name("all.zip"));
	CHECK(cs_vdb_is_archive_name("x.TAR.GZ"));
	CHECK(cs_vdb_is_archive_name("x.tgz"));
	CHECK(!cs_vdb_is_archive_name(".zip"));
	CHECK(!cs_vdb_is_archive_name("x.json"));
	CHECK(!cs_vdb_is_archive_name("x.gz"));
}

/* Imports one directory of real data; checks and times it. */
static void import_dir(cs_vdb *db, const char *rel, size_t files, size_t unknown, size_t records, double *ms)
{
	const char *paths[1];
	cs_vdb_import_stats st;
	char dir[512];
	double t0;
	cs_err err;
	bads b;

	memset(&st, 0, sizeof(st));
	memset(&b, 0, sizeof(b));
	st.on_bad = on_bad;
	st.payload = &b;
	cs_err_clear(&err);
	paths[0] = data_dir(dir, sizeof(dir), rel);
	t0 = now_ms();
	CHECK_INT(cs_vdb_import_paths(db, paths, 1, &st, &err), 0);
	*ms = now_ms() - t0;
	if (err.msg[0])
		fprintf(stderr, "  %s\n", err.msg);
	CHECK_INT(st.files, files);
	CHECK_INT(st.unknown, unknown);
	CHECK_INT(st.records, records);
	CHECK_INT(st.bad, 0);
	CHECK_INT(st.failed, 0);
	CHECK_INT(st.sources, 1);
	CHECK_INT(st.per[CS_IMP_osv].files, records);
	CHECK_INT(st.per[CS_IMP_osv].records, records);
	if (b.n)
		fprintf(stderr, "  %s: %s\n", b.file[0], b.why[0]);
}

/* Totals of the three databases (Python's count; see test_osv.c). */
static void check_totals(const char *path)
{
	CHECK_INT(count_rows(path, "SELECT count(*) FROM source"), 3);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM advisory"), 4291 + 2661 + 1206);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM advisory WHERE withdrawn IS NOT NULL"), 17 + 10 + 13);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM affected"), 6125 + 2661 + 1206);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM affected_range"), 7579 + 5093 + 1466);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM affected_version"), 140847);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM alias"), 7945 + 4475 + 1516);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM reference"), 15734 + 10315 + 3744);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM cvss"), 0 + 202 + 417);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM source WHERE name = 'osv-go' AND records = 4291"), 1);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM source WHERE name = 'osv-pypi-yaml' AND records = 2661"), 1);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM source WHERE name = 'osv-crates' AND records = 1206"), 1);
}

TEST(import_real_databases)
{
	char path[256], d1[CS_DIGEST_MAX], d2[CS_DIGEST_MAX], buf[256];
	double go_ms, py_ms, rs_ms;
	cs_vdb_advisory *a = NULL;
	cs_vdb *db;
	int64_t row = 0;
	cs_arena ar;
	cs_err err;
	hits h;
	strs s;

	memset(&h, 0, sizeof(h));
	tmp_make();
	db = open_rw("real.db");
	if (!db) {
		tmp_done();
		return;
	}
	tpath(path, sizeof(path), "real.db");
	import_dir(db, "osv-go", 4291, 0, 4291, &go_ms);
	import_dir(db, "osv-pypi-yaml", 2662, 1, 2661, &py_ms); /* .id-allocator is no record */
	import_dir(db, "osv-crates", 1206, 0, 1206, &rs_ms);
	printf("  import: osv-go %.0f ms (4291 records), osv-pypi-yaml %.0f ms (2661), osv-crates %.0f ms (1206)\n",
	       go_ms, py_ms, rs_ms);
	check_totals(path);
	cs_arena_init(&ar);
	cs_err_clear(&err);

	/* GO-2022-0969, field by field */
	CHECK_INT(cs_vdb_advisory_find(&row, db, "osv-go", "GO-2022-0969", &err), 0);
	CHECK_INT(cs_vdb_advisory_get(&a, NULL, db, row, &ar, &err), 0);
	if (a) {
		CHECK_STR(a->summary, "Denial of service in net/http and golang.org/x/net/http2");
		CHECK_STR(a->published, "2022-09-12T20:23:06Z");
		CHECK_STR(a->file, "GO-2022-0969.json");
		CHECK_INT(a->naliases, 2);
		CHECK_INT(a->nreferences, 3);
		CHECK_INT(a->naffected, 2);
		if (a->naffected == 2) {
			CHECK_STR(a->affected[0].package, "stdlib");
			CHECK_INT(a->affected[0].nranges, 2);
			if (a->affected[0].nranges == 2) {
				CHECK_STR(a->affected[0].ranges[1].introduced, "1.19.0-0");
				CHECK_STR(a->affected[0].ranges[1].fixed, "1.19.1");
			}
			CHECK_STR(a->affected[1].package, "golang.org/x/net");
		}
	}
	lookup(db, "Go", "golang.org/x/net", &h);
	CHECK(h.n > 10);
	/* a source family: "osv" finds it in "osv-go" */
	CHECK_INT(cs_vdb_advisory_find(&row, db, "osv", "GO-2022-0969", &err), 0);
	CHECK_INT(cs_vdb_advisory_find(&row, db, "osv-crates", "GO-2022-0969", &err), CS_ENOTFOUND);
	/* PYSEC-2020-341: a dotted name, stored PEP 503-normalized, 37 explicit versions */
	lookup(db, "PyPI", "jw.util", &h);
	CHECK_INT(h.n, 1);
	CHECK_STR(h.id[0], "PYSEC-2020-341");
	CHECK_STR(h.source[0], "osv-pypi-yaml");
	CHECK_STR(h.package[0], "jw-util");
	CHECK_STR(h.ranges[0], "0..2.3");
	CHECK_INT(h.nversions[0], 37);
	lookup(db, "PyPI", "JW_Util", &h);
	CHECK_INT(h.n, 1);
	CHECK_INT(cs_vdb_advisory_find(&row, db, NULL, "PYSEC-2020-341", &err), 0);
	CHECK_INT(cs_vdb_advisory_get(&a, NULL, db, row, &ar, &err), 0);
	if (a && a->naffected == 1 && a->affected[0].nversions == 37) {
		CHECK_STR(a->file, "jw.util/PYSEC-2020-341.yaml");
		CHECK_STR(a->affected[0].versions[0], "-class.-jw.util.version.Version-");
		CHECK_STR(a->affected[0].versions[7], "1.4"); /* quoted in the YAML */
		CHECK_STR(a->affected[0].versions[36], "2.2");
	}
	/* Django: 116 PyPA advisories, none withdrawn; the name's case does not matter */
	lookup(db, "PyPI", "Django", &h);
	CHECK_INT(h.n, 116);
	lookup(db, "PyPI", "django", &h);
	CHECK_INT(h.n, 116);
	/* RustSec CVSS */
	CHECK_INT(cs_vdb_advisory_find(&row, db, NULL, "RUSTSEC-2016-0001", &err), 0);
	CHECK_INT(cs_vdb_advisory_get(&a, NULL, db, row, &ar, &err), 0);
	if (a && a->ncvss == 1) {
		CHECK_STR(a->cvss[0].vector, "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H");
		CHECK(a->cvss[0].score < 0);
	}

	/* aliases both ways */
	aliases(db, "CVE-2022-27664", &s);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.v[0], "GHSA-69cg-p879-7622");
	CHECK_STR(s.v[1], "GO-2022-0969");
	aliases(db, "GO-2022-0969", &s);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.v[0], "CVE-2022-27664");
	CHECK_STR(s.v[1], "GHSA-69cg-p879-7622");
	aliases(db, "CVE-2021-32807", &s); /* PyPA: AccessControl and Zope both list it */
	CHECK_INT(s.n, 3);
	CHECK_STR(s.v[0], "GHSA-qcx9-j53g-ccgf");
	CHECK_STR(s.v[1], "PYSEC-2021-335");
	CHECK_STR(s.v[2], "PYSEC-2021-875");

	/* withdrawn: GO-2022-0617 (k8s.io/kubernetes) is kept, never matched */
	lookup(db, "Go", "k8s.io/kubernetes", &h);
	CHECK_INT(h.n, 44);
	CHECK_INT(cs_vdb_advisory_find(&row, db, NULL, "GO-2022-0617", &err), 0);
	CHECK_INT(cs_vdb_advisory_get(&a, NULL, db, row, &ar, &err), 0);
	if (a)
		CHECK_STR(a->withdrawn, "2024-08-21T16:25:56Z");
	aliases(db, "CVE-2020-8562", &s);
	CHECK_INT(s.n, 0);

	/* re-import, all three at once: the same counts and the same content */
	dump_digest(path, d1);
	{
		const char *paths[3];
		char p1[512], p2[512], p3[512];
		cs_vdb_import_stats st;

		memset(&st, 0, sizeof(st));
		paths[0] = data_dir(p1, sizeof(p1), "osv-crates");
		paths[1] = data_dir(p2, sizeof(p2), "osv-go");
		paths[2] = data_dir(p3, sizeof(p3), "osv-pypi-yaml");
		CHECK_INT(cs_vdb_import_paths(db, paths, 3, &st, &err), 0);
		CHECK_INT(st.records, 4291 + 2661 + 1206);
		CHECK_INT(st.sources, 3);
	}
	check_totals(path);
	dump_digest(path, d2);
	CHECK_STR(d2, d1);
	cs_vdb_close(db);

	/* a fresh database from the same data is the same database */
	db = open_rw("again.db");
	{
		const char *paths[3];
		char p1[512], p2[512], p3[512];

		paths[0] = data_dir(p1, sizeof(p1), "osv-pypi-yaml");
		paths[1] = data_dir(p2, sizeof(p2), "osv-crates");
		paths[2] = data_dir(p3, sizeof(p3), "osv-go");
		CHECK_INT(cs_vdb_import_paths(db, paths, 3, NULL, &err), 0);
	}
	cs_vdb_close(db);
	dump_digest(tpath(buf, sizeof(buf), "again.db"), d2);
	CHECK_STR(d2, d1);

	/* read-only handles read the same */
	CHECK_INT(cs_vdb_open(&db, path, false, &err), 0);
	lookup(db, "PyPI", "Django", &h);
	CHECK_INT(h.n, 116);
	cs_vdb_close(db);
	cs_arena_release(&ar);
	tmp_done();
}

TEST(archives_import_like_directories)
{
	char src[512], dir[256], zip[256], tgz[256], gz[256], p[256];
	char dd[CS_DIGEST_MAX], dz[CS_DIGEST_MAX], dt[CS_DIGEST_MAX];
	const char *paths[1];
	cs_vdb_import_stats st;
	char **names;
	size_t n;
	cs_vdb *db;
	cs_err err;

	tmp_make();
	data_dir(src, sizeof(src), "osv-go");
	names = first_names(src, 300, &n);
	CHECK_INT(n, 300);
	copy_files(tpath(dir, sizeof(dir), "osv-go"), src, names, n);
	/* osv.dev's layout: <ECOSYSTEM>/all.zip, labelled by its directory */
	CHECK_INT(mkdir(tpath(gz, sizeof(gz), "Go"), 0755), 0);
	write_archive(tpath(zip, sizeof(zip), "Go/all.zip"), 'z', src, names, n);
	write_archive(tpath(tgz, sizeof(tgz), "osv-go.tar.gz"), 't', src, names, n);
	cs_err_clear(&err);

	db = open_rw("dir.db");
	paths[0] = dir;
	CHECK_INT(cs_vdb_import_paths(db, paths, 1, NULL, &err), 0);
	cs_vdb_close(db);
	db = open_rw("zip.db");
	paths[0] = zip;
	memset(&st, 0, sizeof(st));
	CHECK_INT(cs_vdb_import_paths(db, paths, 1, &st, &err), 0);
	CHECK_INT(st.files, 300);
	CHECK_INT(st.records, 300);
	CHECK_INT(st.failed, 0);
	/* twice: still the same */
	CHECK_INT(cs_vdb_import_paths(db, paths, 1, NULL, &err), 0);
	cs_vdb_close(db);
	db = open_rw("tgz.db");
	paths[0] = tgz;
	CHECK_INT(cs_vdb_import_paths(db, paths, 1, NULL, &err), 0);
	cs_vdb_close(db);
	if (err.msg[0])
		fprintf(stderr, "  %s\n", err.msg);

	dump_digest(tpath(p, sizeof(p), "dir.db"), dd);
	dump_digest(tpath(p, sizeof(p), "zip.db"), dz);
	dump_digest(tpath(p, sizeof(p), "tgz.db"), dt);
	CHECK_STR(dz, dd);
	CHECK_STR(dt, dd);
	CHECK_INT(count_rows(p, "SELECT count(*) FROM advisory a JOIN source s ON s.id = a.source "
				"WHERE s.name = 'osv-go'"),
		  300);
	free_names(names, n);
	tmp_done();
}

TEST(damaged_archive_rolled_back)
{
	char src[512], zip[256], broken[256], tbroken[256], tgz[256], good[256], dbp[256];
	const char *paths[3];
	cs_vdb_import_stats st;
	char **names, *bytes;
	size_t n, len = 0;
	cs_vdb *db;
	cs_err err;
	bads b;

	tmp_make();
	data_dir(src, sizeof(src), "osv-crates");
	names = first_names(src, 200, &n);
	write_archive(tpath(zip, sizeof(zip), "whole.zip"), 'z', src, names, n);
	write_archive(tpath(tgz, sizeof(tgz), "whole.tar.gz"), 't', src, names, n);
	/* cut both in the middle of their data */
	bytes = test_read_file(zip, &len);
	CHECK(bytes != NULL && len > 1000);
	write_text(tpath(broken, sizeof(broken), "broken.zip"), bytes, len / 2);
	free(bytes);
	bytes = test_read_file(tgz, &len);
	CHECK(bytes != NULL && len > 1000);
	write_text(tpath(tbroken, sizeof(tbroken), "broken.tar.gz"), bytes, len / 2);
	free(bytes);
	copy_files(tpath(good, sizeof(good), "osv-good"), src, names, 10);

	db = open_rw("d.db");
	memset(&st, 0, sizeof(st));
	memset(&b, 0, sizeof(b));
	st.on_bad = on_bad;
	st.payload = &b;
	cs_err_clear(&err);
	paths[0] = broken;
	paths[1] = good;
	paths[2] = tbroken;
	CHECK_INT(cs_vdb_import_paths(db, paths, 3, &st, &err), 0);
	CHECK_INT(st.failed, 2);
	CHECK_INT(st.records, 10);
	CHECK_INT(st.sources, 1);
	CHECK_INT(b.n, 2);
	CHECK_STR(b.file[0], broken);
	CHECK(contains(b.why[0], "damaged archive, nothing of it imported"));
	CHECK_STR(b.file[1], tbroken);
	CHECK(contains(b.why[1], "damaged archive"));
	if (b.n)
		printf("  %s: %s\n", b.file[0], b.why[0]);
	if (b.n > 1)
		printf("  %s: %s\n", b.file[1], b.why[1]);
	cs_vdb_close(db);
	tpath(dbp, sizeof(dbp), "d.db");
	CHECK_INT(count_rows(dbp, "SELECT count(*) FROM advisory"), 10);
	CHECK_INT(count_rows(dbp, "SELECT count(*) FROM source"), 1);
	CHECK_INT(count_rows(dbp, "SELECT count(*) FROM source WHERE name = 'osv-good' AND records = 10"), 1);
	free_names(names, n);
	tmp_done();
}

TEST(bad_files_reported_and_skipped)
{
	static const char good[] = "{\"id\":\"GO-T-1\",\"modified\":\"m\",\"affected\":[{\"package\":{\"ecosystem\":"
				   "\"Go\",\"name\":\"example.com/m\"},\"ranges\":[{\"type\":\"SEMVER\",\"events\":["
				   "{\"introduced\":\"0\"},{\"fixed\":\"1.0.0\"}]}]}]}";
	static const char eco[] = "{\"id\":\"X-1\",\"modified\":\"m\",\"affected\":[{\"package\":{\"ecosystem\":"
				  "\"Gopher\",\"name\":\"m\"}}]}";
	char dir[256], p[512], big[6000];
	const char *paths[1];
	cs_vdb_import_stats st;
	cs_vdb *db;
	cs_err err;
	bads b;
	size_t i;

	tmp_make();
	CHECK_INT(mkdir(tpath(dir, sizeof(dir), "osv-mixed"), 0755), 0);
	snprintf(p, sizeof(p), "%s/a-good.json", dir);
	write_text(p, good, strlen(good));
	snprintf(p, sizeof(p), "%s/b-bad.json", dir);
	write_text(p, "{\"id\":\"GO-T-2\",\"modified\":", 26);
	snprintf(p, sizeof(p), "%s/c-bad.yaml", dir);
	write_text(p, "id: PYSEC-T\naffected: [\n", 24);
	snprintf(p, sizeof(p), "%s/d-eco.json", dir);
	write_text(p, eco, strlen(eco));
	snprintf(p, sizeof(p), "%s/e-notes.txt", dir);
	write_text(p, "nothing\n", 8);
	snprintf(p, sizeof(p), "%s/f-big.json", dir);
	snprintf(big, sizeof(big), "{\"id\":\"GO-T-3\",\"modified\":\"m\",\"details\":\"%0*d\"}", 5000, 0);
	write_text(p, big, strlen(big));
	snprintf(p, sizeof(p), "%s/.git", dir);
	CHECK_INT(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/.git/x.json", dir);
	write_text(p, good, strlen(good));
	snprintf(p, sizeof(p), "%s/sub", dir);
	CHECK_INT(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/sub/g-good.json", dir);
	write_text(p, good, strlen(good)); /* the same id again: replaces, one row */

	db = open_rw("b.db");
	memset(&st, 0, sizeof(st));
	memset(&b, 0, sizeof(b));
	st.on_bad = on_bad;
	st.payload = &b;
	st.max_file = 4096;
	cs_err_clear(&err);
	paths[0] = dir;
	CHECK_INT(cs_vdb_import_paths(db, paths, 1, &st, &err), 0);
	CHECK_INT(st.files, 7);
	CHECK_INT(st.unknown, 1);
	CHECK_INT(st.records, 2);
	CHECK_INT(st.bad, 4);
	CHECK_INT(st.failed, 0);
	CHECK_INT(st.per[CS_IMP_osv].files, 5);
	CHECK_INT(st.per[CS_IMP_osv].bad, 3);
	CHECK_INT(b.n, 4);
	for (i = 0; i < b.n && i < 4; i++)
		printf("  %s: %s\n", b.file[i], b.why[i]);
	snprintf(p, sizeof(p), "%s/b-bad.json", dir);
	CHECK_STR(b.file[0], p);
	CHECK(contains(b.why[0], "malformed JSON"));
	CHECK(contains(b.file[1], "c-bad.yaml"));
	CHECK(contains(b.why[1], "malformed YAML"));
	CHECK(contains(b.file[2], "d-eco.json"));
	CHECK(contains(b.why[2], "X-1: affected[0].package.ecosystem: unknown ecosystem 'Gopher'"));
	CHECK(contains(b.file[3], "f-big.json"));
	CHECK(contains(b.why[3], "larger than 4096 bytes"));
	cs_vdb_close(db);
	tpath(p, sizeof(p), "b.db");
	CHECK_INT(count_rows(p, "SELECT count(*) FROM advisory"), 1);
	CHECK_INT(count_rows(p, "SELECT count(*) FROM advisory WHERE file = 'sub/g-good.json'"), 1);
	CHECK_INT(count_rows(p, "SELECT count(*) FROM source WHERE name = 'osv-mixed'"), 1);
	tmp_done();
}

TEST(failed_import_keeps_nothing)
{
	char src[512], missing[256], p[256];
	const char *paths[2];
	cs_vdb *db;
	cs_err err;

	tmp_make();
	db = open_rw("f.db");
	cs_err_clear(&err);
	paths[0] = data_dir(src, sizeof(src), "osv-crates");
	paths[1] = tpath(missing, sizeof(missing), "missing-dir");
	CHECK_INT(cs_vdb_import_paths(db, paths, 2, NULL, &err), CS_ENOTFOUND);
	CHECK(contains(err.msg, "missing-dir"));
	CHECK_INT(cs_vdb_depth(db), 0);
	/* a caller's transaction: the import is a savepoint in it */
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_begin(db, &err), 0);
	CHECK_INT(cs_vdb_import_paths(db, paths, 1, NULL, &err), 0);
	CHECK_INT(cs_vdb_depth(db), 1);
	cs_vdb_rollback(db);
	cs_vdb_close(db);
	tpath(p, sizeof(p), "f.db");
	CHECK_INT(count_rows(p, "SELECT count(*) FROM advisory"), 0);
	CHECK_INT(count_rows(p, "SELECT count(*) FROM source"), 0);
	CHECK_INT(count_rows(p, "SELECT count(*) FROM meta WHERE key = 'built_at'"), 0);
	/* a lone file: the importer's name is the source */
	db = open_rw("f.db");
	snprintf(src, sizeof(src), "%s/test-data/vulndb/osv-crates/RUSTSEC-2016-0001.json", test_shared());
	paths[0] = src;
	CHECK_INT(cs_vdb_import_paths(db, paths, 1, NULL, &err), 0);
	cs_vdb_close(db);
	CHECK_INT(count_rows(p, "SELECT count(*) FROM advisory a JOIN source s ON s.id = a.source WHERE s.name = 'osv' "
				"AND a.file = 'RUSTSEC-2016-0001.json'"),
		  1);
	tmp_done();
}

/*
 * A process that dies mid-import, after SQLite began writing the file (a
 * small page cache forces it), leaves a hot journal: read-only opens refuse
 * the file with a clear message, the next writable open rolls it back, and
 * the database is the one before the import, to the byte of its dump.
 */
TEST(crash_mid_import_rolls_back)
{
	char src[512], path[256], before[CS_DIGEST_MAX], after[CS_DIGEST_MAX];
	const char *paths[1];
	cs_vdb *db;
	cs_err err;
	pid_t pid;
	int status = 0;

	tmp_make();
	db = open_rw("c.db");
	cs_err_clear(&err);
	paths[0] = data_dir(src, sizeof(src), "osv-crates");
	CHECK_INT(cs_vdb_import_paths(db, paths, 1, NULL, &err), 0);
	cs_vdb_close(db);
	tpath(path, sizeof(path), "c.db");
	dump_digest(path, before);

	pid = fork();
	if (pid == 0) {
		sqlite3 *h = NULL;

		/* the interrupted writer: what an import does, then death before COMMIT */
		if (sqlite3_open(path, &h) != SQLITE_OK ||
		    sqlite3_exec(h, "PRAGMA foreign_keys = ON; PRAGMA cache_size = 8; BEGIN IMMEDIATE; "
				    "DELETE FROM advisory WHERE rowid % 2 = 0; UPDATE advisory SET details = details || details",
				    NULL, NULL, NULL) != SQLITE_OK)
			_exit(2);
		_exit(0);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	snprintf(src, sizeof(src), "%s-journal", path);
	CHECK(access(src, F_OK) == 0);

	cs_err_clear(&err);
	db = NULL;
	CHECK_INT(cs_vdb_open(&db, path, false, &err), CS_EIO);
	CHECK(contains(err.msg, "interrupted import"));
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&db, path, true, &err), 0);
	cs_vdb_close(db);
	dump_digest(path, after);
	CHECK_STR(after, before);
	CHECK_INT(count_rows(path, "SELECT count(*) FROM advisory"), 1206);
	tmp_done();
}

TEST_MAIN(TEST_ENTRY(open_errors), TEST_ENTRY(put_lookup_get), TEST_ENTRY(names_and_labels),
	  TEST_ENTRY(import_real_databases), TEST_ENTRY(archives_import_like_directories),
	  TEST_ENTRY(damaged_archive_rolled_back), TEST_ENTRY(bad_files_reported_and_skipped),
	  TEST_ENTRY(failed_import_keeps_nothing), TEST_ENTRY(crash_mid_import_rolls_back))
