/*
 * osv.c - the OSV importer: OSV records (https://ossf.github.io/osv-schema/)
 * in JSON, as osv.dev, the Go vulnerability database, GitHub and RustSec
 * publish them, or in YAML, as PyPA's advisory-database keeps them.
 *
 * A file holds one record (an object), or several (a JSON array, a YAML
 * stream of documents). YAML is turned into the same cJSON tree JSON
 * parses to, so one walk reads both. Each record becomes one
 * cs_vdb_advisory handed to the sink; a record with a problem (no id, an
 * unknown ecosystem, a malformed range, a field of the wrong type, a
 * version of more than 256 bytes) is reported through sink->bad, whole, and
 * skipped: the walk validates everything before anything reaches the sink.
 * A file that does not parse is one bad record, never a fatal error.
 */
#include "core/compat.h"
#include "vulndb/import.h"
#include "core/json.h"

#include <ctype.h>
#include <stdarg.h>
#include <strings.h>
#include <yaml.h>

#define OSV_MAX_ID 256        /* bytes: ids and aliases */
#define OSV_MAX_VERSION 256   /* bytes: one version in a range event or versions[] */
#define OSV_MAX_ECOSYSTEM 256 /* bytes */
#define OSV_MAX_PACKAGE 1024  /* bytes: a package name (Go module paths, Swift URLs) */
#define OSV_YAML_DEPTH 64     /* nesting of YAML collections; OSV needs 5 */

/* ---- one record ------------------------------------------------------- */

typedef struct rec_ctx {
	cs_arena *a;     /* scratch for the record's arrays */
	const char *id;  /* the record's id once read, for messages */
	char why[512];   /* the first problem found */
	bool bad;
} rec_ctx;

static bool fail(rec_ctx *c, const char *fmt, ...) CS_PRINTF(2, 3);

/* Records the first problem of the record; returns false for `return fail(...)`. */
static bool fail(rec_ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->bad) {
		c->bad = true;
		va_start(ap, fmt);
		vsnprintf(c->why, sizeof(c->why), fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Member key of obj: absent or null gives *out = NULL; a string is checked. */
static bool get_str(rec_ctx *c, const cJSON *obj, const char *key, const char *path, size_t max, bool word,
		    const char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsString(v) || !v->valuestring)
		return fail(c, "%s%s: expected a string", path, key);
	if (max && strlen(v->valuestring) > max)
		return fail(c, "%s%s: longer than %zu bytes", path, key, max);
	if (word && (!*v->valuestring || has_ctl(v->valuestring)))
		return fail(c, "%s%s: empty or with control characters", path, key);
	*out = v->valuestring;
	return true;
}

/* Member key of obj as an array (or absent/null: *out = NULL). */
static bool get_arr(rec_ctx *c, const cJSON *obj, const char *key, const char *path, const cJSON **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsArray(v))
		return fail(c, "%s%s: expected an array", path, key);
	*out = v;
	return true;
}

/* An array of short strings (aliases, versions) copied into an arena array. */
static bool str_list(rec_ctx *c, const cJSON *arr, const char *what, size_t max, const char *const **out,
		     size_t *n)
{
	size_t len = (size_t)cJSON_GetArraySize(arr), i = 0;
	const char **v;
	const cJSON *e;

	*out = NULL;
	*n = 0;
	if (!len)
		return true;
	v = cs_arena_calloc(c->a, len, sizeof(*v));
	if (!v)
		return fail(c, "out of memory");
	cJSON_ArrayForEach(e, arr)
	{
		if (!cJSON_IsString(e) || !e->valuestring)
			return fail(c, "%s[%zu]: expected a string", what, i);
		if (strlen(e->valuestring) > max)
			return fail(c, "%s[%zu]: longer than %zu bytes", what, i, max);
		if (!*e->valuestring || has_ctl(e->valuestring))
			return fail(c, "%s[%zu]: empty or with control characters", what, i);
		v[i++] = e->valuestring;
	}
	*out = v;
	*n = i;
	return true;
}

/*
 * The overall severity word: critical, high, medium, low, or unknown.
 * GitHub says "MODERATE", Red Hat "important", Debian "unimportant".
 */
static const char *severity_word(const char *s)
{
	static const struct {
		const char *in, *out;
	} words[] = {
		{"critical", "critical"}, {"high", "high"},   {"important", "high"},  {"medium", "medium"},
		{"moderate", "medium"},   {"low", "low"},     {"negligible", "low"},  {"minor", "low"},
		{"unimportant", "low"},   {"none", "unknown"}, {"unknown", "unknown"},
	};
	size_t i;

	if (!s || !*s)
		return NULL;
	for (i = 0; i < CS_ARRAY_LEN(words); i++)
		if (strcasecmp(s, words[i].in) == 0)
			return words[i].out;
	return "unknown";
}

/* A string member severity of an object member key of obj (free-form: other types are ignored). */
static const char *free_form_severity(const cJSON *obj, const char *key)
{
	return severity_word(cs_json_str(cs_json_obj(obj, key), "severity"));
}

/*
 * Red Hat's errata and their rebuilds (AlmaLinux ALSA, Rocky RLSA) state
 * the vendor's impact only as the synopsis prefix: "Moderate: avahi
 * security update". The word is the vendor's rating of the advisory.
 */
static const char *synopsis_severity(const char *id, const char *summary)
{
	static const char *const ids[] = {"RHSA-", "ALSA-", "RLSA-"};
	static const char *const words[] = {"Critical", "Important", "Moderate", "Low"};
	size_t i, n;

	if (!id || !summary)
		return NULL;
	for (i = 0; i < CS_ARRAY_LEN(ids); i++)
		if (strncmp(id, ids[i], strlen(ids[i])) == 0)
			break;
	if (i == CS_ARRAY_LEN(ids))
		return NULL;
	for (i = 0; i < CS_ARRAY_LEN(words); i++) {
		n = strlen(words[i]);
		if (strncmp(summary, words[i], n) == 0 && summary[n] == ':')
			return severity_word(words[i]);
	}
	return NULL;
}

/* The CVSS version a vector names ("CVSS:3.1/..." -> "3.1"), else the one its type implies. */
static const char *cvss_version(rec_ctx *c, const char *type, const char *vector)
{
	if (strncmp(vector, "CVSS:", 5) == 0) {
		const char *end = strchr(vector + 5, '/');
		size_t n = end ? (size_t)(end - vector - 5) : 0;

		if (n == 3 && memcmp(vector + 5, "3.0", 3) == 0)
			return "3.0";
		if (n == 3 && memcmp(vector + 5, "3.1", 3) == 0)
			return "3.1";
		if (n == 3 && memcmp(vector + 5, "4.0", 3) == 0)
			return "4.0";
		if (n > 0 && n <= 8)
			return cs_arena_strndup(c->a, vector + 5, n);
	}
	if (strcmp(type, "CVSS_V2") == 0)
		return "2.0";
	if (strcmp(type, "CVSS_V4") == 0)
		return "4.0";
	return NULL; /* a CVSS_V3 vector without its prefix: which 3.x is unknown */
}

/* severity[]: CVSS vectors to cvss, any other type's word to *word. */
static bool parse_severity(rec_ctx *c, const cJSON *arr, cs_vdb_advisory *adv, const char **word)
{
	size_t len = (size_t)cJSON_GetArraySize(arr), i = 0, n = 0;
	cs_vdb_cvss *v;
	const cJSON *e;

	if (!len)
		return true;
	v = cs_arena_calloc(c->a, len, sizeof(*v));
	if (!v)
		return fail(c, "out of memory");
	cJSON_ArrayForEach(e, arr)
	{
		char path[32];
		const char *type, *score;

		snprintf(path, sizeof(path), "severity[%zu].", i++);
		if (!cJSON_IsObject(e))
			return fail(c, "%.*s: expected an object", (int)strlen(path) - 1, path);
		if (!get_str(c, e, "type", path, 64, true, &type) || !get_str(c, e, "score", path, 1024, true, &score))
			return false;
		if (!type || !score)
			return fail(c, "%s%s: missing", path, type ? "score" : "type");
		if (strncmp(type, "CVSS_V", 6) == 0) {
			v[n].version = cvss_version(c, type, score);
			v[n].vector = score;
			v[n].score = -1;
			n++;
		} else if (!*word) {
			*word = severity_word(score); /* "Ubuntu": "medium" */
		}
	}
	adv->cvss = v;
	adv->ncvss = n;
	return true;
}

/*
 * One ranges[] entry of type SEMVER or ECOSYSTEM into out[*n...]: each
 * "introduced" opens a range that the next "fixed" or "last_affected"
 * closes (a second "introduced" while one is open changes nothing, as in
 * OSV's evaluation of sorted events); a range still open at the end is
 * affected from its start on. A "limit" bounds every range of the entry.
 */
static bool parse_events(rec_ctx *c, const cJSON *events, const char *path, cs_vdb_range *out, size_t *n)
{
	const char *open = NULL, *limit = NULL;
	bool opened = false, any_intro = false;
	size_t first = *n, i = 0, k;
	const cJSON *e;

	cJSON_ArrayForEach(e, events)
	{
		static const char *const keys[] = {"introduced", "fixed", "last_affected", "limit"};
		const char *key, *val;

		if (!cJSON_IsObject(e) || !e->child || e->child->next)
			return fail(c, "%sevents[%zu]: expected an object with one member", path, i);
		key = e->child->string;
		for (k = 0; k < CS_ARRAY_LEN(keys); k++)
			if (key && strcmp(key, keys[k]) == 0)
				break;
		if (k == CS_ARRAY_LEN(keys))
			return fail(c, "%sevents[%zu]: unknown event '%.64s'", path, i, key ? key : "");
		val = cJSON_IsString(e->child) ? e->child->valuestring : NULL;
		if (!val)
			return fail(c, "%sevents[%zu].%s: expected a string", path, i, key);
		if (!*val || has_ctl(val))
			return fail(c, "%sevents[%zu].%s: empty or with control characters", path, i, key);
		if (strlen(val) > OSV_MAX_VERSION)
			return fail(c, "%sevents[%zu].%s: version longer than %d bytes", path, i, key,
				    OSV_MAX_VERSION);
		if (k == 0) {
			if (!opened)
				open = val;
			opened = any_intro = true;
		} else if (k == 3) {
			if (!limit)
				limit = val;
		} else {
			if (!opened)
				return fail(c, "%sevents[%zu].%s: no 'introduced' before it", path, i, key);
			out[*n].introduced = open;
			out[*n].fixed = k == 1 ? val : NULL;
			out[*n].last_affected = k == 2 ? val : NULL;
			(*n)++;
			opened = false;
		}
		i++;
	}
	if (!any_intro)
		return fail(c, "%sevents: no 'introduced' event", path);
	if (opened) {
		out[*n].introduced = open;
		(*n)++;
	}
	for (k = first; k < *n; k++)
		out[k].limit = limit;
	return true;
}

/* One affected[] entry; *keep is false for an entry with no package (GIT-only). */
static bool parse_affected(rec_ctx *c, const cJSON *e, size_t idx, cs_vdb_affected *out, bool *keep)
{
	const cJSON *pkg, *ranges, *versions, *r;
	size_t nevents = 0, i = 0;
	cs_vdb_range *rv = NULL;
	char path[48], sub[96];

	*keep = false;
	snprintf(path, sizeof(path), "affected[%zu].", idx);
	if (!cJSON_IsObject(e))
		return fail(c, "affected[%zu]: expected an object", idx);
	pkg = cJSON_GetObjectItemCaseSensitive(e, "package");
	if (pkg && !cJSON_IsNull(pkg)) {
		if (!cJSON_IsObject(pkg))
			return fail(c, "%spackage: expected an object", path);
		snprintf(sub, sizeof(sub), "%spackage.", path);
		if (!get_str(c, pkg, "ecosystem", sub, OSV_MAX_ECOSYSTEM, true, &out->ecosystem) ||
		    !get_str(c, pkg, "name", sub, OSV_MAX_PACKAGE, true, &out->package))
			return false;
		if (!out->ecosystem || !out->package)
			return fail(c, "%s%s: missing", sub, out->ecosystem ? "name" : "ecosystem");
		if (!cs_vdb_ecosystem_known(out->ecosystem))
			return fail(c, "%secosystem: unknown ecosystem '%s'", sub, out->ecosystem);
	}
	if (!get_arr(c, e, "ranges", path, &ranges) || !get_arr(c, e, "versions", path, &versions))
		return false;

	/* Every event can close at most one range: the events bound the ranges. */
	cJSON_ArrayForEach(r, ranges)
	{
		const cJSON *ev = cJSON_IsObject(r) ? cJSON_GetObjectItemCaseSensitive(r, "events") : NULL;

		nevents += cJSON_IsArray(ev) ? (size_t)cJSON_GetArraySize(ev) : 0;
	}
	if (nevents && !(rv = cs_arena_calloc(c->a, nevents, sizeof(*rv))))
		return fail(c, "out of memory");
	cJSON_ArrayForEach(r, ranges)
	{
		const char *type;
		const cJSON *events;

		snprintf(sub, sizeof(sub), "%sranges[%zu].", path, i++);
		if (!cJSON_IsObject(r))
			return fail(c, "%.*s: expected an object", (int)strlen(sub) - 1, sub);
		if (!get_str(c, r, "type", sub, 64, true, &type) || !get_arr(c, r, "events", sub, &events))
			return false;
		if (!type)
			return fail(c, "%stype: missing", sub);
		if (strcmp(type, "GIT") == 0)
			continue; /* commits, not versions */
		if (strcmp(type, "SEMVER") != 0 && strcmp(type, "ECOSYSTEM") != 0)
			return fail(c, "%stype: unknown range type '%s'", sub, type);
		if (!events || !cJSON_GetArraySize(events))
			return fail(c, "%sevents: missing or empty", sub);
		if (!parse_events(c, events, sub, rv, &out->nranges))
			return false;
	}
	out->ranges = rv;
	if (versions) {
		snprintf(sub, sizeof(sub), "%sversions", path);
		if (!str_list(c, versions, sub, OSV_MAX_VERSION, &out->versions, &out->nversions))
			return false;
	}
	out->severity = free_form_severity(e, "ecosystem_specific");
	if (!out->severity)
		out->severity = free_form_severity(e, "database_specific");
	*keep = out->package != NULL;
	return true;
}

static bool parse_references(rec_ctx *c, const cJSON *arr, cs_vdb_advisory *adv)
{
	size_t len = (size_t)cJSON_GetArraySize(arr), i = 0, n = 0;
	const char **v;
	const cJSON *e;

	if (!len)
		return true;
	v = cs_arena_calloc(c->a, len, sizeof(*v));
	if (!v)
		return fail(c, "out of memory");
	cJSON_ArrayForEach(e, arr)
	{
		char path[40];
		const char *url;

		snprintf(path, sizeof(path), "references[%zu].", i++);
		if (!cJSON_IsObject(e))
			return fail(c, "%.*s: expected an object", (int)strlen(path) - 1, path);
		if (!get_str(c, e, "url", path, 0, false, &url))
			return false;
		if (url && *url)
			v[n++] = url;
	}
	adv->references = v;
	adv->nreferences = n;
	return true;
}

/*
 * OSV 1.7's upstream[] (the CVE an UBUNTU-CVE-... or DEBIAN-CVE-... record
 * derives from) joins the aliases: for lookups and reports both name the
 * same vulnerability.
 */
static bool add_upstream(rec_ctx *c, const cJSON *arr, cs_vdb_advisory *adv)
{
	const char *const *up;
	const char **all;
	size_t n;

	if (!str_list(c, arr, "upstream", OSV_MAX_ID, &up, &n))
		return false;
	if (!n)
		return true;
	all = cs_arena_calloc(c->a, adv->naliases + n, sizeof(*all));
	if (!all)
		return fail(c, "out of memory");
	if (adv->naliases)
		memcpy(all, adv->aliases, adv->naliases * sizeof(*all));
	memcpy(all + adv->naliases, up, n * sizeof(*all));
	adv->aliases = all;
	adv->naliases += n;
	return true;
}

/* Fills adv from record r (strings borrowed from r); false with c->why set when r is bad. */
static bool parse_record(rec_ctx *c, const cJSON *r, const char *file, cs_vdb_advisory *adv)
{
	const cJSON *aliases, *upstream, *severity, *affected, *references, *e;
	const char *word = NULL;
	size_t i = 0, n = 0;
	cs_vdb_affected *av;

	memset(adv, 0, sizeof(*adv));
	adv->file = file;
	if (!cJSON_IsObject(r))
		return fail(c, "not an OSV record: expected an object");
	if (!get_str(c, r, "id", "", OSV_MAX_ID, true, &adv->id))
		return false;
	if (!adv->id)
		return fail(c, "id: missing");
	c->id = adv->id;
	if (!get_str(c, r, "summary", "", 0, false, &adv->summary) ||
	    !get_str(c, r, "details", "", 0, false, &adv->details) ||
	    !get_str(c, r, "published", "", 64, false, &adv->published) ||
	    !get_str(c, r, "modified", "", 64, false, &adv->modified) ||
	    !get_str(c, r, "withdrawn", "", 64, false, &adv->withdrawn))
		return false;
	if (!get_arr(c, r, "aliases", "", &aliases) || !get_arr(c, r, "upstream", "", &upstream) ||
	    !get_arr(c, r, "severity", "", &severity) || !get_arr(c, r, "affected", "", &affected) ||
	    !get_arr(c, r, "references", "", &references))
		return false;
	if (aliases && !str_list(c, aliases, "aliases", OSV_MAX_ID, &adv->aliases, &adv->naliases))
		return false;
	if (upstream && !add_upstream(c, upstream, adv))
		return false;
	if (severity && !parse_severity(c, severity, adv, &word))
		return false;
	/* GitHub's word beats a vendor word found in severity[]. */
	adv->severity = free_form_severity(r, "database_specific");
	if (!adv->severity)
		adv->severity = word;
	if (!adv->severity)
		adv->severity = synopsis_severity(adv->id, adv->summary);
	if (references && !parse_references(c, references, adv))
		return false;
	if (affected && cJSON_GetArraySize(affected)) {
		av = cs_arena_calloc(c->a, (size_t)cJSON_GetArraySize(affected), sizeof(*av));
		if (!av)
			return fail(c, "out of memory");
		cJSON_ArrayForEach(e, affected)
		{
			bool keep;

			if (!parse_affected(c, e, i++, &av[n], &keep))
				return false;
			if (keep)
				n++;
			else
				memset(&av[n], 0, sizeof(av[n]));
		}
		adv->affected = av;
		adv->naffected = n;
	}
	return true;
}

/*
 * Checks and sends one record. Returns 0 (also for a bad record, which is
 * reported), or the sink's negative code.
 */
static int emit(const cJSON *r, const char *name, const char *where, const cs_vdb_sink *sink, cs_arena *scratch,
		cs_err *err)
{
	rec_ctx c;
	cs_vdb_advisory adv;

	memset(&c, 0, sizeof(c));
	c.a = scratch;
	if (!parse_record(&c, r, name, &adv)) {
		char why[700];

		snprintf(why, sizeof(why), "%s%s%s%s%s", where, *where ? ": " : "", c.id ? c.id : "",
			 c.id ? ": " : "", c.why);
		sink->bad(sink->payload, name, why);
		return 0;
	}
	return sink->advisory(sink->payload, &adv, err);
}

/* ---- JSON ------------------------------------------------------------- */

static size_t skip_bom(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf ? 3 : 0;
}

static int import_json(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink,
		       cs_arena *scratch, cs_err *err)
{
	size_t off = skip_bom(data, len);
	cs_err perr;
	cJSON *root, *e;
	int code = 0;

	cs_err_clear(&perr);
	root = cs_json_parse((const char *)data + off, len - off, "OSV record", &perr);
	if (!root) {
		sink->bad(sink->payload, name, perr.msg);
		return 0;
	}
	if (cJSON_IsArray(root)) {
		size_t i = 0;

		cJSON_ArrayForEach(e, root)
		{
			char where[32];

			snprintf(where, sizeof(where), "[%zu]", i++);
			if ((code = emit(e, name, where, sink, scratch, err)) < 0)
				break;
		}
	} else {
		code = emit(root, name, "", sink, scratch, err);
	}
	cJSON_Delete(root);
	return code;
}

/* ---- YAML ------------------------------------------------------------- */

/*
 * A plain scalar as YAML 1.2's core schema reads nulls and booleans; every
 * other scalar stays text, so "4.0" and "0" remain the versions they spell
 * (a YAML number would turn 4.10 into 4.1).
 */
static cJSON *yaml_scalar(const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t n = ev->data.scalar.length;

	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
		static const char *const trues[] = {"true", "True", "TRUE"};
		static const char *const falses[] = {"false", "False", "FALSE"};
		size_t i;

		for (i = 0; i < CS_ARRAY_LEN(nulls); i++)
			if (strlen(nulls[i]) == n && memcmp(s, nulls[i], n) == 0)
				return cJSON_CreateNull();
		for (i = 0; i < CS_ARRAY_LEN(trues); i++)
			if (strlen(trues[i]) == n && memcmp(s, trues[i], n) == 0)
				return cJSON_CreateTrue();
		for (i = 0; i < CS_ARRAY_LEN(falses); i++)
			if (strlen(falses[i]) == n && memcmp(s, falses[i], n) == 0)
				return cJSON_CreateFalse();
	}
	return cJSON_CreateString(s); /* libyaml terminates the value; an embedded NUL cuts it */
}

typedef struct yaml_frame {
	cJSON *node; /* a collection being filled (owned by its parent, or the root) */
	char *key;   /* mappings: the key waiting for its value; malloc'd */
} yaml_frame;

/*
 * Reads the next document of the stream into *out as a cJSON tree.
 * Returns 1 with a document, 0 at the end of the stream, -1 with why set
 * when the stream is malformed or uses what this reader refuses (aliases,
 * keys that are not scalars, nesting deeper than OSV_YAML_DEPTH).
 */
static int yaml_next_doc(yaml_parser_t *p, cJSON **out, char *why, size_t whysz)
{
	yaml_frame stack[OSV_YAML_DEPTH];
	size_t depth = 0, i;
	cJSON *root = NULL;
	int ret = -1;

	*out = NULL;
	for (;;) {
		yaml_event_t ev;
		cJSON *node = NULL;
		bool open = false;

		if (!yaml_parser_parse(p, &ev)) {
			snprintf(why, whysz, "malformed YAML: %s at line %zu", p->problem ? p->problem : "error",
				 (size_t)p->problem_mark.line + 1);
			goto done;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			ret = 0;
			goto done;
		case YAML_DOCUMENT_END_EVENT:
			yaml_event_delete(&ev);
			*out = root ? root : cJSON_CreateNull();
			root = NULL;
			ret = *out ? 1 : -1;
			if (ret < 0)
				snprintf(why, whysz, "out of memory");
			goto done;
		case YAML_ALIAS_EVENT:
			yaml_event_delete(&ev);
			snprintf(why, whysz, "YAML aliases are not supported (line %zu)", (size_t)p->mark.line + 1);
			goto done;
		case YAML_SCALAR_EVENT:
			node = yaml_scalar(&ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			node = cJSON_CreateArray();
			open = true;
			break;
		case YAML_MAPPING_START_EVENT:
			node = cJSON_CreateObject();
			open = true;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			yaml_event_delete(&ev);
			if (depth > 0) {
				depth--;
				free(stack[depth].key);
			}
			continue;
		default: /* stream and document starts */
			yaml_event_delete(&ev);
			continue;
		}
		if (!node) {
			yaml_event_delete(&ev);
			snprintf(why, whysz, "out of memory");
			goto done;
		}
		if (depth == 0) {
			cJSON_Delete(root); /* only one root per document: never reached */
			root = node;
		} else {
			yaml_frame *top = &stack[depth - 1];

			if (cJSON_IsObject(top->node) && !top->key) {
				if (ev.type != YAML_SCALAR_EVENT) {
					cJSON_Delete(node);
					yaml_event_delete(&ev);
					snprintf(why, whysz, "YAML keys must be scalars (line %zu)",
						 (size_t)p->mark.line + 1);
					goto done;
				}
				top->key = strdup((const char *)ev.data.scalar.value);
				cJSON_Delete(node);
				yaml_event_delete(&ev);
				if (!top->key) {
					snprintf(why, whysz, "out of memory");
					goto done;
				}
				continue;
			}
			if (cJSON_IsObject(top->node)) {
				bool added = cJSON_AddItemToObject(top->node, top->key, node);

				free(top->key);
				top->key = NULL;
				if (!added) {
					cJSON_Delete(node);
					yaml_event_delete(&ev);
					snprintf(why, whysz, "out of memory");
					goto done;
				}
			} else {
				cJSON_AddItemToArray(top->node, node);
			}
		}
		yaml_event_delete(&ev);
		if (open) {
			if (depth == OSV_YAML_DEPTH) {
				snprintf(why, whysz, "YAML nested deeper than %d levels", OSV_YAML_DEPTH);
				goto done;
			}
			stack[depth].node = node;
			stack[depth].key = NULL;
			depth++;
		}
	}
done:
	for (i = 0; i < depth; i++)
		free(stack[i].key);
	cJSON_Delete(root);
	return ret;
}

static int import_yaml(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink,
		       cs_arena *scratch, cs_err *err)
{
	yaml_parser_t p;
	size_t ndoc = 0;
	int code = 0;

	if (!yaml_parser_initialize(&p))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, data, len);
	for (;;) {
		char why[300], where[32];
		cJSON *doc;
		int r = yaml_next_doc(&p, &doc, why, sizeof(why));

		if (r < 0) {
			sink->bad(sink->payload, name, why);
			break; /* the parser cannot go on after an error */
		}
		if (r == 0)
			break;
		ndoc++;
		/* "---" alone at the end of a file is an empty document, not a record */
		if (!cJSON_IsNull(doc) || ndoc == 1) {
			where[0] = '\0';
			if (ndoc > 1)
				snprintf(where, sizeof(where), "document %zu", ndoc);
			code = emit(doc, name, where, sink, scratch, err);
		}
		cJSON_Delete(doc);
		if (code < 0)
			break;
	}
	yaml_parser_delete(&p);
	return code;
}

/* ---- the importer --------------------------------------------------------- */

static bool name_ends(const char *name, const char *ext)
{
	size_t n = strlen(name), m = strlen(ext);

	return n >= m && strcasecmp(name + n - m, ext) == 0;
}

static bool is_yaml_name(const char *name)
{
	return name_ends(name, ".yaml") || name_ends(name, ".yml");
}

/* Length of the JSON string starting at p[i] == '"' (to the closing quote), 0 when it runs past n. */
static size_t json_string_end(const uint8_t *p, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return i;
	}
	return 0;
}

/*
 * True when the head of a JSON file shows an OSV record: an object (or an
 * array of them) with an "id" key and another OSV key at its top level.
 * Keys nested deeper do not count, so NVD's "cve": {"id": ...} is no match.
 */
static bool json_looks_osv(const uint8_t *p, size_t n)
{
	static const char *const others[] = {"modified", "affected", "schema_version", "aliases", "summary",
					     "details",  "published", "withdrawn", "severity",   "references"};
	size_t i = skip_bom(p, n), target = 1, depth = 0, k;
	bool id = false, other = false;

	while (i < n && isspace(p[i]))
		i++;
	if (i < n && p[i] == '[')
		target = 2;
	else if (i >= n || p[i] != '{')
		return false;
	for (; i < n && !(id && other); i++) {
		if (p[i] == '"') {
			size_t end = json_string_end(p, n, i), j;

			if (!end)
				break;
			j = end + 1;
			while (j < n && isspace(p[j]))
				j++;
			if (depth == target && j < n && p[j] == ':') {
				const char *key = (const char *)p + i + 1;
				size_t kl = end - i - 1;

				if (kl == 2 && memcmp(key, "id", 2) == 0)
					id = true;
				for (k = 0; k < CS_ARRAY_LEN(others); k++)
					if (strlen(others[k]) == kl && memcmp(key, others[k], kl) == 0)
						other = true;
			}
			i = end;
		} else if (p[i] == '{' || p[i] == '[') {
			depth++;
		} else if (p[i] == '}' || p[i] == ']') {
			if (depth-- <= 1)
				break;
		}
	}
	return id && other;
}

/* True when a line of the head starts with "id:" (a top-level key). */
static bool yaml_looks_osv(const uint8_t *p, size_t n)
{
	size_t i = skip_bom(p, n);

	while (i < n) {
		if (n - i >= 3 && memcmp(p + i, "id:", 3) == 0)
			return true;
		while (i < n && p[i] != '\n')
			i++;
		i++;
	}
	return false;
}

static bool osv_detect(const char *name, const uint8_t *head, size_t n)
{
	if (name_ends(name, ".json"))
		return json_looks_osv(head, n);
	if (is_yaml_name(name))
		return yaml_looks_osv(head, n);
	return false;
}

static int osv_import(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink, cs_arena *scratch,
		      cs_err *err)
{
	if (is_yaml_name(name))
		return import_yaml(name, data, len, sink, scratch, err);
	return import_json(name, data, len, sink, scratch, err);
}

const cs_vdb_importer cs_importer_osv = {
	.name = "osv",
	.detect = osv_detect,
	.import = osv_import,
};
