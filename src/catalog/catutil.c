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
