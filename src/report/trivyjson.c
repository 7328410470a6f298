/*
 * trivyjson.c - Trivy's JSON report (`trivy image --format json`, schema
 * version 2), so that tools written for Trivy read customs unchanged.
 *
 * Keys and their order are Trivy's (pkg/types/report.go and the types it
 * embeds): empty values are left out where Trivy leaves them out, except
 * the few that consumers print without checking (FixedVersion, Title,
 * Description, PrimaryURL: always present, "" when unknown). Results come
 * grouped as Trivy groups them (report/targets.h). The values are customs'
 * own: its sources, severities and statuses in Trivy's words. Every
 * deliberate difference is listed in docs/reports.md, "Trivy JSON".
 */
#include "core/compat.h"
#include "report/report.h"
#include "report/rutil.h"
#include "report/targets.h"
#include "core/buf.h"
#include "core/sha256.h"
#include "core/strutil.h"

#include <cJSON.h>

#define TRIVY_SCHEMA_VERSION 2

/* Adds key: s, UTF-8 made safe; nothing when s is NULL or empty (Go's omitempty). */
static void add_str(cJSON *o, const char *key, const char *s)
{
	if (s && *s)
		cJSON_AddItemToObject(o, key, cs_rutil_json_string(s));
}

/* Adds key: s, "" when s is NULL: for fields consumers read without checking. */
static void add_str_always(cJSON *o, const char *key, const char *s)
{
	cJSON_AddItemToObject(o, key, cs_rutil_json_string(s ? s : ""));
}

static void add_str_array(cJSON *o, const char *key, const char *const *v, size_t n)
{
	cJSON *arr;
	size_t i;

	if (!n)
		return;
	arr = cJSON_AddArrayToObject(o, key);
	for (i = 0; arr && i < n; i++)
		cJSON_AddItemToArray(arr, cs_rutil_json_string(v[i]));
}

/* --- sources: customs' feed names in Trivy's vocabulary --------------------- */

typedef struct source_info {
	const char *prefix; /* customs source name, or its family prefix ("alpine-secdb-v3.11-main") */
	const char *id;     /* Trivy's SourceID */
	const char *name;   /* Trivy's DataSource.Name; NULL: customs' source name */
	const char *url;
} source_info;

static const source_info sources[] = {
	{"alpine-secdb", "alpine", "Alpine Secdb", "https://secdb.alpinelinux.org/"},
	{"debian", "debian", "Debian Security Tracker", "https://salsa.debian.org/security-tracker-team/security-tracker"},
	{"nvd", "nvd", "National Vulnerability Database", "https://nvd.nist.gov/"},
	{"ghsa", "ghsa", "GitHub Security Advisory", "https://github.com/advisories"},
	{"osv", "osv", NULL, "https://osv.dev/"},
};

/* The entry for a customs source name, or NULL. A family prefix must end the name or be followed by '-'. */
static const source_info *source_lookup(const char *name)
{
	size_t i, n;

	for (i = 0; name && i < CS_ARRAY_LEN(sources); i++) {
		n = strlen(sources[i].prefix);
		if (!strncmp(name, sources[i].prefix, n) && (name[n] == '\0' || name[n] == '-'))
			return &sources[i];
	}
	return NULL;
}

/* Trivy's SourceID for a customs source name (the name itself when unknown). */
static const char *source_id(const char *name)
{
	const source_info *si = source_lookup(name);

	return si ? si->id : name;
}

/*
 * SeveritySource: the feed whose word was taken ("alpine-secdb-..."), or
 * the scorer of the CVSS vector the severity was computed from
 * ("cvss:3.1/nvd" -> "nvd").
 */
static const char *severity_source(const cs_vuln *v)
{
	const char *s = v->severity_source, *slash;

	if (!s || !*s)
		return NULL;
	if (cs_str_starts(s, "cvss:") && (slash = strchr(s, '/')) != NULL)
		s = slash + 1;
	return source_id(s);
}

static cJSON *data_source(const char *name)
{
	const source_info *si = source_lookup(name);
	cJSON *o = cJSON_CreateObject();

	add_str(o, "ID", si ? si->id : name);
	add_str(o, "Name", si && si->name ? si->name : name);
	add_str(o, "URL", si ? si->url : NULL);
	return o;
}

/* --- packages ------------------------------------------------------------- */

typedef struct split_version {
	char epoch[16];   /* "" when none or 0 */
	char version[256];
	char release[256]; /* "" when none */
} split_version;

/*
 * deb and rpm versions as Trivy splits them: "[EPOCH:]VERSION[-RELEASE]",
 * the release after the last '-'. Longer parts are cut (versions are short;
 * only the display suffers).
 */
static void version_split(const char *full, split_version *out)
{
	const char *colon = full ? strchr(full, ':') : NULL, *v = full ? full : "", *dash;
	size_t n, i;

	memset(out, 0, sizeof(*out));
	if (colon && colon > full && (size_t)(colon - full) < sizeof(out->epoch)) {
		for (i = 0; full + i < colon && full[i] >= '0' && full[i] <= '9'; i++)
			;
		if (full + i == colon) {
			memcpy(out->epoch, full, i);
			v = colon + 1;
			/* a zero epoch is Trivy's omitted 0 */
			if (strspn(out->epoch, "0") == i)
				out->epoch[0] = '\0';
		}
	}
	dash = strrchr(v, '-');
	n = dash ? (size_t)(dash - v) : strlen(v);
	snprintf(out->version, sizeof(out->version), "%.*s", (int)(n < 255 ? n : 255), v);
	if (dash)
		snprintf(out->release, sizeof(out->release), "%s", dash + 1);
}

static bool splits_version(const cs_package *p)
{
	return p->type && (!strcmp(p->type, "deb") || !strcmp(p->type, "rpm"));
}

/* Trivy's package ID (the key Vulnerabilities[].PkgID refers to). */
static char *package_id(cs_buf *b, const cs_package *p, const char *ttype)
{
	const char *name = p->name ? p->name : "", *ver = p->version ? p->version : "";

	cs_buf_reset(b);
	if (!*ver)
		cs_buf_puts(b, name);
	else if (p->type && !strcmp(p->type, "rpm")) {
		split_version sv;

		/* rpm: name@version-release.arch, without the epoch */
		version_split(ver, &sv);
		cs_buf_printf(b, "%s@%s%s%s%s%s", name, sv.version, *sv.release ? "-" : "", sv.release,
			      p->arch ? "." : "", p->arch ? p->arch : "");
	} else if (!strcmp(ttype, "jar") || !strcmp(ttype, "pom") || !strcmp(ttype, "gradle"))
		cs_buf_printf(b, "%s:%s", name, ver);
	else if (!strcmp(ttype, "dotnet-core"))
		cs_buf_printf(b, "%s/%s", name, ver);
	else if ((!strcmp(ttype, "gomod") || !strcmp(ttype, "gobinary")) && ver[0] != 'v')
		cs_buf_printf(b, "%s@v%s", name, ver);
	else
		cs_buf_printf(b, "%s@%s", name, ver);
	return b->data ? b->data : "";
}

/*
 * Trivy's Identifier.UID: a stable hash telling apart equal packages in
 * different files or layers. Trivy hashes its own struct; ours is the
 * first 16 hex digits of SHA-256 over what identifies the package here.
 */
static void package_uid(cs_buf *b, const cs_package *p, char out[17])
{
	char digest[CS_DIGEST_MAX];

	cs_buf_reset(b);
	cs_buf_printf(b, "%s\n%s\n%s\n%s\n%s\n%s\n%d", p->type ? p->type : "", p->name ? p->name : "",
		      p->version ? p->version : "", p->arch ? p->arch : "", p->purl ? p->purl : "",
		      p->found_in ? p->found_in : "", p->layer);
	out[0] = '\0';
	if (b->data && cs_sha256_buf(b->data, b->len, digest) == 0)
		snprintf(out, 17, "%.16s", digest + strlen("sha256:"));
}

static cJSON *identifier(cs_buf *b, const cs_package *p)
{
	cJSON *o = cJSON_CreateObject();
	char uid[17];

	add_str(o, "PURL", p->purl);
	package_uid(b, p, uid);
	add_str(o, "UID", uid);
	return o;
}

/*
 * A package's file as Trivy writes it (FilePath, PkgPath): a nested
 * archive's "OUTER!INNER" is "OUTER/INNER" there.
 */
static void add_file_path(cJSON *o, const char *key, cs_buf *b, const char *found_in)
{
	char *bang;

	if (!found_in || !*found_in)
		return;
	cs_buf_reset(b);
	if (cs_buf_puts(b, found_in) < 0)
		return;
	for (bang = strchr(b->data, '!'); bang; bang = strchr(bang + 1, '!'))
		*bang = '/';
	add_str(o, key, b->data);
}

/* Layer {Digest, DiffID[, CreatedBy]}, or nothing for a root filesystem or the config. */
static void add_layer(cJSON *o, const cs_scan *s, int index, bool created_by)
{
	const cs_layer *l = cs_rtarget_layer(s, index);
	cJSON *lo;

	if (!l)
		return;
	lo = cJSON_AddObjectToObject(o, "Layer");
	add_str(lo, "Digest", l->digest);
	add_str(lo, "DiffID", l->diff_id);
	if (created_by)
		add_str(lo, "CreatedBy", cs_rtarget_created_by(l->created_by));
}

static cJSON *package_json(cs_buf *b, const cs_scan *s, const cs_rtarget *t, const cs_package *p)
{
	const char *ttype = t->cls == CS_RTARGET_OS ? "" : t->type;
	cJSON *o = cJSON_CreateObject();

	add_str(o, "ID", package_id(b, p, ttype));
	add_str(o, "Name", p->name);
	cJSON_AddItemToObject(o, "Identifier", identifier(b, p));
	if (splits_version(p)) {
		split_version v, src;

		version_split(p->version, &v);
		version_split(p->source_version ? p->source_version : p->version, &src);
		add_str(o, "Version", v.version);
		add_str(o, "Release", v.release);
		if (*v.epoch)
			cJSON_AddNumberToObject(o, "Epoch", strtod(v.epoch, NULL));
		add_str(o, "Arch", p->arch);
		add_str(o, "SrcName", p->source_name ? p->source_name : p->name);
		add_str(o, "SrcVersion", src.version);
		add_str(o, "SrcRelease", src.release);
		if (*src.epoch)
			cJSON_AddNumberToObject(o, "SrcEpoch", strtod(src.epoch, NULL));
	} else {
		add_str(o, "Version", p->version);
		add_str(o, "Arch", p->arch);
		if (t->cls == CS_RTARGET_OS) {
			add_str(o, "SrcName", p->source_name ? p->source_name : p->name);
			add_str(o, "SrcVersion", p->source_version ? p->source_version : p->version);
		}
	}
	add_str_array(o, "Licenses", p->licenses, p->nlicenses);
	add_str(o, "Maintainer", p->maintainer);
	add_layer(o, s, p->layer, false);
	if (t->aggregated)
		add_file_path(o, "FilePath", b, p->found_in);
	return o;
}

/* --- vulnerabilities --------------------------------------------------------- */

/* Trivy's status words; customs' "not_fixed" is Trivy's "affected". */
static const char *status_word(const cs_vuln *v)
{
	static const char *const known[] = {"fixed",  "affected",  "not_affected", "under_investigation",
					    "will_not_fix", "fix_deferred", "end_of_life"};
	size_t i;

	if (!v->status || !*v->status)
		return v->fixed_version && *v->fixed_version ? "fixed" : "affected";
	if (!strcmp(v->status, "not_fixed"))
		return "affected";
	for (i = 0; i < CS_ARRAY_LEN(known); i++)
		if (!strcmp(v->status, known[i]))
			return known[i];
	return "unknown";
}

/*
 * PrimaryURL: the record a person opens first. Trivy points CVEs at its own
 * vulnerability pages; customs at NVD's record of the CVE, GHSA ids at
 * GitHub's advisory, anything else at its first reference, else its OSV
 * record.
 */
static const char *primary_url(cs_buf *b, const cs_vuln *v)
{
	const char *id = v->id ? v->id : "";

	cs_buf_reset(b);
	if (cs_str_starts(id, "CVE-"))
		cs_buf_printf(b, "https://nvd.nist.gov/vuln/detail/%s", id);
	else if (cs_str_starts(id, "GHSA-"))
		cs_buf_printf(b, "https://github.com/advisories/%s", id);
	else if (v->nreferences)
		cs_buf_puts(b, v->references[0]);
	else
		cs_buf_printf(b, "https://osv.dev/vulnerability/%s", id);
	return b->data ? b->data : "";
}

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * CVSS: {SourceID: {V2Vector, V3Vector, V40Vector, V2Score, V3Score,
 * V40Score}}, sources in name order (Go writes map keys sorted), for each
 * CVSS version the first vector that source gave. NULL when there is none.
 */
static cJSON *cvss_json(const cs_vuln *v)
{
	const char **ids;
	cJSON *all;
	size_t i, j, n = 0;

	if (!v->ncvss || !(ids = calloc(v->ncvss, sizeof(*ids))))
		return NULL;
	for (i = 0; i < v->ncvss; i++) {
		const char *id = source_id(v->cvss[i].source ? v->cvss[i].source : v->data_source);

		if (!id)
			continue;
		for (j = 0; j < n && strcmp(ids[j], id); j++)
			;
		if (j == n)
			ids[n++] = id;
	}
	qsort(ids, n, sizeof(*ids), cmp_str_ptr);
	all = cJSON_CreateObject();
	for (j = 0; j < n; j++) {
		const cs_cvss *by_major[5] = {NULL, NULL, NULL, NULL, NULL};
		static const struct {
			int major;
			const char *vector, *score;
		} slots[] = {{2, "V2Vector", "V2Score"}, {3, "V3Vector", "V3Score"}, {4, "V40Vector", "V40Score"}};
		cJSON *o = cJSON_CreateObject();
		size_t k;

		for (i = 0; i < v->ncvss; i++) {
			const cs_cvss *c = &v->cvss[i];
			const char *id = source_id(c->source ? c->source : v->data_source);
			int major = c->version ? c->version[0] - '0' : 0;

			if (id && !strcmp(id, ids[j]) && major >= 2 && major <= 4 && !by_major[major])
				by_major[major] = c;
		}
		for (k = 0; k < CS_ARRAY_LEN(slots); k++)
			if (by_major[slots[k].major])
				add_str(o, slots[k].vector, by_major[slots[k].major]->vector);
		for (k = 0; k < CS_ARRAY_LEN(slots); k++)
			if (by_major[slots[k].major] && by_major[slots[k].major]->score > 0)
				cJSON_AddNumberToObject(o, slots[k].score, by_major[slots[k].major]->score);
		cJSON_AddItemToObject(all, ids[j], o);
	}
	free(ids);
	return all;
}

static cJSON *vuln_json(cs_buf *b, const cs_scan *s, const cs_rtarget *t, const cs_vuln *v)
{
	const cs_package *p = v->package;
	cJSON *o = cJSON_CreateObject(), *cvss;

	add_str(o, "VulnerabilityID", v->id);
	add_str_array(o, "VendorIDs", v->aliases, v->naliases);
	add_str(o, "PkgID", package_id(b, p, t->cls == CS_RTARGET_OS ? "" : t->type));
	add_str(o, "PkgName", p->name);
	if (t->aggregated)
		add_file_path(o, "PkgPath", b, p->found_in);
	cJSON_AddItemToObject(o, "PkgIdentifier", identifier(b, p));
	add_str(o, "InstalledVersion", p->version ? p->version : v->installed_version);
	add_str_always(o, "FixedVersion", v->fixed_version);
	add_str(o, "Status", status_word(v));
	add_layer(o, s, p->layer, false);
	add_str(o, "SeveritySource", severity_source(v));
	add_str_always(o, "PrimaryURL", primary_url(b, v));
	if (v->data_source && *v->data_source)
		cJSON_AddItemToObject(o, "DataSource", data_source(v->data_source));
	add_str_always(o, "Title", v->title);
	/* customs keeps one text per finding (the advisory's summary, else NVD's description) */
	add_str_always(o, "Description", v->title);
	add_str(o, "Severity", cs_rtarget_severity(v->severity));
	if ((cvss = cvss_json(v)) != NULL)
		cJSON_AddItemToObject(o, "CVSS", cvss);
	add_str_array(o, "References", v->references, v->nreferences);
	return o;
}

/* --- secrets -------------------------------------------------------------- */

/*
 * Code.Lines: Trivy quotes the lines around the finding; customs keeps only
 * the redacted match, which becomes the one cause line.
 */
static cJSON *secret_code(const cs_secret *f)
{
	cJSON *code = cJSON_CreateObject(), *lines = cJSON_AddArrayToObject(code, "Lines");
	cJSON *l = cJSON_CreateObject();

	cJSON_AddNumberToObject(l, "Number", (double)f->line);
	add_str_always(l, "Content", f->match);
	cJSON_AddBoolToObject(l, "IsCause", true);
	add_str_always(l, "Annotation", "");
	cJSON_AddBoolToObject(l, "Truncated", false);
	add_str(l, "Highlighted", f->match);
	cJSON_AddBoolToObject(l, "FirstCause", true);
	cJSON_AddBoolToObject(l, "LastCause", true);
	cJSON_AddItemToArray(lines, l);
	return code;
}

static cJSON *secret_json(const cs_scan *s, const cs_secret *f)
{
	cJSON *o = cJSON_CreateObject();

	add_str_always(o, "RuleID", f->rule_id);
	add_str_always(o, "Category", f->category);
	add_str_always(o, "Severity", cs_rtarget_severity(f->severity));
	add_str_always(o, "Title", f->title);
	cJSON_AddNumberToObject(o, "StartLine", (double)f->line);
	cJSON_AddNumberToObject(o, "EndLine", (double)f->line);
	cJSON_AddItemToObject(o, "Code", secret_code(f));
	add_str_always(o, "Match", f->match);
	add_layer(o, s, f->layer, true);
	return o;
}

/* --- misconfigurations ---------------------------------------------------- */

/*
 * One misconfiguration in the shape of Trivy's DetectedMisconfiguration.
 * customs' check id stands for both ID and AVDID (there is no AVD entry);
 * Namespace and Query follow Trivy's naming ("customs.dockerfile.<ID>",
 * "data.<Namespace>.deny") but name no Rego. The cause is the Dockerfile
 * line, or for the image's own checks the file or config member
 * (Resource); customs keeps no source text, so Code.Lines is null, as
 * Trivy writes it for a cause without lines.
 */
static cJSON *misconfig_json(cs_buf *b, const cs_scan *s, const cs_misconfig *m)
{
	const char *kind = m->dockerfile ? "dockerfile" : "image";
	const cs_layer *l = cs_rtarget_layer(s, m->layer);
	cJSON *o = cJSON_CreateObject(), *lo, *cm, *code;
	char *ns;

	add_str_always(o, "Type", m->dockerfile ? "Dockerfile Security Check" : "Container Image Security Check");
	add_str_always(o, "ID", m->id);
	add_str_always(o, "AVDID", m->id);
	add_str_always(o, "Title", m->title);
	add_str_always(o, "Description", m->description);
	add_str_always(o, "Message", m->message && *m->message ? m->message : m->title);
	cs_buf_reset(b);
	cs_buf_printf(b, "customs.%s.%s", kind, m->id ? m->id : "");
	ns = b->data ? strdup(b->data) : NULL;
	add_str(o, "Namespace", ns);
	cs_buf_reset(b);
	cs_buf_printf(b, "data.%s.deny", ns ? ns : "");
	add_str(o, "Query", ns ? b->data : NULL);
	free(ns);
	add_str_always(o, "Resolution", m->resolution);
	add_str_always(o, "Severity", cs_rtarget_severity(m->severity));
	add_str_always(o, "PrimaryURL", "");
	if (m->cis && *m->cis) {
		/* CIS publishes its benchmarks behind a form: the item number is the reference */
		cs_buf_reset(b);
		cs_buf_printf(b, "CIS Docker Benchmark %s", m->cis);
		if (b->data) {
			cJSON *refs = cJSON_AddArrayToObject(o, "References");

			cJSON_AddItemToArray(refs, cs_rutil_json_string(b->data));
		}
	}
	add_str_always(o, "Status", "FAIL");
	/* Trivy writes Layer for every misconfiguration, {} when it has none */
	lo = cJSON_AddObjectToObject(o, "Layer");
	if (l) {
		add_str(lo, "Digest", l->digest);
		add_str(lo, "DiffID", l->diff_id);
		add_str(lo, "CreatedBy", cs_rtarget_created_by(l->created_by));
	}
	cm = cJSON_AddObjectToObject(o, "CauseMetadata");
	add_str(cm, "Resource", m->path);
	add_str_always(cm, "Provider", m->dockerfile ? "Dockerfile" : "Image");
	add_str_always(cm, "Service", "general");
	if (m->dockerfile && m->line) {
		cJSON_AddNumberToObject(cm, "StartLine", (double)m->line);
		cJSON_AddNumberToObject(cm, "EndLine", (double)m->line);
	}
	code = cJSON_AddObjectToObject(cm, "Code");
	cJSON_AddNullToObject(code, "Lines");
	return o;
}

/* --- suppressed findings ---------------------------------------------------- */

/*
 * Trivy's FindingStatus for a suppression: "ignored" for an ignore-file
 * entry or a baseline (Trivy's word for .trivyignore), the VEX status for a
 * VEX statement ("not_affected", "fixed"; CycloneDX's "resolved" is
 * "fixed", its "false_positive" "not_affected"), "unknown" otherwise.
 */
static const char *finding_status(const cs_suppression *u, const char **statement)
{
	static const char *const vex[][2] = {
		{"not_affected", "not_affected"}, {"fixed", "fixed"},		 {"resolved", "fixed"},
		{"resolved_with_pedigree", "fixed"}, {"false_positive", "not_affected"}, {"affected", "affected"},
		{"under_investigation", "under_investigation"},
	};
	const char *status;
	char word[32];
	size_t i;

	cs_rutil_vex_reason(u, word, sizeof(word), &status, statement);
	if (strcmp(u->kind, "vex") != 0)
		return "ignored";
	for (i = 0; status && i < CS_ARRAY_LEN(vex); i++)
		if (!strcmp(status, vex[i][0])) {
			/* the statement is the justification; the status alone says "fixed" */
			if (!*statement)
				*statement = u->reason;
			return vex[i][1];
		}
	*statement = u->reason;
	return "unknown";
}

/*
 * One entry of Trivy's ExperimentalModifiedFindings (what --show-suppressed
 * writes): the finding as it would have been listed, with why it is not.
 */
static cJSON *modified_json(const char *type, const cs_suppression *u, cJSON *finding)
{
	cJSON *o = cJSON_CreateObject();
	const char *statement = NULL, *status = finding_status(u, &statement);

	add_str_always(o, "Type", type);
	add_str_always(o, "Status", status);
	add_str_always(o, "Statement", statement);
	add_str_always(o, "Source", u->source);
	cJSON_AddItemToObject(o, "Finding", finding);
	return o;
}

/* --- the report ----------------------------------------------------------- */

/* Suppressed findings are not listed with the others but in ExperimentalModifiedFindings, as Trivy does. */
static cJSON *result_json(cs_buf *b, const cs_scan *s, const cs_rtarget *t)
{
	cJSON *o = cJSON_CreateObject(), *arr = NULL, *mod = cJSON_CreateArray();
	size_t i, n;

	add_str_always(o, "Target", t->name);
	add_str(o, "Class", cs_rtarget_class_name(t->cls));
	add_str(o, "Type", t->type);
	if (t->npkgs) {
		arr = cJSON_AddArrayToObject(o, "Packages");
		for (i = 0; i < t->npkgs; i++)
			cJSON_AddItemToArray(arr, package_json(b, s, t, t->pkgs[i]));
	}
	for (i = 0, arr = NULL; i < t->nvulns; i++) {
		const cs_vuln *v = t->vulns[i];

		if (v->suppressed.kind) {
			cJSON_AddItemToArray(mod,
					     modified_json("vulnerability", &v->suppressed, vuln_json(b, s, t, v)));
			continue;
		}
		if (!arr)
			arr = cJSON_AddArrayToObject(o, "Vulnerabilities");
		cJSON_AddItemToArray(arr, vuln_json(b, s, t, v));
	}
	if (t->cls == CS_RTARGET_CONFIG) {
		cJSON *sum = cJSON_AddObjectToObject(o, "MisconfSummary");

		for (i = 0, n = 0; i < t->nmisconfigs; i++)
			n += t->misconfigs[i]->suppressed.kind == NULL;
		/* customs does not count the checks that passed */
		cJSON_AddNumberToObject(sum, "Successes", 0);
		cJSON_AddNumberToObject(sum, "Failures", (double)n);
		cJSON_AddNumberToObject(sum, "Exceptions", 0);
	}
	for (i = 0, arr = NULL; i < t->nmisconfigs; i++) {
		const cs_misconfig *m = t->misconfigs[i];

		if (m->suppressed.kind) {
			cJSON_AddItemToArray(mod, modified_json("misconfiguration", &m->suppressed,
								misconfig_json(b, s, m)));
			continue;
		}
		if (!arr)
			arr = cJSON_AddArrayToObject(o, "Misconfigurations");
		cJSON_AddItemToArray(arr, misconfig_json(b, s, m));
	}
	for (i = 0, arr = NULL; i < t->nsecrets; i++) {
		const cs_secret *f = t->secrets[i];

		if (f->suppressed.kind) {
			cJSON_AddItemToArray(mod, modified_json("secret", &f->suppressed, secret_json(s, f)));
			continue;
		}
		if (!arr)
			arr = cJSON_AddArrayToObject(o, "Secrets");
		cJSON_AddItemToArray(arr, secret_json(s, f));
	}
	if (cJSON_GetArraySize(mod) > 0)
		cJSON_AddItemToObject(o, "ExperimentalModifiedFindings", mod);
	else
		cJSON_Delete(mod);
	return o;
}

/* "repo@digest" for each repository the tags name, once each, when the manifest digest is known. */
static void add_repo_digests(cJSON *meta, cs_buf *b, const cs_artifact *a)
{
	cJSON *arr = NULL;
	size_t i, j;

	if (!a->manifest_digest || !*a->manifest_digest)
		return;
	for (i = 0; i < a->nrepo_tags; i++) {
		const char *tag = a->repo_tags[i], *slash = strrchr(tag, '/'), *colon = strrchr(tag, ':');
		size_t n = colon && (!slash || colon > slash) ? (size_t)(colon - tag) : strlen(tag);
		bool seen = false;

		cs_buf_reset(b);
		cs_buf_printf(b, "%.*s@%s", (int)n, tag, a->manifest_digest);
		if (!b->data)
			continue;
		for (j = 0; arr && j < (size_t)cJSON_GetArraySize(arr); j++)
			seen |= !strcmp(cJSON_GetArrayItem(arr, (int)j)->valuestring, b->data);
		if (seen)
			continue;
		if (!arr)
			arr = cJSON_AddArrayToObject(meta, "RepoDigests");
		cJSON_AddItemToArray(arr, cs_rutil_json_string(b->data));
	}
}

/* ImageConfig: the subset of the image config the scan keeps (no history, no runtime config). */
static cJSON *image_config(const cs_scan *s, const cs_artifact *a)
{
	cJSON *o = cJSON_CreateObject(), *rootfs, *ids;
	size_t i;

	add_str_always(o, "architecture", a->arch);
	add_str_always(o, "os", a->os);
	rootfs = cJSON_AddObjectToObject(o, "rootfs");
	cJSON_AddStringToObject(rootfs, "type", "layers");
	ids = cJSON_AddArrayToObject(rootfs, "diff_ids");
	for (i = 0; i < cs_scan_layer_count(s); i++)
		cJSON_AddItemToArray(ids, cs_rutil_json_string(cs_scan_layer(s, i)->diff_id));
	cJSON_AddObjectToObject(o, "config");
	add_str(o, "variant", a->variant);
	return o;
}

static cJSON *metadata_json(cs_buf *b, const cs_scan *s)
{
	const cs_artifact *a = cs_scan_artifact(s);
	const cs_os *os = cs_scan_os(s);
	bool image = !cs_scan_is_rootfs(s);
	cJSON *m = cJSON_CreateObject(), *arr;
	uint64_t size = 0;
	size_t i;

	for (i = 0; image && i < cs_scan_layer_count(s); i++)
		size += cs_scan_layer(s, i)->size;
	if (size)
		cJSON_AddNumberToObject(m, "Size", (double)size);
	if (os && os->family && *os->family) {
		cJSON *oo = cJSON_AddObjectToObject(m, "OS");

		add_str_always(oo, "Family", os->family);
		add_str_always(oo, "Name", os->version);
	}
	if (!image)
		return m;
	add_str(m, "ImageID", a->image_id);
	if (cs_scan_layer_count(s)) {
		arr = cJSON_AddArrayToObject(m, "DiffIDs");
		for (i = 0; i < cs_scan_layer_count(s); i++)
			cJSON_AddItemToArray(arr, cs_rutil_json_string(cs_scan_layer(s, i)->diff_id));
	}
	add_str_array(m, "RepoTags", a->repo_tags, a->nrepo_tags);
	add_repo_digests(m, b, a);
	cJSON_AddItemToObject(m, "ImageConfig", image_config(s, a));
	if (cs_scan_layer_count(s)) {
		arr = cJSON_AddArrayToObject(m, "Layers");
		for (i = 0; i < cs_scan_layer_count(s); i++) {
			const cs_layer *l = cs_scan_layer(s, i);
			cJSON *lo = cJSON_CreateObject();

			if (l->size)
				cJSON_AddNumberToObject(lo, "Size", (double)l->size);
			add_str(lo, "Digest", l->digest);
			add_str(lo, "DiffID", l->diff_id);
			cJSON_AddItemToArray(arr, lo);
		}
	}
	return m;
}

/* Trivy's ArtifactType: "container_image", "filesystem" for a root filesystem, else customs' type. */
static const char *artifact_type(const cs_scan *s)
{
	const char *t = cs_scan_artifact(s)->type;

	if (t && !strcmp(t, "rootfs"))
		return "filesystem";
	return t;
}

int cs_report_trivy_json(FILE *out, const cs_scan *s, const cs_report_opts *o, cs_err *err)
{
	cs_rtargets targets;
	cs_buf b;
	cJSON *root, *results;
	char now[32];
	size_t i;
	int code;

	if ((code = cs_rtargets_build(&targets, s, err)) < 0) {
		cs_rtargets_release(&targets);
		return code;
	}
	cs_buf_init(&b, 0);
	root = cJSON_CreateObject();
	if (root) {
		cJSON_AddNumberToObject(root, "SchemaVersion", TRIVY_SCHEMA_VERSION);
		cs_rutil_time(o->now, now, sizeof(now));
		cJSON_AddStringToObject(root, "CreatedAt", now);
		add_str(root, "ArtifactName", cs_scan_artifact(s)->name);
		add_str(root, "ArtifactType", artifact_type(s));
		cJSON_AddItemToObject(root, "Metadata", metadata_json(&b, s));
		results = cJSON_AddArrayToObject(root, "Results");
		for (i = 0; i < targets.len; i++)
			cJSON_AddItemToArray(results, result_json(&b, s, &targets.items[i]));
	}
	cs_buf_release(&b);
	cs_rtargets_release(&targets);
	return cs_rutil_write_json(out, root, true, err);
}
