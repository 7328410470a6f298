/*
 * version_rpm.c - RPM version ordering ("rpm"), as rpm.vercmp() does it.
 *
 * A version is [epoch:]version[-release]. The reference is rpm 4.18's Lua
 * rpm.vercmp(a, b) (rpmio/rpmlua.c), which splits both with rpmverParse()
 * (rpmio/rpmver.c parseEVR()) and orders them with rpmverCmp(): epochs
 * (missing = "0"), then versions, then releases, each with rpmvercmp()
 * (rpmio/rpmvercmp.c); a missing release sorts before any release, even an
 * empty one ("1.0" < "1.0-"). rpmvercmp() walks alphanumeric segments,
 * skipping every other byte as a separator except '~' (sorts before
 * anything, the end included) and '^' (sorts after the end, before
 * anything else); a digit segment beats a letter segment, digits compare as
 * numbers of any length, letters with strcmp().
 *
 * rpm.vercmp refuses only the empty string; every other string is a
 * version to it, so only "" is CS_EFORMAT here. See docs/versions.md.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

typedef struct rpm_span {
	const char *p; /* borrowed; NULL when the part is missing */
	size_t n;
} rpm_span;

typedef struct rpm_evr {
	rpm_span e, v, r;
} rpm_evr;

/*
 * parseEVR(): the epoch is the leading digits when a ':' follows them
 * (none = "0", as rpmverCmp() reads a missing one), the release is what
 * follows the last '-' after those digits. Both spans point into s.
 */
static void parse(const char *s, rpm_evr *out)
{
	const char *p = s, *end = s + strlen(s), *dash = NULL, *q;

	while (cs_vutil_is_digit(*p))
		p++;
	for (q = p; q < end; q++)
		if (*q == '-')
			dash = q;
	if (*p == ':') {
		out->e.p = p > s ? s : "0";
		out->e.n = p > s ? (size_t)(p - s) : 1;
		out->v.p = p + 1;
	} else {
		out->e.p = "0";
		out->e.n = 1;
		out->v.p = s;
	}
	out->v.n = (size_t)((dash ? dash : end) - out->v.p);
	out->r.p = dash ? dash + 1 : NULL;
	out->r.n = dash ? (size_t)(end - dash - 1) : 0;
}

/* rpmvercmp() over two spans: -1, 0 or 1. */
static int vercmp(rpm_span a, rpm_span b)
{
	size_t i = 0, j = 0;

	if (a.n == b.n && !memcmp(a.p, b.p, a.n))
		return 0;
	while (i < a.n || j < b.n) {
		size_t si, sj, ni, nj;
		bool num;
		int rc;

		while (i < a.n && !cs_vutil_is_digit(a.p[i]) && !cs_vutil_is_alpha(a.p[i]) && a.p[i] != '~' && a.p[i] != '^')
			i++;
		while (j < b.n && !cs_vutil_is_digit(b.p[j]) && !cs_vutil_is_alpha(b.p[j]) && b.p[j] != '~' && b.p[j] != '^')
			j++;

		/* '~' sorts before everything, the end of the string included. */
		if ((i < a.n && a.p[i] == '~') || (j < b.n && b.p[j] == '~')) {
			if (i >= a.n || a.p[i] != '~')
				return 1;
			if (j >= b.n || b.p[j] != '~')
				return -1;
			i++;
			j++;
			continue;
		}
		/* '^' sorts after the end of the string, before anything else. */
		if ((i < a.n && a.p[i] == '^') || (j < b.n && b.p[j] == '^')) {
			if (i >= a.n)
				return -1;
			if (j >= b.n)
				return 1;
			if (a.p[i] != '^')
				return 1;
			if (b.p[j] != '^')
				return -1;
			i++;
			j++;
			continue;
		}
		if (i >= a.n || j >= b.n)
			break;

		/* One segment each: all digits or all letters, typed by a's. */
		si = i;
		sj = j;
		num = cs_vutil_is_digit(a.p[i]);
		if (num) {
			while (i < a.n && cs_vutil_is_digit(a.p[i]))
				i++;
			while (j < b.n && cs_vutil_is_digit(b.p[j]))
				j++;
		} else {
			while (i < a.n && cs_vutil_is_alpha(a.p[i]))
				i++;
			while (j < b.n && cs_vutil_is_alpha(b.p[j]))
				j++;
		}
		if (j == sj) /* segments of different types: digits are newer */
			return num ? 1 : -1;
		if (num) {
			while (si < i && a.p[si] == '0')
				si++;
			while (sj < j && b.p[sj] == '0')
				sj++;
			if (i - si != j - sj)
				return i - si > j - sj ? 1 : -1;
		}
		ni = i - si;
		nj = j - sj;
		rc = memcmp(a.p + si, b.p + sj, ni < nj ? ni : nj);
		if (!rc && ni != nj)
			rc = ni < nj ? -1 : 1;
		if (rc)
			return rc < 0 ? -1 : 1;
	}
	if (i >= a.n && j >= b.n)
		return 0;
	return i >= a.n ? -1 : 1;
}

/* rpmverCmp()'s compare_values(): a missing part sorts before any. */
static int compare_values(rpm_span a, rpm_span b)
{
	if (!a.p || !b.p)
		return a.p ? 1 : b.p ? -1 : 0;
	return vercmp(a, b);
}

static int rpm_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	rpm_evr va, vb;
	int rc;

	*out = 0;
	if (!*a || !*b)
		return cs_err_set(err, CS_EFORMAT, "invalid rpm version '': empty");
	parse(a, &va);
	parse(b, &vb);
	rc = compare_values(va.e, vb.e);
	if (!rc)
		rc = compare_values(va.v, vb.v);
	if (!rc)
		rc = compare_values(va.r, vb.r);
	*out = rc;
	return 0;
}

const cs_version_scheme cs_version_rpm = {"rpm", rpm_cmp};
