/*
 * ignore.c - the ignore file: parse strictly, then suppress what its
 * entries match (see ignore.h).
 */
#include "core/compat.h"
#include "policy/ignore.h"

#include "core/log.h"
#include "core/yaml.h"
#include "policy/putil.h"

#define MAX_ENTRIES 100000
#define MAX_PATHS 1000

enum { K_VULN, K_SECRET, K_MISCONFIG, K_N };
static const char *const section_names[K_N] = {"vulnerabilities", "secrets", "misconfigurations"};

typedef struct entry {
	int kind;              /* K_* */
	size_t index;          /* 1-based within its section */
	const char *id;        /* glob */
	const char *package;   /* glob, vulnerabilities only */
	const char *purl;      /* glob, vulnerabilities only */
	const char **paths;    /* globs, or NULL: anywhere */
	size_t npaths;
	const char *reason;
	const char *expires;   /* "YYYY-MM-DD", or NULL */
	long long expiry_day;  /* days since 1970, valid when expires */
} entry;

struct cs_ignore {
	const char *source;
	entry *entries;
	size_t n;
};

size_t cs_ignore_count(const cs_ignore *ig) { return ig->n; }

typedef struct ictx {
	cs_arena *a;
	const char *what;
	cs_err *err;
} ictx;

static int ierr(const ictx *c, const entry *e, const char *fmt, ...) CS_PRINTF(3, 4);

static int ierr(const ictx *c, const entry *e, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!e)
		return cs_pol_error(c->err, CS_EFORMAT, "ignore file '%s': %s", c->what, msg);
	if (e->id)
		return cs_pol_error(c->err, CS_EFORMAT, "ignore file '%s': %s entry #%zu ('%.80s'): %s", c->what,
				    section_names[e->kind], e->index, e->id, msg);
	return cs_pol_error(c->err, CS_EFORMAT, "ignore file '%s': %s entry #%zu: %s", c->what,
			    section_names[e->kind], e->index, msg);
}

static const char *strip_slash(const char *s)
{
	while (*s == '/')
		s++;
	return s;
}

/* A non-empty string member, copied; NULL when absent. */
static int get_str(const ictx *c, const entry *e, const cJSON *x, const char *key, const char **out)
{
	*out = NULL;
	if (!cJSON_IsString(x) || !x->valuestring[0])
		return ierr(c, e, "'%s' must be a non-empty string", key);
	if (!(*out = cs_arena_strdup(c->a, x->valuestring)))
		return cs_err_set(c->err, CS_ENOMEM, "out of memory");
	return 0;
}

static int parse_paths(const ictx *c, entry *e, const cJSON *x)
{
	const cJSON *y;
	size_t i = 0;

	if (cJSON_IsString(x)) {
		e->npaths = 1;
		if (!(e->paths = cs_arena_calloc(c->a, 1, sizeof(*e->paths))) ||
		    !(e->paths[0] = cs_arena_strdup(c->a, strip_slash(x->valuestring))))
			return cs_err_set(c->err, CS_ENOMEM, "out of memory");
		return 0;
	}
	if (!cJSON_IsArray(x) || !cJSON_GetArraySize(x))
		return ierr(c, e, "'paths' must be a glob or a non-empty list of globs");
	e->npaths = (size_t)cJSON_GetArraySize(x);
	if (e->npaths > MAX_PATHS)
		return ierr(c, e, "more than %d paths", MAX_PATHS);
	if (!(e->paths = cs_arena_calloc(c->a, e->npaths, sizeof(*e->paths))))
		return cs_err_set(c->err, CS_ENOMEM, "out of memory");
	cJSON_ArrayForEach(y, x) {
		if (!cJSON_IsString(y) || !y->valuestring[0])
			return ierr(c, e, "'paths' must list non-empty globs");
		if (!(e->paths[i++] = cs_arena_strdup(c->a, strip_slash(y->valuestring))))
			return cs_err_set(c->err, CS_ENOMEM, "out of memory");
	}
	return 0;
}

static int parse_entry(const ictx *c, entry *e, const cJSON *o)
{
	const cJSON *x, *y;
	int code = 0;

	if (!cJSON_IsObject(o))
		return ierr(c, e, "an entry must be a mapping (id, reason, ...)");
	/* The id first, so every later message can name the entry. */
	x = cJSON_GetObjectItemCaseSensitive(o, "id");
	if (!x || cJSON_IsNull(x))
		return ierr(c, e, "no 'id'");
	if ((code = get_str(c, e, x, "id", &e->id)) < 0)
		return code;
	cJSON_ArrayForEach(x, o) {
		for (y = x->next; y; y = y->next)
			if (!strcmp(x->string, y->string))
				return ierr(c, e, "key '%.40s' given twice", x->string);
		if (!strcmp(x->string, "id"))
			continue;
		if (!strcmp(x->string, "reason"))
			code = get_str(c, e, x, "reason", &e->reason);
		else if (!strcmp(x->string, "expires")) {
			if ((code = get_str(c, e, x, "expires", &e->expires)) == 0 &&
			    !cs_pol_date(e->expires, &e->expiry_day))
				return ierr(c, e, "'expires' must be a date YYYY-MM-DD, not '%.40s'", e->expires);
		} else if (!strcmp(x->string, "paths"))
			code = parse_paths(c, e, x);
		else if (e->kind == K_VULN && !strcmp(x->string, "package"))
			code = get_str(c, e, x, "package", &e->package);
		else if (e->kind == K_VULN && !strcmp(x->string, "purl"))
			code = get_str(c, e, x, "purl", &e->purl);
		else
			return ierr(c, e, "unknown key '%.40s' (id, %sreason, expires)", x->string,
				    e->kind == K_VULN ? "package, purl, paths, " : "paths, ");
		if (code < 0)
			return code;
	}
	if (!e->reason)
		return ierr(c, e, "no 'reason': say why the finding is accepted");
	return 0;
}

int cs_ignore_parse(cs_ignore **out, cs_arena *a, const char *what, const char *data, size_t len, cs_err *err)
{
	cs_yaml_opts yo = {what, CS_POLICY_YAML_DEPTH, false};
	ictx c = {a, what, err};
	cs_ignore *ig;
	cJSON *root = NULL;
	const cJSON *x, *y;
	size_t n = 0, k;
	int code;

	*out = NULL;
	if ((code = cs_yaml_parse(&root, data, len, &yo, err)) < 0) {
		cs_err_prefix(err, "ignore file: ");
		return code;
	}
	if (!(ig = cs_arena_calloc(a, 1, sizeof(*ig))) || !(ig->source = cs_arena_strdup(a, what))) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	/* An empty file ignores nothing. */
	if (cJSON_IsNull(root))
		goto ok;
	if (!cJSON_IsObject(root)) {
		code = ierr(&c, NULL, "not a mapping of vulnerabilities, secrets and misconfigurations");
		goto done;
	}
	cJSON_ArrayForEach(x, root) {
		for (k = 0; k < K_N && strcmp(x->string, section_names[k]); k++)
			;
		if (k == K_N) {
			code = ierr(&c, NULL, "unknown section '%.40s' (vulnerabilities, secrets, misconfigurations)",
				    x->string);
			goto done;
		}
		for (y = x->next; y; y = y->next)
			if (!strcmp(x->string, y->string)) {
				code = ierr(&c, NULL, "section '%s' given twice", x->string);
				goto done;
			}
		if (cJSON_IsNull(x))
			continue;
		if (!cJSON_IsArray(x)) {
			code = ierr(&c, NULL, "section '%s' must be a list of entries", x->string);
			goto done;
		}
		n += (size_t)cJSON_GetArraySize(x);
	}
	if (n > MAX_ENTRIES) {
		code = cs_err_set(err, CS_ELIMIT, "ignore file '%s': more than %d entries", what, MAX_ENTRIES);
		goto done;
	}
	if (n && !(ig->entries = cs_arena_calloc(a, n, sizeof(*ig->entries)))) {
		code = cs_err_set(err, CS_ENOMEM, "out of memory");
		goto done;
	}
	cJSON_ArrayForEach(x, root) {
		size_t index = 0;

		for (k = 0; strcmp(x->string, section_names[k]); k++)
			;
		cJSON_ArrayForEach(y, x) {
			entry *e = &ig->entries[ig->n++];

			e->kind = (int)k;
			e->index = ++index;
			if ((code = parse_entry(&c, e, y)) < 0)
				goto done;
		}
	}
ok:
	*out = ig;
	code = 0;
done:
	cJSON_Delete(root);
	return code;
}

int cs_ignore_load(cs_ignore **out, cs_arena *a, const char *path, cs_err *err)
{
	char *data;
	size_t len;
	int code;

	if ((code = cs_pol_read(&data, &len, path, CS_POLICY_MAX_FILE, "ignore file", err)) < 0)
		return code;
	code = cs_ignore_parse(out, a, path, data, len, err);
	free(data);
	return code;
}

/* --- matching ------------------------------------------------------------ */

static bool path_ok(const entry *e, const char *path)
{
	size_t i;

	if (!e->npaths)
		return true;
	for (i = 0; path && i < e->npaths; i++)
		if (cs_pol_glob(e->paths[i], strip_slash(path), false))
			return true;
	return false;
}

static bool vuln_matches(const entry *e, const cs_vuln *v)
{
	const cs_package *p = v->package;
	bool id = cs_pol_glob(e->id, v->id, true);
	size_t i;

	for (i = 0; !id && i < v->naliases; i++)
		id = cs_pol_glob(e->id, v->aliases[i], true);
	if (!id)
		return false;
	if (e->package && !cs_pol_glob(e->package, p->name, true) && !cs_pol_glob(e->package, p->source_name, true))
		return false;
	if (e->purl && !cs_pol_glob(e->purl, p->purl, true))
		return false;
	return path_ok(e, p->found_in);
}

static void suppress(cs_suppression *u, const cs_ignore *ig, const entry *e)
{
	u->kind = "ignore";
	u->reason = e->reason;
	u->source = ig->source;
}

size_t cs_ignore_apply(const cs_ignore *ig, cs_scan *s, long long now)
{
	long long today = now >= 0 ? now / 86400 : (now - 86399) / 86400;
	size_t i, j, n = 0;

	for (j = 0; j < ig->n; j++) {
		const entry *e = &ig->entries[j];

		/* The expiry day itself still applies: the entry lapses the day after. */
		if (e->expires && today > e->expiry_day) {
			char msg[512];
			size_t k;

			snprintf(msg, sizeof(msg), "ignore file '%s': %s entry '%.80s' expired on %s; its findings count again",
				 ig->source, section_names[e->kind], e->id, e->expires);
			for (k = 0; msg[k]; k++) /* one line whatever the id holds */
				if ((unsigned char)msg[k] < 0x20 || msg[k] == 0x7f)
					msg[k] = '?';
			cs_scan_diag(s, CS_LOG_WARN, "%s", msg);
		}
	}
	for (j = 0; j < ig->n; j++) {
		const entry *e = &ig->entries[j];

		if (e->expires && today > e->expiry_day)
			continue;
		switch (e->kind) {
		case K_VULN:
			for (i = 0; i < cs_scan_vuln_count(s); i++) {
				cs_vuln *v = cs_scan_vuln_mut(s, i);

				if (!v->suppressed.kind && vuln_matches(e, v)) {
					suppress(&v->suppressed, ig, e);
					n++;
				}
			}
			break;
		case K_SECRET:
			for (i = 0; i < cs_scan_secret_count(s); i++) {
				cs_secret *f = cs_scan_secret_mut(s, i);

				if (!f->suppressed.kind && cs_pol_glob(e->id, f->rule_id, true) && path_ok(e, f->path)) {
					suppress(&f->suppressed, ig, e);
					n++;
				}
			}
			break;
		default:
			for (i = 0; i < cs_scan_misconfig_count(s); i++) {
				cs_misconfig *m = cs_scan_misconfig_mut(s, i);

				if (!m->suppressed.kind && cs_pol_glob(e->id, m->id, true) &&
				    path_ok(e, m->dockerfile ? m->dockerfile : m->path)) {
					suppress(&m->suppressed, ig, e);
					n++;
				}
			}
			break;
		}
	}
	return n;
}
