/*
 * cyclonedx.c - CycloneDX 1.6 JSON: the image as the BOM's subject
 * (metadata.component), its OS and every package as components, the
 * dependency graph, and the findings as vulnerabilities with ratings,
 * affects and an analysis, so the same document serves as SBOM and VEX.
 *
 * What the scan knows that CycloneDX has no field for goes into
 * properties named customs:* (docs/reports.md lists them), which is also
 * how `customs sbom` reads a customs BOM back without loss. Everything is
 * built as one cJSON tree in a fixed order; the serial number is derived
 * from the content and opts->now, so equal scans give equal bytes.
 */
#include "core/compat.h"
#include "report/report.h"
#include "report/rutil.h"
#include "report/spdxlic.h"
#include "base/base.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/map.h"
#include "core/sha256.h"
#include "core/version.h"

#include <math.h>

#include <cJSON.h>

/* The schema's limit on a version string (definitions/version). */
#define CDX_VERSION_MAX 1024

typedef struct cdx {
	const cs_scan *s;
	cs_arena a;           /* every string made here */
	cs_map refs;          /* bom-refs handed out, for uniqueness; keys in a */
	const char **pkg_ref; /* bom-ref of package i */
	long *owner;          /* index of package i's owner, or -1 */
	const char *image_ref;
	const char *os_ref;   /* NULL without an OS */
	char now[32];
	cs_jb jb;             /* the builder; jb.oom: the tree is incomplete */
} cdx;


/* Appends {name, value} to props, unless value is NULL or empty. */
static void prop(cdx *c, cJSON *props, const char *name, const char *value)
{
	cJSON *p;

	if (!value || !*value)
		return;
	p = cs_jb_push(&c->jb, props, cs_jb_obj(&c->jb));
	cs_jb_add_str(&c->jb, p, "name", name);
	cs_jb_add_str(&c->jb, p, "value", value);
}

/* A probability (EPSS) with the five decimals FIRST publishes. */
static void prop_prob(cdx *c, cJSON *props, const char *name, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.5f", v);
	prop(c, props, name, buf);
}

/* Attaches props to o as "properties" when it holds any. */
static void add_props(cdx *c, cJSON *o, cJSON *props)
{
	if (props && cJSON_GetArraySize(props) > 0)
		cs_jb_add(&c->jb, o, "properties", props);
	else
		cJSON_Delete(props);
}

static bool version_ok(const char *v)
{
	return v && *v && strlen(v) <= CDX_VERSION_MAX;
}

/* --- bom-refs ------------------------------------------------------------- */

/*
 * base, made valid UTF-8, or base-2, base-3... when an earlier element
 * already has it: every bom-ref in the BOM is unique.
 */
static const char *unique_ref(cdx *c, const char *base)
{
	char *clean = cs_rutil_utf8_dup(base), *ref;
	unsigned n;

	if (!clean) {
		c->jb.oom = true;
		return "";
	}
	ref = cs_arena_strdup(&c->a, clean);
	for (n = 2; ref && cs_map_get(&c->refs, ref); n++)
		ref = cs_arena_printf(&c->a, "%s-%u", clean, n);
	free(clean);
	if (!ref || cs_map_put(&c->refs, ref, (void *)1) < 0) {
		c->jb.oom = true;
		return "";
	}
	return ref;
}

/* What a package is called before disambiguation: its purl, else type/name@version. */
static const char *package_base(cdx *c, const cs_package *p)
{
	const char *b;

	if (p->purl && *p->purl)
		return p->purl;
	b = cs_arena_printf(&c->a, "customs:package/%s/%s@%s", p->type ? p->type : "", p->name ? p->name : "",
			    p->version ? p->version : "");
	if (!b)
		c->jb.oom = true;
	return b ? b : "";
}

/*
 * base with one more purl qualifier, package-id=<16 hex digits of id>,
 * placed before a subpath ("#...") when there is one.
 */
static const char *with_package_id(cdx *c, const char *base, const char *id)
{
	const char *hash = strchr(base, '#');
	size_t head = hash ? (size_t)(hash - base) : strlen(base);
	bool has_q = memchr(base, '?', head) != NULL;

	return cs_arena_printf(&c->a, "%.*s%cpackage-id=%.16s%s", (int)head, base, has_q ? '&' : '?', id,
			       hash ? hash : "");
}

/*
 * A package's bom-ref is its purl. Two packages can share one (the same
 * jar in two directories, a wheel in two layers' site-packages): then
 * each gets the purl plus a package-id qualifier made from where it was
 * found (file and layer), as syft does, so the ref stays stable when the
 * order of the list changes.
 */
static int package_refs(cdx *c)
{
	size_t n = cs_scan_package_count(c->s), i;
	cs_map count;
	const char **base;
	int err = 0;

	cs_map_init(&count);
	if (!(base = cs_arena_calloc(&c->a, n + 1, sizeof(*base))) ||
	    !(c->pkg_ref = cs_arena_calloc(&c->a, n + 1, sizeof(*c->pkg_ref)))) {
		err = CS_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		base[i] = package_base(c, cs_scan_package(c->s, i));
		if (cs_map_put(&count, base[i], (void *)((uintptr_t)cs_map_get(&count, base[i]) + 1)) < 0) {
			err = CS_ENOMEM;
			goto done;
		}
	}
	for (i = 0; i < n; i++) {
		const cs_package *p = cs_scan_package(c->s, i);
		const cs_layer *l = p->layer >= 0 ? cs_scan_layer(c->s, (size_t)p->layer) : NULL;
		char where[CS_DIGEST_MAX], *key;
		const char *b = base[i];

		if ((uintptr_t)cs_map_get(&count, b) > 1) {
			key = cs_arena_printf(&c->a, "%s\n%s\n%d", p->found_in ? p->found_in : "",
					      l ? l->diff_id : "", p->layer);
			if (!key || cs_sha256_buf(key, strlen(key), where) < 0) {
				err = CS_ENOMEM;
				goto done;
			}
			if (!(b = with_package_id(c, b, where + 7))) {
				err = CS_ENOMEM;
				goto done;
			}
		}
		c->pkg_ref[i] = unique_ref(c, b);
	}
done:
	cs_map_release(&count);
	if (err)
		c->jb.oom = true;
	return err;
}

/* --- the image, its OS ---------------------------------------------------- */

/* The image's purl (purl-spec's oci type) when its manifest digest and a repo tag are known. */
static const char *image_purl(cdx *c, const cs_artifact *a)
{
	char *out = NULL;

	if (cs_rutil_image_purl(&out, &c->a, a) < 0)
		c->jb.oom = true;
	return out;
}

static void os_props(cdx *c, cJSON *props, const cs_os *os)
{
	prop(c, props, "customs:os:family", os->family);
	prop(c, props, "customs:os:version", os->version);
	prop(c, props, "customs:os:name", os->name);
	prop(c, props, "customs:os:codename", os->codename);
}

static void layer_props(cdx *c, cJSON *props, int layer)
{
	const cs_layer *l;
	char idx[16];

	if (cs_scan_is_rootfs(c->s) || layer < 0 || !(l = cs_scan_layer(c->s, (size_t)layer)))
		return;
	snprintf(idx, sizeof(idx), "%d", l->index);
	prop(c, props, "customs:layer:index", idx);
	prop(c, props, "customs:layer:diff_id", l->diff_id);
}

static cJSON *image_component(cdx *c)
{
	const cs_artifact *a = cs_scan_artifact(c->s);
	const cs_os *os = cs_scan_os(c->s);
	const char *purl = image_purl(c, a), *version = a->image_id ? a->image_id : a->manifest_digest;
	cJSON *o = cs_jb_obj(&c->jb), *props = cs_jb_arr(&c->jb);
	size_t i;

	c->image_ref = unique_ref(c, purl ? purl : a->image_id && *a->image_id ? a->image_id : "customs:artifact");
	cs_jb_add_str(&c->jb, o, "bom-ref", c->image_ref);
	cs_jb_add_str(&c->jb, o, "type", a->type && !strcmp(a->type, "container_image") ? "container" : "application");
	cs_jb_add(&c->jb, o, "name", cs_jb_str(&c->jb, cs_rutil_artifact_title(a)));
	if (version_ok(version))
		cs_jb_add_str(&c->jb, o, "version", version);
	if (a->image_id && cs_digest_valid(a->image_id) && !strncmp(a->image_id, "sha256:", 7)) {
		cJSON *h = cs_jb_add(&c->jb, o, "hashes", cs_jb_arr(&c->jb)), *e = cs_jb_push(&c->jb, h, cs_jb_obj(&c->jb));

		cs_jb_add_str(&c->jb, e, "alg", "SHA-256");
		cs_jb_add_str(&c->jb, e, "content", a->image_id + 7);
	}
	cs_jb_add_str(&c->jb, o, "purl", purl);
	prop(c, props, "customs:artifact:name", a->name);
	prop(c, props, "customs:artifact:type", a->type);
	prop(c, props, "customs:image:id", a->image_id);
	prop(c, props, "customs:image:manifest_digest", a->manifest_digest);
	for (i = 0; i < a->nrepo_tags; i++)
		prop(c, props, "customs:image:repo_tag", a->repo_tags[i]);
	prop(c, props, "customs:image:os", a->os);
	prop(c, props, "customs:image:architecture", a->arch);
	prop(c, props, "customs:image:variant", a->variant);
	if (os)
		os_props(c, props, os);
	/* every layer's diff_id in order: customs:layer:index of a package points into this list */
	for (i = 0; !cs_scan_is_rootfs(c->s) && i < cs_scan_layer_count(c->s); i++)
		prop(c, props, "customs:image:diff_id", cs_scan_layer(c->s, i)->diff_id);
	add_props(c, o, props);
	return o;
}

static cJSON *os_component(cdx *c, const cs_os *os)
{
	cJSON *o = cs_jb_obj(&c->jb), *props = cs_jb_arr(&c->jb);
	const char *ref = cs_arena_printf(&c->a, "customs:os/%s@%s", os->family ? os->family : "",
					  os->version ? os->version : "");

	c->os_ref = unique_ref(c, ref ? ref : "customs:os");
	cs_jb_add_str(&c->jb, o, "bom-ref", c->os_ref);
	cs_jb_add_str(&c->jb, o, "type", "operating-system");
	cs_jb_add(&c->jb, o, "name", cs_jb_str(&c->jb, os->family ? os->family : ""));
	if (version_ok(os->version))
		cs_jb_add_str(&c->jb, o, "version", os->version);
	cs_jb_add_str(&c->jb, o, "description", os->name);
	os_props(c, props, os);
	prop(c, props, "customs:found_in", os->found_in);
	layer_props(c, props, os->layer);
	add_props(c, o, props);
	return o;
}

/* --- licenses ------------------------------------------------------------- */

/*
 * CycloneDX takes either a list of licenses (each an SPDX id or a name)
 * or exactly one SPDX expression. One string: its own kind. Several: a list
 * when none is an expression; one expression joining them with AND when
 * every one is an id or expression (the metadata lists licenses that all
 * apply); otherwise a list in which the expressions become names, since a
 * name cannot be part of an expression.
 */
static cJSON *licenses_json(cdx *c, const cs_package *p)
{
	cs_lic *l;
	size_t i, nexpr = 0, nname = 0, n = 0;
	cJSON *out;

	if (p->nlicenses == 0)
		return NULL;
	if (!(l = cs_arena_calloc(&c->a, p->nlicenses, sizeof(*l)))) {
		c->jb.oom = true;
		return NULL;
	}
	for (i = 0; i < p->nlicenses; i++) {
		size_t j;

		if (cs_lic_classify(&l[n], &c->a, p->licenses[i]) < 0) {
			c->jb.oom = true;
			return NULL;
		}
		if (!*l[n].text)
			continue;
		for (j = 0; j < n && strcmp(l[j].text, l[n].text); j++)
			;
		if (j < n)
			continue; /* the same license twice */
		nexpr += l[n].kind == CS_LIC_EXPR;
		nname += l[n].kind == CS_LIC_NAME;
		n++;
	}
	if (n == 0)
		return NULL;
	out = cs_jb_arr(&c->jb);
	if (nexpr > 0 && nname == 0) {
		cs_buf b = CS_BUF_INIT;
		int rc = 0;

		for (i = 0; i < n && rc == 0; i++) {
			bool paren = n > 1 && l[i].compound;

			rc = cs_buf_printf(&b, "%s%s%s%s", i ? " AND " : "", paren ? "(" : "", l[i].text,
					   paren ? ")" : "");
		}
		if (rc < 0)
			c->jb.oom = true;
		else
			cs_jb_add(&c->jb, cs_jb_push(&c->jb, out, cs_jb_obj(&c->jb)), "expression", cs_jb_str(&c->jb, b.data));
		cs_buf_release(&b);
		return out;
	}
	for (i = 0; i < n; i++) {
		cJSON *lic = cs_jb_add(&c->jb, cs_jb_push(&c->jb, out, cs_jb_obj(&c->jb)), "license", cs_jb_obj(&c->jb));

		cs_jb_add_str(&c->jb, lic, l[i].kind == CS_LIC_ID ? "id" : "name", l[i].text);
	}
	return out;
}

/* --- packages ------------------------------------------------------------- */

static cJSON *package_component(cdx *c, size_t i)
{
	const cs_package *p = cs_scan_package(c->s, i);
	const char *supplier = p->vendor && *p->vendor ? p->vendor : p->maintainer;
	cJSON *o = cs_jb_obj(&c->jb), *props = cs_jb_arr(&c->jb), *lic;
	char num[32];

	cs_jb_add_str(&c->jb, o, "bom-ref", c->pkg_ref[i]);
	cs_jb_add_str(&c->jb, o, "type", "library");
	if (supplier && *supplier)
		cs_jb_add_str(&c->jb, cs_jb_add(&c->jb, o, "supplier", cs_jb_obj(&c->jb)), "name", supplier);
	cs_jb_add(&c->jb, o, "name", cs_jb_str(&c->jb, p->name ? p->name : ""));
	if (version_ok(p->version))
		cs_jb_add_str(&c->jb, o, "version", p->version);
	if ((lic = licenses_json(c, p)))
		cs_jb_add(&c->jb, o, "licenses", lic);
	cs_jb_add_str(&c->jb, o, "purl", p->purl);
	prop(c, props, "customs:package:type", p->type);
	if (p->version && !version_ok(p->version))
		prop(c, props, "customs:package:version", p->version); /* too long for "version" */
	prop(c, props, "customs:package:arch", p->arch);
	prop(c, props, "customs:found_in", p->found_in);
	layer_props(c, props, p->layer);
	prop(c, props, "customs:source:name", p->source_name);
	prop(c, props, "customs:source:version", p->source_version);
	prop(c, props, "customs:package:maintainer", p->maintainer);
	prop(c, props, "customs:package:vendor", p->vendor);
	if (p->installed_size > 0) {
		snprintf(num, sizeof(num), "%llu", (unsigned long long)p->installed_size);
		prop(c, props, "customs:package:installed_size", num);
	}
	if (p->third_party)
		prop(c, props, "customs:third_party", "true");
	if (c->owner[i] >= 0)
		prop(c, props, "customs:owner", c->pkg_ref[c->owner[i]]);
	add_props(c, o, props);
	return o;
}

/* --- dependencies --------------------------------------------------------- */

/*
 * The image depends on (contains) its OS and every package; the OS on its
 * OS packages; an OS package on the language packages it installed (their
 * owner). Every component has an entry, empty when it has no dependency,
 * as the spec asks.
 */
static cJSON *dependencies_json(cdx *c)
{
	size_t n = cs_scan_package_count(c->s), i;
	long *first, *next, j;
	cJSON *deps = cs_jb_arr(&c->jb), *d, *on;

	/* each owner's packages as a list (first child, next sibling), in package order */
	first = malloc((n + 1) * sizeof(*first));
	next = malloc((n + 1) * sizeof(*next));
	if (!first || !next) {
		free(first);
		free(next);
		c->jb.oom = true;
		return deps;
	}
	for (i = 0; i < n; i++)
		first[i] = next[i] = -1;
	for (i = n; i-- > 0;) {
		if (c->owner[i] >= 0) {
			next[i] = first[c->owner[i]];
			first[c->owner[i]] = (long)i;
		}
	}
	d = cs_jb_push(&c->jb, deps, cs_jb_obj(&c->jb));
	cs_jb_add_str(&c->jb, d, "ref", c->image_ref);
	on = cs_jb_add(&c->jb, d, "dependsOn", cs_jb_arr(&c->jb));
	if (c->os_ref)
		cs_jb_push(&c->jb, on, cs_jb_str(&c->jb, c->os_ref));
	for (i = 0; i < n; i++)
		cs_jb_push(&c->jb, on, cs_jb_str(&c->jb, c->pkg_ref[i]));
	if (c->os_ref) {
		d = cs_jb_push(&c->jb, deps, cs_jb_obj(&c->jb));
		cs_jb_add_str(&c->jb, d, "ref", c->os_ref);
		on = cs_jb_add(&c->jb, d, "dependsOn", cs_jb_arr(&c->jb));
		for (i = 0; i < n; i++)
			if (cs_rutil_os_package(cs_scan_package(c->s, i)) && c->owner[i] < 0)
				cs_jb_push(&c->jb, on, cs_jb_str(&c->jb, c->pkg_ref[i]));
	}
	for (i = 0; i < n; i++) {
		d = cs_jb_push(&c->jb, deps, cs_jb_obj(&c->jb));
		cs_jb_add_str(&c->jb, d, "ref", c->pkg_ref[i]);
		on = cs_jb_add(&c->jb, d, "dependsOn", cs_jb_arr(&c->jb));
		for (j = first[i]; j >= 0; j = next[j])
			cs_jb_push(&c->jb, on, cs_jb_str(&c->jb, c->pkg_ref[j]));
	}
	free(first);
	free(next);
	return deps;
}

/* --- vulnerabilities ------------------------------------------------------ */

/* CycloneDX's severity enum: negligible is "info", anything unknown "unknown". */
static const char *cdx_severity(const char *sev)
{
	static const char *const same[] = {"critical", "high", "medium", "low"};
	size_t i;

	for (i = 0; sev && i < CS_ARRAY_LEN(same); i++)
		if (!strcmp(sev, same[i]))
			return same[i];
	return sev && !strcmp(sev, "negligible") ? "info" : "unknown";
}

static const char *cvss_method(const char *version)
{
	if (!version)
		return "other";
	if (!strcmp(version, "2.0") || !strcmp(version, "2"))
		return "CVSSv2";
	if (!strcmp(version, "3.0"))
		return "CVSSv3";
	if (!strcmp(version, "3.1"))
		return "CVSSv31";
	if (!strcmp(version, "4.0"))
		return "CVSSv4";
	return "other";
}

/* The qualitative rating of a base score (CVSS v2 has no none or critical). */
static const char *score_severity(const char *method, double score)
{
	if (!strcmp(method, "CVSSv2"))
		return score >= 7.0 ? "high" : score >= 4.0 ? "medium" : "low";
	if (!strcmp(method, "other"))
		return NULL;
	return score >= 9.0 ? "critical" : score >= 7.0 ? "high" : score >= 4.0 ? "medium" : score > 0 ? "low" : "none";
}

/*
 * Where an alias is published, by its prefix; NULL name for ids of
 * unknown origin (then the finding's own source names it).
 */
static void alias_source(const char *id, const char **name, const char **url_prefix)
{
	static const struct {
		const char *prefix, *name, *url;
	} known[] = {
		{"CVE-", "NVD", "https://nvd.nist.gov/vuln/detail/"},
		{"GHSA-", "GitHub Advisory Database", "https://github.com/advisories/"},
		{"GO-", "Go Vulnerability Database", "https://pkg.go.dev/vuln/"},
		{"PYSEC-", "PyPI Advisory Database", "https://osv.dev/vulnerability/"},
		{"RUSTSEC-", "RustSec Advisory Database", "https://rustsec.org/advisories/"},
		{"DSA-", "Debian Security Tracker", "https://security-tracker.debian.org/tracker/"},
		{"DLA-", "Debian Security Tracker", "https://security-tracker.debian.org/tracker/"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(known); i++) {
		if (!strncmp(id, known[i].prefix, strlen(known[i].prefix))) {
			*name = known[i].name;
			*url_prefix = known[i].url;
			return;
		}
	}
	*name = NULL;
	*url_prefix = NULL;
}

/* An http(s) URL without blanks or controls: what an advisory url may hold. */
static bool plain_url(const char *u)
{
	const unsigned char *p;

	if (!u || (strncmp(u, "https://", 8) && strncmp(u, "http://", 7)))
		return false;
	for (p = (const unsigned char *)u; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return false;
	return true;
}

static void vuln_ratings(cdx *c, cJSON *o, const cs_vuln *v)
{
	cJSON *ratings = cs_jb_add(&c->jb, o, "ratings", cs_jb_arr(&c->jb)), *r;
	size_t i;

	for (i = 0; i < v->ncvss; i++) {
		const cs_cvss *cv = &v->cvss[i];
		const char *method = cvss_method(cv->version), *sev;
		bool score_ok = isfinite(cv->score) && cv->score >= 0 && cv->score <= 10;

		r = cs_jb_push(&c->jb, ratings, cs_jb_obj(&c->jb));
		if (cv->source && *cv->source)
			cs_jb_add_str(&c->jb, cs_jb_add(&c->jb, r, "source", cs_jb_obj(&c->jb)), "name", cv->source);
		if (score_ok)
			cs_jb_add(&c->jb, r, "score", cJSON_CreateNumber(cv->score));
		if (score_ok && (sev = score_severity(method, cv->score)))
			cs_jb_add_str(&c->jb, r, "severity", sev);
		cs_jb_add_str(&c->jb, r, "method", method);
		cs_jb_add_str(&c->jb, r, "vector", cv->vector);
	}
	/* the finding's own severity, as the feed (or the score it came from) gave it */
	r = cs_jb_push(&c->jb, ratings, cs_jb_obj(&c->jb));
	if ((v->severity_source && *v->severity_source) || (v->data_source && *v->data_source))
		cs_jb_add_str(&c->jb, cs_jb_add(&c->jb, r, "source", cs_jb_obj(&c->jb)), "name",
			v->severity_source && *v->severity_source ? v->severity_source : v->data_source);
	cs_jb_add_str(&c->jb, r, "severity", cdx_severity(v->severity));
}

static void vuln_references(cdx *c, cJSON *o, const cs_vuln *v)
{
	cJSON *refs, *adv;
	size_t i;

	if (v->naliases > 0) {
		refs = cs_jb_add(&c->jb, o, "references", cs_jb_arr(&c->jb));
		for (i = 0; i < v->naliases; i++) {
			const char *name, *url;
			cJSON *r = cs_jb_push(&c->jb, refs, cs_jb_obj(&c->jb)), *src;

			alias_source(v->aliases[i], &name, &url);
			cs_jb_add(&c->jb, r, "id", cs_jb_str(&c->jb, v->aliases[i]));
			src = cs_jb_add(&c->jb, r, "source", cs_jb_obj(&c->jb));
			cs_jb_add_str(&c->jb, src, "name", name ? name : v->data_source);
			if (url) {
				char *u = cs_arena_printf(&c->a, "%s%s", url, v->aliases[i]);

				if (u && plain_url(u))
					cs_jb_add_str(&c->jb, src, "url", u);
			}
		}
	}
	for (i = 0, adv = NULL; i < v->nreferences; i++) {
		if (!plain_url(v->references[i]))
			continue;
		if (!adv)
			adv = cs_jb_add(&c->jb, o, "advisories", cs_jb_arr(&c->jb));
		cs_jb_add_str(&c->jb, cs_jb_push(&c->jb, adv, cs_jb_obj(&c->jb)), "url", v->references[i]);
	}
}

/*
 * CycloneDX's justification for a VEX justification word: its own words
 * pass through; OpenVEX's map where CycloneDX has the same meaning
 * (component_not_present and vulnerable_code_not_present: code_not_present,
 * vulnerable_code_not_in_execute_path: code_not_reachable,
 * inline_mitigations_already_exist: protected_by_mitigating_control). NULL
 * for the rest (vulnerable_code_cannot_be_controlled_by_adversary has no
 * counterpart, an impact statement is free text): the text goes to detail.
 */
static const char *cdx_justification(const char *word)
{
	static const char *const map[][2] = {
		{"code_not_present", "code_not_present"},
		{"code_not_reachable", "code_not_reachable"},
		{"requires_configuration", "requires_configuration"},
		{"requires_dependency", "requires_dependency"},
		{"requires_environment", "requires_environment"},
		{"protected_by_compiler", "protected_by_compiler"},
		{"protected_at_runtime", "protected_at_runtime"},
		{"protected_at_perimeter", "protected_at_perimeter"},
		{"protected_by_mitigating_control", "protected_by_mitigating_control"},
		{"component_not_present", "code_not_present"},
		{"vulnerable_code_not_present", "code_not_present"},
		{"vulnerable_code_not_in_execute_path", "code_not_reachable"},
		{"inline_mitigations_already_exist", "protected_by_mitigating_control"},
	};
	size_t i;

	for (i = 0; word && i < CS_ARRAY_LEN(map); i++)
		if (!strcmp(word, map[i][0]))
			return map[i][1];
	return NULL;
}

/* CycloneDX's analysis state for a VEX status word, or NULL (a status that does not suppress). */
static const char *cdx_state(const char *word)
{
	static const char *const map[][2] = {
		{"not_affected", "not_affected"},	  {"fixed", "resolved"},
		{"resolved", "resolved"},		  {"resolved_with_pedigree", "resolved_with_pedigree"},
		{"false_positive", "false_positive"},
	};
	size_t i;

	for (i = 0; word && i < CS_ARRAY_LEN(map); i++)
		if (!strcmp(word, map[i][0]))
			return map[i][1];
	return NULL;
}

/*
 * The analysis (docs/reports.md, "Vulnerabilities"): without a
 * suppression, in_triage (customs matched versions; nobody assessed
 * exploitability) with the response a fix allows. A VEX statement's status
 * becomes the state (not_affected, resolved, false_positive), its
 * justification CycloneDX's where one means the same, the rest the detail;
 * Dependency-Track suppresses exactly these three states on import. An
 * ignore-file entry accepts a risk, it does not refute it: exploitable with
 * the response will_not_fix and the reason in detail, so the finding stays
 * visible as accepted; only a reason that starts with "not_affected:" or
 * "false_positive:" (the VEX words) says more, and becomes that state. A
 * baseline says only that the finding is not new: in_triage, noted in
 * detail.
 */
static cJSON *analysis_json(cdx *c, const cs_vuln *v)
{
	const cs_suppression *u = &v->suppressed;
	cJSON *an = cs_jb_obj(&c->jb), *resp = cs_jb_arr(&c->jb);
	const char *state = NULL, *just = NULL, *status = NULL, *rest = NULL, *detail;
	const char *ignore_words[] = {"not_affected", "false_positive"};
	char word[64];
	size_t i;

	if (u->kind && !strcmp(u->kind, "vex")) {
		cs_rutil_vex_reason(u, word, sizeof(word), &status, &rest);
		state = cdx_state(status);
	} else if (u->kind && !strcmp(u->kind, "ignore")) {
		cs_suppression as_vex = {"vex", u->reason, u->source};

		cs_rutil_vex_reason(&as_vex, word, sizeof(word), &status, &rest);
		for (i = 0; status && i < CS_ARRAY_LEN(ignore_words); i++)
			if (!strcmp(status, ignore_words[i]) && u->reason[strlen(status)] == ':')
				state = status;
		if (!state)
			state = "exploitable";
	}
	if (state && (!strcmp(state, "not_affected") || !strcmp(state, "false_positive")))
		just = cdx_justification(rest);
	if (!state) {
		/* no suppression, a baseline, or a VEX status that suppresses nothing */
		cs_jb_add_str(&c->jb, an, "state", "in_triage");
		if ((v->fixed_version && *v->fixed_version) || (v->status && !strcmp(v->status, "end_of_life")))
			cs_jb_push(&c->jb, resp, cJSON_CreateString("update"));
		else if (v->status && !strcmp(v->status, "will_not_fix"))
			cs_jb_push(&c->jb, resp, cJSON_CreateString("will_not_fix"));
		detail = cs_arena_printf(&c->a,
					 "Found by customs: installed version %s is affected according to %s (status %s)"
					 "%s%s",
					 v->installed_version ? v->installed_version : "?",
					 v->data_source ? v->data_source : "the database",
					 v->status ? v->status : "affected", u->kind ? "; suppressed: " : "",
					 u->kind ? (u->reason ? u->reason : u->kind) : "");
	} else {
		cs_jb_add_str(&c->jb, an, "state", state);
		cs_jb_add_str(&c->jb, an, "justification", just);
		if (!strcmp(state, "exploitable"))
			cs_jb_push(&c->jb, resp, cJSON_CreateString("will_not_fix"));
		detail = cs_arena_printf(&c->a, "%s %s: %s",
					 !strcmp(u->kind, "vex")	      ? "VEX statement in"
					 : !strcmp(state, "exploitable") ? "Risk accepted in the ignore file"
									 : "Ignore file",
					 u->source && *u->source ? u->source : "?", u->reason ? u->reason : state);
	}
	if (cJSON_GetArraySize(resp) > 0)
		cs_jb_add(&c->jb, an, "response", resp);
	else
		cJSON_Delete(resp);
	cs_jb_add(&c->jb, an, "detail", cs_jb_str(&c->jb, cs_jb_chk(&c->jb, detail)));
	return an;
}

static cJSON *vulnerability_json(cdx *c, const cs_vuln *v, const char *ref)
{
	const cs_package *p = v->package;
	cJSON *o = cs_jb_obj(&c->jb), *src, *aff, *vers, *e, *props = cs_jb_arr(&c->jb);
	const char *first_url = NULL;
	size_t i;

	cs_jb_add(&c->jb, o, "id", cs_jb_str(&c->jb, v->id ? v->id : ""));
	for (i = 0; i < v->nreferences && !first_url; i++)
		if (plain_url(v->references[i]))
			first_url = v->references[i];
	if ((v->data_source && *v->data_source) || first_url) {
		src = cs_jb_add(&c->jb, o, "source", cs_jb_obj(&c->jb));
		cs_jb_add_str(&c->jb, src, "name", v->data_source);
		cs_jb_add_str(&c->jb, src, "url", first_url);
	}
	vuln_ratings(c, o, v);
	vuln_references(c, o, v);
	cs_jb_add_str(&c->jb, o, "description", v->title);
	if (v->fixed_version && *v->fixed_version)
		cs_jb_add(&c->jb, o, "recommendation",
		    cs_jb_str(&c->jb, cs_jb_chk(&c->jb, cs_arena_printf(&c->a, "Upgrade %s to %s", p->name ? p->name : "the package",
						   v->fixed_version))));
	else if (v->status && !strcmp(v->status, "end_of_life"))
		cs_jb_add_str(&c->jb, o, "recommendation",
			"Upgrade to a supported release of the operating system: this one gets no more fixes");
	cs_jb_add(&c->jb, o, "analysis", analysis_json(c, v));
	aff = cs_jb_add(&c->jb, o, "affects", cs_jb_arr(&c->jb));
	e = cs_jb_push(&c->jb, aff, cs_jb_obj(&c->jb));
	cs_jb_add_str(&c->jb, e, "ref", ref);
	vers = cs_jb_arr(&c->jb);
	if (version_ok(v->installed_version)) {
		cJSON *ver = cs_jb_push(&c->jb, vers, cs_jb_obj(&c->jb));

		cs_jb_add_str(&c->jb, ver, "version", v->installed_version);
		cs_jb_add_str(&c->jb, ver, "status", "affected");
	}
	if (version_ok(v->fixed_version)) {
		cJSON *ver = cs_jb_push(&c->jb, vers, cs_jb_obj(&c->jb));

		cs_jb_add_str(&c->jb, ver, "version", v->fixed_version);
		cs_jb_add_str(&c->jb, ver, "status", "unaffected");
	}
	if (cJSON_GetArraySize(vers) > 0)
		cs_jb_add(&c->jb, e, "versions", vers);
	else
		cJSON_Delete(vers);
	prop(c, props, "customs:status", v->status);
	prop(c, props, "customs:fixed_version", v->fixed_version);
	prop(c, props, "customs:installed_version", v->installed_version);
	prop(c, props, "customs:severity", v->severity);
	prop(c, props, "customs:severity_source", v->severity_source);
	prop(c, props, "customs:data_source", v->data_source);
	if (v->kev >= 0)
		prop(c, props, "customs:kev", v->kev > 0 ? "true" : "false");
	if (v->epss_score >= 0) {
		prop_prob(c, props, "customs:epss:score", v->epss_score);
		prop_prob(c, props, "customs:epss:percentile", v->epss_percentile);
	}
	if (v->suppressed.kind) {
		prop(c, props, "customs:suppressed:kind", v->suppressed.kind);
		prop(c, props, "customs:suppressed:reason", v->suppressed.reason);
		prop(c, props, "customs:suppressed:source", v->suppressed.source);
	}
	add_props(c, o, props);
	return o;
}


/* One vulnerability per finding, so the count matches customs' JSON. */
static cJSON *vulnerabilities_json(cdx *c)
{
	size_t n = cs_scan_vuln_count(c->s), i;
	const cs_package **pkgs = calloc(n + 1, sizeof(*pkgs));
	long *idx = calloc(n + 1, sizeof(*idx));
	cJSON *out = cs_jb_arr(&c->jb);

	if (!pkgs || !idx) {
		c->jb.oom = true;
		goto done;
	}
	for (i = 0; i < n; i++)
		pkgs[i] = cs_scan_vuln(c->s, i)->package;
	if (cs_rutil_package_indexes(c->s, pkgs, n, idx) < 0) {
		c->jb.oom = true;
		goto done;
	}
	for (i = 0; i < n; i++) {
		/* a finding always names one of the scan's packages; skip one that does not */
		if (idx[i] >= 0)
			cs_jb_push(&c->jb, out, vulnerability_json(c, cs_scan_vuln(c->s, i), c->pkg_ref[idx[i]]));
	}
done:
	free(pkgs);
	free(idx);
	return out;
}

/* --- the document --------------------------------------------------------- */

/*
 * What the scan concluded about the whole image, as metadata properties:
 * its base image (customs:base:*, as customs' JSON report's "base") and
 * the policy verdict (customs:policy:*, one customs:policy:hit per rule
 * that fired: "ACTION RULE (GATE/TRIGGER): MESSAGE").
 */
static void verdict_props(cdx *c, cJSON *props)
{
	const cs_base *b = cs_scan_base(c->s);
	const cs_policy_result *r = cs_scan_policy(c->s);
	char num[64];
	size_t i;

	if (b) {
		cs_base_split split;

		cs_base_split_vulns(c->s, b, &split);
		prop(c, props, "customs:base:name", b->name);
		prop(c, props, "customs:base:method", b->method);
		prop(c, props, "customs:base:os", b->os);
		if (b->eol >= 0)
			prop(c, props, "customs:base:eol", b->eol > 0 ? "true" : "false");
		prop(c, props, "customs:base:eol_date", b->eol_date);
		if (b->last_layer >= 0) {
			snprintf(num, sizeof(num), "%d-%d", b->first_layer, b->last_layer);
			prop(c, props, "customs:base:layers", num);
		}
		prop(c, props, "customs:base:approved", b->approved ? "true" : "false");
		if (cs_scan_matched(c->s)) {
			snprintf(num, sizeof(num), "%zu", split.base);
			prop(c, props, "customs:base:findings:base", num);
			snprintf(num, sizeof(num), "%zu", split.application);
			prop(c, props, "customs:base:findings:application", num);
			snprintf(num, sizeof(num), "%zu", split.fixed_by_rebuild);
			prop(c, props, "customs:base:findings:fixed_by_rebuild", num);
		}
	}
	if (r) {
		prop(c, props, "customs:policy:name", r->name);
		prop(c, props, "customs:policy:verdict", r->verdict);
		for (i = 0; i < r->nhits; i++) {
			const cs_policy_hit *h = &r->hits[i];

			prop(c, props, "customs:policy:hit",
			     cs_jb_chk(&c->jb, cs_arena_printf(&c->a, "%s %s (%s/%s): %s", h->action ? h->action : "?",
							       h->rule ? h->rule : "?", h->gate ? h->gate : "?",
							       h->trigger ? h->trigger : "?",
							       h->message ? h->message : "")));
		}
	}
}

static cJSON *metadata_json(cdx *c)
{
	cJSON *m = cs_jb_obj(&c->jb), *tools, *tool, *props;

	cs_jb_add_str(&c->jb, m, "timestamp", c->now);
	tools = cs_jb_add(&c->jb, cs_jb_add(&c->jb, m, "tools", cs_jb_obj(&c->jb)), "components", cs_jb_arr(&c->jb));
	tool = cs_jb_push(&c->jb, tools, cs_jb_obj(&c->jb));
	cs_jb_add_str(&c->jb, tool, "type", "application");
	cs_jb_add_str(&c->jb, tool, "name", "customs");
	cs_jb_add_str(&c->jb, tool, "version", cs_version());
	cs_jb_add(&c->jb, m, "component", image_component(c));
	props = cs_jb_arr(&c->jb);
	verdict_props(c, props);
	add_props(c, m, props);
	return m;
}

int cs_report_cyclonedx(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	cdx c = {0};
	cJSON *root = NULL, *comps;
	const cs_os *os = cs_scan_os(s);
	char uuid[37], serial[48];
	size_t i;
	int rc;

	c.s = s;
	cs_arena_init(&c.a);
	cs_map_init(&c.refs);
	cs_rutil_time(o->now, c.now, sizeof(c.now));
	if ((rc = cs_rutil_scan_uuid(s, "cyclonedx", o->now, uuid, err)) < 0)
		goto done;
	if (cs_rutil_owner_indexes(s, &c.owner) < 0) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
	root = cs_jb_obj(&c.jb);
	cs_jb_add_str(&c.jb, root, "$schema", "http://cyclonedx.org/schema/bom-1.6.schema.json");
	cs_jb_add_str(&c.jb, root, "bomFormat", "CycloneDX");
	cs_jb_add_str(&c.jb, root, "specVersion", "1.6");
	cs_jb_add_str(&c.jb, root, "serialNumber", serial);
	cs_jb_add(&c.jb, root, "version", cJSON_CreateNumber(1));
	/* the refs of the image and OS first: a package can never take theirs */
	cs_jb_add(&c.jb, root, "metadata", metadata_json(&c));
	comps = cs_jb_add(&c.jb, root, "components", cs_jb_arr(&c.jb));
	if (os)
		cs_jb_push(&c.jb, comps, os_component(&c, os));
	package_refs(&c);
	for (i = 0; !c.jb.oom && i < cs_scan_package_count(s); i++)
		cs_jb_push(&c.jb, comps, package_component(&c, i));
	if (!c.jb.oom)
		cs_jb_add(&c.jb, root, "dependencies", dependencies_json(&c));
	if (!c.jb.oom && cs_scan_matched(s))
		cs_jb_add(&c.jb, root, "vulnerabilities", vulnerabilities_json(&c));
	if (c.jb.oom) {
		rc = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	rc = cs_rutil_write_json(out, root, true, err);
	root = NULL; /* written and deleted */
done:
	cJSON_Delete(root);
	free(c.owner);
	cs_map_release(&c.refs);
	cs_arena_release(&c.a);
	return rc;
}
