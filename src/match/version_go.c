/*
 * version_go.c - Go module version ordering ("go"), as govulncheck orders
 * the versions of a module against the ranges of the Go vulnerability
 * database: golang.org/x/mod/semver's Compare, after x/vuln's
 * CanonicalizeSemverPrefix on both sides.
 *
 * x/mod/semver wants vMAJOR[.MINOR[.PATCH[-PRE][+BUILD]]] (SemVer 2.0.0
 * with the "v", plus the shorthands v1 = v1.0.0 and v1.2 = v1.2.0 without
 * pre-release or build). Module versions carry the "v" ("v1.2.3",
 * pseudo-versions "v0.0.0-20191109021931-daa7c04131f5" and
 * "v1.2.4-0.20191109021931-daa7c04131f5", "v2.0.0+incompatible"); OSV
 * ranges do not ("1.2.3"); govulncheck makes both canonical first, so
 * this scheme takes "1.2.3", "v1.2.3" and even "go1.2.3" alike. Build
 * metadata (+incompatible) is ignored. Pseudo-versions need nothing of
 * their own: they are pre-releases, ordered by semver's rules.
 *
 * x/mod/semver ranks an invalid version below every valid one; here it is
 * CS_EFORMAT instead, so that the matcher can tell "not a version" from
 * "older". An OSV "introduced": "0" means "since the beginning" and must
 * not be compared (as v0.0.0 it would sort above every v0.0.0-...
 * pseudo-version): the matcher handles it, as govulncheck does.
 *
 * The references are Debian's golang-golang-x-mod-dev and
 * golang-golang-x-vuln-dev (tests/oracle/version.sh go). Numbers of any
 * length are compared as digit strings, as x/mod does: work is linear.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

#include "match/version_go.h"

/* x/mod's parseInt: digits without a leading zero; advances *p. */
static bool parse_int(const char **p, const char **start, size_t *len)
{
	const char *s = *p;

	while (cs_vutil_is_digit(*s))
		s++;
	if (s == *p || (**p == '0' && s - *p != 1))
		return false;
	*start = *p;
	*len = (size_t)(s - *p);
	*p = s;
	return true;
}

/*
 * Dot-separated identifiers of [0-9A-Za-z-], none empty, up to the first
 * character outside that set and '.'; numeric ones without a leading zero
 * when pre (x/mod's parsePrerelease and parseBuild).
 */
static bool identifiers(const char **p, bool pre)
{
	const char *s = *p, *id = s;

	for (;; s++) {
		if (*s == '.' || !cs_vutil_is_ident(*s)) {
			size_t n = (size_t)(s - id);

			if (n == 0)
				return false;
			if (pre && n > 1 && *id == '0') {
				size_t i;

				for (i = 1; i < n && cs_vutil_is_digit(id[i]); i++)
					;
				if (i == n)
					return false;
			}
			if (*s != '.')
				break;
			id = s + 1;
		}
	}
	*p = s;
	return true;
}

bool cs_gosemver_parse(cs_gosemver *out, const char *s)
{
	const char *p = s;

	memset(out, 0, sizeof(*out));
	/* CanonicalizeSemverPrefix, then x/mod's "v". */
	if (*p == 'v')
		p++;
	if (p[0] == 'g' && p[1] == 'o')
		p += 2;
	if (*p == 'v')
		p++;
	else if (p[0] == 'g' && p[1] == 'o')
		return false;
	out->num[1] = out->num[2] = "0";
	out->num_len[1] = out->num_len[2] = 1;
	if (!parse_int(&p, &out->num[0], &out->num_len[0]))
		return false;
	if (!*p)
		return true;
	if (*p++ != '.' || !parse_int(&p, &out->num[1], &out->num_len[1]))
		return false;
	if (!*p)
		return true;
	if (*p++ != '.' || !parse_int(&p, &out->num[2], &out->num_len[2]))
		return false;
	if (*p == '-') {
		out->pre[0] = ++p;
		if (!identifiers(&p, true))
			return false;
		out->pre_len[0] = (size_t)(p - out->pre[0]);
	}
	if (*p == '+') {
		p++;
		if (!identifiers(&p, false))
			return false;
	}
	return *p == '\0';
}

/* Walks the pre-release identifiers of a cs_gosemver across its two parts. */
typedef struct pre_iter {
	const cs_gosemver *v;
	int part;   /* 0 or 1 */
	size_t off; /* into pre[part] */
} pre_iter;

static bool pre_next(pre_iter *it, const char **id, size_t *n)
{
	const cs_gosemver *v = it->v;
	const char *s, *e;

	if (it->off >= v->pre_len[it->part]) {
		if (it->part == 1 || v->pre_len[1] == 0)
			return false;
		it->part = 1;
		it->off = 0;
	}
	s = v->pre[it->part] + it->off;
	e = s;
	while ((size_t)(e - v->pre[it->part]) < v->pre_len[it->part] && *e != '.')
		e++;
	*id = s;
	*n = (size_t)(e - s);
	it->off += *n + 1;
	return true;
}

int cs_gosemver_cmp(const cs_gosemver *a, const cs_gosemver *b)
{
	pre_iter ia = {a, 0, 0}, ib = {b, 0, 0};
	int c, i;

	for (i = 0; i < 3; i++)
		if ((c = cs_vutil_cmp_digits(a->num[i], a->num_len[i], b->num[i], b->num_len[i])) != 0)
			return c;
	/* x/mod's comparePrerelease: a release is above its pre-releases. */
	if (a->pre_len[0] == 0 || b->pre_len[0] == 0)
		return a->pre_len[0] ? -1 : b->pre_len[0] ? 1 : 0;
	for (;;) {
		const char *x, *y;
		size_t xn, yn;
		bool hx = pre_next(&ia, &x, &xn), hy = pre_next(&ib, &y, &yn);
		bool dx, dy;

		if (!hx || !hy)
			return hx ? 1 : hy ? -1 : 0;
		if (xn == yn && memcmp(x, y, xn) == 0)
			continue;
		dx = cs_vutil_all_digits(x, xn);
		dy = cs_vutil_all_digits(y, yn);
		if (dx != dy)
			return dx ? -1 : 1;
		if (dx)
			return cs_vutil_cmp_digits(x, xn, y, yn);
		c = memcmp(x, y, xn < yn ? xn : yn);
		if (c == 0)
			return xn < yn ? -1 : 1;
		return c < 0 ? -1 : 1;
	}
}

static int go_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	cs_gosemver va, vb;
	char q[80];

	*out = 0;
	if (!cs_gosemver_parse(&va, a))
		return cs_err_set(err, CS_EFORMAT, "invalid go version '%s': not [v]MAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]",
				  cs_vutil_quote(a, q, sizeof(q)));
	if (!cs_gosemver_parse(&vb, b))
		return cs_err_set(err, CS_EFORMAT, "invalid go version '%s': not [v]MAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]",
				  cs_vutil_quote(b, q, sizeof(q)));
	*out = cs_gosemver_cmp(&va, &vb);
	return 0;
}

const cs_version_scheme cs_version_go = {"go", go_cmp};
