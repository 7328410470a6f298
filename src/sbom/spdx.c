/*
 * spdx.c - SPDX JSON (2.2, 2.3) SBOM input (see sbom.h).
 *
 * The subject is the package the document describes (documentDescribes,
 * or a DESCRIBES relationship from SPDXRef-DOCUMENT), else the document's
 * name. The packages are the others that carry a purl as an external
 * reference (referenceType "purl" in category PACKAGE-MANAGER, or 2.2's
 * PACKAGE_MANAGER). The OS is the package whose primaryPackagePurpose is
 * OPERATING-SYSTEM (2.3), or whose SPDXID Trivy names
 * "SPDXRef-OperatingSystem-..." (its 2.2 documents have no purpose).
 * Trivy writes an OS package's source in sourceInfo ("built package from:
 * NAME VERSION") and its other properties as "Key: value" attribution
 * texts or annotation comments.
 */
#include "core/compat.h"
#include "sbom/sbom.h"

#include <strings.h>

/* Described packages remembered: a document describes one thing, rarely a few. */
#define MAX_DESCRIBED 16
#define MAX_TAGS 64

typedef struct described {
	const char *ids[MAX_DESCRIBED];
	size_t n;
} described;

static void describe(described *d, const char *id)
{
	if (id && *id && d->n < MAX_DESCRIBED)
		d->ids[d->n++] = id;
}

static bool is_described(const described *d, const char *id)
{
	size_t i;

	for (i = 0; id && i < d->n; i++)
		if (!strcmp(d->ids[i], id))
			return true;
	return false;
}

static void find_described(const cJSON *doc, described *d)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cs_json_arr(doc, "documentDescribes"))
		if (cJSON_IsString(e))
			describe(d, e->valuestring);
	cJSON_ArrayForEach(e, cs_json_arr(doc, "relationships")) {
		const char *a = cs_json_str(e, "spdxElementId"), *t = cs_json_str(e, "relationshipType");
		const char *b = cs_json_str(e, "relatedSpdxElement");

		if (!a || !t || !b)
			continue;
		if (!strcmp(t, "DESCRIBES") && !strcmp(a, "SPDXRef-DOCUMENT"))
			describe(d, b);
		else if (!strcmp(t, "DESCRIBED_BY") && !strcmp(b, "SPDXRef-DOCUMENT"))
			describe(d, a);
	}
}

/* The first package-manager purl among the external references, or NULL. */
static const char *purl_of(const cJSON *p)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cs_json_arr(p, "externalRefs")) {
		const char *type = cs_json_str(e, "referenceType"), *cat = cs_json_str(e, "referenceCategory");
		const char *loc = cs_json_str(e, "referenceLocator");

		if (type && cat && loc && !strcasecmp(type, "purl") &&
		    (!strcasecmp(cat, "PACKAGE-MANAGER") || !strcasecmp(cat, "PACKAGE_MANAGER")))
			return loc;
	}
	return NULL;
}

/* The value of a Trivy "Key: value" property text, or NULL. */
static const char *prop_value(const char *text, const char *key)
{
	size_t n = strlen(key);

	return text && !strncmp(text, key, n) && !strncmp(text + n, ": ", 2) ? text + n + 2 : NULL;
}

/*
 * Calls fn for each value of Trivy's property key: attribution texts
 * (older releases) and annotation comments. Stops when fn returns non-zero
 * and returns that.
 */
static int trivy_props(const cJSON *p, const char *key, int (*fn)(const char *v, void *payload), void *payload)
{
	const cJSON *e;
	const char *v;
	int rc;

	cJSON_ArrayForEach(e, cs_json_arr(p, "attributionTexts"))
		if (cJSON_IsString(e) && (v = prop_value(e->valuestring, key)) && (rc = fn(v, payload)) != 0)
			return rc;
	cJSON_ArrayForEach(e, cs_json_arr(p, "annotations"))
		if ((v = prop_value(cs_json_str(e, "comment"), key)) && (rc = fn(v, payload)) != 0)
			return rc;
	return 0;
}

/* The first value of Trivy's property key, or NULL. */
static const char *trivy_prop(const cJSON *p, const char *key)
{
	const cJSON *e;
	const char *v;

	cJSON_ArrayForEach(e, cs_json_arr(p, "attributionTexts"))
		if (cJSON_IsString(e) && (v = prop_value(e->valuestring, key)))
			return v;
	cJSON_ArrayForEach(e, cs_json_arr(p, "annotations"))
		if ((v = prop_value(cs_json_str(e, "comment"), key)))
			return v;
	return NULL;
}

typedef struct tag_list {
	cs_sbom *r;
	const char **tags;
	size_t n;
} tag_list;

static int add_tag(const char *v, void *payload)
{
	tag_list *t = payload;

	if (!*v)
		return 0;
	if (t->n == MAX_TAGS)
		return 1;
	if (!t->tags && !(t->tags = cs_arena_calloc(t->r->a, MAX_TAGS, sizeof(*t->tags))))
		return CS_ENOMEM;
	if (!(t->tags[t->n] = cs_arena_strdup(t->r->a, v)))
		return CS_ENOMEM;
	t->n++;
	return 0;
}

static const char *license_of(const cJSON *p)
{
	static const char *const keys[] = {"licenseDeclared", "licenseConcluded"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(keys); i++) {
		const char *v = cs_json_str(p, keys[i]);

		if (v && *v && strcmp(v, "NOASSERTION") != 0 && strcmp(v, "NONE") != 0)
			return v;
	}
	return NULL;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

/* The subject: the described package, else the document's name. */
static int subject(cs_sbom *r, const cJSON *doc, const cJSON *pkgs, const described *d)
{
	const cJSON *p;
	const char *v;

	cJSON_ArrayForEach(p, pkgs) {
		const char *id = cs_json_str(p, "SPDXID"), *purpose = cs_json_str(p, "primaryPackagePurpose");
		tag_list t = {r, NULL, 0};
		int rc;

		if (!is_described(d, id))
			continue;
		if ((rc = cs_sbom_set_subject(r, cs_json_str(p, "name"), cs_json_str(p, "versionInfo"),
					      (purpose && !strcmp(purpose, "CONTAINER")) ||
						      has_prefix(id, "SPDXRef-ContainerImage"))) < 0)
			return rc;
		if ((v = trivy_prop(p, "ImageID")) && cs_sbom_is_digest(v))
			r->art.image_id = cs_arena_strdup(r->a, v);
		if ((v = trivy_prop(p, "RepoDigest")) && (v = strchr(v, '@')) && cs_sbom_is_digest(v + 1))
			r->art.manifest_digest = cs_arena_strdup(r->a, v + 1);
		if (trivy_props(p, "RepoTag", add_tag, &t) == CS_ENOMEM)
			return cs_err_set(r->err, CS_ENOMEM, "'%s': out of memory", r->name);
		r->art.repo_tags = t.tags;
		r->art.nrepo_tags = t.n;
		return 0;
	}
	return cs_sbom_set_subject(r, cs_json_str(doc, "name"), NULL, false);
}

static int add_package(cs_sbom *r, const cJSON *p, const char *purl)
{
	static const char built[] = "built package from: ";
	const char *src = cs_json_str(p, "sourceInfo"), *lic = license_of(p);
	cs_sbom_pkg pkg;

	memset(&pkg, 0, sizeof(pkg));
	pkg.purl = purl;
	pkg.kind = "package";
	pkg.name = cs_json_str(p, "name");
	pkg.version = cs_json_str(p, "versionInfo");
	pkg.found_in = trivy_prop(p, "FilePath");
	if (src && !strncmp(src, built, sizeof(built) - 1)) {
		const char *nm = src + sizeof(built) - 1, *sp = strchr(nm, ' ');

		if (sp && sp > nm) {
			if (!(pkg.src_name = cs_arena_strndup(r->a, nm, (size_t)(sp - nm))))
				return cs_err_set(r->err, CS_ENOMEM, "'%s': out of memory", r->name);
			pkg.src_version = sp + 1;
		} else if (*nm) {
			pkg.src_name = nm;
		}
	}
	if (lic) {
		const char **list = cs_arena_alloc(r->a, sizeof(*list));

		if (!list || !(list[0] = cs_arena_strdup(r->a, lic)))
			return cs_err_set(r->err, CS_ENOMEM, "'%s': out of memory", r->name);
		pkg.licenses = list;
		pkg.nlicenses = 1;
	}
	return cs_sbom_add(r, &pkg);
}

int cs_sbom_spdx(cs_sbom *r, const cJSON *doc)
{
	const cJSON *pkgs = cJSON_GetObjectItemCaseSensitive(doc, "packages");
	const cJSON *rels = cJSON_GetObjectItemCaseSensitive(doc, "relationships"), *p;
	described d;
	int rc;

	if (pkgs && !cJSON_IsArray(pkgs))
		return cs_err_set(r->err, CS_EFORMAT, "'%s': packages is not an array", r->name);
	if (rels && !cJSON_IsArray(rels))
		return cs_err_set(r->err, CS_EFORMAT, "'%s': relationships is not an array", r->name);
	memset(&d, 0, sizeof(d));
	find_described(doc, &d);
	if ((rc = subject(r, doc, pkgs, &d)) < 0)
		return rc;
	cJSON_ArrayForEach(p, pkgs) {
		const char *id, *purpose, *purl;

		if (!cJSON_IsObject(p)) {
			r->nbad_entry++;
			continue;
		}
		id = cs_json_str(p, "SPDXID");
		purpose = cs_json_str(p, "primaryPackagePurpose");
		if ((purpose && !strcmp(purpose, "OPERATING-SYSTEM")) || has_prefix(id, "SPDXRef-OperatingSystem")) {
			rc = cs_sbom_set_os(r, cs_json_str(p, "name"), cs_json_str(p, "versionInfo"), NULL);
		} else if (is_described(&d, id)) {
			rc = 0; /* the subject, not a package in it */
		} else if ((purl = purl_of(p)) != NULL) {
			rc = add_package(r, p, purl);
		} else {
			/* Trivy's container and per-file application packages carry no purl. */
			if ((!purpose || !strcmp(purpose, "LIBRARY") || !strcmp(purpose, "FRAMEWORK")) &&
			    !has_prefix(id, "SPDXRef-Application") && !has_prefix(id, "SPDXRef-ContainerImage"))
				r->nno_purl++;
			rc = 0;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}
