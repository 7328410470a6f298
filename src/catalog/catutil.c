/*
 * catutil.c - helpers shared by the catalogers; see catutil.h.
 */
#include "core/compat.h"
#include "catalog/catutil.h"
#include "core/log.h"
#include "core/purl.h"

#include <sys/stat.h>

const char *cs_cat_quote(char *buf, size_t bufsz, const char *p, size_t n)
{
	size_t i, m = n < 64 ? n : 64;

	if (m >= bufsz)
		m = bufsz - 1;
	for (i = 0; i < m; i++)
		buf[i] = p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '?';
	buf[m] = '\0';
	return buf;
}

static bool in_set(int c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

void cs_cat_trim(const char **p, size_t *n, const char *set)
{
	while (*n && in_set((unsigned char)**p, set)) {
		(*p)++;
		(*n)--;
	}
	while (*n && in_set((unsigned char)(*p)[*n - 1], set))
		(*n)--;
}

int cs_cat_first_note(cs_map *first, const char *key, size_t keylen, int layer)
{
	intptr_t have = (intptr_t)cs_map_getn(first, key, keylen);

	if (have != 0 && have <= (intptr_t)layer + 1)
		return 0;
	return cs_map_putn(first, key, keylen, (void *)((intptr_t)layer + 1));
}

int cs_cat_first_get(const cs_map *first, const char *key, size_t keylen)
{
	return (int)((intptr_t)cs_map_getn(first, key, keylen) - 1);
}

void *cs_cat_layer_state(cs_walk *w, int id, size_t size)
{
	void **slot = cs_walk_state(w, id);

	if (!*slot)
		*slot = cs_arena_alloc(cs_walk_arena(w), size);
	return *slot;
}

bool cs_cat_is_final(const cs_scan *s, const char *path, int layer)
{
	cs_fsinfo info;
	cs_err lerr;

	cs_err_clear(&lerr);
	return cs_scan_lookup(s, path, false, &info, NULL, 0, &lerr) == 0 && S_ISREG(info.mode) &&
	       info.layer == layer && info.deleted_by < 0;
}

int cs_cat_set_purl(cs_scan *s, cs_package *p, int rc, char *purl, const cs_err *perr)
{
	if (rc == CS_ENOMEM)
		return rc;
	p->purl = purl;
	if (rc < 0)
		cs_scan_diag(s, CS_LOG_WARN, "no package url for '%s' in '%s': %s", p->name, p->found_in, perr->msg);
	return 0;
}

int cs_cat_langpkg_purl(cs_langpkg *p, cs_arena *a, int rc, char *purl, cs_err *err)
{
	if (rc == CS_ENOMEM)
		return rc;
	p->purl = rc < 0 ? NULL : purl;
	if (rc < 0 && !(p->purl_error = cs_arena_strdup(a, err->msg)))
		return cs_err_set(err, CS_ENOMEM, "out of memory");
	cs_err_clear(err);
	return 0;
}

int cs_cat_finish_err(cs_err *err, int rc, const char *what)
{
	if (rc == CS_ENOMEM)
		return cs_err_set(err, rc, "out of memory cataloguing %s", what);
	return rc < 0 ? cs_err_set(err, rc, "cannot catalogue %s: %s", what, cs_err_name(rc)) : 0;
}

int cs_cat_os_purl(char **out, cs_arena *a, const char *type, const char *ns, const char *name,
		   const char *version, const char *arch, const char *distro, const char *upstream, cs_err *err)
{
	cs_purl_qualifier q[3] = {{"arch", arch}, {"distro", distro}, {"upstream", upstream}};
	cs_purl p;

	memset(&p, 0, sizeof(p));
	p.type = type;
	p.ns = ns;
	p.name = name;
	p.version = version;
	p.qualifiers = q;
	p.nqualifiers = CS_ARRAY_LEN(q);
	return cs_purl_build(out, a, &p, err);
}

cJSON *cs_cat_json(const void *data, size_t len, const char *what, const char *pkgs, cs_err *err)
{
	const char *p = data, *hit;
	char *copy = NULL;
	cJSON *j;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3, len -= 3;
	if ((hit = memchr(p, '\0', len)) != NULL) {
		cs_err_set(err, CS_EFORMAT, "%s: malformed JSON: NUL byte at byte %zu", what, (size_t)(hit - p));
		return NULL;
	}
	if ((hit = memmem(p, len, "\\u0000", 6)) != NULL) {
		char *c;

		if (!(copy = malloc(len))) {
			cs_err_set(err, CS_ENOMEM, "out of memory reading %s", pkgs);
			return NULL;
		}
		memcpy(copy, p, len);
		for (c = copy + (hit - p); c; c = memmem(c + 6, len - (size_t)(c + 6 - copy), "\\u0000", 6))
			memcpy(c + 4, "7f", 2);
		p = copy;
	}
	j = cs_json_parse(p, len, what, err);
	free(copy);
	return j;
}

void cs_cat_pkgset_init(cs_cat_pkgset *s, cs_langfile *out, cs_arena *a, const char *purl_type)
{
	memset(s, 0, sizeof(*s));
	s->out = out;
	s->a = a;
	s->purl_type = purl_type;
	cs_map_init(&s->seen);
}

void cs_cat_pkgset_release(cs_cat_pkgset *s)
{
	cs_map_release(&s->seen);
}

int cs_cat_pkgset_add(cs_cat_pkgset *s, const char *name, size_t nlen, const char *version, size_t vlen,
		      cs_langpkg **added)
{
	cs_langpkg *p;
	char *key;
	int rc;

	*added = NULL;
	if (nlen > SIZE_MAX / 2 - vlen || !(key = cs_arena_alloc(s->a, nlen + vlen + 2)))
		return CS_ENOMEM;
	memcpy(key, name, nlen);
	memcpy(key + nlen + 1, version, vlen);
	if (cs_map_getn(&s->seen, key, nlen + vlen + 1))
		return 0;
	if ((rc = cs_map_putn(&s->seen, key, nlen + vlen + 1, (void *)1)) < 0)
		return rc;
	if (!(p = cs_langfile_add(s->out, &s->cap, s->a)))
		return CS_ENOMEM;
	p->name = key;
	p->version = key + nlen + 1;
	if (s->purl_type) {
		cs_purl purl;
		cs_err perr;
		char *url = NULL;

		memset(&purl, 0, sizeof(purl));
		purl.type = s->purl_type;
		purl.name = p->name;
		purl.version = p->version;
		cs_err_clear(&perr);
		if ((rc = cs_purl_build(&url, s->a, &purl, &perr)) == CS_ENOMEM)
			return rc;
		p->purl = rc == 0 ? url : NULL;
	}
	*added = p;
	return 0;
}
