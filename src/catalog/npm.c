/*
 * npm.c - the npm cataloger: Node.js packages from installed package.json
 * files and from package-lock.json, yarn.lock and pnpm-lock.yaml.
 *
 * The parsers (npm.h) turn bytes into cs_langpkg lists; the langcat frame
 * does the rest (layers, the final image, ownership by OS packages,
 * lockfiles for directory scans only). JSON is read with cJSON, YAML with
 * core/yaml.h into a cJSON tree (yaml_docs), so both lockfile
 * families are walked the same way.
 */
#include "core/compat.h"
#include "catalog/npm.h"
#include "catalog/catutil.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/map.h"
#include "core/purl.h"
#include "core/strutil.h"
#include "core/yaml.h"

#include <math.h>
#include <sys/stat.h>

/* --- helpers -------------------------------------------------------------- */

/* A usable name or version: not empty, no control byte, a sane length. */
static bool usable(const char *s)
{
	return s && *s && strlen(s) <= 4096 && !cs_cat_has_control(s, strlen(s));
}

/* [p, p + n) equals the C string s. */
static bool mem_is(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(p, s, n) == 0;
}

/*
 * What a parser found so far: packages in order, each name@version once,
 * with a "dev only" flag cleared by any non-dev occurrence (Trivy's
 * UniquePackages); dev-only ones are dropped at the end.
 */
typedef struct collector {
	cs_langfile *out;
	cs_arena *a;
	size_t cap;
	cs_map seen; /* name NUL version -> (index + 1) */
	bool *dev;   /* parallel to out->pkgs; arena */
	size_t devcap;
} collector;

static void coll_init(collector *c, cs_langfile *out, cs_arena *a)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->a = a;
	cs_map_init(&c->seen);
}

static void coll_release(collector *c)
{
	cs_map_release(&c->seen);
}

/*
 * Adds name@version (strings copied into the arena). An unusable name or
 * version counts in nbad. CS_ENOMEM.
 */
static int coll_add(collector *c, const char *name, const char *version, const char **lic, size_t nlic, bool dev)
{
	size_t nlen, vlen, idx;
	void *have;
	char *key, *purl = NULL;
	cs_langpkg *p;
	cs_err perr;
	int rc;

	if (!usable(name) || !usable(version)) {
		c->out->nbad++;
		return 0;
	}
	nlen = strlen(name);
	vlen = strlen(version);
	if (!(key = cs_arena_alloc(c->a, nlen + vlen + 2)))
		return CS_ENOMEM;
	memcpy(key, name, nlen);
	memcpy(key + nlen + 1, version, vlen);
	if ((have = cs_map_getn(&c->seen, key, nlen + vlen + 1)) != NULL) {
		idx = (size_t)(uintptr_t)have - 1;
		c->dev[idx] = c->dev[idx] && dev;
		p = &c->out->pkgs[idx];
		if (!p->nlicenses && nlic) { /* the first copy that names licenses gives them */
			p->licenses = lic;
			p->nlicenses = nlic;
		}
		return 0;
	}
	idx = c->out->npkgs;
	if (!(p = cs_langfile_add(c->out, &c->cap, c->a)))
		return CS_ENOMEM;
	if (idx == c->devcap && !(c->dev = cs_arena_grow(c->a, c->dev, idx, &c->devcap, sizeof(*c->dev))))
		return CS_ENOMEM;
	c->dev[idx] = dev;
	p->name = key;
	p->version = key + nlen + 1;
	p->licenses = nlic ? lic : NULL;
	p->nlicenses = nlic;
	cs_err_clear(&perr);
	rc = cs_npm_purl(&purl, c->a, p->name, p->version, &perr);
	if (rc == CS_ENOMEM)
		return rc;
	p->purl = rc == 0 ? purl : NULL; /* a name purl refuses keeps no purl */
	return cs_map_putn(&c->seen, key, nlen + vlen + 1, (void *)(uintptr_t)(idx + 1));
}

/* Drops the dev-only packages, keeping the order of the rest. */
static void coll_finish(collector *c)
{
	size_t i, o = 0;

	for (i = 0; i < c->out->npkgs; i++)
		if (!c->dev[i])
			c->out->pkgs[o++] = c->out->pkgs[i];
	c->out->npkgs = o;
	if (!o)
		c->out->pkgs = NULL;
}

/* The error for a refused file: allocation failures are CS_ENOMEM whatever the message. */
static int fail(cs_err *err, int rc, const char *what)
{
	if (rc == CS_ENOMEM)
		return cs_err_set(err, CS_ENOMEM, "out of memory reading %s", what);
	return rc;
}

/* --- paths ------------------------------------------------------------------ */

/* Whether [p, p + n) is a package name component: not empty, no leading '.'. */
static bool name_part(const char *p, size_t n)
{
	return n > 0 && p[0] != '.';
}

/*
 * Whether the components between a module directory and "package.json",
 * [p, end) without the trailing '/', make one package name: "name" or
 * "@scope/name".
 */
static bool package_dir(const char *p, const char *end)
{
	const char *slash = memchr(p, '/', (size_t)(end - p));

	if (!slash)
		return name_part(p, (size_t)(end - p)) && p[0] != '@';
	if (memchr(slash + 1, '/', (size_t)(end - slash - 1)))
		return false;
	return slash - p > 1 && p[0] == '@' && name_part(slash + 1, (size_t)(end - slash - 1));
}

/* Whether path has a component equal to name. */
static bool has_component(const char *path, const char *name)
{
	size_t n = strlen(name);
	const char *p = path;

	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && memcmp(p, name, n) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

/*
 * Where the module directory of a package.json path ends (just after its
 * '/'), or NULL: after the last "node_modules/" component, else after one
 * of Debian's module directories.
 */
static const char *module_dir_end(const char *path)
{
	static const char *const debian[] = {"usr/share/nodejs/", "usr/lib/nodejs/"};
	const char *p = path, *last = NULL;
	size_t i;

	while ((p = strstr(p, "node_modules/")) != NULL) {
		if (p == path || p[-1] == '/')
			last = p + strlen("node_modules/");
		p++;
	}
	if (last)
		return last;
	for (i = 0; i < CS_ARRAY_LEN(debian); i++)
		if (cs_str_starts(path, debian[i]))
			return path + strlen(debian[i]);
	/* usr/lib/<triplet>/nodejs/: Debian's architecture-dependent modules. */
	if (cs_str_starts(path, "usr/lib/")) {
		const char *t = path + strlen("usr/lib/"), *slash = strchr(t, '/');

		if (slash && slash > t && cs_str_starts(slash, "/nodejs/") && memchr(t, '-', (size_t)(slash - t)))
			return slash + strlen("/nodejs/");
	}
	return NULL;
}

int cs_npm_kind(const char *path)
{
	const char *base = cs_path_base(path), *dir;

	if (strcmp(base, "package.json") == 0) {
		if (base == path || !(dir = module_dir_end(path)) || dir >= base)
			return CS_NPM_NONE;
		return package_dir(dir, base - 1) ? CS_NPM_PACKAGE_JSON : CS_NPM_NONE;
	}
	if (strcmp(base, "package-lock.json") == 0)
		return has_component(path, "node_modules") ? CS_NPM_NONE : CS_NPM_PACKAGE_LOCK;
	if (strcmp(base, "pnpm-lock.yaml") == 0)
		return has_component(path, "node_modules") ? CS_NPM_NONE : CS_NPM_PNPM_LOCK;
	if (strcmp(base, "yarn.lock") == 0)
		return has_component(path, "node_modules") || has_component(path, ".yarn") ? CS_NPM_NONE
											   : CS_NPM_YARN_LOCK;
	return CS_NPM_NONE;
}

/* --- names and purls -------------------------------------------------------------- */

static bool name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
	       c == '_';
}

/* Trivy's name rule on [p, end), which must not be empty. */
static bool valid_name_n(const char *p, const char *end)
{
	if (p < end && *p == '@') {
		const char *s = ++p;

		while (p < end && name_char((unsigned char)*p))
			p++;
		if (p == s || p == end || *p != '/')
			return false;
		p++;
	}
	if (p == end || !name_char((unsigned char)*p))
		return false;
	while (p < end && name_char((unsigned char)*p))
		p++;
	return p == end;
}

bool cs_npm_valid_name(const char *name)
{
	return !*name || valid_name_n(name, name + strlen(name));
}

int cs_npm_purl(char **out, cs_arena *a, const char *name, const char *version, cs_err *err)
{
	cs_purl u;
	char *ns = NULL;
	const char *slash;

	memset(&u, 0, sizeof(u));
	u.type = "npm";
	u.name = name;
	u.version = version;
	/* "@scope/name": the scope, '@' included, is the namespace (purl-spec's npm type). */
	if (name[0] == '@' && (slash = strchr(name, '/')) != NULL) {
		if (!(ns = cs_arena_strndup(a, name, (size_t)(slash - name))))
			return cs_err_set(err, CS_ENOMEM, "out of memory");
		u.ns = ns;
		u.name = slash + 1;
	}
	return cs_purl_build(out, a, &u, err);
}

/* --- licenses ----------------------------------------------------------------------- */

/* One license value: a non-empty string, or an object's non-empty "type". NULL otherwise. */
static const char *license_name(const cJSON *v)
{
	const char *s = cJSON_IsString(v) ? v->valuestring : cs_json_str(v, "type");

	return s && *s && strlen(s) <= 4096 && !cs_cat_has_control(s, strlen(s)) ? s : NULL;
}

/*
 * The licenses a "license" or "licenses" value names: a string, an object
 * {"type": ...}, or an array of either (npm's legacy forms). Arena array
 * of arena strings in *out.
 */
static int licenses_of(const cJSON *v, cs_arena *a, const char ***out, size_t *n)
{
	const cJSON *e;
	size_t cap = 0;
	const char *s;

	*out = NULL;
	*n = 0;
	if (!cJSON_IsArray(v)) {
		if (!(s = license_name(v)))
			return 0;
		if (!(*out = cs_arena_alloc(a, sizeof(**out))) || !((*out)[0] = cs_arena_strdup(a, s)))
			return CS_ENOMEM;
		*n = 1;
		return 0;
	}
	cJSON_ArrayForEach(e, v)
	{
		if (!(s = license_name(e)))
			continue;
		if (*n == cap && !(*out = cs_arena_grow(a, (void *)*out, *n, &cap, sizeof(**out))))
			return CS_ENOMEM;
		if (!((*out)[*n] = cs_arena_strdup(a, s)))
			return CS_ENOMEM;
		(*n)++;
	}
	return 0;
}

/* "license", else the legacy "licenses", of a package object. */
static int package_licenses(const cJSON *pkg, cs_arena *a, const char ***out, size_t *n)
{
	int rc = licenses_of(cJSON_GetObjectItemCaseSensitive(pkg, "license"), a, out, n);

	if (rc < 0 || *n)
		return rc;
	return licenses_of(cJSON_GetObjectItemCaseSensitive(pkg, "licenses"), a, out, n);
}

/* --- package.json ------------------------------------------------------------------------ */

/* A member that must be a string when present: *out NULL when absent. CS_EFORMAT otherwise. */
static int string_member(const cJSON *obj, const char *name, const char **out, cs_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return cs_err_set(err, CS_EFORMAT, "'%s' is not a string", name);
	*out = v->valuestring;
	return 0;
}

int cs_npm_parse_package_json(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	const char *name, *version, **lic = NULL;
	char q[80];
	size_t nlic = 0;
	collector c;
	cJSON *j;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(j = cs_json_parse(data, len, "package.json", err)))
		return CS_EFORMAT;
	coll_init(&c, out, a);
	if (!cJSON_IsObject(j)) {
		rc = cs_err_set(err, CS_EFORMAT, "package.json: not a JSON object");
		goto done;
	}
	if ((rc = string_member(j, "name", &name, err)) < 0 || (rc = string_member(j, "version", &version, err)) < 0)
		goto done;
	/* Both are optional for a project that is never published: no package, no error. */
	if (!name || !*name || !version || !*version)
		goto done;
	if (!cs_npm_valid_name(name)) {
		rc = cs_err_set(err, CS_EFORMAT, "invalid package name '%s'", cs_cat_quote(q, sizeof(q), name, strlen(name)));
		goto done;
	}
	if (!usable(version)) {
		rc = cs_err_set(err, CS_EFORMAT, "unusable 'version' of '%s'", name);
		goto done;
	}
	if ((rc = package_licenses(j, a, &lic, &nlic)) < 0 || (rc = coll_add(&c, name, version, lic, nlic, false)) < 0)
		goto done;
	coll_finish(&c);
done:
	coll_release(&c);
	cJSON_Delete(j);
	return fail(err, rc, "package.json");
}

/* --- package-lock.json ----------------------------------------------------------------------- */

/*
 * A v1 "version" may be an alias, "npm:<name>@<version>": the real name
 * and version then replace the key's. Strings point into v or the arena.
 */
static int unalias(cs_arena *a, const char **name, const char **version)
{
	const char *v = *version, *at;
	char *real;

	if (!cs_str_starts(v, "npm:"))
		return 0;
	v += 4;
	if (!(at = strrchr(v, '@')) || at == v)
		return 0;
	if (!(real = cs_arena_strndup(a, v, (size_t)(at - v))))
		return CS_ENOMEM;
	*name = real;
	*version = at + 1;
	return 0;
}

/*
 * lockfileVersion 1: the nested "dependencies" tree. A dependency nested
 * under a dev one is dev too (npm marks both; syft's fixtures rely on it).
 */
static int lock_v1(collector *c, const cJSON *deps, bool dev, int depth, cs_err *err)
{
	const cJSON *d;
	int rc;

	if (depth > CS_NPM_MAX_LOCK_DEPTH)
		return cs_err_set(err, CS_ELIMIT, "package-lock.json: dependencies nested deeper than %d",
				  CS_NPM_MAX_LOCK_DEPTH);
	cJSON_ArrayForEach(d, deps)
	{
		const char *name = d->string, *version = cs_json_str(d, "version");
		bool d_dev = dev || cs_json_true(d, "dev");
		const cJSON *nested;

		if (!cJSON_IsObject(d) || !name || !version) {
			c->out->nbad++;
			continue;
		}

		if ((rc = unalias(c->a, &name, &version)) < 0 || (rc = coll_add(c, name, version, NULL, 0, d_dev)) < 0)
			return rc;
		if ((nested = cs_json_obj(d, "dependencies")) != NULL &&
		    (rc = lock_v1(c, nested, d_dev, depth + 1, err)) < 0)
			return rc;
	}
	return 0;
}

/*
 * Where a "packages" entry is installed: a path under a workspace member
 * (the "resolved" of a link) moves under the link's path, as npm places
 * it (functions/func1/node_modules/x -> node_modules/func1/node_modules/x).
 * The longest member path that is a whole-component prefix wins.
 * Returns path itself or an arena string; NULL when out of memory.
 */
static const char *relocate(cs_arena *a, const cs_map *links, const char *path)
{
	size_t n = strlen(path);

	for (;;) {
		const char *link = cs_map_getn(links, path, n);

		if (link) {
			return cs_arena_printf(a, "%s%s", link, path + n);
		}
		while (n > 0 && path[n - 1] != '/')
			n--;
		if (n == 0)
			return path;
		n--; /* drop the '/' */
	}
}

/* The name a "packages" path gives: what follows its last "node_modules/". */
static const char *name_from_path(const char *path)
{
	const char *p = path, *last = NULL;

	while ((p = strstr(p, "node_modules/")) != NULL) {
		if (p == path || p[-1] == '/')
			last = p + strlen("node_modules/");
		p++;
	}
	return last;
}

/* lockfileVersion 2 and 3: the "packages" map keyed by install path. */
static int lock_v2(collector *c, const cJSON *packages)
{
	const cJSON *e;
	cs_map links;
	int rc = 0;

	cs_map_init(&links);
	/* Links first: "resolved" (the member's path) -> the link's own path. */
	cJSON_ArrayForEach(e, packages)
	{
		const char *resolved = cs_json_str(e, "resolved");

		if (!e->string || !cs_json_true(e, "link") || !resolved || !*resolved)
			continue;
		if ((rc = cs_map_put(&links, resolved, e->string)) < 0)
			goto done;
	}
	cJSON_ArrayForEach(e, packages)
	{
		const char *path = e->string, *name, *version, **lic;
		size_t nlic;

		if (!path || !cJSON_IsObject(e)) {
			c->out->nbad++;
			continue;
		}
		/* The root project, and links (their targets stand in for them). */
		if (!*path || cs_json_true(e, "link"))
			continue;
		if (!(path = relocate(c->a, &links, path))) {
			rc = CS_ENOMEM;
			goto done;
		}
		if (!cs_str_starts(path, "node_modules/"))
			continue; /* a workspace member no link installs, or the project's own files */
		version = cs_json_str(e, "version");
		if (!version || !*version)
			continue; /* a member without a version: nothing a registry publishes */
		if (!(name = cs_json_str(e, "name")) || !*name)
			name = name_from_path(path);
		if ((rc = package_licenses(e, c->a, &lic, &nlic)) < 0 ||
		    (rc = coll_add(c, name, version, lic, nlic, cs_json_true(e, "dev"))) < 0)
			goto done;
	}
done:
	cs_map_release(&links);
	return rc;
}

int cs_npm_parse_package_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	const cJSON *packages, *deps;
	uint64_t ver = 0;
	bool v1;
	collector c;
	cJSON *j;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	if (!(j = cs_json_parse(data, len, "package-lock.json", err)))
		return CS_EFORMAT;
	coll_init(&c, out, a);
	if (!cJSON_IsObject(j)) {
		rc = cs_err_set(err, CS_EFORMAT, "package-lock.json: not a JSON object");
		goto done;
	}
	packages = cs_json_obj(j, "packages");
	deps = cs_json_obj(j, "dependencies");
	/* As Trivy: version 1 reads "dependencies"; 2 and 3 (which keep both) read "packages". */
	v1 = (cs_json_u64(j, "lockfileVersion", &ver) && ver == 1) || (!packages && ver == 0);
	if (v1 && deps)
		rc = lock_v1(&c, deps, false, 0, err);
	else if (!v1 && packages)
		rc = lock_v2(&c, packages);
	if (rc < 0)
		goto done;
	coll_finish(&c);
done:
	coll_release(&c);
	cJSON_Delete(j);
	out->lockfile = true;
	return fail(err, rc, "package-lock.json");
}

/* --- YAML ------------------------------------------------------------------------------------- */

/*
 * Every document of a YAML stream as a cJSON array (core/yaml.h: scalars
 * stay strings, so "5.4" and "true" are read as written; aliases refused),
 * nesting capped at CS_NPM_MAX_DEPTH. NULL with the code in *rc and a
 * message in err.
 */
static cJSON *yaml_docs(const char *data, size_t len, const char *what, int *rc, cs_err *err)
{
	const cs_yaml_opts opts = {.what = what, .max_depth = CS_NPM_MAX_DEPTH, .all_documents = true};
	cJSON *docs;

	*rc = cs_yaml_parse(&docs, data, len, &opts, err);
	return docs;
}

/* A YAML scalar member that reads as true ("dev: true"). */
static bool yaml_true(const cJSON *obj, const char *name)
{
	const char *s = cs_json_str(obj, name);

	return s && (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0);
}

/* --- yarn.lock ------------------------------------------------------------------------------------ */

/* Protocols of a dependency range that name something other than a registry package. */
static bool foreign_protocol(const char *p, size_t n)
{
	static const char *const known[] = {"workspace", "patch", "file", "link", "portal", "exec",
					     "github", "gitlab", "bitbucket", "git", "git+ssh", "git+http",
					     "git+https", "git+file", "http", "https"};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(known); i++)
		if (mem_is(p, n, known[i]))
			return true;
	return false;
}

/* Length of a protocol ("npm", "git+https") at the start of range, before its ':'; 0 when none. */
static size_t protocol_len(const char *range)
{
	size_t i = 0;

	if (!((range[0] >= 'a' && range[0] <= 'z') || (range[0] >= 'A' && range[0] <= 'Z')))
		return 0;
	while ((range[i] >= 'a' && range[i] <= 'z') || (range[i] >= 'A' && range[i] <= 'Z') ||
	       (range[i] >= '0' && range[i] <= '9') || range[i] == '+' || range[i] == '-' || range[i] == '.')
		i++;
	return range[i] == ':' ? i : 0;
}

enum { SPEC_REGISTRY, SPEC_FOREIGN, SPEC_BAD };

/*
 * Reads one dependency specifier "name@range" (a lockfile key): *name the
 * package it installs (the alias target for "alias@npm:real@range"),
 * arena string. Returns SPEC_REGISTRY, SPEC_FOREIGN (another protocol:
 * nothing a registry publishes) or SPEC_BAD (not a specifier, or an
 * unknown protocol); negative when out of memory.
 */
static int read_spec(cs_arena *a, const char *spec, size_t n, const char **name)
{
	const char *at, *range, *end = spec + n;
	size_t plen;
	char *s;

	if (n == 0 || !(at = memchr(spec + 1, '@', n - 1)))
		return SPEC_BAD;
	if (!(s = cs_arena_strndup(a, at + 1, (size_t)(end - at - 1))))
		return CS_ENOMEM;
	range = s;
	*name = NULL;
	if ((plen = protocol_len(range)) != 0) {
		const char *alias;

		if (!mem_is(range, plen, "npm"))
			return foreign_protocol(range, plen) ? SPEC_FOREIGN : SPEC_BAD;
		range += plen + 1;
		/* "npm:real@range" or "npm:@scope/real@range": the real name. */
		if ((alias = strrchr(range, '@')) != NULL && alias > range) {
			if (!(*name = cs_arena_strndup(a, range, (size_t)(alias - range))))
				return CS_ENOMEM;
			return SPEC_REGISTRY;
		}
	} else if (strchr(range, '/') || strchr(range, ':')) {
		return SPEC_FOREIGN; /* "user/repo#ref" (GitHub shorthand), a path or URL */
	}
	if (!(*name = cs_arena_strndup(a, spec, (size_t)(at - spec))))
		return CS_ENOMEM;
	return SPEC_REGISTRY;
}

/*
 * The package name of a registry tarball URL, "<base>/<name>/-/<file>.tgz"
 * or "<base>/@scope/name/-/...", '%2f' and '%40' decoded; NULL when the
 * URL is not of that form (or out of memory).
 */
static const char *tarball_name(cs_arena *a, const char *url)
{
	const char *dash, *start, *p, *host;
	cs_buf b;
	char *out = NULL;

	if (!cs_str_starts(url, "https://") && !cs_str_starts(url, "http://"))
		return NULL;
	if (!(dash = strstr(url, "/-/")))
		return NULL;
	/* The name is in the path: past the host. */
	host = strchr(strstr(url, "://") + 3, '/');
	for (start = dash; start > url && start[-1] != '/'; start--)
		;
	/* A scoped name spans two components: "@scope/name". */
	if (start - 1 > url && start[-1] == '/') {
		const char *s2 = start - 1;

		while (s2 > url && s2[-1] != '/')
			s2--;
		if (*s2 == '@' && s2 < start - 1)
			start = s2;
	}
	if (start == dash || !host || start <= host)
		return NULL;
	cs_buf_init(&b, 0);
	for (p = start; p < dash; p++) {
		int rc;

		if (*p == '%' && dash - p >= 3 && (cs_mem_starts(p, 3, "%2f") || cs_mem_starts(p, 3, "%2F"))) {
			rc = cs_buf_putc(&b, '/');
			p += 2;
		} else if (*p == '%' && dash - p >= 3 && cs_mem_starts(p, 3, "%40")) {
			rc = cs_buf_putc(&b, '@');
			p += 2;
		} else {
			rc = cs_buf_putc(&b, *p);
		}
		if (rc < 0)
			goto done;
	}
	out = cs_arena_strndup(a, b.data, b.len);
done:
	cs_buf_release(&b);
	return out;
}

/* Removes one pair of surrounding double quotes from [*p, *p + *n). */
static void unquote(const char **p, size_t *n)
{
	if (*n >= 2 && (*p)[0] == '"' && (*p)[*n - 1] == '"') {
		(*p)++;
		*n -= 2;
	}
}

/* One yarn v1 entry, as its lines were read. */
typedef struct yarn_entry {
	const char *header; /* the unindented "spec, spec:" line */
	size_t hlen;
	const char *version, *resolved; /* field values, quotes removed; may be NULL */
	size_t vlen, rlen;
	size_t indent; /* the fields' indentation; 0 before the first field */
} yarn_entry;

static int yarn_v1_entry(collector *c, const yarn_entry *e)
{
	const char *h = e->header, *spec, *name, *version, *url;
	size_t n = e->hlen, slen;
	int kind;

	if (!h)
		return 0;
	/* "a@1, a@^1:" -> the first spec; quoted specs may hold ", ". */
	if (n && h[n - 1] == ':')
		n--;
	if (n && h[0] == '"') {
		const char *q = memchr(h + 1, '"', n - 1);

		if (!q) {
			c->out->nbad++;
			return 0;
		}
		spec = h + 1;
		slen = (size_t)(q - spec);
	} else {
		const char *comma = memchr(h, ',', n);

		spec = h;
		slen = comma ? (size_t)(comma - h) : n;
	}
	if ((kind = read_spec(c->a, spec, slen, &name)) < 0)
		return kind;
	if (kind == SPEC_FOREIGN)
		return 0;
	/* A NUL would cut the strings short: such an entry is malformed, not shortened. */
	if (kind == SPEC_BAD || !e->version || !e->vlen || memchr(e->version, '\0', e->vlen) ||
	    memchr(h, '\0', e->hlen) || (e->resolved && memchr(e->resolved, '\0', e->rlen))) {
		c->out->nbad++;
		return 0;
	}
	if (!(version = cs_arena_strndup(c->a, e->version, e->vlen)))
		return CS_ENOMEM;
	/* The tarball a registry served names what was installed (aliases, forks). */
	if (e->resolved) {
		const char *r = cs_arena_strndup(c->a, e->resolved, e->rlen);

		if (!r)
			return CS_ENOMEM;
		if ((url = tarball_name(c->a, r)) != NULL && *url)
			name = url;
	}
	return coll_add(c, name, version, NULL, 0, false);
}

/* yarn classic (v1): its own indented text format. */
static int yarn_v1(collector *c, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	yarn_entry e;
	int rc;

	memset(&e, 0, sizeof(e));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *line = p, *key, *val;
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), indent = 0, klen, vlen;

		p = nl ? nl + 1 : end;
		if (n && line[n - 1] == '\r')
			n--;
		while (indent < n && line[indent] == ' ')
			indent++;
		if (indent == n || line[indent] == '#')
			continue; /* blank or a comment */
		if (indent == 0) {
			if ((rc = yarn_v1_entry(c, &e)) < 0)
				return rc;
			memset(&e, 0, sizeof(e));
			if (line[n - 1] != ':') {
				c->out->nbad++; /* not an entry header */
				continue;
			}
			e.header = line;
			e.hlen = n;
			continue;
		}
		if (!e.header)
			continue;
		if (!e.indent)
			e.indent = indent;
		if (indent != e.indent)
			continue; /* a dependency list's lines */
		/* key value: `version "1.2.3"`, `"version" "1.2.3"`, `resolved "https://..."`. */
		key = line + indent;
		n -= indent;
		for (klen = 0; klen < n && key[klen] != ' '; klen++)
			;
		val = key + klen;
		vlen = n - klen;
		cs_cat_trim(&val, &vlen, " ");
		unquote(&key, &klen);
		unquote(&val, &vlen);
		if (mem_is(key, klen, "version")) {
			e.version = val;
			e.vlen = vlen;
		} else if (mem_is(key, klen, "resolved")) {
			e.resolved = val;
			e.rlen = vlen;
		}
	}
	return yarn_v1_entry(c, &e);
}

/* yarn berry (v2+): YAML whose entries resolve to "<name>@<protocol>:<reference>". */
static int yarn_berry(collector *c, const char *data, size_t len, cs_err *err)
{
	const cJSON *doc, *e;
	cJSON *docs;
	int rc = 0;

	if (!(docs = yaml_docs(data, len, "yarn.lock", &rc, err)))
		return rc;
	doc = cJSON_GetArrayItem(docs, 0);
	if (!cJSON_IsObject(doc))
		doc = NULL; /* empty, or not a mapping: no entries */
	cJSON_ArrayForEach(e, doc)
	{
		const char *key = e->string, *res = cs_json_str(e, "resolution"), *version = cs_json_str(e, "version");
		const char *name = NULL, *spec;
		size_t slen;
		int kind;

		if (!key || strcmp(key, "__metadata") == 0)
			continue;
		if (!cJSON_IsObject(e)) {
			c->out->nbad++;
			continue;
		}
		/* The resolution names the real package; without one, the key's first spec. */
		spec = res ? res : key;
		slen = res ? strlen(res) : strcspn(key, ",");
		if ((kind = read_spec(c->a, spec, slen, &name)) < 0) {
			rc = kind;
			break;
		}
		if (kind == SPEC_FOREIGN)
			continue;
		if (kind == SPEC_BAD || !version) {
			c->out->nbad++;
			continue;
		}
		if ((rc = coll_add(c, name, version, NULL, 0, false)) < 0)
			break;
	}
	cJSON_Delete(docs);
	return rc;
}

/* Whether a line of data starts with "__metadata:": yarn berry's YAML. */
static bool is_berry(const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (cs_mem_starts(p, (size_t)(end - p), "__metadata:"))
			return true;
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

int cs_npm_parse_yarn_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	collector c;
	int rc;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	coll_init(&c, out, a);
	if (is_berry(data, len))
		rc = yarn_berry(&c, data, len, err);
	else
		rc = yarn_v1(&c, data, len);
	if (rc == 0)
		coll_finish(&c);
	coll_release(&c);
	return fail(err, rc, "yarn.lock");
}

/* --- pnpm-lock.yaml ---------------------------------------------------------------------------------- */

/* Trivy's (go-version) test: a version a registry publishes, not a URL or path. */
static bool semver_like(const char *v)
{
	const char *p = v;

	if (!(*p >= '0' && *p <= '9'))
		return false;
	for (; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '.' ||
		      *p == '-' || *p == '+'))
			return false;
	return true;
}

/* See npm.h: Trivy's parsePnpmKey. */
int cs_npm_pnpm_key(cs_arena *a, const char *key, double ver, const char **name, const char **version)
{
	const char *p = key, *sep, *v, *vend;
	char namesep = ver < 6 ? '/' : '@';
	char peersep = ver < 6 ? '_' : '(';

	if (ver < 9) {
		const char *slash = strchr(p, '/');

		p = slash ? slash + 1 : p + strlen(p);
	}
	if (*p == '@') { /* past the scope: "@scope/" */
		sep = strchr(p, '/');
		sep = sep ? strchr(sep + 1, namesep) : NULL;
	} else {
		sep = strchr(p, namesep);
	}
	if (!sep) {
		*name = cs_arena_strdup(a, p);
		*version = "";
		return *name ? 0 : CS_ENOMEM;
	}
	v = sep + 1;
	vend = strchr(v, peersep);
	if (!vend)
		vend = v + strlen(v);
	if (!(*name = cs_arena_strndup(a, p, (size_t)(sep - p))) ||
	    !(*version = cs_arena_strndup(a, v, (size_t)(vend - v))))
		return CS_ENOMEM;
	return 0;
}

/* Whether doc is pnpm 11's environment lockfile (Trivy's isEnvLockfile). */
static bool pnpm_env_doc(const cJSON *doc)
{
	const cJSON *imp;

	cJSON_ArrayForEach(imp, cs_json_obj(doc, "importers"))
	if (cJSON_GetObjectItemCaseSensitive(imp, "configDependencies") ||
	    cJSON_GetObjectItemCaseSensitive(imp, "packageManagerDependencies"))
		return true;
	return false;
}

/*
 * The project's own production dependencies of a lockfile below 9:
 * "dependencies" and "optionalDependencies", name -> "1.0.0" (5.x, peers
 * after '_') or {version: "1.0.0(peer)"} (6.x). They are in "packages"
 * too in a whole file; a trimmed one (syft's fixtures) may list them only
 * here. Links and paths are not registry versions.
 */
static int pnpm_direct(collector *c, const cJSON *doc, double ver)
{
	static const char *const groups[] = {"dependencies", "optionalDependencies"};
	const cJSON *e;
	size_t g;
	int rc;

	for (g = 0; g < CS_ARRAY_LEN(groups); g++) {
		cJSON_ArrayForEach(e, cs_json_obj(doc, groups[g]))
		{
			const char *v = cJSON_IsString(e) ? e->valuestring : cs_json_str(e, "version");
			char *version;

			if (!e->string || !v)
				continue;
			if (!(version = cs_arena_strndup(c->a, v, strcspn(v, ver < 6 ? "_" : "("))))
				return CS_ENOMEM;
			if (semver_like(version) && (rc = coll_add(c, e->string, version, NULL, 0, false)) < 0)
				return rc;
		}
	}
	return 0;
}

/*
 * lockfileVersion below 9: the "packages" map. 9.x files without
 * "snapshots" (hand-trimmed ones) are read so too, their keys in 6.x form.
 */
static int pnpm_packages(collector *c, const cJSON *doc, double ver)
{
	double key_ver = ver >= 9 ? 6 : ver;
	const cJSON *e;
	int rc;

	if (ver < 9 && (rc = pnpm_direct(c, doc, ver)) < 0)
		return rc;
	cJSON_ArrayForEach(e, cs_json_obj(doc, "packages"))
	{
		const char *name = cs_json_str(e, "name"), *version = cs_json_str(e, "version");

		if (!e->string || !(cJSON_IsObject(e) || cJSON_IsNull(e))) {
			c->out->nbad++;
			continue;
		}
		if (yaml_true(e, "dev"))
			continue;
		if (!name || !*name) {
			if ((rc = cs_npm_pnpm_key(c->a, e->string, key_ver, &name, &version)) < 0)
				return rc;
			if (!semver_like(version))
				version = ""; /* "file:...", a tarball URL: no registry version */
		}
		if (!version || !*version)
			continue;
		if ((rc = coll_add(c, name, version, NULL, 0, false)) < 0)
			return rc;
	}
	return 0;
}

/* One snapshot of a 9.x lockfile. */
typedef struct pnpm_snap {
	const cJSON *snap;
	const char *name, *version;
	bool prod;
} pnpm_snap;

/* name@version into b (NUL-terminated); CS_ENOMEM. */
static int join_id(cs_buf *b, const char *name, const char *version)
{
	cs_buf_reset(b);
	return cs_buf_printf(b, "%s@%s", name, version);
}

/*
 * A dependency whose reference is an alias, "real@1.0.0(peer)" or
 * "@scope/real@1.0.0", installs "real": *name and *ref move to it.
 */
static void pnpm_unalias(const char **name, size_t *nlen, const char **ref)
{
	const char *r = *ref, *at = strchr(r + (r[0] == '@'), '@');

	if (at && valid_name_n(r, at)) {
		*name = r;
		*nlen = (size_t)(at - r);
		*ref = at + 1;
	}
}

/* Marks the snapshot "name@ref" (ref as a dependency map gives it) prod and queues it. */
static int pnpm_reach(const cs_map *snaps, const cJSON *packages, cs_buf *b, const char *name, const char *ref,
		      size_t **queue, size_t *qlen, size_t *qcap, pnpm_snap *all, cs_arena *a)
{
	void *hit;
	size_t idx, rlen, nlen = strlen(name);
	int rc;

	pnpm_unalias(&name, &nlen, &ref);
	rlen = strcspn(ref, "(");
	/* Only dependencies the lockfile installs (a "packages" entry without the peers). */
	cs_buf_reset(b);
	if ((rc = cs_buf_append(b, name, nlen)) < 0 || (rc = cs_buf_putc(b, '@')) < 0 ||
	    (rc = cs_buf_append(b, ref, rlen)) < 0)
		return rc;
	if (!cJSON_GetObjectItemCaseSensitive(packages, b->data))
		return 0;
	if ((rc = cs_buf_puts(b, ref + rlen)) < 0)
		return rc;
	if (!(hit = cs_map_get(snaps, b->data)))
		return 0;
	idx = (size_t)(uintptr_t)hit - 1;
	if (all[idx].prod)
		return 0;
	all[idx].prod = true;
	if (*qlen == *qcap && !(*queue = cs_arena_grow(a, *queue, *qlen, qcap, sizeof(**queue))))
		return CS_ENOMEM;
	(*queue)[(*qlen)++] = idx;
	return 0;
}

/* lockfileVersion 9: snapshots reachable from the importers' production dependencies. */
static int pnpm_v9(collector *c, const cJSON *doc)
{
	const cJSON *packages = cs_json_obj(doc, "packages"), *snapshots = cs_json_obj(doc, "snapshots");
	const cJSON *e, *imp;
	pnpm_snap *all = NULL;
	size_t n = 0, cap = 0, *queue = NULL, qlen = 0, qcap = 0, i;
	cs_arena tmp;
	cs_map snaps, direct;
	cs_buf b;
	int rc = 0;

	cs_arena_init(&tmp);
	cs_map_init(&snaps);
	cs_map_init(&direct);
	cs_buf_init(&b, 0);
	/* The importers' production dependencies, as name@version without peers. */
	cJSON_ArrayForEach(imp, cs_json_obj(doc, "importers"))
	{
		static const char *const groups[] = {"dependencies", "optionalDependencies"};
		size_t g;

		for (g = 0; g < CS_ARRAY_LEN(groups); g++) {
			cJSON_ArrayForEach(e, cs_json_obj(imp, groups[g]))
			{
				const char *v = cs_json_str(e, "version"), *dn = e->string;
				size_t dlen;
				char *id;

				if (!dn || !v)
					continue;
				dlen = strlen(dn);
				pnpm_unalias(&dn, &dlen, &v);
				if (!(id = cs_arena_printf(&tmp, "%.*s@%.*s", (int)dlen, dn, (int)strcspn(v, "("), v)) ||
				    (rc = cs_map_put(&direct, id, id)) < 0) {
					rc = CS_ENOMEM;
					goto done;
				}
			}
		}
	}
	cJSON_ArrayForEach(e, snapshots)
	{
		pnpm_snap *s;
		const cJSON *info;

		if (!e->string || !(cJSON_IsObject(e) || cJSON_IsNull(e))) {
			c->out->nbad++;
			continue;
		}
		if (n == cap && !(all = cs_arena_grow(&tmp, all, n, &cap, sizeof(*all)))) {
			rc = CS_ENOMEM;
			goto done;
		}
		s = &all[n];
		s->snap = e;
		if ((rc = cs_npm_pnpm_key(&tmp, e->string, 9, &s->name, &s->version)) < 0 ||
		    (rc = join_id(&b, s->name, s->version)) < 0)
			goto done;
		s->prod = cs_map_get(&direct, b.data) != NULL;
		/* A URL or path key: the "packages" entry may say which version it was. */
		info = cJSON_GetObjectItemCaseSensitive(packages, b.data);
		if (cs_json_str(info, "version") && *cs_json_str(info, "version"))
			s->version = cs_json_str(info, "version");
		else if (!semver_like(s->version))
			s->version = "";
		if ((rc = cs_map_put(&snaps, e->string, (void *)(uintptr_t)(n + 1))) < 0)
			goto done;
		n++;
	}
	for (i = 0; i < n; i++)
		if (all[i].prod) {
			if (qlen == qcap && !(queue = cs_arena_grow(&tmp, queue, qlen, &qcap, sizeof(*queue)))) {
				rc = CS_ENOMEM;
				goto done;
			}
			queue[qlen++] = i;
		}
	/* Breadth first: each snapshot is queued once, so cycles end. */
	for (i = 0; i < qlen; i++) {
		static const char *const groups[] = {"dependencies", "optionalDependencies"};
		size_t g;

		for (g = 0; g < CS_ARRAY_LEN(groups); g++) {
			cJSON_ArrayForEach(e, cs_json_obj(all[queue[i]].snap, groups[g]))
			{
				if (!e->string || !cJSON_IsString(e))
					continue;
				if ((rc = pnpm_reach(&snaps, packages, &b, e->string, e->valuestring, &queue, &qlen, &qcap,
						     all, &tmp)) < 0)
					goto done;
			}
		}
	}
	for (i = 0; i < n; i++)
		if (*all[i].version && (rc = coll_add(c, all[i].name, all[i].version, NULL, 0, !all[i].prod)) < 0)
			goto done;
done:
	cs_buf_release(&b);
	cs_map_release(&direct);
	cs_map_release(&snaps);
	cs_arena_release(&tmp);
	return rc;
}

int cs_npm_parse_pnpm_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	const cJSON *doc = NULL, *d;
	const char *vs;
	char *end = NULL;
	double ver;
	collector c;
	cJSON *docs;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	if (!(docs = yaml_docs(data, len, "pnpm-lock.yaml", &rc, err)))
		return fail(err, rc, "pnpm-lock.yaml");
	coll_init(&c, out, a);
	cJSON_ArrayForEach(d, docs)
	if (cJSON_IsObject(d) && !pnpm_env_doc(d)) {
		doc = d;
		break;
	}
	if (!doc)
		goto finish; /* empty, or only the environment: nothing the project installs */
	/* 5.x writes a number (5.4), later versions a string ('6.0', '9.0'). */
	vs = cs_json_str(doc, "lockfileVersion");
	ver = vs ? strtod(vs, &end) : 0;
	if (!vs || end == vs || *end || !isfinite(ver) || ver <= 0) {
		rc = cs_err_set(err, CS_EFORMAT, "pnpm-lock.yaml: no usable 'lockfileVersion'");
		goto done;
	}
	if (ver >= 9 && cs_json_obj(doc, "snapshots"))
		rc = pnpm_v9(&c, doc);
	else
		rc = pnpm_packages(&c, doc, ver);
	if (rc < 0)
		goto done;
finish:
	coll_finish(&c);
done:
	coll_release(&c);
	cJSON_Delete(docs);
	return fail(err, rc, "pnpm-lock.yaml");
}

/* --- the analyzer ------------------------------------------------------------------------------------ */

int cs_npm_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len, cs_err *err)
{
	switch (cs_npm_kind(path)) {
	case CS_NPM_PACKAGE_JSON:
		return cs_npm_parse_package_json(out, a, data, len, err);
	case CS_NPM_PACKAGE_LOCK:
		return cs_npm_parse_package_lock(out, a, data, len, err);
	case CS_NPM_YARN_LOCK:
		return cs_npm_parse_yarn_lock(out, a, data, len, err);
	case CS_NPM_PNPM_LOCK:
		return cs_npm_parse_pnpm_lock(out, a, data, len, err);
	default:
		memset(out, 0, sizeof(*out));
		return CS_ENOTFOUND;
	}
}

static bool npm_wants(const char *path, uint32_t mode)
{
	return S_ISREG(mode) && cs_npm_kind(path) != CS_NPM_NONE;
}

static const cs_langcat npm_cat = {CS_AN_npm, "npm", "node packages", cs_npm_parse_file, NULL};

CS_LANGCAT_ANALYZER(npm, "npm", npm_wants, 0, npm_cat);
