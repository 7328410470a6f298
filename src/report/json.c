/*
 * json.c - customs' own JSON report (docs/report.schema.json).
 *
 * Built as a cJSON tree in a fixed key order, so equal scans give equal
 * bytes. Absent values are null rather than missing keys, which keeps the
 * shape the same for every consumer.
 */
#include "core/compat.h"
#include "report/report.h"
#include "report/rutil.h"
#include "core/version.h"

#include <cJSON.h>

static cJSON *os_json(const cs_os *os)
{
	cJSON *o;

	if (!os)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "family", cs_rutil_str_or_null(os->family));
	cJSON_AddItemToObject(o, "version", cs_rutil_str_or_null(os->version));
	cJSON_AddItemToObject(o, "name", cs_rutil_str_or_null(os->name));
	cJSON_AddItemToObject(o, "codename", cs_rutil_str_or_null(os->codename));
	cJSON_AddItemToObject(o, "found_in", cs_rutil_str_or_null(os->found_in));
	return o;
}

static cJSON *layers_json(const cs_scan *s)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	if (cs_scan_is_rootfs(s))
		return arr;
	for (i = 0; i < cs_scan_layer_count(s); i++) {
		const cs_layer *l = cs_scan_layer(s, i);
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "index", l->index);
		cJSON_AddItemToObject(o, "digest", cs_rutil_str_or_null(l->digest));
		cJSON_AddItemToObject(o, "diff_id", cs_rutil_str_or_null(l->diff_id));
		cJSON_AddItemToObject(o, "media_type", cs_rutil_str_or_null(l->media_type));
		cJSON_AddItemToObject(o, "compression", cs_rutil_str_or_null(l->compression));
		cJSON_AddNumberToObject(o, "size", (double)l->size);
		cJSON_AddNumberToObject(o, "tar_size", (double)l->tar_size);
		cJSON_AddNumberToObject(o, "entries", (double)l->entries);
		cJSON_AddItemToObject(o, "created_by", cs_rutil_str_or_null(l->created_by));
		cJSON_AddItemToObject(o, "created", cs_rutil_str_or_null(l->created));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *artifact_json(const cs_scan *s)
{
	const cs_artifact *a = cs_scan_artifact(s);
	cJSON *o = cJSON_CreateObject(), *tags = cJSON_CreateArray();
	size_t i;

	cJSON_AddItemToObject(o, "name", cs_rutil_str_or_null(a->name));
	cJSON_AddItemToObject(o, "type", cs_rutil_str_or_null(a->type));
	cJSON_AddItemToObject(o, "image_id", cs_rutil_str_or_null(a->image_id));
	cJSON_AddItemToObject(o, "manifest_digest", cs_rutil_str_or_null(a->manifest_digest));
	for (i = 0; i < a->nrepo_tags; i++)
		cJSON_AddItemToArray(tags, cs_rutil_json_string(a->repo_tags[i]));
	cJSON_AddItemToObject(o, "repo_tags", tags);
	cJSON_AddItemToObject(o, "architecture", cs_rutil_str_or_null(a->arch));
	cJSON_AddItemToObject(o, "os", os_json(cs_scan_os(s)));
	cJSON_AddItemToObject(o, "layers", layers_json(s));
	return o;
}

static cJSON *layer_ref(const cs_scan *s, int index);
static cJSON *str_array(const char *const *v, size_t n);
static cJSON *suppressed_json(const cs_suppression *u);

static cJSON *packages_json(const cs_scan *s)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "name", cs_rutil_str_or_null(p->name));
		cJSON_AddItemToObject(o, "version", cs_rutil_str_or_null(p->version));
		cJSON_AddItemToObject(o, "type", cs_rutil_str_or_null(p->type));
		cJSON_AddItemToObject(o, "arch", cs_rutil_str_or_null(p->arch));
		cJSON_AddItemToObject(o, "source_name", cs_rutil_str_or_null(p->source_name));
		cJSON_AddItemToObject(o, "source_version", cs_rutil_str_or_null(p->source_version));
		cJSON_AddItemToObject(o, "purl", cs_rutil_str_or_null(p->purl));
		cJSON_AddItemToObject(o, "maintainer", cs_rutil_str_or_null(p->maintainer));
		cJSON_AddItemToObject(o, "vendor", cs_rutil_str_or_null(p->vendor));
		cJSON_AddBoolToObject(o, "third_party", p->third_party);
		cJSON_AddNumberToObject(o, "installed_size", (double)p->installed_size);
		cJSON_AddItemToObject(o, "found_in", cs_rutil_str_or_null(p->found_in));
		cJSON_AddItemToObject(o, "licenses", str_array(p->licenses, p->nlicenses));
		cJSON_AddItemToObject(o, "owner", cs_rutil_str_or_null(p->owner ? p->owner->purl : NULL));
		cJSON_AddItemToObject(o, "layer", layer_ref(s, p->layer));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *str_array(const char *const *v, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cs_rutil_json_string(v[i]));
	return arr;
}

static cJSON *layer_ref(const cs_scan *s, int index)
{
	const cs_layer *l = index >= 0 ? cs_scan_layer(s, (size_t)index) : NULL;
	cJSON *o;

	if (!l)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "index", l->index);
	cJSON_AddItemToObject(o, "diff_id", cs_rutil_str_or_null(l->diff_id));
	return o;
}

static cJSON *vulns_json(const cs_scan *s)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i, j;

	for (i = 0; i < cs_scan_vuln_count(s); i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);
		const cs_package *p = v->package;
		const cs_layer *l = p->layer >= 0 ? cs_scan_layer(s, (size_t)p->layer) : NULL;
		cJSON *o = cJSON_CreateObject(), *pkg = cJSON_CreateObject(), *cvss = cJSON_CreateArray();

		cJSON_AddItemToObject(o, "id", cs_rutil_str_or_null(v->id));
		cJSON_AddItemToObject(o, "aliases", str_array(v->aliases, v->naliases));
		cJSON_AddItemToObject(pkg, "name", cs_rutil_str_or_null(p->name));
		cJSON_AddItemToObject(pkg, "version", cs_rutil_str_or_null(p->version));
		cJSON_AddItemToObject(pkg, "type", cs_rutil_str_or_null(p->type));
		cJSON_AddItemToObject(pkg, "purl", cs_rutil_str_or_null(p->purl));
		cJSON_AddItemToObject(o, "package", pkg);
		cJSON_AddItemToObject(o, "installed_version", cs_rutil_str_or_null(v->installed_version));
		cJSON_AddItemToObject(o, "fixed_version", cs_rutil_json_string(v->fixed_version));
		cJSON_AddItemToObject(o, "status", cs_rutil_str_or_null(v->status));
		cJSON_AddItemToObject(o, "severity", cs_rutil_str_or_null(v->severity));
		cJSON_AddItemToObject(o, "severity_source", cs_rutil_str_or_null(v->severity_source));
		for (j = 0; j < v->ncvss; j++) {
			cJSON *c = cJSON_CreateObject();

			cJSON_AddItemToObject(c, "version", cs_rutil_str_or_null(v->cvss[j].version));
			cJSON_AddItemToObject(c, "vector", cs_rutil_str_or_null(v->cvss[j].vector));
			cJSON_AddNumberToObject(c, "score", v->cvss[j].score);
			cJSON_AddItemToObject(c, "source", cs_rutil_str_or_null(v->cvss[j].source));
			cJSON_AddItemToArray(cvss, c);
		}
		cJSON_AddItemToObject(o, "cvss", cvss);
		cJSON_AddItemToObject(o, "title", cs_rutil_str_or_null(v->title));
		cJSON_AddItemToObject(o, "references", str_array(v->references, v->nreferences));
		cJSON_AddItemToObject(o, "data_source", cs_rutil_str_or_null(v->data_source));
		cJSON_AddItemToObject(o, "layer", layer_ref(s, p->layer));
		cJSON_AddItemToObject(o, "created_by", cs_rutil_str_or_null(l ? l->created_by : NULL));
		if (v->kev >= 0)
			cJSON_AddBoolToObject(o, "kev", v->kev > 0);
		if (v->epss_score >= 0) {
			cJSON *e = cJSON_CreateObject();

			cJSON_AddNumberToObject(e, "score", v->epss_score);
			cJSON_AddNumberToObject(e, "percentile", v->epss_percentile);
			cJSON_AddItemToObject(o, "epss", e);
		}
		cJSON_AddItemToObject(o, "suppressed", suppressed_json(&v->suppressed));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *secrets_json(const cs_scan *s)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < cs_scan_secret_count(s); i++) {
		const cs_secret *f = cs_scan_secret(s, i);
		const cs_layer *l = f->layer >= 0 ? cs_scan_layer(s, (size_t)f->layer) : NULL;
		cJSON *o = cJSON_CreateObject();

		cJSON_AddItemToObject(o, "rule_id", cs_rutil_str_or_null(f->rule_id));
		cJSON_AddItemToObject(o, "category", cs_rutil_str_or_null(f->category));
		cJSON_AddItemToObject(o, "title", cs_rutil_str_or_null(f->title));
		cJSON_AddItemToObject(o, "severity", cs_rutil_str_or_null(f->severity));
		cJSON_AddItemToObject(o, "path", cs_rutil_str_or_null(f->path));
		cJSON_AddNumberToObject(o, "line", (double)f->line);
		cJSON_AddNumberToObject(o, "column", (double)f->column);
		cJSON_AddItemToObject(o, "match", cs_rutil_str_or_null(f->match));
		cJSON_AddItemToObject(o, "layer", layer_ref(s, f->layer));
		cJSON_AddItemToObject(o, "created_by", cs_rutil_str_or_null(l ? l->created_by : NULL));
		cJSON_AddItemToObject(o, "removed_in_layer", layer_ref(s, f->removed_in));
		cJSON_AddItemToObject(o, "suppressed", suppressed_json(&f->suppressed));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *suppressed_json(const cs_suppression *u)
{
	cJSON *o;

	if (!u->kind)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", u->kind);
	cJSON_AddItemToObject(o, "reason", cs_rutil_str_or_null(u->reason));
	cJSON_AddItemToObject(o, "source", cs_rutil_str_or_null(u->source));
	return o;
}

static cJSON *misconfigs_json(const cs_scan *s)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < cs_scan_misconfig_count(s); i++) {
		const cs_misconfig *m = cs_scan_misconfig(s, i);
		const cs_layer *l = m->layer >= 0 ? cs_scan_layer(s, (size_t)m->layer) : NULL;
		cJSON *o = cJSON_CreateObject(), *df;

		cJSON_AddItemToObject(o, "id", cs_rutil_str_or_null(m->id));
		cJSON_AddItemToObject(o, "title", cs_rutil_str_or_null(m->title));
		cJSON_AddItemToObject(o, "severity", cs_rutil_str_or_null(m->severity));
		cJSON_AddItemToObject(o, "cis", cs_rutil_str_or_null(m->cis));
		cJSON_AddItemToObject(o, "description", cs_rutil_str_or_null(m->description));
		cJSON_AddItemToObject(o, "message", cs_rutil_str_or_null(m->message));
		cJSON_AddItemToObject(o, "resolution", cs_rutil_str_or_null(m->resolution));
		cJSON_AddItemToObject(o, "path", cs_rutil_str_or_null(m->path));
		cJSON_AddItemToObject(o, "layer", layer_ref(s, m->layer));
		cJSON_AddItemToObject(o, "created_by", cs_rutil_str_or_null(l ? l->created_by : NULL));
		if (m->dockerfile) {
			df = cJSON_CreateObject();
			cJSON_AddItemToObject(df, "path", cs_rutil_json_string(m->dockerfile));
			cJSON_AddNumberToObject(df, "line", (double)m->line);
		} else {
			df = cJSON_CreateNull();
		}
		cJSON_AddItemToObject(o, "dockerfile", df);
		cJSON_AddItemToObject(o, "suppressed", suppressed_json(&m->suppressed));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

/*
 * The base image and how the findings split: a vulnerability of a package
 * a base layer installed comes from the base; rebuilding on a patched base
 * fixes those with a fixed version.
 */
static cJSON *diagnostics_json(const cs_scan *s)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < cs_scan_diag_count(s); i++) {
		int level;
		const char *msg = cs_scan_diag_get(s, i, &level);
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "level", level == 0 ? "error" : "warning");
		cJSON_AddItemToObject(o, "message", cs_rutil_json_string(msg));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

int cs_report_json(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	cJSON *root = cJSON_CreateObject(), *tool;

	CS_UNUSED(o);
	if (!root)
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cJSON_AddNumberToObject(root, "schema_version", CS_REPORT_SCHEMA_VERSION);
	tool = cJSON_AddObjectToObject(root, "tool");
	cJSON_AddStringToObject(tool, "name", "customs");
	cJSON_AddStringToObject(tool, "version", cs_version());
	cJSON_AddItemToObject(root, "artifact", artifact_json(s));
	cJSON_AddItemToObject(root, "packages", packages_json(s));
	cJSON_AddItemToObject(root, "vulnerabilities", vulns_json(s));
	cJSON_AddItemToObject(root, "secrets", secrets_json(s));
	cJSON_AddItemToObject(root, "misconfigurations", misconfigs_json(s));
	cJSON_AddItemToObject(root, "base", cs_rutil_base_json(s));
	cJSON_AddItemToObject(root, "policy", cs_rutil_policy_json(s));
	cJSON_AddItemToObject(root, "diagnostics", diagnostics_json(s));
	return cs_rutil_write_json(out, root, true, err);
}
