/*
 * version_cargo.c - crates.io version ordering ("cargo"), as the Rust
 * `semver` crate (1.0, the one Cargo uses) parses and orders versions.
 *
 * A version is MAJOR.MINOR.PATCH[-PRE][+BUILD], parsed as
 * semver::Version::parse does: no "v", no whitespace, no missing parts;
 * each number without a leading zero and at most 2^64 - 1; pre-release
 * identifiers [0-9A-Za-z-]+, numeric ones without a leading zero; build
 * identifiers [0-9A-Za-z-]+ (leading zeros allowed); no empty identifier.
 *
 * The order is SemVer 2.0.0 precedence, as the crate's Ord on major,
 * minor, patch and Prerelease gives it and as VersionReq matching (and so
 * cargo-audit and the RustSec database) uses it: numbers by value, no
 * pre-release above any pre-release, identifiers left to right (numeric
 * below alphanumeric, numeric by value of any length, alphanumeric by
 * ASCII), a longer list above its own prefix. Build metadata is ignored:
 * 1.0.0+a equals 1.0.0+b here, where the derived Ord on semver::Version
 * would order them (docs/versions.md).
 *
 * The reference is the crate itself (Debian's librust-semver-dev, compiled
 * by tests/oracle/version.sh cargo). Work is linear; numbers are compared
 * as digit strings.
 */
#include "core/compat.h"
#include "match/version.h"
#include "match/vutil.h"

#define U64_MAX_DIGITS "18446744073709551615"

typedef struct crate_version {
	const char *num[3]; /* major, minor, patch: borrowed digit runs */
	size_t num_len[3];
	const char *pre;    /* pre-release without its '-', borrowed; NULL when none */
	size_t pre_len;
} crate_version;

/* Identifiers [0-9A-Za-z-]+ separated by '.' from *p; NULL reason when fine. */
static const char *identifiers(const char **p, bool pre)
{
	const char *s = *p;

	for (;;) {
		const char *id = s;
		bool digits = true;

		while (cs_vutil_is_ident(*s)) {
			digits = digits && cs_vutil_is_digit(*s);
			s++;
		}
		if (s == id)
			return pre ? "empty pre-release identifier" : "empty build identifier";
		if (pre && digits && s - id > 1 && *id == '0')
			return "leading zero in a numeric pre-release identifier";
		if (*s != '.')
			break;
		s++;
	}
	*p = s;
	return NULL;
}

static int parse(crate_version *out, const char *v, cs_err *err)
{
	const char *p = v, *why;
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < 3; i++) {
		const char *d;

		if (i > 0 && *p++ != '.')
			return cs_vutil_bad(err, "cargo", v, "not MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
		d = p;
		while (cs_vutil_is_digit(*p))
			p++;
		if (p == d)
			return cs_vutil_bad(err, "cargo", v, "not MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]");
		if (*d == '0' && p - d > 1)
			return cs_vutil_bad(err, "cargo", v, "leading zero in a version number");
		if (p - d > 20 || (p - d == 20 && memcmp(d, U64_MAX_DIGITS, 20) > 0))
			return cs_vutil_bad(err, "cargo", v, "version number above 2^64 - 1");
		out->num[i] = d;
		out->num_len[i] = (size_t)(p - d);
	}
	if (*p == '-') {
		out->pre = ++p;
		if ((why = identifiers(&p, true)) != NULL)
			return cs_vutil_bad(err, "cargo", v, why);
		out->pre_len = (size_t)(p - out->pre);
	}
	if (*p == '+') {
		p++;
		if ((why = identifiers(&p, false)) != NULL)
			return cs_vutil_bad(err, "cargo", v, why);
	}
	if (*p)
		return cs_vutil_bad(err, "cargo", v, "unexpected character after the version");
	return 0;
}

/* The crate's Ord for Prerelease. */
static int cmp_pre(const crate_version *a, const crate_version *b)
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
		xd = cs_vutil_all_digits(xi, xn);
		yd = cs_vutil_all_digits(yi, yn);
		if (xd != yd)
			return xd ? -1 : 1;
		if (xd) {
			c = cs_vutil_cmp_digits(xi, xn, yi, yn);
		} else {
			c = memcmp(xi, yi, xn < yn ? xn : yn);
			c = c ? c : (xn > yn) - (xn < yn);
		}
		if (c)
			return c < 0 ? -1 : 1;
	}
}

static int cargo_cmp(const char *a, const char *b, int *out, cs_err *err)
{
	crate_version va, vb;
	int c = 0, rc, i;

	*out = 0;
	if ((rc = parse(&va, a, err)) < 0 || (rc = parse(&vb, b, err)) < 0)
		return rc;
	for (i = 0; i < 3 && c == 0; i++)
		c = cs_vutil_cmp_digits(va.num[i], va.num_len[i], vb.num[i], vb.num_len[i]);
	*out = c ? c : cmp_pre(&va, &vb);
	return 0;
}

const cs_version_scheme cs_version_cargo = {"cargo", cargo_cmp};
