/*
 * test_apk.c - the apk cataloger against Trivy, osv-scalibr and syft.
 *
 * Oracles first:
 *
 *  - trivy_oracle: ../shared/test-data/pkgdb/apk/trivy/apk parsed as a
 *    whole must give, in order, the packages Trivy's own test expects of it
 *    (apk.expected.trivy.json, transcribed from Trivy's apk_test.go): name,
 *    version, architecture, origin as source name, version as source
 *    version, maintainer, checksum (Trivy's sha1 digest of the C: line),
 *    the installed files in file order and the number of license ids. The
 *    stanza Trivy drops (a name without a version) must be skipped with a
 *    reason.
 *  - image_alpine311 / image_alpine310: the docker-save images Trivy's
 *    fanal tests scan, run through cs_scan_run end to end (walk, analyzer,
 *    merged view, finish): the inventory must equal Trivy's expected package
 *    list for alpine:3.11 field for field (files included), and the list
 *    read off alpine:3.10's own database.
 *  - osv_scalibr: osv-scalibr's fixtures against the table of its
 *    apk_test.go (name, origin, version, maintainer, architecture, license);
 *    its "invalid" file must be refused, its empty file accepted.
 *  - syft: syft's fixtures, corrupt and bogus ones included.
 *
 * Then hostile input (truncation at every byte, CRLF, no final newline,
 * stanzas without P or V, duplicates, huge lines, NULs, paths leaving the
 * root, the path budget), licenses, purls, the layer rule, the path filter,
 * whole scans of built root filesystems and multi-layer docker archives,
 * and a replay of the fuzz corpus.
 */
#include "core/compat.h"
#include "catalog/apk.h"

#include "unit/catfix.h"

#define APK_DATA "test-data/pkgdb/apk"
#define FANAL_DATA "test-data/images/trivy-fanal"

/* --- helpers ---------------------------------------------------------------- */

/* Parses text (a C string) into db; the return code is checked against want. */
static void parse_text(cs_apk_db *db, cs_arena *a, const char *text, int want)
{
	cs_err err;

	cs_err_clear(&err);
	CHECK_INT(cs_apk_parse_installed(db, a, text, strlen(text), &err), want);
}

static const cs_apk_record *db_find(const cs_apk_db *db, const char *name)
{
	size_t i;

	for (i = 0; i < db->nrecords; i++)
		if (strcmp(db->records[i].name, name) == 0)
			return &db->records[i];
	return NULL;
}

/*
 * Trivy's digest of a C: value: "Q1" + base64 is SHA-1, shown as
 * "sha1:<hex>" (decodeChecksumLine() in Trivy's apk.go).
 */
static bool checksum_digest(char *out, size_t outsz, const char *c)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned bits = 0, nbits = 0;
	size_t o;

	if (!c || strncmp(c, "Q1", 2) != 0)
		return false;
	o = (size_t)snprintf(out, outsz, "sha1:");
	for (c += 2; *c && *c != '='; c++) {
		const char *at = strchr(b64, *c);

		if (!at)
			return false;
		bits = bits << 6 | (unsigned)(at - b64);
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			if (o + 3 > outsz)
				return false;
			snprintf(out + o, 3, "%02x", (bits >> nbits) & 0xff);
			o += 2;
		}
	}
	return true;
}

/* r's files must be the JSON array of strings want (NULL: none), in order. */
static void check_files(const char *label, const char *name, const char *const *files, size_t nfiles,
			const cJSON *want)
{
	size_t i = 0;
	const cJSON *w;

	cJSON_ArrayForEach(w, want) {
		if (i >= nfiles || !cJSON_IsString(w) || strcmp(files[i], w->valuestring) != 0) {
			fprintf(stderr, "  %s: '%s' file %zu is '%s', expected '%s'\n", label, name, i,
				i < nfiles ? files[i] : "(none)", cJSON_IsString(w) ? w->valuestring : "?");
			test_failures++;
			return;
		}
		i++;
	}
	if (i != nfiles) {
		fprintf(stderr, "  %s: '%s' has %zu files, expected %zu\n", label, name, nfiles, i);
		test_failures++;
	}
}

/* --- Trivy's analyzer test ------------------------------------------------------ */

TEST(trivy_oracle)
{
	cJSON *want = cf_read_json(APK_DATA "/trivy/apk.expected.trivy.json");
	size_t len, i = 0, nfiles_all = 0;
	char *text = cf_read_shared(APK_DATA "/trivy/apk", &len);
	const cJSON *pkgs, *w, *all;
	cs_arena a;
	cs_apk_db db;
	cs_err err;

	if (!want || !text)
		goto done;
	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_apk_parse_installed(&db, &a, text, len, &err), 0);
	pkgs = cs_json_arr(want, "packages");
	CHECK_INT(db.nrecords, cJSON_GetArraySize(pkgs));
	/* Trivy drops "P:invalidPackageWithoutAVersion" (Package.Empty()); so do we, saying why. */
	CHECK_INT(db.nskipped, 1);
	CHECK_STR(db.skip_reason, "package 'invalidPackageWithoutAVersion' has no 'V' (version) field");
	CHECK_INT(db.skip_line, 23);
	cJSON_ArrayForEach(w, pkgs) {
		const cs_apk_record *r = i < db.nrecords ? &db.records[i] : NULL;
		char digest[128];

		i++;
		if (!r || !cf_str_eq(r->name, cs_json_str(w, "Name")) || !cf_str_eq(r->version, cs_json_str(w, "Version")) ||
		    !cf_str_eq(r->arch, cs_json_str(w, "Arch")) || !cf_str_eq(r->source_name, cs_json_str(w, "SrcName")) ||
		    !cf_str_eq(r->version, cs_json_str(w, "SrcVersion")) ||
		    !cf_str_eq(r->maintainer, cs_json_str(w, "Maintainer"))) {
			fprintf(stderr, "  record %zu is not Trivy's '%s'\n", i - 1, cs_json_str(w, "Name"));
			test_failures++;
			continue;
		}
		CHECK(checksum_digest(digest, sizeof(digest), r->checksum));
		CHECK_STR(digest, cs_json_str(w, "Digest"));
		CHECK_INT(r->nlicenses, cJSON_GetArraySize(cs_json_arr(w, "Licenses")));
		CHECK_INT(r->nfiles_dropped, 0);
		check_files("trivy", r->name, r->files, r->nfiles, cs_json_arr(w, "InstalledFiles"));
		nfiles_all += r->nfiles;
	}
	/* Trivy's SystemInstalledFiles: every package's files, in file order. */
	all = cs_json_arr(want, "installed_files");
	CHECK_INT(nfiles_all, cJSON_GetArraySize(all));
	{
		const cs_apk_record *r = db_find(&db, "musl");

		CHECK(r && r->installed_size == 569344 && cf_str_eq(r->license, "MIT") &&
		      cf_str_eq(r->description, "the musl c library (libc) implementation"));
		r = db_find(&db, "musl-utils");
		CHECK(r && r->nlicenses == 3);
		if (r && r->nlicenses == 3) {
			CHECK_STR(r->licenses[0], "MIT");
			CHECK_STR(r->licenses[1], "BSD");
			CHECK_STR(r->licenses[2], "GPL2+");
		}
		r = db_find(&db, "ada-libs");
		CHECK(r && r->nlicenses == 3);
		if (r && r->nlicenses == 3) {
			CHECK_STR(r->licenses[0], "Apache-2.0");
			CHECK_STR(r->licenses[1], "MIT");
			CHECK_STR(r->licenses[2], "MPL-2.0");
		}
	}
	cs_arena_release(&a);
done:
	free(text);
	cJSON_Delete(want);
}

/* --- osv-scalibr's and syft's fixtures -------------------------------------- */

/* osv-scalibr's TestExtract table for testdata/installed (apk_test.go). */
static const struct scalibr_row {
	const char *name, *origin, *version, *maintainer, *arch, *license;
} scalibr_installed[] = {
	{"alpine-baselayout", "alpine-baselayout", "3.4.3-r1", "Natanael Copa <ncopa@alpinelinux.org>", "x86_64",
	 "GPL-2.0-only"},
	{"alpine-baselayout-data", "alpine-baselayout", "3.4.3-r1", "Natanael Copa <ncopa@alpinelinux.org>", "x86_64",
	 "GPL-2.0-only"},
	{"alpine-keys", "alpine-keys", "2.4-r1", "Natanael Copa <ncopa@alpinelinux.org>", "x86_64", "MIT"},
	{"apk-tools", "apk-tools", "2.14.0-r0", "Natanael Copa <ncopa@alpinelinux.org>", "x86_64", "GPL-2.0-only"},
	{"busybox", "busybox", "1.36.0-r9", "S\xc3\xb6ren Tempel <soeren+alpine@soeren-tempel.net>", "x86_64",
	 "GPL-2.0-only"},
	{"busybox-binsh", "busybox", "1.36.0-r9", "S\xc3\xb6ren Tempel <soeren+alpine@soeren-tempel.net>", "x86_64",
	 "GPL-2.0-only"},
	{"ca-certificates-bundle", "ca-certificates", "20230506-r0", "Natanael Copa <ncopa@alpinelinux.org>",
	 "x86_64", "MPL-2.0 AND MIT"},
	{"libc-utils", "libc-dev", "0.7.2-r5", "Natanael Copa <ncopa@alpinelinux.org>", "x86_64",
	 "BSD-2-Clause AND BSD-3-Clause"},
	{"libcrypto3", "openssl", "3.1.0-r4", "Ariadne Conill <ariadne@dereferenced.org>", "x86_64", "Apache-2.0"},
	{"libssl3", "openssl", "3.1.0-r4", "Ariadne Conill <ariadne@dereferenced.org>", "x86_64", "Apache-2.0"},
	{"musl", "musl", "1.2.4-r0", "Timo Ter\xc3\xa4s <timo.teras@iki.fi>", "x86_64", "MIT"},
	{"musl-utils", "musl", "1.2.4-r0", "Timo Ter\xc3\xa4s <timo.teras@iki.fi>", "x86_64",
	 "MIT AND BSD-2-Clause AND GPL-2.0-or-later"},
	{"scanelf", "pax-utils", "1.3.7-r1", "Natanael Copa <ncopa@alpinelinux.org>", "x86_64", "GPL-2.0-only"},
	{"ssl_client", "busybox", "1.36.0-r9", "S\xc3\xb6ren Tempel <soeren+alpine@soeren-tempel.net>", "x86_64",
	 "GPL-2.0-only"},
	{"zlib", "zlib", "1.2.13-r1", "Natanael Copa <ncopa@alpinelinux.org>", "x86_64", "Zlib"},
};

static void check_scalibr(const cs_apk_db *db, const struct scalibr_row *rows, size_t n, const char *label)
{
	size_t i;

	CHECK_INT(db->nrecords, n);
	for (i = 0; i < n; i++) {
		const cs_apk_record *r = db_find(db, rows[i].name);

		if (!r || !cf_str_eq(r->origin, rows[i].origin) || !cf_str_eq(r->version, rows[i].version) ||
		    !cf_str_eq(r->maintainer, rows[i].maintainer) || !cf_str_eq(r->arch, rows[i].arch) ||
		    !cf_str_eq(r->license, rows[i].license)) {
			fprintf(stderr, "  %s: '%s' is not as osv-scalibr reads it\n", label, rows[i].name);
			test_failures++;
		}
	}
}

static bool parse_fixture(cs_apk_db *db, cs_arena *a, const char *rel, int want)
{
	char path[4096];
	size_t len;
	char *text;
	cs_err err;
	int rc;

	snprintf(path, sizeof(path), APK_DATA "/%s", rel);
	if (!(text = cf_read_shared(path, &len)))
		return false;
	cs_err_clear(&err);
	rc = cs_apk_parse_installed(db, a, text, len, &err);
	if (rc != want) {
		fprintf(stderr, "  '%s': parse returned %d (%s), expected %d\n", rel, rc, err.msg, want);
		test_failures++;
	}
	free(text);
	return rc == want;
}

TEST(osv_scalibr)
{
	static const struct scalibr_row no_origin[] = {{"pkgname", NULL, "1.2.3", NULL, "x86_64", "GPL-2.0-only"}};
	static const struct scalibr_row single[] = {{"alpine-baselayout-data", "alpine-baselayout", "3.4.3-r1",
						     "Natanael Copa <ncopa@alpinelinux.org>", "x86_64",
						     "GPL-2.0-only"}};
	static const struct scalibr_row noarch[] = {{"alpine-baselayout-data", "alpine-baselayout", "3.4.3-r1",
						     "Natanael Copa <ncopa@alpinelinux.org>", "noarch",
						     "GPL-2.0-only"}};
	cs_arena a;
	cs_apk_db db;

	cs_arena_init(&a);
	if (parse_fixture(&db, &a, "osv-scalibr/installed", 0)) {
		check_scalibr(&db, scalibr_installed, CS_ARRAY_LEN(scalibr_installed), "installed");
		CHECK_INT(db.nskipped, 0);
	}
	if (parse_fixture(&db, &a, "osv-scalibr/no-origin", 0)) {
		check_scalibr(&db, no_origin, 1, "no-origin");
		/* No origin: the source package is the binary's own name. */
		if (db.nrecords == 1)
			CHECK_STR(db.records[0].source_name, "pkgname");
	}
	if (parse_fixture(&db, &a, "osv-scalibr/single", 0))
		check_scalibr(&db, single, 1, "single");
	if (parse_fixture(&db, &a, "osv-scalibr/different-arch", 0))
		check_scalibr(&db, noarch, 1, "different-arch");
	/* osv-scalibr: empty is no package and no error, invalid is an error. */
	if (parse_fixture(&db, &a, "osv-scalibr/empty", 0))
		CHECK_INT(db.nrecords, 0);
	if (parse_fixture(&db, &a, "osv-scalibr/invalid", CS_EFORMAT)) {
		CHECK_INT(db.nrecords, 0);
		CHECK_INT(db.nskipped, 2);
		CHECK_STR(db.skip_reason, "expected 'K:value', got 'asdf'");
	}
	cs_arena_release(&a);
}

TEST(syft)
{
	static const struct {
		const char *file;
		int rc;
		size_t nrecords, nskipped, nfiles; /* nfiles: of all records */
	} cases[] = {
		{"syft/base", 0, 1, 0, 27},
		{"syft/single", 0, 1, 0, 5},
		{"syft/corrupt/lib/apk/db/installed", 0, 1, 1, 14},
		{"syft/empty-deps-and-provides", 0, 1, 0, 15},
		{"syft/extra-file-attributes", 0, 1, 0, 1},
		{"syft/multiple-1/lib/apk/db/installed", 0, 4, 0, 5},
		{"syft/multiple-2/lib/apk/db/installed", 0, 14, 0, 105},
		{"syft/glob-paths/lib/apk/db/installed", CS_EFORMAT, 0, 1, 0},
	};
	size_t i, j;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_arena a;
		cs_apk_db db;
		size_t nfiles = 0;

		cs_arena_init(&a);
		if (parse_fixture(&db, &a, cases[i].file, cases[i].rc)) {
			for (j = 0; j < db.nrecords; j++)
				nfiles += db.records[j].nfiles;
			if (db.nrecords != cases[i].nrecords || db.nskipped != cases[i].nskipped ||
			    nfiles != cases[i].nfiles) {
				fprintf(stderr, "  '%s': %zu records, %zu skipped, %zu files; expected %zu, %zu, %zu\n",
					cases[i].file, db.nrecords, db.nskipped, nfiles, cases[i].nrecords,
					cases[i].nskipped, cases[i].nfiles);
				test_failures++;
			}
		}
		cs_arena_release(&a);
	}
	{
		cs_arena a;
		cs_apk_db db;
		const cs_apk_record *r;

		cs_arena_init(&a);
		if (parse_fixture(&db, &a, "syft/single", 0) && db.nrecords == 1) {
			/* No final newline; the last line is a Z: we ignore. */
			r = &db.records[0];
			CHECK_STR(r->name, "musl-utils");
			CHECK_STR(r->source_name, "musl");
			CHECK_INT(r->installed_size, 151552);
			CHECK_STR(r->files[0], "sbin/ldconfig");
			CHECK_STR(r->files[4], "usr/bin/getent");
		}
		if (parse_fixture(&db, &a, "syft/corrupt/lib/apk/db/installed", 0) && db.nrecords == 1) {
			CHECK_STR(db.records[0].name, "alpine-baselayout-data");
			CHECK_INT(db.skip_line, 1);
			CHECK_STR(db.skip_reason, "expected 'K:value', got 'this is a corrupt db'");
		}
		if (parse_fixture(&db, &a, "syft/extra-file-attributes", 0) && db.nrecords == 1) {
			CHECK_STR(db.records[0].files[0], "usr/lib/jvm/java-1.8-openjdk/bin/policytool");
			CHECK_STR(db.records[0].license, "custom");
		}
		cs_arena_release(&a);
	}
}

/* --- the two Alpine images, end to end --------------------------------------- */

/* The purl we promise for an Alpine package of a known release. */
static void check_purl(const cs_package *p, const char *distro)
{
	char want[1024];

	if (strcmp(p->source_name, p->name) != 0)
		snprintf(want, sizeof(want), "pkg:apk/alpine/%s@%s?arch=%s&distro=%s&upstream=%s", p->name, p->version,
			 p->arch, distro, p->source_name);
	else
		snprintf(want, sizeof(want), "pkg:apk/alpine/%s@%s?arch=%s&distro=%s", p->name, p->version, p->arch,
			 distro);
	CHECK_STR(p->purl, want);
}

/* Trivy's TestArtifact_Inspect "happy path": alpine:3.11, every package field for field. */
TEST(image_alpine311)
{
	cJSON *want = cf_read_json(FANAL_DATA "/alpine-311.expected.trivy.json");
	char path[4096];
	const cJSON *w;
	const cs_os *os;
	cs_scan *s;

	if (!want)
		return;
	s = cf_scan(cf_shared_path(path, sizeof(path), FANAL_DATA "/alpine-311.tar.gz"), false, 1);
	if (!s) {
		cJSON_Delete(want);
		return;
	}
	os = cs_scan_os(s);
	CHECK(os != NULL);
	if (os) {
		CHECK_STR(os->family, cs_json_str(cs_json_obj(want, "os"), "family"));
		CHECK_STR(os->version, cs_json_str(cs_json_obj(want, "os"), "name"));
	}
	CHECK_INT(cs_scan_layer_count(s), 1);
	CHECK_INT(cs_scan_package_count(s), cJSON_GetArraySize(cs_json_arr(want, "packages")));
	CHECK_INT(cs_scan_diag_count(s), 0);
	cJSON_ArrayForEach(w, cs_json_arr(want, "packages")) {
		const char *name = cs_json_str(w, "Name");
		const cs_package *p = cf_scan_find(s, NULL, NULL, name ? name : "");

		if (!p || !cf_str_eq(p->version, cs_json_str(w, "Version")) || !cf_str_eq(p->arch, cs_json_str(w, "Arch")) ||
		    !cf_str_eq(p->source_name, cs_json_str(w, "SrcName")) ||
		    !cf_str_eq(p->source_version, cs_json_str(w, "SrcVersion")) ||
		    !cf_str_eq(p->maintainer, cs_json_str(w, "Maintainer"))) {
			fprintf(stderr, "  alpine-311: '%s' not reported as Trivy expects\n", name ? name : "?");
			test_failures++;
			continue;
		}
		CHECK_STR(p->type, "apk");
		CHECK_STR(p->found_in, cs_json_str(want, "package_db"));
		CHECK_INT(p->layer, 0);
		CHECK(p->installed_size > 0);
		check_purl(p, "3.11.5");
		check_files("alpine-311", name, p->files, p->nfiles, cs_json_arr(w, "InstalledFiles"));
	}
	cs_scan_free(s);
	cJSON_Delete(want);
}

/* alpine:3.10, against the list read off its own database (a weaker oracle: see SOURCES.md). */
TEST(image_alpine310)
{
	cJSON *want = cf_read_json(FANAL_DATA "/alpine-310.expected.json");
	char path[4096];
	const cJSON *w;
	cs_scan *s;

	if (!want)
		return;
	s = cf_scan(cf_shared_path(path, sizeof(path), FANAL_DATA "/alpine-310.tar.gz"), false, 1);
	if (!s) {
		cJSON_Delete(want);
		return;
	}
	CHECK(cs_scan_os(s) && cf_str_eq(cs_scan_os(s)->version, cs_json_str(cs_json_obj(want, "os"), "name")));
	CHECK_INT(cs_scan_package_count(s), cJSON_GetArraySize(cs_json_arr(want, "packages")));
	CHECK_INT(cs_scan_diag_count(s), 0);
	cJSON_ArrayForEach(w, cs_json_arr(want, "packages")) {
		const char *name = cs_json_str(w, "name");
		const cs_package *p = cf_scan_find(s, NULL, NULL, name ? name : "");

		if (!p || !cf_str_eq(p->version, cs_json_str(w, "version")) || !cf_str_eq(p->arch, cs_json_str(w, "arch")) ||
		    !cf_str_eq(p->source_name, cs_json_str(w, "origin")) || !cf_str_eq(p->source_version, p->version) ||
		    !cf_str_eq(p->maintainer, cs_json_str(w, "maintainer"))) {
			fprintf(stderr, "  alpine-310: '%s' not reported as its database says\n", name ? name : "?");
			test_failures++;
			continue;
		}
		CHECK_INT(p->layer, 0);
		check_purl(p, "3.10.4");
	}
	cs_scan_free(s);
	cJSON_Delete(want);
}

/* --- hostile and edge input ------------------------------------------------------ */

/* Every field a record has, checked for the invariants parsing promises. */
static void check_invariants(const cs_apk_db *db)
{
	size_t i, j;

	CHECK((db->nskipped == 0) == (db->skip_reason == NULL));
	for (i = 0; i < db->nrecords; i++) {
		const cs_apk_record *r = &db->records[i];

		CHECK(r->name && *r->name && r->version && *r->version && r->source_name);
		CHECK(r->keylen == strlen(r->name) + strlen(r->version) + 2);
		for (j = 0; j < r->nfiles; j++)
			CHECK(r->files[j][0] && r->files[j][0] != '/' && strlen(r->files[j]) <= 4096);
		for (j = 0; j < r->nlicenses; j++)
			CHECK(r->licenses[j] && *r->licenses[j]);
	}
}

/* Parses every prefix and suffix of text (at most 200 cuts), as hostile truncations. */
static void no_crash_text(const char *text, size_t len)
{
	size_t cut, step = len / 200 + 1;

	for (cut = 0; cut <= len; cut += step) {
		int pass;

		for (pass = 0; pass < 2; pass++) {
			cs_arena a;
			cs_apk_db db;
			cs_err err;
			char *copy = malloc(cut ? cut : 1);
			int rc;

			/* An exact-size copy, so ASan sees any read past the end. */
			memcpy(copy, pass ? text + (len - cut) : text, cut);
			cs_arena_init(&a);
			cs_err_clear(&err);
			rc = cs_apk_parse_installed(&db, &a, copy, cut, &err);
			CHECK(rc == 0 || rc == CS_EFORMAT);
			check_invariants(&db);
			cs_arena_release(&a);
			free(copy);
		}
	}
}

static void no_crash_seed(const char *name, char *data, size_t len, void *payload)
{
	CS_UNUSED(name);
	CS_UNUSED(payload);
	no_crash_text(data, len);
}

static void no_crash_file(const char *path)
{
	size_t len;
	char *text = test_read_file(path, &len);

	CHECK(text != NULL);
	if (!text)
		return;
	no_crash_text(text, len);
	free(text);
}

TEST(truncated_everywhere)
{
	char path[4096];
	size_t len, cut;
	char *text = cf_read_shared(APK_DATA "/trivy/apk", &len);

	if (!text)
		return;
	/* Every single cut of the Trivy file: records only ever grow with the prefix. */
	for (cut = 0; cut <= len; cut += 1) {
		cs_arena a;
		cs_apk_db db;
		cs_err err;
		char *copy = malloc(cut ? cut : 1);

		memcpy(copy, text, cut);
		cs_arena_init(&a);
		cs_err_clear(&err);
		cs_apk_parse_installed(&db, &a, copy, cut, &err);
		check_invariants(&db);
		CHECK(db.nrecords <= 15);
		cs_arena_release(&a);
		free(copy);
	}
	free(text);
	no_crash_file(cf_shared_path(path, sizeof(path), APK_DATA "/osv-scalibr/installed"));
	no_crash_file(cf_shared_path(path, sizeof(path), APK_DATA "/syft/multiple-2/lib/apk/db/installed"));
}

/* The same database with LF, CRLF and no final newline reads the same. */
TEST(line_ends)
{
	static const char lf[] = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nF:lib\nR:libc.so\n\n"
				 "P:zlib\nV:1.3-r0\nA:x86_64\nF:usr/lib\nR:libz.so.1\n";
	static const char crlf[] = "C:Q1abc=\r\nP:musl\r\nV:1.2.4-r2\r\nA:x86_64\r\no:musl\r\nF:lib\r\nR:libc.so\r\n\r\n"
				   "P:zlib\r\nV:1.3-r0\r\nA:x86_64\r\nF:usr/lib\r\nR:libz.so.1";
	static const char loose[] = "\n\n \t \nP:musl\nV:1.2.4-r2\nA:x86_64\no:musl\nF:lib\nR:libc.so\n \n"
				    "x\nP:zlib\nV:1.3-r0\nA:x86_64\nF:usr/lib\nR:libz.so.1\n\n\n";
	const char *texts[] = {lf, crlf, loose};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(texts); i++) {
		cs_arena a;
		cs_apk_db db;

		cs_arena_init(&a);
		parse_text(&db, &a, texts[i], 0);
		CHECK_INT(db.nrecords, 2);
		CHECK_INT(db.nskipped, 0);
		if (db.nrecords == 2) {
			CHECK_STR(db.records[0].name, "musl");
			CHECK_STR(db.records[0].version, "1.2.4-r2");
			CHECK_STR(db.records[0].arch, "x86_64");
			CHECK_INT(db.records[0].nfiles, 1);
			CHECK_STR(db.records[0].files[0], "lib/libc.so");
			CHECK_STR(db.records[1].name, "zlib");
			CHECK_STR(db.records[1].version, "1.3-r0");
			CHECK_STR(db.records[1].source_name, "zlib");
			CHECK_STR(db.records[1].files[0], "usr/lib/libz.so.1");
		}
		cs_arena_release(&a);
	}
}

/* Stanzas apk-tools would refuse: skipped one by one with a reason, the rest kept. */
TEST(skipped_stanzas)
{
	static const struct {
		const char *text;
		int rc;
		size_t nrecords, nskipped;
		uint32_t line;
		const char *reason;
	} cases[] = {
		{"V:1\nA:x86_64\n\nP:ok\nV:1\n", 0, 1, 1, 1, "missing 'P' (name) field"},
		{"P:\nV:1\n", CS_EFORMAT, 0, 1, 1, "missing 'P' (name) field"},
		{"P:nover\nA:x86_64\n\nP:ok\nV:1\n", 0, 1, 1, 1, "package 'nover' has no 'V' (version) field"},
		{"P:ok\nV:1\n\nP:empty\nV:\n", 0, 1, 1, 4, "package 'empty' has no 'V' (version) field"},
		{"P:two words\nV:1\n\nP:ok\nV:1\n", 0, 1, 1, 1, "invalid package name 'two words'"},
		{"P:tab\tname\nV:1\n", CS_EFORMAT, 0, 1, 1, "invalid package name 'tab?name'"},
		{"P:ok\nV:1 2\n", CS_EFORMAT, 0, 1, 1, "invalid version '1 2'"},
		{"P:ok\nV:1\x01\n", CS_EFORMAT, 0, 1, 1, "invalid version '1?'"},
		{"P:a\nV:1\nhello\nA:x\n\nP:b\nV:2\n", 0, 1, 1, 3, "expected 'K:value', got 'hello'"},
		{"P:a\nV:1\n:x\n\nP:b\nV:2\n", 0, 1, 1, 3, "expected 'K:value', got ':x'"},
		{"P:a\nV:1\nPV:x\n", CS_EFORMAT, 0, 1, 3, "expected 'K:value', got 'PV:x'"},
		/* One package per name: Trivy keeps the first. */
		{"P:a\nV:1\n\nP:a\nV:2\n\nP:b\nV:1\n", 0, 2, 1, 4, "duplicate package 'a'"},
		{"P:a\nV:1\n\nP:a\nV:1\n", 0, 1, 1, 4, "duplicate package 'a'"},
		/* Unknown and ignored fields, upper case or not, do not matter. */
		{"P:a\nV:1\nX:y\nz:1\nD:so:libc.so\n", 0, 1, 0, 0, NULL},
		/* A single byte ends a stanza (apk-tools' "l.len < 2"). */
		{"P:a\nV:1\nx\nP:b\nV:2\n", 0, 2, 0, 0, NULL},
		{"", 0, 0, 0, 0, NULL},
		{"\n\n\n", 0, 0, 0, 0, NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_arena a;
		cs_apk_db db;

		cs_arena_init(&a);
		parse_text(&db, &a, cases[i].text, cases[i].rc);
		if (db.nrecords != cases[i].nrecords || db.nskipped != cases[i].nskipped ||
		    db.skip_line != cases[i].line || !cf_str_eq(db.skip_reason, cases[i].reason)) {
			fprintf(stderr, "  case %zu: %zu records, %zu skipped, line %u '%s'\n", i, db.nrecords, db.nskipped,
				db.skip_line, db.skip_reason ? db.skip_reason : "");
			test_failures++;
		}
		check_invariants(&db);
		cs_arena_release(&a);
	}
}

/* A field given twice keeps its last value (apk-tools); F and R accumulate. */
TEST(duplicate_fields)
{
	cs_arena a;
	cs_apk_db db;

	cs_arena_init(&a);
	parse_text(&db, &a,
		   "P:first\nV:1\nA:x86\nP:second\nV:2\nA:x86_64\no:one\no:two\nm:M1\nm:\nI:10\nI:20\n"
		   "L:MIT\nL:GPL-2.0-only\nF:etc\nR:a\nF:usr\nR:b\nR:b\n",
		   0);
	CHECK_INT(db.nrecords, 1);
	if (db.nrecords == 1) {
		const cs_apk_record *r = &db.records[0];

		CHECK_STR(r->name, "second");
		CHECK_STR(r->version, "2");
		CHECK_STR(r->arch, "x86_64");
		CHECK_STR(r->origin, "two");
		CHECK_STR(r->source_name, "two");
		CHECK(r->maintainer == NULL); /* the last m: is empty */
		CHECK_INT(r->installed_size, 20);
		CHECK_STR(r->license, "GPL-2.0-only");
		CHECK_INT(r->nfiles, 3);
		if (r->nfiles == 3) {
			CHECK_STR(r->files[0], "etc/a");
			CHECK_STR(r->files[1], "usr/b");
			CHECK_STR(r->files[2], "usr/b");
		}
	}
	cs_arena_release(&a);
}

/* R paths: joined, cleaned, never above the root; R before any F is at the root. */
TEST(file_paths)
{
	cs_arena a;
	cs_apk_db db;

	cs_arena_init(&a);
	parse_text(&db, &a,
		   "P:a\nV:1\nR:top\nF:/usr//lib/\nR:x.so\nR:/abs\nR:sub/./y\nR:../../../../etc/passwd\nR:..\n"
		   "R:\nF:..\nR:z\nF:\nR:root\nF:a/../b\nR:c\nI:12x\n",
		   0);
	CHECK_INT(db.nrecords, 1);
	if (db.nrecords == 1) {
		const cs_apk_record *r = &db.records[0];
		static const char *const want[] = {"top", "usr/lib/x.so", "usr/lib/abs", "usr/lib/sub/y", "root"};
		size_t i;

		CHECK_INT(r->nfiles, CS_ARRAY_LEN(want));
		for (i = 0; i < CS_ARRAY_LEN(want) && i < r->nfiles; i++)
			CHECK_STR(r->files[i], want[i]);
		/* "../../..", "..", "", "../z", "a/../b/c" ("..": cs_path_clean refuses any) */
		CHECK_INT(r->nfiles_dropped, 5);
		CHECK_INT(r->installed_size, 0); /* not a number */
	}
	cs_arena_release(&a);
}

/* NUL bytes: a NUL in a field we read skips its stanza; elsewhere it does not matter. */
TEST(nul_bytes)
{
	static const char text[] = "P:a\0b\nV:1\n\nP:ok\nV:1\nT:x\0y\n\nP:c\nV:2\nD:\0\nU:\0\n\nP:d\nV:1\nR:f\0g\n\n"
				   "\0\nP:e\nV:1\n";
	cs_arena a;
	cs_apk_db db;
	cs_err err;

	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_apk_parse_installed(&db, &a, text, sizeof(text) - 1, &err), 0);
	CHECK_INT(db.nrecords, 2);
	CHECK_INT(db.nskipped, 3);
	CHECK_INT(db.skip_line, 1);
	CHECK_STR(db.skip_reason, "NUL byte in 'P' field");
	CHECK(db_find(&db, "c") && db_find(&db, "e") && db_find(&db, "ok") == NULL);
	check_invariants(&db);
	cs_arena_release(&a);
}

/* Huge lines are read in bounded time and memory; paths past PATH_MAX are dropped. */
TEST(huge_lines)
{
	cs_buf b;
	cs_arena a;
	cs_apk_db db;
	cs_err err;
	size_t i;

	cs_buf_init(&b, 0);
	cs_buf_puts(&b, "P:big\nV:1\nT:");
	for (i = 0; i < 4u << 20; i++)
		cs_buf_putc(&b, 'd');
	cs_buf_puts(&b, "\nF:");
	for (i = 0; i < 5000; i++)
		cs_buf_putc(&b, 'x');
	cs_buf_puts(&b, "\nR:dropped\nF:ok\nR:kept\nL:");
	for (i = 0; i < 100000; i++)
		cs_buf_puts(&b, "MIT AND ");
	cs_buf_puts(&b, "\n\nP:");
	for (i = 0; i < 1u << 20; i++)
		cs_buf_putc(&b, 'n');
	cs_buf_puts(&b, "\nV:1\n");
	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_apk_parse_installed(&db, &a, b.data, b.len, &err), 0);
	CHECK_INT(db.nrecords, 2);
	if (db.nrecords == 2) {
		CHECK_INT(strlen(db.records[0].description), 4u << 20);
		CHECK_INT(db.records[0].nfiles, 1);
		CHECK_INT(db.records[0].nfiles_dropped, 1);
		CHECK_INT(db.records[0].nlicenses, 100000);
		CHECK_INT(strlen(db.records[1].name), 1u << 20);
	}
	cs_arena_release(&a);
	cs_buf_release(&b);
}

/*
 * A directory repeated for every "R:x" line: the paths kept are capped in
 * bytes at 16 times the input (plus 1 MiB), the rest dropped and counted.
 */
TEST(path_budget)
{
	cs_buf b;
	cs_arena a;
	cs_apk_db db;
	cs_err err;
	size_t i, bytes = 0;

	cs_buf_init(&b, 0);
	cs_buf_puts(&b, "P:p\nV:1\nF:");
	for (i = 0; i < 4000; i++)
		cs_buf_putc(&b, 'd');
	cs_buf_putc(&b, '\n');
	for (i = 0; i < 200000; i++)
		cs_buf_puts(&b, "R:x\n");
	cs_arena_init(&a);
	cs_err_clear(&err);
	CHECK_INT(cs_apk_parse_installed(&db, &a, b.data, b.len, &err), 0);
	CHECK_INT(db.nrecords, 1);
	if (db.nrecords == 1) {
		for (i = 0; i < db.records[0].nfiles; i++)
			bytes += strlen(db.records[0].files[i]) + 1;
		CHECK(bytes <= b.len * 16 + (1u << 20));
		CHECK(db.records[0].nfiles > 1000);
		CHECK_INT(db.records[0].nfiles + db.records[0].nfiles_dropped, 200000);
	}
	cs_arena_release(&a);
	cs_buf_release(&b);
}

/* Seeded random damage to a real database: never a crash, always the invariants. */
TEST(random_damage)
{
	size_t len, round;
	char *text = cf_read_shared(APK_DATA "/trivy/apk", &len);
	uint8_t noise[64];

	if (!text)
		return;
	for (round = 0; round < 2000; round++) {
		char *copy = malloc(len);
		cs_arena a;
		cs_apk_db db;
		cs_err err;
		size_t k;

		memcpy(copy, text, len);
		fill_random(noise, sizeof(noise), round + 1);
		for (k = 0; k + 4 <= sizeof(noise); k += 4) {
			size_t at = ((size_t)noise[k] << 16 | (size_t)noise[k + 1] << 8 | noise[k + 2]) % len;
			static const char bytes[] = {'\0', '\n', '\r', ':', '/', '.', ' ', 'P', 'V', 'F', 'R', '('};

			copy[at] = bytes[noise[k + 3] % sizeof(bytes)];
		}
		cs_arena_init(&a);
		cs_err_clear(&err);
		cs_apk_parse_installed(&db, &a, copy, len, &err);
		check_invariants(&db);
		cs_arena_release(&a);
		free(copy);
	}
	free(text);
}

/* --- licenses ----------------------------------------------------------------- */

TEST(licenses)
{
	static const struct {
		const char *in;
		const char *out[4];
	} cases[] = {
		{"MIT", {"MIT"}},
		{"MIT BSD GPL2+", {"MIT", "BSD", "GPL2+"}},
		{"( Apache-2.0 OR MIT ) AND MPL-2.0", {"Apache-2.0", "MIT", "MPL-2.0"}},
		{"(MIT OR Apache-2.0)", {"MIT", "Apache-2.0"}},
		{"MPL 2.0 GPL2", {"MPL-2.0", "GPL2"}},
		{"MPL 2.0 2.0", {"MPL-2.0", "2.0"}},
		{"GPL-2.0-or-later WITH Classpath-exception-2.0 AND MIT",
		 {"GPL-2.0-or-later WITH Classpath-exception-2.0", "MIT"}},
		{"a WITH b WITH c", {"a WITH b", "c"}},
		{"2.0", {"2.0"}},
		{"  \t ", {NULL}},
		{"()", {NULL}},
		{"AND OR", {NULL}},
	};
	size_t i, j;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_arena a;
		const char **ids;
		size_t n, want = 0;

		cs_arena_init(&a);
		while (want < 4 && cases[i].out[want])
			want++;
		CHECK_INT(cs_apk_split_license(&ids, &n, &a, cases[i].in), 0);
		if (n != want) {
			fprintf(stderr, "  '%s': %zu ids, expected %zu\n", cases[i].in, n, want);
			test_failures++;
		}
		for (j = 0; j < n && j < want; j++)
			CHECK_STR(ids[j], cases[i].out[j]);
		cs_arena_release(&a);
	}
}

/* --- purls -------------------------------------------------------------------- */

TEST(purl_apk)
{
	static const cs_os alpine = {"alpine", "3.11.5", "Alpine Linux v3.11", NULL, "etc/os-release", 0};
	static const cs_os wolfi = {"wolfi", "20230201", "Wolfi", NULL, "etc/os-release", 0};
	static const cs_os chainguard = {"chainguard", "20230214", "Chainguard", NULL, "etc/os-release", 0};
	static const cs_os noversion = {"alpine", NULL, NULL, NULL, "etc/os-release", 0};
	static const struct {
		const char *text;
		const cs_os *os;
		const char *purl;
	} cases[] = {
		{"P:musl\nV:1.1.24-r2\nA:x86_64\no:musl\n", &alpine, "pkg:apk/alpine/musl@1.1.24-r2?arch=x86_64&distro=3.11.5"},
		{"P:libcrypto1.1\nV:1.1.1d-r3\nA:x86_64\no:openssl\n", &alpine,
		 "pkg:apk/alpine/libcrypto1.1@1.1.1d-r3?arch=x86_64&distro=3.11.5&upstream=openssl"},
		{"P:glibc\nV:2.37-r0\nA:aarch64\n", &wolfi, "pkg:apk/wolfi/glibc@2.37-r0?arch=aarch64&distro=20230201"},
		{"P:ca-certificates-bundle\nV:20230506-r0\nA:x86_64\no:ca-certificates\n", &chainguard,
		 "pkg:apk/chainguard/ca-certificates-bundle@20230506-r0?arch=x86_64&distro=20230214&upstream=ca-certificates"},
		{"P:musl\nV:1.2.4-r0\nA:x86_64\n", &noversion, "pkg:apk/alpine/musl@1.2.4-r0?arch=x86_64"},
		/* No OS: the apk type requires a namespace; "alpine" as osv-scalibr does. */
		{"P:musl\nV:1.2.4-r0\n", NULL, "pkg:apk/alpine/musl@1.2.4-r0"},
		/* Lower-cased name (apk names are case-insensitive in the purl type), '+' encoded. */
		{"P:Py3-Foo\nV:1.0_p1+git-r0\nA:x86_64\no:Py3-Foo\n", &alpine,
		 "pkg:apk/alpine/py3-foo@1.0_p1%2Bgit-r0?arch=x86_64&distro=3.11.5"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_arena a;
		cs_apk_db db;
		cs_err err;
		char *purl = NULL;

		cs_arena_init(&a);
		cs_err_clear(&err);
		parse_text(&db, &a, cases[i].text, 0);
		CHECK_INT(db.nrecords, 1);
		if (db.nrecords) {
			CHECK_INT(cs_apk_purl(&purl, &a, &db.records[0], cases[i].os, &err), 0);
			CHECK_STR(purl, cases[i].purl);
		}
		cs_arena_release(&a);
	}
}

/* --- the layer rule ---------------------------------------------------------- */

TEST(layers_first)
{
	cs_arena a;
	cs_apk_db l0, l1, l2, probe;
	cs_apk_layers ix;

	cs_arena_init(&a);
	/* Layer 0 installs a 1 and b 1; layer 1 upgrades b and adds c; layer 2 adds d. */
	parse_text(&l0, &a, "P:a\nV:1\n\nP:b\nV:1\n", 0);
	parse_text(&l1, &a, "P:a\nV:1\n\nP:b\nV:2\n\nP:c\nV:1\n", 0);
	parse_text(&l2, &a, "P:a\nV:1\nA:other\n\nP:b\nV:2\n\nP:c\nV:1\n\nP:d\nV:1\n", 0);
	cs_apk_layers_init(&ix);
	/* Any order: the lowest index wins. */
	CHECK_INT(cs_apk_layers_add(&ix, &l2, 2), 0);
	CHECK_INT(cs_apk_layers_add(&ix, &l0, 0), 0);
	CHECK_INT(cs_apk_layers_add(&ix, &l1, 1), 0);
	CHECK_INT(cs_apk_layers_first(&ix, db_find(&l2, "a")), 0); /* the arch does not count */
	CHECK_INT(cs_apk_layers_first(&ix, db_find(&l2, "b")), 1);
	CHECK_INT(cs_apk_layers_first(&ix, db_find(&l2, "c")), 1);
	CHECK_INT(cs_apk_layers_first(&ix, db_find(&l2, "d")), 2);
	parse_text(&probe, &a, "P:b\nV:3\n", 0);
	CHECK_INT(cs_apk_layers_first(&ix, &probe.records[0]), -1);
	cs_apk_layers_release(&ix);
	cs_arena_release(&a);
}

TEST(wants)
{
	static const cf_wants_case cases[] = {
		{"lib/apk/db/installed", S_IFREG | 0644, true},
		{"usr/lib/apk/db/installed", S_IFREG | 0644, true},
		{"lib/apk/db/installed", S_IFLNK | 0777, false},
		{"lib/apk/db/installed", S_IFDIR | 0755, false},
		{"lib/apk/db/installed.new", S_IFREG | 0644, false},
		{"lib/apk/db/installed/x", S_IFREG | 0644, false},
		{"foo/lib/apk/db/installed", S_IFREG | 0644, false},
		{"lib/apk/db/scripts.tar", S_IFREG | 0644, false},
		{"etc/apk/world", S_IFREG | 0644, false},
	};

	CHECK_STR(cs_analyzer_apk.name, "apk");
	CHECK_INT(cs_analyzer_apk.scanners, 0);
	CHECK_INT(cs_analyzer_apk.max_size, 0);
	CHECK(cs_analyzer_apk.parse != NULL && cs_analyzer_apk.finish != NULL);
	cf_check_wants(&cs_analyzer_apk, cases, CS_ARRAY_LEN(cases));
}

/* --- whole scans of built images ------------------------------------------------ */

/* A usr-merged Wolfi root: lib -> usr/lib, the database under usr/lib only. */
TEST(scan_usrmerge_rootfs)
{
	char root[256], link[4096];
	cs_scan *s;
	const cs_package *p;

	if (!cf_tmpdir(root, sizeof(root), "apk"))
		return;
	cf_put(root, "etc/os-release", "ID=wolfi\nVERSION_ID=20230201\nNAME=\"Wolfi\"\n");
	cf_put(root, "usr/lib/apk/db/installed",
		   "C:Q1abc=\nP:glibc\nV:2.38-r1\nA:x86_64\no:glibc\nI:4096\nm:Wolfi <w@example.com>\n"
		   "F:usr/lib\nR:libc.so.6\n\n"
		   "P:ld-linux\nV:2.38-r1\nA:x86_64\no:glibc\nF:usr/lib\nR:ld-linux-x86-64.so.2\n");
	snprintf(link, sizeof(link), "%s/lib", root);
	CHECK(symlink("usr/lib", link) == 0);
	s = cf_scan(root, true, 1);
	if (s) {
		CHECK_INT(cs_scan_package_count(s), 2);
		CHECK_INT(cs_scan_error_count(s), 0);
		p = cf_scan_find(s, NULL, NULL, "ld-linux");
		CHECK(p != NULL);
		if (p) {
			CHECK_STR(p->found_in, "usr/lib/apk/db/installed");
			CHECK_STR(p->source_name, "glibc");
			CHECK_STR(p->purl, "pkg:apk/wolfi/ld-linux@2.38-r1?arch=x86_64&distro=20230201&upstream=glibc");
			CHECK_INT(p->nfiles, 1);
			CHECK_STR(p->files[0], "usr/lib/ld-linux-x86-64.so.2");
		}
		p = cf_scan_find(s, NULL, NULL, "glibc");
		CHECK(p && p->installed_size == 4096 && cf_str_eq(p->maintainer, "Wolfi <w@example.com>"));
		cs_scan_free(s);
	}
	rm_tree(root);
}

/* A root whose only database is broken: an error of the scan, no package. */
TEST(scan_broken_rootfs)
{
	char root[256];
	cs_scan *s;

	if (!cf_tmpdir(root, sizeof(root), "apk"))
		return;
	cf_put(root, "etc/alpine-release", "3.19.1\n");
	cf_put(root, "lib/apk/db/installed", "this is not an apk database\n");
	/* Prints "customs: error: cannot read apk database 'lib/apk/db/installed'...", as it should. */
	s = cf_scan(root, true, 1);
	if (s) {
		CHECK_INT(cs_scan_package_count(s), 0);
		CHECK_INT(cs_scan_error_count(s), 1);
		cs_scan_free(s);
	}
	rm_tree(root);
}

#define OSREL_ALPINE "ID=alpine\nVERSION_ID=3.19.1\nNAME=\"Alpine Linux\"\n"
#define PKG_MUSL_R2 "P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n"
#define PKG_MUSL_R5 "P:musl\nV:1.2.4_git20230717-r5\nA:x86_64\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n"
#define PKG_BUSYBOX "P:busybox\nV:1.36.1-r15\nA:x86_64\nF:bin\nR:busybox\n\n"
#define PKG_ZLIB "P:zlib\nV:1.3.1-r0\nA:x86_64\nF:lib\nR:libz.so.1\n\n"
#define PKG_CURL "P:curl\nV:8.5.0-r0\nA:x86_64\nF:usr/bin\nR:curl\n\n"

/*
 * Three layers that each rewrite the database: every package keeps the
 * lowest layer listing its name and version, an upgrade moves it up.
 */
TEST(scan_layers)
{
	static const cf_entry l0[] = {
		CF_TEXT("etc/os-release", OSREL_ALPINE),
		CF_TEXT("lib/apk/db/installed", PKG_MUSL_R2 PKG_BUSYBOX),
		CF_END,
	};
	static const cf_entry l1[] = {
		CF_TEXT("lib/apk/db/installed", PKG_MUSL_R2 PKG_BUSYBOX PKG_ZLIB),
		CF_TEXT("lib/libz.so.1", "z"),
		CF_END,
	};
	static const cf_entry l2[] = {
		CF_TEXT("lib/apk/db/installed", PKG_MUSL_R5 PKG_BUSYBOX PKG_ZLIB PKG_CURL),
		CF_TEXT("usr/bin/curl", "c"),
		CF_END,
	};
	const cf_entry *const layers[] = {l0, l1, l2};
	const cs_package *p;
	cs_scan *s = cf_scan_layers("apk", layers, 3, 1);

	if (s) {
		CHECK_INT(cs_scan_layer_count(s), 3);
		CHECK_INT(cs_scan_package_count(s), 4);
		CHECK_INT(cs_scan_diag_count(s), 0);
		p = cf_scan_find(s, NULL, NULL, "busybox");
		CHECK(p && p->layer == 0);
		p = cf_scan_find(s, NULL, NULL, "zlib");
		CHECK(p && p->layer == 1);
		p = cf_scan_find(s, NULL, NULL, "musl");
		CHECK(p && p->layer == 2 && cf_str_eq(p->version, "1.2.4_git20230717-r5"));
		if (p)
			CHECK_STR(p->purl, "pkg:apk/alpine/musl@1.2.4_git20230717-r5?arch=x86_64&distro=3.19.1");
		p = cf_scan_find(s, NULL, NULL, "curl");
		CHECK(p && p->layer == 2 && cf_str_eq(p->found_in, "lib/apk/db/installed"));
		cs_scan_free(s);
	}
}

/* A later layer deletes the database (whiteout): nothing is installed any more. */
TEST(scan_deleted_db)
{
	static const cf_entry l0[] = {
		CF_TEXT("etc/os-release", OSREL_ALPINE),
		CF_TEXT("lib/apk/db/installed", PKG_BUSYBOX),
		CF_END,
	};
	static const cf_entry l1[] = {CF_TEXT("lib/apk/db/.wh.installed", ""), CF_END};
	/* And one where a broken copy replaces a good one: the final copy counts. */
	static const cf_entry l1b[] = {CF_TEXT("lib/apk/db/installed", "garbage\n"), CF_END};
	const cf_entry *const deleted[] = {l0, l1}, *const broken[] = {l0, l1b};
	cs_scan *s;

	if ((s = cf_scan_layers("apk", deleted, 2, 1)) != NULL) {
		CHECK_INT(cs_scan_package_count(s), 0);
		CHECK_INT(cs_scan_error_count(s), 0);
		cs_scan_free(s);
	}
	if ((s = cf_scan_layers("apk", broken, 2, 1)) != NULL) {
		CHECK_INT(cs_scan_package_count(s), 0);
		CHECK_INT(cs_scan_error_count(s), 1);
		cs_scan_free(s);
	}
}

/* --- the fuzz corpus ---------------------------------------------------------- */

/* tests/fuzz/corpus/apk replayed through the parser, every truncation included. */
TEST(fuzz_corpus)
{
	CHECK(cf_corpus("apk", no_crash_seed, NULL) > 0);
}

TEST_MAIN(TEST_ENTRY(trivy_oracle), TEST_ENTRY(osv_scalibr), TEST_ENTRY(syft), TEST_ENTRY(image_alpine311),
	  TEST_ENTRY(image_alpine310), TEST_ENTRY(truncated_everywhere), TEST_ENTRY(line_ends),
	  TEST_ENTRY(skipped_stanzas), TEST_ENTRY(duplicate_fields), TEST_ENTRY(file_paths), TEST_ENTRY(nul_bytes),
	  TEST_ENTRY(huge_lines), TEST_ENTRY(path_budget), TEST_ENTRY(random_damage), TEST_ENTRY(licenses),
	  TEST_ENTRY(purl_apk), TEST_ENTRY(layers_first), TEST_ENTRY(wants), TEST_ENTRY(scan_usrmerge_rootfs),
	  TEST_ENTRY(scan_broken_rootfs), TEST_ENTRY(scan_layers), TEST_ENTRY(scan_deleted_db),
	  TEST_ENTRY(fuzz_corpus))
