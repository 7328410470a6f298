/*
 * test_rpm.c - the rpm cataloger against go-rpmdb, syft, osv-scalibr and
 * rpm itself.
 *
 * Oracles first:
 *
 *  - rpm_qa: the fixtures' *.rpm-qa.tsv, the output of Debian's own rpm
 *    4.18 (`rpm -qa --qf`) on the very files: CBL-Mariner's rpmdb.sqlite
 *    (129 packages), and the BerkeleyDB Packages of libuuid (UBI 8), of
 *    syft's dive and of osv-scalibr's hand-built hello (epoch 1): every
 *    row, in database order, field for field (name, epoch, version,
 *    release, arch, source rpm, size, license, vendor, SIGMD5).
 *  - go_rpmdb: go-rpmdb's expectations for SLE 15 BCI's ndb Packages.db
 *    (35 packages in rpmdb order), and its curl (Mariner) and libuuid file
 *    lists; syft and osv-scalibr's expectations of their files; scalibr's
 *    empty and invalid files must be refused.
 *  - rpmbuild: when Debian's rpm, rpmbuild and db5.3_load are installed,
 *    packages built here from tiny spec files (an epoch, a vendor, a
 *    subpackage, directories) are installed with `rpm -i --justdb` into a
 *    SQLite database; its packages and files must be what `rpm -qa` says.
 *    The same header blobs are then loaded into BerkeleyDB hash files by
 *    BerkeleyDB's own db_load, in both byte orders, several page sizes,
 *    with and without page checksums, and must read as `rpm -qa` with
 *    rpm's bdb_ro backend reads them.
 *
 * Then hostile input (crafted headers, truncation at every byte, damage,
 * overflow loops, shared blobs, hostile SQLite schemas), purls, vendors,
 * source rpm names, the layer rule, whole scans of root filesystems and
 * docker archives, and a replay of the fuzz corpus.
 */
#include "core/compat.h"
#include "catalog/rpm.h"

#include <sqlite3.h>

#include "unit/catfix.h"

#define RPM_DATA "test-data/pkgdb/rpm"
#define OSREL_DATA "test-data/os-release/syft"

/* --- helpers ---------------------------------------------------------------- */

/* Parses a fixture into db; false (and a failed check) unless it parses with rc want. */
static bool parse_fixture(cs_rpm_db *db, cs_arena *a, const char *rel, int want)
{
	size_t len;
	char *data = cf_read_shared(rel, &len);
	cs_err err;
	int rc;

	if (!data)
		return false;
	cs_err_clear(&err);
	rc = cs_rpm_parse_db(db, a, data, len, &err);
	free(data);
	if (rc != want) {
		fprintf(stderr, "  '%s': rc %d (%s), expected %d\n", rel, rc, err.msg, want);
		test_failures++;
		return false;
	}
	return true;
}

static const cs_rpm_record *db_find(const cs_rpm_db *db, const char *name)
{
	size_t i;

	for (i = 0; i < db->nrecords; i++)
		if (strcmp(db->records[i].h.name, name) == 0)
			return &db->records[i];
	return NULL;
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Normalises rows of tab-separated text: '#' lines dropped, each row cut
 * to its first ncols columns (0: all), sorted when asked. Returns a
 * malloc'd string.
 */
static char *rows_norm(const char *text, int ncols, bool sort)
{
	char **lines = NULL, *copy = strdup(text), *p, *nl, *out;
	size_t n = 0, cap = 0, i;
	cs_buf b;

	for (p = copy; p && *p; p = nl) {
		char *tab;
		int col = 0;

		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		if (*p == '#' || *p == '\0')
			continue;
		for (tab = p; ncols && (tab = strchr(tab, '\t')) != NULL; tab++)
			if (++col == ncols) {
				*tab = '\0';
				break;
			}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			lines = realloc(lines, cap * sizeof(*lines));
		}
		lines[n++] = p;
	}
	if (sort && n)
		qsort(lines, n, sizeof(*lines), line_cmp);
	cs_buf_init(&b, 0);
	for (i = 0; i < n; i++)
		cs_buf_printf(&b, "%s\n", lines[i]);
	out = cs_buf_detach(&b, NULL);
	cs_buf_release(&b);
	free(lines);
	free(copy);
	return out ? out : strdup("");
}

/* db as rpm -qa --qf '%{NAME}\t%{EPOCHNUM}\t...\t%{SIGMD5}\n' prints it (the fixtures' columns). */
static char *qa_rows(const cs_rpm_db *db)
{
	cs_buf b;
	size_t i, j;
	char *out;

	cs_buf_init(&b, 0);
	for (i = 0; i < db->nrecords; i++) {
		const cs_rpm_header *h = &db->records[i].h;

		cs_buf_printf(&b, "%s\t%u\t%s\t%s\t%s\t%s\t%llu\t%s\t%s\t", h->name, h->has_epoch ? h->epoch : 0,
			      h->version, h->release, h->arch ? h->arch : "(none)",
			      h->sourcerpm ? h->sourcerpm : "(none)", (unsigned long long)h->size,
			      h->license ? h->license : "(none)", h->vendor ? h->vendor : "(none)");
		if (h->has_sigmd5)
			for (j = 0; j < sizeof(h->sigmd5); j++)
				cs_buf_printf(&b, "%02x", h->sigmd5[j]);
		else
			cs_buf_puts(&b, "(none)");
		cs_buf_putc(&b, '\n');
	}
	out = cs_buf_detach(&b, NULL);
	cs_buf_release(&b);
	return out ? out : strdup("");
}

/* db's files as rpm -qa --qf '[%{=NAME}\t%{FILENAMES}\n]' prints them. */
static char *file_rows(const cs_rpm_db *db)
{
	cs_buf b;
	size_t i, j;
	char *out;

	cs_buf_init(&b, 0);
	for (i = 0; i < db->nrecords; i++)
		for (j = 0; j < db->records[i].h.nfiles; j++)
			cs_buf_printf(&b, "%s\t/%s\n", db->records[i].h.name, db->records[i].h.files[j]);
	out = cs_buf_detach(&b, NULL);
	cs_buf_release(&b);
	return out ? out : strdup("");
}

/* Compares two row texts line by line; reports the first difference. */
static void check_rows(const char *label, const char *got, const char *want)
{
	size_t line = 1;
	const char *g = got, *w = want;

	if (strcmp(got, want) == 0)
		return;
	while (*g && *w) {
		size_t gl = strcspn(g, "\n"), wl = strcspn(w, "\n");

		if (gl != wl || memcmp(g, w, gl) != 0) {
			fprintf(stderr, "  %s: row %zu is\n    '%.*s'\n  expected\n    '%.*s'\n", label, line, (int)gl, g,
				(int)wl, w);
			break;
		}
		g += gl + (g[gl] != '\0');
		w += wl + (w[wl] != '\0');
		line++;
	}
	if (!*g || !*w)
		fprintf(stderr, "  %s: %s rows than expected from row %zu\n", label, *g ? "more" : "fewer", line);
	test_failures++;
}

/* Copies out the first header blob a reader yields. */
typedef struct first_blob {
	uint8_t *p;
	size_t len;
	size_t n; /* records seen */
	size_t nbad;
	char bad[128];
} first_blob;

static int take_first(uint32_t hnum, const uint8_t *blob, size_t len, const char *bad, void *payload)
{
	first_blob *fb = payload;

	CS_UNUSED(hnum);
	if (!blob) {
		if (fb->nbad++ == 0)
			snprintf(fb->bad, sizeof(fb->bad), "%s", bad ? bad : "");
		return 0;
	}
	if (fb->n++ == 0 && (fb->p = malloc(len ? len : 1)) != NULL) {
		memcpy(fb->p, blob, len);
		fb->len = len;
	}
	return 0;
}

/* The header blob of osv-scalibr's hello package (epoch 1): a small real header. */
static uint8_t *hello_blob(size_t *len)
{
	size_t n;
	char *data = cf_read_shared(RPM_DATA "/osv-scalibr/Packages_epoch", &n);
	first_blob fb;
	cs_err err;

	memset(&fb, 0, sizeof(fb));
	cs_err_clear(&err);
	if (data)
		CHECK_INT(cs_rpm_each_bdb(data, n, take_first, &fb, &err), 0);
	free(data);
	CHECK(fb.p != NULL);
	*len = fb.len;
	return fb.p;
}

/* --- rpm -qa on the fixtures ---------------------------------------------------- */

static void check_qa(const char *db_rel, const char *tsv_rel, size_t want_n)
{
	cs_arena a;
	cs_rpm_db db;
	size_t n;
	char *tsv = cf_read_shared(tsv_rel, &n);

	cs_arena_init(&a);
	if (tsv && parse_fixture(&db, &a, db_rel, 0)) {
		char *got = qa_rows(&db), *want = rows_norm(tsv, 10, false);

		CHECK_INT(db.nrecords, want_n);
		CHECK_INT(db.nskipped, 0);
		CHECK_INT(db.nfiles_dropped, 0);
		check_rows(db_rel, got, want);
		free(got);
		free(want);
	}
	free(tsv);
	cs_arena_release(&a);
}

TEST(rpm_qa)
{
	check_qa(RPM_DATA "/go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite", RPM_DATA "/go-rpmdb/cbl-mariner-2.0/expected.rpm-qa.tsv",
		 129);
	check_qa(RPM_DATA "/go-rpmdb/libuuid/Packages", RPM_DATA "/go-rpmdb/libuuid/expected.rpm-qa.tsv", 1);
	check_qa(RPM_DATA "/syft/Packages", RPM_DATA "/syft/Packages.expected.rpm-qa.tsv", 1);
	check_qa(RPM_DATA "/osv-scalibr/Packages_epoch", RPM_DATA "/osv-scalibr/Packages_epoch.expected.rpm-qa.tsv", 1);
}

/* --- go-rpmdb, syft and osv-scalibr expectations ------------------------------------ */

/* files must be the JSON array of absolute paths want, in order. */
static void check_files(const char *label, const cs_rpm_header *h, const cJSON *want)
{
	size_t i = 0;
	const cJSON *w;

	cJSON_ArrayForEach(w, want) {
		const char *path = cJSON_IsString(w) ? w->valuestring : cs_json_str(w, "path");

		if (!path || i >= h->nfiles || path[0] != '/' || strcmp(h->files[i], path + 1) != 0) {
			fprintf(stderr, "  %s: '%s' file %zu is '%s', expected '%s'\n", label, h->name, i,
				i < h->nfiles ? h->files[i] : "(none)", path ? path : "?");
			test_failures++;
			return;
		}
		i++;
	}
	if (i != h->nfiles) {
		fprintf(stderr, "  %s: '%s' has %zu files, expected %zu\n", label, h->name, h->nfiles, i);
		test_failures++;
	}
}

/* One package against a go-rpmdb/syft/scalibr JSON object (fields it names). */
static void check_pkg(const char *label, const cs_rpm_header *h, const cJSON *w)
{
	const cJSON *epoch = cJSON_GetObjectItemCaseSensitive(w, "epoch");
	uint64_t size;

	CHECK_STR(h->name, cs_json_str(w, "name"));
	CHECK_STR(h->version, cs_json_str(w, "version"));
	CHECK_STR(h->release, cs_json_str(w, "release"));
	CHECK_STR(h->arch, cs_json_str(w, "arch"));
	CHECK_STR(h->sourcerpm, cs_json_str(w, "sourcerpm"));
	CHECK_STR(h->license, cs_json_str(w, "license"));
	if (cs_json_str(w, "vendor"))
		CHECK_STR(h->vendor, cs_json_str(w, "vendor"));
	if (cs_json_u64(w, "size", &size))
		CHECK_INT(h->size, size);
	if (cJSON_IsNumber(epoch))
		CHECK(h->has_epoch && h->epoch == (uint32_t)epoch->valueint);
	else if (epoch)
		CHECK(!h->has_epoch);
	if (cs_json_str(w, "sigmd5")) {
		char hex[33];
		size_t j;

		for (j = 0; j < 16; j++)
			snprintf(hex + 2 * j, 3, "%02x", h->sigmd5[j]);
		CHECK(h->has_sigmd5);
		CHECK_STR(hex, cs_json_str(w, "sigmd5"));
	}
	if (cJSON_GetObjectItemCaseSensitive(w, "installed_file_names"))
		check_files(label, h, cs_json_arr(w, "installed_file_names"));
	if (cJSON_GetObjectItemCaseSensitive(w, "files"))
		check_files(label, h, cs_json_arr(w, "files"));
}

TEST(go_rpmdb)
{
	cJSON *sle = cf_read_json(RPM_DATA "/go-rpmdb/sle15-bci/expected-packages.json");
	cJSON *curl = cf_read_json(RPM_DATA "/go-rpmdb/cbl-mariner-2.0/expected-curl.json");
	cJSON *uuid = cf_read_json(RPM_DATA "/go-rpmdb/libuuid/expected-libuuid.json");
	cs_arena a;
	cs_rpm_db db;
	const cJSON *w;
	size_t i = 0;

	cs_arena_init(&a);
	if (sle && parse_fixture(&db, &a, RPM_DATA "/go-rpmdb/sle15-bci/Packages.db", 0)) {
		CHECK_INT(db.format, CS_RPM_NDB);
		CHECK_INT(db.nrecords, (size_t)cJSON_GetArraySize(sle));
		CHECK_INT(db.nskipped, 0);
		cJSON_ArrayForEach(w, sle) {
			if (i < db.nrecords)
				check_pkg("sle15-bci", &db.records[i].h, w);
			i++;
		}
	}
	if (curl && parse_fixture(&db, &a, RPM_DATA "/go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite", 0)) {
		const cs_rpm_record *r = db_find(&db, "curl");

		CHECK_INT(db.format, CS_RPM_SQLITE);
		CHECK(r != NULL);
		if (r)
			check_pkg("mariner", &r->h, curl);
	}
	if (uuid && parse_fixture(&db, &a, RPM_DATA "/go-rpmdb/libuuid/Packages", 0)) {
		CHECK_INT(db.format, CS_RPM_BDB);
		CHECK_INT(db.nrecords, 1);
		if (db.nrecords == 1) {
			check_pkg("libuuid", &db.records[0].h, uuid);
			CHECK_STR(db.records[0].source_name, "util-linux");
			CHECK_STR(db.records[0].source_version, "2.32.1-42.el8_8");
			CHECK_STR(db.records[0].evr, "2.32.1-42.el8_8");
		}
	}
	cJSON_Delete(sle);
	cJSON_Delete(curl);
	cJSON_Delete(uuid);
	cs_arena_release(&a);
}

TEST(syft_scalibr)
{
	cJSON *dive = cf_read_json(RPM_DATA "/syft/Packages.expected.json");
	cJSON *hello = cf_read_json(RPM_DATA "/osv-scalibr/Packages_epoch.expected.json");
	cs_arena a;
	cs_rpm_db db;

	cs_arena_init(&a);
	if (dive && parse_fixture(&db, &a, RPM_DATA "/syft/Packages", 0) && db.nrecords == 1) {
		check_pkg("syft", &db.records[0].h, cJSON_GetArrayItem(cs_json_arr(dive, "packages"), 0));
		/* rpm's Vendor is there and empty: kept as "", not taken for missing. */
		CHECK_STR(db.records[0].h.vendor, "");
	}
	if (hello && parse_fixture(&db, &a, RPM_DATA "/osv-scalibr/Packages_epoch", 0) && db.nrecords == 1) {
		const cs_rpm_record *r = &db.records[0];

		check_pkg("scalibr", &r->h, cJSON_GetArrayItem(cs_json_arr(hello, "packages"), 0));
		CHECK_STR(r->evr, "1:0.0.1-rls");
		CHECK_STR(r->source_version, "1:0.0.1-rls");
		CHECK(r->h.vendor == NULL);
		CHECK_INT(r->hnum, 4);
	}
	/* scalibr expects both to fail; so do we, with a reason. */
	parse_fixture(&db, &a, RPM_DATA "/osv-scalibr/empty.sqlite", CS_EFORMAT);
	parse_fixture(&db, &a, RPM_DATA "/osv-scalibr/invalid", CS_EFORMAT);
	cJSON_Delete(dive);
	cJSON_Delete(hello);
	cs_arena_release(&a);
}

/* --- our own rpmdb, built by rpm ------------------------------------------------------ */

static bool have_tools(void)
{
	return cf_sh("command -v rpm >/dev/null && command -v rpmbuild >/dev/null && command -v db5.3_load >/dev/null");
}

#define SPEC_TAIL "Summary: customs test\nBuildArch: noarch\n%%description\ncustoms test\n"

static const struct spec {
	const char *name;
	const char *text;
} specs[] = {
	{"hello3", "Name: hello\nEpoch: 2\nVersion: 1.0\nRelease: 3.el8\nLicense: MIT\n"
		   "Vendor: Rocky Enterprise Software Foundation\n" SPEC_TAIL
		   "%install\nmkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/doc/hello\n"
		   "echo hi > %{buildroot}/usr/bin/hello\necho readme > %{buildroot}/usr/share/doc/hello/README\n"
		   "%files\n/usr/bin/hello\n/usr/share/doc/hello\n"},
	{"hello4", "Name: hello\nEpoch: 2\nVersion: 1.0\nRelease: 4.el8\nLicense: MIT\n"
		   "Vendor: Rocky Enterprise Software Foundation\n" SPEC_TAIL
		   "%install\nmkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/doc/hello\n"
		   "echo hi > %{buildroot}/usr/bin/hello\necho readme > %{buildroot}/usr/share/doc/hello/README\n"
		   "%files\n/usr/bin/hello\n/usr/share/doc/hello\n"},
	{"foo", "Name: foo\nVersion: 2.1.0\nRelease: 7.el8\nLicense: ASL 2.0 and MIT\n" SPEC_TAIL
		"%package -n libfoo\nSummary: customs test library\n%description -n libfoo\nlibrary\n"
		"%install\nmkdir -p %{buildroot}/usr/lib64 %{buildroot}/usr/bin\n"
		"echo x > %{buildroot}/usr/lib64/libfoo.so.2\necho y > %{buildroot}/usr/bin/foo\n"
		"%files\n/usr/bin/foo\n%files -n libfoo\n/usr/lib64/libfoo.so.2\n"},
	{"acme", "Name: acme-tool\nVersion: 0.9\nRelease: 1\nLicense: Proprietary\nVendor: Acme Corp\n" SPEC_TAIL
		 "%install\nmkdir -p %{buildroot}/opt/acme/bin\necho t > %{buildroot}/opt/acme/bin/tool\n"
		 "%files\n%dir /opt/acme\n/opt/acme/bin/tool\n"},
};

#define QA_FMT "%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{SIZE}\\t%{LICENSE}\\t%{VENDOR}\\t%{SIGMD5}\\n"
#define FILES_FMT "[%{=NAME}\\t%{FILENAMES}\\n]"

/*
 * Builds the packages in dir/top and two SQLite databases: dir/db1 (hello
 * 2:1.0-3, foo, libfoo) and dir/db2 (db1, then hello upgraded to 2:1.0-4
 * and acme-tool). false when a step failed.
 */
static bool build_rpmdbs(const char *dir)
{
	char path[4096];
	size_t i;

	if (!cf_sh("mkdir -p %s/top/SPECS %s/db1", dir, dir))
		return false;
	for (i = 0; i < CS_ARRAY_LEN(specs); i++) {
		snprintf(path, sizeof(path), "%s/top/SPECS/%s.spec", dir, specs[i].name);
		CHECK(cf_write(path, specs[i].text, strlen(specs[i].text)));
		if (!cf_sh("rpmbuild -bb --quiet --define '_topdir %s/top' %s >%s/build.log 2>&1", dir, path, dir)) {
			cf_sh("cat %s/build.log >&2", dir);
			return false;
		}
	}
#define RPM_I "rpm --dbpath %s/%s --define '_db_backend sqlite' --justdb --nodeps --noscripts --nosignature --ignoreos"
	/* Debian's rpm says on stderr that Debian packages should be installed with alien: to the log. */
	return cf_sh(RPM_I " -i %s/top/RPMS/noarch/hello-1.0-3.el8.noarch.rpm %s/top/RPMS/noarch/foo-2.1.0-7.el8.noarch.rpm "
			 "%s/top/RPMS/noarch/libfoo-2.1.0-7.el8.noarch.rpm >>%s/build.log 2>&1",
		   dir, "db1", dir, dir, dir, dir) &&
	       cf_sh("cp -a %s/db1 %s/db2", dir, dir) &&
	       cf_sh(RPM_I " -U %s/top/RPMS/noarch/hello-1.0-4.el8.noarch.rpm %s/top/RPMS/noarch/acme-tool-0.9-1.noarch.rpm "
			 ">>%s/build.log 2>&1",
		   dir, "db2", dir, dir, dir);
}

/* rpm -qa on dir/sub with backend into *qa and *files (malloc'd). */
static bool rpm_qa(const char *dir, const char *sub, const char *backend, char **qa, char **files)
{
	char path[4096];
	size_t n;

	*qa = *files = NULL;
	if (!cf_sh("rpm -qa --dbpath %s/%s --define '_db_backend %s' --qf '%s' >%s/qa.tsv 2>%s/qa.err", dir, sub,
		 backend, QA_FMT, dir, dir) ||
	    !cf_sh("rpm -qa --dbpath %s/%s --define '_db_backend %s' --qf '%s' >%s/files.tsv 2>>%s/qa.err", dir,
		 sub, backend, FILES_FMT, dir, dir)) {
		cf_sh("cat %s/qa.err >&2", dir);
		return false;
	}
	snprintf(path, sizeof(path), "%s/qa.tsv", dir);
	*qa = test_read_file(path, &n);
	snprintf(path, sizeof(path), "%s/files.tsv", dir);
	*files = test_read_file(path, &n);
	return *qa && *files;
}

/*
 * Parses dir/sub/name and compares it with rpm -qa on dir/qa_sub with
 * backend (sorted when the order may differ by design).
 */
static void compare_with_rpm(const char *dir, const char *sub, const char *name, const char *qa_sub,
			     const char *backend, size_t want_n, bool sort)
{
	char path[4096], *data, *qa, *files;
	size_t len;
	cs_arena a;
	cs_rpm_db db;
	cs_err err;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, name);
	data = test_read_file(path, &len);
	CHECK(data != NULL);
	if (!data || !rpm_qa(dir, qa_sub, backend, &qa, &files)) {
		test_failures++;
		free(data);
		return;
	}
	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_rpm_parse_db(&db, &a, data, len, &err), 0);
	CHECK_INT(db.nrecords, want_n);
	CHECK_INT(db.nskipped, 0);
	{
		char *got = qa_rows(&db), *g = rows_norm(got, 0, sort), *w = rows_norm(qa, 0, sort);
		char *gotf = file_rows(&db), *gf = rows_norm(gotf, 0, sort), *wf = rows_norm(files, 0, sort);

		check_rows(path, g, w);
		check_rows(path, gf, wf);
		free(got), free(g), free(w), free(gotf), free(gf), free(wf);
	}
	cs_arena_release(&a);
	free(data), free(qa), free(files);
}

/*
 * Writes the header blobs of a SQLite rpmdb as db_load's "bytevalue"
 * input, keys in the byte order asked (rpm writes the header number in
 * the machine's order), with rpm's key 0 record of the next number.
 */
static bool dump_for_db_load(const char *sqlite_path, const char *out_path, unsigned pagesize, bool big)
{
	char uri[4300];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	FILE *f = fopen(out_path, "w");
	bool ok = f != NULL;
	int i;

	snprintf(uri, sizeof(uri), "file:%s?immutable=1", sqlite_path);
	ok = ok && sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) == SQLITE_OK &&
	     sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		fprintf(f, "VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=%u\nHEADER=END\n", pagesize);
		fprintf(f, " 00000000\n %s\n", big ? "00000100" : "00010000");
		while (sqlite3_step(st) == SQLITE_ROW) {
			uint32_t h = (uint32_t)sqlite3_column_int64(st, 0);
			const uint8_t *b = sqlite3_column_blob(st, 1);
			int n = sqlite3_column_bytes(st, 1);

			if (big)
				fprintf(f, " %02x%02x%02x%02x\n ", h >> 24, (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff);
			else
				fprintf(f, " %02x%02x%02x%02x\n ", h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, h >> 24);
			for (i = 0; i < n; i++)
				fprintf(f, "%02x", b[i]);
			fputc('\n', f);
		}
		fputs("DATA=END\n", f);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (f)
		ok = fclose(f) == 0 && ok;
	return ok;
}

TEST(rpmbuild)
{
	static const struct {
		unsigned pagesize;
		bool big, chksum;
	} bdbs[] = {{512, false, false}, {4096, true, false}, {65536, false, false}, {1024, true, false},
		    {8192, false, true},  {2048, true, true}};
	char dir[256], sub[64];
	size_t i;

	if (!have_tools()) {
		printf("  SKIP rpmbuild: needs Debian's rpm (rpm, rpmbuild) and db5.3-util (db5.3_load)\n");
		return;
	}
	if (!cf_tmpdir(dir, sizeof(dir), "rpm"))
		return;
	CHECK(build_rpmdbs(dir));
	compare_with_rpm(dir, "db1", "rpmdb.sqlite", "db1", "sqlite", 3, false);
	compare_with_rpm(dir, "db2", "rpmdb.sqlite", "db2", "sqlite", 4, false);
	for (i = 0; i < CS_ARRAY_LEN(bdbs); i++) {
		char dump[4200], src[4200];

		snprintf(sub, sizeof(sub), "bdb%zu", i);
		snprintf(src, sizeof(src), "%s/db2/rpmdb.sqlite", dir);
		snprintf(dump, sizeof(dump), "%s/%s.txt", dir, sub);
		CHECK(dump_for_db_load(src, dump, bdbs[i].pagesize, bdbs[i].big));
		CHECK(cf_sh("mkdir -p %s/%s && db5.3_load -c db_lorder=%s -c chksum=%d -f %s %s/%s/Packages", dir, sub,
			  bdbs[i].big ? "4321" : "1234", bdbs[i].chksum, dump, dir, sub));
		/*
		 * rpm's bdb_ro walks the hash in bucket order, we in page order:
		 * compare sorted. It refuses checksummed pages ("error reading
		 * Packages database"), which rpm never writes: those are compared
		 * with the SQLite database their blobs came from.
		 */
		if (bdbs[i].chksum)
			compare_with_rpm(dir, sub, "Packages", "db2", "sqlite", 4, true);
		else
			compare_with_rpm(dir, sub, "Packages", sub, "bdb_ro", 4, true);
	}
	/* The header numbers survive, in the db's byte order. */
	{
		char path[4200];
		size_t len;
		char *data;
		cs_arena a;
		cs_rpm_db db;
		cs_err err;

		snprintf(path, sizeof(path), "%s/bdb1/Packages", dir);
		data = test_read_file(path, &len);
		cs_arena_init(&a);
		cs_err_clear(&err);
		if (data && cs_rpm_parse_db(&db, &a, data, len, &err) == 0) {
			const cs_rpm_record *r = db_find(&db, "libfoo");

			CHECK(r && r->hnum == 1);
			r = db_find(&db, "hello");
			CHECK(r && r->hnum == 5 && cf_str_eq(r->evr, "2:1.0-4.el8") && cf_str_eq(r->source_name, "hello"));
			r = db_find(&db, "acme-tool");
			CHECK(r && cf_str_eq(r->h.vendor, "Acme Corp") && r->h.nfiles == 2);
		}
		cs_arena_release(&a);
		free(data);
	}
	/* CUSTOMS_TEST_KEEP=1 keeps the built packages and databases for a look. */
	if (!getenv("CUSTOMS_TEST_KEEP"))
		rm_tree(dir);
	else
		printf("  kept %s\n", dir);
}

/* --- crafted headers ---------------------------------------------------------------- */

/* A header under construction: index entries and data store. */
typedef struct hdrb {
	cs_buf idx, data;
	uint32_t n;
} hdrb;

static void hb_init(hdrb *h)
{
	cs_buf_init(&h->idx, 0);
	cs_buf_init(&h->data, 0);
	h->n = 0;
}

static void put32(cs_buf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

	cs_buf_append(b, x, 4);
}

/* One entry with its data at the end of the store, aligned to align. */
static void hb_raw(hdrb *h, uint32_t tag, uint32_t type, uint32_t count, const void *data, size_t n, size_t align)
{
	while (align > 1 && h->data.len % align)
		cs_buf_putc(&h->data, '\0');
	put32(&h->idx, tag);
	put32(&h->idx, type);
	put32(&h->idx, (uint32_t)h->data.len);
	put32(&h->idx, count);
	cs_buf_append(&h->data, data, n);
	h->n++;
}

static void hb_str(hdrb *h, uint32_t tag, const char *s)
{
	hb_raw(h, tag, 6, 1, s, strlen(s) + 1, 1);
}

/* A string array of count strings given NUL-separated in s[0..n). */
static void hb_strs(hdrb *h, uint32_t tag, uint32_t count, const char *s, size_t n)
{
	hb_raw(h, tag, 8, count, s, n, 1);
}

static void hb_int32s(hdrb *h, uint32_t tag, const uint32_t *v, uint32_t count)
{
	cs_buf b;
	uint32_t i;

	cs_buf_init(&b, 0);
	for (i = 0; i < count; i++)
		put32(&b, v[i]);
	hb_raw(h, tag, 4, count, b.data, b.len, 4);
	cs_buf_release(&b);
}

/* The blob: il, dl, index, data (malloc'd); frees the builder. */
static uint8_t *hb_done(hdrb *h, size_t *len)
{
	cs_buf out;
	uint8_t *p;

	cs_buf_init(&out, 0);
	put32(&out, h->n);
	put32(&out, (uint32_t)h->data.len);
	cs_buf_append(&out, h->idx.data, h->idx.len);
	cs_buf_append(&out, h->data.data, h->data.len);
	p = (uint8_t *)cs_buf_detach(&out, len);
	cs_buf_release(&out);
	cs_buf_release(&h->idx);
	cs_buf_release(&h->data);
	return p;
}

static void hb_nvr(hdrb *h)
{
	hb_str(h, 1000, "pkg");
	hb_str(h, 1001, "1.0");
	hb_str(h, 1002, "1");
}

/* Parses blob; checks rc, and when want_msg, that the message holds it. */
static void check_header(const char *label, uint8_t *blob, size_t len, int want, const char *want_msg,
			 cs_rpm_header *out, cs_arena *a)
{
	cs_err err;
	int rc;

	cs_err_clear(&err);
	rc = cs_rpm_parse_header(out, a, blob, len, NULL, &err);
	if (rc != want || (want_msg && !strstr(err.msg, want_msg))) {
		fprintf(stderr, "  %s: rc %d '%s', expected %d '%s'\n", label, rc, err.msg, want, want_msg ? want_msg : "");
		test_failures++;
	}
	free(blob);
}

TEST(header_bounds)
{
	cs_arena a;
	cs_rpm_header h;
	hdrb b;
	size_t len;
	uint8_t *blob;
	static const uint8_t zero4[4];
	uint32_t v[3];

	cs_arena_init(&a);
	hb_init(&b);
	hb_nvr(&b);
	blob = hb_done(&b, &len);
	check_header("minimal", blob, len, 0, NULL, &h, &a);
	CHECK(cf_str_eq(h.name, "pkg") && cf_str_eq(h.version, "1.0") && cf_str_eq(h.release, "1") && !h.arch && !h.has_epoch);

	/* Preamble limits. */
	blob = calloc(1, 64);
	check_header("short", blob, 7, CS_EFORMAT, "preamble", &h, &a);
	blob = calloc(1, 64);
	check_header("no entries", blob, 64, CS_EFORMAT, "0 index entries", &h, &a);
	blob = calloc(1, 64);
	blob[1] = 1; /* il = 0x10000 */
	check_header("too many entries", blob, 64, CS_EFORMAT, "index entries", &h, &a);
	blob = calloc(1, 64);
	blob[3] = 1;
	blob[4] = 0x10; /* dl = 0x10000000 */
	check_header("too much data", blob, 64, CS_EFORMAT, "limit", &h, &a);
	blob = calloc(1, 64);
	blob[3] = 4;
	blob[7] = 1;
	check_header("truncated", blob, 64, CS_EFORMAT, "truncated", &h, &a);

	/* Entries. */
	hb_init(&b);
	hb_nvr(&b);
	hb_raw(&b, 50, 4, 1, zero4, 4, 4);
	blob = hb_done(&b, &len);
	check_header("reserved tag", blob, len, CS_EFORMAT, "reserved tag 50", &h, &a);
	hb_init(&b);
	hb_raw(&b, 1000, 4, 1, zero4, 4, 4);
	hb_str(&b, 1001, "1.0");
	hb_str(&b, 1002, "1");
	blob = hb_done(&b, &len);
	check_header("NAME as INT32", blob, len, CS_EFORMAT, "tag NAME has type 4", &h, &a);
	hb_init(&b);
	hb_str(&b, 1000, "pkg");
	hb_str(&b, 1001, "1.0");
	blob = hb_done(&b, &len);
	check_header("no RELEASE", blob, len, CS_EFORMAT, "no RELEASE", &h, &a);
	hb_init(&b);
	hb_nvr(&b);
	hb_raw(&b, 1022, 6, 1, "x86_64", 6, 1); /* no NUL: the string runs off the end */
	blob = hb_done(&b, &len);
	check_header("unterminated", blob, len, CS_EFORMAT, "runs past", &h, &a);
	hb_init(&b);
	hb_nvr(&b);
	hb_raw(&b, 1022, 6, 2, "a\0b", 4, 1); /* STRING with count 2 */
	blob = hb_done(&b, &len);
	check_header("string count", blob, len, CS_EFORMAT, "runs past", &h, &a);
	hb_init(&b);
	hb_nvr(&b);
	hb_raw(&b, 1003, 12, 1, zero4, 4, 4);
	blob = hb_done(&b, &len);
	check_header("unknown type", blob, len, CS_EFORMAT, "unknown type 12", &h, &a);
	hb_init(&b);
	hb_nvr(&b);
	hb_raw(&b, 1003, 4, 1, "\0\0\0\0\0", 5, 1);
	hb_raw(&b, 1009, 4, 1, zero4, 4, 1); /* at offset 17: misaligned */
	blob = hb_done(&b, &len);
	check_header("misaligned", blob, len, CS_EFORMAT, "misaligned", &h, &a);
	hb_init(&b);
	hb_nvr(&b);
	hb_raw(&b, 1009, 4, 1000000, zero4, 4, 4);
	blob = hb_done(&b, &len);
	check_header("count", blob, len, CS_EFORMAT, "count 1000000", &h, &a);

	/* Overlapping entries: both point at the same string. */
	hb_init(&b);
	hb_nvr(&b);
	blob = hb_done(&b, &len);
	blob[8 + 16 + 8 + 3] = 0; /* VERSION's offset -> NAME's */
	check_header("overlap", blob, len, CS_EFORMAT, "overlaps", &h, &a);

	/* Epoch, sizes, the SIGMD5 and a later entry of a tag winning. */
	hb_init(&b);
	hb_nvr(&b);
	v[0] = 7;
	hb_int32s(&b, 1003, v, 1);
	v[0] = 1234;
	hb_int32s(&b, 1009, v, 1);
	hb_str(&b, 1022, "noarch");
	hb_str(&b, 1022, "x86_64");
	hb_raw(&b, 261, 7, 16, "0123456789abcdef", 16, 1);
	blob = hb_done(&b, &len);
	check_header("fields", blob, len, 0, NULL, &h, &a);
	CHECK(h.has_epoch && h.epoch == 7 && h.size == 1234 && cf_str_eq(h.arch, "x86_64") && h.has_sigmd5 &&
	      memcmp(h.sigmd5, "0123456789abcdef", 16) == 0);
	cs_arena_release(&a);
}

/* A region: HEADERIMMUTABLE first, its trailer in the data store. */
static uint8_t *region_header(size_t *len, int32_t trailer_tag, int32_t trailer_off)
{
	hdrb b;
	uint8_t trailer[16];

	hb_init(&b);
	hb_nvr(&b);
	/* The trailer: tag, BIN, -(entries in the region * 16), 16. */
	trailer[0] = (uint8_t)((uint32_t)trailer_tag >> 24), trailer[1] = (uint8_t)((uint32_t)trailer_tag >> 16);
	trailer[2] = (uint8_t)((uint32_t)trailer_tag >> 8), trailer[3] = (uint8_t)trailer_tag;
	trailer[4] = trailer[5] = trailer[6] = 0, trailer[7] = 7;
	trailer[8] = (uint8_t)((uint32_t)trailer_off >> 24), trailer[9] = (uint8_t)((uint32_t)trailer_off >> 16);
	trailer[10] = (uint8_t)((uint32_t)trailer_off >> 8), trailer[11] = (uint8_t)trailer_off;
	trailer[12] = trailer[13] = trailer[14] = 0, trailer[15] = 16;
	{
		/* The region entry goes first in the index, pointing at the trailer. */
		cs_buf idx;
		uint32_t off = (uint32_t)b.data.len;

		cs_buf_append(&b.data, trailer, 16);
		cs_buf_init(&idx, 0);
		put32(&idx, 63);
		put32(&idx, 7);
		put32(&idx, off);
		put32(&idx, 16);
		cs_buf_append(&idx, b.idx.data, b.idx.len);
		cs_buf_release(&b.idx);
		b.idx = idx;
		b.n++;
	}
	return hb_done(&b, len);
}

TEST(header_region)
{
	cs_arena a;
	cs_rpm_header h;
	size_t len;
	uint8_t *blob;

	cs_arena_init(&a);
	blob = region_header(&len, 63, -64);
	check_header("region", blob, len, 0, NULL, &h, &a);
	CHECK_STR(h.name, "pkg");
	blob = region_header(&len, 62, -64);
	check_header("trailer tag", blob, len, CS_EFORMAT, "region trailer", &h, &a);
	blob = region_header(&len, 63, -80);
	check_header("trailer size", blob, len, CS_EFORMAT, "region size", &h, &a);
	blob = region_header(&len, 63, -60);
	check_header("trailer odd size", blob, len, CS_EFORMAT, "region size", &h, &a);
	blob = region_header(&len, 63, 64);
	check_header("trailer positive", blob, len, CS_EFORMAT, "region size", &h, &a);
	blob = region_header(&len, 63, INT32_MIN);
	check_header("trailer min", blob, len, CS_EFORMAT, "region size", &h, &a);
	/* The region entry pointing past the data. */
	blob = region_header(&len, 63, -64);
	blob[8 + 11] = 0xf0;
	check_header("region offset", blob, len, CS_EFORMAT, "region offset", &h, &a);
	/* An entry whose data covers the trailer. */
	blob = region_header(&len, 63, -64);
	blob[8 + 16 * 3 + 11] = blob[8 + 11]; /* RELEASE's offset -> the trailer's */
	check_header("over trailer", blob, len, CS_EFORMAT, NULL, &h, &a);
	cs_arena_release(&a);
}

TEST(header_files)
{
	cs_arena a;
	cs_rpm_header h;
	hdrb b;
	size_t len, i;
	uint32_t idx[4] = {0, 1, 1, 9};
	char *many;
	uint8_t *blob;

	cs_arena_init(&a);
	/* Directories and basenames, a bad index, a path that climbs, the root itself. */
	hb_init(&b);
	hb_nvr(&b);
	hb_int32s(&b, 1116, idx, 4);
	hb_strs(&b, 1117, 4, "etc\0hosts\0..\0x\0", 16);
	hb_strs(&b, 1118, 2, "/\0/usr/lib/\0", 12);
	blob = hb_done(&b, &len);
	check_header("files", blob, len, 0, NULL, &h, &a);
	CHECK_INT(h.nfiles, 2);
	CHECK_INT(h.nfiles_dropped, 2);
	if (h.nfiles == 2) {
		CHECK_STR(h.files[0], "etc");
		CHECK_STR(h.files[1], "usr/lib/hosts");
	}
	/* Index and name counts that disagree: no file at all. */
	hb_init(&b);
	hb_nvr(&b);
	hb_int32s(&b, 1116, idx, 3);
	hb_strs(&b, 1117, 4, "a\0b\0c\0d\0", 8);
	hb_strs(&b, 1118, 2, "/\0/usr/\0", 9);
	blob = hb_done(&b, &len);
	check_header("count mismatch", blob, len, 0, NULL, &h, &a);
	CHECK(h.nfiles == 0 && h.nfiles_dropped == 4);
	/* The old form: whole paths. */
	hb_init(&b);
	hb_nvr(&b);
	hb_strs(&b, 1027, 3, "/bin/sh\0/usr//share/./x\0/\0", 27);
	blob = hb_done(&b, &len);
	check_header("old file names", blob, len, 0, NULL, &h, &a);
	CHECK(h.nfiles == 2 && h.nfiles_dropped == 1);
	if (h.nfiles == 2)
		CHECK(cf_str_eq(h.files[0], "bin/sh") && cf_str_eq(h.files[1], "usr/share/x"));
	/* One 4000-byte directory named by 20000 empty basenames: the path budget ends it. */
	many = malloc(4001 + 20000);
	memset(many, 'd', 4000);
	many[0] = '/';
	many[3999] = '/';
	many[4000] = '\0';
	memset(many + 4001, 0, 20000);
	{
		uint32_t *zero = calloc(20000, sizeof(uint32_t));

		hb_init(&b);
		hb_nvr(&b);
		hb_int32s(&b, 1116, zero, 20000);
		hb_strs(&b, 1117, 20000, many + 4001, 20000);
		hb_strs(&b, 1118, 1, many, 4001);
		free(zero);
	}
	blob = hb_done(&b, &len);
	check_header("budget", blob, len, 0, NULL, &h, &a);
	CHECK(h.nfiles > 0 && h.nfiles < 200 && h.nfiles + h.nfiles_dropped == 20000);
	for (i = 0; i < h.nfiles; i++)
		CHECK_INT(strlen(h.files[i]), 3998);
	free(many);
	cs_arena_release(&a);
}

/* Every prefix of a real header fails cleanly; every byte changed parses or fails cleanly. */
TEST(header_damage)
{
	size_t len, i, nok = 0;
	uint8_t *blob = hello_blob(&len), *copy;
	cs_arena a;
	cs_rpm_header h;
	cs_err err;

	if (!blob)
		return;
	cs_arena_init(&a);
	for (i = 0; i < len; i++) {
		copy = malloc(i ? i : 1);
		memcpy(copy, blob, i);
		cs_err_clear(&err);
		CHECK_INT(cs_rpm_parse_header(&h, &a, copy, i, NULL, &err), CS_EFORMAT);
		free(copy);
	}
	cs_err_clear(&err);
	CHECK_INT(cs_rpm_parse_header(&h, &a, blob, len, NULL, &err), 0);
	CHECK(cf_str_eq(h.name, "hello") && h.epoch == 1 && h.nfiles == 1);
	for (i = 0; i < len; i++) {
		static const uint8_t vals[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
		size_t k;

		for (k = 0; k < sizeof(vals); k++) {
			int rc;

			copy = malloc(len);
			memcpy(copy, blob, len);
			copy[i] = vals[k];
			cs_err_clear(&err);
			rc = cs_rpm_parse_header(&h, &a, copy, len, NULL, &err);
			CHECK(rc == 0 || rc == CS_EFORMAT);
			nok += rc == 0;
			if (rc == 0)
				CHECK(h.name && *h.name && h.version && *h.version && h.release && *h.release);
			free(copy);
		}
		if (i % 256 == 0)
			cs_arena_release(&a);
	}
	CHECK(nok > 0);
	free(blob);
	cs_arena_release(&a);
}

/* --- hostile databases ----------------------------------------------------------------- */

static int parse_bytes(const void *data, size_t len, cs_rpm_db *db, cs_arena *a, char *msg, size_t msgsz)
{
	cs_err err;
	int rc;

	cs_err_clear(&err);
	rc = cs_rpm_parse_db(db, a, data, len, &err);
	if (msg)
		snprintf(msg, msgsz, "%.200s", err.msg);
	return rc;
}

/* Every prefix of a fixture (stepping by step) parses or fails cleanly, never crashes. */
static void truncate_all(const char *rel, size_t step)
{
	size_t len, i;
	char *data = cf_read_shared(rel, &len);
	cs_arena a;
	cs_rpm_db db;

	if (!data)
		return;
	cs_arena_init(&a);
	for (i = 0; i < len; i += step) {
		char *copy = malloc(i ? i : 1);
		int rc;

		memcpy(copy, data, i);
		rc = parse_bytes(copy, i, &db, &a, NULL, 0);
		CHECK(rc == 0 || rc == CS_EFORMAT || rc == CS_ELIMIT);
		free(copy);
		cs_arena_release(&a);
	}
	free(data);
}

TEST(truncated_everywhere)
{
	truncate_all(RPM_DATA "/osv-scalibr/Packages_epoch", 1);
	truncate_all(RPM_DATA "/syft/Packages", 7);
	truncate_all(RPM_DATA "/go-rpmdb/libuuid/Packages", 61);
	truncate_all(RPM_DATA "/go-rpmdb/sle15-bci/Packages.db", 997);
	truncate_all(RPM_DATA "/go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite", 4096 * 7 + 13);
}

/* Random bytes changed in every fixture: parses or fails cleanly. */
TEST(random_damage)
{
	static const char *const rels[] = {RPM_DATA "/go-rpmdb/libuuid/Packages", RPM_DATA "/go-rpmdb/sle15-bci/Packages.db",
					   RPM_DATA "/go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite"};
	size_t r, round;

	for (r = 0; r < CS_ARRAY_LEN(rels); r++) {
		size_t len;
		char *data = cf_read_shared(rels[r], &len);

		if (!data)
			continue;
		for (round = 0; round < 24; round++) {
			char *copy = malloc(len);
			uint8_t rnd[64];
			cs_arena a;
			cs_rpm_db db;
			size_t k;
			int rc;

			memcpy(copy, data, len);
			fill_random(rnd, sizeof(rnd), round * 7919 + r + 1);
			for (k = 0; k + 4 <= sizeof(rnd); k += 4) {
				size_t at = ((size_t)rnd[k] << 16 | (size_t)rnd[k + 1] << 8 | rnd[k + 2]) * 131 % len;

				/* Keep the magic so the damage reaches the reader. */
				if (at >= 16)
					copy[at] = (char)rnd[k + 3];
			}
			cs_arena_init(&a);
			rc = parse_bytes(copy, len, &db, &a, NULL, 0);
			CHECK(rc == 0 || rc == CS_EFORMAT || rc == CS_ELIMIT);
			cs_arena_release(&a);
			free(copy);
		}
		free(data);
	}
}

static uint32_t get_le32(const char *p)
{
	const uint8_t *u = (const uint8_t *)p;

	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static void set_le32(char *p, uint32_t v)
{
	p[0] = (char)v, p[1] = (char)(v >> 8), p[2] = (char)(v >> 16), p[3] = (char)(v >> 24);
}

/* libuuid's BerkeleyDB (little-endian, 4 KiB pages): its off-page item and chain, made hostile. */
TEST(bdb_hostile)
{
	size_t len, pg, npages;
	char *data = cf_read_shared(RPM_DATA "/go-rpmdb/libuuid/Packages", &len), *copy, msg[256];
	char *item = NULL;
	cs_arena a;
	cs_rpm_db db;
	uint32_t first = 0, last, tlen;

	if (!data)
		return;
	npages = len / 4096;
	/* The hash page holding the package: its data item is off-page (H_OFFPAGE = 3). */
	for (pg = 1; pg < npages && !item; pg++) {
		char *p = data + pg * 4096;
		uint16_t entries = (uint16_t)((uint8_t)p[20] | (uint8_t)p[21] << 8);
		size_t i;

		if (p[25] != 13 && p[25] != 2)
			continue;
		for (i = 1; i < entries; i += 2) {
			uint16_t off = (uint16_t)((uint8_t)p[26 + i * 2] | (uint8_t)p[27 + i * 2] << 8);

			if (p[off] == 3 && get_le32(p + off + 4) != 0) {
				item = p + off;
				break;
			}
		}
	}
	CHECK(item != NULL);
	if (!item) {
		free(data);
		return;
	}
	first = get_le32(item + 4);
	tlen = get_le32(item + 8);
	for (last = first; get_le32(data + (size_t)last * 4096 + 16) != 0;)
		last = get_le32(data + (size_t)last * 4096 + 16);
	cs_arena_init(&a);
	copy = malloc(len);

	/* A loop: the chain's last page leads back to its first and the item claims more. */
	memcpy(copy, data, len);
	set_le32(copy + (size_t)last * 4096 + 16, first);
	set_le32(copy + (item - data) + 8, tlen + 100);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	CHECK(strstr(msg, "used twice") != NULL || fprintf(stderr, "  %s\n", msg) < 0);
	/* A length beyond the file. */
	memcpy(copy, data, len);
	set_le32(copy + (item - data) + 8, 0x7fffffff);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	CHECK(strstr(msg, "longer than the file") != NULL);
	/* A page number past the end. */
	memcpy(copy, data, len);
	set_le32(copy + (item - data) + 4, 0x00ffffff);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	CHECK(strstr(msg, "out of range") != NULL);
	/* The chain reaching the metadata page: page 0 is never part of one. */
	memcpy(copy, data, len);
	set_le32(copy + (item - data) + 4, 0);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	/* A page size that is no power of two; encryption; a btree. */
	memcpy(copy, data, len);
	set_le32(copy + 20, 3000);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	CHECK(strstr(msg, "page size 3000") != NULL);
	memcpy(copy, data, len);
	copy[24] = 1;
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	memcpy(copy, data, len);
	set_le32(copy + 12, 0x053162);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	CHECK(strstr(msg, "btree") != NULL || fprintf(stderr, "  %s\n", msg) < 0);
	/* last_pgno far past the file: only the pages present are read. */
	memcpy(copy, data, len);
	set_le32(copy + 32, 0xfffffff0);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), 0);
	CHECK_INT(db.nrecords, 1);
	/* Every page's type byte set to "hash page": junk items are counted, the scan ends. */
	memcpy(copy, data, len);
	for (pg = 1; pg < npages; pg++)
		copy[pg * 4096 + 25] = 13;
	CHECK(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)) == CS_EFORMAT || db.nskipped > 0);
	free(copy);
	free(data);
	cs_arena_release(&a);
}

TEST(ndb_hostile)
{
	size_t len, s;
	char *data = cf_read_shared(RPM_DATA "/go-rpmdb/sle15-bci/Packages.db", &len), *copy, msg[256];
	cs_arena a;
	cs_rpm_db db;
	uint32_t big_off = 0, big_cnt = 0;

	if (!data)
		return;
	cs_arena_init(&a);
	copy = malloc(len);
	for (s = 2; s < 256; s++) {
		char *slot = data + s * 16;

		if (get_le32(slot) == 0x746f6c53 && get_le32(slot + 4) && get_le32(slot + 12) > big_cnt) {
			big_off = get_le32(slot + 8);
			big_cnt = get_le32(slot + 12);
		}
	}
	/* A byte of the first blob changed: its checksum no longer holds. */
	memcpy(copy, data, len);
	copy[(size_t)get_le32(data + 32 + 8) * 16 + 100] ^= 1;
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), 0);
	CHECK(db.nrecords == 34 && db.nskipped == 1 && db.skip_hnum == 1 && strstr(db.skip_reason, "checksum"));
	/* A slot pointing into the slot pages, one past the end, one with the wrong magic. */
	memcpy(copy, data, len);
	set_le32(copy + 32 + 8, 1);
	set_le32(copy + 48 + 8, 0x7fffffff);
	set_le32(copy + 64, 0x12345678);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), 0);
	CHECK(db.nrecords == 32 && db.nskipped == 3);
	/* Two slots with one package index. */
	memcpy(copy, data, len);
	set_le32(copy + 48 + 4, 1);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), 0);
	CHECK(db.nrecords == 34 && db.nskipped == 1 && strstr(db.skip_reason, "two slots"));
	/* Every slot pointing at the largest blob: the work cap ends it. */
	memcpy(copy, data, len);
	for (s = 2; s < 256; s++) {
		set_le32(copy + s * 16, 0x746f6c53);
		set_le32(copy + s * 16 + 4, (uint32_t)s);
		set_le32(copy + s * 16 + 8, big_off);
		set_le32(copy + s * 16 + 12, big_cnt);
	}
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_ELIMIT);
	CHECK(strstr(msg, "more than the file") != NULL);
	/* Header fields. */
	memcpy(copy, data, len);
	set_le32(copy + 4, 1);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	memcpy(copy, data, len);
	set_le32(copy + 12, 0x00100000);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	memcpy(copy, data, len);
	set_le32(copy + 12, 0);
	CHECK_INT(parse_bytes(copy, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
	free(copy);
	free(data);
	cs_arena_release(&a);
}

/* A SQLite database built by sql, as bytes (malloc'd), or NULL. */
static uint8_t *sqlite_bytes(const char *sql, const uint8_t *blob, size_t bloblen, size_t *len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	sqlite3_int64 n = 0;
	unsigned char *p;
	uint8_t *out = NULL;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "  sqlite: %s\n", sqlite3_errmsg(db));
		sqlite3_close(db);
		return NULL;
	}
	if (blob && sqlite3_prepare_v2(db, "INSERT INTO Packages(blob) VALUES (?)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_blob(st, 1, blob, (int)bloblen, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	p = sqlite3_serialize(db, "main", &n, 0);
	if (p && (out = malloc((size_t)n)) != NULL) {
		memcpy(out, p, (size_t)n);
		*len = (size_t)n;
	}
	sqlite3_free(p);
	sqlite3_close(db);
	return out;
}

TEST(sqlite_hostile)
{
	size_t blen, len;
	uint8_t *blob = hello_blob(&blen), *bytes;
	cs_arena a;
	cs_rpm_db db;
	char msg[256];

	cs_arena_init(&a);
	/* rpm's own table, rebuilt: reads. */
	bytes = sqlite_bytes("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)", blob,
			     blen, &len);
	CHECK(bytes != NULL);
	if (bytes) {
		CHECK_INT(parse_bytes(bytes, len, &db, &a, msg, sizeof(msg)), 0);
		CHECK(db.nrecords == 1 && db.format == CS_RPM_SQLITE && cf_str_eq(db.records[0].h.name, "hello"));
		free(bytes);
	}
	/* No Packages table. */
	bytes = sqlite_bytes("CREATE TABLE Other (x)", NULL, 0, &len);
	if (bytes) {
		CHECK_INT(parse_bytes(bytes, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
		CHECK(strstr(msg, "no such table") != NULL);
		free(bytes);
	}
	/* Packages as an endless view: views are off. */
	bytes = sqlite_bytes("CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
			     "SELECT x AS hnum, randomblob(1000) AS blob FROM c",
			     NULL, 0, &len);
	if (bytes) {
		CHECK_INT(parse_bytes(bytes, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
		free(bytes);
	}
	/* A generated blob of a gigabyte: over the length limit. */
	bytes = sqlite_bytes("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, x, blob AS (zeroblob(1000000000)));"
			     "INSERT INTO Packages(x) VALUES (1)",
			     NULL, 0, &len);
	if (bytes) {
		CHECK(parse_bytes(bytes, len, &db, &a, msg, sizeof(msg)) < 0);
		free(bytes);
	}
	/* Text and NULL blobs, a negative hnum: skipped, with reasons. */
	bytes = sqlite_bytes("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob);"
			     "INSERT INTO Packages VALUES (1, 'text'), (2, NULL), (-5, x'00')",
			     NULL, 0, &len);
	if (bytes) {
		CHECK_INT(parse_bytes(bytes, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
		CHECK_INT(db.nskipped, 3);
		free(bytes);
	}
	/* An empty blob and an empty table. */
	bytes = sqlite_bytes("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob);"
			     "INSERT INTO Packages VALUES (1, x'')",
			     NULL, 0, &len);
	if (bytes) {
		CHECK_INT(parse_bytes(bytes, len, &db, &a, msg, sizeof(msg)), CS_EFORMAT);
		CHECK(strstr(msg, "preamble") != NULL);
		free(bytes);
	}
	bytes = sqlite_bytes("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob)", NULL, 0, &len);
	if (bytes) {
		CHECK_INT(parse_bytes(bytes, len, &db, &a, msg, sizeof(msg)), 0);
		CHECK_INT(db.nrecords, 0);
		free(bytes);
	}
	free(blob);
	cs_arena_release(&a);
}

/* --- source rpm, purls, vendors, layers ---------------------------------------------- */

TEST(split_source)
{
	static const struct {
		const char *in, *name, *vr;
	} cases[] = {
		{"util-linux-2.32.1-42.el8_8.src.rpm", "util-linux", "2.32.1-42.el8_8"},
		{"gcc11-11.2.1+git610-1.3.9.src.rpm", "gcc11", "11.2.1+git610-1.3.9"},
		{"a-1-2.nosrc.rpm", "a", "1-2"},
		{"x-y-z-1.0-1.src.rpm", "x-y-z", "1.0-1"},
		{"noversion.src.rpm", NULL, NULL},
		{"a-1.src.rpm", NULL, NULL},
		{"-1-2.src.rpm", NULL, NULL},
		{"a--2.src.rpm", NULL, NULL},
		{"a-1-.src.rpm", NULL, NULL},
		{"a-1-2.rpm", NULL, NULL},
		{"", NULL, NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		const char *n = NULL, *vr = NULL;
		size_t nl = 0, vl = 0;
		bool ok = cs_rpm_split_source(cases[i].in, &n, &nl, &vr, &vl);

		if (ok != (cases[i].name != NULL) ||
		    (ok && (strlen(cases[i].name) != nl || strncmp(n, cases[i].name, nl) != 0 ||
			    strlen(cases[i].vr) != vl || strncmp(vr, cases[i].vr, vl) != 0))) {
			fprintf(stderr, "  split '%s' -> %d '%.*s' '%.*s'\n", cases[i].in, ok, (int)nl, n ? n : "",
				(int)vl, vr ? vr : "");
			test_failures++;
		}
	}
}

TEST(purl_rpm)
{
	cs_arena a;
	cs_rpm_record r;
	cs_os os = {"redhat", "8.9", NULL, NULL, "etc/os-release", 0};
	char *purl;
	cs_err err;

	cs_arena_init(&a);
	memset(&r, 0, sizeof(r));
	r.h.name = "NetworkManager";
	r.h.version = "1.40.16";
	r.h.release = "9.el8_9";
	r.h.arch = "x86_64";
	r.h.has_epoch = true;
	r.h.epoch = 1;
	cs_err_clear(&err);
	CHECK_INT(cs_rpm_purl(&purl, &a, &r, &os, &err), 0);
	CHECK_STR(purl, "pkg:rpm/redhat/NetworkManager@1.40.16-9.el8_9?arch=x86_64&distro=redhat-8.9&epoch=1");
	r.h.epoch = 0;
	CHECK_INT(cs_rpm_purl(&purl, &a, &r, &os, &err), 0);
	CHECK_STR(purl, "pkg:rpm/redhat/NetworkManager@1.40.16-9.el8_9?arch=x86_64&distro=redhat-8.9");
	r.h.arch = NULL;
	r.h.version = "2.0+git";
	os.family = "opensuse.leap";
	os.version = NULL;
	CHECK_INT(cs_rpm_purl(&purl, &a, &r, &os, &err), 0);
	CHECK_STR(purl, "pkg:rpm/opensuse.leap/NetworkManager@2.0%2Bgit-9.el8_9");
	CHECK_INT(cs_rpm_purl(&purl, &a, &r, NULL, &err), 0);
	CHECK_STR(purl, "pkg:rpm/NetworkManager@2.0%2Bgit-9.el8_9");
	cs_arena_release(&a);
}

TEST(vendors)
{
	static const struct {
		const char *family, *vendor;
		bool third;
	} cases[] = {
		{"redhat", "Red Hat, Inc.", false},
		{"redhat", "Fedora Project", true},
		{"redhat", "", false},
		{"redhat", NULL, false},
		{"centos", "CentOS", false},
		{"rocky", "Rocky Enterprise Software Foundation", false},
		{"rocky", "Red Hat, Inc.", true},
		{"alma", "AlmaLinux", false},
		{"fedora", "Fedora Project", false},
		{"fedora", "Acme Corp", true},
		{"oracle", "Oracle America", false},
		{"amazon", "Amazon Linux", false},
		{"sles", "SUSE LLC <https://www.suse.com/>", false},
		{"opensuse.leap", "openSUSE", false},
		{"opensuse.leap", "SUSE LLC <https://www.suse.com/>", false},
		{"opensuse.leap", "obs://build.opensuse.org/home:someone", true},
		{"cbl-mariner", "Microsoft Corporation", false},
		{"cbl-mariner", "Nvidia", true},
		{"photon", "VMware, Inc.", false},
		{"debian", "Acme Corp", false}, /* a family without rpm vendors: nothing to judge by */
	};
	cs_os os = {NULL, NULL, NULL, NULL, NULL, 0};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		os.family = cases[i].family;
		if (cs_rpm_third_party(&os, cases[i].vendor) != cases[i].third) {
			fprintf(stderr, "  third_party(%s, '%s') != %d\n", cases[i].family,
				cases[i].vendor ? cases[i].vendor : "(null)", cases[i].third);
			test_failures++;
		}
	}
	CHECK(!cs_rpm_third_party(NULL, "Acme Corp"));
}

TEST(layers_first)
{
	cs_arena a;
	cs_rpm_db db;
	cs_rpm_layers l;

	cs_arena_init(&a);
	if (parse_fixture(&db, &a, RPM_DATA "/go-rpmdb/sle15-bci/Packages.db", 0)) {
		cs_rpm_layers_init(&l);
		CHECK_INT(cs_rpm_layers_add(&l, "usr/lib/sysimage/rpm", &db, 3), 0);
		CHECK_INT(cs_rpm_layers_add(&l, "usr/lib/sysimage/rpm", &db, 1), 0);
		CHECK_INT(cs_rpm_layers_add(&l, "usr/lib/sysimage/rpm", &db, 2), 0);
		CHECK_INT(cs_rpm_layers_add(&l, "var/lib/rpm", &db, 0), 0);
		CHECK_INT(cs_rpm_layers_first(&l, "usr/lib/sysimage/rpm", &db.records[5]), 1);
		CHECK_INT(cs_rpm_layers_first(&l, "var/lib/rpm", &db.records[5]), 0);
		CHECK_INT(cs_rpm_layers_first(&l, "opt/rpm", &db.records[5]), -1);
		cs_rpm_layers_release(&l);
	}
	cs_arena_release(&a);
}

TEST(wants)
{
	static const cf_wants_case cases[] = {
		{"var/lib/rpm/Packages", S_IFREG | 0644, true},
		{"var/lib/rpm/Packages.db", S_IFREG | 0644, true},
		{"var/lib/rpm/rpmdb.sqlite", S_IFREG | 0644, true},
		{"usr/lib/sysimage/rpm/rpmdb.sqlite", S_IFREG | 0644, true},
		{"usr/lib/sysimage/rpm/Packages.db", S_IFREG | 0644, true},
		{"usr/lib/sysimage/rpm/Packages", S_IFREG | 0644, true},
		{"var/lib/rpm/rpmdb.sqlite-wal", S_IFREG | 0644, false},
		{"var/lib/rpm/Name", S_IFREG | 0644, false},
		{"var/lib/rpm/Packages", S_IFLNK | 0777, false},
		{"var/lib/rpmPackages", S_IFREG | 0644, false},
		{"opt/var/lib/rpm/Packages", S_IFREG | 0644, false},
		{"var/lib/rpm", S_IFDIR | 0755, false},
	};

	CHECK(cs_analyzer_rpm.parse != NULL && cs_analyzer_rpm.finish != NULL);
	CHECK_STR(cs_analyzer_rpm.name, "rpm");
	cf_check_wants(&cs_analyzer_rpm, cases, CS_ARRAY_LEN(cases));
}

/* --- whole scans --------------------------------------------------------------------- */

/* UBI 8's libuuid under var/lib/rpm, usr/lib/sysimage/rpm a link to it: one package, Red Hat's. */
TEST(scan_rhel_rootfs)
{
	char root[256], link[4096];
	cs_scan *s;
	const cs_package *p;

	if (!cf_tmpdir(root, sizeof(root), "rpm"))
		return;
	cf_copy_shared(OSREL_DATA "/rhel-8", root, "etc/os-release");
	cf_copy_shared(RPM_DATA "/go-rpmdb/libuuid/Packages", root, "var/lib/rpm/Packages");
	cf_put_bytes(root, "usr/lib64/libuuid.so.1.3.0", "elf", 3);
	snprintf(link, sizeof(link), "%s/usr/lib", root);
	CHECK(mkdir(link, 0755) == 0);
	snprintf(link, sizeof(link), "%s/usr/lib/sysimage", root);
	CHECK(mkdir(link, 0755) == 0);
	snprintf(link, sizeof(link), "%s/usr/lib/sysimage/rpm", root);
	CHECK(symlink("../../../var/lib/rpm", link) == 0);
	s = cf_scan(root, true, 1);
	if (s) {
		CHECK_INT(cf_scan_count(s, "rpm", NULL), 1);
		CHECK_INT(cs_scan_diag_count(s), 0);
		p = cf_scan_find(s, NULL, NULL, "libuuid");
		CHECK(p != NULL);
		if (p) {
			CHECK_STR(p->version, "2.32.1-42.el8_8");
			CHECK_STR(p->arch, "x86_64");
			CHECK_STR(p->source_name, "util-linux");
			CHECK_STR(p->source_version, "2.32.1-42.el8_8");
			CHECK_STR(p->vendor, "Red Hat, Inc.");
			CHECK(!p->third_party);
			CHECK_INT(p->installed_size, 35104);
			CHECK(p->nlicenses == 1 && cf_str_eq(p->licenses[0], "BSD"));
			CHECK_STR(p->found_in, "var/lib/rpm/Packages");
			CHECK_INT(p->layer, 0);
			CHECK_STR(p->purl, "pkg:rpm/redhat/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=redhat-8.1");
			CHECK_INT(p->nfiles, 7);
			CHECK(cs_scan_file_owner(s, "usr/lib64/libuuid.so.1.3.0") == p);
			CHECK(cs_scan_file_owner(s, "usr/share/licenses/libuuid/COPYING") == p);
		}
		cs_scan_free(s);
	}
	rm_tree(root);
}

/* SLE 15's ndb under usr/lib/sysimage/rpm, var/lib/rpm a link: 35 packages of SUSE. */
TEST(scan_sles_rootfs)
{
	char root[256], link[4096];
	cs_scan *s;
	const cs_package *p;
	size_t i;

	if (!cf_tmpdir(root, sizeof(root), "rpm"))
		return;
	cf_copy_shared(OSREL_DATA "/os/sles/etc/os-release", root, "etc/os-release");
	cf_copy_shared(RPM_DATA "/go-rpmdb/sle15-bci/Packages.db", root, "usr/lib/sysimage/rpm/Packages.db");
	snprintf(link, sizeof(link), "%s/var", root);
	CHECK(mkdir(link, 0755) == 0);
	snprintf(link, sizeof(link), "%s/var/lib", root);
	CHECK(mkdir(link, 0755) == 0);
	snprintf(link, sizeof(link), "%s/var/lib/rpm", root);
	CHECK(symlink("../../usr/lib/sysimage/rpm", link) == 0);
	s = cf_scan(root, true, 1);
	if (s) {
		CHECK_INT(cf_scan_count(s, "rpm", NULL), 35);
		CHECK_INT(cs_scan_diag_count(s), 0);
		for (i = 0; i < cs_scan_package_count(s); i++) {
			p = cs_scan_package(s, i);
			if (strcmp(p->type, "rpm") == 0)
				CHECK(!p->third_party && cf_str_eq(p->found_in, "usr/lib/sysimage/rpm/Packages.db"));
		}
		p = cf_scan_find(s, NULL, NULL, "libgcc_s1");
		CHECK(p && cf_str_eq(p->source_name, "gcc11") && cf_str_eq(p->source_version, "11.2.1+git610-1.3.9"));
		if (p)
			CHECK_STR(p->purl, "pkg:rpm/sles/libgcc_s1@11.2.1%2Bgit610-1.3.9?arch=x86_64&distro=sles-15.2");
		cs_scan_free(s);
	}
	rm_tree(root);
}

/* A broken database: a warning naming it, no package, the scan goes on. */
TEST(scan_broken_rootfs)
{
	char root[256];
	cs_scan *s;
	int level = 0;
	const char *msg;

	if (!cf_tmpdir(root, sizeof(root), "rpm"))
		return;
	cf_copy_shared(OSREL_DATA "/os/mariner/etc/os-release", root, "etc/os-release");
	cf_copy_shared(RPM_DATA "/osv-scalibr/invalid", root, "var/lib/rpm/rpmdb.sqlite");
	s = cf_scan(root, true, 1);
	if (s) {
		CHECK_INT(cf_scan_count(s, "rpm", NULL), 0);
		CHECK_INT(cs_scan_error_count(s), 0);
		CHECK_INT(cs_scan_diag_count(s), 1);
		msg = cs_scan_diag_get(s, 0, &level);
		CHECK(msg && strstr(msg, "'var/lib/rpm/rpmdb.sqlite'") != NULL);
		cs_scan_free(s);
	}
	rm_tree(root);
}

/* Mariner's SQLite database beside a stale BerkeleyDB one: the SQLite one counts. */
TEST(scan_mariner_rootfs)
{
	char root[256];
	cs_scan *s;
	const cs_package *p;

	if (!cf_tmpdir(root, sizeof(root), "rpm"))
		return;
	cf_copy_shared(OSREL_DATA "/os/mariner/etc/os-release", root, "etc/os-release");
	cf_copy_shared(RPM_DATA "/go-rpmdb/cbl-mariner-2.0/rpmdb.sqlite", root, "var/lib/rpm/rpmdb.sqlite");
	cf_copy_shared(RPM_DATA "/syft/Packages", root, "var/lib/rpm/Packages");
	s = cf_scan(root, true, 1);
	if (s) {
		CHECK_INT(cf_scan_count(s, "rpm", NULL), 129);
		CHECK(cf_scan_find(s, NULL, NULL, "dive") == NULL);
		p = cf_scan_find(s, NULL, NULL, "curl");
		CHECK(p && !p->third_party && cf_str_eq(p->found_in, "var/lib/rpm/rpmdb.sqlite"));
		if (p) {
			CHECK_STR(p->purl, "pkg:rpm/cbl-mariner/curl@7.76.0-6.cm2?arch=x86_64&distro=cbl-mariner-1.0");
			CHECK(cs_scan_file_owner(s, "usr/bin/curl") == p);
		}
		cs_scan_free(s);
	}
	rm_tree(root);
}

/* gpg-pubkey pseudo-packages are left out: a SQLite rpmdb of hello and a key. */
TEST(scan_gpg_pubkey)
{
	char root[256];
	size_t blen, klen, len;
	uint8_t *blob = hello_blob(&blen), *key, *bytes = NULL;
	hdrb b;
	cs_scan *s;

	if (!blob || !cf_tmpdir(root, sizeof(root), "rpm")) {
		free(blob);
		test_failures++;
		return;
	}
	hb_init(&b);
	hb_str(&b, 1000, "gpg-pubkey");
	hb_str(&b, 1001, "fd431d51");
	hb_str(&b, 1002, "4ae0493b");
	key = hb_done(&b, &klen);
	{
		sqlite3 *db = NULL;
		sqlite3_stmt *st = NULL;
		sqlite3_int64 n = 0;
		unsigned char *p;

		sqlite3_open(":memory:", &db);
		sqlite3_exec(db, "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)", NULL,
			     NULL, NULL);
		sqlite3_prepare_v2(db, "INSERT INTO Packages(blob) VALUES (?)", -1, &st, NULL);
		sqlite3_bind_blob(st, 1, key, (int)klen, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_bind_blob(st, 1, blob, (int)blen, SQLITE_STATIC);
		sqlite3_step(st);
		sqlite3_finalize(st);
		p = sqlite3_serialize(db, "main", &n, 0);
		if (p) {
			bytes = malloc((size_t)n);
			memcpy(bytes, p, (size_t)n);
			len = (size_t)n;
		}
		sqlite3_free(p);
		sqlite3_close(db);
	}
	CHECK(bytes != NULL);
	if (bytes) {
		cf_copy_shared(OSREL_DATA "/rhel-8", root, "etc/os-release");
		cf_put_bytes(root, "usr/lib/sysimage/rpm/rpmdb.sqlite", bytes, len);
		s = cf_scan(root, true, 1);
		if (s) {
			const cs_package *p = cf_scan_find(s, NULL, NULL, "hello");

			CHECK_INT(cf_scan_count(s, "rpm", NULL), 1);
			CHECK(cf_scan_find(s, NULL, NULL, "gpg-pubkey") == NULL);
			CHECK(p && cf_str_eq(p->version, "1:0.0.1-rls") && !p->third_party && p->vendor == NULL);
			if (p)
				CHECK_STR(p->purl, "pkg:rpm/redhat/hello@0.0.1-rls?arch=x86_64&distro=redhat-8.1&epoch=1");
			cs_scan_free(s);
		}
	}
	free(bytes);
	free(key);
	free(blob);
	rm_tree(root);
}

/*
 * Two layers, each with the rpmdb rpm wrote after its step (Rocky 8.4):
 * foo and libfoo stay in layer 0, the upgraded hello and acme-tool come
 * from layer 1; acme-tool is Acme's, not Rocky's. Then a third layer that
 * deletes the database: no package is left.
 */
TEST(scan_layers)
{
	char dir[256], path[4200];
	char *osrel = NULL, *db1 = NULL, *db2 = NULL;
	size_t nos = 0, n1 = 0, n2 = 0;
	cs_scan *s;
	const cs_package *p;

	if (!have_tools()) {
		printf("  SKIP scan_layers: needs Debian's rpm (rpm, rpmbuild) and db5.3-util (db5.3_load)\n");
		return;
	}
	if (!cf_tmpdir(dir, sizeof(dir), "rpm"))
		return;
	CHECK(build_rpmdbs(dir));
	osrel = cf_read_shared(OSREL_DATA "/os/rockylinux/from-os-release/etc/os-release", &nos);
	snprintf(path, sizeof(path), "%s/db1/rpmdb.sqlite", dir);
	db1 = test_read_file(path, &n1);
	snprintf(path, sizeof(path), "%s/db2/rpmdb.sqlite", dir);
	db2 = test_read_file(path, &n2);
	CHECK(osrel && db1 && db2);
	if (osrel && db1 && db2) {
		const cf_entry l0[] = {
			{"etc/os-release", osrel, nos, 0},
			{"var/lib/rpm/rpmdb.sqlite", db1, n1, 0},
			CF_TEXT("usr/bin/hello", "hi\n"),
			CF_TEXT("usr/bin/foo", "y\n"),
			CF_TEXT("usr/lib64/libfoo.so.2", "x\n"),
			CF_END,
		};
		const cf_entry l1[] = {
			{"var/lib/rpm/rpmdb.sqlite", db2, n2, 0},
			CF_TEXT("usr/bin/hello", "hi\n"),
			CF_TEXT("opt/acme/bin/tool", "t\n"),
			CF_END,
		};
		const cf_entry l2[] = {CF_TEXT("var/lib/rpm/.wh.rpmdb.sqlite", ""), CF_END};
		const cf_entry *const two[] = {l0, l1}, *const three[] = {l0, l1, l2};

		if ((s = cf_scan_layers("rpm", two, 2, 1)) != NULL) {
			CHECK_INT(cf_scan_count(s, "rpm", NULL), 4);
			CHECK_INT(cs_scan_diag_count(s), 0);
			p = cf_scan_find(s, NULL, NULL, "foo");
			CHECK(p && p->layer == 0 && cf_str_eq(p->source_name, "foo"));
			p = cf_scan_find(s, NULL, NULL, "libfoo");
			CHECK(p && p->layer == 0 && cf_str_eq(p->source_name, "foo") && cf_str_eq(p->source_version, "2.1.0-7.el8"));
			if (p) {
				CHECK(p->nlicenses == 1 && cf_str_eq(p->licenses[0], "ASL 2.0 and MIT"));
				CHECK(cs_scan_file_owner(s, "usr/lib64/libfoo.so.2") == p);
				CHECK(p->vendor == NULL && !p->third_party);
			}
			p = cf_scan_find(s, NULL, NULL, "hello");
			CHECK(p && p->layer == 1 && cf_str_eq(p->version, "2:1.0-4.el8") &&
			      cf_str_eq(p->source_version, "2:1.0-4.el8"));
			if (p) {
				CHECK_STR(p->purl, "pkg:rpm/rocky/hello@1.0-4.el8?arch=noarch&distro=rocky-8.4&epoch=2");
				CHECK(!p->third_party && cf_str_eq(p->vendor, "Rocky Enterprise Software Foundation"));
				CHECK(cs_scan_file_owner(s, "usr/share/doc/hello/README") == p);
				CHECK_STR(p->found_in, "var/lib/rpm/rpmdb.sqlite");
			}
			p = cf_scan_find(s, NULL, NULL, "acme-tool");
			CHECK(p && p->layer == 1 && p->third_party && cf_str_eq(p->vendor, "Acme Corp"));
			if (p)
				CHECK(cs_scan_file_owner(s, "opt/acme/bin/tool") == p);
			cs_scan_free(s);
		}
		if ((s = cf_scan_layers("rpm", three, 3, 1)) != NULL) {
			CHECK_INT(cf_scan_count(s, "rpm", NULL), 0);
			CHECK_INT(cs_scan_diag_count(s), 0);
			cs_scan_free(s);
		}
	}
	free(osrel);
	free(db1);
	free(db2);
	rm_tree(dir);
}

/* --- the fuzz corpus ---------------------------------------------------------------- */

/* tests/fuzz/corpus/rpm replayed: whole databases and header blobs, every truncation. */
/* A seed, whole and cut at about 512 places, as a database and as a header blob. */
static void replay_one(const char *name, char *data, size_t len, void *payload)
{
	size_t i;

	CS_UNUSED(name);
	CS_UNUSED(payload);
	for (i = 0; i <= len; i += 1 + len / 512) {
		char *copy = malloc(i ? i : 1);
		cs_arena a;
		cs_rpm_db db;
		cs_rpm_header h;
		cs_err err;
		int rc;

		memcpy(copy, data, i);
		cs_arena_init(&a);
		cs_err_clear(&err);
		rc = cs_rpm_parse_db(&db, &a, copy, i, &err);
		CHECK(rc == 0 || rc == CS_EFORMAT || rc == CS_ELIMIT);
		cs_err_clear(&err);
		rc = cs_rpm_parse_header(&h, &a, copy, i, NULL, &err);
		CHECK(rc == 0 || rc == CS_EFORMAT);
		cs_arena_release(&a);
		free(copy);
	}
}

TEST(fuzz_corpus)
{
	CHECK(cf_corpus("rpm", replay_one, NULL) > 0);
}

TEST_MAIN(TEST_ENTRY(rpm_qa), TEST_ENTRY(go_rpmdb), TEST_ENTRY(syft_scalibr), TEST_ENTRY(rpmbuild),
	  TEST_ENTRY(header_bounds), TEST_ENTRY(header_region), TEST_ENTRY(header_files), TEST_ENTRY(header_damage),
	  TEST_ENTRY(truncated_everywhere), TEST_ENTRY(random_damage), TEST_ENTRY(bdb_hostile),
	  TEST_ENTRY(ndb_hostile), TEST_ENTRY(sqlite_hostile), TEST_ENTRY(split_source), TEST_ENTRY(purl_rpm),
	  TEST_ENTRY(vendors), TEST_ENTRY(layers_first), TEST_ENTRY(wants), TEST_ENTRY(scan_rhel_rootfs),
	  TEST_ENTRY(scan_sles_rootfs), TEST_ENTRY(scan_broken_rootfs), TEST_ENTRY(scan_mariner_rootfs),
	  TEST_ENTRY(scan_gpg_pubkey), TEST_ENTRY(scan_layers), TEST_ENTRY(fuzz_corpus))
