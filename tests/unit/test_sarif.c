/*
 * test_sarif.c - the SARIF 2.1.0 writer (src/report/sarif.c), read back with
 * cJSON:
 *
 *  - rules: one per vulnerability id, sorted; every result's ruleIndex
 *    points at the rule its ruleId names; levels and security-severity
 *    (the highest CVSS score, else the fixed mapping); help with the fix;
 *    helpUri the first reference that is a real URI, else an advisory page;
 *  - fingerprints: the same bytes on a second write, unique per result;
 *  - untrusted strings: paths with spaces, "%", "#", ":" and non-ASCII become
 *    percent-encoded URI references, braces in messages are doubled, Markdown
 *    carries no live HTML or links, bytes that are not UTF-8 become U+FFFD;
 *  - diagnostics: executionSuccessful false after an error, each one a
 *    notification;
 *  - secrets: a real root-filesystem scan with a planted AWS key: the result
 *    points at the file, line and column, and the key is nowhere in the log.
 */
#include "core/compat.h"

#include "core/log.h"
#include "report/report.h"
#include "scan/scan.h"
#include "unit/test.h"
#include "unit/catfix.h"
#include "unit/reportfix.h"

#include <cJSON.h>

#define KEY_ID "AKIAZ3MSJV4WWNKWW5FG"
#define KEY_SECRET "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"
#define NOW 1700000000LL

/* The report as text (malloc'd), or NULL after a failed check. */
static char *write_sarif(const cs_scan *s)
{
	cs_report_opts o = {false, 0, NOW};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	cs_err err;
	int rc;

	if (!f) {
		CHECK(f != NULL);
		return NULL;
	}
	cs_err_clear(&err);
	rc = cs_report_sarif(f, s, &o, &err);
	fclose(f);
	CHECK_INT(rc, 0);
	if (rc < 0) {
		fprintf(stderr, "  %s\n", err.msg);
		free(text);
		return NULL;
	}
	return text;
}

/* True when s is well-formed UTF-8. */
static bool utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
		size_t i;

		if (!n)
			return false;
		for (i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

static const char *jget_str(const cJSON *o, const char *path)
{
	char key[128];
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		o = cJSON_GetObjectItemCaseSensitive(o, key);
		path = dot + 1;
	}
	o = cJSON_GetObjectItemCaseSensitive(o, path);
	return cJSON_IsString(o) ? o->valuestring : NULL;
}

static const cJSON *run0(const cJSON *doc)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "runs"), 0);
}

static const cJSON *rules_of(const cJSON *doc)
{
	const cJSON *tool = cJSON_GetObjectItemCaseSensitive(run0(doc), "tool");

	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(tool, "driver"), "rules");
}

static const cJSON *results_of(const cJSON *doc)
{
	return cJSON_GetObjectItemCaseSensitive(run0(doc), "results");
}

static const cJSON *rule_named(const cJSON *doc, const char *id)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, rules_of(doc))
		if (cf_str_eq(jget_str(r, "id"), id))
			return r;
	return NULL;
}

/* The i-th result whose ruleId is id. */
static const cJSON *result_of(const cJSON *doc, const char *id, int nth)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, results_of(doc))
		if (cf_str_eq(jget_str(r, "ruleId"), id) && nth-- == 0)
			return r;
	return NULL;
}

static const cJSON *location0(const cJSON *res)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "locations"), 0);
}

/* Every result's ruleIndex names the rule of its ruleId; fingerprints unique. */
static void check_consistent(const cJSON *doc)
{
	const cJSON *rules = rules_of(doc), *res;
	size_t n = 0, i, j;
	const char *fps[64];

	cJSON_ArrayForEach(res, results_of(doc)) {
		const cJSON *idx = cJSON_GetObjectItemCaseSensitive(res, "ruleIndex");
		const cJSON *r = cJSON_IsNumber(idx) ? cJSON_GetArrayItem(rules, idx->valueint) : NULL;
		const char *fp = jget_str(res, "partialFingerprints.customsFindingHash/v1");

		CHECK(r != NULL);
		if (r)
			CHECK_STR(jget_str(r, "id"), jget_str(res, "ruleId"));
		CHECK(fp != NULL && strlen(fp) > 64);
		CHECK(jget_str(res, "partialFingerprints.primaryLocationLineHash") != NULL);
		if (fp && n < CS_ARRAY_LEN(fps))
			fps[n++] = fp;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			CHECK(strcmp(fps[i], fps[j]) != 0);
	/* rule ids are unique and sorted within a kind (vulnerabilities, secrets, misconfigurations) */
	for (i = 1; i < (size_t)cJSON_GetArraySize(rules); i++) {
		const cJSON *a = cJSON_GetArrayItem(rules, (int)i - 1), *b = cJSON_GetArrayItem(rules, (int)i);

		CHECK(strcmp(jget_str(a, "id"), jget_str(b, "id")) != 0);
		if (cf_str_eq(jget_str(a, "name"), jget_str(b, "name")))
			CHECK(strcmp(jget_str(a, "id"), jget_str(b, "id")) < 0);
	}
}

static cs_package *add_pkg(cs_scan *s, const char *type, const char *name, const char *version, const char *found_in)
{
	cs_arena *a = cs_scan_arena(s);
	cs_package *p = cs_arena_calloc(a, 1, sizeof(*p));

	p->type = cs_arena_strdup(a, type);
	p->name = cs_arena_strdup(a, name);
	p->version = cs_arena_strdup(a, version);
	p->source_name = p->name;
	p->source_version = p->version;
	p->purl = cs_arena_printf(a, "pkg:%s/%s@%s", type, name, version);
	p->found_in = found_in ? cs_arena_strdup(a, found_in) : NULL;
	p->layer = -1;
	CHECK_INT(cs_scan_add_package(s, p), 0);
	return p;
}

static cs_vuln *add_vuln(cs_scan *s, const cs_package *p, const char *id, const char *severity, const char *fixed)
{
	cs_arena *a = cs_scan_arena(s);
	cs_vuln *v = cs_arena_calloc(a, 1, sizeof(*v));

	v->id = cs_arena_strdup(a, id);
	v->package = p;
	v->installed_version = p->version;
	v->fixed_version = fixed ? cs_arena_strdup(a, fixed) : NULL;
	v->status = fixed ? "fixed" : "not_fixed";
	v->severity = severity;
	v->data_source = "test";
	v->kev = -1;
	v->epss_score = v->epss_percentile = -1;
	CHECK_INT(cs_scan_add_vuln(s, v), 0);
	return v;
}

/* A scan of packages and vulnerabilities built by hand, as an SBOM scan would be. */
static cs_scan *inventory(void)
{
	static const char *const refs[] = {"not a link", "https://bad.example/a b", "javascript:alert(1)",
					   "https://ok.example/advisory?id=3#top", "https://later.example/"};
	static const char *const tags[] = {"example/app:1.0"};
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	cs_artifact art = {0};
	cs_arena *a;
	cs_package *ssl, *libssl, *pad, *odd;
	cs_vuln *v;
	cs_cvss *cv;

	cs_scan_opts_default(&o);
	cs_err_clear(&err);
	CHECK_INT(cs_scan_new_inventory(&s, &o, &err), 0);
	if (!s)
		return NULL;
	a = cs_scan_arena(s);
	art.name = "bom.json";
	art.type = "sbom";
	art.repo_tags = (const char **)tags;
	art.nrepo_tags = 1;
	cs_scan_set_artifact(s, &art);
	ssl = add_pkg(s, "deb", "openssl", "3.0.1-1", "var/lib/dpkg/status");
	libssl = add_pkg(s, "deb", "libssl3", "3.0.1-1", "var/lib/dpkg/status");
	pad = add_pkg(s, "npm", "left-pad", "1.0.0", "srv/my app/100%#\xc3\xbc:x/node_modules/left-pad/package.json");
	odd = add_pkg(s, "pypi", "odd{0}`pkg", "0.1", "/abs/dist-info/METADATA");
	cs_scan_inventory_done(s);

	/* one id, two packages, two scores: the rule takes the worst of both */
	v = add_vuln(s, ssl, "CVE-2024-0001", "high", "3.0.2-1");
	cv = cs_arena_calloc(a, 2, sizeof(*cv));
	cv[0] = (cs_cvss){"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "nvd"};
	cv[1] = (cs_cvss){"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "ghsa"};
	v->cvss = cv;
	v->ncvss = 2;
	v->references = (const char **)refs + 3;
	v->nreferences = 1;
	add_vuln(s, libssl, "CVE-2024-0001", "critical", "3.0.2-1");
	/* no score, no fix */
	add_vuln(s, pad, "GHSA-aaaa-bbbb-cccc", "medium", NULL);
	/* references that are not URIs are passed over */
	v = add_vuln(s, ssl, "CVE-2024-0003", "low", "3.0.3-1");
	v->references = (const char **)refs;
	v->nreferences = CS_ARRAY_LEN(refs);
	/* a hostile title: placeholders, HTML, a link, a byte that is not UTF-8 */
	v = add_vuln(s, odd, "PYSEC-2024-9", "unknown", NULL);
	v->title = "{0} <img src=x onerror=alert(1)> [click](javascript:alert(1)) \xff end";
	add_vuln(s, ssl, "CVE-2024-0005", "negligible", NULL);
	cs_scan_sort_vulns(s);
	return s;
}

TEST(vulnerabilities)
{
	cs_scan *s = inventory();
	char *text, *again;
	cJSON *doc;
	const cJSON *r, *res;

	if (!s)
		return;
	if (!(text = write_sarif(s))) {
		cs_scan_free(s);
		return;
	}
	CHECK(utf8_ok(text));
	CHECK((doc = cJSON_Parse(text)) != NULL);
	if (!doc)
		goto done;
	CHECK_STR(jget_str(doc, "version"), "2.1.0");
	CHECK_STR(jget_str(run0(doc), "tool.driver.name"), "customs");
	CHECK_STR(jget_str(run0(doc), "automationDetails.id"), "customs/example/app:1.0/");
	r = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(run0(doc), "invocations"), 0);
	CHECK_STR(jget_str(r, "endTimeUtc"), "2023-11-14T22:13:20Z");
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(r, "executionSuccessful")));
	CHECK_INT(cJSON_GetArraySize(rules_of(doc)), 5);
	CHECK_INT(cJSON_GetArraySize(results_of(doc)), 6);
	check_consistent(doc);

	/* CVE-2024-0001: worst severity critical, highest score 9.8, both fixes in the help */
	r = rule_named(doc, "CVE-2024-0001");
	CHECK(r != NULL);
	if (r) {
		const cJSON *tags = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "properties"), "tags");

		CHECK_STR(jget_str(r, "properties.security-severity"), "9.8");
		CHECK_STR(jget_str(r, "defaultConfiguration.level"), "error");
		CHECK_STR(jget_str(r, "helpUri"), "https://ok.example/advisory?id=3#top");
		CHECK(strstr(jget_str(r, "help.text"), "upgrade openssl (installed 3.0.1-1) to 3.0.2-1") != NULL);
		CHECK(strstr(jget_str(r, "help.text"), "upgrade libssl3 (installed 3.0.1-1) to 3.0.2-1") != NULL);
		CHECK(strstr(jget_str(r, "help.markdown"), "upgrade `openssl` (installed `3.0.1-1`) to `3.0.2-1`") != NULL);
		CHECK_INT(cJSON_GetArraySize(tags), 3);
		CHECK_STR(cJSON_GetArrayItem(tags, 0)->valuestring, "security");
		CHECK_STR(cJSON_GetArrayItem(tags, 1)->valuestring, "vulnerability");
		CHECK_STR(cJSON_GetArrayItem(tags, 2)->valuestring, "critical");
	}
	CHECK((res = result_of(doc, "CVE-2024-0001", 0)) != NULL);
	CHECK((res = result_of(doc, "CVE-2024-0001", 1)) != NULL);
	CHECK(result_of(doc, "CVE-2024-0001", 2) == NULL);
	cJSON_ArrayForEach(res, results_of(doc)) {
		const char *pkg = jget_str(res, "properties.package_name");
		const char *id = jget_str(res, "ruleId");

		if (cf_str_eq(id, "CVE-2024-0001")) /* high and critical */
			CHECK_STR(jget_str(res, "level"), "error");
		if (cf_str_eq(id, "CVE-2024-0001") && cf_str_eq(pkg, "openssl")) {
			CHECK(strstr(jget_str(res, "message.text"), "openssl 3.0.1-1") != NULL);
			CHECK(strstr(jget_str(res, "message.text"), "fixed in 3.0.2-1") != NULL);
			CHECK_STR(jget_str(location0(res), "physicalLocation.artifactLocation.uri"), "var/lib/dpkg/status");
			CHECK_STR(jget_str(location0(res), "physicalLocation.artifactLocation.uriBaseId"), "ROOTFS");
		}
	}

	/* no score: the severity's fixed score; levels by severity */
	r = rule_named(doc, "GHSA-aaaa-bbbb-cccc");
	CHECK(r && cf_str_eq(jget_str(r, "properties.security-severity"), "5.5"));
	CHECK(r && cf_str_eq(jget_str(r, "defaultConfiguration.level"), "warning"));
	CHECK(r && cf_str_eq(jget_str(r, "helpUri"), "https://github.com/advisories/GHSA-aaaa-bbbb-cccc"));
	CHECK(r && strstr(jget_str(r, "help.text"), "left-pad 1.0.0: no fix yet") != NULL);
	res = result_of(doc, "GHSA-aaaa-bbbb-cccc", 0);
	CHECK(res && cf_str_eq(jget_str(res, "level"), "warning"));
	CHECK(res && cf_str_eq(jget_str(res, "properties.fixed_version"), ""));
	/* the odd path: space, "%", "#", non-ASCII and ":" percent-encoded, "/" kept */
	CHECK(res && cf_str_eq(jget_str(location0(res), "physicalLocation.artifactLocation.uri"),
			       "srv/my%20app/100%25%23%C3%BC%3Ax/node_modules/left-pad/package.json"));
	r = rule_named(doc, "CVE-2024-0003");
	CHECK(r && cf_str_eq(jget_str(r, "properties.security-severity"), "2.0"));
	CHECK(r && cf_str_eq(jget_str(r, "defaultConfiguration.level"), "note"));
	/* the first reference that is a URI, not the first one */
	CHECK(r && cf_str_eq(jget_str(r, "helpUri"), "https://ok.example/advisory?id=3#top"));
	CHECK(r && strstr(jget_str(r, "help.markdown"), "<https://ok.example/advisory?id=3#top>") != NULL);
	CHECK(r && strstr(jget_str(r, "help.markdown"), "<https://bad.example") == NULL);
	CHECK(r && strstr(jget_str(r, "help.markdown"), "<javascript") == NULL);
	r = rule_named(doc, "CVE-2024-0005");
	CHECK(r && cf_str_eq(jget_str(r, "properties.security-severity"), "0.0"));
	CHECK(r && cf_str_eq(jget_str(r, "helpUri"), "https://nvd.nist.gov/vuln/detail/CVE-2024-0005"));
	res = result_of(doc, "CVE-2024-0005", 0);
	CHECK(res && cf_str_eq(jget_str(res, "level"), "note"));

	/* the hostile title: braces doubled, no live HTML or link, U+FFFD */
	r = rule_named(doc, "PYSEC-2024-9");
	CHECK(r && cf_str_eq(jget_str(r, "properties.security-severity"), "0.0"));
	CHECK(r && cf_str_eq(jget_str(r, "helpUri"), "https://osv.dev/vulnerability/PYSEC-2024-9"));
	if (r) {
		const char *md = jget_str(r, "help.markdown"), *sd = jget_str(r, "shortDescription.text");

		CHECK(strstr(sd, "{{0}} <img") != NULL);
		CHECK(strstr(sd, "\xef\xbf\xbd end") != NULL);
		const char *img = strstr(md, "<img");

		/* every "<" and "]" of the title escaped: no tag, no link */
		CHECK(img != NULL && img > md && img[-1] == '\\');
		CHECK(strstr(md, "\\<img src\\=x onerror\\=alert\\(1\\)\\>") != NULL);
		CHECK(strstr(md, "\\]\\(javascript") != NULL);
		/* the package name's backtick: a longer fence; its braces doubled */
		CHECK(strstr(md, "``odd{{0}}`pkg``") != NULL);
	}
	res = result_of(doc, "PYSEC-2024-9", 0);
	/* an absolute found_in is still a path of the scanned file system */
	CHECK(res && cf_str_eq(jget_str(location0(res), "physicalLocation.artifactLocation.uri"),
			       "abs/dist-info/METADATA"));

	/* the same scan, the same bytes */
	again = write_sarif(s);
	CHECK(again && strcmp(text, again) == 0);
	free(again);
	cJSON_Delete(doc);
done:
	free(text);
	cs_scan_free(s);
}

/* Problems the scan reported: not a successful execution, each one a notification. */
TEST(diagnostics)
{
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	char *text;
	cJSON *doc;

	cs_scan_opts_default(&o);
	cs_err_clear(&err);
	CHECK_INT(cs_scan_new_inventory(&s, &o, &err), 0);
	if (!s)
		return;
	cs_scan_diag(s, CS_LOG_ERROR, "cannot read 'a{1}': truncated");
	cs_scan_diag(s, CS_LOG_WARN, "odd but fine");
	cs_scan_inventory_done(s);
	if ((text = write_sarif(s)) != NULL && (doc = cJSON_Parse(text)) != NULL) {
		const cJSON *inv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(run0(doc), "invocations"), 0);
		const cJSON *notes = cJSON_GetObjectItemCaseSensitive(inv, "toolExecutionNotifications");

		CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(inv, "executionSuccessful")));
		CHECK_INT(cJSON_GetArraySize(notes), 2);
		CHECK_INT(cJSON_GetArraySize(rules_of(doc)), 0);
		CHECK_INT(cJSON_GetArraySize(results_of(doc)), 0);
		if (cJSON_GetArraySize(notes) == 2) {
			/* report order: errors first */
			CHECK_STR(jget_str(cJSON_GetArrayItem(notes, 0), "level"), "error");
			CHECK_STR(jget_str(cJSON_GetArrayItem(notes, 0), "message.text"), "cannot read 'a{{1}}': truncated");
			CHECK_STR(jget_str(cJSON_GetArrayItem(notes, 1), "level"), "warning");
		}
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

/* A real scan of a root filesystem with an AWS key in a file with an awkward name. */
TEST(secrets)
{
	static const char body[] = "[default]\nregion = eu-west-1\naws_access_key_id = " KEY_ID
				   "\naws_secret_access_key = " KEY_SECRET "\n";
	char root[64], path[4096];
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	char *text = NULL;
	cJSON *doc = NULL;
	const cJSON *res, *loc;

	if (!cf_tmpdir(root, sizeof(root), "sarif"))
		return;
	snprintf(path, sizeof(path), "%s/srv/conf dir/#1 100%%\xc3\xa9.ini", root);
	CHECK(cf_write(path, body, sizeof(body) - 1));
	cs_scan_opts_default(&o);
	o.scanners = CS_SCANNER_SECRET;
	cs_err_clear(&err);
	CHECK_INT(cs_scan_run(&s, root, true, &o, &err), 0);
	if (!s)
		goto done;
	CHECK(cs_scan_secret_count(s) >= 2);
	if (!(text = write_sarif(s)))
		goto done;
	CHECK(strstr(text, KEY_SECRET) == NULL);
	CHECK(strstr(text, KEY_ID) == NULL);
	CHECK((doc = cJSON_Parse(text)) != NULL);
	if (!doc)
		goto done;
	check_consistent(doc);
	res = result_of(doc, "secret/aws-access-key-id", 0);
	CHECK(res != NULL);
	if (res) {
		const cJSON *r = cJSON_GetArrayItem(rules_of(doc), cJSON_GetObjectItemCaseSensitive(res, "ruleIndex")->valueint);
		const cJSON *tags = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "properties"), "tags");

		loc = cJSON_GetObjectItemCaseSensitive(location0(res), "physicalLocation");
		CHECK_STR(jget_str(loc, "artifactLocation.uri"), "srv/conf%20dir/%231%20100%25%C3%A9.ini");
		CHECK_STR(jget_str(loc, "artifactLocation.uriBaseId"), "ROOTFS");
		CHECK_INT(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(loc, "region"), "startLine")->valueint, 3);
		CHECK_INT(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(loc, "region"), "startColumn")->valueint, 21);
		CHECK_STR(jget_str(res, "level"), "error");
		CHECK_STR(jget_str(r, "properties.security-severity"), "8.0");
		CHECK(strstr(jget_str(r, "help.text"), "rotate") != NULL);
		CHECK_STR(cJSON_GetArrayItem(tags, 1)->valuestring, "secret");
		CHECK(jget_str(res, "properties.match") != NULL && strstr(jget_str(res, "properties.match"), "*") != NULL);
		CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(res, "properties"), "layer")));
	}
done:
	cJSON_Delete(doc);
	free(text);
	cs_scan_free(s);
	rm_tree(root);
}

/* Whether rule r has the tag. */
static bool has_tag(const cJSON *r, const char *tag)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(r, "properties"), "tags"))
		if (cJSON_IsString(t) && !strcmp(t->valuestring, tag))
			return true;
	return false;
}

/* The suppressions of the nth result of rule id, or NULL. */
static const cJSON *suppressions_of(const cJSON *doc, const char *id, int nth)
{
	return cJSON_GetObjectItemCaseSensitive(result_of(doc, id, nth), "suppressions");
}

/*
 * tests/e2e/sarif_check.py's verdict on text against the JSON report of the
 * same scan (every finding one result, suppressions, verdict, base): true
 * when it is happy.
 */
static bool sarif_check(const char *text, const cs_scan *s)
{
	char sarif[256], json[256], cmd[700], *out = NULL, *rep = rf_write(cs_report_json, s, NULL);
	int status = -1;

	if (!rep || !cf_tmpfile(sarif, sizeof(sarif), "check", ".sarif")) {
		free(rep);
		return false;
	}
	if (cf_tmpfile(json, sizeof(json), "check", ".json")) {
		if (cf_write(sarif, text, strlen(text)) && cf_write(json, rep, strlen(rep))) {
			snprintf(cmd, sizeof(cmd), "python3 tests/e2e/sarif_check.py %s --json %s", sarif, json);
			out = cf_capture(cmd, &status);
		}
		unlink(json);
	}
	unlink(sarif);
	free(rep);
	if (status != 0)
		fprintf(stderr, "  sarif_check.py: %s\n", out ? out : "(did not run)");
	free(out);
	return status == 0;
}

/*
 * Issue 7's results: misconfigurations as results of their own rules, at
 * their Dockerfile line, image file or config member; suppressed findings
 * with an external, accepted suppression; the verdict in the invocation's
 * properties (executionSuccessful stays about the scan); the base image in
 * the run's.
 */
TEST(issue7)
{
	cs_scan *s = rf_issue7("fail");
	char *text = s ? write_sarif(s) : NULL;
	cJSON *doc = text ? cJSON_Parse(text) : NULL;
	const cJSON *r, *res, *loc, *sup, *inv, *props, *base;
	size_t nsup = 0;

	CHECK(doc != NULL);
	if (!doc)
		goto done;
	check_consistent(doc);
	CHECK(sarif_check(text, s));
	CHECK_INT(cJSON_GetArraySize(results_of(doc)), cs_scan_vuln_count(s) + cs_scan_misconfig_count(s));

	r = rule_named(doc, "CS-DF-002");
	CHECK(r != NULL);
	CHECK_STR(jget_str(r, "name"), "DockerfileMisconfiguration");
	CHECK_STR(jget_str(r, "shortDescription.text"), "Image user should not be root");
	CHECK_STR(jget_str(r, "properties.security-severity"), "8.0");
	CHECK_STR(jget_str(r, "properties.cis"), "4.1");
	CHECK_STR(jget_str(r, "defaultConfiguration.level"), "error");
	CHECK(has_tag(r, "security") && has_tag(r, "misconfiguration") && has_tag(r, "high"));
	CHECK(has_tag(r, "external/cis-docker-benchmark/4.1"));
	CHECK(jget_str(r, "help.text") && strstr(jget_str(r, "help.text"), "Fix:\nHow to fix it."));
	CHECK(jget_str(r, "help.text") && strstr(jget_str(r, "help.text"), "CIS Docker Benchmark: 4.1"));
	CHECK(jget_str(r, "fullDescription.text") && strstr(jget_str(r, "fullDescription.text"), "CIS Docker Benchmark 4.1."));
	r = rule_named(doc, "CS-IMG-003");
	CHECK(r && !has_tag(r, "external/cis-docker-benchmark/4.1") && has_tag(r, "external/cis-docker-benchmark/4.6"));
	CHECK_STR(jget_str(r, "properties.security-severity"), "2.0");
	CHECK_STR(jget_str(r, "name"), "ImageMisconfiguration");

	/* a Dockerfile finding: the file as given, its line, no uriBaseId */
	res = result_of(doc, "CS-DF-002", 0);
	loc = cJSON_GetObjectItemCaseSensitive(location0(res), "physicalLocation");
	CHECK_STR(jget_str(loc, "artifactLocation.uri"), "build/Dockerfile");
	CHECK(jget_str(loc, "artifactLocation.uriBaseId") == NULL);
	CHECK_INT(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(loc, "region"), "startLine")->valueint, 5);
	CHECK_STR(jget_str(res, "level"), "error");
	CHECK_STR(jget_str(res, "properties.kind"), "misconfiguration");
	CHECK(strstr(jget_str(res, "message.text"), "Last USER is root (line 5)") != NULL);
	/* a config member: IMAGECONFIG and a logical location naming it */
	res = result_of(doc, "CS-IMG-001", 0);
	loc = location0(res);
	CHECK_STR(jget_str(loc, "physicalLocation.artifactLocation.uri"), "config%3AUser");
	CHECK_STR(jget_str(loc, "physicalLocation.artifactLocation.uriBaseId"), "IMAGECONFIG");
	CHECK_STR(jget_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(loc, "logicalLocations"), 0),
			   "fullyQualifiedName"),
		  "config:User");
	/* no path: the config as a whole */
	loc = location0(result_of(doc, "CS-IMG-003", 0));
	CHECK_STR(jget_str(loc, "physicalLocation.artifactLocation.uri"), "config");
	CHECK_STR(jget_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(loc, "logicalLocations"), 0), "kind"),
		  "object");
	/* a file in the image */
	loc = location0(result_of(doc, "CS-IMG-012", 0));
	CHECK_STR(jget_str(loc, "physicalLocation.artifactLocation.uri"), "usr/bin/sudo");
	CHECK_STR(jget_str(loc, "physicalLocation.artifactLocation.uriBaseId"), "ROOTFS");
	CHECK(jget_str(run0(doc), "originalUriBaseIds.IMAGECONFIG.description.text") != NULL);

	/* suppressed: external, accepted, the reason as justification, which stage and file as properties */
	sup = cJSON_GetArrayItem(suppressions_of(doc, "CVE-2023-4911", 0), 0);
	CHECK_STR(jget_str(sup, "kind"), "external");
	CHECK_STR(jget_str(sup, "status"), "accepted");
	CHECK_STR(jget_str(sup, "justification"), RF_VEX_REASON);
	CHECK_STR(jget_str(sup, "properties.suppressed_by"), "vex");
	CHECK_STR(jget_str(sup, "properties.source"), "vex/app.openvex.json");
	CHECK_STR(jget_str(cJSON_GetArrayItem(suppressions_of(doc, "CVE-2021-23337", 0), 0), "justification"),
		  RF_IGNORE_REASON);
	CHECK_STR(jget_str(cJSON_GetArrayItem(suppressions_of(doc, "CS-IMG-002", 0), 0), "properties.suppressed_by"),
		  "ignore");
	cJSON_ArrayForEach(res, results_of(doc))
		nsup += cJSON_GetObjectItemCaseSensitive(res, "suppressions") != NULL;
	CHECK_INT(nsup, 4);

	/* the verdict is the invocation's property, not its success */
	inv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(run0(doc), "invocations"), 0);
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(inv, "executionSuccessful")));
	props = cJSON_GetObjectItemCaseSensitive(inv, "properties");
	CHECK_STR(jget_str(props, "verdict"), "fail");
	CHECK_STR(jget_str(props, "policy"), "strict");
	CHECK_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(props, "hits")), 3);
	CHECK_STR(jget_str(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(props, "hits"), 0), "action"), "stop");
	base = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run0(doc), "properties"), "base");
	CHECK_STR(jget_str(base, "name"), "debian:12-slim");
	CHECK(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(base, "eol")));
	/* bash (layer 0, the base) is the one counted vulnerability from the base */
	CHECK_INT(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(base, "findings"), "base")->valueint, 1);
done:
	cJSON_Delete(doc);
	free(text);
	cs_scan_free(s);
}

/* Without a gate or policy the invocation has no verdict; without a base, the run no base. */
TEST(issue7_no_policy)
{
	cs_scan *s = rf_fixture();
	char *text = s ? write_sarif(s) : NULL;
	cJSON *doc = text ? cJSON_Parse(text) : NULL;
	const cJSON *inv;

	CHECK(doc != NULL);
	if (doc) {
		inv = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(run0(doc), "invocations"), 0);
		CHECK(cJSON_GetObjectItemCaseSensitive(inv, "properties") == NULL);
		CHECK(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(run0(doc), "properties"), "base") ==
		      NULL);
		CHECK(jget_str(run0(doc), "originalUriBaseIds.IMAGECONFIG.description.text") == NULL);
	}
	cJSON_Delete(doc);
	free(text);
	cs_scan_free(s);
}

/* Hostile strings in misconfigurations, suppressions, the verdict and the base: valid, escaped, braces doubled. */
TEST(issue7_hostile)
{
	cs_scan *s = rf_hostile();
	char *text = s && rf_hostile7(s) ? write_sarif(s) : NULL;
	cJSON *doc = text ? cJSON_Parse(text) : NULL;
	const cJSON *res, *loc;
	const char *md;

	CHECK(doc != NULL);
	if (!doc)
		goto done;
	CHECK(utf8_ok(text));
	check_consistent(doc);
	CHECK(sarif_check(text, s));
	res = result_of(doc, "CS-IMG-ev\"il<&>'\\]]>\x01\x1b[31m\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd(", 0);
	CHECK(res != NULL);
	/* "{1}" in an image-made message is literal text, not a placeholder */
	CHECK(res && strstr(jget_str(res, "message.text"), "{{1}}") != NULL);
	loc = location0(res);
	CHECK_STR(jget_str(loc, "physicalLocation.artifactLocation.uri"), "srv/%FF%5D%5D%3E&%3C%22'%03/%7Bx%7D");
	loc = location0(result_of(doc, "CS-DF-009", 0));
	CHECK_STR(jget_str(loc, "physicalLocation.artifactLocation.uri"), "dir%20with%20space/%FF%3CDockerfile%3E&%22'");
	CHECK(cJSON_GetObjectItemCaseSensitive(result_of(doc, "CS-DF-009", 0), "suppressions") != NULL);
	/* Markdown help carries no live HTML */
	md = jget_str(rule_named(doc, "CS-IMG-ev\"il<&>'\\]]>\x01\x1b[31m\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd("),
		      "help.markdown");
	CHECK(md && !strstr(md, "<b>") && strstr(md, "\\<b\\>") != NULL);
done:
	cJSON_Delete(doc);
	free(text);
	cs_scan_free(s);
}

TEST_MAIN(TEST_ENTRY(vulnerabilities), TEST_ENTRY(diagnostics), TEST_ENTRY(secrets), TEST_ENTRY(issue7),
	  TEST_ENTRY(issue7_no_policy), TEST_ENTRY(issue7_hostile))
