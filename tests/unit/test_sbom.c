/*
 * test_sbom.c - SBOM input (src/sbom/): CycloneDX 1.4/1.5/1.6 and SPDX
 * 2.2/2.3 JSON read into an inventory scan.
 *
 * Real documents first: Trivy's CycloneDX and SPDX SBOMs of the shared
 * alpine-311 image (tests/fixtures/sbom/trivy-alpine-311.*, written by
 * scripts/trivy.sh offline) must give the packages, sources and OS that
 * customs' own scan of the same archive finds; excerpts of Trivy's SBOMs of
 * the Debian sample image (epochs, binNMUs, source packages) give what
 * dpkg-query said of that image; Trivy's own centos-7 fixtures
 * (../shared/test-data/golden/trivy-integration) give rpm epochs. Then
 * handwritten documents for what those do not show (nested components,
 * every purl type, upstream qualifiers, OS from purls, syft's vocabulary),
 * the format errors, the limits, and hostile input: every cut of a
 * document, every JSON value replaced by one of another type, NULs, bad
 * escapes, absurd nesting and counts.
 */
#include "core/compat.h"
#include "sbom/sbom.h"

#include "core/log.h"
#include "unit/catfix.h"

#define FIX "tests/fixtures/sbom/"

/* --- helpers ------------------------------------------------------------------ */

static cs_scan *read_mem(const char *name, const char *data, size_t len, const cs_scan_opts *o, int *rc,
			 cs_err *err)
{
	cs_scan_opts def;
	cs_scan *s = NULL;

	if (!o) {
		cs_scan_opts_default(&def);
		o = &def;
	}
	cs_log_set_level(CS_LOG_ERROR);
	cs_err_clear(err);
	*rc = cs_sbom_scan_mem(&s, name, data, len, o, err);
	return s;
}

/* Reads a fixture file; a failure when it cannot be read or is refused. */
static cs_scan *read_fixture(const char *path)
{
	cs_scan_opts o;
	cs_scan *s = NULL;
	cs_err err;

	cs_scan_opts_default(&o);
	cs_log_set_level(CS_LOG_ERROR);
	cs_err_clear(&err);
	if (cs_sbom_scan(&s, path, &o, &err) < 0) {
		fprintf(stderr, "  %s: %s\n", path, err.msg);
		test_failures++;
	}
	return s;
}

static const cs_package *find(const cs_scan *s, const char *type, const char *name)
{
	size_t i;

	for (i = 0; s && i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);

		if (!strcmp(p->type, type) && !strcmp(p->name, name))
			return p;
	}
	return NULL;
}

static bool has_diag(const cs_scan *s, const char *needle)
{
	size_t i;
	int level;

	for (i = 0; s && i < cs_scan_diag_count(s); i++)
		if (strstr(cs_scan_diag_get(s, i, &level), needle))
			return true;
	return false;
}

typedef struct want_pkg {
	const char *type, *name, *version, *arch, *source_name, *source_version;
} want_pkg;

static void check_pkgs(const char *label, const cs_scan *s, const want_pkg *w, size_t n)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < n; i++) {
		const cs_package *p = find(s, w[i].type, w[i].name);

		if (!p) {
			fprintf(stderr, "  %s: no %s package '%s'\n", label, w[i].type, w[i].name);
			test_failures++;
			continue;
		}
		CHECK_STR(p->version, w[i].version);
		CHECK_STR(p->arch, w[i].arch);
		CHECK_STR(p->source_name, w[i].source_name);
		CHECK_STR(p->source_version, w[i].source_version);
		CHECK(p->purl && !strncmp(p->purl, "pkg:", 4));
		CHECK_INT(p->layer, -1);
	}
	if (cs_scan_package_count(s) != n) {
		fprintf(stderr, "  %s: %zu packages, expected %zu\n", label, cs_scan_package_count(s), n);
		test_failures++;
	}
}

static void check_os(const cs_scan *s, const char *family, const char *version)
{
	const cs_os *os = s ? cs_scan_os(s) : NULL;

	if (!family) {
		CHECK(os == NULL);
		return;
	}
	CHECK(os != NULL);
	if (os) {
		CHECK_STR(os->family, family);
		CHECK_STR(os->version, version);
	}
}

/* --- real documents: Trivy's --------------------------------------------------- */

/*
 * Trivy's SBOMs of the alpine-311 archive against customs' own scan of it:
 * the same packages (type, name, version, arch, source name and version)
 * and the same OS.
 */
TEST(trivy_alpine_equals_image_scan)
{
	static const char *const docs[] = {FIX "trivy-alpine-311.cdx.json", FIX "trivy-alpine-311.spdx.json"};
	char path[4096];
	cs_scan *img = cf_scan(cf_shared_path(path, sizeof(path), "test-data/images/trivy-fanal/alpine-311.tar.gz"),
			       false, 1);
	size_t d, i;

	if (!img)
		return;
	CHECK_INT(cs_scan_package_count(img), 14);
	for (d = 0; d < CS_ARRAY_LEN(docs); d++) {
		cs_scan *s = read_fixture(docs[d]);
		const cs_artifact *a;

		if (!s)
			continue;
		CHECK_INT(cs_scan_package_count(s), cs_scan_package_count(img));
		for (i = 0; i < cs_scan_package_count(img); i++) {
			const cs_package *want = cs_scan_package(img, i), *got = find(s, want->type, want->name);

			if (!got) {
				fprintf(stderr, "  %s: no %s '%s'\n", docs[d], want->type, want->name);
				test_failures++;
				continue;
			}
			CHECK_STR(got->version, want->version);
			CHECK_STR(got->arch, want->arch);
			CHECK_STR(got->source_name, want->source_name);
			CHECK_STR(got->source_version, want->source_version);
			/* the canonical purl customs writes, bar the upstream qualifier Trivy leaves out */
			CHECK(got->purl && !strncmp(got->purl, want->purl, strlen(got->purl)));
		}
		CHECK_STR(cs_scan_os(s)->family, cs_scan_os(img)->family);
		CHECK_STR(cs_scan_os(s)->version, cs_scan_os(img)->version);
		a = cs_scan_artifact(s);
		CHECK_STR(a->type, "sbom");
		CHECK_STR(a->name, "alpine-311.tar.gz");
		CHECK_STR(a->image_id, cs_scan_artifact(img)->image_id);
		CHECK(cs_scan_is_rootfs(s));
		CHECK_INT(cs_scan_layer_count(s), 0);
		CHECK_INT(cs_scan_diag_count(s), 0);
		cs_scan_free(s);
	}
	cs_scan_free(img);
}

/* What dpkg-query says of the sample image (expected.dpkg-query.tsv), and its Python and Go packages. */
static const want_pkg debian_excerpt[] = {
	{"deb", "adduser", "3.134", "all", "adduser", "3.134"},
	{"deb", "bsdutils", "1:2.38.1-5+deb12u3", "amd64", "util-linux", "2.38.1-5+deb12u3"},
	{"deb", "libc6", "2.36-9+deb12u14", "amd64", "glibc", "2.36-9+deb12u14"},
	{"deb", "libcap2", "1:2.66-4+deb12u3+b1", "amd64", "libcap2", "1:2.66-4+deb12u3"},
	{"deb", "libgmp10", "2:6.2.1+dfsg1-1.1", "amd64", "gmp", "2:6.2.1+dfsg1-1.1"},
	{"deb", "libssl3", "3.0.22-1~deb12u2", "amd64", "openssl", "3.0.22-1~deb12u2"},
	{"deb", "login", "1:4.13+dfsg1-1+deb12u2", "amd64", "shadow", "1:4.13+dfsg1-1+deb12u2"},
	{"deb", "passwd", "1:4.13+dfsg1-1+deb12u2", "amd64", "shadow", "1:4.13+dfsg1-1+deb12u2"},
	{"deb", "zlib1g", "1:1.2.13.dfsg-1", "amd64", "zlib", "1:1.2.13.dfsg-1"},
	{"golang", "golang.org/x/net", "v0.7.0", NULL, "golang.org/x/net", "v0.7.0"},
	{"pypi", "charset-normalizer", "3.0.1", NULL, "charset-normalizer", "3.0.1"},
	{"pypi", "requests", "2.28.1", NULL, "requests", "2.28.1"},
};

/*
 * Trivy writes a deb's epoch as a qualifier and its source in parts
 * (SrcName, SrcVersion, SrcRelease, SrcEpoch) in CycloneDX, whole in
 * SPDX's sourceInfo: both must give dpkg's versions back.
 */
TEST(trivy_debian_excerpt)
{
	static const char *const docs[] = {FIX "trivy-debian-excerpt.cdx.json", FIX "trivy-debian-excerpt.spdx.json"};
	size_t d;

	for (d = 0; d < CS_ARRAY_LEN(docs); d++) {
		cs_scan *s = read_fixture(docs[d]);
		const cs_package *p;

		check_pkgs(docs[d], s, debian_excerpt, CS_ARRAY_LEN(debian_excerpt));
		check_os(s, "debian", "12.15");
		if (s && (p = find(s, "deb", "adduser")) != NULL)
			CHECK_STR(p->maintainer, "Debian Adduser Developers <adduser@packages.debian.org>");
		if (s && (p = find(s, "pypi", "requests")) != NULL) {
			CHECK(p->nlicenses == 1 && !strcmp(p->licenses[0], "Apache-2.0"));
			/* CycloneDX has Trivy's FilePath property; SPDX leaves it out */
			if (d == 0)
				CHECK_STR(p->found_in, "app/venv/lib/python3.11/site-packages/requests-2.28.1.dist-info/METADATA");
		}
		if (s)
			CHECK_STR(cs_scan_artifact(s)->name, "sample.docker.tar");
		cs_scan_free(s);
	}
}

/* Trivy's own integration fixtures (CycloneDX 1.5, SPDX 2.2) of centos:7: an rpm epoch and its source. */
TEST(trivy_centos_rpm)
{
	static const char *const docs[] = {"test-data/golden/trivy-integration/fixtures/sbom/centos-7-cyclonedx.json",
					   "test-data/golden/trivy-integration/fixtures/sbom/centos-7-spdx.json"};
	static const want_pkg cdx[] = {
		{"rpm", "bash", "4.2.46-31.el7", "x86_64", "bash", "4.2.46-31.el7"},
		{"rpm", "openssl-libs", "1:1.0.2k-16.el7", "x86_64", "openssl", "1:1.0.2k-16.el7"},
	};
	/* the SPDX fixture's sourceInfo names openssl-libs itself: it is what the document says */
	static const want_pkg spdx[] = {
		{"rpm", "bash", "4.2.46-31.el7", "x86_64", "bash", "4.2.46-31.el7"},
		{"rpm", "openssl-libs", "1:1.0.2k-16.el7", "x86_64", "openssl-libs", "1:1.0.2k-16.el7"},
	};
	size_t d;

	for (d = 0; d < CS_ARRAY_LEN(docs); d++) {
		char path[4096];
		cs_scan *s = read_fixture(cf_shared_path(path, sizeof(path), docs[d]));

		check_pkgs(docs[d], s, d ? spdx : cdx, 2);
		check_os(s, "centos", "7.6.1810");
		if (s) {
			const cs_artifact *a = cs_scan_artifact(s);

			CHECK_STR(a->name, "integration/testdata/fixtures/images/centos-7.tar.gz");
			CHECK_STR(a->image_id, "sha256:f1cb7c7d58b73eac859c395882eec49d50651244e342cd6c68a5c7809785f427");
			CHECK(a->nrepo_tags == 1 && !strcmp(a->repo_tags[0], "ghcr.io/aquasecurity/trivy-test-images:centos-7"));
		}
		cs_scan_free(s);
	}
}

/* --- handwritten documents ---------------------------------------------------- */

TEST(cyclonedx_1_4)
{
	static const want_pkg want[] = {
		{"deb", "libc6", "2.35-0ubuntu3.6", "amd64", "glibc", "2.35-0ubuntu3.6"},
		{"deb", "bash", "5.1-6ubuntu1.1", "amd64", "bash", "5.1-6ubuntu1"},
		{"deb", "libssl3", "3.0.2-0ubuntu1.15", "amd64", "openssl", "3.0.2-0ubuntu1.15"},
		{"npm", "@babel/core", "7.24.0", NULL, "@babel/core", "7.24.0"},
		{"maven", "org.apache.logging.log4j:log4j-core", "2.14.1", NULL, "org.apache.logging.log4j:log4j-core",
		 "2.14.1"},
		{"maven", "org.apache.logging.log4j:log4j-api", "2.14.1", NULL, "org.apache.logging.log4j:log4j-api",
		 "2.14.1"},
		{"golang", "github.com/gorilla/mux", "v1.8.0", NULL, "github.com/gorilla/mux", "v1.8.0"},
		{"pypi", "PyYAML", "6.0.1", NULL, "PyYAML", "6.0.1"},
		{"cargo", "serde", "1.0.197", NULL, "serde", "1.0.197"},
		{"gem", "rack", "2.2.8", NULL, "rack", "2.2.8"},
		{"composer", "symfony/http-kernel", "v6.4.0", NULL, "symfony/http-kernel", "v6.4.0"},
		{"nuget", "Newtonsoft.Json", "13.0.1", NULL, "Newtonsoft.Json", "13.0.1"},
		{"generic", "zlib", "1.3.1", NULL, "zlib", "1.3.1"},
	};
	cs_scan *s = read_fixture(FIX "cdx-1.4.json");
	const cs_package *p;

	check_pkgs("cdx-1.4", s, want, CS_ARRAY_LEN(want));
	check_os(s, "ubuntu", "22.04");
	if (!s)
		return;
	CHECK_STR(cs_scan_os(s)->name, "Ubuntu 22.04.4 LTS");
	CHECK_STR(cs_scan_artifact(s)->name, "shop@2.1.0");
	CHECK(cs_scan_artifact(s)->image_id == NULL);
	/* the purl keeps the type's own constant string, as the catalogers' */
	CHECK((p = find(s, "npm", "@babel/core")) != NULL && p->purl && !strcmp(p->purl, "pkg:npm/%40babel/core@7.24.0"));
	CHECK((p = find(s, "pypi", "PyYAML")) != NULL && !strcmp(p->purl, "pkg:pypi/pyyaml@6.0.1"));
	CHECK((p = find(s, "maven", "org.apache.logging.log4j:log4j-core")) != NULL && p->nlicenses == 1 &&
	      !strcmp(p->licenses[0], "Apache License, Version 2.0"));
	CHECK(has_diag(s, "skipped 1 library without a package url"));
	CHECK_INT(cs_scan_error_count(s), 0);
	cs_scan_free(s);
}

TEST(cyclonedx_1_6)
{
	static const want_pkg want[] = {
		{"apk", "musl", "1.2.4_git20230717-r4", "x86_64", "musl", "1.2.4_git20230717-r4"},
		{"apk", "libcrypto3", "3.1.4-r5", "x86_64", "openssl", "3.1.4-r5"},
		{"npm", "express", "4.17.1", NULL, "express", "4.17.1"},
		{"npm", "qs", "6.7.0", NULL, "qs", "6.7.0"},
	};
	cs_scan *s = read_fixture(FIX "cdx-1.6.json");
	const cs_package *p;

	check_pkgs("cdx-1.6", s, want, CS_ARRAY_LEN(want));
	/* no operating-system component: syft's "distro=alpine-3.19.1" says it */
	check_os(s, "alpine", "3.19.1");
	if (!s)
		return;
	CHECK_STR(cs_scan_artifact(s)->name, "registry.example/app:1.0");
	CHECK((p = find(s, "apk", "musl")) != NULL && p->found_in && !strcmp(p->found_in, "/lib/apk/db/installed") &&
	      p->nlicenses == 1 && !strcmp(p->licenses[0], "MIT"));
	CHECK((p = find(s, "npm", "qs")) != NULL && p->found_in && !strcmp(p->found_in, "/app/node_modules/qs/package.json"));
	CHECK_INT(cs_scan_diag_count(s), 0);
	cs_scan_free(s);
}

TEST(spdx_2_2)
{
	static const want_pkg want[] = {
		/* syft's upstream: the source rpm file; the source takes the binary's epoch, as catalog/rpm.c */
		{"rpm", "openssl-libs", "1:3.0.7-25.el9_3", "x86_64", "openssl", "1:3.0.7-25.el9_3"},
		{"rpm", "bash", "5.1.8-6.el9_1", "x86_64", "bash", "5.1.8-6.el9_1"},
	};
	cs_scan *s = read_fixture(FIX "spdx-2.2.json");

	check_pkgs("spdx-2.2", s, want, CS_ARRAY_LEN(want));
	/* "distro=rhel-9.3": the os-release ID maps to customs' family */
	check_os(s, "redhat", "9.3");
	if (s)
		CHECK_STR(cs_scan_artifact(s)->name, "registry.example/ubi9-minimal@9.3");
	cs_scan_free(s);
}

TEST(spdx_2_3)
{
	static const want_pkg want[] = {
		{"deb", "libssl3", "3.0.11-1~deb12u2", "amd64", "openssl", "3.0.11-1~deb12u2"},
		{"deb", "tzdata", "2024a-0+deb12u1", "all", "tzdata", "2024a-0+deb12u1"},
		{"pypi", "urllib3", "1.26.12", NULL, "urllib3", "1.26.12"},
	};
	cs_scan *s = read_fixture(FIX "spdx-2.3.json");
	const cs_package *p;

	check_pkgs("spdx-2.3", s, want, CS_ARRAY_LEN(want));
	check_os(s, "debian", "12.5");
	if (!s)
		return;
	CHECK_STR(cs_scan_artifact(s)->name,
		  "registry.example/debian-app@sha256:1111111111111111111111111111111111111111111111111111111111111111");
	CHECK((p = find(s, "deb", "tzdata")) != NULL && p->nlicenses == 1 && !strcmp(p->licenses[0], "public-domain"));
	CHECK((p = find(s, "deb", "libssl3")) != NULL && p->nlicenses == 0);
	CHECK((p = find(s, "pypi", "urllib3")) != NULL && p->found_in &&
	      !strcmp(p->found_in, "usr/lib/python3/dist-packages/urllib3-1.26.12.dist-info/METADATA"));
	CHECK(has_diag(s, "package 'broken': malformed package url 'pkg:npm/bro%zzken@1'"));
	CHECK(has_diag(s, "skipped 1 library without a package url"));
	/* warnings, not errors: the command exits 0 */
	CHECK_INT(cs_scan_error_count(s), 0);
	cs_scan_free(s);
}

/*
 * What customs' own writers put in properties (CycloneDX) and annotations
 * (SPDX) reads back: source, owner, third party, vendor and maintainer,
 * found_in, a version too long for the format's field, the artifact.
 */
TEST(customs_properties)
{
	static const char cdx[] =
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"metadata\":{\"component\":{"
		"\"type\":\"container\",\"name\":\"app.tar\",\"version\":\"sha256:"
		"2222222222222222222222222222222222222222222222222222222222222222\",\"properties\":["
		"{\"name\":\"customs:artifact:name\",\"value\":\"docker-archive:app.tar\"},"
		"{\"name\":\"customs:artifact:type\",\"value\":\"container_image\"},"
		"{\"name\":\"customs:image:id\",\"value\":\"sha256:2222222222222222222222222222222222222222222222222222222222222222\"},"
		"{\"name\":\"customs:image:id\",\"value\":\"not a digest\"},"
		"{\"name\":\"customs:image:repo_tag\",\"value\":\"app:1\"},"
		"{\"name\":\"customs:image:repo_tag\",\"value\":\"app:1\"},"
		"{\"name\":\"customs:image:os\",\"value\":\"linux\"},"
		"{\"name\":\"customs:image:architecture\",\"value\":\"amd64\"}]}},"
		"\"components\":["
		"{\"bom-ref\":\"os\",\"type\":\"operating-system\",\"name\":\"rocky\",\"version\":\"9.3\","
		"\"description\":\"Rocky Linux 9.3 (Blue Onyx)\",\"properties\":[{\"name\":\"customs:os:codename\",\"value\":\"Blue Onyx\"}]},"
		"{\"bom-ref\":\"p1\",\"type\":\"library\",\"name\":\"python3-requests\",\"version\":\"2.25.1-8.el9\","
		"\"supplier\":{\"name\":\"Rocky Enterprise Software Foundation\"},"
		"\"purl\":\"pkg:rpm/rocky/python3-requests@2.25.1-8.el9?arch=noarch&distro=rocky-9.3\",\"properties\":["
		"{\"name\":\"customs:package:vendor\",\"value\":\"Rocky Enterprise Software Foundation\"},"
		"{\"name\":\"customs:package:installed_size\",\"value\":\"123456\"},"
		"{\"name\":\"customs:found_in\",\"value\":\"var/lib/rpm/rpmdb.sqlite\"},"
		"{\"name\":\"customs:source:name\",\"value\":\"python-requests\"},"
		"{\"name\":\"customs:source:version\",\"value\":\"2.25.1-8.el9\"}]},"
		"{\"bom-ref\":\"p2\",\"type\":\"library\",\"name\":\"requests\",\"version\":\"2.25.1\","
		"\"purl\":\"pkg:pypi/requests@2.25.1\",\"properties\":["
		"{\"name\":\"customs:owner\",\"value\":\"p1\"},"
		"{\"name\":\"aquasecurity:trivy:FilePath\",\"value\":\"trivy's\"},"
		"{\"name\":\"customs:found_in\",\"value\":\"usr/lib/python3.9/site-packages/requests-2.25.1.dist-info/METADATA\"}]},"
		"{\"bom-ref\":\"p3\",\"type\":\"library\",\"name\":\"zabbix-agent\",\"version\":\"6.0.0-1.el9\","
		"\"purl\":\"pkg:rpm/rocky/zabbix-agent@6.0.0-1.el9?arch=x86_64\",\"properties\":["
		"{\"name\":\"customs:package:vendor\",\"value\":\"Zabbix LLC\"},"
		"{\"name\":\"customs:third_party\",\"value\":\"true\"}]},"
		"{\"bom-ref\":\"p4\",\"type\":\"library\",\"name\":\"orphan\",\"purl\":\"pkg:npm/orphan\",\"properties\":["
		"{\"name\":\"customs:package:version\",\"value\":\"1.0.0-a-very-long-version\"},"
		"{\"name\":\"customs:package:arch\",\"value\":\"x86_64\"},"
		"{\"name\":\"customs:owner\",\"value\":\"p2\"}]}]}";
	static const char spdx[] =
		"{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"doc\",\"documentDescribes\":[\"SPDXRef-Image\"],\"packages\":["
		"{\"SPDXID\":\"SPDXRef-Image\",\"name\":\"app.tar\",\"primaryPackagePurpose\":\"CONTAINER\",\"annotations\":["
		"{\"annotationType\":\"OTHER\",\"comment\":\"customs:artifact:name=docker-archive:app.tar\"},"
		"{\"annotationType\":\"OTHER\",\"comment\":\"customs:image:repo_tag=app:1\"}]},"
		"{\"SPDXID\":\"SPDXRef-OperatingSystem\",\"name\":\"debian\",\"versionInfo\":\"12.5\","
		"\"primaryPackagePurpose\":\"OPERATING_SYSTEM\",\"description\":\"Debian GNU/Linux 12 (bookworm)\","
		"\"annotations\":[{\"comment\":\"customs:os:codename=bookworm\"}]},"
		"{\"SPDXID\":\"SPDXRef-Package-python3-1\",\"name\":\"python3-urllib3\",\"versionInfo\":\"1.26.12-1\","
		"\"supplier\":\"Organization: Debian Python Team (team+python@tracker.debian.org)\","
		"\"sourceInfo\":\"built package from: python-urllib3 1.26.12-1\","
		"\"externalRefs\":[{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\","
		"\"referenceLocator\":\"pkg:deb/debian/python3-urllib3@1.26.12-1?arch=all&distro=debian-12\"}],"
		"\"annotations\":[{\"comment\":\"customs:source:name=python-urllib3\"},"
		"{\"comment\":\"customs:source:version=1.26.12-1\"},{\"comment\":\"customs:found_in=var/lib/dpkg/status\"}]},"
		"{\"SPDXID\":\"SPDXRef-Package-urllib3-2\",\"name\":\"urllib3\",\"versionInfo\":\"1.26.12\","
		"\"supplier\":\"NOASSERTION\",\"licenseDeclared\":\"LicenseRef-MIT-ish\","
		"\"externalRefs\":[{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\","
		"\"referenceLocator\":\"pkg:pypi/urllib3@1.26.12\"}],"
		"\"annotations\":[{\"comment\":\"customs:owner=SPDXRef-Package-python3-1\"},"
		"{\"comment\":\"customs:found_in=usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info\"}]}],"
		"\"hasExtractedLicensingInfos\":[{\"licenseId\":\"LicenseRef-MIT-ish\",\"extractedText\":\"MIT-ish\","
		"\"name\":\"MIT-ish\"},{\"licenseId\":\"LicenseRef-MIT-ish\",\"name\":\"second\"},7]}";
	const cs_package *p, *q;
	const cs_artifact *a;
	cs_scan *s;
	cs_err err;
	int rc;

	s = read_mem("customs.cdx.json", cdx, sizeof(cdx) - 1, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (s) {
		a = cs_scan_artifact(s);
		CHECK_STR(a->name, "docker-archive:app.tar");
		CHECK_STR(a->type, "sbom");
		CHECK_STR(a->image_id, "sha256:2222222222222222222222222222222222222222222222222222222222222222");
		CHECK(a->nrepo_tags == 1 && !strcmp(a->repo_tags[0], "app:1"));
		CHECK_STR(a->os, "linux");
		CHECK_STR(a->arch, "amd64");
		check_os(s, "rocky", "9.3");
		CHECK_STR(cs_scan_os(s)->name, "Rocky Linux 9.3 (Blue Onyx)");
		CHECK_STR(cs_scan_os(s)->codename, "Blue Onyx");
		p = find(s, "rpm", "python3-requests");
		q = find(s, "pypi", "requests");
		CHECK(p && q);
		if (p && q) {
			CHECK_STR(p->vendor, "Rocky Enterprise Software Foundation");
			CHECK(p->maintainer == NULL);
			CHECK_INT(p->installed_size, 123456);
			CHECK_STR(p->found_in, "var/lib/rpm/rpmdb.sqlite");
			CHECK_STR(p->source_name, "python-requests");
			CHECK(!p->third_party);
			/* matched through its OS package's feed only */
			CHECK(q->owner == p);
			CHECK_STR(q->found_in, "usr/lib/python3.9/site-packages/requests-2.25.1.dist-info/METADATA");
		}
		CHECK((p = find(s, "rpm", "zabbix-agent")) != NULL && p->third_party && !strcmp(p->vendor, "Zabbix LLC"));
		/* an owner must be an OS package */
		CHECK((p = find(s, "npm", "orphan")) != NULL && p->owner == NULL &&
		      !strcmp(p->version, "1.0.0-a-very-long-version") && !strcmp(p->arch, "x86_64"));
	}
	cs_scan_free(s);

	s = read_mem("customs.spdx.json", spdx, sizeof(spdx) - 1, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (s) {
		a = cs_scan_artifact(s);
		CHECK_STR(a->name, "docker-archive:app.tar");
		CHECK(a->nrepo_tags == 1 && !strcmp(a->repo_tags[0], "app:1"));
		check_os(s, "debian", "12.5");
		CHECK_STR(cs_scan_os(s)->name, "Debian GNU/Linux 12 (bookworm)");
		CHECK_STR(cs_scan_os(s)->codename, "bookworm");
		p = find(s, "deb", "python3-urllib3");
		q = find(s, "pypi", "urllib3");
		CHECK(p && q);
		if (p && q) {
			CHECK_STR(p->maintainer, "Debian Python Team <team+python@tracker.debian.org>");
			CHECK_STR(p->source_name, "python-urllib3");
			CHECK_STR(p->found_in, "var/lib/dpkg/status");
			CHECK(q->owner == p);
			CHECK(q->maintainer == NULL);
			/* a LicenseRef the document defines reads as its name */
			CHECK(q->nlicenses == 1 && !strcmp(q->licenses[0], "MIT-ish"));
		}
	}
	cs_scan_free(s);
}

/* --- the OS and source packages from purls alone -------------------------------- */

typedef struct os_case {
	const char *purls;   /* '|'-separated */
	const char *family, *version, *name;
	const char *diag;    /* a warning expected, or NULL */
} os_case;

TEST(os_from_purls)
{
	static const os_case cases[] = {
		{"pkg:deb/debian/bash@5.2.15-2?distro=debian-12", "debian", "12", NULL, NULL},
		{"pkg:apk/alpine/musl@1.2.4-r2?distro=3.18.4", "alpine", "3.18.4", NULL, NULL},
		{"pkg:apk/wolfi/glibc@2.39-r1", "wolfi", NULL, NULL, NULL},
		{"pkg:rpm/almalinux/bash@5.1.8-9.el9?distro=almalinux-9.4", "alma", "9.4", NULL, NULL},
		{"pkg:rpm/opensuse/bash@4.4-9.10.1?distro=opensuse-leap-15.5", "opensuse.leap", "15.5",
		 "openSUSE Leap 15.5", NULL},
		{"pkg:rpm/suse/bash@4.4-150400.25.22?distro=sles-15.5", "sles", "15.5",
		 "SUSE Linux Enterprise Server 15 SP5", NULL},
		{"pkg:rpm/suse/bash@4.4-150400.25.22?distro=sles-15", "sles", "15", "SUSE Linux Enterprise Server 15", NULL},
		{"pkg:deb/ubuntu/bash@5.1-6ubuntu1.1?distro=ubuntu-22.04", "ubuntu", "22.04", NULL, NULL},
		/* a codename names the family only; a later purl brings the version */
		{"pkg:deb/debian/a@1?distro=debian-bookworm|pkg:deb/debian/b@1?distro=debian-12.5", "debian", "12.5", NULL,
		 NULL},
		/* disagreements: the first wins, with a warning */
		{"pkg:deb/debian/a@1?distro=debian-12|pkg:deb/debian/b@1?distro=debian-11", "debian", "12", NULL,
		 "1 package url name another distribution; using debian 12"},
		{"pkg:deb/debian/a@1?distro=debian-12|pkg:apk/alpine/b@1?distro=3.19.1", "debian", "12", NULL,
		 "another distribution"},
		/* language packages name no OS */
		{"pkg:npm/left-pad@1.3.0|pkg:pypi/flask@2.0.0", NULL, NULL, NULL, NULL},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_buf b;
		const char *p = cases[i].purls;
		cs_scan *s;
		cs_err err;
		int rc, n = 0;

		cs_buf_init(&b, 1 << 20);
		cs_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[");
		while (*p) {
			size_t len = strcspn(p, "|");

			cs_buf_puts(&b, n++ ? ",{\"type\":\"library\",\"purl\":\"" : "{\"type\":\"library\",\"purl\":\"");
			cs_buf_append(&b, p, len);
			cs_buf_puts(&b, "\"}");
			p += len + (p[len] == '|');
		}
		cs_buf_puts(&b, "]}");
		s = read_mem("os.json", b.data, b.len, NULL, &rc, &err);
		CHECK_INT(rc, 0);
		if (s) {
			const cs_os *os = cs_scan_os(s);

			check_os(s, cases[i].family, cases[i].version);
			if (os && cases[i].name)
				CHECK_STR(os->name, cases[i].name);
			if (cases[i].diag && !has_diag(s, cases[i].diag)) {
				fprintf(stderr, "  case %zu: no warning '%s'\n", i, cases[i].diag);
				test_failures++;
			}
		}
		cs_scan_free(s);
		cs_buf_release(&b);
	}
}

/* The operating-system entry beats the purls; a second one naming another OS is a warning. */
TEST(os_entry_wins)
{
	static const char doc[] =
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":["
		"{\"type\":\"operating-system\",\"name\":\"Debian\",\"version\":\"12.5\"},"
		"{\"type\":\"operating-system\",\"name\":\"alpine\",\"version\":\"3.19.1\"},"
		"{\"type\":\"operating-system\",\"name\":\"debian\",\"version\":\"12.5\"},"
		"{\"type\":\"library\",\"purl\":\"pkg:deb/debian/bash@5.2.15-2?distro=debian-11\"}]}";
	cs_scan *s;
	cs_err err;
	int rc;

	s = read_mem("os.json", doc, sizeof(doc) - 1, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	check_os(s, "debian", "12.5");
	CHECK(has_diag(s, "1 more operating-system entry name another OS; using debian 12.5"));
	cs_scan_free(s);
}

typedef struct src_case {
	const char *purl, *props; /* props: a CycloneDX properties array, or NULL */
	const char *version, *source_name, *source_version;
} src_case;

TEST(source_packages)
{
	static const src_case cases[] = {
		/* deb: Trivy's parts: [epoch:]version[-release] */
		{"pkg:deb/debian/libcap2@2.66-4%2Bdeb12u3%2Bb1?epoch=1",
		 "[{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"libcap2\"},"
		 "{\"name\":\"aquasecurity:trivy:SrcVersion\",\"value\":\"2.66\"},"
		 "{\"name\":\"aquasecurity:trivy:SrcRelease\",\"value\":\"4+deb12u3\"},"
		 "{\"name\":\"aquasecurity:trivy:SrcEpoch\",\"value\":\"1\"}]",
		 "1:2.66-4+deb12u3+b1", "libcap2", "1:2.66-4+deb12u3"},
		/* an older Trivy: the whole version in SrcVersion */
		{"pkg:deb/debian/libidn2-0@2.0.5-1?distro=debian-10.2",
		 "[{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"libidn2\"},"
		 "{\"name\":\"aquasecurity:trivy:SrcVersion\",\"value\":\"2.0.5-1\"}]",
		 "2.0.5-1", "libidn2", "2.0.5-1"},
		/* a source name alone: the binary's version */
		{"pkg:deb/debian/libssl3@3.0.11-1", "[{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"openssl\"}]",
		 "3.0.11-1", "openssl", "3.0.11-1"},
		/* customs' own properties; the version's epoch in the version */
		{"pkg:deb/debian/login@1:4.13%2Bdfsg1-1",
		 "[{\"name\":\"customs:package:source_name\",\"value\":\"shadow\"},"
		 "{\"name\":\"customs:package:source_version\",\"value\":\"1:4.13+dfsg1-1\"}]",
		 "1:4.13+dfsg1-1", "shadow", "1:4.13+dfsg1-1"},
		/* the upstream qualifier, with and without a version */
		{"pkg:deb/debian/bash@5.2.15-2%2Bb2?upstream=bash%405.2.15-2", NULL, "5.2.15-2+b2", "bash", "5.2.15-2"},
		{"pkg:deb/debian/libc6@2.36-9?upstream=glibc", NULL, "2.36-9", "glibc", "2.36-9"},
		{"pkg:deb/debian/odd@1?upstream=%40", NULL, "1", "@", "1"},
		{"pkg:apk/alpine/libcrypto3@3.1.4-r5?upstream=openssl", NULL, "3.1.4-r5", "openssl", "3.1.4-r5"},
		{"pkg:rpm/redhat/openssl-libs@3.0.7-25.el9?epoch=1&upstream=openssl-3.0.7-25.el9.src.rpm", NULL,
		 "1:3.0.7-25.el9", "openssl", "1:3.0.7-25.el9"},
		{"pkg:rpm/redhat/x@1-2?upstream=notasourcerpm", NULL, "1-2", "notasourcerpm", "1-2"},
		/* epoch 0 and a non-number are no epoch */
		{"pkg:rpm/redhat/y@1-2?epoch=0", NULL, "1-2", "y", "1-2"},
		{"pkg:rpm/redhat/y@1-2?epoch=x", NULL, "1-2", "y", "1-2"},
		/* a language package is its own source, whatever the document says */
		{"pkg:npm/qs@6.7.0", "[{\"name\":\"aquasecurity:trivy:SrcName\",\"value\":\"other\"}]", "6.7.0", "qs", "6.7.0"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		char doc[2048];
		cs_scan *s;
		cs_err err;
		int rc, n;

		n = snprintf(doc, sizeof(doc),
			     "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":["
			     "{\"type\":\"library\",\"name\":\"n\",\"purl\":\"%s\"%s%s}]}",
			     cases[i].purl, cases[i].props ? ",\"properties\":" : "", cases[i].props ? cases[i].props : "");
		s = read_mem("src.json", doc, (size_t)n, NULL, &rc, &err);
		CHECK_INT(rc, 0);
		if (s && cs_scan_package_count(s) == 1) {
			const cs_package *p = cs_scan_package(s, 0);

			CHECK_STR(p->version, cases[i].version);
			CHECK_STR(p->source_name, cases[i].source_name);
			CHECK_STR(p->source_version, cases[i].source_version);
		} else {
			fprintf(stderr, "  case %zu: no package\n", i);
			test_failures++;
		}
		cs_scan_free(s);
	}
}

/* --- refused documents ----------------------------------------------------------- */

typedef struct refuse_case {
	const char *doc;
	int code;
	const char *msg; /* part of the one-line message, after the file name */
} refuse_case;

TEST(refused)
{
	static const refuse_case cases[] = {
		{"", CS_EFORMAT, "empty: not a CycloneDX or SPDX JSON document"},
		{" \n\t ", CS_EFORMAT, "empty"},
		{"hello world", CS_EFORMAT, "not a CycloneDX or SPDX JSON document"},
		{"[1,2,3]", CS_EFORMAT, "not a CycloneDX or SPDX JSON document"},
		{"<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>", CS_EFORMAT,
		 "an XML document"},
		{"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", CS_EFORMAT, "an SPDX tag-value document"},
		{"{\"name\":\"x\"}", CS_EFORMAT, "not a CycloneDX or SPDX JSON document (no bomFormat or spdxVersion)"},
		{"{\"bomFormat\":\"CycloneDX\"", CS_EFORMAT, "malformed JSON"},
		{"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"} trailing", CS_EFORMAT, "malformed JSON"},
		{"{\"bomFormat\":\"SPDX\",\"specVersion\":\"1.5\"}", CS_EFORMAT, "bomFormat is not \"CycloneDX\""},
		{"{\"bomFormat\":7,\"specVersion\":\"1.5\"}", CS_EFORMAT, "bomFormat is not \"CycloneDX\""},
		{"{\"bomFormat\":\"CycloneDX\"}", CS_EFORMAT, "CycloneDX document without a specVersion"},
		{"{\"bomFormat\":\"CycloneDX\",\"specVersion\":1.5}", CS_EFORMAT, "without a specVersion string"},
		{"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.2\"}", CS_EFORMAT,
		 "CycloneDX specVersion 1.2 is not supported (1.4, 1.5, 1.6)"},
		{"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.7\"}", CS_EFORMAT, "specVersion 1.7 is not supported"},
		{"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.\\u0001\"}", CS_EFORMAT, "specVersion 1.? is not"},
		{"{\"spdxVersion\":\"SPDX-2.1\"}", CS_EFORMAT, "spdxVersion SPDX-2.1 is not supported (SPDX-2.2, SPDX-2.3)"},
		{"{\"spdxVersion\":2.3}", CS_EFORMAT, "spdxVersion is not a string"},
		{"{\"@context\":\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\",\"@graph\":[]}", CS_EFORMAT,
		 "a JSON-LD document (SPDX 3?)"},
		{"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":{}}", CS_EFORMAT,
		 "components is not an array"},
		{"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":[]}", CS_EFORMAT,
		 "metadata is not an object"},
		{"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":{\"component\":\"x\"}}", CS_EFORMAT,
		 "metadata.component is not an object"},
		{"{\"spdxVersion\":\"SPDX-2.3\",\"packages\":{}}", CS_EFORMAT, "packages is not an array"},
		{"{\"spdxVersion\":\"SPDX-2.3\",\"relationships\":1}", CS_EFORMAT, "relationships is not an array"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_scan *s;
		cs_err err;
		int rc;

		s = read_mem("doc.json", cases[i].doc, strlen(cases[i].doc), NULL, &rc, &err);
		CHECK(s == NULL);
		if (rc != cases[i].code || strncmp(err.msg, "'doc.json': ", 12) != 0 || !strstr(err.msg, cases[i].msg) ||
		    strchr(err.msg, '\n')) {
			fprintf(stderr, "  case %zu: rc %d '%s', expected %d '...%s'\n", i, rc, err.msg, cases[i].code,
				cases[i].msg);
			test_failures++;
		}
		cs_scan_free(s);
	}
}

/* An empty document is not an error; a byte order mark is skipped. */
TEST(accepted_edges)
{
	static const char *const docs[] = {
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\"}",
		"\xef\xbb\xbf{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[]}",
		"{\"spdxVersion\":\"SPDX-2.2\"}",
		"  {\"spdxVersion\":\"SPDX-2.3\",\"packages\":[]}\n\n",
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(docs); i++) {
		cs_scan *s;
		cs_err err;
		int rc;

		s = read_mem("empty.json", docs[i], strlen(docs[i]), NULL, &rc, &err);
		CHECK_INT(rc, 0);
		CHECK(s && cs_scan_package_count(s) == 0 && cs_scan_os(s) == NULL);
		CHECK(has_diag(s, "no package with a package url"));
		if (s) {
			CHECK_STR(cs_scan_artifact(s)->name, "empty.json");
			CHECK_STR(cs_scan_artifact(s)->type, "sbom");
		}
		cs_scan_free(s);
	}
}

TEST(files)
{
	cs_scan_opts o;
	cs_scan *s = (cs_scan *)1;
	cs_err err;
	char dir[256];

	cs_scan_opts_default(&o);
	cs_err_clear(&err);
	CHECK_INT(cs_sbom_scan(&s, "tests/fixtures/sbom/no-such.json", &o, &err), CS_ENOTFOUND);
	CHECK(s == NULL);
	CHECK(strstr(err.msg, "cannot read 'tests/fixtures/sbom/no-such.json'") != NULL);
	if (cf_tmpdir(dir, sizeof(dir), "sbom")) {
		cs_err_clear(&err);
		CHECK_INT(cs_sbom_scan(&s, dir, &o, &err), CS_EIO);
		CHECK(s == NULL && strstr(err.msg, dir) != NULL);
		rmdir(dir);
	}
	/* over the size limit, read from a file */
	o.limits.max_sbom = 1000;
	cs_err_clear(&err);
	CHECK_INT(cs_sbom_scan(&s, FIX "trivy-alpine-311.cdx.json", &o, &err), CS_ELIMIT);
	CHECK(s == NULL && strstr(err.msg, "'" FIX "trivy-alpine-311.cdx.json': larger than 1000 bytes") != NULL);
	o.limits.max_sbom = 22041;
	cs_err_clear(&err);
	CHECK_INT(cs_sbom_scan(&s, FIX "trivy-alpine-311.cdx.json", &o, &err), 0);
	cs_scan_free(s);
	/* a pipe has no size to check first: counted as it is read */
	o.limits.max_sbom = 1000;
	cs_err_clear(&err);
	{
		FILE *pipe_in = popen("cat " FIX "trivy-alpine-311.cdx.json", "r");
		char dev[64];

		CHECK(pipe_in != NULL);
		if (pipe_in) {
			snprintf(dev, sizeof(dev), "/dev/fd/%d", fileno(pipe_in));
			CHECK_INT(cs_sbom_scan(&s, dev, &o, &err), CS_ELIMIT);
			CHECK(s == NULL && strstr(err.msg, "larger than 1000 bytes") != NULL);
			pclose(pipe_in);
		}
	}
}

/* --- limits ---------------------------------------------------------------------- */

/* n components "pkg:npm/p<i>@1.0.0" in a CycloneDX document, in b. */
static void many_components(cs_buf *b, size_t n)
{
	size_t i;

	cs_buf_puts(b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[");
	for (i = 0; i < n; i++)
		cs_buf_printf(b, "%s{\"type\":\"library\",\"purl\":\"pkg:npm/p%zu@1.0.0\"}", i ? "," : "", i);
	cs_buf_puts(b, "]}");
}

TEST(limits)
{
	cs_scan_opts o;
	cs_scan *s;
	cs_buf b;
	cs_err err;
	size_t i;
	int rc;

	/* packages */
	cs_scan_opts_default(&o);
	o.limits.max_sbom_packages = 100;
	cs_buf_init(&b, 64 << 20);
	many_components(&b, 100);
	s = read_mem("many.json", b.data, b.len, &o, &rc, &err);
	CHECK_INT(rc, 0);
	CHECK(s && cs_scan_package_count(s) == 100);
	cs_scan_free(s);
	cs_buf_reset(&b);
	many_components(&b, 101);
	s = read_mem("many.json", b.data, b.len, &o, &rc, &err);
	CHECK_INT(rc, CS_ELIMIT);
	CHECK(s == NULL && !strcmp(err.msg, "'many.json': more than 100 packages"));
	/* JSON values */
	cs_scan_opts_default(&o);
	o.limits.max_sbom_values = 300;
	s = read_mem("many.json", b.data, b.len, &o, &rc, &err);
	CHECK_INT(rc, CS_ELIMIT);
	CHECK(s == NULL && !strcmp(err.msg, "'many.json': more than 300 JSON values"));
	/* nesting: arrays, and components in components */
	cs_scan_opts_default(&o);
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"x\":");
	for (i = 0; i < 100000; i++)
		cs_buf_putc(&b, '[');
	s = read_mem("deep.json", b.data, b.len, &o, &rc, &err);
	CHECK_INT(rc, CS_ELIMIT);
	CHECK(s == NULL && !strcmp(err.msg, "'deep.json': JSON nested deeper than 64 levels"));
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[");
	for (i = 0; i < 40; i++)
		cs_buf_puts(&b, "{\"type\":\"library\",\"purl\":\"pkg:npm/a@1\",\"components\":[");
	for (i = 0; i < 40; i++)
		cs_buf_puts(&b, "]}");
	cs_buf_puts(&b, "]}");
	s = read_mem("deep.json", b.data, b.len, &o, &rc, &err);
	CHECK_INT(rc, CS_ELIMIT);
	CHECK(s == NULL && strstr(err.msg, "nested deeper than") != NULL);
	/* 30 levels of components fit the default limit */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[");
	for (i = 0; i < 30; i++)
		cs_buf_puts(&b, "{\"type\":\"library\",\"purl\":\"pkg:npm/a@1\",\"components\":[");
	for (i = 0; i < 30; i++)
		cs_buf_puts(&b, "]}");
	cs_buf_puts(&b, "]}");
	s = read_mem("deep.json", b.data, b.len, &o, &rc, &err);
	CHECK_INT(rc, 0);
	CHECK(s && cs_scan_package_count(s) == 30);
	cs_scan_free(s);
	/* a string holding brackets is not nesting */
	cs_buf_reset(&b);
	cs_buf_puts(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"x\":\"");
	for (i = 0; i < 1000; i++)
		cs_buf_puts(&b, "[{\\\"");
	cs_buf_puts(&b, "\"}");
	s = read_mem("str.json", b.data, b.len, &o, &rc, &err);
	CHECK_INT(rc, 0);
	cs_scan_free(s);
	/* the size limit on memory */
	o.limits.max_sbom = 10;
	s = read_mem("big.json", b.data, b.len, &o, &rc, &err);
	CHECK_INT(rc, CS_ELIMIT);
	CHECK(s == NULL && !strcmp(err.msg, "'big.json': larger than 10 bytes, the limit for an SBOM"));
	cs_buf_release(&b);
}

/* --- hostile input --------------------------------------------------------------- */

/* Bad purls: the first five one by one, then a count; never an error. */
TEST(bad_purls)
{
	static const char *const bad[] = {
		"pkg:npm/a%", "pkg:npm/a%4", "pkg:npm/a%g1@1", "pkg:npm/%00@1", "pkg:npm/a@1?k", "pkg:npm/a@1?1k=v",
		"pkg:npm/a@1?k=1&k=2", "npm/a@1", "pkg:/a@1", "pkg:3np/a@1", "pkg:npm/@1", "pkg:npm/a@1?k=%zz",
		"pkg:npm/a@1#%", "pkg:n%20pm/a@1", "pkg:npm/\\u0000a@1", "pkg:npm/a\\u0001b@1",
	};
	cs_buf b;
	cs_scan *s;
	cs_err err;
	size_t i, nwarn = 0;
	int rc, level;

	cs_buf_init(&b, 1 << 20);
	cs_buf_puts(&b, "{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[");
	for (i = 0; i < CS_ARRAY_LEN(bad); i++) {
		cs_buf_puts(&b, i ? "," : "");
		cs_buf_puts(&b, "{\"SPDXID\":\"SPDXRef-x\",\"name\":\"x\\u0007y\",\"versionInfo\":\"1\",\"externalRefs\":"
				"[{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\",\"referenceLocator\":\"");
		cs_buf_puts(&b, bad[i]);
		cs_buf_puts(&b, "\"}]}");
	}
	cs_buf_puts(&b, ",{\"SPDXID\":\"SPDXRef-ok\",\"name\":\"ok\",\"externalRefs\":[{\"referenceCategory\":"
			"\"PACKAGE_MANAGER\",\"referenceType\":\"purl\",\"referenceLocator\":\"pkg:npm/ok@2\"}]}]}");
	s = read_mem("bad.json", b.data, b.len, NULL, &rc, &err);
	CHECK_INT(rc, 0);
	if (s) {
		CHECK_INT(cs_scan_package_count(s), 1);
		for (i = 0; i < cs_scan_diag_count(s); i++) {
			const char *m = cs_scan_diag_get(s, i, &level);

			CHECK_INT(level, CS_LOG_WARN);
			/* control bytes of the document never reach a message */
			for (const char *c = m; *c; c++)
				CHECK((unsigned char)*c >= 0x20);
			nwarn += strstr(m, "malformed package url '") != NULL;
		}
		CHECK_INT(nwarn, 5);
		CHECK(has_diag(s, "package 'x?y': malformed package url"));
		CHECK(has_diag(s, "'bad.json': skipped 11 more entries with a malformed package url"));
		CHECK_INT(cs_scan_error_count(s), 0);
	}
	cs_scan_free(s);
	cs_buf_release(&b);
}

/* A scan (or a refusal) that keeps every promise: rc 0 or a one-line error naming the document. */
static void try_doc(const char *data, size_t len, void *payload)
{
	const char *name = payload;
	char *exact = malloc(len ? len : 1);
	cs_scan *s;
	cs_err err;
	size_t i;
	int rc;

	if (!exact)
		return;
	memcpy(exact, data, len);
	s = read_mem(name, exact, len, NULL, &rc, &err);
	if (rc == 0) {
		if (!s) {
			fprintf(stderr, "  %s (%zu bytes): success without a scan\n", name, len);
			test_failures++;
		}
		for (i = 0; s && i < cs_scan_package_count(s); i++) {
			const cs_package *p = cs_scan_package(s, i);

			if (!p->type || !p->name || !*p->name || !p->version || !*p->version || !p->purl ||
			    !p->source_name || !p->source_version) {
				fprintf(stderr, "  %s (%zu bytes): a package with a missing field\n", name, len);
				test_failures++;
				break;
			}
		}
	} else if (s || (rc != CS_EFORMAT && rc != CS_ELIMIT) || !strstr(err.msg, name) || strchr(err.msg, '\n')) {
		fprintf(stderr, "  %s (%zu bytes): rc %d '%s'\n", name, len, rc, err.msg);
		test_failures++;
	}
	cs_scan_free(s);
	free(exact);
}

static const char *const all_fixtures[] = {
	FIX "cdx-1.4.json", FIX "cdx-1.6.json", FIX "spdx-2.2.json", FIX "spdx-2.3.json",
	FIX "trivy-alpine-311.cdx.json", FIX "trivy-alpine-311.spdx.json",
	FIX "trivy-debian-excerpt.cdx.json", FIX "trivy-debian-excerpt.spdx.json",
};

/* Every cut of the handwritten documents and every 53rd of Trivy's; byte flips in the first 2 KiB. */
TEST(truncated_and_flipped)
{
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(all_fixtures); i++) {
		size_t len, cut;
		char *data = test_read_file(all_fixtures[i], &len);

		if (!data) {
			fprintf(stderr, "  cannot read %s\n", all_fixtures[i]);
			test_failures++;
			continue;
		}
		if (len < 8192) {
			cf_cut_flip(try_doc, (void *)"cut.json", data, len, len, 2048);
		} else {
			for (cut = 0; cut <= len; cut += 53)
				try_doc(data, cut, (void *)"cut.json");
			cf_cut_flip(try_doc, (void *)"cut.json", data, len, 0, 2048);
		}
		free(data);
	}
}

/*
 * Each JSON value of a document replaced in turn by a value of every other
 * type (and objects and arrays emptied): wrong types anywhere are a skip
 * or a one-line error, never a crash or a package with a hole.
 */
static void retype_all(cJSON *root, cJSON *node)
{
	cJSON *c;

	for (c = node->child; c; c = c->next) {
		static const char *const subst[] = {"1", "\"x\"", "null", "true", "[]", "{}", "[{}]", "\"pkg:npm/x@1\""};
		size_t k;

		for (k = 0; k < CS_ARRAY_LEN(subst); k++) {
			cJSON *repl = cJSON_Parse(subst[k]), *saved_next = c->next, *saved_prev = c->prev;
			char *text;

			if (!repl)
				continue;
			/* swap c out for repl in place, print, swap back */
			repl->string = c->string;
			repl->next = saved_next;
			repl->prev = saved_prev;
			if (node->child == c)
				node->child = repl;
			else
				saved_prev->next = repl;
			if (saved_next)
				saved_next->prev = repl;
			else
				node->child->prev = repl;
			text = cJSON_PrintUnformatted(root);
			if (text) {
				try_doc(text, strlen(text), (void *)"retyped.json");
				free(text);
			}
			if (node->child == repl)
				node->child = c;
			else
				saved_prev->next = c;
			if (saved_next)
				saved_next->prev = c;
			else
				node->child->prev = c;
			repl->string = NULL;
			repl->next = repl->prev = NULL;
			cJSON_Delete(repl);
		}
		if (c->child)
			retype_all(root, c);
	}
}

TEST(wrong_types)
{
	static const char *const docs[] = {FIX "cdx-1.4.json", FIX "cdx-1.6.json", FIX "spdx-2.3.json"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(docs); i++) {
		cJSON *j = cf_read_json_file(docs[i], false);

		if (j)
			retype_all(j, j);
		cJSON_Delete(j);
	}
}

TEST(nuls_and_oddities)
{
	static const char raw_nul[] = "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\0\"components\":[]}";
	static const char *const docs[] = {
		/* \u0000 inside strings: cJSON ends them there */
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[{\"type\":\"library\","
		"\"purl\":\"pkg:npm/a@1\\u0000junk\",\"name\":\"a\\u0000b\"}]}",
		"{\"bomFormat\":\"CycloneDX\\u0000\",\"specVersion\":\"1.5\"}",
		/* duplicate keys, huge numbers, deep but legal */
		"{\"bomFormat\":\"CycloneDX\",\"bomFormat\":\"x\",\"specVersion\":\"1.5\",\"version\":1e999999,"
		"\"components\":[{\"type\":\"library\",\"purl\":\"pkg:npm/a@1\",\"purl\":\"pkg:npm/b@2\"}]}",
		/* invalid UTF-8 in names */
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[{\"type\":\"library\","
		"\"purl\":\"pkg:npm/%FF%FE@1\",\"name\":\"\xff\xfe\"}]}",
		/* a purl with every qualifier empty, a subpath, a version made of escapes */
		"{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[{\"type\":\"library\","
		"\"purl\":\"pkg:golang/a/b@%76%31?x=&y=#/../sub/./p/\"}]}",
		/* a version only in the document, and none at all */
		"{\"spdxVersion\":\"SPDX-2.3\",\"packages\":[{\"versionInfo\":\"2.0\",\"externalRefs\":[{"
		"\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\",\"referenceLocator\":\"pkg:gem/a\"}]},"
		"{\"externalRefs\":[{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\","
		"\"referenceLocator\":\"pkg:gem/b\"}]}, 7, \"x\", null]}",
	};
	cs_scan *s;
	cs_err err;
	size_t i;
	int rc;

	try_doc(raw_nul, sizeof(raw_nul) - 1, (void *)"nul.json");
	s = read_mem("nul.json", raw_nul, sizeof(raw_nul) - 1, NULL, &rc, &err);
	CHECK_INT(rc, CS_EFORMAT);
	cs_scan_free(s);
	for (i = 0; i < CS_ARRAY_LEN(docs); i++)
		try_doc(docs[i], strlen(docs[i]), (void *)"odd.json");
	s = read_mem("odd.json", docs[0], strlen(docs[0]), NULL, &rc, &err);
	CHECK(rc == 0 && s && cs_scan_package_count(s) == 1);
	cs_scan_free(s);
	s = read_mem("odd.json", docs[4], strlen(docs[4]), NULL, &rc, &err);
	CHECK(rc == 0 && s && cs_scan_package_count(s) == 1);
	if (s && cs_scan_package_count(s) == 1) {
		CHECK_STR(cs_scan_package(s, 0)->name, "a/b");
		CHECK_STR(cs_scan_package(s, 0)->version, "v1");
		CHECK_STR(cs_scan_package(s, 0)->purl, "pkg:golang/a/b@v1#sub/p");
	}
	cs_scan_free(s);
	s = read_mem("odd.json", docs[5], strlen(docs[5]), NULL, &rc, &err);
	CHECK(rc == 0 && s && cs_scan_package_count(s) == 1);
	CHECK(has_diag(s, "skipped 1 package without a version"));
	CHECK(has_diag(s, "skipped 3 entries that are not JSON objects"));
	if (s && cs_scan_package_count(s) == 1)
		CHECK_STR(cs_scan_package(s, 0)->version, "2.0");
	cs_scan_free(s);
}

/* The fuzz corpus replays through the same promises. */
TEST(corpus)
{
	static const char dir[] = "tests/fuzz/corpus/sbom";
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	CHECK(d != NULL);
	while (d && (de = readdir(d))) {
		char path[512];
		size_t len;
		char *data;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((data = test_read_file(path, &len)) != NULL) {
			try_doc(data, len, (void *)"corpus.json");
			n++;
		}
		free(data);
	}
	if (d)
		closedir(d);
	CHECK(n >= 8);
}

TEST_MAIN(TEST_ENTRY(trivy_alpine_equals_image_scan), TEST_ENTRY(trivy_debian_excerpt), TEST_ENTRY(trivy_centos_rpm),
	  TEST_ENTRY(cyclonedx_1_4), TEST_ENTRY(cyclonedx_1_6), TEST_ENTRY(spdx_2_2), TEST_ENTRY(spdx_2_3),
	  TEST_ENTRY(customs_properties),
	  TEST_ENTRY(os_from_purls), TEST_ENTRY(os_entry_wins), TEST_ENTRY(source_packages), TEST_ENTRY(refused),
	  TEST_ENTRY(accepted_edges), TEST_ENTRY(files), TEST_ENTRY(limits), TEST_ENTRY(bad_purls),
	  TEST_ENTRY(truncated_and_flipped), TEST_ENTRY(wrong_types), TEST_ENTRY(nuls_and_oddities), TEST_ENTRY(corpus))
