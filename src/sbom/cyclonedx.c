/*
 * cyclonedx.c - CycloneDX JSON (1.4, 1.5, 1.6) SBOM input (see sbom.h).
 *
 * The subject is metadata.component; the packages are the components,
 * nested ones included (depth first), that carry a purl, whatever their
 * type but "operating-system" (the OS, by name and version) and
 * "container" (an image's own purl, pkg:oci, is not a package in it).
 * Properties give what a purl cannot: the source package (customs'
 * "customs:package:source_*", Trivy's "aquasecurity:trivy:Src*") and the
 * file a package was read from (Trivy's FilePath, syft's location, 1.5's
 * evidence.occurrences).
 */
#include "core/compat.h"
#include "sbom/sbom.h"

/* Licenses kept per component and tags per subject: more is noise, not data. */
#define MAX_LICENSES 32
#define MAX_TAGS 64

typedef struct props {
	const char *src_name, *src_version, *src_release, *src_epoch;
	bool customs_src; /* customs' whole source version: Trivy's parts do not apply */
	const char *found_in;
} props;

static void read_props(const cJSON *c, props *p)
{
	const cJSON *e;

	memset(p, 0, sizeof(*p));
	cJSON_ArrayForEach(e, cs_json_arr(c, "properties")) {
		const char *n = cs_json_str(e, "name"), *v = cs_json_str(e, "value");

		if (!n || !v || !*v)
			continue;
		if (!strcmp(n, "customs:package:source_name")) {
			p->src_name = v;
			p->customs_src = true;
		} else if (!strcmp(n, "customs:package:source_version")) {
			p->src_version = v;
			p->customs_src = true;
		} else if (!strcmp(n, "customs:package:found_in") || !strcmp(n, "customs:package:file")) {
			p->found_in = v;
		} else if (!strncmp(n, "aquasecurity:trivy:", 19)) {
			const char *k = n + 19;

			if (p->customs_src && !strncmp(k, "Src", 3))
				continue;
			if (!strcmp(k, "SrcName"))
				p->src_name = v;
			else if (!strcmp(k, "SrcVersion"))
				p->src_version = v;
			else if (!strcmp(k, "SrcRelease"))
				p->src_release = v;
			else if (!strcmp(k, "SrcEpoch"))
				p->src_epoch = v;
			else if (!strcmp(k, "FilePath") && !p->found_in)
				p->found_in = v;
		} else if (!strcmp(n, "syft:location:0:path") && !p->found_in) {
			p->found_in = v;
		}
	}
	if (p->customs_src)
		p->src_release = p->src_epoch = NULL;
}

/* license.id, license.name or expression of each entry, into the arena. */
static int read_licenses(cs_sbom *r, const cJSON *c, cs_sbom_pkg *pkg)
{
	const cJSON *arr = cs_json_arr(c, "licenses"), *e;
	const char **list;
	size_t n = 0;

	if (!arr || !arr->child)
		return 0;
	if (!(list = cs_arena_calloc(r->a, MAX_LICENSES, sizeof(*list))))
		return CS_ENOMEM;
	cJSON_ArrayForEach(e, arr) {
		const cJSON *lic = cs_json_obj(e, "license");
		const char *s = lic ? cs_json_str(lic, "id") : cs_json_str(e, "expression");

		if (lic && !s)
			s = cs_json_str(lic, "name");
		if (!s || !*s)
			continue;
		if (n == MAX_LICENSES)
			break;
		if (!(list[n++] = cs_arena_strdup(r->a, s)))
			return CS_ENOMEM;
	}
	pkg->licenses = n ? list : NULL;
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
	cs_sbom_pkg pkg;
	props pr;
	int rc;

	if (!purl || !*purl) {
		/* Trivy's "application" components group a file's packages: no purl expected. */
		if (!type || !strcmp(type, "library") || !strcmp(type, "framework"))
			r->nno_purl++;
		return 0;
	}
	memset(&pkg, 0, sizeof(pkg));
	read_props(c, &pr);
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
	pkg.src_name = pr.src_name;
	pkg.src_version = pr.src_version;
	pkg.src_release = pr.src_release;
	pkg.src_epoch = pr.src_epoch;
	pkg.found_in = pr.found_in ? pr.found_in : occurrence(c);
	if ((rc = read_licenses(r, c, &pkg)) < 0)
		return cs_err_set(r->err, rc, "'%s': out of memory", r->name);
	return cs_sbom_add(r, &pkg);
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
			const char *d = cs_json_str(c, "description");

			rc = cs_sbom_set_os(r, cs_json_str(c, "name"), cs_json_str(c, "version"), d);
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

/* The subject: metadata.component's name and version, and Trivy's image properties. */
static int subject(cs_sbom *r, const cJSON *comp)
{
	const char *type = cs_json_str(comp, "type"), **tags = NULL;
	const cJSON *e;
	size_t ntags = 0;
	int rc;

	if ((rc = cs_sbom_set_subject(r, cs_json_str(comp, "name"), cs_json_str(comp, "version"),
				      type && !strcmp(type, "container"))) < 0)
		return rc;
	cJSON_ArrayForEach(e, cs_json_arr(comp, "properties")) {
		const char *n = cs_json_str(e, "name"), *v = cs_json_str(e, "value"), *at;

		if (!n || !v)
			continue;
		if (!strcmp(n, "aquasecurity:trivy:ImageID") && cs_sbom_is_digest(v)) {
			r->art.image_id = cs_arena_strdup(r->a, v);
		} else if (!strcmp(n, "aquasecurity:trivy:RepoDigest") && (at = strchr(v, '@')) &&
			   cs_sbom_is_digest(at + 1)) {
			r->art.manifest_digest = cs_arena_strdup(r->a, at + 1);
		} else if (!strcmp(n, "aquasecurity:trivy:RepoTag") && *v && ntags < MAX_TAGS) {
			if (!tags && !(tags = cs_arena_calloc(r->a, MAX_TAGS, sizeof(*tags))))
				return cs_err_set(r->err, CS_ENOMEM, "'%s': out of memory", r->name);
			if (!(tags[ntags++] = cs_arena_strdup(r->a, v)))
				return cs_err_set(r->err, CS_ENOMEM, "'%s': out of memory", r->name);
		}
	}
	r->art.repo_tags = tags;
	r->art.nrepo_tags = ntags;
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
