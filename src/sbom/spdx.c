/*
 * spdx.c - SPDX JSON (2.2, 2.3) SBOM input (see sbom.h).
 *
 * The subject is the package the document describes (documentDescribes,
 * or a DESCRIBES relationship from SPDXRef-DOCUMENT), else the document's
 * name. The packages are the others that carry a purl as an external
 * reference (referenceType "purl" in category PACKAGE-MANAGER, or 2.2's
 * PACKAGE_MANAGER). The OS is the package whose primaryPackagePurpose is
 * OPERATING-SYSTEM (2.3), or whose SPDXID Trivy names
 * "SPDXRef-OperatingSystem..." (its 2.2 documents have no purpose); the
 * schema spells the purpose OPERATING_SYSTEM, the specification's text
 * OPERATING-SYSTEM, and writers use both. Trivy and customs write an OS
 * package's source in sourceInfo ("built package from: NAME VERSION");
 * other properties are annotation comments, "customs:NAME=VALUE" (customs,
 * the names of its CycloneDX properties) or "Key: value" (Trivy, which
 * used attribution texts before).
 */
#include "core/compat.h"
#include "sbom/sbom.h"

#include "core/map.h"

#include <strings.h>

/* Described packages remembered: a document describes one thing, rarely a few. */
#define MAX_DESCRIBED 16

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

/*
 * Calls fn with the name and value of each property of an SPDX element:
 * "customs:NAME=VALUE" annotation comments as ("customs:NAME", VALUE),
 * Trivy's "Key: value" attribution texts and annotation comments as
 * ("aquasecurity:trivy:Key", value), the names its CycloneDX uses.
 */
static int each_prop(const cJSON *p, int (*fn)(const char *name, const char *value, void *payload), void *payload)
{
	const cJSON *e;
	int pass, rc;

	for (pass = 0; pass < 2; pass++) {
		cJSON_ArrayForEach(e, cs_json_arr(p, pass ? "annotations" : "attributionTexts")) {
			const char *t = pass ? cs_json_str(e, "comment") : cJSON_IsString(e) ? e->valuestring : NULL;
			const char *sep;
			char name[96];

			if (!t)
				continue;
			if (!strncmp(t, "customs:", 8) && (sep = strchr(t, '=')) && sep - t < (long)sizeof(name)) {
				memcpy(name, t, (size_t)(sep - t));
				name[sep - t] = '\0';
			} else if ((sep = strstr(t, ": ")) && sep > t && sep - t < 64 && !memchr(t, ' ', (size_t)(sep - t))) {
				snprintf(name, sizeof(name), "aquasecurity:trivy:%.*s", (int)(sep - t), t);
				sep++;
			} else {
				continue;
			}
			if ((rc = fn(name, sep + 1, payload)) != 0)
				return rc;
		}
	}
	return 0;
}

static int pkg_prop(const char *name, const char *value, void *payload)
{
	cs_sbom_pkg_prop(payload, name, value);
	return 0;
}

static int subject_prop(const char *name, const char *value, void *payload)
{
	return cs_sbom_subject_prop(payload, name, value);
}

typedef struct os_props {
	const char *pretty, *codename;
} os_props;

static int os_prop(const char *name, const char *value, void *payload)
{
	os_props *o = payload;

	if (!strcmp(name, "customs:os:name"))
		o->pretty = value;
	else if (!strcmp(name, "customs:os:codename"))
		o->codename = value;
	return 0;
}

/*
 * The declared (else concluded) license. One that is just a LicenseRef
 * the document defines in hasExtractedLicensingInfos reads as that
 * license's name: the text the package metadata gave (how customs writes
 * a license that is no SPDX id).
 */
static const char *license_of(const cJSON *p, const cs_map *refs)
{
	const char *name;
	static const char *const keys[] = {"licenseDeclared", "licenseConcluded"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(keys); i++) {
		const char *v = cs_json_str(p, keys[i]);

		if (v && *v && strcmp(v, "NOASSERTION") != 0 && strcmp(v, "NONE") != 0)
			return !strncmp(v, "LicenseRef-", 11) && (name = cs_map_get(refs, v)) ? name : v;
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

	cJSON_ArrayForEach(p, pkgs) {
		const char *id = cs_json_str(p, "SPDXID"), *purpose = cs_json_str(p, "primaryPackagePurpose");
		int rc;

		if (!is_described(d, id))
			continue;
		if ((rc = cs_sbom_set_subject(r, cs_json_str(p, "name"), cs_json_str(p, "versionInfo"),
					      (purpose && !strcmp(purpose, "CONTAINER")) ||
						      has_prefix(id, "SPDXRef-ContainerImage"))) < 0)
			return rc;
		return each_prop(p, subject_prop, r);
	}
	return cs_sbom_set_subject(r, cs_json_str(doc, "name"), NULL, false);
}

/*
 * An SPDX supplier as a maintainer string: "Organization: NAME (MAIL)" or
 * "Person: ..." back to "NAME <MAIL>" (how customs writes one), Trivy's
 * "Organization: NAME <MAIL>" as it is. NULL for NOASSERTION.
 */
static const char *supplier_of(cs_sbom *r, const char *s)
{
	static const char *const prefixes[] = {"Organization: ", "Person: ", "Tool: "};
	const char *open;
	size_t i, n;

	if (!s)
		return NULL;
	for (i = 0; i < CS_ARRAY_LEN(prefixes); i++)
		if (!strncmp(s, prefixes[i], strlen(prefixes[i])))
			break;
	if (i == CS_ARRAY_LEN(prefixes))
		return NULL;
	s += strlen(prefixes[i]);
	n = strlen(s);
	if (n > 2 && s[n - 1] == ')' && (open = strstr(s, " (")) != NULL && memchr(open, '@', (size_t)(s + n - open)))
		return cs_arena_printf(r->a, "%.*s <%.*s>", (int)(open - s), s, (int)(s + n - 1 - (open + 2)), open + 2);
	return *s ? s : NULL;
}

static int add_package(cs_sbom *r, const cJSON *p, const char *purl, const cs_map *lics)
{
	const char *lic = license_of(p, lics);
	cs_sbom_pkg pkg;

	memset(&pkg, 0, sizeof(pkg));
	pkg.ref = cs_json_str(p, "SPDXID");
	pkg.purl = purl;
	pkg.kind = "package";
	pkg.name = cs_json_str(p, "name");
	pkg.version = cs_json_str(p, "versionInfo");
	pkg.source_info = cs_json_str(p, "sourceInfo");
	pkg.supplier = supplier_of(r, cs_json_str(p, "supplier"));
	each_prop(p, pkg_prop, &pkg);
	if (lic) {
		const char **list = cs_arena_alloc(r->a, sizeof(*list));

		if (!list || !(list[0] = cs_arena_strdup(r->a, lic)))
			return cs_err_set(r->err, CS_ENOMEM, "'%s': out of memory", r->name);
		pkg.licenses = list;
		pkg.nlicenses = 1;
	}
	return cs_sbom_add(r, &pkg);
}

static bool is_os(const char *id, const char *purpose)
{
	return (purpose && (!strcmp(purpose, "OPERATING-SYSTEM") || !strcmp(purpose, "OPERATING_SYSTEM"))) ||
	       has_prefix(id, "SPDXRef-OperatingSystem");
}

/* licenseId -> name (else extractedText) of the document's hasExtractedLicensingInfos; keys borrowed. */
static int extracted_licenses(cs_sbom *r, const cJSON *doc, cs_map *out)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, cs_json_arr(doc, "hasExtractedLicensingInfos")) {
		const char *id = cs_json_str(e, "licenseId"), *name = cs_json_str(e, "name");

		if (!name || !*name)
			name = cs_json_str(e, "extractedText");
		if (id && name && *name && !cs_map_get(out, id) && cs_map_put(out, id, (void *)name) < 0)
			return cs_err_set(r->err, CS_ENOMEM, "'%s': out of memory", r->name);
	}
	return 0;
}

int cs_sbom_spdx(cs_sbom *r, const cJSON *doc)
{
	const cJSON *pkgs = cJSON_GetObjectItemCaseSensitive(doc, "packages");
	const cJSON *rels = cJSON_GetObjectItemCaseSensitive(doc, "relationships"), *p;
	cs_map lics;
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
	cs_map_init(&lics);
	if ((rc = extracted_licenses(r, doc, &lics)) < 0)
		goto done;
	cJSON_ArrayForEach(p, pkgs) {
		const char *id, *purpose, *purl;

		if (!cJSON_IsObject(p)) {
			r->nbad_entry++;
			continue;
		}
		id = cs_json_str(p, "SPDXID");
		purpose = cs_json_str(p, "primaryPackagePurpose");
		if (is_os(id, purpose)) {
			os_props o = {cs_json_str(p, "description"), NULL};

			each_prop(p, os_prop, &o);
			rc = cs_sbom_set_os(r, cs_json_str(p, "name"), cs_json_str(p, "versionInfo"), o.pretty, o.codename);
		} else if (is_described(&d, id)) {
			rc = 0; /* the subject, not a package in it */
		} else if ((purl = purl_of(p)) != NULL) {
			rc = add_package(r, p, purl, &lics);
		} else {
			/* Trivy's container and per-file application packages carry no purl. */
			if ((!purpose || !strcmp(purpose, "LIBRARY") || !strcmp(purpose, "FRAMEWORK")) &&
			    !has_prefix(id, "SPDXRef-Application") && !has_prefix(id, "SPDXRef-ContainerImage"))
				r->nno_purl++;
			rc = 0;
		}
		if (rc < 0)
			break;
	}
done:
	cs_map_release(&lics);
	return rc < 0 ? rc : 0;
}
