/*
 * test_trivyjson.c - the Trivy JSON writer (src/report/trivyjson.c,
 * src/report/targets.c), parsed back with cJSON:
 *
 *  - shape: the top-level keys, Results grouped as Trivy groups them (one
 *    OS result, aggregated language kinds, one result per binary or
 *    lockfile), Trivy's types, classes and key order;
 *  - values in Trivy's words: UPPER-CASE severities (negligible is LOW),
 *    statuses (not_fixed is affected), split deb versions, package IDs,
 *    CVSS per source, data sources, the fields consumers print unchecked;
 *  - secrets from a real scan of a docker archive and of a root
 *    filesystem: one result per file, Trivy's Secrets[] keys, layers,
 *    never the secret;
 *  - misconfigurations: a "config" Result for the image (named after it,
 *    type dockerfile) and one per Dockerfile, Trivy's Misconfigurations[]
 *    keys and MisconfSummary; suppressed findings of every kind only in
 *    ExperimentalModifiedFindings, with Trivy's status words;
 *  - hostile strings: valid JSON, valid UTF-8, metacharacters kept;
 *  - determinism: equal scans give equal bytes.
 */
#include "core/compat.h"

#include "report/report.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/catfix.h"
#include "unit/reportfix.h"

#include <cJSON.h>

#define GH_TOKEN "ghp_R8tYq2LmZ4xW7vN1cK9pB3sD6fH0jG5aE2uQ"

/* The report of s parsed back, or NULL (a failure). */
static cJSON *report(const cs_scan *s)
{
	size_t n = 0;
	char *text = rf_write(cs_report_trivy_json, s, &n);
	cJSON *j;

	CHECK(text != NULL);
	if (!text)
		return NULL;
	CHECK(rf_utf8_valid(text, n));
	j = cJSON_Parse(text);
	CHECK(j != NULL);
	free(text);
	return j;
}

/* The object's keys joined with ',' into buf. */
static const char *keys(const cJSON *o, char *buf, size_t sz)
{
	const cJSON *c;
	size_t n = 0;

	buf[0] = '\0';
	for (c = o ? o->child : NULL; c; c = c->next)
		n += (size_t)snprintf(buf + n, n < sz ? sz - n : 0, "%s%s", n ? "," : "", c->string);
	return buf;
}

static const char *str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *result_named(const cJSON *root, const char *target)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(root, "Results"))
		if (str(r, "Target") && !strcmp(str(r, "Target"), target))
			return r;
	return NULL;
}

static const cJSON *find_by(const cJSON *arr, const char *key, const char *value)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
		if (str(e, key) && !strcmp(str(e, key), value))
			return e;
	return NULL;
}

TEST(top_level)
{
	cs_scan *s = rf_fixture();
	cJSON *j;
	char buf[512];

	CHECK(s != NULL);
	if (!s || !(j = report(s))) {
		cs_scan_free(s);
		return;
	}
	CHECK_STR(keys(j, buf, sizeof(buf)), "SchemaVersion,CreatedAt,ArtifactName,ArtifactType,Metadata,Results");
	CHECK_INT(cJSON_GetObjectItemCaseSensitive(j, "SchemaVersion")->valueint, 2);
	CHECK_STR(str(j, "CreatedAt"), "2023-11-14T22:13:20Z");
	CHECK_STR(str(j, "ArtifactName"), "registry.example/app:1");
	/* an inventory: no image metadata, the OS only */
	CHECK_STR(keys(cJSON_GetObjectItemCaseSensitive(j, "Metadata"), buf, sizeof(buf)), "OS");
	CHECK_STR(keys(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "Metadata"), "OS"), buf,
		       sizeof(buf)),
		  "Family,Name");
	cJSON_Delete(j);
	cs_scan_free(s);
}

TEST(grouping)
{
	static const char *const want[][3] = {
		{"registry.example/app:1 (debian 12.5)", "os-pkgs", "debian"},
		{"Java", "lang-pkgs", "jar"},
		{"Python", "lang-pkgs", "python-pkg"},
		{"app/api.deps.json", "lang-pkgs", "dotnet-core"},
		{"srv/web/package-lock.json", "lang-pkgs", "npm"},
		{"usr/local/bin/app", "lang-pkgs", "gobinary"},
		{"usr/local/bin/tool", "lang-pkgs", "gobinary"},
	};
	cs_scan *s = rf_fixture();
	const cJSON *r, *results;
	cJSON *j;
	size_t i = 0;

	if (!s || !(j = report(s))) {
		cs_scan_free(s);
		return;
	}
	results = cJSON_GetObjectItemCaseSensitive(j, "Results");
	CHECK_INT(cJSON_GetArraySize(results), CS_ARRAY_LEN(want));
	cJSON_ArrayForEach(r, results)
	{
		if (i >= CS_ARRAY_LEN(want))
			break;
		CHECK_STR(str(r, "Target"), want[i][0]);
		CHECK_STR(str(r, "Class"), want[i][1]);
		CHECK_STR(str(r, "Type"), want[i][2]);
		i++;
	}
	r = result_named(j, "Python");
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "Packages")), 2);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "Vulnerabilities")), 1);
	r = result_named(j, "usr/local/bin/tool");
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, "Packages")), 1);
	cJSON_Delete(j);
	cs_scan_free(s);
}

TEST(os_packages)
{
	cs_scan *s = rf_fixture();
	const cJSON *pkgs, *p;
	cJSON *j;
	char buf[512];

	if (!s || !(j = report(s))) {
		cs_scan_free(s);
		return;
	}
	pkgs = cJSON_GetObjectItemCaseSensitive(result_named(j, "registry.example/app:1 (debian 12.5)"), "Packages");
	CHECK_INT(cJSON_GetArraySize(pkgs), 3);
	/* epoch and revision split as Trivy splits them; the ID keeps the whole version */
	p = find_by(pkgs, "Name", "bsdutils");
	CHECK_STR(keys(p, buf, sizeof(buf)), "ID,Name,Identifier,Version,Release,Epoch,Arch,SrcName,SrcVersion,SrcRelease");
	CHECK_STR(str(p, "ID"), "bsdutils@1:2.38.1-5+deb12u1");
	CHECK_STR(str(p, "Version"), "2.38.1");
	CHECK_STR(str(p, "Release"), "5+deb12u1");
	CHECK_INT(cJSON_GetObjectItemCaseSensitive(p, "Epoch")->valueint, 1);
	CHECK_STR(str(p, "SrcName"), "util-linux");
	CHECK_STR(keys(cJSON_GetObjectItemCaseSensitive(p, "Identifier"), buf, sizeof(buf)), "PURL,UID");
	CHECK_INT(strlen(str(cJSON_GetObjectItemCaseSensitive(p, "Identifier"), "UID")), 16);
	/* binNMU: the binary's version and the source's */
	p = find_by(pkgs, "Name", "bash");
	CHECK_STR(str(p, "Release"), "2+b2");
	CHECK_STR(str(p, "SrcRelease"), "2");
	CHECK(cJSON_GetObjectItemCaseSensitive(p, "Layer") == NULL); /* no layers in an inventory */
	p = find_by(pkgs, "Name", "libc6");
	CHECK_STR(str(p, "Maintainer"), "GNU Libc Maintainers <debian-glibc@lists.debian.org>");
	cJSON_Delete(j);
	cs_scan_free(s);
}

TEST(vulnerabilities)
{
	cs_scan *s = rf_fixture();
	const cJSON *os, *v, *cvss;
	cJSON *j;
	char buf[1024];

	if (!s || !(j = report(s))) {
		cs_scan_free(s);
		return;
	}
	os = cJSON_GetObjectItemCaseSensitive(result_named(j, "registry.example/app:1 (debian 12.5)"), "Vulnerabilities");
	CHECK_INT(cJSON_GetArraySize(os), 2);
	/* Trivy's order: package name first */
	CHECK_STR(str(cJSON_GetArrayItem(os, 0), "PkgName"), "bash");
	v = find_by(os, "VulnerabilityID", "CVE-2023-4911");
	CHECK_STR(keys(v, buf, sizeof(buf)),
		  "VulnerabilityID,VendorIDs,PkgID,PkgName,PkgIdentifier,InstalledVersion,FixedVersion,Status,"
		  "SeveritySource,PrimaryURL,DataSource,Title,Description,Severity,CVSS,References");
	CHECK_STR(str(v, "PkgID"), "libc6@2.36-9+deb12u4");
	CHECK_STR(str(v, "InstalledVersion"), "2.36-9+deb12u4");
	CHECK_STR(str(v, "FixedVersion"), "2.36-9+deb12u3");
	CHECK_STR(str(v, "Status"), "fixed");
	CHECK_STR(str(v, "Severity"), "HIGH");
	CHECK_STR(str(v, "SeveritySource"), "debian");
	CHECK_STR(str(v, "PrimaryURL"), "https://nvd.nist.gov/vuln/detail/CVE-2023-4911");
	CHECK_STR(str(cJSON_GetObjectItemCaseSensitive(v, "DataSource"), "ID"), "debian");
	CHECK_STR(str(cJSON_GetObjectItemCaseSensitive(v, "DataSource"), "Name"), "Debian Security Tracker");
	CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(v, "VendorIDs"), 0)),
		  "DSA-5514-1");
	cvss = cJSON_GetObjectItemCaseSensitive(v, "CVSS");
	/* sources in name order; per source the first vector of each CVSS version */
	CHECK_STR(keys(cvss, buf, sizeof(buf)), "nvd,redhat");
	CHECK_STR(keys(cJSON_GetObjectItemCaseSensitive(cvss, "nvd"), buf, sizeof(buf)),
		  "V2Vector,V3Vector,V2Score,V3Score");
	CHECK_STR(str(cJSON_GetObjectItemCaseSensitive(cvss, "nvd"), "V3Vector"),
		  "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H");
	CHECK(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cvss, "nvd"), "V3Score")->valuedouble ==
	      7.8);
	/* negligible, no fix, no title: LOW, affected, and "" where consumers print the field */
	v = find_by(os, "VulnerabilityID", "CVE-2022-3715");
	CHECK_STR(str(v, "Severity"), "LOW");
	CHECK_STR(str(v, "Status"), "affected");
	CHECK_STR(str(v, "FixedVersion"), "");
	CHECK_STR(str(v, "Title"), "");
	CHECK_STR(str(v, "Description"), "");
	/* aggregated kinds name the file; the CVSS source defaults to the feed */
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(result_named(j, "Python"), "Vulnerabilities"), 0);
	CHECK_STR(str(v, "PkgPath"), "usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA");
	CHECK_STR(str(v, "SeveritySource"), "osv");
	CHECK_STR(str(cJSON_GetObjectItemCaseSensitive(v, "DataSource"), "Name"), "osv-pypi");
	CHECK_STR(keys(cJSON_GetObjectItemCaseSensitive(v, "CVSS"), buf, sizeof(buf)), "osv");
	CHECK_STR(str(v, "Severity"), "MEDIUM");
	/* package IDs by kind; statuses */
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(result_named(j, "Java"), "Vulnerabilities"), 0);
	CHECK_STR(str(v, "PkgID"), "org.apache.logging.log4j:log4j-core:2.14.1");
	CHECK_STR(str(v, "PkgPath"), "opt/app/app.war/WEB-INF/lib/log4j-core-2.14.1.jar");
	CHECK_STR(str(v, "Severity"), "CRITICAL");
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(result_named(j, "usr/local/bin/tool"), "Vulnerabilities"), 0);
	CHECK_STR(str(v, "PkgID"), "stdlib@v1.20.1");
	CHECK_STR(str(v, "Severity"), "UNKNOWN");
	CHECK_STR(str(v, "PrimaryURL"), "https://osv.dev/vulnerability/GO-2023-1621");
	CHECK(cJSON_GetObjectItemCaseSensitive(v, "PkgPath") == NULL);
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(result_named(j, "usr/local/bin/app"), "Vulnerabilities"), 0);
	CHECK_STR(str(v, "PrimaryURL"), "https://github.com/advisories/GHSA-vvpx-j8f3-3w6h");
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(result_named(j, "srv/web/package-lock.json"), "Vulnerabilities"), 0);
	CHECK_STR(str(v, "Status"), "will_not_fix");
	CHECK_STR(str(cJSON_GetObjectItemCaseSensitive(v, "DataSource"), "ID"), "ghsa");
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(result_named(j, "app/api.deps.json"), "Vulnerabilities"), 0);
	CHECK_STR(str(v, "Status"), "end_of_life");
	CHECK_STR(str(v, "PkgID"), "Newtonsoft.Json/12.0.1");
	cJSON_Delete(j);
	cs_scan_free(s);
}

/* Results without findings: the OS result keeps its packages and has no Vulnerabilities key. */
TEST(no_findings)
{
	cs_scan *s = rf_new("scratch", "alpine", "3.19.1");
	cJSON *j;
	char buf[256];

	if (!s)
		return;
	CHECK(rf_pkg(s, "apk", "musl", "1.2.4-r2", "lib/apk/db/installed", "pkg:apk/alpine/musl@1.2.4-r2") != NULL);
	rf_done(s);
	if ((j = report(s)) != NULL) {
		const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "Results"), 0);

		CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "Results")), 1);
		CHECK_STR(keys(r, buf, sizeof(buf)), "Target,Class,Type,Packages");
		CHECK_STR(str(r, "Target"), "scratch (alpine 3.19.1)");
		cJSON_Delete(j);
	}
	cs_scan_free(s);
}

/* Matching did not run: no package results (Trivy lists packages only with its vulnerability scanner). */
TEST(inventory_only)
{
	cs_scan *s = rf_new("inv", "alpine", "3.19.1");
	cJSON *j;

	if (!s)
		return;
	CHECK(rf_pkg(s, "apk", "musl", "1.2.4-r2", "lib/apk/db/installed", NULL) != NULL);
	cs_scan_inventory_done(s);
	if ((j = report(s)) != NULL) {
		CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "Results")), 0);
		cJSON_Delete(j);
	}
	cs_scan_free(s);
}

TEST(secrets_in_layers)
{
	static const cf_entry l0[] = {
		CF_DIR("app/"),
		CF_TEXT("app/token.txt", "# ci\nGITHUB_TOKEN=" GH_TOKEN "\n"),
		CF_END,
	};
	static const cf_entry l1[] = {CF_TEXT("app/.wh.token.txt", ""), CF_END};
	const cf_entry *const layers[] = {l0, l1};
	char path[256];
	cs_scan *s = rf_scan_layers(path, sizeof(path), layers, 2);
	const cJSON *r, *sec;
	cJSON *j;
	char buf[512], *text;

	if (!s)
		return;
	text = rf_write(cs_report_trivy_json, s, NULL);
	CHECK(text && !strstr(text, GH_TOKEN + 8));
	free(text);
	if ((j = report(s)) != NULL) {
		CHECK_STR(str(j, "ArtifactType"), "container_image");
		CHECK_STR(keys(cJSON_GetObjectItemCaseSensitive(j, "Metadata"), buf, sizeof(buf)),
			  "Size,ImageID,DiffIDs,RepoTags,ImageConfig,Layers");
		/* the secret's file, and the image's config target when the audit found something */
		CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "Results")),
			  1 + (cs_scan_misconfig_count(s) > 0));
		r = result_named(j, "/app/token.txt");
		CHECK(r != NULL);
		CHECK_STR(keys(r, buf, sizeof(buf)), "Target,Class,Secrets");
		CHECK_STR(str(r, "Class"), "secret");
		sec = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "Secrets"), 0);
		CHECK_STR(keys(sec, buf, sizeof(buf)), "RuleID,Category,Severity,Title,StartLine,EndLine,Code,Match,Layer");
		CHECK_STR(str(sec, "RuleID"), "github-pat");
		CHECK_STR(str(sec, "Severity"), "CRITICAL");
		CHECK_INT(cJSON_GetObjectItemCaseSensitive(sec, "StartLine")->valueint, 2);
		CHECK_INT(cJSON_GetObjectItemCaseSensitive(sec, "EndLine")->valueint, 2);
		CHECK_STR(str(cJSON_GetObjectItemCaseSensitive(sec, "Layer"), "DiffID"), cs_scan_layer(s, 0)->diff_id);
		CHECK_STR(keys(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(sec, "Code"), "Lines"), 0),
			       buf, sizeof(buf)),
			  "Number,Content,IsCause,Annotation,Truncated,Highlighted,FirstCause,LastCause");
		cJSON_Delete(j);
	}
	cs_scan_free(s);
}

/* A root filesystem: "filesystem", relative secret targets, no layers. */
TEST(secrets_rootfs)
{
	char root[64], path[256];
	cs_scan *s;
	cJSON *j;

	if (!cf_tmpdir(root, sizeof(root), "trivyjson"))
		return;
	snprintf(path, sizeof(path), "%s/etc/app.env", root);
	CHECK(cf_write(path, "GITHUB_TOKEN=" GH_TOKEN "\n", strlen("GITHUB_TOKEN=" GH_TOKEN "\n")));
	s = cf_scan(root, true, 1);
	if (s && (j = report(s)) != NULL) {
		const cJSON *r = result_named(j, "etc/app.env");

		CHECK_STR(str(j, "ArtifactType"), "filesystem");
		CHECK(r != NULL);
		CHECK(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "Secrets"), 0),
						       "Layer") == NULL);
		cJSON_Delete(j);
	}
	cs_scan_free(s);
	cf_sh("rm -rf '%s'", root);
}

TEST(hostile_strings)
{
	cs_scan *s = rf_hostile();
	const cJSON *r, *p, *v;
	cJSON *j;

	if (!s || !(j = report(s))) {
		cs_scan_free(s);
		return;
	}
	/* valid parts kept byte for byte, the rest U+FFFD */
	r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "Results"), 0);
	CHECK_STR(str(r, "Target"), "img<&\"']]>\x02\xef\xbf\xbd (debian 12\"<&)");
	p = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "Packages"), 0);
	CHECK_STR(str(p, "Name"), "ev\"il<&>'\\]]>\x01\x1b[31m\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd(");
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "Vulnerabilities"), 0);
	CHECK_STR(str(v, "Title"), "title with ]]> and <tag> & \"quotes\" and \x01 and \xef\xbf\xbd");
	r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "Results"), 1);
	CHECK_STR(str(r, "Target"), "srv/\xef\xbf\xbd]]>&<\"'\x03/package-lock.json");
	v = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "Vulnerabilities"), 0);
	CHECK_STR(str(v, "Severity"), "UNKNOWN");
	CHECK_STR(str(v, "FixedVersion"), "\xef\xbf\xbd");
	cJSON_Delete(j);
	cs_scan_free(s);
}

TEST(deterministic)
{
	cs_scan *a = rf_fixture(), *b = rf_fixture();
	char *x = a ? rf_write(cs_report_trivy_json, a, NULL) : NULL;
	char *y = b ? rf_write(cs_report_trivy_json, b, NULL) : NULL;
	char *z = a ? rf_write(cs_report_trivy_json, a, NULL) : NULL;

	CHECK(x && y && z);
	if (x && y && z) {
		CHECK(strcmp(x, y) == 0);
		CHECK(strcmp(x, z) == 0);
	}
	free(x);
	free(y);
	free(z);
	cs_scan_free(a);
	cs_scan_free(b);
}

/* How many elements the key's arrays of every Result hold together. */
static int total(const cJSON *root, const char *key)
{
	const cJSON *r;
	int n = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(root, "Results"))
		n += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(r, key));
	return n;
}

TEST(misconfigurations)
{
	cs_scan *s = rf_issue7("fail");
	const cJSON *results, *img, *df, *m, *cm, *sum, *mod;
	cJSON *j;
	char buf[512];
	int n;

	if (!s || !(j = report(s))) {
		cs_scan_free(s);
		return;
	}
	results = cJSON_GetObjectItemCaseSensitive(j, "Results");
	/* the image's config Result, then the Dockerfile's, after the packages' */
	n = cJSON_GetArraySize(results);
	img = cJSON_GetArrayItem(results, n - 2);
	df = cJSON_GetArrayItem(results, n - 1);
	CHECK_STR(str(img, "Target"), "registry.example/app:1");
	CHECK_STR(str(df, "Target"), "build/Dockerfile");
	CHECK_STR(keys(img, buf, sizeof(buf)), "Target,Class,Type,MisconfSummary,Misconfigurations,ExperimentalModifiedFindings");
	CHECK_STR(keys(df, buf, sizeof(buf)), "Target,Class,Type,MisconfSummary,Misconfigurations");
	CHECK_STR(str(img, "Class"), "config");
	CHECK_STR(str(img, "Type"), "dockerfile");
	CHECK_STR(str(df, "Type"), "dockerfile");
	sum = cJSON_GetObjectItemCaseSensitive(img, "MisconfSummary");
	CHECK_STR(keys(sum, buf, sizeof(buf)), "Successes,Failures,Exceptions");
	CHECK_INT(cJSON_GetObjectItemCaseSensitive(sum, "Failures")->valueint, 3); /* CS-IMG-002 is suppressed */
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(img, "Misconfigurations")), 3);
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(df, "Misconfigurations")), 2);

	m = find_by(cJSON_GetObjectItemCaseSensitive(df, "Misconfigurations"), "ID", "CS-DF-002");
	CHECK_STR(keys(m, buf, sizeof(buf)), "Type,ID,AVDID,Title,Description,Message,Namespace,Query,Resolution,Severity,"
					    "PrimaryURL,References,Status,Layer,CauseMetadata");
	CHECK_STR(str(m, "Type"), "Dockerfile Security Check");
	CHECK_STR(str(m, "Severity"), "HIGH");
	CHECK_STR(str(m, "Status"), "FAIL");
	CHECK_STR(str(m, "Namespace"), "customs.dockerfile.CS-DF-002");
	CHECK_STR(str(m, "Query"), "data.customs.dockerfile.CS-DF-002.deny");
	CHECK_STR(str(m, "Message"), "Last USER is root (line 5)");
	CHECK_STR(str(m, "Resolution"), "How to fix it.");
	CHECK_STR(str(m, "PrimaryURL"), "");
	CHECK_STR(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(m, "References"), 0)->valuestring,
		  "CIS Docker Benchmark 4.1");
	CHECK(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(m, "Layer")));
	cm = cJSON_GetObjectItemCaseSensitive(m, "CauseMetadata");
	CHECK_STR(keys(cm, buf, sizeof(buf)), "Provider,Service,StartLine,EndLine,Code");
	CHECK_INT(cJSON_GetObjectItemCaseSensitive(cm, "StartLine")->valueint, 5);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cm, "Code"), "Lines")));
	/* no CIS item: no References; no message: the title */
	m = find_by(cJSON_GetObjectItemCaseSensitive(df, "Misconfigurations"), "ID", "CS-DF-001");
	CHECK(cJSON_GetObjectItemCaseSensitive(m, "References") == NULL);
	CHECK_STR(str(m, "Message"), "FROM uses the latest tag");
	/* the image's: the config member or file as the cause's Resource */
	m = find_by(cJSON_GetObjectItemCaseSensitive(img, "Misconfigurations"), "ID", "CS-IMG-012");
	CHECK_STR(str(m, "Type"), "Container Image Security Check");
	cm = cJSON_GetObjectItemCaseSensitive(m, "CauseMetadata");
	CHECK_STR(keys(cm, buf, sizeof(buf)), "Resource,Provider,Service,Code");
	CHECK_STR(str(cm, "Resource"), "usr/bin/sudo");

	/* suppressed findings: never listed with the others, each in its Result's ExperimentalModifiedFindings */
	CHECK_INT(total(j, "Vulnerabilities"), 5);
	CHECK_INT(total(j, "ExperimentalModifiedFindings"), 4);
	mod = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(img, "ExperimentalModifiedFindings"), 0);
	CHECK_STR(keys(mod, buf, sizeof(buf)), "Type,Status,Statement,Source,Finding");
	CHECK_STR(str(mod, "Type"), "misconfiguration");
	CHECK_STR(str(mod, "Status"), "ignored");
	CHECK_STR(str(mod, "Statement"), "accepted: the bastion image needs ssh");
	CHECK_STR(str(mod, "Source"), ".customsignore.yaml");
	CHECK_STR(str(cJSON_GetObjectItemCaseSensitive(mod, "Finding"), "ID"), "CS-IMG-002");
	mod = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(results, 0), "ExperimentalModifiedFindings"), 0);
	CHECK_STR(str(mod, "Type"), "vulnerability");
	CHECK_STR(str(mod, "Status"), "not_affected");
	CHECK_STR(str(mod, "Statement"), "vulnerable_code_not_in_execute_path");
	CHECK_STR(str(cJSON_GetObjectItemCaseSensitive(mod, "Finding"), "VulnerabilityID"), "CVE-2023-4911");
	mod = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(result_named(j, "usr/local/bin/tool"), "ExperimentalModifiedFindings"), 0);
	CHECK_STR(str(mod, "Status"), "fixed");
	CHECK_STR(str(mod, "Statement"), "fixed");
	/* a target whose one finding is suppressed lists no Vulnerabilities at all */
	CHECK(cJSON_GetObjectItemCaseSensitive(result_named(j, "usr/local/bin/tool"), "Vulnerabilities") == NULL);
	mod = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(result_named(j, "srv/web/package-lock.json"), "ExperimentalModifiedFindings"), 0);
	CHECK_STR(str(mod, "Status"), "ignored");
	CHECK_STR(str(mod, "Statement"), RF_IGNORE_REASON);
	cJSON_Delete(j);
	cs_scan_free(s);
}

/* A suppressed secret of a real scan: its file's Result keeps it in ExperimentalModifiedFindings only. */
TEST(suppressed_secret)
{
	static const cf_entry l0[] = {CF_DIR("app/"), CF_TEXT("app/token.txt", "GITHUB_TOKEN=" GH_TOKEN "\n"), CF_END};
	const cf_entry *const layers[] = {l0};
	char path[256], buf[256];
	cs_scan *s = rf_scan_layers(path, sizeof(path), layers, 1);
	const cJSON *r, *mod;
	cJSON *j;

	if (!s)
		return;
	CHECK(cs_scan_secret_count(s) == 1);
	if (cs_scan_secret_count(s) == 1)
		cs_scan_secret_mut(s, 0)->suppressed = (cs_suppression){"vex", "false_positive: code_not_present", "v.json"};
	if ((j = report(s)) != NULL) {
		r = result_named(j, "/app/token.txt");
		CHECK_STR(keys(r, buf, sizeof(buf)), "Target,Class,ExperimentalModifiedFindings");
		mod = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r, "ExperimentalModifiedFindings"), 0);
		CHECK_STR(str(mod, "Type"), "secret");
		CHECK_STR(str(mod, "Status"), "not_affected");
		CHECK_STR(str(mod, "Statement"), "code_not_present");
		CHECK_STR(str(cJSON_GetObjectItemCaseSensitive(mod, "Finding"), "RuleID"), "github-pat");
		cJSON_Delete(j);
	}
	cs_scan_free(s);
}

TEST(misconfigurations_hostile)
{
	cs_scan *s = rf_hostile();
	const cJSON *df;
	cJSON *j;

	if (!s || !rf_hostile7(s) || !(j = report(s))) {
		cs_scan_free(s);
		return;
	}
	df = result_named(j, "dir with space/\xef\xbf\xbd<Dockerfile>&\"'");
	CHECK(df != NULL);
	CHECK_STR(str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(df, "ExperimentalModifiedFindings"), 0), "Source"),
		  "ig\xef\xbf\xbd<&>.yaml");
	CHECK_INT(total(j, "Misconfigurations"), 1);
	cJSON_Delete(j);
	cs_scan_free(s);
}

TEST_MAIN(TEST_ENTRY(top_level), TEST_ENTRY(grouping), TEST_ENTRY(os_packages), TEST_ENTRY(vulnerabilities),
	  TEST_ENTRY(no_findings), TEST_ENTRY(inventory_only), TEST_ENTRY(secrets_in_layers),
	  TEST_ENTRY(secrets_rootfs), TEST_ENTRY(hostile_strings), TEST_ENTRY(deterministic),
	  TEST_ENTRY(misconfigurations), TEST_ENTRY(suppressed_secret), TEST_ENTRY(misconfigurations_hostile))
