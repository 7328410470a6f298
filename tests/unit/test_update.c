/*
 * test_update.c - `customs db update` (src/vulndb/update.c): the feed
 * table, updates from a directory mirror and from a URL mirror served on
 * 127.0.0.1 by tests/e2e/feedserver.py, conditional requests (304, no
 * second download, counted in the server's request log), retries on 5xx
 * and 429, and atomicity: every failure, an interruption and a SIGKILL
 * halfway leave the old database byte for byte as it was.
 *
 * The mirror is built here from ../shared/test-data/vulndb: the OSV Go
 * (its first 1000 advisories) and RustSec directories zipped as osv.dev
 * publishes them (osv/Go/all.zip, osv/crates.io/all.zip), the Alpine secdb YAML of v3.5-v3.11 converted to
 * JSON as secdb.alpinelinux.org serves it and laid out under the seven
 * release names of the table, vunnel's Debian tracker sample, the DSA and
 * DLA lists, vunnel's NVD API page as nvd/nvdcve-2.0-2023.json.zip, and a
 * small KEV catalog and EPSS file written here. The oracle is a plain
 * cs_vdb_import_paths of the same files: same rows, table by table.
 *
 * No network: the URL tests need python3 (a test dependency) and are
 * reported as skipped without it.
 */
#include "core/compat.h"
#include "vulndb/update.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "vulndb/feedutil.h"
#include "vulndb/import.h"
#include "vulndb/store.h"

#include <archive.h>
#include <archive_entry.h>
#include <cJSON.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit/test.h"
#include "unit/testutil.h"

#define YEAR 2024 /* the NVD years of the table run 2002..YEAR */
#define FEEDSERVER "tests/e2e/feedserver.py"
#define GO_FILES 1000 /* the first of the 4291 Go advisories, for speed (all of them: test_vulndb_store) */

/* ---- fixtures ----------------------------------------------------------------------- */

static char tmp[64]; /* this test's directory */

static void setup(void);

static void tmp_make(void)
{
	setup();
	snprintf(tmp, sizeof(tmp), "/tmp/customs-upd-XXXXXX");
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

static const char *data_path(char *buf, size_t sz, const char *rel)
{
	snprintf(buf, sz, "%s/test-data/vulndb/%s", test_shared(), rel);
	return buf;
}

static void mkdirs(const char *path)
{
	char buf[1024];
	size_t i;

	snprintf(buf, sizeof(buf), "%s", path);
	for (i = 1; buf[i]; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		mkdir(buf, 0755);
		buf[i] = '/';
	}
	mkdir(buf, 0755);
}

static void write_file(const char *path, const void *data, size_t n)
{
	char dir[1024];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		abort();
	}
}

static void write_text(const char *path, const char *text)
{
	write_file(path, text, strlen(text));
}

static void copy_into(const char *src, const char *dst)
{
	size_t n = 0;
	char *d = test_read_file(src, &n);

	CHECK(d != NULL);
	if (d)
		write_file(dst, d, n);
	free(d);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/*
 * Zips the first max regular files of dir (one level, names in byte
 * order) into path, members named as the files; skip, when not NULL, is
 * left out. Returns the number of members.
 */
static size_t zip_dir(const char *path, const char *dir, const char *skip, size_t max)
{
	struct archive *a = archive_write_new();
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, file[1024], parent[1024];
	size_t n = 0, i;

	CHECK(d != NULL);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || (skip && strcmp(de->d_name, skip) == 0))
			continue;
		char **more = realloc(names, (n + 1) * sizeof(*names));

		if (!more)
			abort();
		names = more;
		names[n++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	while (n > max)
		free(names[--n]);
	snprintf(parent, sizeof(parent), "%s", path);
	*strrchr(parent, '/') = '\0';
	mkdirs(parent);
	archive_write_set_format_zip(a);
	CHECK_INT(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
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
		free(names[i]);
	}
	free(names);
	CHECK_INT(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	return n;
}

/* One file zipped as member name. */
static void zip_file(const char *path, const char *src, const char *name)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	size_t len = 0;
	char *text = test_read_file(src, &len);

	CHECK(text != NULL);
	archive_write_set_format_zip(a);
	CHECK_INT(archive_write_open_filename(a, path), ARCHIVE_OK);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	CHECK_INT(archive_write_header(a, e), ARCHIVE_OK);
	CHECK_INT(archive_write_data(a, text, len), (la_ssize_t)len);
	archive_entry_free(e);
	CHECK_INT(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	free(text);
}

/* Alpine secdb YAML converted to the JSON secdb.alpinelinux.org serves (every scalar a string). */
static void yaml_to_json(const char *src, const char *dst)
{
	size_t len = 0;
	char *y = test_read_file(src, &len), *j = NULL;
	cJSON *tree = NULL;
	cs_err err;

	cs_err_clear(&err);
	CHECK(y != NULL);
	if (y)
		tree = cs_feed_yaml_parse(y, len, src, &err);
	CHECK(tree != NULL);
	if (tree && (j = cJSON_PrintUnformatted(tree)))
		write_text(dst, j);
	CHECK(j != NULL);
	free(j);
	cJSON_Delete(tree);
	free(y);
}

static const char kev_json[] =
	"{\"title\": \"CISA Catalog of Known Exploited Vulnerabilities\", \"catalogVersion\": \"2024.06.01\",\n"
	" \"dateReleased\": \"2024-06-01T16:00:00.000Z\", \"count\": 3, \"vulnerabilities\": [\n"
	"  {\"cveID\": \"CVE-2021-44228\", \"vendorProject\": \"Apache\", \"product\": \"Log4j2\",\n"
	"   \"vulnerabilityName\": \"Apache Log4j2 Remote Code Execution Vulnerability\", \"dateAdded\": \"2021-12-10\",\n"
	"   \"shortDescription\": \"JNDI features do not protect against attacker-controlled endpoints.\",\n"
	"   \"requiredAction\": \"Apply updates.\", \"dueDate\": \"2021-12-24\", \"knownRansomwareCampaignUse\": \"Known\"},\n"
	"  {\"cveID\": \"CVE-2022-27664\", \"vendorProject\": \"Golang\", \"product\": \"net/http\",\n"
	"   \"vulnerabilityName\": \"x\", \"dateAdded\": \"2023-01-05\", \"shortDescription\": \"x\",\n"
	"   \"requiredAction\": \"x\", \"dueDate\": \"2023-01-26\", \"knownRansomwareCampaignUse\": \"Unknown\"},\n"
	"  {\"cveID\": \"CVE-2014-0160\", \"vendorProject\": \"OpenSSL\", \"product\": \"OpenSSL\",\n"
	"   \"vulnerabilityName\": \"Heartbleed\", \"dateAdded\": \"2022-05-04\", \"shortDescription\": \"x\",\n"
	"   \"requiredAction\": \"x\", \"dueDate\": \"2022-05-25\", \"knownRansomwareCampaignUse\": \"Unknown\"}\n"
	"]}\n";

static const char epss_csv[] = "#model_version:v2023.03.01,score_date:2024-06-01T00:00:00+0000\n"
			       "cve,epss,percentile\n"
			       "CVE-2021-44228,0.97565,0.99998\n"
			       "CVE-2022-27664,0.00234,0.61020\n"
			       "CVE-2014-0160,0.97375,0.99913\n"
			       "CVE-1999-0001,0.00369,0.72104\n";

static void write_gzip(const char *path, const char *text)
{
	size_t n = 0;
	uint8_t *gz = gzip_make((const uint8_t *)text, strlen(text), 1, &n);

	CHECK(gz != NULL);
	if (gz)
		write_file(path, gz, n);
	free(gz);
}

/* Alpine releases of the shared data under the table's release names. */
static const char *const alpine_map[][2] = {
	{"v3.5", "v3.17"}, {"v3.6", "v3.18"}, {"v3.7", "v3.19"}, {"v3.8", "v3.20"},
	{"v3.9", "v3.21"}, {"v3.10", "v3.22"}, {"v3.11", "edge"},
};

/* The feeds the mirror holds; every other feed of the table is missing from it. */
static const char *const present[] = {
	"osv-go",
	"osv-crates.io",
	"alpine-secdb-v3.17-main",
	"alpine-secdb-v3.17-community",
	"alpine-secdb-v3.18-main",
	"alpine-secdb-v3.18-community",
	"alpine-secdb-v3.19-main",
	"alpine-secdb-v3.19-community",
	"alpine-secdb-v3.20-main",
	"alpine-secdb-v3.20-community",
	"alpine-secdb-v3.21-main",
	"alpine-secdb-v3.21-community",
	"alpine-secdb-v3.22-main",
	"alpine-secdb-v3.22-community",
	"alpine-secdb-edge-main",
	"alpine-secdb-edge-community",
	"debian-tracker",
	"debian-list-dsa",
	"debian-list-dla",
	"nvd-2023",
	"kev",
	"epss",
};

static bool is_present(const char *name)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(present); i++)
		if (strcmp(present[i], name) == 0)
			return true;
	return false;
}

/* Builds the mirror tree in dir. */
static void mirror_build(const char *buf)
{
	char src[1024], dst[1024], rel[256];
	size_t i, r;

	snprintf(dst, sizeof(dst), "%s/osv/Go/all.zip", buf);
	CHECK_INT(zip_dir(dst, data_path(src, sizeof(src), "osv-go"), NULL, GO_FILES), GO_FILES);
	snprintf(dst, sizeof(dst), "%s/osv/crates.io/all.zip", buf);
	CHECK_INT(zip_dir(dst, data_path(src, sizeof(src), "osv-crates"), NULL, SIZE_MAX), 1206);
	for (i = 0; i < CS_ARRAY_LEN(alpine_map); i++) {
		static const char *const repos[] = {"main", "community"};

		for (r = 0; r < 2; r++) {
			snprintf(rel, sizeof(rel), "alpine-secdb/%s/%s.yaml", alpine_map[i][0], repos[r]);
			snprintf(dst, sizeof(dst), "%s/alpine-secdb/%s/%s.json", buf, alpine_map[i][1], repos[r]);
			yaml_to_json(data_path(src, sizeof(src), rel), dst);
		}
	}
	snprintf(dst, sizeof(dst), "%s/debian/json", buf);
	copy_into(data_path(src, sizeof(src), "vunnel-samples/debian/test-fixtures/input/debian.json"), dst);
	snprintf(dst, sizeof(dst), "%s/debian/DSA/list", buf);
	copy_into(data_path(src, sizeof(src), "debian-security-tracker/DSA/list"), dst);
	snprintf(dst, sizeof(dst), "%s/debian/DLA/list", buf);
	copy_into(data_path(src, sizeof(src), "debian-security-tracker/DLA/list"), dst);
	snprintf(dst, sizeof(dst), "%s/nvd", buf);
	mkdirs(dst);
	snprintf(dst, sizeof(dst), "%s/nvd/nvdcve-2.0-2023.json.zip", buf);
	zip_file(dst, data_path(src, sizeof(src), "vunnel-samples/nvd/test-fixtures/full-page.json"),
		 "nvdcve-2.0-2023.json");
	snprintf(dst, sizeof(dst), "%s/kev.json", buf);
	write_text(dst, kev_json);
	snprintf(dst, sizeof(dst), "%s/epss/epss_scores-current.csv.gz", buf);
	write_gzip(dst, epss_csv);
}

/* The mirror is built once per process (zipping 5,500 files is the slow part) and copied for each test. */
static char master[64];
static size_t master_len;
static const char *copy_to;

static int copy_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	char dst[1024];

	CS_UNUSED(sb);
	CS_UNUSED(ftw);
	snprintf(dst, sizeof(dst), "%s%s", copy_to, path + master_len);
	if (flag == FTW_D)
		mkdirs(dst);
	else if (flag == FTW_F)
		copy_into(path, dst);
	return 0;
}

/* A fresh copy of the mirror in tmp/<name>; returns its path in buf. */
static const char *mirror_make(char *buf, size_t sz, const char *name)
{
	if (!master[0]) {
		snprintf(master, sizeof(master), "/tmp/customs-upd-mirror-XXXXXX");
		if (!mkdtemp(master)) {
			perror("mkdtemp");
			abort();
		}
		master_len = strlen(master);
		mirror_build(master);
	}
	tpath(buf, sz, name);
	copy_to = buf;
	CHECK_INT(nftw(master, copy_one, 16, FTW_PHYS), 0);
	return buf;
}

/* ---- reading databases back -------------------------------------------------------------- */

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

static int64_t source_advisories(const char *dbpath, const char *source)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM advisory a JOIN source s ON s.id = a.source WHERE s.name = '%s'", source);
	return count_rows(dbpath, sql);
}

/*
 * A digest of every record, by natural keys, without row ids, times and
 * source names (a plain import names some sources differently), fully
 * ordered so that equal databases give equal digests.
 */
static void content_digest(const char *dbpath, char out[CS_DIGEST_MAX])
{
	static const char *const queries[] = {
		"SELECT name, summary, details, published, modified, withdrawn, severity, file FROM advisory "
		"ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
		"SELECT a.name, l.alias FROM alias l JOIN advisory a ON a.id = l.advisory ORDER BY 1, 2",
		"SELECT a.name, c.seq, c.version, c.vector, c.score, c.source FROM cvss c "
		"JOIN advisory a ON a.id = c.advisory ORDER BY 1, 2, 3, 4, 5, 6",
		"SELECT a.name, r.seq, r.url FROM reference r JOIN advisory a ON a.id = r.advisory ORDER BY 1, 2, 3",
		"SELECT a.name, f.seq, f.ecosystem, f.package, f.status, f.severity FROM affected f "
		"JOIN advisory a ON a.id = f.advisory ORDER BY 1, 2, 3, 4, 5, 6",
		"SELECT a.name, f.ecosystem, f.package, r.seq, r.introduced, r.fixed, r.last_affected, r.limit_version "
		"FROM affected_range r JOIN affected f ON f.id = r.affected JOIN advisory a ON a.id = f.advisory "
		"ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
		"SELECT a.name, f.ecosystem, f.package, v.seq, v.version FROM affected_version v "
		"JOIN affected f ON f.id = v.affected JOIN advisory a ON a.id = f.advisory ORDER BY 1, 2, 3, 4, 5",
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

				cs_sha256_update(&sh, v ? (const char *)v : "\1NULL", v ? strlen((const char *)v) : 5);
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

/* The digest of a file's bytes ("" when it cannot be read). */
static void file_digest(const char *path, char out[CS_DIGEST_MAX])
{
	size_t n = 0;
	char *d = test_read_file(path, &n);

	out[0] = '\0';
	if (d)
		cs_sha256_buf(d, n, out);
	free(d);
}

/* Temporary directories an update left in dir. */
static int leftovers(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		if (strncmp(de->d_name, ".customs-update-", 16) == 0)
			n++;
	if (d)
		closedir(d);
	return n;
}

/* The source row of name (url/etag/last_modified) in the database at path, into a. */
static const cs_vdb_source_info *source_info(const char *path, const char *name, cs_arena *a)
{
	const cs_vdb_source_info *src;
	cs_vdb *db = NULL;
	cs_vdb_info info;
	cs_err err;
	size_t i;

	cs_err_clear(&err);
	if (cs_vdb_open(&db, path, false, &err) < 0 || cs_vdb_get_info(&info, db, a, &err) < 0) {
		cs_vdb_close(db);
		return NULL;
	}
	cs_vdb_close(db);
	src = info.sources; /* in the arena */
	for (i = 0; i < info.nsources; i++)
		if (strcmp(src[i].name, name) == 0)
			return src + i;
	return NULL;
}

/* ---- running updates --------------------------------------------------------------------- */

static const cs_vdb_feed *feeds;
static size_t nfeeds;
static cs_arena feeds_arena;

static void feeds_load(void)
{
	if (!feeds) {
		cs_arena_init(&feeds_arena);
		CHECK_INT(cs_vdb_feeds_default(&feeds, &nfeeds, YEAR, &feeds_arena), 0);
	}
}

static void opts_init(cs_vdb_update_opts *o, const char *mirror)
{
	feeds_load();
	memset(o, 0, sizeof(*o));
	o->feeds = feeds;
	o->nfeeds = nfeeds;
	o->mirror = mirror;
	o->retry_delay_ms = 20;
}

static const cs_vdb_feed *feed_named(const char *name)
{
	size_t i;

	feeds_load();
	for (i = 0; i < nfeeds; i++)
		if (strcmp(feeds[i].name, name) == 0)
			return &feeds[i];
	abort(); /* a test asked for a feed the table does not have */
}

/* The result of feed name; a failed check and an empty result when the update did not have it. */
static const cs_vdb_feed_result *result_of(const cs_vdb_update_result *res, const char *name)
{
	static const cs_vdb_feed none_feed = {"(none)", "", "", "", NULL};
	static cs_vdb_feed_result none;
	size_t i;

	for (i = 0; i < res->nfeeds; i++)
		if (strcmp(res->feeds[i].feed->name, name) == 0)
			return &res->feeds[i];
	fprintf(stderr, "  no result for feed '%s'\n", name);
	CHECK(0);
	memset(&none, 0, sizeof(none));
	none.feed = &none_feed;
	none.state = CS_FEED_NSTATES;
	none.why = "";
	return &none;
}

static int state_of(const cs_vdb_update_result *res, const char *name)
{
	return (int)result_of(res, name)->state;
}

/* Runs one update; returns its code, the message in err. */
static int update(cs_vdb_update_result *res, const char *db, const cs_vdb_update_opts *o, cs_arena *a, cs_err *err)
{
	int code;

	cs_err_clear(err);
	code = cs_vdb_update(res, db, o, a, err);
	if (code < 0 && getenv("TEST_VERBOSE"))
		fprintf(stderr, "  update: %s\n", err->msg);
	return code;
}

/* A database built from the mirror directory in one update; its path in buf. */
static const char *db_from_mirror(char *buf, size_t sz, const char *name, const char *mirror)
{
	cs_vdb_update_opts o;
	cs_vdb_update_result res;
	cs_arena a;
	cs_err err;

	opts_init(&o, mirror);
	cs_arena_init(&a);
	tpath(buf, sz, name);
	CHECK_INT(update(&res, buf, &o, &a, &err), 0);
	CHECK(res.replaced);
	CHECK_INT(res.count[CS_FEED_UPDATED], CS_ARRAY_LEN(present));
	cs_arena_release(&a);
	return buf;
}

/* ---- the feed server ----------------------------------------------------------------------- */

typedef struct server {
	pid_t pid;
	int port;
	char url[64];
	char log[256];
} server;

/* Debian's python3 starts in milliseconds; a version manager's shim in PATH can take a second. */
static const char *python(void)
{
	return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

/* Starts feedserver.py on root with rules (NULL-terminated); false when python3 cannot. */
static bool server_start(server *s, const char *root, const char *const *rules)
{
	const char *argv[32];
	int pfd[2], n = 0;
	FILE *f;
	static int seq;

	memset(s, 0, sizeof(s[0]));
	if (access(FEEDSERVER, R_OK) != 0)
		return false;
	snprintf(s->log, sizeof(s->log), "%s/server-%d.log", tmp, ++seq);
	argv[n++] = python();
	argv[n++] = FEEDSERVER;
	argv[n++] = root;
	argv[n++] = "--log";
	argv[n++] = s->log;
	while (rules && *rules && n < 28) {
		argv[n++] = "--rule";
		argv[n++] = *rules++;
	}
	argv[n] = NULL;
	if (pipe(pfd) < 0)
		return false;
	s->pid = fork();
	if (s->pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	if (s->pid < 0 || !f || fscanf(f, "%d", &s->port) != 1) {
		if (f)
			fclose(f);
		if (s->pid > 0)
			waitpid(s->pid, NULL, 0);
		s->pid = 0;
		return false;
	}
	fclose(f);
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", s->port);
	return true;
}

static void server_stop(server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
}

/* Lines of the server's log that start with prefix ("GET /kev.json 200"). */
static int log_count(const server *s, const char *prefix)
{
	size_t n = 0;
	char *log = test_read_file(s->log, &n), *line, *end;
	int k = 0;

	for (line = log; line && *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			break;
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			k++;
	}
	free(log);
	return k;
}

static bool have_server(void)
{
	static int ok = -1;
	server s;

	if (ok < 0) {
		ok = server_start(&s, tmp, NULL);
		server_stop(&s);
		if (!ok)
			fprintf(stderr, "  (python3 or %s unavailable: URL mirror tests skipped)\n", FEEDSERVER);
	}
	return ok == 1;
}

/* ---- the feed table ------------------------------------------------------------------------- */

static void quiet_bad(void *payload, const char *file, const char *why)
{
	CS_UNUSED(payload);
	CS_UNUSED(file);
	CS_UNUSED(why);
}

TEST(feed_table)
{
	const cs_vdb_feed *f;
	size_t n = 0, i, k, nvd = 0, osv = 0, alpine = 0;
	cs_arena a;

	cs_arena_init(&a);
	CHECK_INT(cs_vdb_feeds_default(&f, &n, YEAR, &a), 0);
	CHECK_INT(n, 19 + 14 + 3 + (YEAR - 2002 + 1) + 2);
	for (i = 0; i < n; i++) {
		const char *p;

		for (k = 0; k < i; k++) {
			CHECK(strcmp(f[i].name, f[k].name) != 0);
			CHECK(strcmp(f[i].path, f[k].path) != 0);
			CHECK(strcmp(f[i].url, f[k].url) != 0);
		}
		for (p = f[i].name; *p; p++)
			CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.');
		CHECK(strncmp(f[i].url, "https://", 8) == 0);
		CHECK(f[i].path[0] != '/' && !strstr(f[i].path, ".."));
		CHECK(strchr(f[i].import_as, '/') != NULL && !strstr(f[i].import_as, ".."));
		CHECK(!strstr(f[i].name, "%Y") && !strstr(f[i].url, "%Y") && !strstr(f[i].path, "%Y"));
		nvd += strncmp(f[i].name, "nvd-", 4) == 0;
		osv += strncmp(f[i].name, "osv-", 4) == 0;
		alpine += strncmp(f[i].name, "alpine-secdb-", 13) == 0;
	}
	CHECK_INT(nvd, YEAR - 2002 + 1);
	CHECK_INT(osv, 19);
	CHECK_INT(alpine, 14);
	CHECK_STR(f[0].name, "osv-debian");
	CHECK_STR(f[0].url, "https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip");
	CHECK_STR(f[0].path, "osv/Debian/all.zip");
	for (i = 0; i < n && strcmp(f[i].name, "nvd-2024") != 0; i++)
		;
	CHECK(i < n);
	if (i < n) {
		CHECK_STR(f[i].url, "https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-2024.json.zip");
		CHECK_STR(f[i].path, "nvd/nvdcve-2.0-2024.json.zip");
		CHECK_STR(f[i].import_as, "nvd-2024/all.zip");
		CHECK_STR(f[i - (YEAR - 2002)].name, "nvd-2002");
	}
	for (i = 0; i < n && strcmp(f[i].name, "kev") != 0; i++)
		;
	CHECK(i < n && f[i].table && strcmp(f[i].table, "kev") == 0);

	/* selectors: a name or a family, never a bare prefix of a word */
	CHECK(cs_vdb_feed_matches("osv-go", "osv"));
	CHECK(cs_vdb_feed_matches("osv-go", "osv-go"));
	CHECK(!cs_vdb_feed_matches("osv-go", "os"));
	CHECK(!cs_vdb_feed_matches("osv-go", "osv-g"));
	CHECK(!cs_vdb_feed_matches("osv-go", ""));
	CHECK(cs_vdb_feed_matches("alpine-secdb-v3.20-main", "alpine-secdb-v3.20"));
	CHECK(!cs_vdb_feed_matches("alpine-secdb-v3.20-main", "alpine-secdb-v3.2"));
	CHECK(cs_vdb_feed_matches("debian-list-dsa", "debian"));
	CHECK(cs_vdb_feed_matches("nvd-2024", "nvd"));
	CHECK_STR(cs_vdb_feed_state_name(CS_FEED_MISSING), "not found");

	/* a year before the first NVD file still gives the 2002 one */
	CHECK_INT(cs_vdb_feeds_default(&f, &n, 1990, &a), 0);
	CHECK_INT(n, 19 + 14 + 3 + 1 + 2);
	cs_arena_release(&a);
}

/* ---- a directory mirror ----------------------------------------------------------------------- */

/*
 * From a directory mirror into a new database: every file the mirror has
 * is imported into the source the table names, the rest is reported
 * missing; the rows equal a plain import of the same files.
 */
TEST(dir_mirror)
{
	char mirror[256], db[256], base[256], dg[CS_DIGEST_MAX], db2[CS_DIGEST_MAX], p[512];
	const char *paths[9];
	cs_vdb_update_opts o;
	cs_vdb_update_result res;
	cs_vdb_import_stats st;
	cs_vdb *bdb = NULL;
	cs_arena a;
	cs_err err;
	size_t i;
	static const char *const tables[] = {"advisory", "alias", "cvss", "reference", "affected",
					     "affected_range", "affected_version", "kev", "epss"};

	tmp_make();
	cs_arena_init(&a);
	mirror_make(mirror, sizeof(mirror), "mirror");
	opts_init(&o, mirror);
	tpath(db, sizeof(db), "cache/customs/db.sqlite"); /* its directory does not exist yet */
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK(res.replaced);
	CHECK(res.rebuilt == NULL);
	CHECK_INT(res.nfeeds, nfeeds);
	CHECK_INT(res.count[CS_FEED_UPDATED], CS_ARRAY_LEN(present));
	CHECK_INT(res.count[CS_FEED_MISSING], nfeeds - CS_ARRAY_LEN(present));
	CHECK_INT(res.count[CS_FEED_FAILED] + res.count[CS_FEED_UNUSABLE] + res.count[CS_FEED_PENDING], 0);
	for (i = 0; i < res.nfeeds; i++) {
		const cs_vdb_feed_result *r = &res.feeds[i];

		CHECK_INT(r->state, is_present(r->feed->name) ? CS_FEED_UPDATED : CS_FEED_MISSING);
		CHECK(!r->required);
		CHECK_INT(r->requests, 0); /* plain file access */
		if (r->state == CS_FEED_UPDATED) {
			CHECK(r->records > 0);
			CHECK(r->etag && r->last_modified);
		}
	}
	CHECK_INT(result_of(&res, "osv-go")->records, GO_FILES);
	CHECK_INT(result_of(&res, "osv-crates.io")->records, 1206);
	CHECK_INT(result_of(&res, "kev")->records, 3);
	CHECK_INT(result_of(&res, "epss")->records, 4);
	CHECK_INT(leftovers(tmp), 0);
	tpath(p, sizeof(p), "cache/customs");
	CHECK_INT(leftovers(p), 0);

	/* the oracle: the same files through a plain import */
	paths[0] = strdup(tpath(p, sizeof(p), "mirror/osv/Go/all.zip"));
	paths[1] = strdup(tpath(p, sizeof(p), "mirror/osv/crates.io/all.zip"));
	paths[2] = strdup(tpath(p, sizeof(p), "mirror/alpine-secdb"));
	paths[3] = strdup(tpath(p, sizeof(p), "mirror/debian/json"));
	paths[4] = strdup(tpath(p, sizeof(p), "mirror/debian/DSA/list"));
	paths[5] = strdup(tpath(p, sizeof(p), "mirror/debian/DLA/list"));
	paths[6] = strdup(tpath(p, sizeof(p), "mirror/nvd/nvdcve-2.0-2023.json.zip"));
	paths[7] = strdup(tpath(p, sizeof(p), "mirror/kev.json"));
	paths[8] = strdup(tpath(p, sizeof(p), "mirror/epss/epss_scores-current.csv.gz"));
	tpath(base, sizeof(base), "base.sqlite");
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&bdb, base, true, &err), 0);
	memset(&st, 0, sizeof(st));
	st.on_bad = quiet_bad;
	if (bdb)
		CHECK_INT(cs_vdb_import_paths(bdb, paths, CS_ARRAY_LEN(paths), &st, &err), 0);
	cs_vdb_close(bdb);
	for (i = 0; i < CS_ARRAY_LEN(paths); i++)
		free((void *)paths[i]);
	CHECK_INT(res.records, st.records);
	CHECK_INT(res.bad, st.bad);
	for (i = 0; i < CS_ARRAY_LEN(tables); i++) {
		char sql[64];
		int64_t want, got;

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		want = count_rows(base, sql);
		got = count_rows(db, sql);
		if (want != got)
			fprintf(stderr, "  table %s: %lld rows, plain import %lld\n", tables[i], (long long)got,
				(long long)want);
		CHECK_INT(got, want);
		CHECK(got > 0 || strcmp(tables[i], "affected_version") == 0); /* no explicit versions in these feeds */
	}
	content_digest(db, dg);
	content_digest(base, db2);
	CHECK_STR(dg, db2);
	/* the sources are the table's names (a plain import names the lists and NVD by their files) */
	CHECK_INT(count_rows(db, "SELECT count(*) FROM source"), CS_ARRAY_LEN(present));
	for (i = 0; i < CS_ARRAY_LEN(present); i++) {
		char sql[160];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM source WHERE name = '%s'", present[i]);
		CHECK_INT(count_rows(db, sql), 1);
	}
	CHECK_INT(source_advisories(db, "osv-go"), source_advisories(base, "osv-go"));
	CHECK_INT(source_advisories(db, "alpine-secdb-v3.20-main"), source_advisories(base, "alpine-secdb-v3.20-main"));
	CHECK_INT(source_advisories(db, "debian-list-dsa") + source_advisories(db, "debian-list-dla"),
		  source_advisories(base, "debian-list"));
	CHECK_INT(source_advisories(db, "debian-list-dsa"), 5406);
	CHECK_INT(source_advisories(db, "debian-list-dla"), 3534);
	CHECK_INT(source_advisories(db, "nvd-2023"), 38);
	CHECK_INT(source_advisories(base, "nvd-nvdcve-2.0-2023.json"), 38); /* import labels a zip by its name */
	{
		const cs_vdb_source_info *si = source_info(db, "osv-go", &a);

		CHECK(si != NULL);
		if (si) {
			snprintf(p, sizeof(p), "file://%s/osv/Go/all.zip", mirror);
			CHECK_STR(si->url, p);
			CHECK(si->etag && si->etag[0] == '"');
			CHECK(si->last_modified && cs_str_ends(si->last_modified, " GMT"));
			CHECK(si->imported_at != NULL);
			CHECK_INT(si->advisories, GO_FILES);
		}
	}
	cs_arena_release(&a);
	tmp_done();
}

/*
 * Again from the same mirror: nothing is imported again, the database
 * says the same. A changed file is imported again and replaces its
 * source whole: what vanished from the feed vanishes from the database.
 * --force imports everything.
 */
TEST(dir_mirror_again)
{
	char mirror[256], db[256], before[CS_DIGEST_MAX], after[CS_DIGEST_MAX], p[512], src[512];
	cs_vdb_update_opts o;
	cs_vdb_update_result res;
	cs_arena a;
	cs_err err;
	cs_vdb *h = NULL;
	int64_t row;

	tmp_make();
	cs_arena_init(&a);
	mirror_make(mirror, sizeof(mirror), "mirror");
	db_from_mirror(db, sizeof(db), "db.sqlite", mirror);
	content_digest(db, before);

	opts_init(&o, mirror);
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(res.count[CS_FEED_UNCHANGED], CS_ARRAY_LEN(present));
	CHECK_INT(res.count[CS_FEED_UPDATED], 0);
	CHECK_INT(res.records, 0);
	CHECK(res.replaced); /* its build time says it is current */
	content_digest(db, after);
	CHECK_STR(after, before);

	/* KEV loses an entry, the Go database an advisory: both go */
	write_text(tpath(p, sizeof(p), "mirror/kev.json"),
		   "{\"catalogVersion\": \"2024.06.02\", \"count\": 1, \"vulnerabilities\": [\n"
		   " {\"cveID\": \"CVE-2021-44228\", \"dateAdded\": \"2021-12-10\", \"dueDate\": \"2021-12-24\",\n"
		   "  \"knownRansomwareCampaignUse\": \"Known\"}]}\n");
	zip_dir(tpath(p, sizeof(p), "mirror/osv/Go/all.zip"), data_path(src, sizeof(src), "osv-go"), "GO-2022-0969.json",
		GO_FILES - 1);
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(res.count[CS_FEED_UPDATED], 2);
	CHECK_INT(state_of(&res, "kev"), CS_FEED_UPDATED);
	CHECK_INT(state_of(&res, "osv-go"), CS_FEED_UPDATED);
	CHECK_INT(state_of(&res, "osv-crates.io"), CS_FEED_UNCHANGED);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM kev"), 1);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM epss"), 4);
	CHECK_INT(source_advisories(db, "osv-go"), GO_FILES - 1);
	CHECK_INT(source_advisories(db, "osv-crates.io"), 1206);
	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&h, db, false, &err), 0);
	if (h) {
		CHECK_INT(cs_vdb_advisory_find(&row, h, "osv-go", "GO-2022-0969", &err), CS_ENOTFOUND);
		CHECK_INT(cs_vdb_advisory_find(&row, h, "osv-go", "GO-2020-0001", &err), 0);
	}
	cs_vdb_close(h);

	o.force = true;
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(res.count[CS_FEED_UPDATED], CS_ARRAY_LEN(present));

	/* one family only: the rest of the database is left alone */
	o.force = true;
	o.select = (const char *const[]){"alpine-secdb-v3.20"};
	o.nselect = 1;
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(res.nfeeds, 2);
	CHECK_INT(res.count[CS_FEED_UPDATED], 2);
	CHECK(!res.feeds[0].required); /* a family: one of its feeds is enough */
	CHECK_INT(source_advisories(db, "osv-go"), GO_FILES - 1);
	cs_arena_release(&a);
	tmp_done();
}

/* ---- a URL mirror --------------------------------------------------------------------------- */

/*
 * The same mirror over HTTP gives the same database. Run again, every file
 * is asked for once more with its validators and answered 304: nothing is
 * downloaded twice.
 */
TEST(url_mirror)
{
	char mirror[256], db[256], dirdb[256], a1[CS_DIGEST_MAX], a2[CS_DIGEST_MAX], line[256], p[512];
	cs_vdb_update_opts o;
	cs_vdb_update_result res;
	server s;
	cs_arena a;
	cs_err err;
	size_t i;

	tmp_make();
	if (!have_server()) {
		tmp_done();
		return;
	}
	cs_arena_init(&a);
	mirror_make(mirror, sizeof(mirror), "mirror");
	db_from_mirror(dirdb, sizeof(dirdb), "dir.sqlite", mirror);
	CHECK(server_start(&s, mirror, NULL));
	opts_init(&o, s.url);
	tpath(db, sizeof(db), "db.sqlite");
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(res.count[CS_FEED_UPDATED], CS_ARRAY_LEN(present));
	CHECK_INT(res.count[CS_FEED_MISSING], nfeeds - CS_ARRAY_LEN(present));
	content_digest(db, a1);
	content_digest(dirdb, a2);
	CHECK_STR(a1, a2);
	CHECK_INT(log_count(&s, "GET "), (int)nfeeds);
	CHECK_INT(log_count(&s, "GET /osv/Go/all.zip 200"), 1);
	for (i = 0; i < res.nfeeds; i++) {
		const cs_vdb_feed_result *r = &res.feeds[i];

		CHECK_INT(r->requests, 1);
		CHECK_INT(r->http_status, r->state == CS_FEED_UPDATED ? 200 : 404);
		if (r->state == CS_FEED_UPDATED)
			CHECK(r->bytes > 0 && r->bytes == r->total);
	}
	{
		const cs_vdb_source_info *si = source_info(db, "kev", &a);
		struct stat sb;

		CHECK(si != NULL);
		if (si) {
			snprintf(p, sizeof(p), "%s/kev.json", s.url);
			CHECK_STR(si->url, p);
			stat(tpath(p, sizeof(p), "mirror/kev.json"), &sb);
			snprintf(line, sizeof(line), "\"%llx-%llx\"", (unsigned long long)sb.st_size,
				 (unsigned long long)sb.st_mtim.tv_sec * 1000000000ull + (unsigned long long)sb.st_mtim.tv_nsec);
			CHECK_STR(si->etag, line); /* the server's own */
			CHECK(si->last_modified && cs_str_ends(si->last_modified, " GMT"));
		}
	}

	/* again: a conditional request per file, 304, no body */
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(res.count[CS_FEED_UNCHANGED], CS_ARRAY_LEN(present));
	CHECK_INT(res.count[CS_FEED_UPDATED], 0);
	CHECK_INT(log_count(&s, "GET "), 2 * (int)nfeeds);
	CHECK_INT(log_count(&s, "GET /osv/Go/all.zip 200"), 1);
	CHECK_INT(log_count(&s, "GET /osv/Go/all.zip 304 0 cond"), 1);
	for (i = 0; i < CS_ARRAY_LEN(present); i++) {
		const cs_vdb_feed *f = result_of(&res, present[i])->feed;

		snprintf(line, sizeof(line), "GET /%s 200", f->path);
		CHECK_INT(log_count(&s, line), 1);
		snprintf(line, sizeof(line), "GET /%s 304 0 cond", f->path);
		CHECK_INT(log_count(&s, line), 1);
	}
	content_digest(db, a1);
	CHECK_STR(a1, a2);

	/* a file that changed is downloaded again, and only that one */
	write_text(tpath(p, sizeof(p), "mirror/kev.json"), kev_json);
	{
		struct timespec ts[2] = {{0, UTIME_NOW}, {time(NULL) + 5, 0}};

		utimensat(AT_FDCWD, p, ts, 0);
	}
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(res.count[CS_FEED_UPDATED], 1);
	CHECK_INT(state_of(&res, "kev"), CS_FEED_UPDATED);
	CHECK_INT(log_count(&s, "GET /kev.json 200"), 2);
	CHECK_INT(log_count(&s, "GET /osv/Go/all.zip 200"), 1);

	/* the validators belong to the URL: the directory mirror's do not make this one answer 304 */
	o.mirror = mirror;
	o.select = (const char *const[]){"kev"};
	o.nselect = 1;
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(state_of(&res, "kev"), CS_FEED_UPDATED);
	o.mirror = s.url;
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(state_of(&res, "kev"), CS_FEED_UPDATED);
	CHECK_INT(log_count(&s, "GET /kev.json 200 "), 3);
	server_stop(&s);
	cs_arena_release(&a);
	tmp_done();
}

/* 500 twice, then the file; 429 with Retry-After: 1, then the file; a redirect followed. */
TEST(retries)
{
	char mirror[256], db[256], p[512];
	const char *rules[] = {"/kev.json=500x2", "/epss/epss_scores-current.csv.gz=429x1",
			       "/debian/json=redirect:/moved/json", NULL};
	cs_vdb_update_opts o;
	cs_vdb_update_result res;
	struct timespec t0, t1;
	double ms;
	server s;
	cs_arena a;
	cs_err err;

	tmp_make();
	if (!have_server()) {
		tmp_done();
		return;
	}
	cs_arena_init(&a);
	mirror_make(mirror, sizeof(mirror), "mirror");
	copy_into(tpath(p, sizeof(p), "mirror/debian/json"), tpath(db, sizeof(db), "mirror/moved/json"));
	CHECK(server_start(&s, mirror, rules));
	opts_init(&o, s.url);
	o.select = (const char *const[]){"kev", "epss", "debian-tracker"};
	o.nselect = 3;
	o.retry_delay_ms = 50;
	tpath(db, sizeof(db), "db.sqlite");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	CHECK_INT(res.count[CS_FEED_UPDATED], 3);
	CHECK_INT(result_of(&res, "kev")->requests, 3);
	CHECK_INT(result_of(&res, "epss")->requests, 2);
	CHECK_INT(result_of(&res, "debian-tracker")->requests, 1); /* one perform, the redirect inside it */
	CHECK(ms >= 950); /* Retry-After: 1 wins over the 50 ms backoff */
	CHECK_INT(log_count(&s, "GET /kev.json 500"), 2);
	CHECK_INT(log_count(&s, "GET /kev.json 200"), 1);
	CHECK_INT(log_count(&s, "GET /epss/epss_scores-current.csv.gz 429"), 1);
	CHECK_INT(log_count(&s, "GET /debian/json 302"), 1);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM kev"), 3);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM epss"), 4);
	CHECK_INT(source_advisories(db, "debian-tracker"), 7);
	{
		const cs_vdb_source_info *si = source_info(db, "debian-tracker", &a);

		snprintf(p, sizeof(p), "%s/debian/json", s.url);
		CHECK(si && si->url && strcmp(si->url, p) == 0); /* the URL asked for, not where it led */
	}
	server_stop(&s);
	cs_arena_release(&a);
	tmp_done();
}

/* ---- failures ---------------------------------------------------------------------------------- */

/* Runs an update that must fail with code; the database must be untouched, no temporary file left. */
static void must_fail(const char *db, const cs_vdb_update_opts *o, int code, const char *feed, int state,
		      const char *msg)
{
	char before[CS_DIGEST_MAX], after[CS_DIGEST_MAX];
	cs_vdb_update_result res;
	cs_arena a;
	cs_err err;

	cs_arena_init(&a);
	file_digest(db, before);
	CHECK_INT(update(&res, db, o, &a, &err), code);
	CHECK(!res.replaced);
	if (feed)
		CHECK_INT(state_of(&res, feed), state);
	if (msg && !strstr(err.msg, msg)) {
		fprintf(stderr, "  message '%s' lacks '%s'\n", err.msg, msg);
		CHECK(0);
	}
	file_digest(db, after);
	CHECK_STR(after, before);
	CHECK_INT(leftovers(tmp), 0);
	cs_arena_release(&a);
}

/* The database made by db_from_mirror opens and holds its records. */
static void db_intact(const char *db)
{
	cs_vdb *h = NULL;
	cs_err err;

	cs_err_clear(&err);
	CHECK_INT(cs_vdb_open(&h, db, false, &err), 0);
	cs_vdb_close(h);
	CHECK_INT(source_advisories(db, "osv-go"), GO_FILES);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM kev"), 3);
}

/*
 * Transport errors fail the whole update and leave the old database: a
 * truncated body (retried, then given up), a server that keeps failing,
 * a stalled transfer (low-speed limit), a Retry-After too long to wait.
 */
TEST(transport_failures)
{
	char mirror[256], db[256];
	const char *rules[] = {"/osv/Go/all.zip=truncate", "/debian/json=500x99", "/kev.json=stall",
			       "/epss/epss_scores-current.csv.gz=503x9:3600", NULL};
	cs_vdb_update_opts o;
	server s;

	tmp_make();
	if (!have_server()) {
		tmp_done();
		return;
	}
	mirror_make(mirror, sizeof(mirror), "mirror");
	db_from_mirror(db, sizeof(db), "db.sqlite", mirror);
	CHECK(server_start(&s, mirror, rules));
	opts_init(&o, s.url);

	/* a truncated download: curl sees the short body, four requests, then the update fails */
	must_fail(db, &o, CS_EIO, "osv-go", CS_FEED_FAILED, "cannot download source 'osv-go'");
	CHECK_INT(log_count(&s, "GET /osv/Go/all.zip 200"), 4);
	CHECK_INT(log_count(&s, "GET /osv/crates.io/all.zip"), 0); /* it stopped there */

	o.select = (const char *const[]){"debian-tracker"};
	o.nselect = 1;
	must_fail(db, &o, CS_EIO, "debian-tracker", CS_FEED_FAILED, "HTTP 500, 4 requests");
	CHECK_INT(log_count(&s, "GET /debian/json 500"), 4);

	o.select = (const char *const[]){"kev"};
	o.low_speed_time = 1;
	o.low_speed_limit = 100000;
	o.retries = 1;
	must_fail(db, &o, CS_EIO, "kev", CS_FEED_FAILED, "cannot download source 'kev'");
	CHECK_INT(log_count(&s, "GET /kev.json"), 2);

	o.select = (const char *const[]){"epss"};
	o.retries = 0;
	must_fail(db, &o, CS_EIO, "epss", CS_FEED_FAILED, "retry after 3600 s");
	CHECK_INT(log_count(&s, "GET /epss/epss_scores-current.csv.gz 503"), 1);

	/* nothing listens there */
	server_stop(&s);
	o.select = NULL;
	o.nselect = 0;
	o.retries = 1;
	must_fail(db, &o, CS_EIO, "osv-debian", CS_FEED_FAILED, "osv-debian");
	db_intact(db);
	tmp_done();
}

/*
 * A feed the mirror lacks keeps its records and the update goes on; a
 * feed named with --source must be there; a mirror with none of them is
 * an error.
 */
TEST(missing)
{
	char mirror[256], db[256], p[512], empty[256];
	const char *rules[] = {"/kev.json=404", NULL};
	cs_vdb_feed small[3];
	cs_vdb_update_opts o;
	cs_vdb_update_result res;
	server s;
	cs_arena a;
	cs_err err;

	tmp_make();
	cs_arena_init(&a);
	mirror_make(mirror, sizeof(mirror), "mirror");
	db_from_mirror(db, sizeof(db), "db.sqlite", mirror);

	remove(tpath(p, sizeof(p), "mirror/osv/crates.io/all.zip"));
	opts_init(&o, mirror);
	o.force = true;
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(state_of(&res, "osv-crates.io"), CS_FEED_MISSING);
	CHECK_STR(result_of(&res, "osv-crates.io")->why, "not in the mirror");
	CHECK_INT(source_advisories(db, "osv-crates.io"), 1206);
	CHECK_INT(res.count[CS_FEED_UPDATED], CS_ARRAY_LEN(present) - 1);

	o.select = (const char *const[]){"osv-go", "osv-crates.io"};
	o.nselect = 2;
	must_fail(db, &o, CS_ENOTFOUND, "osv-crates.io", CS_FEED_MISSING, "source 'osv-crates.io' not found");
	db_intact(db);

	/* a family needs one of its feeds, not all */
	o.select = (const char *const[]){"osv"};
	o.nselect = 1;
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(state_of(&res, "osv-go"), CS_FEED_UPDATED);
	CHECK_INT(state_of(&res, "osv-crates.io"), CS_FEED_MISSING);
	CHECK(!result_of(&res, "osv-go")->required);
	remove(tpath(p, sizeof(p), "mirror/nvd/nvdcve-2.0-2023.json.zip"));
	o.select = (const char *const[]){"kev", "nvd"};
	o.nselect = 2;
	must_fail(db, &o, CS_ENOTFOUND, "nvd-2023", CS_FEED_MISSING, "no source of 'nvd' was found (23 tried)");

	/* a mirror with nothing in it: no database is made from it */
	mkdirs(tpath(empty, sizeof(empty), "empty"));
	o.select = NULL;
	o.nselect = 0;
	o.mirror = empty;
	must_fail(db, &o, CS_ENOTFOUND, NULL, 0, "none of the");
	must_fail(tpath(p, sizeof(p), "new.sqlite"), &o, CS_ENOTFOUND, NULL, 0, "none of the");
	CHECK(access(p, F_OK) != 0);

	if (have_server()) {
		CHECK(server_start(&s, mirror, rules));
		opts_init(&o, s.url);
		/* a table of its own, so that nothing is selected by name */
		small[0] = *feed_named("debian-list-dla");
		small[1] = *feed_named("kev");
		small[2] = *feed_named("epss");
		o.feeds = small;
		o.nfeeds = 3;
		CHECK_INT(update(&res, db, &o, &a, &err), 0);
		CHECK_INT(res.count[CS_FEED_UPDATED], 2);
		CHECK_INT(state_of(&res, "kev"), CS_FEED_MISSING);
		CHECK_STR(result_of(&res, "kev")->why, "HTTP 404");
		CHECK_INT(count_rows(db, "SELECT count(*) FROM kev"), 3);
		o.select = (const char *const[]){"kev"};
		o.nselect = 1;
		must_fail(db, &o, CS_ENOTFOUND, "kev", CS_FEED_MISSING, "HTTP 404");
		db_intact(db);
		server_stop(&s);
	}
	cs_arena_release(&a);
	tmp_done();
}

/*
 * A file that arrived whole but gives nothing (a damaged zip, noise, a
 * document that does not parse) keeps its source's previous records and
 * validators; the update goes on and the rest is replaced.
 */
TEST(unusable)
{
	char mirror[256], db[256], p[512], etag[256];
	const char *rules[] = {"/debian/DSA/list=garbage", NULL};
	const cs_vdb_source_info *si;
	cs_vdb_update_opts o;
	cs_vdb_update_result res;
	size_t n = 0;
	char *zip;
	server s;
	cs_arena a;
	cs_err err;

	tmp_make();
	cs_arena_init(&a);
	mirror_make(mirror, sizeof(mirror), "mirror");
	db_from_mirror(db, sizeof(db), "db.sqlite", mirror);
	si = source_info(db, "osv-go", &a);
	snprintf(etag, sizeof(etag), "%s", si && si->etag ? si->etag : "?");

	/* half the zip: the central directory is gone */
	zip = test_read_file(tpath(p, sizeof(p), "mirror/osv/Go/all.zip"), &n);
	CHECK(zip != NULL);
	if (zip)
		write_file(p, zip, n / 2);
	free(zip);
	write_text(tpath(p, sizeof(p), "mirror/debian/json"), "{\"openssl\": {\"CVE-2024-0001\": {\"releases\": [");
	write_text(tpath(p, sizeof(p), "mirror/debian/DLA/list"), "<html>Service Unavailable</html>\n");
	opts_init(&o, mirror);
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK(res.replaced);
	db_intact(db);
	CHECK_INT(state_of(&res, "osv-go"), CS_FEED_UNUSABLE);
	CHECK_INT(state_of(&res, "debian-tracker"), CS_FEED_UNUSABLE);
	CHECK_INT(state_of(&res, "debian-list-dla"), CS_FEED_UNUSABLE);
	CHECK_INT(res.count[CS_FEED_UNUSABLE], 3);
	CHECK_INT(res.count[CS_FEED_UNCHANGED], CS_ARRAY_LEN(present) - 3);
	CHECK_STR(result_of(&res, "debian-list-dla")->why, "no importer recognises it");
	CHECK(strstr(result_of(&res, "osv-go")->why, "osv-go/all.zip") != NULL);
	CHECK(strstr(result_of(&res, "debian-tracker")->why, "debian-tracker/json") != NULL);
	CHECK_INT(source_advisories(db, "osv-go"), GO_FILES);
	CHECK_INT(source_advisories(db, "debian-tracker"), 7);
	CHECK_INT(source_advisories(db, "debian-list-dla"), 3534);
	si = source_info(db, "osv-go", &a);
	CHECK(si && si->etag && strcmp(si->etag, etag) == 0); /* so the next run tries again */
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(state_of(&res, "osv-go"), CS_FEED_UNUSABLE);

	/* the same over HTTP: noise with status 200 */
	if (have_server()) {
		CHECK(server_start(&s, mirror, rules));
		opts_init(&o, s.url);
		o.select = (const char *const[]){"debian-list-dsa", "kev"};
		o.nselect = 2;
		CHECK_INT(update(&res, db, &o, &a, &err), 0);
		CHECK_INT(state_of(&res, "debian-list-dsa"), CS_FEED_UNUSABLE);
		CHECK_INT(state_of(&res, "kev"), CS_FEED_UPDATED);
		CHECK_INT(source_advisories(db, "debian-list-dsa"), 5406);
		server_stop(&s);
	}
	cs_arena_release(&a);
	tmp_done();
}

/* ---- interruption ------------------------------------------------------------------------------ */

typedef struct hook {
	int event;          /* kill or cancel at this event ... */
	int nth;            /* ... the nth time it happens */
	int seen;
	bool kill;          /* SIGKILL the process (else set *flag) */
	volatile sig_atomic_t *flag;
} hook;

static void hook_progress(void *payload, int event, const cs_vdb_feed_result *r)
{
	hook *h = payload;

	CS_UNUSED(r);
	if (event != h->event || ++h->seen != h->nth)
		return;
	if (h->kill)
		kill(getpid(), SIGKILL);
	*h->flag = 1;
}

/*
 * Killed halfway through the import (a feed already written into the new
 * file), the process leaves the old database byte for byte; interrupted
 * through the cancel flag, it also removes its temporary files.
 */
TEST(interrupted)
{
	char mirror[256], db[256], before[CS_DIGEST_MAX], after[CS_DIGEST_MAX];
	static volatile sig_atomic_t flag;
	cs_vdb_update_opts o;
	cs_vdb_update_result res;
	hook h;
	cs_arena a;
	cs_err err;
	pid_t pid;
	int status = 0;

	tmp_make();
	cs_arena_init(&a);
	mirror_make(mirror, sizeof(mirror), "mirror");
	db_from_mirror(db, sizeof(db), "db.sqlite", mirror);
	file_digest(db, before);
	opts_init(&o, mirror);
	o.force = true;
	o.progress = hook_progress;
	o.payload = &h;

	memset(&h, 0, sizeof(h));
	h.event = CS_UPD_IMPORTED;
	h.nth = 2;
	h.kill = true;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		update(&res, db, &o, &a, &err);
		_exit(0); /* not reached */
	}
	CHECK(pid > 0);
	CHECK_INT(waitpid(pid, &status, 0), pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	file_digest(db, after);
	CHECK_STR(after, before);
	db_intact(db);
	CHECK_INT(leftovers(tmp), 1); /* a kill leaves its directory: documented */

	memset(&h, 0, sizeof(h));
	h.flag = &flag;
	o.cancel = &flag;
	for (h.event = CS_UPD_DOWNLOADED; h.event <= CS_UPD_IMPORTED; h.event += 2) {
		flag = 0;
		h.seen = 0;
		h.nth = 3;
		CHECK_INT(update(&res, db, &o, &a, &err), CS_ERR);
		CHECK(strstr(err.msg, "interrupted") != NULL);
		CHECK(!res.replaced);
		file_digest(db, after);
		CHECK_STR(after, before);
		CHECK_INT(leftovers(tmp), 1);
	}
	cs_arena_release(&a);
	tmp_done();
}

/* ---- the database file -------------------------------------------------------------------------- */

/*
 * What path holds: something that is not a database is never replaced; a
 * database of another schema version is rebuilt; a symbolic link is
 * followed; the file's mode is kept. Bad selectors and mirrors are usage
 * errors.
 */
TEST(database_file)
{
	char mirror[256], db[256], p[512], link[256];
	cs_vdb_update_opts o;
	cs_vdb_update_result res;
	struct stat sb;
	sqlite3 *h = NULL;
	cs_arena a;
	cs_err err;

	tmp_make();
	cs_arena_init(&a);
	mirror_make(mirror, sizeof(mirror), "mirror");
	opts_init(&o, mirror);
	o.select = (const char *const[]){"kev"};
	o.nselect = 1;

	write_text(tpath(db, sizeof(db), "notes.txt"), "my notes\n");
	must_fail(db, &o, CS_EFORMAT, NULL, 0, "not replacing it");

	tpath(db, sizeof(db), "old.sqlite");
	CHECK_INT(sqlite3_open(db, &h), SQLITE_OK);
	CHECK_INT(sqlite3_exec(h, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
				  "INSERT INTO meta VALUES ('schema_version', '0')",
			       NULL, NULL, NULL),
		  SQLITE_OK);
	sqlite3_close(h);
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK(res.rebuilt && strstr(res.rebuilt, "schema version 0"));
	CHECK(res.replaced);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM kev"), 3);

	/* a link to the database: the file behind it is replaced, the link stays */
	chmod(db, 0640);
	CHECK_INT(symlink(db, tpath(link, sizeof(link), "link.sqlite")), 0);
	o.select = (const char *const[]){"epss"};
	CHECK_INT(update(&res, link, &o, &a, &err), 0);
	CHECK(lstat(link, &sb) == 0 && S_ISLNK(sb.st_mode));
	CHECK(stat(db, &sb) == 0 && (sb.st_mode & 0777) == 0640);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM epss"), 4);
	CHECK_INT(count_rows(db, "SELECT count(*) FROM kev"), 3);

	/* an empty file is a new database */
	write_text(tpath(p, sizeof(p), "empty.sqlite"), "");
	CHECK_INT(update(&res, p, &o, &a, &err), 0);
	CHECK_INT(count_rows(p, "SELECT count(*) FROM epss"), 4);

	o.select = (const char *const[]){"osv-gopher"};
	CHECK_INT(update(&res, db, &o, &a, &err), CS_EUSAGE);
	CHECK(strstr(err.msg, "unknown source 'osv-gopher'") != NULL);
	o.select = (const char *const[]){"kev"};
	o.mirror = tpath(p, sizeof(p), "no-such-dir");
	CHECK_INT(update(&res, db, &o, &a, &err), CS_ENOTFOUND);
	o.mirror = tpath(p, sizeof(p), "notes.txt");
	CHECK_INT(update(&res, db, &o, &a, &err), CS_EUSAGE);
	snprintf(p, sizeof(p), "file://%s", mirror);
	o.mirror = p;
	CHECK_INT(update(&res, db, &o, &a, &err), 0);
	CHECK_INT(leftovers(tmp), 0);
	cs_arena_release(&a);
	tmp_done();
}

static void cleanup(void)
{
	if (master[0])
		rm_tree(master);
	master[0] = '\0';
	if (feeds)
		cs_arena_release(&feeds_arena);
	feeds = NULL;
}

static void setup(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	/* loopback only: no proxy in the way */
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	setenv("no_proxy", "*", 1);
	signal(SIGPIPE, SIG_IGN);
	atexit(cleanup);
}

TEST_MAIN(TEST_ENTRY(feed_table), TEST_ENTRY(dir_mirror), TEST_ENTRY(dir_mirror_again), TEST_ENTRY(url_mirror),
	  TEST_ENTRY(retries), TEST_ENTRY(transport_failures), TEST_ENTRY(missing), TEST_ENTRY(unusable),
	  TEST_ENTRY(interrupted), TEST_ENTRY(database_file))
