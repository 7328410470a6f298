/*
 * test_cyclonedx.c - the CycloneDX 1.6 writer (src/report/cyclonedx.c) on
 * scans built by hand (sbomfix.h) and on a real layered image:
 *
 *  - refs: every bom-ref unique (a purl shared by two packages gets a
 *    package-id), every dependency ref and dependsOn names a component,
 *    every component has a dependency entry, owners depend on what they own,
 *    every vulnerability affects a component, counts as in the scan;
 *  - licenses: an SPDX id as license.id (in the list's case), an expression
 *    as the one expression, free text as license.name, mixed lists;
 *  - vulnerabilities: ratings per CVSS version and the severity word,
 *    aliases as references, analysis and response, properties;
 *  - hostile strings: quotes, new lines, slashes, bytes that are not
 *    UTF-8, non-ASCII, an empty and an over-long version;
 *  - determinism: the same bytes twice, another serial at another time;
 *  - layers: a real two-layer image (apk database + a Python package the
 *    apk package owns): customs:layer:* properties and the owner edge;
 *  - issue 7: a suppressed finding's analysis (VEX states and
 *    justifications mapped to CycloneDX's, an ignore entry as an accepted
 *    risk, a baseline noted), the base image and the verdict as metadata
 *    properties.
 * The official schema and CycloneDX's own validator run in the e2e test
 * (tests/e2e/report_sbom.sh).
 */
#include "core/compat.h"

#include "report/report.h"
#include "unit/catfix.h"
#include "unit/sbomfix.h"
#include "unit/reportfix.h"

#include <regex.h>

static const char *const MIT[] = {"MIT", NULL};

static const sf_pkg PKGS[] = {
	{"apk", "musl", "1.1.24-r2", "pkg:apk/alpine/musl@1.1.24-r2?arch=x86_64", "lib/apk/db/installed", MIT, -1},
	{"apk", "py3-six", "1.16.0-r0", "pkg:apk/alpine/py3-six@1.16.0-r0?arch=x86_64", "lib/apk/db/installed", NULL,
	 -1},
	/* owned by py3-six; the same purl twice (two site-packages) */
	{"pypi", "six", "1.16.0", "pkg:pypi/six@1.16.0", "usr/lib/python3.8/site-packages/six-1.16.0.dist-info/METADATA",
	 NULL, 1},
	{"pypi", "six", "1.16.0", "pkg:pypi/six@1.16.0", "opt/venv/lib/python3.8/site-packages/six-1.16.0.dist-info/METADATA",
	 NULL, -1},
	/* no purl at all */
	{"npm", "nopurl", "1.0.0", NULL, "app/package.json", NULL, -1},
};

/* Finds the component (metadata.component included) with this bom-ref. */
static const cJSON *component(const cJSON *doc, const char *ref)
{
	const cJSON *c, *m = sf_get(sf_get(doc, "metadata"), "component");

	if (m && sf_str(m, "bom-ref") && !strcmp(sf_str(m, "bom-ref"), ref))
		return m;
	cJSON_ArrayForEach(c, sf_get(doc, "components"))
	{
		if (sf_str(c, "bom-ref") && !strcmp(sf_str(c, "bom-ref"), ref))
			return c;
	}
	return NULL;
}

/* The component whose properties say it was found in found_in, or NULL. */
static const cJSON *component_from(const cJSON *doc, const char *found_in)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, sf_get(doc, "components"))
	{
		const char *f = sf_prop(c, "customs:found_in");

		if (f && !strcmp(f, found_in))
			return c;
	}
	return NULL;
}

static const cJSON *dependency(const cJSON *doc, const char *ref)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, sf_get(doc, "dependencies"))
	{
		if (sf_str(d, "ref") && !strcmp(sf_str(d, "ref"), ref))
			return d;
	}
	return NULL;
}

static bool depends_on(const cJSON *doc, const char *from, const char *to)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, sf_get(dependency(doc, from), "dependsOn"))
	{
		if (cJSON_IsString(e) && !strcmp(e->valuestring, to))
			return true;
	}
	return false;
}

/*
 * The graph checks the schema cannot make: unique bom-refs, every ref of
 * dependencies and affects resolving, one dependency entry per component.
 */
static void check_refs(const cJSON *doc)
{
	const cJSON *c, *d, *e, *v, *a;
	const cJSON *meta = sf_get(sf_get(doc, "metadata"), "component");
	size_t ncomp = 1, ndeps = 0;

	CHECK(meta && sf_str(meta, "bom-ref"));
	cJSON_ArrayForEach(c, sf_get(doc, "components"))
	{
		const cJSON *other;
		size_t same = 0;

		ncomp++;
		CHECK(sf_str(c, "bom-ref") && *sf_str(c, "bom-ref"));
		if (!sf_str(c, "bom-ref"))
			continue;
		cJSON_ArrayForEach(other, sf_get(doc, "components"))
		{
			same += sf_str(other, "bom-ref") && !strcmp(sf_str(other, "bom-ref"), sf_str(c, "bom-ref"));
		}
		same += !strcmp(sf_str(meta, "bom-ref"), sf_str(c, "bom-ref"));
		CHECK_INT(same, 1);
		CHECK(dependency(doc, sf_str(c, "bom-ref")) != NULL);
	}
	cJSON_ArrayForEach(d, sf_get(doc, "dependencies"))
	{
		ndeps++;
		CHECK(sf_str(d, "ref") && component(doc, sf_str(d, "ref")));
		CHECK(cJSON_IsArray(sf_get(d, "dependsOn")));
		cJSON_ArrayForEach(e, sf_get(d, "dependsOn"))
		{
			CHECK(cJSON_IsString(e) && component(doc, e->valuestring));
		}
	}
	CHECK_INT(ndeps, ncomp);
	cJSON_ArrayForEach(v, sf_get(doc, "vulnerabilities"))
	{
		CHECK(cJSON_GetArraySize(sf_get(v, "affects")) == 1);
		cJSON_ArrayForEach(a, sf_get(v, "affects"))
		{
			CHECK(sf_str(a, "ref") && component(doc, sf_str(a, "ref")));
		}
	}
}

TEST(refs_resolve)
{
	cs_package *p[CS_ARRAY_LEN(PKGS)];
	cs_scan *s = sf_scan("docker-archive:img.tar", PKGS, CS_ARRAY_LEN(PKGS), p);
	const cJSON *c, *six_owned, *six_venv, *nopurl, *os;
	char *text;
	cJSON *doc;
	size_t nlib = 0;

	if (!s)
		return;
	sf_vuln(s, p[0], "CVE-2019-14697", "critical", "1.1.24-r3", "fixed");
	sf_vuln(s, p[2], "GHSA-xxxx-yyyy-zzzz", "medium", NULL, "affected");
	sf_vuln(s, p[3], "GHSA-xxxx-yyyy-zzzz", "medium", NULL, "affected");
	text = sf_write(cs_report_cyclonedx, s, SF_NOW);
	if ((doc = sf_parse(text))) {
		CHECK_STR(sf_str(doc, "bomFormat"), "CycloneDX");
		CHECK_STR(sf_str(doc, "specVersion"), "1.6");
		CHECK_INT(cJSON_GetObjectItem(doc, "version")->valueint, 1);
		CHECK_STR(sf_str(sf_get(doc, "metadata"), "timestamp"), "2023-11-14T22:13:20Z");
		check_refs(doc);
		cJSON_ArrayForEach(c, sf_get(doc, "components"))
		{
			nlib += sf_str(c, "type") && !strcmp(sf_str(c, "type"), "library");
		}
		CHECK_INT(nlib, CS_ARRAY_LEN(PKGS));
		CHECK_INT(cJSON_GetArraySize(sf_get(doc, "vulnerabilities")), 3);
		/* the image contains its OS and everything; the OS its OS packages; the owner what it owns */
		os = component(doc, "customs:os/alpine@3.11.5");
		CHECK(os && !strcmp(sf_str(os, "type"), "operating-system"));
		six_owned = component_from(doc, PKGS[2].found_in);
		six_venv = component_from(doc, PKGS[3].found_in);
		nopurl = component_from(doc, "app/package.json");
		CHECK(six_owned && six_venv && nopurl);
		if (six_owned && six_venv && nopurl && os) {
			const char *img = sf_str(sf_get(sf_get(doc, "metadata"), "component"), "bom-ref");
			const char *r1 = sf_str(six_owned, "bom-ref"), *r2 = sf_str(six_venv, "bom-ref");
			const cJSON *owner = component(doc, "pkg:apk/alpine/py3-six@1.16.0-r0?arch=x86_64");

			/* a shared purl: both refs are the purl plus a package-id, and differ */
			CHECK(strncmp(r1, "pkg:pypi/six@1.16.0?package-id=", 31) == 0 && strlen(r1) == 31 + 16);
			CHECK(strncmp(r2, "pkg:pypi/six@1.16.0?package-id=", 31) == 0 && strcmp(r1, r2) != 0);
			CHECK_STR(sf_str(six_owned, "purl"), "pkg:pypi/six@1.16.0");
			CHECK(sf_str(nopurl, "purl") == NULL && sf_str(nopurl, "bom-ref"));
			CHECK(depends_on(doc, img, r1) && depends_on(doc, img, r2) &&
			      depends_on(doc, img, sf_str(os, "bom-ref")));
			CHECK(owner && depends_on(doc, sf_str(owner, "bom-ref"), r1));
			CHECK(owner && !depends_on(doc, sf_str(owner, "bom-ref"), r2));
			CHECK(owner && depends_on(doc, sf_str(os, "bom-ref"), sf_str(owner, "bom-ref")));
			CHECK(!depends_on(doc, sf_str(os, "bom-ref"), r1));
			CHECK(owner && sf_prop(six_owned, "customs:owner") &&
			      !strcmp(sf_prop(six_owned, "customs:owner"), sf_str(owner, "bom-ref")));
			CHECK_STR(sf_prop(six_owned, "customs:package:type"), "pypi");
			CHECK_STR(sf_prop(six_owned, "customs:source:name"), "six");
			CHECK(sf_prop(six_owned, "customs:layer:index") == NULL); /* an inventory has no layers */
		}
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

/* The licenses of the component named name, as "id:X", "name:X" or "expr:X" joined by '|'. */
static void licenses_of(const cJSON *doc, const char *name, char *out, size_t n)
{
	const cJSON *c, *l;

	*out = '\0';
	cJSON_ArrayForEach(c, sf_get(doc, "components"))
	{
		if (!sf_str(c, "name") || strcmp(sf_str(c, "name"), name))
			continue;
		cJSON_ArrayForEach(l, sf_get(c, "licenses"))
		{
			const cJSON *lic = sf_get(l, "license");
			size_t len = strlen(out);

			if (sf_str(l, "expression"))
				snprintf(out + len, n - len, "%sexpr:%s", len ? "|" : "", sf_str(l, "expression"));
			else if (sf_str(lic, "id"))
				snprintf(out + len, n - len, "%sid:%s", len ? "|" : "", sf_str(lic, "id"));
			else
				snprintf(out + len, n - len, "%sname:%s", len ? "|" : "", sf_str(lic, "name"));
		}
	}
}

TEST(licenses)
{
	static const char *const l_id[] = {"mit", NULL};
	static const char *const l_with[] = {"GPL-2.0-only WITH Classpath-exception-2.0", NULL};
	static const char *const l_or[] = {"MIT or Apache-2.0", NULL};
	static const char *const l_two_ids[] = {"MIT", "Apache-2.0", "MIT", NULL};
	static const char *const l_id_expr[] = {"MIT", "Apache-2.0 OR BSD-3-Clause", NULL};
	static const char *const l_free[] = {"GPL2+", NULL};
	static const char *const l_mixed[] = {"MIT", "BSD-style", NULL};
	static const char *const l_expr_free[] = {"MIT OR Apache-2.0", "Proprietary", NULL};
	static const char *const l_ref[] = {"LicenseRef-acme", NULL};
	static const char *const l_plus[] = {"LGPL-2.1+", "Apache-2.0+", NULL};
	static const char *const l_blank[] = {"  ", NULL};
	static const sf_pkg pk[] = {
		{"npm", "id", "1", "pkg:npm/id@1", "a", l_id, -1},
		{"npm", "with", "1", "pkg:npm/with@1", "a", l_with, -1},
		{"npm", "or", "1", "pkg:npm/or@1", "a", l_or, -1},
		{"npm", "twoids", "1", "pkg:npm/twoids@1", "a", l_two_ids, -1},
		{"npm", "idexpr", "1", "pkg:npm/idexpr@1", "a", l_id_expr, -1},
		{"npm", "free", "1", "pkg:npm/free@1", "a", l_free, -1},
		{"npm", "mixed", "1", "pkg:npm/mixed@1", "a", l_mixed, -1},
		{"npm", "exprfree", "1", "pkg:npm/exprfree@1", "a", l_expr_free, -1},
		{"npm", "ref", "1", "pkg:npm/ref@1", "a", l_ref, -1},
		{"npm", "plus", "1", "pkg:npm/plus@1", "a", l_plus, -1},
		{"npm", "blank", "1", "pkg:npm/blank@1", "a", l_blank, -1},
		{"npm", "none", "1", "pkg:npm/none@1", "a", NULL, -1},
	};
	static const struct {
		const char *name, *want;
	} cases[] = {
		{"id", "id:MIT"},
		{"with", "expr:GPL-2.0-only WITH Classpath-exception-2.0"},
		{"or", "expr:MIT OR Apache-2.0"},
		{"twoids", "id:MIT|id:Apache-2.0"},
		{"idexpr", "expr:MIT AND (Apache-2.0 OR BSD-3-Clause)"},
		{"free", "name:GPL2+"},
		{"mixed", "id:MIT|name:BSD-style"},
		{"exprfree", "name:MIT OR Apache-2.0|name:Proprietary"},
		{"ref", "expr:LicenseRef-acme"},
		/* LGPL-2.1+ is a (deprecated) id of its own; Apache-2.0+ an expression */
		{"plus", "expr:LGPL-2.1+ AND Apache-2.0+"},
		{"blank", ""},
		{"none", ""},
	};
	cs_scan *s = sf_scan("img", pk, CS_ARRAY_LEN(pk), NULL);
	char *text, got[512];
	cJSON *doc;
	size_t i;

	if (!s)
		return;
	text = sf_write(cs_report_cyclonedx, s, SF_NOW);
	if ((doc = sf_parse(text))) {
		for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
			licenses_of(doc, cases[i].name, got, sizeof(got));
			if (strcmp(got, cases[i].want)) {
				fprintf(stderr, "  %s: licenses '%s', want '%s'\n", cases[i].name, got, cases[i].want);
				test_failures++;
			}
		}
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

static const cJSON *rating(const cJSON *v, const char *method)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, sf_get(v, "ratings"))
	{
		const char *m = sf_str(r, "method");

		if ((!method && !m) || (method && m && !strcmp(m, method)))
			return r;
	}
	return NULL;
}

TEST(vulnerabilities)
{
	static const sf_pkg pk[] = {
		{"apk", "openssl", "1.1.1a-r1", "pkg:apk/alpine/openssl@1.1.1a-r1", "lib/apk/db/installed", NULL, -1},
	};
	static const char *aliases[] = {"GHSA-abcd-efgh-ijkl", "DSA-4539-1", "XYZ-1"};
	static const char *refs[] = {"https://example.org/advisory/1", "not a url", "ftp://x"};
	cs_package *p[1];
	cs_scan *s = sf_scan("img", pk, 1, p);
	cs_cvss *cv;
	cs_vuln *v;
	char *text;
	cJSON *doc;

	if (!s)
		return;
	cv = cs_arena_calloc(cs_scan_arena(s), 4, sizeof(*cv));
	cv[0] = (cs_cvss){"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "nvd"};
	cv[1] = (cs_cvss){"2.0", "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, "nvd"};
	cv[2] = (cs_cvss){"3.0", "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N", 3.7, "ghsa"};
	cv[3] = (cs_cvss){"4.0", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, "ghsa"};
	v = sf_vuln(s, p[0], "CVE-2019-1543", "negligible", "1.1.1b-r1", "fixed");
	v->cvss = cv;
	v->ncvss = 4;
	v->aliases = aliases;
	v->naliases = 3;
	v->references = refs;
	v->nreferences = 3;
	v->title = "ChaCha20-Poly1305 \"nonce\" reuse";
	v->severity_source = "alpine";
	v->kev = 1;
	v->epss_score = 0.01234;
	v->epss_percentile = 0.5;
	sf_vuln(s, p[0], "CVE-2000-0001", "high", NULL, "will_not_fix");
	sf_vuln(s, p[0], "CVE-2000-0002", "weird", NULL, "end_of_life");
	sf_vuln(s, p[0], "CVE-2000-0003", "low", NULL, "not_fixed");
	text = sf_write(cs_report_cyclonedx, s, SF_NOW);
	if ((doc = sf_parse(text))) {
		const cJSON *vv = cJSON_GetArrayItem(sf_get(doc, "vulnerabilities"), 0), *r, *e;
		const char *methods[] = {"CVSSv31", "CVSSv2", "CVSSv3", "CVSSv4"};
		const char *sev[] = {"critical", "high", "low", "none"};
		size_t i;

		check_refs(doc);
		CHECK_STR(sf_str(vv, "id"), "CVE-2019-1543");
		CHECK_STR(sf_str(sf_get(vv, "source"), "name"), "alpine-secdb-v3.11-main");
		CHECK_STR(sf_str(sf_get(vv, "source"), "url"), "https://example.org/advisory/1");
		for (i = 0; i < 4; i++) {
			r = rating(vv, methods[i]);
			CHECK(r != NULL);
			CHECK_STR(sf_str(r, "severity"), sev[i]);
			CHECK_STR(sf_str(r, "vector"), cv[i].vector);
			CHECK(cJSON_IsNumber(sf_get(r, "score")) && sf_get(r, "score")->valuedouble == cv[i].score);
		}
		r = rating(vv, NULL);
		CHECK(r && !strcmp(sf_str(r, "severity"), "info") && !strcmp(sf_str(sf_get(r, "source"), "name"), "alpine"));
		CHECK_INT(cJSON_GetArraySize(sf_get(vv, "references")), 3);
		e = cJSON_GetArrayItem(sf_get(vv, "references"), 0);
		CHECK_STR(sf_str(e, "id"), "GHSA-abcd-efgh-ijkl");
		CHECK_STR(sf_str(sf_get(e, "source"), "url"), "https://github.com/advisories/GHSA-abcd-efgh-ijkl");
		e = cJSON_GetArrayItem(sf_get(vv, "references"), 2);
		CHECK_STR(sf_str(sf_get(e, "source"), "name"), "alpine-secdb-v3.11-main");
		CHECK(sf_get(sf_get(e, "source"), "url") == NULL);
		/* only http(s) URLs become advisories */
		CHECK_INT(cJSON_GetArraySize(sf_get(vv, "advisories")), 1);
		CHECK_STR(sf_str(vv, "description"), "ChaCha20-Poly1305 \"nonce\" reuse");
		CHECK_STR(sf_str(vv, "recommendation"), "Upgrade openssl to 1.1.1b-r1");
		CHECK_STR(sf_str(sf_get(vv, "analysis"), "state"), "in_triage");
		CHECK_STR(cJSON_GetArrayItem(sf_get(sf_get(vv, "analysis"), "response"), 0)->valuestring, "update");
		e = sf_get(cJSON_GetArrayItem(sf_get(vv, "affects"), 0), "versions");
		CHECK_INT(cJSON_GetArraySize(e), 2);
		CHECK_STR(sf_str(cJSON_GetArrayItem(e, 0), "version"), "1.1.1a-r1");
		CHECK_STR(sf_str(cJSON_GetArrayItem(e, 0), "status"), "affected");
		CHECK_STR(sf_str(cJSON_GetArrayItem(e, 1), "version"), "1.1.1b-r1");
		CHECK_STR(sf_str(cJSON_GetArrayItem(e, 1), "status"), "unaffected");
		CHECK_STR(sf_prop(vv, "customs:fixed_version"), "1.1.1b-r1");
		CHECK_STR(sf_prop(vv, "customs:status"), "fixed");
		CHECK_STR(sf_prop(vv, "customs:kev"), "true");
		CHECK_STR(sf_prop(vv, "customs:epss:score"), "0.01234");
		CHECK_STR(sf_prop(vv, "customs:epss:percentile"), "0.50000");
		CHECK_STR(sf_prop(vv, "customs:severity"), "negligible");
		/* will_not_fix, end_of_life, not_fixed */
		vv = cJSON_GetArrayItem(sf_get(doc, "vulnerabilities"), 1);
		CHECK_STR(cJSON_GetArrayItem(sf_get(sf_get(vv, "analysis"), "response"), 0)->valuestring, "will_not_fix");
		CHECK_STR(sf_str(rating(vv, NULL), "severity"), "high");
		CHECK(sf_prop(vv, "customs:kev") == NULL && sf_prop(vv, "customs:epss:score") == NULL);
		vv = cJSON_GetArrayItem(sf_get(doc, "vulnerabilities"), 2);
		CHECK_STR(cJSON_GetArrayItem(sf_get(sf_get(vv, "analysis"), "response"), 0)->valuestring, "update");
		CHECK_STR(sf_str(rating(vv, NULL), "severity"), "unknown");
		vv = cJSON_GetArrayItem(sf_get(doc, "vulnerabilities"), 3);
		CHECK(sf_get(sf_get(vv, "analysis"), "response") == NULL);
		CHECK(sf_get(vv, "recommendation") == NULL);
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

TEST(no_vulnerabilities_without_matching)
{
	cs_scan *s = sf_scan("img", PKGS, 1, NULL);
	char *text;
	cJSON *doc;

	if (!s)
		return;
	text = sf_write(cs_report_cyclonedx, s, SF_NOW);
	if ((doc = sf_parse(text))) {
		CHECK(sf_get(doc, "vulnerabilities") == NULL); /* not "none found": not looked */
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

TEST(hostile_strings)
{
	char longver[1100];
	sf_pkg pk[] = {
		{"npm", "q\"uote\\back", "1.0", "pkg:npm/q%22uote@1.0", "a/\"b\"", NULL, -1},
		{"npm", "new\nline\ttab", "", "pkg:npm/newline", "dir/with/slashes/", NULL, -1},
		{"npm", "bad\xff\xfe" "bytes\xc3", "2\xe2\x82", "pkg:npm/bad@2", "x\x01y", NULL, -1},
		{"npm", "caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac", "1.0\xc2\xa0", "pkg:npm/caf%C3%A9@1.0", "\xc3\xa9", NULL, -1},
		{"npm", "", NULL, "", "", NULL, -1},
		{"npm", "long", longver, "pkg:npm/long@1", "b", NULL, -1},
	};
	cs_scan *s;
	char *text;
	cJSON *doc;

	memset(longver, '9', sizeof(longver) - 1);
	longver[sizeof(longver) - 1] = '\0';
	s = sf_scan("img\"\n\xff", pk, CS_ARRAY_LEN(pk), NULL);
	if (!s)
		return;
	text = sf_write(cs_report_cyclonedx, s, SF_NOW);
	if ((doc = sf_parse(text))) {
		const cJSON *c;
		bool saw_quote = false, saw_newline = false, saw_bad = false, saw_utf8 = false, saw_long = false;

		check_refs(doc);
		cJSON_ArrayForEach(c, sf_get(doc, "components"))
		{
			const char *name = sf_str(c, "name"), *ver = sf_str(c, "version");

			CHECK(name != NULL);
			if (!name)
				continue;
			if (!strcmp(name, "q\"uote\\back"))
				saw_quote = true;
			if (!strcmp(name, "new\nline\ttab")) {
				saw_newline = true;
				CHECK(ver == NULL); /* an empty version is left out */
			}
			if (!strcmp(name, "bad\xef\xbf\xbd\xef\xbf\xbd" "bytes\xef\xbf\xbd")) {
				saw_bad = true;
				CHECK_STR(ver, "2\xef\xbf\xbd\xef\xbf\xbd");
				CHECK_STR(sf_prop(c, "customs:found_in"), "x\x01y");
			}
			if (!strcmp(name, "caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac")) {
				saw_utf8 = true;
				CHECK_STR(ver, "1.0\xc2\xa0");
			}
			if (!strcmp(name, "long")) {
				saw_long = true;
				CHECK(ver == NULL); /* the schema allows 1024 characters */
				CHECK(sf_prop(c, "customs:package:version") && strlen(sf_prop(c, "customs:package:version")) == 1099);
			}
		}
		CHECK(saw_quote && saw_newline && saw_bad && saw_utf8 && saw_long);
		CHECK_STR(sf_str(sf_get(sf_get(doc, "metadata"), "component"), "name"), "img\"\n\xef\xbf\xbd");
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

TEST(deterministic)
{
	cs_package *p[CS_ARRAY_LEN(PKGS)];
	cs_scan *s = sf_scan("img", PKGS, CS_ARRAY_LEN(PKGS), p);
	char *a, *b, *c;
	regex_t re;

	if (!s)
		return;
	sf_vuln(s, p[0], "CVE-2019-14697", "critical", "1.1.24-r3", "fixed");
	a = sf_write(cs_report_cyclonedx, s, SF_NOW);
	b = sf_write(cs_report_cyclonedx, s, SF_NOW);
	c = sf_write(cs_report_cyclonedx, s, SF_NOW + 1);
	CHECK(a && b && c && strcmp(a, b) == 0 && strcmp(a, c) != 0);
	CHECK(regcomp(&re,
		      "\"serialNumber\":[[:space:]]*\"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\"",
		      REG_EXTENDED) == 0);
	CHECK(a && regexec(&re, a, 0, NULL, 0) == 0);
	regfree(&re);
	free(a);
	free(b);
	free(c);
	cs_scan_free(s);
}

/* A real image: Alpine's apk database in layer 0, a Python package py3-six owns in layer 1. */
TEST(layers_and_owner)
{
	static const cf_entry l0[] = {
		CF_TEXT("etc/os-release", "ID=alpine\nVERSION_ID=3.11.5\nNAME=\"Alpine Linux\"\n"),
		CF_TEXT("lib/apk/db/installed",
			"C:Q1abc=\nP:musl\nV:1.1.24-r2\nA:x86_64\nL:MIT\nT:the C library\no:musl\nm:Natanael Copa "
			"<ncopa@alpinelinux.org>\n\n"
			"P:py3-six\nV:1.16.0-r0\nA:noarch\nL:MIT\no:py3-six\nF:usr/lib/python3.8/site-packages/"
			"six-1.16.0.dist-info\nR:METADATA\n\n"),
		CF_END,
	};
	static const cf_entry l1[] = {
		CF_TEXT("usr/lib/python3.8/site-packages/six-1.16.0.dist-info/METADATA",
			"Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n"),
		CF_END,
	};
	const cf_entry *const layers[] = {l0, l1};
	cs_scan *s = cf_scan_layers("cdx", layers, 2, 2);
	char *text;
	cJSON *doc;

	if (!s)
		return;
	text = sf_write(cs_report_cyclonedx, s, SF_NOW);
	if ((doc = sf_parse(text))) {
		const cJSON *six = component_from(doc, "usr/lib/python3.8/site-packages/six-1.16.0.dist-info/METADATA");
		const cJSON *musl = component(doc, "pkg:apk/alpine/musl@1.1.24-r2?arch=x86_64&distro=3.11.5");
		const cJSON *meta = sf_get(sf_get(doc, "metadata"), "component");
		const cJSON *e;
		size_t ndiff = 0;

		check_refs(doc);
		CHECK(six && musl);
		if (six && musl) {
			CHECK_STR(sf_prop(six, "customs:layer:index"), "1");
			CHECK_STR(sf_prop(six, "customs:layer:diff_id"), cs_scan_layer(s, 1)->diff_id);
			CHECK_STR(sf_prop(musl, "customs:layer:index"), "0");
			CHECK_STR(sf_prop(musl, "customs:found_in"), "lib/apk/db/installed");
			CHECK(sf_prop(six, "customs:owner") &&
			      depends_on(doc, sf_prop(six, "customs:owner"), sf_str(six, "bom-ref")));
			CHECK_STR(sf_str(cJSON_GetArrayItem(sf_get(six, "licenses"), 0)->child, "id"), "MIT");
		}
		cJSON_ArrayForEach(e, sf_get(meta, "properties"))
		{
			if (!strcmp(sf_str(e, "name"), "customs:image:diff_id"))
				CHECK_STR(sf_str(e, "value"), cs_scan_layer(s, ndiff++)->diff_id);
		}
		CHECK_INT(ndiff, 2);
		CHECK_STR(sf_str(meta, "type"), "container");
		CHECK_STR(sf_str(cJSON_GetArrayItem(sf_get(meta, "hashes"), 0), "content"),
			  cs_scan_artifact(s)->image_id + 7);
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

/* The vulnerability of doc whose id is id and whose affects ref holds ref_part (NULL: any). */
static const cJSON *vuln_named(const cJSON *doc, const char *id, const char *ref_part)
{
	const cJSON *v;

	cJSON_ArrayForEach(v, sf_get(doc, "vulnerabilities"))
	{
		const char *ref = sf_str(cJSON_GetArrayItem(sf_get(v, "affects"), 0), "ref");

		if (cf_str_eq(sf_str(v, "id"), id) && (!ref_part || (ref && strstr(ref, ref_part))))
			return v;
	}
	return NULL;
}

/* The analysis's response list joined with ',' ("" for none). */
static const char *responses(const cJSON *an, char *buf, size_t n)
{
	const cJSON *r;
	size_t k = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(r, sf_get(an, "response"))
		k += (size_t)snprintf(buf + k, k < n ? n - k : 0, "%s%s", k ? "," : "", r->valuestring);
	return buf;
}

TEST(suppressed_analysis)
{
	cs_scan *s = rf_issue7("fail");
	char *text = s ? sf_write(cs_report_cyclonedx, s, RF_NOW) : NULL, buf[64];
	cJSON *doc = sf_parse(text);
	const cJSON *an, *v;

	if (doc) {
		v = vuln_named(doc, "CVE-2023-4911", NULL);
		an = sf_get(v, "analysis");
		CHECK_STR(sf_str(an, "state"), "not_affected");
		CHECK_STR(sf_str(an, "justification"), "code_not_reachable");
		CHECK(sf_get(an, "response") == NULL);
		CHECK_STR(sf_str(an, "detail"), "VEX statement in vex/app.openvex.json: " RF_VEX_REASON);
		CHECK_STR(sf_prop(v, "customs:suppressed:kind"), "vex");
		CHECK_STR(sf_prop(v, "customs:suppressed:source"), "vex/app.openvex.json");
		an = sf_get(vuln_named(doc, "GO-2023-1621", NULL), "analysis");
		CHECK_STR(sf_str(an, "state"), "resolved");
		CHECK(sf_str(an, "justification") == NULL);
		CHECK_STR(sf_str(an, "detail"), "VEX statement in vex/app.cdx.json: fixed");
		an = sf_get(vuln_named(doc, "CVE-2021-23337", NULL), "analysis");
		CHECK_STR(sf_str(an, "state"), "exploitable");
		CHECK_STR(responses(an, buf, sizeof(buf)), "will_not_fix");
		CHECK_STR(sf_str(an, "detail"), "Risk accepted in the ignore file .customsignore.yaml: " RF_IGNORE_REASON);
		/* not suppressed: as before */
		v = vuln_named(doc, "CVE-2021-44228", NULL);
		an = sf_get(v, "analysis");
		CHECK_STR(sf_str(an, "state"), "in_triage");
		CHECK_STR(responses(an, buf, sizeof(buf)), "update");
		CHECK(sf_prop(v, "customs:suppressed:kind") == NULL);
	}
	cJSON_Delete(doc);
	free(text);
	cs_scan_free(s);
}

/* Every VEX word customs reads, an ignore reason that says more, and a baseline: their analysis. */
TEST(suppressed_mapping)
{
	static const struct {
		const char *kind, *reason, *state, *justification, *response;
	} cases[] = {
		{"vex", "not_affected: component_not_present", "not_affected", "code_not_present", ""},
		{"vex", "not_affected: vulnerable_code_not_present", "not_affected", "code_not_present", ""},
		{"vex", "not_affected: vulnerable_code_not_in_execute_path", "not_affected", "code_not_reachable", ""},
		{"vex", "not_affected: inline_mitigations_already_exist", "not_affected", "protected_by_mitigating_control", ""},
		/* no CycloneDX counterpart, or free text: no justification, the text in detail */
		{"vex", "not_affected: vulnerable_code_cannot_be_controlled_by_adversary", "not_affected", NULL, ""},
		{"vex", "not_affected: the x87 code path is never used", "not_affected", NULL, ""},
		/* CycloneDX VEX in: its own words pass through */
		{"vex", "not_affected: requires_environment", "not_affected", "requires_environment", ""},
		{"vex", "false_positive: code_not_present", "false_positive", "code_not_present", ""},
		{"vex", "false_positive", "false_positive", NULL, ""},
		{"vex", "resolved", "resolved", NULL, ""},
		{"vex", "resolved_with_pedigree", "resolved_with_pedigree", NULL, ""},
		{"ignore", "not_affected: code_not_reachable", "not_affected", "code_not_reachable", ""},
		{"ignore", "false_positive: wrong package matched", "false_positive", NULL, ""},
		{"ignore", "not affected in practice", "exploitable", NULL, "will_not_fix"},
		{"ignore", "not_affected", "exploitable", NULL, "will_not_fix"}, /* a word alone says nothing more */
		{"baseline", "listed in the baseline report", "in_triage", NULL, ""},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_scan *s = rf_fixture();
		cs_vuln *v = s ? rf_vuln_named(s, "CVE-2022-3715") : NULL; /* no fix: no "update" response */
		char *text, buf[64];
		cJSON *doc;
		const cJSON *an;

		if (!v) {
			CHECK(v != NULL);
			cs_scan_free(s);
			continue;
		}
		v->suppressed = (cs_suppression){cases[i].kind, cases[i].reason, "f.json"};
		text = sf_write(cs_report_cyclonedx, s, RF_NOW);
		doc = sf_parse(text);
		an = sf_get(vuln_named(doc, "CVE-2022-3715", NULL), "analysis");
		if (!cf_str_eq(sf_str(an, "state"), cases[i].state) ||
		    !cf_str_eq(sf_str(an, "justification"), cases[i].justification) ||
		    strcmp(responses(an, buf, sizeof(buf)), cases[i].response) != 0 ||
		    !strstr(sf_str(an, "detail") ? sf_str(an, "detail") : "", cases[i].reason)) {
			fprintf(stderr, "  %s '%s': state %s, justification %s, response '%s', detail %s\n", cases[i].kind,
				cases[i].reason, sf_str(an, "state"), sf_str(an, "justification"), buf, sf_str(an, "detail"));
			test_failures++;
		}
		cJSON_Delete(doc);
		free(text);
		cs_scan_free(s);
	}
}

TEST(base_and_verdict)
{
	cs_scan *s = rf_issue7("warn");
	char *text = s ? sf_write(cs_report_cyclonedx, s, RF_NOW) : NULL;
	cJSON *doc = sf_parse(text);
	const cJSON *m = sf_get(doc, "metadata"), *p;
	size_t hits = 0;

	if (doc) {
		CHECK_STR(sf_prop(m, "customs:base:name"), "debian:12-slim");
		CHECK_STR(sf_prop(m, "customs:base:method"), "catalog");
		CHECK_STR(sf_prop(m, "customs:base:os"), "debian 12");
		CHECK_STR(sf_prop(m, "customs:base:eol"), "false");
		CHECK_STR(sf_prop(m, "customs:base:eol_date"), "2028-06-30");
		CHECK_STR(sf_prop(m, "customs:base:layers"), "0-0");
		CHECK_STR(sf_prop(m, "customs:base:approved"), "true");
		CHECK_STR(sf_prop(m, "customs:base:findings:base"), "1");
		CHECK_STR(sf_prop(m, "customs:policy:name"), "strict");
		CHECK_STR(sf_prop(m, "customs:policy:verdict"), "warn");
		cJSON_ArrayForEach(p, sf_get(m, "properties"))
			hits += cf_str_eq(sf_str(p, "name"), "customs:policy:hit");
		CHECK_INT(hits, 2);
		CHECK_STR(sf_prop(m, "customs:policy:hit"),
			  "warn base-approved (base/approved): the base image debian:12-slim is not end of life");
		/* the image component keeps its own properties */
		CHECK(sf_prop(sf_get(m, "component"), "customs:base:name") == NULL);
	}
	cJSON_Delete(doc);
	free(text);
	cs_scan_free(s);
	/* neither: no metadata properties */
	s = rf_fixture();
	text = s ? sf_write(cs_report_cyclonedx, s, RF_NOW) : NULL;
	doc = sf_parse(text);
	CHECK(doc && sf_get(sf_get(doc, "metadata"), "properties") == NULL);
	cJSON_Delete(doc);
	free(text);
	cs_scan_free(s);
}

TEST(issue7_hostile)
{
	cs_scan *s = rf_hostile();
	char *text = s && rf_hostile7(s) ? sf_write(cs_report_cyclonedx, s, RF_NOW) : NULL;
	cJSON *doc = sf_parse(text);

	CHECK(doc != NULL);
	if (doc) {
		CHECK_STR(sf_prop(sf_get(doc, "metadata"), "customs:base:name"),
			  "ev\"il<&>'\\]]>\x01\x1b[31m\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd(");
		CHECK_STR(sf_prop(sf_get(doc, "metadata"), "customs:base:eol"), "true");
		CHECK(sf_prop(sf_get(doc, "metadata"), "customs:base:layers") == NULL);
	}
	cJSON_Delete(doc);
	free(text);
	cs_scan_free(s);
}

TEST_MAIN(TEST_ENTRY(suppressed_analysis), TEST_ENTRY(suppressed_mapping), TEST_ENTRY(base_and_verdict),
	  TEST_ENTRY(issue7_hostile), TEST_ENTRY(refs_resolve), TEST_ENTRY(licenses), TEST_ENTRY(vulnerabilities),
	  TEST_ENTRY(no_vulnerabilities_without_matching), TEST_ENTRY(hostile_strings), TEST_ENTRY(deterministic),
	  TEST_ENTRY(layers_and_owner))
