/*
 * sbomfix.h - what the SBOM writer tests (test_cyclonedx.c, test_spdx.c)
 * share: an inventory scan built by hand (OS, packages with hostile
 * strings, an owner, a shared purl, findings), a writer run into memory,
 * the output parsed back, and a strict UTF-8 check (cJSON accepts any
 * bytes, a JSON consumer does not).
 *
 * Header-only, on the harness in test.h.
 */
#ifndef CS_SBOMFIX_H
#define CS_SBOMFIX_H

#include "core/compat.h"
#include "report/report.h"
#include "scan/scan.h"
#include "unit/test.h"

#include <cJSON.h>

#define SF_NOW 1700000000LL

/* A package for sf_add: what the tests set, the rest left NULL. */
typedef struct sf_pkg {
	const char *type, *name, *version, *purl, *found_in;
	const char *const *licenses; /* NULL-terminated, or NULL */
	int owner;                   /* index in the sf_pkg list of the owner, or -1 */
} sf_pkg;

static inline const char *sf_dup(cs_scan *s, const char *v)
{
	return v ? cs_arena_strdup(cs_scan_arena(s), v) : NULL;
}

/*
 * An inventory scan of pkgs (n), with an Alpine OS and the artifact named
 * name; packages[i] receives the scan's copy of pkgs[i] (pass NULL to not
 * care). Each package gets source name/version = name/version, a
 * maintainer and layer -1. NULL (and a failed check) on error.
 */
static inline cs_scan *sf_scan(const char *name, const sf_pkg *pkgs, size_t n, cs_package **packages)
{
	cs_scan *s = NULL;
	cs_scan_opts o;
	cs_err err;
	cs_artifact a = {0};
	cs_os os = {0};
	cs_package *made[64];
	size_t i, j;

	CHECK(n <= CS_ARRAY_LEN(made));
	cs_scan_opts_default(&o);
	cs_err_clear(&err);
	if (n > CS_ARRAY_LEN(made) || cs_scan_new_inventory(&s, &o, &err) < 0) {
		CHECK(!"cs_scan_new_inventory");
		cs_scan_free(s);
		return NULL;
	}
	a.name = sf_dup(s, name);
	a.type = "container_image";
	a.image_id = "sha256:8788c5acf1fc92e42dc0b43c6a2bfdf04e8152058e69aadc5dbdbf3900abb60f";
	a.arch = "amd64";
	cs_scan_set_artifact(s, &a);
	os.family = "alpine";
	os.version = "3.11.5";
	os.name = "Alpine Linux v3.11";
	os.found_in = "etc/os-release";
	os.layer = -1;
	cs_scan_set_os(s, &os);
	for (i = 0; i < n; i++) {
		cs_package *p = cs_arena_alloc(cs_scan_arena(s), sizeof(*p));

		CHECK(p != NULL);
		if (!p)
			break;
		p->type = sf_dup(s, pkgs[i].type);
		p->name = sf_dup(s, pkgs[i].name);
		p->version = sf_dup(s, pkgs[i].version);
		p->source_name = p->name;
		p->source_version = p->version;
		p->purl = sf_dup(s, pkgs[i].purl);
		p->found_in = sf_dup(s, pkgs[i].found_in);
		p->maintainer = "Natanael Copa <ncopa@alpinelinux.org>";
		p->layer = -1;
		for (j = 0; pkgs[i].licenses && pkgs[i].licenses[j]; j++)
			;
		if (j) {
			p->licenses = cs_arena_calloc(cs_scan_arena(s), j, sizeof(*p->licenses));
			for (j = 0; p->licenses && pkgs[i].licenses[j]; j++)
				p->licenses[j] = sf_dup(s, pkgs[i].licenses[j]);
			p->nlicenses = j;
		}
		made[i] = p;
	}
	for (i = 0; i < n; i++)
		if (pkgs[i].owner >= 0)
			made[i]->owner = made[pkgs[i].owner];
	for (i = 0; i < n; i++) {
		CHECK(cs_scan_add_package(s, made[i]) == 0);
		if (packages)
			packages[i] = made[i];
	}
	cs_scan_inventory_done(s);
	return s;
}

/* Adds a finding of id against p (fixed in fixed, or NULL). */
static inline cs_vuln *sf_vuln(cs_scan *s, const cs_package *p, const char *id, const char *severity,
			       const char *fixed, const char *status)
{
	cs_vuln *v = cs_arena_alloc(cs_scan_arena(s), sizeof(*v));

	if (!v)
		return NULL;
	v->id = sf_dup(s, id);
	v->package = p;
	v->installed_version = p->version;
	v->fixed_version = sf_dup(s, fixed);
	v->status = status;
	v->severity = severity;
	v->data_source = "alpine-secdb-v3.11-main";
	v->kev = -1;
	v->epss_score = -1;
	v->epss_percentile = -1;
	CHECK(cs_scan_add_vuln(s, v) == 0);
	return v;
}

/* The report of writer fn on s at now, malloc'd and NUL-terminated; NULL (a failed check) on error. */
static inline char *sf_write(int (*fn)(FILE *, const cs_scan *, const cs_report_opts *, cs_err *), const cs_scan *s,
			     long long now)
{
	cs_report_opts o = {0};
	char *buf = NULL;
	size_t len = 0;
	cs_err err;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f) {
		CHECK(!"open_memstream");
		return NULL;
	}
	o.now = now;
	cs_err_clear(&err);
	rc = fn(f, s, &o, &err);
	fclose(f);
	if (rc < 0) {
		fprintf(stderr, "  writer failed: %s\n", err.msg);
		test_failures++;
		free(buf);
		return NULL;
	}
	return buf;
}

/* True when s is entirely valid UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static inline bool sf_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n, i;
		uint32_t cp;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0)
			n = 2, cp = *p & 0x1f;
		else if ((*p & 0xf0) == 0xe0)
			n = 3, cp = *p & 0x0f;
		else if ((*p & 0xf8) == 0xf0)
			n = 4, cp = *p & 0x07;
		else
			return false;
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		p += n;
	}
	return true;
}

/* The report parsed, after checking it is valid UTF-8 JSON; NULL (a failed check) otherwise. */
static inline cJSON *sf_parse(const char *text)
{
	cJSON *doc;

	if (!text)
		return NULL;
	CHECK(sf_utf8_valid(text));
	doc = cJSON_Parse(text);
	CHECK(doc != NULL);
	return doc;
}

static inline const char *sf_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline cJSON *sf_get(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* The value of the first property (CycloneDX name/value) or annotation "name=value" called name, or NULL. */
static inline const char *sf_prop(const cJSON *o, const char *name)
{
	const cJSON *e;
	size_t n = strlen(name);

	cJSON_ArrayForEach(e, sf_get(o, "properties"))
	{
		if (cJSON_IsString(sf_get(e, "name")) && !strcmp(sf_str(e, "name"), name))
			return sf_str(e, "value");
	}
	cJSON_ArrayForEach(e, sf_get(o, "annotations"))
	{
		const char *c = sf_str(e, "comment");

		if (c && !strncmp(c, name, n) && c[n] == '=')
			return c + n + 1;
	}
	return NULL;
}

#endif
