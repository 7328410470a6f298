/*
 * debian_tracker.c - importer for the Debian security tracker's JSON dump
 * (https://security-tracker.debian.org/tracker/data/json):
 *
 *   {"openssl": {"CVE-2023-0286": {"description": "...", "debianbug": 1031236,
 *       "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.8-1",
 *                                 "urgency": "high", "repositories": {...}},
 *                    "buster": {"status": "open", "urgency": "end-of-life", ...}}}}}
 *
 * The dump is keyed by source package, then issue (CVE-... or TEMP-...);
 * the database wants one advisory per issue, so the issues of all
 * packages are gathered first and sent at the end: one advisory per issue
 * with one affected entry per (release, source package) in ecosystem
 * "Debian:<n>" ("Debian:unstable" for sid). Status and severity mappings
 * are in docs/vulndb.md.
 *
 * The real file is ~60 MB; it is never parsed whole. The top-level object
 * is split into packages (cs_feed_json_split) and each package is parsed
 * by cJSON on its own, so cJSON's share follows the largest package (the
 * kernel, a few MB), and what is kept per issue and release is a small
 * record in the scratch arena (see docs/vulndb.md for the numbers).
 */
#include "core/compat.h"
#include "vulndb/feedutil.h"

#include "core/json.h"
#include "core/map.h"

enum { DT_FIXED, DT_NOT_AFFECTED, DT_NOT_FIXED, DT_WILL_NOT_FIX, DT_END_OF_LIFE };
enum { DT_SEV_NONE, DT_SEV_NEGLIGIBLE, DT_SEV_LOW, DT_SEV_MEDIUM, DT_SEV_HIGH };

static const char *const dt_status[] = {CS_VDB_FIXED, CS_VDB_NOT_AFFECTED, CS_VDB_NOT_FIXED, CS_VDB_WILL_NOT_FIX,
					CS_VDB_END_OF_LIFE};
static const char *const dt_severity[] = {NULL, "negligible", "low", "medium", "high"};

/* One (release, package) of an issue: a few words, since there are millions. */
typedef struct dt_rec {
	struct dt_rec *next;
	const char *pkg;       /* arena, shared by the package's records */
	const char *fixed;     /* arena, or NULL */
	const char *ecosystem; /* constant */
	uint8_t status;        /* DT_* */
	uint8_t severity;      /* DT_SEV_* */
} dt_rec;

typedef struct dt_issue {
	const char *id;          /* arena */
	const char *description; /* arena, or NULL */
	uint64_t bug;            /* Debian bug number, 0 when none */
	dt_rec *first, *last;
} dt_issue;

typedef struct dt_state {
	cs_arena *a;
	cs_feed_report rep;
	cs_map issues;     /* id -> dt_issue */
	cs_map unknown;    /* release names already reported as unknown */
	dt_issue **order;  /* first-seen order; arena */
	size_t nissues, cissues;
} dt_state;

/* Index of the first byte of p[i..n) that is not JSON white space. */
static size_t ws(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

/* The dump's shape: {"<package>": {"CVE-... or "TEMP-... */
static bool dt_detect(const char *name, const uint8_t *head, size_t n)
{
	const char *p = (const char *)head;
	size_t i = ws(p, n, 0);

	CS_UNUSED(name);
	if (i >= n || p[i] != '{' || (i = ws(p, n, i + 1)) >= n || p[i] != '"')
		return false;
	for (i++; i < n && p[i] != '"' && p[i] != '\\'; i++)
		;
	if (i >= n || p[i] != '"' || (i = ws(p, n, i + 1)) >= n || p[i] != ':' || (i = ws(p, n, i + 1)) >= n ||
	    p[i] != '{')
		return false;
	i = ws(p, n, i + 1);
	return (n - i >= 5 && memcmp(p + i, "\"CVE-", 5) == 0) || (n - i >= 6 && memcmp(p + i, "\"TEMP-", 6) == 0);
}

static uint8_t urgency_severity(const char *u)
{
	size_t n;

	if (!u)
		return DT_SEV_NONE;
	/* "high**": the stars say the urgency came from NVD, not from Debian. */
	n = strlen(u);
	while (n && u[n - 1] == '*')
		n--;
	if (n == 3 && memcmp(u, "low", 3) == 0)
		return DT_SEV_LOW;
	if (n == 6 && memcmp(u, "medium", 6) == 0)
		return DT_SEV_MEDIUM;
	if (n == 4 && memcmp(u, "high", 4) == 0)
		return DT_SEV_HIGH;
	if (n == 11 && memcmp(u, "unimportant", 11) == 0)
		return DT_SEV_NEGLIGIBLE;
	return DT_SEV_NONE; /* "not yet assigned", "end-of-life" */
}

static dt_issue *issue_get(dt_state *st, const char *id, const cJSON *body)
{
	dt_issue *is = cs_map_get(&st->issues, id);
	const char *desc;
	uint64_t bug;

	if (!is) {
		if (!(is = cs_arena_alloc(st->a, sizeof(*is))) || !(is->id = cs_arena_strdup(st->a, id)) ||
		    cs_map_put(&st->issues, is->id, is) < 0 ||
		    !(st->order = cs_feed_grow(st->a, st->order, st->nissues, &st->cissues, sizeof(*st->order))))
			return NULL;
		st->order[st->nissues++] = is;
	}
	/* The description is repeated under each package: keep the first one. */
	if (!is->description && (desc = cs_json_str(body, "description")) && *desc &&
	    !(is->description = cs_feed_text(st->a, desc, strlen(desc))))
		return NULL;
	if (!is->bug && cs_json_u64(body, "debianbug", &bug))
		is->bug = bug;
	return is;
}

/* One release entry of issue is for package pkg; false: nothing to record. */
static bool read_release(dt_state *st, const char *pkg, const char *id, const cJSON *rel, dt_rec *out)
{
	const char *status = cs_json_str(rel, "status"), *fixed = cs_json_str(rel, "fixed_version");
	const char *urgency = cs_json_str(rel, "urgency"), *reason = cs_json_str(rel, "nodsa_reason");

	out->severity = urgency_severity(urgency);
	out->fixed = NULL;
	if (!status) {
		cs_feed_bad(&st->rep, "%s in '%s' (%s): no status", id, pkg, rel->string);
		return false;
	}
	if (strcmp(status, "resolved") == 0) {
		if (!fixed || !cs_feed_token(fixed, strlen(fixed), CS_FEED_MAX_VERSION)) {
			cs_feed_bad(&st->rep, "%s in '%s' (%s): resolved without a valid fixed_version", id, pkg,
				    rel->string);
			return false;
		}
		if (strcmp(fixed, "0") == 0) {
			out->status = DT_NOT_AFFECTED; /* "0": the release never had the flaw */
			return true;
		}
		out->status = DT_FIXED;
		out->fixed = fixed; /* copied by the caller */
		return true;
	}
	if (strcmp(status, "open") == 0) {
		if (urgency && strcmp(urgency, "end-of-life") == 0)
			out->status = DT_END_OF_LIFE;
		else if (reason && strcmp(reason, "ignored") == 0)
			out->status = DT_WILL_NOT_FIX;
		else
			out->status = DT_NOT_FIXED; /* also <no-dsa> and <postponed>: a fix may come */
		return true;
	}
	if (strcmp(status, "undetermined") == 0)
		return false; /* not known to be affected: recorded as nothing (docs/vulndb.md) */
	cs_feed_bad(&st->rep, "%s in '%s' (%s): unknown status '%.32s'", id, pkg, rel->string, status);
	return false;
}

static int read_issue(dt_state *st, const char *pkg, const cJSON *item)
{
	const char *id = item->string;
	const cJSON *releases, *rel;
	dt_issue *is;

	if (!id || !cs_feed_is_vuln_id(id, strlen(id))) {
		cs_feed_bad(&st->rep, "package '%s': invalid issue id", pkg);
		return 0;
	}
	if (!cJSON_IsObject(item)) {
		cs_feed_bad(&st->rep, "%s in '%s': not an object", id, pkg);
		return 0;
	}
	if (!(is = issue_get(st, id, item)))
		return CS_ENOMEM;
	releases = cJSON_GetObjectItemCaseSensitive(item, "releases");
	if (!cJSON_IsObject(releases))
		return 0; /* "releases": [] happens: nothing is known per release */
	cJSON_ArrayForEach(rel, releases)
	{
		const char *name = rel->string, *eco;
		dt_rec tmp = {0}, *r;

		eco = name ? cs_feed_debian_ecosystem(name, strlen(name)) : NULL;
		if (!eco) {
			char *key;

			if (!name || cs_map_get(&st->unknown, name))
				continue;
			if (!(key = cs_arena_strdup(st->a, name)) || cs_map_put(&st->unknown, key, key) < 0)
				return CS_ENOMEM;
			cs_feed_bad(&st->rep, "%s in '%s': unknown release '%.64s' (skipped wherever it appears)", id,
				    pkg, name);
			continue;
		}
		if (!cJSON_IsObject(rel)) {
			cs_feed_bad(&st->rep, "%s in '%s' (%s): not an object", id, pkg, name);
			continue;
		}
		if (!read_release(st, pkg, id, rel, &tmp))
			continue;
		if (!(r = cs_arena_alloc(st->a, sizeof(*r))))
			return CS_ENOMEM;
		*r = tmp;
		r->next = NULL;
		r->pkg = pkg;
		r->ecosystem = eco;
		if (tmp.fixed) {
			/* Releases often share the fixed version: reuse the previous copy. */
			if (is->last && is->last->fixed && strcmp(is->last->fixed, tmp.fixed) == 0)
				r->fixed = is->last->fixed;
			else if (!(r->fixed = cs_arena_strdup(st->a, tmp.fixed)))
				return CS_ENOMEM;
		}
		if (is->last)
			is->last->next = r;
		else
			is->first = r;
		is->last = r;
	}
	return 0;
}

static int read_package(dt_state *st, const cs_feed_part *part)
{
	char *pkg = cs_feed_json_key(st->a, part);
	cJSON *body, *item;
	int rc = 0;

	if (!pkg || !cs_feed_token(pkg, strlen(pkg), CS_FEED_MAX_NAME)) {
		cs_feed_bad(&st->rep, "invalid package name '%.*s'", (int)(part->klen > 64 ? 64 : part->klen),
			    part->key);
		return 0;
	}
	body = cs_feed_json_parse(part);
	if (!cJSON_IsObject(body)) {
		cs_feed_bad(&st->rep, "package '%s': %s", pkg, body ? "not an object" : "malformed JSON");
		cJSON_Delete(body);
		return 0;
	}
	cJSON_ArrayForEach(item, body)
	{
		if ((rc = read_issue(st, pkg, item)) < 0)
			break;
	}
	cJSON_Delete(body);
	return rc;
}

static int emit(dt_state *st, const dt_issue *is, const char *file, const cs_vdb_sink *sink,
		cs_vdb_affected **aff, cs_vdb_range **ranges, size_t *cap, cs_err *err)
{
	const char *refs[2];
	cs_vdb_advisory rec;
	const dt_rec *r;
	size_t n = 0, i;
	uint8_t top = DT_SEV_NONE;

	for (r = is->first; r; r = r->next)
		n++;
	if (n > *cap) {
		cs_vdb_affected *na = realloc(*aff, n * sizeof(**aff));
		cs_vdb_range *nr;

		if (na)
			*aff = na;
		nr = na ? realloc(*ranges, n * sizeof(**ranges)) : NULL;
		if (!nr)
			return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", file);
		*ranges = nr;
		*cap = n;
	}
	for (r = is->first, i = 0; r; r = r->next, i++) {
		cs_vdb_affected *e = &(*aff)[i];

		memset(e, 0, sizeof(*e));
		e->ecosystem = r->ecosystem;
		e->package = r->pkg;
		e->status = dt_status[r->status];
		e->severity = dt_severity[r->severity];
		if (r->fixed) {
			memset(&(*ranges)[i], 0, sizeof(**ranges));
			(*ranges)[i].introduced = "0";
			(*ranges)[i].fixed = r->fixed;
			e->ranges = &(*ranges)[i];
			e->nranges = 1;
		}
		if (r->severity > top)
			top = r->severity;
	}
	memset(&rec, 0, sizeof(rec));
	rec.id = is->id;
	rec.details = is->description;
	/* Overall: the highest urgency over releases; "unimportant" alone counts as low. */
	rec.severity = top == DT_SEV_NONE ? NULL : top == DT_SEV_NEGLIGIBLE ? "low" : dt_severity[top];
	rec.file = file;
	rec.affected = *aff;
	rec.naffected = n;
	refs[0] = cs_arena_printf(st->a, "https://security-tracker.debian.org/tracker/%s", is->id);
	refs[1] = is->bug ? cs_arena_printf(st->a, "https://bugs.debian.org/%llu", (unsigned long long)is->bug) : NULL;
	if (!refs[0] || (is->bug && !refs[1]))
		return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", file);
	rec.references = refs;
	rec.nreferences = is->bug ? 2 : 1;
	return sink->advisory(sink->payload, &rec, err);
}

static int dt_import(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink,
		     cs_arena *scratch, cs_err *err)
{
	dt_state st;
	cs_feed_part *parts = NULL;
	cs_vdb_affected *aff = NULL;
	cs_vdb_range *ranges = NULL;
	size_t nparts = 0, cap = 0, i;
	int rc;

	memset(&st, 0, sizeof(st));
	st.a = scratch;
	cs_map_init(&st.issues);
	cs_map_init(&st.unknown);
	cs_feed_report_init(&st.rep, sink, name);
	if ((rc = cs_feed_json_split((const char *)data, len, true, name, &parts, &nparts, err)) < 0)
		goto done;
	for (i = 0; i < nparts; i++)
		if ((rc = read_package(&st, &parts[i])) < 0) {
			cs_err_set(err, rc, "'%s': out of memory", name);
			goto done;
		}
	for (i = 0; i < st.nissues; i++)
		if ((rc = emit(&st, st.order[i], name, sink, &aff, &ranges, &cap, err)) < 0)
			goto done;
	cs_feed_report_done(&st.rep);
done:
	free(parts);
	free(aff);
	free(ranges);
	cs_map_release(&st.issues);
	cs_map_release(&st.unknown);
	return rc;
}

const cs_vdb_importer cs_importer_debian_tracker = {"debian-tracker", dt_detect, dt_import, false};
