/*
 * composer.c - the composer cataloger: vendor/composer/installed.json and
 * composer.lock.
 *
 * The parsers (composer.h) turn bytes into cs_langpkg records; the langcat
 * frame (langcat.h) does the rest: layers, the final image's copy, the
 * lowest layer, the owning OS package and lockfiles for root filesystems
 * only.
 */
#include "core/compat.h"
#include "catalog/composer.h"
#include "catalog/catutil.h"
#include "core/json.h"
#include "core/purl.h"
#include "core/strutil.h"

#include <strings.h>
#include <sys/stat.h>

/* --- paths ------------------------------------------------------------------ */

int cs_composer_kind(const char *path)
{
	const char *base = cs_path_base(path), *p, *slash;
	size_t dirlen;

	if (strcmp(base, "installed.json") == 0) {
		/* The parent directory must be "composer". */
		if (base == path)
			return CS_COMPOSER_NONE;
		dirlen = (size_t)(base - path) - 1;
		if (dirlen >= 8 && memcmp(path + dirlen - 8, "composer", 8) == 0 &&
		    (dirlen == 8 || path[dirlen - 9] == '/'))
			return CS_COMPOSER_INSTALLED;
		return CS_COMPOSER_NONE;
	}
	if (strcmp(base, "composer.lock") != 0)
		return CS_COMPOSER_NONE;
	/* A dependency's own lock under vendor/ says nothing of this install. */
	for (p = path; p < base && (slash = strchr(p, '/')) != NULL; p = slash + 1)
		if (slash - p == 6 && memcmp(p, "vendor", 6) == 0)
			return CS_COMPOSER_NONE;
	return CS_COMPOSER_LOCK;
}

/* --- licenses -------------------------------------------------------------------- */

typedef struct lic_list {
	const char **v; /* arena array */
	size_t n, cap;
} lic_list;

static int lic_add(lic_list *l, cs_arena *a, const char *p, size_t n)
{
	char *s;

	cs_cat_trim(&p, &n, " \t");
	if (n == 0 || cs_cat_has_control(p, n))
		return 0;
	if (l->n == l->cap && !(l->v = cs_arena_grow(a, (void *)l->v, l->n, &l->cap, sizeof(*l->v))))
		return CS_ENOMEM;
	if (!(s = cs_arena_strndup(a, p, n)))
		return CS_ENOMEM;
	l->v[l->n++] = s;
	return 0;
}

/* Appends sep and p[0..n) to the last license (Trivy's "Apache License, Version 2.0" rule). */
static int lic_extend(lic_list *l, cs_arena *a, const char *sep, const char *p, size_t n)
{
	const char *last = l->v[l->n - 1];
	char *s;

	cs_cat_trim(&p, &n, " \t");
	if (n == 0 || cs_cat_has_control(p, n))
		return 0;
	if (!(s = cs_arena_printf(a, "%s%s%.*s", last, sep, (int)n, p)))
		return CS_ENOMEM;
	l->v[l->n - 1] = s;
	return 0;
}

/* At s[i]: the length of an "or"/"and" separator ("[ _]+(or|and)[ _]+", any case), or 0. */
static size_t word_sep(const char *s, size_t n, size_t i)
{
	size_t j = i, w;

	while (j < n && (s[j] == ' ' || s[j] == '_'))
		j++;
	if (j == i)
		return 0;
	if (n - j >= 2 && strncasecmp(s + j, "or", 2) == 0)
		w = 2;
	else if (n - j >= 3 && strncasecmp(s + j, "and", 3) == 0)
		w = 3;
	else
		return 0;
	if (j + w >= n || (s[j + w] != ' ' && s[j + w] != '_'))
		return 0;
	for (j += w; j < n && (s[j] == ' ' || s[j] == '_'); j++)
		;
	return j - i;
}

/* The first word of p[0..n), lower case, compared with w. */
static bool first_word_is(const char *p, size_t n, const char *w)
{
	size_t m = strlen(w);

	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	return n >= m && strncasecmp(p, w, m) == 0 && (n == m || p[m] == ' ');
}

/*
 * A "license" string split as Trivy's licensing.SplitLicenses does, less
 * its license-text detection: at commas and at "or"/"and" between blanks
 * or underscores; a piece starting with "ver"/"version" continues the one
 * before (", "), one starting with "later" too (" or ").
 */
static int lic_split(lic_list *l, cs_arena *a, const char *s)
{
	size_t n = strlen(s), i, start, sep;
	int rc;

	cs_cat_trim(&s, &n, " \t");
	if (n >= 2 && s[0] == '(' && s[n - 1] == ')') {
		s++;
		n -= 2;
	}
	for (i = start = 0; i <= n; i++) {
		const char *piece = s + start, *join;
		size_t plen = i - start;

		sep = 0;
		if (i < n && s[i] == ',') {
			sep = 1 + word_sep(s, n, i + 1);
			if (sep == 1)
				while (i + sep < n && s[i + sep] == ' ')
					sep++;
		} else if (i < n) {
			sep = word_sep(s, n, i);
		}
		if (i < n && sep == 0)
			continue;
		join = NULL;
		if (l->n && (first_word_is(piece, plen, "ver") || first_word_is(piece, plen, "version")))
			join = ", ";
		else if (l->n && first_word_is(piece, plen, "later"))
			join = " or ";
		rc = join ? lic_extend(l, a, join, piece, plen) : lic_add(l, a, piece, plen);
		if (rc < 0)
			return rc;
		i += sep ? sep - 1 : 0;
		start = i + 1;
	}
	return 0;
}

/* --- packages --------------------------------------------------------------------- */

/* A string member, non-empty and free of control bytes, or NULL. */
static const char *good_str(const cJSON *obj, const char *member)
{
	const char *s = cs_json_str(obj, member);

	return s && *s && !cs_cat_has_control(s, strlen(s)) ? s : NULL;
}

/* pkg:composer/<vendor>/<name>@<version>: the vendor is the namespace. */
static int composer_purl(char **out, cs_arena *a, const char *name, const char *version)
{
	const char *slash = strchr(name, '/');
	cs_purl p;
	cs_err perr;

	memset(&p, 0, sizeof(p));
	p.type = "composer";
	p.name = name;
	if (slash && slash != name && slash[1]) {
		if (!(p.ns = cs_arena_strndup(a, name, (size_t)(slash - name))))
			return CS_ENOMEM;
		p.name = slash + 1;
	}
	p.version = version;
	cs_err_clear(&perr);
	return cs_purl_build(out, a, &p, &perr);
}

/* One package object of a list; malformed ones counted in nbad. */
static int add_entry(cs_cat_pkgset *s, const cJSON *e)
{
	const char *name = good_str(e, "name"), *version = good_str(e, "version");
	const cJSON *lic;
	lic_list l;
	cs_langpkg *p;
	char *purl = NULL;
	int rc;

	if (!cJSON_IsObject(e) || !name || !version) {
		s->out->nbad++;
		return 0;
	}
	if ((rc = cs_cat_pkgset_add(s, name, strlen(name), version, strlen(version), &p)) < 0 || !p)
		return rc;
	rc = composer_purl(&purl, s->a, p->name, p->version);
	if (rc == CS_ENOMEM)
		return rc;
	p->purl = rc == 0 ? purl : NULL;
	memset(&l, 0, sizeof(l));
	lic = cJSON_GetObjectItemCaseSensitive(e, "license");
	if (cJSON_IsString(lic)) {
		rc = lic_split(&l, s->a, lic->valuestring);
	} else if (cJSON_IsArray(lic)) {
		const cJSON *x;

		rc = 0;
		cJSON_ArrayForEach(x, lic)
		{
			if (cJSON_IsString(x) && (rc = lic_add(&l, s->a, x->valuestring, strlen(x->valuestring))) < 0)
				break;
		}
	} else {
		rc = 0;
	}
	if (rc < 0)
		return rc;
	p->licenses = l.v;
	p->nlicenses = l.n;
	return 0;
}

static int add_list(cs_langfile *out, cs_arena *a, const cJSON *list)
{
	const cJSON *e;
	cs_cat_pkgset s;
	int rc = 0;

	cs_cat_pkgset_init(&s, out, a, NULL);
	cJSON_ArrayForEach(e, list)
	{
		if ((rc = add_entry(&s, e)) < 0)
			break;
	}
	cs_cat_pkgset_release(&s);
	return rc;
}

static int finish(int rc, cJSON *j, cs_err *err)
{
	cJSON_Delete(j);
	if (rc == CS_ENOMEM)
		return cs_err_set(err, CS_ENOMEM, "out of memory reading php packages");
	return rc;
}

int cs_composer_parse_installed(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	cJSON *j;
	const cJSON *list;

	memset(out, 0, sizeof(*out));
	if (!(j = cs_cat_json(data, len, "installed.json", "php packages", err)))
		return err->code == CS_ENOMEM ? CS_ENOMEM : CS_EFORMAT;
	/* Composer 1: the list itself; Composer 2: {"packages": [...]}. */
	list = cJSON_IsArray(j) ? j : cs_json_arr(j, "packages");
	if (!list)
		return finish(cs_err_set(err, CS_EFORMAT, "neither a package list nor an object with 'packages'"), j,
			      err);
	return finish(add_list(out, a, list), j, err);
}

int cs_composer_parse_lock(cs_langfile *out, cs_arena *a, const void *data, size_t len, cs_err *err)
{
	const cJSON *list;
	cJSON *j;

	memset(out, 0, sizeof(*out));
	out->lockfile = true;
	if (!(j = cs_cat_json(data, len, "composer.lock", "php packages", err)))
		return err->code == CS_ENOMEM ? CS_ENOMEM : CS_EFORMAT;
	if (!cJSON_IsObject(j))
		return finish(cs_err_set(err, CS_EFORMAT, "not a JSON object"), j, err);
	list = cJSON_GetObjectItemCaseSensitive(j, "packages");
	if (!list || cJSON_IsNull(list))
		return finish(0, j, err);
	if (!cJSON_IsArray(list))
		return finish(cs_err_set(err, CS_EFORMAT, "'packages' is not an array"), j, err);
	return finish(add_list(out, a, list), j, err);
}

/* --- the analyzer ---------------------------------------------------------------- */

int cs_composer_parse_file(cs_langfile *out, cs_arena *a, const char *path, const void *data, size_t len,
			   cs_err *err)
{
	switch (cs_composer_kind(path)) {
	case CS_COMPOSER_INSTALLED:
		return cs_composer_parse_installed(out, a, data, len, err);
	case CS_COMPOSER_LOCK:
		return cs_composer_parse_lock(out, a, data, len, err);
	default:
		return CS_ENOTFOUND;
	}
}

static bool composer_wants(const char *path, uint32_t mode)
{
	return S_ISREG(mode) && cs_composer_kind(path) != CS_COMPOSER_NONE;
}

static const cs_langcat composer_cat = {CS_AN_composer, "composer", "php packages", cs_composer_parse_file, NULL};
CS_LANGCAT_ANALYZER(composer, "composer", composer_wants, 0, composer_cat);
