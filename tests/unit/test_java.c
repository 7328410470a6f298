/*
 * test_java.c - the java cataloger and the zip reader against Trivy, syft,
 * Debian's own jars, and archives built here to be hostile.
 *
 * Oracles first:
 *
 *  - trivy_jar: every case of Trivy's jar parser test
 *    (test-data/lang/trivy/java/jar/expected.trivy.json) whose input is
 *    staged: name, version, licenses and FilePath exactly (FilePath's
 *    nested '/' is our '!'). Two cases cannot be reproduced without Trivy's
 *    Java DB (its client is a mock that answers a SHA-1 and an artifactId
 *    search): "sha1 search" (test.jar as org.springframework:spring-core)
 *    is Trivy's online answer for the jar whose offline answer, case
 *    "offline", we give; "artifactId search" (heuristic-1.0.0-SNAPSHOT.jar,
 *    groupId com.example found by artifactId) has no groupId anywhere in
 *    the jar, so we report nothing, as Trivy offline does. The war cases
 *    and gizmo's jar were not staged (compiled classes).
 *  - syft_jar: the metadata-only jars of syft's testdata/jar-metadata,
 *    zipped here as syft's Makefile zips them, against the packages
 *    syft's archive_parser_test.go expects (Test_parseJavaArchive_regressions,
 *    Test_deterministicMatchingPomProperties): name and version, purl.
 *    syft's commons-lang3-3.12.0 fixture (no pom.properties, an empty
 *    manifest, a pom.xml at a path that names no groupId) is only checked
 *    not to panic there; syft would report commons-lang3 3.12.0 without a
 *    groupId, we report nothing (no groupId, no Maven coordinate).
 *  - syft_pom_properties: syft's five pom.properties fixtures, values as
 *    its parse_pom_properties_test.go expects.
 *  - debian_commons_lang3: Debian's libcommons-lang3-java
 *    (/usr/share/java/commons-lang3.jar) is org.apache.commons:commons-lang3
 *    at the upstream part of `dpkg-query -W -f '${Version}'`; skipped with
 *    a note when the package is not installed.
 *
 * Then the formats rule by rule (manifest, pom.properties, file names,
 * pom.xml licenses), archives built here (nesting, de-duplication, depth,
 * zip bombs by ratio, by entry count and by budget, truncation at every
 * byte, corruption, prepended launch scripts) and a whole scan of a
 * two-layer docker archive.
 */
#include "core/compat.h"
#include "catalog/java.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/zipread.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/sha256.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/testutil.h"

#define TRIVY_JAR "test-data/lang/trivy/java/jar"
#define SYFT_JAR "test-data/lang/syft/java/testdata"
#define DEBIAN_LANG3 "/usr/share/java/commons-lang3.jar"

/* --- helpers ------------------------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static char *read_shared(const char *rel, size_t *len)
{
	char path[4096];
	char *data;

	snprintf(path, sizeof(path), "%s/%s", test_shared(), rel);
	if (!(data = test_read_file(path, len))) {
		fprintf(stderr, "  cannot read fixture '%s'\n", path);
		test_failures++;
	}
	return data;
}

/* Parses data as the archive at path with lim (NULL: defaults); the return code must be want. */
static int parse(cs_langfile *f, cs_arena *a, const char *path, const void *data, size_t len,
		 const cs_java_limits *lim, int want)
{
	cs_err err;
	int rc;

	memset(f, 0, sizeof(*f));
	cs_err_clear(&err);
	rc = cs_java_parse_archive(f, a, path, data, len, lim, &err);
	if (rc != want) {
		fprintf(stderr, "  parse of '%s': %d (%s), expected %d\n", path, rc, err.msg, want);
		test_failures++;
	}
	if (rc < 0 && !err.msg[0]) {
		fprintf(stderr, "  parse of '%s' refused without a message\n", path);
		test_failures++;
	}
	/* Every string a package carries is free of control bytes. */
	for (size_t i = 0; i < f->npkgs; i++) {
		const cs_langpkg *p = &f->pkgs[i];
		const char *s[] = {p->name, p->version, p->purl, p->location};

		for (size_t k = 0; k < CS_ARRAY_LEN(s); k++)
			for (const char *c = s[k]; c && *c; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f) {
					fprintf(stderr, "  '%s': control byte in package %zu\n", path, i);
					test_failures++;
				}
	}
	return rc;
}

/* The package of f named name (and version, unless NULL), or NULL. */
static const cs_langpkg *find(const cs_langfile *f, const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < f->npkgs; i++)
		if (str_eq(f->pkgs[i].name, name) && (!version || str_eq(f->pkgs[i].version, version)))
			return &f->pkgs[i];
	return NULL;
}

static void check_pkg(const char *label, const cs_langfile *f, const char *name, const char *version,
		      const char *purl, const char *location)
{
	const cs_langpkg *p = find(f, name, version);

	if (!p) {
		fprintf(stderr, "  %s: no package %s@%s\n", label, name, version);
		test_failures++;
		return;
	}
	if (purl && !str_eq(p->purl, purl)) {
		fprintf(stderr, "  %s: %s purl \"%s\", expected \"%s\"\n", label, name, p->purl, purl);
		test_failures++;
	}
	if (!str_eq(p->location, location)) {
		fprintf(stderr, "  %s: %s location \"%s\", expected \"%s\"\n", label, name, p->location ? p->location : "",
			location ? location : "");
		test_failures++;
	}
}

/* --- zips built here (libarchive's writer) ------------------------------------------- */

typedef struct zipb {
	struct archive *a;
	cs_buf out;
	bool failed;
} zipb;

static la_ssize_t zb_write_cb(struct archive *a, void *payload, const void *p, size_t n)
{
	zipb *z = payload;

	CS_UNUSED(a);
	if (cs_buf_append(&z->out, p, n) < 0)
		return -1;
	return (la_ssize_t)n;
}

static void zb_open(zipb *z)
{
	memset(z, 0, sizeof(*z));
	cs_buf_init(&z->out, 0);
	z->a = archive_write_new();
	archive_write_set_format_zip(z->a);
	archive_write_set_bytes_in_last_block(z->a, 1);
	if (archive_write_open2(z->a, z, NULL, zb_write_cb, NULL, NULL) != ARCHIVE_OK)
		z->failed = true;
}

/* One file entry; stored (not deflated) when store is true. */
static void zb_add(zipb *z, const char *path, const void *data, size_t n, bool store)
{
	struct archive_entry *e = archive_entry_new();

	if (store)
		archive_write_zip_set_compression_store(z->a);
	else
		archive_write_zip_set_compression_deflate(z->a);
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (archive_write_header(z->a, e) != ARCHIVE_OK) {
		fprintf(stderr, "  zip writer: %s: %s\n", path, archive_error_string(z->a));
		z->failed = true;
	}
	if (n && archive_write_data(z->a, data, n) != (la_ssize_t)n)
		z->failed = true;
	archive_entry_free(e);
}

static void zb_text(zipb *z, const char *path, const char *text)
{
	zb_add(z, path, text, strlen(text), false);
}

static void zb_dir(zipb *z, const char *path)
{
	struct archive_entry *e = archive_entry_new();

	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFDIR);
	archive_entry_set_perm(e, 0755);
	archive_entry_set_mtime(e, 1700000000, 0);
	if (archive_write_header(z->a, e) != ARCHIVE_OK)
		z->failed = true;
	archive_entry_free(e);
}

/* A pom.properties for g:a:v at META-INF/maven/g/a/. */
static void zb_pom(zipb *z, const char *g, const char *a, const char *v)
{
	char path[512], text[512];

	snprintf(path, sizeof(path), "META-INF/maven/%s/%s/pom.properties", g, a);
	snprintf(text, sizeof(text), "#Generated by Maven\ngroupId=%s\nartifactId=%s\nversion=%s\n", g, a, v);
	zb_text(z, path, text);
}

/* Finishes the zip: malloc'd bytes in *n, or NULL (a CHECK fails). */
static uint8_t *zb_close(zipb *z, size_t *n)
{
	char *p;

	if (archive_write_close(z->a) != ARCHIVE_OK)
		z->failed = true;
	archive_write_free(z->a);
	if (z->failed) {
		cs_buf_release(&z->out);
		CHECK(!"zip writer failed");
		return NULL;
	}
	p = cs_buf_detach(&z->out, n);
	return (uint8_t *)p;
}

/* A jar with one pom.properties (and a class file, for size). */
static uint8_t *jar_one(const char *g, const char *a, const char *v, size_t *n)
{
	zipb z;

	zb_open(&z);
	zb_text(&z, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nCreated-By: test\r\n\r\n");
	zb_pom(&z, g, a, v);
	zb_text(&z, "x/Y.class", "\xca\xfe\xba\xbe not really");
	return zb_close(&z, n);
}

/* --- Trivy ------------------------------------------------------------------------------ */

/* Trivy's FilePath "testdata/x.jar/META-INF/jars/y.jar" as our location "META-INF/jars/y.jar" (NULL: none). */
static const char *trivy_location(char *buf, size_t bufsz, const char *input, const char *file_path)
{
	size_t n = strlen(input), i;

	if (strcmp(file_path, input) == 0)
		return NULL;
	if (strncmp(file_path, input, n) != 0 || file_path[n] != '/')
		return "?";
	snprintf(buf, bufsz, "%s", file_path + n + 1);
	/* Deeper levels: ".../nested2.jar/META-INF/..." -> "...nested2.jar!META-INF/...". */
	for (i = 4; buf[i]; i++)
		if (buf[i] == '/' && (strncmp(buf + i - 4, ".jar", 4) == 0 || strncmp(buf + i - 4, ".war", 4) == 0 ||
				      strncmp(buf + i - 4, ".ear", 4) == 0))
			buf[i] = '!';
	return buf;
}

TEST(trivy_jar)
{
	size_t len, ncases = 0, nran = 0;
	char *json = read_shared(TRIVY_JAR "/expected.trivy.json", &len);
	const cJSON *c, *cases;
	cJSON *root;
	cs_err err;

	if (!json)
		return;
	cs_err_clear(&err);
	root = cs_json_parse(json, len, "expected.trivy.json", &err);
	CHECK(root != NULL);
	cases = root ? cs_json_arr(root, "cases") : NULL;
	cJSON_ArrayForEach(c, cases)
	{
		const char *name = cs_json_str(c, "case"), *input = cs_json_str(c, "input");
		const cJSON *want = cs_json_arr(c, "packages"), *w;
		char rel[512], loc[512];
		size_t dlen, nwant = 0;
		char *data;
		cs_langfile f;
		cs_arena a;

		ncases++;
		/* Online answers of Trivy's Java DB mock: see the file comment. */
		if (str_eq(name, "sha1 search") || str_eq(name, "artifactId search"))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s/%s", test_shared(), TRIVY_JAR, input);
		if (access(rel, R_OK) != 0)
			continue; /* not staged: the wars and gizmo's jar hold compiled classes */
		snprintf(rel, sizeof(rel), "%s/%s", TRIVY_JAR, input);
		if (!(data = read_shared(rel, &dlen)))
			continue;
		nran++;
		cs_arena_init(&a);
		parse(&f, &a, input, data, dlen, NULL, 0);
		CHECK_INT(f.nbad, 0);
		cJSON_ArrayForEach(w, want)
		{
			const char *wn = cs_json_str(w, "Name"), *wv = cs_json_str(w, "Version");
			const cs_langpkg *p = find(&f, wn, wv);
			const cJSON *lic = cs_json_arr(w, "Licenses"), *l;
			size_t k = 0;

			nwant++;
			if (!p) {
				fprintf(stderr, "  trivy case '%s': no package %s@%s\n", name, wn, wv);
				test_failures++;
				continue;
			}
			if (!str_eq(p->location, trivy_location(loc, sizeof(loc), input, cs_json_str(w, "FilePath")))) {
				fprintf(stderr, "  trivy case '%s': %s at \"%s\", expected FilePath %s\n", name, wn,
					p->location ? p->location : "", cs_json_str(w, "FilePath"));
				test_failures++;
			}
			cJSON_ArrayForEach(l, lic)
			{
				if (k >= p->nlicenses || !str_eq(p->licenses[k], cJSON_GetStringValue(l))) {
					fprintf(stderr, "  trivy case '%s': %s license %zu is \"%s\", expected \"%s\"\n", name,
						wn, k, k < p->nlicenses ? p->licenses[k] : "(none)", cJSON_GetStringValue(l));
					test_failures++;
				}
				k++;
			}
			CHECK_INT(p->nlicenses, k);
		}
		if (f.npkgs != nwant) {
			fprintf(stderr, "  trivy case '%s': %zu packages, expected %zu\n", name, f.npkgs, nwant);
			test_failures++;
		}
		cs_arena_release(&a);
		free(data);
	}
	CHECK_INT(ncases, 10);
	CHECK_INT(nran, 5); /* nested jars, offline, fat jar, multiple packed license files, jenkins plugin */
	cJSON_Delete(root);
	free(json);
}

/* The two cases we answer differently, pinned so a change is noticed. */
TEST(trivy_online_cases)
{
	size_t len;
	char *data = read_shared(TRIVY_JAR "/testdata/heuristic-1.0.0-SNAPSHOT.jar", &len);
	cs_langfile f;
	cs_arena a;

	if (!data)
		return;
	cs_arena_init(&a);
	/* An empty manifest and no pom.properties: the name gives artifactId and version, nothing a groupId. */
	parse(&f, &a, "heuristic-1.0.0-SNAPSHOT.jar", data, len, NULL, 0);
	CHECK_INT(f.npkgs, 0);
	CHECK_INT(f.nbad, 0);
	free(data);
	data = read_shared(TRIVY_JAR "/testdata/test.jar", &len);
	if (data) {
		/* Trivy online: org.springframework:spring-core 5.3.3 by SHA-1; offline (and we): the manifest. */
		parse(&f, &a, "test.jar", data, len, NULL, 0);
		CHECK_INT(f.npkgs, 1);
		check_pkg("test.jar", &f, "org.springframework:Spring Framework", "2.5.6.SEC03",
			  "pkg:maven/org.springframework/Spring%20Framework@2.5.6.SEC03", NULL);
		free(data);
	}
	cs_arena_release(&a);
}

/* --- syft ------------------------------------------------------------------------------- */

/* Adds every regular file under dir (relative names below prefix) to z, sorted. */
static void zb_tree(zipb *z, const char *dir, const char *prefix)
{
	struct dirent **list;
	int n, i;

	if ((n = scandir(dir, &list, NULL, alphasort)) < 0) {
		fprintf(stderr, "  cannot list '%s'\n", dir);
		test_failures++;
		return;
	}
	for (i = 0; i < n; i++) {
		char path[4096], name[4096];
		struct stat st;

		if (list[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
			snprintf(name, sizeof(name), "%s%s%s", prefix, *prefix ? "/" : "", list[i]->d_name);
			if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
				char d[4100];

				snprintf(d, sizeof(d), "%s/", name);
				zb_dir(z, d);
				zb_tree(z, path, name);
			} else {
				size_t len;
				char *data = test_read_file(path, &len);

				CHECK(data != NULL);
				if (data)
					zb_add(z, name, data, len, false);
				free(data);
			}
		}
		free(list[i]);
	}
	free(list);
}

/* syft's fixture directory zipped (as its Makefile's `zip -r`) and parsed as jar_name. */
static void syft_parse(cs_langfile *f, cs_arena *a, const char *fixture, const char *jar_name)
{
	char dir[4096];
	uint8_t *jar;
	size_t n;
	zipb z;

	snprintf(dir, sizeof(dir), "%s/%s/jar-metadata/%s", test_shared(), SYFT_JAR, fixture);
	zb_open(&z);
	zb_tree(&z, dir, "");
	memset(f, 0, sizeof(*f));
	if (!(jar = zb_close(&z, &n)))
		return;
	parse(f, a, jar_name, jar, n, NULL, 0);
	CHECK_INT(f->nbad, 0);
	free(jar);
}

TEST(syft_jar)
{
	cs_langfile f;
	cs_arena a;

	cs_arena_init(&a);
	/* duplicate jar regression (syft issue 2130): no pom.properties, a pom.xml, the manifest. */
	syft_parse(&f, &a, "jackson-core-2.15.2", "jackson-core-2.15.2.jar");
	CHECK_INT(f.npkgs, 1);
	check_pkg("jackson-core", &f, "com.fasterxml.jackson.core:jackson-core", "2.15.2",
		  "pkg:maven/com.fasterxml.jackson.core/jackson-core@2.15.2", NULL);
	/* syft keeps Bundle-License as written (the URL); Trivy and we give its SPDX id. */
	if (f.npkgs == 1)
		CHECK(f.pkgs[0].nlicenses == 1 && str_eq(f.pkgs[0].licenses[0], "Apache-2.0"));
	syft_parse(&f, &a, "com.fasterxml.jackson.core.jackson-core-2.15.2",
		   "com.fasterxml.jackson.core.jackson-core-2.15.2.jar");
	CHECK_INT(f.npkgs, 1);
	check_pkg("sbt jackson-core", &f, "com.fasterxml.jackson.core:jackson-core", "2.15.2",
		  "pkg:maven/com.fasterxml.jackson.core/jackson-core@2.15.2", NULL);
	/* multiple pom for parent selection regression (syft PR 2231). */
	syft_parse(&f, &a, "api-all-2.0.0-sources", "api-all-2.0.0-sources.jar");
	CHECK_INT(f.npkgs, 2);
	check_pkg("api-all", &f, "org.apache.directory.api:api-all", "2.0.0",
		  "pkg:maven/org.apache.directory.api/api-all@2.0.0", NULL);
	check_pkg("api-all", &f, "org.apache.directory.api:api-asn1-api", "2.0.0",
		  "pkg:maven/org.apache.directory.api/api-asn1-api@2.0.0", NULL);
	/* Weave-Classes: a New Relic instrumentation module, not spring. */
	syft_parse(&f, &a, "spring-instrumentation-4.3.0-1.0", "spring-instrumentation-4.3.0-1.0.jar");
	CHECK_INT(f.npkgs, 0);
	/* A Jenkins plugin known by its manifest alone. */
	syft_parse(&f, &a, "jenkins-plugins/gradle/2.11", "gradle.hpi");
	CHECK_INT(f.npkgs, 1);
	check_pkg("gradle.hpi", &f, "org.jenkins-ci.plugins:gradle", "2.11", "pkg:maven/org.jenkins-ci.plugins/gradle@2.11",
		  NULL);
	syft_parse(&f, &a, "micronaut-aop-4.9.11", "micronaut-aop-4.9.11.jar");
	CHECK_INT(f.npkgs, 1);
	check_pkg("micronaut", &f, "io.micronaut:micronaut-aop", "4.9.11", "pkg:maven/io.micronaut/micronaut-aop@4.9.11",
		  NULL);
	/* Test_deterministicMatchingPomProperties: the main package among several pom.properties. */
	syft_parse(&f, &a, "multiple-matching-2.11.5", "multiple-matching-2.11.5.jar");
	CHECK_INT(f.npkgs, 3);
	check_pkg("multiple-matching", &f, "org.multiple:multiple-matching-1", "2.11.5", NULL, NULL);
	check_pkg("multiple-matching", &f, "org.multiple:multiple-matching-2", "2.11.5", NULL, NULL);
	check_pkg("multiple-matching", &f, "org.multiple:multiple-matching-3", "2.11.5", NULL, NULL);
	syft_parse(&f, &a, "org.multiple-thename", "org.multiple-thename.jar");
	CHECK_INT(f.npkgs, 2);
	check_pkg("thename", &f, "org.multiple:thename", "10.11.12", "pkg:maven/org.multiple/thename@10.11.12", NULL);
	check_pkg("thename", &f, "com.multiple:thename", "10.11.12", NULL, NULL);
	/* Its manifest's individual section names opensaml-core too: only the main section counts. */
	syft_parse(&f, &a, "opensaml-core-3.4.6", "opensaml-core-3.4.6.jar");
	CHECK_INT(f.npkgs, 1);
	check_pkg("opensaml", &f, "org.opensaml:opensaml-core", "3.4.6", "pkg:maven/org.opensaml/opensaml-core@3.4.6", NULL);
	/* No groupId anywhere: see the file comment. */
	syft_parse(&f, &a, "commons-lang3-3.12.0", "commons-lang3-3.12.0.jar");
	CHECK_INT(f.npkgs, 0);
	cs_arena_release(&a);
}

TEST(syft_pom_properties)
{
	static const struct {
		const char *file, *g, *a, *v;
	} cases[] = {
		{"small.pom.properties", "org.anchore", "example-java-app-maven", "0.1.0"},
		{"extra.pom.properties", "org.anchore", "example-java-app-maven", "0.1.0"},
		{"colon-delimited.pom.properties", "org.anchore", "example-java-app-maven", "0.1.0"},
		{"equals-delimited-with-colons.pom.properties", "org.anchore", "example-java:app-maven", "0.1.0:something"},
		{"colon-delimited-with-equals.pom.properties", "org.anchore", "example-java=app-maven", "0.1.0=something"},
	};
	cs_arena a;
	size_t i;

	cs_arena_init(&a);
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char rel[256];
		size_t len;
		char *data;
		cs_java_gav g;
		cs_err err;

		snprintf(rel, sizeof(rel), "%s/pom/%s", SYFT_JAR, cases[i].file);
		if (!(data = read_shared(rel, &len)))
			continue;
		cs_err_clear(&err);
		CHECK_INT(cs_java_parse_pom_properties(&g, &a, data, len, &err), 0);
		CHECK_STR(g.group_id, cases[i].g);
		CHECK_STR(g.artifact_id, cases[i].a);
		CHECK_STR(g.version, cases[i].v);
		free(data);
	}
	cs_arena_release(&a);
}

/* --- Debian ------------------------------------------------------------------------------ */

/* Runs a command; its first line of output (malloc'd) or NULL. */
static char *run_line(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	char buf[256];
	char *out = NULL;

	if (!p)
		return NULL;
	if (fgets(buf, sizeof(buf), p)) {
		buf[strcspn(buf, "\n")] = '\0';
		out = strdup(buf);
	}
	if (pclose(p) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

TEST(debian_commons_lang3)
{
	char *version, *upstream, *cut;
	size_t len;
	char *data;
	cs_langfile f;
	cs_arena a;

	if (access(DEBIAN_LANG3, R_OK) != 0 ||
	    !(version = run_line("dpkg-query -W -f '${Version}' libcommons-lang3-java 2>/dev/null"))) {
		fprintf(stderr, "  note: %s not installed (apt-get install libcommons-lang3-java): skipped\n", DEBIAN_LANG3);
		return;
	}
	/* Debian's "3.12.0-2+deb12u1": no epoch, the upstream part before the last '-'. */
	upstream = strchr(version, ':') ? strchr(version, ':') + 1 : version;
	if ((cut = strrchr(upstream, '-')) != NULL)
		*cut = '\0';
	data = test_read_file(DEBIAN_LANG3, &len);
	CHECK(data != NULL);
	cs_arena_init(&a);
	if (data) {
		parse(&f, &a, DEBIAN_LANG3 + 1, data, len, NULL, 0);
		CHECK_INT(f.npkgs, 1);
		CHECK_INT(f.nbad, 0);
		check_pkg("debian", &f, "org.apache.commons:commons-lang3", upstream, NULL, NULL);
		if (f.npkgs == 1) {
			char want[128];

			snprintf(want, sizeof(want), "pkg:maven/org.apache.commons/commons-lang3@%s", upstream);
			CHECK_STR(f.pkgs[0].purl, want);
		}
	}
	cs_arena_release(&a);
	free(data);
	free(version);
}

/* --- the formats, rule by rule -------------------------------------------------------- */

static void manifest(cs_java_manifest *m, cs_arena *a, const char *text)
{
	cs_err err;

	cs_err_clear(&err);
	CHECK_INT(cs_java_parse_manifest(m, a, text, strlen(text), &err), 0);
}

TEST(manifest_rules)
{
	cs_java_manifest m;
	cs_arena a;

	cs_arena_init(&a);
	/* Continuations join with nothing inserted; CR alone ends a line too; names ignore case. */
	manifest(&m, &a,
		 "Manifest-Version: 1.0\rimplementation-title: Apache Hadoop sh\r aded Guava\r\n"
		 "IMPLEMENTATION-VERSION:1.1.0-SNAPSHOT  \nBundle-Name: %bundleName\nBundle-Version:\n"
		 "Implementation-Vendor-Id: org.apache\n\nName: x/\nImplementation-Version: 9\n");
	CHECK_STR(m.impl_title, "Apache Hadoop shaded Guava");
	CHECK_STR(m.impl_version, "1.1.0-SNAPSHOT");
	CHECK_STR(m.impl_vendor_id, "org.apache");
	CHECK(m.bundle_name == NULL && m.bundle_version == NULL);
	/* A repeated attribute: the last wins; a control byte: the value is dropped; a BOM is skipped. */
	manifest(&m, &a, "\xef\xbb\xbfSpecification-Version: 1\nSpecification-Version: 2\nBundle-Version: 1\x01\n");
	CHECK_STR(m.spec_version, "2");
	CHECK(m.bundle_version == NULL);
	/* Jenkins licenses in order, before the OSGi header. */
	manifest(&m, &a,
		 "Plugin-License-Name: Apache License, Version 2.0\nPlugin-License-Name-2: MIT License\n"
		 "Plugin-License-Names: no\nBundle-License: Apache-2.0\n");
	CHECK_INT(m.nlicenses, 2);
	if (m.nlicenses == 2) {
		CHECK_STR(m.licenses[0], "Apache License, Version 2.0");
		CHECK_STR(m.licenses[1], "MIT License");
	}
	/* Bundle-License: commas outside quotes, attributes dropped, URLs known and unknown. */
	manifest(&m, &a,
		 "Bundle-License: \"Apache-2.0\";description=\"Apache License, Version 2.0\",\n"
		 " http://www.opensource.org/licenses/mit-license.php;link=x, <<EXTERNAL>>,\n"
		 "  https://example.org/l.txt\n");
	CHECK_INT(m.nlicenses, 3);
	if (m.nlicenses == 3) {
		CHECK_STR(m.licenses[0], "Apache-2.0");
		CHECK_STR(m.licenses[1], "MIT");
		CHECK_STR(m.licenses[2], "https://example.org/l.txt");
	}
	manifest(&m, &a, "Weave-Classes: a/B\nGroup-Id: g\nShort-Name: s\nPlugin-Version: 1.0 (private)\n");
	CHECK(m.weave_classes);
	CHECK_STR(m.group_id, "g");
	CHECK_STR(m.short_name, "s");
	/* Nothing at all, a continuation first, no colon: still a manifest. */
	manifest(&m, &a, "");
	manifest(&m, &a, " orphan\nno colon here\n:\n");
	CHECK(m.impl_title == NULL && m.nlicenses == 0);
	cs_arena_release(&a);
}

static int pomprops(cs_java_gav *g, cs_arena *a, const char *text)
{
	cs_err err;

	cs_err_clear(&err);
	return cs_java_parse_pom_properties(g, a, text, strlen(text), &err);
}

TEST(pom_properties_rules)
{
	cs_java_gav g;
	cs_arena a;

	cs_arena_init(&a);
	/* Escapes, continuation lines, '!' comments, a separator of blanks, CRLF. */
	CHECK_INT(pomprops(&g, &a,
			   "! comment\r\n  groupId = org.ex\\\r\n     ample\r\nartifactId   a\\u0062c\\:d\r\n"
			   "version=1.0\\\n"),
		  0);
	CHECK_STR(g.group_id, "org.example");
	CHECK_STR(g.artifact_id, "abc:d");
	CHECK_STR(g.version, "1.0");
	/* The last value wins; a key may be escaped. */
	CHECK_INT(pomprops(&g, &a, "group\\Id=a\ngroupId=b\nartifactId=c\nversion=1\nversion=2\n"), 0);
	CHECK_STR(g.group_id, "b");
	CHECK_STR(g.version, "2");
	/* Missing, empty or control-laden coordinates are refused. */
	CHECK_INT(pomprops(&g, &a, "groupId=a\nartifactId=b\n"), CS_EFORMAT);
	CHECK_INT(pomprops(&g, &a, "groupId=a\nartifactId=b\nversion=\n"), CS_EFORMAT);
	CHECK_INT(pomprops(&g, &a, "groupId=a\nartifactId=b\nversion=1\\u0000\n"), CS_EFORMAT);
	CHECK_INT(pomprops(&g, &a, "groupId=a\nartifactId=b\\tc\nversion=1\n"), CS_EFORMAT);
	CHECK_INT(pomprops(&g, &a, ""), CS_EFORMAT);
	/* A backslash followed by a blank escapes the blank: the next line is not a continuation. */
	CHECK_INT(pomprops(&g, &a, "groupId=g\nartifactId=a\\ \nversion=1\n"), 0);
	CHECK_STR(g.artifact_id, "a");
	CHECK_STR(g.version, "1");
	/* A malformed \u is kept as written. */
	CHECK_INT(pomprops(&g, &a, "groupId=a\nartifactId=b\nversion=1\\u00zz\n"), 0);
	CHECK_STR(g.version, "1u00zz");
	cs_arena_release(&a);
}

TEST(file_names)
{
	static const struct {
		const char *base, *artifact, *version;
	} cases[] = {
		{"spring-core-5.3.4-SNAPSHOT.jar", "spring-core", "5.3.4-SNAPSHOT"},
		{"jackson-core-2.15.2.jar", "jackson-core", "2.15.2"},
		{"log4j-1.2-api-2.17.1.jar", "log4j-1.2-api", "2.17.1"},
		{"guava-29.0-jre.jar", "guava", "29.0-jre"},
		{"bcprov-jdk15on-1.70.JAR", "bcprov-jdk15on", "1.70"},
		{"api-all-2.0.0-sources.jar", "api-all", "2.0.0-sources"},
		{"spring-instrumentation-4.3.0-1.0.jar", "spring-instrumentation-4.3.0", "1.0"},
		{"com.fasterxml.jackson.core.jackson-core-2.15.2.jar", "com.fasterxml.jackson.core.jackson-core", "2.15.2"},
		{"app-1.0.war", "app", "1.0"},
		{"jenkins-plugin-1.2.hpi", "jenkins-plugin", "1.2"},
		/* Trivy's [^-*]: any one character but those before the '-'. */
		{"a+-1.jar", "a+", "1"},
		{"guava.jar", NULL, NULL},
		{"test.jar", NULL, NULL},
		{"x--1.jar", NULL, NULL},
		{"x*-1.jar", NULL, NULL},
		{"-1.jar", NULL, NULL},
		{"a b-1.jar", NULL, NULL},
		{"ab-1 2.jar", NULL, NULL},
		{"a-1.zip", NULL, NULL},
		{"a-x.jar", NULL, NULL},
		{".jar", NULL, NULL},
	};
	cs_arena a;
	size_t i;

	cs_arena_init(&a);
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		const char *art, *ver;
		bool ok = cs_java_split_filename(&art, &ver, &a, cases[i].base);

		if (ok != (cases[i].artifact != NULL) || !str_eq(art, cases[i].artifact) || !str_eq(ver, cases[i].version)) {
			fprintf(stderr, "  split '%s': \"%s\" \"%s\", expected \"%s\" \"%s\"\n", cases[i].base, art ? art : "",
				ver ? ver : "", cases[i].artifact ? cases[i].artifact : "", cases[i].version ? cases[i].version : "");
			test_failures++;
		}
	}
	CHECK(cs_java_is_archive("a/b.Jar") && cs_java_is_archive("x.ear") && cs_java_is_archive("x.sar") &&
	      cs_java_is_archive("x.par") && cs_java_is_archive("x.jpi") && cs_java_is_archive("x.HPI"));
	CHECK(!cs_java_is_archive("jar") && !cs_java_is_archive("a/.jar") && !cs_java_is_archive("x.jar.sha1") &&
	      !cs_java_is_archive("x.zip"));
	cs_arena_release(&a);
}

TEST(identify)
{
	cs_java_manifest m;
	cs_java_gav g;
	cs_arena a;
	cs_java_pomxml x = {"org.x", "lib", NULL, 0};

	cs_arena_init(&a);
	/* The name gives artifactId and version, the manifest the groupId (Trivy's order). */
	manifest(&m, &a, "Implementation-Vendor: Apache Software Foundation\nBundle-SymbolicName: org.apache.foo; singleton:=true\n");
	CHECK(cs_java_identify(&g, &a, "foo-1.2.jar", &m, NULL, 0));
	CHECK_STR(g.group_id, "org.apache");
	CHECK_STR(g.artifact_id, "foo");
	CHECK_STR(g.version, "1.2");
	/* Implausible vendors are passed over; a pom.xml of the same artifactId is a groupId. */
	manifest(&m, &a, "Implementation-Vendor: Apache Software Foundation\nImplementation-Version: 9\n");
	CHECK(!cs_java_identify(&g, &a, "lib-1.0.jar", &m, NULL, 0));
	CHECK(cs_java_identify(&g, &a, "lib-1.0.jar", &m, &x, 1));
	CHECK_STR(g.group_id, "org.x");
	CHECK_STR(g.version, "1.0");
	/* No version in the name: the manifest's; Automatic-Module-Name as a last groupId source. */
	manifest(&m, &a, "Automatic-Module-Name: io.micronaut.core\nImplementation-Title: core\nSpecification-Version: 4\n");
	CHECK(cs_java_identify(&g, &a, "core.jar", &m, NULL, 0));
	CHECK_STR(g.group_id, "io.micronaut");
	CHECK_STR(g.artifact_id, "core");
	CHECK_STR(g.version, "4");
	/* Jenkins: Short-Name and the first word of Plugin-Version. */
	manifest(&m, &a,
		 "Group-Id: io.jenkins.plugins\nShort-Name: example\nImplementation-Title: Example Plugin\n"
		 "Plugin-Version: 1.0-SNAPSHOT (private-07/09/2020 13:30-?)\nImplementation-Version: 1.0-SNAPSHOT\n");
	CHECK(cs_java_identify(&g, &a, "example.hpi", &m, NULL, 0));
	CHECK_STR(g.group_id, "io.jenkins.plugins");
	CHECK_STR(g.artifact_id, "example");
	CHECK_STR(g.version, "1.0-SNAPSHOT");
	/* No manifest and an unversioned name: nothing. */
	CHECK(!cs_java_identify(&g, &a, "x.jar", NULL, NULL, 0));
	CHECK(!cs_java_plausible_group("") && !cs_java_plausible_group("a b") && cs_java_plausible_group("org.x-y_z"));
	cs_arena_release(&a);
}

static size_t licenses_of(cs_arena *a, const char *xml, const char ***out)
{
	size_t n;

	CHECK_INT(cs_java_pom_licenses(out, &n, a, xml, strlen(xml)), 0);
	return n;
}

TEST(pom_xml_licenses)
{
	const char **l;
	cs_arena a;

	cs_arena_init(&a);
	CHECK_INT(licenses_of(&a,
			      "<?xml version=\"1.0\"?>\n<!DOCTYPE project [<!ENTITY x \"y\">]>\n"
			      "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><parent><licenses><license><name>no"
			      "</name></license></licenses></parent><!-- <licenses><license><name>no</name></license></licenses> -->"
			      "<licenses attr='>'>\n<license><name>\n  The Apache Software\n  License, Version 2.0</name>"
			      "<url>x</url></license><license><name>A &amp; B &#x41;&#66;</name></license>"
			      "<license><name><![CDATA[<C>]]></name></license><license><name/></license></licenses>"
			      "<dependencies><dependency><licenses><license><name>no</name></license></licenses>"
			      "</dependency></dependencies></project><licenses><license><name>after</name></license></licenses>",
			      &l),
		  3);
	CHECK_STR(l[0], "The Apache Software License, Version 2.0");
	CHECK_STR(l[1], "A & B AB");
	CHECK_STR(l[2], "<C>");
	/* Not a POM, truncated, empty. */
	CHECK_INT(licenses_of(&a, "<foo><licenses><license><name>x</name></license></licenses></foo>", &l), 0);
	CHECK_INT(licenses_of(&a, "<project><licenses><license><name>x", &l), 0);
	CHECK_INT(licenses_of(&a, "", &l), 0);
	CHECK_INT(licenses_of(&a, "<project><licenses><license><name>a\x01</name></license></licenses></project>", &l), 0);
	cs_arena_release(&a);
}

/* --- archives built here ------------------------------------------------------------- */

TEST(nesting)
{
	uint8_t *a1, *b1, *c1, *war, *ear;
	size_t na, nb, nc, nwar, near;
	cs_langfile f;
	cs_arena ar;
	zipb z;

	a1 = jar_one("org.a", "a", "1.0", &na);
	b1 = jar_one("org.b", "b", "2.0", &nb);
	c1 = jar_one("org.c", "c", "3.0", &nc);
	if (!a1 || !b1 || !c1)
		goto done;
	/* A war: its own pom.properties, WEB-INF/lib jars (one stored, one deflated), b twice. */
	zb_open(&z);
	zb_dir(&z, "WEB-INF/");
	zb_pom(&z, "com.example", "web", "1.0-SNAPSHOT");
	zb_add(&z, "WEB-INF/lib/a-1.0.jar", a1, na, true);
	zb_add(&z, "WEB-INF/lib/b-2.0.jar", b1, nb, false);
	zb_add(&z, "WEB-INF/lib/copy-of-b.jar", b1, nb, false);
	zb_add(&z, "BOOT-INF/lib/c-3.0.jar", c1, nc, true);
	if (!(war = zb_close(&z, &nwar)))
		goto done;
	/* An ear: lib/ with the war, and c again at the top (the shallower copy wins). */
	zb_open(&z);
	zb_add(&z, "lib/web.war", war, nwar, false);
	zb_add(&z, "c.jar", c1, nc, false);
	zb_text(&z, "META-INF/application.xml", "<application/>");
	ear = zb_close(&z, &near);
	cs_arena_init(&ar);
	parse(&f, &ar, "opt/web-1.0-SNAPSHOT.war", war, nwar, NULL, 0);
	CHECK_INT(f.npkgs, 4);
	CHECK_INT(f.nbad, 0);
	check_pkg("war", &f, "com.example:web", "1.0-SNAPSHOT", "pkg:maven/com.example/web@1.0-SNAPSHOT", NULL);
	check_pkg("war", &f, "org.a:a", "1.0", "pkg:maven/org.a/a@1.0", "WEB-INF/lib/a-1.0.jar");
	check_pkg("war", &f, "org.b:b", "2.0", NULL, "WEB-INF/lib/b-2.0.jar");
	check_pkg("war", &f, "org.c:c", "3.0", NULL, "BOOT-INF/lib/c-3.0.jar");
	if (ear) {
		parse(&f, &ar, "app.ear", ear, near, NULL, 0);
		CHECK_INT(f.npkgs, 4);
		check_pkg("ear", &f, "com.example:web", "1.0-SNAPSHOT", NULL, "lib/web.war");
		check_pkg("ear", &f, "org.a:a", "1.0", NULL, "lib/web.war!WEB-INF/lib/a-1.0.jar");
		check_pkg("ear", &f, "org.c:c", "3.0", NULL, "c.jar");
	}
	cs_arena_release(&ar);
	free(war);
	free(ear);
done:
	free(a1);
	free(b1);
	free(c1);
}

/* A chain of n archives, each with a pom.properties (level i: org.l:l<i>:1.<i>) and the next inside. */
static uint8_t *chain(unsigned n, size_t *len)
{
	uint8_t *inner = NULL, *outer = NULL;
	size_t ninner = 0;
	unsigned i;

	for (i = n; i-- > 0;) {
		char art[16], ver[16];
		zipb z;

		snprintf(art, sizeof(art), "l%u", i);
		snprintf(ver, sizeof(ver), "1.%u", i);
		zb_open(&z);
		zb_pom(&z, "org.l", art, ver);
		if (inner)
			zb_add(&z, "lib/inner.jar", inner, ninner, i % 2 == 0);
		outer = zb_close(&z, len);
		free(inner);
		if (!outer)
			return NULL;
		inner = outer;
		ninner = *len;
	}
	return outer;
}

TEST(depth_limit)
{
	size_t n;
	uint8_t *jar = chain(8, &n);
	cs_java_limits lim;
	cs_langfile f;
	cs_arena a;

	if (!jar)
		return;
	cs_arena_init(&a);
	/* Depth 0 (the file) to 4 are read; the archive at depth 5 is not opened. */
	parse(&f, &a, "deep.jar", jar, n, NULL, 0);
	CHECK_INT(f.npkgs, 5);
	CHECK_INT(f.nbad, 1);
	check_pkg("deep", &f, "org.l:l4", "1.4", NULL, "lib/inner.jar!lib/inner.jar!lib/inner.jar!lib/inner.jar");
	CHECK(find(&f, "org.l:l5", NULL) == NULL);
	cs_java_limits_default(&lim);
	lim.max_depth = 0;
	parse(&f, &a, "deep.jar", jar, n, &lim, 0);
	CHECK_INT(f.npkgs, 1);
	CHECK_INT(f.nbad, 1);
	/* At most two nested archives opened. */
	cs_java_limits_default(&lim);
	lim.max_archives = 2;
	parse(&f, &a, "deep.jar", jar, n, &lim, 0);
	CHECK_INT(f.npkgs, 3);
	CHECK_INT(f.nbad, 1);
	cs_arena_release(&a);
	free(jar);
}

TEST(bombs)
{
	const size_t big = 16u << 20;
	uint8_t *zeros = calloc(1, big), *bomb = NULL, *jar = NULL, *many = NULL, *outer = NULL;
	size_t nbomb, njar, nmany, nouter, i;
	cs_java_limits lim;
	cs_langfile f;
	cs_arena a;
	zipb z;

	CHECK(zeros != NULL);
	if (!zeros)
		return;
	cs_arena_init(&a);
	/* A "jar" of 16 MiB of zeros deflated to ~16 KB: past 100:1 once 4 MiB are out. */
	zb_open(&z);
	zb_pom(&z, "org.ok", "ok", "1");
	zb_add(&z, "WEB-INF/lib/bomb.jar", zeros, big, false);
	zb_pom(&z, "org.ok", "after", "2");
	if ((bomb = zb_close(&z, &nbomb)) != NULL) {
		cs_zip *zr;
		cs_zip_entry e;
		cs_buf b;
		cs_err err;
		int rc;

		CHECK(nbomb < 100000);
		parse(&f, &a, "bomb.war", bomb, nbomb, NULL, 0);
		CHECK_INT(f.npkgs, 2);
		CHECK_INT(f.nbad, 1);
		/* The reader's own message says why. */
		cs_err_clear(&err);
		cs_buf_init(&b, 0);
		CHECK_INT(cs_zip_open(&zr, bomb, nbomb, NULL, NULL, &err), 0);
		while (zr && (rc = cs_zip_next(zr, &e, &err)) > 0)
			if (strstr(e.name, "bomb")) {
				CHECK_INT(cs_zip_read(zr, &b, SIZE_MAX, &err), CS_ELIMIT);
				CHECK(strstr(err.msg, "zip bomb") != NULL);
				CHECK(cs_zip_bytes_read(zr) <= 100 * nbomb + (4u << 20) + 1);
			}
		cs_zip_close(zr);
		/* The same entry under a size cap, and within a small budget. */
		cs_err_clear(&err);
		{
			uint64_t budget = 1000;

			CHECK_INT(cs_zip_open(&zr, bomb, nbomb, NULL, &budget, &err), 0);
			while (zr && cs_zip_next(zr, &e, &err) > 0)
				if (strstr(e.name, "bomb")) {
					CHECK_INT(cs_zip_read(zr, &b, 10, &err), CS_ELIMIT);
					CHECK(strstr(err.msg, "larger than 10 bytes") != NULL);
				} else {
					CHECK_INT(cs_zip_read(zr, &b, 4096, &err), 0);
					CHECK(b.len > 0 && b.data[b.len] == '\0');
				}
			CHECK(budget < 1000);
			cs_zip_close(zr);
		}
		cs_buf_release(&b);
	}
	/* The budget for the whole file: nested jars past it are counted, not read. */
	jar = jar_one("org.n", "n", "1", &njar);
	if (jar) {
		zb_open(&z);
		for (i = 0; i < 8; i++) {
			char name[64];

			snprintf(name, sizeof(name), "lib/n%zu.jar", i);
			zb_add(&z, name, jar, njar, true);
		}
		zb_pom(&z, "org.top", "top", "1");
		if ((outer = zb_close(&z, &nouter)) != NULL) {
			cs_java_limits_default(&lim);
			/* Two nested jars and what they hold fit, the third does not, the last pom.properties does. */
			lim.max_total = 2 * njar + njar / 2;
			parse(&f, &a, "budget.jar", outer, nouter, &lim, 0);
			CHECK(find(&f, "org.top:top", "1") != NULL);
			CHECK(find(&f, "org.n:n", "1") != NULL);
			CHECK_INT(f.nbad, 6);
		}
	}
	/* Too many entries: the file is refused; a nested archive with too many is counted. */
	zb_open(&z);
	zb_pom(&z, "org.m", "m", "1");
	for (i = 0; i < 150; i++) {
		char name[64];

		snprintf(name, sizeof(name), "e/%zu.class", i);
		zb_text(&z, name, "x");
	}
	if ((many = zb_close(&z, &nmany)) != NULL) {
		cs_java_limits_default(&lim);
		lim.zip.max_entries = 100;
		parse(&f, &a, "many.jar", many, nmany, &lim, CS_ELIMIT);
		free(outer);
		zb_open(&z);
		zb_pom(&z, "org.top", "top", "1");
		zb_add(&z, "lib/many.jar", many, nmany, true);
		if ((outer = zb_close(&z, &nouter)) != NULL) {
			parse(&f, &a, "outer.jar", outer, nouter, &lim, 0);
			CHECK_INT(f.npkgs, 1);
			CHECK_INT(f.nbad, 1);
		}
	}
	cs_arena_release(&a);
	free(zeros);
	free(bomb);
	free(jar);
	free(many);
	free(outer);
}

/* Every prefix of data parses without crashing, to 0 or a refusal with a message. */
static void truncations(const char *label, const uint8_t *data, size_t n)
{
	cs_arena a;
	size_t i;

	for (i = 0; i < n; i++) {
		cs_langfile f;
		cs_err err;
		uint8_t *copy = malloc(i + 1);
		int rc;

		if (!copy)
			break;
		memcpy(copy, data, i);
		copy[i] = 0;
		cs_arena_init(&a);
		memset(&f, 0, sizeof(f));
		cs_err_clear(&err);
		rc = cs_java_parse(&f, &a, label, copy, i, &err);
		if (!(rc == 0 || ((rc == CS_EFORMAT || rc == CS_ELIMIT) && err.msg[0]))) {
			fprintf(stderr, "  %s cut at %zu: %d (%s)\n", label, i, rc, err.msg);
			test_failures++;
		}
		cs_arena_release(&a);
		free(copy);
	}
}

TEST(truncated_everywhere)
{
	static const char *const fixtures[] = {"nested.jar", "test.jar", "license-from-jenkins-plugin.jar",
					       "heuristic-1.0.0-SNAPSHOT.jar"};
	size_t i, n;

	for (i = 0; i < CS_ARRAY_LEN(fixtures); i++) {
		char rel[256];
		char *data;

		snprintf(rel, sizeof(rel), "%s/testdata/%s", TRIVY_JAR, fixtures[i]);
		if ((data = read_shared(rel, &n)) != NULL)
			truncations(fixtures[i], (const uint8_t *)data, n);
		free(data);
	}
	{
		uint8_t *jar = chain(3, &n);

		if (jar)
			truncations("chain.jar", jar, n);
		free(jar);
	}
}

TEST(corruption)
{
	uint8_t *inner, *outer = NULL, *copy;
	size_t ninner, nouter, i;
	cs_langfile f;
	cs_arena a;
	zipb z;

	cs_arena_init(&a);
	/* Not a zip at all: refused, with a message. */
	parse(&f, &a, "x.jar", "hello", 5, NULL, CS_EFORMAT);
	parse(&f, &a, "x.jar", "", 0, NULL, CS_EFORMAT);
	if (!(inner = jar_one("org.i", "i", "1", &ninner)))
		goto done;
	/* A nested jar that is not one, one that is cut short, one whose bytes rot. */
	zb_open(&z);
	zb_pom(&z, "org.top", "top", "1");
	zb_text(&z, "lib/text.jar", "not a zip");
	zb_add(&z, "lib/cut.jar", inner, ninner / 2, true);
	zb_add(&z, "lib/good.jar", inner, ninner, true);
	if (!(outer = zb_close(&z, &nouter)))
		goto done;
	parse(&f, &a, "outer.jar", outer, nouter, NULL, 0);
	CHECK_INT(f.npkgs, 2);
	CHECK_INT(f.nbad, 2);
	check_pkg("corrupt", &f, "org.i:i", "1", NULL, "lib/good.jar");
	/* Every byte of the file flipped in turn: never a crash, a refusal always says why. */
	copy = malloc(nouter);
	for (i = 0; copy && i < nouter; i++) {
		cs_err err;
		int rc;

		memcpy(copy, outer, nouter);
		copy[i] ^= 0x5a;
		memset(&f, 0, sizeof(f));
		cs_err_clear(&err);
		rc = cs_java_parse(&f, &a, "flip.jar", copy, nouter, &err);
		CHECK(rc == 0 || ((rc == CS_EFORMAT || rc == CS_ELIMIT) && err.msg[0]));
	}
	free(copy);
	/* A launch script before the zip (Spring Boot's "fully executable" jar). */
	copy = malloc(nouter + 64);
	if (copy) {
		memset(copy, '#', 64);
		memcpy(copy, "#!/bin/bash\n", 12);
		memcpy(copy + 64, outer, nouter);
		parse(&f, &a, "app.jar", copy, nouter + 64, NULL, 0);
		CHECK(find(&f, "org.top:top", "1") != NULL);
		CHECK(find(&f, "org.i:i", "1") != NULL);
		free(copy);
	}
done:
	cs_arena_release(&a);
	free(inner);
	free(outer);
}

TEST(hostile_metadata)
{
	uint8_t *jar;
	size_t n;
	cs_langfile f;
	cs_arena a;
	zipb z;
	char *big = malloc((5u << 20) + 1);

	CHECK(big != NULL);
	if (!big)
		return;
	memset(big, 'a', 5u << 20);
	big[5u << 20] = '\0';
	memcpy(big, "Implementation-Title: ", 22);
	zb_open(&z);
	/* A pom.properties without a version, one with a NUL, a manifest past 4 MiB, odd names. */
	zb_text(&z, "META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\n");
	zb_add(&z, "META-INF/maven/g/b/pom.properties", "groupId=g\nartifactId=b\nversion=1\0x\n", 33, false);
	zb_text(&z, "META-INF/MANIFEST.MF", big);
	zb_pom(&z, "org.ok", "ok", "1");
	zb_text(&z, "lib/\x01.jar", "x");
	zb_text(&z, "META-INF/maven/g/pom.xml", "<project/>");
	zb_text(&z, "META-INF/maven/g/c/d/pom.xml", "<project/>");
	jar = zb_close(&z, &n);
	cs_arena_init(&a);
	if (jar) {
		parse(&f, &a, "odd-1.0.jar", jar, n, NULL, 0);
		CHECK(find(&f, "org.ok:ok", "1") != NULL);
		CHECK(find(&f, "g:b", NULL) == NULL);
		/* Both bad pom.properties, the large manifest and the control-named jar. */
		CHECK_INT(f.nbad, 4);
	}
	cs_arena_release(&a);
	free(jar);
	free(big);
}

TEST(zipread_basics)
{
	cs_zip_limits lim;
	cs_zip *zr;
	cs_zip_entry e;
	cs_buf b;
	cs_err err;
	uint8_t *jar;
	size_t n, seen = 0;
	int rc;

	cs_zip_limits_default(&lim);
	CHECK(lim.max_entries == 200000 && lim.max_ratio == 100);
	if (!(jar = jar_one("g", "a", "1", &n)))
		return;
	cs_buf_init(&b, 0);
	cs_err_clear(&err);
	CHECK_INT(cs_zip_open(&zr, jar, n, &lim, NULL, &err), 0);
	while (zr && (rc = cs_zip_next(zr, &e, &err)) > 0) {
		seen++;
		CHECK(!e.is_dir && e.size > 0);
		if (strcmp(e.name, "META-INF/MANIFEST.MF") == 0) {
			CHECK_INT(cs_zip_read(zr, &b, 1 << 20, &err), 0);
			CHECK(b.len == e.size && strncmp(b.data, "Manifest-Version", 16) == 0);
			/* Once only. */
			CHECK_INT(cs_zip_read(zr, &b, 1 << 20, &err), CS_EFORMAT);
		}
	}
	CHECK_INT(seen, 3);
	CHECK_INT(cs_zip_next(zr, &e, &err), 0);
	cs_zip_close(zr);
	cs_zip_close(NULL);
	/* A declared entry count over the limit is refused before libarchive reads the directory. */
	lim.max_entries = 2;
	cs_err_clear(&err);
	CHECK_INT(cs_zip_open(&zr, jar, n, &lim, NULL, &err), CS_ELIMIT);
	CHECK(zr == NULL && strstr(err.msg, "3 entries") != NULL);
	cs_buf_release(&b);
	free(jar);
}

/* --- a whole scan ----------------------------------------------------------------------- */

typedef struct layer_file {
	const char *path;
	const uint8_t *data;
	size_t len;
} layer_file;

/* A docker archive of n layers (each a NULL-terminated list of files) at path. */
static bool docker_write(const char *path, const layer_file *const *layers, size_t n)
{
	tarb outer, t;
	cs_buf cfg, man;
	char name[64], digest[CS_DIGEST_MAX];
	uint8_t *blob;
	size_t i, bn;
	bool ok;
	FILE *f;

	cs_buf_init(&cfg, 0);
	cs_buf_init(&man, 0);
	tb_open(&outer, 'p');
	cs_buf_puts(&cfg, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	cs_buf_puts(&man, "[{\"Config\":\"config.json\",\"RepoTags\":[\"java-test:1\"],\"Layers\":[");
	for (i = 0; i < n; i++) {
		const layer_file *e;

		tb_open(&t, 'p');
		for (e = layers[i]; e->path; e++)
			tb_entry(&t, e->path, AE_IFREG, 0644, e->data, e->len, NULL, NULL);
		if (!(blob = tb_close(&t, &bn)))
			return false;
		cs_sha256_buf(blob, bn, digest);
		snprintf(name, sizeof(name), "l%zu/layer.tar", i);
		tb_entry(&outer, name, AE_IFREG, 0644, blob, bn, NULL, NULL);
		free(blob);
		cs_buf_printf(&cfg, "%s\"%s\"", i ? "," : "", digest);
		cs_buf_printf(&man, "%s\"%s\"", i ? "," : "", name);
	}
	cs_buf_puts(&cfg, "]}}");
	cs_buf_puts(&man, "]}]");
	tb_entry(&outer, "config.json", AE_IFREG, 0644, cfg.data, cfg.len, NULL, NULL);
	tb_entry(&outer, "manifest.json", AE_IFREG, 0644, man.data, man.len, NULL, NULL);
	blob = tb_close(&outer, &bn);
	ok = blob != NULL && (f = fopen(path, "wb")) != NULL;
	if (ok) {
		ok = fwrite(blob, 1, bn, f) == bn;
		ok &= fclose(f) == 0;
	}
	free(blob);
	cs_buf_release(&cfg);
	cs_buf_release(&man);
	return ok;
}

static const cs_package *scan_find(const cs_scan *s, const char *name, const char *found_in)
{
	size_t i;

	for (i = 0; i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);

		if (strcmp(p->type, "maven") == 0 && str_eq(p->name, name) && str_eq(p->found_in, found_in))
			return p;
	}
	return NULL;
}

TEST(scan_layers)
{
	char path[] = "/tmp/customs-test-java-XXXXXX.tar";
	uint8_t *lib = NULL, *war = NULL, *lib2 = NULL;
	size_t nlib, nwar, nlib2;
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	zipb z;
	int fd = mkstemps(path, 4);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	close(fd);
	lib = jar_one("org.slf4j", "slf4j-api", "1.7.30", &nlib);
	lib2 = jar_one("org.slf4j", "slf4j-api", "2.0.7", &nlib2);
	zb_open(&z);
	zb_pom(&z, "com.example", "shop", "1.0");
	if (lib)
		zb_add(&z, "WEB-INF/lib/slf4j-api-1.7.30.jar", lib, nlib, true);
	war = zb_close(&z, &nwar);
	if (lib && war && lib2) {
		const layer_file l0[] = {
			{"etc/os-release", (const uint8_t *)"ID=debian\nVERSION_ID=12\n", 24},
			{"srv/shop.war", war, nwar},
			{"opt/lib/slf4j-api.jar", lib, nlib},
			{"opt/lib/broken.jar", (const uint8_t *)"PK\003\004broken", 10},
			{NULL, NULL, 0},
		};
		/* The war written again, unchanged; the jar upgraded. */
		const layer_file l1[] = {
			{"srv/shop.war", war, nwar},
			{"opt/lib/slf4j-api.jar", lib2, nlib2},
			{NULL, NULL, 0},
		};
		const layer_file *const layers[] = {l0, l1};

		if (docker_write(path, layers, 2)) {
			cs_scan_opts_default(&o);
			o.jobs = 2;
			cs_err_clear(&err);
			CHECK_INT(cs_scan_run(&s, path, false, &o, &err), 0);
		}
	}
	if (s) {
		const cs_package *p;
		bool warned = false;
		size_t i;

		p = scan_find(s, "com.example:shop", "srv/shop.war");
		CHECK(p && p->layer == 0 && str_eq(p->purl, "pkg:maven/com.example/shop@1.0"));
		p = scan_find(s, "org.slf4j:slf4j-api", "srv/shop.war!WEB-INF/lib/slf4j-api-1.7.30.jar");
		CHECK(p && p->layer == 0 && str_eq(p->version, "1.7.30"));
		p = scan_find(s, "org.slf4j:slf4j-api", "opt/lib/slf4j-api.jar");
		CHECK(p && p->layer == 1 && str_eq(p->version, "2.0.7"));
		for (i = 0; i < cs_scan_diag_count(s); i++) {
			int level;
			const char *msg = cs_scan_diag_get(s, i, &level);

			warned |= strstr(msg, "opt/lib/broken.jar") && strstr(msg, "zip");
		}
		CHECK(warned);
		cs_scan_free(s);
	}
	unlink(path);
	free(lib);
	free(lib2);
	free(war);
}

TEST_MAIN(TEST_ENTRY(trivy_jar), TEST_ENTRY(trivy_online_cases), TEST_ENTRY(syft_jar), TEST_ENTRY(syft_pom_properties),
	  TEST_ENTRY(debian_commons_lang3), TEST_ENTRY(manifest_rules), TEST_ENTRY(pom_properties_rules),
	  TEST_ENTRY(file_names), TEST_ENTRY(identify), TEST_ENTRY(pom_xml_licenses), TEST_ENTRY(nesting),
	  TEST_ENTRY(depth_limit), TEST_ENTRY(bombs), TEST_ENTRY(truncated_everywhere), TEST_ENTRY(corruption),
	  TEST_ENTRY(hostile_metadata), TEST_ENTRY(zipread_basics), TEST_ENTRY(scan_layers))
