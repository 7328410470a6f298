/*
 * targets.c - a scan grouped into Trivy's Results (see targets.h).
 */
#include "core/compat.h"
#include "report/targets.h"
#include "core/map.h"
#include "core/strutil.h"
#include "core/vec.h"

/* A target being filled: its record and the growing lists. */
typedef struct builder {
	cs_rtarget t;
	cs_vec pkgs, vulns, secrets, misconfigs;
} builder;

/* A finding with its place in the scan, so equal sort keys keep the scan's order. */
typedef struct ranked_vuln {
	const cs_vuln *v;
	size_t index;
} ranked_vuln;

const char *cs_rtarget_class_name(cs_rtarget_class c)
{
	switch (c) {
	case CS_RTARGET_OS: return "os-pkgs";
	case CS_RTARGET_LANG: return "lang-pkgs";
	case CS_RTARGET_CONFIG: return "config";
	case CS_RTARGET_SECRET: return "secret";
	}
	return "unknown";
}

bool cs_rtarget_is_os_pkg(const cs_package *p)
{
	return p->type && (!strcmp(p->type, "deb") || !strcmp(p->type, "apk") || !strcmp(p->type, "rpm"));
}

const char *cs_rtarget_severity(const char *severity)
{
	static const char *const map[][2] = {
		{"critical", "CRITICAL"}, {"high", "HIGH"}, {"medium", "MEDIUM"}, {"low", "LOW"}, {"negligible", "LOW"},
	};
	size_t i;

	for (i = 0; severity && i < CS_ARRAY_LEN(map); i++)
		if (!strcmp(severity, map[i][0]))
			return map[i][1];
	return "UNKNOWN";
}

const char *cs_rtarget_created_by(const char *created_by)
{
	if (!created_by)
		return NULL;
	if (cs_str_starts(created_by, "/bin/sh -c "))
		created_by += strlen("/bin/sh -c ");
	if (cs_str_starts(created_by, "#(nop) "))
		created_by += strlen("#(nop) ");
	return created_by;
}

const cs_layer *cs_rtarget_layer(const cs_scan *s, int i)
{
	if (i < 0 || cs_scan_is_rootfs(s) || (size_t)i >= cs_scan_layer_count(s))
		return NULL;
	return cs_scan_layer(s, (size_t)i);
}

/* The base name of the file part of found_in ("a.war!WEB-INF/lib/b.jar" -> "a.war"), in buf. */
static const char *file_base(const char *found_in, char *buf, size_t sz)
{
	const char *bang, *base;
	size_t n, i;

	if (!found_in)
		return "";
	bang = strchr(found_in, '!');
	n = bang ? (size_t)(bang - found_in) : strlen(found_in);
	base = found_in;
	for (i = 0; i < n; i++)
		if (found_in[i] == '/')
			base = found_in + i + 1;
	n -= (size_t)(base - found_in);
	if (n >= sz)
		n = sz - 1;
	memcpy(buf, base, n);
	buf[n] = '\0';
	return buf;
}

const char *cs_rtarget_lang_type(const cs_package *p)
{
	/* customs type, the file's base name (NULL: any other file), Trivy's type */
	static const char *const map[][3] = {
		{"pypi", "poetry.lock", "poetry"},
		{"pypi", "Pipfile.lock", "pipenv"},
		{"pypi", "requirements.txt", "pip"},
		{"pypi", "uv.lock", "uv"},
		{"pypi", NULL, "python-pkg"},
		{"npm", "package-lock.json", "npm"},
		{"npm", "yarn.lock", "yarn"},
		{"npm", "pnpm-lock.yaml", "pnpm"},
		{"npm", "bun.lock", "bun"},
		{"npm", NULL, "node-pkg"},
		{"maven", "pom.xml", "pom"},
		{"maven", "gradle.lockfile", "gradle"},
		{"maven", NULL, "jar"},
		{"golang", "go.mod", "gomod"},
		{"golang", "go.sum", "gomod"},
		{"golang", NULL, "gobinary"},
		{"cargo", "Cargo.lock", "cargo"},
		{"cargo", NULL, "rustbinary"},
		{"gem", "Gemfile.lock", "bundler"},
		{"gem", "Gemfile.next.lock", "bundler"},
		{"gem", NULL, "gemspec"},
		{"composer", "installed.json", "composer-vendor"},
		{"composer", NULL, "composer"},
		{"nuget", "packages.lock.json", "nuget"},
		{"nuget", "packages.config", "nuget"},
		{"nuget", "Directory.Packages.props", "packages-props"},
		{"nuget", ".deps.json", "dotnet-core"}, /* a suffix: "<app>.deps.json" */
		{"nuget", NULL, "nuget"},
	};
	char buf[256];
	const char *base = file_base(p->found_in, buf, sizeof(buf));
	size_t i;

	for (i = 0; p->type && i < CS_ARRAY_LEN(map); i++) {
		if (strcmp(p->type, map[i][0]))
			continue;
		if (!map[i][1] || !strcmp(base, map[i][1]) || (map[i][1][0] == '.' && cs_str_ends(base, map[i][1])))
			return map[i][2];
	}
	return p->type ? p->type : "unknown";
}

/* The name Trivy gives a target of type (aggregated kinds), or NULL: one target per file. */
static const char *aggregated_name(const char *type)
{
	static const char *const map[][2] = {
		{"python-pkg", "Python"}, {"conda-pkg", "Conda"}, {"gemspec", "Ruby"}, {"node-pkg", "Node.js"}, {"jar", "Java"},
	};
	size_t i;

	for (i = 0; i < CS_ARRAY_LEN(map); i++)
		if (!strcmp(type, map[i][0]))
			return map[i][1];
	return NULL;
}

/* A per-file target's name when the package names no file (an SBOM's packages). */
static const char *ecosystem_name(const cs_package *p)
{
	static const char *const map[][2] = {
		{"pypi", "Python"}, {"npm", "Node.js"}, {"maven", "Java"}, {"gem", "Ruby"},
		{"golang", "Go"},   {"cargo", "Rust"},  {"composer", "PHP"}, {"nuget", ".NET"},
	};
	size_t i;

	for (i = 0; p->type && i < CS_ARRAY_LEN(map); i++)
		if (!strcmp(p->type, map[i][0]))
			return map[i][1];
	return p->type ? p->type : "unknown";
}

/* The file part of found_in, in the arena ("a.war!x.jar" -> "a.war"), or NULL. */
static const char *file_part(cs_arena *a, const char *found_in)
{
	const char *bang;

	if (!found_in || !*found_in)
		return NULL;
	bang = strchr(found_in, '!');
	return bang ? cs_arena_strndup(a, found_in, (size_t)(bang - found_in)) : found_in;
}

/*
 * The key of the target p belongs to ("\x1f" cannot occur in a path or a
 * type: the catalogers drop control bytes), and its name and type; NULL
 * when out of memory.
 */
static const char *package_key(cs_arena *a, const cs_package *p, const char **name, const char **type)
{
	const char *file;

	*type = cs_rtarget_lang_type(p);
	if ((*name = aggregated_name(*type)) != NULL)
		return cs_arena_printf(a, "lang\x1f%s", *type);
	file = file_part(a, p->found_in);
	*name = file ? file : ecosystem_name(p);
	return cs_arena_printf(a, "file\x1f%s\x1f%s", *type, *name);
}

/* A new target, appended to all when not NULL; NULL when out of memory. */
static builder *builder_new(cs_arena *a, cs_vec *all, cs_rtarget_class cls, const char *name, const char *type)
{
	builder *b = cs_arena_alloc(a, sizeof(*b));

	if (!b)
		return NULL;
	b->t.cls = cls;
	b->t.name = name;
	b->t.type = type;
	b->t.aggregated = cls == CS_RTARGET_LANG && aggregated_name(type) != NULL;
	cs_vec_init(&b->pkgs);
	cs_vec_init(&b->vulns);
	cs_vec_init(&b->secrets);
	cs_vec_init(&b->misconfigs);
	if (all && cs_vec_push(all, b) < 0)
		return NULL;
	return b;
}

/* The target p belongs to, created on first use; NULL when out of memory. */
static builder *lang_builder(cs_arena *a, cs_vec *all, cs_map *by_key, const cs_package *p)
{
	const char *name, *type, *key = package_key(a, p, &name, &type);
	builder *b;

	if (!key || !name)
		return NULL;
	if ((b = cs_map_get(by_key, key)) != NULL)
		return b;
	if (!(b = builder_new(a, all, CS_RTARGET_LANG, name, type)) || cs_map_put(by_key, key, b) < 0)
		return NULL;
	return b;
}

static int cmp_nullable(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "");
}

/* Trivy's BySeverity: package name, version, worst first, vulnerability id; then the file. */
static int vuln_cmp(const void *a, const void *b)
{
	const ranked_vuln *x = a, *y = b;
	const cs_package *p = x->v->package, *q = y->v->package;
	int c;

	if ((c = cmp_nullable(p->name, q->name)) || (c = cmp_nullable(p->version, q->version)))
		return c;
	if ((c = cs_severity_rank(y->v->severity) - cs_severity_rank(x->v->severity)))
		return c;
	if ((c = cmp_nullable(x->v->id, y->v->id)) || (c = cmp_nullable(p->found_in, q->found_in)))
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int builder_name_cmp(const void *a, const void *b)
{
	const builder *x = *(const builder *const *)a, *y = *(const builder *const *)b;
	int c = strcmp(x->t.name, y->t.name);

	return c ? c : strcmp(x->t.type, y->t.type);
}

/* Copies a vector's pointers into an arena array. */
static const void **freeze(cs_arena *a, const cs_vec *v, size_t *n, bool *nomem)
{
	const void **arr;

	*n = v->len;
	if (!v->len)
		return NULL;
	if (!(arr = cs_arena_calloc(a, v->len, sizeof(*arr)))) {
		*nomem = true;
		return NULL;
	}
	memcpy(arr, v->items, v->len * sizeof(*arr));
	return arr;
}

/* Puts the findings of b in Trivy's order. */
static int sort_vulns(builder *b)
{
	ranked_vuln *r;
	size_t i;

	if (b->vulns.len < 2)
		return 0;
	if (!(r = calloc(b->vulns.len, sizeof(*r))))
		return CS_ENOMEM;
	for (i = 0; i < b->vulns.len; i++) {
		r[i].v = b->vulns.items[i];
		r[i].index = i;
	}
	qsort(r, b->vulns.len, sizeof(*r), vuln_cmp);
	for (i = 0; i < b->vulns.len; i++)
		b->vulns.items[i] = (void *)r[i].v;
	free(r);
	return 0;
}

/* The OS target's name: "<artifact> (<family> <version>)", as Trivy's. */
static const char *os_target_name(cs_arena *a, const cs_scan *s, const char **family)
{
	const cs_os *os = cs_scan_os(s);
	const char *artifact = cs_scan_artifact(s)->name;
	const char *version = os && os->version ? os->version : "";
	size_t i;

	*family = os && os->family && *os->family ? os->family : NULL;
	for (i = 0; !*family && i < cs_scan_package_count(s); i++)
		if (cs_rtarget_is_os_pkg(cs_scan_package(s, i)))
			*family = cs_scan_package(s, i)->type;
	if (!*family)
		*family = "unknown";
	return cs_arena_printf(a, "%s (%s%s%s)", artifact ? artifact : "", *family, *version ? " " : "", version);
}

static int group_packages(cs_rtargets *out, const cs_scan *s, builder **os_b, cs_vec *langs, cs_map *by_key)
{
	cs_arena *a = &out->arena;
	const cs_os *os = cs_scan_os(s);
	size_t i;
	bool any_os = os && os->family && *os->family;

	for (i = 0; !any_os && i < cs_scan_package_count(s); i++)
		any_os = cs_rtarget_is_os_pkg(cs_scan_package(s, i));
	if (any_os) {
		const char *family, *name = os_target_name(a, s, &family);

		if (!name || !(*os_b = builder_new(a, NULL, CS_RTARGET_OS, name, family)))
			return CS_ENOMEM;
	}
	for (i = 0; i < cs_scan_package_count(s); i++) {
		const cs_package *p = cs_scan_package(s, i);
		builder *b = cs_rtarget_is_os_pkg(p) ? *os_b : lang_builder(a, langs, by_key, p);

		if (!b || cs_vec_push(&b->pkgs, (void *)p) < 0)
			return CS_ENOMEM;
	}
	for (i = 0; i < cs_scan_vuln_count(s); i++) {
		const cs_vuln *v = cs_scan_vuln(s, i);
		builder *b = cs_rtarget_is_os_pkg(v->package) ? *os_b : lang_builder(a, langs, by_key, v->package);

		if (!b || cs_vec_push(&b->vulns, (void *)v) < 0)
			return CS_ENOMEM;
	}
	return 0;
}

static int group_secrets(cs_rtargets *out, const cs_scan *s, cs_vec *secrets, cs_map *by_path)
{
	size_t i;

	for (i = 0; i < cs_scan_secret_count(s); i++) {
		const cs_secret *f = cs_scan_secret(s, i);
		builder *b = cs_map_get(by_path, f->path);

		if (!b) {
			/* an image's files are absolute in Trivy's Targets; config fields are not files */
			const char *name = !cs_scan_is_rootfs(s) && !cs_str_starts(f->path, "config:")
						   ? cs_arena_printf(&out->arena, "/%s", f->path)
						   : f->path;

			if (!name || !(b = builder_new(&out->arena, secrets, CS_RTARGET_SECRET, name, NULL)) ||
			    cs_map_put(by_path, f->path, b) < 0)
				return CS_ENOMEM;
		}
		if (cs_vec_push(&b->secrets, (void *)f) < 0)
			return CS_ENOMEM;
	}
	return 0;
}

/*
 * Misconfigurations: those of a Dockerfile in its file's target, the
 * image's own (config, history, files) in one target named after the
 * artifact.
 */
static int group_misconfigs(cs_rtargets *out, const cs_scan *s, builder **img_b, cs_vec *dockerfiles, cs_map *by_path)
{
	size_t i;

	for (i = 0; i < cs_scan_misconfig_count(s); i++) {
		const cs_misconfig *m = cs_scan_misconfig(s, i);
		builder *b;

		if (m->dockerfile) {
			if (!(b = cs_map_get(by_path, m->dockerfile)) &&
			    (!(b = builder_new(&out->arena, dockerfiles, CS_RTARGET_CONFIG, m->dockerfile,
					       "dockerfile")) ||
			     cs_map_put(by_path, m->dockerfile, b) < 0))
				return CS_ENOMEM;
		} else {
			const char *name = cs_scan_artifact(s)->name;

			if (!*img_b && !(*img_b = builder_new(&out->arena, NULL, CS_RTARGET_CONFIG, name ? name : "",
							     "dockerfile")))
				return CS_ENOMEM;
			b = *img_b;
		}
		if (cs_vec_push(&b->misconfigs, (void *)m) < 0)
			return CS_ENOMEM;
	}
	return 0;
}

static void builder_release(builder *b)
{
	cs_vec_release(&b->pkgs);
	cs_vec_release(&b->vulns);
	cs_vec_release(&b->secrets);
	cs_vec_release(&b->misconfigs);
}

static void builders_release(builder *os_b, builder *img_b, cs_vec *langs, cs_vec *dockerfiles, cs_vec *secrets)
{
	cs_vec *lists[] = {langs, dockerfiles, secrets};
	size_t i, j;

	if (os_b)
		builder_release(os_b);
	if (img_b)
		builder_release(img_b);
	for (j = 0; j < CS_ARRAY_LEN(lists); j++) {
		for (i = 0; i < lists[j]->len; i++)
			builder_release(lists[j]->items[i]);
		cs_vec_release(lists[j]);
	}
}

/* Appends b's record, with its lists frozen into the arena, to out. */
static void emit(cs_rtargets *out, builder *b, bool *nomem)
{
	cs_rtarget *t = &out->items[out->len++];

	*t = b->t;
	t->pkgs = (const cs_package **)freeze(&out->arena, &b->pkgs, &t->npkgs, nomem);
	t->vulns = (const cs_vuln **)freeze(&out->arena, &b->vulns, &t->nvulns, nomem);
	t->secrets = (const cs_secret **)freeze(&out->arena, &b->secrets, &t->nsecrets, nomem);
	t->misconfigs = (const cs_misconfig **)freeze(&out->arena, &b->misconfigs, &t->nmisconfigs, nomem);
}

int cs_rtargets_build(cs_rtargets *out, const cs_scan *s, cs_err *err)
{
	cs_vec langs = CS_VEC_INIT, secrets = CS_VEC_INIT, dockerfiles = CS_VEC_INIT;
	cs_map by_key, by_path, by_dockerfile;
	builder *os_b = NULL, *img_b = NULL;
	bool nomem = false;
	size_t i, n;
	int code = 0;

	memset(out, 0, sizeof(*out));
	cs_arena_init(&out->arena);
	cs_map_init(&by_key);
	cs_map_init(&by_path);
	cs_map_init(&by_dockerfile);
	if (cs_scan_matched(s) && (code = group_packages(out, s, &os_b, &langs, &by_key)) < 0)
		goto done;
	if ((code = group_misconfigs(out, s, &img_b, &dockerfiles, &by_dockerfile)) < 0)
		goto done;
	if ((code = group_secrets(out, s, &secrets, &by_path)) < 0)
		goto done;
	cs_vec_sort(&langs, builder_name_cmp);
	cs_vec_sort(&dockerfiles, builder_name_cmp);
	if (os_b && (code = sort_vulns(os_b)) < 0)
		goto done;
	for (i = 0; i < langs.len; i++)
		if ((code = sort_vulns(langs.items[i])) < 0)
			goto done;
	n = (os_b ? 1 : 0) + langs.len + (img_b ? 1 : 0) + dockerfiles.len + secrets.len;
	if (n && !(out->items = cs_arena_calloc(&out->arena, n, sizeof(*out->items)))) {
		code = CS_ENOMEM;
		goto done;
	}
	if (os_b)
		emit(out, os_b, &nomem);
	for (i = 0; i < langs.len; i++)
		emit(out, langs.items[i], &nomem);
	if (img_b)
		emit(out, img_b, &nomem);
	for (i = 0; i < dockerfiles.len; i++)
		emit(out, dockerfiles.items[i], &nomem);
	for (i = 0; i < secrets.len; i++)
		emit(out, secrets.items[i], &nomem);
	if (nomem)
		code = CS_ENOMEM;
done:
	builders_release(os_b, img_b, &langs, &dockerfiles, &secrets);
	cs_map_release(&by_key);
	cs_map_release(&by_path);
	cs_map_release(&by_dockerfile);
	if (code < 0)
		return cs_err_set(err, code, "out of memory grouping the report's targets");
	return 0;
}

void cs_rtargets_release(cs_rtargets *t)
{
	if (!t)
		return;
	cs_arena_release(&t->arena);
	t->items = NULL;
	t->len = 0;
}
