/*
 * cyclonedx.c - CycloneDX JSON (1.4, 1.5, 1.6) SBOM input (see sbom.h).
 *
 * The subject is metadata.component; the packages are the components,
 * nested ones included (depth first), that carry a purl, whatever their
 * type but "operating-system" (the OS, by name and version) and
 * "container" (an image's own purl, pkg:oci, is not a package in it).
 * Properties give what a purl cannot (cs_sbom_pkg_prop): the source
 * package (customs' "customs:source:*", Trivy's "aquasecurity:trivy:Src*"),
 * the file a package was read from (customs' found_in, Trivy's FilePath,
 * syft's location, 1.5's evidence.occurrences), and what else customs
 * writes of its own scans (owner, vendor, third_party...), so a BOM
 * customs wrote reads back as the scan it came from, layers aside.
 */
#include "core/compat.h"
#include "sbom/sbom.h"

/* Licenses kept per component: more is noise, not data. */
#define MAX_LICENSES 32

/* The text of one licenses[] entry: license.id, license.name or expression; NULL if none. */
static const char *license_text(const cJSON *e)
{
	const cJSON *lic = cs_json_obj(e, "license");
	const char *s = lic ? cs_json_str(lic, "id") : cs_json_str(e, "expression");

	if (lic && !s)
		s = cs_json_str(lic, "name");
	return s && *s ? s : NULL;
}

/* The licenses of a component, into the arena (sized to what is there: components are many). */
static int read_licenses(cs_sbom *r, const cJSON *c, cs_sbom_pkg *pkg)
{
	const cJSON *arr = cs_json_arr(c, "licenses"), *e;
	const char **list;
	size_t n = 0, i = 0;

	cJSON_ArrayForEach(e, arr)
		if (license_text(e) && n < MAX_LICENSES)
			n++;
	if (n == 0)
		return 0;
	if (!(list = cs_arena_calloc(r->a, n, sizeof(*list))))
		return CS_ENOMEM;
	cJSON_ArrayForEach(e, arr) {
		const char *s = license_text(e);

		if (!s)
			continue;
		if (i == n)
			break;
		if (!(list[i++] = cs_arena_strdup(r->a, s)))
			return CS_ENOMEM;
	}
	pkg->licenses = list;
	pkg->nlicenses = n;
	return 0;
}

/* The first evidence.occurrences location (CycloneDX 1.5 and later). */
static const char *occurrence(const cJSON *c)
{
	const cJSON *occ = cs_json_arr(cs_json_obj(c, "evidence"), "occurrences");

	return occ ? cs_json_str(occ->child, "location") : NULL;
}

static int add_component(cs_sbom *r, const cJSON *c, const char *type)
{
	const char *purl = cs_json_str(c, "purl"), *group = cs_json_str(c, "group"), *name = cs_json_str(c, "name");
	const cJSON *e;
	cs_sbom_pkg pkg;
	int rc;

	if (!purl || !*purl) {
		/* Trivy's "application" components group a file's packages: no purl expected. */
		if (!type || !strcmp(type, "library") || !strcmp(type, "framework"))
			r->nno_purl++;
		return 0;
	}
	memset(&pkg, 0, sizeof(pkg));
	pkg.ref = cs_json_str(c, "bom-ref");
	pkg.purl = purl;
	pkg.kind = "component";
	pkg.name = name;
	/* The document's spelling of the whole name, joined as the purl's namespace is (sbom.c). */
	if (group && *group && name) {
		bool maven = !strncmp(purl, "pkg:maven/", 10);

		if (!(pkg.name = cs_arena_printf(r->a, "%s%c%s", group, maven ? ':' : '/', name)))
			return cs_err_set(r->err, CS_ENOMEM, "'%s': out of memory", r->name);
	}
	pkg.version = cs_json_str(c, "version");
	pkg.supplier = cs_json_str(cs_json_obj(c, "supplier"), "name");
	pkg.evidence = occurrence(c);
	cJSON_ArrayForEach(e, cs_json_arr(c, "properties"))
		cs_sbom_pkg_prop(&pkg, cs_json_str(e, "name"), cs_json_str(e, "value"));
	if ((rc = read_licenses(r, c, &pkg)) < 0)
		return cs_err_set(r->err, rc, "'%s': out of memory", r->name);
	return cs_sbom_add(r, &pkg);
}

/* An operating-system component: name, version, and customs' codename and human name. */
static int add_os(cs_sbom *r, const cJSON *c)
{
	const char *pretty = cs_json_str(c, "description"), *codename = NULL;
	const cJSON *e;

	cJSON_ArrayForEach(e, cs_json_arr(c, "properties")) {
		const char *n = cs_json_str(e, "name"), *v = cs_json_str(e, "value");

		if (n && v && !strcmp(n, "customs:os:codename"))
			codename = v;
		else if (n && v && !strcmp(n, "customs:os:name"))
			pretty = v;
	}
	return cs_sbom_set_os(r, cs_json_str(c, "name"), cs_json_str(c, "version"), pretty, codename);
}

/* Walks a components array and the arrays nested in it. */
static int walk(cs_sbom *r, const cJSON *arr, unsigned depth)
{
	const cJSON *c;
	int rc;

	/* prescan() already bounds the JSON nesting; this keeps the recursion honest on its own. */
	if (depth > r->lim->max_sbom_depth)
		return cs_err_set(r->err, CS_ELIMIT, "'%s': components nested deeper than %u levels", r->name,
				  (unsigned)r->lim->max_sbom_depth);
	cJSON_ArrayForEach(c, arr) {
		const cJSON *nested;
		const char *type;

		if (!cJSON_IsObject(c)) {
			r->nbad_entry++;
			continue;
		}
		type = cs_json_str(c, "type");
		if (type && !strcmp(type, "operating-system")) {
			rc = add_os(r, c);
		} else if (type && !strcmp(type, "container")) {
			rc = 0;
		} else {
			rc = add_component(r, c, type);
		}
		if (rc < 0)
			return rc;
		if ((nested = cJSON_GetObjectItemCaseSensitive(c, "components")) != NULL) {
			if (!cJSON_IsArray(nested))
				r->nbad_entry++;
			else if ((rc = walk(r, nested, depth + 1)) < 0)
				return rc;
		}
	}
	return 0;
}

/* The subject: metadata.component's name and version, and its properties (customs', Trivy's). */
static int subject(cs_sbom *r, const cJSON *comp)
{
	const char *type = cs_json_str(comp, "type");
	const cJSON *e;
	int rc;

	if ((rc = cs_sbom_set_subject(r, cs_json_str(comp, "name"), cs_json_str(comp, "version"),
				      type && !strcmp(type, "container"))) < 0)
		return rc;
	cJSON_ArrayForEach(e, cs_json_arr(comp, "properties"))
		if ((rc = cs_sbom_subject_prop(r, cs_json_str(e, "name"), cs_json_str(e, "value"))) < 0)
			return rc;
	return 0;
}

int cs_sbom_cyclonedx(cs_sbom *r, const cJSON *doc)
{
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(doc, "metadata");
	const cJSON *comps = cJSON_GetObjectItemCaseSensitive(doc, "components"), *subj = NULL, *nested;
	int rc;

	if (meta && !cJSON_IsObject(meta))
		return cs_err_set(r->err, CS_EFORMAT, "'%s': metadata is not an object", r->name);
	if (comps && !cJSON_IsArray(comps))
		return cs_err_set(r->err, CS_EFORMAT, "'%s': components is not an array", r->name);
	if (meta && (subj = cJSON_GetObjectItemCaseSensitive(meta, "component")) != NULL) {
		if (!cJSON_IsObject(subj))
			return cs_err_set(r->err, CS_EFORMAT, "'%s': metadata.component is not an object", r->name);
		if ((rc = subject(r, subj)) < 0)
			return rc;
		/* A subject may hold its parts itself (assemblies). */
		if ((nested = cJSON_GetObjectItemCaseSensitive(subj, "components")) != NULL) {
			if (!cJSON_IsArray(nested))
				r->nbad_entry++;
			else if ((rc = walk(r, nested, 1)) < 0)
				return rc;
		}
	}
	return comps ? walk(r, comps, 0) : 0;
}
