/*
 * version_semver.c - npm's version ordering ("semver"), as the npm `semver`
 * package's compare(a, b) does it (strict mode, package version 7.8.6).
 *
 * A version is [v]MAJOR.MINOR.PATCH[-PRE][+BUILD] (SemVer 2.0.0): numbers
 * without leading zeros, pre-release identifiers [0-9A-Za-z-]+ (numeric
 * ones without leading zeros), build identifiers [0-9A-Za-z-]+, both
 * dot-separated. Build metadata is ignored. Precedence: the three numbers,
 * then no pre-release above any pre-release, then the identifiers left to
 * right (numeric below alphanumeric, numeric by value, alphanumeric by
 * ASCII), a longer list above its own prefix.
 *
 * What npm adds, and this file follows (docs/versions.md has the list):
 * the string is trimmed of JavaScript whitespace first (String.trim: ASCII
 * \t\n\v\f\r and space, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029,
 * U+202F, U+205F, U+3000, U+FEFF); the untrimmed string may be at most
 * 256 UTF-16 code units long; each of MAJOR, MINOR and PATCH is at most
 * Number.MAX_SAFE_INTEGER (2^53 - 1); numeric pre-release identifiers are
 * compared as JavaScript numbers (IEEE doubles), so two long ones that
 * round to the same double compare equal, and then compare() stops there
 * and answers 0 whatever follows.
 *
 * Work is linear in the input and never quadratic: numbers are compared as
 * digit strings, and strtod only ever sees an identifier of at most 250
 * digits (the length cap is checked first).
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

#define NPM_MAX_LENGTH 256                 /* semver's MAX_LENGTH, UTF-16 code units */
#define NPM_MAX_SAFE "9007199254740991"    /* Number.MAX_SAFE_INTEGER */
#define NPM_SAFE_DIGITS 15                 /* every number of 15 digits is exact as a double */

typedef struct npm_version {
	const char *major, *minor, *patch; /* borrowed digit runs */
	size_t major_len, minor_len, patch_len;
	const char *pre;                   /* pre-release without its '-', borrowed; NULL when none */
	size_t pre_len;
} npm_version;

/*
 * The length in bytes of the JavaScript whitespace character (String.trim's
 * set, UTF-8 encoded) at p[0..n), or 0. Each is one UTF-16 code unit.
 */
static size_t js_space_at(const unsigned char *p, size_t n)
{
	if (n >= 1 && (p[0] == ' ' || (p[0] >= '\t' && p[0] <= '\r')))
		return 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0) /* U+00A0 */
		return 2;
	if (n < 3)
		return 0;
	if (p[0] == 0xe1 && p[1] == 0x9a && p[2] == 0x80) /* U+1680 */
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x80 && /* U+2000-U+200A, U+2028, U+2029, U+202F */
	    ((p[2] >= 0x80 && p[2] <= 0x8a) || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] == 0x9f) /* U+205F */
		return 3;
	if (p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) /* U+3000 */
		return 3;
	if (p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) /* U+FEFF */
		return 3;
	return 0;
}

/* The same for the character that ends p[0..n), or 0. */
static size_t js_space_before(const unsigned char *p, size_t n)
{
	size_t k;

	for (k = 1; k <= 3 && k <= n; k++)
		if (js_space_at(p + n - k, k) == k)
			return k;
	return 0;
}

/* 0|[1-9][0-9]* at *p, up to end; advances *p. */
static bool numeric(const char **p, const char *end, const char **start, size_t *len)
{
	const char *s = *p;

	if (s == end || !cs_vutil_is_digit(*s))
		return false;
	if (*s == '0') {
		s++;
	} else {
		while (s < end && cs_vutil_is_digit(*s))
			s++;
	}
	*start = *p;
	*len = (size_t)(s - *p);
	*p = s;
	return true;
}

/* A safe integer: at most 2^53 - 1 (semver's "Invalid major version"). */
static bool safe_integer(const char *d, size_t n)
{
	return n < 16 || (n == 16 && memcmp(d, NPM_MAX_SAFE, 16) <= 0);
}

/*
 * [0-9A-Za-z-]+ identifiers separated by '.', from *p; numeric ones (all
 * digits) without a leading zero when strict_numeric. Stops before the
 * first other character.
 */
static bool identifiers(const char **p, const char *end, bool strict_numeric)
{
	const char *s = *p;

	for (;;) {
		const char *id = s;
		bool digits = true;

		while (s < end && cs_vutil_is_ident(*s)) {
			digits = digits && cs_vutil_is_digit(*s);
			s++;
		}
		if (s == id)
			return false;
		if (strict_numeric && digits && s - id > 1 && *id == '0')
			return false;
		if (s == end || *s != '.')
			break;
		s++;
	}
	*p = s;
	return true;
}

static int parse(npm_version *out, const char *v, cs_err *err)
{
	const unsigned char *u = (const unsigned char *)v;
	size_t n = strlen(v), units = 0, k;
	const char *p, *end;

	memset(out, 0, sizeof(*out));
	/* String.prototype.trim(); each whitespace character is one code unit. */
	while ((k = js_space_at(u, n)) > 0) {
		u += k;
		n -= k;
		units++;
	}
	while ((k = js_space_before(u, n)) > 0) {
		n -= k;
		units++;
	}
	p = (const char *)u;
	end = p + n;
	if (p < end && *p == 'v')
		p++;
	if (!numeric(&p, end, &out->major, &out->major_len) || p == end || *p++ != '.' ||
	    !numeric(&p, end, &out->minor, &out->minor_len) || p == end || *p++ != '.' ||
	    !numeric(&p, end, &out->patch, &out->patch_len))
		return cs_vutil_bad(err, "semver", v, "not [v]MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
	if (p < end && *p == '-') {
		out->pre = ++p;
		if (!identifiers(&p, end, true))
			return cs_vutil_bad(err, "semver", v, "bad pre-release");
		out->pre_len = (size_t)(p - out->pre);
	}
	if (p < end && *p == '+') {
		p++;
		if (!identifiers(&p, end, false))
			return cs_vutil_bad(err, "semver", v, "bad build metadata");
	}
	if (p != end)
		return cs_vutil_bad(err, "semver", v, "not [v]MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
	/* The rest is ASCII: one code unit per byte. */
	if (units + n > NPM_MAX_LENGTH)
		return cs_vutil_bad(err, "semver", v, "longer than 256 characters");
	if (!safe_integer(out->major, out->major_len) || !safe_integer(out->minor, out->minor_len) ||
	    !safe_integer(out->patch, out->patch_len))
		return cs_vutil_bad(err, "semver", v, "number above 2^53 - 1");
	return 0;
}

/* The double a JavaScript `+"digits"` gives; n <= NPM_MAX_LENGTH. */
static double js_number(const char *d, size_t n)
{
	char buf[NPM_MAX_LENGTH + 1];

	memcpy(buf, d, n);
	buf[n] = '\0';
	return strtod(buf, NULL);
}

/*
 * semver's comparePre(): the identifiers left to right. An identical pair
 * is skipped; the first other pair decides through compareIdentifiers(),
 * even when that says 0 (two numeric identifiers equal as doubles).
 */
static int cmp_pre(const npm_version *a, const npm_version *b)
{
	const char *x, *y, *xe, *ye;

	if (!a->pre || !b->pre)
		return a->pre ? -1 : b->pre ? 1 : 0;
	x = a->pre;
	xe = x + a->pre_len;
	y = b->pre;
	ye = y + b->pre_len;
	for (;;) {
		const char *xi = x, *yi = y;
		size_t xn, yn;
		bool xd, yd;
		int c;

		if (x == xe || y == ye)
			return x == xe ? (y == ye ? 0 : -1) : 1;
		while (x < xe && *x != '.')
			x++;
		while (y < ye && *y != '.')
			y++;
		xn = (size_t)(x - xi);
		yn = (size_t)(y - yi);
		if (x < xe)
			x++;
		if (y < ye)
			y++;
		if (xn == yn && memcmp(xi, yi, xn) == 0)
			continue;
		xd = cs_vutil_all_digits(xi, xn);
		yd = cs_vutil_all_digits(yi, yn);
		if (xd != yd)
			return xd ? -1 : 1;
		if (xd) {
			double dx, dy;

			if (xn <= NPM_SAFE_DIGITS && yn <= NPM_SAFE_DIGITS)
				return cs_vutil_cmp_digits(xi, xn, yi, yn);
			dx = js_number(xi, xn);
			dy = js_number(yi, yn);
			return (dx > dy) - (dx < dy);
		}
		c = memcmp(xi, yi, xn < yn ? xn : yn);
		if (c == 0)
			return xn < yn ? -1 : 1;
		return c < 0 ? -1 : 1;
	}
}

static int semver_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	npm_version va, vb;
	int c, rc;

	*out = 0;
	if ((rc = parse(&va, a, err)) < 0 || (rc = parse(&vb, b, err)) < 0)
		return rc;
	if ((c = cs_vutil_cmp_digits(va.major, va.major_len, vb.major, vb.major_len)) == 0 &&
	    (c = cs_vutil_cmp_digits(va.minor, va.minor_len, vb.minor, vb.minor_len)) == 0 &&
	    (c = cs_vutil_cmp_digits(va.patch, va.patch_len, vb.patch, vb.patch_len)) == 0)
		c = cmp_pre(&va, &vb);
	*out = c;
	return 0;
}

const cs_version_scheme cs_version_semver = {"semver", semver_cmp};
