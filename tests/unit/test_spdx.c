/*
 * test_spdx.c - the SPDX 2.3 writer (src/report/spdx.c) and the license
 * classification both SBOM writers share (src/report/spdxlic.c):
 *
 *  - classify: ids in any case, "+", WITH, AND/OR precedence and
 *    parentheses, LicenseRef/DocumentRef, and what is not an expression;
 *    the generated id tables are sorted (the search depends on it);
 *  - ids: every SPDXID valid (letters, digits, '.', '-') and unique, every
 *    relationship between elements that exist, DESCRIBES the image, the
 *    image CONTAINS every package, owners CONTAIN what they own;
 *  - licenses: licenseDeclared as an id, an expression, a LicenseRef with
 *    its hasExtractedLicensingInfos entry (one per text, distinct ids for
 *    texts that sanitise alike), NOASSERTION;
 *  - hostile strings, determinism, a real layered image's annotations.
 * The official schema runs in the e2e test (tests/e2e/report_sbom.sh).
 */
#include "core/compat.h"

#include "report/report.h"
#include "report/spdxlic.h"
#include "unit/catfix.h"
#include "unit/sbomfix.h"

#include <regex.h>
#include <strings.h>

TEST(classify)
{
	static const struct {
		const char *in;
		cs_lic_kind kind;
		const char *text;
		bool compound;
	} cases[] = {
		{"MIT", CS_LIC_ID, "MIT", false},
		{"  mit  ", CS_LIC_ID, "MIT", false},
		{"apache-2.0", CS_LIC_ID, "Apache-2.0", false},
		{"GPL-2.0+", CS_LIC_ID, "GPL-2.0+", false}, /* a deprecated id of its own */
		{"Apache-2.0+", CS_LIC_EXPR, "Apache-2.0+", false},
		{"MIT OR Apache-2.0", CS_LIC_EXPR, "MIT OR Apache-2.0", true},
		{"mit and  bsd-3-clause", CS_LIC_EXPR, "MIT AND BSD-3-Clause", true},
		{"(MIT OR Apache-2.0) AND BSD-2-Clause", CS_LIC_EXPR, "(MIT OR Apache-2.0) AND BSD-2-Clause", true},
		{"( MIT )", CS_LIC_EXPR, "(MIT)", false},
		{"GPL-2.0-only WITH Classpath-exception-2.0", CS_LIC_EXPR, "GPL-2.0-only WITH Classpath-exception-2.0",
		 false},
		{"gpl-2.0-or-later with gcc-exception-3.1 OR MIT", CS_LIC_EXPR,
		 "GPL-2.0-or-later WITH GCC-exception-3.1 OR MIT", true},
		{"LicenseRef-Acme.1", CS_LIC_EXPR, "LicenseRef-Acme.1", false},
		{"licenseref-x OR MIT", CS_LIC_EXPR, "LicenseRef-x OR MIT", true},
		{"DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", CS_LIC_EXPR,
		 "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", false},
		/* not expressions: free text as it came, trimmed */
		{"GPL2+", CS_LIC_NAME, "GPL2+", false},
		{"BSD", CS_LIC_NAME, "BSD", false},
		{"MIT/X11", CS_LIC_NAME, "MIT/X11", false},
		{"MIT OR", CS_LIC_NAME, "MIT OR", false},
		{"OR MIT", CS_LIC_NAME, "OR MIT", false},
		{"MIT Or Apache-2.0", CS_LIC_NAME, "MIT Or Apache-2.0", false}, /* mixed-case operator */
		{"(MIT", CS_LIC_NAME, "(MIT", false},
		{"MIT)", CS_LIC_NAME, "MIT)", false},
		{"()", CS_LIC_NAME, "()", false},
		{"MIT WITH Classpath-exception-2.0 WITH GCC-exception-3.1", CS_LIC_NAME,
		 "MIT WITH Classpath-exception-2.0 WITH GCC-exception-3.1", false},
		{"MIT WITH Apache-2.0", CS_LIC_NAME, "MIT WITH Apache-2.0", false},     /* not an exception */
		{"(MIT) WITH Classpath-exception-2.0", CS_LIC_NAME, "(MIT) WITH Classpath-exception-2.0", false},
		{"Classpath-exception-2.0", CS_LIC_NAME, "Classpath-exception-2.0", false}, /* an exception alone */
		{"LicenseRef-", CS_LIC_NAME, "LicenseRef-", false},
		{"LicenseRef-a_b", CS_LIC_NAME, "LicenseRef-a_b", false},
		{"MIT++", CS_LIC_NAME, "MIT++", false},
		{"", CS_LIC_NAME, "", false},
		{" \t", CS_LIC_NAME, "", false},
		{"The MIT License", CS_LIC_NAME, "The MIT License", false},
	};
	cs_arena a;
	size_t i;

	cs_arena_init(&a);
	for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
		cs_lic l;

		CHECK_INT(cs_lic_classify(&l, &a, cases[i].in), 0);
		if (l.kind != cases[i].kind || strcmp(l.text, cases[i].text) || l.compound != cases[i].compound) {
			fprintf(stderr, "  '%s': kind %d '%s' compound %d, want %d '%s' %d\n", cases[i].in, l.kind, l.text,
				l.compound, cases[i].kind, cases[i].text, cases[i].compound);
			test_failures++;
		}
	}
	cs_arena_release(&a);
}

TEST(classify_deep_nesting)
{
	char deep[4096];
	cs_arena a;
	cs_lic l;
	size_t i;

	for (i = 0; i < 2000; i++)
		deep[i] = '(';
	memcpy(deep + 2000, "MIT", 4);
	cs_arena_init(&a);
	CHECK_INT(cs_lic_classify(&l, &a, deep), 0);
	CHECK_INT(l.kind, CS_LIC_NAME);
	CHECK_INT(cs_lic_classify(&l, &a, "((((MIT))))"), 0);
	CHECK_INT(l.kind, CS_LIC_EXPR);
	cs_arena_release(&a);
}

TEST(id_lookup)
{
	CHECK_STR(cs_spdx_license_id("0bsd"), "0BSD");
	CHECK_STR(cs_spdx_license_id("ZPL-2.1"), "ZPL-2.1");
	CHECK_STR(cs_spdx_license_id("zlib"), "Zlib");
	CHECK(cs_spdx_license_id("Classpath-exception-2.0") == NULL);
	CHECK_STR(cs_spdx_exception_id("classpath-exception-2.0"), "Classpath-exception-2.0");
	CHECK(cs_spdx_exception_id("MIT") == NULL);
	CHECK(cs_spdx_license_id("MI") == NULL && cs_spdx_license_id("MITT") == NULL);
	CHECK(cs_spdx_license_id("") == NULL && cs_spdx_license_id(NULL) == NULL);
	CHECK_STR(cs_spdx_list_version, "3.28");
}

/*
 * Every id of the schema's SPDX list is found, in its own case and in
 * lower case: the tables are complete and sorted the way the binary search
 * needs (an unsorted table would lose some).
 */
TEST(tables_match_schema)
{
	cJSON *schema = cf_read_json("schemas/cyclonedx/spdx.schema.json"), *e;
	size_t n = 0, found = 0;

	CHECK(schema != NULL);
	if (!schema)
		return;
	cJSON_ArrayForEach(e, sf_get(schema, "enum"))
	{
		char low[128];
		const char *hit;
		size_t i;

		n++;
		snprintf(low, sizeof(low), "%s", e->valuestring);
		for (i = 0; low[i]; i++)
			low[i] = (char)(low[i] >= 'A' && low[i] <= 'Z' ? low[i] - 'A' + 'a' : low[i]);
		hit = cs_spdx_license_id(low) ? cs_spdx_license_id(low) : cs_spdx_exception_id(low);
		if (hit && !strcmp(hit, e->valuestring))
			found++;
		else
			fprintf(stderr, "  '%s' not found\n", e->valuestring);
	}
	CHECK(n > 700);
	CHECK_INT(found, n);
	cJSON_Delete(schema);
}

static const sf_pkg PKGS[] = {
	{"apk", "musl", "1.1.24-r2", "pkg:apk/alpine/musl@1.1.24-r2", "lib/apk/db/installed", NULL, -1},
	{"apk", "py3-six", "1.16.0-r0", "pkg:apk/alpine/py3-six@1.16.0-r0", "lib/apk/db/installed", NULL, -1},
	{"pypi", "six", "1.16.0", "pkg:pypi/six@1.16.0", "usr/lib/python3.8/site-packages/six-1.16.0.dist-info/METADATA",
	 NULL, 1},
	{"pypi", "six", "1.16.0", "pkg:pypi/six@1.16.0", "opt/venv/six-1.16.0.dist-info/METADATA", NULL, -1},
	{"npm", "@scope/na me\"\n\xff\xc3\xa9", "", NULL, "app/node_modules/x/package.json", NULL, -1},
	{"npm", "", NULL, NULL, "b", NULL, -1},
};

static const cJSON *element(const cJSON *doc, const char *id)
{
	const cJSON *p;

	if (!strcmp(id, "SPDXRef-DOCUMENT"))
		return doc;
	cJSON_ArrayForEach(p, sf_get(doc, "packages"))
	{
		if (sf_str(p, "SPDXID") && !strcmp(sf_str(p, "SPDXID"), id))
			return p;
	}
	return NULL;
}

static bool related(const cJSON *doc, const char *from, const char *type, const char *to)
{
	const cJSON *r;

	cJSON_ArrayForEach(r, sf_get(doc, "relationships"))
	{
		if (!strcmp(sf_str(r, "spdxElementId"), from) && !strcmp(sf_str(r, "relationshipType"), type) &&
		    !strcmp(sf_str(r, "relatedSpdxElement"), to))
			return true;
	}
	return false;
}

static const cJSON *package_from(const cJSON *doc, const char *found_in)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, sf_get(doc, "packages"))
	{
		const char *f = sf_prop(p, "customs:found_in");

		if (f && !strcmp(f, found_in))
			return p;
	}
	return NULL;
}

/* What the schema cannot check: id syntax and uniqueness, relationship ends, LicenseRefs declared. */
static void check_ids(const cJSON *doc)
{
	const cJSON *p, *q, *r, *e;
	regex_t re;
	const char *image = NULL;

	CHECK(regcomp(&re, "^SPDXRef-[A-Za-z0-9.-]+$", REG_EXTENDED | REG_NOSUB) == 0);
	CHECK_STR(sf_str(doc, "SPDXID"), "SPDXRef-DOCUMENT");
	cJSON_ArrayForEach(p, sf_get(doc, "packages"))
	{
		const char *id = sf_str(p, "SPDXID");
		size_t same = 0;

		CHECK(id && regexec(&re, id, 0, NULL, 0) == 0);
		if (!id)
			continue;
		cJSON_ArrayForEach(q, sf_get(doc, "packages"))
		{
			same += sf_str(q, "SPDXID") && !strcmp(sf_str(q, "SPDXID"), id);
		}
		CHECK_INT(same, 1);
		CHECK(sf_str(p, "name") != NULL);
		CHECK_STR(sf_str(p, "downloadLocation"), "NOASSERTION");
		CHECK(cJSON_IsFalse(sf_get(p, "filesAnalyzed")));
		if (sf_str(p, "primaryPackagePurpose") && !strcmp(sf_str(p, "primaryPackagePurpose"), "CONTAINER"))
			image = id;
		/* every LicenseRef used is declared */
		if (sf_str(p, "licenseDeclared") && strstr(sf_str(p, "licenseDeclared"), "LicenseRef-")) {
			const char *ref = strstr(sf_str(p, "licenseDeclared"), "LicenseRef-");
			bool found = false;

			cJSON_ArrayForEach(e, sf_get(doc, "hasExtractedLicensingInfos"))
			{
				size_t n = strlen(sf_str(e, "licenseId"));

				found = found || (!strncmp(ref, sf_str(e, "licenseId"), n) &&
						  (ref[n] == '\0' || ref[n] == ' ' || ref[n] == ')'));
			}
			CHECK(found);
		}
	}
	regfree(&re);
	CHECK(image != NULL);
	cJSON_ArrayForEach(r, sf_get(doc, "relationships"))
	{
		CHECK(element(doc, sf_str(r, "spdxElementId")) != NULL);
		CHECK(element(doc, sf_str(r, "relatedSpdxElement")) != NULL);
	}
	if (!image)
		return;
	CHECK(related(doc, "SPDXRef-DOCUMENT", "DESCRIBES", image));
	cJSON_ArrayForEach(p, sf_get(doc, "packages"))
	{
		if (strcmp(sf_str(p, "SPDXID"), image))
			CHECK(related(doc, image, "CONTAINS", sf_str(p, "SPDXID")));
	}
}

TEST(ids_and_relationships)
{
	cs_scan *s = sf_scan("docker-archive:img.tar", PKGS, CS_ARRAY_LEN(PKGS), NULL);
	char *text;
	cJSON *doc;

	if (!s)
		return;
	text = sf_write(cs_report_spdx_json, s, SF_NOW);
	if ((doc = sf_parse(text))) {
		const cJSON *owned = package_from(doc, PKGS[2].found_in), *venv = package_from(doc, PKGS[3].found_in);
		const cJSON *owner = NULL, *p, *ref;

		CHECK_STR(sf_str(doc, "spdxVersion"), "SPDX-2.3");
		CHECK_STR(sf_str(doc, "dataLicense"), "CC0-1.0");
		CHECK_STR(sf_str(sf_get(doc, "creationInfo"), "created"), "2023-11-14T22:13:20Z");
		CHECK(!strncmp(cJSON_GetArrayItem(sf_get(sf_get(doc, "creationInfo"), "creators"), 0)->valuestring,
			       "Tool: customs-", 14));
		check_ids(doc);
		/* image + OS + every package */
		CHECK_INT(cJSON_GetArraySize(sf_get(doc, "packages")), 2 + CS_ARRAY_LEN(PKGS));
		cJSON_ArrayForEach(p, sf_get(doc, "packages"))
		{
			if (sf_str(p, "name") && !strcmp(sf_str(p, "name"), "py3-six"))
				owner = p;
		}
		CHECK(owned && venv && owner);
		if (owned && venv && owner) {
			CHECK(strcmp(sf_str(owned, "SPDXID"), sf_str(venv, "SPDXID")) != 0);
			CHECK(!strncmp(sf_str(owned, "SPDXID"), "SPDXRef-Package-six-", 20));
			CHECK(related(doc, sf_str(owner, "SPDXID"), "CONTAINS", sf_str(owned, "SPDXID")));
			CHECK(!related(doc, sf_str(owner, "SPDXID"), "CONTAINS", sf_str(venv, "SPDXID")));
			CHECK(related(doc, "SPDXRef-OperatingSystem", "CONTAINS", sf_str(owner, "SPDXID")));
			CHECK(!related(doc, "SPDXRef-OperatingSystem", "CONTAINS", sf_str(owned, "SPDXID")));
			CHECK_STR(sf_prop(owned, "customs:owner"), sf_str(owner, "SPDXID"));
			ref = cJSON_GetArrayItem(sf_get(owned, "externalRefs"), 0);
			CHECK_STR(sf_str(ref, "referenceCategory"), "PACKAGE-MANAGER");
			CHECK_STR(sf_str(ref, "referenceType"), "purl");
			CHECK_STR(sf_str(ref, "referenceLocator"), "pkg:pypi/six@1.16.0");
			CHECK_STR(sf_str(owner, "supplier"), "Organization: Natanael Copa (ncopa@alpinelinux.org)");
			CHECK_STR(sf_str(owner, "sourceInfo"), "built package from: py3-six 1.16.0-r0");
			CHECK_STR(sf_str(owner, "primaryPackagePurpose"), "LIBRARY");
		}
		p = element(doc, "SPDXRef-OperatingSystem");
		CHECK(p && !strcmp(sf_str(p, "primaryPackagePurpose"), "OPERATING_SYSTEM") &&
		      !strcmp(sf_str(p, "versionInfo"), "3.11.5"));
		p = element(doc, "SPDXRef-Image");
		CHECK(p && !strcmp(sf_str(cJSON_GetArrayItem(sf_get(p, "checksums"), 0), "checksumValue"),
				   "8788c5acf1fc92e42dc0b43c6a2bfdf04e8152058e69aadc5dbdbf3900abb60f"));
		/* hostile names: the SPDXID is sanitised, the name kept (made UTF-8) */
		p = package_from(doc, "app/node_modules/x/package.json");
		CHECK(p && !strcmp(sf_str(p, "name"), "@scope/na me\"\n\xef\xbf\xbd\xc3\xa9"));
		CHECK(p && !strncmp(sf_str(p, "SPDXID"), "SPDXRef-Package-scope-na-me-", 28));
		CHECK(p && sf_get(p, "versionInfo") == NULL && sf_get(p, "externalRefs") == NULL);
		p = package_from(doc, "b");
		CHECK(p && !strncmp(sf_str(p, "SPDXID"), "SPDXRef-Package-unknown-", 24) && !strcmp(sf_str(p, "name"), ""));
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

TEST(licenses)
{
	static const char *const l_id[] = {"mit", NULL};
	static const char *const l_expr[] = {"MIT OR Apache-2.0", "BSD-3-Clause", NULL};
	static const char *const l_free[] = {"GPL2+", "MIT", NULL};
	static const char *const l_free_again[] = {"GPL2+", NULL};
	static const char *const l_alike[] = {"GPL2 +", NULL}; /* sanitises to GPL2- like "GPL2+" */
	static const char *const l_weird[] = {"(c) \xff \"quoted\"\n", NULL};
	static const sf_pkg pk[] = {
		{"npm", "id", "1", "pkg:npm/id@1", "a", l_id, -1},
		{"npm", "expr", "1", "pkg:npm/expr@1", "a", l_expr, -1},
		{"npm", "free", "1", "pkg:npm/free@1", "a", l_free, -1},
		{"npm", "again", "1", "pkg:npm/again@1", "a", l_free_again, -1},
		{"npm", "alike", "1", "pkg:npm/alike@1", "a", l_alike, -1},
		{"npm", "weird", "1", "pkg:npm/weird@1", "a", l_weird, -1},
		{"npm", "none", "1", "pkg:npm/none@1", "a", NULL, -1},
	};
	static const struct {
		const char *name, *want;
	} cases[] = {
		{"id", "MIT"},
		{"expr", "(MIT OR Apache-2.0) AND BSD-3-Clause"},
		{"free", "LicenseRef-GPL2 AND MIT"},
		{"again", "LicenseRef-GPL2"},
		{"alike", "LicenseRef-GPL2-2"},
		{"weird", "LicenseRef-c-quoted"},
		{"none", "NOASSERTION"},
	};
	cs_scan *s = sf_scan("img", pk, CS_ARRAY_LEN(pk), NULL);
	char *text;
	cJSON *doc;
	size_t i;

	if (!s)
		return;
	text = sf_write(cs_report_spdx_json, s, SF_NOW);
	if ((doc = sf_parse(text))) {
		const cJSON *x = sf_get(doc, "hasExtractedLicensingInfos"), *p;

		check_ids(doc);
		for (i = 0; i < CS_ARRAY_LEN(cases); i++) {
			const char *got = NULL;

			cJSON_ArrayForEach(p, sf_get(doc, "packages"))
			{
				if (sf_str(p, "name") && !strcmp(sf_str(p, "name"), cases[i].name))
					got = sf_str(p, "licenseDeclared");
			}
			if (!got || strcmp(got, cases[i].want)) {
				fprintf(stderr, "  %s: licenseDeclared '%s', want '%s'\n", cases[i].name, got ? got : "(none)",
					cases[i].want);
				test_failures++;
			}
		}
		/* one entry per text, in order of first use, with the text as it came */
		CHECK_INT(cJSON_GetArraySize(x), 3);
		CHECK_STR(sf_str(cJSON_GetArrayItem(x, 0), "licenseId"), "LicenseRef-GPL2");
		CHECK_STR(sf_str(cJSON_GetArrayItem(x, 0), "extractedText"), "GPL2+");
		CHECK_STR(sf_str(cJSON_GetArrayItem(x, 1), "licenseId"), "LicenseRef-GPL2-2");
		CHECK_STR(sf_str(cJSON_GetArrayItem(x, 1), "extractedText"), "GPL2 +");
		CHECK_STR(sf_str(cJSON_GetArrayItem(x, 2), "extractedText"), "(c) \xef\xbf\xbd \"quoted\"");
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

TEST(deterministic)
{
	cs_scan *s = sf_scan("img", PKGS, CS_ARRAY_LEN(PKGS), NULL);
	char *a, *b, *c;
	cJSON *da, *dc;

	if (!s)
		return;
	a = sf_write(cs_report_spdx_json, s, SF_NOW);
	b = sf_write(cs_report_spdx_json, s, SF_NOW);
	c = sf_write(cs_report_spdx_json, s, SF_NOW + 1);
	CHECK(a && b && c && strcmp(a, b) == 0);
	da = sf_parse(a);
	dc = sf_parse(c);
	if (da && dc) {
		const char *na = sf_str(da, "documentNamespace"), *nc = sf_str(dc, "documentNamespace");

		CHECK(na && nc && strcmp(na, nc) != 0);
		CHECK(na && !strncmp(na, "https://customs.invalid/spdx/img-", 33) && !strchr(na, '#'));
	}
	cJSON_Delete(da);
	cJSON_Delete(dc);
	free(a);
	free(b);
	free(c);
	cs_scan_free(s);
}

TEST(layer_annotations)
{
	static const cf_entry l0[] = {
		CF_TEXT("etc/os-release", "ID=alpine\nVERSION_ID=3.11.5\n"),
		CF_TEXT("lib/apk/db/installed", "P:musl\nV:1.1.24-r2\nA:x86_64\nL:MIT\n\n"),
		CF_END,
	};
	static const cf_entry l1[] = {
		CF_TEXT("usr/lib/python3.8/site-packages/six-1.16.0.dist-info/METADATA",
			"Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n"),
		CF_END,
	};
	const cf_entry *const layers[] = {l0, l1};
	cs_scan *s = cf_scan_layers("spdx", layers, 2, 2);
	char *text;
	cJSON *doc;

	if (!s)
		return;
	text = sf_write(cs_report_spdx_json, s, SF_NOW);
	if ((doc = sf_parse(text))) {
		const cJSON *six = package_from(doc, "usr/lib/python3.8/site-packages/six-1.16.0.dist-info/METADATA");
		const cJSON *n;

		check_ids(doc);
		CHECK(six != NULL);
		if (six) {
			CHECK_STR(sf_prop(six, "customs:layer:index"), "1");
			CHECK_STR(sf_prop(six, "customs:layer:diff_id"), cs_scan_layer(s, 1)->diff_id);
			CHECK_STR(sf_prop(six, "customs:package:type"), "pypi");
			CHECK_STR(sf_str(six, "licenseDeclared"), "MIT");
			cJSON_ArrayForEach(n, sf_get(six, "annotations"))
			{
				CHECK_STR(sf_str(n, "annotationType"), "OTHER");
				CHECK_STR(sf_str(n, "annotationDate"), "2023-11-14T22:13:20Z");
				CHECK(!strncmp(sf_str(n, "annotator"), "Tool: customs-", 14));
			}
		}
		cJSON_Delete(doc);
	}
	free(text);
	cs_scan_free(s);
}

TEST_MAIN(TEST_ENTRY(classify), TEST_ENTRY(classify_deep_nesting), TEST_ENTRY(id_lookup), TEST_ENTRY(tables_match_schema),
	  TEST_ENTRY(ids_and_relationships), TEST_ENTRY(licenses), TEST_ENTRY(deterministic),
	  TEST_ENTRY(layer_annotations))
