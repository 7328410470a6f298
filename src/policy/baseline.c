/*
 * baseline.c - suppress what an earlier report already listed (see
 * baseline.h). Each finding becomes a key string; the baseline is a set of
 * keys, and the scan's keys are matched against it both ways.
 */
#include "core/compat.h"
#include "policy/baseline.h"

#include "core/buf.h"
#include "core/json.h"
#include "core/map.h"
#include "policy/putil.h"

struct cs_baseline {
	const char *source;
	cs_map keys;    /* key -> the key itself (a set); keys live in the arena */
	const char **list; /* the distinct keys, for counting what is gone */
	size_t n, cap;
};

size_t cs_baseline_count(const cs_baseline *b) { return b->n; }

/* Fields joined by 0x1f (unit separator): no field of a report contains one. */
static char *make_key(cs_arena *a, char kind, const char *f1, const char *f2, const char *f3)
{
	return cs_arena_printf(a, "%c\x1f%s\x1f%s\x1f%s", kind, f1 ? f1 : "", f2 ? f2 : "", f3 ? f3 : "");
}

static char *vuln_key(cs_arena *a, const char *id, const char *name, const char *version)
{
	return make_key(a, 'v', id, name, version);
}

static char *secret_key(cs_arena *a, const char *rule, const char *path)
{
	return make_key(a, 's', rule, path, NULL);
}

static char *misconfig_key(cs_arena *a, const char *id, const char *dockerfile, uint64_t line, const char *path)
{
	char n[24];

	if (!dockerfile)
		return make_key(a, 'm', id, path, NULL);
	snprintf(n, sizeof(n), "%llu", (unsigned long long)line);
	return make_key(a, 'm', id, dockerfile, n);
}

static int add_key(cs_baseline *b, cs_arena *a, char *key)
{
	if (!key)
		return CS_ENOMEM;
	if (cs_map_get(&b->keys, key))
		return 0;
	if (b->n == b->cap) {
		const char **nl = cs_arena_grow(a, (void *)b->list, b->n, &b->cap, sizeof(*nl));

		if (!nl)
			return CS_ENOMEM;
		b->list = nl;
	}
	if (cs_map_put(&b->keys, key, key) < 0)
		return CS_ENOMEM;
	b->list[b->n++] = key;
	return 0;
}

/* The array member name of root, or NULL (absent or not an array: nothing listed). */
static const cJSON *list_of(const cJSON *root, const char *name)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(root, name);

	return cJSON_IsArray(x) ? x : NULL;
}

static int parse_root(cs_baseline *b, cs_arena *a, const char *what, const cJSON *root, cs_err *err)
{
	const cJSON *x, *arr;
	int code;

	if (!cJSON_IsObject(root) || !cs_pol_jstr(cJSON_GetObjectItemCaseSensitive(root, "tool"), "name") ||
	    strcmp(cs_pol_jstr(cJSON_GetObjectItemCaseSensitive(root, "tool"), "name"), "customs"))
		return cs_err_set(err, CS_EFORMAT, "baseline '%s': not a customs JSON report (--format json)", what);
	arr = list_of(root, "vulnerabilities");
	cJSON_ArrayForEach(x, arr) {
		const cJSON *pkg = cJSON_GetObjectItemCaseSensitive(x, "package");
		const char *id = cs_pol_jstr(x, "id");

		if (!id)
			return cs_err_set(err, CS_EFORMAT, "baseline '%s': a vulnerability without an id", what);
		if ((code = add_key(b, a, vuln_key(a, id, cs_pol_jstr(pkg, "name"), cs_pol_jstr(pkg, "version")))) < 0)
			return cs_err_set(err, code, "out of memory");
	}
	arr = list_of(root, "secrets");
	cJSON_ArrayForEach(x, arr) {
		const char *rule = cs_pol_jstr(x, "rule_id");

		if (!rule)
			return cs_err_set(err, CS_EFORMAT, "baseline '%s': a secret without a rule_id", what);
		if ((code = add_key(b, a, secret_key(a, rule, cs_pol_jstr(x, "path")))) < 0)
			return cs_err_set(err, code, "out of memory");
	}
	arr = list_of(root, "misconfigurations");
	cJSON_ArrayForEach(x, arr) {
		const cJSON *df = cJSON_GetObjectItemCaseSensitive(x, "dockerfile");
		const char *id = cs_pol_jstr(x, "id");
		uint64_t line = 0;

		if (!id)
			return cs_err_set(err, CS_EFORMAT, "baseline '%s': a misconfiguration without an id", what);
		cs_json_u64(df, "line", &line);
		if ((code = add_key(b, a, misconfig_key(a, id, cs_pol_jstr(df, "path"), line, cs_pol_jstr(x, "path")))) <
		    0)
			return cs_err_set(err, code, "out of memory");
	}
	return 0;
}

int cs_baseline_parse(cs_baseline **out, cs_arena *a, const char *what, const char *data, size_t len,
		      cs_err *err)
{
	cs_baseline *b;
	cJSON *root;
	int code;

	*out = NULL;
	if (!(b = cs_arena_calloc(a, 1, sizeof(*b))) || !(b->source = cs_arena_strdup(a, what)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	if (!(root = cs_json_parse(data, len, what, err))) {
		cs_err_prefix(err, "baseline: ");
		return CS_EFORMAT;
	}
	cs_map_init(&b->keys);
	code = parse_root(b, a, what, root, err);
	cJSON_Delete(root);
	/* The set is only needed while applying: rebuilt from list then, so nothing here outlives a free. */
	cs_map_release(&b->keys);
	if (code < 0)
		return code;
	*out = b;
	return 0;
}

int cs_baseline_load(cs_baseline **out, cs_arena *a, const char *path, cs_err *err)
{
	char *data;
	size_t len;
	int code;

	*out = NULL;
	if ((code = cs_pol_read(&data, &len, path, CS_POLICY_MAX_REPORT, "baseline", err)) < 0)
		return code;
	code = cs_baseline_parse(out, a, path, data, len, err);
	free(data);
	return code;
}

/* Marks u as a baseline finding unless something else suppressed it first. */
static void mark(const cs_baseline *b, cs_suppression *u, cs_baseline_result *r)
{
	r->unchanged++;
	if (u->kind)
		return;
	u->kind = "baseline";
	u->reason = "listed in the baseline report";
	u->source = b->source;
}

int cs_baseline_apply(const cs_baseline *b, cs_scan *s, cs_baseline_result *r)
{
	cs_arena *a = cs_scan_arena(s);
	cs_map base, now;
	size_t i;
	int code = 0;

	memset(r, 0, sizeof(*r));
	cs_map_init(&base);
	cs_map_init(&now);
	for (i = 0; i < b->n; i++)
		if (cs_map_put(&base, b->list[i], (void *)b->list[i]) < 0)
			goto nomem;
	for (i = 0; i < cs_scan_vuln_count(s); i++) {
		cs_vuln *v = cs_scan_vuln_mut(s, i);
		char *k = vuln_key(a, v->id, v->package->name, v->package->version);

		if (!k || cs_map_put(&now, k, k) < 0)
			goto nomem;
		if (cs_map_get(&base, k))
			mark(b, &v->suppressed, r);
		else
			r->added++;
	}
	for (i = 0; i < cs_scan_secret_count(s); i++) {
		cs_secret *f = cs_scan_secret_mut(s, i);
		char *k = secret_key(a, f->rule_id, f->path);

		if (!k || cs_map_put(&now, k, k) < 0)
			goto nomem;
		if (cs_map_get(&base, k))
			mark(b, &f->suppressed, r);
		else
			r->added++;
	}
	for (i = 0; i < cs_scan_misconfig_count(s); i++) {
		cs_misconfig *m = cs_scan_misconfig_mut(s, i);
		char *k = misconfig_key(a, m->id, m->dockerfile, m->line, m->path);

		if (!k || cs_map_put(&now, k, k) < 0)
			goto nomem;
		if (cs_map_get(&base, k))
			mark(b, &m->suppressed, r);
		else
			r->added++;
	}
	for (i = 0; i < b->n; i++)
		r->fixed += cs_map_get(&now, b->list[i]) == NULL;
	goto done;
nomem:
	code = CS_ENOMEM;
done:
	cs_map_release(&base);
	cs_map_release(&now);
	return code;
}
