/*
 * alpine.c - importer for the Alpine secdb (secdb.alpinelinux.org), one
 * file per release and repository: v3.11/main.yaml or .json.
 *
 *   distroversion: v3.11
 *   reponame: main
 *   packages:
 *     - pkg:
 *         name: openssl                  (the aports origin, i.e. source name)
 *         secfixes:
 *           1.1.1d-r1: [CVE-2019-1547, ...]
 *           "0": [CVE-2016-0682]         (not affected in this release)
 *
 * Each identifier becomes one advisory per file, with one affected entry
 * per package in ecosystem "Alpine:<distroversion>": status "fixed" with
 * one range per fix version listed for it, or "not_affected" for the
 * version "0". Entries are free text ("CVE-2017-8903 XSA-213",
 * "CVE-2018-14879 (tcpdump -V)"): tokens that are CVE ids are the
 * advisories, other identifiers (XSA-, TALOS-, ZBX-...) their aliases, or
 * advisories of their own when no CVE is on the line; a parenthesis starts
 * a comment; any other token is reported and skipped. The choices and
 * their reasons are in docs/vulndb.md.
 */
#include "core/compat.h"
#include "vulndb/feedutil.h"

#include "core/json.h"
#include "core/map.h"

#include <strings.h>

typedef struct apk_pkg {
	const char *name;    /* arena */
	const char **fixed;  /* distinct fix versions in file order; arena */
	size_t nfixed, cfixed;
	bool not_affected;   /* listed under "0" */
} apk_pkg;

typedef struct apk_adv {
	const char *id;       /* arena */
	const char **aliases; /* arena */
	size_t naliases, caliases;
	apk_pkg *pkgs; /* arena */
	size_t npkgs, cpkgs;
} apk_adv;

typedef struct apk_state {
	cs_arena *a;
	cs_map ids;      /* id -> apk_adv */
	apk_adv **order; /* advisories in first-seen order; arena */
	size_t nadv, cadv;
	cs_feed_report rep;
} apk_state;

static bool alpine_detect(const char *name, const uint8_t *head, size_t n)
{
	if (!(cs_feed_ends(name, ".yaml") || cs_feed_ends(name, ".yml") || cs_feed_ends(name, ".json")))
		return false;
	return cs_feed_has(head, n, "distroversion") || (cs_feed_has(head, n, "apkurl") && cs_feed_has(head, n, "reponame")) ||
	       (cs_feed_has(head, n, "secfixes") && cs_feed_has(head, n, "pkg"));
}

static int list_add(cs_arena *a, const char ***list, size_t *n, size_t *cap, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*list)[i], s) == 0)
			return 0;
	if (!(*list = cs_feed_grow(a, *list, *n, cap, sizeof(**list))))
		return CS_ENOMEM;
	(*list)[(*n)++] = s;
	return 0;
}

/* The advisory for id, created on first sight. */
static apk_adv *adv_get(apk_state *st, const char *id, size_t n)
{
	apk_adv *adv = cs_map_getn(&st->ids, id, n);

	if (adv)
		return adv;
	if (!(adv = cs_arena_alloc(st->a, sizeof(*adv))) || !(adv->id = cs_arena_strndup(st->a, id, n)) ||
	    cs_map_put(&st->ids, adv->id, adv) < 0 ||
	    !(st->order = cs_feed_grow(st->a, st->order, st->nadv, &st->cadv, sizeof(*st->order))))
		return NULL;
	st->order[st->nadv++] = adv;
	return adv;
}

/* Records that package pkg is fixed in version (or not affected: "0") for id. */
static int add_fix(apk_state *st, const char *id, size_t idn, const char *pkg, const char *version,
		   const char *const *aliases, size_t naliases)
{
	apk_adv *adv = adv_get(st, id, idn);
	apk_pkg *p = NULL;
	size_t i;

	if (!adv)
		return CS_ENOMEM;
	for (i = 0; i < naliases; i++)
		if (list_add(st->a, &adv->aliases, &adv->naliases, &adv->caliases, aliases[i]) < 0)
			return CS_ENOMEM;
	for (i = 0; i < adv->npkgs; i++)
		if (strcmp(adv->pkgs[i].name, pkg) == 0)
			p = &adv->pkgs[i];
	if (!p) {
		if (!(adv->pkgs = cs_feed_grow(st->a, adv->pkgs, adv->npkgs, &adv->cpkgs, sizeof(*adv->pkgs))))
			return CS_ENOMEM;
		p = &adv->pkgs[adv->npkgs++];
		memset(p, 0, sizeof(*p));
		p->name = pkg;
	}
	if (strcmp(version, "0") == 0) {
		p->not_affected = true;
		return 0;
	}
	return list_add(st->a, &p->fixed, &p->nfixed, &p->cfixed, version);
}

/* One secfixes entry ("CVE-2017-8903 XSA-213") of package pkg fixed in version. */
static int read_entry(apk_state *st, const char *pkg, const char *version, const char *text)
{
	const char *cves[16], *others[16];
	size_t ncves = 0, nothers = 0, ncve_len[16], i;
	const char *p = text;

	while (*p) {
		const char *tok;
		bool cve, other;
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p || *p == '(' || *p == '#')
			break; /* the rest is a comment */
		tok = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		n = (size_t)(p - tok);
		cve = cs_feed_is_cve(tok, n);
		other = !cve && cs_feed_is_vuln_id(tok, n) && strncasecmp(tok, "CVE", 3) != 0;
		if (cve && ncves < CS_ARRAY_LEN(cves)) {
			ncve_len[ncves] = n;
			cves[ncves++] = tok;
		} else if (other && nothers < CS_ARRAY_LEN(others)) {
			if (!(others[nothers++] = cs_arena_strndup(st->a, tok, n)))
				return CS_ENOMEM;
		} else if (cve || other) {
			cs_feed_bad(&st->rep, "package '%s' %s: more than 16 identifiers in one entry", pkg, version);
		} else {
			cs_feed_bad(&st->rep, "package '%s' %s: '%.*s' is not an identifier", pkg, version,
				    (int)(n > 64 ? 64 : n), tok);
		}
	}
	for (i = 0; i < ncves; i++) {
		int rc = add_fix(st, cves[i], ncve_len[i], pkg, version, others, nothers);

		if (rc < 0)
			return rc;
	}
	if (ncves == 0)
		for (i = 0; i < nothers; i++) {
			int rc = add_fix(st, others[i], strlen(others[i]), pkg, version, NULL, 0);

			if (rc < 0)
				return rc;
		}
	return 0;
}

static int read_package(apk_state *st, const cJSON *item, size_t index)
{
	const cJSON *pkg = cs_json_obj(item, "pkg"), *secfixes, *fix;
	const char *name = cs_json_str(pkg, "name");
	char *pname;

	if (!pkg) {
		cs_feed_bad(&st->rep, "packages[%zu]: no 'pkg' object", index);
		return 0;
	}
	if (!name || !cs_feed_token(name, strlen(name), CS_FEED_MAX_NAME)) {
		cs_feed_bad(&st->rep, "packages[%zu]: missing or invalid package name", index);
		return 0;
	}
	secfixes = cJSON_GetObjectItemCaseSensitive(pkg, "secfixes");
	if (!secfixes || cJSON_IsNull(secfixes))
		return 0;
	if (!cJSON_IsObject(secfixes)) {
		cs_feed_bad(&st->rep, "package '%s': 'secfixes' is not a mapping", name);
		return 0;
	}
	if (!(pname = cs_arena_strdup(st->a, name)))
		return CS_ENOMEM;
	cJSON_ArrayForEach(fix, secfixes)
	{
		const char *version = fix->string;
		const cJSON *e;
		char *v;
		int rc;

		if (!version || !cs_feed_token(version, strlen(version), CS_FEED_MAX_VERSION)) {
			cs_feed_bad(&st->rep, "package '%s': invalid fix version", name);
			continue;
		}
		if (cJSON_IsNull(fix))
			continue;
		if (!(v = cs_arena_strdup(st->a, version)))
			return CS_ENOMEM;
		if (cJSON_IsString(fix)) { /* a single entry instead of a list */
			if ((rc = read_entry(st, pname, v, fix->valuestring)) < 0)
				return rc;
			continue;
		}
		if (!cJSON_IsArray(fix)) {
			cs_feed_bad(&st->rep, "package '%s' %s: fixes are not a list", name, version);
			continue;
		}
		cJSON_ArrayForEach(e, fix)
		{
			if (!cJSON_IsString(e)) {
				cs_feed_bad(&st->rep, "package '%s' %s: an entry is not a string", name, version);
				continue;
			}
			if ((rc = read_entry(st, pname, v, e->valuestring)) < 0)
				return rc;
		}
	}
	return 0;
}

/* Sends one advisory built from adv to the sink. */
static int emit(apk_state *st, const apk_adv *adv, const char *eco, const char *file, const cs_vdb_sink *sink,
		cs_err *err)
{
	cs_vdb_advisory rec;
	cs_vdb_affected *aff;
	const char *ref = NULL;
	size_t naff = 0, i, j;

	aff = cs_arena_calloc(st->a, adv->npkgs * 2 + 1, sizeof(*aff));
	if (!aff)
		return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", file);
	for (i = 0; i < adv->npkgs; i++) {
		const apk_pkg *p = &adv->pkgs[i];

		if (p->nfixed) {
			cs_vdb_range *r = cs_arena_calloc(st->a, p->nfixed, sizeof(*r));

			if (!r)
				return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", file);
			for (j = 0; j < p->nfixed; j++) {
				r[j].introduced = "0";
				r[j].fixed = p->fixed[j];
			}
			aff[naff].ecosystem = eco;
			aff[naff].package = p->name;
			aff[naff].status = CS_VDB_FIXED;
			aff[naff].ranges = r;
			aff[naff].nranges = p->nfixed;
			naff++;
		}
		if (p->not_affected) {
			aff[naff].ecosystem = eco;
			aff[naff].package = p->name;
			aff[naff].status = CS_VDB_NOT_AFFECTED;
			naff++;
		}
	}
	memset(&rec, 0, sizeof(rec));
	rec.id = adv->id;
	rec.file = file;
	rec.aliases = adv->aliases;
	rec.naliases = adv->naliases;
	rec.affected = aff;
	rec.naffected = naff;
	if (cs_feed_is_cve(adv->id, strlen(adv->id))) {
		if (!(ref = cs_arena_printf(st->a, "https://security.alpinelinux.org/vuln/%s", adv->id)))
			return cs_err_set(err, CS_ENOMEM, "'%s': out of memory", file);
		rec.references = &ref;
		rec.nreferences = 1;
	}
	return sink->advisory(sink->payload, &rec, err);
}

static int alpine_import(const char *name, const uint8_t *data, size_t len, const cs_vdb_sink *sink,
			 cs_arena *scratch, cs_err *err)
{
	apk_state st;
	cJSON *root = NULL;
	const cJSON *packages, *item;
	const char *dv, *eco;
	size_t i = 0, k = 0;
	int rc = 0;

	memset(&st, 0, sizeof(st));
	st.a = scratch;
	cs_map_init(&st.ids);
	cs_feed_report_init(&st.rep, sink, name);
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i < len && data[i] == '{')
		root = cs_json_parse((const char *)data, len, name, err);
	else
		root = cs_feed_yaml_parse((const char *)data, len, name, err);
	if (!root) {
		rc = err && err->code ? err->code : CS_EFORMAT;
		goto done;
	}
	if (!cJSON_IsObject(root)) {
		rc = cs_err_set(err, CS_EFORMAT, "'%s': not an Alpine secdb (no top-level mapping)", name);
		goto done;
	}
	dv = cs_json_str(root, "distroversion");
	if (!dv || !cs_feed_token(dv, strlen(dv), 32) || strchr(dv, ':')) {
		rc = cs_err_set(err, CS_EFORMAT, "'%s': missing or invalid 'distroversion'", name);
		goto done;
	}
	if (!(eco = cs_arena_printf(scratch, "Alpine:%s", dv))) {
		rc = cs_err_set(err, CS_ENOMEM, "'%s': out of memory", name);
		goto done;
	}
	packages = cJSON_GetObjectItemCaseSensitive(root, "packages");
	if (packages && !cJSON_IsNull(packages) && !cJSON_IsArray(packages)) {
		rc = cs_err_set(err, CS_EFORMAT, "'%s': 'packages' is not a list", name);
		goto done;
	}
	cJSON_ArrayForEach(item, packages)
	{
		if ((rc = read_package(&st, item, k++)) < 0) {
			cs_err_set(err, rc, "'%s': out of memory", name);
			goto done;
		}
	}
	for (i = 0; i < st.nadv; i++)
		if ((rc = emit(&st, st.order[i], eco, name, sink, err)) < 0)
			goto done;
	cs_feed_report_done(&st.rep);
done:
	cJSON_Delete(root);
	cs_map_release(&st.ids);
	return rc;
}

const cs_vdb_importer cs_importer_alpine_secdb = {"alpine-secdb", alpine_detect, alpine_import, true};
